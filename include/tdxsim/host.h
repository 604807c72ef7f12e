/* SPDX-License-Identifier: MIT */
/**
 * @file tdxsim/host.h
 * The Linux host: how a kernel turns a platform into TDMRs, and its whole
 * init_tdx_module() replayed against the simulated TDX module.
 *
 * Strategies are named profiles of TDMR construction:
 * - "linux": upstream (v6.18-era arch/x86/virt/vmx/tdx/tdx.c): holes from
 *   memblock, one reserved area per hole and per PAMT, never merged;
 * - "linux-cmr": Kai Huang's v8.2 patch (Ubuntu 24.04 -intel kernels):
 *   holes from CMRs, RAM checked against CMRs (is_cmr_sub_region);
 * - "tdxsim": tdxsim's packer, which finds a layout the module accepts
 *   whenever one exists within the module's limits (docs/host.md).
 *
 * A run returns the kernel's own log lines ("virt/tdx: ..."), its errno,
 * the layout it built (also on failure, as far as it got), why each
 * reserved area exists, and the module's verdict.
 */
#ifndef TDXSIM_HOST_H
#define TDXSIM_HOST_H

#include <stddef.h>
#include <stdint.h>

#include <tdxsim/layout.h>
#include <tdxsim/platform.h>

#ifdef __cplusplus
extern "C" {
#endif

/** TDMR construction strategies. */
enum tdxsim_strategy {
	TDXSIM_STRATEGY_LINUX = 0,
	TDXSIM_STRATEGY_LINUX_CMR = 1,
	TDXSIM_STRATEGY_TDXSIM = 2,
};

/** Number of strategies, for iterating. */
#define TDXSIM_STRATEGY_COUNT 3

/** What a run does. */
enum tdxsim_host_mode {
	/** Build the TDMRs (and PAMTs, reserved areas) only. */
	TDXSIM_HOST_CONSTRUCT = 0,
	/** Replay init_tdx_module() against a simulated module: SYS.INIT,
	 *  LP.INIT on every CPU, metadata reads, construction, CONFIG,
	 *  KEY.CONFIG per package, the TDMR.INIT loops. */
	TDXSIM_HOST_INIT = 1,
};

/** Why a reserved area exists. */
enum tdxsim_rsvd_reason {
	TDXSIM_RSVD_HOLE = 0,	/**< memory that is not TDX memory */
	TDXSIM_RSVD_PAMT = 1,	/**< a PAMT (of the TDMR tdxsim_host_rsvd_pamt_owner() names) */
	TDXSIM_RSVD_HOLE_AND_PAMT = 2,	/**< tdxsim packer: a hole merged with PAMTs */
};

/** The result of one run. Opaque. */
struct tdxsim_host_run;

/**
 * Name a strategy.
 *
 * @param strategy the strategy.
 * @return "linux", "linux-cmr", "tdxsim", or NULL when unknown.
 */
const char *tdxsim_strategy_name(enum tdxsim_strategy strategy);

/**
 * Look a strategy up by name.
 *
 * @param name e.g. "linux-cmr".
 * @param out receives the strategy.
 * @return 0, or -EINVAL for an unknown name.
 */
int tdxsim_strategy_from_name(const char *name, enum tdxsim_strategy *out);

/**
 * Run a strategy on a platform.
 *
 * @param platform a validated platform.
 * @param strategy how to build TDMRs.
 * @param mode construction only, or the whole init replay.
 * @param out receives the run, which the caller frees.
 * @return 0 (whatever the simulated outcome), -EINVAL for a platform the
 *         module cannot be built from, -ENOMEM.
 */
int tdxsim_host_run(const struct tdxsim_platform *platform,
		    enum tdxsim_strategy strategy, enum tdxsim_host_mode mode,
		    struct tdxsim_host_run **out);

/**
 * Free a run.
 *
 * @param run the run; NULL does nothing.
 */
void tdxsim_host_run_free(struct tdxsim_host_run *run);

/**
 * The kernel's errno for the outcome.
 *
 * @param run the run.
 * @return 0 on success ("module initialized", or TDMRs built), else the
 *         negative errno the kernel returns (-28 ENOSPC, -5 EIO, ...).
 */
int tdxsim_host_run_errno(const struct tdxsim_host_run *run);

/**
 * Count the kernel log lines.
 *
 * @param run the run.
 * @return the number of lines.
 */
size_t tdxsim_host_run_line_count(const struct tdxsim_host_run *run);

/**
 * Get one kernel log line, as dmesg shows it without timestamp
 * ("virt/tdx: module initialized").
 *
 * @param run the run.
 * @param index 0 .. count - 1.
 * @return the line, owned by the run; NULL when out of range.
 */
const char *tdxsim_host_run_line(const struct tdxsim_host_run *run,
				 size_t index);

/**
 * The TDMRs the strategy built: complete on success, as far as it got on
 * failure (the TDMR that failed included).
 *
 * @param run the run.
 * @return the layout, owned by the run; never NULL (possibly empty).
 */
const struct tdxsim_layout *tdxsim_host_run_layout(const struct tdxsim_host_run *run);

/**
 * Why one reserved area of the layout exists.
 *
 * @param run the run.
 * @param tdmr the TDMR index.
 * @param slot the reserved-area slot.
 * @return the reason; TDXSIM_RSVD_HOLE when out of range.
 */
enum tdxsim_rsvd_reason tdxsim_host_rsvd_reason(const struct tdxsim_host_run *run,
						size_t tdmr, size_t slot);

/**
 * For a PAMT reserved area, the TDMR whose PAMT it holds.
 *
 * @param run the run.
 * @param tdmr the TDMR index.
 * @param slot the reserved-area slot.
 * @return the owning TDMR's index, or -1 for a hole.
 */
int tdxsim_host_rsvd_pamt_owner(const struct tdxsim_host_run *run, size_t tdmr,
				size_t slot);

/**
 * PAMT memory of the layout, in KB as the kernel prints it (sum of the 4K,
 * 2M and 1G PAMT sizes of all TDMRs, divided by 1024).
 *
 * @param run the run.
 * @return the KB; 0 when no PAMT was allocated.
 */
uint64_t tdxsim_host_run_pamt_kb(const struct tdxsim_host_run *run);

/**
 * The status word of the SEAMCALL that failed, in TDXSIM_HOST_INIT mode.
 *
 * @param run the run.
 * @return the status, or 0 (TDX_SUCCESS) when no SEAMCALL failed.
 */
uint64_t tdxsim_host_run_status(const struct tdxsim_host_run *run);

/**
 * Hand a layout built elsewhere (your own packer) to a simulated module of
 * the platform: TDH.SYS.INIT, LP.INIT on every CPU, TDH.SYS.CONFIG.
 *
 * @param platform the platform.
 * @param layout the TDMRs.
 * @param status receives TDH.SYS.CONFIG's status word (or that of the
 *        first SEAMCALL before it that failed).
 * @return 0, -EINVAL (a profile the module cannot simulate, or a TDMR with
 *         more reserved slots than MAX_RESERVED_PER_TDMR), -ENOMEM.
 */
int tdxsim_host_verdict(const struct tdxsim_platform *platform,
			const struct tdxsim_layout *layout, uint64_t *status);

#ifdef __cplusplus
}
#endif

#endif /* TDXSIM_HOST_H */
