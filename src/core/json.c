/*
 * json.c: serializing a jansson value into a khum_buf, the one way every
 * JSON output (CLI, server, bundles) is written; strings of bytes that may
 * not be UTF-8 (khum_json_string); and an audit event as the public list
 * shows it.
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

/* before and after as the JSON they hold; text that is not JSON (an event
 * written by hand, bytes that are not UTF-8) as a string rather than lost. */
static json_t *detail_json(const char *text)
{
    if (!text || !*text)
        return json_null();
    json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
    return j ? j : khum_json_string(text);
}

json_t *khum_audit_json(const khum_audit_event *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer((json_int_t)e->id));
    const char *names[] = {"at", "actor", "type", "object", "area", "prev_hash", "hash",
                           "rows_digest"};
    const char *vals[] = {e->at, e->actor, e->type, e->object, e->area, e->prev, e->hash,
                          e->rows};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        json_object_set_new(o, names[i], khum_json_string(vals[i]));
    json_object_set_new(o, "before", detail_json(e->before));
    json_object_set_new(o, "after", detail_json(e->after));
    return o;
}
