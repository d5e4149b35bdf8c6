/*
 * srv.h (internal to src/server): the server's state and one request.
 * Everything shared between worker threads lives in khum_server behind its
 * mutex: the store pool, the loaded elections with their tally views, the
 * response cache and the login rate limits. There is no global state.
 */
#ifndef KHUM_SRV_H
#define KHUM_SRV_H

#include <jansson.h>
#include <limits.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "khum/app.h"
#include "khum/auth.h"
#include "khum/json.h"
#include "khum/server.h"
#include "publish/tally_view.h"

#define SRV_MAX_ELECTIONS 16
#define SRV_MAX_SEGS 8
#define SRV_LIMIT_SLOTS 512

/* A tally view of one data version, shared by the requests that use it.
 * The newest one follows changed forms in place (srv_data.c): readers hold
 * its read lock while they use it, the one follower the write lock while it
 * applies them. */
typedef struct srv_view {
    tally_view v;
    int64_t version;
    int refs;
    pthread_rwlock_t lock;
} srv_view;

typedef struct srv_election {
    khum_election e;          /* immutable once stored (ELE.707) */
    srv_view *view;           /* newest view, or NULL */
    pthread_mutex_t build;    /* one thread builds a view; the others wait for it */
} srv_election;

/* The response cache (srv_cache.c): entries chained in buckets and in a
 * least-recently-used list, their bytes bounded by max_bytes. */
typedef struct srv_cached srv_cached;
typedef struct srv_cache {
    srv_cached **buckets;
    srv_cached *newest, *oldest;
    size_t bytes, max_bytes, n;
} srv_cache;

/* Open connections (srv_conn.c), behind their own mutex: counted per
 * address and in total, with the deadlines a watcher thread enforces. */
typedef struct srv_conn srv_conn;
typedef struct srv_addr srv_addr;
typedef struct srv_conns {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t watcher;
    bool inited, watching, stop;
    srv_conn *list;
    srv_addr **addrs;          /* buckets */
    int open;
} srv_conns;

typedef struct srv_limit {
    char key[64];
    int failures;
    time_t last, blocked_until;
} srv_limit;

struct khum_server {
    khum_server_opts o;
    char db[PATH_MAX], web[PATH_MAX], pub[PATH_MAX], shared[PATH_MAX];
    struct MHD_Daemon *d;
    int port;
    pthread_mutex_t mu;
    pthread_cond_t pool_cv;
    khum_store **pool;
    bool *busy;
    int npool;
    srv_election *el[SRV_MAX_ELECTIONS];
    int nel;
    srv_cache cache;
    srv_conns conns;
    srv_limit limits[SRV_LIMIT_SLOTS];
    char dummy_hash[KHUM_PWHASH_MAX];  /* verified for unknown users (khum_app_login) */
    uint32_t trusted_proxy;   /* its X-Forwarded-For and -Proto are believed; 0: none */
    atomic_int active;
    atomic_long tally_loads, tally_follows;  /* full loads of a view, changes followed */
    struct srv_writer *writer;  /* the form writes' single writer thread (srv_batch.c) */
};

typedef struct srv_req {
    khum_server *srv;
    struct MHD_Connection *conn;
    const char *method, *url;
    char *seg[SRV_MAX_SEGS];  /* the path after /api/v1/, split on '/' */
    int nseg;
    char pathbuf[1024];
    const char *body;
    size_t body_len;
    khum_store *store;
    khum_arena arena;
    int64_t version;          /* data version when the request started */
    bool probe;               /* only ask whether the route exists */
    /* the response */
    int status;
    khum_buf out;
    const char *ctype;
    char cookie[256];
    char etag[24];
    bool cacheable;
    int retry_after;
    bool close;               /* Connection: close (a connection over a limit) */
    /* the session, when the request carries one */
    khum_session sess;
    const char *token;        /* the session's token, as the request carried it */
    bool via_cookie;
} srv_req;

/* Responses. srv_fail maps err->code to a status (400/401/403/404/409/422
 * /429/500) unless status is given (non-zero). */
void srv_json(srv_req *r, int status, json_t *body);
void srv_fail(srv_req *r, int status, const khum_err *err);
/* The same with one more member of the error object (checks, problems). */
void srv_fail_with(srv_req *r, int status, const khum_err *err, const char *name,
                   json_t *extra);
void srv_failf(srv_req *r, int status, const char *code, const char *field,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
const char *srv_arg(srv_req *r, const char *name);
/* True when every query argument is one of allowed (NULL-terminated); else
 * false with a 400 (SRV.860) naming the argument and the ones read. */
bool srv_args_only(srv_req *r, const char *const *allowed);
/* A form's checks as [{code, severity, fields, message}]. */
json_t *srv_checks_json(const khum_checks *c);
const char *srv_header(srv_req *r, const char *name);

/* Open root/rel, refusing paths that resolve outside root (-1). */
int srv_open_under(const char *root, const char *rel, struct stat *st, char *real,
                   size_t cap);
/* The session a request carries (Bearer token or cookie), if any; false
 * with r->out set to the error when need is true and there is none. */
bool srv_session(srv_req *r, bool need);

/* srv_data.c: elections, views and login limits; srv_cache.c: the cache,
 * keyed by what cache_key (api_read.c) makes of a request. */
khum_code srv_election_get(srv_req *r, const char *id, srv_election **out, khum_err *err);
khum_code srv_view_get(srv_req *r, srv_election *el, srv_view **out, khum_err *err);
void srv_view_put(khum_server *s, srv_view *v);
bool srv_cache_get(srv_req *r, const char *key);
void srv_cache_put(srv_req *r, const char *key);
void srv_cache_free(khum_server *s);
/* For /health: the cache's entries and bytes against its bound, and the
 * connections open. */
void srv_stats(khum_server *s, size_t *entries, size_t *bytes, size_t *max_bytes, int *conns);
void srv_elections_free(khum_server *s);
/* Login failures per address (key): the seconds to wait when it has failed
 * too often, else 0 and this attempt is counted as a failure until
 * srv_limit_release takes it back (a success). */
int srv_limit_take(khum_server *s, const char *key);
void srv_limit_release(khum_server *s, const char *key);

/* srv_conn.c: the notify-connection callback; at a request's start, 0 or
 * the rule of the limit its connection is over (861 address, 862 total);
 * after an answer, the idle deadline. */
void srv_conn_notify(void *cls, struct MHD_Connection *conn, void **ctx,
                     enum MHD_ConnectionNotificationCode code);
int srv_conn_begin(khum_server *s, struct MHD_Connection *conn);
void srv_conn_idle(khum_server *s, struct MHD_Connection *conn);
khum_code srv_conns_start(khum_server *s, khum_err *err);
void srv_conns_stop(khum_server *s);

/* srv_batch.c: group commit. One writer thread with its own connection
 * takes the queued operations in batches of one transaction (one commit and
 * one flush for all of them); each operation is a savepoint of its own
 * (khum_store_batch_begin), so it succeeds or changes nothing alone.
 * srv_batched returns the operation's result once its batch is committed:
 * a caller acknowledges only what is durable. */
khum_code srv_writer_start(khum_server *s, khum_err *err);
void srv_writer_stop(khum_server *s);
khum_code srv_batched(khum_server *s, khum_code (*op)(khum_store *st, void *ctx), void *ctx,
                      khum_err *err);
/* Operations batched so far and the batches they went in. */
void srv_writer_counts(khum_server *s, long *ops, long *batches);

/* api_read.c, api_write.c: true when the route exists (a response is set). */
bool api_read(srv_req *r);
bool api_write(srv_req *r);
/* api_records.c: the audit log (its head only, or events) and the
 * publication bundles; the whole of f as r's answer (f is closed). */
void srv_audit_log(srv_req *r, bool head_only);
void srv_publications(srv_req *r);
void srv_answer_file(srv_req *r, FILE *f, const char *ctype);
/* api_print.c: the printed documents (…/protocol.pdf and the like). */
bool api_print(srv_req *r);
/* api_rla.c: the risk-limiting audit's routes, /elections/ID/rla/... (any method). */
bool api_rla(srv_req *r);
/* api_write.c's request checks, for other files' write routes: a session
 * allowed act on object (with the CSRF header from a browser), the body as
 * a JSON object, a string field (NULL and r->out set when bad). */
bool srv_allowed(srv_req *r, khum_action act, const char *object);
json_t *srv_body_object(srv_req *r);
const char *srv_str_field(srv_req *r, json_t *o, const char *name, bool required, bool *bad);

#endif
