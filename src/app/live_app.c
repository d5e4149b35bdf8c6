/*
 * live_app.c: the reads behind the live tally. The server keeps one tally
 * per election in memory and, when the data version (the audit head) moves,
 * asks what changed since the version it holds: the audit log is the change
 * sequence (ids in commit order, since every write appends its event under
 * the writers' lock), and a form event names its station. Only those
 * stations' current forms are read; the tally replaces them
 * (khum_tally_update). Anything else that changes results (imports, lots,
 * official results, explanations) is rare and asks for a full count.
 * Nothing here writes, and nothing needs a table of its own, so it works
 * unchanged on a read-only PostgreSQL replica.
 */
#include <stdlib.h>
#include <string.h>

#include "app_impl.h"
#include "khum/str.h"

enum { LIVE_MAX_EVENTS = 4096 };  /* more than this since the last look: count again */

khum_code khum_app_tally_live(khum_store *s, const khum_election *e, khum_tally *t,
                              khum_arena *a, khum_commune_lots **lots, size_t *nlots,
                              khum_err *err)
{
    khum_arena tmp;
    khum_arena_init(&tmp, 0);
    khum_form *forms;
    size_t n;
    khum_code rc = khum_store_current_forms(s, e->id, &tmp, &forms, &n, err);
    if (!rc)
        rc = khum_store_list_lots(s, e->id, a, lots, nlots, err);
    if (!rc && !(rc = khum_tally_begin(e, t, err)))
        rc = khum_tally_track(t, e, err);
    for (size_t i = 0; i < n && !rc; i++)
        rc = khum_tally_add(t, e, &forms[i], err);
    if (!rc)
        rc = khum_tally_end(t, e, *lots, *nlots, err);
    khum_arena_free(&tmp);
    return rc;
}

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/* Does the object name this election ("ID" or "ID/...")? */
static bool of_election(const char *object, const char *id)
{
    size_t n = strlen(id);
    return strncmp(object, id, n) == 0 && (object[n] == 0 || object[n] == '/');
}

/* 1: a station of e changed (its code in *station); 0: nothing for the
 * tally; -1: count again. Users, refused access and the ledger never change
 * results; another election's forms, lots and results are not ours. */
static int classify(const khum_audit_event *ev, const khum_election *e, const char **station)
{
    static const char *const inert[] = {"user.", "access.", "ledger."};
    for (size_t i = 0; i < sizeof inert / sizeof *inert; i++)
        if (has_prefix(ev->type, inert[i]))
            return 0;
    bool ours = of_election(ev->object, e->id);
    if (has_prefix(ev->type, "form.")) {
        if (!ours)
            return 0;
        if (!strcmp(ev->type, "form.explain") || !khum_election_station_find(e, ev->area))
            return -1;  /* explanations are part of what the results show */
        *station = ev->area;
        return 1;
    }
    static const char *const scoped[] = {"lots.", "results.", "election.", "candidates."};
    for (size_t i = 0; !ours && i < sizeof scoped / sizeof *scoped; i++)
        if (has_prefix(ev->type, scoped[i]))
            return 0;
    return -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

khum_code khum_app_live_changes(khum_store *s, const khum_election *e, int64_t after,
                                khum_arena *a, khum_live_changes *out, khum_err *err)
{
    memset(out, 0, sizeof *out);
    out->last = after;
    khum_audit_event *ev;
    size_t n;
    khum_audit_filter f = {.after_id = after, .limit = LIVE_MAX_EVENTS};
    khum_code rc = khum_store_audit_list(s, &f, a, &ev, &n, err);
    if (rc)
        return rc;
    if (n)
        out->last = ev[n - 1].id;
    out->rebuild = n == LIVE_MAX_EVENTS;
    const char **stations = khum_arena_alloc(a, (n + 1) * sizeof *stations);
    if (!stations)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < n && !out->rebuild; i++) {
        int c = classify(&ev[i], e, &stations[m]);
        out->rebuild = c < 0;
        m += c > 0;
    }
    if (out->rebuild)
        return KHUM_OK;
    khum_sort(stations, m, sizeof *stations, cmp_str);
    out->items = khum_arena_calloc(a, m + 1, sizeof *out->items);
    if (!out->items)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < m && !rc; i++) {
        if (i && !strcmp(stations[i], stations[i - 1]))
            continue;
        khum_form *form;
        if (!(rc = khum_store_current_form(s, e->id, stations[i], a, &form, err)))
            out->items[out->n++] = (khum_live_change){stations[i], form};
    }
    return rc;
}

/* The forms that count, entered one by one into an empty live tally in the
 * reverse of the full count's order: it must end equal to the full count t
 * (the proof `khum reconcile` repeats on the real data). */
khum_code app_live_check(khum_store *s, const khum_election *e, const khum_tally *t,
                         khum_diags *out, khum_err *err)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_form *forms;
    khum_commune_lots *lots;
    size_t n, nlots;
    khum_tally live;
    memset(&live, 0, sizeof live);
    khum_code rc = khum_store_current_forms(s, e->id, &a, &forms, &n, err);
    if (!rc)
        rc = khum_store_list_lots(s, e->id, &a, &lots, &nlots, err);
    if (!rc && !(rc = khum_tally_begin(e, &live, err)) && !(rc = khum_tally_track(&live, e, err)))
        rc = khum_tally_end(&live, e, lots, nlots, err);
    for (size_t i = n; i > 0 && !rc; i--)
        rc = khum_tally_update(&live, e, forms[i - 1].station, &forms[i - 1], lots, nlots, err);
    khum_err diff;
    khum_err_clear(&diff);
    if (!rc && khum_tally_compare(&live, t, &diff))
        khum_diags_add(out, &diff);
    khum_tally_free(&live);
    khum_arena_free(&a);
    return rc;
}
