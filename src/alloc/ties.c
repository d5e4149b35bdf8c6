/*
 * ties.c: settling ties that decide seats. First the rule set's tie rule
 * (more votes first; for seats taken back, fewer votes first), then lots.
 * A lot is not a random number drawn in secret: each tied party's key is
 * SHA-256("khum-lot-v1\n" seed "\n" district "\n" draw "\n" party), and the
 * seats go to the smallest keys, so anyone holding the seed can replay every
 * draw with sha256sum (docs/allocation.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "khum/hash.h"
#include "khum/str.h"

typedef struct ranked {
    int party;
    int64_t votes;
    char key[65];
} ranked;

void khum_alloc_lot_key(const char *seed, const char *district, int draw,
                        const char *party, char hex[65])
{
    khum_sha256 st;
    char head[64];
    khum_sha256_init(&st);
    khum_sha256_update(&st, "khum-lot-v1\n", 12);
    khum_sha256_update(&st, seed, strlen(seed));
    khum_sha256_update(&st, "\n", 1);
    khum_sha256_update(&st, district, strlen(district));
    int n = snprintf(head, sizeof head, "\n%d\n", draw);
    khum_sha256_update(&st, head, (size_t)n);
    khum_sha256_update(&st, party, strlen(party));
    khum_sha256_final_hex(&st, hex);
}

bool khum_alloc_rank_lists(const char *seed, const char *district, const char *const *names,
                           const int64_t *votes, size_t n, size_t top, int *order,
                           bool *undecided)
{
    for (size_t i = 0; i < n; i++) {  /* insertion sort: most votes first, then name */
        size_t j = i;
        while (j > 0 && (votes[order[j - 1]] < votes[i] ||
                         (votes[order[j - 1]] == votes[i] &&
                          strcmp(names[order[j - 1]], names[i]) > 0))) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = (int)i;
        if (undecided)
            undecided[i] = false;
    }
    bool open = false;
    for (size_t lo = 0, hi; lo < n && lo < top; lo = hi) {
        for (hi = lo + 1; hi < n && votes[order[hi]] == votes[order[lo]]; hi++)
            ;
        if (hi - lo < 2)
            continue;
        if (!seed) {  /* a post hangs on a tie nobody has drawn: say so, draw nothing */
            open = true;
            for (size_t k = lo; k < hi && undecided; k++)
                undecided[k] = true;
            continue;
        }
        char key[65], kj[65];
        for (size_t i = lo + 1; i < hi; i++) {  /* the tied run by lot key */
            int x = order[i];
            size_t j = i;
            khum_alloc_lot_key(seed, district, 0, names[x], key);
            while (j > lo) {
                khum_alloc_lot_key(seed, district, 0, names[order[j - 1]], kj);
                if (strcmp(kj, key) <= 0)
                    break;
                order[j] = order[j - 1];
                j--;
            }
            order[j] = x;
        }
    }
    return open;
}

static int by_votes_desc(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    return (a->votes < b->votes) - (a->votes > b->votes);
}

static int by_votes_asc(const void *pa, const void *pb)
{
    return -by_votes_desc(pa, pb);
}

static int by_key(const void *pa, const void *pb)
{
    return strcmp(((const ranked *)pa)->key, ((const ranked *)pb)->key);
}

static khum_code record_tie(alloc_ctx *c, const int *t, int n, int need, khum_frac value,
                            const int *chosen, int nchosen, const ranked *lot, int nlot,
                            khum_tie_how how, int draw)
{
    khum_alloc_result *res = c->res;
    khum_alloc_tie *p = khum_grow(res->ties, res->nties, &c->ties_cap, sizeof *p, c->a);
    if (!p)
        return khum_err_set(c->err, KHUM_ERR_NOMEM, "", "out of memory");
    res->ties = p;
    khum_alloc_tie *tie = &res->ties[res->nties++];
    tie->first_seat = c->next_seat;
    tie->nseats = need;
    tie->value = value;
    tie->parties = khum_arena_alloc(c->a, (size_t)n * sizeof(int));
    tie->winners = khum_arena_alloc(c->a, (size_t)(nchosen ? nchosen : 1) * sizeof(int));
    if (!tie->parties || !tie->winners)
        return khum_err_set(c->err, KHUM_ERR_NOMEM, "", "out of memory");
    memcpy(tie->parties, t, (size_t)n * sizeof(int));
    tie->nparties = n;
    if (nchosen)
        memcpy(tie->winners, chosen, (size_t)nchosen * sizeof(int));
    tie->nwinners = nchosen;
    tie->lot = khum_arena_alloc(c->a, (size_t)(nlot ? nlot : 1) * sizeof(int));
    if (!tie->lot)
        return khum_err_set(c->err, KHUM_ERR_NOMEM, "", "out of memory");
    for (int i = 0; i < nlot; i++)
        tie->lot[i] = lot[i].party;
    tie->nlot = nlot;
    tie->how = how;
    tie->draw = draw;
    return KHUM_OK;
}

khum_code alloc_resolve_tie(alloc_ctx *c, const int *t, int n, int need, khum_frac value,
                            bool lowest, int *chosen, int *nchosen, khum_tie_how *how)
{
    ranked *rk = calloc((size_t)n, sizeof *rk);
    if (!rk)
        return khum_err_set(c->err, KHUM_ERR_NOMEM, "", "out of memory");
    for (int i = 0; i < n; i++) {
        rk[i].party = t[i];
        rk[i].votes = c->in->parties[t[i]].votes;
    }
    /* The tie rule: order by votes (qsort is not stable, so equal votes are
     * put back in name order below before anything depends on their order). */
    int sure = 0, lo = 0, hi = n;  /* rk[lo, hi) still tied after the rule */
    if (c->r->tie_rule == KHUM_TIE_MORE_VOTES) {
        khum_sort(rk, (size_t)n, sizeof *rk, lowest ? by_votes_asc : by_votes_desc);
        int64_t edge = rk[need - 1].votes;
        while (lo < n && rk[lo].votes != edge)
            lo++;
        hi = lo;
        while (hi < n && rk[hi].votes == edge)
            hi++;
        sure = lo;
    }
    for (int i = 0; i < sure; i++)
        chosen[i] = rk[i].party;
    int left = need - sure, group = hi - lo;
    khum_code rc = KHUM_OK;
    int draw = 0, nlot = 0;
    if (left == group) {
        for (int i = lo; i < hi; i++)
            chosen[sure++] = rk[i].party;
        *how = KHUM_TIED_MORE_VOTES;
    } else if (!c->r->lots_seed) {
        *how = KHUM_TIED_UNRESOLVED;
        c->res->needs_lots = true;
        nlot = group;
    } else {
        nlot = group;
        draw = ++c->res->draws;
        for (int i = lo; i < hi; i++)
            khum_alloc_lot_key(c->r->lots_seed, c->in->district ? c->in->district : "", draw,
                               c->in->parties[rk[i].party].name, rk[i].key);
        khum_sort(rk + lo, (size_t)group, sizeof *rk, by_key);
        for (int i = lo; i < lo + left; i++)
            chosen[sure++] = rk[i].party;
        *how = KHUM_TIED_LOT;
    }
    *nchosen = sure;
    /* Record the parties still in the running when the tie rule was applied,
     * in name order (t is in name order already). */
    /* rk[lo, hi) is in name order again for the record: sort it back. */
    for (int i = lo + 1; i < hi; i++) {
        ranked x = rk[i];
        int j = i;
        while (j > lo && strcmp(c->in->parties[rk[j - 1].party].name,
                                c->in->parties[x.party].name) > 0) {
            rk[j] = rk[j - 1];
            j--;
        }
        rk[j] = x;
    }
    rc = record_tie(c, t, n, need, value, chosen, sure, rk + lo, nlot, *how, draw);
    free(rk);
    return rc;
}
