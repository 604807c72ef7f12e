/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the fixture loader (tdxsim_platform_load_buffer() and
 * tdxsim_platform_load_file()) with inline YAML: every key of format v1
 * accepted and stored, and refusals checked by their exact
 * "name:line:col: message" text.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
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

#define HEAD "tdxsim-fixture: 1\nname: t\n"
#define E820 "e820: |\n  [mem 0x0-0xfff] usable\n"
#define UNKNOWN_TYPE_LIST "(known: usable, System RAM, reserved, device reserved, ACPI data, ACPI NVS, unusable, persistent (type N), persistent RAM (type N), soft reserved, reserved kernel, type N)"

/* ---- helpers ------------------------------------------------------------ */

/* Load text that must be accepted, with no message. */
static struct tdxsim_platform *
load_ok(const char *text)
{
	return tdxsim_test_load_buffer_clean("t.yaml", text, strlen(text));
}

/* Load text of len bytes that must be refused with exactly these messages. */
static void
refused_n(const char *text, size_t len, const char *const *want, size_t n)
{
	struct tdxsim_diag *d = tdxsim_diag_new();
	struct tdxsim_platform *p = (struct tdxsim_platform *)&p;	/* sentinel */
	bool same;
	int ret;

	assert_non_null(d);
	ret = tdxsim_platform_load_buffer("t.yaml", text, len, &p, d);
	same = ret == -EINVAL && tdxsim_test_diag_matches(d, want, n);
	if (!same) {
		print_message("load returned %d for:\n%.*s\n", ret,
			      (int)(len > 2000 ? 2000 : len), text);
		tdxsim_test_print_mismatch(d, want, n);
	}
	assert_true(same);
	/* A refused load leaves *out alone. */
	assert_ptr_equal(p, (struct tdxsim_platform *)&p);
	/* And gives the same verdict without a diagnostics list. */
	assert_int_equal(tdxsim_platform_load_buffer("t.yaml", text, len, &p, NULL),
			 -EINVAL);
	tdxsim_diag_free(d);
}

#define REFUSED(text, ...) do { \
	const char *const want_[] = { __VA_ARGS__ }; \
	refused_n((text), strlen(text), want_, sizeof(want_) / sizeof(want_[0])); \
} while (0)

/* ---- accepted fixtures --------------------------------------------------- */

static void
test_minimal(void **state)
{
	struct tdxsim_platform *p;
	struct tdxsim_module_profile defaults;

	(void)state;
	p = load_ok(HEAD E820);
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_NAME), "t");
	for (int k = TDXSIM_INFO_DESCRIPTION; k < TDXSIM_INFO_COUNT; k++)
		assert_null(tdxsim_platform_info(p, (enum tdxsim_info)k));
	assert_int_equal(tdxsim_platform_e820_count(p), 1);
	tdxsim_test_assert_e820(p, 0, 0, 0x1000, TDXSIM_E820_RAM);
	assert_int_equal(tdxsim_platform_e820_truncated(p), 0);
	assert_int_equal(tdxsim_platform_e820_spelling(p), TDXSIM_E820_SPELLING_LEGACY);
	assert_int_equal(tdxsim_platform_cmr_count(p), 0);
	assert_int_equal(tdxsim_platform_node_range_count(p), 0);
	assert_int_equal(tdxsim_platform_expect_count(p), 0);
	tdxsim_module_profile_init(&defaults);
	assert_memory_equal(tdxsim_platform_module_profile(p), &defaults,
			    sizeof(defaults));
	tdxsim_platform_free(p);
}

static void
test_all_keys(void **state)
{
	static const char text[] =
		"tdxsim-fixture: 1\n"
		"name: full-1.x_y\n"
		"description: \"A: fixture # with everything\"\n"
		"source:\n"
		"  url: https://example.com/x?y=1\n"
		"  message-id: <abc@example.com>\n"
		"  machine: Board X, BIOS 1.0\n"
		"  kernel: 6.8.0-1004-intel\n"
		"  notes: |\n"
		"    line one\n"
		"    line two\n"
		"module:\n"
		"  version: \"2.0.08.00\"\n"
		"  build-date: 20240523\n"
		"  build-num: 0x31e\n"
		"  max-tdmrs: 32\n"
		"  max-reserved-per-tdmr: 8\n"
		"  pamt-entry-size: {4k: 16, 2m: 32, 1g: 64}\n"
		"  cmr-slots: 8\n"
		"  private-keyids: \"[1, 0x80)\"\n"
		"  logical-cpus: 224\n"
		"  packages: 2\n"
		"e820: |\n"
		"  # a comment\n"
		"  [    0.000000] BIOS-provided physical RAM map:\n"
		"  [    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] usable\n"
		"\n"
		"  BIOS-e820: [mem 0x000000000009f000-0x00000000000fffff] reserved\n"
		"  [mem 0x0000000000100000-0x000000007fffffff] usable\n"
		"  ...\n"
		"  [mem 0x0000000100000000-0x000000017fffffff] persistent (type 12)\n"
		"cmrs: |\n"
		"  virt/tdx: CMR: [0x100000, 0x80000000)\n"
		"  CMR[1]: [0x0, 0x0)\n"
		"  [    1.500000] virt/tdx: CMR[2]: [0x100000000, 0x180000000)\n"
		"numa: |\n"
		"  Early memory node ranges\n"
		"  node   0: [mem 0x0000000000001000-0x000000000009efff]\n"
		"  [    0.000000]   node   1: [mem 0x0000000000100000-0x000000007fffffff]\n"
		"expect:\n"
		"  linux:\n"
		"    outcome: fail\n"
		"    errno: -28\n"
		"    tdmrs: 3\n"
		"    max-reserved: 17\n"
		"    pamt-kb: 12345\n"
		"    lines: |\n"
		"      virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.\n"
		"      virt/tdx: module initialization failed (-28)\n"
		"  linux-cmr:\n"
		"    outcome: ok\n"
		"    lines:\n"
		"      - \"virt/tdx: 1 KB allocated for PAMT\"\n"
		"      - \"virt/tdx: module initialized\"\n";
	struct tdxsim_platform *p;
	const struct tdxsim_module_profile *m;
	const struct tdxsim_expect *e;

	(void)state;
	p = load_ok(text);
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_NAME), "full-1.x_y");
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_DESCRIPTION),
			    "A: fixture # with everything");
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_SOURCE),
			    "https://example.com/x?y=1");
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_MESSAGE_ID),
			    "<abc@example.com>");
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_MACHINE),
			    "Board X, BIOS 1.0");
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_KERNEL),
			    "6.8.0-1004-intel");
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_NOTES),
			    "line one\nline two\n");

	m = tdxsim_platform_module_profile(p);
	assert_int_equal(m->major, 2);
	assert_int_equal(m->minor, 0);
	assert_int_equal(m->update, 8);
	assert_int_equal(m->internal, 0);
	assert_int_equal(m->build_date, 20240523);
	assert_int_equal(m->build_num, 0x31e);
	assert_int_equal(m->max_tdmrs, 32);
	assert_int_equal(m->max_reserved_per_tdmr, 8);
	assert_int_equal(m->pamt_entry_size[0], 16);
	assert_int_equal(m->pamt_entry_size[1], 32);
	assert_int_equal(m->pamt_entry_size[2], 64);
	assert_int_equal(m->cmr_slots, 8);
	assert_int_equal(m->keyid_start, 1);
	assert_int_equal(m->keyid_end, 128);
	assert_int_equal(m->nr_lps, 224);
	assert_int_equal(m->nr_packages, 2);

	assert_int_equal(tdxsim_platform_e820_count(p), 4);
	tdxsim_test_assert_e820(p, 0, 0, 0x9f000, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 1, 0x9f000, 0x100000, TDXSIM_E820_RESERVED);
	tdxsim_test_assert_e820(p, 2, 0x100000, 0x80000000, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 3, 0x100000000, 0x180000000, TDXSIM_E820_PRAM);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 3), 1);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 2), 0);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 4), 0);
	assert_int_equal(tdxsim_platform_e820_truncated(p), 1);
	assert_int_equal(tdxsim_platform_e820_spelling(p), TDXSIM_E820_SPELLING_LEGACY);

	assert_int_equal(tdxsim_platform_cmr_count(p), 3);
	tdxsim_test_assert_cmr(p, 0, 0x100000, 0x80000000);
	tdxsim_test_assert_cmr(p, 1, 0, 0);
	tdxsim_test_assert_cmr(p, 2, 0x100000000, 0x180000000);

	assert_int_equal(tdxsim_platform_node_range_count(p), 2);
	tdxsim_test_assert_node(p, 0, 0, 0x1000, 0x9f000);
	tdxsim_test_assert_node(p, 1, 1, 0x100000, 0x80000000);

	assert_int_equal(tdxsim_platform_expect_count(p), 2);
	e = tdxsim_platform_expect(p, 0);
	assert_string_equal(e->strategy, "linux");
	assert_int_equal(e->outcome, TDXSIM_EXPECT_FAIL);
	assert_int_equal(e->has_errno, 1);
	assert_int_equal(e->err, -28);
	assert_int_equal(e->tdmrs, 3);
	assert_int_equal(e->max_reserved, 17);
	assert_int_equal(e->pamt_kb, 12345);
	assert_int_equal(e->line, 41);
	assert_string_equal(e->lines,
		"virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.\n"
		"virt/tdx: module initialization failed (-28)\n");
	e = tdxsim_platform_expect(p, 1);
	assert_string_equal(e->strategy, "linux-cmr");
	assert_int_equal(e->outcome, TDXSIM_EXPECT_OK);
	assert_int_equal(e->has_errno, 0);
	assert_int_equal(e->tdmrs, TDXSIM_EXPECT_NONE);
	assert_int_equal(e->max_reserved, TDXSIM_EXPECT_NONE);
	assert_int_equal(e->pamt_kb, TDXSIM_EXPECT_NONE);
	assert_int_equal(e->line, 50);
	/* A list of lines means the same as a block. */
	assert_string_equal(e->lines,
		"virt/tdx: 1 KB allocated for PAMT\nvirt/tdx: module initialized\n");
	tdxsim_platform_free(p);
}

static void
test_versions(void **state)
{
	struct tdxsim_platform *p;
	const struct tdxsim_module_profile *m;

	(void)state;
	p = load_ok(HEAD "module:\n  version: \"1.5\"\n" E820);
	m = tdxsim_platform_module_profile(p);
	assert_int_equal(m->major, 1);
	assert_int_equal(m->minor, 5);
	assert_int_equal(m->update, TDXSIM_VERSION_UNKNOWN);
	assert_int_equal(m->internal, TDXSIM_VERSION_UNKNOWN);
	tdxsim_platform_free(p);

	p = load_ok(HEAD "module:\n  version: 1.5.06\n" E820);
	m = tdxsim_platform_module_profile(p);
	assert_int_equal(m->major, 1);
	assert_int_equal(m->minor, 5);
	assert_int_equal(m->update, 6);
	assert_int_equal(m->internal, TDXSIM_VERSION_UNKNOWN);
	tdxsim_platform_free(p);

	p = load_ok(HEAD "module:\n  version: \"2.0.08.00\"\n" E820);
	m = tdxsim_platform_module_profile(p);
	assert_int_equal(m->major, 2);
	assert_int_equal(m->minor, 0);
	assert_int_equal(m->update, 8);
	assert_int_equal(m->internal, 0);
	tdxsim_platform_free(p);

	REFUSED(HEAD "module:\n  version: \"1\"\n" E820,
		"t.yaml:4:13: malformed module version '1' (expected MAJOR.MINOR[.UPDATE[.INTERNAL[.BUILD]]], e.g. \"1.5.06\" or \"1.5.06.00.744\")");
	/* A fifth part names the build (BUILD_NUM), as release names do. */
	p = load_ok(HEAD "module:\n  version: \"2.0.08.00.882\"\n" E820);
	m = tdxsim_platform_module_profile(p);
	assert_int_equal(m->update, 8);
	assert_int_equal(m->internal, 0);
	assert_int_equal(m->build_num, 882);
	tdxsim_platform_free(p);
	p = load_ok(HEAD "module:\n  build-num: 744\n  version: 1.5.06.00.744\n" E820);
	assert_int_equal(tdxsim_platform_module_profile(p)->build_num, 744);
	tdxsim_platform_free(p);
	REFUSED(HEAD "module:\n  build-num: 698\n  version: 1.5.06.00.744\n" E820,
		"t.yaml:5:12: build-num 698 and the build in the version (744) differ");
	REFUSED(HEAD "module:\n  version: 1.5.06.00.01.2\n" E820,
		"t.yaml:4:12: malformed module version '1.5.06.00.01.2' (expected MAJOR.MINOR[.UPDATE[.INTERNAL[.BUILD]]], e.g. \"1.5.06\" or \"1.5.06.00.744\")");
	REFUSED(HEAD "module:\n  version: 1.65536\n" E820,
		"t.yaml:4:12: malformed module version '1.65536' (expected MAJOR.MINOR[.UPDATE[.INTERNAL[.BUILD]]], e.g. \"1.5.06\" or \"1.5.06.00.744\")");
}

static void
test_e820_forms(void **state)
{
	static const char block[] =
		HEAD
		"e820: |\n"
		"  [    0.000000] BIOS-provided physical RAM map:\n"
		"  [    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] System RAM\n"
		"  # between\n"
		"\n"
		"  [  +0.000001] BIOS-e820: [mem 0x000000000009f000-0x00000000000fffff] device reserved\n"
		"  BIOS-e820: [mem 0x0000000000100000-0x00000000001fffff] ACPI data\n"
		"  [mem 0x0000000000200000-0x00000000002fffff] ACPI NVS\n"
		"  [mem 0x0000000000300000-0x00000000003fffff] unusable\n"
		"  [mem 0x0000000000400000-0x00000000004fffff] persistent RAM (type 7)\n"
		"  [mem 0x0000000000500000-0x00000000005fffff] soft reserved\n"
		"  [mem 0x0000000000600000-0x00000000006fffff] reserved kernel\n"
		"  [mem 0x0000000000700000-0x00000000007fffff] type 99\n";
	static const char list[] =
		HEAD
		"e820:\n"
		"  - \"[    0.000000] BIOS-provided physical RAM map:\"\n"
		"  - \"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] System RAM\"\n"
		"  - \"# between\"\n"
		"  - \"\"\n"
		"  - \"[  +0.000001] BIOS-e820: [mem 0x000000000009f000-0x00000000000fffff] device reserved\"\n"
		"  - \"BIOS-e820: [mem 0x0000000000100000-0x00000000001fffff] ACPI data\"\n"
		"  - '[mem 0x0000000000200000-0x00000000002fffff] ACPI NVS'\n"
		"  - '[mem 0x0000000000300000-0x00000000003fffff] unusable'\n"
		"  - '[mem 0x0000000000400000-0x00000000004fffff] persistent RAM (type 7)'\n"
		"  - '[mem 0x0000000000500000-0x00000000005fffff] soft reserved'\n"
		"  - '[mem 0x0000000000600000-0x00000000006fffff] reserved kernel'\n"
		"  - '[mem 0x0000000000700000-0x00000000007fffff] type 99'\n";
	static const uint32_t types[] = {
		TDXSIM_E820_RAM, TDXSIM_E820_RESERVED, TDXSIM_E820_ACPI,
		TDXSIM_E820_NVS, TDXSIM_E820_UNUSABLE, TDXSIM_E820_PMEM,
		TDXSIM_E820_SOFT_RESERVED, TDXSIM_E820_RESERVED_KERN, 99,
	};
	const char *texts[] = { block, list };

	(void)state;
	for (size_t t = 0; t < 2; t++) {
		struct tdxsim_platform *p = load_ok(texts[t]);

		assert_int_equal(tdxsim_platform_e820_count(p), 9);
		tdxsim_test_assert_e820(p, 0, 0, 0x9f000, types[0]);
		tdxsim_test_assert_e820(p, 1, 0x9f000, 0x100000, types[1]);
		for (size_t i = 2; i < 9; i++)
			tdxsim_test_assert_e820(p, i, (i - 1) * 0x100000,
						i * 0x100000, types[i]);
		/* Modern names set the modern spelling. */
		assert_int_equal(tdxsim_platform_e820_spelling(p),
				 TDXSIM_E820_SPELLING_MODERN);
		assert_int_equal(tdxsim_platform_e820_truncated(p), 0);
		tdxsim_platform_free(p);
	}
}

static void
test_e820_legacy_and_elisions(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = load_ok(HEAD
		    "e820: |\n"
		    "  ...\n"
		    "  [mem 0x1000-0x1fff] usable\n"
		    "  ......\n"
		    "  [mem 0x3000-0x3fff] reserved\n"
		    "  [mem 0x4000-0x4fff] persistent (type 12)\n"
		    "  ....\n");
	assert_int_equal(tdxsim_platform_e820_count(p), 3);
	tdxsim_test_assert_e820(p, 0, 0x1000, 0x2000, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 1, 0x3000, 0x4000, TDXSIM_E820_RESERVED);
	tdxsim_test_assert_e820(p, 2, 0x4000, 0x5000, TDXSIM_E820_PRAM);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 0), 1);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 1), 1);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 2), 0);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 3), 1);
	assert_int_equal(tdxsim_platform_e820_spelling(p), TDXSIM_E820_SPELLING_LEGACY);
	tdxsim_platform_free(p);

	/* Two dots are not an elision. */
	REFUSED(HEAD "e820: |\n  [mem 0x0-0xfff] usable\n  ..\n",
		"t.yaml:5:3: expected a range: '[mem 0xSTART-0xEND]' or '[0xSTART, 0xEND)'");
}

static void
test_cmr_forms(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = load_ok(HEAD E820
		    "cmrs:\n"
		    "  - \"virt/tdx: CMR: [0x0, 0x1000)\"\n"
		    "  - \"[  3.1] virt/tdx: CMR[1]: [0x0, 0x0)\"\n"
		    "  - \"tdx: CMR[2]: [0x2000, 0x3000)\"\n"
		    "  - \"CMR[3]: [0x3000, 0x4000)\"\n"
		    "  - \"[0x4000, 0x5000)\"\n"
		    "  - \"[mem 0x5000-0x5fff]\"\n");
	assert_int_equal(tdxsim_platform_cmr_count(p), 6);
	tdxsim_test_assert_cmr(p, 0, 0, 0x1000);
	tdxsim_test_assert_cmr(p, 1, 0, 0);
	tdxsim_test_assert_cmr(p, 2, 0x2000, 0x3000);
	tdxsim_test_assert_cmr(p, 3, 0x3000, 0x4000);
	tdxsim_test_assert_cmr(p, 4, 0x4000, 0x5000);
	tdxsim_test_assert_cmr(p, 5, 0x5000, 0x6000);
	tdxsim_platform_free(p);
}

static void
test_numa_forms(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = load_ok(HEAD
		    "e820: |\n  [mem 0x0-0xffffffff] usable\n"
		    "numa: |\n"
		    "  [    0.010000] Early memory node ranges\n"
		    "  [    0.010000]   node   0: [mem 0x0000000000001000-0x000000000009efff]\n"
		    "  node 1: [mem 0x0000000000100000-0x000000007fffffff]\n"
		    "  node 65535: [mem 0x80000000-0xffffffff]\n");
	assert_int_equal(tdxsim_platform_node_range_count(p), 3);
	tdxsim_test_assert_node(p, 0, 0, 0x1000, 0x9f000);
	tdxsim_test_assert_node(p, 2, 65535, 0x80000000, 0x100000000);
	tdxsim_platform_free(p);

	REFUSED(HEAD E820 "numa: |\n  node 65536: [mem 0x0-0xfff]\n",
		"t.yaml:6:8: malformed node number");
}

static void
test_expect_forms(void **state)
{
	struct tdxsim_platform *p;
	const struct tdxsim_expect *e;

	(void)state;
	p = load_ok(HEAD E820
		    "expect:\n"
		    "  tdxsim:\n"
		    "    outcome: ok\n"
		    "    errno: -0x1c\n"
		    "    lines: one line\n");
	e = tdxsim_platform_expect(p, 0);
	assert_non_null(e);
	assert_string_equal(e->strategy, "tdxsim");
	assert_int_equal(e->outcome, TDXSIM_EXPECT_OK);
	assert_int_equal(e->has_errno, 1);
	assert_int_equal(e->err, -28);
	assert_string_equal(e->lines, "one line");
	assert_int_equal(e->line, 6);
	tdxsim_platform_free(p);

	REFUSED(HEAD E820
		"expect:\n"
		"  Linux:\n"
		"    outcome: ok\n"
		"  linux:\n"
		"    outcome: maybe\n"
		"    errno: 28\n"
		"  tdxsim:\n"
		"    tdmrs: 1\n"
		"  linux:\n"
		"    outcome: ok\n",
		"t.yaml:6:3: strategy name 'Linux' must be lower-case letters, digits and '-'",
		"t.yaml:9:14: 'outcome' must be 'ok' or 'fail'",
		"t.yaml:10:12: 'errno' must be a negative errno such as -28",
		"t.yaml:12:5: missing key 'outcome' in expect 'tdxsim'",
		"t.yaml:13:3: duplicate key 'linux' in 'expect' (first on line 8)");
	REFUSED(HEAD E820 "expect:\n  linux:\n    outcome: ok\n    lines: {a: b}\n",
		"t.yaml:8:12: 'lines' must be a literal block or a list of lines");
	REFUSED(HEAD E820 "expect:\n  linux:\n    outcome: ok\n    errno: -4096\n",
		"t.yaml:8:12: 'errno' must be a negative errno such as -28");
}

/* ---- refusals --------------------------------------------------------------- */

static void
test_refuse_keys(void **state)
{
	(void)state;
	REFUSED(HEAD "bogus: 1\n" E820,
		"t.yaml:3:1: unknown key 'bogus' in the fixture (known: tdxsim-fixture, name, description, source, module, e820, e820-derived-note, e820-derived, cmrs-inferred, cmrs, numa, pamt-placement, expect)");
	REFUSED(HEAD "source:\n  bogus: 1\n  url: [x]\n" E820,
		"t.yaml:4:3: unknown key 'bogus' in 'source' (known: url, message-id, machine, kernel, notes)",
		"t.yaml:5:8: 'url' must be a single value, not a list");
	REFUSED(HEAD "module:\n  version: 1.5\n  version: 2.0\n  bogus: 3\n  pamt-entry-size: {4k: 16, 8k: 1}\n" E820,
		"t.yaml:5:3: duplicate key 'version' in 'module' (first on line 4)",
		"t.yaml:6:3: unknown key 'bogus' in 'module' (known: version, build-date, build-num, max-tdmrs, max-reserved-per-tdmr, pamt-entry-size, cmr-slots, private-keyids, logical-cpus, packages)",
		"t.yaml:7:29: unknown key '8k' in 'pamt-entry-size' (known: 4k, 2m, 1g); did you mean '4k'?");
	REFUSED("tdxsim-fixture: 1\n" E820,
		"t.yaml:1:1: missing key 'name' in the fixture");
	REFUSED("name: t\n" E820,
		"t.yaml:1:1: missing key 'tdxsim-fixture' in the fixture");
	REFUSED(HEAD "description: x\n",
		"t.yaml:1:1: missing key 'e820' in the fixture");
	REFUSED(HEAD "name: u\n" E820,
		"t.yaml:3:1: duplicate key 'name' in the fixture (first on line 2)");
	REFUSED(HEAD "? [a]\n: 1\n" E820,
		"t.yaml:3:3: keys in the fixture must be words, not a list");
	REFUSED("tdxsim-fixture: 2\nname: a b\n" E820,
		"t.yaml:1:17: unsupported fixture format '2' (this tdxsim reads format 1)",
		"t.yaml:2:8: 'name' may contain only letters, digits, '-', '_' and '.'");
	REFUSED("tdxsim-fixture: 1\nname: \"\"\n" E820,
		"t.yaml:2:7: 'name' is empty");
}

static void
test_refuse_kinds(void **state)
{
	(void)state;
	REFUSED("tdxsim-fixture: 1\nname: [a]\ne820: x\nmodule: 3\n",
		"t.yaml:2:7: 'name' must be a single value, not a list",
		"t.yaml:3:7: 'e820' must be a literal block ('e820: |' followed by one line per entry) or a list of lines",
		"t.yaml:4:9: 'module' must be a mapping of keys, not a scalar");
	/* A folded block is not a table. */
	REFUSED(HEAD "e820: >\n  [mem 0x0-0xfff] usable\n",
		"t.yaml:3:7: 'e820' must be a literal block ('e820: |' followed by one line per entry) or a list of lines");
	REFUSED(HEAD "e820:\n  - '[mem 0x0-0xfff] usable'\n  - [x]\n",
		"t.yaml:5:5: 'e820' must be a single value, not a list");
	REFUSED(HEAD E820 "source: here\n",
		"t.yaml:5:9: 'source' must be a mapping of keys, not a scalar");
	REFUSED("- a\n- b\n",
		"t.yaml:1:1: the fixture must be a mapping of keys, not a list");
	REFUSED(HEAD E820 "expect: [linux]\n",
		"t.yaml:5:9: 'expect' must be a mapping of keys, not a list");
}

static void
test_refuse_numbers(void **state)
{
	(void)state;
	REFUSED(HEAD "module:\n  max-tdmrs: 12x\n  build-num: 4294967296\n  packages: 0x\n"
		"  logical-cpus: 99999999999999999999999\n  cmr-slots: '7a'\n" E820,
		"t.yaml:4:14: malformed number '12x' for 'max-tdmrs' (write decimal or 0x hex)",
		"t.yaml:5:14: 'build-num' value 4294967296 is larger than 4294967295",
		"t.yaml:6:13: malformed number '0x' for 'packages' (write decimal or 0x hex)",
		"t.yaml:7:17: 'logical-cpus' value 99999999999999999999999 is larger than 4294967295",
		"t.yaml:8:15: malformed number '7a' for 'cmr-slots' (write decimal or 0x hex)");
	REFUSED(HEAD "module:\n  pamt-entry-size: {4k: -1}\n" E820,
		"t.yaml:4:25: malformed number '-1' for '4k' (write decimal or 0x hex)");
	REFUSED(HEAD "module:\n  private-keyids: \"[64, 32)\"\n" E820,
		"t.yaml:4:20: range ends before it starts (0x20 < 0x40)");
	REFUSED(HEAD "module:\n  private-keyids: 32-64\n" E820,
		"t.yaml:4:19: expected a range: '[mem 0xSTART-0xEND]' or '[0xSTART, 0xEND)'");
	REFUSED(HEAD "module:\n  private-keyids: \"[32, 64) x\"\n" E820,
		"t.yaml:4:20: 'private-keyids' must be a range like \"[32, 64)\"");
	REFUSED(HEAD "module:\n  private-keyids: \"[32, 0x100000000)\"\n" E820,
		"t.yaml:4:20: 'private-keyids' must be a range like \"[32, 64)\"");
}

static void
test_refuse_ranges(void **state)
{
	(void)state;
	REFUSED(HEAD "e820: |\n"
		"  [mem 0x1000-0xfff] usable\n"
		"  [mem 0x0-0xffffffffffffffff] usable\n"
		"  [mem 0x0-0xfff] wat\n"
		"  [mem 0x0-0xfff]\n"
		"  [mem 0x0 0xfff] usable\n"
		"  [mem 0x0-0xfff usable\n"
		"  [mem 0x10000000000000000-0x0] usable\n",
		"t.yaml:4:3: range ends before it starts (0xfff < 0x1000)",
		"t.yaml:5:3: range reaches past 2^64",
		"t.yaml:6:19: unknown E820 type 'wat' " UNKNOWN_TYPE_LIST,
		"t.yaml:7:18: missing E820 type after the range",
		"t.yaml:8:11: expected '-' after the start address",
		"t.yaml:9:17: expected ']' after the end address",
		"t.yaml:10:8: start address does not fit in 64 bits");
	/* Just below the top is fine, and ends at 2^64 - 1; MAX_PA is then
	 * the validator's business. */
	REFUSED(HEAD "e820: |\n  [mem 0x0-0xfffffffffffffffe] usable\n",
		"t.yaml:4:3: E820 entry [0x0, 0xffffffffffffffff) reaches past MAX_PA (2^52)");
	REFUSED(HEAD E820 "cmrs: |\n"
		"  [0x0, 0x1000]\n"
		"  CMR[x]: [0x0, 0x1000)\n"
		"  [0x2000, 0x1000)\n"
		"  [0x1000, 0x2000) junk\n"
		"  CMR [0x1000, 0x2000)\n",
		"t.yaml:6:15: expected ')' after the end address: ranges are half-open, [start, end)",
		"t.yaml:7:7: malformed CMR index (slots are 0 to 31)",
		"t.yaml:8:3: range ends before it starts (0x1000 < 0x2000)",
		"t.yaml:9:20: unexpected text after the range",
		"t.yaml:10:6: expected ':' after 'CMR'");
	REFUSED(HEAD E820 "numa: |\n"
		"  node x: [mem 0x0-0xfff]\n"
		"  nod 0: [mem 0x0-0xfff]\n"
		"  node 0 [mem 0x0-0xfff]\n",
		"t.yaml:6:8: malformed node number",
		"t.yaml:7:3: expected 'node N: [mem 0xSTART-0xEND]'",
		"t.yaml:8:9: expected ':' after the node number");
	REFUSED(HEAD "e820: |\n  [0x1000, 0x1000) usable\n",
		"t.yaml:4:3: E820 entry is empty");
	/* Only PMEM and PRAM have a "persistent" name. */
	REFUSED(HEAD "e820: |\n  [mem 0x0-0xfff] persistent (type 5)\n",
		"t.yaml:4:19: unknown E820 type 'persistent (type 5)' " UNKNOWN_TYPE_LIST);
	/* A CMR index names one of 32 slots. */
	REFUSED(HEAD E820 "cmrs: |\n  CMR[32]: [0x0, 0x1000)\n  CMR[31: [0x0, 0x1000)\n",
		"t.yaml:6:7: malformed CMR index (slots are 0 to 31)",
		"t.yaml:7:9: expected ']' after the CMR index");
}

static void
test_refuse_too_many_cmrs(void **state)
{
	char text[4096];
	size_t len;

	(void)state;
	len = (size_t)snprintf(text, sizeof(text), "%s%scmrs: |\n", HEAD, E820);
	for (unsigned i = 0; i < 33; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"  [0x%x, 0x%x)\n", i * 0x1000, (i + 1) * 0x1000);
	assert_true(len < sizeof(text));
	REFUSED(text, "t.yaml:38:3: more than 32 CMR slots (a TDX module reports at most 32)");
}

static void
test_refuse_yaml_features(void **state)
{
	(void)state;
	REFUSED(HEAD "description: &a x\n" E820,
		"t.yaml:3:14: YAML anchors (&name) are not supported in tdxsim files");
	REFUSED(HEAD "source: &s\n  url: x\n" E820,
		"t.yaml:3:9: YAML anchors (&name) are not supported in tdxsim files");
	REFUSED(HEAD "description: *a\n" E820,
		"t.yaml:3:14: YAML aliases (*name) are not supported in tdxsim files");
	REFUSED(HEAD E820 "---\nx: 1\n",
		"t.yaml:5:1: more than one YAML document in one file");
	REFUSED("---\n...\n---\n" HEAD E820,
		"t.yaml:3:1: more than one YAML document in one file");
	REFUSED("", "t.yaml:1:1: empty fixture: expected a mapping starting with 'tdxsim-fixture: 1'");
	REFUSED("# only a comment\n\n",
		"t.yaml:1:1: empty fixture: expected a mapping starting with 'tdxsim-fixture: 1'");
	REFUSED("tdxsim-fixture: 1\n\tname: t\n" E820,
		"t.yaml:2:1: YAML syntax error: found a tab character that violates indentation while scanning a plain scalar");
	REFUSED(HEAD "e820: |\n\t[mem 0x0-0xfff] usable\n",
		"t.yaml:4:1: YAML syntax error: found a tab character where an indentation space is expected while scanning a block scalar");
	REFUSED(HEAD "description: [a\n" E820,
		"t.yaml:4:5: YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence");
}

static void
test_refuse_nesting(void **state)
{
	char text[256];

	(void)state;
	/* The root mapping plus 31 lists: 32 levels, accepted by the tree
	 * (and refused only because 'a' is not a fixture key). */
	snprintf(text, sizeof(text), "a: %.31s%.31s\n",
		 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
		 "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
	REFUSED(text,
		"t.yaml:1:1: unknown key 'a' in the fixture (known: tdxsim-fixture, name, description, source, module, e820, e820-derived-note, e820-derived, cmrs-inferred, cmrs, numa, pamt-placement, expect)",
		"t.yaml:1:1: missing key 'tdxsim-fixture' in the fixture",
		"t.yaml:1:1: missing key 'name' in the fixture",
		"t.yaml:1:1: missing key 'e820' in the fixture");
	/* 33 levels. */
	snprintf(text, sizeof(text), "a: %.32s%.32s\n",
		 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
		 "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
	REFUSED(text, "t.yaml:1:35: nesting deeper than 32 levels");
}

static void
test_block_columns(void **state)
{
	(void)state;
	/* Block indented by 4: the column counts the indentation. */
	REFUSED(HEAD "e820: |\n    [mem 0x0-0xfff] usable\n    [mem 0x1000-0x1fff] wat\n",
		"t.yaml:5:25: unknown E820 type 'wat' " UNKNOWN_TYPE_LIST);
	/* An explicit indentation indicator keeps extra blanks in the text. */
	REFUSED(HEAD "e820: |2\n    [mem 0x0-0xfff] usable\n    [mem 0x1000-0x1fff] wat\n",
		"t.yaml:5:25: unknown E820 type 'wat' " UNKNOWN_TYPE_LIST);
	/* Timestamp and prefix are counted too. */
	REFUSED(HEAD "e820: |\n    [    0.000000] BIOS-e820: [mem 0x1000-0x1fff] wat\n",
		"t.yaml:4:51: unknown E820 type 'wat' " UNKNOWN_TYPE_LIST);
	/* Blank and comment lines inside the block keep line numbers. */
	REFUSED(HEAD "e820: |  # comment\n\n  [mem 0x0-0xfff] usable\n   \n  # c\n  [mem 0x1000-0x1fff] wat\n",
		"t.yaml:8:23: unknown E820 type 'wat' " UNKNOWN_TYPE_LIST);
	/* In a quoted list item, the column is inside the quotes. */
	REFUSED(HEAD "e820:\n  - \"[mem 0x1000-0x1fff] wat\"\n",
		"t.yaml:4:26: unknown E820 type 'wat' " UNKNOWN_TYPE_LIST);
	/* Unquoted, a list item starting with '[' is a flow list, and the
	 * text after it is a YAML syntax error. */
	REFUSED(HEAD "e820:\n  - [mem 0x1000-0x1fff] wat\n",
		"t.yaml:4:25: YAML syntax error: did not find expected '-' indicator while parsing a block collection");
}

/* Replace every "\n" by "\r\n". */
static char *
to_crlf(const char *text, size_t *len)
{
	char *out = malloc(2 * strlen(text) + 1);
	size_t n = 0;

	assert_non_null(out);
	for (const char *s = text; *s; s++) {
		if (*s == '\n')
			out[n++] = '\r';
		out[n++] = *s;
	}
	out[n] = '\0';
	*len = n;
	return out;
}

static void
test_crlf(void **state)
{
	static const char text[] =
		"tdxsim-fixture: 1\n"
		"name: t\n"
		"bogus: 2\n"
		"description: \"x\"\n"
		"module:\n"
		"  max-tdmrs: 12x\n"
		"  private-keyids: \"[64, 32)\"\n"
		"e820: |\n"
		"    [mem 0x0-0xfff] usable\n"
		"\n"
		"    [    0.000000] BIOS-e820: [mem 0x1000-0x1fff] wat\n"
		"cmrs:\n"
		"  - \"[0x0, 0x1000]\"\n";
	static const char *const want[] = {
		"t.yaml:3:1: unknown key 'bogus' in the fixture (known: tdxsim-fixture, name, description, source, module, e820, e820-derived-note, e820-derived, cmrs-inferred, cmrs, numa, pamt-placement, expect)",
		"t.yaml:6:14: malformed number '12x' for 'max-tdmrs' (write decimal or 0x hex)",
		"t.yaml:7:20: range ends before it starts (0x20 < 0x40)",
		"t.yaml:11:51: unknown E820 type 'wat' " UNKNOWN_TYPE_LIST,
		"t.yaml:13:18: expected ')' after the end address: ranges are half-open, [start, end)",
	};
	struct tdxsim_platform *p;
	size_t len;
	char *crlf;

	(void)state;
	refused_n(text, strlen(text), want, 5);
	crlf = to_crlf(text, &len);
	refused_n(crlf, len, want, 5);
	free(crlf);

	/* And an accepted CRLF file reads the same as LF: no stray '\r'. */
	crlf = to_crlf(HEAD "description: d\nsource:\n  notes: |\n    a\n    b\n"
		       "e820: |\n  [mem 0x0-0xfff] usable\n"
		       "expect:\n  linux:\n    outcome: ok\n    lines: |\n      l1\n      l2\n",
		       &len);
	assert_int_equal(tdxsim_platform_load_buffer("t.yaml", crlf, len, &p, NULL), 0);
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_DESCRIPTION), "d");
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_NOTES), "a\nb\n");
	assert_string_equal(tdxsim_platform_expect(p, 0)->lines, "l1\nl2\n");
	tdxsim_test_assert_e820(p, 0, 0, 0x1000, TDXSIM_E820_RAM);
	tdxsim_platform_free(p);
	free(crlf);
}

static void
test_validator_positions(void **state)
{
	(void)state;
	/* Loaded platforms name fixture lines in validator messages. */
	REFUSED(HEAD
		"module:\n"
		"  max-tdmrs: 0\n"
		"  packages: 9\n"
		"  logical-cpus: 16\n"
		"  build-date: 20231308\n"
		"e820: |\n"
		"  [mem 0x0-0xfff] usable\n"
		"  [mem 0x0-0xfff] usable\n"
		"cmrs: |\n"
		"  [0x800, 0x1000)\n"
		"numa: |\n"
		"  node 0: [mem 0x10000-0x1ffff]\n",
		"t.yaml:10:3: E820 entry [0x0, 0x1000) overlaps entry [0x0, 0x1000) (line 9)",
		"t.yaml:12:3: CMR [0x800, 0x1000) is not 4 KiB aligned",
		"t.yaml:14:3: node 0 range [0x10000, 0x20000) is outside the E820 map",
		"t.yaml:7:15: build-date 20231308 is not a yyyymmdd date",
		"t.yaml:4:14: max-tdmrs 0 is out of range [1, 65535]",
		"t.yaml:5:13: packages 9 is out of range [1, 8]");
	/* A message about a field the fixture did not set has no position. */
	REFUSED(HEAD "module:\n  logical-cpus: 0\n" E820,
		"t.yaml:4:17: logical-cpus 0 is out of range [1, 65535]",
		"t.yaml: packages 1 is out of range [1, 0]");
	REFUSED(HEAD "module:\n  cmr-slots: 1\n" E820
		"cmrs: |\n  [0x0, 0x1000)\n  [0x0, 0x0)\n",
		"t.yaml:9:3: 2 CMR slots given, but the module reports only 1 (cmr-slots)");
	REFUSED(HEAD "e820: |\n  ...\n",
		"t.yaml: the platform has no E820 entries");
}

static void
test_multi_error(void **state)
{
	(void)state;
	/* Several problems in one file: each reported, in file order. */
	REFUSED("tdxsim-fixture: 1\n"
		"name: bad name\n"
		"colour: blue\n"
		"source:\n"
		"  url: [1]\n"
		"module:\n"
		"  version: one\n"
		"  max-tdmrs: lots\n"
		"e820: |\n"
		"  [mem 0x0-0xfff] usable\n"
		"  [mem 0x1000-0x1fff] sometimes\n"
		"  [mem 0x2000-0x1fff] usable\n"
		"cmrs: |\n"
		"  [0x0, 0x1000]\n"
		"numa: |\n"
		"  node: [mem 0x0-0xfff]\n"
		"expect:\n"
		"  linux:\n"
		"    outcome: perhaps\n",
		"t.yaml:2:10: 'name' may contain only letters, digits, '-', '_' and '.'",
		"t.yaml:3:1: unknown key 'colour' in the fixture (known: tdxsim-fixture, name, description, source, module, e820, e820-derived-note, e820-derived, cmrs-inferred, cmrs, numa, pamt-placement, expect)",
		"t.yaml:5:8: 'url' must be a single value, not a list",
		"t.yaml:7:12: malformed module version 'one' (expected MAJOR.MINOR[.UPDATE[.INTERNAL[.BUILD]]], e.g. \"1.5.06\" or \"1.5.06.00.744\")",
		"t.yaml:8:14: malformed number 'lots' for 'max-tdmrs' (write decimal or 0x hex)",
		"t.yaml:11:23: unknown E820 type 'sometimes' " UNKNOWN_TYPE_LIST,
		"t.yaml:12:3: range ends before it starts (0x1fff < 0x2000)",
		"t.yaml:14:15: expected ')' after the end address: ranges are half-open, [start, end)",
		"t.yaml:16:7: malformed node number",
		"t.yaml:19:14: 'outcome' must be 'ok' or 'fail'");
}

/* ---- files and sizes ----------------------------------------------------------- */

static void
test_load_file_missing(void **state)
{
	static const char *const want[] = {
		"/nonexistent/dir/x.yaml: cannot read: No such file or directory",
	};
	struct tdxsim_diag *d = tdxsim_diag_new();
	struct tdxsim_platform *p = NULL;

	(void)state;
	assert_int_equal(tdxsim_platform_load_file("/nonexistent/dir/x.yaml", &p, d),
			 -ENOENT);
	assert_null(p);
	tdxsim_test_assert_diag(d, want, 1);
	assert_int_equal(tdxsim_platform_load_file("/nonexistent/dir/x.yaml", &p, NULL),
			 -ENOENT);
	tdxsim_diag_free(d);
}

static void
test_load_file_ok(void **state)
{
	const char *root = tdxsim_test_source_root();
	char *path = tdxsim_test_source_path(
		"fixtures/platforms/emr-canonical-tdx-135.yaml");
	struct tdxsim_diag *d = tdxsim_diag_new();
	struct tdxsim_platform *p;

	(void)state;
	p = tdxsim_test_load_file_clean(path);
	free(path);
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_NAME),
			    "emr-canonical-tdx-135");
	/* 36 source entries, then the source's "......", then 4 derived. */
	assert_int_equal(tdxsim_platform_e820_count(p), 40);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 36), 1);
	assert_int_equal(tdxsim_platform_cmr_count(p), 5);
	assert_int_equal(tdxsim_platform_module_profile(p)->update,
			 TDXSIM_VERSION_UNKNOWN);
	assert_int_equal(tdxsim_platform_module_profile(p)->build_num, 595);
	tdxsim_platform_free(p);

	/* A directory cannot be read as a fixture. */
	p = NULL;
	assert_true(tdxsim_platform_load_file(root, &p, d) < 0);
	assert_null(p);
	assert_int_equal(tdxsim_diag_error_count(d), 1);
	tdxsim_diag_free(d);
}

static void
test_too_large(void **state)
{
	static const char *const want[] = {
		"big.yaml: fixture is larger than 16 MiB",
	};
	size_t len = 17u << 20;
	char *big = malloc(len);
	struct tdxsim_diag *d = tdxsim_diag_new();
	struct tdxsim_platform *p = NULL;

	(void)state;
	assert_non_null(big);
	memset(big, ' ', len);
	memcpy(big, HEAD E820, strlen(HEAD E820));
	assert_int_equal(tdxsim_platform_load_buffer("big.yaml", big, len, &p, d),
			 -EINVAL);
	assert_null(p);
	tdxsim_test_assert_diag(d, want, 1);
	free(big);

	/* Not NUL-terminated input is read only up to len. */
	tdxsim_diag_clear(d);
	{
		static const char text[] = HEAD E820 "bogus: 1\n";

		assert_int_equal(tdxsim_platform_load_buffer("t.yaml", text,
							     strlen(HEAD E820), &p, d), 0);
		tdxsim_platform_free(p);
	}
	tdxsim_diag_free(d);
}

/* ---- derived E820 entries ---------------------------------------------------- */

/* e820-derived merges into the one table in address order, whichever key
 * comes first; the source's "......" stays before what was deduced. */
static void
test_e820_derived(void **state)
{
	static const char text[] =
		HEAD
		"e820-derived: |\n"
		"  [mem 0x0000000100000000-0x00000001ffffffff] usable\n"
		"  BIOS-e820: [mem 0x0000000300000000-0x00000003ffffffff] usable\n"
		"e820-derived-note: from the CMRs\n"
		"e820: |\n"
		"  [mem 0x0000000000000000-0x000000000009efff] usable\n"
		"  [mem 0x0000000000100000-0x000000006f7fffff] usable\n"
		"  [mem 0x000000006f800000-0x000000008fffffff] reserved\n"
		"  ......\n";
	struct tdxsim_platform *p;

	(void)state;
	p = load_ok(text);
	assert_int_equal(tdxsim_platform_e820_count(p), 5);
	tdxsim_test_assert_e820(p, 2, 0x6f800000, 0x90000000, TDXSIM_E820_RESERVED);
	tdxsim_test_assert_e820(p, 3, 0x100000000, 0x200000000, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 4, 0x300000000, 0x400000000, TDXSIM_E820_RAM);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(tdxsim_platform_e820_derived(p, i), i >= 3);
	assert_int_equal(tdxsim_platform_e820_derived(p, 5), 0);
	for (size_t i = 0; i <= 5; i++)
		assert_int_equal(tdxsim_platform_e820_elided_before(p, i), i == 3);
	assert_int_equal(tdxsim_platform_e820_truncated(p), 1);
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_E820_DERIVED_NOTE),
			    "from the CMRs");
	assert_true(tdxsim_platform_ram_bytes(p) ==
		    0x9f000 + 0x6f700000 + 2 * 0x100000000ULL);
	tdxsim_platform_free(p);
}

/* A derived entry lands between source entries, after every entry that
 * starts at or below it; an elision at that point stays before it. */
static void
test_e820_derived_between(void **state)
{
	static const char text[] =
		HEAD
		"e820: |\n"
		"  ...\n"
		"  [mem 0x0000000000100000-0x00000000001fffff] usable\n"
		"  ...\n"
		"  [mem 0x0000000100000000-0x00000001ffffffff] usable\n"
		"e820-derived:\n"
		"  - \"[mem 0x0000000000000000-0x00000000000fffff] usable\"\n"
		"  - \"[mem 0x0000000080000000-0x00000000bfffffff] ACPI data\"\n"
		"  - \"[mem 0x0000000200000000-0x00000002ffffffff] System RAM\"\n";
	struct tdxsim_platform *p;

	(void)state;
	p = load_ok(text);
	assert_int_equal(tdxsim_platform_e820_count(p), 5);
	tdxsim_test_assert_e820(p, 0, 0x0, 0x100000, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 1, 0x100000, 0x200000, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 2, 0x80000000, 0xc0000000, TDXSIM_E820_ACPI);
	tdxsim_test_assert_e820(p, 3, 0x100000000, 0x200000000, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 4, 0x200000000, 0x300000000, TDXSIM_E820_RAM);
	assert_int_equal(tdxsim_platform_e820_derived(p, 0), 1);
	assert_int_equal(tdxsim_platform_e820_derived(p, 1), 0);
	assert_int_equal(tdxsim_platform_e820_derived(p, 2), 1);
	assert_int_equal(tdxsim_platform_e820_derived(p, 3), 0);
	assert_int_equal(tdxsim_platform_e820_derived(p, 4), 1);
	for (size_t i = 0; i <= 5; i++)
		assert_int_equal(tdxsim_platform_e820_elided_before(p, i),
				 i == 0 || i == 2);
	/* A 2025+ name among the derived lines makes the table modern. */
	assert_int_equal(tdxsim_platform_e820_spelling(p),
			 TDXSIM_E820_SPELLING_MODERN);
	tdxsim_platform_free(p);
}

static void
test_refuse_e820_derived(void **state)
{
	(void)state;
	REFUSED(HEAD E820
		"e820-derived: |\n"
		"  [mem 0x800-0x1fff] usable\n",
		"t.yaml:6:3: derived E820 entry [0x800, 0x2000) overlaps entry [0x0, 0x1000) (line 4)");
	REFUSED(HEAD
		"e820: |\n"
		"  [mem 0x1000-0x1fff] usable\n"
		"e820-derived: |\n"
		"  [mem 0x0-0x1fff] usable\n",
		"t.yaml:4:3: E820 entry [0x1000, 0x2000) overlaps derived entry [0x0, 0x2000) (line 6)");
	REFUSED(HEAD E820
		"e820-derived: |\n"
		"  [mem 0x2000-0x3fff] usable\n"
		"  [mem 0x3000-0x4fff] reserved\n",
		"t.yaml:7:3: derived E820 entry [0x3000, 0x5000) overlaps derived entry [0x2000, 0x4000) (line 6)");
	REFUSED(HEAD E820
		"e820-derived: |\n"
		"  ......\n",
		"t.yaml:6:3: 'e820-derived' lists deduced entries; an elision ('...') belongs in 'e820'");
	REFUSED(HEAD E820
		"e820-derived: |\n"
		"  [0x3000, 0x3000) usable\n",
		"t.yaml:6:3: E820 entry is empty");
	REFUSED(HEAD E820
		"e820-derived: |\n"
		"  [mem 0x2000-0x3fff] wat\n",
		"t.yaml:6:23: unknown E820 type 'wat' " UNKNOWN_TYPE_LIST);
	REFUSED(HEAD E820
		"e820-derived: 3\n",
		"t.yaml:5:15: 'e820-derived' must be a literal block ('e820-derived: |' followed by one line per entry) or a list of lines");
	REFUSED(HEAD E820
		"e820-derived-note: [a]\n",
		"t.yaml:5:20: 'e820-derived-note' must be a single value, not a list");
	REFUSED(HEAD E820
		"e820-derived: |\n"
		"  [mem 0x0010000000000000-0x0010000000000fff] usable\n",
		"t.yaml:6:3: derived E820 entry [0x10000000000000, 0x10000000001000) reaches past MAX_PA (2^52)");
}

/* ---- pamt-placement --------------------------------------------------------- */

static void
test_pamt_placement(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	/* Block list: hex, decimal, quoted, "auto". */
	p = load_ok(HEAD E820
		    "pamt-placement:\n"
		    "  - 0x10000000\n"
		    "  - auto\n"
		    "  - 4096\n"
		    "  - '0xffffffffff000'\n");
	assert_int_equal(tdxsim_platform_pamt_base_count(p), 4);
	assert_true(tdxsim_platform_pamt_base(p, 0) == 0x10000000);
	assert_true(tdxsim_platform_pamt_base(p, 1) == TDXSIM_PAMT_BASE_AUTO);
	assert_true(tdxsim_platform_pamt_base(p, 2) == 0x1000);
	assert_true(tdxsim_platform_pamt_base(p, 3) == 0xffffffffff000ULL);
	/* Out of range reads as "the kernel decides". */
	assert_true(tdxsim_platform_pamt_base(p, 4) == TDXSIM_PAMT_BASE_AUTO);
	tdxsim_platform_free(p);

	/* Flow list, and an empty one. */
	p = load_ok(HEAD E820 "pamt-placement: [0x100000000, 0x2000]\n");
	assert_int_equal(tdxsim_platform_pamt_base_count(p), 2);
	assert_true(tdxsim_platform_pamt_base(p, 0) == 0x100000000ULL);
	assert_true(tdxsim_platform_pamt_base(p, 1) == 0x2000);
	tdxsim_platform_free(p);
	p = load_ok(HEAD E820 "pamt-placement: []\n");
	assert_int_equal(tdxsim_platform_pamt_base_count(p), 0);
	tdxsim_platform_free(p);

	/* Fit is not the validator's business: outside RAM loads. */
	p = load_ok(HEAD E820 "pamt-placement: [0x80000000]\n");
	assert_int_equal(tdxsim_platform_pamt_base_count(p), 1);
	tdxsim_platform_free(p);
}

static void
test_refuse_pamt_placement(void **state)
{
	(void)state;
	REFUSED(HEAD E820 "pamt-placement: [0x10000800, 0x20000000]\n",
		"t.yaml:5:18: pamt-placement[0] 0x10000800 is not 4 KiB aligned");
	REFUSED(HEAD E820
		"pamt-placement:\n"
		"  - auto\n"
		"  - 0x10000000000000\n"
		"  - 0x10000000000001\n",
		"t.yaml:7:5: pamt-placement[1] 0x10000000000000 is not below MAX_PA (2^52)",
		"t.yaml:8:5: pamt-placement[2] 0x10000000000001 is not 4 KiB aligned",
		"t.yaml:8:5: pamt-placement[2] 0x10000000000001 is not below MAX_PA (2^52)");
	/* 2^64 - 1 is the API's "auto"; as a number it is refused. */
	REFUSED(HEAD E820 "pamt-placement: [0xffffffffffffffff]\n",
		"t.yaml:5:18: pamt-placement[0] 0xffffffffffffffff is not below MAX_PA (2^52)");
	REFUSED(HEAD E820 "pamt-placement: [0x1000, 12x, [1], Auto]\n",
		"t.yaml:5:26: malformed number '12x' for 'pamt-placement' (write decimal or 0x hex)",
		"t.yaml:5:31: 'pamt-placement' must be a single value, not a list",
		"t.yaml:5:36: malformed number 'Auto' for 'pamt-placement' (write decimal or 0x hex)");
	REFUSED(HEAD E820 "pamt-placement: 0x1000\n",
		"t.yaml:5:17: 'pamt-placement' must be a list, not a scalar");
	REFUSED(HEAD E820 "pamt-placement: [99999999999999999999]\n",
		"t.yaml:5:18: 'pamt-placement' value 99999999999999999999 is larger than 18446744073709551615");
	REFUSED(HEAD "module:\n  max-tdmrs: 2\n" E820
		"pamt-placement: [auto, auto, 0x1000]\n",
		"t.yaml:7:30: 3 PAMT placements given, but the module has only 2 TDMRs (max-tdmrs)");
	REFUSED(HEAD E820 "pamt-placement: [0x1000]\npamt-placement: [0x2000]\n",
		"t.yaml:6:1: duplicate key 'pamt-placement' in the fixture (first on line 5)");
}

/* A platform built in code names entries by index, at 0:0. */
static void
test_validate_built_pamt_placement(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();
	struct tdxsim_diag *d = tdxsim_diag_new();
	const char *const want[] = {
		"<platform>: pamt-placement[1] 0x1234 is not 4 KiB aligned",
	};

	(void)state;
	assert_non_null(p);
	assert_non_null(d);
	assert_int_equal(tdxsim_platform_add_e820(p, 0, 0x100000, TDXSIM_E820_RAM), 0);
	assert_int_equal(tdxsim_platform_add_pamt_base(p, TDXSIM_PAMT_BASE_AUTO), 0);
	assert_int_equal(tdxsim_platform_add_pamt_base(p, 0x1234), 0);
	assert_int_equal(tdxsim_platform_validate(p, d), -EINVAL);
	tdxsim_test_assert_diag(d, want, 1);
	tdxsim_diag_free(d);
	tdxsim_platform_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_all_keys),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_e820_forms),
		cmocka_unit_test(test_e820_legacy_and_elisions),
		cmocka_unit_test(test_cmr_forms),
		cmocka_unit_test(test_numa_forms),
		cmocka_unit_test(test_expect_forms),
		cmocka_unit_test(test_refuse_keys),
		cmocka_unit_test(test_refuse_kinds),
		cmocka_unit_test(test_refuse_numbers),
		cmocka_unit_test(test_refuse_ranges),
		cmocka_unit_test(test_refuse_too_many_cmrs),
		cmocka_unit_test(test_refuse_yaml_features),
		cmocka_unit_test(test_refuse_nesting),
		cmocka_unit_test(test_block_columns),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_validator_positions),
		cmocka_unit_test(test_multi_error),
		cmocka_unit_test(test_load_file_missing),
		cmocka_unit_test(test_load_file_ok),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_e820_derived),
		cmocka_unit_test(test_e820_derived_between),
		cmocka_unit_test(test_refuse_e820_derived),
		cmocka_unit_test(test_pamt_placement),
		cmocka_unit_test(test_refuse_pamt_placement),
		cmocka_unit_test(test_validate_built_pamt_placement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
