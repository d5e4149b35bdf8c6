/*
 * khum/json.h: JSON output through jansson into a khum_buf.
 */
#ifndef KHUM_JSON_H
#define KHUM_JSON_H

#include <jansson.h>

#include "khum/str.h"

/* Serialize root (taking ownership) into b with a final newline; indent 0
 * writes it on one line. On failure marks b failed. */
void khum_json_to_buf(json_t *root, int indent, khum_buf *b);

#endif
