/*
 * rla_internal.h (internal to src/rla): the pieces the measurement and the
 * planner share, so that a simulated audit runs exactly the code of a real
 * one.
 */
#ifndef KHUM_RLA_INTERNAL_H
#define KHUM_RLA_INTERNAL_H

#include "khum/rla.h"

/* ALPHA's running state for one assertion (shared/docs/audits.md §2). */
typedef struct rla_alpha {
    double N, u, eta0, d, eps;
    double sum;         /* S_{j-1} */
    int64_t j;          /* values seen */
    double T, maxT;
    bool sure;          /* the null became impossible: confirmed */
    bool never;         /* the null became certain: never confirmed */
} rla_alpha;

void rla_alpha_start(rla_alpha *s, double N, double u, double eta0, const khum_rla_params *p);
void rla_alpha_step(rla_alpha *s, double x);
double rla_alpha_pvalue(const rla_alpha *s);
bool rla_alpha_confirms(const rla_alpha *s, double alpha);

/* Sum of an assertion's weights over a station's ballots. */
int64_t rla_station_score(const khum_rla_assertion *a, const khum_rla_station *s);
/* RLA.506 unless the stations are consistent and hold the commune's N ballots. */
khum_code rla_check_stations(const khum_rla_assertion *as, const khum_rla_station *st,
                             size_t nst, khum_err *err);
/* ONEAudit: each station's reported assorter mean and the diluted margin. */
void rla_oneaudit_means(const khum_rla_assertion *a, const khum_rla_station *st, size_t nst,
                        double *abar, double *v);
/* ONEAudit's overstatement assorter of a ballot of a station with mean abar. */
double rla_oneaudit_value(const khum_rla_assertion *a, double abar, double v, int choice);

#endif
