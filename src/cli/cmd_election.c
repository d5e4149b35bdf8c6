/*
 * cmd_election.c: `khum election import|show|list` and `khum synth`.
 * An election folder holds election.csv, communes.csv, lists.csv and
 * stations.csv (docs/count.md); `khum synth` writes such a folder, plus
 * results.csv, for a SYNTHETIC national election, and can load it at once.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "khum/app.h"
#include "khum/app_import.h"
#include "khum/synth.h"

static const char election_help[] =
    "usage: khum election import --user ADMIN [--db PATH] DIR\n"
    "       khum election show [--db PATH] [ID]\n"
    "       khum election list [--db PATH]\n"
    "\n"
    "An election folder holds election.csv (id, name, date, mandate, method,\n"
    "tie_rule, synthetic, and optional threshold, threshold_base, posts),\n"
    "communes.csv (commune, seats), lists.csv (commune, party, ballot_no),\n"
    "stations.csv (station, commune, registered) and an optional parties.csv\n"
    "(id, abbr, name_en, name_km, colour) of the election's own lists.\n"
    "Importing checks every rule and computes the election hash, the digest of\n"
    "the whole definition that every report shows. Importing the same\n"
    "definition again changes nothing.\n";

/* The four files of an election folder, in the order khum_election_read takes them. */
static const char *const four_names[] = {"election.csv", "communes.csv", "lists.csv",
                                          "stations.csv"};

static khum_code open_four(const char *dir, khum_csv **c, khum_err *err)
{
    for (int i = 0; i < 4; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, four_names[i]);
        khum_code rc = khum_csv_open_path(path, &c[i], err);
        if (rc) {
            for (int k = 0; k < i; k++)
                khum_csv_close(c[k]);
            return rc;
        }
    }
    return KHUM_OK;
}

/* The files as the audit log names them: path, SHA-256, rows. */
static khum_code digest_files(const char *dir, const khum_election *e, int n,
                              khum_import_file *f, char paths[5][4200], khum_err *err)
{
    const size_t rows[] = {1, e->ncommunes, e->nlists, e->nstations, e->nparties};
    khum_code rc = KHUM_OK;
    for (int i = 0; i < n && !rc; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir,
                 i < 4 ? four_names[i] : "parties.csv");
        f[i] = (khum_import_file){.path = paths[i], .rows = (int64_t)rows[i]};
        rc = khum_import_file_digest(&f[i], err);
    }
    return rc;
}

khum_code cli_read_election_dir(const char *dir, khum_election *e, bool *own, khum_err *err)
{
    khum_csv *c[5] = {NULL};
    char path[4200];
    struct stat sb;
    snprintf(path, sizeof path, "%s/parties.csv", dir);
    *own = stat(path, &sb) == 0;
    khum_code rc = open_four(dir, c, err);
    if (!rc && *own && (rc = khum_csv_open_path(path, &c[4], err)))
        for (int i = 0; i < 4; i++)
            khum_csv_close(c[i]);
    if (rc)
        return rc;
    rc = khum_election_read_folder(e, c[0], c[1], c[2], c[3], c[4], err);
    for (int i = 0; i < 5; i++)
        khum_csv_close(c[i]);
    return rc;
}

static int election_import(khum_store *s, const char *dir, const char *user)
{
    khum_err err;
    khum_err_clear(&err);
    khum_election e;
    khum_election_init(&e);
    bool existed = false, own = false;
    khum_import_file files[5];
    char paths[5][4200];
    khum_code rc = cli_read_election_dir(dir, &e, &own, &err);
    if (!rc)
        rc = digest_files(dir, &e, own ? 5 : 4, files, paths, &err);
    if (!rc)
        rc = khum_app_import_election(s, user, &e, files, own ? 5 : 4, &existed, &err);
    int st = rc ? cli_fail(&err) : EXIT_OK;
    if (!rc) {
        char h[20];
        khum_hash_short(e.hash, h);
        printf("election %s %s: %zu communes, %zu lists, %zu stations, hash %s\n", e.id,
               existed ? "is stored already, unchanged" : "imported", e.ncommunes, e.nlists,
               e.nstations, h);
    }
    khum_election_free(&e);
    return st;
}

static int election_show(khum_store *s, const char *id)
{
    khum_election e;
    int st = cli_load_election(s, id, &e);
    if (st)
        return st;
    cli_print_election_head(stdout, &e);
    int64_t seats = 0, reg = 0;
    int sizes[4] = {0};
    for (size_t i = 0; i < e.ncommunes; i++) {
        seats += e.communes[i].seats;
        int sz = e.communes[i].seats;
        if (sz >= 5 && sz <= 11 && sz % 2)
            sizes[(sz - 5) / 2]++;
    }
    for (size_t i = 0; i < e.nstations; i++)
        reg += e.stations[i].registered;
    char a[32], b[32];
    printf("  communes   %zu (%d of 5 seats, %d of 7, %d of 9, %d of 11)\n", e.ncommunes,
           sizes[0], sizes[1], sizes[2], sizes[3]);
    printf("  seats      %s\n", khum_thousands(seats, a));
    printf("  lists      %zu\n", e.nlists);
    printf("  stations   %s, %s registered voters\n", khum_thousands((int64_t)e.nstations, a),
           khum_thousands(reg, b));
    char tie[64], thr[16];
    khum_tie_rule_format(&e.tie_rule, tie, sizeof tie);
    khum_threshold_format(e.threshold_e4, thr, sizeof thr);
    printf("  tie rule   %s\n", tie);
    if (*thr)
        printf("  threshold  %s %% of %s\n", thr, khum_threshold_base_name(e.threshold_base));
    printf("  posts      %s\n", e.posts == KHUM_POSTS_HEAD
                                    ? "head (the first candidate of the most-voted list)"
                                    : "chief and deputies");
    if (e.nparties)
        printf("  own lists  %zu (parties.csv)\n", e.nparties);
    printf("  hash       %s\n", e.hash);
    khum_election_free(&e);
    return EXIT_OK;
}

int cmd_election(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                              {"user", required_argument, NULL, 'u'},
                                              {"help", no_argument, NULL, 'h'},
                                              {NULL, 0, NULL, 0}};
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(election_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD : EXIT_OK;
    }
    const char *sub = argv[1], *db = NULL, *user = NULL;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc - 1, argv + 1, "h", longopts, NULL)) != -1) {
        if (ch == 'd')
            db = optarg;
        else if (ch == 'u')
            user = optarg;
        else if (ch == 'h')
            return fputs(election_help, stdout), EXIT_OK;
        else
            return cli_usage_error("election", "bad option");
    }
    int nargs = argc - 1 - optind;
    char **args = argv + 1 + optind;
    if (strcmp(sub, "import") && strcmp(sub, "show") && strcmp(sub, "list"))
        return cli_usage_error("election", "unknown subcommand '%s'", sub);
    if ((!strcmp(sub, "import") && nargs != 1) || (!strcmp(sub, "show") && nargs > 1) ||
        (!strcmp(sub, "list") && nargs))
        return cli_usage_error("election", "wrong number of arguments for %s", sub);
    khum_store *s;
    int st = cli_open_store(db, &s);
    if (st)
        return st;
    if (!strcmp(sub, "import")) {
        if (!(st = cli_authorize(s, user, KHUM_DO_IMPORT, "", "election", &user)))
            st = election_import(s, args[0], user);
    } else if (!strcmp(sub, "show")) {
        st = election_show(s, nargs ? args[0] : NULL);
    } else {
        khum_arena a;
        khum_arena_init(&a, 0);
        khum_election_row *rows;
        size_t n;
        khum_err err;
        khum_err_clear(&err);
        if (khum_store_list_elections(s, &a, &rows, &n, &err)) {
            st = cli_fail(&err);
        } else {
            khum_buf b;
            khum_buf_init(&b);
            khum_buf_puts(&b, "id,date,mandate,synthetic,hash,name\n");
            for (size_t i = 0; i < n; i++) {
                char h[20], m[16];
                khum_hash_short(rows[i].hash, h);
                snprintf(m, sizeof m, "%d", rows[i].mandate);
                const char *row[] = {rows[i].id, rows[i].date, m,
                                     rows[i].synthetic ? "1" : "0", h, rows[i].name};
                khum_csv_put_row(&b, row, 6);
            }
            fwrite(b.data, 1, b.len, stdout);
            khum_buf_free(&b);
        }
        khum_arena_free(&a);
    }
    khum_store_close(s);
    return st;
}
