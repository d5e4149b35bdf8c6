/*
 * hash.c: SHA-256 through libsodium, printed as lowercase hex.
 */
#include "khum/hash.h"

#include <errno.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void to_hex(const unsigned char *d, char out[KHUM_SHA256_HEX])
{
    sodium_bin2hex(out, KHUM_SHA256_HEX, d, crypto_hash_sha256_BYTES);
}

void khum_sha256_hex(const void *data, size_t len, char out[KHUM_SHA256_HEX])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, data, len);
    to_hex(d, out);
}

khum_code khum_sha256_file(const char *path, char out[KHUM_SHA256_HEX], khum_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        khum_err_set(err, KHUM_ERR_IO, "IO.801", "cannot open: %s", strerror(errno));
        khum_err_at(err, path, 0, 0, NULL);
        return KHUM_ERR_IO;
    }
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        crypto_hash_sha256_update(&st, buf, n);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        khum_err_set(err, KHUM_ERR_IO, "IO.802", "read error");
        khum_err_at(err, path, 0, 0, NULL);
        return KHUM_ERR_IO;
    }
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, d);
    to_hex(d, out);
    return KHUM_OK;
}
