/*
 * cmd_export.c: `khum export`: results in exchange formats. This file reads
 * the options; src/publish/results_export.c writes NIST SP 1500-100 JSON and
 * OpenElections-style CSV.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "khum/app.h"
#include "publish/results_export.h"

static const char export_help[] =
    "usage: khum export --format nist-1500-100|openelections [--out FILE]\n"
    "                   [--db PATH] [--election ID]\n"
    "\n"
    "Write the current results (accepted and official forms) in an exchange\n"
    "format: NIST SP 1500-100 Election Results Reporting JSON, or an\n"
    "OpenElections-style CSV with one row per polling station and party.\n";

int cmd_export(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},     {"election", required_argument, NULL, 'e'},
        {"format", required_argument, NULL, 'f'}, {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *db = NULL, *election = NULL, *format = NULL, *outpath = NULL;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd': db = optarg; break;
        case 'e': election = optarg; break;
        case 'f': format = optarg; break;
        case 'o': outpath = optarg; break;
        case 'h': fputs(export_help, stdout); return EXIT_OK;
        default: return cli_usage_error("export", "bad option");
        }
    }
    if (!format || (strcmp(format, "nist-1500-100") && strcmp(format, "openelections")))
        return cli_usage_error("export", "--format nist-1500-100 or openelections");
    if (optind != argc)
        return cli_usage_error("export", "unexpected argument '%s'", argv[optind]);
    khum_store *s;
    int st = cli_open_existing(db, &s);
    if (st)
        return st;
    tally_view v;
    if (!(st = cli_view_load(s, election, &v))) {
        khum_buf b;
        khum_buf_init(&b);
        khum_err err;
        khum_err_clear(&err);
        khum_code rc = !strcmp(format, "nist-1500-100")
                           ? results_export_nist(&v, &b, &err)
                           : results_export_openelections(s, &v, &b, &err);
        st = rc ? cli_fail(&err) : cli_write_out("export", outpath, &b);
        khum_buf_free(&b);
        tally_view_free(&v);
    }
    khum_store_close(s);
    return st;
}
