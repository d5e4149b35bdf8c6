/*
 * results_app.c: elections in, results out: importing a definition, bulk
 * import of digitized forms, lots, tabulation, reconciliation and making
 * communes official. Making official stores the totals of the commune and of
 * every district, province and the nation whose communes are then all
 * official; reconciliation later recomputes everything from the forms and
 * names each stored total that no longer matches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_impl.h"
#include "khum/str.h"

khum_code khum_app_import_election(khum_store *s, const khum_election *e, bool *existed,
                                   khum_err *err)
{
    khum_code rc = khum_store_begin(s, err);
    if (rc)
        return rc;
    rc = khum_store_put_election(s, e, existed, err);
    if (!rc && !*existed)
        rc = app_audit(s, NULL, "election.import", e->id, "", NULL,
                       json_pack("{s:s,s:I,s:I}", "hash", e->hash,
                                 "communes", (json_int_t)e->ncommunes,
                                 "stations", (json_int_t)e->nstations), err);
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    return rc;
}

static khum_code import_one(khum_store *s, const khum_election *e, const char *source,
                            const khum_form *f, const char *expl, long line, khum_arena *a,
                            khum_err *err)
{
    khum_form_version v = {0};
    khum_code rc = KHUM_OK;
    if ((rc = khum_store_form_version(s, e->id, f->station, 0, a, &v, err)))
        return rc;
    if (v.exists) {
        khum_err_set(err, KHUM_ERR_CONFLICT, "F.111", "station %s has a result already (state "
                     "%s): change it with a correction", f->station,
                     khum_form_state_name(v.state));
        khum_err_at(err, source, line, 0, NULL);
        return KHUM_ERR_CONFLICT;
    }
    khum_checks c;
    khum_form_check(e, f, &c);
    if (c.errors) {  /* the caller checks first; this keeps the promise anyway */
        khum_err_set(err, KHUM_ERR_INPUT, c.items[0].code, "station %s: %s", f->station,
                     c.items[0].msg);
        khum_err_at(err, source, line, 0, NULL);
        return KHUM_ERR_INPUT;
    }
    int64_t id;
    if ((rc = khum_store_add_entry(s, e->id, 1, 0, source, f, &id, err)))
        return rc;
    bool explained = expl && *expl;
    for (size_t i = 0; i < c.n && explained && !rc; i++)
        rc = khum_store_put_explanation(s, e->id, f->station, 1, c.items[i].code, expl, source,
                                        err);
    khum_form_version nv = {.exists = true, .version = 1, .accepted_entry = id,
                            .first_entry = id,
                            .state = c.warnings && !explained ? KHUM_FS_NEEDS_EXPLANATION
                                                              : KHUM_FS_ACCEPTED};
    if (!rc)
        rc = khum_store_put_form_version(s, e->id, f->station, &nv, source, err);
    if (!rc)
        rc = khum_store_log_form_event(s, e->id, f->station, 1, "import", "empty",
                                       khum_form_state_name(nv.state), source, "", err);
    return rc;
}

/* An election without any form yet: check every form, then store them all
 * with multi-row statements (khum_store_put_forms_fresh), then the
 * explanations of their warnings. */
static khum_code import_fresh(khum_store *s, const khum_election *e, const char *source,
                              const khum_form *forms, const char *const *explanation,
                              const long *lines, size_t n, khum_err *err)
{
    khum_form_state *state = calloc(n + 1, sizeof *state);
    if (!state)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    khum_code rc = KHUM_OK;
    khum_checks c;
    for (size_t i = 0; i < n && !rc; i++) {
        khum_form_check(e, &forms[i], &c);
        if (c.errors) {  /* the caller checks first; this keeps the promise anyway */
            rc = khum_err_set(err, KHUM_ERR_INPUT, c.items[0].code, "station %s: %s",
                              forms[i].station, c.items[0].msg);
            khum_err_at(err, source, lines ? lines[i] : 0, 0, NULL);
        }
        bool explained = explanation && explanation[i] && *explanation[i];
        state[i] = c.warnings && !explained ? KHUM_FS_NEEDS_EXPLANATION : KHUM_FS_ACCEPTED;
    }
    int64_t first = 0;
    if (!rc)
        rc = khum_store_put_forms_fresh(s, e->id, forms, state, n, source, &first, err);
    for (size_t i = 0; i < n && !rc; i++) {
        if (!explanation || !explanation[i] || !*explanation[i])
            continue;
        khum_form_check(e, &forms[i], &c);
        for (size_t k = 0; k < c.n && !rc; k++)
            rc = khum_store_put_explanation(s, e->id, forms[i].station, 1, c.items[k].code,
                                            explanation[i], source, err);
    }
    free(state);
    return rc;
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The same station twice in one batch is refused (F.112) before any write. */
static khum_code check_batch(const khum_form *forms, size_t n, khum_err *err)
{
    const char **st = malloc((n + 1) * sizeof *st);
    if (!st)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < n; i++)
        st[i] = forms[i].station;
    khum_sort(st, n, sizeof *st, cmp_str_ptr);
    khum_code rc = KHUM_OK;
    for (size_t i = 1; i < n && !rc; i++)
        if (strcmp(st[i], st[i - 1]) == 0)
            rc = khum_err_set(err, KHUM_ERR_INPUT, "F.112",
                              "station %s appears more than once in the batch", st[i]);
    free(st);
    return rc;
}

khum_code khum_app_import_forms(khum_store *s, const khum_election *e, const char *source,
                                const khum_form *forms, const char *const *explanation,
                                const long *lines, size_t n, khum_err *err)
{
    khum_code rc = check_batch(forms, n, err);
    if (rc)
        return rc;
    rc = khum_store_begin(s, err);
    if (rc)
        return rc;
    khum_arena a;
    khum_arena_init(&a, 0);
    char obj[512];
    int64_t existing = 0;
    rc = khum_store_count_form_versions(s, e->id, &existing, err);
    if (!rc && existing == 0)
        rc = import_fresh(s, e, source, forms, explanation, lines, n, err);
    for (size_t i = 0; i < n && !rc && existing > 0; i++) {
        rc = import_one(s, e, source, &forms[i], explanation ? explanation[i] : "",
                        lines ? lines[i] : 0, &a, err);
        khum_arena_reset(&a);
    }
    khum_arena_free(&a);
    if (!rc)
        rc = app_audit(s, NULL, "results.import", app_object(e->id, source, obj, sizeof obj),
                       "", NULL, json_pack("{s:I}", "forms", (json_int_t)n), err);
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    return rc;
}

khum_code khum_app_draw_lots(khum_store *s, const khum_election *e, const char *user,
                             const char *commune, const char *seed, khum_err *err)
{
    if (!khum_election_commune_find(e, commune))
        return khum_err_set(err, KHUM_ERR_NOTFOUND, "CNT.821",
                            "commune %s is not in election %s", commune, e->id);
    if (!seed || !*seed)
        return khum_err_set(err, KHUM_ERR_USAGE, "CNT.822", "lots need a seed");
    khum_code rc = khum_store_begin(s, err);
    if (rc)
        return rc;
    char obj[128];
    rc = app_lots_before_official(s, e, commune, err);
    if (!rc)
        rc = khum_store_put_lots(s, e->id, commune, seed, user, err);
    if (!rc)
        rc = app_audit(s, user, "lots.draw", app_object(e->id, commune, obj, sizeof obj),
                       commune, NULL, json_pack("{s:s}", "seed", seed), err);
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    return rc;
}

khum_code khum_app_tally(khum_store *s, const khum_election *e, khum_tally *t, khum_err *err)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_form *forms;
    khum_commune_lots *lots;
    size_t nforms, nlots;
    khum_code rc = khum_store_current_forms(s, e->id, &a, &forms, &nforms, err);
    if (!rc)
        rc = khum_store_list_lots(s, e->id, &a, &lots, &nlots, err);
    if (!rc)
        rc = khum_tally_run(e, forms, nforms, lots, nlots, t, err);
    khum_arena_free(&a);
    return rc;
}

khum_code khum_app_reconcile(khum_store *s, const khum_election *e, khum_diags *out,
                             khum_err *err)
{
    khum_tally t;
    khum_code rc = khum_app_tally(s, e, &t, err);
    if (rc)
        return rc;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_published_total *rows;
    size_t n;
    if (!(rc = khum_store_official_totals(s, e->id, &a, &rows, &n, err)))
        khum_tally_reconcile(&t, rows, n, out, NULL);
    khum_arena_free(&a);
    khum_tally_free(&t);
    return rc;
}

/* ---- making communes official ------------------------------------------- */

typedef struct totals {
    khum_published_total *v;
    size_t n, cap;
    khum_arena *a;
} totals;

static bool push(totals *t, const char *area, const char *field, int64_t value)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        khum_published_total *p = khum_arena_alloc(t->a, cap * sizeof *p);
        if (!p)
            return false;
        if (t->n)
            memcpy(p, t->v, t->n * sizeof *p);
        t->v = p;
        t->cap = cap;
    }
    t->v[t->n++] = (khum_published_total){area, field, value};
    return true;
}

static bool push_area(totals *t, const khum_tally *ty, const khum_tally_area *a)
{
    const char *names[] = {"registered", "received", "cast", "spoiled", "unused", "valid",
                           "invalid", "seats"};
    const int64_t vals[] = {a->registered, a->received, a->cast, a->spoiled, a->unused,
                            a->valid, a->invalid, a->seats_total};
    bool ok = true;
    for (int i = 0; i < 8; i++)
        ok &= push(t, a->code, names[i], vals[i]);
    for (size_t p = 0; p < ty->nparties; p++) {
        if (a->votes[p] == 0 && a->seats[p] == 0 && a->chiefs[p] == 0)
            continue;
        ok &= push(t, a->code, khum_arena_printf(t->a, "votes:%s", ty->parties[p]), a->votes[p]);
        ok &= push(t, a->code, khum_arena_printf(t->a, "seats:%s", ty->parties[p]), a->seats[p]);
        ok &= push(t, a->code, khum_arena_printf(t->a, "chiefs:%s", ty->parties[p]),
                   a->chiefs[p]);
    }
    return ok;
}

static bool in_list(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return true;
    return false;
}

static void problem(khum_diags *d, const char *rule, const char *fmt, const char *a,
                    const char *b)
{
    khum_err e;
    khum_err_clear(&e);
    khum_err_set(&e, KHUM_ERR_CONFLICT, rule, fmt, a, b);
    khum_diags_add(d, &e);
}

/* Is commune c ready to be official? Adds the reasons it is not. */
static void check_ready(const khum_election *e, const khum_tally_commune *c,
                        const char **stations, const khum_form_state *states, size_t nst,
                        khum_diags *problems)
{
    const khum_election_commune *ec = khum_election_commune_find(e, c->area.code);
    for (size_t k = 0; k < ec->nstations; k++) {
        const char *code = e->stations[ec->first_station + k].code;
        /* stations are sorted by code in `stations` */
        size_t lo = 0, hi = nst;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            int cmp = strcmp(stations[mid], code);
            if (cmp == 0) {
                lo = mid;
                break;
            }
            if (cmp < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        khum_form_state st = lo < nst && strcmp(stations[lo], code) == 0 ? states[lo]
                                                                          : KHUM_FS_EMPTY;
        if (st != KHUM_FS_ACCEPTED && st != KHUM_FS_OFFICIAL)
            problem(problems, "R.404", "station %s has no accepted result (state %s)", code,
                    khum_form_state_name(st));
    }
    if (c->needs_lots)
        problem(problems, "R.405", "commune %s: seats wait for lots (khum lots %s SEED)",
                c->area.code, c->area.code);
    else if (c->posts_by_lot_pending)  /* rules.md §3: ties that decide a post: lots, recorded */
        problem(problems, "R.406", "commune %s: a tie in votes decides the chief or a deputy, "
                "so the posts wait for lots (khum lots %s SEED)", c->area.code, c->area.code);
}

static bool all_official(const khum_tally *t, const char *prefix, const char *const *off,
                         size_t noff, const char *const *targets, size_t ntargets)
{
    size_t len = strlen(prefix);
    for (size_t i = 0; i < t->ncommunes; i++) {
        const char *c = t->communes[i].area.code;
        if (strncmp(c, prefix, len) == 0 && !in_list(off, noff, c) &&
            !in_list(targets, ntargets, c))
            return false;
    }
    return true;
}

khum_code khum_app_make_official(khum_store *s, const khum_election *e, const char *user,
                                 const char *const *communes, size_t n, size_t *done,
                                 khum_diags *problems, khum_err *err)
{
    *done = 0;
    khum_tally t;
    khum_code rc = khum_app_tally(s, e, &t, err);
    if (rc)
        return rc;
    khum_arena a;
    khum_arena_init(&a, 0);
    const char **stations, **off;
    khum_form_state *states;
    size_t nst, noff, nstored;
    khum_published_total *stored;
    if ((rc = khum_store_form_states(s, e->id, &a, &stations, &states, &nst, err)) ||
        (rc = khum_store_official_communes(s, e->id, &a, &off, &noff, err)) ||
        (rc = khum_store_official_totals(s, e->id, &a, &stored, &nstored, err)))
        goto out;
    /* Official communes whose stored totals no longer match (a correction). */
    khum_diags diffs = {0};
    size_t *which = khum_arena_alloc(&a, (nstored + 1) * sizeof *which);
    if (!which) {
        rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        goto out;
    }
    size_t ndiff = khum_tally_reconcile(&t, stored, nstored, &diffs, which);
    khum_diags_free(&diffs);
    /* The targets: the communes asked for, or every complete commune not yet
     * official or changed since it was. */
    const char **targets = khum_arena_alloc(&a, (t.ncommunes + 1) * sizeof *targets);
    size_t nt = 0;
    for (size_t i = 0; i < t.ncommunes && targets; i++) {
        const khum_tally_commune *c = &t.communes[i];
        bool changed = false;
        for (size_t k = 0; k < ndiff && !changed; k++)
            changed = strcmp(stored[which[k]].area, c->area.code) == 0;
        if (n ? in_list(communes, n, c->area.code)
              : c->area.complete && (changed || !in_list(off, noff, c->area.code)))
            targets[nt++] = c->area.code;
    }
    for (size_t i = 0; i < n; i++)
        if (!khum_election_commune_find(e, communes[i]))
            problem(problems, "R.401", "commune %s is not in election %s", communes[i], e->id);
    for (size_t i = 0; i < t.ncommunes; i++)
        if (in_list(targets, nt, t.communes[i].area.code))
            check_ready(e, &t.communes[i], stations, states, nst, problems);
    /* Stored totals of areas this call does not rewrite must still hold: the
     * targets and their district, province and the nation are rewritten. */
    size_t keep = 0;
    for (size_t i = 0; i < nstored; i++) {
        bool rewritten = false;
        for (size_t k = 0; k < nt && !rewritten; k++)
            rewritten = strncmp(targets[k], stored[i].area, strlen(stored[i].area)) == 0;
        if (!rewritten)
            stored[keep++] = stored[i];
    }
    khum_tally_reconcile(&t, stored, keep, problems, NULL);
    if (problems->n) {
        rc = khum_err_set(err, KHUM_ERR_CONFLICT, problems->items[0].rule,
                          "%zu problem%s keep%s the results from being made official; the "
                          "first: %s", problems->n, problems->n == 1 ? "" : "s",
                          problems->n == 1 ? "s" : "", problems->items[0].msg);
        goto out;
    }
    totals tot = {.a = &a};
    bool ok = true;
    for (size_t i = 0; i < t.ncommunes; i++)
        if (in_list(targets, nt, t.communes[i].area.code))
            ok &= push_area(&tot, &t, &t.communes[i].area);
    for (size_t i = 0; i < t.ndistricts; i++)
        if (all_official(&t, t.districts[i].code, off, noff, targets, nt))
            ok &= push_area(&tot, &t, &t.districts[i]);
    for (size_t i = 0; i < t.nprovinces; i++)
        if (all_official(&t, t.provinces[i].code, off, noff, targets, nt))
            ok &= push_area(&tot, &t, &t.provinces[i]);
    if (all_official(&t, "", off, noff, targets, nt))
        ok &= push_area(&tot, &t, &t.nation);
    if (!ok) {
        rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        goto out;
    }
    if ((rc = khum_store_begin(s, err)))
        goto out;
    rc = khum_store_put_official(s, e->id, targets, nt, tot.v, tot.n, user, err);
    for (size_t i = 0; i < nt && !rc; i++) {
        const khum_election_commune *ec = khum_election_commune_find(e, targets[i]);
        for (size_t k = 0; k < ec->nstations && !rc; k++)
            rc = khum_store_log_form_event(s, e->id, e->stations[ec->first_station + k].code,
                                           0, "make-official", "accepted", "official", user,
                                           targets[i], err);
    }
    if (!rc) {
        json_t *list = json_array();
        for (size_t i = 0; i < nt; i++)
            json_array_append_new(list, json_string(targets[i]));
        rc = app_audit(s, user, "results.official", e->id, nt == 1 ? targets[0] : "", NULL,
                       json_pack("{s:o}", "communes", list), err);
    }
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    else
        *done = nt;
out:
    khum_arena_free(&a);
    khum_tally_free(&t);
    return rc;
}
