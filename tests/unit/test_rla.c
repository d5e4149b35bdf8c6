/*
 * test_rla.c: the audit mathematics (src/rla) against the known answers of
 * shared/docs/audits.md (Stark & Teague's Denmark 2014, ALPHA's no-error
 * sample sizes), the soundness of the assertions (whenever they all hold
 * for a count, that count gives the reported seats), the risk limit (wrong
 * communes audited 1,000 times are confirmed at most alpha of the time,
 * within sampling error; bench/rla runs 10,000), the replayable stream and
 * bad input.
 */
#include <math.h>

#include "testutil.h"

#include "khum/alloc.h"
#include "khum/rla.h"

/* A commune: lists (names fixed), votes, blank/invalid, seats from the rules. */
typedef struct commune {
    khum_alloc_rules rules;
    khum_alloc_party lists[8];
    int seats[8];
    size_t n;
    int S;
    int64_t blank, invalid, ballots;
    khum_rla_contest c;
} commune;

static const char *const names[8] = {"A", "B", "C", "D", "E", "F", "G", "H"};

/* Fill a commune and give it the seats its rules give its votes. */
static void make(commune *m, khum_method method, int S, const int64_t *votes, size_t n,
                 int64_t blank, int64_t invalid)
{
    memset(m, 0, sizeof *m);
    khum_alloc_rules_default(&m->rules);
    m->rules.method = method;
    m->n = n;
    m->S = S;
    m->blank = blank;
    m->invalid = invalid;
    for (size_t i = 0; i < n; i++)
        m->lists[i] = (khum_alloc_party){names[i], votes[i], true, -1, (int)i + 1};
}

static bool allocate(commune *m, int *seats)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_alloc_input in = {"d", m->lists, m->n, m->S, -1};
    khum_alloc_result res;
    khum_err err;
    khum_err_clear(&err);
    bool ok = khum_alloc_run(&m->rules, &in, &a, &res, &err) == KHUM_OK && !res.needs_lots;
    bool tied = false;
    for (size_t t = 0; ok && t < res.nties; t++)
        tied |= res.ties[t].how != KHUM_TIED_ORDER_ONLY;
    if (ok)
        memcpy(seats, res.seats, m->n * sizeof *seats);
    khum_arena_free(&a);
    return ok && !tied;
}

static void contest(commune *m)
{
    m->c = (khum_rla_contest){"T", &m->rules, m->lists, m->seats, m->n, m->S,
                              m->blank,  m->invalid, m->ballots, false, false};
}

static khum_rla_assertion *assertions(commune *m, khum_arena *a, size_t *n)
{
    contest(m);
    khum_rla_assertion *as;
    khum_err err;
    khum_err_clear(&err);
    khum_code rc = khum_rla_assertions(&m->c, a, &as, n, &err);
    if (rc)
        fail_msg("assertions: %s [%s]", err.msg, err.rule);
    return as;
}

/* A commune with the seats its votes give, its assertions (in a) and the
 * default parameters: the start of most tests. */
static khum_rla_assertion *setup(commune *m, khum_method method, int S, const int64_t *v,
                                 size_t n, int64_t blank, int64_t invalid, khum_arena *a,
                                 size_t *na, khum_rla_params *p)
{
    make(m, method, S, v, n, blank, invalid);
    assert_true(allocate(m, m->seats));
    khum_arena_init(a, 0);
    khum_rla_params_default(p);
    return assertions(m, a, na);
}

/* ---- Stark & Teague, Denmark 2014 ------------------------------------- */

/* The European Parliament election of 2014 in Denmark: 13 seats by D'Hondt
 * between the electoral alliances A+B+F and C+V and the lists I, N, O, then
 * by D'Hondt within each alliance. Stark & Teague (2014): N u = 262.24 and a
 * comparison audit at alpha = 0.001 (gamma = 0.95) needs 1,903 ballots. */
static double denmark_nu(khum_method method, const int64_t *v, const int *s, size_t n, int S)
{
    commune m;
    make(&m, method, S, v, n, 0, 0);
    memcpy(m.seats, s, n * sizeof *s);
    m.ballots = 2332217;
    khum_arena a;
    khum_arena_init(&a, 0);
    size_t na;
    khum_rla_assertion *as = assertions(&m, &a, &na);
    double worst = 0;
    for (size_t i = 0; i < na; i++) {
        assert_true(as[i].margin > 0);
        /* their per-ballot bound (d_B + d_A)/(d_B T_A - d_A T_B) is 2u/(v N) */
        double nu = 2 * as[i].u / as[i].v;
        worst = nu > worst ? nu : worst;
    }
    khum_arena_free(&a);
    return worst;
}

static void test_denmark_2014(void **state)
{
    (void)state;
    const int64_t top[] = {833499, 65480, 183724, 605889, 588102};  /* ABF I N O CV */
    const int top_seats[] = {5, 0, 1, 4, 3};
    const int64_t abf[] = {435245, 148949, 249305};
    const int abf_seats[] = {3, 1, 1};
    const int64_t cv[] = {208262, 379840};
    const int cv_seats[] = {1, 2};
    double nu = denmark_nu(KHUM_METHOD_DHONDT, top, top_seats, 5, 13);
    double a = denmark_nu(KHUM_METHOD_DHONDT, abf, abf_seats, 3, 5);
    double b = denmark_nu(KHUM_METHOD_DHONDT, cv, cv_seats, 2, 3);
    nu = fmax(nu, fmax(a, b));
    assert_true(fabs(nu - 262.24) < 0.005);
    double alpha = 0.001, gamma = 0.95;
    double n = ceil(log(1 / alpha) / log(gamma / (1 - 1 / nu) + 1 - gamma));
    assert_int_equal((int)n, 1903);
}

/* Exact margins: a pair assertion's margin is d(s_B+1) T_A - d(s_A) T_B. */
static void test_pair_margin_exact(void **state)
{
    (void)state;
    const int64_t v[] = {435245, 148949, 249305};
    commune m;
    make(&m, KHUM_METHOD_DHONDT, 5, v, 3, 10, 5);
    assert_true(allocate(&m, m.seats));
    assert_int_equal(m.seats[0], 3);
    khum_arena a;
    khum_arena_init(&a, 0);
    size_t n;
    khum_rla_assertion *as = assertions(&m, &a, &n);
    assert_int_equal(n, 6);  /* every (holder, other) pair */
    bool found = false;
    for (size_t i = 0; i < n; i++)
        if (as[i].winner == 0 && as[i].loser == 2) {  /* A's 3rd seat against F's 2nd */
            found = true;
            /* 2 T_A - 3 T_F: A's 3rd divisor against F's 2nd */
            assert_int_equal(as[i].weight[0], 2);
            assert_int_equal(as[i].weight[1], 0);
            assert_int_equal(as[i].weight[2], -3);
            assert_int_equal(as[i].margin, 2 * 435245 - 3 * 249305);
            assert_int_equal(as[i].m, 3);
            assert_int_equal(as[i].diluted.den, 3 * (435245 + 148949 + 249305 + 15));
        }
    assert_true(found);
    int b = khum_rla_binding(as, n);
    assert_true(as[b].binding);
    for (size_t i = 0; i < n; i++)
        assert_true(as[i].v >= as[b].v);
    khum_arena_free(&a);
}

/* ---- Soundness: the assertions imply the seats --------------------------- */

static uint64_t xs_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Sum of w over a count (blank and invalid as given). */
static __int128 score(const khum_rla_assertion *a, const int64_t *v, size_t n, int64_t blank,
                      int64_t invalid)
{
    __int128 s = (__int128)a->weight[n] * blank + (__int128)a->weight[n + 1] * invalid;
    for (size_t i = 0; i < n; i++)
        s += (__int128)a->weight[i] * v[i];
    return s;
}

/* For random communes under one rule set: every count that keeps N and for
 * which every assertion holds gives the reported seats. */
static void soundness(khum_method method, khum_quota quota, int64_t threshold)
{
    uint64_t rng = 0x9e3779b97f4a7c15ULL ^ (uint64_t)method * 7919 ^ (uint64_t)quota;
    int checked = 0;
    for (int trial = 0; trial < 300; trial++) {
        commune m;
        size_t n = 2 + xs_next(&rng) % 5;
        int64_t v[8];
        for (size_t i = 0; i < n; i++)
            v[i] = (int64_t)(xs_next(&rng) % 300);
        make(&m, method, 3 + (int)(xs_next(&rng) % 7), v, n, (int64_t)(xs_next(&rng) % 20),
             (int64_t)(xs_next(&rng) % 20));
        m.rules.quota = quota;
        m.rules.threshold_num = threshold;
        m.rules.threshold_den = 1;
        if (!allocate(&m, m.seats))
            continue;
        khum_arena a;
        khum_arena_init(&a, 0);
        size_t na;
        khum_rla_assertion *as = assertions(&m, &a, &na);
        for (int p = 0; p < 200; p++) {
            /* move a few ballots between choices (N stays) */
            int64_t t[10];
            memcpy(t, v, n * sizeof *t);
            t[n] = m.blank;
            t[n + 1] = m.invalid;
            int moves = 1 + (int)(xs_next(&rng) % 40);
            for (int k = 0; k < moves; k++) {
                size_t from = xs_next(&rng) % (n + 2), to = xs_next(&rng) % (n + 2);
                int64_t q = (int64_t)(xs_next(&rng) % 8);
                if (t[from] >= q) {
                    t[from] -= q;
                    t[to] += q;
                }
            }
            bool all = true;
            for (size_t i = 0; i < na && all; i++)
                all = score(&as[i], t, n, t[n], t[n + 1]) > 0;
            if (!all)
                continue;
            commune truth = m;
            for (size_t i = 0; i < n; i++)
                truth.lists[i].votes = t[i];
            int seats[8];
            if (!allocate(&truth, seats))
                fail_msg("trial %d: the assertions hold but the count ties", trial);
            for (size_t i = 0; i < n; i++)
                if (seats[i] != m.seats[i])
                    fail_msg("trial %d (%s): the assertions hold but list %zu gets %d, not %d",
                             trial, khum_method_name(method), i, seats[i], m.seats[i]);
            checked++;
        }
        khum_arena_free(&a);
    }
    assert_true(checked > 1000);  /* the property was exercised */
}

static void test_sound_dhondt(void **s) { (void)s; soundness(KHUM_METHOD_DHONDT, 0, 0); }
static void test_sound_sainte_lague(void **s) { (void)s; soundness(KHUM_METHOD_SAINTE_LAGUE, 0, 0); }
static void test_sound_cambodia(void **s) { (void)s; soundness(KHUM_METHOD_CAMBODIA, 0, 0); }
static void test_sound_1998(void **s) { (void)s; soundness(KHUM_METHOD_CAMBODIA_1998, 0, 0); }
static void test_sound_hare(void **s)
{
    (void)s;
    soundness(KHUM_METHOD_LARGEST_REMAINDER, KHUM_QUOTA_HARE, 0);
    soundness(KHUM_METHOD_LARGEST_REMAINDER, KHUM_QUOTA_HAGENBACH_BISCHOFF, 0);
}
static void test_sound_threshold(void **s)
{
    (void)s;
    soundness(KHUM_METHOD_DHONDT, 0, 5);
    soundness(KHUM_METHOD_LARGEST_REMAINDER, KHUM_QUOTA_HARE, 10);
}

/* ---- ALPHA's no-error sample sizes ------------------------------------- */

static double polling_work(int64_t winner, int64_t loser, int runs)
{
    const int64_t v[] = {winner, loser};
    commune m;
    make(&m, KHUM_METHOD_DHONDT, 1, v, 2, 0, 0);
    m.seats[0] = 1;
    khum_arena a;
    khum_arena_init(&a, 0);
    size_t na;
    khum_rla_assertion *as = assertions(&m, &a, &na);
    khum_rla_plan_opts o;
    khum_rla_plan_opts_default(&o);
    o.runs = runs;
    o.recount_share = 1;
    khum_rla_plan plan;
    khum_err err;
    assert_int_equal(khum_rla_plan_commune(&m.c, as, na, NULL, 0, KHUM_RLA_MODE_POLLING, &o,
                                           &plan, &err),
                     KHUM_OK);
    khum_arena_free(&a);
    return plan.expected;
}

/* ALPHA (Stark 2023) with no errors, eta_0 the true mean, N = 5,000:
 * 52 % -> ~1,950 ballots, 55 % -> ~530, 60 % -> ~145 (audits.md §5); here
 * the mean of 1,000 runs with the default prior weight d = 100, within 15 %. */
static void test_alpha_sample_sizes(void **state)
{
    (void)state;
    double w52 = polling_work(2600, 2400, 1000), w55 = polling_work(2750, 2250, 1000),
           w60 = polling_work(3000, 2000, 1000);
    print_message("ALPHA no-error work, N=5000: 52%% %.0f, 55%% %.0f, 60%% %.0f\n", w52, w55,
                  w60);
    assert_true(fabs(w52 / 1950 - 1) < 0.15);
    assert_true(fabs(w55 / 530 - 1) < 0.15);
    assert_true(fabs(w60 / 145 - 1) < 0.15);
}

/* ---- The risk limit --------------------------------------------------- */

/* Draw `k` ballots without replacement from the counts urn[0..nc) (choices
 * 0..nc-3 lists, then blank, invalid). */
static void draw(const int64_t *urn, size_t nc, int64_t k, uint64_t *rng, int *out,
                 int *station, const int64_t *station_of_cell, size_t cells)
{
    int64_t left[64], remaining = 0;
    memcpy(left, urn, cells * sizeof *left);
    for (size_t c = 0; c < cells; c++)
        remaining += left[c];
    for (int64_t j = 0; j < k; j++) {
        int64_t pick = (int64_t)(xs_next(rng) % (uint64_t)remaining);
        size_t c = 0;
        while (pick >= left[c])
            pick -= left[c++];
        left[c]--;
        remaining--;
        size_t choice = c % nc;
        out[j] = choice < nc - 2 ? (int)choice : choice == nc - 2 ? KHUM_RLA_BLANK
                                                                  : KHUM_RLA_INVALID;
        if (station)
            station[j] = (int)station_of_cell[c];
    }
}

/* Reported: A 950, B 560, C 290 -> seats 3, 1, 1. True: A 899, B 600,
 * C 301 -> 2, 2, 1: A's third seat (299.67) loses to B's second (300) by a
 * hair, the hardest wrong result to catch. Audit 1,000 times by polling
 * (and by ONEAudit over four stations) with a sample of at most half the
 * ballots: confirmed at most alpha + 3 standard errors of the time. */
static void test_risk_limit(void **state)
{
    (void)state;
    const int64_t rep[] = {950, 560, 290}, truth[] = {899, 600, 301};
    commune m;
    khum_arena a;
    size_t na;
    khum_rla_params p;
    khum_rla_assertion *as = setup(&m, KHUM_METHOD_DHONDT, 5, rep, 3, 150, 50, &a, &na, &p);
    assert_int_equal(m.seats[0], 3);
    /* four stations of 500 ballots, each a quarter of everything */
    const size_t nc = 5;
    int64_t rvotes[4][3], cells[20], where[20];
    khum_rla_station st[4];
    for (int g = 0; g < 4; g++) {
        int64_t tv[5] = {truth[0] / 4 + (g < 3), truth[1] / 4, truth[2] / 4 + (g < 1),
                         150 / 4 + (g < 2), 50 / 4 + (g < 2)};
        int64_t ballots = 0;
        for (size_t k = 0; k < nc; k++) {
            cells[g * nc + k] = tv[k];
            where[g * nc + k] = g;
            ballots += tv[k];
        }
        /* the forms move 51 votes to A from B (40) and C (11), station by station */
        rvotes[g][0] = tv[0] + (g < 3 ? 13 : 12);
        rvotes[g][1] = tv[1] - 10;
        rvotes[g][2] = tv[2] - (g < 3 ? 3 : 2);
        st[g] = (khum_rla_station){ballots, rvotes[g], tv[3], tv[4]};
    }
    int64_t tot = 0;
    for (int c = 0; c < 20; c++)
        tot += cells[c];
    assert_int_equal(tot, 2000);
    uint64_t rng = 12345;
    int runs = 1000, wrong_polling = 0, wrong_oneaudit = 0;
    int readings[1000], stations[1000];
    khum_rla_reading sample[1000];
    double pv[16];
    /* the p-values are valid at every level, not only at alpha */
    const double level[4] = {0.05, 0.1, 0.2, 0.5};
    int below[4] = {0};
    for (int r = 0; r < runs; r++) {
        draw(cells, nc, 1000, &rng, readings, stations, where, 20);
        khum_rla_status s;
        khum_err err;
        assert_int_equal(khum_rla_polling(as, na, readings, 1000, &p, pv, &s, &err), KHUM_OK);
        wrong_polling += s == KHUM_RLA_CONFIRMED;
        double worst = 0;  /* the commune's p-value: its largest assertion p-value */
        for (size_t i = 0; i < na; i++)
            worst = fmax(worst, pv[i]);
        for (int l = 0; l < 4; l++)
            below[l] += worst <= level[l];
        for (int j = 0; j < 1000; j++)
            sample[j] = (khum_rla_reading){stations[j], readings[j]};
        assert_int_equal(khum_rla_oneaudit(as, na, st, 4, sample, 1000, &p, pv, &s, &err),
                         KHUM_OK);
        wrong_oneaudit += s == KHUM_RLA_CONFIRMED;
    }
    double bound = p.alpha + 3 * sqrt(p.alpha * (1 - p.alpha) / runs);
    print_message("wrongly confirmed: polling %d, ONEAudit %d of %d (bound %.3f)\n",
                  wrong_polling, wrong_oneaudit, runs, bound);
    assert_true(wrong_polling <= bound * runs);
    for (int l = 0; l < 4; l++) {
        double b = level[l] + 3 * sqrt(level[l] * (1 - level[l]) / runs);
        print_message("  polling p-value <= %.2f in %d runs (bound %.0f)\n", level[l], below[l],
                      b * runs);
        assert_true(below[l] <= b * runs);
    }
    assert_true(wrong_oneaudit <= bound * runs);
    khum_arena_free(&a);
}

/* The sharper case: a commune with a clear reported margin (binding diluted
 * margin near 10 %) whose true count is wrong by the fewest ballots that can
 * be (moved from the binding winner to its loser). ALPHA confirms such a
 * commune close to alpha of the time, so this test notices a test that is
 * even slightly too bold. 1,000 audits, at most half the ballots each. */
static void test_risk_limit_sharp(void **state)
{
    (void)state;
    const int64_t v[] = {1500, 400, 100};
    commune m;
    khum_arena a;
    size_t na;
    khum_rla_params p;
    khum_rla_assertion *as = setup(&m, KHUM_METHOD_DHONDT, 5, v, 3, 0, 0, &a, &na, &p);
    const khum_rla_assertion *b = &as[khum_rla_binding(as, na)];
    int64_t moves = b->margin / (b->wmax + b->m) + 1;
    int64_t urn[5] = {1500, 400, 100, 0, 0};
    urn[b->winner] -= moves;
    urn[b->loser] += moves;
    uint64_t rng = 4242;
    int runs = 1000, wrong = 0, readings[1000];
    double pv[16];
    for (int r = 0; r < runs; r++) {
        draw(urn, 5, 1000, &rng, readings, NULL, NULL, 5);
        khum_rla_status s;
        khum_err err;
        assert_int_equal(khum_rla_polling(as, na, readings, 1000, &p, pv, &s, &err), KHUM_OK);
        wrong += s == KHUM_RLA_CONFIRMED;
    }
    double bound = p.alpha + 3 * sqrt(p.alpha * (1 - p.alpha) / runs);
    print_message("hair-wrong commune (v %.3f): %d of %d wrongly confirmed (bound %.0f)\n", b->v,
                  wrong, runs, bound * runs);
    assert_true(wrong <= bound * runs);
    khum_arena_free(&a);
}

/* A right commune is confirmed, with about the work the planner predicts. */
static void test_right_commune_workload(void **state)
{
    (void)state;
    const int64_t v[] = {1500, 400, 100};
    commune m;
    khum_arena a;
    size_t na;
    khum_rla_params p;
    khum_rla_assertion *as = setup(&m, KHUM_METHOD_DHONDT, 5, v, 3, 0, 0, &a, &na, &p);
    int64_t urn[5] = {1500, 400, 100, 0, 0};
    uint64_t rng = 777;
    int runs = 300, confirmed = 0;
    double work = 0;
    int readings[2000];
    double pv[16];
    for (int r = 0; r < runs; r++) {
        draw(urn, 5, 2000, &rng, readings, NULL, NULL, 5);
        /* the smallest prefix that confirms: bisect on the prefix length */
        int lo = 1, hi = 1000;
        khum_rla_status s;
        khum_err err;
        assert_int_equal(khum_rla_polling(as, na, readings, (size_t)hi, &p, pv, &s, &err), 0);
        if (s != KHUM_RLA_CONFIRMED) {
            work += 2000;
            continue;
        }
        confirmed++;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            khum_rla_polling(as, na, readings, (size_t)mid, &p, pv, &s, &err);
            if (s == KHUM_RLA_CONFIRMED)
                hi = mid;
            else
                lo = mid + 1;
        }
        work += lo;
    }
    khum_rla_plan_opts o;
    khum_rla_plan_opts_default(&o);
    o.runs = 300;
    khum_rla_plan plan;
    khum_err err;
    assert_int_equal(khum_rla_plan_commune(&m.c, as, na, NULL, 0, KHUM_RLA_MODE_POLLING, &o,
                                           &plan, &err),
                     KHUM_OK);
    print_message("right commune: %d/%d confirmed, mean work %.0f, planned %.0f\n", confirmed,
                  runs, work / runs, plan.expected);
    assert_true(confirmed >= runs * 0.95);
    assert_true(fabs(work / runs / plan.expected - 1) < 0.15);
    assert_false(plan.full_recount);
    khum_arena_free(&a);
}

/* ---- Planner modes ------------------------------------------------------ */

static void test_plan_stations_small_commune(void **state)
{
    (void)state;
    const int64_t v[] = {1210, 1000, 290};
    commune m;
    make(&m, KHUM_METHOD_CAMBODIA, 7, v, 3, 30, 20);
    assert_true(allocate(&m, m.seats));
    khum_arena a;
    khum_arena_init(&a, 0);
    size_t na;
    khum_rla_assertion *as = assertions(&m, &a, &na);
    int64_t sv[5][3];
    khum_rla_station st[5];
    for (int g = 0; g < 5; g++) {
        for (int k = 0; k < 3; k++)
            sv[g][k] = v[k] / 5;
        st[g] = (khum_rla_station){500 + 10, sv[g], 6, 4};
    }
    khum_rla_plan_opts o;
    khum_rla_plan_opts_default(&o);
    o.runs = 100;
    khum_rla_plan plan;
    khum_err err;
    assert_int_equal(khum_rla_plan_commune(&m.c, as, na, st, 5, KHUM_RLA_MODE_STATIONS, &o,
                                           &plan, &err),
                     KHUM_OK);
    assert_int_equal(plan.units, 5);
    assert_true(plan.full_recount);  /* five stations: MACRO needs them all */
    assert_int_equal(plan.q50, 5);
    assert_int_equal(khum_rla_plan_commune(&m.c, as, na, st, 5, KHUM_RLA_MODE_ONEAUDIT, &o,
                                           &plan, &err),
                     KHUM_OK);
    assert_int_equal(plan.units, 2550);
    /* escalation rule: a binding margin under k ballots is a recount */
    o.recount_under = 1000000;
    assert_int_equal(khum_rla_plan_commune(&m.c, as, na, NULL, 0, KHUM_RLA_MODE_POLLING, &o,
                                           &plan, &err),
                     KHUM_OK);
    assert_true(plan.full_recount);
    assert_int_equal(plan.why, KHUM_RLA_WHY_MARGIN);
    khum_arena_free(&a);
}

/* MACRO: with recounts equal to the forms, P = (1 - 1/U)^n after n draws;
 * a recount that takes votes from the winner raises P; a drawn station
 * without a recount is refused. */
static void test_macro(void **state)
{
    (void)state;
    const int64_t v[] = {3000, 1000, 500};
    commune m;
    khum_arena a;
    size_t na;
    khum_rla_params p;
    khum_rla_assertion *as = setup(&m, KHUM_METHOD_DHONDT, 5, v, 3, 0, 0, &a, &na, &p);
    int64_t sv[10][3], rv[10][3];
    khum_rla_station st[10], rc[10];
    for (int g = 0; g < 10; g++) {
        for (int k = 0; k < 3; k++)
            sv[g][k] = rv[g][k] = v[k] / 10;
        st[g] = (khum_rla_station){450, sv[g], 0, 0};
        rc[g] = (khum_rla_station){450, rv[g], 0, 0};
    }
    double u[10], U;
    khum_err err;
    assert_int_equal(khum_rla_macro_bounds(as, na, st, 10, u, &U, &err), KHUM_OK);
    int drawn[40];
    for (int j = 0; j < 40; j++)
        drawn[j] = j % 10;
    double pv;
    khum_rla_status s;
    assert_int_equal(khum_rla_macro(as, na, st, rc, 10, drawn, 3, &p, &pv, &s, &err), KHUM_OK);
    assert_true(fabs(pv - pow(1 - 1 / U, 3)) < 1e-12);
    assert_int_equal(s, pv <= p.alpha ? KHUM_RLA_CONFIRMED : KHUM_RLA_CONTINUE);
    double clean = pv;
    rv[1][0] -= 20;  /* station 1's recount: 20 fewer for the winner */
    rv[1][1] += 20;
    assert_int_equal(khum_rla_macro(as, na, st, rc, 10, drawn, 3, &p, &pv, &s, &err), KHUM_OK);
    assert_true(pv > clean);
    rc[5].votes = NULL;  /* no recount of station 5, which is drawn */
    assert_int_equal(khum_rla_macro(as, na, st, rc, 10, drawn, 10, &p, &pv, &s, &err),
                     KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "RLA.504");
    khum_arena_free(&a);
}

/* ---- Randomness anyone can replay --------------------------------------- */

/* Values from an independent computation (Python's hashlib):
 * SHA-256("31415926535897932384," j) as a 256-bit integer, mod n. */
static void test_rng_replay(void **state)
{
    (void)state;
    khum_rla_rng r;
    khum_err err;
    assert_int_equal(khum_rla_rng_init(&r, "31415926535897932384", &err), KHUM_OK);
    assert_int_equal(khum_rla_rng_below(&r, 1000), 576);
    assert_int_equal(khum_rla_rng_below(&r, 6), 5);
    assert_true(khum_rla_rng_below(&r, 9223372036854775813ULL) == 5059148181986682582ULL);
    assert_int_equal(khum_rla_rng_below(&r, 7), 4);
    assert_int_equal(khum_rla_rng_init(&r, "", &err), KHUM_ERR_USAGE);
    assert_string_equal(err.rule, "RLA.507");
}

/* ---- Bad input ------------------------------------------------------- */

static void test_bad_input(void **state)
{
    (void)state;
    const int64_t v[] = {600, 300, 100};
    commune m;
    khum_arena a;
    size_t na;
    khum_rla_params p;
    khum_rla_assertion *as = setup(&m, KHUM_METHOD_DHONDT, 3, v, 3, 0, 0, &a, &na, &p);
    int readings[] = {0, 1, 0};
    double pv[16];
    khum_rla_status s;
    khum_err err;
    const double bad[] = {0, 1, -0.1, 1.5, NAN};
    for (size_t i = 0; i < 5; i++) {
        p.alpha = bad[i];
        khum_err_clear(&err);
        assert_int_equal(khum_rla_polling(as, na, readings, 3, &p, pv, &s, &err),
                         KHUM_ERR_USAGE);
        assert_string_equal(err.rule, "RLA.500");
    }
    p.alpha = 0.05;
    readings[1] = 7;  /* no such list */
    assert_int_equal(khum_rla_polling(as, na, readings, 3, &p, pv, &s, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "RLA.505");
    int many[1001] = {0};
    assert_int_equal(khum_rla_polling(as, na, many, 1001, &p, pv, &s, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "RLA.504");
    /* seats that do not sum to S */
    m.seats[0]++;
    contest(&m);
    khum_rla_assertion *out;
    size_t n;
    assert_int_equal(khum_rla_assertions(&m.c, &a, &out, &n, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "RLA.501");
    m.seats[0]--;
    m.rules.method = KHUM_METHOD_LARGEST_REMAINDER;
    m.rules.quota = KHUM_QUOTA_DROOP;
    contest(&m);
    assert_int_equal(khum_rla_assertions(&m.c, &a, &out, &n, &err), KHUM_ERR_USAGE);
    assert_string_equal(err.rule, "RLA.502");
    khum_rla_plan_opts o;
    khum_rla_plan_opts_default(&o);
    o.params.alpha = 1;
    khum_rla_plan plan;
    assert_int_equal(khum_rla_plan_commune(&m.c, as, na, NULL, 0, KHUM_RLA_MODE_POLLING, &o,
                                           &plan, &err),
                     KHUM_ERR_USAGE);
    assert_string_equal(err.rule, "RLA.500");
    o.params.alpha = 0.05;
    o.runs = 0;
    assert_int_equal(khum_rla_plan_commune(&m.c, as, na, NULL, 0, KHUM_RLA_MODE_POLLING, &o,
                                           &plan, &err),
                     KHUM_ERR_USAGE);
    assert_string_equal(err.rule, "RLA.508");
    khum_arena_free(&a);
}

/* A full count confirms a right result and stops a wrong one. */
static void test_full_count(void **state)
{
    (void)state;
    const int64_t v[] = {6, 3, 1};
    commune m;
    khum_arena a;
    size_t na;
    khum_rla_params p;
    khum_rla_assertion *as = setup(&m, KHUM_METHOD_DHONDT, 3, v, 3, 0, 0, &a, &na, &p);
    int all[10] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 2};
    double pv[16];
    khum_rla_status s;
    khum_err err;
    assert_int_equal(khum_rla_polling(as, na, all, 10, &p, pv, &s, &err), KHUM_OK);
    assert_int_equal(s, KHUM_RLA_CONFIRMED);
    int wrong[10] = {0, 0, 0, 1, 1, 1, 1, 1, 1, 2};
    assert_int_equal(khum_rla_polling(as, na, wrong, 10, &p, pv, &s, &err), KHUM_OK);
    assert_int_equal(s, KHUM_RLA_FULL_COUNT);
    assert_int_equal(khum_rla_polling(as, na, wrong, 3, &p, pv, &s, &err), KHUM_OK);
    assert_int_equal(s, KHUM_RLA_CONTINUE);
    khum_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_denmark_2014),
        cmocka_unit_test(test_pair_margin_exact),
        cmocka_unit_test(test_sound_dhondt),
        cmocka_unit_test(test_sound_sainte_lague),
        cmocka_unit_test(test_sound_cambodia),
        cmocka_unit_test(test_sound_1998),
        cmocka_unit_test(test_sound_hare),
        cmocka_unit_test(test_sound_threshold),
        cmocka_unit_test(test_alpha_sample_sizes),
        cmocka_unit_test(test_risk_limit),
        cmocka_unit_test(test_risk_limit_sharp),
        cmocka_unit_test(test_right_commune_workload),
        cmocka_unit_test(test_plan_stations_small_commune),
        cmocka_unit_test(test_macro),
        cmocka_unit_test(test_rng_replay),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_full_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
