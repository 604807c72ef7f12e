/* SPDX-License-Identifier: MIT */
/*
 * The native differential oracle of the #VE MMIO handler: the CPU itself
 * says what an instruction does. Every instruction the handler accepts is executed on this
 * x86-64 CPU against an ordinary page, with the registers and page bytes
 * the handler is then given:
 *  - TDXSIM_MMIO_ARCH must produce the same 16 GPRs, RFLAGS and page, and
 *    advance RIP by the length the CPU executed;
 *  - TDXSIM_MMIO_LINUX may differ from the CPU only in the buckets
 *    docs/guest.md's divergences 1-7 document, each predicted exactly from the native result:
 *    AH..BH read as SPL..DIL, MOVZX/MOVSX into r32 keeping bits 63:32, the
 *    upper bytes of R15 on a write (never visible in the page), and
 *    encodings upstream refuses. Any other difference fails.
 * Encodings the handler must refuse (LOCK, mod == 3, C6/C7 /1..7, two
 * segment overrides, VEX/EVEX, MOVS in kernel mode, other opcodes,
 * truncated or over-long, page splits) are checked to be refused; for the
 * ones the CPU itself rejects with #UD that is checked natively too.
 *
 * The cases: the cross-product opcodes x REX (none, 40..4F) x legacy
 * prefix sets x ModRM.reg, the cross-product opcodes x every ModRM/SIB
 * address form, and random states, all from a fixed-seed xorshift.
 * ARCH runs each as the user-mode access it natively is (the user-MMIO
 * option), VE_INFO's GLA the access's own address; LINUX in kernel mode
 * with a kernel GLA, as upstream can (sim_input()).
 *
 * arch mode's own checks (docs/guest.md) against the CPU: non-canonical
 * addresses (#GP(0), trap 13, nothing changed), RFLAGS.TF (the single-step
 * trap after the instruction, SIGTRAP with TRAP_TRACE, the state at the
 * trap), and MOVS in every form with DF 0 and 1, REP counts 0..5, with and
 * without TF (one element per trap).
 * x86-64 Linux only; elsewhere the program exits 77 (skipped).
 */
#define _GNU_SOURCE	/* MAP_32BIT, MAP_FIXED_NOREPLACE, syscall(), sigaltstack() */
#include "config.h"

#if defined(__x86_64__) && defined(__linux__)

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/prctl.h>
#include <cpuid.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <tdxsim/guest.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define HAVE_VALGRIND_H 1
#endif
#endif

#define PAGE		4096u
#define CODE_PAGES	16u
#define CODE_SLOT	512u		/* one generated trampoline */
#define CODE_BYTES	(CODE_PAGES * PAGE)
#define SLOTS		(CODE_BYTES / CODE_SLOT)
#define MAX_INSN	15u

/* GPA width 48: the shared bit is 47; the test's MMIO page sits below it. */
#define SHARED_BIT	(1ull << 47)
#define MMIO_GPA	(SHARED_BIT | 0xfed00000ull)
#define EXIT_EPT	48u
/*
 * ve->gla: the access's page offset in the ioremap area. The CPU runs the
 * instruction at a user address, but a kernel-mode #VE needs a kernel GLA
 * (fault_in_kernel_space(), CVE-2024-47727); the handler, like Linux, uses
 * the address it computes from the registers only for the page-split test.
 */
#define KERNEL_GLA	0xffffc90000000000ull
#define INVALID_OPERAND	0x8000000000000000ull

/* RFLAGS bits a MOV must keep and the trampoline sets at random: CF PF AF ZF SF DF OF. */
#define FLAGS_TESTED	0xcd5ull

/* How many failures are printed in full; the rest are only counted. */
#define MAX_DETAILS	24u
#define MAX_SHAPES	96u

/*
 * The GS base the test sets natively, below the low data page (arch_prctl);
 * not page aligned, so a GS base the handler drops shows in the split probe.
 */
#define GS_DELTA	0x01234567ull

/*
 * The register file around the native instruction. The trampoline finds it
 * through an absolute address in its code, so the instruction may use every
 * GPR, RSP included.
 */
struct native_ctx {
	uint64_t in[16];
	uint64_t out[16];
	uint64_t rflags_in;
	uint64_t rflags_out;
	uint64_t host_rsp;
	uint64_t tf_stack[2];	/* single-step runs: RSP points here for POPFQ */
};

enum op_kind { K_WRITE, K_WRITE_IMM, K_READ, K_ZX, K_SX };

/* One opcode insn_decode_mmio() accepts (arch/x86/lib/insn-eval.c), minus
 * MOVS. */
struct op {
	uint8_t b[2];
	unsigned n;
	enum op_kind kind;
	unsigned msize;		/* memory bytes; 0: the operand size */
	int byte_reg;		/* 88/8A: the register operand is 8-bit */
	const char *name;
};

static const struct op ops[] = {
	{ { 0x88 }, 1, K_WRITE, 1, 1, "mov r/m8,r8" },
	{ { 0x89 }, 1, K_WRITE, 0, 0, "mov r/m,r" },
	{ { 0x8A }, 1, K_READ, 1, 1, "mov r8,r/m8" },
	{ { 0x8B }, 1, K_READ, 0, 0, "mov r,r/m" },
	{ { 0xC6 }, 1, K_WRITE_IMM, 1, 0, "mov r/m8,imm8" },
	{ { 0xC7 }, 1, K_WRITE_IMM, 0, 0, "mov r/m,imm" },
	{ { 0x0F, 0xB6 }, 2, K_ZX, 1, 0, "movzx r,r/m8" },
	{ { 0x0F, 0xB7 }, 2, K_ZX, 2, 0, "movzx r,r/m16" },
	{ { 0x0F, 0xBE }, 2, K_SX, 1, 0, "movsx r,r/m8" },
	{ { 0x0F, 0xBF }, 2, K_SX, 2, 0, "movsx r,r/m16" },
};
#define NOPS (sizeof(ops) / sizeof(ops[0]))

/*
 * Legacy prefix sets of the cross-product; a 4x byte before a legacy
 * prefix is a REX the CPU ignores (SDM 2.2.1), chosen so that honouring it
 * would change the operands.
 */
struct pfxset {
	uint8_t b[4];
	unsigned n;
};

static const struct pfxset pfxsets[] = {
	{ { 0 }, 0 },
	{ { 0x66 }, 1 },
	{ { 0x67 }, 1 },
	{ { 0x66, 0x67 }, 2 },
	{ { 0x2E }, 1 },
	{ { 0x36 }, 1 },
	{ { 0x3E }, 1 },
	{ { 0x26 }, 1 },
	{ { 0x64 }, 1 },
	{ { 0x65 }, 1 },
	{ { 0x67, 0x64 }, 2 },
	{ { 0x65, 0x67 }, 2 },
	{ { 0x66, 0x65 }, 2 },
	{ { 0xF3 }, 1 },
	{ { 0xF2 }, 1 },
	{ { 0x4F, 0x66 }, 2 },
	{ { 0x41, 0x3E }, 2 },
	{ { 0x48, 0x64 }, 2 },
};
#define NPFXSETS (sizeof(pfxsets) / sizeof(pfxsets[0]))

/* What one generated case is made of. */
struct recipe {
	unsigned op;
	struct pfxset pfx;
	uint8_t rex;		/* right before the opcode; 0: none */
	unsigned mod, reg, rm;
	unsigned scale, index, base;	/* SIB fields, used when rm == 4 */
};

/* One instruction, its operands and the state it runs in. */
struct gcase {
	struct recipe r;
	const struct op *op;
	uint8_t bytes[16];
	unsigned len;
	unsigned shape_len;	/* bytes before displacement and immediate */
	int opsize16, addr32, stale_rex, rep;
	uint8_t seg;		/* last segment override; 0: none */
	unsigned size;		/* memory bytes */
	unsigned opnd;		/* operand size: 2, 4, 8 */
	int regno;		/* register operand GPR; -1: none (C6/C7) */
	int high8;		/* the register operand is AH..BH (byte 1 of regno) */
	int write;
	int32_t disp;
	unsigned disp_bytes;
	uint32_t imm;
	unsigned imm_bytes;
	uint8_t *page;		/* the data page the access hits */
	unsigned off;
	uint64_t target;	/* linear address of the access */
	uint64_t rip;
	uint64_t regs[16];
	uint64_t rflags;
	uint64_t garbage;	/* what the VMM puts above size in R11 */
};

/* What one handler run returned. */
struct sim_out {
	int rc;
	struct tdxsim_mmio_result res;
	struct tdxsim_vcpu_regs regs;
	unsigned vmm_calls;
	int vmm_refused;
	uint8_t page[PAGE];
};

/* The test VMM: an identity bus over a copy of the data page. */
struct vmm {
	uint8_t *page;
	uint64_t garbage;
	unsigned calls;
	int refused;
};

enum bucket {
	B_SAME,		/* LINUX == CPU */
	B_HIGH8,	/* AH..BH as SPL..DIL (docs/guest.md divergence 1) */
	B_ZXSX32,	/* MOVZX/MOVSX r32 keeps bits 63:32 (divergences 2, 3) */
	B_R15_POISON,	/* write: R15 above size not zero (divergence 4) */
	B_R15_IMM,	/* write imm: R15 the sign-extended immediate (divergence 5) */
	B_REFUSED,	/* upstream refuses what the CPU executes (stale REX, divergence 6) */
	B_SEG_DUP,	/* three distinct prefixes, the last a segment override: -EFAULT */
	B_COUNT
};

static const char *const bucket_names[B_COUNT] = {
	"identical to the CPU",
	"AH..BH as SPL..DIL (2.4)",
	"MOVZX/MOVSX r32 keeps 63:32 (2.5)",
	"R15 upper bytes poison (2.6)",
	"R15 sign-extended imm (2.6)",
	"refused, CPU executes (2.3)",
	"3 prefixes, last seg: -EFAULT",
};

/* A distinct failing encoding shape (bytes before disp/imm) and its count. */
struct shape {
	char mode;
	uint8_t b[10];
	unsigned n;
	unsigned long count;
};

struct stats {
	unsigned long generated;
	unsigned long infeasible;	/* the form cannot reach a data page here */
	unsigned long vg_skipped;	/* the CPU emulator (valgrind) cannot run it */
	unsigned long native;
	unsigned long harness;		/* native result contradicts the generator */
	unsigned long arch_fail;
	unsigned long linux_fail;
	unsigned long bucket[B_COUNT];
	unsigned long linux_stale_ok;	/* stale REX cases LINUX executed like the CPU */
	unsigned long probes;		/* split probes run (per mode) */
	unsigned long probe_fail;
};

/* What the signal that stopped the generated code showed (SA_SIGINFO). */
struct native_fault {
	int si_code;
	uint64_t trapno;	/* the CPU's vector: 1 #DB, 13 #GP, 14 #PF */
	uint64_t err;
	uint64_t rip;
	uint64_t gpr[16];	/* by enum tdxsim_gpr */
};

struct oracle {
	struct native_ctx ctx;
	struct native_fault fault;
	uint8_t *area;		/* code pages, guard, low data page, guard */
	size_t area_len;
	uint8_t *code;
	int wx;			/* no RWX: toggle RW/RX around each case */
	unsigned slot;
	uint8_t *low;		/* data page below 2 GiB */
	uint8_t *fsmap;		/* guard, fsnear, guard; NULL if none */
	uint8_t *fsnear;	/* data page in (fs_base, fs_base + 2 GiB) */
	uint64_t fs_base;
	uint64_t gs_base;
	uint64_t gs_saved;
	int gs_set;
	int valgrind;
	unsigned stride;	/* run every stride-th case (valgrind) */
	void *altstack_mem;
	stack_t old_altstack;
	struct sigaction old_act[5];
	struct tdxsim_mmio_handler *arch;
	struct tdxsim_mmio_handler *linux_h;
	uint64_t rng;
	uint8_t before[PAGE];
	struct sim_out sim;
	uint8_t pred_page[PAGE];
	struct stats st;
	unsigned details;
	struct shape shapes[MAX_SHAPES];
	unsigned nshapes;
	unsigned long shapes_lost;
};

static const int guarded_signals[5] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE };

/*
 * The only globals: a signal handler gets no user pointer, and a fault in
 * the generated code (an expected #UD, #GP or single-step trap, or a
 * harness bug) must jump back to the C caller, leaving what the CPU
 * reported in *native_fault_out. NULL outside a native run.
 */
static sigjmp_buf *volatile native_jump;
static struct native_fault *volatile native_fault_out;

/* The signal's CPU state, from the kernel's signal frame. */
static void
capture_fault(const siginfo_t *si, const ucontext_t *uc)
{
	static const int greg[16] = {
		REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
		REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
	};
	struct native_fault *f = native_fault_out;

	if (!f)
		return;
	f->si_code = si->si_code;
	f->trapno = (uint64_t)uc->uc_mcontext.gregs[REG_TRAPNO];
	f->err = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];
	f->rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	for (unsigned i = 0; i < 16; i++)
		f->gpr[i] = (uint64_t)uc->uc_mcontext.gregs[greg[i]];
}

static void
on_native_signal(int sig, siginfo_t *si, void *uc)
{
	/*
	 * The instruction may have run with DF set. The kernel clears it for
	 * a handler, valgrind 3.19 does not, and siglongjmp() keeps RFLAGS:
	 * C code (an inlined memcpy) would then copy backwards.
	 */
	__asm__ volatile("cld" ::: "memory");
	if (native_jump) {
		capture_fault(si, uc);
		siglongjmp(*native_jump, sig);
	}
	/* Not ours: die of it as if we had no handler. */
	signal(sig, SIG_DFL);
	raise(sig);
}

/* ---- random numbers (xorshift64*, fixed seed: every run is the same) ---- */

static uint64_t
rnd(struct oracle *o)
{
	uint64_t x = o->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	o->rng = x;
	return x * 0x2545F4914F6CDD1Dull;
}

static unsigned
rnd_below(struct oracle *o, unsigned n)
{
	return (unsigned)(rnd(o) % n);
}

/* A register value: mostly uniform, sometimes the edges a MOV cares about. */
static uint64_t
rnd_value(struct oracle *o)
{
	static const uint64_t edges[] = {
		0, ~0ull, 0x80, 0x7f, 0x8000, 0x7fff, 0x80000000ull,
		0xffffffff00000000ull, 0x00000000ffffffffull,
		0x8000000000000000ull, 0xff, 0xff00,
	};
	unsigned k = rnd_below(o, 8);

	if (k == 0)
		return edges[rnd_below(o, sizeof(edges) / sizeof(edges[0]))];
	return rnd(o);
}

/* ---- the code area ---- */

static int
code_set_writable(struct oracle *o, int writable)
{
	if (!o->wx)
		return 0;
	return mprotect(o->code, CODE_BYTES,
			writable ? PROT_READ | PROT_WRITE : PROT_READ | PROT_EXEC);
}

struct emit {
	uint8_t *p;
	size_t n;
};

static void
emit1(struct emit *e, uint8_t b)
{
	e->p[e->n++] = b;
}

static void
emit32(struct emit *e, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		emit1(e, (uint8_t)(v >> (8 * i)));
}

static void
emit64(struct emit *e, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		emit1(e, (uint8_t)(v >> (8 * i)));
}

/* mov r64, [rax + disp32] (load) or mov [rax + disp32], r64 (store). */
static void
emit_rax_mem(struct emit *e, int store, unsigned r, uint32_t disp)
{
	emit1(e, (uint8_t)(0x48 | (r >= 8 ? 0x04 : 0)));
	emit1(e, store ? 0x89 : 0x8B);
	emit1(e, (uint8_t)(0x80 | ((r & 7) << 3)));
	emit32(e, disp);
}

/* Bytes before the instruction in a slot (fixed, so RIP is known first). */
#define PROLOGUE_LEN	146u

/*
 * Write the trampoline for c into slot: save the callee-saved registers
 * and RSP, load RFLAGS and all 16 GPRs (RSP too) from o->ctx.in, run the
 * instruction, store all 16 GPRs and RFLAGS to o->ctx.out, restore, ret.
 * Between the loads and the restore nothing touches the stack, so the
 * instruction may use RSP freely.
 *
 * With tf, RFLAGS is loaded last, by a POPFQ right before the instruction
 * from o->ctx.tf_stack (in[RSP] must point there; RSP then points 8
 * bytes higher), because the CPU traps after the instruction that follows
 * the one setting TF (SDM vol. 3B, 18.3.1.4); the instruction must not
 * use RSP. The single-step trap then ends the run with SIGTRAP.
 */
static void
emit_trampoline(struct oracle *o, uint8_t *slot, const uint8_t *insn,
		unsigned len, int tf)
{
	static const uint8_t save[] = {
		0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57,
	};
	static const uint8_t restore[] = {
		0x41, 0x5F, 0x41, 0x5E, 0x41, 0x5D, 0x41, 0x5C, 0x5D, 0x5B, 0xC3,
	};
	struct emit e = { slot, 0 };
	uint64_t ctx = (uint64_t)(uintptr_t)&o->ctx;

	for (size_t i = 0; i < sizeof(save); i++)
		emit1(&e, save[i]);
	emit1(&e, 0x48);				/* movabs rax, ctx */
	emit1(&e, 0xB8);
	emit64(&e, ctx);
	emit_rax_mem(&e, 1, 4, offsetof(struct native_ctx, host_rsp));
	if (tf) {
		for (unsigned i = 0; i < 6; i++)
			emit1(&e, 0x90);		/* keep PROLOGUE_LEN */
	} else {
		emit1(&e, 0xFF);			/* push [rax + rflags_in] */
		emit1(&e, 0xB0);
		emit32(&e, offsetof(struct native_ctx, rflags_in));
		emit1(&e, 0x9D);			/* popfq */
	}
	for (unsigned r = 1; r < 16; r++)
		emit_rax_mem(&e, 0, r, (uint32_t)(offsetof(struct native_ctx, in) + 8 * r));
	emit_rax_mem(&e, 0, 0, offsetof(struct native_ctx, in));
	if (tf)
		emit1(&e, 0x9D);			/* popfq from tf_stack */
	assert_int_equal(e.n, PROLOGUE_LEN);
	for (unsigned i = 0; i < len; i++)
		emit1(&e, insn[i]);
	emit1(&e, 0x48);				/* mov [moffs64], rax */
	emit1(&e, 0xA3);
	emit64(&e, ctx + offsetof(struct native_ctx, out));
	emit1(&e, 0x48);				/* movabs rax, ctx */
	emit1(&e, 0xB8);
	emit64(&e, ctx);
	for (unsigned r = 1; r < 16; r++)
		emit_rax_mem(&e, 1, r, (uint32_t)(offsetof(struct native_ctx, out) + 8 * r));
	emit_rax_mem(&e, 0, 4, offsetof(struct native_ctx, host_rsp));
	emit1(&e, 0x9C);				/* pushfq; pop rcx */
	emit1(&e, 0x59);
	emit_rax_mem(&e, 1, 1, offsetof(struct native_ctx, rflags_out));
	emit1(&e, 0xFC);				/* cld: the ABI wants DF clear */
	for (size_t i = 0; i < sizeof(restore); i++)
		emit1(&e, restore[i]);
	assert_true(e.n <= CODE_SLOT);
}

/* The next slot, round robin (the CPU or valgrind sees the code change). */
static uint8_t *
next_slot(struct oracle *o)
{
	uint8_t *s = o->code + (size_t)(o->slot % SLOTS) * CODE_SLOT;

	o->slot++;
	return s;
}

/* Run the trampoline in slot; 0, or the signal that stopped it. */
static int
native_call(struct oracle *o, uint8_t *slot)
{
	sigjmp_buf jb;
	void (*fn)(void) = (void (*)(void))(uintptr_t)slot;
	int sig;

	if (code_set_writable(o, 0) != 0)
		fail_msg("mprotect RX: %s", strerror(errno));
	memset(&o->fault, 0, sizeof(o->fault));
	native_fault_out = &o->fault;
	native_jump = &jb;
	sig = sigsetjmp(jb, 1);
	if (sig == 0)
		fn();
	else
		__asm__ volatile("cld" ::: "memory");	/* see on_native_signal() */
	native_jump = NULL;
	native_fault_out = NULL;
	if (code_set_writable(o, 1) != 0)
		fail_msg("mprotect RW: %s", strerror(errno));
	return sig;
}

/* ---- building a case ---- */

static int
fits_s32(uint64_t v)
{
	return (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX;
}

static uint64_t
sext(uint64_t v, unsigned bytes)
{
	unsigned sh = 64 - 8 * bytes;

	return bytes >= 8 ? v : (uint64_t)((int64_t)(v << sh) >> sh);
}

static uint64_t
low_bytes(uint64_t v, unsigned bytes)
{
	return bytes >= 8 ? v : v & ((1ull << (8 * bytes)) - 1);
}

static uint64_t
load_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* The inverse of odd m modulo 2^64 (Newton). */
static uint64_t
inverse64(uint64_t m)
{
	uint64_t x = m;

	for (int i = 0; i < 6; i++)
		x *= 2 - m * x;
	return x;
}

/* The address registers of c's ModRM/SIB; -1 for none; *rip_rel for RIP-relative. */
static void
address_regs(const struct gcase *c, int *base, int *index, unsigned *scale,
	     int *rip_rel)
{
	unsigned rexb = (c->r.rex & 1) ? 8 : 0;
	unsigned rexx = (c->r.rex & 2) ? 8 : 0;

	*base = -1;
	*index = -1;
	*scale = 1;
	*rip_rel = 0;
	if (c->r.rm == 4) {
		*scale = 1u << c->r.scale;
		if (!(c->r.index == 4 && !rexx))
			*index = (int)(c->r.index | rexx);
		if (!(c->r.mod == 0 && c->r.base == 5))
			*base = (int)(c->r.base | rexb);
	} else if (c->r.mod == 0 && c->r.rm == 5) {
		*rip_rel = 1;
	} else {
		*base = (int)(c->r.rm | rexb);
	}
}

/*
 * The linear address c's operand names, computed forward from its
 * registers as the SDM defines it; checks the solver independently.
 */
static uint64_t
forward_address(const struct oracle *o, const struct gcase *c)
{
	int base, index, rip_rel;
	unsigned scale;
	uint64_t ea = (uint64_t)(int64_t)c->disp;

	address_regs(c, &base, &index, &scale, &rip_rel);
	if (rip_rel)
		ea += c->rip + c->len;
	if (base >= 0)
		ea += c->regs[base];
	if (index >= 0)
		ea += c->regs[index] * scale;
	if (c->addr32)
		ea &= 0xffffffffull;
	if (c->seg == 0x64)
		ea += o->fs_base;
	else if (c->seg == 0x65)
		ea += o->gs_base;
	return ea;
}

/* A displacement of the form's width; small or large at random. */
static int32_t
rnd_disp(struct oracle *o, unsigned bytes)
{
	if (bytes == 1)
		return (int8_t)rnd(o);
	if (rnd_below(o, 2))
		return (int32_t)(int16_t)rnd(o);
	/* Keep room to adjust by up to 8 without overflowing. */
	return (int32_t)((uint32_t)rnd(o) >> 1) - 0x3ffffff0;
}

/*
 * Choose disp and the base/index register values so that the operand's
 * linear address is c->target. Returns -1 when no choice can (a disp32-only
 * or 67 form that cannot reach the page from this segment base).
 */
static int
solve_address(struct oracle *o, struct gcase *c)
{
	int base, index, rip_rel;
	unsigned scale, s = 0;
	uint64_t seg_base = c->seg == 0x64 ? o->fs_base : c->seg == 0x65 ? o->gs_base : 0;
	uint64_t t = c->target - seg_base;
	uint64_t mask = c->addr32 ? 0xffffffffull : ~0ull;
	unsigned width = c->addr32 ? 32 : 64;
	uint64_t r, v;
	int32_t d = 0;

	address_regs(c, &base, &index, &scale, &rip_rel);
	while ((1u << s) < scale)
		s++;
	if (c->addr32 && t > 0xffffffffull)
		return -1;
	if (rip_rel) {
		r = t - (c->rip + c->len);
		if (!c->addr32 && !fits_s32(r))
			return -1;
		c->disp = (int32_t)(uint32_t)r;
		return 0;
	}
	if (c->disp_bytes)
		d = rnd_disp(o, c->disp_bytes);
	if (base < 0 && index < 0) {
		if (!c->addr32 && !fits_s32(t))
			return -1;
		c->disp = (int32_t)(uint32_t)t;
		return 0;
	}
	r = (t - (uint64_t)(int64_t)d) & mask;
	if (base >= 0 && index >= 0 && base != index) {
		v = rnd_value(o);
		c->regs[index] = v;
		c->regs[base] = (r - v * scale) & mask;
	} else if (base >= 0 && index < 0) {
		c->regs[base] = r;
	} else {
		/* index alone (no base), or base == index: value * m == r. */
		uint64_t m = base >= 0 ? scale + 1 : scale;
		unsigned ms = base >= 0 ? (scale == 1 ? 1 : 0) : s;

		if (ms) {
			/* m is a power of two: r must be a multiple of it. Move
			 * disp (within its width) or, without one, the access. */
			uint64_t m2 = 1ull << ms;
			uint64_t fix = r & (m2 - 1);

			if (fix && (c->disp_bytes == 4 ||
				    (c->disp_bytes == 1 && d + (int32_t)fix <= INT8_MAX))) {
				d += (int32_t)fix;
				r -= fix;
			} else if (fix && c->disp_bytes == 1) {
				d -= (int32_t)(m2 - fix);
				r += m2 - fix;
			} else if (fix && c->off >= fix) {
				c->off -= (unsigned)fix;
				c->target -= fix;
				r -= fix;
			} else if (fix) {
				c->off += (unsigned)(m2 - fix);
				c->target += m2 - fix;
				r += m2 - fix;
			}
			r &= mask;
			v = r >> ms;
			/* Bits the multiplication shifts out are free. */
			v |= (rnd(o) << (width - ms)) & mask;
		} else {
			v = (r * inverse64(m)) & mask;
		}
		c->regs[index >= 0 ? index : base] = v;
	}
	if (c->addr32) {
		/* Bits 63:32 of the address registers are ignored with 67. */
		if (base >= 0)
			c->regs[base] = (c->regs[base] & mask) | (rnd(o) << 32);
		if (index >= 0 && index != base)
			c->regs[index] = (c->regs[index] & mask) | (rnd(o) << 32);
	}
	c->disp = d;
	return 0;
}

/* Encode c->bytes from the recipe, disp and imm. */
static void
encode(struct gcase *c)
{
	unsigned n = 0;

	for (unsigned i = 0; i < c->r.pfx.n; i++)
		c->bytes[n++] = c->r.pfx.b[i];
	if (c->r.rex)
		c->bytes[n++] = c->r.rex;
	for (unsigned i = 0; i < c->op->n; i++)
		c->bytes[n++] = c->op->b[i];
	c->bytes[n++] = (uint8_t)(c->r.mod << 6 | c->r.reg << 3 | c->r.rm);
	if (c->r.rm == 4 && c->r.mod != 3)
		c->bytes[n++] = (uint8_t)(c->r.scale << 6 | c->r.index << 3 | c->r.base);
	c->shape_len = n;
	for (unsigned i = 0; i < c->disp_bytes; i++)
		c->bytes[n++] = (uint8_t)((uint32_t)c->disp >> (8 * i));
	for (unsigned i = 0; i < c->imm_bytes; i++)
		c->bytes[n++] = (uint8_t)(c->imm >> (8 * i));
	assert_int_equal(n, c->len);
}

/* Fill the prefix-derived and size fields of c from its recipe. */
static void
derive(struct gcase *c)
{
	const struct recipe *r = &c->r;
	unsigned rexr = (r->rex & 4) ? 8 : 0;

	c->op = &ops[r->op];
	c->opsize16 = c->addr32 = c->stale_rex = c->rep = 0;
	c->seg = 0;
	for (unsigned i = 0; i < r->pfx.n; i++) {
		uint8_t b = r->pfx.b[i];

		if (b == 0x66)
			c->opsize16 = 1;
		else if (b == 0x67)
			c->addr32 = 1;
		else if ((b & 0xF0) == 0x40)
			c->stale_rex = 1;
		else if (b == 0xF2 || b == 0xF3)
			c->rep = 1;
		else if (b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E ||
			 b == 0x64 || b == 0x65)
			c->seg = b;
	}
	c->opnd = (r->rex & 8) ? 8 : c->opsize16 ? 2 : 4;
	c->size = c->op->msize ? c->op->msize : c->opnd;
	c->write = c->op->kind == K_WRITE || c->op->kind == K_WRITE_IMM;
	c->high8 = 0;
	if (c->op->kind == K_WRITE_IMM) {
		c->regno = -1;
	} else {
		c->regno = (int)(r->reg | rexr);
		if (c->op->byte_reg && !r->rex && r->reg >= 4) {
			c->high8 = 1;
			c->regno = (int)r->reg - 4;
		}
	}
	c->disp_bytes = 0;
	if (r->mod == 1)
		c->disp_bytes = 1;
	else if (r->mod == 2 || (r->mod == 0 && r->rm == 5) ||
		 (r->mod == 0 && r->rm == 4 && r->base == 5))
		c->disp_bytes = 4;
	c->imm_bytes = 0;
	if (c->op->kind == K_WRITE_IMM)
		c->imm_bytes = c->size == 1 ? 1 : c->size == 2 ? 2 : 4;
	c->len = r->pfx.n + (r->rex ? 1u : 0u) + c->op->n + 1 +
		 (r->rm == 4 ? 1u : 0u) + c->disp_bytes + c->imm_bytes;
}

/*
 * Turn recipe r into a runnable case placed in slot: registers, flags,
 * page offset, immediate, displacement. Returns 0, or -1 when the form
 * cannot reach a data page from here.
 */
static int
build_case(struct oracle *o, const struct recipe *r, uint8_t *slot,
	   struct gcase *c)
{
	memset(c, 0, sizeof(*c));
	c->r = *r;
	derive(c);
	if (c->len > MAX_INSN)
		return -1;
	c->rip = (uint64_t)(uintptr_t)slot + PROLOGUE_LEN;
	c->page = (c->seg == 0x64 && o->fsnear) ? o->fsnear : o->low;
	switch (rnd_below(o, 8)) {
	case 0:
		c->off = PAGE - c->size;	/* the last bytes of the page */
		break;
	case 1:
		c->off = 0;
		break;
	default:
		c->off = rnd_below(o, PAGE - c->size + 1);
		break;
	}
	c->target = (uint64_t)(uintptr_t)c->page + c->off;
	for (unsigned i = 0; i < 16; i++)
		c->regs[i] = rnd_value(o);
	c->rflags = 0x202 | (rnd(o) & FLAGS_TESTED);
	c->imm = (uint32_t)rnd_value(o);
	c->garbage = rnd_below(o, 2) ? rnd(o) : 0;
	if (solve_address(o, c) != 0)
		return -1;
	encode(c);
	if (forward_address(o, c) != c->target)
		fail_msg("harness: solver put %s at %#llx, wanted %#llx", c->op->name,
			 (unsigned long long)forward_address(o, c),
			 (unsigned long long)c->target);
	return 0;
}

/* ---- the simulated side ---- */

static uint64_t
vmm_call(void *ctx, struct tdxsim_tdvmcall *call)
{
	struct vmm *v = ctx;
	uint64_t size = call->r12;
	uint64_t off = call->r14 & (PAGE - 1);

	v->calls++;
	if (call->r10 != 0 || call->r11 != EXIT_EPT ||
	    (size != 1 && size != 2 && size != 4 && size != 8) ||
	    call->r13 > 1 || (call->r14 & ~(uint64_t)(PAGE - 1)) != MMIO_GPA ||
	    off + size > PAGE) {
		v->refused = 1;
		call->r10 = INVALID_OPERAND;
		return 0;
	}
	if (call->r13) {
		for (unsigned i = 0; i < size; i++)
			v->page[off + i] = (uint8_t)(call->r15 >> (8 * i));
	} else {
		/* A sloppy but legal VMM: bits above size are not zero. */
		call->r11 = load_le(v->page + off, (unsigned)size);
		if (size < 8)
			call->r11 |= v->garbage << (8 * size);
	}
	call->r10 = 0;
	return 0;
}

/*
 * Set up the vCPU registers and VE_INFO handler h sees for c; returns the
 * mode to run it in (1: user). ARCH runs as what the access natively is,
 * a user-mode access (the user-MMIO option on) whose #VE reports the
 * access's own address as GLA: arch mode refuses a GLA off the operand's
 * page. LINUX runs as upstream can, in kernel mode, with a kernel GLA at
 * the same page offset (fault_in_kernel_space(), CVE-2024-47727).
 */
static int
sim_input(const struct oracle *o, const struct gcase *c,
	  const struct tdxsim_mmio_handler *h, struct tdxsim_vcpu_regs *regs,
	  struct tdxsim_veinfo *ve)
{
	int user = h == o->arch;

	memset(regs, 0, sizeof(*regs));
	memcpy(regs->gpr, c->regs, sizeof(regs->gpr));
	regs->rip = c->rip;
	regs->rflags = c->rflags;
	regs->fs_base = o->fs_base;
	regs->gs_base = o->gs_base;
	memset(ve, 0, sizeof(*ve));
	ve->exit_reason = EXIT_EPT;
	/* EPT violation qualification: read/write, GLA valid, translated access. */
	ve->exit_qual = (c->write ? 0x2 : 0x1) | 0x80 | 0x100;
	ve->gla = user ? c->target : KERNEL_GLA | (c->target & (PAGE - 1));
	ve->gpa = MMIO_GPA | (c->target & (PAGE - 1));
	return user;
}

/* Run handler h on c against a copy of o->before; the outcome in o->sim. */
static void
sim_run(struct oracle *o, struct tdxsim_mmio_handler *h, const struct gcase *c)
{
	struct sim_out *s = &o->sim;
	struct tdxsim_veinfo ve;
	struct vmm v;
	int user;

	memcpy(s->page, o->before, PAGE);
	v.page = s->page;
	v.garbage = c->garbage;
	v.calls = 0;
	v.refused = 0;
	user = sim_input(o, c, h, &s->regs, &ve);
	memset(&s->res, 0, sizeof(s->res));
	/* The bytes at RIP: the instruction and the trampoline after it, 15 readable. */
	s->rc = tdxsim_mmio_handle(h, &s->regs, &ve, (const uint8_t *)(uintptr_t)c->rip,
				   MAX_INSN, user, vmm_call, &v, &s->res);
	s->vmm_calls = v.calls;
	s->vmm_refused = v.refused;
}

/* ---- reporting ---- */

static void
hex(char *buf, size_t cap, const uint8_t *b, unsigned n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < n && used + 4 < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%02X", i ? " " : "", b[i]);
}

static const char *const gpr_names[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

/*
 * Count a failure under its shape; returns whether it is the first of its
 * shape (then printed in full, within MAX_DETAILS).
 */
static int
note_shape(struct oracle *o, char mode, const struct gcase *c)
{
	unsigned n = c->shape_len < 10 ? c->shape_len : 10;

	for (unsigned i = 0; i < o->nshapes; i++) {
		struct shape *s = &o->shapes[i];

		if (s->mode == mode && s->n == n && memcmp(s->b, c->bytes, n) == 0) {
			s->count++;
			return 0;
		}
	}
	if (o->nshapes == MAX_SHAPES) {
		o->shapes_lost++;
		return 0;
	}
	o->shapes[o->nshapes].mode = mode;
	o->shapes[o->nshapes].n = n;
	memcpy(o->shapes[o->nshapes].b, c->bytes, n);
	o->shapes[o->nshapes].count = 1;
	o->nshapes++;
	return 1;
}

static void
describe(const struct oracle *o, const struct gcase *c)
{
	char b[64];

	hex(b, sizeof(b), c->bytes, c->len);
	print_message("    insn %s  (%s; size %u opnd %u reg %s%s; EA %#llx %s off %#x; rip %#llx)\n",
		      b, c->op->name, c->size, c->opnd,
		      c->regno < 0 ? "-" : gpr_names[c->regno], c->high8 ? " byte 1" : "",
		      (unsigned long long)c->target, c->page == o->low ? "low" : "fsnear",
		      c->off, (unsigned long long)c->rip);
}

/* Print expected vs actual registers and page bytes where they differ. */
static void
print_diff(const struct oracle *o, const struct gcase *c, const uint64_t *want,
	   const uint8_t *want_page)
{
	const struct sim_out *s = &o->sim;
	char a[64], w[64];

	for (unsigned i = 0; i < 16; i++)
		if (want[i] != s->regs.gpr[i])
			print_message("    %-3s in %016llx want %016llx got %016llx\n",
				      gpr_names[i], (unsigned long long)c->regs[i],
				      (unsigned long long)want[i],
				      (unsigned long long)s->regs.gpr[i]);
	if (memcmp(want_page, s->page, PAGE) != 0) {
		unsigned first = 0, last = PAGE - 1;

		while (want_page[first] == s->page[first])
			first++;
		while (want_page[last] == s->page[last])
			last--;
		if (last - first >= 16)
			last = first + 15;
		hex(w, sizeof(w), want_page + first, last - first + 1);
		hex(a, sizeof(a), s->page + first, last - first + 1);
		print_message("    page +%#x want %s got %s\n", first, w, a);
	}
	print_message("    status %d rc %d fatal %d reason %s len %u tdvmcall %d bus %u "
		      "R12 %llu R13 %llu R14 %#llx R15 %#llx rip %#llx flags %#llx\n",
		      s->res.status, s->rc, s->res.fatal,
		      s->res.reason ? s->res.reason : "-", s->res.insn_len,
		      s->res.tdvmcall_made, s->res.bus_accesses,
		      (unsigned long long)s->res.request.r12,
		      (unsigned long long)s->res.request.r13,
		      (unsigned long long)s->res.request.r14,
		      (unsigned long long)s->res.request.r15,
		      (unsigned long long)s->regs.rip,
		      (unsigned long long)s->regs.rflags);
}

static void
report(struct oracle *o, char mode, const struct gcase *c, const char *why,
       const uint64_t *want, const uint8_t *want_page)
{
	if (!note_shape(o, mode, c) || o->details >= MAX_DETAILS)
		return;
	o->details++;
	print_message("  %s mismatch: %s\n", mode == 'A' ? "ARCH" : "LINUX", why);
	describe(o, c);
	print_diff(o, c, want, want_page);
}

/* ---- checks ---- */

/* The value c writes: the register operand's bytes, or the immediate. */
static uint64_t
written_value(const struct gcase *c)
{
	if (c->op->kind == K_WRITE_IMM)
		return low_bytes(sext(c->imm, c->imm_bytes), c->size);
	if (c->high8)
		return (c->regs[c->regno] >> 8) & 0xff;
	return low_bytes(c->regs[c->regno], c->size);
}

/*
 * The native run agrees with what the generator meant (else the test, not
 * the handler, is wrong): a write changed exactly [off, off + size) to the
 * source value and no register; a read changed no page byte and only the
 * destination, whose low bytes (byte 1 for AH..BH) are the page bytes.
 */
static const char *
native_selfcheck(const struct oracle *o, const struct gcase *c)
{
	const uint64_t *out = o->ctx.out;

	if ((o->ctx.rflags_out & FLAGS_TESTED) != (c->rflags & FLAGS_TESTED))
		return "RFLAGS changed";
	for (unsigned i = 0; i < 16; i++)
		if (out[i] != c->regs[i] && (c->write || (int)i != c->regno))
			return "a register other than the destination changed";
	for (unsigned i = 0; i < PAGE; i++)
		if (c->page[i] != o->before[i] &&
		    (!c->write || i < c->off || i >= c->off + c->size))
			return "a page byte outside the access changed";
	if (c->write) {
		if (load_le(c->page + c->off, c->size) != written_value(c))
			return "the page does not hold the source value";
	} else if (c->high8) {
		if (((out[c->regno] >> 8) & 0xff) != c->page[c->off])
			return "AH..BH does not hold the page byte";
	} else if (low_bytes(out[c->regno], c->size) != load_le(c->page + c->off, c->size)) {
		return "the destination does not hold the page bytes";
	}
	return NULL;
}

/* The TDVMCALL request fields every accepted case must carry. */
static const char *
check_request(const struct gcase *c, const struct sim_out *s)
{
	const struct tdxsim_tdvmcall *q = &s->res.request;

	if (!s->res.tdvmcall_made || s->vmm_calls != 1 || s->res.bus_accesses != 1)
		return "not exactly one TDVMCALL";
	if (s->vmm_refused)
		return "the VMM refused the request (R10..R14 malformed)";
	if (q->r10 != 0 || q->r11 != EXIT_EPT)
		return "R10/R11 not TDVMCALL standard / EPT violation";
	if (q->r12 != c->size)
		return "R12 (size) wrong";
	if (q->r13 != (uint64_t)c->write)
		return "R13 (direction) wrong";
	if (q->r14 != (MMIO_GPA | (c->target & (PAGE - 1))))
		return "R14 is not ve->gpa";
	return NULL;
}

/* Why the ARCH outcome in o->sim is not the CPU's; NULL when it is. */
static const char *
arch_verdict(const struct oracle *o, const struct gcase *c)
{
	const struct sim_out *s = &o->sim;
	const char *why;

	if (s->rc != 0 || s->res.status != 0 || s->res.fatal)
		return "refused an instruction the CPU executes";
	if (s->res.exception || s->res.inconsistent)
		return "an exception or inconsistency the CPU did not see";
	if (s->res.insn_len != c->len || s->regs.rip != c->rip + c->len)
		return "length / RIP advance differs from the CPU";
	why = check_request(c, s);
	if (why)
		return why;
	if (c->write && s->res.request.r15 != written_value(c))
		return "R15 is not the value zero-extended from size";
	if (memcmp(s->regs.gpr, o->ctx.out, sizeof(o->ctx.out)) != 0)
		return "registers differ from the CPU";
	if (memcmp(s->page, c->page, PAGE) != 0)
		return "memory effect differs from the CPU";
	if (s->regs.rflags != c->rflags || s->regs.fs_base != o->fs_base ||
	    s->regs.gs_base != o->gs_base)
		return "RFLAGS or a segment base changed";
	return NULL;
}

/* ARCH must equal the CPU exactly; 0 when it does. */
static int
check_arch(struct oracle *o, const struct gcase *c)
{
	const char *why;

	sim_run(o, o->arch, c);
	why = arch_verdict(o, c);
	if (!why)
		return 0;
	o->st.arch_fail++;
	report(o, 'A', c, why, o->ctx.out, c->page);
	return 1;
}

/*
 * Upstream's prefix table holds the last legacy prefix twice when there are
 * exactly three distinct ones; a segment override there counts as two, so
 * the address is an error and an access of 2 bytes or more is -EFAULT
 * (docs/guest.md, linux-mode divergence 8b).
 */
static int
linux_segment_counted_twice(const struct gcase *c)
{
	uint8_t seen[4], last = 0;
	unsigned n = 0;

	for (unsigned i = 0; i < c->len; i++) {
		uint8_t b = c->bytes[i];
		unsigned j;

		if (b != 0x66 && b != 0x67 && b != 0xF0 && b != 0xF2 && b != 0xF3 &&
		    b != 0x2E && b != 0x36 && b != 0x3E && b != 0x26 && b != 0x64 && b != 0x65)
			break;
		for (j = 0; j < n && seen[j] != b; j++)
			;
		if (j == n && n < 4)
			seen[n++] = b;
		last = b;
	}
	return n == 3 && (last == 0x2E || last == 0x36 || last == 0x3E ||
			  last == 0x26 || last == 0x64 || last == 0x65) && c->size >= 2;
}

/*
 * LINUX may differ from the CPU only as predicted from the native result;
 * counts the bucket of a visible difference. 0 when within the buckets.
 */
static int
check_linux(struct oracle *o, const struct gcase *c)
{
	const struct sim_out *s = &o->sim;
	uint64_t pred[16];
	const char *why = NULL;
	enum bucket b = B_SAME;
	uint64_t r15_low, r15;

	sim_run(o, o->linux_h, c);
	if (c->stale_rex && (s->rc != 0 || s->res.status != 0)) {
		/* Upstream decodes REX + prefix as REX + opcode: DECODE_FAILED. */
		if (s->res.tdvmcall_made || s->res.status >= 0 ||
		    memcmp(s->page, o->before, PAGE) != 0 ||
		    memcmp(s->regs.gpr, c->regs, sizeof(c->regs)) != 0 ||
		    s->regs.rip != c->rip)
			why = "refusal had side effects";
		else
			o->st.bucket[B_REFUSED]++;
		goto out;
	}
	if (!c->stale_rex && linux_segment_counted_twice(c)) {
		if (s->rc != 0 || s->res.status != -EFAULT || s->res.tdvmcall_made ||
		    memcmp(s->page, o->before, PAGE) != 0 ||
		    memcmp(s->regs.gpr, c->regs, sizeof(c->regs)) != 0 ||
		    s->regs.rip != c->rip)
			why = "three prefixes ending in a segment override: not -EFAULT";
		else
			o->st.bucket[B_SEG_DUP]++;
		goto out;
	}
	memcpy(pred, o->ctx.out, sizeof(pred));
	memcpy(o->pred_page, c->page, PAGE);
	if (c->high8) {
		/* insn_get_modrm_reg_ptr(): ModRM.reg 4..7 is RSP..RDI, low byte. */
		unsigned lr = (unsigned)c->regno + 4;

		if (c->write) {
			memcpy(o->pred_page, o->before, PAGE);
			o->pred_page[c->off] = (uint8_t)c->regs[lr];
		} else {
			memcpy(pred, c->regs, sizeof(pred));
			pred[lr] = (c->regs[lr] & ~0xffull) | o->before[c->off];
		}
		b = B_HIGH8;
	} else if ((c->op->kind == K_ZX || c->op->kind == K_SX) && c->opnd == 4) {
		/* memset(reg, ext, opnd_bytes = 4): bits 63:32 stay. */
		pred[c->regno] = (c->regs[c->regno] & 0xffffffff00000000ull) |
				 (o->ctx.out[c->regno] & 0xffffffffull);
		b = B_ZXSX32;
	}
	if (s->rc != 0 || s->res.status != 0 || s->res.fatal)
		why = "refused an instruction upstream accepts";
	else if (s->res.insn_len != c->len || s->regs.rip != c->rip + c->len)
		why = "length / RIP advance differs from the CPU";
	else if (check_request(c, s))
		why = check_request(c, s);
	else if (memcmp(s->regs.gpr, pred, sizeof(pred)) != 0)
		why = "registers differ from the CPU outside the buckets";
	else if (memcmp(s->page, o->pred_page, PAGE) != 0)
		why = "memory effect differs from the CPU outside the buckets";
	else if (s->regs.rflags != c->rflags)
		why = "RFLAGS changed";
	if (why || !c->write)
		goto out;
	/* The TDVMCALL value: the low size bytes are what reached the page. */
	r15 = s->res.request.r15;
	r15_low = load_le(o->pred_page + c->off, c->size);
	if (c->op->kind == K_WRITE_IMM) {
		if (r15 != sext(c->imm, c->imm_bytes))
			why = "R15 is not the sign-extended immediate (val = insn.immediate.value)";
		else if (r15 != r15_low && b == B_SAME)
			b = B_R15_IMM;
	} else if (low_bytes(r15, c->size) != r15_low) {
		why = "R15 low bytes are not the stored value";
	} else if (r15 != r15_low && b == B_SAME) {
		b = B_R15_POISON;
	}
out:
	if (why) {
		o->st.linux_fail++;
		report(o, 'L', c, why, pred, o->pred_page);
		return 1;
	}
	if (c->stale_rex && s->res.status == 0)
		o->st.linux_stale_ok++;
	if (!c->stale_rex && !linux_segment_counted_twice(c)) {
		/* A predicted bucket counts only when the CPU result differs. */
		if ((b == B_HIGH8 || b == B_ZXSX32) &&
		    memcmp(pred, o->ctx.out, sizeof(pred)) == 0 &&
		    memcmp(o->pred_page, c->page, PAGE) == 0)
			b = B_SAME;
		o->st.bucket[b]++;
	}
	return 0;
}

/*
 * The split probe: the handler uses the address it computes from the
 * registers only for the page-split test (handle_mmio()), so that is where a
 * wrong base, index, scale, displacement, RIP or segment base shows. Re-solve
 * c's form for an access that crosses the end of the page by 1..size-1
 * bytes; both modes must refuse it with -EFAULT and change nothing. The CPU
 * already ran the same form at a valid address, and forward_address()
 * checks the solution.
 */
static void
split_probe(struct oracle *o, const struct gcase *c)
{
	struct tdxsim_mmio_handler *hs[2] = { o->arch, o->linux_h };
	struct gcase p = *c;
	uint8_t bytes[MAX_INSN + 16];
	int split;

	if (c->size < 2 || c->stale_rex)
		return;
	p.off = PAGE - c->size + 1 + rnd_below(o, c->size - 1);
	p.target = (uint64_t)(uintptr_t)p.page + p.off;
	if (solve_address(o, &p) != 0)
		return;
	encode(&p);
	if (forward_address(o, &p) != p.target)
		fail_msg("harness: split probe solved to %#llx, wanted %#llx",
			 (unsigned long long)forward_address(o, &p),
			 (unsigned long long)p.target);
	/* The solver may move a no-displacement access by one byte. */
	split = p.off + p.size > PAGE;
	memset(bytes, 0x90, sizeof(bytes));
	memcpy(bytes, p.bytes, p.len);
	for (unsigned m = 0; m < 2; m++) {
		struct sim_out *s = &o->sim;
		struct tdxsim_veinfo ve;
		struct vmm v = { s->page, 0, 0, 0 };
		const char *why = NULL;

		int user;

		memcpy(s->page, o->before, PAGE);
		user = sim_input(o, &p, hs[m], &s->regs, &ve);
		memset(&s->res, 0, sizeof(s->res));
		s->rc = tdxsim_mmio_handle(hs[m], &s->regs, &ve, bytes, MAX_INSN, user,
					   vmm_call, &v, &s->res);
		o->st.probes++;
		if (!split)
			why = s->res.status == 0 ? NULL : "refused an access within the page";
		else if (s->res.status != -EFAULT)
			why = "split probe: page-crossing access not refused with -EFAULT "
			      "(effective address computed wrong?)";
		else if (s->res.tdvmcall_made || v.calls ||
			 memcmp(s->regs.gpr, p.regs, sizeof(p.regs)) != 0 ||
			 s->regs.rip != p.rip)
			why = "split probe: refusal had side effects";
		if (why) {
			o->st.probe_fail++;
			report(o, m ? 'L' : 'A', &p, why, p.regs, o->before);
		}
	}
}

/*
 * Randomise the bytes around the access, then snapshot the page: the CPU,
 * ARCH and LINUX all start from o->before.
 */
static void
prepare_page(struct oracle *o, const struct gcase *c)
{
	unsigned lo = c->off >= 16 ? c->off - 16 : 0;
	unsigned hi = c->off + 24 < PAGE ? c->off + 24 : PAGE;

	for (unsigned i = lo; i < hi; i++)
		c->page[i] = (uint8_t)rnd(o);
	memcpy(o->before, c->page, PAGE);
}

/*
 * Generate, run natively and check one case in both modes, then its split
 * probe. A case that cannot run here is only counted (infeasible, or not
 * runnable under valgrind).
 */
static void
run_recipe(struct oracle *o, const struct recipe *r)
{
	struct gcase c;
	uint8_t *slot = next_slot(o);
	const char *bad;
	int sig;

	o->st.generated++;
	if (build_case(o, r, slot, &c) != 0) {
		o->st.infeasible++;
		return;
	}
	if (o->valgrind && (c.seg == 0x65 || c.rep || c.stale_rex ||
			    (c.op->kind != K_WRITE && c.op->kind != K_READ &&
			     c.op->msize == 2 && c.opnd == 2))) {
		/*
		 * valgrind 3.19's CPU (VEX) gets these wrong, measured: it
		 * honours a REX before a legacy prefix (4F 66 88 82 ... writes
		 * through R10, not RDX), has no 66 0F B7/BF (MOVZX/MOVSX r16,
		 * r/m16) nor F2/F3 on MOV (SIGILL), and supports %gs only where
		 * it is constant (not Linux; nor can we set a GS base under it).
		 * The run without valgrind covers them.
		 */
		o->st.vg_skipped++;
		return;
	}
	emit_trampoline(o, slot, c.bytes, c.len, 0);
	prepare_page(o, &c);
	memcpy(o->ctx.in, c.regs, sizeof(c.regs));
	o->ctx.rflags_in = c.rflags;
	sig = native_call(o, slot);
	if (sig != 0) {
		if (o->valgrind) {
			/* valgrind's CPU does not decode every legal prefix mix. */
			memcpy(c.page, o->before, PAGE);
			o->st.vg_skipped++;
			return;
		}
		describe(o, &c);
		fail_msg("harness: the CPU raised signal %d on an allowlisted instruction", sig);
	}
	o->st.native++;
	bad = native_selfcheck(o, &c);
	if (bad) {
		o->st.harness++;
		if (o->st.harness <= 5) {
			print_message("  harness: %s\n", bad);
			describe(o, &c);
		}
		return;
	}
	check_arch(o, &c);
	check_linux(o, &c);
	split_probe(o, &c);
}

/* ---- setup ---- */

static int
is_valgrind(void)
{
	const char *p = getenv("LD_PRELOAD");

#ifdef HAVE_VALGRIND_H
	if (RUNNING_ON_VALGRIND)
		return 1;
#endif
	/* valgrind preloads its vgpreload_*.so into the client. */
	return p && strstr(p, "vgpreload") != NULL;
}

/* A guarded data page near and above fs_base, for FS forms with 67/disp32/RIP. */
static void
map_fsnear(struct oracle *o)
{
	uint64_t start = (o->fs_base + 0x10000 + PAGE - 1) & ~(uint64_t)(PAGE - 1);

	for (unsigned i = 0; i < 512; i++) {
		uint64_t step = i < 256 ? 0x100000ull : 0x800000ull;
		uint64_t at = start + (i < 256 ? i * step : 256 * 0x100000ull + (i - 256) * step);
		void *p;

		if (at + 3 * PAGE - o->fs_base >= 0x7fff0000ull || at + 3 * PAGE > (1ull << 47))
			break;
		p = mmap((void *)(uintptr_t)at, 3 * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == MAP_FAILED)
			continue;
		if ((uint64_t)(uintptr_t)p != at) {
			/* An old kernel took it as a hint only. */
			munmap(p, 3 * PAGE);
			continue;
		}
		o->fsmap = p;
		o->fsnear = o->fsmap + PAGE;
		mprotect(o->fsmap, PAGE, PROT_NONE);
		mprotect(o->fsnear + PAGE, PAGE, PROT_NONE);
		return;
	}
}

static int
group_setup(void **state)
{
	struct oracle *o = calloc(1, sizeof(*o));
	struct tdxsim_mmio_config cfg = TDXSIM_CONFIG_INIT(tdxsim_mmio_config);
	stack_t ss;

	assert_non_null(o);
	o->rng = 0x9E3779B97F4A7C15ull;
	o->valgrind = is_valgrind();
	/*
	 * valgrind retranslates every generated trampoline: sample the
	 * products, with a stride coprime to every loop dimension (8 regs,
	 * 2 REX forms, 17 REX values) so that no dimension collapses.
	 */
	o->stride = o->valgrind ? 5 : 1;

	/* Code, guard, low data page, guard: all below 2 GiB (MAP_32BIT) so
	 * disp32, RIP-relative and 67 forms reach the data page. */
	o->area_len = CODE_BYTES + 3 * PAGE;
	o->area = mmap(NULL, o->area_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (o->area == MAP_FAILED)
		o->area = mmap(NULL, o->area_len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(o->area != MAP_FAILED);
	o->code = o->area;
	o->low = o->area + CODE_BYTES + PAGE;
	assert_int_equal(mprotect(o->area + CODE_BYTES, PAGE, PROT_NONE), 0);
	assert_int_equal(mprotect(o->low + PAGE, PAGE, PROT_NONE), 0);
	if (mprotect(o->code, CODE_BYTES, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
		o->wx = 1;	/* W^X enforced: flip per case */

	assert_int_equal(syscall(SYS_arch_prctl, ARCH_GET_FS, &o->fs_base), 0);
	if (!o->valgrind &&
	    syscall(SYS_arch_prctl, ARCH_GET_GS, &o->gs_saved) == 0 &&
	    (uint64_t)(uintptr_t)o->low > GS_DELTA &&
	    syscall(SYS_arch_prctl, ARCH_SET_GS, (uint64_t)(uintptr_t)o->low - GS_DELTA) == 0) {
		/* glibc does not use GS on x86-64; a nonzero base proves the
		 * handler adds it. */
		o->gs_set = 1;
		o->gs_base = (uint64_t)(uintptr_t)o->low - GS_DELTA;
	}
	map_fsnear(o);

	/* Faults in the generated code may come with any RSP: own stack. */
	o->altstack_mem = malloc(1 << 16);
	assert_non_null(o->altstack_mem);
	ss.ss_sp = o->altstack_mem;
	ss.ss_size = 1 << 16;
	ss.ss_flags = 0;
	assert_int_equal(sigaltstack(&ss, &o->old_altstack), 0);

	cfg.gpaw = 48;
	cfg.user_mmio = 1;
	assert_int_equal(tdxsim_mmio_handler_new(&cfg, &o->arch), 0);
	cfg.mode = TDXSIM_MMIO_LINUX;
	cfg.user_mmio = 0;
	assert_int_equal(tdxsim_mmio_handler_new(&cfg, &o->linux_h), 0);
	*state = o;
	return 0;
}

static int
group_teardown(void **state)
{
	struct oracle *o = *state;

	tdxsim_mmio_handler_free(o->arch);
	tdxsim_mmio_handler_free(o->linux_h);
	sigaltstack(&o->old_altstack, NULL);
	free(o->altstack_mem);
	if (o->gs_set)
		syscall(SYS_arch_prctl, ARCH_SET_GS, o->gs_saved);
	if (o->fsmap)
		munmap(o->fsmap, 3 * PAGE);
	munmap(o->area, o->area_len);
	free(o);
	return 0;
}

/*
 * Catch faults of the generated code on the alternate stack. cmocka puts
 * its own handlers in place around each test (on the current stack, which
 * the instruction may have pointed anywhere), so each test arms ours and
 * puts cmocka's back when done; on a failure cmocka restores its own.
 */
static void
arm_signals(struct oracle *o)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_native_signal;
	sa.sa_flags = SA_ONSTACK | SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(sigaction(guarded_signals[i], &sa, &o->old_act[i]), 0);
}

static void
disarm_signals(struct oracle *o)
{
	for (unsigned i = 0; i < 5; i++)
		sigaction(guarded_signals[i], &o->old_act[i], NULL);
}

/* ---- results ---- */

static void
reset_stats(struct oracle *o)
{
	memset(&o->st, 0, sizeof(o->st));
	o->details = 0;
	o->nshapes = 0;
	o->shapes_lost = 0;
}

static void
print_stats(struct oracle *o, const char *what)
{
	const struct stats *st = &o->st;
	char b[40];

	print_message("%s: %lu generated, %lu run natively, %lu infeasible here, "
		      "%lu not runnable under valgrind, %lu harness errors\n",
		      what, st->generated, st->native, st->infeasible,
		      st->vg_skipped, st->harness);
	print_message("  ARCH: %lu identical to the CPU, %lu mismatches\n",
		      st->native - st->harness - st->arch_fail, st->arch_fail);
	print_message("  split probes (both modes): %lu, %lu wrong\n", st->probes, st->probe_fail);
	print_message("  LINUX: %lu mismatches outside the buckets; buckets:\n",
		      st->linux_fail);
	for (unsigned i = 0; i < B_COUNT; i++)
		print_message("    %-36s %lu\n", bucket_names[i], st->bucket[i]);
	if (st->linux_stale_ok)
		print_message("    (stale REX executed like the CPU: %lu)\n", st->linux_stale_ok);
	for (unsigned i = 0; i < o->nshapes; i++) {
		hex(b, sizeof(b), o->shapes[i].b, o->shapes[i].n);
		print_message("  %s failing shape %-24s x%lu\n",
			      o->shapes[i].mode == 'A' ? "ARCH " : "LINUX", b,
			      o->shapes[i].count);
	}
	if (o->shapes_lost)
		print_message("  (%lu failures of further shapes not listed)\n", o->shapes_lost);
}

static void
assert_clean(struct oracle *o)
{
	const struct stats *st = &o->st;

	if (st->harness || st->arch_fail || st->linux_fail || st->probe_fail)
		fail_msg("%lu harness errors, %lu ARCH and %lu LINUX mismatches, %lu split probes wrong",
			 st->harness, st->arch_fail, st->linux_fail, st->probe_fail);
	assert_true(st->native > 0);
}

/* A random address form: mod 0..2, any rm, any SIB. */
static void
random_form(struct oracle *o, struct recipe *r)
{
	r->mod = rnd_below(o, 3);
	r->rm = rnd_below(o, 8);
	r->scale = rnd_below(o, 4);
	r->index = rnd_below(o, 8);
	r->base = rnd_below(o, 8);
}

/* ---- tests ---- */

static void
print_cpu(const struct oracle *o)
{
	unsigned a = 0, b = 0, c = 0, d = 0;
	char vendor[13];

	__get_cpuid(0, &a, &b, &c, &d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = '\0';
	__get_cpuid(1, &a, &b, &c, &d);
	print_message("CPU %s family %#x model %#x stepping %u%s; fs_base %#llx gs_base %#llx "
		      "low page %p fsnear page %p%s\n",
		      vendor, ((a >> 8) & 0xf) + ((a >> 20) & 0xff),
		      ((a >> 4) & 0xf) | ((a >> 12) & 0xf0), a & 0xf,
		      o->valgrind ? " (valgrind)" : "",
		      (unsigned long long)o->fs_base, (unsigned long long)o->gs_base,
		      (void *)o->low, (void *)o->fsnear, o->wx ? " (W^X)" : "");
}

/* opcodes x REX (none, 40..4F) x legacy prefix sets x ModRM.reg. */
static void
test_prefix_product(void **state)
{
	struct oracle *o = *state;
	unsigned long k = 0;

	print_cpu(o);
	reset_stats(o);
	arm_signals(o);
	for (unsigned op = 0; op < NOPS; op++)
		for (unsigned x = 0; x < 17; x++)
			for (unsigned p = 0; p < NPFXSETS; p++)
				for (unsigned reg = 0; reg < 8; reg++, k++) {
					struct recipe r;

					if (k % o->stride)
						continue;
					memset(&r, 0, sizeof(r));
					r.op = op;
					r.rex = x ? (uint8_t)(0x40 + x - 1) : 0;
					r.pfx = pfxsets[p];
					r.reg = ops[op].kind == K_WRITE_IMM ? 0 : reg;
					random_form(o, &r);
					run_recipe(o, &r);
				}
	disarm_signals(o);
	print_stats(o, "opcode x REX x prefixes x reg");
	assert_clean(o);
}

/* opcodes x every ModRM/SIB memory form (mod 0..2), without and with REX.XB. */
static void
test_form_product(void **state)
{
	struct oracle *o = *state;
	unsigned long k = 0;

	reset_stats(o);
	arm_signals(o);
	for (unsigned op = 0; op < NOPS; op++)
		for (unsigned mod = 0; mod < 3; mod++)
			for (unsigned rm = 0; rm < 8; rm++)
				for (unsigned sib = 0; sib < (rm == 4 ? 256u : 1u); sib++)
					for (unsigned x = 0; x < 2; x++, k++) {
						struct recipe r;

						if (k % o->stride)
							continue;
						memset(&r, 0, sizeof(r));
						r.op = op;
						r.rex = x ? 0x43 : 0;
						r.mod = mod;
						r.rm = rm;
						r.scale = sib >> 6;
						r.index = (sib >> 3) & 7;
						r.base = sib & 7;
						r.reg = ops[op].kind == K_WRITE_IMM ? 0 : rnd_below(o, 8);
						run_recipe(o, &r);
					}
	disarm_signals(o);
	print_stats(o, "opcode x ModRM/SIB forms");
	assert_clean(o);
}

/* Random everything: opcode, 0-3 legacy prefixes (maybe after an ignored REX), REX, form, registers. */
static void
test_random_states(void **state)
{
	static const uint8_t legacy[] = {
		0x66, 0x67, 0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65, 0xF2, 0xF3,
	};
	struct oracle *o = *state;
	unsigned n = 20000 / o->stride;

	reset_stats(o);
	arm_signals(o);
	for (unsigned i = 0; i < n; i++) {
		struct recipe r;
		unsigned np = rnd_below(o, 4);
		int segs = 0;

		memset(&r, 0, sizeof(r));
		r.op = rnd_below(o, NOPS);
		/* Sometimes a REX the CPU ignores: one before a legacy prefix. */
		if (np && rnd_below(o, 8) == 0)
			r.pfx.b[r.pfx.n++] = (uint8_t)(0x40 + rnd_below(o, 16));
		for (unsigned j = 0; j < np; j++) {
			uint8_t b = legacy[rnd_below(o, sizeof(legacy))];
			int is_seg = b != 0x66 && b != 0x67 && b != 0xF2 && b != 0xF3;

			/* Two different segment overrides are refused, tested below. */
			if (is_seg && segs++)
				continue;
			r.pfx.b[r.pfx.n++] = b;
		}
		if (rnd_below(o, 3))
			r.rex = (uint8_t)(0x40 + rnd_below(o, 16));
		r.reg = ops[r.op].kind == K_WRITE_IMM ? 0 : rnd_below(o, 8);
		random_form(o, &r);
		run_recipe(o, &r);
	}
	disarm_signals(o);
	print_stats(o, "random states");
	assert_clean(o);
}

/* One encoding the handler must refuse. */
struct refusal {
	uint8_t b[16];
	unsigned n;
	unsigned avail;		/* bytes readable at RIP; 0: 15 */
	int ud;			/* the CPU raises #UD for it */
	int linux_refuses;	/* upstream refuses it too */
	unsigned off;		/* EA offset in the page (RDI); default 0x100 */
	const char *what;
	int user_gla;		/* ve->gla is the user-space EA itself */
	int kernel;		/* ARCH too runs it in kernel mode */
};

static const struct refusal refusals[] = {
	{ { 0xF0, 0x88, 0x07 }, 3, 0, 1, 0, 0, "LOCK mov [rdi],al", 0, 0 },
	{ { 0xF0, 0x89, 0x07 }, 3, 0, 1, 0, 0, "LOCK mov [rdi],eax", 0, 0 },
	{ { 0xF0, 0x8A, 0x07 }, 3, 0, 1, 0, 0, "LOCK mov al,[rdi]", 0, 0 },
	{ { 0xF0, 0x48, 0x8B, 0x07 }, 4, 0, 1, 0, 0, "LOCK mov rax,[rdi]", 0, 0 },
	{ { 0xF0, 0xC6, 0x07, 0x11 }, 4, 0, 1, 0, 0, "LOCK mov byte [rdi],0x11", 0, 0 },
	{ { 0xF0, 0xC7, 0x07, 1, 2, 3, 4 }, 7, 0, 1, 0, 0, "LOCK mov dword [rdi],imm", 0, 0 },
	{ { 0xF0, 0x0F, 0xB6, 0x07 }, 4, 0, 1, 0, 0, "LOCK movzx eax,byte [rdi]", 0, 0 },
	{ { 0xF0, 0x0F, 0xB7, 0x07 }, 4, 0, 1, 0, 0, "LOCK movzx eax,word [rdi]", 0, 0 },
	{ { 0xF0, 0x0F, 0xBE, 0x07 }, 4, 0, 1, 0, 0, "LOCK movsx eax,byte [rdi]", 0, 0 },
	{ { 0xF0, 0x0F, 0xBF, 0x07 }, 4, 0, 1, 0, 0, "LOCK movsx eax,word [rdi]", 0, 0 },
	{ { 0x88, 0xC7 }, 2, 0, 0, 0, 0, "mod 3: mov bh,al", 0, 0 },
	{ { 0x89, 0xC0 }, 2, 0, 0, 0, 0, "mod 3: mov eax,eax", 0, 0 },
	{ { 0x8A, 0xC7 }, 2, 0, 0, 0, 0, "mod 3: mov al,bh", 0, 0 },
	{ { 0x48, 0x8B, 0xC7 }, 3, 0, 0, 0, 0, "mod 3: mov rax,rdi", 0, 0 },
	{ { 0xC6, 0xC0, 0x11 }, 3, 0, 0, 0, 0, "mod 3: mov al,0x11", 0, 0 },
	{ { 0xC7, 0xC0, 1, 2, 3, 4 }, 6, 0, 0, 0, 0, "mod 3: mov eax,imm", 0, 0 },
	{ { 0x0F, 0xB6, 0xC7 }, 3, 0, 0, 0, 0, "mod 3: movzx eax,bh", 0, 0 },
	{ { 0x0F, 0xBF, 0xC0 }, 3, 0, 0, 0, 0, "mod 3: movsx eax,ax", 0, 0 },
	{ { 0xC6, 0x0F, 0x11 }, 3, 0, 1, 0, 0, "C6 /1 [rdi]", 0, 0 },
	{ { 0xC6, 0x3F, 0x11 }, 3, 0, 1, 0, 0, "C6 /7 [rdi]", 0, 0 },
	{ { 0xC7, 0x17, 1, 2, 3, 4 }, 6, 0, 1, 0, 0, "C7 /2 [rdi]", 0, 0 },
	{ { 0xC7, 0x3F, 1, 2, 3, 4 }, 6, 0, 1, 0, 0, "C7 /7 [rdi]", 0, 0 },
	{ { 0x48, 0xC7, 0x2F, 1, 2, 3, 4 }, 7, 0, 1, 0, 0, "REX.W C7 /5 [rdi]", 0, 0 },
	{ { 0x64, 0x65, 0x8B, 0x07 }, 4, 0, 0, 0, 0, "fs gs mov eax,[rdi]", 0, 0 },
	{ { 0x2E, 0x3E, 0x89, 0x07 }, 4, 0, 0, 0, 0, "cs ds mov [rdi],eax", 0, 0 },
	{ { 0x26, 0x64, 0x88, 0x07 }, 4, 0, 0, 0, 0, "es fs mov [rdi],al (size 1)", 0, 0 },
	{ { 0xC5, 0xF8, 0xC6, 0x07, 0x00 }, 5, 0, 0, 0, 0, "VEX vshufps xmm0,xmm0,[rdi],0", 0, 0 },
	{ { 0x62, 0xF2, 0x7D, 0x49, 0x8B, 0x07 }, 6, 0, 0, 0, 0, "EVEX vpcompressd [rdi]{k1},zmm0", 0, 0 },
	{ { 0xC4, 0xE1, 0x78, 0x28, 0x07 }, 5, 0, 0, 1, 0, "VEX vmovaps xmm0,[rdi]", 0, 0 },
	{ { 0xA4 }, 1, 0, 0, 1, 0, "movsb (kernel mode)", 0, 1 },
	{ { 0xA5 }, 1, 0, 0, 1, 0, "movsd (kernel mode)", 0, 1 },
	{ { 0xF3, 0x48, 0xA5 }, 3, 0, 0, 1, 0, "rep movsq (kernel mode)", 0, 1 },
	{ { 0x48, 0xA1, 0, 1, 0, 0, 0, 0, 0, 0 }, 10, 0, 0, 1, 0, "mov rax,moffs64", 0, 0 },
	{ { 0x8C, 0x07 }, 2, 0, 0, 1, 0, "mov [rdi],es", 0, 0 },
	{ { 0x87, 0x07 }, 2, 0, 0, 1, 0, "xchg [rdi],eax", 0, 0 },
	{ { 0x0F, 0xC3, 0x07 }, 3, 0, 0, 1, 0, "movnti [rdi],eax", 0, 0 },
	{ { 0x48, 0x63, 0x07 }, 3, 0, 0, 1, 0, "movsxd rax,[rdi]", 0, 0 },
	{ { 0x0F, 0x38, 0xF0, 0x07 }, 4, 0, 0, 1, 0, "movbe eax,[rdi]", 0, 0 },
	{ { 0x01, 0x07 }, 2, 0, 0, 1, 0, "add [rdi],eax", 0, 0 },
	{ { 0x0F, 0xAE, 0x3F }, 3, 0, 0, 1, 0, "clflush [rdi]", 0, 0 },
	{ { 0x8B, 0x87, 0x00, 0x01 }, 4, 4, 0, 1, 0, "truncated mov eax,[rdi+disp32]", 0, 0 },
	{ { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	    0x66, 0x8B, 0x07 }, 16, 0, 0, 1, 0, "16 bytes: 66 x14 mov ax,[rdi]", 0, 0 },
	{ { 0x8B, 0x07 }, 2, 0, 0, 1, PAGE - 2, "page split: mov eax,[rdi] at +0xffe", 0, 0 },
	{ { 0x48, 0x89, 0x07 }, 3, 0, 0, 1, PAGE - 7, "page split: mov [rdi],rax at +0xff9", 0, 0 },
	/* CVE-2024-47727: a kernel-mode #VE on a user address. */
	{ { 0x8B, 0x07 }, 2, 0, 0, 1, 0, "gla in user space (kernel mode)", 1, 1 },
	{ { 0x89, 0x07 }, 2, 0, 0, 1, 0, "gla in user space (kernel mode)", 1, 1 },
};

/*
 * Refusals: ARCH refuses each with no TDVMCALL and no register change;
 * LINUX refuses those upstream refuses and may accept the rest (LOCK,
 * mod 3, C6/C7 /r, two overrides: docs/guest.md divergences 7, 8), whose outcome is printed.
 * Where the CPU raises #UD for it, that is checked natively.
 */
static void
test_refusals(void **state)
{
	struct oracle *o = *state;
	unsigned long linux_accepts = 0, ud_checked = 0;
	unsigned bad = 0;

	arm_signals(o);
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const struct refusal *f = &refusals[i];
		struct tdxsim_mmio_handler *hs[2] = { o->arch, o->linux_h };
		struct gcase c;
		uint8_t *slot = next_slot(o);
		char b[64];

		memset(&c, 0, sizeof(c));
		c.rip = (uint64_t)(uintptr_t)slot + PROLOGUE_LEN;
		c.page = o->low;
		c.off = f->off ? f->off : 0x100;
		c.target = (uint64_t)(uintptr_t)c.page + c.off;
		for (unsigned r = 0; r < 16; r++)
			c.regs[r] = rnd_value(o);
		c.regs[TDXSIM_RDI] = c.target;
		c.regs[TDXSIM_RSI] = c.target;
		c.rflags = 0x202;
		c.write = 0;
		/* The bytes at RIP: the encoding, then NOPs, as much as avail. */
		memset(slot + PROLOGUE_LEN, 0x90, 32);
		memcpy(slot + PROLOGUE_LEN, f->b, f->n);
		hex(b, sizeof(b), f->b, f->n);
		memcpy(o->before, c.page, PAGE);
		for (unsigned m = 0; m < 2; m++) {
			struct sim_out *s = &o->sim;
			struct tdxsim_veinfo ve;
			struct vmm v = { s->page, 0, 0, 0 };
			int user;

			memcpy(s->page, o->before, PAGE);
			user = sim_input(o, &c, hs[m], &s->regs, &ve);
			if (f->kernel) {
				user = 0;
				ve.gla = KERNEL_GLA | (c.target & (PAGE - 1));
			}
			if (f->user_gla)
				ve.gla = c.target;
			memset(&s->res, 0, sizeof(s->res));
			s->rc = tdxsim_mmio_handle(hs[m], &s->regs, &ve,
						   slot + PROLOGUE_LEN,
						   f->avail ? f->avail : MAX_INSN, user,
						   vmm_call, &v, &s->res);
			if (s->rc != 0 && s->rc != -EINVAL) {
				print_message("  %s %s (%s): rc %d\n", m ? "LINUX" : "ARCH", b, f->what, s->rc);
				bad++;
				continue;
			}
			if (m == 0 && (s->res.inconsistent || s->res.exception)) {
				print_message("  ARCH refuses %s (%s) for another reason: %s\n",
					      b, f->what, s->res.reason);
				bad++;
				continue;
			}
			if (s->res.status < 0 && !s->res.tdvmcall_made && v.calls == 0 &&
			    memcmp(s->regs.gpr, c.regs, sizeof(c.regs)) == 0 &&
			    s->regs.rip == c.rip && memcmp(s->page, o->before, PAGE) == 0) {
				print_message("  %-5s refuses %-38s %-34s: %d %s\n",
					      m ? "LINUX" : "ARCH", b, f->what, s->res.status,
					      s->res.reason ? s->res.reason : "-");
				continue;
			}
			if (m == 1 && !f->linux_refuses && s->res.status == 0) {
				linux_accepts++;
				print_message("  LINUX accepts %-38s %-34s: len %u size %llu dir %llu R15 %#llx\n",
					      b, f->what, s->res.insn_len,
					      (unsigned long long)s->res.request.r12,
					      (unsigned long long)s->res.request.r13,
					      (unsigned long long)s->res.request.r15);
				continue;
			}
			print_message("  %s does not refuse %s (%s): status %d tdvmcall %d calls %u\n",
				      m ? "LINUX" : "ARCH", b, f->what, s->res.status,
				      s->res.tdvmcall_made, v.calls);
			bad++;
		}
		if (f->ud && !o->valgrind) {
			/* The CPU agrees it is no instruction: #UD, SIGILL. */
			int sig;

			emit_trampoline(o, slot, f->b, f->n, 0);
			memcpy(o->ctx.in, c.regs, sizeof(c.regs));
			o->ctx.rflags_in = c.rflags;
			sig = native_call(o, slot);
			memcpy(c.page, o->before, PAGE);
			if (sig != SIGILL) {
				print_message("  CPU: %s (%s) gave signal %d, not SIGILL\n", b, f->what, sig);
				bad++;
			}
			ud_checked++;
		}
	}
	disarm_signals(o);
	print_message("refusals: %zu encodings, %lu #UD confirmed natively, LINUX accepts %lu (docs/guest.md divergences 7, 8)\n",
		      sizeof(refusals) / sizeof(refusals[0]), ud_checked, linux_accepts);
	assert_int_equal(bad, 0);
}

/* ---- arch mode's own checks against the CPU ---- */

/* The CPU has LA57 (then only addresses non-canonical at 57 bits are sure). */
static int
cpu_has_la57(void)
{
	unsigned a = 0, b = 0, c = 0, d = 0;

	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & (1u << 16));
}

/* Bits 63:47 all equal (SDM vol. 1, 3.3.7.1). */
static int
canonical48(uint64_t la)
{
	uint64_t top = la >> 47;

	return top == 0 || top == 0x1FFFF;
}

/* Run ARCH (user mode, the user-MMIO option) on c as sim_run() does, with
 * VE_INFO.GLA gla; the outcome in o->sim. */
static void
sim_run_arch(struct oracle *o, const struct gcase *c, uint64_t gla)
{
	struct sim_out *s = &o->sim;
	struct tdxsim_veinfo ve;
	struct vmm v = { s->page, 0, 0, 0 };

	memcpy(s->page, o->before, PAGE);
	sim_input(o, c, o->arch, &s->regs, &ve);
	ve.gla = gla;
	memset(&s->res, 0, sizeof(s->res));
	s->rc = tdxsim_mmio_handle(o->arch, &s->regs, &ve, (const uint8_t *)(uintptr_t)c->rip,
				   MAX_INSN, 1, vmm_call, &v, &s->res);
	s->vmm_calls = v.calls;
}

/* A hand-made case: bytes at slot's RIP, random registers, RDI = rdi. */
static void
plain_case(struct oracle *o, struct gcase *c, uint8_t *slot, const uint8_t *b,
	   unsigned n, uint64_t rdi)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->bytes, b, n);
	c->len = n;
	c->rip = (uint64_t)(uintptr_t)slot + PROLOGUE_LEN;
	c->page = o->low;
	c->off = 0x100;
	c->target = rdi;
	for (unsigned r = 0; r < 16; r++)
		c->regs[r] = rnd_value(o);
	c->regs[TDXSIM_RDI] = rdi;
	c->rflags = 0x202 | (rnd(o) & FLAGS_TESTED);
	memcpy(o->before, o->low, PAGE);
}

/*
 * Non-canonical addresses: the CPU raises #GP(0) (SIGSEGV with trap 13,
 * error code 0, RIP on the instruction, no register changed); ARCH must
 * report #GP with nothing done. Addresses non-canonical only with 48-bit
 * linear addresses are left out on an LA57 CPU (the kernel may use it).
 */
static void
test_noncanonical(void **state)
{
	static const struct { uint8_t b[8]; unsigned n, size; } insns[] = {
		{ { 0x8B, 0x07 }, 2, 4 }, { { 0x89, 0x07 }, 2, 4 }, { { 0x48, 0x8B, 0x07 }, 3, 8 },
		{ { 0x88, 0x27 }, 2, 1 }, { { 0xC7, 0x07, 1, 2, 3, 4 }, 6, 4 },
		{ { 0x0F, 0xB7, 0x07 }, 3, 2 }, { { 0x66, 0x89, 0x07 }, 3, 2 },
		{ { 0x48, 0x0F, 0xBE, 0x07 }, 4, 1 }, { { 0x64, 0x8B, 0x07 }, 3, 4 },
		{ { 0x65, 0x48, 0x89, 0x07 }, 4, 8 },
	};
	static const struct { uint64_t la; int only48; } addrs[] = {
		{ 0x0100000000000000ull, 0 }, { 0x8000000000000000ull, 0 },
		{ 0xFEFFFFFFFFFFF000ull, 0 }, { 0x0000800000000000ull, 1 },
		{ 0xFFFF7FFFFFFFFFF0ull, 1 }, { 0x00007FFFFFFFFFFEull, 1 },
	};
	struct oracle *o = *state;
	int la57 = cpu_has_la57();
	unsigned bad = 0, runs = 0;

	if (o->valgrind)
		skip();
	arm_signals(o);
	for (size_t i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		for (size_t k = 0; k < sizeof(addrs) / sizeof(addrs[0]); k++) {
			uint8_t *slot = next_slot(o);
			uint64_t base = insns[i].b[0] == 0x64 ? o->fs_base :
					insns[i].b[0] == 0x65 ? o->gs_base : 0;
			/* At 0x7ffffffffffe only an access of more than 2
			 * bytes reaches bit 47; a shorter one is a #PF. */
			uint64_t last = addrs[k].la + insns[i].size - 1;
			int gp = !canonical48(addrs[k].la) || !canonical48(last);
			struct gcase c;
			int sig;

			if (addrs[k].only48 && la57)
				continue;
			plain_case(o, &c, slot, insns[i].b, insns[i].n, addrs[k].la - base);
			emit_trampoline(o, slot, c.bytes, c.len, 0);
			memcpy(o->ctx.in, c.regs, sizeof(c.regs));
			o->ctx.rflags_in = c.rflags;
			sig = native_call(o, slot);
			sim_run_arch(o, &c, addrs[k].la);
			runs++;
			if (!gp) {
				/* canonical: the CPU's #PF (unmapped), never #GP */
				if (sig != SIGSEGV || o->fault.trapno != 14 ||
				    o->sim.res.exception == TDXSIM_VECTOR_GP) {
					print_message("  %02X.. at %#llx: CPU trap %llu, ARCH exception %u\n",
						      c.bytes[0], (unsigned long long)addrs[k].la,
						      (unsigned long long)o->fault.trapno,
						      o->sim.res.exception);
					bad++;
				}
				continue;
			}
			if (sig != SIGSEGV || o->fault.trapno != 13 || o->fault.err != 0 ||
			    o->fault.rip != c.rip ||
			    memcmp(o->fault.gpr, c.regs, sizeof(c.regs)) != 0) {
				print_message("  CPU: %02X.. at %#llx: signal %d trap %llu err %llu\n",
					      c.bytes[0], (unsigned long long)addrs[k].la, sig,
					      (unsigned long long)o->fault.trapno,
					      (unsigned long long)o->fault.err);
				bad++;
				continue;
			}
			if (o->sim.rc != 0 || o->sim.res.status != -EFAULT ||
			    o->sim.res.exception != TDXSIM_VECTOR_GP || o->sim.vmm_calls != 0 ||
			    memcmp(o->sim.regs.gpr, c.regs, sizeof(c.regs)) != 0 ||
			    o->sim.regs.rip != c.rip) {
				print_message("  ARCH: %02X.. at %#llx: status %d exception %u (%s)\n",
					      c.bytes[0], (unsigned long long)addrs[k].la,
					      o->sim.res.status, o->sim.res.exception,
					      o->sim.res.reason ? o->sim.res.reason : "-");
				bad++;
			}
		}
	}
	disarm_signals(o);
	print_message("non-canonical: %u runs (LA57 %s), %u wrong\n", runs, la57 ? "yes" : "no", bad);
	assert_int_equal(bad, 0);
	assert_true(runs > 0);
}

/* Does c use RSP (register operand or address)? The single-step trampoline needs it. */
static int
uses_rsp(const struct gcase *c)
{
	int base, index, rip_rel;
	unsigned scale;

	address_regs(c, &base, &index, &scale, &rip_rel);
	return (!c->high8 && c->regno == TDXSIM_RSP) || base == TDXSIM_RSP ||
	       index == TDXSIM_RSP;
}

/*
 * Run c natively under TF with the single-step trampoline; 0 when the CPU
 * trapped with #DB as a single step (si_code TRAP_TRACE: DR6.BS), else
 * why not. The registers at the trap are in o->fault.
 */
static const char *
native_single_step(struct oracle *o, const struct gcase *c, uint8_t *slot)
{
	int sig;

	emit_trampoline(o, slot, c->bytes, c->len, 1);
	memcpy(o->ctx.in, c->regs, sizeof(c->regs));
	o->ctx.in[TDXSIM_RSP] = (uint64_t)(uintptr_t)&o->ctx.tf_stack[0];
	o->ctx.tf_stack[0] = c->rflags;
	sig = native_call(o, slot);
	if (sig != SIGTRAP)
		return "the CPU did not trap";
	if (o->fault.trapno != 1 || o->fault.si_code != TRAP_TRACE)
		return "the CPU's trap is not a single step (#DB, DR6.BS)";
	return NULL;
}

/* ARCH's outcome under TF equals the CPU's state at the trap. */
static const char *
arch_single_step_verdict(const struct oracle *o, const struct gcase *c)
{
	const struct sim_out *s = &o->sim;

	if (s->rc != 0 || s->res.status != 0)
		return "ARCH refused it";
	if (s->res.exception != TDXSIM_VECTOR_DB || s->res.dr6 != TDXSIM_DR6_BS)
		return "ARCH reported no single-step #DB";
	if (memcmp(s->regs.gpr, o->fault.gpr, sizeof(o->fault.gpr)) != 0)
		return "registers differ from the CPU's at the trap";
	if (s->regs.rip != o->fault.rip)
		return "RIP differs from the CPU's at the trap";
	if (memcmp(s->page, c->page, PAGE) != 0)
		return "memory differs from the CPU's";
	if (s->regs.rflags != c->rflags)
		return "RFLAGS changed";
	return NULL;
}

/*
 * RFLAGS.TF = 1: the CPU traps after the instruction (SIGTRAP, TRAP_TRACE,
 * RIP after it); ARCH must report the single-step #DB with the same
 * registers, RIP and memory. Random MOV/MOVZX/MOVSX cases that leave RSP
 * alone (the trampoline's POPFQ needs it).
 */
static void
test_single_step(void **state)
{
	struct oracle *o = *state;
	unsigned n = 0, bad = 0, tries = 0;

	if (o->valgrind)
		skip();	/* valgrind does not single-step */
	arm_signals(o);
	while (n < 2000 && tries++ < 20000) {
		struct recipe r;
		struct gcase c;
		uint8_t *slot = next_slot(o);
		const char *why;

		memset(&r, 0, sizeof(r));
		r.op = rnd_below(o, NOPS);
		if (rnd_below(o, 2))
			r.rex = (uint8_t)(0x40 + rnd_below(o, 16));
		r.reg = ops[r.op].kind == K_WRITE_IMM ? 0 : rnd_below(o, 8);
		random_form(o, &r);
		if (build_case(o, &r, slot, &c) != 0 || uses_rsp(&c))
			continue;
		c.regs[TDXSIM_RSP] = (uint64_t)(uintptr_t)&o->ctx.tf_stack[1];
		c.rflags |= 0x100;
		prepare_page(o, &c);
		why = native_single_step(o, &c, slot);
		if (!why) {
			sim_run_arch(o, &c, c.target);
			why = arch_single_step_verdict(o, &c);
		}
		memcpy(c.page, o->before, PAGE);
		n++;
		if (why && bad++ < 8) {
			print_message("  single step: %s\n", why);
			describe(o, &c);
		}
	}
	disarm_signals(o);
	print_message("single step: %u cases, %u wrong\n", n, bad);
	assert_int_equal(bad, 0);
	assert_true(n >= 1000);
}

/* One MOVS case: prefixes, opcode, and what they mean. */
struct movs_form {
	uint8_t b[4];
	unsigned n;
	unsigned size;
	int rep, addr32, gs;
};

static const struct movs_form movs_forms[] = {
	{ { 0xA4 }, 1, 1, 0, 0, 0 }, { { 0xA5 }, 1, 4, 0, 0, 0 },
	{ { 0x66, 0xA5 }, 2, 2, 0, 0, 0 }, { { 0x48, 0xA5 }, 2, 8, 0, 0, 0 },
	{ { 0xF3, 0xA4 }, 2, 1, 1, 0, 0 }, { { 0xF3, 0xA5 }, 2, 4, 1, 0, 0 },
	{ { 0xF3, 0x66, 0xA5 }, 3, 2, 1, 0, 0 }, { { 0xF3, 0x48, 0xA5 }, 3, 8, 1, 0, 0 },
	{ { 0xF2, 0xA5 }, 2, 4, 1, 0, 0 }, { { 0xF2, 0x48, 0xA5 }, 3, 8, 1, 0, 0 },
	{ { 0x67, 0xF3, 0xA5 }, 3, 4, 1, 1, 0 }, { { 0x67, 0xA4 }, 2, 1, 0, 1, 0 },
	{ { 0x65, 0xA5 }, 2, 4, 0, 0, 1 }, { { 0x65, 0xF3, 0x48, 0xA5 }, 4, 8, 1, 0, 1 },
};

/*
 * Registers and page offsets of a MOVS case: source and destination in
 * the low page, apart, far enough from its ends for count elements either
 * way. Returns -1 when the form cannot run here (67 above 4 GiB, GS).
 */
static int
movs_case(struct oracle *o, struct gcase *c, uint8_t *slot, const struct movs_form *f,
	  int df, uint64_t rcx)
{
	uint64_t low = (uint64_t)(uintptr_t)o->low;
	uint64_t src = low + 0x100 + rnd_below(o, 0x300), dst = low + 0x900 + rnd_below(o, 0x300);

	if ((f->addr32 && low + PAGE > 0xFFFFFFFFull) || (f->gs && !o->gs_set))
		return -1;
	plain_case(o, c, slot, f->b, f->n, dst);
	c->target = src;
	c->regs[TDXSIM_RSI] = src - (f->gs ? o->gs_base : 0);
	c->regs[TDXSIM_RCX] = rcx;
	if (f->addr32) {
		/* 67: only ESI, EDI, ECX count */
		c->regs[TDXSIM_RSI] |= rnd(o) << 32;
		c->regs[TDXSIM_RDI] |= rnd(o) << 32;
		c->regs[TDXSIM_RCX] |= rnd(o) << 32;
	}
	c->rflags = (c->rflags & ~0x400ull) | (df ? 0x400 : 0);
	for (unsigned i = 0; i < PAGE; i++)
		o->low[i] = (uint8_t)rnd(o);
	memcpy(o->before, o->low, PAGE);
	return 0;
}

/* ARCH's MOVS against the CPU's: want_gpr and want_rip, the page, RFLAGS. */
static const char *
movs_verdict(const struct oracle *o, const struct gcase *c, const uint64_t *want_gpr,
	     uint64_t want_rip, int tf)
{
	const struct sim_out *s = &o->sim;

	if (s->rc != 0 || s->res.status != 0)
		return "ARCH refused it";
	if (s->res.exception != (tf ? TDXSIM_VECTOR_DB : 0u))
		return "the single-step #DB is missing or extra";
	if (memcmp(s->regs.gpr, want_gpr, 16 * sizeof(uint64_t)) != 0)
		return "registers differ from the CPU";
	if (s->regs.rip != want_rip)
		return "RIP differs from the CPU";
	if (memcmp(s->page, c->page, PAGE) != 0)
		return "memory differs from the CPU";
	if (s->regs.rflags != c->rflags)
		return "RFLAGS changed";
	return NULL;
}

/*
 * MOVS (the user-MMIO option): every form up and down (DF = 0 and 1), REP
 * with RCX 0, 1, 2 and 5, with and without TF, natively against ARCH. The
 * source is the #VE's access (VE_INFO.GLA its address); both operands sit
 * on the test VMM's one page, as one contiguous shared mapping.
 */
static void
test_movs_native(void **state)
{
	static const uint64_t counts[] = { 0, 1, 2, 5 };
	struct oracle *o = *state;
	unsigned n = 0, bad = 0, down = 0;

	arm_signals(o);
	for (size_t fi = 0; fi < sizeof(movs_forms) / sizeof(movs_forms[0]); fi++)
		for (int df = 0; df < 2; df++)
			for (size_t k = 0; k < 4; k++)
				for (int tf = 0; tf < 2; tf++) {
					const struct movs_form *f = &movs_forms[fi];
					uint8_t *slot = next_slot(o);
					struct gcase c;
					const char *why = NULL;
					uint64_t want[16], rip;
					int sig;

					if ((tf && o->valgrind) || (!f->rep && k > 1) ||
					    movs_case(o, &c, slot, f, df, counts[k]) != 0)
						continue;
					if (tf) {
						c.regs[TDXSIM_RSP] = (uint64_t)(uintptr_t)&o->ctx.tf_stack[1];
						c.rflags |= 0x100;
						why = native_single_step(o, &c, slot);
						memcpy(want, o->fault.gpr, sizeof(want));
						rip = o->fault.rip;
					} else {
						emit_trampoline(o, slot, c.bytes, c.len, 0);
						memcpy(o->ctx.in, c.regs, sizeof(c.regs));
						o->ctx.rflags_in = c.rflags;
						sig = native_call(o, slot);
						if (sig && o->valgrind) {
							/* valgrind's CPU lacks some forms (F2 A5) */
							memcpy(o->low, o->before, PAGE);
							continue;
						}
						why = sig ? "the CPU raised a signal" : NULL;
						memcpy(want, o->ctx.out, sizeof(want));
						rip = c.rip + c.len;
					}
					if (!why) {
						sim_run_arch(o, &c, c.target);
						why = movs_verdict(o, &c, want, rip, tf);
					}
					memcpy(o->low, o->before, PAGE);
					n++;
					down += df;
					if (why && bad++ < 8) {
						char b[32];

						hex(b, sizeof(b), c.bytes, c.len);
						print_message("  MOVS %s DF %d RCX %#llx TF %d: %s\n", b, df,
							      (unsigned long long)c.regs[TDXSIM_RCX], tf, why);
						print_diff(o, &c, want, c.page);
					}
				}
	disarm_signals(o);
	print_message("MOVS: %u cases (%u with DF = 1), %u wrong\n", n, down, bad);
	assert_int_equal(bad, 0);
	assert_true(down > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_product),
		cmocka_unit_test(test_form_product),
		cmocka_unit_test(test_random_states),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_noncanonical),
		cmocka_unit_test(test_single_step),
		cmocka_unit_test(test_movs_native),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

#else /* not x86-64 Linux */

int
main(void)
{
	/* Native execution needs an x86-64 CPU: skipped. */
	return 77;
}

#endif
