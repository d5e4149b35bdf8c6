/*
 * store_council.c: persons, candidate lists and the mandate ledger.
 * Ledger events are only ever inserted.
 */
#include <stdio.h>
#include <string.h>

#include "store_impl.h"

khum_code khum_store_put_candidates(khum_store *s, const char *election,
                                    const khum_candidate_row *rows, size_t n, khum_err *err)
{
    db_stmt *person, *cand, *list;
    khum_code rc = db_prepare(s->db,
        "INSERT INTO person (id, name_latin, name_km, sex, birth_year) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET name_latin = excluded.name_latin,"
        " name_km = excluded.name_km, sex = excluded.sex, birth_year = excluded.birth_year",
        &person, err);
    if (rc)
        return rc;
    if ((rc = db_prepare(s->db, "INSERT INTO candidate (election, commune, party, position,"
                                " person) VALUES (?, ?, ?, ?, ?)", &cand, err))) {
        db_finalize(person);
        return rc;
    }
    if ((rc = db_prepare(s->db, "SELECT 1 FROM election_list WHERE election = ? AND"
                                " commune = ? AND party = ?", &list, err))) {
        db_finalize(person);
        db_finalize(cand);
        return rc;
    }
    for (size_t i = 0; i < n && !rc; i++) {
        const khum_candidate_row *x = &rows[i];
        if (i == 0 || strcmp(x->commune, rows[i - 1].commune) ||
            strcmp(x->party, rows[i - 1].party)) {
            db_reset(list);
            db_bind_text(list, 1, election);
            db_bind_text(list, 2, x->commune);
            db_bind_text(list, 3, x->party);
            store_note_list(s, election, x->commune, x->party);
            int r = db_step(list, err);
            if (r == DB_ERROR) {
                rc = KHUM_ERR_STORE;
                break;
            }
            if (r == DB_DONE) {
                rc = khum_err_set(err, KHUM_ERR_INPUT, "CNL.306", "party %s does not contest "
                                  "commune %s in election %s", x->party, x->commune, election);
                khum_err_at(err, NULL, x->line, 0, NULL);
                break;
            }
        }
        db_reset(person);
        db_bind_text(person, 1, x->person);
        db_bind_text(person, 2, x->name_latin);
        db_bind_text(person, 3, x->name_km);
        db_bind_text(person, 4, x->sex);
        if (x->birth_year)
            db_bind_int(person, 5, x->birth_year);
        db_reset(cand);
        db_bind_text(cand, 1, election);
        db_bind_text(cand, 2, x->commune);
        db_bind_text(cand, 3, x->party);
        db_bind_int(cand, 4, x->position);
        db_bind_text(cand, 5, x->person);
        if (db_step(person, err) == DB_ERROR || db_step(cand, err) == DB_ERROR) {
            rc = err->code;
            if (rc == KHUM_ERR_CONFLICT)
                khum_err_set(err, KHUM_ERR_INPUT, "CNL.303", "person %s or position %d of %s in "
                             "%s is on a list of this election already", x->person,
                             x->position, x->party, x->commune);
            khum_err_at(err, NULL, x->line, 0, NULL);
        }
    }
    db_finalize(person);
    db_finalize(cand);
    db_finalize(list);
    return rc;
}

/* The rows of a candidate query whose columns are commune, party, position,
 * person, name_latin, name_km, sex and birth year, in that order. */
static khum_code candidate_rows(db_stmt *st, khum_arena *a, khum_candidate_row **rows,
                                size_t *n, khum_err *err)
{
    khum_array v;
    khum_array_init(&v, sizeof **rows, a);
    bool ok = true;
    int r;
    while (ok && (r = db_step(st, err)) == DB_ROW) {
        khum_candidate_row *x = khum_array_push(&v);
        if (!(ok = x != NULL))
            break;
        x->commune = store_dup(st, 0, a, &ok);
        x->party = store_dup(st, 1, a, &ok);
        x->position = (int)db_col_int(st, 2);
        x->person = store_dup(st, 3, a, &ok);
        x->name_latin = store_dup(st, 4, a, &ok);
        x->name_km = store_dup(st, 5, a, &ok);
        x->sex = store_dup(st, 6, a, &ok);
        x->birth_year = (int)db_col_int(st, 7);
        x->line = 0;
    }
    *rows = v.items;
    *n = ok ? v.n : 0;
    return store_list_end(st, r, ok, err);
}

#define CANDIDATE_COLUMNS "SELECT c.commune, c.party, c.position, c.person, p.name_latin," \
    " p.name_km, p.sex, coalesce(p.birth_year, 0) FROM candidate c JOIN person p ON p.id = c.person"

khum_code khum_store_commune_candidates(khum_store *s, const char *election,
                                        const char *commune, khum_arena *a,
                                        khum_candidate_row **rows, size_t *n, khum_err *err)
{
    *n = 0;
    *rows = NULL;
    db_stmt *st;
    khum_code rc = db_prepare(s->db, CANDIDATE_COLUMNS
        " WHERE c.election = ?1 AND c.commune = ?2 ORDER BY c.party, c.position", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, commune);
    return candidate_rows(st, a, rows, n, err);
}

khum_code khum_store_add_ledger_event(khum_store *s, const char *election,
                                      const khum_ledger_event *ev, const char *user,
                                      int64_t *id, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "INSERT INTO ledger_event (election, effective_date, type, commune, person, party,"
        " to_party, declining, reverses, reference, recorded_by, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", &st, err);
    if (rc)
        return rc;
    khum_buf decl;
    khum_buf_init(&decl);
    for (size_t i = 0; i < ev->ndeclining; i++)
        khum_buf_printf(&decl, "%s%s", i ? ";" : "", ev->declining[i]);
    char now[32];
    store_now(now);
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, ev->date);
    db_bind_text(st, 3, khum_event_name(ev->type));
    db_bind_text(st, 4, ev->commune ? ev->commune : "");
    db_bind_text(st, 5, ev->person ? ev->person : "");
    db_bind_text(st, 6, ev->party ? ev->party : "");
    db_bind_text(st, 7, ev->to_party ? ev->to_party : "");
    db_bind_text(st, 8, decl.data ? decl.data : "");
    if (ev->reverses > 0)
        db_bind_int(st, 9, ev->reverses);
    db_bind_text(st, 10, ev->reference ? ev->reference : "");
    db_bind_text(st, 11, user);
    db_bind_text(st, 12, now);
    int r = db_step(st, err);
    if (r == DB_ROW)
        store_note_id(s, STORE_ROWS_LEDGER, *id = db_col_int(st, 0));
    db_finalize(st);
    khum_buf_free(&decl);
    return r == DB_ROW ? KHUM_OK : (err->code ? err->code : KHUM_ERR_STORE);
}

/* Split "a;b;c" into an arena array; clears *ok when memory runs out. */
static const char *const *split(khum_arena *a, const char *s, size_t *n, bool *ok)
{
    *n = 0;
    if (!*s)
        return NULL;
    size_t parts = 1;
    for (const char *p = s; *p; p++)
        parts += *p == ';';
    const char **v = khum_arena_alloc(a, parts * sizeof *v);
    if (!v) {
        *ok = false;
        return NULL;
    }
    const char *start = s;
    for (const char *p = s;; p++)
        if (*p == ';' || !*p) {
            if (!(v[(*n)++] = khum_arena_strndup(a, start, (size_t)(p - start))))
                *ok = false;
            if (!*p)
                break;
            start = p + 1;
        }
    return v;
}

khum_code khum_store_ledger_events(khum_store *s, const char *election, const char *commune,
                                   khum_arena *a, khum_ledger_event **ev, size_t *n,
                                   khum_err *err)
{
    *n = 0;
    *ev = NULL;
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "SELECT id, effective_date, type, commune, person, party, to_party, declining,"
        " coalesce(reverses, 0), reference FROM ledger_event WHERE election = ?1"
        " AND (CAST(?2 AS TEXT) IS NULL OR commune = ?2 OR commune = '')"
        " ORDER BY effective_date, id", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, commune);
    khum_array v;
    khum_array_init(&v, sizeof **ev, a);
    bool ok = true;
    int r;
    while (ok && (r = db_step(st, err)) == DB_ROW) {
        khum_ledger_event *x = khum_array_push(&v);
        if (!(ok = x != NULL))
            break;
        x->id = db_col_int(st, 0);
        x->date = store_dup(st, 1, a, &ok);
        khum_event_parse(db_col_text(st, 2), &x->type);
        x->commune = store_dup(st, 3, a, &ok);
        x->person = store_dup(st, 4, a, &ok);
        x->party = store_dup(st, 5, a, &ok);
        x->to_party = store_dup(st, 6, a, &ok);
        x->declining = split(a, db_col_text(st, 7), &x->ndeclining, &ok);
        x->reverses = db_col_int(st, 8);
        x->reference = store_dup(st, 9, a, &ok);
    }
    *ev = v.items;
    *n = ok ? v.n : 0;
    return store_list_end(st, r, ok, err);
}

/* The LIKE pattern for a name containing q: lower case (ASCII; Khmer has no
 * case), its own % _ and \ escaped, so that a query is always plain text. */
static bool contains_pattern(const char *q, khum_buf *b)
{
    khum_buf_append(b, "%", 1);
    for (const char *p = q; *p; p++) {
        char c = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
        if (c == '%' || c == '_' || c == '\\')
            khum_buf_append(b, "\\", 1);
        khum_buf_append(b, &c, 1);
    }
    khum_buf_append(b, "%", 1);
    return !b->failed;
}

khum_code khum_store_find_candidates(khum_store *s, const char *election, const char *q,
                                     size_t limit, khum_arena *a, khum_candidate_row **rows,
                                     size_t *n, khum_err *err)
{
    *n = 0;
    *rows = NULL;
    khum_buf pat;
    khum_buf_init(&pat);
    if (!contains_pattern(q, &pat)) {
        khum_buf_free(&pat);
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    db_stmt *st;
    khum_code rc = db_prepare(s->db, CANDIDATE_COLUMNS " WHERE c.election = ?1"
        " AND (lower(p.name_latin) LIKE ?2 ESCAPE '\\' OR p.name_km LIKE ?2 ESCAPE '\\')"
        " ORDER BY p.name_latin, c.commune, c.party, c.position LIMIT ?3", &st, err);
    if (!rc) {
        db_bind_text(st, 1, election);
        db_bind_text(st, 2, pat.data);
        db_bind_int(st, 3, (int64_t)limit);
        rc = candidate_rows(st, a, rows, n, err);
    }
    khum_buf_free(&pat);
    return rc;
}
