/*
 * verify.c: `khum verify` in library form. It trusts nothing in a bundle but
 * the public key: the signature covers the manifest, the manifest covers
 * every file, and then every total and every seat is recomputed from the
 * station forms with code of its own (sums here; seats in verify_seats.c),
 * not with the tally and allocation engine that produced the bundle. Each
 * difference is reported with its file and record.
 */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/csv.h"
#include "khum/hash.h"
#include "verify_impl.h"

void ver_vreport(khum_diags *out, const char *file, long line, const char *rule,
                 const char *fmt, va_list ap)
{
    khum_err e;
    khum_err_clear(&e);
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    e.code = KHUM_ERR_INPUT;
    snprintf(e.rule, sizeof e.rule, "%s", rule);
    khum_err_at(&e, file, line, 0, NULL);
    khum_diags_add(out, &e);
}

void ver_diff(ver_ctx *v, const char *file, long line, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ver_vreport(v->out, file, line, rule, fmt, ap);
    va_end(ap);
    v->st->differences++;
}

bool ver_public_key(const char *pk_hex, unsigned char pk[32])
{
    size_t len = 0;
    return sodium_init() >= 0 && pk_hex &&
           !sodium_hex2bin(pk, 32, pk_hex, strlen(pk_hex), " \n", &len, NULL) && len == 32;
}

bool ver_signed(const khum_buf *manifest, const khum_buf *sig, const unsigned char pk[32])
{
    unsigned char s[crypto_sign_BYTES];
    size_t len = 0;
    return !sodium_hex2bin(s, sizeof s, sig->data ? sig->data : "", sig->len, " \n", &len,
                           NULL) &&
           len == sizeof s &&
           !crypto_sign_verify_detached(s, (const unsigned char *)(manifest->data ? manifest->data
                                                                                 : ""),
                                        manifest->len, pk);
}

static bool check_signature(ver_ctx *v, khum_bundle *b, const char *pk_hex)
{
    khum_bundle_file *m = khum_bundle_find(b, "manifest.json");
    khum_bundle_file *s = khum_bundle_find(b, "manifest.sig");
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    if (!m || !s) {
        ver_diff(v, m ? "manifest.sig" : "manifest.json", 0, "VER.902",
                 "the bundle has no %s", m ? "manifest.sig" : "manifest.json");
        return false;
    }
    if (!ver_public_key(pk_hex, pk)) {
        ver_diff(v, "", 0, "VER.921", "the public key is not 64 hex digits (khum keygen)");
        return false;
    }
    if (!ver_signed(&m->data, &s->data, pk)) {
        ver_diff(v, "manifest.sig", 1, "VER.901", "the signature does not match manifest.json "
                 "and this public key: the manifest was changed or signed by another key");
        return false;
    }
    return true;
}

static const char *text(json_t *j)
{
    return json_is_string(j) ? json_string_value(j) : "";
}

static bool check_files(ver_ctx *v, khum_bundle *b)
{
    khum_bundle_file *m = khum_bundle_find(b, "manifest.json");
    json_error_t je;
    v->manifest = json_loadb(m->data.data, m->data.len, 0, &je);
    json_t *files = json_object_get(v->manifest, "files");
    if (!json_is_array(files)) {
        ver_diff(v, "manifest.json", je.line, "VER.905", "manifest.json is not a khum manifest");
        return false;
    }
    bool ok = true;
    size_t i;
    json_t *f;
    bool listed[KHUM_BUNDLE_MAX_FILES] = {false};
    json_array_foreach(files, i, f) {
        const char *name = json_string_value(json_object_get(f, "name"));
        const char *sha = json_string_value(json_object_get(f, "sha256"));
        khum_bundle_file *bf = name ? khum_bundle_find(b, name) : NULL;
        if (!bf) {
            ver_diff(v, name ? name : "?", 0, "VER.902", "%s is listed in the manifest but "
                     "missing", name ? name : "a file");
            ok = false;
            continue;
        }
        listed[bf - b->f] = true;
        char hex[KHUM_SHA256_HEX];
        khum_sha256_hex(bf->data.data ? bf->data.data : "", bf->data.len, hex);
        if (!sha || strcmp(hex, sha)) {
            ver_diff(v, name, 0, "VER.903", "%s does not match its SHA-256 in the manifest "
                     "(changed after signing)", name);
            ok = false;
        }
        v->st->files++;
    }
    for (size_t k = 0; k < b->n; k++)
        if (!listed[k] && strcmp(b->f[k].name, "manifest.json") &&
            strcmp(b->f[k].name, "manifest.sig")) {
            ver_diff(v, b->f[k].name, 0, "VER.904", "%s is not in the manifest", b->f[k].name);
            ok = false;
        }
    json_t *el = json_object_get(v->manifest, "election");
    snprintf(v->st->election, sizeof v->st->election, "%s", text(json_object_get(el, "id")));
    snprintf(v->st->hash, sizeof v->st->hash, "%s", text(json_object_get(el, "hash")));
    snprintf(v->st->audit_head, sizeof v->st->audit_head, "%s",
             text(json_object_get(json_object_get(v->manifest, "audit_head"), "hash")));
    v->st->version = (int)json_integer_value(json_object_get(v->manifest, "version"));
    return ok;
}

khum_code khum_bundle_verify(khum_bundle *b, const char *pk_hex, khum_diags *out,
                             khum_verify_stats *st, khum_err *err)
{
    memset(st, 0, sizeof *st);
    ver_ctx v = {.out = out, .st = st};
    khum_arena_init(&v.arena, 0);
    /* A bad signature ends the check: nothing in the bundle can be trusted.
     * A changed file fails it too, but the recount still runs, so that the
     * report also says what the changed figures would do to the totals. */
    if (check_signature(&v, b, pk_hex)) {
        check_files(&v, b);
        if (ver_load(&v, b)) {
            ver_recompute(&v, b);
            ver_rla(&v, b);
        }
    }
    json_decref(v.manifest);
    json_decref(v.election);
    khum_arena_free(&v.arena);
    if (out->n == 0)
        return KHUM_OK;
    *err = out->items[0];
    return KHUM_ERR_INPUT;
}
