/*
 * test_tally_csv.c: tabulating a results file in memory (khum_tally_csv):
 * the same answer as reading every form and khum_tally_run, for one piece
 * or many; a second row of a station left out (F.112) whether it lies in
 * the same piece or a later one; rejected rows listed by their line; a file
 * with a quote read in one piece; a broken record named by its line.
 */
#include "testutil.h"

#include "khum/count.h"
#include "khum/str.h"

enum { PROVINCES = 4, DISTRICTS = 5, COMMUNES = 10, STATIONS = 30 };

/* 200 communes of 30 stations: a file of about 270 KB, enough for pieces. */
static void make_election(khum_election *e)
{
    khum_buf b[4];
    for (int i = 0; i < 4; i++)
        khum_buf_init(&b[i]);
    khum_buf_puts(&b[0], "id,name,date,mandate,method\nt,Test,2022-06-05,5,cambodia\n");
    khum_buf_puts(&b[1], "commune,seats\n");
    khum_buf_puts(&b[2], "commune,party,ballot_no\n");
    khum_buf_puts(&b[3], "station,commune,registered\n");
    for (int p = 1; p <= PROVINCES; p++)
        for (int d = 1; d <= DISTRICTS; d++)
            for (int c = 1; c <= COMMUNES; c++) {
                char code[8];
                snprintf(code, sizeof code, "%02d%02d%02d", p, d, c);
                khum_buf_printf(&b[1], "%s,%d\n", code, c % 2 ? 5 : 7);
                khum_buf_printf(&b[2], "%s,CPP,1\n%s,CNRP,2\n%s,FCP,3\n", code, code, code);
                for (int s = 1; s <= STATIONS; s++)
                    khum_buf_printf(&b[3], "%s-%02d,%s,500\n", code, s, code);
            }
    khum_election_init(e);
    khum_csv *c[4];
    for (int i = 0; i < 4; i++)
        c[i] = khum_csv_open_mem("def.csv", b[i].data, b[i].len);
    khum_err err;
    assert_int_equal(khum_election_read(e, c[0], c[1], c[2], c[3], &err), KHUM_OK);
    for (int i = 0; i < 4; i++) {
        khum_csv_close(c[i]);
        khum_buf_free(&b[i]);
    }
}

static void result_row(khum_buf *b, const char *station, unsigned i, int cpp_extra)
{
    int64_t cast = 300 + (i * 7) % 150, invalid = 3 + i % 5, blank = i % 3;
    int64_t valid = cast - invalid - blank;
    int64_t cpp = valid / 2 + i % 13, cnrp = (valid - cpp) / 2, fcp = valid - cpp - cnrp;
    khum_buf_printf(b, "%s,500,%lld,%lld,2,20,%lld,%lld,%lld,%lld,%lld,%lld,\n", station,
                    (long long)(cast + 22), (long long)cast, (long long)valid,
                    (long long)blank, (long long)invalid, (long long)(cpp + cpp_extra), (long long)cnrp,
                    (long long)fcp);
}

static void make_results(const khum_election *e, khum_buf *b)
{
    khum_buf_init(b);
    khum_buf_puts(b, "station,registered,received,cast,spoiled,unused,valid,blank,invalid,CPP,"
                     "CNRP,FCP,explanation\n");
    for (size_t i = 0; i < e->nstations; i++)
        result_row(b, e->stations[i].code, (unsigned)i, 0);
}

/* The reference: every form read with khum_form_reader_next, then run. */
static void reference(const khum_election *e, const khum_buf *b, khum_tally *t)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_csv *c = khum_csv_open_mem("r.csv", b->data, b->len);
    khum_form_reader *r;
    khum_err err;
    assert_int_equal(khum_form_reader_open(c, e, &a, &r, &err), KHUM_OK);
    khum_form *forms = khum_arena_alloc(&a, (e->nstations + 1) * sizeof *forms);
    size_t n = 0;
    const char *x;
    while (khum_form_reader_next(r, &forms[n], &x, &err) > 0)
        n++;
    assert_int_equal(n, e->nstations);
    assert_int_equal(khum_tally_run(e, forms, n, NULL, 0, t, &err), KHUM_OK);
    khum_csv_close(c);
    khum_arena_free(&a);
}

/* An election, its results file and the reference tally of that file. */
typedef struct fixture {
    khum_election e;
    khum_buf b;
    khum_tally ref;
} fixture;

static void fx_open(fixture *x)
{
    make_election(&x->e);
    make_results(&x->e, &x->b);
    reference(&x->e, &x->b, &x->ref);
}

static void fx_close(fixture *x)
{
    khum_tally_free(&x->ref);
    khum_buf_free(&x->b);
    khum_election_free(&x->e);
}

static void assert_same_tally(const khum_tally *a, const khum_tally *b)
{
    assert_int_equal(a->nparties, b->nparties);
    assert_int_equal(a->ncommunes, b->ncommunes);
    for (size_t i = 0; i < a->ncommunes; i++) {
        const khum_tally_area *x = &a->communes[i].area, *y = &b->communes[i].area;
        assert_int_equal(x->registered, y->registered);
        assert_int_equal(x->cast, y->cast);
        assert_int_equal(x->invalid, y->invalid);
        assert_int_equal(x->blank, y->blank);
        assert_int_equal(x->stations_reported, y->stations_reported);
        for (size_t p = 0; p < a->nparties; p++) {
            assert_int_equal(x->votes[p], y->votes[p]);
            assert_int_equal(x->seats[p], y->seats[p]);
        }
    }
    assert_int_equal(a->nation.valid, b->nation.valid);
    assert_int_equal(a->nation.blank, b->nation.blank);
    assert_true(a->nation.blank > 0);  /* the fixture has blank ballots */
    assert_int_equal(a->nation.seats_total, b->nation.seats_total);
    assert_int_equal(a->nation.communes_allocated, b->nation.communes_allocated);
}

static void tally(const khum_election *e, const khum_buf *b, unsigned threads, khum_tally *t,
                  khum_tally_csv_report *rep)
{
    khum_err err;
    khum_code rc = khum_tally_csv(e, "r.csv", b->data, b->len, threads, NULL, 0, t, rep, &err);
    if (rc)
        fail_msg("khum_tally_csv: %s [%s] line %ld", err.msg, err.rule, err.line);
}

static void test_same_answer_in_any_number_of_pieces(void **state)
{
    (void)state;
    fixture x;
    fx_open(&x);
    assert_true(x.b.len > 3 * 64 * 1024);  /* room for three pieces at least */
    assert_int_equal(x.ref.nation.communes_allocated, PROVINCES * DISTRICTS * COMMUNES);
    unsigned threads[] = {1, 2, 3, 8};
    for (size_t k = 0; k < sizeof threads / sizeof *threads; k++) {
        khum_tally t;
        khum_tally_csv_report rep;
        tally(&x.e, &x.b, threads[k], &t, &rep);
        size_t body = x.b.len - (size_t)(strchr(x.b.data, '\n') + 1 - x.b.data);
        size_t most = body / (64 * 1024);  /* pieces are 64 KB at least */
        assert_int_equal(rep.pieces, threads[k] < most ? threads[k] : most);
        assert_int_equal(rep.rows, x.e.nstations);
        assert_int_equal(rep.forms, x.e.nstations);
        assert_int_equal(rep.rejected.n, 0);
        assert_same_tally(&t, &x.ref);
        khum_tally_free(&t);
        khum_tally_csv_report_free(&rep);
    }
    fx_close(&x);
}

static long line_of(const khum_buf *b, const char *station)
{
    const char *at = strstr(b->data, station);
    long line = 1;
    for (const char *p = b->data; p < at; p++)
        line += *p == '\n';
    return line;
}

static void test_second_rows_of_a_station_are_left_out(void **state)
{
    (void)state;
    fixture x;
    fx_open(&x);
    long last = line_of(&x.b, x.e.stations[x.e.nstations - 1].code);
    /* a station of the first piece again at the end (another piece), and a
     * station of the last piece again right after it (the same piece) */
    result_row(&x.b, x.e.stations[3].code, 77, 0);
    result_row(&x.b, x.e.stations[x.e.nstations - 2].code, 78, 0);
    for (unsigned threads = 1; threads <= 3; threads++) {
        khum_tally t;
        khum_tally_csv_report rep;
        tally(&x.e, &x.b, threads, &t, &rep);
        assert_int_equal(rep.rows, x.e.nstations + 2);
        assert_int_equal(rep.forms, x.e.nstations);
        assert_int_equal(rep.rejected.n, 2);
        assert_string_equal(rep.rejected.items[0].rule, "F.112");
        assert_int_equal(rep.rejected.items[0].line, last + 1);
        assert_string_equal(rep.rejected.items[1].rule, "F.112");
        assert_int_equal(rep.rejected.items[1].line, last + 2);
        assert_non_null(strstr(rep.rejected.items[0].msg, x.e.stations[3].code));
        assert_same_tally(&t, &x.ref);  /* the first rows count, the second ones do not */
        khum_tally_free(&t);
        khum_tally_csv_report_free(&rep);
    }
    fx_close(&x);
}

/* Replace the whole row of station with text. */
static void replace_row(khum_buf *b, const char *station, const char *text)
{
    char *at = strstr(b->data, station);
    char *end = strchr(at, '\n');
    khum_buf out;
    khum_buf_init(&out);
    khum_buf_append(&out, b->data, (size_t)(at - b->data));
    khum_buf_puts(&out, text);
    khum_buf_puts(&out, end);
    khum_buf_free(b);
    *b = out;
}

static void test_rejected_rows_by_line(void **state)
{
    (void)state;
    fixture x;
    fx_open(&x);
    const char *late = x.e.stations[x.e.nstations - 100].code, *early = x.e.stations[10].code;
    char row[200];
    snprintf(row, sizeof row, "%s,500,x,1,2,3,4,0,5,6,7,8,", late);  /* F.110 */
    replace_row(&x.b, late, row);
    snprintf(row, sizeof row, "%s,500,322,300,2,20,290,0,10,145,70,76,", early);  /* F.102 */
    replace_row(&x.b, early, row);
    long l_late = line_of(&x.b, late), l_early = line_of(&x.b, early);
    for (unsigned threads = 1; threads <= 2; threads++) {
        khum_tally t;
        khum_tally_csv_report rep;
        tally(&x.e, &x.b, threads, &t, &rep);
        assert_int_equal(rep.rows, x.e.nstations);
        assert_int_equal(rep.forms, x.e.nstations - 2);
        assert_int_equal(rep.rejected.n, 2);
        assert_string_equal(rep.rejected.items[0].rule, "F.102");
        assert_int_equal(rep.rejected.items[0].line, l_early);
        assert_string_equal(rep.rejected.items[1].rule, "F.110");
        assert_int_equal(rep.rejected.items[1].line, l_late);
        assert_string_equal(rep.rejected.items[1].field, "received");
        /* their communes wait for every station */
        assert_int_equal(t.nation.communes_allocated, PROVINCES * DISTRICTS * COMMUNES - 2);
        khum_tally_free(&t);
        khum_tally_csv_report_free(&rep);
    }
    fx_close(&x);
}

static void test_quotes_and_broken_records(void **state)
{
    (void)state;
    fixture x;
    fx_open(&x);
    /* an explanation in quotes: a line end might be inside one, so one piece */
    const char *st = x.e.stations[x.e.nstations / 2].code;
    char row[200];
    snprintf(row, sizeof row, "%s,500,322,300,2,20,290,0,10,145,70,75,\"a, b\"", st);
    khum_buf q;
    khum_buf_init(&q);
    khum_buf_append(&q, x.b.data, x.b.len);
    replace_row(&q, st, row);
    khum_tally t;
    khum_tally_csv_report rep;
    tally(&x.e, &q, 4, &t, &rep);
    assert_int_equal(rep.pieces, 1);
    assert_int_equal(rep.rejected.n, 0);
    khum_tally_free(&t);
    khum_tally_csv_report_free(&rep);
    /* a record with a field missing, late in the file: CSV.104 at its line */
    const char *late = x.e.stations[x.e.nstations - 50].code;
    snprintf(row, sizeof row, "%s,500,322,300,2,20,290,0,10,145,70,", late);
    replace_row(&x.b, late, row);
    for (unsigned threads = 1; threads <= 2; threads++) {
        khum_err err;
        assert_int_equal(khum_tally_csv(&x.e, "r.csv", x.b.data, x.b.len, threads, NULL, 0, &t, &rep,
                                        &err), KHUM_ERR_INPUT);
        assert_string_equal(err.rule, "CSV.104");
        assert_int_equal(err.line, line_of(&x.b, late));
        khum_tally_free(&t);
        khum_tally_csv_report_free(&rep);
    }
    khum_tally_free(&x.ref);
    khum_buf_free(&q);
    fx_close(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_answer_in_any_number_of_pieces),
        cmocka_unit_test(test_second_rows_of_a_station_are_left_out),
        cmocka_unit_test(test_rejected_rows_by_line),
        cmocka_unit_test(test_quotes_and_broken_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
