/*
 * print.c: the four printed documents' entry points (khum/print.h). Each
 * checks the Khmer font first (PRN.950: a protocol silently set in boxes
 * would be signed unread), loads the election's data once (prn_data), has
 * its builder lay the pages out and ends them with the footer. The data
 * version's own time dates the PDF, so printing twice gives the same bytes.
 */
#include <stdio.h>
#include <string.h>

#include "khum/print.h"
#include "print_impl.h"

khum_code prn_data_load(khum_store *s, const char *election, prn_data *p, khum_err *err)
{
    memset(p, 0, sizeof *p);
    khum_arena_init(&p->arena, 0);
    khum_code rc = tally_view_load(s, election, &p->v, err);
    if (rc) {
        khum_arena_free(&p->arena);
        return rc;
    }
    khum_audit_event *ev = NULL;
    size_t n = 0;
    if (!(rc = khum_store_current_forms(s, p->v.e.id, &p->arena, &p->forms, &p->nforms, err)) &&
        !(rc = khum_store_list_lots(s, p->v.e.id, &p->arena, &p->lots, &p->nlots, err)) &&
        !(rc = khum_store_audit_head(s, &p->head_id, p->head, err))) {
        khum_audit_filter f = {.after_id = p->head_id - 1, .limit = 1};
        rc = khum_store_audit_list(s, &f, &p->arena, &ev, &n, err);
    }
    if (rc) {
        prn_data_free(p);
        return rc;
    }
    /* Each station's form by the election's station index: a protocol looks
     * up every station of its commune, a bundle every station of the land. */
    p->by_station = khum_arena_calloc(&p->arena, p->v.e.nstations + 1, sizeof *p->by_station);
    if (!p->by_station) {
        prn_data_free(p);
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    for (size_t i = 0; i < p->nforms; i++) {
        const khum_station *st = khum_form_station(&p->v.e, &p->forms[i]);
        if (st)
            p->by_station[st - p->v.e.stations] = &p->forms[i];
    }
    /* "2026-11-21T05:00:00.123Z" -> "2026-11-21T05:00:00" (cairo's form) */
    snprintf(p->pdf_date, sizeof p->pdf_date, "%.19s",
             n && ev[0].at ? ev[0].at : "2000-01-01T00:00:00");
    return KHUM_OK;
}

void prn_data_free(prn_data *p)
{
    tally_view_free(&p->v);
    khum_arena_free(&p->arena);
}

void prn_footer_of(const prn_data *p, const khum_print_opts *o, const char *title,
                   prn_footer *f)
{
    *f = (prn_footer){.election_hash = p->v.e.hash, .audit_hash = p->head,
                      .audit_id = p->head_id, .manifest_sha256 = o->manifest_sha256,
                      .bundle_version = o->bundle_version, .title = title,
                      .pdf_date = p->pdf_date};
}

khum_code prn_commune(const prn_data *p, const char *code, size_t *idx, khum_err *err)
{
    const khum_election_commune *c = code ? khum_election_commune_find(&p->v.e, code) : NULL;
    if (!c)
        return khum_err_set(err, KHUM_ERR_NOTFOUND, "CNL.306", "commune %s is not in election "
                            "%s", code ? code : "(none)", p->v.e.id);
    *idx = (size_t)(c - p->v.e.communes);
    return KHUM_OK;
}

const char *prn_area_name(prn_doc *d, const prn_data *p, const char *code)
{
    const khum_area_name *n = tally_view_names(&p->v, code);
    if (!n)
        return code && *code ? code
                             : prn_t(d, tally_view_nation(&p->v, true), tally_view_nation(&p->v, false));
    const char *km = n->name_km && *n->name_km ? n->name_km : n->name_latin;
    const char *name = d->lang == KHUM_PRINT_KM ? km
                       : d->lang == KHUM_PRINT_EN ? n->name_latin
                       : prn_fmt(d, "%s / %s", km, n->name_latin);
    return prn_fmt(d, "%s (%s)", name, prn_digits(d, code));
}

const char *prn_post_name(prn_doc *d, khum_post post)
{
    switch (post) {
    case KHUM_POST_CHIEF: return prn_t(d, "មេឃុំ", "chief");
    case KHUM_POST_DEPUTY1: return prn_t(d, "ជំទប់ទី១", "first deputy");
    case KHUM_POST_DEPUTY2: return prn_t(d, "ជំទប់ទី២", "second deputy");
    default: return prn_t(d, "សមាជិកក្រុមប្រឹក្សា", "councillor");
    }
}

const khum_form *prn_form_of(const prn_data *p, const char *station)
{
    const khum_station *st = khum_election_station_find(&p->v.e, station);
    return st ? p->by_station[st - p->v.e.stations] : NULL;
}

const char *prn_lots_seed(const prn_data *p, const char *commune)
{
    for (size_t i = 0; i < p->nlots; i++)
        if (!strcmp(p->lots[i].commune, commune))
            return p->lots[i].seed;
    return NULL;
}

/* One document: fonts, data, builder, footer. */
typedef enum { DOC_PROTOCOL, DOC_SUMMARY, DOC_FORMS, DOC_COUNCIL } doc_kind;

typedef struct doc_req {
    doc_kind kind;
    const char *commune, *area, *on;
} doc_req;

static const char *doc_title(const doc_req *r, const prn_data *p, char *buf, size_t cap)
{
    switch (r->kind) {
    case DOC_PROTOCOL: snprintf(buf, cap, "Protocol of commune %s", r->commune); break;
    case DOC_FORMS: snprintf(buf, cap, "Form 1102 of commune %s", r->commune); break;
    case DOC_COUNCIL:
        snprintf(buf, cap, "Council of commune %s on %s", r->commune, r->on);
        break;
    default:
        snprintf(buf, cap, "Summary of %s", r->area && *r->area ? r->area : "the nation");
    }
    (void)p;
    return buf;
}

static khum_code build(khum_store *s, const prn_data *p, const doc_req *r,
                       const khum_print_opts *o, PangoFontMap *fm, khum_buf *pdf,
                       khum_err *err)
{
    size_t c = 0;
    khum_code rc = KHUM_OK;
    if (r->kind != DOC_SUMMARY && (rc = prn_commune(p, r->commune, &c, err)))
        return rc;
    if (r->kind == DOC_SUMMARY && r->area && *r->area && !tally_view_area(&p->v, r->area))
        return khum_err_set(err, KHUM_ERR_NOTFOUND, "PRN.953", "election %s has no area %s "
                            "(a province, district or commune code)", p->v.e.id, r->area);
    khum_arena a;
    khum_arena_init(&a, 0);
    prn_doc d;
    prn_doc_init(&d, o->lang, &a, fm);
    switch (r->kind) {
    case DOC_PROTOCOL: rc = prn_protocol(s, p, c, o, &d, err); break;
    case DOC_FORMS: prn_forms(p, c, &d); break;
    case DOC_SUMMARY: prn_summary(p, r->area, &d); break;
    case DOC_COUNCIL: rc = prn_council(s, p, c, r->on, &d, err); break;
    }
    if (!rc) {
        char title[160];
        prn_footer f;
        prn_footer_of(p, o, doc_title(r, p, title, sizeof title), &f);
        rc = prn_doc_finish(&d, &f, pdf, err);
    }
    prn_doc_free(&d);
    khum_arena_free(&a);
    return rc;
}

static khum_code print_one(khum_store *s, const char *election, const doc_req *r,
                           const khum_print_opts *o, khum_buf *pdf, khum_err *err)
{
    khum_code rc = khum_print_fonts_check(err);
    if (rc)
        return rc;
    prn_data p;
    if ((rc = prn_data_load(s, election, &p, err)))
        return rc;
    PangoFontMap *fm = prn_font_map_new();
    rc = build(s, &p, r, o, fm, pdf, err);
    prn_font_map_free(fm);
    prn_data_free(&p);
    return rc;
}

khum_code khum_print_protocol(khum_store *s, const char *election, const char *commune,
                              const khum_print_opts *o, khum_buf *pdf, khum_err *err)
{
    doc_req r = {.kind = DOC_PROTOCOL, .commune = commune};
    return print_one(s, election, &r, o, pdf, err);
}

khum_code khum_print_summary(khum_store *s, const char *election, const char *area,
                             const khum_print_opts *o, khum_buf *pdf, khum_err *err)
{
    doc_req r = {.kind = DOC_SUMMARY, .area = area ? area : ""};
    return print_one(s, election, &r, o, pdf, err);
}

khum_code khum_print_forms(khum_store *s, const char *election, const char *commune,
                           const khum_print_opts *o, khum_buf *pdf, khum_err *err)
{
    doc_req r = {.kind = DOC_FORMS, .commune = commune};
    return print_one(s, election, &r, o, pdf, err);
}

khum_code khum_print_council(khum_store *s, const char *election, const char *commune,
                             const char *on, const khum_print_opts *o, khum_buf *pdf,
                             khum_err *err)
{
    doc_req r = {.kind = DOC_COUNCIL, .commune = commune, .on = on};
    return print_one(s, election, &r, o, pdf, err);
}

khum_code khum_print_protocols(khum_store *s, const char *election, const khum_print_opts *o,
                               khum_print_put put, void *ctx, khum_err *err)
{
    khum_code rc = khum_print_fonts_check(err);
    prn_data p;
    if (rc || (rc = prn_data_load(s, election, &p, err)))
        return rc;
    khum_buf pdf;
    khum_buf_init(&pdf);
    PangoFontMap *fm = prn_font_map_new();   /* loaded once for every protocol */
    for (size_t i = 0; i < p.v.e.ncommunes && !rc; i++) {
        doc_req r = {.kind = DOC_PROTOCOL, .commune = p.v.e.communes[i].code};
        khum_buf_reset(&pdf);
        if (!(rc = build(s, &p, &r, o, fm, &pdf, err)))
            rc = put(ctx, r.commune, &pdf, err);
    }
    prn_font_map_free(fm);
    khum_buf_free(&pdf);
    prn_data_free(&p);
    return rc;
}
