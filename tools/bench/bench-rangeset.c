/* SPDX-License-Identifier: MIT */
/*
 * Benchmark of the range set (lib/util/range.h) against a naive baseline
 * run in the same process on the same data: an unsorted array scanned
 * linearly, merging by repeated passes. Both must give the same answers;
 * the program exits 1 when they do not, and never judges the timings.
 *
 * Cases, for N = 1k, 10k and 100k ranges of 1..8 pages at random places:
 *   build-random  add the N ranges in random order
 *   build-sorted  add them sorted by start
 *   contains      QUERIES contains() of random addresses
 *   covers        QUERIES covers() of random 1..4 page ranges
 */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "range.h"

#define PAGE 4096u
#define QUERIES 20000u
#define MAX_REPS 5
/* Stop repeating a measurement once this much time went into it. */
#define REP_BUDGET_S 0.25

/* ---- the baseline ------------------------------------------------------- */

/* Members disjoint and non-adjacent like the real set, in no order. */
struct naive {
	struct tdxsim_range *r;
	size_t count;
	size_t capacity;
};

static bool
touches(struct tdxsim_range a, struct tdxsim_range b)
{
	return a.start <= b.end && b.start <= a.end;
}

/* Absorb every member touching *r; true when any was absorbed. */
static bool
naive_absorb_pass(struct naive *n, struct tdxsim_range *r)
{
	bool merged = false;
	size_t i = 0;

	while (i < n->count) {
		struct tdxsim_range m = n->r[i];

		if (!touches(m, *r)) {
			i++;
			continue;
		}
		if (m.start < r->start)
			r->start = m.start;
		if (m.end > r->end)
			r->end = m.end;
		n->r[i] = n->r[--n->count];
		merged = true;
	}
	return merged;
}

static int
naive_add(struct naive *n, struct tdxsim_range r)
{
	if (r.end <= r.start)
		return 0;
	/* A grown r may now touch a member the previous pass skipped. */
	while (naive_absorb_pass(n, &r))
		;
	if (n->count == n->capacity) {
		size_t cap = n->capacity ? 2 * n->capacity : 16;
		struct tdxsim_range *grown = realloc(n->r, cap * sizeof(*grown));

		if (!grown)
			return -1;
		n->r = grown;
		n->capacity = cap;
	}
	n->r[n->count++] = r;
	return 0;
}

static bool
naive_contains(const struct naive *n, uint64_t addr)
{
	for (size_t i = 0; i < n->count; i++)
		if (addr >= n->r[i].start && addr < n->r[i].end)
			return true;
	return false;
}

/* Members are merged, so a covered range lies within one member. */
static bool
naive_covers(const struct naive *n, struct tdxsim_range q)
{
	if (q.end <= q.start)
		return true;
	for (size_t i = 0; i < n->count; i++)
		if (q.start >= n->r[i].start && q.end <= n->r[i].end)
			return true;
	return false;
}

/* ---- data --------------------------------------------------------------- */

struct workload {
	size_t n;
	struct tdxsim_range *random_order;
	struct tdxsim_range *sorted;
	uint64_t *addrs;
	struct tdxsim_range *queries;
	bool *want;     /* answers of the range set */
	bool *got;      /* answers of the baseline */
};

static uint64_t
xorshift(uint64_t *s)
{
	/* xorshift64*: a fixed seed gives the same data on every run. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static int
by_start(const void *a, const void *b)
{
	const struct tdxsim_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

/*
 * An address below pages * PAGE: on a page boundary, just below one, or
 * anywhere, so queries often hit the exact edges of members where an
 * off-by-one would show.
 */
static uint64_t
near_edge(uint64_t *seed, uint64_t pages)
{
	uint64_t page = (xorshift(seed) % pages) * PAGE;

	switch (xorshift(seed) % 3) {
	case 0:
		return page;
	case 1:
		return page ? page - 1 : 0;
	default:
		return page + xorshift(seed) % PAGE;
	}
}

/*
 * N ranges of 1..8 pages over 4N pages: dense enough that many merge,
 * sparse enough that the set keeps thousands of members.
 */
static bool
workload_init(struct workload *w, size_t n, uint64_t seed)
{
	uint64_t pages = 4 * (uint64_t)n;

	memset(w, 0, sizeof(*w));
	w->n = n;
	w->random_order = calloc(n, sizeof(*w->random_order));
	w->sorted = calloc(n, sizeof(*w->sorted));
	w->addrs = calloc(QUERIES, sizeof(*w->addrs));
	w->queries = calloc(QUERIES, sizeof(*w->queries));
	w->want = calloc(QUERIES, sizeof(*w->want));
	w->got = calloc(QUERIES, sizeof(*w->got));
	if (!w->random_order || !w->sorted || !w->addrs || !w->queries ||
	    !w->want || !w->got)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint64_t start = (xorshift(&seed) % pages) * PAGE;

		w->random_order[i].start = start;
		w->random_order[i].end = start + (1 + xorshift(&seed) % 8) * PAGE;
	}
	memcpy(w->sorted, w->random_order, n * sizeof(*w->sorted));
	qsort(w->sorted, n, sizeof(*w->sorted), by_start);
	for (size_t i = 0; i < QUERIES; i++) {
		uint64_t start = near_edge(&seed, pages + 8);

		w->addrs[i] = near_edge(&seed, pages + 8);
		w->queries[i].start = start;
		w->queries[i].end = start + (1 + xorshift(&seed) % 4) * PAGE;
	}
	return true;
}

static void
workload_fini(struct workload *w)
{
	free(w->random_order);
	free(w->sorted);
	free(w->addrs);
	free(w->queries);
	free(w->want);
	free(w->got);
}

/* ---- timing --------------------------------------------------------------- */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One run of a measured step; returns false on a failure (out of memory). */
typedef bool (*step_fn)(void *ctx);

/* Best of up to MAX_REPS runs, fewer when the runs are slow; -1 on failure. */
static double
best_of(step_fn step, void *ctx)
{
	double best = -1, spent = 0;

	for (int rep = 0; rep < MAX_REPS && spent < REP_BUDGET_S; rep++) {
		double t0 = now(), t;

		if (!step(ctx))
			return -1;
		t = now() - t0;
		spent += t;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

/* ---- the measured steps ------------------------------------------------------ */

struct run {
	const struct workload *w;
	const struct tdxsim_range *input;  /* ranges to add, in this order */
	struct tdxsim_rangeset set;
	struct naive naive;
};

static bool
build_set(void *ctx)
{
	struct run *r = ctx;

	/* Both sides keep their allocation between runs, to be fair. */
	tdxsim_rangeset_clear(&r->set);
	for (size_t i = 0; i < r->w->n; i++)
		if (tdxsim_rangeset_add(&r->set, r->input[i]) < 0)
			return false;
	return true;
}

static bool
build_naive(void *ctx)
{
	struct run *r = ctx;

	r->naive.count = 0;
	for (size_t i = 0; i < r->w->n; i++)
		if (naive_add(&r->naive, r->input[i]) < 0)
			return false;
	return true;
}

static bool
contains_set(void *ctx)
{
	struct run *r = ctx;

	for (size_t i = 0; i < QUERIES; i++)
		r->w->want[i] = tdxsim_rangeset_contains(&r->set, r->w->addrs[i]);
	return true;
}

static bool
contains_naive(void *ctx)
{
	struct run *r = ctx;

	for (size_t i = 0; i < QUERIES; i++)
		r->w->got[i] = naive_contains(&r->naive, r->w->addrs[i]);
	return true;
}

static bool
covers_set(void *ctx)
{
	struct run *r = ctx;

	for (size_t i = 0; i < QUERIES; i++)
		r->w->want[i] = tdxsim_rangeset_covers(&r->set, r->w->queries[i]);
	return true;
}

static bool
covers_naive(void *ctx)
{
	struct run *r = ctx;

	for (size_t i = 0; i < QUERIES; i++)
		r->w->got[i] = naive_covers(&r->naive, r->w->queries[i]);
	return true;
}

/* ---- verification and reporting ------------------------------------------- */

/* The baseline's members, sorted, must be exactly the set's. */
static bool
same_members(struct run *r)
{
	struct naive *n = &r->naive;

	if (n->count != r->set.count)
		return false;
	qsort(n->r, n->count, sizeof(*n->r), by_start);
	return n->count == 0 ||
	       memcmp(n->r, r->set.ranges, n->count * sizeof(*n->r)) == 0;
}

static bool
same_answers(const struct workload *w)
{
	return memcmp(w->want, w->got, QUERIES * sizeof(*w->want)) == 0;
}

static void
report(const char *name, size_t n, double set_s, double naive_s)
{
	printf("%-13s %7zu %12.6f s %12.6f s %10.1fx\n", name, n, set_s,
	       naive_s, set_s > 0 ? naive_s / set_s : 0.0);
}

/* Time step_set and step_naive; false on failure or disagreement. */
static bool
measure(const char *name, struct run *r, step_fn step_set, step_fn step_naive,
	bool (*agree)(struct run *))
{
	double set_s = best_of(step_set, r);
	double naive_s = best_of(step_naive, r);

	if (set_s < 0 || naive_s < 0) {
		fprintf(stderr, "%s, N=%zu: out of memory\n", name, r->w->n);
		return false;
	}
	if (!agree(r)) {
		fprintf(stderr, "%s, N=%zu: range set and baseline disagree\n",
			name, r->w->n);
		return false;
	}
	report(name, r->w->n, set_s, naive_s);
	return true;
}

static bool
answers_agree(struct run *r)
{
	return same_answers(r->w);
}

static void
report_memory(const struct run *r)
{
	size_t bytes = r->set.capacity * sizeof(*r->set.ranges);

	printf("memory, N=%zu: %zu members, capacity %zu, %zu bytes of ranges "
	       "(%.1f per member, %.1f per range added; sizeof(struct "
	       "tdxsim_range) = %zu, sizeof(struct tdxsim_rangeset) = %zu)\n",
	       r->w->n, r->set.count, r->set.capacity, bytes,
	       r->set.count ? (double)bytes / (double)r->set.count : 0.0,
	       (double)bytes / (double)r->w->n, sizeof(struct tdxsim_range),
	       sizeof(struct tdxsim_rangeset));
}

static bool
run_cases(struct run *r)
{
	r->input = r->w->random_order;
	if (!measure("build-random", r, build_set, build_naive, same_members))
		return false;
	r->input = r->w->sorted;
	if (!measure("build-sorted", r, build_set, build_naive, same_members) ||
	    !measure("contains", r, contains_set, contains_naive,
		     answers_agree) ||
	    !measure("covers", r, covers_set, covers_naive, answers_agree))
		return false;
	report_memory(r);
	return true;
}

static bool
bench_n(size_t n, uint64_t seed)
{
	struct workload w;
	struct run r = { 0 };
	bool ok = workload_init(&w, n, seed);

	r.w = &w;
	if (!ok)
		fprintf(stderr, "N=%zu: out of memory\n", n);
	else
		ok = run_cases(&r);
	tdxsim_rangeset_fini(&r.set);
	free(r.naive.r);
	workload_fini(&w);
	return ok;
}

int
main(void)
{
	static const size_t sizes[] = { 1000, 10000, 100000 };

	printf("%-13s %7s %14s %14s %11s\n", "case", "N", "rangeset",
	       "baseline", "base/set");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (!bench_n(sizes[i], 0x9e3779b97f4a7c15ULL + i))
			return 1;
	return 0;
}
