/*
 * store_impl.h (internal to src/store): the store handle and helpers shared
 * by the store's files.
 */
#ifndef KHUM_STORE_IMPL_H
#define KHUM_STORE_IMPL_H

#include "db.h"
#include "khum/store.h"
#include "khum/str.h"

struct khum_store {
    db_conn *db;
    int version;
    char actor[64];     /* who the audit log names for imports (khum_store_set_actor) */
    khum_store_hook_fn hook;   /* a test's hook (khum_store_set_hook), NULL when none */
    void *hook_ctx;
};

/* Run a prepared statement that returns no rows; finalizes it. */
static inline khum_code store_run(db_stmt *st, khum_err *err)
{
    int r = db_step(st, err);
    db_finalize(st);
    return r == DB_ERROR ? (err ? err->code : KHUM_ERR_STORE) : KHUM_OK;
}

/* A form's votes as form_entry.votes JSON (keys sorted), and back (store_votes.c). */
void store_votes_json(const khum_form *f, khum_buf *b);
bool store_votes_parse(const char *s, khum_arena *a, khum_form *f);

/* A migration in PostgreSQL's dialect (schema_pg.c); the caller frees it. */
char *store_schema_pg(const char *sql);

/* Bind the form states that count as a result (accepted, official) as
 * parameters i and i + 1: state names are spelt only in store_forms.c. */
void store_bind_result_states(db_stmt *st, int i);

/* UTC time as 2026-11-21T05:00:00Z. */
void store_now(char buf[32]);

#endif
