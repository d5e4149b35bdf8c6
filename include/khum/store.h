/*
 * khum/store.h: persistence. The only part of khum that speaks SQL; every
 * other module hands it structs. One database per deployment, opened from a
 * path (SQLite, the default) or, later, a postgresql:// URI. Opening applies
 * any pending schema migration (src/store/schema/NNN_*.sql).
 *
 * Writes are grouped by the caller between khum_store_begin and
 * khum_store_commit; on any error the caller calls khum_store_rollback and
 * the database is exactly as before.
 */
#ifndef KHUM_STORE_H
#define KHUM_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "khum/arena.h"
#include "khum/audit.h"
#include "khum/council.h"
#include "khum/count.h"
#include "khum/err.h"
#include "khum/geo.h"

typedef struct khum_store khum_store;

khum_code khum_store_open(const char *uri, khum_store **out, khum_err *err);
/* Does uri name a PostgreSQL database (postgresql:// or postgres://)? */
bool khum_store_uri_is_postgres(const char *uri);

/* What a database holds, looked at without changing anything in it: nothing
 * (no table, or khum's schema with no row), what `khum demo` built (its
 * audit log opens with a KHUM_DEMO_EVENT and every election is SYNTHETIC),
 * or anything else (another program's database, a real election). A file
 * that is not a database is KHUM_DB_OTHER. */
typedef enum khum_db_kind { KHUM_DB_EMPTY, KHUM_DB_DEMO, KHUM_DB_OTHER } khum_db_kind;
#define KHUM_DEMO_EVENT "demo.build"
khum_code khum_store_probe(const char *uri, khum_db_kind *kind, khum_err *err);
void khum_store_close(khum_store *s);
const char *khum_store_backend(const khum_store *s);    /* "sqlite" */
int khum_store_schema_version(const khum_store *s);
int khum_store_schema_latest(void);                      /* migrations compiled in */

/* The actor the audit log names when a call gives none ("system" until set),
 * e.g. "cli:alice" for the imports of one command. */
void khum_store_set_actor(khum_store *s, const char *actor);

khum_code khum_store_begin(khum_store *s, khum_err *err);

khum_code khum_store_commit(khum_store *s, khum_err *err);
void khum_store_rollback(khum_store *s);

/* Group commit (the server's writer thread, #17): between
 * khum_store_batch_begin and khum_store_batch_commit, khum_store_begin,
 * _commit and _rollback become a savepoint, its release and a rollback to
 * it, so each operation of the batch still succeeds or changes nothing on
 * its own, in order (the audit chain's), while the batch shares one commit
 * and one flush to disk. Nothing of a batch is durable before
 * khum_store_batch_commit returns KHUM_OK, so nothing of it may be
 * acknowledged before; khum_store_batch_rollback drops the whole batch. */
khum_code khum_store_batch_begin(khum_store *s, khum_err *err);
khum_code khum_store_batch_commit(khum_store *s, khum_err *err);
void khum_store_batch_rollback(khum_store *s);

/* How long khum_store_begin waits for another writer's lock before failing,
 * in milliseconds (SQLite's default is 5000; PostgreSQL waits without end).
 * Tests that interleave two connections use 0: fail at once, never hang. */
khum_code khum_store_set_lock_wait(khum_store *s, int ms, khum_err *err);

/* A test hook: operations call it at named points inside their transaction
 * ("official.decided", "ledger.decided": after deciding, before writing), so
 * a test can act through a second connection at exactly that moment
 * (tests/unit/test_ledger_race.c, test_store.c). Kept on the handle, never
 * global; NULL (the default) for none. */
typedef void (*khum_store_hook_fn)(void *ctx, const char *point);
void khum_store_set_hook(khum_store *s, khum_store_hook_fn fn, void *ctx);
void khum_store_hook(khum_store *s, const char *point);

typedef struct khum_upsert_stats {
    size_t inserted, updated, unchanged;
} khum_upsert_stats;

/* Insert or update units (parents before children, as khum_gazetteer_check
 * leaves them). A parent that is neither given nor stored fails with GEO.204
 * naming the unit's file and line. Centroids are kept when the input has none. */
khum_code khum_store_put_units(khum_store *s, const khum_unit *units, size_t n,
                               khum_upsert_stats *st, khum_err *err);
/* Read every unit whose code starts with prefix ("" for all) into g. */
khum_code khum_store_load_gazetteer(khum_store *s, const char *prefix,
                                    khum_gazetteer *g, khum_err *err);
khum_code khum_store_area_exists(khum_store *s, khum_level l, const char *code,
                                 bool *exists, khum_err *err);
/* Whether code is a polling station of any election stored (a user's scope
 * may name one, whatever shape its election gives station codes). */
khum_code khum_store_station_exists(khum_store *s, const char *code, bool *exists,
                                    khum_err *err);

/* Replace the population of the given communes for one year. Every commune
 * must exist (the caller filters unknown codes into warnings first). */
khum_code khum_store_put_population(khum_store *s, int year, const khum_population *rows,
                                    size_t n, khum_err *err);
/* Set council sizes; an unknown commune fails with SEAT.404 at its line. */
khum_code khum_store_put_council_sizes(khum_store *s, const khum_council_size *rows,
                                       size_t n, const char *source, khum_err *err);
khum_code khum_store_put_parties(khum_store *s, const khum_party *rows, size_t n,
                                 khum_upsert_stats *st, khum_err *err);
khum_code khum_store_list_parties(khum_store *s, khum_arena *a, khum_party **rows,
                                  size_t *n, khum_err *err);

/* The import_log row of one source file (the operation writes its audit event). */
khum_code khum_store_put_import_log(khum_store *s, const char *kind, const char *source,
                                    const char *sha256_hex, int64_t rows, khum_err *err);

typedef struct khum_geo_counts {
    int64_t provinces, districts, communes, villages;
    int64_t communes_with_population;    /* in the latest census year stored */
    int64_t population_year;             /* 0 when none */
    int64_t population_total;
    int64_t communes_with_seats;         /* in the latest mandate stored */
    int64_t seats_mandate, seats_total;
    int64_t parties;
} khum_geo_counts;

khum_code khum_store_geo_counts(khum_store *s, khum_geo_counts *out, khum_err *err);

/* A unit with what `khum geo show` prints about it. */
typedef struct khum_area_info {
    khum_unit unit;
    const char *parent_name;             /* Latin name of the parent, "" for provinces */
    const char *province_name;
    const char *province_code;           /* the province above (or itself), "" when none */
    int64_t children;                    /* the units right below */
    int64_t population, population_year; /* latest census, -1 / 0 when none */
    int seats, seats_mandate;             /* latest mandate, 0 when none */
} khum_area_info;

/* Find units by exact code, or by name: Latin (case-insensitive, UNGEGN too)
 * or Khmer, exact matches first, then names containing the query. Villages
 * are searched only by code. At most limit results. */
khum_code khum_store_find_areas(khum_store *s, const char *query, size_t limit,
                                khum_arena *a, khum_area_info **out, size_t *n,
                                khum_err *err);

/* ---- elections and the count (store_count.c) ---------------------------- */

/* Store a checked election definition. Every commune must be in the
 * gazetteer (ELE.708) and every party in the registry (ELE.709). Storing the
 * same definition again is a no-op (*existed set); a different definition
 * under the same id is refused (ELE.707). */
khum_code khum_store_put_election(khum_store *s, const khum_election *e, bool *existed,
                                  khum_err *err);
/* Load an election (id NULL or "": the only one stored) and check that it
 * still matches its hash (ELE.710). e must be initialised. */
khum_code khum_store_load_election(khum_store *s, const char *id, khum_election *e,
                                   khum_err *err);

typedef struct khum_election_row {
    const char *id, *name, *date, *hash;
    int mandate;
    bool synthetic;
} khum_election_row;

khum_code khum_store_list_elections(khum_store *s, khum_arena *a, khum_election_row **rows,
                                    size_t *n, khum_err *err);

/* Every commune of the gazetteer with its latest census population and
 * adults (-1 when the census has no figure), in code order. */
typedef struct khum_commune_pop {
    const char *code;
    int64_t population, adults;
} khum_commune_pop;

khum_code khum_store_commune_population(khum_store *s, khum_arena *a, khum_commune_pop **rows,
                                        size_t *n, khum_err *err);

/* Names (Latin and Khmer) and centroid of every province, district and
 * commune, sorted by code; lat/lon are NAN when the gazetteer has none. */
typedef struct khum_area_name {
    const char *code, *name_latin, *name_km;
    const char *unit;                 /* the gazetteer's word for the level (unit_en, else
                                       * unit_latin): "Province", "Municipality"; may be "" */
    double lat, lon;
} khum_area_name;

/* The country of the gazetteer's provinces: the ISO 3166-1 alpha-2 code their
 * ISO 3166-2 codes share ("KH" for KH-1 ... KH-25), or "" when they have none
 * or name several countries. */
khum_code khum_store_country(khum_store *s, char out[3], khum_err *err);
khum_code khum_store_area_names(khum_store *s, khum_arena *a, khum_area_name **rows,
                                size_t *n, khum_err *err);
/* Every explanation of the current forms of an election (station, code, text). */
typedef struct khum_explanation_row {
    const char *station, *code, *text;
} khum_explanation_row;

khum_code khum_store_all_explanations(khum_store *s, const char *election, khum_arena *a,
                                      khum_explanation_row **rows, size_t *n, khum_err *err);

/* The state of one version of one station's form. */
typedef struct khum_form_version {
    bool exists;
    int version;
    khum_form_state state;
    int64_t first_entry, second_entry, accepted_entry;  /* 0 when none */
    const char *first_user, *second_user;                /* "" when none */
    const char *reason, *reference;
} khum_form_version;

/* version 0: the latest version. */
khum_code khum_store_form_version(khum_store *s, const char *election, const char *station,
                                  int version, khum_arena *a, khum_form_version *out,
                                  khum_err *err);
khum_code khum_store_put_form_version(khum_store *s, const char *election,
                                      const char *station, const khum_form_version *v,
                                      const char *actor, khum_err *err);
khum_code khum_store_add_entry(khum_store *s, const char *election, int version, int slot,
                               const char *user, const khum_form *f, int64_t *id,
                               khum_err *err);
khum_code khum_store_load_entry(khum_store *s, int64_t id, khum_arena *a, khum_form *f,
                                khum_err *err);
khum_code khum_store_log_form_event(khum_store *s, const char *election, const char *station,
                                    int version, const char *action, const char *from,
                                    const char *to, const char *actor, const char *detail,
                                    khum_err *err);
khum_code khum_store_put_explanation(khum_store *s, const char *election, const char *station,
                                     int version, const char *code, const char *text,
                                     const char *user, khum_err *err);
/* The explanations of one form version (code and text, in code order). */
khum_code khum_store_explanations(khum_store *s, const char *election, const char *station,
                                  int version, khum_arena *a, const char ***codes,
                                  const char ***texts, size_t *n, khum_err *err);
/* Store n forms of an election that has no form yet, as one bulk import
 * from source: entry ids first_id, first_id + 1, ... in order, version 1 in
 * state[i] (accepted or needs-explanation), an "import" event each. The
 * rows are those khum_store_add_entry, put_form_version and log_form_event
 * write; only fewer, larger statements. */
khum_code khum_store_put_forms_fresh(khum_store *s, const char *election, const khum_form *f,
                                     const khum_form_state *state, size_t n,
                                     const char *source, int64_t *first_id, khum_err *err);
/* The result that counts for each station: its latest accepted or official
 * version. Forms live in arena a. */
khum_code khum_store_current_forms(khum_store *s, const char *election, khum_arena *a,
                                   khum_form **forms, size_t *n, khum_err *err);
/* The one form of a station that counts now, or *form NULL when none does
 * (the live tally's query: the same rule as khum_store_current_forms). */
khum_code khum_store_current_form(khum_store *s, const char *election, const char *station,
                                  khum_arena *a, khum_form **form, khum_err *err);
/* How many stations of the election have any form version at all. */
khum_code khum_store_count_form_versions(khum_store *s, const char *election, int64_t *n,
                                         khum_err *err);
/* Per station: the latest version's state (for progress and reconciliation). */
khum_code khum_store_form_states(khum_store *s, const char *election, khum_arena *a,
                                 const char ***stations, khum_form_state **states,
                                 size_t *n, khum_err *err);
/* The same with each latest version's number (0 when the station has none). */
khum_code khum_store_form_state_versions(khum_store *s, const char *election, khum_arena *a,
                                         const char ***stations, int **versions,
                                         khum_form_state **states, size_t *n, khum_err *err);

/* A form version moving from state to state, as khum_entry_next decided. */
typedef struct khum_form_move {
    const char *station;
    int version;
    khum_form_state from, to;
} khum_form_move;
/* Write the moves, each logged in form_event as action by actor. A version
 * no longer in its from state is left as it is (the caller decided inside
 * its transaction, so that does not happen). */
khum_code khum_store_move_forms(khum_store *s, const char *election,
                                const khum_form_move *moves, size_t n, const char *action,
                                const char *actor, const char *detail, khum_err *err);

khum_code khum_store_put_lots(khum_store *s, const char *election, const char *commune,
                              const char *seed, const char *user, khum_err *err);
khum_code khum_store_list_lots(khum_store *s, const char *election, khum_arena *a,
                               khum_commune_lots **lots, size_t *n, khum_err *err);

/* Record communes as official with the totals of every level they touch.
 * Their forms' states move separately (khum_store_move_forms), as the state
 * machine decides. */
khum_code khum_store_put_official(khum_store *s, const char *election,
                                  const char *const *communes, size_t ncommunes,
                                  const khum_published_total *totals, size_t ntotals,
                                  const char *user, khum_err *err);
khum_code khum_store_official_totals(khum_store *s, const char *election, khum_arena *a,
                                     khum_published_total **rows, size_t *n, khum_err *err);
khum_code khum_store_is_official(khum_store *s, const char *election, const char *commune,
                                  bool *official, khum_err *err);
khum_code khum_store_official_communes(khum_store *s, const char *election, khum_arena *a,
                                       const char ***communes, size_t *n, khum_err *err);

/* ---- candidate lists and the ledger (store_council.c) --------------------- */

/* Store candidate lists (persons too). A list for a party that does not
 * contest that commune in the election fails with CNL.306 at its line. */
khum_code khum_store_put_candidates(khum_store *s, const char *election,
                                    const khum_candidate_row *rows, size_t n, khum_err *err);
/* The candidates of one commune, by party and position. */
khum_code khum_store_commune_candidates(khum_store *s, const char *election,
                                        const char *commune, khum_arena *a,
                                        khum_candidate_row **rows, size_t *n, khum_err *err);
/* Candidates of an election whose Latin name (in any case) or Khmer name
 * contains q, by name, at most limit of them; sex and line are not read. */
khum_code khum_store_find_candidates(khum_store *s, const char *election, const char *q,
                                     size_t limit, khum_arena *a, khum_candidate_row **rows,
                                     size_t *n, khum_err *err);
khum_code khum_store_add_ledger_event(khum_store *s, const char *election,
                                      const khum_ledger_event *ev, const char *user,
                                      int64_t *id, khum_err *err);
/* The events of a commune and every national event (dissolutions), or of
 * every commune when commune is NULL; in (date, id) order. */
khum_code khum_store_ledger_events(khum_store *s, const char *election, const char *commune,
                                   khum_arena *a, khum_ledger_event **ev, size_t *n,
                                   khum_err *err);
/* Lots drawn for what a dissolution does to one commune (store_lots.c):
 * recorded once (LED.611), listed by event and commune. */
khum_code khum_store_put_event_lots(khum_store *s, const char *election, int64_t event,
                                    const char *commune, const char *seed, const char *user,
                                    khum_err *err);
khum_code khum_store_list_event_lots(khum_store *s, const char *election, khum_arena *a,
                                     khum_event_lot **lots, size_t *n, khum_err *err);

/* ---- the audit log, users and sessions (store_audit.c, store_users.c) ----- */

/* Append an event (id, at, prev and hash are filled in) inside the caller's
 * transaction; *id (may be NULL) gets its id. */
khum_code khum_store_audit(khum_store *s, const khum_audit_event *ev, int64_t *id,
                           khum_err *err);
/* The newest event's id and hash (0 and GENESIS when the log is empty). The
 * id doubles as the data version: every write appends an event. */
khum_code khum_store_audit_head(khum_store *s, int64_t *id, char hash[KHUM_SHA256_HEX],
                                khum_err *err);

typedef struct khum_audit_filter {
    const char *actor;      /* exact, NULL or "" for any */
    const char *type;       /* exact or a prefix before '.', e.g. "form" */
    const char *area;       /* code prefix: a province finds its communes' events */
    int64_t after_id;       /* events with a greater id */
    size_t limit;           /* 0: no limit */
} khum_audit_filter;

khum_code khum_store_audit_list(khum_store *s, const khum_audit_filter *f, khum_arena *a,
                                khum_audit_event **ev, size_t *n, khum_err *err);
/* Check the whole chain from the first event; head gets the last good hash. */
khum_code khum_store_audit_verify(khum_store *s, size_t *checked,
                                  char head[KHUM_SHA256_HEX], khum_err *err);

typedef struct khum_user {
    const char *name, *role, *scope, *pw_hash, *created, *updated;
    bool disabled;
} khum_user;

/* Insert a new user (AUTH.511 when the name is taken) or, with update, change
 * role, scope, password hash and disabled of an existing one (AUTH.512 when
 * there is none). */
khum_code khum_store_put_user(khum_store *s, const khum_user *u, bool update, khum_err *err);
khum_code khum_store_get_user(khum_store *s, const char *name, khum_arena *a, khum_user *u,
                              bool *found, khum_err *err);

/* A user's failed logins, kept in the user's row (khum_app_login decides). */
typedef struct khum_login_state {
    int failures;              /* since the last success */
    int64_t last;              /* Unix seconds of the last failure */
    int64_t blocked_until;     /* Unix seconds; 0: not blocked */
} khum_login_state;
khum_code khum_store_get_login(khum_store *s, const char *name, khum_login_state *out,
                               bool *found, khum_err *err);
khum_code khum_store_put_login(khum_store *s, const char *name, const khum_login_state *l,
                               khum_err *err);
/* The write a failure costs, for a name that is no user: a login for an
 * unknown name takes as long as one for a known name (no enumeration). */
khum_code khum_store_touch_login(khum_store *s, khum_err *err);
khum_code khum_store_list_users(khum_store *s, khum_arena *a, khum_user **rows, size_t *n,
                                khum_err *err);

khum_code khum_store_put_session(khum_store *s, const char *token_hash, const char *user,
                                 const char *csrf, int64_t expires, khum_err *err);
/* The session of a token hash that has not expired at now (found false otherwise). */
khum_code khum_store_get_session(khum_store *s, const char *token_hash, int64_t now,
                                 khum_arena *a, const char **user, const char **csrf,
                                 bool *found, khum_err *err);
/* Remove one session (token_hash) or every session of a user (user). */
khum_code khum_store_drop_sessions(khum_store *s, const char *token_hash, const char *user,
                                   khum_err *err);

/* ---- moving a deployment (store_copy.c) ------------------------------------ */

typedef struct khum_copy_stats {
    size_t tables;
    int64_t rows;
    size_t audit_events;
    char audit_head[KHUM_SHA256_HEX];
} khum_copy_stats;

/* Copy every table of from into to (which must be empty: DB.912) in one
 * transaction, then verify (khum_store_copy_verify). progress
 * (may be NULL) is called after each table. */
khum_code khum_store_copy(khum_store *from, khum_store *to, khum_copy_stats *st,
                          void (*progress)(const char *table, int64_t rows, void *arg),
                          void *arg, khum_err *err);
/* Every table has as many rows in both, the copy's audit chain verifies and
 * ends in the source's head (DB.913 otherwise). */
khum_code khum_store_copy_verify(khum_store *from, khum_store *to, khum_copy_stats *st,
                                 khum_err *err);

#endif