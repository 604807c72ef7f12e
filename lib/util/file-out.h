/* SPDX-License-Identifier: MIT */
/*
 * Writing a file so that a failure never costs what was there before.
 * The library's file writers (tdxsim_platform_save_file()) and every file
 * the CLI writes (sim/output.c) go through here:
 *
 * - a regular file (or a new one) is written to a temporary file in the
 *   same directory, flushed to disk and renamed over the target only once
 *   complete: an existing file is never truncated first, and a failure
 *   leaves it exactly as it was;
 * - a symbolic link is followed: its target is replaced the same way and
 *   the link itself stays;
 * - anything else that is not a directory (a device such as /dev/null, a
 *   FIFO, a socket) is written directly and never removed;
 * - a directory is refused (-EISDIR) before anything happens.
 *
 * Results are the real cause (-ENOSPC, -EFBIG, -EACCES, ...), never a
 * generic -EIO when errno knows better.
 */
#ifndef TDXSIM_UTIL_FILE_OUT_H
#define TDXSIM_UTIL_FILE_OUT_H

#include <stdio.h>

struct tdxsim_file_out {
	FILE *f;	/* where to write */
	char *target;	/* what the rename replaces (links followed) */
	char *tmp;	/* the temporary file; NULL when written directly */
};

/*
 * Open path for writing into o->f. Returns 0, or a negative errno with
 * nothing created and nothing to close.
 */
int tdxsim_file_out_open(struct tdxsim_file_out *o, const char *path);

/*
 * Finish and release o. written is the writer's own result (0 or a
 * negative errno). When it and every flush succeed, the temporary file is
 * synced and renamed into place; otherwise it is removed and the target
 * keeps its old content. Returns 0 or the first real cause (a specific
 * errno beats a writer's -EIO).
 */
int tdxsim_file_out_close(struct tdxsim_file_out *o, int written);

#endif /* TDXSIM_UTIL_FILE_OUT_H */
