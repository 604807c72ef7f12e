/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of tdxsim's TDMR packer (lib/host/packer.c, docs/host.md
 * "The tdxsim packer"). Inputs are built by hand (memory blocks, CMRs,
 * limits); every layout the packer produces is handed to the simulated
 * module's TDH.SYS.CONFIG (tdxsim_host_verdict()) and must get
 * TDX_SUCCESS, and is also checked here against the packer's own promises
 * (all memory usable, PAMT sizes, slot counts). A randomized test compares
 * the packer with an exhaustive search over every set of TDMRs on small
 * platforms.
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

#include "host-private.h"
#include "range.h"
#include "test-common.h"

#define KIB (1ULL << 10)
#define MIB (1ULL << 20)
#define GIB (1ULL << 30)

/* A platform (for the module) and the packer's input built from it. */
struct bench {
	struct tdxsim_platform *platform;
	struct tdxsim_cmr cmrs[64];
	struct tdxsim_host_input in;
};

static void
bench_init(struct bench *b, unsigned max_tdmrs, unsigned max_reserved,
	   bool module_1_0)
{
	struct tdxsim_module_profile prof;

	memset(b, 0, sizeof(*b));
	b->platform = tdxsim_platform_new();
	assert_non_null(b->platform);
	tdxsim_module_profile_init(&prof);
	prof.max_tdmrs = max_tdmrs;
	prof.max_reserved_per_tdmr = max_reserved;
	if (module_1_0) {
		prof.major = 1;
		prof.minor = 0;
	}
	tdxsim_platform_set_module_profile(b->platform, &prof);
	b->in.platform = b->platform;
	b->in.max_tdmrs = max_tdmrs;
	b->in.max_reserved = max_reserved;
	for (unsigned l = 0; l < 3; l++)
		b->in.pamt_entry_size[l] = 16;
	b->in.cmrs = b->cmrs;
}

static void
bench_fini(struct bench *b)
{
	tdxsim_tmb_list_fini(&b->in.memlist);
	tdxsim_platform_free(b->platform);
}

static void
add_cmr(struct bench *b, uint64_t start, uint64_t end)
{
	assert_true(b->in.cmr_count < 64);
	b->cmrs[b->in.cmr_count++] = (struct tdxsim_cmr){ start, end - start };
	assert_int_equal(tdxsim_platform_add_cmr(b->platform, start, end - start), 0);
}

static void
add_ram(struct bench *b, uint64_t start, uint64_t end, unsigned nid)
{
	assert_int_equal(tdxsim_tmb_list_add(&b->in.memlist, start, end, nid), 0);
}

static struct tdxsim_host_run *
pack(struct bench *b)
{
	struct tdxsim_host_run *run = calloc(1, sizeof(*run));

	assert_non_null(run);
	run->layout = tdxsim_layout_new();
	assert_non_null(run->layout);
	assert_int_equal(tdxsim_construct_tdxsim(&b->in, run), 0);
	assert_false(run->oom);
	return run;
}

/* PAMT of a TDMR of s GiB with 16-byte entries (Linux tdx.c
 * tdmr_get_pamt_sz()). */
static uint64_t
pamt_kib(uint64_t s)
{
	return 4104 * s + 4 * ((16 * s + 4095) / 4096);
}

static void
print_run(const struct tdxsim_host_run *run)
{
	const struct tdxsim_layout *l = run->layout;

	for (size_t i = 0; i < run->line_count; i++)
		printf("  log: %s\n", run->lines[i]);
	for (size_t t = 0; t < tdxsim_layout_tdmr_count(l); t++) {
		const struct tdxsim_tdmr *d = tdxsim_layout_tdmr(l, t);

		printf("  TDMR %zu [0x%" PRIx64 ", 0x%" PRIx64 ") pamt 0x%" PRIx64 "\n",
		       t, d->base, d->base + d->size, d->pamt[0].base);
		for (size_t j = 0; j < d->reserved_count; j++)
			printf("    rsvd [0x%" PRIx64 ", 0x%" PRIx64 ") %d\n",
			       d->base + d->reserved[j].offset,
			       d->base + d->reserved[j].offset + d->reserved[j].size,
			       (int)tdxsim_host_rsvd_reason(run, t, j));
	}
}

/* Non-reserved TDMR bytes, and PAMT bytes, of a layout. */
static void
layout_sets(const struct tdxsim_layout *l, struct tdxsim_rangeset *avail,
	    struct tdxsim_rangeset *pamt)
{
	for (size_t t = 0; t < tdxsim_layout_tdmr_count(l); t++) {
		const struct tdxsim_tdmr *d = tdxsim_layout_tdmr(l, t);

		assert_int_equal(tdxsim_rangeset_add(avail, (struct tdxsim_range){ d->base, d->base + d->size }), 0);
		for (size_t j = 0; j < d->reserved_count; j++) {
			uint64_t s = d->base + d->reserved[j].offset;

			assert_int_equal(tdxsim_rangeset_subtract(avail, (struct tdxsim_range){ s, s + d->reserved[j].size }), 0);
		}
		for (unsigned k = 0; k < 3; k++)
			assert_int_equal(tdxsim_rangeset_add(pamt, (struct tdxsim_range){ d->pamt[k].base, d->pamt[k].base + d->pamt[k].size }), 0);
	}
}

/* Memory that is not PAMT is usable TDX memory; PAMTs are in memory. */
static void
assert_memory_usable(const struct bench *b, const struct tdxsim_layout *l)
{
	struct tdxsim_rangeset avail, pamt;

	tdxsim_rangeset_init(&avail);
	tdxsim_rangeset_init(&pamt);
	layout_sets(l, &avail, &pamt);
	for (size_t i = 0; i < b->in.memlist.count; i++) {
		struct tdxsim_rangeset m;

		tdxsim_rangeset_init(&m);
		assert_int_equal(tdxsim_rangeset_add(&m, (struct tdxsim_range){ b->in.memlist.blocks[i].start, b->in.memlist.blocks[i].end }), 0);
		assert_int_equal(tdxsim_rangeset_subtract_set(&m, &pamt), 0);
		for (size_t k = 0; k < m.count; k++)
			assert_true(tdxsim_rangeset_covers(&avail, m.ranges[k]));
		tdxsim_rangeset_fini(&m);
	}
	for (size_t k = 0; k < pamt.count; k++) {
		bool in_ram = false;

		for (size_t i = 0; i < b->in.memlist.count; i++)
			in_ram |= pamt.ranges[k].start >= b->in.memlist.blocks[i].start &&
				  pamt.ranges[k].start < b->in.memlist.blocks[i].end;
		assert_true(in_ram);
	}
	tdxsim_rangeset_fini(&avail);
	tdxsim_rangeset_fini(&pamt);
}

/* Sizes, slots and reasons are what the packer promises. */
static void
assert_layout_promises(const struct bench *b, const struct tdxsim_host_run *run)
{
	const struct tdxsim_layout *l = run->layout;
	uint64_t kib = 0;

	assert_true(tdxsim_layout_tdmr_count(l) <= b->in.max_tdmrs);
	for (size_t t = 0; t < tdxsim_layout_tdmr_count(l); t++) {
		const struct tdxsim_tdmr *d = tdxsim_layout_tdmr(l, t);

		kib += pamt_kib(d->size / GIB);
		assert_true(d->reserved_count <= b->in.max_reserved);
		/* 4K | 2M | 1G, contiguous, as Linux lays them out */
		assert_int_equal(d->pamt[1].base, d->pamt[0].base + d->pamt[0].size);
		assert_int_equal(d->pamt[2].base, d->pamt[1].base + d->pamt[1].size);
		for (size_t j = 0; j < d->reserved_count; j++) {
			enum tdxsim_rsvd_reason why = tdxsim_host_rsvd_reason(run, t, j);
			int owner = tdxsim_host_rsvd_pamt_owner(run, t, j);

			assert_true(why == TDXSIM_RSVD_HOLE ? owner == -1 : owner >= 0);
		}
	}
	assert_int_equal(tdxsim_host_run_pamt_kb(run), kib);
}

/* The packer succeeded and the module accepts its layout. */
static void
assert_accepted(const struct bench *b, const struct tdxsim_host_run *run)
{
	uint64_t status = ~0ULL;

	if (run->err != 0)
		print_run(run);
	assert_int_equal(run->err, 0);
	assert_int_equal(tdxsim_host_verdict(b->platform, run->layout, &status), 0);
	if (status != 0) {
		printf("module status 0x%016" PRIx64 "\n", status);
		print_run(run);
	}
	assert_int_equal(status, 0);
	assert_memory_usable(b, run->layout);
	assert_layout_promises(b, run);
}

static void
assert_tdmr(const struct tdxsim_host_run *run, size_t t, uint64_t start,
	    uint64_t end)
{
	const struct tdxsim_tdmr *d = tdxsim_layout_tdmr(run->layout, t);

	assert_non_null(d);
	assert_int_equal(d->base, start);
	assert_int_equal(d->base + d->size, end);
}

static void
assert_line(const struct tdxsim_host_run *run, const char *want)
{
	assert_int_equal(run->line_count, 1);
	assert_string_equal(run->lines[0], want);
}

/* ---- the EMR platform (canonical/tdx#135) -------------------------------- */

static const uint64_t emr_low[16][2] = {
	{ 0x100000, 0x5d169000 }, { 0x5d22b000, 0x5d3cf000 },
	{ 0x5d46a000, 0x5e5b3000 }, { 0x5e5c3000, 0x5e5d3000 },
	{ 0x5e5e5000, 0x5eb58000 }, { 0x61358000, 0x6172b000 },
	{ 0x61795000, 0x617ff000 }, { 0x61913000, 0x61999000 },
	{ 0x619e0000, 0x619e2000 }, { 0x619ea000, 0x61a27000 },
	{ 0x61baf000, 0x623c3000 }, { 0x62472000, 0x62824000 },
	{ 0x63a25000, 0x63d58000 }, { 0x64158000, 0x64159000 },
	{ 0x64195000, 0x6e9cf000 }, { 0x6f7ff000, 0x6f800000 },
};

static const uint64_t emr_high[4][2] = {
	{ 0x100000000, 0x107a000000 }, { 0x1080000000, 0x207c000000 },
	{ 0x2080000000, 0x307c000000 }, { 0x3080000000, 0x407c000000 },
};

static void
emr_bench(struct bench *b, unsigned max_reserved)
{
	bench_init(b, 64, max_reserved, false);
	add_cmr(b, 0x100000, 0x6f800000);
	for (size_t i = 0; i < 4; i++)
		add_cmr(b, emr_high[i][0], emr_high[i][1]);
	for (size_t i = 0; i < 16; i++)
		add_ram(b, emr_low[i][0], emr_low[i][1], 0);
	for (size_t i = 0; i < 4; i++)
		add_ram(b, emr_high[i][0], emr_high[i][1], 0);
}

/* Linux runs out of slots in [0, 2G) (17 holes); the packer needs two:
 * [0, 1M) and [0x6f800000, 2G), the only holes with bytes outside CMRs.
 * The high CMRs touch whole GiBs, so [4G, 258G) is one TDMR with the three
 * inter-CMR gaps reserved: 2 TDMRs, PAMT 8212 + 1042420 KB. */
static void
test_emr(void **state)
{
	struct bench b;
	struct tdxsim_host_run *run;
	const struct tdxsim_tdmr *d;

	(void)state;
	emr_bench(&b, 16);
	run = pack(&b);
	assert_accepted(&b, run);
	assert_int_equal(run->line_count, 0);
	assert_int_equal(tdxsim_layout_tdmr_count(run->layout), 2);
	assert_tdmr(run, 0, 0, 2 * GIB);
	assert_tdmr(run, 1, 4 * GIB, 258 * GIB);
	d = tdxsim_layout_tdmr(run->layout, 0);
	assert_int_equal(d->reserved_count, 2);
	/* every PAMT chains onto [0, 1M): one merged area */
	assert_int_equal(d->reserved[0].offset, 0);
	assert_int_equal(tdxsim_host_rsvd_reason(run, 0, 0), TDXSIM_RSVD_HOLE_AND_PAMT);
	assert_int_equal(tdxsim_host_rsvd_pamt_owner(run, 0, 0), 0);
	assert_int_equal(d->reserved[1].offset, 0x6f800000);
	assert_int_equal(d->reserved[1].size, 2 * GIB - 0x6f800000);
	assert_int_equal(tdxsim_host_rsvd_reason(run, 0, 1), TDXSIM_RSVD_HOLE);
	/* the three gaps between high CMRs and the tail [0x407c000000, 258G) */
	assert_int_equal(tdxsim_layout_tdmr(run->layout, 1)->reserved_count, 4);
	assert_int_equal(tdxsim_host_run_pamt_kb(run), pamt_kib(2) + pamt_kib(254));
	assert_int_equal(tdxsim_host_run_pamt_kb(run), 1050632);
	tdxsim_host_run_free(run);
	bench_fini(&b);
}

/* With only 2 slots per TDMR it still fits: PAMTs take no slot. */
static void
test_emr_two_slots(void **state)
{
	struct bench b;
	struct tdxsim_host_run *run;

	(void)state;
	emr_bench(&b, 2);
	run = pack(&b);
	assert_accepted(&b, run);
	assert_tdmr(run, 0, 0, 2 * GIB);
	tdxsim_host_run_free(run);
	bench_fini(&b);
}

/* Linux's EMR TDMRs, 2 + 62 + 64 + 64 + 64 GiB, as separate runs of
 * memory: 1050644 KB (the canonical/tdx README's figure). */
static void
test_pamt_total(void **state)
{
	static const uint64_t runs[5][2] = {
		{ 0, 2 }, { 4, 66 }, { 67, 131 }, { 132, 196 }, { 197, 261 },
	};
	struct bench b;
	struct tdxsim_host_run *run;

	(void)state;
	bench_init(&b, 64, 16, false);
	for (size_t i = 0; i < 5; i++) {
		add_cmr(&b, runs[i][0] * GIB + (i ? 0 : MIB), runs[i][1] * GIB);
		add_ram(&b, runs[i][0] * GIB + (i ? 0 : MIB), runs[i][1] * GIB, (unsigned)i / 3);
	}
	run = pack(&b);
	assert_accepted(&b, run);
	assert_int_equal(tdxsim_layout_tdmr_count(run->layout), 5);
	for (size_t i = 0; i < 5; i++)
		assert_tdmr(run, i, runs[i][0] * GIB, runs[i][1] * GIB);
	assert_int_equal(tdxsim_host_run_pamt_kb(run), 1050644);
	tdxsim_host_run_free(run);
	bench_fini(&b);
}

/* 100 holes inside the CMR: none needs a slot. [0, 1M) lies outside it
 * and the PAMT chains onto it: one area in all. */
static void
test_fine_holes_in_cmr(void **state)
{
	struct bench b;
	struct tdxsim_host_run *run;
	uint64_t at = MIB;

	(void)state;
	bench_init(&b, 64, 16, false);
	add_cmr(&b, MIB, 6 * GIB);
	for (unsigned i = 0; i < 100; i++) {
		add_ram(&b, at, at + 40 * MIB + i * 4 * KIB, i >= 50);
		at += 50 * MIB;
	}
	run = pack(&b);
	assert_accepted(&b, run);
	assert_int_equal(tdxsim_layout_tdmr_count(run->layout), 1);
	assert_tdmr(run, 0, 0, 5 * GIB);
	assert_int_equal(tdxsim_layout_tdmr(run->layout, 0)->reserved_count, 1);
	tdxsim_host_run_free(run);
	bench_fini(&b);
}

/* Block g gets gaps[g] holes outside CMRs, 1 MiB gaps between CMRs every
 * 32 MiB, memory all around them. */
static void
gapped_bench(struct bench *b, const unsigned *gaps, size_t blocks,
	     unsigned max_tdmrs, unsigned max_reserved)
{
	bench_init(b, max_tdmrs, max_reserved, false);
	for (size_t g = 0; g < blocks; g++) {
		uint64_t at = g * GIB;

		for (unsigned k = 0; k < gaps[g]; k++) {
			uint64_t gap = g * GIB + (k + 1) * 32 * MIB;

			add_cmr(b, at, gap);
			add_ram(b, at, gap, 0);
			at = gap + MIB;
		}
		add_cmr(b, at, (g + 1) * GIB);
		add_ram(b, at, (g + 1) * GIB, 0);
	}
}

/* Slots 4, holes per block 1 1 2 3 1 4: greedy takes [0,3G) (4 areas),
 * [3G,5G) (4), [5G,6G) (4) = 3 TDMRs, the minimum: no TDMR can hold
 * blocks 3 and 2 together with 1 (6 > 4), nor 5 with anything. */
static void
test_splits_at_gib(void **state)
{
	static const unsigned gaps[6] = { 1, 1, 2, 3, 1, 4 };
	struct bench b;
	struct tdxsim_host_run *run;

	(void)state;
	gapped_bench(&b, gaps, 6, 64, 4);
	run = pack(&b);
	assert_accepted(&b, run);
	assert_int_equal(tdxsim_layout_tdmr_count(run->layout), 3);
	assert_tdmr(run, 0, 0, 3 * GIB);
	assert_tdmr(run, 1, 3 * GIB, 5 * GIB);
	assert_tdmr(run, 2, 5 * GIB, 6 * GIB);
	for (size_t t = 0; t < 3; t++)
		assert_int_equal(tdxsim_layout_tdmr(run->layout, t)->reserved_count, 4);
	tdxsim_host_run_free(run);
	bench_fini(&b);
}

/* 17 CMR gaps separated by memory in one GiB: no TDMR can hold it. */
static void
test_block_too_holey(void **state)
{
	static const unsigned gaps[2] = { 3, 17 };
	struct bench b;
	struct tdxsim_host_run *run;

	(void)state;
	gapped_bench(&b, gaps, 2, 64, 16);
	run = pack(&b);
	assert_int_equal(run->err, -ENOSPC);
	assert_line(run, "virt/tdx: tdxsim packer: no TDMR can hold [0x40000000, 0x80000000): its holes outside CMRs need 17 reserved areas, the module allows 16");
	assert_int_equal(tdxsim_layout_tdmr_count(run->layout), 0);
	tdxsim_host_run_free(run);
	bench_fini(&b);
}

static void
test_ram_outside_cmrs(void **state)
{
	struct bench b;
	struct tdxsim_host_run *run;

	(void)state;
	bench_init(&b, 64, 16, false);
	add_cmr(&b, MIB, 2 * GIB);
	add_cmr(&b, 2 * GIB, 3 * GIB);	/* contiguous CMRs merge */
	add_ram(&b, MIB, 2 * GIB + 64 * MIB, 0);
	add_ram(&b, 4 * GIB, 5 * GIB, 0);
	run = pack(&b);
	assert_int_equal(run->err, -EINVAL);
	assert_line(run, "virt/tdx: tdxsim packer: memory region [0x100000000, 0x140000000) is not in any CMR");
	tdxsim_host_run_free(run);
	bench_fini(&b);
}

/* Runs at GiB 0, 2, 5 and 9 (gaps 1, 2, 3 GiB) with 3 TDMRs: the 1 GiB
 * gap is bridged; with 2, also the 2 GiB one; with 1, everything. */
static void
bridging_case(unsigned max_tdmrs, const uint64_t (*want)[2], size_t n)
{
	static const unsigned at[4] = { 0, 2, 5, 9 };
	struct bench b;
	struct tdxsim_host_run *run;

	bench_init(&b, max_tdmrs, 16, false);
	for (size_t i = 0; i < 4; i++) {
		add_cmr(&b, at[i] * GIB + MIB, (at[i] + 1) * GIB);
		add_ram(&b, at[i] * GIB + MIB, (at[i] + 1) * GIB, 0);
	}
	run = pack(&b);
	assert_accepted(&b, run);
	assert_int_equal(tdxsim_layout_tdmr_count(run->layout), n);
	for (size_t i = 0; i < n; i++)
		assert_tdmr(run, i, want[i][0] * GIB, want[i][1] * GIB);
	tdxsim_host_run_free(run);
	bench_fini(&b);
}

static void
test_bridging(void **state)
{
	static const uint64_t three[3][2] = { { 0, 3 }, { 5, 6 }, { 9, 10 } };
	static const uint64_t two[2][2] = { { 0, 6 }, { 9, 10 } };
	static const uint64_t one[1][2] = { { 0, 10 } };
	static const uint64_t four[4][2] = {
		{ 0, 1 }, { 2, 3 }, { 5, 6 }, { 9, 10 },
	};

	(void)state;
	bridging_case(4, four, 4);
	bridging_case(3, three, 3);
	bridging_case(2, two, 2);
	bridging_case(1, one, 1);
}

/* One slot per TDMR, memory in the middle of GiBs 0, 2 and 4: bridging
 * one gap leaves one hole outside CMRs per stretch, bridging both gives
 * two. So 2 TDMRs fit ([0,3G) and [4G,5G)), 1 does not. */
static void
bridge_one_slot(unsigned max_tdmrs, struct bench *b)
{
	bench_init(b, max_tdmrs, 1, false);
	for (unsigned g = 0; g < 6; g += 2) {
		add_cmr(b, g * GIB, (g + 1) * GIB);
		add_ram(b, g * GIB + 256 * MIB, g * GIB + 768 * MIB, 0);
	}
}

static void
test_bridging_impossible(void **state)
{
	struct bench b;
	struct tdxsim_host_run *run;

	(void)state;
	bridge_one_slot(2, &b);
	run = pack(&b);
	assert_accepted(&b, run);
	assert_int_equal(tdxsim_layout_tdmr_count(run->layout), 2);
	assert_tdmr(run, 0, 0, 3 * GIB);
	assert_tdmr(run, 1, 4 * GIB, 5 * GIB);
	tdxsim_host_run_free(run);
	bench_fini(&b);

	bridge_one_slot(1, &b);
	run = pack(&b);
	assert_int_equal(run->err, -ENOSPC);
	assert_line(run, "virt/tdx: tdxsim packer: memory needs 3 TDMRs, more than the module's 1, and no bridging of gaps fits");
	tdxsim_host_run_free(run);
	bench_fini(&b);
}

/* Block 0: CMRs [0,128M) [129M,256M) [257M,384M) [385M,1G-1M), so 3 gaps
 * and the tail [1G-1M, 1G) lie outside CMRs; block 1: CMRs [1G+1M,1.5G)
 * [1.5G+1M, 2G). Memory = CMRs. [0, 2G) would need 5 areas. */
static void
quirk_bench(struct bench *b, bool module_1_0)
{
	/* [0, 1G): 16 CMRs, each followed by a 1 MiB hole, the last hole
	 * ending at 1G; [1G, 2G): two CMRs as room for the PAMT. */
	bench_init(b, 64, 16, module_1_0);
	for (uint64_t k = 0; k < 16; k++) {
		add_cmr(b, k * 64 * MIB, (k + 1) * 64 * MIB - MIB);
		add_ram(b, k * 64 * MIB, (k + 1) * 64 * MIB - MIB, 0);
	}
	add_cmr(b, GIB + MIB, GIB + GIB / 2);
	add_ram(b, GIB + MIB, GIB + GIB / 2, 0);
	add_cmr(b, GIB + GIB / 2 + MIB, 2 * GIB);
	add_ram(b, GIB + GIB / 2 + MIB, 2 * GIB, 0);
}

/* Module 1.0 (its tdh_sys_config.c available-area walk): with all 16 slots used (the module
 * always reads 16, MAX_RESERVED_AREAS) and the last ending at the TDMR end
 * outside any CMR, TDH.SYS.CONFIG fails. [0, 1G) needs all 16 slots with
 * such a tail: fine for 1.5 (2 TDMRs), impossible for 1.0, whose module
 * indeed refuses the 1.5 layout. */
static void
test_module_1_0_tail(void **state)
{
	struct bench b, b10;
	struct tdxsim_host_run *run, *run10;
	uint64_t status = 0;

	(void)state;
	quirk_bench(&b, false);
	run = pack(&b);
	assert_accepted(&b, run);
	assert_int_equal(tdxsim_layout_tdmr_count(run->layout), 2);
	assert_int_equal(tdxsim_layout_tdmr(run->layout, 0)->reserved_count, 16);

	quirk_bench(&b10, true);
	run10 = pack(&b10);
	assert_int_equal(run10->err, -ENOSPC);
	assert_line(run10, "virt/tdx: tdxsim packer: no TDMR can hold [0x0, 0x40000000): its holes outside CMRs need 16 reserved areas, the module allows 15");
	assert_int_equal(tdxsim_host_verdict(b10.platform, run->layout, &status), 0);
	assert_int_equal(status & 0xFFFFFFFF00000000ULL, 0xC0000A0200000000ULL);
	tdxsim_host_run_free(run10);
	bench_fini(&b10);
	tdxsim_host_run_free(run);
	bench_fini(&b);
}

/* Input the packer refuses: no memory at all. */
static void
test_no_memory(void **state)
{
	struct bench b;
	struct tdxsim_host_run *run;

	(void)state;
	bench_init(&b, 64, 16, false);
	add_cmr(&b, 0, GIB);
	run = pack(&b);
	assert_int_equal(run->err, -EINVAL);
	assert_line(run, "virt/tdx: tdxsim packer: no TDX memory to cover");
	tdxsim_host_run_free(run);
	bench_fini(&b);
}

/* ---- PAMTs longer than any free stretch (docs/host.md, split phase) ------ */

/* 64 GiB in one CMR, RAM cut every 64 MiB by a 4 KiB reserved page inside
 * the CMR: no bad hole, but no free stretch over 64 MiB - 4 KiB, while one
 * TDMR's PAMT would be 256 MiB. */
static void
stretched_bench(struct bench *b, unsigned max_tdmrs)
{
	bench_init(b, max_tdmrs, 16, false);
	add_cmr(b, 0, 64 * GIB);
	for (uint64_t a = 0; a < 64 * GIB; a += 64 * MIB)
		add_ram(b, a + 4 * KIB, a + 64 * MIB, 0);
}

static void
test_pamt_forces_split(void **state)
{
	static const uint64_t want[5][2] = {
		{ 0, 15 }, { 15, 30 }, { 30, 45 }, { 45, 60 }, { 60, 64 },
	};
	struct bench b;
	struct tdxsim_host_run *run;

	(void)state;
	stretched_bench(&b, 64);
	run = pack(&b);
	assert_accepted(&b, run);
	/* 15 GiB is the largest TDMR whose 61564 KB PAMT fits in 65532 KB
	 * (16 GiB needs 65668 KB); greedy under that cap gives 5 TDMRs,
	 * the fewest any layout with TDMRs of at most 15 GiB can have. */
	assert_int_equal(tdxsim_layout_tdmr_count(run->layout), 5);
	for (size_t t = 0; t < 5; t++)
		assert_tdmr(run, t, want[t][0] * GIB, want[t][1] * GIB);
	assert_int_equal(run->line_count, 0);
	tdxsim_host_run_free(run);
	bench_fini(&b);
}

static void
test_pamt_split_impossible(void **state)
{
	struct bench b;
	struct tdxsim_host_run *run;

	(void)state;
	/* 4 TDMRs: their chunks lie in at most 4 stretches, 4 x 65532 KB,
	 * but 64 GiB need at least 262144 + 512 + 1 KB of PAMT. */
	stretched_bench(&b, 4);
	run = pack(&b);
	assert_int_equal(run->err, -ENOSPC);
	assert_line(run, "virt/tdx: tdxsim packer: no room for the PAMTs: 64 GiB of memory blocks need at least 262657 KB of PAMT, the 4 longest free memory stretches (one per TDMR at most) hold 262128 KB");
	tdxsim_host_run_free(run);
	bench_fini(&b);
}

/* ---- randomized: the module accepts, and infeasible means infeasible ---- */

#define SPACE_GIB 6

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint64_t
rnd(uint64_t *s, uint64_t n)
{
	return xorshift(s) % n;
}

/* A random 4 KiB-granular size: 4K .. 512M, mostly small or medium. */
static uint64_t
rnd_size(uint64_t *s)
{
	static const uint64_t scale[4] = { 16 * KIB, 4 * MIB, 64 * MIB, 512 * MIB };

	return (1 + rnd(s, scale[rnd(s, 4)] / (4 * KIB))) * 4 * KIB;
}

/* Disjoint sorted ranges in [lo, hi): alternately skipped and taken. */
static size_t
rnd_ranges(uint64_t *s, uint64_t lo, uint64_t hi, uint64_t (*out)[2],
	   size_t max)
{
	size_t n = 0;

	for (uint64_t at = lo + (rnd(s, 2) ? rnd_size(s) : 0); at < hi && n < max;) {
		uint64_t end = at + rnd_size(s) * (1 + rnd(s, 4));

		out[n][0] = at;
		out[n][1] = end < hi ? end : hi;
		n++;
		at = end + (rnd(s, 3) ? rnd_size(s) : rnd(s, 2) * GIB);
	}
	return n;
}

/* Areas TDMR [a, b) needs, counted afresh: runs of non-memory bytes with a
 * byte outside CMRs. */
static unsigned
brute_areas(const struct tdxsim_rangeset *ram, const struct tdxsim_rangeset *cmr,
	    uint64_t a, uint64_t b)
{
	struct tdxsim_rangeset holes;
	unsigned n = 0;

	tdxsim_rangeset_init(&holes);
	assert_int_equal(tdxsim_rangeset_add(&holes, (struct tdxsim_range){ a, b }), 0);
	assert_int_equal(tdxsim_rangeset_subtract_set(&holes, ram), 0);
	for (size_t i = 0; i < holes.count; i++)
		n += !tdxsim_rangeset_covers(cmr, holes.ranges[i]);
	tdxsim_rangeset_fini(&holes);
	return n;
}

struct brute {
	const struct tdxsim_rangeset *ram, *cmr;
	unsigned max_tdmrs, max_reserved;
	bool quirk;
	bool touched[SPACE_GIB + 3];
	unsigned fits[SPACE_GIB + 3][SPACE_GIB + 3];	/* [a][b), b <= SPACE_GIB + 2: 1 yes, 2 no */
	/* best (fewest PAMT KiB, then TDMRs) over every feasible layout */
	uint64_t best_kib;
	size_t best_tdmrs;
};

static bool
brute_fits(struct brute *br, unsigned a, unsigned b)
{
	if (!br->fits[a][b]) {
		unsigned cap = br->max_reserved;
		uint64_t e = b * GIB;

		if (br->quirk && !tdxsim_rangeset_contains(br->cmr, e - 1) &&
		    !tdxsim_rangeset_contains(br->cmr, e))
			cap = cap ? cap - 1 : 0;
		br->fits[a][b] = brute_areas(br->ram, br->cmr, a * GIB, e) <= cap ? 1 : 2;
	}
	return br->fits[a][b] == 1;
}

/* Every set of TDMRs over blocks g.. that covers each touched block:
 * block g is skipped (if untouched) or starts a TDMR of any length. */
static void
brute_search(struct brute *br, unsigned g, size_t tdmrs, uint64_t kib)
{
	if (tdmrs > br->max_tdmrs)
		return;
	if (g >= SPACE_GIB + 2) {
		if (tdmrs && (kib < br->best_kib ||
			      (kib == br->best_kib && tdmrs < br->best_tdmrs))) {
			br->best_kib = kib;
			br->best_tdmrs = tdmrs;
		}
		return;
	}
	if (!br->touched[g])
		brute_search(br, g + 1, tdmrs, kib);
	for (unsigned e = g + 1; e <= SPACE_GIB + 2; e++)
		if (brute_fits(br, g, e))
			brute_search(br, e, tdmrs + 1, kib + pamt_kib(e - g));
}

static void
brute_force(struct bench *b, struct brute *br, struct tdxsim_rangeset *ram,
	    struct tdxsim_rangeset *cmr)
{
	memset(br, 0, sizeof(*br));
	for (size_t i = 0; i < b->in.memlist.count; i++) {
		struct tdxsim_tmb *m = &b->in.memlist.blocks[i];

		assert_int_equal(tdxsim_rangeset_add(ram, (struct tdxsim_range){ m->start, m->end }), 0);
		for (uint64_t g = m->start / GIB; g * GIB < m->end; g++)
			br->touched[g] = true;
	}
	for (size_t i = 0; i < b->in.cmr_count; i++)
		assert_int_equal(tdxsim_rangeset_add(cmr, (struct tdxsim_range){ b->cmrs[i].base, b->cmrs[i].base + b->cmrs[i].size }), 0);
	br->ram = ram;
	br->cmr = cmr;
	br->max_tdmrs = b->in.max_tdmrs;
	br->max_reserved = b->in.max_reserved;
	br->quirk = tdxsim_platform_module_profile(b->platform)->minor == 0;
	br->best_kib = UINT64_MAX;
	brute_search(br, 0, 0, 0);
}

struct tally {
	unsigned ok, optimal, enospc_partition, enospc_pamt, einval;
};

static void
random_bench(struct bench *b, uint64_t *s)
{
	uint64_t cmr[16][2], ram[16][2];
	size_t nc, nr;

	bench_init(b, 1 + (unsigned)rnd(s, 4), 1 + (unsigned)rnd(s, 8), rnd(s, 5) == 0);
	nc = rnd_ranges(s, 0, SPACE_GIB * GIB, cmr, 16);
	for (size_t i = 0; i < nc; i++)
		add_cmr(b, cmr[i][0], cmr[i][1]);
	/* memory: inside the CMRs, mostly; sometimes anywhere */
	if (rnd(s, 10) == 0) {
		nr = rnd_ranges(s, 0, SPACE_GIB * GIB, ram, 16);
		for (size_t i = 0; i < nr; i++)
			add_ram(b, ram[i][0], ram[i][1], (unsigned)rnd(s, 2));
		return;
	}
	for (size_t i = 0; i < nc; i++) {
		nr = rnd_ranges(s, cmr[i][0], cmr[i][1], ram, 16 / (nc ? nc : 1) + 1);
		for (size_t k = 0; k < nr; k++)
			add_ram(b, ram[k][0], ram[k][1], (unsigned)rnd(s, 2));
	}
}

static bool
ram_in_cmrs(const struct tdxsim_rangeset *ram, const struct tdxsim_rangeset *cmr)
{
	for (size_t i = 0; i < ram->count; i++)
		if (!tdxsim_rangeset_covers(cmr, ram->ranges[i]))
			return false;
	return true;
}

static void
judge_random(struct bench *b, struct tdxsim_host_run *run, struct tally *t)
{
	struct tdxsim_rangeset ram, cmr;
	struct brute br;

	tdxsim_rangeset_init(&ram);
	tdxsim_rangeset_init(&cmr);
	brute_force(b, &br, &ram, &cmr);
	if (!ram_in_cmrs(&ram, &cmr) || ram.count == 0) {
		assert_int_equal(run->err, -EINVAL);
		t->einval++;
	} else if (run->err == 0) {
		assert_accepted(b, run);
		t->ok++;
		/* The search ignores where PAMTs go, so it is a lower bound
		 * the packer never beats; count how often it reaches it. */
		assert_true(run->pamt_bytes / KIB >= br.best_kib);
		if (run->pamt_bytes / KIB == br.best_kib &&
		    tdxsim_layout_tdmr_count(run->layout) == br.best_tdmrs)
			t->optimal++;
		else if (getenv("TDXSIM_TEST_VERBOSE")) {
			printf("not optimal: search %" PRIu64 " KiB %zu TDMRs, quirk %d, max %u/%u\n",
			       br.best_kib, br.best_tdmrs, (int)br.quirk, b->in.max_tdmrs, b->in.max_reserved);
			for (size_t i = 0; i < b->in.cmr_count; i++)
				printf("  cmr [0x%" PRIx64 ", 0x%" PRIx64 ")\n", b->cmrs[i].base, b->cmrs[i].base + b->cmrs[i].size);
			for (size_t i = 0; i < b->in.memlist.count; i++)
				printf("  ram [0x%" PRIx64 ", 0x%" PRIx64 ") %u\n", b->in.memlist.blocks[i].start, b->in.memlist.blocks[i].end, b->in.memlist.blocks[i].nid);
			print_run(run);
		}
	} else {
		assert_int_equal(run->err, -ENOSPC);
		assert_int_equal(run->line_count, 1);
		if (strstr(run->lines[0], "PAMT")) {
			t->enospc_pamt++;
		} else {
			/* no partition at all: the search agrees */
			if (br.best_kib != UINT64_MAX)
				print_run(run);
			assert_true(br.best_kib == UINT64_MAX);
			t->enospc_partition++;
		}
	}
	tdxsim_rangeset_fini(&ram);
	tdxsim_rangeset_fini(&cmr);
}

static void
test_random(void **state)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	struct tally t = { 0 };

	(void)state;
	for (unsigned i = 0; i < 1500; i++) {
		struct bench b;
		struct tdxsim_host_run *run;

		random_bench(&b, &seed);
		run = pack(&b);
		judge_random(&b, run, &t);
		tdxsim_host_run_free(run);
		bench_fini(&b);
	}
	printf("random: %u ok (%u reaching the PAMT-blind search's bound), %u no partition, %u no PAMT room, %u not in CMRs\n",
	       t.ok, t.optimal, t.enospc_partition, t.enospc_pamt, t.einval);
	assert_true(t.ok > 100 && t.enospc_partition > 20 && t.einval > 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emr),
		cmocka_unit_test(test_emr_two_slots),
		cmocka_unit_test(test_pamt_total),
		cmocka_unit_test(test_fine_holes_in_cmr),
		cmocka_unit_test(test_splits_at_gib),
		cmocka_unit_test(test_block_too_holey),
		cmocka_unit_test(test_ram_outside_cmrs),
		cmocka_unit_test(test_bridging),
		cmocka_unit_test(test_bridging_impossible),
		cmocka_unit_test(test_module_1_0_tail),
		cmocka_unit_test(test_no_memory),
		cmocka_unit_test(test_pamt_forces_split),
		cmocka_unit_test(test_pamt_split_impossible),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
