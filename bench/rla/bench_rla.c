/*
 * bench_rla.c: the audit mathematics on a whole SYNTHETIC national election
 * (khum synth --out DIR: results.csv, stations.csv, communes.csv):
 *   1. the assertions of every commune (best of five; aim < 50 ms);
 *   2. the plan of every commune with RUNS simulated audits each, per mode
 *      (aim for polling with 10,000 runs: < 60 s), and the national
 *      workload table at alpha = 5 %;
 *   3. the measured risk: ten communes that sampling can confirm (binding
 *      diluted margin >= 5 %), each given a true count wrong by the fewest
 *      ballots that can make it wrong, each audited TRIALS times by polling
 *      (at most half the ballots); the share wrongly confirmed against alpha.
 * usage: bench_rla DIR [RUNS [MODES [TRIALS]]]  (MODES e.g. polling,oneaudit,stations)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "khum/alloc.h"
#include "khum/csv.h"
#include "khum/rla.h"
#include "khum/str.h"

#define MAXP 16

typedef struct station {
    char code[32];
    int commune;
    int64_t cast, invalid, votes[MAXP];
    bool runs[MAXP];
} station;

typedef struct commune {
    char code[16];
    int seats;
    size_t first, nst;            /* its stations */
    int64_t votes[MAXP], invalid, cast;
    int list_of[MAXP];            /* party -> list index, -1 when absent */
    size_t nlists;
    khum_alloc_party lists[MAXP];
    int won[MAXP];
    int64_t stvotes[64][MAXP];    /* per station, per list */
    khum_rla_station st[64];
    khum_alloc_rules rules;
    khum_rla_contest c;
    khum_rla_assertion *as;
    size_t nas;
} commune;

static char party[MAXP][16];
static size_t nparty;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what, const khum_err *err)
{
    char msg[1024] = "";
    if (err)
        khum_err_format(err, msg, sizeof msg);
    fprintf(stderr, "bench_rla: %s %s\n", what, msg);
    exit(1);
}

static khum_csv *open_csv(const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    khum_csv *c;
    khum_err err;
    if (khum_csv_open_path(path, &c, &err) || khum_csv_read_header(c, &err))
        die(path, &err);
    return c;
}

static int64_t num(const char *s)
{
    int64_t v = 0;
    return *s && khum_parse_i64(s, &v) ? v : 0;
}

/* communes.csv and stations.csv: communes in file order, stations grouped. */
static commune *read_election(const char *dir, size_t *ncom, station **sts, size_t *nsts)
{
    khum_err err;
    size_t cap = 2048, n = 0, sn = 0, scap = 32768;
    commune *cs = calloc(cap, sizeof *cs);
    station *st = calloc(scap, sizeof *st);
    khum_csv *c = open_csv(dir, "communes.csv");
    while (khum_csv_next(c, &err) == 1 && n < cap) {
        snprintf(cs[n].code, sizeof cs[n].code, "%s", khum_csv_get(c, 0));
        cs[n++].seats = (int)num(khum_csv_get(c, 1));
    }
    khum_csv_close(c);
    c = open_csv(dir, "results.csv");
    int ccast = khum_csv_col(c, "cast"), cinv = khum_csv_col(c, "invalid"), cp[MAXP];
    const char *fixed = "station registered received cast spoiled unused valid invalid explanation";
    for (size_t i = 0; i < khum_csv_count(c) && nparty < MAXP; i++) {
        const char *h = khum_csv_header(c, i);
        char pad[40];
        snprintf(pad, sizeof pad, " %s ", h);
        char all[128];
        snprintf(all, sizeof all, " %s ", fixed);
        if (!strstr(all, pad)) {
            snprintf(party[nparty], sizeof party[0], "%s", h);
            cp[nparty++] = (int)i;
        }
    }
    while (khum_csv_next(c, &err) == 1 && sn < scap) {
        station *s = &st[sn++];
        snprintf(s->code, sizeof s->code, "%s", khum_csv_get(c, 0));
        s->cast = num(khum_csv_get(c, (size_t)ccast));
        s->invalid = num(khum_csv_get(c, (size_t)cinv));
        for (size_t p = 0; p < nparty; p++) {
            const char *v = khum_csv_get(c, (size_t)cp[p]);
            s->runs[p] = *v != 0;
            s->votes[p] = num(v);
        }
        /* the commune is the station code before its '-' */
        size_t len = strcspn(s->code, "-");
        s->commune = -1;
        for (size_t k = 0; k < n; k++)
            if (strlen(cs[k].code) == len && strncmp(cs[k].code, s->code, len) == 0) {
                s->commune = (int)k;
                break;
            }
    }
    khum_csv_close(c);
    *ncom = n;
    *sts = st;
    *nsts = sn;
    return cs;
}

/* Each commune's lists, official seats, station figures. */
static void build(commune *cs, size_t n, station *st, size_t nst)
{
    size_t at = 0;
    for (size_t k = 0; k < n; k++) {
        commune *m = &cs[k];
        while (at < nst && st[at].commune != (int)k)
            at++;  /* stations come grouped by commune, in commune order */
        m->first = at;
        while (at < nst && st[at].commune == (int)k && m->nst < 64)
            m->nst++, at++;
        for (size_t p = 0; p < nparty; p++)
            m->list_of[p] = -1;
        for (size_t g = 0; g < m->nst; g++)
            for (size_t p = 0; p < nparty; p++)
                if (st[m->first + g].runs[p] && m->list_of[p] < 0)
                    m->list_of[p] = (int)m->nlists++;
        for (size_t p = 0; p < nparty; p++)
            if (m->list_of[p] >= 0)
                m->lists[m->list_of[p]] = (khum_alloc_party){party[p], 0, true, -1, (int)p + 1};
        for (size_t g = 0; g < m->nst; g++) {
            const station *s = &st[m->first + g];
            for (size_t p = 0; p < nparty; p++)
                if (m->list_of[p] >= 0) {
                    m->stvotes[g][m->list_of[p]] = s->votes[p];
                    m->lists[m->list_of[p]].votes += s->votes[p];
                }
            m->st[g] = (khum_rla_station){s->cast, m->stvotes[g], 0, s->invalid};
            m->invalid += s->invalid;
            m->cast += s->cast;
        }
        khum_alloc_rules_default(&m->rules);
        m->rules.method = KHUM_METHOD_CAMBODIA;
        m->rules.lots_seed = "bench";
        khum_arena a;
        khum_arena_init(&a, 0);
        khum_alloc_input in = {m->code, m->lists, m->nlists, m->seats, -1};
        khum_alloc_result res;
        khum_err err;
        if (khum_alloc_run(&m->rules, &in, &a, &res, &err))
            die(m->code, &err);
        memcpy(m->won, res.seats, m->nlists * sizeof *m->won);
        khum_arena_free(&a);
        m->c = (khum_rla_contest){m->code, &m->rules, m->lists, m->won, m->nlists, m->seats,
                                  0,       m->invalid, m->cast, false, false};
    }
}

static double assertions_all(commune *cs, size_t n, khum_arena *a, size_t *total)
{
    khum_arena_reset(a);
    double t0 = now();
    *total = 0;
    for (size_t k = 0; k < n; k++) {
        khum_err err;
        if (khum_rla_assertions(&cs[k].c, a, &cs[k].as, &cs[k].nas, &err))
            die(cs[k].code, &err);
        *total += cs[k].nas;
    }
    return (now() - t0) * 1e3;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void plan_mode(commune *cs, size_t n, khum_rla_mode mode, int runs)
{
    khum_rla_plan_opts o;
    khum_rla_plan_opts_default(&o);
    o.runs = runs;
    o.seed = "bench-rla";
    double t0 = now(), work = 0, units = 0, sampled_work = 0;
    size_t full = 0, sampled = 0, why[4] = {0};
    long total_runs = 0;
    for (size_t k = 0; k < n; k++) {
        khum_rla_plan p;
        khum_err err;
        if (khum_rla_plan_commune(&cs[k].c, cs[k].as, cs[k].nas, cs[k].st, cs[k].nst, mode, &o,
                                  &p, &err))
            die(cs[k].code, &err);
        units += (double)p.units;
        total_runs += p.runs;
        if (p.full_recount) {
            full++;
            work += (double)p.units;
            why[p.why]++;
        } else {
            sampled++;
            work += p.expected;
            sampled_work += p.expected;
        }
    }
    double s = now() - t0;
    const char *unit = mode == KHUM_RLA_MODE_STATIONS ? "stations" : "ballots";
    printf("plan %-8s: %.1f s for %zu communes, %ld simulated audits (%d per commune)\n",
           khum_rla_mode_name(mode), s, n, total_runs, runs);
    printf("  sampling: %zu communes, expected %.0f %s in all\n", sampled, sampled_work, unit);
    printf("  full recount: %zu communes (tie %zu, work past half a full count %zu)\n", full,
           why[KHUM_RLA_WHY_TIE], why[KHUM_RLA_WHY_WORK]);
    printf("  national work: %.0f of %.0f %s (%.1f %%)\n", work, units, unit,
           100 * work / units);
}

/* The measured risk: `communes` communes whose binding diluted margin is at
 * least 5 %, made wrong by a hair (the true count moves ballots from the
 * binding winner to its loser until that assertion fails), each audited
 * `trials` times by polling with a sample of at most half the ballots. */
static void measured_risk(commune *cs, size_t n, int communes, int trials)
{
    double *v = malloc(n * sizeof *v);
    for (size_t k = 0; k < n; k++)
        v[k] = cs[k].as[khum_rla_binding(cs[k].as, cs[k].nas)].v;
    double *sorted = malloc(n * sizeof *sorted);
    memcpy(sorted, v, n * sizeof *v);
    qsort(sorted, n, sizeof *sorted, by_double);
    printf("binding diluted margins: median %.2f %%, one commune in five under %.2f %%\n",
           100 * sorted[n / 2], 100 * sorted[n / 5]);
    khum_rla_params p;
    khum_rla_params_default(&p);
    long wrong = 0, audits = 0;
    uint64_t rng = 88172645463325252ULL;
    double t0 = now();
    for (size_t k = 0; k < n && communes > 0; k++) {
        commune *m = &cs[k];
        const khum_rla_assertion *b = &m->as[khum_rla_binding(m->as, m->nas)];
        if (b->kind != KHUM_RLA_PAIR || b->v < 0.05)
            continue;  /* communes that sampling can confirm: the interesting risk */
        communes--;
        /* truth: move ballots from the winner to the loser until the binding
         * assertion fails (sum of w <= 0) */
        int64_t truth[MAXP + 2];
        for (size_t i = 0; i < m->nlists; i++)
            truth[i] = m->lists[i].votes;
        truth[m->nlists] = 0;  /* no blank column in these forms */
        int64_t counted = 0;
        for (size_t i = 0; i < m->nlists; i++)
            counted += truth[i];
        truth[m->nlists + 1] = m->cast - counted;
        int64_t margin = b->margin, step = b->wmax + b->m;
        int64_t moves = margin / step + 1;
        truth[b->winner] -= moves;
        truth[b->loser] += moves;
        int64_t N = m->cast;
        int *readings = malloc((size_t)N * sizeof *readings);
        int64_t *left = malloc((m->nlists + 2) * sizeof *left);
        double pv[512];
        for (int t = 0; t < trials; t++) {
            memcpy(left, truth, (m->nlists + 2) * sizeof *left);
            int64_t remaining = N, cap = N / 2;
            for (int64_t j = 0; j < cap; j++) {
                rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
                int64_t pick = (int64_t)(rng % (uint64_t)remaining);
                size_t c = 0;
                while (pick >= left[c])
                    pick -= left[c++];
                left[c]--;
                remaining--;
                readings[j] = c < m->nlists ? (int)c : c == m->nlists ? KHUM_RLA_BLANK : KHUM_RLA_INVALID;
            }
            khum_rla_status s = KHUM_RLA_CONTINUE;  /* die() does not return; clang cannot tell */
            khum_err err;
            if (m->nas > 512 ||
                khum_rla_polling(m->as, m->nas, readings, (size_t)cap, &p, pv, &s, &err))
                die(m->code, &err);
            wrong += s == KHUM_RLA_CONFIRMED;
            audits++;
        }
        free(readings);
        free(left);
    }
    double share = audits ? (double)wrong / audits : 0;
    printf("measured risk: %ld of %ld audits of wrong communes confirmed = %.4f (alpha %.2f, "
           "bound alpha + 3 se = %.4f) in %.1f s\n",
           wrong, audits, share, p.alpha,
           p.alpha + 3 * sqrt(p.alpha * (1 - p.alpha) / (audits ? audits : 1)), now() - t0);
    free(v);
    free(sorted);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_rla DIR [RUNS [MODES [TRIALS]]]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 10000;
    const char *modes = argc > 3 ? argv[3] : "polling";
    int trials = argc > 4 ? atoi(argv[4]) : 10000;
    size_t n, nst;
    station *st;
    commune *cs = read_election(argv[1], &n, &st, &nst);
    build(cs, n, st, nst);
    printf("bench/rla: %zu communes, %zu stations, %zu parties (SYNTHETIC)\n", n, nst, nparty);
    khum_arena a;
    khum_arena_init(&a, 0);
    size_t total = 0;
    double first = assertions_all(cs, n, &a, &total), best = first;
    for (int i = 0; i < 4; i++) {
        double t = assertions_all(cs, n, &a, &total);
        best = t < best ? t : best;
    }
    printf("assertions: %zu for %zu communes, first run %.1f ms, best of 5 %.1f ms (aim < 50 "
           "ms)\n", total, n, first, best);
    if (trials > 0)
        measured_risk(cs, n, 10, trials);
    for (int m = 0; m < 3; m++)
        if (strstr(modes, khum_rla_mode_name((khum_rla_mode)m)))
            plan_mode(cs, n, (khum_rla_mode)m, runs);
    khum_arena_free(&a);
    free(cs);
    free(st);
    return 0;
}
