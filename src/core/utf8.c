/*
 * utf8.c: validation, decoding and Latin-only case folding of UTF-8 text.
 * Validation follows RFC 3629 (no overlongs, no surrogates, max U+10FFFF).
 * Folding covers the Latin letters used in Cambodian romanisation (UNGEGN
 * names carry â, é, ŏ, ...); Khmer script has no case and is left alone.
 */
#include "khum/str.h"

#include <string.h>

int32_t khum_utf8_next(const char **sp, const char *end)
{
    const unsigned char *s = (const unsigned char *)*sp;
    const unsigned char *e = (const unsigned char *)end;
    if (s >= e)
        return -1;
    unsigned c = s[0];
    int n;
    uint32_t cp, min;
    if (c < 0x80) {
        *sp += 1;
        return (int32_t)c;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 1; cp = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2; cp = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3; cp = c & 0x07; min = 0x10000;
    } else {
        return -1;
    }
    if (e - s <= n)
        return -1;
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *sp += n + 1;
    return (int32_t)cp;
}

size_t khum_utf8_check(const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    while (p < end) {
        if ((unsigned char)*p < 0x80) {  /* fast path for ASCII */
            p++;
            continue;
        }
        const char *at = p;
        if (khum_utf8_next(&p, end) < 0)
            return (size_t)(at - s);
    }
    return len;
}

bool khum_utf8_valid(const char *s, size_t len)
{
    return khum_utf8_check(s, len) == len;
}

bool khum_utf8_escape(khum_buf *out, const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    while (p < end) {
        size_t ok = khum_utf8_check(p, (size_t)(end - p));
        khum_buf_append(out, p, ok);
        p += ok;
        if (p < end)
            khum_buf_printf(out, "\\x%02X", (unsigned char)*p++);
    }
    return !out->failed;
}

size_t khum_utf8_length(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static uint32_t fold_latin(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)  /* À..Þ except × */
        return c + 32;
    /* Latin Extended-A: mostly upper/lower pairs. U+0130 (İ) and U+0131 (ı)
     * and the odd/even shift of U+0139..U+0148 and U+0179..U+017E need care. */
    if (c >= 0x100 && c <= 0x137 && c != 0x130 && c != 0x131)
        return c | 1;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (c & 1) ? c + 1 : c;
    if (c >= 0x14A && c <= 0x177)
        return c | 1;
    if (c == 0x178)
        return 0xFF;
    return c;
}

static bool put_cp(khum_buf *out, uint32_t c)
{
    char b[4];
    size_t n;
    if (c < 0x80) {
        b[0] = (char)c; n = 1;
    } else if (c < 0x800) {
        b[0] = (char)(0xC0 | (c >> 6)); b[1] = (char)(0x80 | (c & 0x3F)); n = 2;
    } else if (c < 0x10000) {
        b[0] = (char)(0xE0 | (c >> 12)); b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[2] = (char)(0x80 | (c & 0x3F)); n = 3;
    } else {
        b[0] = (char)(0xF0 | (c >> 18)); b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((c >> 6) & 0x3F)); b[3] = (char)(0x80 | (c & 0x3F)); n = 4;
    }
    return khum_buf_append(out, b, n);
}

bool khum_utf8_fold_latin(khum_buf *out, const char *s, size_t len)
{
    khum_buf_reset(out);
    const char *p = s, *end = s + len;
    while (p < end) {
        int32_t c = khum_utf8_next(&p, end);
        if (c < 0) {  /* invalid byte: keep it as is, folding must not lose data */
            if (!khum_buf_putc(out, *p++))
                return false;
            continue;
        }
        if (!put_cp(out, fold_latin((uint32_t)c)))
            return false;
    }
    return !out->failed;
}

int khum_utf8_casecmp_latin(const char *a, const char *b)
{
    const char *ea = a + strlen(a), *eb = b + strlen(b);
    for (;;) {
        if (a >= ea || b >= eb)
            return (a < ea) - (b < eb);
        const char *pa = a, *pb = b;
        int32_t ca = khum_utf8_next(&a, ea), cb = khum_utf8_next(&b, eb);
        if (ca < 0) { ca = (unsigned char)*pa; a = pa + 1; }
        if (cb < 0) { cb = (unsigned char)*pb; b = pb + 1; }
        uint32_t fa = fold_latin((uint32_t)ca), fb = fold_latin((uint32_t)cb);
        if (fa != fb)
            return fa < fb ? -1 : 1;
    }
}

bool khum_utf8_latin_digits(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; n++) {
        if (n + 1 >= cap)
            return false;
        /* U+17E0..U+17E9 are E1 9F A0..A9 in UTF-8. */
        if (p[0] == 0xE1 && p[1] == 0x9F && p[2] >= 0xA0 && p[2] <= 0xA9) {
            out[n] = (char)('0' + (p[2] - 0xA0));
            p += 3;
        } else {
            out[n] = (char)*p++;
        }
    }
    if (cap)
        out[n] = 0;
    return cap > 0;
}

bool khum_utf8_khmer_digits(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        bool digit = *p >= '0' && *p <= '9';
        if (n + (digit ? 3 : 1) >= cap)
            return cap ? (out[n] = 0, false) : false;
        if (digit) {  /* U+17E0 + d: E1 9F A0+d */
            out[n++] = (char)0xE1;
            out[n++] = (char)0x9F;
            out[n++] = (char)(0xA0 + (*p - '0'));
        } else {
            out[n++] = *p;
        }
    }
    out[n] = 0;
    return true;
}
