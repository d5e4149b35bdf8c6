/*
 * ledger.c: what an event does to a council, by the rule set.
 *
 *  - resign, die, remove, expel, and defect under the law: the councillor
 *    leaves; the next unseated candidate of the same list takes the seat
 *    (LAMC Art 16); a post goes to the next sitting councillor of that list
 *    without a post, or to the new councillor when the list has no one else
 *    (Arts 36-38); the chief's post stays with its list while the list has a
 *    councillor (see pass_post); when deputy_moves_up is set, a 1st deputy of
 *    the same list moves up and the deputy post passes on (the law is
 *    ambiguous: rules.md §5).
 *  - defect with defector_keeps_seat (as practised in October 2017): the
 *    councillor stays, now for the new party, and keeps any post.
 *  - dissolve: every seat held for the party is redistributed to the other
 *    lists of the commune that accept seats: quota = floor(their votes /
 *    seats), one seat per whole quota, then one at a time to the highest
 *    average v/(held+new+1) (or v/(new+1)), ties by the election's chain (more
 *    votes in Cambodia, fewer in Portugal), then the
 *    dissolution's lots for the commune (rules.event_lots); the posts are
 *    derived again from the lists that remain (rules.md §6). Without those
 *    lots, a tie that decides a seat or a post leaves the commune's seats or
 *    posts waiting (khum_council.pending): nothing is drawn unrecorded.
 *  - an event that cannot apply fails (LED.601) under the law; a what-if
 *    reading (any other rule setting) notes it as skipped and goes on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "council_impl.h"
#include "khum/alloc.h"


static void note(khum_changes *out, khum_arena *a, const khum_ledger_event *ev,
                 const khum_council *c, const char *what, const khum_member *m,
                 const char *detail)
{
    if (!out)
        return;
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 64;
        khum_change *p = khum_arena_alloc(a, cap * sizeof *p);
        if (!p)
            return;
        if (out->n)
            memcpy(p, out->v, out->n * sizeof *p);
        out->v = p;
        out->cap = cap;
    }
    out->v[out->n++] = (khum_change){ev->id, ev->date, c->commune, what, m->person, m->name,
                                     m->party, m->post, detail};
}

static int find_member(const khum_council *c, const char *person)
{
    for (size_t k = 0; k < c->n; k++)
        if (strcmp(c->m[k].person, person) == 0)
            return (int)k;
    return -1;
}

static void remove_at(khum_council *c, int idx)
{
    memmove(&c->m[idx], &c->m[idx + 1], (c->n - (size_t)idx - 1) * sizeof *c->m);
    c->n--;
}

static khum_member *post_holder_of(khum_council *c, khum_post p, const char *party)
{
    for (size_t k = 0; k < c->n; k++)
        if (c->m[k].post == p && (!party || !strcmp(c->m[k].party, party)))
            return &c->m[k];
    return NULL;
}

/* Who takes post p left by a member of list `party` (LAMC Art 37; rules.md
 * §5): the next sitting councillor of the list without a post, or the
 * newcomer. The chief's post stays with its list as long as the list has a
 * councillor: when only a deputy of that list is left, the deputy takes it
 * (under either setting of deputy_moves_up) and the deputy's post passes on
 * in turn; only a list with no councillor left hands the chief's post to a
 * councillor of any list. A deputy's post its list can no longer fill stays
 * vacant by default (no article gives it to another list); with
 * deputy_moves_up the posts keep their rank order (LAMC Art 40): the 2nd
 * deputy moves up and the 2nd deputy's post follows its own list. */
static void pass_post(khum_council *c, khum_post p, const char *party, khum_member *newcomer,
                      const khum_council_rules *r, const khum_ledger_event *ev, khum_arena *a,
                      khum_changes *out)
{
    khum_member *to = NULL;
    if (p == KHUM_POST_CHIEF && r->deputy_moves_up &&
        (to = post_holder_of(c, KHUM_POST_DEPUTY1, party))) {
        /* the 1st deputy moves up; the deputy post passes on */
        council_take_post(to, KHUM_POST_CHIEF, ev->date, "first deputy moves up to chief");
        note(out, a, ev, c, "post", to, to->post_why);
        pass_post(c, KHUM_POST_DEPUTY1, party, newcomer, r, ev, a, out);
        return;
    }
    if ((to = council_group_member(c, party, 0, true))) {
        council_take_post(to, p, ev->date, to == newcomer ? "seated into the post"
                                                          : "next sitting councillor of the list");
        note(out, a, ev, c, "post", to, to->post_why);
        return;
    }
    if (p == KHUM_POST_CHIEF) {
        khum_member *dep = post_holder_of(c, KHUM_POST_DEPUTY1, party);
        if (!dep)
            dep = post_holder_of(c, KHUM_POST_DEPUTY2, party);
        if (dep) {  /* the list still sits: its deputy takes the chief's post */
            khum_post was = dep->post;
            council_take_post(dep, KHUM_POST_CHIEF, ev->date, "deputy of the same list: the "
                              "list has no other councillor");
            note(out, a, ev, c, "post", dep, dep->post_why);
            pass_post(c, was, party, NULL, r, ev, a, out);
            return;
        }
        for (size_t k = 0; k < c->n && !to; k++)  /* the list has no councillor left */
            if (c->m[k].post == KHUM_POST_NONE)
                to = &c->m[k];
        if (to) {
            council_take_post(to, p, ev->date, "councillor of another list: the chief's list "
                              "has no councillor left");
            note(out, a, ev, c, "post", to, to->post_why);
        }
        return;
    }
    khum_member *d2 = p == KHUM_POST_DEPUTY1 && r->deputy_moves_up
                          ? post_holder_of(c, KHUM_POST_DEPUTY2, NULL) : NULL;
    if (d2) {
        council_take_post(d2, KHUM_POST_DEPUTY1, ev->date, "second deputy moves up: the first "
                          "deputy's list has no councillor left (rank order)");
        note(out, a, ev, c, "post", d2, d2->post_why);
        pass_post(c, KHUM_POST_DEPUTY2, d2->party, NULL, r, ev, a, out);
    }
}

static khum_code leave(khum_council *c, int idx, const khum_ledger_event *ev,
                       const khum_council_rules *r, khum_arena *a, khum_changes *out)
{
    khum_member gone = c->m[idx];
    note(out, a, ev, c, "left", &gone, khum_event_name(ev->type));
    remove_at(c, idx);
    int li = council_list_index(c, gone.list_party);
    khum_member *m = li >= 0 ? council_seat_next(c, li, ev->date, "replacement", a) : NULL;
    if (m) {
        note(out, a, ev, c, "seated", m, "next candidate of the same list");
    } else {
        c->vacant++;
        if (li >= 0)
            c->vacant_of[li]++;
    }
    if (gone.post != KHUM_POST_NONE) {
        /* the post stays with the leaver's list (the seat's list) */
        pass_post(c, gone.post, gone.list_party, m, r, ev, a, out);
    }
    return KHUM_OK;
}

typedef struct taker {
    int list;
    int64_t votes;
    int held, fresh;
    const char *party;
} taker;

/* a.v / a.d > b.v / b.d, exactly */
static int cmp_avg(int64_t va, int64_t da, int64_t vb, int64_t db)
{
    __int128 l = (__int128)va * db, rr = (__int128)vb * da;
    return (l > rr) - (l < rr);
}

/* Share `pool` seats among the takers by the 2017 formula. Equal averages
 * with equal votes need lots only when there are fewer seats left than tied
 * parties: then the smallest keys of the dissolution's lots for the commune
 * take them (draw 1). Without lots, false, and the tied parties in tied. */
static bool redistribute(khum_council *c, taker *t, size_t n, int pool,
                         const khum_council_rules *r, const char *seed, const char **tied,
                         size_t *ntied)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += t[i].votes;
    int64_t quota = pool ? sum / pool : 0;
    int given = 0;
    /* The election's chain decides between equal averages of different
     * votes: +1 more votes first (Cambodia), -1 fewer (Portugal), 0 lots. */
    int by_votes = r->tie_rule.n == 0 ? 0 : r->tie_rule.step[0] == KHUM_TIE_MORE_VOTES ? 1
                   : r->tie_rule.step[0] == KHUM_TIE_FEWER_VOTES ? -1 : 0;
    for (size_t i = 0; i < n && quota > 0; i++) {
        t[i].fresh = (int)(t[i].votes / quota);
        given += t[i].fresh;
    }
    if (quota == 0 || given > pool) {  /* too few votes for the formula: averages only */
        for (size_t i = 0; i < n; i++)
            t[i].fresh = 0;
        given = 0;
    }
    while (given < pool) {
        int best = -1;
        int64_t bd = 1;
        for (size_t i = 0; i < n; i++) {
            int64_t d = (r->redistribution_all_seats ? t[i].held : 0) + t[i].fresh + 1;
            int cmp = best < 0 ? 1 : cmp_avg(t[i].votes, d, t[best].votes, bd);
            if (cmp == 0 && t[i].votes != t[best].votes && by_votes)
                cmp = (t[i].votes > t[best].votes) == (by_votes > 0) ? 1 : -1;
            if (cmp > 0) {
                best = (int)i;
                bd = d;
            }
        }
        if (best < 0)
            break;
        int set[64], k = 0, left = pool - given;
        for (size_t i = 0; i < n && k < 64; i++) {
            int64_t d = (r->redistribution_all_seats ? t[i].held : 0) + t[i].fresh + 1;
            if ((t[i].votes == t[best].votes || !by_votes) &&
                cmp_avg(t[i].votes, d, t[best].votes, bd) == 0)
                set[k++] = (int)i;
        }
        if (k <= left) {  /* every tied party gets a seat: the order decides nothing */
            for (int j = 0; j < k; j++)
                t[set[j]].fresh++;
            given += k;
            continue;
        }
        if (!seed) {
            for (int j = 0; j < k; j++)
                tied[(*ntied)++] = t[set[j]].party;
            return false;
        }
        char key[64][65];
        for (int j = 0; j < k; j++)
            khum_alloc_lot_key(seed, c->commune, 1, t[set[j]].party, key[j]);
        for (int s = 0; s < left; s++) {  /* the smallest keys take the seats left */
            int m = -1;
            for (int j = 0; j < k; j++)
                if (set[j] >= 0 && (m < 0 || strcmp(key[j], key[m]) < 0))
                    m = j;
            t[set[m]].fresh++;
            set[m] = -1;
        }
        given = pool;
    }
    return true;
}

/* The lots drawn for what this dissolution does to this commune, or NULL. */
static const char *event_seed(const khum_council_rules *r, const khum_ledger_event *ev,
                              const char *commune)
{
    for (size_t i = 0; i < r->nevent_lots; i++)
        if (r->event_lots[i].event == ev->id && !strcmp(r->event_lots[i].commune, commune))
            return r->event_lots[i].seed;
    return NULL;
}

static bool declines(const khum_ledger_event *ev, const char *party)
{
    for (size_t i = 0; i < ev->ndeclining; i++)
        if (strcmp(ev->declining[i], party) == 0)
            return true;
    return false;
}

static khum_code dissolve(khum_council *c, const khum_ledger_event *ev,
                          const khum_council_rules *r, khum_arena *a, khum_changes *out)
{
    int pool = 0;
    for (size_t k = 0; k < c->n;) {
        if (strcmp(c->m[k].party, ev->party) == 0) {
            note(out, a, ev, c, "left", &c->m[k], "party dissolved");
            remove_at(c, (int)k);
            pool++;
        } else {
            k++;
        }
    }
    int dl = council_list_index(c, ev->party);
    if (dl >= 0) {
        c->next_cand[dl] = (int)c->lists[dl].ncand;  /* its list is void */
        if (!r->pool_without_vacant) {  /* LEMNA 118(e) "its seats": the vacant ones too */
            pool += c->vacant_of[dl];
            c->vacant -= c->vacant_of[dl];
            c->vacant_of[dl] = 0;
        }
    }
    if (pool == 0)
        return KHUM_OK;
    taker *t = khum_arena_calloc(a, c->nlists + 1, sizeof *t);
    if (!t)
        return KHUM_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < c->nlists; i++) {
        const khum_council_list *l = &c->lists[i];
        if (strcmp(l->party, ev->party) == 0 || l->votes <= 0 || declines(ev, l->party))
            continue;
        int held = 0;
        for (size_t k = 0; k < c->n; k++)
            held += strcmp(c->m[k].party, l->party) == 0;
        t[n++] = (taker){(int)i, l->votes, held, 0, l->party};
    }
    const char *seed = event_seed(r, ev, c->commune), *tied[64];
    size_t ntied = 0;
    if (!redistribute(c, t, n, pool, r, seed, tied, &ntied)) {
        /* a tie decides a seat: the commune's redistribution and posts wait for lots */
        c->vacant += pool;
        for (size_t k = 0; k < c->n; k++)
            council_take_post(&c->m[k], KHUM_POST_NONE, NULL, NULL);
        council_add_pending(c, ev->id, ev->date, "redistributed seats", tied, ntied, a);
        khum_member none = {.person = "", .name = "", .party = ""};
        note(out, a, ev, c, "pending", &none, khum_arena_printf(a, "a tie between %s decides "
             "a redistributed seat: the seats and posts wait for lots (khum ledger lots %lld "
             "%s SEED)", c->pending[c->npending - 1].parties, (long long)ev->id, c->commune));
        return KHUM_OK;
    }
    int placed = 0;
    for (size_t i = 0; i < n; i++)
        for (int s = 0; s < t[i].fresh; s++) {
            khum_member *m = council_seat_next(c, t[i].list, ev->date, "redistribution", a);
            if (m) {
                note(out, a, ev, c, "seated", m, "redistributed seat of a dissolved party");
                placed++;
            }
        }
    c->vacant += pool - placed;
    size_t had = c->npending;
    council_derive_posts(c, r, seed, ev->id, ev->date, a);
    if (c->npending > had) {
        khum_member none = {.person = "", .name = "", .party = ""};
        note(out, a, ev, c, "pending", &none, khum_arena_printf(a, "a tie between %s decides "
             "a post: the posts wait for lots (khum ledger lots %lld %s SEED)",
             c->pending[had].parties, (long long)ev->id, c->commune));
    }
    for (size_t k = 0; k < c->n; k++)
        if (c->m[k].post != KHUM_POST_NONE)
            note(out, a, ev, c, "post", &c->m[k], "posts derived again after the dissolution");
    return KHUM_OK;
}

khum_code khum_council_apply(khum_council *c, const khum_ledger_event *ev,
                             const khum_council_rules *r, khum_arena *a, khum_changes *out,
                             khum_err *err)
{
    if (ev->type == KHUM_EV_DISSOLVE)
        return dissolve(c, ev, r, a, out) ? khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory")
                                          : KHUM_OK;
    if (ev->type == KHUM_EV_REVERSE)
        return khum_err_set(err, KHUM_ERR_USAGE, "LED.604", "a reversal is applied by replaying "
                            "the ledger without the reversed event (khum_ledger_replay)");
    if (ev->commune && *ev->commune && strcmp(ev->commune, c->commune) != 0)
        return KHUM_OK;
    int idx = ev->person ? find_member(c, ev->person) : -1;
    if (idx < 0 && !khum_council_rules_is_law(r)) {
        /* a what-if reading never fails: the record holds under the law, and an
         * event with no meaning under this reading is said so and passed over */
        khum_member none = {.person = ev->person ? ev->person : "", .name = "", .party = ""};
        note(out, a, ev, c, "skipped", &none, khum_arena_printf(a, "%s has no meaning under "
             "this reading: %s holds no seat then", khum_event_name(ev->type), none.person));
        return KHUM_OK;
    }
    if (idx < 0)
        return khum_err_set(err, KHUM_ERR_CONFLICT, "LED.601", "%s on %s: %s does not hold a "
                            "seat in commune %s on that date", khum_event_name(ev->type),
                            ev->date, ev->person ? ev->person : "(no person)", c->commune);
    if (ev->type == KHUM_EV_DEFECT) {
        if (!ev->to_party || !*ev->to_party)
            return khum_err_set(err, KHUM_ERR_INPUT, "LED.602", "a defection needs the party "
                                "joined (to_party)");
        if (r->defector_keeps_seat) {
            khum_member *m = &c->m[idx];
            m->party = ev->to_party;
            m->joined = ++c->joins;
            m->why = "defection";
            note(out, a, ev, c, "party", m, "defector keeps the seat (defector_keeps_seat)");
            return KHUM_OK;
        }
    }
    return leave(c, idx, ev, r, a, out);
}
