/*
 * ledger_cli.h: what cmd_council.c hands to ledger_export.c.
 */
#ifndef KHUM_LEDGER_CLI_H
#define KHUM_LEDGER_CLI_H

#include "khum/council.h"
#include "khum/store.h"

typedef struct ledger_query {
    const char *commune, *person, *from, *on, *format, *out;
    const khum_council_rules *rules;
} ledger_query;

/* changes: list the changes; otherwise export in q->format. */
int ledger_export(khum_store *s, const khum_election *e, const ledger_query *q, bool changes);
/* Seats and chiefs per party for each area of a level (1 province, 2
 * district, 3 commune) on q->on. */
int ledger_seats_by(khum_store *s, const khum_election *e, const ledger_query *q, int level);
/* Communes whose largest party or chief changed from q->from to q->on, and
 * defections by month from party to party. */
int ledger_report(khum_store *s, const khum_election *e, const ledger_query *q);

#endif
