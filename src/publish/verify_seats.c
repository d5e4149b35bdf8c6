/*
 * verify_seats.c: seats recomputed for `khum verify`, written again from
 * rules.md and rules-other.md rather than shared with src/alloc, so that a
 * fault in one is caught by the other. The statutory procedure: quota =
 * floor(V/S), a seat per whole quota, then one seat at a time to the highest
 * average v/(s+1). D'Hondt and Sainte-Laguë are the same loop with divisors
 * s+1 and 2s+1. A list below the threshold takes no seat: it passes when
 * 100 v >= t base, t read here from the bundle's decimal. Ties go down the
 * election's chain (more votes, fewer votes, ballot order), and what is
 * left is a lot: the bundle's choice is followed and counted. Exact:
 * averages are compared by 128-bit cross multiplication.
 */
#include <stdlib.h>
#include <string.h>

#include "verify_impl.h"

static int64_t divisor(bool odd, int s)
{
    return odd ? 2 * (int64_t)s + 1 : (int64_t)s + 1;
}

/* Compare a/da with b/db. */
static int cmp_avg(int64_t a, int64_t da, int64_t b, int64_t db)
{
    __int128 l = (__int128)a * db, r = (__int128)b * da;
    return (l > r) - (l < r);
}

/* The chain of a bundle's tie_rule as letters: m(ore votes), f(ewer votes),
 * b(allot order), l(ots). The old words: votes = "ml", lots = "l". false
 * when a word is unknown. */
bool ver_tie_chain(const char *rule, char chain[8])
{
    if (!rule || !*rule || !strcmp(rule, "votes")) {
        strcpy(chain, "ml");
        return true;
    }
    static const char *const words[] = {"more-votes", "fewer-votes", "ballot-order", "lots"};
    size_t n = 0;
    for (const char *p = rule; *p && n < 7;) {
        size_t len = strcspn(p, ">"), k = 0;
        while (k < 4 && !(strlen(words[k]) == len && !strncmp(p, words[k], len)))
            k++;
        if (k == 4)
            return false;
        chain[n++] = "mfbl"[k];
        p += len + (p[len] == '>');
    }
    chain[n] = '\0';
    return n > 0;
}

/* "5", "4.75": percent x 10,000; -1 when there is none (null or ""). */
int64_t ver_threshold_e4(const char *s)
{
    if (!s || !*s)
        return -1;
    int64_t v = 0;
    int places = -1;
    for (; *s; s++) {
        if (*s == '.' && places < 0) {
            places = 0;
            continue;
        }
        if (*s < '0' || *s > '9' || places >= 4 || v > 1000000)
            return -1;
        v = v * 10 + (*s - '0');
        if (places >= 0)
            places++;
    }
    for (int k = places < 0 ? 0 : places; k < 4; k++)
        v *= 10;
    return v;
}

/* The rank of list i under one step of the chain: smaller goes first. */
static int64_t tie_rank(char step, const int64_t *votes, int i)
{
    return step == 'm' ? -votes[i] : step == 'f' ? votes[i] : i;  /* i: ballot order */
}

/* `left` seats for the k lists of tied[] (k > left), by the chain: each
 * step gives a seat to the lists ranked strictly ahead of the last place at
 * stake and drops those behind it. What the chain leaves tied is a lot:
 * the bundle's choice is followed (it is the recorded draw) and counted. */
static void settle_tie(const char *chain, const int64_t *votes, int *tied, int k, int left,
                       const int *bundle, int *out, int *lots)
{
    for (const char *s = chain; *s && *s != 'l' && k > left; s++) {
        for (int i = 1; i < k; i++)  /* insertion sort by rank */
            for (int j = i; j > 0 && tie_rank(*s, votes, tied[j]) <
                                          tie_rank(*s, votes, tied[j - 1]); j--) {
                int t = tied[j];
                tied[j] = tied[j - 1];
                tied[j - 1] = t;
            }
        int64_t cut = tie_rank(*s, votes, tied[left - 1]);
        int keep = 0;
        for (int i = 0; i < k; i++) {
            int64_t r = tie_rank(*s, votes, tied[i]);
            if (r < cut) {
                out[tied[i]]++;
                left--;
            } else if (r == cut) {
                tied[keep++] = tied[i];
            }
        }
        k = keep;
    }
    bool lot = k > left, got[VER_MAX_PARTIES] = {false};
    if (lot)
        (*lots)++;
    for (int i = 0; lot && bundle && i < k && left > 0; i++)
        if (bundle[tied[i]] > out[tied[i]]) {
            out[tied[i]]++;
            got[i] = true;
            left--;
        }
    for (int i = 0; i < k && left > 0; i++)  /* settled, or the bundle chose none: in order */
        if (!got[i]) {
            out[tied[i]]++;
            left--;
        }
}

/* Give `left` seats one round at a time to the highest averages of the
 * lists that may take seats (ok). */
static void highest_averages(bool odd, const ver_rules *r, const int64_t *votes,
                             const bool *ok, int n, int left, const int *bundle, int *out,
                             int *lots)
{
    while (left > 0) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (ok[i] && (best < 0 || cmp_avg(votes[i], divisor(odd, out[i]), votes[best],
                                              divisor(odd, out[best])) > 0))
                best = i;
        if (best < 0)
            return;  /* no list with votes: seats stay empty */
        int tied[VER_MAX_PARTIES], k = 0;
        for (int i = 0; i < n; i++)
            if (ok[i] && cmp_avg(votes[i], divisor(odd, out[i]), votes[best],
                                 divisor(odd, out[best])) == 0)
                tied[k++] = i;
        if (k <= left) {  /* every tied list gets this round's seat: order does not matter */
            for (int i = 0; i < k; i++)
                out[tied[i]]++;
            left -= k;
            continue;
        }
        settle_tie(r->chain, votes, tied, k, left, bundle, out, lots);
        left = 0;
    }
}

bool ver_seats(const ver_rules *r, const int64_t *votes, int n, int seats,
               const int *bundle_seats, int *out, int *lots)
{
    memset(out, 0, (size_t)n * sizeof *out);
    *lots = 0;
    bool ok[VER_MAX_PARTIES];
    int64_t total = 0;
    for (int i = 0; i < n; i++) {
        ok[i] = votes[i] > 0 && (r->threshold_e4 < 0 ||
                                 (__int128)votes[i] * 1000000 >=
                                     (__int128)r->threshold_e4 * r->base);
        total += ok[i] ? votes[i] : 0;
    }
    const char *method = r->method;
    if (!strcmp(method, "dhondt") || !strcmp(method, "sainte-lague")) {
        highest_averages(method[0] == 's', r, votes, ok, n, seats, bundle_seats, out, lots);
        return true;
    }
    if (strcmp(method, "cambodia") != 0)
        return false;
    int64_t quota = seats > 0 ? total / seats : 0;
    int given = 0;
    for (int i = 0; quota > 0 && i < n; i++) {
        out[i] = ok[i] ? (int)(votes[i] / quota) : 0;
        given += out[i];
    }
    if (quota == 0 || given > seats) {  /* degenerate input: D'Hondt (rules.md §2) */
        memset(out, 0, (size_t)n * sizeof *out);
        given = 0;
    }
    highest_averages(false, r, votes, ok, n, seats - given, bundle_seats, out, lots);
    return true;
}
