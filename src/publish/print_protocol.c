/*
 * print_protocol.c: a commune's protocol, the document its commission signs
 * and posts. The figures are the tally's own: the stations' current forms
 * and their sum, the allocation's steps and ties as the tally ran them
 * (the same result `allocate --explain` and seats.json show: nothing is
 * recomputed another way), the council khum_app_council forms, the lots as
 * recorded (seed, and who drew them when from the audit log). Two things
 * are added for the reader: the corrections made after official, each
 * field with both versions, and the seats the 1998 formula would give, as
 * a what-if that is said to be one.
 */
#include <stdio.h>
#include <string.h>

#include "alloc_print.h"
#include "print_impl.h"

static bool is_official(const prn_data *p, const char *commune)
{
    for (size_t i = 0; i < p->v.nofficial; i++)
        if (!strcmp(p->v.official[i], commune))
            return true;
    return false;
}

static const khum_form *form_of(const prn_data *p, const char *station)
{
    return prn_form_of(p, station);
}

static int64_t votes_of(const khum_form *f, const char *party)
{
    for (size_t k = 0; f && k < f->n; k++)
        if (!strcmp(f->party[k], party))
            return f->votes[k];
    return 0;
}

static const char *label(const prn_data *p, const char *party)
{
    return tally_view_party_label(&p->v, party);
}

static void head(const prn_data *p, size_t ci, prn_doc *d)
{
    const khum_election *e = &p->v.e;
    const khum_election_commune *c = &e->communes[ci];
    prn_title(d, prn_t(d, "កំណត់ហេតុលទ្ធផលបោះឆ្នោតក្រុមប្រឹក្សាឃុំ សង្កាត់",
                       "Protocol of the commune council election"));
    if (e->synthetic)
        prn_para(d, prn_t(d, "ទិន្នន័យសិប្បនិម្មិត៖ លទ្ធផលប្រឌិតសម្រាប់បង្ហាញ",
                          "SYNTHETIC DATA: invented results for demonstration"));
    const char *rows[][2] = {
        {prn_t(d, "ការបោះឆ្នោត", "Election"),
         prn_fmt(d, "%s (%s), %s", e->name ? e->name : e->id, e->id, prn_digits(d, e->date))},
        {prn_t(d, "ឃុំ សង្កាត់", "Commune"), prn_area_name(d, p, c->code)},
        {prn_t(d, "ចំនួនអាសនៈក្រុមប្រឹក្សា", "Council seats"), prn_num(d, c->seats)},
        {prn_t(d, "វិធីបែងចែកអាសនៈ", "Seat allocation"), khum_method_name(e->method)},
        {prn_t(d, "ស្ថានភាព", "Status"),
         is_official(p, c->code) ? prn_t(d, "ផ្លូវការ", "OFFICIAL")
                                 : prn_t(d, "បណ្ដោះអាសន្ន", "PROVISIONAL")},
    };
    static const double w[] = {1, 3};
    prn_table(d, 2, w, "ll", NULL);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        prn_row(d, rows[i]);
}

/* The blank column where the rule set counts blank ballots apart (a
 * threshold of valid+blank), or where any form has some. */
static bool has_blank(const prn_data *p, const khum_election_commune *c)
{
    if (p->v.e.threshold_base == KHUM_BASE_VALID_BLANK)
        return true;
    for (size_t k = 0; k < c->nstations; k++) {
        const khum_form *f = form_of(p, p->v.e.stations[c->first_station + k].code);
        if (f && f->blank)
            return true;
    }
    return false;
}

static void figures(const prn_data *p, size_t ci, prn_doc *d)
{
    const khum_election *e = &p->v.e;
    const khum_election_commune *c = &e->communes[ci];
    bool blank = has_blank(p, c);
    prn_heading(d, prn_t(d, "លទ្ធផលតាមការិយាល័យបោះឆ្នោត", "The stations' forms"));
    const char *h[] = {prn_t(d, "ការិយាល័យ", "Station"),
                       prn_t(d, "អ្នកចុះឈ្មោះ", "Registered"),
                       prn_t(d, "សន្លឹកឆ្នោតបានប្រើ", "Cast"),
                       prn_t(d, "សន្លឹកឆ្នោតត្រឹមត្រូវ", "Valid"),
                       prn_t(d, "សន្លឹកឆ្នោតមិនត្រឹមត្រូវ", "Invalid"),
                       prn_t(d, "សន្លឹកឆ្នោតទទេ", "Blank")};
    static const double w[] = {2, 1.4, 1.4, 1.4, 1.4, 1.4};
    int ncol = blank ? 6 : 5;
    prn_table(d, ncol, w, "lrrrrr", h);
    int64_t sum[5] = {0};
    for (size_t k = 0; k < c->nstations; k++) {
        const khum_station *st = &e->stations[c->first_station + k];
        const khum_form *f = form_of(p, st->code);
        int64_t v[5] = {st->registered, f ? f->cast : 0, f ? f->valid : 0,
                        f ? f->invalid : 0, f ? f->blank : 0};
        const char *r[6] = {prn_digits(d, st->code)};
        for (int i = 0; i < 5; i++) {
            sum[i] += v[i];
            r[i + 1] = f || i == 0 ? prn_num(d, v[i]) : prn_t(d, "មិនទាន់មាន", "not yet");
        }
        prn_row(d, r);
    }
    const char *t[6] = {prn_t(d, "សរុប", "Total")};
    for (int i = 0; i < 5; i++)
        t[i + 1] = prn_num(d, sum[i]);
    prn_row_bold(d, t);

    /* votes per list: lists down, stations across, a few at a time */
    enum { PER = 8 };
    for (size_t from = 0; from < c->nstations || from == 0; from += PER) {
        size_t n = c->nstations - from < PER ? c->nstations - from : PER;
        bool last = from + n >= c->nstations;
        const char *vh[PER + 3] = {prn_t(d, "លេខ", "No."), prn_t(d, "គណបក្ស", "List")};
        double vw[PER + 3] = {0.6, 2};
        char al[PER + 4] = "rl";
        for (size_t k = 0; k < n; k++) {
            vh[2 + k] = prn_digits(d, e->stations[c->first_station + from + k].code);
            vw[2 + k] = 1.3;
            strcat(al, "r");
        }
        if (last) {
            vh[2 + n] = prn_t(d, "សរុប", "Total");
            vw[2 + n] = 1.3;
            strcat(al, "r");
        }
        prn_space(d, 6);
        prn_table(d, (int)(2 + n + last), vw, al, vh);
        for (size_t l = 0; l < c->nlists; l++) {
            const khum_contest_list *cl = &e->lists[c->first_list + l];
            const char *r[PER + 3] = {prn_num(d, cl->ballot_no), label(p, cl->party)};
            int64_t total = 0;
            for (size_t k = 0; k < c->nstations; k++) {
                int64_t v = votes_of(form_of(p, e->stations[c->first_station + k].code),
                                     cl->party);
                total += v;
                if (k >= from && k < from + n)
                    r[2 + k - from] = prn_num(d, v);
            }
            if (last)
                r[2 + n] = prn_num(d, total);
            prn_row(d, r);
        }
        if (!c->nstations)
            break;
    }
}

static const char *frac_text(prn_doc *d, khum_frac f)
{
    char dec[48], ex[64];
    khum_frac_format(f, dec, sizeof dec);
    alloc_print_exact(f, ex, sizeof ex);
    return prn_digits(d, strcmp(dec, ex) ? prn_fmt(d, "%s (%s)", dec, ex) : dec);
}

static const char *step_kind(prn_doc *d, khum_step_kind k)
{
    switch (k) {
    case KHUM_STEP_QUOTA: return prn_t(d, "កូតាពេញ", "full quota");
    case KHUM_STEP_AVERAGE: return prn_t(d, "មធ្យមភាគខ្ពស់បំផុត", "highest average");
    case KHUM_STEP_REMAINDER: return prn_t(d, "សំណល់ធំបំផុត", "largest remainder");
    default: return prn_t(d, "ដកវិញ", "taken back");
    }
}

/* Who drew the commune's lots and when: its lots.draw event. */
static void lots_drawn(khum_store *s, const prn_data *p, const char *commune, prn_doc *d)
{
    const char *seed = prn_lots_seed(p, commune);
    if (!seed)
        return;
    khum_audit_filter f = {.type = "lots.draw", .area = commune};
    khum_audit_event *ev = NULL;
    size_t n = 0;
    khum_err err;
    khum_err_clear(&err);
    if (khum_store_audit_list(s, &f, d->arena, &ev, &n, &err))
        n = 0;  /* the seed still prints; who and when are a courtesy of the log */
    const khum_audit_event *last = NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(ev[i].area, commune))
            last = &ev[i];
    prn_para(d, prn_fmt(d, "%s: %s · %s: %s · %s: %s",
                        prn_t(d, "គ្រាប់ឆ្នោត (seed)", "Lots seed"), seed,
                        prn_t(d, "ចាប់ដោយ", "drawn by"), last ? last->actor : "?",
                        prn_t(d, "នៅ", "at"), last ? prn_digits(d, last->at) : "?"));
}

static khum_code allocation(khum_store *s, const prn_data *p, size_t ci, prn_doc *d,
                            khum_err *err)
{
    const khum_election *e = &p->v.e;
    const khum_tally_commune *tc = &p->v.t.communes[ci];
    const char *code = e->communes[ci].code;
    prn_heading(d, prn_t(d, "ការបែងចែកអាសនៈមួយជំហានម្តងៗ", "The seat allocation, step by step"));
    if (!tc->allocated && !tc->needs_lots) {
        prn_para(d, prn_t(d, "មិនទាន់បែងចែក៖ ការិយាល័យខ្លះមិនទាន់មានលទ្ធផល",
                          "Not allocated yet: some stations have no accepted result"));
        return KHUM_OK;
    }
    khum_alloc_rules rules;
    khum_alloc_input in;
    khum_code rc = khum_tally_alloc_input(e, &p->v.t, ci, prn_lots_seed(p, code), d->arena,
                                          &rules, &in);
    if (rc)
        return khum_err_set(err, rc, "", "out of memory printing commune %s", code);
    const khum_alloc_result *r = &tc->alloc;
    if (r->quota.num)
        prn_para(d, prn_fmt(d, "%s: %s", prn_t(d, "កូតា", "Quota"), frac_text(d, r->quota)));
    if (r->degenerate)
        prn_para(d, prn_t(d, "នីតិវិធីច្បាប់ត្រឡប់ទៅ D'Hondt", "The statutory procedure fell "
                          "back to D'Hondt (degenerate input)"));
    const char *h[] = {prn_t(d, "អាសនៈ", "Seat"), prn_t(d, "គណបក្ស", "List"),
                       prn_t(d, "ប្រភេទ", "Kind"), prn_t(d, "តម្លៃ", "Value"),
                       prn_t(d, "អ្នកចាញ់ល្អបំផុត", "Best loser"),
                       prn_t(d, "តម្លៃរបស់វា", "Its value"), prn_t(d, "ស្មើ", "Tie")};
    static const double w[] = {0.6, 1.3, 1.5, 1.7, 1.3, 1.7, 1};
    prn_table(d, 7, w, "rllrlrl", h);
    for (size_t k = 0; k < r->nsteps; k++) {
        const khum_alloc_step *st = &r->steps[k];
        const char *row[] = {prn_num(d, st->seat), label(p, in.parties[st->party].name),
                             step_kind(d, st->kind), frac_text(d, st->value),
                             st->runner_up >= 0 ? label(p, in.parties[st->runner_up].name) : "",
                             st->runner_up >= 0 ? frac_text(d, st->runner_value) : "",
                             khum_tie_how_name(st->tie)};
        prn_row(d, row);
    }
    for (size_t t = 0; t < r->nties; t++) {
        const khum_alloc_tie *tie = &r->ties[t];
        khum_buf b;
        khum_buf_init(&b);
        khum_buf_printf(&b, "%s %s–%s, %s %s: ", prn_t(d, "ស្មើគ្នាលើអាសនៈ", "Tie for seats"),
                        prn_num(d, tie->first_seat),
                        prn_num(d, tie->first_seat + tie->nseats - 1),
                        prn_t(d, "តម្លៃ", "value"), frac_text(d, tie->value));
        for (int k = 0; k < tie->nparties; k++)
            khum_buf_printf(&b, "%s%s", k ? ", " : "", label(p, in.parties[tie->parties[k]].name));
        khum_buf_printf(&b, "; %s: %s", prn_t(d, "សម្រេចដោយ", "settled by"),
                        khum_tie_how_name(tie->how));
        if (tie->nwinners) {
            khum_buf_printf(&b, "; %s: ", prn_t(d, "អ្នកឈ្នះ", "won by"));
            for (int k = 0; k < tie->nwinners; k++)
                khum_buf_printf(&b, "%s%s", k ? ", " : "",
                                label(p, in.parties[tie->winners[k]].name));
        }
        if (tie->draw)
            khum_buf_printf(&b, "; %s %s", prn_t(d, "ការចាប់ឆ្នោតលេខ", "lot draw no."),
                            prn_num(d, tie->draw));
        prn_para(d, prn_fmt(d, "%s", b.data ? b.data : ""));
        khum_buf_free(&b);
    }
    if (tc->needs_lots)
        prn_para(d, prn_t(d, "ត្រូវចាប់ឆ្នោត៖ អាសនៈអាស្រ័យលើភាពស្មើគ្នា",
                          "LOTS NEEDED: a tie decides a seat and no lots are recorded "
                          "(khum lots COMMUNE SEED)"));
    lots_drawn(s, p, code, d);
    return KHUM_OK;
}

static void seats(const prn_data *p, size_t ci, prn_doc *d)
{
    const khum_election *e = &p->v.e;
    const khum_election_commune *c = &e->communes[ci];
    const khum_tally_commune *tc = &p->v.t.communes[ci];
    prn_heading(d, prn_t(d, "អាសនៈតាមបញ្ជីបេក្ខជន", "Seats per list"));
    const char *h[] = {prn_t(d, "លេខ", "No."), prn_t(d, "គណបក្ស", "List"),
                       prn_t(d, "សំឡេងឆ្នោត", "Votes"), prn_t(d, "អាសនៈ", "Seats")};
    static const double w[] = {0.6, 3, 1.5, 1};
    prn_table(d, 4, w, "rlrr", h);
    for (size_t l = 0; l < c->nlists; l++) {
        const khum_contest_list *cl = &e->lists[c->first_list + l];
        int pi = khum_tally_party_index(&p->v.t, cl->party);
        const char *r[] = {prn_num(d, cl->ballot_no), label(p, cl->party),
                           prn_num(d, pi >= 0 ? tc->area.votes[pi] : 0),
                           prn_num(d, tc->allocated ? tc->alloc.seats[l] : 0)};
        prn_row(d, r);
    }
}

/* The council on polling day with its posts, as khum council show forms it. */
static khum_code council(khum_store *s, const prn_data *p, size_t ci, prn_doc *d,
                         khum_err *err)
{
    prn_heading(d, prn_t(d, "ក្រុមប្រឹក្សា និងតួនាទី", "The council and its posts"));
    khum_council_rules rules;
    khum_council_rules_default(&rules);
    khum_council c;
    khum_changes ch = {0};
    khum_err e2;
    khum_err_clear(&e2);
    if (khum_app_council(s, &p->v.e, &p->v.t, p->v.e.communes[ci].code, p->v.e.date, &rules,
                         d->arena, &c, &ch, &e2)) {
        if (e2.code == KHUM_ERR_NOMEM || e2.code == KHUM_ERR_INTERNAL || e2.code == KHUM_ERR_STORE) {
            *err = e2;
            return e2.code;
        }
        /* not official yet, no candidate lists: said, not fatal */
        prn_para(d, prn_fmt(d, "%s [%s]", e2.msg, e2.rule));
        return KHUM_OK;
    }
    const char *h[] = {prn_t(d, "តួនាទី", "Post"), prn_t(d, "ឈ្មោះ", "Name"),
                       prn_t(d, "គណបក្ស", "Party"), prn_t(d, "លំដាប់", "List pos.")};
    static const double w[] = {1.5, 3, 1.2, 0.8};
    prn_table(d, 4, w, "lllr", h);
    const khum_member *order[64];
    size_t n = 0;
    for (int post = KHUM_POST_CHIEF; post <= KHUM_POST_DEPUTY2; post++) {
        const khum_member *m = khum_council_post_holder(&c, (khum_post)post);
        if (m && n < 64)
            order[n++] = m;
    }
    for (size_t k = 0; k < c.n && n < 64; k++)
        if (c.m[k].post == KHUM_POST_NONE)
            order[n++] = &c.m[k];
    for (size_t k = 0; k < n; k++) {
        const khum_member *m = order[k];
        const char *r[] = {prn_post_name(d, m->post), m->name && *m->name ? m->name : m->person,
                           label(p, m->party), prn_num(d, m->list_pos)};
        prn_row(d, r);
    }
    return KHUM_OK;
}

static const char *check_message(const prn_data *p, const khum_form *f, const char *code)
{
    static const char none[] = "";
    if (!f)
        return none;
    khum_checks ck;
    khum_form_check(&p->v.e, f, &ck);
    for (size_t i = 0; i < ck.n; i++)
        if (!strcmp(ck.items[i].code, code))
            return khum_arena_strdup((khum_arena *)&p->arena, ck.items[i].msg);
    return none;
}

static void warnings(const prn_data *p, size_t ci, prn_doc *d)
{
    const char *code = p->v.e.communes[ci].code;
    bool any = false;
    for (size_t i = 0; i < p->v.nexpl; i++) {
        const khum_explanation_row *x = &p->v.expl[i];
        const khum_station *st = khum_election_station_find(&p->v.e, x->station);
        if (!st || strcmp(st->commune, code))
            continue;
        if (!any) {
            prn_heading(d, prn_t(d, "ការពន្យល់អំពីការព្រមាន", "Warnings and their explanations"));
            const char *h[] = {prn_t(d, "ការិយាល័យ", "Station"), prn_t(d, "ការព្រមាន", "Warning"),
                               prn_t(d, "ការពិនិត្យ", "Check"), prn_t(d, "ការពន្យល់", "Explanation")};
            static const double w[] = {1.2, 0.8, 3, 3};
            prn_table(d, 4, w, "llll", h);
            any = true;
        }
        const char *r[] = {prn_digits(d, x->station), x->code,
                           check_message(p, form_of(p, x->station), x->code), x->text};
        prn_row(d, r);
    }
}

static void correction_rows(prn_doc *d, const prn_data *p, const khum_form *a, const khum_form *b)
{
    static const char *const names[] = {"registered", "received", "cast", "spoiled",
                                         "unused", "valid", "invalid", "blank"};
    int64_t va[] = {a->registered, a->received, a->cast, a->spoiled, a->unused, a->valid,
                    a->invalid, a->blank};
    int64_t vb[] = {b->registered, b->received, b->cast, b->spoiled, b->unused, b->valid,
                    b->invalid, b->blank};
    for (int i = 0; i < 8; i++)
        if (va[i] != vb[i]) {
            const char *r[] = {names[i], prn_num(d, va[i]), prn_num(d, vb[i])};
            prn_row(d, r);
        }
    for (size_t k = 0; k < b->n; k++) {
        int64_t old = votes_of(a, b->party[k]);
        if (old != b->votes[k]) {
            const char *r[] = {label(p, b->party[k]), prn_num(d, old), prn_num(d, b->votes[k])};
            prn_row(d, r);
        }
    }
}

/* A station whose latest version is not its first was corrected after
 * official: both versions named, each changed figure with both values. */
static khum_code corrections(khum_store *s, const prn_data *p, size_t ci, prn_doc *d,
                             khum_err *err)
{
    const khum_election_commune *c = &p->v.e.communes[ci];
    bool any = false;
    for (size_t k = 0; k < c->nstations; k++) {
        const char *code = p->v.e.stations[c->first_station + k].code;
        khum_form_version now, before;
        khum_form fa, fb;
        khum_code rc = khum_store_form_version(s, p->v.e.id, code, 0, d->arena, &now, err);
        if (rc)
            return rc;
        if (!now.exists || now.version < 2 || !now.accepted_entry)
            continue;
        if ((rc = khum_store_form_version(s, p->v.e.id, code, now.version - 1, d->arena,
                                          &before, err)))
            return rc;
        if (!before.accepted_entry)
            continue;
        if ((rc = khum_store_load_entry(s, before.accepted_entry, d->arena, &fa, err)) ||
            (rc = khum_store_load_entry(s, now.accepted_entry, d->arena, &fb, err)))
            return rc;
        if (!any)
            prn_heading(d, prn_t(d, "ការកែតម្រូវក្រោយលទ្ធផលផ្លូវការ",
                                 "Corrections after official"));
        any = true;
        prn_para(d, prn_fmt(d, "%s %s: %s %s → %s %s (%s: %s%s%s)",
                            prn_t(d, "ការិយាល័យ", "Station"), prn_digits(d, code),
                            prn_t(d, "កំណែ", "version"), prn_num(d, before.version),
                            prn_t(d, "កំណែ", "version"), prn_num(d, now.version),
                            prn_t(d, "មូលហេតុ", "reason"), now.reason ? now.reason : "",
                            now.reference && *now.reference ? "; " : "",
                            now.reference ? now.reference : ""));
        const char *h[] = {prn_t(d, "តួលេខ", "Figure"),
                           prn_fmt(d, "%s %s", prn_t(d, "កំណែ", "Version"),
                                   prn_num(d, before.version)),
                           prn_fmt(d, "%s %s", prn_t(d, "កំណែ", "Version"),
                                   prn_num(d, now.version))};
        static const double w[] = {2, 1.5, 1.5};
        prn_table(d, 3, w, "lrr", h);
        correction_rows(d, p, &fa, &fb);
    }
    return KHUM_OK;
}

/* The seats under the other Cambodian formula, the 1998 one (averages
 * computed once) or the statutory one: what the law's change did here. */
static void what_if(const prn_data *p, size_t ci, prn_doc *d)
{
    const khum_election *e = &p->v.e;
    const khum_tally_commune *tc = &p->v.t.communes[ci];
    if (!tc->allocated)
        return;
    khum_alloc_rules rules;
    khum_alloc_input in;
    khum_alloc_result r;
    khum_err err;
    khum_err_clear(&err);
    if (khum_tally_alloc_input(e, &p->v.t, ci, prn_lots_seed(p, e->communes[ci].code),
                               d->arena, &rules, &in))
        return;
    khum_method other = e->method == KHUM_METHOD_CAMBODIA_1998 ? KHUM_METHOD_CAMBODIA
                                                               : KHUM_METHOD_CAMBODIA_1998;
    rules.method = other;
    prn_heading(d, prn_t(d, "ឧបមាថា៖ រូបមន្តឆ្នាំ១៩៩៨", "What-if: the 1998 formula"));
    if (khum_alloc_run(&rules, &in, d->arena, &r, &err)) {
        prn_para(d, prn_fmt(d, "%s [%s]", err.msg, err.rule));
        return;
    }
    prn_small(d, prn_t(d, "សម្រាប់ព័ត៌មានតែប៉ុណ្ណោះ៖ មិនមែនជាលទ្ធផលទេ",
                       "For information only: not the result. The same votes allocated "
                       "with the other Cambodian formula."));
    const char *h[] = {prn_t(d, "គណបក្ស", "List"), khum_method_name(e->method),
                       khum_method_name(other)};
    static const double w[] = {3, 1.5, 1.5};
    prn_table(d, 3, w, "lrr", h);
    bool differ = false;
    for (size_t k = 0; k < in.n; k++) {
        differ |= r.seats[k] != tc->alloc.seats[k];
        const char *row[] = {label(p, in.parties[k].name), prn_num(d, tc->alloc.seats[k]),
                             prn_num(d, r.seats[k])};
        prn_row(d, row);
    }
    prn_small(d, differ ? prn_t(d, "រូបមន្តទាំងពីរផ្តល់លទ្ធផលខុសគ្នា", "The two formulas differ here.")
                        : prn_t(d, "រូបមន្តទាំងពីរផ្តល់លទ្ធផលដូចគ្នា", "Both formulas give the same seats."));
}

/* The commission that signs: the rule set's default, or the caller's. */
static const char *signatories(prn_doc *d, const prn_data *p, const khum_print_opts *o)
{
    if (o->signatories && *o->signatories)
        return o->signatories;
    if (p->v.e.posts == KHUM_POSTS_HEAD)  /* Portugal, Spain: the count's assembly */
        return prn_fmt(d, "%s;%s;%s;%s", prn_t(d, "ប្រធាន", "President"),
                       prn_t(d, "លេខាធិការ", "Secretary"), prn_t(d, "សមាជិក", "Member"),
                       prn_t(d, "សមាជិក", "Member"));
    /* Cambodia: the commune election commission (LECC) */
    return prn_fmt(d, "%s;%s;%s;%s;%s", prn_t(d, "ប្រធាន គ.ឃ.ស", "Chair of the CEC"),
                   prn_t(d, "អនុប្រធាន", "Deputy chair"), prn_t(d, "លេខាធិការ", "Secretary"),
                   prn_t(d, "សមាជិក", "Member"), prn_t(d, "សមាជិក", "Member"));
}

khum_code prn_protocol(khum_store *s, const prn_data *p, size_t ci, const khum_print_opts *o,
                       prn_doc *d, khum_err *err)
{
    head(p, ci, d);
    figures(p, ci, d);
    khum_code rc = allocation(s, p, ci, d, err);
    if (rc)
        return rc;
    seats(p, ci, d);
    if ((rc = council(s, p, ci, d, err)))
        return rc;
    warnings(p, ci, d);
    if ((rc = corrections(s, p, ci, d, err)))
        return rc;
    what_if(p, ci, d);
    prn_heading(d, prn_t(d, "ហត្ថលេខា", "Signatures"));
    prn_signatures(d, signatories(d, p, o));
    return KHUM_OK;
}
