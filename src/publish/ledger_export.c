/*
 * ledger_export.c: the exports behind `khum ledger changes` and `khum ledger
 * export`: the whole
 * mandate replayed, as a list of changes, as memberships (CSV), as Popolo
 * JSON (persons, organizations, memberships with start and end dates and
 * reasons), or as seats per party for every day of the mandate.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "khum/app.h"
#include "khum/json.h"
#include "ledger_export.h"

static void put_changes(const khum_changes *ch, const char *person, const char *from,
                        const char *to, khum_buf *b)
{
    khum_buf_puts(b, "date,event,commune,what,person,party,post,detail\n");
    for (size_t i = 0; i < ch->n; i++) {
        const khum_change *c = &ch->v[i];
        if ((person && strcmp(person, c->person)) || (from && strcmp(c->date, from) < 0) ||
            strcmp(c->date, to) > 0)
            continue;
        char ev[24];
        snprintf(ev, sizeof ev, "%lld", (long long)c->event);
        const char *row[] = {c->date, ev, c->commune, c->what, c->person, c->party,
                             khum_post_name(c->post), c->detail};
        khum_csv_put_row(b, row, 8);
    }
}

static void put_popolo(const khum_election *e, const khum_memberships *m, khum_buf *b)
{
    json_t *persons = json_array(), *orgs = json_array(), *mem = json_array();
    json_t *seen = json_object();
    for (size_t i = 0; i < m->n; i++) {
        const khum_membership *x = &m->v[i];
        if (!json_object_get(seen, x->person)) {
            json_object_set_new(seen, x->person, json_true());
            json_array_append_new(persons, json_pack("{s:s, s:s}", "id", x->person, "name",
                                                     x->name));
        }
        char party[64], council[32];
        snprintf(party, sizeof party, "party/%s", x->party);
        snprintf(council, sizeof council, "council/%s", x->commune);
        if (!json_object_get(seen, party)) {
            json_object_set_new(seen, party, json_true());
            json_array_append_new(orgs, json_pack("{s:s, s:s, s:s}", "id", party, "name",
                                                  x->party, "classification", "party"));
        }
        if (!json_object_get(seen, council)) {
            json_object_set_new(seen, council, json_true());
            json_array_append_new(orgs, json_pack("{s:s, s:s, s:s}", "id", council, "name",
                                                  council, "classification", "council"));
        }
        json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "person_id", x->person,
                              "organization_id", council, "on_behalf_of_id", party, "role",
                              x->role, "start_date", x->start, "start_reason",
                              x->start_reason);
        if (*x->end) {
            json_object_set_new(j, "end_date", json_string(x->end));
            json_object_set_new(j, "end_reason", json_string(x->end_reason));
        }
        json_array_append_new(mem, j);
    }
    json_t *root = json_pack("{s:s, s:b, s:o, s:o, s:o}", "election", e->id, "synthetic",
                             e->synthetic, "persons", persons, "organizations", orgs,
                             "memberships", mem);
    json_decref(seen);
    khum_json_to_buf(root, 1, b);
}

/* Seats per party for every day from polling day to `to`. */
static void put_timeseries(const khum_election *e, const khum_memberships *m, const char *to,
                           khum_buf *b)
{
    long d0 = khum_date_days(e->date), d1 = khum_date_days(to);
    const char *parties[64];
    size_t np = 0;
    for (size_t i = 0; i < m->n; i++) {
        size_t p = 0;
        while (p < np && strcmp(parties[p], m->v[i].party))
            p++;
        if (p == np && np < 64)
            parties[np++] = m->v[i].party;
    }
    long span = d1 - d0 + 2;
    int *delta = calloc((size_t)(span > 0 ? span : 1) * np + 1, sizeof *delta);
    if (!delta) {
        b->failed = true;
        return;
    }
    for (size_t i = 0; i < m->n; i++) {
        const khum_membership *x = &m->v[i];
        if (strcmp(x->role, "councillor"))
            continue;
        size_t p = 0;
        while (p < np && strcmp(parties[p], x->party))
            p++;
        long s = khum_date_days(x->start) - d0, t = *x->end ? khum_date_days(x->end) - d0 : span;
        if (s < 0)
            s = 0;
        if (s < span && p < np)
            delta[s * (long)np + (long)p]++;
        if (t < span && p < np)
            delta[t * (long)np + (long)p]--;
    }
    khum_buf_puts(b, "date");
    for (size_t p = 0; p < np; p++)
        khum_buf_printf(b, ",%s", parties[p]);
    khum_buf_puts(b, ",total\n");
    int *run = calloc(np + 1, sizeof *run);
    for (long d = 0; run && d <= d1 - d0; d++) {
        char day[11];
        khum_days_date(d0 + d, day);
        khum_buf_puts(b, day);
        int total = 0;
        for (size_t p = 0; p < np; p++) {
            run[p] += delta[d * (long)np + (long)p];
            total += run[p];
            khum_buf_printf(b, ",%d", run[p]);
        }
        khum_buf_printf(b, ",%d\n", total);
    }
    free(run);
    free(delta);
}

bool ledger_export_format_known(const char *format)
{
    return format && (!strcmp(format, "memberships") || !strcmp(format, "popolo") ||
                      !strcmp(format, "timeseries"));
}

khum_code ledger_export(khum_store *s, const khum_election *e, const ledger_query *q,
                        bool changes, khum_buf *b, khum_err *err)
{
    if (!changes && !ledger_export_format_known(q->format))
        return khum_err_set(err, KHUM_ERR_USAGE, "", "export --format memberships, popolo or "
                            "timeseries");
    char end[11];
    khum_code rc = khum_app_mandate_end(s, e, end, err);
    if (rc)
        return rc;
    const char *to = q->on ? q->on : end;
    khum_tally t;
    if ((rc = khum_app_tally(s, e, &t, err)))
        return rc;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_memberships m = {0};
    khum_changes ch = {0};
    rc = khum_app_mandate(s, e, &t, q->commune, to, q->rules, &a, &m, &ch, err);
    if (!rc && changes)
        put_changes(&ch, q->person, q->from, to, b);
    else if (!rc && !strcmp(q->format, "memberships"))
        khum_memberships_csv(&m, b);
    else if (!rc && !strcmp(q->format, "popolo"))
        put_popolo(e, &m, b);
    else if (!rc)
        put_timeseries(e, &m, to, b);
    if (!rc && b->failed)
        rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    khum_arena_free(&a);
    khum_tally_free(&t);
    return rc;
}
