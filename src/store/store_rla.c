/*
 * store_rla.c: the rows of a risk-limiting audit (khum/store_rla.h,
 * migration 011). Every table is insert-only: the audit's evidence is the
 * seed, the manifest, the draws and the readings exactly as recorded, so
 * nothing here updates or deletes. A list for one council or for all binds
 * "" for all (PostgreSQL cannot type a bare NULL parameter).
 */
#include <string.h>

#include "khum/store_rla.h"
#include "store_impl.h"

/* Copies the current row of st into x (size bytes, zeroed), clearing *ok
 * when memory runs out. */
typedef void (*row_fn)(db_stmt *st, khum_arena *a, void *x, bool *ok);

/* The rows of one council (commune NULL: of every council) that sql selects
 * with the election as ?1 and the council as ?2, each copied by fn into an
 * array in a (*rows, *n: none when a copy failed). */
static khum_code council_rows(khum_store *s, const char *sql, const char *election,
                              const char *commune, khum_arena *a, size_t size, row_fn fn,
                              void *rows, size_t *n, khum_err *err)
{
    *(void **)rows = NULL;
    *n = 0;
    db_stmt *st;
    khum_code rc = db_prepare(s->db, sql, &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, commune ? commune : "");
    khum_array v;
    khum_array_init(&v, size, a);
    bool ok = true;
    int r;
    while (ok && (r = db_step(st, err)) == DB_ROW) {
        void *x = khum_array_push(&v);
        if (!(ok = x != NULL))
            break;
        fn(st, a, x, &ok);
    }
    *(void **)rows = v.items;
    *n = ok ? v.n : 0;
    return store_list_end(st, r, ok, err);
}

khum_code khum_store_rla_audit(khum_store *s, const char *election, khum_arena *a,
                               khum_rla_audit_row *out, khum_err *err)
{
    memset(out, 0, sizeof *out);
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT seed, risk_limit, bundle, opened_by, opened_at,"
                                     " mode"
                                     " FROM rla_audit WHERE election = ?", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    bool ok = true;
    int r = db_step(st, err);
    if (r == DB_ROW) {
        out->exists = true;
        out->seed = store_dup(st, 0, a, &ok);
        out->risk_limit = store_dup(st, 1, a, &ok);
        out->bundle = (int)db_col_int(st, 2);
        out->opened_by = store_dup(st, 3, a, &ok);
        out->opened_at = store_dup(st, 4, a, &ok);
        out->mode = store_dup(st, 5, a, &ok);
    }
    return store_list_end(st, r, ok, err);
}

khum_code khum_store_rla_put_audit(khum_store *s, const char *election, const char *seed,
                                   const char *risk_limit, const char *mode, int bundle,
                                   const char *user, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "INSERT INTO rla_audit (election, seed, risk_limit,"
                                     " bundle, opened_by, opened_at, mode) VALUES (?, ?, ?, ?, ?, ?, ?)",
                              &st, err);
    if (rc)
        return rc;
    char now[32];
    store_now(now);
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, seed);
    db_bind_text(st, 3, risk_limit);
    db_bind_int(st, 4, bundle);
    db_bind_text(st, 5, user);
    db_bind_text(st, 6, now);
    db_bind_text(st, 7, mode);
    rc = store_run(st, err);
    if (rc == KHUM_ERR_CONFLICT)
        khum_err_set(err, KHUM_ERR_CONFLICT, "RLA.545", "election %s has its audit's seed "
                     "already: a seed is recorded once", election);
    return rc;
}

static void rla_manifest_row(db_stmt *st, khum_arena *a, void *p, bool *ok)
{
    khum_rla_box *x = p;
    x->station = store_dup(st, 0, a, ok);
    x->ballots = db_col_int(st, 1);
}

khum_code khum_store_rla_manifest(khum_store *s, const char *election, const char *commune,
                                  khum_arena *a, khum_rla_box **boxes, size_t *n,
                                  khum_err *err)
{
    return council_rows(s, "SELECT station, ballots FROM rla_manifest WHERE"
                           " election = ?1 AND commune = ?2 ORDER BY station",
                        election, commune, a, sizeof **boxes, rla_manifest_row, boxes, n, err);
}

khum_code khum_store_rla_put_manifest(khum_store *s, const char *election, const char *commune,
                                      const khum_rla_box *boxes, size_t n, khum_err *err)
{
    db_stmt *st;
    khum_code rc = KHUM_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        if ((rc = db_prepare(s->db, "INSERT INTO rla_manifest (election, commune, station,"
                                    " ballots) VALUES (?, ?, ?, ?)", &st, err)))
            break;
        db_bind_text(st, 1, election);
        db_bind_text(st, 2, commune);
        db_bind_text(st, 3, boxes[i].station);
        db_bind_int(st, 4, boxes[i].ballots);
        rc = store_run(st, err);
    }
    return rc;
}

static void rla_rounds_row(db_stmt *st, khum_arena *a, void *p, bool *ok)
{
    khum_rla_round_row *x = p;
    x->commune = store_dup(st, 0, a, ok);
    x->round = (int)db_col_int(st, 1);
    x->ballots = db_col_int(st, 2);
    x->counter = db_col_int(st, 3);
    x->drawn_by = store_dup(st, 4, a, ok);
    x->drawn_at = store_dup(st, 5, a, ok);
}

khum_code khum_store_rla_rounds(khum_store *s, const char *election, const char *commune,
                                khum_arena *a, khum_rla_round_row **rows, size_t *n,
                                khum_err *err)
{
    return council_rows(s, "SELECT commune, round, ballots, counter, drawn_by,"
                           " drawn_at FROM rla_round WHERE election = ?1 AND"
                           " (?2 = '' OR commune = ?2) ORDER BY commune, round",
                        election, commune, a, sizeof **rows, rla_rounds_row, rows, n, err);
}

khum_code khum_store_rla_put_round(khum_store *s, const char *election,
                                   const khum_rla_round_row *x, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "INSERT INTO rla_round (election, commune, round, ballots,"
                                     " counter, drawn_by, drawn_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                              &st, err);
    if (rc)
        return rc;
    char now[32];
    store_now(now);
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, x->commune);
    db_bind_int(st, 3, x->round);
    db_bind_int(st, 4, x->ballots);
    db_bind_int(st, 5, x->counter);
    db_bind_text(st, 6, x->drawn_by);
    db_bind_text(st, 7, now);
    return store_run(st, err);
}

static void rla_sample_row(db_stmt *st, khum_arena *a, void *p, bool *ok)
{
    khum_rla_sample_row *x = p;
    x->commune = store_dup(st, 0, a, ok);
    x->seq = db_col_int(st, 1);
    x->ballot = db_col_int(st, 2);
    x->station = store_dup(st, 3, a, ok);
    x->bundle = db_col_int(st, 4);
    x->position = db_col_int(st, 5);
    x->round = (int)db_col_int(st, 6);
}

khum_code khum_store_rla_sample(khum_store *s, const char *election, const char *commune,
                                khum_arena *a, khum_rla_sample_row **rows, size_t *n,
                                khum_err *err)
{
    return council_rows(s, "SELECT commune, seq, ballot, station, bundle, position,"
                           " round FROM rla_sample WHERE election = ?1 AND"
                           " (?2 = '' OR commune = ?2) ORDER BY commune, seq",
                        election, commune, a, sizeof **rows, rla_sample_row, rows, n, err);
}

khum_code khum_store_rla_put_sample(khum_store *s, const char *election,
                                    const khum_rla_sample_row *rows, size_t n, khum_err *err)
{
    db_stmt *st;
    khum_code rc = KHUM_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        if ((rc = db_prepare(s->db, "INSERT INTO rla_sample (election, commune, seq, ballot,"
                                    " station, bundle, position, round)"
                                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &st, err)))
            break;
        db_bind_text(st, 1, election);
        db_bind_text(st, 2, rows[i].commune);
        db_bind_int(st, 3, rows[i].seq);
        db_bind_int(st, 4, rows[i].ballot);
        db_bind_text(st, 5, rows[i].station);
        db_bind_int(st, 6, rows[i].bundle);
        db_bind_int(st, 7, rows[i].position);
        db_bind_int(st, 8, rows[i].round);
        rc = store_run(st, err);
    }
    return rc;
}

static void rla_readings_row(db_stmt *st, khum_arena *a, void *p, bool *ok)
{
    khum_rla_reading_row *x = p;
    x->commune = store_dup(st, 0, a, ok);
    x->seq = db_col_int(st, 1);
    x->member = store_dup(st, 2, a, ok);
    x->reading = store_dup(st, 3, a, ok);
    x->entered_at = store_dup(st, 4, a, ok);
}

khum_code khum_store_rla_readings(khum_store *s, const char *election, const char *commune,
                                  khum_arena *a, khum_rla_reading_row **rows, size_t *n,
                                  khum_err *err)
{
    return council_rows(s, "SELECT commune, seq, member, reading, entered_at"
                           " FROM rla_reading WHERE election = ?1 AND"
                           " (?2 = '' OR commune = ?2) ORDER BY commune, seq, id",
                        election, commune, a, sizeof **rows, rla_readings_row, rows, n, err);
}

khum_code khum_store_rla_put_reading(khum_store *s, const char *election,
                                     const khum_rla_reading_row *x, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "INSERT INTO rla_reading (election, commune, seq, member,"
                                     " reading, entered_at) VALUES (?, ?, ?, ?, ?, ?)", &st, err);
    if (rc)
        return rc;
    char now[32];
    store_now(now);
    db_bind_text(st, 1, election);
    db_bind_text(st, 2, x->commune);
    db_bind_int(st, 3, x->seq);
    db_bind_text(st, 4, x->member);
    db_bind_text(st, 5, x->reading);
    db_bind_text(st, 6, now);
    return store_run(st, err);
}
