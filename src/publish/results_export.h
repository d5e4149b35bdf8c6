/*
 * results_export.h (publish offers it as "publish/results_export.h"): the
 * current results of an election in exchange formats, written into a buffer.
 */
#ifndef KHUM_RESULTS_EXPORT_H
#define KHUM_RESULTS_EXPORT_H

#include "khum/store.h"
#include "publish/tally_view.h"

/* NIST SP 1500-100 v2 Election Results Reporting JSON (summary-contest). */
khum_code results_export_nist(const tally_view *v, khum_buf *b, khum_err *err);
/* OpenElections-style CSV: one row per station and party (and per total). */
khum_code results_export_openelections(khum_store *s, const tally_view *v, khum_buf *b,
                                       khum_err *err);

#endif
