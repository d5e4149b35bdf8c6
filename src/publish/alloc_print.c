/*
 * alloc_print.c: the output of an allocation run (`khum allocate`): the seats table (the contract
 * scripts rely on: district,party,votes,seats in input order), and on request
 * the protocol, ties and margins, as CSV tables or one JSON document.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "alloc_print.h"
#include "khum/csv.h"
#include "khum/json.h"

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a ? a : 1;
}

/* "1595/4": the exact value, reduced. */
void alloc_print_exact(khum_frac f, char *buf, size_t n)
{
    int64_t g = gcd64(f.num, f.den);
    if (f.den / g == 1)
        snprintf(buf, n, "%lld", (long long)(f.num / g));
    else
        snprintf(buf, n, "%lld/%lld", (long long)(f.num / g), (long long)(f.den / g));
}

static void put_frac_cols(khum_buf *b, khum_frac f, bool present)
{
    char dec[48] = "", ex[64] = "";
    if (present) {
        khum_frac_format(f, dec, sizeof dec);
        alloc_print_exact(f, ex, sizeof ex);
    }
    khum_csv_put_field(b, dec, false);
    khum_csv_put_field(b, ex, false);
}

static void put_int(khum_buf *b, long long v, bool first)
{
    char s[32];
    snprintf(s, sizeof s, "%lld", v);
    khum_csv_put_field(b, s, first);
}

static void csv_seats(const alloc_output *o, khum_buf *b)
{
    khum_buf_puts(b, o->has_district ? "district,party,votes,seats\n" : "party,votes,seats\n");
    for (size_t i = 0; i < o->nrows; i++) {
        const alloc_row *r = &o->rows[i];
        if (o->has_district)
            khum_csv_put_field(b, r->district, true);
        khum_csv_put_field(b, r->party, !o->has_district);
        put_int(b, r->votes, false);
        put_int(b, r->seats_won, false);
        khum_csv_end_row(b);
    }
}

/* The protocol's tables: each district's quota (0 where the method has
 * none), every seat with its value (votes / quota for a quota seat, the
 * average or remainder otherwise), and the ties. */
static void csv_protocol(const alloc_output *o, khum_buf *b)
{
    khum_buf_puts(b, "\ndistrict,quota,quota_exact\n");
    for (size_t i = 0; i < o->nd; i++) {
        khum_csv_put_field(b, o->d[i].name, true);
        put_frac_cols(b, o->d[i].res.quota, true);
        khum_csv_end_row(b);
    }
    khum_buf_puts(b, "\ndistrict,seat,party,kind,value,value_exact,runner_up,runner_up_value,"
                     "runner_up_value_exact,tie\n");
    for (size_t i = 0; i < o->nd; i++) {
        const alloc_district *d = &o->d[i];
        for (size_t k = 0; k < d->res.nsteps; k++) {
            const khum_alloc_step *s = &d->res.steps[k];
            khum_csv_put_field(b, d->name, true);
            put_int(b, s->seat, false);
            khum_csv_put_field(b, d->parties[s->party].name, false);
            khum_csv_put_field(b, khum_step_kind_name(s->kind), false);
            put_frac_cols(b, s->value, true);
            khum_csv_put_field(b, s->runner_up >= 0 ? d->parties[s->runner_up].name : "", false);
            put_frac_cols(b, s->runner_value, s->runner_up >= 0);
            khum_csv_put_field(b, khum_tie_how_name(s->tie), false);
            khum_csv_end_row(b);
        }
    }
    khum_buf_puts(b, "\ndistrict,first_seat,seats,value,tied,lot,winners,settled_by,draw\n");
    for (size_t i = 0; i < o->nd; i++) {
        const alloc_district *d = &o->d[i];
        for (size_t t = 0; t < d->res.nties; t++) {
            const khum_alloc_tie *tie = &d->res.ties[t];
            khum_buf tied, won, lot;
            khum_buf_init(&tied);
            khum_buf_init(&won);
            khum_buf_init(&lot);
            for (int k = 0; k < tie->nlot; k++)
                khum_buf_printf(&lot, "%s%s", k ? ";" : "", d->parties[tie->lot[k]].name);
            for (int k = 0; k < tie->nparties; k++)
                khum_buf_printf(&tied, "%s%s", k ? ";" : "", d->parties[tie->parties[k]].name);
            for (int k = 0; k < tie->nwinners; k++)
                khum_buf_printf(&won, "%s%s", k ? ";" : "", d->parties[tie->winners[k]].name);
            khum_csv_put_field(b, d->name, true);
            put_int(b, tie->first_seat, false);
            put_int(b, tie->nseats, false);
            char v[48];
            khum_frac_format(tie->value, v, sizeof v);
            khum_csv_put_field(b, v, false);
            khum_csv_put_field(b, tied.data ? tied.data : "", false);
            khum_csv_put_field(b, lot.data ? lot.data : "", false);
            khum_csv_put_field(b, won.data ? won.data : "", false);
            khum_csv_put_field(b, khum_tie_how_name(tie->how), false);
            put_int(b, tie->draw, false);
            khum_csv_end_row(b);
            khum_buf_free(&tied);
            khum_buf_free(&won);
            khum_buf_free(&lot);
        }
    }
}

static void csv_margins(const alloc_output *o, khum_buf *b)
{
    khum_buf_puts(b, "\ndistrict,holder,challenger,holder_last,holder_last_exact,"
                     "challenger_next,challenger_next_exact,votes_to_move,votes_to_add,closest\n");
    for (size_t i = 0; i < o->nd; i++) {
        const alloc_district *d = &o->d[i];
        for (size_t k = 0; k < d->nmargins; k++) {
            const khum_alloc_margin *m = &d->margins[k];
            khum_csv_put_field(b, d->name, true);
            khum_csv_put_field(b, d->parties[m->holder].name, false);
            khum_csv_put_field(b, d->parties[m->challenger].name, false);
            put_frac_cols(b, m->holder_last, true);
            put_frac_cols(b, m->challenger_next, true);
            if (m->votes_to_move < 0)
                khum_csv_put_field(b, "", false);
            else
                put_int(b, m->votes_to_move, false);
            put_int(b, m->votes_to_add, false);
            khum_csv_put_field(b, (int)k == d->closest ? "1" : "0", false);
            khum_csv_end_row(b);
        }
    }
}

void alloc_print_csv(const alloc_output *o, khum_buf *b)
{
    csv_seats(o, b);
    if (o->explain)
        csv_protocol(o, b);
    if (o->margins)
        csv_margins(o, b);
}

static json_t *frac_json(khum_frac f)
{
    char dec[48], ex[64];
    khum_frac_format(f, dec, sizeof dec);
    alloc_print_exact(f, ex, sizeof ex);
    return json_pack("{s:s, s:s}", "value", dec, "exact", ex);
}

static json_t *district_json(const alloc_output *o, const alloc_district *d)
{
    json_t *res = json_array();
    for (size_t k = 0; k < d->nrows; k++)
        json_array_append_new(res, json_pack("{s:s, s:I, s:i, s:b}", "party",
                                             d->parties[k].name, "votes",
                                             (json_int_t)d->parties[k].votes, "seats",
                                             d->res.seats[k], "eligible",
                                             d->parties[k].eligible));
    json_t *j = json_pack("{s:s, s:i, s:o, s:b, s:i}", "district", d->name, "seats", d->seats,
                          "results", res, "degenerate", d->res.degenerate, "unfilled",
                          d->res.unfilled);
    if (d->res.quota.num)
        json_object_set_new(j, "quota", frac_json(d->res.quota));
    json_t *ties = json_array();
    for (size_t t = 0; t < d->res.nties; t++) {
        const khum_alloc_tie *tie = &d->res.ties[t];
        json_t *tied = json_array(), *won = json_array();
        for (int k = 0; k < tie->nparties; k++)
            json_array_append_new(tied, json_string(d->parties[tie->parties[k]].name));
        for (int k = 0; k < tie->nwinners; k++)
            json_array_append_new(won, json_string(d->parties[tie->winners[k]].name));
        json_t *x = json_pack("{s:i, s:i, s:o, s:o, s:o, s:s}", "first_seat", tie->first_seat,
                              "seats", tie->nseats, "value", frac_json(tie->value), "tied",
                              tied, "winners", won, "settled_by", khum_tie_how_name(tie->how));
        if (tie->nlot) {
            json_t *lot = json_array();
            for (int k = 0; k < tie->nlot; k++)
                json_array_append_new(lot, json_string(d->parties[tie->lot[k]].name));
            json_object_set_new(x, "lot", lot);
        }
        if (tie->draw)
            json_object_set_new(x, "draw", json_integer(tie->draw));
        json_array_append_new(ties, x);
    }
    json_object_set_new(j, "ties", ties);
    if (o->explain) {
        json_t *steps = json_array();
        for (size_t k = 0; k < d->res.nsteps; k++) {
            const khum_alloc_step *s = &d->res.steps[k];
            json_t *x = json_pack("{s:i, s:s, s:s, s:o}", "seat", s->seat, "party",
                                  d->parties[s->party].name, "kind", khum_step_kind_name(s->kind),
                                  "value", frac_json(s->value));
            if (s->runner_up >= 0) {
                json_object_set_new(x, "runner_up", json_string(d->parties[s->runner_up].name));
                json_object_set_new(x, "runner_up_value", frac_json(s->runner_value));
            }
            if (s->tie != KHUM_TIED_NOT)
                json_object_set_new(x, "tie", json_string(khum_tie_how_name(s->tie)));
            json_array_append_new(steps, x);
        }
        json_object_set_new(j, "protocol", steps);
    }
    if (o->margins) {
        json_t *pairs = json_array();
        for (size_t k = 0; k < d->nmargins; k++) {
            const khum_alloc_margin *m = &d->margins[k];
            json_t *x = json_pack("{s:s, s:s, s:o, s:o, s:I}", "holder",
                                  d->parties[m->holder].name, "challenger",
                                  d->parties[m->challenger].name, "holder_last",
                                  frac_json(m->holder_last), "challenger_next",
                                  frac_json(m->challenger_next), "votes_to_add",
                                  (json_int_t)m->votes_to_add);
            json_object_set_new(x, "votes_to_move", m->votes_to_move < 0
                                                        ? json_null()
                                                        : json_integer(m->votes_to_move));
            json_array_append_new(pairs, x);
        }
        json_object_set_new(j, "margins", pairs);
        if (d->closest >= 0)
            json_object_set(j, "closest", json_array_get(pairs, (size_t)d->closest));
    }
    return j;
}

void alloc_print_json(const alloc_output *o, khum_buf *b)
{
    json_t *ds = json_array();
    for (size_t i = 0; i < o->nd; i++)
        json_array_append_new(ds, district_json(o, &o->d[i]));
    json_t *root = json_pack("{s:s, s:o}", "method", khum_method_name(o->rules->method),
                             "districts", ds);
    if (o->rules->lots_seed)
        json_object_set_new(root, "lots_seed", json_string(o->rules->lots_seed));
    khum_json_to_buf(root, 2, b);
}
