/*
 * council.c: forming a commune council and applying one ledger event to it.
 *
 * Members are kept in the order they joined; posts are derived from party
 * groups ranked by their list's votes (rules.md §3). Within a group, the
 * candidates of the party's own list come first in list order, then members
 * who joined the group later (defectors, nominees) in the order they joined.
 * Replacement follows LAMC Arts 16, 36-38 (rules.md §5): the seat goes to the
 * next unseated candidate of the same list; a post goes to the next sitting
 * councillor of the same list (configurable for the chief, see
 * deputy_moves_up); a dissolution redistributes the party's seats by the
 * 2017 formula (rules.md §6) in exact integers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "council_impl.h"
#include "khum/alloc.h"

const char *khum_post_name(khum_post p)
{
    switch (p) {
    case KHUM_POST_CHIEF: return "chief";
    case KHUM_POST_DEPUTY1: return "first-deputy";
    case KHUM_POST_DEPUTY2: return "second-deputy";
    default: return "";
    }
}

static const char *const event_names[] = {"resign", "die", "remove", "expel",
                                          "defect", "dissolve", "reverse"};

const char *khum_event_name(khum_event_type t)
{
    return (unsigned)t < 7 ? event_names[t] : "unknown";
}

bool khum_event_parse(const char *s, khum_event_type *t)
{
    for (int i = 0; i < 7; i++)
        if (strcmp(s, event_names[i]) == 0)
            return *t = (khum_event_type)i, true;
    return false;
}

void khum_council_rules_default(khum_council_rules *r)
{
    memset(r, 0, sizeof *r);
    r->redistribution_all_seats = true;
    r->tie_rule = khum_tie_rule_default();
}

bool khum_council_rules_is_law(const khum_council_rules *r)
{
    return !r->defector_keeps_seat && !r->deputy_moves_up && r->redistribution_all_seats &&
           !r->pool_without_vacant;
}

int council_list_index(const khum_council *c, const char *party)
{
    for (size_t i = 0; i < c->nlists; i++)
        if (strcmp(c->lists[i].party, party) == 0)
            return (int)i;
    return -1;
}

static int64_t party_votes(const khum_council *c, const char *party)
{
    int i = council_list_index(c, party);
    return i >= 0 ? c->lists[i].votes : 0;
}

static khum_member *add_member(khum_council *c, khum_arena *a)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        khum_member *p = khum_arena_alloc(a, cap * sizeof *p);
        if (!p)
            return NULL;
        if (c->n)
            memcpy(p, c->m, c->n * sizeof *p);
        c->m = p;
        c->cap = cap;
    }
    khum_member *m = &c->m[c->n++];
    memset(m, 0, sizeof *m);
    return m;
}

/* Seat the next unseated candidate of list li; NULL when the list is exhausted. */
khum_member *council_seat_next(khum_council *c, int li, const char *date, const char *why,
                               khum_arena *a)
{
    khum_council_list *l = &c->lists[li];
    if ((size_t)c->next_cand[li] >= l->ncand)
        return NULL;
    const khum_candidate *cand = &l->cand[c->next_cand[li]++];
    khum_member *m = add_member(c, a);
    if (!m)
        return NULL;
    *m = (khum_member){.person = cand->person, .name = cand->name, .list_party = l->party,
                       .party = l->party, .list_pos = c->next_cand[li], .post = KHUM_POST_NONE,
                       .since = date, .why = why, .joined = ++c->joins};
    return m;
}

/* Group order: own-list candidates by list position, then later joiners. */
static bool before_in_group(const khum_member *a, const khum_member *b)
{
    bool own_a = strcmp(a->list_party, a->party) == 0, own_b = strcmp(b->list_party, b->party) == 0;
    if (own_a != own_b)
        return own_a;
    if (own_a)
        return a->list_pos < b->list_pos;
    return a->joined < b->joined;
}

/* The i-th member (0-based) of a party group, or NULL. */
khum_member *council_group_member(khum_council *c, const char *party, int i,
                                  bool without_post)
{
    khum_member *pick[64];
    int n = 0;
    for (size_t k = 0; k < c->n && n < 64; k++) {
        khum_member *m = &c->m[k];
        if (strcmp(m->party, party) != 0 || (without_post && m->post != KHUM_POST_NONE))
            continue;
        int j = n++;
        while (j > 0 && before_in_group(m, pick[j - 1])) {
            pick[j] = pick[j - 1];
            j--;
        }
        pick[j] = m;
    }
    return i < n ? pick[i] : NULL;
}

/* Remember a decision that waits for lots (at most KHUM_COUNCIL_MAX_PENDING). */
void council_add_pending(khum_council *c, int64_t event, const char *date, const char *what,
                         const char *const *parties, size_t n, khum_arena *a)
{
    if (c->npending == KHUM_COUNCIL_MAX_PENDING)
        return;
    const char *list = "";
    for (size_t i = 0; i < n && list; i++)
        list = khum_arena_printf(a, "%s%s%s", list, i ? "," : "", parties[i]);
    c->pending[c->npending++] = (khum_council_pending){event, date, what, list ? list : ""};
}

/* LAMC Arts 32-35: the posts from the ranking of the party groups with seats
 * by their list's votes (khum_alloc_rank_lists). A tie in votes that decides
 * a post is settled by `seed` (the commune's lots at formation, the
 * dissolution's lots after one); without a seed the posts it decides stay
 * empty and the council says what waits for lots (rules.md §3: "ties in
 * votes that decide a post: lots, recorded": never a draw nobody recorded). */
void council_take_post(khum_member *m, khum_post p, const char *date, const char *why)
{
    m->post = p;
    m->post_since = p == KHUM_POST_NONE ? NULL : date;
    m->post_why = p == KHUM_POST_NONE ? NULL : why;
}

/* After the posts are derived again: a holder who keeps the post he held
 * keeps its start; anyone else starts on date. */
static void date_posts(khum_council *c, const khum_post *was, int64_t event, const char *date)
{
    for (size_t k = 0; k < c->n; k++) {
        khum_member *m = &c->m[k];
        if (m->post == KHUM_POST_NONE)
            m->post_since = m->post_why = NULL;
        else if (event == 0 || was[k] != m->post)
            council_take_post(m, m->post, date, event == 0 ? "elected"
                                                           : "posts derived again after the "
                                                             "redistribution");
    }
}

void council_derive_posts(khum_council *c, const khum_council_rules *r, const char *seed,
                          int64_t event, const char *date, khum_arena *a)
{
    khum_post *was = khum_arena_alloc(a, (c->n + 1) * sizeof *was);
    for (size_t k = 0; k < c->n; k++) {
        if (was)
            was[k] = c->m[k].post;
        c->m[k].post = KHUM_POST_NONE;
    }
    const char *g[64] = {0};  /* gcc -O2 cannot see that only the first n are read */
    int64_t votes[64] = {0};
    size_t n = 0;
    for (size_t k = 0; k < c->n; k++) {
        bool seen = false;
        for (size_t i = 0; i < n && !seen; i++)
            seen = strcmp(g[i], c->m[k].party) == 0;
        if (!seen && n < 64) {
            votes[n] = party_votes(c, c->m[k].party);
            g[n++] = c->m[k].party;
        }
    }
    int order[64];
    bool open[64];
    size_t top = r->head_only ? 1 : 3;  /* only the head's rank matters when there is no deputy */
    if (khum_alloc_rank_lists(seed, c->commune, g, votes, n, top, order, open)) {
        const char *tied[64];
        size_t nt = 0;
        for (size_t i = 0; i < n; i++)
            if (open[i])
                tied[nt++] = g[order[i]];
        council_add_pending(c, event, date, "posts", tied, nt, a);
    }
    khum_member *chief = NULL, *d1 = NULL, *d2 = NULL;
    if (r->head_only) {  /* Lei 169/99: the first candidate of the most-voted list */
        if (n >= 1 && !open[0])
            chief = council_group_member(c, g[order[0]], 0, false);
    } else if (n >= 3) {  /* a post whose rank hangs on an undrawn tie stays empty */
        chief = open[0] ? NULL : council_group_member(c, g[order[0]], 0, false);
        d1 = open[1] ? NULL : council_group_member(c, g[order[1]], 0, false);
        d2 = open[2] ? NULL : council_group_member(c, g[order[2]], 0, false);
    } else if (n == 2 && !open[0]) {
        chief = council_group_member(c, g[order[0]], 0, false);
        d1 = council_group_member(c, g[order[0]], 1, false);
        d2 = council_group_member(c, g[order[1]], 0, false);
    } else if (n == 1) {
        chief = council_group_member(c, g[order[0]], 0, false);
        d1 = council_group_member(c, g[order[0]], 1, false);
        d2 = council_group_member(c, g[order[0]], 2, false);
    }
    if (chief)
        chief->post = KHUM_POST_CHIEF;
    if (d1)
        d1->post = KHUM_POST_DEPUTY1;
    if (d2)
        d2->post = KHUM_POST_DEPUTY2;
    if (was)
        date_posts(c, was, event, date);
}

khum_code khum_council_form(const char *commune, int seats, const khum_council_list *lists,
                            size_t nlists, const khum_council_rules *r, const char *date,
                            khum_arena *a, khum_council *c, khum_err *err)
{
    memset(c, 0, sizeof *c);
    c->commune = commune;
    c->seats = seats;
    c->lists = khum_arena_alloc(a, (nlists + 1) * sizeof *c->lists);
    c->next_cand = khum_arena_calloc(a, nlists + 1, sizeof *c->next_cand);
    c->vacant_of = khum_arena_calloc(a, nlists + 1, sizeof *c->vacant_of);
    if (!c->lists || !c->next_cand || !c->vacant_of)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    memcpy(c->lists, lists, nlists * sizeof *lists);
    c->nlists = nlists;
    int total = 0;
    for (size_t i = 0; i < nlists; i++) {
        total += lists[i].seats;
        for (int s = 0; s < lists[i].seats; s++)
            if (!council_seat_next(c, (int)i, date, "elected", a)) {
                c->vacant++;  /* a list shorter than its seats (Art 118(d)) */
                c->vacant_of[i]++;
            }
    }
    if (total != seats)
        return khum_err_set(err, KHUM_ERR_INPUT, "CNL.301", "commune %s: the lists hold %d "
                            "seats, the council has %d", commune, total, seats);
    council_derive_posts(c, r, r->lots_seed, 0, date, a);
    return KHUM_OK;
}

size_t khum_council_seats_by_party(const khum_council *c, const char **names, int *counts,
                                   size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; k < c->n; k++) {
        size_t i = 0;
        while (i < n && strcmp(names[i], c->m[k].party) != 0)
            i++;
        if (i == n) {
            if (n == cap)
                continue;
            names[n] = c->m[k].party;
            counts[n++] = 0;
        }
        counts[i]++;
    }
    return n;
}

const khum_member *khum_council_post_holder(const khum_council *c, khum_post p)
{
    for (size_t k = 0; k < c->n; k++)
        if (c->m[k].post == p)
            return &c->m[k];
    return NULL;
}
