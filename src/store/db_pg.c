/*
 * db_pg.c: the PostgreSQL driver behind db.h, over libpq. The store's SQL is
 * written once with '?' placeholders; here '?' becomes $1, $2 ... ('?N'
 * becomes $N), the two SQLite functions the store uses are renamed
 * (instr → strpos, char → chr) and the column user, a reserved word here,
 * is quoted. Every statement is prepared (PQprepare) and
 * cached per connection by its text; parameters travel as text and the
 * server infers their types. Writers serialise on one transaction-scoped
 * advisory lock, as SQLite's BEGIN IMMEDIATE does: two clerks acting at the
 * same moment queue, never interleave, and no update is lost.
 */
#include "db_impl.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/str.h"

#define PG_CACHE 160
#define PG_MAX_PARAMS 65535  /* the protocol's limit */

typedef struct pg_conn pg_conn;

typedef struct pg_stmt {
    db_stmt base;
    pg_conn *c;
    char name[24];
    char *sql;                 /* the cache key (the store's text), NULL when not cached */
    bool in_use;
    int nparams;
    char **vals;               /* nparams values, NULL for SQL NULL */
    PGresult *res;
    int row, nrows;
    bool executed;
} pg_stmt;

struct pg_conn {
    db_conn base;
    PGconn *h;
    pg_stmt *cache[PG_CACHE];
    size_t ncache;
    unsigned next;
    int64_t changes;
};

#define PC(c) ((pg_conn *)(c))
#define PS(s) ((pg_stmt *)(s))

static void quiet(void *arg, const char *message) { (void)arg; (void)message; }

/* The store's SQL in PostgreSQL's dialect; *nparams gets the highest $n. */
static char *translate(const char *sql, int *nparams)
{
    khum_buf b;
    khum_buf_init(&b);
    int n = 0, max = 0;
    bool quoted = false;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'')
            quoted = !quoted;
        if (!quoted && *p == '?') {
            int k;
            if (p[1] >= '0' && p[1] <= '9') {
                k = (int)strtol(p + 1, (char **)&p, 10);
                p--;
            } else {
                k = ++n;
            }
            max = k > max ? k : max;
            khum_buf_printf(&b, "$%d", k);
        } else if (!quoted && !strncmp(p, "user", 4) &&
                   (p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
                   !isalnum((unsigned char)p[4]) && p[4] != '_' && p[4] != '(') {
            khum_buf_puts(&b, "\"user\"");  /* a reserved word in PostgreSQL */
            p += 3;
        } else if (!quoted && !strncmp(p, "instr(", 6)) {
            khum_buf_puts(&b, "strpos(");
            p += 5;
        } else if (!quoted && !strncmp(p, "char(", 5) && (p == sql || p[-1] == ' ' || p[-1] == '(')) {
            khum_buf_puts(&b, "chr(");
            p += 4;
        } else {
            khum_buf_putc(&b, *p);
        }
    }
    *nparams = max;
    if (b.failed) {
        khum_buf_free(&b);
        return NULL;
    }
    return b.data ? b.data : strdup("");
}

/* SQLSTATE classes to the store's rule codes. */
static khum_code pg_fail(const PGresult *r, PGconn *h, khum_err *err)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(h);
    const char *rule = "DB.901";
    khum_code code = KHUM_ERR_STORE;
    if (state && !strncmp(state, "23", 2)) {
        rule = "DB.903";
        code = KHUM_ERR_CONFLICT;
    } else if (state && (!strcmp(state, "53100") || !strcmp(state, "53200"))) {
        rule = "DB.904";
    } else if (state && !strcmp(state, "25006")) {
        rule = "DB.905";
    } else if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01"))) {
        rule = "DB.910";
        code = KHUM_ERR_CONFLICT;
    }
    char text[400];
    snprintf(text, sizeof text, "%s", msg && *msg ? msg : "PostgreSQL error");
    text[strcspn(text, "\n")] = 0;
    return khum_err_set(err, code, rule, "%s", text);
}

static khum_code pg_exec(db_conn *dc, const char *sql, khum_err *err)
{
    PGresult *r = PQexec(PC(dc)->h, sql);
    ExecStatusType st = PQresultStatus(r);
    khum_code rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? KHUM_OK
                                                                   : pg_fail(r, PC(dc)->h, err);
    PQclear(r);
    return rc;
}

static void pg_close(db_conn *dc)
{
    pg_conn *c = PC(dc);
    for (size_t i = 0; i < c->ncache; i++) {
        pg_stmt *s = c->cache[i];
        PQclear(s->res);
        for (int k = 0; k < s->nparams; k++)
            free(s->vals[k]);
        free(s->vals);
        free(s->sql);
        free(s);
    }
    PQfinish(c->h);
    free(c);
}

static khum_code pg_open(const char *uri, db_conn **out, khum_err *err)
{
    *out = NULL;
    pg_conn *c = calloc(1, sizeof *c);
    if (!c)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    c->base.drv = &db_pg_driver;
    c->h = PQconnectdb(uri);
    if (PQstatus(c->h) != CONNECTION_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(c->h));
        msg[strcspn(msg, "\n")] = 0;
        PQfinish(c->h);
        free(c);
        khum_err_set(err, KHUM_ERR_STORE, "DB.902", "cannot connect to PostgreSQL: %s", msg);
        khum_err_at(err, uri, 0, 0, NULL);
        return KHUM_ERR_STORE;
    }
    PQsetNoticeProcessor(c->h, quiet, NULL);
    khum_code rc = pg_exec(&c->base, "SET client_min_messages TO warning;"
                                     " SET standard_conforming_strings TO on", err);
    if (rc) {
        pg_close(&c->base);
        return rc;
    }
    *out = &c->base;
    return KHUM_OK;
}

/* 'khum' as a number: the writers' advisory lock. A lock not had (its wait
 * timed out) ends the transaction it began, so the connection stays usable. */
static khum_code pg_begin(db_conn *c, khum_err *err)
{
    khum_code rc = pg_exec(c, "BEGIN; SELECT pg_advisory_xact_lock(1802004845)", err);
    if (rc)
        pg_exec(c, "ROLLBACK", NULL);
    return rc;
}

static void clear_binds(pg_stmt *s)
{
    for (int k = 0; k < s->nparams; k++) {
        free(s->vals[k]);
        s->vals[k] = NULL;
    }
}

static void pg_reset(db_stmt *ds)
{
    pg_stmt *s = PS(ds);
    PQclear(s->res);
    s->res = NULL;
    s->executed = false;
    s->row = -1;
    s->nrows = 0;
    clear_binds(s);
}

static khum_code pg_prepare(db_conn *dc, const char *sql, db_stmt **out, khum_err *err)
{
    pg_conn *c = PC(dc);
    *out = NULL;
    for (size_t i = 0; i < c->ncache; i++) {
        pg_stmt *s = c->cache[i];
        if (!s->in_use && strcmp(s->sql, sql) == 0) {
            s->in_use = true;
            pg_reset(&s->base);
            *out = &s->base;
            return KHUM_OK;
        }
    }
    pg_stmt *s = calloc(1, sizeof *s);
    int n = 0;
    char *text = s ? translate(sql, &n) : NULL;
    if (n > PG_MAX_PARAMS) {
        free(text);
        free(s);
        return khum_err_set(err, KHUM_ERR_STORE, "DB.901", "a statement with %d parameters "
                            "(PostgreSQL takes at most %d)", n, PG_MAX_PARAMS);
    }
    if (!s || !text || !(s->vals = calloc((size_t)n + 1, sizeof *s->vals))) {
        free(text);
        free(s);
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    s->base.drv = &db_pg_driver;
    s->c = c;
    s->nparams = n;
    s->row = -1;
    snprintf(s->name, sizeof s->name, "k%u", c->next++);
    PGresult *r = PQprepare(c->h, s->name, text, 0, NULL);
    free(text);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        khum_code rc = pg_fail(r, c->h, err);
        PQclear(r);
        free(s->vals);
        free(s);
        return rc;
    }
    PQclear(r);
    s->in_use = true;
    if (c->ncache < PG_CACHE && (s->sql = strdup(sql)) != NULL)
        c->cache[c->ncache++] = s;
    *out = &s->base;
    return KHUM_OK;
}

static void pg_finalize(db_stmt *ds)
{
    pg_stmt *s = PS(ds);
    pg_reset(ds);
    if (s->sql) {  /* cached: keep it prepared for the next caller */
        s->in_use = false;
        return;
    }
    char sql[64];
    snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
    PQclear(PQexec(s->c->h, sql));
    free(s->vals);
    free(s);
}

static void set_val(pg_stmt *s, int i, char *v)
{
    if (i < 1 || i > s->nparams) {
        free(v);
        return;
    }
    free(s->vals[i - 1]);
    s->vals[i - 1] = v;
}

static void pg_bind_text(db_stmt *s, int i, const char *v) { set_val(PS(s), i, v ? strdup(v) : NULL); }
static void pg_bind_null(db_stmt *s, int i) { set_val(PS(s), i, NULL); }

static void pg_bind_int(db_stmt *s, int i, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    set_val(PS(s), i, strdup(buf));
}

static void pg_bind_double(db_stmt *s, int i, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    set_val(PS(s), i, strdup(buf));
}

static int pg_step(db_stmt *ds, khum_err *err)
{
    pg_stmt *s = PS(ds);
    if (!s->executed) {
        s->executed = true;
        s->res = PQexecPrepared(s->c->h, s->name, s->nparams, (const char *const *)s->vals,
                                NULL, NULL, 0);
        ExecStatusType st = PQresultStatus(s->res);
        if (st == PGRES_COMMAND_OK) {
            s->c->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
            return DB_DONE;
        }
        if (st != PGRES_TUPLES_OK) {
            pg_fail(s->res, s->c->h, err);
            return DB_ERROR;
        }
        s->nrows = PQntuples(s->res);
        s->c->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
        s->row = -1;
    }
    return ++s->row < s->nrows ? DB_ROW : DB_DONE;
}

static const char *pg_col_text(db_stmt *ds, int i)
{
    pg_stmt *s = PS(ds);
    if (!s->res || s->row < 0 || s->row >= s->nrows || PQgetisnull(s->res, s->row, i))
        return "";
    return PQgetvalue(s->res, s->row, i);
}

static int64_t pg_col_int(db_stmt *ds, int i)
{
    const char *t = pg_col_text(ds, i);
    if (t[0] == 't' && !t[1])
        return 1;  /* a boolean */
    return strtoll(t, NULL, 10);
}

static double pg_col_double(db_stmt *ds, int i) { return strtod(pg_col_text(ds, i), NULL); }

static bool pg_col_null(db_stmt *ds, int i)
{
    pg_stmt *s = PS(ds);
    return !s->res || s->row < 0 || s->row >= s->nrows || PQgetisnull(s->res, s->row, i);
}

static int pg_col_count(db_stmt *s) { return PS(s)->res ? PQnfields(PS(s)->res) : 0; }
static const char *pg_col_name(db_stmt *s, int i) { return PS(s)->res ? PQfname(PS(s)->res, i) : ""; }
static int64_t pg_changes(db_conn *c) { return PC(c)->changes; }

/* The schema version lives in a one-row table (SQLite keeps it in a pragma),
 * created only where missing: a hot-standby replica refuses any DDL, even
 * CREATE TABLE IF NOT EXISTS, and a read-only server must open it. */
static int pg_user_version(db_conn *c, khum_err *err)
{
    PGresult *r = PQexec(PC(c)->h, "SELECT to_regclass('khum_schema') IS NOT NULL");
    bool exists = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
                  PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!exists &&
        pg_exec(c, "CREATE TABLE IF NOT EXISTS khum_schema (version INTEGER NOT NULL)", err))
        return -1;
    r = PQexec(PC(c)->h, "SELECT coalesce(max(version), 0) FROM khum_schema");
    int v = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        v = atoi(PQgetvalue(r, 0, 0));
    else
        pg_fail(r, PC(c)->h, err);
    PQclear(r);
    return v;
}

static khum_code pg_set_user_version(db_conn *c, int v, khum_err *err)
{
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM khum_schema; INSERT INTO khum_schema VALUES (%d)", v);
    return pg_exec(c, sql, err);
}

const db_driver db_pg_driver = {
    "postgresql", pg_open, pg_close, pg_exec, pg_begin, pg_prepare, pg_finalize, pg_reset,
    pg_bind_text, pg_bind_int, pg_bind_double, pg_bind_null, pg_step, pg_col_text, pg_col_int,
    pg_col_double, pg_col_null, pg_col_count, pg_col_name, pg_changes, pg_user_version, pg_set_user_version,
    pg_open,  /* a libpq connection changes nothing by opening */
};
