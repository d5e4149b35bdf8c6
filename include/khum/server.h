/*
 * khum/server.h: `khum serve`: the JSON API under /api/v1/ and the static
 * dashboard, on libmicrohttpd with a thread pool. Each worker takes a store
 * connection from a pool; read responses are cached until the data changes
 * (the audit log's head id is the data version); writes need a session and
 * are checked against the user's role and scope (khum/auth.h).
 * docs/server.md lists every endpoint.
 */
#ifndef KHUM_SERVER_H
#define KHUM_SERVER_H

#include <stddef.h>

#include "khum/err.h"

typedef struct khum_server khum_server;

typedef struct khum_server_opts {
    const char *db;           /* database path (or URI) */
    const char *host;         /* address to listen on; NULL: 127.0.0.1 */
    int port;                 /* 0: any free port (khum_server_port tells which) */
    const char *web_dir;      /* static files served at /; NULL: none */
    const char *publish_dir;  /* bundles served at /api/v1/publications/; NULL: none */
    const char *shared_dir;   /* reference data (province boundaries); NULL: none */
    int threads;              /* worker threads; 0: 2 x CPUs, at least 4 */
    size_t max_body;          /* request body limit in bytes; 0: 64 KiB */
    int session_ttl;          /* seconds; 0: 12 hours */
    /* Hostile traffic (docs/deploy.md). */
    size_t cache_bytes;       /* the response cache's bound; 0: 64 MiB */
    int max_conns;            /* open connections in all; 0: 2,000 (503 beyond) */
    int max_conns_per_address;/* from one client address; 0: 128 (503 beyond) */
    int idle_timeout;         /* seconds a connection may wait after an answer; 0: 10 */
    int request_timeout;      /* seconds to send a whole request once connected; 0: 10 */
    const char *trusted_proxy;/* IPv4 address of a reverse proxy whose X-Forwarded-For
                               * and X-Forwarded-Proto are believed; NULL: none */
    int secure_cookies;       /* session cookies always Secure (TLS ends before us) */
} khum_server_opts;

khum_code khum_server_start(const khum_server_opts *o, khum_server **out, khum_err *err);
int khum_server_port(const khum_server *s);
/* Stop accepting, let requests in flight finish (up to 10 s), close the
 * store connections. */
void khum_server_stop(khum_server *s);

#endif
