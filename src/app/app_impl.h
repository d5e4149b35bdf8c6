/*
 * app_impl.h (internal to src/app): appending an audit event from inside an
 * operation's transaction, with before/after given as JSON objects, and the
 * pieces the council and ledger operations share.
 */
#ifndef KHUM_APP_IMPL_H
#define KHUM_APP_IMPL_H

#include <jansson.h>

#include "khum/app.h"

/* Takes ownership of before and after (either may be NULL). actor NULL: the
 * store's actor. */
khum_code app_audit(khum_store *s, const char *actor, const char *type, const char *object,
                    const char *area, json_t *before, json_t *after, khum_err *err);
/* "election/code", the object name of a station, commune or ledger event. */
const char *app_object(const char *election, const char *code, char *buf, size_t cap);

/* r with the lots recorded for the commune (for ties in posts). */
khum_code app_commune_rules(khum_store *s, const khum_election *e, const char *commune,
                            const khum_council_rules *r, khum_arena *a,
                            khum_council_rules *out, khum_err *err);

#endif
