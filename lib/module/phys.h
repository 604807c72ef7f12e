/* SPDX-License-Identifier: MIT */
/*
 * Sparse simulated physical memory: written stretches are kept as sorted,
 * non-overlapping extents; everything else reads as zero. Costs what was
 * written, never anything per page of address space.
 */
#ifndef TDXSIM_MODULE_PHYS_H
#define TDXSIM_MODULE_PHYS_H

#include <stddef.h>
#include <stdint.h>

struct tdxsim_phys_extent {
	uint64_t start;
	uint64_t len;
	uint8_t *data;
};

struct tdxsim_phys {
	struct tdxsim_phys_extent *extents;
	size_t count;
	size_t capacity;
	uint64_t bytes;		/* held in all extents */
	uint64_t limit;		/* refuse writes past this many bytes */
	uint64_t top;		/* addresses must stay below this */
};

void tdxsim_phys_init(struct tdxsim_phys *phys, uint64_t top, uint64_t limit);
void tdxsim_phys_fini(struct tdxsim_phys *phys);
/* 0, -EINVAL past top, -ENOMEM past limit or out of memory. */
int tdxsim_phys_store(struct tdxsim_phys *phys, uint64_t pa, const void *buf,
		      size_t len);
/* 0 or -EINVAL past top; unwritten bytes are 0. */
int tdxsim_phys_load(const struct tdxsim_phys *phys, uint64_t pa, void *buf,
		     size_t len);

#endif /* TDXSIM_MODULE_PHYS_H */
