/*
 * results_import.c: importing a results file (`khum import results`) as one
 * operation, so the CLI and the server share it. The file is read into
 * memory once, so the SHA-256 recorded is that of the very bytes imported;
 * its header must name only known columns and lists of the election
 * (F.106); every row is checked, rejected rows are listed, and nothing is
 * written when one is rejected unless the caller accepts the valid rows.
 * The forms then go through app_import_forms (the state machine decides
 * each state, one transaction), whose audit event names the acting user,
 * the file, its SHA-256 and its rows. A file with only a header is a no-op:
 * nothing written and no event.
 *
 * The long format (a forms file of figures and a votes file of
 * station,party,votes rows) reads the forms unchecked, lays the votes onto
 * them (khum_form_votes_read: a bad votes row rejects its station's form)
 * and only then checks each form, so both formats pass the same checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_impl.h"
#include "khum/hash.h"
#include "khum/str.h"

/* The forms kept, with their explanation and line (khum/app.h). */
typedef khum_results_forms batch;

static bool keep_row(batch *b, khum_arena *a, const khum_form *f, const char *expl, long line)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        khum_form *nf = khum_arena_alloc(a, cap * sizeof *nf);
        const char **ne = khum_arena_alloc(a, cap * sizeof *ne);
        long *nl = khum_arena_alloc(a, cap * sizeof *nl);
        if (!nf || !ne || !nl)
            return false;
        if (b->n) {
            memcpy(nf, b->f, b->n * sizeof *nf);
            memcpy(ne, b->expl, b->n * sizeof *ne);
            memcpy(nl, b->line, b->n * sizeof *nl);
        }
        b->f = nf;
        b->expl = ne;
        b->line = nl;
        b->cap = cap;
    }
    b->f[b->n] = *f;
    b->expl[b->n] = *expl ? expl : "";  /* an empty one points into the file, freed after */
    b->line[b->n++] = line;
    return true;
}

/* A rejected row, listed at its line of the file: a check that failed
 * (why), or a repeated station (why NULL). */
static khum_code reject(khum_diags *d, const char *path, long line, const char *rule,
                        const char *station, const char *why)
{
    khum_err e;
    khum_err_clear(&e);
    if (why)
        khum_err_set(&e, KHUM_ERR_INPUT, rule, "station %s: %s", station, why);
    else
        khum_err_set(&e, KHUM_ERR_INPUT, rule, "station %s appears more than once in the file",
                     station);
    khum_err_at(&e, path, line, 0, NULL);
    return khum_diags_add(d, &e);
}

static int cmp_station(const void *a, const void *b)
{
    return strcmp(((const khum_form *)a)->station, ((const khum_form *)b)->station);
}

/* The second and later rows of a station are rejected (F.112) and dropped
 * from b; returns how many. */
static size_t drop_repeats(batch *b, const char *path, khum_arena *a, khum_diags *rejected)
{
    if (b->n < 2)
        return 0;
    khum_form *sorted = khum_arena_alloc(a, (b->n + 1) * sizeof *sorted);
    bool *drop = khum_arena_calloc(a, b->n + 1, sizeof *drop);
    if (!sorted || !drop)
        return 0;
    memcpy(sorted, b->f, b->n * sizeof *sorted);
    khum_sort(sorted, b->n, sizeof *sorted, cmp_station);
    size_t dropped = 0;
    for (size_t i = 1; i < b->n; i++) {
        if (strcmp(sorted[i].station, sorted[i - 1].station) != 0)
            continue;
        for (size_t k = 0, seen = 0; k < b->n; k++)
            if (strcmp(b->f[k].station, sorted[i].station) == 0 && seen++ > 0 && !drop[k]) {
                drop[k] = true;
                dropped++;
                reject(rejected, path, b->line[k], "F.112", sorted[i].station, NULL);
            }
    }
    size_t k = 0;
    for (size_t i = 0; i < b->n; i++)
        if (!drop[i]) {
            b->f[k] = b->f[i];
            b->expl[k] = b->expl[i];
            b->line[k++] = b->line[i];
        }
    b->n = k;
    return dropped;
}

/* Read every row: forms without errors into b, the others into rejected.
 * A file that cannot be read on (a broken quote) fails as a whole. */
static khum_code read_rows(khum_form_reader *fr, const khum_election *e, const char *path,
                           bool check, khum_arena *a, batch *b, khum_diags *rejected,
                           khum_results_report *rep, khum_err *err)
{
    for (;;) {
        khum_form f;
        const char *expl;
        khum_err row;
        khum_err_clear(&row);
        int got = khum_form_reader_next(fr, &f, &expl, &row);
        if (got == 0)
            return KHUM_OK;
        if (got < 0 && (row.code != KHUM_ERR_INPUT || strncmp(row.rule, "CSV", 3) == 0)) {
            *err = row;
            return row.code;
        }
        rep->rows++;
        long line = khum_form_reader_line(fr);
        if (got < 0) {  /* a malformed row (F.110): this row only */
            khum_diags_add(rejected, &row);
            rep->rejected++;
            continue;
        }
        if (!check) {  /* the long format: checked once its votes are in */
            if (!keep_row(b, a, &f, expl, line))
                return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            continue;
        }
        khum_checks c;
        khum_form_check(e, &f, &c);
        for (size_t i = 0; i < c.n; i++)
            if (c.items[i].severity == KHUM_CHECK_ERROR)
                reject(rejected, path, line, c.items[i].code, f.station, c.items[i].msg);
        if (c.errors)
            rep->rejected++;
        else if (!keep_row(b, a, &f, expl, line))
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
}

/* The long format's second step: the votes file onto the forms of b, then
 * every form's checks; b keeps the forms that pass. */
static khum_code add_votes(const khum_election *e, const char *path, khum_csv *votes,
                           khum_arena *a, batch *b, khum_diags *rejected,
                           khum_results_report *rep, khum_err *err)
{
    bool *bad = khum_arena_calloc(a, b->n + 1, sizeof *bad);
    if (!bad)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    size_t before = rejected->n;
    const char *slash = strrchr(path, '/');
    khum_code rc = khum_form_votes_read(votes, e, b->f, b->n, slash ? slash + 1 : path, bad, a,
                                        rejected, &rep->votes_rows, err);
    if (rc)
        return rc;
    size_t k = 0, bad_forms = 0;
    for (size_t i = 0; i < b->n; i++) {
        khum_checks c;
        khum_form_check(e, &b->f[i], &c);
        for (size_t j = 0; j < c.n; j++)
            if (c.items[j].severity == KHUM_CHECK_ERROR)
                reject(rejected, path, b->line[i], c.items[j].code, b->f[i].station,
                       c.items[j].msg);
        if (bad[i] || c.errors) {
            bad_forms++;
            continue;
        }
        b->f[k] = b->f[i];
        b->expl[k] = b->expl[i];
        b->line[k++] = b->line[i];
    }
    b->n = k;
    /* a refused votes row that names no form of the file still refuses the file */
    rep->rejected += bad_forms ? bad_forms : rejected->n > before;
    return KHUM_OK;
}

/* The whole file in memory (freed by the caller), and its SHA-256. A file
 * that cannot be read is bad input: the path given names no readable file. */
static khum_code load_file(const char *path, khum_buf *data, char sha[KHUM_SHA256_HEX],
                           khum_err *err)
{
    FILE *in = fopen(path, "rb");
    if (!in) {
        khum_err_set(err, KHUM_ERR_INPUT, "CSV.110", "cannot open the results file");
        khum_err_at(err, path, 0, 0, NULL);
        return KHUM_ERR_INPUT;
    }
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, in)) > 0)
        khum_buf_append(data, chunk, got);
    bool bad = ferror(in);
    fclose(in);
    if (bad) {
        khum_err_set(err, KHUM_ERR_IO, "IO.802", "read error");
        khum_err_at(err, path, 0, 0, NULL);
        return KHUM_ERR_IO;
    }
    if (data->failed)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    khum_sha256_hex(data->data ? data->data : "", data->len, sha);
    return KHUM_OK;
}

/* Check and store what was read; the audit event records the file (and the
 * votes file of the long format). */
static khum_code store_rows(khum_store *s, const khum_election *e, const char *path,
                            const char *votes_path, const char *user, bool accept_valid,
                            const batch *b, khum_diags *rejected, khum_results_report *rep,
                            khum_err *err)
{
    if (rep->rejected && !accept_valid) {
        khum_err_set(err, KHUM_ERR_INPUT, rejected->n ? rejected->items[0].rule : "",
                     "%zu of %zu row%s rejected: nothing was written (fix %s, or import "
                     "the other rows with --accept-valid)", rep->rejected, rep->rows,
                     rep->rows == 1 ? "" : "s", rep->rejected == 1 ? "it" : "them");
        khum_err_at(err, path, 0, 0, NULL);
        return KHUM_ERR_INPUT;
    }
    if (b->n == 0)  /* nothing to store: nothing written, no event */
        return KHUM_OK;
    json_t *after = json_pack("{s:s,s:s,s:I,s:I,s:I}", "file", path, "sha256", rep->sha256,
                              "rows", (json_int_t)rep->rows, "forms", (json_int_t)b->n,
                              "rejected", (json_int_t)rep->rejected);
    if (after && votes_path) {
        json_object_set_new(after, "votes_file", json_string(votes_path));
        json_object_set_new(after, "votes_sha256", json_string(rep->votes_sha256));
        json_object_set_new(after, "votes_rows", json_integer((json_int_t)rep->votes_rows));
    }
    khum_code rc = app_import_forms(s, e, user, user, path, b->f, b->expl, b->line, b->n,
                                    after, err);
    if (rc == KHUM_ERR_CONFLICT && strcmp(err->rule, "F.111") == 0)
        err->code = rc = KHUM_ERR_INPUT;  /* the file names a station with a result */
    if (!rc)
        rep->imported = b->n;
    return rc;
}

/* A file read whole, as a CSV over its bytes (*csv NULL when it failed). */
static khum_code open_file(const char *path, khum_buf *data, char sha[KHUM_SHA256_HEX],
                           khum_csv **csv, khum_err *err)
{
    khum_code rc = load_file(path, data, sha, err);
    if (!rc && !(*csv = khum_csv_open_mem(path, data->data ? data->data : "", data->len)))
        rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    return rc;
}

khum_code khum_app_read_results(const khum_election *e, const char *path,
                                const char *votes_path, khum_arena *a, khum_results_forms *out,
                                khum_diags *rejected, khum_results_report *rep, khum_err *err)
{
    memset(rep, 0, sizeof *rep);
    memset(out, 0, sizeof *out);
    khum_buf data, vdata;
    khum_buf_init(&data);
    khum_buf_init(&vdata);
    khum_csv *csv = NULL, *votes = NULL;
    khum_form_reader *fr;
    bool wide = !votes_path;
    khum_code rc = open_file(path, &data, rep->sha256, &csv, err);
    if (!rc && !wide)
        rc = open_file(votes_path, &vdata, rep->votes_sha256, &votes, err);
    if (!rc && !(rc = khum_form_reader_open(csv, e, a, &fr, err)) &&
        !(rc = wide ? khum_form_columns_check(csv, e, err)
                    : khum_form_reader_figures_only(fr, err)) &&
        !(rc = read_rows(fr, e, path, wide, a, out, rejected, rep, err))) {
        rep->rejected += drop_repeats(out, path, a, rejected);
        if (!wide && rep->rows)
            rc = add_votes(e, path, votes, a, out, rejected, rep, err);
    }
    khum_csv_close(csv);
    khum_csv_close(votes);
    khum_buf_free(&data);
    khum_buf_free(&vdata);
    return rc;
}

khum_code khum_app_import_results_votes(khum_store *s, const khum_election *e,
                                        const char *path, const char *votes_path,
                                        const char *user, bool accept_valid,
                                        khum_diags *rejected, khum_results_report *rep,
                                        khum_err *err)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    batch b;
    khum_code rc = khum_app_read_results(e, path, votes_path, &a, &b, rejected, rep, err);
    if (!rc)
        rc = store_rows(s, e, path, votes_path, user, accept_valid, &b, rejected, rep, err);
    khum_arena_free(&a);
    return rc;
}
