/*
 * khum/synth.h: SYNTHETIC national elections for demos, tests and
 * benchmarks. The geography is real (the gazetteer and the 2011 commune
 * population); the per-station numbers are invented, drawn around the
 * published national figures of a real election (turnout, invalid ballots,
 * each party's votes) with provincial, commune and station variation. Council
 * sizes 5/7/9/11 follow population rank so that the national number of seats
 * equals the real one exactly. Everything it makes says it is synthetic.
 */
#ifndef KHUM_SYNTH_H
#define KHUM_SYNTH_H

#include "khum/council.h"
#include "khum/count.h"

typedef struct khum_synth_commune {
    const char *code;
    int64_t population, adults;   /* -1 when the census has no figure */
} khum_synth_commune;

typedef struct khum_synth_party {
    const char *id;
    int64_t votes;                /* published national votes */
} khum_synth_party;

typedef struct khum_synth_params {
    int year, mandate;
    const char *date;             /* polling day */
    uint64_t seed;
    int64_t communes, seats, stations, registered, cast, invalid;  /* published totals */
    const khum_synth_party *parties;
    size_t nparties;
} khum_synth_params;

typedef struct khum_synth_out {
    khum_election election;       /* synthetic = true */
    khum_form *forms;             /* one per station, in station order */
    const char **explanation;     /* per form: "" or the text explaining its warnings */
    size_t nforms;
    khum_candidate_row *candidates;  /* 2 x seats SYNTHETIC names per list */
    size_t ncandidates;
} khum_synth_out;

/* The published figures of the 2017 or 2022 commune elections, with the
 * party votes to be filled from published-totals (the caller reads the CSV). */
khum_code khum_synth_preset(int year, khum_synth_params *p, khum_err *err);

/* Generate. communes: the whole gazetteer (with population where known);
 * for 2017 six communes without 2011 data are left out (1,646 then). */
khum_code khum_synth_run(const khum_synth_params *p, const khum_synth_commune *communes,
                         size_t n, khum_synth_out *out, khum_err *err);
void khum_synth_free(khum_synth_out *out);

/* ---- a SYNTHETIC election at any size ----------------------------------
 * N stations, M councils of seats_min..seats_max seats over a generated
 * gazetteer (about 5 councils a regency, 14 regencies a province), P lists
 * with national shares falling as 1/rank, any method: from Cambodia's size
 * to Indonesia's regency councils (820,000 stations, 2,500 councils, 18
 * parties, Sainte-Laguë). The forms are drawn station by station and handed
 * to a callback, so no size needs them all in memory. */
typedef struct khum_synth_scale {
    int64_t stations, councils;
    int parties;                  /* 2 to 99; ids L01, L02 ... */
    int seats_min, seats_max;     /* within 1..12 */
    khum_method method;
    uint64_t seed;
} khum_synth_scale;

/* The definition, synthetic = true: province G01, regency G01R01, council
 * G01R01D1 (each council's province and district set), stations
 * G01R01D1-0001 ..., registered voters 200 to 599 a station. TAB.913 for a
 * size out of range. */
khum_code khum_synth_scale_election(const khum_synth_scale *p, khum_election *e,
                                    khum_err *err);
/* Every station's form of e (made by khum_synth_scale_election with the same
 * p), in station order, to each(ctx, form, explanation: "" or why its
 * warnings are expected); a nonzero return stops (TAB.914). */
typedef int (*khum_synth_form_fn)(void *ctx, const khum_form *f, const char *explanation);
khum_code khum_synth_scale_forms(const khum_synth_scale *p, const khum_election *e,
                                 khum_synth_form_fn each, void *ctx, khum_err *err);

#endif
