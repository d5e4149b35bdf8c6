/*
 * khum/json.h: JSON output through jansson into a khum_buf, and the one
 * way to make a JSON string of bytes that may not be valid UTF-8.
 */
#ifndef KHUM_JSON_H
#define KHUM_JSON_H

#include <jansson.h>

#include "khum/audit.h"
#include "khum/str.h"

/* Serialize root (taking ownership) into b with a final newline; indent 0
 * writes it on one line. On failure marks b failed. */
void khum_json_to_buf(json_t *root, int indent, khum_buf *b);

/* A JSON string of any bytes (NULL as ""): valid UTF-8 as it is, otherwise
 * with each invalid byte as the text \xHH (khum_utf8_escape), since jansson
 * refuses invalid UTF-8 and a caller that packs the raw bytes gets NULL and
 * silently loses the value. NULL only when out of memory. */
json_t *khum_json_string(const char *s);

/* An audit event as the public list shows it (GET /api/v1/audit, khum audit
 * show --json): every text field through khum_json_string, so an event whose
 * object holds invalid UTF-8 (a refused request's URL) is listed, never
 * left out: a gap in the list could not be told from a removed event.
 * before and after as the JSON they hold, or as a string if not JSON. */
json_t *khum_audit_json(const khum_audit_event *e);

#endif
