/*
 * testutil.h: helpers shared by the cmocka unit tests: the cmocka includes in
 * the order it needs, reading CSV from a string, and locating the shared
 * reference data ($KHUM_SHARED) and the test fixtures ($KHUM_TESTDATA).
 */
#ifndef KHUM_TESTUTIL_H
#define KHUM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "khum/csv.h"

static inline khum_csv *csv_str(const char *text)
{
    return khum_csv_open_mem("t.csv", text, strlen(text));
}

/* Path of a file under $KHUM_SHARED (default ../shared); NULL when absent. */
static inline const char *shared_path(const char *rel, char *buf, size_t cap)
{
    const char *dir = getenv("KHUM_SHARED");
    snprintf(buf, cap, "%s/%s", dir && *dir ? dir : "../shared", rel);
    FILE *f = fopen(buf, "rb");
    if (!f)
        return NULL;
    fclose(f);
    return buf;
}

#endif
