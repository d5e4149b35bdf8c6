/*
 * cmd_allocate.c: `khum allocate`: seats from a CSV of votes, one district
 * at a time, by any method of the engine. This file reads and checks the
 * input (every bad value names file:line:column, the column and an ALC rule)
 * and runs the engine; src/publish/alloc_print.c writes the results.
 * Exit: 0 done; 2 bad input or usage; 3 a tie decides a seat and no --lots.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "publish/alloc_print.h"
#include "cli.h"
#include "khum/array.h"
#include "khum/csv.h"

static const char allocate_help[] =
    "usage: khum allocate [OPTIONS] [FILE|-]\n"
    "\n"
    "Allocate seats from a CSV of votes (standard input when FILE is - or absent).\n"
    "Columns (any order, others ignored): party, votes; optional district (each\n"
    "district is allocated on its own), seats (the district's magnitude), eligible\n"
    "(0/1), threshold_base (base of --threshold), max_seats (list length),\n"
    "ballot_no (place on the ballot, for --tie-rule ballot-order).\n"
    "Output: CSV district,party,votes,seats, one row per input row, in input order.\n"
    "\n"
    "  --method M          dhondt (default), sainte-lague, imperiali, danish,\n"
    "                      largest-remainder, cambodia (statutory: quota seats, then\n"
    "                      highest averages recomputed), cambodia-1998 (averages once)\n"
    "  --first-divisor D   Sainte-Laguë first divisor, e.g. 1.4 (Norway), 1.2 (Sweden)\n"
    "  --quota Q           largest-remainder quota: hare (default), droop,\n"
    "                      hagenbach-bischoff, imperiali\n"
    "  --quota-round R     exact (default), up, down\n"
    "  --threshold PCT     lists below PCT % of the base get no seat\n"
    "  --seats N           seats when the file has no seats column\n"
    "  --tie-rule T        a chain of more-votes, fewer-votes, ballot-order, lots joined\n"
    "                      by > (default more-votes>lots; votes and lots as before)\n"
    "  --lots SEED         draw lots where a tie decides a seat (replayable, see\n"
    "                      docs/allocation.md); without it such a tie exits 3\n"
    "  --explain           add the protocol: the quota, every seat, its value (votes / quota\n"
    "                      for a quota seat, else the average), the runner-up\n"
    "  --margins           add the margins: votes that would change the seats\n"
    "  --format F          csv (default) or json\n"
    "  -h, --help          show this help\n"
    "\n"
    "With --explain or --margins, CSV output has more tables after the seats,\n"
    "each after a blank line with its own header.\n";

typedef struct alloc_opts {
    khum_alloc_rules rules;
    int seats;
    bool explain, margins, json;
    const char *file;
} alloc_opts;

static int parse_method(const char *s, khum_method *m)
{
    if (khum_method_parse(s, m))
        return 0;
    if (strcmp(s, "hare") == 0 || strcmp(s, "lr") == 0)
        return *m = KHUM_METHOD_LARGEST_REMAINDER, 0;
    return -1;
}

static int parse_opts(int argc, char **argv, alloc_opts *o)
{
    static const struct option longopts[] = {
        {"method", required_argument, NULL, 'm'}, {"first-divisor", required_argument, NULL, 'f'},
        {"quota", required_argument, NULL, 'q'},  {"quota-round", required_argument, NULL, 'r'},
        {"threshold", required_argument, NULL, 't'}, {"seats", required_argument, NULL, 's'},
        {"lots", required_argument, NULL, 'l'},   {"tie-rule", required_argument, NULL, 'T'},
        {"explain", no_argument, NULL, 'e'},      {"margins", no_argument, NULL, 'M'},
        {"format", required_argument, NULL, 'F'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    khum_alloc_rules_default(&o->rules);
    o->seats = -1;
    int ch;
    long v;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'm':
            if (parse_method(optarg, &o->rules.method))
                return cli_usage_error("allocate", "unknown method '%s'", optarg);
            break;
        case 'f':
            if (!khum_parse_fraction(optarg, &o->rules.first_div_num, &o->rules.first_div_den) ||
                o->rules.first_div_den > 1000000 ||
                o->rules.first_div_num > 1000 * o->rules.first_div_den)
                return cli_usage_error("allocate", "--first-divisor '%s' must be a number "
                                       "above 0 and at most 1000 (up to 6 decimals)", optarg);
            break;
        case 'q':
            if (strcmp(optarg, "hare") == 0) o->rules.quota = KHUM_QUOTA_HARE;
            else if (strcmp(optarg, "droop") == 0) o->rules.quota = KHUM_QUOTA_DROOP;
            else if (strcmp(optarg, "hagenbach-bischoff") == 0)
                o->rules.quota = KHUM_QUOTA_HAGENBACH_BISCHOFF;
            else if (strcmp(optarg, "imperiali") == 0) o->rules.quota = KHUM_QUOTA_IMPERIALI;
            else return cli_usage_error("allocate", "unknown quota '%s'", optarg);
            break;
        case 'r':
            if (strcmp(optarg, "exact") == 0) o->rules.quota_round = KHUM_ROUND_EXACT;
            else if (strcmp(optarg, "up") == 0) o->rules.quota_round = KHUM_ROUND_UP;
            else if (strcmp(optarg, "down") == 0) o->rules.quota_round = KHUM_ROUND_DOWN;
            else return cli_usage_error("allocate", "--quota-round is exact, up or down");
            break;
        case 't':
            if (!khum_parse_fraction(optarg, &o->rules.threshold_num, &o->rules.threshold_den) ||
                o->rules.threshold_den > 1000000 ||
                o->rules.threshold_num > 100 * o->rules.threshold_den)
                return cli_usage_error("allocate", "--threshold '%s' must be a percentage "
                                       "above 0 and at most 100", optarg);
            break;
        case 's':
            if (!khum_parse_int_range(optarg, 1, KHUM_ALLOC_MAX_SEATS, &v))
                return cli_usage_error("allocate", "--seats '%s' must be from 1 to %d", optarg,
                                       KHUM_ALLOC_MAX_SEATS);
            o->seats = (int)v;
            break;
        case 'l':
            if (!*optarg)
                return cli_usage_error("allocate", "--lots needs a non-empty seed");
            o->rules.lots_seed = optarg;
            break;
        case 'T':
        {
            char why[160];
            if (!khum_tie_rule_parse(optarg, &o->rules.tie_rule, why, sizeof why))
                return cli_usage_error("allocate", "--tie-rule: %s", why);
            break;
        }
        case 'e': o->explain = true; break;
        case 'M': o->margins = true; break;
        case 'F':
            if (strcmp(optarg, "json") == 0) o->json = true;
            else if (strcmp(optarg, "csv") == 0) o->json = false;
            else return cli_usage_error("allocate", "--format is csv or json");
            break;
        case 'h': fputs(allocate_help, stdout); return -1;
        default: return cli_usage_error("allocate", "bad option");
        }
    }
    if (argc - optind > 1)
        return cli_usage_error("allocate", "one input FILE at most");
    o->file = optind < argc ? argv[optind] : "-";
    if (o->margins && (o->rules.method == KHUM_METHOD_LARGEST_REMAINDER ||
                       o->rules.method == KHUM_METHOD_CAMBODIA_1998))
        return cli_usage_error("allocate", "--margins is for divisor methods and the statutory "
                               "procedure, not %s", khum_method_name(o->rules.method));
    return EXIT_OK;
}

typedef struct input {
    khum_arena arena;
    alloc_row *rows;
    size_t n, cap;
    alloc_district *d;
    size_t nd, dcap;
    bool has_district;
} input;

static khum_code field_int(khum_csv *csv, int col, int64_t lo, int64_t hi, const char *rule,
                           const char *what, int64_t *out, khum_err *err)
{
    const char *s = khum_csv_get(csv, (size_t)col);
    if (!khum_parse_i64(s, out) || *out < lo || *out > hi)
        return khum_csv_field_error(csv, (size_t)col, err, KHUM_ERR_INPUT, rule,
                                    "%s '%s' must be a whole number from %lld to %lld", what, s,
                                    (long long)lo, (long long)hi);
    return KHUM_OK;
}

static alloc_district *district_of(input *in, const char *name, khum_err *err)
{
    if (in->nd && strcmp(in->d[in->nd - 1].name, name) == 0)  /* rows usually come grouped */
        return &in->d[in->nd - 1];
    for (size_t i = 0; i < in->nd; i++)
        if (strcmp(in->d[i].name, name) == 0)
            return &in->d[i];
    alloc_district *p = khum_grow(in->d, in->nd, &in->dcap, sizeof *p, NULL);
    if (!p) {
        khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        return NULL;
    }
    in->d = p;
    alloc_district *d = &in->d[in->nd++];
    memset(d, 0, sizeof *d);
    d->name = name;
    d->seats = -1;
    d->threshold_base = -1;
    return d;
}

static khum_code add_to_district(input *in, khum_csv *csv, const int *col, alloc_row *row,
                                 khum_err *err)
{
    alloc_district *d = district_of(in, row->district, err);
    if (!d)
        return KHUM_ERR_NOMEM;
    for (size_t k = 0; k < d->nrows; k++)
        if (strcmp(in->rows[d->rows[k]].party, row->party) == 0)
            return khum_csv_field_error(csv, (size_t)col[0], err, KHUM_ERR_INPUT, "ALC.604",
                                        "party '%s' appears twice in %s%s (first on line %ld)",
                                        row->party, *d->name ? "district " : "the input",
                                        d->name, in->rows[d->rows[k]].line);
    if (row->seats >= 0) {
        if (d->seats >= 0 && d->seats != row->seats)
            return khum_csv_field_error(csv, (size_t)col[3], err, KHUM_ERR_INPUT, "ALC.603",
                                        "%s%s has %d seats here but %d on line %ld",
                                        *d->name ? "district " : "the input", d->name,
                                        row->seats, d->seats, d->seats_line);
        d->seats = row->seats;
        d->seats_line = row->line;
    }
    if (row->threshold_base >= 0) {
        if (d->threshold_base >= 0 && d->threshold_base != row->threshold_base)
            return khum_csv_field_error(csv, (size_t)col[5], err, KHUM_ERR_INPUT, "ALC.607",
                                        "threshold_base differs from an earlier row of %s",
                                        *d->name ? d->name : "the input");
        d->threshold_base = row->threshold_base;
    }
    int *ix = khum_grow(d->rows, d->nrows, &d->cap, sizeof *ix, &in->arena);
    if (!ix)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    d->rows = ix;
    d->rows[d->nrows++] = (int)in->n;
    return KHUM_OK;
}

static khum_code read_row(input *in, khum_csv *csv, const int *col, khum_err *err)
{
    alloc_row row = {.seats = -1, .eligible = true, .max_seats = -1, .threshold_base = -1,
                     .line = khum_csv_line(csv)};
    int64_t v;
    khum_code rc;
    row.party = khum_arena_strdup(&in->arena, khum_csv_get(csv, (size_t)col[0]));
    row.district = khum_arena_strdup(&in->arena,
                                     col[2] >= 0 ? khum_csv_get(csv, (size_t)col[2]) : "");
    if (!row.party || !row.district)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    if (khum_is_blank(row.party))
        return khum_csv_field_error(csv, (size_t)col[0], err, KHUM_ERR_INPUT, "ALC.612",
                                    "party name is empty");
    if ((rc = field_int(csv, col[1], 0, KHUM_ALLOC_MAX_VOTES, "ALC.601", "votes", &row.votes,
                        err)))
        return rc;
    if (col[3] >= 0 && khum_csv_len(csv, (size_t)col[3])) {
        if ((rc = field_int(csv, col[3], 1, KHUM_ALLOC_MAX_SEATS, "ALC.602", "seats", &v, err)))
            return rc;
        row.seats = (int)v;
    }
    if (col[4] >= 0 && khum_csv_len(csv, (size_t)col[4])) {
        if ((rc = field_int(csv, col[4], 0, 1, "ALC.605", "eligible", &v, err)))
            return rc;
        row.eligible = v == 1;
    }
    if (col[5] >= 0 && khum_csv_len(csv, (size_t)col[5]) &&
        (rc = field_int(csv, col[5], 0, INT64_MAX / 1000, "ALC.607", "threshold_base",
                        &row.threshold_base, err)))
        return rc;
    if (col[6] >= 0 && khum_csv_len(csv, (size_t)col[6]) &&
        (rc = field_int(csv, col[6], 0, KHUM_ALLOC_MAX_SEATS, "ALC.606", "max_seats",
                        &row.max_seats, err)))
        return rc;
    if (col[7] >= 0 && khum_csv_len(csv, (size_t)col[7]) &&
        (rc = field_int(csv, col[7], 1, 1000, "ALC.614", "ballot_no", &row.ballot_no, err)))
        return rc;
    if ((rc = add_to_district(in, csv, col, &row, err)))
        return rc;
    alloc_row *p = khum_grow(in->rows, in->n, &in->cap, sizeof *p, NULL);
    if (!p)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    in->rows = p;
    in->rows[in->n++] = row;
    return KHUM_OK;
}

static khum_code read_input(input *in, const char *path, khum_err *err)
{
    khum_csv *csv;
    khum_code rc = khum_csv_open_path(path, &csv, err);
    if (rc)
        return rc;
    if ((rc = khum_csv_read_header(csv, err)))
        goto done;
    static const char *const req[] = {"party", "votes"};
    int col[8];
    if ((rc = khum_csv_require(csv, req, col, 2, err)))
        goto done;
    col[2] = khum_csv_col(csv, "district");
    col[3] = khum_csv_col(csv, "seats");
    col[4] = khum_csv_col(csv, "eligible");
    col[5] = khum_csv_col(csv, "threshold_base");
    col[6] = khum_csv_col(csv, "max_seats");
    col[7] = khum_csv_col(csv, "ballot_no");
    in->has_district = col[2] >= 0;
    int r;
    while ((r = khum_csv_next(csv, err)) > 0)
        if ((rc = read_row(in, csv, col, err)))
            goto done;
    if (r < 0) {
        rc = err->code;
    } else if (in->n == 0) {
        rc = khum_err_set(err, KHUM_ERR_INPUT, "ALC.609", "no rows: nothing to allocate");
        khum_err_at(err, khum_csv_name(csv), 2, 0, NULL);
    }
done:
    if (rc && !err->file[0])
        khum_err_at(err, khum_csv_name(csv), err->line, err->col, NULL);
    khum_csv_close(csv);
    return rc;
}

/* Build the engine input of each district and run it. */
static khum_code run_all(input *in, const alloc_opts *o, const char *path, khum_err *err)
{
    for (size_t i = 0; i < in->nd; i++) {
        alloc_district *d = &in->d[i];
        if (d->seats < 0)
            d->seats = o->seats;
        if (d->seats < 0) {
            khum_err_set(err, KHUM_ERR_INPUT, "ALC.608",
                         "how many seats? the input has no seats column: give --seats N");
            khum_err_at(err, path, 0, 0, NULL);
            return KHUM_ERR_INPUT;
        }
        d->parties = khum_arena_calloc(&in->arena, d->nrows, sizeof *d->parties);
        if (!d->parties)
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        for (size_t k = 0; k < d->nrows; k++) {
            const alloc_row *row = &in->rows[d->rows[k]];
            d->parties[k] = (khum_alloc_party){row->party, row->votes, row->eligible,
                                               row->max_seats, (int)row->ballot_no};
        }
        d->in = (khum_alloc_input){d->name, d->parties, d->nrows, d->seats, d->threshold_base};
        khum_code rc = khum_alloc_run(&o->rules, &d->in, &in->arena, &d->res, err);
        if (!rc && o->margins)
            rc = khum_alloc_margins(&o->rules, &d->in, &d->res, &in->arena, &d->margins,
                                    &d->nmargins, &d->closest, err);
        if (rc) {
            char msg[sizeof err->msg + 512];  /* room for the prefix; cut to fit below */
            snprintf(msg, sizeof msg, "%s%.300s: %s", *d->name ? "district " : "",
                     *d->name ? d->name : "input", err->msg);
            size_t len = strlen(msg);
            len = len < sizeof err->msg ? len : sizeof err->msg - 1;
            memcpy(err->msg, msg, len);
            err->msg[len] = '\0';
            khum_err_at(err, path, in->rows[d->rows[0]].line, 0, NULL);
            return rc;
        }
        for (size_t k = 0; k < d->nrows; k++)
            in->rows[d->rows[k]].seats_won = d->res.seats[k];
    }
    return KHUM_OK;
}

static void print_names(const alloc_district *d, const int *who, int n)
{
    for (int k = 0; k < n; k++)
        fprintf(stderr, "%s%s", k ? (k + 1 == n ? " and " : ", ") : "", d->parties[who[k]].name);
}

/* Name every tie that still needs lots; returns how many districts have one. */
static int report_open_ties(const input *in)
{
    int open = 0;
    for (size_t i = 0; i < in->nd; i++) {
        const alloc_district *d = &in->d[i];
        for (size_t t = 0; t < d->res.nties; t++) {
            const khum_alloc_tie *tie = &d->res.ties[t];
            if (tie->how != KHUM_TIED_UNRESOLVED)
                continue;
            char v[48];
            khum_frac_format(tie->value, v, sizeof v);
            int first = tie->first_seat + tie->nwinners, count = tie->nseats - tie->nwinners;
            fprintf(stderr, "khum: %s%s: ", *d->name ? "district " : "",
                    *d->name ? d->name : "input");
            if (count > 1)
                fprintf(stderr, "seats %d-%d are tied between ", first, first + count - 1);
            else
                fprintf(stderr, "seat %d is tied between ", first);
            print_names(d, tie->parties, tie->nparties);
            fprintf(stderr, " (equal quotient %s)", v);
            if (tie->nlot < tie->nparties) {
                fprintf(stderr, "; more votes leave ");
                print_names(d, tie->lot, tie->nlot);
                fprintf(stderr, ", equal in votes");
            }
            fprintf(stderr, ": draw lots with --lots SEED [ALC.620]\n");
            open++;
        }
    }
    return open;
}

static void report_notes(const input *in, const alloc_opts *o)
{
    for (size_t i = 0; i < in->nd; i++) {
        const alloc_district *d = &in->d[i];
        const char *name = *d->name ? d->name : "input";
        if (d->res.degenerate)
            fprintf(stderr, "khum: warning: %s: too few votes for the statutory procedure "
                    "(quota %lld): seats by D'Hondt instead [ALC.640]\n", name,
                    (long long)d->res.quota.num);
        if (d->res.unfilled)
            fprintf(stderr, "khum: warning: %s: %d seat%s left empty: every list is at its "
                    "max_seats [ALC.641]\n", name, d->res.unfilled,
                    d->res.unfilled == 1 ? "" : "s");
        for (size_t t = 0; t < d->res.nties && o->rules.lots_seed; t++) {
            const khum_alloc_tie *tie = &d->res.ties[t];
            if (tie->how != KHUM_TIED_LOT)
                continue;
            fprintf(stderr, "khum: note: %s: seat%s %d", name, tie->nseats > 1 ? "s" : "",
                    tie->first_seat);
            if (tie->nseats > 1)
                fprintf(stderr, "-%d", tie->first_seat + tie->nseats - 1);
            fprintf(stderr, " decided by lot (draw %d between ", tie->draw);
            print_names(d, tie->lot, tie->nlot);
            fprintf(stderr, "): ");
            print_names(d, tie->winners, tie->nwinners);
            fprintf(stderr, "\n");
        }
    }
}

int cmd_allocate(int argc, char **argv)
{
    alloc_opts o;
    int st = parse_opts(argc, argv, &o);
    if (st)
        return st < 0 ? EXIT_OK : st;
    input in;
    memset(&in, 0, sizeof in);
    khum_arena_init(&in.arena, 0);
    khum_err err;
    khum_err_clear(&err);
    khum_code rc = read_input(&in, o.file, &err);
    if (!rc)
        rc = run_all(&in, &o, strcmp(o.file, "-") ? o.file : "<stdin>", &err);
    if (rc) {
        st = cli_fail(&err);
    } else if (report_open_ties(&in)) {
        st = EXIT_TIE;
    } else {
        report_notes(&in, &o);
        alloc_output out = {o.json, o.explain, o.margins, in.has_district, &o.rules,
                            in.rows, in.n, in.d, in.nd};
        khum_buf b;
        khum_buf_init(&b);
        if (o.json)
            alloc_print_json(&out, &b);
        else
            alloc_print_csv(&out, &b);
        if (b.failed) {
            fprintf(stderr, "khum allocate: out of memory\n");
            st = EXIT_FAIL;
        } else if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout)) {
            perror("khum allocate: write");
            st = EXIT_FAIL;
        }
        khum_buf_free(&b);
    }
    free(in.rows);
    free(in.d);
    khum_arena_free(&in.arena);
    return st;
}
