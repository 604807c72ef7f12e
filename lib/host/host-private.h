/* SPDX-License-Identifier: MIT */
/*
 * The host layer's insides: TDX memory blocks, the run object, and the
 * entry points of the strategies. Sources: torvalds/linux v6.18-era
 * arch/x86/virt/vmx/tdx/tdx.c and Kai Huang's CMR patch v8.2
 * (Message-ID <20241209065016.242359-1-kai.huang@intel.com>).
 */
#ifndef TDXSIM_HOST_PRIVATE_H
#define TDXSIM_HOST_PRIVATE_H

#include <stdbool.h>

#include <tdxsim/host.h>
#include <tdxsim/module.h>

#include "range.h"

/* A memory region with its NUMA node: a memblock.memory region, or a TDX
 * memory block (struct tdx_memblock) once clamped at 1 MiB. Bytes. */
struct tdxsim_tmb {
	uint64_t start;
	uint64_t end;
	unsigned nid;
};

struct tdxsim_tmb_list {
	struct tdxsim_tmb *blocks;
	size_t count;
	size_t capacity;
};

void tdxsim_tmb_list_fini(struct tdxsim_tmb_list *list);
int tdxsim_tmb_list_add(struct tdxsim_tmb_list *list, uint64_t start,
			uint64_t end, unsigned nid);

/*
 * memblock.memory as the kernel has it when TDX builds its list: the
 * platform's "Early memory node ranges" when it has them (they are exactly
 * this iteration); else E820 RAM (and type 128 when reserved_kern_is_ram,
 * kernels before 2025) after the early fixups (page 0 reserved,
 * [0xa0000, 0x100000) removed), adjacent regions merged, partial pages
 * trimmed, node 0.
 */
int tdxsim_memblock_from_platform(const struct tdxsim_platform *p,
				  bool reserved_kern_is_ram,
				  struct tdxsim_tmb_list *out);

/* build_tdx_memlist(): every region clamped at 1 MiB, empty ones dropped. */
int tdxsim_tdx_memlist(const struct tdxsim_tmb_list *memblock,
		       struct tdxsim_tmb_list *out);

/* tdmr_get_pamt_sz(): entries x entry size, rounded up to 4 KiB. */
uint64_t tdxsim_pamt_size(uint64_t tdmr_size, enum tdxsim_pamt_level level,
			  unsigned entry_size);

struct tdxsim_host_input;

/* The Dynamic PAMT series' bitmap: PAGE_ALIGN(DIV_ROUND_UP(pages * bits, 8)). */
uint64_t tdxsim_pamt_bitmap_bytes(uint64_t tdmr_size, unsigned bits);

/* One PAMT level of a TDMR as the input's kernel sizes it (the bitmap at
 * the 4K level under Dynamic PAMT), and the three levels' chunk. */
uint64_t tdxsim_host_pamt_level(const struct tdxsim_host_input *in,
				uint64_t tdmr_size, enum tdxsim_pamt_level level);
uint64_t tdxsim_host_pamt_chunk(const struct tdxsim_host_input *in,
				uint64_t tdmr_size);

/* What a strategy builds from. */
struct tdxsim_host_input {
	const struct tdxsim_platform *platform;
	/* MAX_TDMRS, MAX_RESERVED_PER_TDMR and PAMT entry sizes as the kernel
	 * read them (from metadata in init mode, the profile otherwise). */
	unsigned max_tdmrs;
	unsigned max_reserved;
	unsigned pamt_entry_size[3];
	/* Dynamic PAMT (mainline-dpamt kernel on a module that has it):
	 * PAMT_PAGE_BITMAP_ENTRY_BITS, the 4K level's bits per page; 0 for
	 * the static PAMT_4K. */
	unsigned pamt_bitmap_bits;
	/* The CMRs as the kernel has them (null tail slots trimmed). */
	const struct tdxsim_cmr *cmrs;
	size_t cmr_count;
	struct tdxsim_cmr cmr_storage[TDXSIM_MAX_CMRS];
	struct tdxsim_tmb_list memblock;	/* memblock.memory */
	struct tdxsim_tmb_list memlist;		/* tdx_memlist */
};

/* Per TDMR: why each reserved slot exists. */
struct tdxsim_rsvd_meta {
	enum tdxsim_rsvd_reason *reasons;
	int *owners;
	size_t count;
	size_t capacity;
};

struct tdxsim_host_run {
	struct tdxsim_layout *layout;
	struct tdxsim_rsvd_meta *meta;	/* one per TDMR of the layout */
	size_t meta_count;
	char **lines;
	size_t line_count;
	size_t line_capacity;
	int err;		/* the kernel's errno for the outcome */
	uint64_t status;	/* the failed SEAMCALL's status, or 0 */
	uint64_t pamt_bytes;	/* allocated PAMT, for "KB allocated" */
	unsigned pamt_bitmap_bits;	/* Dynamic PAMT's bits per page; 0: static */
	bool oom;		/* the simulator itself ran out of memory */
	bool has_unplaced;	/* a construction ran out of slots: */
	struct tdxsim_unplaced unplaced;	/* what found none first */
};

/* Append one kernel line; fmt excludes the "virt/tdx: " prefix, which is
 * added (pr_fmt). Out of memory is recorded in run->oom. */
void tdxsim_host_log(struct tdxsim_host_run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append a TDMR [base, base + size) to the run's layout; its index or
 * -ENOMEM. */
int tdxsim_host_add_tdmr(struct tdxsim_host_run *run, uint64_t base,
			 uint64_t size);

/* Append a reserved area at absolute address addr to TDMR tdmr, with its
 * reason and (for PAMTs) owner. 0 or -ENOMEM. */
int tdxsim_host_add_rsvd(struct tdxsim_host_run *run, size_t tdmr,
			 uint64_t addr, uint64_t size,
			 enum tdxsim_rsvd_reason reason, int owner);

/* Replace TDMR tdmr's reserved areas by the same ones sorted by offset
 * (their reasons follow). */
int tdxsim_host_sort_rsvd(struct tdxsim_host_run *run, size_t tdmr);

/* Fill an input from a platform: limits from its module profile, CMRs up
 * to the first null slot, memblock and memlist. 0 or -ENOMEM. */
int tdxsim_host_input_init(struct tdxsim_host_input *in,
			   const struct tdxsim_platform *platform,
			   enum tdxsim_strategy strategy,
			   enum tdxsim_kernel kernel);
void tdxsim_host_input_fini(struct tdxsim_host_input *in);

/* Run a strategy's construction on an input (any strategy). */
int tdxsim_host_construct(const struct tdxsim_host_input *in,
			  enum tdxsim_strategy strategy,
			  struct tdxsim_host_run *run);

/* A kernel generation bringing TDX up against a simulated module made
 * with options (NULL: the version's defaults) (init.c). 0 or -ENOMEM,
 * -EINVAL when the module cannot be built from the platform. */
int tdxsim_host_init_replay(const struct tdxsim_platform *platform,
			    enum tdxsim_strategy strategy,
			    enum tdxsim_kernel kernel,
			    const struct tdxsim_module_options *options,
			    struct tdxsim_host_run *run);

/* E820_TYPE_RESERVED_KERN is RAM in memblock before the 2025 cleanup. */
bool tdxsim_kernel_reserved_kern_is_ram(enum tdxsim_kernel kernel);

/*
 * The strategies. Each fills run->layout (TDMRs, PAMTs, reserved areas with
 * reasons), logs the kernel's lines and sets run->err (0 or the kernel's
 * negative errno). Return 0, or -ENOMEM when the simulator ran out.
 */
int tdxsim_construct_linux(const struct tdxsim_host_input *in,
			   struct tdxsim_host_run *run, bool cmr_holes);
int tdxsim_construct_tdxsim(const struct tdxsim_host_input *in,
			    struct tdxsim_host_run *run);

/*
 * build_all_zonelists() (mm/page_alloc.c, Linux 6.12) with default
 * distances and every node having CPUs: node nid's fallback order among
 * nodes 0 .. nr_nodes - 1, memory[n] telling which have memory. Writes
 * at most nr_nodes entries to order and their number to count. 0 or
 * -ENOMEM.
 */
int tdxsim_zonelist_order(size_t nr_nodes, const bool *memory, unsigned nid,
			  unsigned *order, size_t *count);

/*
 * alloc_contig_pages() as the kernel's PAMT allocator meets it
 * (mm/page_alloc.c): nid's zonelist, node by node in the fallback order of
 * tdxsim_zonelist_order(), each node's zones from the highest (NORMAL,
 * DMA32, DMA); in each zone candidates ALIGN(zone_start_pfn, nr)
 * stepping nr pages, first range wholly inside memblock memory and free of
 * `taken`. Returns 0 with *base, or -ENOMEM (none free, or the simulator
 * ran out).
 */
int tdxsim_pamt_alloc_kernel(const struct tdxsim_host_input *in, unsigned nid,
			     uint64_t bytes, const struct tdxsim_rangeset *taken,
			     uint64_t *base);

/* The informational lines a kernel prints before it builds anything. */
bool tdxsim_host_line_is_preamble(const char *line);

/* Compare a run's lines with expected ones ('\n'-separated): the whole
 * list exactly, the leading preamble optional. *diff receives the first
 * difference (to free) or NULL; 0 or -ENOMEM. */
int tdxsim_host_lines_mismatch(const struct tdxsim_host_run *run, const char *lines,
			       char **diff);

#endif /* TDXSIM_HOST_PRIVATE_H */
