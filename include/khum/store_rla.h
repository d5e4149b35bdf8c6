/*
 * khum/store_rla.h: the rows of a risk-limiting audit (store_rla.c, tables
 * of migration 011_rla.sql): the audit's seed, each council's frozen
 * manifest, the rounds drawn, the sample in draw order and the board's
 * readings. Only inserted, never changed: a draw or a reading stands as it
 * was recorded, and the audit log commits to each. Lists are in arena a.
 */
#ifndef KHUM_STORE_RLA_H
#define KHUM_STORE_RLA_H

#include <stdbool.h>
#include <stdint.h>

#include "khum/rla_draw.h"
#include "khum/store.h"

typedef struct khum_rla_audit_row {
    bool exists;
    const char *seed, *risk_limit;    /* risk_limit as given, e.g. "0.05" */
    const char *mode;                 /* "polling" or "oneaudit" (migration 014) */
    int bundle;
    const char *opened_by, *opened_at;
} khum_rla_audit_row;

typedef struct khum_rla_round_row {
    const char *commune;
    int round;
    int64_t ballots;                  /* the sample's size after the round */
    int64_t counter;                  /* the last j of the stream read */
    const char *drawn_by, *drawn_at;
} khum_rla_round_row;

typedef struct khum_rla_sample_row {
    const char *commune;
    int64_t seq;                      /* 1, 2, ... in draw order */
    int64_t ballot;                   /* its number in the manifest, from 0 */
    const char *station;
    int64_t bundle, position;
    int round;
} khum_rla_sample_row;

typedef struct khum_rla_reading_row {
    const char *commune;
    int64_t seq;
    const char *member, *reading;     /* reading: a party id, "blank" or "invalid" */
    const char *entered_at;
} khum_rla_reading_row;

khum_code khum_store_rla_audit(khum_store *s, const char *election, khum_arena *a,
                               khum_rla_audit_row *out, khum_err *err);
/* Recorded once per election (RLA.545 when it is there already). */
khum_code khum_store_rla_put_audit(khum_store *s, const char *election, const char *seed,
                                   const char *risk_limit, const char *mode, int bundle,
                                   const char *user, khum_err *err);
/* A council's manifest as frozen at its first draw, in station order; none
 * (n = 0) before. */
khum_code khum_store_rla_manifest(khum_store *s, const char *election, const char *commune,
                                  khum_arena *a, khum_rla_box **boxes, size_t *n,
                                  khum_err *err);
khum_code khum_store_rla_put_manifest(khum_store *s, const char *election, const char *commune,
                                      const khum_rla_box *boxes, size_t n, khum_err *err);
/* commune NULL: every council's, by council then round (or seq). */
khum_code khum_store_rla_rounds(khum_store *s, const char *election, const char *commune,
                                khum_arena *a, khum_rla_round_row **rows, size_t *n,
                                khum_err *err);
khum_code khum_store_rla_put_round(khum_store *s, const char *election,
                                   const khum_rla_round_row *r, khum_err *err);
khum_code khum_store_rla_sample(khum_store *s, const char *election, const char *commune,
                                khum_arena *a, khum_rla_sample_row **rows, size_t *n,
                                khum_err *err);
khum_code khum_store_rla_put_sample(khum_store *s, const char *election,
                                    const khum_rla_sample_row *rows, size_t n, khum_err *err);
/* Readings by council, seq, then the order entered. */
khum_code khum_store_rla_readings(khum_store *s, const char *election, const char *commune,
                                  khum_arena *a, khum_rla_reading_row **rows, size_t *n,
                                  khum_err *err);
khum_code khum_store_rla_put_reading(khum_store *s, const char *election,
                                     const khum_rla_reading_row *r, khum_err *err);

#endif
