/*
 * store_forms.c: result form entries, the state of each form version, the
 * event log of every transition, explanations of warnings, lots and official
 * totals. Entries and events are only ever inserted; form_version rows move
 * from state to state, each move logged in form_event by the caller.
 */
#include <string.h>

#include "store_impl.h"

static const char *state_names[] = {"empty", "first-entered", "entries-different",
                                    "needs-explanation", "accepted", "official"};

static khum_form_state parse_state(const char *s)
{
    for (int i = 0; i < 6; i++)
        if (strcmp(s, state_names[i]) == 0)
            return (khum_form_state)i;
    return KHUM_FS_EMPTY;
}

khum_code khum_store_form_version(khum_store *s, const char *election, const char *station,
                                  int version, khum_arena *a, khum_form_version *out,
                                  khum_err *err)
{
    memset(out, 0, sizeof *out);
    out->first_user = out->second_user = out->reason = out->reference = "";
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "SELECT v.version, v.state, coalesce(v.first_entry, 0), coalesce(v.second_entry, 0),"
        " coalesce(v.accepted_entry, 0), coalesce(f.entered_by, ''),"
        " coalesce(g.entered_by, ''), v.reason, v.reference"
        " FROM form_version v LEFT JOIN form_entry f ON f.id = v.first_entry"
        " LEFT JOIN form_entry g ON g.id = v.second_entry"
        " WHERE v.election = ?1 AND v.station = ?2 AND (v.version = ?3 OR ?3 = 0)"
        " ORDER BY v.version DESC LIMIT 1", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, station);
    db_bind_int(st, 3, version);
    int r = db_step(st, err);
    if (r == DB_ROW) {
        out->exists = true;
        out->version = (int)db_col_int(st, 0);
        out->state = parse_state(db_col_text(st, 1));
        out->first_entry = db_col_int(st, 2);
        out->second_entry = db_col_int(st, 3);
        out->accepted_entry = db_col_int(st, 4);
        out->first_user = khum_arena_strdup(a, db_col_text(st, 5));
        out->second_user = khum_arena_strdup(a, db_col_text(st, 6));
        out->reason = khum_arena_strdup(a, db_col_text(st, 7));
        out->reference = khum_arena_strdup(a, db_col_text(st, 8));
    }
    db_finalize(st);
    return r == DB_ERROR ? KHUM_ERR_STORE : KHUM_OK;
}

static void bind_entry_ref(db_stmt *st, int i, int64_t id)
{
    if (id > 0)
        db_bind_int(st, i, id);
    else
        db_bind_null(st, i);
}

khum_code khum_store_put_form_version(khum_store *s, const char *election,
                                      const char *station, const khum_form_version *v,
                                      const char *actor, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "INSERT INTO form_version (election, station, version, state, first_entry,"
        " second_entry, accepted_entry, reason, reference, opened_by, opened_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (election, station, version) DO UPDATE SET state = excluded.state,"
        " first_entry = excluded.first_entry, second_entry = excluded.second_entry,"
        " accepted_entry = excluded.accepted_entry", &st, err);
    if (rc)
        return rc;
    char now[32];
    store_now(now);
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, station);
    db_bind_int(st, 3, v->version);
    db_bind_text(st, 4, state_names[v->state]);
    bind_entry_ref(st, 5, v->first_entry);
    bind_entry_ref(st, 6, v->second_entry);
    bind_entry_ref(st, 7, v->accepted_entry);
    db_bind_text(st, 8, v->reason ? v->reason : "");
    db_bind_text(st, 9, v->reference ? v->reference : "");
    db_bind_text(st, 10, actor);
    db_bind_text(st, 11, now);
    store_note_form(s, STORE_ROWS_FORM_VERSION, election, station, v->version, NULL);
    return store_run(st, err);
}

khum_code khum_store_add_entry(khum_store *s, const char *election, int version, int slot,
                               const char *user, const khum_form *f, int64_t *id,
                               khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        /* The id is given, not defaulted: bulk imports assign ids themselves, and
         * a PostgreSQL identity would not know of them. */
        "INSERT INTO form_entry (id, election, station, version, slot, entered_by, entered_at,"
        " registered, received, ballots_cast, spoiled, unused, valid, invalid, votes, blank)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM form_entry),"
        " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", &st, err);
    if (rc)
        return rc;
    char now[32];
    store_now(now);
    khum_buf votes;
    khum_buf_init(&votes);
    store_votes_json(f, &votes);
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, f->station);
    db_bind_int(st, 3, version);
    db_bind_int(st, 4, slot);
    db_bind_text(st, 5, user);
    db_bind_text(st, 6, now);
    const int64_t nums[] = {f->registered, f->received, f->cast, f->spoiled,
                            f->unused, f->valid, f->invalid};
    for (int i = 0; i < 7; i++)
        db_bind_int(st, 7 + i, nums[i]);
    db_bind_text(st, 14, votes.failed ? "{}" : votes.data);
    db_bind_int(st, 15, f->blank);
    if (votes.failed)
        rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    else if (db_step(st, err) != DB_ROW)
        rc = err->code ? err->code : KHUM_ERR_STORE;
    else
        store_note_id(s, STORE_ROWS_FORM_ENTRY, *id = db_col_int(st, 0));
    db_finalize(st);
    khum_buf_free(&votes);
    return rc;
}

khum_code khum_store_load_entry(khum_store *s, int64_t id, khum_arena *a, khum_form *f,
                                khum_err *err)
{
    memset(f, 0, sizeof *f);
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "SELECT station, registered, received, ballots_cast, spoiled, unused, valid, invalid,"
        " votes, blank FROM form_entry WHERE id = ?", &st, err);
    if (rc)
        return rc;
    db_bind_int(st, 1, id);
    if (db_step(st, err) != DB_ROW) {
        db_finalize(st);
        return khum_err_set(err, KHUM_ERR_NOTFOUND, "CNT.810", "no form entry %lld",
                            (long long)id);
    }
    f->station = khum_arena_strdup(a, db_col_text(st, 0));
    int64_t *dst[] = {&f->registered, &f->received, &f->cast, &f->spoiled,
                      &f->unused, &f->valid, &f->invalid};
    for (int i = 0; i < 7; i++)
        *dst[i] = db_col_int(st, 1 + i);
    f->blank = db_col_int(st, 9);
    bool ok = f->station && !store_votes_parse(db_col_text(st, 8), a, f);
    db_finalize(st);
    return ok ? KHUM_OK : khum_err_set(err, KHUM_ERR_STORE, "DB.909", "form entry %lld: the "
                                       "votes are not a JSON object of list: votes",
                                       (long long)id);
}

khum_code khum_store_log_form_event(khum_store *s, const char *election, const char *station,
                                    int version, const char *action, const char *from,
                                    const char *to, const char *actor, const char *detail,
                                    khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "INSERT INTO form_event (election, station, version, action, from_state, to_state,"
        " actor, at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, err);
    if (rc)
        return rc;
    char now[32];
    store_now(now);
    const char *txt[] = {election, station, NULL, action, from, to, actor, now, detail};
    for (int i = 0; i < 9; i++)
        if (i != 2)
            db_bind_text(st, i + 1, txt[i] ? txt[i] : "");
    db_bind_int(st, 3, version);
    return store_run(st, err);
}

khum_code khum_store_put_explanation(khum_store *s, const char *election, const char *station,
                                     int version, const char *code, const char *text,
                                     const char *user, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "INSERT INTO form_explanation (election, station, version, code, text, explained_by,"
        " explained_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (election, station, version,"
        " code) DO UPDATE SET text = excluded.text, explained_by = excluded.explained_by,"
        " explained_at = excluded.explained_at", &st, err);
    if (rc)
        return rc;
    char now[32];
    store_now(now);
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, station);
    db_bind_int(st, 3, version);
    db_bind_text(st, 4, code);
    db_bind_text(st, 5, text);
    db_bind_text(st, 6, user);
    db_bind_text(st, 7, now);
    store_note_form(s, STORE_ROWS_EXPLANATION, election, station, version, code);
    return store_run(st, err);
}

khum_code khum_store_explanations(khum_store *s, const char *election, const char *station,
                                  int version, khum_arena *a, const char ***codes,
                                  const char ***texts, size_t *n, khum_err *err)
{
    *n = 0;
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "SELECT code, text FROM form_explanation WHERE election = ? AND station = ?"
        " AND version = ? ORDER BY code", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, station);
    db_bind_int(st, 3, version);
    khum_array cv, tv;
    khum_array_init(&cv, sizeof **codes, a);
    khum_array_init(&tv, sizeof **texts, a);
    bool ok = true;
    int r;
    while (ok && (r = db_step(st, err)) == DB_ROW) {
        const char **c = khum_array_push(&cv), **t = khum_array_push(&tv);
        if ((ok = c && t)) {
            *c = store_dup(st, 0, a, &ok);
            *t = store_dup(st, 1, a, &ok);
        }
    }
    *codes = cv.items;
    *texts = tv.items;
    *n = ok ? cv.n : 0;
    return store_list_end(st, r, ok, err);
}

/* The accepted entry of each station's latest accepted-or-official version,
 * in station order (the primary key's: no sort). The states are bound from
 * state_names, the one place the store spells them. */
#define CURRENT_SQL(station)                                                                \
    "SELECT e.id, e.station, e.registered, e.received, e.ballots_cast, e.spoiled, e.unused,"   \
    " e.valid, e.invalid, e.votes, e.blank"                                                   \
    " FROM form_version v JOIN form_entry e ON e.id = v.accepted_entry"                       \
    " WHERE v.election = ?1 AND v.state IN (?2, ?3)" station                                  \
    " AND NOT EXISTS (SELECT 1 FROM form_version x WHERE x.election = v.election"            \
    "  AND x.station = v.station AND x.version > v.version"                                  \
    "  AND x.state IN (?2, ?3))"                                                              \
    " ORDER BY v.station, v.version"
static const char current_sql[] = CURRENT_SQL("");
/* The same for one station (?4): the live tally's query, one rule for both. */
static const char current_one_sql[] = CURRENT_SQL(" AND v.station = ?4");

/* Bind the states that count as a result (accepted, official) at i, i + 1. */
void store_bind_result_states(db_stmt *st, int i)
{
    db_bind_text(st, i, state_names[KHUM_FS_ACCEPTED]);
    db_bind_text(st, i + 1, state_names[KHUM_FS_OFFICIAL]);
}

/* The forms that count (of one station when station is not NULL). */
static khum_code current_forms(khum_store *s, const char *election, const char *station,
                               khum_arena *a, khum_form **forms, size_t *n, khum_err *err)
{
    *n = 0;
    *forms = NULL;
    db_stmt *st;
    khum_code rc = db_prepare(s->db, station ? current_one_sql : current_sql, &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    store_bind_result_states(st, 2);
    if (station)
        db_bind_text(st, 4, station);
    khum_array v;
    khum_array_init(&v, sizeof **forms, a);
    bool ok = true;
    int r;
    while (ok && (r = db_step(st, err)) == DB_ROW) {
        khum_form *f = khum_array_push(&v);
        if (!(ok = f != NULL))
            break;
        f->station = store_dup(st, 1, a, &ok);
        int64_t *dst[] = {&f->registered, &f->received, &f->cast, &f->spoiled,
                          &f->unused, &f->valid, &f->invalid};
        for (int i = 0; i < 7; i++)
            *dst[i] = db_col_int(st, 2 + i);
        f->blank = db_col_int(st, 10);
        khum_code vrc = ok ? store_votes_parse(db_col_text(st, 9), a, f) : KHUM_OK;
        if (vrc == KHUM_ERR_INPUT) {
            long long id = (long long)db_col_int(st, 0);
            db_finalize(st);
            return khum_err_set(err, KHUM_ERR_STORE, "DB.909", "form entry %lld: the votes are "
                                "not a JSON object of list: votes", id);
        }
        ok = ok && !vrc;
    }
    *forms = v.items;
    *n = ok ? v.n : 0;
    return store_list_end(st, r, ok, err);
}

khum_code khum_store_current_forms(khum_store *s, const char *election, khum_arena *a,
                                   khum_form **forms, size_t *n, khum_err *err)
{
    return current_forms(s, election, NULL, a, forms, n, err);
}

khum_code khum_store_current_form(khum_store *s, const char *election, const char *station,
                                  khum_arena *a, khum_form **form, khum_err *err)
{
    size_t n;
    khum_code rc = current_forms(s, election, station, a, form, &n, err);
    if (!rc && n == 0)
        *form = NULL;
    return rc;
}

/* Every station's latest version and its state (empty, version 0, when it
 * has none), in station order. */
static khum_code form_states(khum_store *s, const char *election, khum_arena *a,
                             const char ***stations, int **versions, khum_form_state **states,
                             size_t *n, khum_err *err)
{
    *n = 0;
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "SELECT s.code, coalesce((SELECT v.state FROM form_version v WHERE v.election ="
        " s.election AND v.station = s.code ORDER BY v.version DESC LIMIT 1), ?2),"
        " coalesce((SELECT max(v.version) FROM form_version v WHERE v.election = s.election"
        " AND v.station = s.code), 0)"
        " FROM station s WHERE s.election = ?1 ORDER BY s.code", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, state_names[KHUM_FS_EMPTY]);
    khum_array sv, fv, vv;
    khum_array_init(&sv, sizeof **stations, a);
    khum_array_init(&fv, sizeof **states, a);
    khum_array_init(&vv, sizeof(int), a);
    bool ok = true;
    int r;
    while (ok && (r = db_step(st, err)) == DB_ROW) {
        const char **code = khum_array_push(&sv);
        khum_form_state *state = khum_array_push(&fv);
        int *version = versions ? khum_array_push(&vv) : NULL;
        if ((ok = code && state && (version || !versions))) {
            *code = store_dup(st, 0, a, &ok);
            *state = parse_state(db_col_text(st, 1));
            if (version)
                *version = (int)db_col_int(st, 2);
        }
    }
    *stations = sv.items;
    *states = fv.items;
    if (versions)
        *versions = vv.items;
    *n = ok ? sv.n : 0;
    return store_list_end(st, r, ok, err);
}

khum_code khum_store_form_states(khum_store *s, const char *election, khum_arena *a,
                                 const char ***stations, khum_form_state **states,
                                 size_t *n, khum_err *err)
{
    return form_states(s, election, a, stations, NULL, states, n, err);
}

khum_code khum_store_form_state_versions(khum_store *s, const char *election, khum_arena *a,
                                         const char ***stations, int **versions,
                                         khum_form_state **states, size_t *n, khum_err *err)
{
    return form_states(s, election, a, stations, versions, states, n, err);
}

khum_code khum_store_move_forms(khum_store *s, const char *election,
                                const khum_form_move *moves, size_t n, const char *action,
                                const char *actor, const char *detail, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "UPDATE form_version SET state = ? WHERE election = ? AND station = ? AND version = ?"
        " AND state = ?", &st, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        const khum_form_move *m = &moves[i];
        db_reset(st);
        db_bind_text(st, 1, state_names[m->to]);
        db_bind_text(st, 2, election);
        db_bind_text(st, 3, m->station);
        db_bind_int(st, 4, m->version);
        db_bind_text(st, 5, state_names[m->from]);
        if (db_step(st, err) == DB_ERROR)
            rc = err->code ? err->code : KHUM_ERR_STORE;
        else
            rc = khum_store_log_form_event(s, election, m->station, m->version, action,
                                           state_names[m->from], state_names[m->to], actor,
                                           detail, err);
    }
    db_finalize(st);
    return rc;
}

khum_code khum_store_put_lots(khum_store *s, const char *election, const char *commune,
                              const char *seed, const char *user, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "INSERT INTO commune_lots (election, commune, seed, drawn_by, drawn_at)"
        " VALUES (?, ?, ?, ?, ?)", &st, err);
    if (rc)
        return rc;
    char now[32];
    store_now(now);
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, commune);
    db_bind_text(st, 3, seed);
    db_bind_text(st, 4, user);
    db_bind_text(st, 5, now);
    store_note_key(s, STORE_ROWS_LOTS, election, commune, NULL);
    rc = store_run(st, err);
    if (rc == KHUM_ERR_CONFLICT)
        khum_err_set(err, KHUM_ERR_CONFLICT, "CNT.820", "lots for commune %s were drawn "
                     "already: a draw is recorded once", commune);
    return rc;
}

khum_code khum_store_list_lots(khum_store *s, const char *election, khum_arena *a,
                               khum_commune_lots **lots, size_t *n, khum_err *err)
{
    *n = 0;
    db_stmt *st;
    *lots = NULL;
    khum_code rc = db_prepare(s->db, "SELECT commune, seed FROM commune_lots WHERE election = ?1"
                                     " ORDER BY commune", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    khum_array v;
    khum_array_init(&v, sizeof **lots, a);
    bool ok = true;
    int r;
    while (ok && (r = db_step(st, err)) == DB_ROW) {
        khum_commune_lots *l = khum_array_push(&v);
        if ((ok = l != NULL)) {
            l->commune = store_dup(st, 0, a, &ok);
            l->seed = store_dup(st, 1, a, &ok);
        }
    }
    *lots = v.items;
    *n = ok ? v.n : 0;
    return store_list_end(st, r, ok, err);
}

khum_code khum_store_put_official(khum_store *s, const char *election,
                                  const char *const *communes, size_t ncommunes,
                                  const khum_published_total *totals, size_t ntotals,
                                  const char *user, khum_err *err)
{
    db_stmt *st[2];
    khum_code rc = db_prepare(s->db,
        "INSERT INTO commune_official (election, commune, official_by, official_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (election, commune) DO UPDATE SET"
        " official_by = excluded.official_by, official_at = excluded.official_at", &st[0], err);
    if (rc)
        return rc;
    if ((rc = db_prepare(s->db,
        "INSERT INTO official_total (election, area, field, value) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (election, area, field) DO UPDATE SET value = excluded.value",
        &st[1], err))) {
        db_finalize(st[0]);
        return rc;
    }
    char now[32];
    store_now(now);
    for (size_t i = 0; i < ncommunes && !rc; i++) {
        db_reset(st[0]);
        db_bind_text(st[0], 1, election);
        db_bind_text(st[0], 2, communes[i]);
        db_bind_text(st[0], 3, user);
        db_bind_text(st[0], 4, now);
        if (db_step(st[0], err) == DB_ERROR)
            rc = err->code;
        store_note_official(s, election, communes[i]);
    }
    for (size_t i = 0; i < ntotals && !rc; i++) {
        db_reset(st[1]);
        db_bind_text(st[1], 1, election);
        db_bind_text(st[1], 2, totals[i].area);
        db_bind_text(st[1], 3, totals[i].field);
        db_bind_int(st[1], 4, totals[i].value);
        if (db_step(st[1], err) == DB_ERROR)
            rc = err->code;
        if (i == 0 || strcmp(totals[i].area, totals[i - 1].area))
            store_note_totals(s, election, totals[i].area);
    }
    for (int i = 0; i < 2; i++)
        db_finalize(st[i]);
    return rc;
}

khum_code khum_store_official_totals(khum_store *s, const char *election, khum_arena *a,
                                     khum_published_total **rows, size_t *n, khum_err *err)
{
    *n = 0;
    *rows = NULL;
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT area, field, value FROM official_total"
                                     " WHERE election = ?1 ORDER BY area, field", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    khum_array v;
    khum_array_init(&v, sizeof **rows, a);
    bool ok = true;
    int r;
    while (ok && (r = db_step(st, err)) == DB_ROW) {
        khum_published_total *t = khum_array_push(&v);
        if ((ok = t != NULL)) {
            t->area = store_dup(st, 0, a, &ok);
            t->field = store_dup(st, 1, a, &ok);
            t->value = db_col_int(st, 2);
        }
    }
    *rows = v.items;
    *n = ok ? v.n : 0;
    return store_list_end(st, r, ok, err);
}

khum_code khum_store_official_communes(khum_store *s, const char *election, khum_arena *a,
                                       const char ***communes, size_t *n, khum_err *err)
{
    *n = 0;
    *communes = NULL;
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT commune FROM commune_official"
                                     " WHERE election = ?1 ORDER BY commune", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    khum_array v;
    khum_array_init(&v, sizeof **communes, a);
    bool ok = true;
    int r;
    while (ok && (r = db_step(st, err)) == DB_ROW) {
        const char **c = khum_array_push(&v);
        if ((ok = c != NULL))
            *c = store_dup(st, 0, a, &ok);
    }
    *communes = v.items;
    *n = ok ? v.n : 0;
    return store_list_end(st, r, ok, err);
}

khum_code khum_store_count_form_versions(khum_store *s, const char *election, int64_t *n,
                                         khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT count(*) FROM form_version WHERE election = ?",
                              &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    int r = db_step(st, err);
    *n = r == DB_ROW ? db_col_int(st, 0) : 0;
    db_finalize(st);
    return r == DB_ERROR ? KHUM_ERR_STORE : KHUM_OK;
}

khum_code khum_store_is_official(khum_store *s, const char *election, const char *commune,
                                  bool *official, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT 1 FROM commune_official WHERE election = ?"
                                     " AND commune = ?", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, commune);
    int r = db_step(st, err);
    *official = r == DB_ROW;
    db_finalize(st);
    return r == DB_ERROR ? KHUM_ERR_STORE : KHUM_OK;
}
