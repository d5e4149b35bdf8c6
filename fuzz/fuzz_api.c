/*
 * fuzz_api.c: libFuzzer target for the JSON bodies of every write endpoint,
 * through the real server: `khum serve`'s code runs in this process on a
 * temporary database (the test fixtures' gazetteer and election), and each
 * input is POSTed over loopback by an administrator (first byte: which
 * endpoint; the rest: the body). Whatever the body, the answer must be one
 * of the statuses docs/server.md lists, never 5xx and never no answer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/cli.h"
#include "khum/app.h"
#include "khum/app_import.h"
#include "khum/server.h"

static int port;
static char token[65];

static void die(const char *what, const khum_err *e)
{
    fprintf(stderr, "fuzz_api setup: %s: %s [%s]\n", what, e ? e->msg : "", e ? e->rule : "");
    abort();
}

static void setup(void)
{
    char db[] = "/tmp/khum-fuzz-api-XXXXXX";
    int fd = mkstemp(db);
    close(fd);
    unlink(db);
    khum_store *s;
    khum_err err;
    khum_err_clear(&err);
    if (khum_store_open(db, &s, &err))
        die("open", &err);
    const char *src = KHUM_SRC_DIR;
    char path[4][512], dir[512];
    snprintf(dir, sizeof dir, "%s/tests/data/mini-gazetteer", src);
    if (import_gazetteer_dir(s, dir, NULL, true))
        die("gazetteer", NULL);
    FILE *f;
    snprintf(path[0], sizeof path[0], "%s/data/parties/kh.csv", src);
    char buf[65536];
    size_t n = (f = fopen(path[0], "rb")) ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    if (import_parties_csv(s, "kh.csv", buf, n, NULL, true))
        die("parties", NULL);
    static const char *const files[4] = {"election.csv", "communes.csv", "lists.csv",
                                         "stations.csv"};
    khum_csv *c[4];
    for (int i = 0; i < 4; i++) {
        snprintf(path[i], sizeof path[i], "%s/tests/data/mini-election/%s", src, files[i]);
        if (khum_csv_open_path(path[i], &c[i], &err))
            die("election files", &err);
    }
    khum_election e;
    khum_election_init(&e);
    bool existed;
    if (khum_election_read(&e, c[0], c[1], c[2], c[3], &err) ||
        khum_app_import_election(s, NULL, &e, NULL, 0, &existed, &err))
        die("election", &err);
    for (int i = 0; i < 4; i++)
        khum_csv_close(c[i]);
    khum_election_free(&e);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_session sess;
    int wait;
    if (khum_app_user_add(s, "fuzz", "admin", "admin", "", "fuzz-password-1", &err) ||
        khum_app_login(s, NULL, "admin", "fuzz-password-1", 3600, &a, &sess, &wait, &err))
        die("user", &err);
    snprintf(token, sizeof token, "%s", sess.token);
    khum_arena_free(&a);
    khum_store_close(s);
    khum_server_opts o = {.db = strdup(db), .port = 0, .threads = 2, .max_body = 16384};
    khum_server *srv;
    if (khum_server_start(&o, &srv, &err))
        die("server", &err);
    port = khum_server_port(srv);  /* runs until the process ends */
}

static const char *const paths[] = {
    "forms/010201-01/entries", "forms/010201-02/resolve", "forms/010202-01/explanations",
    "forms/010201-01/corrections", "official", "lots", "ledger"};

/* POST body to path; returns the HTTP status, 0 when there is no answer. */
static int post(const char *path, const uint8_t *body, size_t len)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* Close with a reset: a million connections must not leave a million
     * TIME_WAIT ports behind and run out of them. */
    struct linger lg = {1, 0};
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    char head[512];
    int h = snprintf(head, sizeof head,
                     "POST /api/v1/elections/kh-test-2022/%s HTTP/1.1\r\nHost: x\r\n"
                     "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n", path, token, len);
    int ok = write(fd, head, (size_t)h) == h && (len == 0 || write(fd, body, len) == (ssize_t)len);
    char resp[64] = "";
    size_t got = 0;
    ssize_t r;
    while (ok && got < 12 && ((r = read(fd, resp + got, sizeof resp - 1 - got)) > 0 ||
                              (r < 0 && errno == EINTR)))
        if (r > 0)
            got += (size_t)r;
    close(fd);
    if (got < 12 || strncmp(resp, "HTTP/1.1 ", 9) != 0) {
        return 0;
    }
    return atoi(resp + 9);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!port)
        setup();
    if (size < 1)
        return 0;
    /* libFuzzer's timer signals interrupt system calls (EINTR): a request
     * that got no answer is sent again before it counts as a failure. */
    int st = 0;
    for (int tries = 0; tries < 3 && st == 0; tries++)
        st = post(paths[data[0] % (sizeof paths / sizeof *paths)], data + 1, size - 1);
    static const int allowed[] = {200, 201, 400, 401, 403, 404, 409, 413, 422, 429};
    for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++)
        if (st == allowed[i])
            return 0;
    fprintf(stderr, "fuzz_api: status %d for a body of %zu bytes\n", st, size - 1);
    abort();
}
