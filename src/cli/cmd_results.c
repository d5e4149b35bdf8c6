/*
 * cmd_results.c: `khum import results` (digitized forms in bulk), `khum lots`,
 * `khum official` and `khum reconcile`.
 *
 * A results file is read to the end and every row checked before anything is
 * written: rejected rows are listed with line, code and reason, and unless
 * --accept-valid is given nothing of a file with a rejected row is stored.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "khum/app.h"
#include "khum/str.h"

typedef struct rows {
    khum_form *f;
    const char **expl;
    long *line;
    size_t n, cap;
} rows;

static bool push_row(rows *r, khum_arena *a, const khum_form *f, const char *expl, long line)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 1024;
        khum_form *nf = khum_arena_alloc(a, cap * sizeof *nf);
        const char **ne = khum_arena_alloc(a, cap * sizeof *ne);
        long *nl = khum_arena_alloc(a, cap * sizeof *nl);
        if (!nf || !ne || !nl)
            return false;
        if (r->n) {
            memcpy(nf, r->f, r->n * sizeof *nf);
            memcpy(ne, r->expl, r->n * sizeof *ne);
            memcpy(nl, r->line, r->n * sizeof *nl);
        }
        r->f = nf;
        r->expl = ne;
        r->line = nl;
        r->cap = cap;
    }
    r->f[r->n] = *f;
    r->expl[r->n] = expl;
    r->line[r->n++] = line;
    return true;
}

static int cmp_station(const void *a, const void *b)
{
    return strcmp(((const khum_form *)a)->station, ((const khum_form *)b)->station);
}

/* Stations keyed twice in one file: the second and later rows are rejected. */
static size_t reject_duplicates(rows *r, const char *path, khum_arena *a, bool *bad)
{
    khum_form *sorted = khum_arena_alloc(a, (r->n + 1) * sizeof *sorted);
    size_t dups = 0;
    if (!sorted)
        return 0;
    memcpy(sorted, r->f, r->n * sizeof *sorted);
    khum_sort(sorted, r->n, sizeof *sorted, cmp_station);
    for (size_t i = 1; i < r->n; i++) {
        if (strcmp(sorted[i].station, sorted[i - 1].station) != 0)
            continue;
        for (size_t k = 0, seen = 0; k < r->n; k++)
            if (strcmp(r->f[k].station, sorted[i].station) == 0 && seen++ > 0 && !bad[k]) {
                bad[k] = true;
                dups++;
                fprintf(stderr, "khum: %s:%ld: station %s appears more than once in the file "
                        "[F.112]\n", path, r->line[k], sorted[i].station);
            }
    }
    return dups;
}

int import_results_file(khum_store *s, const char *election, const char *path,
                        const char *user, bool accept_valid, bool quiet)
{
    khum_election e;
    int st = cli_load_election(s, election, &e);
    if (st)
        return st;
    khum_err err;
    khum_err_clear(&err);
    khum_csv *csv;
    if (khum_csv_open_path(path, &csv, &err)) {
        khum_election_free(&e);
        return cli_fail(&err);
    }
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_form_reader *fr;
    rows r = {0};
    size_t rejected = 0, read = 0;
    bool progress = cli_progress_enabled() && !quiet;
    if (khum_form_reader_open(csv, &e, &a, &fr, &err)) {
        st = cli_fail(&err);
        goto out;
    }
    for (;;) {
        khum_form f;
        const char *expl;
        khum_err_clear(&err);
        int got = khum_form_reader_next(fr, &f, &expl, &err);
        if (got == 0)
            break;
        if (got < 0 && (err.code != KHUM_ERR_INPUT || strncmp(err.rule, "CSV", 3) == 0)) {
            st = cli_fail(&err);  /* broken CSV: the rest cannot be read */
            goto out;
        }
        read++;
        if (progress && read % 2000 == 0)
            fprintf(stderr, "\rkhum: %zu rows read, %zu rejected", read, rejected);
        if (got < 0) {  /* a malformed row: reported like every rejected row */
            char msg[1024];
            khum_err_format(&err, msg, sizeof msg);
            fprintf(stderr, "khum: %s\n", msg);
            rejected++;
            continue;
        }
        khum_checks c;
        khum_form_check(&e, &f, &c);
        if (c.errors) {
            for (size_t i = 0; i < c.n; i++)
                if (c.items[i].severity == KHUM_CHECK_ERROR)
                    fprintf(stderr, "khum: %s:%ld: station %s: %s [%s]\n", path,
                            khum_form_reader_line(fr), f.station, c.items[i].msg,
                            c.items[i].code);
            rejected++;
            continue;
        }
        if (!push_row(&r, &a, &f, expl, khum_form_reader_line(fr))) {
            st = cli_fail(&(khum_err){.code = KHUM_ERR_NOMEM, .msg = "out of memory"});
            goto out;
        }
    }
    if (progress)
        fprintf(stderr, "\r%60s\r", "");
    bool *dup = khum_arena_calloc(&a, r.n + 1, sizeof *dup);
    size_t dups = dup ? reject_duplicates(&r, path, &a, dup) : 0;
    if (dups) {  /* keep the first row of each station only */
        size_t k = 0;
        for (size_t i = 0; i < r.n; i++)
            if (!dup[i]) {
                r.f[k] = r.f[i];
                r.expl[k] = r.expl[i];
                r.line[k++] = r.line[i];
            }
        r.n = k;
        rejected += dups;
    }
    if (rejected && !accept_valid) {
        fprintf(stderr, "khum: %s: %zu of %zu rows rejected: nothing was written (fix them, "
                "or import the other rows with --accept-valid)\n", path, rejected, read);
        st = EXIT_BAD;
        goto out;
    }
    char src[300];
    snprintf(src, sizeof src, "%s", user ? user : "import");
    if (khum_app_import_forms(s, &e, src, r.f, r.expl, r.line, r.n, &err)) {
        st = cli_fail(&err);
        goto out;
    }
    if (!quiet)
        printf("results: %zu forms imported%s", r.n, rejected ? "" : "\n");
    if (!quiet && rejected)
        printf(", %zu rows rejected (listed above)\n", rejected);
out:
    khum_csv_close(csv);
    khum_arena_free(&a);
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
    const char *user = cli_user(o.user, "lots");
    if (!user)
        return EXIT_BAD;
    khum_store *s;
    khum_election e;
    if ((st = cli_open_election(o.db, o.election, true, &s, &e)))
        return st;
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
    const char *user = cli_user(o.user, "official");
    if (!user)
        return EXIT_BAD;
    khum_store *s;
    khum_election e;
    if ((st = cli_open_election(o.db, o.election, true, &s, &e)))
        return st;
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
    "difference (R.403). Exit 0 when everything matches, 1 otherwise.\n";

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
