/* SPDX-License-Identifier: MIT */
/**
 * @file tdxsim/module.h
 * The simulated TDX module, driven only through SEAMCALLs.
 *
 * A module is created from a platform (its CMRs, module profile, logical
 * CPUs, packages and KeyIDs). The SEAMCALL ABI is the API: put the leaf (and
 * version) in RAX and operands in RCX, RDX, R8..., call tdxsim_seamcall() on
 * a logical CPU, and read the status word back from RAX and outputs from the
 * other registers, as the instruction does. Operands that are physical
 * addresses (TDMR_INFO, the PA array, TDSYSINFO, RDALL pages) point into the
 * module's simulated physical memory, filled with tdxsim_phys_write() and
 * read with tdxsim_phys_read(). Memory is sparse: unwritten bytes read as 0
 * and nothing is allocated per page.
 *
 * A TDX status, even an error, is a simulated outcome: tdxsim_seamcall()
 * returns 0 and the status is in RAX. Negative errnos are for misuse only.
 *
 * API contract (docs/architecture.md): a NULL where an object or an output
 * is required gives -EINVAL (getters and predicates: NULL or 0;
 * status-word functions: an error status), never a crash; a buffer may be NULL when its length is 0;
 * a parameter documented "may be NULL" (or "NULL does nothing") is optional.
 * tests/test-api-null.c calls every exported function to hold this.
 */
#ifndef TDXSIM_MODULE_H
#define TDXSIM_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include <tdxsim/layout.h>
#include <tdxsim/platform.h>
#include <tdxsim/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The general-purpose registers a SEAMCALL reads and writes. */
struct tdxsim_regs {
	uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

/** When TDH.SYS.LP.INIT may run (TDX module 1.5 tdh_sys_lp_init.c; later modules
 * relax it, per Kai Huang on LKML). */
enum tdxsim_lp_init_policy {
	/** 1.5.01-1.5.06 and 2.0.08 source: only in SYSINIT_DONE; CONFIG
	 *  needs every LP. */
	TDXSIM_LP_INIT_STRICT = 0,
	/** Modules after the sources read (unverified; 2.0.08 is still
	 *  STRICT): in any state from SYSINIT_DONE on; CONFIG does not wait
	 *  for every LP. */
	TDXSIM_LP_INIT_RELAXED = 1,
};

/** What NUM_CMRS reports (TDX module 1.5 metadata_sys.c). */
enum tdxsim_num_cmrs_report {
	TDXSIM_NUM_CMRS_MAX = 0,	/**< 32, with null tail slots (1.5 source) */
	TDXSIM_NUM_CMRS_ACTUAL = 1,	/**< the number of CMRs given */
};

/** Behaviour switches; tdxsim_module_options_init() sets each version's defaults. */
struct tdxsim_module_options {
	enum tdxsim_lp_init_policy lp_init_policy;
	enum tdxsim_num_cmrs_report num_cmrs_report;
	/** Nonzero: no module loaded; every SEAMCALL gives VMFAILINVALID. */
	int absent;
	/** TDX_FEATURES0 as TDH.SYS.RD reports it. In 2.0 builds, bit 36
	 *  (DYNAMIC_PAMT) also decides whether the module has Dynamic PAMT:
	 *  its metadata fields, TDH.SYS.CONFIG's R8 bit 16 and leaves 58/59. */
	uint64_t features0;
	/**
	 * Fault injection, for testing a host's error paths: the calls
	 * number inject_nth .. inject_nth + inject_times - 1 (1-based, counted
	 * per module over calls of leaf inject_leaf) return inject_status and
	 * change no state and no other register. inject_times 0: off.
	 */
	unsigned inject_leaf;
	unsigned inject_nth;
	unsigned inject_times;
	uint64_t inject_status;
};

/** Global state (sysinit_state_e, tdx_global_data.h). */
enum tdxsim_module_state {
	TDXSIM_MODULE_SYSINIT_PENDING = 0,
	TDXSIM_MODULE_SYSINIT_DONE = 1,
	TDXSIM_MODULE_SYSCONFIG_DONE = 2,
	TDXSIM_MODULE_READY = 3,
	TDXSIM_MODULE_SHUTDOWN = 4,
};

/** What the PAMT says about a 4 KiB page after TDH.SYS.TDMR.INIT. */
enum tdxsim_page_state {
	TDXSIM_PAGE_NOT_TDMR = -2,	/**< in no configured TDMR */
	TDXSIM_PAGE_UNINITIALIZED = -1,	/**< in a TDMR not yet initialised this far */
	TDXSIM_PAGE_NDA = 0,		/**< PT_NDA: free for TDX use */
	TDXSIM_PAGE_RSVD = 1,		/**< PT_RSVD: in a reserved area */
};

/** A simulated TDX module. Opaque; one user at a time. */
struct tdxsim_module;

/**
 * Fill options with the defaults of the platform's module version: STRICT
 * LP.INIT (every source read, 2.0.08 included); NUM_CMRS reports 32; TDX_FEATURES0 the value
 * Intel publishes for that release (intel/tdx-module-binaries
 * mapping_file.json; an unlisted update takes the newest release before
 * it, an unknown 1.5 update 1.5.06's 0x2E1F0FBF), 0 for 1.0.
 *
 * @param options the options to fill.
 * @param profile the module profile whose version decides.
 */
void tdxsim_module_options_init(struct tdxsim_module_options *options,
				const struct tdxsim_module_profile *profile);

/**
 * Create a module for a platform. The platform's CMRs, profile, logical
 * CPUs, packages and KeyIDs are copied; the platform may be freed after.
 *
 * @param platform the platform.
 * @param options behaviour switches, or NULL for the version's defaults.
 * @param out receives the module.
 * @return 0, -EINVAL for a profile tdxsim cannot model (more than
 *         TDXSIM_MAX_RESERVED_SLOTS reserved areas, no CPUs, KeyIDs beyond
 *         15 bits), -ENOMEM.
 */
int tdxsim_module_new(const struct tdxsim_platform *platform,
		      const struct tdxsim_module_options *options,
		      struct tdxsim_module **out);

/**
 * Free a module and its memory.
 *
 * @param module the module; NULL does nothing.
 */
void tdxsim_module_free(struct tdxsim_module *module);

/**
 * Execute SEAMCALL on a logical CPU.
 *
 * @param module the module.
 * @param cpu the logical CPU, 0 .. logical-cpus - 1. CPUs are numbered
 *            package by package: floor(cpu * packages / logical-cpus) is
 *            the package, so every package has at least one CPU.
 * @param regs in: RAX = leaf | version << 16, operands; out: RAX = status,
 *             outputs as the leaf defines them.
 * @return 0 (the status is in regs->rax), -EINVAL for a CPU out of range,
 *         -ENOMEM when the simulator ran out of memory.
 */
int tdxsim_seamcall(struct tdxsim_module *module, unsigned cpu,
		    struct tdxsim_regs *regs);

/**
 * Write simulated physical memory.
 *
 * @param module the module.
 * @param pa first byte.
 * @param buf the bytes.
 * @param len how many; pa + len must not pass 2^52.
 * @return 0, -EINVAL past 2^52, -ENOMEM (also when more than 256 MiB would be held).
 */
int tdxsim_phys_write(struct tdxsim_module *module, uint64_t pa,
		      const void *buf, size_t len);

/**
 * Read simulated physical memory; bytes never written read as 0.
 *
 * @param module the module.
 * @param pa first byte.
 * @param buf receives the bytes.
 * @param len how many; pa + len must not pass 2^52.
 * @return 0, or -EINVAL past 2^52.
 */
int tdxsim_phys_read(const struct tdxsim_module *module, uint64_t pa,
		     void *buf, size_t len);

/**
 * Get the global state.
 *
 * @param module the module.
 * @return the state.
 */
enum tdxsim_module_state tdxsim_module_state(const struct tdxsim_module *module);

/**
 * Ask what the PAMT records for the 4 KiB page holding pa.
 *
 * @param module the module.
 * @param pa any address in the page.
 * @return the page state.
 */
enum tdxsim_page_state tdxsim_module_page_state(const struct tdxsim_module *module,
						uint64_t pa);

/**
 * Count the 2 MiB ranges whose PAMT entry holds a pair of PAMT pages
 * (Dynamic PAMT: TDH.PHYMEM.PAMT.ADD adds one, REMOVE takes it away). The
 * 4 KiB-level PAMT memory in use is this count times 8 KiB.
 *
 * @param module the module.
 * @return the number of pairs; 0 without Dynamic PAMT.
 */
size_t tdxsim_module_pamt_pairs(const struct tdxsim_module *module);

/**
 * Name a global metadata field id, as TDH.SYS.RD takes it in RDX (for
 * example the RDX of a failed read in a kernel log). The element size,
 * INC_SIZE, WRITE_MASK_VALID and context bits are ignored, as the module
 * ignores them.
 *
 * @param field_id the id, e.g. 0x9100000100000008.
 * @param buf receives e.g. "MAX_TDMRS (class 0x11, 16-bit)" or
 *            "CMR_BASE[3] (class 0x10, 64-bit)".
 * @param size size of buf; 64 bytes hold any name.
 * @return 0, or -ENOENT when no 1.5 module field has this id.
 */
int tdxsim_metadata_field_describe(uint64_t field_id, char *buf, size_t size);

/**
 * Convenience on top of tdxsim_seamcall(): write a layout's TDMR_INFO
 * entries (MAX_RESERVED_PER_TDMR slots each, 512-byte aligned) and their
 * pointer array into simulated memory, as Linux lays them out, and issue
 * TDH.SYS.CONFIG with RCX = the array, RDX = the TDMR count, R8 = keyid.
 *
 * @param module the module.
 * @param cpu the logical CPU to run on.
 * @param layout the TDMRs.
 * @param keyid the global private KeyID; 0 uses the first private KeyID.
 * @param status receives RAX.
 * @return 0 (also for a layout with more TDMRs than MAX_TDMRS: the module
 *         answers it with TDX_OPERAND_INVALID(RDX)), -EINVAL (bad CPU, a TDMR
 *         with more reserved slots than the module's entries hold), -E2BIG
 *         (more than 4096 TDMRs that MAX_TDMRS would allow: beyond
 *         tdxsim's simulated memory), -ENOMEM.
 */
int tdxsim_module_config_layout(struct tdxsim_module *module, unsigned cpu,
				const struct tdxsim_layout *layout,
				unsigned keyid, uint64_t *status);

#ifdef __cplusplus
}
#endif

#endif /* TDXSIM_MODULE_H */
