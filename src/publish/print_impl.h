/*
 * print_impl.h: what the printed documents share beyond the page layout
 * (print_doc.h): the election's data loaded once (tally view, current
 * forms, lots and who drew them, the data version), the footer it gives,
 * the words of both languages for the things every document names, and
 * the document builders print.c dispatches to.
 */
#ifndef KHUM_PRINT_IMPL_H
#define KHUM_PRINT_IMPL_H

#include "khum/app.h"
#include "print_doc.h"
#include "tally_view.h"

typedef struct prn_data {
    tally_view v;
    khum_arena arena;
    khum_form *forms;              /* the current forms of every station */
    size_t nforms;
    const khum_form **by_station;  /* per station of the election: its form, or NULL */
    khum_commune_lots *lots;
    size_t nlots;
    int64_t head_id;               /* the data version */
    char head[KHUM_SHA256_HEX];
    char pdf_date[24];             /* the head event's time: the PDF's dates */
} prn_data;

khum_code prn_data_load(khum_store *s, const char *election, prn_data *p, khum_err *err);
void prn_data_free(prn_data *p);
void prn_footer_of(const prn_data *p, const khum_print_opts *o, const char *title,
                   prn_footer *f);
/* The commune's index in the election, or CNL.306. */
khum_code prn_commune(const prn_data *p, const char *code, size_t *idx, khum_err *err);
/* Its name in the document's language ("Name (code)"). */
const char *prn_area_name(prn_doc *d, const prn_data *p, const char *code);
const char *prn_post_name(prn_doc *d, khum_post post);
const char *prn_lots_seed(const prn_data *p, const char *commune);
/* The current form of a station (NULL: none yet). */
const khum_form *prn_form_of(const prn_data *p, const char *station);

/* The documents (print_protocol.c, print_forms.c) into d. */
khum_code prn_protocol(khum_store *s, const prn_data *p, size_t commune,
                       const khum_print_opts *o, prn_doc *d, khum_err *err);
void prn_forms(const prn_data *p, size_t commune, prn_doc *d);
void prn_summary(const prn_data *p, const char *area, prn_doc *d);
khum_code prn_council(khum_store *s, const prn_data *p, size_t commune, const char *on,
                      prn_doc *d, khum_err *err);

#endif
