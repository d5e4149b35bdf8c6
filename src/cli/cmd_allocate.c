/* cmd_allocate.c: placeholder until the allocation engine lands (next commit). */
#include "cli.h"
int cmd_allocate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "khum allocate: not built yet\n");
    return EXIT_FAIL;
}
