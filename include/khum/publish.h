/*
 * khum/publish.h: what khum publishes. The seats of a commune with the
 * allocation protocol and margins as JSON (the server and the bundles share
 * it); signed, hash-listed bundles of the official data (bundle.c) and their
 * independent verification (verify.c).
 */
#ifndef KHUM_PUBLISH_H
#define KHUM_PUBLISH_H

#include <jansson.h>

#include "khum/count.h"
#include "khum/store.h"

/* One commune's allocation: lists with votes and seats, every protocol step
 * (exact quotients as "num/den" and rounded text), ties and how they were
 * settled, the lots seed, and the margins of the last seats (null for
 * methods without them). */
json_t *khum_seats_json(const khum_election *e, const khum_tally *t, size_t commune,
                        const char *lots_seed, khum_arena *a);

#endif
