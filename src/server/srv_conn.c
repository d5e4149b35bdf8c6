/*
 * srv_conn.c: holding the server open under hostile traffic (issue #17).
 * Every connection is counted per client address and in total as it opens
 * (libmicrohttpd's notify-connection callback); one beyond the server's
 * limits is answered 503 with Retry-After and closed, and libmicrohttpd
 * refuses outright those past twice the per-address limit, so one address
 * cannot take the sockets that /health and the other clients need. A
 * watcher thread closes connections that sit idle after an answer, or that
 * send a request too slowly (slowloris), by shutting their socket down:
 * libmicrohttpd then sees the end and closes it, so nothing lingers.
 */
#define _GNU_SOURCE   /* POLLRDHUP */
#include <arpa/inet.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

#include "srv.h"

/* One open connection (libmicrohttpd's socket context). */
struct srv_conn {
    srv_conn *prev, *next;     /* in the server's list */
    srv_addr *addr;
    int fd;
    int64_t deadline_ms;       /* closed by the watcher after this; 0: none */
    int over;                  /* 0, or the rule it broke: 861 address, 862 total */
};

/* The open connections of one client address. */
struct srv_addr {
    srv_addr *next;
    uint32_t ip;
    int open;
};

enum { ADDR_BUCKETS = 1024, SLOW_OVER_S = 2 };

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t ip_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        return ((const struct sockaddr_in *)ci->client_addr)->sin_addr.s_addr;
    return 0;
}

/* The address's counter, made when new (s->conn_mu held); NULL: no memory. */
static srv_addr *addr_get(srv_conns *c, uint32_t ip)
{
    srv_addr **p = &c->addrs[(ip * 2654435761u) % ADDR_BUCKETS];
    for (; *p; p = &(*p)->next)
        if ((*p)->ip == ip)
            return *p;
    srv_addr *a = calloc(1, sizeof *a);
    if (a) {
        a->ip = ip;
        *p = a;
    }
    return a;
}

static void addr_put(srv_conns *c, srv_addr *a)
{
    if (--a->open > 0)
        return;
    srv_addr **p = &c->addrs[(a->ip * 2654435761u) % ADDR_BUCKETS];
    while (*p != a)
        p = &(*p)->next;
    *p = a->next;
    free(a);
}

static void conn_opened(khum_server *s, struct MHD_Connection *conn, void **ctx)
{
    srv_conns *c = &s->conns;
    srv_conn *k = calloc(1, sizeof *k);
    if (!k)
        return;   /* counted by libmicrohttpd's own limits only */
    const union MHD_ConnectionInfo *fi =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    k->fd = fi ? fi->connect_fd : -1;
    pthread_mutex_lock(&c->mu);
    if (!(k->addr = addr_get(c, ip_of(conn)))) {
        pthread_mutex_unlock(&c->mu);
        free(k);
        return;
    }
    k->addr->open++;
    c->open++;
    k->over = k->addr->open > s->o.max_conns_per_address ? 861
              : c->open > s->o.max_conns ? 862 : 0;
    /* Past a limit the client has a moment to send its request and hear
     * the 503; an idle one is closed then. */
    k->deadline_ms = now_ms() + 1000 * (k->over ? SLOW_OVER_S : s->o.request_timeout);
    k->next = c->list;
    if (c->list)
        c->list->prev = k;
    c->list = k;
    pthread_mutex_unlock(&c->mu);
    *ctx = k;
}

/* Called before libmicrohttpd closes the socket: the watcher never shuts
 * down a descriptor that was reused. */
static void conn_closed(khum_server *s, void **ctx)
{
    srv_conn *k = *ctx;
    if (!k)
        return;
    srv_conns *c = &s->conns;
    pthread_mutex_lock(&c->mu);
    if (k->prev)
        k->prev->next = k->next;
    else
        c->list = k->next;
    if (k->next)
        k->next->prev = k->prev;
    addr_put(c, k->addr);
    c->open--;
    pthread_mutex_unlock(&c->mu);
    free(k);
    *ctx = NULL;
}

void srv_conn_notify(void *cls, struct MHD_Connection *conn, void **ctx,
                     enum MHD_ConnectionNotificationCode code)
{
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        conn_opened(cls, conn, ctx);
    else
        conn_closed(cls, ctx);
}

static srv_conn *conn_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static void set_deadline(khum_server *s, struct MHD_Connection *conn, int secs)
{
    srv_conn *k = conn_of(conn);
    if (!k)
        return;
    pthread_mutex_lock(&s->conns.mu);
    k->deadline_ms = secs ? now_ms() + 1000 * (int64_t)secs : 0;
    pthread_mutex_unlock(&s->conns.mu);
}

int srv_conn_begin(khum_server *s, struct MHD_Connection *conn)
{
    srv_conn *k = conn_of(conn);
    set_deadline(s, conn, 0);   /* the request is in: no deadline while it is answered */
    return k ? k->over : 0;
}

void srv_conn_idle(khum_server *s, struct MHD_Connection *conn)
{
    set_deadline(s, conn, s->o.idle_timeout);
}

/* Bytes the client sent that the server has not read yet. A connection
 * whose worker thread is busy (an Argon2id check, a commit shared with
 * other writers) keeps its request in the socket's buffer: the client was
 * quick and the server is slow, so the deadline waits. A slowloris client's
 * bytes are read as they come (its worker is free), so nothing is left. */
static bool unread(int fd)
{
    int avail = 0;
    struct pollfd p = {fd, POLLRDHUP, 0};
    if (poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)))
        return false;   /* the client has gone: nothing is waiting for us */
    return ioctl(fd, FIONREAD, &avail) == 0 && avail > 0;
}

static void *watch(void *arg)
{
    khum_server *s = arg;
    srv_conns *c = &s->conns;
    pthread_mutex_lock(&c->mu);
    while (!c->stop) {
        int64_t now = now_ms();
        for (srv_conn *k = c->list; k; k = k->next)
            if (k->deadline_ms && now > k->deadline_ms && k->fd >= 0) {
                if (!k->over && unread(k->fd)) {
                    /* The request is late because of us, not the client. */
                    k->deadline_ms = now + 1000 * (int64_t)s->o.request_timeout;
                    continue;
                }
                shutdown(k->fd, SHUT_RDWR);
                k->deadline_ms = 0;
            }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&c->cv, &c->mu, &until);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

khum_code srv_conns_start(khum_server *s, khum_err *err)
{
    srv_conns *c = &s->conns;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    c->inited = true;
    if (!(c->addrs = calloc(ADDR_BUCKETS, sizeof *c->addrs)))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    if (pthread_create(&c->watcher, NULL, watch, s))
        return khum_err_set(err, KHUM_ERR_INTERNAL, "", "cannot start the connection watcher");
    c->watching = true;
    return KHUM_OK;
}

/* After the daemon stopped (every connection closed and forgotten). */
void srv_conns_stop(khum_server *s)
{
    srv_conns *c = &s->conns;
    if (!c->inited)
        return;
    if (c->watching) {
        pthread_mutex_lock(&c->mu);
        c->stop = true;
        pthread_cond_signal(&c->cv);
        pthread_mutex_unlock(&c->mu);
        pthread_join(c->watcher, NULL);
    }
    free(c->addrs);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
}
