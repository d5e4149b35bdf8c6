/*
 * cmd_synth.c: `khum synth --like 2017|2022`: a SYNTHETIC national election
 * over the real gazetteer, written as an election folder (election.csv,
 * communes.csv, lists.csv, stations.csv, results.csv, README.txt) and, with
 * --load, imported into the database with its results. The report compares
 * what came out with the published national figures.
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

static const char synth_help[] =
    "usage: khum synth --like 2017|2022 [--seed N] [--db PATH] [--out DIR]\n"
    "                  [--load --user ADMIN]\n"
    "\n"
    "Generate a SYNTHETIC national commune election over the real gazetteer (the\n"
    "database must hold it: khum demo, or khum import gazetteer/population):\n"
    "the parties of that year, council sizes by population rank adding up to the\n"
    "real national seats, polling stations and registered voters adding up to the\n"
    "real figures, and station results drawn around the published national\n"
    "votes ($KHUM_SHARED/data/published-totals). Everything is labelled synthetic.\n"
    "\n"
    "  --like YEAR   2017 (1,646 communes, 11,572 seats) or 2022 (1,652, 11,622)\n"
    "  --seed N      the random seed (default 1): a seed gives the same election\n"
    "  --out DIR     where to write the folder (default synthetic-YEAR-sN)\n"
    "  --load        also import the election and its results into the database\n"
    "  --db PATH     database (default $KHUM_DB or khum.db)\n"
    "\n"
    "khum synth --stations N --councils M ... makes an election of any size\n"
    "over an invented gazetteer (khum synth --stations 1 --help).\n";

typedef struct published {
    khum_synth_party parties[32];
    char ids[32][33];
    int64_t seats[32];
    size_t n;
} published;

/* Party votes and seats of one year's commune election from published-totals. */
static int read_published(int year, khum_synth_params *p, published *pub)
{
    char path[4096];
    if (!cli_shared_file("data/published-totals/national_results_by_party.csv", path,
                         sizeof path))
        return EXIT_FAIL;
    khum_err err;
    khum_err_clear(&err);
    khum_csv *csv;
    if (khum_csv_open_path(path, &csv, &err) || khum_csv_read_header(csv, &err))
        return cli_fail(&err);
    /* Some rows (National Assembly 2003-2013) carry an unquoted comma in their
     * source_url, the last column: read ragged, only the leading columns matter. */
    khum_csv_allow_ragged(csv, true);
    int cy = khum_csv_col(csv, "election_year"), ct = khum_csv_col(csv, "election_type");
    int ca = khum_csv_col(csv, "party_abbr"), cv = khum_csv_col(csv, "votes");
    int cs = khum_csv_col(csv, "seats");
    int r;
    char want[8];
    snprintf(want, sizeof want, "%d", year);
    memset(pub, 0, sizeof *pub);
    while ((r = khum_csv_next(csv, &err)) > 0) {
        if (strcmp(khum_csv_get(csv, (size_t)cy), want) ||
            strcmp(khum_csv_get(csv, (size_t)ct), "commune") || pub->n == 32)
            continue;
        int64_t v, seats = 0;
        if (!khum_parse_i64(khum_csv_get(csv, (size_t)cv), &v))
            continue;
        khum_parse_i64(khum_csv_get(csv, (size_t)cs), &seats);
        snprintf(pub->ids[pub->n], sizeof pub->ids[pub->n], "%s", khum_csv_get(csv, (size_t)ca));
        pub->parties[pub->n] = (khum_synth_party){pub->ids[pub->n], v};
        pub->seats[pub->n++] = seats;
    }
    khum_csv_close(csv);
    if (r < 0)
        return cli_fail(&err);
    p->parties = pub->parties;
    p->nparties = pub->n;
    return EXIT_OK;
}

bool synth_write_file(const char *dir, const char *name, const khum_buf *b)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
        fprintf(stderr, "khum synth: cannot write %s: %s\n", path, strerror(errno));
        return false;
    }
    return true;
}

static void num(khum_buf *b, int64_t v, bool first)
{
    char s[24];
    snprintf(s, sizeof s, "%lld", (long long)v);
    khum_csv_put_field(b, s, first);
}

static bool write_results(const char *dir, const khum_synth_out *o, const published *pub)
{
    khum_buf b;
    khum_buf_init(&b);
    khum_buf_puts(&b, "station,registered,received,cast,spoiled,unused,valid,invalid");
    for (size_t p = 0; p < pub->n; p++)
        khum_csv_put_field(&b, pub->ids[p], false);
    khum_buf_puts(&b, ",explanation\n");
    for (size_t i = 0; i < o->nforms; i++) {
        const khum_form *f = &o->forms[i];
        khum_csv_put_field(&b, f->station, true);
        const int64_t v[] = {f->registered, f->received, f->cast, f->spoiled, f->unused,
                             f->valid, f->invalid};
        for (int k = 0; k < 7; k++)
            num(&b, v[k], false);
        for (size_t p = 0; p < pub->n; p++) {
            size_t k = 0;
            while (k < f->n && strcmp(f->party[k], pub->ids[p]) != 0)
                k++;
            if (k < f->n)
                num(&b, f->votes[k], false);
            else
                khum_csv_put_field(&b, "", false);
        }
        khum_csv_put_field(&b, o->explanation[i], false);
        khum_csv_end_row(&b);
    }
    bool ok = !b.failed && synth_write_file(dir, "results.csv", &b);
    khum_buf_free(&b);
    return ok;
}

bool synth_write_election(const char *dir, const khum_election *e)
{
    khum_buf b;
    khum_buf_init(&b);
    khum_buf_puts(&b, "id,name,date,mandate,method,tie_rule,synthetic\n");
    char m[8], tie[64];
    snprintf(m, sizeof m, "%d", e->mandate);
    khum_tie_rule_format(&e->tie_rule, tie, sizeof tie);
    const char *row[] = {e->id, e->name, e->date, m, khum_method_name(e->method), tie, "1"};
    khum_csv_put_row(&b, row, 7);
    bool ok = synth_write_file(dir, "election.csv", &b);
    khum_buf_reset(&b);
    khum_buf_puts(&b, "commune,seats\n");
    for (size_t i = 0; i < e->ncommunes; i++)
        khum_buf_printf(&b, "%s,%d\n", e->communes[i].code, e->communes[i].seats);
    ok = ok && synth_write_file(dir, "communes.csv", &b);
    khum_buf_reset(&b);
    khum_buf_puts(&b, "commune,party,ballot_no\n");
    for (size_t i = 0; i < e->nlists; i++)
        khum_buf_printf(&b, "%s,%s,%d\n", e->lists[i].commune, e->lists[i].party,
                        e->lists[i].ballot_no);
    ok = ok && synth_write_file(dir, "lists.csv", &b);
    khum_buf_reset(&b);
    khum_buf_puts(&b, "station,commune,registered\n");
    for (size_t i = 0; i < e->nstations; i++)
        khum_buf_printf(&b, "%s,%s,%lld\n", e->stations[i].code, e->stations[i].commune,
                        (long long)e->stations[i].registered);
    ok = ok && !b.failed && synth_write_file(dir, "stations.csv", &b);
    khum_buf_free(&b);
    return ok;
}

static bool write_definition(const char *dir, const khum_synth_out *o)
{
    khum_buf b;
    khum_buf_init(&b);
    const khum_election *e = &o->election;
    bool ok = synth_write_election(dir, e);
    khum_buf_puts(&b, "commune,party,position,person,name_latin,sex,birth_year\n");
    for (size_t i = 0; i < o->ncandidates; i++) {
        const khum_candidate_row *x = &o->candidates[i];
        char pos[16], by[16];
        snprintf(pos, sizeof pos, "%d", x->position);
        snprintf(by, sizeof by, "%d", x->birth_year);
        const char *cells[] = {x->commune, x->party, pos, x->person, x->name_latin, x->sex, by};
        khum_csv_put_row(&b, cells, 7);
    }
    ok = ok && !b.failed && synth_write_file(dir, "candidates.csv", &b);
    khum_buf_reset(&b);
    khum_buf_printf(&b, "SYNTHETIC DATA - NOT A REAL ELECTION\n\n%s\n\nGenerated by khum "
                    "synth. The communes, their codes and the national totals of seats,\n"
                    "stations and registered voters follow the real %s election; every "
                    "station\nresult is invented. Do not cite these numbers as results.\n",
                    e->name, e->date);
    ok = ok && !b.failed && synth_write_file(dir, "README.txt", &b);
    khum_buf_free(&b);
    return ok;
}

/* National figures of the synthetic election against the published ones. */
static void report(const khum_synth_out *o, const khum_synth_params *p, const published *pub)
{
    khum_tally t;
    khum_err err;
    khum_err_clear(&err);
    if (khum_tally_run(&o->election, o->forms, o->nforms, NULL, 0, &t, &err)) {
        cli_fail(&err);
        return;
    }
    char a[32], b[32];
    printf("SYNTHETIC %d election vs the published figures\n", p->year);
    printf("  %-22s %14s %14s\n", "", "synthetic", "published");
    printf("  %-22s %14s %14s\n", "registered voters", khum_thousands(t.nation.registered, a),
           khum_thousands(p->registered, b));
    printf("  %-22s %14s %14s\n", "ballots cast", khum_thousands(t.nation.cast, a),
           khum_thousands(p->cast, b));
    printf("  %-22s %13.2f%% %13.2f%%\n", "turnout",
           100.0 * (double)t.nation.cast / (double)t.nation.registered,
           100.0 * (double)p->cast / (double)p->registered);
    printf("  %-22s %13.2f%% %13.2f%%\n", "invalid ballots",
           100.0 * (double)t.nation.invalid / (double)t.nation.cast,
           100.0 * (double)p->invalid / (double)p->cast);
    printf("  %-22s %14zu %14lld\n", "polling stations", o->nforms, (long long)p->stations);
    printf("  %-22s %14d %14lld\n", "seats", t.nation.seats_total, (long long)p->seats);
    printf("  %-8s %12s %12s %8s %8s %8s\n", "party", "votes", "published", "seats",
           "publ.", "chiefs");
    for (size_t i = 0; i < pub->n; i++) {
        int k = khum_tally_party_index(&t, pub->ids[i]);
        printf("  %-8s %12s %12s %8d %8lld %8d\n", pub->ids[i],
               khum_thousands(k >= 0 ? t.nation.votes[k] : 0, a),
               khum_thousands(pub->parties[i].votes, b), k >= 0 ? t.nation.seats[k] : 0,
               (long long)pub->seats[i], k >= 0 ? t.nation.chiefs[k] : 0);
    }
    printf("  (seats need not match: the per-commune votes behind them are not public)\n");
    khum_tally_free(&t);
}

static int synth_generate(khum_store *s, int year, unsigned long long seed, khum_synth_out *out,
                   published *pub, khum_synth_params *p)
{
    khum_err err;
    khum_err_clear(&err);
    if (khum_synth_preset(year, p, &err))
        return cli_fail(&err);
    p->seed = seed;
    int st = read_published(year, p, pub);
    if (st)
        return st;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_commune_pop *rows;
    size_t n;
    khum_code rc = khum_store_commune_population(s, &a, &rows, &n, &err);
    khum_synth_commune *c = khum_arena_alloc(&a, (n + 1) * sizeof *c);
    for (size_t i = 0; !rc && c && i < n; i++)
        c[i] = (khum_synth_commune){rows[i].code, rows[i].population, rows[i].adults};
    if (!rc && n == 0)
        rc = khum_err_set(&err, KHUM_ERR_INPUT, "SYN.902", "the database has no gazetteer: "
                          "run khum demo, or khum import gazetteer and population first");
    if (!rc)
        rc = khum_synth_run(p, c, n, out, &err);
    khum_arena_free(&a);
    return rc ? cli_fail(&err) : EXIT_OK;
}

static int synth_load(khum_store *s, const khum_synth_out *o, bool quiet)
{
    khum_err err;
    khum_err_clear(&err);
    bool existed;
    if (khum_app_import_election(s, NULL, &o->election, NULL, 0, &existed, &err))
        return cli_fail(&err);
    if (existed) {
        if (!quiet)
            printf("election %s is loaded already\n", o->election.id);
        return EXIT_OK;
    }
    if (khum_app_import_forms(s, &o->election, "synth", o->forms, o->explanation, NULL,
                              o->nforms, &err) ||
        khum_app_import_candidates(s, NULL, &o->election, o->candidates, o->ncandidates,
                                   NULL, &err))
        return cli_fail(&err);
    if (!quiet)
        printf("loaded %s: %zu stations' results accepted\n", o->election.id, o->nforms);
    return EXIT_OK;
}

int synth_into_store(khum_store *s, int year, unsigned long long seed, bool show_report,
                     char *id, size_t idcap)
{
    khum_synth_out out = {0};
    published pub;
    khum_synth_params p;
    int st = synth_generate(s, year, seed, &out, &pub, &p);
    if (!st)
        st = synth_load(s, &out, true);
    if (!st && show_report)
        report(&out, &p, &pub);
    if (!st)
        snprintf(id, idcap, "%s", out.election.id);
    if (out.election.id)
        khum_synth_free(&out);
    return st;
}

int cmd_synth(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"like", required_argument, NULL, 'l'}, {"seed", required_argument, NULL, 's'},
        {"db", required_argument, NULL, 'd'},   {"out", required_argument, NULL, 'o'},
        {"load", no_argument, NULL, 'L'},       {"help", no_argument, NULL, 'h'},
        {"user", required_argument, NULL, 'u'}, {NULL, 0, NULL, 0}};
    long year = 0, seed = 1;
    const char *db = NULL, *outdir = NULL, *user = NULL;
    bool load = false;
    int ch;
    for (int i = 1; i < argc; i++)  /* an election of any size: its own options */
        if (!strncmp(argv[i], "--stations", 10))
            return synth_scale_main(argc, argv);
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'l':
            if (!khum_parse_int_range(optarg, 1990, 2100, &year))
                return cli_usage_error("synth", "--like '%s' is not a year", optarg);
            break;
        case 's':
            if (!khum_parse_int_range(optarg, 0, 1000000000, &seed))
                return cli_usage_error("synth", "--seed '%s' is not a whole number", optarg);
            break;
        case 'd': db = optarg; break;
        case 'o': outdir = optarg; break;
        case 'L': load = true; break;
        case 'u': user = optarg; break;
        case 'h': fputs(synth_help, stdout); return EXIT_OK;
        default: return cli_usage_error("synth", "bad option");
        }
    }
    if (!year)
        return cli_usage_error("synth", "say which election to model: --like 2017 or 2022");
    if (optind != argc)
        return cli_usage_error("synth", "unexpected argument '%s'", argv[optind]);
    char defdir[64];
    snprintf(defdir, sizeof defdir, "synthetic-%ld-s%ld", year, seed);
    outdir = outdir ? outdir : defdir;
    khum_store *s;
    int st = cli_open_store(db, &s);
    if (!st && load && (st = cli_authorize(s, user, KHUM_DO_IMPORT, "", "synth", NULL)))
        khum_store_close(s);
    if (st)
        return st;
    khum_synth_out out = {0};
    published pub;
    khum_synth_params p;
    st = synth_generate(s, (int)year, (unsigned long long)seed, &out, &pub, &p);
    if (!st && mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "khum synth: cannot create %s: %s\n", outdir, strerror(errno));
        st = EXIT_FAIL;
    }
    if (!st && !(write_definition(outdir, &out) && write_results(outdir, &out, &pub)))
        st = EXIT_FAIL;
    if (!st) {
        char h[20];
        khum_hash_short(out.election.hash, h);
        printf("wrote %s/: SYNTHETIC election %s, hash %s\n", outdir, out.election.id, h);
        if (load)
            st = synth_load(s, &out, false);
        if (!st)
            report(&out, &p, &pub);
    }
    if (out.election.id)
        khum_synth_free(&out);
    khum_store_close(s);
    return st;
}
