/* SPDX-License-Identifier: MIT */
/*
 * Every file the CLI writes goes through here, so that a failed write
 * never costs the user what was there before. The file itself is written
 * by the library's own safe writer (lib/util/file-out.h: a temporary file
 * renamed into place, devices and FIFOs written directly and never
 * removed, a directory refused), which tdxsim_platform_save_file() uses
 * too; this adds standard output ("-") and the messages.
 *
 * Messages name the real cause ("No space left on device", "File too
 * large"), never a generic "Input/output error" when errno knows better.
 * Standard output is checked once, at exit, by cli_finish_stdout().
 */
#ifndef TDXSIM_CLI_OUTPUT_H
#define TDXSIM_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "file-out.h"

struct cli_output {
	FILE *f;		/* where to write */
	const char *cmd;	/* for messages: "tdxsim CMD: PATH: reason" */
	const char *path;	/* as the user gave it; NULL for stdout */
	struct tdxsim_file_out file;	/* the file behind f, unless stdout */
};

/*
 * Open path for writing ("-" or NULL: standard output). Returns 0, or
 * prints "tdxsim CMD: PATH: reason" and returns CLI_EXIT_USAGE.
 */
int cli_output_open(struct cli_output *o, const char *cmd, const char *path);

/* Whether path names standard output ("-"), so that a command prints
 * nothing else there. */
bool cli_output_is_stdout(const char *path);

/*
 * Finish the output. written is the writer's result (0 or a negative
 * errno). On success the temporary file is synced and renamed into place
 * and CLI_EXIT_OK returned; otherwise it is removed, the target is left as
 * it was, the real cause printed and CLI_EXIT_USAGE returned. Standard
 * output is flushed, not closed.
 */
int cli_output_close(struct cli_output *o, int written);

/*
 * A write to standard output failed with err (a negative errno) inside a
 * command: print "tdxsim CMD: standard output: reason" and clear the
 * stream's error, which is then reported once. Returns CLI_EXIT_USAGE.
 */
int cli_stdout_failed(const char *cmd, int err);

/*
 * Flush and close standard output at exit. Returns status, or
 * CLI_EXIT_USAGE after printing "tdxsim: standard output: reason" when
 * anything written to it was lost.
 */
int cli_finish_stdout(int status);

#endif /* TDXSIM_CLI_OUTPUT_H */
