/*
 * store_rows.c: the recorded rows an audit event commits to. The store's
 * write functions note which rows they wrote (store_note*, one line each);
 * the transaction's next audit event reads those rows back, digests each in
 * its table's layout (khum_audit_row_digest), keeps the digests in
 * audit_row and commits to all of them in its own hash (rows_digest).
 *
 * Reading back, rather than digesting the values in hand, means the digest
 * is of what is stored, made by the same code `khum audit verify` runs: a
 * layout cannot drift between writer and checker. A note is a WHERE clause,
 * so one note covers the 23,602 entries of a bulk import in one query.
 * Verify recomputes every row from the tables and compares it with the
 * digest of the latest event that wrote it (a form version or an official
 * total is written again as it moves on); it names the first that differs.
 */
#include "store_impl.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct row_table {
    const char *name;
    const char *cols;       /* the layout: the digest's columns, in order */
    int nkey;               /* the first nkey columns are the primary key */
    const char *key_where;  /* one row by its key */
    int votes_col;          /* form_entry.votes, digested in canonical form; -1 none */
    bool zero_last_out;     /* the last column is left out of the digest when it is 0 */
} row_table;

/* docs/server.md lists these layouts: change one only with a new row hash version. */
static const row_table tables[STORE_ROWS_TABLES] = {
    [STORE_ROWS_FORM_ENTRY] = {"form_entry", "id, election, station, version, slot,"
        " entered_by, entered_at, registered, received, ballots_cast, spoiled, unused, valid,"
        " invalid, votes, blank", 1, "id = ?", 14, true},
    [STORE_ROWS_FORM_VERSION] = {"form_version", "election, station, version, state,"
        " first_entry, second_entry, accepted_entry, reason, reference, opened_by, opened_at",
        3, "election = ? AND station = ? AND version = ?", -1, false},
    [STORE_ROWS_EXPLANATION] = {"form_explanation", "election, station, version, code, text,"
        " explained_by, explained_at", 4,
        "election = ? AND station = ? AND version = ? AND code = ?", -1, false},
    [STORE_ROWS_LOTS] = {"commune_lots", "election, commune, seed, drawn_by, drawn_at", 2,
        "election = ? AND commune = ?", -1, false},
    [STORE_ROWS_OFFICIAL] = {"commune_official", "election, commune, official_by,"
        " official_at", 2, "election = ? AND commune = ?", -1, false},
    [STORE_ROWS_TOTAL] = {"official_total", "election, area, field, value", 3,
        "election = ? AND area = ? AND field = ?", -1, false},
    [STORE_ROWS_CANDIDATE] = {"candidate", "election, commune, party, position, person", 4,
        "election = ? AND commune = ? AND party = ? AND position = ?", -1, false},
    [STORE_ROWS_LEDGER] = {"ledger_event", "id, election, effective_date, type, commune,"
        " person, party, to_party, declining, reverses, reference, recorded_by, recorded_at",
        1, "id = ?", -1, false},
};

enum { MAX_COLS = 16 };

/* ---- noting what a write function wrote ------------------------------------ */

void store_note(khum_store *s, store_rows_table t, const char *where, int nparams,
                const char *const *params)
{
    store_row_note n = {.table = t, .where = where ? where : tables[t].key_where,
                        .nparams = nparams < 4 ? nparams : 4};
    for (int i = 0; i < nparams && i < 4; i++)
        if (!(n.params[i] = strdup(params[i] ? params[i] : "")))
            s->notes.failed = true;
    if (!khum_buf_append(&s->notes, &n, sizeof n))
        for (int i = 0; i < 4; i++)
            free(n.params[i]);
}

void store_note_key(khum_store *s, store_rows_table t, const char *k1, const char *k2,
                    const char *k3)
{
    const char *p[] = {k1, k2, k3};
    store_note(s, t, NULL, tables[t].nkey, p);
}

void store_note_id(khum_store *s, store_rows_table t, int64_t id)
{
    char v[24];
    snprintf(v, sizeof v, "%" PRId64, id);
    const char *p[] = {v};
    store_note(s, t, NULL, 1, p);
}

void store_note_form(khum_store *s, store_rows_table t, const char *election,
                     const char *station, int version, const char *code)
{
    char v[16];
    snprintf(v, sizeof v, "%d", version);
    const char *p[] = {election, station, v, code};
    store_note(s, t, NULL, tables[t].nkey, p);
}

void store_note_official(khum_store *s, const char *election, const char *commune)
{
    const char *p[] = {election, commune};
    store_note(s, STORE_ROWS_OFFICIAL, NULL, 2, p);
    store_note(s, STORE_ROWS_FORM_VERSION, "election = ?1 AND station IN (SELECT code FROM"
               " station WHERE election = ?1 AND commune = ?2)", 2, p);
}

void store_note_fresh_forms(khum_store *s, const char *election, int64_t first, int64_t last)
{
    char a[24], b[24];
    snprintf(a, sizeof a, "%" PRId64, first);
    snprintf(b, sizeof b, "%" PRId64, last);
    const char *range[] = {a, b};
    store_note(s, STORE_ROWS_FORM_ENTRY, "id BETWEEN ? AND ?", 2, range);
    store_note(s, STORE_ROWS_FORM_VERSION, "election = ?", 1, &election);
}

void store_note_list(khum_store *s, const char *election, const char *commune,
                     const char *party)
{
    const char *p[] = {election, commune, party};
    store_note(s, STORE_ROWS_CANDIDATE, "election = ? AND commune = ? AND party = ?", 3, p);
}

void store_note_totals(khum_store *s, const char *election, const char *area)
{
    const char *p[] = {election, area};
    store_note(s, STORE_ROWS_TOTAL, "election = ? AND area = ?", 2, p);
}

void store_notes_clear(khum_store *s)
{
    store_row_note *n = (store_row_note *)(void *)s->notes.data;
    for (size_t i = 0; n && i < s->notes.len / sizeof *n; i++)
        for (int k = 0; k < 4; k++)
            free(n[i].params[k]);
    khum_buf_reset(&s->notes);
    s->notes.failed = false;
}

/* ---- reading rows back and digesting them ----------------------------------- */

typedef void (*row_fn)(void *arg, store_rows_table t, const char *key, const char *digest);

/* Digest the current row at st in table t's layout; key gets the primary key
 * joined by '/'. scratch and votes (reused from row to row: a bulk import
 * reads back 23,602 entries) hold the canonical votes. */
static bool digest_row(db_stmt *st, store_rows_table t, khum_arena *scratch, khum_buf *votes,
                       khum_buf *key, char digest[KHUM_SHA256_HEX])
{
    const row_table *rt = &tables[t];
    int ncols = db_col_count(st);
    const char *v[MAX_COLS];
    for (int i = 0; i < ncols && i < MAX_COLS; i++)
        v[i] = db_col_text(st, i);
    if (rt->votes_col >= 0) {  /* whatever JSON spelling is stored, the figures count */
        khum_form f = {0};
        khum_arena_reset(scratch);
        if (store_votes_parse(v[rt->votes_col], scratch, &f)) {
            store_votes_json(&f, votes);
            v[rt->votes_col] = votes->failed ? "" : votes->data;
        }
    }
    /* blank (schema 10) joined the layout after entries had been digested:
     * an entry without blank ballots digests as it always did, so every
     * earlier digest still verifies, and one with them covers them too. */
    if (rt->zero_last_out && ncols > 0 && ncols <= MAX_COLS && strcmp(v[ncols - 1], "0") == 0)
        ncols--;
    khum_buf_reset(key);
    for (int i = 0; i < rt->nkey; i++) {
        if (i)
            khum_buf_putc(key, '/');
        khum_buf_puts(key, v[i]);
    }
    khum_audit_row_digest(rt->name, v, (size_t)(ncols < MAX_COLS ? ncols : MAX_COLS), digest);
    return !key->failed && !votes->failed;
}

/* Every row of table t matching where (NULL: all), to fn. */
static khum_code read_rows(khum_store *s, store_rows_table t, const char *where, int nparams,
                           char *const *params, row_fn fn, void *arg, khum_err *err)
{
    char sql[700];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s%s%s", tables[t].cols, tables[t].name,
             where ? " WHERE " : "", where ? where : "");
    db_stmt *st;
    khum_code rc = db_prepare(s->db, sql, &st, err);
    if (rc)
        return rc;
    for (int i = 0; i < nparams; i++)
        db_bind_text(st, i + 1, params[i]);
    khum_arena scratch;
    khum_arena_init(&scratch, 0);
    khum_buf key, votes;
    khum_buf_init(&key);
    khum_buf_init(&votes);
    char digest[KHUM_SHA256_HEX];
    int r;
    while ((r = db_step(st, err)) == DB_ROW) {
        if (!digest_row(st, t, &scratch, &votes, &key, digest)) {
            rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            break;
        }
        fn(arg, t, key.data, digest);
    }
    db_finalize(st);
    khum_buf_free(&key);
    khum_buf_free(&votes);
    khum_arena_free(&scratch);
    if (!rc && r == DB_ERROR)
        rc = err->code ? err->code : KHUM_ERR_STORE;
    return rc;
}

/* ---- the rows of one audit event ------------------------------------------ */

typedef struct event_row {
    store_rows_table table;
    const char *key;
    char digest[KHUM_SHA256_HEX];
} event_row;

typedef struct collect {
    khum_arena *a;
    khum_buf *rows;     /* event_row, in the order written */
    bool failed;
} collect;

static void collect_row(void *arg, store_rows_table t, const char *key, const char *digest)
{
    collect *c = arg;
    event_row r = {.table = t, .key = khum_arena_strdup(c->a, key)};
    memcpy(r.digest, digest, KHUM_SHA256_HEX);
    if (!r.key || !khum_buf_append(c->rows, &r, sizeof r))
        c->failed = true;
}

khum_code store_rows_collect(khum_store *s, khum_arena *a, khum_buf *rows,
                             char digest[KHUM_SHA256_HEX], khum_err *err)
{
    *digest = 0;
    if (s->notes.failed)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    collect c = {.a = a, .rows = rows};
    store_row_note *n = (store_row_note *)(void *)s->notes.data;
    size_t nn = n ? s->notes.len / sizeof *n : 0;
    khum_code rc = KHUM_OK;
    for (size_t i = 0; i < nn && !rc; i++)
        rc = read_rows(s, n[i].table, n[i].where, n[i].nparams, n[i].params, collect_row, &c,
                       err);
    if (!rc && c.failed)
        rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    if (rc || rows->len == 0)
        return rc;
    khum_audit_rows acc;
    khum_audit_rows_init(&acc);
    const event_row *r = (const event_row *)(const void *)rows->data;
    for (size_t i = 0; i < rows->len / sizeof *r; i++)
        khum_audit_rows_add(&acc, tables[r[i].table].name, r[i].key, r[i].digest);
    khum_audit_rows_final(&acc, digest);
    return KHUM_OK;
}

khum_code store_rows_save(khum_store *s, int64_t event, const khum_buf *rows, khum_err *err)
{
    enum { BATCH = 100 };   /* x 5 parameters a statement */
    const event_row *r = (const event_row *)(const void *)rows->data;
    size_t n = r ? rows->len / sizeof *r : 0;
    khum_buf sql;
    khum_buf_init(&sql);
    khum_code rc = KHUM_OK;
    for (size_t i = 0; i < n && !rc; i += BATCH) {
        size_t m = n - i < BATCH ? n - i : BATCH;
        const char *text = store_multi_insert(&sql, "INSERT INTO audit_row (event, seq, tbl,"
                                              " row_key, digest)", 5, m);
        db_stmt *st;
        if (!text) {
            rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            break;
        }
        if ((rc = db_prepare(s->db, text, &st, err)))
            break;
        int p = 1;
        for (size_t j = i; j < i + m; j++) {
            db_bind_int(st, p++, event);
            db_bind_int(st, p++, (int64_t)j + 1);
            db_bind_text(st, p++, tables[r[j].table].name);
            db_bind_text(st, p++, r[j].key);
            db_bind_text(st, p++, r[j].digest);
        }
        rc = store_run(st, err);
    }
    khum_buf_free(&sql);
    return rc;
}

/* ---- verify: every row against the latest event that wrote it --------------- */

typedef struct current_row {
    const char *key;
    char digest[KHUM_SHA256_HEX];
} current_row;

typedef struct current {
    khum_arena *a;
    khum_buf rows[STORE_ROWS_TABLES];   /* current_row, sorted by key once read */
    bool failed;
} current;

static void current_add(void *arg, store_rows_table t, const char *key, const char *digest)
{
    current *c = arg;
    current_row r = {.key = khum_arena_strdup(c->a, key)};
    memcpy(r.digest, digest, KHUM_SHA256_HEX);
    if (!r.key || !khum_buf_append(&c->rows[t], &r, sizeof r))
        c->failed = true;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const current_row *)a)->key, ((const current_row *)b)->key);
}

static const current_row *current_find(const current *c, store_rows_table t, const char *key)
{
    current_row k = {.key = key};
    const khum_buf *b = &c->rows[t];
    return b->data ? bsearch(&k, b->data, b->len / sizeof k, sizeof k, by_key) : NULL;
}

static int table_index(const char *name)
{
    for (int t = 0; t < STORE_ROWS_TABLES; t++)
        if (!strcmp(tables[t].name, name))
            return t;
    return -1;
}

/* The rows of one event as stored in audit_row, checked: first that they are
 * the rows its hash committed to (AUD.504), then that each row whose latest
 * writer this event is still has the content it had then (AUD.503). */
typedef struct stored_row {
    int table;
    const char *key;
    char digest[KHUM_SHA256_HEX];
    bool latest;
} stored_row;

static khum_code check_event(const current *c, int64_t event, const char *rows_digest,
                             const khum_buf *rows, size_t *checked, khum_err *err)
{
    const stored_row *r = (const stored_row *)(const void *)rows->data;
    size_t n = r ? rows->len / sizeof *r : 0;
    char got[KHUM_SHA256_HEX] = "";
    bool known = true;
    if (n) {
        khum_audit_rows acc;
        khum_audit_rows_init(&acc);
        for (size_t i = 0; i < n; i++) {
            known = known && r[i].table >= 0;
            khum_audit_rows_add(&acc, r[i].table >= 0 ? tables[r[i].table].name : "?",
                                r[i].key, r[i].digest);
        }
        khum_audit_rows_final(&acc, got);
    }
    if (!known || strcmp(got, rows_digest) != 0)
        return khum_err_set(err, KHUM_ERR_INPUT, "AUD.504",
                            "audit event %" PRId64 ": the rows it recorded (audit_row) are not "
                            "the ones its hash commits to: a row digest was changed, added "
                            "or removed", event);
    for (size_t i = 0; i < n; i++) {
        if (!r[i].latest)
            continue;   /* a later event wrote this row again: that one is checked */
        const current_row *now = current_find(c, (store_rows_table)r[i].table, r[i].key);
        if (!now)
            return khum_err_set(err, KHUM_ERR_INPUT, "AUD.503",
                                "%s %s, written by audit event %" PRId64 ", is missing: it "
                                "was deleted after it was recorded", tables[r[i].table].name,
                                r[i].key, event);
        if (strcmp(now->digest, r[i].digest) != 0)
            return khum_err_set(err, KHUM_ERR_INPUT, "AUD.503",
                                "%s %s, written by audit event %" PRId64 ", was changed: its "
                                "content no longer matches the digest recorded then",
                                tables[r[i].table].name, r[i].key, event);
        (*checked)++;
    }
    return KHUM_OK;
}

static khum_code read_current(khum_store *s, current *c, khum_err *err)
{
    khum_code rc = KHUM_OK;
    for (int t = 0; t < STORE_ROWS_TABLES && !rc; t++) {
        rc = read_rows(s, (store_rows_table)t, NULL, 0, NULL, current_add, c, err);
        if (!rc && c->failed)
            rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        if (!rc && c->rows[t].data)
            khum_sort(c->rows[t].data, c->rows[t].len / sizeof(current_row),
                      sizeof(current_row), by_key);
    }
    return rc;
}

static const char verify_sql[] =
    "SELECT e.id, e.rows_digest, coalesce(r.tbl, ''), coalesce(r.row_key, ''),"
    " coalesce(r.digest, ''), CASE WHEN r.event IS NULL THEN 0 WHEN EXISTS (SELECT 1"
    "  FROM audit_row l WHERE l.tbl = r.tbl AND l.row_key = r.row_key AND l.event > r.event)"
    "  THEN 0 ELSE 1 END"
    " FROM audit_event e LEFT JOIN audit_row r ON r.event = e.id"
    " WHERE e.rows_digest <> '' OR r.event IS NOT NULL ORDER BY e.id, r.seq";

khum_code store_rows_verify(khum_store *s, size_t *checked, khum_err *err)
{
    *checked = 0;
    khum_arena a, ev;
    khum_arena_init(&a, 0);
    khum_arena_init(&ev, 0);
    current c = {.a = &a};
    khum_buf rows;
    khum_buf_init(&rows);
    for (int t = 0; t < STORE_ROWS_TABLES; t++)
        khum_buf_init(&c.rows[t]);
    db_stmt *st = NULL;
    khum_code rc = read_current(s, &c, err);
    if (!rc)
        rc = db_prepare(s->db, verify_sql, &st, err);
    int64_t event = 0;
    const char *rows_digest = "";
    int r = DB_DONE;
    while (!rc && (r = db_step(st, err)) == DB_ROW) {
        if (db_col_int(st, 0) != event) {
            if (event && (rc = check_event(&c, event, rows_digest, &rows, checked, err)))
                break;
            event = db_col_int(st, 0);
            khum_arena_reset(&ev);
            khum_buf_reset(&rows);
            rows_digest = khum_arena_strdup(&ev, db_col_text(st, 1));
        }
        if (!*db_col_text(st, 2) && !*db_col_text(st, 3))
            continue;   /* an event with a digest but no rows: checked as empty */
        stored_row sr = {.table = table_index(db_col_text(st, 2)),
                         .key = khum_arena_strdup(&ev, db_col_text(st, 3)),
                         .latest = db_col_int(st, 5) != 0};
        snprintf(sr.digest, sizeof sr.digest, "%s", db_col_text(st, 4));
        if (!rows_digest || !sr.key || !khum_buf_append(&rows, &sr, sizeof sr))
            rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    if (!rc && r == DB_ERROR)
        rc = err->code ? err->code : KHUM_ERR_STORE;
    if (!rc && event)
        rc = check_event(&c, event, rows_digest, &rows, checked, err);
    if (st)
        db_finalize(st);
    for (int t = 0; t < STORE_ROWS_TABLES; t++)
        khum_buf_free(&c.rows[t]);
    khum_buf_free(&rows);
    khum_arena_free(&ev);
    khum_arena_free(&a);
    return rc;
}
