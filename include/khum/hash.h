/*
 * khum/hash.h: SHA-256 digests (libsodium) as lowercase hex, for the import
 * log and, later, election hashes and publication manifests.
 */
#ifndef KHUM_HASH_H
#define KHUM_HASH_H

#include <stddef.h>

#include "khum/err.h"

#define KHUM_SHA256_HEX 65  /* 64 hex digits and a NUL */

void khum_sha256_hex(const void *data, size_t len, char out[KHUM_SHA256_HEX]);
/* Digest of a whole file; "-" is not accepted (standard input cannot be re-read). */
khum_code khum_sha256_file(const char *path, char out[KHUM_SHA256_HEX], khum_err *err);

#endif
