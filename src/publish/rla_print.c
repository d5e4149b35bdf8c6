/*
 * rla_print.c: a risk-limiting audit's tables (rla_view.h): the assertions
 * with their exact margins, the status of every commune with its p-values,
 * and the plan's national workload. Text for people, CSV with one header
 * and data only, JSON with everything; one writer for the CLI, the API and
 * the bundle (audit/assertions.json is rla_view_assertions as JSON).
 */
#include <jansson.h>
#include <string.h>

#include "khum/csv.h"
#include "khum/json.h"
#include "rla_view.h"

static const char *list_name(const rla_commune *c, int i)
{
    return i >= 0 && (size_t)i < c->in.n ? c->in.parties[i].name : "";
}

static bool wanted(const rla_commune *c, const char *commune)
{
    return !commune || !*commune || !strcmp(commune, c->code);
}

static json_t *assertion_json(const rla_commune *c, size_t i, bool with_p)
{
    const khum_rla_assertion *x = &c->as[i];
    json_t *j = json_pack("{s:s,s:o,s:o,s:I,s:I,s:[I,I],s:f,s:[I,I],s:f,s:I,s:b}", "kind",
                          khum_rla_kind_name(x->kind), "winner",
                          khum_json_string(list_name(c, x->winner)), "loser",
                          khum_json_string(list_name(c, x->loser)), "margin",
                          (json_int_t)x->margin, "ballots", (json_int_t)x->ballots, "diluted",
                          (json_int_t)x->diluted.num, (json_int_t)x->diluted.den,
                          "diluted_margin", x->v, "upper", (json_int_t)x->upper.num,
                          (json_int_t)x->upper.den, "upper_bound", x->u, "flip",
                          (json_int_t)x->flip, "binding", (int)i == c->binding);
    if (j && with_p)
        json_object_set_new(j, "pvalue", json_real(c->pvalue[i]));
    return j;
}

static json_t *view_head(const rla_view *v)
{
    return json_pack("{s:o,s:s,s:b,s:f,s:o,s:s}", "election", khum_json_string(v->tv.e.id),
                     "election_hash", v->tv.e.hash, "synthetic", v->tv.e.synthetic,
                     "risk_limit", v->params.alpha, "seed",
                     v->audit.exists ? khum_json_string(v->audit.seed) : json_null(), "mode",
                     khum_rla_mode_name(v->mode));
}

void rla_view_assertions(const rla_view *v, const char *commune, const char *format,
                         khum_buf *b)
{
    bool csv = !strcmp(format, "csv"), json = !strcmp(format, "json");
    json_t *root = json ? view_head(v) : NULL, *list = json ? json_array() : NULL;
    if (csv)
        khum_buf_puts(b, "commune,kind,winner,loser,margin,ballots,diluted_margin,"
                         "upper_bound,flip,binding\n");
    for (size_t k = 0; k < v->n; k++) {
        const rla_commune *c = &v->c[k];
        if (!wanted(c, commune))
            continue;
        if (json) {
            json_t *as = json_array();
            for (size_t i = 0; i < c->nas; i++)
                json_array_append_new(as, assertion_json(c, i, false));
            json_array_append_new(list, json_pack("{s:s,s:i,s:I,s:o,s:s}", "commune", c->code,
                                                  "seats", c->in.seats, "ballots",
                                                  (json_int_t)c->contest.ballots,
                                                  "assertions", as, "problem", c->problem));
            continue;
        }
        if (!csv)
            khum_buf_printf(b, "commune %s: %d seats, %lld ballots, %zu assertions%s%s\n",
                            c->code, c->in.seats, (long long)c->contest.ballots, c->nas,
                            *c->problem ? ": " : " (* binding)", c->problem);
        for (size_t i = 0; i < c->nas; i++) {
            const khum_rla_assertion *x = &c->as[i];
            if (csv) {
                khum_buf_printf(b, "%s,%s,%s,%s,%lld,%lld,%.6f,%.6f,%lld,%d\n", c->code,
                                khum_rla_kind_name(x->kind), list_name(c, x->winner),
                                list_name(c, x->loser), (long long)x->margin,
                                (long long)x->ballots, x->v, x->u, (long long)x->flip,
                                (int)i == c->binding);
                continue;
            }
            khum_buf_printf(b, "%s %-6s %-8s %-8s margin %8lld  diluted %7.4f  u %6.4f  "
                            "flip %lld ballots\n", (int)i == c->binding ? " *" : "  ",
                            khum_rla_kind_name(x->kind), list_name(c, x->winner),
                            list_name(c, x->loser), (long long)x->margin, x->v, x->u,
                            (long long)x->flip);
        }
    }
    if (json) {
        json_object_set_new(root, "communes", list);
        khum_json_to_buf(root, 2, b);
    }
}

static double max_pvalue(const rla_commune *c)
{
    double p = c->nas ? 0 : 1;
    for (size_t i = 0; i < c->nas; i++)
        p = c->pvalue[i] > p ? c->pvalue[i] : p;
    return p;
}

void rla_view_status(const rla_view *v, const char *commune, const char *format, khum_buf *b)
{
    bool csv = !strcmp(format, "csv"), json = !strcmp(format, "json");
    size_t count[RLA_NO_AUDIT + 1] = {0};
    json_t *root = json ? view_head(v) : NULL, *list = json ? json_array() : NULL;
    if (csv)
        khum_buf_puts(b, "commune,stage,manifest,rounds,sample,read,different,max_pvalue\n");
    else if (!json)
        khum_buf_printf(b, "risk-limiting audit of %s at risk limit %g by %s%s%s\n",
                        v->tv.e.id, v->params.alpha, khum_rla_mode_name(v->mode),
                        v->audit.exists ? ", seed " : " (no seed yet)",
                        v->audit.exists ? v->audit.seed : "");
    for (size_t k = 0; k < v->n; k++) {
        const rla_commune *c = &v->c[k];
        if (!wanted(c, commune))
            continue;
        count[c->stage]++;
        if (json) {
            json_t *as = json_array();
            for (size_t i = 0; i < c->nas; i++)
                json_array_append_new(as, assertion_json(c, i, true));
            json_array_append_new(list, json_pack(
                "{s:s,s:s,s:I,s:i,s:I,s:I,s:I,s:f,s:o,s:s}", "commune", c->code, "stage",
                rla_stage_name(c->stage), "manifest", (json_int_t)c->manifest, "rounds",
                c->rounds, "sample", (json_int_t)c->sample, "read", (json_int_t)c->read,
                "different", (json_int_t)c->different, "max_pvalue", max_pvalue(c),
                "assertions", as, "problem", c->problem));
        } else if (csv) {
            khum_buf_printf(b, "%s,%s,%lld,%d,%lld,%lld,%lld,%.6f\n", c->code,
                            rla_stage_name(c->stage), (long long)c->manifest, c->rounds,
                            (long long)c->sample, (long long)c->read, (long long)c->different,
                            max_pvalue(c));
        } else {
            khum_buf_printf(b, "%-8s %-12s round %d, sample %lld of %lld, %lld read%s, "
                            "largest p-value %.4f%s%s\n", c->code, rla_stage_name(c->stage),
                            c->rounds, (long long)c->sample, (long long)c->contest.ballots,
                            (long long)c->read, c->different ? " (some read differently)" : "",
                            max_pvalue(c), *c->problem ? ": " : "", c->problem);
        }
    }
    if (json) {
        json_object_set_new(root, "summary", json_pack(
            "{s:I,s:I,s:I,s:I}", "confirmed", (json_int_t)count[RLA_CONFIRMED], "in_progress",
            (json_int_t)(count[RLA_READING] + count[RLA_ESCALATE] + count[RLA_NOT_STARTED]),
            "escalated", (json_int_t)count[RLA_ESCALATE], "full_count",
            (json_int_t)(count[RLA_FULL_COUNT] + count[RLA_NO_AUDIT])));
        json_object_set_new(root, "communes", list);
        khum_json_to_buf(root, 2, b);
    } else if (!csv) {
        khum_buf_printf(b, "confirmed %zu, reading %zu, to escalate %zu, not started %zu, "
                        "full hand count %zu\n", count[RLA_CONFIRMED], count[RLA_READING],
                        count[RLA_ESCALATE], count[RLA_NOT_STARTED],
                        count[RLA_FULL_COUNT] + count[RLA_NO_AUDIT]);
    }
}

khum_code rla_view_plan(const rla_view *v, const char *commune, khum_rla_mode mode,
                        const khum_rla_plan_opts *o, const char *format, khum_buf *b,
                        khum_err *err)
{
    bool csv = !strcmp(format, "csv"), json = !strcmp(format, "json");
    json_t *root = json ? view_head(v) : NULL, *list = json ? json_array() : NULL;
    double expected = 0;
    int64_t units = 0, recounts = 0, planned = 0;
    if (csv)
        khum_buf_puts(b, "commune,mode,units,expected,q50,q90,q99,full_recount,why\n");
    else if (!json)
        khum_buf_printf(b, "plan at risk limit %g, mode %s, %d runs per commune\n"
                           "commune   units  expected    q50    q90  decision\n",
                        o->params.alpha, khum_rla_mode_name(mode), o->runs);
    for (size_t k = 0; k < v->n; k++) {
        const rla_commune *c = &v->c[k];
        if (!wanted(c, commune) || c->nas == 0)
            continue;
        khum_rla_plan p;
        khum_code rc = khum_rla_plan_commune(&c->contest, c->as, c->nas, c->st, c->nst, mode,
                                             o, &p, err);
        if (rc) {
            json_decref(root);
            json_decref(list);
            return rc;
        }
        planned++;
        units += p.units;
        expected += p.full_recount ? (double)p.units : p.expected;
        recounts += p.full_recount;
        const char *why = khum_rla_recount_why_name(p.why);
        if (json)
            json_array_append_new(list, json_pack("{s:s,s:I,s:f,s:I,s:I,s:I,s:b,s:s}",
                                                  "commune", c->code, "units",
                                                  (json_int_t)p.units, "expected", p.expected,
                                                  "q50", (json_int_t)p.q50, "q90",
                                                  (json_int_t)p.q90, "q99", (json_int_t)p.q99,
                                                  "full_recount", p.full_recount, "why", why));
        else if (csv)
            khum_buf_printf(b, "%s,%s,%lld,%.1f,%lld,%lld,%lld,%d,%s\n", c->code,
                            khum_rla_mode_name(mode), (long long)p.units, p.expected,
                            (long long)p.q50, (long long)p.q90, (long long)p.q99,
                            p.full_recount, why);
        else
            khum_buf_printf(b, "%-8s %6lld %9.1f %6lld %6lld  %s%s%s%s\n", c->code,
                            (long long)p.units, p.expected, (long long)p.q50,
                            (long long)p.q90, p.full_recount ? "full hand count" : "sample",
                            *why ? " (" : "", why, *why ? ")" : "");
    }
    if (json) {
        json_object_set_new(root, "mode", json_string(khum_rla_mode_name(mode)));
        json_object_set_new(root, "national", json_pack("{s:I,s:I,s:f,s:I}", "communes",
                                                        (json_int_t)planned, "units",
                                                        (json_int_t)units, "expected", expected,
                                                        "full_recounts", (json_int_t)recounts));
        json_object_set_new(root, "communes", list);
        khum_json_to_buf(root, 2, b);
    } else if (!csv) {
        khum_buf_printf(b, "national: %lld communes, %lld %s in all, %.0f expected to examine "
                           "(%.1f %%), %lld full hand counts\n", (long long)planned,
                        (long long)units, mode == KHUM_RLA_MODE_STATIONS ? "stations"
                        : "ballots", expected, units ? 100.0 * expected / (double)units : 0,
                        (long long)recounts);
    }
    return KHUM_OK;
}
