/* SPDX-License-Identifier: MIT */
/*
 * A platform's expectations (its fixture's expect: blocks) checked by
 * replaying each strategy through the whole init sequence: outcome, errno,
 * TDMR count, most reserved areas in one TDMR, PAMT KB and the kernel's
 * lines. One function serves the regression suite, `tdxsim regress` and
 * any user's CI, so an expectation means the same everywhere.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "diag-private.h"
#include "host-private.h"
#include "platform-private.h"

bool
tdxsim_host_line_is_preamble(const char *line)
{
	/* What the kernel prints before it builds anything: the KeyIDs, the
	 * ACPI line, the module's version and its CMRs. They restate the
	 * platform, so expectations may leave them out. */
	static const char *const prefixes[] = {
		"virt/tdx: BIOS enabled: private KeyID range ",
		"virt/tdx: Disable ACPI S3. ",
		"virt/tdx: Module version: ",
		"virt/tdx: TDX module: attributes ",
		"virt/tdx: CMR: [",
	};

	for (size_t i = 0; i < ARRAY_LENGTH(prefixes); i++) {
		if (strncmp(line, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	}
	return false;
}

static char *
message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
message(const char *fmt, ...)
{
	char *text = malloc(1024);
	va_list args;

	if (!text)
		return NULL;
	va_start(args, fmt);
	vsnprintf(text, 1024, fmt, args);
	va_end(args);
	return text;
}

int
tdxsim_host_lines_mismatch(const struct tdxsim_host_run *run, const char *lines,
			   char **diff)
{
	size_t next = 0, count = tdxsim_host_run_line_count(run);
	char *copy = strdup(lines), *save = NULL, *want;
	bool differ = false;

	*diff = NULL;
	if (!copy)
		return -ENOMEM;
	want = strtok_r(copy, "\n", &save);
	if (want && !tdxsim_host_line_is_preamble(want)) {
		while (next < count && tdxsim_host_line_is_preamble(tdxsim_host_run_line(run, next)))
			next++;
	}
	for (; want && !differ; want = strtok_r(NULL, "\n", &save), next++) {
		differ = true;
		if (next == count)
			*diff = message("missing at the end: %s", want);
		else if (strcmp(tdxsim_host_run_line(run, next), want) != 0)
			*diff = message("line %zu is '%s', expected '%s'", next + 1,
					tdxsim_host_run_line(run, next), want);
		else
			differ = false;
	}
	if (!differ && next < count) {
		differ = true;
		*diff = message("extra line %zu: %s", next + 1, tdxsim_host_run_line(run, next));
	}
	free(copy);
	return differ && !*diff ? -ENOMEM : 0;
}

static size_t
max_reserved(const struct tdxsim_layout *l)
{
	size_t max = 0;

	for (size_t i = 0; i < tdxsim_layout_tdmr_count(l); i++) {
		size_t n = tdxsim_layout_tdmr(l, i)->reserved_count;

		max = n > max ? n : max;
	}
	return max;
}

struct checker {
	const struct tdxsim_platform *p;
	const struct tdxsim_expect *e;
	struct tdxsim_diag *diag;
	size_t missed;
};

static void
miss(struct checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
miss(struct checker *c, const char *fmt, ...)
{
	const char *name = tdxsim_platform_input_name(c->p);
	char text[1100];
	va_list args;

	va_start(args, fmt);
	vsnprintf(text, sizeof(text), fmt, args);
	va_end(args);
	tdxsim_diag_add(c->diag, TDXSIM_DIAG_ERROR, name ? name : "<platform>",
			(struct tdxsim_pos){ c->e->line, c->e->line ? 1 : 0 }, "%s: %s",
			c->e->strategy, text);
	c->missed++;
}

static int
check_lines(struct checker *c, const struct tdxsim_host_run *run)
{
	char *diff;
	int ret;

	if (!c->e->lines)
		return 0;
	ret = tdxsim_host_lines_mismatch(run, c->e->lines, &diff);
	if (ret == 0 && diff) {
		miss(c, "kernel lines differ: %s", diff);
		free(diff);
	}
	return ret;
}

static void
check_counts(struct checker *c, const struct tdxsim_host_run *run)
{
	const struct tdxsim_expect *e = c->e;
	const struct tdxsim_layout *l = tdxsim_host_run_layout(run);
	int err = tdxsim_host_run_errno(run);

	if (e->outcome != TDXSIM_EXPECT_UNSET && (e->outcome == TDXSIM_EXPECT_OK) != (err == 0))
		miss(c, "outcome expected %s, got %s", e->outcome == TDXSIM_EXPECT_OK ? "ok" : "fail",
		     err == 0 ? "ok" : "fail");
	if (e->has_errno && e->err != err)
		miss(c, "errno expected %d, got %d", e->err, err);
	if (e->tdmrs != TDXSIM_EXPECT_NONE && (size_t)e->tdmrs != tdxsim_layout_tdmr_count(l))
		miss(c, "tdmrs expected %lld, got %zu", e->tdmrs, tdxsim_layout_tdmr_count(l));
	if (e->max_reserved != TDXSIM_EXPECT_NONE && (size_t)e->max_reserved != max_reserved(l))
		miss(c, "max-reserved expected %lld, got %zu", e->max_reserved, max_reserved(l));
	if (e->pamt_kb != TDXSIM_EXPECT_NONE &&
	    (unsigned long long)e->pamt_kb != tdxsim_host_run_pamt_kb(run))
		miss(c, "pamt-kb expected %lld, got %llu", e->pamt_kb,
		     (unsigned long long)tdxsim_host_run_pamt_kb(run));
}

TDXSIM_EXPORT int
tdxsim_host_check_expectation(const struct tdxsim_platform *platform,
			      const struct tdxsim_expect *expect,
			      const struct tdxsim_host_run *run,
			      struct tdxsim_diag *diag, size_t *missed)
{
	struct checker c = { .p = platform, .e = expect, .diag = diag };
	int ret;

	if (!platform || !expect || !expect->strategy || !run || !missed)
		return -EINVAL;
	check_counts(&c, run);
	ret = check_lines(&c, run);
	*missed = c.missed;
	return ret;
}

TDXSIM_EXPORT int
tdxsim_host_check_expectations(const struct tdxsim_platform *platform,
			       struct tdxsim_diag *diag, size_t *missed)
{
	struct checker c = { .p = platform, .diag = diag };
	enum tdxsim_kernel kernel;
	int ret = 0;

	if (!platform || !missed)
		return -EINVAL;
	/* As `tdxsim init` replays it: the generation of the fixture's kernel. */
	kernel = tdxsim_kernel_from_release(tdxsim_platform_info(platform, TDXSIM_INFO_KERNEL));
	for (size_t i = 0; i < tdxsim_platform_expect_count(platform) && ret == 0; i++) {
		struct tdxsim_host_run *run;
		enum tdxsim_strategy s;
		size_t one = 0;

		c.e = tdxsim_platform_expect(platform, i);
		if (tdxsim_strategy_from_name(c.e->strategy, &s) < 0) {
			miss(&c, "no such strategy (linux, linux-cmr, tdxsim)");
			continue;
		}
		ret = tdxsim_host_run_kernel(platform, s, kernel, TDXSIM_HOST_INIT, &run);
		if (ret < 0)
			break;
		ret = tdxsim_host_check_expectation(platform, c.e, run, diag, &one);
		c.missed += one;
		tdxsim_host_run_free(run);
	}
	*missed = c.missed;
	return ret;
}
