/*
 * db.c: the driver interface's entry points. The URI chooses the driver
 * (postgresql:// or postgres:// for libpq, anything else a SQLite file);
 * every other call goes to the driver that made the connection or statement.
 */
#include <string.h>

#include "db_impl.h"

bool db_uri_is_pg(const char *uri)
{
    return strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0;
}

khum_code db_open(const char *uri, db_conn **out, khum_err *err)
{
    return (db_uri_is_pg(uri) ? &db_pg_driver : &db_sqlite_driver)->open(uri, out, err);
}

khum_code db_open_readonly(const char *uri, db_conn **out, khum_err *err)
{
    return (db_uri_is_pg(uri) ? &db_pg_driver : &db_sqlite_driver)->open_readonly(uri, out, err);
}

const char *db_backend(const db_conn *c) { return c->drv->name; }
void db_close(db_conn *c) { if (c) c->drv->close(c); }
khum_code db_exec(db_conn *c, const char *sql, khum_err *err) { return c->drv->exec(c, sql, err); }
khum_code db_begin(db_conn *c, khum_err *err) { return c->drv->begin(c, err); }
khum_code db_prepare(db_conn *c, const char *sql, db_stmt **out, khum_err *err)
{
    return c->drv->prepare(c, sql, out, err);
}
void db_finalize(db_stmt *s) { if (s) s->drv->finalize(s); }
void db_reset(db_stmt *s) { s->drv->reset(s); }
void db_bind_text(db_stmt *s, int i, const char *v) { s->drv->bind_text(s, i, v); }
void db_bind_int(db_stmt *s, int i, int64_t v) { s->drv->bind_int(s, i, v); }
void db_bind_double(db_stmt *s, int i, double v) { s->drv->bind_double(s, i, v); }
void db_bind_null(db_stmt *s, int i) { s->drv->bind_null(s, i); }
int db_step(db_stmt *s, khum_err *err) { return s->drv->step(s, err); }
const char *db_col_text(db_stmt *s, int i) { return s->drv->col_text(s, i); }
int64_t db_col_int(db_stmt *s, int i) { return s->drv->col_int(s, i); }
double db_col_double(db_stmt *s, int i) { return s->drv->col_double(s, i); }
bool db_col_null(db_stmt *s, int i) { return s->drv->col_null(s, i); }
int db_col_count(db_stmt *s) { return s->drv->col_count(s); }
const char *db_col_name(db_stmt *s, int i) { return s->drv->col_name(s, i); }
int64_t db_changes(db_conn *c) { return c->drv->changes(c); }
int db_user_version(db_conn *c, khum_err *err) { return c->drv->user_version(c, err); }
khum_code db_set_user_version(db_conn *c, int v, khum_err *err)
{
    return c->drv->set_user_version(c, v, err);
}
