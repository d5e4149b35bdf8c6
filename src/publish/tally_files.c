/*
 * tally_files.c (publish): a tally_view from files, no database. The forms
 * come in either results format: the wide one (one column per list) is
 * summed by khum_tally_csv, the fast path, the file mapped into memory and
 * cut into one piece per processor; the long one (a bundle's forms.csv and
 * form_votes.csv) is read and checked as `khum import results` reads it
 * (khum_app_read_results) and tallied with khum_tally_run. What the store
 * would add around the sums comes from the folder: area names from the
 * gazetteer or the bundle's results tables, official communes from the
 * forms' state column, explanations and lots from the bundle's files.
 */
#include <ctype.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "khum/app.h"
#include "khum/array.h"
#include "khum/str.h"
#include "tally_files.h"

/* ---- the election of a bundle -------------------------------------------- */

static const char *jstr(khum_arena *a, json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return khum_arena_strdup(a, s ? s : "");
}

static khum_code json_rules(json_t *j, khum_election *e, const char *path, khum_err *err)
{
    char why[128] = "";
    const char *method = json_string_value(json_object_get(j, "method"));
    const char *tie = json_string_value(json_object_get(j, "tie_rule"));
    const char *thr = json_string_value(json_object_get(j, "threshold"));
    const char *base = json_string_value(json_object_get(j, "threshold_base"));
    const char *posts = json_string_value(json_object_get(j, "posts"));
    e->threshold_e4 = KHUM_THRESHOLD_NONE;
    if (!method || !khum_method_parse(method, &e->method) ||
        (tie && !khum_tie_rule_parse(tie, &e->tie_rule, why, sizeof why)) ||
        (thr && !khum_threshold_parse(thr, &e->threshold_e4)) ||
        (base && !khum_threshold_base_parse(base, &e->threshold_base)) ||
        (posts && !khum_posts_parse(posts, &e->posts))) {
        khum_err_set(err, KHUM_ERR_INPUT, "TAB.912", "the election's rules cannot be read "
                     "(method, tie_rule, threshold, threshold_base or posts) %s", why);
        khum_err_at(err, path, 0, 0, NULL);
        return KHUM_ERR_INPUT;
    }
    return KHUM_OK;
}

static khum_code json_communes(json_t *arr, khum_election *e, khum_err *err)
{
    khum_arena *a = &e->arena;
    size_t nc = json_array_size(arr), nl = 0, ns = 0, i;
    json_t *c;
    json_array_foreach(arr, i, c) {
        nl += json_array_size(json_object_get(c, "lists"));
        ns += json_array_size(json_object_get(c, "stations"));
    }
    e->communes = khum_arena_calloc(a, nc + 1, sizeof *e->communes);
    e->lists = khum_arena_calloc(a, nl + 1, sizeof *e->lists);
    e->stations = khum_arena_calloc(a, ns + 1, sizeof *e->stations);
    if (!e->communes || !e->lists || !e->stations)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    json_array_foreach(arr, i, c) {
        const char *code = jstr(a, c, "code");
        e->communes[e->ncommunes++] = (khum_election_commune){
            .code = code, .province = jstr(a, c, "province"), .district = jstr(a, c, "district"),
            .seats = (int)json_integer_value(json_object_get(c, "seats"))};
        size_t k;
        json_t *x;
        json_array_foreach(json_object_get(c, "lists"), k, x)
            e->lists[e->nlists++] = (khum_contest_list){
                code, khum_arena_strdup(a, json_string_value(x) ? json_string_value(x) : ""),
                (int)k + 1, 0};
        json_array_foreach(json_object_get(c, "stations"), k, x)
            e->stations[e->nstations++] = (khum_station){
                jstr(a, x, "code"), code, json_integer_value(json_object_get(x, "registered")),
                0, 0};
    }
    return KHUM_OK;
}

khum_code tally_files_election_json(const char *path, khum_election *e, khum_err *err)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j || !json_is_array(json_object_get(j, "communes"))) {
        khum_err_set(err, KHUM_ERR_INPUT, "TAB.911", "not a bundle's election.json: %s",
                     j ? "no communes" : je.text);
        khum_err_at(err, path, j ? 0 : je.line, 0, NULL);
        json_decref(j);
        return KHUM_ERR_INPUT;
    }
    khum_arena *a = &e->arena;
    e->id = jstr(a, j, "id");
    e->name = jstr(a, j, "name");
    e->date = jstr(a, j, "date");
    e->mandate = (int)json_integer_value(json_object_get(j, "mandate"));
    e->synthetic = json_is_true(json_object_get(j, "synthetic"));
    e->tie_rule = khum_tie_rule_default();
    khum_code rc = json_rules(j, e, path, err);
    if (!rc)
        rc = json_communes(json_object_get(j, "communes"), e, err);
    if (!rc && (rc = khum_election_finish(e, err)))
        khum_err_at(err, path, 0, 0, NULL);
    /* the hash the publisher stated (its own lists, if any, are not in the file) */
    const char *hash = json_string_value(json_object_get(j, "hash"));
    if (!rc && hash && strlen(hash) == 64)
        memcpy(e->hash, hash, 65);
    json_decref(j);
    return rc;
}

/* ---- side files: a few named columns of a CSV ------------------------------ */

/* Every row's fields of the named columns (ncols per row, in arena a); a
 * file that is not there gives no rows. */
static khum_code read_columns(const char *path, const char *const *names, size_t ncols,
                              khum_arena *a, const char ***rows, size_t *n, khum_err *err)
{
    *rows = NULL;
    *n = 0;
    if (access(path, F_OK) != 0)
        return KHUM_OK;
    khum_csv *c;
    int col[8];
    khum_code rc = khum_csv_open_path(path, &c, err);
    if (rc)
        return rc;
    if ((rc = khum_csv_read_header(c, err)) || (rc = khum_csv_require(c, names, col, ncols, err))) {
        khum_csv_close(c);
        return rc;
    }
    size_t cap = 0;
    int r;
    while ((r = khum_csv_next(c, err)) > 0) {
        if (!(*rows = khum_grow(*rows, *n, &cap, sizeof **rows * ncols, a)))
            return khum_csv_close(c), khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        for (size_t k = 0; k < ncols; k++)
            (*rows)[*n * ncols + k] = khum_arena_strdup(a, khum_csv_get(c, (size_t)col[k]));
        (*n)++;
    }
    khum_csv_close(c);
    return r < 0 ? err->code : KHUM_OK;
}

static int by_name_code(const void *x, const void *y)
{
    return strcmp(((const khum_area_name *)x)->code, ((const khum_area_name *)y)->code);
}

/* Names of the areas: the gazetteer's, else those a bundle's tables print. */
/* The country the provinces' ISO 3166-2 codes share, or "" (none, or
 * several): the rule khum_store_country applies to a stored gazetteer. */
static void gazetteer_country(const khum_gazetteer *g, char out[3])
{
    out[0] = 0;
    for (size_t i = 0; i < g->n; i++) {
        const char *iso = g->units[i].level == KHUM_PROVINCE ? g->units[i].iso3166_2 : NULL;
        if (!iso || strlen(iso) < 4 || iso[2] != '-')
            continue;
        char cc[3] = {(char)toupper((unsigned char)iso[0]), (char)toupper((unsigned char)iso[1]), 0};
        if (out[0] && strcmp(out, cc)) {
            out[0] = 0;
            return;
        }
        memcpy(out, cc, 3);
    }
}

/* A bundle names its nation in results_nation.csv (what the publishing
 * database called it): keep that name. */
static khum_code load_nation_name(const tally_files *in, tally_view *v, khum_err *err)
{
    static const char *const cols[] = {"area", "name"};
    char path[4200];
    snprintf(path, sizeof path, "%s/results_nation.csv", in->dir);
    const char **rows;
    size_t n;
    khum_code rc = read_columns(path, cols, 2, &v->arena, &rows, &n, err);
    if (!rc && n)
        v->nation_name = rows[1];
    return rc;
}

static khum_code load_names(const tally_files *in, tally_view *v, khum_err *err)
{
    khum_arena *a = &v->arena;
    size_t cap = 0;
    if (in->g) {
        for (size_t i = 0; i < in->g->n; i++) {
            const khum_unit *u = &in->g->units[i];
            if (u->level == KHUM_VILLAGE)
                continue;
            if (!(v->names = khum_grow(v->names, v->nnames, &cap, sizeof *v->names, a)))
                return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            v->names[v->nnames++] = (khum_area_name){
                khum_arena_strdup(a, u->code), khum_arena_strdup(a, u->name_latin),
                khum_arena_strdup(a, u->name_km ? u->name_km : ""), "", u->lat, u->lon};
        }
        gazetteer_country(in->g, v->country);
    } else {
        khum_code rn = load_nation_name(in, v, err);
        if (rn)
            return rn;
        static const char *const files[] = {"results_province.csv", "results_district.csv",
                                            "results_commune.csv"};
        static const char *const cols[] = {"area", "name"};
        for (size_t f = 0; f < 3; f++) {
            char path[4200];
            snprintf(path, sizeof path, "%s/%s", in->dir, files[f]);
            const char **rows;
            size_t n;
            khum_code rc = read_columns(path, cols, 2, a, &rows, &n, err);
            if (rc)
                return rc;
            for (size_t i = 0; i < n; i++) {
                if (v->nnames && !strcmp(v->names[v->nnames - 1].code, rows[2 * i]))
                    continue;  /* one row per party: the name once */
                if (!(v->names = khum_grow(v->names, v->nnames, &cap, sizeof *v->names, a)))
                    return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
                v->names[v->nnames++] = (khum_area_name){rows[2 * i], rows[2 * i + 1], "", "",
                                                         0, 0};
            }
        }
    }
    khum_sort(v->names, v->nnames, sizeof *v->names, by_name_code);
    return KHUM_OK;
}

static int by_string(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Official communes: every station of the commune has a form the file
 * states official (a bundle's forms.csv; other files state nothing). */
static khum_code load_official(const tally_files *in, tally_view *v, khum_err *err)
{
    khum_csv *c;
    khum_code rc = khum_csv_open_path(in->forms, &c, err);
    if (rc)
        return rc;
    bool states = !(rc = khum_csv_read_header(c, err)) && khum_csv_col(c, "state") >= 0;
    khum_csv_close(c);
    if (!states)
        return rc;
    static const char *const cols[] = {"station", "state"};
    const char **rows;
    size_t n;
    if ((rc = read_columns(in->forms, cols, 2, &v->arena, &rows, &n, err)))
        return rc;
    size_t *official = calloc(v->e.ncommunes + 1, sizeof *official);
    v->official = khum_arena_alloc(&v->arena, (v->e.ncommunes + 1) * sizeof *v->official);
    if (!official || !v->official) {
        free(official);
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const khum_station *st = khum_election_station_find(&v->e, rows[2 * i]);
        if (st && !strcmp(rows[2 * i + 1], "official"))
            official[st->commune_index]++;
    }
    for (size_t i = 0; i < v->e.ncommunes; i++)
        if (official[i] == v->e.communes[i].nstations)
            v->official[v->nofficial++] = v->e.communes[i].code;
    free(official);
    khum_sort(v->official, v->nofficial, sizeof *v->official, by_string);
    return KHUM_OK;
}

static khum_code load_explanations(const tally_files *in, tally_view *v, khum_err *err)
{
    static const char *const cols[] = {"station", "code", "text"};
    char path[4200];
    snprintf(path, sizeof path, "%s/explanations.csv", in->dir);
    const char **rows;
    size_t n;
    khum_code rc = read_columns(path, cols, 3, &v->arena, &rows, &n, err);
    if (rc || !n)
        return rc;
    if (!(v->expl = khum_arena_alloc(&v->arena, n * sizeof *v->expl)))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < n; i++)
        v->expl[i] = (khum_explanation_row){rows[3 * i], rows[3 * i + 1], rows[3 * i + 2]};
    v->nexpl = n;
    return KHUM_OK;
}

static khum_code load_lots(const tally_files *in, khum_arena *a, khum_commune_lots **lots,
                           size_t *n, khum_err *err)
{
    static const char *const cols[] = {"commune", "seed"};
    char path[4200];
    snprintf(path, sizeof path, "%s/lots.csv", in->dir);
    const char **rows;
    khum_code rc = read_columns(path, cols, 2, a, &rows, n, err);
    *lots = rc || !*n ? NULL : khum_arena_alloc(a, *n * sizeof **lots);
    if (!rc && *n && !*lots)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; !rc && i < *n; i++)
        (*lots)[i] = (khum_commune_lots){rows[2 * i], rows[2 * i + 1]};
    return rc;
}

/* Party labels: the election's own lists, else the registry given. */
static khum_code load_parties(const tally_files *in, tally_view *v, khum_err *err)
{
    if (!v->e.nparties) {
        v->parties = (khum_party *)in->registry;  /* read-only: tally_view only reads it */
        v->nparties = in->nregistry;
        return KHUM_OK;
    }
    if (!(v->parties = khum_arena_calloc(&v->arena, v->e.nparties, sizeof *v->parties)))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < v->e.nparties; i++) {
        const khum_election_party *p = &v->e.parties[i];
        v->parties[v->nparties++] = (khum_party){.id = p->id, .abbr = p->abbr,
                                                 .name_km = p->name_km, .name_en = p->name_en,
                                                 .colour = p->colour, .registered = "",
                                                 .dissolved = ""};
    }
    return KHUM_OK;
}

/* ---- the tally ------------------------------------------------------------ */

static khum_code refused(const char *path, size_t bad, size_t rows, khum_err *err)
{
    khum_err_set(err, KHUM_ERR_INPUT, "TAB.910", "%zu of %zu row%s refused (listed above): "
                 "no results from a file with rows that break the rules", bad, rows,
                 rows == 1 ? "" : "s");
    khum_err_at(err, path, 0, 0, NULL);
    return KHUM_ERR_INPUT;
}

/* The wide format: the file mapped into memory, summed by khum_tally_csv. */
static khum_code tally_wide(const tally_files *in, tally_view *v,
                            const khum_commune_lots *lots, size_t nlots, khum_diags *rejected,
                            khum_err *err)
{
    int fd = open(in->forms, O_RDONLY);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        if (fd >= 0)
            close(fd);
        khum_err_set(err, KHUM_ERR_INPUT, "CSV.110", "cannot open the results file");
        khum_err_at(err, in->forms, 0, 0, NULL);
        return KHUM_ERR_INPUT;
    }
    size_t len = (size_t)sb.st_size;
    const char *data = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : "";
    close(fd);
    if (data == MAP_FAILED) {
        khum_err_set(err, KHUM_ERR_IO, "IO.802", "read error");
        khum_err_at(err, in->forms, 0, 0, NULL);
        return KHUM_ERR_IO;
    }
    khum_tally_csv_report rep;
    khum_code rc = khum_tally_csv(&v->e, in->forms, data, len, in->threads, lots, nlots, &v->t,
                                  &rep, err);
    if (!rc && rep.rejected.n) {
        for (size_t i = 0; i < rep.rejected.n; i++)
            khum_diags_add(rejected, &rep.rejected.items[i]);
        rc = refused(in->forms, rep.rejected.n, rep.rows, err);
    }
    khum_tally_csv_report_free(&rep);
    if (len)
        munmap((void *)data, len);
    return rc;
}

/* The long format (or a wide file read as the import reads it). */
static khum_code tally_long(const tally_files *in, tally_view *v,
                            const khum_commune_lots *lots, size_t nlots, khum_diags *rejected,
                            khum_err *err)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_results_forms f;
    khum_results_report rep;
    khum_code rc = khum_app_read_results(&v->e, in->forms, in->votes, &a, &f, rejected, &rep,
                                         err);
    if (!rc && rep.rejected)
        rc = refused(in->forms, rep.rejected, rep.rows, err);
    if (!rc)
        rc = khum_tally_run(&v->e, f.f, f.n, lots, nlots, &v->t, err);
    khum_arena_free(&a);
    return rc;
}

khum_code tally_view_load_files(const tally_files *in, tally_view *v, khum_diags *rejected,
                                khum_err *err)
{
    khum_election e = v->e;  /* the caller's: everything else starts empty */
    memset(v, 0, sizeof *v);
    v->e = e;
    khum_arena_init(&v->arena, 0);
    khum_commune_lots *lots;
    size_t nlots;
    khum_code rc = load_lots(in, &v->arena, &lots, &nlots, err);
    if (!rc)
        rc = in->votes ? tally_long(in, v, lots, nlots, rejected, err)
                       : tally_wide(in, v, lots, nlots, rejected, err);
    if (!rc && !(rc = load_names(in, v, err)) && !(rc = load_official(in, v, err)) &&
        !(rc = load_explanations(in, v, err)))
        rc = load_parties(in, v, err);
    if (rc)
        tally_view_free(v);
    return rc;
}
