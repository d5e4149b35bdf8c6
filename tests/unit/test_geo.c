/*
 * test_geo.c: reading and checking the gazetteer (pumi CSVs and the raw NCDD
 * export), population, council sizes and parties, each rule code once, and
 * the agreement of the real NCDD Kampong Cham file with the pumi data.
 */
#include "testutil.h"

#include "khum/geo.h"

static const char *const mini[4] = {
    "code,name_km,name_latin,lat,long\n01,ក,Alpha,13.5,103.0\n",
    "code,province_code,name_km,name_latin\n0101,01,ខ,Beta\n0102,01,គ,Gamma\n",
    ("code,district_code,province_code,name_km,name_latin\n010101,0101,01,ឃ,Delta\n"
     "010201,0102,01,ង,Epsilon\n"),
    "code,commune_code,name_km,name_latin\n01010101,010101,ច,\n",
};

/* Read the mini gazetteer with level `bad_level` replaced by `bad_text`. */
static khum_code read_mini(khum_gazetteer *g, int bad_level, const char *bad_text,
                           khum_err *err)
{
    khum_gazetteer_init(g);
    for (int l = 1; l <= 4; l++) {
        khum_csv *c = csv_str(l == bad_level ? bad_text : mini[l - 1]);
        khum_code rc = khum_gazetteer_read_pumi(g, (khum_level)l, c, err);
        khum_csv_close(c);
        if (rc)
            return rc;
    }
    return khum_gazetteer_check(g, err);
}

static void test_pumi_ok(void **state)
{
    (void)state;
    khum_gazetteer g;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(read_mini(&g, 0, NULL, &err), KHUM_OK);
    assert_int_equal(khum_gazetteer_count(&g, KHUM_PROVINCE), 1);
    assert_int_equal(khum_gazetteer_count(&g, KHUM_DISTRICT), 2);
    assert_int_equal(khum_gazetteer_count(&g, KHUM_COMMUNE), 2);
    assert_int_equal(khum_gazetteer_count(&g, KHUM_VILLAGE), 1);
    const khum_unit *p = khum_gazetteer_find(&g, KHUM_PROVINCE, "01");
    assert_non_null(p);
    assert_true(p->has_centroid);
    assert_string_equal(khum_gazetteer_find(&g, KHUM_COMMUNE, "010201")->parent, "0102");
    /* After the check the array is ordered by level, parents first. */
    for (size_t i = 1; i < g.n; i++)
        assert_true(g.units[i - 1].level <= g.units[i].level);
    khum_gazetteer_free(&g);
}

static void expect_rule(int level, const char *text, const char *rule, long line, long col)
{
    khum_gazetteer g;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(read_mini(&g, level, text, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, rule);
    assert_int_equal(err.line, line);
    if (col >= 0)
        assert_int_equal(err.col, col);
    assert_string_equal(err.file, "t.csv");
    khum_gazetteer_free(&g);
}

static void test_pumi_rules(void **state)
{
    (void)state;
    /* bad code: a character outside letters and digits, or over 16 of them */
    expect_rule(3, "code,district_code,name_km,name_latin\n0101-1,0101,ឃ,Delta\n", "GEO.201",
                2, 1);
    expect_rule(3, "code,district_code,name_km,name_latin\n01010101010101010,0101,ឃ,Delta\n",
                "GEO.201", 2, 1);
    expect_rule(3, "code,district_code,name_km,name_latin\n010101,01 01,ឃ,Delta\n", "GEO.201",
                2, 8);
    /* the province column disagrees with the district's province */
    expect_rule(3, "code,district_code,province_code,name_km,name_latin\n"
                   "010101,0101,02,ឃ,Delta\n", "GEO.202", 2, 1);
    /* a commune that names neither district nor province; a file without
     * any parent column */
    expect_rule(3, "code,district_code,province_code,name_km,name_latin\n010101,,,ឃ,Delta\n",
                "GEO.202", 2, 9);
    expect_rule(2, "code,name_km,name_latin\n0101,ខ,Beta\n", "GEO.202", 1, -1);
    /* a unit its own parent; a district under a district (a cycle 0101 ->
     * 0102 -> 0101 cannot be built: a parent is at a level above) */
    expect_rule(2, "code,province_code,name_km,name_latin\n0101,0101,ខ,Beta\n", "GEO.213",
                2, 1);
    expect_rule(2, "code,province_code,name_km,name_latin\n0101,0102,ខ,Beta\n"
                   "0102,0101,គ,Gamma\n", "GEO.213", 2, 1);
    /* one code at two levels (the area table keys units by code alone) */
    expect_rule(3, "code,district_code,name_km,name_latin\n0102,0101,ឃ,Delta\n", "GEO.203",
                2, 1);
    /* duplicate code: reported on the second line */
    expect_rule(2, "code,province_code,name_km,name_latin\n0101,01,ខ,Beta\n0102,01,គ,G\n"
                   "0101,01,ខ,Again\n", "GEO.203", 4, 1);
    /* parent missing from the gazetteer */
    expect_rule(3, "code,district_code,name_km,name_latin\n010301,0103,ឃ,Delta\n", "GEO.204",
                2, 1);
    /* a commune without a Latin name */
    expect_rule(3, "code,district_code,name_km,name_latin\n010101,0101,ឃ,\n", "GEO.205", 2, 15);
    /* latitude out of range */
    expect_rule(1, "code,name_km,name_latin,lat,long\n01,ក,Alpha,95,103\n", "GEO.206", 2, 12);
    /* broken quoting and invalid UTF-8 come from the CSV layer with positions */
    expect_rule(2, "code,province_code,name_km,name_latin\n0101,01,\"ខ,Beta\n", "CSV.101", 2, 9);
    expect_rule(2, "code,province_code,name_km,name_latin\n0101,01,\xFF,Beta\n", "CSV.103", 2,
                9);
    expect_rule(1, "name_km,name_latin\nក,Alpha\n", "CSV.106", 1, -1);
}

/* Any country's gazetteer (issue 15): no Khmer names, codes of letters and
 * digits that need not start with their parent's, no district level (a
 * council right under its province), no villages. */
static void test_pumi_any_country(void **state)
{
    (void)state;
    khum_gazetteer g;
    khum_gazetteer_init(&g);
    khum_err err;
    khum_err_clear(&err);
    const char *files[2] = {
        "code,name_latin,unit_en\n03,Braganca,District\n11,Lisboa,District\n",
        "code,province_code,district_code,name_latin,unit_en\n0302FA,03,,Braganca,Municipality\n"
        "X1,11,,Lisboa,Municipality\n"};
    for (int l = 0; l < 2; l++) {
        khum_csv *c = csv_str(files[l]);
        assert_int_equal(khum_gazetteer_read_pumi(&g, l ? KHUM_COMMUNE : KHUM_PROVINCE, c, &err),
                         KHUM_OK);
        khum_csv_close(c);
    }
    assert_int_equal(khum_gazetteer_check(&g, &err), KHUM_OK);
    const khum_unit *u = khum_gazetteer_find(&g, KHUM_COMMUNE, "X1");
    assert_non_null(u);
    assert_string_equal(u->parent, "11");
    assert_int_equal(u->parent_level, KHUM_PROVINCE);
    assert_string_equal(u->name_km, "");
    assert_string_equal(u->unit_en, "Municipality");
    khum_gazetteer_free(&g);
    /* Cambodia: a commune whose code does not start with its district's
     * is where its district_code says, no longer refused */
    assert_int_equal(read_mini(&g, 3, "code,district_code,name_km,name_latin\n"
                                      "010101,0102,ឃ,Delta\n", &err), KHUM_OK);
    assert_string_equal(khum_gazetteer_find(&g, KHUM_COMMUNE, "010101")->parent, "0102");
    khum_gazetteer_free(&g);
    assert_int_equal(read_mini(&g, 4, "code,commune_code,name_km,name_latin\n", &err), KHUM_OK);
    khum_gazetteer_free(&g);
}

static const char ncdd_text[] =
    "\"List of Gazetter Code for \"\"Test\"\"\",,,\n"
    ",,,\n"
    "Type,Code,\"Name (Khmer)\",\"Name (Latin)\"\n"
    "ស្រុក,301,ក,Dist\n"
    "ឃុំ,30101,ខ,Comm\n"
    "ភូមិ,3010101,គ,Vill\n"
    "ភូមិ,30101,ឃ,Short\n";

static void test_ncdd(void **state)
{
    (void)state;
    khum_gazetteer g;
    khum_gazetteer_init(&g);
    khum_csv *c = csv_str(ncdd_text);
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_gazetteer_read_ncdd(&g, c, NULL, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "GEO.201");
    assert_int_equal(err.line, 7);
    khum_csv_close(c);
    khum_gazetteer_free(&g);

    /* With a rejected-row list, the bad row is skipped and reported. */
    khum_gazetteer_init(&g);
    c = csv_str(ncdd_text);
    khum_diags rej = {0};
    assert_int_equal(khum_gazetteer_read_ncdd(&g, c, &rej, &err), KHUM_OK);
    assert_int_equal(rej.n, 1);
    assert_int_equal(rej.items[0].line, 7);
    assert_string_equal(g.title_province, "Test");
    assert_int_equal(khum_gazetteer_check(&g, &err), KHUM_OK);
    const khum_unit *v = khum_gazetteer_find(&g, KHUM_VILLAGE, "03010101");
    assert_non_null(v);
    assert_string_equal(v->parent, "030101");
    const khum_unit *p = khum_gazetteer_find(&g, KHUM_PROVINCE, "03");
    assert_non_null(p);
    assert_string_equal(p->name_latin, "Test");
    assert_int_equal(p->line, 0);
    assert_string_equal(khum_gazetteer_find(&g, KHUM_DISTRICT, "0301")->unit_latin, "Srok");
    khum_diags_free(&rej);
    khum_csv_close(c);
    khum_gazetteer_free(&g);

    khum_gazetteer_init(&g);
    c = csv_str("\"List of Gazetter Code for \"\"T\"\"\",,,\nType,Code,\"Name (Khmer)\","
                "\"Name (Latin)\"\nខេត្តx,3,ក,X\n");
    assert_int_equal(khum_gazetteer_read_ncdd(&g, c, NULL, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "GEO.207");
    khum_csv_close(c);
    khum_gazetteer_free(&g);

    khum_gazetteer_init(&g);
    c = csv_str("code,name\n01,x\n");
    assert_int_equal(khum_gazetteer_read_ncdd(&g, c, NULL, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "GEO.208");
    khum_csv_close(c);
    khum_gazetteer_free(&g);
}

/* The raw NCDD export of Kampong Cham (2023) against the pumi data (2026):
 * they agree but for three known differences, each reported by rule. */
static void test_ncdd_agrees_with_pumi(void **state)
{
    (void)state;
    static const char *const files[] = {"provinces", "districts", "communes", "villages"};
    char path[4096];
    khum_gazetteer pumi, ncdd;
    khum_gazetteer_init(&pumi);
    khum_gazetteer_init(&ncdd);
    khum_err err;
    khum_err_clear(&err);
    for (int l = 1; l <= 4; l++) {
        char rel[64];
        snprintf(rel, sizeof rel, "data/pumi/%s.csv", files[l - 1]);
        if (!shared_path(rel, path, sizeof path))
            fail_msg("reference data missing: set KHUM_SHARED (need %s)", rel);
        khum_csv *c;
        assert_int_equal(khum_csv_open_path(path, &c, &err), KHUM_OK);
        assert_int_equal(khum_gazetteer_read_pumi(&pumi, (khum_level)l, c, &err), KHUM_OK);
        khum_csv_close(c);
    }
    assert_int_equal(khum_gazetteer_check(&pumi, &err), KHUM_OK);
    assert_int_equal(khum_gazetteer_count(&pumi, KHUM_COMMUNE), 1652);

    if (!shared_path("data/pumi/ncdd_gazetteer_kampong_cham_2023-03-02.csv", path, sizeof path))
        fail_msg("reference data missing: NCDD Kampong Cham export");
    khum_csv *c;
    assert_int_equal(khum_csv_open_path(path, &c, &err), KHUM_OK);
    khum_diags rej = {0};
    assert_int_equal(khum_gazetteer_read_ncdd(&ncdd, c, &rej, &err), KHUM_OK);
    khum_csv_close(c);
    assert_int_equal(khum_gazetteer_check(&ncdd, &err), KHUM_OK);
    /* One row is rejected: village ទី១៥ carries its commune's code 30802. */
    assert_int_equal(rej.n, 1);
    assert_int_equal(rej.items[0].line, 580);
    assert_string_equal(rej.items[0].rule, "GEO.201");
    assert_int_equal(khum_gazetteer_count(&ncdd, KHUM_DISTRICT), 10);
    assert_int_equal(khum_gazetteer_count(&ncdd, KHUM_COMMUNE), 109);

    khum_diags d = {0};
    assert_int_equal(khum_gazetteer_diff(&pumi, &ncdd, "03", &d), 2);
    int spelling = 0, missing = 0;
    for (size_t i = 0; i < d.n; i++) {
        if (strcmp(d.items[i].rule, "GEO.212") == 0 && strstr(d.items[i].msg, "031310"))
            spelling++;
        if (strcmp(d.items[i].rule, "GEO.210") == 0 && strstr(d.items[i].msg, "03080215"))
            missing++;
    }
    assert_int_equal(spelling, 1);  /* សូរ្យសែន (NCDD) vs សូរសែន្យ (pumi) */
    assert_int_equal(missing, 1);   /* the village NCDD mis-coded */
    khum_diags_free(&d);
    khum_diags_free(&rej);
    khum_gazetteer_free(&pumi);
    khum_gazetteer_free(&ncdd);
}

static void test_population(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_population *rows;
    size_t n;
    khum_err err;
    khum_err_clear(&err);
    khum_csv *c = csv_str("Province,Com_Code,Commune,TT_Both,Both_UP_18\nX,10201,A,100,60\n"
                          "X,160801,B,4005,2076\n");
    assert_int_equal(khum_population_read(c, &a, &rows, &n, &err), KHUM_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].commune, "010201");  /* the dropped zero restored */
    assert_true(rows[1].total == 4005 && rows[1].adults == 2076);
    free(rows);
    khum_csv_close(c);

    /* any other code column keeps any country's codes as they are: Spain's
     * 5-digit INE codes, Portugal's 0302FA (issue 15) */
    c = csv_str("commune_code,population\n28079,3300000\n0302FA,900\n");
    assert_int_equal(khum_population_read(c, &a, &rows, &n, &err), KHUM_OK);
    assert_string_equal(rows[0].commune, "28079");
    assert_string_equal(rows[1].commune, "0302FA");
    free(rows);
    khum_csv_close(c);
    c = csv_str("commune_code,population\n03.02,1\n");
    assert_int_equal(khum_population_read(c, &a, &rows, &n, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "POP.301");
    khum_csv_close(c);

    c = csv_str("Com_Code,TT_Both,Both_UP_18\n010201,10,20\n");
    assert_int_equal(khum_population_read(c, &a, &rows, &n, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "POP.303");
    khum_csv_close(c);
    c = csv_str("Com_Code,TT_Both\n010201,-1\n");
    assert_int_equal(khum_population_read(c, &a, &rows, &n, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "POP.302");
    khum_csv_close(c);
    c = csv_str("Com_Code,TT_Both\n010201,1\n010201,2\n");
    assert_int_equal(khum_population_read(c, &a, &rows, &n, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "POP.304");
    assert_int_equal(err.line, 3);
    khum_csv_close(c);
    khum_arena_free(&a);
}

static void test_council_sizes(void **state)
{
    (void)state;
    static const int kh[] = {5, 7, 9, 11};
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_council_size *rows;
    size_t n;
    khum_err err;
    khum_err_clear(&err);
    khum_csv *c = csv_str("commune,seats\n010201,7\n010202,11\n");
    assert_int_equal(khum_council_sizes_read(c, &a, 5, kh, 4, &rows, &n, &err), KHUM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[1].seats, 11);
    assert_int_equal(rows[1].mandate, 5);
    free(rows);
    khum_csv_close(c);

    c = csv_str("commune,seats\n010201,8\n");
    assert_int_equal(khum_council_sizes_read(c, &a, 5, kh, 4, &rows, &n, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "SEAT.402");
    assert_non_null(strstr(err.msg, "5, 7, 9 or 11"));
    khum_csv_close(c);
    c = csv_str("commune,seats\n010201,8\n");  /* any size when the rule set allows it */
    assert_int_equal(khum_council_sizes_read(c, &a, 5, NULL, 0, &rows, &n, &err), KHUM_OK);
    free(rows);
    khum_csv_close(c);
    c = csv_str("commune,seats,mandate\n010201,5,4\n010201,7,4\n");
    assert_int_equal(khum_council_sizes_read(c, &a, 0, kh, 4, &rows, &n, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "SEAT.403");
    khum_csv_close(c);
    c = csv_str("commune,seats\n010201,5\n");
    assert_int_equal(khum_council_sizes_read(c, &a, 0, kh, 4, &rows, &n, &err), KHUM_ERR_USAGE);
    assert_string_equal(err.rule, "SEAT.405");
    khum_csv_close(c);
    khum_arena_free(&a);
}

static void test_parties(void **state)
{
    (void)state;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_party *rows;
    size_t n;
    khum_err err;
    khum_err_clear(&err);
    khum_csv *c = csv_str("abbr,name_en,colour,dissolved,registered\n"
                          "CNRP,Rescue,#e8731c,2017-11-16,2012-10-01\nCPP,People,,,\n");
    assert_int_equal(khum_parties_read(c, &a, &rows, &n, &err), KHUM_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].id, "CNRP");
    assert_string_equal(rows[0].dissolved, "2017-11-16");
    free(rows);
    khum_csv_close(c);
    static const struct {
        const char *text, *rule;
    } bad[] = {
        {"abbr,name_en,colour\nA,X,red\n", "PTY.503"},
        {"abbr,name_en,dissolved\nA,X,2017-02-30\n", "PTY.504"},
        {"abbr,name_en,registered,dissolved\nA,X,2018-01-01,2017-01-01\n", "PTY.505"},
        {"abbr,name_en\nA,X\nA,Y\n", "PTY.502"},
        {"abbr,name_en\nA B,X\n", "PTY.501"},
        {"abbr,name_en\nA,\n", "PTY.501"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        c = csv_str(bad[i].text);
        assert_int_equal(khum_parties_read(c, &a, &rows, &n, &err), KHUM_ERR_INPUT);
        assert_string_equal(err.rule, bad[i].rule);
        khum_csv_close(c);
    }
    khum_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pumi_ok),     cmocka_unit_test(test_pumi_rules),
        cmocka_unit_test(test_pumi_any_country),
        cmocka_unit_test(test_ncdd),        cmocka_unit_test(test_ncdd_agrees_with_pumi),
        cmocka_unit_test(test_population),  cmocka_unit_test(test_council_sizes),
        cmocka_unit_test(test_parties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
