/*
 * cmd_serve.c: `khum serve`: run the HTTP server until SIGINT or SIGTERM.
 * The signals are blocked in every thread and taken here with sigwait, so
 * that a stop is an orderly khum_server_stop (requests in flight finish,
 * store connections close) rather than an interrupted write.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "khum/server.h"

static const char *help =
    "usage: khum serve [--db PATH] [--listen HOST:PORT] [--web DIR] [--publish DIR]\n"
    "                  [--threads N] [--max-body BYTES] [--port-file FILE]\n"
    "                  [--cache-mb N] [--max-conns N] [--max-conns-per-address N]\n"
    "                  [--idle-timeout S] [--request-timeout S]\n"
    "                  [--trusted-proxy ADDR] [--secure-cookies]\n"
    "\n"
    "Serve the JSON API under /api/v1/ (docs/server.md) and the dashboard in\n"
    "--web (default: ./web when it exists) until SIGINT or SIGTERM.\n"
    "  --listen HOST:PORT  default 127.0.0.1:8080; port 0 takes any free port\n"
    "  --publish DIR       serve the bundles `khum publish` wrote there\n"
    "  --threads N         worker threads (default 2 x CPUs, at least 4)\n"
    "  --max-body BYTES    request bodies above this are refused with 413 (64 KiB)\n"
    "  --port-file FILE    write the port listened on to FILE (for scripts)\n"
    "Against hostile traffic (docs/deploy.md):\n"
    "  --cache-mb N        bound of the response cache in MiB (64)\n"
    "  --max-conns N       open connections in all; more are answered 503 (2000)\n"
    "  --max-conns-per-address N  from one client address; more are answered 503,\n"
    "                      past twice as many refused (128)\n"
    "  --idle-timeout S    close a connection idle this long after an answer (10)\n"
    "  --request-timeout S close a connection that has not sent its whole request\n"
    "                      this long after connecting (slowloris) (10)\n"
    "  --trusted-proxy ADDR  the reverse proxy at ADDR says who the client is\n"
    "                      (X-Forwarded-For) and whether it came over TLS\n"
    "                      (X-Forwarded-Proto: https: session cookies then Secure)\n"
    "  --secure-cookies    session cookies always Secure (TLS ends in front of khum)\n"
    "Users are added with khum user add; reads need no login.\n";

static bool parse_listen(const char *s, char *host, size_t cap, int *port)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || (size_t)(colon - s) >= cap)
        return false;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = 0;
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (*end || p < 0 || p > 65535 || end == colon + 1)
        return false;
    *port = (int)p;
    return true;
}

/* One of the limits against hostile traffic: a whole number 1..1000000. */
static bool set_limit(khum_server_opts *o, int c, const char *arg)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*end || end == arg || v < 1 || v > 1000000)
        return false;
    switch (c) {
    case 'C': o->cache_bytes = (size_t)v << 20; break;
    case 'M': o->max_conns = (int)v; break;
    case 'A': o->max_conns_per_address = (int)v; break;
    case 'I': o->idle_timeout = (int)v; break;
    default: o->request_timeout = (int)v; break;
    }
    return true;
}

static const char *opts_name(const struct option *opts, int c)
{
    for (; opts->name; opts++)
        if (opts->val == c)
            return opts->name;
    return "?";
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"listen", required_argument, 0, 'l'},
        {"web", required_argument, 0, 'w'}, {"publish", required_argument, 0, 'p'},
        {"threads", required_argument, 0, 't'}, {"max-body", required_argument, 0, 'm'},
        {"port-file", required_argument, 0, 'f'}, {"help", no_argument, 0, 'h'},
        {"cache-mb", required_argument, 0, 'C'}, {"max-conns", required_argument, 0, 'M'},
        {"max-conns-per-address", required_argument, 0, 'A'},
        {"idle-timeout", required_argument, 0, 'I'},
        {"request-timeout", required_argument, 0, 'R'},
        {"trusted-proxy", required_argument, 0, 'P'}, {"secure-cookies", no_argument, 0, 'S'},
        {0, 0, 0, 0}};
    khum_server_opts o = {.port = 8080};
    const char *db = NULL, *listen = "127.0.0.1:8080", *port_file = NULL;
    char host[64];
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l': listen = optarg; break;
        case 'w': o.web_dir = optarg; break;
        case 'p': o.publish_dir = optarg; break;
        case 't': o.threads = atoi(optarg); break;
        case 'm': o.max_body = (size_t)strtoull(optarg, NULL, 10); break;
        case 'f': port_file = optarg; break;
        case 'P': o.trusted_proxy = optarg; break;
        case 'S': o.secure_cookies = 1; break;
        case 'C': case 'M': case 'A': case 'I': case 'R':
            if (!set_limit(&o, c, optarg))
                return cli_usage_error("serve", "--%s takes a whole number from 1 to 1000000, "
                                       "not '%s'", opts_name(opts, c), optarg);
            break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: return EXIT_BAD;
        }
    }
    if (!parse_listen(listen, host, sizeof host, &o.port))
        return cli_usage_error("serve", "--listen is HOST:PORT, e.g. 127.0.0.1:8080, not '%s'",
                               listen);
    o.host = host;
    o.shared_dir = cli_shared_dir();
    struct stat st;
    if (!o.web_dir && stat("web/index.html", &st) == 0)
        o.web_dir = "web";
    khum_store *probe;
    int rc = cli_open_existing(db, &probe);   /* a clear error before any thread starts */
    if (rc)
        return rc;
    khum_store_close(probe);
    o.db = cli_db_path(db);

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    khum_server *srv;
    khum_err err;
    khum_err_clear(&err);
    if (khum_server_start(&o, &srv, &err))
        return cli_fail(&err);
    int port = khum_server_port(srv);
    if (port_file) {
        FILE *f = fopen(port_file, "w");
        if (f) {
            fprintf(f, "%d\n", port);
            fclose(f);
        }
    }
    fprintf(stderr, "khum: serving %s on http://%s:%d/ (API under /api/v1/%s%s); "
            "Ctrl-C stops\n", o.db, host, port, o.web_dir ? ", dashboard from " : "",
            o.web_dir ? o.web_dir : "");
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "khum: %s: finishing requests in flight and stopping\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    khum_server_stop(srv);
    return EXIT_OK;
}
