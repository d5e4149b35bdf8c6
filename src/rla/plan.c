/*
 * plan.c: how much work an audit of one commune will take (docs/rla.md §7),
 * by simulating audits of ballots that are exactly as reported: ballots
 * drawn without replacement from the reported tallies (polling) or from the
 * station forms (ONEAudit), stations drawn with replacement in proportion
 * to their error bounds (MACRO). Run r uses a generator seeded with
 * SHA-256("seed/commune/mode" "," r), so a plan is reproducible anywhere.
 *
 * The escalation policy the plan models: a sample that reaches
 * recount_share of the ballots escalates to a full hand count (its work is
 * then every ballot), and a commune whose expected work reaches that share,
 * or whose binding margin is under recount_under ballots, or whose
 * assertions cannot hold, is planned as a full recount.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/hash.h"
#include "khum/rla.h"
#include "rla_internal.h"

/* The simulation's randomness: run r draws from xoshiro256** (Blackman &
 * Vigna) seeded with SHA-256(seed "," r), the counter-mode stream of
 * audits.md §6 one level up. A digest per draw would cost more than the
 * audit it simulates; a digest per run keeps every run replayable alone. */
typedef struct stream {
    khum_sha256 base;         /* the seed, hashed once */
    uint64_t s[4];
} stream;

static void stream_init(stream *s, const char *seed)
{
    khum_sha256_init(&s->base);
    khum_sha256_update(&s->base, seed, strlen(seed));
}

/* Start run r's generator. */
static void stream_run(stream *s, int r)
{
    char tail[32];
    int n = snprintf(tail, sizeof tail, ",%d", r + 1);
    khum_sha256 h = s->base;
    unsigned char d[KHUM_SHA256_BYTES];
    khum_sha256_update(&h, tail, (size_t)n);
    khum_sha256_final(&h, d);
    for (int i = 0; i < 4; i++) {
        s->s[i] = 0;
        for (int k = 0; k < 8; k++)
            s->s[i] = s->s[i] << 8 | d[8 * i + k];
    }
    if (!(s->s[0] | s->s[1] | s->s[2] | s->s[3]))
        s->s[0] = 1;  /* the one state xoshiro cannot leave */
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t stream_next(stream *s)
{
    uint64_t out = rotl(s->s[1] * 5, 7) * 9, t = s->s[1] << 17;
    s->s[2] ^= s->s[0];
    s->s[3] ^= s->s[1];
    s->s[1] ^= s->s[2];
    s->s[0] ^= s->s[3];
    s->s[2] ^= t;
    s->s[3] = rotl(s->s[3], 45);
    return out;
}

/* Uniform in [0, n), n >= 1, without bias (Lemire's multiply and reject). */
static uint64_t stream_below(stream *s, uint64_t n)
{
    unsigned __int128 m = (unsigned __int128)stream_next(s) * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        uint64_t floor = -n % n;
        while (low < floor) {
            m = (unsigned __int128)stream_next(s) * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Mean and quantiles of the work of the runs (sorted in place). */
static void summarise(khum_rla_plan *out, int64_t *work, int runs)
{
    double sum = 0;
    for (int r = 0; r < runs; r++)
        sum += (double)work[r];
    qsort(work, (size_t)runs, sizeof *work, cmp_i64);
    out->expected = runs ? sum / runs : 0;
    out->q50 = runs ? work[(runs - 1) * 50 / 100] : 0;
    out->q90 = runs ? work[(runs - 1) * 90 / 100] : 0;
    out->q99 = runs ? work[(runs - 1) * 99 / 100] : 0;
    out->runs = runs;
}

/* Has the plan seen enough runs? With a precision, after 100 runs, once the
 * mean's standard error is under that share of the mean (checked every 50). */
static bool settled(const khum_rla_plan_opts *o, const int64_t *work, int done)
{
    if (o->precision <= 0 || done < 100 || done % 50)
        return false;
    double sum = 0, sq = 0;
    for (int r = 0; r < done; r++) {
        sum += (double)work[r];
        sq += (double)work[r] * (double)work[r];
    }
    double mean = sum / done, var = (sq - sum * mean) / (done - 1);
    double se = sqrt(var > 0 ? var / done : 0);
    return se <= o->precision * mean;
}

/* The per-assertion ALPHA states of one simulated audit. */
typedef struct sim {
    const khum_rla_assertion *as;
    size_t nas;
    rla_alpha *state;
    bool *done;
    size_t open;
    double alpha;
} sim;

static void sim_start(sim *s, const double *ubound, const double *eta0, const khum_rla_params *p)
{
    s->open = s->nas;
    for (size_t i = 0; i < s->nas; i++) {
        rla_alpha_start(&s->state[i], (double)s->as[i].ballots, ubound[i], eta0[i], p);
        s->done[i] = false;
    }
}

/* Feed one ballot's values (value[i * stride] for assertion i); true once
 * every assertion is confirmed. */
static bool sim_feed(sim *s, const double *value, size_t stride)
{
    for (size_t i = 0; i < s->nas; i++) {
        if (s->done[i])
            continue;
        rla_alpha_step(&s->state[i], value[i * stride]);
        if (rla_alpha_confirms(&s->state[i], s->alpha)) {
            s->done[i] = true;
            s->open--;
        }
    }
    return s->open == 0;
}

typedef struct plan_ctx {
    const khum_rla_contest *c;
    const khum_rla_assertion *as;
    size_t nas;
    const khum_rla_station *st;
    size_t nst;
    const khum_rla_plan_opts *o;
    stream rng;
    int64_t cap;              /* a sample this large escalates to a full count */
    double line;              /* expected work at or past this: plan a full recount */
    int done;                 /* runs made */
    khum_err *err;
} plan_ctx;

/* The urn a simulation draws from without replacement: ngroups groups
 * (stations; one for polling) of nc cells (choices), with the count of each
 * cell and the value of each assertion for a ballot of it. */
typedef struct urn {
    size_t ngroups, nc;
    int64_t *count;           /* ngroups * nc */
    int64_t *group;           /* ballots per group */
    double *value;            /* (cell) * nas + assertion */
    double *ub, *eta;         /* per assertion: the bound and ALPHA's eta_0 */
} urn;

static int choice_of(size_t k, size_t nc)
{
    return k < nc - 2 ? (int)k : k == nc - 2 ? KHUM_RLA_BLANK : KHUM_RLA_INVALID;
}

static bool urn_alloc(urn *u, khum_arena *a, size_t ngroups, size_t nc, size_t nas)
{
    u->ngroups = ngroups;
    u->nc = nc;
    u->count = khum_arena_calloc(a, ngroups * nc, sizeof *u->count);
    u->group = khum_arena_calloc(a, ngroups, sizeof *u->group);
    u->value = khum_arena_calloc(a, ngroups * nc * nas, sizeof *u->value);
    u->ub = khum_arena_calloc(a, nas, sizeof *u->ub);
    u->eta = khum_arena_calloc(a, nas, sizeof *u->eta);
    return u->count && u->group && u->value && u->ub && u->eta;
}

/* One group's counts: its lists, blank, and invalid with its unreported ballots. */
static void urn_fill(urn *u, size_t g, const int64_t *votes, int64_t blank, int64_t invalid,
                     int64_t ballots)
{
    int64_t seen = blank + invalid, *cell = &u->count[g * u->nc];
    for (size_t k = 0; k < u->nc - 2; k++) {
        cell[k] = votes[k];
        seen += votes[k];
    }
    cell[u->nc - 2] = blank;
    cell[u->nc - 1] = invalid + (ballots - seen);
    u->group[g] = ballots;
}

/* `runs` audits of the urn: draw a group in proportion to its ballots left,
 * then a ballot of it, until every assertion is confirmed or the sample
 * reaches the cap (then the work is every ballot). */
static khum_code simulate(plan_ctx *x, const urn *u, khum_arena *a, int64_t *work)
{
    size_t cells = u->ngroups * u->nc, nas = x->nas;
    int64_t N = x->as[0].ballots;
    int64_t *left = khum_arena_alloc(a, cells * sizeof *left);
    int64_t *gleft = khum_arena_alloc(a, u->ngroups * sizeof *gleft);
    rla_alpha *state = khum_arena_calloc(a, nas, sizeof *state);
    bool *done = khum_arena_calloc(a, nas, sizeof *done);
    if (!left || !gleft || !state || !done)
        return khum_err_set(x->err, KHUM_ERR_NOMEM, "", "out of memory");
    sim s = {x->as, nas, state, done, 0, x->o->params.alpha};
    for (int r = 0; r < x->o->runs && !settled(x->o, work, r); r++, x->done++) {
        stream_run(&x->rng, r);
        memcpy(left, u->count, cells * sizeof *left);
        memcpy(gleft, u->group, u->ngroups * sizeof *gleft);
        sim_start(&s, u->ub, u->eta, &x->o->params);
        int64_t n = 0, remaining = N;
        bool confirmed = false;
        while (!confirmed && n < x->cap) {
            int64_t pick = (int64_t)stream_below(&x->rng, (uint64_t)remaining);
            size_t g = 0;
            while (pick >= gleft[g])
                pick -= gleft[g++];
            size_t k = g * u->nc;
            while (pick >= left[k])
                pick -= left[k++];
            left[k]--;
            gleft[g]--;
            remaining--;
            n++;
            confirmed = sim_feed(&s, &u->value[k * nas], 1);
        }
        work[r] = confirmed ? n : N;
    }
    return KHUM_OK;
}

/* Ballot polling: one urn of the reported choices; values are the assorters. */
static khum_code plan_polling(plan_ctx *x, khum_arena *a, int64_t *work)
{
    size_t nc = x->c->nlists + 2, nas = x->nas;
    urn u;
    if (!urn_alloc(&u, a, 1, nc, nas))
        return khum_err_set(x->err, KHUM_ERR_NOMEM, "", "out of memory");
    int64_t *votes = khum_arena_calloc(a, nc, sizeof *votes);
    if (!votes)
        return khum_err_set(x->err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t k = 0; k < x->c->nlists; k++)
        votes[k] = x->c->lists[k].votes;
    urn_fill(&u, 0, votes, x->c->blank, x->c->invalid, x->as[0].ballots);
    for (size_t i = 0; i < nas; i++) {
        u.ub[i] = x->as[i].u;
        u.eta[i] = khum_rla_reported_mean(&x->as[i]);
        for (size_t k = 0; k < nc; k++)
            u.value[k * nas + i] = khum_rla_assort(&x->as[i], choice_of(k, nc));
    }
    return simulate(x, &u, a, work);
}

/* ONEAudit: one group per station; values are the overstatement assorters. */
static khum_code plan_oneaudit(plan_ctx *x, khum_arena *a, int64_t *work)
{
    size_t nc = x->c->nlists + 2, nas = x->nas, nst = x->nst;
    urn u;
    double *abar = khum_arena_calloc(a, nst, sizeof *abar);
    if (!abar || !urn_alloc(&u, a, nst, nc, nas))
        return khum_err_set(x->err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t g = 0; g < nst; g++)
        urn_fill(&u, g, x->st[g].votes, x->st[g].blank, x->st[g].invalid, x->st[g].ballots);
    for (size_t i = 0; i < nas; i++) {
        double v;
        rla_oneaudit_means(&x->as[i], x->st, nst, abar, &v);
        u.ub[i] = 2.0 / (2.0 - v / x->as[i].u);
        u.eta[i] = 1.0 / (2.0 - v / x->as[i].u);
        for (size_t g = 0; g < nst; g++)
            for (size_t k = 0; k < nc; k++)
                u.value[(g * nc + k) * nas + i] =
                    rla_oneaudit_value(&x->as[i], abar[g], v, choice_of(k, nc));
    }
    return simulate(x, &u, a, work);
}

/* MACRO with no errors: P = (1 - 1/U)^n, so n = ceil(ln alpha / ln(1 - 1/U))
 * draws whatever is drawn; the work is the number of distinct stations. */
static khum_code plan_stations(plan_ctx *x, khum_arena *a, int64_t *work)
{
    size_t nst = x->nst;
    double *u = khum_arena_calloc(a, nst, sizeof *u), *cum = khum_arena_calloc(a, nst, sizeof *cum);
    bool *seen = khum_arena_calloc(a, nst, sizeof *seen);
    if (!u || !cum || !seen)
        return khum_err_set(x->err, KHUM_ERR_NOMEM, "", "out of memory");
    double U = 0;
    khum_code rc = khum_rla_macro_bounds(x->as, x->nas, x->st, nst, u, &U, x->err);
    if (rc)
        return rc;
    double draws = U > 1 && isfinite(U)
                       ? ceil(log(x->o->params.alpha) / log1p(-1.0 / U) * (1.0 + 1e-12))
                       : INFINITY;
    for (size_t g = 0; g < nst; g++)
        cum[g] = (g ? cum[g - 1] : 0) + u[g] / U;
    for (int r = 0; r < x->o->runs && !settled(x->o, work, r); r++, x->done++) {
        stream_run(&x->rng, r);
        memset(seen, 0, nst * sizeof *seen);
        int64_t distinct = 0;
        for (double d = 0; d < draws && distinct < (int64_t)nst; d++) {
            double p = ((double)(stream_next(&x->rng) >> 11) + 0.5) / 9007199254740992.0;
            size_t g = 0;
            while (g + 1 < nst && p >= cum[g])
                g++;
            distinct += !seen[g];
            seen[g] = true;
        }
        work[r] = isfinite(draws) ? distinct : (int64_t)nst;
    }
    return KHUM_OK;
}

static khum_code check_opts(const khum_rla_plan_opts *o, khum_err *err)
{
    khum_code rc = khum_rla_params_check(&o->params, err);
    if (rc)
        return rc;
    if (o->runs < 1 || o->runs > 1000000 || !o->seed || !*o->seed || o->recount_under < 0 ||
        !(o->recount_share >= 0 && o->recount_share <= 1) ||
        !(o->precision >= 0 && o->precision < 1))
        return khum_err_set(err, KHUM_ERR_USAGE, "RLA.508",
                            "a plan needs 1 to 1,000,000 runs, a seed, recount_under >= 0, "
                            "recount_share in [0, 1] and precision in [0, 1)");
    return KHUM_OK;
}

khum_code khum_rla_plan_commune(const khum_rla_contest *c, const khum_rla_assertion *as,
                                size_t nas, const khum_rla_station *st, size_t nst,
                                khum_rla_mode mode, const khum_rla_plan_opts *o,
                                khum_rla_plan *out, khum_err *err)
{
    memset(out, 0, sizeof *out);
    out->mode = mode;
    khum_code rc = check_opts(o, err);
    if (rc)
        return rc;
    if (nas == 0)
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.501", "no assertions to plan");
    if (mode != KHUM_RLA_MODE_POLLING && (rc = rla_check_stations(as, st, nst, err)))
        return rc;
    if (as[0].ballots >= ((int64_t)1 << 32))
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.503", "a commune of 2^32 ballots or more");
    out->units = mode == KHUM_RLA_MODE_STATIONS ? (int64_t)nst : as[0].ballots;
    int b = khum_rla_binding(as, nas);
    if (as[b].margin <= 0 || as[b].flip < o->recount_under) {
        out->full_recount = true;
        out->why = as[b].margin <= 0 ? KHUM_RLA_WHY_TIE : KHUM_RLA_WHY_MARGIN;
        out->expected = (double)out->units;
        out->q50 = out->q90 = out->q99 = out->units;
        return KHUM_OK;
    }
    double share = o->recount_share > 0 ? o->recount_share : 0.5;
    char seed[512];
    snprintf(seed, sizeof seed, "%s/%s/%s", o->seed, c && c->commune ? c->commune : "",
             khum_rla_mode_name(mode));
    plan_ctx x = {.c = c, .as = as, .nas = nas, .st = st, .nst = nst, .o = o, .err = err};
    stream_init(&x.rng, seed);
    x.cap = (int64_t)ceil(share * (double)as[0].ballots);
    x.line = share * (double)out->units;
    khum_arena scratch;  /* everything a plan needs, freed when it is made */
    khum_arena_init(&scratch, 0);
    int64_t *work = khum_arena_calloc(&scratch, (size_t)o->runs, sizeof *work);
    if (!work)
        rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    else
        rc = mode == KHUM_RLA_MODE_POLLING    ? plan_polling(&x, &scratch, work)
             : mode == KHUM_RLA_MODE_ONEAUDIT ? plan_oneaudit(&x, &scratch, work)
                                              : plan_stations(&x, &scratch, work);
    if (!rc) {
        summarise(out, work, x.done);
        if (out->expected >= x.line) {
            out->full_recount = true;
            out->why = KHUM_RLA_WHY_WORK;
        }
    }
    khum_arena_free(&scratch);
    return rc;
}
