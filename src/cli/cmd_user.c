/*
 * cmd_user.c: `khum user add|list|disable|enable|passwd|set`: the people who
 * may write through `khum serve`. Passwords are read from standard input
 * (without echo on a terminal), never from the command line, where other
 * users of the machine could see them in the process list.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "khum/app.h"
#include "khum/auth.h"

static const char *help =
    "usage: khum user add NAME --role ROLE [--scope CODES] --user ADMIN [--db PATH]\n"
    "       khum user list [--db PATH] [--json]\n"
    "       khum user passwd NAME --user ADMIN [--db PATH]\n"
    "       khum user set NAME [--role ROLE] [--scope CODES] --user ADMIN [--db PATH]\n"
    "       khum user disable|enable NAME --user ADMIN [--db PATH]\n"
    "\n"
    "Every change is made by an administrator named with --user (or $KHUM_USER).\n"
    "The one exception bootstraps a new database: while it has no administrator,\n"
    "khum user add NAME --role admin works without --user (and only for an admin).\n"
    "\n"
    "Users of the server and what they may do:\n"
    "  clerk        keys result forms of the communes or stations in its scope\n"
    "  coordinator  also settles entries, explains warnings and records ledger\n"
    "               events in its scope (usually a province)\n"
    "  admin        the commission administrator: everything\n"
    "  observer     reads everything, writes nothing\n"
    "A scope is area or station codes separated by ';': 01 (a province),\n"
    "0102 (a district), 010201 (a commune), 010201-01 (one station); each must\n"
    "be in the gazetteer (import it first).\n"
    "The password (at least 10 characters) is read from standard input; on a\n"
    "terminal it is asked for twice without echo. Changing a user ends its sessions.\n";

static int read_password(char *buf, size_t cap)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    char again[256];
    for (int round = 0; round < (tty ? 2 : 1); round++) {
        char *dst = round == 0 ? buf : again;
        size_t dcap = round == 0 ? cap : sizeof again;
        if (tty) {
            fprintf(stderr, round == 0 ? "password: " : "again: ");
            tcgetattr(STDIN_FILENO, &old);
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        }
        char *ok = fgets(dst, (int)dcap, stdin);
        if (tty) {
            tcsetattr(STDIN_FILENO, TCSANOW, &old);
            fputc('\n', stderr);
        }
        if (!ok)
            return cli_usage_error("user", "no password on standard input");
        dst[strcspn(dst, "\r\n")] = 0;
    }
    if (tty && strcmp(buf, again) != 0)
        return cli_usage_error("user", "the two passwords differ");
    return EXIT_OK;
}

static int list_users(khum_store *s, bool json)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_user *u;
    size_t n;
    khum_err err;
    khum_err_clear(&err);
    if (khum_store_list_users(s, &a, &u, &n, &err)) {
        khum_arena_free(&a);
        return cli_fail(&err);
    }
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:b,s:s}", "name", u[i].name,
                                                 "role", u[i].role, "scope", u[i].scope,
                                                 "disabled", u[i].disabled, "created",
                                                 u[i].created));
        int st = cli_print_json("user", arr);
        khum_arena_free(&a);
        return st;
    }
    printf("%-20s %-12s %-9s %s\n", "user", "role", "state", "scope");
    for (size_t i = 0; i < n; i++)
        printf("%-20s %-12s %-9s %s\n", u[i].name, u[i].role,
               u[i].disabled ? "disabled" : "active", *u[i].scope ? u[i].scope : "-");
    khum_arena_free(&a);
    return EXIT_OK;
}

int cmd_user(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"role", required_argument, 0, 'r'},
        {"scope", required_argument, 0, 's'}, {"json", no_argument, 0, 'j'},
        {"user", required_argument, 0, 'u'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *db = NULL, *role = NULL, *scope = NULL, *by = NULL;
    bool json = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'r': role = optarg; break;
        case 's': scope = optarg; break;
        case 'u': by = optarg; break;
        case 'j': json = true; break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: return EXIT_BAD;
        }
    }
    if (optind >= argc)
        return cli_usage_error("user", "which action? add, list, passwd, set, disable or "
                               "enable (khum user --help)");
    const char *act = argv[optind], *name = optind + 1 < argc ? argv[optind + 1] : NULL;
    bool is_list = strcmp(act, "list") == 0;
    if (!is_list && !name)
        return cli_usage_error("user", "%s needs a user name", act);
    if (strcmp(act, "add") == 0 && !role)
        return cli_usage_error("user", "add needs --role clerk|coordinator|admin|observer");
    if (role && khum_role_parse(role) == KHUM_ROLE_NONE)
        return cli_usage_error("user", "unknown role '%s' (clerk, coordinator, admin or "
                               "observer) [AUTH.508]", role);
    khum_store *s;
    int st = is_list ? cli_open_existing(db, &s) : cli_open_store(db, &s);
    if (st)
        return st;
    khum_err err;
    khum_err_clear(&err);
    const char *actor = NULL;   /* the store's: cli:NAME once authorized */
    char pw[256] = "";
    khum_code rc = KHUM_OK;
    const char *env = getenv("KHUM_USER");
    bool bootstrap = strcmp(act, "add") == 0 && !(by && *by) && !(env && *env);
    if (!is_list && !bootstrap && (st = cli_authorize(s, by, KHUM_DO_USERS, "", "user", NULL))) {
        khum_store_close(s);
        return st;
    }
    if (is_list) {
        st = list_users(s, json);
    } else if (bootstrap) {
        if (!(st = read_password(pw, sizeof pw)))
            rc = khum_app_user_bootstrap(s, actor, name, role, scope ? scope : "", pw, &err);
    } else if (strcmp(act, "add") == 0) {
        if (!(st = read_password(pw, sizeof pw)))
            rc = khum_app_user_add(s, actor, name, role, scope ? scope : "", pw, &err);
    } else if (strcmp(act, "passwd") == 0) {
        if (!(st = read_password(pw, sizeof pw)))
            rc = khum_app_user_change(s, actor, name, NULL, NULL, pw, -1, &err);
    } else if (strcmp(act, "set") == 0) {
        rc = khum_app_user_change(s, actor, name, role, scope, NULL, -1, &err);
    } else if (strcmp(act, "disable") == 0 || strcmp(act, "enable") == 0) {
        rc = khum_app_user_change(s, actor, name, NULL, NULL, NULL, act[0] == 'd', &err);
    } else {
        st = cli_usage_error("user", "unknown action '%s' (khum user --help)", act);
    }
    explicit_bzero(pw, sizeof pw);
    if (rc)
        st = cli_fail(&err);
    else if (!st && !is_list)
        fprintf(stderr, "khum: user %s: %s done\n", name, act);
    khum_store_close(s);
    return st;
}
