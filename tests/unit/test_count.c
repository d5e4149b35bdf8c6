/*
 * test_count.c: election definitions (rules and hash), every form check
 * code, the double-entry state machine (every state x action), tabulation
 * with allocation and chiefs, and reconciliation.
 */
#include "testutil.h"

#include "khum/count.h"

static const char *const def[4] = {
    "id,name,date,mandate,method\nt-2022,Test,2022-06-05,5,cambodia\n",
    "commune,seats\n010202,7\n010201,5\n",
    "commune,party,ballot_no\n010201,CPP,1\n010201,CNRP,2\n010201,FCP,3\n010202,CPP,1\n"
    "010202,CNRP,2\n",
    "station,commune,registered\n010201-01,010201,500\n010201-02,010201,400\n"
    "010202-01,010202,600\n",
};

static khum_code load(khum_election *e, const char *const *texts, khum_err *err)
{
    khum_election_init(e);
    khum_csv *c[4];
    for (int i = 0; i < 4; i++)
        c[i] = csv_str(texts[i]);
    khum_code rc = khum_election_read(e, c[0], c[1], c[2], c[3], err);
    for (int i = 0; i < 4; i++)
        khum_csv_close(c[i]);
    return rc;
}

/* Place the election's communes in a gazetteer given as pumi CSV texts
 * (districts NULL: a country without that level). */
static void place(khum_election *e, const char *provinces, const char *districts,
                  const char *communes)
{
    khum_gazetteer g;
    khum_gazetteer_init(&g);
    khum_err err;
    khum_err_clear(&err);
    const char *texts[3] = {provinces, districts, communes};
    for (int l = 0; l < 3; l++) {
        if (!texts[l])
            continue;
        khum_csv *c = csv_str(texts[l]);
        if (khum_gazetteer_read_pumi(&g, (khum_level)(l + 1), c, &err))
            fail_msg("gazetteer: %s", err.msg);
        khum_csv_close(c);
    }
    if (khum_gazetteer_check(&g, &err) || khum_election_set_areas(e, &g, &err))
        fail_msg("gazetteer: %s", err.msg);
    khum_gazetteer_free(&g);
}

static void expect_ele(int which, const char *text, const char *rule)
{
    const char *t[4] = {def[0], def[1], def[2], def[3]};
    t[which] = text;
    khum_election e;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(load(&e, t, &err), KHUM_ERR_INPUT);
    if (strcmp(err.rule, rule) != 0)
        fail_msg("expected %s, got %s: %s", rule, err.rule, err.msg);
    khum_election_free(&e);
}

/* election.csv's rule set: threshold, base, tie chain, posts; each word
 * checked (ELE.720-723), and each part of the hash (v2), while the old
 * spellings of the old rules keep the v1 hash. */
static void test_election_rule_set(void **state)
{
    (void)state;
    khum_election e, f;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(load(&e, def, &err), KHUM_OK);
    const char *t[4] = {"id,name,date,mandate,method,tie_rule,threshold,threshold_base,posts\n"
                        "t-2022,Test,2022-06-05,5,cambodia,more-votes>lots,,valid,"
                        "chief-deputies\n", def[1], def[2], def[3]};
    assert_int_equal(load(&f, t, &err), KHUM_OK);
    assert_string_equal(e.hash, f.hash);  /* the old rule spelled out: the same election */
    khum_election_free(&f);
    t[0] = "id,name,date,mandate,method,tie_rule,threshold,threshold_base,posts\n"
           "t-2022,Test,2022-06-05,5,dhondt,fewer-votes>lots,5.25,valid+blank,head\n";
    assert_int_equal(load(&f, t, &err), KHUM_OK);
    assert_int_equal(f.threshold_e4, 52500);
    assert_int_equal(f.threshold_base, KHUM_BASE_VALID_BLANK);
    assert_int_equal(f.posts, KHUM_POSTS_HEAD);
    assert_null(khum_tie_rule_legacy(&f.tie_rule));
    char first[65];
    snprintf(first, sizeof first, "%s", f.hash);
    khum_election_free(&f);
    /* Each new rule alone changes the hash (a v2 text). */
    const char *rows[] = {
        "t-2022,Test,2022-06-05,5,cambodia,fewer-votes>lots,,,\n",
        "t-2022,Test,2022-06-05,5,cambodia,votes,5,,\n",
        "t-2022,Test,2022-06-05,5,cambodia,votes,,cast,\n",
        "t-2022,Test,2022-06-05,5,cambodia,votes,,,head\n"};
    char hashes[4][65];
    for (int k = 0; k < 4; k++) {
        char head[400];
        snprintf(head, sizeof head, "id,name,date,mandate,method,tie_rule,threshold,"
                 "threshold_base,posts\n%s", rows[k]);
        t[0] = head;
        assert_int_equal(load(&f, t, &err), KHUM_OK);
        assert_string_not_equal(f.hash, e.hash);
        assert_string_not_equal(f.hash, first);
        snprintf(hashes[k], sizeof hashes[k], "%s", f.hash);
        for (int j = 0; j < k; j++)
            assert_string_not_equal(hashes[j], f.hash);
        khum_election_free(&f);
    }
    /* 5 and 5.00 are the same threshold, so the same hash. */
    t[0] = "id,name,date,mandate,method,tie_rule,threshold\nt-2022,Test,2022-06-05,5,cambodia,"
           "votes,5.00\n";
    assert_int_equal(load(&f, t, &err), KHUM_OK);
    assert_string_equal(f.hash, hashes[1]);
    khum_election_free(&f);
    khum_election_free(&e);
    static const char hd[] = "id,date,mandate,tie_rule,threshold,threshold_base,posts\n";
    const struct { const char *row, *rule; } bad[] = {
        {"t,2022-06-05,5,coin,,,\n", "ELE.720"},
        {"t,2022-06-05,5,more-votes,,,\n", "ELE.720"},
        {"t,2022-06-05,5,lots>more-votes,,,\n", "ELE.720"},
        {"t,2022-06-05,5,votes,100.5,,\n", "ELE.721"},
        {"t,2022-06-05,5,votes,-1,,\n", "ELE.721"},
        {"t,2022-06-05,5,votes,4.12345,,\n", "ELE.721"},
        {"t,2022-06-05,5,votes,5%,,\n", "ELE.721"},
        {"t,2022-06-05,5,votes,5,blank,\n", "ELE.722"},
        {"t,2022-06-05,5,votes,5,,mayor\n", "ELE.723"}};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        char text[200];
        snprintf(text, sizeof text, "%s%s", hd, bad[k].row);
        expect_ele(0, text, bad[k].rule);
    }
    int32_t v;
    assert_true(khum_threshold_parse("100", &v));
    assert_int_equal(v, 1000000);
    assert_true(khum_threshold_parse("0", &v));
    assert_int_equal(v, 0);
    assert_true(khum_threshold_parse("0.0001", &v));
    assert_int_equal(v, 1);
    assert_false(khum_threshold_parse("100.0001", &v));
    assert_false(khum_threshold_parse(".5", &v));
    assert_false(khum_threshold_parse("5.", &v));
    char buf[16];
    khum_threshold_format(52500, buf, sizeof buf);
    assert_string_equal(buf, "5.25");
    khum_threshold_format(50000, buf, sizeof buf);
    assert_string_equal(buf, "5");
    khum_threshold_format(1, buf, sizeof buf);
    assert_string_equal(buf, "0.0001");
}

static void test_election_rules_and_hash(void **state)
{
    (void)state;
    khum_election e, f;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(load(&e, def, &err), KHUM_OK);
    assert_int_equal(e.ncommunes, 2);
    assert_string_equal(e.communes[0].code, "010201");  /* sorted */
    assert_int_equal(e.communes[0].nlists, 3);
    assert_int_equal(e.communes[0].nstations, 2);
    assert_int_equal(strlen(e.hash), 64);
    /* The same definition in another row order has the same hash... */
    const char *t[4] = {def[0], "commune,seats\n010201,5\n010202,7\n", def[2],
                        "station,commune,registered\n010202-01,010202,600\n010201-02,010201,"
                        "400\n010201-01,010201,500\n"};
    assert_int_equal(load(&f, t, &err), KHUM_OK);
    assert_string_equal(e.hash, f.hash);
    khum_election_free(&f);
    /* ...and any change changes it. */
    t[1] = "commune,seats\n010201,5\n010202,9\n";
    assert_int_equal(load(&f, t, &err), KHUM_OK);
    assert_string_not_equal(e.hash, f.hash);
    khum_election_free(&f);
    char s[20];
    khum_hash_short(e.hash, s);
    assert_int_equal(strlen(s), 19);
    /* The canonical text of docs/count.md, v1, by sha256sum: an election
     * that names none of the newer rules hashes exactly as it always has. */
    assert_string_equal(e.hash, "d798fecda46592074a77decf27a57a8f585cd44bea7a01879d4643233da8ae91");
    khum_election_free(&e);

    expect_ele(0, "id,date,mandate\nt,2022-02-30,5\n", "ELE.701");
    expect_ele(0, "id,date,mandate,method\nt,2022-06-05,5,borda\n", "ELE.701");
    expect_ele(0, "id,date,mandate\nbad id,2022-06-05,5\n", "ELE.701");
    expect_ele(1, "commune,seats\n010201,5\n010201,7\n", "ELE.702");
    expect_ele(1, "commune,seats\n010201,0\n010202,7\n", "ELE.703");
    expect_ele(2, "commune,party\n010201,CPP\n010201,CPP\n010202,CPP\n", "ELE.704");
    expect_ele(2, "commune,party\n010201,CPP\n010202,CPP\n019999,CPP\n", "ELE.704");
    expect_ele(3, "station,commune,registered\n010201-01,010201,5\n010201-01,010202,6\n",
               "ELE.705");
    expect_ele(3, "station,commune,registered\n010201-01,010201,5\n", "ELE.706");
}

typedef struct fx {
    khum_election e;
    const char *party[4];
    int64_t votes[4];
    khum_form f;
} fx;

/* A valid form for station 010201-01 (CPP, CNRP, FCP contest). */
static void good_form(fx *x)
{
    x->party[0] = "CPP";
    x->party[1] = "CNRP";
    x->party[2] = "FCP";
    x->votes[0] = 200;
    x->votes[1] = 150;
    x->votes[2] = 40;
    x->f = (khum_form){.station = "010201-01", .registered = 500, .received = 510, .cast = 400,
                       .spoiled = 2, .unused = 108, .valid = 390, .invalid = 10, .n = 3,
                       .party = x->party, .votes = x->votes};
}

static void want_check(fx *x, const char *code, bool only_warnings)
{
    khum_checks c;
    khum_form_check(&x->e, &x->f, &c);
    if (!khum_checks_has(&c, code))
        fail_msg("expected check %s, got %zu checks (first: %s)", code, c.n,
                 c.n ? c.items[0].code : "none");
    if (only_warnings)
        assert_int_equal(c.errors, 0);
    good_form(x);
}

static void test_every_check_code(void **state)
{
    (void)state;
    fx x;
    khum_err err;
    assert_int_equal(load(&x.e, def, &err), KHUM_OK);
    good_form(&x);
    khum_checks c;
    khum_form_check(&x.e, &x.f, &c);
    assert_int_equal(c.n, 0);  /* the good form passes every check */

    x.f.spoiled = -2;                                  want_check(&x, "F.101", false);
    x.votes[0] = 201;                                  want_check(&x, "F.102", false);
    x.f.invalid = 11;                                  want_check(&x, "F.103", false);
    x.f.unused = 100;                                  want_check(&x, "F.104", false);
    x.f.registered = 350;                              want_check(&x, "F.105", false);
    x.f.station = "010202-01";                         want_check(&x, "F.106", false);
    x.f.station = "099999-01";                         want_check(&x, "F.107", false);
    x.f.n = 2;                                         want_check(&x, "F.108", false);
    x.f.registered = 501;                              want_check(&x, "F.109", false);
    /* warnings: invalid above 5 % of cast */
    x.f.invalid = 30; x.f.valid = 370; x.votes[0] = 180; want_check(&x, "W.201", true);
    /* turnout above 98 % (492 of 500) */
    x.f.cast = 492; x.f.unused = 16; x.f.valid = 482; x.votes[0] = 292;
    want_check(&x, "W.202", true);
    /* turnout below 30 % (140 of 500) */
    x.f.cast = 140; x.f.unused = 368; x.f.valid = 130; x.votes[0] = 60; x.votes[1] = 40;
    x.votes[2] = 30;                                   want_check(&x, "W.203", true);
    /* one list has every valid vote */
    x.votes[0] = 390; x.votes[1] = 0; x.votes[2] = 0;  want_check(&x, "W.204", true);
    /* Blank ballots (validly cast for no list): valid + blank + invalid = cast,
     * valid stays the lists' sum; 20 of the 400 ballots blank, 10 fewer
     * invalid and 10 fewer for CPP, pass every check. */
    x.f.blank = 20; x.f.invalid = 0; x.f.valid = 380; x.votes[0] = 190;
    khum_form_check(&x.e, &x.f, &c);
    if (c.n)
        fail_msg("a form with blank ballots that add up fails %s: %s", c.items[0].code,
                 c.items[0].msg);
    good_form(&x);
    x.f.blank = 20;                                    want_check(&x, "F.103", false);
    x.f.blank = 401;                                   want_check(&x, "F.114", false);
    x.f.blank = -1;                                    want_check(&x, "F.101", false);
    x.f.blank = KHUM_FORM_MAX + 1;                     want_check(&x, "F.113", false);
    khum_election_free(&x.e);
}

/* Two entries that differ only in their blank ballots differ, and say where. */
static void test_blank_entries_differ(void **state)
{
    (void)state;
    fx x, y;
    good_form(&x);
    good_form(&y);
    y.f.blank = 5;
    char diff[64];
    assert_false(khum_form_equal(&x.f, &y.f, diff, sizeof diff));
    assert_string_equal(diff, "blank");
    y.f.blank = 0;
    assert_true(khum_form_equal(&x.f, &y.f, diff, sizeof diff));
}

/* The wide results format takes an optional blank column. */
static void test_reader_blank_column(void **state)
{
    (void)state;
    fx x;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(load(&x.e, def, &err), KHUM_OK);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_csv *csv = csv_str("station,registered,received,cast,spoiled,unused,valid,blank,"
                            "invalid,CPP,CNRP,FCP\n010201-01,500,510,400,2,108,380,20,0,190,"
                            "150,40\n");
    khum_form_reader *r;
    assert_int_equal(khum_form_reader_open(csv, &x.e, &a, &r, &err), KHUM_OK);
    assert_int_equal(khum_form_columns_check(csv, &x.e, &err), KHUM_OK);
    khum_form f;
    const char *expl;
    assert_int_equal(khum_form_reader_next(r, &f, &expl, &err), 1);
    assert_int_equal(f.blank, 20);
    assert_int_equal(f.valid, 380);
    assert_int_equal(f.n, 3);
    khum_checks c;
    khum_form_check(&x.e, &f, &c);
    assert_int_equal(c.n, 0);
    khum_form_reader_close(r);
    khum_csv_close(csv);
    khum_arena_free(&a);
    khum_election_free(&x.e);
}

/* The votes file of the long format at scale: 3,000 lists over 6 councils
 * of 500 (a wide file would need 3,000 columns), the rows in reverse order;
 * every vote lands on its list, in ballot order, and a repeated row is
 * refused at its line (F.116). */
static void test_votes_file_many_lists(void **state)
{
    (void)state;
    enum { COUNCILS = 6, PER = 500 };
    khum_buf t[4], f, v;
    for (int i = 0; i < 4; i++)
        khum_buf_init(&t[i]);
    khum_buf_init(&f);
    khum_buf_init(&v);
    khum_buf_puts(&t[0], "id,date,mandate,method\nbig,2025-10-12,4,dhondt\n");
    khum_buf_puts(&t[1], "commune,seats\n");
    khum_buf_puts(&t[2], "commune,party,ballot_no\n");
    khum_buf_puts(&t[3], "station,commune,registered\n");
    khum_buf_puts(&f, "station,registered,received,cast,spoiled,unused,valid,blank,invalid\n");
    for (int c = 1; c <= COUNCILS; c++) {
        khum_buf_printf(&t[1], "0102%02d,9\n", c);
        for (int i = 1; i <= PER; i++)
            khum_buf_printf(&t[2], "0102%02d,L%d-%03d,%d\n", c, c, i, i);
        khum_buf_printf(&t[3], "0102%02d-01,0102%02d,1000000\n", c, c);
        khum_buf_printf(&f, "0102%02d-01,1000000,1000000,125252,0,874748,125250,1,1\n", c);
    }
    khum_buf_puts(&v, "station,party,votes\n");
    for (int c = COUNCILS; c >= 1; c--)
        for (int i = PER; i >= 1; i--)
            khum_buf_printf(&v, "0102%02d-01,L%d-%03d,%d\n", c, c, i, i);
    khum_buf_puts(&v, "010201-01,L1-007,7\n");  /* given before */
    const char *texts[4] = {t[0].data, t[1].data, t[2].data, t[3].data};
    khum_election e;
    khum_err err;
    khum_err_clear(&err);
    if (load(&e, texts, &err))
        fail_msg("%s [%s] line %ld", err.msg, err.rule, err.line);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_csv *fc = csv_str(f.data), *vc = csv_str(v.data);
    khum_form_reader *r;
    assert_int_equal(khum_form_reader_open(fc, &e, &a, &r, &err), KHUM_OK);
    assert_int_equal(khum_form_reader_figures_only(r, &err), KHUM_OK);
    khum_form forms[COUNCILS];
    const char *x;
    for (int c = 0; c < COUNCILS; c++)
        assert_int_equal(khum_form_reader_next(r, &forms[c], &x, &err), 1);
    bool bad[COUNCILS] = {false};
    khum_diags rejected = {0};
    size_t rows;
    assert_int_equal(khum_form_votes_read(vc, &e, forms, COUNCILS, "f.csv", bad, &a, &rejected,
                                          &rows, &err), KHUM_OK);
    assert_int_equal(rows, COUNCILS * PER + 1);
    for (int c = 0; c < COUNCILS; c++) {
        assert_int_equal(forms[c].n, PER);
        assert_int_equal(forms[c].votes[0], 1);
        assert_int_equal(forms[c].votes[PER - 1], PER);
        assert_true(bad[c] == (c == 0));
        khum_checks k;
        khum_form_check(&e, &forms[c], &k);
        assert_int_equal(k.errors, 0);
    }
    assert_string_equal(forms[5].party[PER - 1], "L6-500");
    assert_int_equal(rejected.n, 1);
    assert_string_equal(rejected.items[0].rule, "F.116");
    assert_int_equal(rejected.items[0].line, COUNCILS * PER + 2);
    khum_diags_free(&rejected);
    khum_csv_close(fc);
    khum_csv_close(vc);
    khum_arena_free(&a);
    khum_election_free(&e);
    for (int i = 0; i < 4; i++)
        khum_buf_free(&t[i]);
    khum_buf_free(&f);
    khum_buf_free(&v);
}

static void test_state_machine(void **state)
{
    (void)state;
    const khum_form_state E = KHUM_FS_EMPTY, F = KHUM_FS_FIRST_ENTERED,
                          D = KHUM_FS_DIFFERENT, N = KHUM_FS_NEEDS_EXPLANATION,
                          A = KHUM_FS_ACCEPTED, O = KHUM_FS_OFFICIAL;
    /* from, action, agree, same user, warnings open, expected (or -1: refused) */
    static const struct {
        khum_form_state from;
        khum_entry_action act;
        bool agree, same, open;
        int to;
    } t[] = {
        {KHUM_FS_EMPTY, KHUM_ACT_ENTER, 0, 0, 0, KHUM_FS_FIRST_ENTERED},
        {KHUM_FS_EMPTY, KHUM_ACT_KEEP_FIRST, 0, 0, 0, -1},
        {KHUM_FS_EMPTY, KHUM_ACT_MAKE_OFFICIAL, 0, 0, 0, -1},
        {KHUM_FS_FIRST_ENTERED, KHUM_ACT_ENTER, 1, 0, 0, KHUM_FS_ACCEPTED},
        {KHUM_FS_FIRST_ENTERED, KHUM_ACT_ENTER, 1, 0, 1, KHUM_FS_NEEDS_EXPLANATION},
        {KHUM_FS_FIRST_ENTERED, KHUM_ACT_ENTER, 0, 0, 0, KHUM_FS_DIFFERENT},
        {KHUM_FS_FIRST_ENTERED, KHUM_ACT_ENTER, 1, 1, 0, -1},
        {KHUM_FS_FIRST_ENTERED, KHUM_ACT_REKEY_FIRST, 0, 0, 0, KHUM_FS_EMPTY},
        {KHUM_FS_FIRST_ENTERED, KHUM_ACT_MAKE_OFFICIAL, 0, 0, 0, -1},
        {KHUM_FS_DIFFERENT, KHUM_ACT_KEEP_FIRST, 0, 0, 0, KHUM_FS_ACCEPTED},
        {KHUM_FS_DIFFERENT, KHUM_ACT_KEEP_SECOND, 0, 0, 1, KHUM_FS_NEEDS_EXPLANATION},
        {KHUM_FS_DIFFERENT, KHUM_ACT_REKEY_FIRST, 0, 0, 0, KHUM_FS_FIRST_ENTERED},
        {KHUM_FS_DIFFERENT, KHUM_ACT_REKEY_SECOND, 0, 0, 0, KHUM_FS_FIRST_ENTERED},
        {KHUM_FS_DIFFERENT, KHUM_ACT_ENTER, 1, 0, 0, -1},
        {KHUM_FS_NEEDS_EXPLANATION, KHUM_ACT_EXPLAIN, 0, 0, 1, KHUM_FS_NEEDS_EXPLANATION},
        {KHUM_FS_NEEDS_EXPLANATION, KHUM_ACT_EXPLAIN, 0, 0, 0, KHUM_FS_ACCEPTED},
        {KHUM_FS_NEEDS_EXPLANATION, KHUM_ACT_MAKE_OFFICIAL, 0, 0, 0, -1},
        {KHUM_FS_ACCEPTED, KHUM_ACT_MAKE_OFFICIAL, 0, 0, 0, KHUM_FS_OFFICIAL},
        {KHUM_FS_ACCEPTED, KHUM_ACT_ENTER, 1, 0, 0, -1},
        {KHUM_FS_ACCEPTED, KHUM_ACT_CORRECT, 0, 0, 0, -1},
        {KHUM_FS_OFFICIAL, KHUM_ACT_CORRECT, 0, 0, 0, KHUM_FS_EMPTY},
        {KHUM_FS_OFFICIAL, KHUM_ACT_ENTER, 1, 0, 0, -1},
        {KHUM_FS_OFFICIAL, KHUM_ACT_KEEP_FIRST, 0, 0, 0, -1},
    };
    (void)E; (void)F; (void)D; (void)N; (void)A; (void)O;
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        khum_form_state to;
        khum_err err;
        khum_err_clear(&err);
        khum_code rc = khum_entry_next(t[i].from, t[i].act, t[i].agree, t[i].same, t[i].open,
                                       &to, &err);
        if (t[i].to < 0) {
            if (rc == KHUM_OK)
                fail_msg("%s in %s should be refused", khum_entry_action_name(t[i].act),
                         khum_form_state_name(t[i].from));
            assert_int_equal(strncmp(err.rule, "CNT.80", 6), 0);
        } else {
            if (rc != KHUM_OK || (int)to != t[i].to)
                fail_msg("%s in %s: got %s (%s)", khum_entry_action_name(t[i].act),
                         khum_form_state_name(t[i].from), khum_form_state_name(to), err.msg);
        }
    }
}

static khum_form mk(const char *station, int64_t reg, int64_t cast, int64_t invalid,
                    const char **party, int64_t *votes, size_t n)
{
    int64_t valid = 0;
    for (size_t i = 0; i < n; i++)
        valid += votes[i];
    return (khum_form){.station = station, .registered = reg, .received = reg + 10,
                       .cast = cast, .unused = reg + 10 - cast, .valid = valid,
                       .invalid = invalid, .n = n, .party = party, .votes = votes};
}

/* The state machine's own refusals: an explanation owed (CNT.804) and a
 * state it does not know (CNT.800, a caller's bug). */
static void test_state_machine_refusals(void **state)
{
    (void)state;
    khum_form_state to;
    khum_err err;
    khum_err_clear(&err);
    assert_int_not_equal(khum_entry_next(KHUM_FS_NEEDS_EXPLANATION, KHUM_ACT_MAKE_OFFICIAL, false,
                                         false, true, &to, &err), KHUM_OK);
    assert_string_equal(err.rule, "CNT.804");
    khum_err_clear(&err);
    assert_int_equal(khum_entry_next((khum_form_state)99, KHUM_ACT_ENTER, false, false, false,
                                     &to, &err), KHUM_ERR_INTERNAL);
    assert_string_equal(err.rule, "CNT.800");
}

/* An imported form settles an empty form (accepted, or needs-explanation
 * while a warning is unexplained) and is refused with F.111 everywhere else:
 * imports go through the one state machine (issue 14). */
static void test_state_machine_import(void **state)
{
    (void)state;
    khum_form_state to;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_entry_next(KHUM_FS_EMPTY, KHUM_ACT_IMPORT, false, false, false, &to,
                                     &err), KHUM_OK);
    assert_int_equal(to, KHUM_FS_ACCEPTED);
    assert_int_equal(khum_entry_next(KHUM_FS_EMPTY, KHUM_ACT_IMPORT, false, false, true, &to,
                                     &err), KHUM_OK);
    assert_int_equal(to, KHUM_FS_NEEDS_EXPLANATION);
    assert_string_equal(khum_entry_action_name(KHUM_ACT_IMPORT), "import");
    for (int from = KHUM_FS_FIRST_ENTERED; from <= KHUM_FS_OFFICIAL; from++) {
        khum_err_clear(&err);
        assert_int_equal(khum_entry_next((khum_form_state)from, KHUM_ACT_IMPORT, true, false,
                                         false, &to, &err), KHUM_ERR_CONFLICT);
        assert_string_equal(err.rule, "F.111");
        assert_int_equal(to, from);
    }
}

static void test_tally_and_reconcile(void **state)
{
    (void)state;
    khum_election e;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(load(&e, def, &err), KHUM_OK);
    place(&e, "code,name_km,name_latin\n01,ក,Banteay Meanchey\n",
          "code,province_code,name_km,name_latin\n0102,01,ក,Mongkol Borey\n",
          "code,district_code,province_code,name_km,name_latin\n010201,0102,01,ក,Banteay Neang\n"
          "010202,0102,01,ក,Bat Trang\n");
    const char *p3[] = {"CPP", "CNRP", "FCP"}, *p2[] = {"CPP", "CNRP"};
    int64_t v1[] = {200, 150, 40}, v2[] = {150, 100, 44}, v3[] = {300, 140};
    khum_form forms[3] = {mk("010201-01", 500, 400, 10, p3, v1, 3),
                          mk("010201-02", 400, 300, 6, p3, v2, 3),
                          mk("010202-01", 600, 450, 10, p2, v3, 2)};
    khum_tally t;
    /* Only two of three stations: 010202 is complete, 010201 is not. */
    assert_int_equal(khum_tally_run(&e, forms + 1, 2, NULL, 0, &t, &err), KHUM_OK);
    assert_false(t.communes[0].allocated);
    assert_true(t.communes[1].allocated);
    assert_int_equal(t.nation.stations_reported, 2);
    assert_int_equal(t.nation.communes_allocated, 1);
    assert_false(t.nation.complete);
    khum_tally_free(&t);

    assert_int_equal(khum_tally_run(&e, forms, 3, NULL, 0, &t, &err), KHUM_OK);
    int cpp = khum_tally_party_index(&t, "CPP"), cnrp = khum_tally_party_index(&t, "CNRP");
    /* 010201: CPP 350, CNRP 250, FCP 84 -> D'Hondt 5 seats: CPP 3, CNRP 2 */
    assert_int_equal(t.communes[0].area.votes[cpp], 350);
    assert_int_equal(t.communes[0].area.seats[cpp], 3);
    assert_int_equal(t.communes[0].area.seats[cnrp], 2);
    assert_int_equal(t.communes[0].chief_party, cpp);
    /* 010202: CPP 300, CNRP 140 -> 7 seats: CPP 5, CNRP 2 */
    assert_int_equal(t.communes[1].area.seats[cpp], 5);
    assert_int_equal(t.nation.seats[cpp], 8);
    assert_int_equal(t.nation.chiefs[cpp], 2);
    assert_int_equal(t.nation.registered, 1500);
    assert_int_equal(t.nation.valid, 350 + 250 + 84 + 440);
    assert_int_equal(t.nprovinces, 1);
    assert_int_equal(t.ndistricts, 1);
    assert_true(t.nation.complete);
    /* Reconciliation: stored totals that match, and one that does not. */
    khum_published_total pub[] = {{"", "valid", 1124}, {"0102", "seats:CPP", 8},
                                  {"010201", "votes:CPP", 351}, {"010202", "cast", 450}};
    khum_diags d = {0};
    size_t which[4];
    assert_int_equal(khum_tally_reconcile(&t, pub, 4, &d, which), 1);
    assert_int_equal(which[0], 2);
    assert_string_equal(d.items[0].rule, "R.403");
    assert_non_null(strstr(d.items[0].msg, "010201"));
    khum_diags_free(&d);
    /* Stored totals of an area the election lacks (R.401) or of an unknown kind (R.402). */
    khum_published_total odd[] = {{"0199", "valid", 1}, {"010201", "colour", 2}};
    assert_int_equal(khum_tally_reconcile(&t, odd, 2, &d, NULL), 2);
    assert_string_equal(d.items[0].rule, "R.401");
    assert_string_equal(d.items[1].rule, "R.402");
    khum_diags_free(&d);
    khum_tally_free(&t);

    /* A tie for the last seat waits for lots, and a seed settles it. */
    int64_t tie[] = {300, 300};
    khum_form f2[3] = {forms[0], forms[1], mk("010202-01", 600, 600, 0, p2, tie, 2)};
    assert_int_equal(khum_tally_run(&e, f2, 3, NULL, 0, &t, &err), KHUM_OK);
    assert_true(t.communes[1].needs_lots);
    assert_false(t.communes[1].allocated);
    khum_tally_free(&t);
    khum_commune_lots lots[] = {{"010202", "drawn in public"}};
    assert_int_equal(khum_tally_run(&e, f2, 3, lots, 1, &t, &err), KHUM_OK);
    assert_true(t.communes[1].allocated);
    assert_int_equal(t.communes[1].area.seats_total, 7);
    khum_tally_free(&t);
    khum_election_free(&e);
}

/* A country without districts, codes of letters and digits that are not
 * their parents' prefixes (issue 15): the levels come from the gazetteer's
 * parent columns, never from a code's length; without a gazetteer there is
 * the nation and the councils only. */
static const char *const two_level[4] = {
    "id,name,date,mandate,method\nx-2025,Two levels,2025-10-12,1,dhondt\n",
    "commune,seats\n0302,5\n03FA,3\nZ9,3\n",
    "commune,party,ballot_no\n0302,AA,1\n0302,BB,2\n03FA,AA,1\n03FA,BB,2\nZ9,AA,1\n"
    "Z9,BB,2\n",
    "station,commune,registered\n0302FA,0302,100\n0302FB,0302,100\n03FA01,03FA,50\n"
    "Z9A,Z9,80\n",
};

static void test_tally_two_levels(void **state)
{
    (void)state;
    khum_election e;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(load(&e, two_level, &err), KHUM_OK);
    const char *pa[] = {"AA", "BB"};
    int64_t v1[] = {60, 30}, v2[] = {50, 40}, v3[] = {20, 25}, v4[] = {40, 30};
    khum_form forms[4] = {mk("0302FA", 100, 90, 0, pa, v1, 2), mk("0302FB", 100, 90, 0, pa, v2, 2),
                          mk("03FA01", 50, 45, 0, pa, v3, 2), mk("Z9A", 80, 70, 0, pa, v4, 2)};
    khum_tally t;
    /* no gazetteer: nation and councils, no province made up from a prefix */
    assert_int_equal(khum_tally_run(&e, forms, 4, NULL, 0, &t, &err), KHUM_OK);
    assert_int_equal(t.nprovinces, 0);
    assert_int_equal(t.ndistricts, 0);
    assert_int_equal(t.nation.valid, 295);
    assert_int_equal(t.nation.communes, 3);
    khum_tally_free(&t);

    /* Z9 lies in province 03 and 03FA in province 11: the parent column
     * decides, whatever the codes look like */
    place(&e, "code,name_latin\n03,Braganca\n11,Lisboa\n", NULL,
          "code,province_code,district_code,name_latin\n0302,03,,Braganca\n"
          "03FA,11,,Lisboa\nZ9,03,,Vinhais\n");
    assert_int_equal(khum_tally_run(&e, forms, 4, NULL, 0, &t, &err), KHUM_OK);
    assert_int_equal(t.ndistricts, 0);
    assert_int_equal(t.nprovinces, 2);
    const khum_tally_area *p03 = khum_tally_area_find(&t, "03"), *p11 = khum_tally_area_find(&t, "11");
    assert_non_null(p03);
    assert_non_null(p11);
    assert_int_equal(p03->level, 1);
    assert_int_equal(p03->valid, 90 + 90 + 70);
    assert_int_equal(p03->communes, 2);
    assert_int_equal(p11->valid, 45);
    assert_int_equal(p03->seats_total, 5 + 3);
    assert_true(p03->complete);
    assert_int_equal(t.nation.valid, 295);
    assert_int_equal(t.nation.seats_total, 11);
    const khum_tally_area *z9 = khum_tally_area_find(&t, "Z9");
    assert_non_null(z9);
    assert_int_equal(z9->level, 3);
    assert_string_equal(khum_tally_area_parent(z9), "03");
    assert_string_equal(khum_tally_area_parent(p03), "");
    assert_true(khum_tally_area_within(z9, "03"));
    assert_false(khum_tally_area_within(z9, "11"));
    assert_true(khum_tally_area_within(z9, ""));
    assert_null(khum_tally_area_find(&t, "0"));
    khum_tally_free(&t);
    khum_election_free(&e);
}

/* The live tally (khum_tally_update) against a full count, over random
 * orders of entries, replacements and withdrawals: 6 communes in 3 districts
 * of 2 provinces, small vote counts so that ties (and lots) come often. */
static const char *const live_def[4] = {
    "id,name,date,mandate,method\nl-2022,Live,2022-06-05,5,cambodia\n",
    "commune,seats\n010101,3\n010102,5\n010201,7\n020101,3\n020102,5\n010202,3\n",
    "commune,party,ballot_no\n010101,AA,1\n010101,BB,2\n010102,AA,1\n010102,BB,2\n"
    "010102,CC,3\n010201,AA,1\n010201,CC,2\n020101,BB,1\n020101,CC,2\n020102,AA,1\n"
    "020102,BB,2\n020102,CC,3\n010202,AA,1\n010202,BB,2\n",
    "station,commune,registered\n010101-1,010101,90\n010102-1,010102,90\n"
    "010102-2,010102,90\n010201-1,010201,90\n010201-2,010201,90\n010201-3,010201,90\n"
    "020101-1,020101,90\n020102-1,020102,90\n020102-2,020102,90\n010202-1,010202,90\n",
};

static void test_tally_live_random_orders(void **state)
{
    (void)state;
    khum_election e;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(load(&e, live_def, &err), KHUM_OK);
    place(&e, "code,name_latin\n01,One\n02,Two\n",
          "code,province_code,name_latin\n0101,01,A\n0102,01,B\n0201,02,C\n",
          "code,district_code,province_code,name_latin\n010101,0101,01,a\n010102,0101,01,b\n"
          "010201,0102,01,c\n010202,0102,01,d\n020101,0201,02,e\n020102,0201,02,f\n");
    khum_commune_lots lots[] = {{"010102", "seed one"}, {"020101", "seed two"}};
    const char *parties[] = {"AA", "BB", "CC"};
    enum { NS = 10, ROUNDS = 60, STEPS = 40 };
    int64_t votes[NS][3];
    khum_form cur[NS];
    bool has[NS];
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int round = 0; round < ROUNDS; round++) {
        khum_tally live, full;
        memset(has, 0, sizeof has);
        assert_int_equal(khum_tally_begin(&e, &live, &err), KHUM_OK);
        assert_int_equal(khum_tally_track(&live, &e, &err), KHUM_OK);
        assert_int_equal(khum_tally_end(&live, &e, lots, round % 2 ? 2 : 0, &err), KHUM_OK);
        for (int step = 0; step < STEPS; step++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            size_t i = x % NS;
            const khum_station *st = &e.stations[i];
            const khum_election_commune *ec = &e.communes[st->commune_index];
            bool withdraw = (x >> 8) % 5 == 0;
            for (size_t k = 0; k < ec->nlists; k++)
                votes[i][k] = (int64_t)((x >> (16 + 5 * k)) % 6);
            const char **names = khum_arena_alloc(&live.arena, 3 * sizeof *names);
            for (size_t k = 0; k < ec->nlists; k++)
                names[k] = e.lists[ec->first_list + k].party;
            cur[i] = mk(st->code, 90, 40, 1, names, votes[i], ec->nlists);
            has[i] = !withdraw;
            assert_int_equal(khum_tally_update(&live, &e, st->code, has[i] ? &cur[i] : NULL,
                                               lots, round % 2 ? 2 : 0, &err), KHUM_OK);
            khum_form now[NS];
            size_t n = 0;
            for (size_t k = 0; k < NS; k++)
                if (has[k])
                    now[n++] = cur[k];
            assert_int_equal(khum_tally_run(&e, now, n, lots, round % 2 ? 2 : 0, &full, &err),
                             KHUM_OK);
            if (khum_tally_compare(&live, &full, &err))
                fail_msg("round %d step %d: %s", round, step, err.msg);
            khum_tally_free(&full);
        }
        khum_tally_free(&live);
    }
    /* and the comparison itself names a difference */
    khum_tally a, b;
    votes[0][0] = 7, votes[0][1] = 3;
    khum_form one[1] = {mk("010101-1", 90, 40, 1, parties, votes[0], 2)};
    assert_int_equal(khum_tally_run(&e, one, 1, NULL, 0, &a, &err), KHUM_OK);
    votes[0][1] = 4;
    one[0] = mk("010101-1", 90, 40, 1, parties, votes[0], 2);
    assert_int_equal(khum_tally_run(&e, one, 1, NULL, 0, &b, &err), KHUM_OK);
    assert_int_equal(khum_tally_compare(&a, &b, &err), KHUM_ERR_CONFLICT);
    assert_string_equal(err.rule, "TLY.890");
    assert_non_null(strstr(err.msg, "010101"));
    khum_tally_free(&a);
    khum_tally_free(&b);
    khum_election_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_election_rules_and_hash),
        cmocka_unit_test(test_election_rule_set),
        cmocka_unit_test(test_every_check_code),
        cmocka_unit_test(test_blank_entries_differ),
        cmocka_unit_test(test_reader_blank_column),
        cmocka_unit_test(test_votes_file_many_lists),
        cmocka_unit_test(test_state_machine),
        cmocka_unit_test(test_state_machine_refusals),
        cmocka_unit_test(test_state_machine_import),
        cmocka_unit_test(test_tally_and_reconcile),
        cmocka_unit_test(test_tally_two_levels),
        cmocka_unit_test(test_tally_live_random_orders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
