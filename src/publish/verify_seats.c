/*
 * verify_seats.c: seats recomputed for `khum verify`, written again from
 * rules.md rather than shared with src/alloc, so that a fault in one is
 * caught by the other. The statutory procedure: quota = floor(V/S), a seat
 * per whole quota, then one seat at a time to the highest average
 * v/(s+1); ties to more votes, then lots. D'Hondt and Sainte-Laguë are the
 * same loop with divisors s+1 and 2s+1. Exact: averages are compared by
 * 128-bit cross multiplication.
 */
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

/* Give `left` seats one round at a time to the highest averages. When more
 * lists share the highest average than seats are left, those with more
 * votes go first and the rest is a lot: the bundle's choice is followed (it
 * is the recorded lot) and counted. */
static void highest_averages(bool odd, const int64_t *votes, int n, int left,
                             const int *bundle, int *out, int *lots)
{
    while (left > 0) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (votes[i] > 0 && (best < 0 || cmp_avg(votes[i], divisor(odd, out[i]), votes[best],
                                                     divisor(odd, out[best])) > 0))
                best = i;
        if (best < 0)
            return;  /* no list with votes: seats stay empty */
        int tied[VER_MAX_PARTIES], k = 0;
        for (int i = 0; i < n; i++)
            if (votes[i] > 0 && cmp_avg(votes[i], divisor(odd, out[i]), votes[best],
                                        divisor(odd, out[best])) == 0)
                tied[k++] = i;
        if (k <= left) {  /* every tied list gets this round's seat: order does not matter */
            for (int i = 0; i < k; i++)
                out[tied[i]]++;
            left -= k;
            continue;
        }
        /* More votes first (insertion sort, descending). */
        for (int i = 1; i < k; i++)
            for (int j = i; j > 0 && votes[tied[j]] > votes[tied[j - 1]]; j--) {
                int t = tied[j];
                tied[j] = tied[j - 1];
                tied[j - 1] = t;
            }
        int64_t cut = votes[tied[left - 1]];
        bool lot = left < k && votes[tied[left]] == cut;
        for (int i = 0; i < k && left > 0; i++) {
            int p = tied[i];
            if (votes[p] > cut) {
                out[p]++;
                left--;
            }
        }
        if (!lot) {
            for (int i = 0; i < k && left > 0; i++)
                if (votes[tied[i]] == cut) {
                    out[tied[i]]++;
                    left--;
                }
            continue;
        }
        (*lots)++;
        for (int i = 0; i < k && left > 0; i++) {
            int p = tied[i];
            if (votes[p] == cut && bundle && bundle[p] > out[p]) {
                out[p]++;
                left--;
            }
        }
        for (int i = 0; i < k && left > 0; i++)  /* the bundle chose none: first ones */
            if (votes[tied[i]] == cut) {
                out[tied[i]]++;
                left--;
            }
    }
}

bool ver_seats(const char *method, const int64_t *votes, int n, int seats,
               const int *bundle_seats, int *out, int *lots)
{
    memset(out, 0, (size_t)n * sizeof *out);
    *lots = 0;
    if (!strcmp(method, "dhondt") || !strcmp(method, "sainte-lague")) {
        highest_averages(method[0] == 's', votes, n, seats, bundle_seats, out, lots);
        return true;
    }
    if (strcmp(method, "cambodia") != 0)
        return false;
    int64_t total = 0;
    for (int i = 0; i < n; i++)
        total += votes[i];
    int64_t quota = seats > 0 ? total / seats : 0;
    int given = 0;
    for (int i = 0; quota > 0 && i < n; i++) {
        out[i] = (int)(votes[i] / quota);
        given += out[i];
    }
    if (quota == 0 || given > seats) {  /* degenerate input: D'Hondt (rules.md §2) */
        memset(out, 0, (size_t)n * sizeof *out);
        given = 0;
    }
    highest_averages(false, votes, n, seats - given, bundle_seats, out, lots);
    return true;
}
