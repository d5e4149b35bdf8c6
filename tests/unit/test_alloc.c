/*
 * test_alloc.c: the allocation engine against published worked examples
 * (each cited), the vectors of shared/docs/rules.md §2, ties and lots, edge
 * cases, and properties over many random vote vectors.
 */
#include "testutil.h"

#include "khum/alloc.h"

typedef struct {
    const char *name;
    int64_t votes;
} pv;

/* Allocate and compare with `want` (seats per party, in input order). */
static khum_alloc_result run(khum_arena *a, khum_method m, int seats, const pv *p, size_t n,
                             const char *seed)
{
    khum_alloc_party parties[32];
    for (size_t i = 0; i < n; i++)
        parties[i] = (khum_alloc_party){p[i].name, p[i].votes, true, -1, 0};
    khum_alloc_party *copy = khum_arena_alloc(a, n * sizeof *copy);
    memcpy(copy, parties, n * sizeof *copy);
    khum_alloc_input *in = khum_arena_alloc(a, sizeof *in);
    *in = (khum_alloc_input){"d", copy, n, seats, -1};
    khum_alloc_rules r;
    khum_alloc_rules_default(&r);
    r.method = m;
    r.lots_seed = seed;
    khum_alloc_result res;
    khum_err err;
    khum_err_clear(&err);
    khum_code rc = khum_alloc_run(&r, in, a, &res, &err);
    if (rc)
        fail_msg("allocation failed: %s [%s]", err.msg, err.rule);
    return res;
}

static void expect(khum_method m, int seats, const pv *p, size_t n, const int *want)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_alloc_result res = run(&a, m, seats, p, n, NULL);
    assert_false(res.needs_lots);
    for (size_t i = 0; i < n; i++)
        if (res.seats[i] != want[i])
            fail_msg("%s: %s got %d seats, expected %d", khum_method_name(m), p[i].name,
                     res.seats[i], want[i]);
    khum_arena_free(&a);
}

#define P(...) ((const pv[]){__VA_ARGS__})
#define W(...) ((const int[]){__VA_ARGS__})

/* shared/docs/rules.md §2 (kh-rules-research.md §3.5): S1 is published by
 * Future Forum (Cambodia Daily); D2-D10 are derived and law-conformant. */
static void test_rules_vectors(void **state)
{
    (void)state;
    const khum_method ST = KHUM_METHOD_CAMBODIA, F98 = KHUM_METHOD_CAMBODIA_1998,
                      LR = KHUM_METHOD_LARGEST_REMAINDER;
    const pv *s1 = P({"A", 12000}, {"B", 28000}, {"C", 60000});
    expect(ST, 5, s1, 3, W(0, 1, 4));
    expect(LR, 5, s1, 3, W(1, 1, 3));
    const pv *d2 = P({"A", 280}, {"B", 955}, {"C", 1595}, {"D", 90});
    expect(ST, 7, d2, 4, W(0, 2, 5, 0));
    expect(F98, 7, d2, 4, W(0, 3, 4, 0));
    expect(LR, 7, d2, 4, W(1, 2, 4, 0));
    const pv *d3 = P({"A", 255}, {"B", 1805}, {"C", 690}, {"D", 1350});
    expect(ST, 9, d3, 4, W(0, 5, 1, 3));
    expect(F98, 9, d3, 4, W(0, 4, 2, 3));
    expect(LR, 9, d3, 4, W(1, 4, 1, 3));
    const pv *d4 = P({"A", 830}, {"B", 210}, {"C", 1740});
    expect(ST, 11, d4, 3, W(3, 0, 8));
    expect(F98, 11, d4, 3, W(3, 1, 7));
    expect(LR, 11, d4, 3, W(3, 1, 7));
    expect(ST, 9, P({"CPP", 3000}, {"CNRP", 2500}, {"FUN", 300}, {"LDP", 150}), 4,
           W(5, 4, 0, 0));
    expect(ST, 9, P({"CPP", 1800}, {"CNRP", 2600}, {"FUN", 700}, {"KNUP", 200}), 4,
           W(3, 5, 1, 0));
    /* D8: the equal averages decide only the order of seats 6 and 7. */
    expect(ST, 7, P({"A", 400}, {"B", 400}, {"C", 200}), 3, W(3, 3, 1));
    /* D10: equal averages for the 5th seat, settled by more votes, no lot. */
    expect(ST, 5, P({"A", 600}, {"B", 300}, {"C", 100}), 3, W(4, 1, 0));
}

/* Worked examples published on the web, one assertion each. */
static void test_published_examples(void **state)
{
    (void)state;
    /* https://staatsrecht.honikel.de/en/berechnungsbeispiele-loesungen.htm:
     * 10 seats, A 6100, B 5000, C 900: D'Hondt A6 B4 C0, Sainte-Laguë A5 B4 C1,
     * largest remainder A5 B4 C1. */
    const pv *h = P({"A", 6100}, {"B", 5000}, {"C", 900});
    expect(KHUM_METHOD_DHONDT, 10, h, 3, W(6, 4, 0));
    expect(KHUM_METHOD_SAINTE_LAGUE, 10, h, 3, W(5, 4, 1));
    expect(KHUM_METHOD_LARGEST_REMAINDER, 10, h, 3, W(5, 4, 1));
    /* https://en.wikipedia.org/wiki/D%27Hondt_method and
     * https://en.wikipedia.org/wiki/Sainte-Lagu%C3%AB_method (worked example):
     * 8 seats, A 100,000, B 80,000, C 30,000, D 20,000. */
    const pv *w = P({"A", 100000}, {"B", 80000}, {"C", 30000}, {"D", 20000});
    expect(KHUM_METHOD_DHONDT, 8, w, 4, W(4, 3, 1, 0));
    expect(KHUM_METHOD_SAINTE_LAGUE, 8, w, 4, W(3, 3, 1, 1));
    expect(KHUM_METHOD_CAMBODIA, 8, w, 4, W(4, 3, 1, 0));
}

static void lr(khum_quota q, khum_quota_round rnd, int seats, const pv *p, size_t n,
               const int *want, bool *took_back)
{
    khum_alloc_party parties[16];
    for (size_t i = 0; i < n; i++)
        parties[i] = (khum_alloc_party){p[i].name, p[i].votes, true, -1, 0};
    khum_alloc_input in = {"", parties, n, seats, -1};
    khum_alloc_rules r;
    khum_alloc_rules_default(&r);
    r.method = KHUM_METHOD_LARGEST_REMAINDER;
    r.quota = q;
    r.quota_round = rnd;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_alloc_result res;
    khum_err err;
    assert_int_equal(khum_alloc_run(&r, &in, &a, &res, &err), KHUM_OK);
    for (size_t i = 0; i < n; i++)
        if (res.seats[i] != want[i])
            fail_msg("LR: %s got %d, expected %d", p[i].name, res.seats[i], want[i]);
    if (took_back) {
        *took_back = false;
        for (size_t k = 0; k < res.nsteps; k++)
            *took_back |= res.steps[k].kind == KHUM_STEP_TAKEN_BACK;
    }
    khum_arena_free(&a);
}

static void test_largest_remainder(void **state)
{
    (void)state;
    /* https://en.wikipedia.org/wiki/Largest_remainder_method, "Examples":
     * 10 seats; Hare: 5 2 1 1 1 0, Droop (floor(V/(S+1)) + 1 = 9,091): 5 2 2 1 0 0. */
    const pv *w = P({"Yellows", 47000}, {"Whites", 16000}, {"Reds", 15800}, {"Greens", 12000},
                    {"Blues", 6100}, {"Pinks", 3100});
    lr(KHUM_QUOTA_HARE, KHUM_ROUND_EXACT, 10, w, 6, W(5, 2, 1, 1, 1, 0), NULL);
    lr(KHUM_QUOTA_DROOP, KHUM_ROUND_DOWN, 10, w, 6, W(5, 2, 2, 1, 0, 0), NULL);
    /* The Alabama paradox (https://en.wikipedia.org/wiki/Apportionment_paradox):
     * populations 6, 6, 2: with 10 seats C gets 2, with 11 seats only 1. */
    const pv *al = P({"A", 6}, {"B", 6}, {"C", 2});
    lr(KHUM_QUOTA_HARE, KHUM_ROUND_EXACT, 10, al, 3, W(4, 4, 2), NULL);
    lr(KHUM_QUOTA_HARE, KHUM_ROUND_EXACT, 11, al, 3, W(5, 5, 1), NULL);
    /* Imperiali with two lists over-allocates: 5 seats, V = 700, quota 100:
     * A 4 (remainder 60) + B 2 (remainder 40) = 6 > 5; B's seat is taken back. */
    bool back;
    lr(KHUM_QUOTA_IMPERIALI, KHUM_ROUND_EXACT, 5, P({"A", 460}, {"B", 240}), 2, W(4, 1), &back);
    assert_true(back);
    /* Equal remainders: the tie rule takes the seat back from fewer votes. */
    lr(KHUM_QUOTA_IMPERIALI, KHUM_ROUND_EXACT, 5, P({"A", 450}, {"B", 250}), 2, W(4, 1), &back);
    assert_true(back);
}

static void test_ties_and_lots(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 0);
    /* D9: a three-way tie for the 5th seat; more votes remove C; A and B by lot. */
    const pv *d9 = P({"A", 300}, {"B", 300}, {"C", 100});
    khum_alloc_result res = run(&a, KHUM_METHOD_CAMBODIA, 5, d9, 3, NULL);
    assert_true(res.needs_lots);
    assert_int_equal(res.nties, 1);
    assert_int_equal(res.ties[0].first_seat, 5);
    assert_int_equal(res.ties[0].nparties, 3);
    assert_int_equal(res.ties[0].nlot, 2);
    assert_int_equal(res.ties[0].how, KHUM_TIED_UNRESOLVED);
    assert_int_equal(res.seats[2], 0);  /* C never gets it */

    res = run(&a, KHUM_METHOD_CAMBODIA, 5, d9, 3, "seed-1");
    assert_false(res.needs_lots);
    assert_int_equal(res.seats[0] + res.seats[1], 5);
    assert_int_equal(res.ties[0].how, KHUM_TIED_LOT);
    assert_int_equal(res.ties[0].draw, 1);
    /* Replay the draw from its definition: the smaller key wins. */
    char ka[65], kb[65];
    khum_alloc_lot_key("seed-1", "d", 1, "A", ka);
    khum_alloc_lot_key("seed-1", "d", 1, "B", kb);
    int winner = strcmp(ka, kb) < 0 ? 0 : 1;
    assert_int_equal(res.seats[winner], 3);
    assert_int_equal(res.ties[0].winners[0], winner);
    /* The known digest of one key, so the definition cannot drift silently:
     * printf 'khum-lot-v1\nNEC 2017\n\n1\nB' | sha256sum */
    khum_alloc_lot_key("NEC 2017", "", 1, "B", kb);
    assert_string_equal(kb, "bd72c94865495f1330a2514bc2b85598aafe9b08bbfe3a820a42182106486569");

    /* The lot does not depend on the order of the input. */
    const pv *rev = P({"C", 100}, {"B", 300}, {"A", 300});
    khum_alloc_result r2 = run(&a, KHUM_METHOD_CAMBODIA, 5, rev, 3, "seed-1");
    assert_int_equal(r2.seats[2 - winner], 3);

    /* D7, degenerate: quota floor(120/11) = 10 gives 12 > 11 seats; D'Hondt
     * instead, the 11th seat by lot. */
    res = run(&a, KHUM_METHOD_CAMBODIA, 11, P({"X", 60}, {"Y", 60}), 2, "s");
    assert_true(res.degenerate);
    assert_int_equal(res.seats[0] + res.seats[1], 11);
    assert_int_equal(abs(res.seats[0] - res.seats[1]), 1);
    /* quota 0 (V < S) is degenerate too */
    res = run(&a, KHUM_METHOD_CAMBODIA, 7, P({"X", 4}, {"Y", 2}), 2, NULL);
    assert_true(res.degenerate);
    assert_int_equal(res.seats[0], 5);  /* 4, 2, 1.33, 1 | Y 2, 1 -> X5 Y2 */
    khum_arena_free(&a);
}

static khum_code run_parties(khum_arena *a, khum_alloc_party *p, size_t n, int seats,
                             const khum_alloc_rules *r, khum_alloc_result *res, khum_err *err)
{
    khum_alloc_input *in = khum_arena_alloc(a, sizeof *in);
    *in = (khum_alloc_input){"", p, n, seats, -1};
    return khum_alloc_run(r, in, a, res, err);
}

static void test_edges(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_alloc_rules r;
    khum_alloc_rules_default(&r);
    khum_alloc_result res;
    khum_err err;
    khum_err_clear(&err);
    /* zero-vote parties never get a seat, even with seats to spare */
    khum_alloc_party z[] = {{"A", 10, true, -1, 0}, {"B", 0, true, -1, 0}};
    assert_int_equal(run_parties(&a, z, 2, 5, &r, &res, &err), KHUM_OK);
    assert_int_equal(res.seats[0], 5);
    assert_int_equal(res.seats[1], 0);
    /* all zero: no seat can be allocated */
    khum_alloc_party zz[] = {{"A", 0, true, -1, 0}, {"B", 0, true, -1, 0}};
    assert_int_equal(run_parties(&a, zz, 2, 5, &r, &res, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "ALC.611");
    /* empty input */
    assert_int_equal(run_parties(&a, z, 0, 5, &r, &res, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "ALC.609");
    /* votes out of range, from a library caller */
    khum_alloc_party neg[] = {{"A", -1, true, -1, 0}, {"B", 5, true, -1, 0}};
    assert_int_equal(run_parties(&a, neg, 2, 5, &r, &res, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "ALC.610");
    /* a Sainte-Lague first divisor out of range */
    khum_alloc_rules sl = r;
    sl.method = KHUM_METHOD_SAINTE_LAGUE;
    sl.first_div_num = 0;
    sl.first_div_den = 1;
    assert_int_equal(run_parties(&a, z, 2, 5, &sl, &res, &err), KHUM_ERR_USAGE);
    assert_string_equal(err.rule, "ALC.613");
    /* duplicate names */
    khum_alloc_party dup[] = {{"A", 10, true, -1, 0}, {"A", 5, true, -1, 0}};
    assert_int_equal(run_parties(&a, dup, 2, 5, &r, &res, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "ALC.604");
    /* one seat; more parties than seats */
    khum_alloc_party many[] = {{"A", 5, true, -1, 0}, {"B", 9, true, -1, 0}, {"C", 7, true, -1, 0}};
    assert_int_equal(run_parties(&a, many, 3, 1, &r, &res, &err), KHUM_OK);
    assert_int_equal(res.seats[1], 1);
    assert_int_equal(res.seats[0] + res.seats[2], 0);
    /* ineligible list and a threshold of 30 % of the votes */
    khum_alloc_party th[] = {{"A", 60, true, -1, 0}, {"B", 25, true, -1, 0}, {"C", 15, false, -1, 0}};
    r.threshold_num = 30;
    r.threshold_den = 1;
    assert_int_equal(run_parties(&a, th, 3, 5, &r, &res, &err), KHUM_OK);
    assert_int_equal(res.seats[0], 5);
    r.threshold_num = 0;
    assert_int_equal(run_parties(&a, th, 3, 5, &r, &res, &err), KHUM_OK);
    assert_int_equal(res.seats[2], 0);  /* C ineligible */
    assert_int_equal(res.seats[1], 1);  /* 60,30,20,15 | 25 -> A4 B1 */
    /* a capped list passes its extra seats on to the next quotient */
    khum_alloc_party cap[] = {{"A", 900, true, 2, 0}, {"B", 90, true, -1, 0}};
    assert_int_equal(run_parties(&a, cap, 2, 5, &r, &res, &err), KHUM_OK);
    assert_int_equal(res.seats[0], 2);
    assert_int_equal(res.seats[1], 3);
    /* every list capped: the rest stays empty and is reported */
    khum_alloc_party caps[] = {{"A", 900, true, 2, 0}, {"B", 90, true, 1, 0}};
    assert_int_equal(run_parties(&a, caps, 2, 5, &r, &res, &err), KHUM_OK);
    assert_int_equal(res.unfilled, 2);
    khum_arena_free(&a);
}

/* A tie for the last seat under each chain (rules-other.md): A and B tie on
 * the quotient for the 3rd seat of 3; A has more votes, B is first on the
 * ballot. D'Hondt: A 300 (300, 150, 100), B 200 (200, 100) -> seats 1 A,
 * 2 B, then A's 150; then 100 = 100 for A and B: the 4th seat of 4. */
static void test_tie_chains(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_alloc_rules r;
    khum_alloc_rules_default(&r);
    khum_alloc_result res;
    khum_err err;
    char why[200];
    khum_alloc_party p[] = {{"A", 300, true, -1, 2}, {"B", 200, true, -1, 1}};
    struct { const char *chain; int a, b; khum_tie_how how; } cases[] = {
        {"more-votes>lots", 3, 1, KHUM_TIED_MORE_VOTES},
        {"votes", 3, 1, KHUM_TIED_MORE_VOTES},
        {"fewer-votes>lots", 2, 2, KHUM_TIED_FEWER_VOTES},   /* Portugal: the smaller list */
        {"ballot-order", 2, 2, KHUM_TIED_BALLOT_ORDER},      /* B is first on the ballot */
        {"fewer-votes>ballot-order", 2, 2, KHUM_TIED_FEWER_VOTES},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        assert_true(khum_tie_rule_parse(cases[k].chain, &r.tie_rule, why, sizeof why));
        assert_int_equal(run_parties(&a, p, 2, 4, &r, &res, &err), KHUM_OK);
        assert_int_equal(res.seats[0], cases[k].a);
        assert_int_equal(res.seats[1], cases[k].b);
        assert_int_equal(res.nties, 1);
        assert_int_equal(res.ties[0].how, cases[k].how);
        assert_false(res.needs_lots);
    }
    /* Equal votes: more-votes and fewer-votes cannot settle, the chain falls
     * to lots (unresolved without a seed, drawn with one). */
    khum_alloc_party q[] = {{"A", 100, true, -1, 1}, {"B", 100, true, -1, 2}};
    assert_true(khum_tie_rule_parse("fewer-votes>lots", &r.tie_rule, why, sizeof why));
    assert_int_equal(run_parties(&a, q, 2, 1, &r, &res, &err), KHUM_OK);
    assert_true(res.needs_lots);
    assert_int_equal(res.ties[0].how, KHUM_TIED_UNRESOLVED);
    assert_int_equal(res.ties[0].nlot, 2);
    r.lots_seed = "S";
    assert_int_equal(run_parties(&a, q, 2, 1, &r, &res, &err), KHUM_OK);
    assert_int_equal(res.ties[0].how, KHUM_TIED_LOT);
    assert_int_equal(res.seats[0] + res.seats[1], 1);
    /* ...and ballot-order settles it without a draw. */
    assert_true(khum_tie_rule_parse("more-votes>ballot-order", &r.tie_rule, why, sizeof why));
    assert_int_equal(run_parties(&a, q, 2, 1, &r, &res, &err), KHUM_OK);
    assert_int_equal(res.seats[0], 1);
    assert_int_equal(res.ties[0].how, KHUM_TIED_BALLOT_ORDER);
    /* Three lists for two seats: more votes takes one at once, the other
     * two stay tied for the second and go to lots. */
    r.lots_seed = NULL;
    assert_true(khum_tie_rule_parse("more-votes>lots", &r.tie_rule, why, sizeof why));
    khum_alloc_party t3[] = {{"A", 50, true, -1, 1}, {"B", 50, true, -1, 2},
                             {"C", 50, true, -1, 3}};
    assert_int_equal(run_parties(&a, t3, 3, 2, &r, &res, &err), KHUM_OK);
    assert_true(res.needs_lots);
    assert_int_equal(res.ties[0].nlot, 3);
    assert_true(khum_tie_rule_parse("ballot-order", &r.tie_rule, why, sizeof why));
    assert_int_equal(run_parties(&a, t3, 3, 2, &r, &res, &err), KHUM_OK);
    assert_int_equal(res.seats[0], 1);
    assert_int_equal(res.seats[1], 1);
    assert_int_equal(res.seats[2], 0);
    khum_arena_free(&a);
}

static void test_tie_rule_words(void **state)
{
    (void)state;
    khum_tie_rule t;
    char why[200], buf[64];
    assert_true(khum_tie_rule_parse("votes", &t, why, sizeof why));
    assert_string_equal(khum_tie_rule_legacy(&t), "votes");
    khum_tie_rule_format(&t, buf, sizeof buf);
    assert_string_equal(buf, "more-votes>lots");
    assert_true(khum_tie_rule_parse("lots", &t, why, sizeof why));
    assert_string_equal(khum_tie_rule_legacy(&t), "lots");
    assert_true(khum_tie_rule_parse("more-votes>lots", &t, why, sizeof why));
    assert_string_equal(khum_tie_rule_legacy(&t), "votes");  /* the same rule, the old word */
    assert_true(khum_tie_rule_parse("fewer-votes>lots", &t, why, sizeof why));
    assert_null(khum_tie_rule_legacy(&t));
    khum_tie_rule_format(&t, buf, sizeof buf);
    assert_string_equal(buf, "fewer-votes>lots");
    const char *bad[] = {"", "more", "more-votes", "lots>more-votes", "more-votes>>lots",
                         "more-votes>fewer-votes>lots", "lots>lots", "ballot-order>lots",
                         "Lots", "more-votes>lots>"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        assert_false(khum_tie_rule_parse(bad[k], &t, why, sizeof why));
    assert_false(khum_tie_rule_parse("more-votes>coin", &t, why, sizeof why));
    assert_non_null(strstr(why, "'coin' is not a tie rule step"));
}

/* Exactly at the threshold: 5 % of 1,000 is 50; 50 passes, 49 does not,
 * whatever the base is made of (the engine takes the base as given). */
static void test_threshold_exact(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_alloc_rules r;
    khum_alloc_rules_default(&r);
    r.threshold_num = 50000;  /* 5 % as percent x 10,000 */
    r.threshold_den = 10000;
    khum_alloc_result res;
    khum_err err;
    khum_alloc_party at[] = {{"A", 950, true, -1, 1}, {"B", 50, true, -1, 2}};
    khum_alloc_input in = {"", at, 2, 20, 1000};
    assert_int_equal(khum_alloc_run(&r, &in, &a, &res, &err), KHUM_OK);
    assert_int_equal(res.seats[1], 1);  /* 50 >= 5 % of 1,000 */
    khum_alloc_party below[] = {{"A", 951, true, -1, 1}, {"B", 49, true, -1, 2}};
    in.parties = below;
    assert_int_equal(khum_alloc_run(&r, &in, &a, &res, &err), KHUM_OK);
    assert_int_equal(res.seats[1], 0);  /* 49 < 50 */
    /* A larger base (blank ballots, or every ballot cast) moves the bar: 50 of 1,001 fails. */
    in.parties = at;
    in.threshold_base = 1001;
    assert_int_equal(khum_alloc_run(&r, &in, &a, &res, &err), KHUM_OK);
    assert_int_equal(res.seats[1], 0);
    /* 4.75 % of 2,000 = 95 exactly (B's 95 is the 20th quotient: A 1000/10,
     * C 905/9 above it, A 1000/11 below). */
    r.threshold_num = 47500;
    in.threshold_base = 2000;
    khum_alloc_party q[] = {{"A", 1000, true, -1, 1}, {"B", 95, true, -1, 2},
                            {"C", 905, true, -1, 3}};
    in.parties = q;
    in.n = 3;
    assert_int_equal(khum_alloc_run(&r, &in, &a, &res, &err), KHUM_OK);
    assert_int_equal(res.seats[1], 1);
    q[1].votes = 94;
    assert_int_equal(khum_alloc_run(&r, &in, &a, &res, &err), KHUM_OK);
    assert_int_equal(res.seats[1], 0);
    khum_arena_free(&a);
}

static void test_margins(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_alloc_rules r;
    khum_alloc_rules_default(&r);
    r.method = KHUM_METHOD_CAMBODIA;
    khum_alloc_party p[] = {{"A", 12000, true, -1, 0}, {"B", 28000, true, -1, 0},
                            {"C", 60000, true, -1, 0}};
    khum_alloc_input in = {"", p, 3, 5, -1};
    khum_alloc_result res;
    khum_err err;
    assert_int_equal(khum_alloc_run(&r, &in, &a, &res, &err), KHUM_OK);
    khum_alloc_margin *m;
    size_t n;
    int closest;
    assert_int_equal(khum_alloc_margins(&r, &in, &res, &a, &m, &n, &closest, &err), KHUM_OK);
    assert_true(closest >= 0);
    /* C's 4th seat (15,000) against B's 2nd (14,000): (60000 - t)/4 < (28000 + t)/2
     * from t = 1,334 on; B alone needs 2,001 more votes. */
    assert_int_equal(m[closest].holder, 2);
    assert_int_equal(m[closest].challenger, 1);
    assert_int_equal(m[closest].votes_to_move, 1334);
    assert_int_equal(m[closest].votes_to_add, 2001);
    /* Moving exactly that many changes the seats. */
    p[2].votes -= 1334;
    p[1].votes += 1334;
    khum_alloc_result after;
    assert_int_equal(khum_alloc_run(&r, &in, &a, &after, &err), KHUM_OK);
    assert_int_equal(after.seats[1], 2);
    assert_int_equal(after.seats[2], 3);
    r.method = KHUM_METHOD_LARGEST_REMAINDER;
    assert_int_equal(khum_alloc_margins(&r, &in, &res, &a, &m, &n, &closest, &err),
                     KHUM_ERR_USAGE);
    assert_string_equal(err.rule, "ALC.630");
    khum_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_vectors), cmocka_unit_test(test_published_examples),
        cmocka_unit_test(test_largest_remainder), cmocka_unit_test(test_ties_and_lots),
        cmocka_unit_test(test_edges), cmocka_unit_test(test_margins),
        cmocka_unit_test(test_tie_chains), cmocka_unit_test(test_tie_rule_words),
        cmocka_unit_test(test_threshold_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
