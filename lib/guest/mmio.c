/* SPDX-License-Identifier: MIT */
/*
 * The TDX guest's #VE MMIO handler (Linux 6.12 arch/x86/coco/tdx/tdx.c):
 * the dispatch checks of tdx_handle_virt_exception(), then Linux
 * arch/x86/coco/tdx/tdx.c handle_mmio() (mode LINUX, quirks included) or
 * its architecturally exact, hardened twin (mode ARCH), and the proposed
 * user-MMIO series (Gladkov v7, with the corrected MOVS loop) as an option.
 *
 * Decisions the sources leave open (see also lib/guest/mmio-decode.c):
 *  - fatal outcomes (panics) report status -EIO with fatal set;
 *  - LINUX writes of size < 8 send TDXSIM_MMIO_POISON in the bytes of R15
 *    above size, where the kernel leaks stack (handle_mmio_write()):
 *    byte i of R15 is 0xF0 | i, so a leak shows which bytes came from nowhere;
 *  - reads send R15 = 0 in both modes (tdx_module_args is zero-initialised
 *    since b6fb565a2d15);
 *  - MOVS elements (user-MMIO option) go through the VMM on both sides, at
 *    ve->gpa + (linear address - ve->gla) (one contiguous shared mapping);
 *    a failure part-way keeps the completed elements' RSI/RDI/RCX updates
 *    (as the posted series and REP MOVS do) without advancing RIP;
 *  - kernel space is fault_in_kernel_space() with 4-level paging:
 *    gla >= TASK_SIZE_MAX (2^47 - 4096) and not the vsyscall page;
 *  - ARCH only, what the CPU would do that a #VE handler cannot see
 *    (docs/guest.md, "arch mode's own checks"): a non-canonical linear
 *    address (48 bits: LA57 is not modelled) is the #GP(0) the CPU raises
 *    before any EPT violation; an effective address off VE_INFO's GLA page
 *    is an inconsistent #VE, refused; RFLAGS.TF = 1 reports the
 *    single-step #DB the CPU delivers after the instruction, one per
 *    element of a REP MOVS.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "mmio-private.h"

#include <tdxsim/guest.h>

#define EXIT_REASON_EPT_VIOLATION 48
#define EPT_READ  0
#define EPT_WRITE 1
#define EPT_VIOLATION_ACC_READ  (1ULL << 0)
#define EPT_VIOLATION_ACC_WRITE (1ULL << 1)
#define RFLAGS_TF (1ULL << 8)
#define RFLAGS_DF (1ULL << 10)
#define TASK_SIZE_MAX ((1ULL << 47) - SZ_4K)
#define VSYSCALL_PAGE 0xFFFFFFFFFF600000ULL
#define TDXSIM_MMIO_POISON 0xF7F6F5F4F3F2F1F0ULL
#define CACHE_SLOTS 16

/* One remembered decode: the instruction bytes at rip and their meaning. */
struct cache_entry {
	bool valid;
	uint64_t rip;
	uint8_t bytes[TDXSIM_MMIO_MAX_INSN];
	struct tdxsim_mmio_insn insn;
};

struct tdxsim_mmio_handler {
	struct tdxsim_mmio_config config;
	csh cs;
	cs_insn *insn;
	struct cache_entry cache[CACHE_SLOTS];
};

/* One call of tdxsim_mmio_handle(): its inputs and a scratch copy of regs. */
struct run {
	struct tdxsim_mmio_handler *h;
	struct tdxsim_vcpu_regs r;
	const struct tdxsim_veinfo *ve;
	const uint8_t *bytes;
	size_t avail;
	int user;
	tdxsim_tdvmcall_fn vmm;
	void *vmm_ctx;
	struct tdxsim_mmio_result *out;
	unsigned movs_done;
	bool rip_stays;		/* a REP MOVS single-stepped with elements left */
};

/* One decode before first use: Capstone 4 sorts a table lazily
 * (X86_insn_reg_intel()), a data race between threads otherwise. */
static void
warm_up_decode(struct tdxsim_mmio_handler *h, const uint8_t *bytes, size_t n)
{
	uint64_t addr = 0;

	cs_disasm_iter(h->cs, &bytes, &n, &addr, h->insn);
}

TDXSIM_EXPORT int
tdxsim_mmio_handler_new(const struct tdxsim_mmio_config *config,
			struct tdxsim_mmio_handler **out)
{
	static const uint8_t warm_up[] = { 0xF3, 0xA5 };	/* see above */
	struct tdxsim_mmio_config c;
	struct tdxsim_mmio_handler *h;
	int ret;

	if (!config || !out)
		return -EINVAL;
	ret = tdxsim_config_copy(&c, sizeof(c), config, TDXSIM_MMIO_CONFIG_SIZE_V1);
	if (ret == 0 && c.mode != TDXSIM_MMIO_ARCH && c.mode != TDXSIM_MMIO_LINUX)
		ret = -EINVAL;
	if (ret == 0)
		ret = tdxsim_gpaw_resolve(&c.gpaw);
	if (ret < 0)
		return ret;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->config = c;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &h->cs) != CS_ERR_OK) {
		free(h);
		return -EIO;
	}
	cs_option(h->cs, CS_OPT_DETAIL, CS_OPT_ON);
	h->insn = cs_malloc(h->cs);
	if (!h->insn) {
		tdxsim_mmio_handler_free(h);
		return -ENOMEM;
	}
	warm_up_decode(h, warm_up, sizeof(warm_up));
	*out = h;
	return 0;
}

TDXSIM_EXPORT void
tdxsim_mmio_handler_free(struct tdxsim_mmio_handler *handler)
{
	if (!handler)
		return;
	if (handler->insn)
		cs_free(handler->insn, 1);
	cs_close(&handler->cs);
	free(handler);
}

/* Record a non-fatal failure. */
static int
fail(struct run *run, int status, const char *reason)
{
	run->out->status = status;
	run->out->reason = reason;
	return status;
}

/* Record a guest panic. */
static int
fatal(struct run *run, const char *reason)
{
	run->out->fatal = 1;
	return fail(run, -EIO, reason);
}

static uint64_t
mask_of(unsigned bytes)
{
	return bytes >= 8 ? ~0ULL : (1ULL << (8 * bytes)) - 1;
}

/* old with its low bytes replaced by val's. */
static uint64_t
merge(uint64_t old, uint64_t val, unsigned bytes)
{
	uint64_t m = mask_of(bytes);

	return (old & ~m) | (val & m);
}

static uint64_t
sign_extend(uint64_t val, unsigned bytes)
{
	unsigned shift = 64 - 8 * bytes;

	return bytes >= 8 ? val : (uint64_t)((int64_t)(val << shift) >> shift);
}

/*
 * TDG.VP.VMCALL<#VE.RequestMMIO> (the GHCI specification; tdx.c mmio_read()
 * and mmio_write()). A TDCALL failure panics (__tdx_hypercall_failed());
 * any nonzero R10, RETRY included, is -EIO.
 */
static int
tdvmcall(struct run *run, unsigned size, int write, uint64_t gpa,
	 uint64_t val, uint64_t *read)
{
	struct tdxsim_tdvmcall call = {
		.r10 = 0, .r11 = EXIT_REASON_EPT_VIOLATION, .r12 = size,
		.r13 = write ? EPT_WRITE : EPT_READ, .r14 = gpa,
		.r15 = write ? val : 0,
	};

	run->out->request = call;
	run->out->tdvmcall_made = 1;
	run->out->bus_accesses++;
	if (run->vmm(run->vmm_ctx, &call) != 0) {
		run->out->reply = call;
		return fatal(run, "TDVMCALL failed. TDX module bug?");
	}
	run->out->reply = call;
	if (call.r10 != 0)
		return fail(run, -EIO, "The VMM refused the MMIO request (R10 != 0).");
	if (read)
		*read = call.r11 & mask_of(size);
	return 0;
}

/* The checks of tdx_handle_virt_exception() before handle_mmio(). */
static int
dispatch_checks(struct run *run)
{
	const struct tdxsim_mmio_config *c = &run->h->config;
	uint64_t shared = 1ULL << (c->gpaw - 1);

	if (run->ve->exit_reason != EXIT_REASON_EPT_VIOLATION)
		return fail(run, -EIO, "Unexpected #VE: not an EPT violation.");
	if (run->user && !c->user_mmio)
		return fail(run, -EIO, "EPT-violation #VE in user mode: no user MMIO.");
	if (!(run->ve->gpa & shared))
		return fatal(run, "Unexpected EPT-violation on private memory.");
	if (!run->bytes || run->avail == 0)
		return fail(run, -EFAULT, "Instruction bytes are not readable.");
	if (c->mode == TDXSIM_MMIO_LINUX && !run->user &&
	    run->avail < TDXSIM_MMIO_MAX_INSN)
		return fail(run, -EFAULT, "Fewer than 15 instruction bytes readable "
			    "(copy_from_kernel_nofault()).");
	return 0;
}

/* The decode cache slot for rip. */
static struct cache_entry *
cache_slot(struct tdxsim_mmio_handler *h, uint64_t rip)
{
	return &h->cache[(rip ^ (rip >> 4) ^ (rip >> 12)) % CACHE_SLOTS];
}

/* Decode at RIP, through the cache keyed by (RIP, instruction bytes). */
static int
decode(struct run *run, struct tdxsim_mmio_insn *in)
{
	struct cache_entry *e = cache_slot(run->h, run->r.rip);
	const char *why = NULL;
	size_t avail = run->avail < TDXSIM_MMIO_MAX_INSN ?
		       run->avail : TDXSIM_MMIO_MAX_INSN;

	if (e->valid && e->rip == run->r.rip && avail >= e->insn.len &&
	    memcmp(e->bytes, run->bytes, e->insn.len) == 0) {
		*in = e->insn;
		run->out->from_cache = 1;
		return 0;
	}
	if (tdxsim_mmio_decode(run->h->cs, run->h->insn, run->h->config.mode,
			       run->bytes, avail, in, &why) < 0)
		return fail(run, -EINVAL, why);
	e->valid = true;
	e->rip = run->r.rip;
	memcpy(e->bytes, run->bytes, in->len);
	e->insn = *in;
	return 0;
}

static bool
is_write(const struct tdxsim_mmio_insn *in)
{
	return in->kind == TDXSIM_MMIO_WRITE || in->kind == TDXSIM_MMIO_WRITE_IMM;
}

/*
 * Who may touch the GLA: kernel mode needs a kernel address (d4fc4d014715,
 * CVE-2024-47727); user mode (user-MMIO option) needs the exit
 * qualification to agree with the direction (Gladkov v7 valid_vaddr()).
 */
static int
address_owner_check(struct run *run, const struct tdxsim_mmio_insn *in)
{
	uint64_t gla = run->ve->gla, q = run->ve->exit_qual;

	if (!run->user) {
		if (gla < TASK_SIZE_MAX || (gla & ~(SZ_4K - 1)) == VSYSCALL_PAGE)
			return fail(run, -EINVAL, "Access to userspace address is not supported.");
		return 0;
	}
	if (is_write(in) ? !(q & EPT_VIOLATION_ACC_WRITE) : !(q & EPT_VIOLATION_ACC_READ))
		return fail(run, -EFAULT, "Exit qualification disagrees with the access direction.");
	return 0;
}

static bool
splits_page(uint64_t addr, unsigned size)
{
	return addr / SZ_4K != (addr + size - 1) / SZ_4K;
}

static bool
is_arch(const struct run *run)
{
	return run->h->config.mode == TDXSIM_MMIO_ARCH;
}

/* Bits 63:47 all equal (SDM vol. 1, 3.3.7.1, 48-bit linear addresses). */
static bool
canonical(uint64_t la)
{
	return (uint64_t)((int64_t)(la << 16) >> 16) == la;
}

/*
 * ARCH: a memory access with a byte at a non-canonical address is #GP(0)
 * (SDM vol. 3A, 6.15, interrupt 13), raised before paging, so before any
 * EPT violation: the #VE cannot be this access's.
 */
static int
canonical_check(struct run *run, uint64_t la, unsigned size)
{
	if (canonical(la) && canonical(la + size - 1))
		return 0;
	run->out->exception = TDXSIM_VECTOR_GP;
	return fail(run, -EFAULT, "Non-canonical address: the CPU raises #GP(0), not a #VE.");
}

/* ARCH: the #VE is about la's page or alt's (MOVS: either operand). */
static int
gla_check(struct run *run, uint64_t la, uint64_t alt)
{
	uint64_t page = run->ve->gla / SZ_4K;

	if (page == la / SZ_4K || page == alt / SZ_4K)
		return 0;
	run->out->inconsistent = 1;
	return fail(run, -EINVAL, "Inconsistent #VE: the effective address is not "
		    "on VE_INFO's GLA page.");
}

/* ARCH, before the policy checks: what the CPU itself would have done. */
static int
arch_address_check(struct run *run, const struct tdxsim_mmio_insn *in)
{
	uint64_t la;

	if (!is_arch(run) || in->kind == TDXSIM_MMIO_MOVS)
		return 0;
	if (tdxsim_mmio_linear_address(in, &run->r, &la) < 0)
		return fail(run, -EINVAL, "Cannot compute the effective address.");
	if (canonical_check(run, la, in->size) < 0)
		return run->out->status;
	return gla_check(run, la, la);
}

/* ARCH: RFLAGS.TF makes the CPU trap after the instruction (#DB, DR6.BS). */
static bool
single_step(const struct run *run)
{
	return is_arch(run) && (run->r.rflags & RFLAGS_TF);
}

/*
 * The page-split check (handle_mmio()'s, tdx.c). LINUX: an address error
 * becomes -1 and is not checked, so a 1-byte access slips through. ARCH: -EINVAL.
 */
static int
split_check(struct run *run, const struct tdxsim_mmio_insn *in)
{
	uint64_t addr;

	if (tdxsim_mmio_linear_address(in, &run->r, &addr) < 0) {
		if (is_arch(run))
			return fail(run, -EINVAL, "Cannot compute the effective address.");
		addr = ~0ULL;
	}
	if (splits_page(addr, in->size))
		return fail(run, -EFAULT, "MMIO access splits a page.");
	return 0;
}

/* R15 for a write (tdx.c handle_mmio_write()). */
static uint64_t
write_value(const struct run *run, const struct tdxsim_mmio_insn *in)
{
	uint64_t m = mask_of(in->size), src;

	if (run->h->config.mode == TDXSIM_MMIO_LINUX) {
		if (in->kind == TDXSIM_MMIO_WRITE_IMM)
			return (uint64_t)in->imm;
		return (run->r.gpr[in->reg] & m) | (TDXSIM_MMIO_POISON & ~m);
	}
	if (in->kind == TDXSIM_MMIO_WRITE_IMM)
		return (uint64_t)in->imm & m;
	src = run->r.gpr[in->reg];
	return (in->reg_high ? src >> 8 : src) & m;
}

/* The write-back of handle_mmio() (tdx.c), bugs included. */
static uint64_t
linux_writeback(const struct tdxsim_mmio_insn *in, uint64_t old, uint64_t val)
{
	unsigned extend = in->opnd_bytes;
	uint64_t fill = 0;

	if (in->kind == TDXSIM_MMIO_READ)
		extend = in->size == 4 ? 8 : 0;
	if (in->kind == TDXSIM_MMIO_READ_SIGN_EXTEND &&
	    (val & (in->size == 1 ? 0x80 : 0x8000)))
		fill = ~0ULL;
	if (extend)
		old = merge(old, fill, extend);
	return merge(old, val, in->size);
}

/* The architectural result of a MOV/MOVZX/MOVSX load. */
static uint64_t
arch_writeback(const struct tdxsim_mmio_insn *in, uint64_t old, uint64_t val)
{
	unsigned width = in->size;

	if (in->reg_high)
		return (old & ~0xFF00ULL) | ((val & 0xFF) << 8);
	if (in->kind == TDXSIM_MMIO_READ_SIGN_EXTEND)
		val = sign_extend(val, in->size);
	if (in->kind != TDXSIM_MMIO_READ)
		width = in->opnd_bytes;
	if (width == 4)
		return val & 0xFFFFFFFFULL;	/* 32-bit writes zero-extend */
	return merge(old, val, width);
}

static int
emulate_read(struct run *run, const struct tdxsim_mmio_insn *in)
{
	uint64_t val, *reg = &run->r.gpr[in->reg];

	if (tdvmcall(run, in->size, 0, run->ve->gpa, 0, &val) < 0)
		return run->out->status;
	if (run->h->config.mode == TDXSIM_MMIO_LINUX)
		*reg = linux_writeback(in, *reg, val);
	else
		*reg = arch_writeback(in, *reg, val);
	return 0;
}

/* The guest physical address of linear address la (MOVS; see top). */
static uint64_t
movs_gpa(const struct run *run, uint64_t la)
{
	return run->ve->gpa + (la - run->ve->gla);
}

/* One MOVS element: read [seg:RSI], write [ES:RDI]. */
static int
movs_element(struct run *run, const struct tdxsim_mmio_insn *in,
	     uint64_t src_base, uint64_t amask)
{
	uint64_t src = src_base + (run->r.gpr[TDXSIM_RSI] & amask);
	uint64_t dst = run->r.gpr[TDXSIM_RDI] & amask, val;

	if (is_arch(run) &&
	    (canonical_check(run, src, in->size) < 0 ||
	     canonical_check(run, dst, in->size) < 0 ||
	     (run->movs_done == 0 && gla_check(run, src, dst) < 0)))
		return run->out->status;
	if (splits_page(src, in->size) || splits_page(dst, in->size))
		return fail(run, -EFAULT, "MOVS element splits a page.");
	if (tdvmcall(run, in->size, 0, movs_gpa(run, src), 0, &val) < 0 ||
	    tdvmcall(run, in->size, 1, movs_gpa(run, dst), val, NULL) < 0)
		return run->out->status;
	return 0;
}

/*
 * MOVS under the user-MMIO option (Gladkov v7 6/6 handle_mmio_movs()) with
 * the loop condition corrected to rep && rcx > 0 (Message-ID
 * cover.1726237595.git.legion@kernel.org); F2 or F3 is REP, DF the
 * direction, 67 makes RSI/RDI/RCX 32-bit. ARCH with TF: one element, then
 * the single-step trap, RIP moving on only when RCX is 0 (SDM vol. 3B,
 * 18.3.1.4: a trap after each iteration).
 */
static int
emulate_movs(struct run *run, const struct tdxsim_mmio_insn *in)
{
	uint64_t amask = in->addr32 ? 0xFFFFFFFFULL : ~0ULL, src_base = 0;
	uint64_t step = (run->r.rflags & RFLAGS_DF) ? -(uint64_t)in->size : in->size;
	uint64_t *rcx = &run->r.gpr[TDXSIM_RCX];

	if (!run->user)
		return fail(run, -EFAULT, "MOVS from kernel mode is not supported.");
	if (in->nseg > 1)
		return fail(run, -EINVAL, "Cannot compute the MOVS source segment.");
	if (in->seg == 0x64 || in->seg == 0x65)
		src_base = in->seg == 0x64 ? run->r.fs_base : run->r.gs_base;
	while (!in->rep || (*rcx & amask) > 0) {
		if (movs_element(run, in, src_base, amask) < 0)
			return run->out->status;
		run->movs_done++;
		run->r.gpr[TDXSIM_RSI] = (run->r.gpr[TDXSIM_RSI] + step) & amask;
		run->r.gpr[TDXSIM_RDI] = (run->r.gpr[TDXSIM_RDI] + step) & amask;
		if (!in->rep)
			break;
		*rcx = (*rcx - 1) & amask;
		if (single_step(run)) {
			run->rip_stays = (*rcx & amask) != 0;
			break;
		}
	}
	return 0;
}

/* handle_mmio() after the decode (tdx.c). */
static int
emulate(struct run *run, const struct tdxsim_mmio_insn *in)
{
	bool linux_mode = run->h->config.mode == TDXSIM_MMIO_LINUX;

	if (in->kind == TDXSIM_MMIO_MOVS && run->h->config.user_mmio)
		return emulate_movs(run, in);
	if (arch_address_check(run, in) < 0 || address_owner_check(run, in) < 0 ||
	    split_check(run, in) < 0)
		return run->out->status;
	if (in->kind == TDXSIM_MMIO_MOVS)
		return fail(run, -EINVAL, linux_mode ?
			    "MOVS is not supported (not using io.h helpers?)." :
			    "MOVS needs the user-MMIO option.");
	if (is_write(in))
		return tdvmcall(run, in->size, 1, run->ve->gpa,
				write_value(run, in), NULL);
	return emulate_read(run, in);
}

/* The whole #VE, on the scratch register copy. */
static int
handle(struct run *run)
{
	struct tdxsim_mmio_insn in;

	if (dispatch_checks(run) < 0 || decode(run, &in) < 0)
		return run->out->status;
	run->out->insn_len = in.len;
	if (emulate(run, &in) < 0)
		return run->out->status;
	if (!run->rip_stays)
		run->r.rip += in.len;
	if (single_step(run)) {
		run->out->exception = TDXSIM_VECTOR_DB;
		run->out->dr6 = TDXSIM_DR6_BS;
	}
	return 0;
}

TDXSIM_EXPORT int
tdxsim_mmio_handle(struct tdxsim_mmio_handler *handler,
		   struct tdxsim_vcpu_regs *regs,
		   const struct tdxsim_veinfo *ve, const uint8_t *insn,
		   size_t insn_len, int user, tdxsim_tdvmcall_fn vmm,
		   void *vmm_ctx, struct tdxsim_mmio_result *out)
{
	struct run run;

	if (!handler || !regs || !ve || !vmm || !out || (!insn && insn_len))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	run = (struct run){
		.h = handler, .r = *regs, .ve = ve, .bytes = insn,
		.avail = insn_len, .user = user, .vmm = vmm,
		.vmm_ctx = vmm_ctx, .out = out,
	};
	if (handle(&run) == 0) {
		out->reason = "MMIO emulated.";
		*regs = run.r;
	} else if (run.movs_done > 0 && !out->fatal) {
		run.r.rip = regs->rip;	/* partial REP MOVS progress stays */
		*regs = run.r;
	}
	return 0;
}
