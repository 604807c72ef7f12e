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

static void
print_help(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim [--version] [--help] COMMAND [ARGS...]\n"
		"\n"
		"A userspace, hardware-faithful simulator of Intel TDX.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-14s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out,
		"\n"
		"Run 'tdxsim COMMAND --help' for a command's options.\n"
		"Exit status: 0 ok, 1 the simulated outcome is a failure, 2 usage or input error.\n");
}

static int
run(int argc, char **argv)
{
	const char *name;

	if (argc < 2) {
		print_help(stderr);
		return CLI_EXIT_USAGE;
	}
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
	    strcmp(name, "help") == 0) {
		print_help(stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(name, "--version") == 0) {
		printf("tdxsim %s (libtdxsim %s)\n", TDXSIM_VERSION,
		       tdxsim_version());
		return CLI_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(name, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "tdxsim: unknown command '%s'\n", name);
	fprintf(stderr, "Run 'tdxsim --help' for the list of commands.\n");
	return CLI_EXIT_USAGE;
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
