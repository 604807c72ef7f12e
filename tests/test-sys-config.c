/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/module/sys-config.c: TDH.SYS.CONFIG's per-entry
 * checks, rule by rule (intel/tdx-module tdh_sys_config.c,
 * check_and_set_tdmrs() and its callees; rules T1..C2 of docs/module.md),
 * the order in which they run, is_area_in_cmr(), the available-area walk
 * with the 1.0 tail quirk, and TDMR_INFO decoding.
 *
 * Every expected status word is a hex literal worked out by hand:
 * code + i + (b1 << 8) + (b2 << 16), as api_error_with_multiple_info()
 * builds it (intel/tdx-module tdx_1.5 tdh_sys_config.c).
 *
 * The base layout follows the EMR machine of fixtures/platforms/
 * emr-canonical-tdx-135.yaml (CMRs [0x100000, 0x6f800000),
 * [0x100000000, 0x107a000000), [0x1080000000, 0x207c000000), ...):
 *   TDMR0 [0, 2G): reserved [0, 0x100000) and [0x6f800000, 2G) (non-CMR);
 *     PAMTs at 0x300000000, in CMR1 and outside every TDMR.
 *   TDMR1 [4G, 8G): reserved [0x1f0000000, 8G), which holds its own PAMTs.
 *   TDMR2 [64G, 65G) when a third entry is needed; PAMTs at 0x400000000.
 */
#include "config.h"

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

#include "sys-config.h"
#include "test-common.h"

#define KIB4 0x1000ULL
#define GIB (1ULL << 30)
/* Six KeyID bits: HKID bits are 51:46 (tdh_sys_config.c's KeyID checks). */
#define HKID_MASK 0x000FC00000000000ULL
#define HKID_BIT (1ULL << 46)
#define SLOTS 16

#define SUCCESS 0x0000000000000000ULL

/* The EMR machine's CMRs, as the module holds them: 32 slots, tail null. */
static const struct tdxsim_cmr emr_cmrs[32] = {
	{ 0x100000, 0x6f700000 },
	{ 0x100000000, 0xf7a000000 },
	{ 0x1080000000, 0xffc000000 },
	{ 0x2080000000, 0xffc000000 },
	{ 0x3080000000, 0xffc000000 },
};

/* ---- helpers ------------------------------------------------------------ */

static struct tdxsim_config_env
make_env(const struct tdxsim_cmr *cmrs, size_t count)
{
	struct tdxsim_config_env env = {
		.cmrs = cmrs,
		.cmr_count = count,
		.hkid_mask = HKID_MASK,
		.rsvd_slots = SLOTS,
		.quirk_1_0_tail_check = false,
	};

	return env;
}

static struct tdxsim_config_env
emr_env(void)
{
	return make_env(emr_cmrs, 32);
}

/* Minimum PAMTs for t (P5 rounded up to 4 KiB), back to back from at:
 * 4K, then 2M, then 1G. */
static void
set_pamts(struct tdxsim_tdmr_info *t, uint64_t at)
{
	t->pamt_base[TDXSIM_PAMT_4K] = at;
	t->pamt_size[TDXSIM_PAMT_4K] = t->size >> 8;
	at += t->size >> 8;
	t->pamt_base[TDXSIM_PAMT_2M] = at;
	t->pamt_size[TDXSIM_PAMT_2M] = t->size >> 17;
	at += t->size >> 17;
	t->pamt_base[TDXSIM_PAMT_1G] = at;
	t->pamt_size[TDXSIM_PAMT_1G] = ((t->size >> 26) + KIB4 - 1) & ~(KIB4 - 1);
}

static void
set_tdmr(struct tdxsim_tdmr_info *t, uint64_t base, uint64_t size)
{
	memset(t, 0, sizeof(*t));
	t->base = base;
	t->size = size;
}

static void
set_rsvd(struct tdxsim_tdmr_info *t, unsigned j, uint64_t off, uint64_t size)
{
	t->rsvd_offset[j] = off;
	t->rsvd_size[j] = size;
}

/* The valid two-TDMR layout described at the top; e[2] is left zero. */
static void
valid_layout(struct tdxsim_tdmr_info e[3])
{
	set_tdmr(&e[0], 0, 2 * GIB);
	set_rsvd(&e[0], 0, 0, 0x100000);
	set_rsvd(&e[0], 1, 0x6f800000, 0x10800000);
	set_pamts(&e[0], 0x300000000);
	set_tdmr(&e[1], 0x100000000, 4 * GIB);
	set_rsvd(&e[1], 0, 0xf0000000, 0x10000000);
	set_pamts(&e[1], 0x1f0000000);
	set_tdmr(&e[2], 0, 0);
}

/* The valid layout plus TDMR2 [64G, 65G), in CMR1, no reserved areas. */
static void
valid_layout3(struct tdxsim_tdmr_info e[3])
{
	valid_layout(e);
	set_tdmr(&e[2], 0x1000000000, GIB);
	set_pamts(&e[2], 0x400000000);
}

/* A TDMR that is reserved from end to end, so it needs no CMR, with its
 * minimum PAMTs at pamt_at. */
static void
lone_tdmr(struct tdxsim_tdmr_info *t, uint64_t base, uint64_t size,
	  uint64_t pamt_at)
{
	set_tdmr(t, base, size);
	set_rsvd(t, 0, 0, size);
	set_pamts(t, pamt_at);
}

/* Compare two status words; a failure names the caller's line and shows
 * both words in hex. */
static void
expect_status_at(uint64_t got, uint64_t want, const char *file, int line)
{
	if (got != want)
		print_message("status 0x%016" PRIx64 ", want 0x%016" PRIx64 "\n",
			      got, want);
	_assert_int_equal(got, want, file, line);
}

#define expect_status(got, want) \
	expect_status_at((got), (want), __FILE__, __LINE__)

/* Entries 0 .. n-2 pass (incremental validation); return entry n-1's status. */
static uint64_t
check_last(const struct tdxsim_config_env *env,
	   const struct tdxsim_tdmr_info *e, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		expect_status(tdxsim_sys_config_check_entry(env, e, i), SUCCESS);
	return tdxsim_sys_config_check_entry(env, e, n - 1);
}

/* Check n entries of e against the EMR CMRs; the last one must give want. */
static void
expect_emr(const struct tdxsim_tdmr_info *e, size_t n, uint64_t want)
{
	struct tdxsim_config_env env = emr_env();

	expect_status(check_last(&env, e, n), want);
}

/* ---- the base layouts --------------------------------------------------- */

static void
test_valid_layout(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	assert_int_equal(e[1].pamt_size[TDXSIM_PAMT_4K], 0x1000000);
	assert_int_equal(e[1].pamt_base[TDXSIM_PAMT_1G], 0x1f1008000);
	expect_emr(e, 2, SUCCESS);
	valid_layout3(e);
	expect_emr(e, 3, SUCCESS);
}

/* ---- T1..T6 ------------------------------------------------------------- */

static void
test_t1_overflow(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Pass: the largest TDMR of the layout ends well below 2^64. */
	expect_emr(e, 2, SUCCESS);
	/* Fail: base + size wraps (and would be a HKID address too, but T1
	 * runs first; the word is the same TDX_INVALID_TDMR + i). */
	e[1].base = 0xffffffffc0000000;
	e[1].size = 0x80000000;
	expect_emr(e, 2, 0xC0000A0000000001ULL);
}

static void
test_t2_order(void **state)
{
	struct tdxsim_tdmr_info v[3], e[2];

	(void)state;
	valid_layout(v);
	/* Pass: TDMR1 right after TDMR0, adjacent (also T3's edge). */
	e[0] = v[0];
	lone_tdmr(&e[1], 2 * GIB, GIB, 0x400000000);
	expect_emr(e, 2, SUCCESS);
	/* Fail: the two valid TDMRs swapped; each alone is fine. */
	e[0] = v[1];
	e[1] = v[0];
	expect_emr(e, 2, 0xC0000A0100000001ULL);
}

static void
test_t3_overlap(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Pass: base[1] == base[0] + size[0] (adjacency). */
	lone_tdmr(&e[1], 2 * GIB, 4 * GIB, 0x400000000);
	expect_emr(e, 2, SUCCESS);
	/* Fail: TDMR1 starts inside TDMR0 ([0, 2G)). */
	lone_tdmr(&e[1], GIB, 4 * GIB, 0x400000000);
	expect_emr(e, 2, 0xC0000A0100000001ULL);
}

static void
test_t4_alignment(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Pass: 1 GiB multiples of more than 1 GiB (2G, 4G). */
	expect_emr(e, 2, SUCCESS);
	e[1].base = 0x100200000;
	expect_emr(e, 2, 0xC0000A0000000001ULL);
	valid_layout(e);
	e[1].size = 0x100100000;
	expect_emr(e, 2, 0xC0000A0000000001ULL);
	valid_layout(e);
	e[1].size = 0;
	expect_emr(e, 2, 0xC0000A0000000001ULL);
	/* Entry 0 as well: detail 0. */
	valid_layout(e);
	e[0].size = GIB + KIB4;
	expect_emr(e, 1, 0xC0000A0000000000ULL);
}

static void
test_t5_base_pa(void **state)
{
	struct tdxsim_tdmr_info e[3];
	struct tdxsim_config_env env = emr_env();

	(void)state;
	valid_layout(e);
	/* Pass: the last 1 GiB below the HKID bits. */
	lone_tdmr(&e[1], HKID_BIT - GIB, GIB, 0x400000000);
	expect_emr(e, 2, SUCCESS);
	/* Fail: base has a HKID bit. */
	lone_tdmr(&e[1], HKID_BIT, GIB, 0x400000000);
	expect_emr(e, 2, 0xC0000A0000000001ULL);
	/* Fail: base >= 2^52 even without HKID bits. */
	env.hkid_mask = 0;
	lone_tdmr(&e[1], 1ULL << 52, GIB, 0x400000000);
	expect_status(check_last(&env, e, 2), 0xC0000A0000000001ULL);
}

static void
test_t6_end_pa(void **state)
{
	struct tdxsim_tdmr_info e[3];
	struct tdxsim_config_env env = emr_env();

	(void)state;
	valid_layout(e);
	/* Fail: base is clean but end = base + size - 1 has a HKID bit. */
	lone_tdmr(&e[1], HKID_BIT - GIB, 2 * GIB, 0x400000000);
	expect_emr(e, 2, 0xC0000A0000000001ULL);
	/* Without KeyID bits: end = 2^52 - 1 passes, 2^52 + 1G - 1 fails. */
	env.hkid_mask = 0;
	lone_tdmr(&e[1], (1ULL << 52) - GIB, GIB, 0x400000000);
	expect_status(check_last(&env, e, 2), SUCCESS);
	lone_tdmr(&e[1], (1ULL << 52) - GIB, 2 * GIB, 0x400000000);
	expect_status(check_last(&env, e, 2), 0xC0000A0000000001ULL);
}

/* ---- R1..R7 ------------------------------------------------------------- */

static void
test_r1_null_then_used(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Pass: a null slot's offset is never looked at. */
	set_rsvd(&e[1], 1, 0xdead000, 0);
	set_rsvd(&e[1], 15, 0x123, 0);
	expect_emr(e, 2, SUCCESS);
	/* Fail: slot 1 null, slot 2 used; the detail names the null slot. */
	set_rsvd(&e[1], 2, 0x1000, 0x1000);
	expect_emr(e, 2, 0xC0000A2100000101ULL);
	/* Slot 0 null in entry 0: every detail byte is 0. */
	valid_layout(e);
	set_rsvd(&e[0], 0, 0, 0);
	expect_emr(e, 1, 0xC0000A2100000000ULL);
}

static void
test_r2_offset_overflow(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	expect_emr(e, 2, SUCCESS);
	set_rsvd(&e[1], 1, 0xfffffffffffff000, 0x2000);
	expect_emr(e, 2, 0xC0000A2000000101ULL);
}

static void
test_r3_ascending(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Pass: three ascending areas. */
	set_rsvd(&e[1], 0, 0x10000000, 0x1000);
	set_rsvd(&e[1], 1, 0x20000000, 0x1000);
	set_rsvd(&e[1], 2, 0xf0000000, 0x10000000);
	expect_emr(e, 2, SUCCESS);
	/* Fail: slot 1 below slot 0. */
	set_rsvd(&e[1], 1, 0x0ffff000, 0x1000);
	expect_emr(e, 2, 0xC0000A2100000101ULL);
}

static void
test_r4_no_overlap(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Pass: back-to-back areas (adjacency is allowed). */
	set_rsvd(&e[1], 0, 0xe0000000, 0x1000);
	set_rsvd(&e[1], 1, 0xe0001000, 0x1000);
	set_rsvd(&e[1], 2, 0xf0000000, 0x10000000);
	expect_emr(e, 2, SUCCESS);
	/* Fail: slot 2 starts on slot 1's last page. */
	set_rsvd(&e[1], 1, 0xe0001000, 0x2000);
	set_rsvd(&e[1], 2, 0xe0002000, 0x1000);
	expect_emr(e, 2, 0xC0000A2100000201ULL);
}

static void
test_r5_alignment(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Pass: 4 KiB granularity, nothing coarser needed. */
	set_rsvd(&e[1], 0, 0xeffff000, 0x10001000);
	expect_emr(e, 2, SUCCESS);
	set_rsvd(&e[1], 0, 0xeffff800, 0x10000800);
	expect_emr(e, 2, 0xC0000A2000000001ULL);
	set_rsvd(&e[1], 0, 0xf0000000, 0x0ffff800);
	expect_emr(e, 2, 0xC0000A2000000001ULL);
}

static void
test_r6_address_overflow(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* base + offset wraps: 4G + 0xffffffff00000000 = 2^64. */
	set_rsvd(&e[1], 1, 0xffffffff00000000, 0x1000);
	expect_emr(e, 2, 0xC0000A2000000101ULL);
	/* base + offset fits, base + offset + size wraps. */
	set_rsvd(&e[1], 1, 0xfffffffefffff000, 0x1000);
	expect_emr(e, 2, 0xC0000A2000000101ULL);
}

static void
test_r7_contained(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Pass: the layout's slot 0 ends exactly at the TDMR end. */
	assert_int_equal(e[1].rsvd_offset[0] + e[1].rsvd_size[0], e[1].size);
	expect_emr(e, 2, SUCCESS);
	set_rsvd(&e[1], 0, 0xf0000000, 0x10001000);
	expect_emr(e, 2, 0xC0000A2000000001ULL);
}

/* ---- P1..P5 ------------------------------------------------------------- */

static void
test_p1_overflow(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	e[1].pamt_base[TDXSIM_PAMT_4K] = 0xfffffffffffff000;
	expect_emr(e, 2, 0xC0000A1000000001ULL);
}

static void
test_p2_alignment(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Pass: 4 KiB, not 2 MiB, alignment of a PAMT_2M base. */
	e[1].pamt_base[TDXSIM_PAMT_2M] = 0x1f1001000;
	e[1].pamt_base[TDXSIM_PAMT_1G] = 0x1f1009000;
	expect_emr(e, 2, SUCCESS);
	e[1].pamt_base[TDXSIM_PAMT_2M] = 0x1f1000800;
	expect_emr(e, 2, 0xC0000A1000000101ULL);
	valid_layout(e);
	e[1].pamt_size[TDXSIM_PAMT_2M] = 0x8800;
	expect_emr(e, 2, 0xC0000A1000000101ULL);
}

static void
test_p3_base_pa(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	e[1].pamt_base[TDXSIM_PAMT_1G] |= HKID_BIT;
	expect_emr(e, 2, 0xC0000A1000000201ULL);
}

static void
test_p4_end_pa(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Pass P4: [2^46 - 4K, 2^46) has no HKID bit; it then fails C1. */
	e[1].pamt_base[TDXSIM_PAMT_1G] = HKID_BIT - KIB4;
	expect_emr(e, 2, 0xC0000A1100000201ULL);
	/* Fail P4: one more page reaches the HKID bit. */
	e[1].pamt_size[TDXSIM_PAMT_1G] = 0x2000;
	expect_emr(e, 2, 0xC0000A1000000201ULL);
}

static void
test_p5_size(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Pass: exact minima 16M, 32K, and 64 B rounded up to 4K. */
	expect_emr(e, 2, SUCCESS);
	e[1].pamt_size[TDXSIM_PAMT_4K] = 0xfff000;
	expect_emr(e, 2, 0xC0000A1000000001ULL);
	valid_layout(e);
	e[1].pamt_size[TDXSIM_PAMT_2M] = 0x7000;
	expect_emr(e, 2, 0xC0000A1000000101ULL);
	valid_layout(e);
	e[1].pamt_size[TDXSIM_PAMT_1G] = 0;
	expect_emr(e, 2, 0xC0000A1000000201ULL);
}

/* ---- O1..O4 ------------------------------------------------------------- */

static void
test_o1_other_pamts(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout3(e);
	/* Pass: TDMR2's PAMTs start right where TDMR0's end. */
	set_pamts(&e[2], 0x300805000);
	expect_emr(e, 3, SUCCESS);
	/* Fail: TDMR2's PAMT_2M on TDMR1's PAMT_1G: (i=2, pt=2M, j=1). */
	valid_layout3(e);
	e[2].pamt_base[TDXSIM_PAMT_2M] = 0x1f1008000;
	expect_emr(e, 3, 0xC0000A1200010102ULL);
}

/* j is the outer loop: a 1G clash with entry 0 beats a 4K clash with
 * entry 1. Level-outer order would give (2, 4K, 1) instead. */
static void
test_o1_loop_order(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout3(e);
	e[2].pamt_base[TDXSIM_PAMT_4K] = 0x1f0000000;
	e[2].pamt_base[TDXSIM_PAMT_1G] = 0x300804000;
	expect_emr(e, 3, 0xC0000A1200000202ULL);
}

static void
test_o2_own_pamts(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* 4K and 2M share a page. */
	e[1].pamt_base[TDXSIM_PAMT_2M] = 0x1f0fff000;
	expect_emr(e, 2, 0xC0000A1200010001ULL);
	/* 4K and 1G. */
	valid_layout(e);
	e[1].pamt_base[TDXSIM_PAMT_1G] = 0x1f0000000;
	expect_emr(e, 2, 0xC0000A1200010001ULL);
	/* 2M and 1G: reported as the 2M level. */
	valid_layout(e);
	e[1].pamt_base[TDXSIM_PAMT_1G] = 0x1f1007000;
	expect_emr(e, 2, 0xC0000A1200010101ULL);
}

static void
test_o1_before_o2(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	e[1].pamt_base[TDXSIM_PAMT_1G] = 0x300804000;	/* on TDMR0's 1G */
	e[1].pamt_base[TDXSIM_PAMT_2M] = 0x1f0000000;	/* on its own 4K */
	expect_emr(e, 2, 0xC0000A1200000201ULL);
}

static void
test_o3_available(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Pass: TDMR1's PAMTs sit in its own reserved area (the layout). */
	expect_emr(e, 2, SUCCESS);
	/* Fail: TDMR1's PAMT_2M in TDMR0's available part (j = 0). */
	e[1].pamt_base[TDXSIM_PAMT_2M] = 0x10000000;
	expect_emr(e, 2, 0xC0000A1200000101ULL);
	/* Fail: TDMR1's PAMT_4K in its own available part (j = i = 1). */
	valid_layout(e);
	e[1].pamt_base[TDXSIM_PAMT_4K] = 0x180000000;
	expect_emr(e, 2, 0xC0000A1200010001ULL);
}

static void
test_o4_swapped(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Pass: TDMR0's PAMT_1G inside TDMR1's reserved area. */
	e[0].pamt_base[TDXSIM_PAMT_1G] = 0x1f1009000;
	expect_emr(e, 2, SUCCESS);
	/* Fail: TDMR0's PAMT_2M inside TDMR1's available part. Entry 0 alone
	 * passes; entry 1 reports (j=0, pt=2M, i=1). */
	valid_layout(e);
	e[0].pamt_base[TDXSIM_PAMT_2M] = 0x180000000;
	expect_emr(e, 2, 0xC0000A1200010100ULL);
}

/* O3 and O4 interleave per j: O3(j=0), O4(j=0), O3(j=1). */
static void
test_o3_o4_interleave(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	/* O3 at j=0 beats O4 at j=0. */
	valid_layout(e);
	e[1].pamt_base[TDXSIM_PAMT_2M] = 0x10000000;
	e[0].pamt_base[TDXSIM_PAMT_2M] = 0x180000000;
	expect_emr(e, 2, 0xC0000A1200000101ULL);
	/* O4 at j=0 beats O3 at j=1. */
	valid_layout(e);
	e[0].pamt_base[TDXSIM_PAMT_2M] = 0x180000000;
	e[1].pamt_base[TDXSIM_PAMT_4K] = 0x190000000;
	expect_emr(e, 2, 0xC0000A1200010100ULL);
}

/* ---- C1, C2 ------------------------------------------------------------- */

static void
test_c1_pamt_in_cmrs(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Pass: PAMT_4K ends exactly at CMR1's end (half-open). */
	e[1].pamt_base[TDXSIM_PAMT_4K] = 0x1079000000;
	expect_emr(e, 2, SUCCESS);
	/* Fail: one page later it reaches the gap before CMR2. */
	e[1].pamt_base[TDXSIM_PAMT_4K] = 0x1079001000;
	expect_emr(e, 2, 0xC0000A1100000001ULL);
	/* Two levels outside: 1G is reported first. */
	e[1].pamt_base[TDXSIM_PAMT_1G] = 0x107b000000;
	expect_emr(e, 2, 0xC0000A1100000201ULL);
}

/* A PAMT may span two contiguous CMRs, even with a null slot between. */
static void
test_c1_adjacent_cmrs(void **state)
{
	static const struct tdxsim_cmr split[8] = {
		{ 0x100000, 0x6f700000 },
		{ 0x100000000, 0x200000000 },
		{ 0x12345000, 0 },
		{ 0x300000000, 0xd7a000000 },
	};
	struct tdxsim_config_env env = make_env(split, 8);
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* TDMR0's PAMTs straddle 0x300000000, the seam of CMRs 1 and 3. */
	set_pamts(&e[0], 0x2ffffe000);
	expect_status(check_last(&env, e, 2), SUCCESS);
}

static void
test_c2_tdmr_in_cmrs(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Fail: [0x7f800000, 2G) of TDMR0 is neither reserved nor CMR. */
	set_rsvd(&e[0], 1, 0x6f800000, 0x10000000);
	expect_emr(e, 1, 0xC0000A0200000000ULL);
	/* Fail: TDMR2 [0x1040000000, 0x1080000000) crosses CMR1's end. */
	valid_layout3(e);
	e[2].base = 0x1040000000;
	expect_emr(e, 3, 0xC0000A0200000002ULL);
	/* Pass: reserve the non-CMR tail [0x107a000000, 0x1080000000). */
	set_rsvd(&e[2], 0, 0x3a000000, 0x6000000);
	expect_emr(e, 3, SUCCESS);
}

/* ---- order of checks ---------------------------------------------------- */

static void
test_order_t2_before_t4(void **state)
{
	struct tdxsim_tdmr_info v[3], e[2];

	(void)state;
	valid_layout(v);
	e[0] = v[1];
	lone_tdmr(&e[1], 0x40200000, GIB, 0x400000000);	/* unaligned, below */
	expect_emr(e, 2, 0xC0000A0100000001ULL);
}

static void
test_order_t_before_r(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	e[1].base = 0x100001000;
	set_rsvd(&e[1], 1, 0, 0);
	set_rsvd(&e[1], 2, 0x1000, 0x1000);
	expect_emr(e, 2, 0xC0000A0000000001ULL);
}

static void
test_order_r1_first_slot(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* Slot 3 is both after a null slot and unaligned: R1 at slot 2. */
	set_rsvd(&e[1], 0, 0xe0000000, 0x1000);
	set_rsvd(&e[1], 1, 0xf0000000, 0x10000000);
	set_rsvd(&e[1], 3, 0x123, 0x1);
	expect_emr(e, 2, 0xC0000A2100000201ULL);
}

static void
test_order_r_before_p(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	set_rsvd(&e[1], 0, 0xf0000000, 0xfffffffffffff000);	/* R2 */
	e[1].pamt_size[TDXSIM_PAMT_4K] = 0x1000;		/* P5 */
	expect_emr(e, 2, 0xC0000A2000000001ULL);
}

static void
test_order_p_levels(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	e[1].pamt_size[TDXSIM_PAMT_4K] = 0x1000;		/* P5, 4K */
	e[1].pamt_base[TDXSIM_PAMT_1G] = 0x1f1008800;		/* P2, 1G */
	expect_emr(e, 2, 0xC0000A1000000201ULL);
}

static void
test_order_o_before_c(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout(e);
	/* 4K and 2M on the same page of the CMR gap. */
	e[1].pamt_base[TDXSIM_PAMT_4K] = 0x107a000000;
	e[1].pamt_base[TDXSIM_PAMT_2M] = 0x107a000000;
	expect_emr(e, 2, 0xC0000A1200010001ULL);
}

static void
test_order_c1_before_c2(void **state)
{
	struct tdxsim_tdmr_info e[3];

	(void)state;
	valid_layout3(e);
	e[2].base = 0x1040000000;				/* C2 */
	e[2].pamt_base[TDXSIM_PAMT_2M] = 0x207c000000;		/* C1 */
	expect_emr(e, 3, 0xC0000A1100000102ULL);
}

/* ---- is_area_in_cmr ----------------------------------------------------- */

static void
test_area_in_cmrs(void **state)
{
	static const struct tdxsim_cmr cmrs[8] = {
		{ 0x9000, 0 },			/* null first, garbage base */
		{ 0x1000, 0x1000 },
		{ 0x7000, 0 },			/* null in the middle */
		{ 0x2000, 0x1000 },		/* merges with [0x1000, 0x2000) */
		{ 0x3000, 0x2000 },
		{ 0x6000, 0x2000 },		/* after the gap [0x5000, 0x6000) */
	};
	struct tdxsim_config_env env = make_env(cmrs, 8);

	(void)state;
	assert_true(tdxsim_area_in_cmrs(&env, 0x1000, 0x5000));
	assert_true(tdxsim_area_in_cmrs(&env, 0x1800, 0x2800));
	assert_true(tdxsim_area_in_cmrs(&env, 0x6000, 0x8000));
	assert_false(tdxsim_area_in_cmrs(&env, 0xfff, 0x2000));
	assert_false(tdxsim_area_in_cmrs(&env, 0x4000, 0x7000));
	assert_false(tdxsim_area_in_cmrs(&env, 0x6000, 0x8001));
	/* Empty areas: inside a run (ends included) or not. */
	assert_true(tdxsim_area_in_cmrs(&env, 0x5000, 0x5000));
	assert_false(tdxsim_area_in_cmrs(&env, 0x5800, 0x5800));
	/* Only the count given is looked at. */
	env.cmr_count = 3;
	assert_false(tdxsim_area_in_cmrs(&env, 0x1000, 0x3000));
	assert_true(tdxsim_area_in_cmrs(&env, 0x1000, 0x2000));
}

/* ---- the available-area walk (C2 and O3) -------------------------------- */

/* TDMR [1G, 2G) with the given reserved slots, PAMTs at 4G; CMRs: the
 * given ones, then [4G, 8G) for the PAMTs. Returns its status. */
static uint64_t
walk_status(const struct tdxsim_cmr *cmrs, size_t n,
	    const uint64_t (*slots)[2], size_t nslots, bool quirk)
{
	struct tdxsim_cmr all[8] = { { 0, 0 } };
	struct tdxsim_config_env env;
	struct tdxsim_tdmr_info t;

	assert_true(n < 8);
	memcpy(all, cmrs, n * sizeof(*cmrs));
	all[n].base = 0x100000000;
	all[n].size = 0x100000000;
	env = make_env(all, 8);
	env.quirk_1_0_tail_check = quirk;
	set_tdmr(&t, GIB, GIB);
	for (size_t j = 0; j < nslots; j++)
		set_rsvd(&t, (unsigned)j, slots[j][0], slots[j][1]);
	set_pamts(&t, 0x100000000);
	return tdxsim_sys_config_check_entry(&env, &t, 0);
}

static void
test_walk_area_at_start(void **state)
{
	static const struct tdxsim_cmr cmrs[] = { { 0x40001000, 0x3ffff000 } };
	static const uint64_t slots[][2] = { { 0, 0x1000 } };

	(void)state;
	expect_status(walk_status(cmrs, 1, slots, 1, false), SUCCESS);
	expect_status(walk_status(cmrs, 1, slots, 0, false),
		      0xC0000A0200000000ULL);
}

/* Back-to-back areas over a CMR gap: a walk that checked the empty area
 * between them would find it outside every CMR. */
static void
test_walk_back_to_back(void **state)
{
	static const struct tdxsim_cmr cmrs[] = {
		{ 0x40000000, 0x100000 },
		{ 0x40300000, 0x3fd00000 },
	};
	static const uint64_t adjacent[][2] = {
		{ 0x100000, 0x100000 }, { 0x200000, 0x100000 },
	};
	static const uint64_t hole[][2] = {
		{ 0x100000, 0x100000 }, { 0x201000, 0xff000 },
	};

	(void)state;
	expect_status(walk_status(cmrs, 2, adjacent, 2, false), SUCCESS);
	expect_status(walk_status(cmrs, 2, hole, 2, false),
		      0xC0000A0200000000ULL);
}

/* An area ending at the TDMR end: [end, end) is never checked. */
static void
test_walk_area_at_end(void **state)
{
	static const struct tdxsim_cmr cmrs[] = { { 0x40000000, 0x3ffff000 } };
	static const uint64_t slots[][2] = { { 0x3ffff000, 0x1000 } };

	(void)state;
	expect_status(walk_status(cmrs, 1, slots, 1, false), SUCCESS);
	expect_status(walk_status(cmrs, 1, slots, 1, true), SUCCESS);
	expect_status(walk_status(cmrs, 1, slots, 0, false),
		      0xC0000A0200000000ULL);
}

/* n back-to-back 4 KiB areas ending at the TDMR end. */
static void
fill_tail_slots(uint64_t (*slots)[2], size_t n)
{
	for (size_t j = 0; j < n; j++) {
		slots[j][0] = GIB - (n - j) * KIB4;
		slots[j][1] = KIB4;
	}
}

/* All 16 slots used, the last ending at the TDMR end, the TDMR end outside
 * every CMR: only the 1.0 module checks the empty tail and fails. */
static void
test_walk_all_slots_quirk(void **state)
{
	static const struct tdxsim_cmr short_cmr[] = { { 0x40000000, 0x3fff0000 } };
	static const struct tdxsim_cmr short15[] = { { 0x40000000, 0x3fff1000 } };
	static const struct tdxsim_cmr full_cmr[] = { { 0x40000000, 0x40000000 } };
	uint64_t slots[SLOTS][2];

	(void)state;
	fill_tail_slots(slots, SLOTS);
	expect_status(walk_status(short_cmr, 1, slots, SLOTS, false), SUCCESS);
	expect_status(walk_status(short_cmr, 1, slots, SLOTS, true),
		      0xC0000A0200000000ULL);
	/* The TDMR end inside a CMR run: [2G, 2G) passes in 1.0 too. */
	expect_status(walk_status(full_cmr, 1, slots, SLOTS, true), SUCCESS);
	/* 15 slots and a null one: the walk stops at the null slot, no tail
	 * check, so the quirk does not apply. */
	fill_tail_slots(slots, SLOTS - 1);
	expect_status(walk_status(short15, 1, slots, SLOTS - 1, true), SUCCESS);
}

/* All 16 slots used with room after the last one: the tail is checked. */
static void
test_walk_all_slots_tail(void **state)
{
	static const struct tdxsim_cmr short_cmr[] = { { 0x40000000, 0x3fff0000 } };
	static const struct tdxsim_cmr full_cmr[] = { { 0x40000000, 0x40000000 } };
	uint64_t slots[SLOTS][2];

	(void)state;
	for (size_t j = 0; j < SLOTS; j++) {
		slots[j][0] = 2 * j * KIB4;
		slots[j][1] = KIB4;
	}
	expect_status(walk_status(full_cmr, 1, slots, SLOTS, false), SUCCESS);
	expect_status(walk_status(full_cmr, 1, slots, SLOTS, true), SUCCESS);
	expect_status(walk_status(short_cmr, 1, slots, SLOTS, false),
		      0xC0000A0200000000ULL);
	expect_status(walk_status(short_cmr, 1, slots, SLOTS, true),
		      0xC0000A0200000000ULL);
}

/* O3's walk: PAMTs inside a reserved area at the TDMR start. */
static void
test_walk_pamt_in_start_area(void **state)
{
	static const struct tdxsim_cmr cmrs[1] = { { 0x40000000, 0x40000000 } };
	struct tdxsim_config_env env = make_env(cmrs, 1);
	struct tdxsim_tdmr_info t;

	(void)state;
	set_tdmr(&t, GIB, GIB);
	set_pamts(&t, GIB);			/* [1G, 1G + 0x403000) */
	set_rsvd(&t, 0, 0, 0x403000);
	expect_status(tdxsim_sys_config_check_entry(&env, &t, 0), SUCCESS);
	/* One page short: the PAMT_1G's page is available memory. */
	set_rsvd(&t, 0, 0, 0x402000);
	expect_status(tdxsim_sys_config_check_entry(&env, &t, 0),
		      0xC0000A1200000200ULL);
	/* All 16 slots, the PAMTs in the last, which ends at the TDMR end. */
	set_pamts(&t, 2 * GIB - 0x403000);
	for (unsigned j = 0; j < SLOTS; j++)
		set_rsvd(&t, j, 0x1000 * (2 * j), 0x1000);
	set_rsvd(&t, SLOTS - 1, GIB - 0x403000, 0x403000);
	expect_status(tdxsim_sys_config_check_entry(&env, &t, 0), SUCCESS);
}

/* The quirk is C2's only: O3's walk keeps the tail guard in 1.0, so a PAMT
 * running from the last reserved page over the TDMR end is no overlap
 * (an unguarded empty tail [2G, 2G) would "overlap" it by is_overlap()'s
 * formula). */
static void
test_walk_quirk_not_in_o3(void **state)
{
	static const struct tdxsim_cmr cmrs[1] = { { 0x40000000, 0x80000000 } };
	struct tdxsim_config_env env = make_env(cmrs, 1);
	struct tdxsim_tdmr_info t;

	(void)state;
	env.quirk_1_0_tail_check = true;
	set_tdmr(&t, GIB, GIB);
	for (unsigned j = 0; j < SLOTS; j++)
		set_rsvd(&t, j, 0x1000 * (2 * j), 0x1000);
	set_rsvd(&t, SLOTS - 1, GIB - KIB4, KIB4);
	set_pamts(&t, 2 * GIB - KIB4);		/* [2G - 4K, 2G + 0x402000) */
	expect_status(tdxsim_sys_config_check_entry(&env, &t, 0), SUCCESS);
}

/* ---- decoding ----------------------------------------------------------- */

/* Field values whose bytes are all distinct, written byte by byte. */
static void
put_le64(uint8_t *p, uint64_t v)
{
	for (unsigned k = 0; k < 8; k++)
		p[k] = (uint8_t)(v >> (8 * k));
}

static void
test_decode(void **state)
{
	static const uint8_t base_bytes[8] = {
		0x00, 0x00, 0x00, 0x40, 0x01, 0x00, 0x00, 0x00,
	};
	uint8_t buf[1 + 320];
	uint8_t *b = buf + 1;	/* deliberately misaligned */
	struct tdxsim_tdmr_info t;

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	memcpy(b + 0x00, base_bytes, 8);
	put_le64(b + 0x08, 0x0000000080000000);
	put_le64(b + 0x10, 0x1111111111111000);	/* PAMT_1G base */
	put_le64(b + 0x18, 0x0000000000001000);
	put_le64(b + 0x20, 0x2222222222222000);	/* PAMT_2M base */
	put_le64(b + 0x28, 0x0000000000004000);
	put_le64(b + 0x30, 0x3333333333333000);	/* PAMT_4K base */
	put_le64(b + 0x38, 0x0000000000800000);
	for (unsigned k = 0; k < 16; k++) {
		put_le64(b + 0x40 + 16 * k, 0x0102030405060708ULL + k);
		put_le64(b + 0x48 + 16 * k, 0x1000ULL * (k + 1));
	}
	memset(&t, 0xff, sizeof(t));
	tdxsim_tdmr_info_decode(b, 16, &t);
	assert_int_equal(t.base, 0x0000000140000000);
	assert_int_equal(t.size, 0x80000000);
	assert_int_equal(t.pamt_base[TDXSIM_PAMT_1G], 0x1111111111111000);
	assert_int_equal(t.pamt_size[TDXSIM_PAMT_1G], 0x1000);
	assert_int_equal(t.pamt_base[TDXSIM_PAMT_2M], 0x2222222222222000);
	assert_int_equal(t.pamt_size[TDXSIM_PAMT_2M], 0x4000);
	assert_int_equal(t.pamt_base[TDXSIM_PAMT_4K], 0x3333333333333000);
	assert_int_equal(t.pamt_size[TDXSIM_PAMT_4K], 0x800000);
	assert_int_equal(t.rsvd_offset[0], 0x0102030405060708);
	assert_int_equal(t.rsvd_size[0], 0x1000);
	assert_int_equal(t.rsvd_offset[15], 0x0102030405060717);
	assert_int_equal(t.rsvd_size[15], 0x10000);
	assert_int_equal(t.rsvd_offset[16], 0);
	assert_int_equal(t.rsvd_size[TDXSIM_MAX_RESERVED_SLOTS - 1], 0);
	/* Fewer slots: the rest are zero, whatever the buffer holds. */
	tdxsim_tdmr_info_decode(b, 2, &t);
	assert_int_equal(t.rsvd_offset[1], 0x0102030405060709);
	assert_int_equal(t.rsvd_size[1], 0x2000);
	assert_int_equal(t.rsvd_offset[2], 0);
	assert_int_equal(t.rsvd_size[2], 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_layout),
		cmocka_unit_test(test_t1_overflow),
		cmocka_unit_test(test_t2_order),
		cmocka_unit_test(test_t3_overlap),
		cmocka_unit_test(test_t4_alignment),
		cmocka_unit_test(test_t5_base_pa),
		cmocka_unit_test(test_t6_end_pa),
		cmocka_unit_test(test_r1_null_then_used),
		cmocka_unit_test(test_r2_offset_overflow),
		cmocka_unit_test(test_r3_ascending),
		cmocka_unit_test(test_r4_no_overlap),
		cmocka_unit_test(test_r5_alignment),
		cmocka_unit_test(test_r6_address_overflow),
		cmocka_unit_test(test_r7_contained),
		cmocka_unit_test(test_p1_overflow),
		cmocka_unit_test(test_p2_alignment),
		cmocka_unit_test(test_p3_base_pa),
		cmocka_unit_test(test_p4_end_pa),
		cmocka_unit_test(test_p5_size),
		cmocka_unit_test(test_o1_other_pamts),
		cmocka_unit_test(test_o1_loop_order),
		cmocka_unit_test(test_o2_own_pamts),
		cmocka_unit_test(test_o1_before_o2),
		cmocka_unit_test(test_o3_available),
		cmocka_unit_test(test_o4_swapped),
		cmocka_unit_test(test_o3_o4_interleave),
		cmocka_unit_test(test_c1_pamt_in_cmrs),
		cmocka_unit_test(test_c1_adjacent_cmrs),
		cmocka_unit_test(test_c2_tdmr_in_cmrs),
		cmocka_unit_test(test_order_t2_before_t4),
		cmocka_unit_test(test_order_t_before_r),
		cmocka_unit_test(test_order_r1_first_slot),
		cmocka_unit_test(test_order_r_before_p),
		cmocka_unit_test(test_order_p_levels),
		cmocka_unit_test(test_order_o_before_c),
		cmocka_unit_test(test_order_c1_before_c2),
		cmocka_unit_test(test_area_in_cmrs),
		cmocka_unit_test(test_walk_area_at_start),
		cmocka_unit_test(test_walk_back_to_back),
		cmocka_unit_test(test_walk_area_at_end),
		cmocka_unit_test(test_walk_all_slots_quirk),
		cmocka_unit_test(test_walk_all_slots_tail),
		cmocka_unit_test(test_walk_pamt_in_start_area),
		cmocka_unit_test(test_walk_quirk_not_in_o3),
		cmocka_unit_test(test_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
