/*
 * synth_impl.h (internal to src/synth): the seeded random numbers and the
 * drawing of one station's form, shared by the national generator (synth.c)
 * and the generator at any size (scale.c).
 */
#ifndef KHUM_SYNTH_IMPL_H
#define KHUM_SYNTH_IMPL_H

#include "khum/synth.h"

typedef struct rng {
    uint64_t s;
} rng;

uint64_t synth_next(rng *r);                  /* xorshift */
double synth_uniform(rng *r);                 /* [0, 1) */
double synth_normal(rng *r);                  /* standard normal */
/* Share `total` out in proportion to w (largest remainders), at least `min` each. */
void synth_apportion(int64_t total, const double *w, size_t n, int64_t min, int64_t *out);
/* One station's numbers drawn around a turnout and invalid rate; the votes
 * of the parties flagged in `in` share out the valid ballots exactly, in
 * proportion to strength with noise. Arrays in arena a. */
void synth_station_form(rng *r, khum_arena *a, const char *code, int64_t registered,
                        double turnout, double invalid_rate, const double *strength,
                        const bool *in, const char *const *ids, size_t np, khum_form *f);

#endif
