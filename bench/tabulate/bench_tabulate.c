/*
 * bench_tabulate.c: from the CSV of every station form of a SYNTHETIC
 * national election to seats in every commune and the national table,
 * (a) in memory: khum_tally_csv on the file mapped into memory: each row
 *     read, checked and summed into its commune, nothing kept, the file cut
 *     into one piece per processor; then every commune allocated. Timed on
 *     its first run and as the best of five, on one thread and on all;
 * (b) through the SQLite store: import the forms (one transaction, every
 *     row checked and stored with its entry, state and event), then tabulate
 *     from the database.
 * Prints the time of each, the peak memory, and the national seats per party
 * so bench/tabulate/run can compare them with the peers' answers.
 *
 * usage: bench_tabulate ELECTION_DIR DB   (DB holds the gazetteer, parties
 *        and the election definition already; the gazetteer places each
 *        commune in its district and province for the in-memory tally)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* The results file mapped (read ahead in one call) and tabulated. */
static void in_memory(const khum_election *e, const char *dir, unsigned threads, khum_tally *t,
                      khum_tally_csv_report *rep)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    int fd = open(path, O_RDONLY);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) < 0 || sb.st_size == 0) {
        perror(path);
        exit(1);
    }
    void *data = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    close(fd);
    if (data == MAP_FAILED) {
        perror(path);
        exit(1);
    }
    khum_err err;
    if (khum_tally_csv(e, path, data, (size_t)sb.st_size, threads, NULL, 0, t, rep, &err))
        die(&err);
    munmap(data, (size_t)sb.st_size);
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

/* Each commune's district and province from the gazetteer in DB, so that
 * the in-memory tally sums the levels as the store's does. */
static void place_communes(khum_election *e, const char *db)
{
    khum_err err;
    khum_store *s;
    khum_gazetteer g;
    khum_gazetteer_init(&g);
    if (khum_store_open(db, &s, &err) || khum_store_load_gazetteer(s, "", &g, &err) ||
        khum_gazetteer_check(&g, &err) || khum_election_set_areas(e, &g, &err))
        die(&err);
    khum_store_close(s);
    khum_gazetteer_free(&g);
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
    place_communes(&e, argv[2]);

    /* (a) in memory */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned all = cpus > 1 ? (unsigned)cpus : 1;
    double first = 0, best1 = 1e9, bestn = 1e9;
    size_t pieces = 0;
    khum_tally t;
    khum_tally_csv_report rep;
    for (int run = 0; run < 10; run++) {
        unsigned threads = run % 2 ? 1 : all;  /* alternate, so noise hits both alike */
        double t0 = now();
        in_memory(&e, argv[1], threads, &t, &rep);
        double dt = now() - t0;
        if (run == 0) {
            first = dt;
            pieces = rep.pieces;
        }
        if (threads == 1 && dt < best1)
            best1 = dt;
        if (threads == all && dt < bestn)
            bestn = dt;
        if (run < 9) {
            khum_tally_free(&t);
            khum_tally_csv_report_free(&rep);
        }
    }
    printf("memory: %zu forms (%zu rejected), %zu communes, file in %zu pieces: first run "
           "%.1f ms, best of 5 %.1f ms on %u threads, %.1f ms on 1\n", rep.forms,
           rep.rejected.n, t.ncommunes, pieces, first * 1e3, bestn * 1e3, all, best1 * 1e3);
    print_seats("memory", &t);
    khum_tally_free(&t);
    khum_tally_csv_report_free(&rep);
    khum_arena a;
    khum_arena_init(&a, 0);
    size_t n;
    const char **expl;
    khum_form *forms;

    /* (b) through the store */
    khum_store *s;
    if (khum_store_open(argv[2], &s, &err))
        die(&err);
    double t0 = now();
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
