/*
 * scale.c: a SYNTHETIC election of any size (khum/synth.h), for benchmarks
 * and tests from Cambodia's 23,602 stations to 35 times that. Everything is
 * drawn from the seed: a council's lists and party strengths from a
 * generator seeded by the council's index, so the definition and the forms,
 * made apart, agree, and the forms can be drawn one council at a time.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/str.h"
#include "synth_impl.h"

enum { PER_REGENCY = 5, PER_PROVINCE = 14, MAX_PARTIES = 99 };

static rng council_rng(uint64_t seed, size_t i)
{
    rng r = {(seed + 1) * 0x9E3779B97F4A7C15ull ^ ((uint64_t)(i + 1) * 0xD1B54A32D192ED03ull)};
    for (int k = 0; k < 4; k++)  /* leave the correlated first draws */
        synth_next(&r);
    return r;
}

/* National share of list k of np: 1/(k+1), normalised. */
static double share_of(size_t k, size_t np)
{
    double sum = 0;
    for (size_t i = 0; i < np; i++)
        sum += 1.0 / (double)(i + 1);
    return 1.0 / (double)(k + 1) / sum;
}

/* Which lists contest council i: the two largest everywhere, the others in
 * a share of councils growing with their national share. */
static size_t contesting(rng *r, size_t np, bool *in)
{
    size_t k = 0;
    for (size_t p = 0; p < np; p++) {
        in[p] = p < 2 || synth_uniform(r) < fmin(1.0, 0.35 + share_of(p, np) * 4);
        k += in[p];
    }
    return k;
}

static khum_code check_size(const khum_synth_scale *p, khum_err *err)
{
    const char *why = p->parties < 2 || p->parties > MAX_PARTIES ? "--parties must be from 2 to 99"
        : p->seats_min < 1 || p->seats_min > p->seats_max || p->seats_max > 12
            ? "seats must lie within 1 to 12, the least first"
        : p->councils < 1 || p->councils > 99 * PER_PROVINCE * PER_REGENCY
            ? "--councils must be from 1 to 6,930"
        : p->stations < p->councils || p->stations > 50000000
            ? "--stations must be at least one per council and at most 50,000,000" : NULL;
    return why ? khum_err_set(err, KHUM_ERR_USAGE, "TAB.913", "%s", why) : KHUM_OK;
}

khum_code khum_synth_scale_election(const khum_synth_scale *p, khum_election *e,
                                    khum_err *err)
{
    khum_code rc = check_size(p, err);
    if (rc)
        return rc;
    khum_arena *a = &e->arena;
    size_t m = (size_t)p->councils, np = (size_t)p->parties;
    rng r = council_rng(p->seed, (size_t)-1);
    e->id = khum_arena_printf(a, "synthetic-scale-%lld-s%llu", (long long)p->stations,
                              (unsigned long long)p->seed);
    e->name = khum_arena_printf(a, "SYNTHETIC election of %lld stations, %lld councils, %d "
                                "lists (seed %llu): invented results over an invented "
                                "gazetteer", (long long)p->stations, (long long)p->councils,
                                p->parties, (unsigned long long)p->seed);
    e->date = "2024-02-14";
    e->mandate = 1;
    e->method = p->method;
    e->tie_rule = khum_tie_rule_default();
    e->threshold_e4 = KHUM_THRESHOLD_NONE;
    e->synthetic = true;
    double *w = malloc((m + 1) * sizeof *w);
    int64_t *nst = malloc((m + 1) * sizeof *nst);
    bool in[MAX_PARTIES];
    e->communes = khum_arena_calloc(a, m + 1, sizeof *e->communes);
    e->lists = khum_arena_calloc(a, m * np + 1, sizeof *e->lists);
    e->stations = khum_arena_calloc(a, (size_t)p->stations + 1, sizeof *e->stations);
    /* the lists are the election's own (its parties.csv): part of its hash */
    e->parties = khum_arena_calloc(a, np + 1, sizeof *e->parties);
    for (size_t k = 0; e->parties && k < np; k++)
        e->parties[e->nparties++] = (khum_election_party){
            khum_arena_printf(a, "L%02zu", k + 1), khum_arena_printf(a, "L%02zu", k + 1),
            khum_arena_printf(a, "SYNTHETIC list %zu", k + 1), "", "", 0};
    if (!w || !nst || !e->communes || !e->lists || !e->stations || !e->parties) {
        free(w);
        free(nst);
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    for (size_t i = 0; i < m; i++)  /* council sizes spread like regencies' populations */
        w[i] = exp(0.6 * synth_normal(&r));
    synth_apportion(p->stations, w, m, 1, nst);
    int64_t most = 1;
    for (size_t i = 0; i < m; i++)
        most = nst[i] > most ? nst[i] : most;
    for (size_t i = 0; i < m && !rc; i++) {
        size_t reg = i / PER_REGENCY, prov = reg / PER_PROVINCE;
        const char *pc = khum_arena_printf(a, "G%02zu", prov + 1);
        const char *dc = khum_arena_printf(a, "%sR%02zu", pc, reg % PER_PROVINCE + 1);
        const char *code = khum_arena_printf(a, "%sD%zu", dc, i % PER_REGENCY + 1);
        /* more stations, more seats: the span of sizes by share of the largest */
        int span = p->seats_max - p->seats_min;
        int seats = p->seats_min + (int)lround(span * sqrt((double)nst[i] / (double)most));
        e->communes[e->ncommunes++] = (khum_election_commune){
            .code = code, .province = pc, .district = dc, .seats = seats};
        rng cr = council_rng(p->seed, i);
        contesting(&cr, np, in);
        int ballot = 1;
        for (size_t k = 0; k < np; k++)
            if (in[k])
                e->lists[e->nlists++] = (khum_contest_list){
                    code, khum_arena_printf(a, "L%02zu", k + 1), ballot++, 0};
        for (int64_t s = 0; s < nst[i]; s++) {
            const char *sc = khum_arena_printf(a, "%s-%04lld", code, (long long)(s + 1));
            e->stations[e->nstations++] = (khum_station){
                sc, code, 200 + (int64_t)(synth_next(&cr) % 400), 0, 0};
            if (!sc)
                rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        }
        if (!pc || !dc || !code)
            rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    free(w);
    free(nst);
    return rc ? rc : khum_election_finish(e, err);
}

/* One council's forms: its lists and strengths drawn again from its seed. */
static khum_code council_forms(const khum_synth_scale *p, const khum_election *e, size_t i,
                               const char *const *ids, khum_arena *a, khum_synth_form_fn each,
                               void *ctx, khum_err *err)
{
    size_t np = (size_t)p->parties;
    const khum_election_commune *c = &e->communes[i];
    rng cr = council_rng(p->seed, i);
    bool in[MAX_PARTIES];
    double strength[MAX_PARTIES];
    contesting(&cr, np, in);
    for (size_t s = 0; s < c->nstations; s++)  /* the registered figures drawn before */
        synth_next(&cr);
    /* a province's leaning, then the council's */
    rng pr = council_rng(p->seed ^ 0x5bd1e995u, (size_t)atoi(c->code + 1));
    for (size_t k = 0; k < np; k++)
        strength[k] = share_of(k, np) * exp(0.3 * synth_normal(&pr) + 0.2 * synth_normal(&cr));
    double turnout = 0.78 + 0.03 * synth_normal(&pr) + 0.02 * synth_normal(&cr);
    for (size_t s = 0; s < c->nstations; s++) {
        const khum_station *st = &e->stations[c->first_station + s];
        khum_form f;
        khum_arena_reset(a);
        synth_station_form(&cr, a, st->code, st->registered, turnout, 0.02, strength, in, ids,
                           np, &f);
        f.st = st;
        khum_checks ck;
        khum_form_check(e, &f, &ck);
        if (ck.errors)
            return khum_err_set(err, KHUM_ERR_INTERNAL, "SYN.905", "generated form %s fails "
                                "%s: %s", st->code, ck.items[0].code, ck.items[0].msg);
        if (each(ctx, &f, ck.warnings ? "SYNTHETIC data: generated numbers outside the "
                                        "usual range" : ""))
            return khum_err_set(err, KHUM_ERR_IO, "TAB.914", "the forms could not be written "
                                "(at station %s)", st->code);
    }
    return KHUM_OK;
}

khum_code khum_synth_scale_forms(const khum_synth_scale *p, const khum_election *e,
                                 khum_synth_form_fn each, void *ctx, khum_err *err)
{
    khum_code rc = check_size(p, err);
    if (rc)
        return rc;
    const char *ids[MAX_PARTIES];
    char names[MAX_PARTIES][8];
    for (int k = 0; k < p->parties; k++) {
        snprintf(names[k], sizeof names[k], "L%02d", k + 1);
        ids[k] = names[k];
    }
    khum_arena a;
    khum_arena_init(&a, 0);
    for (size_t i = 0; i < e->ncommunes && !rc; i++)
        rc = council_forms(p, e, i, ids, &a, each, ctx, err);
    khum_arena_free(&a);
    return rc;
}
