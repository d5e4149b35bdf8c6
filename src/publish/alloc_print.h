/*
 * alloc_print.h (publish offers it as "publish/alloc_print.h"): the rows and
 * districts of an allocation run, shared by its input (cmd_allocate.c reads
 * them) and its output (alloc_print.c writes the tables and the JSON).
 */
#ifndef KHUM_ALLOC_PRINT_H
#define KHUM_ALLOC_PRINT_H

#include <stdbool.h>

#include "khum/alloc.h"
#include "khum/str.h"

typedef struct alloc_row {
    const char *district, *party;
    int64_t votes;
    int seats;               /* -1 when the row has none */
    bool eligible;
    int64_t max_seats;       /* -1 none */
    int64_t threshold_base;  /* -1 none */
    int64_t ballot_no;       /* place on the ballot (ballot-order ties); 0 none */
    long line;
    int seats_won;           /* filled after the run */
} alloc_row;

typedef struct alloc_district {
    const char *name;
    int *rows;               /* indices into the row array, input order */
    size_t nrows, cap;
    int seats;
    long seats_line;
    int64_t threshold_base;
    khum_alloc_party *parties;
    khum_alloc_input in;
    khum_alloc_result res;
    khum_alloc_margin *margins;
    size_t nmargins;
    int closest;
} alloc_district;

typedef struct alloc_output {
    bool json, explain, margins, has_district;
    const khum_alloc_rules *rules;
    const alloc_row *rows;
    size_t nrows;
    alloc_district *d;
    size_t nd;
} alloc_output;

/* "1595/4": a fraction exactly, reduced ("399" when whole); the printed
 * protocol writes the steps with it as `allocate --explain` does. */
void alloc_print_exact(khum_frac f, char *buf, size_t n);
void alloc_print_csv(const alloc_output *o, khum_buf *b);
void alloc_print_json(const alloc_output *o, khum_buf *b);

#endif
