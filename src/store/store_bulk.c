/*
 * store_bulk.c: storing a whole batch of digitized forms in an election that
 * has none yet. The rows are exactly those the one-form calls write (entry,
 * votes, version, event); only the statements differ: multi-row INSERTs of
 * up to BULK_ROWS rows, entry ids assigned here, one timestamp per batch.
 * For 23,602 forms that is ~1,100 statements instead of ~95,000. The
 * states are the app's (khum_entry_next decided each form's import); this
 * file only writes them.
 */
#include "store_impl.h"

#include <stdio.h>
#include <string.h>

#include "khum/str.h"

enum { BULK_ROWS = 64 };   /* x 16 parameters, well under SQLite's 32,766 */

const char *store_multi_insert(khum_buf *b, const char *head, int ncols, size_t rows)
{
    khum_buf_reset(b);
    khum_buf_puts(b, head);
    khum_buf_puts(b, " VALUES ");
    for (size_t r = 0; r < rows; r++) {
        khum_buf_puts(b, r ? ",(" : "(");
        for (int c = 0; c < ncols; c++)
            khum_buf_puts(b, c ? ",?" : "?");
        khum_buf_putc(b, ')');
    }
    return b->failed ? NULL : b->data;
}

typedef struct bulk {
    khum_store *s;
    khum_buf sql;
    db_stmt *st;
    const char *head;     /* the statement's table and columns */
    khum_buf votes[BULK_ROWS];  /* the votes JSON of the rows being bound */
    size_t rows;          /* rows the prepared statement takes */
    int param;            /* next parameter */
} bulk;

static khum_code bulk_prepare(bulk *k, const char *head, int ncols, size_t rows, khum_err *err)
{
    if (k->st && k->rows == rows && k->head == head) {
        db_reset(k->st);
        k->param = 1;
        return KHUM_OK;
    }
    if (k->st)
        db_finalize(k->st);
    k->st = NULL;
    const char *sql = store_multi_insert(&k->sql, head, ncols, rows);
    if (!sql)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    k->rows = rows;
    k->head = head;
    k->param = 1;
    return db_prepare(k->s->db, sql, &k->st, err);
}

static khum_code bulk_run(bulk *k, khum_err *err)
{
    return db_step(k->st, err) == DB_ERROR ? (err->code ? err->code : KHUM_ERR_STORE)
                                           : KHUM_OK;
}

static void txt(bulk *k, const char *v) { db_bind_text(k->st, k->param++, v); }
static void num(bulk *k, int64_t v) { db_bind_int(k->st, k->param++, v); }

static khum_code put_entries(bulk *k, const char *election, const khum_form *f, size_t n,
                             int64_t base, const char *source, const char *now, khum_err *err)
{
    khum_code rc = KHUM_OK;
    for (size_t i = 0; i < n && !rc; i += BULK_ROWS) {
        size_t m = n - i < BULK_ROWS ? n - i : BULK_ROWS;
        if ((rc = bulk_prepare(k, "INSERT INTO form_entry (id, election, station, version, slot,"
                               " entered_by, entered_at, registered, received, ballots_cast,"
                               " spoiled, unused, valid, invalid, votes, blank)", 16, m,
                               err)))
            break;
        for (size_t j = i; j < i + m; j++) {
            num(k, base + (int64_t)j + 1);
            txt(k, election);
            txt(k, f[j].station);
            num(k, 1);
            num(k, 0);
            txt(k, source);
            txt(k, now);
            const int64_t v[] = {f[j].registered, f[j].received, f[j].cast, f[j].spoiled,
                                 f[j].unused, f[j].valid, f[j].invalid};
            for (int c = 0; c < 7; c++)
                num(k, v[c]);
            store_votes_json(&f[j], &k->votes[j - i]);
            txt(k, k->votes[j - i].failed ? "{}" : k->votes[j - i].data);
            num(k, f[j].blank);
        }
        rc = bulk_run(k, err);
    }
    return rc;
}

static khum_code put_versions(bulk *k, const char *election, const khum_form *f,
                              const khum_form_state *state, size_t n, int64_t base,
                              const char *source, const char *now, khum_err *err)
{
    khum_code rc = KHUM_OK;
    for (size_t i = 0; i < n && !rc; i += BULK_ROWS) {
        size_t m = n - i < BULK_ROWS ? n - i : BULK_ROWS;
        if ((rc = bulk_prepare(k, "INSERT INTO form_version (election, station, version, state,"
                               " first_entry, accepted_entry, opened_by, opened_at)", 8, m, err)))
            break;
        for (size_t j = i; j < i + m; j++) {
            txt(k, election);
            txt(k, f[j].station);
            num(k, 1);
            txt(k, khum_form_state_name(state[j]));
            num(k, base + (int64_t)j + 1);
            num(k, base + (int64_t)j + 1);
            txt(k, source);
            txt(k, now);
        }
        rc = bulk_run(k, err);
    }
    return rc;
}

static khum_code put_events(bulk *k, const char *election, const khum_form *f,
                            const khum_form_state *state, size_t n, const char *source,
                            const char *now, khum_err *err)
{
    khum_code rc = KHUM_OK;
    for (size_t i = 0; i < n && !rc; i += BULK_ROWS) {
        size_t m = n - i < BULK_ROWS ? n - i : BULK_ROWS;
        if ((rc = bulk_prepare(k, "INSERT INTO form_event (election, station, version, action,"
                               " from_state, to_state, actor, at)", 8, m, err)))
            break;
        for (size_t j = i; j < i + m; j++) {
            txt(k, election);
            txt(k, f[j].station);
            num(k, 1);
            txt(k, khum_entry_action_name(KHUM_ACT_IMPORT));
            txt(k, khum_form_state_name(KHUM_FS_EMPTY));
            txt(k, khum_form_state_name(state[j]));
            txt(k, source);
            txt(k, now);
        }
        rc = bulk_run(k, err);
    }
    return rc;
}

khum_code khum_store_put_forms_fresh(khum_store *s, const char *election, const khum_form *f,
                                     const khum_form_state *state, size_t n,
                                     const char *source, int64_t *first_id, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT coalesce(max(id), 0) FROM form_entry", &st, err);
    if (rc)
        return rc;
    int r = db_step(st, err);
    int64_t base = r == DB_ROW ? db_col_int(st, 0) : 0;
    db_finalize(st);
    if (r == DB_ERROR)
        return KHUM_ERR_STORE;
    char now[32];
    store_now(now);
    bulk k = {.s = s};
    khum_buf_init(&k.sql);
    for (int i = 0; i < BULK_ROWS; i++)
        khum_buf_init(&k.votes[i]);
    if (!(rc = put_entries(&k, election, f, n, base, source, now, err)) &&
        !(rc = put_versions(&k, election, f, state, n, base, source, now, err)))
        rc = put_events(&k, election, f, state, n, source, now, err);
    store_note_fresh_forms(s, election, base + 1, base + (int64_t)n);
    if (k.st)
        db_finalize(k.st);
    khum_buf_free(&k.sql);
    for (int i = 0; i < BULK_ROWS; i++)
        khum_buf_free(&k.votes[i]);
    if (first_id)
        *first_id = base + 1;
    return rc;
}
