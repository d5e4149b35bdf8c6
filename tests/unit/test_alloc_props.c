/*
 * test_alloc_props.c: properties of the allocation engine over many random
 * vote vectors (a fixed-seed generator, so failures reproduce):
 *   - the statutory Cambodian procedure gives D'Hondt's seats whenever its
 *     step 2 does not over-allocate (cambodia.c explains why);
 *   - seats always sum to the magnitude;
 *   - permuting the parties changes nothing, protocol included;
 *   - divisor methods are house-monotone and vote-monotone;
 *   - D'Hondt satisfies lower quota, Hare largest remainder satisfies quota.
 */
#include "testutil.h"

#include "khum/alloc.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)  /* xorshift64* */
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717ull;
}

static int64_t uniform(int64_t n) { return (int64_t)(next() % (uint64_t)n); }

typedef struct sample {
    khum_alloc_party p[16];
    char names[16][24];
    size_t n;
    int seats;
} sample;

static void draw(sample *s)
{
    static const int64_t scales[] = {10, 200, 5000, 1000000};
    int64_t scale = scales[uniform(4)];
    s->n = (size_t)(2 + uniform(11));
    static const int sizes[] = {5, 7, 9, 11};
    s->seats = uniform(4) == 0 ? (int)(1 + uniform(30)) : sizes[uniform(4)];
    for (size_t i = 0; i < s->n; i++) {
        snprintf(s->names[i], sizeof s->names[i], "P%zu", i);
        int64_t v = uniform(scale + 1);
        if (i > 0 && uniform(8) == 0)  /* equal votes make ties */
            v = s->p[i - 1].votes;
        if (uniform(10) == 0)
            v = 0;
        s->p[i] = (khum_alloc_party){s->names[i], v, true, -1, 0};
    }
    if (s->p[0].votes == 0)
        s->p[0].votes = 1;
}

static khum_code alloc(const sample *s, khum_method m, int seats, khum_arena *a,
                       khum_alloc_result *res)
{
    khum_alloc_rules r;
    khum_alloc_rules_default(&r);
    r.method = m;
    khum_alloc_input in = {"", s->p, s->n, seats, -1};
    khum_err err;
    return khum_alloc_run(&r, &in, a, res, &err);
}

static int sum(const khum_alloc_result *r, size_t n)
{
    int t = 0;
    for (size_t i = 0; i < n; i++)
        t += r->seats[i];
    return t;
}

static void test_statutory_equals_dhondt(void **state)
{
    (void)state;
    long compared = 0, degenerate = 0, tied = 0;
    khum_arena a;
    khum_arena_init(&a, 0);
    for (int iter = 0; iter < 100000; iter++) {
        sample s;
        draw(&s);
        khum_alloc_result st, dh;
        assert_int_equal(alloc(&s, KHUM_METHOD_CAMBODIA, s.seats, &a, &st), KHUM_OK);
        assert_int_equal(alloc(&s, KHUM_METHOD_DHONDT, s.seats, &a, &dh), KHUM_OK);
        assert_int_equal(st.needs_lots, dh.needs_lots);
        if (st.degenerate)
            degenerate++;
        if (st.needs_lots) {
            tied++;
        } else {
            assert_int_equal(sum(&st, s.n), s.seats);
            for (size_t i = 0; i < s.n; i++)
                if (st.seats[i] != dh.seats[i])
                    fail_msg("iteration %d: %s statutory %d, D'Hondt %d", iter, s.names[i],
                             st.seats[i], dh.seats[i]);
            compared++;
        }
        if (iter % 1000 == 999) {
            khum_arena_free(&a);
            khum_arena_init(&a, 0);
        }
    }
    khum_arena_free(&a);
    print_message("statutory vs D'Hondt: %ld equal, %ld degenerate (D'Hondt fallback), "
                  "%ld needing lots in both\n", compared, degenerate, tied);
    assert_true(compared > 80000);
    assert_true(degenerate > 0);  /* the sample does reach the degenerate case */
}

static void test_permutation_changes_nothing(void **state)
{
    (void)state;
    static const khum_method methods[] = {KHUM_METHOD_DHONDT, KHUM_METHOD_SAINTE_LAGUE,
                                          KHUM_METHOD_LARGEST_REMAINDER, KHUM_METHOD_CAMBODIA,
                                          KHUM_METHOD_CAMBODIA_1998, KHUM_METHOD_DANISH};
    khum_arena a;
    khum_arena_init(&a, 0);
    for (int iter = 0; iter < 20000; iter++) {
        sample s, t;
        draw(&s);
        t = s;
        for (size_t i = t.n - 1; i > 0; i--) {  /* Fisher-Yates */
            size_t j = (size_t)uniform((int64_t)i + 1);
            khum_alloc_party x = t.p[i];
            t.p[i] = t.p[j];
            t.p[j] = x;
        }
        khum_method m = methods[iter % 6];
        khum_alloc_result rs, rt;
        assert_int_equal(alloc(&s, m, s.seats, &a, &rs), KHUM_OK);
        assert_int_equal(alloc(&t, m, s.seats, &a, &rt), KHUM_OK);
        assert_int_equal(rs.needs_lots, rt.needs_lots);
        for (size_t i = 0; i < s.n; i++)
            for (size_t j = 0; j < t.n; j++)
                if (strcmp(s.p[i].name, t.p[j].name) == 0 && rs.seats[i] != rt.seats[j])
                    fail_msg("%s: %s gets %d or %d depending on input order",
                             khum_method_name(m), s.p[i].name, rs.seats[i], rt.seats[j]);
        assert_int_equal(rs.nsteps, rt.nsteps);
        for (size_t k = 0; k < rs.nsteps; k++) {
            assert_string_equal(s.p[rs.steps[k].party].name, t.p[rt.steps[k].party].name);
            assert_int_equal(khum_frac_cmp(rs.steps[k].value, rt.steps[k].value), 0);
        }
        if (iter % 1000 == 999) {
            khum_arena_free(&a);
            khum_arena_init(&a, 0);
        }
    }
    khum_arena_free(&a);
}

static void test_monotonicity_and_quota(void **state)
{
    (void)state;
    static const khum_method divisor[] = {KHUM_METHOD_DHONDT, KHUM_METHOD_SAINTE_LAGUE,
                                          KHUM_METHOD_IMPERIALI, KHUM_METHOD_DANISH};
    khum_arena a;
    khum_arena_init(&a, 0);
    long checked = 0;
    for (int iter = 0; iter < 20000; iter++) {
        sample s;
        draw(&s);
        khum_method m = divisor[iter % 4];
        khum_alloc_result r1, r2;
        assert_int_equal(alloc(&s, m, s.seats, &a, &r1), KHUM_OK);
        assert_int_equal(alloc(&s, m, s.seats + 1, &a, &r2), KHUM_OK);
        if (r1.needs_lots || r2.needs_lots)
            continue;
        assert_int_equal(sum(&r1, s.n), s.seats);
        for (size_t i = 0; i < s.n; i++)  /* house monotone */
            if (r2.seats[i] < r1.seats[i])
                fail_msg("%s: %s loses a seat when the house grows", khum_method_name(m),
                         s.p[i].name);
        /* vote monotone: a party whose votes rise never loses a seat */
        size_t k = (size_t)uniform((int64_t)s.n);
        sample t = s;
        t.p[k].votes += 1 + uniform(t.p[k].votes + 10);
        khum_alloc_result r3;
        assert_int_equal(alloc(&t, m, s.seats, &a, &r3), KHUM_OK);
        if (!r3.needs_lots && r3.seats[k] < r1.seats[k])
            fail_msg("%s: more votes, fewer seats for %s", khum_method_name(m), s.p[k].name);
        if (m == KHUM_METHOD_DHONDT) {  /* lower quota: s_i >= floor(v_i S / V) */
            int64_t v = 0;
            for (size_t i = 0; i < s.n; i++)
                v += s.p[i].votes;
            for (size_t i = 0; i < s.n; i++)
                assert_true(r1.seats[i] >= (int)(s.p[i].votes * s.seats / v));
        }
        checked++;
        khum_alloc_result lr;
        assert_int_equal(alloc(&s, KHUM_METHOD_LARGEST_REMAINDER, s.seats, &a, &lr), KHUM_OK);
        if (!lr.needs_lots) {  /* Hare LR satisfies quota: floor(q) <= s <= ceil(q) */
            int64_t v = 0;
            for (size_t i = 0; i < s.n; i++)
                v += s.p[i].votes;
            for (size_t i = 0; i < s.n; i++) {
                int64_t lo = s.p[i].votes * s.seats / v;
                int64_t hi = (s.p[i].votes * s.seats + v - 1) / v;
                assert_true(lr.seats[i] >= lo && lr.seats[i] <= hi);
            }
        }
        if (iter % 1000 == 999) {
            khum_arena_free(&a);
            khum_arena_init(&a, 0);
        }
    }
    khum_arena_free(&a);
    assert_true(checked > 15000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statutory_equals_dhondt),
        cmocka_unit_test(test_permutation_changes_nothing),
        cmocka_unit_test(test_monotonicity_and_quota),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
