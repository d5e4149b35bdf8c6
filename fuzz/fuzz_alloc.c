/*
 * fuzz_alloc.c: libFuzzer target for the allocation engine. The input bytes
 * choose a method, a magnitude and up to 12 lists with votes (sometimes
 * equal, zero, capped or ineligible). Invariants checked:
 *   - seats sum to the magnitude unless lots are pending or lists are capped;
 *   - reversing the order of the lists changes no list's seats;
 *   - differential: the statutory procedure gives D'Hondt's seats.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/alloc.h"

typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

static uint32_t take(reader *r, int bytes)
{
    uint32_t v = 0;
    for (int i = 0; i < bytes; i++) {
        v = v << 8 | (r->n ? *r->p : 0);
        if (r->n) {
            r->p++;
            r->n--;
        }
    }
    return v;
}

static int run(khum_method m, const khum_alloc_party *p, size_t n, int seats, const char *seed,
               khum_arena *a, khum_alloc_result *res)
{
    khum_alloc_rules r;
    khum_alloc_rules_default(&r);
    r.method = m;
    r.lots_seed = seed;
    if (m == KHUM_METHOD_SAINTE_LAGUE) {
        r.first_div_num = 7;
        r.first_div_den = 5;
    }
    khum_alloc_input in = {"f", p, n, seats, -1};
    khum_err err;
    return khum_alloc_run(&r, &in, a, res, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader rd = {data, size};
    khum_method m = (khum_method)(take(&rd, 1) % 7);
    int seats = 1 + (int)(take(&rd, 1) % 40);
    size_t n = 1 + take(&rd, 1) % 12;
    const char *seed = take(&rd, 1) & 1 ? "fuzz" : NULL;
    static char names[12][8];
    khum_alloc_party p[12], rev[12];
    bool capped = false;
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "L%zu", i);
        uint32_t flags = take(&rd, 1);
        int64_t v = take(&rd, flags & 0x80 ? 3 : 2);
        p[i] = (khum_alloc_party){names[i], v, (flags & 0x7) != 0, -1, 0};
        if ((flags & 0x30) == 0x30) {
            p[i].max_seats = flags & 0x7;
            capped = true;
        }
    }
    for (size_t i = 0; i < n; i++)
        rev[i] = p[n - 1 - i];
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_alloc_result r1, r2;
    int rc1 = run(m, p, n, seats, seed, &a, &r1);
    int rc2 = run(m, rev, n, seats, seed, &a, &r2);
    if (rc1 != rc2)
        abort();
    if (rc1 == KHUM_OK) {
        int sum = 0;
        for (size_t i = 0; i < n; i++) {
            sum += r1.seats[i];
            if (r1.seats[i] != r2.seats[n - 1 - i])
                abort();  /* the order of the input decided a seat */
        }
        if (!r1.needs_lots && !capped && sum != seats)
            abort();
        if (sum + r1.unfilled > seats)
            abort();
        if (m == KHUM_METHOD_CAMBODIA && !r1.needs_lots) {
            khum_alloc_result d;
            if (run(KHUM_METHOD_DHONDT, p, n, seats, seed, &a, &d) != KHUM_OK || d.needs_lots)
                abort();
            for (size_t i = 0; i < n; i++)
                if (d.seats[i] != r1.seats[i])
                    abort();  /* statutory and D'Hondt differ */
        }
    }
    khum_arena_free(&a);
    return 0;
}
