/*
 * cmd_council.c: `khum council show` (a council on any date, with how it got
 * there) and `khum ledger add|show|seats` (record an event, list the record,
 * seats and chiefs per party on a date). The rule options of rules.md §5-6
 * are flags, so the same record can be read under the law and under what
 * happened in practice.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "khum/app.h"
#include "publish/ledger_export.h"

static const char council_help[] =
    "usage: khum council show COMMUNE [--on DATE] [RULE OPTIONS] [--db PATH] [--election ID]\n"
    "       (COMMUNE: a code, or a name in Latin script in any case or in Khmer)\n"
    "\n"
    "The council of a commune on a date (default: today): members, their party\n"
    "and list, posts, since when and why, and every change up to that date.\n"
    "\n"
    "Rule options (rules.md §5-6):\n"
    "  --defector-keeps-seat   a councillor who joins another party keeps the seat\n"
    "                          (as in October 2017); by law the seat stays with the list\n"
    "  --deputy-moves-up       a 1st deputy of the chief's list succeeds the chief, and\n"
    "                          a 2nd deputy the 1st deputy whose list has no one left\n"
    "  --redistribution new|all  averages over new seats only, or all seats held (default)\n"
    "  --pool-without-vacant   a dissolved party's vacant seats are not redistributed\n"
    "                          (default: every seat it won is)\n"
    "A reading with any option is a what-if: an event with no meaning under it is\n"
    "listed as skipped, never an error. Posts or redistributed seats that a tie\n"
    "decides are shown as waiting for lots until they are drawn.\n";

static const char ledger_help[] =
    "usage: khum ledger add TYPE --date DATE [--commune C] [--person P] [--party X]\n"
    "                   [--to-party Y] [--declining A,B] [--reverses ID]\n"
    "                   [--reference REF] --user NAME [RULE OPTIONS]\n"
    "       khum ledger show [--commune C]\n"
    "       khum ledger seats [--on DATE] [--format csv|json] [RULE OPTIONS]\n"
    "       khum ledger seats --by province|district|commune [--on DATE]\n"
    "       khum ledger report --from DATE --on DATE [--format csv|json]\n"
    "                          [--table communes|defections] [RULE OPTIONS]\n"
    "       khum ledger changes [--commune C] [--person P] [--from DATE] [--on DATE]\n"
    "       khum ledger export --format memberships|popolo|timeseries [--on DATE]\n"
    "                          [--out FILE] [RULE OPTIONS]\n"
    "       khum ledger lots EVENT COMMUNE SEED --user NAME\n"
    "\n"
    "The mandate ledger: an append-only record of events, each with its\n"
    "effective date, a reference (decision, letter) and who recorded it.\n"
    "TYPE: resign, die, remove, expel, defect (--to-party), dissolve (--party,\n"
    "every commune; --declining lists parties that refuse seats), reverse\n"
    "(--reverses ID: undo a mistaken event from its own date on).\n"
    "An event that cannot apply (the person holds no seat then) is refused.\n"
    "An event is checked under the law (rule options do not apply to `add`).\n"
    "`lots` records the lots drawn where a dissolution's redistribution or the\n"
    "posts after it hang on a tie in one commune (shown as waiting until then).\n"
    "`seats` replays every council to the date and totals seats and chiefs.\n"
    "`changes` lists every consequence of the events (who left, who was seated,\n"
    "who took a post), for one commune or person if asked. `export` writes the\n"
    "mandate up to --on (default: the end of the five-year mandate):\n"
    "memberships as CSV, Popolo JSON (persons, organizations, memberships with\n"
    "start and end dates and reasons), or seats per party for every day.\n";

typedef struct council_opts {
    const char *db, *election, *on, *user, *date, *commune, *person, *party, *to_party,
        *declining, *reference, *from, *format, *out, *by, *table;
    long reverses;
    khum_council_rules rules;
} council_opts;

static int parse(int argc, char **argv, const char *cmd, const char *help, council_opts *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},      {"election", required_argument, NULL, 'e'},
        {"on", required_argument, NULL, 'o'},      {"user", required_argument, NULL, 'u'},
        {"date", required_argument, NULL, 'D'},    {"commune", required_argument, NULL, 'c'},
        {"person", required_argument, NULL, 'p'},  {"party", required_argument, NULL, 'P'},
        {"to-party", required_argument, NULL, 't'}, {"declining", required_argument, NULL, 'x'},
        {"reference", required_argument, NULL, 'r'}, {"reverses", required_argument, NULL, 'R'},
        {"defector-keeps-seat", no_argument, NULL, 'K'},
        {"deputy-moves-up", no_argument, NULL, 'M'},
        {"redistribution", required_argument, NULL, 'N'},
        {"pool-without-vacant", no_argument, NULL, 'V'},
        {"from", required_argument, NULL, 'F'},    {"format", required_argument, NULL, 'f'},
        {"out", required_argument, NULL, 'O'},     {"by", required_argument, NULL, 'b'},
        {"table", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    khum_council_rules_default(&o->rules);
    int ch, y, m, d;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd': o->db = optarg; break;
        case 'e': o->election = optarg; break;
        case 'o': case 'D': case 'F':
            if (!khum_parse_date(optarg, &y, &m, &d))
                return cli_usage_error(cmd, "'%s' is not a YYYY-MM-DD date", optarg);
            *(ch == 'o' ? &o->on : ch == 'D' ? &o->date : &o->from) = optarg;
            break;
        case 'f': o->format = optarg; break;
        case 'O': o->out = optarg; break;
        case 'T': o->table = optarg; break;
        case 'b':
            if (strcmp(optarg, "province") && strcmp(optarg, "district") &&
                strcmp(optarg, "commune"))
                return cli_usage_error(cmd, "--by province, district or commune");
            o->by = optarg;
            break;
        case 'u': o->user = optarg; break;
        case 'c': o->commune = optarg; break;
        case 'p': o->person = optarg; break;
        case 'P': o->party = optarg; break;
        case 't': o->to_party = optarg; break;
        case 'x': o->declining = optarg; break;
        case 'r': o->reference = optarg; break;
        case 'R':
            if (!khum_parse_int_range(optarg, 1, 1000000000, &o->reverses))
                return cli_usage_error(cmd, "--reverses takes an event id");
            break;
        case 'K': o->rules.defector_keeps_seat = true; break;
        case 'M': o->rules.deputy_moves_up = true; break;
        case 'V': o->rules.pool_without_vacant = true; break;
        case 'N':
            if (strcmp(optarg, "new") && strcmp(optarg, "all"))
                return cli_usage_error(cmd, "--redistribution new or all");
            o->rules.redistribution_all_seats = !strcmp(optarg, "all");
            break;
        case 'h': fputs(help, stdout); return -1;
        default: return cli_usage_error(cmd, "bad option");
        }
    }
    return EXIT_OK;
}

/* The day to read councils on: --on, or today within the mandate (its last
 * day once it is over, said on stderr); a date outside it is CNL.310. */
static int council_day(khum_store *s, const khum_election *e, const char *on, char day[11])
{
    char end[11];
    bool clamped;
    khum_err err;
    khum_err_clear(&err);
    if (khum_app_council_day(s, e, on, day, end, &clamped, &err))
        return cli_fail(&err);
    if (clamped)
        fprintf(stderr, "khum: the mandate of election %s ended on %s: councils as of that "
                "day (--on DATE for another)\n", e->id, end);
    return EXIT_OK;
}

/* What waits for lots (rules.md §3, §6), and how to record them. */
static void print_pending(const khum_council *c)
{
    if (c->npending)
        printf("\nwaiting for lots:\n");
    for (size_t i = 0; i < c->npending; i++) {
        const khum_council_pending *p = &c->pending[i];
        if (p->event)
            printf("  %s: tie between %s after event %lld (%s): khum ledger lots %lld %s SEED\n",
                   p->what, p->parties, (long long)p->event, p->date, (long long)p->event,
                   c->commune);
        else
            printf("  %s: tie between %s: khum lots %s SEED\n", p->what, p->parties,
                   c->commune);
    }
}

static void print_council(const khum_council *c, const khum_changes *ch, const char *on)
{
    const char *names[32];
    int counts[32];
    size_t np = khum_council_seats_by_party(c, names, counts, 32);
    printf("council of commune %s on %s: %zu of %d seats filled", c->commune, on, c->n,
           c->seats);
    for (size_t i = 0; i < np; i++)
        printf("%s %s %d", i ? "," : ";", names[i], counts[i]);
    printf("\n\n  %-14s %-16s %-8s %-8s %-11s %s\n", "post", "person", "party", "list",
           "since", "why");
    /* A post's own start and reason; the seat's too when it began earlier. */
    for (int p = KHUM_POST_CHIEF; p <= KHUM_POST_DEPUTY2; p++) {
        const khum_member *m = khum_council_post_holder(c, (khum_post)p);
        if (!m)
            continue;
        printf("  %-14s %-16s %-8s %-8s %-11s %s", khum_post_name(m->post), m->person,
               m->party, m->list_party, m->post_since ? m->post_since : m->since,
               m->post_why ? m->post_why : m->why);
        if (m->post_since && strcmp(m->post_since, m->since))
            printf(" (councillor since %s, %s)", m->since, m->why);
        printf("\n");
    }
    for (size_t k = 0; k < c->n; k++)
        if (c->m[k].post == KHUM_POST_NONE)
            printf("  %-14s %-16s %-8s %-8s %-11s %s\n", "councillor", c->m[k].person,
                   c->m[k].party, c->m[k].list_party, c->m[k].since, c->m[k].why);
    print_pending(c);
    if (ch && ch->n) {
        printf("\nchanges:\n");
        for (size_t i = 0; i < ch->n; i++)
            printf("  %s  event %-4lld %-7s %-10s %-6s %s%s%s\n", ch->v[i].date,
                   (long long)ch->v[i].event, ch->v[i].what, ch->v[i].person, ch->v[i].party,
                   ch->v[i].post ? khum_post_name(ch->v[i].post) : "",
                   ch->v[i].post ? ": " : "", ch->v[i].detail);
    }
}

int cmd_council(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(council_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD : EXIT_OK;
    }
    if (strcmp(argv[1], "show"))
        return cli_usage_error("council", "unknown subcommand '%s'", argv[1]);
    council_opts o;
    int st = parse(argc - 1, argv + 1, "council", council_help, &o);
    if (st)
        return st < 0 ? EXIT_OK : st;
    if (argc - 1 - optind != 1)
        return cli_usage_error("council", "show takes one COMMUNE (its code or name)");
    char on[11], commune[64];
    khum_store *s;
    khum_election e;
    if ((st = cli_open_election(o.db, o.election, false, &s, &e)))
        return st;
    if ((st = cli_commune_arg(s, &e, argv[1 + optind], commune, sizeof commune)) ||
        (st = council_day(s, &e, o.on, on))) {
        cli_close_election(s, &e);
        return st;
    }
    khum_err err;
    khum_err_clear(&err);
    khum_tally t;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_council c;
    khum_changes ch = {0};
    if (khum_app_tally(s, &e, &t, &err)) {
        st = cli_fail(&err);
    } else {
        if (khum_app_council(s, &e, &t, commune, on, &o.rules, &a, &c, &ch, &err))
            st = cli_fail(&err);
        else
            print_council(&c, &ch, on);
        khum_tally_free(&t);
    }
    khum_arena_free(&a);
    cli_close_election(s, &e);
    return st;
}

static int ledger_add(khum_store *s, const khum_election *e, const council_opts *o,
                      const char *type)
{
    khum_ledger_event ev = {0};
    if (!khum_event_parse(type, &ev.type))
        return cli_usage_error("ledger", "unknown event type '%s'", type);
    if (!o->date)
        return cli_usage_error("ledger", "an event needs --date YYYY-MM-DD");
    ev.date = o->date;
    ev.commune = o->commune ? o->commune : "";
    ev.person = o->person ? o->person : "";
    ev.party = o->party ? o->party : "";
    ev.to_party = o->to_party ? o->to_party : "";
    ev.reverses = o->reverses;
    ev.reference = o->reference ? o->reference : "";
    const char *decl[32];
    char buf[512];
    if (o->declining) {
        snprintf(buf, sizeof buf, "%s", o->declining);
        for (char *tok = strtok(buf, ","); tok && ev.ndeclining < 32; tok = strtok(NULL, ","))
            decl[ev.ndeclining++] = tok;
        ev.declining = decl;
    }
    const char *object, *user;
    khum_action act = khum_app_ledger_action(&ev, &object);  /* sets object: call it first */
    int st = cli_authorize(s, o->user, act, object, "ledger", &user);
    if (st)
        return st;
    khum_err err;
    khum_err_clear(&err);
    int64_t id;
    khum_council_rules law;  /* the record must hold under the law; options are readings */
    khum_council_rules_default(&law);
    if (khum_app_record_event(s, e, &ev, &law, user, &id, &err))
        return cli_fail(&err);
    printf("event %lld recorded: %s on %s\n", (long long)id, type, o->date);
    return EXIT_OK;
}

/* The exports and reports src/publish builds (ledger_export.h), written to
 * --out or standard output; usage errors exit 2 before anything is read. */
/* Area names for reports: every area's, looked up by code. */
typedef struct area_names {
    khum_arena arena;
    khum_area_name *v;
    size_t n;
} area_names;

static const char *area_name_of(void *ctx, const char *code)
{
    const area_names *an = ctx;
    for (size_t i = 0; i < an->n; i++)
        if (!strcmp(an->v[i].code, code))
            return an->v[i].name_latin;
    return "";
}

static int ledger_output(khum_store *s, const khum_election *e, const council_opts *o,
                         const char *sub)
{
    /* the options first: nothing is read for a command that is refused */
    if (!strcmp(sub, "report") && (!o->from || !o->on))
        return cli_usage_error("ledger", "report needs --from DATE and --on DATE");
    if (!strcmp(sub, "export") && !ledger_export_format_known(o->format))
        return cli_usage_error("ledger", "export --format memberships, popolo or timeseries");
    if (!strcmp(sub, "report") && o->format && strcmp(o->format, "csv") &&
        strcmp(o->format, "json"))
        return cli_usage_error("ledger", "report --format csv or json");
    if (o->table && strcmp(o->table, "communes") && strcmp(o->table, "defections"))
        return cli_usage_error("ledger", "--table communes or defections");
    area_names names = {0};
    khum_err nerr;
    khum_arena_init(&names.arena, 0);
    if (khum_store_area_names(s, &names.arena, &names.v, &names.n, &nerr))
        names.n = 0;  /* names are a courtesy: codes alone if they cannot be read */
    ledger_query q = {.commune = o->commune, .person = o->person, .from = o->from,
                      .on = o->on, .format = o->format, .rules = &o->rules,
                      .table = o->table, .names = area_name_of, .names_ctx = &names};
    khum_err err;
    khum_err_clear(&err);
    khum_buf b;
    khum_buf_init(&b);
    khum_code rc;
    if (!strcmp(sub, "seats"))
        rc = ledger_seats_by(s, e, &q, !strcmp(o->by, "province") ? 1
                                       : !strcmp(o->by, "district") ? 2 : 3, &b, &err);
    else if (!strcmp(sub, "report"))
        rc = ledger_report(s, e, &q, &b, &err);
    else
        rc = ledger_export(s, e, &q, !strcmp(sub, "changes"), &b, &err);
    int st = rc ? cli_fail(&err) : cli_write_out("ledger", o->out, &b);
    khum_buf_free(&b);
    khum_arena_free(&names.arena);
    return st;
}

static int ledger_show(khum_store *s, const khum_election *e, const council_opts *o)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_ledger_event *ev;
    size_t n;
    khum_err err;
    khum_err_clear(&err);
    if (khum_store_ledger_events(s, e->id, o->commune, &a, &ev, &n, &err)) {
        khum_arena_free(&a);
        return cli_fail(&err);
    }
    khum_buf b;
    khum_buf_init(&b);
    khum_buf_puts(&b, "id,date,type,commune,person,party,to_party,reverses,reference\n");
    for (size_t i = 0; i < n; i++) {
        char id[24], rev[24];
        snprintf(id, sizeof id, "%lld", (long long)ev[i].id);
        snprintf(rev, sizeof rev, "%lld", (long long)ev[i].reverses);
        const char *row[] = {id, ev[i].date, khum_event_name(ev[i].type), ev[i].commune,
                             ev[i].person, ev[i].party, ev[i].to_party,
                             ev[i].reverses ? rev : "", ev[i].reference};
        khum_csv_put_row(&b, row, 9);
    }
    fwrite(b.data, 1, b.len, stdout);
    khum_buf_free(&b);
    khum_arena_free(&a);
    return EXIT_OK;
}

static int ledger_lots(khum_store *s, const khum_election *e, const council_opts *o,
                       char **args)
{
    long event;
    if (!khum_parse_int_range(args[0], 1, 1000000000, &event))
        return cli_usage_error("ledger", "lots takes EVENT COMMUNE SEED (EVENT an id)");
    const char *user;
    int st = cli_authorize(s, o->user, KHUM_DO_LOTS, "", "ledger", &user);
    if (st)
        return st;
    khum_err err;
    khum_err_clear(&err);
    if (khum_app_draw_event_lots(s, e, user, event, args[1], args[2], &err))
        return cli_fail(&err);
    printf("lots for event %ld in commune %s recorded (seed '%s', by %s)\n", event, args[1],
           args[2], user);
    return EXIT_OK;
}

/* Seats and chiefs per party on a date: every council replayed. */
static int ledger_seats(khum_store *s, const khum_election *e, const council_opts *o)
{
    char on[11];
    int st = council_day(s, e, o->on, on);
    if (st)
        return st;
    khum_err err;
    khum_err_clear(&err);
    khum_tally t;
    if (khum_app_tally(s, e, &t, &err))
        return cli_fail(&err);
    const char *names[64];
    int seats[64] = {0}, chiefs[64] = {0};
    size_t np = 0, done = 0, waiting = 0;
    khum_arena a;
    khum_arena_init(&a, 0);
    for (size_t i = 0; i < e->ncommunes && !st; i++) {
        khum_council c;
        if (khum_app_council(s, e, &t, e->communes[i].code, on, &o->rules, &a, &c, NULL,
                             &err)) {
            st = cli_fail(&err);
            break;
        }
        for (size_t k = 0; k < c.n; k++) {
            size_t p = 0;
            while (p < np && strcmp(names[p], c.m[k].party))
                p++;
            if (p == np && np < 64)
                names[np++] = khum_arena_strdup(&t.arena, c.m[k].party);
            if (p < np) {
                seats[p]++;
                chiefs[p] += c.m[k].post == KHUM_POST_CHIEF;
            }
        }
        done++;
        waiting += c.npending > 0;
        khum_arena_reset(&a);
    }
    if (!st) {
        /* stdout holds the data alone (CSV or JSON); what it covers goes to stderr */
        int total = 0;
        fprintf(stderr, "khum: seats on %s (%zu councils replayed", on, done);
        if (waiting)  /* seats or posts a tie decides: see khum council show */
            fprintf(stderr, "; %zu wait%s for lots", waiting, waiting == 1 ? "s" : "");
        fprintf(stderr, ")\n");
        bool json = o->format && !strcmp(o->format, "json");
        json_t *rows = json ? json_array() : NULL;
        if (!json)
            printf("party,seats,chiefs\n");
        for (size_t p = 0; p < np; p++) {
            if (json)
                json_array_append_new(rows, json_pack("{s:s,s:i,s:i}", "party", names[p],
                                                      "seats", seats[p], "chiefs", chiefs[p]));
            else
                printf("%s,%d,%d\n", names[p], seats[p], chiefs[p]);
            total += seats[p];
        }
        if (json)
            st = cli_print_json("ledger", json_pack("{s:s,s:s,s:I,s:I,s:o,s:i}", "election",
                                                    e->id, "on", on, "councils",
                                                    (json_int_t)done, "waiting_for_lots",
                                                    (json_int_t)waiting, "parties", rows,
                                                    "total_seats", total));
        else
            printf("total,%d,\n", total);
    }
    khum_arena_free(&a);
    khum_tally_free(&t);
    return st;
}

int cmd_ledger(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(ledger_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD : EXIT_OK;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "add") && strcmp(sub, "show") && strcmp(sub, "seats") &&
        strcmp(sub, "changes") && strcmp(sub, "export") && strcmp(sub, "report") &&
        strcmp(sub, "lots"))
        return cli_usage_error("ledger", "unknown subcommand '%s'", sub);
    council_opts o;
    int st = parse(argc - 1, argv + 1, "ledger", ledger_help, &o);
    if (st)
        return st < 0 ? EXIT_OK : st;
    int nargs = argc - 1 - optind;
    if (!strcmp(sub, "add") ? nargs != 1 : !strcmp(sub, "lots") ? nargs != 3 : nargs != 0)
        return cli_usage_error("ledger", "wrong arguments for %s", sub);
    khum_store *s;
    khum_election e;
    if ((st = cli_open_election(o.db, o.election, false, &s, &e)))
        return st;
    if (!strcmp(sub, "add"))
        st = ledger_add(s, &e, &o, argv[1 + optind]);
    else if (!strcmp(sub, "show"))
        st = ledger_show(s, &e, &o);
    else if (!strcmp(sub, "lots"))
        st = ledger_lots(s, &e, &o, argv + 1 + optind);
    else if (!strcmp(sub, "seats") && o.format && strcmp(o.format, "csv") &&
             strcmp(o.format, "json"))
        st = cli_usage_error("ledger", "seats --format csv or json");
    else if (!strcmp(sub, "seats") && o.by && o.format && strcmp(o.format, "csv"))
        st = cli_usage_error("ledger", "seats --by writes CSV only (--format csv)");
    else if (!strcmp(sub, "seats") && !o.by)
        st = ledger_seats(s, &e, &o);
    else
        st = ledger_output(s, &e, &o, sub);
    cli_close_election(s, &e);
    return st;
}
