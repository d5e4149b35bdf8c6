/*
 * cmd_demo.c: `khum demo`: build a fresh database from the public reference
 * data in $KHUM_SHARED/data (the NCDD gazetteer via pumi, the 2011 commune
 * population) plus the built-in party registry; generate a SYNTHETIC
 * national election like 2017 (or 2022) over it, enter every station's form,
 * make the results official and print the national table. The database is
 * built beside the target and renamed over it only when complete, so an
 * interrupted demo never leaves a half-built file behind. It replaces only an
 * empty database or one an earlier demo built (khum_store_probe), never one
 * holding anything else: the default is demo.db, not khum.db.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "khum/app.h"

extern const char *const khum_builtin_parties_kh[];
extern const size_t khum_builtin_parties_kh_len[];

static const char demo_help[] =
    "usage: khum demo [--db PATH] [--like 2017|2022] [--seed N] [--no-election]\n"
    "\n"
    "Build a database (default demo.db) from the reference data in\n"
    "$KHUM_SHARED/data (default ../shared/data): the gazetteer of provinces,\n"
    "districts, communes and villages, the 2011 commune population, and the\n"
    "built-in registry of Cambodian parties. Then generate a SYNTHETIC national\n"
    "election like 2017 (default) or 2022, enter every station's form, make the\n"
    "results official and print the national table. Its writes are made by\n"
    "the administrator \"demo\" it adds (no password is shown: set one with\n"
    "khum user passwd demo --user demo).\n"
    "An existing database at PATH is replaced only if an earlier khum demo built\n"
    "it; anything else there (an election, another program's data, any other\n"
    "file) is refused and left as it was (DB.914). A PostgreSQL database must be\n"
    "empty. $KHUM_DB is not used: give --db to build elsewhere.\n";

static void remove_db(const char *path)
{
    char side[4300];  /* path is at most 4200 bytes: room for the suffix */
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* May the demo build at db? Only over nothing, or over an earlier demo (a
 * PostgreSQL database is filled in place, so it must be empty). */
static int check_target(const char *db, bool pg)
{
    struct stat st;
    if (!pg && (stat(db, &st) != 0 || (S_ISREG(st.st_mode) && st.st_size == 0)))
        return EXIT_OK;   /* nothing there to lose */
    khum_err err;
    khum_err_clear(&err);
    khum_db_kind kind;
    if (!pg && !S_ISREG(st.st_mode))
        kind = KHUM_DB_OTHER;
    else if (khum_store_probe(db, &kind, &err))
        return cli_fail(&err);
    if (kind == KHUM_DB_EMPTY || (kind == KHUM_DB_DEMO && !pg))
        return EXIT_OK;
    khum_err_set(&err, KHUM_ERR_INPUT, "DB.914",
                 "%s holds %s: khum demo replaces only a database an earlier demo built, so "
                 "nothing was changed (give --db a new path)", db,
                 kind == KHUM_DB_DEMO ? "an earlier demo, and a PostgreSQL database is filled "
                                        "in place: drop and create it empty"
                                      : "data khum demo did not make");
    return cli_fail(&err);
}

/* The demo's first write: what marks the database as one a demo built. */
static int mark_demo(khum_store *s, const char *db)
{
    khum_err err;
    khum_err_clear(&err);
    if (khum_app_audit(s, "demo", KHUM_DEMO_EVENT, db, "",
                       "{\"synthetic\":true,\"note\":\"built by khum demo: may be replaced by "
                       "the next khum demo\"}", &err))
        return cli_fail(&err);
    return EXIT_OK;
}

static void print_summary(khum_store *s, const char *db)
{
    khum_err err;
    khum_err_clear(&err);
    khum_geo_counts c;
    if (khum_store_geo_counts(s, &c, &err)) {
        cli_fail(&err);
        return;
    }
    printf("\nkhum demo database %s (schema %d)\n", db, khum_store_schema_version(s));
    printf("  provinces   %6lld\n", (long long)c.provinces);
    printf("  districts   %6lld\n", (long long)c.districts);
    printf("  communes    %6lld\n", (long long)c.communes);
    printf("  villages    %6lld\n", (long long)c.villages);
    printf("  communes with population data (%lld census): %lld of %lld, %lld persons\n",
           (long long)c.population_year, (long long)c.communes_with_population,
           (long long)c.communes, (long long)c.population_total);
    printf("  parties     %6lld\n", (long long)c.parties);
    printf("\nTry: build/khum geo show --db %s 'Kaoh Sotin'\n"
           "     build/khum tally --db %s --commune 030802\n"
           "     build/khum council show --db %s 030802 --on 2017-07-01\n", db, db, db);
}

/* The mandate's turning point, replayed on the SYNTHETIC results: the CNRP
 * dissolved on 16 November 2017, its seats redistributed to the parties that
 * accept them (LDP, GDP and Khmer Power declined, rules.md section 6). */
static int dissolve_2017(khum_store *s, const khum_election *e)
{
    static const char *const declining[] = {"LDP", "GDP", "KPP"};
    khum_ledger_event ev = {.date = "2017-11-16", .type = KHUM_EV_DISSOLVE, .party = "CNRP",
                            .declining = declining, .ndeclining = 3,
                            .reference = "Supreme Court, 16 Nov 2017 (applied to SYNTHETIC "
                                         "results)"};
    khum_council_rules r;
    khum_council_rules_default(&r);
    khum_err err;
    khum_err_clear(&err);
    int64_t id;
    if (khum_app_record_event(s, e, &ev, &r, "demo", &id, &err))
        return cli_fail(&err);
    printf("ledger: the CNRP dissolved on 2017-11-16, its seats redistributed (event %lld)\n",
           (long long)id);
    return EXIT_OK;
}

/* Every write names an existing user: the demo acts as its own administrator
 * "demo", with a random password nobody is shown (khum user passwd demo
 * --user demo sets one to log in with). */
static int demo_admin(khum_store *s)
{
    char pw[65];
    khum_err err;
    khum_err_clear(&err);
    khum_token_new(pw);
    khum_store_set_actor(s, "cli:demo");
    if (khum_app_user_bootstrap(s, NULL, "demo", "admin", "", pw, &err))
        return cli_fail(&err);
    return EXIT_OK;
}

int cmd_demo(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},   {"like", required_argument, NULL, 'l'},
        {"seed", required_argument, NULL, 's'}, {"no-election", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    const char *db = NULL;
    long like = 2017, seed = 1;
    bool election = true;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (ch == 'd')
            db = optarg;
        else if (ch == 'l' && (!khum_parse_int_range(optarg, 2017, 2022, &like) ||
                               (like != 2017 && like != 2022)))
            return cli_usage_error("demo", "--like 2017 or 2022");
        else if (ch == 's' && !khum_parse_int_range(optarg, 0, 1000000000, &seed))
            return cli_usage_error("demo", "--seed '%s' is not a whole number", optarg);
        else if (ch == 'n')
            election = false;
        else if (ch == 'h')
            return fputs(demo_help, stdout), EXIT_OK;
        else if (ch != 'l' && ch != 's')
            return cli_usage_error("demo", "bad option");
    }
    if (optind != argc)
        return cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);
    if (!db)
        db = "demo.db";
    bool pg = khum_store_uri_is_postgres(db);
    int st = check_target(db, pg);
    if (st)
        return st;

    char pumi[4096], pop[4096], probe[4096];
    if (!cli_shared_file("data/pumi/communes.csv", probe, sizeof probe) ||
        !cli_shared_file("data/odc-2011/commune_population_2011.csv", pop, sizeof pop))
        return EXIT_FAIL;
    snprintf(pumi, sizeof pumi, "%s/data/pumi", cli_shared_dir());

    /* A SQLite demo is built beside the target and renamed over it; a
     * PostgreSQL database (which should be empty) is filled in place. */
    char tmp[4200];
    snprintf(tmp, sizeof tmp, pg ? "%s" : "%s.building", db);
    if (!pg)
        remove_db(tmp);
    khum_store *s;
    if ((st = cli_open_store(tmp, &s)))
        return st;
    if ((st = mark_demo(s, db))) {
        khum_store_close(s);
        if (!pg)
            remove_db(tmp);
        return st;
    }
    printf("Building %s from %s/data (public reference data, see each SOURCE.md)\n", db,
           cli_shared_dir());
    if (!(st = demo_admin(s)) && !(st = import_gazetteer_dir(s, pumi, NULL, false)) &&
        !(st = import_population_file(s, pop, 2011, NULL, true)))
        st = import_parties_csv(s, "built-in data/parties/kh.csv", khum_builtin_parties_kh[0],
                                khum_builtin_parties_kh_len[0], NULL, false);
    char id[128] = "";
    if (!st && election) {
        printf("Generating a SYNTHETIC national election like %ld (seed %ld) and entering "
               "every station's form...\n", like, seed);
        fflush(stdout);
        st = synth_into_store(s, (int)like, (unsigned long long)seed, false, id, sizeof id);
    }
    if (!st && election) {
        khum_election e;
        khum_err err;
        khum_err_clear(&err);
        khum_diags problems = {0};
        size_t done = 0;
        if (!(st = cli_load_election(s, id, &e))) {
            if (khum_app_make_official(s, &e, "demo", NULL, 0, &done, &problems, &err))
                st = cli_fail(&err);
            else
                printf("%zu communes made official\n", done);
            if (!st && like == 2017)
                st = dissolve_2017(s, &e);
            khum_election_free(&e);
        }
        khum_diags_free(&problems);
    }
    if (st) {
        khum_store_close(s);
        if (!pg)
            remove_db(tmp);
        return st;
    }
    khum_store_close(s);
    if (!pg)
        remove_db(db);
    if (!pg && rename(tmp, db) != 0) {
        perror("khum demo: rename");
        return EXIT_FAIL;
    }
    if ((st = cli_open_store(db, &s)))
        return st;
    print_summary(s, db);
    khum_store_close(s);
    if (election) {
        printf("\n");
        fflush(stdout);
        char *args[] = {"tally", "--db", (char *)db, NULL};
        return cmd_tally(3, args);
    }
    return EXIT_OK;
}
