/*
 * khum/hash.h: SHA-256 digests as lowercase hex, for the import log, election
 * hashes, lots, the audit chain and publication manifests. The digest is
 * core's own (FIPS 180-4, src/core/sha256.c), so that the domain libraries
 * need no crypto library to hash.
 */
#ifndef KHUM_HASH_H
#define KHUM_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "khum/err.h"

#define KHUM_SHA256_HEX 65  /* 64 hex digits and a NUL */
#define KHUM_SHA256_BYTES 32

/* A digest computed piece by piece: init, update as often as needed, final. */
typedef struct khum_sha256 {
    uint32_t h[8];
    uint64_t bytes;            /* message length so far */
    unsigned char block[64];   /* the partial block not yet compressed */
    size_t fill;
} khum_sha256;

void khum_sha256_init(khum_sha256 *s);
void khum_sha256_update(khum_sha256 *s, const void *data, size_t len);
void khum_sha256_final(khum_sha256 *s, unsigned char out[KHUM_SHA256_BYTES]);
void khum_sha256_final_hex(khum_sha256 *s, char out[KHUM_SHA256_HEX]);
/* Lowercase hex of any bytes; out holds 2 * len + 1 characters. */
void khum_hex(const unsigned char *d, size_t len, char *out);

void khum_sha256_hex(const void *data, size_t len, char out[KHUM_SHA256_HEX]);
/* Digest of a whole file; "-" is not accepted (standard input cannot be re-read). */
khum_code khum_sha256_file(const char *path, char out[KHUM_SHA256_HEX], khum_err *err);

#endif
