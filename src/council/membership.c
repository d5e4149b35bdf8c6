/*
 * membership.c: from a replayed mandate to memberships, the periods a person
 * held a seat (for a party) or a post, with the reasons they began and
 * ended. The ledger's changes say who left, who was seated, who changed
 * party and who took a post; a post taken ends its previous holder's period
 * in it. Also the date arithmetic the daily time series needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/council.h"

/* Howard Hinnant's days_from_civil: exact for the Gregorian calendar. */
long khum_date_days(const char *date)
{
    int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void khum_days_date(long z, char out[11])
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    char tmp[64];  /* room for any long; a date khum handles fits in 10 */
    snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", y + (m <= 2), m, d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

static khum_membership *push(khum_memberships *out, khum_arena *a)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 4096;
        khum_membership *p = khum_arena_alloc(a, cap * sizeof *p);
        if (!p)
            return NULL;
        if (out->n)
            memcpy(p, out->v, out->n * sizeof *p);
        out->v = p;
        out->cap = cap;
    }
    khum_membership *m = &out->v[out->n++];
    memset(m, 0, sizeof *m);
    m->end = m->end_reason = "";
    return m;
}

/* The open membership of a person in a role in this commune (from index from). */
static khum_membership *open_one(khum_memberships *out, size_t from, const char *person,
                                 const char *role)
{
    for (size_t i = out->n; i-- > from;)
        if (!*out->v[i].end && !strcmp(out->v[i].person, person) &&
            !strcmp(out->v[i].role, role))
            return &out->v[i];
    return NULL;
}

static void close_one(khum_membership *m, const char *date, const char *why)
{
    if (m) {
        m->end = date;
        m->end_reason = why;
    }
}

khum_code khum_memberships_add(khum_memberships *out, const khum_council *formed,
                               const char *formed_on, const khum_changes *ch, khum_arena *a,
                               khum_err *err)
{
    size_t from = out->n;
    const char *holder[4] = {NULL, NULL, NULL, NULL};  /* by post */
    for (size_t k = 0; k < formed->n; k++) {
        const khum_member *m = &formed->m[k];
        khum_membership *x = push(out, a);
        if (!x)
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        *x = (khum_membership){m->person, m->name, formed->commune, m->party, "councillor",
                               formed_on, "", "elected", ""};
        if (m->post != KHUM_POST_NONE) {
            khum_membership *p = push(out, a);
            if (!p)
                return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            *p = (khum_membership){m->person, m->name, formed->commune, m->party,
                                   khum_post_name(m->post), formed_on, "", "elected", ""};
            holder[m->post] = m->person;
        }
    }
    for (size_t i = 0; ch && i < ch->n; i++) {
        const khum_change *c = &ch->v[i];
        if (strcmp(c->commune, formed->commune) != 0)
            continue;
        if (!strcmp(c->what, "left")) {
            close_one(open_one(out, from, c->person, "councillor"), c->date, c->detail);
            if (c->post != KHUM_POST_NONE && holder[c->post] && !strcmp(holder[c->post], c->person)) {
                close_one(open_one(out, from, c->person, khum_post_name(c->post)), c->date,
                          c->detail);
                holder[c->post] = NULL;
            }
        } else if (!strcmp(c->what, "seated") || !strcmp(c->what, "party")) {
            if (!strcmp(c->what, "party"))
                close_one(open_one(out, from, c->person, "councillor"), c->date, "changed party");
            khum_membership *x = push(out, a);
            if (!x)
                return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            *x = (khum_membership){c->person, c->name, formed->commune, c->party, "councillor",
                                   c->date, "", c->detail, ""};
        } else if (!strcmp(c->what, "post") && c->post != KHUM_POST_NONE) {
            const char *role = khum_post_name(c->post);
            if (holder[c->post] && !strcmp(holder[c->post], c->person))
                continue;
            if (holder[c->post])
                close_one(open_one(out, from, holder[c->post], role), c->date, "post passed on");
            /* a holder of another post who takes this one leaves the other */
            for (int p = KHUM_POST_CHIEF; p <= KHUM_POST_DEPUTY2; p++)
                if (p != (int)c->post && holder[p] && !strcmp(holder[p], c->person)) {
                    close_one(open_one(out, from, c->person, khum_post_name((khum_post)p)),
                              c->date, "took another post");
                    holder[p] = NULL;
                }
            khum_membership *x = push(out, a);
            if (!x)
                return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            *x = (khum_membership){c->person, c->name, formed->commune, c->party, role,
                                   c->date, "", c->detail, ""};
            holder[c->post] = c->person;
        }
    }
    return KHUM_OK;
}

void khum_memberships_csv(const khum_memberships *m, khum_buf *b)
{
    khum_buf_puts(b, "person,name,commune,party,role,start,end,start_reason,end_reason\n");
    for (size_t i = 0; i < m->n; i++) {
        const khum_membership *x = &m->v[i];
        const char *row[] = {x->person, x->name, x->commune, x->party, x->role, x->start,
                             x->end, x->start_reason, x->end_reason};
        khum_csv_put_row(b, row, 9);
    }
}
