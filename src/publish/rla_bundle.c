/*
 * rla_bundle.c: the audit in a publication bundle, so that anyone can
 * replay it offline (verify_rla.c does): rla_assertions.json (every
 * official commune's assertions with exact margins, as `khum rla
 * assertions --format json` prints them) and, once the seed is recorded,
 * rla_audit.json: the seed, risk limit, mode and bundle size, and per commune
 * its frozen manifest, rounds, sample in draw order, every member's
 * reading, and the p-values and stage the audit reached. The bundle is flat
 * (its reader takes no folders), hence rla_ rather than audit/.
 */
#include <jansson.h>
#include <string.h>

#include "khum/json.h"
#include "rla_view.h"

static json_t *commune_record(khum_store *s, const rla_view *v, const rla_commune *c,
                              khum_arena *a, khum_err *err)
{
    khum_rla_box *boxes;
    size_t nb;
    khum_rla_round_row *rounds;
    size_t nr;
    if (khum_store_rla_manifest(s, v->tv.e.id, c->code, a, &boxes, &nb, err) ||
        khum_store_rla_rounds(s, v->tv.e.id, c->code, a, &rounds, &nr, err))
        return NULL;
    json_t *man = json_array(), *rj = json_array(), *sample = json_array();
    json_t *reads = json_array(), *p = json_array();
    for (size_t i = 0; i < nb; i++)
        json_array_append_new(man, json_pack("{s:o,s:I}", "station",
                                             khum_json_string(boxes[i].station), "ballots",
                                             (json_int_t)boxes[i].ballots));
    for (size_t i = 0; i < nr; i++)
        json_array_append_new(rj, json_pack("{s:i,s:I,s:I}", "round", rounds[i].round,
                                             "ballots", (json_int_t)rounds[i].ballots,
                                             "counter", (json_int_t)rounds[i].counter));
    for (size_t i = 0; i < v->nsample; i++)
        if (!strcmp(v->sample[i].commune, c->code))
            json_array_append_new(sample, json_pack(
                "{s:I,s:I,s:o,s:I,s:I,s:i}", "seq", (json_int_t)v->sample[i].seq, "ballot",
                (json_int_t)v->sample[i].ballot, "station",
                khum_json_string(v->sample[i].station), "bundle",
                (json_int_t)v->sample[i].bundle, "position", (json_int_t)v->sample[i].position,
                "round", v->sample[i].round));
    for (size_t i = 0; i < v->nreadings; i++)
        if (!strcmp(v->readings[i].commune, c->code))
            json_array_append_new(reads, json_pack(
                "{s:I,s:o,s:o}", "seq", (json_int_t)v->readings[i].seq, "member",
                khum_json_string(v->readings[i].member), "reading",
                khum_json_string(v->readings[i].reading)));
    for (size_t i = 0; i < c->nas; i++)
        json_array_append_new(p, json_real(c->pvalue[i]));
    return json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:s,s:I}", "commune", c->code, "manifest", man,
                     "rounds", rj, "sample", sample, "readings", reads, "pvalues", p, "stage",
                     rla_stage_name(c->stage), "read", (json_int_t)c->read);
}

static khum_code put_audit(khum_store *s, const rla_view *v, khum_bundle *b, khum_err *err)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    json_t *communes = json_array();
    khum_code rc = KHUM_OK;
    for (size_t i = 0; i < v->n && !rc; i++) {
        if (v->c[i].rounds == 0)
            continue;
        json_t *c = commune_record(s, v, &v->c[i], &a, err);
        if (!c)
            rc = err->code ? err->code : KHUM_ERR_NOMEM;
        json_array_append_new(communes, c);
    }
    khum_arena_free(&a);
    khum_bundle_file *f = rc ? NULL : khum_bundle_add(b, "rla_audit.json");
    json_t *root = json_pack("{s:s,s:s,s:s,s:s,s:i,s:o}", "election", v->tv.e.id, "seed",
                             v->audit.seed, "risk_limit", v->audit.risk_limit, "mode",
                             v->audit.mode, "bundle", v->audit.bundle, "communes", communes);
    if (f)
        khum_json_to_buf(root, 1, &f->data);
    else
        json_decref(root);
    return rc ? rc : f ? KHUM_OK : khum_err_set(err, KHUM_ERR_NOMEM, "", "too many files");
}

khum_code rla_bundle_put(khum_store *s, const char *election, khum_bundle *b, khum_err *err)
{
    rla_view v;
    khum_code rc = rla_view_load(s, election, NULL, &v, err);
    if (rc)
        return rc;
    khum_bundle_file *f = khum_bundle_add(b, "rla_assertions.json");
    if (!f)
        rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "too many files in a bundle");
    else
        rla_view_assertions(&v, "", "json", &f->data);
    if (!rc && v.audit.exists)
        rc = put_audit(s, &v, b, err);
    rla_view_free(&v);
    return rc;
}
