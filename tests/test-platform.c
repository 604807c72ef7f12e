/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the platform model's programmatic API
 * (include/tdxsim/platform.h) and of the validator rule by rule. Every rule
 * gets a platform that satisfies it and one that breaks it, and the exact
 * message text is checked. Built platforms carry position 0, so messages
 * read "<platform>: ...".
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <tdxsim/tdxsim.h>

#include "platform-private.h"
#include "test-common.h"

#define GIB (1ULL << 30)
#define MAX_PA (1ULL << 52)

/* ---- helpers ------------------------------------------------------------ */

/* A small valid platform: low RAM, the legacy hole, RAM up to 2 GiB, one CMR. */
static struct tdxsim_platform *
valid_platform(void)
{
	struct tdxsim_platform *p = tdxsim_platform_new();

	assert_non_null(p);
	assert_int_equal(tdxsim_platform_add_e820(p, 0, 0x9f000, TDXSIM_E820_RAM), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x9f000, 0x100000,
						  TDXSIM_E820_RESERVED), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x100000, 2 * GIB,
						  TDXSIM_E820_RAM), 0);
	assert_int_equal(tdxsim_platform_add_cmr(p, 0x100000, 2 * GIB - 0x100000), 0);
	return p;
}

/* Validate p: valid, with no message at all. */
static void
expect_valid(const struct tdxsim_platform *p)
{
	struct tdxsim_diag *d = tdxsim_diag_new();
	int ret;

	assert_non_null(d);
	ret = tdxsim_platform_validate(p, d);
	if (ret != 0 || tdxsim_diag_count(d) != 0)
		tdxsim_test_print_diag(d);
	assert_int_equal(ret, 0);
	assert_int_equal(tdxsim_diag_count(d), 0);
	/* NULL diag gives the same verdict. */
	assert_int_equal(tdxsim_platform_validate(p, NULL), 0);
	tdxsim_diag_free(d);
}

/* Validate p: -EINVAL with exactly the given error messages, in order. */
static void
expect_invalid_n(const struct tdxsim_platform *p, const char *const *want,
		 size_t n)
{
	struct tdxsim_diag *d = tdxsim_diag_new();
	bool same;
	int ret;

	assert_non_null(d);
	ret = tdxsim_platform_validate(p, d);
	same = ret == -EINVAL && tdxsim_test_diag_matches(d, want, n);
	if (!same) {
		print_message("validate returned %d\n", ret);
		tdxsim_test_print_mismatch(d, want, n);
	}
	assert_true(same);
	for (size_t i = 0; i < n; i++) {
		/* Built platforms have no positions. */
		assert_int_equal(tdxsim_diag_line(d, i), 0);
		assert_int_equal(tdxsim_diag_column(d, i), 0);
		assert_int_equal(tdxsim_diag_severity(d, i), TDXSIM_DIAG_ERROR);
	}
	assert_int_equal(tdxsim_platform_validate(p, NULL), -EINVAL);
	tdxsim_diag_free(d);
}

#define EXPECT_INVALID(p, ...) do { \
	const char *const want_[] = { __VA_ARGS__ }; \
	expect_invalid_n((p), want_, sizeof(want_) / sizeof(want_[0])); \
} while (0)

static void
set_profile(struct tdxsim_platform *p, void (*edit)(struct tdxsim_module_profile *))
{
	struct tdxsim_module_profile m = *tdxsim_platform_module_profile(p);

	edit(&m);
	tdxsim_platform_set_module_profile(p, &m);
}

/* ---- new / free / E820 ---------------------------------------------------- */

static void
test_new_free(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();

	(void)state;
	assert_non_null(p);
	assert_int_equal(tdxsim_platform_e820_count(p), 0);
	assert_int_equal(tdxsim_platform_cmr_count(p), 0);
	assert_int_equal(tdxsim_platform_node_range_count(p), 0);
	assert_int_equal(tdxsim_platform_expect_count(p), 0);
	assert_int_equal(tdxsim_platform_e820_truncated(p), 0);
	assert_int_equal(tdxsim_platform_e820_spelling(p),
			 TDXSIM_E820_SPELLING_LEGACY);
	assert_int_equal(tdxsim_platform_ram_bytes(p), 0);
	assert_null(tdxsim_platform_e820_entry(p, 0));
	assert_null(tdxsim_platform_cmr(p, 0));
	assert_null(tdxsim_platform_node_range(p, 0));
	assert_null(tdxsim_platform_expect(p, 0));
	for (int k = 0; k < TDXSIM_INFO_COUNT; k++)
		assert_null(tdxsim_platform_info(p, (enum tdxsim_info)k));
	tdxsim_platform_free(p);
	tdxsim_platform_free(NULL);
}

static void
test_add_e820(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();

	(void)state;
	assert_int_equal(tdxsim_platform_add_e820(p, 0x1000, 0x1000, 1), -EINVAL);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x2000, 0x1000, 1), -EINVAL);
	assert_int_equal(tdxsim_platform_add_e820(p, UINT64_MAX, 0, 1), -EINVAL);
	assert_int_equal(tdxsim_platform_e820_count(p), 0);

	assert_int_equal(tdxsim_platform_add_e820(p, 0x1000, 0x1001, 99), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0, UINT64_MAX,
						  TDXSIM_E820_SOFT_RESERVED), 0);
	assert_int_equal(tdxsim_platform_e820_count(p), 2);
	tdxsim_test_assert_e820(p, 0, 0x1000, 0x1001, 99);
	tdxsim_test_assert_e820(p, 1, 0, UINT64_MAX, TDXSIM_E820_SOFT_RESERVED);
	assert_null(tdxsim_platform_e820_entry(p, 2));
	assert_null(tdxsim_platform_e820_entry(p, SIZE_MAX));
	tdxsim_platform_free(p);
}

static void
test_elisions(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();

	(void)state;
	/* Head: before the first entry. */
	assert_int_equal(tdxsim_platform_add_e820_elision(p), 0);
	assert_int_equal(tdxsim_platform_e820_truncated(p), 1);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 0), 1);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x1000, 0x2000, 1), 0);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 0), 1);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 1), 0);
	/* Middle, recorded twice: still one elision. */
	assert_int_equal(tdxsim_platform_add_e820_elision(p), 0);
	assert_int_equal(tdxsim_platform_add_e820_elision(p), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x10000, 0x20000, 1), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x20000, 0x30000, 2), 0);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 1), 1);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 2), 0);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 3), 0);
	/* Tail: after the last. */
	assert_int_equal(tdxsim_platform_add_e820_elision(p), 0);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 3), 1);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 4), 0);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, SIZE_MAX), 0);
	assert_int_equal(tdxsim_platform_e820_truncated(p), 1);
	tdxsim_platform_free(p);

	/* A refused entry does not consume a pending elision. */
	p = tdxsim_platform_new();
	assert_int_equal(tdxsim_platform_add_e820(p, 0, 0x1000, 1), 0);
	assert_int_equal(tdxsim_platform_e820_truncated(p), 0);
	assert_int_equal(tdxsim_platform_add_e820_elision(p), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x5000, 0x5000, 1), -EINVAL);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 1), 1);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x5000, 0x6000, 1), 0);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 1), 1);
	assert_int_equal(tdxsim_platform_e820_elided_before(p, 2), 0);
	assert_int_equal(tdxsim_platform_e820_truncated(p), 1);
	tdxsim_platform_free(p);
}

static void
test_spelling(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();

	(void)state;
	assert_int_equal(tdxsim_platform_e820_spelling(p), TDXSIM_E820_SPELLING_LEGACY);
	tdxsim_platform_set_e820_spelling(p, TDXSIM_E820_SPELLING_MODERN);
	assert_int_equal(tdxsim_platform_e820_spelling(p), TDXSIM_E820_SPELLING_MODERN);
	tdxsim_platform_set_e820_spelling(p, TDXSIM_E820_SPELLING_LEGACY);
	assert_int_equal(tdxsim_platform_e820_spelling(p), TDXSIM_E820_SPELLING_LEGACY);
	tdxsim_platform_free(p);
}

/* ---- CMRs and node ranges ---------------------------------------------------- */

static void
test_add_cmr(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();

	(void)state;
	/* base + size past 2^64. */
	assert_int_equal(tdxsim_platform_add_cmr(p, UINT64_MAX, 1), -EINVAL);
	assert_int_equal(tdxsim_platform_add_cmr(p, 1ULL << 63, 1ULL << 63), -EINVAL);
	assert_int_equal(tdxsim_platform_add_cmr(p, 0x1000, UINT64_MAX), -EINVAL);
	assert_int_equal(tdxsim_platform_cmr_count(p), 0);
	/* Ending exactly at 2^64 - 1 fits. */
	assert_int_equal(tdxsim_platform_add_cmr(p, 1ULL << 63, (1ULL << 63) - 1), 0);
	/* Null slots are kept as given. */
	assert_int_equal(tdxsim_platform_add_cmr(p, 0, 0), 0);
	assert_int_equal(tdxsim_platform_add_cmr(p, 0x5000, 0), 0);
	assert_int_equal(tdxsim_platform_cmr_count(p), 3);
	tdxsim_test_assert_cmr(p, 1, 0, 0);
	tdxsim_test_assert_cmr(p, 2, 0x5000, 0x5000);
	for (size_t i = 3; i < TDXSIM_MAX_CMRS; i++)
		assert_int_equal(tdxsim_platform_add_cmr(p, i * GIB, GIB), 0);
	assert_int_equal(tdxsim_platform_cmr_count(p), 32);
	/* The 33rd slot. */
	assert_int_equal(tdxsim_platform_add_cmr(p, 100 * GIB, GIB), -ENOSPC);
	assert_int_equal(tdxsim_platform_add_cmr(p, 0, 0), -ENOSPC);
	assert_int_equal(tdxsim_platform_cmr_count(p), 32);
	tdxsim_test_assert_cmr(p, 31, 31 * GIB, 32 * GIB);
	assert_null(tdxsim_platform_cmr(p, 32));
	tdxsim_platform_free(p);
}

static void
test_node_ranges(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();

	(void)state;
	assert_int_equal(tdxsim_platform_add_node_range(p, 0, 0x1000, 0x1000), -EINVAL);
	assert_int_equal(tdxsim_platform_add_node_range(p, 0, 0x2000, 0x1000), -EINVAL);
	assert_int_equal(tdxsim_platform_node_range_count(p), 0);
	assert_int_equal(tdxsim_platform_add_node_range(p, 0, 0x1000, 0x9f000), 0);
	assert_int_equal(tdxsim_platform_add_node_range(p, 7, 4 * GIB, 8 * GIB), 0);
	assert_int_equal(tdxsim_platform_node_range_count(p), 2);
	tdxsim_test_assert_node(p, 1, 7, 4 * GIB, 8 * GIB);
	tdxsim_test_assert_node(p, 0, 0, 0x1000, 0x9f000);
	assert_null(tdxsim_platform_node_range(p, 2));
	tdxsim_platform_free(p);
}

/* ---- module profile -------------------------------------------------------- */

static void
check_defaults(const struct tdxsim_module_profile *m)
{
	assert_int_equal(m->major, 1);
	assert_int_equal(m->minor, 5);
	assert_int_equal(m->update, 6);
	assert_int_equal(m->internal, TDXSIM_VERSION_UNKNOWN);
	assert_int_equal(m->build_date, 0);
	assert_int_equal(m->build_num, 0);
	assert_int_equal(m->max_tdmrs, 64);
	assert_int_equal(m->max_reserved_per_tdmr, 16);
	assert_int_equal(m->pamt_entry_size[0], 16);
	assert_int_equal(m->pamt_entry_size[1], 16);
	assert_int_equal(m->pamt_entry_size[2], 16);
	assert_int_equal(m->cmr_slots, 32);
	assert_int_equal(m->keyid_start, 32);
	assert_int_equal(m->keyid_end, 64);
	assert_int_equal(m->nr_lps, 8);
	assert_int_equal(m->nr_packages, 1);
}

static void
test_profile_defaults(void **state)
{
	struct tdxsim_module_profile m;
	struct tdxsim_platform *p;

	(void)state;
	memset(&m, 0xa5, sizeof(m));
	tdxsim_module_profile_init(&m);
	check_defaults(&m);
	p = tdxsim_platform_new();
	check_defaults(tdxsim_platform_module_profile(p));
	tdxsim_platform_free(p);
}

static void
test_profile_set_get(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();
	struct tdxsim_module_profile m, want;

	(void)state;
	tdxsim_module_profile_init(&m);
	m.major = 2;
	m.minor = 0;
	m.update = 8;
	m.internal = 0;
	m.build_date = 20240523;
	m.build_num = 798;
	m.max_tdmrs = 32;
	m.max_reserved_per_tdmr = 8;
	m.pamt_entry_size[0] = 16;
	m.pamt_entry_size[1] = 32;
	m.pamt_entry_size[2] = 64;
	m.cmr_slots = 8;
	m.keyid_start = 1;
	m.keyid_end = 128;
	m.nr_lps = 224;
	m.nr_packages = 2;
	tdxsim_platform_set_module_profile(p, &m);
	want = m;
	/* Copied: changing ours afterwards does not reach the platform. */
	m.max_tdmrs = 1;
	tdxsim_test_assert_same_profile(tdxsim_platform_module_profile(p), &want);
	tdxsim_platform_free(p);
}

/* ---- info and expects -------------------------------------------------------- */

static void
test_info(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();
	char buf[32];

	(void)state;
	for (int k = 0; k < TDXSIM_INFO_COUNT; k++) {
		snprintf(buf, sizeof(buf), "value-%d", k);
		assert_int_equal(tdxsim_platform_set_info(p, (enum tdxsim_info)k, buf), 0);
	}
	/* A name must be usable as a file and test name. */
	assert_int_equal(tdxsim_platform_set_info(p, TDXSIM_INFO_NAME, "my machine"), -EINVAL);
	assert_int_equal(tdxsim_platform_set_info(p, TDXSIM_INFO_NAME, ".."), -EINVAL);
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_NAME), "value-0");
	/* Copied: our buffer changing does not reach the platform. */
	strcpy(buf, "changed");
	for (int k = 0; k < TDXSIM_INFO_COUNT; k++) {
		char want[32];

		snprintf(want, sizeof(want), "value-%d", k);
		assert_string_equal(tdxsim_platform_info(p, (enum tdxsim_info)k), want);
	}
	/* Replace, then unset. */
	assert_int_equal(tdxsim_platform_set_info(p, TDXSIM_INFO_NOTES, "a\nb\n"), 0);
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_NOTES), "a\nb\n");
	assert_int_equal(tdxsim_platform_set_info(p, TDXSIM_INFO_NOTES, NULL), 0);
	assert_null(tdxsim_platform_info(p, TDXSIM_INFO_NOTES));
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_KERNEL), "value-5");
	/* Empty is set, not unset. */
	assert_int_equal(tdxsim_platform_set_info(p, TDXSIM_INFO_KERNEL, ""), 0);
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_KERNEL), "");
	/* Unknown keys. */
	assert_int_equal(tdxsim_platform_set_info(p, TDXSIM_INFO_COUNT, "x"), -EINVAL);
	assert_int_equal(tdxsim_platform_set_info(p, (enum tdxsim_info)1000, "x"), -EINVAL);
	assert_int_equal(tdxsim_platform_set_info(p, (enum tdxsim_info)-1, "x"), -EINVAL);
	assert_null(tdxsim_platform_info(p, TDXSIM_INFO_COUNT));
	assert_null(tdxsim_platform_info(p, (enum tdxsim_info)-1));
	tdxsim_platform_free(p);
}

static void
test_expect(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();
	struct tdxsim_expect e = { 0 };
	const struct tdxsim_expect *got;
	char strategy[16], lines[64];

	(void)state;
	/* No strategy, or an empty one. */
	e.outcome = TDXSIM_EXPECT_OK;
	assert_int_equal(tdxsim_platform_add_expect(p, &e), -EINVAL);
	e.strategy = "";
	assert_int_equal(tdxsim_platform_add_expect(p, &e), -EINVAL);
	assert_int_equal(tdxsim_platform_expect_count(p), 0);

	strcpy(strategy, "linux");
	strcpy(lines, "virt/tdx: module initialized\n");
	e.strategy = strategy;
	e.outcome = TDXSIM_EXPECT_FAIL;
	e.has_errno = 1;
	e.err = -ENOSPC;
	e.tdmrs = 3;
	e.max_reserved = 17;
	e.pamt_kb = TDXSIM_EXPECT_NONE;
	e.lines = lines;
	e.line = 42;
	assert_int_equal(tdxsim_platform_add_expect(p, &e), 0);
	/* Deep copy: mutate the caller's strings. */
	strcpy(strategy, "tdxsim");
	strcpy(lines, "XXXX");
	got = tdxsim_platform_expect(p, 0);
	assert_non_null(got);
	assert_string_equal(got->strategy, "linux");
	assert_string_equal(got->lines, "virt/tdx: module initialized\n");
	assert_ptr_not_equal(got->strategy, strategy);
	assert_ptr_not_equal(got->lines, lines);
	assert_int_equal(got->outcome, TDXSIM_EXPECT_FAIL);
	assert_int_equal(got->has_errno, 1);
	assert_int_equal(got->err, -ENOSPC);
	assert_int_equal(got->tdmrs, 3);
	assert_int_equal(got->max_reserved, 17);
	assert_int_equal(got->pamt_kb, TDXSIM_EXPECT_NONE);
	assert_int_equal(got->line, 42);

	/* Duplicate strategy. */
	strcpy(strategy, "linux");
	assert_int_equal(tdxsim_platform_add_expect(p, &e), -EEXIST);
	assert_int_equal(tdxsim_platform_expect_count(p), 1);

	/* A second one without lines. */
	strcpy(strategy, "linux-cmr");
	e.lines = NULL;
	e.outcome = TDXSIM_EXPECT_OK;
	e.has_errno = 0;
	assert_int_equal(tdxsim_platform_add_expect(p, &e), 0);
	assert_int_equal(tdxsim_platform_expect_count(p), 2);
	got = tdxsim_platform_expect(p, 1);
	assert_non_null(got);
	assert_string_equal(got->strategy, "linux-cmr");
	assert_null(got->lines);
	assert_int_equal(got->outcome, TDXSIM_EXPECT_OK);
	assert_null(tdxsim_platform_expect(p, 2));
	/* The first is untouched by the second's growth of the array. */
	assert_string_equal(tdxsim_platform_expect(p, 0)->strategy, "linux");
	tdxsim_platform_free(p);
}

static void
test_ram_bytes(void **state)
{
	struct tdxsim_platform *p = valid_platform();

	(void)state;
	assert_int_equal(tdxsim_platform_ram_bytes(p), 0x9f000 + 2 * GIB - 0x100000);
	/* Only type 1 counts: not reserved-kernel, PMEM, PRAM, soft reserved. */
	assert_int_equal(tdxsim_platform_add_e820(p, 2 * GIB, 3 * GIB,
						  TDXSIM_E820_RESERVED_KERN), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 3 * GIB, 4 * GIB,
						  TDXSIM_E820_PMEM), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 4 * GIB, 5 * GIB,
						  TDXSIM_E820_PRAM), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 5 * GIB, 6 * GIB,
						  TDXSIM_E820_SOFT_RESERVED), 0);
	assert_int_equal(tdxsim_platform_ram_bytes(p), 0x9f000 + 2 * GIB - 0x100000);
	assert_int_equal(tdxsim_platform_add_e820(p, 8 * GIB, 16 * GIB,
						  TDXSIM_E820_RAM), 0);
	assert_int_equal(tdxsim_platform_ram_bytes(p),
			 0x9f000 + 2 * GIB - 0x100000 + 8 * GIB);
	tdxsim_platform_free(p);
}

/* ---- validator: E820 ----------------------------------------------------------- */

static void
test_validate_valid_base(void **state)
{
	struct tdxsim_platform *p = valid_platform();

	(void)state;
	expect_valid(p);
	tdxsim_platform_free(p);
}

static void
test_validate_no_e820(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();

	(void)state;
	EXPECT_INVALID(p, "<platform>: the platform has no E820 entries");
	/* One entry is enough. */
	assert_int_equal(tdxsim_platform_add_e820(p, 0, 0x1000, 1), 0);
	expect_valid(p);
	tdxsim_platform_free(p);
}

static void
test_validate_e820_max_pa(void **state)
{
	struct tdxsim_platform *p = valid_platform();

	(void)state;
	/* Ending exactly at 2^52 is fine. */
	assert_int_equal(tdxsim_platform_add_e820(p, MAX_PA - GIB, MAX_PA, 2), 0);
	expect_valid(p);
	tdxsim_platform_free(p);

	p = valid_platform();
	assert_int_equal(tdxsim_platform_add_e820(p, MAX_PA - GIB, MAX_PA + 1, 2), 0);
	EXPECT_INVALID(p, "<platform>: E820 entry [0xfffffc0000000, 0x10000000000001) reaches past MAX_PA (2^52)");
	tdxsim_platform_free(p);
}

static void
test_validate_e820_order(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	/* Adjacent entries are fine (already covered by valid_platform);
	 * so are gaps. */
	p = tdxsim_platform_new();
	assert_int_equal(tdxsim_platform_add_e820(p, 0, 0x1000, 1), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x1000, 0x2000, 2), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x5000, 0x6000, 1), 0);
	expect_valid(p);
	tdxsim_platform_free(p);

	/* Unsorted. */
	p = tdxsim_platform_new();
	assert_int_equal(tdxsim_platform_add_e820(p, 0x5000, 0x6000, 1), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x1000, 0x2000, 1), 0);
	EXPECT_INVALID(p, "<platform>: E820 entry [0x1000, 0x2000) is out of order: it starts below entry [0x5000, 0x6000) (#0)");
	tdxsim_platform_free(p);

	/* Overlapping by one byte. */
	p = tdxsim_platform_new();
	assert_int_equal(tdxsim_platform_add_e820(p, 0, 0x1000, 1), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x1000, 0x2001, 1), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x2000, 0x3000, 2), 0);
	EXPECT_INVALID(p, "<platform>: E820 entry [0x2000, 0x3000) overlaps entry [0x1000, 0x2001) (#1)");
	tdxsim_platform_free(p);

	/* Same start counts as overlap, not disorder. */
	p = tdxsim_platform_new();
	assert_int_equal(tdxsim_platform_add_e820(p, 0, 0x1000, 1), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0, 0x800, 1), 0);
	EXPECT_INVALID(p, "<platform>: E820 entry [0x0, 0x800) overlaps entry [0x0, 0x1000) (#0)");
	tdxsim_platform_free(p);
}

/* ---- validator: CMRs ------------------------------------------------------------- */

static void
test_validate_cmr_alignment(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = valid_platform();
	assert_int_equal(tdxsim_platform_add_cmr(p, 4 * GIB, 0x1000), 0);
	expect_valid(p);
	tdxsim_platform_free(p);

	/* Base not aligned. */
	p = valid_platform();
	assert_int_equal(tdxsim_platform_add_cmr(p, 4 * GIB + 0x800, 0x1000), 0);
	EXPECT_INVALID(p, "<platform>: CMR [0x100000800, 0x100001800) is not 4 KiB aligned");
	tdxsim_platform_free(p);

	/* Size not aligned. */
	p = valid_platform();
	assert_int_equal(tdxsim_platform_add_cmr(p, 4 * GIB, 0x1800), 0);
	EXPECT_INVALID(p, "<platform>: CMR [0x100000000, 0x100001800) is not 4 KiB aligned");
	tdxsim_platform_free(p);
}

static void
test_validate_cmr_max_pa(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = valid_platform();
	assert_int_equal(tdxsim_platform_add_cmr(p, MAX_PA - GIB, GIB), 0);
	expect_valid(p);
	tdxsim_platform_free(p);

	p = valid_platform();
	assert_int_equal(tdxsim_platform_add_cmr(p, MAX_PA - GIB, GIB + 0x1000), 0);
	EXPECT_INVALID(p, "<platform>: CMR [0xfffffc0000000, 0x10000000001000) reaches past MAX_PA (2^52)");
	tdxsim_platform_free(p);
}

static void
test_validate_cmr_order(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	/* Adjacent CMRs: the module allows them. */
	p = valid_platform();
	assert_int_equal(tdxsim_platform_add_cmr(p, 2 * GIB, GIB), 0);
	expect_valid(p);
	tdxsim_platform_free(p);

	/* Unsorted. */
	p = valid_platform();
	assert_int_equal(tdxsim_platform_add_cmr(p, 0, 0x1000), 0);
	EXPECT_INVALID(p, "<platform>: CMR [0x0, 0x1000) is out of order: it starts below CMR [0x100000, 0x80000000) (#0)");
	tdxsim_platform_free(p);

	/* Overlapping by one page. */
	p = valid_platform();
	assert_int_equal(tdxsim_platform_add_cmr(p, 2 * GIB - 0x1000, 0x2000), 0);
	EXPECT_INVALID(p, "<platform>: CMR [0x7ffff000, 0x80001000) overlaps CMR [0x100000, 0x80000000) (#0)");
	tdxsim_platform_free(p);
}

static void
test_validate_cmr_null_slots(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	/* A null slot in the middle and at the start is skipped, even one
	 * whose base would be out of order or unaligned. */
	p = tdxsim_platform_new();
	assert_int_equal(tdxsim_platform_add_e820(p, 0, 8 * GIB, 1), 0);
	assert_int_equal(tdxsim_platform_add_cmr(p, 0, 0), 0);
	assert_int_equal(tdxsim_platform_add_cmr(p, 0, GIB), 0);
	assert_int_equal(tdxsim_platform_add_cmr(p, 0x123, 0), 0);
	assert_int_equal(tdxsim_platform_add_cmr(p, 0, 0), 0);
	assert_int_equal(tdxsim_platform_add_cmr(p, 2 * GIB, GIB), 0);
	assert_int_equal(tdxsim_platform_add_cmr(p, 0, 0), 0);
	expect_valid(p);
	/* Order is checked across the null slots: the CMR after them is
	 * compared with the last real one (#4), not with the null slot. */
	assert_int_equal(tdxsim_platform_add_cmr(p, GIB, 0x1000), 0);
	EXPECT_INVALID(p, "<platform>: CMR [0x40000000, 0x40001000) is out of order: it starts below CMR [0x80000000, 0xc0000000) (#4)");
	tdxsim_platform_free(p);
}

static void
test_validate_cmr_slots(void **state)
{
	struct tdxsim_platform *p;
	struct tdxsim_module_profile m;

	(void)state;
	p = valid_platform();
	tdxsim_module_profile_init(&m);
	m.cmr_slots = 2;
	tdxsim_platform_set_module_profile(p, &m);
	assert_int_equal(tdxsim_platform_add_cmr(p, 0, 0), 0);
	expect_valid(p);
	/* A third slot, even a null one, is more than the module reports. */
	assert_int_equal(tdxsim_platform_add_cmr(p, 0, 0), 0);
	EXPECT_INVALID(p, "<platform>: 3 CMR slots given, but the module reports only 2 (cmr-slots)");
	tdxsim_platform_free(p);
}

/* ---- validator: node ranges --------------------------------------------------------- */

static void
test_validate_nodes_inside(void **state)
{
	struct tdxsim_platform *p = valid_platform();

	(void)state;
	/* Spanning entries of different types is fine: the map is the union. */
	assert_int_equal(tdxsim_platform_add_node_range(p, 0, 0x1000, GIB), 0);
	assert_int_equal(tdxsim_platform_add_node_range(p, 1, GIB, 2 * GIB), 0);
	expect_valid(p);
	/* One page past the map. */
	assert_int_equal(tdxsim_platform_add_node_range(p, 1, 2 * GIB, 2 * GIB + 0x1000), 0);
	EXPECT_INVALID(p, "<platform>: node 1 range [0x80000000, 0x80001000) is outside the E820 map");
	tdxsim_platform_free(p);
}

static void
test_validate_nodes_in_hole(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();

	(void)state;
	/* A hole of the map: not covered. */
	assert_int_equal(tdxsim_platform_add_e820(p, 0, GIB, 1), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 2 * GIB, 3 * GIB, 1), 0);
	assert_int_equal(tdxsim_platform_add_node_range(p, 0, GIB - 0x1000, GIB + 0x1000), 0);
	EXPECT_INVALID(p, "<platform>: node 0 range [0x3ffff000, 0x40001000) is outside the E820 map");
	tdxsim_platform_free(p);
}

static void
test_validate_nodes_elided(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();

	(void)state;
	/* Same shape, but the source left entries out between the two: the
	 * node range may lie in the elided stretch. */
	assert_int_equal(tdxsim_platform_add_e820(p, 0, GIB, 1), 0);
	assert_int_equal(tdxsim_platform_add_e820_elision(p), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 2 * GIB, 3 * GIB, 1), 0);
	assert_int_equal(tdxsim_platform_add_node_range(p, 0, GIB - 0x1000, GIB + 0x1000), 0);
	expect_valid(p);
	/* The end of the table is not elided: past it is outside. */
	assert_int_equal(tdxsim_platform_add_node_range(p, 1, 3 * GIB, 4 * GIB), 0);
	EXPECT_INVALID(p, "<platform>: node 1 range [0xc0000000, 0x100000000) is outside the E820 map");
	/* Elide the tail: everything above the last entry may exist. */
	assert_int_equal(tdxsim_platform_add_e820_elision(p), 0);
	expect_valid(p);
	tdxsim_platform_free(p);

	/* Elided head. */
	p = tdxsim_platform_new();
	assert_int_equal(tdxsim_platform_add_e820_elision(p), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 2 * GIB, 3 * GIB, 1), 0);
	assert_int_equal(tdxsim_platform_add_node_range(p, 0, 0, 3 * GIB), 0);
	expect_valid(p);
	tdxsim_platform_free(p);
}

static void
test_validate_nodes_order(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	/* Adjacent ranges of different nodes are fine. */
	p = valid_platform();
	assert_int_equal(tdxsim_platform_add_node_range(p, 0, 0, GIB), 0);
	assert_int_equal(tdxsim_platform_add_node_range(p, 1, GIB, 2 * GIB), 0);
	expect_valid(p);
	tdxsim_platform_free(p);

	/* Overlap. */
	p = valid_platform();
	assert_int_equal(tdxsim_platform_add_node_range(p, 0, 0, GIB + 0x1000), 0);
	assert_int_equal(tdxsim_platform_add_node_range(p, 1, GIB, 2 * GIB), 0);
	EXPECT_INVALID(p, "<platform>: node range [0x40000000, 0x80000000) overlaps node range [0x0, 0x40001000) (#0)");
	tdxsim_platform_free(p);

	/* Unsorted. */
	p = valid_platform();
	assert_int_equal(tdxsim_platform_add_node_range(p, 1, GIB, 2 * GIB), 0);
	assert_int_equal(tdxsim_platform_add_node_range(p, 0, 0, GIB), 0);
	EXPECT_INVALID(p, "<platform>: node range [0x0, 0x40000000) is out of order: it starts below node range [0x40000000, 0x80000000) (#0)");
	tdxsim_platform_free(p);

	/* Past MAX_PA is reported as such, not as outside the map. */
	p = valid_platform();
	assert_int_equal(tdxsim_platform_add_e820_elision(p), 0);
	assert_int_equal(tdxsim_platform_add_node_range(p, 3, MAX_PA - GIB, MAX_PA), 0);
	expect_valid(p);
	assert_int_equal(tdxsim_platform_add_node_range(p, 3, MAX_PA, MAX_PA + GIB), 0);
	EXPECT_INVALID(p, "<platform>: node 3 range [0x10000000000000, 0x10000040000000) reaches past MAX_PA (2^52)");
	tdxsim_platform_free(p);
}

/* ---- validator: module profile ---------------------------------------------------------- */

static void
edit_max_tdmrs_0(struct tdxsim_module_profile *m)
{
	m->max_tdmrs = 0;
}

static void
edit_max_tdmrs_1(struct tdxsim_module_profile *m)
{
	m->max_tdmrs = 1;
}

static void
edit_packages_0(struct tdxsim_module_profile *m)
{
	m->nr_packages = 0;
}

static void
edit_packages_9_of_16(struct tdxsim_module_profile *m)
{
	m->nr_lps = 16;
	m->nr_packages = 9;
}

static void
edit_packages_8_of_16(struct tdxsim_module_profile *m)
{
	m->nr_lps = 16;
	m->nr_packages = 8;
}

static void
edit_packages_3_of_2(struct tdxsim_module_profile *m)
{
	m->nr_lps = 2;
	m->nr_packages = 3;
}

static void
edit_packages_2_of_2(struct tdxsim_module_profile *m)
{
	m->nr_lps = 2;
	m->nr_packages = 2;
}

static void
edit_keyids_0_64(struct tdxsim_module_profile *m)
{
	m->keyid_start = 0;
	m->keyid_end = 64;
}

static void
edit_keyids_1_64(struct tdxsim_module_profile *m)
{
	m->keyid_start = 1;
	m->keyid_end = 64;
}

static void
edit_keyids_64_32(struct tdxsim_module_profile *m)
{
	m->keyid_start = 64;
	m->keyid_end = 32;
}

static void
edit_keyids_empty(struct tdxsim_module_profile *m)
{
	m->keyid_start = 32;
	m->keyid_end = 32;
}

static void
edit_keyids_too_many(struct tdxsim_module_profile *m)
{
	m->keyid_start = 32;
	m->keyid_end = 0x8001;
}

static void
edit_keyids_most(struct tdxsim_module_profile *m)
{
	m->keyid_start = 32;
	m->keyid_end = 0x8000;
}

static void
edit_date_bad_month(struct tdxsim_module_profile *m)
{
	m->build_date = 20231308;
}

static void
edit_date_bad_day(struct tdxsim_module_profile *m)
{
	m->build_date = 20231000;
}

static void
edit_date_ok(struct tdxsim_module_profile *m)
{
	m->build_date = 20231008;
}

static void
edit_build_num_big(struct tdxsim_module_profile *m)
{
	m->build_num = 0x10000;
}

static void
edit_build_num_ok(struct tdxsim_module_profile *m)
{
	m->build_num = 0xffff;
}

static void
edit_cmr_slots_0(struct tdxsim_module_profile *m)
{
	m->cmr_slots = 0;
}

static void
edit_cmr_slots_33(struct tdxsim_module_profile *m)
{
	m->cmr_slots = 33;
}

static void
edit_pamt_0(struct tdxsim_module_profile *m)
{
	m->pamt_entry_size[2] = 0;
}

static void
edit_max_reserved_0(struct tdxsim_module_profile *m)
{
	m->max_reserved_per_tdmr = 0;
}

static void
edit_lps_0(struct tdxsim_module_profile *m)
{
	m->nr_lps = 0;
}

static void
edit_version_big(struct tdxsim_module_profile *m)
{
	m->minor = 0x10000;
}

static void
edit_version_unknown(struct tdxsim_module_profile *m)
{
	m->update = TDXSIM_VERSION_UNKNOWN;
	m->internal = TDXSIM_VERSION_UNKNOWN;
}

struct profile_case {
	void (*edit)(struct tdxsim_module_profile *m);
	const char *message;	/* NULL: valid */
	const char *message2;	/* a second message, or NULL */
};

static void
test_validate_profile(void **state)
{
	static const struct profile_case cases[] = {
		{ edit_max_tdmrs_0, "<platform>: max-tdmrs 0 is out of range [1, 65535]", NULL },
		{ edit_max_tdmrs_1, NULL, NULL },
		{ edit_packages_0, "<platform>: packages 0 is out of range [1, 8]", NULL },
		{ edit_packages_9_of_16, "<platform>: packages 9 is out of range [1, 8]", NULL },
		{ edit_packages_8_of_16, NULL, NULL },
		{ edit_packages_3_of_2, "<platform>: packages 3 is out of range [1, 2]", NULL },
		{ edit_packages_2_of_2, NULL, NULL },
		{ edit_keyids_0_64, "<platform>: private-keyids [0, 64) must be a non-empty range within [1, 32768)", NULL },
		{ edit_keyids_1_64, NULL, NULL },
		{ edit_keyids_64_32, "<platform>: private-keyids [64, 32) must be a non-empty range within [1, 32768)", NULL },
		{ edit_keyids_empty, "<platform>: private-keyids [32, 32) must be a non-empty range within [1, 32768)", NULL },
		{ edit_keyids_too_many, "<platform>: private-keyids [32, 32769) must be a non-empty range within [1, 32768)", NULL },
		{ edit_keyids_most, NULL, NULL },
		{ edit_date_bad_month, "<platform>: build-date 20231308 is not a yyyymmdd date", NULL },
		{ edit_date_bad_day, "<platform>: build-date 20231000 is not a yyyymmdd date", NULL },
		{ edit_date_ok, NULL, NULL },
		{ edit_build_num_big, "<platform>: build-num 65536 is out of range [0, 65535]", NULL },
		{ edit_build_num_ok, NULL, NULL },
		{ edit_cmr_slots_0, "<platform>: 1 CMR slots given, but the module reports only 0 (cmr-slots)",
		  "<platform>: cmr-slots 0 is out of range [1, 32]" },
		{ edit_cmr_slots_33, "<platform>: cmr-slots 33 is out of range [1, 32]", NULL },
		{ edit_pamt_0, "<platform>: pamt-entry-size 0 is out of range [1, 65535]", NULL },
		{ edit_max_reserved_0, "<platform>: max-reserved-per-tdmr 0 is out of range [1, 65535]", NULL },
		{ edit_version_big, "<platform>: module version components are 16-bit numbers", NULL },
		{ edit_version_unknown, NULL, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tdxsim_platform *p = valid_platform();

		print_message("profile case %zu\n", i);
		set_profile(p, cases[i].edit);
		if (cases[i].message2)
			EXPECT_INVALID(p, cases[i].message, cases[i].message2);
		else if (cases[i].message)
			EXPECT_INVALID(p, cases[i].message);
		else
			expect_valid(p);
		tdxsim_platform_free(p);
	}
}

static void
test_validate_profile_no_lps(void **state)
{
	struct tdxsim_platform *p = valid_platform();

	(void)state;
	/* Zero logical CPUs: both the CPU count and (as a consequence) the
	 * package count are reported. */
	set_profile(p, edit_lps_0);
	EXPECT_INVALID(p, "<platform>: logical-cpus 0 is out of range [1, 65535]",
		       "<platform>: packages 1 is out of range [1, 0]");
	tdxsim_platform_free(p);
}

static void
test_validate_many_errors(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();

	(void)state;
	/* Every problem is reported, in the order E820, CMRs, nodes, profile. */
	assert_int_equal(tdxsim_platform_add_e820(p, 0x2000, 0x3000, 1), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x1000, 0x2000, 1), 0);
	assert_int_equal(tdxsim_platform_add_cmr(p, 0x10, 0x1000), 0);
	assert_int_equal(tdxsim_platform_add_node_range(p, 0, 0x10000, 0x20000), 0);
	set_profile(p, edit_max_tdmrs_0);
	EXPECT_INVALID(p,
		"<platform>: E820 entry [0x1000, 0x2000) is out of order: it starts below entry [0x2000, 0x3000) (#0)",
		"<platform>: CMR [0x10, 0x1010) is not 4 KiB aligned",
		"<platform>: node 0 range [0x10000, 0x20000) is outside the E820 map",
		"<platform>: max-tdmrs 0 is out of range [1, 65535]");
	tdxsim_platform_free(p);
}

/* Found by fuzzing (tools/fuzz/corpus/dmesg/regress-dmi-invalid-utf8.txt):
 * a value that is not UTF-8 could be stored, written raw, and the written
 * fixture was then refused. Such values are refused when set. */
static void
test_info_must_be_utf8(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();

	(void)state;
	assert_int_equal(tdxsim_platform_set_info(p, TDXSIM_INFO_MACHINE, "Intel \xff board"), -EINVAL);
	assert_int_equal(tdxsim_platform_set_info(p, TDXSIM_INFO_MACHINE, "\xc0\xaf overlong"), -EINVAL);
	assert_int_equal(tdxsim_platform_set_info(p, TDXSIM_INFO_MACHINE, "\xed\xa0\x80 surrogate"), -EINVAL);
	assert_null(tdxsim_platform_info(p, TDXSIM_INFO_MACHINE));
	assert_int_equal(tdxsim_platform_set_info(p, TDXSIM_INFO_MACHINE, "Z\xc3\xbchlsdorf \xe2\x82\xac \xf0\x9f\x98\x80"), 0);
	tdxsim_platform_free(p);
}

/* ---- CMRs inferred from E820 ---- */

/* text without the top-level block that starts with "key: |\n". */
static void
drop_block(char *text, const char *key)
{
	char *start = strstr(text, key), *end;

	assert_non_null(start);
	end = strchr(start, '\n') + 1;
	while (end[0] == ' ' && end[1] == ' ')
		end = strchr(end, '\n') + 1;
	memmove(start, end, strlen(end) + 1);
}

/* A generated platform states the CMRs MCHECK would report (a node per
 * socket: one high CMR per node); without them, inference gives them back
 * exactly. */
static void
test_infer_cmrs_per_node(void **state)
{
	char *path = tdxsim_test_source_path("fixtures/platforms/synth-high-holes-2s.yaml");
	struct tdxsim_platform *want = tdxsim_test_load_file_clean(path), *p;
	size_t len;
	char *text = tdxsim_test_read_file(path, &len);

	(void)state;
	drop_block(text, "cmrs: |\n");
	p = tdxsim_test_load_buffer_clean("t.yaml", text, strlen(text));
	assert_int_equal(tdxsim_platform_cmr_count(p), 0);
	assert_int_equal(tdxsim_platform_infer_cmrs(p), (int)tdxsim_platform_cmr_count(want));
	for (size_t i = 0; i < tdxsim_platform_cmr_count(want); i++) {
		assert_int_equal(tdxsim_platform_cmr(p, i)->base, tdxsim_platform_cmr(want, i)->base);
		assert_int_equal(tdxsim_platform_cmr(p, i)->size, tdxsim_platform_cmr(want, i)->size);
	}
	assert_non_null(strstr(tdxsim_platform_info(p, TDXSIM_INFO_CMRS_INFERRED), "one per node"));
	assert_int_equal(tdxsim_platform_validate(p, NULL), 0);
	/* Inferred once: a platform with CMRs keeps them. */
	assert_int_equal(tdxsim_platform_infer_cmrs(p), -EEXIST);
	assert_int_equal(tdxsim_platform_infer_cmrs(want), -EEXIST);
	assert_null(tdxsim_platform_info(want, TDXSIM_INFO_CMRS_INFERRED));
	/* Without node ranges the sockets' reserved tails are E820 entries:
	 * the runs merge across them (the over-cover docs/fidelity.md names). */
	drop_block(text, "numa: |\n");
	tdxsim_platform_free(p);
	p = tdxsim_test_load_buffer_clean("t.yaml", text, strlen(text));
	assert_int_equal(tdxsim_platform_infer_cmrs(p), 2);
	assert_int_equal(tdxsim_platform_cmr(p, 1)->base, tdxsim_platform_cmr(want, 1)->base);
	assert_int_equal(tdxsim_platform_cmr(p, 1)->base + tdxsim_platform_cmr(p, 1)->size,
			 tdxsim_platform_cmr(want, 2)->base + tdxsim_platform_cmr(want, 2)->size);
	tdxsim_platform_free(p);
	tdxsim_platform_free(want);
	free(text);
	free(path);
}

/* Without node ranges, a range E820 does not describe splits a run; RAM
 * below 1 MiB gives none; ends are trimmed to pages. */
static void
test_infer_cmrs_runs(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();

	(void)state;
	assert_non_null(p);
	assert_int_equal(tdxsim_platform_add_e820(p, 0, 0x9f000, TDXSIM_E820_RAM), 0);
	assert_int_equal(tdxsim_platform_infer_cmrs(p), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x100000, 0x7fff0800, TDXSIM_E820_RAM), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x7fff0800, 0x80000000, TDXSIM_E820_ACPI), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x100000000, 0x200000000, TDXSIM_E820_RAM), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x200000000, 0x200100000, TDXSIM_E820_RESERVED), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x200100000, 0x240000000, TDXSIM_E820_RAM), 0);
	/* unmapped: [0x240000000, 0x280000000) */
	assert_int_equal(tdxsim_platform_add_e820(p, 0x280000000, 0x2c0000000, TDXSIM_E820_RAM), 0);
	assert_int_equal(tdxsim_platform_infer_cmrs(p), 3);
	assert_int_equal(tdxsim_platform_cmr(p, 0)->base, 0x100000);
	assert_int_equal(tdxsim_platform_cmr(p, 0)->size, 0x7fff0000 - 0x100000);
	assert_int_equal(tdxsim_platform_cmr(p, 1)->base, 0x100000000);
	assert_int_equal(tdxsim_platform_cmr(p, 1)->size, 0x140000000);
	assert_int_equal(tdxsim_platform_cmr(p, 2)->base, 0x280000000);
	assert_int_equal(tdxsim_platform_cmr(p, 2)->size, 0x40000000);
	tdxsim_platform_free(p);
	assert_int_equal(tdxsim_platform_infer_cmrs(NULL), -EINVAL);
}

/* More runs than CMR slots: nothing inferred. */
static void
test_infer_cmrs_too_many(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();

	(void)state;
	for (uint64_t i = 0; i < TDXSIM_MAX_CMRS + 1; i++)
		assert_int_equal(tdxsim_platform_add_e820(p, (8 + 2 * i) << 30, (9 + 2 * i) << 30,
							  TDXSIM_E820_RAM), 0);
	assert_int_equal(tdxsim_platform_infer_cmrs(p), -E2BIG);
	assert_int_equal(tdxsim_platform_cmr_count(p), 0);
	tdxsim_platform_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_free),
		cmocka_unit_test(test_add_e820),
		cmocka_unit_test(test_elisions),
		cmocka_unit_test(test_spelling),
		cmocka_unit_test(test_add_cmr),
		cmocka_unit_test(test_node_ranges),
		cmocka_unit_test(test_profile_defaults),
		cmocka_unit_test(test_profile_set_get),
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_expect),
		cmocka_unit_test(test_ram_bytes),
		cmocka_unit_test(test_validate_valid_base),
		cmocka_unit_test(test_validate_no_e820),
		cmocka_unit_test(test_validate_e820_max_pa),
		cmocka_unit_test(test_validate_e820_order),
		cmocka_unit_test(test_validate_cmr_alignment),
		cmocka_unit_test(test_validate_cmr_max_pa),
		cmocka_unit_test(test_validate_cmr_order),
		cmocka_unit_test(test_validate_cmr_null_slots),
		cmocka_unit_test(test_validate_cmr_slots),
		cmocka_unit_test(test_validate_nodes_inside),
		cmocka_unit_test(test_validate_nodes_in_hole),
		cmocka_unit_test(test_validate_nodes_elided),
		cmocka_unit_test(test_validate_nodes_order),
		cmocka_unit_test(test_validate_profile),
		cmocka_unit_test(test_validate_profile_no_lps),
		cmocka_unit_test(test_validate_many_errors),
		cmocka_unit_test(test_info_must_be_utf8),
		cmocka_unit_test(test_infer_cmrs_per_node),
		cmocka_unit_test(test_infer_cmrs_runs),
		cmocka_unit_test(test_infer_cmrs_too_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
