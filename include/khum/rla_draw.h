/*
 * khum/rla_draw.h: the paper side of a risk-limiting audit, pure. A ballot
 * manifest says where every ballot of a council lies (polling station, then
 * bundles of a stated size, then a position in the bundle); the draw picks
 * ballots from it with a generator anyone can replay from the public seed
 * (docs/rla.md, "The draw"; audits.md §6):
 *
 *   the j-th number (j = 1, 2, ...) is SHA-256(key ‖ "," ‖ j) read as a
 *   256-bit big-endian integer, reduced to [0, N) without bias (a number in
 *   the last, incomplete block of N is rejected and the next one drawn);
 *   a ballot already drawn is skipped: sampling without replacement.
 *
 * The key of a council is the seed's digits ‖ "," ‖ the council's code, so
 * each council has a stream of its own and its sample does not depend on
 * which other councils are audited. The sample of n ballots is the first n
 * distinct numbers of the stream, in the order drawn (the order the tests
 * of khum/rla.h read them): a later round that asks for more ballots keeps
 * the earlier ones and adds to them.
 *
 * Rule codes RLA.540-549 (docs/errors.md).
 */
#ifndef KHUM_RLA_DRAW_H
#define KHUM_RLA_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "khum/arena.h"
#include "khum/csv.h"
#include "khum/err.h"

/* Dice digits: at least this many (RLA.540), at most KHUM_RLA_SEED_MAX. */
#define KHUM_RLA_SEED_MIN 20
#define KHUM_RLA_SEED_MAX 100  /* with a council's code, the stream's key fits khum_rla_rng */

/* A seed is 20 to 100 decimal digits and nothing else (RLA.540). */
khum_code khum_rla_seed_check(const char *seed, khum_err *err);

/* One polling station of a council's manifest and the ballots in its box
 * (the official form's ballots cast). */
typedef struct khum_rla_box {
    const char *station;
    int64_t ballots;
} khum_rla_box;

typedef struct khum_rla_manifest {
    const char *commune;
    int bundle;                       /* ballots per bundle (the last may hold fewer) */
    const khum_rla_box *boxes;        /* in the order ballots are numbered: by station code */
    size_t nboxes;
    int64_t total;                    /* N: every ballot of the council */
} khum_rla_manifest;

/* Check and sum a manifest: a bundle size of 1 to 100,000 (RLA.541), no
 * station twice and none with fewer than 0 ballots (RLA.542). Sets total. */
khum_code khum_rla_manifest_check(khum_rla_manifest *m, khum_err *err);

/* Where ballot k (0 <= k < total) of the manifest lies. Bundles and
 * positions count from 1, as the board reads them on the bundles. */
typedef struct khum_rla_ballot {
    int64_t index;                    /* k: the ballot's number in the manifest */
    size_t box;                       /* into manifest.boxes */
    int64_t bundle, position;
} khum_rla_ballot;

khum_code khum_rla_manifest_locate(const khum_rla_manifest *m, int64_t k,
                                   khum_rla_ballot *out, khum_err *err);

/* The key of a council's stream: seed ‖ "," ‖ commune, in out (cap bytes). */
khum_code khum_rla_stream_key(const char *seed, const char *commune, char *out, size_t cap,
                              khum_err *err);

/* The first `want` distinct ballots of the stream over N ballots (want is
 * cut to N: a sample of every ballot is a full hand count), in draw order,
 * in arena a. *counter is the last j used, so that anyone can say how far
 * the stream was read. */
khum_code khum_rla_draw(const char *key, int64_t N, int64_t want, khum_arena *a,
                        int64_t **sample, int64_t *n, uint64_t *counter, khum_err *err);

/* ---- the board's readings (reading.c) ----------------------------------- */

/* What one sampled ballot's entries say: nothing yet, one member's reading,
 * two (or more) readings that differ, or settled: two members read the same
 * (the same two-entry discipline as forms, docs/entry-states.md). */
typedef enum khum_rla_read_state {
    KHUM_RLA_UNREAD, KHUM_RLA_FIRST_READ, KHUM_RLA_DIFFERENT, KHUM_RLA_AGREED
} khum_rla_read_state;

const char *khum_rla_read_state_name(khum_rla_read_state s);

/* A reading names a list contesting the council, "blank" or "invalid". */
#define KHUM_RLA_READ_BLANK "blank"
#define KHUM_RLA_READ_INVALID "invalid"

/* The state of a ballot from its entries so far (members[i] read values[i]),
 * and the settled reading (NULL unless agreed): the first value two entries
 * share. */
khum_rla_read_state khum_rla_read_state_of(const char *const *values, size_t n,
                                           const char **settled);
/* Whether member may add value to these entries, and the state it leads
 * to: refused when the ballot is settled (RLA.552: two members agree
 * already) or when member read it before (RLA.551: the second reading must
 * be another member's). */
khum_code khum_rla_read_next(const char *const *members, const char *const *values, size_t n,
                             const char *member, const char *value,
                             khum_rla_read_state *to, khum_err *err);

/* One member's reading of one ballot, as the board finds it. */
typedef struct khum_rla_entry {
    const char *station;
    int64_t bundle, position;
    const char *reading;              /* a list of the council, "blank" or "invalid" */
    long line;                        /* in the file read, 0 when none */
} khum_rla_entry;

/* A board's tally sheet as CSV: station, bundle, position, reading (other
 * columns ignored), every row checked (RLA.553: a bundle or position that is
 * not a whole number of at least 1, an empty station or reading) before
 * anything is recorded. Entries and their strings live in arena a. */
khum_code khum_rla_entries_read(khum_csv *csv, khum_arena *a, khum_rla_entry **out, size_t *n,
                                khum_err *err);

#endif
