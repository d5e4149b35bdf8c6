/*
 * csv_read.c: the streaming CSV reader. One byte-level state machine (START,
 * UNQUOTED, QUOTED, QUOTE_SEEN) fed from a refillable buffer; UTF-8 is checked
 * byte by byte on the raw input so an invalid sequence is reported at its true
 * line and column, before quotes are unescaped. Fields of the current record
 * are stored back to back, NUL-terminated, in one buffer.
 */
#include "khum/csv.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { ST_START, ST_UNQUOTED, ST_QUOTED, ST_QUOTE_SEEN };

typedef struct field_pos {
    size_t off, len;
    long line, col;
} field_pos;

struct khum_csv {
    char name[256];
    FILE *f;
    bool own_f;
    const unsigned char *mem, *mem_end;   /* memory source, or the read buffer */
    unsigned char chunk[65536];
    size_t consumed;
    bool started, eof;

    long line, col;           /* position of the last byte read */
    int prev;                 /* previous raw byte, -1 at start */
    bool eat_lf;              /* a CR ended the last record: skip one LF */

    int u8_need;              /* continuation bytes still expected */
    uint32_t u8_cp, u8_min;
    long u8_line, u8_col;

    khum_buf rec;             /* field bytes of the current record */
    field_pos *fields;
    size_t nfields, cap_fields;
    long rec_line;

    char **header;
    size_t nheader;
    bool have_header, ragged;
};

static khum_csv *csv_new(const char *name)
{
    khum_csv *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    snprintf(c->name, sizeof c->name, "%s", name ? name : "-");
    c->line = 1;
    c->prev = -1;
    khum_buf_init(&c->rec);
    return c;
}

khum_csv *khum_csv_open_stream(const char *name, FILE *f)
{
    khum_csv *c = csv_new(name);
    if (c)
        c->f = f;
    return c;
}

khum_csv *khum_csv_open_mem(const char *name, const char *data, size_t len)
{
    khum_csv *c = csv_new(name);
    if (!c)
        return NULL;
    c->mem = (const unsigned char *)data;
    c->mem_end = c->mem + len;
    return c;
}

khum_code khum_csv_open_path(const char *path, khum_csv **out, khum_err *err)
{
    *out = NULL;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        khum_err_set(err, KHUM_ERR_IO, "CSV.110", "cannot open: %s", strerror(errno));
        khum_err_at(err, path, 0, 0, NULL);
        return KHUM_ERR_IO;
    }
    khum_csv *c = khum_csv_open_stream(strcmp(path, "-") == 0 ? "<stdin>" : path, f);
    if (!c) {
        if (f != stdin)
            fclose(f);
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    c->own_f = (f != stdin);
    *out = c;
    return KHUM_OK;
}

void khum_csv_close(khum_csv *c)
{
    if (!c)
        return;
    if (c->own_f)
        fclose(c->f);
    khum_buf_free(&c->rec);
    free(c->fields);
    for (size_t i = 0; i < c->nheader; i++)
        free(c->header[i]);
    free(c->header);
    free(c);
}

/* Refill from the stream; returns false at end of input or on a read error. */
static bool refill(khum_csv *c, khum_err *err, bool *ioerr)
{
    if (!c->f)
        return false;
    size_t n = fread(c->chunk, 1, sizeof c->chunk, c->f);
    if (n == 0) {
        if (ferror(c->f)) {
            *ioerr = true;
            khum_err_set(err, KHUM_ERR_IO, "CSV.110", "read error: %s", strerror(errno));
            khum_err_at(err, c->name, c->line, 0, NULL);
        }
        return false;
    }
    c->mem = c->chunk;
    c->mem_end = c->chunk + n;
    return true;
}

/* 0 when a byte is ready, else -1 at end (-2 on read error). */
static inline __attribute__((always_inline)) int have_byte(khum_csv *c, khum_err *err)
{
    if (c->mem < c->mem_end)
        return 0;
    bool ioerr = false;
    return refill(c, err, &ioerr) ? 0 : ioerr ? -2 : -1;
}

/* Next raw byte, or -1 at end (-2 on read error). Tracks line and column:
 * CR, LF and CRLF each end one line; the column counts characters. (Not
 * recursive: a compiler at -O0 cannot inline a function that calls itself.) */
static inline __attribute__((always_inline)) int get_byte(khum_csv *c, khum_err *err)
{
    int r = have_byte(c, err);
    if (r)
        return r;
    if (!c->started) {
        c->started = true;
        /* Skip a UTF-8 byte-order mark; it is not part of the first name. */
        if (c->mem_end - c->mem >= 3 && c->mem[0] == 0xEF && c->mem[1] == 0xBB &&
            c->mem[2] == 0xBF) {
            c->mem += 3;
            c->consumed += 3;
            if ((r = have_byte(c, err)))
                return r;
        }
    }
    int b = *c->mem++;
    c->consumed++;
    if (c->prev == '\r' || (c->prev == '\n')) {
        if (!(b == '\n' && c->prev == '\r')) {
            c->line++;
            c->col = 0;
        }
    }
    if ((b & 0xC0) != 0x80)
        c->col++;
    c->prev = b;
    return b;
}

static khum_code err_here(khum_csv *c, khum_err *err, long line, long col,
                          const char *rule, const char *msg)
{
    khum_err_set(err, KHUM_ERR_INPUT, rule, "%s", msg);
    const char *field = NULL;
    if (c->have_header && c->nfields < c->nheader)
        field = c->header[c->nfields];
    khum_err_at(err, c->name, line, col, field);
    return KHUM_ERR_INPUT;
}

/* Check UTF-8 on the raw byte stream; returns false (err set) on a bad byte. */
static inline __attribute__((always_inline)) bool utf8_feed(khum_csv *c, int b, khum_err *err)
{
    if (c->u8_need) {
        if ((b & 0xC0) != 0x80)
            goto bad;
        c->u8_cp = (c->u8_cp << 6) | (uint32_t)(b & 0x3F);
        if (--c->u8_need == 0 &&
            (c->u8_cp < c->u8_min || c->u8_cp > 0x10FFFF ||
             (c->u8_cp >= 0xD800 && c->u8_cp <= 0xDFFF)))
            goto bad;
        return true;
    }
    c->u8_line = c->line;
    c->u8_col = c->col;
    if (b == 0) {
        err_here(c, err, c->line, c->col, "CSV.111", "NUL byte in text");
        return false;
    }
    if (b < 0x80)
        return true;
    if (b >= 0xC2 && b <= 0xDF) {
        c->u8_need = 1; c->u8_cp = (uint32_t)(b & 0x1F); c->u8_min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        c->u8_need = 2; c->u8_cp = (uint32_t)(b & 0x0F); c->u8_min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        c->u8_need = 3; c->u8_cp = (uint32_t)(b & 0x07); c->u8_min = 0x10000;
    } else {
        goto bad;
    }
    return true;
bad:
    err_here(c, err, c->u8_line, c->u8_col, "CSV.103",
             "invalid UTF-8 (the file must be UTF-8 text)");
    return false;
}

/* Room for n fields in c->fields. */
static bool fields_reserve(khum_csv *c, size_t n, khum_err *err)
{
    if (n <= c->cap_fields)
        return true;
    size_t cap = c->cap_fields ? c->cap_fields : 32;
    while (cap < n)
        cap *= 2;
    field_pos *p = realloc(c->fields, cap * sizeof *p);
    if (!p) {
        khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        return false;
    }
    c->fields = p;
    c->cap_fields = cap;
    return true;
}

/* after_comma: the field starts on the byte after the current one. */
static inline __attribute__((always_inline)) bool begin_field(khum_csv *c, bool after_comma, khum_err *err)
{
    if (c->nfields == KHUM_CSV_MAX_FIELDS) {
        err_here(c, err, c->line, c->col, "CSV.108", "too many fields in one record");
        return false;
    }
    if (!fields_reserve(c, c->nfields + 1, err))
        return false;
    field_pos *fp = &c->fields[c->nfields];
    fp->off = c->rec.len;
    fp->len = 0;
    fp->line = c->line;
    fp->col = c->col + after_comma;
    return true;
}

static inline __attribute__((always_inline)) bool end_field(khum_csv *c, khum_err *err)
{
    field_pos *fp = &c->fields[c->nfields];
    fp->len = c->rec.len - fp->off;
    if (!khum_buf_putc(&c->rec, '\0')) {
        khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        return false;
    }
    c->nfields++;
    return true;
}

static inline __attribute__((always_inline)) bool put_byte(khum_csv *c, int b, khum_err *err)
{
    if (c->rec.len - c->fields[c->nfields].off >= KHUM_CSV_MAX_FIELD) {
        field_pos *fp = &c->fields[c->nfields];
        err_here(c, err, fp->line, fp->col, "CSV.107", "field longer than 1 MiB");
        return false;
    }
    char ch = (char)b;
    if (!khum_buf_append(&c->rec, &ch, 1)) {
        khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        return false;
    }
    return true;
}

/* Fast path: after a plain byte of a field, take the run of plain ASCII bytes
 * that follows in the buffer (no quote, no line break, no comma outside
 * quotes, nothing above 0x7F) with one copy instead of a call per byte. It
 * keeps exactly the position and UTF-8 state the byte loop would. */
static inline __attribute__((always_inline)) bool take_run(khum_csv *c, bool quoted, khum_err *err)
{
    if (c->u8_need || c->prev == '\r' || c->prev == '\n')
        return true;
    const unsigned char *p = c->mem, *end = c->mem_end;
    while (p < end) {
        unsigned char b = *p;
        if (b >= 0x7F || b == '"' || (b < 0x20 && b != '\t') || (b == ',' && !quoted))
            break;
        p++;
    }
    size_t n = (size_t)(p - c->mem);
    if (n == 0)
        return true;
    field_pos *fp = &c->fields[c->nfields];
    if (c->rec.len - fp->off + n > KHUM_CSV_MAX_FIELD) {
        err_here(c, err, fp->line, fp->col, "CSV.107", "field longer than 1 MiB");
        return false;
    }
    if (!khum_buf_append(&c->rec, c->mem, n)) {
        khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        return false;
    }
    c->col += (long)n;
    c->consumed += n;
    c->prev = p[-1];
    c->mem = p;
    return true;
}

static int finish_record(khum_csv *c, khum_err *err)
{
    if (!end_field(c, err))
        return -1;
    if (c->have_header && !c->ragged && c->nfields != c->nheader) {
        char msg[128];
        snprintf(msg, sizeof msg, "expected %zu fields as in the header, found %zu",
                 c->nheader, c->nfields);
        khum_err_set(err, KHUM_ERR_INPUT, "CSV.104", "%s", msg);
        khum_err_at(err, c->name, c->rec_line, 0, NULL);
        return -1;
    }
    return 1;
}



/* Bytes as eight lanes of a word (SWAR). Each mask has the high bit of
 * every lane that matches, exactly (no false lane from a borrow). */
#define LANES_1 0x0101010101010101ULL
#define LANES_7F 0x7F7F7F7F7F7F7F7FULL
#define LANES_80 0x8080808080808080ULL

static inline uint64_t swar_eq(uint64_t x, unsigned char b)
{
    uint64_t t = x ^ (LANES_1 * b);
    return ~(((t & LANES_7F) + LANES_7F) | t) & LANES_80;
}

/* Lanes below b (b <= 0x80). */
static inline uint64_t swar_lt(uint64_t x, unsigned char b)
{
    return ~(((x & LANES_7F) + LANES_1 * (0x80u - b)) | x) & LANES_80;
}

/* Lanes the fast path cannot take: a quote, a control byte other than tab,
 * DEL and anything above (UTF-8 is checked by the state machine). */
static inline uint64_t swar_unplain(uint64_t x)
{
    return (swar_lt(x, 0x20) & ~swar_eq(x, '\t')) | swar_eq(x, '"') | swar_eq(x, 0x7F) |
           (x & LANES_80);
}

/* The high bits of the lanes gathered into the low 8 bits, lane 0 lowest. */
static inline uint64_t swar_bits(uint64_t m)
{
    return ((m >> 7) * 0x0102040810204080ULL) >> 56;
}

/* Up to 8 bytes as lanes, the first byte in lane 0; pad fills the rest. */
static inline uint64_t swar_load(const unsigned char *p, size_t n, uint64_t pad)
{
    uint64_t x;
    if (n < 8) {  /* bytes one by one: a copy of variable length would stall the load */
        for (size_t k = 0; k < n; k++)
            pad = (pad & ~(0xFFULL << (8 * k))) | (uint64_t)p[k] << (8 * k);
        return pad;
    }
    memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x;
}

static inline void swar_store(unsigned char *d, uint64_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    memcpy(d, &x, 8);
}

/* Field k of the record, growing the table when needed: 1, or 0 when the
 * record has too many fields (the state machine says so), -1 out of memory. */
static inline int add_field(khum_csv *c, size_t k, size_t off, size_t len, long line,
                            khum_err *err)
{
    if (k >= c->cap_fields) {
        if (k >= KHUM_CSV_MAX_FIELDS)
            return 0;
        if (!fields_reserve(c, k + 1, err))
            return -1;
    }
    c->fields[k] = (field_pos){off, len, line, (long)off + 1};
    return 1;
}

/* Fast path for a whole record: when the complete line is in the buffer and
 * is plain ASCII with no quote (what machines write), split it on commas in
 * one pass. Returns 1 when it took the record, 0 to let the byte-level state
 * machine do it (quotes, UTF-8, CR, NUL, a line across the buffer's end, an
 * over-long line), -1 on error. Positions come out exactly as the state
 * machine would give. */
static int fast_record(khum_csv *c, khum_err *err)
{
    if (!c->started || c->eat_lf || c->u8_need || c->mem >= c->mem_end || *c->mem == '\n')
        return 0;
    const unsigned char *p = c->mem;
    const unsigned char *nl = memchr(p, '\n', (size_t)(c->mem_end - p));
    size_t len = nl ? (size_t)(nl - p) : 0;
    if (!nl || len > KHUM_CSV_MAX_FIELD)
        return 0;  /* no end of line in the buffer; over-long lines go the slow way */
    long line = c->line + (c->prev == '\n' || c->prev == '\r');
    /* Eight bytes at a time: find the commas (as bits), check that every
     * byte is plain, and copy the line with each comma made the NUL that
     * ends its field. No branch per byte and no chain of dependent steps
     * through a field counter, which cost more than the scan itself. */
    enum { FAST_LINE = 4096 };
    if (len >= FAST_LINE)
        return 0;
    khum_buf_reset(&c->rec);
    if (!khum_buf_reserve(&c->rec, len + 8)) {
        khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        return -1;
    }
    unsigned char *d = (unsigned char *)c->rec.data;
    uint64_t commas[FAST_LINE / 64], bad = 0;
    for (size_t w = 0; w * 64 < len; w++) {
        uint64_t m = 0;
        for (size_t j = 0; j < 64 && w * 64 + j < len; j += 8) {
            size_t i = w * 64 + j;
            uint64_t x = swar_load(p + i, len - i, LANES_1 * 'a');  /* 'a': plain, no comma */
            uint64_t comma = swar_eq(x, ',');
            bad |= swar_unplain(x);
            m |= swar_bits(comma) << j;
            swar_store(d + i, x & ~((comma >> 7) * 0xFF));
        }
        commas[w] = m;
    }
    if (bad)
        return 0;  /* the state machine takes it, and gives any error */
    d[len] = '\0';
    c->rec.len = len;
    size_t nf = 0, start = 0;
    int ok;
    for (size_t w = 0; w * 64 < len; w++)
        for (uint64_t m = commas[w]; m; m &= m - 1) {
            size_t i = w * 64 + (size_t)__builtin_ctzll(m);
            if ((ok = add_field(c, nf++, start, i - start, line, err)) <= 0)
                return ok;
            start = i + 1;
        }
    if ((ok = add_field(c, nf++, start, len - start, line, err)) <= 0)
        return ok;
    c->nfields = nf;
    c->rec_line = line;
    c->line = line;
    c->col = (long)len + 1;
    c->prev = '\n';
    c->consumed += len + 1;
    c->mem = nl + 1;
    if (c->have_header && !c->ragged && c->nfields != c->nheader) {
        khum_err_set(err, KHUM_ERR_INPUT, "CSV.104", "expected %zu fields as in the header, "
                     "found %zu", c->nheader, c->nfields);
        khum_err_at(err, c->name, c->rec_line, 0, NULL);
        return -1;
    }
    return 1;
}

int khum_csv_next(khum_csv *c, khum_err *err)
{
    if (c->eof)
        return 0;
    int fast = fast_record(c, err);
    if (fast)
        return fast;
    khum_buf_reset(&c->rec);
    c->nfields = 0;
    int state = ST_START;
    bool any = false;  /* has this record consumed a byte other than an empty line */
    for (;;) {
        int b = get_byte(c, err);
        if (b == -2)
            return -1;
        if (b >= 0 && !utf8_feed(c, b, err))
            return -1;
        if (b == '\n' && c->eat_lf) {
            c->eat_lf = false;
            continue;
        }
        c->eat_lf = false;
        if (b == -1) {
            c->eof = true;
            if (c->u8_need) {
                err_here(c, err, c->u8_line, c->u8_col, "CSV.103",
                         "invalid UTF-8: truncated sequence at end of file");
                return -1;
            }
            if (state == ST_QUOTED) {
                field_pos *fp = &c->fields[c->nfields];
                err_here(c, err, fp->line, fp->col, "CSV.101",
                         "quoted field is not closed before the end of the file");
                return -1;
            }
            if (!any)
                return 0;
            return finish_record(c, err);
        }
        if (!any) {
            if (b == '\n' || b == '\r') {  /* an empty line: skip it */
                if (b == '\r')
                    c->eat_lf = true;
                continue;
            }
            any = true;
            c->rec_line = c->line;
            if (!begin_field(c, false, err))
                return -1;
        }
        switch (state) {
        case ST_START:
            if (b == '"') {
                state = ST_QUOTED;
                break;
            }
            state = ST_UNQUOTED;
            /* fall through */
        case ST_UNQUOTED:
            if (b == ',') {
                if (!end_field(c, err) || !begin_field(c, true, err))
                    return -1;
                state = ST_START;
            } else if (b == '\n' || b == '\r') {
                c->eat_lf = (b == '\r');
                return finish_record(c, err);
            } else if (b == '"') {
                err_here(c, err, c->line, c->col, "CSV.102",
                         "quote inside an unquoted field (quote the whole field and double the quote)");
                return -1;
            } else if (!put_byte(c, b, err) || !take_run(c, false, err)) {
                return -1;
            }
            break;
        case ST_QUOTED:
            if (b == '"')
                state = ST_QUOTE_SEEN;
            else if (!put_byte(c, b, err) || !take_run(c, true, err))
                return -1;
            break;
        case ST_QUOTE_SEEN:
            if (b == '"') {
                if (!put_byte(c, b, err))
                    return -1;
                state = ST_QUOTED;
            } else if (b == ',') {
                if (!end_field(c, err) || !begin_field(c, true, err))
                    return -1;
                state = ST_START;
            } else if (b == '\n' || b == '\r') {
                c->eat_lf = (b == '\r');
                return finish_record(c, err);
            } else {
                err_here(c, err, c->line, c->col, "CSV.102",
                         "text after the closing quote of a field");
                return -1;
            }
            break;
        }
    }
}

size_t khum_csv_count(const khum_csv *c) { return c->nfields; }
long khum_csv_line(const khum_csv *c) { return c->rec_line; }
const char *khum_csv_name(const khum_csv *c) { return c->name; }
size_t khum_csv_offset(const khum_csv *c) { return c->consumed; }
void khum_csv_allow_ragged(khum_csv *c, bool allow) { c->ragged = allow; }

const char *khum_csv_get(const khum_csv *c, size_t i)
{
    return i < c->nfields ? c->rec.data + c->fields[i].off : "";
}

size_t khum_csv_len(const khum_csv *c, size_t i)
{
    return i < c->nfields ? c->fields[i].len : 0;
}

void khum_csv_get_many(const khum_csv *c, const int *cols, size_t n, const char **s,
                       size_t *len)
{
    for (size_t k = 0; k < n; k++) {
        size_t i = (size_t)cols[k];  /* -1 becomes larger than any count */
        s[k] = i < c->nfields ? c->rec.data + c->fields[i].off : "";
        len[k] = i < c->nfields ? c->fields[i].len : 0;
    }
}

long khum_csv_field_line(const khum_csv *c, size_t i)
{
    return i < c->nfields ? c->fields[i].line : c->rec_line;
}

long khum_csv_field_col(const khum_csv *c, size_t i)
{
    return i < c->nfields ? c->fields[i].col : 0;
}

const char *khum_csv_header(const khum_csv *c, size_t i)
{
    return i < c->nheader ? c->header[i] : "";
}

static char *trimmed_dup(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

khum_code khum_csv_read_header(khum_csv *c, khum_err *err)
{
    int r = khum_csv_next(c, err);
    if (r < 0)
        return err ? err->code : KHUM_ERR_INPUT;
    if (r == 0) {
        khum_err_set(err, KHUM_ERR_INPUT, "CSV.109", "empty file: a header line is expected");
        khum_err_at(err, c->name, 1, 0, NULL);
        return KHUM_ERR_INPUT;
    }
    return khum_csv_header_from_record(c, err);
}

/* Drop the header there is and make room for n names. */
static khum_code header_reset(khum_csv *c, size_t n, khum_err *err)
{
    for (size_t i = 0; i < c->nheader; i++)
        free(c->header[i]);
    free(c->header);
    c->nheader = 0;
    c->header = calloc(n ? n : 1, sizeof *c->header);
    return c->header ? KHUM_OK : khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
}

khum_code khum_csv_header_from_record(khum_csv *c, khum_err *err)
{
    if (header_reset(c, c->nfields, err))
        return KHUM_ERR_NOMEM;
    for (size_t i = 0; i < c->nfields; i++) {
        c->header[i] = trimmed_dup(khum_csv_get(c, i));
        if (!c->header[i])
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        c->nheader = i + 1;
        for (size_t j = 0; j < i; j++) {
            if (c->header[i][0] && strcasecmp(c->header[i], c->header[j]) == 0) {
                khum_err_set(err, KHUM_ERR_INPUT, "CSV.105",
                             "column '%s' appears twice in the header", c->header[i]);
                khum_err_at(err, c->name, c->fields[i].line, c->fields[i].col, NULL);
                return KHUM_ERR_INPUT;
            }
        }
    }
    c->have_header = true;
    return KHUM_OK;
}

khum_code khum_csv_use_header(khum_csv *c, const khum_csv *from, khum_err *err)
{
    if (header_reset(c, from->nheader, err))
        return KHUM_ERR_NOMEM;
    for (size_t i = 0; i < from->nheader; i++) {
        if (!(c->header[i] = strdup(from->header[i])))
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        c->nheader = i + 1;
    }
    c->have_header = true;
    c->ragged = from->ragged;
    return KHUM_OK;
}

bool khum_csv_has_header(const khum_csv *c)
{
    return c->have_header;
}

void khum_csv_first_line(khum_csv *c, long line)
{
    c->line = line;
}

int khum_csv_col(const khum_csv *c, const char *names)
{
    const char *p = names;
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        for (size_t i = 0; i < c->nheader; i++)
            if (strlen(c->header[i]) == n && strncasecmp(c->header[i], p, n) == 0)
                return (int)i;
        p += n + (bar != NULL);
    }
    return -1;
}

khum_code khum_csv_require(const khum_csv *c, const char *const *names,
                           int *idx, size_t n, khum_err *err)
{
    for (size_t k = 0; k < n; k++) {
        idx[k] = khum_csv_col(c, names[k]);
        if (idx[k] >= 0)
            continue;
        khum_buf have;
        khum_buf_init(&have);
        for (size_t i = 0; i < c->nheader; i++)
            khum_buf_printf(&have, "%s%s", i ? ", " : "", c->header[i]);
        char want[128];
        snprintf(want, sizeof want, "%s", names[k]);
        char *bar = strchr(want, '|');
        if (bar)
            *bar = '\0';
        khum_err_set(err, KHUM_ERR_INPUT, "CSV.106",
                     "missing required column '%s' (the header has: %s)", want,
                     have.data ? have.data : "");
        khum_err_at(err, c->name, 1, 0, NULL);
        khum_buf_free(&have);
        return KHUM_ERR_INPUT;
    }
    return KHUM_OK;
}

khum_code khum_csv_field_error(const khum_csv *c, size_t i, khum_err *err,
                               khum_code code, const char *rule,
                               const char *fmt, ...)
{
    if (!err)
        return code;
    char msg[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    khum_err_set(err, code, rule, "%s", msg);
    khum_err_at(err, c->name, khum_csv_field_line(c, i), khum_csv_field_col(c, i),
                khum_csv_header(c, i));
    return code;
}
