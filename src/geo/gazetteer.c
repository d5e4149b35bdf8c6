/*
 * gazetteer.c: reading the administrative units from pumi CSVs and from raw
 * NCDD exports, and checking them as one tree. A pumi file names each unit's
 * parent in a column (a council may sit right under its province); only the
 * NCDD reader derives it from the code's prefix. Units are kept in one array;
 * khum_gazetteer_check sorts it by (level, code), which both finds duplicates
 * and leaves parents before children, the order the store inserts them in.
 */
#include "khum/array.h"
#include "khum/geo.h"
#include "khum/str.h"

#include <stdio.h>
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

static const khum_unit *find_sorted(const khum_gazetteer *g, khum_level l,
                                    const char *code);

const khum_unit *khum_gazetteer_find(const khum_gazetteer *g, khum_level l,
                                     const char *code)
{
    if (g->sorted)
        return find_sorted(g, l, code);
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
    g->sorted = false;
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
    if (!khum_is_area_code(code))
        return khum_csv_field_error(csv, (size_t)col, err, KHUM_ERR_INPUT, "GEO.201",
                                    "%s code '%s' must be 1 to %d letters and digits",
                                    khum_level_name(l), code, KHUM_AREA_CODE_MAX);
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

/* The columns that name a unit's parent (the first of a name list is the
 * pumi name). A commune names its district, or only its province when the
 * country has no district level (Spain, Portugal's municipal councils). */
typedef struct parent_cols {
    int district, province, commune;
} parent_cols;

static khum_code find_parent_cols(khum_csv *csv, khum_level l, parent_cols *pc,
                                  khum_err *err)
{
    pc->province = l == KHUM_DISTRICT || l == KHUM_COMMUNE
                       ? khum_csv_col(csv, "province_code|province") : -1;
    pc->district = l == KHUM_COMMUNE ? khum_csv_col(csv, "district_code|district") : -1;
    pc->commune = l == KHUM_VILLAGE ? khum_csv_col(csv, "commune_code|commune") : -1;
    static const char *const want[] = {"", "", "province_code",
                                       ("district_code' or 'province_code"), "commune_code"};
    if (l != KHUM_PROVINCE && pc->province < 0 && pc->district < 0 && pc->commune < 0) {
        khum_err_set(err, KHUM_ERR_INPUT, "GEO.202", "a %s file needs the column '%s' "
                     "naming each unit's parent", khum_level_name(l), want[l]);
        khum_err_at(err, khum_csv_name(csv), 1, 0, NULL);
        return KHUM_ERR_INPUT;
    }
    return KHUM_OK;
}

/* Set u's parent from its row: the code in the parent column, as given. */
static khum_code read_parent(khum_gazetteer *g, khum_csv *csv, const parent_cols *pc,
                             khum_unit *u, khum_err *err)
{
    const char *prov = pc->province >= 0 ? khum_csv_get(csv, (size_t)pc->province) : "";
    const char *dist = pc->district >= 0 ? khum_csv_get(csv, (size_t)pc->district) : "";
    int col = -1;
    u->parent = u->province = "";
    if (u->level == KHUM_PROVINCE)
        return KHUM_OK;
    if (u->level == KHUM_VILLAGE) {
        col = pc->commune;
        u->parent_level = KHUM_COMMUNE;
    } else if (u->level == KHUM_COMMUNE && *dist) {
        col = pc->district;
        u->parent_level = KHUM_DISTRICT;
        u->province = khum_arena_strdup(&g->arena, prov);
    } else {
        col = pc->province;
        u->parent_level = KHUM_PROVINCE;
    }
    const char *code = col >= 0 ? khum_csv_get(csv, (size_t)col) : "";
    size_t at = (size_t)(col >= 0 ? col : pc->province >= 0 ? pc->province : pc->district);
    if (!*code)
        return khum_csv_field_error(csv, at, err, KHUM_ERR_INPUT, "GEO.202",
                                    "%s %s names no %s it belongs to", khum_level_name(u->level),
                                    u->code, khum_level_name(u->parent_level));
    if (!khum_is_area_code(code))
        return khum_csv_field_error(csv, at, err, KHUM_ERR_INPUT, "GEO.201",
                                    "%s code '%s' must be 1 to %d letters and digits",
                                    khum_level_name(u->parent_level), code, KHUM_AREA_CODE_MAX);
    u->parent = khum_arena_strdup(&g->arena, code);
    if (!u->parent || !u->province)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    return KHUM_OK;
}

khum_code khum_gazetteer_read_pumi(khum_gazetteer *g, khum_level l, khum_csv *csv,
                                   khum_err *err)
{
    khum_code rc = khum_csv_read_header(csv, err);
    if (rc)
        return rc;
    static const char *const req[] = {"code", "name_latin"};
    int ix[2];
    parent_cols pc;
    if ((rc = khum_csv_require(csv, req, ix, 2, err)) ||
        (rc = find_parent_cols(csv, l, &pc, err)))
        return rc;
    int ckm = khum_csv_col(csv, "name_km");
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
        if (!u->code)
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        if ((rc = check_code(csv, ix[0], l, u->code, err)) ||
            (rc = read_parent(g, csv, &pc, u, err)))
            return rc;
        u->name_km = dup_col(g, csv, ckm);
        u->name_latin = dup_col(g, csv, ix[1]);
        if (!u->name_km || !u->name_latin)
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        /* A file with Khmer names (Cambodia) needs one for every unit and a
         * Latin name above village level (one village lacks a romanisation
         * in the 2026 pumi data); a file without that column, every Latin
         * name. */
        if (ckm >= 0 && khum_is_blank(u->name_km))
            return khum_csv_field_error(csv, (size_t)ckm, err, KHUM_ERR_INPUT, "GEO.205",
                                        "%s %s has no Khmer name", khum_level_name(l), u->code);
        if ((ckm < 0 || l != KHUM_VILLAGE) && khum_is_blank(u->name_latin))
            return khum_csv_field_error(csv, (size_t)ix[1], err, KHUM_ERR_INPUT, "GEO.205",
                                        "%s %s has no Latin name", khum_level_name(l), u->code);
        u->name_ungegn = dup_col(g, csv, cung);
        u->unit_km = dup_col(g, csv, cukm);
        u->unit_latin = dup_col(g, csv, cula);
        u->unit_en = dup_col(g, csv, cuen);
        u->iso3166_2 = dup_col(g, csv, ciso);
        if ((rc = read_centroid(csv, clat, clon, u, err)))
            return rc;
    }
    return r < 0 ? err->code : KHUM_OK;
}

/* The unit of any level with this code (codes are unique across levels). */
static const khum_unit *find_any(const khum_gazetteer *g, const char *code)
{
    for (int l = KHUM_PROVINCE; l <= KHUM_VILLAGE; l++) {
        const khum_unit *u = find_sorted(g, (khum_level)l, code);
        if (u)
            return u;
    }
    return NULL;
}

static khum_code unit_error(khum_err *err, const khum_unit *u, const char *rule,
                            const char *fmt, const char *a, const char *b, const char *c)
{
    khum_err_set(err, KHUM_ERR_INPUT, rule, fmt, khum_level_name(u->level), u->code, a, b, c);
    khum_err_at(err, u->source, u->line, 1, "code");
    return KHUM_ERR_INPUT;
}

/* The area table keys every unit by its code alone, so a code may name one
 * unit of one level only: a second one, at any level, is a duplicate. */
static khum_code check_duplicates(const khum_gazetteer *g, khum_err *err)
{
    for (size_t i = 0; i < g->n; i++) {
        const khum_unit *u = &g->units[i];
        if (i > 0 && unit_cmp(&g->units[i - 1], u) == 0) {
            const khum_unit *first = &g->units[i - 1];
            if (first->line > u->line) {  /* report the later line, name the earlier */
                const khum_unit *t = first;
                first = u;
                u = t;
            }
            char line[24];
            snprintf(line, sizeof line, "%ld", first->line);
            return unit_error(err, u, "GEO.203", "duplicate %s code %s (first defined on "
                              "line %s)%s%s", line, "", "");
        }
        for (int l = KHUM_PROVINCE; l < (int)u->level; l++) {
            const khum_unit *first = find_sorted(g, (khum_level)l, u->code);
            if (first)
                return unit_error(err, u, "GEO.203", "%s code %s is already the code of %s "
                                  "%s (%s): a code names one unit at one level",
                                  khum_level_name(first->level), first->code, first->source);
        }
    }
    return KHUM_OK;
}

static khum_code check_parent(const khum_gazetteer *g, const bool *present,
                              const khum_unit *u, khum_err *err)
{
    if (strcmp(u->parent, u->code) == 0)
        return unit_error(err, u, "GEO.213", "%s %s is its own parent%s%s%s", "", "", "");
    khum_level pl = u->parent_level;
    if (!pl || !present[pl])
        return KHUM_OK;  /* the parent level is not in this input: the store checks it */
    const khum_unit *p = find_sorted(g, pl, u->parent);
    if (!p) {
        const khum_unit *other = find_any(g, u->parent);
        if (other)
            return unit_error(err, u, "GEO.213", "%s %s belongs to %s, which is a %s, not a %s: "
                              "a unit's parent is at a level above it (no cycle)", u->parent,
                              khum_level_name(other->level), khum_level_name(pl));
        return unit_error(err, u, "GEO.204", "%s %s belongs to %s %s, which is not in the "
                          "gazetteer%s", khum_level_name(pl), u->parent, "");
    }
    if (u->province && *u->province && strcmp(p->parent, u->province) != 0 && present[1])
        return unit_error(err, u, "GEO.202", "%s %s is in district %s, which is in province %s, "
                          "not in province %s", u->parent, p->parent, u->province);
    return KHUM_OK;
}

khum_code khum_gazetteer_check(khum_gazetteer *g, khum_err *err)
{
    if (g->n)  /* qsort with a NULL array is undefined even for no element */
        khum_sort(g->units, g->n, sizeof *g->units, unit_cmp);
    g->sorted = true;
    bool present[5] = {false};
    for (size_t i = 0; i < g->n; i++)
        present[g->units[i].level] = true;
    khum_code rc = check_duplicates(g, err);
    for (size_t i = 0; i < g->n && !rc; i++)
        if (g->units[i].level != KHUM_PROVINCE)
            rc = check_parent(g, present, &g->units[i], err);
    return rc;
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
