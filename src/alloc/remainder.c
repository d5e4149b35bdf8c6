/*
 * remainder.c: largest remainders. Each list gets one seat per whole quota,
 * then the seats left go to the largest remainders. Quotas: Hare V/S, Droop
 * V/(S+1)+1, Hagenbach-Bischoff V/(S+1), Imperiali V/(S+2), kept exact or
 * rounded up or down; a quota rounded down to 0 counts as 1. When the quotas
 * hand out more seats than there are (small quotas, Imperiali), seats are
 * taken back one at a time from the smallest remainders. Remainders are kept
 * as fractions over the quota's denominator, so no rounding ever decides.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

static khum_frac make_quota(const alloc_ctx *c, int64_t votes)
{
    int64_t s = c->in->seats;
    khum_frac q;
    switch (c->r->quota) {
    case KHUM_QUOTA_DROOP: q = (khum_frac){votes + s + 1, s + 1}; break;
    case KHUM_QUOTA_HAGENBACH_BISCHOFF: q = (khum_frac){votes, s + 1}; break;
    case KHUM_QUOTA_IMPERIALI: q = (khum_frac){votes, s + 2}; break;
    default: q = (khum_frac){votes, s}; break;
    }
    if (c->r->quota_round == KHUM_ROUND_DOWN)
        q = (khum_frac){q.num / q.den, 1};
    else if (c->r->quota_round == KHUM_ROUND_UP)
        q = (khum_frac){(q.num + q.den - 1) / q.den, 1};
    if (q.num == 0)
        q = (khum_frac){1, 1};
    return q;
}

/* Take back `excess` quota seats from the smallest remainders. */
static khum_code take_back(alloc_ctx *c, int *quota_seats, khum_frac *rem, khum_frac q,
                           int excess)
{
    size_t n = c->in->n;
    int *cand = khum_arena_alloc(c->a, (n + 1) * sizeof *cand);
    int *chosen = khum_arena_alloc(c->a, (n + 1) * sizeof *chosen);
    if (!cand || !chosen)
        return khum_err_set(c->err, KHUM_ERR_NOMEM, "", "out of memory");
    while (excess > 0) {
        int nc = 0;
        khum_frac low = {0, 1};
        for (size_t k = 0; k < n; k++) {
            int p = c->order[k];
            if (quota_seats[p] == 0)
                continue;
            int cmp = nc ? frac_cmp(rem[p].num, rem[p].den, low.num, low.den) : -1;
            if (cmp < 0) {
                low = rem[p];
                nc = 0;
            }
            if (cmp <= 0)
                cand[nc++] = p;
        }
        int nchosen = nc;
        khum_tie_how how = KHUM_TIED_NOT;
        if (nc > excess) {
            khum_code rc = alloc_resolve_tie(c, cand, nc, excess, low, true, chosen, &nchosen,
                                             &how);
            if (rc)
                return rc;
        } else {
            memcpy(chosen, cand, (size_t)nc * sizeof *chosen);
        }
        for (int i = 0; i < nchosen; i++) {
            int p = chosen[i];
            quota_seats[p]--;
            rem[p].num += q.num;  /* the withdrawn seat's quota joins the remainder */
            khum_code rc = alloc_add_step(c, 0, p, KHUM_STEP_TAKEN_BACK, low, -1,
                                          (khum_frac){0, 1}, how);
            if (rc)
                return rc;
        }
        if (how == KHUM_TIED_UNRESOLVED)
            return KHUM_OK;
        excess -= nchosen;
    }
    return KHUM_OK;
}

khum_code alloc_largest_remainder(alloc_ctx *c)
{
    size_t n = c->in->n;
    int64_t votes = 0;
    for (size_t i = 0; i < n; i++)
        if (c->ok[i])
            votes += c->in->parties[i].votes;
    khum_frac q = make_quota(c, votes);
    c->res->quota = q;
    int *qs = khum_arena_calloc(c->a, n + 1, sizeof *qs);
    khum_frac *rem = khum_arena_calloc(c->a, n + 1, sizeof *rem);
    if (!qs || !rem)
        return khum_err_set(c->err, KHUM_ERR_NOMEM, "", "out of memory");
    int total = 0;
    for (size_t i = 0; i < n; i++) {
        rem[i] = (khum_frac){0, q.den};
        if (!c->ok[i])
            continue;
        __int128 v = (__int128)c->in->parties[i].votes * q.den;
        int64_t whole = (int64_t)(v / q.num);
        if (whole > c->cap[i])
            whole = c->cap[i];
        qs[i] = (int)(whole > c->in->seats + 2 ? c->in->seats + 2 : whole);
        rem[i].num = (int64_t)(v - (__int128)qs[i] * q.num);
        total += qs[i];
    }
    if (total > c->in->seats) {
        khum_code rc = take_back(c, qs, rem, q, total - c->in->seats);
        if (rc || c->res->needs_lots)
            return rc;
        total = c->in->seats;
    }
    /* The quota seats come first in the protocol, in name order. */
    for (size_t k = 0; k < n; k++) {
        int p = c->order[k];
        khum_frac units = {c->in->parties[p].votes * q.den, q.num};
        for (int s = 0; s < qs[p]; s++) {
            khum_code rc = alloc_award(c, p, KHUM_STEP_QUOTA, units, -1, (khum_frac){0, 1},
                                       KHUM_TIED_NOT);
            if (rc)
                return rc;
        }
    }
    return alloc_by_fixed_keys(c, rem, KHUM_STEP_REMAINDER, c->in->seats - total);
}
