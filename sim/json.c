/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "json.h"

void
cli_json_string(const char *s)
{
	putchar('"');
	for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", stdout);
		else if (*c == '\t')
			fputs("\\t", stdout);
		else if (*c < 0x20 || *c == 0x7f)
			printf("\\u%04x", *c);
		else
			putchar(*c);
	}
	putchar('"');
}

void
cli_json_range(uint64_t base, uint64_t size)
{
	printf("\"base\": \"0x%" PRIx64 "\", \"end\": \"0x%" PRIx64 "\", \"size\": %" PRIu64,
	       base, base + size, size);
}
