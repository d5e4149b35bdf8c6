/*
 * test_publish.c: `khum verify` in the library, on bundles written by hand
 * (not by khum publish, so that the verifier is tested on its own): a good
 * bundle verifies; a changed total, seat or form re-signed by the key
 * holder is still caught by the recomputation; and the verifier's own seat
 * allocation gives every worked vector of rules.md §2.
 */
#include "testutil.h"

#include <jansson.h>
#include <sodium.h>

#include "khum/hash.h"
#include "khum/publish.h"
#include "publish/verify_impl.h"

typedef struct fixture {
    long long votes[3];     /* A, B, C at the one station */
    int seats[3];           /* published seats */
    long long valid, published_valid;
} fixture;

static void add(khum_bundle *b, const char *name, const char *text)
{
    khum_bundle_file *f = khum_bundle_add(b, name);
    assert_non_null(f);
    khum_buf_puts(&f->data, text);
}

static void results(khum_bundle *b, const char *name, const char *area, const char *level,
                    const fixture *x)
{
    char buf[2048];
    int n = snprintf(buf, sizeof buf, "election,area,level,registered,cast,valid,invalid,"
                     "stations_reported,stations_expected,party,votes,seats\n");
    const char *party[] = {"A", "B", "C"};
    for (int i = 0; i < 3; i++)
        n += snprintf(buf + n, sizeof buf - (size_t)n, "t,%s,%s,200000,100000,%lld,0,1,1,%s,%lld,%d\n",
                      area, level, x->published_valid, party[i], x->votes[i], x->seats[i]);
    add(b, name, buf);
}

/* Files to replace in the next make_bundle (name, content), for the cases
 * that need a broken file signed as if it were right. */
static const char *swap_name, *swap_text;

/* A one-station, one-commune bundle signed with sk. */
static void make_bundle(khum_bundle *b, const fixture *x, const char *sk)
{
    memset(b, 0, sizeof *b);
    add(b, "election.json", "{\"id\":\"t\",\"method\":\"cambodia\",\"hash\":\"h\",\"communes\":"
        "[{\"code\":\"010201\",\"seats\":5,\"lists\":[\"A\",\"B\",\"C\"],\"stations\":"
        "[{\"code\":\"010201-01\",\"registered\":200000}]}]}");
    char buf[512];
    snprintf(buf, sizeof buf, "station,commune,state,registered,received,cast,spoiled,unused,"
             "valid,invalid\n010201-01,010201,official,200000,100000,100000,0,0,%lld,%lld\n",
             x->valid, 100000 - x->valid);
    add(b, "forms.csv", buf);
    snprintf(buf, sizeof buf, "station,party,votes\n010201-01,A,%lld\n010201-01,B,%lld\n"
             "010201-01,C,%lld\n", x->votes[0], x->votes[1], x->votes[2]);
    add(b, "form_votes.csv", buf);
    results(b, "results_nation.csv", "", "nation", x);
    results(b, "results_province.csv", "01", "province", x);
    results(b, "results_district.csv", "0102", "district", x);
    results(b, "results_commune.csv", "010201", "commune", x);
    snprintf(buf, sizeof buf, "{\"communes\":[{\"commune\":\"010201\",\"lists\":["
             "{\"party\":\"A\",\"seats\":%d},{\"party\":\"B\",\"seats\":%d},"
             "{\"party\":\"C\",\"seats\":%d}]}]}", x->seats[0], x->seats[1], x->seats[2]);
    add(b, "seats.json", buf);
    khum_bundle_file *sw = swap_name ? khum_bundle_find(b, swap_name) : NULL;
    if (sw) {
        khum_buf_reset(&sw->data);
        khum_buf_puts(&sw->data, swap_text);
    }
    json_t *files = json_array();
    for (size_t i = 0; i < b->n; i++) {
        char hex[KHUM_SHA256_HEX];
        khum_sha256_hex(b->f[i].data.data, b->f[i].data.len, hex);
        json_array_append_new(files, json_pack("{s:s,s:s}", "name", b->f[i].name, "sha256", hex));
    }
    json_t *m = json_pack("{s:i,s:{s:s,s:s},s:o}", "version", 1, "election", "id", "t", "hash",
                          "h", "files", files);
    char *text = json_dumps(m, 0);
    add(b, "manifest.json", text);
    free(text);
    json_decref(m);
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_bundle_sign(b, sk, &err), KHUM_OK);
}

static size_t verify(khum_bundle *b, const char *pk, const char *want_rule)
{
    khum_diags d = {0};
    khum_verify_stats st;
    khum_err err;
    khum_err_clear(&err);
    khum_code rc = khum_bundle_verify(b, pk, &d, &st, &err);
    size_t n = d.n;
    bool found = !want_rule;
    for (size_t i = 0; i < d.n; i++)
        found |= want_rule && !strcmp(d.items[i].rule, want_rule);
    if (!found || (rc != KHUM_OK) != (n > 0))
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "  %s: %s [%s]\n", d.items[i].file, d.items[i].msg, d.items[i].rule);
    assert_true(found);
    khum_diags_free(&d);
    khum_bundle_free(b);
    return n;
}

static void verify_good_and_tampered(void **state)
{
    char pk[65], sk[129];
    khum_keypair_hex(pk, sk);
    khum_bundle b;
    fixture good = {{12000, 28000, 60000}, {0, 1, 4}, 100000, 100000};  /* rules.md S1 */
    make_bundle(&b, &good, sk);
    assert_int_equal(verify(&b, pk, NULL), 0);

    fixture seats = good;   /* the key holder publishes B 2, C 3 */
    seats.seats[1] = 2;
    seats.seats[2] = 3;
    make_bundle(&b, &seats, sk);
    assert_true(verify(&b, pk, "VER.916") >= 4);  /* every level, and seats.json */
    make_bundle(&b, &seats, sk);
    verify(&b, pk, "VER.917");

    fixture total = good;   /* a published total that the forms do not give */
    total.published_valid = 99999;
    make_bundle(&b, &total, sk);
    assert_int_equal(verify(&b, pk, "VER.915"), 4);

    fixture form = good;    /* a form whose votes do not add up to its valid ballots */
    form.valid = 99000;
    form.published_valid = 99000;
    make_bundle(&b, &form, sk);
    verify(&b, pk, "VER.911");

    char other[65], osk[129];
    khum_keypair_hex(other, osk);
    make_bundle(&b, &good, sk);
    assert_int_equal(verify(&b, other, "VER.901"), 1);
}

static void swapped(const char *sk, const char *pk, const char *name, const char *text,
                    const char *rule)
{
    fixture good = {{12000, 28000, 60000}, {0, 1, 4}, 100000, 100000};
    khum_bundle b;
    swap_name = name;
    swap_text = text;
    make_bundle(&b, &good, sk);
    swap_name = swap_text = NULL;
    verify(&b, pk, rule);
}

/* Every VER code a bundle can earn, each from one broken file signed as if
 * it were right (the key holder's mistake or fraud, not a transport error). */
static void verify_codes(void **state)
{
    char pk[65], sk[129];
    khum_keypair_hex(pk, sk);
    swapped(sk, pk, "election.json", "[]", "VER.906");
    swapped(sk, pk, "forms.csv", "station,commune,state,registered,received,cast,spoiled,unused,"
            "valid,invalid\n019999-01,019999,official,1,1,1,0,0,1,0\n", "VER.912");
    swapped(sk, pk, "form_votes.csv", "station,party,votes\n010201-01,Z,100000\n", "VER.913");
    swapped(sk, pk, "results_district.csv", "area,level,registered,cast,valid,invalid,"
            "stations_reported,stations_expected,party,votes,seats\n9999,district,1,1,1,0,1,1,A,1,0\n",
            "VER.914");
    swapped(sk, pk, "results_nation.csv", "area,party\n,A\n", "VER.907");
    swapped(sk, pk, "election.json", "{\"id\":\"t\",\"method\":\"hare\",\"communes\":[{\"code\":"
            "\"010201\",\"seats\":5,\"lists\":[\"A\",\"B\",\"C\"],\"stations\":[{\"code\":"
            "\"010201-01\",\"registered\":200000}]}]}", "VER.930");
    /* A manifest without its file list, signed. */
    khum_bundle b;
    memset(&b, 0, sizeof b);
    khum_bundle_file *m = khum_bundle_add(&b, "manifest.json");
    khum_buf_puts(&m->data, "{\"version\":1}");
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_bundle_sign(&b, sk, &err), KHUM_OK);
    verify(&b, pk, "VER.905");
    /* Keys that are not keys. */
    memset(&b, 0, sizeof b);
    khum_bundle_add(&b, "manifest.json");
    assert_int_equal(khum_bundle_sign(&b, "not-a-key", &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "VER.920");
    khum_bundle_add(&b, "manifest.sig");
    verify(&b, "xyz", "VER.921");
}

static void check_seats(const char *method, const int64_t *v, int n, int s, const int *want,
                        const int *bundle, int want_lots)
{
    int got[8], lots;
    assert_true(ver_seats(method, v, n, s, bundle, got, &lots));
    for (int i = 0; i < n; i++)
        assert_int_equal(got[i], want[i]);
    assert_int_equal(lots, want_lots);
}

static void verifier_seats_rules_vectors(void **state)
{
    check_seats("cambodia", (int64_t[]){12000, 28000, 60000}, 3, 5, (int[]){0, 1, 4}, NULL, 0);
    check_seats("cambodia", (int64_t[]){280, 955, 1595, 90}, 4, 7, (int[]){0, 2, 5, 0}, NULL, 0);
    check_seats("cambodia", (int64_t[]){255, 1805, 690, 1350}, 4, 9, (int[]){0, 5, 1, 3}, NULL, 0);
    check_seats("cambodia", (int64_t[]){830, 210, 1740}, 3, 11, (int[]){3, 0, 8}, NULL, 0);
    /* D8: a tie that decides only the order needs no lot. */
    check_seats("cambodia", (int64_t[]){400, 400, 200}, 3, 7, (int[]){3, 3, 1}, NULL, 0);
    /* D9: C drops out on votes, A/B by the lot the bundle records. */
    check_seats("cambodia", (int64_t[]){300, 300, 100}, 3, 5, (int[]){2, 3, 0},
                (int[]){2, 3, 0}, 1);
    check_seats("cambodia", (int64_t[]){300, 300, 100}, 3, 5, (int[]){3, 2, 0},
                (int[]){3, 2, 0}, 1);
    /* D10: equal averages settled by more votes, no lot. */
    check_seats("cambodia", (int64_t[]){600, 300, 100}, 3, 5, (int[]){4, 1, 0}, NULL, 0);
    check_seats("sainte-lague", (int64_t[]){53000, 24000, 23000}, 3, 7, (int[]){3, 2, 2}, NULL, 0);
    check_seats("dhondt", (int64_t[]){53000, 24000, 23000}, 3, 7, (int[]){4, 2, 1}, NULL, 0);
    int got[3], lots;
    assert_false(ver_seats("hare", (int64_t[]){1, 2, 3}, 3, 2, NULL, got, &lots));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(verify_good_and_tampered),
        cmocka_unit_test(verifier_seats_rules_vectors),
        cmocka_unit_test(verify_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
