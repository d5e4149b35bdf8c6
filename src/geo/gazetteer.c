/*
 * gazetteer.c: reading the administrative units from pumi CSVs and from raw
 * NCDD exports, and checking them as one tree. Units are kept in one array;
 * khum_gazetteer_check sorts it by (level, code), which both finds duplicates
 * and leaves parents before children, the order the store inserts them in.
 */
#include "khum/array.h"
#include "khum/geo.h"
#include "khum/str.h"

#include <stdlib.h>
#include <string.h>

const char *khum_level_name(khum_level l)
{
    switch (l) {
    case KHUM_PROVINCE: return "province";
    case KHUM_DISTRICT: return "district";
    case KHUM_COMMUNE: return "commune";
    case KHUM_VILLAGE: return "village";
    }
    return "unit";
}

size_t khum_level_code_len(khum_level l)
{
    return (size_t)l * 2;
}

void khum_gazetteer_init(khum_gazetteer *g)
{
    memset(g, 0, sizeof *g);
    khum_arena_init(&g->arena, 0);
}

void khum_gazetteer_free(khum_gazetteer *g)
{
    khum_arena_free(&g->arena);
    free(g->units);
    memset(g, 0, sizeof *g);
}

size_t khum_gazetteer_count(const khum_gazetteer *g, khum_level l)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n; i++)
        n += g->units[i].level == l;
    return n;
}

static int unit_cmp(const void *pa, const void *pb)
{
    const khum_unit *a = pa, *b = pb;
    if (a->level != b->level)
        return (int)a->level - (int)b->level;
    return strcmp(a->code, b->code);
}

const khum_unit *khum_gazetteer_find(const khum_gazetteer *g, khum_level l,
                                     const char *code)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->units[i].level == l && strcmp(g->units[i].code, code) == 0)
            return &g->units[i];
    return NULL;
}

/* Binary search, valid only after khum_gazetteer_check sorted the array. */
static const khum_unit *find_sorted(const khum_gazetteer *g, khum_level l,
                                    const char *code)
{
    khum_unit key = {.level = l, .code = code};
    return bsearch(&key, g->units, g->n, sizeof key, unit_cmp);
}

static khum_unit *add_unit(khum_gazetteer *g, khum_err *err)
{
    khum_unit *p = khum_grow(g->units, g->n, &g->cap, sizeof *p, NULL);
    if (!p) {
        khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        return NULL;
    }
    g->units = p;
    khum_unit *u = &g->units[g->n++];
    memset(u, 0, sizeof *u);
    return u;
}

khum_code khum_gazetteer_add(khum_gazetteer *g, const khum_unit *u, khum_err *err)
{
    khum_unit *slot = add_unit(g, err);
    if (!slot)
        return KHUM_ERR_NOMEM;
    *slot = *u;
    return KHUM_OK;
}

/* Copy field `col` of the current record into the arena ("" when col < 0). */
static const char *dup_col(khum_gazetteer *g, khum_csv *csv, int col)
{
    if (col < 0)
        return "";
    return khum_arena_strndup(&g->arena, khum_csv_get(csv, (size_t)col),
                              khum_csv_len(csv, (size_t)col));
}

static khum_code check_code(khum_csv *csv, int col, khum_level l, const char *code,
                            khum_err *err)
{
    if (!khum_is_digits(code, khum_level_code_len(l)))
        return khum_csv_field_error(csv, (size_t)col, err, KHUM_ERR_INPUT, "GEO.201",
                                    "%s code '%s' must be %zu digits", khum_level_name(l),
                                    code, khum_level_code_len(l));
    return KHUM_OK;
}

static khum_code read_centroid(khum_csv *csv, int clat, int clon, khum_unit *u,
                               khum_err *err)
{
    if (clat < 0 || clon < 0)
        return KHUM_OK;
    const char *slat = khum_csv_get(csv, (size_t)clat), *slon = khum_csv_get(csv, (size_t)clon);
    if (!*slat && !*slon)
        return KHUM_OK;
    if (!khum_parse_double(slat, &u->lat) || u->lat < -90 || u->lat > 90)
        return khum_csv_field_error(csv, (size_t)clat, err, KHUM_ERR_INPUT, "GEO.206",
                                    "latitude '%s' is not a number from -90 to 90", slat);
    if (!khum_parse_double(slon, &u->lon) || u->lon < -180 || u->lon > 180)
        return khum_csv_field_error(csv, (size_t)clon, err, KHUM_ERR_INPUT, "GEO.206",
                                    "longitude '%s' is not a number from -180 to 180", slon);
    u->has_centroid = true;
    return KHUM_OK;
}

static const char *parent_column(khum_level l)
{
    switch (l) {
    case KHUM_DISTRICT: return "province_code|province";
    case KHUM_COMMUNE: return "district_code|district";
    case KHUM_VILLAGE: return "commune_code|commune";
    default: return NULL;
    }
}

khum_code khum_gazetteer_read_pumi(khum_gazetteer *g, khum_level l, khum_csv *csv,
                                   khum_err *err)
{
    khum_code rc = khum_csv_read_header(csv, err);
    if (rc)
        return rc;
    static const char *const req[] = {"code", "name_km", "name_latin"};
    int ix[3];
    if ((rc = khum_csv_require(csv, req, ix, 3, err)))
        return rc;
    int cparent = parent_column(l) ? khum_csv_col(csv, parent_column(l)) : -1;
    int cprov = l == KHUM_COMMUNE ? khum_csv_col(csv, "province_code") : -1;
    int cung = khum_csv_col(csv, "name_ungegn"), cukm = khum_csv_col(csv, "unit_km");
    int cula = khum_csv_col(csv, "unit_latin"), cuen = khum_csv_col(csv, "unit_en");
    int ciso = khum_csv_col(csv, "iso3166_2");
    int clat = khum_csv_col(csv, "lat|latitude"), clon = khum_csv_col(csv, "long|lon|longitude");
    const char *source = khum_arena_strdup(&g->arena, khum_csv_name(csv));
    if (!source)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    int r;
    while ((r = khum_csv_next(csv, err)) > 0) {
        khum_unit *u = add_unit(g, err);
        if (!u)
            return KHUM_ERR_NOMEM;
        u->level = l;
        u->source = source;
        u->line = khum_csv_line(csv);
        u->code = dup_col(g, csv, ix[0]);
        if ((rc = check_code(csv, ix[0], l, u->code, err)))
            return rc;
        size_t plen = khum_level_code_len(l) - 2;
        u->parent = khum_arena_strndup(&g->arena, u->code, plen);
        if (cparent >= 0 && strcmp(khum_csv_get(csv, (size_t)cparent), u->parent) != 0)
            return khum_csv_field_error(csv, (size_t)cparent, err, KHUM_ERR_INPUT, "GEO.202",
                                        "%s %s is not inside '%s': a unit's code starts with its parent's code",
                                        khum_level_name(l), u->code,
                                        khum_csv_get(csv, (size_t)cparent));
        if (cprov >= 0 && strncmp(khum_csv_get(csv, (size_t)cprov), u->code, 2) != 0)
            return khum_csv_field_error(csv, (size_t)cprov, err, KHUM_ERR_INPUT, "GEO.202",
                                        "commune %s is not inside province '%s'", u->code,
                                        khum_csv_get(csv, (size_t)cprov));
        u->name_km = dup_col(g, csv, ix[1]);
        u->name_latin = dup_col(g, csv, ix[2]);
        /* Every unit needs its Khmer name; villages may lack a romanisation
         * (one does in the 2026 pumi data), higher levels may not. */
        for (int k = 1; k <= (l == KHUM_VILLAGE ? 1 : 2); k++)
            if (khum_is_blank(khum_csv_get(csv, (size_t)ix[k])))
                return khum_csv_field_error(csv, (size_t)ix[k], err, KHUM_ERR_INPUT, "GEO.205",
                                            "%s %s has no %s", khum_level_name(l), u->code,
                                            k == 1 ? "Khmer name" : "Latin name");
        u->name_ungegn = dup_col(g, csv, cung);
        u->unit_km = dup_col(g, csv, cukm);
        u->unit_latin = dup_col(g, csv, cula);
        u->unit_en = dup_col(g, csv, cuen);
        u->iso3166_2 = dup_col(g, csv, ciso);
        if ((rc = read_centroid(csv, clat, clon, u, err)))
            return rc;
        if (!u->code || !u->name_km || !u->name_latin || !u->parent)
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    return r < 0 ? err->code : KHUM_OK;
}

khum_code khum_gazetteer_check(khum_gazetteer *g, khum_err *err)
{
    if (g->n)  /* qsort with a NULL array is undefined even for no element */
        khum_sort(g->units, g->n, sizeof *g->units, unit_cmp);
    bool present[5] = {false};
    for (size_t i = 0; i < g->n; i++)
        present[g->units[i].level] = true;
    for (size_t i = 0; i < g->n; i++) {
        const khum_unit *u = &g->units[i];
        if (i > 0 && unit_cmp(&g->units[i - 1], u) == 0) {
            const khum_unit *first = &g->units[i - 1];
            if (first->line > u->line) {  /* report the later line, name the earlier */
                const khum_unit *t = first;
                first = u;
                u = t;
            }
            khum_err_set(err, KHUM_ERR_INPUT, "GEO.203",
                         "duplicate %s code %s (first defined on line %ld)",
                         khum_level_name(u->level), u->code, first->line);
            khum_err_at(err, u->source, u->line, 1, "code");
            return KHUM_ERR_INPUT;
        }
        if (u->level == KHUM_PROVINCE || !present[u->level - 1])
            continue;  /* the parent level is not in this input: the store checks it */
        if (!find_sorted(g, (khum_level)(u->level - 1), u->parent)) {
            khum_err_set(err, KHUM_ERR_INPUT, "GEO.204",
                         "%s %s belongs to %s %s, which is not in the gazetteer",
                         khum_level_name(u->level), u->code,
                         khum_level_name((khum_level)(u->level - 1)), u->parent);
            khum_err_at(err, u->source, u->line, 1, "code");
            return KHUM_ERR_INPUT;
        }
    }
    return KHUM_OK;
}

static void diff_note(khum_diags *out, const char *rule, const khum_unit *u,
                      const char *fmt, const char *x, const char *y)
{
    khum_err e;
    khum_err_clear(&e);
    khum_err_set(&e, KHUM_ERR_INPUT, rule, fmt, khum_level_name(u->level), u->code, x, y);
    khum_err_at(&e, u->source, u->line, 0, NULL);
    khum_diags_add(out, &e);
}

size_t khum_gazetteer_diff(const khum_gazetteer *a, const khum_gazetteer *b,
                           const char *prefix, khum_diags *out)
{
    size_t before = out->n, plen = strlen(prefix);
    for (size_t i = 0; i < a->n; i++) {
        const khum_unit *u = &a->units[i];
        if (strncmp(u->code, prefix, plen) != 0 || u->line == 0)
            continue;
        const khum_unit *v = find_sorted(b, u->level, u->code);
        if (v && v->line == 0)
            continue;  /* made up from a title line: nothing to compare */
        if (!v) {
            if (khum_gazetteer_count(b, u->level))
                diff_note(out, "GEO.210", u, "%s %s (%s) is in the reference but not in this input%s",
                          u->name_latin, "");
        } else if (strcmp(u->name_km, v->name_km) != 0) {
            diff_note(out, "GEO.212", v, "%s %s: Khmer name '%s' differs from '%s'",
                      v->name_km, u->name_km);
        } else if (strcmp(u->name_latin, v->name_latin) != 0) {
            diff_note(out, "GEO.212", v, "%s %s: Latin name '%s' differs from '%s'",
                      v->name_latin, u->name_latin);
        }
    }
    for (size_t i = 0; i < b->n; i++) {
        const khum_unit *v = &b->units[i];
        if (strncmp(v->code, prefix, plen) != 0 || v->line == 0)
            continue;
        if (!find_sorted(a, v->level, v->code) && khum_gazetteer_count(a, v->level))
            diff_note(out, "GEO.211", v, "%s %s (%s) is in this input but not in the reference%s",
                      v->name_latin, "");
    }
    return out->n - before;
}
