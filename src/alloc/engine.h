/*
 * engine.h (internal to src/alloc): the state one allocation run shares
 * between the methods, the tie resolution and the protocol.
 */
#ifndef KHUM_ALLOC_ENGINE_H
#define KHUM_ALLOC_ENGINE_H

#include "khum/alloc.h"
#include "khum/array.h"

typedef struct alloc_ctx {
    const khum_alloc_rules *r;
    const khum_alloc_input *in;
    khum_arena *a;
    khum_alloc_result *res;
    khum_err *err;
    bool *ok;              /* eligible, above the threshold, with votes > 0 */
    int *order;            /* party indices in name order: ties never depend on input order */
    int *cap;              /* max seats per party (INT32_MAX when none) */
    size_t steps_cap, ties_cap;
    int next_seat;         /* number of the next seat to award */
} alloc_ctx;

/* A divisor sequence d(k) = num(k) / den, k = 0, 1, ... (seats held). */
typedef struct divisors {
    khum_method method;
    int64_t first_num, den;
} divisors;

divisors alloc_divisors(const khum_alloc_rules *r);
int64_t alloc_divisor_num(const divisors *d, int64_t k);

/* a/b against c/d, exactly (b, d > 0). */
static inline int frac_cmp(int64_t a, int64_t b, int64_t c, int64_t d)
{
    __int128 l = (__int128)a * d, rr = (__int128)c * b;
    return (l > rr) - (l < rr);
}

khum_code alloc_add_step(alloc_ctx *c, int seat, int party, khum_step_kind kind,
                         khum_frac value, int runner, khum_frac runner_value,
                         khum_tie_how tie);
/* Award one seat to party p and record it. */
khum_code alloc_award(alloc_ctx *c, int p, khum_step_kind kind, khum_frac value,
                      int runner, khum_frac runner_value, khum_tie_how tie);

/* Pick `need` of the `n` tied parties in t (name order) whose keys are equal.
 * lowest: choose by fewer votes first (for seats taken back). Writes the
 * chosen parties to chosen (count returned in *nchosen, less than need when
 * lots are needed but no seed was given) and records the tie. */
khum_code alloc_resolve_tie(alloc_ctx *c, const int *t, int n, int need, khum_frac value,
                            bool lowest, int *chosen, int *nchosen, khum_tie_how *how);

/* Highest averages from the current seats until `remaining` more are given. */
khum_code alloc_highest_averages(alloc_ctx *c, const divisors *d, int remaining);
/* One-pass selections by fixed keys (largest remainders, 1998 averages):
 * award `remaining` seats to the parties with the largest keys, at most one
 * per pass, repeating passes while seats remain. */
khum_code alloc_by_fixed_keys(alloc_ctx *c, const khum_frac *keys, khum_step_kind kind,
                              int remaining);

khum_code alloc_largest_remainder(alloc_ctx *c);
khum_code alloc_cambodia(alloc_ctx *c, bool recompute);

#endif
