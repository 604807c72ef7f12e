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
#include <string.h>

#include "cli.h"

#define CMD "init"

struct init_args {
	const char *fixture;	/* NULL: the bundled default */
	enum tdxsim_strategy strategy;
	enum tdxsim_kernel kernel;	/* DEFAULT: each strategy's own */
	int all;		/* every strategy, each under a header line */
};

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim init [--strategy S] [--kernel GEN] [PLATFORM]\n"
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret = -1;

	memset(args, 0, sizeof(*args));
	args->strategy = TDXSIM_STRATEGY_LINUX;
	opterr = 0;  /* our own messages, in the CLI's format */
	while (ret < 0 && (c = getopt_long(argc, argv, ":s:k:h", options, NULL)) != -1) {
		if (c == 'h') {
			print_usage(stdout);
			return CLI_EXIT_OK;
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

/* Run one strategy and print its lines; the exit status it earns. */
static int
run_one(const struct tdxsim_platform *p, enum tdxsim_strategy strategy,
	enum tdxsim_kernel kernel)
{
	struct tdxsim_host_run *run = NULL;
	int ret = tdxsim_host_run_kernel(p, strategy, kernel, TDXSIM_HOST_INIT, &run);

	if (ret < 0) {
		fprintf(stderr, "tdxsim " CMD ": %s: %s\n",
			ret == -ENOMEM ? "out of memory" :
			"the platform's module profile cannot be simulated",
			tdxsim_strategy_name(strategy));
		return CLI_EXIT_USAGE;
	}
	for (size_t i = 0; i < tdxsim_host_run_line_count(run); i++)
		printf("%s\n", tdxsim_host_run_line(run, i));
	ret = tdxsim_host_run_errno(run) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
	tdxsim_host_run_free(run);
	return ret;
}

/* Every strategy in turn; the worst exit status wins, as with check. */
static int
run_all(const struct tdxsim_platform *p, enum tdxsim_kernel kernel)
{
	int worst = CLI_EXIT_OK;

	for (int s = 0; s < TDXSIM_STRATEGY_COUNT; s++) {
		int ret;

		printf("== %s ==\n", tdxsim_strategy_name((enum tdxsim_strategy)s));
		fflush(stdout);  /* keep the header ahead of any stderr message */
		ret = run_one(p, (enum tdxsim_strategy)s, kernel);
		worst = ret > worst ? ret : worst;
	}
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
	ret = args.all ? run_all(p, args.kernel) : run_one(p, args.strategy, args.kernel);
	tdxsim_platform_free(p);
	return ret;
}
