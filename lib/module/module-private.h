/* SPDX-License-Identifier: MIT */
/*
 * The simulated module's state, shared by the dispatcher (module.c), the
 * metadata leaves (metadata.c) and TDH.SYS.CONFIG's checks (sys-config.c).
 * Field names follow tdx_global_data.h where the module has one.
 */
#ifndef TDXSIM_MODULE_PRIVATE_H
#define TDXSIM_MODULE_PRIVATE_H

#include <stdbool.h>

#include <tdxsim/module.h>

#include "builds.h"
#include "phys.h"
#include "sys-config.h"

/* Which generation of module ABI is simulated. */
enum module_generation {
	MODULE_GEN_1_0,	/* TDH.SYS.INFO only; the C2 tail quirk */
	MODULE_GEN_1_5,	/* SYS.RD/RDALL; 1.5.01-1.5.06 source */
	MODULE_GEN_2_0,	/* as 1.5, relaxed LP.INIT by default */
};

/* A sorted set of addresses (dpamt.c). */
struct dpamt_set {
	uint64_t *v;
	size_t count, capacity;
};

/* A 2 MiB range whose PAMT entry is PT_PAMT, and its two 4 KiB pages. */
struct dpamt_pair {
	uint64_t range;
	uint64_t page[2];
};

/* Dynamic PAMT state: what the 2 MiB entries and the PAMT page bitmap
 * record. It grows with the pairs handed over, not with memory. */
struct tdxsim_module_dpamt {
	struct dpamt_pair *pairs;	/* sorted by range */
	size_t pair_count, pair_capacity;
	struct dpamt_set pages;		/* PAMT_PAGE_BITMAP: pages holding PAMT */
	struct dpamt_set used_4k;	/* 4 KiB entries not PT_NDA */
};

struct tdxsim_module {
	struct tdxsim_module_profile profile;
	struct tdxsim_module_options options;
	enum module_generation generation;
	struct module_build build;	/* fields, TDX_FEATURES0, CPUID configs */

	/* What MCHECK handed over: all CMR slots (null ones included). */
	struct tdxsim_cmr cmrs[TDXSIM_MAX_CMRS];
	size_t cmrs_given;

	struct tdxsim_phys phys;
	bool out_of_memory;	/* a leaf could not allocate: seamcall -ENOMEM */
	unsigned inject_seen;	/* calls of options.inject_leaf so far */

	enum tdxsim_module_state state;
	bool *lp_is_init;
	unsigned num_of_lps;
	unsigned num_of_init_lps;
	bool *pkg_configured;
	unsigned num_of_pkgs;
	unsigned num_of_init_pkgs;

	/* HKID layout (check_key_management_config()). */
	unsigned hkid_start_bit;
	uint64_t hkid_mask;
	unsigned private_hkid_min;
	unsigned private_hkid_max;
	unsigned global_hkid;	/* 0 until TDH.SYS.CONFIG reserved one */

	/* Configured TDMRs and how far TDH.SYS.TDMR.INIT got in each. */
	struct tdxsim_tdmr_info *tdmrs;
	size_t num_of_tdmrs;
	uint64_t *last_initialized;

	/* TDH.SYS.CONFIG's R8 bit 16 (sys_config_options_t.dynamic_pamt). */
	bool dynamic_pamt;
	struct tdxsim_module_dpamt dpamt;
};

/* HKID bits of an address (tdh_sys_config.c: (pa & hkid_mask) >> hkid_start_bit). */
static inline uint64_t
tdxsim_module_hkid_of(const struct tdxsim_module *m, uint64_t pa)
{
	return (pa & m->hkid_mask) >> m->hkid_start_bit;
}

/* shared_hpa_check(): below 2^52 and not tagged with a private KeyID.
 * SEAMRR is not modelled (docs/fidelity.md). */
bool tdxsim_module_shared_hpa_ok(const struct tdxsim_module *m, uint64_t pa,
				 uint64_t alignment);

/* pa lies in a reserved area of the configured TDMR covering it. */
bool tdxsim_module_pa_reserved(const struct tdxsim_module *m, uint64_t pa);

/* TDH.SYS.RD: status; *value and *next (the next readable element id, or
 * -1) on success. */
uint64_t tdxsim_metadata_read(const struct tdxsim_module *m, uint64_t field_id,
			      uint64_t *value, uint64_t *next);

/* TDH.SYS.RDALL into the 4 KiB page at pa, from field id *next on. */
uint64_t tdxsim_metadata_read_all(struct tdxsim_module *m, uint64_t pa,
				  uint64_t *next);

/* TDH.SYS.INFO: TDSYSINFO_STRUCT (1024 bytes) and 32 CMR_INFO entries. */
uint64_t tdxsim_metadata_sys_info(struct tdxsim_module *m,
				  struct tdxsim_regs *regs);

/* TDH.PHYMEM.PAMT.ADD / REMOVE (dpamt.c): the status; REMOVE returns the
 * pages in RDX and R8. */
uint64_t tdxsim_dpamt_add(struct tdxsim_module *m, struct tdxsim_regs *r);
uint64_t tdxsim_dpamt_remove(struct tdxsim_module *m, struct tdxsim_regs *r);
void tdxsim_dpamt_fini(struct tdxsim_module *m);

/* Stand-in for the TD leaves tdxsim does not simulate (PAGE.AUG, MNG.ADDCX,
 * ...): make the 4 KiB PAMT entry of pa other than PT_NDA, or PT_NDA again.
 * 0, -ENOENT when the 2 MiB range has no PAMT pages, -ENOMEM. */
int tdxsim_dpamt_mark_4k(struct tdxsim_module *m, uint64_t pa, bool in_use);

#endif /* TDXSIM_MODULE_PRIVATE_H */
