/*
 * cmd_synth_scale.c: `khum synth --stations N --councils M ...`: a SYNTHETIC
 * election of any size (khum_synth_scale_*), written as the folders the
 * imports take, no database needed:
 *   DIR/gazetteer/  provinces.csv, districts.csv, communes.csv (khum import gazetteer)
 *   DIR/election/   election.csv, communes.csv, lists.csv, stations.csv,
 *                   parties.csv (khum election import)
 *   DIR/results.csv one form per station, a column per list (khum import
 *                   results, khum tally --forms)
 * The forms are written as they are drawn, a council at a time, so 35 times
 * Cambodia's election needs no more memory than its definition.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "khum/synth.h"

static const char scale_help[] =
    "usage: khum synth --stations N --councils M [--parties P] [--seats MIN-MAX]\n"
    "                  [--method dhondt|sainte-lague|...] [--seed S] --out DIR\n"
    "\n"
    "Generate a SYNTHETIC election of any size over an invented gazetteer: N\n"
    "polling stations shared among M councils of MIN to MAX seats (default 3-12;\n"
    "more stations, more seats), P lists L01.. (default 18) with national shares\n"
    "falling as 1/rank, seats by the method given (default sainte-lague).\n"
    "Writes DIR/gazetteer, DIR/election and DIR/results.csv. Cambodia's size is\n"
    "--stations 23602 --councils 1652; Indonesia's regency councils about\n"
    "--stations 820000 --councils 2500 --parties 18 --method sainte-lague.\n";

typedef struct sink {
    FILE *out;
    int parties;
    khum_buf row;
} sink;

/* One form as a row of results.csv. */
static int put_form(void *ctx, const khum_form *f, const char *explanation)
{
    sink *k = ctx;
    khum_buf *b = &k->row;
    khum_buf_reset(b);
    khum_buf_printf(b, "%s,%lld,%lld,%lld,%lld,%lld,%lld,%lld", f->station,
                    (long long)f->registered, (long long)f->received, (long long)f->cast,
                    (long long)f->spoiled, (long long)f->unused, (long long)f->valid,
                    (long long)f->invalid);
    size_t next = 0;  /* the form's lists are in the order of the ids L01.. */
    for (int p = 0; p < k->parties; p++) {
        char id[16];
        snprintf(id, sizeof id, "L%02d", p + 1);
        if (next < f->n && !strcmp(f->party[next], id))
            khum_buf_printf(b, ",%lld", (long long)f->votes[next++]);
        else
            khum_buf_putc(b, ',');
    }
    khum_csv_put_field(b, explanation, false);
    khum_buf_putc(b, '\n');
    return b->failed || fwrite(b->data, 1, b->len, k->out) != b->len;
}

static bool write_gazetteer(const char *dir, const khum_election *e)
{
    khum_buf p, d, c;
    khum_buf_init(&p);
    khum_buf_init(&d);
    khum_buf_init(&c);
    khum_buf_puts(&p, "code,name_km,name_latin,unit_en\n");
    khum_buf_puts(&d, "code,province_code,name_km,name_latin,unit_en\n");
    khum_buf_puts(&c, "code,district_code,province_code,name_km,name_latin,unit_en\n");
    for (size_t i = 0; i < e->ncommunes; i++) {
        const khum_election_commune *x = &e->communes[i];
        bool new_p = !i || strcmp(x->province, e->communes[i - 1].province);
        bool new_d = !i || strcmp(x->district, e->communes[i - 1].district);
        if (new_p)
            khum_buf_printf(&p, "%s,SYNTHETIC province %s,SYNTHETIC province %s,Province\n",
                            x->province, x->province, x->province);
        if (new_d)
            khum_buf_printf(&d, "%s,%s,SYNTHETIC regency %s,SYNTHETIC regency %s,Regency\n",
                            x->district, x->province, x->district, x->district);
        khum_buf_printf(&c, "%s,%s,%s,SYNTHETIC council %s,SYNTHETIC council %s,Electoral "
                        "district\n", x->code, x->district, x->province, x->code, x->code);
    }
    bool ok = !p.failed && !d.failed && !c.failed &&
              synth_write_file(dir, "provinces.csv", &p) &&
              synth_write_file(dir, "districts.csv", &d) &&
              synth_write_file(dir, "communes.csv", &c);
    khum_buf_free(&p);
    khum_buf_free(&d);
    khum_buf_free(&c);
    return ok;
}

static bool write_parties(const char *dir, const khum_election *e)
{
    khum_buf b;
    khum_buf_init(&b);
    khum_buf_puts(&b, "id,abbr,name_en\n");
    for (size_t k = 0; k < e->nparties; k++) {
        const char *row[] = {e->parties[k].id, e->parties[k].abbr, e->parties[k].name_en};
        khum_csv_put_row(&b, row, 3);
    }
    bool ok = !b.failed && synth_write_file(dir, "parties.csv", &b);
    khum_buf_free(&b);
    return ok;
}

static bool make_dir(const char *path)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST)
        return true;
    fprintf(stderr, "khum synth: cannot create %s: %s\n", path, strerror(errno));
    return false;
}

static int write_all(const khum_synth_scale *p, const khum_election *e, const char *out)
{
    char g[4200], el[4200], res[4200];
    snprintf(g, sizeof g, "%s/gazetteer", out);
    snprintf(el, sizeof el, "%s/election", out);
    snprintf(res, sizeof res, "%s/results.csv", out);
    if (!make_dir(out) || !make_dir(g) || !make_dir(el) || !write_gazetteer(g, e) ||
        !synth_write_election(el, e) || !write_parties(el, e))
        return EXIT_FAIL;
    sink k = {fopen(res, "wb"), p->parties, {0}};
    if (!k.out) {
        fprintf(stderr, "khum synth: cannot write %s: %s\n", res, strerror(errno));
        return EXIT_FAIL;
    }
    khum_buf_init(&k.row);
    fputs("station,registered,received,cast,spoiled,unused,valid,invalid", k.out);
    for (int i = 1; i <= p->parties; i++)
        fprintf(k.out, ",L%02d", i);
    fputs(",explanation\n", k.out);
    khum_err err;
    khum_err_clear(&err);
    khum_code rc = khum_synth_scale_forms(p, e, put_form, &k, &err);
    khum_buf_free(&k.row);
    if (fclose(k.out) != 0 && !rc)
        rc = khum_err_set(&err, KHUM_ERR_IO, "TAB.914", "the forms could not be written");
    return rc ? cli_fail(&err) : EXIT_OK;
}

static bool parse_seats(const char *s, khum_synth_scale *p)
{
    long lo, hi;
    char a[8], b[8];
    const char *dash = strchr(s, '-');
    if (!dash || dash - s >= 8 || strlen(dash + 1) >= 8)
        return false;
    snprintf(a, sizeof a, "%.*s", (int)(dash - s), s);
    snprintf(b, sizeof b, "%s", dash + 1);
    if (!khum_parse_int_range(a, 1, 12, &lo) || !khum_parse_int_range(b, 1, 12, &hi))
        return false;
    p->seats_min = (int)lo;
    p->seats_max = (int)hi;
    return true;
}

int synth_scale_main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"stations", required_argument, NULL, 'n'}, {"councils", required_argument, NULL, 'm'},
        {"parties", required_argument, NULL, 'p'},  {"seats", required_argument, NULL, 'S'},
        {"method", required_argument, NULL, 'M'},   {"seed", required_argument, NULL, 's'},
        {"out", required_argument, NULL, 'o'},      {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    khum_synth_scale p = {.parties = 18, .seats_min = 3, .seats_max = 12,
                          .method = KHUM_METHOD_SAINTE_LAGUE, .seed = 1};
    const char *out = NULL;
    long v;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'n': case 'm': case 'p': case 's':
            if (!khum_parse_int_range(optarg, 0, 1000000000, &v))
                return cli_usage_error("synth", "'%s' is not a whole number", optarg);
            if (ch == 'n') p.stations = v;
            else if (ch == 'm') p.councils = v;
            else if (ch == 'p') p.parties = (int)v;
            else p.seed = (uint64_t)v;
            break;
        case 'S':
            if (!parse_seats(optarg, &p))
                return cli_usage_error("synth", "--seats MIN-MAX, within 1-12 (e.g. 3-12)");
            break;
        case 'M':
            if (!khum_method_parse(optarg, &p.method))
                return cli_usage_error("synth", "--method: no method '%s'", optarg);
            break;
        case 'o': out = optarg; break;
        case 'h': fputs(scale_help, stdout); return EXIT_OK;
        default: return cli_usage_error("synth", "bad option");
        }
    }
    if (optind != argc || !out || !p.stations || !p.councils)
        return cli_usage_error("synth", "give --stations N --councils M --out DIR");
    khum_err err;
    khum_err_clear(&err);
    khum_election e;
    khum_election_init(&e);
    int st = khum_synth_scale_election(&p, &e, &err) ? cli_fail(&err) : write_all(&p, &e, out);
    if (!st) {
        char h[20];
        khum_hash_short(e.hash, h);
        printf("wrote %s/: SYNTHETIC election %s: %zu councils, %zu lists, %zu stations, "
               "hash %s\n", out, e.id, e.ncommunes, e.nlists, e.nstations, h);
    }
    khum_election_free(&e);
    return st;
}
