/*
 * bench_tabulate.c: from the CSV of every station form of a SYNTHETIC
 * national election to seats in every commune and the national table,
 * (a) in memory: read and check the forms, sum them, allocate every commune;
 * (b) through the SQLite store: import the forms (one transaction, every
 *     row checked and stored with its entry, state and event), then tabulate
 *     from the database.
 * Prints the time of each, the peak memory, and the national seats per party
 * so bench/tabulate/run can compare them with the peers' answers.
 *
 * usage: bench_tabulate ELECTION_DIR DB   (DB holds the gazetteer, parties
 *        and the election definition already)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "khum/app.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const khum_err *err)
{
    char msg[1024];
    khum_err_format(err, msg, sizeof msg);
    fprintf(stderr, "bench_tabulate: %s\n", msg);
    exit(1);
}

static khum_csv *open_in(const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    khum_csv *c;
    khum_err err;
    if (khum_csv_open_path(path, &c, &err))
        die(&err);
    return c;
}

/* Read and check every form; returns them (in arena a). */
static khum_form *read_forms(const khum_election *e, const char *dir, khum_arena *a, size_t *n,
                             const char ***expl)
{
    khum_csv *csv = open_in(dir, "results.csv");
    khum_form_reader *r;
    khum_err err;
    if (khum_form_reader_open(csv, e, a, &r, &err))
        die(&err);
    size_t cap = 32768;
    khum_form *v = khum_arena_alloc(a, cap * sizeof *v);
    *expl = khum_arena_alloc(a, cap * sizeof **expl);
    *n = 0;
    khum_form f;
    const char *x;
    int got;
    while ((got = khum_form_reader_next(r, &f, &x, &err)) > 0 && *n < cap) {
        khum_checks c;
        khum_form_check(e, &f, &c);
        if (c.errors)
            continue;
        (*expl)[*n] = x;
        v[(*n)++] = f;
    }
    if (got < 0)
        die(&err);
    khum_csv_close(csv);
    return v;
}

static void print_seats(const char *label, const khum_tally *t)
{
    printf("%s seats:", label);
    for (size_t p = 0; p < t->nparties; p++)
        if (t->nation.seats[p])
            printf(" %s=%d", t->parties[p], t->nation.seats[p]);
    int waiting = 0;
    for (size_t i = 0; i < t->ncommunes; i++)
        waiting += t->communes[i].needs_lots;
    printf(" (communes waiting for lots: %d)\n", waiting);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_tabulate ELECTION_DIR DB\n");
        return 2;
    }
    khum_err err;
    khum_election e;
    khum_election_init(&e);
    khum_csv *c[4] = {open_in(argv[1], "election.csv"), open_in(argv[1], "communes.csv"),
                      open_in(argv[1], "lists.csv"), open_in(argv[1], "stations.csv")};
    if (khum_election_read(&e, c[0], c[1], c[2], c[3], &err))
        die(&err);
    for (int i = 0; i < 4; i++)
        khum_csv_close(c[i]);

    /* (a) in memory */
    double t0 = now();
    khum_arena a;
    khum_arena_init(&a, 0);
    size_t n;
    const char **expl;
    khum_form *forms = read_forms(&e, argv[1], &a, &n, &expl);
    double tr = now() - t0;
    khum_tally t;
    if (khum_tally_run(&e, forms, n, NULL, 0, &t, &err))
        die(&err);
    double ta = now() - t0;
    printf("memory: %zu forms, %zu communes: read and check %.1f ms, tabulate %.1f ms, "
           "total %.1f ms\n", n, t.ncommunes, tr * 1e3, (ta - tr) * 1e3, ta * 1e3);
    print_seats("memory", &t);
    khum_tally_free(&t);

    /* (b) through the store */
    khum_store *s;
    if (khum_store_open(argv[2], &s, &err))
        die(&err);
    t0 = now();
    khum_arena_reset(&a);
    forms = read_forms(&e, argv[1], &a, &n, &expl);
    if (khum_app_import_forms(s, &e, "bench", forms, expl, NULL, n, &err))
        die(&err);
    double ti = now() - t0;
    if (khum_app_tally(s, &e, &t, &err))
        die(&err);
    double tb = now() - t0;
    printf("store: import %.1f ms, tabulate %.1f ms, total %.1f ms\n", ti * 1e3,
           (tb - ti) * 1e3, tb * 1e3);
    print_seats("store", &t);
    khum_tally_free(&t);
    khum_store_close(s);
    khum_arena_free(&a);
    khum_election_free(&e);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak memory: %ld MB\n", ru.ru_maxrss / 1024);
    return 0;
}
