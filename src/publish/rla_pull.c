/*
 * rla_pull.c: pull lists of a risk-limiting audit's sample (rla_pull.h).
 * The draw order is what the tests read; the board needs the other order,
 * by station, bundle and position, so it fetches each bundle once.
 */
#include <jansson.h>
#include <string.h>

#include "khum/csv.h"
#include "khum/json.h"
#include "rla_pull.h"

static int by_place(const void *pa, const void *pb)
{
    const khum_rla_sample_row *a = pa, *b = pb;
    int c = strcmp(a->commune, b->commune);
    if (!c)
        c = strcmp(a->station, b->station);
    if (!c)
        c = (a->bundle > b->bundle) - (a->bundle < b->bundle);
    if (!c)
        c = (a->position > b->position) - (a->position < b->position);
    return c;
}

static void pull_text(const khum_rla_sample_row *r, size_t n, khum_buf *b)
{
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(r[i].station, r[i - 1].station))
            khum_buf_printf(b, "%scommune %s, station %s\n", i ? "\n" : "", r[i].commune,
                            r[i].station);
        khum_buf_printf(b, "  bundle %4lld  position %4lld   (ballot %lld of the draw, "
                        "round %d)\n", (long long)r[i].bundle, (long long)r[i].position,
                        (long long)r[i].seq, r[i].round);
    }
    if (n == 0)
        khum_buf_puts(b, "no ballot drawn yet\n");
}

static void pull_csv(const khum_rla_sample_row *r, size_t n, khum_buf *b)
{
    khum_buf_puts(b, "commune,station,bundle,position,seq,round\n");
    for (size_t i = 0; i < n; i++) {
        khum_csv_put_field(b, r[i].commune, true);
        khum_csv_put_field(b, r[i].station, false);
        khum_buf_printf(b, ",%lld,%lld,%lld,%d\n", (long long)r[i].bundle,
                        (long long)r[i].position, (long long)r[i].seq, r[i].round);
    }
}

static void pull_json(const char *election, const khum_rla_sample_row *r, size_t n,
                      khum_buf *b)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:o,s:o,s:I,s:I,s:I,s:i}", "commune",
                                              khum_json_string(r[i].commune), "station",
                                              khum_json_string(r[i].station), "bundle",
                                              (json_int_t)r[i].bundle, "position",
                                              (json_int_t)r[i].position, "seq",
                                              (json_int_t)r[i].seq, "round", r[i].round));
    json_t *root = json_pack("{s:o,s:o}", "election", khum_json_string(election), "pull", list);
    khum_json_to_buf(root, 2, b);
}

void rla_pull_write(const char *election, khum_rla_sample_row *rows, size_t n,
                    const char *format, khum_buf *b)
{
    khum_sort(rows, n, sizeof *rows, by_place);
    if (!strcmp(format, "csv"))
        pull_csv(rows, n, b);
    else if (!strcmp(format, "json"))
        pull_json(election, rows, n, b);
    else
        pull_text(rows, n, b);
}
