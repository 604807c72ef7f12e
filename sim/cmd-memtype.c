/* SPDX-License-Identifier: MIT */
/*
 * tdxsim memtype SCENARIO...: run memtype scenarios (docs/memtype.md) and
 * print, for each, the step results, the guest kernel's lines, the final
 * PAT memtype tree and a count of met expectations. Exit 0 when every
 * expectation of every scenario is met, 1 when any is not, 2 when a
 * scenario cannot be read or is refused, or on bad usage.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "input.h"
#include "output.h"

#define CMD "memtype"

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim memtype [--quiet] SCENARIO.yaml...\n"
		"\n"
		"Run memtype scenarios (docs/memtype.md): a hypervisor profile's MTRR MSRs,\n"
		"a Linux guest's MTRR view, PAT memtype tree and ioremap, and EPT memory\n"
		"types, driven by the scenario's steps ('-': standard input). For each\n"
		"scenario print:\n"
		"  step N (line L): what the step did and what it got\n"
		"    FILE:LINE:COL: KEY: expected X, got Y   (for each expectation not met)\n"
		"  kernel lines:   the guest kernel's lines, exactly as printed\n"
		"  memtype tree:   the final tree as debugfs x86/pat_memtype_list shows it\n"
		"  NAME: N expectations, N met, N failed\n"
		"\n"
		"  -q, --quiet   print only expectations not met and the count lines\n"
		"  -h, --help    show this help\n"
		"\n"
		"Exit status: 0 every expectation met, 1 any not met, 2 unreadable or\n"
		"refused scenario, or usage error.\n");
}

/* The report lines --quiet keeps: misses (indented) and the count line. */
static void
print_quiet(const char *text, const char *name)
{
	size_t name_len = strlen(name);

	while (*text) {
		size_t len = strcspn(text, "\n");

		if (strncmp(text, "  ", 2) == 0 ||
		    (len > name_len && strncmp(text, name, name_len) == 0 &&
		     text[name_len] == ':'))
			printf("%.*s\n", (int)len, text);
		text += len + (text[len] == '\n');
	}
}

/* Run one loaded scenario; returns its exit status. */
static int
run_one(const char *path, const struct tdxsim_scenario *s, int quiet)
{
	struct tdxsim_scenario_result result;
	char *text = NULL;
	size_t len = 0;
	FILE *report = quiet ? open_memstream(&text, &len) : stdout;
	int ret;

	if (!report) {
		fprintf(stderr, "tdxsim " CMD ": out of memory\n");
		return CLI_EXIT_USAGE;
	}
	ret = tdxsim_scenario_run(s, report, &result);
	if (quiet) {
		fclose(report);
		if (ret == 0 && text)
			print_quiet(text, tdxsim_scenario_name(s));
		free(text);
	}
	if (ret < 0 && !quiet && ferror(stdout))
		return cli_stdout_failed(CMD, ret);
	if (ret < 0) {
		fprintf(stderr, "tdxsim " CMD ": %s: cannot run: %s\n", path,
			strerror(-ret));
		return CLI_EXIT_USAGE;
	}
	return result.failed ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
}

/* Load and run one scenario file; returns its exit status. */
static int
scenario_file(const char *path, int quiet, int first)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_scenario *s = NULL;
	const char *name = cli_input_name(path);
	char *text = NULL;
	size_t len = 0;
	int status, ret;

	if (!diag) {
		fprintf(stderr, "tdxsim " CMD ": out of memory\n");
		return CLI_EXIT_USAGE;
	}
	if (cli_input_read(path, &text, &len) < 0) {
		tdxsim_diag_free(diag);
		return CLI_EXIT_USAGE;
	}
	if (cli_input_wrong_kind(name, cli_input_kind(text, len),
				 CLI_KIND_SCENARIO))
		ret = CLI_INPUT_WRONG_KIND;
	else
		ret = tdxsim_scenario_load_buffer(name, text, len, &s, diag);
	free(text);
	if (ret != 0) {
		cli_print_diag(diag);
		if (ret < 0 && tdxsim_diag_error_count(diag) == 0)
			fprintf(stderr, "%s: %s\n", name, strerror(-ret));
		status = CLI_EXIT_USAGE;
	} else {
		cli_print_diag(diag);
		if (!first && !quiet)
			printf("\n");
		fflush(stdout);
		status = run_one(name, s, quiet);
	}
	tdxsim_scenario_free(s);
	tdxsim_diag_free(diag);
	return status;
}

int
cmd_memtype(int argc, char **argv)
{
	return cli_for_each_file(CMD, "scenario", argc, argv, print_usage, scenario_file);
}
