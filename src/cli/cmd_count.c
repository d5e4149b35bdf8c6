/*
 * cmd_count.c: the count on the command line: `khum entry` (key a form,
 * see its state, resolve two entries, explain a warning, correct an official
 * form, list progress), `khum import results`, `khum lots`, `khum official`
 * and `khum reconcile`. Each is a thin shell over one src/app call.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "khum/app.h"
#include "khum/str.h"

static const char entry_help[] =
    "usage: khum entry enter   STATION FIELD=N ... PARTY=N ...  --user NAME\n"
    "       khum entry status  STATION\n"
    "       khum entry resolve STATION keep-first|keep-second|rekey-first|rekey-second\n"
    "                          --reason TEXT --user NAME\n"
    "       khum entry explain STATION CODE TEXT --user NAME\n"
    "       khum entry correct STATION --reason TEXT --reference DECISION --user NAME\n"
    "       khum entry list [--state STATE[,STATE...]|todo] [--area CODE]\n"
    "                       [--format text|csv|json]\n"
    "\n"
    "Key a polling station's result form. Fields: registered, received, cast,\n"
    "spoiled, unused, valid, invalid, and blank=N where the forms count blank\n"
    "ballots (0 when left out); then one PARTY=VOTES per contesting list.\n"
    "Every form is keyed twice by two different users and accepted when both\n"
    "agree; a coordinator resolves entries that differ (docs/entry-states.md).\n"
    "A form that breaks a check is refused with its codes (docs/checks.md);\n"
    "warnings need a written explanation before the form is accepted.\n"
    "entry list counts the forms in each state; with --state (or --area) it\n"
    "lists them: a coordinator's worklist is --state todo (entries that differ,\n"
    "forms waiting for an explanation, forms entered once), --area a province,\n"
    "district, commune or station code.\n"
    "\n"
    "  --db PATH        database (default $KHUM_DB or khum.db)\n"
    "  --election ID    the election (default: the only one stored)\n"
    "  --user NAME      who acts (default $KHUM_USER)\n"
    "  --reason TEXT    why: a coordinator's decision, a correction of an official form\n"
    "  --reference DECISION   the decision a correction rests on\n";

int count_parse(int argc, char **argv, const char *cmd, const char *help, count_opts *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},     {"election", required_argument, NULL, 'e'},
        {"user", required_argument, NULL, 'u'},   {"reason", required_argument, NULL, 'r'},
        {"reference", required_argument, NULL, 'R'}, {"quiet", no_argument, NULL, 'q'},
        {"all", no_argument, NULL, 'a'},          {"help", no_argument, NULL, 'h'},
        {"state", required_argument, NULL, 's'},  {"area", required_argument, NULL, 'A'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    int ch;
    optind = 1;
    /* GNU getopt permutes: options may follow the station and FIELD=N words. */
    while ((ch = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd': o->db = optarg; break;
        case 'e': o->election = optarg; break;
        case 'u': o->user = optarg; break;
        case 'r': o->reason = optarg; break;
        case 'R': o->reference = optarg; break;
        case 'q': o->quiet = true; break;
        case 'a': o->all = true; break;
        case 's': o->state = optarg; break;
        case 'A': o->area = optarg; break;
        case 'f':
            if (strcmp(optarg, "text") && strcmp(optarg, "csv") && strcmp(optarg, "json"))
                return cli_usage_error(cmd, "--format text, csv or json");
            o->format = optarg;
            break;
        case 'h': fputs(help, stdout); return -1;
        default: return cli_usage_error(cmd, "bad option");
        }
    }
    return EXIT_OK;
}

static void print_checks(const char *station, const khum_checks *c)
{
    for (size_t i = 0; i < c->n; i++)
        fprintf(stderr, "khum: %s: station %s: %s (fields: %s) [%s]\n",
                c->items[i].severity == KHUM_CHECK_ERROR ? "error" : "warning", station,
                c->items[i].msg, c->items[i].fields, c->items[i].code);
}

static void print_outcome(const char *station, const khum_entry_outcome *o)
{
    printf("station %s, version %d: %s -> %s", station, o->version,
           khum_form_state_name(o->from), khum_form_state_name(o->to));
    switch (o->to) {
    case KHUM_FS_FIRST_ENTERED:
        printf(": a second entry by another user is needed\n");
        break;
    case KHUM_FS_DIFFERENT:
        /* blind: where they differ is for the coordinator (khum entry status) */
        printf(": the entries differ; a coordinator compares them\n");
        break;
    case KHUM_FS_NEEDS_EXPLANATION:
        printf(": explain every warning (khum entry explain)\n");
        break;
    case KHUM_FS_ACCEPTED:
        printf(": accepted (provisional)\n");
        break;
    default:
        printf("\n");
    }
}

/* The name a clerk probably meant by `name` (a form field or a list of the
 * station's commune spelt in another case: cpp for CPP), or NULL. */
static const char *meant(const khum_election *e, const khum_station *st, const char *name,
                         const char *const *fields, size_t nfields)
{
    for (size_t k = 0; k < nfields; k++)
        if (!khum_utf8_casecmp_latin(name, fields[k]))
            return fields[k];
    const khum_election_commune *c = &e->communes[st->commune_index];
    for (size_t k = 0; k < c->nlists; k++)
        if (!khum_utf8_casecmp_latin(name, e->lists[c->first_list + k].party))
            return e->lists[c->first_list + k].party;
    return NULL;
}

/* STATION FIELD=N ... into a form. Numbers in Latin or Khmer digits (a
 * clerk on a Khmer keyboard types ១២៣), or both mixed. */
static int parse_form(const khum_election *e, int argc, char **argv, khum_arena *a,
                      khum_form *f)
{
    memset(f, 0, sizeof *f);
    f->station = argv[0];
    const khum_station *st = khum_election_station_find(e, argv[0]);
    if (!st) {  /* said before any figure is asked for */
        fprintf(stderr, "khum: station %s is not a polling station of election %s [F.107]\n",
                argv[0], e->id);
        return EXIT_BAD;
    }
    f->party = khum_arena_alloc(a, (size_t)argc * sizeof *f->party);
    f->votes = khum_arena_alloc(a, (size_t)argc * sizeof *f->votes);
    /* blank last: the one field a form may leave out (no blank ballots) */
    static const char *const names[] = {"registered", "received", "cast", "spoiled",
                                        "unused", "valid", "invalid", "blank"};
    int64_t *dst[] = {&f->registered, &f->received, &f->cast, &f->spoiled, &f->unused,
                      &f->valid, &f->invalid, &f->blank};
    bool seen[8] = {false};
    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '='), digits[64];
        int64_t v;
        if (!eq || !khum_utf8_latin_digits(eq + 1, digits, sizeof digits) ||
            !khum_parse_i64(digits, &v))
            return cli_usage_error("entry", "'%s' is not FIELD=NUMBER", argv[i]);
        *eq = '\0';
        int k = 0;
        while (k < 8 && strcmp(argv[i], names[k]) != 0)
            k++;
        const char *m = k < 8 ? NULL : meant(e, st, argv[i], names, 8);
        if (m && strcmp(m, argv[i]))
            return cli_usage_error("entry", "'%s' is neither a field nor a list of commune "
                                   "%s: did you mean %s?", argv[i], st->commune, m);
        if (k < 8) {
            *dst[k] = v;
            seen[k] = true;
        } else {
            f->party[f->n] = argv[i];
            f->votes[f->n++] = v;
        }
    }
    for (int k = 0; k < 7; k++)
        if (!seen[k])
            return cli_usage_error("entry", "the form needs %s=N", names[k]);
    return EXIT_OK;
}

static int entry_status(khum_store *s, const khum_election *e, const char *station)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_err err;
    khum_err_clear(&err);
    khum_form_version v;
    int st = EXIT_OK;
    if (khum_store_form_version(s, e->id, station, 0, &a, &v, &err)) {
        st = cli_fail(&err);
    } else if (!khum_election_station_find(e, station)) {
        fprintf(stderr, "khum: station %s is not in election %s [F.107]\n", station, e->id);
        st = EXIT_FAIL;
    } else {
        printf("station %s: version %d, %s\n", station, v.exists ? v.version : 1,
               khum_form_state_name(v.exists ? v.state : KHUM_FS_EMPTY));
        if (v.reason && *v.reason)
            printf("  correction: %s (%s)\n", v.reason, v.reference);
        int64_t ids[2] = {v.first_entry, v.second_entry};
        const char *who[2] = {v.first_user, v.second_user};
        khum_form f[2];
        for (int k = 0; k < 2; k++) {
            if (!ids[k] || khum_store_load_entry(s, ids[k], &a, &f[k], &err))
                continue;
            printf("  %s entry by %s: registered=%lld received=%lld cast=%lld spoiled=%lld "
                   "unused=%lld valid=%lld invalid=%lld", k ? "second" : "first", who[k],
                   (long long)f[k].registered, (long long)f[k].received, (long long)f[k].cast,
                   (long long)f[k].spoiled, (long long)f[k].unused, (long long)f[k].valid,
                   (long long)f[k].invalid);
            if (f[k].blank)
                printf(" blank=%lld", (long long)f[k].blank);
            for (size_t i = 0; i < f[k].n; i++)
                printf(" %s=%lld", f[k].party[i], (long long)f[k].votes[i]);
            printf("\n");
        }
        if (ids[0] && ids[1]) {
            char diff[256];
            if (!khum_form_equal(&f[0], &f[1], diff, sizeof diff))
                printf("  the entries differ in: %s\n", diff);
        }
        const char **codes, **texts;
        size_t n = 0;
        if (!khum_store_explanations(s, e->id, station, v.exists ? v.version : 1, &a, &codes,
                                     &texts, &n, &err))
            for (size_t i = 0; i < n; i++)
                printf("  explanation of %s: %s\n", codes[i], texts[i]);
    }
    khum_arena_free(&a);
    return st;
}

/* The forms in each state, or (--state, --area) the forms themselves. */
static int entry_list(khum_store *s, const khum_election *e, const count_opts *o)
{
    unsigned mask = ~0u;
    char bad[64];
    if (o->state && !khum_form_states_parse(o->state, &mask, bad, sizeof bad))
        return cli_usage_error("entry", "--state '%s' is no form state (empty, first-entered, "
                               "entries-different, needs-explanation, accepted, official, "
                               "or todo)", bad);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_err err;
    khum_err_clear(&err);
    khum_worklist_row *rows;
    size_t n;
    if (khum_app_worklist(s, e, mask, o->area, &a, &rows, &n, &err)) {
        khum_arena_free(&a);
        return cli_fail(&err);
    }
    const char *fmt = o->format ? o->format : "text";
    if (!o->state && !o->area && !strcmp(fmt, "text")) {
        size_t count[6] = {0};
        for (size_t i = 0; i < n; i++)
            count[rows[i].state]++;
        printf("%zu stations\n", n);
        for (int k = 0; k < 6; k++)
            printf("  %-18s %zu\n", khum_form_state_name((khum_form_state)k), count[k]);
    } else if (!strcmp(fmt, "json")) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "station", rows[i].station,
                                                 "commune", rows[i].commune, "state",
                                                 khum_form_state_name(rows[i].state)));
        cli_print_json("entry", json_pack("{s:s,s:o}", "election", e->id, "forms", arr));
    } else {
        bool csv = !strcmp(fmt, "csv");
        printf(csv ? "station,commune,state\n" : "%-14s %-10s %s\n", "station", "commune",
               "state");
        for (size_t i = 0; i < n; i++)
            printf(csv ? "%s,%s,%s\n" : "%-14s %-10s %s\n", rows[i].station, rows[i].commune,
                   khum_form_state_name(rows[i].state));
        if (!csv)
            fprintf(stderr, "%zu form%s\n", n, n == 1 ? "" : "s");
    }
    khum_arena_free(&a);
    return EXIT_OK;
}

static int parse_action(const char *s, khum_entry_action *act)
{
    static const khum_entry_action all[] = {KHUM_ACT_KEEP_FIRST, KHUM_ACT_KEEP_SECOND,
                                            KHUM_ACT_REKEY_FIRST, KHUM_ACT_REKEY_SECOND};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, khum_entry_action_name(all[i])) == 0)
            return *act = all[i], 0;
    return -1;
}

int cmd_entry(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(entry_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD : EXIT_OK;
    }
    const char *sub = argv[1];
    count_opts o;
    int st = count_parse(argc - 1, argv + 1, "entry", entry_help, &o);
    if (st)
        return st < 0 ? EXIT_OK : st;
    int nargs = argc - 1 - optind;
    char **args = argv + 1 + optind;
    static const struct { const char *name; int min, max; bool user; khum_action act; } subs[] = {
        {"enter", 2, 1000, true, KHUM_DO_ENTER}, {"status", 1, 1, false, KHUM_DO_ENTER},
        {"resolve", 2, 2, true, KHUM_DO_RESOLVE}, {"explain", 3, 3, true, KHUM_DO_EXPLAIN},
        {"correct", 1, 1, true, KHUM_DO_CORRECT}, {"list", 0, 0, false, KHUM_DO_ENTER}};
    int which = -1;
    for (int i = 0; i < 6; i++)
        if (!strcmp(sub, subs[i].name))
            which = i;
    if (which < 0)
        return cli_usage_error("entry", "unknown subcommand '%s'", sub);
    if (nargs < subs[which].min || nargs > subs[which].max)
        return cli_usage_error("entry", "wrong arguments for %s", sub);
    const char *user = NULL;
    if (subs[which].user && !(user = cli_user(o.user, "entry")))
        return EXIT_BAD;
    khum_store *s;
    khum_election e;
    if ((st = cli_open_election(o.db, o.election, true, &s, &e)))
        return st;
    if (subs[which].user &&   /* the station is the first argument of every write */
        (st = cli_authorize(s, user, subs[which].act, args[0], "entry", &user))) {
        cli_close_election(s, &e);
        return st;
    }
    khum_err err;
    khum_err_clear(&err);
    khum_entry_outcome out;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_code rc = KHUM_OK;
    if (which == 0) {
        khum_form f;
        if (!(st = parse_form(&e, nargs, args, &a, &f))) {
            rc = khum_app_enter(s, &e, user, &f, &out, &err);
            if (rc == KHUM_ERR_INPUT && out.checks.errors) {
                print_checks(f.station, &out.checks);
                fprintf(stderr, "khum: station %s: the form breaks %zu check%s: nothing was "
                        "saved\n", f.station, out.checks.errors,
                        out.checks.errors == 1 ? "" : "s");
                rc = KHUM_OK;
                st = EXIT_BAD;
            } else if (!rc) {
                print_outcome(f.station, &out);
                print_checks(f.station, &out.checks);
            }
        }
    } else if (which == 1) {
        st = entry_status(s, &e, args[0]);
    } else if (which == 2) {
        khum_entry_action act;
        if (parse_action(args[1], &act))
            st = cli_usage_error("entry", "resolve with keep-first, keep-second, rekey-first "
                                 "or rekey-second, not '%s'", args[1]);
        else if (!(rc = khum_app_resolve(s, &e, user, args[0], act, o.reason, &out, &err)))
            print_outcome(args[0], &out);
    } else if (which == 3) {
        if (!(rc = khum_app_explain(s, &e, user, args[0], args[1], args[2], &out, &err)))
            print_outcome(args[0], &out);
    } else if (which == 4) {
        int version;
        if (!(rc = khum_app_correct(s, &e, user, args[0], o.reason, o.reference, &version,
                                    &err)))
            printf("station %s: correction opened as version %d; key it twice as usual\n",
                   args[0], version);
    } else {
        st = entry_list(s, &e, &o);
    }
    if (rc)
        st = cli_fail(&err);
    khum_arena_free(&a);
    cli_close_election(s, &e);
    return st;
}
