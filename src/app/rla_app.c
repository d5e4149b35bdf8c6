/*
 * rla_app.c: the writes of a risk-limiting audit (khum/app_rla.h), each one
 * transaction in the shape of entry_app.c: begin, load, decide with pure
 * code (khum/rla_draw.h), write, append the audit event, commit. The seed
 * is its own operation so that its event precedes every draw in the log:
 * anyone can see it was fixed before the sample was known. A reading's
 * event names the ballot and the state it reached, and the reading itself
 * only once two members agree: an open first reading in the public log
 * would tell the second member what to read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_impl.h"
#include "khum/array.h"
#include "khum/app_rla.h"

khum_code khum_rla_risk_limit_parse(const char *text, double *alpha, khum_err *err)
{
    char *endp = NULL;
    double x = text && *text ? strtod(text, &endp) : -1;
    if (!endp || *endp || !(x > 0 && x < 1))
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.544", "the risk limit must be a number "
                            "between 0 and 1, such as 0.05, not '%s'", text ? text : "");
    *alpha = x;
    return KHUM_OK;
}

khum_code khum_rla_audit_mode_parse(const char *text, khum_rla_mode *mode, khum_err *err)
{
    if (text && khum_rla_mode_parse(text, mode) && *mode != KHUM_RLA_MODE_STATIONS)
        return KHUM_OK;
    return khum_err_set(err, KHUM_ERR_INPUT, "RLA.564", "an audit of ballots measures by "
                        "polling or oneaudit, not '%s'", text ? text : "");
}

khum_code khum_app_rla_open(khum_store *s, const khum_election *e, const char *user,
                            const char *seed, const char *risk_limit, const char *mode,
                            int bundle, khum_err *err)
{
    double alpha;
    khum_rla_mode m;
    khum_rla_manifest probe = {.bundle = bundle};
    khum_code rc;
    if (!mode)
        mode = "polling";
    if ((rc = khum_rla_seed_check(seed, err)) ||
        (rc = khum_rla_risk_limit_parse(risk_limit, &alpha, err)) ||
        (rc = khum_rla_audit_mode_parse(mode, &m, err)) ||
        (rc = khum_rla_manifest_check(&probe, err)))
        return rc;
    khum_arena a;
    if ((rc = app_begin(s, &a, err)))
        return rc;
    khum_rla_audit_row au;
    if ((rc = khum_store_rla_audit(s, e->id, &a, &au, err)))
        return app_end(s, &a, rc, err);
    if (au.exists) {
        khum_err_set(err, KHUM_ERR_CONFLICT, "RLA.545", "election %s has its audit's seed "
                     "already (recorded by %s at %s): a seed is recorded once", e->id,
                     au.opened_by, au.opened_at);
        return app_end(s, &a, KHUM_ERR_CONFLICT, err);
    }
    if (!(rc = khum_store_rla_put_audit(s, e->id, seed, risk_limit, mode, bundle, user,
                                           err)))
        rc = app_audit(s, user, "rla.seed", e->id, "", NULL,
                       json_pack("{s:s,s:s,s:s,s:i}", "seed", seed, "risk_limit", risk_limit,
                                 "mode", mode, "bundle", bundle), err);
    return app_end(s, &a, rc, err);
}

/* The council's manifest: frozen at its first draw, else from its official
 * forms (ballots cast per station, in station order). */
static khum_code load_manifest(khum_store *s, const khum_election *e,
                               const khum_election_commune *c, int bundle, khum_arena *a,
                               khum_rla_manifest *m, bool *fresh, khum_err *err)
{
    khum_rla_box *boxes;
    size_t n;
    khum_code rc = khum_store_rla_manifest(s, e->id, c->code, a, &boxes, &n, err);
    if (rc)
        return rc;
    *fresh = n == 0;
    if (*fresh) {
        khum_form *forms;
        size_t nf;
        if ((rc = khum_store_current_forms(s, e->id, a, &forms, &nf, err)))
            return rc;
        if (!(boxes = khum_arena_alloc(a, (c->nstations + 1) * sizeof *boxes)))
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        for (size_t i = 0; i < c->nstations; i++) {
            const khum_station *st = &e->stations[c->first_station + i];
            boxes[n] = (khum_rla_box){st->code, -1};
            for (size_t k = 0; k < nf; k++)
                if (!strcmp(forms[k].station, st->code))
                    boxes[n].ballots = forms[k].cast;
            n++;
        }
    }
    *m = (khum_rla_manifest){.commune = c->code, .bundle = bundle, .boxes = boxes, .nboxes = n};
    return khum_rla_manifest_check(m, err);
}

/* One council's next round: decide the sample's new size, draw, write. */
static khum_code draw_commune(khum_store *s, const khum_election *e, const char *user,
                              const khum_rla_audit_row *au, const char *code, int64_t ballots,
                              khum_arena *a, khum_rla_drawn *out, khum_err *err)
{
    const khum_election_commune *c = khum_election_commune_find(e, code);
    bool official = false;
    khum_code rc = c ? khum_store_is_official(s, e->id, code, &official, err) : KHUM_OK;
    if (rc)
        return rc;
    if (!c || !official)
        return khum_err_set(err, KHUM_ERR_CONFLICT, "RLA.547", "commune %s is not an official "
                            "commune of election %s: an audit samples official results", code,
                            e->id);
    khum_rla_manifest m;
    bool fresh;
    khum_rla_round_row *rounds;
    size_t nr;
    if ((rc = load_manifest(s, e, c, au->bundle, a, &m, &fresh, err)) ||
        (rc = khum_store_rla_rounds(s, e->id, code, a, &rounds, &nr, err)))
        return rc;
    int64_t before = nr ? rounds[nr - 1].ballots : 0;
    int64_t want = ballots < m.total ? ballots : m.total;
    if (want <= before)
        return khum_err_set(err, KHUM_ERR_CONFLICT, "RLA.548", "commune %s: its sample holds "
                            "%lld of %lld ballots already; a new round asks for more",
                            code, (long long)before, (long long)m.total);
    char key[KHUM_RLA_SEED_MAX + 40];
    int64_t *sample, n;
    uint64_t counter;
    if ((rc = khum_rla_stream_key(au->seed, code, key, sizeof key, err)) ||
        (rc = khum_rla_draw(key, m.total, want, a, &sample, &n, &counter, err)))
        return rc;
    khum_rla_sample_row *rows = khum_arena_alloc(a, (size_t)(n - before + 1) * sizeof *rows);
    if (!rows)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (int64_t i = before; i < n; i++) {
        khum_rla_ballot b;
        if ((rc = khum_rla_manifest_locate(&m, sample[i], &b, err)))
            return rc;
        rows[i - before] = (khum_rla_sample_row){code, i + 1, sample[i],
                                                 m.boxes[b.box].station, b.bundle,
                                                 b.position, (int)nr + 1};
    }
    khum_rla_round_row r = {code, (int)nr + 1, n, (int64_t)counter, user, ""};
    if ((fresh && (rc = khum_store_rla_put_manifest(s, e->id, code, m.boxes, m.nboxes, err))) ||
        (rc = khum_store_rla_put_sample(s, e->id, rows, (size_t)(n - before), err)) ||
        (rc = khum_store_rla_put_round(s, e->id, &r, err)))
        return rc;
    *out = (khum_rla_drawn){code, r.round, m.total, before, n};
    char obj[128];
    return app_audit(s, user, "rla.draw", app_object(e->id, code, obj, sizeof obj), code, NULL,
                     json_pack("{s:i,s:I,s:I,s:I,s:I}", "round", r.round, "manifest",
                               (json_int_t)m.total, "before", (json_int_t)before, "after",
                               (json_int_t)n, "counter", (json_int_t)counter), err);
}

khum_code khum_app_rla_draw(khum_store *s, const khum_election *e, const char *user,
                            const char *const *communes, size_t n, int64_t ballots,
                            khum_arena *a, khum_rla_drawn *out, khum_err *err)
{
    khum_arena tx;
    khum_code rc = app_begin(s, &tx, err);
    if (rc)
        return rc;
    khum_rla_audit_row au;
    if ((rc = khum_store_rla_audit(s, e->id, a, &au, err)))
        return app_end(s, &tx, rc, err);
    if (!au.exists) {
        khum_err_set(err, KHUM_ERR_CONFLICT, "RLA.546", "election %s has no audit seed yet: "
                     "record the dice digits first (khum rla draw --seed DIGITS)", e->id);
        return app_end(s, &tx, KHUM_ERR_CONFLICT, err);
    }
    for (size_t i = 0; !rc && i < n; i++)
        rc = draw_commune(s, e, user, &au, communes[i], ballots, &tx, &out[i], err);
    for (size_t i = 0; !rc && i < n; i++)  /* the rows outlive the transaction's arena */
        out[i].commune = communes[i];
    return app_end(s, &tx, rc, err);
}

/* A reading names a list contesting the council, blank or invalid. */
static khum_code reading_check(const khum_election *e, const khum_election_commune *c,
                               const char *reading, khum_err *err)
{
    if (!strcmp(reading, KHUM_RLA_READ_BLANK) || !strcmp(reading, KHUM_RLA_READ_INVALID))
        return KHUM_OK;
    for (size_t i = 0; i < c->nlists; i++)
        if (!strcmp(e->lists[c->first_list + i].party, reading))
            return KHUM_OK;
    return khum_err_set(err, KHUM_ERR_INPUT, "RLA.549", "'%s' is not a list contesting commune "
                        "%s: a reading is one of its lists, blank or invalid", reading, c->code);
}

/* What a council's readings are checked against, loaded once per transaction:
 * its sample and every reading so far (readings grows as entries are added). */
typedef struct read_ctx {
    const char *commune;
    khum_rla_sample_row *sample;
    size_t nsample;
    khum_array readings;              /* khum_rla_reading_row */
} read_ctx;

static khum_code read_ctx_load(khum_store *s, const khum_election *e, const char *commune,
                               khum_arena *a, read_ctx *x, khum_err *err)
{
    khum_rla_reading_row *rows;
    size_t n;
    x->commune = commune;
    khum_array_init(&x->readings, sizeof *rows, a);
    khum_code rc = khum_store_rla_sample(s, e->id, commune, a, &x->sample, &x->nsample, err);
    if (!rc)
        rc = khum_store_rla_readings(s, e->id, commune, a, &rows, &n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        khum_rla_reading_row *r = khum_array_push(&x->readings);
        if (!r)
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        *r = rows[i];
    }
    return rc;
}

/* The sampled ballot at (station, bundle, position), or RLA.550. */
static khum_code find_ballot(const read_ctx *x, const khum_rla_entry *in, int64_t *seq,
                             khum_err *err)
{
    for (size_t i = 0; i < x->nsample; i++)
        if (!strcmp(x->sample[i].station, in->station) && x->sample[i].bundle == in->bundle &&
            x->sample[i].position == in->position) {
            *seq = x->sample[i].seq;
            return KHUM_OK;
        }
    return khum_err_set(err, KHUM_ERR_NOTFOUND, "RLA.550", "station %s, bundle %lld, position "
                        "%lld is not a ballot of the audit's sample (khum rla pull lists them)",
                        in->station, (long long)in->bundle, (long long)in->position);
}

/* One reading inside the caller's transaction: decide, write, audit. */
static khum_code record_one(khum_store *s, const khum_election *e, const char *user,
                            read_ctx *x, const khum_rla_entry *in, khum_arena *a,
                            khum_rla_read_outcome *out, khum_err *err)
{
    khum_code rc = find_ballot(x, in, &out->seq, err);
    if (rc)
        return rc;
    const khum_rla_reading_row *rows = x->readings.items;
    const char **members = khum_arena_alloc(a, (x->readings.n + 1) * sizeof *members);
    const char **values = khum_arena_alloc(a, (x->readings.n + 1) * sizeof *values);
    if (!members || !values)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < x->readings.n; i++)
        if (rows[i].seq == out->seq) {
            members[k] = rows[i].member;
            values[k++] = rows[i].reading;
        }
    if ((rc = khum_rla_read_next(members, values, k, user, in->reading, &out->to, err)))
        return rc;
    khum_rla_reading_row *r = khum_array_push(&x->readings);
    if (!r)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    *r = (khum_rla_reading_row){x->commune, out->seq, user, in->reading, ""};
    if ((rc = khum_store_rla_put_reading(s, e->id, r, err)))
        return rc;
    char obj[128];
    json_t *after = json_pack("{s:I,s:s,s:I,s:I,s:s}", "seq", (json_int_t)out->seq, "station",
                              in->station, "bundle", (json_int_t)in->bundle, "position",
                              (json_int_t)in->position, "state",
                              khum_rla_read_state_name(out->to));
    if (after && out->to == KHUM_RLA_AGREED)
        json_object_set_new(after, "reading", json_string(in->reading));
    return app_audit(s, user, "rla.read", app_object(e->id, x->commune, obj, sizeof obj),
                     in->station, NULL, after, err);
}

/* The council of an entry's station, and the reading checked against it. */
static khum_code entry_commune(const khum_election *e, const khum_rla_entry *in,
                               const khum_election_commune **c, khum_err *err)
{
    const khum_station *st = khum_election_station_find(e, in->station);
    if (!st)
        return khum_err_set(err, KHUM_ERR_NOTFOUND, "RLA.550", "station %s is not a polling "
                            "station of election %s", in->station, e->id);
    *c = &e->communes[st->commune_index];
    return reading_check(e, *c, in->reading, err);
}

khum_code khum_app_rla_record(khum_store *s, const khum_election *e, const char *user,
                              const khum_rla_entry *in, size_t n, khum_rla_read_outcome *out,
                              size_t *failed, khum_err *err)
{
    const khum_election_commune *c = NULL;
    khum_code rc = KHUM_OK;
    for (*failed = 0; *failed < n; ++*failed) {
        memset(&out[*failed], 0, sizeof *out);
        if ((rc = entry_commune(e, &in[*failed], &c, err)))
            return rc;
        snprintf(out[*failed].commune, sizeof out->commune, "%s", c->code);
    }
    khum_arena a;
    if ((rc = app_begin(s, &a, err)))
        return rc;
    read_ctx x = {0};
    for (*failed = 0; *failed < n; ++*failed) {
        const char *commune = out[*failed].commune;
        if ((!x.commune || strcmp(x.commune, commune)) &&
            (rc = read_ctx_load(s, e, khum_arena_strdup(&a, commune), &a, &x, err)))
            break;
        if ((rc = record_one(s, e, user, &x, &in[*failed], &a, &out[*failed], err)))
            break;
    }
    if (!rc)
        *failed = 0;
    return app_end(s, &a, rc, err);
}
