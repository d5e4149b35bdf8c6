/*
 * store_copy.c: moving a whole deployment between databases (SQLite file to
 * PostgreSQL and back). Every table is copied, a batch of rows per
 * statement, in the order the migrations create them (parents before
 * children), in one transaction on the target, which must be empty. Then the
 * copy is verified: every table's row count, and the audit chain verified on
 * the target ending in the source's head.
 */
#include "store_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/str.h"

/* Every table, parents first. Tables whose id is an identity column are
 * marked: PostgreSQL's sequence must move past the copied ids. */
static const struct { const char *name; bool identity; } tables[] = {
    {"area", false}, {"population", false}, {"council_size", false}, {"party", false},
    {"import_log", true}, {"election", false}, {"election_commune", false},
    {"election_list", false}, {"station", false}, {"form_entry", true},
    {"form_version", false}, {"form_event", true}, {"form_explanation", false},
    {"commune_lots", false}, {"commune_official", false}, {"official_total", false},
    {"person", false}, {"candidate", false}, {"ledger_event", true}, {"ledger_lots", false},
    {"app_user", false}, {"app_session", false}, {"audit_event", true}, {"audit_row", false},
    {"rla_audit", false}, {"rla_manifest", false}, {"rla_round", false}, {"rla_sample", false},
    {"rla_reading", true},
};

static int64_t count_rows(khum_store *s, const char *table, khum_err *err)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    db_stmt *st;
    if (db_prepare(s->db, sql, &st, err))
        return -1;
    int64_t n = db_step(st, err) == DB_ROW ? db_col_int(st, 0) : -1;
    db_finalize(st);
    return n;
}

/* Rows are inserted a batch at a time (one statement of up to BATCH rows):
 * over a network, one round trip per row would make a national copy take
 * minutes. */
enum { BATCH = 256, MAX_PARAMS = 30000 };

typedef struct batch {
    khum_arena a;
    const char **vals;        /* rows x ncol values, NULL for SQL NULL */
    size_t rows, cap;
    int ncol;
    khum_buf head, sql;       /* "INSERT INTO t (cols) VALUES ", and the statement */
} batch;

static khum_code flush(khum_store *to, batch *b, khum_err *err)
{
    if (b->rows == 0)
        return KHUM_OK;
    khum_buf_reset(&b->sql);
    khum_buf_append(&b->sql, b->head.data, b->head.len);
    for (size_t r = 0; r < b->rows; r++) {
        khum_buf_puts(&b->sql, r ? ",(" : "(");
        for (int i = 0; i < b->ncol; i++)
            khum_buf_puts(&b->sql, i ? ",?" : "?");
        khum_buf_putc(&b->sql, ')');
    }
    if (b->sql.failed)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    db_stmt *st;
    khum_code rc = db_prepare(to->db, b->sql.data, &st, err);
    if (rc)
        return rc;
    for (size_t k = 0; k < b->rows * (size_t)b->ncol; k++) {
        if (b->vals[k])
            db_bind_text(st, (int)k + 1, b->vals[k]);
        else
            db_bind_null(st, (int)k + 1);
    }
    if (db_step(st, err) == DB_ERROR)
        rc = err->code ? err->code : KHUM_ERR_STORE;
    db_finalize(st);
    b->rows = 0;
    khum_arena_reset(&b->a);
    return rc;
}

static khum_code copy_table(khum_store *from, khum_store *to, const char *table,
                            bool identity, int64_t *rows, khum_err *err)
{
    char sql[96];
    /* Parents before children within a table too: areas by level, rows with
     * ids (a ledger event may reverse an earlier one) by id. */
    snprintf(sql, sizeof sql, "SELECT * FROM %s%s", table,
             !strcmp(table, "area") ? " ORDER BY level, code" : identity ? " ORDER BY id" : "");
    db_stmt *src;
    khum_code rc = db_prepare(from->db, sql, &src, err);
    if (rc)
        return rc;
    batch b = {0};
    khum_arena_init(&b.a, 0);
    khum_buf_init(&b.head);
    khum_buf_init(&b.sql);
    int r;
    *rows = 0;
    while (!rc && (r = db_step(src, err)) == DB_ROW) {
        if (!b.ncol) {  /* the INSERT's head, from the source's columns */
            b.ncol = db_col_count(src);
            b.cap = (size_t)(MAX_PARAMS / b.ncol < BATCH ? MAX_PARAMS / b.ncol : BATCH);
            b.vals = calloc(b.cap * (size_t)b.ncol, sizeof *b.vals);
            khum_buf_printf(&b.head, "INSERT INTO %s (", table);
            for (int i = 0; i < b.ncol; i++)
                khum_buf_printf(&b.head, "%s%s", i ? ", " : "", db_col_name(src, i));
            khum_buf_puts(&b.head, ") VALUES ");
            if (!b.vals || b.head.failed) {
                rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
                break;
            }
        }
        const char **row = &b.vals[b.rows * (size_t)b.ncol];
        for (int i = 0; i < b.ncol; i++)
            row[i] = db_col_null(src, i) ? NULL : khum_arena_strdup(&b.a, db_col_text(src, i));
        (*rows)++;
        if (++b.rows == b.cap)
            rc = flush(to, &b, err);
    }
    if (!rc && r == DB_ERROR)
        rc = KHUM_ERR_STORE;
    if (!rc)
        rc = flush(to, &b, err);
    if (rc && !*err->field)
        khum_err_at(err, NULL, 0, 0, table);
    db_finalize(src);
    free(b.vals);
    khum_buf_free(&b.head);
    khum_buf_free(&b.sql);
    khum_arena_free(&b.a);
    return rc;
}

khum_code khum_store_copy(khum_store *from, khum_store *to, khum_copy_stats *st,
                          void (*progress)(const char *table, int64_t rows, void *arg),
                          void *arg, khum_err *err)
{
    memset(st, 0, sizeof *st);
    /* Both stores are at this khum's schema version: opening migrates them. */
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        int64_t n = count_rows(to, tables[i].name, err);
        if (n != 0)
            return n < 0 ? KHUM_ERR_STORE
                         : khum_err_set(err, KHUM_ERR_CONFLICT, "DB.912", "the target is not "
                                        "empty (table %s has %lld rows): copy into a new "
                                        "database", tables[i].name, (long long)n);
    }
    khum_code rc = khum_store_begin(to, err);
    for (size_t i = 0; !rc && i < sizeof tables / sizeof *tables; i++) {
        int64_t rows = 0;
        rc = copy_table(from, to, tables[i].name, tables[i].identity, &rows, err);
        st->rows += rows;
        st->tables++;
        if (!rc && progress)
            progress(tables[i].name, rows, arg);
        if (!rc && tables[i].identity && !strcmp(db_backend(to->db), "postgresql")) {
            char sql[200];
            snprintf(sql, sizeof sql, "SELECT setval(pg_get_serial_sequence('%s', 'id'),"
                     " coalesce((SELECT max(id) FROM %s), 0) + 1, false)",
                     tables[i].name, tables[i].name);
            rc = db_exec(to->db, sql, err);
        }
    }
    if (!rc)
        rc = khum_store_commit(to, err);
    if (rc) {
        khum_store_rollback(to);
        return rc;
    }
    return khum_store_copy_verify(from, to, st, err);
}

khum_code khum_store_copy_verify(khum_store *from, khum_store *to, khum_copy_stats *st,
                                 khum_err *err)
{
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        int64_t a = count_rows(from, tables[i].name, err), b = count_rows(to, tables[i].name, err);
        if (a < 0 || b < 0)
            return KHUM_ERR_STORE;
        if (a != b)
            return khum_err_set(err, KHUM_ERR_STORE, "DB.913", "table %s: %lld rows in the "
                                "source, %lld in the copy", tables[i].name, (long long)a,
                                (long long)b);
    }
    int64_t ida, idb;
    char ha[KHUM_SHA256_HEX], hb[KHUM_SHA256_HEX];
    khum_code rc;
    if ((rc = khum_store_audit_head(from, &ida, ha, err)) ||
        (rc = khum_store_audit_head(to, &idb, hb, err)))
        return rc;
    size_t checked;
    if ((rc = khum_store_audit_verify(to, &checked, hb, err)))
        return rc;
    if (ida != idb || strcmp(ha, hb))
        return khum_err_set(err, KHUM_ERR_STORE, "DB.913", "the copy's audit head (%lld %.16s) "
                            "is not the source's (%lld %.16s)", (long long)idb, hb,
                            (long long)ida, ha);
    st->audit_events = checked;
    snprintf(st->audit_head, sizeof st->audit_head, "%s", ha);
    return KHUM_OK;
}
