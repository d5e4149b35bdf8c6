/*
 * print_doc.c: A4 pages for the printed documents. Blocks are measured with
 * pango (HarfBuzz shapes Khmer: subscript consonants, vowels written before
 * their consonant) and drawn onto per-page cairo recording surfaces; at the
 * end each page is replayed into one PDF with its footer, since "page x of
 * y" needs y. Text metrics are those of the PDF (no hinting) so a line
 * measured is a line drawn, and nothing depends on the clock: the PDF's
 * dates are the data version's, so the same data gives the same bytes.
 */
#include <fontconfig/fontconfig.h>
#include <qrencode.h>
#include <cairo-pdf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print_doc.h"

#define PAGE_W 595.276   /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 42.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN - 30.0)   /* the footer lives below */
#define PAD 2.5

/* Latin first, so that digits and Latin names keep one face; Khmer letters
 * fall through to Khmer OS, the face the dashboard uses. */
static const char *const font_en = "DejaVu Sans, Khmer OS";
static const char *const font_km = "Khmer OS System, DejaVu Sans";

khum_code khum_print_fonts_check(khum_err *err)
{
    FcPattern *p = FcNameParse((const FcChar8 *)"Khmer OS");
    bool ok = false;
    char got[128] = "no font at all";
    if (p && FcConfigSubstitute(NULL, p, FcMatchPattern)) {
        FcDefaultSubstitute(p);
        FcResult r;
        FcPattern *m = FcFontMatch(NULL, p, &r);
        FcChar8 *fam = NULL;
        FcCharSet *cs = NULL;
        if (m && FcPatternGetString(m, FC_FAMILY, 0, &fam) == FcResultMatch) {
            snprintf(got, sizeof got, "'%s'", (const char *)fam);
            /* ក (U+1780) and the coeng (U+17D2) that builds subscripts */
            ok = FcPatternGetCharSet(m, FC_CHARSET, 0, &cs) == FcResultMatch &&
                 FcCharSetHasChar(cs, 0x1780) && FcCharSetHasChar(cs, 0x17D2);
        }
        if (m)
            FcPatternDestroy(m);
    }
    if (p)
        FcPatternDestroy(p);
    if (ok)
        return KHUM_OK;
    return khum_err_set(err, KHUM_ERR_NOTFOUND, "PRN.950", "no Khmer font: fontconfig resolves "
                        "'Khmer OS' to %s, which has no Khmer letters; install fonts-khmeros "
                        "(scripts/install-deps) or point FONTCONFIG_FILE at a folder that "
                        "holds it", got);
}

/* fontconfig keeps a few bytes of the system configuration it parses once
 * per process (FcInitLoadConfigAndFonts) and never frees them (libfontconfig
 * 2.14): not khum's to free, so the sanitizer builds are told. LeakSanitizer
 * unwinds by frame pointers, which stop inside the library: the rule has to
 * name the library, not the function. khum's own fontconfig calls are the
 * font check's, which frees what it makes. */
#if defined(__SANITIZE_ADDRESS__)
#define KHUM_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KHUM_LSAN 1
#endif
#endif
#ifdef KHUM_LSAN
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
#endif

bool khum_print_lang_parse(const char *s, khum_print_lang *out)
{
    if (!strcmp(s, "km"))
        *out = KHUM_PRINT_KM;
    else if (!strcmp(s, "en"))
        *out = KHUM_PRINT_EN;
    else if (!strcmp(s, "both"))
        *out = KHUM_PRINT_BOTH;
    else
        return false;
    return true;
}

PangoFontMap *prn_font_map_new(void)
{
    return pango_cairo_font_map_new();
}

void prn_font_map_free(PangoFontMap *fm)
{
    if (fm)
        g_object_unref(fm);
}

void prn_doc_init(prn_doc *d, khum_print_lang lang, khum_arena *a, PangoFontMap *fm)
{
    memset(d, 0, sizeof *d);
    d->lang = lang;
    d->arena = a;
    d->pc = pango_font_map_create_context(fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(d->pc, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(d->pc, 72.0);  /* 1 pt = 1 unit */
}

/* The first page is made on the first thing drawn, so that what every page
 * carries (d->status) can be set before. */
static void ensure_page(prn_doc *d)
{
    if (!d->cr)
        prn_new_page(d);
}

void prn_doc_free(prn_doc *d)
{
    if (d->cr)
        cairo_destroy(d->cr);
    for (size_t i = 0; i < d->npages; i++)
        cairo_surface_destroy(d->pages[i]);
    free(d->pages);
    if (d->pc)
        g_object_unref(d->pc);
    memset(d, 0, sizeof *d);
}

void prn_new_page(prn_doc *d)
{
    if (d->npages == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 8;
        cairo_surface_t **p = realloc(d->pages, cap * sizeof *p);
        if (!p) {
            d->failed = true;
            return;
        }
        d->pages = p;
        d->cap = cap;
    }
    cairo_rectangle_t ext = {0, 0, PAGE_W, PAGE_H};
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
    d->pages[d->npages++] = s;
    if (d->cr)
        cairo_destroy(d->cr);
    d->cr = cairo_create(s);
    pango_cairo_update_context(d->cr, d->pc);
    d->y = MARGIN;
    if (d->status) {  /* official or provisional, on every page */
        PangoLayout *l = pango_layout_new(d->pc);
        PangoFontDescription *fd = pango_font_description_from_string(
            d->lang == KHUM_PRINT_KM ? "Khmer OS, DejaVu Sans Bold 9" : "DejaVu Sans, Khmer OS Bold 9");
        pango_layout_set_font_description(l, fd);
        pango_font_description_free(fd);
        pango_layout_set_width(l, (int)(TEXT_W * PANGO_SCALE));
        pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
        pango_layout_set_text(l, d->status, -1);
        cairo_move_to(d->cr, MARGIN, MARGIN - 22);
        pango_cairo_show_layout(d->cr, l);
        g_object_unref(l);
    }
}

const char *prn_fmt(prn_doc *d, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    const char *s = khum_arena_strdup(d->arena, buf);
    if (!s)
        d->failed = true;
    return s ? s : "";
}

const char *prn_t(prn_doc *d, const char *km, const char *en)
{
    if (d->lang == KHUM_PRINT_KM)
        return km;
    if (d->lang == KHUM_PRINT_EN)
        return en;
    return prn_fmt(d, "%s\n%s", km, en);
}

const char *prn_digits(prn_doc *d, const char *s)
{
    if (d->lang != KHUM_PRINT_KM)
        return s;
    size_t cap = 3 * strlen(s) + 1;
    char *out = khum_arena_alloc(d->arena, cap);
    if (!out || !khum_utf8_khmer_digits(s, out, cap)) {
        d->failed = true;
        return s;
    }
    return out;
}

const char *prn_num(prn_doc *d, int64_t v)
{
    char b[32];
    return prn_digits(d, prn_fmt(d, "%s", khum_thousands(v, b)));
}

/* A layout of text in the document's face, size pt, width w (0: one line). */
static PangoLayout *layout(prn_doc *d, const char *text, double size, bool bold, double w,
                           char align)
{
    PangoLayout *l = pango_layout_new(d->pc);
    char desc[96];
    snprintf(desc, sizeof desc, "%s%s %g", d->lang == KHUM_PRINT_KM ? font_km : font_en,
             bold ? " Bold" : "", size);
    PangoFontDescription *fd = pango_font_description_from_string(desc);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (w > 0) {
        pango_layout_set_width(l, (int)(w * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(l, align == 'r' ? PANGO_ALIGN_RIGHT
                                  : align == 'c' ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
    pango_layout_set_text(l, text ? text : "", -1);
    return l;
}

static double height_of(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

/* Room for h more points on this page, or a new page. */
static void need(prn_doc *d, double h)
{
    ensure_page(d);
    if (d->y + h > BOTTOM && d->y > MARGIN + 1)
        prn_new_page(d);
}

static void block(prn_doc *d, const char *text, double size, bool bold, double after)
{
    PangoLayout *l = layout(d, text, size, bold, TEXT_W, 'l');
    double h = height_of(l);
    need(d, h);
    cairo_move_to(d->cr, MARGIN, d->y);
    pango_cairo_show_layout(d->cr, l);
    g_object_unref(l);
    d->y += h + after;
}

void prn_title(prn_doc *d, const char *text) { block(d, text, 15, true, 8); }
void prn_heading(prn_doc *d, const char *text)
{
    need(d, 60);  /* a heading never ends a page */
    d->y += 6;
    block(d, text, 11.5, true, 4);
}
void prn_para(prn_doc *d, const char *text) { block(d, text, 9, false, 4); }
void prn_small(prn_doc *d, const char *text) { block(d, text, 7.5, false, 3); }
void prn_space(prn_doc *d, double pt)
{
    ensure_page(d);
    d->y += pt;
}

void prn_table(prn_doc *d, int ncols, const double *widths, const char *align,
               const char *const *head)
{
    double sum = 0;
    d->ncols = ncols < PRN_MAX_COLS ? ncols : PRN_MAX_COLS;
    for (int i = 0; i < d->ncols; i++)
        sum += widths[i];
    for (int i = 0; i < d->ncols; i++) {
        d->colw[i] = TEXT_W * widths[i] / sum;
        d->align[i] = align[i] ? align[i] : 'l';
        d->head[i] = head ? head[i] : NULL;
    }
    d->has_head = head != NULL;
    if (head)
        prn_row_bold(d, head);
}

/* One row: cells measured, a new page (with the header again) when it does
 * not fit, then drawn with their borders. */
static void row(prn_doc *d, const char *const *cells, bool bold, double min_h, bool is_head)
{
    PangoLayout *l[PRN_MAX_COLS];
    double h = min_h;
    ensure_page(d);
    for (int i = 0; i < d->ncols; i++) {
        l[i] = layout(d, cells[i], 8, bold, d->colw[i] - 2 * PAD, d->align[i]);
        double hi = height_of(l[i]) + 2 * PAD;
        if (hi > h)
            h = hi;
    }
    if (d->y + h > BOTTOM) {
        prn_new_page(d);
        if (d->has_head && !is_head)
            row(d, d->head, true, 0, true);
    }
    double x = MARGIN;
    cairo_t *cr = d->cr;
    if (is_head) {
        cairo_set_source_rgb(cr, 0.90, 0.90, 0.90);
        cairo_rectangle(cr, MARGIN, d->y, TEXT_W, h);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.5);
    for (int i = 0; i < d->ncols; i++) {
        cairo_rectangle(cr, x, d->y, d->colw[i], h);
        cairo_stroke(cr);
        cairo_move_to(cr, x + PAD, d->y + PAD);
        pango_cairo_show_layout(cr, l[i]);
        g_object_unref(l[i]);
        x += d->colw[i];
    }
    d->y += h;
}

void prn_row(prn_doc *d, const char *const *cells) { row(d, cells, false, 0, false); }
void prn_row_bold(prn_doc *d, const char *const *cells)
{
    row(d, cells, true, 0, cells == d->head);
}
void prn_row_boxes(prn_doc *d, const char *const *cells, double height)
{
    row(d, cells, false, height, false);
}

void prn_qr(prn_doc *d, const char *payload, double side)
{
    QRcode *q = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) {
        d->failed = true;
        return;
    }
    ensure_page(d);
    double m = side / (q->width + 8);   /* a quiet zone of 4 modules each side */
    double x0 = MARGIN + TEXT_W - side, y0 = d->y;
    cairo_set_source_rgb(d->cr, 0, 0, 0);
    for (int r = 0; r < q->width; r++)
        for (int c = 0; c < q->width; c++)
            if (q->data[r * q->width + c] & 1)
                cairo_rectangle(d->cr, x0 + (c + 4) * m, y0 + (r + 4) * m, m, m);
    cairo_fill(d->cr);
    QRcode_free(q);
}

void prn_signatures(prn_doc *d, const char *list)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", list);
    need(d, 60);
    d->y += 10;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        char *colon = strchr(tok, ':');
        const char *name = colon ? tok : "", *role = colon ? colon + 1 : tok;
        if (colon)
            *colon = 0;
        need(d, 40);
        PangoLayout *l = layout(d, prn_fmt(d, "%s%s%s", role, *name ? ": " : "", name), 9,
                                false, TEXT_W / 2 - 10, 'l');
        cairo_move_to(d->cr, MARGIN, d->y + 14);
        pango_cairo_show_layout(d->cr, l);
        g_object_unref(l);
        cairo_set_line_width(d->cr, 0.6);
        cairo_move_to(d->cr, MARGIN + TEXT_W / 2, d->y + 28);
        cairo_line_to(d->cr, MARGIN + TEXT_W, d->y + 28);
        cairo_stroke(d->cr);
        d->y += 36;
    }
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return khum_buf_append(closure, data, len) ? CAIRO_STATUS_SUCCESS
                                               : CAIRO_STATUS_NO_MEMORY;
}

static void footer(prn_doc *d, cairo_t *cr, const prn_footer *f, size_t page)
{
    khum_buf b;
    khum_buf_init(&b);
    khum_buf_printf(&b, "%s · election %s · data version %lld (audit %.16s)", f->title,
                    f->election_hash, (long long)f->audit_id, f->audit_hash);
    if (f->manifest_sha256)
        khum_buf_printf(&b, " · bundle v%06d manifest %s", f->bundle_version,
                        f->manifest_sha256);
    else if (f->bundle_version)
        khum_buf_printf(&b, " · bundle v%06d (listed in its manifest)", f->bundle_version);
    else
        khum_buf_puts(&b, " · not in a published bundle");
    khum_buf_printf(&b, " · page %zu of %zu · khum %s", page + 1, d->npages, KHUM_VERSION);
    PangoLayout *l = pango_layout_new(d->pc);
    PangoFontDescription *fd = pango_font_description_from_string("DejaVu Sans 6");
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(TEXT_W * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_CHAR);
    pango_layout_set_text(l, b.data ? b.data : "", -1);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    cairo_move_to(cr, MARGIN, PAGE_H - MARGIN - 18);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    khum_buf_free(&b);
}

khum_code prn_doc_finish(prn_doc *d, const prn_footer *f, khum_buf *pdf, khum_err *err)
{
    ensure_page(d);
    if (d->failed)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory printing %s", f->title);
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, pdf, PAGE_W, PAGE_H);
    cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5);
    /* Dates from the data version, not the clock: the same data, the same bytes. */
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, f->title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "khum " KHUM_VERSION);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, f->pdf_date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, f->pdf_date);
    cairo_t *cr = cairo_create(s);
    pango_cairo_update_context(cr, d->pc);
    for (size_t i = 0; i < d->npages; i++) {
        cairo_set_source_surface(cr, d->pages[i], 0, 0);
        cairo_paint(cr);
        footer(d, cr, f, i);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS || pdf->failed)
        return khum_err_set(err, KHUM_ERR_IO, "PRN.951", "cannot draw %s: %s", f->title,
                            cairo_status_to_string(st));
    return KHUM_OK;
}
