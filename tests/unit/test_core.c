/*
 * test_core.c: UTF-8 validation, escaping and Latin case folding, the audit
 * hash layouts, the strict number, fraction and date parsers, the arena,
 * error formatting and core's SHA-256.
 */
#include "testutil.h"

#include "khum/arena.h"
#include "khum/array.h"
#include "khum/audit.h"
#include "khum/err.h"
#include "khum/hash.h"
#include "khum/json.h"
#include "khum/str.h"

static void test_utf8_validate(void **state)
{
    (void)state;
    const char *ok = "Kâmpóng ចាម";
    assert_true(khum_utf8_valid(ok, strlen(ok)));
    assert_int_equal(khum_utf8_length(ok, strlen(ok)), 11);
    assert_int_equal(khum_utf8_check("ab\xC0\xAF", 4), 2);      /* overlong */
    assert_int_equal(khum_utf8_check("\xED\xA0\x80", 3), 0);    /* surrogate */
    assert_int_equal(khum_utf8_check("x\xF4\x90\x80\x80", 5), 1); /* > U+10FFFF */
    assert_int_equal(khum_utf8_check("\xE1\x9E", 2), 0);        /* truncated */
    assert_int_equal(khum_utf8_check("\x80", 1), 0);            /* lone continuation */
}

/* Invalid bytes become \xHH, valid text (Khmer too) passes unchanged, and
 * the JSON string of such bytes exists instead of being NULL. */
static void test_utf8_escape(void **state)
{
    (void)state;
    khum_buf b;
    khum_buf_init(&b);
    const char *km = "\xE1\x9E\x80\xE1\x9E\x98";
    assert_true(khum_utf8_escape(&b, km, strlen(km)));
    assert_string_equal(b.data, km);
    khum_buf_reset(&b);
    assert_true(khum_utf8_escape(&b, "01\xFF\xFE-\xE1\x9E", 7));
    assert_string_equal(b.data, "01\\xFF\\xFE-\\xE1\\x9E");
    khum_buf_free(&b);
    json_t *j = khum_json_string("a\xC0\xAF" "b");
    assert_non_null(j);
    assert_string_equal(json_string_value(j), "a\\xC0\\xAFb");
    json_decref(j);
}

/* The audit layouts of docs/server.md, pinned by hashes computed apart
 * (Python's hashlib): an event without rows hashes as before schema 6, so
 * existing logs still verify; rows add a tenth field. */
static void test_audit_layouts(void **state)
{
    (void)state;
    khum_audit_event ev = {.id = 1, .at = "2026-11-21T05:00:00.123Z", .actor = "ann",
                           .type = "form.enter", .object = "kh-2022/010201-01",
                           .area = "010201-01", .before = "", .after = "{\"state\":\"accepted\"}",
                           .prev = KHUM_AUDIT_GENESIS};
    char h[KHUM_SHA256_HEX];
    khum_audit_hash(&ev, h);
    assert_string_equal(h, "e057ca970a8d1159567ff63f67c8ae9cb52cadae8e212393752c39103a7a9bd7");
    ev.rows = "";
    khum_audit_hash(&ev, h);
    assert_string_equal(h, "e057ca970a8d1159567ff63f67c8ae9cb52cadae8e212393752c39103a7a9bd7");

    const char *cols[] = {"kh-2022", "01", "valid", "140"};
    khum_audit_row_digest("official_total", cols, 4, h);
    assert_string_equal(h, "1f5cba3aab30b0ec1321ba69d57dee465c165dc289d92d4f1273844269a6bdcc");

    char a64[65];
    memset(a64, 'a', 64);
    a64[64] = 0;
    khum_audit_rows acc;
    khum_audit_rows_init(&acc);
    khum_audit_rows_add(&acc, "official_total", "kh-2022/01/valid", a64);
    char rows[KHUM_SHA256_HEX];
    khum_audit_rows_final(&acc, rows);
    assert_string_equal(rows, "7e728fa4c6721f752a5b7cf5da97edc37b7454c7d7eb915a3a7657cc4e257b70");
    ev.rows = rows;
    khum_audit_hash(&ev, h);
    assert_string_equal(h, "f98c67a0cd7bb5dd6b4dfea5f3db294a41bc7f49f5b71221bef1b5ee0bc111fa");
}

static void test_fold_latin(void **state)
{
    (void)state;
    khum_buf b;
    khum_buf_init(&b);
    const char *s = "KÂMPÓNG Cham ŎTDÂR ចាម";
    assert_true(khum_utf8_fold_latin(&b, s, strlen(s)));
    assert_string_equal(b.data, "kâmpóng cham ŏtdâr ចាម");
    khum_buf_free(&b);
    assert_int_equal(khum_utf8_casecmp_latin("Svay Rieng", "SVAY RIENG"), 0);
    assert_int_equal(khum_utf8_casecmp_latin("Bântéay", "BÂNTÉAY"), 0);
    assert_true(khum_utf8_casecmp_latin("a", "b") < 0);
    assert_true(khum_utf8_casecmp_latin("ab", "a") > 0);
}

static void test_latin_digits(void **state)
{
    (void)state;
    char out[16];
    assert_true(khum_utf8_latin_digits("១២៣", out, sizeof out));
    assert_string_equal(out, "123");
    assert_true(khum_utf8_latin_digits("៩0០9", out, sizeof out));   /* mixed */
    assert_string_equal(out, "9009");
    assert_true(khum_utf8_latin_digits("ក១", out, sizeof out));     /* a letter stays */
    assert_string_equal(out, "ក1");
    int64_t v;
    assert_false(khum_parse_i64(out, &v));
    assert_false(khum_utf8_latin_digits("១២៣៤៥៦៧៨៩០១២៣៤៥៦", out, sizeof out));  /* 16 > 15 */
    assert_true(khum_utf8_latin_digits("", out, sizeof out));
    assert_string_equal(out, "");
    /* and back, as printed protocols show numbers in Khmer */
    assert_true(khum_utf8_khmer_digits("1,230", out, sizeof out));
    assert_string_equal(out, "១,២៣០");
    assert_false(khum_utf8_khmer_digits("123456", out, sizeof out));  /* 18 bytes > 15 */
    assert_true(khum_utf8_latin_digits("១,២៣០", out, sizeof out));
    assert_string_equal(out, "1,230");
}

static void test_parse_numbers(void **state)
{
    (void)state;
    int64_t v;
    assert_true(khum_parse_i64("9223372036854775807", &v));
    assert_true(v == INT64_MAX);
    assert_false(khum_parse_i64("9223372036854775808", &v));
    assert_true(khum_parse_i64("-9223372036854775808", &v));
    assert_false(khum_parse_i64("12abc", &v));
    assert_false(khum_parse_i64(" 7", &v));
    assert_false(khum_parse_i64("", &v));
    assert_false(khum_parse_i64("1e3", &v));
    assert_false(khum_parse_i64("+5", &v));
    long l;
    assert_true(khum_parse_int_range("11", 1, 11, &l));
    assert_false(khum_parse_int_range("12", 1, 11, &l));
    int64_t n, d;
    assert_true(khum_parse_fraction("1.4", &n, &d));
    assert_true(n == 14 && d == 10);
    assert_true(khum_parse_fraction("50", &n, &d));
    assert_true(n == 50 && d == 1);
    assert_false(khum_parse_fraction("0", &n, &d));
    assert_false(khum_parse_fraction("1.2.3", &n, &d));
    assert_false(khum_parse_fraction("-1", &n, &d));
    assert_false(khum_parse_fraction(".", &n, &d));
    double x;
    assert_true(khum_parse_double("105.4312978", &x));
    assert_false(khum_parse_double("nan", &x));
    assert_false(khum_parse_double("1.5x", &x));
}

static void test_parse_date(void **state)
{
    (void)state;
    int y, m, d;
    assert_true(khum_parse_date("2017-11-16", &y, &m, &d));
    assert_true(y == 2017 && m == 11 && d == 16);
    assert_true(khum_parse_date("2024-02-29", &y, &m, &d));
    assert_false(khum_parse_date("2023-02-29", &y, &m, &d));
    assert_false(khum_parse_date("1900-02-29", &y, &m, &d));
    assert_false(khum_parse_date("2017-13-01", &y, &m, &d));
    assert_false(khum_parse_date("2017-1-01", &y, &m, &d));
    assert_false(khum_parse_date("16/11/2017", &y, &m, &d));
}

static void test_arena(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 256);
    for (int i = 0; i < 100; i++) {
        void *p = khum_arena_alloc(&a, (size_t)i + 1);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, 0xAB, (size_t)i + 1);
    }
    char *big = khum_arena_alloc(&a, 10000);  /* larger than a block */
    assert_non_null(big);
    memset(big, 1, 10000);
    char *s = khum_arena_printf(&a, "%s-%d", "x", 42);
    assert_string_equal(s, "x-42");
    assert_string_equal(khum_arena_strndup(&a, "abcdef", 3), "abc");
    int *z = khum_arena_calloc(&a, 10, sizeof *z);
    for (int i = 0; i < 10; i++)
        assert_int_equal(z[i], 0);
    assert_null(khum_arena_calloc(&a, SIZE_MAX / 2, 4));  /* overflow refused */
    khum_arena_free(&a);
    assert_null(a.head);
}

static void test_err_format(void **state)
{
    (void)state;
    khum_err e;
    khum_err_clear(&e);
    assert_int_equal(khum_err_set(&e, KHUM_ERR_INPUT, "GEO.201", "bad %s", "code"),
                     KHUM_ERR_INPUT);
    khum_err_at(&e, "a.csv", 3, 7, "code");
    char msg[256];
    khum_err_format(&e, msg, sizeof msg);
    assert_string_equal(msg, "a.csv:3:7: bad code (column 'code') [GEO.201]");
    khum_err_at(&e, NULL, 0, 0, "votes");
    khum_err_format(&e, msg, sizeof msg);
    assert_string_equal(msg, "a.csv: bad code (column 'votes') [GEO.201]");
    char tiny[8];
    khum_err_format(&e, tiny, sizeof tiny);  /* truncates, never overflows */
    assert_int_equal(strlen(tiny), 7);
}

static void test_arena_limit(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 256);
    khum_arena_set_limit(&a, 64);
    assert_non_null(khum_arena_alloc(&a, 48));
    assert_null(khum_arena_alloc(&a, 32));       /* 48 + 32 > 64 */
    assert_non_null(khum_arena_alloc(&a, 16));   /* exactly to the limit */
    assert_null(khum_arena_strdup(&a, "x"));
    khum_arena_free(&a);
}

static void test_array(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_array v;
    khum_array_init(&v, sizeof(int64_t), &a);
    for (int64_t i = 0; i < 1000; i++) {
        int64_t *x = khum_array_push(&v);
        assert_non_null(x);
        assert_int_equal(*x, 0);                 /* zeroed */
        *x = i * i;
    }
    assert_int_equal(v.n, 1000);
    for (int64_t i = 0; i < 1000; i++)
        assert_int_equal(((int64_t *)v.items)[i], i * i);
    /* out of memory: NULL, and what was there stays */
    khum_arena_set_limit(&a, a.used_total);
    size_t n = v.n, cap = v.cap;
    while (v.n < cap)
        assert_non_null(khum_array_push(&v));
    assert_null(khum_array_push(&v));
    assert_int_equal(v.cap, cap);
    assert_int_equal(((int64_t *)v.items)[n - 1], (int64_t)(n - 1) * (int64_t)(n - 1));
    khum_arena_free(&a);

    khum_array h;                                /* on the heap */
    khum_array_init(&h, 3, NULL);
    for (int i = 0; i < 100; i++)
        memcpy(khum_array_push(&h), "abc", 3);
    assert_memory_equal((char *)h.items + 297, "abc", 3);
    khum_array_free(&h);
    assert_null(h.items);
    size_t c = 0;
    assert_null(khum_grow(NULL, SIZE_MAX / 2 + 1, &c, 1, NULL));  /* overflow refused */
}

static void test_sha256_vectors(void **state)
{
    (void)state;
    char hex[KHUM_SHA256_HEX];
    khum_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    khum_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 56 bytes */
    khum_sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* a million 'a' fed in uneven pieces crosses every block boundary case */
    char a[1024];
    memset(a, 'a', sizeof a);
    khum_sha256 st;
    khum_sha256_init(&st);
    size_t left = 1000000, step = 1;
    while (left > 0) {
        size_t n = step < left ? step : left;
        khum_sha256_update(&st, a, n);
        left -= n;
        step = step % 997 + 13;
    }
    khum_sha256_final_hex(&st, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_validate), cmocka_unit_test(test_utf8_escape), cmocka_unit_test(test_audit_layouts),
        cmocka_unit_test(test_fold_latin),
        cmocka_unit_test(test_latin_digits),
        cmocka_unit_test(test_parse_numbers), cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_arena),         cmocka_unit_test(test_err_format),
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_arena_limit), cmocka_unit_test(test_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
