/*
 * test_council.c: council formation and the mandate ledger against
 * shared/docs/rules.md: the posts of §3 (vectors D3, D5, one list), the
 * redistribution vectors of §6 under both divisors, replacement and post
 * succession (§5), reversal, the 2017 story replayed under both settings
 * of defector_keeps_seat, the whole-ledger check and the mandate's end.
 */
#include "testutil.h"

#include "khum/alloc.h"
#include "khum/council.h"

/* Candidates P1..Pn of a party: person id "<party>-<n>". */
static khum_candidate *cands(khum_arena *a, const char *party, int n)
{
    khum_candidate *c = khum_arena_alloc(a, (size_t)n * sizeof *c);
    for (int i = 0; i < n; i++) {
        c[i].person = khum_arena_printf(a, "%s-%d", party, i + 1);
        c[i].name = c[i].person;
    }
    return c;
}

static khum_council_list lst(khum_arena *a, const char *party, int64_t votes, int seats, int n)
{
    return (khum_council_list){party, votes, seats, cands(a, party, n), (size_t)n};
}

static const char *holder(const khum_council *c, khum_post p)
{
    const khum_member *m = khum_council_post_holder(c, p);
    return m ? m->person : "(none)";
}

static int seats_of(const khum_council *c, const char *party)
{
    const char *names[16];
    int counts[16];
    size_t n = khum_council_seats_by_party(c, names, counts, 16);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], party))
            return counts[i];
    return 0;
}

/* posts=head (Portugal, Lei 169/99): the first candidate of the most-voted
 * list is the head of council; nobody holds a deputy's post. */
static void test_head_only(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_council_rules r;
    khum_council_rules_default(&r);
    r.head_only = true;
    khum_council c;
    khum_err err;
    khum_council_list d3[] = {lst(&a, "A", 255, 0, 18), lst(&a, "B", 1805, 5, 18),
                              lst(&a, "C", 690, 1, 18), lst(&a, "D", 1350, 3, 18)};
    assert_int_equal(khum_council_form("0302", 9, d3, 4, &r, "2025-10-12", &a, &c, &err),
                     KHUM_OK);
    assert_string_equal(holder(&c, KHUM_POST_CHIEF), "B-1");
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY1), "(none)");
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY2), "(none)");
    /* Two lists equal in votes below the first place decide no post: no lots wait. */
    khum_council_list tie[] = {lst(&a, "A", 900, 3, 9), lst(&a, "B", 500, 1, 9),
                               lst(&a, "C", 500, 1, 9)};
    assert_int_equal(khum_council_form("0303", 5, tie, 3, &r, "2025-10-12", &a, &c, &err),
                     KHUM_OK);
    assert_string_equal(holder(&c, KHUM_POST_CHIEF), "A-1");
    assert_int_equal(c.npending, 0);
    khum_arena_free(&a);
}

static void test_posts(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_council_rules r;
    khum_council_rules_default(&r);
    khum_council c;
    khum_err err;
    /* D3: B 5, D 3, C 1 (A 0) - three lists: chief B#1, 1st deputy D#1, 2nd deputy C#1 */
    khum_council_list d3[] = {lst(&a, "A", 255, 0, 18), lst(&a, "B", 1805, 5, 18),
                              lst(&a, "C", 690, 1, 18), lst(&a, "D", 1350, 3, 18)};
    assert_int_equal(khum_council_form("010201", 9, d3, 4, &r, "2017-06-25", &a, &c, &err),
                     KHUM_OK);
    assert_string_equal(holder(&c, KHUM_POST_CHIEF), "B-1");
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY1), "D-1");
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY2), "C-1");
    assert_int_equal(c.n, 9);
    /* D5: CPP 5, CNRP 4 - two lists: chief CPP#1, 1st deputy CPP#2, 2nd deputy CNRP#1 */
    khum_council_list d5[] = {lst(&a, "CPP", 3000, 5, 18), lst(&a, "CNRP", 2500, 4, 18),
                              lst(&a, "FUN", 300, 0, 18)};
    assert_int_equal(khum_council_form("010201", 9, d5, 3, &r, "2017-06-25", &a, &c, &err),
                     KHUM_OK);
    assert_string_equal(holder(&c, KHUM_POST_CHIEF), "CPP-1");
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY1), "CPP-2");
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY2), "CNRP-1");
    /* A reversal is never applied as an event: the ledger is replayed without
     * the reversed one (LED.604, a caller's bug). */
    khum_ledger_event rev = {.date = "2017-08-01", .type = KHUM_EV_REVERSE, .reverses = 1};
    khum_err_clear(&err);
    assert_int_equal(khum_council_apply(&c, &rev, &r, &a, NULL, &err), KHUM_ERR_USAGE);
    assert_string_equal(err.rule, "LED.604");
    /* One list with every seat: all three posts from it, in list order */
    khum_council_list one[] = {lst(&a, "A", 900, 5, 10), lst(&a, "B", 90, 0, 10)};
    assert_int_equal(khum_council_form("010201", 5, one, 2, &r, "2017-06-25", &a, &c, &err),
                     KHUM_OK);
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY2), "A-3");
    /* Lists that do not add up to the council are refused */
    assert_int_equal(khum_council_form("010201", 7, one, 2, &r, "2017-06-25", &a, &c, &err),
                     KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "CNL.301");
    khum_arena_free(&a);
}

/* rules.md §6: redistribution of a dissolved party's seats, both divisors. */
static void dissolve_case(const char *const *party, const int64_t *votes, const int *seats,
                          size_t n, bool all_seats, const int *want)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_council_rules r;
    khum_council_rules_default(&r);
    r.redistribution_all_seats = all_seats;
    khum_council_list l[8];
    int total = 0;
    for (size_t i = 0; i < n; i++) {
        l[i] = lst(&a, party[i], votes[i], seats[i], 30);
        total += seats[i];
    }
    khum_ledger_event ev = {1, "2017-11-16", KHUM_EV_DISSOLVE, "", NULL, "CNRP", NULL, NULL, 0,
                            0, "Supreme Court"};
    khum_council c;
    khum_err err;
    assert_int_equal(khum_ledger_replay("010201", total, l, n, "2017-06-25", &ev, 1,
                                        "2017-12-01", &r, &a, &c, NULL, &err), KHUM_OK);
    for (size_t i = 0; i < n; i++)
        if (seats_of(&c, party[i]) != want[i])
            fail_msg("%s divisor: %s has %d seats, expected %d", all_seats ? "all" : "new",
                     party[i], seats_of(&c, party[i]), want[i]);
    assert_int_equal((int)c.n, total);  /* the council keeps every seat */
    khum_arena_free(&a);
}

static void test_redistribution_vectors(void **state)
{
    (void)state;
    const char *p4[] = {"CPP", "CNRP", "FUN", "KNUP"};
    /* 9 seats; CPP 2,212 CNRP 786 FUN 246 KNUP 46; CPP 7, CNRP 2 */
    dissolve_case(p4, (int64_t[]){2212, 786, 246, 46}, (int[]){7, 2, 0, 0}, 4, false,
                  (int[]){9, 0, 0, 0});
    dissolve_case(p4, (int64_t[]){2212, 786, 246, 46}, (int[]){7, 2, 0, 0}, 4, true,
                  (int[]){8, 0, 1, 0});
    /* 11 seats; CPP 2,238 CNRP 742 FUN 846 KNUP 289; CPP 7, CNRP 2, FUN 2 */
    dissolve_case(p4, (int64_t[]){2238, 742, 846, 289}, (int[]){7, 2, 2, 0}, 4, false,
                  (int[]){9, 0, 2, 0});
    dissolve_case(p4, (int64_t[]){2238, 742, 846, 289}, (int[]){7, 2, 2, 0}, 4, true,
                  (int[]){8, 0, 2, 1});
    /* D5 and D6: both divisors agree */
    const char *d5[] = {"CPP", "CNRP", "FUN", "LDP"};
    for (int all = 0; all < 2; all++) {
        dissolve_case(d5, (int64_t[]){3000, 2500, 300, 150}, (int[]){5, 4, 0, 0}, 4, all,
                      (int[]){9, 0, 0, 0});
        dissolve_case(p4, (int64_t[]){1800, 2600, 700, 200}, (int[]){3, 5, 1, 0}, 4, all,
                      (int[]){7, 0, 2, 0});
    }
}

/* A council of nine: CPP 5 seats (10 names), CNRP 4 (8 names); the law's rules. */
static void nine_seats(khum_arena *a, khum_council_rules *r, khum_council_list l[2])
{
    khum_arena_init(a, 0);
    khum_council_rules_default(r);
    l[0] = lst(a, "CPP", 3000, 5, 10);
    l[1] = lst(a, "CNRP", 2500, 4, 8);
}

static void test_replacement_and_reversal(void **state)
{
    (void)state;
    khum_arena a;
    khum_council_rules r;
    khum_council_list l[2];
    nine_seats(&a, &r, l);
    khum_council c;
    khum_err err;
    /* The chief dies: CPP-6 takes the seat; the post goes to the next sitting
     * CPP councillor without a post, CPP-3 (CPP-2 is 1st deputy). */
    khum_ledger_event ev[] = {
        {1, "2018-03-01", KHUM_EV_DIE, "010201", "CPP-1", NULL, NULL, NULL, 0, 0, "death"},
        {2, "2019-01-10", KHUM_EV_RESIGN, "010201", "CNRP-3", NULL, NULL, NULL, 0, 0, "letter"},
        {3, "2019-02-01", KHUM_EV_REVERSE, "010201", NULL, NULL, NULL, NULL, 0, 2, "error"},
    };
    khum_changes ch = {0};
    assert_int_equal(khum_ledger_replay("010201", 9, l, 2, "2017-06-25", ev, 3, "2018-06-01",
                                        &r, &a, &c, &ch, &err), KHUM_OK);
    assert_string_equal(holder(&c, KHUM_POST_CHIEF), "CPP-3");
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY1), "CPP-2");
    assert_int_equal(seats_of(&c, "CPP"), 5);
    assert_true(ch.n >= 3);  /* left, seated, post */
    /* With deputy_moves_up the 1st deputy becomes chief and CPP-3 1st deputy. */
    r.deputy_moves_up = true;
    assert_int_equal(khum_ledger_replay("010201", 9, l, 2, "2017-06-25", ev, 3, "2018-06-01",
                                        &r, &a, &c, NULL, &err), KHUM_OK);
    assert_string_equal(holder(&c, KHUM_POST_CHIEF), "CPP-2");
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY1), "CPP-3");
    r.deputy_moves_up = false;
    /* A resignation recorded by mistake: visible until its reversal, gone after. */
    assert_int_equal(khum_ledger_replay("010201", 9, l, 2, "2017-06-25", ev, 3, "2019-01-20",
                                        &r, &a, &c, NULL, &err), KHUM_OK);
    bool seated = false;
    for (size_t k = 0; k < c.n; k++)
        seated |= !strcmp(c.m[k].person, "CNRP-3");
    assert_false(seated);
    assert_int_equal(khum_ledger_replay("010201", 9, l, 2, "2017-06-25", ev, 3, "2019-02-01",
                                        &r, &a, &c, NULL, &err), KHUM_OK);
    seated = false;
    for (size_t k = 0; k < c.n; k++)
        seated |= !strcmp(c.m[k].person, "CNRP-3");
    assert_true(seated);
    /* An event about someone without a seat is refused */
    khum_ledger_event bad = {9, "2018-01-01", KHUM_EV_RESIGN, "010201", "CPP-9", NULL, NULL,
                             NULL, 0, 0, ""};
    assert_int_equal(khum_ledger_replay("010201", 9, l, 2, "2017-06-25", &bad, 1, "2018-02-01",
                                        &r, &a, &c, NULL, &err), KHUM_ERR_CONFLICT);
    assert_string_equal(err.rule, "LED.601");
    khum_arena_free(&a);
}

/* The story in the news (issue 5): five seats, CNRP 3 and CPP 2 in June
 * 2017; a CNRP deputy chief joins the CPP on 23 October 2017; the CNRP is
 * dissolved on 16 November 2017. */
static void news_story(bool keeps_seat)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_council_rules r;
    khum_council_rules_default(&r);
    r.defector_keeps_seat = keeps_seat;
    khum_council_list l[] = {lst(&a, "CNRP", 1500, 3, 10), lst(&a, "CPP", 1100, 2, 10)};
    khum_ledger_event ev[] = {
        {1, "2017-10-23", KHUM_EV_DEFECT, "010201", "CNRP-2", NULL, "CPP", NULL, 0, 0, "press"},
        {2, "2017-11-16", KHUM_EV_DISSOLVE, "", NULL, "CNRP", NULL, NULL, 0, 0, "Supreme Court"},
    };
    khum_council c;
    khum_err err;
    /* June: two lists; chief CNRP-1, 1st deputy CNRP-2, 2nd deputy CPP-1. */
    assert_int_equal(khum_ledger_replay("010201", 5, l, 2, "2017-06-25", ev, 2, "2017-10-22",
                                        &r, &a, &c, NULL, &err), KHUM_OK);
    assert_int_equal(seats_of(&c, "CNRP"), 3);
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY1), "CNRP-2");
    assert_int_equal(khum_ledger_replay("010201", 5, l, 2, "2017-06-25", ev, 2, "2017-10-23",
                                        &r, &a, &c, NULL, &err), KHUM_OK);
    if (keeps_seat) {  /* the majority flips; he stays deputy chief, now for the CPP */
        assert_int_equal(seats_of(&c, "CPP"), 3);
        assert_int_equal(seats_of(&c, "CNRP"), 2);
        assert_string_equal(holder(&c, KHUM_POST_DEPUTY1), "CNRP-2");
    } else {           /* the law: CNRP-4 takes his seat, CNRP-3 his post; majority holds */
        assert_int_equal(seats_of(&c, "CNRP"), 3);
        assert_string_equal(holder(&c, KHUM_POST_DEPUTY1), "CNRP-3");
        bool in = false;
        for (size_t k = 0; k < c.n; k++)
            in |= !strcmp(c.m[k].person, "CNRP-4");
        assert_true(in);
    }
    /* After the dissolution every seat is the CPP's; posts derived again. */
    assert_int_equal(khum_ledger_replay("010201", 5, l, 2, "2017-06-25", ev, 2, "2017-11-16",
                                        &r, &a, &c, NULL, &err), KHUM_OK);
    assert_int_equal(seats_of(&c, "CPP"), 5);
    assert_int_equal((int)c.n, 5);
    assert_string_equal(holder(&c, KHUM_POST_CHIEF), "CPP-1");
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY1), "CPP-2");
    /* One group: posts in its order (own list first, later joiners after). */
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY2), "CPP-3");
    /* The defector still sits (for the CPP) only where defectors keep seats;
     * the pool was 2 seats then (CNRP-1, CNRP-3), 3 under the law. */
    const khum_member *d = NULL;
    for (size_t k = 0; k < c.n; k++)
        if (!strcmp(c.m[k].person, "CNRP-2"))
            d = &c.m[k];
    if (keeps_seat) {
        assert_non_null(d);
        assert_string_equal(d->party, "CPP");
        assert_string_equal(d->why, "defection");
    } else {
        assert_null(d);
    }
    khum_arena_free(&a);
}

/* rules.md §3: a tie in votes that decides a post is drawn from recorded lots
 * only. Without a seed the posts it decides stay empty and the council says
 * what waits; a tie below the third place decides nothing. */
static void test_post_ties_wait_for_lots(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_council_rules r;
    khum_council_rules_default(&r);
    khum_council c;
    khum_err err;
    /* CPP 600, CNRP 200, FCP 200; 5 seats: CPP 3, CNRP 1, FCP 1 */
    khum_council_list l[] = {lst(&a, "CPP", 600, 3, 10), lst(&a, "CNRP", 200, 1, 10),
                             lst(&a, "FCP", 200, 1, 10)};
    assert_int_equal(khum_council_form("010201", 5, l, 3, &r, "2017-06-25", &a, &c, &err),
                     KHUM_OK);
    assert_string_equal(holder(&c, KHUM_POST_CHIEF), "CPP-1");
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY1), "(none)");
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY2), "(none)");
    assert_int_equal(c.npending, 1);
    assert_int_equal(c.pending[0].event, 0);
    assert_string_equal(c.pending[0].parties, "CNRP,FCP");
    /* With the commune's lots, the smallest key of draw 0 takes the 1st deputy. */
    r.lots_seed = "seed-d1";
    char kc[65], kf[65];
    khum_alloc_lot_key("seed-d1", "010201", 0, "CNRP", kc);
    khum_alloc_lot_key("seed-d1", "010201", 0, "FCP", kf);
    assert_int_equal(khum_council_form("010201", 5, l, 3, &r, "2017-06-25", &a, &c, &err),
                     KHUM_OK);
    assert_int_equal(c.npending, 0);
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY1), strcmp(kc, kf) < 0 ? "CNRP-1" : "FCP-1");
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY2), strcmp(kc, kf) < 0 ? "FCP-1" : "CNRP-1");
    /* A tie for 4th place decides no post: nothing waits. */
    r.lots_seed = NULL;
    khum_council_list four[] = {lst(&a, "A", 900, 4, 18), lst(&a, "B", 500, 2, 18),
                                lst(&a, "C", 400, 1, 18), lst(&a, "D", 200, 1, 18),
                                lst(&a, "E", 200, 1, 18)};
    assert_int_equal(khum_council_form("010201", 9, four, 5, &r, "2017-06-25", &a, &c, &err),
                     KHUM_OK);
    assert_int_equal(c.npending, 0);
    assert_string_equal(holder(&c, KHUM_POST_DEPUTY2), "C-1");
    khum_arena_free(&a);
}

/* rules.md §6: CNRP 2,000 holds all 5 seats; CPP 300 and FCP 300 take 2 each
 * by the quota and the last seat and the posts hang on a tie: they wait for
 * the dissolution's lots in that commune, then follow them. */
static void test_dissolution_tie_waits_for_lots(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_council_rules r;
    khum_council_rules_default(&r);
    khum_council c;
    khum_err err;
    khum_council_list l[] = {lst(&a, "CNRP", 2000, 5, 10), lst(&a, "CPP", 300, 0, 10),
                             lst(&a, "FCP", 300, 0, 10)};
    khum_ledger_event ev = {1, "2017-11-16", KHUM_EV_DISSOLVE, "", NULL, "CNRP", NULL, NULL, 0,
                            0, "court"};
    khum_changes ch = {0};
    assert_int_equal(khum_ledger_replay("010201", 5, l, 3, "2017-06-25", &ev, 1, "2017-12-01",
                                        &r, &a, &c, &ch, &err), KHUM_OK);
    assert_int_equal(c.n, 0);
    assert_int_equal(c.vacant, 5);
    assert_int_equal(c.npending, 1);
    assert_int_equal(c.pending[0].event, 1);
    assert_string_equal(c.pending[0].what, "redistributed seats");
    assert_string_equal(c.pending[0].parties, "CPP,FCP");
    assert_string_equal(ch.v[ch.n - 1].what, "pending");
    /* The lots recorded for event 1 in this commune settle the seat and posts. */
    khum_event_lot lot = {1, "010201", "seed-dissolution"};
    r.event_lots = &lot;
    r.nevent_lots = 1;
    assert_int_equal(khum_ledger_replay("010201", 5, l, 3, "2017-06-25", &ev, 1, "2017-12-01",
                                        &r, &a, &c, NULL, &err), KHUM_OK);
    assert_int_equal(c.n, 5);
    assert_int_equal(c.npending, 0);
    char kc[65], kf[65];
    khum_alloc_lot_key("seed-dissolution", "010201", 1, "CPP", kc);
    const char *third = (khum_alloc_lot_key("seed-dissolution", "010201", 1, "FCP", kf),
                         strcmp(kc, kf) < 0 ? "CPP" : "FCP");
    assert_int_equal(seats_of(&c, third), 3);
    assert_non_null(khum_council_post_holder(&c, KHUM_POST_CHIEF));
    /* Lots of another commune or event decide nothing here. */
    khum_event_lot other[] = {{1, "010202", "x"}, {2, "010201", "y"}};
    r.event_lots = other;
    r.nevent_lots = 2;
    assert_int_equal(khum_ledger_replay("010201", 5, l, 3, "2017-06-25", &ev, 1, "2017-12-01",
                                        &r, &a, &c, NULL, &err), KHUM_OK);
    assert_int_equal(c.npending, 1);
    khum_arena_free(&a);
}

/* LEMNA 118(e) "its seats": a dissolved party's vacant seat (its list was too
 * short) is redistributed with the rest by default, kept vacant with
 * pool_without_vacant. */
static void test_dissolution_pool_and_vacant_seats(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_council_rules r;
    khum_council_rules_default(&r);
    khum_council c;
    khum_err err;
    /* CNRP won 3 seats with 2 names: one vacant seat (Art 118(d)) */
    khum_council_list l[] = {lst(&a, "CPP", 900, 2, 10), lst(&a, "CNRP", 1200, 3, 2)};
    khum_ledger_event ev = {1, "2017-11-16", KHUM_EV_DISSOLVE, "", NULL, "CNRP", NULL, NULL, 0,
                            0, "court"};
    assert_int_equal(khum_ledger_replay("010201", 5, l, 2, "2017-06-25", &ev, 1, "2017-12-01",
                                        &r, &a, &c, NULL, &err), KHUM_OK);
    assert_int_equal(seats_of(&c, "CPP"), 5);
    assert_int_equal(c.vacant, 0);
    r.pool_without_vacant = true;
    assert_int_equal(khum_ledger_replay("010201", 5, l, 2, "2017-06-25", &ev, 1, "2017-12-01",
                                        &r, &a, &c, NULL, &err), KHUM_OK);
    assert_int_equal(seats_of(&c, "CPP"), 4);
    assert_int_equal(c.vacant, 1);
    assert_false(khum_council_rules_is_law(&r));
    khum_arena_free(&a);
}

/* LAMC Art 37 (rules.md §5): the chief's list has no candidate left but its
 * 1st deputy sits: the post stays with the list, under either setting. A
 * what-if reading passes over an event it cannot apply, with a note. */
static void test_chief_post_stays_with_list(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_council_rules r;
    khum_council_rules_default(&r);
    khum_council c;
    khum_err err;
    /* CPP 3 (chief CPP-1, 1st deputy CPP-2, CPP-3), CNRP 2 (2nd deputy CNRP-1);
     * the CPP list has 3 names only, so CPP-3's resignation exhausts it. */
    khum_council_list l[] = {lst(&a, "CPP", 600, 3, 3), lst(&a, "CNRP", 400, 2, 10)};
    khum_ledger_event ev[] = {
        {1, "2017-08-01", KHUM_EV_RESIGN, "010201", "CPP-3", NULL, NULL, NULL, 0, 0, "l"},
        {2, "2017-09-01", KHUM_EV_RESIGN, "010201", "CPP-1", NULL, NULL, NULL, 0, 0, "l"},
    };
    for (int up = 0; up < 2; up++) {
        r.deputy_moves_up = up;
        khum_changes ch = {0};
        assert_int_equal(khum_ledger_replay("010201", 5, l, 2, "2017-06-25", ev, 2,
                                            "2017-09-02", &r, &a, &c, &ch, &err), KHUM_OK);
        assert_string_equal(holder(&c, KHUM_POST_CHIEF), "CPP-2");
        /* the 1st deputy's post: vacant by law; by rank order the 2nd deputy's */
        assert_string_equal(holder(&c, KHUM_POST_DEPUTY1), up ? "CNRP-1" : "(none)");
        assert_string_equal(holder(&c, KHUM_POST_DEPUTY2), up ? "CNRP-2" : "CNRP-1");
    }
    /* What-if: CNRP-4 was seated by the law's reading of a defection; read
     * with defector_keeps_seat, his resignation is skipped, not an error. */
    khum_council_list n[] = {lst(&a, "CNRP", 1500, 3, 10), lst(&a, "CPP", 1100, 2, 10)};
    khum_ledger_event story[] = {
        {1, "2017-10-23", KHUM_EV_DEFECT, "010201", "CNRP-2", NULL, "CPP", NULL, 0, 0, "p"},
        {2, "2017-11-01", KHUM_EV_RESIGN, "010201", "CNRP-4", NULL, NULL, NULL, 0, 0, "l"},
    };
    khum_council_rules_default(&r);
    khum_err_clear(&err);
    assert_int_equal(khum_ledger_replay("010201", 5, n, 2, "2017-06-25", story, 2,
                                        "2017-11-02", &r, &a, &c, NULL, &err), KHUM_OK);
    r.defector_keeps_seat = true;
    khum_changes ch = {0};
    assert_int_equal(khum_ledger_replay("010201", 5, n, 2, "2017-06-25", story, 2,
                                        "2017-11-02", &r, &a, &c, &ch, &err), KHUM_OK);
    assert_string_equal(ch.v[ch.n - 1].what, "skipped");
    assert_int_equal(seats_of(&c, "CPP"), 3);
    khum_arena_free(&a);
}

static void test_news_story(void **state)
{
    (void)state;
    news_story(true);
    news_story(false);
}

/* The whole ledger must hold over the mandate: a back-dated event that
 * breaks a later one is named, and so is an event that breaks only on the
 * days before a reversal (a replay to the end of the mandate alone reads). */
static void test_ledger_check(void **state)
{
    (void)state;
    khum_arena a;
    khum_council_rules r;
    khum_council_list l[2];
    nine_seats(&a, &r, l);
    const khum_ledger_event *broken = NULL;
    khum_err err;
    khum_ledger_event twice[] = {
        {1, "2017-09-20", KHUM_EV_RESIGN, "010201", "CPP-2", NULL, NULL, NULL, 0, 0, ""},
        {2, "2017-09-10", KHUM_EV_RESIGN, "010201", "CPP-2", NULL, NULL, NULL, 0, 0, ""},
    };
    assert_int_equal(khum_ledger_check("010201", 9, l, 2, "2017-06-04", twice, 1,
                                       "2022-06-04", &r, &a, &broken, &err), KHUM_OK);
    assert_null(broken);
    assert_int_equal(khum_ledger_check("010201", 9, l, 2, "2017-06-04", twice, 2,
                                       "2022-06-04", &r, &a, &broken, &err),
                     KHUM_ERR_CONFLICT);
    assert_non_null(broken);
    assert_int_equal(broken->id, 1);
    assert_string_equal(err.rule, "LED.601");
    /* CPP-2 resigns on 20 September, again on 1 October; the first is
     * reversed on 1 January. From then on both read; in between, not. */
    khum_ledger_event rev[] = {
        {1, "2017-09-20", KHUM_EV_RESIGN, "010201", "CPP-2", NULL, NULL, NULL, 0, 0, ""},
        {2, "2018-01-01", KHUM_EV_REVERSE, "", NULL, NULL, NULL, NULL, 0, 1, ""},
        {3, "2017-10-01", KHUM_EV_RESIGN, "010201", "CPP-2", NULL, NULL, NULL, 0, 0, ""},
    };
    khum_council c;
    assert_int_equal(khum_ledger_replay("010201", 9, l, 2, "2017-06-04", rev, 3, "2022-06-04",
                                        &r, &a, &c, NULL, &err), KHUM_OK);
    assert_int_equal(khum_ledger_check("010201", 9, l, 2, "2017-06-04", rev, 3, "2022-06-04",
                                       &r, &a, &broken, &err), KHUM_ERR_CONFLICT);
    assert_non_null(broken);
    assert_int_equal(broken->id, 3);
    khum_arena_free(&a);
}

/* The mandate's end: the fifth anniversary, or the eve of the next mandate. */
static void test_mandate_end(void **state)
{
    (void)state;
    char end[11];
    khum_mandate_end("2017-06-04", NULL, end);
    assert_string_equal(end, "2022-06-04");
    khum_mandate_end("2020-02-29", "", end);
    assert_string_equal(end, "2025-02-28");
    khum_mandate_end("2017-06-04", "2022-05-01", end);
    assert_string_equal(end, "2022-04-30");
    khum_mandate_end("2017-06-04", "2022-06-05", end);
    assert_string_equal(end, "2022-06-04");
    khum_mandate_end("2017-06-04", "2022-06-04", end);
    assert_string_equal(end, "2022-06-03");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_posts), cmocka_unit_test(test_head_only),
        cmocka_unit_test(test_redistribution_vectors),
        cmocka_unit_test(test_replacement_and_reversal), cmocka_unit_test(test_news_story),
        cmocka_unit_test(test_ledger_check), cmocka_unit_test(test_mandate_end),
        cmocka_unit_test(test_post_ties_wait_for_lots),
        cmocka_unit_test(test_dissolution_tie_waits_for_lots),
        cmocka_unit_test(test_dissolution_pool_and_vacant_seats),
        cmocka_unit_test(test_chief_post_stays_with_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
