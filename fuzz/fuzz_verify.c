/*
 * fuzz_verify.c: libFuzzer target for `khum verify`. A small valid bundle is
 * built once; each input replaces one of its files (the first byte picks
 * which) and the manifest is rebuilt and signed again with the bundle's own
 * key, so that the fuzzed content reaches the recomputation rather than
 * stopping at the hash check. The same input, signed as the manifest of
 * version folder v000001, goes through the chain check too (reading
 * `version` and `previous`). The verifier must never crash; a refusal must
 * come with at least one difference carrying a VER rule code.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "khum/hash.h"
#include "khum/publish.h"

static const char *const names[] = {"election.json", "forms.csv", "form_votes.csv",
                                    "results_nation.csv", "results_province.csv",
                                    "results_district.csv", "results_commune.csv", "seats.json"};
static const char *const base[] = {
    "{\"id\":\"t\",\"method\":\"cambodia\",\"hash\":\"h\",\"communes\":[{\"code\":\"010201\","
    "\"seats\":5,\"lists\":[\"A\",\"B\"],\"stations\":[{\"code\":\"010201-01\",\"registered\":900}]}]}",
    "station,commune,state,registered,received,cast,spoiled,unused,valid,invalid\n"
    "010201-01,010201,official,900,800,700,50,50,690,10\n",
    "station,party,votes\n010201-01,A,400\n010201-01,B,290\n",
    "area,registered,cast,valid,invalid,stations_reported,stations_expected,party,votes,seats\n"
    ",900,700,690,10,1,1,A,400,3\n,900,700,690,10,1,1,B,290,2\n",
    "area,registered,cast,valid,invalid,stations_reported,stations_expected,party,votes,seats\n"
    "01,900,700,690,10,1,1,A,400,3\n01,900,700,690,10,1,1,B,290,2\n",
    "area,registered,cast,valid,invalid,stations_reported,stations_expected,party,votes,seats\n"
    "0102,900,700,690,10,1,1,A,400,3\n0102,900,700,690,10,1,1,B,290,2\n",
    "area,registered,cast,valid,invalid,stations_reported,stations_expected,party,votes,seats\n"
    "010201,900,700,690,10,1,1,A,400,3\n010201,900,700,690,10,1,1,B,290,2\n",
    "{\"communes\":[{\"commune\":\"010201\",\"lists\":[{\"party\":\"A\",\"seats\":3},"
    "{\"party\":\"B\",\"seats\":2}]}]}",
};

static char pk[65], sk[129];

static void sign(khum_bundle *b)
{
    json_t *files = json_array();
    for (size_t i = 0; i < b->n; i++) {
        char hex[KHUM_SHA256_HEX];
        khum_sha256_hex(b->f[i].data.data ? b->f[i].data.data : "", b->f[i].data.len, hex);
        json_array_append_new(files, json_pack("{s:s,s:s}", "name", b->f[i].name, "sha256", hex));
    }
    json_t *manifest = json_pack("{s:i,s:o}", "version", 1, "files", files);
    char *m = json_dumps(manifest, 0);
    json_decref(manifest);
    khum_bundle_file *f = khum_bundle_add(b, "manifest.json");
    khum_buf_puts(&f->data, m);
    free(m);
    khum_err err;
    if (khum_bundle_sign(b, sk, &err))
        abort();
}

static void refused_with_ver(khum_code rc, const khum_diags *d)
{
    if (rc != KHUM_OK && (d->n == 0 || strncmp(d->items[0].rule, "VER.", 4) != 0))
        abort();
    if (rc == KHUM_OK && d->n != 0)
        abort();
}

/* The input as version 1's manifest, signed: a chain of one. */
static void check_chain(const uint8_t *data, size_t size)
{
    khum_bundle b = {0};
    khum_bundle_file *m = khum_bundle_add(&b, "manifest.json");
    khum_buf_append(&m->data, data, size);
    khum_err err;
    khum_err_clear(&err);
    if (khum_bundle_sign(&b, sk, &err))
        abort();
    khum_chain c = {0};
    khum_chain_version *v = khum_chain_add(&c, "v000001");
    khum_buf_append(&v->manifest, b.f[0].data.data, b.f[0].data.len);
    khum_buf_append(&v->sig, b.f[1].data.data, b.f[1].data.len);
    khum_diags d = {0};
    khum_chain_stats st;
    refused_with_ver(khum_chain_verify(&c, pk, &d, &st, &err), &d);
    khum_diags_free(&d);
    khum_chain_free(&c);
    khum_bundle_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!pk[0])
        khum_keypair_hex(pk, sk);
    if (size < 1)
        return 0;
    size_t which = data[0] % (sizeof names / sizeof *names);
    khum_bundle b = {0};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        khum_bundle_file *f = khum_bundle_add(&b, names[i]);
        if (i == which)
            khum_buf_append(&f->data, data + 1, size - 1);
        else
            khum_buf_puts(&f->data, base[i]);
    }
    sign(&b);
    khum_diags d = {0};
    khum_verify_stats st;
    khum_err err;
    khum_err_clear(&err);
    refused_with_ver(khum_bundle_verify(&b, pk, &d, &st, &err), &d);
    khum_diags_free(&d);
    khum_bundle_free(&b);
    check_chain(data + 1, size - 1);
    return 0;
}
