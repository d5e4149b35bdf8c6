/*
 * assertions.c: the assertions that together imply a commune's reported
 * seats (docs/rla.md §1-§3), each as integer weights per ballot choice:
 *   divisor methods (and the statutory procedure, which is D'Hondt): every
 *     pair (A with a seat, B able to take one) T_A/d(s_A) > T_B/d(s_B+1);
 *   largest remainders (exact Hare or Hagenbach-Bischoff quota): every pair
 *     T_A - (s_A-1)Q > T_B - s_B Q, linear because Q is V over a constant;
 *   the 1998 formula: each list's quota seats (sufficient linear bounds on
 *     floor(V/S)) and then the averages computed once, as pairs;
 *   a threshold: each list above it stays above, each below stays below.
 * Everything is exact: weights and margins are integers computed in 128
 * bits and refused (RLA.503) when they do not fit in 64.
 */
#include <string.h>

#include "khum/rla.h"

typedef struct builder {
    const khum_rla_contest *c;
    khum_arena *a;
    khum_err *err;
    khum_rla_assertion *out;
    size_t n, cap;
    int64_t ballots;          /* N */
    int64_t extra;            /* ballots beyond the reported ones (count as invalid) */
    bool *ok;                 /* the list takes part in the allocation (reported) */
} builder;

static int64_t divisor_num(const khum_alloc_rules *r, int64_t k)
{
    int64_t first = 1, den = 1;
    if (r->method == KHUM_METHOD_SAINTE_LAGUE && r->first_div_num > 0 && r->first_div_den > 0) {
        first = r->first_div_num;
        den = r->first_div_den;
    }
    switch (r->method) {
    case KHUM_METHOD_SAINTE_LAGUE: return k == 0 ? first : (2 * k + 1) * den;
    case KHUM_METHOD_IMPERIALI: return (k + 2) * den;
    case KHUM_METHOD_DANISH: return (3 * k + 1) * den;
    default: return (k + 1) * den;
    }
}

static __int128 abs128(__int128 x)
{
    return x < 0 ? -x : x;
}

static __int128 gcd128(__int128 a, __int128 b)
{
    a = abs128(a);
    b = abs128(b);
    while (b) {
        __int128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static bool fits(__int128 x)
{
    return x <= INT64_MAX && x >= -INT64_MAX;
}

/* Add the assertion "sum over the N ballots of w(b) > k" (w has nlists+2
 * entries). A constant k is spread over the ballots: N w(b) - k. */
static khum_code add(builder *b, khum_rla_kind kind, int winner, int loser, __int128 *w,
                     __int128 k)
{
    size_t nw = b->c->nlists + 2;
    if (k != 0)
        for (size_t i = 0; i < nw; i++)
            w[i] = w[i] * b->ballots - k;
    __int128 g = 0;
    for (size_t i = 0; i < nw; i++)
        g = gcd128(g, w[i]);
    if (g > 1)
        for (size_t i = 0; i < nw; i++)
            w[i] /= g;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 16;
        khum_rla_assertion *grown = khum_arena_alloc(b->a, cap * sizeof *grown);
        if (!grown)
            return khum_err_set(b->err, KHUM_ERR_NOMEM, "", "out of memory");
        if (b->n)
            memcpy(grown, b->out, b->n * sizeof *grown);
        b->out = grown;
        b->cap = cap;
    }
    khum_rla_assertion *as = &b->out[b->n];
    memset(as, 0, sizeof *as);
    as->kind = kind;
    as->winner = winner;
    as->loser = loser;
    as->nlists = b->c->nlists;
    as->ballots = b->ballots;
    as->weight = khum_arena_alloc(b->a, nw * sizeof *as->weight);
    if (!as->weight)
        return khum_err_set(b->err, KHUM_ERR_NOMEM, "", "out of memory");
    __int128 lo = 0, hi = 0, margin = 0;
    for (size_t i = 0; i < nw; i++) {
        if (!fits(w[i]))
            goto too_large;
        as->weight[i] = (int64_t)w[i];
        lo = w[i] < lo ? w[i] : lo;
        hi = w[i] > hi ? w[i] : hi;
    }
    for (size_t i = 0; i < b->c->nlists; i++)
        margin += w[i] * b->c->lists[i].votes;
    margin += w[nw - 2] * b->c->blank + w[nw - 1] * (b->c->invalid + b->extra);
    if (!fits(margin) || !fits((hi - lo) * b->ballots))
        goto too_large;
    as->m = lo < 0 ? (int64_t)-lo : 1;
    as->wmax = (int64_t)hi;
    as->margin = (int64_t)margin;
    as->diluted = margin > 0 ? (khum_frac){as->margin, as->m * b->ballots} : (khum_frac){0, 1};
    as->upper = (khum_frac){as->wmax + as->m, 2 * as->m};
    as->v = (double)as->margin / ((double)as->m * (double)b->ballots);
    as->u = (double)(as->wmax + as->m) / (2.0 * (double)as->m);
    as->flip = margin > 0 ? (int64_t)((margin + (hi - lo) - 1) / (hi - lo ? hi - lo : 1)) : 0;
    b->n++;
    return KHUM_OK;
too_large:
    return khum_err_set(b->err, KHUM_ERR_INPUT, "RLA.503",
                        "commune %s: the numbers of an assertion do not fit in 64 bits",
                        b->c->commune ? b->c->commune : "");
}

static __int128 *zero_weights(builder *b)
{
    __int128 *w = khum_arena_calloc(b->a, b->c->nlists + 2, sizeof *w);
    if (!w)
        khum_err_set(b->err, KHUM_ERR_NOMEM, "", "out of memory");
    return w;
}

/* Can list i take one more seat than it has (in the reported setting)? */
static bool can_gain(const builder *b, size_t i)
{
    const khum_alloc_party *p = &b->c->lists[i];
    return b->ok[i] && (p->max_seats < 0 || b->c->seats[i] < p->max_seats);
}

/* How one family of methods compares A's weakest won seat with B's best
 * lost one. */
typedef enum pair_family { PAIRS_DIVISOR, PAIRS_REMAINDER, PAIRS_1998 } pair_family;

typedef struct pair_rule {
    pair_family family;
    int64_t q;                /* remainders: Q = V / q */
    const int *quota_seats;   /* 1998: the quota seats of each list */
} pair_rule;

/* Does list i hold a seat the pairs must defend, and can list j gain one? */
static bool pair_applies(const builder *b, const pair_rule *r, size_t i, size_t j)
{
    const int *s = b->c->seats;
    if (i == j || !can_gain(b, j))
        return false;
    if (r->family == PAIRS_1998)  /* averages: a seat by average against a list without */
        return s[i] > r->quota_seats[i] && s[j] <= r->quota_seats[j];
    return s[i] >= 1;
}

/*   divisors:   T_A d(s_B+1) - T_B d(s_A) > 0
 *   remainders: the k-th seat of a list has key T - (k-1) Q and the seats are
 *               the S largest keys (docs/rla.md §2); times q:
 *               q T_A - q T_B - (s_A - 1 - s_B) V > 0, V the votes of the
 *               lists that take part
 *   1998:       T_A / (q_A + 1) > T_B / (q_B + 1) */
static void pair_weights(const builder *b, const pair_rule *r, size_t i, size_t j, __int128 *w)
{
    const khum_rla_contest *c = b->c;
    if (r->family == PAIRS_DIVISOR) {
        w[i] = divisor_num(c->rules, c->seats[j]);
        w[j] = -divisor_num(c->rules, c->seats[i] - 1);
    } else if (r->family == PAIRS_1998) {
        w[i] = r->quota_seats[j] + 1;
        w[j] = -(r->quota_seats[i] + 1);
    } else {
        int64_t shift = c->seats[i] - 1 - c->seats[j];
        for (size_t k = 0; k < c->nlists; k++)
            w[k] = b->ok[k] ? -shift : 0;
        w[i] += r->q;
        w[j] -= r->q;
    }
}

/* Every (A, B) pair of a family, by A then B. */
static khum_code pairs(builder *b, const pair_rule *r)
{
    const khum_rla_contest *c = b->c;
    for (size_t i = 0; i < c->nlists; i++)
        for (size_t j = 0; j < c->nlists; j++) {
            if (!pair_applies(b, r, i, j))
                continue;
            __int128 *w = zero_weights(b);
            if (!w)
                return KHUM_ERR_NOMEM;
            pair_weights(b, r, i, j, w);
            khum_code rc = add(b, KHUM_RLA_PAIR, (int)i, (int)j, w, 0);
            if (rc)
                return rc;
        }
    return KHUM_OK;
}

/* The 1998 formula: quota Q = floor(V / S), quota seats q_e = floor(T_e / Q),
 * then the remaining seats to the largest T_e / (q_e + 1), once each. The
 * quota seats stand if q_e Q <= T_e < (q_e + 1) Q; with V/S - 1 < Q <= V/S,
 * sufficient are S T_e - q_e V > 0 and (q_e + 1) V - S T_e > (q_e + 1)(S - 1).
 * Given those, the averages are pairs with divisors q_e + 1. */
static khum_code formula_1998(builder *b, const int *quota_seats)
{
    const khum_rla_contest *c = b->c;
    int64_t S = c->total_seats;
    for (size_t i = 0; i < c->nlists; i++) {
        if (!b->ok[i])
            continue;
        for (int side = 0; side < 2; side++) {
            if (side == 0 && quota_seats[i] == 0)
                continue;
            __int128 *w = zero_weights(b);
            if (!w)
                return KHUM_ERR_NOMEM;
            int64_t q = quota_seats[i] + side;
            for (size_t k = 0; k < c->nlists; k++)
                w[k] = b->ok[k] ? (side ? q : -q) : 0;
            w[i] += side ? -S : S;
            khum_code rc = side ? add(b, KHUM_RLA_QUOTA_BELOW, -1, (int)i, w, q * (S - 1))
                                : add(b, KHUM_RLA_QUOTA_AT_LEAST, (int)i, -1, w, 0);
            if (rc)
                return rc;
        }
    }
    pair_rule r = {PAIRS_1998, 0, quota_seats};
    return pairs(b, &r);
}

/* Threshold t = num / (100 den) of a base: a list is above when
 * 100 den T >= num base. Above stays above: (100 den - num) T_A - num (rest
 * of the base) > 0; below stays below: num base - 100 den T_B > 0 (strict:
 * a list exactly at the threshold cannot be confirmed by sampling). */
static khum_code thresholds(builder *b, const bool *above)
{
    const khum_rla_contest *c = b->c;
    const khum_alloc_rules *r = c->rules;
    if (r->threshold_num <= 0)
        return KHUM_OK;
    int64_t full = 100 * r->threshold_den, t = r->threshold_num;
    size_t nl = c->nlists;
    for (size_t i = 0; i < nl; i++) {
        if (!c->lists[i].eligible)
            continue;
        __int128 *w = zero_weights(b);
        if (!w)
            return KHUM_ERR_NOMEM;
        int sign = above[i] ? -1 : 1;
        for (size_t k = 0; k < nl; k++)
            w[k] = sign * t;
        w[nl] = c->base_blank ? sign * t : 0;
        w[nl + 1] = c->base_invalid ? sign * t : 0;
        w[i] = above[i] ? full - t : t - full;
        khum_code rc = above[i] ? add(b, KHUM_RLA_ABOVE, (int)i, -1, w, 0)
                                : add(b, KHUM_RLA_BELOW, -1, (int)i, w, 0);
        if (rc)
            return rc;
    }
    return KHUM_OK;
}

static khum_code check_contest(const khum_rla_contest *c, int64_t *reported, khum_err *err)
{
    const char *name = c->commune ? c->commune : "";
    if (!c->rules || !c->lists || !c->seats || c->nlists == 0 || c->total_seats < 1)
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.501",
                            "commune %s: an audit needs lists, their seats and a rule set", name);
    int64_t sum = c->blank + c->invalid, seats = 0;
    for (size_t i = 0; i < c->nlists; i++) {
        if (c->lists[i].votes < 0 || c->lists[i].votes > KHUM_ALLOC_MAX_VOTES ||
            c->seats[i] < 0)
            return khum_err_set(err, KHUM_ERR_INPUT, "RLA.501",
                                "commune %s: list %s has negative or impossible figures", name,
                                c->lists[i].name ? c->lists[i].name : "?");
        sum += c->lists[i].votes;
        seats += c->seats[i];
    }
    if (c->blank < 0 || c->invalid < 0 || seats != c->total_seats)
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.501",
                            "commune %s: the lists hold %lld seats, not %d (or blank/invalid "
                            "are negative)", name, (long long)seats, c->total_seats);
    if (c->ballots && c->ballots < sum)
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.501",
                            "commune %s: the manifest has %lld ballots but %lld are reported",
                            name, (long long)c->ballots, (long long)sum);
    if (sum == 0 && c->ballots == 0)
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.501", "commune %s has no ballots", name);
    *reported = sum;
    return KHUM_OK;
}

/* Which lists take part (eligible and above the threshold). */
static void taking_part(const khum_rla_contest *c, bool *above, bool *ok)
{
    const khum_alloc_rules *r = c->rules;
    __int128 base = 0;
    for (size_t i = 0; i < c->nlists; i++)
        base += c->lists[i].votes;
    if (c->base_blank)
        base += c->blank;
    if (c->base_invalid)
        base += c->invalid;
    for (size_t i = 0; i < c->nlists; i++) {
        above[i] = r->threshold_num <= 0 ||
                   (__int128)c->lists[i].votes * r->threshold_den * 100 >=
                       (__int128)r->threshold_num * base;
        /* a list without votes still takes part: the true count may give it some */
        ok[i] = c->lists[i].eligible && above[i];
    }
}

static khum_code unsupported(const builder *b, const char *why)
{
    return khum_err_set(b->err, KHUM_ERR_USAGE, "RLA.502",
                        "commune %s: no assertions for this rule set (%s)",
                        b->c->commune ? b->c->commune : "", why);
}

/* The 1998 formula's quota seats of the reported tallies; false when the
 * formula is degenerate there (it then fell back to D'Hondt). */
static bool quota_seats_1998(const builder *b, int *qs)
{
    const khum_rla_contest *c = b->c;
    int64_t v = 0, total = 0;
    for (size_t i = 0; i < c->nlists; i++)
        v += b->ok[i] ? c->lists[i].votes : 0;
    int64_t quota = v / c->total_seats;
    if (quota == 0)
        return false;
    for (size_t i = 0; i < c->nlists; i++) {
        int64_t s = b->ok[i] ? c->lists[i].votes / quota : 0;
        int64_t cap = c->lists[i].max_seats;
        qs[i] = (int)(cap >= 0 && s > cap ? cap : (s > c->total_seats ? c->total_seats + 1 : s));
        total += qs[i];
    }
    return total <= c->total_seats;
}

static khum_code by_method(builder *b)
{
    const khum_alloc_rules *r = b->c->rules;
    pair_rule divisor = {PAIRS_DIVISOR, 0, NULL};
    switch (r->method) {
    case KHUM_METHOD_LARGEST_REMAINDER:
        if (r->quota_round != KHUM_ROUND_EXACT)
            return unsupported(b, "a rounded quota is not linear in the votes");
        if (r->quota == KHUM_QUOTA_HARE || r->quota == KHUM_QUOTA_HAGENBACH_BISCHOFF) {
            pair_rule lr = {PAIRS_REMAINDER,
                            b->c->total_seats + (r->quota == KHUM_QUOTA_HARE ? 0 : 1), NULL};
            return pairs(b, &lr);
        }
        return unsupported(b, "largest remainders with a Droop or Imperiali quota");
    case KHUM_METHOD_CAMBODIA_1998: {
        int *qs = khum_arena_calloc(b->a, b->c->nlists + 1, sizeof *qs);
        if (!qs)
            return khum_err_set(b->err, KHUM_ERR_NOMEM, "", "out of memory");
        if (!quota_seats_1998(b, qs))
            return pairs(b, &divisor);  /* degenerate: the allocation was D'Hondt */
        int left = b->c->total_seats, lists = 0;
        for (size_t i = 0; i < b->c->nlists; i++) {
            left -= qs[i];
            lists += b->ok[i];
        }
        if (left > lists)
            return unsupported(b, "the 1998 formula needed a second pass of averages");
        return formula_1998(b, qs);
    }
    default:  /* divisor methods; the statutory procedure is D'Hondt (src/alloc/cambodia.c) */
        return pairs(b, &divisor);
    }
}

khum_code khum_rla_assertions(const khum_rla_contest *c, khum_arena *a,
                              khum_rla_assertion **out, size_t *n, khum_err *err)
{
    *out = NULL;
    *n = 0;
    int64_t reported = 0;
    khum_code rc = check_contest(c, &reported, err);
    if (rc)
        return rc;
    builder b = {c, a, err, NULL, 0, 0, c->ballots ? c->ballots : reported, 0, NULL};
    b.extra = b.ballots - reported;
    bool *above = khum_arena_calloc(a, c->nlists, sizeof *above);
    b.ok = khum_arena_calloc(a, c->nlists, sizeof *b.ok);
    if (!above || !b.ok)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    taking_part(c, above, b.ok);
    rc = by_method(&b);
    if (!rc)
        rc = thresholds(&b, above);
    if (rc)
        return rc;
    int binding = khum_rla_binding(b.out, b.n);
    if (binding >= 0)
        b.out[binding].binding = true;
    *out = b.out;
    *n = b.n;
    return KHUM_OK;
}

int khum_rla_binding(const khum_rla_assertion *as, size_t n)
{
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        /* margin / (m N) against the best: cross-multiplied, exact */
        if (best < 0 || (__int128)as[i].margin * as[best].m * as[best].ballots <
                            (__int128)as[best].margin * as[i].m * as[i].ballots)
            best = (int)i;
    }
    return best;
}

double khum_rla_assort(const khum_rla_assertion *a, int choice)
{
    size_t k = choice >= 0 && (size_t)choice < a->nlists ? (size_t)choice
               : choice == KHUM_RLA_BLANK                ? a->nlists
                                                         : a->nlists + 1;
    return ((double)a->weight[k] / (double)a->m + 1.0) / 2.0;
}

double khum_rla_reported_mean(const khum_rla_assertion *a)
{
    return (1.0 + a->v) / 2.0;
}
