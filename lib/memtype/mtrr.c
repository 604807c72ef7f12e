/* SPDX-License-Identifier: MIT */
/*
 * A vCPU's MTRR and PAT MSRs as each profile answers RDMSR, WRMSR and
 * MOV to CR0 (SDM vol. 3A chapter 12, KVM
 * arch/x86/kvm/mtrr.c, KVM TDX 26eab9ae4be0).
 *
 * Sources:
 *  - architecture: Intel SDM vol. 3A 12.11 (MTRRs), 12.12 (PAT), vol. 2B
 *    "MOV - Move to/from Control Registers" (CR0 #GP conditions);
 *  - KVM: torvalds/linux arch/x86/kvm/mtrr.c kvm_mtrr_valid() /
 *    kvm_mtrr_get_msr() (validation unchanged by 0a7b73559b39, v6.11),
 *    kvm_pat_valid() in arch/x86/kvm/x86.h;
 *  - KVM TDX: 26eab9ae4be0 "KVM: TDX: Enable guest access to MTRR MSRs"
 *    (the KVM rules behind a #VE), tdx_complete_emulated_msr()
 *    (TDVMCALL_STATUS_INVALID_OPERAND);
 *  - TDX module 1.5 (intel/tdx-module tdx_1.5): IA32_PAT pass-through,
 *    MTRR MSRs exit to #VE, write_guest_cr0() CD/NW -> #VE;
 *  - historical TDX KVM (Yamahata v17 097/116): MTRRcap 0, DEF_TYPE only
 *    0x806.
 * The code is our own.
 */
#include "config.h"

#include <stdlib.h>

#include "common.h"
#include "memtype-private.h"

/* MSR indexes, SDM vol. 4 table 2-2. */
#define MSR_MTRRCAP		0xFEu
#define MSR_PHYSBASE0		0x200u
#define MSR_FIX64K_00000	0x250u
#define MSR_FIX16K_80000	0x258u
#define MSR_FIX16K_A0000	0x259u
#define MSR_FIX4K_C0000		0x268u
#define MSR_FIX4K_F8000		0x26Fu
#define MSR_PAT			0x277u
#define MSR_DEF_TYPE		0x2FFu

/* IA32_MTRR_DEF_TYPE: bits 7:0 type, 10 FE, 11 E; the rest reserved (SDM 12.11.2.1). */
#define DEF_TYPE_VALID_BITS	0xCFFull
/* PHYSBASEn bits 11:8 and PHYSMASKn bits 10:0 are reserved (SDM 12.11.2.3). */
#define PHYSBASE_RSVD_LOW	0xF00ull
#define PHYSMASK_RSVD_LOW	0x7FFull
/* IA32_PAT: bits 7:3 of every byte reserved (SDM 12.12.2); kvm_pat_valid(). */
#define PAT_RSVD_BITS		0xF8F8F8F8F8F8F8F8ull
#define PAT_LOW_BIT1		0x0202020202020202ull
/* IA32_PAT power-on value: WB, WT, UC-, UC twice (SDM 12.12.4). */
#define PAT_RESET		0x0007040600070406ull

/* MTRRcap: VCNT bits 7:0, FIX bit 8, WC bit 10 (SDM 12.11.1). */
#define CAP_FIX			(1ull << 8)
#define CAP_WC			(1ull << 10)
/* kvm_mtrr_get_msr(): 0x500 | KVM_NR_VAR_MTRR (SMRR 0, WC 1, FIX 1, VCNT 8). */
#define KVM_NR_VAR_MTRR		8u
#define KVM_MTRRCAP		0x508ull
/* Yamahata v17 TDX KVM: MTRRdefType only (1 << 11) | WB, MTRRcap 0. */
#define TDX_2023_DEF_TYPE	0x806ull

/* GHCI TDVMCALL status, Linux asm/shared/tdx.h (GHCI). */
#define TDVMCALL_STATUS_SUCCESS			0ull
#define TDVMCALL_STATUS_INVALID_OPERAND		0x8000000000000000ull

/* The 11 fixed-range MSRs in bank order (SDM 12.11.2.2, table 12-8). */
static int
fixed_index(uint32_t msr)
{
	if (msr == MSR_FIX64K_00000)
		return 0;
	if (msr == MSR_FIX16K_80000 || msr == MSR_FIX16K_A0000)
		return 1 + (int)(msr - MSR_FIX16K_80000);
	if (msr >= MSR_FIX4K_C0000 && msr <= MSR_FIX4K_F8000)
		return 3 + (int)(msr - MSR_FIX4K_C0000);
	return -1;
}

/* Legal MTRR type 0, 1, 4, 5, 6 (SDM 12.11.2; KVM valid_mtrr_type()). */
static bool
valid_mtrr_type(uint64_t t)
{
	return t < 8 && ((1u << t) & 0x73u) != 0;
}

/* No reserved bit, no 2 or 3 in any field (SDM 12.12.2; kvm_pat_valid()). */
static bool
valid_pat(uint64_t v)
{
	if (v & PAT_RSVD_BITS)
		return false;
	return (v | ((v & PAT_LOW_BIT1) << 1)) == v;
}

/* Bits 63:MAXPHYADDR, reserved in PHYSBASEn/PHYSMASKn (SDM 12.11.2.3). */
static uint64_t
rsvd_phys(const struct tdxsim_mtrr_bank *bank)
{
	return ~0ull << bank->config.maxphyaddr;
}

/* Whether the MTRR MSRs exist: BARE needs CPUID.1:EDX.MTRR (SDM 12.11.1);
 * KVM emulates them with no CPUID check (kvm_mtrr_get/set_msr()). */
static bool
mtrrs_exist(const struct tdxsim_mtrr_bank *bank)
{
	return bank->config.profile != TDXSIM_MTRR_BARE ||
	       bank->config.cpuid_mtrr;
}

/* The bank's register behind an MTRR MSR (not MTRRcap, not PAT), or NULL
 * for an MSR this bank has not: var pairs only below VCNT, fixed ranges
 * only with MTRRcap.FIX (SDM 12.11.1; KVM find_mtrr()). */
static uint64_t *
mtrr_reg(struct tdxsim_mtrr_bank *bank, uint32_t msr)
{
	int fix = fixed_index(msr);

	if (!mtrrs_exist(bank))
		return NULL;
	if (msr == MSR_DEF_TYPE)
		return &bank->deftype;
	if (fix >= 0)
		return (bank->cap & CAP_FIX) ? &bank->fixed[fix] : NULL;
	if (msr >= MSR_PHYSBASE0 && msr < MSR_PHYSBASE0 + 2 * bank->config.vcnt) {
		unsigned n = (msr - MSR_PHYSBASE0) / 2;

		return (msr & 1) ? &bank->mask[n] : &bank->base[n];
	}
	return NULL;
}

/* Whether value may go into MTRR MSR msr: SDM 12.11.2.1-3, identical to
 * kvm_mtrr_valid() (arch/x86/kvm/mtrr.c). */
static bool
valid_mtrr_value(const struct tdxsim_mtrr_bank *bank, uint32_t msr,
		 uint64_t v)
{
	if (msr == MSR_DEF_TYPE)
		return !(v & ~DEF_TYPE_VALID_BITS) && valid_mtrr_type(v & 0xFF);
	if (fixed_index(msr) >= 0) {
		for (unsigned i = 0; i < 8; i++)
			if (!valid_mtrr_type((v >> (8 * i)) & 0xFF))
				return false;
		return true;
	}
	if (msr & 1)	/* PHYSMASKn */
		return !(v & (PHYSMASK_RSVD_LOW | rsvd_phys(bank)));
	return valid_mtrr_type(v & 0xFF) &&
	       !(v & (PHYSBASE_RSVD_LOW | rsvd_phys(bank)));
}

/* RDMSR by the SDM (BARE) or by KVM's emulation (KVM*, and TDX behind
 * the #VE); false means #GP / "return 1" from kvm_get_msr_common(). */
static bool
emulated_read(struct tdxsim_mtrr_bank *bank, uint32_t msr, uint64_t *value)
{
	uint64_t *reg;

	if (msr == MSR_PAT) {
		*value = bank->pat;
		return true;
	}
	if (msr == MSR_MTRRCAP) {
		if (!mtrrs_exist(bank))
			return false;
		*value = bank->cap;
		return true;
	}
	reg = mtrr_reg(bank, msr);
	if (!reg)
		return false;
	*value = *reg;
	return true;
}

/* WRMSR likewise; MTRRcap is read-only (SDM 12.11.1; no set case in KVM). */
static bool
emulated_write(struct tdxsim_mtrr_bank *bank, uint32_t msr, uint64_t value)
{
	uint64_t *reg;

	if (msr == MSR_PAT) {
		if (!valid_pat(value))
			return false;
		bank->pat = value;
		return true;
	}
	reg = mtrr_reg(bank, msr);
	if (!reg || !valid_mtrr_value(bank, msr, value))
		return false;
	*reg = value;
	return true;
}

/* A native access: OK or #GP. */
static void
native_outcome(bool ok, uint64_t value, struct tdxsim_msr_result *out)
{
	out->outcome = ok ? TDXSIM_MSR_OK : TDXSIM_MSR_GP;
	out->value = ok ? value : 0;
	out->tdvmcall_status = 0;
}

/* A #VE turned into TDG.VP.VMCALL<Instruction.RDMSR/WRMSR>: the VMM's
 * answer (tdx_complete_emulated_msr(), 26eab9ae4be0). */
static void
ve_outcome(bool ok, uint64_t value, struct tdxsim_msr_result *out)
{
	out->outcome = ok ? TDXSIM_MSR_VE_OK : TDXSIM_MSR_VE_FAIL;
	out->value = ok ? value : 0;
	out->tdvmcall_status = ok ? TDVMCALL_STATUS_SUCCESS :
				    TDVMCALL_STATUS_INVALID_OPERAND;
}

/* Whether the profile runs the guest as a TD (KVM TDX, v6.16). */
static bool
is_td(const struct tdxsim_mtrr_bank *bank)
{
	return bank->config.profile == TDXSIM_MTRR_TDX ||
	       bank->config.profile == TDXSIM_MTRR_TDX_2023;
}

/* The v17 design emulates only MTRRcap (reads 0) and MTRRdefType (Isaku
 * Yamahata's KVM TDX v16 097/116, Oct 2023); every other MTRR MSR is refused. */
static bool
tdx_2023_read(const struct tdxsim_mtrr_bank *bank, uint32_t msr,
	      uint64_t *value)
{
	if (msr == MSR_MTRRCAP) {
		*value = 0;
		return true;
	}
	if (msr == MSR_DEF_TYPE) {
		*value = bank->deftype;
		return true;
	}
	return false;
}

/* v17: MTRRdefType write accepted only when == 0x806 (E=1, FE=0, WB). */
static bool
tdx_2023_write(uint32_t msr, uint64_t value)
{
	return msr == MSR_DEF_TYPE && value == TDX_2023_DEF_TYPE;
}

TDXSIM_EXPORT void
tdxsim_mtrr_config_init(struct tdxsim_mtrr_config *config,
			enum tdxsim_mtrr_profile profile)
{
	if (!config)
		return;
	config->profile = profile;
	config->maxphyaddr = 48;
	/* SDM MTRRcap.VCNT: BARE configurable (e.g. 10), KVM/TDX KVM_NR_VAR_MTRR. */
	config->vcnt = profile == TDXSIM_MTRR_BARE ? 10 : KVM_NR_VAR_MTRR;
	config->fixed_supported = 1;
	config->wc_supported = 1;
	/* TDX module: CPUID.1:EDX.MTRR native 1, not configurable (3.3). */
	config->cpuid_mtrr = 1;
}

/* MTRRcap and VCNT per profile (SDM 12.11.1, KVM's 0x508). */
static void
bank_caps(struct tdxsim_mtrr_bank *bank)
{
	switch (bank->config.profile) {
	case TDXSIM_MTRR_BARE:
		bank->cap = bank->config.vcnt |
			    (bank->config.fixed_supported ? CAP_FIX : 0) |
			    (bank->config.wc_supported ? CAP_WC : 0);
		break;
	case TDXSIM_MTRR_TDX_2023:
		/* MTRRcap reads 0; no variable or fixed MSR is emulated. */
		bank->config.vcnt = 0;
		bank->cap = 0;
		break;
	default:
		bank->config.vcnt = KVM_NR_VAR_MTRR;
		bank->cap = KVM_MTRRCAP;
		break;
	}
}

TDXSIM_EXPORT int
tdxsim_mtrr_bank_new(const struct tdxsim_mtrr_config *config,
		     struct tdxsim_mtrr_bank **out)
{
	struct tdxsim_mtrr_bank *bank;

	if (!config || !out || (unsigned)config->profile >= TDXSIM_MTRR_PROFILE_COUNT ||
	    config->maxphyaddr < 36 || config->maxphyaddr > 52)
		return -EINVAL;
	if (config->profile == TDXSIM_MTRR_BARE && config->vcnt > TDXSIM_MTRR_MAX_VAR)
		return -EINVAL;
	bank = calloc(1, sizeof(*bank));
	if (!bank)
		return -ENOMEM;
	bank->config = *config;
	bank_caps(bank);
	/* Reset: E and all V clear, the rest modelled 0 (SDM 12.11.5); the
	 * v17 TDX vCPU starts at 0x806 (tdx_vcpu_init_mtrr()). */
	bank->deftype = config->profile == TDXSIM_MTRR_TDX_2023 ? TDX_2023_DEF_TYPE : 0;
	bank->pat = PAT_RESET;
	*out = bank;
	return 0;
}

TDXSIM_EXPORT void
tdxsim_mtrr_bank_free(struct tdxsim_mtrr_bank *bank)
{
	free(bank);
}

TDXSIM_EXPORT int
tdxsim_mtrr_rdmsr(struct tdxsim_mtrr_bank *bank, uint32_t msr,
		  struct tdxsim_msr_result *out)
{
	if (!bank || !out)
		return -EINVAL;
	uint64_t value = 0;
	bool ok;

	/* TD: IA32_PAT is pass-through in the module's MSR bitmap (3.3). */
	if (!is_td(bank) || msr == MSR_PAT) {
		ok = emulated_read(bank, msr, &value);
		native_outcome(ok, value, out);
		return 0;
	}
	if (bank->config.profile == TDXSIM_MTRR_TDX_2023)
		ok = tdx_2023_read(bank, msr, &value);
	else
		ok = emulated_read(bank, msr, &value);
	ve_outcome(ok, value, out);
	return 0;
}

TDXSIM_EXPORT int
tdxsim_mtrr_wrmsr(struct tdxsim_mtrr_bank *bank, uint32_t msr,
		  uint64_t value, struct tdxsim_msr_result *out)
{
	if (!bank || !out)
		return -EINVAL;
	bool ok;

	if (!is_td(bank) || msr == MSR_PAT) {
		ok = emulated_write(bank, msr, value);
		native_outcome(ok, 0, out);
		return 0;
	}
	if (bank->config.profile == TDXSIM_MTRR_TDX_2023) {
		ok = tdx_2023_write(msr, value);
		if (ok)
			bank->deftype = value;
	} else {
		ok = emulated_write(bank, msr, value);
	}
	ve_outcome(ok, 0, out);
	return 0;
}

TDXSIM_EXPORT int
tdxsim_mtrr_cr0_write(struct tdxsim_mtrr_bank *bank, int cd, int nw,
		      struct tdxsim_msr_result *out)
{
	if (!bank || !out)
		return -EINVAL;
	out->value = 0;
	out->tdvmcall_status = 0;
	/* TDX module 1.5 write_guest_cr0(): CD=1 or NW=1 is CR_ACCESS_NON_ARCH,
	 * injected as #VE (td_other_exits.c); no TDVMCALL is involved. */
	if (is_td(bank) && (cd || nw)) {
		out->outcome = TDXSIM_MSR_VE;
		return 0;
	}
	/* SDM vol. 2B MOV CR0: NW=1 with CD=0 is #GP(0); KVM kvm_is_valid_cr0(). */
	if (nw && !cd) {
		out->outcome = TDXSIM_MSR_GP;
		return 0;
	}
	bank->cr0_cd = cd != 0;
	bank->cr0_nw = nw != 0;
	out->outcome = TDXSIM_MSR_OK;
	return 0;
}
