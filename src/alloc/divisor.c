/*
 * divisor.c: the highest-average engine shared by every divisor method and by
 * step 3 of the Cambodian statutory procedure (which continues D'Hondt from
 * the quota seats). Divisors are d(k) = num(k)/den with one common den, so a
 * quotient v/d(k) is the fraction v*den/num(k) and two quotients compare by
 * one 128-bit cross multiplication.
 *
 * Each round finds the highest current quotient. When several parties share
 * it and there are seats enough for all of them, all get one (the tie only
 * decides the order, rules.md §2 vector D8); when there are not, the tie
 * decides seats and goes to the tie rule and lots (ties.c).
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

divisors alloc_divisors(const khum_alloc_rules *r)
{
    divisors d = {r->method, 1, 1};
    if (r->method == KHUM_METHOD_SAINTE_LAGUE && r->first_div_num > 0 && r->first_div_den > 0) {
        d.first_num = r->first_div_num;
        d.den = r->first_div_den;
    }
    return d;
}

int64_t alloc_divisor_num(const divisors *d, int64_t k)
{
    switch (d->method) {
    case KHUM_METHOD_SAINTE_LAGUE:  /* 1 (or 1.4, 1.2 ...), 3, 5, 7 ... */
        return k == 0 ? d->first_num : (2 * k + 1) * d->den;
    case KHUM_METHOD_IMPERIALI:     /* 2, 3, 4 ... */
        return (k + 2) * d->den;
    case KHUM_METHOD_DANISH:        /* 1, 4, 7 ... */
        return (3 * k + 1) * d->den;
    default:                        /* D'Hondt and the statutory step 3: 1, 2, 3 ... */
        return (k + 1) * d->den;
    }
}

khum_code alloc_add_step(alloc_ctx *c, int seat, int party, khum_step_kind kind,
                         khum_frac value, int runner, khum_frac runner_value,
                         khum_tie_how tie)
{
    khum_alloc_result *res = c->res;
    /* A district needs about one step per seat: start there, so that
     * 1,652 communes do not each reserve room for 16. */
    if (!res->steps)
        c->steps_cap = (size_t)(c->in->seats > 4 ? c->in->seats + 1 : 5);
    khum_alloc_step *p = khum_grow(res->steps, res->nsteps, &c->steps_cap, sizeof *p, c->a);
    if (!p)
        return khum_err_set(c->err, KHUM_ERR_NOMEM, "", "out of memory");
    res->steps = p;
    res->steps[res->nsteps++] = (khum_alloc_step){seat, party, kind, value, runner,
                                                  runner_value, tie};
    return KHUM_OK;
}

khum_code alloc_award(alloc_ctx *c, int p, khum_step_kind kind, khum_frac value, int runner,
                      khum_frac runner_value, khum_tie_how tie)
{
    c->res->seats[p]++;
    return alloc_add_step(c, c->next_seat++, p, kind, value, runner, runner_value, tie);
}

static bool can_take(const alloc_ctx *c, int p)
{
    return c->ok[p] && c->res->seats[p] < c->cap[p];
}

static khum_frac quotient(const alloc_ctx *c, const divisors *d, int p)
{
    khum_frac q = {c->in->parties[p].votes * d->den,
                   alloc_divisor_num(d, c->res->seats[p])};
    return q;
}

/* The best current quotient among parties other than `not`; -1 when none. */
static int best_other(const alloc_ctx *c, const divisors *d, int not, khum_frac *q)
{
    int best = -1;
    for (size_t k = 0; k < c->in->n; k++) {
        int p = c->order[k];
        if (p == not || !can_take(c, p))
            continue;
        khum_frac v = quotient(c, d, p);
        if (best < 0 || frac_cmp(v.num, v.den, q->num, q->den) > 0) {
            best = p;
            *q = v;
        }
    }
    return best;
}

khum_code alloc_highest_averages(alloc_ctx *c, const divisors *d, int remaining)
{
    size_t n = c->in->n;
    int *tied = khum_arena_alloc(c->a, (n + 1) * sizeof *tied);
    int *chosen = khum_arena_alloc(c->a, (n + 1) * sizeof *chosen);
    if (!tied || !chosen)
        return khum_err_set(c->err, KHUM_ERR_NOMEM, "", "out of memory");
    while (remaining > 0) {
        khum_frac top = {0, 1};
        int nt = 0;
        for (size_t k = 0; k < n; k++) {  /* name order: tied lists come out sorted */
            int p = c->order[k];
            if (!can_take(c, p))
                continue;
            khum_frac q = quotient(c, d, p);
            int cmp = nt ? frac_cmp(q.num, q.den, top.num, top.den) : 1;
            if (cmp > 0) {
                top = q;
                nt = 0;
            }
            if (cmp >= 0)
                tied[nt++] = p;
        }
        if (nt == 0) {  /* every list is capped: the seats stay empty */
            c->res->unfilled += remaining;
            return KHUM_OK;
        }
        int nchosen = nt;
        khum_tie_how how = nt > 1 ? KHUM_TIED_ORDER_ONLY : KHUM_TIED_NOT;
        if (nt > remaining) {
            khum_code rc = alloc_resolve_tie(c, tied, nt, remaining, top, false, chosen,
                                             &nchosen, &how);
            if (rc)
                return rc;
        } else {
            memcpy(chosen, tied, (size_t)nt * sizeof *chosen);
        }
        for (int i = 0; i < nchosen; i++) {
            khum_frac rq = {0, 1};
            int runner = best_other(c, d, chosen[i], &rq);
            khum_code rc = alloc_award(c, chosen[i], KHUM_STEP_AVERAGE, top, runner, rq, how);
            if (rc)
                return rc;
        }
        if (how == KHUM_TIED_UNRESOLVED)
            return KHUM_OK;  /* the rest waits for lots */
        remaining -= nchosen;
    }
    return KHUM_OK;
}

khum_code alloc_by_fixed_keys(alloc_ctx *c, const khum_frac *keys, khum_step_kind kind,
                              int remaining)
{
    size_t n = c->in->n;
    int *cand = khum_arena_alloc(c->a, (n + 1) * sizeof *cand);
    int *chosen = khum_arena_alloc(c->a, (n + 1) * sizeof *chosen);
    if (!cand || !chosen)
        return khum_err_set(c->err, KHUM_ERR_NOMEM, "", "out of memory");
    while (remaining > 0) {
        /* One pass: every list that can take a seat, by key, largest first. */
        int nc = 0;
        for (size_t k = 0; k < n; k++)
            if (can_take(c, c->order[k]))
                cand[nc++] = c->order[k];
        if (nc == 0) {
            c->res->unfilled += remaining;
            return KHUM_OK;
        }
        /* Insertion sort by key, descending; stable, so name order stays within equal keys. */
        for (int i = 1; i < nc; i++) {
            int p = cand[i], j = i;
            while (j > 0 && frac_cmp(keys[p].num, keys[p].den, keys[cand[j - 1]].num,
                                     keys[cand[j - 1]].den) > 0) {
                cand[j] = cand[j - 1];
                j--;
            }
            cand[j] = p;
        }
        int take = remaining < nc ? remaining : nc;
        int sure = take;
        khum_frac edge = keys[cand[take - 1]];
        int lo = take - 1, hi = take;  /* the run of keys equal to the edge */
        while (lo > 0 && frac_cmp(keys[cand[lo - 1]].num, keys[cand[lo - 1]].den, edge.num,
                                  edge.den) == 0)
            lo--;
        while (hi < nc && frac_cmp(keys[cand[hi]].num, keys[cand[hi]].den, edge.num,
                                   edge.den) == 0)
            hi++;
        for (int i = 0; i < lo; i++) {
            int runner = i + 1 < nc ? cand[i + 1] : -1;
            khum_code rc = alloc_award(c, cand[i], kind, keys[cand[i]], runner,
                                       runner >= 0 ? keys[runner] : (khum_frac){0, 1},
                                       KHUM_TIED_NOT);
            if (rc)
                return rc;
        }
        sure = lo;
        int nchosen = take - lo;
        khum_tie_how how = hi - lo > 1 ? KHUM_TIED_ORDER_ONLY : KHUM_TIED_NOT;
        if (hi > take) {  /* equal keys straddle the last seat: a real tie */
            khum_code rc = alloc_resolve_tie(c, cand + lo, hi - lo, take - lo, edge, false,
                                             chosen, &nchosen, &how);
            if (rc)
                return rc;
        } else {
            memcpy(chosen, cand + lo, (size_t)nchosen * sizeof *chosen);
        }
        for (int i = 0; i < nchosen; i++) {
            int runner = hi < nc ? cand[hi] : -1;
            khum_code rc = alloc_award(c, chosen[i], kind, edge, runner,
                                       runner >= 0 ? keys[runner] : (khum_frac){0, 1}, how);
            if (rc)
                return rc;
        }
        if (how == KHUM_TIED_UNRESOLVED)
            return KHUM_OK;
        remaining -= sure + nchosen;
    }
    return KHUM_OK;
}
