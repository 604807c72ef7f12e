/* SPDX-License-Identifier: MIT */
/*
 * PAMT sizing (tdmr_get_pamt_sz()) and the kernel's PAMT placement as
 * alloc_contig_pages() finds it (spec tdmr.md 1.6, 1.7).
 */
#include "config.h"

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

uint64_t
tdxsim_pamt_total(uint64_t tdmr_size, const unsigned entry_size[3])
{
	uint64_t sum = 0;

	for (int level = TDXSIM_PAMT_4K; level <= TDXSIM_PAMT_1G; level++)
		sum += tdxsim_pamt_size(tdmr_size, (enum tdxsim_pamt_level)level,
					entry_size[level]);
	return sum;
}

/* The kernel's ALIGN(x, a): a bit mask, which means what it says only for
 * powers of two; PAMT page counts such as 2053 are not (tdmr.md 1.7). */
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

int
tdxsim_pamt_alloc_kernel(const struct tdxsim_host_input *in, unsigned nid,
			 uint64_t bytes, const struct tdxsim_rangeset *taken,
			 uint64_t *base)
{
	uint64_t nr_pages = PFN(bytes);
	unsigned last = highest_nid(in);

	if (nr_pages == 0)
		return -ENOMEM;
	if (fit_in_node(in, nid, nr_pages, taken, base) == 0)
		return 0;
	/* Then the other nodes; distances are not modelled: by node number. */
	for (unsigned other = 0; other <= last; other++) {
		if (other != nid && fit_in_node(in, other, nr_pages, taken, base) == 0)
			return 0;
	}
	return -ENOMEM;
}
