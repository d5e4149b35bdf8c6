/*
 * rla_pull.h (offered by publish): the audit board's pull lists, the one
 * writer the CLI, the server and the bundle share. A pull list is the
 * sample sorted the way the board walks the store room (council, station,
 * bundle, position), each ballot with its place in the draw order (seq)
 * and its round. As text, CSV (one header, one row per ballot) or JSON.
 */
#ifndef KHUM_PUBLISH_RLA_PULL_H
#define KHUM_PUBLISH_RLA_PULL_H

#include "khum/store_rla.h"
#include "khum/str.h"

/* rows are sorted in place. format: "text", "csv" or "json". */
void rla_pull_write(const char *election, khum_rla_sample_row *rows, size_t n,
                    const char *format, khum_buf *b);

#endif
