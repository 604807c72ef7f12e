/* SPDX-License-Identifier: MIT */
/*
 * Benchmark of the guest's #VE MMIO path (tdxsim/guest.h) against the
 * Capstone decode it is built on, all in one run on the same instructions:
 *
 *   bare      cs_disasm(count 1) + cs_free of the instruction, detail on:
 *             the least a Capstone-based handler does (cs_disasm_iter)
 *   uncached  tdxsim_mmio_handle(): #VE checks, decode, classify, the
 *             TDVMCALL to a device, write-back; RIP differs on every call
 *             so that no decode can come from the handler's cache
 *   cached    the same with RIP fixed per instruction, as a driver's
 *             readl() site is hit again and again
 *   unicorn   (when built with Unicorn) the same accesses executed by
 *             Unicorn against an MMIO region with read/write hooks: an
 *             independent emulator's cost for one access
 *
 * The mix is the accepted instruction forms of insn_decode_mmio() that io.h
 * accessors and hand-written drivers emit. Targets: uncached at most 1.3x
 * bare (the handler adds little to its decoder), cached at least 5x faster
 * than uncached. The program prints the ratios and whether each target is
 * met; it exits 1 only when the handler fails an access or the cache
 * behaves differently from what a path needs, never because of a time.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <capstone/capstone.h>
#include <tdxsim/guest.h>

#ifdef HAVE_UNICORN
#include <unicorn/unicorn.h>
#endif

#define GVA 0xffffc90000000000ULL
#define GPA ((1ULL << 51) | 0xfed40000ULL)
#define RIP 0xffffffff81000000ULL
#define REPS 7
#define ROUNDS 20000	/* passes over the mix per repetition */
#define INSN_MAX 15

struct access {
	const char *text;
	uint8_t bytes[INSN_MAX];
	size_t len;
	uint64_t offset;	/* displacement from RDI */
};

static const struct access mix[] = {
	{ "mov eax,[rdi]", { 0x8b, 0x07 }, 2, 0 },
	{ "mov [rdi],eax", { 0x89, 0x07 }, 2, 0 },
	{ "mov [rdi],al", { 0x88, 0x07 }, 2, 0 },
	{ "mov [rdi],ax", { 0x66, 0x89, 0x07 }, 3, 0 },
	{ "mov rax,[rdi]", { 0x48, 0x8b, 0x07 }, 3, 0 },
	{ "mov eax,[rdi+0x10]", { 0x8b, 0x47, 0x10 }, 3, 0x10 },
	{ "mov [rdi+8],rax", { 0x48, 0x89, 0x47, 0x08 }, 4, 8 },
	{ "movzx eax,byte [rdi]", { 0x0f, 0xb6, 0x07 }, 3, 0 },
	{ "movsx eax,word [rdi]", { 0x0f, 0xbf, 0x07 }, 3, 0 },
	{ "mov dword [rdi],imm32", { 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12 }, 6, 0 },
};

#define MIX_COUNT (sizeof(mix) / sizeof(mix[0]))

/* What the uncached and cached loops saw, to prove they measured what
 * they claim. */
struct tally {
	unsigned long failed;
	unsigned long from_cache;
	unsigned long calls;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A device that answers every read with a fixed pattern. */
static uint64_t
device(void *ctx, struct tdxsim_tdvmcall *call)
{
	(void)ctx;
	call->r10 = 0;
	if (call->r13 == 0)
		call->r11 = 0x1122334455667788ULL;
	return 0;
}

/* ---- the paths ---- */

/* Nanoseconds per access of one repetition of seconds. */
static double
per_access_ns(double seconds)
{
	return seconds * 1e9 / ((double)ROUNDS * MIX_COUNT);
}

static double
min_of(double a, double b)
{
	return a < b ? a : b;
}

/* One repetition of bare decodes; its time per access. */
static double
time_bare(csh cs)
{
	double t0 = now();
	cs_insn *insn;

	for (unsigned r = 0; r < ROUNDS; r++) {
		for (size_t i = 0; i < MIX_COUNT; i++) {
			size_t n = cs_disasm(cs, mix[i].bytes, mix[i].len,
					     RIP + i * 16, 1, &insn);

			cs_free(insn, n);
		}
	}
	return per_access_ns(now() - t0);
}

/*
 * One access through the handler. The bytes are padded with int3 to 15,
 * as code goes on after the instruction (linux mode wants 15 readable).
 */
static void
handle_one(struct tdxsim_mmio_handler *h, const struct access *a,
	   const uint8_t *insn, uint64_t rip, struct tally *t)
{
	struct tdxsim_vcpu_regs regs = { .rip = rip, .rflags = 2 };
	struct tdxsim_veinfo ve = {
		.exit_reason = 48,
		.gla = GVA + a->offset,
		.gpa = GPA + a->offset,
	};
	struct tdxsim_mmio_result res;

	regs.gpr[TDXSIM_RDI] = GVA;
	regs.gpr[TDXSIM_RAX] = 0xabcdef;
	if (tdxsim_mmio_handle(h, &regs, &ve, insn, INSN_MAX, 0, device, NULL, &res) < 0 ||
	    res.status != 0)
		t->failed++;
	t->from_cache += res.from_cache != 0;
	t->calls++;
}

/*
 * One repetition through the handler; its time per access. *fresh NULL:
 * each instruction keeps its own RIP (cache hits); else every call takes
 * the next RIP from it, never used before (cache misses).
 */
static double
time_handler(struct tdxsim_mmio_handler *h, const uint8_t (*insn)[INSN_MAX],
	     uint64_t *fresh, struct tally *t)
{
	double t0 = now();

	for (unsigned r = 0; r < ROUNDS; r++) {
		for (size_t i = 0; i < MIX_COUNT; i++) {
			uint64_t rip = fresh ? (*fresh += 64) : RIP + i * 16;

			handle_one(h, &mix[i], insn[i], rip, t);
		}
	}
	return per_access_ns(now() - t0);
}

#ifdef HAVE_UNICORN
/* ---- Unicorn ---- */

#define UC_CODE 0x400000ULL
#define UC_MMIO 0x10000000ULL

static uint64_t
uc_read(uc_engine *uc, uint64_t offset, unsigned size, void *ctx)
{
	(void)uc;
	(void)offset;
	(void)size;
	(void)ctx;
	return 0x1122334455667788ULL;
}

static void
uc_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *ctx)
{
	(void)uc;
	(void)offset;
	(void)size;
	(void)value;
	(void)ctx;
}

static int
uc_setup(uc_engine **out)
{
	uc_engine *uc;

	if (uc_open(UC_ARCH_X86, UC_MODE_64, &uc) != UC_ERR_OK)
		return -1;
	*out = uc;
	if (uc_mem_map(uc, UC_CODE, 0x1000, UC_PROT_ALL) != UC_ERR_OK ||
	    uc_mmio_map(uc, UC_MMIO, 0x1000, uc_read, NULL, uc_write, NULL) != UC_ERR_OK)
		return -1;
	for (size_t i = 0; i < MIX_COUNT; i++) {
		if (uc_mem_write(uc, UC_CODE + i * 16, mix[i].bytes, mix[i].len) != UC_ERR_OK)
			return -1;
	}
	return 0;
}

/* One instruction per uc_emu_start(), registers set as for the handler. */
static int
uc_one(uc_engine *uc, size_t i)
{
	uint64_t rdi = UC_MMIO, rax = 0xabcdef, begin = UC_CODE + i * 16;

	uc_reg_write(uc, UC_X86_REG_RDI, &rdi);
	uc_reg_write(uc, UC_X86_REG_RAX, &rax);
	return uc_emu_start(uc, begin, begin + mix[i].len, 0, 1) == UC_ERR_OK ? 0 : -1;
}

/* Negative when Unicorn cannot run the mix. */
static double
time_unicorn(void)
{
	uc_engine *uc = NULL;
	double best = 1e9;
	int err = uc_setup(&uc);

	for (int rep = 0; rep < REPS && !err; rep++) {
		double t0 = now();

		for (unsigned r = 0; r < ROUNDS && !err; r++) {
			for (size_t i = 0; i < MIX_COUNT && !err; i++)
				err = uc_one(uc, i);
		}
		best = min_of(best, per_access_ns(now() - t0));
	}
	if (uc)
		uc_close(uc);
	return err ? -1.0 : best;
}
#endif

/* ---- report ---- */

static const char *
verdict(int met)
{
	return met ? "met" : "MISSED";
}

/* Whether the loops measured what they claim: no failed access, no cache
 * hit when defeating the cache, all but the first pass hits otherwise. */
static int
tallies_sound(const struct tally *uncached, const struct tally *cached)
{
	int ok = 1;

	if (uncached->failed || cached->failed) {
		fprintf(stderr, "bench-mmio: %lu + %lu accesses failed\n",
			uncached->failed, cached->failed);
		ok = 0;
	}
	if (uncached->from_cache) {
		fprintf(stderr, "bench-mmio: %lu uncached accesses came from the cache\n",
			uncached->from_cache);
		ok = 0;
	}
	if (cached->from_cache + MIX_COUNT * REPS < cached->calls)
		fprintf(stderr, "bench-mmio: warning: only %lu of %lu cached accesses hit the cache\n",
			cached->from_cache, cached->calls);
	return ok;
}

/*
 * The three paths take turns within each repetition, so that a busy
 * moment on a shared machine slows all of them rather than skewing a
 * ratio; the best repetition of each counts.
 */
static int
run(csh cs, struct tdxsim_mmio_handler *h)
{
	struct tally uncached_t = { 0 }, cached_t = { 0 };
	uint8_t insn[MIX_COUNT][INSN_MAX];
	uint64_t fresh = RIP + 0x100000;
	double bare = 1e9, uncached = 1e9, cached = 1e9;

	for (size_t i = 0; i < MIX_COUNT; i++) {
		memset(insn[i], 0xcc, INSN_MAX);
		memcpy(insn[i], mix[i].bytes, mix[i].len);
	}
	for (int rep = 0; rep < REPS; rep++) {
		bare = min_of(bare, time_bare(cs));
		uncached = min_of(uncached, time_handler(h, (const uint8_t (*)[INSN_MAX])insn,
							 &fresh, &uncached_t));
		cached = min_of(cached, time_handler(h, (const uint8_t (*)[INSN_MAX])insn,
						     NULL, &cached_t));
	}

	printf("mix of %zu accepted instructions, %d x %zu accesses, best of %d\n",
	       MIX_COUNT, ROUNDS, MIX_COUNT, REPS);
	printf("  bare decode (cs_disasm + cs_free, detail on)  %8.1f ns/access\n", bare);
	printf("  full path, uncached (#VE..write-back)         %8.1f ns/access\n", uncached);
	printf("  full path, cached                             %8.1f ns/access\n", cached);
	printf("  uncached / bare     %5.2fx  (target <= 1.30x: %s)\n",
	       uncached / bare, verdict(uncached <= 1.3 * bare));
	printf("  uncached / cached   %5.2fx  (target >= 5x: %s)\n",
	       uncached / cached, verdict(uncached >= 5 * cached));
#ifdef HAVE_UNICORN
	{
		double uc = time_unicorn();

		if (uc < 0)
			printf("  unicorn: could not run the mix\n");
		else
			printf("  unicorn MMIO hooks  %8.1f ns/access: %.2fx uncached, %.1fx cached\n",
			       uc, uc / uncached, uc / cached);
	}
#else
	printf("  unicorn: not built (no pkg-config unicorn)\n");
#endif
	return tallies_sound(&uncached_t, &cached_t) ? 0 : 1;
}

int
main(void)
{
	struct tdxsim_mmio_config config = TDXSIM_CONFIG_INIT(tdxsim_mmio_config);
	struct tdxsim_mmio_handler *h = NULL;
	csh cs;
	int ret;

	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK ||
	    cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON) != CS_ERR_OK) {
		fprintf(stderr, "bench-mmio: cannot open Capstone\n");
		return 1;
	}
	if (tdxsim_mmio_handler_new(&config, &h) < 0) {
		fprintf(stderr, "bench-mmio: cannot create the handler\n");
		cs_close(&cs);
		return 1;
	}
	ret = run(cs, h);
	tdxsim_mmio_handler_free(h);
	cs_close(&cs);
	return ret;
}
