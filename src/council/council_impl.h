/*
 * council_impl.h (internal to src/council): what council.c shares with
 * ledger.c.
 */
#ifndef KHUM_COUNCIL_IMPL_H
#define KHUM_COUNCIL_IMPL_H

#include "khum/council.h"

/* Seat the next unseated candidate of list li; NULL when it is exhausted. */
khum_member *council_seat_next(khum_council *c, int li, const char *date, const char *why,
                               khum_arena *a);
/* The i-th member of a party group (own list first, in list order, then later
 * joiners), optionally only members without a post. */
khum_member *council_group_member(khum_council *c, const char *party, int i,
                                  bool without_post);
/* m takes post p on date, for the reason why (the post's own start,
 * apart from the seat's). */
void council_take_post(khum_member *m, khum_post p, const char *date, const char *why);
/* The posts from the ranking of the party groups: chief and deputies (LAMC
 * 32-35), or the head alone when the rules say head_only. */
void council_derive_posts(khum_council *c, const khum_council_rules *r, const char *seed,
                          int64_t event, const char *date, khum_arena *a);
void council_add_pending(khum_council *c, int64_t event, const char *date, const char *what,
                         const char *const *parties, size_t n, khum_arena *a);
int council_list_index(const khum_council *c, const char *party);

#endif
