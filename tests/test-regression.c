/* SPDX-License-Identifier: MIT */
/*
 * The TDMR regression suite: every fixture in fixtures/platforms states,
 * for every host strategy, what the kernel does on that machine (expect:
 * blocks). Each is replayed through the whole init_tdx_module() against
 * the simulated module and compared: outcome, errno, TDMR count, most
 * reserved areas in one TDMR, PAMT KB, and the kernel lines in order.
 */
#include "config.h"

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

/* Each expected line appears in the run's lines, in order. Returns the
 * first one missing, or NULL. */
static char *
missing_line(const struct tdxsim_host_run *run, const char *lines)
{
	size_t next = 0;
	char *copy = strdup(lines), *save = NULL;

	assert_non_null(copy);
	for (char *want = strtok_r(copy, "\n", &save); want;
	     want = strtok_r(NULL, "\n", &save)) {
		while (next < tdxsim_host_run_line_count(run) &&
		       strcmp(tdxsim_host_run_line(run, next), want) != 0)
			next++;
		if (next == tdxsim_host_run_line_count(run)) {
			char *missing = strdup(want);

			free(copy);
			return missing;
		}
		next++;
	}
	free(copy);
	return NULL;
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
	if (e->lines && (missing = missing_line(run, e->lines))) {
		print_message("%s:%u: %s: line not printed (in order): %s\n", path,
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_platform_replays_as_expected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
