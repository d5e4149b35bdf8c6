/*
 * cmd_publish.c: `khum keygen`, `khum publish` and `khum verify`.
 * A bundle version is written to a hidden temporary folder of its own, every
 * file and the folder synced, then renamed into place and the parent synced,
 * and only then does `current` move to it (write-then-rename again): a crash
 * leaves the old version current and no half bundle visible. Versions are
 * never rewritten; a lock on the folder makes publishes take turns, and each
 * new manifest names the previous one's SHA-256 (a chain `khum verify`
 * checks whole). The secret key is only ever read from its file.
 */
#define _GNU_SOURCE   /* renameat2(RENAME_NOREPLACE) where the C library has it */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "khum/hash.h"
#include "khum/publish.h"

/* Write a new file (excl: refuse one that exists) and sync it. Never through
 * a symlink: a link planted where a key or a bundle file goes would send the
 * bytes elsewhere. */
static int write_file(const char *path, const void *data, size_t len, int mode, bool excl)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (excl ? O_EXCL : O_TRUNC),
                  mode);
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

/* A rename or a new entry is durable only once its folder is synced. */
static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
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

/* A public key given as a file holding hex, or as the hex itself. A
 * secret key (128 hex digits) in its place is a usage error: whoever passes
 * it around to check bundles is about to publish it. */
static int read_public_key(const char *arg, char *out, size_t cap)
{
    khum_buf b;
    khum_buf_init(&b);
    bool ok = read_file(arg, &b);
    snprintf(out, cap, "%s", ok && b.data ? b.data : arg);
    out[strcspn(out, " \r\n")] = 0;
    khum_buf_free(&b);
    size_t len = strlen(out);
    if (!len)
        return cli_usage_error("verify", "no public key in %s", arg);
    if (len == 128 && strspn(out, "0123456789abcdefABCDEF") == len) {
        memset(out, 0, cap);
        return cli_usage_error("verify", "%s holds a secret key: --key takes the public key "
                               "(the .pub file khum keygen wrote beside it) [VER.924]", arg);
    }
    return EXIT_OK;
}

/* The secret key only from a file: on the command line it would be seen by
 * every user of the machine (ps, /proc) and kept in shell histories. Read
 * into a buffer of our own that is wiped after use. */
static int read_secret_key(const char *path, char sk[160])
{
    size_t len = strlen(path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && len >= 64 && strspn(path, "0123456789abcdefABCDEF") == len)
        return cli_usage_error("publish", "--key takes the secret key's file (khum keygen), "
                               "never the key itself [VER.923]");
    if (fd < 0)
        return cli_usage_error("publish", "cannot read the secret key file %s: %s", path,
                               strerror(errno));
    ssize_t n = read(fd, sk, 159);
    close(fd);
    sk[n > 0 ? n : 0] = 0;
    sk[strcspn(sk, " \r\n")] = 0;
    return *sk ? EXIT_OK : cli_usage_error("publish", "no secret key in %s", path);
}

static int keygen_refuse(const char *path, const char *why)
{
    fprintf(stderr, "khum: %s %s: a key is never overwritten [VER.922]\n", path, why);
    return EXIT_FAIL;
}

int cmd_keygen(int argc, char **argv)
{
    if (argc != 2 || !strcmp(argv[1], "--help") || argv[1][0] == '-') {
        fputs("usage: khum keygen PREFIX\n\n"
              "Make the commission's Ed25519 key pair: PREFIX.key (secret, mode 0600: keep\n"
              "it offline) signs bundles with khum publish --key; PREFIX.pub is given to\n"
              "everyone who checks them with khum verify --key. Neither file may exist.\n",
              argc == 2 && !strcmp(argv[1], "--help") ? stdout : stderr);
        return argc == 2 && !strcmp(argv[1], "--help") ? EXIT_OK : EXIT_BAD;
    }
    char pk[65], sk[129], line[160], key[4096], pub[4096];
    snprintf(key, sizeof key, "%s.key", argv[1]);
    snprintf(pub, sizeof pub, "%s.pub", argv[1]);
    struct stat st;
    if (lstat(key, &st) == 0 || lstat(pub, &st) == 0)
        return keygen_refuse(lstat(key, &st) == 0 ? key : pub, "exists");
    khum_keypair_hex(pk, sk);
    snprintf(line, sizeof line, "%s\n", sk);
    sodium_memzero(sk, sizeof sk);
    /* O_EXCL as well as the check above: a file made in between is not replaced. */
    int bad = write_file(key, line, strlen(line), 0600, true);
    sodium_memzero(line, sizeof line);
    if (bad && (errno == EEXIST || errno == ELOOP))
        return keygen_refuse(key, "appeared");
    if (bad) {
        fprintf(stderr, "khum: cannot write %s: %s\n", key, strerror(errno));
        return EXIT_FAIL;
    }
    snprintf(line, sizeof line, "%s\n", pk);
    if (write_file(pub, line, strlen(line), 0644, true)) {
        int e = errno;
        unlink(key);   /* no secret key without its public key */
        if (e == EEXIST || e == ELOOP)
            return keygen_refuse(pub, "appeared");
        fprintf(stderr, "khum: cannot write %s: %s\n", pub, strerror(e));
        return EXIT_FAIL;
    }
    printf("public key %s\n", pk);
    fprintf(stderr, "khum: wrote %s (secret) and %s\n", key, pub);
    return EXIT_OK;
}

/* The first line of DIR/current ("" when there is none). */
static void read_current(const char *dir, char *cur, size_t cap)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/current", dir);
    *cur = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (fgets(cur, (int)cap, f))
        cur[strcspn(cur, "\r\n")] = 0;
    fclose(f);
}

/* One version's signed manifest, read into the chain. */
static bool add_version(khum_chain *c, const char *dir, const char *folder)
{
    char path[8400];
    khum_chain_version *v = khum_chain_add(c, folder);
    if (!v)
        return false;
    snprintf(path, sizeof path, "%s/%s/manifest.json", dir, folder);
    bool ok = read_file(path, &v->manifest);
    snprintf(path, sizeof path, "%s/%s/manifest.sig", dir, folder);
    /* A missing file leaves its buffer empty: the signature check reports it. */
    return (read_file(path, &v->sig) || !v->sig.failed) && (ok || !v->manifest.failed);
}

/* Every version folder of a publication with its manifest, and `current`. */
static bool load_chain(const char *dir, khum_chain *c)
{
    memset(c, 0, sizeof *c);
    c->publication = true;
    read_current(dir, c->current, sizeof c->current);
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool ok = true;
    struct dirent *de;
    while (ok && (de = readdir(d)))
        if (khum_version_folder(de->d_name) >= 0)
            ok = add_version(c, dir, de->d_name);
    closedir(d);
    return ok;
}

static int newest_version(const khum_chain *c)
{
    int best = 0;
    for (size_t i = 0; i < c->n; i++)
        if (khum_version_folder(c->v[i].folder) > best)
            best = khum_version_folder(c->v[i].folder);
    return best;
}

static const khum_chain_version *chain_find(const khum_chain *c, int version)
{
    for (size_t i = 0; i < c->n; i++)
        if (khum_version_folder(c->v[i].folder) == version)
            return &c->v[i];
    return NULL;
}

/* The audit head id a version's manifest was made at, -1 if unknown. */
static long long manifest_head(const khum_chain_version *v)
{
    json_t *m = v ? json_loadb(v->manifest.data ? v->manifest.data : "", v->manifest.len, 0,
                               NULL)
                  : NULL;
    long long id = m ? json_integer_value(json_object_get(json_object_get(m, "audit_head"),
                                                          "id")) : -1;
    json_decref(m);
    return id;
}

/* One publish at a time per folder: the lock is held from reading the newest
 * version until `current` names the new one, so two publishes cannot both
 * make the same version. A second one waits. */
static int lock_publication(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/.lock", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return fd;
    fprintf(stderr, "khum publish: waiting for another publish to %s to finish\n", dir);
    if (flock(fd, LOCK_EX) == 0)
        return fd;
    close(fd);
    return -1;
}

/* Temporary folders a crashed publish left (".vNNNNNN.tmp..."): under the
 * lock no other publish is writing one. They hold files only. */
static void remove_stale_temps(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char path[8400];
    while (d && (de = readdir(d))) {
        if (strncmp(de->d_name, ".v", 2) || !strstr(de->d_name, ".tmp"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        DIR *t = opendir(path);
        struct dirent *te;
        while (t && (te = readdir(t))) {
            char file[8700];
            snprintf(file, sizeof file, "%s/%s", path, te->d_name);
            if (strcmp(te->d_name, ".") && strcmp(te->d_name, ".."))
                unlink(file);
        }
        if (t)
            closedir(t);
        rmdir(path);
    }
    if (d)
        closedir(d);
}

/* Move into place without replacing: a version is never rewritten. */
static int rename_new(const char *from, const char *to)
{
#ifdef RENAME_NOREPLACE
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)   /* else a file system without it */
        return -1;
#endif
    struct stat st;
    if (lstat(to, &st) == 0) {
        errno = EEXIST;
        return -1;
    }
    return rename(from, to);
}

static int point_current(const char *dir, int version)
{
    char cur[32], tmp[4200], path[4200];
    snprintf(cur, sizeof cur, "v%06d\n", version);
    snprintf(tmp, sizeof tmp, "%s/.current.tmp", dir);
    snprintf(path, sizeof path, "%s/current", dir);
    if (write_file(tmp, cur, strlen(cur), 0644, false) || rename(tmp, path) || fsync_dir(dir)) {
        fprintf(stderr, "khum publish: cannot write %s: %s [IO.951]\n", path, strerror(errno));
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

/* Files into a temporary folder of this publish alone, each synced, the
 * folder synced, renamed into place, the parent synced; then `current`. */
static int write_bundle(const char *dir, int version, khum_bundle *b)
{
    char tmp[4200], final[4200], path[4300];
    snprintf(tmp, sizeof tmp, "%s/.v%06d.tmp.XXXXXX", dir, version);
    snprintf(final, sizeof final, "%s/v%06d", dir, version);
    if (!mkdtemp(tmp)) {
        fprintf(stderr, "khum publish: cannot make %s: %s [IO.951]\n", tmp, strerror(errno));
        return EXIT_FAIL;
    }
    chmod(tmp, 0755);
    for (size_t i = 0; i < b->n; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp, b->f[i].name);
        if (write_file(path, b->f[i].data.data ? b->f[i].data.data : "", b->f[i].data.len, 0644,
                       true))
            goto fail;
    }
    snprintf(path, sizeof path, "%s", tmp);
    if (fsync_dir(tmp) || rename_new(tmp, final))
        goto fail;
    snprintf(path, sizeof path, "%s", dir);
    if (fsync_dir(dir))
        goto fail;
    return point_current(dir, version);
fail:
    fprintf(stderr, "khum publish: cannot write %s: %s [IO.951]\n", path, strerror(errno));
    remove_stale_temps(dir);
    return EXIT_FAIL;
}

/* Each difference is a failure of the check, said as one (never "warning"). */
static void print_diffs(const char *cmd, const khum_diags *d, bool quiet)
{
    char msg[1024];
    fflush(stdout);
    for (size_t i = 0; i < d->n && (!quiet || i < 1); i++) {
        if (i == 50) {
            fprintf(stderr, "khum %s: ... and %zu more differences\n", cmd, d->n - 50);
            break;
        }
        khum_err_format(&d->items[i], msg, sizeof msg);
        fprintf(stderr, "khum %s: FAILED: %s\n", cmd, msg);
    }
}

/* Extend only an intact chain: a new version linked to a replaced or
 * relabelled one would vouch for it. A `current` behind the newest version
 * (a publish that stopped before moving it) is put right by this one. */
static int check_before_extending(const khum_chain *c, const char *sk)
{
    char pk[65];
    khum_diags d = {0};
    khum_chain_stats st;
    khum_err err;
    khum_err_clear(&err);
    if (!khum_public_key_of(sk, pk))
        return cli_usage_error("publish", "the secret key is not 128 hex digits (make one with "
                               "khum keygen) [VER.920]");
    if (c->n)
        khum_chain_verify(c, pk, &d, &st, &err);
    size_t serious = 0;
    for (size_t i = 0; i < d.n; i++)
        serious += strcmp(d.items[i].rule, "VER.944") && strcmp(d.items[i].rule, "VER.945");
    if (serious) {
        print_diffs("publish", &d, false);
        fprintf(stderr, "khum publish: the versions already published do not form an intact "
                "chain (signed by this key): no version is added to them [%s]\n",
                d.items[0].rule);
    }
    khum_diags_free(&d);
    return serious ? EXIT_FAIL : EXIT_OK;
}

static int publish_locked(const char *db, const char *election, const char *out,
                          const char *sk, bool protocols)
{
    khum_chain chain;
    if (!load_chain(out, &chain)) {
        fprintf(stderr, "khum publish: cannot read %s: %s [IO.951]\n", out, strerror(errno));
        khum_chain_free(&chain);
        return EXIT_FAIL;
    }
    int st = check_before_extending(&chain, sk);
    int last = newest_version(&chain);
    khum_store *s = NULL;
    if (st || (st = cli_open_existing(db, &s))) {
        khum_chain_free(&chain);
        return st;
    }
    khum_err err;
    khum_err_clear(&err);
    int64_t head;
    char hh[KHUM_SHA256_HEX], prev[KHUM_SHA256_HEX];
    const khum_chain_version *lv = chain_find(&chain, last);
    if (lv)
        khum_sha256_hex(lv->manifest.data ? lv->manifest.data : "", lv->manifest.len, prev);
    bool same = false;
    if (khum_store_audit_head(s, &head, hh, &err))
        st = cli_fail(&err);
    else if ((same = last > 0 && manifest_head(lv) == (long long)head))
        printf("nothing changed since v%06d (audit head %lld): no new version\n", last,
               (long long)head);
    if (st || same) {
        if (same && khum_version_folder(chain.current) != last)
            st = point_current(out, last);
        khum_store_close(s);
        khum_chain_free(&chain);
        return st;
    }
    khum_chain_free(&chain);
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    khum_bundle b;
    if (khum_bundle_build_with(s, election, last + 1, last ? prev : NULL, created, protocols,
                               &b, &err) ||
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

/* Only an administrator publishes for the commission (KHUM_DO_PUBLISH). */
static int authorize(const char *db, const char *user)
{
    khum_store *s = NULL;
    int st = cli_open_existing(db, &s);
    if (!st)
        st = cli_authorize(s, user, KHUM_DO_PUBLISH, "", "publish", NULL);
    khum_store_close(s);
    return st;
}

int cmd_publish(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"election", required_argument, 0, 'e'},
        {"out", required_argument, 0, 'o'}, {"key", required_argument, 0, 'k'},
        {"user", required_argument, 0, 'u'}, {"with-protocols", no_argument, 0, 'P'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *db = NULL, *election = NULL, *out = NULL, *keyarg = NULL, *user = NULL;
    bool protocols = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'e': election = optarg; break;
        case 'o': out = optarg; break;
        case 'k': keyarg = optarg; break;
        case 'u': user = optarg; break;
        case 'P': protocols = true; break;
        case 'h':
            fputs("usage: khum publish --out DIR --key SECRET_KEY_FILE --user ADMIN\n"
                  "                    [--election ID] [--db PATH] [--with-protocols]\n"
                  "\n"
                  "Write a new, immutable version DIR/vNNNNNN of the election's data (station\n"
                  "forms, results at every level, seats with protocols and lots, ledger,\n"
                  "councils) with a manifest of every file's SHA-256 and of the previous\n"
                  "version's manifest, signed with the commission's Ed25519 key (the file\n"
                  "khum keygen wrote; never the key itself), and point DIR/current at it.\n"
                  "Nothing new since the last version: no new version. One publish at a\n"
                  "time: a second one waits. Check a publication offline with\n"
                  "khum verify DIR --key PUBLIC_KEY. --with-protocols adds every commune's\n"
                  "printed protocol (khum print protocol) as protocol_COMMUNE.pdf, hashed in\n"
                  "the manifest like every other file.\n", stdout);
            return EXIT_OK;
        default: return EXIT_BAD;
        }
    }
    if (!out || !keyarg)
        return cli_usage_error("publish", "--out DIR and --key SECRET_KEY_FILE are required");
    int st = authorize(db, user);   /* before anything is made or read */
    if (st)
        return st;
    char sk[160];
    if ((st = read_secret_key(keyarg, sk)))
        return st;
    if (mkdir(out, 0755) && errno != EEXIST) {
        fprintf(stderr, "khum publish: cannot make %s: %s [IO.951]\n", out, strerror(errno));
        sodium_memzero(sk, sizeof sk);
        return EXIT_FAIL;
    }
    int lock = lock_publication(out);
    if (lock < 0) {
        fprintf(stderr, "khum publish: cannot lock %s/.lock: %s [IO.951]\n", out,
                strerror(errno));
        sodium_memzero(sk, sizeof sk);
        return EXIT_FAIL;
    }
    remove_stale_temps(out);
    st = publish_locked(db, election, out, sk, protocols);
    sodium_memzero(sk, sizeof sk);
    close(lock);
    return st;
}

static bool load_bundle(const char *dir, khum_bundle *b)
{
    char path[8192];
    DIR *d = opendir(dir);
    if (!d)
        return false;
    struct dirent *de;
    bool ok = true;
    while (ok && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path) {
            ok = false;   /* a path this long is no bundle of ours */
            break;
        }
        struct stat st;
        if (stat(path, &st) || !S_ISREG(st.st_mode))
            continue;
        khum_bundle_file *bf = khum_bundle_add(b, de->d_name);
        ok = bf && read_file(path, &bf->data);
    }
    closedir(d);
    return ok;
}

/* What `khum verify ARG` checks: a publication folder (one with `current`
 * or version folders) as a whole chain and its current version in full; a
 * version folder in full and in its place in the publication around it,
 * when there is one, or else alone. */
typedef struct verify_target {
    char pub[4096];        /* the publication folder, "" when none */
    char version[8200];    /* the version folder to check in full */
    char name[4096];       /* its name: vNNNNNN, or what the folder is called */
    bool whole;            /* DIR is the publication: its whole chain is the subject */
} verify_target;

static bool is_publication(const char *dir)
{
    char cur[64];
    read_current(dir, cur, sizeof cur);
    khum_chain c;
    bool yes = *cur || (load_chain(dir, &c) && c.n > 0);
    if (!*cur)
        khum_chain_free(&c);
    return yes;
}

static void find_target(const char *arg, verify_target *t)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", arg);
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
        dir[n - 1] = 0;
    t->whole = is_publication(dir);
    if (t->whole) {
        snprintf(t->pub, sizeof t->pub, "%s", dir);
        read_current(dir, t->name, sizeof t->name);
        if (khum_version_folder(t->name) < 0)
            t->name[0] = 0;   /* nothing to open; the chain check says why */
        snprintf(t->version, sizeof t->version, "%s/%s", dir, t->name);
        return;
    }
    snprintf(t->version, sizeof t->version, "%s", dir);
    char *slash = strrchr(dir, '/');
    snprintf(t->name, sizeof t->name, "%s", slash ? slash + 1 : dir);
    if (slash)
        *(slash == dir ? slash + 1 : slash) = 0;
    else
        snprintf(dir, sizeof dir, ".");
    char cur[64];
    read_current(dir, cur, sizeof cur);
    t->pub[0] = 0;
    if (*cur && khum_version_folder(t->name) >= 0)
        snprintf(t->pub, sizeof t->pub, "%s", dir);
}

/* The chain the target belongs to: the whole publication, or the version
 * folder alone (its name and its own link are still checked). */
static bool load_target_chain(const verify_target *t, khum_chain *c)
{
    if (*t->pub)
        return load_chain(t->pub, c);
    memset(c, 0, sizeof *c);
    khum_chain_version *v = khum_chain_add(c, t->name);
    if (!v)
        return false;
    char path[8400];
    snprintf(path, sizeof path, "%s/manifest.json", t->version);
    read_file(path, &v->manifest);
    snprintf(path, sizeof path, "%s/manifest.sig", t->version);
    read_file(path, &v->sig);
    return !v->manifest.failed && !v->sig.failed;
}

static void cant_read(khum_diags *d, const char *what)
{
    khum_err e;
    khum_err_clear(&e);
    khum_err_set(&e, KHUM_ERR_INPUT, "VER.902", "cannot read the bundle %s (or it has more "
                 "than %d files)", what, KHUM_BUNDLE_MAX_FILES);
    khum_diags_add(d, &e);
}

/* Where the checked version stands: the whole chain, or its place in it. */
static void print_place(const verify_target *t, const khum_chain *c, const khum_chain_stats *cs,
                        const khum_verify_stats *st)
{
    if (t->whole)
        printf("; chain of %zu version%s intact, current %s is the newest\n", cs->versions,
               cs->versions == 1 ? "" : "s", c->current);
    else if (*t->pub)
        printf("; version %d of %d in %s, chain intact, current %s\n", st->version, cs->newest,
               t->pub, c->current);
    else if (st->version > 1)
        printf("; it follows version %d, whose manifest is not here to check\n",
               st->version - 1);
    else
        printf("; the first version of its chain\n");
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
                  "the station forms with code of its own. DIR is the publication folder: the\n"
                  "chain of all its versions is checked (each manifest signed and naming the\n"
                  "previous one's, each folder named for its version, none missing, `current`\n"
                  "naming the newest) and the current version in full. Or DIR is one version\n"
                  "folder (vNNNNNN), checked in full and in its place in the publication\n"
                  "around it. Each difference is printed with its file and record; exit 1\n"
                  "when there is any.\n",
                  stdout);
            return EXIT_OK;
        default: return EXIT_BAD;
        }
    }
    if (optind != argc - 1 || !keyarg)
        return cli_usage_error("verify", "give a bundle folder and --key PUBLIC_KEY");
    char pk[256];
    int rc = read_public_key(keyarg, pk, sizeof pk);
    if (rc != EXIT_OK)
        return rc;
    verify_target t;
    find_target(argv[optind], &t);
    khum_bundle b = {0};
    khum_diags diffs = {0};
    khum_verify_stats st = {0};
    khum_err err;
    khum_err_clear(&err);
    if (*t.name && load_bundle(t.version, &b))
        khum_bundle_verify(&b, pk, &diffs, &st, &err);
    else if (*t.name)
        cant_read(&diffs, t.version);
    khum_chain chain;
    khum_chain_stats cs = {0};
    bool nomem = false;
    /* A version folder alone: its own failures say all there is to say. */
    if (!*t.pub && diffs.n)
        memset(&chain, 0, sizeof chain);
    else if (!load_target_chain(&t, &chain))
        cant_read(&diffs, *t.pub ? t.pub : t.version);
    else
        nomem = khum_chain_verify(&chain, pk, &diffs, &cs, &err) == KHUM_ERR_NOMEM;
    print_diffs("verify", &diffs, quiet);
    char f[32], a[32], s[32], h[20];
    if (nomem)
        cli_fail(&err);
    if (diffs.n || nomem) {
        printf("bundle %s FAILED: %zu difference%s\n", t.version, diffs.n,
               diffs.n == 1 ? "" : "s");
    } else {
        /* The election hash as every other command prints it (khum_hash_short). */
        khum_hash_short(st.hash, h);
        printf("bundle %s verified: version %d of election %s (hash %s), signature good, "
               "%zu files intact; %s forms summed into %s area rows and %s communes' seats "
               "recomputed: no difference; audit head %.16s",
               t.version, st.version, st.election, h, st.files,
               khum_thousands((int64_t)st.forms, f), khum_thousands((int64_t)st.areas, a),
               khum_thousands((int64_t)st.communes_seated, s), st.audit_head);
        print_place(&t, &chain, &cs, &st);
    }
    int status = diffs.n || nomem ? EXIT_FAIL : EXIT_OK;
    khum_chain_free(&chain);
    khum_diags_free(&diffs);
    khum_bundle_free(&b);
    return status;
}
