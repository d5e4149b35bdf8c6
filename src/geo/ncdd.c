/*
 * ncdd.c: the raw gazetteer export of the National Committee for Sub-National
 * Democratic Development (db.ncdd.gov.kh), exactly as NCDD publishes it:
 *
 *   "List of Gazetter Code for ""Kampong Cham""",,,,,,
 *   ,,,,,,
 *   Type,Code,"Name (Khmer)","Name (Latin)",Reference,"Official Note",...
 *   ស្រុក,301,បាធាយ,Batheay,...
 *
 * Type is the Khmer word for the unit; codes drop the leading zero of the
 * province (301 is district 0301). The province itself has no row: it is
 * named only in the title, so it is added with that Latin name and line 0.
 */
#include "khum/geo.h"

#include <stdio.h>
#include <string.h>

typedef struct unit_word {
    const char *km, *latin, *en;
    khum_level level;
} unit_word;

static const unit_word unit_words[] = {
    {"ស្រុក", "Srok", "District", KHUM_DISTRICT},
    {"ក្រុង", "Krong", "Municipality", KHUM_DISTRICT},
    {"ខណ្ឌ", "Khan", "Section", KHUM_DISTRICT},
    {"ឃុំ", "Khum", "Commune", KHUM_COMMUNE},
    {"សង្កាត់", "Sangkat", "Quarter", KHUM_COMMUNE},
    {"ភូមិ", "Phum", "Village", KHUM_VILLAGE},
};

static const unit_word *find_word(const char *km)
{
    for (size_t i = 0; i < sizeof unit_words / sizeof *unit_words; i++)
        if (strcmp(unit_words[i].km, km) == 0)
            return &unit_words[i];
    return NULL;
}

/* `List of Gazetter Code for "Kampong Cham"` -> Kampong Cham */
static bool parse_title(const char *t, char *out, size_t cap)
{
    const char *q = strchr(t, '"');
    if (!strstr(t, "Gazetter Code") && !strstr(t, "Gazetteer Code"))
        return false;
    if (!q)
        return false;
    const char *e = strchr(q + 1, '"');
    if (!e || (size_t)(e - q - 1) >= cap)
        return false;
    memcpy(out, q + 1, (size_t)(e - q - 1));
    out[e - q - 1] = '\0';
    return true;
}

static bool all_empty(khum_csv *csv)
{
    for (size_t i = 0; i < khum_csv_count(csv); i++)
        if (khum_csv_len(csv, i))
            return false;
    return true;
}

static khum_code read_preamble(khum_gazetteer *g, khum_csv *csv, khum_err *err)
{
    khum_csv_allow_ragged(csv, true);
    int r;
    bool titled = false;
    while ((r = khum_csv_next(csv, err)) > 0) {
        const char *first = khum_csv_get(csv, 0);
        if (strcmp(first, "Type") == 0)
            break;
        if (!titled && parse_title(first, g->title_province, sizeof g->title_province)) {
            titled = true;
            continue;
        }
        if (all_empty(csv))
            continue;
        khum_err_set(err, KHUM_ERR_INPUT, "GEO.208",
                     "not an NCDD gazetteer export: expected a title line and a header "
                     "starting with 'Type,Code'");
        khum_err_at(err, khum_csv_name(csv), khum_csv_line(csv), 1, NULL);
        return KHUM_ERR_INPUT;
    }
    if (r < 0)
        return err->code;
    if (r == 0) {
        khum_err_set(err, KHUM_ERR_INPUT, "GEO.208",
                     "not an NCDD gazetteer export: no header line 'Type,Code,...'");
        khum_err_at(err, khum_csv_name(csv), khum_csv_line(csv), 0, NULL);
        return KHUM_ERR_INPUT;
    }
    khum_code rc = khum_csv_header_from_record(csv, err);
    khum_csv_allow_ragged(csv, false);
    return rc;
}

/* Parse one data row into u; returns an error for a row that breaks a rule. */
static khum_code read_row(khum_gazetteer *g, khum_csv *csv, const int *ix,
                          khum_unit *u, khum_err *err)
{
    const char *type = khum_csv_get(csv, (size_t)ix[0]);
    const unit_word *w = find_word(type);
    if (!w)
        return khum_csv_field_error(csv, (size_t)ix[0], err, KHUM_ERR_INPUT, "GEO.207",
                                    "unknown unit type '%s' (expected ស្រុក, ក្រុង, ខណ្ឌ, "
                                    "ឃុំ, សង្កាត់ or ភូមិ)", type);
    const char *raw = khum_csv_get(csv, (size_t)ix[1]);
    size_t want = khum_level_code_len(w->level), len = strlen(raw);
    /* NCDD drops one leading zero (provinces 01-09), never more. */
    if (!(len == want || len == want - 1) || !khum_is_digits(raw, len))
        return khum_csv_field_error(csv, (size_t)ix[1], err, KHUM_ERR_INPUT, "GEO.201",
                                    "%s code '%s' must have %zu or %zu digits",
                                    khum_level_name(w->level), raw, want - 1, want);
    char code[16];
    snprintf(code, sizeof code, "%s%s", len < want ? "0" : "", raw);
    u->level = w->level;
    u->code = khum_arena_strdup(&g->arena, code);
    u->parent = khum_arena_strndup(&g->arena, code, want - 2);
    u->parent_level = (khum_level)(w->level - 1);  /* NCDD: the parent is the prefix */
    u->name_km = khum_arena_strdup(&g->arena, khum_csv_get(csv, (size_t)ix[2]));
    u->name_latin = khum_arena_strdup(&g->arena, khum_csv_get(csv, (size_t)ix[3]));
    u->unit_km = w->level == KHUM_VILLAGE ? "" : w->km;
    u->unit_latin = w->level == KHUM_VILLAGE ? "" : w->latin;
    u->unit_en = w->level == KHUM_VILLAGE ? "" : w->en;
    u->name_ungegn = u->iso3166_2 = "";
    u->line = khum_csv_line(csv);
    if (!u->code || !u->parent || !u->name_km || !u->name_latin)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (int k = 2; k <= (w->level == KHUM_VILLAGE ? 2 : 3); k++)
        if (khum_is_blank(khum_csv_get(csv, (size_t)ix[k])))
            return khum_csv_field_error(csv, (size_t)ix[k], err, KHUM_ERR_INPUT, "GEO.205",
                                        "%s %s has no %s name", khum_level_name(w->level),
                                        code, k == 2 ? "Khmer" : "Latin");
    return KHUM_OK;
}

khum_code khum_gazetteer_read_ncdd(khum_gazetteer *g, khum_csv *csv,
                                   khum_diags *rejected, khum_err *err)
{
    khum_code rc = read_preamble(g, csv, err);
    if (rc)
        return rc;
    static const char *const req[] = {"Type", "Code", "Name (Khmer)", "Name (Latin)"};
    int ix[4];
    if ((rc = khum_csv_require(csv, req, ix, 4, err)))
        return rc;
    char province[3] = "";
    const char *source = khum_arena_strdup(&g->arena, khum_csv_name(csv));
    if (!source)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    int r;
    while ((r = khum_csv_next(csv, err)) > 0) {
        khum_unit u;
        memset(&u, 0, sizeof u);
        khum_err row_err;
        khum_err_clear(&row_err);
        u.source = source;
        if ((rc = read_row(g, csv, ix, &u, &row_err))) {
            if (!rejected || rc != KHUM_ERR_INPUT) {
                if (err)
                    *err = row_err;
                return rc;
            }
            khum_diags_add(rejected, &row_err);
            continue;
        }
        if (!province[0])
            memcpy(province, u.code, 2);
        if (strncmp(u.code, province, 2) != 0) {
            khum_csv_field_error(csv, (size_t)ix[1], &row_err, KHUM_ERR_INPUT, "GEO.202",
                                 "%s %s is in province %.2s, but this file is for province %s",
                                 khum_level_name(u.level), u.code, u.code, province);
            if (!rejected) {
                if (err)
                    *err = row_err;
                return KHUM_ERR_INPUT;
            }
            khum_diags_add(rejected, &row_err);
            continue;
        }
        if (khum_gazetteer_add(g, &u, err))
            return err->code;
    }
    if (r < 0)
        return err->code;
    if (province[0] && !khum_gazetteer_find(g, KHUM_PROVINCE, province)) {
        khum_unit p;
        memset(&p, 0, sizeof p);
        p.level = KHUM_PROVINCE;
        p.code = khum_arena_strdup(&g->arena, province);
        p.parent = p.name_km = p.name_ungegn = p.iso3166_2 = "";
        p.name_latin = khum_arena_strdup(&g->arena, g->title_province);
        p.unit_km = p.unit_latin = p.unit_en = "";
        p.source = source;
        p.line = 0;  /* not a row of the file: the title names it */
        if (!p.code || !p.name_latin)
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        if (khum_gazetteer_add(g, &p, err))
            return err->code;
    }
    return KHUM_OK;
}
