/* SPDX-License-Identifier: MIT */
/*
 * Output files written safely (see output.h): the library's safe writer
 * for files, standard output checked, the real cause of every failure.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "cli.h"
#include "output.h"

/* The errno of a stdio failure that just happened: EIO when stdio did not
 * leave one (a stream error flag from an earlier call). */
static int
stdio_errno(void)
{
	return errno ? -errno : -EIO;
}

static int
report(const struct cli_output *o, int err)
{
	fprintf(stderr, "tdxsim %s: %s: %s\n", o->cmd,
		o->path ? o->path : "standard output", strerror(-err));
	return CLI_EXIT_USAGE;
}

int
cli_output_open(struct cli_output *o, const char *cmd, const char *path)
{
	int ret;

	*o = (struct cli_output){ .cmd = cmd, .path = path };
	if (!path || strcmp(path, "-") == 0) {
		o->path = NULL;
		o->f = stdout;
		return CLI_EXIT_OK;
	}
	ret = tdxsim_file_out_open(&o->file, path);
	if (ret < 0)
		return report(o, ret);
	o->f = o->file.f;
	return CLI_EXIT_OK;
}

int
cli_output_close(struct cli_output *o, int written)
{
	int ret;

	/* Standard output is otherwise checked once, at exit. */
	if (!o->path) {
		if (written < 0 && ferror(stdout))
			return cli_stdout_failed(o->cmd, written);
		return written < 0 ? report(o, written) : CLI_EXIT_OK;
	}
	ret = tdxsim_file_out_close(&o->file, written);
	o->f = NULL;
	return ret < 0 ? report(o, ret) : CLI_EXIT_OK;
}

int
cli_stdout_failed(const char *cmd, int err)
{
	/* stdio has dropped what it could not write; what stays buffered is
	 * flushed again at exit and reported then if it fails too. */
	clearerr(stdout);
	fprintf(stderr, "tdxsim %s: standard output: %s\n", cmd, strerror(-err));
	return CLI_EXIT_USAGE;
}

int
cli_finish_stdout(int status)
{
	bool lost;
	int err;

	errno = 0;
	lost = fflush(stdout) != 0 || ferror(stdout);
	err = stdio_errno();
	errno = 0;
	if (fclose(stdout) != 0 && !lost) {
		lost = true;
		err = stdio_errno();
	}
	if (!lost)
		return status;
	fprintf(stderr, "tdxsim: standard output: %s\n", strerror(-err));
	return CLI_EXIT_USAGE;
}

bool
cli_output_is_stdout(const char *path)
{
	return path && strcmp(path, "-") == 0;
}
