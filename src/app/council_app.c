/*
 * council_app.c: candidate lists, councils on a date, and recording ledger
 * events. A council is never stored: it is formed from the results and the
 * candidate lists and replayed through the ledger every time it is asked
 * for, so the answer for any date follows from the record alone. Recording
 * a ledger event is ledger_app.c.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app_impl.h"

khum_code khum_app_import_candidates(khum_store *s, const char *user, const khum_election *e,
                                     const khum_candidate_row *rows, size_t n,
                                     const khum_import_file *file, khum_err *err)
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
        rc = app_audit(s, user, "candidates.import", e->id, "", NULL,
                       json_pack("{s:I,s:o}", "candidates", (json_int_t)n,
                                 "files", app_files_json(file, file ? 1 : 0)), err);
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

khum_code khum_app_council_day(khum_store *s, const khum_election *e, const char *as_of,
                               char day[11], char end[11], bool *clamped, khum_err *err)
{
    khum_code rc = khum_app_mandate_end(s, e, end, err);
    if (rc)
        return rc;
    *clamped = false;
    if (as_of) {
        if (strcmp(as_of, e->date) < 0 || strcmp(as_of, end) > 0)
            return khum_err_set(err, KHUM_ERR_INPUT, "CNL.310", "%s is outside the mandate of "
                                "election %s (%s to %s): no council of it sat that day",
                                as_of, e->id, e->date, end);
        snprintf(day, 11, "%s", as_of);
        return KHUM_OK;
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(day, 11, "%Y-%m-%d", &tm);
    if (strcmp(day, end) > 0) {
        memcpy(day, end, 11);
        *clamped = true;
    }
    if (strcmp(day, e->date) < 0)   /* before polling day: the council it elects */
        memcpy(day, e->date, 11);
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
    char day[11], end[11];
    bool clamped;
    khum_code rc0 = khum_app_council_day(s, e, as_of, day, end, &clamped, err);
    if (rc0)
        return rc0;
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
        app_commune_rules(e, &lots, ec->code, r, &rules);
    if (!rc)
        rc = khum_ledger_replay(ec->code, ec->seats, lists, ec->nlists, e->date, ev, nev,
                                day, &rules, a, c, changes, err);
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
        app_commune_rules(e, &lots, ec->code, r, &rules);
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
