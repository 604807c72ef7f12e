/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "input.h"

/* Whether a line of text starts with key (column 0). */
static bool
has_line_starting(const char *text, size_t len, const char *key)
{
	size_t klen = strlen(key);
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;

		if (end - i >= klen && memcmp(text + i, key, klen) == 0)
			return true;
		i = end + 1;
	}
	return false;
}

static bool
contains(const char *text, size_t len, const char *needle)
{
	size_t nlen = strlen(needle);

	for (size_t i = 0; i + nlen <= len; i++) {
		if (text[i] == needle[0] && memcmp(text + i, needle, nlen) == 0)
			return true;
	}
	return false;
}

enum cli_kind
cli_input_kind(const char *text, size_t len)
{
	if (!text)
		return CLI_KIND_UNKNOWN;
	if (has_line_starting(text, len, "tdxsim-fixture:"))
		return CLI_KIND_PLATFORM;
	if (has_line_starting(text, len, "tdxsim-layout:"))
		return CLI_KIND_LAYOUT;
	if (has_line_starting(text, len, "tdxsim-scenario:"))
		return CLI_KIND_SCENARIO;
	if (has_line_starting(text, len, "steps:") &&
	    (has_line_starting(text, len, "memory-gib:") ||
	     has_line_starting(text, len, "pamt-pool:")))
		return CLI_KIND_DPAMT;
	/* A fixture's e820 block holds pasted BIOS-e820 lines too; a log has
	 * no such key. */
	if (contains(text, len, "BIOS-e820:") &&
	    !has_line_starting(text, len, "e820:"))
		return CLI_KIND_DMESG;
	return CLI_KIND_UNKNOWN;
}

const char *
cli_input_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int
cli_input_read(const char *path, char **text, size_t *len)
{
	int ret = cli_read_input(path, TDXSIM_FIXTURE_MAX_BYTES, text, len);

	if (ret < 0)
		fprintf(stderr, "%s: cannot read: %s\n", cli_input_name(path),
			strerror(-ret));
	return ret;
}

static const char *
kind_noun(enum cli_kind kind)
{
	switch (kind) {
	case CLI_KIND_PLATFORM:
		return "a platform fixture";
	case CLI_KIND_LAYOUT:
		return "a TDMR layout";
	case CLI_KIND_SCENARIO:
		return "a memtype scenario";
	case CLI_KIND_DPAMT:
		return "a Dynamic PAMT scenario";
	case CLI_KIND_DMESG:
		return "a kernel log";
	case CLI_KIND_UNKNOWN:
		break;
	}
	return "an unknown file";
}

static const char *
kind_taker(enum cli_kind kind)
{
	switch (kind) {
	case CLI_KIND_PLATFORM:
		return "'tdxsim check', 'show', 'init' and 'tdmr' take it";
	case CLI_KIND_LAYOUT:
		return "'tdxsim module-config PLATFORM LAYOUT' takes it";
	case CLI_KIND_SCENARIO:
		return "'tdxsim memtype SCENARIO' takes it";
	case CLI_KIND_DPAMT:
		return "'tdxsim dpamt SCENARIO' takes it";
	case CLI_KIND_DMESG:
		return "'tdxsim import-dmesg LOG' turns it into a platform fixture";
	case CLI_KIND_UNKNOWN:
		break;
	}
	return "";
}

bool
cli_input_wrong_kind(const char *name, enum cli_kind found,
		     enum cli_kind wanted)
{
	if (found == CLI_KIND_UNKNOWN || found == wanted)
		return false;
	fprintf(stderr, "%s is %s, not %s; %s.\n", name, kind_noun(found),
		kind_noun(wanted), kind_taker(found));
	return true;
}

/* The name 'tdxsim import-dmesg' gives a log's fixture: the file name
 * without directory and extension, made fit to be a name ("imported" for
 * standard input). The same rule as sim/cmd-import-dmesg.c. */
static char *
imported_name(const char *input)
{
	const char *base, *dot;
	char *name;
	size_t len;

	if (strcmp(input, "<stdin>") == 0)
		return strdup("imported");
	base = strrchr(input, '/');
	base = base ? base + 1 : input;
	dot = strrchr(base, '.');
	if (!dot || dot == base)
		dot = base + strlen(base);
	len = (size_t)(dot - base);
	if (len == 0)
		return strdup("imported");
	name = strndup(base, len);
	if (!name)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' ||
			  (i > 0 && (c == '-' || c == '.'));

		if (!ok)
			name[i] = i == 0 ? 'x' : '-';
	}
	return name;
}

int
cli_infer_cmrs(struct tdxsim_platform *p, const char *label)
{
	int n = tdxsim_platform_infer_cmrs(p);

	if (n != -E2BIG)
		return n;
	fprintf(stderr, "%s: warning: no CMR lines, and the E820 RAM needs more than %d "
		"CMRs: none inferred\n", label, TDXSIM_MAX_CMRS);
	return 0;
}

int
cli_platform_from_text(const char *name, const char *text, size_t len,
		       struct tdxsim_platform **out, struct tdxsim_diag *diag)
{
	enum cli_kind kind = cli_input_kind(text, len);
	struct tdxsim_platform *p = NULL;
	int ret;

	if (kind != CLI_KIND_DMESG) {
		if (cli_input_wrong_kind(name, kind, CLI_KIND_PLATFORM))
			return CLI_INPUT_WRONG_KIND;
		return tdxsim_platform_load_buffer(name, text, len, out, diag);
	}
	fprintf(stderr, "%s: a kernel log, not a fixture: imported as 'tdxsim import-dmesg' does\n",
		name);
	ret = tdxsim_dmesg_import(name, text, len, &p, diag);
	if (ret == 0) {
		char *fixture_name = imported_name(name);

		ret = fixture_name ? tdxsim_platform_set_info(p, TDXSIM_INFO_NAME,
							      fixture_name)
				   : -ENOMEM;
		free(fixture_name);
	}
	/* As import-dmesg does; cli_load_platform() then says so. */
	if (ret == 0 && tdxsim_platform_cmr_count(p) == 0) {
		ret = cli_infer_cmrs(p, name);
		ret = ret < 0 ? ret : 0;
	}
	if (ret == 0)
		ret = tdxsim_platform_validate(p, diag);
	if (ret < 0) {
		tdxsim_platform_free(p);
		return ret;
	}
	*out = p;
	return 0;
}
