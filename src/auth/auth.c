/*
 * auth.c: the role table, scopes, password hashing and session tokens.
 * The table is the whole policy: docs/server.md prints it, and the server's
 * authorization test walks every cell of it.
 */
#include <sodium.h>
#include <ctype.h>
#include <string.h>

#include "khum/auth.h"
#include "khum/hash.h"

enum { NO = 0, SCOPED = 1, ALL = 2 };

/* [action][role]: clerk, coordinator, admin, observer. */
static const unsigned char policy[KHUM_DO_COUNT_][4] = {
    [KHUM_DO_ENTER] = {SCOPED, SCOPED, ALL, NO},
    [KHUM_DO_RESOLVE] = {NO, SCOPED, ALL, NO},
    [KHUM_DO_EXPLAIN] = {NO, SCOPED, ALL, NO},
    [KHUM_DO_CORRECT] = {NO, NO, ALL, NO},
    [KHUM_DO_OFFICIAL] = {NO, NO, ALL, NO},
    [KHUM_DO_LOTS] = {NO, NO, ALL, NO},
    [KHUM_DO_LEDGER] = {NO, SCOPED, ALL, NO},
    [KHUM_DO_LEDGER_NATION] = {NO, NO, ALL, NO},
    [KHUM_DO_IMPORT] = {NO, NO, ALL, NO},
    [KHUM_DO_USERS] = {NO, NO, ALL, NO},
    [KHUM_DO_PUBLISH] = {NO, NO, ALL, NO},
};

static const char *const role_names[] = {"", "clerk", "coordinator", "admin", "observer"};
static const char *const action_names[] = {
    "enter a form", "resolve entries", "explain a warning", "correct an official form",
    "make results official", "record lots", "record a ledger event",
    "record a national ledger event", "import data", "manage users",
    "publish a bundle"};

const char *khum_role_name(khum_role r)
{
    return (unsigned)r < sizeof role_names / sizeof *role_names ? role_names[r] : "";
}

khum_role khum_role_parse(const char *s)
{
    for (int r = KHUM_ROLE_CLERK; r <= KHUM_ROLE_OBSERVER; r++)
        if (s && strcmp(s, role_names[r]) == 0)
            return (khum_role)r;
    return KHUM_ROLE_NONE;
}

const char *khum_action_name(khum_action a)
{
    return (unsigned)a < KHUM_DO_COUNT_ ? action_names[a] : "?";
}

bool khum_scope_covers(const char *scope, const char *object)
{
    if (!scope || !object)
        return false;
    size_t olen = strlen(object);
    for (const char *p = scope; *p;) {
        size_t n = strcspn(p, ";");
        /* An empty object (the whole election) is covered by no partial scope. */
        if (n > 0 && olen >= n && memcmp(p, object, n) == 0)
            return true;
        p += n;
        if (*p == ';')
            p++;
    }
    return false;
}

khum_code khum_scope_check(const char *scope, khum_err *err)
{
    /* codes as the gazetteer and the election spell them: letters and digits
     * (0302FA is a Portuguese parish), a station's '-', '_' or '.' */
    for (const char *p = scope; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == ';' || *p == '-' || *p == '_' || *p == '.'))
            return khum_err_set(err, KHUM_ERR_USAGE, "AUTH.510",
                                "a scope is area or station codes separated by ';' "
                                "(e.g. 01;0203 or 010201-01), not '%s'", scope);
    return KHUM_OK;
}

khum_code khum_auth_allows(khum_role role, const char *scope, khum_action action,
                           const char *object, khum_err *err)
{
    if (role == KHUM_ROLE_NONE)
        return khum_err_set(err, KHUM_ERR_AUTH, "AUTH.501",
                            "log in first: to %s needs a user", khum_action_name(action));
    if ((unsigned)action >= KHUM_DO_COUNT_ || (unsigned)role > KHUM_ROLE_OBSERVER)
        return khum_err_set(err, KHUM_ERR_INTERNAL, "", "unknown role or action");
    int p = policy[action][role - 1];
    if (p == NO)
        return khum_err_set(err, KHUM_ERR_AUTH, "AUTH.503", "a%s %s may not %s",
                            role == KHUM_ROLE_ADMIN || role == KHUM_ROLE_OBSERVER ? "n" : "",
                            khum_role_name(role), khum_action_name(action));
    if (p == SCOPED && !khum_scope_covers(scope, object))
        return khum_err_set(err, KHUM_ERR_AUTH, "AUTH.504", "%s is outside your scope (%s)",
                            object && *object ? object : "the whole election",
                            scope && *scope ? scope : "none");
    return KHUM_OK;
}

khum_code khum_password_hash(const char *password, char out[KHUM_PWHASH_MAX], khum_err *err)
{
    _Static_assert(crypto_pwhash_STRBYTES <= KHUM_PWHASH_MAX, "room for the hash");
    if (strlen(password) < 10)
        return khum_err_set(err, KHUM_ERR_USAGE, "AUTH.509",
                            "a password needs at least 10 characters");
    if (sodium_init() < 0 ||
        crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory hashing the password");
    return KHUM_OK;
}

bool khum_password_ok(const char *hash, const char *password)
{
    return hash && *hash && sodium_init() >= 0 &&
           crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void khum_token_new(char token[65])
{
    unsigned char raw[32];
    if (sodium_init() < 0)
        memset(raw, 0, sizeof raw);   /* unreachable: sodium_init fails only without /dev/urandom */
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token, 65, raw, sizeof raw);
}

void khum_token_hash(const char *token, char out[65])
{
    khum_sha256_hex(token, strlen(token), out);
}
