/* SPDX-License-Identifier: MIT */
/*
 * The kernel's side of Dynamic PAMT: a reference count per 2 MiB range,
 * PAMT page pairs taken from a page pool, TDH.PHYMEM.PAMT.ADD on a range's
 * first 4 KiB use and TDH.PHYMEM.PAMT.REMOVE on its last release.
 *
 * Behaviour modelled on the public Dynamic PAMT series (Kirill Shutemov,
 * later Rick Edgecombe, arch/x86/virt/vmx/tdx/tdx.c tdx_pamt_get() and
 * tdx_pamt_put()): get takes a reference when the count is non-zero;
 * otherwise it allocates two pages (-ENOMEM when it cannot), issues
 * PAMT.ADD with RCX = range | TDX_PS_2M, and on an error other than
 * TDX_HPA_RANGE_NOT_FREE frees the pages and fails with -EIO; put drops
 * the reference and at zero issues PAMT.REMOVE, freeing the pages it
 * returns, or leaking them (the kernel warns) when it fails. Single
 * threaded, so the series' races never happen.
 */
#include "config.h"

#include <string.h>

#include "common.h"

#include <tdxsim/host.h>
#include <tdxsim/module.h>

#define TDX_PS_2M 1
#define PAMT_PAIR_BYTES (2 * SZ_4K)

struct range_ref {
	uint64_t range;
	unsigned refcount;
};

struct tdxsim_dpamt_host {
	struct tdxsim_module *module;
	unsigned cpu;
	/* The page pool: never-used pages from `next` to `end`, and pages
	 * given back (a stack). */
	uint64_t next, end;
	uint64_t *freed;
	size_t freed_count, freed_capacity;
	/* Ranges with a non-zero count, sorted. */
	struct range_ref *refs;
	size_t ref_count, ref_capacity;
	uint64_t pairs_held;
};

TDXSIM_EXPORT int
tdxsim_dpamt_host_new(struct tdxsim_module *module, unsigned cpu,
		      uint64_t pool_start, uint64_t pool_end,
		      struct tdxsim_dpamt_host **out)
{
	struct tdxsim_dpamt_host *h;

	if (!module || !out || !tdxsim_is_aligned(pool_start, SZ_4K) ||
	    !tdxsim_is_aligned(pool_end, SZ_4K) || pool_end < pool_start)
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->module = module;
	h->cpu = cpu;
	h->next = pool_start;
	h->end = pool_end;
	*out = h;
	return 0;
}

TDXSIM_EXPORT void
tdxsim_dpamt_host_free(struct tdxsim_dpamt_host *h)
{
	if (!h)
		return;
	free(h->freed);
	free(h->refs);
	free(h);
}

/* ---- the page pool (alloc_page / __free_page) ---------------------------- */

static bool
alloc_page(struct tdxsim_dpamt_host *h, uint64_t *pa)
{
	if (h->freed_count) {
		*pa = h->freed[--h->freed_count];
		return true;
	}
	if (h->next >= h->end)
		return false;
	*pa = h->next;
	h->next += SZ_4K;
	return true;
}

static int
free_page(struct tdxsim_dpamt_host *h, uint64_t pa)
{
	if (h->freed_count == h->freed_capacity) {
		size_t cap = h->freed_capacity ? 2 * h->freed_capacity : 16;
		uint64_t *nf = realloc(h->freed, cap * sizeof(*nf));

		if (!nf)
			return -ENOMEM;
		h->freed = nf;
		h->freed_capacity = cap;
	}
	h->freed[h->freed_count++] = pa;
	return 0;
}

/* ---- reference counts per 2 MiB range ---------------------------------- */

static size_t
ref_find(const struct tdxsim_dpamt_host *h, uint64_t range)
{
	size_t lo = 0, hi = h->ref_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->refs[mid].range < range)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct range_ref *
ref_of(const struct tdxsim_dpamt_host *h, uint64_t range)
{
	size_t i = ref_find(h, range);

	return i < h->ref_count && h->refs[i].range == range ? &h->refs[i] : NULL;
}

static int
ref_insert(struct tdxsim_dpamt_host *h, uint64_t range)
{
	size_t i = ref_find(h, range);

	if (h->ref_count == h->ref_capacity) {
		size_t cap = h->ref_capacity ? 2 * h->ref_capacity : 16;
		struct range_ref *nr = realloc(h->refs, cap * sizeof(*nr));

		if (!nr)
			return -ENOMEM;
		h->refs = nr;
		h->ref_capacity = cap;
	}
	memmove(h->refs + i + 1, h->refs + i, (h->ref_count - i) * sizeof(*h->refs));
	h->refs[i] = (struct range_ref){ range, 1 };
	h->ref_count++;
	return 0;
}

static void
ref_delete(struct tdxsim_dpamt_host *h, struct range_ref *r)
{
	size_t i = (size_t)(r - h->refs);

	memmove(h->refs + i, h->refs + i + 1,
		(h->ref_count - i - 1) * sizeof(*h->refs));
	h->ref_count--;
}

TDXSIM_EXPORT unsigned
tdxsim_dpamt_host_refcount(const struct tdxsim_dpamt_host *h, uint64_t pa)
{
	const struct range_ref *r = h ? ref_of(h, pa & ~(SZ_2M - 1)) : NULL;

	return r ? r->refcount : 0;
}

static void
finish_step(const struct tdxsim_dpamt_host *h, uint64_t range,
	    struct tdxsim_dpamt_step *step)
{
	step->refcount = tdxsim_dpamt_host_refcount(h, range);
	step->pamt_bytes = h->pairs_held * PAMT_PAIR_BYTES;
}

/* ---- tdx_pamt_get() --------------------------------------------------- */

static int
seamcall(struct tdxsim_dpamt_host *h, struct tdxsim_regs *r,
	 struct tdxsim_dpamt_step *step)
{
	int ret = tdxsim_seamcall(h->module, h->cpu, r);

	if (ret < 0)
		return ret;
	step->seamcall = 1;
	step->status = r->rax;
	return 0;
}

/* The first use of a range: two pages and PAMT.ADD. */
static int
add_pair(struct tdxsim_dpamt_host *h, uint64_t range,
	 struct tdxsim_dpamt_step *step)
{
	struct tdxsim_regs r = { .rax = TDXSIM_TDH_PHYMEM_PAMT_ADD,
				 .rcx = range | TDX_PS_2M };
	bool not_free;
	int ret;

	if (!alloc_page(h, &r.rdx)) {
		step->err = -ENOMEM;
		return 0;
	}
	if (!alloc_page(h, &r.r8)) {
		step->err = -ENOMEM;
		return free_page(h, r.rdx);
	}
	ret = seamcall(h, &r, step);
	if (ret < 0)
		return ret;
	not_free = (step->status & TDXSIM_STATUS_MASK) ==
		   TDXSIM_TDX_HPA_RANGE_NOT_FREE;
	if (step->status != TDXSIM_TDX_SUCCESS) {
		if ((ret = free_page(h, r.rdx)) < 0 ||
		    (ret = free_page(h, r.r8)) < 0)
			return ret;
		/* HPA_RANGE_NOT_FREE: the range has its pages already (the
		 * series treats it as a race won by another adder). */
		if (!not_free) {
			step->err = -EIO;
			return 0;
		}
	} else {
		h->pairs_held++;
	}
	return ref_insert(h, range);
}

TDXSIM_EXPORT int
tdxsim_dpamt_host_use(struct tdxsim_dpamt_host *h, uint64_t pa,
		      struct tdxsim_dpamt_step *step)
{
	uint64_t range = pa & ~(SZ_2M - 1);
	struct range_ref *r;
	int ret = 0;

	if (!h || !step)
		return -EINVAL;
	r = ref_of(h, range);
	memset(step, 0, sizeof(*step));
	if (r)
		r->refcount++;
	else
		ret = add_pair(h, range, step);
	finish_step(h, range, step);
	return ret;
}

/* ---- tdx_pamt_put() --------------------------------------------------- */

TDXSIM_EXPORT int
tdxsim_dpamt_host_release(struct tdxsim_dpamt_host *h, uint64_t pa,
			  struct tdxsim_dpamt_step *step)
{
	uint64_t range = pa & ~(SZ_2M - 1);
	struct range_ref *ref;
	struct tdxsim_regs r = { .rax = TDXSIM_TDH_PHYMEM_PAMT_REMOVE,
				 .rcx = range | TDX_PS_2M };
	int ret;

	if (!h || !step)
		return -EINVAL;
	ref = ref_of(h, range);
	memset(step, 0, sizeof(*step));
	/* Releasing what was never used is the caller's bug, not the
	 * kernel's outcome (the kernel would underflow and warn). */
	if (!ref)
		return -EINVAL;
	if (--ref->refcount == 0) {
		ref_delete(h, ref);
		ret = seamcall(h, &r, step);
		if (ret < 0)
			return ret;
		/* On failure the pages are leaked, as the kernel does. */
		if (step->status == TDXSIM_TDX_SUCCESS) {
			h->pairs_held--;
			if ((ret = free_page(h, r.rdx)) < 0 ||
			    (ret = free_page(h, r.r8)) < 0)
				return ret;
		}
	}
	finish_step(h, range, step);
	return 0;
}
