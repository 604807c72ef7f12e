/* placeholder until import-dmesg lands */
#include "config.h"
#include "cli.h"
int cmd_import_dmesg(int argc, char **argv) { (void)argc; (void)argv; return CLI_EXIT_USAGE; }
