/*
 * draw.c: the audit's seed and its SHA-256 counter-mode draw (audits.md §6,
 * docs/rla.md). Everything a citizen needs to replay a sample is the seed,
 * the council's code and its manifest's size N: the j-th number is
 * SHA-256(seed ‖ "," ‖ council ‖ "," ‖ j) as a 256-bit big-endian integer,
 * reduced to [0, N) without bias by the module's one stream (rng.c,
 * khum_rla_rng_below); a ballot drawn before is skipped. Both skips are
 * part of the rule: a replay must skip the same ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/rla.h"
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
    khum_rla_rng rng;
    khum_code rc = khum_rla_rng_init(&rng, key, err);
    while (!rc && *n < want) {
        uint64_t x = khum_rla_rng_below(&rng, (uint64_t)N);
        if (seen[x / 8] >> (x % 8) & 1)
            continue;  /* drawn before: without replacement */
        seen[x / 8] |= (unsigned char)(1u << (x % 8));
        (*sample)[(*n)++] = (int64_t)x;
    }
    free(seen);
    *counter = rng.counter;
    return rc;
}
