/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>

#include "common.h"
#include "range.h"

bool
tdxsim_range_make(uint64_t start, uint64_t end, struct tdxsim_range *out)
{
	if (end < start)
		return false;
	out->start = start;
	out->end = end;
	return true;
}

bool
tdxsim_range_from_base_size(uint64_t base, uint64_t size,
			    struct tdxsim_range *out)
{
	/* base + size == 2^64 would wrap to 0: not representable either. */
	if (size > UINT64_MAX - base)
		return false;
	out->start = base;
	out->end = base + size;
	return true;
}

bool
tdxsim_range_from_inclusive(uint64_t first, uint64_t last,
			    struct tdxsim_range *out)
{
	if (last < first || last == UINT64_MAX)
		return false;
	out->start = first;
	out->end = last + 1;
	return true;
}

struct tdxsim_range
tdxsim_range_intersection(struct tdxsim_range a, struct tdxsim_range b)
{
	struct tdxsim_range r;

	r.start = a.start > b.start ? a.start : b.start;
	r.end = a.end < b.end ? a.end : b.end;
	if (r.end < r.start)
		r.end = r.start;
	return r;
}

void
tdxsim_rangeset_init(struct tdxsim_rangeset *set)
{
	memset(set, 0, sizeof(*set));
}

void
tdxsim_rangeset_fini(struct tdxsim_rangeset *set)
{
	free(set->ranges);
	tdxsim_rangeset_init(set);
}

void
tdxsim_rangeset_clear(struct tdxsim_rangeset *set)
{
	set->count = 0;
}

/* Index of the first member whose end is >= addr (count if none). */
static size_t
first_ending_at_or_after(const struct tdxsim_rangeset *set, uint64_t addr)
{
	size_t lo = 0, hi = set->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (set->ranges[mid].end < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the first member whose end is > addr (count if none). */
static size_t
first_ending_after(const struct tdxsim_rangeset *set, uint64_t addr)
{
	size_t lo = 0, hi = set->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (set->ranges[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
reserve_one_more(struct tdxsim_rangeset *set)
{
	return tdxsim_array_reserve((void **)&set->ranges, &set->capacity,
				    set->count + 1, sizeof(*set->ranges));
}

int
tdxsim_rangeset_add(struct tdxsim_rangeset *set, struct tdxsim_range r)
{
	size_t first, last;

	if (tdxsim_range_is_empty(r))
		return 0;

	/* Members [first, last) touch r (overlap or adjacency) and merge. */
	first = first_ending_at_or_after(set, r.start);
	last = first;
	while (last < set->count && set->ranges[last].start <= r.end)
		last++;

	if (first == last) {
		int ret = reserve_one_more(set);

		if (ret < 0)
			return ret;
		memmove(&set->ranges[first + 1], &set->ranges[first],
			(set->count - first) * sizeof(*set->ranges));
		set->ranges[first] = r;
		set->count++;
		return 0;
	}

	if (set->ranges[first].start < r.start)
		r.start = set->ranges[first].start;
	if (set->ranges[last - 1].end > r.end)
		r.end = set->ranges[last - 1].end;
	set->ranges[first] = r;
	memmove(&set->ranges[first + 1], &set->ranges[last],
		(set->count - last) * sizeof(*set->ranges));
	set->count -= last - first - 1;
	return 0;
}

int
tdxsim_rangeset_subtract(struct tdxsim_rangeset *set, struct tdxsim_range r)
{
	size_t i;

	if (tdxsim_range_is_empty(r))
		return 0;

	i = first_ending_after(set, r.start);
	while (i < set->count && set->ranges[i].start < r.end) {
		struct tdxsim_range *m = &set->ranges[i];

		if (m->start < r.start && m->end > r.end) {
			/* r punches a hole in the middle: split m in two. */
			struct tdxsim_range tail = { r.end, m->end };
			int ret = reserve_one_more(set);

			if (ret < 0)
				return ret;
			m = &set->ranges[i];
			memmove(&set->ranges[i + 2], &set->ranges[i + 1],
				(set->count - i - 1) * sizeof(*set->ranges));
			m->end = r.start;
			set->ranges[i + 1] = tail;
			set->count++;
			return 0;
		}
		if (m->start < r.start) {
			m->end = r.start;
			i++;
		} else if (m->end > r.end) {
			m->start = r.end;
			i++;
		} else {
			memmove(m, m + 1,
				(set->count - i - 1) * sizeof(*set->ranges));
			set->count--;
		}
	}
	return 0;
}

int
tdxsim_rangeset_union(struct tdxsim_rangeset *dst,
		      const struct tdxsim_rangeset *src)
{
	for (size_t i = 0; i < src->count; i++) {
		int ret = tdxsim_rangeset_add(dst, src->ranges[i]);

		if (ret < 0)
			return ret;
	}
	return 0;
}

int
tdxsim_rangeset_subtract_set(struct tdxsim_rangeset *dst,
			     const struct tdxsim_rangeset *src)
{
	/* s - s: iterating over the set being shrunk would skip members. */
	if (dst == src) {
		tdxsim_rangeset_clear(dst);
		return 0;
	}
	for (size_t i = 0; i < src->count; i++) {
		int ret = tdxsim_rangeset_subtract(dst, src->ranges[i]);

		if (ret < 0)
			return ret;
	}
	return 0;
}

int
tdxsim_rangeset_intersect(struct tdxsim_rangeset *dst,
			  const struct tdxsim_rangeset *a,
			  const struct tdxsim_rangeset *b)
{
	size_t i = 0, j = 0;

	tdxsim_rangeset_clear(dst);
	/* Both inputs are sorted and disjoint: one merge-like pass. */
	while (i < a->count && j < b->count) {
		struct tdxsim_range r = tdxsim_range_intersection(a->ranges[i],
								  b->ranges[j]);

		if (!tdxsim_range_is_empty(r)) {
			int ret = tdxsim_rangeset_add(dst, r);

			if (ret < 0)
				return ret;
		}
		if (a->ranges[i].end < b->ranges[j].end)
			i++;
		else
			j++;
	}
	return 0;
}

int
tdxsim_rangeset_copy(struct tdxsim_rangeset *dst,
		     const struct tdxsim_rangeset *src)
{
	int ret;

	if (dst == src)
		return 0;
	ret = tdxsim_array_reserve((void **)&dst->ranges, &dst->capacity,
				   src->count, sizeof(*dst->ranges));
	if (ret < 0)
		return ret;
	if (src->count)
		memcpy(dst->ranges, src->ranges,
		       src->count * sizeof(*src->ranges));
	dst->count = src->count;
	return 0;
}

bool
tdxsim_rangeset_contains(const struct tdxsim_rangeset *set, uint64_t addr)
{
	size_t i = first_ending_after(set, addr);

	return i < set->count && set->ranges[i].start <= addr;
}

bool
tdxsim_rangeset_covers(const struct tdxsim_rangeset *set,
		       struct tdxsim_range r)
{
	size_t i;

	if (tdxsim_range_is_empty(r))
		return true;
	/* Members are merged, so a covered range lies inside one member. */
	i = first_ending_after(set, r.start);
	return i < set->count && tdxsim_range_covers(set->ranges[i], r);
}

bool
tdxsim_rangeset_intersects(const struct tdxsim_rangeset *set,
			   struct tdxsim_range r)
{
	size_t i;

	if (tdxsim_range_is_empty(r))
		return false;
	i = first_ending_after(set, r.start);
	return i < set->count && set->ranges[i].start < r.end;
}

uint64_t
tdxsim_rangeset_bytes(const struct tdxsim_rangeset *set)
{
	uint64_t total = 0;

	for (size_t i = 0; i < set->count; i++)
		total += tdxsim_range_size(set->ranges[i]);
	return total;
}
