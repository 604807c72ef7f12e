/* SPDX-License-Identifier: MIT */
/*
 * memblock.memory and tdx_memlist as the kernel builds them
 * (lib/host/memblock.c): from E820 RAM after the early fixups (page 0,
 * [0xa0000, 0x100000)), adjacent entries merged, partial pages trimmed,
 * type 128 by kernel generation; from "Early memory node ranges" as they
 * are; then clamped at 1 MiB.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <tdxsim/tdxsim.h>

#include "host-private.h"
#include "test-common.h"

struct block {
	uint64_t start, end;
	unsigned nid;
};

static void
assert_blocks(const struct tdxsim_tmb_list *list, const struct block *want,
	      size_t n)
{
	assert_int_equal(list->count, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(list->blocks[i].start, want[i].start);
		assert_int_equal(list->blocks[i].end, want[i].end);
		assert_int_equal(list->blocks[i].nid, want[i].nid);
	}
}

static void
memblock_of(const struct tdxsim_platform *p, bool reserved_kern_is_ram,
	    const struct block *want, size_t n)
{
	struct tdxsim_tmb_list list = { 0 };

	assert_int_equal(tdxsim_memblock_from_platform(p, reserved_kern_is_ram, &list), 0);
	assert_blocks(&list, want, n);
	tdxsim_tmb_list_fini(&list);
}

/* Page 0 and the legacy hole go; two adjacent RAM entries are one region;
 * an entry ending mid-page loses its partial page, one starting mid-page
 * starts at the next page. */
static void
test_e820_fixups(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();
	static const struct block want[] = {
		{ 0x1000, 0xa0000, 0 },
		{ 0x100000, 0x80000000, 0 },
		{ 0x100001000, 0x17ffff000, 0 },
	};

	(void)state;
	assert_non_null(p);
	assert_int_equal(tdxsim_platform_add_e820(p, 0, 0xa0000, TDXSIM_E820_RAM), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0xe0000, 0x40000000, TDXSIM_E820_RAM), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x40000000, 0x80000000, TDXSIM_E820_RAM), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x80000000, 0x100000000, TDXSIM_E820_RESERVED), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x100000800, 0x17ffffc00, TDXSIM_E820_RAM), 0);
	memblock_of(p, false, want, 3);
	tdxsim_platform_free(p);
}

/* E820_TYPE_RESERVED_KERN (128) is RAM for kernels before the 2025
 * cleanup and not after; an entry of less than a page is nothing. */
static void
test_reserved_kern_by_generation(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();
	static const struct block with[] = { { 0x100000, 0x300000, 0 } };
	static const struct block without[] = { { 0x100000, 0x200000, 0 } };

	(void)state;
	assert_int_equal(tdxsim_platform_add_e820(p, 0x100000, 0x200000, TDXSIM_E820_RAM), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x200000, 0x300000, TDXSIM_E820_RESERVED_KERN), 0);
	assert_int_equal(tdxsim_platform_add_e820(p, 0x400000, 0x400800, TDXSIM_E820_RAM), 0);
	memblock_of(p, true, with, 1);
	memblock_of(p, false, without, 1);
	tdxsim_platform_free(p);
}

/* Node ranges are the regions, with their node, exactly as printed. */
static void
test_node_ranges_as_they_are(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();
	static const struct block want[] = {
		{ 0x1000, 0x9c000, 0 },
		{ 0x100000, 0x80000000, 0 },
		{ 0x100000000, 0x280000000, 1 },
	};

	(void)state;
	assert_int_equal(tdxsim_platform_add_e820(p, 0, 0x300000000, TDXSIM_E820_RAM), 0);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(tdxsim_platform_add_node_range(p, want[i].nid,
								 want[i].start, want[i].end), 0);
	memblock_of(p, false, want, 3);
	tdxsim_platform_free(p);
}

/* build_tdx_memlist(): nothing below 1 MiB; a region across it starts
 * there; one wholly below is dropped. */
static void
test_memlist_clamps_at_1m(void **state)
{
	struct tdxsim_tmb_list in = { 0 }, out = { 0 };
	static const struct block want[] = {
		{ 0x100000, 0x200000, 0 },
		{ 0x100000000, 0x200000000, 1 },
	};

	(void)state;
	assert_int_equal(tdxsim_tmb_list_add(&in, 0x1000, 0x9c000, 0), 0);
	assert_int_equal(tdxsim_tmb_list_add(&in, 0x80000, 0x200000, 0), 0);
	assert_int_equal(tdxsim_tmb_list_add(&in, 0x100000000, 0x200000000, 1), 0);
	assert_int_equal(tdxsim_tdx_memlist(&in, &out), 0);
	assert_blocks(&out, want, 2);
	tdxsim_tmb_list_fini(&in);
	tdxsim_tmb_list_fini(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_e820_fixups),
		cmocka_unit_test(test_reserved_kern_by_generation),
		cmocka_unit_test(test_node_ranges_as_they_are),
		cmocka_unit_test(test_memlist_clamps_at_1m),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
