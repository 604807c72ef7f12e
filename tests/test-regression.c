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

#include "host-private.h"
#include "test-common.h"

/* The library's comparison, as a string to free or NULL. */
static char *
line_mismatch(const struct tdxsim_host_run *run, const char *lines)
{
	char *diff;

	assert_int_equal(tdxsim_host_lines_mismatch(run, lines, &diff), 0);
	return diff;
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
	{
		struct tdxsim_diag *diag = tdxsim_diag_new();
		size_t missed = 0;

		assert_non_null(diag);
		/* tdxsim regress's own check: one library function. */
		assert_int_equal(tdxsim_host_check_expectations(p, diag, &missed), 0);
		for (size_t i = 0; i < tdxsim_diag_count(diag); i++)
			print_message("%s\n", tdxsim_diag_message(diag, i));
		assert_int_equal(tdxsim_diag_count(diag), missed);
		bad += (int)missed;
		tdxsim_diag_free(diag);
	}
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
	/* The preamble: the KeyID and ACPI S3 lines (the fixture gives no
	 * module version, so no version line is printed). */
	while (pre < tdxsim_host_run_line_count(run) &&
	       tdxsim_host_line_is_preamble(tdxsim_host_run_line(run, pre)))
		used += (size_t)snprintf(all + used, sizeof(all) - used, "%s\n",
					 tdxsim_host_run_line(run, pre++));
	assert_int_equal(pre, 2);
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
