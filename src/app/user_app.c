/*
 * user_app.c: users, logins, sessions, and the one check of who may write
 * (khum_app_authorize), which the command line and the server both call, so
 * that a name on the command line is held to what a login is. Each change to a
 * user is an audit event (never with the password or its hash); a changed
 * password, role or scope ends the user's open sessions at once. A scope must
 * name areas of the gazetteer (or stations of its communes): a typo would
 * otherwise give a coordinator a scope that silently covers nothing, or
 * something else once the code is used.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app_impl.h"
#include "khum/auth.h"
#include "khum/geo.h"
#include "khum/str.h"

khum_code khum_app_authorize(khum_store *s, const char *user, khum_action action,
                             const char *object, khum_err *err)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_user u;
    bool found = false;
    khum_code rc = khum_store_get_user(s, user ? user : "", &a, &u, &found, err);
    if (!rc && !found)
        rc = khum_err_set(err, KHUM_ERR_AUTH, "AUTH.514", "no user %s: to %s needs a user "
                          "added with khum user add", user ? user : "",
                          khum_action_name(action));
    else if (!rc && u.disabled)
        rc = khum_err_set(err, KHUM_ERR_AUTH, "AUTH.515", "user %s is disabled", u.name);
    else if (!rc)
        rc = khum_auth_allows(khum_role_parse(u.role), u.scope, action, object, err);
    khum_arena_free(&a);
    return rc;
}

khum_action khum_app_ledger_action(const khum_ledger_event *ev, const char **object)
{
    bool national = ev->type == KHUM_EV_DISSOLVE || ev->type == KHUM_EV_REVERSE;
    *object = national || !ev->commune ? "" : ev->commune;
    return national ? KHUM_DO_LEDGER_NATION : KHUM_DO_LEDGER;
}

/* Whether code names an area of one of the levels (its level is what the
 * gazetteer says, not its length: a council may have a 4-character code). */
static khum_code area_at_levels(khum_store *s, const char *code, khum_level lo, khum_level hi,
                                bool *exists, khum_err *err)
{
    *exists = false;
    khum_code rc = KHUM_OK;
    for (int l = lo; l <= (int)hi && !rc && !*exists; l++)
        rc = khum_store_area_exists(s, (khum_level)l, code, exists, err);
    return rc;
}

/* Each code of the scope names a province, district or commune of the
 * gazetteer, a station (COMMUNE-NN) of a commune of it, or a polling station
 * of an election stored (a Portuguese parish, 0302FA). */
static khum_code scope_in_gazetteer(khum_store *s, const char *scope, khum_err *err)
{
    for (const char *p = scope; *p;) {
        size_t n = strcspn(p, ";"), len = strcspn(p, ";-");
        char code[64];  /* an area code (16 at most) or a station code (32) */
        bool exists = false;
        khum_code rc = KHUM_OK;
        bool station = len < n && n > len + 1 && !memchr(p + len + 1, '-', n - len - 1);
        if (len > 0 && len <= KHUM_AREA_CODE_MAX && (len == n || station)) {
            memcpy(code, p, len);
            code[len] = 0;
            rc = area_at_levels(s, code, station ? KHUM_COMMUNE : KHUM_PROVINCE, KHUM_COMMUNE,
                                &exists, err);
        }
        if (!rc && !exists && n > 0 && n < sizeof code) {  /* a station of an election */
            memcpy(code, p, n);
            code[n] = 0;
            rc = khum_store_station_exists(s, code, &exists, err);
        }
        if (rc)
            return rc;
        if (n > 0 && !exists)
            return khum_err_set(err, KHUM_ERR_USAGE, "AUTH.516", "scope %.*s names no "
                                "province, district, commune or station of the gazetteer "
                                "(khum geo find; import the gazetteer first)", (int)n, p);
        p += n;
        if (*p == ';')
            p++;
    }
    return KHUM_OK;
}

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

/* Is there an administrator (enabled or not) already? */
static khum_code admin_exists(khum_store *s, khum_arena *a, bool *yes, khum_err *err)
{
    khum_user *u;
    size_t n;
    khum_code rc = khum_store_list_users(s, a, &u, &n, err);
    *yes = false;
    for (size_t i = 0; !rc && i < n && !*yes; i++)
        *yes = khum_role_parse(u[i].role) == KHUM_ROLE_ADMIN;
    return rc;
}

/* Bootstrapping is allowed while no administrator exists, and only for one:
 * decided inside the transaction, so two first admins cannot both slip in. */
static khum_code bootstrap_allowed(khum_store *s, const khum_user *u, khum_arena *a,
                                   khum_err *err)
{
    bool exists;
    khum_code rc = admin_exists(s, a, &exists, err);
    if (!rc && exists)
        rc = khum_err_set(err, KHUM_ERR_AUTH, "AUTH.517", "the database has an administrator "
                          "already: name the acting one with --user NAME (or KHUM_USER)");
    else if (!rc && khum_role_parse(u->role) != KHUM_ROLE_ADMIN)
        rc = khum_err_set(err, KHUM_ERR_AUTH, "AUTH.518", "the database has no administrator "
                          "yet: the first user added is one (--role admin)");
    return rc;
}

static khum_code add_user(khum_store *s, const char *actor, const char *name,
                          const char *role, const char *scope, const char *password,
                          bool bootstrap, khum_err *err)
{
    char hash[KHUM_PWHASH_MAX];
    khum_code rc;
    if ((rc = name_check(name, err)) || (rc = check_role_scope(role, scope, err)) ||
        (rc = khum_password_hash(password, hash, err)))
        return rc;
    khum_user u = {.name = name, .role = role, .scope = scope ? scope : "", .pw_hash = hash};
    khum_arena a;
    khum_arena_init(&a, 0);
    if ((rc = khum_store_begin(s, err))) {
        khum_arena_free(&a);
        return rc;
    }
    if (!(rc = bootstrap ? bootstrap_allowed(s, &u, &a, err) : KHUM_OK) &&
        !(rc = scope_in_gazetteer(s, u.scope, err)) &&
        !(rc = khum_store_put_user(s, &u, false, err)) &&
        !(rc = app_audit(s, actor, "user.add", name, "", NULL, user_json(&u), err)))
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    khum_arena_free(&a);
    return rc;
}

khum_code khum_app_user_add(khum_store *s, const char *actor, const char *name,
                            const char *role, const char *scope, const char *password,
                            khum_err *err)
{
    return add_user(s, actor, name, role, scope, password, false, err);
}

khum_code khum_app_user_bootstrap(khum_store *s, const char *actor, const char *name,
                                  const char *role, const char *scope, const char *password,
                                  khum_err *err)
{
    return add_user(s, actor, name, role, scope, password, true, err);
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
    if (!rc && scope)
        rc = scope_in_gazetteer(s, scope, err);
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
        if (!(rc = khum_store_put_user(s, &u, true, err)) &&
            !(rc = khum_store_drop_sessions(s, NULL, name, err))) {
            json_t *after = user_json(&u);   /* made here: app_audit always takes it */
            if (password && after)
                json_object_set_new(after, "password", json_string("changed"));
            if (!(rc = app_audit(s, actor, "user.change", name, "", user_json(&old), after,
                                 err)))
                rc = khum_store_commit(s, err);
        }
    }
    if (rc)
        khum_store_rollback(s);
    khum_arena_free(&a);
    return rc;
}

/* ---- logins: failures kept with the user, back-off doubling ---------------------- */

enum { LOGIN_MAX = 5, LOGIN_BACKOFF = 30, LOGIN_FORGET = 900, LOGIN_BLOCK_CAP = 3600 };

/* The seconds a user is refused after failures (0 below the limit): the
 * first block lasts backoff, each failure after it twice as long, at most
 * an hour. */
int khum_login_block_seconds(int failures, int max, int backoff)
{
    if (failures < max)
        return 0;
    int64_t secs = backoff;
    for (int i = max; i < failures && secs < LOGIN_BLOCK_CAP; i++)
        secs *= 2;
    return secs < LOGIN_BLOCK_CAP ? (int)secs : LOGIN_BLOCK_CAP;
}

/* Count this attempt as a failure before the password is checked, in one
 * transaction (the writers' lock), so that parallel attempts cannot all slip
 * under the limit; a success takes it back. *wait > 0: refused, blocked. */
static khum_code login_reserve(khum_store *s, const khum_login_policy *p, const char *name,
                               int64_t now, int *wait, khum_err *err)
{
    *wait = 0;
    khum_code rc = khum_store_begin(s, err);
    if (rc)
        return rc;
    khum_login_state l;
    bool found;
    if (!(rc = khum_store_get_login(s, name, &l, &found, err)) && found) {
        if (l.failures >= p->max_failures && l.blocked_until > now) {
            *wait = (int)(l.blocked_until - now);
        } else {
            l.failures = now - l.last > p->forget ? 1 : l.failures + 1;
            l.last = now;
            int block = khum_login_block_seconds(l.failures, p->max_failures, p->backoff);
            l.blocked_until = block ? now + block : 0;
            rc = khum_store_put_login(s, name, &l, err);
        }
    } else if (!rc) {
        rc = khum_store_touch_login(s, err);  /* an unknown name costs a write too */
    }
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    return rc;
}

static khum_login_policy login_policy(const khum_login_policy *p)
{
    khum_login_policy q = p ? *p : (khum_login_policy){0};
    if (q.max_failures <= 0)
        q.max_failures = LOGIN_MAX;
    if (q.backoff <= 0)
        q.backoff = LOGIN_BACKOFF;
    if (q.forget <= 0)
        q.forget = LOGIN_FORGET;
    return q;
}

khum_code khum_app_login(khum_store *s, const khum_login_policy *policy, const char *name,
                         const char *password, int ttl, khum_arena *a, khum_session *out,
                         int *retry_after, khum_err *err)
{
    memset(out, 0, sizeof *out);
    *retry_after = 0;
    khum_login_policy p = login_policy(policy);
    int64_t now = (int64_t)time(NULL);
    int wait;
    khum_code rc = login_reserve(s, &p, name, now, &wait, err);
    if (rc)
        return rc;
    if (wait) {
        *retry_after = wait;
        return khum_err_set(err, KHUM_ERR_AUTH, "AUTH.506", "too many failed logins: try "
                            "again in %d s", wait);
    }
    khum_user u;
    bool found;
    if ((rc = khum_store_get_user(s, name, a, &u, &found, err)))
        return rc;
    /* An unknown user costs one Argon2id verification too (against the
     * dummy hash), so that timing does not tell which names exist. */
    bool ok = khum_password_ok(found ? u.pw_hash : p.dummy_hash ? p.dummy_hash : "", password);
    if (!found || u.disabled || !ok)
        return khum_err_set(err, KHUM_ERR_AUTH, "AUTH.502", "wrong user name or password");
    char hash[65];
    khum_token_new(out->token);
    khum_token_new(out->csrf);
    khum_token_hash(out->token, hash);
    if ((rc = khum_store_begin(s, err)))
        return rc;
    khum_login_state clean = {0, 0, 0};
    rc = khum_store_put_login(s, name, &clean, err);
    if (!rc)
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
