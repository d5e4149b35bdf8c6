/*
 * store_impl.h (internal to src/store): the store handle and helpers shared
 * by the store's files.
 */
#ifndef KHUM_STORE_IMPL_H
#define KHUM_STORE_IMPL_H

#include "db.h"
#include "khum/array.h"
#include "khum/store.h"
#include "khum/str.h"

struct khum_store {
    db_conn *db;
    int version;
    char actor[64];     /* who the audit log names for imports (khum_store_set_actor) */
    khum_store_hook_fn hook;   /* a test's hook (khum_store_set_hook), NULL when none */
    void *hook_ctx;
    khum_buf notes;     /* store_row_note: recorded rows written since the last event */
    bool batch;         /* inside khum_store_batch_begin: operations are savepoints */
};

/* ---- the rows an audit event commits to (store_rows.c) ---------------------- */

/* The tables whose rows are recorded: an event digests the ones it wrote. */
typedef enum store_rows_table {
    STORE_ROWS_FORM_ENTRY, STORE_ROWS_FORM_VERSION, STORE_ROWS_EXPLANATION,
    STORE_ROWS_LOTS, STORE_ROWS_OFFICIAL, STORE_ROWS_TOTAL, STORE_ROWS_CANDIDATE,
    STORE_ROWS_LEDGER, STORE_ROWS_TABLES
} store_rows_table;

typedef struct store_row_note {
    store_rows_table table;
    const char *where;      /* static SQL; ? takes params in order */
    int nparams;
    char *params[4];
} store_row_note;

/* A write function notes the rows it wrote, in the transaction; the next
 * audit event (khum_store_audit) reads them back and commits to them. By
 * key (store_note_key with the key's text columns, for keys of at most
 * three, store_note_id, or
 * store_note_form for form_version and form_explanation rows, code NULL for
 * the former), or by a WHERE clause of static text (store_note). Noting a
 * row twice is harmless. Begin, commit and rollback forget the notes. */
void store_note(khum_store *s, store_rows_table t, const char *where, int nparams,
                const char *const *params);
void store_note_key(khum_store *s, store_rows_table t, const char *k1, const char *k2,
                    const char *k3);
void store_note_id(khum_store *s, store_rows_table t, int64_t id);
void store_note_form(khum_store *s, store_rows_table t, const char *election,
                     const char *station, int version, const char *code);
/* The shapes of several rows at once: a commune made official (its
 * commune_official row and every form version of its stations), the forms
 * of a bulk import (entries first..last and every form version of the
 * election, which had none before), one party's candidate list. */
void store_note_official(khum_store *s, const char *election, const char *commune);
void store_note_fresh_forms(khum_store *s, const char *election, int64_t first, int64_t last);
void store_note_list(khum_store *s, const char *election, const char *commune,
                     const char *party);
/* Every official total of one area (one query for its fields). */
void store_note_totals(khum_store *s, const char *election, const char *area);
void store_notes_clear(khum_store *s);
/* The noted rows read back and digested (rows: an array of them in a buffer,
 * keys in a), and the event's digest of them ("" when none). */
khum_code store_rows_collect(khum_store *s, khum_arena *a, khum_buf *rows,
                             char digest[KHUM_SHA256_HEX], khum_err *err);
khum_code store_rows_save(khum_store *s, int64_t event, const khum_buf *rows, khum_err *err);
/* Every recorded row against the latest event that wrote it (AUD.503, AUD.504). */
khum_code store_rows_verify(khum_store *s, size_t *checked, khum_err *err);

/* "INSERT INTO t (cols) VALUES (?,?,..),(...)" in b for rows rows of ncols
 * (store_bulk.c); NULL when out of memory. */
const char *store_multi_insert(khum_buf *b, const char *head, int ncols, size_t rows);

/* Run a prepared statement that returns no rows; finalizes it. */
static inline khum_code store_run(db_stmt *st, khum_err *err)
{
    int r = db_step(st, err);
    db_finalize(st);
    return r == DB_ERROR ? (err ? err->code : KHUM_ERR_STORE) : KHUM_OK;
}

/* Out of memory, as the error every list function returns for it. */
static inline khum_code store_nomem(khum_err *err)
{
    return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
}

/* Column i as a string in the arena; clears *ok when memory runs out, so a
 * row is checked once after all its columns are copied. */
static inline const char *store_dup(db_stmt *st, int i, khum_arena *a, bool *ok)
{
    const char *p = khum_arena_strdup(a, db_col_text(st, i));
    *ok = *ok && p;
    return p;
}

/* How a list function ends: the statement's error, else out of memory when a
 * row could not be copied, else success. Finalizes the statement. */
static inline khum_code store_list_end(db_stmt *st, int r, bool ok, khum_err *err)
{
    db_finalize(st);
    if (r == DB_ERROR)
        return err && err->code ? err->code : KHUM_ERR_STORE;
    return ok ? KHUM_OK : store_nomem(err);
}

/* A form's votes as form_entry.votes JSON (keys sorted), and back
 * (store_votes.c): KHUM_ERR_INPUT when the text is not such an object,
 * KHUM_ERR_NOMEM when memory runs out. */
void store_votes_json(const khum_form *f, khum_buf *b);
khum_code store_votes_parse(const char *s, khum_arena *a, khum_form *f);

/* A migration in PostgreSQL's dialect (schema_pg.c); the caller frees it. */
char *store_schema_pg(const char *sql);

/* Bind the form states that count as a result (accepted, official) as
 * parameters i and i + 1: state names are spelt only in store_forms.c. */
void store_bind_result_states(db_stmt *st, int i);

/* UTC time as 2026-11-21T05:00:00Z. */
void store_now(char buf[32]);

#endif
