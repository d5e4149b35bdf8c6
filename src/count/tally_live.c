/*
 * tally_live.c: a tally kept up to date one form at a time. The server's
 * results must not recompute the election after every accepted form (75 ms
 * nationally for Cambodia, and the public reads all night), so a live tally
 * remembers what each station added (KEPT_FIXED figures, then the votes per
 * party) and replaces it: the station's commune is taken out of its
 * district, province and nation, the form's difference is applied to the
 * commune, the commune alone is allocated again, and it goes back up. Sums
 * are integers, so the order forms arrive in cannot matter; the property
 * test in test_count.c and `khum reconcile` hold it to a full count.
 */
#include <stdlib.h>
#include <string.h>

#include "khum/count.h"
#include "tally_impl.h"

enum { KEPT_FIXED = 8 };  /* registered, received, cast, spoiled, unused, valid, invalid, blank */

static int64_t *kept_row(const khum_tally *t, size_t station)
{
    return t->kept + station * (KEPT_FIXED + t->nparties);
}

khum_code khum_tally_track(khum_tally *t, const khum_election *e, khum_err *err)
{
    t->nstations = e->nstations;
    t->kept = khum_arena_calloc(&t->arena, (e->nstations + 1) * (KEPT_FIXED + t->nparties),
                                sizeof *t->kept);
    t->counted = khum_arena_calloc(&t->arena, e->nstations + 1, 1);
    if (!t->kept || !t->counted)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    return KHUM_OK;
}

void tally_keep(khum_tally *t, size_t i, const khum_form *f)
{
    int64_t *row = kept_row(t, i);
    memset(row, 0, (KEPT_FIXED + t->nparties) * sizeof *row);
    const int64_t fixed[KEPT_FIXED] = {f->registered, f->received, f->cast, f->spoiled,
                                       f->unused, f->valid, f->invalid, f->blank};
    memcpy(row, fixed, sizeof fixed);
    for (size_t k = 0; k < f->n; k++) {
        int p = khum_tally_party_of(t, f->party[k]);
        if (p >= 0)
            row[KEPT_FIXED + p] += f->votes[k];
    }
    t->counted[i] = 1;
}

/* Take station i's kept figures out of its commune's area. */
static void unkeep(khum_tally *t, size_t i, khum_tally_area *a)
{
    const int64_t *row = kept_row(t, i);
    int64_t *fixed[KEPT_FIXED] = {&a->registered, &a->received, &a->cast, &a->spoiled,
                                  &a->unused, &a->valid, &a->invalid, &a->blank};
    for (int k = 0; k < KEPT_FIXED; k++)
        *fixed[k] -= row[k];
    for (size_t p = 0; p < t->nparties; p++)
        a->votes[p] -= row[KEPT_FIXED + p];
    a->stations_reported--;
    t->counted[i] = 0;
}

/* The district, province and nation a commune adds to (NULL where none). */
static void parents_of(khum_tally *t, const khum_tally_area *c, khum_tally_area *up[3])
{
    up[0] = *c->district && t->ndistricts
                ? bsearch(c->district, t->districts, t->ndistricts, sizeof *t->districts,
                          tally_area_code_cmp)
                : NULL;
    up[1] = *c->province && t->nprovinces
                ? bsearch(c->province, t->provinces, t->nprovinces, sizeof *t->provinces,
                          tally_area_code_cmp)
                : NULL;
    up[2] = &t->nation;
}

/* Forget the commune's seats, chiefs and protocol before allocating again. */
static void unallocate(khum_tally *t, khum_tally_commune *c)
{
    for (size_t p = 0; p < t->nparties; p++) {
        c->area.seats[p] = 0;
        c->area.chiefs[p] = 0;
    }
    c->area.seats_total = 0;
    c->area.complete = false;
    memset(&c->alloc, 0, sizeof c->alloc);
    c->allocated = c->needs_lots = c->posts_by_lot_pending = false;
    c->chief_party = -1;
}

khum_code khum_tally_update(khum_tally *t, const khum_election *e, const char *station,
                            const khum_form *f, const khum_commune_lots *lots, size_t nlots,
                            khum_err *err)
{
    const khum_station *st = khum_election_station_find(e, station);
    if (!st)
        return khum_err_set(err, KHUM_ERR_INPUT, "F.107", "station %s is not in election %s",
                            station, e->id);
    if (!t->kept)
        return khum_err_set(err, KHUM_ERR_INTERNAL, "TLY.891", "the tally of election %s "
                            "keeps no station figures (khum_tally_track)", e->id);
    size_t i = (size_t)(st - e->stations);
    khum_tally_commune *c = &t->communes[st->commune_index];
    khum_tally_area *up[3];
    parents_of(t, &c->area, up);
    for (int k = 0; k < 3; k++)
        if (up[k])
            tally_area_add(up[k], &c->area, t->nparties, -1);
    if (t->counted[i])
        unkeep(t, i, &c->area);
    khum_code rc = f ? khum_tally_add(t, e, f, err) : KHUM_OK;
    unallocate(t, c);
    if (!rc && c->area.stations_reported == c->area.stations_expected) {
        const khum_election_commune *ec = &e->communes[st->commune_index];
        rc = tally_allocate_commune(e, ec, t, c, tally_lots_for(lots, nlots, ec->code), err);
        c->area.complete = c->allocated && !c->posts_by_lot_pending;
        t->reallocations++;
    }
    for (int k = 0; k < 3; k++)
        if (up[k]) {
            tally_area_add(up[k], &c->area, t->nparties, 1);
            up[k]->complete = up[k]->communes_allocated == up[k]->communes;
        }
    return rc;
}

static bool area_equal(const khum_tally_area *a, const khum_tally_area *b, size_t np)
{
    bool same = a->registered == b->registered && a->received == b->received &&
                a->cast == b->cast && a->spoiled == b->spoiled && a->unused == b->unused &&
                a->valid == b->valid && a->invalid == b->invalid && a->blank == b->blank &&
                a->stations_expected == b->stations_expected &&
                a->stations_reported == b->stations_reported &&
                a->seats_total == b->seats_total && a->communes == b->communes &&
                a->communes_allocated == b->communes_allocated && a->complete == b->complete;
    for (size_t p = 0; same && p < np; p++)
        same = a->votes[p] == b->votes[p] && a->seats[p] == b->seats[p] &&
               a->chiefs[p] == b->chiefs[p];
    return same;
}

static khum_code differ(const khum_tally_area *a, khum_err *err)
{
    return khum_err_set(err, KHUM_ERR_CONFLICT, "TLY.890", "the live tally and a full count "
                        "differ in %s%s", *a->code ? "area " : "the nation",
                        *a->code ? a->code : "");
}

khum_code khum_tally_compare(const khum_tally *a, const khum_tally *b, khum_err *err)
{
    if (a->nparties != b->nparties || a->ncommunes != b->ncommunes ||
        a->ndistricts != b->ndistricts || a->nprovinces != b->nprovinces)
        return differ(&a->nation, err);
    for (size_t i = 0; i < a->ncommunes; i++)
        if (!area_equal(&a->communes[i].area, &b->communes[i].area, a->nparties) ||
            a->communes[i].chief_party != b->communes[i].chief_party ||
            a->communes[i].needs_lots != b->communes[i].needs_lots)
            return differ(&a->communes[i].area, err);
    for (size_t i = 0; i < a->ndistricts; i++)
        if (!area_equal(&a->districts[i], &b->districts[i], a->nparties))
            return differ(&a->districts[i], err);
    for (size_t i = 0; i < a->nprovinces; i++)
        if (!area_equal(&a->provinces[i], &b->provinces[i], a->nparties))
            return differ(&a->provinces[i], err);
    return area_equal(&a->nation, &b->nation, a->nparties) ? KHUM_OK : differ(&a->nation, err);
}
