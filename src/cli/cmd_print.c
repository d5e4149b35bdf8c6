/*
 * cmd_print.c: `khum print protocol|summary|forms|council`, the documents a
 * commission signs, as PDF (src/publish/print*.c, docs/printing.md). The
 * file is written under a temporary name beside --out, synced and renamed:
 * a refused or failed print leaves no file, and never half of one.
 * --bundle names the publication folder whose current version holds this
 * data: its manifest's SHA-256 then goes into every footer.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "khum/hash.h"
#include "khum/print.h"

static const char print_help[] =
    "usage: khum print protocol COMMUNE --out FILE.pdf [OPTIONS]\n"
    "       khum print summary [AREA] --out FILE.pdf [OPTIONS]\n"
    "       khum print forms COMMUNE --out FILE.pdf [OPTIONS]\n"
    "       khum print council COMMUNE --on DATE --out FILE.pdf [OPTIONS]\n"
    "\n"
    "The documents a commission signs, as A4 PDF (docs/printing.md):\n"
    "  protocol  a commune's protocol: the stations' forms and their sum, the seat\n"
    "            allocation step by step with ties and lots, seats per list, the\n"
    "            council with its posts, explained warnings, corrections after\n"
    "            official, the 1998 formula as a what-if, signature lines\n"
    "  summary   the results of the nation or of an area (province, district or\n"
    "            commune code), OFFICIAL or PROVISIONAL on every page\n"
    "  forms     Form 1102 for each station of a commune, with a QR code of the\n"
    "            election hash and the station for data entry\n"
    "  council   who holds each seat and post on DATE, since when and why\n"
    "Options:\n"
    "  --out FILE.pdf      where to write (required; written whole or not at all)\n"
    "  --lang km|en|both   Khmer (Khmer digits), English, or both (default)\n"
    "  --bundle DIR        the publication folder (khum publish --out DIR): its current\n"
    "                      manifest's SHA-256 goes into every footer\n"
    "  --signatories LIST  \"Name:Role;Name:Role\" for the protocol's signature lines\n"
    "                      (default: the rule set's commission)\n"
    "  --db PATH, --election ID\n"
    "Same data, same bytes: the PDF's date is the data version's. The Khmer OS\n"
    "fonts (fonts-khmeros) are required (PRN.950).\n";

typedef struct print_opts {
    const char *db, *election, *out, *on, *bundle;
    khum_print_opts p;
} print_opts;

static int parse(int argc, char **argv, print_opts *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},     {"election", required_argument, NULL, 'e'},
        {"out", required_argument, NULL, 'o'},    {"lang", required_argument, NULL, 'l'},
        {"on", required_argument, NULL, 'O'},     {"bundle", required_argument, NULL, 'b'},
        {"signatories", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    o->p.lang = KHUM_PRINT_BOTH;
    int ch, y, m, d;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd': o->db = optarg; break;
        case 'e': o->election = optarg; break;
        case 'o': o->out = optarg; break;
        case 'b': o->bundle = optarg; break;
        case 's': o->p.signatories = optarg; break;
        case 'l':
            if (!khum_print_lang_parse(optarg, &o->p.lang))
                return cli_usage_error("print", "--lang km, en or both");
            break;
        case 'O':
            if (!khum_parse_date(optarg, &y, &m, &d))
                return cli_usage_error("print", "'%s' is not a YYYY-MM-DD date", optarg);
            o->on = optarg;
            break;
        case 'h': fputs(print_help, stdout); return -1;
        default: return cli_usage_error("print", "bad option");
        }
    }
    return EXIT_OK;
}

/* The current version of a publication folder, when it holds this data (its
 * audit head is the database's): the manifest's SHA-256 and version. */
static void bundle_of(khum_store *s, const char *dir, char sha[KHUM_SHA256_HEX], int *version)
{
    char path[4200], cur[64] = "";
    snprintf(path, sizeof path, "%s/current", dir);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fgets(cur, sizeof cur, f))
            cur[strcspn(cur, "\r\n")] = 0;
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/%s/manifest.json", dir, cur);
    json_error_t je;
    json_t *m = *cur ? json_load_file(path, 0, &je) : NULL;
    khum_buf b;
    khum_buf_init(&b);
    f = m ? fopen(path, "rb") : NULL;
    char chunk[8192];
    size_t n;
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        khum_buf_append(&b, chunk, n);
    if (f)
        fclose(f);
    int64_t id;
    char head[KHUM_SHA256_HEX];
    khum_err err;
    const char *mhead = json_string_value(
        json_object_get(json_object_get(m, "audit_head"), "hash"));
    if (m && b.data && !khum_store_audit_head(s, &id, head, &err) && mhead &&
        !strcmp(mhead, head)) {
        khum_sha256_hex(b.data, b.len, sha);
        *version = (int)json_integer_value(json_object_get(m, "version"));
    } else {
        fprintf(stderr, "khum print: %s holds no published version of this data (publish "
                "first): the footer names no bundle\n", dir);
    }
    khum_buf_free(&b);
    json_decref(m);
}

/* Write pdf to path through a temporary name in the same folder. */
static int write_atomic(const char *path, const khum_buf *pdf)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    bool ok = fd >= 0;
    for (size_t off = 0; ok && off < pdf->len;) {
        ssize_t w = write(fd, pdf->data + off, pdf->len - off);
        ok = w > 0;
        off += ok ? (size_t)w : 0;
    }
    ok = ok && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok) {
        int e = errno;
        unlink(tmp);
        fprintf(stderr, "khum print: cannot write %s: %s\n", path, strerror(e));
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

int cmd_print(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(print_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD : EXIT_OK;
    }
    const char *what = argv[1];
    bool summary = !strcmp(what, "summary");
    if (!summary && strcmp(what, "protocol") && strcmp(what, "forms") && strcmp(what, "council"))
        return cli_usage_error("print", "unknown document '%s' (protocol, summary, forms or "
                               "council)", what);
    print_opts o;
    int st = parse(argc - 1, argv + 1, &o);
    if (st)
        return st < 0 ? EXIT_OK : st;
    int nargs = argc - 1 - optind;
    const char *arg = nargs >= 1 ? argv[1 + optind] : NULL;
    if (summary ? nargs > 1 : nargs != 1)
        return cli_usage_error("print", summary ? "summary takes at most one AREA"
                                                : "%s takes one COMMUNE (its code or name)", what);
    if (!o.out)
        return cli_usage_error("print", "--out FILE.pdf is required");
    if (!strcmp(what, "council") && !o.on)
        return cli_usage_error("print", "council needs --on DATE");
    if (!strcmp(what, "council") ? false : o.on != NULL)
        return cli_usage_error("print", "--on is for khum print council");
    khum_store *s;
    khum_election e;
    if ((st = cli_open_election(o.db, o.election, false, &s, &e)))
        return st;
    char commune[64] = "", sha[KHUM_SHA256_HEX] = "";
    if (!summary && (st = cli_commune_arg(s, &e, arg, commune, sizeof commune))) {
        cli_close_election(s, &e);
        return st;
    }
    if (o.bundle) {
        bundle_of(s, o.bundle, sha, &o.p.bundle_version);
        o.p.manifest_sha256 = *sha ? sha : NULL;
    }
    khum_buf pdf;
    khum_buf_init(&pdf);
    khum_err err;
    khum_err_clear(&err);
    khum_code rc = !strcmp(what, "protocol") ? khum_print_protocol(s, e.id, commune, &o.p, &pdf, &err)
                 : !strcmp(what, "forms")    ? khum_print_forms(s, e.id, commune, &o.p, &pdf, &err)
                 : !strcmp(what, "council")  ? khum_print_council(s, e.id, commune, o.on, &o.p, &pdf, &err)
                 : khum_print_summary(s, e.id, arg, &o.p, &pdf, &err);
    st = rc ? cli_fail(&err) : write_atomic(o.out, &pdf);
    if (!st)
        fprintf(stderr, "khum: wrote %s (%zu bytes)\n", o.out, pdf.len);
    khum_buf_free(&pdf);
    cli_close_election(s, &e);
    return st;
}
