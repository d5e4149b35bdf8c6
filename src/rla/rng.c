/*
 * rng.c: randomness anyone can replay (shared/docs/audits.md §6): the j-th
 * number is SHA-256(seed "," j) read as a 256-bit big-endian integer, and a
 * number in [0, n) is its remainder unless it lies at or above the largest
 * multiple of n below 2^256 (then the next number is used), so no value is
 * more likely than another.
 */
#include <stdio.h>
#include <string.h>

#include "khum/hash.h"
#include "khum/rla.h"

khum_code khum_rla_rng_init(khum_rla_rng *r, const char *seed, khum_err *err)
{
    size_t len = seed ? strlen(seed) : 0;
    if (len == 0 || len >= sizeof r->seed)
        return khum_err_set(err, KHUM_ERR_USAGE, "RLA.507",
                            "a random seed must have 1 to %zu characters", sizeof r->seed - 1);
    memcpy(r->seed, seed, len + 1);
    r->counter = 0;
    return KHUM_OK;
}

static void next_number(khum_rla_rng *r, unsigned char out[KHUM_SHA256_BYTES])
{
    char tail[32];
    int n = snprintf(tail, sizeof tail, ",%llu", (unsigned long long)++r->counter);
    khum_sha256 s;
    khum_sha256_init(&s);
    khum_sha256_update(&s, r->seed, strlen(r->seed));
    khum_sha256_update(&s, tail, (size_t)n);
    khum_sha256_final(&s, out);
}

/* 2^256 mod n. */
static uint64_t wrap_mod(uint64_t n)
{
    unsigned __int128 r = 1;
    for (int i = 0; i < 32; i++)
        r = (r << 8) % n;
    return (uint64_t)r;
}

uint64_t khum_rla_rng_below(khum_rla_rng *r, uint64_t n)
{
    if (n <= 1)
        return 0;
    uint64_t over = wrap_mod(n);
    for (;;) {
        unsigned char x[KHUM_SHA256_BYTES];
        next_number(r, x);
        /* x >= 2^256 - over exactly when x + over carries out of 256 bits */
        unsigned carry = 0;
        uint64_t add = over;
        for (int i = KHUM_SHA256_BYTES - 1; i >= 0; i--) {
            unsigned sum = x[i] + (unsigned)(add & 0xff) + carry;
            carry = sum >> 8;
            add >>= 8;
        }
        if (carry)
            continue;
        unsigned __int128 rem = 0;
        for (int i = 0; i < KHUM_SHA256_BYTES; i++)
            rem = ((rem << 8) | x[i]) % n;
        return (uint64_t)rem;
    }
}
