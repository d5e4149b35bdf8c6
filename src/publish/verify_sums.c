/*
 * verify_sums.c: reading the election and the forms of a bundle, summing
 * the forms into communes, districts, provinces and the nation (each council
 * where election.json places it, never by its code), and
 * comparing every published total and seat with the sums.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/array.h"
#include "khum/csv.h"
#include "khum/str.h"
#include "verify_impl.h"

int ver_party(ver_ctx *v, const char *name, bool add)
{
    for (int i = 0; i < v->nparties; i++)
        if (!strcmp(v->parties[i], name))
            return i;
    if (!add)
        return -1;
    const char **p = khum_grow(v->parties, (size_t)v->nparties, &v->parties_cap, sizeof *p,
                               &v->arena);
    if (!p)
        return -1;
    v->parties = p;
    v->parties[v->nparties] = name;  /* the election's JSON outlives the verification */
    return v->nparties++;
}

/* Each area's votes and seats per party, once the election's lists are known. */
static bool size_areas(ver_ctx *v)
{
    for (size_t i = 0; i < v->nareas; i++) {
        v->areas[i].votes = khum_arena_calloc(&v->arena, (size_t)v->nparties + 1,
                                              sizeof *v->areas[i].votes);
        v->areas[i].seats = khum_arena_calloc(&v->arena, (size_t)v->nparties + 1,
                                              sizeof *v->areas[i].seats);
        if (!v->areas[i].votes || !v->areas[i].seats)
            return false;
    }
    return true;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const ver_area *)a)->code, ((const ver_area *)b)->code);
}

ver_area *ver_area_find(ver_ctx *v, const char *code)
{
    ver_area key;
    snprintf(key.code, sizeof key.code, "%s", code);
    return bsearch(&key, v->areas, v->nareas, sizeof *v->areas, by_code);
}

static int by_station(const void *a, const void *b)
{
    return strcmp(((const ver_station *)a)->code, ((const ver_station *)b)->code);
}

static const ver_station *station_find(ver_ctx *v, const char *code)
{
    ver_station key = {.code = code};
    return bsearch(&key, v->stations, v->nstations, sizeof *v->stations, by_station);
}

static void area_put(ver_ctx *v, size_t *n, const char *code, int level)
{
    snprintf(v->areas[*n].code, sizeof v->areas[0].code, "%s", code);
    v->areas[(*n)++].level = level;
}

/* The areas: every commune and the districts, provinces and nation above,
 * as election.json places each commune (never read from its code). */
static bool make_areas(ver_ctx *v)
{
    v->areas = khum_arena_calloc(&v->arena, 3 * v->ncommunes + 1, sizeof *v->areas);
    if (!v->areas)
        return false;
    size_t n = 0;
    area_put(v, &n, "", 0);
    for (size_t i = 0; i < v->ncommunes; i++) {
        const ver_commune *c = &v->communes[i];
        area_put(v, &n, c->code, 3);
        if (*c->province)
            area_put(v, &n, c->province, 1);
        if (*c->district)
            area_put(v, &n, c->district, 2);
    }
    khum_sort(v->areas, n, sizeof *v->areas, by_code);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)  /* each district and province once */
        if (u == 0 || strcmp(v->areas[u - 1].code, v->areas[i].code) != 0)
            v->areas[u++] = v->areas[i];
    v->nareas = u;
    for (size_t i = 0; i < v->ncommunes; i++)
        v->communes[i].area = ver_area_find(v, v->communes[i].code);
    return true;
}

/* The rule set beyond the method (bundles before #15 have only tie_rule:
 * no threshold, more votes then lots). */
static bool load_rules(ver_ctx *v)
{
    const char *tie = json_string_value(json_object_get(v->election, "tie_rule"));
    const char *thr = json_string_value(json_object_get(v->election, "threshold"));
    v->threshold_base = json_string_value(json_object_get(v->election, "threshold_base"));
    if (!v->threshold_base)
        v->threshold_base = "valid";
    v->threshold_e4 = ver_threshold_e4(thr);
    if (!ver_tie_chain(tie, v->chain) || (thr && *thr && v->threshold_e4 < 0) ||
        (strcmp(v->threshold_base, "valid") && strcmp(v->threshold_base, "valid+blank") &&
         strcmp(v->threshold_base, "cast"))) {
        ver_diff(v, "election.json", 0, "VER.906", "election.json has a rule khum verify does "
                 "not know: tie_rule '%s', threshold '%s', threshold_base '%s'",
                 tie ? tie : "", thr ? thr : "", v->threshold_base);
        return false;
    }
    return true;
}

/* The areas a commune's figures are added to: the nation, its province and
 * district (when it has them) and itself. */
static void chain_of(ver_ctx *v, const ver_commune *c, ver_area *chain[4])
{
    chain[0] = ver_area_find(v, "");
    chain[1] = *c->province ? ver_area_find(v, c->province) : NULL;
    chain[2] = *c->district ? ver_area_find(v, c->district) : NULL;
    chain[3] = c->area;
}

static const char *json_str_or_empty(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

bool ver_load(ver_ctx *v, khum_bundle *b)
{
    khum_bundle_file *f = khum_bundle_find(b, "election.json");
    json_error_t je;
    v->election = f ? json_loadb(f->data.data, f->data.len, 0, &je) : NULL;
    json_t *communes = json_object_get(v->election, "communes");
    v->method = json_string_value(json_object_get(v->election, "method"));
    if (!json_is_array(communes) || !v->method) {
        ver_diff(v, "election.json", 0, "VER.906", "election.json is missing or not a khum "
                 "election");
        return false;
    }
    if (!load_rules(v))
        return false;
    v->ncommunes = json_array_size(communes);
    v->communes = khum_arena_calloc(&v->arena, v->ncommunes + 1, sizeof *v->communes);
    size_t nst = 0, i;
    json_t *c;
    json_array_foreach(communes, i, c) nst += json_array_size(json_object_get(c, "stations"));
    v->stations = khum_arena_calloc(&v->arena, nst + 1, sizeof *v->stations);
    if (!v->communes || !v->stations)
        return false;
    json_array_foreach(communes, i, c) {
        ver_commune *vc = &v->communes[i];
        vc->code = json_string_value(json_object_get(c, "code"));
        vc->seats = (int)json_integer_value(json_object_get(c, "seats"));
        vc->province = json_str_or_empty(c, "province");
        vc->district = json_str_or_empty(c, "district");
        if (!json_object_get(c, "province") && vc->code && khum_is_digits(vc->code, 6)) {
            /* a bundle from before issue 15 names no parents: its councils are
             * Cambodia's, placed by the NCDD code's prefix */
            vc->province = khum_arena_strndup(&v->arena, vc->code, 2);
            vc->district = khum_arena_strndup(&v->arena, vc->code, 4);
            if (!vc->province || !vc->district)
                return false;
        }
        if (!vc->code || !khum_is_area_code(vc->code) ||
            (*vc->province && !khum_is_area_code(vc->province)) ||
            (*vc->district && !khum_is_area_code(vc->district))) {
            ver_diff(v, "election.json", 0, "VER.906", "commune %zu has no code of 1 to %d "
                     "letters and digits, or its province or district has none", i,
                     KHUM_AREA_CODE_MAX);
            return false;
        }
        size_t k;
        json_t *x;
        json_array_foreach(json_object_get(c, "lists"), k, x)
            if (vc->nlists < VER_MAX_PARTIES && json_is_string(x) &&
                (vc->lists[vc->nlists] = ver_party(v, json_string_value(x), true)) >= 0)
                vc->nlists++;
        json_array_foreach(json_object_get(c, "stations"), k, x) {
            const char *code = json_string_value(json_object_get(x, "code"));
            v->stations[v->nstations++] = (ver_station){code ? code : "", i};
        }
    }
    if (!make_areas(v) || !size_areas(v))
        return false;
    khum_sort(v->stations, v->nstations, sizeof *v->stations, by_station);
    for (size_t k = 0; k < v->ncommunes; k++) {
        ver_area *chain[4];
        chain_of(v, &v->communes[k], chain);
        int64_t n = (int64_t)json_array_size(json_object_get(json_array_get(communes, k),
                                                             "stations"));
        for (int l = 0; l < 4; l++)
            if (chain[l])
                chain[l]->expected += n;
    }
    return true;
}

static int64_t num(khum_csv *c, int col)
{
    int64_t x = 0;
    if (col < 0 || !khum_parse_i64(khum_csv_get(c, (size_t)col), &x))
        return -1;
    return x;
}

typedef struct ver_sums {
    int64_t *valid, *listed;   /* per station: valid ballots (-1: no form), votes listed */
    long *line;
} ver_sums;

static void read_forms(ver_ctx *v, khum_bundle *b, ver_sums *s)
{
    khum_bundle_file *f = khum_bundle_find(b, "forms.csv");
    khum_csv *c = f ? khum_csv_open_mem("forms.csv", f->data.data, f->data.len) : NULL;
    khum_err err;
    khum_err_clear(&err);
    if (!c || khum_csv_read_header(c, &err)) {
        ver_diff(v, "forms.csv", 1, "VER.907", "forms.csv is missing or has no header");
        khum_csv_close(c);
        return;
    }
    static const char *const cols[] = {"station", "registered", "received", "cast", "spoiled",
                                       "unused", "valid", "invalid", "blank"};
    int idx[9];
    for (int i = 0; i < 9; i++)
        idx[i] = khum_csv_col(c, cols[i]);
    while (khum_csv_next(c, &err) == 1) {
        long line = khum_csv_line(c);
        const char *code = khum_csv_get(c, (size_t)(idx[0] < 0 ? 0 : idx[0]));
        const ver_station *st = station_find(v, code);
        int64_t x[9];
        for (int i = 1; i < 9; i++)
            x[i] = num(c, idx[i]);
        if (idx[8] < 0)
            x[8] = 0;  /* a bundle without blank ballots has no blank column */
        if (!st) {
            ver_diff(v, "forms.csv", line, "VER.912", "station %s is not in election.json", code);
            continue;
        }
        size_t si = (size_t)(st - v->stations);
        if (s->valid[si] >= 0) {
            ver_diff(v, "forms.csv", line, "VER.912", "station %s has a second form (line %ld "
                     "has one)", code, s->line[si]);
            continue;
        }
        if (x[8] < 0 || x[6] + x[8] + x[7] != x[3] || x[3] + x[4] + x[5] != x[2])
            ver_diff(v, "forms.csv", line, "VER.911", "station %s: valid + blank + invalid = "
                     "cast and cast + spoiled + unused = received must hold", code);
        s->valid[si] = x[6];
        s->line[si] = line;
        ver_area *chain[4];
        chain_of(v, &v->communes[st->commune], chain);
        for (int l = 0; l < 4; l++)
            if (chain[l]) {
                chain[l]->registered += x[1];
                chain[l]->cast += x[3];
                chain[l]->valid += x[6];
                chain[l]->invalid += x[7];
                chain[l]->blank += x[8];
                chain[l]->reported++;
            }
        v->st->forms++;
    }
    khum_csv_close(c);
}

static void read_votes(ver_ctx *v, khum_bundle *b, ver_sums *s)
{
    khum_bundle_file *f = khum_bundle_find(b, "form_votes.csv");
    khum_csv *c = f ? khum_csv_open_mem("form_votes.csv", f->data.data, f->data.len) : NULL;
    khum_err err;
    khum_err_clear(&err);
    if (!c || khum_csv_read_header(c, &err)) {
        ver_diff(v, "form_votes.csv", 1, "VER.907", "form_votes.csv is missing or has no "
                 "header");
        khum_csv_close(c);
        return;
    }
    int cs = khum_csv_col(c, "station"), cp = khum_csv_col(c, "party"),
        cv = khum_csv_col(c, "votes");
    while (khum_csv_next(c, &err) == 1) {
        long line = khum_csv_line(c);
        const char *code = khum_csv_get(c, (size_t)(cs < 0 ? 0 : cs));
        const ver_station *st = station_find(v, code);
        int p = ver_party(v, khum_csv_get(c, (size_t)(cp < 0 ? 0 : cp)), false);
        int64_t votes = num(c, cv);
        const ver_commune *vc = st ? &v->communes[st->commune] : NULL;
        bool listed = false;
        for (int i = 0; vc && i < vc->nlists; i++)
            listed |= vc->lists[i] == p;
        if (!st || s->valid[st - v->stations] < 0 || !listed || votes < 0) {
            ver_diff(v, "form_votes.csv", line, "VER.913", "votes of station %s for %s: no "
                     "such form, or the party does not contest its commune", code,
                     khum_csv_get(c, (size_t)(cp < 0 ? 0 : cp)));
            continue;
        }
        s->listed[st - v->stations] += votes;
        ver_area *chain[4];
        chain_of(v, vc, chain);
        for (int l = 0; l < 4; l++)
            if (chain[l])
                chain[l]->votes[p] += votes;
    }
    khum_csv_close(c);
    for (size_t i = 0; i < v->nstations; i++)
        if (s->valid[i] >= 0 && s->listed[i] != s->valid[i])
            ver_diff(v, "form_votes.csv", 0, "VER.911", "station %s: the lists' votes add up "
                     "to %lld, not to its %lld valid ballots (forms.csv line %ld)",
                     v->stations[i].code, (long long)s->listed[i], (long long)s->valid[i],
                     s->line[i]);
}

/* Seats published per area and party (results_*.csv), -1 when no row. */
typedef struct ver_pub {
    int *seats;                /* nareas x nparties */
    bool *seen;                /* a row exists */
    bool *totals_checked;      /* per area */
} ver_pub;

static void compare_row(ver_ctx *v, khum_csv *c, const char *file, const int *idx, ver_pub *pub)
{
    long line = khum_csv_line(c);
    const char *code = khum_csv_get(c, (size_t)idx[0]);
    ver_area *a = ver_area_find(v, code);
    const char *party = khum_csv_get(c, (size_t)idx[7]);
    int p = ver_party(v, party, false);
    if (!a || p < 0) {
        ver_diff(v, file, line, "VER.914", "area '%s' or party '%s' is not in the election",
                 code, party);
        return;
    }
    size_t ai = (size_t)(a - v->areas);
    static const char *const names[] = {"registered", "cast", "valid", "invalid",
                                        "stations_reported", "stations_expected", "blank"};
    const int64_t want[] = {a->registered, a->cast, a->valid, a->invalid, a->reported,
                            a->expected, a->blank};
    const int col[] = {idx[1], idx[2], idx[3], idx[4], idx[5], idx[6], idx[10]};
    for (int i = 0; !pub->totals_checked[ai] && i < 7; i++) {
        /* no blank column: results without blank ballots */
        int64_t got = col[i] < 0 && i == 6 ? 0 : num(c, col[i]);
        if (got != want[i])
            ver_diff(v, file, line, "VER.915", "area %s %s: the bundle says %lld, the forms "
                     "add up to %lld", *code ? code : "(nation)", names[i], (long long)got,
                     (long long)want[i]);
    }
    pub->totals_checked[ai] = true;
    int64_t votes = num(c, idx[8]);
    if (votes != a->votes[p])
        ver_diff(v, file, line, "VER.915", "area %s votes for %s: the bundle says %lld, the "
                 "forms add up to %lld", *code ? code : "(nation)", party, (long long)votes,
                 (long long)a->votes[p]);
    pub->seats[ai * (size_t)v->nparties + (size_t)p] = (int)num(c, idx[9]);
    pub->seen[ai * (size_t)v->nparties + (size_t)p] = true;
}

static void read_results(ver_ctx *v, khum_bundle *b, const char *file, ver_pub *pub)
{
    khum_bundle_file *f = khum_bundle_find(b, file);
    khum_csv *c = f ? khum_csv_open_mem(file, f->data.data, f->data.len) : NULL;
    khum_err err;
    khum_err_clear(&err);
    static const char *const cols[] = {"area", "registered", "cast", "valid", "invalid",
                                       "stations_reported", "stations_expected", "party",
                                       "votes", "seats"};
    int idx[11];
    if (!c || khum_csv_read_header(c, &err) || khum_csv_require(c, cols, idx, 10, &err)) {
        ver_diff(v, file, 1, "VER.907", "%s is missing or lacks a column", file);
        khum_csv_close(c);
        return;
    }
    idx[10] = khum_csv_col(c, "blank");
    while (khum_csv_next(c, &err) == 1) {
        compare_row(v, c, file, idx, pub);
        v->st->areas++;
    }
    khum_csv_close(c);
}

/* Seats of every complete commune, then summed up the levels. */
static void recompute_seats(ver_ctx *v, const ver_pub *pub)
{
    for (size_t i = 0; i < v->ncommunes; i++) {
        ver_commune *vc = &v->communes[i];
        ver_area *a = vc->area;
        if (!a || a->reported != a->expected || a->valid <= 0)
            continue;
        int64_t votes[VER_MAX_PARTIES];
        int bundle[VER_MAX_PARTIES], got[VER_MAX_PARTIES], lots;
        size_t ai = (size_t)(a - v->areas);
        int64_t valid = 0;
        for (int k = 0; k < vc->nlists; k++) {
            votes[k] = a->votes[vc->lists[k]];
            bundle[k] = pub->seats[ai * (size_t)v->nparties + (size_t)vc->lists[k]];
            valid += votes[k];
        }
        ver_rules rules = {v->method, v->chain, v->threshold_e4,
                           !strcmp(v->threshold_base, "cast")          ? a->cast
                           : !strcmp(v->threshold_base, "valid+blank") ? valid + a->blank
                                                                       : valid};
        if (!ver_seats(&rules, votes, vc->nlists, vc->seats, bundle, got, &lots)) {
            if (i == 0)
                ver_diff(v, "election.json", 0, "VER.930", "seats by method %s are not "
                         "recomputed (khum verify knows cambodia, dhondt, sainte-lague)",
                         v->method);
            continue;
        }
        int given = 0;
        for (int k = 0; k < vc->nlists; k++)
            given += bundle[k];
        if (lots && !given)  /* its seats wait for lots not yet drawn: none to compare */
            continue;
        a->seated = true;
        v->st->communes_seated++;
        ver_area *chain[4];
        chain_of(v, vc, chain);
        for (int k = 0; k < vc->nlists; k++)
            for (int l = 0; l < 4; l++)
                if (chain[l])
                    chain[l]->seats[vc->lists[k]] += got[k];
    }
}

static void compare_seats(ver_ctx *v, const ver_pub *pub)
{
    for (size_t ai = 0; ai < v->nareas; ai++) {
        const ver_area *a = &v->areas[ai];
        for (int p = 0; p < v->nparties; p++) {
            size_t k = ai * (size_t)v->nparties + (size_t)p;
            if (!pub->seen[k]) {
                if (a->votes[p] > 0 || a->seats[p] > 0)
                    ver_diff(v, "results", 0, "VER.914", "area %s has no row for %s (votes "
                             "%lld)", *a->code ? a->code : "(nation)", v->parties[p],
                             (long long)a->votes[p]);
                continue;
            }
            if (pub->seats[k] != a->seats[p])
                ver_diff(v, "results", 0, "VER.916", "area %s seats of %s: the bundle says "
                         "%d, recomputed from the forms %d", *a->code ? a->code : "(nation)",
                         v->parties[p], pub->seats[k], a->seats[p]);
        }
    }
}

static void compare_seats_json(ver_ctx *v, khum_bundle *b)
{
    khum_bundle_file *f = khum_bundle_find(b, "seats.json");
    json_t *root = f ? json_loadb(f->data.data, f->data.len, 0, NULL) : NULL;
    json_t *arr = json_object_get(root, "communes");
    if (!json_is_array(arr)) {
        ver_diff(v, "seats.json", 0, "VER.907", "seats.json is missing or not a khum file");
        json_decref(root);
        return;
    }
    size_t i, k;
    json_t *c, *l;
    json_array_foreach(arr, i, c) {
        const char *code = json_string_value(json_object_get(c, "commune"));
        ver_area *a = code ? ver_area_find(v, code) : NULL;
        if (!a || a->level != 3) {
            ver_diff(v, "seats.json", 0, "VER.914", "commune %zu is not in the election", i);
            continue;
        }
        json_array_foreach(json_object_get(c, "lists"), k, l) {
            const char *party = json_string_value(json_object_get(l, "party"));
            int p = party ? ver_party(v, party, false) : -1;
            int seats = (int)json_integer_value(json_object_get(l, "seats"));
            if (p < 0 || (a->seated && seats != a->seats[p]))
                ver_diff(v, "seats.json", 0, "VER.917", "commune %s, list %s: %d seats in "
                         "seats.json, %d recomputed", code, party ? party : "?", seats,
                         p < 0 ? 0 : a->seats[p]);
        }
    }
    json_decref(root);
}

void ver_recompute(ver_ctx *v, khum_bundle *b)
{
    ver_sums s = {
        .valid = khum_arena_alloc(&v->arena, (v->nstations + 1) * sizeof *s.valid),
        .listed = khum_arena_calloc(&v->arena, v->nstations + 1, sizeof *s.listed),
        .line = khum_arena_calloc(&v->arena, v->nstations + 1, sizeof *s.line)};
    size_t cells = v->nareas * (size_t)v->nparties + 1;
    ver_pub pub = {.seats = khum_arena_calloc(&v->arena, cells, sizeof *pub.seats),
                   .seen = khum_arena_calloc(&v->arena, cells, sizeof *pub.seen),
                   .totals_checked = khum_arena_calloc(&v->arena, v->nareas + 1, sizeof(bool))};
    if (!s.valid || !s.listed || !s.line || !pub.seats || !pub.seen || !pub.totals_checked) {
        ver_diff(v, "", 0, "VER.908", "out of memory");
        return;
    }
    for (size_t i = 0; i < v->nstations; i++)
        s.valid[i] = -1;
    read_forms(v, b, &s);
    read_votes(v, b, &s);
    static const char *const files[] = {"results_nation.csv", "results_province.csv",
                                        "results_district.csv", "results_commune.csv"};
    for (int i = 0; i < 4; i++)
        read_results(v, b, files[i], &pub);
    recompute_seats(v, &pub);
    compare_seats(v, &pub);
    compare_seats_json(v, b);
}
