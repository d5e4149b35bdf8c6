/*
 * cmd_geo.c: `khum geo show CODE|NAME` and `khum party list`: looking things
 * up in the stored geography and party registry, as text or JSON.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char geo_help[] =
    "usage: khum geo show [--db PATH] [--json] CODE|NAME\n"
    "\n"
    "Find a province, district or commune by its code (2, 4 or 6 digits; a village\n"
    "by its 8-digit code), by its Latin or UNGEGN name (case does not matter) or by\n"
    "its Khmer name. Exact names come first, then names that contain the query.\n"
    "\n"
    "  --db PATH   database (default $KHUM_DB or khum.db)\n"
    "  --json      print JSON instead of text\n"
    "  --limit N   at most N matches (default 20)\n";

static void print_text(const khum_area_info *r)
{
    const khum_unit *u = &r->unit;
    printf("%s %s  %s", khum_level_name(u->level), u->code, u->name_latin);
    if (*u->name_km)  /* other countries' gazetteers have no Khmer names */
        printf(" / %s", u->name_km);
    if (*u->unit_latin)
        printf("  (%s, %s)", u->unit_latin, u->unit_en);
    printf("\n");
    if (u->level > KHUM_PROVINCE) {  /* the parent the gazetteer named, at its level */
        printf("  in        %s %s", khum_level_name(u->parent_level), u->parent);
        printf(" %s", r->parent_name);
        if (u->parent_level > KHUM_PROVINCE && *r->province_code)
            printf(", province %s %s", r->province_code, r->province_name);
        printf("\n");
    }
    if (*u->name_ungegn)
        printf("  UNGEGN    %s\n", u->name_ungegn);
    if (u->has_centroid)
        printf("  centroid  %.6f, %.6f\n", u->lat, u->lon);
    if (u->level < KHUM_VILLAGE)  /* a province's may be districts or communes */
        printf("  %-9s %lld\n", u->level == KHUM_COMMUNE ? "villages" : "below",
               (long long)r->children);
    if (r->population >= 0)
        printf("  population %lld (%lld census)\n", (long long)r->population,
               (long long)r->population_year);
    if (r->seats > 0)
        printf("  council   %d seats (mandate %d)\n", r->seats, r->seats_mandate);
}

static json_t *info_json(const khum_area_info *r)
{
    const khum_unit *u = &r->unit;
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}",
                          "level", khum_level_name(u->level), "code", u->code,
                          "parent", u->parent, "name_latin", u->name_latin,
                          "name_km", u->name_km, "name_ungegn", u->name_ungegn,
                          "unit_latin", u->unit_latin, "unit_en", u->unit_en,
                          "children", (json_int_t)r->children);
    if (!o)
        return NULL;
    json_object_set_new(o, "parent_name", json_string(r->parent_name));
    if (u->has_centroid) {
        json_object_set_new(o, "lat", json_real(u->lat));
        json_object_set_new(o, "lon", json_real(u->lon));
    }
    if (r->population >= 0) {
        json_object_set_new(o, "population", json_integer(r->population));
        json_object_set_new(o, "population_year", json_integer(r->population_year));
    }
    if (r->seats > 0) {
        json_object_set_new(o, "seats", json_integer(r->seats));
        json_object_set_new(o, "seats_mandate", json_integer(r->seats_mandate));
    }
    return o;
}

static int geo_show(const char *db, const char *query, bool json, long limit)
{
    khum_store *s;
    int st = cli_open_existing(db, &s);
    if (st)
        return st;
    khum_err err;
    khum_err_clear(&err);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_area_info *rows;
    size_t n;
    khum_code rc = khum_store_find_areas(s, query, (size_t)limit, &a, &rows, &n, &err);
    if (rc) {
        st = cli_fail(&err);
    } else if (n == 0) {
        fprintf(stderr, "khum: no province, district, commune or village matches '%s'\n",
                query);
        st = EXIT_FAIL;
    } else if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, info_json(&rows[i]));
        st = cli_print_json("geo", arr);
    } else {
        for (size_t i = 0; i < n; i++) {
            if (i)
                printf("\n");
            print_text(&rows[i]);
        }
        if (n == (size_t)limit)
            printf("\n(first %ld matches; --limit N for more)\n", limit);
    }
    khum_arena_free(&a);
    khum_store_close(s);
    return st;
}

int cmd_geo(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
        {"limit", required_argument, NULL, 'l'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(geo_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD : EXIT_OK;
    }
    if (strcmp(argv[1], "show") != 0)
        return cli_usage_error("geo", "unknown subcommand '%s'", argv[1]);
    const char *db = NULL;
    bool json = false;
    long limit = 20;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc - 1, argv + 1, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd': db = optarg; break;
        case 'j': json = true; break;
        case 'l':
            if (!khum_parse_int_range(optarg, 1, 10000, &limit))
                return cli_usage_error("geo", "--limit '%s' is not a number from 1 to 10000",
                                       optarg);
            break;
        case 'h': fputs(geo_help, stdout); return EXIT_OK;
        default: return cli_usage_error("geo", "bad option");
        }
    }
    if (argc - 1 - optind != 1)
        return cli_usage_error("geo", "show takes one CODE or NAME");
    return geo_show(db, argv[1 + optind], json, limit);
}

int cmd_party(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                              {"help", no_argument, NULL, 'h'},
                                              {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (ch == 'd') {
            db = optarg;
        } else if (ch == 'h') {
            printf("usage: khum party list [--db PATH]\n\nList the registered parties as CSV.\n");
            return EXIT_OK;
        } else {
            return cli_usage_error("party", "bad option");
        }
    }
    if (argc - optind != 1 || strcmp(argv[optind], "list") != 0)
        return cli_usage_error("party", "expected: khum party list");
    khum_store *s;
    int st = cli_open_existing(db, &s);
    if (st)
        return st;
    khum_err err;
    khum_err_clear(&err);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_party *p;
    size_t n;
    if (khum_store_list_parties(s, &a, &p, &n, &err)) {
        st = cli_fail(&err);
    } else {
        khum_buf b;
        khum_buf_init(&b);
        static const char *const head[] = {"id", "abbr", "name_en", "name_km", "colour",
                                           "registered", "dissolved"};
        khum_csv_put_row(&b, head, 7);
        for (size_t i = 0; i < n; i++) {
            const char *row[] = {p[i].id, p[i].abbr, p[i].name_en, p[i].name_km,
                                 p[i].colour, p[i].registered, p[i].dissolved};
            khum_csv_put_row(&b, row, 7);
        }
        fwrite(b.data, 1, b.len, stdout);
        khum_buf_free(&b);
    }
    khum_arena_free(&a);
    khum_store_close(s);
    return st;
}
