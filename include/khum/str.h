/*
 * khum/str.h: byte buffers, UTF-8 helpers and strict parsing of numbers and
 * dates. Everything khum reads from users goes through these parsers, so that
 * "12abc", "1e3", " 7" or an overflow is an error rather than a silent value.
 */
#ifndef KHUM_STR_H
#define KHUM_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer, always NUL-terminated after its content. */
typedef struct khum_buf {
    char *data;
    size_t len, cap;
    bool failed;        /* set once an allocation failed; later appends do nothing */
} khum_buf;

void khum_buf_init(khum_buf *b);
void khum_buf_free(khum_buf *b);
void khum_buf_reset(khum_buf *b);                      /* len = 0, keeps memory */
/* Room for extra more bytes (and the NUL) without another allocation. */
bool khum_buf_reserve(khum_buf *b, size_t extra);
bool khum_buf_append(khum_buf *b, const void *p, size_t n);
bool khum_buf_puts(khum_buf *b, const char *s);
bool khum_buf_putc(khum_buf *b, char c);
bool khum_buf_printf(khum_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* qsort that accepts an empty (even NULL) array: qsort's arguments must not
 * be NULL even when there is nothing to sort. */
void khum_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
/* 12,345,678 (a thousands separator every three digits) */
const char *khum_thousands(int64_t v, char buf[32]);

/* UTF-8. khum_utf8_check returns the byte offset of the first invalid
 * sequence (overlong forms, surrogates and code points above U+10FFFF are
 * invalid), or len when all of s is valid. */
size_t khum_utf8_check(const char *s, size_t len);
bool khum_utf8_valid(const char *s, size_t len);
/* Number of code points in a valid UTF-8 string. */
size_t khum_utf8_length(const char *s, size_t len);
/* Decode one code point at *s (advancing *s); returns -1 on invalid input. */
int32_t khum_utf8_next(const char **s, const char *end);
/* Append s to out (not cleared) with each byte that is not part of valid
 * UTF-8 written as the four characters \xHH (upper-case hex): text that
 * must be shown or stored whole (an audit object, an error message) stays
 * readable and valid, and no byte is dropped. Valid text passes unchanged. */
bool khum_utf8_escape(khum_buf *out, const char *s, size_t len);

/* Case folding for Latin script only (ASCII, Latin-1 Supplement, Latin
 * Extended-A): other scripts, Khmer among them, have no case and pass through
 * unchanged. Writes the folded form of s to out (cleared first). */
bool khum_utf8_fold_latin(khum_buf *out, const char *s, size_t len);
/* Compare two UTF-8 strings after Latin case folding: <0, 0, >0. */
int khum_utf8_casecmp_latin(const char *a, const char *b);
/* s with each Khmer digit (U+17E0..U+17E9, ០..៩) written as its Latin digit,
 * everything else unchanged, into out (cap bytes with the terminating NUL):
 * a clerk on a Khmer keyboard keys ១២៣ for 123. False when out is too small. */
bool khum_utf8_latin_digits(const char *s, char *out, size_t cap);
/* The other way: each ASCII digit of s written as its Khmer digit (១២៣ for
 * 123), everything else unchanged, as the Khmer version of a printed
 * protocol shows numbers. False when out is too small. */
bool khum_utf8_khmer_digits(const char *s, char *out, size_t cap);

/* Strict parsers: the whole of s must be the number (no blanks, no sign on
 * unsigned values, no exponent). Return false on any deviation or overflow. */
bool khum_parse_i64(const char *s, int64_t *out);
bool khum_parse_u64(const char *s, uint64_t *out);
bool khum_parse_int_range(const char *s, long lo, long hi, long *out);
/* A decimal such as "1.4" or "50" as an exact fraction num/den (den = 10^k),
 * both positive and at most 10^15. */
bool khum_parse_fraction(const char *s, int64_t *num, int64_t *den);
/* A double with strtod, whole string, finite. Used only for coordinates. */
bool khum_parse_double(const char *s, double *out);
/* An ISO date YYYY-MM-DD that exists in the Gregorian calendar. */
bool khum_parse_date(const char *s, int *y, int *m, int *d);

/* True when s is n ASCII digits exactly. */
bool khum_is_digits(const char *s, size_t n);
/* True when s is an area code of any country's gazetteer: 1 to
 * KHUM_AREA_CODE_MAX ASCII letters and digits (NCDD "010201", DICOFRE
 * "0302FA"). Codes are compared as text, never read as numbers. */
#define KHUM_AREA_CODE_MAX 16
bool khum_is_area_code(const char *s);
/* True for "" and strings of only ASCII blanks. */
bool khum_is_blank(const char *s);

#endif
