/* SPDX-License-Identifier: MIT */
/*
 * tdxsim memtype SCENARIO...: run memtype scenarios (docs/memtype.md) and
 * print, for each, the step results, the guest kernel's lines, the final
 * PAT memtype tree and a count of met expectations. Exit 0 when every
 * expectation of every scenario is met, 1 when any is not, 2 when a
 * scenario cannot be read or is refused, or on bad usage.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "input.h"
#include "json.h"
#include "output.h"

#define CMD "memtype"

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim memtype [--quiet] [--json] SCENARIO.yaml...\n"
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
		"  -j, --json    one JSON document instead of the reports\n"
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

/* What a line of the report (tdxsim_scenario_run()'s documented form) is,
 * read in order: the headings switch from steps to kernel lines to the
 * memtype tree. */
enum report_line { LINE_STEP, LINE_MISS, LINE_KERNEL, LINE_TREE, LINE_OTHER };

static enum report_line
classify(const char *line, size_t len, const char *name, enum report_line *part)
{
	size_t name_len = strlen(name);

	if (len == 13 && strncmp(line, "kernel lines:", 13) == 0) {
		*part = LINE_KERNEL;
		return LINE_OTHER;
	}
	if (len == 13 && strncmp(line, "memtype tree:", 13) == 0) {
		*part = LINE_TREE;
		return LINE_OTHER;
	}
	if (strncmp(line, "  ", 2) == 0)
		return LINE_MISS;
	/* The closing count, "NAME: N expectations, ...". */
	if (*part == LINE_TREE && len > name_len && strncmp(line, name, name_len) == 0 &&
	    line[name_len] == ':')
		return LINE_OTHER;
	if (*part == LINE_STEP)
		return strncmp(line, "step ", 5) == 0 ? LINE_STEP : LINE_OTHER;
	return *part;
}

static void
json_step(struct cli_json *j, const char *line, size_t len)
{
	unsigned step = 0, at = 0;
	int text_at = 0;

	sscanf(line, "step %u (line %u): %n", &step, &at, &text_at);
	cli_json_object(j, NULL, CLI_JSON_INLINE);
	cli_json_u64(j, "step", step);
	cli_json_u64(j, "line", at);
	cli_json_str_n(j, "text", line + text_at, len - (size_t)text_at);
	cli_json_end(j);
}

/* The report as JSON: its steps, the expectations missed (the indented
 * lines), the kernel's lines and the memtype tree, each as printed. */
static void
json_report(struct cli_json *j, const char *text, const char *name,
	    const struct tdxsim_scenario_result *r)
{
	static const char *const keys[] = { "steps", "missed", "kernel_lines", "memtype_tree" };

	for (enum report_line want = LINE_STEP; want <= LINE_TREE; want++) {
		enum report_line part = LINE_STEP;

		cli_json_array(j, keys[want], CLI_JSON_BLOCK);
		for (const char *t = text ? text : ""; *t;) {
			size_t len = strcspn(t, "\n");

			size_t skip = want == LINE_MISS ? 2 : 0;

			if (classify(t, len, name, &part) != want)
				;
			else if (want == LINE_STEP)
				json_step(j, t, len);
			else
				cli_json_str_n(j, NULL, t + skip, len - skip);
			t += len + (t[len] == '\n');
		}
		cli_json_end(j);
	}
	cli_json_u64(j, "expectations", r->expectations);
	cli_json_u64(j, "met", r->met);
	cli_json_u64(j, "failed", r->failed);
}

/* Run one loaded scenario; returns its exit status. */
static int
run_one(const char *path, const struct tdxsim_scenario *s, const struct cli_each *each)
{
	struct tdxsim_scenario_result result;
	char *text = NULL;
	size_t len = 0;
	bool capture = each->quiet || each->json;
	FILE *report = capture ? open_memstream(&text, &len) : stdout;
	int ret;

	if (!report) {
		fprintf(stderr, "tdxsim " CMD ": out of memory\n");
		return CLI_EXIT_USAGE;
	}
	ret = tdxsim_scenario_run(s, report, &result);
	if (capture) {
		fclose(report);
		if (ret == 0 && each->json) {
			cli_json_str(each->json, "scenario", tdxsim_scenario_name(s));
			json_report(each->json, text, tdxsim_scenario_name(s), &result);
		} else if (ret == 0 && text) {
			print_quiet(text, tdxsim_scenario_name(s));
		}
		free(text);
	}
	if (ret < 0 && !capture && ferror(stdout))
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
scenario_file(const char *path, const struct cli_each *each)
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
		if (!each->first && !each->quiet && !each->json)
			printf("\n");
		fflush(stdout);
		status = run_one(name, s, each);
	}
	tdxsim_scenario_free(s);
	tdxsim_diag_free(diag);
	return status;
}

int
cmd_memtype(int argc, char **argv)
{
	return cli_for_each_file(CMD, "scenario", argc, argv, print_usage, "scenarios",
				 scenario_file);
}
