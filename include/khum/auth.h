/*
 * khum/auth.h: who may do what, pure. Four roles: a clerk keys forms of the
 * communes or stations in their scope; a coordinator also settles entries,
 * explains warnings and records ledger events in theirs (a province, say);
 * the commission administrator may do everything; an observer only reads.
 * A scope is a list of area or station codes ("01;0203" or "010201-01"); an
 * object is in scope when its code starts with one of them. Passwords are
 * hashed with Argon2id, session tokens are 256 random bits.
 */
#ifndef KHUM_AUTH_H
#define KHUM_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "khum/err.h"

typedef enum khum_role {
    KHUM_ROLE_NONE = 0,   /* not logged in */
    KHUM_ROLE_CLERK,
    KHUM_ROLE_COORDINATOR,
    KHUM_ROLE_ADMIN,
    KHUM_ROLE_OBSERVER
} khum_role;

typedef enum khum_action {
    KHUM_DO_ENTER,          /* key a result form (first or second entry) */
    KHUM_DO_RESOLVE,        /* keep one of two different entries, or send one back */
    KHUM_DO_EXPLAIN,        /* explain a warning in writing */
    KHUM_DO_CORRECT,        /* open a correction of an official form */
    KHUM_DO_OFFICIAL,       /* make communes official */
    KHUM_DO_LOTS,           /* record lots drawn */
    KHUM_DO_LEDGER,         /* record a ledger event of one commune */
    KHUM_DO_LEDGER_NATION,  /* a national ledger event (party dissolution) */
    KHUM_DO_IMPORT,         /* import reference data, elections, candidates, results */
    KHUM_DO_USERS,          /* add, change, disable or enable users */
    KHUM_DO_PUBLISH,        /* write a signed bundle of the official data */
    KHUM_DO_COUNT_
} khum_action;

const char *khum_role_name(khum_role r);
khum_role khum_role_parse(const char *s);        /* KHUM_ROLE_NONE when unknown */
const char *khum_action_name(khum_action a);

/* May role (with scope) do action on object (a station, commune or area code;
 * "" for the whole election)? KHUM_OK, or KHUM_ERR_AUTH with AUTH.501 (not
 * logged in), AUTH.503 (the role may not) or AUTH.504 (outside the scope). */
khum_code khum_auth_allows(khum_role role, const char *scope, khum_action action,
                           const char *object, khum_err *err);
bool khum_scope_covers(const char *scope, const char *object);
/* A scope is codes of digits (and one '-' for a station) separated by ';'. */
khum_code khum_scope_check(const char *scope, khum_err *err);

#define KHUM_PWHASH_MAX 128
/* Argon2id with libsodium's interactive limits; AUTH.509 for a password
 * shorter than 10 characters. */
khum_code khum_password_hash(const char *password, char out[KHUM_PWHASH_MAX], khum_err *err);
bool khum_password_ok(const char *hash, const char *password);

/* A new random 256-bit token as 64 hex digits, and the SHA-256 kept of it. */
void khum_token_new(char token[65]);
void khum_token_hash(const char *token, char out[65]);

#endif
