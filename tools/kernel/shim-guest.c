/* SPDX-License-Identifier: MIT */
/*
 * The kernel API of kshim-guest.h, backed by tdxsim's public guest API
 * (tdxsim/guest.h), and the dispatch around the kernel's handle_mmio().
 *
 * - pt_regs: filled from struct tdxsim_vcpu_regs before the call and copied
 *   back only when the kernel's handler succeeded, as the #VE return does
 *   (a failed #VE leaves the registers as they were, then the kernel
 *   oopses or sends SIGSEGV); RIP moves by the length handle_mmio()
 *   returned, as tdx_handle_virt_exception() moves it.
 * - copy_from_kernel_nofault(): reads the given instruction bytes at RIP;
 *   asking for more than are readable fails, as the kernel's copy does.
 * - __tdx_hypercall(): the TDG.VP.VMCALL goes to the caller's VMM
 *   (tdxsim_tdvmcall_fn) with R10..R15 from the argument block, and the
 *   block gets the registers back; it returns R10, the TDVMCALL status. A
 *   failing TDCALL is __tdx_hypercall_failed(): a panic, reported as fatal.
 * - the uninitialised 'val' of a write: the stack under the caller is
 *   painted with tdxsim's documented poison (docs/guest.md, byte i of each
 *   aligned 8-byte word is 0xF0 | i) before handle_mmio() runs, so what it
 *   leaks is what tdxsim's linux mode models, and a difference shows.
 * - RDMSR of FS_BASE, GS_BASE: the vCPU's fs_base and gs_base.
 *
 * The process-wide pointer to the current #VE (kshim_ve_now) is this test
 * program's; libtdxsim has no globals. The handler keeps no static state.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <string.h>

#include "kshim-guest.h"
#include "shim-guest.h"

#define POISON 0xF7F6F5F4F3F2F1F0ULL
#define PAINT_WORDS 1024

int kshim_handle_mmio(struct pt_regs *regs, struct ve_info *ve);

/* The #VE being handled. */
struct kshim_ve {
	const struct tdxsim_vcpu_regs *regs;
	const uint8_t *insn;
	size_t insn_len;
	tdxsim_tdvmcall_fn vmm;
	void *vmm_ctx;
	struct tdxsim_mmio_result *out;
	jmp_buf panic;
	unsigned warnings;
};

static struct kshim_ve *kshim_ve_now;

void
kshim_guest_warn(const char *file, int line)
{
	(void)file;
	(void)line;
	kshim_ve_now->warnings++;
}

u64
kshim_guest_rdmsr(u32 msr)
{
	if (msr == MSR_FS_BASE)
		return kshim_ve_now->regs->fs_base;
	if (msr == MSR_GS_BASE)
		return kshim_ve_now->regs->gs_base;
	return 0;	/* MSR_KERNEL_GS_BASE: the user's GS, not modelled */
}

long
copy_from_kernel_nofault(void *dst, const void *src, size_t size)
{
	struct kshim_ve *v = kshim_ve_now;

	if ((uintptr_t)src != (uintptr_t)v->regs->rip || size > v->insn_len)
		return -EFAULT;
	memcpy(dst, v->insn, size);
	return 0;
}

u64
__tdx_hypercall(struct tdx_module_args *args)
{
	struct kshim_ve *v = kshim_ve_now;
	struct tdxsim_tdvmcall call = {
		.r10 = args->r10, .r11 = args->r11, .r12 = args->r12,
		.r13 = args->r13, .r14 = args->r14, .r15 = args->r15,
	};

	v->out->request = call;
	v->out->tdvmcall_made = 1;
	v->out->bus_accesses++;
	if (v->vmm(v->vmm_ctx, &call) != 0) {
		v->out->reply = call;
		longjmp(v->panic, 1);	/* __tdx_hypercall_failed() */
	}
	v->out->reply = call;
	args->r10 = call.r10;
	args->r11 = call.r11;
	args->r12 = call.r12;
	args->r13 = call.r13;
	args->r14 = call.r14;
	args->r15 = call.r15;
	return call.r10;
}

static void
to_pt_regs(const struct tdxsim_vcpu_regs *r, int user, struct pt_regs *p)
{
	unsigned long *gpr[16] = {
		&p->ax, &p->cx, &p->dx, &p->bx, &p->sp, &p->bp, &p->si, &p->di,
		&p->r8, &p->r9, &p->r10, &p->r11, &p->r12, &p->r13, &p->r14, &p->r15,
	};

	memset(p, 0, sizeof(*p));
	for (int i = 0; i < 16; i++)
		*gpr[i] = r->gpr[i];
	p->ip = r->rip;
	p->flags = r->rflags;
	p->cs = user ? __USER_CS : __KERNEL_CS;
	p->ss = user ? __USER_DS : __KERNEL_DS;
}

static void
from_pt_regs(const struct pt_regs *p, struct tdxsim_vcpu_regs *r)
{
	const unsigned long gpr[16] = {
		p->ax, p->cx, p->dx, p->bx, p->sp, p->bp, p->si, p->di,
		p->r8, p->r9, p->r10, p->r11, p->r12, p->r13, p->r14, p->r15,
	};

	for (int i = 0; i < 16; i++)
		r->gpr[i] = gpr[i];
	r->rip = p->ip;
	r->rflags = p->flags;
}

/* The stack below this frame, where handle_mmio()'s will be, poisoned. */
static __attribute__((noinline)) void
paint_stack(void)
{
	volatile uint64_t area[PAINT_WORDS];

	(void)area;

	for (size_t i = 0; i < PAINT_WORDS; i++)
		area[i] = POISON;
}

static __attribute__((noinline)) int
call_handle_mmio(struct pt_regs *p, struct ve_info *ve)
{
	paint_stack();
	return kshim_handle_mmio(p, ve);
}

/* tdx_handle_virt_exception() for an EPT violation, as 6.12 dispatches it. */
static int
dispatch(struct kshim_ve *v, const struct tdxsim_mmio_config *config,
	 struct pt_regs *p, struct ve_info *ve, int user)
{
	u64 shared = 1ULL << ((config->gpaw ? config->gpaw : TDXSIM_GPAW_DEFAULT) - 1);

	if (ve->exit_reason != EXIT_REASON_EPT_VIOLATION) {
		v->out->reason = "Unexpected #VE (pr_warn).";
		return -EIO;
	}
	if (user) {		/* virt_exception_user(): only CPUID */
		v->out->reason = "Unexpected #VE (pr_warn): EPT violation in user mode.";
		return -EIO;
	}
	if (!(ve->gpa & shared)) {	/* is_private_gpa() */
		v->out->fatal = 1;
		v->out->reason = "Unexpected EPT-violation on private memory.";
		return -EIO;
	}
	return call_handle_mmio(p, ve);
}

int
kshim_guest_mmio_handle(const struct tdxsim_mmio_config *config,
			struct tdxsim_vcpu_regs *regs,
			const struct tdxsim_veinfo *ve_in,
			const uint8_t *insn, size_t insn_len, int user,
			tdxsim_tdvmcall_fn vmm, void *vmm_ctx,
			struct tdxsim_mmio_result *out)
{
	struct kshim_ve v = {
		.regs = regs, .insn = insn, .insn_len = insn_len,
		.vmm = vmm, .vmm_ctx = vmm_ctx, .out = out,
	};
	struct ve_info ve = {
		.exit_reason = ve_in->exit_reason, .exit_qual = ve_in->exit_qual,
		.gla = ve_in->gla, .gpa = ve_in->gpa,
		.instr_len = ve_in->instr_len, .instr_info = ve_in->instr_info,
	};
	struct pt_regs p;
	volatile int ret;

	memset(out, 0, sizeof(*out));
	to_pt_regs(regs, user, &p);
	kshim_ve_now = &v;
	if (setjmp(v.panic) == 0) {
		ret = dispatch(&v, config, &p, &ve, user);
	} else {
		out->fatal = 1;
		out->reason = "TDVMCALL failed. TDX module bug?";
		ret = -EIO;
	}
	kshim_ve_now = NULL;
	if (ret < 0) {
		out->status = ret;
		if (!out->reason)
			out->reason = "handle_mmio() failed.";
		return 0;
	}
	p.ip += (unsigned long)ret;
	from_pt_regs(&p, regs);
	out->insn_len = (unsigned)ret;
	out->reason = "MMIO emulated.";
	return 0;
}
