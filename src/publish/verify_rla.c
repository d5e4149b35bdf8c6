/*
 * verify_rla.c: `khum verify` replays a bundle's risk-limiting audit
 * offline. From the forms it recomputed (verify_sums.c) it builds each
 * commune's contest again and recomputes its assertions, checking
 * rla_assertions.json's margins; from rla_audit.json's seed and frozen
 * manifest it replays the draw (khum/rla_draw.h) and checks every sampled
 * ballot and its place; from the members' readings it settles each ballot
 * by the two-entry rule and recomputes every p-value and the stage the
 * audit claims, by ballot polling or, when rla_audit.json's mode says
 * oneaudit, by ONEAudit against the station figures of the bundle's own
 * forms (forms.csv, form_votes.csv). The formulas are the rla module's; what is recomputed
 * here is everything the database held: nothing published is taken on
 * trust but the seed and the readings themselves.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "khum/app_rla.h"
#include "khum/csv.h"
#include "khum/rla.h"
#include "khum/rla_draw.h"
#include "rla_view.h"
#include "verify_impl.h"

#define AS_FILE "rla_assertions.json"
#define AUDIT_FILE "rla_audit.json"

/* One commune rebuilt from the bundle's forms. */
typedef struct ver_rla_commune {
    const ver_commune *vc;
    khum_alloc_rules rules;
    khum_alloc_party lists[VER_MAX_PARTIES];
    int seats[VER_MAX_PARTIES];
    khum_rla_contest contest;
    khum_rla_assertion *as;
    size_t nas;
} ver_rla_commune;

static json_t *load_json(khum_bundle *b, const char *name)
{
    khum_bundle_file *f = khum_bundle_find(b, name);
    return f ? json_loadb(f->data.data ? f->data.data : "", f->data.len, 0, NULL) : NULL;
}

static const ver_commune *find_commune(const ver_ctx *v, const char *code)
{
    for (size_t i = 0; code && i < v->ncommunes; i++)
        if (!strcmp(v->communes[i].code, code))
            return &v->communes[i];
    return NULL;
}

/* The contest of a commune whose seats verify recomputed, over N ballots. */
static bool rebuild(ver_ctx *v, const ver_commune *vc, int64_t N, ver_rla_commune *out)
{
    const ver_area *a = vc->area;
    if (!a || !a->seated)
        return false;
    memset(out, 0, sizeof *out);
    out->vc = vc;
    khum_alloc_rules_default(&out->rules);
    if (!khum_method_parse(v->method, &out->rules.method))
        return false;
    if (v->threshold_e4 >= 0) {
        out->rules.threshold_num = v->threshold_e4;
        out->rules.threshold_den = 10000;
    }
    for (int k = 0; k < vc->nlists; k++) {
        out->lists[k] = (khum_alloc_party){v->parties[vc->lists[k]], a->votes[vc->lists[k]],
                                           true, -1, k + 1};
        out->seats[k] = a->seats[vc->lists[k]];
    }
    out->contest = (khum_rla_contest){
        .commune = vc->code, .rules = &out->rules, .lists = out->lists, .seats = out->seats,
        .nlists = (size_t)vc->nlists, .total_seats = vc->seats, .blank = a->blank,
        .invalid = a->invalid, .ballots = N ? N : a->cast,
        .base_blank = strcmp(v->threshold_base, "valid") != 0,
        .base_invalid = !strcmp(v->threshold_base, "cast")};
    khum_err err;
    return !khum_rla_assertions(&out->contest, &v->arena, &out->as, &out->nas, &err);
}

static const char *list_at(const ver_rla_commune *c, int i)
{
    return i >= 0 && (size_t)i < c->contest.nlists ? c->lists[i].name : "";
}

/* rla_assertions.json against the assertions recomputed from the forms. */
static void check_assertions(ver_ctx *v, json_t *root)
{
    size_t i;
    json_t *jc;
    json_array_foreach(json_object_get(root, "communes"), i, jc) {
        const char *code = json_string_value(json_object_get(jc, "commune"));
        const ver_commune *vc = find_commune(v, code);
        ver_rla_commune c;
        json_t *list = json_object_get(jc, "assertions");
        if (!vc || !rebuild(v, vc, json_integer_value(json_object_get(jc, "ballots")), &c)) {
            if (json_array_size(list))
                ver_diff(v, AS_FILE, 0, "RLA.560", "commune %s: its assertions cannot be "
                         "recomputed from the bundle's forms", code ? code : "?");
            continue;
        }
        if (json_array_size(list) != c.nas) {
            ver_diff(v, AS_FILE, 0, "RLA.560", "commune %s: %zu assertions published, %zu "
                     "recomputed from the forms", code, json_array_size(list), c.nas);
            continue;
        }
        for (size_t k = 0; k < c.nas; k++) {
            json_t *x = json_array_get(list, k);
            const char *w = json_string_value(json_object_get(x, "winner"));
            const char *l = json_string_value(json_object_get(x, "loser"));
            if (json_integer_value(json_object_get(x, "margin")) != c.as[k].margin ||
                !w || strcmp(w, list_at(&c, c.as[k].winner)) || !l ||
                strcmp(l, list_at(&c, c.as[k].loser)))
                ver_diff(v, AS_FILE, 0, "RLA.560", "commune %s, assertion %zu (%s over %s): "
                         "margin %lld published, %lld recomputed from the forms", code, k + 1,
                         w ? w : "?", l ? l : "?",
                         (long long)json_integer_value(json_object_get(x, "margin")),
                         (long long)c.as[k].margin);
        }
    }
}

/* The manifest as published; false (reported) when it does not hold the
 * commune's ballots cast. */
static bool read_manifest(ver_ctx *v, const ver_commune *vc, json_t *jm, khum_rla_manifest *m,
                          int bundle)
{
    size_t n = json_array_size(jm), i;
    khum_rla_box *boxes = khum_arena_calloc(&v->arena, n + 1, sizeof *boxes);
    if (!boxes)
        return false;
    json_t *x;
    json_array_foreach(jm, i, x) {
        boxes[i].station = json_string_value(json_object_get(x, "station"));
        boxes[i].ballots = json_integer_value(json_object_get(x, "ballots"));
        if (!boxes[i].station)
            boxes[i].station = "";
    }
    *m = (khum_rla_manifest){.commune = vc->code, .bundle = bundle, .boxes = boxes,
                             .nboxes = n};
    khum_err err;
    if (khum_rla_manifest_check(m, &err) || !vc->area || m->total != vc->area->cast) {
        ver_diff(v, AUDIT_FILE, 0, "RLA.561", "commune %s: the manifest holds %lld ballots, "
                 "the forms %lld cast", vc->code, (long long)m->total,
                 vc->area ? (long long)vc->area->cast : -1LL);
        return false;
    }
    return true;
}

/* The draw replayed from the seed: every sampled ballot and its place. */
static bool replay_draw(ver_ctx *v, const char *seed, const khum_rla_manifest *m, json_t *js)
{
    char key[KHUM_RLA_SEED_MAX + 40];
    int64_t *drawn, n;
    uint64_t counter;
    khum_err err;
    if (khum_rla_stream_key(seed, m->commune, key, sizeof key, &err) ||
        khum_rla_draw(key, m->total, (int64_t)json_array_size(js), &v->arena, &drawn, &n,
                      &counter, &err) || n != (int64_t)json_array_size(js)) {
        ver_diff(v, AUDIT_FILE, 0, "RLA.562", "commune %s: the draw of %zu ballots cannot be "
                 "replayed from the seed", m->commune, json_array_size(js));
        return false;
    }
    for (int64_t i = 0; i < n; i++) {
        json_t *x = json_array_get(js, (size_t)i);
        khum_rla_ballot b;
        const char *st = json_string_value(json_object_get(x, "station"));
        if (khum_rla_manifest_locate(m, drawn[i], &b, &err) ||
            json_integer_value(json_object_get(x, "seq")) != i + 1 ||
            json_integer_value(json_object_get(x, "ballot")) != drawn[i] || !st ||
            strcmp(st, m->boxes[b.box].station) ||
            json_integer_value(json_object_get(x, "bundle")) != b.bundle ||
            json_integer_value(json_object_get(x, "position")) != b.position) {
            ver_diff(v, AUDIT_FILE, 0, "RLA.562", "commune %s: ballot %lld of the sample is not "
                     "the one the seed draws (station %s, bundle %lld, position %lld)",
                     m->commune, (long long)i + 1, m->boxes[b.box].station,
                     (long long)b.bundle, (long long)b.position);
            return false;
        }
    }
    return true;
}

/* The station of the manifest (its box index) that sampled ballot x lies in. */
static int box_of(const khum_rla_manifest *m, json_t *x)
{
    const char *st = json_string_value(json_object_get(x, "station"));
    for (size_t g = 0; st && g < m->nboxes; g++)
        if (!strcmp(m->boxes[g].station, st))
            return (int)g;
    return -1;
}

/* The settled prefix of the readings in draw order, as choices, each with
 * its station (box) in station[]. */
static size_t settled_prefix(ver_ctx *v, const ver_rla_commune *c, const khum_rla_manifest *m,
                             json_t *js, json_t *jr, int *choices, int *station)
{
    size_t nsample = json_array_size(js);
    const char **values = khum_arena_calloc(&v->arena, json_array_size(jr) + 1, sizeof *values);
    size_t read = 0;
    for (size_t seq = 1; values && seq <= nsample; seq++) {
        size_t k = 0, i;
        json_t *x;
        json_array_foreach(jr, i, x)
            if ((size_t)json_integer_value(json_object_get(x, "seq")) == seq &&
                json_is_string(json_object_get(x, "reading")))
                values[k++] = json_string_value(json_object_get(x, "reading"));
        const char *settled;
        if (khum_rla_read_state_of(values, k, &settled) != KHUM_RLA_AGREED)
            break;
        int choice = strcmp(settled, KHUM_RLA_READ_BLANK) ? KHUM_RLA_INVALID : KHUM_RLA_BLANK;
        for (size_t l = 0; l < c->contest.nlists; l++)
            if (!strcmp(settled, c->lists[l].name))
                choice = (int)l;
        station[read] = box_of(m, json_array_get(js, seq - 1));
        choices[read++] = choice;
    }
    return read;
}

/* A CSV file of the bundle with its header read; NULL when it has none. */
static khum_csv *open_csv(khum_bundle *b, const char *name)
{
    khum_bundle_file *f = khum_bundle_find(b, name);
    khum_csv *c = f ? khum_csv_open_mem(name, f->data.data, f->data.len) : NULL;
    khum_err err;
    if (c && khum_csv_read_header(c, &err)) {
        khum_csv_close(c);
        return NULL;
    }
    return c;
}

/* One station's form figures from forms.csv and form_votes.csv; false
 * when the bundle has no form for it. */
static bool station_form(ver_ctx *v, khum_bundle *b, const ver_rla_commune *c,
                         const char *code, khum_rla_station *out)
{
    int64_t *votes = khum_arena_calloc(&v->arena, c->contest.nlists + 1, sizeof *votes);
    if (!votes)
        return false;
    khum_err err;
    bool found = false;
    khum_csv *csv = open_csv(b, "forms.csv");
    int cs = csv ? khum_csv_col(csv, "station") : -1, cc = csv ? khum_csv_col(csv, "cast") : -1,
        cb = csv ? khum_csv_col(csv, "blank") : -1, ci = csv ? khum_csv_col(csv, "invalid") : -1;
    while (cs >= 0 && cc >= 0 && ci >= 0 && !found && khum_csv_next(csv, &err) == 1) {
        if (strcmp(khum_csv_get(csv, (size_t)cs), code))
            continue;
        found = true;
        *out = (khum_rla_station){atoll(khum_csv_get(csv, (size_t)cc)), votes,
                                  cb >= 0 ? atoll(khum_csv_get(csv, (size_t)cb)) : 0,
                                  atoll(khum_csv_get(csv, (size_t)ci))};
    }
    khum_csv_close(csv);
    csv = found ? open_csv(b, "form_votes.csv") : NULL;
    int vs = csv ? khum_csv_col(csv, "station") : -1, vp = csv ? khum_csv_col(csv, "party") : -1,
        vv = csv ? khum_csv_col(csv, "votes") : -1;
    while (vs >= 0 && vp >= 0 && vv >= 0 && khum_csv_next(csv, &err) == 1) {
        if (strcmp(khum_csv_get(csv, (size_t)vs), code))
            continue;
        for (size_t l = 0; l < c->contest.nlists; l++)
            if (!strcmp(khum_csv_get(csv, (size_t)vp), c->lists[l].name))
                votes[l] = atoll(khum_csv_get(csv, (size_t)vv));
    }
    khum_csv_close(csv);
    return found;
}

/* ONEAudit's p-values: the readings against the bundle's station forms,
 * the stations in the manifest's order. */
static khum_code measure_oneaudit(ver_ctx *v, khum_bundle *b, const ver_rla_commune *c,
                                  const khum_rla_manifest *m, const int *choices,
                                  const int *station, size_t read,
                                  const khum_rla_params *params, double *p,
                                  khum_rla_status *status, khum_err *err)
{
    khum_rla_station *st = khum_arena_calloc(&v->arena, m->nboxes + 1, sizeof *st);
    khum_rla_reading *sample = khum_arena_calloc(&v->arena, read + 1, sizeof *sample);
    if (!st || !sample)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t g = 0; g < m->nboxes; g++)
        if (!station_form(v, b, c, m->boxes[g].station, &st[g]))
            return khum_err_set(err, KHUM_ERR_INPUT, "RLA.566", "station %s of the manifest "
                                "has no form in the bundle", m->boxes[g].station);
    for (size_t j = 0; j < read; j++)
        sample[j] = (khum_rla_reading){station[j], choices[j]};
    return khum_rla_oneaudit(c->as, c->nas, st, m->nboxes, sample, read, params, p, status,
                             err);
}

/* The p-values and the stage recomputed from the readings, by the mode. */
static void check_measure(ver_ctx *v, khum_bundle *b, const ver_rla_commune *c,
                          const khum_rla_manifest *m, json_t *jc, double alpha,
                          khum_rla_mode mode)
{
    json_t *js = json_object_get(jc, "sample"), *jr = json_object_get(jc, "readings");
    size_t nsample = json_array_size(js);
    int *choices = khum_arena_calloc(&v->arena, nsample + 1, sizeof *choices);
    int *station = khum_arena_calloc(&v->arena, nsample + 1, sizeof *station);
    double *p = khum_arena_calloc(&v->arena, c->nas + 1, sizeof *p);
    if (!choices || !station || !p)
        return;
    size_t read = settled_prefix(v, c, m, js, jr, choices, station);
    khum_rla_params params;
    khum_rla_params_default(&params);
    params.alpha = alpha;
    khum_rla_status status = KHUM_RLA_CONTINUE;
    khum_err err;
    for (size_t i = 0; i < c->nas; i++)
        p[i] = 1;
    if (read && (mode == KHUM_RLA_MODE_ONEAUDIT
                 ? measure_oneaudit(v, b, c, m, choices, station, read, &params, p, &status,
                                    &err)
                 : khum_rla_polling(c->as, c->nas, choices, read, &params, p, &status, &err))) {
        ver_diff(v, AUDIT_FILE, 0, *err.rule ? err.rule : "RLA.563", "commune %s: %s",
                 c->vc->code, err.msg);
        return;
    }
    json_t *jp = json_object_get(jc, "pvalues");
    for (size_t i = 0; i < c->nas; i++)
        if (json_array_size(jp) != c->nas ||
            fabs(json_number_value(json_array_get(jp, i)) - p[i]) > 1e-9)
            ver_diff(v, AUDIT_FILE, 0, "RLA.563", "commune %s, assertion %zu: p-value %g "
                     "published, %g recomputed from the %zu ballots read", c->vc->code, i + 1,
                     json_number_value(json_array_get(jp, i)), p[i], read);
    rla_stage stage = rla_stage_of(c->as, c->nas, status, 1, (int64_t)read, (int64_t)nsample);
    const char *claimed = json_string_value(json_object_get(jc, "stage"));
    if (!claimed || strcmp(claimed, rla_stage_name(stage)))
        ver_diff(v, AUDIT_FILE, 0, "RLA.563", "commune %s: stage %s published, %s recomputed "
                 "from the readings", c->vc->code, claimed ? claimed : "?",
                 rla_stage_name(stage));
}

static void check_audit(ver_ctx *v, khum_bundle *b, json_t *root)
{
    const char *seed = json_string_value(json_object_get(root, "seed"));
    const char *risk = json_string_value(json_object_get(root, "risk_limit"));
    int bundle = (int)json_integer_value(json_object_get(root, "bundle"));
    double alpha;
    khum_err err;
    if (!seed || khum_rla_seed_check(seed, &err) ||
        khum_rla_risk_limit_parse(risk, &alpha, &err)) {
        ver_diff(v, AUDIT_FILE, 0, "RLA.561", "the audit's seed or risk limit is not one");
        return;
    }
    /* bundles made before migration 014 name no mode: they polled */
    json_t *jmode = json_object_get(root, "mode");
    khum_rla_mode mode = KHUM_RLA_MODE_POLLING;
    if (jmode && khum_rla_audit_mode_parse(json_string_value(jmode), &mode, &err)) {
        ver_diff(v, AUDIT_FILE, 0, err.rule, "%s", err.msg);
        return;
    }
    size_t i;
    json_t *jc;
    json_array_foreach(json_object_get(root, "communes"), i, jc) {
        const char *code = json_string_value(json_object_get(jc, "commune"));
        const ver_commune *vc = find_commune(v, code);
        khum_rla_manifest m;
        ver_rla_commune c;
        if (!vc) {
            ver_diff(v, AUDIT_FILE, 0, "RLA.561", "commune %s is not in election.json",
                     code ? code : "?");
            continue;
        }
        if (!read_manifest(v, vc, json_object_get(jc, "manifest"), &m, bundle) ||
            !replay_draw(v, seed, &m, json_object_get(jc, "sample")))
            continue;
        if (!rebuild(v, vc, m.total, &c))
            ver_diff(v, AUDIT_FILE, 0, "RLA.560", "commune %s: no assertions recomputed",
                     code);
        else
            check_measure(v, b, &c, &m, jc, alpha, mode);
    }
}

void ver_rla(ver_ctx *v, khum_bundle *b)
{
    json_t *as = load_json(b, AS_FILE), *audit = load_json(b, AUDIT_FILE);
    if (khum_bundle_find(b, AS_FILE) && !as)
        ver_diff(v, AS_FILE, 0, "RLA.560", "%s is not JSON", AS_FILE);
    if (khum_bundle_find(b, AUDIT_FILE) && !audit)
        ver_diff(v, AUDIT_FILE, 0, "RLA.561", "%s is not JSON", AUDIT_FILE);
    if (as)
        check_assertions(v, as);
    if (audit)
        check_audit(v, b, audit);
    json_decref(as);
    json_decref(audit);
}
