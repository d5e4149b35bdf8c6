/*
 * server.c: libmicrohttpd glue: starting the daemon with a thread pool,
 * collecting request bodies (413 past the limit), taking a store connection
 * from the pool, dispatching /api/v1/ to the read and write handlers and
 * everything else to the static files, and sending responses with their
 * security headers. Stopping waits for requests in flight.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "srv.h"

typedef struct conn_state {
    char *body;
    size_t len, cap;
    bool too_big;
} conn_state;

const char *srv_arg(srv_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

typedef struct args_check {
    const char *const *allowed;
    const char *unknown;
} args_check;

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    (void)kind;
    (void)value;
    args_check *c = cls;
    for (const char *const *a = c->allowed; *a; a++)
        if (!strcmp(*a, key))
            return MHD_YES;
    c->unknown = key;
    return MHD_NO;
}

bool srv_args_only(srv_req *r, const char *const *allowed)
{
    args_check c = {allowed, NULL};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &c);
    if (!c.unknown)
        return true;
    khum_buf names;
    khum_buf_init(&names);
    for (const char *const *a = allowed; *a; a++)
        khum_buf_printf(&names, "%s%s", a == allowed ? "" : ", ", *a);
    srv_failf(r, 400, "SRV.860", c.unknown, "unknown query argument '%.64s': %s %s reads %s",
              c.unknown, r->method, r->url, names.len && !names.failed ? names.data : "none");
    khum_buf_free(&names);
    return false;
}

const char *srv_header(srv_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

void srv_json(srv_req *r, int status, json_t *body)
{
    r->status = status;
    r->ctype = "application/json; charset=utf-8";
    khum_buf_reset(&r->out);
    khum_json_to_buf(body, 0, &r->out);
    if (!body || r->out.failed) {
        /* A body that could not be built (out of memory, or a value jansson
         * refused) still answers in JSON, never with an empty body. */
        khum_buf_free(&r->out);
        r->status = 500;
        khum_buf_puts(&r->out, "{\"error\":{\"code\":\"HTTP.500\",\"message\":"
                      "\"the answer could not be encoded\",\"status\":500,\"field\":null}}\n");
    }
}

json_t *srv_checks_json(const khum_checks *c)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < c->n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "code", c->items[i].code,
                                             "severity", c->items[i].severity ==
                                             KHUM_CHECK_ERROR ? "error" : "warning",
                                             "fields", c->items[i].fields, "message",
                                             c->items[i].msg));
    return arr;
}

static int status_of(const khum_err *e)
{
    switch (e->code) {
    case KHUM_OK: return 200;
    case KHUM_ERR_INPUT: return 422;
    case KHUM_ERR_USAGE: return 400;
    case KHUM_ERR_NOTFOUND: return 404;
    case KHUM_ERR_CONFLICT:
    case KHUM_ERR_TIE: return 409;
    case KHUM_ERR_AUTH:
        if (!strcmp(e->rule, "AUTH.501") || !strcmp(e->rule, "AUTH.502"))
            return 401;
        return !strcmp(e->rule, "AUTH.506") ? 429 : 403;
    default:  /* a server over its limit of elections is busy, not broken */
        return !strcmp(e->rule, "SRV.704") ? 503 : 500;
    }
}

void srv_fail_with(srv_req *r, int status, const khum_err *err, const char *name,
                   json_t *extra)
{
    int st = status ? status : status_of(err);
    /* The message and field may quote what the request named, bytes that
     * are not UTF-8 included: escaped, so the answer keeps its body. */
    json_t *e = json_pack("{s:o,s:o,s:i}", "code",
                          khum_json_string(*err->rule ? err->rule : "HTTP.500"), "message",
                          khum_json_string(err->msg), "status", st);
    json_object_set_new(e, "field", *err->field ? khum_json_string(err->field) : json_null());
    if (name && extra)
        json_object_set_new(e, name, extra);
    else if (extra)
        json_decref(extra);
    srv_json(r, st, json_pack("{s:o}", "error", e));
    r->cacheable = false;
}

void srv_fail(srv_req *r, int status, const khum_err *err)
{
    srv_fail_with(r, status, err, NULL, NULL);
}

void srv_failf(srv_req *r, int status, const char *code, const char *field, const char *fmt,
               ...)
{
    khum_err e;
    khum_err_clear(&e);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    va_end(ap);
    snprintf(e.rule, sizeof e.rule, "%s", code);
    if (field)
        snprintf(e.field, sizeof e.field, "%s", field);
    srv_fail(r, status, &e);
}

/* ---- the store pool -------------------------------------------------------- */

static khum_store *pool_take(khum_server *s)
{
    pthread_mutex_lock(&s->mu);
    for (;;) {
        for (int i = 0; i < s->npool; i++)
            if (!s->busy[i]) {
                s->busy[i] = true;
                pthread_mutex_unlock(&s->mu);
                return s->pool[i];
            }
        pthread_cond_wait(&s->pool_cv, &s->mu);
    }
}

static void pool_give(khum_server *s, khum_store *st)
{
    pthread_mutex_lock(&s->mu);
    for (int i = 0; i < s->npool; i++)
        if (s->pool[i] == st)
            s->busy[i] = false;
    pthread_cond_signal(&s->pool_cv);
    pthread_mutex_unlock(&s->mu);
}

/* ---- static files ------------------------------------------------------------ */

static const char *mime_of(const char *path)
{
    static const char *const map[][2] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"}, {".json", "application/json; charset=utf-8"},
        {".geojson", "application/geo+json"}, {".csv", "text/csv; charset=utf-8"},
        {".svg", "image/svg+xml"}, {".png", "image/png"}, {".ico", "image/x-icon"},
        {".woff2", "font/woff2"}, {".ttf", "font/ttf"}, {".txt", "text/plain; charset=utf-8"},
        {".sig", "text/plain; charset=utf-8"}};
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof map / sizeof *map; i++)
        if (!strcmp(dot, map[i][0]))
            return map[i][1];
    return "application/octet-stream";
}

/* Text worth compressing (fonts and images are compressed already). */
static bool is_text(const char *ctype)
{
    return !strncmp(ctype, "text/", 5) || strstr(ctype, "json") || strstr(ctype, "svg");
}

/* Open root/rel for reading, refusing anything that resolves outside root
 * (.., symbolic links out, encoded tricks): 404 either way, so that the
 * answer tells nothing about files outside. */
int srv_open_under(const char *root, const char *rel, struct stat *st, char *real,
                      size_t cap)
{
    char path[PATH_MAX * 2];
    if (strstr(rel, "..") || strchr(rel, '\\') || strlen(rel) > 512)
        return -1;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    char resolved[PATH_MAX];
    if (!realpath(path, resolved))
        return -1;
    size_t n = strlen(root);
    if (strncmp(resolved, root, n) != 0 || (resolved[n] != '/' && resolved[n] != 0))
        return -1;
    if (stat(resolved, st) == 0 && S_ISDIR(st->st_mode)) {
        snprintf(path, sizeof path, "%s/index.html", resolved);
        if (!realpath(path, resolved))
            return -1;
    }
    int fd = open(resolved, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    snprintf(real, cap, "%s", resolved);
    return fd;
}

/* The headers of every response. etag: the validator of what is sent (a
 * static file's own, else the request's cached answer's, else none): with
 * one the client revalidates (no-cache), without one it keeps nothing. */
static void add_headers(struct MHD_Response *resp, const srv_req *r, const char *etag)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self' "
                            "'unsafe-inline'; frame-ancestors 'none'");
    if (r->ctype)
        MHD_add_response_header(resp, "Content-Type", r->ctype);
    if (*etag) {
        MHD_add_response_header(resp, "ETag", etag);
        MHD_add_response_header(resp, "Cache-Control", "no-cache");
    } else {
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    }
    if (*r->cookie)
        MHD_add_response_header(resp, "Set-Cookie", r->cookie);
    if (r->retry_after > 0) {
        char s[16];
        snprintf(s, sizeof s, "%d", r->retry_after);
        MHD_add_response_header(resp, "Retry-After", s);
    }
    if (r->close)
        MHD_add_response_header(resp, "Connection", "close");
}

/* Does the client take gzip (Accept-Encoding names it, not with q=0)? */
static bool takes_gzip(srv_req *r)
{
    const char *ae = srv_header(r, "Accept-Encoding");
    const char *g = ae ? strstr(ae, "gzip") : NULL;
    return g && strncmp(g + 4, ";q=0", 4) != 0;
}

/* len bytes as gzip into a new malloc'd buffer (*out, *outlen); false when
 * it would not save anything or memory runs out (send the bytes as they are). */
static bool gzip_bytes(const void *data, size_t len, unsigned char **out, size_t *outlen)
{
    if (len < 1024 || len > ((size_t)1 << 30))
        return false;
    z_stream z = {0};
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    size_t cap = deflateBound(&z, (uLong)len);
    unsigned char *buf = malloc(cap);
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    bool ok = buf && deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out < len;
    deflateEnd(&z);
    if (!ok) {
        free(buf);
        return false;
    }
    *out = buf;
    *outlen = z.total_out;
    return true;
}

/* A response of len bytes, gzip'd when the client takes it and it pays. */
static struct MHD_Response *response_of(srv_req *r, const void *data, size_t len, bool *gz)
{
    unsigned char *z;
    size_t zlen;
    *gz = len && takes_gzip(r) && gzip_bytes(data, len, &z, &zlen);
    if (*gz)
        return MHD_create_response_from_buffer(zlen, z, MHD_RESPMEM_MUST_FREE);
    return MHD_create_response_from_buffer(len, len ? (void *)(uintptr_t)data : (void *)"",
                                           len ? MHD_RESPMEM_MUST_COPY
                                               : MHD_RESPMEM_PERSISTENT);
}

static void say_encoding(struct MHD_Response *resp, bool gz)
{
    MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    if (gz)
        MHD_add_response_header(resp, "Content-Encoding", "gzip");
}

static enum MHD_Result send_static(srv_req *r, const char *root, const char *rel)
{
    struct stat st;
    char real[PATH_MAX];
    int fd = *root ? srv_open_under(root, *rel ? rel : "index.html", &st, real, sizeof real) : -1;
    if (fd < 0) {
        srv_failf(r, 404, "HTTP.404", NULL, "no such file: %s", r->url);
        return MHD_NO;  /* the caller sends r->out */
    }
    char etag[48];
    snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtime);
    const char *inm = srv_header(r, "If-None-Match");
    struct MHD_Response *resp;
    int status = 200;
    bool gz = false;
    r->ctype = mime_of(real);
    if (inm && !strcmp(inm, etag)) {
        close(fd);
        resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
        status = 304;
    } else if (takes_gzip(r) && st.st_size < (1 << 22) && is_text(r->ctype)) {
        /* the dashboard's scripts and styles: sent gzip'd, read whole */
        khum_buf b;
        khum_buf_init(&b);
        char chunk[8192];
        ssize_t n;
        while ((n = read(fd, chunk, sizeof chunk)) > 0)
            khum_buf_append(&b, chunk, (size_t)n);
        close(fd);
        resp = n < 0 || b.failed ? NULL : response_of(r, b.data, b.len, &gz);
        khum_buf_free(&b);
    } else {
        resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    }
    if (!resp)
        return MHD_NO;
    add_headers(resp, r, etag);
    say_encoding(resp, gz);
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ok == MHD_YES ? MHD_YES : MHD_NO;
}

static enum MHD_Result send_out(srv_req *r)
{
    const char *inm = srv_header(r, "If-None-Match");
    bool not_modified = r->status == 200 && *r->etag && inm && !strcmp(inm, r->etag);
    size_t len = not_modified || r->out.failed ? 0 : r->out.len;
    bool gz;
    struct MHD_Response *resp = response_of(r, r->out.data, len, &gz);
    if (!resp)
        return MHD_NO;
    add_headers(resp, r, r->etag);
    say_encoding(resp, gz);
    enum MHD_Result ok =
        MHD_queue_response(r->conn, not_modified ? 304u : (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* ---- dispatch --------------------------------------------------------------- */

static void split_path(srv_req *r, const char *rest)
{
    snprintf(r->pathbuf, sizeof r->pathbuf, "%s", rest);
    r->nseg = 0;
    for (char *p = r->pathbuf; *p && r->nseg < SRV_MAX_SEGS;) {
        char *slash = strchr(p, '/');
        if (slash)
            *slash = 0;
        if (*p)
            r->seg[r->nseg++] = p;
        if (!slash)
            break;
        p = slash + 1;
    }
}

static void dispatch_api(srv_req *r)
{
    khum_err err;
    khum_err_clear(&err);
    char head[KHUM_SHA256_HEX];
    if (khum_store_audit_head(r->store, &r->version, head, &err)) {
        srv_fail(r, 503, &err);
        return;
    }
    if (strlen(r->url) >= sizeof r->pathbuf - 8) {
        srv_failf(r, 414, "HTTP.414", NULL, "the address is too long");
        return;
    }
    split_path(r, r->url + strlen("/api/v1/"));
    bool is_get = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
    if (api_rla(r) || (is_get && api_print(r)) || (is_get ? api_read(r) : api_write(r)))
        return;
    /* Right path, wrong method? */
    r->probe = true;
    bool other = is_get ? api_write(r) : api_print(r) || api_read(r);
    r->probe = false;
    if (other) {
        srv_failf(r, 405, "HTTP.405", NULL, "%s is not allowed on %s", r->method, r->url);
        return;
    }
    srv_failf(r, 404, "HTTP.404", NULL, "no such endpoint: %s %s", r->method, r->url);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
    khum_server *s = cls;
    conn_state *cs = *con_cls;
    if (!cs) {
        if (!(cs = calloc(1, sizeof *cs)))
            return MHD_NO;
        *con_cls = cs;
        atomic_fetch_add(&s->active, 1);
        return MHD_YES;
    }
    if (*upload_size) {
        if (!cs->too_big && cs->len + *upload_size > s->o.max_body) {
            cs->too_big = true;
        } else if (!cs->too_big) {
            if (cs->len + *upload_size + 1 > cs->cap) {
                size_t cap = (cs->len + *upload_size + 1) * 2;
                char *nb = realloc(cs->body, cap);
                if (!nb)
                    return MHD_NO;
                cs->body = nb;
                cs->cap = cap;
            }
            memcpy(cs->body + cs->len, upload, *upload_size);
            cs->len += *upload_size;
            cs->body[cs->len] = 0;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    srv_req r = {.srv = s, .conn = conn, .method = method, .url = url, .status = 200,
                 .body = cs->body ? cs->body : "", .body_len = cs->len};
    khum_buf_init(&r.out);
    khum_arena_init(&r.arena, 0);
    enum MHD_Result ok;
    int over = srv_conn_begin(s, conn);
    if (over) {
        /* The client may try again soon: connections close within seconds. */
        r.retry_after = 5;
        r.close = true;
        srv_failf(&r, 503, over == 861 ? "SRV.861" : "SRV.862", NULL, over == 861
                  ? "too many connections from your address (at most %d): try again shortly"
                  : "the server is at its limit of %d connections: try again shortly",
                  over == 861 ? s->o.max_conns_per_address : s->o.max_conns);
        ok = send_out(&r);
    } else if (cs->too_big) {
        srv_failf(&r, 413, "HTTP.413", NULL, "the request body is over the limit of %zu bytes",
                  s->o.max_body);
        ok = send_out(&r);
    } else if (strncmp(url, "/api/v1/", 8) == 0) {
        r.store = pool_take(s);
        dispatch_api(&r);
        pool_give(s, r.store);
        ok = send_out(&r);
    } else if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        srv_failf(&r, 405, "HTTP.405", NULL, "%s is not allowed on %s", method, url);
        ok = send_out(&r);
    } else {
        ok = send_static(&r, s->web, url + 1);
        if (ok == MHD_NO && r.status == 404)
            ok = send_out(&r);
    }
    khum_buf_free(&r.out);
    khum_arena_free(&r.arena);
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    khum_server *s = cls;
    conn_state *cs = *con_cls;
    (void)toe;
    if (!cs)
        return;
    srv_conn_idle(s, conn);
    free(cs->body);
    free(cs);
    *con_cls = NULL;
    atomic_fetch_sub(&s->active, 1);
}

/* ---- start and stop ------------------------------------------------------------ */

static khum_code open_pool(khum_server *s, khum_err *err)
{
    s->pool = calloc((size_t)s->npool, sizeof *s->pool);
    s->busy = calloc((size_t)s->npool, sizeof *s->busy);
    if (!s->pool || !s->busy)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (int i = 0; i < s->npool; i++) {
        khum_code rc = khum_store_open(s->db, &s->pool[i], err);
        if (rc)
            return rc;
        khum_store_set_actor(s->pool[i], "server");
    }
    return KHUM_OK;
}

static khum_code resolve_dir(const char *dir, char *out, const char *what, khum_err *err)
{
    if (!dir || !*dir)
        return KHUM_OK;
    if (!realpath(dir, out))
        return khum_err_set(err, KHUM_ERR_IO, "SRV.702", "the %s folder %s: %s", what, dir,
                            strerror(errno));
    return KHUM_OK;
}

khum_code khum_server_start(const khum_server_opts *o, khum_server **out, khum_err *err)
{
    *out = NULL;
    khum_server *s = calloc(1, sizeof *s);
    if (!s)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    s->o = *o;
    if (!s->o.host)
        s->o.host = "127.0.0.1";
    if (!s->o.max_body)
        s->o.max_body = 64 * 1024;
    if (!s->o.session_ttl)
        s->o.session_ttl = 12 * 3600;
    if (!s->o.cache_bytes)
        s->o.cache_bytes = (size_t)64 << 20;
    s->cache.max_bytes = s->o.cache_bytes;
    if (s->o.max_conns <= 0)
        s->o.max_conns = 2000;
    if (s->o.max_conns_per_address <= 0)
        s->o.max_conns_per_address = 128;
    if (s->o.idle_timeout <= 0)
        s->o.idle_timeout = 10;
    if (s->o.request_timeout <= 0)
        s->o.request_timeout = 10;
    if (s->o.threads <= 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        s->o.threads = cpus > 2 ? (int)cpus * 2 : 4;
    }
    snprintf(s->db, sizeof s->db, "%s", o->db);
    snprintf(s->shared, sizeof s->shared, "%s", o->shared_dir ? o->shared_dir : "");
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->pool_cv, NULL);
    s->npool = s->o.threads;
    khum_code rc;
    if ((rc = resolve_dir(o->web_dir, s->web, "web", err)) ||
        (rc = resolve_dir(o->publish_dir, s->pub, "publication", err)) ||
        (rc = open_pool(s, err)) || (rc = srv_writer_start(s, err)) ||
        (rc = srv_conns_start(s, err))) {
        khum_server_stop(s);
        return rc;
    }
    struct in_addr proxy;
    if (o->trusted_proxy && inet_pton(AF_INET, o->trusted_proxy, &proxy) != 1) {
        khum_err_set(err, KHUM_ERR_USAGE, "SRV.863", "--trusted-proxy '%s' is not an IPv4 "
                     "address", o->trusted_proxy);
        khum_server_stop(s);
        return KHUM_ERR_USAGE;
    }
    s->trusted_proxy = o->trusted_proxy ? proxy.s_addr : 0;
    /* Checked for unknown users, so that they cost what a known one does. */
    char pw[65];
    khum_token_new(pw);
    if ((rc = khum_password_hash(pw, s->dummy_hash, err))) {
        khum_server_stop(s);
        return rc;
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    if (inet_pton(AF_INET, s->o.host, &addr.sin_addr) != 1) {
        /* the message first: stopping frees s */
        khum_err_set(err, KHUM_ERR_USAGE, "SRV.701", "cannot listen on '%s': give an IPv4 "
                     "address such as 127.0.0.1 or 0.0.0.0", s->o.host);
        khum_server_stop(s);
        return KHUM_ERR_USAGE;
    }
    s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY |
                                MHD_USE_ITC | MHD_USE_ERROR_LOG,
                            0, NULL, NULL, on_request, s,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->o.threads,
                            MHD_OPTION_CONNECTION_TIMEOUT, 30u,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
                            /* past our limits (503) a margin for the answers, then
                             * libmicrohttpd refuses at once */
                            MHD_OPTION_CONNECTION_LIMIT,
                            (unsigned)(s->o.max_conns + s->o.max_conns / 4 + 64),
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                            (unsigned)(2 * s->o.max_conns_per_address),
                            MHD_OPTION_NOTIFY_CONNECTION, srv_conn_notify, s,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    if (!s->d) {
        khum_server_stop(s);
        return khum_err_set(err, KHUM_ERR_IO, "SRV.703", "cannot listen on %s:%d (in use, or "
                            "not an address of this machine)", o->host ? o->host : "127.0.0.1",
                            o->port);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : o->port;
    *out = s;
    return KHUM_OK;
}

int khum_server_port(const khum_server *s)
{
    return s->port;
}

void khum_server_stop(khum_server *s)
{
    if (!s)
        return;
    if (s->d) {
        MHD_quiesce_daemon(s->d);
        /* Requests in flight finish (their writes are committed either way). */
        for (int i = 0; i < 1000 && atomic_load(&s->active) > 0; i++)
            usleep(10000);
        MHD_stop_daemon(s->d);
    }
    srv_writer_stop(s);
    srv_conns_stop(s);
    for (int i = 0; s->pool && i < s->npool; i++)
        khum_store_close(s->pool[i]);
    free(s->pool);
    free(s->busy);
    srv_cache_free(s);
    srv_elections_free(s);
    pthread_cond_destroy(&s->pool_cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
