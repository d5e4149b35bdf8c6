/*
 * khum/count.h: the count, pure. An election definition (communes with their
 * seats, the lists contesting each commune, the polling stations with their
 * registered voters) and its hash; polling-station result forms and their
 * coded checks; the double-entry state machine; tabulation of the accepted
 * forms into results and seats at every level, and reconciliation.
 *
 * Nothing here opens a file or runs SQL: readers take khum_csv handles, and
 * src/app composes these functions with the store.
 */
#ifndef KHUM_COUNT_H
#define KHUM_COUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "khum/alloc.h"
#include "khum/arena.h"
#include "khum/csv.h"
#include "khum/err.h"
#include "khum/geo.h"

/* ---- election definition ---------------------------------------------- */

/* `line` is the row in the source CSV, for messages; 0 when built in memory. */
typedef struct khum_station {
    const char *code, *commune;
    int64_t registered;
    long line;
    size_t commune_index;             /* into khum_election.communes (set by finish) */
} khum_station;

typedef struct khum_contest_list {
    const char *commune, *party;
    int ballot_no;
    long line;
} khum_contest_list;

typedef struct khum_election_commune {
    const char *code;
    const char *province, *district;  /* the council's parents in the gazetteer, "" when
                                       * none (no district level, or no gazetteer) */
    int seats;
    long line;
    size_t first_list, nlists;        /* into khum_election.lists */
    size_t first_station, nstations;  /* into khum_election.stations */
} khum_election_commune;

/* What a threshold percentage is of (rules-other.md). */
typedef enum khum_threshold_base {
    KHUM_BASE_VALID,                  /* ballots for a list: the sum of the lists' votes */
    KHUM_BASE_VALID_BLANK,            /* those and blank ballots (Spain, LOREG art. 96, 180) */
    KHUM_BASE_CAST                    /* every ballot in the box */
} khum_threshold_base;

/* Which posts a council's rule set fills from the results. */
typedef enum khum_posts {
    KHUM_POSTS_CHIEF_DEPUTIES,        /* Cambodia: a chief and deputies (LAMC 32-35) */
    KHUM_POSTS_HEAD                   /* only the head: #1 of the most-voted list (Portugal) */
} khum_posts;

/* A list the election registers itself (its parties.csv): citizens'
 * groups and coalitions that are in no national registry. */
typedef struct khum_election_party {
    const char *id, *abbr, *name_en, *name_km, *colour;
    long line;
} khum_election_party;

#define KHUM_THRESHOLD_NONE (-1)

typedef struct khum_election {
    khum_arena arena;                 /* owns every string and array below */
    const char *id, *name, *date;     /* date: polling day, YYYY-MM-DD */
    int mandate;
    khum_method method;
    khum_tie_rule tie_rule;
    int32_t threshold_e4;             /* percent x 10,000 (5 % = 50000); KHUM_THRESHOLD_NONE */
    khum_threshold_base threshold_base;
    khum_posts posts;
    khum_election_party *parties;     /* parties.csv, by id; none when the folder has none */
    size_t nparties;
    bool synthetic;                   /* generated data: every report says so */
    khum_election_commune *communes;  /* sorted by code */
    size_t ncommunes;
    khum_contest_list *lists;         /* sorted by commune, then ballot number */
    size_t nlists;
    khum_station *stations;           /* sorted by commune, then code */
    size_t nstations;
    char hash[65];                    /* SHA-256 of the canonical definition */
    size_t *station_order;            /* station indices by code */
    uint32_t *station_hash;           /* open addressing: station index + 1, 0 empty */
    size_t station_hash_mask;
    const char *src[4];               /* communes, lists, stations, parties file names */
} khum_election;

void khum_election_init(khum_election *e);
void khum_election_free(khum_election *e);

/* Read the four CSVs of an election folder: election.csv (id, name, date,
 * mandate, method, tie_rule, synthetic), communes.csv (commune, seats),
 * lists.csv (commune, party, ballot_no), stations.csv (station, commune,
 * registered). Checks every rule (ELE.7xx) and computes the hash. */
khum_code khum_election_read(khum_election *e, khum_csv *election, khum_csv *communes,
                             khum_csv *lists, khum_csv *stations, khum_err *err);
/* The same with the folder's optional parties.csv (NULL: none) read at once:
 * the election is sorted, indexed and hashed once instead of twice. */
khum_code khum_election_read_folder(khum_election *e, khum_csv *election, khum_csv *communes,
                                    khum_csv *lists, khum_csv *stations, khum_csv *parties,
                                    khum_err *err);
/* The election's rules as allocation rules (method, tie chain, threshold),
 * with lots drawn from seed (NULL: none). One home for the conversion: the
 * tally, seats.json and every re-allocation use it. */
void khum_election_alloc_rules(const khum_election *e, const char *seed, khum_alloc_rules *r);
/* The base the threshold is a percentage of, from a council's sums: the
 * lists' votes, plus blank ballots, or every ballot cast. */
int64_t khum_election_threshold_base(const khum_election *e, int64_t list_votes,
                                     int64_t blank, int64_t cast);
/* Words of the new rules, as election.csv and reports spell them. */
const char *khum_threshold_base_name(khum_threshold_base b);
bool khum_threshold_base_parse(const char *s, khum_threshold_base *out);
const char *khum_posts_name(khum_posts p);
bool khum_posts_parse(const char *s, khum_posts *out);
/* "5", "4.75" (percent x 10,000 as an exact decimal; "" for none). */
void khum_threshold_format(int32_t e4, char *buf, size_t n);
/* A threshold as election.csv holds it: 0-100 with at most 4 decimals. */
bool khum_threshold_parse(const char *s, int32_t *e4);

/* Each commune's province and district from the gazetteer, as the tally
 * groups them (a commune under a district: that district and its province;
 * directly under a province: that province and no district). g must have
 * passed khum_gazetteer_check; NULL, or a commune g lacks, leaves "" (the
 * tally then has the nation and the communes only). */
khum_code khum_election_set_areas(khum_election *e, const khum_gazetteer *g,
                                  khum_err *err);
/* Sort, index and hash an election built in memory (khum_election_read and
 * the synthetic generator end with it). */
khum_code khum_election_finish(khum_election *e, khum_err *err);

const khum_election_commune *khum_election_commune_find(const khum_election *e,
                                                        const char *code);
const khum_station *khum_election_station_find(const khum_election *e, const char *code);
/* "3f2a-91bc-07de-55aa": the first 16 hex digits of the hash, grouped. */
void khum_hash_short(const char *hex, char out[20]);

/* ---- result forms and their checks -------------------------------------- */

/* One polling station's result form (NEC Form 1102). */
typedef struct khum_form {
    const char *station;
    int64_t registered, received, cast, spoiled, unused, valid, invalid;
    int64_t blank;                    /* validly cast for no list (0 where the rules have none) */
    size_t n;                         /* party vote entries */
    const char **party;               /* party ids */
    int64_t *votes;
    /* The station, when whoever made the form looked it up (the reader does):
     * NULL, or an element of an election's stations whose code is station
     * itself (the same pointer), which checks and tallies then trust. */
    const khum_station *st;
} khum_form;

/* The station of f in e: f->st when it is e's and names f->station, else a
 * lookup. */
const khum_station *khum_form_station(const khum_election *e, const khum_form *f);

typedef enum khum_severity { KHUM_CHECK_ERROR, KHUM_CHECK_WARNING } khum_severity;

typedef struct khum_check {
    char code[8];                     /* F.1xx errors, W.2xx warnings: docs/checks.md */
    khum_severity severity;
    char fields[96];                  /* the fields it concerns, comma-separated */
    char msg[256];
} khum_check;

#define KHUM_MAX_CHECKS 24
/* No figure of one polling station's form can exceed this (F.113): a station
 * serves at most a few thousand voters, and checks multiply figures by 100. */
#define KHUM_FORM_MAX 1000000000LL

typedef struct khum_checks {
    khum_check items[KHUM_MAX_CHECKS];
    size_t n, errors, warnings;
} khum_checks;

/* Run every check of one form against the election. */
void khum_form_check(const khum_election *e, const khum_form *f, khum_checks *out);
bool khum_checks_has(const khum_checks *c, const char *code);

/* Compare two entries of one form; names the differing fields (at most cap
 * bytes, comma-separated). True when they agree in every number. */
bool khum_form_equal(const khum_form *a, const khum_form *b, char *diff, size_t cap);

/* Read result forms from a CSV: station, registered, received, cast,
 * spoiled, unused, valid, invalid, then one column per party id of the
 * election (empty when the party does not contest that commune), optional
 * explanation; other columns are ignored (the header is read first, unless
 * csv has one already: khum_csv_use_header). Forms live in arena a; forms of
 * one commune share one array of party names, so treat them as read-only. */
typedef struct khum_form_reader khum_form_reader;
khum_code khum_form_reader_open(khum_csv *csv, const khum_election *e, khum_arena *a,
                                khum_form_reader **out, khum_err *err);
/* 1 a form was read (its explanation in *explanation, "" when none), 0 at
 * the end, -1 on a malformed row (err set; the reader can go on). */
int khum_form_reader_next(khum_form_reader *r, khum_form *f, const char **explanation,
                          khum_err *err);
/* The same without copying anything: the form's station, explanation, party
 * names and votes point into the reader and the CSV record, valid until the
 * next call. For callers that check and sum each form and keep none. */
int khum_form_reader_view(khum_form_reader *r, khum_form *f, const char **explanation,
                          khum_err *err);
void khum_form_reader_close(khum_form_reader *r);
/* After khum_form_reader_open (the header is csv's current record): every
 * column must be one the reader takes or name a list of the election. A
 * column naming none (`ZZZ`) is refused with F.106 at its place in the
 * header, as the API refuses votes for it, instead of dropping its figures
 * unread. Columns without a name are left alone. */
khum_code khum_form_columns_check(const khum_csv *csv, const khum_election *e, khum_err *err);
long khum_form_reader_line(const khum_form_reader *r);  /* line of the last row read */

/* The long format (docs/count.md): a forms file of the figures only
 * (station, registered, received, cast, spoiled, unused, valid, blank,
 * invalid, optional explanation) and a votes file (station, party, votes:
 * one row per station and list). After khum_form_reader_open on the forms
 * file, take no list column from it: one naming a list of the election is
 * refused (F.106: its votes belong in the votes file, never in two places);
 * any other column is ignored (a bundle's forms.csv has commune and state). */
khum_code khum_form_reader_figures_only(khum_form_reader *r, khum_err *err);
/* Lay the votes file's rows onto forms (read with figures only; forms_name
 * names their file in messages), streaming, each row put in place by a hash
 * on (station, party). A row for a station that is not the election's
 * (F.107) or not in forms (F.115), for a list that does not contest the
 * station's commune (F.106), a (station, party) given before (F.116) or a
 * votes figure that is not a whole number (F.110) is listed in rejected at
 * the votes file's line and sets bad[i] for its form i (bad holds nforms
 * flags). A form then holds the lists given, in ballot order; a form given
 * no row at all holds every list at 0 when its valid ballots are 0 (a
 * station where no list got a vote needs no rows), else none, and its
 * checks name each missing list (F.108). rows gets the rows read. Only a
 * file that cannot be read on (a broken quote, a missing column) fails. */
khum_code khum_form_votes_read(khum_csv *votes, const khum_election *e, khum_form *forms,
                               size_t nforms, const char *forms_name, bool *bad, khum_arena *a,
                               khum_diags *rejected, size_t *rows, khum_err *err);

/* ---- the double-entry state machine (docs/entry-states.md) -------------- */

typedef enum khum_form_state {
    KHUM_FS_EMPTY,              /* nothing entered in this version */
    KHUM_FS_FIRST_ENTERED,      /* one entry, waiting for a second by another user */
    KHUM_FS_DIFFERENT,          /* two entries that disagree: the coordinator decides */
    KHUM_FS_NEEDS_EXPLANATION,  /* agreed, but warnings lack a written explanation */
    KHUM_FS_ACCEPTED,           /* provisional result */
    KHUM_FS_OFFICIAL            /* locked; changed only by a correction (new version) */
} khum_form_state;

typedef enum khum_entry_action {
    KHUM_ACT_ENTER,             /* a clerk keys the form */
    KHUM_ACT_KEEP_FIRST,        /* coordinator: the first entry is right */
    KHUM_ACT_KEEP_SECOND,
    KHUM_ACT_REKEY_FIRST,       /* coordinator: discard the first entry, key it again */
    KHUM_ACT_REKEY_SECOND,
    KHUM_ACT_EXPLAIN,           /* the last warning was explained */
    KHUM_ACT_MAKE_OFFICIAL,
    KHUM_ACT_CORRECT,           /* open a new version of an official form */
    KHUM_ACT_IMPORT             /* a digitized form arrives whole (khum import results) */
} khum_entry_action;

const char *khum_form_state_name(khum_form_state s);
/* A set of states (bit 1u << state) from names joined by ',', e.g.
 * "entries-different,needs-explanation"; "todo" stands for a coordinator's
 * worklist: first-entered, entries-different and needs-explanation. False
 * (the unknown name in bad) when a name is none of them. */
bool khum_form_states_parse(const char *list, unsigned *mask, char *bad, size_t cap);
const char *khum_entry_action_name(khum_entry_action a);

/* The next state, or an error (CNT.8xx; F.111 for an import into a form
 * that has a result) when the action is not allowed in this state. For ENTER in FIRST_ENTERED, `agree` says whether the second
 * entry equals the first and `same_user` whether the same user keyed both;
 * `warnings_open` says whether the agreed, kept or imported form has
 * warnings without an explanation. */
khum_code khum_entry_next(khum_form_state from, khum_entry_action act, bool agree,
                          bool same_user, bool warnings_open, khum_form_state *to,
                          khum_err *err);

/* ---- tabulation ---------------------------------------------------------- */

typedef struct khum_tally_area {
    const char *code;                 /* "" for the nation */
    int level;                        /* 0 nation, 1 province, 2 district, 3 commune */
    const char *province, *district;  /* the areas it lies in, "" when none */
    int64_t registered, received, cast, spoiled, unused, valid, invalid;
    int64_t blank;                    /* ballots for no list, apart from valid and invalid */
    int64_t stations_expected, stations_reported;
    int64_t *votes;                   /* per party (khum_tally.parties) */
    int *seats;                       /* per party */
    int *chiefs;                      /* per party: communes whose chief it has */
    int seats_total, communes, communes_allocated;
    bool complete;                    /* every station reported and every seat allocated */
} khum_tally_area;

typedef struct khum_tally_commune {
    khum_tally_area area;
    khum_alloc_result alloc;          /* when allocated */
    bool allocated;
    bool needs_lots;
    int chief_party;                  /* index into parties, -1 none */
    bool posts_by_lot_pending;        /* equal votes decide a post, no lots yet */
} khum_tally_commune;

typedef struct khum_tally {
    khum_arena arena;
    const char **parties;             /* every party contesting anywhere, sorted */
    size_t nparties;
    khum_tally_commune *communes;     /* in election order */
    size_t ncommunes;
    khum_tally_area *districts, *provinces;
    size_t ndistricts, nprovinces;
    khum_tally_area nation;
    const char **pslot;               /* tally.c's own: party name pointer -> index */
    int *pslot_index;
    size_t pslot_mask;
    /* tally_live.c's own (khum_tally_track): each station's counted figures,
     * the 8 fixed ones then the votes per party, so a form can be replaced. */
    int64_t *kept;
    unsigned char *counted;           /* per station: 1 when its form counts */
    size_t nstations;
    size_t reallocations;             /* communes allocated again by khum_tally_update */
} khum_tally;

/* Lots recorded for a commune (seed drawn by the commission). */
typedef struct khum_commune_lots {
    const char *commune, *seed;
} khum_commune_lots;

/* Sum the accepted forms up the levels and allocate every complete commune
 * by the election's method; a commune whose seats hinge on a tie waits for
 * its lots (needs_lots) unless lots holds a seed for it. */
khum_code khum_tally_run(const khum_election *e, const khum_form *forms, size_t nforms,
                         const khum_commune_lots *lots, size_t nlots, khum_tally *t,
                         khum_err *err);
/* The same one form at a time, for callers that keep no forms: begin, add
 * each accepted form once, end (sums the levels and allocates). After an
 * error, khum_tally_free is still the one thing to call. */
khum_code khum_tally_begin(const khum_election *e, khum_tally *t, khum_err *err);
khum_code khum_tally_add(khum_tally *t, const khum_election *e, const khum_form *f,
                         khum_err *err);
khum_code khum_tally_end(khum_tally *t, const khum_election *e, const khum_commune_lots *lots,
                         size_t nlots, khum_err *err);
void khum_tally_free(khum_tally *t);
/* A live tally, kept up to date one form at a time (the server's results on
 * election night). khum_tally_track, between khum_tally_begin and the first
 * khum_tally_add, makes the tally remember each station's counted figures;
 * khum_tally_update then replaces the form counted for one station (f NULL:
 * none counts any more) in O(lists): the station's commune, district,
 * province and nation change by the difference, and only that commune is
 * allocated again (with its seed from lots). The result equals
 * khum_tally_run over the forms that count now (test_count's property test
 * and `khum reconcile` check it). Each re-allocation takes memory of
 * the tally's arena: rebuild once `reallocations` passes the communes. */
khum_code khum_tally_track(khum_tally *t, const khum_election *e, khum_err *err);
khum_code khum_tally_update(khum_tally *t, const khum_election *e, const char *station,
                            const khum_form *f, const khum_commune_lots *lots, size_t nlots,
                            khum_err *err);
/* Do two tallies of one election agree on every figure of every area? The
 * first difference is named in err (TLY.890). */
khum_code khum_tally_compare(const khum_tally *a, const khum_tally *b, khum_err *err);
int khum_tally_party_index(const khum_tally *t, const char *party);
/* The area of the tally with this code (any level; "" the nation), or NULL. */
const khum_tally_area *khum_tally_area_find(const khum_tally *t, const char *code);
/* True when a lies within the area of this code: itself, or one it is in
 * ("" the nation holds every area). */
bool khum_tally_area_within(const khum_tally_area *a, const char *code);
/* The code of the area right above a: a commune's district, or its province
 * when it has no district; a district's province; "" for a province (the
 * nation), or for a commune with no parent at all. */
const char *khum_tally_area_parent(const khum_tally_area *a);
/* The allocation of one council as the tally runs it: its lists with their
 * votes and ballot numbers, the election's rules (lots from seed) and the
 * threshold's base from the council's sums. In arena a. One home for it:
 * the tally and seats.json (protocol, margins) both allocate with it. */
khum_code khum_tally_alloc_input(const khum_election *e, const khum_tally *t, size_t commune,
                                 const char *seed, khum_arena *a, khum_alloc_rules *r,
                                 khum_alloc_input *in);
/* The same, quicker for the party name pointers of the election (which the
 * form reader hands out) once khum_tally_begin has indexed them. */
int khum_tally_party_of(const khum_tally *t, const char *party);

/* Tabulate a results CSV held in memory (columns as for khum_form_reader)
 * without keeping a form: each row read, checked and added as
 * khum_form_reader_view, khum_form_check and khum_tally_add would, then
 * khum_tally_end. A row with an error (F.1xx), and each later row of a
 * station already tallied (F.112), is left out and listed in rep->rejected
 * by line. A file without any quote character is cut at line ends into up
 * to `threads` pieces (at least 64 KB each) read at once; the answer is the
 * same for any number. Fails on text that cannot be read as CSV (CSV.1xx). */
typedef struct khum_tally_csv_report {
    size_t rows, forms;               /* rows read; forms tallied */
    size_t warnings;                  /* tallied forms with a warning (W.2xx) */
    size_t pieces;                    /* the pieces the file was read in */
    khum_diags rejected;              /* one per error of a left-out row */
} khum_tally_csv_report;

khum_code khum_tally_csv(const khum_election *e, const char *name, const char *data,
                         size_t len, unsigned threads, const khum_commune_lots *lots,
                         size_t nlots, khum_tally *t, khum_tally_csv_report *rep,
                         khum_err *err);
void khum_tally_csv_report_free(khum_tally_csv_report *rep);

/* Reconciliation: recompute every level from the forms and compare with
 * published totals (one row per area code and field); each difference is an
 * error R.4xx in out. Returns the number of differences. */
typedef struct khum_published_total {
    const char *area;                 /* "" nation, 2/4/6-digit codes */
    const char *field;                /* registered, cast, valid, invalid, votes:PARTY, seats:PARTY */
    int64_t value;
} khum_published_total;

size_t khum_tally_reconcile(const khum_tally *t, const khum_published_total *pub, size_t npub,
                            khum_diags *out, size_t *which);
/* which (may be NULL, else room for npub): the index in pub of each
 * difference, in the order of the diagnostics added to out. */

#endif
