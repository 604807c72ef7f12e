/* SPDX-License-Identifier: MIT */
/*
 * Benchmark of the platform loader and the host layer on big synthetic
 * platforms, with the shape of tools/gen-platform.py: 8 sockets, 8 nodes,
 * 1 TiB each (8 TiB), 20 BIOS fragments below TOLM, the rest of the N E820
 * entries as reserved fragments spread over the RAM above 4 GiB, one CMR
 * per socket ending 32-96 MiB below a 1 GiB boundary, a node range per
 * usable entry. The platform is written as fixture text, then timed:
 *
 *   load       tdxsim_platform_load_buffer() (parse + validate)
 *   construct  tdxsim_host_run(TDXSIM_HOST_CONSTRUCT), per strategy
 *   init       tdxsim_host_run(TDXSIM_HOST_INIT), per strategy, with the
 *              growth of VmRSS while its result is alive
 *   verdict    tdxsim_host_verdict() on the tdxsim packer's layout: the
 *              module's TDH.SYS.CONFIG check ("construct and validate" is
 *              construct tdxsim + verdict; loading is reported apart)
 *
 * Timings are machine-dependent, so each is also given as a ratio to a
 * baseline run in the same process on the same data: reading the E820
 * lines with strtoull() and sorting them with qsort(), the least any
 * loader must do. The growth column is time(N) / time(N / 10): the target is at
 * most 12 for 10 times the entries. Nothing here judges a time; the
 * program exits 1 only when the library refuses the platform.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tdxsim/tdxsim.h>

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define PAGE 4096ULL
#define SOCKETS 8
#define LOW_FRAGMENTS 20
#define MAX_REPS 5
/* Stop repeating a measurement once this much time went into it. */
#define REP_BUDGET_S 1.0

struct text {
	char *s;
	size_t len;
	size_t capacity;
	bool oom;
};

#if defined(__GNUC__)
#define BENCH_PRINTF __attribute__((format(printf, 2, 3)))
#else
#define BENCH_PRINTF
#endif

static void BENCH_PRINTF
put(struct text *t, const char *fmt, ...)
{
	va_list args;
	int n;

	if (t->oom)
		return;
	if (t->capacity - t->len < 256) {
		size_t cap = t->capacity ? 2 * t->capacity : 1 << 16;
		char *grown = realloc(t->s, cap);

		if (!grown) {
			t->oom = true;
			return;
		}
		t->s = grown;
		t->capacity = cap;
	}
	va_start(args, fmt);
	n = vsnprintf(t->s + t->len, t->capacity - t->len, fmt, args);
	va_end(args);
	t->len += (size_t)n;
}

static uint64_t
xorshift(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

/* A page-aligned size in [1, max_pages] pages. */
static uint64_t
random_pages(uint64_t *seed, uint64_t max_pages)
{
	return (1 + xorshift(seed) % max_pages) * PAGE;
}

struct frag_spec {
	uint64_t start;
	uint64_t end;
	size_t count;
	uint64_t max_size;
	int node;		/* for the node ranges; -1: no node lines */
};

static const char *const bios_types[] = { "reserved", "reserved",
					   "ACPI data", "ACPI NVS" };

static void
e820_line(struct text *t, uint64_t start, uint64_t end, const char *type)
{
	put(t, "  [mem 0x%016" PRIx64 "-0x%016" PRIx64 "] %s\n", start,
	    end - 1, type);
}

/*
 * RAM [start, end) cut by count fragments, one per equal slot, each with
 * RAM on both sides (as tools/gen-platform.py spread()). The usable
 * pieces go to numa too when node >= 0.
 */
static void
ram_with_fragments(struct text *e820, struct text *numa,
		   const struct frag_spec *f, bool bios, uint64_t *seed)
{
	uint64_t slot = f->count ? (f->end - f->start) / f->count / PAGE * PAGE : 0;
	uint64_t cur = f->start;

	for (size_t i = 0; i < f->count; i++) {
		uint64_t base = f->start + i * slot;
		uint64_t cap = f->max_size < slot / 2 ? f->max_size : slot / 2;
		uint64_t size = random_pages(seed, cap / PAGE);
		uint64_t offset = (1 + xorshift(seed) % ((slot - size) / PAGE - 1)) * PAGE;
		const char *type = bios ? bios_types[xorshift(seed) % 4] : "reserved";

		e820_line(e820, cur, base + offset, "usable");
		if (f->node >= 0)
			put(numa, "  node %3d: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]\n",
			    f->node, cur, base + offset - 1);
		e820_line(e820, base + offset, base + offset + size, type);
		cur = base + offset + size;
	}
	e820_line(e820, cur, f->end, "usable");
	if (f->node >= 0)
		put(numa, "  node %3d: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]\n",
		    f->node, cur, f->end - 1);
}

/*
 * The fixture text of an 8 TiB, 8-node platform with n E820 entries
 * (n - fixed entries made even), in *out; false when out of memory.
 */
static bool
make_fixture(size_t n, struct text *out)
{
	/* Two below 1 MiB, the PCI-hole start, per socket one RAM entry and
	 * one reserved tail; each fragment adds two. */
	size_t fixed = 3 + 2 * SOCKETS + 2 * LOW_FRAGMENTS;
	size_t high = (n - fixed) / 2;
	uint64_t seed = 0x9e3779b97f4a7c15ULL ^ n, tolm = 0x6f800000, base = 4 * GIB;
	struct text e820 = { 0 }, numa = { 0 }, cmrs = { 0 };
	struct frag_spec low = { 1 * MIB, tolm, LOW_FRAGMENTS, 8 * MIB, -1 };
	bool ok;

	put(&e820, "e820: |\n");
	put(&numa, "numa: |\n");
	put(&cmrs, "cmrs: |\n  [0x100000, 0x%" PRIx64 ")\n", tolm);
	e820_line(&e820, 0, 0x9f000, "usable");
	e820_line(&e820, 0x9f000, 1 * MIB, "reserved");
	put(&numa, "  node %3d: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]\n", 0,
	    (uint64_t)0x1000, (uint64_t)0x9efff);
	/* Fragments in the last 320 MiB below TOLM, as firmware does. */
	low.start = tolm - 320 * MIB;
	e820_line(&e820, 1 * MIB, low.start, "usable");
	low.node = 0;
	ram_with_fragments(&e820, &numa, &low, true, &seed);
	e820_line(&e820, tolm, 0x90000000, "reserved");
	for (int s = 0; s < SOCKETS; s++) {
		uint64_t size = (s == 0 ? 1022 : 1024) * GIB;
		uint64_t end = base + size - (32 << (xorshift(&seed) % 2)) * MIB;
		struct frag_spec f = { base, end, high / SOCKETS +
				       ((size_t)s < high % SOCKETS), 1 * MIB, s };

		ram_with_fragments(&e820, &numa, &f, false, &seed);
		e820_line(&e820, end, base + size, "reserved");
		put(&cmrs, "  [0x%" PRIx64 ", 0x%" PRIx64 ")\n", base, end);
		base += size;
	}
	memset(out, 0, sizeof(*out));
	put(out, "tdxsim-fixture: 1\nname: bench-%zu\nsource:\n  url: tools/bench/bench-host.c\n"
	    "module:\n  logical-cpus: %d\n  packages: %d\n", n, 16 * SOCKETS,
	    SOCKETS);
	ok = !e820.oom && !numa.oom && !cmrs.oom;
	if (ok) {
		/* The sections are long; append them without the 256-byte
		 * printf chunking. */
		size_t need = out->len + e820.len + cmrs.len + numa.len + 1;
		char *grown = realloc(out->s, need);

		ok = grown != NULL;
		if (ok) {
			out->s = grown;
			memcpy(out->s + out->len, e820.s, e820.len);
			out->len += e820.len;
			memcpy(out->s + out->len, cmrs.s, cmrs.len);
			out->len += cmrs.len;
			memcpy(out->s + out->len, numa.s, numa.len);
			out->len += numa.len;
			out->s[out->len] = '\0';
			out->capacity = need;
		}
	}
	free(e820.s);
	free(numa.s);
	free(cmrs.s);
	return ok && !out->oom;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* ---- the baseline: sscanf + qsort of the E820 lines ----------------------- */

struct entry {
	uint64_t start;
	uint64_t end;
};

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/* Returns the entries read, or 0 when out of memory. */
static size_t
baseline(const char *text)
{
	size_t count = 0, capacity = 1024;
	struct entry *e = malloc(capacity * sizeof(*e));
	const char *line = strstr(text, "e820: |\n");

	if (!e || !line)
		goto out;
	for (line = strchr(line, '\n') + 1; line[0] == ' '; line = strchr(line, '\n') + 1) {
		char *rest;
		uint64_t a, b;

		/* strtoull, not sscanf: glibc's sscanf measures the whole
		 * remaining text on every call, which is quadratic here. */
		if (strncmp(line, "  [mem 0x", 9) != 0)
			break;
		a = strtoull(line + 9, &rest, 16);
		if (strncmp(rest, "-0x", 3) != 0)
			break;
		b = strtoull(rest + 3, &rest, 16);
		if (count == capacity) {
			struct entry *grown = realloc(e, 2 * capacity * sizeof(*e));

			if (!grown) {
				count = 0;
				goto out;
			}
			e = grown;
			capacity *= 2;
		}
		e[count].start = a;
		e[count++].end = b + 1;
	}
	qsort(e, count, sizeof(*e), cmp_entry);
out:
	free(e);
	return count;
}

/* ---- measurements ----------------------------------------------------------- */

enum what { LOAD, CONSTRUCT, INIT, VERDICT, BASELINE };

struct job {
	enum what what;
	const struct text *text;
	const struct tdxsim_platform *p;
	enum tdxsim_strategy strategy;
	const struct tdxsim_layout *layout;	/* for VERDICT */
	int result;		/* 0 ok; else the failing call's errno */
	int host_errno;		/* the simulated kernel's errno */
	uint64_t status;	/* VERDICT: TDH.SYS.CONFIG's status */
};

static void
run_once(struct job *j)
{
	struct tdxsim_platform *p = NULL;
	struct tdxsim_host_run *run = NULL;

	switch (j->what) {
	case BASELINE:
		j->result = baseline(j->text->s) ? 0 : -1;
		break;
	case LOAD:
		j->result = tdxsim_platform_load_buffer("bench", j->text->s,
							j->text->len, &p, NULL);
		tdxsim_platform_free(p);
		break;
	case VERDICT:
		j->result = tdxsim_host_verdict(j->p, j->layout, &j->status);
		break;
	case CONSTRUCT:
	case INIT:
		j->result = tdxsim_host_run(j->p, j->strategy,
					    j->what == INIT ? TDXSIM_HOST_INIT
							    : TDXSIM_HOST_CONSTRUCT,
					    &run);
		if (j->result == 0)
			j->host_errno = tdxsim_host_run_errno(run);
		tdxsim_host_run_free(run);
		break;
	}
}

/* Median seconds of up to MAX_REPS runs. */
static double
measure(struct job *j)
{
	double times[MAX_REPS], spent = 0;
	size_t reps = 0;

	while (reps < MAX_REPS && (reps < 3 || spent < REP_BUDGET_S)) {
		double t0 = now(), t;

		run_once(j);
		t = now() - t0;
		times[reps++] = t;
		spent += t;
		if (j->result != 0)
			break;
	}
	qsort(times, reps, sizeof(times[0]), cmp_double);
	return times[reps / 2];
}

/* Resident set size in KiB, from /proc/self/status; 0 when unknown. */
static long
vm_rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	}
	fclose(f);
	return kib;
}

/* KiB VmRSS grows while one init run's result is alive. */
static long
init_rss_growth(const struct tdxsim_platform *p, enum tdxsim_strategy s)
{
	struct tdxsim_host_run *run = NULL;
	long before = vm_rss_kib(), after;

	if (tdxsim_host_run(p, s, TDXSIM_HOST_INIT, &run) < 0)
		return -1;
	after = vm_rss_kib();
	tdxsim_host_run_free(run);
	return after - before;
}

#define STEPS 3
static const size_t sizes[STEPS] = { 1000, 10000, 100000 };

struct row;
static int time_verdict(const struct tdxsim_platform *p, struct row *r,
			size_t i);

struct row {
	double t[STEPS];
	bool none[STEPS];	/* not measured (nothing to measure) */
	int host_errno[STEPS];
	long rss_cold[STEPS];	/* KiB VmRSS grows by in the first init run */
	long rss[STEPS];	/* ... and in the second */
};

static void
print_row(const char *name, const struct row *r, const double *base, bool rss)
{
	for (size_t i = 0; i < STEPS; i++) {
		if (r->none[i]) {
			printf("%-22s %7zu %13s  (no layout to check)\n", name,
			       sizes[i], "-");
			continue;
		}
		printf("%-22s %7zu %10.3f ms %8.1fx", name, sizes[i],
		       r->t[i] * 1e3, r->t[i] / base[i]);
		if (i)
			printf(" %7.2fx", r->none[i - 1] ? 0.0 : r->t[i] / r->t[i - 1]);
		else
			printf(" %8s", "-");
		if (r->host_errno[i])
			printf("  (errno %d)", r->host_errno[i]);
		if (rss)
			printf("  rss +%ld KiB first, +%ld KiB next", r->rss_cold[i],
			       r->rss[i]);
		printf("\n");
	}
}

/* The module's check of the tdxsim packer's layout, when it built one.
 * 0, or 1 when the library failed or the module rejected the layout. */
static int
time_verdict(const struct tdxsim_platform *p, struct row *r, size_t i)
{
	struct tdxsim_host_run *run = NULL;
	struct job j = { .what = VERDICT, .p = p };
	int ret = tdxsim_host_run(p, TDXSIM_STRATEGY_TDXSIM,
				  TDXSIM_HOST_CONSTRUCT, &run);

	r->none[i] = ret != 0 || tdxsim_host_run_errno(run) != 0;
	if (!r->none[i]) {
		j.layout = tdxsim_host_run_layout(run);
		r->t[i] = measure(&j);
		if (j.result != 0 || j.status != 0) {
			fprintf(stderr, "N=%zu: the module rejected the tdxsim layout (%d, 0x%016" PRIx64 ")\n",
				sizes[i], j.result, j.status);
			ret = 1;
		}
	}
	tdxsim_host_run_free(run);
	return ret ? 1 : 0;
}

int
main(void)
{
	struct row load = { 0 }, construct[TDXSIM_STRATEGY_COUNT] = { 0 },
		   init[TDXSIM_STRATEGY_COUNT] = { 0 }, verdict = { 0 };
	double base[STEPS];
	int status = 0;

	printf("bench-host: 8 TiB, 8 nodes; median of up to %d runs; x base = "
	       "ratio to strtoull+qsort of the same E820 lines; growth = time(N) / "
	       "time(N/10), target <= 12\n", MAX_REPS);
	for (size_t i = 0; i < STEPS && status == 0; i++) {
		struct text text;
		struct tdxsim_platform *p = NULL;
		struct job j = { .what = BASELINE, .text = &text };

		if (!make_fixture(sizes[i], &text)) {
			fprintf(stderr, "N=%zu: out of memory\n", sizes[i]);
			return 1;
		}
		base[i] = measure(&j);
		j.what = LOAD;
		load.t[i] = measure(&j);
		if (j.result == 0)
			j.result = tdxsim_platform_load_buffer("bench", text.s,
								text.len, &p, NULL);
		if (j.result != 0) {
			fprintf(stderr, "N=%zu: the platform was refused (%d)\n",
				sizes[i], j.result);
			status = 1;
		}
		for (int s = 0; s < TDXSIM_STRATEGY_COUNT && status == 0; s++) {
			j.p = p;
			j.strategy = (enum tdxsim_strategy)s;
			/* The first run also faults in code and grows the
			 * heap; a second shows what one run holds. */
			j.what = INIT;
			init[s].rss_cold[i] = init_rss_growth(p, j.strategy);
			init[s].rss[i] = init_rss_growth(p, j.strategy);
			init[s].t[i] = measure(&j);
			init[s].host_errno[i] = j.host_errno;
			j.what = CONSTRUCT;
			construct[s].t[i] = measure(&j);
			construct[s].host_errno[i] = j.host_errno;
			if (j.result != 0) {
				fprintf(stderr, "N=%zu %s: tdxsim_host_run failed (%d)\n",
					sizes[i], tdxsim_strategy_name(j.strategy),
					j.result);
				status = 1;
			}
		}
		if (status == 0)
			status = time_verdict(p, &verdict, i);
		tdxsim_platform_free(p);
		free(text.s);
	}
	if (status)
		return status;
	printf("%-22s %7s %13s %9s %8s\n", "case", "N", "time", "x base", "growth");
	print_row("baseline parse+qsort", &(struct row){ .t = { base[0], base[1], base[2] } },
		  base, false);
	print_row("load+validate", &load, base, false);
	for (int s = 0; s < TDXSIM_STRATEGY_COUNT; s++) {
		char name[48];

		snprintf(name, sizeof(name), "construct %s",
			 tdxsim_strategy_name((enum tdxsim_strategy)s));
		print_row(name, &construct[s], base, false);
	}
	for (int s = 0; s < TDXSIM_STRATEGY_COUNT; s++) {
		char name[48];

		snprintf(name, sizeof(name), "init %s",
			 tdxsim_strategy_name((enum tdxsim_strategy)s));
		print_row(name, &init[s], base, true);
	}
	print_row("verdict tdxsim", &verdict, base, false);
	for (size_t i = 0; i < STEPS; i++) {
		if (verdict.none[i])
			printf("N=%zu: construct tdxsim + verdict: no layout (errno %d)\n",
			       sizes[i], construct[TDXSIM_STRATEGY_TDXSIM].host_errno[i]);
		else
			printf("N=%zu: construct tdxsim + verdict = %.3f ms\n", sizes[i],
			       (construct[TDXSIM_STRATEGY_TDXSIM].t[i] + verdict.t[i]) * 1e3);
	}
	for (size_t i = 0; i < STEPS; i++) {
		double worst = 0;

		for (int s = 0; s < TDXSIM_STRATEGY_COUNT; s++)
			if (construct[s].t[i] > worst)
				worst = construct[s].t[i];
		printf("N=%zu: load+validate + slowest construct = %.3f ms\n",
		       sizes[i], (load.t[i] + worst) * 1e3);
	}
	return 0;
}
