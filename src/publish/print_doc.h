/*
 * print_doc.h: the page layout the printed documents share (print_doc.c).
 * A document is written top to bottom as titles, paragraphs, tables, QR
 * codes and signature lines; each block is measured with pango and goes on
 * the current A4 page or starts the next one (a table repeats its header).
 * Pages are kept as cairo recording surfaces until the end, because the
 * footer says "page x of y" and y is known only then.
 */
#ifndef KHUM_PRINT_DOC_H
#define KHUM_PRINT_DOC_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "khum/arena.h"
#include "khum/print.h"

#define PRN_MAX_COLS 16

typedef struct prn_doc {
    khum_print_lang lang;
    khum_arena *arena;           /* the caller's: strings the document is built from */
    PangoContext *pc;            /* one per document, metrics as the PDF has them */
    cairo_surface_t **pages;
    size_t npages, cap;
    cairo_t *cr;                 /* the current page */
    double y;
    bool failed;                 /* out of memory, or cairo failed */
    /* the table being written */
    int ncols;
    double colw[PRN_MAX_COLS];
    char align[PRN_MAX_COLS];    /* 'l', 'r', 'c' */
    const char *head[PRN_MAX_COLS];
    bool has_head;
    const char *status;          /* OFFICIAL / PROVISIONAL under every page's title, or NULL */
} prn_doc;

/* What every page's footer names. */
typedef struct prn_footer {
    const char *election_hash, *audit_hash, *manifest_sha256, *title;
    int64_t audit_id;
    int bundle_version;
    const char *pdf_date;        /* the data version's time, "2026-11-21T05:00:00" */
} prn_footer;

/* The fonts of one or many documents, never pango's per-thread default, so
 * that what is loaded is freed (and a server thread keeps nothing). */
PangoFontMap *prn_font_map_new(void);
void prn_font_map_free(PangoFontMap *fm);
void prn_doc_init(prn_doc *d, khum_print_lang lang, khum_arena *a, PangoFontMap *fm);
void prn_doc_free(prn_doc *d);
/* Lay the pages out into a PDF with the footers: pdf gets the bytes. */
khum_code prn_doc_finish(prn_doc *d, const prn_footer *f, khum_buf *pdf, khum_err *err);

/* Text in the document's language: km, en, or km over en. */
const char *prn_t(prn_doc *d, const char *km, const char *en);
/* A number with thousands separators, in Khmer digits in the Khmer version. */
const char *prn_num(prn_doc *d, int64_t v);
/* Any text with its ASCII digits in Khmer in the Khmer version. */
const char *prn_digits(prn_doc *d, const char *s);
const char *prn_fmt(prn_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void prn_title(prn_doc *d, const char *text);
void prn_heading(prn_doc *d, const char *text);
void prn_para(prn_doc *d, const char *text);
void prn_small(prn_doc *d, const char *text);
void prn_space(prn_doc *d, double pt);
void prn_new_page(prn_doc *d);
/* A table of ncols columns, widths in parts of the text width, align one
 * letter a column ("lrr..."); head (may be NULL) repeats on each page. */
void prn_table(prn_doc *d, int ncols, const double *widths, const char *align,
               const char *const *head);
void prn_row(prn_doc *d, const char *const *cells);
void prn_row_bold(prn_doc *d, const char *const *cells);
/* Empty boxes to write in: a row whose right-hand cells are tall and blank. */
void prn_row_boxes(prn_doc *d, const char *const *cells, double height);
/* A QR code of payload, side pt wide, at the right of the current line. */
void prn_qr(prn_doc *d, const char *payload, double side);
/* Signature lines: one per "Name:Role" (or bare role) of list, ';'-separated. */
void prn_signatures(prn_doc *d, const char *list);

#endif
