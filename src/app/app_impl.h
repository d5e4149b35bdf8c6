/*
 * app_impl.h (internal to src/app): appending an audit event from inside an
 * operation's transaction, with before/after given as JSON objects, and the
 * pieces the council and ledger operations share.
 */
#ifndef KHUM_APP_IMPL_H
#define KHUM_APP_IMPL_H

#include <jansson.h>

#include "khum/app.h"
#include "khum/app_import.h"

/* Takes ownership of before and after (either may be NULL). actor NULL: the
 * store's actor. */
khum_code app_audit(khum_store *s, const char *actor, const char *type, const char *object,
                    const char *area, json_t *before, json_t *after, khum_err *err);
/* The frame of every operation (entry_app.c): begin the transaction with a
 * fresh arena for the call; end commits on success and rolls back
 * otherwise, frees the arena and returns rc (or the commit's error). */
khum_code app_begin(khum_store *s, khum_arena *a, khum_err *err);
khum_code app_end(khum_store *s, khum_arena *a, khum_code rc, khum_err *err);
/* "election/code", the object name of a station, commune or ledger event. */
const char *app_object(const char *election, const char *code, char *buf, size_t cap);

/* Store checked forms in one transaction (results_app.c): the entry state
 * machine decides each form's state (import), the entries are recorded as
 * by `by` ("import" when NULL), a failure is placed in path at the form's
 * line; the audit event results.import names actor (NULL: the store's
 * actor) and election/path, with after (owned). */
khum_code app_import_forms(khum_store *s, const khum_election *e, const char *by,
                           const char *actor, const char *path, const khum_form *forms,
                           const char *const *expl, const long *lines, size_t n, json_t *after,
                           khum_err *err);
/* The lots of an election (lots_app.c): the communes' and the dissolutions'. */
typedef struct app_lots {
    khum_commune_lots *commune;
    size_t ncommune;
    khum_event_lot *event;
    size_t nevent;
} app_lots;
khum_code app_load_lots(khum_store *s, const khum_election *e, khum_arena *a, app_lots *l,
                        khum_err *err);
/* The rules for replaying one commune's council: r with the recorded lots
 * and the election's posts and tie chain filled in. Every replay goes
 * through here. */
void app_commune_rules(const khum_election *e, const app_lots *l, const char *commune,
                       const khum_council_rules *r, khum_council_rules *out);
/* A draw names a commune of the election (CNT.821) and a seed (CNT.822). */
khum_code app_lots_args(const khum_election *e, const char *commune, const char *seed,
                        khum_err *err);
/* CNT.823 when the commune is official already: lots come before. */
khum_code app_lots_before_official(khum_store *s, const khum_election *e, const char *commune,
                                   khum_err *err);

/* [{"path","sha256","rows"}...] of an import's source files (import_app.c). */
json_t *app_files_json(const khum_import_file *files, size_t n);

/* The live tally replayed against the full count t (live_app.c): a
 * difference goes to out as TLY.890. */
khum_code app_live_check(khum_store *s, const khum_election *e, const khum_tally *t,
                         khum_diags *out, khum_err *err);

#endif
