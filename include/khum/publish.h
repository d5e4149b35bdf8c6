/*
 * khum/publish.h: what khum publishes. The seats of a commune with the
 * allocation protocol and margins as JSON (the server and the bundles share
 * it); signed, hash-listed bundles of the official data (bundle.c) and their
 * independent verification (verify.c).
 */
#ifndef KHUM_PUBLISH_H
#define KHUM_PUBLISH_H

#include <jansson.h>

#include "khum/count.h"
#include "khum/store.h"
#include "khum/str.h"

/* One commune's allocation: lists with votes and seats, every protocol step
 * (exact quotients as "num/den" and rounded text), ties and how they were
 * settled, the lots seed, and the margins of the last seats (null for
 * methods without them). */
json_t *khum_seats_json(const khum_election *e, const khum_tally *t, size_t commune,
                        const char *lots_seed, khum_arena *a);

/* ---- bundles (bundle.c) ------------------------------------------------------ */

#define KHUM_BUNDLE_MAX_FILES 16
#define KHUM_BUNDLE_FORMAT "khum-bundle-1"

typedef struct khum_bundle_file {
    char name[48];
    khum_buf data;
} khum_bundle_file;

/* The files of one bundle version, in memory: what `khum publish` writes and
 * `khum verify` reads back. */
typedef struct khum_bundle {
    khum_bundle_file f[KHUM_BUNDLE_MAX_FILES];
    size_t n;
} khum_bundle;

void khum_bundle_free(khum_bundle *b);
khum_bundle_file *khum_bundle_find(khum_bundle *b, const char *name);
khum_bundle_file *khum_bundle_add(khum_bundle *b, const char *name);

/* Build every data file of an election's current results and the unsigned
 * manifest.json (version, created, the election hash, the audit head, and
 * the SHA-256 and size of each file). */
khum_code khum_bundle_build(khum_store *s, const char *election, int version,
                            const char *created, khum_bundle *b, khum_err *err);

/* Ed25519 keys as hex: 64 digits public, 128 digits secret. */
void khum_keypair_hex(char pk[65], char sk[129]);
/* Add manifest.sig: the detached signature of manifest.json's bytes, hex. */
khum_code khum_bundle_sign(khum_bundle *b, const char *sk_hex, khum_err *err);

/* ---- verification (verify.c), with code of its own -------------------------- */

typedef struct khum_verify_stats {
    size_t files, forms, areas, communes_seated, differences;
    int version;
    char election[128], hash[65], audit_head[65];
} khum_verify_stats;

/* Check the signature with pk_hex and every file hash, then recompute every
 * aggregate and every seat from the station forms (forms.csv, form_votes.csv,
 * election.json) alone and compare with results_*.csv and seats.json. Each
 * difference goes to out with the file and the record (VER.9xx); returns
 * KHUM_ERR_INPUT when there is any (err names the first). */
khum_code khum_bundle_verify(khum_bundle *b, const char *pk_hex, khum_diags *out,
                             khum_verify_stats *st, khum_err *err);

#endif
