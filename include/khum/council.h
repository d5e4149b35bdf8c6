/*
 * khum/council.h: councils and the mandate ledger, pure.
 *
 * A council is formed from a commune's allocation: each list's seats go to
 * its candidates in list order, and the chief and deputies follow the rule
 * set (LAMC Arts 32-35; rules.md §3): lists ranked by votes; three or more
 * lists with seats give the posts to the top candidates of the first three;
 * two lists: chief and 1st deputy from the first list, 2nd deputy from the
 * other; one list: all three from it. Ties in votes for a post go to the
 * recorded lots, and wait for them (khum_council.pending) when there are none.
 *
 * The ledger is an append-only list of events (resignation, death, removal,
 * expulsion, defection, party dissolution, reversal). The state of a council
 * on any date is the formation replayed with the events effective on or
 * before that date; the rule set decides every consequence (rules.md §5, §6)
 * and each one is recorded as a change with its reason, so "who held which
 * seat, for which party, and why" has an answer for every day.
 */
#ifndef KHUM_COUNCIL_H
#define KHUM_COUNCIL_H

#include <stdbool.h>
#include <stdint.h>

#include "khum/alloc.h"
#include "khum/arena.h"
#include "khum/csv.h"
#include "khum/err.h"

typedef enum khum_post {
    KHUM_POST_NONE,
    KHUM_POST_CHIEF,
    KHUM_POST_DEPUTY1,
    KHUM_POST_DEPUTY2
} khum_post;

const char *khum_post_name(khum_post p);

typedef struct khum_candidate {
    const char *person;     /* person id */
    const char *name;       /* for reports */
} khum_candidate;

/* One party's list in one commune: ordered candidates, its votes and seats. */
typedef struct khum_council_list {
    const char *party;
    int64_t votes;
    int seats;              /* seats the allocation gave it */
    const khum_candidate *cand;
    size_t ncand;
} khum_council_list;

/* Lots drawn for what one ledger event (a dissolution) does to one commune:
 * a tie that decides a redistributed seat or a post (khum ledger lots). */
typedef struct khum_event_lot {
    int64_t event;
    const char *commune, *seed;
} khum_event_lot;

typedef struct khum_council_rules {
    bool defector_keeps_seat;     /* false: a defector loses the seat (the law) */
    bool deputy_moves_up;         /* true: a 1st deputy of the chief's list becomes chief,
                                   * and a 2nd deputy moves up into a 1st deputy's post that
                                   * its list can no longer fill (rank order, LAMC Art 40) */
    bool redistribution_all_seats;/* true: averages v/(held+new+1); false: v/(new+1) */
    bool pool_without_vacant;     /* false (default): a dissolved party's vacant seats are
                                   * redistributed with the others (LEMNA 118(e) "its
                                   * seats"); true: only the seats it still held */
    bool head_only;               /* the election's posts=head: only a head of council,
                                   * #1 of the most-voted list (Portugal), no deputies */
    khum_tie_rule tie_rule;       /* the election's tie chain: whether more or fewer votes
                                   * come first for a redistributed seat */
    const char *lots_seed;        /* the commune's lots, for ties in posts (khum lots) */
    const khum_event_lot *event_lots;  /* lots of dissolutions, any commune */
    size_t nevent_lots;
} khum_council_rules;

void khum_council_rules_default(khum_council_rules *r);
/* Are these the law's settings? Any other reading is a what-if: an event
 * that has no meaning under it is noted ("skipped") instead of failing. */
bool khum_council_rules_is_law(const khum_council_rules *r);

/* A seat and who holds it. */
typedef struct khum_member {
    const char *person, *name;
    const char *list_party;      /* the list the seat was won on */
    const char *party;           /* the party the holder now sits for */
    int list_pos;                /* 1-based position on that list */
    khum_post post;
    const char *since;           /* date the holder took the seat */
    const char *why;             /* elected, replacement, redistribution, defection ... */
    const char *post_since;      /* date the holder took the post (NULL: no post) */
    const char *post_why;        /* "elected", or how the post came to the holder */
    int joined;                  /* order in which members joined their party group */
} khum_member;

/* A decision that waits for lots: a tie in votes decides a post, or a tie
 * decides a seat redistributed after a dissolution (then the commune's whole
 * redistribution waits). event 0: the formation (khum lots COMMUNE SEED);
 * otherwise the dissolution (khum ledger lots EVENT COMMUNE SEED). */
typedef struct khum_council_pending {
    int64_t event;
    const char *date;
    const char *what;             /* "posts" or "redistributed seats" */
    const char *parties;          /* the tied lists, "CNRP,FCP" */
} khum_council_pending;

#define KHUM_COUNCIL_MAX_PENDING 4

typedef struct khum_council {
    const char *commune;
    int seats;
    khum_council_list *lists;    /* copied; the allocation's lists */
    size_t nlists;
    int *next_cand;              /* per list: index of the next unseated candidate */
    khum_member *m;              /* the seated members */
    size_t n, cap;
    int vacant;                  /* seats no candidate could fill */
    int *vacant_of;              /* per list: its vacant seats (a dissolution's pool) */
    int joins;
    khum_council_pending pending[KHUM_COUNCIL_MAX_PENDING];  /* lots still to draw */
    size_t npending;
} khum_council;

/* Form the council the day results became official (`date`). */
khum_code khum_council_form(const char *commune, int seats, const khum_council_list *lists,
                            size_t nlists, const khum_council_rules *r, const char *date,
                            khum_arena *a, khum_council *c, khum_err *err);

typedef enum khum_event_type {
    KHUM_EV_RESIGN,        /* written resignation */
    KHUM_EV_DIE,
    KHUM_EV_REMOVE,        /* removed by decision (sentence, dismissal, incapacity) */
    KHUM_EV_EXPEL,         /* loss of party membership */
    KHUM_EV_DEFECT,        /* joins another party (to_party) */
    KHUM_EV_DISSOLVE,      /* the party is dissolved: its seats are redistributed */
    KHUM_EV_REVERSE        /* undoes an earlier event (reverses) */
} khum_event_type;

const char *khum_event_name(khum_event_type t);
bool khum_event_parse(const char *s, khum_event_type *t);

typedef struct khum_ledger_event {
    int64_t id;
    const char *date;              /* effective date, YYYY-MM-DD */
    khum_event_type type;
    const char *commune;           /* "" for a dissolution (every commune) */
    const char *person;            /* the councillor concerned */
    const char *party;             /* dissolved party */
    const char *to_party;          /* defection */
    const char *const *declining;  /* dissolution: parties that decline seats */
    size_t ndeclining;
    int64_t reverses;              /* REVERSE: the event undone */
    const char *reference;         /* decision number, legal reference */
} khum_ledger_event;

/* One consequence of an event on one council, for the record. */
typedef struct khum_change {
    int64_t event;
    const char *date, *commune;
    const char *what;              /* "left", "seated", "post", "party" */
    const char *person, *name, *party;
    khum_post post;
    const char *detail;
} khum_change;

typedef struct khum_changes {
    khum_change *v;
    size_t n, cap;
} khum_changes;

/* Apply one event to one council (events must come in date order). A
 * dissolution applies to any council; the others only to their commune.
 * Every consequence is appended to `out` (may be NULL). */
khum_code khum_council_apply(khum_council *c, const khum_ledger_event *ev,
                             const khum_council_rules *r, khum_arena *a, khum_changes *out,
                             khum_err *err);

/* The council on date as_of: formed on formed_on from the lists, then every
 * event effective on or before as_of applied in (date, id) order, except the
 * events undone by a reversal effective on or before as_of (a mistaken event
 * stays visible for the days before its reversal: history is not rewritten).
 * events need not be sorted. Consequences go to out (may be NULL). */
khum_code khum_ledger_replay(const char *commune, int seats, const khum_council_list *lists,
                             size_t nlists, const char *formed_on,
                             const khum_ledger_event *events, size_t nevents,
                             const char *as_of, const khum_council_rules *r, khum_arena *a,
                             khum_council *c, khum_changes *out, khum_err *err);

/* Does the ledger hold for one council over the whole mandate (to `end`,
 * inclusive)? Every date must replay: a back-dated event may break a later
 * one, and a reversal may break an event that depended on what it undoes.
 * On failure, *broken is the event that can no longer apply (NULL when the
 * failure is not an event's, e.g. out of memory) and err says why. */
khum_code khum_ledger_check(const char *commune, int seats, const khum_council_list *lists,
                            size_t nlists, const char *formed_on,
                            const khum_ledger_event *events, size_t nevents, const char *end,
                            const khum_council_rules *r, khum_arena *a,
                            const khum_ledger_event **broken, khum_err *err);

/* The last day of the mandate that began on polling_day: its fifth
 * anniversary (rules.md §1; 28 February for a 29 February), or the eve of
 * the next mandate's polling day when that comes first (next_polling_day
 * NULL or "" when there is none on record). The one home of this rule:
 * event dates, the mandate export and the API all use it. */
void khum_mandate_end(const char *polling_day, const char *next_polling_day, char out[11]);

/* Seats per party (current affiliation) in a council: counts[i] for party
 * names[i]; returns the number of parties. */
size_t khum_council_seats_by_party(const khum_council *c, const char **names, int *counts,
                                   size_t cap);
const khum_member *khum_council_post_holder(const khum_council *c, khum_post p);

/* A person's time in a seat or a post, for exports (Popolo memberships). */
typedef struct khum_membership {
    const char *person, *name, *commune;
    const char *party;             /* the party the seat is held for in this period */
    const char *role;              /* "councillor", "chief", "first-deputy", "second-deputy" */
    const char *start, *end;       /* end "" while current */
    const char *start_reason, *end_reason;
} khum_membership;

typedef struct khum_memberships {
    khum_membership *v;
    size_t n, cap;
} khum_memberships;

/* Append the memberships of one commune: `formed` is the council as formed
 * on polling day, `changes` what the ledger did to it afterwards (from
 * khum_ledger_replay, in order). */
khum_code khum_memberships_add(khum_memberships *out, const khum_council *formed,
                               const char *formed_on, const khum_changes *changes,
                               khum_arena *a, khum_err *err);

/* As CSV: person,name,commune,party,role,start,end,start_reason,end_reason. */
void khum_memberships_csv(const khum_memberships *m, khum_buf *b);

/* Days since 1970-01-01 of a YYYY-MM-DD date, and back. */
long khum_date_days(const char *date);
void khum_days_date(long days, char out[11]);

/* A row of a candidate list file. */
typedef struct khum_candidate_row {
    const char *commune, *party, *person, *name_latin, *name_km, *sex;
    int position, birth_year;   /* birth_year 0 when not given */
    long line;
} khum_candidate_row;

/* Read and check candidate lists (CNL.30x); rows come back sorted by
 * commune, party and position. The list length against the seats (at least
 * 2 x seats) is checked by the caller, which knows the seats. */
khum_code khum_candidates_read(khum_csv *csv, int poll_year, khum_arena *a,
                               khum_candidate_row **rows, size_t *n, khum_err *err);

#endif
