/*
 * ledger_app.c: recording a mandate ledger event, one transaction. Inside
 * it: load the ledger, the councils' lists and the lots; decide with the
 * pure replay (council/replay.c) that the whole ledger still holds with the
 * event for every council it touches, to the end of the mandate; then write
 * the event and its audit entry. Deciding inside the transaction (which
 * holds the writers' lock) means no event committed meanwhile goes unseen,
 * so the mandate can never become unreadable.
 */
#include <stdio.h>
#include <string.h>

#include "app_impl.h"

khum_code khum_app_mandate_end(khum_store *s, const khum_election *e, char out[11],
                               khum_err *err)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_election_row *rows;
    size_t n;
    khum_code rc = khum_store_list_elections(s, &a, &rows, &n, err);
    const char *next = NULL;
    for (size_t i = 0; !rc && i < n; i++)  /* the next mandate's polling day, if on record */
        if (rows[i].mandate == e->mandate + 1 && rows[i].synthetic == e->synthetic &&
            strcmp(rows[i].date, e->date) > 0 && (!next || strcmp(rows[i].date, next) < 0))
            next = rows[i].date;
    if (!rc)
        khum_mandate_end(e->date, next, out);
    khum_arena_free(&a);
    return rc;
}

/* What the event says, before anything is read: a date, a commune or party. */
static khum_code well_formed(const khum_election *e, const khum_ledger_event *ev,
                             khum_err *err)
{
    int y, m, d;
    if (!ev->date || !khum_parse_date(ev->date, &y, &m, &d) || strcmp(ev->date, e->date) < 0)
        return khum_err_set(err, KHUM_ERR_INPUT, "LED.603", "the event needs a date on or "
                            "after polling day (%s)", e->date);
    if (ev->type == KHUM_EV_DISSOLVE && (!ev->party || !*ev->party))
        return khum_err_set(err, KHUM_ERR_INPUT, "LED.602", "a dissolution names the party");
    if (ev->type == KHUM_EV_REVERSE && ev->reverses <= 0)
        return khum_err_set(err, KHUM_ERR_INPUT, "LED.602", "a reversal names the event it "
                            "reverses (reverses)");
    if (ev->type != KHUM_EV_DISSOLVE && ev->type != KHUM_EV_REVERSE &&
        (!ev->commune || !khum_election_commune_find(e, ev->commune)))
        return khum_err_set(err, KHUM_ERR_INPUT, "LED.602", "the event needs a commune of "
                            "election %s", e->id);
    return KHUM_OK;
}

static khum_code within_mandate(const khum_election *e, const khum_ledger_event *ev,
                                const char *end, khum_err *err)
{
    if (strcmp(ev->date, end) > 0)
        return khum_err_set(err, KHUM_ERR_INPUT, "LED.603", "the event needs a date within "
                            "the mandate: from polling day (%s) to its end (%s)", e->date, end);
    return KHUM_OK;
}

static const khum_ledger_event *find_event(const khum_ledger_event *ev, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ev[i].id == id)
            return &ev[i];
    return NULL;
}

static const khum_ledger_event *reversal_of(const khum_ledger_event *ev, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ev[i].type == KHUM_EV_REVERSE && ev[i].reverses == id)
            return &ev[i];
    return NULL;
}

/* A reversal undoes a standing event of this election, on or after its date. */
static khum_code reversible(const khum_election *e, const khum_ledger_event *ev,
                            const khum_ledger_event *old, size_t n,
                            const khum_ledger_event **target, khum_err *err)
{
    const khum_ledger_event *t = find_event(old, n, ev->reverses);
    const khum_ledger_event *done = t ? reversal_of(old, n, t->id) : NULL;
    *target = t;
    if (!t)
        return khum_err_set(err, KHUM_ERR_NOTFOUND, "LED.607", "there is no event %lld in "
                            "the ledger of election %s to reverse", (long long)ev->reverses,
                            e->id);
    if (t->type == KHUM_EV_REVERSE)
        return khum_err_set(err, KHUM_ERR_CONFLICT, "LED.608", "event %lld is a reversal "
                            "itself; record the event again instead", (long long)t->id);
    if (done)
        return khum_err_set(err, KHUM_ERR_CONFLICT, "LED.608", "event %lld was reversed "
                            "already (event %lld)", (long long)t->id, (long long)done->id);
    if (strcmp(ev->date, t->date) < 0)
        return khum_err_set(err, KHUM_ERR_CONFLICT, "LED.608", "the reversal (%s) is dated "
                            "before event %lld it reverses (%s)", ev->date, (long long)t->id,
                            t->date);
    return KHUM_OK;
}

/* A party is dissolved once: a second dissolution (not reversed) is refused. */
static khum_code not_dissolved(const khum_ledger_event *ev, const khum_ledger_event *old,
                               size_t n, khum_err *err)
{
    for (size_t i = 0; i < n; i++)
        if (old[i].type == KHUM_EV_DISSOLVE && !strcmp(old[i].party, ev->party) &&
            !reversal_of(old, n, old[i].id))
            return khum_err_set(err, KHUM_ERR_CONFLICT, "LED.605", "party %s was dissolved "
                                "already on %s (event %lld); reverse that event first",
                                ev->party, old[i].date, (long long)old[i].id);
    return KHUM_OK;
}

/* The ledger as it would be: the stored events and the new one, recorded
 * last (after every earlier event of its day). */
static khum_code with_event(const khum_ledger_event *old, size_t n,
                            const khum_ledger_event *ev, khum_arena *a,
                            khum_ledger_event **all, khum_err *err)
{
    *all = khum_arena_alloc(a, (n + 1) * sizeof **all);
    if (!*all)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    if (n)  /* no earlier event: old is NULL */
        memcpy(*all, old, n * sizeof **all);
    (*all)[n] = *ev;
    (*all)[n].id = INT64_MAX;
    return KHUM_OK;
}

/* Does the ledger hold for commune ec? `every`: the event touches every
 * council, and a commune without one yet (not official, or no candidate
 * lists) has nothing to break. An earlier event the new one would break is
 * named (LED.606); the new event's own failure is reported as it is. */
static khum_code commune_holds(khum_store *s, const khum_election *e, const khum_tally *t,
                               const khum_election_commune *ec, const khum_ledger_event *all,
                               size_t n, const char *end, const app_lots *lots,
                               const khum_council_rules *r, bool every, khum_arena *a,
                               khum_err *err)
{
    khum_council_list *lists;
    khum_code rc = khum_app_commune_lists(s, e, t, ec, a, &lists, err);
    if (rc && every && (!strcmp(err->rule, "CNL.309") || !strcmp(err->rule, "CNL.308"))) {
        khum_err_clear(err);
        return KHUM_OK;
    }
    khum_council_rules rules;
    app_commune_rules(e, lots, ec->code, r, &rules);
    const khum_ledger_event *broken = NULL;
    if (!rc)
        rc = khum_ledger_check(ec->code, ec->seats, lists, ec->nlists, e->date, all, n, end,
                               &rules, a, &broken, err);
    if (rc && broken && broken->id != INT64_MAX) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        rc = khum_err_set(err, KHUM_ERR_CONFLICT, "LED.606", "refused: it would break event "
                          "%lld (%s on %s) recorded earlier: %s", (long long)broken->id,
                          khum_event_name(broken->type), broken->date, why);
    }
    return rc;
}

/* The whole ledger holds with the event added: every council it touches
 * (every council for a dissolution, or for the reversal of one). */
static khum_code ledger_holds(khum_store *s, const khum_election *e,
                              const khum_ledger_event *ev, const khum_ledger_event *target,
                              const khum_ledger_event *old, size_t n, const char *end,
                              const khum_council_rules *r, khum_arena *a, khum_err *err)
{
    khum_ledger_event *all;
    app_lots lots;
    khum_tally t;
    khum_code rc = with_event(old, n, ev, a, &all, err);
    if (rc || (rc = app_load_lots(s, e, a, &lots, err)) || (rc = khum_app_tally(s, e, &t, err)))
        return rc;
    const khum_ledger_event *what = target ? target : ev;
    bool every = what->type == KHUM_EV_DISSOLVE || !what->commune || !*what->commune;
    for (size_t i = 0; i < e->ncommunes && !rc; i++)
        if (every || !strcmp(e->communes[i].code, what->commune))
            rc = commune_holds(s, e, &t, &e->communes[i], all, n + 1, end, &lots, r, every, a,
                               err);
    khum_tally_free(&t);
    return rc;
}

/* Load and decide: may the event be recorded? */
static khum_code decide(khum_store *s, const khum_election *e, const khum_ledger_event *ev,
                        const khum_council_rules *r, khum_arena *a, khum_err *err)
{
    khum_ledger_event *old;
    size_t n;
    const khum_ledger_event *target = NULL;
    char end[11];
    khum_code rc = khum_app_mandate_end(s, e, end, err);
    if (!rc)
        rc = within_mandate(e, ev, end, err);
    if (!rc)
        rc = khum_store_ledger_events(s, e->id, NULL, a, &old, &n, err);
    if (!rc && ev->type == KHUM_EV_REVERSE)
        rc = reversible(e, ev, old, n, &target, err);
    if (!rc && ev->type == KHUM_EV_DISSOLVE)
        rc = not_dissolved(ev, old, n, err);
    if (!rc)
        rc = ledger_holds(s, e, ev, target, old, n, end, r, a, err);
    return rc;
}

static khum_code audit_event(khum_store *s, const khum_election *e,
                             const khum_ledger_event *ev, const char *user, int64_t id,
                             khum_err *err)
{
    char type[48], obj[128];
    const char *where = ev->commune && *ev->commune ? ev->commune : "";
    snprintf(type, sizeof type, "ledger.%s", khum_event_name(ev->type));
    json_t *after = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)id,
                              "date", ev->date, "commune", where,
                              "person", ev->person ? ev->person : "",
                              "party", ev->party ? ev->party : "",
                              "to_party", ev->to_party ? ev->to_party : "",
                              "reference", ev->reference ? ev->reference : "");
    if (after && ev->reverses > 0)
        json_object_set_new(after, "reverses", json_integer(ev->reverses));
    return app_audit(s, user, type, app_object(e->id, *where ? where : "nation", obj,
                                               sizeof obj), where, NULL, after, err);
}

khum_code khum_app_record_event(khum_store *s, const khum_election *e,
                                const khum_ledger_event *ev, const khum_council_rules *r,
                                const char *user, int64_t *id, khum_err *err)
{
    khum_code rc = well_formed(e, ev, err);
    if (rc || (rc = khum_store_begin(s, err)))
        return rc;
    khum_arena a;
    khum_arena_init(&a, 0);
    int64_t got = 0;
    if (!(rc = decide(s, e, ev, r, &a, err))) {
        khum_store_hook(s, "ledger.decided");
        rc = khum_store_add_ledger_event(s, e->id, ev, user, &got, err);
    }
    if (!rc)
        rc = audit_event(s, e, ev, user, got, err);
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    else if (id)
        *id = got;
    khum_arena_free(&a);
    return rc;
}
