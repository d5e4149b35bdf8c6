/*
 * results_app.c: elections in, results out: importing a definition, bulk
 * import of digitized forms (each form's state decided by the entry state
 * machine, written in bulk by the store), lots, tabulation and
 * reconciliation, which recomputes everything from the forms and names each
 * stored total that no longer matches. Making communes official is in
 * official_app.c, reading a results file in results_import.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_impl.h"
#include "khum/str.h"

khum_code khum_app_import_election(khum_store *s, const char *user, const khum_election *e,
                                   const khum_import_file *files, size_t nfiles,
                                   bool *existed, khum_err *err)
{
    khum_code rc = khum_store_begin(s, err);
    if (rc)
        return rc;
    rc = khum_store_put_election(s, e, existed, err);
    if (!rc && !*existed)
        rc = app_audit(s, user, "election.import", e->id, "", NULL,
                       json_pack("{s:s,s:I,s:I,s:I,s:o}", "hash", e->hash,
                                 "communes", (json_int_t)e->ncommunes,
                                 "stations", (json_int_t)e->nstations,
                                 "own_parties", (json_int_t)e->nparties,
                                 "files", app_files_json(files, nfiles)), err);
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    return rc;
}

/* The state an imported form reaches from `from`, as the entry state
 * machine decides: accepted, or needs-explanation while a warning has no
 * explanation; refused (F.111) when the form has a result already. A form
 * with an error never gets here (the caller checks first), but is refused
 * anyway. */
static khum_code decide_import(const khum_election *e, const khum_form *f, const char *expl,
                               khum_form_state from, khum_checks *c, khum_form_state *to,
                               khum_err *err)
{
    khum_form_check(e, f, c);
    if (c->errors)
        return khum_err_set(err, KHUM_ERR_INPUT, c->items[0].code, "station %s: %s",
                            f->station, c->items[0].msg);
    bool open = c->warnings && !(expl && *expl);
    khum_code rc = khum_entry_next(from, KHUM_ACT_IMPORT, false, false, open, to, err);
    if (rc == KHUM_ERR_CONFLICT)
        khum_err_set(err, rc, err->rule, "station %s has a result already (state %s): change "
                     "it with a correction", f->station, khum_form_state_name(from));
    return rc;
}

/* Every warning of the form explained by the file's text. */
static khum_code put_explanations(khum_store *s, const khum_election *e, const char *station,
                                  int version, const khum_checks *c, const char *expl,
                                  const char *user, khum_err *err)
{
    khum_code rc = KHUM_OK;
    for (size_t i = 0; i < c->n && expl && *expl && !rc; i++)
        rc = khum_store_put_explanation(s, e->id, station, version, c->items[i].code, expl,
                                        user, err);
    return rc;
}

/* One form into an election that has others: into the station's empty
 * version (1, or the one a correction opened). */
static khum_code import_one(khum_store *s, const khum_election *e, const char *user,
                            const khum_form *f, const char *expl, khum_arena *a, khum_err *err)
{
    khum_form_version v = {0};
    khum_code rc = khum_store_form_version(s, e->id, f->station, 0, a, &v, err);
    if (rc)
        return rc;
    khum_form_state from = v.exists ? v.state : KHUM_FS_EMPTY;
    int version = v.exists ? v.version : 1;
    khum_checks c;
    khum_form_state to;
    int64_t id;
    if ((rc = decide_import(e, f, expl, from, &c, &to, err)) ||
        (rc = khum_store_add_entry(s, e->id, version, 0, user, f, &id, err)) ||
        (rc = put_explanations(s, e, f->station, version, &c, expl, user, err)))
        return rc;
    khum_form_version nv = {.exists = true, .version = version, .accepted_entry = id,
                            .first_entry = id, .state = to, .reason = v.reason,
                            .reference = v.reference};
    if (!(rc = khum_store_put_form_version(s, e->id, f->station, &nv, user, err)))
        rc = khum_store_log_form_event(s, e->id, f->station, version,
                                       khum_entry_action_name(KHUM_ACT_IMPORT),
                                       khum_form_state_name(from), khum_form_state_name(to),
                                       user, "", err);
    return rc;
}

/* An election without any form yet: the state machine decides each form's
 * state, then the store writes them all with multi-row statements
 * (khum_store_put_forms_fresh), then the explanations of their warnings. */
static khum_code import_fresh(khum_store *s, const khum_election *e, const char *user,
                              const khum_form *forms, const char *const *explanation,
                              size_t n, size_t *failed, khum_err *err)
{
    khum_form_state *state = calloc(n + 1, sizeof *state);
    if (!state)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    khum_code rc = KHUM_OK;
    khum_checks c;
    for (size_t i = 0; i < n && !rc; i++)
        if ((rc = decide_import(e, &forms[i], explanation ? explanation[i] : "", KHUM_FS_EMPTY,
                                &c, &state[i], err)))
            *failed = i;
    int64_t first = 0;
    if (!rc)
        rc = khum_store_put_forms_fresh(s, e->id, forms, state, n, user, &first, err);
    for (size_t i = 0; i < n && !rc; i++) {
        if (!explanation || !explanation[i] || !*explanation[i])
            continue;
        khum_form_check(e, &forms[i], &c);
        rc = put_explanations(s, e, forms[i].station, 1, &c, explanation[i], user, err);
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

khum_code app_import_forms(khum_store *s, const khum_election *e, const char *by,
                           const char *actor, const char *path, const khum_form *forms,
                           const char *const *expl, const long *lines, size_t n, json_t *after,
                           khum_err *err)
{
    khum_code rc = check_batch(forms, n, err);
    if (rc || (rc = khum_store_begin(s, err))) {
        json_decref(after);
        return rc;
    }
    if (!by || !*by)
        by = "import";
    khum_arena a;
    khum_arena_init(&a, 0);
    int64_t existing = 0;
    size_t at = 0;  /* the form that failed */
    rc = khum_store_count_form_versions(s, e->id, &existing, err);
    if (!rc && existing == 0)
        rc = import_fresh(s, e, by, forms, expl, n, &at, err);
    for (size_t i = 0; i < n && !rc && existing > 0; i++, khum_arena_reset(&a))
        if ((rc = import_one(s, e, by, &forms[i], expl ? expl[i] : "", &a, err)))
            at = i;
    khum_arena_free(&a);
    if (rc && !err->file[0])
        khum_err_at(err, path, lines && at < n ? lines[at] : 0, 0, NULL);
    char obj[512];
    if (!rc)
        rc = app_audit(s, actor, "results.import", app_object(e->id, path, obj, sizeof obj),
                       "", NULL, after, err);
    else
        json_decref(after);
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    return rc;
}

khum_code khum_app_import_forms(khum_store *s, const khum_election *e, const char *source,
                                const khum_form *forms, const char *const *explanation,
                                const long *lines, size_t n, khum_err *err)
{
    return app_import_forms(s, e, source, NULL, source, forms, explanation, lines, n,
                            json_pack("{s:I}", "forms", (json_int_t)n), err);
}

khum_code khum_app_draw_lots(khum_store *s, const khum_election *e, const char *user,
                             const char *commune, const char *seed, khum_err *err)
{
    khum_code rc = app_lots_args(e, commune, seed, err);
    if (!rc)
        rc = khum_store_begin(s, err);
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
    if (!rc)
        rc = app_live_check(s, e, &t, out, err);
    khum_arena_free(&a);
    khum_tally_free(&t);
    return rc;
}
