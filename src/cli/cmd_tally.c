/*
 * cmd_tally.c: `khum tally`, the results table at any level (the nation by
 * default, --province/--district/--commune CODE, or every area of a level
 * with --by), as text, CSV or JSON. Every table carries the election hash,
 * whether the figures are provisional or official, the SYNTHETIC banner
 * when they are invented, and the written explanations of warnings.
 * With --forms FILE [--votes FILE] --election DIR the same tables come from
 * files, without a database: a published bundle, or an election folder and
 * a results file (see tally_files.h).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "khum/app.h"
#include "publish/tally_files.h"
#include "publish/tally_view.h"

static const char tally_help[] =
    "usage: khum tally [--province P | --district D | --commune C | --by LEVEL]\n"
    "                  [--format text|csv|json] [--out FILE] [--db PATH] [--election ID]\n"
    "       khum tally --forms FILE [--votes FILE] --election DIR [--gazetteer DIR]\n"
    "                  [the same area, --by, --format and --out options]\n"
    "\n"
    "The results table: registered voters, ballots cast and turnout, valid and\n"
    "invalid ballots, votes and shares per party, seats, communes won (the\n"
    "party of the chief), stations reported of expected; for the nation unless\n"
    "an area is named. --by province|district|commune lists every area of that\n"
    "level (CSV and JSON: one row per area and party).\n"
    "\n"
    "Without a database: --forms names a results file, wide (a column per list)\n"
    "or, with --votes, the long format (a bundle's forms.csv and form_votes.csv);\n"
    "--election DIR a published bundle's folder (election.json, or the\n"
    "publication folder holding `current`) or an election folder as `khum\n"
    "election import` reads it, with --gazetteer DIR for its areas and names.\n"
    "Every row is checked as `khum import results` checks it; a file with a\n"
    "bad row gives no results (each listed at file:line). The wide format is\n"
    "summed on every processor.\n";

static int parse_level(const char *s)
{
    return !strcmp(s, "nation") ? 0 : !strcmp(s, "province") ? 1 : !strcmp(s, "district") ? 2
           : !strcmp(s, "commune") ? 3 : -1;
}

/* The table asked for, to --out or stdout. */
static int print_view(const tally_view *v, const char *area, int area_level, int by,
                      const char *format, const char *outpath)
{
    int st = EXIT_OK;
    khum_buf b;
    khum_buf_init(&b);
    const khum_tally_area *a = *area ? tally_view_area(v, area) : NULL;
    if (*area && (!a || a->level != area_level)) {  /* the level the option named */
        fprintf(stderr, "khum: %s is not a %s of election %s\n", area,
                area_level == 1 ? "province" : area_level == 2 ? "district" : "commune",
                v->e.id);
        st = EXIT_FAIL;
    } else if (!strcmp(format, "text")) {
        tally_view_text(v, area, &b);
    } else if (!strcmp(format, "csv")) {
        tally_view_csv(v, area, by, &b);
    } else {
        tally_view_json(v, area, by, &b);
    }
    if (!st)
        st = cli_write_out("tally", outpath, &b);
    khum_buf_free(&b);
    return st;
}

static bool has_file(const char *dir, const char *name, char *path, size_t cap)
{
    struct stat sb;
    int n = snprintf(path, cap, "%s/%s", dir, name);
    return n > 0 && (size_t)n < cap && stat(path, &sb) == 0;
}

/* A publication folder names its newest version in `current`. */
static void version_folder(const char *dir, char *out, size_t cap)
{
    char path[4200], cur[256] = "";
    snprintf(out, cap, "%s", dir);
    FILE *f = has_file(dir, "current", path, sizeof path) ? fopen(path, "r") : NULL;
    if (f && fgets(cur, sizeof cur, f)) {
        cur[strcspn(cur, "\r\n")] = 0;
        int n = *cur && !strchr(cur, '/') ? snprintf(out, cap, "%s/%s", dir, cur) : 0;
        if (n < 0 || (size_t)n >= cap)  /* too long a path: the folder as given */
            snprintf(out, cap, "%s", dir);
    }
    if (f)
        fclose(f);
}

/* The election of DIR: a bundle's election.json, or an election folder
 * placed in the gazetteer. */
static khum_code read_election(const char *dir, const khum_gazetteer *g, khum_election *e,
                               khum_err *err)
{
    char path[4200];
    if (has_file(dir, "election.json", path, sizeof path))
        return tally_files_election_json(path, e, err);
    if (!has_file(dir, "election.csv", path, sizeof path)) {
        khum_err_set(err, KHUM_ERR_INPUT, "TAB.911", "neither a bundle (election.json) nor "
                     "an election folder (election.csv)");
        khum_err_at(err, dir, 0, 0, NULL);
        return KHUM_ERR_INPUT;
    }
    bool own;
    khum_code rc = cli_read_election_dir(dir, e, &own, err);
    return rc ? rc : khum_election_set_areas(e, g, err);
}

extern const char *const khum_builtin_parties_kh[];
extern const size_t khum_builtin_parties_kh_len[];

/* The built-in registry (data/parties/kh.csv) labels the lists of an
 * election that defines none, as the demo's database does. */
static void builtin_registry(khum_arena *a, tally_files *in)
{
    khum_csv *c = khum_csv_open_mem("kh.csv", khum_builtin_parties_kh[0],
                                    khum_builtin_parties_kh_len[0]);
    khum_party *rows;
    khum_err err;
    if (c && !khum_parties_read(c, a, &rows, &in->nregistry, &err))
        in->registry = rows;
    else
        in->nregistry = 0;
    khum_csv_close(c);
}

int tally_files_main(const char *dir, const char *forms, const char *votes,
                     const char *gazetteer, const char *area, int area_level, int by,
                     const char *format, const char *outpath)
{
    char folder[4200];
    version_folder(dir, folder, sizeof folder);
    khum_err err;
    khum_err_clear(&err);
    khum_gazetteer g;
    khum_gazetteer_init(&g);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    tally_files in = {.dir = folder, .forms = forms, .votes = votes,
                      .g = gazetteer ? &g : NULL, .threads = cpus > 0 ? (unsigned)cpus : 1};
    tally_view v;
    khum_election_init(&v.e);
    khum_diags rejected = {0};
    khum_arena reg;
    khum_arena_init(&reg, 0);
    builtin_registry(&reg, &in);
    khum_code rc = gazetteer ? cli_read_pumi_dir(gazetteer, &g, &err) : KHUM_OK;
    if (!rc && (rc = read_election(folder, in.g, &v.e, &err)))
        khum_election_free(&v.e);
    if (!rc)
        rc = tally_view_load_files(&in, &v, &rejected, &err);
    for (size_t i = 0; i < rejected.n; i++)
        cli_warn(&rejected.items[i]);
    khum_diags_free(&rejected);
    khum_gazetteer_free(&g);
    int st = rc ? cli_fail(&err) : print_view(&v, area, area_level, by, format, outpath);
    if (!rc)
        tally_view_free(&v);
    free((khum_party *)in.registry);  /* khum_parties_read's array; its strings are in reg */
    khum_arena_free(&reg);
    return st;
}

int cmd_tally(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},       {"election", required_argument, NULL, 'e'},
        {"province", required_argument, NULL, 'P'}, {"district", required_argument, NULL, 'D'},
        {"commune", required_argument, NULL, 'C'},  {"by", required_argument, NULL, 'b'},
        {"format", required_argument, NULL, 'f'},   {"out", required_argument, NULL, 'o'},
        {"forms", required_argument, NULL, 'F'},    {"votes", required_argument, NULL, 'V'},
        {"gazetteer", required_argument, NULL, 'g'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    const char *db = NULL, *election = NULL, *area = "", *format = "text", *outpath = NULL;
    const char *forms = NULL, *votes = NULL, *gazetteer = NULL;
    int by = -1, ch, area_level = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd': db = optarg; break;
        case 'e': election = optarg; break;
        case 'P': case 'D': case 'C':
            if (!khum_is_area_code(optarg))
                return cli_usage_error("tally", "a %s code is 1 to %d letters and digits, "
                                       "not '%s'", ch == 'P' ? "province" : ch == 'D'
                                       ? "district" : "commune", KHUM_AREA_CODE_MAX, optarg);
            area = optarg;
            area_level = ch == 'P' ? 1 : ch == 'D' ? 2 : 3;
            break;
        case 'b':
            if ((by = parse_level(optarg)) < 0)
                return cli_usage_error("tally", "--by nation, province, district or commune");
            break;
        case 'f':
            if (strcmp(optarg, "text") && strcmp(optarg, "csv") && strcmp(optarg, "json"))
                return cli_usage_error("tally", "--format text, csv or json");
            format = optarg;
            break;
        case 'o': outpath = optarg; break;
        case 'F': forms = optarg; break;
        case 'V': votes = optarg; break;
        case 'g': gazetteer = optarg; break;
        case 'h': fputs(tally_help, stdout); return EXIT_OK;
        default: return cli_usage_error("tally", "bad option");
        }
    }
    if (optind != argc)
        return cli_usage_error("tally", "unexpected argument '%s'", argv[optind]);
    if (forms || votes || gazetteer) {
        if (!forms || !election || db)
            return cli_usage_error("tally", "--forms FILE needs --election DIR (and no --db)");
        return tally_files_main(election, forms, votes, gazetteer, area, area_level, by, format,
                                outpath);
    }
    khum_store *s;
    int st = cli_open_existing(db, &s);
    if (st)
        return st;
    tally_view v;
    if (!(st = cli_view_load(s, election, &v))) {
        st = print_view(&v, area, area_level, by, format, outpath);
        tally_view_free(&v);
    }
    khum_store_close(s);
    return st;
}
