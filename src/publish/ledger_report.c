/*
 * ledger_report.c: the reports behind `khum ledger seats --by LEVEL` (seats
 * and chiefs per party
 * for each province, district or commune on a date) and `khum ledger report
 * --from D1 --on D2` (the communes whose largest party or chief's party
 * changed between two dates, and defections by month from party to party).
 * Both replay every council; defections follow the ledger: a councillor's
 * party before a defection is the party joined at the previous one, else the
 * party of the list the seat was won on.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "khum/app.h"
#include "khum/array.h"
#include "khum/csv.h"
#include "khum/json.h"
#include "khum/str.h"
#include "ledger_export.h"

typedef struct tally_row {
    char area[KHUM_AREA_CODE_MAX + 1];
    const char *party;
    int seats, chiefs;
} tally_row;

/* The party with most seats (ties: "" = no single largest) and the chief's. */
static void leaders(const khum_council *c, const char **largest, const char **chief)
{
    const char *names[32];
    int counts[32];
    size_t n = khum_council_seats_by_party(c, names, counts, 32);
    int best = -1;
    bool tie = false;
    for (size_t i = 0; i < n; i++) {
        if (best < 0 || counts[i] > counts[best]) {
            best = (int)i;
            tie = false;
        } else if (counts[i] == counts[best]) {
            tie = true;
        }
    }
    *largest = best < 0 || tie ? "" : names[best];
    const khum_member *m = khum_council_post_holder(c, KHUM_POST_CHIEF);
    *chief = m ? m->party : "";
}

/* A commune with the area it counts in at the level asked (its province,
 * district or itself: the parents the gazetteer named), so that the
 * communes of one area can be taken together. */
typedef struct placed {
    const char *area;
    size_t i;
} placed;

static int placed_cmp(const void *pa, const void *pb)
{
    const placed *a = pa, *b = pb;
    int c = strcmp(a->area, b->area);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

static placed *place_communes(const khum_election *e, int level, khum_arena *a, size_t *n)
{
    placed *p = khum_arena_alloc(a, (e->ncommunes + 1) * sizeof *p);
    *n = 0;
    for (size_t i = 0; p && i < e->ncommunes; i++) {
        const khum_election_commune *ec = &e->communes[i];
        const char *area = level == 1 ? ec->province : level == 2 ? ec->district : ec->code;
        if (*area)  /* a council with no district counts in no district */
            p[(*n)++] = (placed){area, i};
    }
    if (p && *n)
        khum_sort(p, *n, sizeof *p, placed_cmp);
    return p;
}

khum_code ledger_seats_by(khum_store *s, const khum_election *e, const ledger_query *q,
                          int level, khum_buf *out, khum_err *err)
{
    char day[11];
    time_t now = time(NULL);
    strftime(day, sizeof day, "%Y-%m-%d", gmtime(&now));
    const char *on = q->on ? q->on : day;
    khum_tally t;
    khum_code rc = khum_app_tally(s, e, &t, err);
    if (rc)
        return rc;
    khum_arena a, keep;
    khum_arena_init(&a, 0);
    khum_arena_init(&keep, 0);
    khum_array v;
    khum_array_init(&v, sizeof(tally_row), &keep);
    tally_row *rows = NULL;
    size_t n = 0;
    size_t np = 0;
    placed *order = place_communes(e, level, &keep, &np);
    if (!order)
        rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t j = 0; j < np && !rc; j++) {
        khum_council c;
        const char *area = order[j].area;
        if ((rc = khum_app_council(s, e, &t, e->communes[order[j].i].code, on, q->rules, &a,
                                   &c, NULL, err)))
            break;
        for (size_t k = 0; k < c.n; k++) {
            size_t r = n;
            while (r > 0 && !strcmp(rows[r - 1].area, area)) {  /* this area's rows */
                if (!strcmp(rows[r - 1].party, c.m[k].party))
                    break;
                r--;
            }
            if (r == 0 || strcmp(rows[r - 1].area, area) ||
                strcmp(rows[r - 1].party, c.m[k].party)) {
                tally_row *x = khum_array_push(&v);
                if (!x || !(x->party = khum_arena_strdup(&keep, c.m[k].party))) {
                    rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
                    break;
                }
                rows = v.items;
                snprintf(x->area, sizeof x->area, "%s", area);
                r = n = v.n;
            }
            rows[r - 1].seats++;
            rows[r - 1].chiefs += c.m[k].post == KHUM_POST_CHIEF;
        }
        khum_arena_reset(&a);
    }
    if (!rc) {
        khum_buf_puts(out, "area,party,seats,chiefs\n");
        for (size_t i = 0; i < n; i++)
            khum_buf_printf(out, "%s,%s,%d,%d\n", rows[i].area, rows[i].party, rows[i].seats,
                            rows[i].chiefs);
        if (out->failed)
            rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    khum_arena_free(&a);
    khum_arena_free(&keep);
    khum_tally_free(&t);
    return rc;
}

typedef struct flow {
    char month[8];
    const char *from, *to;
    int n;
} flow;

khum_code ledger_report(khum_store *s, const khum_election *e, const ledger_query *q,
                        khum_buf *out, khum_err *err)
{
    if (!q->from || !q->on)
        return khum_err_set(err, KHUM_ERR_USAGE, "", "report needs --from DATE and --on DATE");
    khum_tally t;
    khum_code rc = khum_app_tally(s, e, &t, err);
    if (rc)
        return rc;
    khum_arena a;
    khum_arena_init(&a, 0);
    /* Two tables: communes that changed, and defections by month. CSV holds
     * one of them (q->table, default communes) and nothing else; JSON both. */
    bool json = q->format && !strcmp(q->format, "json");
    bool defections = q->table && !strcmp(q->table, "defections");
    json_t *jc = json ? json_array() : NULL, *jd = json ? json_array() : NULL;
    if (!json && !defections)
        khum_buf_puts(out, "commune,name,largest_before,largest_after,chief_before,chief_after\n");
    for (size_t i = 0; i < e->ncommunes && !rc; i++) {
        khum_council c1, c2;
        const char *l1, *l2, *h1, *h2;
        if ((rc = khum_app_council(s, e, &t, e->communes[i].code, q->from, q->rules, &a, &c1,
                                   NULL, err)) ||
            (rc = khum_app_council(s, e, &t, e->communes[i].code, q->on, q->rules, &a, &c2,
                                   NULL, err)))
            break;
        leaders(&c1, &l1, &h1);
        leaders(&c2, &l2, &h2);
        const char *name = q->names ? q->names(q->names_ctx, e->communes[i].code) : "";
        if ((strcmp(l1, l2) || strcmp(h1, h2)) && json) {
            json_array_append_new(jc, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "commune",
                                                e->communes[i].code, "name", name,
                                                "largest_before", l1, "largest_after", l2,
                                                "chief_before", h1, "chief_after", h2));
        } else if ((strcmp(l1, l2) || strcmp(h1, h2)) && !defections) {
            const char *row[] = {e->communes[i].code, name, l1, l2, h1, h2};
            khum_csv_put_row(out, row, 6);
        }
        khum_arena_reset(&a);
    }
    /* Defections by month, from party to party. */
    khum_ledger_event *ev;
    size_t nev;
    if (!rc)
        rc = khum_store_ledger_events(s, e->id, NULL, &a, &ev, &nev, err);
    if (!rc) {
        if (!json && defections)
            khum_buf_puts(out, "month,from,to,count\n");
        flow *f = khum_arena_alloc(&a, (nev + 1) * sizeof *f);
        size_t nf = 0;
        if (!f)
            rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        for (size_t i = 0; f && !rc && i < nev; i++) {
            if (ev[i].type != KHUM_EV_DEFECT || strcmp(ev[i].date, q->from) < 0 ||
                strcmp(ev[i].date, q->on) > 0)
                continue;
            const char *from = NULL;
            for (size_t k = i; k-- > 0 && !from;)  /* the party joined at the previous one */
                if (ev[k].type == KHUM_EV_DEFECT && !strcmp(ev[k].person, ev[i].person))
                    from = ev[k].to_party;
            if (!from) {  /* else the list the seat was won on */
                khum_candidate_row *rows;
                size_t n;
                if (!(rc = khum_store_commune_candidates(s, e->id, ev[i].commune, &a, &rows,
                                                         &n, err)))
                    for (size_t k = 0; k < n && !from; k++)
                        if (!strcmp(rows[k].person, ev[i].person))
                            from = rows[k].party;
            }
            from = from ? from : "?";
            size_t k = 0;
            while (k < nf && (strncmp(f[k].month, ev[i].date, 7) || strcmp(f[k].from, from) ||
                              strcmp(f[k].to, ev[i].to_party)))
                k++;
            if (k == nf) {
                f[nf] = (flow){"", from, ev[i].to_party, 0};
                snprintf(f[nf].month, sizeof f[nf].month, "%.7s", ev[i].date);
                nf++;
            }
            f[k].n++;
        }
        for (size_t k = 0; k < nf; k++) {
            if (json)
                json_array_append_new(jd, json_pack("{s:s,s:s,s:s,s:i}", "month", f[k].month,
                                                    "from", f[k].from, "to", f[k].to, "count",
                                                    f[k].n));
            else if (defections)
                khum_buf_printf(out, "%s,%s,%s,%d\n", f[k].month, f[k].from, f[k].to, f[k].n);
        }
    }
    if (json && !rc)
        khum_json_to_buf(json_pack("{s:s,s:s,s:s,s:o,s:o}", "election", e->id, "from", q->from,
                                   "on", q->on, "communes", jc, "defections", jd), 2, out);
    else if (json) {
        json_decref(jc);
        json_decref(jd);
    }
    if (!rc && out->failed)
        rc = khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    khum_arena_free(&a);
    khum_tally_free(&t);
    return rc;
}
