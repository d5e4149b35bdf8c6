/*
 * tally_impl.h: the two halves of khum_tally_begin, for tally_csv.c, which
 * lets the pieces of a file start reading as soon as the parties are known
 * (all a piece needs) while the communes' tables are still being made; and
 * one piece of reading an election folder shared by election.c and
 * election_rules.c.
 */
#ifndef KHUM_TALLY_IMPL_H
#define KHUM_TALLY_IMPL_H

#include "khum/count.h"

/* The parties and their index: enough for khum_tally_party_of. */
khum_code tally_begin_parties(const khum_election *e, khum_tally *t, khum_err *err);
/* The communes' tables, empty; only after tally_begin_parties. */
khum_code tally_begin_communes(const khum_election *e, khum_tally *t, khum_err *err);

/* parties.csv read into e->parties and sorted, without finishing e (the
 * caller sorts, indexes and hashes the election once, at the end). */
khum_code election_take_parties(khum_election *e, khum_csv *csv, khum_err *err);

#endif
