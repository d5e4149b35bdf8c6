/*
 * entry_app.c: keying result forms twice, settling differences, explaining
 * warnings and opening corrections. Each call is one transaction: it loads
 * the form's latest version, asks the state machine (count/entry.c) whether
 * the action is allowed and where it leads, stores the entry and the new
 * state, and logs the transition in form_event with who and when. Whoever
 * keyed an entry of a form may neither settle nor explain it (CNT.807): one
 * person alone must not be able to key a figure and then approve it.
 */
#include <stdio.h>
#include <string.h>

#include "app_impl.h"

khum_code app_begin(khum_store *s, khum_arena *a, khum_err *err)
{
    khum_arena_init(a, 0);
    return khum_store_begin(s, err);
}

khum_code app_end(khum_store *s, khum_arena *a, khum_code rc, khum_err *err)
{
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    khum_arena_free(a);
    return rc;
}

static khum_code load_version(khum_store *s, const khum_election *e, const char *station,
                              khum_arena *a, khum_form_version *v, khum_err *err)
{
    if (!khum_election_station_find(e, station))
        return khum_err_set(err, KHUM_ERR_NOTFOUND, "F.107",
                            "station %s is not a polling station of election %s", station,
                            e->id);
    khum_code rc = khum_store_form_version(s, e->id, station, 0, a, v, err);
    if (!rc && !v->exists) {
        v->version = 1;
        v->state = KHUM_FS_EMPTY;
    }
    return rc;
}

/* Does form f have warnings that lack a written explanation? */
static khum_code warnings_open(khum_store *s, const khum_election *e, const khum_form *f,
                               int version, khum_arena *a, khum_checks *checks, bool *open,
                               khum_err *err)
{
    khum_form_check(e, f, checks);
    *open = false;
    if (checks->warnings == 0)
        return KHUM_OK;
    const char **codes, **texts;
    size_t n;
    khum_code rc = khum_store_explanations(s, e->id, f->station, version, a, &codes, &texts,
                                           &n, err);
    for (size_t i = 0; !rc && i < checks->n && !*open; i++) {
        if (checks->items[i].severity != KHUM_CHECK_WARNING)
            continue;
        bool explained = false;
        for (size_t k = 0; k < n && !explained; k++)
            explained = strcmp(codes[k], checks->items[i].code) == 0;
        *open = !explained;
    }
    return rc;
}

/* Separation of duties, decided on the version loaded in the transaction. */
static khum_code duty_check(const khum_form_version *v, const char *user, const char *station,
                            khum_entry_action act, khum_err *err)
{
    bool keyed = (v->first_user && strcmp(v->first_user, user) == 0) ||
                 (v->second_user && strcmp(v->second_user, user) == 0);
    return keyed ? khum_err_set(err, KHUM_ERR_AUTH, "CNT.807", "%s keyed an entry of station "
                                "%s and may not %s it: another coordinator decides", user,
                                station, act == KHUM_ACT_EXPLAIN ? "explain" : "settle")
                 : KHUM_OK;
}

static khum_code save_state(khum_store *s, const khum_election *e, const char *station,
                            khum_form_version *v, khum_form_state from, khum_form_state to,
                            khum_entry_action act, const char *user, const char *detail,
                            khum_err *err)
{
    v->state = to;
    khum_code rc = khum_store_put_form_version(s, e->id, station, v, user, err);
    if (!rc)
        rc = khum_store_log_form_event(s, e->id, station, v->version,
                                       khum_entry_action_name(act), khum_form_state_name(from),
                                       khum_form_state_name(to), user, detail, err);
    if (!rc) {
        char type[48], obj[128];
        snprintf(type, sizeof type, "form.%s", khum_entry_action_name(act));
        json_t *after = json_pack("{s:s,s:i,s:I,s:I,s:I}", "state", khum_form_state_name(to),
                                  "version", v->version, "first_entry", (json_int_t)v->first_entry,
                                  "second_entry", (json_int_t)v->second_entry,
                                  "accepted_entry", (json_int_t)v->accepted_entry);
        /* Which fields two entries differ in is the coordinator's to see (the
         * form's own log keeps it): in the public audit log a clerk asked to
         * key the form again would learn where to look. */
        if (after && detail && *detail && act != KHUM_ACT_ENTER)
            json_object_set_new(after, "detail", json_string(detail));
        rc = app_audit(s, user, type, app_object(e->id, station, obj, sizeof obj), station,
                       json_pack("{s:s}", "state", khum_form_state_name(from)), after, err);
    }
    return rc;
}

khum_code khum_app_enter(khum_store *s, const khum_election *e, const char *user,
                         const khum_form *f, khum_entry_outcome *out, khum_err *err)
{
    memset(out, 0, sizeof *out);
    khum_form_check(e, f, &out->checks);
    for (size_t i = 0; i < out->checks.n; i++)
        if (out->checks.items[i].severity == KHUM_CHECK_ERROR)
            return khum_err_set(err, KHUM_ERR_INPUT, out->checks.items[i].code,
                                "station %s: %s", f->station, out->checks.items[i].msg);
    khum_arena a;
    khum_code rc = app_begin(s, &a, err);
    if (rc)
        return rc;
    khum_form_version v;
    if ((rc = load_version(s, e, f->station, &a, &v, err)))
        return app_end(s, &a, rc, err);
    out->version = v.version;
    out->from = v.state;
    bool agree = false, same = false, open = false;
    if (v.state == KHUM_FS_FIRST_ENTERED) {
        khum_form first;
        if ((rc = khum_store_load_entry(s, v.first_entry, &a, &first, err)))
            return app_end(s, &a, rc, err);
        agree = khum_form_equal(&first, f, out->diff, sizeof out->diff);
        same = strcmp(v.first_user, user) == 0;
    }
    khum_checks tmp;
    if ((rc = warnings_open(s, e, f, v.version, &a, &tmp, &open, err)) ||
        (rc = khum_entry_next(v.state, KHUM_ACT_ENTER, agree, same, open, &out->to, err)))
        return app_end(s, &a, rc, err);
    int slot = v.state == KHUM_FS_EMPTY ? 1 : 2;
    if ((rc = khum_store_add_entry(s, e->id, v.version, slot, user, f, &out->entry, err)))
        return app_end(s, &a, rc, err);
    if (slot == 1)
        v.first_entry = out->entry;
    else
        v.second_entry = out->entry;
    if (out->to == KHUM_FS_ACCEPTED || out->to == KHUM_FS_NEEDS_EXPLANATION)
        v.accepted_entry = v.first_entry;
    rc = save_state(s, e, f->station, &v, out->from, out->to, KHUM_ACT_ENTER, user,
                    out->diff[0] ? out->diff : "", err);
    return app_end(s, &a, rc, err);
}

khum_code khum_app_resolve(khum_store *s, const khum_election *e, const char *user,
                           const char *station, khum_entry_action act, const char *reason,
                           khum_entry_outcome *out, khum_err *err)
{
    memset(out, 0, sizeof *out);
    if (!reason || !*reason)
        return khum_err_set(err, KHUM_ERR_INPUT, "CNT.808", "say why the coordinator decides "
                            "so (--reason; in the API \"reason\"): the audit log keeps it");
    khum_arena a;
    khum_code rc = app_begin(s, &a, err);
    if (rc)
        return rc;
    khum_form_version v;
    if ((rc = load_version(s, e, station, &a, &v, err)) ||
        (rc = duty_check(&v, user, station, act, err)))
        return app_end(s, &a, rc, err);
    out->version = v.version;
    out->from = v.state;
    bool open = false;
    if (act == KHUM_ACT_KEEP_FIRST || act == KHUM_ACT_KEEP_SECOND) {
        int64_t keep = act == KHUM_ACT_KEEP_FIRST ? v.first_entry : v.second_entry;
        khum_form f;
        if (keep == 0 || v.state != KHUM_FS_DIFFERENT) {
            khum_entry_next(v.state, act, false, false, false, &out->to, err);
            return app_end(s, &a, err->code ? err->code : KHUM_ERR_CONFLICT, err);
        }
        if ((rc = khum_store_load_entry(s, keep, &a, &f, err)) ||
            (rc = warnings_open(s, e, &f, v.version, &a, &out->checks, &open, err)))
            return app_end(s, &a, rc, err);
        v.accepted_entry = keep;
    }
    if ((rc = khum_entry_next(v.state, act, false, false, open, &out->to, err)))
        return app_end(s, &a, rc, err);
    if (act == KHUM_ACT_REKEY_FIRST) {
        v.first_entry = v.second_entry;  /* the other entry, if any, becomes the first */
        v.second_entry = 0;
    } else if (act == KHUM_ACT_REKEY_SECOND) {
        v.second_entry = 0;
    }
    rc = save_state(s, e, station, &v, out->from, out->to, act, user, reason, err);
    return app_end(s, &a, rc, err);
}

khum_code khum_app_explain(khum_store *s, const khum_election *e, const char *user,
                           const char *station, const char *code, const char *text,
                           khum_entry_outcome *out, khum_err *err)
{
    memset(out, 0, sizeof *out);
    if (!text || khum_is_blank(text))
        return khum_err_set(err, KHUM_ERR_USAGE, "CNT.812", "an explanation needs a text");
    khum_arena a;
    khum_code rc = app_begin(s, &a, err);
    if (rc)
        return rc;
    khum_form_version v;
    if ((rc = load_version(s, e, station, &a, &v, err)) ||
        (rc = duty_check(&v, user, station, KHUM_ACT_EXPLAIN, err)))
        return app_end(s, &a, rc, err);
    out->version = v.version;
    out->from = v.state;
    int64_t which = v.accepted_entry ? v.accepted_entry : v.first_entry;
    if (which == 0 || v.state == KHUM_FS_OFFICIAL) {
        khum_entry_next(v.state, KHUM_ACT_EXPLAIN, false, false, false, &out->to, err);
        if (which == 0 && v.state != KHUM_FS_OFFICIAL)
            khum_err_set(err, KHUM_ERR_CONFLICT, "CNT.801",
                         "station %s has no entry to explain yet", station);
        return app_end(s, &a, KHUM_ERR_CONFLICT, err);
    }
    khum_form f;
    if ((rc = khum_store_load_entry(s, which, &a, &f, err)))
        return app_end(s, &a, rc, err);
    khum_form_check(e, &f, &out->checks);
    bool known = false;
    for (size_t i = 0; i < out->checks.n && !known; i++)
        known = out->checks.items[i].severity == KHUM_CHECK_WARNING &&
                strcmp(out->checks.items[i].code, code) == 0;
    if (!known) {
        khum_err_set(err, KHUM_ERR_INPUT, "CNT.811", "the form of station %s has no warning %s",
                     station, code);
        return app_end(s, &a, KHUM_ERR_INPUT, err);
    }
    bool open;
    khum_checks tmp;
    if ((rc = khum_store_put_explanation(s, e->id, station, v.version, code, text, user, err)) ||
        (rc = warnings_open(s, e, &f, v.version, &a, &tmp, &open, err)) ||
        (rc = khum_entry_next(v.state, KHUM_ACT_EXPLAIN, false, false, open, &out->to, err)))
        return app_end(s, &a, rc, err);
    rc = save_state(s, e, station, &v, out->from, out->to, KHUM_ACT_EXPLAIN, user, code, err);
    return app_end(s, &a, rc, err);
}

khum_code khum_app_correct(khum_store *s, const khum_election *e, const char *user,
                           const char *station, const char *reason, const char *reference,
                           int *version, khum_err *err)
{
    if (!reason || khum_is_blank(reason) || !reference || khum_is_blank(reference))
        return khum_err_set(err, KHUM_ERR_USAGE, "CNT.813",
                            "a correction needs a reason and a reference (decision number)");
    khum_arena a;
    khum_code rc = app_begin(s, &a, err);
    if (rc)
        return rc;
    khum_form_version v;
    khum_form_state to;
    if ((rc = load_version(s, e, station, &a, &v, err)) ||
        (rc = khum_entry_next(v.state, KHUM_ACT_CORRECT, false, false, false, &to, err)))
        return app_end(s, &a, rc, err);
    khum_form_version next = {.exists = true, .version = v.version + 1, .state = to,
                              .reason = reason, .reference = reference};
    *version = next.version;
    char detail[512];
    snprintf(detail, sizeof detail, "%s (%s)", reason, reference);
    rc = save_state(s, e, station, &next, KHUM_FS_EMPTY, to, KHUM_ACT_CORRECT, user, detail,
                    err);
    return app_end(s, &a, rc, err);
}

/* Is the station (of commune c) within area: the station, its commune, or
 * an area above it (the scope rule, khum_scope_covers: codes nest). */
static bool in_area(const char *area, const char *station, const char *commune)
{
    return !area || !*area || !strcmp(area, station) || !strcmp(area, commune) ||
           khum_scope_covers(area, station) || khum_scope_covers(area, commune);
}

khum_code khum_app_worklist(khum_store *s, const khum_election *e, unsigned mask,
                            const char *area, khum_arena *a, khum_worklist_row **rows,
                            size_t *n, khum_err *err)
{
    const char **stations;
    khum_form_state *states;
    size_t ns;
    *rows = NULL;
    *n = 0;
    khum_code rc = khum_store_form_states(s, e->id, a, &stations, &states, &ns, err);
    if (rc)
        return rc;
    if (!(*rows = khum_arena_alloc(a, (ns + 1) * sizeof **rows)))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < ns; i++) {
        const khum_station *st = khum_election_station_find(e, stations[i]);
        if (st && (mask & 1u << states[i]) && in_area(area, st->code, st->commune))
            (*rows)[(*n)++] = (khum_worklist_row){st->code, st->commune, states[i]};
    }
    return KHUM_OK;
}
