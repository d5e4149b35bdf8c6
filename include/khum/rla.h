/*
 * khum/rla.h: risk-limiting audits of a council's seats, the mathematics
 * (docs/rla.md; sources in shared/docs/audits.md). Pure and deterministic:
 * no I/O, no clock, no global state; every result is a function of its
 * arguments (the planner's randomness comes from a seed it is given).
 *
 * 1. Assertions. The reported seats of one commune stand if a set of linear
 *    inequalities over the true tallies holds. Each is kept as integer
 *    weights w(c) per ballot choice c (a list, blank or invalid):
 *    the assertion is "sum over the N ballots of w(b) > 0".
 *    Its assorter is h(b) = (w(b)/m + 1)/2 with m = -min w (so h >= 0), its
 *    upper bound u = (max w / m + 1)/2, and it holds exactly when the mean
 *    of h over the N ballots is above 1/2. Margins are exact integers.
 * 2. Measurement: ALPHA ballot polling without replacement, ONEAudit
 *    comparison against the station forms, MACRO whole-station comparison;
 *    the p-value of every assertion after the readings so far and the
 *    commune's status.
 * 3. The planner: the expected work per commune and mode, by simulation
 *    with the reported tallies (a SHA-256 counter-mode stream from a seed).
 *
 * Rule codes RLA.500-539 (docs/errors.md).
 */
#ifndef KHUM_RLA_H
#define KHUM_RLA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "khum/alloc.h"
#include "khum/arena.h"
#include "khum/err.h"

/* A ballot choice that is no list. A reading is a list index 0..nlists-1 or
 * one of these (an unreadable or missing ballot reads as invalid). Blank
 * and invalid differ only where the threshold's base counts them. */
#define KHUM_RLA_BLANK (-1)
#define KHUM_RLA_INVALID (-2)

/* ---------------------------------------------------------------------- */
/* The contest: one commune as reported.                                   */

typedef struct khum_rla_contest {
    const char *commune;            /* code, for messages */
    const khum_alloc_rules *rules;  /* method, divisors, quota, threshold */
    const khum_alloc_party *lists;  /* name, reported votes, eligible, cap */
    const int *seats;               /* official seats per list */
    size_t nlists;
    int total_seats;                /* S */
    int64_t blank, invalid;         /* reported; ballots that are no list vote */
    int64_t ballots;                /* N, the ballots in the manifest; 0: votes+blank+invalid.
                                       Ballots beyond the reported ones count as invalid. */
    bool base_blank, base_invalid;  /* the threshold's base counts blank / invalid ballots
                                       (valid: neither; valid+blank; cast: both) */
} khum_rla_contest;

typedef enum khum_rla_kind {
    KHUM_RLA_PAIR,          /* winner's last seat beats loser's first lost seat */
    KHUM_RLA_ABOVE,         /* list `winner` is above the threshold */
    KHUM_RLA_BELOW,         /* list `loser` is not above the threshold */
    KHUM_RLA_QUOTA_AT_LEAST,/* 1998 formula: `winner` holds its quota seats */
    KHUM_RLA_QUOTA_BELOW    /* 1998 formula: `loser` holds no more quota seats */
} khum_rla_kind;

typedef struct khum_rla_assertion {
    khum_rla_kind kind;
    int winner, loser;      /* list indices; -1 when the kind has none */
    int64_t *weight;        /* nlists + 2 entries: per list, then blank, then invalid */
    size_t nlists;
    int64_t m;              /* -min weight (>= 1): the assorter's scale */
    int64_t wmax;           /* max weight */
    int64_t margin;         /* sum of w over the reported ballots (> 0: holds) */
    int64_t ballots;        /* N */
    khum_frac diluted;      /* margin / (m * N); 0/1 when margin <= 0 */
    khum_frac upper;        /* u = (wmax + m) / (2 m) */
    double v, u;            /* the same as doubles, for the statistics */
    int64_t flip;           /* fewest ballots whose change breaks it: ceil(margin/(wmax+m)) */
    bool binding;           /* the smallest diluted margin of the commune (one flagged) */
} khum_rla_assertion;

const char *khum_rla_kind_name(khum_rla_kind k);  /* "pair", "above", ... */

/* The assorter's value of one ballot choice (a list index or BLANK/INVALID;
 * anything out of range counts as invalid). */
double khum_rla_assort(const khum_rla_assertion *a, int choice);
/* The reported mean of the assorter over N ballots: (1 + v) / 2. */
double khum_rla_reported_mean(const khum_rla_assertion *a);

/* Every assertion of one commune, in a fixed order (pairs by winner then
 * loser index, then threshold ones), in arena a. Rule sets: every divisor
 * method, the statutory Cambodian procedure (= D'Hondt), largest remainders
 * with an exact Hare, Droop or Hagenbach-Bischoff quota, the 1998 formula
 * (sufficient conditions: see docs/rla.md). Errors: RLA.501 a contest that
 * is not one (no lists, seats not summing to S, negative tallies, N smaller
 * than the reported ballots), RLA.502 a rule set with no assertions (rounded
 * or Imperiali quotas), RLA.503 numbers too large to keep exact.
 * An assertion with margin <= 0 (an exact tie settled by lots, or seats
 * that do not follow from the votes) is returned: no audit can confirm it. */
khum_code khum_rla_assertions(const khum_rla_contest *c, khum_arena *a,
                              khum_rla_assertion **out, size_t *n, khum_err *err);

/* The index of the binding assertion (smallest diluted margin), -1 if none. */
int khum_rla_binding(const khum_rla_assertion *as, size_t n);

/* ---------------------------------------------------------------------- */
/* Measurement.                                                            */

typedef struct khum_rla_params {
    double alpha;           /* risk limit, in (0, 1): RLA.500 otherwise */
    double prior_weight;    /* ALPHA's d; 0: 100 */
    double eps;             /* ALPHA's epsilon; 0: 1e-6 */
} khum_rla_params;

/* alpha = 0.05, d = 100, eps = 1e-6. */
void khum_rla_params_default(khum_rla_params *p);
/* RLA.500 when alpha is outside (0, 1) or the others are negative. */
khum_code khum_rla_params_check(const khum_rla_params *p, khum_err *err);

typedef enum khum_rla_status {
    KHUM_RLA_CONFIRMED,     /* every assertion's p-value <= alpha */
    KHUM_RLA_CONTINUE,      /* sample more */
    KHUM_RLA_FULL_COUNT     /* every ballot read (or an assertion cannot hold): hand count */
} khum_rla_status;


/* Ballot polling with ALPHA, without replacement. readings[j]: the choice
 * read on the j-th ballot drawn (distinct ballots, in draw order), n of them
 * (n <= N, RLA.504). pvalue[i] (nas entries) is min(1, 1 / max_j T_j) for
 * assertion i. A reading that is neither a list nor BLANK/INVALID: RLA.505. */
khum_code khum_rla_polling(const khum_rla_assertion *as, size_t nas, const int *readings,
                           size_t n, const khum_rla_params *p, double *pvalue,
                           khum_rla_status *status, khum_err *err);

/* One polling station as reported on its form (or as recounted). */
typedef struct khum_rla_station {
    int64_t ballots;        /* ballots in the station's manifest */
    const int64_t *votes;   /* nlists entries */
    int64_t blank, invalid;
} khum_rla_station;

/* One sampled ballot for ONEAudit: its station and what it reads. */
typedef struct khum_rla_reading {
    int station;
    int choice;
} khum_rla_reading;

/* ONEAudit: every ballot of station g has the station's reported mean
 * assorter value as its "reported" value; the overstatement assorter of
 * each sampled ballot is tested with ALPHA without replacement. Station
 * ballots must sum to N and no station's votes may exceed its ballots
 * (RLA.506); a station index out of range: RLA.504. */
khum_code khum_rla_oneaudit(const khum_rla_assertion *as, size_t nas,
                            const khum_rla_station *st, size_t nst,
                            const khum_rla_reading *sample, size_t n,
                            const khum_rla_params *p, double *pvalue,
                            khum_rla_status *status, khum_err *err);

/* MACRO: each station's bound u_p (the largest over the assertions of its
 * greatest possible overstatement in margins) and their sum U. Stations are
 * drawn with probability u_p / U, with replacement. u has nst entries. */
khum_code khum_rla_macro_bounds(const khum_rla_assertion *as, size_t nas,
                                const khum_rla_station *st, size_t nst, double *u,
                                double *U, khum_err *err);
/* MACRO's p-value after the draws drawn[0..n) (station indices, repeats
 * allowed), with recount[g] the hand count of station g (only the drawn
 * ones are read). One p-value for the commune; *status as above
 * (FULL_COUNT once every station has been recounted without confirming). */
khum_code khum_rla_macro(const khum_rla_assertion *as, size_t nas,
                         const khum_rla_station *reported, const khum_rla_station *recount,
                         size_t nst, const int *drawn, size_t n, const khum_rla_params *p,
                         double *pvalue, khum_rla_status *status, khum_err *err);

/* ---------------------------------------------------------------------- */
/* Randomness anyone can replay (audits.md §6).                            */

/* The j-th number of the stream is SHA-256(seed "," j) (j in decimal, from
 * 1) read as a 256-bit big-endian integer. */
typedef struct khum_rla_rng {
    char seed[128];
    uint64_t counter;       /* numbers used so far */
} khum_rla_rng;

/* RLA.507 for an empty seed or one longer than 127 bytes. */
khum_code khum_rla_rng_init(khum_rla_rng *r, const char *seed, khum_err *err);
/* A uniform integer in [0, n) (n >= 1) without bias: the 256-bit number is
 * reduced mod n unless it lies at or above the largest multiple of n, in
 * which case the next number is used. */
uint64_t khum_rla_rng_below(khum_rla_rng *r, uint64_t n);

/* ---------------------------------------------------------------------- */
/* The planner.                                                            */

typedef enum khum_rla_mode {
    KHUM_RLA_MODE_POLLING,  /* ballots, ALPHA */
    KHUM_RLA_MODE_ONEAUDIT, /* ballots, against the station forms */
    KHUM_RLA_MODE_STATIONS  /* whole stations, MACRO */
} khum_rla_mode;

const char *khum_rla_mode_name(khum_rla_mode m);   /* "polling", "oneaudit", "stations" */
bool khum_rla_mode_parse(const char *s, khum_rla_mode *m);

typedef struct khum_rla_plan_opts {
    khum_rla_params params;
    int runs;               /* simulations per commune and mode (1..1000000; RLA.508) */
    const char *seed;       /* the simulation's seed (any text, e.g. "plan") */
    int64_t recount_under;  /* escalation: a binding margin under this many ballots -> recount */
    double recount_share;   /* sampling is not worth it past this share of the work of a
                               full count (0: 0.5) */
    double precision;       /* 0: always `runs` runs. Otherwise stop (after at least 100)
                               once the mean work's standard error is under this share
                               of the mean */
} khum_rla_plan_opts;

/* runs 1000, seed "khum-rla-plan", recount_under 0, share 0.5, alpha 0.05,
 * precision 0.01. */
void khum_rla_plan_opts_default(khum_rla_plan_opts *o);

typedef enum khum_rla_recount_why {
    KHUM_RLA_SAMPLE,        /* sampling beats a full count */
    KHUM_RLA_WHY_TIE,       /* an assertion cannot hold (margin <= 0) */
    KHUM_RLA_WHY_MARGIN,    /* binding margin under recount_under ballots */
    KHUM_RLA_WHY_WORK       /* expected work past recount_share of a full count */
} khum_rla_recount_why;

const char *khum_rla_recount_why_name(khum_rla_recount_why w); /* "", "tie", "margin", "work" */

typedef struct khum_rla_plan {
    khum_rla_mode mode;
    int64_t units;          /* ballots (polling, oneaudit) or stations: a full count */
    double expected;        /* mean units examined until confirmed (full count = units) */
    int64_t q50, q90, q99;  /* quantiles of the units examined over the runs */
    int runs;               /* runs made (fewer than asked when precision settled it) */
    bool full_recount;      /* the plan is a full hand count */
    khum_rla_recount_why why;
} khum_rla_plan;

/* The plan of one commune in one mode, by `runs` simulated audits of ballots
 * that are exactly as reported. Stations are needed for ONEAudit and
 * stations mode (NULL/0 otherwise: RLA.506 when a mode needs them). The
 * runs of commune c use the stream seeded "seed/commune/mode". */
khum_code khum_rla_plan_commune(const khum_rla_contest *c, const khum_rla_assertion *as,
                                size_t nas, const khum_rla_station *st, size_t nst,
                                khum_rla_mode mode, const khum_rla_plan_opts *o,
                                khum_rla_plan *out, khum_err *err);

#endif
