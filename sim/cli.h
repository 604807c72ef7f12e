/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the tdxsim command-line simulator: one file per
 * subcommand (cmd-*.c), each exposing one entry point declared here.
 *
 * Exit status: 0 the command worked and the simulated outcome is success;
 * 1 the simulated outcome is a failure (or a check found a problem);
 * 2 usage or input error.
 */
#ifndef TDXSIM_CLI_H
#define TDXSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <tdxsim/tdxsim.h>

struct cli_json;

enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILURE = 1,
	CLI_EXIT_USAGE = 2,
};

/* The bundled default platform (the EMR machine of canonical/tdx#135),
 * compiled in so that commands work without a fixture argument. */
extern const char cli_default_fixture[];
extern const size_t cli_default_fixture_size;
extern const char cli_default_fixture_name[];

/* Read a whole file, or standard input for "-", of at most max bytes.
 * Returns 0, -EFBIG when there is more (after reading max + 1 bytes), or
 * another negative errno; *text is NUL-terminated and must be freed. */
int cli_read_input(const char *path, size_t max, char **text, size_t *len);

/* Print every diagnostic to stderr, one per line, sorted by position. */
void cli_print_diag(struct tdxsim_diag *diag);

/* Load a fixture (NULL: the bundled default) and print its diagnostics.
 * Returns CLI_EXIT_OK with *out set, or CLI_EXIT_USAGE. */
int cli_load_platform(const char *path, struct tdxsim_platform **out);

/* --kernel NAME: a kernel generation, or a usage error. Returns -1 to go
 * on, or the exit status to stop with. */
int cli_parse_kernel(const char *cmd, const char *name, enum tdxsim_kernel *out);

/* The strategy name (with "all" when with_all) within edit distance 2 of
 * name, for "did you mean"; NULL when none is, or two are. */
const char *cli_suggest_strategy(const char *name, bool with_all);

/* The generation to replay when --kernel was not given: the one of the
 * fixture's kernel release (its "Linux version"), said on stderr, or
 * TDXSIM_KERNEL_DEFAULT. */
enum tdxsim_kernel cli_fixture_kernel(const char *cmd, const struct tdxsim_platform *p,
				      enum tdxsim_kernel asked);

/* A module fact a log tells (version, KeyIDs, CPUs, packages) that an
 * input left to tdxsim's default, and the default as the notes print it. */
#define CLI_DEFAULTS_MAX 4
struct cli_default {
	const char *fact;	/* tdxsim_module_fact_name() */
	char value[32];
	bool number;		/* a count: a JSON number, else a JSON string */
};

/* Fill out with the facts p left to defaults; returns how many. */
size_t cli_defaults(const struct tdxsim_platform *p, struct cli_default out[CLI_DEFAULTS_MAX]);

/* "defaults" (each fact the input left to tdxsim's default, and the value
 * used) and "cmrs_inferred" (how, or null), written with j. */
void cli_json_defaults(struct cli_json *j, const struct tdxsim_platform *p);

/* The members every document about a platform starts with: "platform" (its
 * name), then cli_json_defaults()'s. */
void cli_json_platform_head(struct cli_json *j, const struct tdxsim_platform *p);

/* The whole platform as members of the open object: the head above, then
 * "origin", "module", "e820", "ram_bytes", "cmrs", "node_ranges" and the
 * number of "expectations" (sim/json-platform.c; docs/cli.md, show). */
void cli_json_platform(struct cli_json *j, const struct tdxsim_platform *p);

/* On stderr, "NAME: note: not in the input, tdxsim's defaults: ..." for
 * the module facts a log tells (version, KeyIDs, CPUs, packages) that the
 * platform lacks; nothing when it has them all. */
void cli_note_defaults(const char *name, const struct tdxsim_platform *p);

/* Print "tdxsim CMD: message" and a hint to stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* How cli_for_each_file() asks one file to be reported. */
struct cli_each {
	int quiet;		/* --quiet: problems only, no summary lines */
	int first;		/* the first file of the command line */
	/* --json: the document being written, else NULL. The file's object
	 * is open, with its "file" key written; one() adds its own keys (and
	 * prints no text on standard output). */
	struct cli_json *json;
};

/*
 * The driver of commands that take "[--quiet] [--json] FILE...": parse the
 * options (--help prints usage and gives 0), run one() on every file, and
 * return the worst status ("what" names the files in the usage error).
 * With --json, one document: json_key, an array of one object per file
 * ("file", one()'s keys, "exit_status"), then the overall "exit_status".
 */
int cli_for_each_file(const char *cmd, const char *what, int argc, char **argv,
		      void (*usage)(FILE *out), const char *json_key,
		      int (*one)(const char *path, const struct cli_each *each));

/* "key": the messages of diag, sorted by position, each {"line",
 * "column", "severity", "message"} (line and column 0 when unknown). */
void cli_json_diag(struct cli_json *j, const char *key, struct tdxsim_diag *diag);

/* Format a byte count for humans: "636 KiB", "1.98 GiB". */
const char *cli_format_size(unsigned long long bytes, char *buf, size_t size);

int cmd_check(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_dpamt(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_import_dmesg(int argc, char **argv);
int cmd_module_config(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_memtype(int argc, char **argv);
int cmd_mmio(int argc, char **argv);
int cmd_regress(int argc, char **argv);
int cmd_tdmr(int argc, char **argv);

#endif /* TDXSIM_CLI_H */
