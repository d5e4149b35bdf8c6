/*
 * tally_files.h: a tally_view made from files instead of a database, for
 * `khum tally --forms FILE [--votes FILE] --election DIR`: observers and
 * researchers with a published bundle or an election folder and a results
 * file get the tables `khum tally` prints from the store, with the same
 * sums and seats.
 */
#ifndef KHUM_TALLY_FILES_H
#define KHUM_TALLY_FILES_H

#include "khum/geo.h"
#include "publish/tally_view.h"

/* What a tally of files reads. */
typedef struct tally_files {
    const char *dir;            /* the election folder or a bundle's version folder */
    const char *forms, *votes;  /* the results: wide (votes NULL) or long */
    const khum_gazetteer *g;    /* areas and names of an election folder; NULL none */
    unsigned threads;           /* for the wide format's fast path */
    const khum_party *registry; /* labels of lists the election does not define */
    size_t nregistry;
} tally_files;

/* The election a bundle's election.json defines (the hash it states). */
khum_code tally_files_election_json(const char *path, khum_election *e, khum_err *err);

/* v->e holds the election (read by the caller); the rest of v comes from
 * the files: the tally of the forms (every bad row listed in rejected at
 * file:line, the file then refused with TAB.910), names from the gazetteer
 * or the bundle's results_*.csv, official communes from a forms file's
 * state column, explanations and lots from the bundle's explanations.csv and
 * lots.csv. On failure v is freed. */
khum_code tally_view_load_files(const tally_files *in, tally_view *v, khum_diags *rejected,
                                khum_err *err);

#endif
