/*
 * tally_impl.h: the two halves of khum_tally_begin, for tally_csv.c, which
 * lets the pieces of a file start reading as soon as the parties are known
 * (all a piece needs) while the communes' tables are still being made; and
 * the pieces of tally.c that tally_live.c reuses to replace one form; and
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

/* to += sign * from (every figure; a commune counts as one commune). */
void tally_area_add(khum_tally_area *to, const khum_tally_area *from, size_t np, int sign);
/* Allocate commune c (all its stations reported) with its lots seed. */
khum_code tally_allocate_commune(const khum_election *e, const khum_election_commune *ec,
                                 khum_tally *t, khum_tally_commune *c, const char *seed,
                                 khum_err *err);
const char *tally_lots_for(const khum_commune_lots *lots, size_t n, const char *commune);
/* bsearch comparator: a code against a khum_tally_area. */
int tally_area_code_cmp(const void *key, const void *a);

/* Remember station i's counted form (khum_tally_track). */
void tally_keep(khum_tally *t, size_t i, const khum_form *f);
/* parties.csv read into e->parties and sorted, without finishing e (the
 * caller sorts, indexes and hashes the election once, at the end). */
khum_code election_take_parties(khum_election *e, khum_csv *csv, khum_err *err);

#endif
