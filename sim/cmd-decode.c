/* SPDX-License-Identifier: MIT */
/*
 * tdxsim decode STATUS... [--leaf N]: explain TDX status words, the values a
 * SEAMCALL returns in RAX, in plain words: name, severity, class, decoded
 * details and a likely cause. Users paste these words from dmesg
 * ("SEAMCALL (0x...22) failed: 0xc000050500000000"); maintainers decode
 * them by hand (peers-and-style.md section 6). Exit 0, or 2 on bad usage.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim decode [--leaf N] [--field ID] STATUS...\n"
		"\n"
		"Explain TDX status words (what a SEAMCALL returns in RAX) in plain words:\n"
		"the code's name and meaning, its severity bits, its class, the details in\n"
		"bits 31:0 (operand, TDMR and reserved-area index, PAMT level, MSR) and a\n"
		"likely cause. One paragraph per STATUS, a blank line between them.\n"
		"\n"
		"STATUS is hexadecimal, with or without 0x (as dmesg prints it).\n"
		"\n"
		"  -l, --leaf N  the SEAMCALL leaf that returned it (RAX as passed, e.g. 34,\n"
		"                0x22 or 0x10022 for version 1); decimal or 0x hex\n"
		"  -f, --field ID  a metadata field id the call read (the RDX of a failed\n"
		"                TDH.SYS.RD in a kernel log, e.g. 0x9100000100000008): named\n"
		"                after the explanation\n"
		"  -h, --help    show this help\n"
		"\n"
		"Exit status: 0 decoded, 2 usage error or a malformed number.\n");
}

/* Hex digits only, with an optional 0x, at most 16 of them. */
static int
parse_status(const char *s, uint64_t *out)
{
	size_t n;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	n = strlen(s);
	if (n == 0 || n > 16)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -EINVAL;
	}
	*out = strtoull(s, NULL, 16);
	return 0;
}

/* Decimal or 0x hex; no octal, signs or trailing text. RAX bits 23:0
 * (leaf and version) are all a leaf can use. */
static int
parse_leaf(const char *s, int *out)
{
	int base = 10;
	unsigned long long v;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!isxdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (*end != '\0' || errno != 0 || v > 0xFFFFFF)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

static int
decode_one(uint64_t status, int leaf, int first)
{
	char *text = tdxsim_status_describe(status, leaf);

	if (!text) {
		fprintf(stderr, "tdxsim decode: out of memory\n");
		return CLI_EXIT_USAGE;
	}
	printf("%s%s\n", first ? "" : "\n", text);
	free(text);
	return CLI_EXIT_OK;
}

/* Check every word first, so that a typo prints nothing but the error. */
static int
check_words(int argc, char **argv, int first)
{
	uint64_t status;

	for (int i = first; i < argc; i++) {
		if (parse_status(argv[i], &status) < 0)
			return cli_usage_error("decode",
					       "'%s' is not a status word "
					       "(up to 16 hex digits, optional 0x)",
					       argv[i]);
	}
	return CLI_EXIT_OK;
}

static void
print_field(uint64_t field)
{
	char name[96];

	if (tdxsim_metadata_field_describe(field, name, sizeof(name)) == 0)
		printf("\nField 0x%016" PRIx64 ": %s, a global metadata field of TDX module 1.5.\n",
		       field, name);
	else
		printf("\nField 0x%016" PRIx64 ": not a global metadata field tdxsim knows.\n",
		       field);
}

int
cmd_decode(int argc, char **argv)
{
	static const struct option options[] = {
		{ "leaf", required_argument, NULL, 'l' },
		{ "field", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int leaf = -1, c, have_field = 0;
	uint64_t field = 0;

	opterr = 0;
	/* No "+": --leaf may follow the status words, as in the usage line. */
	while ((c = getopt_long(argc, argv, "l:f:h", options, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (parse_status(optarg, &field) < 0)
				return cli_usage_error("decode",
						       "'%s' is not a field id (up to 16 hex digits, optional 0x)",
						       optarg);
			have_field = 1;
			break;
		case 'l':
			if (parse_leaf(optarg, &leaf) < 0)
				return cli_usage_error("decode",
						       "'%s' is not a leaf number "
						       "(decimal or 0x hex, below 0x1000000)",
						       optarg);
			break;
		case 'h':
			print_usage(stdout);
			return CLI_EXIT_OK;
		default:
			return cli_usage_error("decode", "unknown option or missing value '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("decode", "no status word given");
	if (check_words(argc, argv, optind) != CLI_EXIT_OK)
		return CLI_EXIT_USAGE;
	for (int i = optind; i < argc; i++) {
		uint64_t status = 0;
		int ret;

		parse_status(argv[i], &status);
		ret = decode_one(status, leaf, i == optind);
		if (ret != CLI_EXIT_OK)
			return ret;
	}
	if (have_field)
		print_field(field);
	return CLI_EXIT_OK;
}
