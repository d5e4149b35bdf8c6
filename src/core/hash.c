/*
 * hash.c: SHA-256 (src/core/sha256.c) of a buffer or a file, printed as lowercase hex.
 */
#include "khum/hash.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void khum_sha256_hex(const void *data, size_t len, char out[KHUM_SHA256_HEX])
{
    khum_sha256 st;
    khum_sha256_init(&st);
    khum_sha256_update(&st, data, len);
    khum_sha256_final_hex(&st, out);
}

khum_code khum_sha256_file(const char *path, char out[KHUM_SHA256_HEX], khum_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        khum_err_set(err, KHUM_ERR_IO, "IO.801", "cannot open: %s", strerror(errno));
        khum_err_at(err, path, 0, 0, NULL);
        return KHUM_ERR_IO;
    }
    khum_sha256 st;
    khum_sha256_init(&st);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        khum_sha256_update(&st, buf, n);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        khum_err_set(err, KHUM_ERR_IO, "IO.802", "read error");
        khum_err_at(err, path, 0, 0, NULL);
        return KHUM_ERR_IO;
    }
    khum_sha256_final_hex(&st, out);
    return KHUM_OK;
}
