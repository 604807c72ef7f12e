/* SPDX-License-Identifier: MIT */
/*
 * Pure memory-type lookups (SDM vol. 3A 12.11.4.1,
 * 12.5.2.2, 12.12, vol. 3C "EPT and Memory Typing"; KVM vmx_get_mt_mask()):
 * the processor's MTRR precedence, MTRR x PAT, the PAT entry of a PTE, the
 * EPT memory type KVM or the TDX module chooses and the type a guest access
 * finally gets; plus the names of types, page cache modes and profiles.
 *
 * Sources:
 *  - Intel SDM vol. 3A 12.11.4.1 (MTRR precedences), 12.5.2.2 table 12-7
 *    (MTRR x PAT), 12.12.3 (PAT index), vol. 3C "EPT and memory typing";
 *  - KVM: torvalds/linux arch/x86/kvm/mtrr.c kvm_mtrr_get_guest_memory_type()
 *    (v4.2..v6.10, removed by 0a7b73559b39), vmx_get_mt_mask() across
 *    c9f65a3f2d92, 0a7b73559b39, c9c1e20b4c7d; KVM TDX 90fe64a94d54;
 *    the historical KVM TDX tdx_get_mt_mask() (v13 .. v18 patch series);
 *  - TDX module 1.5 sept_set_leaf_no_lock_internal() (private: WB, IPAT);
 *  - Linux arch/x86/mm/pat/memtype.c cattr_name().
 * The code is our own.
 */
#include "config.h"

#include <string.h>

#include "common.h"
#include "memtype-private.h"

#define DEF_TYPE_FE	(1ull << 10)
#define DEF_TYPE_E	(1ull << 11)
#define PHYSMASK_V	(1ull << 11)
#define PAGE_MASK_4K	(~0xFFFull)
#define ONE_MIB		0x100000ull
#define TYPE_BIT(t)	(1u << (t))
/* Table 12-7 cell with no architectural meaning (invalid encodings). */
#define NO_TYPE		0xFF

/* ---- the processor's MTRRs (SDM 12.11.4.1) ---- */

/* The fixed-range byte covering pa < 1 MiB (SDM 12.11.2.2, table 12-8):
 * 8 x 64K at 0, 16 x 16K at 0x80000, 64 x 4K at 0xC0000. */
static enum tdxsim_mt
fixed_type(const struct tdxsim_mtrr_bank *bank, uint64_t pa)
{
	unsigned msr, byte;

	if (pa < 0x80000) {
		msr = 0;
		byte = (unsigned)(pa >> 16);
	} else if (pa < 0xC0000) {
		msr = 1 + (unsigned)((pa - 0x80000) >> 17);
		byte = (unsigned)((pa - 0x80000) >> 14) & 7;
	} else {
		msr = 3 + (unsigned)((pa - 0xC0000) >> 15);
		byte = (unsigned)((pa - 0xC0000) >> 12) & 7;
	}
	return (enum tdxsim_mt)((bank->fixed[msr] >> (8 * byte)) & 0xFF);
}

/* The set of types of the valid variable ranges whose
 * (pa & PhysMask) == (PhysBase & PhysMask) (SDM 12.11.2.3). */
static unsigned
var_types_hw(const struct tdxsim_mtrr_bank *bank, uint64_t pa)
{
	uint64_t field = ((1ull << bank->config.maxphyaddr) - 1) & PAGE_MASK_4K;
	unsigned seen = 0;

	for (unsigned n = 0; n < bank->config.vcnt; n++) {
		uint64_t m = bank->mask[n] & field;
		uint64_t t = bank->base[n] & 0xFF;

		if (!(bank->mask[n] & PHYSMASK_V) || (pa & m) != (bank->base[n] & m))
			continue;
		seen |= t < 8 ? TYPE_BIT(t) : TYPE_BIT(TDXSIM_MT_UC);
	}
	return seen;
}

/* Overlap rules of SDM 12.11.4.1: identical -> that type, UC wins, {WT, WB}
 * -> WT, anything else undefined (reported, UC returned). */
static enum tdxsim_mt
resolve_overlap(unsigned seen, int *undefined)
{
	if ((seen & (seen - 1)) == 0) {
		for (unsigned t = 0; t < 8; t++)
			if (seen == TYPE_BIT(t))
				return (enum tdxsim_mt)t;
	}
	if (seen & TYPE_BIT(TDXSIM_MT_UC))
		return TDXSIM_MT_UC;
	if (seen == (TYPE_BIT(TDXSIM_MT_WT) | TYPE_BIT(TDXSIM_MT_WB)))
		return TDXSIM_MT_WT;
	if (undefined)
		*undefined = 1;
	return TDXSIM_MT_UC;
}

TDXSIM_EXPORT enum tdxsim_mt
tdxsim_mtrr_hw_type(const struct tdxsim_mtrr_bank *bank, uint64_t pa,
		    int *undefined)
{
	if (!bank)
		return 0;
	unsigned seen;

	if (undefined)
		*undefined = 0;
	/* E=0: all MTRRs disabled, UC everywhere, FE ignored (SDM 12.11.2.1). */
	if (!(bank->deftype & DEF_TYPE_E))
		return TDXSIM_MT_UC;
	/* Fixed ranges take priority below 1 MiB when FE=1 (SDM 12.11.2.1). */
	if ((bank->deftype & DEF_TYPE_FE) && pa < ONE_MIB)
		return fixed_type(bank, pa);
	seen = var_types_hw(bank, pa);
	if (!seen)
		return (enum tdxsim_mt)(bank->deftype & 0xFF);
	return resolve_overlap(seen, undefined);
}

/* ---- MTRR x PAT (SDM 12.5.2.2, table 12-7) ---- */

/* [MTRR type][PAT type] by encoding; rows/columns 2 and 3 are reserved
 * encodings, row 7 (UC-) is not an MTRR type. Transcribed from table 12-7
 * (also xen-project/xen xen/arch/x86/hvm/mtrr.c mm_type_tbl). */
static const unsigned char combine_tbl[8][8] = {
	/*            UC  WC  -   -   WT  WP  WB  UC-  (PAT) */
	[0] = {  0,  1, NO_TYPE, NO_TYPE, 0, 0, 0, 0 },	/* MTRR UC */
	[1] = {  0,  1, NO_TYPE, NO_TYPE, 0, 0, 1, 1 },	/* MTRR WC */
	[2] = { NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE },
	[3] = { NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE },
	[4] = {  0,  1, NO_TYPE, NO_TYPE, 4, 5, 4, 0 },	/* MTRR WT */
	[5] = {  0,  1, NO_TYPE, NO_TYPE, 4, 5, 5, 1 },	/* MTRR WP */
	[6] = {  0,  1, NO_TYPE, NO_TYPE, 4, 5, 6, 0 },	/* MTRR WB */
	[7] = { NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE, NO_TYPE },
};

TDXSIM_EXPORT enum tdxsim_mt
tdxsim_mt_combine(enum tdxsim_mt mtrr, enum tdxsim_mt pat)
{
	unsigned r = (unsigned)mtrr, c = (unsigned)pat;

	/* Outside table 12-7 (reserved encodings, UC- as an MTRR type): no
	 * architectural answer; we answer the safe UC (SDM Table 12-7). */
	if (r >= 8 || c >= 8 || combine_tbl[r][c] == NO_TYPE)
		return TDXSIM_MT_UC;
	return (enum tdxsim_mt)combine_tbl[r][c];
}

TDXSIM_EXPORT enum tdxsim_mt
tdxsim_pat_entry(uint64_t pat_msr, int pat, int pcd, int pwt)
{
	/* PAT index = 4*PAT + 2*PCD + PWT, field PAi in bits 8i+2:8i (SDM 12.12.3). */
	unsigned i = 4u * (pat != 0) + 2u * (pcd != 0) + (pwt != 0);

	return (enum tdxsim_mt)((pat_msr >> (8 * i)) & 7);
}

/* ---- legacy KVM guest MTRR virtualization (v4.2 .. v6.10) ---- */

/* kvm_mtrr_get_guest_memory_type() keeps valid var ranges in a list by
 * descending PHYSBASE (set_var_mtrr_msr() inserts before the first entry
 * with base <= its own); on equal bases we put the higher index first. */
static bool
legacy_before(const struct tdxsim_mtrr_bank *bank, unsigned a, unsigned b)
{
	if (bank->base[a] != bank->base[b])
		return bank->base[a] > bank->base[b];
	return a > b;
}

/* Legacy var range as the contiguous [base, (base | ~mask) + 1), mask
 * extended with the bits above MAXPHYADDR (var_mtrr_range()). */
static bool
legacy_var_covers(const struct tdxsim_mtrr_bank *bank, unsigned n,
		  uint64_t page)
{
	uint64_t rsvd = ~0ull << bank->config.maxphyaddr;
	uint64_t start = bank->base[n] & PAGE_MASK_4K;
	uint64_t mask = (bank->mask[n] | rsvd) & PAGE_MASK_4K;
	uint64_t end = (start | ~mask) + 1;

	return page + 0x1000 > start && (end == 0 || page < end);
}

/* One step of the legacy merge loop: same -> keep; UC met -> UC; {WT, WB}
 * -> WT; any other pair -> WB ("We use WB for this undefined behavior").
 * Returns true when the loop stops with *type final. */
static bool
legacy_merge(int *type, unsigned cur)
{
	unsigned wt_wb = TYPE_BIT(TDXSIM_MT_WT) | TYPE_BIT(TDXSIM_MT_WB);

	if (*type < 0 || (unsigned)*type == cur) {
		*type = (int)cur;
		return false;
	}
	if (cur == TDXSIM_MT_UC) {
		*type = TDXSIM_MT_UC;
		return true;
	}
	if ((TYPE_BIT(*type) & wt_wb) && (TYPE_BIT(cur) & wt_wb)) {
		*type = TDXSIM_MT_WT;
		return false;
	}
	*type = TDXSIM_MT_WB;
	return true;
}

/* Walk the valid var ranges in list order, merging the ones covering page. */
static int
legacy_var_type(const struct tdxsim_mtrr_bank *bank, uint64_t page)
{
	bool done[TDXSIM_MTRR_MAX_VAR] = { false };
	int type = -1;

	for (unsigned k = 0; k < bank->config.vcnt; k++) {
		unsigned best = bank->config.vcnt;

		for (unsigned n = 0; n < bank->config.vcnt; n++)
			if (!done[n] && (bank->mask[n] & PHYSMASK_V) &&
			    (best == bank->config.vcnt || legacy_before(bank, n, best)))
				best = n;
		if (best == bank->config.vcnt)
			break;
		done[best] = true;
		if (legacy_var_covers(bank, best, page) &&
		    legacy_merge(&type, (unsigned)(bank->base[best] & 0xFF)))
			break;
	}
	return type;
}

/* kvm_mtrr_get_guest_memory_type() for one 4K frame (KVM arch/x86/kvm/mtrr.c
 * before 0a7b73559b39):
 * E=0 -> mtrr_disabled_type() (UC with CPUID.MTRR, else WB); FE and
 * < 1 MiB -> the fixed byte; var ranges; nothing -> default type. */
static enum tdxsim_mt
legacy_guest_type(const struct tdxsim_mtrr_bank *bank, uint64_t gpa)
{
	uint64_t page = gpa & PAGE_MASK_4K;
	int type;

	if (!(bank->deftype & DEF_TYPE_E))
		return bank->config.cpuid_mtrr ? TDXSIM_MT_UC : TDXSIM_MT_WB;
	if ((bank->deftype & DEF_TYPE_FE) && page < ONE_MIB)
		return fixed_type(bank, page);
	type = legacy_var_type(bank, page);
	if (type < 0)
		return (enum tdxsim_mt)(bank->deftype & 0xFF);
	return (enum tdxsim_mt)type;
}

/* ---- EPT memory type (KVM vmx_get_mt_mask(), SDM vol. 3C) ---- */

/* An EPT leaf's memory type (bits 5:3) and IPAT (bit 6). */
struct ept_leaf {
	enum tdxsim_mt mt;
	int ipat;
};

static struct ept_leaf
leaf(enum tdxsim_mt mt, int ipat)
{
	struct ept_leaf l = { mt, ipat };

	return l;
}

/* vmx_get_mt_mask() <= v6.6 with KVM_X86_QUIRK_CD_NW_CLEARED on (the
 * default; S3's "KVM_LEGACY(6.6)"). */
static struct ept_leaf
ept_kvm_legacy(const struct tdxsim_ept_context *ctx, uint64_t gpa)
{
	const struct tdxsim_mtrr_bank *g = ctx->guest_mtrrs;

	if (ctx->is_mmio)
		return leaf(TDXSIM_MT_UC, 0);
	/* No EPT (shadow paging): no EPT leaf; host WB, guest PAT honoured. */
	if (!ctx->tdp)
		return leaf(TDXSIM_MT_WB, 0);
	if (!ctx->noncoherent_dma)
		return leaf(TDXSIM_MT_WB, 1);
	/* Guest CR0.CD=1 with the quirk: WB, IPAT (before c9f65a3f2d92). */
	if (g && g->cr0_cd)
		return leaf(TDXSIM_MT_WB, 1);
	/* No guest bank given: as a bank at reset (E=0, CPUID.MTRR) -> UC. */
	return leaf(g ? legacy_guest_type(g, gpa) : TDXSIM_MT_UC, 0);
}

/* vmx_get_mt_mask() v6.11+: guest MTRRs and CR0.CD ignored (0a7b73559b39,
 * e1548088ff54); IPAT only while the guest PAT is ignored (v6.16
 * c9c1e20b4c7d IGNORE_GUEST_PAT; v6.11-6.15 behave as quirk on). */
static struct ept_leaf
ept_kvm(const struct tdxsim_ept_context *ctx)
{
	if (ctx->is_mmio)
		return leaf(TDXSIM_MT_UC, 0);
	if (!ctx->tdp || ctx->noncoherent_dma)
		return leaf(TDXSIM_MT_WB, 0);
	return leaf(TDXSIM_MT_WB, ctx->ignore_guest_pat ? 1 : 0);
}

/* TD: private GPAs are Secure EPT leaves written WB + IPAT by the module
 * (sept_set_leaf_no_lock_internal()), whatever KVM would choose; shared
 * host MMIO is UC; shared RAM is WB with shared_ram_ipat. KVM TDX as merged
 * forces IGNORE_GUEST_PAT off for TDs (90fe64a94d54): IPAT 0. The
 * historical tdx_get_mt_mask() (v13 057/113 as reworked in Isaku
 * Yamahata's reply of 2023-03-24, posted as v16 056/116 and v18 061/121)
 * sets IPAT unless there is non-coherent DMA. */
static struct ept_leaf
ept_td(const struct tdxsim_ept_context *ctx, int shared_ram_ipat)
{
	if (ctx->is_private)
		return leaf(TDXSIM_MT_WB, 1);
	if (ctx->is_mmio)
		return leaf(TDXSIM_MT_UC, 0);
	return leaf(TDXSIM_MT_WB, shared_ram_ipat);
}

/* BARE: no EPT; the processor's MTRR type with IPAT=0, so that
 * tdxsim_ept_effective() gives MTRR x PAT (SDM 12.5.2.2). */
static struct ept_leaf
ept_bare(const struct tdxsim_ept_context *ctx, uint64_t gpa)
{
	if (!ctx->guest_mtrrs)
		return leaf(TDXSIM_MT_WB, 0);
	return leaf(tdxsim_mtrr_hw_type(ctx->guest_mtrrs, gpa, NULL), 0);
}

TDXSIM_EXPORT void
tdxsim_ept_memtype(const struct tdxsim_ept_context *ctx, uint64_t gpa,
		   enum tdxsim_mt *mt, int *ipat)
{
	if (!ctx || !mt || !ipat)
		return;
	struct ept_leaf l;

	switch (ctx->profile) {
	case TDXSIM_MTRR_KVM_LEGACY:
		l = ept_kvm_legacy(ctx, gpa);
		break;
	case TDXSIM_MTRR_KVM:
		l = ept_kvm(ctx);
		break;
	case TDXSIM_MTRR_TDX:
		l = ept_td(ctx, 0);
		break;
	case TDXSIM_MTRR_TDX_2023:
		l = ept_td(ctx, !ctx->noncoherent_dma);
		break;
	default:
		l = ept_bare(ctx, gpa);
		break;
	}
	*mt = l.mt;
	*ipat = l.ipat;
}

/* EPT MT 0, 1, 4, 5, 6; 2, 3, 7 are an EPT misconfiguration (SDM vol. 3C
 * "EPT misconfigurations"). */
static bool
valid_ept_mt(enum tdxsim_mt mt)
{
	unsigned t = (unsigned)mt;

	return t < 8 && (TYPE_BIT(t) & 0x73u) != 0;
}

TDXSIM_EXPORT int
tdxsim_ept_effective(enum tdxsim_mt ept_mt, int ipat,
		     enum tdxsim_mt guest_pat, int hw_cr0_cd,
		     enum tdxsim_mt *out)
{
	if (!out)
		return -EINVAL;
	unsigned p = (unsigned)guest_pat;

	if (!valid_ept_mt(ept_mt))
		return -EINVAL;
	/* SDM vol. 3C "EPT and memory typing": CR0.CD=1 -> UC; IPAT -> EPT
	 * MT; else table 12-7 with the EPT MT in the MTRR row. */
	if (hw_cr0_cd) {
		*out = TDXSIM_MT_UC;
		return 0;
	}
	if (ipat) {
		*out = ept_mt;
		return 0;
	}
	if (p >= 8 || p == 2 || p == 3)
		return -EINVAL;
	*out = tdxsim_mt_combine(ept_mt, guest_pat);
	return 0;
}

/* ---- names ---- */

TDXSIM_EXPORT const char *
tdxsim_mt_name(enum tdxsim_mt mt)
{
	static const char *const names[8] = {
		[TDXSIM_MT_UC] = "UC", [TDXSIM_MT_WC] = "WC",
		[TDXSIM_MT_WT] = "WT", [TDXSIM_MT_WP] = "WP",
		[TDXSIM_MT_WB] = "WB", [TDXSIM_MT_UC_MINUS] = "UC-",
	};

	return (unsigned)mt < 8 ? names[mt] : NULL;
}

TDXSIM_EXPORT const char *
tdxsim_pcm_name(enum tdxsim_pcm pcm)
{
	/* cattr_name(), arch/x86/mm/pat/memtype.c. */
	static const char *const names[] = {
		[TDXSIM_PCM_WB] = "write-back",
		[TDXSIM_PCM_WC] = "write-combining",
		[TDXSIM_PCM_UC_MINUS] = "uncached-minus",
		[TDXSIM_PCM_UC] = "uncached",
		[TDXSIM_PCM_WT] = "write-through",
		[TDXSIM_PCM_WP] = "write-protected",
	};

	return (unsigned)pcm < ARRAY_LENGTH(names) ? names[pcm] : "broken";
}

static const char *const profile_names[TDXSIM_MTRR_PROFILE_COUNT] = {
	[TDXSIM_MTRR_BARE] = "bare",
	[TDXSIM_MTRR_KVM_LEGACY] = "kvm-legacy",
	[TDXSIM_MTRR_KVM] = "kvm",
	[TDXSIM_MTRR_TDX] = "tdx",
	[TDXSIM_MTRR_TDX_2023] = "tdx-2023",
};

TDXSIM_EXPORT const char *
tdxsim_mtrr_profile_name(enum tdxsim_mtrr_profile profile)
{
	if ((unsigned)profile >= TDXSIM_MTRR_PROFILE_COUNT)
		return NULL;
	return profile_names[profile];
}

TDXSIM_EXPORT int
tdxsim_mtrr_profile_from_name(const char *name, enum tdxsim_mtrr_profile *out)
{
	if (!name)
		return -EINVAL;
	for (unsigned i = 0; i < TDXSIM_MTRR_PROFILE_COUNT; i++) {
		if (strcmp(name, profile_names[i]) == 0) {
			*out = (enum tdxsim_mtrr_profile)i;
			return 0;
		}
	}
	return -EINVAL;
}
