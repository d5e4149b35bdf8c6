/*
 * fuzz_import.c: libFuzzer target for every importer's reader: the pumi and
 * NCDD gazetteers (with the tree check), population, council sizes,
 * parties, candidate lists, election definitions (the input split into its
 * four files at 0x1e bytes) and result forms (against a fixed election),
 * wide or long (a forms file and a votes file, split at a 0x1e byte).
 * The first byte picks the importer. Any input must read, or fail with a
 * rule code; never crash, leak or read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "khum/council.h"
#include "khum/count.h"
#include "khum/geo.h"

static void must_have_rule(khum_code rc, const khum_err *err)
{
    if (rc != KHUM_OK && rc != KHUM_ERR_NOMEM && !err->rule[0])
        abort();  /* every refusal names its rule */
}

static const char election_csv[] =
    "id,name,date,mandate,method,tie_rule,synthetic\nf,F,2022-06-05,5,cambodia,votes,1\n";
static const char communes_csv[] = "commune,seats\n010201,5\n010202,7\n";
static const char lists_csv[] =
    "commune,party,ballot_no\n010201,CPP,1\n010201,CNRP,2\n010202,CPP,1\n010202,FCP,2\n";
static const char stations_csv[] =
    "station,commune,registered\n010201-01,010201,500\n010202-01,010202,600\n";

static khum_code read_election(khum_election *e, const char *parts[4], const size_t len[4],
                               khum_err *err)
{
    khum_csv *c[4];
    for (int i = 0; i < 4; i++)
        c[i] = khum_csv_open_mem("f.csv", parts[i], len[i]);
    khum_code rc = khum_election_read(e, c[0], c[1], c[2], c[3], err);
    for (int i = 0; i < 4; i++)
        khum_csv_close(c[i]);
    return rc;
}

/* The fixed election the result forms are read against. */
static void fixed_election(khum_election *e, khum_err *err)
{
    const char *parts[4] = {election_csv, communes_csv, lists_csv, stations_csv};
    size_t len[4] = {sizeof election_csv - 1, sizeof communes_csv - 1, sizeof lists_csv - 1,
                     sizeof stations_csv - 1};
    khum_election_init(e);
    if (read_election(e, parts, len, err))
        abort();  /* the fixed election is valid */
}

static void forms(const char *d, size_t n, khum_err *err)
{
    khum_election e;
    fixed_election(&e, err);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_csv *c = khum_csv_open_mem("results.csv", d, n);
    khum_form_reader *r;
    khum_code rc = khum_form_reader_open(c, &e, &a, &r, err);
    must_have_rule(rc, err);
    khum_form f;
    const char *x;
    int got;
    while (!rc && (got = khum_form_reader_next(r, &f, &x, err)) > 0) {
        khum_checks k;
        khum_form_check(&e, &f, &k);
        for (size_t i = 0; i < k.n; i++)
            if (k.items[i].code[0] != 'F' && k.items[i].code[0] != 'W')
                abort();
    }
    khum_csv_close(c);
    khum_arena_free(&a);
    /* the same text tabulated without keeping forms */
    khum_tally t;
    khum_tally_csv_report rep;
    rc = khum_tally_csv(&e, "results.csv", d, n, 2, NULL, 0, &t, &rep, err);
    must_have_rule(rc, err);
    if (!rc && (rep.forms > rep.rows || rep.forms + rep.rejected.n < rep.rows))
        abort();  /* every row read is tallied or has a rejection */
    khum_tally_free(&t);
    khum_tally_csv_report_free(&rep);
    khum_election_free(&e);
}

/* The long format: FORMS, 0x1e, VOTES. Every refused votes row names a
 * rule and a line of the votes file. */
static void long_forms(const char *d, size_t n, khum_err *err)
{
    const char *sep = memchr(d, 0x1e, n);
    size_t nf = sep ? (size_t)(sep - d) : n;
    khum_election e;
    fixed_election(&e, err);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_csv *fc = khum_csv_open_mem("forms.csv", d, nf);
    khum_csv *vc = khum_csv_open_mem("votes.csv", sep ? sep + 1 : "", sep ? n - nf - 1 : 0);
    khum_form_reader *r;
    khum_form fs[16];
    size_t m = 0;
    khum_code rc = khum_form_reader_open(fc, &e, &a, &r, err);
    if (!rc)
        rc = khum_form_reader_figures_only(r, err);
    must_have_rule(rc, err);
    const char *x;
    while (!rc && m < 16 && khum_form_reader_next(r, &fs[m], &x, err) > 0)
        m++;
    bool bad[16] = {false};
    khum_diags rejected = {0};
    size_t rows;
    if (!rc) {
        rc = khum_form_votes_read(vc, &e, fs, m, "forms.csv", bad, &a, &rejected, &rows, err);
        must_have_rule(rc, err);
    }
    for (size_t i = 0; i < rejected.n; i++)
        if (!rejected.items[i].rule[0] || rejected.items[i].line < 1)
            abort();
    for (size_t i = 0; !rc && i < m; i++) {
        khum_checks k;
        khum_form_check(&e, &fs[i], &k);
    }
    khum_diags_free(&rejected);
    khum_csv_close(fc);
    khum_csv_close(vc);
    khum_arena_free(&a);
    khum_election_free(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned which = data[0] % 10;
    const char *d = (const char *)data + 1;
    size_t n = size - 1;
    khum_err err;
    khum_err_clear(&err);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_csv *c = khum_csv_open_mem("fuzz.csv", d, n);
    khum_code rc = KHUM_OK;
    switch (which) {
    case 0: case 1: {
        khum_gazetteer g;
        khum_gazetteer_init(&g);
        khum_diags rej = {0};
        rc = which == 0 ? khum_gazetteer_read_pumi(&g, (khum_level)(1 + n % 4), c, &err)
                        : khum_gazetteer_read_ncdd(&g, c, &rej, &err);
        must_have_rule(rc, &err);
        if (!rc) {
            khum_err_clear(&err);
            rc = khum_gazetteer_check(&g, &err);
        }
        khum_diags_free(&rej);
        khum_gazetteer_free(&g);
        break;
    }
    case 2: {
        khum_population *rows;
        size_t m;
        rc = khum_population_read(c, &a, &rows, &m, &err);
        if (!rc)
            free(rows);
        break;
    }
    case 3: {
        static const int allowed[] = {5, 7, 9, 11};
        khum_council_size *rows;
        size_t m;
        rc = khum_council_sizes_read(c, &a, 5, allowed, 4, &rows, &m, &err);
        if (!rc)
            free(rows);
        break;
    }
    case 4: {
        khum_party *rows;
        size_t m;
        rc = khum_parties_read(c, &a, &rows, &m, &err);
        if (!rc)
            free(rows);
        break;
    }
    case 5: {
        khum_candidate_row *rows;
        size_t m;
        rc = khum_candidates_read(c, 2022, &a, &rows, &m, &err);
        break;
    }
    case 6: case 7: {  /* an election definition: four files separated by 0x1e */
        const char *parts[4] = {d, "", "", ""};
        size_t len[4] = {n, 0, 0, 0};
        for (int i = 0, k = 0; i < 3; i++) {
            const char *sep = memchr(parts[k], 0x1e, len[k]);
            if (!sep)
                break;
            parts[k + 1] = sep + 1;
            len[k + 1] = len[k] - (size_t)(sep + 1 - parts[k]);
            len[k] = (size_t)(sep - parts[k]);
            k++;
        }
        khum_election e;
        khum_election_init(&e);
        rc = read_election(&e, parts, len, &err);
        khum_election_free(&e);
        break;
    }
    case 9:
        long_forms(d, n, &err);
        break;
    default:
        forms(d, n, &err);
        break;
    }
    must_have_rule(rc, &err);
    khum_csv_close(c);
    khum_arena_free(&a);
    return 0;
}
