/*
 * store_probe.c: what a database holds, looked at without changing it (no
 * migration, no journal mode, no schema table): empty, a database that
 * `khum demo` built, or anything else. `khum demo` replaces only the first
 * two, so it can never destroy an election it did not make.
 */
#include "store_impl.h"

#include <string.h>

/* One integer from a query with at most one text parameter; -1 when it fails. */
static int64_t probe_int(db_conn *db, const char *sql, const char *param, khum_err *err)
{
    db_stmt *st;
    if (db_prepare(db, sql, &st, err))
        return -1;
    if (param)
        db_bind_text(st, 1, param);
    int64_t v = db_step(st, err) == DB_ROW ? db_col_int(st, 0) : -1;
    db_finalize(st);
    return v;
}

/* How many tables the database has (name NULL), or whether it has that one. */
static int64_t probe_tables(db_conn *db, const char *name, khum_err *err)
{
    static const char *const sql[2][2] = {
        {"SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
         "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?"},
        {"SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
         "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
         "AND table_name = ?"}};
    bool pg = strcmp(db_backend(db), "postgresql") == 0;
    return probe_int(db, sql[pg][name != NULL], name, err);
}

/* Did `khum demo` write the first event of the audit log? */
static int probe_demo_first(db_conn *db, khum_err *err)
{
    db_stmt *st;
    if (db_prepare(db, "SELECT type FROM audit_event ORDER BY id LIMIT 1", &st, err))
        return -1;
    int r = db_step(st, err);
    const char *type = r == DB_ROW ? db_col_text(st, 0) : NULL;  /* NULL in a foreign file */
    int demo = r == DB_ROW ? type && strcmp(type, KHUM_DEMO_EVENT) == 0 : r == DB_DONE ? 0 : -1;
    db_finalize(st);
    return demo;
}

static khum_db_kind probe_kind(db_conn *db, khum_err *err)
{
    int64_t tables = probe_tables(db, NULL, err);
    if (tables == 0)
        return KHUM_DB_EMPTY;
    if (tables < 0 || probe_tables(db, "audit_event", err) != 1 ||
        probe_tables(db, "election", err) != 1 || probe_tables(db, "area", err) != 1)
        return KHUM_DB_OTHER;   /* not a khum database, or one khum cannot read */
    int64_t events = probe_int(db, "SELECT count(*) FROM audit_event", NULL, err);
    int64_t areas = probe_int(db, "SELECT count(*) FROM area", NULL, err);
    int64_t real = probe_int(db, "SELECT count(*) FROM election WHERE synthetic = 0", NULL, err);
    int64_t elections = probe_int(db, "SELECT count(*) FROM election", NULL, err);
    if (events < 0 || areas < 0 || real < 0 || elections < 0)
        return KHUM_DB_OTHER;
    if (events == 0 && areas == 0 && elections == 0)
        return KHUM_DB_EMPTY;   /* migrated, nothing in it yet */
    return real == 0 && probe_demo_first(db, err) == 1 ? KHUM_DB_DEMO : KHUM_DB_OTHER;
}

khum_code khum_store_probe(const char *uri, khum_db_kind *kind, khum_err *err)
{
    *kind = KHUM_DB_OTHER;
    if (strncmp(uri, "sqlite:", 7) == 0)
        uri += 7;
    db_conn *db;
    khum_code rc = db_open_readonly(uri, &db, err);
    if (rc)
        return rc;
    khum_err scratch;   /* a file that is no database answers OTHER, not an error */
    khum_err_clear(&scratch);
    *kind = probe_kind(db, &scratch);
    db_close(db);
    return KHUM_OK;
}
