/*
 * json.c: serializing a jansson value into a khum_buf, the one way every
 * JSON output (CLI, server, bundles) is written; and strings of bytes that
 * may not be UTF-8 (khum_json_string).
 */
#include <stdlib.h>
#include <string.h>

#include "khum/json.h"

void khum_json_to_buf(json_t *root, int indent, khum_buf *b)
{
    char *text = root ? json_dumps(root, JSON_INDENT(indent)) : NULL;
    if (text) {
        khum_buf_puts(b, text);
        khum_buf_putc(b, '\n');
    } else {
        b->failed = true;
    }
    free(text);
    json_decref(root);
}

json_t *khum_json_string(const char *s)
{
    if (!s)
        s = "";
    size_t len = strlen(s);
    if (khum_utf8_valid(s, len))
        return json_stringn(s, len);
    khum_buf b;
    khum_buf_init(&b);
    json_t *j = khum_utf8_escape(&b, s, len) ? json_stringn(b.data, b.len) : NULL;
    khum_buf_free(&b);
    return j;
}
