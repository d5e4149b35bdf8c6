/*
 * store.c: opening a database, choosing the driver from the URI, applying
 * schema migrations, and transactions. Migrations are the SQL files in
 * src/store/schema/, compiled in by embed.cmake; PRAGMA user_version holds how
 * many have been applied, and each one runs in its own transaction.
 */
#include "store_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char *const khum_schema_migrations[];
extern const size_t khum_schema_migrations_count;

int khum_store_schema_latest(void)
{
    return (int)khum_schema_migrations_count;
}

/* A migration that rebuilds a table other tables refer to carries the line
 * "-- @foreign-keys-off": SQLite's procedure for a schema change ALTER TABLE
 * cannot make needs foreign keys off, which a transaction cannot switch, so
 * the runner switches them around the migration's own transaction. */
static bool wants_foreign_keys_off(const char *sql)
{
    return strstr(sql, "\n-- @foreign-keys-off\n") != NULL;
}

static khum_code apply_migration(khum_store *s, int i, bool pg, khum_err *err)
{
    khum_code rc;
    char *sql = pg ? store_schema_pg(khum_schema_migrations[i]) : NULL;
    if (pg && !sql)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    if ((rc = db_begin(s->db, err))) {
        free(sql);
        return rc;
    }
    rc = db_exec(s->db, pg ? sql : khum_schema_migrations[i], err);
    free(sql);
    if (rc ||
        (rc = db_set_user_version(s->db, i + 1, err))) {
        db_exec(s->db, "ROLLBACK", NULL);
        return rc;
    }
    return db_exec(s->db, "COMMIT", err);
}

static khum_code migrate(khum_store *s, khum_err *err)
{
    int v = db_user_version(s->db, err);
    if (v < 0)
        return KHUM_ERR_STORE;
    int latest = khum_store_schema_latest();
    if (v > latest)
        return khum_err_set(err, KHUM_ERR_STORE, "DB.906",
                            "the database has schema version %d, newer than this khum "
                            "knows (%d): upgrade khum", v, latest);
    bool pg = strcmp(db_backend(s->db), "postgresql") == 0;
    for (int i = v; i < latest; i++) {
        bool fk_off = !pg && wants_foreign_keys_off(khum_schema_migrations[i]);
        khum_code rc = fk_off ? db_exec(s->db, "PRAGMA foreign_keys=OFF", err) : KHUM_OK;
        if (!rc)
            rc = apply_migration(s, i, pg, err);
        if (fk_off) {
            khum_err ignored;
            khum_err_clear(&ignored);
            khum_code on = db_exec(s->db, "PRAGMA foreign_keys=ON", rc ? &ignored : err);
            rc = rc ? rc : on;
        }
        if (rc)
            return rc;
    }
    s->version = latest;
    return KHUM_OK;
}

khum_code khum_store_open(const char *uri, khum_store **out, khum_err *err)
{
    *out = NULL;
    if (strncmp(uri, "sqlite:", 7) == 0)
        uri += 7;
    khum_store *s = calloc(1, sizeof *s);
    if (!s)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    snprintf(s->actor, sizeof s->actor, "system");
    khum_buf_init(&s->notes);
    khum_code rc = db_open(uri, &s->db, err);
    if (!rc && (rc = migrate(s, err)))
        khum_err_at(err, uri, 0, 0, NULL);
    if (rc) {
        khum_store_close(s);
        return rc;
    }
    *out = s;
    return KHUM_OK;
}

void khum_store_close(khum_store *s)
{
    if (!s)
        return;
    db_close(s->db);
    store_notes_clear(s);
    khum_buf_free(&s->notes);
    free(s);
}

bool khum_store_uri_is_postgres(const char *uri)
{
    return db_uri_is_pg(uri);
}

void khum_store_set_actor(khum_store *s, const char *actor)
{
    snprintf(s->actor, sizeof s->actor, "%s", actor && *actor ? actor : "system");
}

const char *khum_store_backend(const khum_store *s)
{
    return db_backend(s->db);
}

int khum_store_schema_version(const khum_store *s)
{
    return s->version;
}

khum_code khum_store_begin(khum_store *s, khum_err *err)
{
    /* Take the writers' lock now, so a concurrent writer waits here rather
     * than failing half-way through an import. */
    store_notes_clear(s);
    return s->batch ? db_exec(s->db, "SAVEPOINT khum_op", err) : db_begin(s->db, err);
}

khum_code khum_store_commit(khum_store *s, khum_err *err)
{
    store_notes_clear(s);
    return db_exec(s->db, s->batch ? "RELEASE SAVEPOINT khum_op" : "COMMIT", err);
}

void khum_store_rollback(khum_store *s)
{
    store_notes_clear(s);
    if (!s->batch) {
        db_exec(s->db, "ROLLBACK", NULL);
        return;
    }
    db_exec(s->db, "ROLLBACK TO SAVEPOINT khum_op", NULL);
    db_exec(s->db, "RELEASE SAVEPOINT khum_op", NULL);
}

khum_code khum_store_batch_begin(khum_store *s, khum_err *err)
{
    store_notes_clear(s);
    khum_code rc = db_begin(s->db, err);
    s->batch = rc == KHUM_OK;
    return rc;
}

khum_code khum_store_batch_commit(khum_store *s, khum_err *err)
{
    s->batch = false;
    store_notes_clear(s);
    khum_code rc = db_exec(s->db, "COMMIT", err);
    if (rc)
        db_exec(s->db, "ROLLBACK", NULL);
    return rc;
}

void khum_store_batch_rollback(khum_store *s)
{
    s->batch = false;
    khum_store_rollback(s);
}

khum_code khum_store_set_lock_wait(khum_store *s, int ms, khum_err *err)
{
    char sql[64];
    if (strcmp(db_backend(s->db), "postgresql") == 0)  /* 0 would mean: wait forever */
        snprintf(sql, sizeof sql, "SET lock_timeout = %d", ms > 0 ? ms : 1);
    else
        snprintf(sql, sizeof sql, "PRAGMA busy_timeout = %d", ms > 0 ? ms : 0);
    return db_exec(s->db, sql, err);
}

void khum_store_set_hook(khum_store *s, khum_store_hook_fn fn, void *ctx)
{
    s->hook = fn;
    s->hook_ctx = ctx;
}

void khum_store_hook(khum_store *s, const char *point)
{
    if (s->hook)
        s->hook(s->hook_ctx, point);
}
