/* SPDX-License-Identifier: MIT */
/*
 * The Linux memory the host's TDX code meets, as a public object: the
 * memblock.memory model and the alloc_contig_pages() placement model that
 * the linux strategies use (memblock.c, pamt.c), so that a harness running
 * the kernel's own tdx.c (tools/kernel) gets its PAMTs exactly where the
 * model puts them. Pages handed out are tracked as ranges.
 */
#include "config.h"

#include <stdlib.h>

#include "common.h"
#include "host-private.h"

struct tdxsim_linux_mm {
	struct tdxsim_host_input in;
	struct tdxsim_rangeset taken;	/* allocated and not freed */
};

TDXSIM_EXPORT int
tdxsim_linux_mm_new(const struct tdxsim_platform *platform,
		    enum tdxsim_kernel kernel, struct tdxsim_linux_mm **out)
{
	struct tdxsim_linux_mm *mm;
	int ret;

	if (!platform || !out || !tdxsim_kernel_name(kernel))
		return -EINVAL;
	mm = calloc(1, sizeof(*mm));
	if (!mm)
		return -ENOMEM;
	kernel = tdxsim_kernel_resolve(TDXSIM_STRATEGY_LINUX, kernel);
	ret = tdxsim_host_input_init(&mm->in, platform, TDXSIM_STRATEGY_LINUX, kernel);
	if (ret < 0) {
		tdxsim_host_input_fini(&mm->in);
		free(mm);
		return ret;
	}
	tdxsim_rangeset_init(&mm->taken);
	*out = mm;
	return 0;
}

TDXSIM_EXPORT void
tdxsim_linux_mm_free(struct tdxsim_linux_mm *mm)
{
	if (!mm)
		return;
	tdxsim_host_input_fini(&mm->in);
	tdxsim_rangeset_fini(&mm->taken);
	free(mm);
}

TDXSIM_EXPORT size_t
tdxsim_linux_mm_region_count(const struct tdxsim_linux_mm *mm)
{
	return mm ? mm->in.memblock.count : 0;
}

TDXSIM_EXPORT int
tdxsim_linux_mm_region(const struct tdxsim_linux_mm *mm, size_t index,
		       uint64_t *start, uint64_t *end, unsigned *nid)
{
	const struct tdxsim_tmb *b;

	if (!mm || !start || !end || !nid || index >= mm->in.memblock.count)
		return -EINVAL;
	b = &mm->in.memblock.blocks[index];
	*start = b->start;
	*end = b->end;
	*nid = b->nid;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_linux_mm_alloc_contig(struct tdxsim_linux_mm *mm, uint64_t nr_pages,
			     unsigned nid, uint64_t *pfn)
{
	uint64_t base;
	int ret;

	if (!mm || !pfn || nr_pages == 0 || nr_pages > (UINT64_MAX >> 12))
		return -EINVAL;
	ret = tdxsim_pamt_alloc_kernel(&mm->in, nid, nr_pages << 12, &mm->taken, &base);
	if (ret < 0)
		return ret;
	ret = tdxsim_rangeset_add(&mm->taken, (struct tdxsim_range){
		base, base + (nr_pages << 12) });
	if (ret < 0)
		return ret;
	*pfn = base >> 12;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_linux_mm_free_contig(struct tdxsim_linux_mm *mm, uint64_t pfn,
			    uint64_t nr_pages)
{
	if (!mm || pfn > (UINT64_MAX >> 12) || nr_pages > (UINT64_MAX >> 12) - pfn)
		return -EINVAL;
	return tdxsim_rangeset_subtract(&mm->taken, (struct tdxsim_range){
		pfn << 12, (pfn + nr_pages) << 12 });
}
