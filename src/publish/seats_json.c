/*
 * seats_json.c: a commune's seat allocation as JSON: who won each seat with
 * which exact quotient, the best loser at that moment, ties, and how many
 * votes would move the last seat. Fractions are written "num/den" so that a
 * reader can check them with integers, and rounded for people.
 */
#include <stdio.h>
#include <string.h>

#include "khum/publish.h"

static json_t *frac_json(khum_frac f)
{
    char exact[48], text[48];
    snprintf(exact, sizeof exact, "%lld/%lld", (long long)f.num, (long long)f.den);
    khum_frac_format(f, text, sizeof text);
    return json_pack("{s:s,s:s}", "exact", exact, "text", text);
}

static json_t *party_list(const khum_alloc_party *p, const int *idx, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_string(p[idx[i]].name));
    return arr;
}

static json_t *protocol_json(const khum_alloc_result *r, const khum_alloc_party *p)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < r->nsteps; i++) {
        const khum_alloc_step *s = &r->steps[i];
        json_t *o = json_pack("{s:i,s:s,s:s,s:o,s:s}", "seat", s->seat, "party",
                              p[s->party].name, "kind", khum_step_kind_name(s->kind), "value",
                              frac_json(s->value), "tie", khum_tie_how_name(s->tie));
        if (s->runner_up >= 0) {
            json_object_set_new(o, "runner_up", json_string(p[s->runner_up].name));
            json_object_set_new(o, "runner_value", frac_json(s->runner_value));
        }
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *ties_json(const khum_alloc_result *r, const khum_alloc_party *p)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < r->nties; i++) {
        const khum_alloc_tie *t = &r->ties[i];
        json_array_append_new(arr, json_pack("{s:i,s:i,s:o,s:o,s:o,s:o,s:s,s:i}", "first_seat",
                                             t->first_seat, "seats", t->nseats, "value",
                                             frac_json(t->value), "parties",
                                             party_list(p, t->parties, t->nparties), "winners",
                                             party_list(p, t->winners, t->nwinners), "lot",
                                             party_list(p, t->lot, t->nlot), "how",
                                             khum_tie_how_name(t->how), "draw", t->draw));
    }
    return arr;
}

static json_t *margins_json(const khum_alloc_rules *rules, const khum_alloc_input *in,
                            const khum_alloc_result *r, khum_arena *a)
{
    khum_alloc_margin *m;
    size_t n;
    int closest;
    khum_err err;
    khum_err_clear(&err);
    if (khum_alloc_margins(rules, in, r, a, &m, &n, &closest, &err))
        return json_null();
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:o,s:o,s:I,s:I,s:b}", "holder",
                                             in->parties[m[i].holder].name, "challenger",
                                             in->parties[m[i].challenger].name, "holder_last",
                                             frac_json(m[i].holder_last), "challenger_next",
                                             frac_json(m[i].challenger_next), "votes_to_move",
                                             (json_int_t)m[i].votes_to_move, "votes_to_add",
                                             (json_int_t)m[i].votes_to_add, "closest",
                                             (int)i == closest));
    return arr;
}

json_t *khum_seats_json(const khum_election *e, const khum_tally *t, size_t commune,
                        const char *lots_seed, khum_arena *a)
{
    const khum_election_commune *ec = &e->communes[commune];
    const khum_tally_commune *c = &t->communes[commune];
    khum_alloc_rules rules;
    khum_alloc_input in;
    if (khum_tally_alloc_input(e, t, commune, lots_seed, a, &rules, &in))
        return NULL;
    const khum_alloc_party *p = in.parties;
    json_t *lists = json_array();
    for (size_t k = 0; k < ec->nlists; k++)
        json_array_append_new(lists, json_pack("{s:s,s:I,s:i}", "party", p[k].name, "votes",
                                               (json_int_t)p[k].votes, "seats",
                                               c->allocated ? c->alloc.seats[k] : 0));
    json_t *o = json_pack("{s:s,s:i,s:s,s:b,s:b,s:b,s:o}", "commune", ec->code, "seats",
                          ec->seats, "method", khum_method_name(e->method), "allocated",
                          c->allocated, "needs_lots", c->needs_lots, "complete",
                          c->area.complete, "lists", lists);
    json_object_set_new(o, "chief_party", c->chief_party >= 0
                                              ? json_string(t->parties[c->chief_party])
                                              : json_null());
    json_object_set_new(o, "lots_seed", lots_seed ? json_string(lots_seed) : json_null());
    if (!c->allocated && !c->needs_lots)
        return o;
    json_object_set_new(o, "degenerate", json_boolean(c->alloc.degenerate));
    json_object_set_new(o, "quota", frac_json(c->alloc.quota));
    json_object_set_new(o, "protocol", protocol_json(&c->alloc, p));
    json_object_set_new(o, "ties", ties_json(&c->alloc, p));
    json_object_set_new(o, "margins", c->allocated ? margins_json(&rules, &in, &c->alloc, a)
                                                   : json_null());
    return o;
}
