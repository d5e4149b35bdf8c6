/*
 * cmd_import.c: `khum import gazetteer|population|seats|parties`. Each import
 * reads and checks the whole input first, then hands it to its operation
 * (khum/app_import.h), which writes it in one transaction together with the
 * import_log row and the audit event (file, SHA-256, rows, acting user): bad
 * input is reported with file:line:column and rule code, and leaves the
 * database untouched. This file only parses options, reads and reports.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "khum/csv.h"
#include "khum/geo.h"
#include "khum/app.h"
#include "khum/app_import.h"
#include "khum/hash.h"

static const char import_help[] =
    "usage: khum import KIND [OPTIONS] SOURCE\n"
    "\n"
    "Load reference data into the database. Every import is one transaction:\n"
    "input that breaks a rule is reported (file:line:column [RULE]) and nothing\n"
    "is written. Importing the same data again changes nothing.\n"
    "\n"
    "Kinds:\n"
    "  gazetteer DIR            provinces.csv, districts.csv, communes.csv and\n"
    "                           villages.csv in the pumi layout (shared/data/pumi)\n"
    "  gazetteer --ncdd FILE    a raw NCDD gazetteer export of one province\n"
    "  population FILE          persons per commune (Com_Code, TT_Both[, Both_UP_18])\n"
    "  seats FILE               council size per commune (commune, seats[, mandate])\n"
    "  parties FILE             party registry (abbr, name_en[, id, name_km, colour,\n"
    "                           registered, dissolved])\n"
    "  candidates FILE          candidate lists: commune, party, position, person[,\n"
    "                           name_latin, name_km, sex, birth_year] (docs/council.md)\n"
    "  results FILE             digitized result forms: station, registered, received,\n"
    "                           cast, spoiled, unused, valid, invalid, optional blank,\n"
    "                           one column per party, optional explanation\n"
    "  results FORMS --votes VOTES   the long format (docs/count.md): the same\n"
    "                           figures without list columns, and the lists' votes\n"
    "                           in VOTES (station, party, votes), a row per list\n"
    "\n"
    "Options:\n"
    "  --db PATH          database (default $KHUM_DB or khum.db)\n"
    "  --ncdd FILE        (gazetteer) read the NCDD export format\n"
    "  --check            (gazetteer) compare with the database, write nothing;\n"
    "                     exit 1 when they differ\n"
    "  --accept-valid     (gazetteer --ncdd, results) skip rows that break a rule,\n"
    "                     list them, import the others\n"
    "  --election ID      (results) the election (default: the only one stored)\n"
    "  --votes FILE       (results) the lists' votes, one row per station and list\n"
    "  --user NAME        the administrator importing (default $KHUM_USER);\n"
    "                     not needed with --check\n"
    "  --year YEAR        (population) census year; default: a year in the file name\n"
    "  --mandate N        (seats) mandate number when the file has no mandate column\n"
    "  --sizes LIST       (seats) allowed council sizes, default 5,7,9,11; 'any'\n"
    "  -q, --quiet        print only errors and warnings\n"
    "  -h, --help         show this help\n";

typedef struct import_opts {
    const char *db, *ncdd, *election, *user, *votes;
    bool check, accept_valid, quiet;
    int year, mandate;
    int sizes[16];
    size_t nsizes;
} import_opts;

static int fail_msg(const char *msg)
{
    fprintf(stderr, "khum import: %s\n", msg);
    return EXIT_BAD;
}

static bool parse_sizes(const char *s, import_opts *o)
{
    o->nsizes = 0;
    if (strcmp(s, "any") == 0)
        return true;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        long v;
        if (o->nsizes == 16 || !khum_parse_int_range(tok, 1, 1000, &v))
            return false;
        o->sizes[o->nsizes++] = (int)v;
    }
    return o->nsizes > 0;
}

static const char *const pumi_files[] = {"provinces.csv", "districts.csv", "communes.csv",
                                         "villages.csv"};

/* districts.csv and villages.csv may be absent: a country whose councils sit
 * directly under their provinces (Spain, Portugal's municipalities), or a
 * gazetteer without villages. provinces.csv and communes.csv never are. */
static bool pumi_file_present(const char *dir, int l)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, pumi_files[l - 1]);
    return l == KHUM_PROVINCE || l == KHUM_COMMUNE || access(path, F_OK) == 0;
}

khum_code cli_read_pumi_dir(const char *dir, khum_gazetteer *g, khum_err *err)
{
    for (int l = KHUM_PROVINCE; l <= KHUM_VILLAGE; l++) {
        if (!pumi_file_present(dir, l))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, pumi_files[l - 1]);
        khum_csv *csv;
        khum_code rc = khum_csv_open_path(path, &csv, err);
        if (rc)
            return rc;
        rc = khum_gazetteer_read_pumi(g, (khum_level)l, csv, err);
        khum_csv_close(csv);
        if (rc)
            return rc;
    }
    return khum_gazetteer_check(g, err);
}

static void print_units(const khum_gazetteer *g, const khum_upsert_stats *st)
{
    printf("gazetteer: %zu provinces, %zu districts, %zu communes, %zu villages",
           khum_gazetteer_count(g, KHUM_PROVINCE), khum_gazetteer_count(g, KHUM_DISTRICT),
           khum_gazetteer_count(g, KHUM_COMMUNE), khum_gazetteer_count(g, KHUM_VILLAGE));
    if (st)
        printf(" (%zu new, %zu updated, %zu unchanged)", st->inserted, st->updated,
               st->unchanged);
    printf("\n");
}

int import_gazetteer_dir(khum_store *s, const char *dir, const char *user, bool quiet)
{
    khum_err err;
    khum_err_clear(&err);
    khum_gazetteer g;
    khum_gazetteer_init(&g);
    khum_upsert_stats st;
    char paths[4][4096];
    khum_import_file files[4];
    khum_code rc = cli_read_pumi_dir(dir, &g, &err);
    size_t nfiles = 0;
    for (int l = KHUM_PROVINCE; l <= KHUM_VILLAGE && !rc; l++) {
        if (!pumi_file_present(dir, l))
            continue;
        snprintf(paths[nfiles], sizeof paths[nfiles], "%s/%s", dir, pumi_files[l - 1]);
        files[nfiles] = (khum_import_file){.path = paths[nfiles],
                                           .rows = (int64_t)khum_gazetteer_count(&g, (khum_level)l)};
        rc = khum_import_file_digest(&files[nfiles++], &err);
    }
    if (!rc)
        rc = khum_app_import_gazetteer(s, user, "gazetteer", &g, files, nfiles, &st, &err);
    int status = rc ? cli_fail(&err) : EXIT_OK;
    if (!status && !quiet)
        print_units(&g, &st);
    khum_gazetteer_free(&g);
    return status;
}

/* Compare an NCDD file with what the database holds for its province. */
static int check_against_store(khum_store *s, khum_gazetteer *file)
{
    khum_err err;
    khum_err_clear(&err);
    khum_gazetteer db;
    khum_gazetteer_init(&db);
    const char *prefix = "";
    for (size_t i = 0; i < file->n; i++)
        if (file->units[i].level == KHUM_PROVINCE)
            prefix = file->units[i].code;
    khum_code rc = khum_store_load_gazetteer(s, prefix, &db, &err);
    if (!rc)
        rc = khum_gazetteer_check(&db, &err);
    if (rc) {
        khum_gazetteer_free(&db);
        return cli_fail(&err);
    }
    khum_diags d = {0};
    size_t n = khum_gazetteer_diff(&db, file, prefix, &d);
    for (size_t i = 0; i < d.n; i++)
        cli_warn(&d.items[i]);
    printf("check: province %s: %zu units in the file, %zu in the database, %zu difference%s\n",
           prefix, file->n, db.n, n, n == 1 ? "" : "s");
    khum_diags_free(&d);
    khum_gazetteer_free(&db);
    return n ? EXIT_FAIL : EXIT_OK;
}

static int import_ncdd(khum_store *s, const import_opts *o)
{
    khum_err err;
    khum_err_clear(&err);
    khum_csv *csv;
    if (khum_csv_open_path(o->ncdd, &csv, &err))
        return cli_fail(&err);
    khum_gazetteer g;
    khum_gazetteer_init(&g);
    khum_diags rejected = {0};
    khum_code rc = khum_gazetteer_read_ncdd(&g, csv, o->accept_valid ? &rejected : NULL, &err);
    khum_csv_close(csv);
    if (!rc)
        rc = khum_gazetteer_check(&g, &err);
    for (size_t i = 0; i < rejected.n; i++)
        cli_warn(&rejected.items[i]);
    if (rejected.n)
        fprintf(stderr, "khum: warning: %zu row%s rejected and skipped (--accept-valid)\n",
                rejected.n, rejected.n == 1 ? "" : "s");
    int status;
    khum_import_file file = {.path = o->ncdd, .rows = (int64_t)g.n};
    khum_upsert_stats st;
    if (rc) {
        status = cli_fail(&err);
    } else if (o->check) {
        status = check_against_store(s, &g);
    } else if ((rc = khum_import_file_digest(&file, &err)) ||
               (rc = khum_app_import_gazetteer(s, o->user, "gazetteer-ncdd", &g, &file, 1, &st,
                                               &err))) {
        status = cli_fail(&err);
    } else {
        status = EXIT_OK;
        if (!o->quiet)
            print_units(&g, &st);
    }
    khum_diags_free(&rejected);
    khum_gazetteer_free(&g);
    return status;
}

/* A census year written in the file name, e.g. commune_population_2011.csv. */
static int year_from_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (const char *p = base; p[0]; p++) {
        if ((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0')) {
            if (isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
                !isdigit((unsigned char)p[4]) && (p == base || !isdigit((unsigned char)p[-1])))
                return atoi(p);
        }
    }
    return 0;
}

int import_population_file(khum_store *s, const char *path, int year, const char *user,
                           bool quiet)
{
    khum_err err;
    khum_err_clear(&err);
    if (year <= 0 && (year = year_from_name(path)) <= 0)
        return fail_msg("population: which census year? give --year YEAR");
    khum_csv *csv;
    if (khum_csv_open_path(path, &csv, &err))
        return cli_fail(&err);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_population *rows = NULL;
    size_t n = 0, kept = 0, zero = 0;
    khum_diags skipped = {0};
    khum_import_file file = {.path = path};
    khum_code rc = khum_population_read(csv, &a, &rows, &n, &err);
    khum_csv_close(csv);
    if (!rc && !(rc = khum_import_file_digest(&file, &err)))
        rc = khum_app_import_population(s, user, year, rows, n, &file, &kept, &skipped, &err);
    for (size_t i = 0; !quiet && i < skipped.n; i++)  /* the communes left out, by line */
        cli_warn(&skipped.items[i]);
    size_t unmatched = skipped.n;
    khum_diags_free(&skipped);
    int64_t persons = 0;
    for (size_t i = 0; i < kept; i++) {
        zero += rows[i].total == 0;
        persons += rows[i].total;
    }
    int status = rc ? cli_fail(&err) : EXIT_OK;
    fflush(stdout);
    if (!rc && unmatched)
        fprintf(stderr, "khum: warning: %s: %zu of %zu commune codes match no commune of "
                "the gazetteer (boundaries changed since %d) and were not imported%s "
                "[POP.305]\n", path, unmatched, n, year,
                quiet ? "; import the file alone to list them" : "");
    if (!rc && !quiet)
        printf("population %d: %zu communes, %lld persons%s\n", year, kept,
               (long long)persons, zero ? " (some with 0 persons)" : "");
    free(rows);
    khum_arena_free(&a);
    return status;
}

static int import_seats(khum_store *s, const char *path, const import_opts *o)
{
    khum_err err;
    khum_err_clear(&err);
    khum_csv *csv;
    if (khum_csv_open_path(path, &csv, &err))
        return cli_fail(&err);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_council_size *rows = NULL;
    size_t n = 0;
    khum_code rc = khum_council_sizes_read(csv, &a, o->mandate, o->sizes, o->nsizes, &rows,
                                           &n, &err);
    khum_csv_close(csv);
    khum_import_file file = {.path = path, .rows = (int64_t)n};
    if (!rc && !(rc = khum_import_file_digest(&file, &err)))
        rc = khum_app_import_seats(s, o->user, rows, n, &file, &err);
    int status = rc ? cli_fail(&err) : EXIT_OK;
    if (!rc && !o->quiet) {
        long total = 0;
        for (size_t i = 0; i < n; i++)
            total += rows[i].seats;
        printf("seats: %zu communes, %ld seats\n", n, total);
    }
    free(rows);
    khum_arena_free(&a);
    return status;
}

int import_parties_csv(khum_store *s, const char *name, const char *text, size_t len,
                       const char *user, bool quiet)
{
    khum_err err;
    khum_err_clear(&err);
    khum_csv *csv = khum_csv_open_mem(name, text, len);
    if (!csv)
        return fail_msg("out of memory");
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_party *rows = NULL;
    size_t n = 0;
    khum_upsert_stats st;
    khum_code rc = khum_parties_read(csv, &a, &rows, &n, &err);
    khum_csv_close(csv);
    khum_import_file file = {.path = name, .rows = (int64_t)n};
    khum_sha256_hex(text, len, file.sha256);
    if (!rc)
        rc = khum_app_import_parties(s, user, rows, n, &file, &st, &err);
    int status = rc ? cli_fail(&err) : EXIT_OK;
    if (!rc && !quiet)
        printf("parties: %zu (%zu new, %zu updated, %zu unchanged)\n", n, st.inserted,
               st.updated, st.unchanged);
    free(rows);
    khum_arena_free(&a);
    return status;
}

static int import_parties(khum_store *s, const char *path, const char *user, bool quiet)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        khum_err err;
        khum_err_set(&err, KHUM_ERR_IO, "IO.801", "cannot open the file");
        khum_err_at(&err, path, 0, 0, NULL);
        return cli_fail(&err);
    }
    khum_buf b;
    khum_buf_init(&b);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (64u << 20))
        khum_buf_append(&b, chunk, got);
    fclose(f);
    int status = b.failed ? fail_msg("out of memory")
                          : import_parties_csv(s, path, b.data ? b.data : "", b.len, user,
                                               quiet);
    khum_buf_free(&b);
    return status;
}

static int parse_import_opts(int argc, char **argv, import_opts *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},   {"ncdd", required_argument, NULL, 'n'},
        {"check", no_argument, NULL, 'c'},      {"accept-valid", no_argument, NULL, 'a'},
        {"year", required_argument, NULL, 'y'}, {"mandate", required_argument, NULL, 'm'},
        {"sizes", required_argument, NULL, 's'}, {"quiet", no_argument, NULL, 'q'},
        {"election", required_argument, NULL, 'e'}, {"user", required_argument, NULL, 'u'},
        {"votes", required_argument, NULL, 'v'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    parse_sizes("5,7,9,11", o);
    int ch;
    long v;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd': o->db = optarg; break;
        case 'n': o->ncdd = optarg; break;
        case 'e': o->election = optarg; break;
        case 'u': o->user = optarg; break;
        case 'v': o->votes = optarg; break;
        case 'c': o->check = true; break;
        case 'a': o->accept_valid = true; break;
        case 'q': o->quiet = true; break;
        case 'y':
            if (!khum_parse_int_range(optarg, 1900, 2200, &v))
                return cli_usage_error("import", "--year '%s' is not a year", optarg);
            o->year = (int)v;
            break;
        case 'm':
            if (!khum_parse_int_range(optarg, 1, 100, &v))
                return cli_usage_error("import", "--mandate '%s' is not a number from 1 to 100",
                                       optarg);
            o->mandate = (int)v;
            break;
        case 's':
            if (!parse_sizes(optarg, o))
                return cli_usage_error("import", "--sizes '%s' is not a list like 5,7,9,11",
                                       optarg);
            break;
        case 'h': fputs(import_help, stdout); return -1;
        default: return cli_usage_error("import", "bad option");
        }
    }
    return EXIT_OK;
}

int import_candidates_file(khum_store *s, const char *user, const char *election,
                           const char *path, bool quiet)
{
    khum_election e;
    int st = cli_load_election(s, election, &e);
    if (st)
        return st;
    khum_err err;
    khum_err_clear(&err);
    khum_csv *csv;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_candidate_row *rows = NULL;
    size_t n = 0;
    khum_code rc = khum_csv_open_path(path, &csv, &err);
    if (!rc) {
        rc = khum_candidates_read(csv, atoi(e.date), &a, &rows, &n, &err);
        khum_csv_close(csv);
    }
    khum_import_file file = {.path = path, .rows = (int64_t)n};
    if (!rc)
        rc = khum_import_file_digest(&file, &err);
    if (!rc)
        rc = khum_app_import_candidates(s, user, &e, rows, n, &file, &err);
    if (rc && !err.file[0])
        khum_err_at(&err, path, err.line, err.col, NULL);
    if (rc)
        st = cli_fail(&err);
    else if (!quiet)
        printf("candidates: %zu names on the lists of election %s\n", n, e.id);
    khum_arena_free(&a);
    khum_election_free(&e);
    return st;
}

int cmd_import(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(import_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD : EXIT_OK;
    }
    const char *kind = argv[1];
    import_opts o;
    int st = parse_import_opts(argc - 1, argv + 1, &o);
    if (st)
        return st < 0 ? EXIT_OK : st;
    int nargs = argc - 1 - optind;
    const char *src = nargs == 1 ? argv[1 + optind] : NULL;
    bool ncdd = strcmp(kind, "gazetteer") == 0 && o.ncdd;
    if (strcmp(kind, "gazetteer") && strcmp(kind, "population") && strcmp(kind, "seats") &&
        strcmp(kind, "parties") && strcmp(kind, "results") && strcmp(kind, "candidates"))
        return cli_usage_error("import", "unknown kind '%s'", kind);
    if (ncdd ? nargs != 0 : nargs != 1)
        return cli_usage_error("import", "%s takes one %s", kind,
                               ncdd ? "--ncdd FILE and no other argument" : "SOURCE");
    bool results = strcmp(kind, "results") == 0;
    if ((o.check || (o.accept_valid && !results)) && !ncdd)
        return cli_usage_error("import", "--check goes with gazetteer --ncdd, --accept-valid "
                               "with gazetteer --ncdd or results");
    if (o.votes && !results)
        return cli_usage_error("import", "--votes goes with results");
    khum_store *s;
    if ((st = cli_open_store(o.db, &s)))
        return st;
    if (!o.check && (st = cli_authorize(s, o.user, KHUM_DO_IMPORT, "", "import", &o.user))) {
        khum_store_close(s);
        return st;
    }
    if (ncdd)
        st = import_ncdd(s, &o);
    else if (strcmp(kind, "gazetteer") == 0)
        st = import_gazetteer_dir(s, src, o.user, o.quiet);
    else if (strcmp(kind, "population") == 0)
        st = import_population_file(s, src, o.year, o.user, o.quiet);
    else if (strcmp(kind, "seats") == 0)
        st = import_seats(s, src, &o);
    else if (results)
        st = import_results_file(s, o.election, src, o.votes, o.user, o.accept_valid, o.quiet);
    else if (strcmp(kind, "candidates") == 0)
        st = import_candidates_file(s, o.user, o.election, src, o.quiet);
    else
        st = import_parties(s, src, o.user, o.quiet);
    khum_store_close(s);
    return st;
}

int cmd_init(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                              {"help", no_argument, NULL, 'h'},
                                              {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (ch == 'd') {
            db = optarg;
        } else if (ch == 'h') {
            printf("usage: khum init [--db PATH]\n\n"
                   "Create the database if it does not exist and apply any pending schema\n"
                   "migration. Safe to run again.\n");
            return EXIT_OK;
        } else {
            return cli_usage_error("init", "bad option");
        }
    }
    if (optind != argc)
        return cli_usage_error("init", "unexpected argument '%s'", argv[optind]);
    khum_store *s;
    int st = cli_open_store(db, &s);
    if (st)
        return st;
    printf("%s: %s database, schema version %d\n", cli_db_path(db), khum_store_backend(s),
           khum_store_schema_version(s));
    khum_store_close(s);
    return EXIT_OK;
}
