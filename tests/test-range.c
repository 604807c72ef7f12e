/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/util/range.h: single ranges at the edges of the 64-bit
 * address space, range sets operation by operation, and a randomized
 * differential test of the set against a bitmap model.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "range.h"

#define MAX64 UINT64_MAX
#define TOP ((uint64_t)1 << 63)

static struct tdxsim_range
rng(uint64_t start, uint64_t end)
{
	struct tdxsim_range r = { start, end };

	return r;
}

/* The set's representation invariants; any violation is a library bug. */
static void
check_invariants(const struct tdxsim_rangeset *set)
{
	assert_true(set->count <= set->capacity);
	if (set->count)
		assert_non_null(set->ranges);
	for (size_t i = 0; i < set->count; i++) {
		assert_true(set->ranges[i].start < set->ranges[i].end);
		/* Strictly greater: adjacent members must have been merged. */
		if (i > 0)
			assert_true(set->ranges[i - 1].end < set->ranges[i].start);
	}
}

static void
print_set(const char *what, const struct tdxsim_range *r, size_t n)
{
	print_message("%s (%zu):", what, n);
	for (size_t i = 0; i < n; i++)
		print_message(" [0x%" PRIx64 ", 0x%" PRIx64 ")", r[i].start,
			      r[i].end);
	print_message("\n");
}

static void
expect_set(const struct tdxsim_rangeset *set, const struct tdxsim_range *want,
	   size_t n)
{
	bool same = set->count == n;

	check_invariants(set);
	for (size_t i = 0; same && i < n; i++)
		same = set->ranges[i].start == want[i].start &&
		       set->ranges[i].end == want[i].end;
	if (!same) {
		print_set("got ", set->ranges, set->count);
		print_set("want", want, n);
	}
	assert_true(same);
}

#define EXPECT_SET(set, ...) do { \
	const struct tdxsim_range want_[] = { __VA_ARGS__ }; \
	expect_set((set), want_, sizeof(want_) / sizeof(want_[0])); \
} while (0)

static void
add_all(struct tdxsim_rangeset *set, const struct tdxsim_range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(tdxsim_rangeset_add(set, r[i]), 0);
}

#define ADD_ALL(set, ...) do { \
	const struct tdxsim_range add_[] = { __VA_ARGS__ }; \
	add_all((set), add_, sizeof(add_) / sizeof(add_[0])); \
} while (0)

/* Four members with gaps of 10 between them, used by many tests. */
static void
four_members(struct tdxsim_rangeset *set)
{
	tdxsim_rangeset_init(set);
	ADD_ALL(set, rng(0, 10), rng(20, 30), rng(40, 50), rng(60, 70));
	EXPECT_SET(set, rng(0, 10), rng(20, 30), rng(40, 50), rng(60, 70));
}

/* ---- single ranges ---------------------------------------------------- */

static void
test_make(void **state)
{
	struct tdxsim_range r = rng(111, 222);

	(void)state;
	assert_true(tdxsim_range_make(5, 5, &r));
	assert_true(r.start == 5 && r.end == 5);
	assert_true(tdxsim_range_is_empty(r));

	assert_true(tdxsim_range_make(0, MAX64, &r));
	assert_true(r.start == 0 && r.end == MAX64);
	assert_true(tdxsim_range_size(r) == MAX64);

	assert_true(tdxsim_range_make(MAX64, MAX64, &r));
	assert_true(tdxsim_range_is_empty(r));

	/* Refusals leave *out alone. */
	r = rng(111, 222);
	assert_false(tdxsim_range_make(5, 4, &r));
	assert_false(tdxsim_range_make(MAX64, 0, &r));
	assert_false(tdxsim_range_make(1, 0, &r));
	assert_true(r.start == 111 && r.end == 222);
}

static void
test_from_base_size(void **state)
{
	struct tdxsim_range r = rng(111, 222);

	(void)state;
	assert_true(tdxsim_range_from_base_size(0, 0, &r));
	assert_true(r.start == 0 && r.end == 0);

	assert_true(tdxsim_range_from_base_size(0x1000, 0x2000, &r));
	assert_true(r.start == 0x1000 && r.end == 0x3000);

	/* Ending exactly at 2^64 - 1 is representable. */
	assert_true(tdxsim_range_from_base_size(0, MAX64, &r));
	assert_true(r.start == 0 && r.end == MAX64);
	assert_true(tdxsim_range_from_base_size(MAX64 - 1, 1, &r));
	assert_true(r.start == MAX64 - 1 && r.end == MAX64);
	assert_true(tdxsim_range_from_base_size(MAX64, 0, &r));
	assert_true(r.start == MAX64 && r.end == MAX64);
	assert_true(tdxsim_range_from_base_size(TOP, TOP - 1, &r));
	assert_true(r.start == TOP && r.end == MAX64);

	/* base + size == 2^64 would wrap to 0; anything beyond wraps further. */
	r = rng(111, 222);
	assert_false(tdxsim_range_from_base_size(1, MAX64, &r));
	assert_false(tdxsim_range_from_base_size(MAX64, 1, &r));
	assert_false(tdxsim_range_from_base_size(TOP, TOP, &r));
	assert_false(tdxsim_range_from_base_size(MAX64, MAX64, &r));
	assert_false(tdxsim_range_from_base_size(0x1000, MAX64 - 0xfff, &r));
	assert_true(r.start == 111 && r.end == 222);
}

static void
test_from_inclusive(void **state)
{
	struct tdxsim_range r = rng(111, 222);

	(void)state;
	assert_true(tdxsim_range_from_inclusive(0, 0, &r));
	assert_true(r.start == 0 && r.end == 1);

	assert_true(tdxsim_range_from_inclusive(0, 0x9ffff, &r));
	assert_true(r.start == 0 && r.end == 0xa0000);

	assert_true(tdxsim_range_from_inclusive(0, MAX64 - 1, &r));
	assert_true(r.start == 0 && r.end == MAX64);
	assert_true(tdxsim_range_from_inclusive(MAX64 - 1, MAX64 - 1, &r));
	assert_true(r.start == MAX64 - 1 && r.end == MAX64);

	r = rng(111, 222);
	/* last == 2^64 - 1 would need end == 2^64. */
	assert_false(tdxsim_range_from_inclusive(0, MAX64, &r));
	assert_false(tdxsim_range_from_inclusive(MAX64, MAX64, &r));
	assert_false(tdxsim_range_from_inclusive(5, 4, &r));
	assert_false(tdxsim_range_from_inclusive(MAX64, 0, &r));
	assert_true(r.start == 111 && r.end == 222);
}

static void
test_size_empty_contains(void **state)
{
	(void)state;
	assert_true(tdxsim_range_size(rng(0x1000, 0x3000)) == 0x2000);
	assert_true(tdxsim_range_size(rng(7, 7)) == 0);
	assert_false(tdxsim_range_is_empty(rng(0, 1)));
	assert_true(tdxsim_range_is_empty(rng(0, 0)));
	assert_true(tdxsim_range_is_empty(rng(MAX64, MAX64)));

	assert_true(tdxsim_range_contains(rng(10, 20), 10));
	assert_true(tdxsim_range_contains(rng(10, 20), 19));
	assert_false(tdxsim_range_contains(rng(10, 20), 20));
	assert_false(tdxsim_range_contains(rng(10, 20), 9));
	assert_false(tdxsim_range_contains(rng(10, 10), 10));
	assert_true(tdxsim_range_contains(rng(0, MAX64), 0));
	assert_true(tdxsim_range_contains(rng(0, MAX64), MAX64 - 1));
	/* The last address is never in any representable range. */
	assert_false(tdxsim_range_contains(rng(0, MAX64), MAX64));
}

static void
test_overlaps(void **state)
{
	(void)state;
	assert_true(tdxsim_range_overlaps(rng(0, 10), rng(5, 15)));
	assert_true(tdxsim_range_overlaps(rng(5, 15), rng(0, 10)));
	assert_true(tdxsim_range_overlaps(rng(0, 10), rng(9, 10)));
	assert_true(tdxsim_range_overlaps(rng(0, 10), rng(0, 10)));
	assert_true(tdxsim_range_overlaps(rng(0, 100), rng(40, 41)));
	assert_true(tdxsim_range_overlaps(rng(MAX64 - 2, MAX64),
					  rng(MAX64 - 1, MAX64)));
	/* Adjacent ranges share no byte. */
	assert_false(tdxsim_range_overlaps(rng(0, 10), rng(10, 20)));
	assert_false(tdxsim_range_overlaps(rng(10, 20), rng(0, 10)));
	assert_false(tdxsim_range_overlaps(rng(0, 10), rng(11, 20)));
	/* Empty ranges overlap nothing, not even a range around them. */
	assert_false(tdxsim_range_overlaps(rng(0, 10), rng(5, 5)));
	assert_false(tdxsim_range_overlaps(rng(5, 5), rng(0, 10)));
	assert_false(tdxsim_range_overlaps(rng(5, 5), rng(5, 5)));
}

static void
test_covers(void **state)
{
	(void)state;
	assert_true(tdxsim_range_covers(rng(0, 10), rng(0, 10)));
	assert_true(tdxsim_range_covers(rng(0, 10), rng(0, 1)));
	assert_true(tdxsim_range_covers(rng(0, 10), rng(9, 10)));
	assert_true(tdxsim_range_covers(rng(0, MAX64), rng(MAX64 - 1, MAX64)));
	assert_false(tdxsim_range_covers(rng(0, 10), rng(0, 11)));
	assert_false(tdxsim_range_covers(rng(1, 10), rng(0, 10)));
	assert_false(tdxsim_range_covers(rng(0, 10), rng(10, 11)));
	assert_false(tdxsim_range_covers(rng(0, 10), rng(0, 20)));
	/* An empty inner is covered by anything, even far away or empty. */
	assert_true(tdxsim_range_covers(rng(0, 10), rng(100, 100)));
	assert_true(tdxsim_range_covers(rng(5, 5), rng(100, 100)));
	/* A non-empty inner is never covered by an empty outer. */
	assert_false(tdxsim_range_covers(rng(5, 5), rng(5, 6)));
}

static void
expect_range(struct tdxsim_range got, uint64_t start, uint64_t end)
{
	if (got.start != start || got.end != end)
		print_message("got [0x%" PRIx64 ", 0x%" PRIx64 ") want [0x%"
			      PRIx64 ", 0x%" PRIx64 ")\n",
			      got.start, got.end, start, end);
	assert_true(got.start == start && got.end == end);
}

static void
test_intersection(void **state)
{
	struct tdxsim_range r;

	(void)state;
	expect_range(tdxsim_range_intersection(rng(0, 10), rng(5, 15)), 5, 10);
	expect_range(tdxsim_range_intersection(rng(5, 15), rng(0, 10)), 5, 10);
	expect_range(tdxsim_range_intersection(rng(0, 100), rng(20, 30)), 20, 30);
	expect_range(tdxsim_range_intersection(rng(0, MAX64),
					       rng(MAX64 - 5, MAX64)),
		     MAX64 - 5, MAX64);

	/* No common byte: empty, whatever its position. */
	r = tdxsim_range_intersection(rng(0, 10), rng(10, 20));
	assert_true(tdxsim_range_is_empty(r));
	assert_true(r.start == r.end);
	r = tdxsim_range_intersection(rng(0, 10), rng(11, 20));
	assert_true(r.start == r.end);
	r = tdxsim_range_intersection(rng(11, 20), rng(0, 10));
	assert_true(r.start == r.end);
	r = tdxsim_range_intersection(rng(0, 10), rng(50, 60));
	assert_true(tdxsim_range_is_empty(r));
	assert_true(r.start == r.end);
	r = tdxsim_range_intersection(rng(50, 60), rng(0, 10));
	assert_true(r.start == r.end);
	r = tdxsim_range_intersection(rng(0, 10), rng(5, 5));
	assert_true(tdxsim_range_is_empty(r));
}

/* ---- range sets: single operations ------------------------------------- */

static void
test_set_empty(void **state)
{
	struct tdxsim_rangeset set = { 0 };

	(void)state;
	check_invariants(&set);
	assert_false(tdxsim_rangeset_contains(&set, 0));
	assert_false(tdxsim_rangeset_contains(&set, MAX64));
	assert_true(tdxsim_rangeset_covers(&set, rng(5, 5)));
	assert_false(tdxsim_rangeset_covers(&set, rng(0, 1)));
	assert_false(tdxsim_rangeset_intersects(&set, rng(0, MAX64)));
	assert_true(tdxsim_rangeset_bytes(&set) == 0);

	/* Empty ranges are never stored; subtracting from nothing is fine. */
	assert_int_equal(tdxsim_rangeset_add(&set, rng(5, 5)), 0);
	assert_int_equal(set.count, 0);
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(0, 100)), 0);
	assert_int_equal(set.count, 0);
	tdxsim_rangeset_fini(&set);

	tdxsim_rangeset_init(&set);
	assert_null(set.ranges);
	assert_int_equal(set.count, 0);
	assert_int_equal(set.capacity, 0);
	tdxsim_rangeset_fini(&set);
	/* fini leaves an empty, reusable set. */
	assert_null(set.ranges);
	assert_int_equal(set.count, 0);
}

static void
test_add_sorted_disjoint(void **state)
{
	struct tdxsim_rangeset set;

	(void)state;
	tdxsim_rangeset_init(&set);
	ADD_ALL(&set, rng(40, 50), rng(0, 10), rng(60, 70), rng(20, 30));
	EXPECT_SET(&set, rng(0, 10), rng(20, 30), rng(40, 50), rng(60, 70));
	/* Enough members to make the array grow past its first allocation. */
	for (uint64_t i = 0; i < 100; i++)
		assert_int_equal(tdxsim_rangeset_add(&set,
				 rng(1000 + (99 - i) * 3, 1000 + (99 - i) * 3 + 1)), 0);
	check_invariants(&set);
	assert_int_equal(set.count, 104);
	assert_true(tdxsim_rangeset_bytes(&set) == 140);
	tdxsim_rangeset_clear(&set);
	assert_int_equal(set.count, 0);
	assert_false(tdxsim_rangeset_contains(&set, 0));
	tdxsim_rangeset_fini(&set);
}

static void
test_add_merges_overlapping(void **state)
{
	struct tdxsim_rangeset set;

	(void)state;
	tdxsim_rangeset_init(&set);
	ADD_ALL(&set, rng(10, 20), rng(15, 25));
	EXPECT_SET(&set, rng(10, 25));
	ADD_ALL(&set, rng(5, 11));
	EXPECT_SET(&set, rng(5, 25));
	ADD_ALL(&set, rng(24, 30));
	EXPECT_SET(&set, rng(5, 30));
	tdxsim_rangeset_fini(&set);
}

static void
test_add_merges_adjacent(void **state)
{
	struct tdxsim_rangeset set;

	(void)state;
	tdxsim_rangeset_init(&set);
	ADD_ALL(&set, rng(10, 20), rng(20, 30));
	EXPECT_SET(&set, rng(10, 30));
	ADD_ALL(&set, rng(0, 10));
	EXPECT_SET(&set, rng(0, 30));
	/* One past adjacency stays separate. */
	ADD_ALL(&set, rng(31, 40));
	EXPECT_SET(&set, rng(0, 30), rng(31, 40));
	/* Filling the single-byte gap joins both neighbours. */
	ADD_ALL(&set, rng(30, 31));
	EXPECT_SET(&set, rng(0, 40));
	tdxsim_rangeset_fini(&set);
}

static void
test_add_inside_around_bridging(void **state)
{
	struct tdxsim_rangeset set;

	(void)state;
	four_members(&set);
	/* Inside one member and equal to one member: no change. */
	ADD_ALL(&set, rng(22, 28), rng(40, 50));
	EXPECT_SET(&set, rng(0, 10), rng(20, 30), rng(40, 50), rng(60, 70));
	/* Into a gap without touching anything. */
	ADD_ALL(&set, rng(12, 18));
	EXPECT_SET(&set, rng(0, 10), rng(12, 18), rng(20, 30), rng(40, 50),
		   rng(60, 70));
	/* Around one member, touching none of the others. */
	ADD_ALL(&set, rng(35, 55));
	EXPECT_SET(&set, rng(0, 10), rng(12, 18), rng(20, 30), rng(35, 55),
		   rng(60, 70));
	/* Bridging several members from inside the first to inside the last. */
	ADD_ALL(&set, rng(5, 45));
	EXPECT_SET(&set, rng(0, 55), rng(60, 70));
	tdxsim_rangeset_fini(&set);

	/* Bridging by exact adjacency at both ends. */
	four_members(&set);
	ADD_ALL(&set, rng(10, 60));
	EXPECT_SET(&set, rng(0, 70));
	tdxsim_rangeset_fini(&set);

	/* Around all members at once. */
	four_members(&set);
	ADD_ALL(&set, rng(1000, 1001), rng(0, 100));
	EXPECT_SET(&set, rng(0, 100), rng(1000, 1001));
	tdxsim_rangeset_fini(&set);

	/* Bridging the middle two only. */
	four_members(&set);
	ADD_ALL(&set, rng(30, 40));
	EXPECT_SET(&set, rng(0, 10), rng(20, 50), rng(60, 70));
	tdxsim_rangeset_fini(&set);
}

static void
test_add_at_top(void **state)
{
	struct tdxsim_rangeset set;

	(void)state;
	tdxsim_rangeset_init(&set);
	ADD_ALL(&set, rng(MAX64 - 10, MAX64), rng(0, 1));
	EXPECT_SET(&set, rng(0, 1), rng(MAX64 - 10, MAX64));
	ADD_ALL(&set, rng(MAX64 - 20, MAX64 - 10));
	EXPECT_SET(&set, rng(0, 1), rng(MAX64 - 20, MAX64));
	assert_true(tdxsim_rangeset_contains(&set, MAX64 - 1));
	assert_false(tdxsim_rangeset_contains(&set, MAX64));
	assert_true(tdxsim_rangeset_bytes(&set) == 21);
	ADD_ALL(&set, rng(1, MAX64 - 20));
	EXPECT_SET(&set, rng(0, MAX64));
	assert_true(tdxsim_rangeset_bytes(&set) == MAX64);
	tdxsim_rangeset_fini(&set);
}

static void
test_subtract_split(void **state)
{
	struct tdxsim_rangeset set;

	(void)state;
	tdxsim_rangeset_init(&set);
	ADD_ALL(&set, rng(0, 100), rng(200, 300));
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(10, 20)), 0);
	EXPECT_SET(&set, rng(0, 10), rng(20, 100), rng(200, 300));
	/* Single byte holes, over and over, grow the array. */
	for (uint64_t a = 201; a < 299; a += 2)
		assert_int_equal(tdxsim_rangeset_subtract(&set, rng(a, a + 1)), 0);
	check_invariants(&set);
	assert_int_equal(set.count, 3 + 49);
	assert_true(tdxsim_rangeset_contains(&set, 200));
	assert_false(tdxsim_rangeset_contains(&set, 201));
	assert_false(tdxsim_rangeset_contains(&set, 297));
	assert_true(tdxsim_rangeset_contains(&set, 298));
	assert_true(tdxsim_rangeset_contains(&set, 299));
	assert_false(tdxsim_rangeset_contains(&set, 300));
	assert_true(tdxsim_rangeset_bytes(&set) == 90 + 51);
	tdxsim_rangeset_fini(&set);
}

static void
test_subtract_across(void **state)
{
	struct tdxsim_rangeset set;

	(void)state;
	four_members(&set);
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(5, 65)), 0);
	EXPECT_SET(&set, rng(0, 5), rng(65, 70));
	tdxsim_rangeset_fini(&set);

	/* From a gap to a gap: whole members in between vanish. */
	four_members(&set);
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(15, 55)), 0);
	EXPECT_SET(&set, rng(0, 10), rng(60, 70));
	tdxsim_rangeset_fini(&set);

	/* Everything. */
	four_members(&set);
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(0, MAX64)), 0);
	EXPECT_SET(&set);
	tdxsim_rangeset_fini(&set);

	/* Trimming the tail of one member and the head of the next. */
	four_members(&set);
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(25, 45)), 0);
	EXPECT_SET(&set, rng(0, 10), rng(20, 25), rng(45, 50), rng(60, 70));
	tdxsim_rangeset_fini(&set);
}

static void
test_subtract_edges(void **state)
{
	struct tdxsim_rangeset set;

	(void)state;
	four_members(&set);
	/* Nothing to do: empty, in a gap, adjacent on either side. */
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(25, 25)), 0);
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(11, 19)), 0);
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(10, 20)), 0);
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(70, 1000)), 0);
	EXPECT_SET(&set, rng(0, 10), rng(20, 30), rng(40, 50), rng(60, 70));
	/* Exactly one member. */
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(20, 30)), 0);
	EXPECT_SET(&set, rng(0, 10), rng(40, 50), rng(60, 70));
	/* Its head, its tail. */
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(0, 1)), 0);
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(49, 50)), 0);
	EXPECT_SET(&set, rng(1, 10), rng(40, 49), rng(60, 70));
	/* One byte over each edge. */
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(0, 2)), 0);
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(69, 71)), 0);
	EXPECT_SET(&set, rng(2, 10), rng(40, 49), rng(60, 69));
	tdxsim_rangeset_fini(&set);

	/* At the top of the address space. */
	tdxsim_rangeset_init(&set);
	ADD_ALL(&set, rng(MAX64 - 100, MAX64));
	assert_int_equal(tdxsim_rangeset_subtract(&set, rng(MAX64 - 1, MAX64)), 0);
	EXPECT_SET(&set, rng(MAX64 - 100, MAX64 - 1));
	assert_int_equal(tdxsim_rangeset_subtract(&set,
			 rng(MAX64 - 50, MAX64 - 49)), 0);
	EXPECT_SET(&set, rng(MAX64 - 100, MAX64 - 50),
		   rng(MAX64 - 49, MAX64 - 1));
	tdxsim_rangeset_fini(&set);
}

static void
test_union(void **state)
{
	struct tdxsim_rangeset a, b;

	(void)state;
	four_members(&a);
	tdxsim_rangeset_init(&b);
	ADD_ALL(&b, rng(10, 20), rng(45, 55), rng(100, 110));
	assert_int_equal(tdxsim_rangeset_union(&a, &b), 0);
	EXPECT_SET(&a, rng(0, 30), rng(40, 55), rng(60, 70), rng(100, 110));
	/* src untouched. */
	EXPECT_SET(&b, rng(10, 20), rng(45, 55), rng(100, 110));
	/* With itself: unchanged. */
	assert_int_equal(tdxsim_rangeset_union(&a, &a), 0);
	EXPECT_SET(&a, rng(0, 30), rng(40, 55), rng(60, 70), rng(100, 110));
	/* Empty src. */
	tdxsim_rangeset_clear(&b);
	assert_int_equal(tdxsim_rangeset_union(&a, &b), 0);
	EXPECT_SET(&a, rng(0, 30), rng(40, 55), rng(60, 70), rng(100, 110));
	/* Into an empty dst. */
	assert_int_equal(tdxsim_rangeset_union(&b, &a), 0);
	EXPECT_SET(&b, rng(0, 30), rng(40, 55), rng(60, 70), rng(100, 110));
	tdxsim_rangeset_fini(&a);
	tdxsim_rangeset_fini(&b);
}

static void
test_subtract_set(void **state)
{
	struct tdxsim_rangeset a, b;

	(void)state;
	four_members(&a);
	tdxsim_rangeset_init(&b);
	ADD_ALL(&b, rng(5, 25), rng(42, 44), rng(60, 70), rng(100, 110));
	assert_int_equal(tdxsim_rangeset_subtract_set(&a, &b), 0);
	EXPECT_SET(&a, rng(0, 5), rng(25, 30), rng(40, 42), rng(44, 50));
	EXPECT_SET(&b, rng(5, 25), rng(42, 44), rng(60, 70), rng(100, 110));
	/* Subtracting a superset leaves nothing. */
	tdxsim_rangeset_clear(&b);
	ADD_ALL(&b, rng(0, 1000));
	assert_int_equal(tdxsim_rangeset_subtract_set(&a, &b), 0);
	EXPECT_SET(&a);
	tdxsim_rangeset_fini(&a);
	tdxsim_rangeset_fini(&b);
}

/*
 * dst -= dst must leave nothing. The header forbids aliasing only for
 * intersect, so subtract_set must cope with dst == src.
 */
static void
test_subtract_set_self(void **state)
{
	struct tdxsim_rangeset a;
	size_t left;
	int ret;

	(void)state;
	four_members(&a);
	ret = tdxsim_rangeset_subtract_set(&a, &a);
	left = a.count;
	if (left)
		print_set("left over", a.ranges, a.count);
	/* Free before asserting so a failure here leaks nothing. */
	tdxsim_rangeset_fini(&a);
	assert_int_equal(ret, 0);
	assert_int_equal(left, 0);
}

static void
test_intersect(void **state)
{
	struct tdxsim_rangeset a, b, dst;

	(void)state;
	four_members(&a);
	tdxsim_rangeset_init(&b);
	tdxsim_rangeset_init(&dst);
	ADD_ALL(&b, rng(5, 25), rng(30, 40), rng(45, 46), rng(48, 65),
		rng(69, 1000));
	/* dst starts non-empty: its old content must go. */
	ADD_ALL(&dst, rng(5000, 6000));
	assert_int_equal(tdxsim_rangeset_intersect(&dst, &a, &b), 0);
	EXPECT_SET(&dst, rng(5, 10), rng(20, 25), rng(45, 46), rng(48, 50),
		   rng(60, 65), rng(69, 70));
	/* Symmetric. */
	assert_int_equal(tdxsim_rangeset_intersect(&dst, &b, &a), 0);
	EXPECT_SET(&dst, rng(5, 10), rng(20, 25), rng(45, 46), rng(48, 50),
		   rng(60, 65), rng(69, 70));
	/* With an empty set. */
	tdxsim_rangeset_clear(&b);
	assert_int_equal(tdxsim_rangeset_intersect(&dst, &a, &b), 0);
	EXPECT_SET(&dst);
	/* Only adjacency, no common byte. */
	ADD_ALL(&b, rng(10, 20), rng(30, 40));
	assert_int_equal(tdxsim_rangeset_intersect(&dst, &a, &b), 0);
	EXPECT_SET(&dst);
	tdxsim_rangeset_fini(&a);
	tdxsim_rangeset_fini(&b);
	tdxsim_rangeset_fini(&dst);
}

static void
test_copy(void **state)
{
	struct tdxsim_rangeset a, b;

	(void)state;
	four_members(&a);
	tdxsim_rangeset_init(&b);
	ADD_ALL(&b, rng(1, 2), rng(3, 4), rng(5, 6), rng(7, 8), rng(9, 10),
		rng(11, 12));
	assert_int_equal(tdxsim_rangeset_copy(&b, &a), 0);
	EXPECT_SET(&b, rng(0, 10), rng(20, 30), rng(40, 50), rng(60, 70));
	/* A deep copy: changing one leaves the other. */
	ADD_ALL(&b, rng(10, 20));
	EXPECT_SET(&a, rng(0, 10), rng(20, 30), rng(40, 50), rng(60, 70));
	EXPECT_SET(&b, rng(0, 30), rng(40, 50), rng(60, 70));
	/* Onto itself: unchanged. */
	assert_int_equal(tdxsim_rangeset_copy(&b, &b), 0);
	EXPECT_SET(&b, rng(0, 30), rng(40, 50), rng(60, 70));
	/* Copying an empty set empties dst. */
	tdxsim_rangeset_clear(&a);
	assert_int_equal(tdxsim_rangeset_copy(&b, &a), 0);
	EXPECT_SET(&b);
	tdxsim_rangeset_fini(&a);
	tdxsim_rangeset_fini(&b);
}

static void
test_queries(void **state)
{
	struct tdxsim_rangeset set;

	(void)state;
	tdxsim_rangeset_init(&set);
	/* [0, 20) added as two adjacent halves, then a gap byte at 20. */
	ADD_ALL(&set, rng(0, 10), rng(10, 20), rng(21, 30));
	EXPECT_SET(&set, rng(0, 20), rng(21, 30));

	assert_true(tdxsim_rangeset_contains(&set, 0));
	assert_true(tdxsim_rangeset_contains(&set, 10));
	assert_true(tdxsim_rangeset_contains(&set, 19));
	assert_false(tdxsim_rangeset_contains(&set, 20));
	assert_true(tdxsim_rangeset_contains(&set, 21));
	assert_true(tdxsim_rangeset_contains(&set, 29));
	assert_false(tdxsim_rangeset_contains(&set, 30));
	assert_false(tdxsim_rangeset_contains(&set, MAX64));

	/* Across the two adjacent additions, now one member. */
	assert_true(tdxsim_rangeset_covers(&set, rng(5, 15)));
	assert_true(tdxsim_rangeset_covers(&set, rng(0, 20)));
	assert_true(tdxsim_rangeset_covers(&set, rng(21, 30)));
	/* Across the gap, or one byte out at either end. */
	assert_false(tdxsim_rangeset_covers(&set, rng(15, 25)));
	assert_false(tdxsim_rangeset_covers(&set, rng(0, 30)));
	assert_false(tdxsim_rangeset_covers(&set, rng(0, 21)));
	assert_false(tdxsim_rangeset_covers(&set, rng(20, 21)));
	assert_false(tdxsim_rangeset_covers(&set, rng(21, 31)));
	assert_false(tdxsim_rangeset_covers(&set, rng(100, 101)));
	/* Empty: covered even in the gap or beyond the last member. */
	assert_true(tdxsim_rangeset_covers(&set, rng(20, 20)));
	assert_true(tdxsim_rangeset_covers(&set, rng(500, 500)));

	assert_true(tdxsim_rangeset_intersects(&set, rng(19, 21)));
	assert_true(tdxsim_rangeset_intersects(&set, rng(20, 22)));
	assert_true(tdxsim_rangeset_intersects(&set, rng(0, MAX64)));
	assert_true(tdxsim_rangeset_intersects(&set, rng(29, 30)));
	assert_false(tdxsim_rangeset_intersects(&set, rng(20, 21)));
	assert_false(tdxsim_rangeset_intersects(&set, rng(30, 40)));
	assert_false(tdxsim_rangeset_intersects(&set, rng(5, 5)));

	assert_true(tdxsim_rangeset_bytes(&set) == 29);
	tdxsim_rangeset_fini(&set);
}

/* ---- randomized differential test against a bitmap model --------------- */

#define UNITS 512
#define LOW_UNITS 440       /* [u * LOW_K, (u + 1) * LOW_K) for u < LOW_UNITS */
#define LOW_K ((uint64_t)1 << 36)
#define TINY_UNITS 8        /* the last units are one byte each, ending at 2^64 - 1 */
#define MID_K 4096          /* the units just below the tiny ones */
#define OPS 20000

/*
 * The model: unit u stands for the address range [bound[u], bound[u + 1]).
 * Units are wildly different in size (a huge one bridges the low part and
 * the top of the address space) so the set sees realistic and extreme
 * addresses alike; every operation uses unit boundaries, so the set is
 * always a union of whole units and can be compared exactly.
 */
struct model {
	uint64_t bound[UNITS + 1];
	bool bit[UNITS];
	uint64_t rng;
};

static uint64_t
xorshift(struct model *m)
{
	/* xorshift64*: fixed seed, same sequence on every run and libc. */
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return m->rng * 0x2545f4914f6cdd1dULL;
}

static unsigned
below(struct model *m, unsigned n)
{
	return (unsigned)(xorshift(m) % n);
}

static void
model_init(struct model *m, uint64_t seed)
{
	memset(m, 0, sizeof(*m));
	m->rng = seed;
	for (unsigned b = 0; b <= LOW_UNITS; b++)
		m->bound[b] = b * LOW_K;
	for (unsigned b = LOW_UNITS + 1; b <= UNITS; b++) {
		unsigned from_top = UNITS - b;

		if (from_top <= TINY_UNITS)
			m->bound[b] = MAX64 - from_top;
		else
			m->bound[b] = MAX64 - TINY_UNITS -
				      (from_top - TINY_UNITS) * MID_K;
	}
	for (unsigned b = 0; b < UNITS; b++)
		assert_true(m->bound[b] < m->bound[b + 1]);
}

/* Unit boundaries [*lo, *hi), biased to short runs so the set fragments. */
static void
random_units(struct model *m, unsigned *lo, unsigned *hi)
{
	unsigned len;

	switch (below(m, 8)) {
	case 0:
		len = below(m, UNITS + 1);
		break;
	case 1:
		len = 0;
		break;
	default:
		len = 1 + below(m, 12);
		break;
	}
	*lo = below(m, UNITS + 1);
	/* Pin some runs to the top so the last byte is exercised often. */
	if (below(m, 8) == 0)
		*lo = UNITS - (len < UNITS ? len : UNITS);
	*hi = *lo + len > UNITS ? UNITS : *lo + len;
}

static struct tdxsim_range
units_range(const struct model *m, unsigned lo, unsigned hi)
{
	return rng(m->bound[lo], m->bound[hi]);
}

/* Compare set and bits: the set must be exactly the maximal runs of bits. */
static void
model_check(const struct model *m, const bool *bit,
	    const struct tdxsim_rangeset *set, unsigned op)
{
	size_t idx = 0;
	unsigned u = 0;

	check_invariants(set);
	while (u < UNITS) {
		unsigned run;

		if (!bit[u]) {
			u++;
			continue;
		}
		for (run = u; run < UNITS && bit[run]; run++)
			;
		if (idx >= set->count ||
		    set->ranges[idx].start != m->bound[u] ||
		    set->ranges[idx].end != m->bound[run]) {
			print_message("op %u: member %zu differs from units "
				      "[%u, %u)\n", op, idx, u, run);
			print_set("set", set->ranges, set->count);
			fail();
		}
		idx++;
		u = run;
	}
	if (idx != set->count) {
		print_message("op %u: set has %zu members, model %zu\n", op,
			      set->count, idx);
		fail();
	}
}

static uint64_t
model_bytes(const struct model *m, const bool *bit)
{
	uint64_t total = 0;

	for (unsigned u = 0; u < UNITS; u++)
		if (bit[u])
			total += m->bound[u + 1] - m->bound[u];
	return total;
}

/* A second random set and its bits, for the set-to-set operations. */
static void
random_other(struct model *m, bool *bits, struct tdxsim_rangeset *other)
{
	unsigned n = below(m, 6);

	memset(bits, 0, UNITS * sizeof(*bits));
	tdxsim_rangeset_clear(other);
	for (unsigned i = 0; i < n; i++) {
		unsigned lo, hi;

		random_units(m, &lo, &hi);
		for (unsigned u = lo; u < hi; u++)
			bits[u] = true;
		assert_int_equal(tdxsim_rangeset_add(other,
						     units_range(m, lo, hi)), 0);
	}
}

/* An address inside unit u: its first byte, its last byte or in between. */
static uint64_t
random_addr_in(struct model *m, unsigned u)
{
	uint64_t size = m->bound[u + 1] - m->bound[u];

	switch (below(m, 3)) {
	case 0:
		return m->bound[u];
	case 1:
		return m->bound[u + 1] - 1;
	default:
		return m->bound[u] + xorshift(m) % size;
	}
}

static void
query_check(struct model *m, const struct tdxsim_rangeset *set, unsigned op)
{
	unsigned lo, hi, u = below(m, UNITS);
	bool all = true, any = false;
	uint64_t addr = random_addr_in(m, u);

	if (tdxsim_rangeset_contains(set, addr) != m->bit[u]) {
		print_message("op %u: contains(0x%" PRIx64 ") wrong\n", op, addr);
		fail();
	}
	random_units(m, &lo, &hi);
	for (unsigned v = lo; v < hi; v++) {
		all = all && m->bit[v];
		any = any || m->bit[v];
	}
	if (tdxsim_rangeset_covers(set, units_range(m, lo, hi)) != all ||
	    tdxsim_rangeset_intersects(set, units_range(m, lo, hi)) != any) {
		print_message("op %u: covers/intersects of units [%u, %u) wrong\n",
			      op, lo, hi);
		fail();
	}
	assert_true(tdxsim_rangeset_bytes(set) == model_bytes(m, m->bit));
}

/* One random mutation of set, mirrored in the model. */
static void
random_mutation(struct model *m, struct tdxsim_rangeset *set,
		struct tdxsim_rangeset *other, struct tdxsim_rangeset *tmp)
{
	bool other_bits[UNITS];
	unsigned lo, hi, kind = below(m, 16);

	if (kind < 12) {
		bool value = kind < 6;

		random_units(m, &lo, &hi);
		for (unsigned u = lo; u < hi; u++)
			m->bit[u] = value;
		assert_int_equal(value ?
				 tdxsim_rangeset_add(set, units_range(m, lo, hi)) :
				 tdxsim_rangeset_subtract(set, units_range(m, lo, hi)),
				 0);
		return;
	}
	random_other(m, other_bits, other);
	model_check(m, other_bits, other, 0);
	for (unsigned u = 0; u < UNITS; u++) {
		if (kind == 12)
			m->bit[u] = m->bit[u] || other_bits[u];
		else if (kind == 13)
			m->bit[u] = m->bit[u] && !other_bits[u];
		else if (kind == 14)
			m->bit[u] = m->bit[u] && other_bits[u];
	}
	if (kind == 12) {
		assert_int_equal(tdxsim_rangeset_union(set, other), 0);
	} else if (kind == 13) {
		assert_int_equal(tdxsim_rangeset_subtract_set(set, other), 0);
	} else if (kind == 14) {
		assert_int_equal(tdxsim_rangeset_intersect(tmp, set, other), 0);
		assert_int_equal(tdxsim_rangeset_copy(set, tmp), 0);
	} else {
		/* Round trip through a copy, then clear once in a while. */
		assert_int_equal(tdxsim_rangeset_copy(tmp, set), 0);
		assert_int_equal(tdxsim_rangeset_copy(set, tmp), 0);
		if (below(m, 16) == 0) {
			tdxsim_rangeset_clear(set);
			memset(m->bit, 0, sizeof(m->bit));
		}
	}
}

static void
test_differential(void **state)
{
	struct tdxsim_rangeset set, other, tmp;
	struct model *m = test_malloc(sizeof(*m));

	(void)state;
	model_init(m, 0x9e3779b97f4a7c15ULL);
	tdxsim_rangeset_init(&set);
	tdxsim_rangeset_init(&other);
	tdxsim_rangeset_init(&tmp);
	for (unsigned op = 1; op <= OPS; op++) {
		random_mutation(m, &set, &other, &tmp);
		model_check(m, m->bit, &set, op);
		query_check(m, &set, op);
	}
	tdxsim_rangeset_fini(&set);
	tdxsim_rangeset_fini(&other);
	tdxsim_rangeset_fini(&tmp);
	test_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make),
		cmocka_unit_test(test_from_base_size),
		cmocka_unit_test(test_from_inclusive),
		cmocka_unit_test(test_size_empty_contains),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_covers),
		cmocka_unit_test(test_intersection),
		cmocka_unit_test(test_set_empty),
		cmocka_unit_test(test_add_sorted_disjoint),
		cmocka_unit_test(test_add_merges_overlapping),
		cmocka_unit_test(test_add_merges_adjacent),
		cmocka_unit_test(test_add_inside_around_bridging),
		cmocka_unit_test(test_add_at_top),
		cmocka_unit_test(test_subtract_split),
		cmocka_unit_test(test_subtract_across),
		cmocka_unit_test(test_subtract_edges),
		cmocka_unit_test(test_union),
		cmocka_unit_test(test_subtract_set),
		cmocka_unit_test(test_subtract_set_self),
		cmocka_unit_test(test_intersect),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_queries),
		cmocka_unit_test(test_differential),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
