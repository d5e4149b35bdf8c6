/*
 * cmd_tally.c: `khum tally`, the results table at any level (the nation by
 * default, --province/--district/--commune CODE, or every area of a level
 * with --by), as text, CSV or JSON. Every table carries the election hash,
 * whether the figures are provisional or official, the SYNTHETIC banner
 * when they are invented, and the written explanations of warnings.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "khum/app.h"
#include "publish/tally_view.h"

static const char tally_help[] =
    "usage: khum tally [--province P | --district D | --commune C | --by LEVEL]\n"
    "                  [--format text|csv|json] [--out FILE] [--db PATH] [--election ID]\n"
    "\n"
    "The results table: registered voters, ballots cast and turnout, valid and\n"
    "invalid ballots, votes and shares per party, seats, communes won (the\n"
    "party of the chief), stations reported of expected; for the nation unless\n"
    "an area is named. --by province|district|commune lists every area of that\n"
    "level (CSV and JSON: one row per area and party).\n";

static int parse_level(const char *s)
{
    return !strcmp(s, "nation") ? 0 : !strcmp(s, "province") ? 1 : !strcmp(s, "district") ? 2
           : !strcmp(s, "commune") ? 3 : -1;
}

int cmd_tally(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},       {"election", required_argument, NULL, 'e'},
        {"province", required_argument, NULL, 'P'}, {"district", required_argument, NULL, 'D'},
        {"commune", required_argument, NULL, 'C'},  {"by", required_argument, NULL, 'b'},
        {"format", required_argument, NULL, 'f'},   {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    const char *db = NULL, *election = NULL, *area = "", *format = "text", *outpath = NULL;
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
        case 'h': fputs(tally_help, stdout); return EXIT_OK;
        default: return cli_usage_error("tally", "bad option");
        }
    }
    if (optind != argc)
        return cli_usage_error("tally", "unexpected argument '%s'", argv[optind]);
    khum_store *s;
    int st = cli_open_existing(db, &s);
    if (st)
        return st;
    tally_view v;
    if (!(st = cli_view_load(s, election, &v))) {
        khum_buf b;
        khum_buf_init(&b);
        const khum_tally_area *a = *area ? tally_view_area(&v, area) : NULL;
        if (*area && (!a || a->level != area_level)) {  /* the level the option named */
            fprintf(stderr, "khum: %s is not a %s of election %s\n", area,
                    area_level == 1 ? "province" : area_level == 2 ? "district" : "commune",
                    v.e.id);
            st = EXIT_FAIL;
        } else if (!strcmp(format, "text")) {
            tally_view_text(&v, area, &b);
        } else if (!strcmp(format, "csv")) {
            tally_view_csv(&v, area, by, &b);
        } else {
            tally_view_json(&v, area, by, &b);
        }
        if (!st)
            st = cli_write_out("tally", outpath, &b);
        khum_buf_free(&b);
        tally_view_free(&v);
    }
    khum_store_close(s);
    return st;
}
