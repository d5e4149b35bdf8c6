/*
 * csv_write.c: CSV output that round-trips through csv_read.c. A field is
 * quoted only when it must be (comma, quote, CR or LF, or a leading U+FEFF,
 * which a reader would take for a byte-order mark at the start of a file), so
 * ordinary output stays easy to read and to diff.
 */
#include "khum/csv.h"

#include <string.h>

bool khum_csv_put_field(khum_buf *b, const char *s, bool first)
{
    if (!first && !khum_buf_putc(b, ','))
        return false;
    if (!s)
        s = "";
    bool bom = (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
               (unsigned char)s[2] == 0xBF;
    if (!bom && !strpbrk(s, ",\"\r\n"))
        return khum_buf_puts(b, s);
    if (!khum_buf_putc(b, '"'))
        return false;
    for (; *s; s++) {
        if (*s == '"' && !khum_buf_putc(b, '"'))
            return false;
        if (!khum_buf_putc(b, *s))
            return false;
    }
    return khum_buf_putc(b, '"');
}

bool khum_csv_end_row(khum_buf *b)
{
    return khum_buf_putc(b, '\n');
}

bool khum_csv_put_row(khum_buf *b, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!khum_csv_put_field(b, fields[i], i == 0))
            return false;
    return khum_csv_end_row(b);
}
