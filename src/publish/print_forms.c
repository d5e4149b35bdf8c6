/*
 * print_forms.c: the three other printed documents. Form 1102, one page per
 * station, pre-printed with what the election already knows (the station,
 * its register, the commune's lists in ballot order) and empty boxes for
 * the count, the arithmetic checks beside them, and a QR code that data
 * entry scans to open the right form of the right election. The summary:
 * the results table of `khum tally` for an area and the areas one level
 * down, OFFICIAL or PROVISIONAL on every page. The council certificate:
 * the council on a date, every seat and post with since when and why.
 */
#include <stdio.h>
#include <string.h>

#include "print_impl.h"

static void form_page(const prn_data *p, const khum_election_commune *c,
                      const khum_station *st, prn_doc *d)
{
    const khum_election *e = &p->v.e;
    bool blank = e->threshold_base == KHUM_BASE_VALID_BLANK;
    prn_title(d, prn_t(d, "ទម្រង់ ១១០២៖ កំណត់ហេតុរាប់សន្លឹកឆ្នោត",
                       "Form 1102: record of the count at a polling station"));
    prn_qr(d, prn_fmt(d, "khum:1102:%s:%s", e->hash, st->code), 96);
    prn_para(d, prn_fmt(d, "%s: %s", prn_t(d, "ការបោះឆ្នោត", "Election"), e->id));
    prn_para(d, prn_fmt(d, "%s: %s", prn_t(d, "ឃុំ សង្កាត់", "Commune"),
                        prn_area_name(d, p, c->code)));
    prn_para(d, prn_fmt(d, "%s: %s", prn_t(d, "ការិយាល័យបោះឆ្នោត", "Polling station"),
                        prn_digits(d, st->code)));
    prn_para(d, prn_fmt(d, "%s: %s", prn_t(d, "អ្នកបោះឆ្នោតចុះឈ្មោះ", "Registered voters"),
                        prn_num(d, st->registered)));
    prn_space(d, 40);
    static const double w[] = {0.4, 3, 1.6, 2.4};
    const char *h[] = {"", prn_t(d, "តួលេខ", "Figure"), prn_t(d, "ចំនួន", "Number"),
                       prn_t(d, "ការពិនិត្យ", "Check")};
    prn_table(d, 4, w, "rlrl", h);
    const char *rows[][3] = {
        {"A", prn_t(d, "សន្លឹកឆ្នោតបានទទួល", "Ballots received"), ""},
        {"B", prn_t(d, "សន្លឹកឆ្នោតបានប្រើ", "Ballots cast"), prn_fmt(d, "B ≤ %s",
                                                            prn_num(d, st->registered))},
        {"C", prn_t(d, "សន្លឹកឆ្នោតខូច", "Spoiled ballots"), ""},
        {"D", prn_t(d, "សន្លឹកឆ្នោតមិនបានប្រើ", "Unused ballots"), "A = B + C + D"},
        {"E", prn_t(d, "សន្លឹកឆ្នោតត្រឹមត្រូវ", "Valid ballots"), blank ? "B = E + F + G"
                                                                      : "B = E + F"},
        {"F", prn_t(d, "សន្លឹកឆ្នោតមិនត្រឹមត្រូវ", "Invalid ballots"), ""},
        {"G", prn_t(d, "សន្លឹកឆ្នោតទទេ", "Blank ballots"), ""},
    };
    for (size_t i = 0; i < (blank ? 7u : 6u); i++) {
        const char *r[] = {rows[i][0], rows[i][1], "", rows[i][2]};
        prn_row_boxes(d, r, 22);
    }
    prn_space(d, 8);
    const char *lh[] = {prn_t(d, "លេខ", "No."), prn_t(d, "គណបក្ស", "List"),
                        prn_t(d, "សំឡេងឆ្នោត", "Votes"), prn_t(d, "ការពិនិត្យ", "Check")};
    prn_table(d, 4, w, "rlrl", lh);
    for (size_t l = 0; l < c->nlists; l++) {
        const khum_contest_list *cl = &e->lists[c->first_list + l];
        const char *r[] = {prn_num(d, cl->ballot_no), tally_view_party_label(&p->v, cl->party),
                           "", l + 1 == c->nlists ? prn_t(d, "ផលបូក = E", "sum = E") : ""};
        prn_row_boxes(d, r, 22);
    }
    prn_heading(d, prn_t(d, "ហត្ថលេខា", "Signatures"));
    prn_signatures(d, prn_fmt(d, "%s;%s;%s", prn_t(d, "ប្រធានការិយាល័យ", "Station chair"),
                              prn_t(d, "លេខាធិការ", "Secretary"),
                              prn_t(d, "ភ្នាក់ងារគណបក្ស", "Party agent")));
}

void prn_forms(const prn_data *p, size_t ci, prn_doc *d)
{
    const khum_election_commune *c = &p->v.e.communes[ci];
    for (size_t k = 0; k < c->nstations; k++) {
        if (k)
            prn_new_page(d);
        form_page(p, c, &p->v.e.stations[c->first_station + k], d);
    }
}

/* ---- the summary ------------------------------------------------------------- */

static void area_figures(const prn_data *p, const khum_tally_area *a, prn_doc *d)
{
    static const double w[] = {3, 2};
    prn_table(d, 2, w, "lr", NULL);
    const char *rows[][2] = {
        {prn_t(d, "អ្នកចុះឈ្មោះ", "Registered"), prn_num(d, a->registered)},
        {prn_t(d, "សន្លឹកឆ្នោតបានប្រើ", "Cast"), prn_num(d, a->cast)},
        {prn_t(d, "អត្រាចូលរួម", "Turnout"),
         prn_digits(d, a->registered ? prn_fmt(d, "%.2f %%", 100.0 * (double)a->cast /
                                                                 (double)a->registered)
                                     : "–")},
        {prn_t(d, "សន្លឹកឆ្នោតត្រឹមត្រូវ", "Valid"), prn_num(d, a->valid)},
        {prn_t(d, "សន្លឹកឆ្នោតមិនត្រឹមត្រូវ", "Invalid"), prn_num(d, a->invalid)},
        {prn_t(d, "ការិយាល័យបានរាយការណ៍", "Stations reported"),
         prn_fmt(d, "%s / %s", prn_num(d, a->stations_reported),
                 prn_num(d, a->stations_expected))},
        {prn_t(d, "ឃុំបានបែងចែកអាសនៈ", "Communes allocated"),
         prn_fmt(d, "%s / %s", prn_num(d, a->communes_allocated), prn_num(d, a->communes))},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        prn_row(d, rows[i]);
    (void)p;
}

static void area_parties(const prn_data *p, const khum_tally_area *a, prn_doc *d)
{
    const khum_tally *t = &p->v.t;
    prn_heading(d, prn_t(d, "សំឡេងឆ្នោត និងអាសនៈតាមគណបក្ស", "Votes and seats per party"));
    const char *h[] = {prn_t(d, "គណបក្ស", "Party"), prn_t(d, "សំឡេងឆ្នោត", "Votes"),
                       prn_t(d, "ភាគរយ", "Share"), prn_t(d, "អាសនៈ", "Seats"),
                       prn_t(d, "មេឃុំ", "Chiefs")};
    static const double w[] = {2.5, 1.5, 1, 1, 1};
    prn_table(d, 5, w, "lrrrr", h);
    int64_t sum = 0;
    for (size_t i = 0; i < t->nparties; i++)
        sum += a->votes[i];
    for (size_t i = 0; i < t->nparties; i++) {
        if (!a->votes[i] && !a->seats[i])
            continue;
        const char *r[] = {tally_view_party_label(&p->v, t->parties[i]), prn_num(d, a->votes[i]),
                           prn_digits(d, sum ? prn_fmt(d, "%.2f %%", 100.0 * (double)a->votes[i] /
                                                                           (double)sum)
                                             : "–"),
                           prn_num(d, a->seats[i]), prn_num(d, a->chiefs[i])};
        prn_row(d, r);
    }
}

static void sub_row(const prn_data *p, const khum_tally_area *a, prn_doc *d)
{
    const char *r[] = {prn_area_name(d, p, a->code), prn_num(d, a->registered),
                       prn_num(d, a->cast), prn_num(d, a->valid), prn_num(d, a->seats_total),
                       prn_fmt(d, "%s / %s", prn_num(d, a->stations_reported),
                               prn_num(d, a->stations_expected))};
    prn_row(d, r);
}

void prn_summary(const prn_data *p, const char *area, prn_doc *d)
{
    const khum_tally *t = &p->v.t;
    const khum_tally_area *a = *area ? tally_view_area(&p->v, area) : &t->nation;
    char status[160];
    tally_view_status(&p->v, area, status, sizeof status);
    bool official = !strncmp(status, "official", 8);
    int64_t n = 0, done = 0;   /* the area's communes, and those official */
    for (size_t i = 0; i < p->v.e.ncommunes; i++) {
        const char *code = p->v.e.communes[i].code;
        if (*area && !tally_view_commune_within(&p->v, code, area))
            continue;
        n++;
        for (size_t k = 0; k < p->v.nofficial; k++)
            done += !strcmp(p->v.official[k], code);
    }
    const char *km = prn_fmt(d, "បណ្ដោះអាសន្ន៖ ឃុំផ្លូវការ %s នៃ %s", prn_num(d, done),
                             prn_num(d, n));
    const char *en = prn_fmt(d, "PROVISIONAL: %s of %s communes official", prn_num(d, done),
                             prn_num(d, n));
    d->status = official ? prn_t(d, "ផ្លូវការ", "OFFICIAL") : prn_t(d, km, en);
    prn_title(d, prn_fmt(d, "%s: %s", prn_t(d, "តារាងសង្ខេបលទ្ធផល", "Summary of results"),
                         prn_area_name(d, p, area)));
    if (p->v.e.synthetic)
        prn_para(d, prn_t(d, "ទិន្នន័យសិប្បនិម្មិត", "SYNTHETIC DATA: invented results"));
    prn_para(d, prn_fmt(d, "%s: %s (%s)", prn_t(d, "ការបោះឆ្នោត", "Election"), p->v.e.id,
                        prn_digits(d, p->v.e.date)));
    area_figures(p, a, d);
    area_parties(p, a, d);
    prn_heading(d, prn_t(d, "តាមតំបន់", "By area"));
    const char *h[] = {prn_t(d, "តំបន់", "Area"), prn_t(d, "អ្នកចុះឈ្មោះ", "Registered"),
                       prn_t(d, "បានប្រើ", "Cast"), prn_t(d, "ត្រឹមត្រូវ", "Valid"),
                       prn_t(d, "អាសនៈ", "Seats"), prn_t(d, "ការិយាល័យ", "Stations")};
    static const double w[] = {3, 1.3, 1.3, 1.3, 0.8, 1.3};
    prn_table(d, 6, w, "lrrrrr", h);
    const char *code = a->code ? a->code : "";
    for (size_t i = 0; i < t->nprovinces; i++)
        if (!strcmp(khum_tally_area_parent(&t->provinces[i]), code))
            sub_row(p, &t->provinces[i], d);
    for (size_t i = 0; i < t->ndistricts; i++)
        if (!strcmp(khum_tally_area_parent(&t->districts[i]), code))
            sub_row(p, &t->districts[i], d);
    for (size_t i = 0; i < t->ncommunes; i++)
        if (!strcmp(khum_tally_area_parent(&t->communes[i].area), code))
            sub_row(p, &t->communes[i].area, d);
}

/* ---- the council certificate ------------------------------------------------- */

khum_code prn_council(khum_store *s, const prn_data *p, size_t ci, const char *on,
                      prn_doc *d, khum_err *err)
{
    const khum_election *e = &p->v.e;
    char day[11], end[11];
    bool clamped;
    khum_code rc = khum_app_council_day(s, e, on, day, end, &clamped, err);
    if (rc)
        return rc;
    khum_council_rules rules;
    khum_council_rules_default(&rules);
    khum_council c;
    khum_changes ch = {0};
    if ((rc = khum_app_council(s, e, &p->v.t, e->communes[ci].code, day, &rules, d->arena, &c,
                               &ch, err)))
        return rc;
    prn_title(d, prn_t(d, "វិញ្ញាបនបត្រសមាសភាពក្រុមប្រឹក្សាឃុំ សង្កាត់",
                       "Certificate of the commune council"));
    prn_para(d, prn_fmt(d, "%s: %s", prn_t(d, "ឃុំ សង្កាត់", "Commune"),
                        prn_area_name(d, p, c.commune)));
    prn_para(d, prn_fmt(d, "%s: %s · %s: %s / %s", prn_t(d, "កាលបរិច្ឆេទ", "On"),
                        prn_digits(d, day), prn_t(d, "អាសនៈ", "Seats filled"),
                        prn_num(d, (int64_t)c.n), prn_num(d, c.seats)));
    const char *h[] = {prn_t(d, "តួនាទី", "Seat or post"), prn_t(d, "ឈ្មោះ", "Name"),
                       prn_t(d, "គណបក្ស", "Party"), prn_t(d, "ចាប់ពី", "Since"),
                       prn_t(d, "មូលហេតុ", "Why")};
    static const double w[] = {1.4, 2.4, 1, 1.2, 2.4};
    prn_table(d, 5, w, "lllll", h);
    for (int post = KHUM_POST_CHIEF; post <= KHUM_POST_DEPUTY2; post++) {
        const khum_member *m = khum_council_post_holder(&c, (khum_post)post);
        if (!m)
            continue;
        const char *why = m->post_why ? m->post_why : m->why;
        if (m->post_since && strcmp(m->post_since, m->since))
            why = prn_fmt(d, "%s (%s %s, %s)", why, prn_t(d, "សមាជិកចាប់ពី", "councillor since"),
                          prn_digits(d, m->since), m->why);
        const char *r[] = {prn_post_name(d, m->post), m->name && *m->name ? m->name : m->person,
                           tally_view_party_label(&p->v, m->party),
                           prn_digits(d, m->post_since ? m->post_since : m->since), why};
        prn_row(d, r);
    }
    for (size_t k = 0; k < c.n; k++) {
        const khum_member *m = &c.m[k];
        if (m->post != KHUM_POST_NONE)
            continue;
        const char *r[] = {prn_post_name(d, m->post), m->name && *m->name ? m->name : m->person,
                           tally_view_party_label(&p->v, m->party), prn_digits(d, m->since),
                           m->why};
        prn_row(d, r);
    }
    if (ch.n) {
        prn_heading(d, prn_t(d, "ការផ្លាស់ប្តូរ", "Changes up to that date"));
        const char *hh[] = {prn_t(d, "កាលបរិច្ឆេទ", "Date"), prn_t(d, "ព្រឹត្តិការណ៍", "Event"),
                            prn_t(d, "ឈ្មោះ", "Person"), prn_t(d, "ព័ត៌មាន", "Detail")};
        static const double hw[] = {1.2, 1.4, 1.6, 4};
        prn_table(d, 4, hw, "llll", hh);
        for (size_t i = 0; i < ch.n; i++) {
            const char *r[] = {prn_digits(d, ch.v[i].date),
                               prn_fmt(d, "%lld %s", (long long)ch.v[i].event, ch.v[i].what),
                               ch.v[i].person, ch.v[i].detail};
            prn_row(d, r);
        }
    }
    return KHUM_OK;
}
