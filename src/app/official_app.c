/*
 * official_app.c: making communes official. One transaction: begin (the
 * writers' lock), tabulate and read the form states and stored totals,
 * decide which communes are ready, ask the entry state machine to move each
 * of their accepted forms to official, store the totals of the communes and
 * of every district, province and the nation whose communes are then all
 * official, append the audit event, commit. Deciding inside the transaction
 * means a correction committed meanwhile is either seen or waits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_impl.h"

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
    if (a->blank)  /* only where there are blank ballots: Cambodia's totals stay as they were */
        ok &= push(t, a->code, "blank", a->blank);
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

/* The index of station code in stations (sorted by code), nst when absent. */
static size_t station_index(const char *const *stations, size_t nst, const char *code)
{
    size_t lo = 0, hi = nst;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int cmp = strcmp(stations[mid], code);
        if (cmp == 0)
            return mid;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return nst;
}

/* Is commune c ready to be official? Adds the reasons it is not. */
static void check_ready(const khum_election *e, const khum_tally_commune *c,
                        const char **stations, const khum_form_state *states, size_t nst,
                        khum_diags *problems)
{
    const khum_election_commune *ec = khum_election_commune_find(e, c->area.code);
    for (size_t k = 0; k < ec->nstations; k++) {
        const char *code = e->stations[ec->first_station + k].code;
        size_t i = station_index(stations, nst, code);
        khum_form_state st = i < nst ? states[i] : KHUM_FS_EMPTY;
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

/* The target commune lies in area (itself, its district or province as the
 * gazetteer places it, or "" the nation). */
static bool target_within(const khum_election_commune *ec, const char *commune,
                          const char *area)
{
    return !*area || !strcmp(commune, area) ||
           (ec && (!strcmp(ec->province, area) || !strcmp(ec->district, area)));
}

/* Every commune of the area (a province, a district, "" the nation) is
 * official, or made so by this call. */
static bool all_official(const khum_tally *t, const char *area, const char *const *off,
                         size_t noff, const char *const *targets, size_t ntargets)
{
    for (size_t i = 0; i < t->ncommunes; i++) {
        const char *c = t->communes[i].area.code;
        if (khum_tally_area_within(&t->communes[i].area, area) && !in_list(off, noff, c) &&
            !in_list(targets, ntargets, c))
            return false;
    }
    return true;
}

/* What one call works with: loaded and decided inside its transaction. */
typedef struct official {
    const khum_election *e;
    khum_tally t;
    khum_arena a;
    const char **stations, **off;
    int *versions;
    khum_form_state *states;
    size_t nst, noff, nstored;
    khum_published_total *stored;
    const char **targets;
    size_t nt;
} official;

static khum_code load(khum_store *s, official *o, khum_err *err)
{
    khum_code rc;
    if ((rc = khum_store_form_state_versions(s, o->e->id, &o->a, &o->stations, &o->versions,
                                             &o->states, &o->nst, err)) ||
        (rc = khum_store_official_communes(s, o->e->id, &o->a, &o->off, &o->noff, err)) ||
        (rc = khum_store_official_totals(s, o->e->id, &o->a, &o->stored, &o->nstored, err)))
        return rc;
    return KHUM_OK;
}

/* The targets: the communes asked for, or every complete commune not yet
 * official or changed since it was (its stored totals no longer match). */
static khum_code choose_targets(official *o, const char *const *communes, size_t n,
                                khum_err *err)
{
    khum_diags diffs = {0};
    size_t *which = khum_arena_alloc(&o->a, (o->nstored + 1) * sizeof *which);
    o->targets = khum_arena_alloc(&o->a, (o->t.ncommunes + 1) * sizeof *o->targets);
    if (!which || !o->targets)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    size_t ndiff = khum_tally_reconcile(&o->t, o->stored, o->nstored, &diffs, which);
    khum_diags_free(&diffs);
    o->nt = 0;
    for (size_t i = 0; i < o->t.ncommunes; i++) {
        const khum_tally_commune *c = &o->t.communes[i];
        bool changed = false;
        for (size_t k = 0; k < ndiff && !changed; k++)
            changed = strcmp(o->stored[which[k]].area, c->area.code) == 0;
        if (n ? in_list(communes, n, c->area.code)
              : c->area.complete && (changed || !in_list(o->off, o->noff, c->area.code)))
            o->targets[o->nt++] = c->area.code;
    }
    return KHUM_OK;
}

/* Every reason the targets cannot be made official, into problems. */
static void check_targets(official *o, const char *const *communes, size_t n,
                          khum_diags *problems)
{
    const khum_election *e = o->e;
    for (size_t i = 0; i < n; i++)
        if (!khum_election_commune_find(e, communes[i]))
            problem(problems, "R.401", "commune %s is not in election %s", communes[i], e->id);
    for (size_t i = 0; i < o->t.ncommunes; i++)
        if (in_list(o->targets, o->nt, o->t.communes[i].area.code))
            check_ready(e, &o->t.communes[i], o->stations, o->states, o->nst, problems);
    /* Stored totals of areas this call does not rewrite must still hold: the
     * targets and their district, province and the nation are rewritten. */
    size_t keep = 0;
    /* each target's place, found once (out of memory: found at each use) */
    const khum_election_commune **tec = khum_arena_alloc(&o->a, (o->nt + 1) * sizeof *tec);
    for (size_t k = 0; tec && k < o->nt; k++)
        tec[k] = khum_election_commune_find(e, o->targets[k]);
    for (size_t i = 0; i < o->nstored; i++) {
        bool rewritten = false;
        for (size_t k = 0; k < o->nt && !rewritten; k++)
            rewritten = target_within(tec ? tec[k] : khum_election_commune_find(e, o->targets[k]),
                                      o->targets[k], o->stored[i].area);
        if (!rewritten)
            o->stored[keep++] = o->stored[i];
    }
    khum_tally_reconcile(&o->t, o->stored, keep, problems, NULL);
}

/* The totals to store: the targets, and every area all of whose communes
 * are then official. */
static khum_code collect_totals(official *o, totals *tot, khum_err *err)
{
    const khum_tally *t = &o->t;
    bool ok = true;
    for (size_t i = 0; i < t->ncommunes; i++)
        if (in_list(o->targets, o->nt, t->communes[i].area.code))
            ok &= push_area(tot, t, &t->communes[i].area);
    for (size_t i = 0; i < t->ndistricts; i++)
        if (all_official(t, t->districts[i].code, o->off, o->noff, o->targets, o->nt))
            ok &= push_area(tot, t, &t->districts[i]);
    for (size_t i = 0; i < t->nprovinces; i++)
        if (all_official(t, t->provinces[i].code, o->off, o->noff, o->targets, o->nt))
            ok &= push_area(tot, t, &t->provinces[i]);
    if (all_official(t, "", o->off, o->noff, o->targets, o->nt))
        ok &= push_area(tot, t, &t->nation);
    return ok ? KHUM_OK : khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
}

/* The state machine moves each form of the targets that is not official yet
 * (a commune made official again after a correction keeps its other
 * stations' official forms as they are). */
static khum_code decide_moves(official *o, khum_form_move **moves, size_t *n, khum_err *err)
{
    const khum_election *e = o->e;
    *n = 0;
    *moves = khum_arena_alloc(&o->a, (o->nst + 1) * sizeof **moves);
    if (!*moves)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t t = 0; t < o->nt; t++) {
        const khum_election_commune *ec = khum_election_commune_find(e, o->targets[t]);
        for (size_t k = 0; k < ec->nstations; k++) {
            size_t i = station_index(o->stations, o->nst, e->stations[ec->first_station + k].code);
            if (i == o->nst || o->states[i] == KHUM_FS_OFFICIAL)
                continue;
            khum_form_move *m = &(*moves)[(*n)++];
            *m = (khum_form_move){o->stations[i], o->versions[i], o->states[i], o->states[i]};
            khum_code rc = khum_entry_next(m->from, KHUM_ACT_MAKE_OFFICIAL, false, false, false,
                                           &m->to, err);
            if (rc)
                return rc;
        }
    }
    return KHUM_OK;
}

static khum_code write_official(khum_store *s, official *o, const char *user,
                                const totals *tot, const khum_form_move *moves, size_t nmoves,
                                khum_err *err)
{
    const khum_election *e = o->e;
    khum_code rc = khum_store_put_official(s, e->id, o->targets, o->nt, tot->v, tot->n, user,
                                           err);
    if (!rc)
        rc = khum_store_move_forms(s, e->id, moves, nmoves,
                                   khum_entry_action_name(KHUM_ACT_MAKE_OFFICIAL), user, "",
                                   err);
    if (!rc) {
        json_t *list = json_array();
        for (size_t i = 0; i < o->nt; i++)
            json_array_append_new(list, json_string(o->targets[i]));
        rc = app_audit(s, user, "results.official", e->id, o->nt == 1 ? o->targets[0] : "",
                       NULL, json_pack("{s:o}", "communes", list), err);
    }
    return rc;
}

/* Load, decide and write, all inside the caller's transaction. */
static khum_code make_official(khum_store *s, official *o, const char *user,
                               const char *const *communes, size_t n, khum_diags *problems,
                               khum_err *err)
{
    khum_code rc;
    if ((rc = load(s, o, err)) || (rc = choose_targets(o, communes, n, err)))
        return rc;
    check_targets(o, communes, n, problems);
    if (problems->n)
        return khum_err_set(err, KHUM_ERR_CONFLICT, problems->items[0].rule,
                            "%zu problem%s keep%s the results from being made official; the "
                            "first: %s", problems->n, problems->n == 1 ? "" : "s",
                            problems->n == 1 ? "s" : "", problems->items[0].msg);
    totals tot = {.a = &o->a};
    khum_form_move *moves;
    size_t nmoves;
    if ((rc = collect_totals(o, &tot, err)) || (rc = decide_moves(o, &moves, &nmoves, err)))
        return rc;
    khum_store_hook(s, "official.decided");
    return write_official(s, o, user, &tot, moves, nmoves, err);
}

khum_code khum_app_make_official(khum_store *s, const khum_election *e, const char *user,
                                 const char *const *communes, size_t n, size_t *done,
                                 khum_diags *problems, khum_err *err)
{
    *done = 0;
    khum_code rc = khum_store_begin(s, err);
    if (rc)
        return rc;
    official o = {.e = e};
    if ((rc = khum_app_tally(s, e, &o.t, err))) {
        khum_store_rollback(s);
        return rc;
    }
    khum_arena_init(&o.a, 0);
    rc = make_official(s, &o, user, communes, n, problems, err);
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    else
        *done = o.nt;
    khum_arena_free(&o.a);
    khum_tally_free(&o.t);
    return rc;
}
