/*
 * cmd_db.c: `khum db migrate` and `khum db copy`: bringing a database's
 * schema up to date, and moving a whole deployment between SQLite and
 * PostgreSQL (either way), verified by row counts and the audit chain head.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char *help =
    "usage: khum db migrate [--db URI]\n"
    "       khum db copy --from URI --to URI\n"
    "\n"
    "A database is a SQLite file (PATH or sqlite:PATH) or a PostgreSQL database\n"
    "(postgresql://user@host:port/dbname).\n"
    "  migrate  apply the schema migrations this khum knows (opening a database\n"
    "           does the same; this says what it did)\n"
    "  copy     copy every table from one database into another, new and empty one,\n"
    "           in one transaction, then verify: the rows of every table, and the\n"
    "           copy's audit chain verified and ending in the source's head\n";

static void progress(const char *table, int64_t rows, void *arg)
{
    if (*(bool *)arg)
        fprintf(stderr, "  %-18s %10" PRId64 " rows\n", table, rows);
}

int cmd_db(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"from", required_argument, 0, 'f'},
        {"to", required_argument, 0, 't'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *db = NULL, *from = NULL, *to = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: return EXIT_BAD;
        }
    }
    const char *act = optind < argc ? argv[optind] : "";
    khum_err err;
    khum_err_clear(&err);
    if (!strcmp(act, "migrate")) {
        khum_store *s;
        int st = cli_open_store(db, &s);
        if (!st)
            printf("%s: %s database at schema version %d (this khum knows %d)\n",
                   cli_db_path(db), khum_store_backend(s), khum_store_schema_version(s),
                   khum_store_schema_latest());
        khum_store_close(s);
        return st;
    }
    if (strcmp(act, "copy"))
        return cli_usage_error("db", "which action? migrate or copy (khum db --help)");
    if (!from || !to)
        return cli_usage_error("db", "copy needs --from URI and --to URI");
    khum_store *a, *b;
    int st = cli_open_existing(from, &a);
    if (st)
        return st;
    if ((st = cli_open_store(to, &b))) {
        khum_store_close(a);
        return st;
    }
    bool verbose = cli_progress_enabled();
    khum_copy_stats cs;
    if (khum_store_copy(a, b, &cs, progress, &verbose, &err))
        st = cli_fail(&err);
    else
        printf("copied %s (%s) to %s (%s): %zu tables, %" PRId64 " rows; verified: every "
               "table's rows, audit chain of %zu events ending in %.16s\n", from,
               khum_store_backend(a), to, khum_store_backend(b), cs.tables, cs.rows,
               cs.audit_events, cs.audit_head);
    khum_store_close(a);
    khum_store_close(b);
    return st;
}
