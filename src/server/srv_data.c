/*
 * srv_data.c: what the server keeps between requests. Elections are loaded
 * once (a stored definition never changes). A tally view is built for one
 * data version and shared; when the audit head moves on, the next request
 * builds a new one and the old one is freed once its last reader is done.
 * Login failures are counted per address in a small table (per user they
 * are kept with the user, in the store).
 */
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

khum_code srv_view_get(srv_req *r, srv_election *el, srv_view **out, khum_err *err)
{
    khum_server *s = r->srv;
    if ((*out = view_current(s, el, r->version)))
        return KHUM_OK;
    pthread_mutex_lock(&el->build);
    if ((*out = view_current(s, el, r->version))) {
        pthread_mutex_unlock(&el->build);
        return KHUM_OK;
    }
    srv_view *v = calloc(1, sizeof *v);
    khum_code rc = v ? tally_view_load(r->store, el->e.id, &v->v, err)
                     : khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    if (rc) {
        free(v);
        pthread_mutex_unlock(&el->build);
        return rc;
    }
    v->version = r->version;
    v->refs = 2;  /* the election's and this request's */
    pthread_mutex_lock(&s->mu);
    srv_view *old = el->view;
    el->view = v;
    pthread_mutex_unlock(&s->mu);
    if (old)
        srv_view_put(s, old);
    pthread_mutex_unlock(&el->build);
    *out = v;
    return KHUM_OK;
}

void srv_view_put(khum_server *s, srv_view *v)
{
    pthread_mutex_lock(&s->mu);
    bool last = --v->refs == 0;
    pthread_mutex_unlock(&s->mu);
    if (last) {
        tally_view_free(&v->v);
        free(v);
    }
}

void srv_elections_free(khum_server *s)
{
    for (int i = 0; i < s->nel; i++) {
        if (s->el[i]->view)
            srv_view_put(s, s->el[i]->view);
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
