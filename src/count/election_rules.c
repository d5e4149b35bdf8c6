/*
 * election_rules.c: the rule set an election carries as data, beyond its
 * method: the threshold (a percentage of a named base), the tie chain, the
 * posts a council fills, and the election's own lists (parties.csv). Other
 * countries' councils differ from Cambodia's in these few parameters only
 * (docs/rule-sets.md). A threshold is kept as percent x 10,000, an exact
 * decimal of at most 4 places, so `100 v >= t base` is compared in integers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/count.h"
#include "tally_impl.h"
#include "khum/geo.h"
#include "khum/str.h"

static const char *const base_names[] = {"valid", "valid+blank", "cast"};
static const char *const posts_names[] = {"chief-deputies", "head"};

const char *khum_threshold_base_name(khum_threshold_base b)
{
    return (unsigned)b < 3 ? base_names[b] : "valid";
}

bool khum_threshold_base_parse(const char *s, khum_threshold_base *out)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(s, base_names[i]) == 0)
            return *out = (khum_threshold_base)i, true;
    return false;
}

const char *khum_posts_name(khum_posts p)
{
    return (unsigned)p < 2 ? posts_names[p] : "chief-deputies";
}

bool khum_posts_parse(const char *s, khum_posts *out)
{
    for (int i = 0; i < 2; i++)
        if (strcmp(s, posts_names[i]) == 0)
            return *out = (khum_posts)i, true;
    return false;
}

bool khum_threshold_parse(const char *s, int32_t *e4)
{
    int64_t v = 0;
    int places = -1;  /* -1: no point seen yet */
    if (!*s)
        return false;
    for (const char *p = s; *p; p++) {
        if (*p == '.' && places < 0 && p != s && p[1]) {
            places = 0;
            continue;
        }
        if (*p < '0' || *p > '9' || places >= 4 || v > 100 * 10000)
            return false;
        v = v * 10 + (*p - '0');
        if (places >= 0)
            places++;
    }
    for (int k = places < 0 ? 0 : places; k < 4; k++)
        v *= 10;
    if (v > 100 * 10000)
        return false;
    *e4 = (int32_t)v;
    return true;
}

void khum_threshold_format(int32_t e4, char *buf, size_t n)
{
    if (e4 < 0) {
        snprintf(buf, n, "%s", "");
        return;
    }
    char frac[8];
    snprintf(frac, sizeof frac, "%04d", (int)(e4 % 10000));
    for (int k = 3; k >= 0 && frac[k] == '0'; k--)
        frac[k] = '\0';
    snprintf(buf, n, "%d%s%s", (int)(e4 / 10000), *frac ? "." : "", frac);
}

void khum_election_alloc_rules(const khum_election *e, const char *seed, khum_alloc_rules *r)
{
    khum_alloc_rules_default(r);
    r->method = e->method;
    r->tie_rule = e->tie_rule;
    r->lots_seed = seed;
    if (e->threshold_e4 > 0) {  /* the engine's threshold: percent as num/den */
        r->threshold_num = e->threshold_e4;
        r->threshold_den = 10000;
    }
}

int64_t khum_election_threshold_base(const khum_election *e, int64_t list_votes,
                                     int64_t blank, int64_t cast)
{
    switch (e->threshold_base) {
    case KHUM_BASE_VALID_BLANK: return list_votes + blank;
    case KHUM_BASE_CAST: return cast;
    default: return list_votes;
    }
}

static int party_cmp(const void *a, const void *b)
{
    return strcmp(((const khum_election_party *)a)->id, ((const khum_election_party *)b)->id);
}

khum_code election_take_parties(khum_election *e, khum_csv *csv, khum_err *err)
{
    khum_party *rows;
    size_t n;
    e->src[3] = khum_arena_strdup(&e->arena, khum_csv_name(csv));
    khum_code rc = khum_parties_read(csv, &e->arena, &rows, &n, err);
    if (rc)
        return rc;
    e->parties = khum_arena_calloc(&e->arena, n + 1, sizeof *e->parties);
    if (!e->parties) {
        free(rows);
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        e->parties[i] = (khum_election_party){rows[i].id, rows[i].abbr, rows[i].name_en,
                                              rows[i].name_km, rows[i].colour, rows[i].line};
    free(rows);
    e->nparties = n;
    khum_sort(e->parties, n, sizeof *e->parties, party_cmp);
    return KHUM_OK;
}
