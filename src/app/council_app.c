/*
 * council_app.c: candidate lists, councils on a date, and recording ledger
 * events. A council is never stored: it is formed from the results and the
 * candidate lists and replayed through the ledger every time it is asked
 * for, so the answer for any date follows from the record alone.
 */
#include <stdio.h>
#include <string.h>

#include "app_impl.h"

khum_code khum_app_import_candidates(khum_store *s, const khum_election *e,
                                     const khum_candidate_row *rows, size_t n, khum_err *err)
{
    for (size_t i = 0; i < n;) {  /* rows are sorted by commune, party, position */
        size_t j = i;
        while (j < n && !strcmp(rows[j].commune, rows[i].commune) &&
               !strcmp(rows[j].party, rows[i].party))
            j++;
        const khum_election_commune *ec = khum_election_commune_find(e, rows[i].commune);
        if (!ec) {
            khum_err_set(err, KHUM_ERR_INPUT, "CNL.306", "commune %s is not in election %s",
                         rows[i].commune, e->id);
            khum_err_at(err, NULL, rows[i].line, 0, NULL);
            return KHUM_ERR_INPUT;
        }
        if ((int)(j - i) < 2 * ec->seats) {  /* LECC Art 52 */
            khum_err_set(err, KHUM_ERR_INPUT, "CNL.302", "list %s in commune %s has %zu "
                         "names; the law asks for at least %d (2 x %d seats)", rows[i].party,
                         rows[i].commune, j - i, 2 * ec->seats, ec->seats);
            khum_err_at(err, NULL, rows[i].line, 0, NULL);
            return KHUM_ERR_INPUT;
        }
        i = j;
    }
    khum_code rc = khum_store_begin(s, err);
    if (rc)
        return rc;
    rc = khum_store_put_candidates(s, e->id, rows, n, err);
    if (!rc)
        rc = app_audit(s, NULL, "candidates.import", e->id, "", NULL,
                       json_pack("{s:I}", "candidates", (json_int_t)n), err);
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    return rc;
}

static const khum_tally_commune *tally_commune(const khum_tally *t, const char *commune)
{
    for (size_t i = 0; i < t->ncommunes; i++)
        if (!strcmp(t->communes[i].area.code, commune))
            return &t->communes[i];
    return NULL;
}

/* The lists of a commune with their votes, seats and candidates. */
khum_code khum_app_commune_lists(khum_store *s, const khum_election *e, const khum_tally *t,
                                 const khum_election_commune *ec, khum_arena *a,
                                 khum_council_list **out, khum_err *err)
{
    const khum_tally_commune *tc = tally_commune(t, ec->code);
    bool official = false;
    khum_code orc = khum_store_is_official(s, e->id, ec->code, &official, err);
    if (orc)
        return orc;
    /* A council is formed once the commune's results are official. */
    if (!tc || !tc->allocated || !official)
        return khum_err_set(err, KHUM_ERR_CONFLICT, "CNL.309", "commune %s has no council "
                            "yet: its results are not official (khum official)", ec->code);
    khum_candidate_row *rows;
    size_t n;
    khum_code rc = khum_store_commune_candidates(s, e->id, ec->code, a, &rows, &n, err);
    if (rc)
        return rc;
    khum_council_list *l = khum_arena_calloc(a, ec->nlists + 1, sizeof *l);
    if (!l)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t k = 0; k < ec->nlists; k++) {
        const char *party = e->lists[ec->first_list + k].party;
        int p = khum_tally_party_index(t, party);
        l[k].party = party;
        l[k].votes = tc->area.votes[p];
        l[k].seats = tc->area.seats[p];
        size_t first = n, count = 0;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(rows[i].party, party)) {
                if (first == n)
                    first = i;
                count++;
            }
        if (count < (size_t)l[k].seats)
            return khum_err_set(err, KHUM_ERR_CONFLICT, "CNL.308", "commune %s: list %s won "
                                "%d seats but has %zu candidates on record (khum import "
                                "candidates)", ec->code, party, l[k].seats, count);
        khum_candidate *cand = khum_arena_alloc(a, (count + 1) * sizeof *cand);
        if (!cand)
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        for (size_t i = 0; i < count; i++)
            cand[i] = (khum_candidate){rows[first + i].person, rows[first + i].name_latin};
        l[k].cand = cand;
        l[k].ncand = count;
    }
    *out = l;
    return KHUM_OK;
}

khum_code khum_app_council(khum_store *s, const khum_election *e, const khum_tally *t,
                           const char *commune, const char *as_of,
                           const khum_council_rules *r, khum_arena *a, khum_council *c,
                           khum_changes *changes, khum_err *err)
{
    const khum_election_commune *ec = khum_election_commune_find(e, commune);
    if (!ec)
        return khum_err_set(err, KHUM_ERR_NOTFOUND, "CNL.306", "commune %s is not in election "
                            "%s", commune, e->id);
    khum_council_list *lists;
    khum_ledger_event *ev;
    size_t nev;
    app_lots lots;
    khum_council_rules rules;
    khum_code rc = khum_app_commune_lists(s, e, t, ec, a, &lists, err);
    if (!rc)
        rc = khum_store_ledger_events(s, e->id, commune, a, &ev, &nev, err);
    /* ties are settled by the lots the commission recorded, and only by them */
    if (!rc && !(rc = app_load_lots(s, e, a, &lots, err)))
        app_commune_rules(&lots, ec->code, r, &rules);
    if (!rc)
        rc = khum_ledger_replay(ec->code, ec->seats, lists, ec->nlists, e->date, ev, nev,
                                as_of, &rules, a, c, changes, err);
    return rc;
}

khum_code khum_app_mandate(khum_store *s, const khum_election *e, const khum_tally *t,
                           const char *commune, const char *until,
                           const khum_council_rules *r, khum_arena *a,
                           khum_memberships *members, khum_changes *changes, khum_err *err)
{
    khum_ledger_event *ev;
    size_t nev;
    app_lots lots;
    khum_code rc = khum_store_ledger_events(s, e->id, NULL, a, &ev, &nev, err);
    if (!rc)
        rc = app_load_lots(s, e, a, &lots, err);
    for (size_t i = 0; i < e->ncommunes && !rc; i++) {
        const khum_election_commune *ec = &e->communes[i];
        if (commune && strcmp(commune, ec->code))
            continue;
        khum_council_list *lists;
        khum_council formed, now;
        khum_council_rules rules;
        app_commune_rules(&lots, ec->code, r, &rules);
        size_t before = changes->n;
        if ((rc = khum_app_commune_lists(s, e, t, ec, a, &lists, err)) ||
            (rc = khum_council_form(ec->code, ec->seats, lists, ec->nlists, &rules, e->date, a,
                                    &formed, err)) ||
            (rc = khum_ledger_replay(ec->code, ec->seats, lists, ec->nlists, e->date, ev, nev,
                                     until, &rules, a, &now, changes, err)))
            break;
        khum_changes mine = {changes->v ? changes->v + before : NULL, changes->n - before, 0};
        rc = khum_memberships_add(members, &formed, e->date, &mine, a, err);
    }
    return rc;
}

/* A party is dissolved once: a second dissolution (not reversed) is refused. */
static khum_code not_dissolved(khum_store *s, const khum_election *e, const char *party,
                               khum_err *err)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_ledger_event *ev;
    size_t n;
    khum_code rc = khum_store_ledger_events(s, e->id, "", &a, &ev, &n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        if (ev[i].type != KHUM_EV_DISSOLVE || strcmp(ev[i].party, party))
            continue;
        bool reversed = false;
        for (size_t k = 0; k < n && !reversed; k++)
            reversed = ev[k].type == KHUM_EV_REVERSE && ev[k].reverses == ev[i].id;
        if (!reversed)
            rc = khum_err_set(err, KHUM_ERR_CONFLICT, "LED.605", "party %s was dissolved "
                              "already on %s (event %lld); reverse that event first",
                              party, ev[i].date, (long long)ev[i].id);
    }
    khum_arena_free(&a);
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
    int y, m, d;
    if (!ev->date || !khum_parse_date(ev->date, &y, &m, &d) || strcmp(ev->date, e->date) < 0)
        return khum_err_set(err, KHUM_ERR_INPUT, "LED.603", "the event needs a date on or "
                            "after polling day (%s)", e->date);
    if (ev->type == KHUM_EV_DISSOLVE && (!ev->party || !*ev->party))
        return khum_err_set(err, KHUM_ERR_INPUT, "LED.602", "a dissolution names the party");
    if (ev->type != KHUM_EV_DISSOLVE && ev->type != KHUM_EV_REVERSE &&
        (!ev->commune || !khum_election_commune_find(e, ev->commune)))
        return khum_err_set(err, KHUM_ERR_INPUT, "LED.602", "the event needs a commune of "
                            "election %s", e->id);
    khum_code rc;
    if (ev->type == KHUM_EV_DISSOLVE && (rc = not_dissolved(s, e, ev->party, err)))
        return rc;
    khum_tally t;
    if ((rc = khum_app_tally(s, e, &t, err)))
        return rc;
    khum_arena a;
    khum_arena_init(&a, 0);
    /* Replay the council the event touches (a single commune) with it added. */
    if (ev->type != KHUM_EV_DISSOLVE && ev->type != KHUM_EV_REVERSE) {
        const khum_election_commune *ec = khum_election_commune_find(e, ev->commune);
        khum_council_list *lists;
        khum_ledger_event *old;
        size_t n;
        app_lots lots;
        khum_council_rules rules;
        if (!(rc = khum_app_commune_lists(s, e, &t, ec, &a, &lists, err)) &&
            !(rc = app_load_lots(s, e, &a, &lots, err)) &&
            !(rc = khum_store_ledger_events(s, e->id, ev->commune, &a, &old, &n, err))) {
            app_commune_rules(&lots, ec->code, r, &rules);
            khum_ledger_event *all = khum_arena_alloc(&a, (n + 1) * sizeof *all);
            if (!all) {
                rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            } else {
                if (n)  /* no earlier event: old is NULL */
                    memcpy(all, old, n * sizeof *all);
                all[n] = *ev;
                all[n].id = INT64_MAX;  /* recorded last: after every earlier event that day */
                khum_council c;
                rc = khum_ledger_replay(ec->code, ec->seats, lists, ec->nlists, e->date, all,
                                        n + 1, ev->date, &rules, &a, &c, NULL, err);
            }
        }
    }
    if (!rc && !(rc = khum_store_begin(s, err))) {
        int64_t got = 0;
        rc = khum_store_add_ledger_event(s, e->id, ev, user, &got, err);
        if (!rc)
            rc = audit_event(s, e, ev, user, got, err);
        if (id)
            *id = got;
        if (!rc)
            rc = khum_store_commit(s, err);
        if (rc)
            khum_store_rollback(s);
    }
    khum_arena_free(&a);
    khum_tally_free(&t);
    return rc;
}
