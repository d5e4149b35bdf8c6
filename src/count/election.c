/*
 * election.c: an election definition: the election row, the communes with
 * their seats, the lists contesting each commune and the polling stations.
 * Read from four CSVs with every rule checked (ELE.7xx), then sorted,
 * indexed and hashed. The hash is SHA-256 over a canonical text of the whole
 * definition (docs/count.md), so two copies of khum agree on it exactly when
 * they hold the same election; reports show its first 16 hex digits.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "khum/array.h"
#include "khum/count.h"
#include "tally_impl.h"
#include "khum/hash.h"
#include "khum/str.h"

void khum_election_init(khum_election *e)
{
    memset(e, 0, sizeof *e);
    khum_arena_init(&e->arena, 0);
    e->method = KHUM_METHOD_CAMBODIA;
    e->tie_rule = khum_tie_rule_default();
    e->threshold_e4 = KHUM_THRESHOLD_NONE;
    e->threshold_base = KHUM_BASE_VALID;
    e->posts = KHUM_POSTS_CHIEF_DEPUTIES;
}

void khum_election_free(khum_election *e)
{
    khum_arena_free(&e->arena);
    memset(e, 0, sizeof *e);
}

void khum_hash_short(const char *hex, char out[20])
{
    snprintf(out, 20, "%.4s-%.4s-%.4s-%.4s", hex, hex + 4, hex + 8, hex + 12);
}

static bool valid_id(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
            return false;
    return true;
}

static const char *field(khum_election *e, khum_csv *csv, int col)
{
    return khum_arena_strdup(&e->arena, col >= 0 ? khum_csv_get(csv, (size_t)col) : "");
}

static const char *cell(khum_csv *csv, int col)
{
    return col >= 0 ? khum_csv_get(csv, (size_t)col) : "";
}

/* The rule set's columns (docs/count.md): tie_rule, and the optional
 * threshold, threshold_base and posts, each an error of its own (ELE.72x). */
static khum_code read_rules(khum_election *e, khum_csv *csv, int ctie, khum_err *err)
{
    int cthr = khum_csv_col(csv, "threshold"), cbase = khum_csv_col(csv, "threshold_base");
    int cposts = khum_csv_col(csv, "posts");
    const char *tie = cell(csv, ctie), *thr = cell(csv, cthr), *base = cell(csv, cbase);
    const char *posts = cell(csv, cposts);
    char why[200];
    if (*tie && !khum_tie_rule_parse(tie, &e->tie_rule, why, sizeof why))
        return khum_csv_field_error(csv, (size_t)ctie, err, KHUM_ERR_INPUT, "ELE.720",
                                    "tie_rule %s", why);
    if (*thr && !khum_threshold_parse(thr, &e->threshold_e4))
        return khum_csv_field_error(csv, (size_t)cthr, err, KHUM_ERR_INPUT, "ELE.721",
                                    "threshold '%s' must be a percentage from 0 to 100 with at "
                                    "most 4 decimals (5 or 4.75), or empty for none", thr);
    if (*base && !khum_threshold_base_parse(base, &e->threshold_base))
        return khum_csv_field_error(csv, (size_t)cbase, err, KHUM_ERR_INPUT, "ELE.722",
                                    "threshold_base '%s' must be valid, valid+blank or cast",
                                    base);
    if (*posts && !khum_posts_parse(posts, &e->posts))
        return khum_csv_field_error(csv, (size_t)cposts, err, KHUM_ERR_INPUT, "ELE.723",
                                    "posts '%s' must be chief-deputies or head", posts);
    return KHUM_OK;
}

static khum_code read_election_row(khum_election *e, khum_csv *csv, khum_err *err)
{
    khum_code rc = khum_csv_read_header(csv, err);
    if (rc)
        return rc;
    static const char *const req[] = {"id", "date", "mandate"};
    int c[3];
    if ((rc = khum_csv_require(csv, req, c, 3, err)))
        return rc;
    int cname = khum_csv_col(csv, "name"), cmethod = khum_csv_col(csv, "method");
    int ctie = khum_csv_col(csv, "tie_rule"), csynth = khum_csv_col(csv, "synthetic");
    int r = khum_csv_next(csv, err);
    if (r < 0)
        return err->code;
    if (r == 0) {
        khum_err_set(err, KHUM_ERR_INPUT, "ELE.701", "election.csv needs one row after the header");
        khum_err_at(err, khum_csv_name(csv), 2, 0, NULL);
        return KHUM_ERR_INPUT;
    }
    e->id = field(e, csv, c[0]);
    e->date = field(e, csv, c[1]);
    e->name = field(e, csv, cname);
    if (!e->id || !e->date || !e->name)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    int y, m, d;
    long v;
    if (!valid_id(e->id, 64))
        return khum_csv_field_error(csv, (size_t)c[0], err, KHUM_ERR_INPUT, "ELE.701",
                                    "election id '%s' must be 1-64 letters, digits, '-', '_' "
                                    "or '.'", e->id);
    if (!khum_parse_date(e->date, &y, &m, &d))
        return khum_csv_field_error(csv, (size_t)c[1], err, KHUM_ERR_INPUT, "ELE.701",
                                    "polling date '%s' is not a valid YYYY-MM-DD date", e->date);
    if (!khum_parse_int_range(khum_csv_get(csv, (size_t)c[2]), 1, 100, &v))
        return khum_csv_field_error(csv, (size_t)c[2], err, KHUM_ERR_INPUT, "ELE.701",
                                    "mandate '%s' must be a number from 1 to 100",
                                    khum_csv_get(csv, (size_t)c[2]));
    e->mandate = (int)v;
    const char *method = cmethod >= 0 ? khum_csv_get(csv, (size_t)cmethod) : "";
    if (*method && !khum_method_parse(method, &e->method))
        return khum_csv_field_error(csv, (size_t)cmethod, err, KHUM_ERR_INPUT, "ELE.701",
                                    "unknown allocation method '%s'", method);
    if ((rc = read_rules(e, csv, ctie, err)))
        return rc;
    const char *syn = csynth >= 0 ? khum_csv_get(csv, (size_t)csynth) : "";
    if (*syn && strcmp(syn, "0") && strcmp(syn, "1"))
        return khum_csv_field_error(csv, (size_t)csynth, err, KHUM_ERR_INPUT, "ELE.701",
                                    "synthetic '%s' must be 0 or 1", syn);
    e->synthetic = strcmp(syn, "1") == 0;
    if ((r = khum_csv_next(csv, err)) != 0) {
        if (r < 0)
            return err->code;
        khum_err_set(err, KHUM_ERR_INPUT, "ELE.701", "election.csv must hold one election only");
        khum_err_at(err, khum_csv_name(csv), khum_csv_line(csv), 0, NULL);
        return KHUM_ERR_INPUT;
    }
    return KHUM_OK;
}

static int commune_cmp(const void *a, const void *b)
{
    return strcmp(((const khum_election_commune *)a)->code,
                  ((const khum_election_commune *)b)->code);
}

static khum_code dup_error(khum_err *err, const char *rule, const char *src, long line,
                           long first, const char *what)
{
    khum_err_set(err, KHUM_ERR_INPUT, rule, "%s appears twice (first on line %ld)", what, first);
    khum_err_at(err, src ? src : "", line, 0, NULL);
    return KHUM_ERR_INPUT;
}

static khum_code sort_communes(khum_election *e, khum_err *err)
{
    khum_sort(e->communes, e->ncommunes, sizeof *e->communes, commune_cmp);
    for (size_t i = 1; i < e->ncommunes; i++) {
        const khum_election_commune *a = &e->communes[i - 1], *b = &e->communes[i];
        if (strcmp(a->code, b->code) == 0) {
            char what[64];
            snprintf(what, sizeof what, "commune %s", b->code);
            return dup_error(err, "ELE.702", e->src[0], a->line > b->line ? a->line : b->line,
                             a->line < b->line ? a->line : b->line, what);
        }
    }
    return KHUM_OK;
}

const khum_election_commune *khum_election_commune_find(const khum_election *e,
                                                        const char *code)
{
    khum_election_commune key = {.code = code};
    return bsearch(&key, e->communes, e->ncommunes, sizeof key, commune_cmp);
}

static khum_code read_communes(khum_election *e, khum_csv *csv, khum_err *err)
{
    khum_code rc = khum_csv_read_header(csv, err);
    static const char *const req[] = {"commune|commune_code|code", "seats"};
    int c[2];
    if (rc || (rc = khum_csv_require(csv, req, c, 2, err)))
        return rc;
    size_t cap = 1024;  /* first capacity (khum_grow) */
    int r;
    while ((r = khum_csv_next(csv, err)) > 0) {
        const char *code = khum_csv_get(csv, (size_t)c[0]);
        long seats;
        if (!khum_is_area_code(code))
            return khum_csv_field_error(csv, (size_t)c[0], err, KHUM_ERR_INPUT, "ELE.702",
                                        "commune code '%s' must be 1 to %d letters and digits",
                                        code, KHUM_AREA_CODE_MAX);
        if (!khum_parse_int_range(khum_csv_get(csv, (size_t)c[1]), 1, KHUM_ALLOC_MAX_SEATS,
                                  &seats))
            return khum_csv_field_error(csv, (size_t)c[1], err, KHUM_ERR_INPUT, "ELE.703",
                                        "seats '%s' must be a whole number from 1 to %d",
                                        khum_csv_get(csv, (size_t)c[1]), KHUM_ALLOC_MAX_SEATS);
        if (!(e->communes = khum_grow(e->communes, e->ncommunes, &cap,
                                 sizeof *e->communes, &e->arena)))
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        khum_election_commune *ec = &e->communes[e->ncommunes++];
        memset(ec, 0, sizeof *ec);
        ec->code = field(e, csv, c[0]);
        ec->province = ec->district = "";
        ec->seats = (int)seats;
        ec->line = khum_csv_line(csv);
    }
    return r < 0 ? err->code : KHUM_OK;
}

static khum_code read_lists(khum_election *e, khum_csv *csv, khum_err *err)
{
    khum_code rc = khum_csv_read_header(csv, err);
    static const char *const req[] = {"commune|commune_code", "party"};
    int c[2];
    if (rc || (rc = khum_csv_require(csv, req, c, 2, err)))
        return rc;
    int cballot = khum_csv_col(csv, "ballot_no|ballot");
    size_t cap = 1024;  /* first capacity (khum_grow) */
    int r;
    while ((r = khum_csv_next(csv, err)) > 0) {
        long ballot = (long)e->nlists + 1;
        const char *party = khum_csv_get(csv, (size_t)c[1]);
        if (!valid_id(party, 32))
            return khum_csv_field_error(csv, (size_t)c[1], err, KHUM_ERR_INPUT, "ELE.704",
                                        "party id '%s' is not a valid id", party);
        if (cballot >= 0 && !khum_parse_int_range(khum_csv_get(csv, (size_t)cballot), 1,
                                                  1000, &ballot))
            return khum_csv_field_error(csv, (size_t)cballot, err, KHUM_ERR_INPUT, "ELE.704",
                                        "ballot_no '%s' must be a number from 1 to 1000",
                                        khum_csv_get(csv, (size_t)cballot));
        if (!(e->lists = khum_grow(e->lists, e->nlists, &cap, sizeof *e->lists, &e->arena)))
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        khum_contest_list *l = &e->lists[e->nlists++];
        l->commune = field(e, csv, c[0]);
        l->party = field(e, csv, c[1]);
        l->ballot_no = (int)ballot;
        l->line = khum_csv_line(csv);
        if (!khum_election_commune_find(e, l->commune))
            return khum_csv_field_error(csv, (size_t)c[0], err, KHUM_ERR_INPUT, "ELE.704",
                                        "list for commune %s, which is not in communes.csv",
                                        l->commune);
    }
    return r < 0 ? err->code : KHUM_OK;
}

static khum_code read_stations(khum_election *e, khum_csv *csv, khum_err *err)
{
    khum_code rc = khum_csv_read_header(csv, err);
    static const char *const req[] = {"station|code", "commune|commune_code", "registered"};
    int c[3];
    if (rc || (rc = khum_csv_require(csv, req, c, 3, err)))
        return rc;
    size_t cap = 1024;  /* first capacity (khum_grow) */
    int r;
    while ((r = khum_csv_next(csv, err)) > 0) {
        int64_t reg;
        const char *code = khum_csv_get(csv, (size_t)c[0]);
        if (!valid_id(code, 32))
            return khum_csv_field_error(csv, (size_t)c[0], err, KHUM_ERR_INPUT, "ELE.705",
                                        "station code '%s' must be 1-32 letters, digits, '-', "
                                        "'_' or '.'", code);
        if (!khum_parse_i64(khum_csv_get(csv, (size_t)c[2]), &reg) || reg < 0 ||
            reg > 100000000)
            return khum_csv_field_error(csv, (size_t)c[2], err, KHUM_ERR_INPUT, "ELE.705",
                                        "registered voters '%s' must be a whole number",
                                        khum_csv_get(csv, (size_t)c[2]));
        if (!(e->stations = khum_grow(e->stations, e->nstations, &cap,
                                 sizeof *e->stations, &e->arena)))
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        khum_station *s = &e->stations[e->nstations++];
        s->code = field(e, csv, c[0]);
        s->commune = field(e, csv, c[1]);
        s->registered = reg;
        s->line = khum_csv_line(csv);
        if (!khum_election_commune_find(e, s->commune))
            return khum_csv_field_error(csv, (size_t)c[1], err, KHUM_ERR_INPUT, "ELE.705",
                                        "station %s is in commune %s, which is not in "
                                        "communes.csv", s->code, s->commune);
    }
    return r < 0 ? err->code : KHUM_OK;
}

khum_code khum_election_read(khum_election *e, khum_csv *election, khum_csv *communes,
                             khum_csv *lists, khum_csv *stations, khum_err *err)
{
    return khum_election_read_folder(e, election, communes, lists, stations, NULL, err);
}

khum_code khum_election_read_folder(khum_election *e, khum_csv *election, khum_csv *communes,
                                    khum_csv *lists, khum_csv *stations, khum_csv *parties,
                                    khum_err *err)
{
    khum_code rc;
    e->src[0] = khum_arena_strdup(&e->arena, khum_csv_name(communes));
    e->src[1] = khum_arena_strdup(&e->arena, khum_csv_name(lists));
    e->src[2] = khum_arena_strdup(&e->arena, khum_csv_name(stations));
    if ((rc = read_election_row(e, election, err)) || (rc = read_communes(e, communes, err)))
        return rc;
    /* Communes are sorted now, so lists and stations can look them up. */
    if ((rc = sort_communes(e, err)))
        return rc;
    if ((rc = read_lists(e, lists, err)) || (rc = read_stations(e, stations, err)) ||
        (parties && (rc = election_take_parties(e, parties, err))))
        return rc;
    return khum_election_finish(e, err);  /* once: sorting and hashing 800,000 stations shows */
}

static int list_cmp(const void *pa, const void *pb)
{
    const khum_contest_list *a = pa, *b = pb;
    int c = strcmp(a->commune, b->commune);
    return c ? c : a->ballot_no - b->ballot_no;
}

static int station_cmp(const void *pa, const void *pb)
{
    const khum_station *a = pa, *b = pb;
    int c = strcmp(a->commune, b->commune);
    return c ? c : strcmp(a->code, b->code);
}

typedef struct by_code_ctx {
    size_t idx;
    const char *code;
} by_code;

static int by_code_cmp(const void *a, const void *b)
{
    return strcmp(((const by_code *)a)->code, ((const by_code *)b)->code);
}

/* One pointer per party name across all lists, so that checks and tallies
 * compare pointers before names. A few dozen parties at most: a small table. */
static void intern_parties(khum_election *e)
{
    const char *seen[256];
    size_t n = 0;
    for (size_t i = 0; i < e->nlists; i++) {
        size_t k = 0;
        while (k < n && strcmp(seen[k], e->lists[i].party) != 0)
            k++;
        if (k == n && n < sizeof seen / sizeof *seen)
            seen[n++] = e->lists[i].party;
        if (k < n)
            e->lists[i].party = seen[k];
    }
}

static khum_code check_lists(khum_election *e, khum_err *err)
{
    khum_sort(e->lists, e->nlists, sizeof *e->lists, list_cmp);
    for (size_t i = 1; i < e->nlists; i++) {
        const khum_contest_list *a = &e->lists[i - 1], *b = &e->lists[i];
        if (strcmp(a->commune, b->commune) == 0 && a->ballot_no == b->ballot_no) {
            char what[96];
            snprintf(what, sizeof what, "ballot number %d of commune %s", b->ballot_no,
                     b->commune);
            return dup_error(err, "ELE.704", e->src[1], a->line > b->line ? a->line : b->line,
                             a->line < b->line ? a->line : b->line, what);
        }
    }
    /* The same party twice in one commune: lists of a commune are adjacent. */
    for (size_t i = 0; i < e->nlists; i++)
        for (size_t j = i + 1; j < e->nlists && strcmp(e->lists[j].commune,
                                                        e->lists[i].commune) == 0; j++)
            if (strcmp(e->lists[i].party, e->lists[j].party) == 0) {
                char what[96];
                snprintf(what, sizeof what, "party %s in commune %s", e->lists[j].party,
                         e->lists[j].commune);
                long a = e->lists[i].line, b = e->lists[j].line;
                return dup_error(err, "ELE.704", e->src[1], a > b ? a : b, a < b ? a : b, what);
            }
    intern_parties(e);
    return KHUM_OK;
}

static khum_code index_stations(khum_election *e, khum_err *err)
{
    khum_sort(e->stations, e->nstations, sizeof *e->stations, station_cmp);
    by_code *order = malloc((e->nstations + 1) * sizeof *order);
    e->station_order = khum_arena_alloc(&e->arena, (e->nstations + 1) * sizeof(size_t));
    if (!order || !e->station_order) {
        free(order);
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    for (size_t i = 0; i < e->nstations; i++)
        order[i] = (by_code){i, e->stations[i].code};
    khum_sort(order, e->nstations, sizeof *order, by_code_cmp);
    for (size_t i = 0; i < e->nstations; i++) {
        e->station_order[i] = order[i].idx;
        if (i && strcmp(order[i].code, order[i - 1].code) == 0) {
            long a = e->stations[order[i - 1].idx].line, b = e->stations[order[i].idx].line;
            char what[64];
            snprintf(what, sizeof what, "station %s", order[i].code);
            free(order);
            return dup_error(err, "ELE.705", e->src[2], a > b ? a : b, a < b ? a : b, what);
        }
    }
    free(order);
    return KHUM_OK;
}

/* FNV-1a: station codes are short; this keeps a lookup to one probe or two. */
static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static khum_code build_station_hash(khum_election *e, khum_err *err)
{
    size_t cap = 16;
    while (cap < 2 * e->nstations)
        cap *= 2;
    e->station_hash = khum_arena_calloc(&e->arena, cap, sizeof *e->station_hash);
    if (!e->station_hash)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    e->station_hash_mask = cap - 1;
    for (size_t i = 0; i < e->nstations; i++) {
        size_t k = fnv1a(e->stations[i].code) & e->station_hash_mask;
        while (e->station_hash[k])
            k = (k + 1) & e->station_hash_mask;
        e->station_hash[k] = (uint32_t)(i + 1);
    }
    return KHUM_OK;
}

const khum_station *khum_election_station_find(const khum_election *e, const char *code)
{
    if (!e->station_hash)
        return NULL;
    for (size_t k = fnv1a(code) & e->station_hash_mask; e->station_hash[k];
         k = (k + 1) & e->station_hash_mask) {
        const khum_station *s = &e->stations[e->station_hash[k] - 1];
        if (strcmp(s->code, code) == 0)
            return s;
    }
    return NULL;
}

static void hash_line(khum_sha256 *st, khum_buf *b)
{
    khum_sha256_update(st, b->data, b->len);
    khum_buf_reset(b);
}

/* An election that names none of the rules added for other countries keeps
 * the text (and so the hash) it always had. */
static bool uses_v1(const khum_election *e)
{
    return khum_tie_rule_legacy(&e->tie_rule) && e->threshold_e4 == KHUM_THRESHOLD_NONE &&
           e->threshold_base == KHUM_BASE_VALID && e->posts == KHUM_POSTS_CHIEF_DEPUTIES &&
           e->nparties == 0;
}

/* The head of the canonical text: v1 as it always was, v2 with the rule set
 * and the election's own parties (fields quoted as CSV, so a comma in a
 * name cannot make two definitions read alike). */
static void put_head(const khum_election *e, khum_buf *b)
{
    if (uses_v1(e)) {
        khum_buf_printf(b, "khum-election-v1\nid=%s\nname=%s\ndate=%s\nmandate=%d\n"
                           "method=%s\ntie_rule=%s\nsynthetic=%d\n", e->id,
                        e->name ? e->name : "", e->date, e->mandate,
                        khum_method_name(e->method), khum_tie_rule_legacy(&e->tie_rule),
                        e->synthetic);
        return;
    }
    char tie[64], thr[16];
    khum_tie_rule_format(&e->tie_rule, tie, sizeof tie);
    khum_threshold_format(e->threshold_e4, thr, sizeof thr);
    khum_buf_printf(b, "khum-election-v2\nid=%s\nname=%s\ndate=%s\nmandate=%d\nmethod=%s\n"
                       "tie_rule=%s\nthreshold=%s\nthreshold_base=%s\nposts=%s\n"
                       "synthetic=%d\n", e->id, e->name ? e->name : "", e->date, e->mandate,
                    khum_method_name(e->method), tie, thr,
                    khum_threshold_base_name(e->threshold_base), khum_posts_name(e->posts),
                    e->synthetic);
    for (size_t i = 0; i < e->nparties; i++) {
        const khum_election_party *p = &e->parties[i];
        const char *f[] = {p->id, p->abbr, p->name_en, p->name_km, p->colour};
        khum_buf_puts(b, "party");
        for (int k = 0; k < 5; k++)
            khum_csv_put_field(b, f[k], false);
        khum_csv_end_row(b);
    }
}

/* The canonical text: one line per fact, in sorted order (docs/count.md). */
static khum_code compute_hash(khum_election *e)
{
    khum_sha256 st;
    khum_sha256_init(&st);
    khum_buf b;
    khum_buf_init(&b);
    put_head(e, &b);
    hash_line(&st, &b);
    for (size_t i = 0; i < e->ncommunes; i++) {
        khum_buf_printf(&b, "commune,%s,%d\n", e->communes[i].code, e->communes[i].seats);
        hash_line(&st, &b);
    }
    for (size_t i = 0; i < e->nlists; i++) {
        khum_buf_printf(&b, "list,%s,%d,%s\n", e->lists[i].commune, e->lists[i].ballot_no,
                        e->lists[i].party);
        hash_line(&st, &b);
    }
    for (size_t i = 0; i < e->nstations; i++) {
        const khum_station *s = &e->stations[e->station_order[i]];
        khum_buf_printf(&b, "station,%s,%s,%lld\n", s->code, s->commune,
                        (long long)s->registered);
        hash_line(&st, &b);
    }
    bool failed = b.failed;
    khum_buf_free(&b);
    khum_sha256_final_hex(&st, e->hash);
    return failed ? KHUM_ERR_NOMEM : KHUM_OK;
}

khum_code khum_election_set_areas(khum_election *e, const khum_gazetteer *g, khum_err *err)
{
    for (size_t i = 0; i < e->ncommunes; i++) {
        khum_election_commune *c = &e->communes[i];
        const khum_unit *u = g ? khum_gazetteer_find(g, KHUM_COMMUNE, c->code) : NULL;
        const khum_unit *d = u && u->parent_level != KHUM_PROVINCE
                                 ? khum_gazetteer_find(g, KHUM_DISTRICT, u->parent) : NULL;
        /* copied: the election outlives the gazetteer it was placed with */
        c->district = khum_arena_strdup(&e->arena, d ? d->code : "");
        c->province = khum_arena_strdup(&e->arena, d ? d->parent : u ? u->parent : "");
        if (!c->district || !c->province)
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    return KHUM_OK;
}

khum_code khum_election_finish(khum_election *e, khum_err *err)
{
    for (size_t i = 0; i < e->ncommunes; i++) {  /* built in memory without parents */
        if (!e->communes[i].province)
            e->communes[i].province = "";
        if (!e->communes[i].district)
            e->communes[i].district = "";
    }
    khum_code rc;
    if ((rc = sort_communes(e, err)) || (rc = check_lists(e, err)) ||
        (rc = index_stations(e, err)))
        return rc;
    size_t li = 0, si = 0;
    for (size_t i = 0; i < e->ncommunes; i++) {
        khum_election_commune *c = &e->communes[i];
        c->first_list = li;
        while (li < e->nlists && strcmp(e->lists[li].commune, c->code) == 0)
            li++;
        c->nlists = li - c->first_list;
        c->first_station = si;
        while (si < e->nstations && strcmp(e->stations[si].commune, c->code) == 0)
            e->stations[si++].commune_index = i;
        c->nstations = si - c->first_station;
        if (c->nlists == 0 || c->nstations == 0) {
            khum_err_set(err, KHUM_ERR_INPUT, "ELE.706", "commune %s has no %s", c->code,
                         c->nlists == 0 ? "contesting list (lists.csv)"
                                        : "polling station (stations.csv)");
            khum_err_at(err, e->src[0] ? e->src[0] : "", c->line, 0, NULL);
            return KHUM_ERR_INPUT;
        }
    }
    if (e->ncommunes == 0) {
        khum_err_set(err, KHUM_ERR_INPUT, "ELE.706", "the election covers no commune");
        khum_err_at(err, e->src[0] ? e->src[0] : "", 0, 0, NULL);
        return KHUM_ERR_INPUT;
    }
    if (compute_hash(e))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    return build_station_hash(e, err);
}
