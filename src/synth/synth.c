/*
 * synth.c: a SYNTHETIC national commune election over the real geography.
 *
 *  1. communes: the gazetteer (2022: all 1,652; 2017: 1,646, leaving out six
 *     without 2011 census data, a stand-in for the six created for 2022);
 *     missing population is imputed from the district's (or province's)
 *     median;
 *  2. council sizes by population rank: the largest get 11, then 9, 7, 5,
 *     in proportions from the 2001 sub-decree (about 9.7 % 11, 15.8 % 9) with
 *     the number of 7s solved so that the seats add up to the real total;
 *  3. registered voters: the national figure shared out by adult population,
 *     exactly (largest remainders); stations likewise (at least one each);
 *  4. per station: turnout, invalid share and party shares drawn around the
 *     national figures with province, commune and station effects; small
 *     parties contest a share of communes so their national votes land near
 *     the published ones.
 * Random numbers come from a seeded xorshift generator: a seed gives the same
 * election on every machine. Floating point is used here only to invent
 * data; every count that comes out is an integer.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "khum/str.h"
#include "synth_impl.h"

uint64_t synth_next(rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 2685821657736338717ull;
}

double synth_uniform(rng *r) { return (double)(synth_next(r) >> 11) / 9007199254740992.0; }

double synth_normal(rng *r)
{
    double u = synth_uniform(r), v = synth_uniform(r);
    return sqrt(-2.0 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

/* Share `total` out in proportion to w (largest remainders), at least `min` each. */
void synth_apportion(int64_t total, const double *w, size_t n, int64_t min, int64_t *out)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    int64_t left = total - min * (int64_t)n, given = 0;
    double *rem = malloc((n + 1) * sizeof *rem);
    for (size_t i = 0; i < n; i++) {
        double exact = sum > 0 ? (double)left * w[i] / sum : 0;
        out[i] = min + (int64_t)exact;
        rem[i] = exact - floor(exact);
        given += out[i];
    }
    while (given < total) {  /* a handful of rounds: n is at most a few thousand */
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (rem[i] > rem[best])
                best = i;
        out[best]++;
        rem[best] = -1;
        given++;
    }
    free(rem);
}

khum_code khum_synth_preset(int year, khum_synth_params *p, khum_err *err)
{
    memset(p, 0, sizeof *p);
    p->year = year;
    /* shared/docs/rules.md §1, §7, §8 and published-totals/national_turnout.csv */
    if (year == 2017) {
        *p = (khum_synth_params){2017, 4, "2017-06-04", 1, 1646, 11572, 22148, 7865033,
                                 7107395, 133484, NULL, 0};
    } else if (year == 2022) {
        *p = (khum_synth_params){2022, 5, "2022-06-05", 1, 1652, 11622, 23602, 9205681,
                                 7394427, 157390, NULL, 0};
    } else {
        return khum_err_set(err, KHUM_ERR_USAGE, "SYN.901",
                            "no published figures for %d: use 2017 or 2022", year);
    }
    return KHUM_OK;
}

typedef struct work {
    const khum_synth_params *p;
    rng r;
    khum_synth_commune *c;     /* the communes taken, population imputed */
    size_t n;
} work;

static int by_code(const void *a, const void *b)
{
    return strcmp(((const khum_synth_commune *)a)->code, ((const khum_synth_commune *)b)->code);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Median population of the communes whose code starts with prefix. */
static int64_t median(const khum_synth_commune *c, size_t n, const char *prefix, size_t len,
                      bool adults)
{
    int64_t *v = malloc((n + 1) * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(c[i].code, prefix, len) == 0 && c[i].population > 0)
            v[k++] = adults ? c[i].adults : c[i].population;
    int64_t m = -1;
    if (k) {
        khum_sort(v, k, sizeof *v, cmp_i64);
        m = v[k / 2];
    }
    free(v);
    return m;
}

static khum_code take_communes(work *w, const khum_synth_commune *in, size_t n, khum_err *err)
{
    w->c = malloc((n + 1) * sizeof *w->c);
    if (!w->c)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    memcpy(w->c, in, n * sizeof *w->c);
    khum_sort(w->c, n, sizeof *w->c, by_code);
    w->n = n;
    size_t drop = n > (size_t)w->p->communes ? n - (size_t)w->p->communes : 0;
    while (drop > 0) {  /* leave out communes without census data, chosen by the seed */
        size_t i = (size_t)(synth_next(&w->r) % w->n);
        if (w->c[i].population > 0)
            continue;
        memmove(&w->c[i], &w->c[i + 1], (w->n - i - 1) * sizeof *w->c);
        w->n--;
        drop--;
    }
    if (w->n != (size_t)w->p->communes)
        return khum_err_set(err, KHUM_ERR_INPUT, "SYN.902", "the gazetteer has %zu communes; "
                            "%lld are needed", n, (long long)w->p->communes);
    for (size_t i = 0; i < w->n; i++) {
        khum_synth_commune *c = &w->c[i];
        if (c->population > 0 && c->adults > 0)
            continue;
        int64_t m = median(w->c, w->n, c->code, 4, false), ma = median(w->c, w->n, c->code, 4, true);
        if (m < 0) {
            m = median(w->c, w->n, c->code, 2, false);
            ma = median(w->c, w->n, c->code, 2, true);
        }
        if (m < 0) {
            m = median(w->c, w->n, "", 0, false);
            ma = median(w->c, w->n, "", 0, true);
        }
        c->population = m > 0 ? m : 5000;
        c->adults = ma > 0 ? ma : c->population / 2;
    }
    return KHUM_OK;
}

typedef struct ranked {
    size_t i;
    int64_t pop;
} ranked;

static int by_pop_desc(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->pop != y->pop)
        return (x->pop < y->pop) - (x->pop > y->pop);
    return (x->i > y->i) - (x->i < y->i);
}

/* Council sizes by population rank, adding up to the real national total. */
static khum_code council_sizes(work *w, int *seats, khum_err *err)
{
    int64_t n = (int64_t)w->n, extra = w->p->seats - 5 * n;
    int64_t n11 = (n * 125 + 644) / 1289, n9 = (n * 204 + 644) / 1289;
    int64_t n7 = (extra - 4 * n9 - 6 * n11) / 2, n5 = n - n7 - n9 - n11;
    if (extra < 0 || (extra - 4 * n9 - 6 * n11) % 2 || n7 < 0 || n5 < 0)
        return khum_err_set(err, KHUM_ERR_INPUT, "SYN.903", "%lld seats cannot be made of "
                            "5, 7, 9 and 11-seat councils for %lld communes",
                            (long long)w->p->seats, (long long)n);
    ranked *r = malloc((w->n + 1) * sizeof *r);
    if (!r)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < w->n; i++)
        r[i] = (ranked){i, w->c[i].population};
    khum_sort(r, w->n, sizeof *r, by_pop_desc);
    for (int64_t k = 0; k < n; k++)
        seats[r[k].i] = k < n11 ? 11 : k < n11 + n9 ? 9 : k < n11 + n9 + n7 ? 7 : 5;
    free(r);
    return KHUM_OK;
}

/* Which parties contest a commune: the two largest everywhere, the others in
 * a share of communes that grows with their national vote. */
static size_t contesting(work *w, const double *share, size_t np, bool *in)
{
    size_t k = 0;
    for (size_t p = 0; p < np; p++) {
        double f = p < 2 ? 1.0 : fmin(1.0, fmax(0.02, share[p] * 25));
        in[p] = synth_uniform(&w->r) < f;
        k += in[p];
    }
    return k;
}

typedef struct party_order {
    size_t i;
    int64_t votes;
} party_order;

static int by_votes_desc(const void *a, const void *b)
{
    const party_order *x = a, *y = b;
    return (x->votes < y->votes) - (x->votes > y->votes);
}

/* Draw one station's numbers; the party votes share out `valid` exactly. */
void synth_station_form(rng *r, khum_arena *a, const char *code, int64_t registered,
                        double turnout, double invalid_rate, const double *strength,
                        const bool *in, const char *const *ids, size_t np, khum_form *f)
{
    double t = fmin(0.97, fmax(0.45, turnout + 0.02 * synth_normal(r)));
    double rho = fmin(0.045, fmax(0.003, invalid_rate * exp(0.3 * synth_normal(r))));
    memset(f, 0, sizeof *f);
    f->station = code;
    f->registered = registered;
    f->cast = (int64_t)llround((double)registered * t);
    f->invalid = (int64_t)llround((double)f->cast * rho);
    f->valid = f->cast - f->invalid;
    f->received = registered + (registered * 2 / 100 > 5 ? registered * 2 / 100 : 5);
    f->spoiled = (int64_t)(synth_next(r) % 4);
    f->unused = f->received - f->cast - f->spoiled;
    double *ws = khum_arena_alloc(a, np * sizeof *ws);
    int64_t *v = khum_arena_alloc(a, np * sizeof *v);
    f->party = khum_arena_alloc(a, np * sizeof *f->party);
    f->votes = khum_arena_alloc(a, np * sizeof *f->votes);
    size_t k = 0;
    for (size_t p = 0; p < np; p++)
        if (in[p])
            ws[k++] = strength[p] * exp(0.05 * synth_normal(r));
    synth_apportion(f->valid, ws, k, 0, v);
    k = 0;
    for (size_t p = 0; p < np; p++)
        if (in[p]) {
            f->party[f->n] = ids[p];
            f->votes[f->n++] = v[k++];
        }
}

static khum_code build(work *w, const int *seats, khum_synth_out *out, khum_err *err)
{
    const khum_synth_params *p = w->p;
    khum_election *e = &out->election;
    khum_arena *a = &e->arena;
    size_t np = p->nparties;
    /* parties by national votes, largest first */
    party_order *po = malloc((np + 1) * sizeof *po);
    const char **ids = khum_arena_alloc(a, (np + 1) * sizeof *ids);
    double *share = malloc((np + 1) * sizeof *share), *strength = malloc((np + 1) * sizeof *strength);
    double *prov = malloc(100 * (np + 1) * sizeof *prov), *prov_t = malloc(100 * sizeof *prov_t);
    bool *in = malloc((np + 1) * sizeof *in);
    double *wreg = calloc(w->n + 1, sizeof *wreg);
    int64_t *reg = malloc((w->n + 1) * sizeof *reg), *nst = malloc((w->n + 1) * sizeof *nst);
    if (!po || !ids || !share || !strength || !prov || !prov_t || !in || !wreg || !reg || !nst) {
        free(po); free(share); free(strength); free(prov); free(prov_t); free(in);
        free(wreg); free(reg); free(nst);
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    int64_t total_votes = 0;
    for (size_t i = 0; i < np; i++) {
        po[i] = (party_order){i, p->parties[i].votes};
        total_votes += p->parties[i].votes;
    }
    khum_sort(po, np, sizeof *po, by_votes_desc);
    for (size_t i = 0; i < np; i++) {
        ids[i] = khum_arena_strdup(a, p->parties[po[i].i].id);
        share[i] = (double)po[i].votes / (double)(total_votes ? total_votes : 1);
    }
    for (int pr = 0; pr < 100; pr++) {
        prov_t[pr] = 0.04 * synth_normal(&w->r);
        for (size_t i = 0; i < np; i++)
            prov[pr * (int)np + (int)i] = 0.3 * synth_normal(&w->r);
    }
    for (size_t i = 0; i < w->n; i++)
        wreg[i] = (double)w->c[i].adults;
    synth_apportion(p->registered, wreg, w->n, 0, reg);
    for (size_t i = 0; i < w->n; i++)
        wreg[i] = (double)reg[i];
    synth_apportion(p->stations, wreg, w->n, 1, nst);

    e->communes = khum_arena_calloc(a, w->n + 1, sizeof *e->communes);
    e->lists = khum_arena_calloc(a, w->n * np + 1, sizeof *e->lists);
    e->stations = khum_arena_calloc(a, (size_t)p->stations + 1, sizeof *e->stations);
    out->forms = khum_arena_calloc(a, (size_t)p->stations + 1, sizeof *out->forms);
    out->explanation = khum_arena_calloc(a, (size_t)p->stations + 1, sizeof *out->explanation);
    khum_code rc = KHUM_OK;
    if (!e->communes || !e->lists || !e->stations || !out->forms || !out->explanation)
        rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    double t0 = (double)p->cast / (double)p->registered;
    double rho0 = (double)p->invalid / (double)p->cast;
    for (size_t i = 0; i < w->n && !rc; i++) {
        const char *code = khum_arena_strdup(a, w->c[i].code);
        e->communes[e->ncommunes++] = (khum_election_commune){.code = code, .seats = seats[i]};
        int pr = atoi((char[3]){code[0], code[1], 0}) % 100;
        size_t k;
        do
            k = contesting(w, share, np, in);
        while (k < 2);
        int ballot = 1;
        for (size_t q = 0; q < np; q++) {
            if (!in[q])
                continue;
            double f = q < 2 ? 1.0 : fmin(1.0, fmax(0.02, share[q] * 25));
            strength[q] = share[q] / f * exp(prov[pr * (int)np + (int)q] + 0.15 * synth_normal(&w->r));
            e->lists[e->nlists++] = (khum_contest_list){code, ids[q], ballot++, 0};
        }
        double turnout = t0 + prov_t[pr] + 0.03 * synth_normal(&w->r);
        for (int64_t s = 0; s < nst[i]; s++) {
            int64_t r = reg[i] / nst[i] + (s < reg[i] % nst[i]);
            const char *sc = khum_arena_printf(a, "%s-%02lld", code, (long long)(s + 1));
            e->stations[e->nstations] = (khum_station){sc, code, r, 0, 0};
            synth_station_form(&w->r, a, sc, r, turnout, rho0, strength, in, ids, np,
                         &out->forms[e->nstations]);
            out->explanation[e->nstations++] = "";
        }
    }
    out->nforms = e->nstations;
    free(po); free(share); free(strength); free(prov); free(prov_t); free(in);
    free(wreg); free(reg); free(nst);
    return rc;
}

/* Candidate lists: 2 x seats invented names per list (LECC Art 52), born so
 * that every candidate is at least 25 on polling day, about a third women. */
static khum_code make_candidates(khum_synth_out *out, uint64_t seed, khum_err *err)
{
    khum_election *e = &out->election;
    khum_arena *a = &e->arena;
    size_t total = 0;
    for (size_t i = 0; i < e->ncommunes; i++)
        total += e->communes[i].nlists * 2 * (size_t)e->communes[i].seats;
    out->candidates = khum_arena_alloc(a, (total + 1) * sizeof *out->candidates);
    if (!out->candidates)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    rng r = {seed * 0x9E3779B97F4A7C15ull + 7};
    int year = atoi(e->date);
    for (size_t i = 0; i < e->ncommunes; i++) {
        const khum_election_commune *c = &e->communes[i];
        for (size_t k = 0; k < c->nlists; k++) {
            const char *party = e->lists[c->first_list + k].party;
            for (int pos = 1; pos <= 2 * c->seats; pos++) {
                khum_candidate_row *x = &out->candidates[out->ncandidates++];
                x->commune = c->code;
                x->party = party;
                x->position = pos;
                x->person = khum_arena_printf(a, "S%s-%s-%d", c->code, party, pos);
                x->name_latin = khum_arena_printf(a, "Synthetic candidate %d of %s in %s",
                                                  pos, party, c->code);
                x->name_km = "";
                x->sex = synth_next(&r) % 3 == 0 ? "F" : "M";
                x->birth_year = year - 25 - (int)(synth_next(&r) % 40);
                x->line = 0;
                if (!x->person || !x->name_latin)
                    return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            }
        }
    }
    return KHUM_OK;
}

khum_code khum_synth_run(const khum_synth_params *p, const khum_synth_commune *communes,
                         size_t n, khum_synth_out *out, khum_err *err)
{
    memset(out, 0, sizeof *out);
    khum_election_init(&out->election);
    khum_election *e = &out->election;
    if (p->nparties < 2)
        return khum_err_set(err, KHUM_ERR_INPUT, "SYN.904", "at least two parties are needed");
    work w = {.p = p, .r = {p->seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull}};
    int *seats = NULL;
    khum_code rc = take_communes(&w, communes, n, err);
    if (!rc && !(seats = malloc((w.n + 1) * sizeof *seats)))
        rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    if (!rc)
        rc = council_sizes(&w, seats, err);
    if (!rc) {
        e->id = khum_arena_printf(&e->arena, "synthetic-kh-commune-%d-s%llu", p->year,
                                  (unsigned long long)p->seed);
        e->name = khum_arena_printf(&e->arena, "SYNTHETIC commune election modelled on %d "
                                    "(seed %llu): invented station results over the real "
                                    "gazetteer", p->year, (unsigned long long)p->seed);
        e->date = khum_arena_strdup(&e->arena, p->date);
        e->mandate = p->mandate;
        e->method = KHUM_METHOD_CAMBODIA;
        e->tie_rule = khum_tie_rule_default();
        e->synthetic = true;
        rc = build(&w, seats, out, err);
    }
    if (!rc)
        rc = khum_election_finish(e, err);
    if (!rc)
        rc = make_candidates(out, p->seed, err);
    /* Explain the warnings that drawn numbers trigger now and then. */
    for (size_t i = 0; !rc && i < out->nforms; i++) {
        khum_checks c;
        khum_form_check(e, &out->forms[i], &c);
        if (c.errors)
            rc = khum_err_set(err, KHUM_ERR_INTERNAL, "SYN.905", "generated form %s fails %s: "
                              "%s", out->forms[i].station, c.items[0].code, c.items[0].msg);
        else if (c.warnings)
            out->explanation[i] = "SYNTHETIC data: generated numbers outside the usual range";
    }
    free(seats);
    free(w.c);
    return rc;
}

void khum_synth_free(khum_synth_out *out)
{
    khum_election_free(&out->election);
    memset(out, 0, sizeof *out);
}
