/*
 * test_publish.c: `khum verify` in the library, on bundles written by hand
 * (not by khum publish, so that the verifier is tested on its own): a good
 * bundle verifies; a changed total, seat or form re-signed by the key
 * holder is still caught by the recomputation; and the verifier's own seat
 * allocation gives every worked vector of rules.md §2. The chain of versions:
 * rolled back, relabelled, a broken link signed by the key holder and a
 * missing version are each caught.
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
    /* blank ballots count in a form's arithmetic, and in the published totals */
    swapped(sk, pk, "forms.csv", "station,commune,state,registered,received,cast,spoiled,unused,"
            "valid,blank,invalid\n010201-01,010201,official,200000,100000,100000,0,0,100000,5,"
            "0\n", "VER.911");
    swapped(sk, pk, "results_nation.csv", "area,level,registered,cast,valid,invalid,blank,"
            "stations_reported,stations_expected,party,votes,seats\n,nation,200000,100000,"
            "100000,0,7,1,1,A,12000,0\n", "VER.915");
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

static void check_rules(const ver_rules *r, const int64_t *v, int n, int s, const int *want,
                        const int *bundle, int want_lots)
{
    int got[8], lots;
    assert_true(ver_seats(r, v, n, s, bundle, got, &lots));
    for (int i = 0; i < n; i++)
        assert_int_equal(got[i], want[i]);
    assert_int_equal(lots, want_lots);
}

static void check_seats(const char *method, const int64_t *v, int n, int s, const int *want,
                        const int *bundle, int want_lots)
{
    int got[8], lots;
    ver_rules r = {method, "ml", -1, 0};
    assert_true(ver_seats(&r, v, n, s, bundle, got, &lots));
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
    ver_rules hare = {"hare", "ml", -1, 0};
    assert_false(ver_seats(&hare, (int64_t[]){1, 2, 3}, 3, 2, NULL, got, &lots));
}

/* The verifier's own thresholds and tie chains (written again, not the
 * engine's), on the cases test_alloc gives the engine. */
static void verifier_seats_rule_sets(void **state)
{
    (void)state;
    /* 5 % of 1,000 = 50: B with 50 passes and takes the 20th seat, with 49
     * (or 50 of a base of 1,001: blank ballots or every ballot cast) it does not. */
    ver_rules r = {"dhondt", "ml", 50000, 1000};
    check_rules(&r, (int64_t[]){950, 50}, 2, 20, (int[]){19, 1}, NULL, 0);
    check_rules(&r, (int64_t[]){951, 49}, 2, 20, (int[]){20, 0}, NULL, 0);
    r.base = 1001;
    check_rules(&r, (int64_t[]){950, 50}, 2, 20, (int[]){20, 0}, NULL, 0);
    /* 4.75 % of 2,000 = 95. */
    r = (ver_rules){"dhondt", "ml", ver_threshold_e4("4.75"), 2000};
    assert_int_equal(r.threshold_e4, 47500);
    check_rules(&r, (int64_t[]){1000, 95, 905}, 3, 20, (int[]){10, 1, 9}, NULL, 0);
    check_rules(&r, (int64_t[]){1000, 94, 905}, 3, 20, (int[]){11, 0, 9}, NULL, 0);
    /* The 4th seat of 4 is tied between A (300/3) and B (200/2). */
    char chain[8];
    assert_true(ver_tie_chain("votes", chain));
    assert_string_equal(chain, "ml");
    r = (ver_rules){"dhondt", chain, -1, 0};
    check_rules(&r, (int64_t[]){300, 200}, 2, 4, (int[]){3, 1}, NULL, 0);
    assert_true(ver_tie_chain("fewer-votes>lots", chain));
    check_rules(&r, (int64_t[]){300, 200}, 2, 4, (int[]){2, 2}, NULL, 0);  /* Portugal */
    assert_true(ver_tie_chain("ballot-order", chain));
    check_rules(&r, (int64_t[]){300, 200}, 2, 4, (int[]){3, 1}, NULL, 0);  /* A first on it */
    check_rules(&r, (int64_t[]){200, 300}, 2, 4, (int[]){2, 2}, NULL, 0);
    /* Equal votes: the chain falls to lots, the bundle's draw is followed. */
    assert_true(ver_tie_chain("fewer-votes>lots", chain));
    check_rules(&r, (int64_t[]){100, 100}, 2, 1, (int[]){0, 1}, (int[]){0, 1}, 1);
    check_rules(&r, (int64_t[]){100, 100}, 2, 1, (int[]){1, 0}, (int[]){1, 0}, 1);
    assert_false(ver_tie_chain("coin>lots", chain));
}

/* ---- the chain of versions -------------------------------------------------- */

/* A version in folder `folder` whose signed manifest says `version` and
 * names `previous` (NULL: none) as the previous manifest's SHA-256. */
static void chain_put(khum_chain *c, const char *folder, int version, const char *previous,
                      const char *sk)
{
    khum_bundle b = {0};
    khum_bundle_file *m = khum_bundle_add(&b, "manifest.json");
    if (previous)
        khum_buf_printf(&m->data, "{\"version\":%d,\"previous\":{\"version\":%d,\"sha256\":"
                        "\"%s\"},\"files\":[]}", version, version - 1, previous);
    else
        khum_buf_printf(&m->data, "{\"version\":%d,\"previous\":null,\"files\":[]}", version);
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_bundle_sign(&b, sk, &err), KHUM_OK);
    khum_chain_version *v = khum_chain_add(c, folder);
    assert_non_null(v);
    khum_buf_append(&v->manifest, b.f[0].data.data, b.f[0].data.len);
    khum_buf_append(&v->sig, b.f[1].data.data, b.f[1].data.len);
    khum_bundle_free(&b);
}

/* The SHA-256 of the manifest in c's version i: what the next one names. */
static const char *link_of(const khum_chain *c, size_t i, char hex[KHUM_SHA256_HEX])
{
    khum_sha256_hex(c->v[i].manifest.data, c->v[i].manifest.len, hex);
    return hex;
}

/* v000001..v000003, properly linked, current v000003. */
static void good_chain(khum_chain *c, const char *sk)
{
    char h[KHUM_SHA256_HEX];
    memset(c, 0, sizeof *c);
    c->publication = true;
    snprintf(c->current, sizeof c->current, "v000003");
    chain_put(c, "v000001", 1, NULL, sk);
    chain_put(c, "v000002", 2, link_of(c, 0, h), sk);
    chain_put(c, "v000003", 3, link_of(c, 1, h), sk);
}

/* Check c, free it; every finding's rule must be want (NULL: none). */
static size_t chain_check(khum_chain *c, const char *pk, const char *want)
{
    khum_diags d = {0};
    khum_chain_stats st;
    khum_err err;
    khum_err_clear(&err);
    khum_code rc = khum_chain_verify(c, pk, &d, &st, &err);
    size_t n = d.n;
    bool found = !want && n == 0;
    for (size_t i = 0; i < d.n; i++) {
        found |= want && !strcmp(d.items[i].rule, want);
        if (!want || strcmp(d.items[i].rule, want))
            fprintf(stderr, "  %s: %s [%s]\n", d.items[i].file, d.items[i].msg, d.items[i].rule);
    }
    assert_true(found);
    assert_int_equal(rc != KHUM_OK, n > 0);
    khum_diags_free(&d);
    khum_chain_free(c);
    return n;
}

static void chain_intact_and_rolled_back(void **state)
{
    char pk[65], sk[129];
    khum_keypair_hex(pk, sk);
    khum_chain c;
    good_chain(&c, sk);
    khum_chain_stats st;
    khum_diags d = {0};
    khum_err err;
    assert_int_equal(khum_chain_verify(&c, pk, &d, &st, &err), KHUM_OK);
    assert_int_equal(st.versions, 3);
    assert_int_equal(st.newest, 3);
    khum_chain_free(&c);

    good_chain(&c, sk);   /* `current` pointed back at v000001 */
    snprintf(c.current, sizeof c.current, "v000001");
    assert_int_equal(chain_check(&c, pk, "VER.944"), 1);
    good_chain(&c, sk);
    c.current[0] = 0;
    assert_int_equal(chain_check(&c, pk, "VER.945"), 1);
    good_chain(&c, sk);
    snprintf(c.current, sizeof c.current, "v000004");
    assert_int_equal(chain_check(&c, pk, "VER.945"), 1);
    good_chain(&c, sk);   /* alone, a version folder needs no `current` */
    c.publication = false;
    c.current[0] = 0;
    chain_check(&c, pk, NULL);
}

static void chain_relabelled(void **state)
{
    char pk[65], sk[129];
    khum_keypair_hex(pk, sk);
    khum_chain c;
    good_chain(&c, sk);   /* a copy of version 1 as v000009, made current */
    chain_put(&c, "v000009", 1, NULL, sk);
    snprintf(c.current, sizeof c.current, "v000009");
    khum_diags d = {0};
    khum_chain_stats st;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_chain_verify(&c, pk, &d, &st, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "VER.941");
    assert_string_equal(err.file, "v000009/manifest.json");
    assert_int_equal(d.n, 2);   /* and v000004 to v000008 missing */
    assert_string_equal(d.items[1].rule, "VER.942");
    khum_diags_free(&d);
    khum_chain_free(&c);
    /* Alone too: a version folder's name is checked against its manifest. */
    memset(&c, 0, sizeof c);
    chain_put(&c, "v000009", 1, NULL, sk);
    assert_int_equal(chain_check(&c, pk, "VER.941"), 1);
    /* A folder that is not named for any version is not relabelled. */
    memset(&c, 0, sizeof c);
    chain_put(&c, "latest", 1, NULL, sk);
    chain_check(&c, pk, NULL);
}

static void chain_broken_link_and_missing_version(void **state)
{
    char pk[65], sk[129], h[KHUM_SHA256_HEX];
    khum_keypair_hex(pk, sk);
    khum_chain c;
    /* v000002 re-signed by the key holder with a wrong previous hash. */
    memset(&c, 0, sizeof c);
    c.publication = true;
    snprintf(c.current, sizeof c.current, "v000002");
    chain_put(&c, "v000001", 1, NULL, sk);
    chain_put(&c, "v000002", 2, "00000000000000000000000000000000"
                                "00000000000000000000000000000000", sk);
    assert_int_equal(chain_check(&c, pk, "VER.943"), 1);
    /* Version 2 naming no previous version, version 1 naming one. */
    memset(&c, 0, sizeof c);
    chain_put(&c, "v000002", 2, NULL, sk);
    assert_int_equal(chain_check(&c, pk, "VER.943"), 1);
    memset(&c, 0, sizeof c);
    chain_put(&c, "v000001", 1, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
              sk);
    assert_int_equal(chain_check(&c, pk, "VER.943"), 1);
    /* v000002 removed: v000003 still links to it, but it is missing. */
    good_chain(&c, sk);
    khum_buf_free(&c.v[1].manifest);
    khum_buf_free(&c.v[1].sig);
    c.v[1] = c.v[2];
    c.n = 2;
    assert_int_equal(chain_check(&c, pk, "VER.942"), 1);
    /* v000001 replaced by another version 1: v000002's link no longer holds. */
    good_chain(&c, sk);
    khum_buf_puts(&c.v[0].manifest, " ");
    khum_buf_reset(&c.v[0].sig);
    khum_bundle b = {0};
    khum_bundle_file *m = khum_bundle_add(&b, "manifest.json");
    khum_buf_append(&m->data, c.v[0].manifest.data, c.v[0].manifest.len);
    khum_err err;
    assert_int_equal(khum_bundle_sign(&b, sk, &err), KHUM_OK);
    khum_buf_append(&c.v[0].sig, b.f[1].data.data, b.f[1].data.len);
    khum_bundle_free(&b);
    assert_int_equal(chain_check(&c, pk, "VER.943"), 1);
    /* Another key's manifest in the chain. */
    char opk[65], osk[129];
    khum_keypair_hex(opk, osk);
    good_chain(&c, sk);
    khum_chain_free(&c);
    memset(&c, 0, sizeof c);
    chain_put(&c, "v000001", 1, NULL, sk);
    chain_put(&c, "v000002", 2, link_of(&c, 0, h), osk);
    chain_check(&c, pk, "VER.901");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(verify_good_and_tampered),
        cmocka_unit_test(verifier_seats_rules_vectors),
        cmocka_unit_test(verifier_seats_rule_sets),
        cmocka_unit_test(verify_codes),
        cmocka_unit_test(chain_intact_and_rolled_back),
        cmocka_unit_test(chain_relabelled),
        cmocka_unit_test(chain_broken_link_and_missing_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
