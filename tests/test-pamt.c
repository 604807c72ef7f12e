/* SPDX-License-Identifier: MIT */
/*
 * The kernel's PAMT placement (tdxsim_pamt_alloc_kernel(), lib/host/pamt.c):
 * exact fits at node ends, the candidate grid, taken ranges, zone order,
 * sizes that are not whole pages, and a region that does not start on a
 * page: the search must end (issue #15: it looped forever), also when the
 * platform reaches a whole init run without validation.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <tdxsim/tdxsim.h>

#include "common.h"
#include "host-private.h"
#include "range.h"
#include "test-common.h"

#define G (1ULL << 30)
#define M (1ULL << 20)

/* An input with only memblock filled: what the allocator reads. */
static void
input_with(struct tdxsim_host_input *in, const struct tdxsim_tmb *blocks,
	   size_t n)
{
	memset(in, 0, sizeof(*in));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(tdxsim_tmb_list_add(&in->memblock, blocks[i].start,
						     blocks[i].end, blocks[i].nid), 0);
}

static int
alloc(const struct tdxsim_tmb *blocks, size_t n, unsigned nid, uint64_t bytes,
      const struct tdxsim_rangeset *taken, uint64_t *base)
{
	struct tdxsim_host_input in;
	struct tdxsim_rangeset none;
	int ret;

	tdxsim_rangeset_init(&none);
	input_with(&in, blocks, n);
	*base = 0;
	ret = tdxsim_pamt_alloc_kernel(&in, nid, bytes, taken ? taken : &none, base);
	tdxsim_tmb_list_fini(&in.memblock);
	tdxsim_rangeset_fini(&none);
	return ret;
}

/* Node 1's region starts one byte past a page: the first candidate is
 * below it, the next grid point inside it. Used to hang. */
static void
test_unaligned_region_ends(void **state)
{
	static const struct tdxsim_tmb blocks[] = {
		{ 4 * G, 6 * G, 0 },
		{ 6 * G + 1, 10 * G, 1 },
	};
	uint64_t base;

	(void)state;
	assert_int_equal(alloc(blocks, 2, 1, 16 * M, NULL, &base), 0);
	assert_int_equal(base, 6 * G + 16 * M);
	/* Nothing of node 1 fits: refused, not a hang. */
	assert_int_equal(alloc(blocks, 2, 1, 8 * G, NULL, &base), -ENOMEM);
}

/* A chunk exactly as big as the node's only region fits; a page more
 * does not. */
static void
test_exact_fit_at_node_end(void **state)
{
	static const struct tdxsim_tmb blocks[] = { { 4 * G, 4 * G + 16 * M, 0 } };
	uint64_t base;

	(void)state;
	assert_int_equal(alloc(blocks, 1, 0, 16 * M, NULL, &base), 0);
	assert_int_equal(base, 4 * G);
	assert_int_equal(alloc(blocks, 1, 0, 16 * M + 4096, NULL, &base), -ENOMEM);
}

/* The candidate grid is ALIGN(start, nr) with the kernel's mask ALIGN: a
 * region ending mid-candidate is skipped to the next region's grid point. */
static void
test_candidate_grid(void **state)
{
	static const struct tdxsim_tmb blocks[] = {
		{ 4 * G, 4 * G + 12 * M, 0 },	/* too short for 16 MiB */
		{ 4 * G + 20 * M, 5 * G, 0 },
	};
	uint64_t base;

	(void)state;
	assert_int_equal(alloc(blocks, 2, 0, 16 * M, NULL, &base), 0);
	assert_int_equal(base, 4 * G + 32 * M);
}

/* A taken candidate moves the chunk one step up. */
static void
test_taken_candidate(void **state)
{
	static const struct tdxsim_tmb blocks[] = { { 4 * G, 5 * G, 0 } };
	struct tdxsim_rangeset taken;
	uint64_t base;

	(void)state;
	tdxsim_rangeset_init(&taken);
	assert_int_equal(tdxsim_rangeset_add(&taken, (struct tdxsim_range){
		4 * G, 4 * G + 4096 }), 0);
	assert_int_equal(alloc(blocks, 1, 0, 16 * M, &taken, &base), 0);
	assert_int_equal(base, 4 * G + 16 * M);
	tdxsim_rangeset_fini(&taken);
}

/* ZONE_NORMAL before ZONE_DMA32: a node spanning 4 GiB gets its chunk
 * above it. */
static void
test_normal_zone_first(void **state)
{
	static const struct tdxsim_tmb blocks[] = { { 1 * M, 8 * G, 0 } };
	uint64_t base;

	(void)state;
	assert_int_equal(alloc(blocks, 1, 0, 16 * M, NULL, &base), 0);
	assert_int_equal(base, 4 * G);
}

/* Sizes below a page are no allocation (the caller rounds PAMTs up to
 * 4 KiB, tdmr_get_pamt_sz()); a size with a partial page counts its
 * whole pages. */
static void
test_unaligned_sizes(void **state)
{
	static const struct tdxsim_tmb blocks[] = { { 4 * G, 5 * G, 0 } };
	uint64_t base;

	(void)state;
	assert_int_equal(alloc(blocks, 1, 0, 2048, NULL, &base), -ENOMEM);
	assert_int_equal(alloc(blocks, 1, 0, 3 * 4096 + 100, NULL, &base), 0);
	assert_int_equal(base, 4 * G);
}

/* The reproducer through the public API: a platform built by hand
 * (never validated) with an unaligned node range runs to an outcome. */
static void
test_unaligned_node_whole_run(void **state)
{
	char *path = tdxsim_test_source_path("fixtures/platforms/emr-canonical-tdx-135.yaml");
	struct tdxsim_platform *p = tdxsim_test_load_file_clean(path);
	struct tdxsim_platform *q = tdxsim_platform_new();
	struct tdxsim_host_run *run = NULL;
	struct tdxsim_diag *diag = tdxsim_diag_new();

	(void)state;
	assert_non_null(q);
	for (size_t i = 0; i < tdxsim_platform_e820_count(p); i++) {
		const struct tdxsim_e820_entry *e = tdxsim_platform_e820_entry(p, i);

		assert_int_equal(tdxsim_platform_add_e820(q, e->start, e->end, e->type), 0);
	}
	for (size_t i = 0; i < tdxsim_platform_cmr_count(p); i++) {
		const struct tdxsim_cmr *c = tdxsim_platform_cmr(p, i);

		assert_int_equal(tdxsim_platform_add_cmr(q, c->base, c->size), 0);
	}
	assert_int_equal(tdxsim_platform_add_node_range(q, 0, 0x100000, 0x80000000), 0);
	assert_int_equal(tdxsim_platform_add_node_range(q, 0, 0x100000000, 0x180000000), 0);
	assert_int_equal(tdxsim_platform_add_node_range(q, 1, 0x180000001, 0x280000000), 0);
	assert_int_equal(tdxsim_host_run(q, TDXSIM_STRATEGY_LINUX, TDXSIM_HOST_INIT, &run), 0);
	assert_non_null(run);
	/* The validator refuses what the run tolerated. */
	assert_int_equal(tdxsim_platform_validate(q, diag), -EINVAL);
	assert_true(tdxsim_test_diag_has(diag, "<platform>: node 1 range [0x180000001, 0x280000000) is not 4 KiB aligned (the kernel prints node ranges from page frame numbers)"));
	tdxsim_diag_free(diag);
	tdxsim_host_run_free(run);
	tdxsim_platform_free(q);
	tdxsim_platform_free(p);
	free(path);
}

/* The public tdxsim_pamt_level_size(): the kernel's tdmr_get_pamt_sz() per
 * level, and its refusals. */
static void
test_public_level_size(void **state)
{
	static const uint64_t gib[] = { 2, 62, 64, 64, 64 };	/* EMR's TDMRs */
	struct tdxsim_module_profile prof;
	uint64_t size, total = 0;

	(void)state;
	tdxsim_module_profile_init(&prof);
	assert_int_equal(tdxsim_pamt_level_size(&prof, TDXSIM_PAMT_4K, 2 * SZ_1G, &size), 0);
	assert_int_equal(size, 8ULL << 20);
	assert_int_equal(tdxsim_pamt_level_size(&prof, TDXSIM_PAMT_2M, 2 * SZ_1G, &size), 0);
	assert_int_equal(size, 16ULL << 10);
	assert_int_equal(tdxsim_pamt_level_size(&prof, TDXSIM_PAMT_1G, 2 * SZ_1G, &size), 0);
	assert_int_equal(size, 4096);	/* 32 bytes, rounded up to 4 KiB */
	/* The canonical/tdx README's "1050644 KB allocated for PAMT". */
	for (size_t i = 0; i < sizeof(gib) / sizeof(gib[0]); i++) {
		for (int level = TDXSIM_PAMT_4K; level <= TDXSIM_PAMT_1G; level++) {
			assert_int_equal(tdxsim_pamt_level_size(&prof, (enum tdxsim_pamt_level)level,
								gib[i] * SZ_1G, &size), 0);
			assert_int_equal(size, tdxsim_pamt_size(gib[i] * SZ_1G,
								(enum tdxsim_pamt_level)level, 16));
			total += size;
		}
	}
	assert_int_equal(total / 1024, 1050644);
	/* The profile's entry size counts. */
	prof.pamt_entry_size[TDXSIM_PAMT_4K] = 32;
	assert_int_equal(tdxsim_pamt_level_size(&prof, TDXSIM_PAMT_4K, SZ_1G, &size), 0);
	assert_int_equal(size, 8ULL << 20);
	/* Refused: no level 3, a size that is no TDMR's, too big, NULLs. */
	size = 7;
	assert_int_equal(tdxsim_pamt_level_size(&prof, (enum tdxsim_pamt_level)3, SZ_1G, &size), -EINVAL);
	assert_int_equal(tdxsim_pamt_level_size(&prof, TDXSIM_PAMT_4K, SZ_1G + SZ_4K, &size), -EINVAL);
	prof.pamt_entry_size[TDXSIM_PAMT_4K] = 65535;
	assert_int_equal(tdxsim_pamt_level_size(&prof, TDXSIM_PAMT_4K, UINT64_MAX & ~(SZ_1G - 1), &size),
			 -ERANGE);
	assert_int_equal(size, 7);	/* untouched on failure */
	assert_int_equal(tdxsim_pamt_level_size(NULL, TDXSIM_PAMT_4K, SZ_1G, &size), -EINVAL);
	assert_int_equal(tdxsim_pamt_level_size(&prof, TDXSIM_PAMT_4K, SZ_1G, NULL), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unaligned_region_ends),
		cmocka_unit_test(test_exact_fit_at_node_end),
		cmocka_unit_test(test_candidate_grid),
		cmocka_unit_test(test_taken_candidate),
		cmocka_unit_test(test_normal_zone_first),
		cmocka_unit_test(test_unaligned_sizes),
		cmocka_unit_test(test_unaligned_node_whole_run),
		cmocka_unit_test(test_public_level_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
