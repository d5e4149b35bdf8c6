/*
 * tally_csv.c: tabulate a results CSV held in memory, without a database:
 * each row read, checked and summed into its commune as it comes, nothing
 * kept; the file cut at line ends into pieces read on their own threads when
 * that cannot change what is read (no quote character anywhere, so every
 * line end ends a record). Each piece sums into its own row of figures per
 * commune; the rows are added into the tally in file order, so the answer
 * does not depend on the number of pieces.
 *
 * A station's first tallied row counts; a later row of the same station is
 * left out (F.112) even when it lies in a later piece: each piece remembers
 * where it read each station, and the later piece's row is read again and
 * taken back.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/count.h"
#include "tally_impl.h"

enum { MAX_PIECES = 64, MIN_PIECE = 64 * 1024 };
enum { SUM_FIELDS = 9 };        /* registered .. invalid, blank, stations reported */
#define DUPLICATE "the station appears more than once in the file (its first row counts)"

typedef struct piece {
    const khum_election *e;
    const char *name, *data;
    size_t from, to;            /* bytes of the file this piece reads */
    long first_line;
    const khum_csv *head;       /* the reader of the header (NULL: read it here) */
    const khum_tally *t;        /* for party indices only: shared, read-only */
    int64_t *sums;              /* per commune: SUM_FIELDS figures, then the votes */
    size_t *row_at;             /* per station: 1 + offset of its tallied row, 0 none */
    khum_tally_csv_report rep;
    khum_code rc;               /* a failure that stops the whole file */
    khum_err err;
} piece;

/* Line breaks as the CSV reader counts them: LF, CR and CRLF are one each. */
static long count_lines(const char *p, size_t n)
{
    long lines = 0;
    if (!memchr(p, '\r', n)) {
        for (size_t i = 0; i < n; i++)  /* the common case, in a loop compilers vectorise */
            lines += p[i] == '\n';
        return lines;
    }
    for (size_t i = 0; i < n; i++)
        lines += p[i] == '\n' || (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n'));
    return lines;
}

static khum_csv *piece_reader(const char *name, const char *data, size_t from, size_t to,
                              long first_line, const khum_csv *head, khum_err *err)
{
    khum_csv *c = khum_csv_open_mem(name, data + from, to - from);
    if (!c) {
        khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        return NULL;
    }
    if (head) {
        khum_csv_first_line(c, first_line);
        if (khum_csv_use_header(c, head, err)) {
            khum_csv_close(c);
            return NULL;
        }
    }
    return c;
}

static void keep(piece *p, const khum_err *e)
{
    if (khum_diags_add(&p->rep.rejected, e) && !p->rc)
        p->rc = khum_err_set(&p->err, KHUM_ERR_NOMEM, "", "out of memory");
}

static void reject(piece *p, const char *rule, const char *field, long line, const char *station,
                   const char *what)
{
    khum_err e;
    khum_err_clear(&e);
    khum_err_set(&e, KHUM_ERR_INPUT, rule, "station %s: %s", station, what);
    khum_err_at(&e, p->name, line, 0, field);
    keep(p, &e);
}

/* Add a form to its commune's row of the piece's sums (sign -1: take it back). */
static void sum_form(piece *p, const khum_form *f, const khum_station *st, int64_t sign)
{
    int64_t *row = p->sums + st->commune_index * (SUM_FIELDS + p->t->nparties);
    const int64_t fig[SUM_FIELDS] = {f->registered, f->received, f->cast, f->spoiled,
                                     f->unused, f->valid, f->invalid, f->blank, 1};
    for (size_t i = 0; i < SUM_FIELDS; i++)
        row[i] += sign * fig[i];
    for (size_t k = 0; k < f->n; k++) {
        int party = khum_tally_party_of(p->t, f->party[k]);
        if (party >= 0)
            row[SUM_FIELDS + (size_t)party] += sign * f->votes[k];
    }
}

/* One row read and checked: tally it, or say why not. */
static void take_row(piece *p, khum_form_reader *r, const khum_form *f, size_t at)
{
    long line = khum_form_reader_line(r);
    khum_checks c;
    khum_form_check(p->e, f, &c);
    if (c.errors) {
        for (size_t i = 0; i < c.n; i++)
            if (c.items[i].severity == KHUM_CHECK_ERROR)
                reject(p, c.items[i].code, c.items[i].fields, line, f->station, c.items[i].msg);
        return;
    }
    const khum_station *st = khum_form_station(p->e, f);
    size_t s = (size_t)(st - p->e->stations);
    if (p->row_at[s]) {
        reject(p, "F.112", "station", line, f->station, DUPLICATE);
        return;
    }
    p->row_at[s] = at + 1;
    p->rep.forms++;
    p->rep.warnings += c.warnings > 0;
    sum_form(p, f, st, 1);
}

static void *read_piece(void *arg)
{
    piece *p = arg;
    khum_arena a;
    khum_arena_init(&a, 0);
    /* calloc: large blocks come zeroed from the kernel, touched only where used */
    p->row_at = calloc(p->e->nstations + 1, sizeof *p->row_at);
    p->sums = calloc(p->e->ncommunes * (SUM_FIELDS + p->t->nparties) + 1, sizeof *p->sums);
    if (!p->row_at || !p->sums) {
        p->rc = khum_err_set(&p->err, KHUM_ERR_NOMEM, "", "out of memory");
        return NULL;
    }
    khum_csv *c = piece_reader(p->name, p->data, p->from, p->to, p->first_line, p->head,
                               &p->err);
    khum_form_reader *r;
    if (!c || khum_form_reader_open(c, p->e, &a, &r, &p->err)) {
        p->rc = p->err.code ? p->err.code : KHUM_ERR_NOMEM;
        goto out;
    }
    while (!p->rc) {
        size_t at = p->from + khum_csv_offset(c);
        khum_form f;
        const char *expl;
        khum_err e;
        int got = khum_form_reader_view(r, &f, &expl, &e);
        if (got == 0)
            break;
        p->rep.rows++;
        if (got > 0)
            take_row(p, r, &f, at);
        else if (e.code == KHUM_ERR_INPUT && strncmp(e.rule, "CSV", 3) != 0)
            keep(p, &e);  /* F.110: this row only */
        else
            p->err = e, p->rc = e.code;  /* the file cannot be read on */
    }
out:
    khum_csv_close(c);
    khum_arena_free(&a);
    return NULL;
}

/* Where to cut: after a line end near each n-th of the records. */
static size_t cut_pieces(const char *data, size_t len, size_t body, unsigned want,
                         size_t *cuts)
{
    size_t n = 0;
    cuts[n++] = body;
    for (unsigned k = 1; k < want; k++) {
        size_t at = body + (len - body) / want * k;
        const char *nl = memchr(data + at, '\n', len - at);
        size_t cut = nl ? (size_t)(nl - data) + 1 : len;
        if (cut < len && cut > cuts[n - 1])
            cuts[n++] = cut;
    }
    cuts[n] = len;
    return n;
}

/* A station tallied in an earlier piece too: read this piece's row again,
 * take it back, and list it as a second row of the station. */
static khum_code take_back(piece *p, size_t s, khum_err *err)
{
    size_t at = p->row_at[s] - 1;
    long line = 1 + count_lines(p->data, at);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_csv *c = piece_reader(p->name, p->data, at, p->to, line, p->head, err);
    khum_form_reader *r;
    khum_form f;
    const char *expl;
    khum_code rc = KHUM_ERR_INTERNAL;
    khum_err_set(err, rc, "", "reading line %ld of %s again gave another row", line, p->name);
    if (c && !khum_form_reader_open(c, p->e, &a, &r, err) &&
        khum_form_reader_view(r, &f, &expl, err) > 0 &&
        f.st == &p->e->stations[s]) {
        sum_form(p, &f, f.st, -1);
        rc = KHUM_OK;
        p->rep.forms--;
        khum_checks ck;
        khum_form_check(p->e, &f, &ck);
        p->rep.warnings -= ck.warnings > 0;
        reject(p, "F.112", "station", khum_form_reader_line(r), f.station, DUPLICATE);
        p->row_at[s] = 0;
    }
    khum_csv_close(c);
    khum_arena_free(&a);
    return rc;
}

/* Every rejection of every piece, by line (a piece's own are in order). */
static khum_code gather_rejected(piece *ps, size_t n, khum_diags *out)
{
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < ps[k].rep.rejected.n; i++) {
            const khum_err *e = &ps[k].rep.rejected.items[i];
            if (khum_diags_add(out, e))
                return KHUM_ERR_NOMEM;
            /* a taken-back row comes after its piece's own: move it into place */
            for (size_t j = out->n - 1; j > 0 && out->items[j - 1].line > e->line; j--) {
                khum_err tmp = out->items[j];
                out->items[j] = out->items[j - 1];
                out->items[j - 1] = tmp;
            }
        }
    return KHUM_OK;
}

static void add_sums(const khum_tally *t, const int64_t *sums, size_t width)
{
    for (size_t i = 0; i < t->ncommunes; i++) {
        const int64_t *row = sums + i * width;
        khum_tally_area *a = &t->communes[i].area;
        int64_t *fig[SUM_FIELDS] = {&a->registered, &a->received, &a->cast, &a->spoiled,
                                    &a->unused, &a->valid, &a->invalid, &a->blank,
                                    &a->stations_reported};
        for (size_t k = 0; k < SUM_FIELDS; k++)
            *fig[k] += row[k];
        for (size_t k = 0; k < t->nparties; k++)
            a->votes[k] += row[SUM_FIELDS + k];
    }
}

static khum_code merge_pieces(const khum_election *e, piece *ps, size_t n,
                              khum_tally_csv_report *rep, khum_err *err)
{
    for (size_t k = 0; k < n; k++)
        if (ps[k].rc) {
            *err = ps[k].err;  /* the first piece's failure is the first in the file */
            return ps[k].rc;
        }
    for (size_t k = 1; k < n; k++)
        for (size_t s = 0; s < e->nstations; s++) {
            if (!ps[k].row_at[s])
                continue;
            for (size_t j = 0; j < k; j++)
                if (ps[j].row_at[s]) {
                    khum_code rc = take_back(&ps[k], s, err);
                    if (rc)
                        return rc;
                    break;
                }
        }
    size_t width = SUM_FIELDS + ps[0].t->nparties;
    for (size_t k = 0; k < n; k++) {
        add_sums(ps[0].t, ps[k].sums, width);
        rep->rows += ps[k].rep.rows;
        rep->forms += ps[k].rep.forms;
        rep->warnings += ps[k].rep.warnings;
    }
    rep->pieces = n;
    if (gather_rejected(ps, n, &rep->rejected))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    return KHUM_OK;
}

static size_t plan_pieces(const khum_election *e, const khum_tally *t, const char *name,
                          const char *data, size_t len, unsigned threads, const khum_csv *head,
                          piece *ps)
{
    size_t cuts[MAX_PIECES + 1];
    size_t body = khum_csv_offset(head);
    bool cut = threads > 1 && len - body >= 2 * MIN_PIECE && !memchr(data, '"', len);
    unsigned want = cut ? threads : 1;
    if (want > MAX_PIECES)
        want = MAX_PIECES;
    if (want > (len - body) / MIN_PIECE)
        want = (unsigned)((len - body) / MIN_PIECE);
    size_t n = cut_pieces(data, len, body, want ? want : 1, cuts);
    cuts[0] = 0;  /* the first piece reads the header too */
    long line = 1;
    for (size_t k = 0; k < n; k++) {
        piece *p = &ps[k];
        *p = (piece){.e = e, .name = name, .data = data, .from = cuts[k], .to = cuts[k + 1],
                     .first_line = line, .head = k ? head : NULL, .t = t};
        if (k + 1 < n)
            line += count_lines(data + cuts[k], cuts[k + 1] - cuts[k]);
    }
    return n;
}

khum_code khum_tally_csv(const khum_election *e, const char *name, const char *data,
                         size_t len, unsigned threads, const khum_commune_lots *lots,
                         size_t nlots, khum_tally *t, khum_tally_csv_report *rep,
                         khum_err *err)
{
    memset(t, 0, sizeof *t);
    memset(rep, 0, sizeof *rep);
    khum_csv *head = khum_csv_open_mem(name, data, len);
    if (!head)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    khum_code rc = khum_csv_read_header(head, err);
    if (!rc)
        rc = tally_begin_parties(e, t, err);
    piece ps[MAX_PIECES];
    size_t n = 0;
    if (!rc)
        n = plan_pieces(e, t, name, data, len, threads, head, ps);
    pthread_t tid[MAX_PIECES];
    bool running[MAX_PIECES] = {false};
    for (size_t k = 1; k < n && !rc; k++)
        running[k] = pthread_create(&tid[k], NULL, read_piece, &ps[k]) == 0;
    if (!rc)  /* while the other pieces are read */
        rc = tally_begin_communes(e, t, err);
    if (n && !rc)
        read_piece(&ps[0]);
    for (size_t k = 1; k < n; k++) {
        if (running[k])
            pthread_join(tid[k], NULL);
        else if (!rc)
            read_piece(&ps[k]);  /* no thread to be had: read it here */
    }
    if (!rc)
        rc = merge_pieces(e, ps, n, rep, err);
    if (!rc)
        rc = khum_tally_end(t, e, lots, nlots, err);
    for (size_t k = 0; k < n; k++) {
        free(ps[k].sums);
        free(ps[k].row_at);
        khum_diags_free(&ps[k].rep.rejected);
    }
    khum_csv_close(head);
    return rc;
}

void khum_tally_csv_report_free(khum_tally_csv_report *rep)
{
    khum_diags_free(&rep->rejected);
}
