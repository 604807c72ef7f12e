/* SPDX-License-Identifier: MIT */
/*
 * From the firmware's E820 table to the memory list the TDX code walks.
 * Kernel facts (arch/x86/kernel/e820.c, tdx.c build_tdx_memlist()): e820__memblock_setup() adds E820 RAM
 * (and, before the Feb 2025 cleanup, E820_TYPE_RESERVED_KERN) to
 * memblock.memory; before that, page 0 is made reserved and
 * [0xa0000, 0x100000) removed; memblock_trim_memory(PAGE_SIZE) drops
 * partial pages. The "Early memory node ranges" lines print exactly the
 * resulting regions per node, so when a fixture has them they are used as
 * they are. build_tdx_memlist() then clamps every region at 1 MiB.
 */
#include "config.h"

#include <string.h>

#include "common.h"
#include "host-private.h"

void
tdxsim_tmb_list_fini(struct tdxsim_tmb_list *list)
{
	free(list->blocks);
	memset(list, 0, sizeof(*list));
}

int
tdxsim_tmb_list_add(struct tdxsim_tmb_list *list, uint64_t start, uint64_t end,
		    unsigned nid)
{
	int ret = tdxsim_array_reserve((void **)&list->blocks, &list->capacity,
				       list->count + 1, sizeof(*list->blocks));

	if (ret < 0)
		return ret;
	list->blocks[list->count++] = (struct tdxsim_tmb){ start, end, nid };
	return 0;
}

static int
from_node_ranges(const struct tdxsim_platform *p, struct tdxsim_tmb_list *out)
{
	for (size_t i = 0; i < tdxsim_platform_node_range_count(p); i++) {
		const struct tdxsim_node_range *n = tdxsim_platform_node_range(p, i);
		int ret = tdxsim_tmb_list_add(out, n->start, n->end, n->nid);

		if (ret < 0)
			return ret;
	}
	return 0;
}

static bool
is_memblock_ram(uint32_t type, bool reserved_kern_is_ram)
{
	return type == TDXSIM_E820_RAM ||
	       (reserved_kern_is_ram && type == TDXSIM_E820_RESERVED_KERN);
}

static int
from_e820(const struct tdxsim_platform *p, bool reserved_kern_is_ram,
	  struct tdxsim_tmb_list *out)
{
	struct tdxsim_rangeset ram;
	int ret = 0;

	tdxsim_rangeset_init(&ram);
	for (size_t i = 0; i < tdxsim_platform_e820_count(p) && ret == 0; i++) {
		const struct tdxsim_e820_entry *e = tdxsim_platform_e820_entry(p, i);

		if (is_memblock_ram(e->type, reserved_kern_is_ram))
			ret = tdxsim_rangeset_add(&ram, (struct tdxsim_range){
				e->start, e->end });
	}
	/* Early fixups: "e820: update [mem 0x00000000-0x00000fff] usable ==>
	 * reserved" and "e820: remove [mem 0x000a0000-0x000fffff] usable". */
	if (ret == 0)
		ret = tdxsim_rangeset_subtract(&ram, (struct tdxsim_range){ 0, SZ_4K });
	if (ret == 0)
		ret = tdxsim_rangeset_subtract(&ram, (struct tdxsim_range){
			0xa0000, 0x100000 });
	for (size_t i = 0; i < ram.count && ret == 0; i++) {
		/* memblock_trim_memory(PAGE_SIZE): whole pages only. */
		uint64_t start = (ram.ranges[i].start + SZ_4K - 1) & ~(SZ_4K - 1);
		uint64_t end = ram.ranges[i].end & ~(SZ_4K - 1);

		if (start < end)
			ret = tdxsim_tmb_list_add(out, start, end, 0);
	}
	tdxsim_rangeset_fini(&ram);
	return ret;
}

int
tdxsim_memblock_from_platform(const struct tdxsim_platform *p,
			      bool reserved_kern_is_ram,
			      struct tdxsim_tmb_list *out)
{
	if (tdxsim_platform_node_range_count(p) > 0)
		return from_node_ranges(p, out);
	return from_e820(p, reserved_kern_is_ram, out);
}

int
tdxsim_tdx_memlist(const struct tdxsim_tmb_list *memblock,
		   struct tdxsim_tmb_list *out)
{
	for (size_t i = 0; i < memblock->count; i++) {
		const struct tdxsim_tmb *b = &memblock->blocks[i];
		/* "The first 1MB is not reported as TDX convertible memory." */
		uint64_t start = b->start > SZ_1M ? b->start : SZ_1M;
		int ret;

		if (start >= b->end)
			continue;
		ret = tdxsim_tmb_list_add(out, start, b->end, b->nid);
		if (ret < 0)
			return ret;
	}
	return 0;
}
