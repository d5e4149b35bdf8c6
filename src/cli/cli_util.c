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
#include "khum/app.h"
#include "publish/tally_view.h"

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

const char *cli_actor(char *buf, size_t cap)
{
    const char *u = getenv("KHUM_USER");
    if (!u || !*u)
        u = getenv("USER");
    snprintf(buf, cap, "cli:%s", u && *u ? u : "unknown");
    return buf;
}

int cli_open_store(const char *db_opt, khum_store **out)
{
    khum_err err;
    khum_err_clear(&err);
    if (khum_store_open(cli_db_path(db_opt), out, &err))
        return cli_fail(&err);
    char actor[64];
    khum_store_set_actor(*out, cli_actor(actor, sizeof actor));
    return EXIT_OK;
}

int cli_open_existing(const char *db_opt, khum_store **out)
{
    const char *path = cli_db_path(db_opt);
    struct stat st;
    if (!khum_store_uri_is_postgres(path) &&
        stat(strncmp(path, "sqlite:", 7) == 0 ? path + 7 : path, &st) != 0) {
        fprintf(stderr, "khum: %s: no such database (create one with khum init, khum demo or "
                "an import) [DB.908]\n", path);
        return EXIT_FAIL;
    }
    return cli_open_store(db_opt, out);
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

int cli_load_election(khum_store *s, const char *id, khum_election *e)
{
    khum_err err;
    khum_err_clear(&err);
    khum_election_init(e);
    if (khum_store_load_election(s, id, e, &err)) {
        khum_election_free(e);
        return cli_fail(&err);
    }
    return EXIT_OK;
}

int cli_view_load(khum_store *s, const char *election, tally_view *v)
{
    khum_err err;
    khum_err_clear(&err);
    return tally_view_load(s, election, v, &err) ? cli_fail(&err) : EXIT_OK;
}

int cli_open_election(const char *db_opt, const char *id, bool create, khum_store **s,
                      khum_election *e)
{
    int st = create ? cli_open_store(db_opt, s) : cli_open_existing(db_opt, s);
    if (st)
        return st;
    if ((st = cli_load_election(*s, id, e))) {
        khum_store_close(*s);
        *s = NULL;
    }
    return st;
}

void cli_close_election(khum_store *s, khum_election *e)
{
    khum_election_free(e);
    khum_store_close(s);
}

const char *cli_user(const char *opt, const char *cmd)
{
    if (opt && *opt)
        return opt;
    const char *env = getenv("KHUM_USER");
    if (env && *env)
        return env;
    fprintf(stderr, "khum %s: who is acting? give --user NAME (or set KHUM_USER)\n", cmd);
    return NULL;
}

int cli_authorize(khum_store *s, const char *opt, khum_action act, const char *object,
                  const char *cmd, const char **user)
{
    const char *u = cli_user(opt, cmd);
    if (!u)
        return EXIT_BAD;
    khum_err err;
    khum_err_clear(&err);
    if (khum_app_authorize(s, u, act, object, &err))
        return cli_fail(&err);
    char actor[96];
    snprintf(actor, sizeof actor, "cli:%s", u);
    khum_store_set_actor(s, actor);
    if (user)
        *user = u;
    return EXIT_OK;
}

void cli_print_election_head(FILE *out, const khum_election *e)
{
    char h[20];
    khum_hash_short(e->hash, h);
    if (e->synthetic)
        fprintf(out, "*** SYNTHETIC DATA: invented results for demonstration, not a real "
                     "election ***\n");
    fprintf(out, "%s  %s  (polling day %s, mandate %d, %s)  election hash %s\n", e->id,
            e->name && *e->name ? e->name : "", e->date, e->mandate,
            khum_method_name(e->method), h);
}

int cli_print_json(const char *cmd, json_t *root)
{
    khum_buf b;
    khum_buf_init(&b);
    khum_json_to_buf(root, 2, &b);
    int st = cli_write_out(cmd, NULL, &b);
    khum_buf_free(&b);
    return st;
}

int cli_write_out(const char *cmd, const char *path, const khum_buf *b)
{
    FILE *out = path ? fopen(path, "wb") : stdout;
    bool ok = out && !b->failed && fwrite(b->data, 1, b->len, out) == b->len;
    if (!path)
        ok = fflush(stdout) == 0 && ok;
    else if (out)
        ok = fclose(out) == 0 && ok;
    if (!ok) {
        fprintf(stderr, "khum %s: cannot write %s\n", cmd, path ? path : "the output");
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

int cli_commune_arg(khum_store *s, const khum_election *e, const char *arg, char *out,
                    size_t cap)
{
    snprintf(out, cap, "%s", arg);
    if (khum_election_commune_find(e, arg))
        return EXIT_OK;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_area_info *rows;
    size_t n, hits = 0;
    khum_err err;
    khum_err_clear(&err);
    int st = EXIT_OK;
    if (khum_store_find_areas(s, arg, 20, &a, &rows, &n, &err)) {
        st = cli_fail(&err);
    } else {
        for (size_t i = 0; i < n; i++)
            if (khum_election_commune_find(e, rows[i].unit.code) && hits++ == 0)
                snprintf(out, cap, "%s", rows[i].unit.code);
        if (hits > 1) {
            fprintf(stderr, "khum: '%s' names several communes of election %s; give the "
                    "code:\n", arg, e->id);
            for (size_t i = 0; i < n; i++)
                if (khum_election_commune_find(e, rows[i].unit.code))
                    fprintf(stderr, "  %s  %s (%s)\n", rows[i].unit.code,
                            rows[i].unit.name_latin, rows[i].province_name);
            st = EXIT_BAD;
        } else if (hits == 0) {
            khum_err_set(&err, KHUM_ERR_NOTFOUND, "CNL.306", "no commune of election %s is "
                         "called or coded '%s'", e->id, arg);
            cli_fail(&err);
            st = EXIT_BAD;  /* bad input, as the README says of it */
        }
    }
    khum_arena_free(&a);
    return st;
}
