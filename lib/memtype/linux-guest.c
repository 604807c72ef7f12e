/* SPDX-License-Identifier: MIT */
/*
 * The Linux guest's side of memory types (Linux v6.12+
 * arch/x86/kernel/cpu/mtrr/generic.c, arch/x86/mm/pat/memtype.c,
 * arch/x86/mm/ioremap.c, 8e690b817e38 and 0dccbc75e18d): mtrr_state as mtrr_bp_init() fills it (read from the vCPU's
 * MTRR MSRs, or forced by guest_force_mtrr_state()), the cache_map of
 * mtrr_build_map(), mtrr_type_lookup(), the PAT memtype tree,
 * memtype_reserve() and memtype_free(), ioremap and devm_ioremap_resource(),
 * each logging the kernel's printk lines verbatim.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "memtype-private.h"
#include "strbuf.h"

/* arch/x86/include/asm/mtrr.h and uapi/asm/mtrr.h */
#define LG_MAX_VAR		256	/* MTRR_MAX_VAR_RANGES */
#define LG_NUM_FIXED		88	/* MTRR_NUM_FIXED_RANGES */
#define LG_STATE_FE		1u	/* MTRR_STATE_MTRR_FIXED_ENABLED */
#define LG_STATE_E		2u	/* MTRR_STATE_MTRR_ENABLED */
#define LG_TYPE_INVALID		0xffu	/* MTRR_TYPE_INVALID */
#define LG_PHYSMASK_V		0x800u	/* MTRR_PHYSMASK_V */
#define LG_PAGE_MASK_LO		0xfffff000u
#define LG_PAGE_SIZE		0x1000ULL

/* MSR indexes (arch/x86/include/asm/msr-index.h) */
#define MSR_MTRRCAP		0xfeu
#define MSR_MTRRDEFTYPE		0x2ffu
#define MSR_PHYSBASE0		0x200u

/* ISA_START_ADDRESS / ISA_END_ADDRESS: is_ISA_range() */
#define LG_ISA_START		0xa0000ULL
#define LG_ISA_END		0x100000ULL
/* __PHYSICAL_MASK_SHIFT of x86-64: sanitize_phys() */
#define LG_PHYS_MASK		((1ULL << 52) - 1)

/* What current->comm and current->pid print during boot-time probing. */
#define LG_COMM			"swapper/0"
#define LG_PID			1

/* The fixed-range MSRs in fixed_ranges[] order (get_fixed_ranges()). */
static const uint32_t fixed_msrs[11] = {
	0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d, 0x26e,
	0x26f,
};

/* ioremap flavours -> enum page_cache_mode (arch/x86/mm/ioremap.c). */
static const enum tdxsim_pcm ioremap_pcm[] = {
	[TDXSIM_IOREMAP] = TDXSIM_PCM_UC_MINUS,
	[TDXSIM_IOREMAP_UC] = TDXSIM_PCM_UC,
	[TDXSIM_IOREMAP_WC] = TDXSIM_PCM_WC,
	[TDXSIM_IOREMAP_WT] = TDXSIM_PCM_WT,
	[TDXSIM_IOREMAP_CACHE] = TDXSIM_PCM_WB,
};

/* struct mtrr_var_range */
struct lg_var {
	uint32_t base_lo;
	uint32_t base_hi;
	uint32_t mask_lo;
	uint32_t mask_hi;
};

struct lg_cmap {
	struct tdxsim_cache_map_entry *v;
	size_t n;
	size_t cap;
};

/* A memtype tree node: the entry and its insertion age (tie-break). */
struct lg_memtype {
	struct tdxsim_memtype_entry e;
	uint64_t age;
};

struct tdxsim_linux_guest {
	struct tdxsim_linux_guest_config config;
	unsigned phys_bits;
	uint32_t phys_hi_rsvd;
	/* mtrr_state and friends (arch/x86/kernel/cpu/mtrr/generic.c) */
	struct lg_var var[LG_MAX_VAR];
	unsigned num_var;
	uint8_t fixed_ranges[LG_NUM_FIXED];
	uint8_t enabled;
	bool have_fixed;
	uint8_t def_type;
	bool state_set;
	bool feature_mtrr;
	struct lg_cmap cmap;
	unsigned cmap_fixed;
	/* memtype_rbroot, kept as an array ordered by (start, age) */
	struct lg_memtype *tree;
	size_t tree_n;
	size_t tree_cap;
	uint64_t age;
	char **lines;
	size_t line_n;
	size_t line_cap;
};

static void
lg_log(struct tdxsim_linux_guest *g, const char *fmt, ...) TDXSIM_PRINTF(2, 3);

static void
lg_log(struct tdxsim_linux_guest *g, const char *fmt, ...)
{
	struct tdxsim_strbuf line;
	va_list args;

	tdxsim_strbuf_init(&line);
	va_start(args, fmt);
	tdxsim_strbuf_vprintf(&line, fmt, args);
	va_end(args);
	if (line.oom || tdxsim_array_reserve((void **)&g->lines, &g->line_cap,
					     g->line_n + 1,
					     sizeof(*g->lines)) < 0) {
		tdxsim_strbuf_fini(&line);
		return;
	}
	g->lines[g->line_n++] = tdxsim_strbuf_steal(&line);
}

/* cattr_name() of arch/x86/mm/pat/memtype.c */
static const char *
lg_cattr(enum tdxsim_pcm pcm)
{
	return tdxsim_pcm_name(pcm);
}

/* ---- mtrr_state: reading the MSRs, or forcing it ---- */

/* rdmsr(): a faulting read is fixed up by ex_handler_msr() to 0 (its
 * "unchecked MSR access error" warning carries a rIP, not modelled). */
static uint64_t
lg_rdmsr(struct tdxsim_mtrr_bank *bank, uint32_t msr)
{
	struct tdxsim_msr_result r = { 0 };

	tdxsim_mtrr_rdmsr(bank, msr, &r);
	if (r.outcome == TDXSIM_MSR_OK || r.outcome == TDXSIM_MSR_VE_OK)
		return r.value;
	return 0;
}

/* X86_FEATURE_MTRR: the TDX module fixes CPUID.1:EDX.MTRR to 1
 * (cpuid_configurations.c); elsewhere the configured CPUID bit. */
static bool
lg_cpu_has_mtrr(const struct tdxsim_mtrr_bank *bank)
{
	enum tdxsim_mtrr_profile p = bank->config.profile;

	if (p == TDXSIM_MTRR_TDX || p == TDXSIM_MTRR_TDX_2023)
		return true;
	return bank->config.cpuid_mtrr != 0;
}

/* get_mtrr_state(): MTRRcap.FIX, the var pairs, the fixed ranges,
 * DEF_TYPE; returns whether E is set. */
static bool
lg_get_mtrr_state(struct tdxsim_linux_guest *g, struct tdxsim_mtrr_bank *bank)
{
	uint64_t v;

	g->have_fixed = (lg_rdmsr(bank, MSR_MTRRCAP) >> 8) & 1;
	for (unsigned i = 0; i < g->num_var; i++) {
		v = lg_rdmsr(bank, MSR_PHYSBASE0 + 2 * i);
		g->var[i].base_lo = (uint32_t)v;
		g->var[i].base_hi = (uint32_t)(v >> 32);
		v = lg_rdmsr(bank, MSR_PHYSBASE0 + 2 * i + 1);
		g->var[i].mask_lo = (uint32_t)v;
		g->var[i].mask_hi = (uint32_t)(v >> 32);
	}
	for (unsigned m = 0; g->have_fixed && m < ARRAY_LENGTH(fixed_msrs); m++) {
		v = lg_rdmsr(bank, fixed_msrs[m]);
		for (unsigned b = 0; b < 8; b++)
			g->fixed_ranges[8 * m + b] = (uint8_t)(v >> (8 * b));
	}
	v = lg_rdmsr(bank, MSR_MTRRDEFTYPE);
	g->def_type = (uint8_t)v;
	g->enabled = (uint8_t)((v & 0xc00) >> 10);
	g->state_set = true;
	return g->enabled & LG_STATE_E;
}

/* The legacy PCI hole [TOLUD, 4G) as one UC var pair: kvm_init_platform()
 * of 0dccbc75e18d ("x86/kvm: Force legacy PCI hole to UC when overriding
 * MTRRs for TDX/SNP"); the mask need not be a power of 2. */
static struct lg_var
lg_pci_hole(uint64_t tolud, unsigned phys_bits)
{
	struct lg_var hole = {
		.base_lo = (uint32_t)tolud | TDXSIM_MT_UC,
		.mask_lo = (uint32_t)~(0x100000000ULL - tolud - 1) | LG_PHYSMASK_V,
		.mask_hi = (uint32_t)(((1ULL << phys_bits) - 1) >> 32),
	};

	return hole;
}

/* guest_force_mtrr_state() (mtrr_overwrite_state() before dd4059634dab),
 * called by kvm_init_platform() since 8e690b817e38: X86_FEATURE_MTRR is
 * cleared, var ranges copied, E set (not FE), default type WB. */
static void
lg_force_mtrr_state(struct tdxsim_linux_guest *g)
{
	g->feature_mtrr = false;
	if (g->config.pci_hole_fix) {
		g->var[0] = lg_pci_hole(g->config.tolud, g->phys_bits);
		g->num_var = 1;
	}
	g->def_type = TDXSIM_MT_WB;
	g->enabled |= LG_STATE_E;
	g->state_set = true;
}

/* ---- the cache_map (mtrr_build_map(), 061b984aab58) ---- */

/* get_effective_type(): UC wins, {WB, WT} gives WT, any other mismatch UC
 * (the SDM's "undefined" resolved to UC). */
static uint8_t
lg_effective_type(uint8_t a, uint8_t b)
{
	if (a == TDXSIM_MT_UC || b == TDXSIM_MT_UC)
		return TDXSIM_MT_UC;
	if ((a == TDXSIM_MT_WB && b == TDXSIM_MT_WT) ||
	    (a == TDXSIM_MT_WT && b == TDXSIM_MT_WB))
		return TDXSIM_MT_WT;
	return a == b ? a : TDXSIM_MT_UC;
}

/* Append [start, end) to a map being rebuilt in address order, merging it
 * into the previous entry when both are variable, adjacent and of one type
 * (add_map_entry_at()'s merge rule; fixed entries never merge). */
static int
lg_cmap_push(struct lg_cmap *m, uint64_t start, uint64_t end, uint8_t type,
	     bool fixed)
{
	struct tdxsim_cache_map_entry *last = m->n ? &m->v[m->n - 1] : NULL;

	if (start >= end)
		return 0;
	if (last && !fixed && !last->fixed && last->end == start &&
	    last->type == (enum tdxsim_mt)type) {
		last->end = end;
		return 0;
	}
	if (tdxsim_array_reserve((void **)&m->v, &m->cap, m->n + 1,
				 sizeof(*m->v)) < 0)
		return -ENOMEM;
	m->v[m->n++] = (struct tdxsim_cache_map_entry){
		.start = start, .end = end,
		.type = (enum tdxsim_mt)type, .fixed = fixed,
	};
	return 0;
}

/* One existing entry x against a new variable range [s, e) of type t:
 * fixed entries and entries the new range leaves alone are kept; the
 * overlap of a variable entry gets get_effective_type(). */
static int
lg_cmap_split(struct lg_cmap *out, const struct tdxsim_cache_map_entry *x,
	      uint64_t s, uint64_t e, uint8_t t)
{
	uint64_t lo = s > x->start ? s : x->start;
	uint64_t hi = e < x->end ? e : x->end;
	uint8_t old = (uint8_t)x->type;
	int ret;

	if (x->fixed || lo >= hi)
		return lg_cmap_push(out, x->start, x->end, old, x->fixed);
	ret = lg_cmap_push(out, x->start, lo, old, false);
	if (!ret)
		ret = lg_cmap_push(out, lo, hi, lg_effective_type(t, old), false);
	if (!ret)
		ret = lg_cmap_push(out, hi, x->end, old, false);
	return ret;
}

/* add_map_entry(): lay [s, e) of type t over the map. Holes get t. The
 * result is the map the kernel's in-place splitting and merging builds:
 * the same partition, with every mergeable neighbour merged. */
static int
lg_cmap_add(struct lg_cmap *map, uint64_t s, uint64_t e, uint8_t t)
{
	struct lg_cmap out = { 0 };
	uint64_t pos = s;
	int ret = 0;

	for (size_t i = 0; !ret && i < map->n; i++) {
		const struct tdxsim_cache_map_entry *x = &map->v[i];

		if (pos < e && pos < x->start) {
			uint64_t hole_end = e < x->start ? e : x->start;

			ret = lg_cmap_push(&out, pos, hole_end, t, false);
			pos = hole_end;
		}
		if (!ret)
			ret = lg_cmap_split(&out, x, s, e, t);
		if (pos < e && x->end > pos)
			pos = e < x->end ? e : x->end;
	}
	if (!ret)
		ret = lg_cmap_push(&out, pos, e, t, false);
	if (ret) {
		free(out.v);
		return ret;
	}
	free(map->v);
	*map = out;
	return 0;
}

/* The address of fixed_ranges[i]: 8 x 64K, 16 x 16K, 64 x 4K. */
static uint64_t
lg_fixed_start(unsigned i)
{
	if (i < 8)
		return (uint64_t)i * 0x10000;
	if (i < 24)
		return 0x80000 + (uint64_t)(i - 8) * 0x4000;
	return 0xc0000 + (uint64_t)(i - 24) * 0x1000;
}

/* mtrr_build_map() step 1: the fixed ranges when FE, equal neighbours
 * merged, then all marked fixed. */
static int
lg_cmap_add_fixed(struct tdxsim_linux_guest *g)
{
	int ret = 0;

	for (unsigned i = 0; !ret && (g->enabled & LG_STATE_FE) &&
			     i < LG_NUM_FIXED; i++) {
		uint64_t end = i + 1 < LG_NUM_FIXED ? lg_fixed_start(i + 1) : LG_ISA_END;

		ret = lg_cmap_push(&g->cmap, lg_fixed_start(i), end,
				   g->fixed_ranges[i], false);
	}
	for (size_t i = 0; i < g->cmap.n; i++)
		g->cmap.v[i].fixed = 1;
	g->cmap_fixed = (unsigned)g->cmap.n;
	return ret;
}

/* map_add_var(): every valid pair as the contiguous interval
 * [base, base + size), size = -(mask | phys_hi_rsvd << 32)
 * (get_var_mtrr_state(), get_mtrr_size()); not the architectural
 * AND-match. An interval that wraps is empty and adds nothing. */
static int
lg_cmap_add_var(struct tdxsim_linux_guest *g)
{
	int ret = 0;

	for (unsigned i = 0; !ret && i < g->num_var; i++) {
		const struct lg_var *v = &g->var[i];
		uint64_t start, mask;

		if (!(v->mask_lo & LG_PHYSMASK_V))
			continue;
		start = (uint64_t)v->base_hi << 32 | (v->base_lo & LG_PAGE_MASK_LO);
		mask = (uint64_t)v->mask_hi << 32 | (v->mask_lo & LG_PAGE_MASK_LO);
		mask |= (uint64_t)g->phys_hi_rsvd << 32;
		ret = lg_cmap_add(&g->cmap, start, start + (0 - mask),
				  (uint8_t)v->base_lo);
	}
	return ret;
}

/* mtrr_build_map() and its pr_info (generic.c has no pr_fmt); max is
 * get_cache_map_size(): fixed + 2 * num_var_ranges (no AMD TOM2). */
static int
lg_build_map(struct tdxsim_linux_guest *g)
{
	int ret = lg_cmap_add_fixed(g);

	if (!ret)
		ret = lg_cmap_add_var(g);
	if (ret)
		return ret;
	lg_log(g, "MTRR map: %u entries (%u fixed + %u variable; max %u), built from %u variable MTRRs",
	       (unsigned)g->cmap.n, g->cmap_fixed,
	       (unsigned)g->cmap.n - g->cmap_fixed,
	       g->cmap_fixed + 2 * g->num_var, g->num_var);
	return 0;
}

/* mtrr_bp_init() (arch/x86/kernel/cpu/mtrr/mtrr.c, no pr_fmt): a forced
 * state is built and made read-only; otherwise generic MTRRs are read
 * through the bank (VCNT from MTRRcap), unless the CPU has none. The
 * sanitizer (mtrr_cleanup()) is off by default and not modelled. */
static int
lg_mtrr_bp_init(struct tdxsim_linux_guest *g, struct tdxsim_mtrr_bank *bank)
{
	int ret;

	if (!g->feature_mtrr && (g->enabled & LG_STATE_E)) {
		ret = lg_build_map(g);
		if (!ret)
			lg_log(g, "MTRRs set to read-only");
		return ret;
	}
	if (!g->feature_mtrr) {
		lg_log(g, "MTRRs disabled (not available)");
		return 0;
	}
	g->num_var = (unsigned)(lg_rdmsr(bank, MSR_MTRRCAP) & 0xff);
	if (lg_get_mtrr_state(g, bank))
		return lg_build_map(g);
	lg_log(g, "MTRRs disabled by BIOS");
	return 0;
}

/* ---- construction ---- */

static int
lg_check_config(const struct tdxsim_linux_guest_config *c,
		const struct tdxsim_mtrr_bank *bank)
{
	if (c->phys_bits && (c->phys_bits < 36 || c->phys_bits > 52))
		return -EINVAL;
	if (!bank && (!c->force_mtrr || !c->phys_bits))
		return -EINVAL;
	if (c->pci_hole_fix && !c->force_mtrr)
		return -EINVAL;
	if (c->pci_hole_fix && (c->tolud == 0 || c->tolud > 0x100000000ULL ||
				!tdxsim_is_aligned(c->tolud, LG_PAGE_SIZE)))
		return -EINVAL;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_linux_guest_new(const struct tdxsim_linux_guest_config *config,
		       struct tdxsim_mtrr_bank *bank,
		       struct tdxsim_linux_guest **out)
{
	struct tdxsim_linux_guest *g;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!config || lg_check_config(config, bank) < 0)
		return -EINVAL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->config = *config;
	g->phys_bits = config->phys_bits ? config->phys_bits : bank->config.maxphyaddr;
	/* phys_hi_rsvd = GENMASK(31, x86_phys_bits - 32) */
	g->phys_hi_rsvd = (uint32_t)(0xffffffffULL << (g->phys_bits - 32));
	g->feature_mtrr = bank ? lg_cpu_has_mtrr(bank) : false;
	if (config->force_mtrr)
		lg_force_mtrr_state(g);
	ret = lg_mtrr_bp_init(g, bank);
	if (ret) {
		tdxsim_linux_guest_free(g);
		return ret;
	}
	*out = g;
	return 0;
}

TDXSIM_EXPORT void
tdxsim_linux_guest_free(struct tdxsim_linux_guest *guest)
{
	if (!guest)
		return;
	for (size_t i = 0; i < guest->line_n; i++)
		free(guest->lines[i]);
	free(guest->lines);
	free(guest->cmap.v);
	free(guest->tree);
	free(guest);
}

/* ---- mtrr_type_lookup() (8227f40ade23, 973df1942068) ---- */

/* type_merge(): the first type is taken as is; a later one that changes
 * the effective type clears uniform. */
static uint8_t
lg_type_merge(uint8_t type, uint8_t next, int *uniform)
{
	uint8_t eff;

	if (type == LG_TYPE_INVALID)
		return next;
	eff = lg_effective_type(type, next);
	if (eff != type)
		*uniform = 0;
	return eff;
}

/* Walk the cache_map over [start, end): holes and the tail get the
 * default type. An empty range (never passed by the kernel) gives UC. */
static uint8_t
lg_lookup_map(const struct tdxsim_linux_guest *g, uint64_t start,
	      uint64_t end, int *uniform)
{
	uint8_t type = LG_TYPE_INVALID;

	for (size_t i = 0; i < g->cmap.n && start < end; i++) {
		const struct tdxsim_cache_map_entry *x = &g->cmap.v[i];

		if (start >= x->end)
			continue;
		if (start < x->start) {
			type = lg_type_merge(type, g->def_type, uniform);
			if (end <= x->start)
				return type;
		}
		type = lg_type_merge(type, (uint8_t)x->type, uniform);
		start = x->end;
	}
	if (start < end)
		type = lg_type_merge(type, g->def_type, uniform);
	return type == LG_TYPE_INVALID ? TDXSIM_MT_UC : type;
}

TDXSIM_EXPORT enum tdxsim_mt
tdxsim_linux_mtrr_lookup(const struct tdxsim_linux_guest *guest,
			 uint64_t start, uint64_t end, int *uniform)
{
	if (!guest)
		return 0;
	int dummy;

	if (!uniform)
		uniform = &dummy;
	/* never set: uniformity unknown; E clear: all UC, uniformly */
	if (!guest->state_set) {
		*uniform = 0;
		return TDXSIM_MT_UC;
	}
	*uniform = 1;
	if (!(guest->enabled & LG_STATE_E))
		return TDXSIM_MT_UC;
	if (start >= end)
		*uniform = 0;
	return (enum tdxsim_mt)lg_lookup_map(guest, start, end, uniform);
}

/* ---- the PAT memtype tree (arch/x86/mm/pat/memtype_interval.c) ---- */

/* The next entry at index >= i overlapping [start, end): the interval
 * tree's in-order iteration, by start then insertion age. */
static size_t
lg_tree_next(const struct tdxsim_linux_guest *g, size_t i, uint64_t start,
	     uint64_t end)
{
	for (; i < g->tree_n; i++) {
		if (g->tree[i].e.start >= end)
			return g->tree_n;
		if (g->tree[i].e.end > start)
			return i;
	}
	return g->tree_n;
}

/* memtype_interval_insert(): after every entry with the same start. */
static int
lg_tree_insert(struct tdxsim_linux_guest *g, uint64_t start, uint64_t end,
	       enum tdxsim_pcm type)
{
	size_t pos = g->tree_n;

	if (tdxsim_array_reserve((void **)&g->tree, &g->tree_cap, g->tree_n + 1,
				 sizeof(*g->tree)) < 0)
		return -ENOMEM;
	while (pos > 0 && g->tree[pos - 1].e.start > start)
		pos--;
	memmove(&g->tree[pos + 1], &g->tree[pos],
		(g->tree_n - pos) * sizeof(*g->tree));
	g->tree[pos] = (struct lg_memtype){
		.e = { .start = start, .end = end, .type = type },
		.age = g->age++,
	};
	g->tree_n++;
	return 0;
}

static void
lg_tree_remove(struct tdxsim_linux_guest *g, size_t i)
{
	memmove(&g->tree[i], &g->tree[i + 1],
		(g->tree_n - i - 1) * sizeof(*g->tree));
	g->tree_n--;
}

/* memtype_check_conflict(): the first overlapping entry's type wins (when
 * the caller takes a new type); every further overlap must agree. */
static int
lg_check_conflict(struct tdxsim_linux_guest *g, uint64_t start, uint64_t end,
		  enum tdxsim_pcm req, enum tdxsim_pcm *newtype)
{
	enum tdxsim_pcm found = req;
	size_t i = lg_tree_next(g, 0, start, end);

	if (i < g->tree_n && g->tree[i].e.type != found && !newtype)
		goto failure;
	if (i < g->tree_n) {
		found = g->tree[i].e.type;
		for (i = lg_tree_next(g, i + 1, start, end); i < g->tree_n;
		     i = lg_tree_next(g, i + 1, start, end))
			if (g->tree[i].e.type != found)
				goto failure;
	}
	if (newtype)
		*newtype = found;
	return 0;
failure:
	lg_log(g, "x86/PAT: %s:%d conflicting memory types %" PRIx64 "-%" PRIx64 " %s<->%s",
	       LG_COMM, LG_PID, start, end, lg_cattr(found),
	       lg_cattr(g->tree[i].e.type));
	return -EBUSY;
}

/* is_ISA_range(), the default x86_platform.is_untracked_pat_range. */
static bool
lg_untracked(uint64_t start, uint64_t end)
{
	return start >= LG_ISA_START && end <= LG_ISA_END;
}

/* pat_x_mtrr_type(): only a WB request consults the MTRRs; anything but
 * WB from them makes it UC- (f9f57da2c2d1 reverted the INVALID case). */
static enum tdxsim_pcm
lg_pat_x_mtrr_type(const struct tdxsim_linux_guest *g, uint64_t start,
		   uint64_t end, enum tdxsim_pcm req)
{
	if (req != TDXSIM_PCM_WB)
		return req;
	if (tdxsim_linux_mtrr_lookup(g, start, end, NULL) != TDXSIM_MT_WB)
		return TDXSIM_PCM_UC_MINUS;
	return TDXSIM_PCM_WB;
}

/* memtype_check_insert() then memtype_reserve()'s failure line. */
static int
lg_reserve_tracked(struct tdxsim_linux_guest *g, uint64_t start, uint64_t end,
		   enum tdxsim_pcm req, enum tdxsim_pcm *granted)
{
	enum tdxsim_pcm actual = lg_pat_x_mtrr_type(g, start, end, req);
	enum tdxsim_pcm type = actual;
	int ret;

	if (granted)
		*granted = actual;
	ret = lg_check_conflict(g, start, end, actual, granted);
	if (!ret) {
		if (granted)
			type = *granted;
		return lg_tree_insert(g, start, end, type);
	}
	lg_log(g, "x86/PAT: memtype_reserve failed [mem 0x%08" PRIx64 "-0x%08" PRIx64 "], track %s, req %s",
	       start, end - 1, lg_cattr(actual), lg_cattr(req));
	return ret;
}

/* memtype_reserve() (arch/x86/mm/pat/memtype.c, whose pr_fmt is empty:
 * the "x86/PAT: " is in the strings). RAM page tracking
 * (reserve_ram_pages_type()) is not modelled: every range is MMIO. */
TDXSIM_EXPORT int
tdxsim_linux_memtype_reserve(struct tdxsim_linux_guest *guest,
			     uint64_t start, uint64_t end,
			     enum tdxsim_pcm req, enum tdxsim_pcm *granted)
{
	if (!guest)
		return -EINVAL;
	start &= LG_PHYS_MASK;
	end = ((end - 1) & LG_PHYS_MASK) + 1;
	if (start >= end) {
		/* WARN(1, ...): the message line, without the splat */
		lg_log(guest, "memtype_reserve failed: [mem 0x%08" PRIx64 "-0x%08" PRIx64 "], req %s",
		       start, end - 1, lg_cattr(req));
		return -EINVAL;
	}
	if (!guest->config.pat_enabled || lg_untracked(start, end)) {
		if (granted)
			*granted = guest->config.pat_enabled ? TDXSIM_PCM_WB : req;
		return 0;
	}
	return lg_reserve_tracked(guest, start, end, req, granted);
}

/* memtype_match(): the first overlapping entry equal to [start, end)
 * (exact) or ending at end and starting before start (end match). */
static size_t
lg_tree_match(const struct tdxsim_linux_guest *g, uint64_t start,
	      uint64_t end, bool exact)
{
	for (size_t i = lg_tree_next(g, 0, start, end); i < g->tree_n;
	     i = lg_tree_next(g, i + 1, start, end)) {
		const struct tdxsim_memtype_entry *e = &g->tree[i].e;

		if (e->end != end)
			continue;
		if (exact ? e->start == start : e->start < start)
			return i;
	}
	return g->tree_n;
}

/* memtype_erase(): remove an exact match, else shrink an end match (the
 * mremap case: removed and reinserted with end = start). */
static int
lg_tree_erase(struct tdxsim_linux_guest *g, uint64_t start, uint64_t end)
{
	size_t i = lg_tree_match(g, start, end, true);
	struct tdxsim_memtype_entry e;

	if (i < g->tree_n) {
		lg_tree_remove(g, i);
		return 0;
	}
	i = lg_tree_match(g, start, end, false);
	if (i >= g->tree_n)
		return -EINVAL;
	e = g->tree[i].e;
	lg_tree_remove(g, i);
	return lg_tree_insert(g, e.start, start, e.type);
}

/* memtype_free(): untracked and PAT-less ranges succeed silently. */
TDXSIM_EXPORT int
tdxsim_linux_memtype_free(struct tdxsim_linux_guest *guest, uint64_t start,
			  uint64_t end)
{
	if (!guest)
		return -EINVAL;
	int ret;

	if (!guest->config.pat_enabled)
		return 0;
	start &= LG_PHYS_MASK;
	end &= LG_PHYS_MASK;
	if (lg_untracked(start, end))
		return 0;
	ret = lg_tree_erase(guest, start, end);
	if (ret == -EINVAL)
		lg_log(guest, "x86/PAT: %s:%d freeing invalid memtype [mem 0x%08" PRIx64 "-0x%08" PRIx64 "]",
		       LG_COMM, LG_PID, start, end - 1);
	return ret;
}

/* is_new_memtype_allowed() (arch/x86/include/asm/pgtable.h): refused only
 * UC- -> WB, WC -> WB, WT -> WB and WT -> WC; untracked ranges always OK. */
static bool
lg_new_memtype_allowed(uint64_t paddr, uint64_t size, enum tdxsim_pcm pcm,
		       enum tdxsim_pcm new_pcm)
{
	if (lg_untracked(paddr, paddr + size))
		return true;
	if (new_pcm == TDXSIM_PCM_WB)
		return pcm != TDXSIM_PCM_UC_MINUS && pcm != TDXSIM_PCM_WC &&
		       pcm != TDXSIM_PCM_WT;
	return !(pcm == TDXSIM_PCM_WT && new_pcm == TDXSIM_PCM_WC);
}

/* __ioremap_caller() from the page-aligned range on: reserve, accept a
 * different type only when allowed, else log, free and fail. */
static int
lg_ioremap_aligned(struct tdxsim_linux_guest *g, uint64_t phys, uint64_t size,
		   enum tdxsim_pcm pcm, enum tdxsim_pcm *mapped)
{
	enum tdxsim_pcm new_pcm = pcm;
	int ret = tdxsim_linux_memtype_reserve(g, phys, phys + size, pcm, &new_pcm);

	if (ret) {
		lg_log(g, "ioremap memtype_reserve failed %d", ret);
		return 0;
	}
	if (pcm != new_pcm && !lg_new_memtype_allowed(phys, size, pcm, new_pcm)) {
		lg_log(g, "ioremap error for 0x%" PRIx64 "-0x%" PRIx64 ", requested 0x%x, got 0x%x",
		       phys, phys + size, (unsigned)pcm, (unsigned)new_pcm);
		tdxsim_linux_memtype_free(g, phys, phys + size);
		return 0;
	}
	if (mapped)
		*mapped = new_pcm;
	return 1;
}

/* __ioremap_caller() (arch/x86/mm/ioremap.c, no pr_fmt): zero size or a
 * wrap gives NULL silently; an address beyond x86_phys_bits is refused
 * (phys_addr_valid()); the System RAM refusal is not modelled. */
TDXSIM_EXPORT int
tdxsim_linux_ioremap(struct tdxsim_linux_guest *guest,
		     enum tdxsim_ioremap_kind kind, uint64_t phys,
		     uint64_t size, enum tdxsim_pcm *mapped)
{
	if (!guest)
		return -EINVAL;
	uint64_t last = phys + size - 1;
	uint64_t base;

	if (!guest || (unsigned)kind >= ARRAY_LENGTH(ioremap_pcm))
		return -EINVAL;
	if (!size || last < phys)
		return 0;
	if (phys >> guest->phys_bits) {
		/* printk(KERN_WARNING ...) then WARN_ON_ONCE's splat */
		lg_log(guest, "ioremap: invalid physical address %" PRIx64, phys);
		return 0;
	}
	/* page-aligned: size = PAGE_ALIGN(last + 1) - phys */
	base = phys & ~(LG_PAGE_SIZE - 1);
	size = ((last + LG_PAGE_SIZE) & ~(LG_PAGE_SIZE - 1)) - base;
	return lg_ioremap_aligned(guest, base, size, ioremap_pcm[kind], mapped);
}

/* Split "driver device" at the first space; both parts non-empty. */
static bool
lg_split_device(const char *device, char *driver, size_t cap)
{
	const char *space = device ? strchr(device, ' ') : NULL;
	size_t len = space ? (size_t)(space - device) : 0;

	if (!space || len == 0 || len >= cap || space[1] == '\0')
		return false;
	memcpy(driver, device, len);
	driver[len] = '\0';
	return true;
}

/* __devm_ioremap_resource() (lib/devres.c) with ioremap() (UC-): on NULL it
 * reports "ioremap failed for resource" through dev_err_probe() with
 * -ENOMEM, and dev_err_probe() prints nothing for -ENOMEM
 * (__dev_probe_failed() in drivers/base/core.c, Linux 6.12), so the only
 * line is the driver core's: call_driver_probe() (drivers/base/dd.c)
 * dev_err's "probe with driver %s failed with error %d" for the -ENOMEM
 * tpm_tis returns from probe. */
TDXSIM_EXPORT int
tdxsim_linux_devm_ioremap_resource(struct tdxsim_linux_guest *guest,
				   const char *device, uint64_t start,
				   uint64_t end)
{
	char driver[64];
	int ret;

	if (!guest || !lg_split_device(device, driver, sizeof(driver)) ||
	    end < start)
		return -EINVAL;
	ret = tdxsim_linux_ioremap(guest, TDXSIM_IOREMAP, start,
				   end - start + 1, NULL);
	if (ret != 0)
		return ret;
	lg_log(guest, "%s: probe with driver %s failed with error %d", device,
	       driver, -ENOMEM);
	return 0;
}

/* ---- accessors ---- */

TDXSIM_EXPORT size_t
tdxsim_linux_guest_line_count(const struct tdxsim_linux_guest *guest)
{
	if (!guest)
		return 0;
	return guest->line_n;
}

TDXSIM_EXPORT const char *
tdxsim_linux_guest_line(const struct tdxsim_linux_guest *guest, size_t index)
{
	if (!guest)
		return NULL;
	return index < guest->line_n ? guest->lines[index] : NULL;
}

TDXSIM_EXPORT size_t
tdxsim_linux_memtype_count(const struct tdxsim_linux_guest *guest)
{
	if (!guest)
		return 0;
	return guest->tree_n;
}

TDXSIM_EXPORT const struct tdxsim_memtype_entry *
tdxsim_linux_memtype_entry(const struct tdxsim_linux_guest *guest, size_t index)
{
	if (!guest)
		return NULL;
	return index < guest->tree_n ? &guest->tree[index].e : NULL;
}

TDXSIM_EXPORT size_t
tdxsim_linux_cache_map_count(const struct tdxsim_linux_guest *guest)
{
	if (!guest)
		return 0;
	return guest->cmap.n;
}

TDXSIM_EXPORT const struct tdxsim_cache_map_entry *
tdxsim_linux_cache_map_entry(const struct tdxsim_linux_guest *guest,
			     size_t index)
{
	if (!guest)
		return NULL;
	return index < guest->cmap.n ? &guest->cmap.v[index] : NULL;
}

TDXSIM_EXPORT int
tdxsim_linux_mtrr_var(const struct tdxsim_linux_guest *guest, unsigned index,
		      uint64_t *physbase, uint64_t *physmask)
{
	if (!guest || !physbase || !physmask)
		return -EINVAL;
	const struct lg_var *v;

	if (index >= guest->num_var)
		return -ENOENT;
	v = &guest->var[index];
	*physbase = (uint64_t)v->base_hi << 32 | v->base_lo;
	*physmask = (uint64_t)v->mask_hi << 32 | v->mask_lo;
	return 0;
}
