/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the MTRR/PAT MSR bank and the pure memory-type lookups
 * (lib/memtype/mtrr.c, lib/memtype/lookup.c) against the SDM and the
 * hypervisors' MSR code (docs/memtype.md, "The rules per party"):
 *  - the S3 matrix of MSR cells, one row per (profile, cell);
 *  - the per-profile MSR rules, each with a passing and a
 *    failing value;
 *  - SDM 12.11.4.1 precedence (tdxsim_mtrr_hw_type), all of SDM table 12-7,
 *    the PAT index of every PTE bit combination;
 *  - S2b: the hardware reading of the fix's non-power-of-2 PCI-hole MTRR.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <tdxsim/memtype.h>

#include "test-common.h"

#define BARE TDXSIM_MTRR_BARE
#define LEG  TDXSIM_MTRR_KVM_LEGACY
#define KVM  TDXSIM_MTRR_KVM
#define TDX  TDXSIM_MTRR_TDX
#define T23  TDXSIM_MTRR_TDX_2023

#define OK  TDXSIM_MSR_OK
#define GP  TDXSIM_MSR_GP
#define VOK TDXSIM_MSR_VE_OK
#define VFL TDXSIM_MSR_VE_FAIL
#define VE  TDXSIM_MSR_VE

#define UC  TDXSIM_MT_UC
#define WC  TDXSIM_MT_WC
#define WT  TDXSIM_MT_WT
#define WP  TDXSIM_MT_WP
#define WB  TDXSIM_MT_WB
#define UCM TDXSIM_MT_UC_MINUS

#define PAT_RESET 0x0007040600070406ull
#define PAT_LINUX 0x0407050600070106ull
/* GHCI TDVMCALL_STATUS_INVALID_OPERAND (Linux arch/x86/include/asm/shared/tdx.h). */
#define INVALID_OPERAND 0x8000000000000000ull
/* S2b (docs/memtype.md): the fix's PCI hole for TOLUD 0x7FF7C000, phys_bits 48. */
#define S2B_BASE 0x000000007ff7c000ull
#define S2B_MASK 0x0000ffff7ff7c800ull

#define PROFILES 5

enum access { RD, WR, CR0 };

/* ---- helpers ---- */

static struct tdxsim_mtrr_bank *
new_bank(enum tdxsim_mtrr_profile profile, unsigned maxphyaddr)
{
	struct tdxsim_mtrr_config c;
	struct tdxsim_mtrr_bank *bank = NULL;

	tdxsim_mtrr_config_init(&c, profile);
	if (maxphyaddr)
		c.maxphyaddr = maxphyaddr;
	assert_int_equal(tdxsim_mtrr_bank_new(&c, &bank), 0);
	assert_non_null(bank);
	return bank;
}

static int
is_ok(enum tdxsim_msr_outcome o)
{
	return o == OK || o == VOK;
}

/* The TDVMCALL status belongs to exactly the #VE-to-VMM outcomes. */
static void
assert_status(const struct tdxsim_msr_result *r)
{
	uint64_t want = r->outcome == VFL ? INVALID_OPERAND : 0;

	assert_int_equal(r->tdvmcall_status, want);
}

/* WRMSR; then RDMSR must show the new value on success, the old one on
 * failure (when the MSR is readable at all). */
static void
check_write(struct tdxsim_mtrr_bank *bank, uint32_t msr, uint64_t value,
	    enum tdxsim_msr_outcome want)
{
	struct tdxsim_msr_result before, r, after;

	tdxsim_mtrr_rdmsr(bank, msr, &before);
	assert_int_equal(tdxsim_mtrr_wrmsr(bank, msr, value, &r), 0);
	if (r.outcome != want)
		print_message("WRMSR %#x = %#llx: outcome %d, want %d\n", msr,
			      (unsigned long long)value, r.outcome, want);
	assert_int_equal(r.outcome, want);
	assert_status(&r);
	tdxsim_mtrr_rdmsr(bank, msr, &after);
	if (is_ok(want))
		assert_int_equal(after.value, value);
	else if (is_ok(before.outcome))
		assert_int_equal(after.value, before.value);
}

static void
check_read(struct tdxsim_mtrr_bank *bank, uint32_t msr,
	   enum tdxsim_msr_outcome want, uint64_t value)
{
	struct tdxsim_msr_result r;

	assert_int_equal(tdxsim_mtrr_rdmsr(bank, msr, &r), 0);
	if (r.outcome != want)
		print_message("RDMSR %#x: outcome %d, want %d\n", msr, r.outcome, want);
	assert_int_equal(r.outcome, want);
	assert_status(&r);
	if (is_ok(want))
		assert_int_equal(r.value, value);
}

static void
check_cr0(struct tdxsim_mtrr_bank *bank, uint64_t bits,
	  enum tdxsim_msr_outcome want)
{
	struct tdxsim_msr_result r;

	assert_int_equal(tdxsim_mtrr_cr0_write(bank, (int)(bits & 1),
					       (int)((bits >> 1) & 1), &r), 0);
	assert_int_equal(r.outcome, want);
	assert_int_equal(r.tdvmcall_status, 0);
}

static void
check_access(struct tdxsim_mtrr_bank *bank, enum access a, uint32_t msr,
	     uint64_t value, enum tdxsim_msr_outcome want, uint64_t read)
{
	if (a == RD)
		check_read(bank, msr, want, read);
	else if (a == WR)
		check_write(bank, msr, value, want);
	else
		check_cr0(bank, value, want);
}

/* ---- S3: MSR cells (docs/memtype.md), one row per profile and cell ---- */

struct s3_msr_row {
	const char *cell;
	enum tdxsim_mtrr_profile profile;
	unsigned maxphyaddr;		/* 0: the default 48 */
	enum access access;
	uint32_t msr;
	uint64_t value;			/* WRMSR value; CR0: bit 0 CD, bit 1 NW */
	enum tdxsim_msr_outcome outcome;
	uint64_t read;			/* RDMSR value when it succeeds */
};

#define S3_ALL(cell, m, a, msr, v, o0, o1, o2, o3, o4, rd) \
	{ cell, BARE, m, a, msr, v, o0, rd }, \
	{ cell, LEG, m, a, msr, v, o1, rd }, \
	{ cell, KVM, m, a, msr, v, o2, rd }, \
	{ cell, TDX, m, a, msr, v, o3, rd }, \
	{ cell, T23, m, a, msr, v, o4, rd }

static const struct s3_msr_row s3_msr_rows[] = {
	S3_ALL("DEF_TYPE 0x806", 0, WR, 0x2FF, 0x806, OK, OK, OK, VOK, VOK, 0),
	S3_ALL("DEF_TYPE 0xC06", 0, WR, 0x2FF, 0xC06, OK, OK, OK, VOK, VFL, 0),
	S3_ALL("DEF_TYPE 0x807 (type 7)", 0, WR, 0x2FF, 0x807, GP, GP, GP, VFL, VFL, 0),
	S3_ALL("DEF_TYPE 0x1006 (bit 12)", 0, WR, 0x2FF, 0x1006, GP, GP, GP, VFL, VFL, 0),
	S3_ALL("DEF_TYPE 0x302 (bits 9:8, type 2)", 0, WR, 0x2FF, 0x302, GP, GP, GP, VFL, VFL, 0),
	S3_ALL("PHYSMASK0 bit 36 (M=36)", 36, WR, 0x201, (1ull << 36) | 0x800, GP, GP, GP, VFL, VFL, 0),
	S3_ALL("PHYSMASK0 bit 46 (M=46)", 46, WR, 0x201, (1ull << 46) | 0x800, GP, GP, GP, VFL, VFL, 0),
	S3_ALL("PHYSMASK0 bit 48 (M=48)", 48, WR, 0x201, (1ull << 48) | 0x800, GP, GP, GP, VFL, VFL, 0),
	S3_ALL("PHYSMASK0 bit 52 (M=52)", 52, WR, 0x201, (1ull << 52) | 0x800, GP, GP, GP, VFL, VFL, 0),
	S3_ALL("PHYSMASK0 non-contiguous (M=48)", 48, WR, 0x201, S2B_MASK, OK, OK, OK, VOK, VFL, 0),
	S3_ALL("PHYSBASE8 (0x210)", 0, WR, 0x210, 0x6, OK, GP, GP, VFL, VFL, 0),
	S3_ALL("RDMSR MTRRcap", 0, RD, 0xFE, 0, OK, OK, OK, VOK, VOK, 0),
	S3_ALL("WRMSR MTRRcap", 0, WR, 0xFE, 0x508, GP, GP, GP, VFL, VFL, 0),
	S3_ALL("MOV CR0 with CD=1", 0, CR0, 0, 1, OK, OK, OK, VE, VE, 0),
};

/* RDMSR 0xFE: BARE's configured cap (VCNT 10, FIX, WC = 0x50A), 0x508
 * for KVM and TDX, 0 for TDX_2023. Fixed up per row below. */
static uint64_t
s3_cap(enum tdxsim_mtrr_profile p)
{
	static const uint64_t cap[PROFILES] = { 0x50A, 0x508, 0x508, 0x508, 0 };

	return cap[p];
}

static void
test_s3_msr_matrix(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(s3_msr_rows) / sizeof(s3_msr_rows[0]); i++) {
		const struct s3_msr_row *row = &s3_msr_rows[i];
		struct tdxsim_mtrr_bank *bank = new_bank(row->profile, row->maxphyaddr);
		uint64_t read = row->msr == 0xFE ? s3_cap(row->profile) : row->read;

		print_message("S3 %s / %s\n", tdxsim_mtrr_profile_name(row->profile), row->cell);
		check_access(bank, row->access, row->msr, row->value, row->outcome, read);
		tdxsim_mtrr_bank_free(bank);
	}
}

/* ---- S3: EPT cells ---- */

enum guest_setup {
	G_NONE,		/* bank at reset */
	G_WC_AT_GFN,	/* E=1 default WB, var0 WC over [0xC0000000, +1G) */
	G_S2B,		/* E=1 default WB, var0 UC = the S2b registers */
	G_WC_WB,	/* E=1 default WB, WC and WB over [0xC0000000, +1G) */
	G_UC_OVER_WB,	/* WB 0..4G, UC over 0xC0000000+1G (higher base) */
	G_WB_OVER_UC,	/* UC 0..4G, WB over 0xC0000000+1G (higher base) */
	G_CD1,		/* G_WC_AT_GFN and guest CR0.CD=1 */
	G_FIXED,	/* E=1, FE=1, fixed 64K ranges WT, default WB */
	G_DEF_WC,	/* E=1 default WC, no ranges */
};

struct ept_row {
	const char *cell;
	enum tdxsim_mtrr_profile profile;
	int tdp, ncdma, ignore_pat, mmio, priv;
	enum guest_setup guest;
	uint64_t gpa;
	enum tdxsim_mt guest_pat;
	enum tdxsim_mt mt;
	int ipat;
	enum tdxsim_mt eff;
};

static const struct ept_row ept_rows[] = {
	/* The S3 bullets (guest PAT UC-, slot 2, unless stated). */
	{ "KVM RAM, no NC-DMA, quirk on", KVM, 1, 0, 1, 0, 0, G_NONE, 0x1000, UCM, WB, 1, WB },
	{ "KVM RAM, no NC-DMA, quirk off", KVM, 1, 0, 0, 0, 0, G_NONE, 0x1000, UCM, WB, 0, UC },
	{ "KVM host MMIO, PAT UC-", KVM, 1, 0, 1, 1, 0, G_NONE, 0xfed40000, UCM, UC, 0, UC },
	{ "KVM host MMIO, PAT WC", KVM, 1, 0, 1, 1, 0, G_NONE, 0xfed40000, WC, UC, 0, WC },
	{ "KVM_LEGACY(6.6) NC-DMA, guest MTRR WC", LEG, 1, 1, 1, 0, 0, G_WC_AT_GFN, 0xC0001000, UCM, WC, 0, WC },
	{ "TDX shared RAM, PAT UC-", TDX, 1, 0, 1, 0, 0, G_NONE, 0x1000, UCM, WB, 0, UC },
	{ "TDX shared RAM, PAT WB", TDX, 1, 0, 1, 0, 0, G_NONE, 0x1000, WB, WB, 0, WB },
	{ "TDX private, PAT UC-", TDX, 1, 0, 1, 0, 1, G_NONE, 0x1000, UCM, WB, 1, WB },
	{ "TDX private, PAT UC", TDX, 1, 0, 1, 0, 1, G_NONE, 0x1000, UC, WB, 1, WB },
	{ "TDX private, PAT WC", TDX, 1, 0, 1, 0, 1, G_NONE, 0x1000, WC, WB, 1, WB },
	/* Further profile rules: KVM's vmx_get_mt_mask() and KVM TDX's
	 * tdx_get_mt_mask() (docs/memtype.md). */
	{ "KVM NC-DMA: WB, IPAT=0", KVM, 1, 1, 1, 0, 0, G_NONE, 0x1000, UCM, WB, 0, UC },
	{ "KVM NC-DMA ignores guest MTRRs", KVM, 1, 1, 1, 0, 0, G_WC_AT_GFN, 0xC0001000, WB, WB, 0, WB },
	{ "KVM without EPT", KVM, 0, 0, 1, 0, 0, G_NONE, 0x1000, WC, WB, 0, WC },
	{ "TDX shared MMIO, PAT WC", TDX, 1, 0, 1, 1, 0, G_NONE, 0xfed40000, WC, UC, 0, WC },
	{ "TDX shared: quirk forced off", TDX, 1, 0, 1, 0, 0, G_NONE, 0x1000, WC, WB, 0, WC },
	{ "TDX private MMIO-looking pfn", TDX, 1, 0, 1, 1, 1, G_NONE, 0x1000, UC, WB, 1, WB },
	{ "TDX_2023 private", T23, 1, 0, 1, 0, 1, G_NONE, 0x1000, UCM, WB, 1, WB },
	/* tdx_get_mt_mask() of the v13..v18 KVM TDX patches: shared RAM is WB
	 * with IPAT unless non-coherent DMA, so a guest PAT of UC- gives WB
	 * (where the tdx profile gives UC). */
	{ "TDX_2023 shared RAM, PAT UC-", T23, 1, 0, 1, 0, 0, G_NONE, 0x1000, UCM, WB, 1, WB },
	{ "TDX_2023 shared RAM, PAT WC", T23, 1, 0, 0, 0, 0, G_NONE, 0x1000, WC, WB, 1, WB },
	{ "TDX_2023 shared RAM, NC-DMA, PAT UC-", T23, 1, 1, 1, 0, 0, G_NONE, 0x1000, UCM, WB, 0, UC },
	{ "TDX_2023 shared MMIO, PAT UC-", T23, 1, 0, 1, 1, 0, G_NONE, 0xfed40000, UCM, UC, 0, UC },
	{ "TDX_2023 shared MMIO, PAT WC", T23, 1, 0, 1, 1, 0, G_NONE, 0xfed40000, WC, UC, 0, WC },
	{ "KVM_LEGACY no NC-DMA", LEG, 1, 0, 1, 0, 0, G_WC_AT_GFN, 0xC0001000, UCM, WB, 1, WB },
	{ "KVM_LEGACY MMIO", LEG, 1, 1, 1, 1, 0, G_WC_AT_GFN, 0xC0001000, WC, UC, 0, WC },
	{ "KVM_LEGACY guest CR0.CD=1 (quirk)", LEG, 1, 1, 1, 0, 0, G_CD1, 0xC0001000, UCM, WB, 1, WB },
	{ "KVM_LEGACY guest E=0 -> UC", LEG, 1, 1, 1, 0, 0, G_NONE, 0xC0001000, WB, UC, 0, UC },
	{ "KVM_LEGACY contiguous S2b range", LEG, 1, 1, 1, 0, 0, G_S2B, 0xfed40000, WB, UC, 0, UC },
	{ "KVM_LEGACY S2b: above the range", LEG, 1, 1, 1, 0, 0, G_S2B, 0x100000000ull, WB, WB, 0, WB },
	{ "KVM_LEGACY undefined WC+WB -> WB", LEG, 1, 1, 1, 0, 0, G_WC_WB, 0xC0001000, WB, WB, 0, WB },
	/* kvm_mtrr_get_guest_memory_type() walks ranges by descending base
	 * and only returns UC when UC is the later one: UC then WB is an
	 * "undefined" pair for the code, hence WB. */
	{ "KVM_LEGACY UC listed before WB -> WB", LEG, 1, 1, 1, 0, 0, G_UC_OVER_WB, 0xC0001000, WB, WB, 0, WB },
	{ "KVM_LEGACY WB listed before UC -> UC", LEG, 1, 1, 1, 0, 0, G_WB_OVER_UC, 0xC0001000, WB, UC, 0, UC },
	{ "KVM_LEGACY fixed range", LEG, 1, 1, 1, 0, 0, G_FIXED, 0x10000, WB, WT, 0, WT },
	{ "KVM_LEGACY default type", LEG, 1, 1, 1, 0, 0, G_DEF_WC, 0x40000000, WB, WC, 0, WC },
	{ "BARE: the MTRR type, IPAT=0", BARE, 1, 0, 1, 0, 0, G_WC_AT_GFN, 0xC0001000, UCM, WC, 0, WC },
	{ "BARE: S2b hardware reading", BARE, 1, 0, 1, 0, 0, G_S2B, 0xfed40000, WB, WB, 0, WB },
};

struct msr_write {
	uint32_t msr;
	uint64_t value;
};

#define WB_0_4G   { 0x200, 0x6 }, { 0x201, 0xffff00000800ull }
#define C0_1G(n, t) { 0x200 + 2 * (n), 0xC0000000ull | (t) }, \
		    { 0x201 + 2 * (n), 0xffffC0000800ull }

/* The guest writes its MTRRs through the bank, as firmware would. */
static void
guest_program(struct tdxsim_mtrr_bank *bank, enum guest_setup g)
{
	static const struct msr_write setups[][5] = {
		[G_NONE] = { { 0, 0 } },
		[G_WC_AT_GFN] = { { 0x2FF, 0x806 }, C0_1G(0, 1) },
		[G_S2B] = { { 0x2FF, 0x806 }, { 0x200, S2B_BASE }, { 0x201, S2B_MASK } },
		[G_WC_WB] = { { 0x2FF, 0x806 }, C0_1G(0, 1), C0_1G(1, 6) },
		[G_UC_OVER_WB] = { { 0x2FF, 0x806 }, WB_0_4G, C0_1G(1, 0) },
		[G_WB_OVER_UC] = { { 0x2FF, 0x806 }, { 0x200, 0x0 }, { 0x201, 0xffff00000800ull }, C0_1G(1, 6) },
		[G_CD1] = { { 0x2FF, 0x806 }, C0_1G(0, 1) },
		[G_FIXED] = { { 0x2FF, 0xC06 }, { 0x250, 0x0404040404040404ull } },
		[G_DEF_WC] = { { 0x2FF, 0x801 } },
	};
	struct tdxsim_msr_result r;

	for (size_t i = 0; i < 5 && setups[g][i].msr; i++) {
		tdxsim_mtrr_wrmsr(bank, setups[g][i].msr, setups[g][i].value, &r);
		assert_true(is_ok(r.outcome));
	}
	if (g == G_CD1) {
		tdxsim_mtrr_cr0_write(bank, 1, 0, &r);
		assert_int_equal(r.outcome, OK);
	}
}

static void
run_ept_row(const struct ept_row *row)
{
	/* The guest's MTRRs live in a bank of the VMM's profile; TDs have
	 * no guest MTRRs KVM looks at, so use a KVM bank for them. */
	enum tdxsim_mtrr_profile bp = row->profile == BARE ? BARE : LEG;
	struct tdxsim_mtrr_bank *guest = new_bank(bp, 48);
	struct tdxsim_ept_context ctx = {
		.profile = row->profile, .tdp = row->tdp,
		.noncoherent_dma = row->ncdma, .ignore_guest_pat = row->ignore_pat,
		.is_mmio = row->mmio, .is_private = row->priv,
		.guest_mtrrs = guest,
	};
	enum tdxsim_mt mt = (enum tdxsim_mt)0xEE, eff = (enum tdxsim_mt)0xEE;
	int ipat = -1;

	print_message("EPT %s / %s\n", tdxsim_mtrr_profile_name(row->profile), row->cell);
	guest_program(guest, row->guest);
	tdxsim_ept_memtype(&ctx, row->gpa, &mt, &ipat);
	assert_int_equal(mt, row->mt);
	assert_int_equal(ipat, row->ipat);
	assert_int_equal(tdxsim_ept_effective(mt, ipat, row->guest_pat, 0, &eff), 0);
	assert_int_equal(eff, row->eff);
	tdxsim_mtrr_bank_free(guest);
}

static void
test_s3_ept_matrix(void **state)
{
	(void)state;
	/* "guest PAT = UC- (slot 2)": the reset PAT's entry 2, PCD=1. */
	assert_int_equal(tdxsim_pat_entry(PAT_RESET, 0, 1, 0), UCM);
	for (size_t i = 0; i < sizeof(ept_rows) / sizeof(ept_rows[0]); i++)
		run_ept_row(&ept_rows[i]);
}

/* ---- MSR rules per profile (docs/memtype.md), pass and fail ---- */

struct rule_row {
	const char *what;
	enum access access;
	uint32_t msr;
	uint64_t value;
	unsigned maxphyaddr;
	enum tdxsim_msr_outcome want[PROFILES];	/* BARE LEG KVM TDX T23 */
	uint64_t read;				/* RDMSR value */
};

/* Accepted by the SDM and KVM (so by TDX behind the #VE), refused by
 * TDX_2023; refused everywhere; IA32_PAT (native in TDs). */
#define ACC { OK, OK, OK, VOK, VFL }
#define REJ { GP, GP, GP, VFL, VFL }
#define PAT_ACC { OK, OK, OK, OK, OK }
#define PAT_REJ { GP, GP, GP, GP, GP }
#define MBASE(m) ((1ull << ((m) - 1)) | 0x6)
#define MMASK(m) ((1ull << ((m) - 1)) | 0x800)

static const struct rule_row rule_rows[] = {
	/* IA32_MTRR_DEF_TYPE (SDM 12.11.2.1). */
	{ "DEF_TYPE 0x806", WR, 0x2FF, 0x806, 0, { OK, OK, OK, VOK, VOK }, 0 },
	{ "DEF_TYPE 0", WR, 0x2FF, 0, 0, ACC, 0 },
	{ "DEF_TYPE E FE UC", WR, 0x2FF, 0xC00, 0, ACC, 0 },
	{ "DEF_TYPE E FE WC", WR, 0x2FF, 0xC01, 0, ACC, 0 },
	{ "DEF_TYPE E WT", WR, 0x2FF, 0x804, 0, ACC, 0 },
	{ "DEF_TYPE FE WP", WR, 0x2FF, 0x405, 0, ACC, 0 },
	{ "DEF_TYPE type 2", WR, 0x2FF, 0x802, 0, REJ, 0 },
	{ "DEF_TYPE type 3", WR, 0x2FF, 0x803, 0, REJ, 0 },
	{ "DEF_TYPE type 7", WR, 0x2FF, 0x807, 0, REJ, 0 },
	{ "DEF_TYPE type 8", WR, 0x2FF, 0x808, 0, REJ, 0 },
	{ "DEF_TYPE bit 8", WR, 0x2FF, 0x906, 0, REJ, 0 },
	{ "DEF_TYPE bit 9", WR, 0x2FF, 0xA06, 0, REJ, 0 },
	{ "DEF_TYPE bit 12", WR, 0x2FF, 0x1806, 0, REJ, 0 },
	{ "DEF_TYPE bit 32", WR, 0x2FF, 0x100000806ull, 0, REJ, 0 },
	{ "DEF_TYPE bit 63", WR, 0x2FF, 0x8000000000000806ull, 0, REJ, 0 },
	{ "RDMSR DEF_TYPE at reset", RD, 0x2FF, 0, 0, { OK, OK, OK, VOK, VOK }, 0 },
	/* PHYSBASEn (SDM 12.11.2.3): type, bits 11:8, bits >= MAXPHYADDR. */
	{ "PHYSBASE0 top bit M=36", WR, 0x200, MBASE(36), 36, ACC, 0 },
	{ "PHYSBASE0 bit 36 M=36", WR, 0x200, (1ull << 36) | 6, 36, REJ, 0 },
	{ "PHYSBASE0 top bit M=46", WR, 0x200, MBASE(46), 46, ACC, 0 },
	{ "PHYSBASE0 bit 46 M=46", WR, 0x200, (1ull << 46) | 6, 46, REJ, 0 },
	{ "PHYSBASE0 top bit M=48", WR, 0x200, MBASE(48), 48, ACC, 0 },
	{ "PHYSBASE0 bit 48 M=48", WR, 0x200, (1ull << 48) | 6, 48, REJ, 0 },
	{ "PHYSBASE0 top bit M=52", WR, 0x200, MBASE(52), 52, ACC, 0 },
	{ "PHYSBASE0 bit 52 M=52", WR, 0x200, (1ull << 52) | 6, 52, REJ, 0 },
	{ "PHYSBASE0 bit 63", WR, 0x200, (1ull << 63) | 6, 52, REJ, 0 },
	{ "PHYSBASE0 WC", WR, 0x200, 0x80000001ull, 0, ACC, 0 },
	{ "PHYSBASE0 type 2", WR, 0x200, 0x80000002ull, 0, REJ, 0 },
	{ "PHYSBASE0 type 3", WR, 0x200, 0x80000003ull, 0, REJ, 0 },
	{ "PHYSBASE0 type 7", WR, 0x200, 0x80000007ull, 0, REJ, 0 },
	{ "PHYSBASE0 bit 8", WR, 0x200, 0x80000106ull, 0, REJ, 0 },
	{ "PHYSBASE0 bit 11", WR, 0x200, 0x80000806ull, 0, REJ, 0 },
	{ "RDMSR PHYSBASE0", RD, 0x200, 0, 0, ACC, 0 },
	/* PHYSMASKn: bits 10:0, bits >= MAXPHYADDR; non-contiguous accepted. */
	{ "PHYSMASK0 top bit M=36", WR, 0x201, MMASK(36), 36, ACC, 0 },
	{ "PHYSMASK0 bit 36 M=36", WR, 0x201, (1ull << 36) | 0x800, 36, REJ, 0 },
	{ "PHYSMASK0 top bit M=46", WR, 0x201, MMASK(46), 46, ACC, 0 },
	{ "PHYSMASK0 bit 46 M=46", WR, 0x201, (1ull << 46) | 0x800, 46, REJ, 0 },
	{ "PHYSMASK0 top bit M=48", WR, 0x201, MMASK(48), 48, ACC, 0 },
	{ "PHYSMASK0 bit 48 M=48", WR, 0x201, (1ull << 48) | 0x800, 48, REJ, 0 },
	{ "PHYSMASK0 top bit M=52", WR, 0x201, MMASK(52), 52, ACC, 0 },
	{ "PHYSMASK0 bit 52 M=52", WR, 0x201, (1ull << 52) | 0x800, 52, REJ, 0 },
	{ "PHYSMASK0 S2b mask, M=46", WR, 0x201, S2B_MASK, 46, REJ, 0 },
	{ "PHYSMASK0 S2b mask, M=52", WR, 0x201, S2B_MASK, 52, ACC, 0 },
	{ "PHYSMASK0 bit 0", WR, 0x201, 0xfffff801ull, 0, REJ, 0 },
	{ "PHYSMASK0 bit 10", WR, 0x201, 0xfffffc00ull, 0, REJ, 0 },
	{ "PHYSMASK0 V=0", WR, 0x201, 0xfffff000ull, 0, ACC, 0 },
	/* Variable pair index against VCNT (BARE 10, KVM/TDX 8). */
	{ "PHYSMASK7 (0x20F)", WR, 0x20F, 0x800, 0, ACC, 0 },
	{ "PHYSBASE8 (0x210)", WR, 0x210, 0x6, 0, { OK, GP, GP, VFL, VFL }, 0 },
	{ "PHYSMASK9 (0x213)", WR, 0x213, 0x800, 0, { OK, GP, GP, VFL, VFL }, 0 },
	{ "PHYSBASE10 (0x214)", WR, 0x214, 0x6, 0, REJ, 0 },
	{ "RDMSR PHYSMASK7", RD, 0x20F, 0, 0, ACC, 0 },
	{ "RDMSR PHYSBASE8", RD, 0x210, 0, 0, { OK, GP, GP, VFL, VFL }, 0 },
	{ "RDMSR PHYSBASE10", RD, 0x214, 0, 0, REJ, 0 },
	{ "RDMSR 0x24F", RD, 0x24F, 0, 0, REJ, 0 },
	/* Fixed ranges (SDM 12.11.2.2): every byte a legal type. */
	{ "FIX64K_00000 all WB", WR, 0x250, 0x0606060606060606ull, 0, ACC, 0 },
	{ "FIX64K_00000 mixed", WR, 0x250, 0x0001040506000104ull, 0, ACC, 0 },
	{ "FIX64K_00000 byte 7 = 2", WR, 0x250, 0x0206060606060606ull, 0, REJ, 0 },
	{ "FIX16K_80000 all UC", WR, 0x258, 0, 0, ACC, 0 },
	{ "FIX16K_80000 byte 0 = 3", WR, 0x258, 0x0606060606060603ull, 0, REJ, 0 },
	{ "FIX16K_A0000 all WC", WR, 0x259, 0x0101010101010101ull, 0, ACC, 0 },
	{ "FIX16K_A0000 byte 4 = 8", WR, 0x259, 0x0000000800000000ull, 0, REJ, 0 },
	{ "FIX4K_C0000 all WT", WR, 0x268, 0x0404040404040404ull, 0, ACC, 0 },
	{ "FIX4K_C0000 byte 2 = 0xFF", WR, 0x268, 0x0000000000FF0000ull, 0, REJ, 0 },
	{ "FIX4K_C8000 all WP", WR, 0x269, 0x0505050505050505ull, 0, ACC, 0 },
	{ "FIX4K_D0000 byte 6 = 7", WR, 0x26A, 0x0007000000000000ull, 0, REJ, 0 },
	{ "FIX4K_D8000", WR, 0x26B, 0x0606060606060606ull, 0, ACC, 0 },
	{ "FIX4K_E0000", WR, 0x26C, 0x0606060606060606ull, 0, ACC, 0 },
	{ "FIX4K_E8000", WR, 0x26D, 0x0606060606060606ull, 0, ACC, 0 },
	{ "FIX4K_F0000", WR, 0x26E, 0x0606060606060606ull, 0, ACC, 0 },
	{ "FIX4K_F8000", WR, 0x26F, 0x0606060606060606ull, 0, ACC, 0 },
	{ "FIX4K_F8000 byte 3 = 7", WR, 0x26F, 0x0000000007000000ull, 0, REJ, 0 },
	{ "RDMSR FIX4K_F8000", RD, 0x26F, 0, 0, ACC, 0 },
	/* The holes between the fixed-range MSRs do not exist. */
	{ "WRMSR 0x251", WR, 0x251, 0, 0, REJ, 0 },
	{ "WRMSR 0x257", WR, 0x257, 0, 0, REJ, 0 },
	{ "WRMSR 0x25A", WR, 0x25A, 0, 0, REJ, 0 },
	{ "WRMSR 0x267", WR, 0x267, 0, 0, REJ, 0 },
	{ "RDMSR 0x251", RD, 0x251, 0, 0, REJ, 0 },
	{ "RDMSR 0x260", RD, 0x260, 0, 0, REJ, 0 },
	{ "RDMSR 0x270", RD, 0x270, 0, 0, REJ, 0 },
	{ "WRMSR 0x300 (not an MTRR)", WR, 0x300, 0, 0, REJ, 0 },
	/* MTRRcap (SDM 12.11.1): read-only. */
	{ "WRMSR MTRRcap 0", WR, 0xFE, 0, 0, REJ, 0 },
	{ "WRMSR MTRRcap 0x508", WR, 0xFE, 0x508, 0, REJ, 0 },
	/* IA32_PAT (SDM 12.12.2; kvm_pat_valid); native in TDs. */
	{ "PAT reset value", WR, 0x277, PAT_RESET, 0, PAT_ACC, 0 },
	{ "PAT Linux value", WR, 0x277, PAT_LINUX, 0, PAT_ACC, 0 },
	{ "PAT all UC-", WR, 0x277, 0x0707070707070707ull, 0, PAT_ACC, 0 },
	{ "PAT all WC", WR, 0x277, 0x0101010101010101ull, 0, PAT_ACC, 0 },
	{ "PAT PA0 = 2", WR, 0x277, 0x0007040600070402ull, 0, PAT_REJ, 0 },
	{ "PAT PA5 = 3", WR, 0x277, 0x0007030600070406ull, 0, PAT_REJ, 0 },
	{ "PAT PA7 = 2", WR, 0x277, 0x0207040600070406ull, 0, PAT_REJ, 0 },
	{ "PAT PA1 = 3", WR, 0x277, 0x0007040600070306ull, 0, PAT_REJ, 0 },
	{ "PAT bit 3", WR, 0x277, 0x000704060007040Eull, 0, PAT_REJ, 0 },
	{ "PAT bits 7:3 of PA7", WR, 0x277, 0xF807040600070406ull, 0, PAT_REJ, 0 },
	{ "PAT PA2 = 0x10", WR, 0x277, 0x0007040600100406ull, 0, PAT_REJ, 0 },
	{ "RDMSR PAT at reset", RD, 0x277, 0, 0, PAT_ACC, PAT_RESET },
};

static void
test_msr_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rule_rows) / sizeof(rule_rows[0]); i++) {
		const struct rule_row *row = &rule_rows[i];

		for (unsigned p = 0; p < PROFILES; p++) {
			struct tdxsim_mtrr_bank *bank =
				new_bank((enum tdxsim_mtrr_profile)p, row->maxphyaddr);
			uint64_t read = row->read;

			/* TDX_2023's DEF_TYPE starts at 0x806. */
			if (p == T23 && row->msr == 0x2FF)
				read = 0x806;
			print_message("B %s / %s\n", tdxsim_mtrr_profile_name(p), row->what);
			check_access(bank, row->access, row->msr, row->value,
				     row->want[p], read);
			tdxsim_mtrr_bank_free(bank);
		}
	}
}

/* BARE: CPUID.MTRR=0 removes every MTRR MSR (SDM 12.11.1); KVM emulates
 * them regardless; PAT is unaffected. */
static void
test_cpuid_mtrr_off(void **state)
{
	static const uint32_t msrs[] = { 0xFE, 0x200, 0x201, 0x250, 0x26F, 0x2FF };
	struct tdxsim_mtrr_config c;
	struct tdxsim_mtrr_bank *bare, *kvm;

	(void)state;
	tdxsim_mtrr_config_init(&c, BARE);
	c.cpuid_mtrr = 0;
	assert_int_equal(tdxsim_mtrr_bank_new(&c, &bare), 0);
	tdxsim_mtrr_config_init(&c, KVM);
	c.cpuid_mtrr = 0;
	assert_int_equal(tdxsim_mtrr_bank_new(&c, &kvm), 0);
	for (size_t i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		check_read(bare, msrs[i], GP, 0);
		check_write(bare, msrs[i], 0, GP);
		check_read(kvm, msrs[i], OK, msrs[i] == 0xFE ? 0x508 : 0);
	}
	check_write(bare, 0x277, PAT_LINUX, OK);
	tdxsim_mtrr_bank_free(bare);
	tdxsim_mtrr_bank_free(kvm);
}

/* BARE: MTRRcap = VCNT | FIX << 8 | WC << 10; no FIX -> no fixed MSRs. */
static void
test_bare_cap(void **state)
{
	struct tdxsim_mtrr_config c;
	struct tdxsim_mtrr_bank *bank;

	(void)state;
	tdxsim_mtrr_config_init(&c, BARE);
	assert_int_equal(c.vcnt, 10);
	assert_int_equal(c.maxphyaddr, 48);
	c.vcnt = 2;
	c.fixed_supported = 0;
	assert_int_equal(tdxsim_mtrr_bank_new(&c, &bank), 0);
	check_read(bank, 0xFE, OK, 0x402);
	check_write(bank, 0x250, 0, GP);
	check_read(bank, 0x26F, GP, 0);
	check_write(bank, 0x203, 0x800, OK);
	check_write(bank, 0x204, 0x6, GP);
	tdxsim_mtrr_bank_free(bank);
	c.fixed_supported = 1;
	c.wc_supported = 0;
	c.vcnt = 40;
	assert_int_equal(tdxsim_mtrr_bank_new(&c, &bank), 0);
	check_read(bank, 0xFE, OK, 0x128);
	check_write(bank, 0x24F, 0x800, OK);
	tdxsim_mtrr_bank_free(bank);
}

/* Config limits; KVM and TDX always have 8 pairs whatever vcnt says. */
static void
test_bank_new(void **state)
{
	struct tdxsim_mtrr_config c;
	struct tdxsim_mtrr_bank *bank = NULL;

	(void)state;
	tdxsim_mtrr_config_init(&c, BARE);
	c.maxphyaddr = 35;
	assert_int_equal(tdxsim_mtrr_bank_new(&c, &bank), -EINVAL);
	c.maxphyaddr = 53;
	assert_int_equal(tdxsim_mtrr_bank_new(&c, &bank), -EINVAL);
	c.maxphyaddr = 36;
	c.vcnt = 41;
	assert_int_equal(tdxsim_mtrr_bank_new(&c, &bank), -EINVAL);
	c.profile = (enum tdxsim_mtrr_profile)5;
	c.vcnt = 8;
	assert_int_equal(tdxsim_mtrr_bank_new(&c, &bank), -EINVAL);
	assert_null(bank);
	tdxsim_mtrr_config_init(&c, KVM);
	assert_int_equal(c.vcnt, 8);
	c.vcnt = 20;
	assert_int_equal(tdxsim_mtrr_bank_new(&c, &bank), 0);
	check_read(bank, 0xFE, OK, 0x508);
	check_write(bank, 0x210, 0x6, GP);
	tdxsim_mtrr_bank_free(bank);
	tdxsim_mtrr_bank_free(NULL);
}

/* MOV CR0: NW=1 with CD=0 is #GP (SDM vol. 2B); TDs: CD or NW -> #VE. */
static void
test_cr0(void **state)
{
	static const enum tdxsim_msr_outcome want[PROFILES][4] = {
		/* CD=0 NW=0, CD=1, NW=1 only, CD=1 NW=1 */
		[BARE] = { OK, OK, GP, OK },
		[LEG] = { OK, OK, GP, OK },
		[KVM] = { OK, OK, GP, OK },
		[TDX] = { OK, VE, VE, VE },
		[T23] = { OK, VE, VE, VE },
	};

	(void)state;
	for (unsigned p = 0; p < PROFILES; p++) {
		for (unsigned bits = 0; bits < 4; bits++) {
			struct tdxsim_mtrr_bank *bank = new_bank((enum tdxsim_mtrr_profile)p, 0);

			check_cr0(bank, bits, want[p][bits]);
			tdxsim_mtrr_bank_free(bank);
		}
	}
}

/*
 * BARE with VCNT at its largest, 40: the last variable pair (MSRs
 * 0x24E/0x24F) takes part in the lookup and nothing past it does; the next
 * MSR, 0x250, is IA32_MTRR_FIX64K_00000 and a write to it changes no
 * variable range. A lookup that walked one pair too far read past the
 * bank's arrays: UBSan's bounds check (CI's sanitizer build) fails it
 * (tools/mutate.py: 'n <= vcnt' survived the plain build). 41 pairs would
 * collide with the fixed ranges' MSR numbers and are refused.
 */
static void
test_largest_vcnt(void **state)
{
	struct tdxsim_mtrr_config c;
	struct tdxsim_mtrr_bank *bank = NULL;
	int undefined = 0;

	(void)state;
	tdxsim_mtrr_config_init(&c, BARE);
	c.vcnt = 40;
	assert_int_equal(tdxsim_mtrr_bank_new(&c, &bank), 0);
	check_write(bank, 0x2FF, 0x800, OK);			/* enabled, UC default, FE=0 */
	check_write(bank, 0x24E, 0x4, OK);			/* base 0, WT */
	check_write(bank, 0x24F, 0xFFFFFFFFF800ull, OK);	/* 4 KiB, valid */
	check_write(bank, 0x250, 0x0606060606060606ull, OK);	/* FIX64K_00000, not pair 40 */
	check_read(bank, 0x24F, OK, 0xFFFFFFFFF800ull);
	assert_int_equal(tdxsim_mtrr_hw_type(bank, 0x0, &undefined), WT);
	assert_int_equal(tdxsim_mtrr_hw_type(bank, 0x1000, &undefined), UC);
	assert_int_equal(undefined, 0);
	tdxsim_mtrr_bank_free(bank);
	c.vcnt = 41;
	assert_int_equal(tdxsim_mtrr_bank_new(&c, &bank), -EINVAL);
}

/* TD MSR accesses carry the TDVMCALL status of the VMM's answer. */
static void
test_td_status(void **state)
{
	struct tdxsim_mtrr_bank *bank = new_bank(TDX, 0);
	struct tdxsim_msr_result r;

	(void)state;
	tdxsim_mtrr_wrmsr(bank, 0x2FF, 0x807, &r);
	assert_int_equal(r.outcome, VFL);
	assert_int_equal(r.tdvmcall_status, 0x8000000000000000ull);
	tdxsim_mtrr_wrmsr(bank, 0x2FF, 0x806, &r);
	assert_int_equal(r.outcome, VOK);
	assert_int_equal(r.tdvmcall_status, 0);
	tdxsim_mtrr_rdmsr(bank, 0xFE, &r);
	assert_int_equal(r.outcome, VOK);
	assert_int_equal(r.value, 0x508);
	tdxsim_mtrr_wrmsr(bank, 0x277, 0x02, &r);
	assert_int_equal(r.outcome, GP);
	assert_int_equal(r.tdvmcall_status, 0);
	tdxsim_mtrr_bank_free(bank);
}

/* ---- SDM 12.11.4.1 precedence ---- */

struct hw_row {
	const char *what;
	struct msr_write w[7];
	uint64_t pa;
	enum tdxsim_mt want;
	int undefined;
};

#define DEF(v) { 0x2FF, (v) }
#define VAR(n, base, mask) { 0x200 + 2 * (n), (base) }, { 0x201 + 2 * (n), (mask) }
#define M_1M   0xFFFFFFF00800ull
#define M_4G   0xFFFF00000800ull
#define M_1G   0xFFFFC0000800ull

static const struct hw_row hw_rows[] = {
	{ "reset: E=0", { { 0, 0 } }, 0x1000, UC, 0 },
	{ "E=0 ignores default and var", { DEF(0x006), VAR(0, 0x6, M_4G) }, 0x1000, UC, 0 },
	{ "E=0 ignores FE and fixed", { DEF(0x406), { 0x250, 0x0606060606060606ull } }, 0x1000, UC, 0 },
	{ "no match -> default", { DEF(0x805) }, 0x12345000, WP, 0 },
	{ "fixed 64K byte 1", { DEF(0xC06), { 0x250, 0x0001040506000104ull } }, 0x10000, WC, 0 },
	{ "fixed 64K byte 0", { DEF(0xC06), { 0x250, 0x0001040506000104ull } }, 0xFFFF, WT, 0 },
	{ "fixed 64K byte 7", { DEF(0xC06), { 0x250, 0x0001040506000104ull } }, 0x7FFFF, UC, 0 },
	{ "fixed 16K_80000 byte 7", { DEF(0xC06), { 0x258, 0x0506060606060606ull } }, 0x9C000, WP, 0 },
	{ "fixed 16K_80000 byte 6", { DEF(0xC06), { 0x258, 0x0506060606060606ull } }, 0x9BFFF, WB, 0 },
	{ "fixed 16K_A0000 byte 0", { DEF(0xC06), { 0x259, 0x0606060606060600ull } }, 0xA0000, UC, 0 },
	{ "fixed 4K_C0000 byte 1", { DEF(0xC06), { 0x268, 0x0606060606060106ull } }, 0xC1FFF, WC, 0 },
	{ "fixed 4K_F8000 byte 7", { DEF(0xC06), { 0x26F, 0x0406060606060606ull } }, 0xFFFFF, WT, 0 },
	{ "1 MiB is past the fixed ranges", { DEF(0xC06), { 0x26F, 0x0404040404040404ull } }, 0x100000, WB, 0 },
	{ "fixed beats var below 1 MiB", { DEF(0xC06), { 0x250, 0x0606060606060606ull }, VAR(0, 0x0, M_1M) }, 0x1000, WB, 0 },
	{ "FE=0 ignores fixed: var", { DEF(0x806), { 0x250, 0x0606060606060606ull }, VAR(0, 0x0, M_1M) }, 0x1000, UC, 0 },
	{ "FE=0 ignores fixed: default", { DEF(0x805), { 0x250, 0x0606060606060606ull } }, 0x1000, WP, 0 },
	{ "one var range", { DEF(0x806), VAR(0, 0xC0000001ull, M_1G) }, 0xC0001000, WC, 0 },
	{ "V=0 range ignored", { DEF(0x806), VAR(0, 0xC0000001ull, 0xFFFFC0000000ull) }, 0xC0001000, WB, 0 },
	{ "UC wins over WB", { DEF(0x806), VAR(0, 0x6, M_4G), VAR(1, 0xC0000000ull, M_1G) }, 0xfed40000, UC, 0 },
	{ "UC range only where it matches", { DEF(0x800), VAR(0, 0x6, M_4G), VAR(1, 0xC0000000ull, M_1G) }, 0x10000000, WB, 0 },
	{ "UC wins over WC and WB", { DEF(0x806), VAR(0, 0x6, M_4G), VAR(1, 0xC0000001ull, M_1G), VAR(2, 0xC0000000ull, M_1G) }, 0xC0001000, UC, 0 },
	{ "WT + WB -> WT", { DEF(0x806), VAR(0, 0x6, M_4G), VAR(1, 0xC0000004ull, M_1G) }, 0xC0001000, WT, 0 },
	{ "WC + WC -> WC", { DEF(0x806), VAR(0, 0x1, M_4G), VAR(1, 0xC0000001ull, M_1G) }, 0xC0001000, WC, 0 },
	{ "WC + WB undefined", { DEF(0x806), VAR(0, 0x6, M_4G), VAR(1, 0xC0000001ull, M_1G) }, 0xC0001000, UC, 1 },
	{ "WP + WT undefined", { DEF(0x806), VAR(0, 0x4, M_4G), VAR(1, 0xC0000005ull, M_1G) }, 0xC0001000, UC, 1 },
	{ "WT + WB + WC undefined", { DEF(0x806), VAR(0, 0x6, M_4G), VAR(1, 0xC0000004ull, M_1G), VAR(2, 0xC0000001ull, M_1G) }, 0xC0001000, UC, 1 },
	{ "S2b: base matches", { DEF(0x806), VAR(0, S2B_BASE, S2B_MASK) }, 0x7ff7c000, UC, 0 },
	{ "S2b: 0xFFF7C000 matches too", { DEF(0x806), VAR(0, S2B_BASE, S2B_MASK) }, 0xFFF7C000ull, UC, 0 },
	{ "S2b: 0x80000000 in the mask's hole", { DEF(0x806), VAR(0, S2B_BASE, S2B_MASK) }, 0x80000000ull, WB, 0 },
	{ "S2b: the TPM does not match", { DEF(0x806), VAR(0, S2B_BASE, S2B_MASK) }, 0xfed40000, WB, 0 },
};

static void
program(struct tdxsim_mtrr_bank *bank, const struct msr_write *w, size_t n)
{
	struct tdxsim_msr_result r;

	for (size_t i = 0; i < n && w[i].msr; i++) {
		tdxsim_mtrr_wrmsr(bank, w[i].msr, w[i].value, &r);
		assert_int_equal(r.outcome, OK);
	}
}

static void
test_hw_type(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(hw_rows) / sizeof(hw_rows[0]); i++) {
		const struct hw_row *row = &hw_rows[i];
		struct tdxsim_mtrr_bank *bank = new_bank(BARE, 48);
		int undefined = -1;

		print_message("hw %s\n", row->what);
		program(bank, row->w, sizeof(row->w) / sizeof(row->w[0]));
		assert_int_equal(tdxsim_mtrr_hw_type(bank, row->pa, &undefined), row->want);
		assert_int_equal(undefined, row->undefined);
		assert_int_equal(tdxsim_mtrr_hw_type(bank, row->pa, NULL), row->want);
		tdxsim_mtrr_bank_free(bank);
	}
}

/* S2b (docs/memtype.md), the hardware half: the registers the
 * fix 0dccbc75e18d describes for TOLUD 0x7FF7C000 do not cover the TPM
 * when matched as the SDM says; the default WB applies. */
static void
test_s2b_hardware_reading(void **state)
{
	struct tdxsim_mtrr_bank *bank = new_bank(BARE, 48);
	int undefined = -1;

	(void)state;
	check_write(bank, 0x2FF, 0x806, OK);
	check_write(bank, 0x200, 0x000000007ff7c000ull, OK);
	check_write(bank, 0x201, 0x0000ffff7ff7c800ull, OK);
	assert_int_equal(0xfed40000ull & 0x0000ffff7ff7c000ull, 0x7ed40000ull);
	assert_int_equal(tdxsim_mtrr_hw_type(bank, 0xfed40000, &undefined), WB);
	assert_int_equal(undefined, 0);
	tdxsim_mtrr_bank_free(bank);
}

/* ---- SDM table 12-7 ---- */

struct combine_row {
	enum tdxsim_mt mtrr, pat, want;
};

static const struct combine_row combine_rows[] = {
	{ UC, UC, UC }, { UC, UCM, UC }, { UC, WC, WC }, { UC, WT, UC }, { UC, WB, UC }, { UC, WP, UC },
	{ WC, UC, UC }, { WC, UCM, WC }, { WC, WC, WC }, { WC, WT, UC }, { WC, WB, WC }, { WC, WP, UC },
	{ WT, UC, UC }, { WT, UCM, UC }, { WT, WC, WC }, { WT, WT, WT }, { WT, WB, WT }, { WT, WP, WP },
	{ WB, UC, UC }, { WB, UCM, UC }, { WB, WC, WC }, { WB, WT, WT }, { WB, WB, WB }, { WB, WP, WP },
	{ WP, UC, UC }, { WP, UCM, WC }, { WP, WC, WC }, { WP, WT, WT }, { WP, WB, WP }, { WP, WP, WP },
	/* Not in the table (UC- is no MTRR type): our choice, UC. */
	{ UCM, UC, UC }, { UCM, UCM, UC }, { UCM, WC, UC }, { UCM, WT, UC }, { UCM, WB, UC }, { UCM, WP, UC },
};

static void
test_table_12_7(void **state)
{
	(void)state;
	assert_int_equal(sizeof(combine_rows) / sizeof(combine_rows[0]), 36);
	for (size_t i = 0; i < sizeof(combine_rows) / sizeof(combine_rows[0]); i++) {
		const struct combine_row *c = &combine_rows[i];

		if (tdxsim_mt_combine(c->mtrr, c->pat) != c->want)
			print_message("MTRR %s x PAT %s\n", tdxsim_mt_name(c->mtrr),
				      tdxsim_mt_name(c->pat));
		assert_int_equal(tdxsim_mt_combine(c->mtrr, c->pat), c->want);
	}
	assert_int_equal(tdxsim_mt_combine((enum tdxsim_mt)2, WB), UC);
	assert_int_equal(tdxsim_mt_combine(WB, (enum tdxsim_mt)3), UC);
	assert_int_equal(tdxsim_mt_combine((enum tdxsim_mt)9, WB), UC);
}

/* ---- PAT index (SDM 12.12.3) ---- */

static void
test_pat_entry(void **state)
{
	static const enum tdxsim_mt reset[8] = { WB, WT, UCM, UC, WB, WT, UCM, UC };
	static const enum tdxsim_mt linux_pat[8] = { WB, WC, UCM, UC, WB, WP, UCM, WT };

	(void)state;
	for (int i = 0; i < 8; i++) {
		int pat = (i >> 2) & 1, pcd = (i >> 1) & 1, pwt = i & 1;

		assert_int_equal(tdxsim_pat_entry(PAT_RESET, pat, pcd, pwt), reset[i]);
		assert_int_equal(tdxsim_pat_entry(PAT_LINUX, pat, pcd, pwt), linux_pat[i]);
	}
	/* Any non-zero flag counts as 1. */
	assert_int_equal(tdxsim_pat_entry(PAT_LINUX, 2, 0, 5), WP);
}

/* ---- EPT effective type (SDM vol. 3C "EPT and memory typing") ---- */

static void
test_ept_effective(void **state)
{
	enum tdxsim_mt out = WB;

	(void)state;
	for (int mt = 2; mt <= 7; mt += (mt == 3 ? 4 : 1)) {
		assert_int_equal(tdxsim_ept_effective((enum tdxsim_mt)mt, 0, WB, 0, &out), -EINVAL);
		assert_int_equal(tdxsim_ept_effective((enum tdxsim_mt)mt, 1, WB, 0, &out), -EINVAL);
		assert_int_equal(tdxsim_ept_effective((enum tdxsim_mt)mt, 1, WB, 1, &out), -EINVAL);
	}
	assert_int_equal(tdxsim_ept_effective((enum tdxsim_mt)8, 1, WB, 0, &out), -EINVAL);
	assert_int_equal(tdxsim_ept_effective(WB, 1, WC, 1, &out), 0);
	assert_int_equal(out, UC);
	assert_int_equal(tdxsim_ept_effective(WP, 1, UC, 0, &out), 0);
	assert_int_equal(out, WP);
	assert_int_equal(tdxsim_ept_effective(WP, 0, UCM, 0, &out), 0);
	assert_int_equal(out, WC);
	assert_int_equal(tdxsim_ept_effective(WB, 0, (enum tdxsim_mt)2, 0, &out), -EINVAL);
	assert_int_equal(tdxsim_ept_effective(WB, 1, (enum tdxsim_mt)2, 0, &out), 0);
	assert_int_equal(out, WB);
}

/* ---- names ---- */

static void
test_names(void **state)
{
	static const char *const profiles[PROFILES] = {
		"bare", "kvm-legacy", "kvm", "tdx", "tdx-2023",
	};
	enum tdxsim_mtrr_profile p = BARE;

	(void)state;
	assert_string_equal(tdxsim_mt_name(UC), "UC");
	assert_string_equal(tdxsim_mt_name(WC), "WC");
	assert_string_equal(tdxsim_mt_name(WT), "WT");
	assert_string_equal(tdxsim_mt_name(WP), "WP");
	assert_string_equal(tdxsim_mt_name(WB), "WB");
	assert_string_equal(tdxsim_mt_name(UCM), "UC-");
	assert_null(tdxsim_mt_name((enum tdxsim_mt)2));
	assert_null(tdxsim_mt_name((enum tdxsim_mt)3));
	assert_null(tdxsim_mt_name((enum tdxsim_mt)8));
	assert_string_equal(tdxsim_pcm_name(TDXSIM_PCM_WB), "write-back");
	assert_string_equal(tdxsim_pcm_name(TDXSIM_PCM_WC), "write-combining");
	assert_string_equal(tdxsim_pcm_name(TDXSIM_PCM_UC_MINUS), "uncached-minus");
	assert_string_equal(tdxsim_pcm_name(TDXSIM_PCM_UC), "uncached");
	assert_string_equal(tdxsim_pcm_name(TDXSIM_PCM_WT), "write-through");
	assert_string_equal(tdxsim_pcm_name(TDXSIM_PCM_WP), "write-protected");
	assert_string_equal(tdxsim_pcm_name((enum tdxsim_pcm)6), "broken");
	for (unsigned i = 0; i < PROFILES; i++) {
		assert_string_equal(tdxsim_mtrr_profile_name((enum tdxsim_mtrr_profile)i), profiles[i]);
		assert_int_equal(tdxsim_mtrr_profile_from_name(profiles[i], &p), 0);
		assert_int_equal(p, i);
	}
	assert_null(tdxsim_mtrr_profile_name((enum tdxsim_mtrr_profile)PROFILES));
	assert_int_equal(tdxsim_mtrr_profile_from_name("KVM", &p), -EINVAL);
	assert_int_equal(tdxsim_mtrr_profile_from_name("tdx-v17", &p), -EINVAL);
	assert_int_equal(tdxsim_mtrr_profile_from_name(NULL, &p), -EINVAL);
	assert_int_equal(TDXSIM_MTRR_PROFILE_COUNT, PROFILES);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s3_msr_matrix),
		cmocka_unit_test(test_s3_ept_matrix),
		cmocka_unit_test(test_msr_rules),
		cmocka_unit_test(test_cpuid_mtrr_off),
		cmocka_unit_test(test_bare_cap),
		cmocka_unit_test(test_bank_new),
		cmocka_unit_test(test_cr0),
		cmocka_unit_test(test_largest_vcnt),
		cmocka_unit_test(test_td_status),
		cmocka_unit_test(test_hw_type),
		cmocka_unit_test(test_s2b_hardware_reading),
		cmocka_unit_test(test_table_12_7),
		cmocka_unit_test(test_pat_entry),
		cmocka_unit_test(test_ept_effective),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
