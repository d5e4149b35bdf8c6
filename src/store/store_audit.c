/*
 * store_audit.c: appending to the hash-chained audit log, reading it back
 * with filters, and checking the whole chain, then the recorded rows its
 * events committed to (store_rows.c). An event is appended inside
 * the caller's write transaction (BEGIN IMMEDIATE), so reading the last
 * hash and inserting the next event cannot interleave with another writer.
 */
#include "store_impl.h"

#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "khum/audit.h"

/* UTC with milliseconds: events of one second keep a readable order. */
static void now_ms(char buf[40])
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    size_t n = strftime(buf, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, 40 - n, ".%03dZ", (int)(tv.tv_usec / 1000));
}

khum_code khum_store_audit_head(khum_store *s, int64_t *id, char hash[KHUM_SHA256_HEX],
                                khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT id, hash FROM audit_event"
                                     " ORDER BY id DESC LIMIT 1", &st, err);
    if (rc)
        return rc;
    int r = db_step(st, err);
    *id = 0;
    snprintf(hash, KHUM_SHA256_HEX, "%s", KHUM_AUDIT_GENESIS);
    if (r == DB_ROW) {
        *id = db_col_int(st, 0);
        snprintf(hash, KHUM_SHA256_HEX, "%s", db_col_text(st, 1));
    }
    db_finalize(st);
    return r == DB_ERROR ? KHUM_ERR_STORE : KHUM_OK;
}

/* The text fields of an event as valid UTF-8: bytes that are not (a refused
 * request's URL, a file name) become \xHH, so that PostgreSQL can store the
 * event at all and the public list can show it; both backends keep the same
 * text. esc[i] holds field i's escaped copy when one is needed. */
static void make_valid(const char **f[], size_t n, khum_buf esc[])
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(*f[i]);
        if (khum_utf8_valid(*f[i], len))
            continue;
        khum_utf8_escape(&esc[i], *f[i], len);
        *f[i] = esc[i].failed ? "" : esc[i].data;
    }
}

/* The event commits to the rows the transaction wrote since the last one
 * (store_rows.c): their digest is its tenth hashed field, and the rows'
 * keys and digests go to audit_row after it. */
static khum_code audit_append(khum_store *s, const khum_audit_event *in, int64_t *id,
                              khum_buf esc[], khum_arena *a, khum_buf *rows, khum_err *err)
{
    khum_audit_event ev = *in;
    char prev[KHUM_SHA256_HEX], hash[KHUM_SHA256_HEX], at[40], digest[KHUM_SHA256_HEX];
    int64_t last;
    khum_code rc = khum_store_audit_head(s, &last, prev, err);
    if (!rc)
        rc = store_rows_collect(s, a, rows, digest, err);
    if (rc)
        return rc;
    ev.rows = digest;
    now_ms(at);
    ev.id = last + 1;
    ev.at = at;
    ev.prev = prev;
    const char **f[] = {&ev.actor, &ev.type, &ev.object, &ev.area, &ev.before, &ev.after};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        if (!*f[i])
            *f[i] = "";
    if (!*ev.actor)
        ev.actor = s->actor;
    make_valid(f, sizeof f / sizeof *f, esc);
    khum_audit_hash(&ev, hash);
    db_stmt *st;
    if ((rc = db_prepare(s->db, "INSERT INTO audit_event (id, at, actor, type, object, area,"
                                " before, after, prev_hash, hash, rows_digest)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, err)))
        return rc;
    db_bind_int(st, 1, ev.id);
    db_bind_text(st, 2, ev.at);
    db_bind_text(st, 3, ev.actor);
    db_bind_text(st, 4, ev.type);
    db_bind_text(st, 5, ev.object);
    db_bind_text(st, 6, ev.area);
    db_bind_text(st, 7, ev.before);
    db_bind_text(st, 8, ev.after);
    db_bind_text(st, 9, ev.prev);
    db_bind_text(st, 10, hash);
    db_bind_text(st, 11, ev.rows);
    if (id)
        *id = ev.id;
    if (!(rc = store_run(st, err)))
        rc = store_rows_save(s, ev.id, rows, err);
    return rc;
}

khum_code khum_store_audit(khum_store *s, const khum_audit_event *in, int64_t *id,
                           khum_err *err)
{
    enum { NFIELDS = 6 };
    khum_buf esc[NFIELDS];
    for (int i = 0; i < NFIELDS; i++)
        khum_buf_init(&esc[i]);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_buf rows;
    khum_buf_init(&rows);
    khum_code rc = audit_append(s, in, id, esc, &a, &rows, err);
    store_notes_clear(s);   /* the next event commits to what is written after this one */
    for (int i = 0; i < NFIELDS; i++)
        khum_buf_free(&esc[i]);
    khum_buf_free(&rows);
    khum_arena_free(&a);
    return rc;
}

static void read_event(db_stmt *st, khum_arena *a, khum_audit_event *e)
{
    e->id = db_col_int(st, 0);
    const char **f[] = {&e->at, &e->actor, &e->type, &e->object, &e->area,
                        &e->before, &e->after, &e->prev, &e->hash, &e->rows};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        *f[i] = khum_arena_strdup(a, db_col_text(st, (int)i + 1));
}

#define AUDIT_COLS "id, at, actor, type, object, area, before, after, prev_hash, hash," \
                   " rows_digest"

khum_code khum_store_audit_list(khum_store *s, const khum_audit_filter *flt, khum_arena *a,
                                khum_audit_event **out, size_t *n, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "SELECT " AUDIT_COLS " FROM audit_event WHERE id > ?"
        " AND (? = '' OR actor = ?) AND (? = '' OR type = ? OR type LIKE ? || '.%')"
        " AND (? = '' OR area = ? OR area LIKE ? || '%')"
        " ORDER BY id LIMIT ?", &st, err);
    if (rc)
        return rc;
    const char *actor = flt->actor ? flt->actor : "", *type = flt->type ? flt->type : "";
    const char *area = flt->area ? flt->area : "";
    db_bind_int(st, 1, flt->after_id);
    db_bind_text(st, 2, actor);
    db_bind_text(st, 3, actor);
    db_bind_text(st, 4, type);
    db_bind_text(st, 5, type);
    db_bind_text(st, 6, type);
    db_bind_text(st, 7, area);
    db_bind_text(st, 8, area);
    db_bind_text(st, 9, area);
    db_bind_int(st, 10, flt->limit > 0 ? (int64_t)flt->limit : INT64_MAX);
    size_t cap = 64;
    *n = 0;
    *out = khum_arena_alloc(a, cap * sizeof **out);
    int r;
    while (*out && (r = db_step(st, err)) == DB_ROW) {
        if (*n == cap) {
            khum_audit_event *bigger = khum_arena_alloc(a, 2 * cap * sizeof *bigger);
            if (!bigger)
                break;
            memcpy(bigger, *out, cap * sizeof *bigger);
            *out = bigger;
            cap *= 2;
        }
        read_event(st, a, &(*out)[(*n)++]);
    }
    db_finalize(st);
    if (!*out)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    return r == DB_ERROR ? KHUM_ERR_STORE : KHUM_OK;
}

khum_code khum_store_audit_verify(khum_store *s, size_t *checked,
                                  char head[KHUM_SHA256_HEX], khum_err *err)
{
    /* In pages, so that a log of millions of events needs little memory. */
    enum { PAGE = 10000 };
    char prev[KHUM_SHA256_HEX] = KHUM_AUDIT_GENESIS;
    int64_t after = 0;
    *checked = 0;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_code rc = KHUM_OK;
    for (;;) {
        khum_audit_event *ev;
        size_t n, ok;
        khum_audit_filter f = {.after_id = after, .limit = PAGE};
        khum_arena_reset(&a);
        if ((rc = khum_store_audit_list(s, &f, &a, &ev, &n, err)))
            break;
        rc = khum_audit_check_chain(ev, n, prev, &ok, err);
        *checked += ok;
        if (rc || n == 0)
            break;
        snprintf(prev, sizeof prev, "%s", ev[n - 1].hash);
        after = ev[n - 1].id;
    }
    khum_arena_free(&a);
    snprintf(head, KHUM_SHA256_HEX, "%s", prev);
    size_t rows;
    /* The chain holds: each event's rows digest is as written, so the rows
     * can now be checked against it. */
    return rc ? rc : store_rows_verify(s, &rows, err);
}
