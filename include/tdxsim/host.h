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
 *
 * API contract (docs/architecture.md): a NULL where an object or an output
 * is required gives -EINVAL (getters and predicates: NULL or 0;
 * status-word functions: an error status), never a crash; a buffer may be NULL when its length is 0;
 * a parameter documented "may be NULL" (or "NULL does nothing") is optional.
 * tests/test-api-null.c calls every exported function to hold this.
 */
#ifndef TDXSIM_HOST_H
#define TDXSIM_HOST_H

#include <stddef.h>
#include <stdint.h>

#include <tdxsim/diag.h>
#include <tdxsim/layout.h>
#include <tdxsim/module.h>
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

/**
 * Kernel generations: whose init_tdx_module() the replay follows (which
 * metadata it reads and in what order, which lines it prints and how they
 * are worded, what memblock holds). docs/host.md lists each with its source.
 */
enum tdxsim_kernel {
	/** The strategy's own: mainline for linux and tdxsim,
	 *  ubuntu-6.8-intel for linux-cmr. */
	TDXSIM_KERNEL_DEFAULT = 0,
	/** Linux 6.12 (Debian's linux-source-6.12): the five TDMR metadata
	 *  fields only, no version line, no check_features(); E820 type 128
	 *  is RAM. */
	TDXSIM_KERNEL_6_12 = 1,
	/** Ubuntu 24.04 6.8-intel kernels with the CMR patch: TDH.SYS.INFO
	 *  and its "TDX module: ..." and "CMR: ..." lines, then the TDMR
	 *  fields; E820 type 128 is RAM. */
	TDXSIM_KERNEL_UBUNTU_6_8_INTEL = 2,
	/** Mainline: v6.18-era tdx.c with the 2026 "Module version" line
	 *  after the version reads, check_features(). */
	TDXSIM_KERNEL_MAINLINE = 3,
	/** Mainline with the Dynamic PAMT series v6 (Rick Edgecombe and
	 *  Kirill A. Shutemov, "TDX: Enable Dynamic PAMT", LKML 2026-05-25)
	 *  applied: when TDX_FEATURES0 bit 36 is set and the physical address
	 *  bits left beside the KeyID bits are at most 48, it reads
	 *  PAMT_PAGE_BITMAP_ENTRY_BITS, sizes each TDMR's 4K-level PAMT as a
	 *  bitmap, prints "Enable Dynamic PAMT" and sets bit 16 of
	 *  TDH.SYS.CONFIG's R8; otherwise it is mainline (static PAMT). */
	TDXSIM_KERNEL_MAINLINE_DPAMT = 4,
};

/** Number of kernel generations, for iterating. */
#define TDXSIM_KERNEL_COUNT 5

/** What a run does. */
enum tdxsim_host_mode {
	/** Build the TDMRs (and PAMTs, reserved areas) only. */
	TDXSIM_HOST_CONSTRUCT = 0,
	/** Replay the bring-up against a simulated module: tdx_init(),
	 *  SYS.INIT and LP.INIT CPU by CPU, then init_tdx_module()'s
	 *  metadata reads, construction, CONFIG, KEY.CONFIG per package, the
	 *  TDMR.INIT loops. */
	TDXSIM_HOST_INIT = 1,
};

/** Why a reserved area exists. */
enum tdxsim_rsvd_reason {
	TDXSIM_RSVD_HOLE = 0,	/**< memory that is not TDX memory */
	TDXSIM_RSVD_PAMT = 1,	/**< a PAMT (of the TDMR tdxsim_host_rsvd_pamt_owner() names) */
	TDXSIM_RSVD_HOLE_AND_PAMT = 2,	/**< tdxsim packer: a hole merged with PAMTs */
};

/** What found no room when a construction ran out of slots. */
enum tdxsim_unplaced_kind {
	TDXSIM_UNPLACED_AREA = 0,	/**< a reserved area: "TDMR [a, b): reserved areas exhausted." */
	TDXSIM_UNPLACED_REGION = 1,	/**< a memory region no TDMR was left for: "TDMRs exhausted." */
};

/** The first reserved area or memory region that found no slot. */
struct tdxsim_unplaced {
	enum tdxsim_unplaced_kind kind;
	int tdmr;		/**< the TDMR whose reserved areas were full; -1 for a region */
	unsigned ordinal;	/**< 1-based: the area of that TDMR (17 when 16 slots were full), or the TDMR the region needed */
	uint64_t base;		/**< its range [base, base + size) */
	uint64_t size;
	enum tdxsim_rsvd_reason reason;	/**< an area's reason (TDXSIM_RSVD_HOLE for a region) */
	int pamt_owner;		/**< a PAMT area's TDMR, else -1 */
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
 * Name a kernel generation.
 *
 * @param kernel the generation.
 * @return "default", "6.12", "ubuntu-6.8-intel", "mainline",
 *         "mainline-dpamt", or NULL when unknown.
 */
const char *tdxsim_kernel_name(enum tdxsim_kernel kernel);

/**
 * Look a kernel generation up by name.
 *
 * @param name e.g. "6.12".
 * @param out receives the generation.
 * @return 0, or -EINVAL for an unknown name.
 */
int tdxsim_kernel_from_name(const char *name, enum tdxsim_kernel *out);

/**
 * The generation a kernel release belongs to, for a fixture imported from
 * a log with a "Linux version" line (its source.kernel).
 *
 * @param release e.g. "6.12.118", "6.8.0-1004-intel"; NULL is allowed.
 * @return TDXSIM_KERNEL_6_12 for 6.12 and its stable releases and for
 *         Ubuntu's 6.8.0-1001-intel and earlier (whose reads a real log
 *         shows to be 6.12's), TDXSIM_KERNEL_UBUNTU_6_8_INTEL for Ubuntu's
 *         6.8.0-N-intel from N = 1004 on, TDXSIM_KERNEL_DEFAULT for anything
 *         else (no generation is known for it).
 */
enum tdxsim_kernel tdxsim_kernel_from_release(const char *release);

/**
 * The generation a strategy follows when asked for TDXSIM_KERNEL_DEFAULT.
 *
 * @param strategy the strategy.
 * @param kernel the generation asked for.
 * @return kernel itself unless it is TDXSIM_KERNEL_DEFAULT.
 */
enum tdxsim_kernel tdxsim_kernel_resolve(enum tdxsim_strategy strategy,
					 enum tdxsim_kernel kernel);

/**
 * Run a strategy on a platform, as the strategy's default kernel
 * generation does (tdxsim_host_run_kernel() with TDXSIM_KERNEL_DEFAULT).
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
 * Run a strategy on a platform as one kernel generation does.
 *
 * @param platform a validated platform.
 * @param strategy how to build TDMRs.
 * @param kernel whose init_tdx_module() to follow.
 * @param mode construction only, or the whole init replay.
 * @param out receives the run, which the caller frees.
 * @return 0 (whatever the simulated outcome), -EINVAL for an unknown
 *         strategy or generation or a platform the module cannot be built
 *         from, -ENOMEM.
 */
int tdxsim_host_run_kernel(const struct tdxsim_platform *platform,
			   enum tdxsim_strategy strategy,
			   enum tdxsim_kernel kernel,
			   enum tdxsim_host_mode mode,
			   struct tdxsim_host_run **out);

/**
 * Replay a kernel generation bringing TDX up (TDXSIM_HOST_INIT) against a
 * module made with options: no module loaded, a TDX_FEATURES0, a failure
 * injected into one leaf, etc. To drive the error paths of the model and
 * of a harness running the kernel's own code against the same module.
 *
 * @param platform a validated platform.
 * @param strategy how to build TDMRs.
 * @param kernel whose init_tdx_module() to follow.
 * @param options the module's options (tdxsim_module_options_init()
 *        first), or NULL for the module version's defaults.
 * @param out receives the run, which the caller frees.
 * @return as tdxsim_host_run_kernel().
 */
int tdxsim_host_run_module(const struct tdxsim_platform *platform,
			   enum tdxsim_strategy strategy,
			   enum tdxsim_kernel kernel,
			   const struct tdxsim_module_options *options,
			   struct tdxsim_host_run **out);

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
 * @return the owning TDMR's index, or -1 for a hole (-EINVAL for a
 *         NULL run).
 */
int tdxsim_host_rsvd_pamt_owner(const struct tdxsim_host_run *run, size_t tdmr,
				size_t slot);

/**
 * What found no slot when the linux or linux-cmr strategy failed with
 * "reserved areas exhausted" (the area a full TDMR could not take: for the
 * Emerald Rapids machine of canonical/tdx#135 upstream, hole 17 of TDMR 0,
 * [0x6f800000, 0x80000000)) or "TDMRs exhausted" (the memory region no
 * TDMR was left for). The tdxsim packer and a compiled kernel record none.
 *
 * @param run the run.
 * @param out receives it.
 * @return 0, -ENOENT when the run did not fail that way, -EINVAL for NULL.
 */
int tdxsim_host_run_unplaced(const struct tdxsim_host_run *run,
			     struct tdxsim_unplaced *out);

/**
 * PAMT memory of the layout, in KB as the kernel prints it (sum of the 4K,
 * 2M and 1G PAMT sizes of all TDMRs, divided by 1024).
 *
 * @param run the run.
 * @return the KB; 0 when no PAMT was allocated.
 */
uint64_t tdxsim_host_run_pamt_kb(const struct tdxsim_host_run *run);

/**
 * Whether the run's TDMRs carry Dynamic PAMT (TDXSIM_KERNEL_MAINLINE_DPAMT
 * on a module that has it): the bits per 4 KiB page of the 4K-level bitmap
 * the kernel sized (PAMT_PAGE_BITMAP_ENTRY_BITS as read, or in
 * construction alone as the module's build reports it).
 *
 * @param run the run.
 * @return the bits, 1 with every module build known; 0 for static PAMT
 *         (and for a NULL run).
 */
unsigned tdxsim_host_run_pamt_bitmap_bits(const struct tdxsim_host_run *run);

/**
 * The size of one PAMT level of a TDMR, as the kernel computes it
 * (tdmr_get_pamt_sz() in arch/x86/virt/vmx/tdx/tdx.c): one entry of the
 * profile's PAMT_{4K,2M,1G}_ENTRY_SIZE per 4 KiB, 2 MiB or 1 GiB page of
 * the TDMR, rounded up to 4 KiB. The three levels of the Emerald Rapids
 * machine's 2 GiB TDMR with 16-byte entries are 8 MiB, 16 KiB and 4 KiB.
 *
 * @param profile the module profile (its pamt_entry_size).
 * @param level TDXSIM_PAMT_4K, TDXSIM_PAMT_2M or TDXSIM_PAMT_1G.
 * @param tdmr_size the TDMR's size in bytes, a multiple of 1 GiB.
 * @param out receives the size in bytes.
 * @return 0, -EINVAL for an unknown level or a size that is not a
 *         multiple of 1 GiB, -ERANGE when the size does not fit 64 bits.
 */
int tdxsim_pamt_level_size(const struct tdxsim_module_profile *profile,
			   enum tdxsim_pamt_level level, uint64_t tdmr_size,
			   uint64_t *out);

/**
 * The size of a TDMR's 4K-level PAMT under Dynamic PAMT: a bitmap of
 * `bits` (PAMT_PAGE_BITMAP_ENTRY_BITS) per 4 KiB page, in bytes rounded up
 * to 4 KiB, as the Dynamic PAMT series (v6, "x86/virt/tdx: Allocate page
 * bitmap for Dynamic PAMT") sizes it in place of PAMT_4K. A 2 GiB TDMR
 * with 1 bit per page needs 64 KiB (static PAMT_4K: 8 MiB).
 *
 * @param tdmr_size the TDMR's size in bytes, a multiple of 1 GiB.
 * @param bits bits per 4 KiB page, 1 to 64.
 * @param out receives the size in bytes.
 * @return 0, -EINVAL for a size that is not a multiple of 1 GiB or bits
 *         out of range.
 */
int tdxsim_pamt_bitmap_size(uint64_t tdmr_size, unsigned bits, uint64_t *out);

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

/**
 * Check a platform's expectations (its fixture's expect: blocks): each
 * strategy named is replayed through the whole init sequence, as `tdxsim
 * init` replays it (the generation of the fixture's kernel release), and
 * compared: outcome, errno, TDMR count, most reserved areas in one TDMR,
 * PAMT KB, and the kernel's lines (the whole list, exactly; the leading
 * informational lines, KeyIDs, ACPI, module version and CMRs, may be left
 * out). Each expectation missed is one error in diag, at the block's line:
 * "FILE:LINE:1: STRATEGY: errno expected -28, got 0".
 *
 * @param platform the platform, with its expectations.
 * @param diag where misses are reported; may be NULL.
 * @param missed receives the number of expectations missed.
 * @return 0 (whatever was missed), -EINVAL for NULL or a platform the
 *         module cannot be built from, -ENOMEM.
 */
int tdxsim_host_check_expectations(const struct tdxsim_platform *platform,
				   struct tdxsim_diag *diag, size_t *missed);

/**
 * Check one expectation against a run the caller made (with the strategy
 * and kernel generation it chose), as tdxsim_host_check_expectations()
 * checks each: outcome, errno, TDMRs, most reserved areas, PAMT KB, lines.
 *
 * @param platform the platform the expectation belongs to (names the file
 *        in messages).
 * @param expect the expectation, e.g. tdxsim_platform_expect().
 * @param run a finished run (TDXSIM_HOST_INIT).
 * @param diag where misses are reported; may be NULL.
 * @param missed receives how many of its checks were missed (0: met).
 * @return 0 (whatever was missed), -EINVAL for NULL, -ENOMEM.
 */
int tdxsim_host_check_expectation(const struct tdxsim_platform *platform,
				  const struct tdxsim_expect *expect,
				  const struct tdxsim_host_run *run,
				  struct tdxsim_diag *diag, size_t *missed);

/**
 * The memory a Linux host's TDX code meets: memblock.memory (regions with
 * their NUMA node, as for_each_mem_pfn_range() walks them) and the page
 * allocator's alloc_contig_pages()/free_contig_range(), with the same
 * models the linux strategies use. For harnesses that run their own (or
 * the kernel's) TDX host code against a platform. Opaque.
 */
struct tdxsim_linux_mm;

/**
 * Build the memory of a platform as one kernel generation has it.
 *
 * @param platform a validated platform.
 * @param kernel the generation (it decides, e.g., whether E820 type 128
 *        is RAM); TDXSIM_KERNEL_DEFAULT means mainline.
 * @param out receives the object, which the caller frees.
 * @return 0, -EINVAL for an unknown generation, -ENOMEM.
 */
int tdxsim_linux_mm_new(const struct tdxsim_platform *platform,
			enum tdxsim_kernel kernel,
			struct tdxsim_linux_mm **out);

/**
 * Free the object.
 *
 * @param mm the object; NULL does nothing.
 */
void tdxsim_linux_mm_free(struct tdxsim_linux_mm *mm);

/**
 * Count memblock.memory regions.
 *
 * @param mm the object.
 * @return the number of regions.
 */
size_t tdxsim_linux_mm_region_count(const struct tdxsim_linux_mm *mm);

/**
 * Get one memblock.memory region, in address order.
 *
 * @param mm the object.
 * @param index 0 .. count - 1.
 * @param start receives the first byte (page aligned).
 * @param end receives the end, exclusive (page aligned).
 * @param nid receives the NUMA node.
 * @return 0, or -EINVAL when index is out of range.
 */
int tdxsim_linux_mm_region(const struct tdxsim_linux_mm *mm, size_t index,
			   uint64_t *start, uint64_t *end, unsigned *nid);

/**
 * alloc_contig_pages(nr_pages, GFP_KERNEL, nid, &node_online_map): the
 * first free naturally stepped run in nid's zonelist (docs/host.md).
 *
 * @param mm the object.
 * @param nr_pages 4 KiB pages, at least 1.
 * @param nid the preferred node.
 * @param pfn receives the first page frame number.
 * @return 0, -ENOMEM when no run is free (the kernel's NULL), -EINVAL for
 *         nr_pages 0.
 */
int tdxsim_linux_mm_alloc_contig(struct tdxsim_linux_mm *mm, uint64_t nr_pages,
				 unsigned nid, uint64_t *pfn);

/**
 * free_contig_range(pfn, nr_pages): give pages back.
 *
 * @param mm the object.
 * @param pfn the first page frame number.
 * @param nr_pages how many.
 * @return 0, -ENOMEM, -EINVAL for a NULL object.
 */
int tdxsim_linux_mm_free_contig(struct tdxsim_linux_mm *mm, uint64_t pfn,
				uint64_t nr_pages);

/* ---- Dynamic PAMT: the kernel's reference counts and page pairs ---------- */

/**
 * The kernel's Dynamic PAMT bookkeeping (tdx_pamt_get() / tdx_pamt_put() of
 * the Dynamic PAMT series): a reference count per 2 MiB range, PAMT pages
 * from a pool, TDH.PHYMEM.PAMT.ADD on a range's first 4 KiB use and
 * TDH.PHYMEM.PAMT.REMOVE on its last release. Opaque; one user at a time.
 */
struct tdxsim_dpamt_host;

struct tdxsim_module;

/** What one use or release did. */
struct tdxsim_dpamt_step {
	int err;		/**< the modelled kernel's result: 0, -ENOMEM (pool empty), -EIO (PAMT.ADD failed) */
	int seamcall;		/**< nonzero when PAMT.ADD or PAMT.REMOVE was issued */
	uint64_t status;	/**< its RAX, when issued */
	unsigned refcount;	/**< the range's count after the step */
	uint64_t pamt_bytes;	/**< PAMT page memory this host has handed the module, after the step */
};

/**
 * Create the bookkeeping for a module that is READY with Dynamic PAMT
 * configured (TDH.SYS.CONFIG with R8 bit 16, see docs/module.md).
 *
 * @param module the module; it must outlive the object.
 * @param cpu the logical CPU to issue SEAMCALLs on.
 * @param pool_start first byte of the memory PAMT pages come from.
 * @param pool_end end of it, exclusive; both 4 KiB aligned.
 * @param out receives the object.
 * @return 0, -EINVAL (no module, unaligned or reversed pool), -ENOMEM.
 */
int tdxsim_dpamt_host_new(struct tdxsim_module *module, unsigned cpu,
			  uint64_t pool_start, uint64_t pool_end,
			  struct tdxsim_dpamt_host **out);

/**
 * Free the bookkeeping (not the module).
 *
 * @param host the object; NULL does nothing.
 */
void tdxsim_dpamt_host_free(struct tdxsim_dpamt_host *host);

/**
 * Use the 4 KiB page at pa (tdx_pamt_get()): take a reference on its
 * 2 MiB range; the first one hands the module two pool pages.
 *
 * @param host the object.
 * @param pa any address in the page.
 * @param step receives the outcome.
 * @return 0 (the outcome is in step), -ENOMEM when the simulator ran out
 *         of memory, -EINVAL for a CPU the module does not have.
 */
int tdxsim_dpamt_host_use(struct tdxsim_dpamt_host *host, uint64_t pa,
			  struct tdxsim_dpamt_step *step);

/**
 * Release the 4 KiB page at pa (tdx_pamt_put()): drop a reference; the
 * last one takes the pair back with PAMT.REMOVE (a failure leaks the
 * pages, as the kernel does).
 *
 * @param host the object.
 * @param pa any address in the page.
 * @param step receives the outcome.
 * @return 0, -EINVAL when the range holds no reference, -ENOMEM.
 */
int tdxsim_dpamt_host_release(struct tdxsim_dpamt_host *host, uint64_t pa,
			      struct tdxsim_dpamt_step *step);

/**
 * The reference count of the 2 MiB range holding pa.
 *
 * @param host the object.
 * @param pa any address in the range.
 * @return the count; 0 when unused.
 */
unsigned tdxsim_dpamt_host_refcount(const struct tdxsim_dpamt_host *host,
				    uint64_t pa);

#ifdef __cplusplus
}
#endif

#endif /* TDXSIM_HOST_H */
