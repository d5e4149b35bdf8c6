/*
 * form.c: polling-station result forms (NEC Form 1102): the coded checks,
 * the comparison of two entries, and reading digitized forms from CSV.
 *
 * Errors (F.1xx) block acceptance; warnings (W.2xx) need a written
 * explanation first, printed on the official report. docs/checks.md lists
 * every code with an example; the percentages are compared in integers
 * (invalid * 100 > 5 * cast), never in floating point.
 *
 * Blank ballots (validly cast for no list; Portugal and Spain count them,
 * Cambodia has none, so 0) stand beside valid and invalid: valid stays the
 * lists' sum and valid + blank + invalid = cast.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "khum/count.h"
#include "khum/str.h"

static void add(khum_checks *c, const char *code, const char *fields, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(khum_checks *c, const char *code, const char *fields, const char *fmt, ...)
{
    if (c->n == KHUM_MAX_CHECKS)
        return;
    khum_check *k = &c->items[c->n++];
    snprintf(k->code, sizeof k->code, "%s", code);
    k->severity = code[0] == 'W' ? KHUM_CHECK_WARNING : KHUM_CHECK_ERROR;
    snprintf(k->fields, sizeof k->fields, "%s", fields);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(k->msg, sizeof k->msg, fmt, ap);
    va_end(ap);
    if (k->severity == KHUM_CHECK_ERROR)
        c->errors++;
    else
        c->warnings++;
}

bool khum_checks_has(const khum_checks *c, const char *code)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->items[i].code, code) == 0)
            return true;
    return false;
}

const khum_station *khum_form_station(const khum_election *e, const khum_form *f)
{
    if (f->st && f->st >= e->stations && f->st < e->stations + e->nstations &&
        f->st->code == f->station)
        return f->st;
    return khum_election_station_find(e, f->station);
}

/* Party names are interned per election (khum_election_finish) and the
 * reader hands out those pointers: compare pointers first, names after. */
static bool contests(const khum_election *e, const khum_election_commune *ec, const char *party)
{
    for (size_t i = 0; i < ec->nlists; i++)
        if (e->lists[ec->first_list + i].party == party)
            return true;
    for (size_t i = 0; i < ec->nlists; i++)
        if (strcmp(e->lists[ec->first_list + i].party, party) == 0)
            return true;
    return false;
}

static void check_lists(const khum_election *e, const khum_election_commune *ec,
                        const khum_form *f, khum_checks *out)
{
    for (size_t i = 0; i < f->n; i++)
        if (!contests(e, ec, f->party[i]))
            add(out, "F.106", f->party[i], "party %s does not contest commune %s", f->party[i],
                ec->code);
    for (size_t k = 0; k < ec->nlists; k++) {
        const char *party = e->lists[ec->first_list + k].party;
        bool given = false;
        for (size_t i = 0; i < f->n && !given; i++)
            given = f->party[i] == party;
        for (size_t i = 0; i < f->n && !given; i++)
            given = strcmp(f->party[i], party) == 0;
        if (!given)
            add(out, "F.108", party, "no votes given for %s, which contests commune %s", party,
                ec->code);
    }
}

void khum_form_check(const khum_election *e, const khum_form *f, khum_checks *out)
{
    /* Only the counters: clearing all 24 message buffers (8.8 KB) per form
     * was a fifth of the time of a national tabulation. */
    out->n = out->errors = out->warnings = 0;
    const khum_station *st = khum_form_station(e, f);
    if (!st) {
        add(out, "F.107", "station", "station %s is not a polling station of election %s",
            f->station, e->id);
        return;
    }
    const struct { const char *name; int64_t v; } nums[] = {
        {"registered", f->registered}, {"received", f->received}, {"cast", f->cast},
        {"spoiled", f->spoiled}, {"unused", f->unused}, {"valid", f->valid},
        {"invalid", f->invalid}, {"blank", f->blank}};
    bool negative = false, huge = false;
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
        if (nums[i].v > KHUM_FORM_MAX) {
            add(out, "F.113", nums[i].name, "%s is %lld, more than a polling station can have "
                "(at most %lld)", nums[i].name, (long long)nums[i].v, (long long)KHUM_FORM_MAX);
            huge = true;
        }
    for (size_t i = 0; i < f->n; i++)
        if (f->votes[i] > KHUM_FORM_MAX) {
            add(out, "F.113", f->party[i], "votes for %s are %lld, more than a polling station "
                "can have (at most %lld)", f->party[i], (long long)f->votes[i],
                (long long)KHUM_FORM_MAX);
            huge = true;
        }
    if (huge)
        return;  /* no sum or ratio of such numbers means anything (or fits in 64 bits) */
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
        if (nums[i].v < 0) {
            add(out, "F.101", nums[i].name, "%s is negative (%lld)", nums[i].name,
                (long long)nums[i].v);
            negative = true;
        }
    int64_t sum = 0;
    for (size_t i = 0; i < f->n; i++) {
        if (f->votes[i] < 0) {
            add(out, "F.101", f->party[i], "votes for %s are negative (%lld)", f->party[i],
                (long long)f->votes[i]);
            negative = true;
        }
        sum += f->votes[i];
    }
    const khum_election_commune *ec = &e->communes[st->commune_index];
    check_lists(e, ec, f, out);
    if (f->registered != st->registered)
        add(out, "F.109", "registered", "registered voters %lld differ from the station's "
            "register (%lld)", (long long)f->registered, (long long)st->registered);
    if (negative)
        return;  /* sums of negative numbers would only repeat the same fault */
    if (sum != f->valid)
        add(out, "F.102", "valid,votes", "the lists' votes add up to %lld, not to the %lld "
            "valid ballots", (long long)sum, (long long)f->valid);
    if (f->blank > f->cast)
        add(out, "F.114", "blank,cast", "%lld blank ballots but only %lld ballots cast",
            (long long)f->blank, (long long)f->cast);
    else if (f->valid + f->blank + f->invalid == f->cast)
        ;
    else if (f->blank)
        add(out, "F.103", "valid,blank,invalid,cast", "valid %lld + blank %lld + invalid %lld "
            "= %lld, not the %lld ballots cast", (long long)f->valid, (long long)f->blank,
            (long long)f->invalid, (long long)(f->valid + f->blank + f->invalid),
            (long long)f->cast);
    else  /* the message of a form without blank ballots, as before */
        add(out, "F.103", "valid,invalid,cast", "valid %lld + invalid %lld = %lld, not the %lld "
            "ballots cast", (long long)f->valid, (long long)f->invalid,
            (long long)(f->valid + f->invalid), (long long)f->cast);
    if (f->cast + f->spoiled + f->unused != f->received)
        add(out, "F.104", "cast,spoiled,unused,received", "cast %lld + spoiled %lld + unused "
            "%lld = %lld, not the %lld ballots received", (long long)f->cast,
            (long long)f->spoiled, (long long)f->unused,
            (long long)(f->cast + f->spoiled + f->unused), (long long)f->received);
    if (f->cast > f->registered)
        add(out, "F.105", "cast,registered", "%lld ballots cast but only %lld voters registered",
            (long long)f->cast, (long long)f->registered);
    /* Warnings: plausible but unusual; each needs a written explanation. */
    if (f->invalid * 100 > f->cast * 5)
        add(out, "W.201", "invalid,cast", "invalid ballots are more than 5 %% of the ballots "
            "cast (%lld of %lld)", (long long)f->invalid, (long long)f->cast);
    if (f->registered > 0 && f->cast * 100 > f->registered * 98 && f->cast <= f->registered)
        add(out, "W.202", "cast,registered", "turnout above 98 %% (%lld of %lld)",
            (long long)f->cast, (long long)f->registered);
    if (f->registered > 0 && f->cast * 100 < f->registered * 30)
        add(out, "W.203", "cast,registered", "turnout below 30 %% (%lld of %lld)",
            (long long)f->cast, (long long)f->registered);
    for (size_t i = 0; i < f->n && f->valid > 0 && ec->nlists > 1; i++)
        if (f->votes[i] == f->valid)
            add(out, "W.204", f->party[i], "%s has every valid vote (%lld)", f->party[i],
                (long long)f->valid);
}

bool khum_form_equal(const khum_form *a, const khum_form *b, char *diff, size_t cap)
{
    khum_buf d;
    khum_buf_init(&d);
    const struct { const char *name; int64_t x, y; } nums[] = {
        {"registered", a->registered, b->registered}, {"received", a->received, b->received},
        {"cast", a->cast, b->cast}, {"spoiled", a->spoiled, b->spoiled},
        {"unused", a->unused, b->unused}, {"valid", a->valid, b->valid},
        {"invalid", a->invalid, b->invalid}, {"blank", a->blank, b->blank}};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
        if (nums[i].x != nums[i].y)
            khum_buf_printf(&d, "%s%s", d.len ? "," : "", nums[i].name);
    for (size_t i = 0; i < a->n; i++) {
        bool same = false, found = false;
        for (size_t j = 0; j < b->n && !found; j++)
            if (strcmp(a->party[i], b->party[j]) == 0) {
                found = true;
                same = a->votes[i] == b->votes[j];
            }
        if (!same)
            khum_buf_printf(&d, "%s%s", d.len ? "," : "", a->party[i]);
    }
    for (size_t j = 0; j < b->n; j++) {
        bool found = false;
        for (size_t i = 0; i < a->n && !found; i++)
            found = strcmp(a->party[i], b->party[j]) == 0;
        if (!found)
            khum_buf_printf(&d, "%s%s", d.len ? "," : "", b->party[j]);
    }
    bool equal = d.len == 0;
    if (diff && cap)
        snprintf(diff, cap, "%s", d.data ? d.data : "");
    khum_buf_free(&d);
    return equal;
}

/* ---- reader ---------------------------------------------------------- */

/* The columns a reader takes from each row, in this order: station and the
 * 7 figures (form_cols), blank and the explanation (each -1 when absent),
 * then the parties. */
enum { COL_BLANK = 8, COL_EXPLANATION = 9, COL_PARTIES = 10 };

struct khum_form_reader {
    khum_csv *csv;
    khum_arena *a;
    const khum_election *e;
    int *cols;                /* column of each field taken, in the order above */
    size_t ncols;
    const char **pname;       /* the party of each party column */
    size_t np;
    const char **text;        /* the current row's fields (cols order) */
    size_t *len;
    const khum_station *last; /* the station of the previous row */
    const char **last_party;  /* the party names of the previous form */
    size_t last_n;
    int64_t *votes;           /* one row's votes before they are copied out */
    const char **party;
};

static const char *const form_cols[8] = {"station", "registered", "received", "cast",
                                         "spoiled", "unused", "valid", "invalid"};

khum_code khum_form_reader_open(khum_csv *csv, const khum_election *e, khum_arena *a,
                                khum_form_reader **out, khum_err *err)
{
    *out = NULL;
    khum_code rc = khum_csv_has_header(csv) ? KHUM_OK : khum_csv_read_header(csv, err);
    if (rc)
        return rc;
    khum_form_reader *r = khum_arena_calloc(a, 1, sizeof *r);
    size_t most = COL_PARTIES + e->nlists;
    if (!r || !(r->cols = khum_arena_alloc(a, most * sizeof *r->cols)) ||
        !(r->text = khum_arena_alloc(a, most * sizeof *r->text)) ||
        !(r->len = khum_arena_alloc(a, most * sizeof *r->len)) ||
        !(r->pname = khum_arena_calloc(a, e->nlists + 1, sizeof *r->pname)) ||
        !(r->votes = khum_arena_calloc(a, e->nlists + 1, sizeof *r->votes)) ||
        !(r->party = khum_arena_calloc(a, e->nlists + 1, sizeof *r->party)))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    if ((rc = khum_csv_require(csv, form_cols, r->cols, 8, err)))
        return rc;
    r->csv = csv;
    r->a = a;
    r->e = e;
    r->cols[COL_BLANK] = khum_csv_col(csv, "blank");
    r->cols[COL_EXPLANATION] = khum_csv_col(csv, "explanation");
    /* A column is a party column when its name is a party of the election. */
    int *pcol = r->cols + COL_PARTIES;
    for (size_t i = 0; i < e->nlists; i++) {
        const char *p = e->lists[i].party;
        int c = khum_csv_col(csv, p);
        bool seen = false;
        for (size_t k = 0; k < r->np && !seen; k++)
            seen = pcol[k] == c;
        if (c >= 0 && !seen) {
            pcol[r->np] = c;
            r->pname[r->np++] = p;
        }
    }
    r->ncols = COL_PARTIES + r->np;
    *out = r;
    return KHUM_OK;
}

khum_code khum_form_columns_check(const khum_csv *csv, const khum_election *e, khum_err *err)
{
    for (size_t i = 0; i < khum_csv_count(csv); i++) {
        const char *name = khum_csv_header(csv, i);
        bool known = !*name || strcasecmp(name, "explanation") == 0 ||
                     strcasecmp(name, "blank") == 0;
        for (size_t k = 0; k < 8 && !known; k++)
            known = strcasecmp(name, form_cols[k]) == 0;
        for (size_t k = 0; k < e->nlists && !known; k++)
            known = strcasecmp(name, e->lists[k].party) == 0;
        if (!known)
            return khum_csv_field_error(csv, i, err, KHUM_ERR_INPUT, "F.106",
                                        "column '%s' names no list of election %s: its "
                                        "figures would be dropped", name, e->id);
    }
    return KHUM_OK;
}

khum_code khum_form_reader_figures_only(khum_form_reader *r, khum_err *err)
{
    if (r->np)
        return khum_csv_field_error(r->csv, (size_t)r->cols[COL_PARTIES], err, KHUM_ERR_INPUT,
                                    "F.106", "column '%s' is a list: with a votes file, its "
                                    "votes belong there, one row per station and list",
                                    r->pname[0]);
    return KHUM_OK;
}

static bool number_slow(khum_form_reader *r, size_t k, int64_t *v, khum_err *err)
{
    const char *s = r->text[k];
    if (khum_parse_i64(s, v))
        return true;
    khum_csv_field_error(r->csv, (size_t)r->cols[k], err, KHUM_ERR_INPUT, "F.110",
                         "'%s' is not a whole number", s);
    return false;
}

/* A field of digits only, at most 18 of them, cannot overflow: parse it in
 * place; anything else (a sign, blanks, a huge figure) takes the strict
 * general parser, which also gives the error. */
static inline bool number(khum_form_reader *r, size_t k, int64_t *v, khum_err *err)
{
    const char *s = r->text[k];
    size_t len = r->len[k];
    if (len == 0 || len > 18)
        return number_slow(r, k, v, err);
    int64_t x = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d > 9)
            return number_slow(r, k, v, err);
        x = x * 10 + d;
    }
    *v = x;
    return true;
}

/* strcmp for the short codes of stations, without a call */
static inline bool same_code(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* Files list a commune's stations in order, so the station after the
 * previous row's is tried before the hash table. */
static const khum_station *row_station(khum_form_reader *r, const char *code)
{
    const khum_election *e = r->e;
    if (r->last && r->last + 1 < e->stations + e->nstations &&
        same_code(r->last[1].code, code))
        return ++r->last;
    const khum_station *st = khum_election_station_find(e, code);
    if (st)
        r->last = st;
    return st;
}

int khum_form_reader_view(khum_form_reader *r, khum_form *f, const char **explanation,
                          khum_err *err)
{
    int rc = khum_csv_next(r->csv, err);
    if (rc <= 0)
        return rc;
    khum_csv_get_many(r->csv, r->cols, r->ncols, r->text, r->len);
    memset(f, 0, sizeof *f);
    /* The election's own station code when it has the station: the checks
     * and the tally need not look it up again. */
    const khum_station *st = row_station(r, r->text[0]);
    f->st = st;
    f->station = st ? st->code : r->text[0];
    *explanation = r->text[COL_EXPLANATION];
    int64_t *dst[7] = {&f->registered, &f->received, &f->cast, &f->spoiled, &f->unused,
                       &f->valid, &f->invalid};
    for (size_t k = 0; k < 7; k++)
        if (!number(r, k + 1, dst[k], err))
            return -1;
    /* No blank column, or an empty field, is no blank ballot (Cambodia's forms). */
    if (r->len[COL_BLANK] && !number(r, COL_BLANK, &f->blank, err))
        return -1;
    size_t n = 0;
    for (size_t k = 0; k < r->np; k++) {
        if (r->len[COL_PARTIES + k] == 0)
            continue;  /* the party does not contest here */
        if (!number(r, COL_PARTIES + k, &r->votes[n], err))
            return -1;
        r->party[n++] = r->pname[k];
    }
    f->n = n;
    f->party = r->party;
    f->votes = r->votes;
    return 1;
}

/* The party names of this row: the previous form's array when they are the
 * same (every station of a commune has the same lists), so a national file
 * keeps one array per commune rather than one per form. */
static const char **kept_parties(khum_form_reader *r, size_t n)
{
    if (r->last_party && r->last_n == n &&
        memcmp(r->last_party, r->party, n * sizeof *r->party) == 0)
        return r->last_party;
    const char **p = khum_arena_alloc(r->a, (n + 1) * sizeof *p);
    if (p) {
        memcpy(p, r->party, n * sizeof *p);
        r->last_party = p;
        r->last_n = n;
    }
    return p;
}

int khum_form_reader_next(khum_form_reader *r, khum_form *f, const char **explanation,
                          khum_err *err)
{
    int rc = khum_form_reader_view(r, f, explanation, err);
    if (rc <= 0)
        return rc;
    if (!f->st && !(f->station = khum_arena_strdup(r->a, f->station)))
        goto nomem;
    if (**explanation && !(*explanation = khum_arena_strdup(r->a, *explanation)))
        goto nomem;
    int64_t *votes = khum_arena_alloc(r->a, (f->n + 1) * sizeof *votes);
    if (!votes || !(f->party = kept_parties(r, f->n)))
        goto nomem;
    memcpy(votes, f->votes, f->n * sizeof *votes);
    f->votes = votes;
    return 1;
nomem:
    khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    return -1;
}

long khum_form_reader_line(const khum_form_reader *r)
{
    return khum_csv_line(r->csv);
}

void khum_form_reader_close(khum_form_reader *r)
{
    (void)r;  /* everything lives in the caller's arena and csv */
}
