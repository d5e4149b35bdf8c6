/*
 * draw.c: the audit's seed and its SHA-256 counter-mode draw (audits.md §6,
 * docs/rla.md). Everything a citizen needs to replay a sample is the seed,
 * the council's code and its manifest's size N: the j-th number is
 * SHA-256(seed ‖ "," ‖ council ‖ "," ‖ j) as a 256-bit big-endian integer.
 * Reducing it modulo N would favour the small residues, so a number in the
 * last incomplete block of N (at or above the largest multiple of N below
 * 2^256) is rejected; a ballot drawn before is skipped. Both are rare or
 * harmless, and both are part of the rule: a replay must skip the same ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/hash.h"
#include "khum/rla_draw.h"

khum_code khum_rla_seed_check(const char *seed, khum_err *err)
{
    size_t n = seed ? strlen(seed) : 0;
    for (size_t i = 0; i < n; i++)
        if (seed[i] < '0' || seed[i] > '9')
            return khum_err_set(err, KHUM_ERR_INPUT, "RLA.540",
                                "the seed must be dice digits 0-9 only, not '%c' (character "
                                "%zu)", seed[i], i + 1);
    if (n < KHUM_RLA_SEED_MIN || n > KHUM_RLA_SEED_MAX)
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.540",
                            "the seed has %zu digits: roll %d to %d dice digits in public",
                            n, KHUM_RLA_SEED_MIN, KHUM_RLA_SEED_MAX);
    return KHUM_OK;
}

khum_code khum_rla_stream_key(const char *seed, const char *commune, char *out, size_t cap,
                              khum_err *err)
{
    int len = snprintf(out, cap, "%s,%s", seed, commune);
    if (len < 0 || (size_t)len >= cap)
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.540",
                            "seed and council code are too long for a stream key");
    return KHUM_OK;
}

/* The 256-bit big-endian digest as four 64-bit words, most significant first. */
static void digest_words(const unsigned char d[KHUM_SHA256_BYTES], uint64_t w[4])
{
    for (int i = 0; i < 4; i++) {
        w[i] = 0;
        for (int b = 0; b < 8; b++)
            w[i] = w[i] << 8 | d[i * 8 + b];
    }
}

/* r mod n by long division over the words (Horner in base 2^64). */
static uint64_t words_mod(const uint64_t w[4], uint64_t n)
{
    unsigned __int128 rem = 0;
    for (int i = 0; i < 4; i++)
        rem = (rem << 64 | w[i]) % n;
    return (uint64_t)rem;
}

/* Is r in the last, incomplete block: does r - (r mod n) + n pass 2^256? */
static bool in_rejected_block(const uint64_t w[4], uint64_t mod, uint64_t n)
{
    uint64_t q[4], borrow = mod;  /* mod < n <= 2^64 - 1: borrow + 1 cannot wrap */
    for (int i = 3; i >= 0; i--) {
        q[i] = w[i] - borrow;
        borrow = w[i] < borrow;
    }
    uint64_t carry = n;
    for (int i = 3; i >= 0 && carry; i--) {
        q[i] += carry;
        carry = q[i] < carry;
    }
    return carry != 0;
}

bool khum_rla_stream_number(const char *key, uint64_t j, uint64_t n, uint64_t *out)
{
    char tail[32];
    int len = snprintf(tail, sizeof tail, ",%llu", (unsigned long long)j);
    khum_sha256 h;
    khum_sha256_init(&h);
    khum_sha256_update(&h, key, strlen(key));
    khum_sha256_update(&h, tail, (size_t)len);
    unsigned char d[KHUM_SHA256_BYTES];
    khum_sha256_final(&h, d);
    uint64_t w[4];
    digest_words(d, w);
    *out = words_mod(w, n);
    return !in_rejected_block(w, *out, n);
}

khum_code khum_rla_draw(const char *key, int64_t N, int64_t want, khum_arena *a,
                        int64_t **sample, int64_t *n, uint64_t *counter, khum_err *err)
{
    *sample = NULL;
    *n = 0;
    *counter = 0;
    if (N < 0 || want < 0)
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.543",
                            "a draw of %lld from %lld ballots", (long long)want, (long long)N);
    if (want > N)
        want = N;  /* every ballot: the audit has become a full hand count */
    if (!(*sample = khum_arena_alloc(a, ((size_t)want + 1) * sizeof **sample)))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    /* one bit per ballot of the council: which are drawn already */
    unsigned char *seen = calloc((size_t)N / 8 + 1, 1);
    if (!seen)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    uint64_t j = 0, x;
    while (*n < want) {
        if (!khum_rla_stream_number(key, ++j, (uint64_t)N, &x) || (seen[x / 8] >> (x % 8) & 1))
            continue;
        seen[x / 8] |= (unsigned char)(1u << (x % 8));
        (*sample)[(*n)++] = (int64_t)x;
    }
    free(seen);
    *counter = j;
    return KHUM_OK;
}
