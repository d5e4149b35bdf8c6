/*
 * json.c: serializing a jansson value into a khum_buf, the one way every
 * JSON output (CLI, server, bundles) is written.
 */
#include <stdlib.h>

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
