/*
 * khum/print.h: the documents a commission signs, as PDF (docs/printing.md):
 * a commune's protocol, the national or an area's summary, the pre-printed
 * station forms (Form 1102, with a QR code) and a council's certificate on
 * a date; in Khmer, English or both. cairo draws, pango shapes the text with
 * HarfBuzz in the Khmer OS fonts. The same data gives the same bytes: the
 * PDF's dates come from the data version, never from the clock, and every
 * page's footer names the election hash, the data version, the bundle when
 * there is one, the page and khum's version. Errors: PRN.95x.
 */
#ifndef KHUM_PRINT_H
#define KHUM_PRINT_H

#include "khum/err.h"
#include "khum/store.h"
#include "khum/str.h"

typedef enum khum_print_lang {
    KHUM_PRINT_KM = 1,     /* Khmer, numbers in Khmer digits */
    KHUM_PRINT_EN = 2,
    KHUM_PRINT_BOTH = 3    /* every label in Khmer with English under it */
} khum_print_lang;

/* "km", "en" or "both". */
bool khum_print_lang_parse(const char *s, khum_print_lang *out);

typedef struct khum_print_opts {
    khum_print_lang lang;
    /* The bundle the data is published in: the SHA-256 of its manifest.json
     * and its version, named in every footer (NULL / 0: not published). */
    const char *manifest_sha256;
    int bundle_version;
    /* Signatories of the protocol, "Name:Role;Name:Role" (a bare "Role" for
     * a blank line); NULL: the rule set's default (print_text.c). */
    const char *signatories;
} khum_print_opts;

/* PRN.950 unless fontconfig resolves the Khmer OS family to a face that
 * covers Khmer script (a machine without fonts-khmeros, or fontconfig
 * pointed at another font folder). Every print function checks it first. */
khum_code khum_print_fonts_check(khum_err *err);

/* A commune's protocol (COMMUNE: its code): the stations' forms and their
 * sum, the allocation step by step with ties and lots (who, when, seed),
 * seats per list, the council with its posts, explanations of warnings,
 * corrections after official (both versions), the seats under the 1998
 * formula as a what-if, and the signature lines. An unknown commune is
 * CNL.306. pdf gets the whole file. */
khum_code khum_print_protocol(khum_store *s, const char *election, const char *commune,
                              const khum_print_opts *o, khum_buf *pdf, khum_err *err);
/* The results table of the nation ("" or NULL) or of one area, as `khum
 * tally` prints it, with its areas one level down; OFFICIAL or PROVISIONAL
 * on every page. An area the election does not have is PRN.953. */
khum_code khum_print_summary(khum_store *s, const char *election, const char *area,
                             const khum_print_opts *o, khum_buf *pdf, khum_err *err);
/* Form 1102 for each station of a commune: code, register, the lists in
 * ballot order with empty boxes, the arithmetic checks, and a QR code of
 * "khum:1102:<election hash>:<station>". */
khum_code khum_print_forms(khum_store *s, const char *election, const char *commune,
                           const khum_print_opts *o, khum_buf *pdf, khum_err *err);
/* Who holds each seat and post of a commune's council on a date, since when
 * and why; a date outside the mandate is CNL.310. */
khum_code khum_print_council(khum_store *s, const char *election, const char *commune,
                             const char *on, const khum_print_opts *o, khum_buf *pdf,
                             khum_err *err);

/* Every commune's protocol of an election, the data loaded once: each is
 * handed to put (its commune code and the PDF) as soon as it is printed;
 * a non-zero return from put stops with that code. */
typedef khum_code (*khum_print_put)(void *ctx, const char *commune, const khum_buf *pdf,
                                    khum_err *err);
khum_code khum_print_protocols(khum_store *s, const char *election, const khum_print_opts *o,
                               khum_print_put put, void *ctx, khum_err *err);

#endif
