/* SPDX-License-Identifier: MIT */
/*
 * The JSON pieces every command's --json output shares (docs/cli.md), on
 * standard output.
 */
#ifndef TDXSIM_CLI_JSON_H
#define TDXSIM_CLI_JSON_H

#include <stdint.h>

/* A JSON string: quotes, backslashes and control characters escaped;
 * other bytes as they are (the library's strings are UTF-8). NULL prints
 * as "". */
void cli_json_string(const char *s);

/* "base": "0x..", "end": "0x..", "size": N. Addresses are hex strings,
 * because JSON numbers lose precision above 2^53 in many readers; sizes
 * stay numbers. */
void cli_json_range(uint64_t base, uint64_t size);

#endif /* TDXSIM_CLI_JSON_H */
