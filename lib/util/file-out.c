/* SPDX-License-Identifier: MIT */
/*
 * Files written safely (see file-out.h): a temporary file renamed into
 * place, devices written directly, the real cause of every failure.
 */
/* realpath() is XSI in glibc's headers: X/Open 7 is POSIX.1-2008 plus it. */
#define _XOPEN_SOURCE 700
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file-out.h"

/* A specific errno beats the generic -EIO a stdio writer reports; the
 * first failure wins otherwise. */
static int
worse(int first, int second)
{
	if (first < 0 && (first != -EIO || second >= 0))
		return first;
	return second < 0 ? second : first;
}

/* The errno of a stdio failure that just happened: EIO when stdio did not
 * leave one (a stream error flag from an earlier call). */
static int
stdio_errno(void)
{
	return errno ? -errno : -EIO;
}

/* The file a rename must replace: a symbolic link's target, so that the
 * link stays a link; the path itself otherwise (also a dangling link,
 * which the new file replaces). */
static char *
rename_target(const char *path)
{
	struct stat st;
	char *real;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		real = realpath(path, NULL);
		if (real)
			return real;
	}
	return strdup(path);
}

/* "dir/.base.tdxsim-XXXXXX" next to target: same file system, so the
 * rename is atomic; hidden, so a crash leaves no look-alike fixture. */
static char *
temporary_name(const char *target)
{
	const char *slash = strrchr(target, '/');
	size_t dir_len = slash ? (size_t)(slash - target) + 1 : 0;
	const char *base = target + dir_len;
	size_t size = dir_len + strlen(base) + sizeof(".tdxsim-XXXXXX") + 1;
	char *name = malloc(size);

	if (name)
		snprintf(name, size, "%.*s.%s.tdxsim-XXXXXX", (int)dir_len,
			 target, base);
	return name;
}

/* The mode a plain fopen() would give a new file (0666 less the umask),
 * or the existing file's, which the replacement keeps. */
static mode_t
new_file_mode(const struct stat *existing)
{
	mode_t mask;

	if (existing)
		return existing->st_mode & 07777;
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

static int
open_temporary(struct tdxsim_file_out *o, const char *path, const struct stat *existing)
{
	int fd;

	o->target = rename_target(path);
	o->tmp = o->target ? temporary_name(o->target) : NULL;
	if (!o->tmp)
		return -ENOMEM;
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		return -errno;
	}
	if (fchmod(fd, new_file_mode(existing)) != 0 ||
	    !(o->f = fdopen(fd, "w"))) {
		int err = -errno;

		close(fd);
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		return err;
	}
	return 0;
}

int
tdxsim_file_out_open(struct tdxsim_file_out *o, const char *path)
{
	struct stat st;
	int exists, ret;

	*o = (struct tdxsim_file_out){ 0 };
	exists = stat(path, &st) == 0;
	if (!exists && errno != ENOENT)
		ret = -errno;
	else if (exists && S_ISDIR(st.st_mode))
		ret = -EISDIR;
	else if (exists && !S_ISREG(st.st_mode))
		ret = (o->f = fopen(path, "w")) ? 0 : -errno;
	else
		ret = open_temporary(o, path, exists ? &st : NULL);
	if (ret < 0) {
		free(o->target);
		o->target = NULL;
	}
	return ret;
}

/* Make the rename itself durable; a failure here loses nothing the user
 * had, so it is not reported. */
static void
sync_directory(const char *target)
{
	const char *slash = strrchr(target, '/');
	char *dir = slash ? strndup(target, (size_t)(slash - target) + 1)
			  : strdup(".");
	int fd = dir ? open(dir, O_RDONLY) : -1;

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Flush, sync, close and rename: 0 or the first real cause. */
static int
finish_file(struct tdxsim_file_out *o, int written)
{
	int ret = written;

	errno = 0;
	if (fflush(o->f) != 0 || ferror(o->f))
		ret = worse(ret, stdio_errno());
	/* The data must be on disk before the name points at it, or a crash
	 * could leave an empty file where the old one was. */
	if (ret == 0 && o->tmp && fsync(fileno(o->f)) != 0)
		ret = -errno;
	errno = 0;
	if (fclose(o->f) != 0)
		ret = worse(ret, stdio_errno());
	o->f = NULL;
	if (ret == 0 && o->tmp && rename(o->tmp, o->target) != 0)
		ret = -errno;
	if (ret == 0 && o->tmp) {
		free(o->tmp);
		o->tmp = NULL;
		sync_directory(o->target);
	}
	return ret;
}

int
tdxsim_file_out_close(struct tdxsim_file_out *o, int written)
{
	int ret = finish_file(o, written);

	if (o->tmp)
		unlink(o->tmp);	/* never the target: it keeps its old content */
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
	return ret;
}
