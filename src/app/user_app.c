/*
 * user_app.c: users, logins and sessions. Each change to a user is an audit
 * event (never with the password or its hash); a changed password, role or
 * scope ends the user's open sessions at once.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app_impl.h"
#include "khum/auth.h"

static khum_code check_role_scope(const char *role, const char *scope, khum_err *err)
{
    if (role && khum_role_parse(role) == KHUM_ROLE_NONE)
        return khum_err_set(err, KHUM_ERR_USAGE, "AUTH.508", "unknown role '%s' (clerk, "
                            "coordinator, admin or observer)", role);
    return scope ? khum_scope_check(scope, err) : KHUM_OK;
}

static khum_code name_check(const char *name, khum_err *err)
{
    size_t n = strlen(name);
    bool ok = n >= 1 && n <= 64;
    for (size_t i = 0; ok && i < n; i++)
        ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
             name[i] == '.' || name[i] == '-' || name[i] == '_';
    return ok ? KHUM_OK
              : khum_err_set(err, KHUM_ERR_USAGE, "AUTH.513", "a user name is 1 to 64 of "
                             "a-z 0-9 . - _, not '%s'", name);
}

static json_t *user_json(const khum_user *u)
{
    return json_pack("{s:s,s:s,s:b}", "role", u->role, "scope", u->scope ? u->scope : "",
                     "disabled", u->disabled);
}

khum_code khum_app_user_add(khum_store *s, const char *actor, const char *name,
                            const char *role, const char *scope, const char *password,
                            khum_err *err)
{
    char hash[KHUM_PWHASH_MAX];
    khum_code rc;
    if ((rc = name_check(name, err)) || (rc = check_role_scope(role, scope, err)) ||
        (rc = khum_password_hash(password, hash, err)))
        return rc;
    khum_user u = {.name = name, .role = role, .scope = scope ? scope : "", .pw_hash = hash};
    if ((rc = khum_store_begin(s, err)))
        return rc;
    if (!(rc = khum_store_put_user(s, &u, false, err)) &&
        !(rc = app_audit(s, actor, "user.add", name, "", NULL, user_json(&u), err)))
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    return rc;
}

khum_code khum_app_user_change(khum_store *s, const char *actor, const char *name,
                               const char *role, const char *scope, const char *password,
                               int disabled, khum_err *err)
{
    char hash[KHUM_PWHASH_MAX];
    khum_code rc;
    if ((rc = check_role_scope(role, scope, err)) ||
        (password && (rc = khum_password_hash(password, hash, err))))
        return rc;
    khum_arena a;
    khum_arena_init(&a, 0);
    if ((rc = khum_store_begin(s, err))) {
        khum_arena_free(&a);
        return rc;
    }
    khum_user old;
    bool found;
    if (!(rc = khum_store_get_user(s, name, &a, &old, &found, err)) && !found)
        rc = khum_err_set(err, KHUM_ERR_NOTFOUND, "AUTH.512", "no user %s", name);
    if (!rc) {
        khum_user u = old;
        if (role)
            u.role = role;
        if (scope)
            u.scope = scope;
        if (password)
            u.pw_hash = hash;
        if (disabled >= 0)
            u.disabled = disabled != 0;
        json_t *after = user_json(&u);
        if (password)
            json_object_set_new(after, "password", json_string("changed"));
        if (!(rc = khum_store_put_user(s, &u, true, err)) &&
            !(rc = khum_store_drop_sessions(s, NULL, name, err)) &&
            !(rc = app_audit(s, actor, "user.change", name, "", user_json(&old), after, err)))
            rc = khum_store_commit(s, err);
    }
    if (rc)
        khum_store_rollback(s);
    khum_arena_free(&a);
    return rc;
}

khum_code khum_app_login(khum_store *s, const char *name, const char *password, int ttl,
                         khum_arena *a, khum_session *out, khum_err *err)
{
    memset(out, 0, sizeof *out);
    khum_user u;
    bool found;
    khum_code rc = khum_store_get_user(s, name, a, &u, &found, err);
    if (rc)
        return rc;
    if (!found || u.disabled || !khum_password_ok(u.pw_hash, password))
        return khum_err_set(err, KHUM_ERR_AUTH, "AUTH.502", "wrong user name or password");
    char hash[65];
    khum_token_new(out->token);
    khum_token_new(out->csrf);
    khum_token_hash(out->token, hash);
    if ((rc = khum_store_begin(s, err)))
        return rc;
    rc = khum_store_put_session(s, hash, name, out->csrf, (int64_t)time(NULL) + ttl, err);
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc) {
        khum_store_rollback(s);
        return rc;
    }
    out->user = u.name;
    out->role = u.role;
    out->scope = u.scope;
    return KHUM_OK;
}

khum_code khum_app_session(khum_store *s, const char *token, khum_arena *a,
                           khum_session *out, khum_err *err)
{
    memset(out, 0, sizeof *out);
    char hash[65];
    const char *user, *csrf;
    bool found = false;
    khum_token_hash(token, hash);
    khum_code rc = khum_store_get_session(s, hash, (int64_t)time(NULL), a, &user, &csrf,
                                          &found, err);
    if (rc)
        return rc;
    khum_user u;
    if (found && !(rc = khum_store_get_user(s, user, a, &u, &found, err)) && found) {
        out->user = u.name;
        out->role = u.role;
        out->scope = u.scope;
        snprintf(out->csrf, sizeof out->csrf, "%s", csrf);
        return KHUM_OK;
    }
    return rc ? rc : khum_err_set(err, KHUM_ERR_AUTH, "AUTH.501",
                                  "the session has ended or is unknown: log in again");
}

khum_code khum_app_logout(khum_store *s, const char *token, khum_err *err)
{
    char hash[65];
    khum_token_hash(token, hash);
    khum_code rc = khum_store_begin(s, err);
    if (rc)
        return rc;
    rc = khum_store_drop_sessions(s, hash, NULL, err);
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    return rc;
}
