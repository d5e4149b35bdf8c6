/*
 * cambodia.c: the statutory procedure of LEMNA 2002 Art 118(a), applied to
 * commune councils (shared/docs/rules.md §2):
 *   1. quota = floor(V / S), V the valid votes of all lists;
 *   2. each list gets floor(v / quota) seats;
 *   3. each remaining seat, one at a time, goes to the highest v / (s + 1),
 *      recomputed after every seat.
 * Why this equals D'Hondt: a list's quotient v/k is at least the quota
 * exactly when k <= floor(v / quota), so step 2 hands out one seat for every
 * D'Hondt quotient >= quota. When that is at most S seats, all those
 * quotients are among the S highest, D'Hondt gives every list at least its
 * step-2 seats, and step 3 is D'Hondt continued from there: the same result.
 * When step 2 gives more than S seats (tiny V) or the quota is 0 (V < S) the
 * text cannot be applied: khum falls back to D'Hondt with the same tie rule and
 * flags the district. The 1998 "first formula" computes the averages once
 * and gives the remaining seats to the top averages in one pass.
 */
#include <string.h>

#include "engine.h"

khum_code alloc_cambodia(alloc_ctx *c, bool recompute)
{
    size_t n = c->in->n;
    int64_t votes = 0;
    for (size_t i = 0; i < n; i++)
        if (c->ok[i])
            votes += c->in->parties[i].votes;
    int64_t quota = votes / c->in->seats;
    int *qs = khum_arena_calloc(c->a, n + 1, sizeof *qs);
    if (!qs)
        return khum_err_set(c->err, KHUM_ERR_NOMEM, "", "out of memory");
    int64_t total = 0;
    for (size_t i = 0; i < n && quota > 0; i++) {
        if (!c->ok[i])
            continue;
        int64_t s = c->in->parties[i].votes / quota;
        qs[i] = (int)(s > c->cap[i] ? c->cap[i] : (s > c->in->seats ? c->in->seats + 1 : s));
        total += qs[i];
    }
    divisors dh = {KHUM_METHOD_DHONDT, 1, 1};
    if (quota == 0 || total > c->in->seats) {
        c->res->degenerate = true;
        c->res->quota = (khum_frac){quota, 1};
        return alloc_highest_averages(c, &dh, c->in->seats);
    }
    c->res->quota = (khum_frac){quota, 1};
    for (size_t k = 0; k < n; k++) {
        int p = c->order[k];
        khum_frac units = {c->in->parties[p].votes, quota};
        for (int s = 0; s < qs[p]; s++) {
            khum_code rc = alloc_award(c, p, KHUM_STEP_QUOTA, units, -1, (khum_frac){0, 1},
                                       KHUM_TIED_NOT);
            if (rc)
                return rc;
        }
    }
    int remaining = c->in->seats - (int)total;
    if (recompute)
        return alloc_highest_averages(c, &dh, remaining);
    khum_frac *avg = khum_arena_calloc(c->a, n + 1, sizeof *avg);
    if (!avg)
        return khum_err_set(c->err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < n; i++)
        avg[i] = (khum_frac){c->in->parties[i].votes, c->res->seats[i] + 1};
    return alloc_by_fixed_keys(c, avg, KHUM_STEP_AVERAGE, remaining);
}
