/*
 * population.c: commune population per census year. The reference file is
 * the 2011 NIS commune database as republished by Open Development Cambodia
 * (Com_Code, TT_Both = persons, Both_UP_18 = persons 18+). Its codes follow
 * the 2011 boundaries, so matching them to today's communes is the caller's
 * job: rows are returned as read, with their line numbers for warnings.
 */
#include "khum/array.h"
#include "khum/geo.h"
#include "khum/str.h"

#include <stdlib.h>
#include <string.h>

static khum_code read_count(khum_csv *csv, int col, int64_t *out, khum_err *err)
{
    const char *s = khum_csv_get(csv, (size_t)col);
    if (!khum_parse_i64(s, out) || *out < 0)
        return khum_csv_field_error(csv, (size_t)col, err, KHUM_ERR_INPUT, "POP.302",
                                    "population '%s' is not a whole number of persons", s);
    return KHUM_OK;
}

khum_code khum_population_read(khum_csv *csv, khum_arena *a, khum_population **rows,
                               size_t *n, khum_err *err)
{
    *rows = NULL;
    *n = 0;
    khum_code rc = khum_csv_read_header(csv, err);
    if (rc)
        return rc;
    static const char *const req[] = {"Com_Code|commune_code|commune|code",
                                      "TT_Both|population|total"};
    int ix[2];
    if ((rc = khum_csv_require(csv, req, ix, 2, err)))
        return rc;
    int cadult = khum_csv_col(csv, "Both_UP_18|adults|population_18plus");
    int cname = khum_csv_col(csv, "Commune|name|name_latin");
    /* The NIS database (column Com_Code) is a spreadsheet export that drops
     * the leading zero of provinces 01-09; other files carry any country's
     * codes exactly (Spain's INE municipality codes have 5 digits). */
    bool nis = khum_csv_col(csv, "Com_Code") == ix[0];
    size_t cap = 0;
    khum_population *v = NULL;
    int r;
    while ((r = khum_csv_next(csv, err)) > 0) {
        khum_population *p = khum_grow(v, *n, &cap, sizeof *p, NULL);
        if (!p) {
            rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            goto fail;
        }
        v = p;
        khum_population *row = &v[*n];
        const char *code = khum_csv_get(csv, (size_t)ix[0]);
        size_t len = strlen(code);
        if (nis ? !(len == 5 || len == 6) || !khum_is_digits(code, len)
                : !khum_is_area_code(code)) {
            rc = khum_csv_field_error(csv, (size_t)ix[0], err, KHUM_ERR_INPUT, "POP.301",
                                      nis ? "commune code '%s' must be 6 digits"
                                          : "commune code '%s' must be 1 to 16 letters and "
                                            "digits", code);
            goto fail;
        }
        row->commune = khum_arena_printf(a, "%s%s", nis && len == 5 ? "0" : "", code);
        row->name = khum_arena_strdup(a, cname >= 0 ? khum_csv_get(csv, (size_t)cname) : "");
        row->line = khum_csv_line(csv);
        row->adults = -1;
        if (!row->commune || !row->name) {
            rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            goto fail;
        }
        if ((rc = read_count(csv, ix[1], &row->total, err)) ||
            (cadult >= 0 && (rc = read_count(csv, cadult, &row->adults, err))))
            goto fail;
        if (row->adults > row->total) {
            rc = khum_csv_field_error(csv, (size_t)cadult, err, KHUM_ERR_INPUT, "POP.303",
                                      "more adults (%lld) than persons (%lld)",
                                      (long long)row->adults, (long long)row->total);
            goto fail;
        }
        for (size_t k = 0; k < *n; k++) {
            if (strcmp(v[k].commune, row->commune) == 0) {
                rc = khum_csv_field_error(csv, (size_t)ix[0], err, KHUM_ERR_INPUT, "POP.304",
                                          "commune %s appears twice (first on line %ld)",
                                          code, v[k].line);
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
