/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "check", cmd_check, "validate fixtures; one summary line each" },
	{ "show", cmd_show, "print a platform's memory map (and draw it with --svg)" },
	{ "doctor", cmd_doctor, "read a host's kernel log, replay it, and say what failed and what helps" },
	{ "decode", cmd_decode, "explain TDX status words (SEAMCALL results) in plain words" },
	{ "import-dmesg", cmd_import_dmesg, "turn a pasted kernel log into a fixture" },
	{ "module-config", cmd_module_config, "would the TDX module accept this TDMR layout?" },
	{ "init", cmd_init, "replay the kernel's init_tdx_module() and print its log lines" },
	{ "memtype", cmd_memtype, "run memtype scenarios: ioremap, MTRR/PAT and EPT types, kernel lines" },
	{ "mmio", cmd_mmio, "emulate #VE MMIO accesses: decode, TDVMCALL, write-back (--batch)" },
	{ "dpamt", cmd_dpamt, "Dynamic PAMT over time: use/release 4 KiB pages, PAMT.ADD/REMOVE, PAMT memory" },
	{ "regress", cmd_regress, "check fixtures' expectations by replaying them: a regression test anywhere" },
	{ "tdmr", cmd_tdmr, "build TDMRs, reserved areas and PAMTs; ask the module (--svg, --compare)" },
};

static const struct command *
find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	}
	return NULL;
}

static void
print_help(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim [-V|--version] [-h|--help] COMMAND [ARGS...]\n"
		"       tdxsim help [COMMAND]\n"
		"       tdxsim version\n"
		"\n"
		"A userspace, hardware-faithful simulator of Intel TDX.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-14s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out,
		"\n"
		"Run 'tdxsim help COMMAND' (or 'tdxsim COMMAND --help') for a command's\n"
		"options.\n"
		"Exit status: 0 ok, 1 the simulated outcome is a failure, 2 usage or input error.\n");
}

static int
print_version(void)
{
	printf("tdxsim %s (libtdxsim %s)\n", TDXSIM_VERSION, tdxsim_version());
	return CLI_EXIT_OK;
}

static int
unknown_command(const char *name)
{
	fprintf(stderr, "tdxsim: unknown command '%s'\n", name);
	fprintf(stderr, "Run 'tdxsim --help' for the list of commands.\n");
	return CLI_EXIT_USAGE;
}

/* 'tdxsim help [COMMAND]': the command's own --help, so there is one text. */
static int
help(int argc, char **argv)
{
	const struct command *cmd;
	char help_option[] = "--help";
	char *cmd_argv[3];

	if (argc < 2) {
		print_help(stdout);
		return CLI_EXIT_OK;
	}
	if (argc > 2) {
		fprintf(stderr, "tdxsim help: one command at a time\n");
		return CLI_EXIT_USAGE;
	}
	cmd = find_command(argv[1]);
	if (cmd == NULL)
		return unknown_command(argv[1]);
	cmd_argv[0] = argv[1];
	cmd_argv[1] = help_option;
	cmd_argv[2] = NULL;
	return cmd->run(2, cmd_argv);
}

static int
run(int argc, char **argv)
{
	const struct command *cmd;
	const char *name;

	if (argc < 2) {
		print_help(stderr);
		return CLI_EXIT_USAGE;
	}
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		print_help(stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(name, "help") == 0)
		return help(argc - 1, argv + 1);
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0 ||
	    strcmp(name, "version") == 0) {
		if (argc > 2) {
			fprintf(stderr, "tdxsim %s: takes no arguments\n", name);
			return CLI_EXIT_USAGE;
		}
		return print_version();
	}
	cmd = find_command(name);
	if (cmd == NULL)
		return unknown_command(name);
	return cmd->run(argc - 1, argv + 1);
}

int
main(int argc, char **argv)
{
	/* A file over RLIMIT_FSIZE must fail with "File too large" like any
	 * other write error, not kill the process halfway through. */
	signal(SIGXFSZ, SIG_IGN);
	/* Output lost on its way (a full disk, a closed pipe's error) is a
	 * failed command, whatever it computed. */
	return cli_finish_stdout(run(argc, argv));
}
