/* SPDX-License-Identifier: MIT */
/*
 * Memtype scenarios: every file in fixtures/scenarios/ loads cleanly and
 * meets all its expectations; every file in fixtures/bad-scenarios/ is
 * refused with exactly the message its first line announces
 * ("# expect: LINE:COL: MESSAGE"); a wrong expectation is reported as a
 * miss (so the runner can fail) and misuse is refused.
 *
 * The source root comes from the environment variable TDXSIM_SOURCE_ROOT.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tdxsim/scenario.h>

#include "test-common.h"


/* Bounds that an empty or gutted corpus cannot meet. */
#define MIN_SCENARIOS 11
#define MIN_BAD_SCENARIOS 8

/* Run s with its report in a malloc'ed string. */
static char *
run_to_string(const struct tdxsim_scenario *s,
	      struct tdxsim_scenario_result *result)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(tdxsim_scenario_run(s, f, result), 0);
	fclose(f);
	assert_non_null(text);
	return text;
}

/* ---- the scenarios pass --------------------------------------------------- */

/* Returns 1 (after printing why) when path does not load cleanly and pass. */
static int
check_scenario(const char *path)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_scenario *s = NULL;
	struct tdxsim_scenario_result result;
	int failed = 0;
	char *report;

	assert_non_null(diag);
	if (tdxsim_scenario_load_file(path, &s, diag) < 0 ||
	    tdxsim_diag_count(diag)) {
		print_message("%s: not loaded cleanly\n", path);
		tdxsim_test_print_diag(diag);
		tdxsim_diag_free(diag);
		return 1;
	}
	report = run_to_string(s, &result);
	if (result.failed || result.expectations == 0 ||
	    result.met != result.expectations ||
	    !tdxsim_scenario_source(s) || !tdxsim_scenario_name(s)) {
		print_message("%s: %zu of %zu expectations failed (or no source)\n%s",
			      path, result.failed, result.expectations, report);
		failed = 1;
	}
	free(report);
	tdxsim_scenario_free(s);
	tdxsim_diag_free(diag);
	return failed;
}

static void
test_scenarios_pass(void **state)
{
	struct tdxsim_test_paths list = tdxsim_test_list_yaml("fixtures/scenarios");
	size_t failures = 0;

	(void)state;
	for (size_t i = 0; i < list.count; i++)
		failures += (size_t)check_scenario(list.paths[i]);
	if (list.count < MIN_SCENARIOS)
		print_message("%zu scenarios (need %d)\n", list.count,
			      MIN_SCENARIOS);
	assert_true(list.count >= MIN_SCENARIOS);
	tdxsim_test_paths_free(&list);
	assert_int_equal(failures, 0);
}

/* The TPM regression's report carries the kernel's exact lines. */
static void
test_s1_report_lines(void **state)
{
	char *path = tdxsim_test_source_path("fixtures/scenarios/s1-tpm-probe.yaml");
	struct tdxsim_scenario *s = NULL;
	struct tdxsim_scenario_result result;
	char *report;

	(void)state;
	assert_int_equal(tdxsim_scenario_load_file(path, &s, NULL), 0);
	assert_int_equal(tdxsim_scenario_step_count(s), 3);
	report = run_to_string(s, &result);
	assert_non_null(strstr(report, "\nioremap error for 0xfed40000-0xfed45000, requested 0x2, got 0x0\n"));
	assert_non_null(strstr(report, "\ntpm_tis MSFT0101:00: probe with driver tpm_tis failed with error -12\n"));
	assert_non_null(strstr(report, "\nPAT: [mem 0x00000000fed40000-0x00000000fed41000] write-back\n"));
	assert_non_null(strstr(report, "\nS1-tpm-probe: 7 expectations, 7 met, 0 failed\n"));
	free(report);
	tdxsim_scenario_free(s);
	free(path);
}

/*
 * A scenario without a guest reports its steps and its count, nothing
 * else: the whole report, word for word, so that the EPT steps' lines
 * ("effective WB", not "EPT misconfiguration") and the absence of a
 * "kernel lines:" block are held (tools/mutate.py: 'ret <= 0' in the EPT
 * step's report and '||' before report_kernel() survived).
 */
static void
test_s3_whole_report(void **state)
{
	char *path = tdxsim_test_source_path("fixtures/scenarios/s3-kvm.yaml");
	struct tdxsim_scenario *s = NULL;
	struct tdxsim_scenario_result result;
	char *report;
	/* After the line "scenario S3-kvm (PATH, profile kvm)". */
	const char *expected =
		"step 1 (line 14): wrmsr 0x2ff = 0x806: ok\n"
		"step 2 (line 17): wrmsr 0x2ff = 0xc06: ok\n"
		"step 3 (line 20): wrmsr 0x2ff = 0x807: gp\n"
		"step 4 (line 23): wrmsr 0x2ff = 0x1006: gp\n"
		"step 5 (line 26): wrmsr 0x2ff = 0x302: gp\n"
		"step 6 (line 29): wrmsr 0x201 = 0x1000000000800: gp\n"
		"step 7 (line 32): wrmsr 0x201 = 0xffff7ff7c800: ok\n"
		"step 8 (line 35): wrmsr 0x210 = 0x0: gp\n"
		"step 9 (line 38): rdmsr 0xfe: ok 0x508\n"
		"step 10 (line 41): wrmsr 0xfe = 0x508: gp\n"
		"step 11 (line 44): mov cr0 (cd=1 nw=0): ok\n"
		"step 12 (line 46): EPT for 0x100000000 (ram, guest PAT UC-): MT WB, IPAT 1, effective WB\n"
		"step 13 (line 52): EPT for 0x100000000 (ram, guest PAT UC-): MT WB, IPAT 0, effective UC\n"
		"step 14 (line 59): EPT for 0xfe000000 (mmio, guest PAT UC-): MT UC, IPAT 0, effective UC\n"
		"step 15 (line 65): EPT for 0xfe000000 (mmio, guest PAT WC): MT UC, IPAT 0, effective WC\n"
		"S3-kvm: 22 expectations, 22 met, 0 failed\n";
	char head[4096];

	(void)state;
	assert_int_equal(tdxsim_scenario_load_file(path, &s, NULL), 0);
	snprintf(head, sizeof(head), "scenario S3-kvm (%s, profile kvm)\n", path);
	report = run_to_string(s, &result);
	assert_memory_equal(report, head, strlen(head));
	assert_string_equal(report + strlen(head), expected);
	assert_int_equal(result.failed, 0);
	free(report);
	tdxsim_scenario_free(s);
	free(path);
}

/* ---- bad scenarios are refused as announced --------------------------------- */

static int
check_bad_scenario(const char *path)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_scenario *s = NULL;
	char *wanted = tdxsim_test_announced_refusal(path);
	int ret, failed = 0;

	assert_non_null(diag);
	if (!wanted) {
		print_message("%s: first line is not '# expect: LINE:COL: MESSAGE'\n",
			      path);
		tdxsim_diag_free(diag);
		return 1;
	}
	ret = tdxsim_scenario_load_file(path, &s, diag);
	if (ret != -EINVAL || s || !tdxsim_test_diag_has(diag, wanted)) {
		print_message("%s: load returned %d; expected -EINVAL and\n    %s\n  got:\n",
			      path, ret, wanted);
		tdxsim_test_print_diag(diag);
		failed = 1;
	}
	tdxsim_scenario_free(s);
	tdxsim_diag_free(diag);
	free(wanted);
	return failed;
}

static void
test_bad_scenarios_refused(void **state)
{
	struct tdxsim_test_paths list = tdxsim_test_list_yaml("fixtures/bad-scenarios");
	size_t failures = 0;

	(void)state;
	for (size_t i = 0; i < list.count; i++)
		failures += (size_t)check_bad_scenario(list.paths[i]);
	assert_true(list.count >= MIN_BAD_SCENARIOS);
	tdxsim_test_paths_free(&list);
	assert_int_equal(failures, 0);
}

/* ---- the runner can fail ---------------------------------------------------- */

static const char wrong[] =
	"tdxsim-scenario: 1\n"
	"name: wrong\n"
	"profile: tdx\n"
	"guest:\n"
	"  force-mtrr: true\n"
	"steps:\n"
	"  - ioremap-cache: 0xfed40000+0x1000\n"
	"    expect-mapped: UC-\n"
	"  - devm-ioremap-resource: \"[mem 0xfed40000-0xfed44fff]\"\n"
	"    device: tpm_tis MSFT0101:00\n"
	"    expect: mapped\n"
	"  - wrmsr: 0x2ff\n"
	"    value: 0x807\n"
	"    expect: ve-ok\n"
	"expect-lines: |\n"
	"  MTRR map: 0 entries (0 fixed + 0 variable; max 0), built from 0 variable MTRRs\n"
	"  MTRRs set to read-only\n"
	"expect-tree: ''\n";

static void
test_wrong_expectations_fail(void **state)
{
	struct tdxsim_scenario *s = NULL;
	struct tdxsim_scenario_result result;
	char *report;

	(void)state;
	assert_int_equal(tdxsim_scenario_load_buffer("wrong.yaml", wrong,
						     strlen(wrong), &s, NULL), 0);
	report = run_to_string(s, &result);
	assert_int_equal(result.expectations, 5);
	assert_int_equal(result.failed, 5);
	assert_int_equal(result.met, 0);
	assert_non_null(strstr(report, "  wrong.yaml:8:20: expect-mapped: expected UC-, got WB\n"));
	assert_non_null(strstr(report, "  wrong.yaml:11:13: expect: expected mapped, got fail\n"));
	assert_non_null(strstr(report, "  wrong.yaml:14:13: expect: expected ve-ok, got ve-fail\n"));
	assert_non_null(strstr(report, "  wrong.yaml:15:15: expect-lines: expected no line 3, got \"ioremap error for 0xfed40000-0xfed45000, requested 0x2, got 0x0\"\n"));
	assert_non_null(strstr(report, "  wrong.yaml:18:15: expect-tree: expected no line 1, got \"PAT: [mem 0x00000000fed40000-0x00000000fed41000] write-back\"\n"));
	assert_non_null(strstr(report, "\nwrong: 5 expectations, 0 met, 5 failed\n"));
	free(report);
	tdxsim_scenario_free(s);
}

/* memtype-reserve and memtype-free report the kernel's errno. */
static const char reserve[] =
	"tdxsim-scenario: 1\n"
	"name: reserve\n"
	"profile: kvm\n"
	"guest: {force-mtrr: false}\n"
	"steps:\n"
	"  - memtype-reserve: '[mem 0xe0000000-0xe0000fff]'\n"
	"    type: WC\n"
	"    expect-errno: 0\n"
	"    expect-granted: WC\n"
	"  - memtype-free: 0xe0000000+0x2000\n"
	"    expect: fail\n"
	"  - memtype-free: '[0xe0000000, 0xe0001000)'\n"
	"    expect: ok\n"
	"    expect-errno: 0\n"
	"expect-tree: ''\n";

static void
test_reserve_and_free(void **state)
{
	struct tdxsim_scenario *s = NULL;
	struct tdxsim_scenario_result result;
	char *report;

	(void)state;
	assert_int_equal(tdxsim_scenario_load_buffer("reserve.yaml", reserve,
						     strlen(reserve), &s, NULL), 0);
	report = run_to_string(s, &result);
	if (result.failed)
		print_message("%s", report);
	assert_int_equal(result.expectations, 6);
	assert_int_equal(result.failed, 0);
	free(report);
	tdxsim_scenario_free(s);
}

/* ---- misuse ----------------------------------------------------------------- */

static void
test_misuse(void **state)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_scenario *s = NULL;
	static const char *const want_empty[] = {
		"empty.yaml:1:1: empty scenario: expected a mapping starting with 'tdxsim-scenario: 1'",
	};

	(void)state;
	assert_int_equal(tdxsim_scenario_load_file(NULL, &s, diag), -EINVAL);
	assert_int_equal(tdxsim_scenario_load_buffer("x", NULL, 3, &s, diag), -EINVAL);
	assert_int_equal(tdxsim_scenario_load_buffer("x", "", 0, NULL, diag), -EINVAL);
	assert_int_equal(tdxsim_scenario_load_file("/nonexistent/none.yaml", &s, diag),
			 -ENOENT);
	assert_null(s);
	tdxsim_diag_clear(diag);
	assert_int_equal(tdxsim_scenario_load_buffer("empty.yaml", "", 0, &s, diag),
			 -EINVAL);
	tdxsim_test_assert_diag(diag, want_empty, 1);
	assert_int_equal(tdxsim_scenario_run(NULL, NULL, NULL), -EINVAL);
	assert_null(tdxsim_scenario_name(NULL));
	assert_null(tdxsim_scenario_source(NULL));
	assert_int_equal(tdxsim_scenario_step_count(NULL), 0);
	tdxsim_scenario_free(NULL);
	tdxsim_diag_free(diag);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenarios_pass),
		cmocka_unit_test(test_s1_report_lines),
		cmocka_unit_test(test_s3_whole_report),
		cmocka_unit_test(test_bad_scenarios_refused),
		cmocka_unit_test(test_wrong_expectations_fail),
		cmocka_unit_test(test_reserve_and_free),
		cmocka_unit_test(test_misuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
