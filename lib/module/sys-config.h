/* SPDX-License-Identifier: MIT */
/*
 * TDH.SYS.CONFIG's per-entry validation of TDMR_INFO, as a pure function.
 *
 * Rules, order and status words: intel/tdx-module tdx_1.5
 * src/vmm_dispatcher/api_calls/tdh_sys_config.c (check_and_set_tdmrs and its
 * callees) and api_error_code_t of include/tdx_api_defs.h. The register and state
 * checks that come first (lock, state, RCX, RDX, R8) and the per-entry
 * pointer check belong to the dispatcher (module.c).
 */
#ifndef TDXSIM_MODULE_SYS_CONFIG_H
#define TDXSIM_MODULE_SYS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tdxsim/layout.h>
#include <tdxsim/platform.h>

/* What the checks are made against. */
struct tdxsim_config_env {
	/* All CMR slots as the module holds them (null slots included). */
	const struct tdxsim_cmr *cmrs;
	size_t cmr_count;
	/* HKID bits of a physical address: bits [51 : hkid_start_bit]. */
	uint64_t hkid_mask;
	/* Reserved-area slots per TDMR_INFO entry (MAX_RESERVED_PER_TDMR). */
	unsigned rsvd_slots;
	/* Module 1.0: the final available-area check in C2 lacks the
	 * "aend > avail" guard (1.0.x tdh_sys_config.c). */
	bool quirk_1_0_tail_check;
	/* Dynamic PAMT: the PAMT_4K area is a bitmap, one bit per 4 KiB page
	 * (check_pamt_addresses_and_size() of 2.0.08). */
	bool dynamic_pamt;
};

/* One TDMR_INFO entry exactly as the module copies it: every slot. */
struct tdxsim_tdmr_info {
	uint64_t base;
	uint64_t size;
	uint64_t pamt_base[3];		/* by PT level: 4K = 0, 2M = 1, 1G = 2 */
	uint64_t pamt_size[3];
	uint64_t rsvd_offset[TDXSIM_MAX_RESERVED_SLOTS];
	uint64_t rsvd_size[TDXSIM_MAX_RESERVED_SLOTS];
};

/* Decode TDXSIM_TDMR_INFO_SIZE(slots) little-endian bytes (tdmr_info_entry_t of
 * include/tdx_api_defs.h: PAMT 1G pair at 0x10, 2M at 0x20, 4K at 0x30). */
void tdxsim_tdmr_info_decode(const uint8_t *bytes, unsigned slots,
			     struct tdxsim_tdmr_info *out);

/*
 * Check entry i against entries[0 .. i-1], which passed before, with rules
 * T1-T6, R1-R7, P1-P5, O1-O4, C1, C2 in the module's order. Returns
 * TDXSIM_TDX_SUCCESS or the first failing rule's status word with its
 * detail bytes (i, j / pt, ...).
 */
uint64_t tdxsim_sys_config_check_entry(const struct tdxsim_config_env *env,
				       const struct tdxsim_tdmr_info *entries,
				       size_t i);

/* is_area_in_cmr(): [start, end) inside one CMR or one run of contiguous
 * CMRs (null slots skipped, contiguous CMRs merged). */
bool tdxsim_area_in_cmrs(const struct tdxsim_config_env *env, uint64_t start,
			 uint64_t end);

#endif /* TDXSIM_MODULE_SYS_CONFIG_H */
