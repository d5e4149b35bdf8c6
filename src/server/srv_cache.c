/*
 * srv_cache.c: the response cache. Answers are kept by key (method, path and
 * the normalised arguments the endpoint reads: api_read.c) and data version,
 * in a hash table of chained entries with a least-recently-used list, bounded
 * in bytes (khum serve --cache-mb): whatever a client asks, the cache holds
 * no more than its bound (the issue #17 measure: distinct query strings took
 * the server from 99 MB to 1.58 GB when it was bounded by entries).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/hash.h"
#include "srv.h"

/* One allocation per entry: the entry, its key and its body. */
struct srv_cached {
    srv_cached *next;          /* in the bucket */
    srv_cached *newer, *older; /* in the LRU list */
    size_t size;               /* what it costs, counted against the bound */
    const char *ctype;         /* a static string of the handler */
    char *body;
    size_t len;
    int64_t version;
    int status;
    char etag[24];
    char key[];
};

enum { CACHE_BUCKETS = 16384 };

static size_t bucket_of(const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return (size_t)(h % CACHE_BUCKETS);
}

/* Called with s->mu held. */
static srv_cached **find_slot(srv_cache *c, const char *key)
{
    srv_cached **p = &c->buckets[bucket_of(key)];
    while (*p && strcmp((*p)->key, key))
        p = &(*p)->next;
    return p;
}

static void lru_unlink(srv_cache *c, srv_cached *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void lru_push(srv_cache *c, srv_cached *e)
{
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest)
        c->newest->newer = e;
    c->newest = e;
    if (!c->oldest)
        c->oldest = e;
}

/* Take e out of its bucket and the list and free it (s->mu held). */
static void entry_drop(srv_cache *c, srv_cached *e)
{
    srv_cached **p = find_slot(c, e->key);
    if (*p == e)
        *p = e->next;
    lru_unlink(c, e);
    c->bytes -= e->size;
    c->n--;
    free(e);
}

bool srv_cache_get(srv_req *r, const char *key)
{
    khum_server *s = r->srv;
    bool hit = false;
    pthread_mutex_lock(&s->mu);
    srv_cached *e = s->cache.buckets ? *find_slot(&s->cache, key) : NULL;
    if (e && e->version == r->version) {
        khum_buf_reset(&r->out);
        khum_buf_append(&r->out, e->body, e->len);
        r->status = e->status;
        r->ctype = e->ctype;
        memcpy(r->etag, e->etag, sizeof r->etag);
        lru_unlink(&s->cache, e);
        lru_push(&s->cache, e);
        hit = true;
    }
    pthread_mutex_unlock(&s->mu);
    return hit;
}

/* A new entry for the answer in r, or NULL (out of memory). */
static srv_cached *entry_new(srv_req *r, const char *key)
{
    size_t klen = strlen(key) + 1;
    size_t size = sizeof(srv_cached) + klen + r->out.len;
    srv_cached *e = malloc(size);
    if (!e)
        return NULL;
    memset(e, 0, sizeof *e);
    memcpy(e->key, key, klen);
    e->body = e->key + klen;
    memcpy(e->body, r->out.data, r->out.len);
    e->len = r->out.len;
    e->size = size;
    e->ctype = r->ctype;
    e->version = r->version;
    e->status = r->status;
    memcpy(e->etag, r->etag, sizeof e->etag);
    return e;
}

void srv_cache_put(srv_req *r, const char *key)
{
    khum_server *s = r->srv;
    if (!key || !*key || r->status != 200 || r->out.failed)
        return;
    char hex[KHUM_SHA256_HEX];
    khum_sha256_hex(r->out.data, r->out.len, hex);
    snprintf(r->etag, sizeof r->etag, "\"%.16s\"", hex);
    srv_cache *c = &s->cache;
    /* An answer larger than a quarter of the bound would push out everything
     * else for one address: it is served, not kept. */
    if (sizeof(srv_cached) + strlen(key) + r->out.len > c->max_bytes / 4)
        return;
    srv_cached *e = entry_new(r, key);
    if (!e)
        return;
    pthread_mutex_lock(&s->mu);
    if (!c->buckets && !(c->buckets = calloc(CACHE_BUCKETS, sizeof *c->buckets))) {
        pthread_mutex_unlock(&s->mu);
        free(e);
        return;
    }
    srv_cached *old = *find_slot(c, key);
    if (old)
        entry_drop(c, old);
    while (c->oldest && c->bytes + e->size > c->max_bytes)
        entry_drop(c, c->oldest);
    srv_cached **slot = find_slot(c, key);
    e->next = *slot;
    *slot = e;
    lru_push(c, e);
    c->bytes += e->size;
    c->n++;
    pthread_mutex_unlock(&s->mu);
}

void srv_cache_free(khum_server *s)
{
    srv_cache *c = &s->cache;
    while (c->oldest)
        entry_drop(c, c->oldest);
    free(c->buckets);
    c->buckets = NULL;
}

void srv_stats(khum_server *s, size_t *entries, size_t *bytes, size_t *max_bytes, int *conns)
{
    pthread_mutex_lock(&s->mu);
    *entries = s->cache.n;
    *bytes = s->cache.bytes;
    *max_bytes = s->cache.max_bytes;
    pthread_mutex_unlock(&s->mu);
    pthread_mutex_lock(&s->conns.mu);
    *conns = s->conns.open;
    pthread_mutex_unlock(&s->conns.mu);
}
