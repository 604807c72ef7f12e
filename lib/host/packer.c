/* SPDX-License-Identifier: MIT */
/*
 * tdxsim's own TDMR packer (strategy "tdxsim"). It covers exactly the
 * 1 GiB blocks that hold TDX memory, splits them into the fewest TDMRs
 * whose holes fit the module's reserved-area slots, bridges the smallest
 * gaps only when MAX_TDMRS forces it, and places every PAMT where it costs
 * no extra slot when it can. docs/host.md "The tdxsim packer" has the
 * algorithm and what is proven about it.
 *
 * Notation: R = TDX memory (the memlist), C = the CMRs with contiguous ones
 * merged (what the module's is_area_in_cmr() sees), a "hole" = a maximal
 * run of non-R bytes, a "bad" hole = one holding a byte outside C, which
 * must therefore be reserved (module rule C2). Everything is ranges.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "host-private.h"

/* A hole with a byte outside C; first_nc is its first such byte. */
struct bad_hole {
	uint64_t start;
	uint64_t end;
	uint64_t first_nc;
};

struct packer {
	const struct tdxsim_host_input *in;
	struct tdxsim_host_run *run;
	struct tdxsim_rangeset ram;	/* R */
	struct tdxsim_rangeset cmr;	/* C, merged */
	struct tdxsim_rangeset blocks;	/* the 1 GiB blocks R touches */
	struct bad_hole *bad;
	size_t bad_count;
	bool quirk_1_0;			/* module 1.0's tail check (tdh_sys_config.c) */
	/* The spans being partitioned: runs of blocks, merged when bridged. */
	struct tdxsim_range *spans;
	size_t *span_tdmrs;
	size_t span_count;
	/* The result: TDMRs, their reserved areas and PAMT chunks. */
	struct tdxsim_range *tdmrs;
	size_t tdmr_count;
	struct tdxsim_rangeset *rsvd;	/* per TDMR, absolute addresses */
	struct tdxsim_range *pamts;	/* per TDMR: 4K|2M|1G in one chunk */
	unsigned policy;		/* POLICY_* of the PAMT placement */
	/* The first attempt's TDMR whose PAMT found no place, for the log. */
	struct tdxsim_range no_room;
	uint64_t no_room_bytes;
	/* Placement indexes, built once, so that finding a PAMT's place
	 * never walks every run of R. */
	uint64_t *run_max;		/* max-tree over the sizes of R's runs */
	size_t run_leaves;
	struct tdxsim_tmb *by_node;	/* memlist by node, then address */
	bool memlist_sorted;		/* sorted and disjoint: binary search */
	struct tdxsim_rangeset placed;	/* the PAMTs placed so far */
	struct order_key *order;	/* the order PAMTs are placed in */
	/* The split phase: TDMRs of at most max_size bytes, trials quiet. */
	uint64_t max_size;
	bool quiet;
};

/* A TDMR in the PAMT placement order. */
struct order_key {
	uint64_t size;
	size_t tdmr;
};

static uint64_t
align_down_1g(uint64_t x)
{
	return x & ~(SZ_1G - 1);
}

static uint64_t
align_up_1g(uint64_t x)
{
	return align_down_1g(x + SZ_1G - 1);
}

/* Index of the first member of set ending after addr, or count. */
static size_t
first_ending_after(const struct tdxsim_rangeset *set, uint64_t addr)
{
	size_t lo = 0, hi = set->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (set->ranges[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The member of set holding addr, or NULL. */
static const struct tdxsim_range *
member_at(const struct tdxsim_rangeset *set, uint64_t addr)
{
	size_t lo = first_ending_after(set, addr);

	if (lo < set->count && set->ranges[lo].start <= addr)
		return &set->ranges[lo];
	return NULL;
}

/* First byte of [x, y) outside C, or y. Members of C are merged, so the
 * end of the member holding x is already outside C. */
static uint64_t
first_outside_cmr(const struct packer *pk, uint64_t x, uint64_t y)
{
	const struct tdxsim_range *m = member_at(&pk->cmr, x);

	if (m)
		x = m->end;
	return x < y ? x : y;
}

static bool
in_cmr(const struct packer *pk, uint64_t addr)
{
	return member_at(&pk->cmr, addr) != NULL;
}

/* ---- inputs ----------------------------------------------------------------- */

static bool
aligned_4k(uint64_t a, uint64_t b)
{
	return ((a | b) & (SZ_4K - 1)) == 0;
}

/* R and C as range sets. Both must be 4 KiB granular: reserved areas are
 * cut at their edges, and the module wants 4 KiB-aligned areas (R5). */
static int
load_sets(struct packer *pk)
{
	const struct tdxsim_host_input *in = pk->in;
	int ret = 0;

	for (size_t i = 0; i < in->memlist.count && ret == 0; i++) {
		const struct tdxsim_tmb *b = &in->memlist.blocks[i];

		if (!aligned_4k(b->start, b->end) || b->end < b->start) {
			tdxsim_host_log(pk->run, "tdxsim packer: memory region [0x%llx, 0x%llx) is not 4 KiB aligned",
					(unsigned long long)b->start,
					(unsigned long long)b->end);
			return 1;
		}
		ret = tdxsim_rangeset_add(&pk->ram, (struct tdxsim_range){ b->start, b->end });
	}
	for (size_t i = 0; i < in->cmr_count && ret == 0; i++) {
		const struct tdxsim_cmr *c = &in->cmrs[i];

		if (!aligned_4k(c->base, c->size) || c->size > UINT64_MAX - c->base) {
			tdxsim_host_log(pk->run, "tdxsim packer: CMR [0x%llx, +0x%llx) is not 4 KiB aligned",
					(unsigned long long)c->base,
					(unsigned long long)c->size);
			return 1;
		}
		ret = tdxsim_rangeset_add(&pk->cmr, (struct tdxsim_range){ c->base, c->base + c->size });
	}
	return ret;
}

/* Every TDX memory block lies in C; else name the first that does not, as
 * Kai Huang's is_cmr_sub_region() check does per block. */
static bool
ram_in_cmrs(struct packer *pk)
{
	for (size_t i = 0; i < pk->in->memlist.count; i++) {
		const struct tdxsim_tmb *b = &pk->in->memlist.blocks[i];

		if (!tdxsim_rangeset_covers(&pk->cmr, (struct tdxsim_range){ b->start, b->end })) {
			tdxsim_host_log(pk->run, "tdxsim packer: memory region [0x%llx, 0x%llx) is not in any CMR",
					(unsigned long long)b->start,
					(unsigned long long)b->end);
			return false;
		}
	}
	return true;
}

static int
load_blocks(struct packer *pk)
{
	for (size_t i = 0; i < pk->ram.count; i++) {
		struct tdxsim_range r = pk->ram.ranges[i];
		struct tdxsim_range b = { align_down_1g(r.start), align_up_1g(r.end) };
		int ret = tdxsim_rangeset_add(&pk->blocks, b);

		if (ret < 0)
			return ret;
	}
	return 0;
}

static int
push_bad(struct packer *pk, struct tdxsim_range h, uint64_t nc, size_t *cap)
{
	int ret = tdxsim_array_reserve((void **)&pk->bad, cap, pk->bad_count + 1,
				       sizeof(*pk->bad));

	if (ret < 0)
		return ret;
	pk->bad[pk->bad_count++] = (struct bad_hole){ h.start, h.end, nc };
	return 0;
}

/* The bad holes between the first and last block: gaps between runs of
 * blocks included, since bridging may cover them. */
static int
load_bad_holes(struct packer *pk)
{
	struct tdxsim_rangeset holes;
	struct tdxsim_range span = { pk->blocks.ranges[0].start,
				     pk->blocks.ranges[pk->blocks.count - 1].end };
	size_t cap = 0;
	int ret;

	tdxsim_rangeset_init(&holes);
	ret = tdxsim_rangeset_add(&holes, span);
	if (ret == 0)
		ret = tdxsim_rangeset_subtract_set(&holes, &pk->ram);
	for (size_t i = 0; i < holes.count && ret == 0; i++) {
		struct tdxsim_range h = holes.ranges[i];
		uint64_t nc = first_outside_cmr(pk, h.start, h.end);

		if (nc < h.end)
			ret = push_bad(pk, h, nc, &cap);
	}
	tdxsim_rangeset_fini(&holes);
	return ret;
}

static uint64_t
tdmr_pamt_bytes(const struct packer *pk, uint64_t size)
{
	return tdxsim_host_pamt_chunk(pk->in, size);
}

/* ---- partitioning ------------------------------------------------------------- */

/* Index of the first bad hole ending after addr. */
static size_t
first_bad_after(const struct packer *pk, uint64_t addr)
{
	size_t lo = 0, hi = pk->bad_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pk->bad[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first non-C byte of bad hole i clipped to start at a, or its end
 * when the clipped part lies in C (then it may stay non-reserved). */
static uint64_t
bad_entry(const struct packer *pk, size_t i, uint64_t a)
{
	const struct bad_hole *h = &pk->bad[i];

	if (h->start >= a)
		return h->first_nc;
	if (h->first_nc >= a)
		return h->first_nc;
	return first_outside_cmr(pk, a, h->end);
}

/*
 * The (n+1)-th hole of a TDMR starting at a that needs an area is entered
 * at the returned byte: [a, b) needs at most n areas iff b <= it. Holes are
 * disjoint and sorted, so their entry bytes increase. UINT64_MAX if none.
 */
static uint64_t
limit_for(const struct packer *pk, uint64_t a, unsigned n)
{
	unsigned seen = 0;

	for (size_t i = first_bad_after(pk, a); i < pk->bad_count; i++) {
		uint64_t x = bad_entry(pk, i, a);

		if (x >= pk->bad[i].end)
			continue;
		if (seen++ == n)
			return x;
	}
	return UINT64_MAX;
}

/* Areas the holes of [a, b) need: its holes holding a non-C byte. */
static unsigned
hole_areas(const struct packer *pk, uint64_t a, uint64_t b)
{
	unsigned n = 0;

	for (size_t i = first_bad_after(pk, a); i < pk->bad_count; i++) {
		uint64_t x = bad_entry(pk, i, a);

		if (pk->bad[i].start >= b)
			break;
		if (x < pk->bad[i].end && x < b)
			n++;
	}
	return n;
}

/* Module 1.0 judges [end, end) as an available area when every slot is
 * used and the last ends at the TDMR end; that passes only when end is at
 * the edge or inside of a CMR (1.0.x tdh_sys_config.c). */
static bool
tail_costs_slot(const struct packer *pk, uint64_t end)
{
	return pk->quirk_1_0 && !in_cmr(pk, end - 1) && !in_cmr(pk, end);
}

/* Slots TDMR [a, b) may use, keeping `slack` free for PAMTs. */
static unsigned
slots_of(const struct packer *pk, uint64_t b, unsigned slack)
{
	unsigned max = pk->in->max_reserved - (tail_costs_slot(pk, b) ? 1 : 0);

	return max > slack ? max - slack : 0;
}

/* End of the longest TDMR starting at a, within limit, whose holes fit;
 * 0 when not even [a, a + 1G) does. Fitting is monotone under shrinking
 * (a sub-TDMR has no more bad holes), except for the 1.0 tail quirk,
 * which is checked by stepping back. */
static uint64_t
longest_tdmr(const struct packer *pk, uint64_t a, uint64_t limit,
	     unsigned slack)
{
	unsigned max = pk->in->max_reserved;
	uint64_t z, b;

	/* The split phase caps TDMRs so that their PAMTs get smaller; a
	 * sub-interval fits whenever the interval does, so the cap keeps
	 * greedy exact for the count under it. */
	if (pk->max_size < limit - a)
		limit = a + pk->max_size;
	z = limit_for(pk, a, max > slack ? max - slack : 0);
	b = z < limit ? align_down_1g(z) : limit;
	/* b never wraps below a: an unaligned limit under 1 GiB would
	 * otherwise step down from 2^64 one GiB at a time. */
	while (b > a && hole_areas(pk, a, b) > slots_of(pk, b, slack))
		b = b - a > SZ_1G ? b - SZ_1G : a;
	return b > a ? b : 0;
}

/*
 * Greedy: from the span's start, the longest TDMR that fits, again and
 * again. Returns the TDMR count, or 0 with *bad_block set when a block
 * fits in no TDMR. With out, the TDMRs are stored (capacity is the
 * caller's: at most one per block).
 */
static size_t
partition(const struct packer *pk, struct tdxsim_range span, unsigned slack,
	  struct tdxsim_range *out, uint64_t *bad_block, uint64_t *pamt)
{
	size_t n = 0;

	*pamt = 0;
	for (uint64_t a = span.start; a < span.end;) {
		uint64_t b = longest_tdmr(pk, a, span.end, slack);

		if (b == 0) {
			*bad_block = a;
			return 0;
		}
		if (out)
			out[n] = (struct tdxsim_range){ a, b };
		*pamt += tdmr_pamt_bytes(pk, b - a);
		n++;
		a = b;
	}
	return n;
}

static void
report_bad_block(struct packer *pk, uint64_t a, unsigned slack)
{
	unsigned need = hole_areas(pk, a, a + SZ_1G);

	if (slack || pk->quiet)
		return;	/* only the first attempt's reasons are reported */
	tdxsim_host_log(pk->run, "tdxsim packer: no TDMR can hold [0x%llx, 0x%llx): its holes outside CMRs need %u reserved areas, the module allows %u",
			(unsigned long long)a, (unsigned long long)(a + SZ_1G),
			need, slots_of(pk, a + SZ_1G, 0));
}

/* Spans = the runs of blocks; each partitioned on its own. */
static int
load_spans(struct packer *pk, unsigned slack, size_t *total)
{
	uint64_t bad_block = 0, pamt = 0;

	pk->span_count = pk->blocks.count;
	memcpy(pk->spans, pk->blocks.ranges, pk->span_count * sizeof(*pk->spans));
	*total = 0;
	for (size_t i = 0; i < pk->span_count; i++) {
		pk->span_tdmrs[i] = partition(pk, pk->spans[i], slack, NULL,
					    &bad_block, &pamt);
		if (pk->span_tdmrs[i] == 0) {
			report_bad_block(pk, bad_block, slack);
			return 1;
		}
		*total += pk->span_tdmrs[i];
	}
	return 0;
}

/* The cost of covering spans j..i (gaps between them bridged) as one
 * stretch: its TDMR count (0: impossible) and PAMT bytes. */
static size_t
segment_cost(const struct packer *pk, size_t j, size_t i, unsigned slack,
	     uint64_t *pamt)
{
	struct tdxsim_range m = { pk->blocks.ranges[j].start, pk->blocks.ranges[i].end };
	uint64_t unused = 0;

	return partition(pk, m, slack, NULL, &unused, pamt);
}

/* Cheapest cover of a prefix of the spans with a given TDMR count. */
struct dp_cell {
	uint64_t pamt;	/* UINT64_MAX: unreachable */
	size_t from;	/* first span of the last stretch */
	size_t n;	/* TDMRs of the last stretch */
};

/* dp[(i + 1) * (K + 1) + k]: cheapest cover of spans 0..i with exactly k
 * TDMRs. Every grouping of consecutive spans into bridged stretches is
 * tried, each stretch split greedily: O(spans^2) stretch evaluations. */
static void
dp_fill(const struct packer *pk, unsigned slack, struct dp_cell *dp, size_t K)
{
	size_t S = pk->blocks.count;

	for (size_t c = 0; c < (S + 1) * (K + 1); c++)
		dp[c] = (struct dp_cell){ UINT64_MAX, 0, 0 };
	dp[0].pamt = 0;
	for (size_t i = 0; i < S; i++) {
		struct dp_cell *row = &dp[(i + 1) * (K + 1)];

		for (size_t j = i + 1; j-- > 0;) {
			uint64_t cost = 0;
			size_t n = segment_cost(pk, j, i, slack, &cost);

			for (size_t k = 0; n && k + n <= K; k++) {
				const struct dp_cell *prev = &dp[j * (K + 1) + k];

				if (prev->pamt != UINT64_MAX && prev->pamt + cost < row[k + n].pamt)
					row[k + n] = (struct dp_cell){ prev->pamt + cost, j, n };
			}
		}
	}
}

/* Read the best grouping (least PAMT, then fewest TDMRs) back into the
 * spans; false when no grouping fits MAX_TDMRS. */
static bool
dp_take(struct packer *pk, const struct dp_cell *dp, size_t K, size_t *total)
{
	size_t S = pk->blocks.count, best = 0, n = 0;
	const struct dp_cell *last = &dp[S * (K + 1)];

	for (size_t k = 1; k <= K; k++)
		if (last[k].pamt != UINT64_MAX &&
		    (best == 0 || last[k].pamt < last[best].pamt))
			best = k;
	if (best == 0)
		return false;
	*total = best;
	for (size_t i = S, k = best; i > 0;) {
		const struct dp_cell *c = &dp[i * (K + 1) + k];

		pk->spans[n] = (struct tdxsim_range){ pk->blocks.ranges[c->from].start,
						      pk->blocks.ranges[i - 1].end };
		pk->span_tdmrs[n++] = c->n;
		k -= c->n;
		i = c->from;
	}
	pk->span_count = n;
	for (size_t x = 0; x < n / 2; x++) {
		struct tdxsim_range r = pk->spans[x];
		size_t t = pk->span_tdmrs[x];

		pk->spans[x] = pk->spans[n - 1 - x];
		pk->span_tdmrs[x] = pk->span_tdmrs[n - 1 - x];
		pk->spans[n - 1 - x] = r;
		pk->span_tdmrs[n - 1 - x] = t;
	}
	return true;
}

/* Bridge gaps when MAX_TDMRS forces it. 0, 1 when nothing fits, -ENOMEM. */
static int
fit_max_tdmrs(struct packer *pk, unsigned slack, size_t *total)
{
	size_t K = pk->in->max_tdmrs, S = pk->blocks.count;
	struct dp_cell *dp;
	bool ok;

	if (*total <= K)
		return 0;
	dp = calloc((S + 1) * (K + 1), sizeof(*dp));
	if (!dp)
		return -ENOMEM;
	dp_fill(pk, slack, dp, K);
	ok = dp_take(pk, dp, K, total);
	free(dp);
	if (!ok && slack == 0 && !pk->quiet)
		tdxsim_host_log(pk->run, "tdxsim packer: memory needs %zu TDMRs, more than the module's %zu, and no bridging of gaps fits",
				*total, K);
	return ok ? 0 : 1;
}

/* The final TDMRs of every span, in address order. */
static void
store_tdmrs(struct packer *pk, unsigned slack)
{
	uint64_t unused = 0, pamt = 0;

	pk->tdmr_count = 0;
	for (size_t i = 0; i < pk->span_count; i++)
		pk->tdmr_count += partition(pk, pk->spans[i], slack,
					    &pk->tdmrs[pk->tdmr_count], &unused,
					    &pamt);
}

/* ---- reserved areas and PAMTs ------------------------------------------------ */

/* PAMT placement policies, tried in turn until one places every PAMT. */
#define POLICY_LARGEST_FIRST 1u	/* place big PAMTs while big stretches last */
#define POLICY_ANY_NODE 2u	/* ignore NUMA: spend fewer slots */
#define POLICY_COUNT 4u

/* Each bad hole, clipped to the TDMR, reserved whole when the clipped part
 * still has a byte outside C: whole, so that RAM on both sides touches it
 * and a PAMT there extends the area instead of taking a new slot. */
static int
reserve_holes(struct packer *pk, size_t t)
{
	struct tdxsim_range td = pk->tdmrs[t];

	for (size_t i = first_bad_after(pk, td.start); i < pk->bad_count; i++) {
		struct tdxsim_range h = { pk->bad[i].start, pk->bad[i].end };
		int ret;

		if (h.start >= td.end)
			break;
		h = tdxsim_range_intersection(h, td);
		if (first_outside_cmr(pk, h.start, h.end) == h.end)
			continue;
		ret = tdxsim_rangeset_add(&pk->rsvd[t], h);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* The NUMA node of the memory block holding addr; the first block's node
 * when none (then addr is a TDMR base, as tdmr_get_nid() looks it up).
 * A sorted list is searched in O(log n); any other in list order. */
static unsigned
nid_at(const struct packer *pk, uint64_t addr)
{
	const struct tdxsim_tmb_list *l = &pk->in->memlist;
	size_t lo = 0, hi = l->count;

	if (!pk->memlist_sorted) {
		for (size_t i = 0; i < l->count; i++)
			if (l->blocks[i].end > addr)
				return l->blocks[i].nid;
		return l->count ? l->blocks[0].nid : 0;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->blocks[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < l->count)
		return l->blocks[lo].nid;
	return l->count ? l->blocks[0].nid : 0;
}

static int
cmp_by_node(const void *a, const void *b)
{
	const struct tdxsim_tmb *x = a, *y = b;

	if (x->nid != y->nid)
		return x->nid < y->nid ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

/* The memlist by node, to jump to a node's next memory in O(log n). Only
 * for a sorted, disjoint memlist (the kernel's always is); otherwise the
 * placement checks every piece, as correct and slower. */
static int
build_node_index(struct packer *pk)
{
	const struct tdxsim_tmb_list *l = &pk->in->memlist;

	pk->memlist_sorted = true;
	for (size_t i = 1; i < l->count; i++)
		if (l->blocks[i].start < l->blocks[i - 1].end)
			pk->memlist_sorted = false;
	if (!pk->memlist_sorted || l->count == 0)
		return 0;
	pk->by_node = malloc(l->count * sizeof(*pk->by_node));
	if (!pk->by_node)
		return -ENOMEM;
	memcpy(pk->by_node, l->blocks, l->count * sizeof(*pk->by_node));
	qsort(pk->by_node, l->count, sizeof(*pk->by_node), cmp_by_node);
	return 0;
}

/* The first address >= y on node nid, UINT64_MAX when none; y itself
 * without the index. */
static uint64_t
next_on_node(const struct packer *pk, unsigned nid, uint64_t y)
{
	const struct tdxsim_tmb *b = pk->by_node;
	size_t n = pk->in->memlist.count, lo = 0, hi = n;

	if (!b)
		return y;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b[mid].nid < nid || (b[mid].nid == nid && b[mid].end <= y))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n || b[lo].nid != nid)
		return UINT64_MAX;
	return b[lo].start > y ? b[lo].start : y;
}

/* A max-tree over the sizes of R's runs (leaves past the runs hold 0):
 * the first run that can hold p bytes is found in O(log n). */
static int
build_run_tree(struct packer *pk)
{
	size_t n = pk->ram.count, leaves = 1;
	uint64_t *v;

	while (leaves < n)
		leaves *= 2;
	v = calloc(2 * leaves, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		v[leaves + i] = tdxsim_range_size(pk->ram.ranges[i]);
	for (size_t k = leaves; k-- > 1;)
		v[k] = v[2 * k] > v[2 * k + 1] ? v[2 * k] : v[2 * k + 1];
	pk->run_max = v;
	pk->run_leaves = leaves;
	return 0;
}

/* Index of the first run at or after i of at least p > 0 bytes, or the
 * run count. */
static size_t
run_at_least(const struct packer *pk, size_t i, uint64_t p)
{
	const uint64_t *v = pk->run_max;
	size_t k;

	if (i >= pk->ram.count)
		return pk->ram.count;
	k = pk->run_leaves + i;
	/* Up until a subtree to the right of i holds a fit... */
	while (v[k] < p) {
		while (k & 1)
			k >>= 1;
		if (k == 0)
			return pk->ram.count;
		k++;
	}
	/* ... then down to its leftmost fit. */
	while (k < pk->run_leaves) {
		k *= 2;
		if (v[k] < p)
			k++;
	}
	return k - pk->run_leaves;
}

/* The free piece (R minus placed PAMTs) holding addr, clipped to td;
 * empty when addr is not free. */
static struct tdxsim_range
piece_at(const struct packer *pk, struct tdxsim_range td, uint64_t addr)
{
	const struct tdxsim_range *m = member_at(&pk->ram, addr);
	const struct tdxsim_rangeset *pl = &pk->placed;
	struct tdxsim_range g;
	size_t j;

	if (!m || tdxsim_rangeset_contains(pl, addr))
		return (struct tdxsim_range){ addr, addr };
	g = *m;
	j = first_ending_after(pl, addr);
	if (j < pl->count && pl->ranges[j].start < g.end)
		g.end = pl->ranges[j].start;
	if (j > 0 && pl->ranges[j - 1].end > g.start)
		g.start = pl->ranges[j - 1].end;
	return tdxsim_range_intersection(g, td);
}

/* The free pieces of run i clipped to [lo, hi): the first of p bytes. */
static bool
fit_in_run(const struct packer *pk, size_t i, uint64_t lo, uint64_t hi,
	   uint64_t p, struct tdxsim_range *out)
{
	const struct tdxsim_rangeset *pl = &pk->placed;
	struct tdxsim_range run = pk->ram.ranges[i];
	uint64_t x = run.start > lo ? run.start : lo;
	uint64_t end = run.end < hi ? run.end : hi;
	size_t j = first_ending_after(pl, x);

	while (x < end) {
		uint64_t y = end;

		if (j < pl->count && pl->ranges[j].start <= x) {
			x = pl->ranges[j++].end;
			continue;
		}
		if (j < pl->count && pl->ranges[j].start < end)
			y = pl->ranges[j].start;
		if (y - x >= p) {
			*out = (struct tdxsim_range){ x, y };
			return true;
		}
		x = y;
	}
	return false;
}

/* The lowest free piece clipped to [lo, hi) of at least p bytes. Only runs
 * of p bytes are visited, and a visited run fails only when clipped or
 * cut by a placed PAMT: O((1 + PAMTs) log n). */
static bool
next_piece(const struct packer *pk, uint64_t lo, uint64_t hi, uint64_t p,
	   struct tdxsim_range *out)
{
	for (size_t i = first_ending_after(&pk->ram, lo);; i++) {
		i = run_at_least(pk, i, p);
		if (i == pk->ram.count || pk->ram.ranges[i].start >= hi)
			return false;
		if (fit_in_run(pk, i, lo, hi, p, out))
			return true;
	}
}

/* A place for a PAMT and how good it is: lower class is better. */
struct spot {
	uint64_t base;
	size_t tdmr;
	int delta;	/* slots it adds to its TDMR (-1: it joins two areas) */
	int class;
};

/* Slots a PAMT at [c, c + p) adds to TDMR t: one, less one per reserved
 * area it touches (the range set merges them). */
static int
spot_delta(const struct packer *pk, size_t t, uint64_t c, uint64_t p)
{
	const struct tdxsim_rangeset *r = &pk->rsvd[t];
	int d = 1;

	if (c > pk->tdmrs[t].start && tdxsim_rangeset_contains(r, c - 1))
		d--;
	if (c + p < pk->tdmrs[t].end && tdxsim_rangeset_contains(r, c + p))
		d--;
	return d;
}

/*
 * Classes: 0 free on the owner's node; 1 paid on the owner's node in a
 * TDMR that keeps a spare slot (NUMA-local PAMTs, like Linux, without
 * spending a TDMR's last slot); 2 free elsewhere; 3 paid wherever a slot
 * remains; -1 impossible.
 */
static int
spot_class(const struct packer *pk, size_t owner, size_t t, uint64_t c,
	   int delta, bool numa)
{
	size_t used = pk->rsvd[t].count;
	unsigned slots = slots_of(pk, pk->tdmrs[t].end, 0);
	bool local = !numa || nid_at(pk, c) == nid_at(pk, pk->tdmrs[owner].start);

	if ((long)used + delta > (long)slots)
		return -1;
	if (delta <= 0)
		return local ? 0 : 2;
	if (local && used + 2 <= slots)
		return 1;
	return 3;
}

static void
consider(const struct packer *pk, size_t owner, size_t t, uint64_t c,
	 uint64_t p, struct spot *best)
{
	struct spot s = { c, t, spot_delta(pk, t, c, p), 0 };

	s.class = spot_class(pk, owner, t, c, s.delta, !(pk->policy & POLICY_ANY_NODE));
	if (s.class < 0)
		return;
	if (best->class < 0 || s.class < best->class ||
	    (s.class == best->class && s.delta < best->delta))
		*best = s;
}

/*
 * The spots that add no slot (classes 0 and 2) are the ends of free
 * pieces that touch a reserved area of their TDMR, so they are found from
 * the areas, in the order of a walk over every piece: O(areas log n).
 */
static void
spots_by_areas(const struct packer *pk, size_t owner, uint64_t p,
	       struct spot *best)
{
	for (size_t t = 0; t < pk->tdmr_count; t++) {
		struct tdxsim_range td = pk->tdmrs[t];
		const struct tdxsim_rangeset *r = &pk->rsvd[t];

		for (size_t i = 0; i < r->count; i++) {
			struct tdxsim_range a = r->ranges[i], g;

			if (a.start > td.start) {
				g = piece_at(pk, td, a.start - 1);
				if (tdxsim_range_size(g) >= p)
					consider(pk, owner, t, g.end - p, p, best);
			}
			if (a.end < td.end) {
				g = piece_at(pk, td, a.end);
				if (tdxsim_range_size(g) >= p)
					consider(pk, owner, t, g.start, p, best);
			}
		}
	}
}

/* Index of the TDMR holding addr or the first after it, or the count. */
static size_t
tdmr_from(const struct packer *pk, uint64_t addr)
{
	size_t lo = 0, hi = pk->tdmr_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pk->tdmrs[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The lowest spot that costs a slot, in a TDMR keeping `spare` slots (2:
 * class 1, on the owner's node when `local`; 1: class 3, anywhere). Pieces
 * are taken in address order; when local, the walk jumps to the owner's
 * node, since a piece with neither end on it cannot be class 1. True when
 * a spot of class <= want was found.
 */
static bool
scan_paid(const struct packer *pk, size_t owner, uint64_t p, unsigned spare,
	  bool local, struct spot *best)
{
	int want = local ? 1 : 3;
	bool jump = local && !(pk->policy & POLICY_ANY_NODE);
	unsigned nid = nid_at(pk, pk->tdmrs[owner].start);
	uint64_t x = 0;

	for (;;) {
		struct tdxsim_range td, g;
		size_t t;

		if (jump)
			x = next_on_node(pk, nid, x);
		t = tdmr_from(pk, x);
		if (t == pk->tdmr_count)
			return false;
		td = pk->tdmrs[t];
		if (x < td.start)
			x = td.start;
		if (pk->rsvd[t].count + spare > slots_of(pk, td.end, 0) ||
		    !next_piece(pk, x, td.end, p, &g)) {
			x = td.end;
			continue;
		}
		g = piece_at(pk, td, g.start);
		consider(pk, owner, t, g.start, p, best);
		consider(pk, owner, t, g.end - p, p, best);
		if (best->class >= 0 && best->class <= want)
			return true;
		x = g.end > x ? g.end : td.end;	/* always forward */
	}
}

/* The best spot by class, then slots added, then address: the same choice
 * as judging both ends of every free piece of every TDMR (a PAMT in the
 * middle of a piece touches nothing, so it is never better), without
 * walking them all. */
static struct spot
find_spot(const struct packer *pk, size_t owner, uint64_t p)
{
	struct spot best = { 0, 0, 0, -1 };

	spots_by_areas(pk, owner, p, &best);
	if (best.class == 0 || scan_paid(pk, owner, p, 2, true, &best) ||
	    best.class == 2)
		return best;
	scan_paid(pk, owner, p, 1, false, &best);
	return best;
}

static int
cmp_order(const void *a, const void *b)
{
	const struct order_key *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return (x->tdmr > y->tdmr) - (x->tdmr < y->tdmr);
}

/* The order PAMTs are placed in: TDMR order, or by size (largest first,
 * then index) under POLICY_LARGEST_FIRST. */
static void
set_order(struct packer *pk)
{
	for (size_t i = 0; i < pk->tdmr_count; i++)
		pk->order[i] = (struct order_key){
			pk->tdmrs[i].end - pk->tdmrs[i].start, i };
	if (pk->policy & POLICY_LARGEST_FIRST)
		qsort(pk->order, pk->tdmr_count, sizeof(*pk->order), cmp_order);
}

/* PAMTs come from free RAM (the kernel allocates them), one 4K|2M|1G chunk
 * per TDMR as Linux lays them out. 0, 2 when one finds no place, -ENOMEM. */
static int
place_pamts(struct packer *pk, unsigned slack)
{
	int ret = 0;

	tdxsim_rangeset_clear(&pk->placed);
	set_order(pk);
	for (size_t n = 0; n < pk->tdmr_count && ret == 0; n++) {
		size_t i = pk->order[n].tdmr;
		struct tdxsim_range td = pk->tdmrs[i];
		uint64_t p = tdmr_pamt_bytes(pk, td.end - td.start);
		struct spot s = find_spot(pk, i, p);

		if (s.class < 0) {
			if (slack == 0 && pk->policy == 0 && !pk->quiet) {
				pk->no_room = td;
				pk->no_room_bytes = p;
			}
			return 2;
		}
		pk->pamts[i] = (struct tdxsim_range){ s.base, s.base + p };
		ret = tdxsim_rangeset_add(&pk->rsvd[s.tdmr], pk->pamts[i]);
		if (ret == 0)
			ret = tdxsim_rangeset_add(&pk->placed, pk->pamts[i]);
	}
	return ret;
}

/* ---- output ------------------------------------------------------------------- */

/* Why area a of TDMR t exists: its first PAMT (by address) names the
 * owner; bytes beyond its PAMTs are a hole. */
static enum tdxsim_rsvd_reason
area_reason(const struct packer *pk, struct tdxsim_range a, int *owner)
{
	uint64_t pamt_bytes = 0, first = UINT64_MAX;

	*owner = -1;
	for (size_t i = 0; i < pk->tdmr_count; i++) {
		struct tdxsim_range x = tdxsim_range_intersection(a, pk->pamts[i]);

		if (tdxsim_range_is_empty(x))
			continue;
		pamt_bytes += tdxsim_range_size(x);
		if (x.start < first) {
			first = x.start;
			*owner = (int)i;
		}
	}
	if (*owner < 0)
		return TDXSIM_RSVD_HOLE;
	return pamt_bytes == tdxsim_range_size(a) ? TDXSIM_RSVD_PAMT
						  : TDXSIM_RSVD_HOLE_AND_PAMT;
}

static int
emit_tdmr(struct packer *pk, size_t t)
{
	struct tdxsim_range td = pk->tdmrs[t], pm = pk->pamts[t];
	uint64_t base = pm.start;
	int idx = tdxsim_host_add_tdmr(pk->run, td.start, td.end - td.start);

	if (idx < 0)
		return idx;
	for (unsigned l = TDXSIM_PAMT_4K; l <= TDXSIM_PAMT_1G; l++) {
		uint64_t sz = tdxsim_host_pamt_level(pk->in, td.end - td.start,
						     (enum tdxsim_pamt_level)l);

		tdxsim_layout_set_pamt(pk->run->layout, (size_t)idx,
				       (enum tdxsim_pamt_level)l, base, sz);
		base += sz;
	}
	/* The range set keeps areas sorted and merged: no sort needed. */
	for (size_t i = 0; i < pk->rsvd[t].count; i++) {
		struct tdxsim_range a = pk->rsvd[t].ranges[i];
		int owner, ret;
		enum tdxsim_rsvd_reason why = area_reason(pk, a, &owner);

		ret = tdxsim_host_add_rsvd(pk->run, (size_t)idx, a.start,
					   a.end - a.start, why, owner);
		if (ret < 0)
			return ret;
	}
	pk->run->pamt_bytes += pm.end - pm.start;
	return 0;
}

/* ---- driver ------------------------------------------------------------------- */

static int
alloc_work(struct packer *pk)
{
	size_t nblocks = 0;

	for (size_t i = 0; i < pk->blocks.count; i++)
		nblocks += tdxsim_range_size(pk->blocks.ranges[i]) / SZ_1G;
	/* At most one TDMR per block: bridging only ever lowers the count. */
	pk->spans = calloc(pk->blocks.count, sizeof(*pk->spans));
	pk->span_tdmrs = calloc(pk->blocks.count, sizeof(*pk->span_tdmrs));
	pk->tdmrs = calloc(nblocks, sizeof(*pk->tdmrs));
	pk->rsvd = calloc(nblocks, sizeof(*pk->rsvd));
	pk->pamts = calloc(nblocks, sizeof(*pk->pamts));
	pk->order = calloc(nblocks, sizeof(*pk->order));
	if (!pk->spans || !pk->span_tdmrs || !pk->tdmrs || !pk->rsvd ||
	    !pk->pamts || !pk->order)
		return -ENOMEM;
	if (build_run_tree(pk) < 0)
		return -ENOMEM;
	return build_node_index(pk);
}

static void
clear_layout_work(struct packer *pk)
{
	for (size_t t = 0; t < pk->tdmr_count; t++)
		tdxsim_rangeset_clear(&pk->rsvd[t]);
}

/*
 * One attempt: partition with `slack` slots per TDMR kept for PAMTs, fit
 * MAX_TDMRS, reserve holes, place PAMTs. 0 done, 1 no partition fits
 * (logged when slack is 0), 2 a PAMT found no place, -ENOMEM.
 */
static int
attempt(struct packer *pk, unsigned slack)
{
	size_t total;
	int ret;

	clear_layout_work(pk);
	if (load_spans(pk, slack, &total))
		return 1;
	ret = fit_max_tdmrs(pk, slack, &total);
	if (ret)
		return ret;
	store_tdmrs(pk, slack);
	ret = 2;
	for (pk->policy = 0; pk->policy < POLICY_COUNT && ret == 2; pk->policy++) {
		clear_layout_work(pk);
		for (size_t t = 0; t < pk->tdmr_count; t++) {
			ret = reserve_holes(pk, t);
			if (ret < 0)
				return ret;
		}
		ret = place_pamts(pk, slack);
	}
	return ret;
}

static void
log_no_room(struct packer *pk)
{
	tdxsim_host_log(pk->run, "tdxsim packer: no room for the %llu KB PAMT of TDMR [0x%llx, 0x%llx): no free memory next to a reserved area or in a TDMR with a free slot",
			(unsigned long long)(pk->no_room_bytes / 1024),
			(unsigned long long)pk->no_room.start,
			(unsigned long long)pk->no_room.end);
}

/* ---- the split phase ---------------------------------------------------------- */

/* The exact PAMT of `bytes` of TDMRs without rounding: a lower bound on
 * the PAMT of any TDMRs covering them (bytes a multiple of 1 GiB). */
static uint64_t
pamt_floor(const struct packer *pk, uint64_t bytes)
{
	const unsigned *e = pk->in->pamt_entry_size;
	/* Dynamic PAMT: the 4K level is a bitmap, bits per page. */
	uint64_t level4k = pk->in->pamt_bitmap_bits
			   ? (bytes >> 12) * pk->in->pamt_bitmap_bits / 8
			   : (bytes >> 12) * e[TDXSIM_PAMT_4K];

	return level4k + (bytes >> 21) * e[TDXSIM_PAMT_2M] + (bytes >> 30) * e[TDXSIM_PAMT_1G];
}

/* Bytes in the k longest runs of R (k small: a sorted top-k). */
static uint64_t
longest_runs_bytes(const struct packer *pk, size_t k, uint64_t *top)
{
	size_t n = 0;
	uint64_t sum = 0;

	for (size_t i = 0; i < pk->ram.count && k; i++) {
		uint64_t v = tdxsim_range_size(pk->ram.ranges[i]);
		size_t j;

		if (n == k && v <= top[n - 1])
			continue;
		if (n < k)
			n++;
		for (j = n - 1; j > 0 && top[j - 1] < v; j--)
			top[j] = top[j - 1];
		top[j] = v;
	}
	for (size_t i = 0; i < n; i++)
		sum += top[i];
	return sum;
}

static uint64_t
blocks_bytes(const struct packer *pk)
{
	return tdxsim_rangeset_bytes(&pk->blocks);
}

/*
 * A proof that no layout exists: every TDMR's chunk lies in one run of R
 * and chunks are disjoint, so at most max_tdmrs runs hold them all, and
 * they hold at least pamt_floor() of the blocks. True (logged) when the
 * max_tdmrs longest runs are too short.
 */
static int
pamt_cannot_fit(struct packer *pk, bool *cannot)
{
	size_t k = pk->in->max_tdmrs;
	uint64_t *top = calloc(k ? k : 1, sizeof(*top));
	uint64_t need = pamt_floor(pk, blocks_bytes(pk)), room;

	if (!top)
		return -ENOMEM;
	room = longest_runs_bytes(pk, k, top);
	free(top);
	*cannot = room < need;
	if (*cannot)
		tdxsim_host_log(pk->run, "tdxsim packer: no room for the PAMTs: %llu GiB of memory blocks need at least %llu KB of PAMT, the %zu longest free memory stretches (one per TDMR at most) hold %llu KB",
				(unsigned long long)(blocks_bytes(pk) >> 30),
				(unsigned long long)(need / 1024), k,
				(unsigned long long)(room / 1024));
	return 0;
}

/* Largest multiple of 1 GiB, at most `most`, whose PAMT chunk fits in cap
 * bytes; 0 when not even 1 GiB does. The chunk grows with the size. */
static uint64_t
size_for_pamt(const struct packer *pk, uint64_t cap, uint64_t most)
{
	uint64_t lo = 0, hi = most / SZ_1G;

	while (lo < hi) {
		uint64_t mid = hi - (hi - lo) / 2;

		if (tdmr_pamt_bytes(pk, mid * SZ_1G) <= cap)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo * SZ_1G;
}

/* One trial: TDMRs of at most `size` bytes. 0 ok, 1 too many TDMRs, 2 a
 * PAMT found no place (also when only the slack retry ran out of
 * TDMRs: the cap was still too big), -ENOMEM. */
static int
trial(struct packer *pk, uint64_t size)
{
	int ret;

	pk->max_size = size;
	ret = attempt(pk, 0);
	if (ret == 2) {
		ret = attempt(pk, 1);
		if (ret == 1)
			ret = 2;
	}
	return ret;
}

/*
 * Binary search for the largest TDMR cap that works: a smaller cap means
 * more, smaller TDMRs and PAMTs. "Too many TDMRs" is monotone in the cap
 * (greedy is exact under a cap); "no place for a PAMT" is only assumed to
 * be. O(log(memory / 1 GiB)) trials. 0 with the layout, 2 none found.
 */
static int
split_search(struct packer *pk)
{
	uint64_t longest = 0, best = 0, last = 0, lo = 1, hi;

	longest_runs_bytes(pk, 1, &longest);
	hi = size_for_pamt(pk, longest, blocks_bytes(pk)) / SZ_1G;
	while (lo <= hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		int ret = trial(pk, mid * SZ_1G);

		if (ret < 0)
			return ret;
		last = mid;
		if (ret == 0)
			best = mid;
		if (ret == 2)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	if (best == 0)
		return 2;
	return best == last ? 0 : trial(pk, best * SZ_1G);
}

/* After the uncapped attempts found no place for a PAMT: prove there is
 * none, or split TDMRs. 0 done, 2 (logged later), 3 (logged), -ENOMEM. */
static int
split_phase(struct packer *pk)
{
	bool cannot = false;
	int ret = pamt_cannot_fit(pk, &cannot);

	if (ret < 0)
		return ret;
	if (cannot)
		return 3;
	pk->quiet = true;
	ret = split_search(pk);
	pk->quiet = false;
	return ret;
}

/* Emit the layout, or say why there is none. */
static int
finish(struct packer *pk, int outcome)
{
	if (outcome == 2)
		log_no_room(pk);
	if (outcome) {
		pk->run->err = -ENOSPC;
		return 0;
	}
	for (size_t t = 0; t < pk->tdmr_count; t++) {
		int ret = emit_tdmr(pk, t);

		if (ret < 0)
			return ret;
	}
	pk->run->err = 0;
	return 0;
}

/* 0 when R and C are usable; 1 with run->err set when not. */
static int
check_inputs(struct packer *pk)
{
	int ret = load_sets(pk);

	if (ret < 0)
		return ret;
	if (ret == 0 && pk->ram.count == 0) {
		tdxsim_host_log(pk->run, "tdxsim packer: no TDX memory to cover");
		ret = 1;
	}
	if (ret == 0 && !ram_in_cmrs(pk))
		ret = 1;
	if (ret)
		pk->run->err = -EINVAL;
	return ret;
}

static int
pack(struct packer *pk)
{
	int ret = check_inputs(pk);

	if (ret)
		return ret < 0 ? ret : 0;
	ret = load_blocks(pk);
	if (ret == 0)
		ret = load_bad_holes(pk);
	if (ret == 0)
		ret = alloc_work(pk);
	if (ret < 0)
		return ret;
	ret = attempt(pk, 0);
	/* A PAMT with nowhere to go: try again keeping a slot per TDMR free
	 * for PAMTs, which can cost TDMRs but never PAMT memory's minimum
	 * when it succeeds (same blocks covered unless bridging grows). */
	if (ret == 2) {
		int again = attempt(pk, 1);

		if (again < 0)
			return again;
		if (again == 0)
			ret = 0;
	}
	if (ret == 2)
		ret = split_phase(pk);
	if (ret < 0)
		return ret;
	return finish(pk, ret);
}

static void
packer_fini(struct packer *pk, size_t nrsvd)
{
	tdxsim_rangeset_fini(&pk->ram);
	tdxsim_rangeset_fini(&pk->cmr);
	tdxsim_rangeset_fini(&pk->blocks);
	if (pk->rsvd)
		for (size_t t = 0; t < nrsvd; t++)
			tdxsim_rangeset_fini(&pk->rsvd[t]);
	free(pk->rsvd);
	free(pk->bad);
	free(pk->spans);
	free(pk->span_tdmrs);
	free(pk->tdmrs);
	free(pk->pamts);
	free(pk->order);
	free(pk->run_max);
	free(pk->by_node);
	tdxsim_rangeset_fini(&pk->placed);
}

int
tdxsim_construct_tdxsim(const struct tdxsim_host_input *in,
			struct tdxsim_host_run *run)
{
	const struct tdxsim_module_profile *prof =
		in->platform ? tdxsim_platform_module_profile(in->platform) : NULL;
	struct packer pk = { .in = in, .run = run, .max_size = UINT64_MAX };
	size_t nblocks = 0;
	int ret;

	/* Module 1.0 (major 1, minor < 5) has the tail-check quirk. */
	pk.quirk_1_0 = prof && prof->major == 1 && prof->minor < 5;
	ret = pack(&pk);
	for (size_t i = 0; i < pk.blocks.count; i++)
		nblocks += tdxsim_range_size(pk.blocks.ranges[i]) / SZ_1G;
	packer_fini(&pk, nblocks);
	return ret;
}
