/*
 * db_sqlite.c: the SQLite driver behind db.h. Every connection runs in WAL
 * mode with foreign keys on and synchronous=FULL, so a committed import
 * survives kill -9 and power loss alike; a 5 s busy timeout lets a reader and
 * the single writer share the file. Prepared statements are cached per
 * connection by their SQL text: the store prepares the same few statements
 * thousands of times during an import, and compiling SQL would dominate.
 */
#include "db.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SIZE 48

struct db_stmt {
    sqlite3_stmt *h;
    db_conn *c;
    const char *sql;  /* the cached text, NULL when not cached */
    bool in_use;
};

struct db_conn {
    sqlite3 *h;
    db_stmt *cache[CACHE_SIZE];
    size_t ncache;
};

static khum_code sql_fail(db_conn *c, khum_err *err, const char *what)
{
    return khum_err_set(err, KHUM_ERR_STORE, "DB.901", "%s: %s", what,
                        c && c->h ? sqlite3_errmsg(c->h) : "cannot open");
}

khum_code db_open(const char *path, db_conn **out, khum_err *err)
{
    *out = NULL;
    db_conn *c = calloc(1, sizeof *c);
    if (!c)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    /* NOMUTEX: a connection is used by one thread at a time (the server pools them). */
    int rc = sqlite3_open_v2(path, &c->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                               SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        khum_err_set(err, KHUM_ERR_STORE, "DB.902", "cannot open database: %s",
                     c->h ? sqlite3_errmsg(c->h) : sqlite3_errstr(rc));
        khum_err_at(err, path, 0, 0, NULL);
        sqlite3_close(c->h);
        free(c);
        return KHUM_ERR_STORE;
    }
    sqlite3_busy_timeout(c->h, 5000);
    sqlite3_extended_result_codes(c->h, 1);
    khum_code k = db_exec(c, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                             "PRAGMA synchronous=FULL; PRAGMA cache_size=-32768; "
                             "PRAGMA temp_store=MEMORY;", err);
    if (k) {
        khum_err_at(err, path, 0, 0, NULL);
        db_close(c);
        return k;
    }
    *out = c;
    return KHUM_OK;
}

void db_close(db_conn *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->ncache; i++) {
        sqlite3_finalize(c->cache[i]->h);
        free((char *)c->cache[i]->sql);
        free(c->cache[i]);
    }
    sqlite3_close(c->h);
    free(c);
}

khum_code db_exec(db_conn *c, const char *sql, khum_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(c->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        khum_err_set(err, KHUM_ERR_STORE, "DB.901", "%s", msg ? msg : sqlite3_errmsg(c->h));
        sqlite3_free(msg);
        return KHUM_ERR_STORE;
    }
    return KHUM_OK;
}

khum_code db_prepare(db_conn *c, const char *sql, db_stmt **out, khum_err *err)
{
    *out = NULL;
    for (size_t i = 0; i < c->ncache; i++) {
        db_stmt *s = c->cache[i];
        if (!s->in_use && strcmp(s->sql, sql) == 0) {
            s->in_use = true;
            *out = s;
            return KHUM_OK;
        }
    }
    db_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    if (sqlite3_prepare_v2(c->h, sql, -1, &s->h, NULL) != SQLITE_OK) {
        free(s);
        return sql_fail(c, err, "cannot prepare statement");
    }
    s->c = c;
    s->in_use = true;
    if (c->ncache < CACHE_SIZE && (s->sql = strdup(sql)) != NULL)
        c->cache[c->ncache++] = s;
    *out = s;
    return KHUM_OK;
}

void db_finalize(db_stmt *s)
{
    if (!s)
        return;
    if (s->sql) {  /* cached: keep it compiled for the next caller */
        sqlite3_reset(s->h);
        sqlite3_clear_bindings(s->h);
        s->in_use = false;
        return;
    }
    sqlite3_finalize(s->h);
    free(s);
}

void db_reset(db_stmt *s)
{
    sqlite3_reset(s->h);
    sqlite3_clear_bindings(s->h);
}

void db_bind_text(db_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s->h, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s->h, i);
}

void db_bind_int(db_stmt *s, int i, int64_t v) { sqlite3_bind_int64(s->h, i, v); }
void db_bind_double(db_stmt *s, int i, double v) { sqlite3_bind_double(s->h, i, v); }
void db_bind_null(db_stmt *s, int i) { sqlite3_bind_null(s->h, i); }

int db_step(db_stmt *s, khum_err *err)
{
    int rc = sqlite3_step(s->h);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    const char *rule = "DB.901";
    khum_code code = KHUM_ERR_STORE;
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        rule = "DB.903";
        code = KHUM_ERR_CONFLICT;
    } else if ((rc & 0xff) == SQLITE_FULL) {
        rule = "DB.904";
    } else if ((rc & 0xff) == SQLITE_READONLY) {
        rule = "DB.905";
    }
    khum_err_set(err, code, rule, "%s", sqlite3_errmsg(s->c->h));
    return DB_ERROR;
}

const char *db_col_text(db_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s->h, i);
    return t ? (const char *)t : "";
}

int64_t db_col_int(db_stmt *s, int i) { return sqlite3_column_int64(s->h, i); }
double db_col_double(db_stmt *s, int i) { return sqlite3_column_double(s->h, i); }
bool db_col_null(db_stmt *s, int i) { return sqlite3_column_type(s->h, i) == SQLITE_NULL; }
int64_t db_changes(db_conn *c) { return sqlite3_changes(c->h); }

int db_user_version(db_conn *c, khum_err *err)
{
    db_stmt *s;
    if (db_prepare(c, "PRAGMA user_version", &s, err))
        return -1;
    int v = db_step(s, err) == DB_ROW ? (int)db_col_int(s, 0) : -1;
    db_finalize(s);
    return v;
}

khum_code db_set_user_version(db_conn *c, int v, khum_err *err)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
    return db_exec(c, sql, err);
}
