/*
 * ties.c: tie rules and settling ties that decide seats. A tie rule is a
 * chain of steps (more-votes, fewer-votes, ballot-order, lots) tried left to
 * right while lists stay equal (rules-other.md: Cambodia and Spain
 * more-votes>lots, Portugal fewer-votes>lots); for seats taken back each step
 * is turned around, so the list the rule favours keeps its seat.
 * A lot is not a random number drawn in secret: each tied party's key is
 * SHA-256("khum-lot-v1\n" seed "\n" district "\n" draw "\n" party), and the
 * seats go to the smallest keys, so anyone holding the seed can replay every
 * draw with sha256sum (docs/allocation.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "khum/hash.h"
#include "khum/str.h"

typedef struct ranked {
    int party;
    int pos;                      /* place in the tie, which is in name order */
    int64_t votes, rank;          /* rank: the current step's key, smaller first */
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

/* Better for the chosen side first; equal keys keep name order (pos), so no
 * protocol line depends on the sort. */
static int by_rank(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return a->pos - b->pos;
}

static int by_key(const void *pa, const void *pb)
{
    return strcmp(((const ranked *)pa)->key, ((const ranked *)pb)->key);
}

/* The rank of a list under one step: smaller is chosen first. lowest (seats
 * taken back: the chosen lose a seat) turns every step around, so that the
 * list the rule favours keeps its seat. */
static int64_t step_rank(khum_tie_step step, bool lowest, const khum_alloc_party *p)
{
    int64_t r;
    switch (step) {
    case KHUM_TIE_MORE_VOTES: r = -p->votes; break;
    case KHUM_TIE_FEWER_VOTES: r = p->votes; break;
    case KHUM_TIE_BALLOT_ORDER: r = p->ballot_no > 0 ? p->ballot_no : INT32_MAX; break;
    default: r = 0; break;
    }
    return lowest ? -r : r;
}

static khum_tie_how step_how(khum_tie_step step)
{
    switch (step) {
    case KHUM_TIE_FEWER_VOTES: return KHUM_TIED_FEWER_VOTES;
    case KHUM_TIE_BALLOT_ORDER: return KHUM_TIED_BALLOT_ORDER;
    default: return KHUM_TIED_MORE_VOTES;
    }
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
        rk[i].pos = i;
    }
    /* The chain, step by step: each step sorts the lists still tied, takes
     * those strictly ahead of the last place at stake, drops those behind it,
     * and leaves the rest tied for the next step. */
    int sure = 0, lo = 0, hi = n;  /* rk[lo, hi) still tied */
    bool settled = false;
    for (int s = 0; s < c->r->tie_rule.n && !settled; s++) {
        khum_tie_step step = c->r->tie_rule.step[s];
        if (step == KHUM_TIE_LOTS)
            break;
        for (int i = lo; i < hi; i++)
            rk[i].rank = step_rank(step, lowest, &c->in->parties[rk[i].party]);
        khum_sort(rk + lo, (size_t)(hi - lo), sizeof *rk, by_rank);
        int64_t edge = rk[lo + (need - sure) - 1].rank;
        int a = lo, b;
        while (rk[a].rank != edge)
            chosen[sure++] = rk[a++].party;
        for (b = a; b < hi && rk[b].rank == edge; b++)
            ;
        lo = a;
        hi = b;
        if (need - sure == hi - lo) {
            settled = true;
            *how = step_how(step);
        }
    }
    int left = need - sure, group = hi - lo;
    khum_code rc = KHUM_OK;
    int draw = 0, nlot = 0;
    if (settled) {
        for (int i = lo; i < hi; i++)
            chosen[sure++] = rk[i].party;
    } else if (!c->r->lots_seed) {  /* the chain ends in lots (or ran out): a draw */
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

static const char *const tie_words[] = {"more-votes", "fewer-votes", "ballot-order", "lots"};

khum_tie_rule khum_tie_rule_default(void)
{
    return (khum_tie_rule){{KHUM_TIE_MORE_VOTES, KHUM_TIE_LOTS}, 2};
}

bool khum_tie_rule_equal(const khum_tie_rule *a, const khum_tie_rule *b)
{
    if (a->n != b->n)
        return false;
    for (int i = 0; i < a->n; i++)
        if (a->step[i] != b->step[i])
            return false;
    return true;
}

/* One word of a chain, [s, end). */
static bool tie_word(const char *s, size_t len, khum_tie_step *out)
{
    for (int k = 0; k < KHUM_TIE_CHAIN_MAX; k++)
        if (strlen(tie_words[k]) == len && strncmp(s, tie_words[k], len) == 0)
            return *out = (khum_tie_step)k, true;
    return false;
}

bool khum_tie_rule_parse(const char *s, khum_tie_rule *out, char *why, size_t nwhy)
{
    /* The words of khum before chains: votes was more votes, then lots. */
    if (strcmp(s, "votes") == 0)
        return *out = khum_tie_rule_default(), true;
    khum_tie_rule t = {.n = 0};
    bool seen[KHUM_TIE_CHAIN_MAX] = {false};
    for (const char *p = s;; p++) {
        const char *end = strchr(p, '>');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        khum_tie_step step;
        if (!tie_word(p, len, &step)) {
            snprintf(why, nwhy, "'%.*s' is not a tie rule step (more-votes, fewer-votes, "
                     "ballot-order, lots, joined by '>')", (int)len, p);
            return false;
        }
        if (seen[step] || (step <= KHUM_TIE_FEWER_VOTES && (seen[0] || seen[1]))) {
            snprintf(why, nwhy, "'%s' names %s twice", s,
                     step <= KHUM_TIE_FEWER_VOTES ? "votes" : tie_words[step]);
            return false;
        }
        if (t.n > 0 && (t.step[t.n - 1] == KHUM_TIE_LOTS ||
                        t.step[t.n - 1] == KHUM_TIE_BALLOT_ORDER)) {
            snprintf(why, nwhy, "'%s': nothing can follow %s, which always settles a tie", s,
                     tie_words[t.step[t.n - 1]]);
            return false;
        }
        seen[step] = true;
        t.step[t.n++] = step;
        if (!end)
            break;
        p = end;
    }
    if (t.step[t.n - 1] != KHUM_TIE_LOTS && t.step[t.n - 1] != KHUM_TIE_BALLOT_ORDER) {
        snprintf(why, nwhy, "'%s' must end in lots or ballot-order, so that every tie is "
                 "settled", s);
        return false;
    }
    *out = t;
    return true;
}

void khum_tie_rule_format(const khum_tie_rule *t, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < t->n && used < n; i++) {
        int w = snprintf(buf + used, n - used, "%s%s", i ? ">" : "", tie_words[t->step[i]]);
        used += w > 0 ? (size_t)w : 0;
    }
}

const char *khum_tie_rule_legacy(const khum_tie_rule *t)
{
    khum_tie_rule votes = khum_tie_rule_default(), lots = {{KHUM_TIE_LOTS}, 1};
    if (khum_tie_rule_equal(t, &votes))
        return "votes";
    return khum_tie_rule_equal(t, &lots) ? "lots" : NULL;
}
