/*
 * cmd_results.c: `khum import results` (digitized forms in bulk), `khum lots`,
 * `khum official` and `khum reconcile`.
 *
 * Importing a results file (or, in the long format, a forms file and its
 * votes file) is khum_app_import_results_votes (src/app): this file
 * only prints the rows it rejected, with line, code and reason, and the
 * outcome.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "khum/app.h"
#include "khum/str.h"

int import_results_file(khum_store *s, const char *election, const char *path,
                        const char *votes, const char *user, bool accept_valid, bool quiet)
{
    khum_election e;
    int st = cli_load_election(s, election, &e);
    if (st)
        return st;
    khum_err err;
    khum_err_clear(&err);
    if (!user)  /* as every command: --user, else $KHUM_USER */
        user = getenv("KHUM_USER");
    khum_diags rejected = {0};
    khum_results_report rep;
    khum_code rc = khum_app_import_results_votes(s, &e, path, votes, user, accept_valid,
                                                 &rejected, &rep, &err);
    for (size_t i = 0; i < rejected.n; i++) {
        char msg[1024];
        khum_err_format(&rejected.items[i], msg, sizeof msg);
        fprintf(stderr, "khum: %s\n", msg);
    }
    if (rc)
        st = cli_fail(&err);
    else if (quiet)
        ;
    else if (rep.rows == 0)
        printf("results: %s has no rows: nothing imported\n", path);
    else if (rep.rejected)
        printf("results: %zu form%s imported, %zu row%s rejected (listed above)\n",
               rep.imported, rep.imported == 1 ? "" : "s", rep.rejected,
               rep.rejected == 1 ? "" : "s");
    else
        printf("results: %zu form%s imported\n", rep.imported, rep.imported == 1 ? "" : "s");
    khum_diags_free(&rejected);
    khum_election_free(&e);
    return st;
}

static const char lots_help[] =
    "usage: khum lots COMMUNE SEED --user NAME [--db PATH] [--election ID]\n"
    "\n"
    "Record the lots drawn by the commission for a commune whose seats or posts\n"
    "(the chief or a deputy) hinge on a tie: the SEED (for example the numbers\n"
    "drawn in public) decides every tied draw of that commune, replayably\n"
    "(docs/allocation.md). A draw is recorded once, with who and when, and before\n"
    "the commune is made official (CNT.823 after). Ties after a dissolution have\n"
    "lots of their own: khum ledger lots.\n";

int cmd_lots(int argc, char **argv)
{
    count_opts o;
    int st = count_parse(argc, argv, "lots", lots_help, &o);
    if (st)
        return st < 0 ? EXIT_OK : st;
    if (argc - optind != 2)
        return cli_usage_error("lots", "expected COMMUNE SEED");
    const char *user;
    khum_store *s;
    khum_election e;
    if ((st = cli_open_election(o.db, o.election, true, &s, &e)))
        return st;
    if ((st = cli_authorize(s, o.user, KHUM_DO_LOTS, argv[optind], "lots", &user))) {
        cli_close_election(s, &e);
        return st;
    }
    khum_err err;
    khum_err_clear(&err);
    if (khum_app_draw_lots(s, &e, user, argv[optind], argv[optind + 1], &err))
        st = cli_fail(&err);
    else
        printf("lots for commune %s recorded (seed '%s', by %s)\n", argv[optind],
               argv[optind + 1], user);
    cli_close_election(s, &e);
    return st;
}

static const char official_help[] =
    "usage: khum official [COMMUNE...] --user NAME [--db PATH] [--election ID]\n"
    "\n"
    "Make communes' results official (all complete communes when none is named).\n"
    "Refused with every reason when a station's form is not accepted (R.404),\n"
    "seats or posts wait for lots (R.405, R.406), or the stored totals of\n"
    "other communes no longer match their forms (R.403). Official forms are\n"
    "locked; change them with khum entry correct.\n";

int cmd_official(int argc, char **argv)
{
    count_opts o;
    int st = count_parse(argc, argv, "official", official_help, &o);
    if (st)
        return st < 0 ? EXIT_OK : st;
    const char *user;
    khum_store *s;
    khum_election e;
    if ((st = cli_open_election(o.db, o.election, true, &s, &e)))
        return st;
    if ((st = cli_authorize(s, o.user, KHUM_DO_OFFICIAL, "", "official", &user))) {
        cli_close_election(s, &e);
        return st;
    }
    khum_err err;
    khum_err_clear(&err);
    khum_diags problems = {0};
    size_t done;
    if (khum_app_make_official(s, &e, user, (const char *const *)argv + optind,
                               (size_t)(argc - optind), &done, &problems, &err)) {
        for (size_t i = 0; i < problems.n && i < 50; i++)
            cli_warn(&problems.items[i]);
        if (problems.n > 50)
            fprintf(stderr, "khum: ... and %zu more\n", problems.n - 50);
        st = cli_fail(&err);
    } else if (done == 0) {
        printf("nothing to make official: no commune is complete and not yet official "
               "(khum entry list shows the forms still open)\n");
    } else {
        printf("%zu commune%s made official\n", done, done == 1 ? "" : "s");
        khum_arena a;
        khum_arena_init(&a, 0);
        const char **off;
        size_t noff;
        if (argc == optind && !khum_store_official_communes(s, e.id, &a, &off, &noff, &err) &&
            noff < e.ncommunes)
            printf("%zu commune%s not ready yet: forms still open or lots to draw "
                   "(khum entry list, khum tally --by commune)\n", e.ncommunes - noff,
                   e.ncommunes - noff == 1 ? " is" : "s are");
        khum_arena_free(&a);
    }
    khum_diags_free(&problems);
    cli_close_election(s, &e);
    return st;
}

static const char reconcile_help[] =
    "usage: khum reconcile [--db PATH] [--election ID]\n"
    "\n"
    "Recompute every level (commune, district, province, nation) from the\n"
    "station forms and compare with the stored official totals; list each\n"
    "difference (R.403). The forms are also entered one by one, in another\n"
    "order, into the live tally the server keeps: it must equal the full count\n"
    "(TLY.890). Exit 0 when everything matches, 1 otherwise.\n";

int cmd_reconcile(int argc, char **argv)
{
    count_opts o;
    int st = count_parse(argc, argv, "reconcile", reconcile_help, &o);
    if (st)
        return st < 0 ? EXIT_OK : st;
    if (argc != optind)
        return cli_usage_error("reconcile", "no arguments expected");
    khum_store *s;
    khum_election e;
    if ((st = cli_open_election(o.db, o.election, false, &s, &e)))
        return st;
    khum_err err;
    khum_err_clear(&err);
    khum_diags d = {0};
    if (khum_app_reconcile(s, &e, &d, &err)) {
        st = cli_fail(&err);
    } else {
        for (size_t i = 0; i < d.n; i++)
            cli_warn(&d.items[i]);
        printf("reconcile: %zu difference%s\n", d.n, d.n == 1 ? "" : "s");
        st = d.n ? EXIT_FAIL : EXIT_OK;
    }
    khum_diags_free(&d);
    cli_close_election(s, &e);
    return st;
}
