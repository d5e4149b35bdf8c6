/*
 * khum/app.h: the operations users perform, each one transaction: import an
 * election, key a form, resolve two entries, explain a warning, import
 * digitized forms, draw lots, make communes official, correct an official
 * form, tabulate. They compose the pure modules (count, alloc) with the
 * store; the CLI and the server are thin shells over these calls.
 */
#ifndef KHUM_APP_H
#define KHUM_APP_H

#include "khum/auth.h"
#include "khum/council.h"
#include "khum/count.h"
#include "khum/store.h"

typedef struct khum_entry_outcome {
    int version;
    khum_form_state from, to;
    int64_t entry;                    /* the entry stored, 0 when none */
    khum_checks checks;               /* of the form keyed (or kept) */
    char diff[256];                   /* fields that differ between two entries */
} khum_entry_outcome;

/* A clerk keys a form (first or second entry, decided by the state). A form
 * with errors is refused (KHUM_ERR_INPUT, rule = its first error code; the
 * checks are in out) and nothing is written. */
khum_code khum_app_enter(khum_store *s, const khum_election *e, const char *user,
                         const khum_form *f, khum_entry_outcome *out, khum_err *err);
/* A coordinator settles two different entries: KHUM_ACT_KEEP_FIRST,
 * KEEP_SECOND, REKEY_FIRST or REKEY_SECOND, saying why (the audit log keeps
 * the reason; none is CNT.808). */
khum_code khum_app_resolve(khum_store *s, const khum_election *e, const char *user,
                           const char *station, khum_entry_action act, const char *reason,
                           khum_entry_outcome *out, khum_err *err);
/* A coordinator's worklist: the forms whose state is in mask (bits 1u <<
 * state, khum_form_states_parse), within area (NULL or "": everywhere; else
 * a province, district, commune or station code), in station order. */
typedef struct khum_worklist_row {
    const char *station, *commune;
    khum_form_state state;
} khum_worklist_row;
khum_code khum_app_worklist(khum_store *s, const khum_election *e, unsigned mask,
                            const char *area, khum_arena *a, khum_worklist_row **rows,
                            size_t *n, khum_err *err);
/* Explain a warning of a station's current form in writing. */
khum_code khum_app_explain(khum_store *s, const khum_election *e, const char *user,
                           const char *station, const char *code, const char *text,
                           khum_entry_outcome *out, khum_err *err);
/* Open a correction of an official form: a new version with a reason and a
 * reference (decision number); the official version stays as it was. */
khum_code khum_app_correct(khum_store *s, const khum_election *e, const char *user,
                           const char *station, const char *reason, const char *reference,
                           int *version, khum_err *err);

/* Store digitized forms (already read and checked by the caller with
 * khum_form_check; forms with errors must not be passed) in one
 * transaction; explanation[i] explains all of form i's warnings, or is ""
 * (the form then needs an explanation). The entry state machine decides
 * each form's state (KHUM_ACT_IMPORT); a station that has a result already
 * is refused (F.111) and nothing is written. source names both who the
 * entries are recorded as and where a failure is placed; a file is imported
 * with khum_app_import_results_votes instead. */
khum_code khum_app_import_forms(khum_store *s, const khum_election *e, const char *source,
                                const khum_form *forms, const char *const *explanation,
                                const long *lines, size_t n, khum_err *err);

typedef struct khum_results_report {
    char sha256[65];          /* of the bytes read */
    size_t rows;              /* data rows in the file */
    size_t imported;          /* forms stored */
    size_t rejected;          /* rows left out, each listed in `rejected` */
    char votes_sha256[65];    /* the long format's votes file: of its bytes ("" none) */
    size_t votes_rows;        /* its data rows */
} khum_results_report;

/* The forms of a results file that pass every check, with each one's
 * explanation ("" none) and line in the file. */
typedef struct khum_results_forms {
    khum_form *f;
    const char **expl;
    long *line;
    size_t n, cap;
} khum_results_forms;

/* Read and check a results file as khum_app_import_results_votes does
 * (either format, the same rules and messages), storing nothing: the forms
 * that pass go into out (in arena a), the rows refused into rejected, each
 * at file:line, and rep->rejected counts them. For readers of published
 * files (`khum tally --forms`); only a file that cannot be read fails. */
khum_code khum_app_read_results(const khum_election *e, const char *path,
                                const char *votes_path, khum_arena *a, khum_results_forms *out,
                                khum_diags *rejected, khum_results_report *rep, khum_err *err);

/* Import a results file (docs/count.md) in one operation: the header must
 * name only the form's columns, `explanation` and lists of the election
 * (F.106); every row is checked, and rows with an error or a repeated
 * station (F.112) are listed in rejected (at file:line). Unless
 * accept_valid, one rejected row refuses the file (KHUM_ERR_INPUT, nothing
 * written). A station with a result already refuses the file (F.111,
 * KHUM_ERR_INPUT). The forms go through the entry state machine and are
 * stored in one transaction with an audit event (results.import, actor
 * user) recording the file's path, SHA-256, rows and forms. A file with
 * only its header, or nothing left to store, writes nothing and no event.
 * A file that cannot be opened is bad input (CSV.110, KHUM_ERR_INPUT).
 * votes_path NULL: the wide format. Otherwise the long format: path the
 * forms file (the figures; a list column is refused, other columns are
 * ignored), votes_path the votes file (station, party, votes), read by
 * khum_form_votes_read: its bad rows are listed at votes file:line and
 * reject their station's form, then every form is checked as a wide file's
 * row is. The event records both files and their SHA-256. */
khum_code khum_app_import_results_votes(khum_store *s, const khum_election *e,
                                        const char *path, const char *votes_path,
                                        const char *user, bool accept_valid,
                                        khum_diags *rejected, khum_results_report *rep,
                                        khum_err *err);

/* Record the seed of the lots drawn for a commune (once). */
khum_code khum_app_draw_lots(khum_store *s, const khum_election *e, const char *user,
                             const char *commune, const char *seed, khum_err *err);

/* Tabulate the current results (accepted or official forms, recorded lots). */
khum_code khum_app_tally(khum_store *s, const khum_election *e, khum_tally *t, khum_err *err);

/* ---- the live tally (live_app.c) ---------------------------------------------------- */

/* The same tally kept up to date form by form (khum_tally_track): the
 * recorded lots go to arena a, for khum_tally_update. */
khum_code khum_app_tally_live(khum_store *s, const khum_election *e, khum_tally *t,
                              khum_arena *a, khum_commune_lots **lots, size_t *nlots,
                              khum_err *err);

/* What changed for the live tally of election e after audit event `after`:
 * each station a form event touched, with the form that counts for it now
 * (NULL: none). `rebuild` when an event changes more than forms (an import,
 * lots, official results, an explanation, or more events than are worth
 * following): count again. Read in a transaction of its own; applying a
 * station's current form twice changes nothing, so a form written after
 * `last` is simply applied again later. */
typedef struct khum_live_change {
    const char *station;
    const khum_form *form;
} khum_live_change;

typedef struct khum_live_changes {
    khum_live_change *items;
    size_t n;
    int64_t last;   /* the newest event read (after, when none) */
    bool rebuild;
} khum_live_changes;

khum_code khum_app_live_changes(khum_store *s, const khum_election *e, int64_t after,
                                khum_arena *a, khum_live_changes *out, khum_err *err);

/* Reconcile the stored official totals with the current forms; the
 * differences go to out (R.4xx). The forms are also replayed one by one
 * through the live tally, in the reverse order, and any area where it does
 * not equal the full count is a difference too (TLY.890). */
khum_code khum_app_reconcile(khum_store *s, const khum_election *e, khum_diags *out,
                             khum_err *err);

/* Make communes official (all complete ones when n is 0). Refused, with the
 * reasons in problems, when a form is not accepted (R.404), seats or the
 * chief wait for lots (R.405, R.406), or the stored totals of other
 * communes no longer reconcile (R.403). *done counts the communes made
 * official. */
khum_code khum_app_make_official(khum_store *s, const khum_election *e, const char *user,
                                 const char *const *communes, size_t n, size_t *done,
                                 khum_diags *problems, khum_err *err);

/* ---- councils and the ledger (council_app.c) ------------------------------ */

/* The lists of a commune: votes and seats from the tally, candidates from
 * the store (CNL.308 when a list has fewer candidates than seats). */
khum_code khum_app_commune_lists(khum_store *s, const khum_election *e, const khum_tally *t,
                                 const khum_election_commune *ec, khum_arena *a,
                                 khum_council_list **out, khum_err *err);

/* The day a council is read on, into day: `as_of` when it lies within the
 * mandate (polling day to khum_app_mandate_end, into end), else CNL.310;
 * NULL: today, or the mandate's last day once it is over (*clamped says so). */
khum_code khum_app_council_day(khum_store *s, const khum_election *e, const char *as_of,
                               char day[11], char end[11], bool *clamped, khum_err *err);

/* The council of a commune on a date: formed from the current results on
 * polling day, then the ledger replayed (khum_ledger_replay). t is a tally
 * of the election (khum_app_tally), so that many communes share one. A date
 * outside the mandate is CNL.310 (khum_app_council_day). */
khum_code khum_app_council(khum_store *s, const khum_election *e, const khum_tally *t,
                           const char *commune, const char *as_of,
                           const khum_council_rules *r, khum_arena *a, khum_council *c,
                           khum_changes *changes, khum_err *err);

/* Every council of the election (or one commune) replayed to `until`: the
 * memberships (seats and posts with their periods) and every change. */
khum_code khum_app_mandate(khum_store *s, const khum_election *e, const khum_tally *t,
                           const char *commune, const char *until,
                           const khum_council_rules *r, khum_arena *a,
                           khum_memberships *members, khum_changes *changes, khum_err *err);

/* The last day of the election's mandate (khum_mandate_end), with the next
 * mandate's polling day when an election of it is on record. */
khum_code khum_app_mandate_end(khum_store *s, const khum_election *e, char out[11],
                               khum_err *err);

/* Record a ledger event, one transaction (ledger_app.c): it is accepted
 * only if the whole ledger stays valid with it: every council it touches
 * (every council for a dissolution or its reversal) replays on every date
 * to the end of the mandate. Refused, with nothing written: a date outside
 * the mandate (LED.603), an event that cannot apply (LED.601), one that
 * would break a later event, naming it (LED.606), a reversal of no event
 * (LED.607) or of a reversal or reversed event (LED.608). */
khum_code khum_app_record_event(khum_store *s, const khum_election *e,
                                const khum_ledger_event *ev, const khum_council_rules *r,
                                const char *user, int64_t *id, khum_err *err);

/* Record the lots drawn for what dissolution `event` does to `commune`,
 * where a tie in votes decides a redistributed seat or a post (rules.md §3,
 * §6; the council shows it pending until then). Once per event and commune
 * (LED.611); the event must be a dissolution of this election (LED.610). */
khum_code khum_app_draw_event_lots(khum_store *s, const khum_election *e, const char *user,
                                   int64_t event, const char *commune, const char *seed,
                                   khum_err *err);

/* ---- the audit log and users (audit_app.c, user_app.c) ------------------- */

/* Append one audit event in a transaction of its own (a refused write, say). */
khum_code khum_app_audit(khum_store *s, const char *actor, const char *type,
                         const char *object, const char *area, const char *detail,
                         khum_err *err);

/* May user act? user must name an existing user (AUTH.514), not disabled
 * (AUTH.515), whose role and scope allow action on object (khum_auth_allows:
 * AUTH.503, AUTH.504). The one check the command line and the server make
 * before every write. */
khum_code khum_app_authorize(khum_store *s, const char *user, khum_action action,
                             const char *object, khum_err *err);

/* What recording ev asks of the actor: a dissolution or a reversal
 * KHUM_DO_LEDGER_NATION on the whole election (*object ""), any other event
 * KHUM_DO_LEDGER on its commune. */
khum_action khum_app_ledger_action(const khum_ledger_event *ev, const char **object);

/* Add a user with a role, a scope (khum_scope_check; each code an area of the
 * gazetteer or a station of one of its communes: AUTH.516) and a password.
 * The caller has authorized the actor (KHUM_DO_USERS). */
khum_code khum_app_user_add(khum_store *s, const char *actor, const char *name,
                            const char *role, const char *scope, const char *password,
                            khum_err *err);
/* The first administrator, added with no acting user: refused once the
 * database has an administrator (AUTH.517), or for another role (AUTH.518). */
khum_code khum_app_user_bootstrap(khum_store *s, const char *actor, const char *name,
                                  const char *role, const char *scope, const char *password,
                                  khum_err *err);
/* Change a password, role/scope (NULL: unchanged; a scope is checked as
 * above) or disable; every change ends the user's sessions. */
khum_code khum_app_user_change(khum_store *s, const char *actor, const char *name,
                               const char *role, const char *scope, const char *password,
                               int disabled, khum_err *err);

typedef struct khum_session {
    char token[65];          /* given to the client once; only its hash is stored */
    char csrf[65];
    const char *user, *role, *scope;  /* in the caller's arena */
} khum_session;

/* How failed logins are limited (0s: the defaults). */
typedef struct khum_login_policy {
    const char *dummy_hash;   /* an Argon2id hash checked for unknown users, so that
                               * they cost as much time as known ones */
    int max_failures;         /* failures before a block (5) */
    int backoff;              /* seconds of the first block, doubled with each failure
                               * after it, at most an hour (30) */
    int forget;               /* failures older than this are forgotten (900 s) */
} khum_login_policy;

/* Check a password and open a session for ttl seconds. A wrong user, wrong
 * password and a disabled user all fail alike with AUTH.502. Every attempt
 * on an existing user counts as a failure, kept with the user, until it
 * succeeds; past the policy's limit logins are refused (AUTH.506, with
 * *retry_after seconds) whatever the password. */
khum_code khum_app_login(khum_store *s, const khum_login_policy *policy, const char *name,
                         const char *password, int ttl, khum_arena *a, khum_session *out,
                         int *retry_after, khum_err *err);
/* The seconds a block lasts after failures (0 below max). */
int khum_login_block_seconds(int failures, int max, int backoff);
/* The session of a token, with the user's role and scope (AUTH.501 when the
 * token is unknown, expired or its user disabled). */
khum_code khum_app_session(khum_store *s, const char *token, khum_arena *a,
                           khum_session *out, khum_err *err);
khum_code khum_app_logout(khum_store *s, const char *token, khum_err *err);

#endif