/*
 * council_size.c: how many seats each commune council has in a mandate.
 * The law fixes sizes by sub-decree, commune by commune ("by population and
 * geography", LAMC Art 12; 5, 7, 9 or 11 seats), and publishes no formula, so
 * khum reads them as data (docs: shared/docs/rules.md §1).
 */
#include "khum/array.h"
#include "khum/geo.h"

#include <stdlib.h>
#include <string.h>

static bool size_allowed(int seats, const int *allowed, size_t n)
{
    if (n == 0)
        return seats >= 1 && seats <= 1000;
    for (size_t i = 0; i < n; i++)
        if (allowed[i] == seats)
            return true;
    return false;
}

static void list_sizes(char *out, size_t cap, const int *allowed, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%d",
                                 i == 0 ? "" : (i + 1 == n ? " or " : ", "), allowed[i]);
}

khum_code khum_council_sizes_read(khum_csv *csv, khum_arena *a, int default_mandate,
                                  const int *allowed, size_t n_allowed,
                                  khum_council_size **rows, size_t *n, khum_err *err)
{
    *rows = NULL;
    *n = 0;
    khum_code rc = khum_csv_read_header(csv, err);
    if (rc)
        return rc;
    static const char *const req[] = {"commune|commune_code|code", "seats"};
    int ix[2];
    if ((rc = khum_csv_require(csv, req, ix, 2, err)))
        return rc;
    int cmandate = khum_csv_col(csv, "mandate");
    if (cmandate < 0 && default_mandate <= 0) {
        khum_err_set(err, KHUM_ERR_USAGE, "SEAT.405",
                     "the file has no 'mandate' column: say which mandate with --mandate N");
        khum_err_at(err, khum_csv_name(csv), 1, 0, NULL);
        return KHUM_ERR_USAGE;
    }
    size_t cap = 0;
    khum_council_size *v = NULL;
    int r;
    while ((r = khum_csv_next(csv, err)) > 0) {
        khum_council_size *p = khum_grow(v, *n, &cap, sizeof *p, NULL);
        if (!p) {
            rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            goto fail;
        }
        v = p;
        khum_council_size *row = &v[*n];
        const char *code = khum_csv_get(csv, (size_t)ix[0]);
        if (!khum_is_area_code(code)) {
            rc = khum_csv_field_error(csv, (size_t)ix[0], err, KHUM_ERR_INPUT, "SEAT.401",
                                      "commune code '%s' must be 1 to %d letters and digits",
                                      code, KHUM_AREA_CODE_MAX);
            goto fail;
        }
        long seats, mandate = default_mandate;
        const char *s = khum_csv_get(csv, (size_t)ix[1]);
        if (!khum_parse_int_range(s, 1, 1000, &seats) ||
            !size_allowed((int)seats, allowed, n_allowed)) {
            char sizes[64];
            list_sizes(sizes, sizeof sizes, allowed, n_allowed);
            rc = khum_csv_field_error(csv, (size_t)ix[1], err, KHUM_ERR_INPUT, "SEAT.402",
                                      "council size '%s' is not allowed (the rule set allows %s)",
                                      s, n_allowed ? sizes : "1 to 1000");
            goto fail;
        }
        if (cmandate >= 0 && !khum_parse_int_range(khum_csv_get(csv, (size_t)cmandate), 1,
                                                    100, &mandate)) {
            rc = khum_csv_field_error(csv, (size_t)cmandate, err, KHUM_ERR_INPUT, "SEAT.406",
                                      "mandate '%s' is not a number from 1 to 100",
                                      khum_csv_get(csv, (size_t)cmandate));
            goto fail;
        }
        for (size_t k = 0; k < *n; k++) {
            if (v[k].mandate == mandate && strcmp(v[k].commune, code) == 0) {
                rc = khum_csv_field_error(csv, (size_t)ix[0], err, KHUM_ERR_INPUT, "SEAT.403",
                                          "commune %s has a size for mandate %ld already "
                                          "(line %ld)", code, mandate, v[k].line);
                goto fail;
            }
        }
        row->commune = khum_arena_strdup(a, code);
        if (!row->commune) {
            rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            goto fail;
        }
        row->seats = (int)seats;
        row->mandate = (int)mandate;
        row->line = khum_csv_line(csv);
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
