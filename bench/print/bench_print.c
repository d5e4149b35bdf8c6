/*
 * bench_print.c: every commune's protocol of an election, as khum publish
 * --with-protocols prints them (khum_print_protocols: the data loaded once,
 * the fonts once), timed; each PDF is written to DIR when one is given so
 * that bench/print/run can look at them. Prints the count, the bytes, the
 * total and the time per protocol.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "khum/print.h"

typedef struct counts {
    size_t n, bytes;
    const char *dir;
} counts;

static khum_code put(void *ctx, const char *commune, const khum_buf *pdf, khum_err *err)
{
    counts *c = ctx;
    c->n++;
    c->bytes += pdf->len;
    if (c->dir) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.pdf", c->dir, commune);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(pdf->data, 1, pdf->len, f) != pdf->len) {
            if (f)
                fclose(f);
            return khum_err_set(err, KHUM_ERR_IO, "", "cannot write %s", path);
        }
        fclose(f);
    }
    return KHUM_OK;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_print DB [OUT_DIR]\n");
        return 2;
    }
    khum_store *s;
    khum_err err;
    khum_err_clear(&err);
    if (khum_store_open(argv[1], &s, &err)) {
        fprintf(stderr, "bench_print: %s\n", err.msg);
        return 1;
    }
    counts c = {.dir = argc > 2 ? argv[2] : NULL};
    khum_print_opts o = {.lang = KHUM_PRINT_BOTH};
    double t0 = now_ms();
    khum_code rc = khum_print_protocols(s, NULL, &o, put, &c, &err);
    double t1 = now_ms();
    khum_store_close(s);
    if (rc) {
        fprintf(stderr, "bench_print: %s [%s]\n", err.msg, err.rule);
        return 1;
    }
    printf("khum: %zu protocols (Khmer and English), %zu bytes, %.0f ms, %.1f ms a protocol\n",
           c.n, c.bytes, t1 - t0, (t1 - t0) / (double)(c.n ? c.n : 1));
    return 0;
}
