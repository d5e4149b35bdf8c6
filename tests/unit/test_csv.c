/*
 * test_csv.c: the RFC 4180 reader and the writer: quoting, embedded line
 * breaks and quotes, CRLF, BOM, header lookup, and every syntax error with
 * the exact line and column it names.
 */
#include "testutil.h"

static void expect_record(khum_csv *c, size_t n, const char *const *want)
{
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_csv_next(c, &err), 1);
    assert_int_equal(khum_csv_count(c), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(khum_csv_get(c, i), want[i]);
}

static void expect_error(const char *text, const char *rule, long line, long col)
{
    khum_csv *c = csv_str(text);
    khum_err err;
    khum_err_clear(&err);
    int r;
    while ((r = khum_csv_next(c, &err)) > 0)
        ;
    assert_int_equal(r, -1);
    assert_string_equal(err.rule, rule);
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
    assert_string_equal(err.file, "t.csv");
    khum_csv_close(c);
}

static void test_plain_and_quoted(void **state)
{
    (void)state;
    khum_csv *c = csv_str("a,b,c\n1,\"x,y\",\"say \"\"hi\"\"\"\n,,\n");
    expect_record(c, 3, (const char *[]){"a", "b", "c"});
    expect_record(c, 3, (const char *[]){"1", "x,y", "say \"hi\""});
    expect_record(c, 3, (const char *[]){"", "", ""});
    khum_err err;
    assert_int_equal(khum_csv_next(c, &err), 0);
    khum_csv_close(c);
}

static void test_embedded_newlines_and_crlf(void **state)
{
    (void)state;
    khum_csv *c = csv_str("a,b\r\n\"line1\r\nline2\",z\r\nlast,row");
    expect_record(c, 2, (const char *[]){"a", "b"});
    expect_record(c, 2, (const char *[]){"line1\r\nline2", "z"});
    assert_int_equal(khum_csv_line(c), 2);
    expect_record(c, 2, (const char *[]){"last", "row"});
    assert_int_equal(khum_csv_line(c), 4);  /* the quoted field spanned line 3 */
    khum_csv_close(c);
}

static void test_bom_and_blank_lines(void **state)
{
    (void)state;
    khum_csv *c = csv_str("\xEF\xBB\xBFname,votes\n\n\nA,1\n\n");
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_csv_read_header(c, &err), KHUM_OK);
    assert_int_equal(khum_csv_col(c, "name"), 0);  /* the BOM is not part of the name */
    expect_record(c, 2, (const char *[]){"A", "1"});
    assert_int_equal(khum_csv_line(c), 4);
    assert_int_equal(khum_csv_next(c, &err), 0);
    khum_csv_close(c);
}

static void test_header_lookup(void **state)
{
    (void)state;
    khum_csv *c = csv_str(" Votes ,extra,PARTY\n10,x,A\n");
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_csv_read_header(c, &err), KHUM_OK);
    assert_int_equal(khum_csv_col(c, "party"), 2);
    assert_int_equal(khum_csv_col(c, "votes"), 0);
    assert_int_equal(khum_csv_col(c, "district"), -1);
    assert_int_equal(khum_csv_col(c, "commune|party"), 2);  /* aliases */
    int ix[2];
    static const char *const need[] = {"party", "votes"};
    assert_int_equal(khum_csv_require(c, need, ix, 2, &err), KHUM_OK);
    assert_int_equal(ix[0], 2);
    assert_int_equal(ix[1], 0);
    static const char *const missing[] = {"party", "seats"};
    assert_int_equal(khum_csv_require(c, missing, ix, 2, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "CSV.106");
    assert_non_null(strstr(err.msg, "'seats'"));
    assert_non_null(strstr(err.msg, "PARTY"));
    khum_csv_close(c);
}

static void test_errors_have_positions(void **state)
{
    (void)state;
    expect_error("a,b\n1,\"open\n", "CSV.101", 2, 3);
    expect_error("a,b\n1,x\"y\n", "CSV.102", 2, 4);
    expect_error("a,b\n1,\"x\"y\n", "CSV.102", 2, 6);
    /* Invalid UTF-8 after two Khmer characters: column counts characters. */
    expect_error("a,b\n1,\xE1\x9E\x80\xE1\x9E\x81\xFF\n", "CSV.103", 2, 5);
    expect_error("a,b\n1,\xE1\x9E\n", "CSV.103", 2, 3);          /* truncated sequence */
    expect_error("a,b\n1,\xC0\xAF\n", "CSV.103", 2, 3);          /* overlong '/' */
    expect_error("a,b\n1,\xED\xA0\x80\n", "CSV.103", 2, 3);      /* surrogate */
    expect_error("a\n\xE1\x9E", "CSV.103", 2, 1);                /* truncated at EOF */
}

static void test_nul_byte(void **state)
{
    (void)state;
    static const char text[] = "a,b\n1,x\0y\n";
    khum_csv *c = khum_csv_open_mem("t.csv", text, sizeof text - 1);
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_csv_next(c, &err), 1);
    assert_int_equal(khum_csv_next(c, &err), -1);
    assert_string_equal(err.rule, "CSV.111");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 4);
    khum_csv_close(c);
}

static void test_field_count_and_header_errors(void **state)
{
    (void)state;
    khum_csv *c = csv_str("a,b\n1,2\n3\n");
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_csv_read_header(c, &err), KHUM_OK);
    assert_int_equal(khum_csv_next(c, &err), 1);
    assert_int_equal(khum_csv_next(c, &err), -1);
    assert_string_equal(err.rule, "CSV.104");
    assert_int_equal(err.line, 3);
    khum_csv_close(c);

    c = csv_str("a,b,A\n");
    assert_int_equal(khum_csv_read_header(c, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "CSV.105");
    assert_int_equal(err.col, 5);
    khum_csv_close(c);

    c = csv_str("");
    assert_int_equal(khum_csv_read_header(c, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "CSV.109");
    khum_csv_close(c);
}

static void test_error_names_column(void **state)
{
    (void)state;
    khum_csv *c = csv_str("party,votes\nA,\"12\n");
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_csv_read_header(c, &err), KHUM_OK);
    assert_int_equal(khum_csv_next(c, &err), -1);
    assert_string_equal(err.field, "votes");
    char msg[512];
    khum_err_format(&err, msg, sizeof msg);
    assert_string_equal(msg, "t.csv:2:3: quoted field is not closed before the end of the "
                             "file (column 'votes') [CSV.101]");
    khum_csv_close(c);
}

/* A stream longer than the reader's 64 KiB buffer, with a 3-byte character
 * split across the buffer boundary, reads as if it were one piece. */
static void test_stream_chunk_boundary(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs("name,value\n", f);
    size_t written = 11;
    long rows = 0;
    while (written < 65536 - 8) {
        fputs("x,1\n", f);
        written += 4;
        rows++;
    }
    while (written < 65535) {  /* pad so the Khmer letter straddles byte 65536 */
        fputc('y', f);
        written++;
    }
    fputs(",\xE1\x9E\x80\n", f);
    rewind(f);
    khum_csv *c = khum_csv_open_stream("big.csv", f);
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_csv_read_header(c, &err), KHUM_OK);
    long n = 0;
    int r;
    char last[8] = "";
    while ((r = khum_csv_next(c, &err)) > 0) {
        n++;
        snprintf(last, sizeof last, "%s", khum_csv_get(c, 1));
    }
    assert_int_equal(r, 0);
    assert_int_equal(n, rows + 1);
    assert_string_equal(last, "\xE1\x9E\x80");
    khum_csv_close(c);
    fclose(f);
}

static void test_writer_round_trip(void **state)
{
    (void)state;
    khum_buf b;
    khum_buf_init(&b);
    const char *row[] = {"plain", "with,comma", "say \"hi\"", "two\nlines", "", "ក"};
    assert_true(khum_csv_put_row(&b, row, 6));
    assert_string_equal(b.data,
                        "plain,\"with,comma\",\"say \"\"hi\"\"\",\"two\nlines\",,ក\n");
    khum_csv *c = khum_csv_open_mem("w.csv", b.data, b.len);
    expect_record(c, 6, row);
    khum_csv_close(c);
    khum_buf_free(&b);
}

/* Found by fuzz_csv: a first field starting with U+FEFF must be quoted, or
 * reading the output back would take it for a byte-order mark. */
static void test_writer_quotes_leading_bom(void **state)
{
    (void)state;
    khum_buf b;
    khum_buf_init(&b);
    const char *row[] = {"\xEF\xBB\xBFx", ""};
    assert_true(khum_csv_put_row(&b, row, 2));
    assert_string_equal(b.data, "\"\xEF\xBB\xBFx\",\n");
    khum_csv *c = khum_csv_open_mem("w.csv", b.data, b.len);
    expect_record(c, 2, row);
    khum_csv_close(c);
    khum_buf_free(&b);
}

/* The whole-line fast path against a plain splitter: random lines of plain
 * bytes, commas and (now and then) a byte it must leave to the state machine
 * (quote, CR, DEL, UTF-8), long and short, so that commas fall on every
 * position of its 8-byte lanes and 64-byte words. Fields, lines and columns
 * must be what the state machine would give. */
static void test_fast_path_against_plain_split(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789abcXYZ -_.;:\t,,,,,";
    uint32_t seed = 12345;
    for (int round = 0; round < 400; round++) {
        khum_buf text;
        khum_buf_init(&text);
        int lines = 1 + round % 5;
        for (int l = 0; l < lines; l++) {
            seed = seed * 1103515245u + 12345u;
            size_t len = 1 + (seed >> 8) % (round < 200 ? 40 : 300);
            for (size_t i = 0; i < len; i++) {
                seed = seed * 1103515245u + 12345u;
                char ch = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
                khum_buf_putc(&text, ch);
            }
            if (round % 7 == 3 && l == lines / 2)
                khum_buf_puts(&text, round % 2 ? "\x7f" : "\xc3\xa9");  /* slow path */
            khum_buf_putc(&text, '\n');
        }
        khum_csv *c = khum_csv_open_mem("p.csv", text.data, text.len);
        const char *line = text.data;
        khum_err err;
        for (int l = 1; l <= lines; l++) {
            assert_int_equal(khum_csv_next(c, &err), 1);
            assert_int_equal(khum_csv_line(c), l);
            const char *end = strchr(line, '\n');
            const char *f = line;
            size_t k = 0;
            for (;;) {
                const char *comma = memchr(f, ',', (size_t)(end - f));
                const char *fe = comma ? comma : end;
                assert_true(k < khum_csv_count(c));
                assert_int_equal(khum_csv_len(c, k), fe - f);
                assert_memory_equal(khum_csv_get(c, k), f, (size_t)(fe - f));
                assert_int_equal(khum_csv_get(c, k)[fe - f], '\0');
                assert_int_equal(khum_csv_field_line(c, k), l);
                if (!strchr(line, '\x7f') && !strchr(line, '\xc3'))
                    assert_int_equal(khum_csv_field_col(c, k), f - line + 1);
                k++;
                if (!comma)
                    break;
                f = comma + 1;
            }
            assert_int_equal(khum_csv_count(c), k);
            line = end + 1;
        }
        assert_int_equal(khum_csv_next(c, &err), 0);
        khum_csv_close(c);
        khum_buf_free(&text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_quoted),
        cmocka_unit_test(test_embedded_newlines_and_crlf),
        cmocka_unit_test(test_bom_and_blank_lines),
        cmocka_unit_test(test_header_lookup),
        cmocka_unit_test(test_errors_have_positions),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_field_count_and_header_errors),
        cmocka_unit_test(test_error_names_column),
        cmocka_unit_test(test_stream_chunk_boundary),
        cmocka_unit_test(test_writer_round_trip),
        cmocka_unit_test(test_writer_quotes_leading_bom),
        cmocka_unit_test(test_fast_path_against_plain_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
