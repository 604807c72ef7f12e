/* SPDX-License-Identifier: MIT */
/*
 * tdxsim regress FIXTURE...: check every fixture's expectations (its
 * expect: blocks) by replaying each strategy they name, so that a
 * machine's known outcome becomes a regression test in any repository
 * and CI (docs/tutorial-dmesg-to-regression.md). The check itself is the
 * library's (tdxsim_host_check_expectations()), the same one tdxsim's own
 * regression suite runs.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim regress [--quiet] [--json] FIXTURE...\n"
		"\n"
		"Check each fixture's expectations (expect: blocks, docs/fixture-format.md):\n"
		"replay every strategy they name through the kernel's whole init sequence,\n"
		"as 'tdxsim init' does, and compare outcome, errno, TDMR count, reserved\n"
		"areas, PAMT KB and the kernel's lines (the whole list; the leading KeyID,\n"
		"ACPI, module version and CMR lines may be left out). Each expectation\n"
		"missed is printed as FILE:LINE:COL: STRATEGY: what, then a summary line:\n"
		"  FILE: ok: N expectations met\n"
		"  FILE: missed: N of M expectations\n"
		"\n"
		"  -q, --quiet   print only what was missed, no summary lines\n"
		"  -j, --json    one JSON document instead of the summary lines\n"
		"  -h, --help    show this help\n"
		"\n"
		"Exit status: 0 every expectation met, 1 any missed (or a fixture with none),\n"
		"2 unreadable or invalid fixture, or usage error.\n");
}

static int
regress_one(const char *path, const struct cli_each *each)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p = NULL;
	size_t missed = 0, count;
	int ret;

	if (!diag || cli_load_platform(path, &p) != CLI_EXIT_OK) {
		tdxsim_diag_free(diag);
		return CLI_EXIT_USAGE;
	}
	count = tdxsim_platform_expect_count(p);
	ret = tdxsim_host_check_expectations(p, diag, &missed);
	cli_print_diag(diag);
	if (each->json && ret == 0) {
		cli_json_u64(each->json, "expectations", count);
		cli_json_u64(each->json, "missed", missed);
		cli_json_diag(each->json, "diagnostics", diag);
	}
	tdxsim_diag_free(diag);
	tdxsim_platform_free(p);
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", path, ret == -ENOMEM ? "out of memory" :
			"the platform's module profile cannot be simulated");
		return CLI_EXIT_USAGE;
	}
	if (count == 0) {
		fprintf(stderr, "%s: no expectations (expect: blocks) to check\n", path);
		return CLI_EXIT_FAILURE;
	}
	if (!each->quiet && !each->json && missed == 0)
		printf("%s: ok: %zu expectation%s met\n", path, count, count == 1 ? "" : "s");
	else if (!each->quiet && !each->json)
		printf("%s: missed: %zu of %zu expectations\n", path, missed, count);
	return missed ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
}

int
cmd_regress(int argc, char **argv)
{
	return cli_for_each_file("regress", "fixture", argc, argv, print_usage, "fixtures",
				 regress_one);
}
