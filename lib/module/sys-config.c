/* SPDX-License-Identifier: MIT */
/*
 * TDH.SYS.CONFIG's per-entry validation of TDMR_INFO (rules T1..C2).
 *
 * Source: intel/tdx-module tdx_1.5, src/vmm_dispatcher/api_calls/
 * tdh_sys_config.c: check_and_set_tdmrs() and its callees
 * (is_area_in_cmr(), the available-area walk), in their evaluation order. The code
 * below is written from that description: every rule is the module's,
 * including its order, its detail bytes and its quirks, so that a host
 * sees the same status word the real module would return.
 */
#include "config.h"

#include <string.h>

#include <tdxsim/status.h>

#include "sys-config.h"

#define SZ_4K ((uint64_t)1 << 12)
#define SZ_2M ((uint64_t)1 << 21)
#define SZ_1G ((uint64_t)1 << 30)

/* The module's MAX_PA is the constant 52 (x86_defs.h), not MAXPHYADDR. */
#define MAX_PA_LIMIT ((uint64_t)1 << 52)

/* sizeof(pamt_entry_t) in the module: a constant, whatever the profile. */
#define PAMT_ENTRY_SIZE ((uint64_t)16)

/* TDMR_INFO_ENTRY field offsets (tdmr_info_entry_t, include/tdx_api_defs.h). */
#define OFF_BASE 0x00u
#define OFF_SIZE 0x08u
#define OFF_RSVD 0x40u
#define RSVD_STRIDE 16u

/* Page size of each PAMT level, indexed by PT_4KB = 0, PT_2MB = 1, PT_1GB = 2. */
static const uint64_t pamt_page_size[3] = { SZ_4K, SZ_2M, SZ_1G };

/* Offsets of each level's PAMT base in TDMR_INFO_ENTRY (size follows at +8). */
static const unsigned pamt_offset[3] = { 0x30u, 0x20u, 0x10u };

/* ---- decoding ---- */

/* Byte by byte: the buffer may be unaligned and the host big-endian. */
static uint64_t
get_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned k = 8; k-- > 0;)
		v = (v << 8) | p[k];
	return v;
}

void
tdxsim_tdmr_info_decode(const uint8_t *bytes, unsigned slots,
			struct tdxsim_tdmr_info *out)
{
	memset(out, 0, sizeof(*out));
	if (slots > TDXSIM_MAX_RESERVED_SLOTS)
		slots = TDXSIM_MAX_RESERVED_SLOTS;
	out->base = get_le64(bytes + OFF_BASE);
	out->size = get_le64(bytes + OFF_SIZE);
	for (unsigned pt = 0; pt < 3; pt++) {
		out->pamt_base[pt] = get_le64(bytes + pamt_offset[pt]);
		out->pamt_size[pt] = get_le64(bytes + pamt_offset[pt] + 8);
	}
	for (unsigned k = 0; k < slots; k++) {
		const uint8_t *slot = bytes + OFF_RSVD + RSVD_STRIDE * k;

		out->rsvd_offset[k] = get_le64(slot);
		out->rsvd_size[k] = get_le64(slot + 8);
	}
}

/* ---- helpers as the module codes them (tdh_sys_config.c, helpers.h) ---- */

/* api_error_with_multiple_info(): plain addition; b3 is always 0 here. */
static uint64_t
status_with_info(uint64_t err, size_t b0, size_t b1, size_t b2)
{
	return err + (uint8_t)b0 + ((uint64_t)(uint8_t)b1 << 8) +
	       ((uint64_t)(uint8_t)b2 << 16);
}

/* is_valid_integer_range(): base + size does not wrap. */
static bool
range_fits(uint64_t base, uint64_t size)
{
	return base <= UINT64_MAX - size;
}

static bool
is_aligned(uint64_t v, uint64_t align)
{
	return (v & (align - 1)) == 0;
}

/* is_pa_smaller_than_max_pa() and get_hkid_from_pa() == 0 (helpers.c). */
static bool
pa_is_shared_ok(const struct tdxsim_config_env *env, uint64_t pa)
{
	return pa < MAX_PA_LIMIT && (pa & env->hkid_mask) == 0;
}

/*
 * is_overlap() of helpers.h, half-open. Exactly the module's formula: it
 * has no special case for size 0 (is_overlap(),
 * src/common/helpers/helpers.h), but P5 makes every PAMT
 * non-empty and the available-area walk never yields an empty area, so
 * an empty interval cannot reach it from check_entry.
 */
static bool
is_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return !(a >= b + bs || b >= a + as);
}

static unsigned
rsvd_slot_count(const struct tdxsim_config_env *env)
{
	return env->rsvd_slots < TDXSIM_MAX_RESERVED_SLOTS ?
	       env->rsvd_slots : TDXSIM_MAX_RESERVED_SLOTS;
}

bool
tdxsim_area_in_cmrs(const struct tdxsim_config_env *env, uint64_t start,
		    uint64_t end)
{
	uint64_t last_start = 0;
	uint64_t last_end = 0;

	/* is_area_in_cmr() (tdh_sys_config.c): null slots are skipped anywhere; a
	 * CMR starting at the previous non-null one's end takes over its
	 * (merged) start, so a run of contiguous CMRs acts as one. */
	for (size_t k = 0; k < env->cmr_count; k++) {
		uint64_t cstart = env->cmrs[k].base;
		uint64_t cend = env->cmrs[k].base + env->cmrs[k].size;

		if (env->cmrs[k].size == 0)
			continue;
		if (cstart == last_end)
			cstart = last_start;
		if (start >= cstart && end <= cend)
			return true;
		last_start = cstart;
		last_end = cend;
	}
	return false;
}

/* ---- the available-area walk (check_tdmr_available_areas()) ---- */

/* Judges one non-reserved area [start, end); true means "bad, stop". */
typedef bool (*area_judge)(const void *ctx, uint64_t start, uint64_t end);

/*
 * The walk shared by C2 (check_tdmr_available_areas) and O3/O4
 * (is_pamt_overlaps_available_area). A valid slot starting where the
 * current available area starts (TDMR start, or back-to-back slots) is
 * skipped; the first null slot ends the walk with the TDMR tail. When
 * every slot is valid, the tail after the last one is judged at the end,
 * only when non-empty unless tail_guard is false (a 1.0 quirk: module 1.0.3's
 * tdh_sys_config.c).
 */
static bool
walk_available(const struct tdxsim_config_env *env,
	       const struct tdxsim_tdmr_info *t, bool tail_guard,
	       area_judge judge, const void *ctx)
{
	uint64_t tdmr_end = t->base + t->size;
	uint64_t avail = t->base;
	bool valid = false;

	for (unsigned j = 0; j < rsvd_slot_count(env); j++) {
		uint64_t rstart = t->base + t->rsvd_offset[j];
		uint64_t rend = rstart + t->rsvd_size[j];

		/* Set before the "nothing left" break, as in the module: the
		 * tail check below depends on the slot the walk stopped at. */
		valid = t->rsvd_size[j] != 0;
		if (avail == tdmr_end)
			break;
		if (valid && avail == rstart) {
			avail = rend;
			continue;
		}
		if (judge(ctx, avail, valid ? rstart : tdmr_end))
			return true;
		if (!valid)
			break;
		avail = rend;
	}
	if (valid && (tdmr_end > avail || !tail_guard))
		return judge(ctx, avail, tdmr_end);
	return false;
}

struct pamt_range {
	uint64_t base;
	uint64_t size;
};

static bool
judge_pamt_overlap(const void *ctx, uint64_t start, uint64_t end)
{
	const struct pamt_range *p = ctx;

	return is_overlap(p->base, p->size, start, end - start);
}

static bool
judge_outside_cmrs(const void *ctx, uint64_t start, uint64_t end)
{
	return !tdxsim_area_in_cmrs(ctx, start, end);
}

/* ---- T1..T6: the TDMR itself ---- */

/* T1-T3 (check_and_set_tdmrs): overflow, then order and overlap against
 * the previous TDMR only. */
static uint64_t
check_tdmr_order(const struct tdxsim_tdmr_info *e, size_t i)
{
	if (!range_fits(e[i].base, e[i].size))
		return status_with_info(TDXSIM_TDX_INVALID_TDMR, i, 0, 0);
	if (i > 0 && e[i].base < e[i - 1].base)
		return status_with_info(TDXSIM_TDX_NON_ORDERED_TDMR, i, 0, 0);
	if (i > 0 && e[i].base < e[i - 1].base + e[i - 1].size)
		return status_with_info(TDXSIM_TDX_NON_ORDERED_TDMR, i, 0, 0);
	return TDXSIM_TDX_SUCCESS;
}

/* T4-T6 (check_tdmr_area_addresses_and_size). */
static uint64_t
check_tdmr_addresses(const struct tdxsim_config_env *env,
		     const struct tdxsim_tdmr_info *t, size_t i)
{
	uint64_t bad = status_with_info(TDXSIM_TDX_INVALID_TDMR, i, 0, 0);

	if (!is_aligned(t->base, SZ_1G) || !is_aligned(t->size, SZ_1G) ||
	    t->size == 0)					/* T4 */
		return bad;
	if (!pa_is_shared_ok(env, t->base))			/* T5 */
		return bad;
	if (!pa_is_shared_ok(env, t->base + t->size - 1))	/* T6 */
		return bad;
	return TDXSIM_TDX_SUCCESS;
}

/* ---- R1..R7: reserved areas (check_tdmr_reserved_areas) ---- */

/* R2-R7 for a non-null slot j. R3/R4 compare with slot j-1, which R1
 * (already run on j-1) guarantees is non-null. */
static bool
rsvd_slot_ok(const struct tdxsim_tdmr_info *t, unsigned j, bool *ordered)
{
	uint64_t off = t->rsvd_offset[j];
	uint64_t size = t->rsvd_size[j];

	*ordered = true;
	if (!range_fits(off, size))				/* R2 */
		return false;
	if (j > 0 && (off < t->rsvd_offset[j - 1] ||		/* R3 */
		      off < t->rsvd_offset[j - 1] + t->rsvd_size[j - 1])) {
		*ordered = false;				/* R4 */
		return false;
	}
	if (!is_aligned(off, SZ_4K) || !is_aligned(size, SZ_4K))	/* R5 */
		return false;
	if (!range_fits(t->base, off) || !range_fits(t->base + off, size))
		return false;					/* R6 */
	/* R7; the first half cannot fail after R6 but is the module's. */
	return t->base + off >= t->base &&
	       t->base + off + size <= t->base + t->size;
}

static uint64_t
check_reserved(const struct tdxsim_config_env *env,
	       const struct tdxsim_tdmr_info *t, size_t i)
{
	unsigned slots = rsvd_slot_count(env);

	for (unsigned j = 0; j < slots; j++) {
		bool ordered;

		if (t->rsvd_size[j] == 0) {
			/* R1: a null slot ends the list; the detail names the
			 * null slot, not the non-null one after it. */
			if (j + 1 < slots && t->rsvd_size[j + 1] != 0)
				return status_with_info(
					TDXSIM_TDX_NON_ORDERED_RESERVED_IN_TDMR,
					i, j, 0);
			continue;
		}
		if (rsvd_slot_ok(t, j, &ordered))
			continue;
		return status_with_info(ordered ?
					TDXSIM_TDX_INVALID_RESERVED_IN_TDMR :
					TDXSIM_TDX_NON_ORDERED_RESERVED_IN_TDMR,
					i, j, 0);
	}
	return TDXSIM_TDX_SUCCESS;
}

/* ---- P1..P5: PAMT addresses and sizes ---- */

/* check_pamt_addresses_and_size(): P1-P5 for one level. */
static bool
pamt_ok(const struct tdxsim_config_env *env, uint64_t base, uint64_t size,
	uint64_t page, uint64_t tdmr_size)
{
	uint64_t need = (tdmr_size / page) * PAMT_ENTRY_SIZE;

	if (!range_fits(base, size))				/* P1 */
		return false;
	if (!is_aligned(base, SZ_4K) || !is_aligned(size, SZ_4K))	/* P2 */
		return false;
	if (!pa_is_shared_ok(env, base))			/* P3 */
		return false;
	/* P4: size 0 at base 0 makes the end wrap; the module fails it here. */
	if (!pa_is_shared_ok(env, base + size - 1))
		return false;
	/* P5: the page count times 16, not rounded up (P2 does that); with
	 * Dynamic PAMT the 4K level needs one bit per page. */
	if (env->dynamic_pamt && page == SZ_4K)
		need = tdmr_size / SZ_4K / 8;
	return size >= need;
}

/* check_pamt_addresses(): levels 1G, 2M, 4K in that order. */
static uint64_t
check_pamt_addresses(const struct tdxsim_config_env *env,
		     const struct tdxsim_tdmr_info *t, size_t i)
{
	for (unsigned k = 0; k < 3; k++) {
		unsigned pt = TDXSIM_PAMT_1G - k;

		if (!pamt_ok(env, t->pamt_base[pt], t->pamt_size[pt],
			     pamt_page_size[pt], t->size))
			return status_with_info(TDXSIM_TDX_INVALID_PAMT, i, pt, 0);
	}
	return TDXSIM_TDX_SUCCESS;
}

/* ---- O1..O4: PAMT overlaps ---- */

/* check_pamt_overlap(): one PAMT against all three of entry j. */
static bool
pamt_hits_entry_pamts(uint64_t base, uint64_t size,
		      const struct tdxsim_tdmr_info *other)
{
	for (unsigned pt = 0; pt < 3; pt++)
		if (is_overlap(base, size, other->pamt_base[pt],
			       other->pamt_size[pt]))
			return true;
	return false;
}

/* O2 pairs in the module's order, each reported with the first level. */
static const unsigned own_pairs[3][2] = {
	{ TDXSIM_PAMT_4K, TDXSIM_PAMT_2M },
	{ TDXSIM_PAMT_4K, TDXSIM_PAMT_1G },
	{ TDXSIM_PAMT_2M, TDXSIM_PAMT_1G },
};

/* check_all_pamt_overlap(): O1 with j outer and i's levels 4K, 2M, 1G
 * inner, then O2 within entry i. */
static uint64_t
check_pamt_pamt_overlap(const struct tdxsim_tdmr_info *e, size_t i)
{
	const struct tdxsim_tdmr_info *t = &e[i];

	for (size_t j = 0; j < i; j++)
		for (unsigned pt = 0; pt < 3; pt++)
			if (pamt_hits_entry_pamts(t->pamt_base[pt],
						  t->pamt_size[pt], &e[j]))
				return status_with_info(TDXSIM_TDX_PAMT_OVERLAP,
							i, pt, j);
	for (unsigned k = 0; k < 3; k++) {
		unsigned a = own_pairs[k][0];
		unsigned b = own_pairs[k][1];

		if (is_overlap(t->pamt_base[a], t->pamt_size[a],
			       t->pamt_base[b], t->pamt_size[b]))
			return status_with_info(TDXSIM_TDX_PAMT_OVERLAP, i, a, i);
	}
	return TDXSIM_TDX_SUCCESS;
}

/* Which of owner's PAMTs (4K, 2M, 1G order) touches a non-reserved byte
 * of TDMR t; -1 when none. The 0-sized tail is always guarded here, in
 * 1.0 as in 1.5 (1.0.3's tdh_sys_config.c). */
static int
pamt_in_available(const struct tdxsim_config_env *env,
		  const struct tdxsim_tdmr_info *owner,
		  const struct tdxsim_tdmr_info *t)
{
	for (unsigned pt = 0; pt < 3; pt++) {
		struct pamt_range p = { owner->pamt_base[pt],
					owner->pamt_size[pt] };

		if (walk_available(env, t, true, judge_pamt_overlap, &p))
			return (int)pt;
	}
	return -1;
}

/* check_pamt_overlaps_available_areas(): for each j <= i, O3 (i's PAMTs
 * in TDMR j) then, for j < i, O4 (j's PAMTs in TDMR i, indices swapped). */
static uint64_t
check_pamt_available_overlap(const struct tdxsim_config_env *env,
			     const struct tdxsim_tdmr_info *e, size_t i)
{
	for (size_t j = 0; j <= i; j++) {
		int pt = pamt_in_available(env, &e[i], &e[j]);

		if (pt >= 0)
			return status_with_info(TDXSIM_TDX_PAMT_OVERLAP, i,
						(size_t)pt, j);
		if (j == i)
			break;
		pt = pamt_in_available(env, &e[j], &e[i]);
		if (pt >= 0)
			return status_with_info(TDXSIM_TDX_PAMT_OVERLAP, j,
						(size_t)pt, i);
	}
	return TDXSIM_TDX_SUCCESS;
}

/* ---- C1, C2: containment in CMRs ---- */

/* check_pamt_in_cmr(): C1, levels 1G, 2M, 4K. */
static uint64_t
check_pamt_in_cmrs(const struct tdxsim_config_env *env,
		   const struct tdxsim_tdmr_info *t, size_t i)
{
	for (unsigned k = 0; k < 3; k++) {
		unsigned pt = TDXSIM_PAMT_1G - k;
		uint64_t base = t->pamt_base[pt];

		if (!tdxsim_area_in_cmrs(env, base, base + t->pamt_size[pt]))
			return status_with_info(TDXSIM_TDX_PAMT_OUTSIDE_CMRS,
						i, pt, 0);
	}
	return TDXSIM_TDX_SUCCESS;
}

/* check_tdmr_available_areas(): C2. */
static uint64_t
check_available_in_cmrs(const struct tdxsim_config_env *env,
			const struct tdxsim_tdmr_info *t, size_t i)
{
	if (walk_available(env, t, !env->quirk_1_0_tail_check,
			   judge_outside_cmrs, env))
		return status_with_info(TDXSIM_TDX_TDMR_OUTSIDE_CMRS, i, 0, 0);
	return TDXSIM_TDX_SUCCESS;
}

/* ---- entry point ---- */

/* check_tdmr_pamt_areas(): P, then O1/O2, then O3/O4, then C1. */
static uint64_t
check_pamts(const struct tdxsim_config_env *env,
	    const struct tdxsim_tdmr_info *e, size_t i)
{
	uint64_t st = check_pamt_addresses(env, &e[i], i);

	if (st == TDXSIM_TDX_SUCCESS)
		st = check_pamt_pamt_overlap(e, i);
	if (st == TDXSIM_TDX_SUCCESS)
		st = check_pamt_available_overlap(env, e, i);
	if (st == TDXSIM_TDX_SUCCESS)
		st = check_pamt_in_cmrs(env, &e[i], i);
	return st;
}

uint64_t
tdxsim_sys_config_check_entry(const struct tdxsim_config_env *env,
			      const struct tdxsim_tdmr_info *entries,
			      size_t i)
{
	/* check_and_set_tdmrs(): T1-T3, T4-T6, R1-R7, PAMTs, C2; first
	 * failure wins. */
	uint64_t st = check_tdmr_order(entries, i);

	if (st == TDXSIM_TDX_SUCCESS)
		st = check_tdmr_addresses(env, &entries[i], i);
	if (st == TDXSIM_TDX_SUCCESS)
		st = check_reserved(env, &entries[i], i);
	if (st == TDXSIM_TDX_SUCCESS)
		st = check_pamts(env, entries, i);
	if (st == TDXSIM_TDX_SUCCESS)
		st = check_available_in_cmrs(env, &entries[i], i);
	return st;
}
