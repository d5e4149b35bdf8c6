/*
 * cli_util.c: error reporting, exit codes, the database path and the
 * reference-data folder, shared by every subcommand.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_exit_status(khum_code c)
{
    switch (c) {
    case KHUM_OK: return EXIT_OK;
    case KHUM_ERR_INPUT:
    case KHUM_ERR_USAGE: return EXIT_BAD;
    case KHUM_ERR_TIE: return EXIT_TIE;
    default: return EXIT_FAIL;
    }
}

int cli_fail(const khum_err *err)
{
    char msg[1024];
    khum_err_format(err, msg, sizeof msg);
    fflush(stdout);  /* keep stdout and stderr in the order they were written */
    fprintf(stderr, "khum: %s\n", msg);
    return cli_exit_status(err->code);
}

void cli_warn(const khum_err *w)
{
    char msg[1024];
    khum_err_format(w, msg, sizeof msg);
    fflush(stdout);
    fprintf(stderr, "khum: warning: %s\n", msg);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "khum %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see khum %s --help)\n", cmd);
    va_end(ap);
    return EXIT_BAD;
}

const char *cli_db_path(const char *opt)
{
    if (opt && *opt)
        return opt;
    const char *env = getenv("KHUM_DB");
    return env && *env ? env : "khum.db";
}

int cli_open_store(const char *db_opt, khum_store **out)
{
    khum_err err;
    khum_err_clear(&err);
    if (khum_store_open(cli_db_path(db_opt), out, &err))
        return cli_fail(&err);
    return EXIT_OK;
}

const char *cli_shared_dir(void)
{
    const char *env = getenv("KHUM_SHARED");
    return env && *env ? env : "../shared";
}

bool cli_shared_file(const char *rel, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", cli_shared_dir(), rel);
    struct stat st;
    if (stat(out, &st) == 0)
        return true;
    fprintf(stderr,
            "khum: the reference data file %s is missing.\n"
            "  khum reads public reference data from $KHUM_SHARED/data (now: %s/data):\n"
            "  - data/pumi/: the NCDD gazetteer of provinces, districts, communes and\n"
            "    villages, flattened to CSV from the pumi project\n"
            "    (https://github.com/dwilkie/pumi, MIT licence; codes and names from NCDD,\n"
            "    db.ncdd.gov.kh);\n"
            "  - data/odc-2011/: the 2011 commune population of the NIS commune database,\n"
            "    as published by Open Development Cambodia\n"
            "    (https://github.com/OpenDevelopmentMekong/data);\n"
            "  - data/published-totals/: national results transcribed from published sources.\n"
            "  Each folder's SOURCE.md names the exact origin. Put the folder beside this\n"
            "  checkout as ../shared, or set KHUM_SHARED to where it is.\n",
            out, cli_shared_dir());
    return false;
}

bool cli_progress_enabled(void)
{
    return isatty(STDERR_FILENO) && !getenv("CI");
}
