/* SPDX-License-Identifier: MIT */
/*
 * Dynamic PAMT in the module (docs/module.md, "Dynamic PAMT"): TDH.SYS.CONFIG
 * with R8 bit 16 and the PAMT_4K bitmap, TDH.PHYMEM.PAMT.ADD and
 * TDH.PHYMEM.PAMT.REMOVE. Each rule has a passing and a failing case, with
 * exact status words (intel/tdx-module 2.0.08 tdh_phymem_pamt_add.c,
 * tdh_phymem_pamt_remove.c, tdh_sys_config.c).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tdxsim/tdxsim.h>

#include "module-private.h"
#include "test-common.h"

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define PA_ARRAY 0x80000ULL
#define PA_ENTRY 0x100000ULL
#define DPAMT_BIT (1ULL << 16)
#define KEYID 32
/* The bitmap of a 1 GiB TDMR: one bit per 4 KiB page. */
#define BITMAP_SIZE (GIB / 4096 / 8)

/* A range and PAMT pages, all in TDMR [0, 1G). */
#define RANGE (512 * MIB)
#define PAGE0 (256 * MIB)
#define PAGE1 (256 * MIB + 0x1000)

static struct tdxsim_module *
module_of(unsigned major, unsigned minor, unsigned update,
	  uint32_t keyid_start, uint32_t keyid_end)
{
	struct tdxsim_platform *p = tdxsim_platform_new();
	struct tdxsim_module_profile prof;
	struct tdxsim_module *m = NULL;

	assert_non_null(p);
	tdxsim_module_profile_init(&prof);
	prof.major = major;
	prof.minor = minor;
	prof.update = update;
	prof.keyid_start = keyid_start;
	prof.keyid_end = keyid_end;
	prof.nr_lps = 1;
	prof.nr_packages = 1;
	tdxsim_platform_set_module_profile(p, &prof);
	assert_int_equal(tdxsim_platform_add_cmr(p, 0, 4 * GIB), 0);
	assert_int_equal(tdxsim_module_new(p, NULL, &m), 0);
	tdxsim_platform_free(p);
	return m;
}

static uint64_t
call(struct tdxsim_module *m, uint64_t leaf, struct tdxsim_regs *r)
{
	r->rax = leaf;
	assert_int_equal(tdxsim_seamcall(m, 0, r), 0);
	return r->rax;
}

static void
put_u64(struct tdxsim_module *m, uint64_t pa, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	assert_int_equal(tdxsim_phys_write(m, pa, b, sizeof(b)), 0);
}

/* SYS.INIT, LP.INIT, and one TDMR [0, 1G) whose PAMTs lie in reserved
 * area [0, 8M), with a PAMT_4K area of pamt_4k bytes; then SYS.CONFIG
 * with r8. Returns RAX of SYS.CONFIG. */
static uint64_t
configure(struct tdxsim_module *m, uint64_t pamt_4k, uint64_t r8)
{
	struct tdxsim_regs r = { 0 };

	if (tdxsim_module_state(m) == TDXSIM_MODULE_SYSINIT_PENDING) {
		assert_int_equal(call(m, TDXSIM_TDH_SYS_INIT, &r), 0);
		r = (struct tdxsim_regs){ 0 };
		assert_int_equal(call(m, TDXSIM_TDH_SYS_LP_INIT, &r), 0);
	}
	put_u64(m, PA_ARRAY, PA_ENTRY);
	put_u64(m, PA_ENTRY + 0x00, 0);
	put_u64(m, PA_ENTRY + 0x08, GIB);
	put_u64(m, PA_ENTRY + 0x10, 0x7FF000);		/* 1G level */
	put_u64(m, PA_ENTRY + 0x18, 0x1000);
	put_u64(m, PA_ENTRY + 0x20, 0x7F0000);		/* 2M level */
	put_u64(m, PA_ENTRY + 0x28, 0x2000);
	put_u64(m, PA_ENTRY + 0x30, 0x200000);		/* 4K level */
	put_u64(m, PA_ENTRY + 0x38, pamt_4k);
	put_u64(m, PA_ENTRY + 0x40, 0);
	put_u64(m, PA_ENTRY + 0x48, 8 * MIB);
	r = (struct tdxsim_regs){ .rcx = PA_ARRAY, .rdx = 1, .r8 = r8 };
	return call(m, TDXSIM_TDH_SYS_CONFIG, &r);
}

static void
key_config(struct tdxsim_module *m)
{
	struct tdxsim_regs r = { 0 };

	assert_int_equal(call(m, TDXSIM_TDH_SYS_KEY_CONFIG, &r), 0);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_READY);
}

static void
tdmr_init_all(struct tdxsim_module *m)
{
	struct tdxsim_regs r;

	do {
		r = (struct tdxsim_regs){ .rcx = 0 };
		assert_int_equal(call(m, TDXSIM_TDH_SYS_TDMR_INIT, &r), 0);
	} while (r.rdx < GIB);
}

/* A 2.0.08 module in READY with Dynamic PAMT and its TDMR initialised. */
static struct tdxsim_module *
dpamt_module(void)
{
	struct tdxsim_module *m = module_of(2, 0, 8, 32, 64);

	assert_int_equal(configure(m, BITMAP_SIZE, KEYID | DPAMT_BIT), 0);
	key_config(m);
	tdmr_init_all(m);
	return m;
}

static uint64_t
pamt_add(struct tdxsim_module *m, uint64_t rcx, uint64_t rdx, uint64_t r8)
{
	struct tdxsim_regs r = { .rcx = rcx, .rdx = rdx, .r8 = r8 };

	return call(m, TDXSIM_TDH_PHYMEM_PAMT_ADD, &r);
}

/* RCX of PAMT.ADD/REMOVE: the range with level PT_2MB (1). */
static uint64_t
range_2m(uint64_t pa)
{
	return pa | 1;
}

static uint64_t
pamt_remove(struct tdxsim_module *m, uint64_t rcx, uint64_t *p0, uint64_t *p1)
{
	struct tdxsim_regs r = { .rcx = rcx, .rdx = 0x5a, .r8 = 0x5b };
	uint64_t status = call(m, TDXSIM_TDH_PHYMEM_PAMT_REMOVE, &r);

	*p0 = r.rdx;
	*p1 = r.r8;
	return status;
}

/* ---- TDH.SYS.CONFIG ---------------------------------------------------- */

/* R8 bit 16 exists only where the build has Dynamic PAMT; elsewhere it is
 * a reserved bit like bit 17 is everywhere. */
static void
test_config_r8_dpamt_bit(void **state)
{
	struct tdxsim_module *m = module_of(1, 5, 6, 32, 64);

	(void)state;
	assert_int_equal(configure(m, BITMAP_SIZE, KEYID | DPAMT_BIT),
			 0xC000010000000008ULL);
	tdxsim_module_free(m);
	m = module_of(2, 0, 5, 32, 64);
	assert_int_equal(configure(m, BITMAP_SIZE, KEYID | DPAMT_BIT),
			 0xC000010000000008ULL);
	tdxsim_module_free(m);
	m = module_of(2, 0, 8, 32, 64);
	assert_int_equal(configure(m, BITMAP_SIZE, KEYID | (1ULL << 17)),
			 0xC000010000000008ULL);
	assert_int_equal(configure(m, BITMAP_SIZE, KEYID | DPAMT_BIT), 0);
	tdxsim_module_free(m);
}

/* P5 with Dynamic PAMT: the 4K level needs the bitmap (1 bit per page),
 * not 16 bytes per page; without the bit the bitmap is too small. */
static void
test_config_bitmap_size(void **state)
{
	struct tdxsim_module *m = module_of(2, 0, 8, 32, 64);

	(void)state;
	/* TDX_INVALID_PAMT, TDMR 0, level 4K (0). */
	assert_int_equal(configure(m, BITMAP_SIZE, KEYID), 0xC0000A1000000000ULL);
	assert_int_equal(configure(m, BITMAP_SIZE - 0x1000, KEYID | DPAMT_BIT),
			 0xC0000A1000000000ULL);
	assert_int_equal(configure(m, BITMAP_SIZE, KEYID | DPAMT_BIT), 0);
	tdxsim_module_free(m);
	/* Without Dynamic PAMT the full 16 bytes per page pass. */
	m = module_of(2, 0, 8, 32, 64);
	assert_int_equal(configure(m, GIB / 4096 * 16, KEYID), 0);
	tdxsim_module_free(m);
}

/* Dynamic PAMT needs the HKID bits to start at bit 48 or below: with 3
 * KeyID bits (start bit 49) the bit is refused, without it all is well. */
static void
test_config_dpamt_hkid_bits(void **state)
{
	struct tdxsim_module *m = module_of(2, 0, 8, 1, 8);

	(void)state;
	assert_int_equal(configure(m, BITMAP_SIZE, 1 | DPAMT_BIT),
			 0xC000010000000008ULL);
	assert_int_equal(configure(m, GIB / 4096 * 16, 1), 0);
	tdxsim_module_free(m);
}

/* ---- TDH.PHYMEM.PAMT.ADD / REMOVE -------------------------------------- */

/* Add a pair, refuse a second one, remove it (pages back in RDX and R8),
 * refuse a second removal. */
static void
test_add_remove_cycle(void **state)
{
	struct tdxsim_module *m = dpamt_module();
	uint64_t p0, p1;

	(void)state;
	assert_int_equal(tdxsim_module_pamt_pairs(m), 0);
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0, PAGE1), 0);
	assert_int_equal(tdxsim_module_pamt_pairs(m), 1);
	/* TDX_HPA_RANGE_NOT_FREE on RCX: the 2 MiB entry is PT_PAMT now. */
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0 + 0x2000, PAGE0 + 0x3000),
			 0xC000030400000001ULL);
	assert_int_equal(pamt_remove(m, range_2m(RANGE), &p0, &p1), 0);
	assert_int_equal(p0, PAGE0);
	assert_int_equal(p1, PAGE1);
	assert_int_equal(tdxsim_module_pamt_pairs(m), 0);
	/* TDX_NO_PAMT_PAGE_PAIR on RCX; RDX and R8 untouched. */
	assert_int_equal(pamt_remove(m, range_2m(RANGE), &p0, &p1),
			 0xC000030500000001ULL);
	assert_int_equal(p0, 0x5a);
	assert_int_equal(p1, 0x5b);
	/* The pages are free again. */
	assert_int_equal(pamt_add(m, range_2m(RANGE + 2 * MIB), PAGE0, PAGE1), 0);
	/* A range at an odd 2 MiB (bit 21 set) is found by REMOVE too: only
	 * the level bits are dropped from RCX (tools/mutate.py: a mask that
	 * also cleared bit 21 survived). */
	assert_int_equal(pamt_remove(m, range_2m(RANGE + 2 * MIB), &p0, &p1), 0);
	assert_int_equal(p0, PAGE0);
	assert_int_equal(p1, PAGE1);
	tdxsim_module_free(m);
}

/* The operand checks, in the module's order. */
static void
test_add_operands(void **state)
{
	struct tdxsim_module *m = dpamt_module();
	uint64_t hkid_bit = 1ULL << 46;	/* KeyIDs [32, 64): bits 51:46 */

	(void)state;
	/* RCX: level other than 2M, reserved bits, unaligned, HKID bits. */
	assert_int_equal(pamt_add(m, RANGE, PAGE0, PAGE1), 0xC000010000000001ULL);
	assert_int_equal(pamt_add(m, RANGE | 2, PAGE0, PAGE1), 0xC000010000000001ULL);
	assert_int_equal(pamt_add(m, range_2m(RANGE) | 0x8, PAGE0, PAGE1),
			 0xC000010000000001ULL);
	assert_int_equal(pamt_add(m, range_2m(RANGE) | (1ULL << 52), PAGE0, PAGE1),
			 0xC000010000000001ULL);
	assert_int_equal(pamt_add(m, range_2m(RANGE + 0x1000), PAGE0, PAGE1),
			 0xC000010000000001ULL);
	assert_int_equal(pamt_add(m, range_2m(RANGE | hkid_bit), PAGE0, PAGE1),
			 0xC000010000000001ULL);
	/* RDX, then R8: unaligned or tagged, then outside every TDMR. */
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0 + 8, PAGE1),
			 0xC000010000000002ULL);
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0 | hkid_bit, PAGE1),
			 0xC000010000000002ULL);
	assert_int_equal(pamt_add(m, range_2m(RANGE), 2 * GIB, PAGE1),
			 0xC000010100000002ULL);
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0, PAGE1 + 8),
			 0xC000010000000008ULL);
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0, 2 * GIB),
			 0xC000010100000008ULL);
	/* The range itself outside every TDMR: TDX_OPERAND_ADDR_RANGE_ERROR. */
	assert_int_equal(pamt_add(m, range_2m(2 * GIB), PAGE0, PAGE1),
			 0xC000010100000001ULL);
	assert_int_equal(tdxsim_module_pamt_pairs(m), 0);
	tdxsim_module_free(m);
}

/* The PAMT page bitmap: a page already holding PAMT entries, or the same
 * page twice, is not free; a failed ADD claims nothing. */
static void
test_add_pages_not_free(void **state)
{
	struct tdxsim_module *m = dpamt_module();
	uint64_t other = RANGE + 2 * MIB;

	(void)state;
	/* The same page twice: TDX_PAGE_NOT_FREE on R8. */
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0, PAGE0),
			 0xC000030300000008ULL);
	assert_int_equal(tdxsim_module_pamt_pairs(m), 0);
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0, PAGE1), 0);
	/* PAGE0 is a PAMT page now: TDX_PAGE_NOT_FREE on RDX, then R8. */
	assert_int_equal(pamt_add(m, range_2m(other), PAGE0, PAGE1 + 0x1000),
			 0xC000030300000002ULL);
	assert_int_equal(pamt_add(m, range_2m(other), PAGE1 + 0x1000, PAGE1),
			 0xC000030300000008ULL);
	/* Pages in a reserved area have their bitmap bit preset by
	 * TDH.SYS.TDMR.INIT: here [0, 8M), where the PAMTs are. */
	assert_int_equal(pamt_add(m, range_2m(other), 0x7FF000, PAGE1 + 0x1000),
			 0xC000030300000002ULL);
	assert_int_equal(pamt_add(m, range_2m(other), PAGE1 + 0x1000, 0x300000),
			 0xC000030300000008ULL);
	/* PAMT pages may lie inside the range they describe. */
	assert_int_equal(pamt_add(m, range_2m(other), other, other + 0x1000), 0);
	assert_int_equal(tdxsim_module_pamt_pairs(m), 2);
	tdxsim_module_free(m);
}

/* A page whose own 4 KiB PAMT entry is in use (a TD page) is not free. */
static void
test_add_page_in_use(void **state)
{
	struct tdxsim_module *m = dpamt_module();
	uint64_t td_page = RANGE + 0x5000, other = RANGE + 2 * MIB;

	(void)state;
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0, PAGE1), 0);
	assert_int_equal(tdxsim_dpamt_mark_4k(m, other, true), -ENOENT);
	assert_int_equal(tdxsim_dpamt_mark_4k(m, td_page, true), 0);
	assert_int_equal(pamt_add(m, range_2m(other), td_page, PAGE1 + 0x1000),
			 0xC000030300000002ULL);
	assert_int_equal(pamt_add(m, range_2m(other), PAGE1 + 0x1000, td_page),
			 0xC000030300000008ULL);
	assert_int_equal(tdxsim_dpamt_mark_4k(m, td_page, false), 0);
	assert_int_equal(pamt_add(m, range_2m(other), td_page, PAGE1 + 0x1000), 0);
	tdxsim_module_free(m);
}

/* REMOVE refuses while a 4 KiB entry of the range is in use; the detail
 * is the index of the PAMT page holding it (0: first 1 MiB, 1: second). */
static void
test_remove_not_empty(void **state)
{
	struct tdxsim_module *m = dpamt_module();
	uint64_t p0, p1;

	(void)state;
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0, PAGE1), 0);
	assert_int_equal(tdxsim_dpamt_mark_4k(m, RANGE + MIB + 0x3000, true), 0);
	assert_int_equal(pamt_remove(m, range_2m(RANGE), &p0, &p1),
			 0xC000030600000001ULL);
	assert_int_equal(tdxsim_dpamt_mark_4k(m, RANGE + 0x3000, true), 0);
	assert_int_equal(pamt_remove(m, range_2m(RANGE), &p0, &p1),
			 0xC000030600000000ULL);
	/* The decoder names the page, not an operand. */
	{
		char text[TDXSIM_STATUS_DESCRIBE_MAX];

		assert_true(tdxsim_status_describe_r(0xC000030600000001ULL,
						     TDXSIM_TDH_PHYMEM_PAMT_REMOVE,
						     text, sizeof(text)) > 0);
		assert_non_null(strstr(text, "Details: PAMT page 1 of the pair"));
		assert_null(strstr(text, "operand"));
	}
	assert_int_equal(tdxsim_dpamt_mark_4k(m, RANGE + 0x3000, false), 0);
	assert_int_equal(tdxsim_dpamt_mark_4k(m, RANGE + MIB + 0x3000, false), 0);
	assert_int_equal(pamt_remove(m, range_2m(RANGE), &p0, &p1), 0);
	tdxsim_module_free(m);
}

/* Where Dynamic PAMT is off the leaves are unknown: OPERAND_INVALID|RAX;
 * before READY, TDX_SYS_NOT_READY; in a 1 GiB block TDMR.INIT has not
 * finished, TDX_OPERAND_ADDR_RANGE_ERROR. */
static void
test_add_when_unavailable(void **state)
{
	struct tdxsim_module *m = module_of(2, 0, 8, 32, 64);
	uint64_t p0, p1;

	(void)state;
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0, PAGE1),
			 0xC000050500000000ULL);
	assert_int_equal(configure(m, BITMAP_SIZE, KEYID | DPAMT_BIT), 0);
	key_config(m);
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0, PAGE1),
			 0xC000010100000002ULL);
	tdmr_init_all(m);
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0, PAGE1), 0);
	tdxsim_module_free(m);

	m = module_of(2, 0, 8, 32, 64);
	assert_int_equal(configure(m, GIB / 4096 * 16, KEYID), 0);
	key_config(m);
	tdmr_init_all(m);
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0, PAGE1),
			 0xC000010000000000ULL);
	assert_int_equal(pamt_remove(m, range_2m(RANGE), &p0, &p1),
			 0xC000010000000000ULL);
	tdxsim_module_free(m);
}

/* The switch: TDX_FEATURES0 bit 36 in the options turns Dynamic PAMT on
 * for a 2.0 release that does not report it, and off for one that does. */
static void
test_features0_switch(void **state)
{
	struct tdxsim_platform *p = tdxsim_platform_new();
	struct tdxsim_module_profile prof;
	struct tdxsim_module_options opts;
	struct tdxsim_module *m = NULL;

	(void)state;
	assert_non_null(p);
	tdxsim_module_profile_init(&prof);
	prof.major = 2;
	prof.minor = 0;
	prof.update = 5;
	prof.nr_lps = 1;
	prof.nr_packages = 1;
	tdxsim_platform_set_module_profile(p, &prof);
	assert_int_equal(tdxsim_platform_add_cmr(p, 0, 4 * GIB), 0);
	tdxsim_module_options_init(&opts, &prof);
	assert_false(opts.features0 & (1ULL << 36));
	opts.features0 |= 1ULL << 36;
	assert_int_equal(tdxsim_module_new(p, &opts, &m), 0);
	assert_int_equal(configure(m, BITMAP_SIZE, KEYID | DPAMT_BIT), 0);
	tdxsim_module_free(m);
	prof.update = 8;
	tdxsim_platform_set_module_profile(p, &prof);
	tdxsim_module_options_init(&opts, &prof);
	opts.features0 &= ~(1ULL << 36);
	assert_int_equal(tdxsim_module_new(p, &opts, &m), 0);
	assert_int_equal(configure(m, BITMAP_SIZE, KEYID | DPAMT_BIT),
			 0xC000010000000008ULL);
	tdxsim_module_free(m);
	tdxsim_platform_free(p);
}

/* ---- the kernel's side: reference counts and page pairs ----------------- */

static struct tdxsim_dpamt_host *
host_with_pool(struct tdxsim_module *m, uint64_t start, uint64_t end)
{
	struct tdxsim_dpamt_host *h = NULL;

	assert_int_equal(tdxsim_dpamt_host_new(m, 0, start, end, &h), 0);
	return h;
}

/* First use of a range: PAMT.ADD; later uses count; the last release:
 * PAMT.REMOVE; PAMT memory follows the pairs handed over. */
static void
test_host_refcount_cycle(void **state)
{
	struct tdxsim_module *m = dpamt_module();
	struct tdxsim_dpamt_host *h = host_with_pool(m, PAGE0, PAGE0 + 0x4000);
	struct tdxsim_dpamt_step st;

	(void)state;
	assert_int_equal(tdxsim_dpamt_host_use(h, RANGE + 0x1000, &st), 0);
	assert_true(st.seamcall);
	assert_int_equal(st.status, 0);
	assert_int_equal(st.err, 0);
	assert_int_equal(st.refcount, 1);
	assert_int_equal(st.pamt_bytes, 8192);
	assert_int_equal(tdxsim_dpamt_host_use(h, RANGE + 0x5000, &st), 0);
	assert_false(st.seamcall);
	assert_int_equal(st.refcount, 2);
	assert_int_equal(tdxsim_dpamt_host_use(h, RANGE + 2 * MIB, &st), 0);
	assert_true(st.seamcall);
	assert_int_equal(st.pamt_bytes, 16384);
	assert_int_equal(tdxsim_module_pamt_pairs(m), 2);
	assert_int_equal(tdxsim_dpamt_host_release(h, RANGE, &st), 0);
	assert_false(st.seamcall);
	assert_int_equal(st.refcount, 1);
	assert_int_equal(tdxsim_dpamt_host_release(h, RANGE, &st), 0);
	assert_true(st.seamcall);
	assert_int_equal(st.status, 0);
	assert_int_equal(st.refcount, 0);
	assert_int_equal(st.pamt_bytes, 8192);
	assert_int_equal(tdxsim_module_pamt_pairs(m), 1);
	/* Nothing left to release there: the caller's bug. */
	assert_int_equal(tdxsim_dpamt_host_release(h, RANGE, &st), -EINVAL);
	/* The freed pages serve the next range. */
	assert_int_equal(tdxsim_dpamt_host_use(h, RANGE + 4 * MIB, &st), 0);
	assert_int_equal(st.status, 0);
	tdxsim_dpamt_host_free(h);
	tdxsim_module_free(m);
}

/* An empty pool: -ENOMEM, no SEAMCALL, nothing counted. */
static void
test_host_pool_empty(void **state)
{
	struct tdxsim_module *m = dpamt_module();
	struct tdxsim_dpamt_host *h = host_with_pool(m, PAGE0, PAGE0 + 0x3000);
	struct tdxsim_dpamt_step st;

	(void)state;
	assert_int_equal(tdxsim_dpamt_host_use(h, RANGE, &st), 0);
	assert_int_equal(st.err, 0);
	assert_int_equal(tdxsim_dpamt_host_use(h, RANGE + 2 * MIB, &st), 0);
	assert_int_equal(st.err, -ENOMEM);
	assert_false(st.seamcall);
	assert_int_equal(st.refcount, 0);
	assert_int_equal(st.pamt_bytes, 8192);
	tdxsim_dpamt_host_free(h);
	tdxsim_module_free(m);
}

/* PAMT.ADD refused (pool pages outside every TDMR): -EIO, the status
 * word kept, no reference; TDX_HPA_RANGE_NOT_FREE counts as success. */
static void
test_host_add_outcomes(void **state)
{
	struct tdxsim_module *m = dpamt_module();
	struct tdxsim_dpamt_host *h = host_with_pool(m, 2 * GIB, 2 * GIB + 0x2000);
	struct tdxsim_dpamt_step st;

	(void)state;
	assert_int_equal(tdxsim_dpamt_host_use(h, RANGE, &st), 0);
	assert_int_equal(st.err, -EIO);
	assert_int_equal(st.status, 0xC000010100000002ULL);
	assert_int_equal(st.refcount, 0);
	tdxsim_dpamt_host_free(h);
	h = host_with_pool(m, PAGE0 + 0x2000, PAGE0 + 0x4000);
	assert_int_equal(pamt_add(m, range_2m(RANGE), PAGE0, PAGE1), 0);
	assert_int_equal(tdxsim_dpamt_host_use(h, RANGE, &st), 0);
	assert_int_equal(st.status, 0xC000030400000001ULL);
	assert_int_equal(st.err, 0);
	assert_int_equal(st.refcount, 1);
	assert_int_equal(st.pamt_bytes, 0);
	tdxsim_dpamt_host_free(h);
	tdxsim_module_free(m);
}

/* PAMT.REMOVE refused (a 4 KiB entry still in use): the pages stay with
 * the module and count as held, as the kernel leaks them. */
static void
test_host_remove_refused(void **state)
{
	struct tdxsim_module *m = dpamt_module();
	struct tdxsim_dpamt_host *h = host_with_pool(m, PAGE0, PAGE0 + 0x4000);
	struct tdxsim_dpamt_step st;

	(void)state;
	assert_int_equal(tdxsim_dpamt_host_use(h, RANGE, &st), 0);
	assert_int_equal(tdxsim_dpamt_mark_4k(m, RANGE, true), 0);
	assert_int_equal(tdxsim_dpamt_host_release(h, RANGE, &st), 0);
	assert_int_equal(st.status, 0xC000030600000000ULL);
	assert_int_equal(st.refcount, 0);
	assert_int_equal(st.pamt_bytes, 8192);
	assert_int_equal(tdxsim_module_pamt_pairs(m), 1);
	tdxsim_dpamt_host_free(h);
	tdxsim_module_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_r8_dpamt_bit),
		cmocka_unit_test(test_config_bitmap_size),
		cmocka_unit_test(test_config_dpamt_hkid_bits),
		cmocka_unit_test(test_add_remove_cycle),
		cmocka_unit_test(test_add_operands),
		cmocka_unit_test(test_add_pages_not_free),
		cmocka_unit_test(test_add_page_in_use),
		cmocka_unit_test(test_remove_not_empty),
		cmocka_unit_test(test_add_when_unavailable),
		cmocka_unit_test(test_features0_switch),
		cmocka_unit_test(test_host_refcount_cycle),
		cmocka_unit_test(test_host_pool_empty),
		cmocka_unit_test(test_host_add_outcomes),
		cmocka_unit_test(test_host_remove_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
