/* SPDX-License-Identifier: MIT */
/*
 * The TDMR regression suite: every fixture in fixtures/platforms states,
 * for every host strategy, what the kernel does on that machine (expect:
 * blocks). Each is replayed through the whole init_tdx_module() against
 * the simulated module and compared: outcome, errno, TDMR count, most
 * reserved areas in one TDMR, PAMT KB, and the kernel lines (the whole
 * list, exactly; the informational preamble may be left out).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <tdxsim/tdxsim.h>

#include "test-common.h"

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

static char *diff_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A malloc'ed message. */
static char *
diff_text(const char *fmt, ...)
{
	char *text = malloc(1024);
	va_list args;

	assert_non_null(text);
	va_start(args, fmt);
	vsnprintf(text, 1024, fmt, args);
	va_end(args);
	return text;
}

/* The lines init_tdx_module() prints before it builds anything: fixtures
 * may leave them out, since they only restate the platform. */
static bool
is_preamble(const char *line)
{
	static const char *const prefixes[] = {
		"virt/tdx: BIOS enabled: private KeyID range ",
		"virt/tdx: Disable ACPI S3. ",
		"virt/tdx: Module version: ",
		"virt/tdx: TDX module: attributes ",
		"virt/tdx: CMR: [",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		if (strncmp(line, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	}
	return false;
}

/*
 * The expected lines are the run's whole line list, exactly: same lines,
 * same order, nothing extra, nothing missing; only the leading preamble
 * lines may be left out of the expectation. Returns a description of the
 * first difference (to free), or NULL.
 */
static char *
line_mismatch(const struct tdxsim_host_run *run, const char *lines)
{
	size_t next = 0, count = tdxsim_host_run_line_count(run);
	char *copy = strdup(lines), *save = NULL, *diff = NULL;
	char *want = strtok_r(copy, "\n", &save);

	assert_non_null(copy);
	if (want && !is_preamble(want)) {
		while (next < count && is_preamble(tdxsim_host_run_line(run, next)))
			next++;
	}
	for (; want && !diff; want = strtok_r(NULL, "\n", &save), next++) {
		if (next == count)
			diff = diff_text("missing at the end: %s", want);
		else if (strcmp(tdxsim_host_run_line(run, next), want) != 0)
			diff = diff_text("line %zu is '%s', expected '%s'",
							 next + 1, tdxsim_host_run_line(run, next), want);
	}
	if (!diff && next < count)
		diff = diff_text("extra line %zu: %s", next + 1,
						 tdxsim_host_run_line(run, next));
	free(copy);
	return diff;
}

static void
print_run(const struct tdxsim_host_run *run)
{
	for (size_t i = 0; i < tdxsim_host_run_line_count(run); i++)
		print_message("    | %s\n", tdxsim_host_run_line(run, i));
}

/* One expect block; returns the number of mismatches, each printed. */
static int
check_expect(const char *path, const struct tdxsim_platform *p,
	     const struct tdxsim_expect *e)
{
	const struct tdxsim_layout *l;
	struct tdxsim_host_run *run;
	enum tdxsim_strategy s;
	int bad = 0;
	char *missing;

	if (tdxsim_strategy_from_name(e->strategy, &s) < 0) {
		print_message("%s:%u: unknown strategy '%s'\n", path, e->line, e->strategy);
		return 1;
	}
	assert_int_equal(tdxsim_host_run(p, s, TDXSIM_HOST_INIT, &run), 0);
	l = tdxsim_host_run_layout(run);
#define MISMATCH(what, fmt, want, got)						\
	do {									\
		print_message("%s:%u: %s: " what " expected " fmt ", got " fmt "\n", \
			      path, e->line, e->strategy, want, got);		\
		bad++;								\
	} while (0)
	if (e->outcome != TDXSIM_EXPECT_UNSET &&
	    (e->outcome == TDXSIM_EXPECT_OK) != (tdxsim_host_run_errno(run) == 0))
		MISMATCH("outcome", "%s", e->outcome == TDXSIM_EXPECT_OK ? "ok" : "fail",
			 tdxsim_host_run_errno(run) == 0 ? "ok" : "fail");
	if (e->has_errno && e->err != tdxsim_host_run_errno(run))
		MISMATCH("errno", "%d", e->err, tdxsim_host_run_errno(run));
	if (e->tdmrs != TDXSIM_EXPECT_NONE &&
	    (size_t)e->tdmrs != tdxsim_layout_tdmr_count(l))
		MISMATCH("tdmrs", "%zu", (size_t)e->tdmrs, tdxsim_layout_tdmr_count(l));
	if (e->max_reserved != TDXSIM_EXPECT_NONE &&
	    (size_t)e->max_reserved != max_reserved(l))
		MISMATCH("max-reserved", "%zu", (size_t)e->max_reserved, max_reserved(l));
	if (e->pamt_kb != TDXSIM_EXPECT_NONE &&
	    (uint64_t)e->pamt_kb != tdxsim_host_run_pamt_kb(run))
		MISMATCH("pamt-kb", "%llu", (unsigned long long)e->pamt_kb,
			 (unsigned long long)tdxsim_host_run_pamt_kb(run));
	if (e->lines && (missing = line_mismatch(run, e->lines))) {
		print_message("%s:%u: %s: kernel lines differ: %s\n", path,
			      e->line, e->strategy, missing);
		free(missing);
		bad++;
	}
	if (bad)
		print_run(run);
	tdxsim_host_run_free(run);
	return bad;
}

/* Every fixture names an outcome for every strategy. */
static int
check_fixture(const char *path)
{
	struct tdxsim_platform *p = tdxsim_test_load_file_clean(path);
	int bad = 0;

	for (unsigned s = 0; s < TDXSIM_STRATEGY_COUNT; s++) {
		const char *name = tdxsim_strategy_name((enum tdxsim_strategy)s);
		bool found = false;

		for (size_t i = 0; i < tdxsim_platform_expect_count(p); i++)
			found |= strcmp(tdxsim_platform_expect(p, i)->strategy, name) == 0;
		if (!found) {
			print_message("%s: no expect block for strategy '%s'\n", path, name);
			bad++;
		}
	}
	for (size_t i = 0; i < tdxsim_platform_expect_count(p); i++)
		bad += check_expect(path, p, tdxsim_platform_expect(p, i));
	tdxsim_platform_free(p);
	return bad;
}

static void
test_every_platform_replays_as_expected(void **state)
{
	struct tdxsim_test_paths list = tdxsim_test_list_yaml("fixtures/platforms");
	int bad = 0;

	(void)state;
	/* An empty corpus must not pass. */
	assert_true(list.count >= 6);
	for (size_t i = 0; i < list.count; i++)
		bad += check_fixture(list.paths[i]);
	print_message("%zu platforms replayed, %d mismatches\n", list.count, bad);
	tdxsim_test_paths_free(&list);
	assert_int_equal(bad, 0);
}

/* The comparison itself, on a run whose lines are the KeyID range, the
 * module version, a failed SEAMCALL and "module initialization failed":
 * the whole list passes, with or without the preamble; a subset, an extra
 * line or another order does not (an in-order subsequence used to pass). */
static void
test_lines_compared_exactly(void **state)
{
	char *path = tdxsim_test_source_path("fixtures/platforms/baoquan-2node.yaml");
	struct tdxsim_platform *p = tdxsim_test_load_file_clean(path);
	struct tdxsim_host_run *run;
	char *diff;
	static const char seamcall[] = "virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc0000a1100000200\n";
	static const char failed[] = "virt/tdx: module initialization failed (-5)\n";
	char all[1024], text[512], want[256];
	size_t pre = 0, used = 0;

	(void)state;
	assert_int_equal(tdxsim_host_run(p, TDXSIM_STRATEGY_LINUX, TDXSIM_HOST_INIT, &run), 0);
	/* The preamble: the KeyID, ACPI S3 and version lines of the default
	 * generation. */
	while (pre < tdxsim_host_run_line_count(run) && is_preamble(tdxsim_host_run_line(run, pre)))
		used += (size_t)snprintf(all + used, sizeof(all) - used, "%s\n",
					 tdxsim_host_run_line(run, pre++));
	assert_int_equal(pre, 3);
	snprintf(all + used, sizeof(all) - used, "%s%s", seamcall, failed);
	assert_null(line_mismatch(run, all));
	snprintf(text, sizeof(text), "%s%s", seamcall, failed);
	assert_null(line_mismatch(run, text));
	diff = line_mismatch(run, failed);	/* a subsequence */
	snprintf(want, sizeof(want), "line %zu is 'virt/tdx: SEAMCALL (0x000000000000002d) failed: "
		 "0xc0000a1100000200', expected 'virt/tdx: module initialization failed (-5)'",
		 pre + 1);
	assert_string_equal(diff, want);
	free(diff);
	diff = line_mismatch(run, seamcall);	/* a prefix */
	snprintf(want, sizeof(want), "extra line %zu: virt/tdx: module initialization failed (-5)",
		 pre + 2);
	assert_string_equal(diff, want);
	free(diff);
	snprintf(text, sizeof(text), "%s%s%s", seamcall, failed, failed);
	diff = line_mismatch(run, text);
	assert_string_equal(diff, "missing at the end: virt/tdx: module initialization failed (-5)");
	free(diff);
	snprintf(text, sizeof(text), "%s%s", failed, seamcall);
	diff = line_mismatch(run, text);
	assert_non_null(diff);
	free(diff);
	tdxsim_host_run_free(run);
	tdxsim_platform_free(p);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_compared_exactly),
		cmocka_unit_test(test_every_platform_replays_as_expected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
