/*
 * rla_view.c: loading a risk-limiting audit (rla_view.h). Each official
 * commune becomes a contest as the tally allocated it (the same lists,
 * votes and rules: khum_tally_alloc_input, the one home of that input) and
 * its assertions; what the board has read is mapped to choices and tested
 * in draw order, by ballot polling or, when the audit's mode says so, by
 * ONEAudit against the official station forms (each settled ballot with the
 * station it lies in). Only the settled prefix of the sample counts: a
 * sequential test may not skip a ballot drawn earlier because it is still
 * unread.
 */
#include <stdlib.h>
#include <string.h>

#include "khum/app_rla.h"
#include "rla_view.h"

const char *rla_stage_name(rla_stage s)
{
    static const char *const names[] = {"not-started", "reading", "escalate",
                                        "confirmed",   "full-count", "no-audit"};
    return (unsigned)s < sizeof names / sizeof *names ? names[s] : "?";
}

rla_stage rla_stage_of(const khum_rla_assertion *as, size_t nas, khum_rla_status status,
                       int rounds, int64_t read, int64_t sample)
{
    bool holds = nas > 0;
    for (size_t i = 0; i < nas; i++)
        holds = holds && as[i].margin > 0;  /* else no sample can confirm it */
    return nas == 0                          ? RLA_NO_AUDIT
         : status == KHUM_RLA_CONFIRMED      ? RLA_CONFIRMED
         : status == KHUM_RLA_FULL_COUNT || !holds ? RLA_FULL_COUNT
         : rounds == 0                       ? RLA_NOT_STARTED
         : read < sample                     ? RLA_READING
                                             : RLA_ESCALATE;
}

/* The station figures of commune c from the forms that count. */
static khum_code load_stations(const khum_election *e, rla_commune *c, const khum_form *forms,
                               size_t nf, khum_arena *a)
{
    const khum_election_commune *ec = &e->communes[c->index];
    c->st = khum_arena_calloc(a, ec->nstations + 1, sizeof *c->st);
    c->st_code = khum_arena_calloc(a, ec->nstations + 1, sizeof *c->st_code);
    if (!c->st || !c->st_code)
        return KHUM_ERR_NOMEM;
    for (size_t i = 0; i < ec->nstations; i++) {
        const char *code = e->stations[ec->first_station + i].code;
        for (size_t k = 0; k < nf; k++) {
            if (strcmp(forms[k].station, code))
                continue;
            int64_t *votes = khum_arena_calloc(a, ec->nlists + 1, sizeof *votes);
            if (!votes)
                return KHUM_ERR_NOMEM;
            for (size_t l = 0; l < ec->nlists; l++)
                for (size_t p = 0; p < forms[k].n; p++)
                    if (!strcmp(forms[k].party[p], c->in.parties[l].name))
                        votes[l] = forms[k].votes[p];
            c->st_code[c->nst] = code;
            c->st[c->nst++] = (khum_rla_station){forms[k].cast, votes, forms[k].blank,
                                                 forms[k].invalid};
        }
    }
    return KHUM_OK;
}

/* Commune c's contest and assertions; a rule set without assertions is
 * noted in c->problem, not an error of the whole view. */
static khum_code load_contest(rla_view *v, rla_commune *c, khum_err *err)
{
    const khum_election *e = &v->tv.e;
    const khum_tally_commune *tc = &v->tv.t.communes[c->index];
    khum_arena *a = &v->tv.arena;
    if (khum_tally_alloc_input(e, &v->tv.t, c->index, NULL, a, &c->rules, &c->in))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    c->contest = (khum_rla_contest){
        .commune = c->code, .rules = &c->rules, .lists = c->in.parties,
        .seats = tc->alloc.seats, .nlists = c->in.n, .total_seats = c->in.seats,
        .blank = tc->area.blank, .invalid = tc->area.invalid,
        .ballots = c->manifest ? c->manifest : tc->area.cast,
        .base_blank = e->threshold_base != KHUM_BASE_VALID,
        .base_invalid = e->threshold_base == KHUM_BASE_CAST};
    khum_err why;
    khum_err_clear(&why);
    if (!tc->allocated || khum_rla_assertions(&c->contest, a, &c->as, &c->nas, &why)) {
        snprintf(c->problem, sizeof c->problem, "%s [%s]",
                 tc->allocated ? why.msg : "no seats allocated", why.rule);
        c->nas = 0;
        c->binding = -1;
        return KHUM_OK;
    }
    c->binding = khum_rla_binding(c->as, c->nas);
    return KHUM_OK;
}

/* A settled reading as a choice of commune c. */
static int reading_choice(const rla_commune *c, const char *reading)
{
    if (!strcmp(reading, KHUM_RLA_READ_BLANK))
        return KHUM_RLA_BLANK;
    for (size_t l = 0; l < c->in.n; l++)
        if (!strcmp(c->in.parties[l].name, reading))
            return (int)l;
    return KHUM_RLA_INVALID;
}

/* The index in c->st of the station a sampled ballot lies in, -1 if none
 * (the test then refuses it: RLA.504). */
static int station_index(const rla_view *v, const rla_commune *c, int64_t seq)
{
    for (size_t i = 0; i < v->nsample; i++)
        if (v->sample[i].seq == seq && !strcmp(v->sample[i].commune, c->code))
            for (size_t g = 0; g < c->nst; g++)
                if (!strcmp(c->st_code[g], v->sample[i].station))
                    return (int)g;
    return -1;
}

/* The readings of commune c: how many ballots are settled, in draw order
 * from the first (the prefix the test uses), and how many read differently. */
static khum_code load_readings(rla_view *v, rla_commune *c, khum_err *err)
{
    khum_arena *a = &v->tv.arena;
    c->readings = khum_arena_calloc(a, (size_t)c->sample + 1, sizeof *c->readings);
    c->station = khum_arena_calloc(a, (size_t)c->sample + 1, sizeof *c->station);
    const char **values = khum_arena_calloc(a, v->nreadings + 1, sizeof *values);
    if (!c->readings || !c->station || !values)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    bool prefix = true;
    for (int64_t seq = 1; seq <= c->sample; seq++) {
        size_t k = 0;
        for (size_t i = 0; i < v->nreadings; i++)
            if (v->readings[i].seq == seq && !strcmp(v->readings[i].commune, c->code))
                values[k++] = v->readings[i].reading;
        const char *settled;
        khum_rla_read_state s = khum_rla_read_state_of(values, k, &settled);
        c->agreed += s == KHUM_RLA_AGREED;
        c->different += s == KHUM_RLA_DIFFERENT;
        prefix = prefix && s == KHUM_RLA_AGREED;
        if (prefix) {
            c->station[c->read] = station_index(v, c, seq);
            c->readings[c->read++] = reading_choice(c, settled);
        }
    }
    return KHUM_OK;
}

/* ONEAudit: the settled readings against commune c's station forms. */
static khum_code measure_oneaudit(rla_view *v, rla_commune *c, khum_err *err)
{
    khum_rla_reading *sample = khum_arena_calloc(&v->tv.arena, (size_t)c->read + 1,
                                                 sizeof *sample);
    if (!sample)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (int64_t j = 0; j < c->read; j++)
        sample[j] = (khum_rla_reading){c->station[j], c->readings[j]};
    return khum_rla_oneaudit(c->as, c->nas, c->st, c->nst, sample, (size_t)c->read, &v->params,
                             c->pvalue, &c->status, err);
}

/* The p-values and the stage of commune c. */
static khum_code measure(rla_view *v, rla_commune *c, khum_err *err)
{
    c->pvalue = khum_arena_calloc(&v->tv.arena, c->nas + 1, sizeof *c->pvalue);
    if (!c->pvalue)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < c->nas; i++)
        c->pvalue[i] = 1;
    c->status = KHUM_RLA_CONTINUE;
    if (c->nas == 0) {
        c->stage = RLA_NO_AUDIT;
        return KHUM_OK;
    }
    if (c->read > 0) {
        khum_code rc = v->mode == KHUM_RLA_MODE_ONEAUDIT
                     ? measure_oneaudit(v, c, err)
                     : khum_rla_polling(c->as, c->nas, c->readings, (size_t)c->read,
                                        &v->params, c->pvalue, &c->status, err);
        if (rc)
            return rc;
    }
    c->stage = rla_stage_of(c->as, c->nas, c->status, c->rounds, c->read, c->sample);
    return KHUM_OK;
}

/* The audit's record of commune c: its manifest's size and its rounds. */
static khum_code load_record(khum_store *s, rla_view *v, rla_commune *c, khum_err *err)
{
    khum_rla_box *boxes;
    size_t nb;
    khum_rla_round_row *rounds;
    size_t nr;
    khum_code rc;
    if ((rc = khum_store_rla_manifest(s, v->tv.e.id, c->code, &v->tv.arena, &boxes, &nb, err)) ||
        (rc = khum_store_rla_rounds(s, v->tv.e.id, c->code, &v->tv.arena, &rounds, &nr, err)))
        return rc;
    for (size_t i = 0; i < nb; i++)
        c->manifest += boxes[i].ballots;
    c->rounds = (int)nr;
    c->sample = nr ? rounds[nr - 1].ballots : 0;
    return KHUM_OK;
}

static khum_code load_communes(khum_store *s, rla_view *v, khum_err *err)
{
    const khum_election *e = &v->tv.e;
    khum_form *forms;
    size_t nf;
    khum_code rc = khum_store_current_forms(s, e->id, &v->tv.arena, &forms, &nf, err);
    if (rc)
        return rc;
    if (!(v->c = khum_arena_calloc(&v->tv.arena, v->tv.nofficial + 1, sizeof *v->c)))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; !rc && i < e->ncommunes; i++) {
        bool official = false;
        for (size_t k = 0; k < v->tv.nofficial && !official; k++)
            official = !strcmp(v->tv.official[k], e->communes[i].code);
        if (!official)
            continue;
        rla_commune *c = &v->c[v->n++];
        c->index = i;
        c->code = e->communes[i].code;
        if ((rc = load_record(s, v, c, err)) || (rc = load_contest(v, c, err)))
            break;
        if (load_stations(e, c, forms, nf, &v->tv.arena))
            rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        else if (!(rc = load_readings(v, c, err)))
            rc = measure(v, c, err);
    }
    return rc;
}

khum_code rla_view_load(khum_store *s, const char *election, const char *risk_limit,
                        rla_view *v, khum_err *err)
{
    memset(v, 0, sizeof *v);
    khum_code rc = tally_view_load(s, election, &v->tv, err);
    if (rc)
        return rc;
    khum_rla_params_default(&v->params);
    const char *id = v->tv.e.id;
    khum_arena *a = &v->tv.arena;
    if ((rc = khum_store_rla_audit(s, id, a, &v->audit, err)) ||
        (rc = khum_store_rla_sample(s, id, NULL, a, &v->sample, &v->nsample, err)) ||
        (rc = khum_store_rla_readings(s, id, NULL, a, &v->readings, &v->nreadings, err)))
        goto fail;
    const char *alpha = risk_limit ? risk_limit : v->audit.exists ? v->audit.risk_limit : NULL;
    if (alpha && (rc = khum_rla_risk_limit_parse(alpha, &v->params.alpha, err)))
        goto fail;
    v->mode = KHUM_RLA_MODE_POLLING;
    if (v->audit.exists && (rc = khum_rla_audit_mode_parse(v->audit.mode, &v->mode, err)))
        goto fail;
    if (!(rc = load_communes(s, v, err)))
        return KHUM_OK;
fail:
    rla_view_free(v);
    return rc;
}

void rla_view_free(rla_view *v)
{
    tally_view_free(&v->tv);
    memset(v, 0, sizeof *v);
}

const rla_commune *rla_view_commune(const rla_view *v, const char *code)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->c[i].code, code))
            return &v->c[i];
    return NULL;
}
