/*
 * parse.c: strict parsers for integers, exact decimal fractions, coordinates
 * and ISO dates. Vote counts and seats must never be guessed from sloppy text,
 * so every parser insists that the whole string is the value.
 */
#include "khum/str.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool khum_is_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool khum_is_area_code(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (n == KHUM_AREA_CODE_MAX ||
            !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return false;
    }
    return n > 0;
}

bool khum_is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            return false;
    return true;
}

bool khum_parse_u64(const char *s, uint64_t *out)
{
    if (!*s)
        return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        /* v * 10 + d overflows past UINT64_MAX = 18446744073709551615 */
        if (v > UINT64_MAX / 10 || (v == UINT64_MAX / 10 && d > UINT64_MAX % 10))
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool khum_parse_i64(const char *s, int64_t *out)
{
    bool neg = (*s == '-');
    uint64_t v;
    if (!khum_parse_u64(s + neg, &v))
        return false;
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1)
            return false;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX)
            return false;
        *out = (int64_t)v;
    }
    return true;
}

bool khum_parse_int_range(const char *s, long lo, long hi, long *out)
{
    int64_t v;
    if (!khum_parse_i64(s, &v) || v < lo || v > hi)
        return false;
    *out = (long)v;
    return true;
}

bool khum_parse_fraction(const char *s, int64_t *num, int64_t *den)
{
    const int64_t limit = 1000000000000000LL;  /* 10^15 keeps products in 128 bits */
    int64_t n = 0, d = 1;
    bool digits = false, dot = false;
    for (; *s; s++) {
        if (*s == '.' && !dot) {
            dot = true;
            continue;
        }
        if (*s < '0' || *s > '9')
            return false;
        digits = true;
        n = n * 10 + (*s - '0');
        if (dot)
            d *= 10;
        if (n > limit || d > limit)
            return false;
    }
    if (!digits || n == 0)
        return false;
    *num = n;
    *den = d;
    return true;
}

bool khum_parse_double(const char *s, double *out)
{
    if (!*s || *s == ' ')
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool khum_parse_date(const char *s, int *y, int *m, int *d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int yy = atoi(s), mm = atoi(s + 5), dd = atoi(s + 8);
    if (yy < 1900 || mm < 1 || mm > 12 || dd < 1)
        return false;
    bool leap = (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0;
    int max = mdays[mm - 1] + (mm == 2 && leap);
    if (dd > max)
        return false;
    *y = yy;
    *m = mm;
    *d = dd;
    return true;
}
