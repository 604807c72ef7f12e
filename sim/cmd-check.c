/* SPDX-License-Identifier: MIT */
/*
 * tdxsim check FIXTURE...: load and validate each fixture; print its
 * diagnostics and one summary line. Exit 0 when every fixture is accepted,
 * 1 when any is refused, 2 when a file cannot be read or on bad usage.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "input.h"

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim check [--quiet] [--json] FIXTURE...\n"
		"\n"
		"Validate platform fixtures (docs/fixture-format.md). For each one print its\n"
		"problems as FILE:LINE:COL: MESSAGE, then a summary line:\n"
		"  FILE: ok: N E820 entries, RAM, N CMRs [(inferred)], N node ranges\n"
		"  FILE: refused: N errors\n"
		"A file '-' is standard input. A kernel log (BIOS-e820 lines) given as a\n"
		"platform is imported as 'tdxsim import-dmesg' would, with a note.\n"
		"\n"
		"  -q, --quiet   print only problems, no summary lines\n"
		"  -j, --json    one JSON document instead of the summary lines\n"
		"  -h, --help    show this help\n"
		"\n"
		"Exit status: 0 all accepted, 1 any refused, 2 unreadable file or usage error.\n");
}

static void
print_summary(const char *path, const struct tdxsim_platform *p)
{
	char ram[32];

	cli_format_size(tdxsim_platform_ram_bytes(p), ram, sizeof(ram));
	/* Inferred CMRs are tdxsim's guess, not the machine's: the summary
	 * says so as the note on load does. */
	printf("%s: ok: %zu E820 entries%s, %s RAM%s, %zu CMRs%s, %zu node ranges\n",
	       path, tdxsim_platform_e820_count(p),
	       tdxsim_platform_e820_truncated(p) ? " (source truncated)" : "",
	       ram, tdxsim_platform_e820_truncated(p) ? " in the entries given" : "",
	       tdxsim_platform_cmr_count(p),
	       tdxsim_platform_info(p, TDXSIM_INFO_CMRS_INFERRED) ? " (inferred)" : "",
	       tdxsim_platform_node_range_count(p));
}

/* The summary's facts as JSON members; null for a refused fixture. */
static void
json_summary(struct cli_json *j, const struct tdxsim_platform *p)
{
	const char *inferred = p ? tdxsim_platform_info(p, TDXSIM_INFO_CMRS_INFERRED) : NULL;

	if (!p) {
		const char *keys[] = { "e820_entries", "e820_truncated", "ram_bytes", "cmrs",
				       "cmrs_inferred", "node_ranges" };

		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			cli_json_null(j, keys[i]);
		return;
	}
	cli_json_u64(j, "e820_entries", tdxsim_platform_e820_count(p));
	cli_json_bool(j, "e820_truncated", tdxsim_platform_e820_truncated(p));
	cli_json_u64(j, "ram_bytes", tdxsim_platform_ram_bytes(p));
	cli_json_u64(j, "cmrs", tdxsim_platform_cmr_count(p));
	cli_json_str(j, "cmrs_inferred", inferred);
	cli_json_u64(j, "node_ranges", tdxsim_platform_node_range_count(p));
}

static void
print_outcome(const char *name, const struct cli_each *each, int status,
	      const struct tdxsim_platform *p, struct tdxsim_diag *diag)
{
	static const char *const words[] = { "ok", "refused", "unreadable" };
	size_t errors = tdxsim_diag_error_count(diag);

	if (each->json) {
		cli_json_str(each->json, "status", words[status]);
		json_summary(each->json, p);
		cli_json_u64(each->json, "errors", errors);
		cli_json_diag(each->json, "diagnostics", diag);
	} else if (!each->quiet && status == CLI_EXIT_OK) {
		print_summary(name, p);
	} else if (!each->quiet && status == CLI_EXIT_FAILURE) {
		printf("%s: refused: %zu error%s\n", name, errors, errors == 1 ? "" : "s");
	}
}

/* Returns the exit status for this one fixture. */
static int
check_one(const char *path, const struct cli_each *each)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p = NULL;
	const char *name = cli_input_name(path);
	char *text = NULL;
	size_t len = 0;
	int ret = -EIO, status = CLI_EXIT_USAGE;

	if (!diag) {
		fprintf(stderr, "tdxsim check: out of memory\n");
		return CLI_EXIT_USAGE;
	}
	if (cli_input_read(path, &text, &len) == 0) {
		ret = cli_platform_from_text(name, text, len, &p, diag);
		free(text);
		cli_print_diag(diag);
		if (ret == 0)
			status = CLI_EXIT_OK;
		else if (ret == -EINVAL)
			status = CLI_EXIT_FAILURE;
		else if (ret < 0 && tdxsim_diag_error_count(diag) == 0)
			fprintf(stderr, "%s: %s\n", name, strerror(-ret));
	}
	print_outcome(name, each, status, p, diag);
	tdxsim_platform_free(p);
	tdxsim_diag_free(diag);
	return status;
}

int
cmd_check(int argc, char **argv)
{
	return cli_for_each_file("check", "fixture", argc, argv, print_usage, "fixtures",
				 check_one);
}
