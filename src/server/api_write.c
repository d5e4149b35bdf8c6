/*
 * api_write.c: logging in and out, and the write endpoints: form entries,
 * resolving two entries, explaining warnings, corrections, official results,
 * lots and ledger events. Each write needs a session; a browser session
 * (cookie) must also send its CSRF token in X-CSRF-Token. The role and scope
 * are checked (khum_app_authorize, the check the command line makes too)
 * before anything is read; a refusal is
 * answered 403 and written to the audit log.
 */
#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "khum/auth.h"
#include "srv.h"

enum { MAX_STRING = 2000 };

static bool hex64(const char *s)
{
    return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

bool srv_session(srv_req *r, bool need)
{
    const char *auth = srv_header(r, "Authorization");
    const char *token = NULL;
    r->via_cookie = false;
    if (auth && !strncmp(auth, "Bearer ", 7)) {
        token = auth + 7;
    } else {
        token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "khum_session");
        r->via_cookie = token != NULL;
    }
    khum_err err;
    khum_err_clear(&err);
    if (!token) {
        if (need)
            srv_failf(r, 401, "AUTH.501", NULL, "log in first (POST /api/v1/session)");
        return false;
    }
    r->token = token;
    if (!hex64(token) || khum_app_session(r->store, token, &r->arena, &r->sess, &err)) {
        if (!*err.rule)
            khum_err_set(&err, KHUM_ERR_AUTH, "AUTH.501", "the session has ended or is "
                         "unknown: log in again");
        if (need)
            srv_fail(r, 401, &err);
        return false;
    }
    return true;
}

/* ---- request bodies --------------------------------------------------------------- */

static json_t *body_object(srv_req *r)
{
    json_error_t je;
    json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        srv_failf(r, 400, "REQ.101", NULL, "the body is not valid JSON (line %d, column %d: "
                  "%s)", je.line, je.column, je.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        srv_failf(r, 400, "REQ.102", NULL, "the body must be a JSON object");
        return NULL;
    }
    return j;
}

/* A string field: NULL (and r->out set) when missing but required, or not a
 * string, or too long. */
static const char *str_field(srv_req *r, json_t *o, const char *name, bool required,
                             bool *bad)
{
    json_t *v = json_object_get(o, name);
    if (!v || json_is_null(v)) {
        if (required) {
            srv_failf(r, 400, "REQ.103", name, "the field '%s' is required", name);
            *bad = true;
        }
        return NULL;
    }
    if (!json_is_string(v)) {
        srv_failf(r, 400, "REQ.104", name, "the field '%s' must be a string", name);
        *bad = true;
        return NULL;
    }
    if (json_string_length(v) > MAX_STRING || strlen(json_string_value(v)) !=
                                                  json_string_length(v)) {
        srv_failf(r, 400, "REQ.105", name, "the field '%s' is too long or holds a NUL", name);
        *bad = true;
        return NULL;
    }
    return khum_arena_strdup(&r->arena, json_string_value(v));
}

static bool int_field(srv_req *r, json_t *o, const char *name, int64_t *out)
{
    json_t *v = json_object_get(o, name);
    if (!v) {
        srv_failf(r, 400, "REQ.103", name, "the field '%s' is required", name);
        return false;
    }
    if (!json_is_integer(v)) {
        srv_failf(r, 400, "REQ.104", name, "the field '%s' must be a whole number", name);
        return false;
    }
    *out = json_integer_value(v);
    if (*out < -1000000000 || *out > 1000000000) {
        srv_failf(r, 400, "REQ.106", name, "the field '%s' is out of range", name);
        return false;
    }
    return true;
}

/* ---- sessions ----------------------------------------------------------------------- */

/* The client's address as text: the connection's, or behind the trusted
 * proxy the last address its X-Forwarded-For names (the one it saw). */
static void client_address(srv_req *r, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, cap, "?");
    if (!ci || !ci->client_addr || ci->client_addr->sa_family != AF_INET)
        return;
    const struct in_addr *in = &((const struct sockaddr_in *)ci->client_addr)->sin_addr;
    inet_ntop(AF_INET, in, out, (socklen_t)cap);
    const char *xff = srv_header(r, "X-Forwarded-For");
    if (r->srv->trusted_proxy && in->s_addr == r->srv->trusted_proxy && xff && *xff) {
        const char *last = strrchr(xff, ',');
        last = last ? last + 1 : xff;
        while (*last == ' ')
            last++;
        snprintf(out, cap, "%.45s", last);
    }
}

/* Whether the client reached us over TLS: only the trusted proxy can say so
 * (X-Forwarded-Proto: https); this server itself speaks plain HTTP. */
static bool client_secure(srv_req *r)
{
    if (r->srv->o.secure_cookies)
        return true;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const char *proto = srv_header(r, "X-Forwarded-Proto");
    return r->srv->trusted_proxy && ci && ci->client_addr &&
           ci->client_addr->sa_family == AF_INET &&
           ((const struct sockaddr_in *)ci->client_addr)->sin_addr.s_addr ==
               r->srv->trusted_proxy &&
           proto && !strcasecmp(proto, "https");
}

/* Set (or, with token NULL, clear) the session cookie; Secure when the
 * client came over TLS, so that the browser never sends it in clear. */
static void set_cookie(srv_req *r, const char *token)
{
    snprintf(r->cookie, sizeof r->cookie, "khum_session=%s; Path=/api/; Max-Age=%d; HttpOnly; "
             "SameSite=Strict%s", token ? token : "", token ? r->srv->o.session_ttl : 0,
             client_secure(r) ? "; Secure" : "");
}

/* Logins are limited per address here and per user in the store
 * (khum_app_login): each attempt counts as a failure until it succeeds. */
static void login(srv_req *r)
{
    json_t *b = body_object(r);
    if (!b)
        return;
    bool bad = false;
    const char *user = str_field(r, b, "user", true, &bad);
    const char *pw = bad ? NULL : str_field(r, b, "password", true, &bad);
    json_decref(b);
    if (bad)
        return;
    char ip[64], ikey[64];
    client_address(r, ip, sizeof ip);
    snprintf(ikey, sizeof ikey, "a:%.48s", ip);
    int wait = srv_limit_take(r->srv, ikey);
    if (wait) {
        r->retry_after = wait;
        srv_failf(r, 429, "AUTH.506", NULL, "too many failed logins from your address: try "
                  "again in %d s", wait);
        return;
    }
    khum_login_policy policy = {.dummy_hash = r->srv->dummy_hash};
    khum_session s;
    khum_err err;
    khum_err_clear(&err);
    if (khum_app_login(r->store, &policy, user, pw, r->srv->o.session_ttl, &r->arena, &s,
                       &r->retry_after, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    srv_limit_release(r->srv, ikey);
    set_cookie(r, s.token);
    srv_json(r, 200, json_pack("{s:s,s:s,s:s,s:s,s:s,s:i}", "user", s.user, "role", s.role,
                               "scope", s.scope, "token", s.token, "csrf", s.csrf,
                               "expires_in", r->srv->o.session_ttl));
}

static bool csrf_ok(srv_req *r)
{
    if (!r->via_cookie)
        return true;
    const char *t = srv_header(r, "X-CSRF-Token");
    if (!t || strlen(t) != strlen(r->sess.csrf) ||
        sodium_memcmp(t, r->sess.csrf, strlen(t)) != 0) {
        srv_failf(r, 403, "AUTH.505", NULL, "a write from a browser session needs the "
                  "X-CSRF-Token header given at login");
        return false;
    }
    return true;
}

/* A browser's logout needs its CSRF token like any write: another site
 * must not be able to log the user out. */
static void logout(srv_req *r)
{
    if (!srv_session(r, true) || !csrf_ok(r))
        return;
    khum_err err;
    khum_err_clear(&err);
    if (khum_app_logout(r->store, r->token, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    set_cookie(r, NULL);
    srv_json(r, 200, json_pack("{s:b}", "logged_out", 1));
}

/* The session, the CSRF token of a browser session, then the role and scope.
 * A refusal by role or scope is logged in the audit log. */
static bool allowed(srv_req *r, khum_action act, const char *object)
{
    if (!srv_session(r, true) || !csrf_ok(r))
        return false;
    khum_err err;
    khum_err_clear(&err);
    if (!khum_app_authorize(r->store, r->sess.user, act, object, &err))
        return true;
    khum_err log;
    khum_err_clear(&log);
    char detail[700];
    snprintf(detail, sizeof detail, "%s %s: %s [%s]", r->method, r->url, err.msg, err.rule);
    khum_app_audit(r->store, r->sess.user, "access.denied", object, object, detail, &log);
    srv_fail(r, 403, &err);
    return false;
}

/* ---- forms ------------------------------------------------------------------------------ */

static void outcome(srv_req *r, int status, const char *station, const khum_entry_outcome *o)
{
    json_t *j = json_pack("{s:s,s:i,s:s,s:s,s:o}", "station", station, "version", o->version,
                          "from", khum_form_state_name(o->from), "state",
                          khum_form_state_name(o->to), "checks", srv_checks_json(&o->checks));
    if (o->entry)
        json_object_set_new(j, "entry", json_integer(o->entry));
    /* Blind: the keyer learns that the entries differ, never where; the
     * coordinator sees both entries side by side (GET forms/STATION). */
    srv_json(r, status, j);
}

/* A check failed: 422 with every check of the form. */
static void refused(srv_req *r, const khum_err *err, const khum_checks *c)
{
    bool checks = err->code == KHUM_ERR_INPUT && c->n;
    srv_fail_with(r, 0, err, "checks", checks ? srv_checks_json(c) : NULL);
}

static bool read_form(srv_req *r, json_t *b, const char *station, khum_form *f)
{
    static const char *const names[] = {"registered", "received", "cast", "spoiled",
                                        "unused", "valid", "invalid"};
    int64_t *dst[] = {&f->registered, &f->received, &f->cast, &f->spoiled,
                      &f->unused, &f->valid, &f->invalid};
    memset(f, 0, sizeof *f);
    f->station = station;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!int_field(r, b, names[i], dst[i]))
            return false;
    /* blank ballots: optional, as forms without them (Cambodia's) have none */
    if (json_object_get(b, "blank") && !int_field(r, b, "blank", &f->blank))
        return false;
    json_t *votes = json_object_get(b, "votes");
    if (!json_is_object(votes)) {
        srv_failf(r, 400, votes ? "REQ.104" : "REQ.103", "votes",
                  "the field 'votes' must be an object of party: votes");
        return false;
    }
    size_t n = json_object_size(votes);
    if (n > 64) {
        srv_failf(r, 400, "REQ.106", "votes", "at most 64 parties");
        return false;
    }
    f->party = khum_arena_calloc(&r->arena, n + 1, sizeof *f->party);
    f->votes = khum_arena_calloc(&r->arena, n + 1, sizeof *f->votes);
    if (!f->party || !f->votes)
        return false;
    const char *k;
    json_t *v;
    json_object_foreach(votes, k, v) {
        if (!int_field(r, votes, k, &f->votes[f->n]))
            return false;
        f->party[f->n++] = khum_arena_strdup(&r->arena, k);
    }
    return true;
}

/* One form write with its arguments, run by the writer thread in a batch
 * (srv_batched: group commit) while the request's thread waits. */
typedef struct form_op {
    khum_action what;
    const khum_election *e;
    const char *user, *station, *a1, *a2;
    const khum_form *f;
    khum_entry_action ea;
    khum_entry_outcome *o;
    int *version;
    khum_err *err;
} form_op;

static khum_code run_form_op(khum_store *s, void *ctx)
{
    const form_op *x = ctx;
    switch (x->what) {
    case KHUM_DO_ENTER:
        return khum_app_enter(s, x->e, x->user, x->f, x->o, x->err);
    case KHUM_DO_RESOLVE:
        return khum_app_resolve(s, x->e, x->user, x->station, x->ea, x->a1, x->o, x->err);
    case KHUM_DO_EXPLAIN:
        return khum_app_explain(s, x->e, x->user, x->station, x->a1, x->a2, x->o, x->err);
    default:
        return khum_app_correct(s, x->e, x->user, x->station, x->a1, x->a2, x->version,
                                x->err);
    }
}

static khum_code form_op_run(srv_req *r, form_op op)
{
    return srv_batched(r->srv, run_form_op, &op, op.err);
}

static void form_write(srv_req *r, srv_election *el, const char *station, const char *what)
{
    const khum_station *st = khum_election_station_find(&el->e, station);
    khum_action act = !strcmp(what, "entries") ? KHUM_DO_ENTER
                      : !strcmp(what, "resolve") ? KHUM_DO_RESOLVE
                      : !strcmp(what, "explanations") ? KHUM_DO_EXPLAIN : KHUM_DO_CORRECT;
    if (!allowed(r, act, station))
        return;
    if (!st) {
        srv_failf(r, 404, "F.107", NULL, "station %s is not a polling station of election %s",
                  station, el->e.id);
        return;
    }
    json_t *b = body_object(r);
    if (!b)
        return;
    khum_entry_outcome o;
    khum_err err;
    khum_err_clear(&err);
    bool bad = false;
    khum_code rc = KHUM_OK;
    int ok_status = 200;
    if (act == KHUM_DO_ENTER) {
        khum_form f;
        if (!read_form(r, b, station, &f))
            bad = true;
        else if ((rc = form_op_run(r, (form_op){.what = act, .e = &el->e, .user = r->sess.user,
                                                .f = &f, .o = &o, .err = &err})))
            refused(r, &err, &o.checks);
        ok_status = 201;
    } else if (act == KHUM_DO_RESOLVE) {
        const char *a = str_field(r, b, "action", true, &bad);
        khum_entry_action ea = KHUM_ACT_ENTER;
        for (int i = KHUM_ACT_KEEP_FIRST; a && i <= KHUM_ACT_REKEY_SECOND; i++)
            if (!strcmp(a, khum_entry_action_name((khum_entry_action)i)))
                ea = (khum_entry_action)i;
        if (!bad && ea == KHUM_ACT_ENTER) {
            srv_failf(r, 400, "REQ.107", "action", "action is keep-first, keep-second, "
                      "rekey-first or rekey-second");
            bad = true;
        }
        const char *why = bad ? NULL : str_field(r, b, "reason", false, &bad);
        if (!bad && (rc = form_op_run(r, (form_op){.what = act, .e = &el->e,
                                                   .user = r->sess.user, .station = station,
                                                   .ea = ea, .a1 = why, .o = &o, .err = &err})))
            srv_fail(r, 0, &err);
    } else if (act == KHUM_DO_EXPLAIN) {
        const char *code = str_field(r, b, "code", true, &bad);
        const char *text = bad ? NULL : str_field(r, b, "text", true, &bad);
        if (!bad && (rc = form_op_run(r, (form_op){.what = act, .e = &el->e,
                                                   .user = r->sess.user, .station = station,
                                                   .a1 = code, .a2 = text, .o = &o,
                                                   .err = &err})))
            srv_fail(r, 0, &err);
    } else {
        const char *reason = str_field(r, b, "reason", true, &bad);
        const char *ref = bad ? NULL : str_field(r, b, "reference", true, &bad);
        int version = 0;
        if (!bad && (rc = form_op_run(r, (form_op){.what = act, .e = &el->e,
                                                   .user = r->sess.user, .station = station,
                                                   .a1 = reason, .a2 = ref,
                                                   .version = &version, .err = &err})))
            srv_fail(r, 0, &err);
        if (!bad && !rc)
            srv_json(r, 201, json_pack("{s:s,s:i,s:s}", "station", station, "version", version,
                                       "state", "empty"));
        json_decref(b);
        return;
    }
    json_decref(b);
    if (!bad && !rc)
        outcome(r, ok_status, station, &o);
}

/* ---- results, lots, ledger ------------------------------------------------------------- */

static void official(srv_req *r, srv_election *el)
{
    if (!allowed(r, KHUM_DO_OFFICIAL, ""))
        return;
    json_t *b = body_object(r);
    if (!b)
        return;
    json_t *list = json_object_get(b, "communes");
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    const char **communes = khum_arena_calloc(&r->arena, n + 1, sizeof *communes);
    for (size_t i = 0; communes && i < n; i++) {
        json_t *c = json_array_get(list, i);
        if (!json_is_string(c)) {
            json_decref(b);
            srv_failf(r, 400, "REQ.104", "communes", "communes is a list of commune codes");
            return;
        }
        communes[i] = khum_arena_strdup(&r->arena, json_string_value(c));
    }
    if (list && !json_is_array(list)) {
        json_decref(b);
        srv_failf(r, 400, "REQ.104", "communes", "communes is a list of commune codes");
        return;
    }
    json_decref(b);
    khum_diags problems = {0};
    size_t done = 0;
    khum_err err;
    khum_err_clear(&err);
    if (khum_app_make_official(r->store, &el->e, r->sess.user, communes, n, &done, &problems,
                               &err)) {
        json_t *arr = json_array();
        for (size_t i = 0; i < problems.n && i < 200; i++)
            json_array_append_new(arr, json_pack("{s:s,s:s}", "code", problems.items[i].rule,
                                                 "message", problems.items[i].msg));
        srv_fail_with(r, 0, &err, "problems", arr);
    } else {
        srv_json(r, 200, json_pack("{s:I}", "made_official", (json_int_t)done));
    }
    khum_diags_free(&problems);
}

static void lots(srv_req *r, srv_election *el)
{
    if (!allowed(r, KHUM_DO_LOTS, ""))
        return;
    json_t *b = body_object(r);
    if (!b)
        return;
    bool bad = false;
    const char *commune = str_field(r, b, "commune", true, &bad);
    const char *seed = bad ? NULL : str_field(r, b, "seed", true, &bad);
    int64_t event = 0;  /* with an event: the lots of a dissolution in the commune */
    if (!bad && json_object_get(b, "event") && !int_field(r, b, "event", &event))
        bad = true;
    json_decref(b);
    khum_err err;
    khum_err_clear(&err);
    if (bad)
        return;
    if (event ? khum_app_draw_event_lots(r->store, &el->e, r->sess.user, event, commune, seed,
                                         &err)
              : khum_app_draw_lots(r->store, &el->e, r->sess.user, commune, seed, &err))
        srv_fail(r, 0, &err);
    else
        srv_json(r, 201, json_pack("{s:s,s:s,s:I}", "commune", commune, "seed", seed, "event",
                                   (json_int_t)event));
}

static void ledger_add(srv_req *r, srv_election *el)
{
    json_t *b = body_object(r);
    if (!b)
        return;
    bool bad = false;
    khum_ledger_event ev = {0};
    const char *type = str_field(r, b, "type", true, &bad);
    if (!bad && !khum_event_parse(type, &ev.type)) {
        srv_failf(r, 400, "REQ.107", "type", "unknown event type '%s'", type);
        bad = true;
    }
    const char *names[] = {"date", "commune", "person", "party", "to_party", "reference"};
    const char **dst[] = {&ev.date, &ev.commune, &ev.person, &ev.party, &ev.to_party,
                          &ev.reference};
    for (size_t i = 0; !bad && i < sizeof names / sizeof *names; i++)
        *dst[i] = str_field(r, b, names[i], i == 0, &bad);
    json_t *rev = json_object_get(b, "reverses"), *decl = json_object_get(b, "declining");
    if (!bad && rev && !int_field(r, b, "reverses", &ev.reverses))
        bad = true;
    size_t nd = json_is_array(decl) ? json_array_size(decl) : 0;
    const char **dl = khum_arena_calloc(&r->arena, nd + 1, sizeof *dl);
    for (size_t i = 0; !bad && dl && i < nd; i++) {
        if (!json_is_string(json_array_get(decl, i))) {
            srv_failf(r, 400, "REQ.104", "declining", "declining is a list of party ids");
            bad = true;
        } else {
            dl[i] = khum_arena_strdup(&r->arena, json_string_value(json_array_get(decl, i)));
        }
    }
    ev.declining = dl;
    ev.ndeclining = nd;
    json_decref(b);
    if (bad)
        return;
    const char *object;
    khum_action act = khum_app_ledger_action(&ev, &object);
    if (!allowed(r, act, object))
        return;
    khum_council_rules rules;
    khum_council_rules_default(&rules);
    khum_err err;
    khum_err_clear(&err);
    int64_t id = 0;
    if (khum_app_record_event(r->store, &el->e, &ev, &rules, r->sess.user, &id, &err))
        srv_fail(r, 0, &err);
    else
        srv_json(r, 201, json_pack("{s:I,s:s}", "id", (json_int_t)id, "type", type));
}

bool api_write(srv_req *r)
{
    const char *s0 = r->nseg ? r->seg[0] : "";
    bool post = !strcmp(r->method, "POST"), del = !strcmp(r->method, "DELETE");
    if (r->nseg == 1 && !strcmp(s0, "session")) {
        if (!r->probe && post)
            login(r);
        else if (!r->probe && del)
            logout(r);
        else if (!r->probe)
            return false;
        return true;
    }
    const char *what = r->nseg >= 3 ? r->seg[2] : "";
    bool form_route = r->nseg == 5 && !strcmp(what, "forms") &&
                      (!strcmp(r->seg[4], "entries") || !strcmp(r->seg[4], "resolve") ||
                       !strcmp(r->seg[4], "explanations") || !strcmp(r->seg[4], "corrections"));
    bool other = r->nseg == 3 && (!strcmp(what, "official") || !strcmp(what, "lots") ||
                                  !strcmp(what, "ledger"));
    if (strcmp(s0, "elections") || !(form_route || other))
        return false;
    if (r->probe)
        return true;
    if (!post)
        return false;
    srv_election *el;
    khum_err err;
    khum_err_clear(&err);
    if (srv_election_get(r, r->seg[1], &el, &err)) {
        srv_fail(r, 0, &err);
        return true;
    }
    if (form_route)
        form_write(r, el, r->seg[3], r->seg[4]);
    else if (!strcmp(what, "official"))
        official(r, el);
    else if (!strcmp(what, "lots"))
        lots(r, el);
    else
        ledger_add(r, el);
    return true;
}

/* The checks above, for the write routes of other files (api_rla.c). */
bool srv_allowed(srv_req *r, khum_action act, const char *object)
{
    return allowed(r, act, object);
}

json_t *srv_body_object(srv_req *r)
{
    return body_object(r);
}

const char *srv_str_field(srv_req *r, json_t *o, const char *name, bool required, bool *bad)
{
    return str_field(r, o, name, required, bad);
}
