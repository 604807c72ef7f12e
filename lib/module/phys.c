/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>

#include "common.h"
#include "phys.h"

void
tdxsim_phys_init(struct tdxsim_phys *phys, uint64_t top, uint64_t limit)
{
	memset(phys, 0, sizeof(*phys));
	phys->top = top;
	phys->limit = limit;
}

void
tdxsim_phys_fini(struct tdxsim_phys *phys)
{
	for (size_t i = 0; i < phys->count; i++)
		free(phys->extents[i].data);
	free(phys->extents);
	memset(phys, 0, sizeof(*phys));
}

static bool
in_range(const struct tdxsim_phys *phys, uint64_t pa, size_t len)
{
	return pa <= phys->top && len <= phys->top - pa;
}

/* First extent ending after pa (count if none). */
static size_t
first_after(const struct tdxsim_phys *phys, uint64_t pa)
{
	size_t lo = 0, hi = phys->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct tdxsim_phys_extent *e = &phys->extents[mid];

		if (e->start + e->len <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Replace extents [first, last) (all overlapping [pa, pa + len)) by one
 * extent covering them and the new bytes. Adjacent extents are not merged,
 * so sequential writes never copy what is already stored.
 */
static int
merge_store(struct tdxsim_phys *phys, size_t first, size_t last, uint64_t pa,
	    const void *buf, size_t len)
{
	uint64_t start = pa, end = pa + len, old_bytes = 0;
	struct tdxsim_phys_extent merged;

	if (first < last) {
		const struct tdxsim_phys_extent *f = &phys->extents[first];
		const struct tdxsim_phys_extent *l = &phys->extents[last - 1];

		start = f->start < start ? f->start : start;
		end = l->start + l->len > end ? l->start + l->len : end;
	}
	for (size_t i = first; i < last; i++)
		old_bytes += phys->extents[i].len;
	if (phys->bytes - old_bytes + (end - start) > phys->limit)
		return -ENOMEM;
	merged.start = start;
	merged.len = end - start;
	merged.data = malloc(merged.len ? merged.len : 1);
	if (!merged.data)
		return -ENOMEM;
	for (size_t i = first; i < last; i++) {
		const struct tdxsim_phys_extent *e = &phys->extents[i];

		memcpy(merged.data + (e->start - start), e->data, e->len);
		free(e->data);
	}
	memcpy(merged.data + (pa - start), buf, len);
	phys->bytes = phys->bytes - old_bytes + merged.len;
	if (first == last) {
		memmove(&phys->extents[first + 1], &phys->extents[first],
			(phys->count - first) * sizeof(merged));
		phys->count++;
	} else {
		memmove(&phys->extents[first + 1], &phys->extents[last],
			(phys->count - last) * sizeof(merged));
		phys->count -= last - first - 1;
	}
	phys->extents[first] = merged;
	return 0;
}

int
tdxsim_phys_store(struct tdxsim_phys *phys, uint64_t pa, const void *buf,
		  size_t len)
{
	size_t first, last;
	int ret;

	if (!in_range(phys, pa, len))
		return -EINVAL;
	if (len == 0)
		return 0;
	ret = tdxsim_array_reserve((void **)&phys->extents, &phys->capacity,
				   phys->count + 1, sizeof(*phys->extents));
	if (ret < 0)
		return ret;
	first = first_after(phys, pa);
	last = first;
	while (last < phys->count && phys->extents[last].start < pa + len)
		last++;
	return merge_store(phys, first, last, pa, buf, len);
}

int
tdxsim_phys_load(const struct tdxsim_phys *phys, uint64_t pa, void *buf,
		 size_t len)
{
	uint8_t *out = buf;

	if (!in_range(phys, pa, len))
		return -EINVAL;
	if (len == 0)
		return 0;	/* buf may be NULL then */
	memset(buf, 0, len);
	for (size_t i = first_after(phys, pa);
	     i < phys->count && phys->extents[i].start < pa + len; i++) {
		const struct tdxsim_phys_extent *e = &phys->extents[i];
		uint64_t from = e->start > pa ? e->start : pa;
		uint64_t to = e->start + e->len < pa + len ? e->start + e->len
							   : pa + len;

		memcpy(out + (from - pa), e->data + (from - e->start), to - from);
	}
	return 0;
}
