/*
 * verify_impl.h (internal to src/publish): the state of one verification:
 * the election as the bundle defines it, the forms, and the areas recomputed
 * from them.
 */
#ifndef KHUM_VERIFY_IMPL_H
#define KHUM_VERIFY_IMPL_H

#include <jansson.h>
#include <stdarg.h>

#include "khum/publish.h"
#include "khum/str.h"

#define VER_MAX_PARTIES 64      /* lists in one commune (khum_tally's posts hold as many) */

typedef struct ver_area {
    char code[KHUM_AREA_CODE_MAX + 1];  /* "" the nation */
    int level;                 /* 0 nation, 1 province, 2 district, 3 commune */
    int64_t registered, cast, valid, invalid, reported, expected;
    int64_t blank;             /* ballots for no list (a threshold's valid+blank base) */
    int64_t *votes;            /* per party of the election (ver_ctx.parties) */
    int *seats;                /* per party; communes: recomputed */
    bool seated;               /* communes: seats recomputed */
} ver_area;

typedef struct ver_commune {
    const char *code;
    const char *province, *district;  /* as election.json places it, "" when none */
    int seats;
    int lists[VER_MAX_PARTIES];   /* party indices */
    int nlists;
    ver_area *area;
} ver_commune;

typedef struct ver_station {
    const char *code;
    size_t commune;
} ver_station;

typedef struct ver_ctx {
    khum_diags *out;
    khum_verify_stats *st;
    khum_arena arena;
    json_t *manifest, *election;
    const char *method, *tie_rule;
    char chain[8];              /* the tie chain as letters (ver_tie_chain) */
    int64_t threshold_e4;       /* percent x 10,000; -1 none */
    const char *threshold_base; /* valid, valid+blank or cast */
    const char **parties;       /* every list of the election: thousands where local
                                 * groups stand (Spain, Portugal) */
    int nparties;
    size_t parties_cap;
    ver_commune *communes;
    size_t ncommunes;
    ver_station *stations;      /* sorted by code */
    size_t nstations;
    ver_area *areas;            /* sorted by code */
    size_t nareas;
} ver_ctx;

/* One difference found (file, rule, message) added to out. */
void ver_vreport(khum_diags *out, const char *file, long line, const char *rule,
                 const char *fmt, va_list ap);
void ver_diff(ver_ctx *v, const char *file, long line, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int ver_party(ver_ctx *v, const char *name, bool add);
ver_area *ver_area_find(ver_ctx *v, const char *code);

/* verify.c: pk_hex as the 32 bytes of a public key; whether sig (hex) is
 * the Ed25519 signature of manifest's bytes by pk. */
bool ver_public_key(const char *pk_hex, unsigned char pk[32]);
bool ver_signed(const khum_buf *manifest, const khum_buf *sig, const unsigned char pk[32]);

/* verify_sums.c */
bool ver_load(ver_ctx *v, khum_bundle *b);
void ver_recompute(ver_ctx *v, khum_bundle *b);
/* verify_rla.c: the audit's files (rla_assertions.json, rla_audit.json)
 * replayed against the forms recomputed by ver_recompute. */
void ver_rla(ver_ctx *v, khum_bundle *b);
/* verify_seats.c: the rules one commune's seats are recomputed by. */
typedef struct ver_rules {
    const char *method;
    const char *chain;          /* "ml": more votes, then lots (ver_tie_chain) */
    int64_t threshold_e4;       /* percent x 10,000; -1 none */
    int64_t base;               /* what the threshold is a percentage of, in ballots */
} ver_rules;

/* The tie rule of election.json as letters; false when a word is unknown. */
bool ver_tie_chain(const char *rule, char chain[8]);
/* election.json's threshold ("5", "4.75", null) as percent x 10,000, -1 none. */
int64_t ver_threshold_e4(const char *s);
/* Seats of one commune from its votes (lists in ballot order) by the
 * election's rules; tied seats the chain leaves to lots follow the bundle's
 * choice among the tied lists (bundle_seats, per list) and are counted as
 * lots. false: method unknown. */
bool ver_seats(const ver_rules *r, const int64_t *votes, int n, int seats,
               const int *bundle_seats, int *out, int *lots);

#endif
