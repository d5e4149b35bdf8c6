/*
 * khum/app_rla.h: the operations of a risk-limiting audit (rla_app.c), each
 * one transaction shaped like khum_app_enter: record the public seed (before
 * anything is drawn: its audit event comes first), draw a round of ballots
 * for councils, record what the audit board reads on a sampled ballot. The
 * pure parts are khum/rla_draw.h (manifest, draw, two-entry readings) and
 * khum/rla.h (assertions and tests). docs/rla.md gives the procedure.
 *
 * Who may: recording the seed and drawing is the commission's, like lots
 * (KHUM_DO_LOTS); reading ballots is a clerk's, like keying a form
 * (KHUM_DO_ENTER, in the scope of the ballot's station).
 */
#ifndef KHUM_APP_RLA_H
#define KHUM_APP_RLA_H

#include "khum/app.h"
#include "khum/rla.h"
#include "khum/store_rla.h"

/* A risk limit as given, strictly between 0 and 1 (RLA.544); *alpha gets it. */
khum_code khum_rla_risk_limit_parse(const char *text, double *alpha, khum_err *err);

/* How an audit of ballots measures, as recorded: "polling" or "oneaudit"
 * (whole stations are recounted, not drawn ballot by ballot: RLA.564). */
khum_code khum_rla_audit_mode_parse(const char *text, khum_rla_mode *mode, khum_err *err);

/* Record election e's audit: the seed (RLA.540), risk limit (RLA.544),
 * mode (NULL: polling; RLA.564) and bundle size (RLA.541), once (RLA.545). */
khum_code khum_app_rla_open(khum_store *s, const khum_election *e, const char *user,
                            const char *seed, const char *risk_limit, const char *mode,
                            int bundle, khum_err *err);

/* What one round's draw did for one council. */
typedef struct khum_rla_drawn {
    const char *commune;
    int round;
    int64_t manifest;                 /* N: the council's ballots */
    int64_t before, after;            /* the sample's size before and after */
} khum_rla_drawn;

/* Draw the next round for each council named (official: RLA.547), so that
 * its sample holds `ballots` (more than it holds: RLA.548; cut to N, which
 * is a full hand count). The first round freezes the council's manifest
 * from its official forms (ballots cast per station). Needs the audit's
 * seed (RLA.546). out (in a) gets one row per council. */
khum_code khum_app_rla_draw(khum_store *s, const khum_election *e, const char *user,
                            const char *const *communes, size_t n, int64_t ballots,
                            khum_arena *a, khum_rla_drawn *out, khum_err *err);

/* What a reading did. */
typedef struct khum_rla_read_outcome {
    char commune[32];
    int64_t seq;                      /* the ballot's place in the sample */
    khum_rla_read_state to;
} khum_rla_read_outcome;

/* A member records readings in[0..n) (a board's tally sheet, or one), in
 * one transaction: all or nothing. Each names a list of the council,
 * "blank" or "invalid" (RLA.549) for a ballot of the sample (RLA.550); the
 * two-entry rule refuses a second reading by the same member (RLA.551) and
 * any after two agree (RLA.552). out has n rows; on an error *failed is the
 * index of the entry refused. Every reading is an audit event. */
khum_code khum_app_rla_record(khum_store *s, const khum_election *e, const char *user,
                              const khum_rla_entry *in, size_t n, khum_rla_read_outcome *out,
                              size_t *failed, khum_err *err);

#endif
