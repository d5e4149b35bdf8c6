/*
 * alloc.c: the entry point of the allocation engine: checks the input (each
 * failure an ALC.6xx rule), applies the threshold and eligibility, puts the
 * parties in name order (so that no result, tie or protocol line depends on
 * the order of the input), and runs the method.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

void khum_alloc_rules_default(khum_alloc_rules *r)
{
    memset(r, 0, sizeof *r);
    r->method = KHUM_METHOD_DHONDT;
    r->quota = KHUM_QUOTA_HARE;
    r->quota_round = KHUM_ROUND_EXACT;
    r->tie_rule = khum_tie_rule_default();
}

const char *khum_method_name(khum_method m)
{
    switch (m) {
    case KHUM_METHOD_DHONDT: return "dhondt";
    case KHUM_METHOD_SAINTE_LAGUE: return "sainte-lague";
    case KHUM_METHOD_IMPERIALI: return "imperiali";
    case KHUM_METHOD_DANISH: return "danish";
    case KHUM_METHOD_LARGEST_REMAINDER: return "largest-remainder";
    case KHUM_METHOD_CAMBODIA: return "cambodia";
    case KHUM_METHOD_CAMBODIA_1998: return "cambodia-1998";
    }
    return "unknown";
}

bool khum_method_parse(const char *s, khum_method *m)
{
    for (int i = KHUM_METHOD_DHONDT; i <= KHUM_METHOD_CAMBODIA_1998; i++)
        if (strcmp(s, khum_method_name((khum_method)i)) == 0)
            return *m = (khum_method)i, true;
    return false;
}

int khum_frac_cmp(khum_frac a, khum_frac b)
{
    return frac_cmp(a.num, a.den, b.num, b.den);
}

void khum_frac_format(khum_frac f, char *buf, size_t n)
{
    if (f.den <= 0) {
        snprintf(buf, n, "-");
        return;
    }
    /* value * 100, rounded half up, in 128 bits */
    __int128 c = ((__int128)f.num * 200 + f.den) / (2 * (__int128)f.den);
    snprintf(buf, n, "%lld.%02lld", (long long)(c / 100), (long long)(c % 100));
}

/* Party indices in name order. Insertion sort: a district has a few dozen
 * lists at most, and qsort would need global state to see the names. */
static void sort_by_name(int *order, const khum_alloc_party *p, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        int x = order[i];
        size_t j = i;
        while (j > 0 && strcmp(p[order[j - 1]].name, p[x].name) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
}

static khum_code check_input(const khum_alloc_rules *r, const khum_alloc_input *in,
                             khum_err *err)
{
    if (in->n == 0)
        return khum_err_set(err, KHUM_ERR_INPUT, "ALC.609", "no parties to allocate seats to");
    if (in->seats < 1 || in->seats > KHUM_ALLOC_MAX_SEATS)
        return khum_err_set(err, KHUM_ERR_INPUT, "ALC.602",
                            "seats must be from 1 to %d, not %d", KHUM_ALLOC_MAX_SEATS,
                            in->seats);
    for (size_t i = 0; i < in->n; i++) {
        const khum_alloc_party *p = &in->parties[i];
        if (!p->name || !*p->name)
            return khum_err_set(err, KHUM_ERR_INPUT, "ALC.612", "party %zu has no name", i + 1);
        if (p->votes < 0 || p->votes > KHUM_ALLOC_MAX_VOTES)
            return khum_err_set(err, KHUM_ERR_INPUT, "ALC.610",
                                "votes of %s must be from 0 to 10^12", p->name);
    }
    if (r->method == KHUM_METHOD_SAINTE_LAGUE && r->first_div_den > 0 &&
        (r->first_div_num <= 0 || r->first_div_num > 1000 * r->first_div_den ||
         r->first_div_den > 1000000))
        return khum_err_set(err, KHUM_ERR_USAGE, "ALC.613",
                            "the first divisor must be above 0 and at most 1000, with at most 6 "
                            "decimals");
    return KHUM_OK;
}

static khum_code setup(alloc_ctx *c, khum_err *err)
{
    const khum_alloc_input *in = c->in;
    size_t n = in->n;
    c->ok = khum_arena_calloc(c->a, n, sizeof *c->ok);
    c->order = khum_arena_calloc(c->a, n, sizeof *c->order);
    c->cap = khum_arena_calloc(c->a, n, sizeof *c->cap);
    c->res->seats = khum_arena_calloc(c->a, n, sizeof *c->res->seats);
    if (!c->ok || !c->order || !c->cap || !c->res->seats)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < n; i++)
        c->order[i] = (int)i;
    sort_by_name(c->order, in->parties, n);
    for (size_t i = 1; i < n; i++)
        if (strcmp(in->parties[c->order[i]].name, in->parties[c->order[i - 1]].name) == 0)
            return khum_err_set(err, KHUM_ERR_INPUT, "ALC.604", "party %s is listed twice",
                                in->parties[c->order[i]].name);
    int64_t base = in->threshold_base;
    if (base < 0) {
        base = 0;
        for (size_t i = 0; i < n; i++)
            base += in->parties[i].votes;
    }
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        const khum_alloc_party *p = &in->parties[i];
        bool above = true;
        if (c->r->threshold_num > 0)  /* votes / base >= num / (den * 100) */
            above = (__int128)p->votes * c->r->threshold_den * 100 >=
                    (__int128)c->r->threshold_num * base;
        c->ok[i] = p->eligible && above && p->votes > 0;
        c->cap[i] = p->max_seats < 0 || p->max_seats > KHUM_ALLOC_MAX_SEATS
                        ? KHUM_ALLOC_MAX_SEATS + 1
                        : (int)p->max_seats;
        any |= c->ok[i] && c->cap[i] > 0;
    }
    if (!any)
        return khum_err_set(err, KHUM_ERR_INPUT, "ALC.611",
                            "no eligible party has votes: the %d seat%s cannot be allocated",
                            in->seats, in->seats == 1 ? "" : "s");
    return KHUM_OK;
}

khum_code khum_alloc_run(const khum_alloc_rules *r, const khum_alloc_input *in,
                         khum_arena *a, khum_alloc_result *out, khum_err *err)
{
    memset(out, 0, sizeof *out);
    out->quota = (khum_frac){0, 1};
    khum_code rc = check_input(r, in, err);
    if (rc)
        return rc;
    alloc_ctx c = {.r = r, .in = in, .a = a, .res = out, .err = err, .next_seat = 1};
    if ((rc = setup(&c, err)))
        return rc;
    switch (r->method) {
    case KHUM_METHOD_LARGEST_REMAINDER:
        return alloc_largest_remainder(&c);
    case KHUM_METHOD_CAMBODIA:
        return alloc_cambodia(&c, true);
    case KHUM_METHOD_CAMBODIA_1998:
        return alloc_cambodia(&c, false);
    default: {
        divisors d = alloc_divisors(r);
        return alloc_highest_averages(&c, &d, in->seats);
    }
    }
}

const char *khum_tie_how_name(khum_tie_how h)
{
    switch (h) {
    case KHUM_TIED_NOT: return "";
    case KHUM_TIED_ORDER_ONLY: return "order-only";
    case KHUM_TIED_MORE_VOTES: return "more-votes";
    case KHUM_TIED_FEWER_VOTES: return "fewer-votes";
    case KHUM_TIED_BALLOT_ORDER: return "ballot-order";
    case KHUM_TIED_LOT: return "lot";
    case KHUM_TIED_UNRESOLVED: return "unresolved";
    }
    return "";
}

const char *khum_step_kind_name(khum_step_kind k)
{
    switch (k) {
    case KHUM_STEP_QUOTA: return "quota";
    case KHUM_STEP_AVERAGE: return "average";
    case KHUM_STEP_REMAINDER: return "remainder";
    case KHUM_STEP_TAKEN_BACK: return "taken-back";
    }
    return "";
}
