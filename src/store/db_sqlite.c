/*
 * db_sqlite.c: the SQLite driver behind db.h. Every connection runs in WAL
 * mode with foreign keys on and synchronous=FULL, so a committed import
 * survives kill -9 and power loss alike; a 5 s busy timeout lets a reader and
 * the single writer share the file. Prepared statements are cached per
 * connection by their SQL text: the store prepares the same few statements
 * thousands of times during an import, and compiling SQL would dominate.
 */
#include "db_impl.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SIZE 48

typedef struct sq_conn sq_conn;

typedef struct sq_stmt {
    db_stmt base;
    sqlite3_stmt *h;
    sq_conn *c;
    const char *sql;  /* the cached text, NULL when not cached */
    bool in_use;
} sq_stmt;

struct sq_conn {
    db_conn base;
    sqlite3 *h;
    int ro_cause;       /* opened read-only because of: 0 no, SQLITE_FULL, SQLITE_READONLY */
    sq_stmt *cache[CACHE_SIZE];
    size_t ncache;
};

static khum_code sq_exec(db_conn *dc, const char *sql, khum_err *err);
static void sq_close(db_conn *dc);

/* An SQLite result code as a khum error: constraint → DB.903 (conflict),
 * full disk → DB.904, read-only → DB.905, anything else DB.901. A connection
 * that had to open read-only because the disk was full says so. */
static khum_code sq_error(sq_conn *c, int rc, const char *msg, khum_err *err)
{
    int prim = rc & 0xff;
    if (prim == SQLITE_READONLY && c && c->ro_cause == SQLITE_FULL)
        prim = SQLITE_FULL;
    if (prim == SQLITE_CONSTRAINT)
        return khum_err_set(err, KHUM_ERR_CONFLICT, "DB.903", "%s", msg);
    if (prim == SQLITE_FULL)
        return khum_err_set(err, KHUM_ERR_STORE, "DB.904", "the disk is full: nothing was "
                            "written (free space, then try again)");
    if (prim == SQLITE_READONLY)
        return khum_err_set(err, KHUM_ERR_STORE, "DB.905", "the database is read-only (a "
                            "read-only file system, or no permission to write the file): "
                            "nothing was written");
    return khum_err_set(err, KHUM_ERR_STORE, "DB.901", "%s", msg);
}

static khum_code sql_fail(sq_conn *c, khum_err *err, const char *what)
{
    return khum_err_set(err, KHUM_ERR_STORE, "DB.901", "%s: %s", what,
                        c && c->h ? sqlite3_errmsg(c->h) : "cannot open");
}

/* file:PATH?QUERY with the path's URI metacharacters escaped. */
static void file_uri(char *buf, size_t cap, const char *path, const char *query)
{
    size_t n = (size_t)snprintf(buf, cap, "file:");
    for (const char *p = path; *p && n + 4 < cap; p++)
        n += (size_t)(strchr("?#%", *p) ? snprintf(buf + n, cap - n, "%%%02X", (unsigned char)*p)
                                        : snprintf(buf + n, cap - n, "%c", *p));
    snprintf(buf + n, cap - n, "?%s", query);
}

/* Open path read-write, or when the file or its file system is read-only,
 * read-only (mode=ro, then immutable=1 for read-only media, where SQLite
 * cannot even make its shared-memory file): reads go on, and a write fails
 * with DB.905 instead of the database failing to open at all. */
static int open_handle(const char *path, sqlite3 **h, int *ro_cause)
{
    *ro_cause = 0;
    int rc = sqlite3_open_v2(path, h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                          SQLITE_OPEN_NOMUTEX, NULL);
    int wal = SQLITE_READONLY;
    if (rc == SQLITE_OK && sqlite3_db_readonly(*h, "main") != 1) {
        sqlite3_extended_result_codes(*h, 1);
        wal = sqlite3_exec(*h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (wal == SQLITE_OK)
            return SQLITE_OK;
        /* Without room for the write-ahead log a full disk looks like an I/O error. */
        wal = (wal & 0xff) == SQLITE_FULL || (wal & 0xff) == SQLITE_IOERR ? SQLITE_FULL
                                                                         : SQLITE_READONLY;
    }
    char uri[4200];
    static const char *const modes[] = {"mode=ro", "immutable=1"};
    for (int i = 0; i < 2; i++) {
        sqlite3_close(*h);
        *h = NULL;
        file_uri(uri, sizeof uri, path, modes[i]);
        rc = sqlite3_open_v2(uri, h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                             NULL);
        if (rc == SQLITE_OK &&
            sqlite3_exec(*h, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) == SQLITE_OK) {
            *ro_cause = wal;
            return SQLITE_OK;
        }
    }
    return rc == SQLITE_OK ? SQLITE_CANTOPEN : rc;
}

static khum_code sq_open(const char *path, db_conn **out, khum_err *err)
{
    *out = NULL;
    sq_conn *c = calloc(1, sizeof *c);
    if (!c)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    c->base.drv = &db_sqlite_driver;
    /* NOMUTEX: a connection is used by one thread at a time (the server pools them). */
    int rc = open_handle(path, &c->h, &c->ro_cause);
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
    khum_code k = sq_exec(&c->base, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
                                    " PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;", err);
    if (k) {
        khum_err_at(err, path, 0, 0, NULL);
        sq_close(&c->base);
        return k;
    }
    *out = &c->base;
    return KHUM_OK;
}

/* mode=ro: SQLite neither creates the file nor switches its journal mode. */
static khum_code sq_open_readonly(const char *path, db_conn **out, khum_err *err)
{
    *out = NULL;
    sq_conn *c = calloc(1, sizeof *c);
    if (!c)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    c->base.drv = &db_sqlite_driver;
    c->ro_cause = SQLITE_READONLY;
    char uri[4200];
    file_uri(uri, sizeof uri, path, "mode=ro");
    int rc = sqlite3_open_v2(uri, &c->h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
                                             SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        khum_err_set(err, KHUM_ERR_STORE, "DB.902", "cannot open database: %s",
                     c->h ? sqlite3_errmsg(c->h) : sqlite3_errstr(rc));
        khum_err_at(err, path, 0, 0, NULL);
        sq_close(&c->base);
        return KHUM_ERR_STORE;
    }
    sqlite3_busy_timeout(c->h, 5000);
    sqlite3_extended_result_codes(c->h, 1);
    *out = &c->base;
    return KHUM_OK;
}

static void sq_close(db_conn *dc)
{
    sq_conn *c = (sq_conn *)dc;
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

static khum_code sq_exec(db_conn *dc, const char *sql, khum_err *err)
{
    sq_conn *c = (sq_conn *)dc;
    char *msg = NULL;
    int rc = sqlite3_exec(c->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        khum_code k = sq_error(c, sqlite3_extended_errcode(c->h), msg ? msg : sqlite3_errmsg(c->h),
                               err);
        sqlite3_free(msg);
        return k;
    }
    return KHUM_OK;
}

static khum_code sq_prepare(db_conn *dc, const char *sql, db_stmt **out, khum_err *err)
{
    sq_conn *c = (sq_conn *)dc;
    *out = NULL;
    for (size_t i = 0; i < c->ncache; i++) {
        sq_stmt *s = c->cache[i];
        if (!s->in_use && strcmp(s->sql, sql) == 0) {
            s->in_use = true;
            *out = &s->base;
            return KHUM_OK;
        }
    }
    sq_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    if (sqlite3_prepare_v2(c->h, sql, -1, &s->h, NULL) != SQLITE_OK) {
        free(s);
        return sql_fail(c, err, "cannot prepare statement");
    }
    s->base.drv = &db_sqlite_driver;
    s->c = c;
    s->in_use = true;
    if (c->ncache < CACHE_SIZE && (s->sql = strdup(sql)) != NULL)
        c->cache[c->ncache++] = s;
    *out = &s->base;
    return KHUM_OK;
}

static void sq_finalize(db_stmt *ds)
{
    sq_stmt *s = (sq_stmt *)ds;
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

static void sq_reset(db_stmt *ds)
{
    sq_stmt *s = (sq_stmt *)ds;
    sqlite3_reset(s->h);
    sqlite3_clear_bindings(s->h);
}

static void sq_bind_text(db_stmt *ds, int i, const char *v)
{
    sq_stmt *s = (sq_stmt *)ds;
    if (v)
        sqlite3_bind_text(s->h, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s->h, i);
}

#define SQ(s) ((sq_stmt *)(s))
static void sq_bind_int(db_stmt *s, int i, int64_t v) { sqlite3_bind_int64(SQ(s)->h, i, v); }
static void sq_bind_double(db_stmt *s, int i, double v) { sqlite3_bind_double(SQ(s)->h, i, v); }
static void sq_bind_null(db_stmt *s, int i) { sqlite3_bind_null(SQ(s)->h, i); }

static int sq_step(db_stmt *ds, khum_err *err)
{
    sq_stmt *s = (sq_stmt *)ds;
    int rc = sqlite3_step(s->h);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    sq_error(s->c, sqlite3_extended_errcode(s->c->h), sqlite3_errmsg(s->c->h), err);
    return DB_ERROR;
}

static const char *sq_col_text(db_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(SQ(s)->h, i);
    return t ? (const char *)t : "";
}

static int64_t sq_col_int(db_stmt *s, int i) { return sqlite3_column_int64(SQ(s)->h, i); }
static double sq_col_double(db_stmt *s, int i) { return sqlite3_column_double(SQ(s)->h, i); }
static bool sq_col_null(db_stmt *s, int i) { return sqlite3_column_type(SQ(s)->h, i) == SQLITE_NULL; }
static int sq_col_count(db_stmt *s) { return sqlite3_column_count(SQ(s)->h); }
static const char *sq_col_name(db_stmt *s, int i) { return sqlite3_column_name(SQ(s)->h, i); }
static int64_t sq_changes(db_conn *c) { return sqlite3_changes(((sq_conn *)c)->h); }

static int sq_user_version(db_conn *c, khum_err *err)
{
    db_stmt *s;
    if (sq_prepare(c, "PRAGMA user_version", &s, err))
        return -1;
    int v = sq_step(s, err) == DB_ROW ? (int)sq_col_int(s, 0) : -1;
    sq_finalize(s);
    return v;
}

static khum_code sq_set_user_version(db_conn *c, int v, khum_err *err)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
    return sq_exec(c, sql, err);
}

/* One writer at a time: BEGIN IMMEDIATE takes the write lock at once, so a
 * transaction never fails half-way to upgrade its lock. */
static khum_code sq_begin(db_conn *c, khum_err *err)
{
    return sq_exec(c, "BEGIN IMMEDIATE", err);
}

const db_driver db_sqlite_driver = {
    "sqlite", sq_open, sq_close, sq_exec, sq_begin, sq_prepare, sq_finalize, sq_reset,
    sq_bind_text, sq_bind_int, sq_bind_double, sq_bind_null, sq_step, sq_col_text, sq_col_int,
    sq_col_double, sq_col_null, sq_col_count, sq_col_name, sq_changes, sq_user_version, sq_set_user_version,
    sq_open_readonly,
};
