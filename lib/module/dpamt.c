/* SPDX-License-Identifier: MIT */
/*
 * Dynamic PAMT: TDH.PHYMEM.PAMT.ADD (58) and TDH.PHYMEM.PAMT.REMOVE (59).
 *
 * With Dynamic PAMT, TDH.SYS.CONFIG's PAMT_4K area is a bitmap (one bit per
 * 4 KiB page of the TDMR: "this page is a PAMT page"), and the 4 KiB-level
 * PAMT of a 2 MiB range exists only once the host has handed the module a
 * pair of 4 KiB pages for it (512 entries of 16 bytes). The 2 MiB PAMT
 * entry then reads PT_PAMT and records the pair.
 *
 * Rules and their order: intel/tdx-module @1666adc4 (2.0.08)
 * src/vmm_dispatcher/api_calls/tdh_phymem_pamt_add.c and
 * tdh_phymem_pamt_remove.c; pamt_get_block() of src/common/memory_handlers/
 * pamt_manager.c (read in 1.5.01 @72d8cffb). Nothing here allocates per
 * page of simulated memory: state grows with the pairs handed over.
 */
#include "config.h"

#include <string.h>

#include "common.h"
#include "module-private.h"

#define MAX_PA (1ULL << TDXSIM_MAX_PA_BITS)
#define OPERAND_INVALID(id) (TDXSIM_TDX_OPERAND_INVALID | (id))
#define ADDR_RANGE_ERROR(id) (TDXSIM_TDX_OPERAND_ADDR_RANGE_ERROR | (id))
#define PT_2MB 1
/* page_size_api_input_t: level 2:0, reserved 11:3, HPA 51:12, reserved
 * 63:52. */
#define PAGE_INFO_RESERVED (0xFF8ULL | (0xFFFULL << 52))
/* The 256 PAMT_4K entries one 4 KiB page holds: 1 MiB of the range. */
#define SPAN_PER_PAMT_PAGE (256 * SZ_4K)

/* ---- sorted sets of addresses -------------------------------------------- */

static size_t
set_find(const struct dpamt_set *s, uint64_t v)
{
	size_t lo = 0, hi = s->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
set_has(const struct dpamt_set *s, uint64_t v)
{
	size_t i = set_find(s, v);

	return i < s->count && s->v[i] == v;
}

/* Add v (absent); 0 or -ENOMEM. */
static int
set_add(struct dpamt_set *s, uint64_t v)
{
	size_t i = set_find(s, v);

	if (s->count == s->capacity) {
		size_t cap = s->capacity ? 2 * s->capacity : 16;
		uint64_t *nv = realloc(s->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		s->v = nv;
		s->capacity = cap;
	}
	memmove(s->v + i + 1, s->v + i, (s->count - i) * sizeof(*s->v));
	s->v[i] = v;
	s->count++;
	return 0;
}

static void
set_remove(struct dpamt_set *s, uint64_t v)
{
	size_t i = set_find(s, v);

	if (i == s->count || s->v[i] != v)
		return;
	memmove(s->v + i, s->v + i + 1, (s->count - i - 1) * sizeof(*s->v));
	s->count--;
}

/* ---- 2 MiB ranges with a PAMT page pair (PT_PAMT), sorted by range ---- */

static size_t
pair_find(const struct tdxsim_module_dpamt *d, uint64_t range)
{
	size_t lo = 0, hi = d->pair_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->pairs[mid].range < range)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct dpamt_pair *
pair_of(const struct tdxsim_module_dpamt *d, uint64_t range)
{
	size_t i = pair_find(d, range);

	return i < d->pair_count && d->pairs[i].range == range ? &d->pairs[i]
							       : NULL;
}

static int
pair_insert(struct tdxsim_module_dpamt *d, const struct dpamt_pair *p)
{
	size_t i = pair_find(d, p->range);

	if (d->pair_count == d->pair_capacity) {
		size_t cap = d->pair_capacity ? 2 * d->pair_capacity : 16;
		struct dpamt_pair *np = realloc(d->pairs, cap * sizeof(*np));

		if (!np)
			return -ENOMEM;
		d->pairs = np;
		d->pair_capacity = cap;
	}
	memmove(d->pairs + i + 1, d->pairs + i,
		(d->pair_count - i) * sizeof(*d->pairs));
	d->pairs[i] = *p;
	d->pair_count++;
	return 0;
}

static void
pair_delete(struct tdxsim_module_dpamt *d, const struct dpamt_pair *p)
{
	size_t i = (size_t)(p - d->pairs);

	memmove(d->pairs + i, d->pairs + i + 1,
		(d->pair_count - i - 1) * sizeof(*d->pairs));
	d->pair_count--;
}

void
tdxsim_dpamt_fini(struct tdxsim_module *m)
{
	free(m->dpamt.pairs);
	free(m->dpamt.pages.v);
	free(m->dpamt.used_4k.v);
	memset(&m->dpamt, 0, sizeof(m->dpamt));
}

/* ---- operands ------------------------------------------------------------- */

/* pamt_get_block(): pa lies in a configured TDMR, in a 1 GiB block that
 * TDH.SYS.TDMR.INIT has finished. */
static bool
pamt_block_ok(const struct tdxsim_module *m, uint64_t pa)
{
	for (size_t i = 0; i < m->num_of_tdmrs; i++) {
		const struct tdxsim_tdmr_info *t = &m->tdmrs[i];

		if (pa >= t->base && pa - t->base < t->size)
			return pa < (m->last_initialized[i] & ~(SZ_1G - 1));
	}
	return false;
}

/* RCX: a 2 MiB page at level PT_2MB, reserved bits and HKID bits clear. */
static bool
page_info_ok(const struct tdxsim_module *m, uint64_t rcx)
{
	uint64_t pa = rcx & ~0xFFFULL;

	return (rcx & 7) == PT_2MB && !(rcx & PAGE_INFO_RESERVED) &&
	       tdxsim_module_hkid_of(m, pa) == 0 && tdxsim_is_aligned(pa, SZ_2M);
}

/* RDX/R8 of PAMT.ADD: a 4 KiB aligned page below MAX_PA, HKID bits clear. */
static bool
pamt_page_ok(const struct tdxsim_module *m, uint64_t pa)
{
	return tdxsim_module_hkid_of(m, pa) == 0 &&
	       tdxsim_is_aligned(pa, SZ_4K) && pa < MAX_PA;
}

/* The 4 KiB-level PAMT entry of pa is not PT_NDA. Only a 2 MiB range with
 * a pair has 4 KiB entries; without one the walk stops at the (PT_NDA)
 * 2 MiB entry. */
static bool
page_in_use(const struct tdxsim_module *m, uint64_t pa)
{
	return set_has(&m->dpamt.used_4k, pa & ~(SZ_4K - 1));
}

static uint64_t
add_operands(const struct tdxsim_module *m, const struct tdxsim_regs *r)
{
	if (!page_info_ok(m, r->rcx))
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_RCX);
	if (!pamt_page_ok(m, r->rdx))
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_RDX);
	if (!pamt_block_ok(m, r->rdx))
		return ADDR_RANGE_ERROR(TDXSIM_OPERAND_ID_RDX);
	if (!pamt_page_ok(m, r->r8))
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_R8);
	if (!pamt_block_ok(m, r->r8))
		return ADDR_RANGE_ERROR(TDXSIM_OPERAND_ID_R8);
	if (!pamt_block_ok(m, r->rcx & ~0xFFFULL))
		return ADDR_RANGE_ERROR(TDXSIM_OPERAND_ID_RCX);
	return TDXSIM_TDX_SUCCESS;
}

/* ---- TDH.PHYMEM.PAMT.ADD ---------------------------------------------------- */

/* A new PAMT page must be free: its own 4 KiB entry PT_NDA, looked at only
 * when it lies outside the range it will describe. */
static uint64_t
pamt_pages_free(const struct tdxsim_module *m, const struct tdxsim_regs *r)
{
	uint64_t range = r->rcx & ~(SZ_2M - 1);

	if ((r->rdx & ~(SZ_2M - 1)) != range && page_in_use(m, r->rdx))
		return TDXSIM_TDX_PAGE_NOT_FREE | TDXSIM_OPERAND_ID_RDX;
	if ((r->r8 & ~(SZ_2M - 1)) != range && page_in_use(m, r->r8))
		return TDXSIM_TDX_PAGE_NOT_FREE | TDXSIM_OPERAND_ID_R8;
	return TDXSIM_TDX_SUCCESS;
}

/* A page's PAMT_PAGE_BITMAP bit: set for pages holding PAMT entries, and
 * preset by TDH.SYS.TDMR.INIT for every page in a reserved area
 * (pamt_4kb_bitmap_init() of 2.0.08), so those are never free. */
static bool
bitmap_bit(const struct tdxsim_module *m, uint64_t pa)
{
	return set_has(&m->dpamt.pages, pa) || tdxsim_module_pa_reserved(m, pa);
}

/* The PAMT_PAGE_BITMAP test-and-set of both pages: a page already holding
 * PAMT entries, or in a reserved area, is not free; the same page twice
 * fails on R8. */
static uint64_t
claim_pages(struct tdxsim_module *m, uint64_t p0, uint64_t p1)
{
	struct dpamt_set *pages = &m->dpamt.pages;

	if (bitmap_bit(m, p0))
		return TDXSIM_TDX_PAGE_NOT_FREE | TDXSIM_OPERAND_ID_RDX;
	if (set_add(pages, p0) < 0)
		goto oom;
	if (bitmap_bit(m, p1)) {
		set_remove(pages, p0);
		return TDXSIM_TDX_PAGE_NOT_FREE | TDXSIM_OPERAND_ID_R8;
	}
	if (set_add(pages, p1) < 0) {
		set_remove(pages, p0);
		goto oom;
	}
	return TDXSIM_TDX_SUCCESS;
oom:
	m->out_of_memory = true;
	return TDXSIM_TDX_SYS_BUSY;
}

uint64_t
tdxsim_dpamt_add(struct tdxsim_module *m, struct tdxsim_regs *r)
{
	struct dpamt_pair pair = { r->rcx & ~(SZ_2M - 1), { r->rdx, r->r8 } };
	uint64_t status;

	if (!m->dynamic_pamt)
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_RAX);
	status = add_operands(m, r);
	if (status != TDXSIM_TDX_SUCCESS)
		return status;
	/* The 2 MiB entry must be PT_NDA: no pair yet (nor, in a real
	 * module, a 2 MiB page of a TD, which is not simulated). */
	if (pair_of(&m->dpamt, pair.range))
		return TDXSIM_TDX_HPA_RANGE_NOT_FREE | TDXSIM_OPERAND_ID_RCX;
	status = pamt_pages_free(m, r);
	if (status == TDXSIM_TDX_SUCCESS)
		status = claim_pages(m, pair.page[0], pair.page[1]);
	if (status != TDXSIM_TDX_SUCCESS)
		return status;
	if (pair_insert(&m->dpamt, &pair) < 0) {
		set_remove(&m->dpamt.pages, pair.page[0]);
		set_remove(&m->dpamt.pages, pair.page[1]);
		m->out_of_memory = true;
		return TDXSIM_TDX_SYS_BUSY;
	}
	return TDXSIM_TDX_SUCCESS;
}

/* ---- TDH.PHYMEM.PAMT.REMOVE ------------------------------------------------- */

/* Which page of the pair holds a non-PT_NDA entry: 0 or 1, -1 for none.
 * Page 0 holds the entries of the range's first 1 MiB. */
static int
busy_pamt_page(const struct tdxsim_module *m, uint64_t range)
{
	const struct dpamt_set *used = &m->dpamt.used_4k;
	size_t i = set_find(used, range);

	if (i == used->count || used->v[i] >= range + SZ_2M)
		return -1;
	return used->v[i] - range < SPAN_PER_PAMT_PAGE ? 0 : 1;
}

uint64_t
tdxsim_dpamt_remove(struct tdxsim_module *m, struct tdxsim_regs *r)
{
	struct dpamt_pair *pair;
	int busy;

	if (!m->dynamic_pamt)
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_RAX);
	if (!page_info_ok(m, r->rcx))
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_RCX);
	if (!pamt_block_ok(m, r->rcx & ~0xFFFULL))
		return ADDR_RANGE_ERROR(TDXSIM_OPERAND_ID_RCX);
	pair = pair_of(&m->dpamt, r->rcx & ~(SZ_2M - 1));
	if (!pair)
		return TDXSIM_TDX_NO_PAMT_PAGE_PAIR | TDXSIM_OPERAND_ID_RCX;
	/* The module's detail here is the page index (0 or 1), not a
	 * register operand id (tdh_phymem_pamt_remove.c). */
	busy = busy_pamt_page(m, pair->range);
	if (busy >= 0)
		return TDXSIM_TDX_PAMT_PAGE_NOT_EMPTY | (uint64_t)busy;
	set_remove(&m->dpamt.pages, pair->page[0]);
	set_remove(&m->dpamt.pages, pair->page[1]);
	r->rdx = pair->page[0];
	r->r8 = pair->page[1];
	pair_delete(&m->dpamt, pair);
	return TDXSIM_TDX_SUCCESS;
}

/* ---- stand-in for the TD leaves, and queries ------------------------------ */

int
tdxsim_dpamt_mark_4k(struct tdxsim_module *m, uint64_t pa, bool in_use)
{
	struct dpamt_set *used = &m->dpamt.used_4k;

	pa &= ~(SZ_4K - 1);
	/* A 4 KiB page can be handed to a TD only where the range has its
	 * PAMT pages (else TDX_MISSING_PAMT_PAGE_PAIR in the TD leaves). */
	if (!pair_of(&m->dpamt, pa & ~(SZ_2M - 1)))
		return -ENOENT;
	if (!in_use) {
		set_remove(used, pa);
		return 0;
	}
	return set_has(used, pa) ? 0 : set_add(used, pa);
}

TDXSIM_EXPORT size_t
tdxsim_module_pamt_pairs(const struct tdxsim_module *m)
{
	return m ? m->dpamt.pair_count : 0;
}
