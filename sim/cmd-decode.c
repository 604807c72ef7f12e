/* SPDX-License-Identifier: MIT */
/*
 * tdxsim decode STATUS... [--leaf N]: explain TDX status words, the values a
 * SEAMCALL returns in RAX, in plain words: name, severity, class, decoded
 * details and a likely cause. Users paste these words from dmesg
 * ("SEAMCALL (0x...22) failed: 0xc000050500000000"); maintainers decode
 * them by hand (canonical/tdx#135, canonical/tdx#415). Exit 0, or 2 on bad usage.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim decode [--leaf N] [--field ID] [--json] STATUS...\n"
		"       tdxsim decode 'SEAMCALL (0x...) failed: 0x...'\n"
		"       dmesg | tdxsim decode -\n"
		"\n"
		"Explain TDX status words (what a SEAMCALL returns in RAX) in plain words:\n"
		"the code's name and meaning, its severity bits, its class, the details in\n"
		"bits 31:0 (operand, TDMR and reserved-area index, PAMT level, MSR) and a\n"
		"likely cause. One paragraph per STATUS, a blank line between them.\n"
		"\n"
		"STATUS is hexadecimal, with or without 0x (as dmesg prints it). The\n"
		"kernel's own line 'SEAMCALL (LEAF) failed: STATUS' may be given instead,\n"
		"quoted or not: the leaf is taken from it, and for a failed TDH.SYS.RD the\n"
		"field from the 'RCX ... RDX ...' line after it. '-' reads a whole log from\n"
		"standard input and explains every SEAMCALL failure in it.\n"
		"\n"
		"  -l, --leaf N  the SEAMCALL leaf that returned it: its name (TDH.SYS.RD)\n"
		"                or RAX as passed (34, 0x22, 0x10022 for version 1)\n"
		"  -f, --field ID  a metadata field id the call read (the RDX of a failed\n"
		"                TDH.SYS.RD in a kernel log, e.g. 0x9100000100000008): named\n"
		"                after the explanation\n"
		"  -j, --json    one JSON document: a \"words\" array, one object per status\n"
		"  -h, --help    show this help\n"
		"\n"
		"Exit status: 0 decoded, 2 usage error, a malformed number, or standard\n"
		"input without any SEAMCALL failure.\n");
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

/* A leaf by its name, in any case, with '.' or '_' between the words. */
static int
leaf_by_name(const char *s, int *out)
{
	for (unsigned leaf = 0; leaf < 256; leaf++) {
		const char *name = tdxsim_seamcall_leaf_name(leaf);
		size_t i = 0;

		if (!name)
			continue;
		while (name[i] && s[i] &&
		       (toupper((unsigned char)s[i]) == name[i] || (s[i] == '_' && name[i] == '.')))
			i++;
		if (!name[i] && !s[i]) {
			*out = (int)leaf;
			return 0;
		}
	}
	return -EINVAL;
}

/* A name, or decimal or 0x hex; no octal, signs or trailing text. RAX
 * bits 23:0 (leaf and version) are all a leaf can use. */
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
	if (isalpha((unsigned char)s[0]) && base == 10)
		return leaf_by_name(s, out);
	if (!isxdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (*end != '\0' || errno != 0 || v > 0xFFFFFF)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* Where the explanations go: text paragraphs, or the "words" array of a
 * JSON document. */
struct decode_out {
	struct cli_json *json;
	unsigned count;		/* words explained so far */
};

/* A word as JSON: its number, name, leaf and field (null when not known)
 * and the explanation the text prints. */
static void
json_word(struct cli_json *j, uint64_t status, int leaf, const char *text,
	  const uint64_t *field)
{
	char name[96];

	cli_json_object(j, NULL, CLI_JSON_BLOCK);
	cli_json_hex(j, "status", status);
	cli_json_str(j, "name", tdxsim_status_name(status));
	if (leaf >= 0) {
		cli_json_u64(j, "leaf", (uint64_t)leaf);
		cli_json_str(j, "leaf_name", tdxsim_seamcall_leaf_name((unsigned)leaf & 0xFFFF));
	} else {
		cli_json_null(j, "leaf");
		cli_json_null(j, "leaf_name");
	}
	if (field) {
		cli_json_hex(j, "field", *field);
		cli_json_str(j, "field_name", tdxsim_metadata_field_describe(*field, name,
			     sizeof(name)) == 0 ? name : NULL);
	} else {
		cli_json_null(j, "field");
		cli_json_null(j, "field_name");
	}
	cli_json_str(j, "explanation", text);
	cli_json_end(j);
}

/* One word; field (the metadata field the call read) goes with it in
 * JSON, while the text prints it once after the paragraphs. */
static int
decode_one(struct decode_out *out, uint64_t status, int leaf, const uint64_t *field)
{
	char text[TDXSIM_STATUS_DESCRIBE_MAX];

	if (tdxsim_status_describe_r(status, leaf, text, sizeof(text)) < 0) {
		fprintf(stderr, "tdxsim decode: out of memory\n");
		return CLI_EXIT_USAGE;
	}
	if (out->json)
		json_word(out->json, status, leaf, text, field);
	else
		printf("%s%s\n", out->count ? "\n" : "", text);
	out->count++;
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

/* ---- the kernel's own lines ---- */

/* What one "SEAMCALL (LEAF) failed: STATUS" line says, and the RDX of the
 * register line after it. */
struct failure {
	uint64_t leaf, status, rdx;
	int have_rdx;
};

/* "0x" and hex digits at p: the value and where they end, or NULL. */
static const char *
scan_hex(const char *p, uint64_t *out)
{
	const char *start;

	if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
		return NULL;
	start = p += 2;
	while (isxdigit((unsigned char)*p))
		p++;
	if (p == start || p - start > 16)
		return NULL;
	*out = strtoull(start, NULL, 16);
	return p;
}

/* seamcall_err(): "SEAMCALL (0x%016llx) failed: 0x%016llx", anywhere in
 * the text (timestamps and prefixes before it are fine). */
static const char *
scan_failure(const char *text, struct failure *f)
{
	for (const char *p = strstr(text, "SEAMCALL ("); p; p = strstr(p + 1, "SEAMCALL (")) {
		const char *q = scan_hex(p + 10, &f->leaf);

		if (q && strncmp(q, ") failed: ", 10) == 0 && (q = scan_hex(q + 10, &f->status))) {
			const char *rdx = strstr(q, "RDX ");
			const char *next = strstr(q, "SEAMCALL (");

			/* seamcall_err_ret()'s register line follows it. */
			f->have_rdx = rdx && (!next || rdx < next) && scan_hex(rdx + 4, &f->rdx);
			return q;
		}
	}
	return NULL;
}

static void print_field(uint64_t field);

static int
explain_failure(struct decode_out *out, const struct failure *f)
{
	/* TDH.SYS.RD's RDX is the field it failed to read. */
	bool read_field = f->have_rdx && (f->leaf & 0xFFFF) == TDXSIM_TDH_SYS_RD;
	int ret = decode_one(out, f->status, (int)(f->leaf & 0xFFFFFF),
			     read_field ? &f->rdx : NULL);

	if (ret == CLI_EXIT_OK && read_field && !out->json)
		print_field(f->rdx);
	return ret;
}

/* Every failure line in text. */
static int
explain_text(struct decode_out *out, const char *text)
{
	struct failure f;
	int ret = CLI_EXIT_OK;

	for (const char *p = scan_failure(text, &f); p && ret == CLI_EXIT_OK;
	     p = scan_failure(p, &f))
		ret = explain_failure(out, &f);
	return ret;
}

/* The words as one text: a line given quoted or as separate words. */
static char *
join_words(int argc, char **argv, int first)
{
	size_t len = 1;
	char *text;

	for (int i = first; i < argc; i++)
		len += strlen(argv[i]) + 1;
	text = calloc(1, len);
	for (int i = first; text && i < argc; i++) {
		strcat(text, argv[i]);
		strcat(text, " ");
	}
	return text;
}

/* Checked before anything is printed, so that a JSON document is only
 * begun when there is something to put in it. */
static bool
has_failure(const char *text)
{
	struct failure f;

	return scan_failure(text, &f) != NULL;
}

static int
decode_lines(struct decode_out *out, const char *text, const char *what)
{
	if (!has_failure(text))
		return cli_usage_error("decode", "no 'SEAMCALL (...) failed: ...' line in %s", what);
	return explain_text(out, text);
}

static int
decode_stdin(struct decode_out *out)
{
	char *text;
	size_t len;
	int ret = cli_read_input("-", TDXSIM_FIXTURE_MAX_BYTES, &text, &len);

	if (ret < 0) {
		fprintf(stderr, "tdxsim decode: standard input: %s\n", strerror(-ret));
		return CLI_EXIT_USAGE;
	}
	ret = decode_lines(out, text, "standard input");
	free(text);
	return ret;
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

static bool
words_have_seamcall(int argc, char **argv)
{
	for (int i = optind; i < argc; i++) {
		if (strstr(argv[i], "SEAMCALL"))
			return true;
	}
	return false;
}

/* What the words are: "-" (a log on standard input), a kernel line, or
 * status words. */
static int
decode_words(struct decode_out *out, int argc, char **argv, int leaf, const uint64_t *field)
{
	if (optind + 1 == argc && strcmp(argv[optind], "-") == 0)
		return decode_stdin(out);
	if (words_have_seamcall(argc, argv)) {
		char *text = join_words(argc, argv, optind);
		int ret = text ? decode_lines(out, text, "the words given") : CLI_EXIT_USAGE;

		free(text);
		return ret;
	}
	for (int i = optind; i < argc; i++) {
		uint64_t status = 0;
		int ret;

		parse_status(argv[i], &status);
		ret = decode_one(out, status, leaf, field);
		if (ret != CLI_EXIT_OK)
			return ret;
	}
	if (field && !out->json)
		print_field(*field);
	return CLI_EXIT_OK;
}

/* Status words are checked before anything is printed, so a typo prints
 * nothing but the error. A log without any failure line is found while
 * the JSON document is open: it ends up with no words, and exit 2. */
static int
decode_args(int argc, char **argv, int leaf, const uint64_t *field, int json)
{
	struct decode_out out = { NULL, 0 };
	struct cli_json j;
	int ret;

	if (!(optind + 1 == argc && strcmp(argv[optind], "-") == 0) &&
	    !words_have_seamcall(argc, argv) && check_words(argc, argv, optind) != CLI_EXIT_OK)
		return CLI_EXIT_USAGE;
	if (!json)
		return decode_words(&out, argc, argv, leaf, field);
	out.json = &j;
	cli_json_begin(&j, stdout);
	cli_json_array(&j, "words", CLI_JSON_BLOCK);
	ret = decode_words(&out, argc, argv, leaf, field);
	cli_json_end(&j);
	cli_json_finish(&j);
	return ret;
}

int
cmd_decode(int argc, char **argv)
{
	static const struct option options[] = {
		{ "leaf", required_argument, NULL, 'l' },
		{ "field", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int leaf = -1, c, have_field = 0, json = 0;
	uint64_t field = 0;

	opterr = 0;
	/* No "+": --leaf may follow the status words, as in the usage line. */
	while ((c = getopt_long(argc, argv, "l:f:jh", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
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
						       "'%s' is not a leaf (a name such as TDH.SYS.RD, "
						       "or decimal or 0x hex below 0x1000000)",
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
	return decode_args(argc, argv, leaf, have_field ? &field : NULL, json);
}
