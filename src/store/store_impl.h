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
};

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

/* UTC time as 2026-11-21T05:00:00Z. */
void store_now(char buf[32]);

#endif
