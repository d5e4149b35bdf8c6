/*
 * khum/alloc.h: seat allocation, pure and exact.
 *
 * Methods: the highest-average (divisor) family (D'Hondt, Sainte-Laguë with
 * a configurable first divisor, Imperiali, Danish), largest remainders with
 * the Hare, Droop, Hagenbach-Bischoff and Imperiali quotas, and Cambodia's
 * statutory procedure (quota seats, then highest averages recomputed after
 * every seat; LEMNA 2002 Art 118) with its 1998 "first formula" variant.
 *
 * No floating point: every quotient is a fraction of 64-bit integers and two
 * quotients are compared by cross-multiplying in 128 bits. A tie that decides
 * a seat is part of the result: it is settled by the tie rule's chain (more
 * or fewer votes, ballot order) and then by lots drawn from a seed that anyone can replay
 * (docs/allocation.md), or reported as needing lots. Equal quotients that
 * only decide the order in which seats are handed out need no lots.
 */
#ifndef KHUM_ALLOC_H
#define KHUM_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

#include "khum/arena.h"
#include "khum/err.h"

#define KHUM_ALLOC_MAX_VOTES 1000000000000LL  /* 10^12 per party */
#define KHUM_ALLOC_MAX_SEATS 10000

typedef enum khum_method {
    KHUM_METHOD_DHONDT,
    KHUM_METHOD_SAINTE_LAGUE,
    KHUM_METHOD_IMPERIALI,        /* divisors 2, 3, 4, ... */
    KHUM_METHOD_DANISH,           /* divisors 1, 4, 7, ... */
    KHUM_METHOD_LARGEST_REMAINDER,
    KHUM_METHOD_CAMBODIA,         /* statutory: quota seats, then recomputed averages */
    KHUM_METHOD_CAMBODIA_1998     /* quota seats, then averages computed once */
} khum_method;

typedef enum khum_quota {
    KHUM_QUOTA_HARE,              /* V / S */
    KHUM_QUOTA_DROOP,             /* V / (S + 1) + 1 */
    KHUM_QUOTA_HAGENBACH_BISCHOFF,/* V / (S + 1) */
    KHUM_QUOTA_IMPERIALI          /* V / (S + 2) */
} khum_quota;

typedef enum khum_quota_round {
    KHUM_ROUND_EXACT,             /* keep the fraction */
    KHUM_ROUND_UP,
    KHUM_ROUND_DOWN
} khum_quota_round;

/* One step of a tie rule (docs/allocation.md, "Ties and lots"). */
typedef enum khum_tie_step {
    KHUM_TIE_MORE_VOTES,          /* the list with more votes in the district first */
    KHUM_TIE_FEWER_VOTES,         /* the list with fewer votes first (Portugal) */
    KHUM_TIE_BALLOT_ORDER,        /* the list earlier on the ballot first */
    KHUM_TIE_LOTS                 /* a recorded draw */
} khum_tie_step;

#define KHUM_TIE_CHAIN_MAX 4

/* A tie rule: a chain of steps tried left to right while lists stay equal,
 * e.g. more-votes>lots (Cambodia, Spain) or fewer-votes>lots (Portugal).
 * Every chain ends in a step that always settles (lots or ballot-order). */
typedef struct khum_tie_rule {
    khum_tie_step step[KHUM_TIE_CHAIN_MAX];
    int n;
} khum_tie_rule;

/* more-votes>lots: the rule when none is named. */
khum_tie_rule khum_tie_rule_default(void);
/* Parse a chain "more-votes>lots"; the old words stay valid ("votes" =
 * more-votes>lots, "lots" = lots). false with the reason in why (an unknown
 * word, a word twice, a step after the one that settles, an empty chain). */
bool khum_tie_rule_parse(const char *s, khum_tie_rule *out, char *why, size_t nwhy);
/* The chain as text, "fewer-votes>lots" (always the long words). */
void khum_tie_rule_format(const khum_tie_rule *t, char *buf, size_t n);
/* The old word for the chain ("votes", "lots"), or NULL when it has none:
 * an election that names no new rule keeps hashing as before. */
const char *khum_tie_rule_legacy(const khum_tie_rule *t);
bool khum_tie_rule_equal(const khum_tie_rule *a, const khum_tie_rule *b);

typedef struct khum_alloc_rules {
    khum_method method;
    int64_t first_div_num, first_div_den; /* Sainte-Laguë first divisor; 0/0 = 1 */
    khum_quota quota;
    khum_quota_round quota_round;
    int64_t threshold_num, threshold_den; /* percent as a fraction; 0 = none */
    khum_tie_rule tie_rule;
    const char *lots_seed;                /* NULL: ties that decide seats stop the result */
} khum_alloc_rules;

/* Default rules: D'Hondt, exact quotas, ties by more votes, no threshold. */
void khum_alloc_rules_default(khum_alloc_rules *r);
const char *khum_method_name(khum_method m);
/* The method named s ("dhondt", "cambodia", ...); false when none is. */
bool khum_method_parse(const char *s, khum_method *m);

typedef struct khum_alloc_party {
    const char *name;             /* unique in the district: lots are drawn on names */
    int64_t votes;
    bool eligible;                /* false: excluded by a rule decided elsewhere */
    int64_t max_seats;            /* -1: no cap (a list's length otherwise) */
    int ballot_no;                /* place on the ballot (ballot-order ties); 0 unknown */
} khum_alloc_party;

typedef struct khum_alloc_input {
    const char *district;         /* "" when the input has no districts */
    const khum_alloc_party *parties;
    size_t n;
    int seats;
    int64_t threshold_base;       /* base of the threshold percentage; -1: sum of votes */
} khum_alloc_input;

/* An exact non-negative fraction num/den (den > 0). */
typedef struct khum_frac {
    int64_t num, den;
} khum_frac;

int khum_frac_cmp(khum_frac a, khum_frac b);
/* "398.75" (two decimals, rounded half up, no floating point). */
void khum_frac_format(khum_frac f, char *buf, size_t n);

typedef enum khum_step_kind {
    KHUM_STEP_QUOTA,              /* a whole quota (statutory step 2, LR first stage) */
    KHUM_STEP_AVERAGE,            /* highest average */
    KHUM_STEP_REMAINDER,          /* largest remainder */
    KHUM_STEP_TAKEN_BACK          /* LR over-allocation: a quota seat withdrawn */
} khum_step_kind;

typedef enum khum_tie_how {
    KHUM_TIED_NOT,                /* no tie */
    KHUM_TIED_ORDER_ONLY,         /* equal quotients, all of them got seats */
    KHUM_TIED_MORE_VOTES,         /* settled by the tie rule: more votes */
    KHUM_TIED_FEWER_VOTES,        /* settled by the tie rule: fewer votes */
    KHUM_TIED_BALLOT_ORDER,       /* settled by the tie rule: ballot order */
    KHUM_TIED_LOT,                /* settled by a recorded lot */
    KHUM_TIED_UNRESOLVED          /* needs lots */
} khum_tie_how;

/* One line of the allocation protocol. */
typedef struct khum_alloc_step {
    int seat;                     /* 1-based; 0 for a seat taken back */
    int party;                    /* index into the input */
    khum_step_kind kind;
    khum_frac value;              /* the quotient, average or remainder that won */
    int runner_up;                /* best losing party at that moment, -1 none */
    khum_frac runner_value;
    khum_tie_how tie;
} khum_alloc_step;

/* "quota", "average", ... and "", "order-only", "more-votes", "fewer-votes",
 * "ballot-order", "lot", "unresolved". */
const char *khum_step_kind_name(khum_step_kind k);
const char *khum_tie_how_name(khum_tie_how h);

/* A tie that decided seats. */
typedef struct khum_alloc_tie {
    int first_seat, nseats;       /* the seats at stake */
    khum_frac value;              /* the equal quotient (or remainder) */
    int *parties;                 /* the tied parties, by name */
    int nparties;
    int *winners;                 /* who got the seats (when settled) */
    int nwinners;
    int *lot;                     /* still tied after the tie rule: the lot's parties */
    int nlot;                     /* 0 when the tie rule settled it */
    khum_tie_how how;
    int draw;                     /* draw number (lots only), from 1 per district */
} khum_alloc_tie;

typedef struct khum_alloc_result {
    int *seats;                   /* per input party */
    khum_alloc_step *steps;
    size_t nsteps;
    khum_alloc_tie *ties;
    size_t nties;
    bool needs_lots;              /* a tie decides a seat and no seed was given */
    bool degenerate;              /* statutory procedure fell back to D'Hondt */
    int unfilled;                 /* seats no eligible list could take (caps) */
    khum_frac quota;              /* statutory or LR quota; 0/1 when none */
    int draws;                    /* lots drawn */
} khum_alloc_result;

/* Allocate one district. Everything in *out lives in arena a. Fails (err
 * set, ALC.6xx) on input no method can handle: no seats, votes out of range,
 * duplicate party names, no votes for any eligible party. */
khum_code khum_alloc_run(const khum_alloc_rules *r, const khum_alloc_input *in,
                         khum_arena *a, khum_alloc_result *out, khum_err *err);

/* The closest contests of a divisor allocation: for each party A holding a
 * seat and party B that missed one, A's last winning quotient, B's first
 * losing quotient, the votes that moved from A to B (or added to B) would
 * change the seats. */
typedef struct khum_alloc_margin {
    int holder, challenger;
    khum_frac holder_last, challenger_next;
    int64_t votes_to_move;        /* -1: A has too few votes to give */
    int64_t votes_to_add;
} khum_alloc_margin;

/* Margins for divisor methods and the statutory procedure (whose result is
 * D'Hondt's); KHUM_ERR_USAGE (ALC.630) for largest remainders and the 1998
 * variant. *closest is the index of the pair with the fewest votes to move
 * (-1 when there is no pair). */
khum_code khum_alloc_margins(const khum_alloc_rules *r, const khum_alloc_input *in,
                             const khum_alloc_result *res, khum_arena *a,
                             khum_alloc_margin **out, size_t *n, int *closest,
                             khum_err *err);

/* The lot key of one party in one draw: SHA-256 of
 * "khum-lot-v1\n<seed>\n<district>\n<draw>\n<party>" (hex). Seats at stake go
 * to the tied parties with the smallest keys. Exposed so that tests and
 * `khum verify` can replay any draw. */
void khum_alloc_lot_key(const char *seed, const char *district, int draw,
                        const char *party, char hex[65]);

/* Lists ranked by votes for the posts of a council (rules.md §3: the chief
 * and deputies come from the first lists in this order). Equal votes that
 * reach the first `top` places are a tie that decides a post: with a seed,
 * lots (draw 0 of the district's seed: the smallest key first); without one
 * the tie stays undecided (order by name) and undecided[rank] is set for
 * each rank it covers (undecided may be NULL). Returns whether any tie
 * within the first `top` places is undecided. One home for the rule: the
 * tally (chiefs, R.406) and the council (posts) both rank with it. */
bool khum_alloc_rank_lists(const char *seed, const char *district, const char *const *names,
                           const int64_t *votes, size_t n, size_t top, int *order,
                           bool *undecided);

#endif
