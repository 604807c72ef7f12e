/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the MTRR/PAT MSR bank of each hypervisor profile and the memory-type
 * lookups.
 *
 * Input:
 *   0      profile (% 5)
 *   1      MAXPHYADDR = 36 + byte % 17
 *   2      BARE: variable ranges = byte % 33
 *   3      BARE: bit 0 no FIX, bit 1 no WC, bit 2 no CPUID.MTRR
 *   4..    operations, 10 bytes each: op, MSR selector, value (8 bytes)
 *          op bits 1:0: 0 RDMSR, 1 WRMSR, 2 MOV CR0 (value bits 0, 1 =
 *          CD, NW), 3 lookups at the value as an address;
 *          op bit 2: make the value plausible for the MSR (valid types,
 *          reserved bits cleared) so that writes are accepted often.
 *          The selector picks an MTRR/PAT MSR (or a raw index near them).
 *
 * Invariants (abort() on violation):
 *  - RDMSR does not change the bank and answers the same twice;
 *  - a refused WRMSR (#GP, #VE refused) changes no register: every MSR
 *    reads back as before (outcome and value), and the hardware type of a
 *    set of addresses is unchanged;
 *  - an accepted WRMSR of an MTRR/PAT MSR reads back the value written
 *    (when the profile lets the MSR be read) and changes no other MSR;
 *  - outcomes are those the profile can give (native: OK/#GP; TD: #VE
 *    outcomes for MTRR MSRs, native for PAT);
 *  - tdxsim_mtrr_hw_type(), tdxsim_mt_combine(), tdxsim_ept_memtype() and
 *    tdxsim_ept_effective() only give types in {UC, WC, WT, WP, WB}
 *    (tdxsim_mt_combine and PAT entries aside, UC- is never an effective
 *    type); tdxsim_ept_effective() refuses exactly the invalid EPT types.
 *
 * No global state.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tdxsim/memtype.h>

#include "fuzz-time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

#define NMSR 0x110u	/* 0x200 .. 0x2FF, plus MTRRcap */

static const uint32_t interesting[] = {
	0xFE, 0x2FF, 0x277, 0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B,
	0x26C, 0x26D, 0x26E, 0x26F, 0x200, 0x201, 0x202, 0x203, 0x20E, 0x20F,
	0x210, 0x211, 0x212, 0x213, 0x2FE, 0x1FF, 0x300, 0x0, 0x806,
};
#define NINTERESTING (sizeof(interesting) / sizeof(interesting[0]))

struct snap {
	struct tdxsim_msr_result r[NMSR];
	enum tdxsim_mt hw[8];
};

static const uint64_t probe_pa[8] = {
	0x0, 0x9F000, 0xA0000, 0xC8000, 0xFF000, 0x100000, 0x80000000ULL,
	0xFEC00000ULL,
};

static uint32_t
msr_of_slot(unsigned k)
{
	return k < 0x100 ? 0x200 + k : 0xFE;
}

static bool
valid_type(unsigned t)
{
	return t < 8 && ((1u << t) & 0x73u);
}

static void
snapshot(struct tdxsim_mtrr_bank *b, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned k = 0; k < 0x101; k++)
		CHECK(tdxsim_mtrr_rdmsr(b, msr_of_slot(k), &s->r[k]) == 0);
	for (unsigned k = 0; k < 8; k++) {
		s->hw[k] = tdxsim_mtrr_hw_type(b, probe_pa[k], NULL);
		CHECK(valid_type((unsigned)s->hw[k]));
	}
}

static bool
same_result(const struct tdxsim_msr_result *a, const struct tdxsim_msr_result *b)
{
	return a->outcome == b->outcome && a->value == b->value &&
	       a->tdvmcall_status == b->tdvmcall_status;
}

static int
slot_of_msr(uint32_t msr)
{
	if (msr == 0xFE)
		return 0x100;
	if (msr >= 0x200 && msr < 0x300)
		return (int)(msr - 0x200);
	return -1;
}

static bool
is_td(enum tdxsim_mtrr_profile p)
{
	return p == TDXSIM_MTRR_TDX || p == TDXSIM_MTRR_TDX_2023;
}

/* A value the MSR may well accept. */
static uint64_t
plausible(uint32_t msr, uint64_t v, unsigned maxphy)
{
	static const uint8_t types[8] = { 0, 1, 4, 5, 6, 6, 0, 4 };
	uint64_t phys = maxphy >= 64 ? ~0ULL : (1ULL << maxphy) - 1;
	uint64_t out = 0;

	if (msr == 0x277) {
		static const uint8_t pat[8] = { 0, 1, 4, 5, 6, 7, 6, 0 };

		for (int i = 0; i < 8; i++)
			out |= (uint64_t)pat[(v >> (8 * i)) & 7] << (8 * i);
		return out;
	}
	if (msr == 0x2FF)
		return (v & 0xC00) | types[v & 7];
	if (msr >= 0x250 && msr <= 0x26F) {
		for (int i = 0; i < 8; i++)
			out |= (uint64_t)types[(v >> (8 * i)) & 7] << (8 * i);
		return out;
	}
	if (msr >= 0x200 && msr < 0x300) {
		if (msr & 1)
			return v & phys & ~0x7FFULL;
		return (v & phys & ~0xFFFULL) | types[v & 7];
	}
	return v;
}

static void
lookups(struct tdxsim_mtrr_bank *b, enum tdxsim_mtrr_profile prof, uint64_t v,
	uint8_t op)
{
	int undefined = 0;
	enum tdxsim_mt hw = tdxsim_mtrr_hw_type(b, v, &undefined);
	enum tdxsim_mt pat, ept, eff;
	struct tdxsim_ept_context ctx;
	int ipat = -1;

	CHECK(valid_type((unsigned)hw));
	if (undefined)
		CHECK(hw == TDXSIM_MT_UC);
	for (unsigned m = 0; m < 8; m++)
		for (unsigned p = 0; p < 8; p++)
			CHECK(valid_type((unsigned)tdxsim_mt_combine((enum tdxsim_mt)m,
								       (enum tdxsim_mt)p)));
	pat = tdxsim_pat_entry(v, op & 8, op & 16, op & 32);
	CHECK((unsigned)pat < 8);
	ctx = (struct tdxsim_ept_context){
		.profile = prof, .tdp = (v >> 60) & 1,
		.noncoherent_dma = (v >> 61) & 1, .ignore_guest_pat = (v >> 62) & 1,
		.is_mmio = (v >> 63) & 1, .is_private = (op >> 6) & 1,
		.guest_mtrrs = b,
	};
	tdxsim_ept_memtype(&ctx, v, &ept, &ipat);
	CHECK(valid_type((unsigned)ept));
	CHECK(ipat == 0 || ipat == 1);
	for (unsigned t = 0; t < 9; t++) {
		int ret = tdxsim_ept_effective((enum tdxsim_mt)(t == 8 ? ept : t), ipat,
					       pat, (op >> 7) & 1, &eff);

		if (t != 8 && !valid_type(t)) {
			CHECK(ret == -EINVAL);
			continue;
		}
		CHECK((ret == 0) == (((op >> 7) & 1) || ipat ||
				     (pat != 2 && pat != 3)));
		if (ret == 0)
			CHECK(valid_type((unsigned)eff));
	}
}

static void
run(const uint8_t *d, size_t n)
{
	struct tdxsim_mtrr_config cfg;
	struct tdxsim_mtrr_bank *b = NULL;
	enum tdxsim_mtrr_profile prof;
	struct snap *before, *after;

	if (n < 4)
		return;
	prof = (enum tdxsim_mtrr_profile)(d[0] % TDXSIM_MTRR_PROFILE_COUNT);
	tdxsim_mtrr_config_init(&cfg, prof);
	cfg.maxphyaddr = 36 + d[1] % 17;
	if (prof == TDXSIM_MTRR_BARE) {
		cfg.vcnt = d[2] % 33;
		cfg.fixed_supported = !(d[3] & 1);
		cfg.wc_supported = !(d[3] & 2);
		cfg.cpuid_mtrr = !(d[3] & 4);
	}
	CHECK(tdxsim_mtrr_bank_new(&cfg, &b) == 0);
	before = malloc(sizeof(*before));
	after = malloc(sizeof(*after));
	CHECK(before && after);

	for (size_t off = 4; off + 10 <= n; off += 10) {
		uint8_t op = d[off], sel = d[off + 1];
		uint64_t v = 0;
		uint32_t msr;
		struct tdxsim_msr_result res, again;
		int slot;

		for (int i = 7; i >= 0; i--)
			v = v << 8 | d[off + 2 + i];
		msr = sel < 0xE0 ? interesting[sel % NINTERESTING]
				 : 0x200u + (uint32_t)(sel - 0xE0) * 8u + (uint32_t)(v >> 61);
		if (op & 4)
			v = plausible(msr, v, cfg.maxphyaddr);
		slot = slot_of_msr(msr);
		switch (op & 3) {
		case 0:
			snapshot(b, before);
			CHECK(tdxsim_mtrr_rdmsr(b, msr, &res) == 0);
			CHECK(tdxsim_mtrr_rdmsr(b, msr, &again) == 0);
			CHECK(same_result(&res, &again));
			if (is_td(prof) && msr != 0x277)
				CHECK(res.outcome == TDXSIM_MSR_VE_OK ||
				      res.outcome == TDXSIM_MSR_VE_FAIL);
			else
				CHECK(res.outcome == TDXSIM_MSR_OK ||
				      res.outcome == TDXSIM_MSR_GP);
			if (res.outcome != TDXSIM_MSR_OK && res.outcome != TDXSIM_MSR_VE_OK)
				CHECK(res.value == 0);
			snapshot(b, after);
			CHECK(memcmp(before, after, sizeof(*before)) == 0);
			break;
		case 1:
			snapshot(b, before);
			CHECK(tdxsim_mtrr_wrmsr(b, msr, v, &res) == 0);
			snapshot(b, after);
			if (is_td(prof) && msr != 0x277)
				CHECK(res.outcome == TDXSIM_MSR_VE_OK ||
				      res.outcome == TDXSIM_MSR_VE_FAIL);
			else
				CHECK(res.outcome == TDXSIM_MSR_OK ||
				      res.outcome == TDXSIM_MSR_GP);
			if (res.outcome == TDXSIM_MSR_GP || res.outcome == TDXSIM_MSR_VE_FAIL) {
				CHECK(memcmp(before, after, sizeof(*before)) == 0);
				break;
			}
			/* Accepted: never MTRRcap, never an MSR outside the set. */
			CHECK(msr != 0xFE);
			CHECK(msr == 0x277 || slot >= 0);
			CHECK(tdxsim_mtrr_rdmsr(b, msr, &again) == 0);
			if (again.outcome == TDXSIM_MSR_OK || again.outcome == TDXSIM_MSR_VE_OK)
				CHECK(again.value == v);
			for (unsigned k = 0; k < 0x101; k++)
				if ((int)k != slot)
					CHECK(same_result(&before->r[k], &after->r[k]));
			break;
		case 2:
			snapshot(b, before);
			CHECK(tdxsim_mtrr_cr0_write(b, (int)(v & 1), (int)(v >> 1 & 1), &res) == 0);
			snapshot(b, after);
			/* CR0 is not an MSR: no MSR changes, whatever happened. */
			CHECK(memcmp(before->r, after->r, sizeof(before->r)) == 0);
			if (is_td(prof) && (v & 3))
				CHECK(res.outcome == TDXSIM_MSR_VE);
			else if ((v & 3) == 2)
				CHECK(res.outcome == TDXSIM_MSR_GP);
			else
				CHECK(res.outcome == TDXSIM_MSR_OK);
			break;
		default:
			lookups(b, prof, v, op);
			break;
		}
	}
	free(before);
	free(after);
	tdxsim_mtrr_bank_free(b);
}

/* One input, within the time bound (fuzz-time.h). */
FUZZ_TIMED_ENTRY(run, "fuzz-mtrr")
