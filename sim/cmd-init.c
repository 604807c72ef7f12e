/* SPDX-License-Identifier: MIT */
/*
 * tdxsim init [PLATFORM] [--strategy S] [--kernel GEN]: replay a kernel
 * generation bringing TDX up against a simulated TDX module and print the kernel's
 * log lines exactly as dmesg would show them, so that they can be diffed
 * against a real log.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>

#include "cli.h"
#include "json.h"

#define CMD "init"

struct init_args {
	const char *fixture;	/* NULL: the bundled default */
	enum tdxsim_strategy strategy;
	enum tdxsim_kernel kernel;	/* DEFAULT: each strategy's own */
	int all;		/* every strategy, each under a header line */
	int json;		/* one JSON document instead of the lines */
};

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim init [--strategy S] [--kernel GEN] [--json] [PLATFORM]\n"
		"\n"
		"Replay a kernel bringing TDX up against a simulated TDX module built\n"
		"from PLATFORM (tdx_init(), TDH.SYS.INIT and LP.INIT on every CPU,\n"
		"metadata reads, TDMR construction, TDH.SYS.CONFIG, KEY.CONFIG,\n"
		"TDMR.INIT) and print the kernel's log lines, one per line, as dmesg\n"
		"shows them.\n"
		"Without PLATFORM, the bundled default platform (%s).\n"
		"PLATFORM '-' is standard input; a kernel log (BIOS-e820 lines) is\n"
		"imported as 'tdxsim import-dmesg' would, with a note.\n"
		"\n"
		"Options:\n"
		"  -s, --strategy S  how the kernel builds TDMRs: linux (default),\n"
		"                    linux-cmr, tdxsim, or all (each under \"== S ==\")\n"
		"  -k, --kernel GEN  whose code and wording: 6.12, ubuntu-6.8-intel,\n"
		"                    mainline or mainline-dpamt (mainline with the\n"
		"                    Dynamic PAMT series v6) (default: the strategy's\n"
		"                    own, mainline for linux and tdxsim,\n"
		"                    ubuntu-6.8-intel for linux-cmr)\n"
		"  -j, --json        one JSON document: the platform, then each run's\n"
		"                    lines, errno, PAMT KB and expectation\n"
		"  -h, --help        print this help and exit\n"
		"\n"
		"Exit status: 0 module initialized (with all: by every strategy),\n"
		"1 initialization failed, 2 usage or input error.\n",
		cli_default_fixture_name);
}

static int
parse_strategy(const char *name, struct init_args *args)
{
	if (strcmp(name, "all") == 0) {
		args->all = 1;
		return -1;
	}
	args->all = 0;
	if (tdxsim_strategy_from_name(name, &args->strategy) < 0) {
		const char *best = cli_suggest_strategy(name, true);

		return cli_usage_error(CMD, "unknown strategy '%s' (linux, linux-cmr, tdxsim, all)%s%s%s",
				       name, best ? "; did you mean '" : "",
				       best ? best : "", best ? "'?" : "");
	}
	return -1;
}

/* Returns -1 to go on, or the exit status to stop with. */
static int
parse_args(int argc, char **argv, struct init_args *args)
{
	static const struct option options[] = {
		{ "strategy", required_argument, NULL, 's' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret = -1;

	memset(args, 0, sizeof(*args));
	args->strategy = TDXSIM_STRATEGY_LINUX;
	opterr = 0;  /* our own messages, in the CLI's format */
	while (ret < 0 && (c = getopt_long(argc, argv, ":s:k:jh", options, NULL)) != -1) {
		if (c == 'h') {
			print_usage(stdout);
			return CLI_EXIT_OK;
		}
		if (c == 'j') {
			args->json = 1;
			continue;
		}
		if (c == 's')
			ret = parse_strategy(optarg, args);
		else if (c == 'k')
			ret = cli_parse_kernel(CMD, optarg, &args->kernel);
		else if (c == ':')
			ret = cli_usage_error(CMD, "option '%s' needs a value", argv[optind - 1]);
		else
			ret = cli_usage_error(CMD, "unknown option '%s'", argv[optind - 1]);
	}
	if (ret >= 0)
		return ret;
	if (argc - optind > 1)
		return cli_usage_error(CMD, "one platform at most, got '%s' too",
				       argv[optind + 1]);
	args->fixture = optind < argc ? argv[optind] : NULL;
	return -1;
}

/* Run one strategy and print its lines (unless quiet). Returns the run,
 * or NULL after saying why. */
static struct tdxsim_host_run *
run_strategy(const struct tdxsim_platform *p, enum tdxsim_strategy strategy,
	     enum tdxsim_kernel kernel, bool quiet)
{
	struct tdxsim_host_run *run = NULL;
	int ret = tdxsim_host_run_kernel(p, strategy, kernel, TDXSIM_HOST_INIT, &run);

	if (ret < 0) {
		fprintf(stderr, "tdxsim " CMD ": %s: %s\n",
			ret == -ENOMEM ? "out of memory" :
			"the platform's module profile cannot be simulated",
			tdxsim_strategy_name(strategy));
		return NULL;
	}
	for (size_t i = 0; i < tdxsim_host_run_line_count(run) && !quiet; i++)
		printf("%s\n", tdxsim_host_run_line(run, i));
	return run;
}

/* Run one strategy and print its lines; the exit status it earns. */
static int
run_one(const struct tdxsim_platform *p, enum tdxsim_strategy strategy,
	enum tdxsim_kernel kernel)
{
	struct tdxsim_host_run *run = run_strategy(p, strategy, kernel, false);
	int ret;

	if (!run)
		return CLI_EXIT_USAGE;
	ret = tdxsim_host_run_errno(run) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
	tdxsim_host_run_free(run);
	return ret;
}

/* The platform's expectation for a strategy, or NULL. */
static const struct tdxsim_expect *
find_expect(const struct tdxsim_platform *p, enum tdxsim_strategy s)
{
	for (size_t i = 0; i < tdxsim_platform_expect_count(p); i++) {
		const struct tdxsim_expect *e = tdxsim_platform_expect(p, i);

		if (e->strategy && strcmp(e->strategy, tdxsim_strategy_name(s)) == 0)
			return e;
	}
	return NULL;
}

/* One summary row: the outcome, and the expectation met or missed (its
 * misses are on stderr, as tdxsim regress prints them). */
static int
summarize(const struct tdxsim_platform *p, enum tdxsim_strategy s,
	  const struct tdxsim_host_run *run, struct tdxsim_diag *diag, char *row, size_t size)
{
	const struct tdxsim_expect *e = find_expect(p, s);
	int err = tdxsim_host_run_errno(run);
	char outcome[32], verdict[48];
	size_t missed = 0;

	if (err)
		snprintf(outcome, sizeof(outcome), "failed (%d)", err);
	else
		snprintf(outcome, sizeof(outcome), "initialized");
	if (!e)
		snprintf(verdict, sizeof(verdict), "no expectation");
	else if (tdxsim_host_check_expectation(p, e, run, diag, &missed) < 0)
		return -ENOMEM;
	else if (missed)
		snprintf(verdict, sizeof(verdict), "expectation missed (%zu)", missed);
	else
		snprintf(verdict, sizeof(verdict), "expectation met");
	snprintf(row, size, "%-10s %-14s %s", tdxsim_strategy_name(s), outcome, verdict);
	return missed ? 1 : 0;
}

/* Every strategy in turn, then one summary: each one's outcome, and its
 * expect: block met or missed. The worst exit status wins, as with check;
 * a missed expectation is a failure too. */
static int
run_all(const struct tdxsim_platform *p, enum tdxsim_kernel kernel)
{
	char rows[TDXSIM_STRATEGY_COUNT][96];
	struct tdxsim_diag *diag = tdxsim_diag_new();
	int worst = diag ? CLI_EXIT_OK : CLI_EXIT_USAGE;

	for (int s = 0; s < TDXSIM_STRATEGY_COUNT && worst != CLI_EXIT_USAGE; s++) {
		struct tdxsim_host_run *run;
		int ret;

		printf("== %s ==\n", tdxsim_strategy_name((enum tdxsim_strategy)s));
		fflush(stdout);  /* keep the header ahead of any stderr message */
		run = run_strategy(p, (enum tdxsim_strategy)s, kernel, false);
		if (!run) {
			worst = CLI_EXIT_USAGE;
			break;
		}
		ret = tdxsim_host_run_errno(run) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
		worst = ret > worst ? ret : worst;
		ret = summarize(p, (enum tdxsim_strategy)s, run, diag, rows[s], sizeof(rows[s]));
		worst = ret < 0 ? CLI_EXIT_USAGE : ret > 0 && worst < 1 ? CLI_EXIT_FAILURE : worst;
		tdxsim_host_run_free(run);
	}
	if (worst != CLI_EXIT_USAGE) {
		printf("== summary ==\n");
		for (int s = 0; s < TDXSIM_STRATEGY_COUNT; s++)
			printf("%s\n", rows[s]);
	}
	fflush(stdout);
	if (diag)
		cli_print_diag(diag);
	tdxsim_diag_free(diag);
	return worst;
}

/* One run as a JSON object: what the text prints and the summary row
 * says. Returns the exit status it earns, as run_all() counts it. */
static int
json_run(struct cli_json *j, const struct tdxsim_platform *p, enum tdxsim_strategy s,
	 enum tdxsim_kernel kernel, struct tdxsim_diag *diag)
{
	struct tdxsim_host_run *run = run_strategy(p, s, kernel, true);
	const struct tdxsim_expect *e = find_expect(p, s);
	size_t missed = 0;
	int err, status;

	if (!run)
		return CLI_EXIT_USAGE;
	err = tdxsim_host_run_errno(run);
	status = err ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
	if (e && tdxsim_host_check_expectation(p, e, run, diag, &missed) < 0)
		status = CLI_EXIT_USAGE;
	else if (missed)
		status = CLI_EXIT_FAILURE;
	cli_json_object(j, NULL, CLI_JSON_BLOCK);
	cli_json_str(j, "strategy", tdxsim_strategy_name(s));
	cli_json_str(j, "kernel", tdxsim_kernel_name(tdxsim_kernel_resolve(s, kernel)));
	cli_json_array(j, "lines", CLI_JSON_BLOCK);
	for (size_t i = 0; i < tdxsim_host_run_line_count(run); i++)
		cli_json_str(j, NULL, tdxsim_host_run_line(run, i));
	cli_json_end(j);
	cli_json_i64(j, "errno", err);
	cli_json_bool(j, "initialized", err == 0);
	if (err)
		cli_json_null(j, "pamt_kb");
	else
		cli_json_u64(j, "pamt_kb", tdxsim_host_run_pamt_kb(run));
	cli_json_str(j, "expectation", !e ? NULL : missed ? "missed" : "met");
	cli_json_u64(j, "missed", missed);
	cli_json_end(j);
	tdxsim_host_run_free(run);
	return status;
}

/* --json: the platform and one object per run (every strategy for all);
 * the misses of expectations as "diagnostics". */
static int
print_json(const struct tdxsim_platform *p, const struct init_args *args)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct cli_json j;
	int worst = CLI_EXIT_OK;

	if (!diag)
		return CLI_EXIT_USAGE;
	cli_json_begin(&j, stdout);
	cli_json_platform_head(&j, p);
	cli_json_array(&j, "runs", CLI_JSON_BLOCK);
	for (int s = 0; s < TDXSIM_STRATEGY_COUNT && worst != CLI_EXIT_USAGE; s++) {
		if (args->all || (enum tdxsim_strategy)s == args->strategy) {
			int ret = json_run(&j, p, (enum tdxsim_strategy)s, args->kernel, diag);

			worst = ret > worst ? ret : worst;
		}
	}
	cli_json_end(&j);
	cli_json_diag(&j, "diagnostics", diag);
	cli_json_i64(&j, "exit_status", worst);
	cli_json_finish(&j);
	tdxsim_diag_free(diag);
	return worst;
}

int
cmd_init(int argc, char **argv)
{
	struct tdxsim_platform *p = NULL;
	struct init_args args;
	int ret = parse_args(argc, argv, &args);

	if (ret >= 0)
		return ret;
	ret = cli_load_platform(args.fixture, &p);
	if (ret != CLI_EXIT_OK)
		return ret;
	args.kernel = cli_fixture_kernel(CMD, p, args.kernel);
	if (args.json)
		ret = print_json(p, &args);
	else if (args.all)
		ret = run_all(p, args.kernel);
	else
		ret = run_one(p, args.strategy, args.kernel);
	tdxsim_platform_free(p);
	return ret;
}
