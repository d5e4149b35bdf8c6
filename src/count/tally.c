/*
 * tally.c: from accepted station forms to results at every level. Commune
 * totals are the sums of their stations' forms; districts and provinces are
 * the sums of the communes the election places in them (each commune's
 * parents from the gazetteer: khum_election_set_areas; never read from its
 * code, so a tree without districts has no district), the nation the sum of
 * every commune. A commune is allocated
 * once every one of its stations has reported, by the election's method,
 * through the allocation engine; its chief's party is the most-voted list
 * (LAMC Art 32; rules.md §3), a tie for first place going to lots.
 * Reconciliation recomputes everything and compares it with totals that were
 * stored or published, naming every difference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/count.h"
#include "khum/str.h"
#include "tally_impl.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int khum_tally_party_index(const khum_tally *t, const char *party)
{
    const char **p = bsearch(&party, t->parties, t->nparties, sizeof *t->parties, cmp_str);
    return p ? (int)(p - t->parties) : -1;
}

static khum_code area_init(khum_tally *t, khum_tally_area *a, const char *code, int level)
{
    memset(a, 0, sizeof *a);
    a->code = code;
    a->level = level;
    a->province = a->district = "";
    a->votes = khum_arena_calloc(&t->arena, t->nparties + 1, sizeof *a->votes);
    a->seats = khum_arena_calloc(&t->arena, t->nparties + 1, sizeof *a->seats);
    a->chiefs = khum_arena_calloc(&t->arena, t->nparties + 1, sizeof *a->chiefs);
    return a->votes && a->seats && a->chiefs ? KHUM_OK : KHUM_ERR_NOMEM;
}

static void area_add(khum_tally_area *to, const khum_tally_area *from, size_t np)
{
    tally_area_add(to, from, np, 1);
}

void tally_area_add(khum_tally_area *to, const khum_tally_area *from, size_t np, int sign)
{
    to->registered += sign * from->registered;
    to->received += sign * from->received;
    to->cast += sign * from->cast;
    to->spoiled += sign * from->spoiled;
    to->unused += sign * from->unused;
    to->valid += sign * from->valid;
    to->invalid += sign * from->invalid;
    to->blank += sign * from->blank;
    to->stations_expected += sign * from->stations_expected;
    to->stations_reported += sign * from->stations_reported;
    to->seats_total += sign * from->seats_total;
    to->communes += sign * (from->level == 3 ? 1 : from->communes);
    to->communes_allocated += sign * (from->level == 3 ? (from->complete ? 1 : 0)
                                                       : from->communes_allocated);
    for (size_t p = 0; p < np; p++) {
        to->votes[p] += sign * from->votes[p];
        to->seats[p] += sign * from->seats[p];
        to->chiefs[p] += sign * from->chiefs[p];
    }
}

static khum_code collect_parties(const khum_election *e, khum_tally *t)
{
    const char **all = khum_arena_alloc(&t->arena, (e->nlists + 1) * sizeof *all);
    if (!all)
        return KHUM_ERR_NOMEM;
    for (size_t i = 0; i < e->nlists; i++)
        all[i] = e->lists[i].party;
    khum_sort(all, e->nlists, sizeof *all, cmp_str);
    size_t n = 0;
    for (size_t i = 0; i < e->nlists; i++)
        if (n == 0 || strcmp(all[n - 1], all[i]) != 0)
            all[n++] = all[i];
    t->parties = all;
    t->nparties = n;
    return KHUM_OK;
}

const char *tally_lots_for(const khum_commune_lots *lots, size_t n, const char *commune)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(lots[i].commune, commune) == 0)
            return lots[i].seed;
    return NULL;
}

/* The most-voted list with seats has the chief. A tie in votes that decides
 * the chief or a deputy goes to lots (draw 0 of the commune's seed, the draw
 * for posts); without a seed the posts wait (R.406). The ranking is the
 * council's own (khum_alloc_rank_lists), so the chiefs counted here are the
 * chiefs the councils name. */
static void find_posts(const khum_election *e, const khum_election_commune *ec,
                       khum_tally *t, khum_tally_commune *c, const char *seed)
{
    const char *names[64] = {0};  /* gcc -O2 cannot see that only the first n are read */
    int64_t votes[64] = {0};
    int idx[64], order[64];
    size_t n = 0;
    for (size_t k = 0; k < ec->nlists && n < 64; k++) {
        int p = khum_tally_party_of(t, e->lists[ec->first_list + k].party);
        if (c->area.seats[p] == 0)
            continue;
        names[n] = t->parties[p];
        votes[n] = c->area.votes[p];
        idx[n++] = p;
    }
    bool undecided[64];
    size_t top = e->posts == KHUM_POSTS_HEAD ? 1 : 3;  /* the head alone, or chief and deputies */
    c->posts_by_lot_pending = khum_alloc_rank_lists(seed, ec->code, names, votes, n, top, order,
                                                    undecided);
    c->chief_party = n == 0 || undecided[0] ? -1 : idx[order[0]];
}

khum_code khum_tally_alloc_input(const khum_election *e, const khum_tally *t, size_t commune,
                                 const char *seed, khum_arena *a, khum_alloc_rules *r,
                                 khum_alloc_input *in)
{
    const khum_election_commune *ec = &e->communes[commune];
    const khum_tally_area *area = &t->communes[commune].area;
    khum_alloc_party *parties = khum_arena_calloc(a, ec->nlists + 1, sizeof *parties);
    if (!parties)
        return KHUM_ERR_NOMEM;
    int64_t list_votes = 0;
    for (size_t k = 0; k < ec->nlists; k++) {
        const khum_contest_list *l = &e->lists[ec->first_list + k];
        parties[k] = (khum_alloc_party){l->party, area->votes[khum_tally_party_of(t, l->party)],
                                        true, -1, l->ballot_no};
        list_votes += parties[k].votes;
    }
    khum_election_alloc_rules(e, seed, r);
    *in = (khum_alloc_input){ec->code, parties, ec->nlists, ec->seats,
                             khum_election_threshold_base(e, list_votes, area->blank,
                                                          area->cast)};
    return KHUM_OK;
}

khum_code tally_allocate_commune(const khum_election *e, const khum_election_commune *ec,
                                 khum_tally *t, khum_tally_commune *c, const char *seed,
                                 khum_err *err)
{
    khum_alloc_rules r;
    khum_alloc_input in;
    if (khum_tally_alloc_input(e, t, (size_t)(c - t->communes), seed, &t->arena, &r, &in))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    const khum_alloc_party *parties = in.parties;
    khum_code rc = khum_alloc_run(&r, &in, &t->arena, &c->alloc, err);
    if (rc == KHUM_ERR_INPUT && strcmp(err->rule, "ALC.611") == 0)
        return KHUM_OK;  /* no valid vote at all: the commune stays unallocated */
    if (rc)
        return rc;
    c->needs_lots = c->alloc.needs_lots;
    if (c->needs_lots)
        return KHUM_OK;
    c->allocated = true;
    for (size_t k = 0; k < ec->nlists; k++) {
        int p = khum_tally_party_of(t, parties[k].name);
        c->area.seats[p] = c->alloc.seats[k];
        c->area.seats_total += c->alloc.seats[k];
    }
    find_posts(e, ec, t, c, seed);
    if (c->chief_party >= 0)
        c->area.chiefs[c->chief_party] = 1;
    return KHUM_OK;
}

int tally_area_code_cmp(const void *key, const void *a)
{
    return strcmp((const char *)key, ((const khum_tally_area *)a)->code);
}

static const char *commune_parent(const khum_election_commune *ec, int level)
{
    const char *p = level == 2 ? ec->district : ec->province;
    return p ? p : "";
}

/* The districts (level 2) or provinces (1) that hold communes of the
 * election, sorted by code, each the sum of its communes; a district lies in
 * the province of its communes. A commune without such a parent adds to
 * none. */
static khum_code make_level(khum_tally *t, const khum_election *e, int level,
                            khum_tally_area **out, size_t *n)
{
    khum_tally_area *v = khum_arena_calloc(&t->arena, t->ncommunes + 1, sizeof *v);
    const char **codes = khum_arena_alloc(&t->arena, (t->ncommunes + 1) * sizeof *codes);
    if (!v || !codes)
        return KHUM_ERR_NOMEM;
    size_t m = 0;
    for (size_t i = 0; i < t->ncommunes; i++)
        if (*commune_parent(&e->communes[i], level))
            codes[m++] = commune_parent(&e->communes[i], level);
    khum_sort(codes, m, sizeof *codes, cmp_str);
    *n = 0;
    for (size_t i = 0; i < m; i++)
        if (*n == 0 || strcmp(v[*n - 1].code, codes[i]) != 0)
            if (area_init(t, &v[(*n)++], codes[i], level))
                return KHUM_ERR_NOMEM;
    for (size_t i = 0; i < t->ncommunes; i++) {
        const khum_election_commune *ec = &e->communes[i];
        const char *code = commune_parent(ec, level);
        khum_tally_area *a = *code && *n ? bsearch(code, v, *n, sizeof *v, tally_area_code_cmp)
                                         : NULL;
        if (!a)
            continue;
        if (level == 2)
            a->province = commune_parent(ec, 1);
        area_add(a, &t->communes[i].area, t->nparties);
    }
    *out = v;
    return KHUM_OK;
}

/* Party name pointer -> index: the reader and the election hand out one
 * interned pointer per party, so a small open-addressing table over those
 * pointers saves a search per vote; other pointers fall back to the search. */
static khum_code index_parties(const khum_election *e, khum_tally *t)
{
    size_t cap = 16;
    while (cap < 4 * e->nlists)
        cap *= 2;
    t->pslot = khum_arena_calloc(&t->arena, cap, sizeof *t->pslot);
    t->pslot_index = khum_arena_calloc(&t->arena, cap, sizeof *t->pslot_index);
    if (!t->pslot || !t->pslot_index)
        return KHUM_ERR_NOMEM;
    t->pslot_mask = cap - 1;
    for (size_t i = 0; i < e->nlists; i++) {
        const char *name = e->lists[i].party;
        size_t k = ((uintptr_t)name >> 3) & t->pslot_mask;
        while (t->pslot[k] && t->pslot[k] != name)
            k = (k + 1) & t->pslot_mask;
        t->pslot[k] = name;
        t->pslot_index[k] = khum_tally_party_index(t, name);
    }
    return KHUM_OK;
}

int khum_tally_party_of(const khum_tally *t, const char *name)
{
    if (!t->pslot)
        return khum_tally_party_index(t, name);
    for (size_t k = ((uintptr_t)name >> 3) & t->pslot_mask; t->pslot[k];
         k = (k + 1) & t->pslot_mask)
        if (t->pslot[k] == name)
            return t->pslot_index[k];
    return khum_tally_party_index(t, name);
}

khum_code tally_begin_parties(const khum_election *e, khum_tally *t, khum_err *err)
{
    memset(t, 0, sizeof *t);
    khum_arena_init(&t->arena, 0);
    if (collect_parties(e, t) || index_parties(e, t))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    return KHUM_OK;
}

khum_code khum_tally_begin(const khum_election *e, khum_tally *t, khum_err *err)
{
    khum_code rc = tally_begin_parties(e, t, err);
    return rc ? rc : tally_begin_communes(e, t, err);
}

khum_code tally_begin_communes(const khum_election *e, khum_tally *t, khum_err *err)
{
    t->ncommunes = e->ncommunes;
    t->communes = khum_arena_calloc(&t->arena, e->ncommunes + 1, sizeof *t->communes);
    if (!t->communes)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < e->ncommunes; i++) {
        const khum_election_commune *ec = &e->communes[i];
        if (area_init(t, &t->communes[i].area, ec->code, 3))
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        t->communes[i].area.province = commune_parent(ec, 1);
        t->communes[i].area.district = commune_parent(ec, 2);
        t->communes[i].area.stations_expected = (int64_t)ec->nstations;
        t->communes[i].chief_party = -1;
    }
    return KHUM_OK;
}

khum_code khum_tally_add(khum_tally *t, const khum_election *e, const khum_form *f,
                         khum_err *err)
{
    const khum_station *st = khum_form_station(e, f);
    if (!st)
        return khum_err_set(err, KHUM_ERR_INPUT, "F.107", "station %s is not in election %s",
                            f->station, e->id);
    khum_tally_area *a = &t->communes[st->commune_index].area;
    a->registered += f->registered;
    a->received += f->received;
    a->cast += f->cast;
    a->spoiled += f->spoiled;
    a->unused += f->unused;
    a->valid += f->valid;
    a->invalid += f->invalid;
    a->blank += f->blank;
    a->stations_reported++;
    for (size_t k = 0; k < f->n; k++) {
        int p = khum_tally_party_of(t, f->party[k]);
        if (p >= 0)
            a->votes[p] += f->votes[k];
    }
    if (t->kept)
        tally_keep(t, (size_t)(st - e->stations), f);
    return KHUM_OK;
}

khum_code khum_tally_end(khum_tally *t, const khum_election *e, const khum_commune_lots *lots,
                         size_t nlots, khum_err *err)
{
    for (size_t i = 0; i < e->ncommunes; i++) {
        khum_tally_commune *c = &t->communes[i];
        if (c->area.stations_reported != c->area.stations_expected)
            continue;
        khum_code rc = tally_allocate_commune(e, &e->communes[i], t, c,
                                              tally_lots_for(lots, nlots, e->communes[i].code),
                                              err);
        if (rc)
            return rc;
        c->area.complete = c->allocated && !c->posts_by_lot_pending;
    }
    if (make_level(t, e, 2, &t->districts, &t->ndistricts) ||
        make_level(t, e, 1, &t->provinces, &t->nprovinces) ||
        area_init(t, &t->nation, "", 0))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < t->ncommunes; i++)
        area_add(&t->nation, &t->communes[i].area, t->nparties);
    t->nation.communes = (int)t->ncommunes;
    for (size_t i = 0; i < t->ndistricts; i++)
        t->districts[i].complete = t->districts[i].communes_allocated == t->districts[i].communes;
    for (size_t i = 0; i < t->nprovinces; i++)
        t->provinces[i].complete = t->provinces[i].communes_allocated == t->provinces[i].communes;
    t->nation.complete = t->nation.communes_allocated == t->nation.communes;
    return KHUM_OK;
}

khum_code khum_tally_run(const khum_election *e, const khum_form *forms, size_t nforms,
                         const khum_commune_lots *lots, size_t nlots, khum_tally *t,
                         khum_err *err)
{
    khum_code rc = khum_tally_begin(e, t, err);
    for (size_t f = 0; f < nforms && !rc; f++)
        rc = khum_tally_add(t, e, &forms[f], err);
    return rc ? rc : khum_tally_end(t, e, lots, nlots, err);
}

void khum_tally_free(khum_tally *t)
{
    khum_arena_free(&t->arena);
    memset(t, 0, sizeof *t);
}

const khum_tally_area *khum_tally_area_find(const khum_tally *t, const char *code)
{
    if (!*code)
        return &t->nation;
    const khum_tally_area *a = NULL;
    if (t->nprovinces)  /* bsearch wants an array, even of no element */
        a = bsearch(code, t->provinces, t->nprovinces, sizeof *a, tally_area_code_cmp);
    if (!a && t->ndistricts)
        a = bsearch(code, t->districts, t->ndistricts, sizeof *a, tally_area_code_cmp);
    for (size_t i = 0; !a && i < t->ncommunes; i++)  /* election order, not always sorted */
        if (strcmp(t->communes[i].area.code, code) == 0)
            a = &t->communes[i].area;
    return a;
}

const char *khum_tally_area_parent(const khum_tally_area *a)
{
    if (a->level <= 1)
        return "";
    return a->level == 3 && *a->district ? a->district : a->province;
}

bool khum_tally_area_within(const khum_tally_area *a, const char *code)
{
    return !*code || strcmp(a->code, code) == 0 || strcmp(a->province, code) == 0 ||
           strcmp(a->district, code) == 0;
}

static bool area_field(const khum_tally *t, const khum_tally_area *a, const char *field,
                       int64_t *v)
{
    static const char *const names[] = {"registered", "received", "cast", "spoiled",
                                        "unused", "valid", "invalid", "blank"};
    const int64_t vals[] = {a->registered, a->received, a->cast, a->spoiled,
                            a->unused, a->valid, a->invalid, a->blank};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(field, names[i]) == 0)
            return *v = vals[i], true;
    if (strcmp(field, "seats") == 0)
        return *v = a->seats_total, true;
    const char *colon = strchr(field, ':');
    if (!colon)
        return false;
    int p = khum_tally_party_index(t, colon + 1);
    if (p < 0)
        return *v = 0, true;  /* a party that contests nowhere has nothing */
    if (strncmp(field, "votes:", 6) == 0)
        return *v = a->votes[p], true;
    if (strncmp(field, "seats:", 6) == 0)
        return *v = a->seats[p], true;
    if (strncmp(field, "chiefs:", 7) == 0)
        return *v = a->chiefs[p], true;
    return false;
}

size_t khum_tally_reconcile(const khum_tally *t, const khum_published_total *pub, size_t npub,
                            khum_diags *out, size_t *which)
{
    size_t before = out->n;
    for (size_t i = 0; i < npub; i++) {
        khum_err e;
        khum_err_clear(&e);
        const khum_tally_area *a = khum_tally_area_find(t, pub[i].area);
        int64_t v;
        if (!a) {
            khum_err_set(&e, KHUM_ERR_CONFLICT, "R.401", "area '%s' has stored totals but is "
                         "not in the election", pub[i].area);
        } else if (!area_field(t, a, pub[i].field, &v)) {
            khum_err_set(&e, KHUM_ERR_CONFLICT, "R.402", "area '%s': unknown total '%s'",
                         pub[i].area, pub[i].field);
        } else if (v != pub[i].value) {
            khum_err_set(&e, KHUM_ERR_CONFLICT, "R.403", "%s%s: %s is %lld in the stored "
                         "results but %lld recomputed from the station forms",
                         *pub[i].area ? "area " : "", *pub[i].area ? pub[i].area : "nation",
                         pub[i].field, (long long)pub[i].value, (long long)v);
        } else {
            continue;
        }
        if (which)
            which[out->n - before] = i;
        khum_diags_add(out, &e);
    }
    return out->n - before;
}
