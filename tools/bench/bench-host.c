/* SPDX-License-Identifier: MIT */
/*
 * Benchmark of the platform loader and the host layer on big synthetic
 * platforms, with the shape of tools/gen-platform.py: 8 sockets, 8 nodes,
 * 1 TiB each (8 TiB), 20 BIOS fragments below TOLM, the rest of the N E820
 * entries as reserved fragments in the RAM above 4 GiB, one CMR per socket
 * ending 32-96 MiB below a 1 GiB boundary, a node range per usable entry.
 * Two fragment layouts, as gen-platform.py --layout:
 *
 *   clustered  firmware's shape: per node, 3/4 of the fragments in its
 *              first 4 GiB and the rest in its last 384 MiB of RAM, whole
 *              RAM between (a layout exists at every N)
 *   uniform    one fragment per equal slot over each node: at 100 000
 *              entries no free stretch is long enough and no layout exists
 *
 * Each platform is written as fixture text, then timed:
 *
 *   load       tdxsim_platform_load_buffer() (parse + validate)
 *   construct  tdxsim_host_run(TDXSIM_HOST_CONSTRUCT), per strategy
 *   verdict    tdxsim_host_verdict() on the tdxsim packer's layout: the
 *              module's TDH.SYS.CONFIG check ("construct and validate" is
 *              construct tdxsim + verdict; loading is reported apart)
 *   init       tdxsim_host_run(TDXSIM_HOST_INIT), per strategy; for tdxsim
 *              whether the log has "virt/tdx: module initialized", and
 *              how much VmRSS grows from before a run to after it
 *
 * Timings are machine-dependent, so each is also given as a ratio to a
 * baseline run in the same process on the same data: reading the E820
 * lines with strtoull() and sorting them with qsort(), the least any
 * loader must do. The growth column is fastest(N) / fastest(N / 10): the
 * target is at most 12 for 10 times the entries. Nothing here judges a
 * time; the program exits 1 only when the library refuses a platform, the
 * module rejects the tdxsim layout, or a clustered platform's tdxsim init
 * does not reach "module initialized".
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
#define MAX_REPS 9
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

static void
numa_line(struct text *numa, int node, uint64_t start, uint64_t end)
{
	if (node >= 0)
		put(numa, "  node %3d: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]\n",
		    node, start, end - 1);
}

/*
 * count fragments in [f->start, f->end), one per equal slot, each with RAM
 * on both sides (as tools/gen-platform.py spread()), after the usable RAM
 * from *cur; *cur becomes the end of the last fragment. The usable pieces
 * go to numa too when f->node >= 0.
 */
static void
fragments(struct text *e820, struct text *numa, const struct frag_spec *f,
	  bool bios, uint64_t *seed, uint64_t *cur)
{
	uint64_t slot = f->count ? (f->end - f->start) / f->count / PAGE * PAGE : 0;

	for (size_t i = 0; i < f->count; i++) {
		uint64_t base = f->start + i * slot;
		uint64_t cap = f->max_size < slot / 2 ? f->max_size : slot / 2;
		uint64_t size = random_pages(seed, cap / PAGE);
		uint64_t offset = (1 + xorshift(seed) % ((slot - size) / PAGE - 1)) * PAGE;
		const char *type = bios ? bios_types[xorshift(seed) % 4] : "reserved";

		e820_line(e820, *cur, base + offset, "usable");
		numa_line(numa, f->node, *cur, base + offset);
		e820_line(e820, base + offset, base + offset + size, type);
		*cur = base + offset + size;
	}
}

/* The usable RAM [start, end), to numa too when node >= 0. */
static void
usable(struct text *e820, struct text *numa, int node, uint64_t start,
       uint64_t end)
{
	e820_line(e820, start, end, "usable");
	numa_line(numa, node, start, end);
}

/* Where the fragments in the RAM above 4 GiB go (tools/gen-platform.py
 * --layout). */
enum frag_layout {
	/* Firmware's shape: 3/4 in the first CLUSTER_HEAD of each node, the
	 * rest in its last CLUSTER_TAIL, whole RAM between. */
	CLUSTERED,
	/* One per equal slot over the whole node: no long RAM stretch is
	 * left, and at 100 000 entries no layout exists. */
	UNIFORM,
};
#define LAYOUTS 2
#define CLUSTER_HEAD (4 * GIB)
#define CLUSTER_TAIL (384 * MIB)

static const char *const layout_names[LAYOUTS] = { "clustered", "uniform" };

/*
 * The fixture text of an 8 TiB, 8-node platform with n E820 entries
 * (n - fixed entries made even), in *out; false when out of memory.
 */
static bool
make_fixture(size_t n, enum frag_layout layout, struct text *out)
{
	/* Two below 1 MiB, the low RAM, the PCI-hole start, per socket one
	 * RAM entry and one reserved tail; each fragment adds two. */
	size_t fixed = 4 + 2 * SOCKETS + 2 * LOW_FRAGMENTS;
	size_t high = (n - fixed) / 2;
	uint64_t seed = 0x9e3779b97f4a7c15ULL ^ n, tolm = 0x6f800000, base = 4 * GIB;
	uint64_t cur = 1 * MIB;
	struct text e820 = { 0 }, numa = { 0 }, cmrs = { 0 };
	/* Fragments in the last 320 MiB below TOLM, as firmware does. */
	struct frag_spec low = { tolm - 320 * MIB, tolm, LOW_FRAGMENTS, 8 * MIB, 0 };
	bool ok;

	put(&e820, "e820: |\n");
	put(&numa, "numa: |\n");
	put(&cmrs, "cmrs: |\n  [0x100000, 0x%" PRIx64 ")\n", tolm);
	e820_line(&e820, 0, 0x9f000, "usable");
	e820_line(&e820, 0x9f000, 1 * MIB, "reserved");
	numa_line(&numa, 0, 0x1000, 0x9f000);
	fragments(&e820, &numa, &low, true, &seed, &cur);
	usable(&e820, &numa, 0, cur, tolm);
	e820_line(&e820, tolm, 0x90000000, "reserved");
	for (int s = 0; s < SOCKETS; s++) {
		uint64_t size = (s == 0 ? 1022 : 1024) * GIB;
		/* The socket's RAM ends 32, 64 or 96 MiB below the boundary. */
		uint64_t end = base + size - 32 * (1 + xorshift(&seed) % 3) * MIB;
		size_t count = high / SOCKETS + ((size_t)s < high % SOCKETS);
		struct frag_spec f = { base, end, count, 1 * MIB, s };

		cur = base;
		if (layout == CLUSTERED) {
			struct frag_spec tail = f;

			f.end = base + CLUSTER_HEAD;
			f.count = count - count / 4;
			tail.start = end - CLUSTER_TAIL;
			tail.count = count / 4;
			fragments(&e820, &numa, &f, false, &seed, &cur);
			fragments(&e820, &numa, &tail, false, &seed, &cur);
		} else {
			fragments(&e820, &numa, &f, false, &seed, &cur);
		}
		usable(&e820, &numa, s, cur, end);
		e820_line(&e820, end, base + size, "reserved");
		put(&cmrs, "  [0x%" PRIx64 ", 0x%" PRIx64 ")\n", base, end);
		base += size;
	}
	memset(out, 0, sizeof(*out));
	put(out, "tdxsim-fixture: 1\nname: bench-%s-%zu\nsource:\n  url: tools/bench/bench-host.c\n"
	    "module:\n  logical-cpus: %d\n  packages: %d\n", layout_names[layout],
	    n, 16 * SOCKETS, SOCKETS);
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
	bool initialized;	/* INIT: the run logged INIT_DONE */
	uint64_t status;	/* VERDICT: TDH.SYS.CONFIG's status */
};

static const char INIT_DONE[] = "virt/tdx: module initialized";

/* Whether a run's kernel log has the line INIT_DONE. */
static bool
logged_init_done(const struct tdxsim_host_run *run)
{
	size_t count = tdxsim_host_run_line_count(run);

	for (size_t i = 0; i < count; i++) {
		const char *line = tdxsim_host_run_line(run, i);

		if (line && strcmp(line, INIT_DONE) == 0)
			return true;
	}
	return false;
}

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
		if (j->result == 0) {
			j->host_errno = tdxsim_host_run_errno(run);
			j->initialized = j->what == INIT && logged_init_done(run);
		}
		tdxsim_host_run_free(run);
		break;
	}
}

/* Median seconds of up to MAX_REPS runs; *best gets the fastest. */
static double
measure(struct job *j, double *best)
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
	*best = times[0];
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

/* KiB VmRSS grows by from before one init run to after it, its result
 * still alive; -1 when the library failed. */
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

struct row {
	double t[STEPS];	/* median */
	double best[STEPS];	/* fastest run */
	bool none[STEPS];	/* not measured (nothing to measure) */
	int host_errno[STEPS];
	bool initialized[STEPS];	/* INIT: logged INIT_DONE */
	long rss_cold[STEPS];	/* KiB VmRSS grows by in the first init run */
	long rss[STEPS];	/* ... and in the second */
};

/* Everything measured on the platforms of one fragment layout. */
struct series {
	enum frag_layout layout;
	struct row base;
	struct row load;
	struct row construct[TDXSIM_STRATEGY_COUNT];
	struct row init[TDXSIM_STRATEGY_COUNT];
	struct row verdict;
	struct row checked;	/* construct tdxsim + verdict */
	/* Init tdxsim with the platform's module made 2.0.08: static PAMT
	 * (mainline) against Dynamic PAMT (mainline-dpamt); 0 KB: failed. */
	uint64_t static_kb[STEPS], dpamt_kb[STEPS];
	double dpamt_s[STEPS];	/* one mainline-dpamt init, seconds */
};

/* KB allocated for PAMT of one init of tdxsim's packer, 0 when it fails. */
static uint64_t
init_kb(const struct tdxsim_platform *p, enum tdxsim_kernel k)
{
	struct tdxsim_host_run *run = NULL;
	uint64_t kb = 0;

	if (tdxsim_host_run_kernel(p, TDXSIM_STRATEGY_TDXSIM, k, TDXSIM_HOST_INIT, &run) == 0 &&
	    tdxsim_host_run_errno(run) == 0)
		kb = tdxsim_host_run_pamt_kb(run);
	tdxsim_host_run_free(run);
	return kb;
}

/* The Dynamic PAMT series' boot-time PAMT on the same memory map with a
 * module that has the feature (docs/host.md). */
static void
measure_dpamt(struct tdxsim_platform *p, struct series *sr, size_t i)
{
	struct tdxsim_module_profile m = *tdxsim_platform_module_profile(p);
	double t0;

	m.major = 2;
	m.minor = 0;
	m.update = 8;
	tdxsim_platform_set_module_profile(p, &m);
	sr->static_kb[i] = init_kb(p, TDXSIM_KERNEL_MAINLINE);
	t0 = now();
	sr->dpamt_kb[i] = init_kb(p, TDXSIM_KERNEL_MAINLINE_DPAMT);
	sr->dpamt_s[i] = now() - t0;
}

static void
print_row(const char *name, const struct row *r, const double *base,
	  bool init)
{
	for (size_t i = 0; i < STEPS; i++) {
		if (r->none[i]) {
			printf("%-24s %7zu %13s %13s  (no layout)\n", name, sizes[i],
			       "-", "-");
			continue;
		}
		printf("%-24s %7zu %10.3f ms %10.3f ms %8.2fx", name, sizes[i],
		       r->t[i] * 1e3, r->best[i] * 1e3, r->t[i] / base[i]);
		if (i && !r->none[i - 1])
			printf(" %7.2fx", r->best[i] / r->best[i - 1]);
		else
			printf(" %8s", "-");
		if (r->host_errno[i])
			printf("  errno %d", r->host_errno[i]);
		if (init)
			printf("  %s; rss +%ld KiB first, +%ld KiB next",
			       r->initialized[i] ? "module initialized" : "NOT initialized",
			       r->rss_cold[i], r->rss[i]);
		printf("\n");
	}
}

/* The module's check of the tdxsim packer's layout, when it built one, and
 * construct + check timed together. 0, or 1 when the library failed or
 * the module rejected the layout. */
static int
time_verdict(const struct tdxsim_platform *p, struct series *sr, size_t i)
{
	struct tdxsim_host_run *run = NULL;
	struct job j = { .what = VERDICT, .p = p };
	int ret = tdxsim_host_run(p, TDXSIM_STRATEGY_TDXSIM,
				  TDXSIM_HOST_CONSTRUCT, &run);

	sr->verdict.none[i] = ret != 0 || tdxsim_host_run_errno(run) != 0;
	sr->checked.none[i] = sr->verdict.none[i];
	if (!sr->verdict.none[i]) {
		j.layout = tdxsim_host_run_layout(run);
		sr->verdict.t[i] = measure(&j, &sr->verdict.best[i]);
		if (j.result != 0 || j.status != 0) {
			fprintf(stderr, "%s N=%zu: the module rejected the tdxsim layout (%d, 0x%016" PRIx64 ")\n",
				layout_names[sr->layout], sizes[i], j.result, j.status);
			ret = 1;
		}
		sr->checked.t[i] = sr->construct[TDXSIM_STRATEGY_TDXSIM].t[i] +
				   sr->verdict.t[i];
		sr->checked.best[i] = sr->construct[TDXSIM_STRATEGY_TDXSIM].best[i] +
				      sr->verdict.best[i];
	}
	tdxsim_host_run_free(run);
	return ret ? 1 : 0;
}

/* Measures one platform; 0, or 1 when the library refused something. */
static int
bench_one(struct series *sr, size_t i)
{
	struct text text;
	struct tdxsim_platform *p = NULL;
	struct job j = { .what = BASELINE, .text = &text };
	int status = 0;

	if (!make_fixture(sizes[i], sr->layout, &text)) {
		fprintf(stderr, "N=%zu: out of memory\n", sizes[i]);
		return 1;
	}
	sr->base.t[i] = measure(&j, &sr->base.best[i]);
	j.what = LOAD;
	sr->load.t[i] = measure(&j, &sr->load.best[i]);
	if (j.result == 0)
		j.result = tdxsim_platform_load_buffer("bench", text.s, text.len,
							&p, NULL);
	if (j.result != 0) {
		fprintf(stderr, "%s N=%zu: the platform was refused (%d)\n",
			layout_names[sr->layout], sizes[i], j.result);
		status = 1;
	}
	for (int s = 0; s < TDXSIM_STRATEGY_COUNT && status == 0; s++) {
		struct row *init = &sr->init[s], *construct = &sr->construct[s];

		j.p = p;
		j.strategy = (enum tdxsim_strategy)s;
		/* The first run also faults in code and grows the heap; a
		 * second shows what one run holds. */
		j.what = INIT;
		init->rss_cold[i] = init_rss_growth(p, j.strategy);
		init->rss[i] = init_rss_growth(p, j.strategy);
		init->t[i] = measure(&j, &init->best[i]);
		init->host_errno[i] = j.host_errno;
		init->initialized[i] = j.initialized;
		j.what = CONSTRUCT;
		construct->t[i] = measure(&j, &construct->best[i]);
		construct->host_errno[i] = j.host_errno;
		if (j.result != 0) {
			fprintf(stderr, "N=%zu %s: tdxsim_host_run failed (%d)\n",
				sizes[i], tdxsim_strategy_name(j.strategy), j.result);
			status = 1;
		}
	}
	if (status == 0)
		status = time_verdict(p, sr, i);
	if (status == 0)
		measure_dpamt(p, sr, i);
	tdxsim_platform_free(p);
	free(text.s);
	return status;
}

static void
print_series(const struct series *sr)
{
	const struct row *init = &sr->init[TDXSIM_STRATEGY_TDXSIM];

	printf("\n== %s: %s ==\n", layout_names[sr->layout],
	       sr->layout == CLUSTERED
		       ? "per node, 3/4 of the fragments in its first 4 GiB, the "
			 "rest in its last 384 MiB of RAM"
		       : "fragments one per equal slot over each node "
			 "(no layout exists at 100k)");
	printf("%-24s %7s %13s %13s %9s %8s\n", "case", "N", "median", "fastest",
	       "x base", "growth");
	print_row("baseline parse+qsort", &sr->base, sr->base.t, false);
	print_row("load+validate", &sr->load, sr->base.t, false);
	for (int s = 0; s < TDXSIM_STRATEGY_COUNT; s++) {
		char name[48];

		snprintf(name, sizeof(name), "construct %s",
			 tdxsim_strategy_name((enum tdxsim_strategy)s));
		print_row(name, &sr->construct[s], sr->base.t, false);
	}
	print_row("verdict tdxsim", &sr->verdict, sr->base.t, false);
	print_row("construct+verdict tdxsim", &sr->checked, sr->base.t, false);
	for (int s = 0; s < TDXSIM_STRATEGY_COUNT; s++) {
		char name[48];

		snprintf(name, sizeof(name), "init %s",
			 tdxsim_strategy_name((enum tdxsim_strategy)s));
		print_row(name, &sr->init[s], sr->base.t, s == TDXSIM_STRATEGY_TDXSIM);
	}
	for (size_t i = 0; i < STEPS; i++) {
		printf("%s N=%zu: load+validate + construct+verdict tdxsim = ",
		       layout_names[sr->layout], sizes[i]);
		if (sr->checked.none[i])
			printf("no layout (errno %d)",
			       sr->construct[TDXSIM_STRATEGY_TDXSIM].host_errno[i]);
		else
			printf("%.3f ms median, %.3f ms fastest",
			       (sr->load.t[i] + sr->checked.t[i]) * 1e3,
			       (sr->load.best[i] + sr->checked.best[i]) * 1e3);
		printf("; init tdxsim: %s, +%ld KiB VmRSS\n",
		       init->initialized[i] ? INIT_DONE : "no \"module initialized\"",
		       init->rss_cold[i]);
	}
	for (size_t i = 0; i < STEPS; i++)
		printf("%s N=%zu: module 2.0.08, init tdxsim: PAMT %" PRIu64 " KB static, %" PRIu64
		       " KB Dynamic PAMT (mainline-dpamt, %.3f ms)%s\n",
		       layout_names[sr->layout], sizes[i], sr->static_kb[i], sr->dpamt_kb[i],
		       sr->dpamt_s[i] * 1e3, sr->dpamt_kb[i] ? "" : " (0: no layout)");
}

int
main(void)
{
	static struct series series[LAYOUTS];
	int status = 0;

	printf("bench-host: 8 TiB, 8 nodes; median and fastest of up to %d runs; "
	       "x base = median / median of strtoull+qsort of the same E820 "
	       "lines; growth = fastest(N) / fastest(N/10), target <= 12\n",
	       MAX_REPS);
	for (int l = 0; l < LAYOUTS && status == 0; l++) {
		series[l].layout = (enum frag_layout)l;
		for (size_t i = 0; i < STEPS && status == 0; i++)
			status = bench_one(&series[l], i);
	}
	if (status)
		return status;
	for (int l = 0; l < LAYOUTS; l++)
		print_series(&series[l]);
	/* The clustered platforms have a layout by construction (long RAM
	 * between the clusters); not reaching it is a library failure. */
	for (size_t i = 0; i < STEPS; i++) {
		if (!series[CLUSTERED].init[TDXSIM_STRATEGY_TDXSIM].initialized[i]) {
			fprintf(stderr, "clustered N=%zu: init tdxsim did not log \"%s\"\n",
				sizes[i], INIT_DONE);
			status = 1;
		}
	}
	return status;
}
