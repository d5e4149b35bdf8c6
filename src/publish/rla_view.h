/*
 * rla_view.h (offered by publish): a risk-limiting audit as people read it,
 * shared by `khum rla assertions|plan|status`, the server and the bundle.
 * Loaded once: the official tally, each official commune's contest and
 * assertions (khum/rla.h), its station figures, and what the audit has
 * recorded (seed, mode, manifest, sample, readings), with every assertion's
 * p-value from the readings settled so far in draw order, measured the way
 * the audit's mode says (ballot polling, or ONEAudit against the forms).
 */
#ifndef KHUM_PUBLISH_RLA_VIEW_H
#define KHUM_PUBLISH_RLA_VIEW_H

#include "khum/publish.h"
#include "khum/rla.h"
#include "khum/store_rla.h"
#include "publish/tally_view.h"

/* Where a commune's audit stands. */
typedef enum rla_stage {
    RLA_NOT_STARTED,                  /* nothing drawn */
    RLA_READING,                      /* ballots of the sample still to read */
    RLA_ESCALATE,                     /* sample read, not confirmed: draw another round */
    RLA_CONFIRMED,                    /* every assertion at or below the risk limit */
    RLA_FULL_COUNT,                   /* every ballot read, or no audit can confirm it */
    RLA_NO_AUDIT                      /* the rule set has no assertions (RLA.502) */
} rla_stage;

const char *rla_stage_name(rla_stage s);
/* The stage of a commune from its assertions, the test's status after the
 * settled prefix (read of sample ballots) and its rounds: the one rule
 * `khum rla status` and `khum verify` both apply. */
rla_stage rla_stage_of(const khum_rla_assertion *as, size_t nas, khum_rla_status status,
                       int rounds, int64_t read, int64_t sample);

typedef struct rla_commune {
    size_t index;                     /* into the election's communes */
    const char *code;
    khum_alloc_rules rules;
    khum_alloc_input in;
    khum_rla_contest contest;
    khum_rla_assertion *as;
    size_t nas;
    int binding;                      /* index into as, -1 none */
    khum_rla_station *st;             /* station figures (official forms), station order */
    const char **st_code;
    size_t nst;
    int64_t manifest;                 /* N of the frozen manifest; 0 before the first draw */
    int rounds;
    int64_t sample, read, agreed, different;  /* read: the settled prefix in draw order */
    int *readings;                    /* the settled prefix as choices */
    int *station;                     /* ... and each one's station, an index into st */
    double *pvalue;                   /* per assertion (1 before any reading) */
    khum_rla_status status;
    rla_stage stage;
    char problem[560];                /* why there are no assertions, "" when there are */
} rla_commune;

typedef struct rla_view {
    tally_view tv;
    khum_rla_audit_row audit;
    khum_rla_params params;           /* alpha: the audit's risk limit, else the one asked */
    khum_rla_mode mode;               /* the audit's: polling (also before it has one) or
                                         oneaudit, against the station forms */
    rla_commune *c;                   /* the official communes, in election order */
    size_t n;
    khum_rla_sample_row *sample;
    size_t nsample;
    khum_rla_reading_row *readings;
    size_t nreadings;
} rla_view;

/* risk_limit: NULL to take the audit's (0.05 before it has one). */
khum_code rla_view_load(khum_store *s, const char *election, const char *risk_limit,
                        rla_view *v, khum_err *err);
void rla_view_free(rla_view *v);
const rla_commune *rla_view_commune(const rla_view *v, const char *code);

/* The outputs; commune "" for every one. format: text, csv or json. */
void rla_view_assertions(const rla_view *v, const char *commune, const char *format,
                         khum_buf *b);
void rla_view_status(const rla_view *v, const char *commune, const char *format, khum_buf *b);
khum_code rla_view_plan(const rla_view *v, const char *commune, khum_rla_mode mode,
                        const khum_rla_plan_opts *o, const char *format, khum_buf *b,
                        khum_err *err);

/* The audit's files of a publication bundle (rla_bundle.c):
 * rla_assertions.json, and rla_audit.json once the seed is recorded. */
khum_code rla_bundle_put(khum_store *s, const char *election, khum_bundle *b, khum_err *err);

#endif
