/*
 * measure.c: the test statistics of an audit (docs/rla.md §4-§6): ALPHA's
 * test supermartingale for ballot polling without replacement, the same
 * test on ONEAudit's overstatement assorter (station forms as the reported
 * record), and MACRO for whole-station comparison. Only these use floating
 * point; the decision to confirm is taken with a small safety factor so
 * that rounding never confirms at the boundary.
 */
#include <math.h>
#include <string.h>

#include "khum/rla.h"
#include "rla_internal.h"

/* Confirm only when T exceeds 1/alpha by a relative 1e-9: the products of a
 * few thousand factors carry rounding errors far below that. */
#define SAFETY 1e-9

void rla_alpha_start(rla_alpha *s, double N, double u, double eta0, const khum_rla_params *p)
{
    s->N = N;
    s->u = u;
    s->eta0 = eta0;
    s->d = p->prior_weight > 0 ? p->prior_weight : 100.0;
    s->eps = p->eps > 0 ? p->eps : 1e-6;
    s->sum = 0;
    s->j = 0;
    s->T = 1;
    s->maxT = 1;
    s->sure = false;
    s->never = false;
}

/* One more value x in [0, u]: ALPHA's update (shared/docs/audits.md §2). */
void rla_alpha_step(rla_alpha *s, double x)
{
    if (s->sure || s->never) {
        s->sum += x;
        s->j++;
        return;
    }
    double j = (double)(s->j + 1);
    double mu = (s->N * 0.5 - s->sum) / (s->N - j + 1.0);
    if (mu < 0 || (mu == 0 && x > 0)) {
        s->sure = true;   /* the null mean is impossible already */
        s->maxT = INFINITY;
    } else if (mu >= s->u) {
        s->never = true;  /* the null cannot be rejected any more */
        s->T = 0;
    } else {
        double eta = (s->d * s->eta0 + s->sum) / (s->d + j - 1.0);
        double lo = mu + s->eps, hi = s->u - s->eps;
        eta = lo > hi ? (mu + s->u) / 2 : eta < lo ? lo : eta > hi ? hi : eta;
        double up = x > 0 ? x * eta / mu : 0;
        s->T *= (up + (s->u - x) * (s->u - eta) / (s->u - mu)) / s->u;
        if (s->T > s->maxT)
            s->maxT = s->T;
    }
    s->sum += x;
    s->j++;
}

double rla_alpha_pvalue(const rla_alpha *s)
{
    return s->maxT <= 1 ? 1.0 : 1.0 / s->maxT;
}

bool rla_alpha_confirms(const rla_alpha *s, double alpha)
{
    return s->sure || s->maxT >= (1.0 / alpha) * (1.0 + SAFETY);
}

static khum_code check_choice(int choice, size_t nlists, size_t at, khum_err *err)
{
    if (choice == KHUM_RLA_BLANK || choice == KHUM_RLA_INVALID ||
        (choice >= 0 && (size_t)choice < nlists))
        return KHUM_OK;
    return khum_err_set(err, KHUM_ERR_INPUT, "RLA.505",
                        "reading %zu names choice %d: neither a list (0..%zu) nor blank or "
                        "invalid", at + 1, choice, nlists - 1);
}

/* The commune's status from its assertions' p-values. */
static khum_rla_status decide(const khum_rla_assertion *as, size_t nas, const bool *confirmed,
                              bool everything_read)
{
    bool all = true;
    for (size_t i = 0; i < nas; i++) {
        if (as[i].margin <= 0)
            return KHUM_RLA_FULL_COUNT;  /* the reported seats do not follow from the count */
        all &= confirmed[i];
    }
    if (all)
        return KHUM_RLA_CONFIRMED;
    return everything_read ? KHUM_RLA_FULL_COUNT : KHUM_RLA_CONTINUE;
}

/* The checks every test shares: parameters, assertions, a sample no larger
 * than the commune. */
static khum_code check_test(const khum_rla_assertion *as, size_t nas, size_t n,
                            const khum_rla_params *p, khum_err *err)
{
    khum_code rc = khum_rla_params_check(p, err);
    if (rc)
        return rc;
    if (nas == 0)
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.501", "no assertions to test");
    if ((int64_t)n > as[0].ballots)
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.504",
                            "%zu readings, but the commune has only %lld ballots", n,
                            (long long)as[0].ballots);
    return KHUM_OK;
}

khum_code khum_rla_polling(const khum_rla_assertion *as, size_t nas, const int *readings,
                           size_t n, const khum_rla_params *p, double *pvalue,
                           khum_rla_status *status, khum_err *err)
{
    khum_code rc = check_test(as, nas, n, p, err);
    if (rc)
        return rc;
    for (size_t j = 0; j < n; j++)
        if ((rc = check_choice(readings[j], as[0].nlists, j, err)))
            return rc;
    bool confirmed[nas ? nas : 1];
    for (size_t i = 0; i < nas; i++) {
        rla_alpha s;
        rla_alpha_start(&s, (double)as[i].ballots, as[i].u, khum_rla_reported_mean(&as[i]), p);
        for (size_t j = 0; j < n; j++)
            rla_alpha_step(&s, khum_rla_assort(&as[i], readings[j]));
        pvalue[i] = rla_alpha_pvalue(&s);
        confirmed[i] = rla_alpha_confirms(&s, p->alpha);
    }
    *status = decide(as, nas, confirmed, (int64_t)n == as[0].ballots);
    return KHUM_OK;
}

/* Sum of w over a station's ballots (its unreported ballots count as invalid). */
int64_t rla_station_score(const khum_rla_assertion *a, const khum_rla_station *s)
{
    int64_t sum = 0, seen = s->blank + s->invalid;
    for (size_t k = 0; k < a->nlists; k++) {
        sum += a->weight[k] * s->votes[k];
        seen += s->votes[k];
    }
    return sum + a->weight[a->nlists] * s->blank +
           a->weight[a->nlists + 1] * (s->invalid + (s->ballots - seen));
}

khum_code rla_check_stations(const khum_rla_assertion *as, const khum_rla_station *st,
                             size_t nst, khum_err *err)
{
    if (!st || nst == 0)
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.506", "this mode needs the stations");
    int64_t total = 0;
    for (size_t g = 0; g < nst; g++) {
        int64_t seen = st[g].blank + st[g].invalid;
        for (size_t k = 0; k < as[0].nlists; k++)
            seen += st[g].votes[k] < 0 ? INT64_MIN / 4 : st[g].votes[k];
        if (seen < 0 || st[g].blank < 0 || st[g].invalid < 0 || seen > st[g].ballots)
            return khum_err_set(err, KHUM_ERR_INPUT, "RLA.506",
                                "station %zu reports %lld ballots but more (or negative) votes",
                                g + 1, (long long)st[g].ballots);
        total += st[g].ballots;
    }
    if (total != as[0].ballots)
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.506",
                            "the stations hold %lld ballots, the commune %lld", (long long)total,
                            (long long)as[0].ballots);
    return KHUM_OK;
}

void rla_oneaudit_means(const khum_rla_assertion *a, const khum_rla_station *st, size_t nst,
                        double *abar, double *v)
{
    double total = 0;
    for (size_t g = 0; g < nst; g++) {
        double score = (double)rla_station_score(a, &st[g]);
        double b = (double)st[g].ballots;
        /* mean of h = (w/m + 1)/2 over the station's ballots */
        abar[g] = b > 0 ? (score / (double)a->m / b + 1.0) / 2.0 : 0.5;
        total += score;
    }
    *v = total / ((double)a->m * (double)a->ballots);
}

double rla_oneaudit_value(const khum_rla_assertion *a, double abar, double v, int choice)
{
    return (1.0 - (abar - khum_rla_assort(a, choice)) / a->u) / (2.0 - v / a->u);
}

khum_code khum_rla_oneaudit(const khum_rla_assertion *as, size_t nas,
                            const khum_rla_station *st, size_t nst,
                            const khum_rla_reading *sample, size_t n,
                            const khum_rla_params *p, double *pvalue,
                            khum_rla_status *status, khum_err *err)
{
    khum_code rc = check_test(as, nas, n, p, err);
    if (rc || (rc = rla_check_stations(as, st, nst, err)))
        return rc;
    for (size_t j = 0; j < n; j++) {
        if (sample[j].station < 0 || (size_t)sample[j].station >= nst)
            return khum_err_set(err, KHUM_ERR_INPUT, "RLA.504",
                                "reading %zu is from station %d; the commune has %zu", j + 1,
                                sample[j].station, nst);
        if ((rc = check_choice(sample[j].choice, as[0].nlists, j, err)))
            return rc;
    }
    double abar[nst];
    bool confirmed[nas];
    for (size_t i = 0; i < nas; i++) {
        double v;
        rla_oneaudit_means(&as[i], st, nst, abar, &v);
        rla_alpha s;
        double ub = 2.0 / (2.0 - v / as[i].u);
        rla_alpha_start(&s, (double)as[i].ballots, ub, 1.0 / (2.0 - v / as[i].u), p);
        for (size_t j = 0; j < n; j++)
            rla_alpha_step(&s, rla_oneaudit_value(&as[i], abar[sample[j].station], v,
                                                  sample[j].choice));
        pvalue[i] = rla_alpha_pvalue(&s);
        confirmed[i] = rla_alpha_confirms(&s, p->alpha);
    }
    *status = decide(as, nas, confirmed, (int64_t)n == as[0].ballots);
    return KHUM_OK;
}

khum_code khum_rla_macro_bounds(const khum_rla_assertion *as, size_t nas,
                                const khum_rla_station *st, size_t nst, double *u,
                                double *U, khum_err *err)
{
    if (nas == 0)
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.501", "no assertions to test");
    khum_code rc = rla_check_stations(as, st, nst, err);
    if (rc)
        return rc;
    *U = 0;
    for (size_t g = 0; g < nst; g++) {
        u[g] = 0;
        for (size_t i = 0; i < nas; i++) {
            if (as[i].margin <= 0) {
                u[g] = INFINITY;
                continue;
            }
            /* the most this station can overstate: every ballot at -m */
            double r = (double)rla_station_score(&as[i], &st[g]);
            double b = (r + (double)as[i].m * (double)st[g].ballots) / (double)as[i].margin;
            u[g] = b > u[g] ? b : u[g];
        }
        *U += u[g];
    }
    return KHUM_OK;
}

khum_code khum_rla_macro(const khum_rla_assertion *as, size_t nas,
                         const khum_rla_station *reported, const khum_rla_station *recount,
                         size_t nst, const int *drawn, size_t n, const khum_rla_params *p,
                         double *pvalue, khum_rla_status *status, khum_err *err)
{
    khum_code rc = khum_rla_params_check(p, err);
    if (rc)
        return rc;
    double u[nst ? nst : 1], U = 0;
    if ((rc = khum_rla_macro_bounds(as, nas, reported, nst, u, &U, err)))
        return rc;
    bool seen[nst];
    memset(seen, 0, sizeof seen);
    double P = 1;
    size_t distinct = 0;
    for (size_t j = 0; j < n; j++) {
        int g = drawn[j];
        if (g < 0 || (size_t)g >= nst || !recount || !recount[g].votes)
            return khum_err_set(err, KHUM_ERR_INPUT, "RLA.504",
                                "draw %zu names station %d, which has no recount", j + 1, g);
        if (recount[g].ballots != reported[g].ballots)
            return khum_err_set(err, KHUM_ERR_INPUT, "RLA.506",
                                "station %d: the recount has %lld ballots, the manifest %lld",
                                g, (long long)recount[g].ballots,
                                (long long)reported[g].ballots);
        distinct += !seen[g];
        seen[g] = true;
        double e = 0;  /* the largest overstatement over the assertions, in margins */
        for (size_t i = 0; i < nas; i++) {
            if (as[i].margin <= 0)
                continue;
            double d = (double)(rla_station_score(&as[i], &reported[g]) -
                                rla_station_score(&as[i], &recount[g])) /
                       (double)as[i].margin;
            e = d > e ? d : e;
        }
        double taint = isfinite(u[g]) && u[g] > 0 ? e / u[g] : 1.0;
        P = taint >= 1.0 ? INFINITY : P * (1.0 - 1.0 / U) / (1.0 - taint);
    }
    *pvalue = P < 1 ? P : 1;
    bool ok = isfinite(U) && P * (1.0 + SAFETY) <= p->alpha;
    bool conf[1] = {ok};
    khum_rla_assertion none = as[0];
    none.margin = 1;
    bool bad = false;
    for (size_t i = 0; i < nas; i++)
        bad |= as[i].margin <= 0;
    *status = bad ? KHUM_RLA_FULL_COUNT : decide(&none, 1, conf, distinct == nst);
    return KHUM_OK;
}
