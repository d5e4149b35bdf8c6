/*
 * reading.c: the audit board's two-entry discipline for one sampled ballot,
 * pure. As with result forms, no one member's word decides a reading: a
 * ballot is settled when two different members have entered the same
 * reading; until then its entries are one reading or readings that differ,
 * and another member reads it again. A member never reads the same ballot
 * twice, and a settled ballot takes no more entries, so the evidence the
 * tests use is exactly what two people agreed on.
 */
#include <string.h>

#include "khum/array.h"
#include "khum/rla_draw.h"

const char *khum_rla_read_state_name(khum_rla_read_state s)
{
    static const char *const names[] = {"unread", "first-read", "different", "agreed"};
    return (unsigned)s < sizeof names / sizeof *names ? names[s] : "?";
}

khum_rla_read_state khum_rla_read_state_of(const char *const *values, size_t n,
                                           const char **settled)
{
    *settled = NULL;
    for (size_t i = 1; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (!strcmp(values[i], values[k])) {
                *settled = values[k];
                return KHUM_RLA_AGREED;
            }
    return n == 0 ? KHUM_RLA_UNREAD : n == 1 ? KHUM_RLA_FIRST_READ : KHUM_RLA_DIFFERENT;
}

khum_code khum_rla_read_next(const char *const *members, const char *const *values, size_t n,
                             const char *member, const char *value,
                             khum_rla_read_state *to, khum_err *err)
{
    const char *settled;
    if (khum_rla_read_state_of(values, n, &settled) == KHUM_RLA_AGREED)
        return khum_err_set(err, KHUM_ERR_CONFLICT, "RLA.552", "this ballot is settled: two "
                            "members read it as %s", settled);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(members[i], member))
            return khum_err_set(err, KHUM_ERR_CONFLICT, "RLA.551", "%s read this ballot "
                                "already: the second reading is another member's", member);
    *to = KHUM_RLA_FIRST_READ;
    for (size_t i = 0; i < n; i++)
        *to = !strcmp(values[i], value) ? KHUM_RLA_AGREED
            : *to == KHUM_RLA_AGREED    ? KHUM_RLA_AGREED
                                        : KHUM_RLA_DIFFERENT;
    return KHUM_OK;
}

static bool whole_number(const char *s, int64_t *out)
{
    int64_t v = 0;
    if (!*s || strlen(s) > 12)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return v >= 1;
}

khum_code khum_rla_entries_read(khum_csv *csv, khum_arena *a, khum_rla_entry **out, size_t *n,
                                khum_err *err)
{
    static const char *const names[] = {"station", "bundle", "position", "reading"};
    int col[4];
    khum_code rc;
    *out = NULL;
    *n = 0;
    if ((rc = khum_csv_read_header(csv, err)) || (rc = khum_csv_require(csv, names, col, 4, err)))
        return rc;
    khum_array v;
    khum_array_init(&v, sizeof **out, a);
    int r;
    while ((r = khum_csv_next(csv, err)) == 1) {
        khum_rla_entry *x = khum_array_push(&v);
        if (!x)
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        x->line = khum_csv_line(csv);
        x->station = khum_arena_strdup(a, khum_csv_get(csv, (size_t)col[0]));
        x->reading = khum_arena_strdup(a, khum_csv_get(csv, (size_t)col[3]));
        if (!x->station || !x->reading)
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        for (int k = 0; k < 4; k++) {
            const char *f = khum_csv_get(csv, (size_t)col[k]);
            int64_t *num = k == 1 ? &x->bundle : k == 2 ? &x->position : NULL;
            if (num ? !whole_number(f, num) : !*f)
                return khum_csv_field_error(csv, (size_t)col[k], err, KHUM_ERR_INPUT, "RLA.553",
                                            "%s '%s' is not %s", names[k], f,
                                            num ? "a whole number of at least 1" : "given");
        }
    }
    *out = v.items;
    *n = v.n;
    return r < 0 ? err->code : KHUM_OK;
}
