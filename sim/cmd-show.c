/* placeholder until show lands */
#include "config.h"
#include "cli.h"
int cmd_show(int argc, char **argv) { (void)argc; (void)argv; return CLI_EXIT_USAGE; }
