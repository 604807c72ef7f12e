/* SPDX-License-Identifier: MIT */
/*
 * Half-open address ranges [start, end) over 64-bit addresses, and sorted,
 * merged sets of them. All memory reasoning in tdxsim goes through these:
 * nothing is ever tracked per page (design.md principle 4).
 *
 * A range ending at 2^64 cannot be represented; constructors refuse it
 * rather than wrap. Empty ranges (start == end) are valid values but never
 * stored in a set.
 */
#ifndef TDXSIM_UTIL_RANGE_H
#define TDXSIM_UTIL_RANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tdxsim_range {
	uint64_t start;
	uint64_t end;
};

/* [start, end); false (and *out untouched) when end < start. */
bool tdxsim_range_make(uint64_t start, uint64_t end, struct tdxsim_range *out);

/* [base, base + size); false when base + size passes 2^64 - 1. */
bool tdxsim_range_from_base_size(uint64_t base, uint64_t size,
				 struct tdxsim_range *out);

/* [first, last + 1) as dmesg prints "first-last"; false when last < first
 * or last is 2^64 - 1. */
bool tdxsim_range_from_inclusive(uint64_t first, uint64_t last,
				 struct tdxsim_range *out);

static inline uint64_t
tdxsim_range_size(struct tdxsim_range r)
{
	return r.end - r.start;
}

static inline bool
tdxsim_range_is_empty(struct tdxsim_range r)
{
	return r.end <= r.start;
}

static inline bool
tdxsim_range_contains(struct tdxsim_range r, uint64_t addr)
{
	return addr >= r.start && addr < r.end;
}

/* Share at least one byte. Empty ranges overlap nothing. */
static inline bool
tdxsim_range_overlaps(struct tdxsim_range a, struct tdxsim_range b)
{
	return a.start < b.end && b.start < a.end &&
	       !tdxsim_range_is_empty(a) && !tdxsim_range_is_empty(b);
}

/* Every byte of inner lies in outer. An empty inner is covered by anything. */
static inline bool
tdxsim_range_covers(struct tdxsim_range outer, struct tdxsim_range inner)
{
	return tdxsim_range_is_empty(inner) ||
	       (inner.start >= outer.start && inner.end <= outer.end);
}

/* Bytes common to both; empty (start == end) when they do not overlap. */
struct tdxsim_range tdxsim_range_intersection(struct tdxsim_range a,
					      struct tdxsim_range b);

/*
 * A sorted set of disjoint, non-adjacent, non-empty ranges: adjacent and
 * overlapping ranges are merged as they are added. Zero-initialise or use
 * tdxsim_rangeset_init(); free with tdxsim_rangeset_fini().
 */
struct tdxsim_rangeset {
	struct tdxsim_range *ranges;
	size_t count;
	size_t capacity;
};

void tdxsim_rangeset_init(struct tdxsim_rangeset *set);
void tdxsim_rangeset_fini(struct tdxsim_rangeset *set);
void tdxsim_rangeset_clear(struct tdxsim_rangeset *set);

/* Union with one range. 0 or -ENOMEM (the set is unchanged on failure). */
int tdxsim_rangeset_add(struct tdxsim_rangeset *set, struct tdxsim_range r);

/* Remove one range. 0 or -ENOMEM (a split may need one more slot). */
int tdxsim_rangeset_subtract(struct tdxsim_rangeset *set, struct tdxsim_range r);

/* dst |= src. 0 or -ENOMEM. */
int tdxsim_rangeset_union(struct tdxsim_rangeset *dst,
			  const struct tdxsim_rangeset *src);

/* dst -= src. 0 or -ENOMEM. */
int tdxsim_rangeset_subtract_set(struct tdxsim_rangeset *dst,
				 const struct tdxsim_rangeset *src);

/* dst = a & b (dst may be neither a nor b). 0 or -ENOMEM. */
int tdxsim_rangeset_intersect(struct tdxsim_rangeset *dst,
			      const struct tdxsim_rangeset *a,
			      const struct tdxsim_rangeset *b);

/* dst = copy of src. 0 or -ENOMEM. */
int tdxsim_rangeset_copy(struct tdxsim_rangeset *dst,
			 const struct tdxsim_rangeset *src);

/* addr lies in the set. O(log n). */
bool tdxsim_rangeset_contains(const struct tdxsim_rangeset *set, uint64_t addr);

/* Every byte of r lies in the set (so r lies within one member). O(log n). */
bool tdxsim_rangeset_covers(const struct tdxsim_rangeset *set,
			    struct tdxsim_range r);

/* Some byte of r lies in the set. O(log n). */
bool tdxsim_rangeset_intersects(const struct tdxsim_rangeset *set,
				struct tdxsim_range r);

/* Total bytes in the set. Cannot overflow: members are disjoint and end
 * below 2^64. */
uint64_t tdxsim_rangeset_bytes(const struct tdxsim_rangeset *set);

#endif /* TDXSIM_UTIL_RANGE_H */
