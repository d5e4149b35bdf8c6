/*
 * srv_data.c: what the server keeps between requests. Elections are loaded
 * once (a stored definition never changes). A tally view is built once and
 * shared; when the audit head moves on, the next request asks the store
 * what changed since the view's version (khum_app_live_changes: the audit
 * log is the change sequence) and follows the changed forms into the view
 * in place, O(lists) each, under the view's write lock; readers hold its
 * read lock. Only what a form cannot say (an import, lots, official results)
 * builds a new view, and the old one is freed once its last reader is done.
 * Login failures are counted per address in a small table (per user they
 * are kept with the user, in the store).
 */
#define _GNU_SOURCE   /* a rwlock that prefers its writer (glibc) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "khum/hash.h"
#include "srv.h"

khum_code srv_election_get(srv_req *r, const char *id, srv_election **out, khum_err *err)
{
    khum_server *s = r->srv;
    pthread_mutex_lock(&s->mu);
    for (int i = 0; i < s->nel; i++)
        if (!strcmp(s->el[i]->e.id, id)) {
            *out = s->el[i];
            pthread_mutex_unlock(&s->mu);
            return KHUM_OK;
        }
    pthread_mutex_unlock(&s->mu);
    srv_election *el = calloc(1, sizeof *el);
    if (!el)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    khum_election_init(&el->e);
    khum_code rc = khum_store_load_election(r->store, id, &el->e, err);
    if (rc) {
        khum_election_free(&el->e);
        free(el);
        return rc;
    }
    pthread_mutex_init(&el->build, NULL);
    pthread_mutex_lock(&s->mu);
    /* Another thread may have loaded it meanwhile: keep the first. */
    for (int i = 0; i < s->nel; i++)
        if (!strcmp(s->el[i]->e.id, id)) {
            *out = s->el[i];
            pthread_mutex_unlock(&s->mu);
            khum_election_free(&el->e);
            pthread_mutex_destroy(&el->build);
            free(el);
            return KHUM_OK;
        }
    if (s->nel == SRV_MAX_ELECTIONS) {
        pthread_mutex_unlock(&s->mu);
        khum_election_free(&el->e);
        free(el);
        return khum_err_set(err, KHUM_ERR_INTERNAL, "SRV.704", "this server holds at most %d "
                            "elections", SRV_MAX_ELECTIONS);
    }
    s->el[s->nel++] = el;
    *out = el;
    pthread_mutex_unlock(&s->mu);
    return KHUM_OK;
}

static srv_view *view_current(khum_server *s, srv_election *el, int64_t version)
{
    srv_view *v = NULL;
    pthread_mutex_lock(&s->mu);
    if (el->view && el->view->version >= version) {
        v = el->view;
        v->refs++;
    }
    pthread_mutex_unlock(&s->mu);
    return v;
}

/* One reference less; the last one frees the view. */
static void view_unref(khum_server *s, srv_view *v)
{
    pthread_mutex_lock(&s->mu);
    bool last = --v->refs == 0;
    pthread_mutex_unlock(&s->mu);
    if (last) {
        tally_view_free(&v->v);
        pthread_rwlock_destroy(&v->lock);
        free(v);
    }
}

/* Follow what changed since v's version into v: read without any lock on
 * the view (its readers go on), then apply under its write lock, which
 * prefers the writer so that 64 readers cannot starve it. False when a
 * form-by-form update cannot follow: build a new view. */
static bool view_follow(srv_req *r, srv_election *el, srv_view *v)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_live_changes c;
    khum_err err;
    khum_err_clear(&err);
    bool ok = !tally_view_worn(&v->v) &&
              !khum_app_live_changes(r->store, &el->e, v->version, &a, &c, &err) && !c.rebuild;
    if (ok) {
        pthread_rwlock_wrlock(&v->lock);
        ok = !tally_view_apply(&v->v, &c, &err);
        pthread_mutex_lock(&r->srv->mu);
        v->version = !ok ? -1 : c.last > r->version ? c.last : r->version;
        pthread_mutex_unlock(&r->srv->mu);
        pthread_rwlock_unlock(&v->lock);
        atomic_fetch_add(&r->srv->tally_follows, ok);
    }
    khum_arena_free(&a);
    return ok;
}

static khum_code view_build(srv_req *r, srv_election *el, srv_view **out, khum_err *err)
{
    khum_server *s = r->srv;
    srv_view *v = calloc(1, sizeof *v);
    khum_code rc = v ? tally_view_load(r->store, el->e.id, &v->v, err)
                     : khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    if (rc) {
        free(v);
        return rc;
    }
    pthread_rwlockattr_t at;
    pthread_rwlockattr_init(&at);
#ifdef __GLIBC__
    pthread_rwlockattr_setkind_np(&at, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    pthread_rwlock_init(&v->lock, &at);
    pthread_rwlockattr_destroy(&at);
    v->version = r->version;
    v->refs = 2;  /* the election's and this request's */
    atomic_fetch_add(&s->tally_loads, 1);
    pthread_mutex_lock(&s->mu);
    srv_view *old = el->view;
    el->view = v;
    pthread_mutex_unlock(&s->mu);
    if (old)
        view_unref(s, old);
    *out = v;
    return KHUM_OK;
}

/* The view at r's data version or newer, read-locked until srv_view_put. */
khum_code srv_view_get(srv_req *r, srv_election *el, srv_view **out, khum_err *err)
{
    khum_server *s = r->srv;
    khum_code rc = KHUM_OK;
    if (!(*out = view_current(s, el, r->version))) {
        pthread_mutex_lock(&el->build);
        if (!(*out = view_current(s, el, 0))) {  /* none at all yet */
            rc = view_build(r, el, out, err);
        } else if ((*out)->version < r->version && !view_follow(r, el, *out)) {
            view_unref(s, *out);
            rc = view_build(r, el, out, err);
        }
        pthread_mutex_unlock(&el->build);
    }
    if (!rc)
        pthread_rwlock_rdlock(&(*out)->lock);
    return rc;
}

void srv_view_put(khum_server *s, srv_view *v)
{
    pthread_rwlock_unlock(&v->lock);
    view_unref(s, v);
}

void srv_elections_free(khum_server *s)
{
    for (int i = 0; i < s->nel; i++) {
        if (s->el[i]->view)
            view_unref(s, s->el[i]->view);
        khum_election_free(&s->el[i]->e);
        pthread_mutex_destroy(&s->el[i]->build);
        free(s->el[i]);
    }
    s->nel = 0;
}

/* ---- login limits per address ---------------------------------------------------- */

/* Failures per client address, in a table of SRV_LIMIT_SLOTS. An entry in
 * use is never given to another address, so flooding the table cannot wipe
 * an address's count; once full, new addresses are not counted (the count
 * kept with each user still holds: khum_app_login). */
enum { ADDR_MAX = 30, ADDR_FORGET = 900 };

static size_t slot_of(const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return (size_t)h;
}

static bool in_use(const srv_limit *l, time_t now)
{
    return l->key[0] && (l->blocked_until > now || now - l->last <= ADDR_FORGET);
}

static srv_limit *limit_slot(khum_server *s, const char *key, time_t now)
{
    size_t i = slot_of(key) % SRV_LIMIT_SLOTS;
    srv_limit *free_slot = NULL;
    for (size_t k = 0; k < SRV_LIMIT_SLOTS; k++, i = (i + 1) % SRV_LIMIT_SLOTS) {
        srv_limit *l = &s->limits[i];
        if (!strcmp(l->key, key))
            return l;
        if (!in_use(l, now) && !free_slot)
            free_slot = l;
        if (!l->key[0])
            break;
    }
    if (free_slot) {
        memset(free_slot, 0, sizeof *free_slot);
        snprintf(free_slot->key, sizeof free_slot->key, "%s", key);
    }
    return free_slot;
}

int srv_limit_take(khum_server *s, const char *key)
{
    pthread_mutex_lock(&s->mu);
    time_t now = time(NULL);
    srv_limit *l = limit_slot(s, key, now);
    int wait = 0;
    if (l && l->failures >= ADDR_MAX && l->blocked_until > now) {
        wait = (int)(l->blocked_until - now);
    } else if (l) {
        l->failures = now - l->last > ADDR_FORGET ? 1 : l->failures + 1;
        l->last = now;
        int block = khum_login_block_seconds(l->failures, ADDR_MAX, 30);
        l->blocked_until = block ? now + block : 0;
    }
    pthread_mutex_unlock(&s->mu);
    return wait;
}

void srv_limit_release(khum_server *s, const char *key)
{
    pthread_mutex_lock(&s->mu);
    srv_limit *l = limit_slot(s, key, time(NULL));
    if (l && l->failures > 0 && --l->failures < ADDR_MAX)
        l->blocked_until = 0;
    pthread_mutex_unlock(&s->mu);
}
