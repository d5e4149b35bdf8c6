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

#endif
