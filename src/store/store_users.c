/*
 * store_users.c: users (name, role, scope, Argon2id password hash) and login
 * sessions, kept only as hashes of their tokens.
 */
#include "store_impl.h"

#include <string.h>

khum_code khum_store_put_user(khum_store *s, const khum_user *u, bool update, khum_err *err)
{
    char now[32];
    store_now(now);
    db_stmt *st;
    const char *sql = update
        ? "UPDATE app_user SET role = ?, scope = ?, pw_hash = ?, disabled = ?, updated = ?"
          " WHERE name = ?"
        : "INSERT INTO app_user (role, scope, pw_hash, disabled, updated, name, created)"
          " VALUES (?, ?, ?, ?, ?, ?, ?)";
    khum_code rc = db_prepare(s->db, sql, &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, u->role);
    db_bind_text(st, 2, u->scope ? u->scope : "");
    db_bind_text(st, 3, u->pw_hash);
    db_bind_int(st, 4, u->disabled);
    db_bind_text(st, 5, now);
    db_bind_text(st, 6, u->name);
    if (!update)
        db_bind_text(st, 7, now);
    rc = store_run(st, err);
    if (rc == KHUM_ERR_CONFLICT && !update)
        return khum_err_set(err, KHUM_ERR_CONFLICT, "AUTH.511", "user %s exists already "
                            "(khum user passwd or khum user add with another name)", u->name);
    if (!rc && update && db_changes(s->db) == 0)
        return khum_err_set(err, KHUM_ERR_NOTFOUND, "AUTH.512", "no user %s", u->name);
    return rc;
}

static void read_user(db_stmt *st, khum_arena *a, khum_user *u)
{
    u->name = khum_arena_strdup(a, db_col_text(st, 0));
    u->role = khum_arena_strdup(a, db_col_text(st, 1));
    u->scope = khum_arena_strdup(a, db_col_text(st, 2));
    u->pw_hash = khum_arena_strdup(a, db_col_text(st, 3));
    u->disabled = db_col_int(st, 4) != 0;
    u->created = khum_arena_strdup(a, db_col_text(st, 5));
    u->updated = khum_arena_strdup(a, db_col_text(st, 6));
}

#define USER_COLS "name, role, scope, pw_hash, disabled, created, updated"

khum_code khum_store_get_user(khum_store *s, const char *name, khum_arena *a, khum_user *u,
                              bool *found, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT " USER_COLS " FROM app_user WHERE name = ?",
                              &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, name);
    int r = db_step(st, err);
    memset(u, 0, sizeof *u);
    *found = r == DB_ROW;
    if (*found)
        read_user(st, a, u);
    db_finalize(st);
    return r == DB_ERROR ? KHUM_ERR_STORE : KHUM_OK;
}

khum_code khum_store_list_users(khum_store *s, khum_arena *a, khum_user **rows, size_t *n,
                                khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT count(*) FROM app_user", &st, err);
    if (rc)
        return rc;
    int r = db_step(st, err);
    size_t cap = r == DB_ROW ? (size_t)db_col_int(st, 0) : 0;
    db_finalize(st);
    if (r == DB_ERROR)
        return KHUM_ERR_STORE;
    *n = 0;
    *rows = khum_arena_calloc(a, cap + 1, sizeof **rows);
    if (!*rows)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    if ((rc = db_prepare(s->db, "SELECT " USER_COLS " FROM app_user ORDER BY name", &st, err)))
        return rc;
    while (*n < cap && (r = db_step(st, err)) == DB_ROW)
        read_user(st, a, &(*rows)[(*n)++]);
    db_finalize(st);
    return r == DB_ERROR ? KHUM_ERR_STORE : KHUM_OK;
}

khum_code khum_store_put_session(khum_store *s, const char *token_hash, const char *user,
                                 const char *csrf, int64_t expires, khum_err *err)
{
    char now[32];
    store_now(now);
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "INSERT INTO app_session (token_hash, user, csrf,"
                                     " created, expires) VALUES (?, ?, ?, ?, ?)", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, token_hash);
    db_bind_text(st, 2, user);
    db_bind_text(st, 3, csrf);
    db_bind_text(st, 4, now);
    db_bind_int(st, 5, expires);
    return store_run(st, err);
}

khum_code khum_store_get_session(khum_store *s, const char *token_hash, int64_t now,
                                 khum_arena *a, const char **user, const char **csrf,
                                 bool *found, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT s.user, s.csrf FROM app_session s"
                                     " JOIN app_user u ON u.name = s.user"
                                     " WHERE s.token_hash = ? AND s.expires > ?"
                                     " AND u.disabled = 0", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, token_hash);
    db_bind_int(st, 2, now);
    int r = db_step(st, err);
    *found = r == DB_ROW;
    if (*found) {
        *user = khum_arena_strdup(a, db_col_text(st, 0));
        *csrf = khum_arena_strdup(a, db_col_text(st, 1));
    }
    db_finalize(st);
    return r == DB_ERROR ? KHUM_ERR_STORE : KHUM_OK;
}

khum_code khum_store_drop_sessions(khum_store *s, const char *token_hash, const char *user,
                                   khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, token_hash ? "DELETE FROM app_session WHERE token_hash = ?"
                                                : "DELETE FROM app_session WHERE user = ?",
                              &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, token_hash ? token_hash : user);
    return store_run(st, err);
}

khum_code khum_store_get_login(khum_store *s, const char *name, khum_login_state *out,
                               bool *found, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT login_failures, login_last, login_blocked_until"
                                     " FROM app_user WHERE name = ?", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, name);
    int r = db_step(st, err);
    memset(out, 0, sizeof *out);
    *found = r == DB_ROW;
    if (*found) {
        out->failures = (int)db_col_int(st, 0);
        out->last = db_col_int(st, 1);
        out->blocked_until = db_col_int(st, 2);
    }
    db_finalize(st);
    return r == DB_ERROR ? KHUM_ERR_STORE : KHUM_OK;
}

khum_code khum_store_put_login(khum_store *s, const char *name, const khum_login_state *l,
                               khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "UPDATE app_user SET login_failures = ?, login_last = ?,"
                                     " login_blocked_until = ? WHERE name = ?", &st, err);
    if (rc)
        return rc;
    db_bind_int(st, 1, l->failures);
    db_bind_int(st, 2, l->last);
    db_bind_int(st, 3, l->blocked_until);
    db_bind_text(st, 4, name);
    return store_run(st, err);
}

khum_code khum_store_touch_login(khum_store *s, khum_err *err)
{
    /* Rewrites one row with its own values: a real write (a page in the
     * journal, a tuple in the WAL, a flush at commit) that changes nothing. */
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "UPDATE app_user SET login_last = login_last"
                                     " WHERE name = (SELECT min(name) FROM app_user)", &st, err);
    return rc ? rc : store_run(st, err);
}
