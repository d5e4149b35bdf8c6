/*
 * party.c: the registry of political parties: a stable id, abbreviation,
 * Khmer and English names, a chart colour, and the dates of registration and
 * dissolution (the CNRP was dissolved on 2017-11-16). Names and colours are
 * data, so another country's parties load from a file of the same form.
 */
#include "khum/array.h"
#include "khum/geo.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool valid_colour(const char *s)
{
    if (!*s)
        return true;
    if (strlen(s) != 7 || s[0] != '#')
        return false;
    for (int i = 1; i < 7; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return true;
}

static bool valid_id(const char *s)
{
    if (!*s || strlen(s) > 32)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
            return false;
    return true;
}

static const char *opt(khum_arena *a, khum_csv *csv, int col)
{
    return khum_arena_strdup(a, col >= 0 ? khum_csv_get(csv, (size_t)col) : "");
}

static khum_code check_date(khum_csv *csv, int col, const char *s, khum_err *err)
{
    int y, m, d;
    if (*s && !khum_parse_date(s, &y, &m, &d))
        return khum_csv_field_error(csv, (size_t)col, err, KHUM_ERR_INPUT, "PTY.504",
                                    "date '%s' is not a valid YYYY-MM-DD date", s);
    return KHUM_OK;
}

static khum_code read_party(khum_csv *csv, khum_arena *a, const int *c, khum_party *p,
                            khum_err *err)
{
    khum_code rc;
    p->abbr = opt(a, csv, c[0]);
    p->name_en = opt(a, csv, c[1]);
    p->id = opt(a, csv, c[2] >= 0 && khum_csv_len(csv, (size_t)c[2]) ? c[2] : c[0]);
    p->name_km = opt(a, csv, c[3]);
    p->colour = opt(a, csv, c[4]);
    p->registered = opt(a, csv, c[5]);
    p->dissolved = opt(a, csv, c[6]);
    p->line = khum_csv_line(csv);
    if (!p->abbr || !p->name_en || !p->id || !p->name_km || !p->colour ||
        !p->registered || !p->dissolved)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    int idcol = c[2] >= 0 && khum_csv_len(csv, (size_t)c[2]) ? c[2] : c[0];
    if (!valid_id(p->id))
        return khum_csv_field_error(csv, (size_t)idcol, err, KHUM_ERR_INPUT, "PTY.501",
                                    "party id '%s' must be 1-32 letters, digits, '-' or '_'",
                                    p->id);
    if (khum_is_blank(p->name_en))
        return khum_csv_field_error(csv, (size_t)c[1], err, KHUM_ERR_INPUT, "PTY.501",
                                    "party %s has no English name", p->id);
    if (!valid_colour(p->colour))
        return khum_csv_field_error(csv, (size_t)c[4], err, KHUM_ERR_INPUT, "PTY.503",
                                    "colour '%s' must be #rrggbb", p->colour);
    if ((rc = check_date(csv, c[5], p->registered, err)) ||
        (rc = check_date(csv, c[6], p->dissolved, err)))
        return rc;
    if (*p->registered && *p->dissolved && strcmp(p->dissolved, p->registered) < 0)
        return khum_csv_field_error(csv, (size_t)c[6], err, KHUM_ERR_INPUT, "PTY.505",
                                    "party %s is dissolved (%s) before it was registered (%s)",
                                    p->id, p->dissolved, p->registered);
    return KHUM_OK;
}

khum_code khum_parties_read(khum_csv *csv, khum_arena *a, khum_party **rows,
                            size_t *n, khum_err *err)
{
    *rows = NULL;
    *n = 0;
    khum_code rc = khum_csv_read_header(csv, err);
    if (rc)
        return rc;
    static const char *const req[] = {"abbr|party_abbr", "name_en|name|party"};
    int c[7];
    if ((rc = khum_csv_require(csv, req, c, 2, err)))
        return rc;
    c[2] = khum_csv_col(csv, "id");
    c[3] = khum_csv_col(csv, "name_km");
    c[4] = khum_csv_col(csv, "colour|color");
    c[5] = khum_csv_col(csv, "registered");
    c[6] = khum_csv_col(csv, "dissolved");
    size_t cap = 0;
    khum_party *v = NULL;
    int r;
    while ((r = khum_csv_next(csv, err)) > 0) {
        khum_party *p = khum_grow(v, *n, &cap, sizeof *p, NULL);
        if (!p) {
            rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            goto fail;
        }
        v = p;
        if ((rc = read_party(csv, a, c, &v[*n], err)))
            goto fail;
        for (size_t k = 0; k < *n; k++) {
            if (strcmp(v[k].id, v[*n].id) == 0) {
                rc = khum_csv_field_error(csv, (size_t)c[0], err, KHUM_ERR_INPUT, "PTY.502",
                                          "party %s is listed twice (first on line %ld)",
                                          v[*n].id, v[k].line);
                goto fail;
            }
        }
        (*n)++;
    }
    if (r < 0) {
        rc = err->code;
        goto fail;
    }
    *rows = v;
    return KHUM_OK;
fail:
    free(v);
    *n = 0;
    return rc;
}
