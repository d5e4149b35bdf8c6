/*
 * ledger_export.h (publish offers it as "publish/ledger_export.h"): the
 * mandate replayed as exports and reports, written into a buffer so that the
 * CLI, the server and the bundles can share them. cmd_council.c checks the
 * options and writes the buffer.
 */
#ifndef KHUM_LEDGER_EXPORT_H
#define KHUM_LEDGER_EXPORT_H

#include <stdbool.h>

#include "khum/council.h"
#include "khum/store.h"

typedef struct ledger_query {
    const char *commune, *person, *from, *on, *format;
    const khum_council_rules *rules;
    const char *table;               /* report's CSV: "communes" (default) or "defections" */
    /* a commune's name beside its code (NULL: none) */
    const char *(*names)(void *ctx, const char *code);
    void *names_ctx;
} ledger_query;

/* Is format one ledger_export writes (memberships, popolo, timeseries)? */
bool ledger_export_format_known(const char *format);
/* changes: list the changes; otherwise export in q->format. */
khum_code ledger_export(khum_store *s, const khum_election *e, const ledger_query *q,
                        bool changes, khum_buf *out, khum_err *err);
/* Seats and chiefs per party for each area of a level (1 province, 2
 * district, 3 commune) on q->on (today when NULL). */
khum_code ledger_seats_by(khum_store *s, const khum_election *e, const ledger_query *q,
                          int level, khum_buf *out, khum_err *err);
/* Communes whose largest party or chief changed from q->from to q->on (both
 * required), and defections by month from party to party: as JSON (both),
 * or as CSV the one table q->table names (communes by default), data only. */
khum_code ledger_report(khum_store *s, const khum_election *e, const ledger_query *q,
                        khum_buf *out, khum_err *err);

#endif
