/*
 * verify_chain.c: the versions of a publication as one chain. Each signed
 * manifest names the SHA-256 of the previous version's manifest.json, so a
 * version cannot be dropped, swapped or re-inserted without breaking a link
 * the commission's key signed. What a signature alone cannot show, the
 * folder around it can: a folder named vNNNNNN must hold version NNNNNN (a
 * copy of v000001 in v000009 is relabelled), no version from 1 to the newest
 * may be missing, and `current` must name the newest (pointing it back at an
 * older version is a roll-back). The one thing no offline check can see is
 * newer versions deleted along with the roll-back: an observer who noted the
 * newest version once can compare.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/hash.h"
#include "verify_impl.h"

/* What one manifest says about its place, once its signature is good. */
typedef struct chain_link {
    const khum_chain_version *v;
    int folder;         /* the number in the folder's name, -1 when not vNNNNNN */
    int version;        /* the manifest's, 0 when unreadable */
    bool has_prev;
    char prev[KHUM_SHA256_HEX];
    int prev_version;
    char sha[KHUM_SHA256_HEX];   /* of this manifest's bytes: what the next names */
    bool ok;            /* signed and readable */
} chain_link;

khum_chain_version *khum_chain_add(khum_chain *c, const char *folder)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 8;
        khum_chain_version *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return NULL;
        c->v = v;
        c->cap = cap;
    }
    khum_chain_version *v = &c->v[c->n++];
    memset(v, 0, sizeof *v);
    snprintf(v->folder, sizeof v->folder, "%s", folder);
    khum_buf_init(&v->manifest);
    khum_buf_init(&v->sig);
    return v;
}

void khum_chain_free(khum_chain *c)
{
    for (size_t i = 0; i < c->n; i++) {
        khum_buf_free(&c->v[i].manifest);
        khum_buf_free(&c->v[i].sig);
    }
    free(c->v);
    c->v = NULL;
    c->n = c->cap = 0;
}

static void chain_diff(khum_diags *out, const char *folder, const char *file, const char *rule,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void chain_diff(khum_diags *out, const char *folder, const char *file, const char *rule,
                       const char *fmt, ...)
{
    char where[256];
    snprintf(where, sizeof where, "%s%s%s", folder, *folder && *file ? "/" : "", file);
    va_list ap;
    va_start(ap, fmt);
    ver_vreport(out, where, 0, rule, fmt, ap);
    va_end(ap);
}

int khum_version_folder(const char *name)
{
    size_t digits = strlen(name + (name[0] == 'v'));
    if (name[0] != 'v' || digits < 1 || digits > 9 || strspn(name + 1, "0123456789") != digits)
        return -1;
    return atoi(name + 1);
}

static bool is_sha256_hex(const char *s)
{
    return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* Read version and previous from a signed manifest; false (VER.905) when
 * they are not there in the form khum writes. */
static bool read_link(chain_link *l, khum_diags *out)
{
    const char *folder = l->v->folder;
    json_t *m = json_loadb(l->v->manifest.data ? l->v->manifest.data : "", l->v->manifest.len,
                           0, NULL);
    json_t *version = json_object_get(m, "version"), *prev = json_object_get(m, "previous");
    bool ok = json_is_integer(version) && json_integer_value(version) >= 1 &&
              json_integer_value(version) < 1000000000;
    if (ok && prev && !json_is_null(prev)) {
        json_t *pv = json_object_get(prev, "version");
        const char *sha = json_string_value(json_object_get(prev, "sha256"));
        ok = json_is_integer(pv) && is_sha256_hex(sha);
        if (ok) {
            l->has_prev = true;
            l->prev_version = (int)json_integer_value(pv);
            snprintf(l->prev, sizeof l->prev, "%s", sha);
        }
    }
    if (ok)
        l->version = (int)json_integer_value(version);
    else
        chain_diff(out, folder, "manifest.json", "VER.905", "manifest.json is not a khum "
                   "manifest: it lacks a version, or `previous` is not {version, sha256}");
    json_decref(m);
    return ok;
}

static int by_folder(const void *a, const void *b)
{
    const chain_link *x = a, *y = b;
    return (x->folder > y->folder) - (x->folder < y->folder);
}

static const chain_link *find_folder(const chain_link *l, size_t n, int folder)
{
    for (size_t i = 0; i < n; i++)
        if (l[i].folder == folder)
            return &l[i];
    return NULL;
}

/* Version 1 names no previous version; every later one names version-1 and,
 * when that folder is here, the SHA-256 of its manifest. */
static void check_link(const chain_link *l, const chain_link *all, size_t n, khum_diags *out)
{
    const char *folder = l->v->folder;
    if (l->version == 1 && l->has_prev) {
        chain_diff(out, folder, "manifest.json", "VER.943", "version 1 names a previous "
                   "version: the chain starts at version 1");
        return;
    }
    if (l->version == 1)
        return;
    if (!l->has_prev || l->prev_version != l->version - 1) {
        chain_diff(out, folder, "manifest.json", "VER.943", "version %d does not name version "
                   "%d's manifest as its previous one: the chain is broken", l->version,
                   l->version - 1);
        return;
    }
    const chain_link *p = find_folder(all, n, l->version - 1);
    if (p && p->ok && p->version == l->version - 1 && strcmp(p->sha, l->prev))
        chain_diff(out, folder, "manifest.json", "VER.943", "version %d follows a manifest "
                   "with SHA-256 %.16s..., but %s's is %.16s...: the chain is broken (a "
                   "version was replaced)", l->version, l->prev, p->v->folder, p->sha);
}

/* A publication keeps every version from 1 to the newest, and `current`
 * names the newest. */
static void check_publication(const khum_chain *c, const chain_link *l, size_t n,
                              khum_diags *out, khum_chain_stats *st)
{
    int expect = 1;
    for (size_t i = 0; i < n; i++) {
        if (l[i].folder < expect)
            continue;
        if (l[i].folder > expect + 1)
            chain_diff(out, l[i].v->folder, "", "VER.942", "v%06d to v%06d are missing before "
                       "%s: a publication keeps every version", expect, l[i].folder - 1,
                       l[i].v->folder);
        else if (l[i].folder == expect + 1)
            chain_diff(out, l[i].v->folder, "", "VER.942", "v%06d is missing before %s: a "
                       "publication keeps every version", expect, l[i].v->folder);
        expect = l[i].folder + 1;
    }
    int cur = khum_version_folder(c->current);
    if (n == 0)
        chain_diff(out, "", "current", "VER.945", "the publication holds no version");
    else if (!*c->current)
        chain_diff(out, "", "current", "VER.945", "the publication has no `current` naming its "
                   "newest version %s", l[n - 1].v->folder);
    else if (cur < 0 || !find_folder(l, n, cur))
        chain_diff(out, "", "current", "VER.945", "`current` names %.20s, which is not a "
                   "version here", c->current);
    else if (cur != st->newest)
        chain_diff(out, "", "current", "VER.944", "`current` names %s but %s is newer: the "
                   "publication was rolled back (or its last publish did not finish: publish "
                   "again)", c->current, l[n - 1].v->folder);
}

khum_code khum_chain_verify(const khum_chain *c, const char *pk_hex, khum_diags *out,
                            khum_chain_stats *st, khum_err *err)
{
    memset(st, 0, sizeof *st);
    size_t before = out->n, lost = out->lost;
    unsigned char pk[32];
    if (!ver_public_key(pk_hex, pk)) {
        chain_diff(out, "", "", "VER.921", "the public key is not 64 hex digits (khum keygen)");
        goto done;
    }
    chain_link *l = calloc(c->n ? c->n : 1, sizeof *l);
    if (!l)
        return khum_err_set(err, KHUM_ERR_NOMEM, "VER.908", "out of memory");
    for (size_t i = 0; i < c->n; i++) {
        l[i].v = &c->v[i];
        l[i].folder = khum_version_folder(c->v[i].folder);
        khum_sha256_hex(c->v[i].manifest.data ? c->v[i].manifest.data : "",
                        c->v[i].manifest.len, l[i].sha);
        if (!c->v[i].manifest.len)
            chain_diff(out, c->v[i].folder, "manifest.json", "VER.902", "%s has no "
                       "manifest.json", *c->v[i].folder ? c->v[i].folder : "the version");
        else if (!ver_signed(&c->v[i].manifest, &c->v[i].sig, pk))
            chain_diff(out, c->v[i].folder, "manifest.sig", "VER.901", "the signature does not "
                       "match manifest.json and this public key");
        else
            l[i].ok = read_link(&l[i], out);
        if (l[i].ok && l[i].folder >= 0 && l[i].folder != l[i].version)
            chain_diff(out, c->v[i].folder, "manifest.json", "VER.941", "folder %s holds "
                       "version %d: a version's folder is named for it (relabelled?)",
                       c->v[i].folder, l[i].version);
        st->versions++;
        if (l[i].folder > st->newest)
            st->newest = l[i].folder;
    }
    qsort(l, c->n, sizeof *l, by_folder);
    for (size_t i = 0; i < c->n; i++)
        if (l[i].ok)
            check_link(&l[i], l, c->n, out);
    if (c->publication)
        check_publication(c, l, c->n, out, st);
    free(l);
done:
    if (out->lost != lost)   /* a problem found but not kept: never report the chain good */
        return khum_err_set(err, KHUM_ERR_NOMEM, "VER.908", "out of memory while verifying "
                            "the chain: it is not verified");
    if (out->n == before)
        return KHUM_OK;
    *err = out->items[before];
    return KHUM_ERR_INPUT;
}
