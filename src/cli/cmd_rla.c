/*
 * cmd_rla.c: `khum rla`, the risk-limiting audit of the councils' seats
 * (docs/rla.md): assertions, plan, draw, pull, record, status. Each
 * subcommand only parses options, names the acting user and calls one
 * operation (khum/app_rla.h) or one view (publish/rla_view.h); `khum audit`
 * stays the audit log.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "khum/app_rla.h"
#include "publish/rla_pull.h"
#include "publish/rla_view.h"

static const char rla_help[] =
    "usage: khum rla SUBCOMMAND [OPTIONS]\n"
    "\n"
    "A risk-limiting audit of every council's seats: sample paper ballots until\n"
    "the evidence that the official seats are right is strong enough, otherwise\n"
    "count by hand (docs/rla.md).\n"
    "\n"
    "  assertions [COMMUNE]   what must hold for the seats to stand, with margins\n"
    "  plan --risk-limit A [--mode polling|oneaudit|stations] [--runs N]\n"
    "       [--recount-under K]\n"
    "                         the expected work per commune by simulation, where a\n"
    "                         full hand count is the plan (a binding margin under K\n"
    "                         ballots, or sampling no cheaper), the national total\n"
    "  draw --seed DIGITS --ballots N [--risk-limit A] [--bundle-size B]\n"
    "       [--mode polling|oneaudit] [--commune C ...] --user NAME\n"
    "                         record the dice digits and how the audit measures\n"
    "                         (once: polling, or oneaudit against the station\n"
    "                         forms), then draw a round so that each commune's\n"
    "                         sample holds N ballots; prints the pull list\n"
    "  pull [--commune C]     the pull lists: station, bundle, position\n"
    "  record --station S --bundle B --position P --reading LIST|blank|invalid\n"
    "         --user NAME     one member's reading of one sampled ballot (each\n"
    "                         ballot is read by two members who must agree)\n"
    "  record --file CSV --user NAME\n"
    "                         a member's readings (station,bundle,position,reading),\n"
    "                         all recorded or none\n"
    "  status [COMMUNE]       the sample, the readings and every p-value\n"
    "\n"
    "Options everywhere: --format text|csv|json, --db PATH, --election ID.\n";

typedef struct rla_opts {
    const char *db, *election, *user, *format, *seed, *risk_limit, *station, *reading, *mode;
    const char *file;                 /* record --file: a board's readings as CSV */
    const char *communes[64];
    size_t ncommunes;
    int64_t ballots, bundle, position, bundle_size, runs, recount_under;
    const char *commune;              /* the positional COMMUNE of assertions/status */
} rla_opts;

static bool parse_count(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < 1)
        return false;
    *out = v;
    return true;
}

static const char *opt_name(const struct option *opts, int ch)
{
    while (opts->name && opts->val != ch)
        opts++;
    return opts->name ? opts->name : "?";
}

static int rla_parse(int argc, char **argv, const char *cmd, rla_opts *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},         {"election", required_argument, NULL, 'e'},
        {"user", required_argument, NULL, 'u'},       {"format", required_argument, NULL, 'f'},
        {"seed", required_argument, NULL, 's'},       {"risk-limit", required_argument, NULL, 'a'},
        {"commune", required_argument, NULL, 'C'},    {"ballots", required_argument, NULL, 'n'},
        {"bundle-size", required_argument, NULL, 'B'}, {"station", required_argument, NULL, 'S'},
        {"bundle", required_argument, NULL, 'b'},     {"position", required_argument, NULL, 'p'},
        {"reading", required_argument, NULL, 'r'},    {"mode", required_argument, NULL, 'm'},
        {"runs", required_argument, NULL, 'R'},       {"file", required_argument, NULL, 'F'},
        {"recount-under", required_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    o->format = "text";
    o->bundle_size = 50;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        int64_t *num = ch == 'n' ? &o->ballots : ch == 'B' ? &o->bundle_size : ch == 'b'
                       ? &o->bundle : ch == 'p' ? &o->position : ch == 'R' ? &o->runs
                       : ch == 'U' ? &o->recount_under : NULL;
        if (num && !parse_count(optarg, num))
            return cli_usage_error(cmd, "--%s takes a whole number of at least 1, not '%s'",
                                   opt_name(longopts, ch), optarg);
        switch (ch) {
        case 'd': o->db = optarg; break;
        case 'e': o->election = optarg; break;
        case 'u': o->user = optarg; break;
        case 'f':
            if (strcmp(optarg, "text") && strcmp(optarg, "csv") && strcmp(optarg, "json"))
                return cli_usage_error(cmd, "--format text, csv or json");
            o->format = optarg;
            break;
        case 's': o->seed = optarg; break;
        case 'a': o->risk_limit = optarg; break;
        case 'C':
            if (o->ncommunes == sizeof o->communes / sizeof *o->communes)
                return cli_usage_error(cmd, "at most 64 --commune (none: every commune)");
            o->communes[o->ncommunes++] = optarg;
            break;
        case 'S': o->station = optarg; break;
        case 'r': o->reading = optarg; break;
        case 'm': o->mode = optarg; break;
        case 'F': o->file = optarg; break;
        case 'n': case 'B': case 'b': case 'p': case 'R': case 'U': break;
        case 'h': fputs(rla_help, stdout); return -1;
        default: return cli_usage_error(cmd, "bad option (khum rla --help)");
        }
    }
    if (optind < argc)
        o->commune = argv[optind++];
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    return EXIT_OK;
}

/* The sample of the communes named (all when none) as a pull list. */
static int print_pull(khum_store *s, const khum_election *e, const char *const *communes,
                      size_t n, const char *format)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_err err;
    khum_err_clear(&err);
    khum_rla_sample_row *rows;
    size_t nrows;
    int st = EXIT_OK;
    if (khum_store_rla_sample(s, e->id, NULL, &a, &rows, &nrows, &err)) {
        st = cli_fail(&err);
    } else {
        size_t k = 0;
        for (size_t i = 0; i < nrows; i++) {
            bool named = n == 0;
            for (size_t c = 0; c < n && !named; c++)
                named = !strcmp(rows[i].commune, communes[c]);
            if (named)
                rows[k++] = rows[i];
        }
        khum_buf b;
        khum_buf_init(&b);
        rla_pull_write(e->id, rows, k, format, &b);
        st = cli_write_out("rla", NULL, &b);
        khum_buf_free(&b);
    }
    khum_arena_free(&a);
    return st;
}

/* Every official commune, when the command names none. */
static int official_communes(khum_store *s, const khum_election *e, khum_arena *a,
                             const char ***out, size_t *n)
{
    khum_err err;
    khum_err_clear(&err);
    if (khum_store_official_communes(s, e->id, a, out, n, &err))
        return cli_fail(&err);
    if (*n == 0) {
        fprintf(stderr, "khum: no commune of election %s is official yet: an audit samples "
                        "official results [RLA.547]\n", e->id);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

static int rla_draw(khum_store *s, const khum_election *e, rla_opts *o)
{
    if (!o->seed)
        return cli_usage_error("rla draw", "--seed DIGITS: the dice digits rolled in public");
    if (!o->ballots)
        return cli_usage_error("rla draw", "--ballots N: the sample's size after this round "
                                           "(khum rla plan says how many to expect)");
    const char *user;
    int st = cli_authorize(s, o->user, KHUM_DO_LOTS, "", "rla draw", &user);
    if (st)
        return st;
    khum_err err;
    khum_err_clear(&err);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_rla_audit_row au;
    if (khum_store_rla_audit(s, e->id, &a, &au, &err)) {
        st = cli_fail(&err);
    } else if (!au.exists) {
        if (khum_app_rla_open(s, e, user, o->seed, o->risk_limit ? o->risk_limit : "0.05",
                              o->mode, (int)(o->bundle_size > 100000 ? 0 : o->bundle_size),
                              &err))
            st = cli_fail(&err);
        else
            fprintf(stderr, "seed recorded in the audit log: %s (mode %s)\n", o->seed,
                    o->mode ? o->mode : "polling");
    } else if (strcmp(au.seed, o->seed)) {
        khum_err_set(&err, KHUM_ERR_CONFLICT, "RLA.545", "election %s's audit has another "
                     "seed, recorded by %s at %s: every round draws from that one", e->id,
                     au.opened_by, au.opened_at);
        st = cli_fail(&err);
    } else if (o->mode && strcmp(au.mode, o->mode)) {
        khum_err_set(&err, KHUM_ERR_CONFLICT, "RLA.565", "election %s's audit measures by %s, "
                     "recorded with its seed by %s at %s: a mode is chosen once", e->id,
                     au.mode, au.opened_by, au.opened_at);
        st = cli_fail(&err);
    }
    const char **communes = o->communes;
    size_t n = o->ncommunes;
    if (!st && n == 0)
        st = official_communes(s, e, &a, &communes, &n);
    khum_rla_drawn *out = st ? NULL : khum_arena_alloc(&a, (n + 1) * sizeof *out);
    if (!st && (!out || khum_app_rla_draw(s, e, user, communes, n, o->ballots, &a, out, &err)))
        st = out ? cli_fail(&err) : EXIT_FAIL;
    for (size_t i = 0; !st && i < n; i++)
        fprintf(stderr, "commune %s: round %d, %lld more ballots drawn, %lld of %lld in the "
                        "sample%s\n", out[i].commune, out[i].round,
                (long long)(out[i].after - out[i].before), (long long)out[i].after,
                (long long)out[i].manifest,
                out[i].after == out[i].manifest ? " (every ballot: a full hand count)" : "");
    if (!st)
        st = print_pull(s, e, communes, n, o->format);
    khum_arena_free(&a);
    return st;
}

/* The entries of one command: one from the options, or a whole file. */
static int record_entries(const rla_opts *o, khum_arena *a, khum_rla_entry **in, size_t *n)
{
    if (o->file) {
        khum_err err;
        khum_err_clear(&err);
        khum_csv *csv;
        khum_code rc = khum_csv_open_path(o->file, &csv, &err);
        if (!rc) {
            rc = khum_rla_entries_read(csv, a, in, n, &err);
            khum_csv_close(csv);
        }
        return rc ? cli_fail(&err) : EXIT_OK;
    }
    if (!o->station || !o->bundle || !o->position || !o->reading)
        return cli_usage_error("rla record", "--station S --bundle B --position P "
                                             "--reading LIST|blank|invalid, or --file CSV");
    if (!(*in = khum_arena_alloc(a, sizeof **in)))
        return EXIT_FAIL;
    **in = (khum_rla_entry){o->station, o->bundle, o->position, o->reading, 0};
    *n = 1;
    return EXIT_OK;
}

static int rla_record(khum_store *s, const khum_election *e, rla_opts *o)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_rla_entry *in = NULL;
    size_t n = 0, failed = 0;
    int st = record_entries(o, &a, &in, &n);
    const char *user;
    for (size_t i = 0; !st && i < n; i++)  /* every station in the member's scope */
        st = cli_authorize(s, o->user, KHUM_DO_ENTER, in[i].station, "rla record", &user);
    khum_rla_read_outcome *out = st ? NULL : khum_arena_alloc(&a, (n + 1) * sizeof *out);
    khum_err err;
    khum_err_clear(&err);
    if (!st && (!out || khum_app_rla_record(s, e, user, in, n, out, &failed, &err))) {
        if (out && o->file && failed < n)
            khum_err_at(&err, o->file, in[failed].line, 0, NULL);
        st = out ? cli_fail(&err) : EXIT_FAIL;
    }
    size_t differ = 0;
    for (size_t i = 0; !st && i < n; i++) {
        differ += out[i].to == KHUM_RLA_DIFFERENT;
        if (!o->file)
            printf("commune %s, ballot %lld of the draw (station %s, bundle %lld, position "
                   "%lld): %s\n", out[i].commune, (long long)out[i].seq, in[i].station,
                   (long long)in[i].bundle, (long long)in[i].position,
                   khum_rla_read_state_name(out[i].to));
    }
    if (!st && o->file)
        printf("%zu readings recorded from %s\n", n, o->file);
    if (!st && differ)
        printf("%zu ballots read differently: a third member reads them again\n", differ);
    khum_arena_free(&a);
    return st;
}

/* assertions, plan and status: one view, one table. */
static int rla_read(khum_store *s, const khum_election *e, const char *sub, rla_opts *o)
{
    khum_rla_plan_opts po;
    khum_rla_plan_opts_default(&po);
    khum_rla_mode mode = KHUM_RLA_MODE_POLLING;
    if (!strcmp(sub, "plan")) {
        if (!o->risk_limit)
            return cli_usage_error("rla plan", "--risk-limit A, e.g. 0.05");
        if (o->mode && !khum_rla_mode_parse(o->mode, &mode))
            return cli_usage_error("rla plan", "--mode polling, oneaudit or stations");
    }
    khum_err err;
    khum_err_clear(&err);
    rla_view v;
    if (rla_view_load(s, e->id, o->risk_limit, &v, &err))
        return cli_fail(&err);
    int st = EXIT_OK;
    const char *commune = o->commune ? o->commune : "";
    if (*commune && !rla_view_commune(&v, commune)) {
        khum_err_set(&err, KHUM_ERR_NOTFOUND, "RLA.547", "commune %s is not an official "
                     "commune of election %s", commune, e->id);
        st = cli_fail(&err);
    }
    khum_buf b;
    khum_buf_init(&b);
    if (!st && !strcmp(sub, "assertions")) {
        rla_view_assertions(&v, commune, o->format, &b);
    } else if (!st && !strcmp(sub, "status")) {
        rla_view_status(&v, commune, o->format, &b);
    } else if (!st) {
        po.params = v.params;
        po.runs = o->runs ? (int)(o->runs > 1000000 ? 0 : o->runs) : po.runs;
        po.recount_under = o->recount_under;
        if (rla_view_plan(&v, commune, mode, &po, o->format, &b, &err))
            st = cli_fail(&err);
    }
    if (!st)
        st = cli_write_out("rla", NULL, &b);
    khum_buf_free(&b);
    rla_view_free(&v);
    return st;
}

int cmd_rla(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(rla_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD : EXIT_OK;
    }
    const char *sub = argv[1];
    char cmd[32];
    snprintf(cmd, sizeof cmd, "rla %s", sub);
    bool write = !strcmp(sub, "draw") || !strcmp(sub, "record");
    bool view = !strcmp(sub, "assertions") || !strcmp(sub, "plan") || !strcmp(sub, "status");
    if (!write && !view && strcmp(sub, "pull"))
        return cli_usage_error("rla", "unknown subcommand '%s' (khum rla --help)", sub);
    rla_opts o;
    int st = rla_parse(argc - 1, argv + 1, cmd, &o);
    if (st)
        return st < 0 ? EXIT_OK : st;
    khum_store *s;
    khum_election e;
    if ((st = cli_open_election(o.db, o.election, false, &s, &e)))
        return st;
    if (!strcmp(sub, "draw"))
        st = rla_draw(s, &e, &o);
    else if (!strcmp(sub, "record"))
        st = rla_record(s, &e, &o);
    else if (view)
        st = rla_read(s, &e, sub, &o);
    else
        st = print_pull(s, &e, o.communes, o.ncommunes, o.format);
    cli_close_election(s, &e);
    return st;
}
