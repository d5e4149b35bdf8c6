/*
 * bench_alloc.c: how fast the engine allocates Cambodia's 1,652 commune
 * councils. The votes are SYNTHETIC (a fixed-seed generator: 5-11 seats and
 * 2-12 lists per commune, shares drawn around a dominant party); only their
 * shape is realistic. Writes the same districts as CSV for the Python peer
 * (bench/alloc/peer.py) and prints communes per second for the statutory
 * procedure and for D'Hondt, single-threaded, plus a checksum of the seats
 * so the peer's answers can be compared.
 *
 * usage: bench_alloc OUT.csv [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "khum/alloc.h"

#define COMMUNES 1652
#define MAXP 12

typedef struct commune {
    char name[16];
    int seats;
    size_t n;
    khum_alloc_party p[MAXP];
    char names[MAXP][8];
} commune;

static uint64_t rng = 20171116;

static uint64_t next(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717ull;
}

static void make(commune *c, int i)
{
    static const int sizes[] = {5, 5, 5, 7, 7, 7, 9, 9, 11};
    snprintf(c->name, sizeof c->name, "S%04d", i);
    c->seats = sizes[next() % 9];
    c->n = 2 + next() % 11;
    int64_t voters = 1500 + (int64_t)(next() % 9000);
    for (size_t k = 0; k < c->n; k++) {
        snprintf(c->names[k], sizeof c->names[k], "P%02zu", k);
        /* a big first list, a strong second, a tail of small ones */
        int64_t share = k == 0 ? 40 + next() % 30 : k == 1 ? 10 + next() % 35 : next() % 6;
        c->p[k] = (khum_alloc_party){c->names[k], voters * share / 100, true, -1, 0};
    }
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Allocate every commune `rounds` times; returns seconds, fills the checksum. */
static double run(const commune *cs, khum_method m, int rounds, uint64_t *checksum,
                  long *ties)
{
    khum_alloc_rules r;
    khum_alloc_rules_default(&r);
    r.method = m;
    r.lots_seed = "bench";
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_err err;
    *checksum = 0;
    *ties = 0;
    double t0 = now();
    for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < COMMUNES; i++) {
            khum_alloc_input in = {cs[i].name, cs[i].p, cs[i].n, cs[i].seats, -1};
            khum_alloc_result res;
            if (khum_alloc_run(&r, &in, &a, &res, &err)) {
                fprintf(stderr, "bench_alloc: %s: %s\n", cs[i].name, err.msg);
                exit(1);
            }
            if (round == 0) {
                for (size_t k = 0; k < cs[i].n; k++)
                    *checksum = *checksum * 31 + (uint64_t)res.seats[k];
                *ties += res.nties > 0;
            }
            khum_arena_reset(&a);
        }
    }
    double t = now() - t0;
    khum_arena_free(&a);
    return t;
}

static void write_csv(const commune *cs, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fprintf(f, "district,party,votes,seats\n");
    for (int i = 0; i < COMMUNES; i++)
        for (size_t k = 0; k < cs[i].n; k++)
            fprintf(f, "%s,%s,%lld,%d\n", cs[i].name, cs[i].p[k].name,
                    (long long)cs[i].p[k].votes, cs[i].seats);
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_alloc OUT.csv [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 600;
    commune *cs = calloc(COMMUNES, sizeof *cs);
    for (int i = 0; i < COMMUNES; i++)
        make(&cs[i], i);
    write_csv(cs, argv[1]);
    uint64_t sum;
    long ties;
    static const khum_method methods[] = {KHUM_METHOD_CAMBODIA, KHUM_METHOD_DHONDT};
    for (int m = 0; m < 2; m++) {
        run(cs, methods[m], 5, &sum, &ties);  /* warm up */
        double t = run(cs, methods[m], rounds, &sum, &ties);
        printf("khum %-9s %d communes x %d rounds: %.0f communes/s (%.3f us each), "
               "checksum %016llx, %ld communes with a tie\n", khum_method_name(methods[m]),
               COMMUNES, rounds, COMMUNES * (double)rounds / t, t * 1e6 / (COMMUNES * rounds),
               (unsigned long long)sum, ties);
    }
    free(cs);
    return 0;
}
