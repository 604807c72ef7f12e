/* SPDX-License-Identifier: MIT */
/*
 * PAMT sizing (tdmr_get_pamt_sz()) and the kernel's PAMT placement as
 * alloc_contig_pages() finds it (tdx.c tdmr_get_pamt_sz(),
 * tdmr_set_up_pamt(), tdmr_get_nid(); mm/page_alloc.c).
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "host-private.h"

#define PFN(x) ((x) >> 12)
#define ZONE_DMA_END	(16ULL << 20)
#define ZONE_DMA32_END	(4ULL << 30)

uint64_t
tdxsim_pamt_size(uint64_t tdmr_size, enum tdxsim_pamt_level level,
		 unsigned entry_size)
{
	static const unsigned shift[3] = { 12, 21, 30 };
	uint64_t bytes = (tdmr_size >> shift[level]) * entry_size;

	/* "TDX requires PAMT size must be 4K aligned" */
	return (bytes + SZ_4K - 1) & ~(SZ_4K - 1);
}

TDXSIM_EXPORT int
tdxsim_pamt_level_size(const struct tdxsim_module_profile *profile,
		       enum tdxsim_pamt_level level, uint64_t tdmr_size,
		       uint64_t *out)
{
	static const unsigned shift[3] = { 12, 21, 30 };
	unsigned entry_size;
	uint64_t entries;

	if (!profile || !out || (unsigned)level > TDXSIM_PAMT_1G ||
	    tdmr_size % SZ_1G != 0)
		return -EINVAL;
	entry_size = profile->pamt_entry_size[level];
	entries = tdmr_size >> shift[level];
	if (entry_size && entries > (UINT64_MAX - (SZ_4K - 1)) / entry_size)
		return -ERANGE;
	*out = tdxsim_pamt_size(tdmr_size, level, entry_size);
	return 0;
}

/* The series' bitmap size: PAGE_ALIGN(DIV_ROUND_UP((size >> 12) * bits,
 * 8)). bits <= 64 and size < 2^64 keep the product below 2^64. */
uint64_t
tdxsim_pamt_bitmap_bytes(uint64_t tdmr_size, unsigned bits)
{
	uint64_t bytes = ((tdmr_size >> 12) * bits + 7) / 8;

	return (bytes + SZ_4K - 1) & ~(SZ_4K - 1);
}

TDXSIM_EXPORT int
tdxsim_pamt_bitmap_size(uint64_t tdmr_size, unsigned bits, uint64_t *out)
{
	if (!out || bits == 0 || bits > 64 || tdmr_size % SZ_1G != 0)
		return -EINVAL;
	*out = tdxsim_pamt_bitmap_bytes(tdmr_size, bits);
	return 0;
}

uint64_t
tdxsim_host_pamt_level(const struct tdxsim_host_input *in, uint64_t tdmr_size,
		       enum tdxsim_pamt_level level)
{
	/* With Dynamic PAMT only the 4K level changes; 2M and 1G stay. */
	if (level == TDXSIM_PAMT_4K && in->pamt_bitmap_bits)
		return tdxsim_pamt_bitmap_bytes(tdmr_size, in->pamt_bitmap_bits);
	return tdxsim_pamt_size(tdmr_size, level, in->pamt_entry_size[level]);
}

uint64_t
tdxsim_host_pamt_chunk(const struct tdxsim_host_input *in, uint64_t tdmr_size)
{
	uint64_t sum = 0;

	for (int level = TDXSIM_PAMT_4K; level <= TDXSIM_PAMT_1G; level++)
		sum += tdxsim_host_pamt_level(in, tdmr_size, (enum tdxsim_pamt_level)level);
	return sum;
}

/* The kernel's ALIGN(x, a): a bit mask, which means what it says only for
 * powers of two; PAMT page counts such as 2053 are not (Linux 6.12
 * arch/x86/virt/vmx/tdx/tdx.c tdmr_set_up_pamt()). */
static uint64_t
kernel_align(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* [start, end) of node nid's memory (its span), 0/0 when it has none. */
static void
node_span(const struct tdxsim_host_input *in, unsigned nid, uint64_t *start,
	  uint64_t *end)
{
	*start = *end = 0;
	for (size_t i = 0; i < in->memblock.count; i++) {
		const struct tdxsim_tmb *b = &in->memblock.blocks[i];

		if (b->nid != nid)
			continue;
		if (*start == *end || b->start < *start)
			*start = b->start;
		if (b->end > *end)
			*end = b->end;
	}
}

/* Index of the last memblock region starting at or below addr (regions
 * are sorted and disjoint), or count when none does. */
static size_t
region_at(const struct tdxsim_host_input *in, uint64_t addr)
{
	size_t lo = 0, hi = in->memblock.count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (in->memblock.blocks[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? in->memblock.count : lo - 1;
}

/* How far the candidate at pfn moves to reach the first grid point at or
 * above the region starting at byte next_start: at least one step, so the
 * search always progresses. A validated platform's regions start on a page
 * (node ranges are page frames), but harnesses build platforms by hand:
 * with start 0x180000001 the PFN rounded down to the candidate's own and
 * the step was 0, a hang (issue #15). */
static uint64_t
grid_step(uint64_t pfn, uint64_t next_start, uint64_t nr_pages)
{
	uint64_t next = (next_start + SZ_4K - 1) >> 12;	/* PFN_UP */
	uint64_t steps = next > pfn ? (next - pfn + nr_pages - 1) / nr_pages : 1;

	return (steps ? steps : 1) * nr_pages;
}

/*
 * First fit in one zone of one node, candidates as the kernel steps them:
 * ALIGN(zone start, nr) and then every nr pages. A candidate that is not
 * wholly inside one region of this node cannot be followed by a good one
 * before the next region starts, so the search jumps there (same grid).
 * Every pass moves pfn up by at least nr_pages (> 0), so the loop ends.
 */
static int
fit_in_zone(const struct tdxsim_host_input *in, unsigned nid, uint64_t lo,
	    uint64_t hi, uint64_t nr_pages, const struct tdxsim_rangeset *taken,
	    uint64_t *base)
{
	uint64_t pfn = kernel_align(PFN(lo), nr_pages);

	while (pfn + nr_pages <= PFN(hi)) {
		struct tdxsim_range r = { pfn << 12, (pfn + nr_pages) << 12 };
		size_t i = region_at(in, r.start);
		const struct tdxsim_tmb *b = i < in->memblock.count
					     ? &in->memblock.blocks[i] : NULL;
		if (b && b->nid == nid && r.start < b->end && r.end <= b->end) {
			if (!tdxsim_rangeset_intersects(taken, r)) {
				*base = r.start;
				return 0;
			}
			pfn += nr_pages;
			continue;
		}
		i = i < in->memblock.count ? i + 1 : 0;
		if (i >= in->memblock.count || in->memblock.blocks[i].start <= r.start)
			return -ENOMEM;
		pfn += grid_step(pfn, in->memblock.blocks[i].start, nr_pages);
	}
	return -ENOMEM;
}

/* GFP_KERNEL zonelist of one node: NORMAL, DMA32, DMA. */
static int
fit_in_node(const struct tdxsim_host_input *in, unsigned nid,
	    uint64_t nr_pages, const struct tdxsim_rangeset *taken,
	    uint64_t *base)
{
	static const uint64_t zones[3][2] = {
		{ ZONE_DMA32_END, UINT64_MAX },
		{ ZONE_DMA_END, ZONE_DMA32_END },
		{ 0, ZONE_DMA_END },
	};
	uint64_t start, end;

	node_span(in, nid, &start, &end);
	for (size_t z = 0; z < 3; z++) {
		uint64_t lo = start > zones[z][0] ? start : zones[z][0];
		uint64_t hi = end < zones[z][1] ? end : zones[z][1];

		if (lo < hi && fit_in_zone(in, nid, lo, hi, nr_pages, taken, base) == 0)
			return 0;
	}
	return -ENOMEM;
}

static unsigned
highest_nid(const struct tdxsim_host_input *in)
{
	unsigned max = 0;

	for (size_t i = 0; i < in->memblock.count; i++) {
		if (in->memblock.blocks[i].nid > max)
			max = in->memblock.blocks[i].nid;
	}
	return max;
}

/* Without a SLIT, x86 fills numa_distance with LOCAL_DISTANCE (10) and
 * REMOTE_DISTANCE (20) (include/linux/topology.h). */
#define LOCAL_DISTANCE 10
#define REMOTE_DISTANCE 20
/* include/linux/topology.h; every node is taken to have CPUs, so this
 * adds the same to every candidate (docs/fidelity.md). */
#define PENALTY_FOR_NODE_WITH_CPUS 1

static int
distance(unsigned from, unsigned to)
{
	return from == to ? LOCAL_DISTANCE : REMOTE_DISTANCE;
}

/*
 * find_next_best_node() (mm/page_alloc.c, Linux 6.12): the local node
 * first if it has memory; then, among nodes with memory not yet used,
 * the lowest (distance + "below us" + CPU penalty, then node_load), the
 * lowest node number on a tie. Returns nr_nodes when none is left.
 */
static unsigned
next_best_node(unsigned node, size_t nr_nodes, const bool *memory, bool *used,
	       const int *load)
{
	long long best_val = LLONG_MAX;
	unsigned best = (unsigned)nr_nodes;

	if (!used[node] && memory[node]) {
		used[node] = true;
		return node;
	}
	for (unsigned n = 0; n < nr_nodes; n++) {
		long long val;

		if (!memory[n] || used[n])
			continue;
		val = distance(node, n) + (n < node) + PENALTY_FOR_NODE_WITH_CPUS;
		/* "val *= MAX_NUMNODES; val += node_load[n]": the load only
		 * breaks ties, as it stays below MAX_NUMNODES. */
		val = val * ((long long)nr_nodes + 1) + load[n];
		if (val < best_val) {
			best_val = val;
			best = n;
		}
	}
	if (best < nr_nodes)
		used[best] = true;
	return best;
}

/* build_zonelists() of one node: its node order; node_load of the first
 * node of each new distance group goes up by one (round robin). */
static size_t
build_node_order(unsigned local, size_t nr_nodes, const bool *memory,
		 bool *used, int *load, unsigned *order)
{
	unsigned prev = local, node;
	size_t count = 0;

	memset(used, 0, nr_nodes * sizeof(*used));
	while ((node = next_best_node(local, nr_nodes, memory, used, load)) < nr_nodes) {
		if (distance(local, node) != distance(local, prev))
			load[node] += 1;
		order[count++] = node;
		prev = node;
	}
	return count;
}

int
tdxsim_zonelist_order(size_t nr_nodes, const bool *memory, unsigned nid,
		      unsigned *order, size_t *count)
{
	bool *used = calloc(nr_nodes ? nr_nodes : 1, sizeof(*used));
	int *load = calloc(nr_nodes ? nr_nodes : 1, sizeof(*load));
	unsigned *scratch = calloc(nr_nodes ? nr_nodes : 1, sizeof(*scratch));

	if (!used || !load || !scratch) {
		free(used);
		free(load);
		free(scratch);
		return -ENOMEM;
	}
	*count = 0;
	/* __build_all_zonelists(): node_load cleared, then every possible
	 * node in order; nid's list depends on the loads before it. */
	for (unsigned n = 0; n < nr_nodes; n++) {
		size_t c = build_node_order(n, nr_nodes, memory, used, load,
					    n == nid ? order : scratch);

		if (n == nid)
			*count = c;
	}
	free(used);
	free(load);
	free(scratch);
	return 0;
}

/* Node nid's fallback order over the platform's nodes: possible nodes are
 * 0 .. the highest node with memblock memory. */
static int
fallback_order(const struct tdxsim_host_input *in, unsigned nid,
	       unsigned **order, size_t *count)
{
	size_t nr = (size_t)(nid > highest_nid(in) ? nid : highest_nid(in)) + 1;
	bool *memory = calloc(nr, sizeof(*memory));
	int ret;

	*order = calloc(nr, sizeof(**order));
	if (!memory || !*order) {
		free(memory);
		free(*order);
		return -ENOMEM;
	}
	for (size_t i = 0; i < in->memblock.count; i++)
		memory[in->memblock.blocks[i].nid] = true;
	ret = tdxsim_zonelist_order(nr, memory, nid, *order, count);
	free(memory);
	if (ret < 0)
		free(*order);
	return ret;
}

int
tdxsim_pamt_alloc_kernel(const struct tdxsim_host_input *in, unsigned nid,
			 uint64_t bytes, const struct tdxsim_rangeset *taken,
			 uint64_t *base)
{
	uint64_t nr_pages = PFN(bytes);
	unsigned *order;
	size_t count;
	int ret;

	if (nr_pages == 0)
		return -ENOMEM;
	ret = fallback_order(in, nid, &order, &count);
	if (ret < 0)
		return ret;
	/* The zonelist: each node of the order, its zones high to low. */
	ret = -ENOMEM;
	for (size_t i = 0; i < count && ret == -ENOMEM; i++)
		ret = fit_in_node(in, order[i], nr_pages, taken, base);
	free(order);
	return ret;
}
