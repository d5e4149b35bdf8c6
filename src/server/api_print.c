/*
 * api_print.c: the printed documents over HTTP, the same PDFs `khum print`
 * writes (khum/print.h), for anyone who may read the results:
 *   GET /api/v1/elections/ID/communes/C/protocol.pdf
 *   GET /api/v1/elections/ID/communes/C/forms.pdf
 *   GET /api/v1/elections/ID/communes/C/council.pdf?on=DATE
 *   GET /api/v1/elections/ID/summary.pdf            (the nation)
 *   GET /api/v1/elections/ID/areas/CODE/summary.pdf
 * each with ?lang=km|en|both (default both). A PDF depends on the data
 * version only, so it is cached like the JSON answers. Kept apart from
 * api_read.c: its routes end in ".pdf" and nothing else does.
 */
#include <stdio.h>
#include <string.h>

#include "khum/print.h"
#include "srv.h"

typedef enum { PDF_NONE, PDF_PROTOCOL, PDF_FORMS, PDF_COUNCIL, PDF_SUMMARY } pdf_kind;

static pdf_kind route(const srv_req *r, const char **arg)
{
    if (r->nseg < 3 || strcmp(r->seg[0], "elections"))
        return PDF_NONE;
    const char *last = r->seg[r->nseg - 1];
    *arg = r->nseg >= 4 ? r->seg[3] : "";
    if (r->nseg == 3 && !strcmp(last, "summary.pdf"))
        return PDF_SUMMARY;
    if (r->nseg != 5)
        return PDF_NONE;
    if (!strcmp(r->seg[2], "areas") && !strcmp(last, "summary.pdf"))
        return PDF_SUMMARY;
    if (strcmp(r->seg[2], "communes"))
        return PDF_NONE;
    return !strcmp(last, "protocol.pdf") ? PDF_PROTOCOL
           : !strcmp(last, "forms.pdf")  ? PDF_FORMS
           : !strcmp(last, "council.pdf") ? PDF_COUNCIL : PDF_NONE;
}

bool api_print(srv_req *r)
{
    const char *arg = "";
    pdf_kind kind = route(r, &arg);
    if (kind == PDF_NONE || r->probe)
        return kind != PDF_NONE;
    if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
        return false;
    khum_print_opts o = {.lang = KHUM_PRINT_BOTH};
    const char *lang = srv_arg(r, "lang"), *on = srv_arg(r, "on");
    if (lang && !khum_print_lang_parse(lang, &o.lang)) {
        srv_failf(r, 400, "HTTP.400", "lang", "lang is km, en or both, not '%s'", lang);
        return true;
    }
    int y, m, d;
    if (kind == PDF_COUNCIL && (!on || !khum_parse_date(on, &y, &m, &d))) {
        srv_failf(r, 400, "HTTP.400", "on", "council.pdf needs ?on=YYYY-MM-DD");
        return true;
    }
    char key[512];
    snprintf(key, sizeof key, "GET %s?lang=%s&on=%s", r->url, lang ? lang : "", on ? on : "");
    if (srv_cache_get(r, key))
        return true;
    khum_err err;
    khum_err_clear(&err);
    srv_election *el;
    if (srv_election_get(r, r->seg[1], &el, &err)) {
        srv_fail(r, 0, &err);
        return true;
    }
    khum_buf pdf;
    khum_buf_init(&pdf);
    const char *id = el->e.id;
    khum_code rc = kind == PDF_PROTOCOL ? khum_print_protocol(r->store, id, arg, &o, &pdf, &err)
                 : kind == PDF_FORMS    ? khum_print_forms(r->store, id, arg, &o, &pdf, &err)
                 : kind == PDF_COUNCIL  ? khum_print_council(r->store, id, arg, on, &o, &pdf, &err)
                 : khum_print_summary(r->store, id, arg, &o, &pdf, &err);
    if (rc) {
        srv_fail(r, rc == KHUM_ERR_NOTFOUND && !strcmp(err.rule, "PRN.950") ? 503 : 0, &err);
    } else {
        khum_buf_reset(&r->out);
        khum_buf_append(&r->out, pdf.data, pdf.len);
        r->status = 200;
        r->ctype = "application/pdf";
        srv_cache_put(r, key);
    }
    khum_buf_free(&pdf);
    return true;
}
