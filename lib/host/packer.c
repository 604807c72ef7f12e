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
	bool quirk_1_0;			/* module 1.0's tail check (spec 2.4c) */
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

/* The member of set holding addr, or NULL. */
static const struct tdxsim_range *
member_at(const struct tdxsim_rangeset *set, uint64_t addr)
{
	size_t lo = 0, hi = set->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (set->ranges[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
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
	uint64_t sum = 0;

	for (unsigned l = TDXSIM_PAMT_4K; l <= TDXSIM_PAMT_1G; l++)
		sum += tdxsim_pamt_size(size, (enum tdxsim_pamt_level)l,
					pk->in->pamt_entry_size[l]);
	return sum;
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
 * the edge or inside of a CMR (spec module.md 2.4c). */
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

	z = limit_for(pk, a, max > slack ? max - slack : 0);
	b = z < limit ? align_down_1g(z) : limit;
	while (b > a && hole_areas(pk, a, b) > slots_of(pk, b, slack))
		b -= SZ_1G;
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

	if (slack)
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
	if (!ok && slack == 0)
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
 * when none (then addr is a TDMR base, as tdmr_get_nid() looks it up). */
static unsigned
nid_at(const struct packer *pk, uint64_t addr)
{
	const struct tdxsim_tmb_list *l = &pk->in->memlist;

	for (size_t i = 0; i < l->count; i++)
		if (l->blocks[i].end > addr)
			return l->blocks[i].nid;
	return l->count ? l->blocks[0].nid : 0;
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

/* Candidates: both ends of every free RAM stretch of every TDMR (a PAMT in
 * the middle of a stretch touches nothing, so it is never better). */
static struct spot
find_spot(const struct packer *pk, const struct tdxsim_rangeset *free_ram,
	  size_t owner, uint64_t p)
{
	struct spot best = { 0, 0, 0, -1 };

	for (size_t t = 0; t < pk->tdmr_count; t++) {
		struct tdxsim_range td = pk->tdmrs[t];

		for (size_t i = 0; i < free_ram->count; i++) {
			struct tdxsim_range g = tdxsim_range_intersection(free_ram->ranges[i], td);

			if (tdxsim_range_size(g) < p)
				continue;
			consider(pk, owner, t, g.start, p, &best);
			consider(pk, owner, t, g.end - p, p, &best);
		}
	}
	return best;
}

/* The n-th TDMR whose PAMT is placed: index order, or by size (largest
 * first, then index) under POLICY_LARGEST_FIRST. O(TDMRs) per call. */
static size_t
pamt_order(const struct packer *pk, size_t n)
{
	if (!(pk->policy & POLICY_LARGEST_FIRST))
		return n;
	for (size_t i = 0; i < pk->tdmr_count; i++) {
		uint64_t si = pk->tdmrs[i].end - pk->tdmrs[i].start;
		size_t rank = 0;

		for (size_t j = 0; j < pk->tdmr_count; j++) {
			uint64_t sj = pk->tdmrs[j].end - pk->tdmrs[j].start;

			rank += sj > si || (sj == si && j < i);
		}
		if (rank == n)
			return i;
	}
	return n;
}

/* PAMTs come from free RAM (the kernel allocates them), one 4K|2M|1G chunk
 * per TDMR as Linux lays them out. 0, 2 when one finds no place, -ENOMEM. */
static int
place_pamts(struct packer *pk, unsigned slack)
{
	struct tdxsim_rangeset free_ram;
	int ret;

	tdxsim_rangeset_init(&free_ram);
	ret = tdxsim_rangeset_copy(&free_ram, &pk->ram);
	for (size_t n = 0; n < pk->tdmr_count && ret == 0; n++) {
		size_t i = pamt_order(pk, n);
		struct tdxsim_range td = pk->tdmrs[i];
		uint64_t p = tdmr_pamt_bytes(pk, td.end - td.start);
		struct spot s = find_spot(pk, &free_ram, i, p);

		if (s.class < 0) {
			if (slack == 0 && pk->policy == 0) {
				pk->no_room = td;
				pk->no_room_bytes = p;
			}
			ret = 2;
			break;
		}
		pk->pamts[i] = (struct tdxsim_range){ s.base, s.base + p };
		ret = tdxsim_rangeset_add(&pk->rsvd[s.tdmr], pk->pamts[i]);
		if (ret == 0)
			ret = tdxsim_rangeset_subtract(&free_ram, pk->pamts[i]);
	}
	tdxsim_rangeset_fini(&free_ram);
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
		uint64_t sz = tdxsim_pamt_size(td.end - td.start, (enum tdxsim_pamt_level)l,
					       pk->in->pamt_entry_size[l]);

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
	if (!pk->spans || !pk->span_tdmrs || !pk->tdmrs || !pk->rsvd || !pk->pamts)
		return -ENOMEM;
	return 0;
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
}

int
tdxsim_construct_tdxsim(const struct tdxsim_host_input *in,
			struct tdxsim_host_run *run)
{
	const struct tdxsim_module_profile *prof =
		in->platform ? tdxsim_platform_module_profile(in->platform) : NULL;
	struct packer pk = { .in = in, .run = run };
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
