/* SPDX-License-Identifier: MIT */
/*
 * The rules a platform must satisfy before any later layer runs on it.
 *
 * E820: sorted, not overlapping, below MAX_PA. CMRs: the module's own
 * defence-in-depth check at TDH.SYS.INIT (intel/tdx-module tdh_sys_init.c
 * check_cmrs()): 4 KiB granular, ascending, no
 * overlap (adjacency allowed), end <= 2^52, null slots skipped anywhere.
 * NUMA ranges: 4 KiB granular (the kernel prints "Early memory node ranges"
 * from page frame numbers: mm/mm_init.c free_area_init() formats
 * start_pfn << PAGE_SHIFT and (end_pfn << PAGE_SHIFT) - 1), sorted, not
 * overlapping, inside the E820 map. Module profile:
 * every limit fits the metadata field the module reports it in.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "platform-private.h"
#include "range.h"

#define MAX_PA (1ULL << TDXSIM_MAX_PA_BITS)

struct validator {
	const struct tdxsim_platform *p;
	struct tdxsim_diag *diag;
	bool ok;
};

static void TDXSIM_PRINTF(3, 4)
report(struct validator *v, struct tdxsim_pos pos, const char *fmt, ...)
{
	const char *name = v->p->input_name ? v->p->input_name : "<platform>";
	va_list args;

	v->ok = false;
	va_start(args, fmt);
	tdxsim_diag_vadd(v->diag, TDXSIM_DIAG_ERROR, name, pos, fmt, args);
	va_end(args);
}

/* "line 12" when the item came from a file, "#3" (0-based index) otherwise. */
static const char *
where(struct tdxsim_pos pos, size_t index, char *buf, size_t size)
{
	if (pos.line)
		snprintf(buf, size, "line %u", pos.line);
	else
		snprintf(buf, size, "#%zu", index);
	return buf;
}

static void
check_e820(struct validator *v)
{
	const struct tdxsim_platform *p = v->p;
	char r1[64], r2[64], at[32];

	if (p->e820_count == 0)
		report(v, (struct tdxsim_pos){ 0, 0 }, "the platform has no E820 entries");

	for (size_t i = 0; i < p->e820_count; i++) {
		const struct e820_item *e = &p->e820[i], *prev;

		/* Names are formatted only for a report: snprintf on every
		 * entry was a third of loading a big platform. */
		if (e->entry.end > MAX_PA)
			report(v, e->pos, "%sE820 entry %s reaches past MAX_PA (2^%d)",
			       e->derived ? "derived " : "",
			       tdxsim_format_range(e->entry.start, e->entry.end,
						   r1, sizeof(r1)),
			       TDXSIM_MAX_PA_BITS);
		if (i == 0)
			continue;
		prev = &p->e820[i - 1];
		if (e->entry.start >= prev->entry.start &&
		    e->entry.start >= prev->entry.end)
			continue;
		tdxsim_format_range(e->entry.start, e->entry.end, r1, sizeof(r1));
		tdxsim_format_range(prev->entry.start, prev->entry.end, r2,
				    sizeof(r2));
		where(prev->pos, i - 1, at, sizeof(at));
		/* Derived entries are named so, since a clash with one
		 * says the deduction, not the source, is wrong. */
		if (e->entry.start < prev->entry.start)
			report(v, e->pos,
			       "%sE820 entry %s is out of order: it starts below %sentry %s (%s)",
			       e->derived ? "derived " : "", r1,
			       prev->derived ? "derived " : "", r2, at);
		else if (e->entry.start < prev->entry.end)
			report(v, e->pos, "%sE820 entry %s overlaps %sentry %s (%s)",
			       e->derived ? "derived " : "", r1,
			       prev->derived ? "derived " : "", r2, at);
	}
}

static void
check_one_cmr(struct validator *v, const struct cmr_item *c,
	      const struct cmr_item *prev, size_t prev_index)
{
	uint64_t end = c->cmr.base + c->cmr.size;
	char r1[64], r2[64], at[32];

	tdxsim_format_range(c->cmr.base, end, r1, sizeof(r1));
	if (!tdxsim_is_aligned(c->cmr.base, SZ_4K) ||
	    !tdxsim_is_aligned(c->cmr.size, SZ_4K))
		report(v, c->pos, "CMR %s is not 4 KiB aligned", r1);
	if (end > MAX_PA)
		report(v, c->pos, "CMR %s reaches past MAX_PA (2^%d)", r1,
		       TDXSIM_MAX_PA_BITS);
	if (!prev)
		return;
	tdxsim_format_range(prev->cmr.base, prev->cmr.base + prev->cmr.size,
			    r2, sizeof(r2));
	where(prev->pos, prev_index, at, sizeof(at));
	if (c->cmr.base < prev->cmr.base)
		report(v, c->pos,
		       "CMR %s is out of order: it starts below CMR %s (%s)",
		       r1, r2, at);
	else if (c->cmr.base < prev->cmr.base + prev->cmr.size)
		report(v, c->pos, "CMR %s overlaps CMR %s (%s)", r1, r2, at);
}

static void
check_cmrs(struct validator *v)
{
	const struct tdxsim_platform *p = v->p;
	const struct cmr_item *prev = NULL;
	size_t prev_index = 0;

	for (size_t i = 0; i < p->cmr_count; i++) {
		const struct cmr_item *c = &p->cmrs[i];

		/* Null slots are skipped anywhere, as the module does. */
		if (c->cmr.size == 0)
			continue;
		check_one_cmr(v, c, prev, prev_index);
		prev = c;
		prev_index = i;
	}
	if (p->cmr_count > p->profile.cmr_slots)
		report(v, p->cmrs[p->profile.cmr_slots].pos,
		       "%zu CMR slots given, but the module reports only %u (cmr-slots)",
		       p->cmr_count, p->profile.cmr_slots);
}

/*
 * What the E820 source covers: its entries, plus every stretch it left out
 * ("..."), which may hold anything. Node ranges must lie inside this.
 */
static int
e820_possible_map(const struct tdxsim_platform *p, struct tdxsim_rangeset *map)
{
	uint64_t prev_end = 0;
	int ret = 0;

	for (size_t i = 0; i <= p->e820_count && ret == 0; i++) {
		bool last = i == p->e820_count;
		uint64_t start = last ? UINT64_MAX : p->e820[i].entry.start;

		if (tdxsim_platform_e820_elided_before(p, i) && start > prev_end)
			ret = tdxsim_rangeset_add(map, (struct tdxsim_range){ prev_end, start });
		if (!last && ret == 0) {
			ret = tdxsim_rangeset_add(map, (struct tdxsim_range){
				p->e820[i].entry.start, p->e820[i].entry.end });
			prev_end = p->e820[i].entry.end;
		}
	}
	return ret;
}

static void
check_one_node(struct validator *v, const struct node_item *n,
	       const struct node_item *prev, size_t index,
	       const struct tdxsim_rangeset *map)
{
	struct tdxsim_range r = { n->range.start, n->range.end };
	char r1[64], r2[64], at[32];

	/* Names are formatted only for a report (see check_e820()). */
	if (!tdxsim_is_aligned(r.start, SZ_4K) || !tdxsim_is_aligned(r.end, SZ_4K))
		report(v, n->pos,
		       "node %u range %s is not 4 KiB aligned (the kernel prints node ranges from page frame numbers)",
		       n->range.nid,
		       tdxsim_format_range(r.start, r.end, r1, sizeof(r1)));
	else if (r.end > MAX_PA)
		report(v, n->pos, "node %u range %s reaches past MAX_PA (2^%d)",
		       n->range.nid,
		       tdxsim_format_range(r.start, r.end, r1, sizeof(r1)),
		       TDXSIM_MAX_PA_BITS);
	else if (!tdxsim_rangeset_covers(map, r))
		report(v, n->pos, "node %u range %s is outside the E820 map",
		       n->range.nid,
		       tdxsim_format_range(r.start, r.end, r1, sizeof(r1)));
	if (!prev || (r.start >= prev->range.start && r.start >= prev->range.end))
		return;
	tdxsim_format_range(r.start, r.end, r1, sizeof(r1));
	tdxsim_format_range(prev->range.start, prev->range.end, r2, sizeof(r2));
	where(prev->pos, index - 1, at, sizeof(at));
	if (r.start < prev->range.start)
		report(v, n->pos,
		       "node range %s is out of order: it starts below node range %s (%s)",
		       r1, r2, at);
	else if (r.start < prev->range.end)
		report(v, n->pos, "node range %s overlaps node range %s (%s)",
		       r1, r2, at);
}

static int
check_nodes(struct validator *v)
{
	const struct tdxsim_platform *p = v->p;
	struct tdxsim_rangeset map;
	int ret;

	if (p->node_count == 0)
		return 0;
	tdxsim_rangeset_init(&map);
	ret = e820_possible_map(p, &map);
	for (size_t i = 0; i < p->node_count && ret == 0; i++)
		check_one_node(v, &p->nodes[i], i ? &p->nodes[i - 1] : NULL, i,
			       &map);
	tdxsim_rangeset_fini(&map);
	return ret;
}

static void
check_limit(struct validator *v, size_t field, unsigned long long value,
	    unsigned long long min, unsigned long long max, const char *what)
{
	if (value < min || value > max)
		report(v, v->p->profile_pos[field],
		       "%s %llu is out of range [%llu, %llu]", what, value, min,
		       max);
}

static bool
plausible_date(uint32_t yyyymmdd)
{
	unsigned month = yyyymmdd / 100 % 100, day = yyyymmdd % 100;

	return yyyymmdd >= 19700101 && yyyymmdd <= 99991231 && month >= 1 &&
	       month <= 12 && day >= 1 && day <= 31;
}

static void
check_profile(struct validator *v)
{
	const struct tdxsim_module_profile *m = &v->p->profile;
	const struct tdxsim_pos *pos = v->p->profile_pos;

	/* Metadata field sizes, intel/tdx-module 1.5 global metadata (versions,
	 * BUILD_NUM and the TDMR fields are 16-bit). */
	if (m->major > 0xffff || m->minor > 0xffff ||
	    (m->update != TDXSIM_VERSION_UNKNOWN && m->update > 0xffff) ||
	    (m->internal != TDXSIM_VERSION_UNKNOWN && m->internal > 0xffff))
		report(v, pos[PROFILE_VERSION],
		       "module version components are 16-bit numbers");
	/* The simulated module has metadata tables for these families only
	 * (docs/module.md, "Builds"). */
	else if (!((m->major == 1 && (m->minor == 0 || m->minor == 5)) ||
		   (m->major == 2 && m->minor == 0)))
		report(v, pos[PROFILE_VERSION],
		       "module version %u.%u is no build family tdxsim knows (1.0, 1.5, 2.0)",
		       m->major, m->minor);
	if (m->build_date && !plausible_date(m->build_date))
		report(v, pos[PROFILE_BUILD_DATE],
		       "build-date %u is not a yyyymmdd date", m->build_date);
	check_limit(v, PROFILE_BUILD_NUM, m->build_num, 0, 0xffff, "build-num");
	check_limit(v, PROFILE_MAX_TDMRS, m->max_tdmrs, 1, 0xffff, "max-tdmrs");
	check_limit(v, PROFILE_MAX_RESERVED, m->max_reserved_per_tdmr, 1, 0xffff,
		    "max-reserved-per-tdmr");
	for (size_t i = 0; i < 3; i++)
		check_limit(v, PROFILE_PAMT_4K + i, m->pamt_entry_size[i],
			    1, 0xffff, "pamt-entry-size");
	check_limit(v, PROFILE_CMR_SLOTS, m->cmr_slots, 1, TDXSIM_MAX_CMRS,
		    "cmr-slots");
	/* KeyID 0 is the TME key and never private (TDH.SYS.CONFIG takes HKIDs from
	 * NUM_MKTME_KEYIDS + 1 on, tdh_sys_config.c). */
	if (m->keyid_start < 1 || m->keyid_end <= m->keyid_start ||
	    m->keyid_end > 0x8000)
		report(v, pos[PROFILE_KEYIDS],
		       "private-keyids [%u, %u) must be a non-empty range within [1, 32768)",
		       m->keyid_start, m->keyid_end);
	check_limit(v, PROFILE_LOGICAL_CPUS, m->nr_lps, 1, 65535, "logical-cpus");
	/* MCHECK's socket table has 8 entries (loader_data.h, PKG_FMS x 8). */
	check_limit(v, PROFILE_PACKAGES, m->nr_packages, 1,
		    m->nr_lps < 8 ? m->nr_lps : 8, "packages");
}

/*
 * PAMT placements: only what holds whatever the chunk's size. Whether a
 * chunk fits in free RAM needs the TDMRs the host builds, so the host run
 * decides that (lib/host/linux.c).
 */
static void
check_pamt_placement(struct validator *v)
{
	const struct tdxsim_platform *p = v->p;

	for (size_t i = 0; i < p->pamt_count; i++) {
		const struct pamt_item *item = &p->pamts[i];

		if (item->base == TDXSIM_PAMT_BASE_AUTO)
			continue;
		if (!tdxsim_is_aligned(item->base, SZ_4K))
			report(v, item->pos,
			       "pamt-placement[%zu] 0x%" PRIx64 " is not 4 KiB aligned",
			       i, item->base);
		if (item->base >= MAX_PA)
			report(v, item->pos,
			       "pamt-placement[%zu] 0x%" PRIx64 " is not below MAX_PA (2^%d)",
			       i, item->base, TDXSIM_MAX_PA_BITS);
	}
	/* One entry per TDMR: more than the module has TDMRs is a typo. */
	if (p->pamt_count > p->profile.max_tdmrs)
		report(v, p->pamts[p->profile.max_tdmrs].pos,
		       "%zu PAMT placements given, but the module has only %u TDMRs (max-tdmrs)",
		       p->pamt_count, p->profile.max_tdmrs);
}

TDXSIM_EXPORT int
tdxsim_platform_validate(const struct tdxsim_platform *p,
			 struct tdxsim_diag *diag)
{
	if (!p)
		return -EINVAL;
	struct validator v = { .p = p, .diag = diag, .ok = true };
	int ret;

	check_e820(&v);
	check_cmrs(&v);
	ret = check_nodes(&v);
	if (ret < 0)
		return ret;
	check_profile(&v);
	check_pamt_placement(&v);
	return v.ok ? 0 : -EINVAL;
}
