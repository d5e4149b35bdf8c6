/*
 * db.h (internal to src/store): the small SQL driver interface the store is
 * written against: connect, prepare with '?' placeholders, bind, step, read
 * columns. Two drivers implement it, SQLite (db_sqlite.c) and libpq
 * (db_pg.c, which rewrites '?' to $n), so every query in the store is written
 * once.
 */
#ifndef KHUM_STORE_DB_H
#define KHUM_STORE_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "khum/err.h"

typedef struct db_conn db_conn;
typedef struct db_stmt db_stmt;

enum { DB_ROW = 1, DB_DONE = 0, DB_ERROR = -1 };

/* uri: a SQLite file path, or postgresql://user@host:port/dbname (libpq). */
khum_code db_open(const char *uri, db_conn **out, khum_err *err);
/* The same, for reading only: nothing in the database is changed, not even
 * SQLite's journal mode (to look at a database khum may not own). */
khum_code db_open_readonly(const char *uri, db_conn **out, khum_err *err);
bool db_uri_is_pg(const char *uri);   /* postgresql:// or postgres:// */
void db_close(db_conn *c);
const char *db_backend(const db_conn *c);                       /* "sqlite", "postgresql" */
khum_code db_exec(db_conn *c, const char *sql, khum_err *err);  /* several statements */
/* Begin a write transaction that holds the one writer's lock from its start,
 * so that two writers never interleave (SQLite BEGIN IMMEDIATE; PostgreSQL a
 * transaction-scoped advisory lock). */
khum_code db_begin(db_conn *c, khum_err *err);
khum_code db_prepare(db_conn *c, const char *sql, db_stmt **out, khum_err *err);
void db_finalize(db_stmt *s);
void db_reset(db_stmt *s);

void db_bind_text(db_stmt *s, int i, const char *v);   /* 1-based; NULL binds NULL */
void db_bind_int(db_stmt *s, int i, int64_t v);
void db_bind_double(db_stmt *s, int i, double v);
void db_bind_null(db_stmt *s, int i);

int db_step(db_stmt *s, khum_err *err);   /* DB_ROW, DB_DONE or DB_ERROR */
const char *db_col_text(db_stmt *s, int i);  /* "" for NULL */
int64_t db_col_int(db_stmt *s, int i);
double db_col_double(db_stmt *s, int i);
bool db_col_null(db_stmt *s, int i);
/* Columns of the result (after the first db_step for PostgreSQL). */
int db_col_count(db_stmt *s);
const char *db_col_name(db_stmt *s, int i);
int64_t db_changes(db_conn *c);

int db_user_version(db_conn *c, khum_err *err);          /* -1 on error */
khum_code db_set_user_version(db_conn *c, int v, khum_err *err);

#endif
