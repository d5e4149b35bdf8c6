/*
 * khum/csv.h: a streaming RFC 4180 CSV reader and a minimal-quoting writer.
 *
 * The reader takes a file, a stream or a memory buffer and returns one record
 * at a time; it handles quoted fields with embedded commas, quotes and line
 * breaks, CRLF or LF line ends, a UTF-8 byte-order mark, and checks that the
 * text is valid UTF-8. Every error names file:line:column (column counted in
 * characters) and, once a header is read, the column's name. Columns are found
 * by name, so they may come in any order and extra columns are ignored.
 */
#ifndef KHUM_CSV_H
#define KHUM_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include "khum/err.h"
#include "khum/str.h"

typedef struct khum_csv khum_csv;

#define KHUM_CSV_MAX_FIELD  (1u << 20)  /* bytes in one field */
#define KHUM_CSV_MAX_FIELDS 4096        /* fields in one record */

/* Open a file by path ("-" is standard input). */
khum_code khum_csv_open_path(const char *path, khum_csv **out, khum_err *err);
/* Read from a stream the caller owns; name is used in messages. */
khum_csv *khum_csv_open_stream(const char *name, FILE *f);
/* Read from memory the caller keeps alive until khum_csv_close. */
khum_csv *khum_csv_open_mem(const char *name, const char *data, size_t len);
void khum_csv_close(khum_csv *c);

/* Next record: 1 when one was read, 0 at end of input, -1 on error (err set).
 * Empty lines between records are skipped. */
int khum_csv_next(khum_csv *c, khum_err *err);

size_t khum_csv_count(const khum_csv *c);              /* fields in the record */
const char *khum_csv_get(const khum_csv *c, size_t i); /* "" when i >= count */
size_t khum_csv_len(const khum_csv *c, size_t i);
/* Fields cols[0..n) of the record at once, for readers that take many per
 * row: s[k] and len[k] as khum_csv_get and khum_csv_len give them ("" and 0
 * for a column that is -1 or beyond the record). */
void khum_csv_get_many(const khum_csv *c, const int *cols, size_t n, const char **s,
                       size_t *len);
long khum_csv_line(const khum_csv *c);                 /* line the record starts on */
long khum_csv_field_line(const khum_csv *c, size_t i);
long khum_csv_field_col(const khum_csv *c, size_t i);
const char *khum_csv_name(const khum_csv *c);
size_t khum_csv_offset(const khum_csv *c);              /* bytes consumed so far */

/* Read the next record as the header. After this, every record must have as
 * many fields as the header unless khum_csv_allow_ragged(c, true). */
khum_code khum_csv_read_header(khum_csv *c, khum_err *err);
/* Use the record just read as the header (for files with title lines). */
khum_code khum_csv_header_from_record(khum_csv *c, khum_err *err);
void khum_csv_allow_ragged(khum_csv *c, bool allow);
/* For a piece of a file read on its own (records cut at line ends): take
 * the header of the reader that read the file's first line, and count lines
 * from the piece's first line in the whole file, so messages name the line
 * of the file. */
khum_code khum_csv_use_header(khum_csv *c, const khum_csv *from, khum_err *err);
bool khum_csv_has_header(const khum_csv *c);
void khum_csv_first_line(khum_csv *c, long line);
/* Index of a column by name (ASCII case-insensitive, blanks trimmed); names
 * may list aliases separated by '|', e.g. "commune|commune_code|Com_Code".
 * -1 when absent. */
int khum_csv_col(const khum_csv *c, const char *names);
/* Look up several required columns at once; fails with CSV.106 naming the
 * first missing one and the header it found. */
khum_code khum_csv_require(const khum_csv *c, const char *const *names,
                           int *idx, size_t n, khum_err *err);
/* Header name of column i ("" when none). */
const char *khum_csv_header(const khum_csv *c, size_t i);
/* Fill err with rule/msg placed at field i of the current record. */
khum_code khum_csv_field_error(const khum_csv *c, size_t i, khum_err *err,
                               khum_code code, const char *rule,
                               const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Writer: append one field or one whole record to b. Fields are quoted only
 * when they hold a comma, a quote, CR or LF. Records end with LF. */
bool khum_csv_put_field(khum_buf *b, const char *s, bool first);
bool khum_csv_put_row(khum_buf *b, const char *const *fields, size_t n);
bool khum_csv_end_row(khum_buf *b);

#endif
