/*
 * cmd_publish.c: `khum keygen`, `khum publish` and `khum verify`.
 * A bundle version is written to a hidden temporary folder, every file
 * synced, then renamed into place, and only then does `current` move to
 * it (write-then-rename again): a crash leaves the old version current and
 * no half bundle visible. Versions are never rewritten.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "khum/publish.h"

static int write_file(const char *path, const void *data, size_t len, int mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return -1;
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            close(fd);
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    int rc = fsync(fd);
    return close(fd) || rc ? -1 : 0;
}

static bool read_file(const char *path, khum_buf *b)
{
    FILE *f = fopen(path, "rb");
    char buf[65536];
    size_t n;
    if (!f)
        return false;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        khum_buf_append(b, buf, n);
    bool ok = !ferror(f) && !b->failed;
    fclose(f);
    return ok;
}

/* A key given as a file holding hex, or as the hex itself. */
static bool read_key(const char *arg, char *out, size_t cap)
{
    khum_buf b;
    khum_buf_init(&b);
    bool ok = read_file(arg, &b);
    snprintf(out, cap, "%s", ok && b.data ? b.data : arg);
    out[strcspn(out, " \r\n")] = 0;
    khum_buf_free(&b);
    return *out != 0;
}

int cmd_keygen(int argc, char **argv)
{
    if (argc != 2 || !strcmp(argv[1], "--help") || argv[1][0] == '-') {
        fputs("usage: khum keygen PREFIX\n\n"
              "Make the commission's Ed25519 key pair: PREFIX.key (secret, mode 0600: keep\n"
              "it offline) signs bundles with khum publish --key; PREFIX.pub is given to\n"
              "everyone who checks them with khum verify --key.\n",
              argc == 2 && !strcmp(argv[1], "--help") ? stdout : stderr);
        return argc == 2 && !strcmp(argv[1], "--help") ? EXIT_OK : EXIT_BAD;
    }
    char pk[65], sk[129], line[160], path[4096];
    snprintf(path, sizeof path, "%s.key", argv[1]);
    struct stat st;
    if (stat(path, &st) == 0) {
        fprintf(stderr, "khum: %s exists: a key is never overwritten [VER.922]\n", path);
        return EXIT_FAIL;
    }
    khum_keypair_hex(pk, sk);
    snprintf(line, sizeof line, "%s\n", sk);
    sodium_memzero(sk, sizeof sk);
    int bad = write_file(path, line, strlen(line), 0600);
    sodium_memzero(line, sizeof line);
    if (bad) {
        fprintf(stderr, "khum: cannot write %s: %s\n", path, strerror(errno));
        return EXIT_FAIL;
    }
    snprintf(path, sizeof path, "%s.pub", argv[1]);
    snprintf(line, sizeof line, "%s\n", pk);
    if (write_file(path, line, strlen(line), 0644)) {
        fprintf(stderr, "khum: cannot write %s: %s\n", path, strerror(errno));
        return EXIT_FAIL;
    }
    printf("public key %s\n", pk);
    fprintf(stderr, "khum: wrote %s.key (secret) and %s.pub\n", argv[1], argv[1]);
    return EXIT_OK;
}

/* The newest version number in dir (0 when none). */
static int newest_version(const char *dir)
{
    DIR *d = opendir(dir);
    int best = 0;
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (de->d_name[0] == 'v' && strlen(de->d_name) == 7 &&
            strspn(de->d_name + 1, "0123456789") == 6)
            best = atoi(de->d_name + 1) > best ? atoi(de->d_name + 1) : best;
    if (d)
        closedir(d);
    return best;
}

/* The audit head id the version's manifest was made at, -1 if unknown. */
static long long manifest_head(const char *dir, int version)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/v%06d/manifest.json", dir, version);
    json_t *m = json_load_file(path, 0, NULL);
    long long id = m ? json_integer_value(json_object_get(json_object_get(m, "audit_head"),
                                                          "id")) : -1;
    json_decref(m);
    return id;
}

static int write_bundle(const char *dir, int version, khum_bundle *b)
{
    char tmp[4096], final[4096], path[4200];
    snprintf(tmp, sizeof tmp, "%s/.v%06d.tmp", dir, version);
    snprintf(final, sizeof final, "%s/v%06d", dir, version);
    if (mkdir(tmp, 0755) && errno != EEXIST)
        goto fail;
    for (size_t i = 0; i < b->n; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp, b->f[i].name);
        if (write_file(path, b->f[i].data.data ? b->f[i].data.data : "", b->f[i].data.len, 0644))
            goto fail;
    }
    if (rename(tmp, final))
        goto fail;
    char cur[32];
    snprintf(cur, sizeof cur, "v%06d\n", version);
    snprintf(tmp, sizeof tmp, "%s/.current.tmp", dir);
    snprintf(path, sizeof path, "%s/current", dir);
    if (write_file(tmp, cur, strlen(cur), 0644) || rename(tmp, path))
        goto fail;
    return EXIT_OK;
fail:
    fprintf(stderr, "khum publish: cannot write %s: %s [IO.951]\n", tmp, strerror(errno));
    return EXIT_FAIL;
}

int cmd_publish(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"election", required_argument, 0, 'e'},
        {"out", required_argument, 0, 'o'}, {"key", required_argument, 0, 'k'},
        {"user", required_argument, 0, 'u'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *db = NULL, *election = NULL, *out = NULL, *keyarg = NULL, *user = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'e': election = optarg; break;
        case 'o': out = optarg; break;
        case 'k': keyarg = optarg; break;
        case 'u': user = optarg; break;
        case 'h':
            fputs("usage: khum publish --out DIR --key SECRET_KEY --user ADMIN [--election ID]\n"
                  "                    [--db PATH]\n"
                  "\n"
                  "Write a new, immutable version DIR/vNNNNNN of the election's data (station\n"
                  "forms, results at every level, seats with protocols and lots, ledger,\n"
                  "councils) with a manifest of every file's SHA-256, signed with the\n"
                  "commission's Ed25519 key (khum keygen), and point DIR/current at it.\n"
                  "Nothing new since the last version: no new version. Check a bundle\n"
                  "offline with khum verify DIR --key PUBLIC_KEY.\n", stdout);
            return EXIT_OK;
        default: return EXIT_BAD;
        }
    }
    if (!out || !keyarg)
        return cli_usage_error("publish", "--out DIR and --key SECRET_KEY are required");
    char sk[256];
    if (!read_key(keyarg, sk, sizeof sk))
        return cli_usage_error("publish", "no secret key in %s", keyarg);
    if (mkdir(out, 0755) && errno != EEXIST) {
        fprintf(stderr, "khum publish: cannot make %s: %s [IO.951]\n", out, strerror(errno));
        return EXIT_FAIL;
    }
    khum_store *s;
    int st = cli_open_existing(db, &s);
    if (!st && (st = cli_authorize(s, user, KHUM_DO_PUBLISH, "", "publish", NULL)))
        khum_store_close(s);
    if (st)
        return st;
    khum_err err;
    khum_err_clear(&err);
    int64_t head;
    char hh[KHUM_SHA256_HEX];
    int last = newest_version(out);
    if (khum_store_audit_head(s, &head, hh, &err)) {
        khum_store_close(s);
        return cli_fail(&err);
    }
    if (last > 0 && manifest_head(out, last) == (long long)head) {
        printf("nothing changed since v%06d (audit head %lld): no new version\n", last,
               (long long)head);
        khum_store_close(s);
        return EXIT_OK;
    }
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    khum_bundle b;
    if (khum_bundle_build(s, election, last + 1, created, &b, &err) ||
        khum_bundle_sign(&b, sk, &err)) {
        khum_store_close(s);
        khum_bundle_free(&b);
        return cli_fail(&err);
    }
    khum_store_close(s);
    if (!(st = write_bundle(out, last + 1, &b))) {
        size_t bytes = 0;
        for (size_t i = 0; i < b.n; i++)
            bytes += b.f[i].data.len;
        char hex[KHUM_SHA256_HEX];
        khum_bundle_file *m = khum_bundle_find(&b, "manifest.json");
        khum_sha256_hex(m->data.data, m->data.len, hex);
        printf("published %s/v%06d: %zu files, %zu bytes, manifest sha256 %s\n", out, last + 1,
               b.n, bytes, hex);
    }
    khum_bundle_free(&b);
    return st;
}

static bool load_bundle(const char *dir, khum_bundle *b, char *used, size_t cap)
{
    char path[8192], cur[64] = "";
    snprintf(path, sizeof path, "%s/current", dir);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fgets(cur, sizeof cur, f))
            cur[strcspn(cur, "\r\n")] = 0;
        fclose(f);
    }
    if (*cur && !strchr(cur, '/') && strcmp(cur, "..") && strcmp(cur, "."))
        snprintf(used, cap, "%s/%s", dir, cur);
    else
        snprintf(used, cap, "%s", dir);
    DIR *d = opendir(used);
    if (!d)
        return false;
    struct dirent *de;
    bool ok = true;
    while (ok && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", used, de->d_name);
        struct stat st;
        if (stat(path, &st) || !S_ISREG(st.st_mode))
            continue;
        khum_bundle_file *bf = khum_bundle_add(b, de->d_name);
        ok = bf && read_file(path, &bf->data);
    }
    closedir(d);
    return ok;
}

int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, 0, 'k'}, {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *keyarg = NULL;
    bool quiet = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        switch (c) {
        case 'k': keyarg = optarg; break;
        case 'q': quiet = true; break;
        case 'h':
            fputs("usage: khum verify DIR --key PUBLIC_KEY [--quiet]\n"
                  "\n"
                  "Check a publication bundle offline, trusting only the public key: the\n"
                  "Ed25519 signature of manifest.json, the SHA-256 of every file, then every\n"
                  "total (commune, district, province, nation) and every seat recomputed from\n"
                  "the station forms with code of its own. DIR is a bundle folder (vNNNNNN)\n"
                  "or the publication folder, whose `current` version is checked. Each\n"
                  "difference is printed with its file and record; exit 1 when there is any.\n",
                  stdout);
            return EXIT_OK;
        default: return EXIT_BAD;
        }
    }
    if (optind != argc - 1 || !keyarg)
        return cli_usage_error("verify", "give a bundle folder and --key PUBLIC_KEY");
    char pk[256], used[4096];
    if (!read_key(keyarg, pk, sizeof pk))
        return cli_usage_error("verify", "no public key in %s", keyarg);
    khum_bundle b = {0};
    if (!load_bundle(argv[optind], &b, used, sizeof used)) {
        fprintf(stderr, "khum verify: cannot read the bundle %s (or it has more than %d files) "
                "[VER.902]\n", used, KHUM_BUNDLE_MAX_FILES);
        khum_bundle_free(&b);
        return EXIT_FAIL;
    }
    khum_diags diffs = {0};
    khum_verify_stats st;
    khum_err err;
    khum_err_clear(&err);
    khum_code rc = khum_bundle_verify(&b, pk, &diffs, &st, &err);
    for (size_t i = 0; i < diffs.n && (!quiet || i < 1); i++) {
        if (i == 50) {
            fprintf(stderr, "khum: ... and %zu more differences\n", diffs.n - 50);
            break;
        }
        cli_warn(&diffs.items[i]);
    }
    char f[32], a[32], s[32];
    if (rc) {
        printf("bundle %s FAILED: %zu difference%s\n", used, diffs.n, diffs.n == 1 ? "" : "s");
    } else {
        printf("bundle %s verified: version %d of election %s (hash %.16s), signature good, "
               "%zu files intact; %s forms summed into %s area rows and %s communes' seats "
               "recomputed: no difference; audit head %.16s\n",
               used, st.version, st.election, st.hash, st.files,
               khum_thousands((int64_t)st.forms, f), khum_thousands((int64_t)st.areas, a),
               khum_thousands((int64_t)st.communes_seated, s), st.audit_head);
    }
    khum_diags_free(&diffs);
    khum_bundle_free(&b);
    return rc ? EXIT_FAIL : EXIT_OK;
}
