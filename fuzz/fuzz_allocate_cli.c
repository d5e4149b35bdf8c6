/*
 * fuzz_allocate_cli.c: libFuzzer target for the CSV front end of
 * `khum allocate` (src/cli/cmd_allocate.c): the input is written to a file
 * and run through the command with --explain --margins. It must exit 0, 2 or
 * 3, never crash. Its stdout goes to /dev/null, and its stderr too while it
 * runs (libFuzzer's own reports still reach the real stderr).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    static int ready, devnull, saved_stderr;
    if (!ready) {
        snprintf(path, sizeof path, "/tmp/khum-fuzz-allocate-%d.csv", (int)getpid());
        if (!freopen("/dev/null", "w", stdout))
            abort();
        devnull = open("/dev/null", O_WRONLY);
        saved_stderr = dup(2);
        if (devnull < 0 || saved_stderr < 0)
            abort();
        ready = 1;
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    const char *method = size && (data[0] & 1) ? "cambodia" : "dhondt";
    char *argv[] = {"allocate", "--method", (char *)method, "--seats", "7", "--lots", "x",
                    "--explain", "--margins", path, NULL};
    fflush(stderr);
    dup2(devnull, 2);
    int st = cmd_allocate(10, argv);
    fflush(stderr);
    dup2(saved_stderr, 2);
    if (st != 0 && st != 2 && st != 3)
        abort();
    return 0;
}
