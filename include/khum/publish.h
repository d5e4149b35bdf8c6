/*
 * khum/publish.h: what khum publishes. The seats of a commune with the
 * allocation protocol and margins as JSON (the server and the bundles share
 * it); signed, hash-listed bundles of the official data (bundle.c), their
 * independent verification (verify.c) and the chain that links each version
 * to the one before it (verify_chain.c).
 */
#ifndef KHUM_PUBLISH_H
#define KHUM_PUBLISH_H

#include <jansson.h>

#include "khum/count.h"
#include "khum/store.h"
#include "khum/str.h"

/* The election's rule set beyond its method, as bundles and the API show
 * it: tie_rule (the old word when there is one, else the chain), threshold
 * ("5", "4.75" or null), threshold_base and posts. */
json_t *khum_election_rules_json(const khum_election *e);
/* One commune's allocation: lists with votes and seats, every protocol step
 * (exact quotients as "num/den" and rounded text), ties and how they were
 * settled, the lots seed, and the margins of the last seats (null for
 * methods without them). */
json_t *khum_seats_json(const khum_election *e, const khum_tally *t, size_t commune,
                        const char *lots_seed, khum_arena *a);

/* ---- bundles (bundle.c) ------------------------------------------------------ */

/* Every commune's protocol may be in a bundle (--with-protocols): room for
 * the councils of any country khum counts, with the data files. */
#define KHUM_BUNDLE_MAX_FILES 16384
/* -2: the manifest names the previous version's manifest (a chain). */
#define KHUM_BUNDLE_FORMAT "khum-bundle-2"

typedef struct khum_bundle_file {
    char name[48];
    khum_buf data;
} khum_bundle_file;

/* The files of one bundle version, in memory: what `khum publish` writes and
 * `khum verify` reads back. */
typedef struct khum_bundle {
    khum_bundle_file *f;   /* room for KHUM_BUNDLE_MAX_FILES, made by the first add: a
                              file never moves, so a caller may hold two at once */
    size_t n;
} khum_bundle;

void khum_bundle_free(khum_bundle *b);
khum_bundle_file *khum_bundle_find(khum_bundle *b, const char *name);
khum_bundle_file *khum_bundle_add(khum_bundle *b, const char *name);

/* Build every data file of an election's current results and the unsigned
 * manifest.json (version, created, the election hash, the audit head, the
 * SHA-256 and size of each file, and `previous`: the SHA-256 of version-1's
 * manifest.json bytes, previous_sha256; NULL for version 1). With
 * protocols, every commune's protocol too, as protocol_<commune>.pdf. */
khum_code khum_bundle_build_with(khum_store *s, const char *election, int version,
                                 const char *previous_sha256, const char *created,
                                 bool protocols, khum_bundle *b, khum_err *err);

/* Ed25519 keys as hex: 64 digits public, 128 digits secret. */
void khum_keypair_hex(char pk[65], char sk[129]);
/* Add manifest.sig: the detached signature of manifest.json's bytes, hex. */
khum_code khum_bundle_sign(khum_bundle *b, const char *sk_hex, khum_err *err);
/* The public key (hex) of a secret key (hex); false if sk_hex is not one. */
bool khum_public_key_of(const char *sk_hex, char pk[65]);

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

/* ---- the chain of versions (verify_chain.c) ---------------------------------- */

/* One version as found in a publication folder: its folder's name and the
 * signed manifest. The data files are checked by khum_bundle_verify. */
typedef struct khum_chain_version {
    char folder[64];       /* "v000002" (any other name is not a version label) */
    khum_buf manifest;     /* manifest.json's bytes */
    khum_buf sig;          /* manifest.sig's bytes */
} khum_chain_version;

typedef struct khum_chain {
    khum_chain_version *v;
    size_t n, cap;
    char current[64];      /* what `current` names; "" when there is none */
    bool publication;      /* the whole publication folder: every version from 1 and
                              `current` must be there */
} khum_chain;

typedef struct khum_chain_stats {
    size_t versions;       /* manifests checked */
    int newest;            /* the highest version folder, 0 when none */
} khum_chain_stats;

/* "v000002" -> 2: the number a version folder's name gives, -1 for a name
 * that is not a version label. */
int khum_version_folder(const char *name);

/* Add a version (its buffers empty, for the caller to fill); NULL when out
 * of memory. */
khum_chain_version *khum_chain_add(khum_chain *c, const char *folder);
void khum_chain_free(khum_chain *c);

/* Check the chain, trusting only pk_hex: each manifest's signature; that a
 * folder named vNNNNNN holds version NNNNNN (VER.941: not relabelled); that
 * each manifest names the SHA-256 of the previous version's manifest, and
 * version 1 none (VER.943); for a publication, that no version from 1 to the
 * newest is missing (VER.942) and that `current` names the newest
 * (VER.944: not rolled back; VER.945: no current). Each finding goes to out;
 * returns KHUM_ERR_INPUT when there is any (err names the first). */
khum_code khum_chain_verify(const khum_chain *c, const char *pk_hex, khum_diags *out,
                            khum_chain_stats *st, khum_err *err);

#endif
