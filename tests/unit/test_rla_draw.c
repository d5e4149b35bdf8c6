/*
 * test_rla_draw.c: the audit's seed, ballot manifest and draw
 * (khum/rla_draw.h). The draws are pinned by values computed apart with
 * Python's hashlib from audits.md §6 alone (the recipe is above KEY), so a
 * change of the generator fails here.
 */
#include "testutil.h"

#include "khum/arena.h"
#include "khum/rla_draw.h"

/* python3: r = int.from_bytes(sha256(f"{key},{j}".encode()).digest(), "big"),
 * rejected at or above (2**256 // N) * N, else r % N, skipping repeats. */
static const char *KEY = "12345678901234567890,010201";

static void expect_draw(const char *key, int64_t N, int64_t want, const int64_t *exp,
                        int64_t nexp, uint64_t counter_exp)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_err err;
    int64_t *s, n;
    uint64_t counter;
    assert_int_equal(khum_rla_draw(key, N, want, &a, &s, &n, &counter, &err), KHUM_OK);
    assert_int_equal(n, nexp);
    for (int64_t i = 0; i < n; i++)
        assert_int_equal(s[i], exp[i]);
    assert_int_equal(counter, counter_exp);
    khum_arena_free(&a);
}

static void test_draw_known(void **state)
{
    (void)state;
    const int64_t a[] = {42, 54, 58, 47, 16, 30, 74, 98};
    expect_draw(KEY, 100, 8, a, 8, 8);
    /* a prefix: asking for fewer gives the first ones (a later round keeps them) */
    expect_draw(KEY, 100, 3, a, 3, 3);
    const int64_t big[] = {515160, 220633, 494895, 798796, 172850};
    expect_draw(KEY, 1000003, 5, big, 5, 5);
}

/* One digit of the seed changes the whole sample. */
static void test_draw_seed_sensitive(void **state)
{
    (void)state;
    const int64_t b[] = {82, 62, 43, 20, 38, 39, 34, 56};
    expect_draw("12345678901234567891,010201", 100, 8, b, 8, 9);
}

/* Without replacement: asking for more than N gives each ballot once (a full
 * hand count), skipping the repeats the stream draws. */
static void test_draw_all(void **state)
{
    (void)state;
    const int64_t c[] = {2, 4, 8, 7, 6, 0, 3, 9, 1, 5};
    expect_draw(KEY, 10, 25, c, 10, 21);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_err err;
    int64_t *s, n;
    uint64_t counter;
    assert_int_equal(khum_rla_draw(KEY, 0, 5, &a, &s, &n, &counter, &err), KHUM_OK);
    assert_int_equal(n, 0);
    khum_arena_free(&a);
}

static void test_seed_check(void **state)
{
    (void)state;
    khum_err err;
    assert_int_equal(khum_rla_seed_check("12345678901234567890", &err), KHUM_OK);
    assert_int_equal(khum_rla_seed_check("1234567890123456789", &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "RLA.540");
    assert_non_null(strstr(err.msg, "19"));
    assert_int_equal(khum_rla_seed_check("1234567890123456789x0", &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "RLA.540");
    assert_int_equal(khum_rla_seed_check("", &err), KHUM_ERR_INPUT);
    char key[64];
    assert_int_equal(khum_rla_stream_key("12345678901234567890", "010201", key, sizeof key,
                                         &err), KHUM_OK);
    assert_string_equal(key, KEY);
    assert_int_equal(khum_rla_stream_key("12345678901234567890", "010201", key, 10, &err),
                     KHUM_ERR_INPUT);
}

/* Ballots numbered by station, then bundle, then position. */
static void test_manifest(void **state)
{
    (void)state;
    khum_rla_box boxes[] = {{"010201-01", 120}, {"010201-02", 0}, {"010201-03", 51}};
    khum_rla_manifest m = {.commune = "010201", .bundle = 50, .boxes = boxes, .nboxes = 3};
    khum_err err;
    assert_int_equal(khum_rla_manifest_check(&m, &err), KHUM_OK);
    assert_int_equal(m.total, 171);
    khum_rla_ballot b;
    assert_int_equal(khum_rla_manifest_locate(&m, 0, &b, &err), KHUM_OK);
    assert_true(b.box == 0 && b.bundle == 1 && b.position == 1);
    assert_int_equal(khum_rla_manifest_locate(&m, 119, &b, &err), KHUM_OK);
    assert_true(b.box == 0 && b.bundle == 3 && b.position == 20);
    assert_int_equal(khum_rla_manifest_locate(&m, 120, &b, &err), KHUM_OK);
    assert_true(b.box == 2 && b.bundle == 1 && b.position == 1);
    assert_int_equal(khum_rla_manifest_locate(&m, 170, &b, &err), KHUM_OK);
    assert_true(b.box == 2 && b.bundle == 2 && b.position == 1);
    assert_int_equal(khum_rla_manifest_locate(&m, 171, &b, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "RLA.543");
    m.bundle = 0;
    assert_int_equal(khum_rla_manifest_check(&m, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "RLA.541");
    m.bundle = 50;
    boxes[1].ballots = -1;
    assert_int_equal(khum_rla_manifest_check(&m, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "RLA.542");
    boxes[1].ballots = 3;
    boxes[1].station = "010201-01";
    assert_int_equal(khum_rla_manifest_check(&m, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "RLA.542");
}

/* Two members who agree settle a ballot; the same member twice, or an entry
 * after the ballot is settled, is refused; a third member settles two that
 * differ. */
static void test_read_next(void **state)
{
    (void)state;
    khum_err err;
    khum_rla_read_state to;
    const char *m[] = {"ann", "bob", "cat"}, *v[] = {"CPP", "FCP", "CPP"};
    assert_int_equal(khum_rla_read_next(m, v, 0, "ann", "CPP", &to, &err), KHUM_OK);
    assert_int_equal(to, KHUM_RLA_FIRST_READ);
    assert_int_equal(khum_rla_read_next(m, v, 1, "ann", "CPP", &to, &err), KHUM_ERR_CONFLICT);
    assert_string_equal(err.rule, "RLA.551");
    assert_int_equal(khum_rla_read_next(m, v, 1, "bob", "CPP", &to, &err), KHUM_OK);
    assert_int_equal(to, KHUM_RLA_AGREED);
    assert_int_equal(khum_rla_read_next(m, v, 1, "bob", "FCP", &to, &err), KHUM_OK);
    assert_int_equal(to, KHUM_RLA_DIFFERENT);
    assert_int_equal(khum_rla_read_next(m, v, 2, "cat", "CPP", &to, &err), KHUM_OK);
    assert_int_equal(to, KHUM_RLA_AGREED);
    const char *settled;
    assert_int_equal(khum_rla_read_state_of(v, 2, &settled), KHUM_RLA_DIFFERENT);
    assert_null(settled);
    assert_int_equal(khum_rla_read_state_of(v, 3, &settled), KHUM_RLA_AGREED);
    assert_string_equal(settled, "CPP");
    const char *m2[] = {"ann", "bob"}, *v2[] = {"blank", "blank"};
    assert_int_equal(khum_rla_read_next(m2, v2, 2, "cat", "blank", &to, &err),
                     KHUM_ERR_CONFLICT);
    assert_string_equal(err.rule, "RLA.552");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draw_known), cmocka_unit_test(test_draw_seed_sensitive),
        cmocka_unit_test(test_draw_all),   cmocka_unit_test(test_seed_check),
        cmocka_unit_test(test_manifest),   cmocka_unit_test(test_read_next),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
