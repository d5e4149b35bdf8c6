/*
 * store_lots.c: the lots drawn for what a ledger event (a dissolution) does
 * to one commune (table ledger_lots). The commune's own lots, drawn before
 * its results are official, live with the count (store_forms.c). Both are
 * only ever inserted: a draw is recorded once.
 */
#include <string.h>

#include "store_impl.h"

khum_code khum_store_put_event_lots(khum_store *s, const char *election, int64_t event,
                                    const char *commune, const char *seed, const char *user,
                                    khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "INSERT INTO ledger_lots (election, event, commune, seed, drawn_by, drawn_at)"
        " VALUES (?, ?, ?, ?, ?, ?)", &st, err);
    if (rc)
        return rc;
    char now[32];
    store_now(now);
    db_bind_text(st, 1, election);
    db_bind_int(st, 2, event);
    db_bind_text(st, 3, commune);
    db_bind_text(st, 4, seed);
    db_bind_text(st, 5, user);
    db_bind_text(st, 6, now);
    rc = store_run(st, err);
    if (rc == KHUM_ERR_CONFLICT)
        khum_err_set(err, KHUM_ERR_CONFLICT, "LED.611", "lots for event %lld in commune %s "
                     "were drawn already: a draw is recorded once", (long long)event, commune);
    return rc;
}

khum_code khum_store_list_event_lots(khum_store *s, const char *election, khum_arena *a,
                                     khum_event_lot **lots, size_t *n, khum_err *err)
{
    *n = 0;
    *lots = NULL;
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT event, commune, seed, (SELECT count(*) FROM"
                                     " ledger_lots WHERE election = ?1) FROM ledger_lots"
                                     " WHERE election = ?1 ORDER BY event, commune", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    int r;
    while ((r = db_step(st, err)) == DB_ROW) {
        if (!*lots && !(*lots = khum_arena_alloc(a, (size_t)db_col_int(st, 3) * sizeof **lots)))
            break;
        khum_event_lot *x = &(*lots)[(*n)++];
        x->event = db_col_int(st, 0);
        x->commune = khum_arena_strdup(a, db_col_text(st, 1));
        x->seed = khum_arena_strdup(a, db_col_text(st, 2));
    }
    db_finalize(st);
    return r == DB_ERROR ? KHUM_ERR_STORE : KHUM_OK;
}
