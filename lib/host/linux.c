/* SPDX-License-Identifier: MIT */
/*
 * Linux's TDMR construction, faithful to the kernel (tdx.c):
 * fill_out_tdmrs(), tdmrs_set_up_pamt_all(), tdmrs_populate_rsvd_areas_all()
 * of torvalds/linux v6.18-era arch/x86/virt/vmx/tdx/tdx.c, and with
 * cmr_holes the variant of Kai Huang's "[PATCH v8 8.2/9] x86/virt/tdx:
 * Reduce TDMR's reserved areas by using CMRs to find memory holes"
 * (Message-ID <20241209065016.242359-1-kai.huang@intel.com>), which also
 * checks every memory region against the CMRs (is_cmr_sub_region()).
 * The kernel's loops are reproduced with their exact comparisons, errnos
 * and messages; reserved areas are never merged.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>

#include "common.h"
#include "host-private.h"

#define TDMR_NR_WARN 4
#define ALIGN_DOWN_1G(x) ((x) & ~(SZ_1G - 1))
#define ALIGN_UP_1G(x) (((x) + SZ_1G - 1) & ~(SZ_1G - 1))

struct tdmr_span {
	uint64_t base;
	uint64_t size;
};

struct linux_state {
	const struct tdxsim_host_input *in;
	struct tdxsim_host_run *run;
	struct tdmr_span *tdmrs;
	size_t nr;
	uint64_t *pamt_base;	/* of each TDMR's 4K|2M|1G chunk */
	uint64_t *pamt_total;
};

/* is_cmr_sub_region(): inside ONE CMR; adjacent CMRs are not merged. */
static bool
is_cmr_sub_region(const struct tdxsim_host_input *in, uint64_t start,
		  uint64_t end)
{
	for (size_t i = 0; i < in->cmr_count; i++) {
		if (start >= in->cmrs[i].base &&
		    end <= in->cmrs[i].base + in->cmrs[i].size)
			return true;
	}
	return false;
}

static int
check_memlist_in_cmrs(struct linux_state *st)
{
	for (size_t i = 0; i < st->in->memlist.count; i++) {
		const struct tdxsim_tmb *b = &st->in->memlist.blocks[i];

		if (is_cmr_sub_region(st->in, b->start, b->end))
			continue;
		/* The patch prints PHYS_PFN() of PFNs: addresses >> 24, not
		 * addresses (its print bug, kept; docs/fidelity.md). */
		tdxsim_host_log(st->run,
				"memory region [0x%" PRIx64 ", 0x%" PRIx64 ") is not TDX convertible memory.",
				b->start >> 24, b->end >> 24);
		st->run->err = -EINVAL;
		return 0;
	}
	return 0;
}

static int
add_span(struct linux_state *st, size_t *capacity)
{
	int ret = tdxsim_array_reserve((void **)&st->tdmrs, capacity, st->nr + 1,
				       sizeof(*st->tdmrs));

	if (ret == 0)
		st->tdmrs[st->nr++] = (struct tdmr_span){ 0, 0 };
	return ret;
}

/* fill_out_tdmrs(): one TDMR per memory block rounded out to 1 GiB,
 * absorbed while it ends within the current TDMR. */
static int
fill_out_tdmrs(struct linux_state *st)
{
	size_t capacity = 0;
	int ret = add_span(st, &capacity);

	for (size_t i = 0; i < st->in->memlist.count && ret == 0; i++) {
		const struct tdxsim_tmb *b = &st->in->memlist.blocks[i];
		struct tdmr_span *t = &st->tdmrs[st->nr - 1];
		uint64_t start = ALIGN_DOWN_1G(b->start), end = ALIGN_UP_1G(b->end);

		if (t->size) {
			if (end <= t->base + t->size)
				continue;
			if (start < t->base + t->size)
				start = t->base + t->size;
			if (st->nr >= st->in->max_tdmrs) {
				st->run->has_unplaced = true;
				st->run->unplaced = (struct tdxsim_unplaced){
					TDXSIM_UNPLACED_REGION, -1, (unsigned)st->nr + 1,
					b->start, b->end - b->start, TDXSIM_RSVD_HOLE, -1 };
				tdxsim_host_log(st->run, "initialization failed: TDMRs exhausted.");
				st->run->err = -ENOSPC;
				return 0;
			}
			ret = add_span(st, &capacity);
			if (ret < 0)
				return ret;
			t = &st->tdmrs[st->nr - 1];
		}
		t->base = start;
		t->size = end - start;
	}
	if (ret == 0 && st->in->max_tdmrs - st->nr < TDMR_NR_WARN)
		tdxsim_host_log(st->run, "consumed TDMRs reaching limit: %zu used out of %u",
				st->nr, st->in->max_tdmrs);
	return ret;
}

/* tdmr_get_nid(): the first block ending above the TDMR's base. */
static unsigned
tdmr_nid(struct linux_state *st, const struct tdmr_span *t)
{
	for (size_t i = 0; i < st->in->memlist.count; i++) {
		if ((st->in->memlist.blocks[i].end >> 12) > (t->base >> 12))
			return st->in->memlist.blocks[i].nid;
	}
	tdxsim_host_log(st->run,
			"TDMR [0x%" PRIx64 ", 0x%" PRIx64 "): unable to find local NUMA node for PAMT allocation, fallback to use node 0.",
			t->base, t->base + t->size);
	return 0;
}

static void
record_pamt(struct linux_state *st, size_t i)
{
	uint64_t base = st->pamt_base[i];

	/* One chunk per TDMR, laid out 4K | 2M | 1G. */
	for (int level = TDXSIM_PAMT_4K; level <= TDXSIM_PAMT_1G; level++) {
		uint64_t size = tdxsim_host_pamt_level(st->in, st->tdmrs[i].size,
						       (enum tdxsim_pamt_level)level);

		tdxsim_layout_set_pamt(st->run->layout, i, level, base, size);
		base += size;
	}
}

/*
 * A chunk the fixture places (pamt-placement) stands for what
 * alloc_contig_pages() returned on the real machine, whose other
 * allocations tdxsim does not model; so any free spot is believed, but
 * only a spot the kernel could have been given: pages of one memblock
 * region (memblock.memory), of one zone, not already holding a PAMT.
 * Anything else would replay a boot that cannot happen, so the run
 * refuses it (-EINVAL, one "tdxsim:" line) rather than hand the module a
 * layout no kernel builds. Returns whether the chunk is usable.
 */
static bool
given_pamt_usable(struct linux_state *st, size_t i, uint64_t base,
		  uint64_t total)
{
	static const uint64_t zone_edges[] = { 16ULL << 20, 4ULL << 30 };
	const struct tdxsim_tmb_list *mem = &st->in->memblock;
	uint64_t end = base + total;	/* base < 2^52: no overflow */
	bool in_ram = false;

	for (size_t k = 0; k < mem->count && !in_ram; k++)
		in_ram = base >= mem->blocks[k].start && end <= mem->blocks[k].end;
	if (!in_ram) {
		tdxsim_host_log(st->run,
				"tdxsim: pamt-placement[%zu] 0x%" PRIx64 " is not free RAM: [0x%" PRIx64 ", 0x%" PRIx64 ") is not inside one memblock region",
				i, base, base, end);
		return false;
	}
	for (size_t j = 0; j < i; j++) {
		uint64_t jend = st->pamt_base[j] + st->pamt_total[j];

		if (base < jend && st->pamt_base[j] < end) {
			tdxsim_host_log(st->run,
					"tdxsim: pamt-placement[%zu] 0x%" PRIx64 " is not free RAM: [0x%" PRIx64 ", 0x%" PRIx64 ") overlaps the PAMT of TDMR %zu",
					i, base, base, end, j);
			return false;
		}
	}
	for (size_t z = 0; z < ARRAY_LENGTH(zone_edges); z++) {
		if (base < zone_edges[z] && end > zone_edges[z]) {
			tdxsim_host_log(st->run,
					"tdxsim: pamt-placement[%zu] 0x%" PRIx64 " is not one allocation: [0x%" PRIx64 ", 0x%" PRIx64 ") crosses the zone boundary at 0x%" PRIx64,
					i, base, base, end, zone_edges[z]);
			return false;
		}
	}
	return true;
}

/* tdmrs_set_up_pamt_all(): one alloc_contig_pages() per TDMR, or the
 * chunk the platform's pamt-placement gives. */
static int
set_up_pamts(struct linux_state *st)
{
	const struct tdxsim_platform *p = st->in->platform;
	struct tdxsim_rangeset taken;
	int ret = 0;

	st->pamt_base = calloc(st->nr, sizeof(uint64_t));
	st->pamt_total = calloc(st->nr, sizeof(uint64_t));
	if (!st->pamt_base || !st->pamt_total)
		return -ENOMEM;
	tdxsim_rangeset_init(&taken);
	for (size_t i = 0; i < st->nr && ret == 0 && st->run->err == 0; i++) {
		uint64_t total = tdxsim_host_pamt_chunk(st->in, st->tdmrs[i].size);
		unsigned nid;

		st->pamt_total[i] = total;
		/* The kernel asks for the node (and may warn) before it
		 * allocates, whoever then picks the spot. */
		nid = tdmr_nid(st, &st->tdmrs[i]);
		/* Inputs built by hand may have no platform. */
		st->pamt_base[i] = p ? tdxsim_platform_pamt_base(p, i)
				     : TDXSIM_PAMT_BASE_AUTO;
		if (st->pamt_base[i] != TDXSIM_PAMT_BASE_AUTO) {
			if (!given_pamt_usable(st, i, st->pamt_base[i], total)) {
				st->run->err = -EINVAL;
				break;
			}
		} else if (tdxsim_pamt_alloc_kernel(st->in, nid, total, &taken,
						    &st->pamt_base[i]) < 0) {
			st->run->err = -ENOMEM;	/* all PAMTs freed, silently */
			break;
		}
		/* Given chunks are taken too, so later kernel-like
		 * allocations step around them. */
		ret = tdxsim_rangeset_add(&taken, (struct tdxsim_range){
			st->pamt_base[i], st->pamt_base[i] + total });
		record_pamt(st, i);
	}
	tdxsim_rangeset_fini(&taken);
	return ret;
}

/* tdmr_add_rsvd_area(): the limit is checked before storing. */
static int
add_rsvd(struct linux_state *st, size_t i, uint64_t addr, uint64_t size,
	 enum tdxsim_rsvd_reason reason, int owner)
{
	const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(st->run->layout, i);

	if (t->reserved_count >= st->in->max_reserved) {
		/* The kernel names only the TDMR; keep what did not fit. */
		st->run->has_unplaced = true;
		st->run->unplaced = (struct tdxsim_unplaced){
			TDXSIM_UNPLACED_AREA, (int)i, (unsigned)t->reserved_count + 1,
			addr, size, reason, owner };
		tdxsim_host_log(st->run,
				"initialization failed: TDMR [0x%" PRIx64 ", 0x%" PRIx64 "): reserved areas exhausted.",
				st->tdmrs[i].base, st->tdmrs[i].base + st->tdmrs[i].size);
		st->run->err = -ENOSPC;
		return 0;
	}
	return tdxsim_host_add_rsvd(st->run, i, addr, size, reason, owner);
}

/* The regions whose gaps are holes: memory blocks upstream, CMRs with the
 * patch. Both loops are tdmr_populate_rsvd_holes() with its comparisons. */
static size_t
hole_source_count(const struct linux_state *st, bool cmr_holes)
{
	return cmr_holes ? st->in->cmr_count : st->in->memlist.count;
}

static void
hole_source(const struct linux_state *st, bool cmr_holes, size_t k,
	    uint64_t *start, uint64_t *end)
{
	if (cmr_holes) {
		*start = st->in->cmrs[k].base;
		*end = *start + st->in->cmrs[k].size;
	} else {
		*start = st->in->memlist.blocks[k].start;
		*end = st->in->memlist.blocks[k].end;
	}
}

static int
populate_holes(struct linux_state *st, size_t i, bool cmr_holes)
{
	uint64_t base = st->tdmrs[i].base, tdmr_end = base + st->tdmrs[i].size;
	uint64_t prev_end = base;
	int ret = 0;

	for (size_t k = 0; k < hole_source_count(st, cmr_holes); k++) {
		uint64_t start, end;

		hole_source(st, cmr_holes, k, &start, &end);
		if (start >= tdmr_end)
			break;
		if (end < base)
			continue;
		if (start <= prev_end) {
			prev_end = end;
			continue;
		}
		ret = add_rsvd(st, i, prev_end, start - prev_end, TDXSIM_RSVD_HOLE, -1);
		if (ret < 0 || st->run->err)
			return ret;
		prev_end = end;
	}
	if (prev_end < tdmr_end)
		ret = add_rsvd(st, i, prev_end, tdmr_end - prev_end, TDXSIM_RSVD_HOLE, -1);
	return ret;
}

/* tdmr_populate_rsvd_pamts(): one area per PAMT of any TDMR inside this one. */
static int
populate_pamts(struct linux_state *st, size_t i)
{
	uint64_t base = st->tdmrs[i].base, tdmr_end = base + st->tdmrs[i].size;
	int ret = 0;

	for (size_t j = 0; j < st->nr && ret == 0 && st->run->err == 0; j++) {
		uint64_t pbase = st->pamt_base[j], pend = pbase + st->pamt_total[j];

		if (pend <= base || pbase >= tdmr_end)
			continue;
		pbase = pbase > base ? pbase : base;
		pend = pend < tdmr_end ? pend : tdmr_end;
		ret = add_rsvd(st, i, pbase, pend - pbase, TDXSIM_RSVD_PAMT, (int)j);
	}
	return ret;
}

static int
populate_rsvd_areas(struct linux_state *st, bool cmr_holes)
{
	for (size_t i = 0; i < st->nr; i++) {
		int ret = populate_holes(st, i, cmr_holes);

		if (ret == 0 && st->run->err == 0)
			ret = populate_pamts(st, i);
		if (ret < 0 || st->run->err)
			return ret;
		ret = tdxsim_host_sort_rsvd(st->run, i);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int
publish_tdmrs(struct linux_state *st)
{
	for (size_t i = 0; i < st->nr; i++) {
		int ret = tdxsim_host_add_tdmr(st->run, st->tdmrs[i].base,
					       st->tdmrs[i].size);

		if (ret < 0)
			return ret;
	}
	return 0;
}

static int
construct(struct linux_state *st, bool cmr_holes)
{
	int ret = 0;

	if (cmr_holes)
		ret = check_memlist_in_cmrs(st);
	if (ret == 0 && st->run->err == 0)
		ret = fill_out_tdmrs(st);
	/* Also after "TDMRs exhausted": the layout shows how far it got. */
	if (ret == 0 && st->nr)
		ret = publish_tdmrs(st);
	if (ret < 0 || st->run->err)
		return ret;
	ret = set_up_pamts(st);
	if (ret == 0 && st->run->err == 0)
		ret = populate_rsvd_areas(st, cmr_holes);
	if (ret == 0 && st->run->err == 0) {
		for (size_t i = 0; i < st->nr; i++)
			st->run->pamt_bytes += st->pamt_total[i];
	}
	return ret;
}

int
tdxsim_construct_linux(const struct tdxsim_host_input *in,
		       struct tdxsim_host_run *run, bool cmr_holes)
{
	struct linux_state st = { .in = in, .run = run };
	int ret = construct(&st, cmr_holes);

	free(st.tdmrs);
	free(st.pamt_base);
	free(st.pamt_total);
	return ret;
}
