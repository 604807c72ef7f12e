/* placeholder until check lands */
#include "config.h"
#include "cli.h"
int cmd_check(int argc, char **argv) { (void)argc; (void)argv; return CLI_EXIT_USAGE; }
