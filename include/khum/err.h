/*
 * khum/err.h: the error value every libkhum function returns.
 *
 * The library never prints and never exits. A failing call returns a khum_code
 * and, when given a khum_err, fills in where (file:line:column, field) and why
 * (a stable rule code such as "CSV.103" and a sentence). The CLI and the server
 * decide how to show it. docs/errors.md lists every rule code.
 */
#ifndef KHUM_ERR_H
#define KHUM_ERR_H

#include <stddef.h>

typedef enum khum_code {
    KHUM_OK = 0,
    KHUM_ERR_INPUT,     /* the data given is wrong: fix the input (exit 2) */
    KHUM_ERR_USAGE,     /* the call is wrong: bad option or argument (exit 2) */
    KHUM_ERR_NOTFOUND,  /* the thing asked for does not exist (exit 1) */
    KHUM_ERR_IO,        /* a file could not be read or written (exit 1) */
    KHUM_ERR_STORE,     /* the database failed (exit 1) */
    KHUM_ERR_NOMEM,     /* out of memory (exit 1) */
    KHUM_ERR_TIE,       /* a tie decides a seat and no lots were given (exit 3) */
    KHUM_ERR_CONFLICT,  /* the request conflicts with the recorded state (exit 1) */
    KHUM_ERR_AUTH,      /* not logged in, wrong password, or not allowed (exit 1) */
    KHUM_ERR_INTERNAL   /* a bug in khum (exit 1) */
} khum_code;

typedef struct khum_err {
    khum_code code;
    char rule[16];      /* stable rule code, e.g. "GEO.203"; "" when none */
    char file[256];     /* input file, "" when none */
    long line;          /* 1-based, 0 when unknown */
    long col;           /* 1-based character column, 0 when unknown */
    char field[64];     /* column or field name, "" when none */
    char msg[512];
} khum_err;

/* Reset to KHUM_OK with every place cleared. */
void khum_err_clear(khum_err *e);

/* Record a failure; returns code so that `return khum_err_set(...)` reads well.
 * e may be NULL (the code is still returned). */
khum_code khum_err_set(khum_err *e, khum_code code, const char *rule,
                       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Attach the place of the failure. file/field may be NULL (left unchanged). */
void khum_err_at(khum_err *e, const char *file, long line, long col,
                 const char *field);

/* "FILE:LINE:COL: message [RULE]" (parts that are unknown are left out). */
size_t khum_err_format(const khum_err *e, char *buf, size_t n);

/* Short English name of a code ("bad input", "not found", ...). */
const char *khum_code_name(khum_code c);

/* A list of warnings (or collected errors) that an operation reports without
 * failing, e.g. population rows whose commune code matches no current commune. */
typedef struct khum_diags {
    khum_err *items;
    size_t n, cap;
    size_t lost;   /* items that could not be added (out of memory): never "no problem" */
} khum_diags;

khum_code khum_diags_add(khum_diags *d, const khum_err *e);
void khum_diags_free(khum_diags *d);

#endif
