/*
 * bundle.c: a publication bundle of one election, built in memory: the
 * definition, every station form, results at every level, seats with their
 * protocols, lots, the ledger and the councils, and a manifest listing each
 * file's SHA-256 and the SHA-256 of the previous version's manifest (so the
 * versions form a chain, checked by verify_chain.c). Signing adds an Ed25519
 * signature of the manifest's bytes. Writing the files (and the `current`
 * pointer) is the caller's business.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/app.h"
#include "khum/csv.h"
#include "khum/hash.h"
#include "khum/json.h"
#include "khum/print.h"
#include "khum/publish.h"
#include "khum/str.h"
#include "rla_view.h"
#include "tally_view.h"

void khum_bundle_free(khum_bundle *b)
{
    for (size_t i = 0; i < b->n; i++)
        khum_buf_free(&b->f[i].data);
    free(b->f);
    b->f = NULL;
    b->n = 0;
}

khum_bundle_file *khum_bundle_find(khum_bundle *b, const char *name)
{
    for (size_t i = 0; i < b->n; i++)
        if (!strcmp(b->f[i].name, name))
            return &b->f[i];
    return NULL;
}

khum_bundle_file *khum_bundle_add(khum_bundle *b, const char *name)
{
    if (!b->f)
        b->f = calloc(KHUM_BUNDLE_MAX_FILES, sizeof *b->f);
    if (!b->f || b->n == KHUM_BUNDLE_MAX_FILES)
        return NULL;
    khum_bundle_file *f = &b->f[b->n++];
    snprintf(f->name, sizeof f->name, "%s", name);
    khum_buf_init(&f->data);
    return f;
}

static void put_json(khum_bundle *b, const char *name, json_t *j)
{
    khum_bundle_file *f = khum_bundle_add(b, name);
    if (f)
        khum_json_to_buf(j, 1, &f->data);
    else
        json_decref(j);
}

json_t *khum_election_rules_json(const khum_election *e)
{
    char tie[64], thr[16];
    const char *legacy = khum_tie_rule_legacy(&e->tie_rule);
    khum_tie_rule_format(&e->tie_rule, tie, sizeof tie);
    khum_threshold_format(e->threshold_e4, thr, sizeof thr);
    return json_pack("{s:s,s:o,s:s,s:s}", "tie_rule", legacy ? legacy : tie, "threshold",
                     *thr ? json_string(thr) : json_null(), "threshold_base",
                     khum_threshold_base_name(e->threshold_base), "posts",
                     khum_posts_name(e->posts));
}

static json_t *election_json(const khum_election *e)
{
    json_t *communes = json_array();
    for (size_t i = 0; i < e->ncommunes; i++) {
        const khum_election_commune *c = &e->communes[i];
        json_t *lists = json_array(), *stations = json_array();
        for (size_t k = 0; k < c->nlists; k++)
            json_array_append_new(lists, json_string(e->lists[c->first_list + k].party));
        for (size_t k = 0; k < c->nstations; k++) {
            const khum_station *st = &e->stations[c->first_station + k];
            json_array_append_new(stations, json_pack("{s:s,s:I}", "code", st->code,
                                                      "registered", (json_int_t)st->registered));
        }
        /* where the council lies, so that verify sums the levels as the
         * gazetteer draws them ("" when it has no district or province) */
        json_array_append_new(communes, json_pack("{s:s,s:s,s:s,s:i,s:o,s:o}", "code", c->code,
                                                  "province", c->province, "district",
                                                  c->district, "seats", c->seats, "lists",
                                                  lists, "stations", stations));
    }
    json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:b,s:o}", "id", e->id, "name",
                          e->name ? e->name : "", "date", e->date, "mandate", e->mandate,
                          "method", khum_method_name(e->method), "hash", e->hash, "synthetic",
                          e->synthetic, "communes", communes);
    /* The rule set, which khum verify recomputes seats with. */
    json_t *rules = khum_election_rules_json(e);
    json_object_update(o, rules);
    json_decref(rules);
    return o;
}

typedef struct station_state {
    const char *station;
    khum_form_state state;
} station_state;

static int by_station_cmp(const void *x, const void *y)
{
    return strcmp(((const station_state *)x)->station, ((const station_state *)y)->station);
}

static khum_code put_forms(khum_store *s, const khum_election *e, khum_bundle *b, khum_arena *a,
                           khum_err *err)
{
    khum_form *forms;
    size_t n, ns;
    const char **stations;
    khum_form_state *states;
    khum_code rc;
    if ((rc = khum_store_current_forms(s, e->id, a, &forms, &n, err)) ||
        (rc = khum_store_form_states(s, e->id, a, &stations, &states, &ns, err)))
        return rc;
    /* each form's state by a search, not a scan: a scan per form was quadratic
     * (bench/scale: minutes at 236,020 stations) */
    station_state *by_station = khum_arena_alloc(a, (ns + 1) * sizeof *by_station);
    for (size_t k = 0; by_station && k < ns; k++)
        by_station[k] = (station_state){stations[k], states[k]};
    if (by_station)
        khum_sort(by_station, ns, sizeof *by_station, by_station_cmp);
    khum_bundle_file *f = khum_bundle_add(b, "forms.csv");
    khum_bundle_file *v = khum_bundle_add(b, "form_votes.csv");
    if (!f || !v)
        return khum_err_set(err, KHUM_ERR_INTERNAL, "", "too many bundle files");
    /* The blank column where any form has blank ballots: a Cambodian bundle
     * reads as before, and either imports back as the long format. */
    bool blank = false;
    for (size_t i = 0; i < n && !blank; i++)
        blank = forms[i].blank != 0;
    khum_buf_puts(&f->data, blank ? "station,commune,state,registered,received,cast,spoiled,"
                                    "unused,valid,blank,invalid\n"
                                  : "station,commune,state,registered,received,cast,spoiled,"
                                    "unused,valid,invalid\n");
    khum_buf_puts(&v->data, "station,party,votes\n");
    for (size_t i = 0; i < n; i++) {
        const khum_form *x = &forms[i];
        const khum_station *st = khum_election_station_find(e, x->station);
        const char *state = "accepted";
        const station_state key = {x->station, KHUM_FS_ACCEPTED}, *found =
            by_station ? bsearch(&key, by_station, ns, sizeof *by_station, by_station_cmp) : NULL;
        if (found)
            state = khum_form_state_name(found->state);
        khum_csv_put_field(&f->data, x->station, true);
        khum_csv_put_field(&f->data, st ? st->commune : "", false);
        khum_csv_put_field(&f->data, state, false);
        khum_buf_printf(&f->data, ",%lld,%lld,%lld,%lld,%lld,%lld",
                        (long long)x->registered, (long long)x->received, (long long)x->cast,
                        (long long)x->spoiled, (long long)x->unused, (long long)x->valid);
        if (blank)
            khum_buf_printf(&f->data, ",%lld", (long long)x->blank);
        khum_buf_printf(&f->data, ",%lld\n", (long long)x->invalid);
        for (size_t k = 0; k < x->n; k++) {
            khum_csv_put_field(&v->data, x->station, true);
            khum_csv_put_field(&v->data, x->party[k], false);
            khum_buf_printf(&v->data, ",%lld\n", (long long)x->votes[k]);
        }
    }
    return KHUM_OK;
}

static void put_results(const tally_view *v, khum_bundle *b)
{
    static const char *const names[] = {"results_nation.csv", "results_province.csv",
                                        "results_district.csv", "results_commune.csv"};
    for (int by = 0; by < 4; by++) {
        khum_bundle_file *f = khum_bundle_add(b, names[by]);
        if (f)
            tally_view_csv(v, "", by, &f->data);
    }
}

static khum_code put_seats_lots(khum_store *s, const tally_view *v, khum_bundle *b,
                                khum_arena *a, khum_err *err)
{
    khum_commune_lots *lots;
    size_t nl;
    khum_code rc = khum_store_list_lots(s, v->e.id, a, &lots, &nl, err);
    if (rc)
        return rc;
    khum_bundle_file *f = khum_bundle_add(b, "lots.csv");
    if (!f)
        return khum_err_set(err, KHUM_ERR_INTERNAL, "", "too many bundle files");
    khum_buf_puts(&f->data, "commune,seed\n");
    for (size_t i = 0; i < nl; i++) {
        const char *row[] = {lots[i].commune, lots[i].seed};
        khum_csv_put_row(&f->data, row, 2);
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < v->e.ncommunes; i++) {
        const char *seed = NULL;
        for (size_t k = 0; k < nl && !seed; k++)
            if (!strcmp(lots[k].commune, v->e.communes[i].code))
                seed = lots[k].seed;
        json_t *o = khum_seats_json(&v->e, &v->t, i, seed, a);
        if (o)
            json_array_append_new(arr, o);
    }
    put_json(b, "seats.json", json_pack("{s:s,s:o}", "election", v->e.id, "communes", arr));
    return KHUM_OK;
}

static khum_code put_ledger(khum_store *s, const tally_view *v, const char *until,
                            khum_bundle *b, khum_arena *a, khum_err *err)
{
    khum_ledger_event *ev;
    size_t n;
    khum_code rc = khum_store_ledger_events(s, v->e.id, NULL, a, &ev, &n, err);
    if (rc)
        return rc;
    khum_bundle_file *f = khum_bundle_add(b, "ledger.csv");
    if (!f)
        return khum_err_set(err, KHUM_ERR_INTERNAL, "", "too many bundle files");
    khum_buf_puts(&f->data, "id,date,type,commune,person,party,to_party,declining,reverses,"
                            "reference\n");
    for (size_t i = 0; i < n; i++) {
        khum_buf decl;
        khum_buf_init(&decl);
        for (size_t k = 0; k < ev[i].ndeclining; k++)
            khum_buf_printf(&decl, "%s%s", k ? ";" : "", ev[i].declining[k]);
        khum_buf_printf(&f->data, "%lld", (long long)ev[i].id);
        const char *row[] = {ev[i].date, khum_event_name(ev[i].type), ev[i].commune,
                             ev[i].person, ev[i].party, ev[i].to_party,
                             decl.data ? decl.data : ""};
        for (size_t k = 0; k < 7; k++)
            khum_csv_put_field(&f->data, row[k] ? row[k] : "", false);
        khum_buf_printf(&f->data, ",%lld", (long long)ev[i].reverses);
        khum_csv_put_field(&f->data, ev[i].reference ? ev[i].reference : "", false);
        khum_buf_putc(&f->data, '\n');
        khum_buf_free(&decl);
    }
    /* Councils only once results are official somewhere (CNL.309 otherwise). */
    khum_bundle_file *c = khum_bundle_add(b, "councils.csv");
    if (!c)
        return khum_err_set(err, KHUM_ERR_INTERNAL, "", "too many bundle files");
    khum_memberships m = {0};
    khum_changes ch = {0};
    khum_council_rules r;
    khum_council_rules_default(&r);
    if (v->nofficial == v->e.ncommunes && v->e.ncommunes) {
        rc = khum_app_mandate(s, &v->e, &v->t, NULL, until, &r, a, &m, &ch, err);
        if (rc && !strcmp(err->rule, "CNL.308")) {
            /* No candidate lists on record: results without councils. */
            khum_err_clear(err);
            m.n = 0;
            rc = KHUM_OK;
        }
        if (rc)
            return rc;
    }
    khum_memberships_csv(&m, &c->data);
    return KHUM_OK;
}

static void put_readme(const tally_view *v, khum_bundle *b, bool protocols)
{
    khum_bundle_file *f = khum_bundle_add(b, "README.txt");
    if (!f)
        return;
    if (v->e.synthetic)
        khum_buf_puts(&f->data, "*** SYNTHETIC DATA: invented results for demonstration, "
                                "not a real election ***\n\n");
    khum_buf_printf(&f->data,
        "khum publication bundle (%s) of election %s, hash %s.\n"
        "election.json       the definition: communes, seats, lists, stations\n"
        "forms.csv           the form that counts for each station (state: accepted or official)\n"
        "form_votes.csv      its votes per list\n"
        "explanations.csv    written explanations of warnings\n"
        "results_*.csv       totals per area and party at each level\n"
        "seats.json          every commune's allocation: protocol, ties, lots, margins\n"
        "lots.csv            seeds of lots drawn\n"
        "ledger.csv          the mandate ledger; councils.csv the memberships it gives\n"
        "manifest.json       every file's SHA-256, and the previous version's manifest's\n"
        "                    (the versions form a chain); manifest.sig its Ed25519 signature\n"
        "Check it offline with: khum verify DIR --key PUBLIC_KEY (DIR: this folder, or the\n"
        "publication folder holding every version and `current`)\n",
        KHUM_BUNDLE_FORMAT, v->e.id, v->e.hash);
    if (protocols)
        khum_buf_puts(&f->data, "protocol_*.pdf      every commune's protocol as its commission signs "
                                "it (khum print)\n");
}

static khum_code put_explanations(const tally_view *v, khum_bundle *b, khum_err *err)
{
    khum_bundle_file *f = khum_bundle_add(b, "explanations.csv");
    if (!f)
        return khum_err_set(err, KHUM_ERR_INTERNAL, "", "too many bundle files");
    khum_buf_puts(&f->data, "station,code,text\n");
    for (size_t i = 0; i < v->nexpl; i++) {
        const char *row[] = {v->expl[i].station, v->expl[i].code, v->expl[i].text};
        khum_csv_put_row(&f->data, row, 3);
    }
    return KHUM_OK;
}

/* `previous` of version 1 is null: the chain starts there. */
static json_t *previous_json(int version, const char *previous_sha256)
{
    if (version <= 1 || !previous_sha256)
        return json_null();
    return json_pack("{s:i,s:s}", "version", version - 1, "sha256", previous_sha256);
}

static khum_code put_manifest(khum_store *s, const tally_view *v, int version,
                              const char *previous_sha256, const char *created, khum_bundle *b,
                              khum_err *err)
{
    if (version > 1 && !previous_sha256)
        return khum_err_set(err, KHUM_ERR_INTERNAL, "", "version %d needs its previous "
                            "manifest's SHA-256", version);
    int64_t head_id;
    char head[KHUM_SHA256_HEX];
    khum_code rc = khum_store_audit_head(s, &head_id, head, err);
    if (rc)
        return rc;
    json_t *files = json_array();
    for (size_t i = 0; i < b->n; i++) {
        char hex[KHUM_SHA256_HEX];
        if (b->f[i].data.failed)
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory building %s",
                                b->f[i].name);
        khum_sha256_hex(b->f[i].data.data ? b->f[i].data.data : "", b->f[i].data.len, hex);
        json_array_append_new(files, json_pack("{s:s,s:I,s:s}", "name", b->f[i].name, "bytes",
                                               (json_int_t)b->f[i].data.len, "sha256", hex));
    }
    put_json(b, "manifest.json",
             json_pack("{s:s,s:i,s:o,s:s,s:{s:s,s:s,s:b},s:s,s:{s:I,s:s},s:o}", "format",
                       KHUM_BUNDLE_FORMAT, "version", version, "previous",
                       previous_json(version, previous_sha256), "created", created, "election",
                       "id", v->e.id, "hash", v->e.hash, "synthetic", v->e.synthetic, "status",
                       v->nofficial == v->e.ncommunes ? "official" : "provisional",
                       "audit_head", "id", (json_int_t)head_id, "hash", head, "files", files));
    return KHUM_OK;
}

/* Each protocol as it is printed, into the bundle. */
static khum_code put_protocol(void *ctx, const char *commune, const khum_buf *pdf,
                              khum_err *err)
{
    char name[48];
    snprintf(name, sizeof name, "protocol_%s.pdf", commune);
    khum_bundle_file *f = khum_bundle_add(ctx, name);
    if (!f)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "too many bundle files");
    return khum_buf_append(&f->data, pdf->data, pdf->len)
               ? KHUM_OK
               : khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory adding %s", name);
}

static khum_code put_protocols(khum_store *s, const char *election, int version,
                               khum_bundle *b, khum_err *err)
{
    khum_print_opts o = {.lang = KHUM_PRINT_BOTH, .bundle_version = version};
    return khum_print_protocols(s, election, &o, put_protocol, b, err);
}

khum_code khum_bundle_build_with(khum_store *s, const char *election, int version,
                                 const char *previous_sha256, const char *created,
                                 bool protocols, khum_bundle *b, khum_err *err)
{
    memset(b, 0, sizeof *b);
    tally_view v;
    khum_code rc = tally_view_load(s, election, &v, err);
    if (rc)
        return rc;
    khum_arena a;
    khum_arena_init(&a, 0);
    char until[11];
    snprintf(until, sizeof until, "%.10s", created);
    put_json(b, "election.json", election_json(&v.e));
    if (!(rc = put_forms(s, &v.e, b, &a, err)) && !(rc = put_explanations(&v, b, err))) {
        put_results(&v, b);
        if (!(rc = put_seats_lots(s, &v, b, &a, err)) &&
            !(rc = put_ledger(s, &v, until, b, &a, err)) &&
            !(rc = rla_bundle_put(s, election, b, err))) {
            put_readme(&v, b, protocols);
            if (!(rc = protocols ? put_protocols(s, v.e.id, version, b, err) : KHUM_OK))
                rc = put_manifest(s, &v, version, previous_sha256, created, b, err);
        }
    }
    khum_arena_free(&a);
    tally_view_free(&v);
    if (rc)
        khum_bundle_free(b);
    return rc;
}

void khum_keypair_hex(char pk[65], char sk[129])
{
    unsigned char p[crypto_sign_PUBLICKEYBYTES], k[crypto_sign_SECRETKEYBYTES];
    if (sodium_init() < 0)
        memset(k, 0, sizeof k);
    crypto_sign_keypair(p, k);
    sodium_bin2hex(pk, 65, p, sizeof p);
    sodium_bin2hex(sk, 129, k, sizeof k);
    sodium_memzero(k, sizeof k);
}

bool khum_public_key_of(const char *sk_hex, char pk[65])
{
    unsigned char sk[crypto_sign_SECRETKEYBYTES], p[crypto_sign_PUBLICKEYBYTES];
    size_t len = 0;
    bool ok = sodium_init() >= 0 &&
              !sodium_hex2bin(sk, sizeof sk, sk_hex, strlen(sk_hex), " \n", &len, NULL) &&
              len == sizeof sk && !crypto_sign_ed25519_sk_to_pk(p, sk);
    if (ok)
        sodium_bin2hex(pk, 65, p, sizeof p);
    sodium_memzero(sk, sizeof sk);
    return ok;
}

khum_code khum_bundle_sign(khum_bundle *b, const char *sk_hex, khum_err *err)
{
    unsigned char sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
    size_t len = 0;
    if (sodium_init() < 0 ||
        sodium_hex2bin(sk, sizeof sk, sk_hex, strlen(sk_hex), " \n", &len, NULL) != 0 ||
        len != sizeof sk)
        return khum_err_set(err, KHUM_ERR_INPUT, "VER.920", "the secret key is not 128 hex "
                            "digits (make one with khum keygen)");
    khum_bundle_file *m = khum_bundle_find(b, "manifest.json");
    if (!m)
        return khum_err_set(err, KHUM_ERR_INTERNAL, "", "no manifest to sign");
    crypto_sign_detached(sig, NULL, (const unsigned char *)m->data.data, m->data.len, sk);
    sodium_memzero(sk, sizeof sk);
    khum_bundle_file *f = khum_bundle_add(b, "manifest.sig");
    if (!f)
        return khum_err_set(err, KHUM_ERR_INTERNAL, "", "too many bundle files");
    char hex[2 * crypto_sign_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, sig, sizeof sig);
    khum_buf_printf(&f->data, "%s\n", hex);
    return KHUM_OK;
}
