/* SPDX-License-Identifier: MIT */
/*
 * CMRs inferred from the E820 table, for logs that print none (every
 * upstream kernel: only the TDH.SYS.INFO-era and Ubuntu 6.8-intel kernels
 * print "virt/tdx: CMR: [...)" lines). The shape is MCHECK's on the real
 * machines whose logs give both (canonical/tdx#135 EMR, #331, the
 * ArcherCity and 2-node hosts of fixtures/platforms): one low CMR from
 * 1 MiB to the end of low RAM, covering the firmware's reserved and ACPI
 * fragments below it; one CMR per socket's (node's) RAM above 4 GiB. What
 * E820 cannot tell, MCHECK's trim of each socket's top, is the documented
 * divergence (docs/fidelity.md).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "common.h"
#include "platform-private.h"

#define PAGE_MASK_4K (~(SZ_4K - 1))
#define SZ_4G (4ULL << 30)

struct cmr_set {
	struct tdxsim_cmr cmrs[TDXSIM_MAX_CMRS];
	size_t count;
	bool overflow;
};

static void
push(struct cmr_set *set, uint64_t start, uint64_t end)
{
	start = (start + SZ_4K - 1) & PAGE_MASK_4K;
	end &= PAGE_MASK_4K;
	if (start >= end)
		return;
	if (set->count == TDXSIM_MAX_CMRS) {
		set->overflow = true;
		return;
	}
	set->cmrs[set->count++] = (struct tdxsim_cmr){ start, end - start };
}

/* [1 MiB, end of the last RAM entry below 4 GiB). */
static void
low_cmr(const struct tdxsim_platform *p, struct cmr_set *set)
{
	uint64_t end = 0;

	for (size_t i = 0; i < tdxsim_platform_e820_count(p); i++) {
		const struct tdxsim_e820_entry *e = tdxsim_platform_e820_entry(p, i);

		if (e->type == TDXSIM_E820_RAM && e->start < SZ_4G && e->end > SZ_1M)
			end = e->end < SZ_4G ? e->end : SZ_4G;
	}
	if (end > SZ_1M)
		push(set, SZ_1M, end);
}

/* Without node ranges: runs of RAM above 4 GiB, a RAM entry continuing
 * the run when everything since the run's last RAM is described by E820
 * (reserved fragments, no unmapped gap). */
static void
high_runs(const struct tdxsim_platform *p, struct cmr_set *set)
{
	uint64_t run_start = 0, run_end = 0, mapped_to = 0;
	bool in_run = false;

	for (size_t i = 0; i < tdxsim_platform_e820_count(p); i++) {
		const struct tdxsim_e820_entry *e = tdxsim_platform_e820_entry(p, i);
		bool contiguous = in_run && e->start <= mapped_to;

		if (e->end <= SZ_4G)
			continue;
		if (e->type == TDXSIM_E820_RAM) {
			if (!contiguous) {
				if (in_run)
					push(set, run_start, run_end);
				run_start = e->start > SZ_4G ? e->start : SZ_4G;
				in_run = true;
			}
			run_end = e->end;
		} else if (!contiguous && in_run) {
			push(set, run_start, run_end);
			in_run = false;
		}
		mapped_to = e->end > mapped_to ? e->end : mapped_to;
	}
	if (in_run)
		push(set, run_start, run_end);
}

/* With node ranges: one CMR per node, from its first byte above 4 GiB to
 * its last, in address order (MCHECK reports one CMR per socket's
 * memory; a node is the finest the log shows). */
static void
high_per_node(const struct tdxsim_platform *p, struct cmr_set *set)
{
	uint64_t done = SZ_4G;

	for (;;) {
		long nid = -1;
		uint64_t start = UINT64_MAX, end = 0;

		/* The node whose memory above `done` starts lowest. */
		for (size_t i = 0; i < tdxsim_platform_node_range_count(p); i++) {
			const struct tdxsim_node_range *n = tdxsim_platform_node_range(p, i);

			if (n->end > done && n->start < start) {
				start = n->start > done ? n->start : done;
				nid = (long)n->nid;
			}
		}
		if (nid < 0)
			return;
		for (size_t i = 0; i < tdxsim_platform_node_range_count(p); i++) {
			const struct tdxsim_node_range *n = tdxsim_platform_node_range(p, i);

			if ((long)n->nid == nid && n->end > done && n->end > end)
				end = n->end;
		}
		push(set, start, end);
		done = end;
	}
}

TDXSIM_EXPORT int
tdxsim_platform_infer_cmrs(struct tdxsim_platform *p)
{
	struct cmr_set set = { .count = 0 };
	char note[256];
	int ret = 0;

	if (!p)
		return -EINVAL;
	if (tdxsim_platform_cmr_count(p) > 0)
		return -EEXIST;
	low_cmr(p, &set);
	if (tdxsim_platform_node_range_count(p) > 0)
		high_per_node(p, &set);
	else
		high_runs(p, &set);
	if (set.overflow)
		return -E2BIG;
	for (size_t i = 0; i < set.count && ret == 0; i++)
		ret = tdxsim_platform_add_cmr(p, set.cmrs[i].base, set.cmrs[i].size);
	if (ret < 0)
		return ret;
	snprintf(note, sizeof(note),
		 "%zu inferred from E820 RAM: [1 MiB, end of low RAM) and the RAM runs above 4 GiB%s; "
		 "MCHECK's trim of each socket's top is not in E820",
		 set.count, tdxsim_platform_node_range_count(p) ? ", one per node" : "");
	ret = tdxsim_platform_set_info(p, TDXSIM_INFO_CMRS_INFERRED, note);
	return ret < 0 ? ret : (int)set.count;
}
