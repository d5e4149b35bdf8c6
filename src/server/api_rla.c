/*
 * api_rla.c: the risk-limiting audit in the API, /api/v1/elections/ID/rla/:
 * GET assertions, plan, pull and status (?commune=C; plan also
 * ?risk_limit=&mode=&runs=; pull ?format=csv), POST draw ({seed, ballots,
 * risk_limit?, mode?, bundle?, communes?}: the seed recorded once, then a round)
 * and POST readings ({readings: [{station, bundle, position, reading}]}:
 * one member's sheet, all or nothing). The same views and operations as
 * `khum rla` (publish/rla_view.h, khum/app_rla.h); reads are computed per
 * request, since the audit moves with every reading.
 */
#include <stdlib.h>
#include <string.h>

#include "khum/app_rla.h"
#include "publish/rla_pull.h"
#include "publish/rla_view.h"
#include "srv.h"

static void rla_get(srv_req *r, const khum_election *e, const char *what)
{
    const char *commune = srv_arg(r, "commune");
    const char *format = srv_arg(r, "format");
    khum_err err;
    khum_err_clear(&err);
    if (!strcmp(what, "pull")) {
        khum_rla_sample_row *rows;
        size_t n;
        if (khum_store_rla_sample(r->store, e->id, commune, &r->arena, &rows, &n, &err)) {
            srv_fail(r, 0, &err);
            return;
        }
        bool csv = format && !strcmp(format, "csv");
        rla_pull_write(e->id, rows, n, csv ? "csv" : "json", &r->out);
        r->status = 200;
        r->ctype = csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
        return;
    }
    const char *risk = srv_arg(r, "risk_limit");
    rla_view v;
    if (rla_view_load(r->store, e->id, risk, &v, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    if (commune && !rla_view_commune(&v, commune)) {
        srv_failf(r, 404, "RLA.547", "commune", "commune %s is not an official commune of "
                  "election %s", commune, e->id);
    } else if (!strcmp(what, "assertions")) {
        rla_view_assertions(&v, commune, "json", &r->out);
    } else if (!strcmp(what, "status")) {
        rla_view_status(&v, commune, "json", &r->out);
    } else {
        khum_rla_plan_opts po;
        khum_rla_plan_opts_default(&po);
        po.params = v.params;
        const char *mode = srv_arg(r, "mode"), *runs = srv_arg(r, "runs");
        khum_rla_mode m = KHUM_RLA_MODE_POLLING;
        if (runs)
            po.runs = atoi(runs);
        if (mode && !khum_rla_mode_parse(mode, &m))
            srv_failf(r, 400, "REQ.107", "mode", "mode is polling, oneaudit or stations");
        else if (rla_view_plan(&v, commune, m, &po, "json", &r->out, &err))
            srv_fail(r, 0, &err);
    }
    if (!r->status) {
        r->status = 200;
        r->ctype = "application/json; charset=utf-8";
    }
    rla_view_free(&v);
}

/* POST draw: the seed (recorded once; another one is RLA.545), then a round. */
static void rla_draw(srv_req *r, const khum_election *e, json_t *b)
{
    bool bad = false;
    const char *seed = srv_str_field(r, b, "seed", true, &bad);
    const char *risk = bad ? NULL : srv_str_field(r, b, "risk_limit", false, &bad);
    const char *mode = bad ? NULL : srv_str_field(r, b, "mode", false, &bad);
    json_t *jn = json_object_get(b, "ballots"), *jb = json_object_get(b, "bundle");
    json_t *jc = json_object_get(b, "communes");
    if (!bad && (!json_is_integer(jn) || json_integer_value(jn) < 1)) {
        srv_failf(r, 400, "REQ.104", "ballots", "ballots is the sample's size after the "
                  "round, a whole number of at least 1");
        bad = true;
    }
    khum_err err;
    khum_err_clear(&err);
    khum_rla_audit_row au;
    if (bad)
        return;
    if (khum_store_rla_audit(r->store, e->id, &r->arena, &au, &err) ||
        (!au.exists &&
         khum_app_rla_open(r->store, e, r->sess.user, seed, risk ? risk : "0.05", mode,
                           jb ? (int)json_integer_value(jb) : 50, &err))) {
        srv_fail(r, 0, &err);
        return;
    }
    if (au.exists && strcmp(au.seed, seed)) {
        srv_failf(r, 409, "RLA.545", "seed", "the audit has another seed, recorded by %s at "
                  "%s: every round draws from that one", au.opened_by, au.opened_at);
        return;
    }
    if (au.exists && mode && strcmp(au.mode, mode)) {
        srv_failf(r, 409, "RLA.565", "mode", "the audit measures by %s, recorded with its "
                  "seed by %s at %s: a mode is chosen once", au.mode, au.opened_by,
                  au.opened_at);
        return;
    }
    size_t n = json_array_size(jc);
    const char **communes;
    if (n) {
        communes = khum_arena_calloc(&r->arena, n + 1, sizeof *communes);
        for (size_t i = 0; communes && i < n; i++)
            communes[i] = json_string_value(json_array_get(jc, i)) ?: "";
    } else if (khum_store_official_communes(r->store, e->id, &r->arena, &communes, &n, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    khum_rla_drawn *out = khum_arena_calloc(&r->arena, n + 1, sizeof *out);
    if (!communes || !out ||
        khum_app_rla_draw(r->store, e, r->sess.user, communes, n, json_integer_value(jn),
                          &r->arena, out, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s,s:i,s:I,s:I,s:I}", "commune",
                                              out[i].commune, "round", out[i].round,
                                              "manifest", (json_int_t)out[i].manifest, "before",
                                              (json_int_t)out[i].before, "after",
                                              (json_int_t)out[i].after));
    srv_json(r, 201, json_pack("{s:s,s:o}", "seed", seed, "drawn", list));
}

/* POST readings: one member's sheet, in one transaction. */
static void rla_readings(srv_req *r, const khum_election *e, json_t *b)
{
    json_t *jr = json_object_get(b, "readings");
    size_t n = json_array_size(jr), failed = 0;
    if (!n) {
        srv_failf(r, 400, "REQ.103", "readings", "readings is a list of {station, bundle, "
                  "position, reading}");
        return;
    }
    khum_rla_entry *in = khum_arena_calloc(&r->arena, n + 1, sizeof *in);
    khum_rla_read_outcome *out = khum_arena_calloc(&r->arena, n + 1, sizeof *out);
    bool bad = !in || !out;
    for (size_t i = 0; !bad && i < n; i++) {
        json_t *x = json_array_get(jr, i);
        json_t *jb = json_object_get(x, "bundle"), *jp = json_object_get(x, "position");
        in[i].station = srv_str_field(r, x, "station", true, &bad);
        in[i].reading = bad ? NULL : srv_str_field(r, x, "reading", true, &bad);
        if (!bad && (!json_is_integer(jb) || !json_is_integer(jp))) {
            srv_failf(r, 400, "RLA.553", "bundle", "reading %zu: bundle and position are whole "
                      "numbers", i + 1);
            bad = true;
        }
        in[i].bundle = json_integer_value(jb);
        in[i].position = json_integer_value(jp);
        in[i].line = (long)i + 1;
    }
    for (size_t i = 0; !bad && i < n; i++)
        bad = !srv_allowed(r, KHUM_DO_ENTER, in[i].station);
    khum_err err;
    khum_err_clear(&err);
    if (bad)
        return;
    if (khum_app_rla_record(r->store, e, r->sess.user, in, n, out, &failed, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s,s:I,s:s}", "commune", out[i].commune,
                                              "seq", (json_int_t)out[i].seq, "state",
                                              khum_rla_read_state_name(out[i].to)));
    srv_json(r, 201, json_pack("{s:o}", "readings", list));
}

bool api_rla(srv_req *r)
{
    if (r->nseg != 4 || strcmp(r->seg[0], "elections") || strcmp(r->seg[2], "rla"))
        return false;
    const char *what = r->seg[3];
    bool get = !strcmp(what, "assertions") || !strcmp(what, "plan") || !strcmp(what, "pull") ||
               !strcmp(what, "status");
    bool post = !strcmp(what, "draw") || !strcmp(what, "readings");
    bool is_get = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
    if (!get && !post)
        return false;
    if (get != is_get || (post && strcmp(r->method, "POST"))) {
        srv_failf(r, 405, "HTTP.405", NULL, "%s is not allowed on %s", r->method, r->url);
        return true;
    }
    khum_err err;
    khum_err_clear(&err);
    srv_election *el;
    if (srv_election_get(r, r->seg[1], &el, &err)) {
        srv_fail(r, 0, &err);
        return true;
    }
    if (get) {
        rla_get(r, &el->e, what);
        return true;
    }
    /* a sheet's stations are checked one by one in rla_readings */
    if (!strcmp(what, "draw") ? !srv_allowed(r, KHUM_DO_LOTS, "") : !srv_session(r, true))
        return true;
    json_t *b = srv_body_object(r);
    if (!b)
        return true;
    if (!strcmp(what, "draw"))
        rla_draw(r, &el->e, b);
    else
        rla_readings(r, &el->e, b);
    json_decref(b);
    return true;
}
