/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the #VE MMIO handler (tdxsim_mmio_handle()) in both modes.
 *
 * Input (little-endian; missing bytes read as 0):
 *   0..14    the instruction bytes at RIP
 *   15..142  the 16 GPRs; 143 RIP; 151 RFLAGS; 159 FS base; 167 GS base
 *   175      exit reason (raw mode only)
 *   176..207 VE_INFO: exit_qual, gla, gpa (8 bytes each), instr_len,
 *            instr_info (4 bytes each)
 *   208      bit 0 user mode, bit 1 GPA width 52 (shared bit 51), else 48, bit 2 user-MMIO
 *            option, bit 3 raw VE_INFO (else: exit reason 48, the shared
 *            bit set in the GPA, a kernel GLA), bits 7:4 readable
 *            instruction bytes (0: 15)
 *   209..    the VMM's script, 9 bytes a call: flags (bit 0 R10 != 0, bit 2
 *            then RETRY rather than INVALID_OPERAND, bit 1 the TDCALL
 *            fails), R11. Past the script the VMM answers R10 = 0 and a
 *            fixed R11, and refuses every call after the 64th (so that a
 *            REP MOVS ends).
 *
 * Each input runs in both modes, each twice on the same handler (the second
 * run may come from the decode cache and must give the same outcome).
 *
 * Invariants (abort() on violation):
 *  - VMM calls == bus_accesses; tdvmcall_made iff a call; at most one call
 *    for anything but MOVS; every request has R10 = 0, R11 = 48,
 *    R12 in {1, 2, 4, 8}, R13 in {0, 1}, R14 = VE_INFO's GPA (not MOVS);
 *    reads send R15 = 0; no call after a refused one (R10 != 0 or TDCALL
 *    failure), and then the outcome is a failure;
 *  - RFLAGS, FS and GS base never change;
 *  - failure: no register changes (RIP included), except the RSI/RDI/RCX
 *    progress of a partly done MOVS; fatal implies -EIO;
 *  - success: RIP advances by insn_len (1..15, within the readable bytes);
 *    linux: a write changes no GPR, a read at most one (the ModRM.reg
 *    register, or with no REX RSP..RDI for the AH..BH quirk);
 *    arch: insn_len is what our own decode of the encoding gives, R12 and
 *    R13 the access size and direction, R15 of a write the register
 *    (AH..BH included) or the immediate cut to the access size, and a read
 *    changes only the destination register, exactly as the architecture
 *    writes it (8/16-bit merge, 32-bit zero-extension, MOVZX/MOVSX);
 *  - linux and arch agree (status, fatal, calls, request with R15 compared
 *    on the access size's bytes only, registers) whenever the encoding is
 *    outside every divergence bucket of docs/guest.md (see clean()).
 *
 * No global state: the two handlers are created and freed per input.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tdxsim/guest.h>

#include "fuzz-time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

#define OFF_GPR 15
#define OFF_RIP 143
#define OFF_RFLAGS 151
#define OFF_FS 159
#define OFF_GS 167
#define OFF_EXIT 175
#define OFF_QUAL 176
#define OFF_GLA 184
#define OFF_GPA 192
#define OFF_ILEN 200
#define OFF_IINFO 204
#define OFF_FLAGS 208
#define OFF_SCRIPT 209
#define REPLY_SIZE 9
#define DEFAULT_CALLS 64

struct input {
	const uint8_t *d;
	size_t n;
};

static uint8_t
byte_at(const struct input *in, size_t off)
{
	return off < in->n ? in->d[off] : 0;
}

static uint64_t
le_at(const struct input *in, size_t off, unsigned bytes)
{
	uint64_t v = 0;

	for (int i = (int)bytes - 1; i >= 0; i--)
		v = v << 8 | byte_at(in, off + (size_t)i);
	return v;
}

/* ---- the scripted VMM ---- */

struct vmm {
	const struct input *in;
	unsigned calls;
	bool refused;
	bool movs;
	uint64_t gpa;
};

static uint64_t
vmm_call(void *ctx, struct tdxsim_tdvmcall *call)
{
	struct vmm *v = ctx;
	size_t off = OFF_SCRIPT + (size_t)v->calls * REPLY_SIZE;
	uint8_t flags = 0;
	uint64_t r11 = 0x0123456789ABCDEFULL ^ v->calls;

	CHECK(!v->refused);
	CHECK(call->r10 == 0 && call->r11 == 48);
	CHECK(call->r12 == 1 || call->r12 == 2 || call->r12 == 4 || call->r12 == 8);
	CHECK(call->r13 == 0 || call->r13 == 1);
	if (call->r13 == 0)
		CHECK(call->r15 == 0);
	if (!v->movs)
		CHECK(call->r14 == v->gpa);
	if (off + REPLY_SIZE <= v->in->n) {
		flags = byte_at(v->in, off);
		r11 = le_at(v->in, off + 1, 8);
	} else if (v->calls >= DEFAULT_CALLS) {
		flags = 1;
	}
	v->calls++;
	call->r10 = (flags & 1) ? ((flags & 4) ? 1 : 0x8000000000000000ULL) : 0;
	call->r11 = r11;
	if (flags & 3)
		v->refused = true;
	return (flags & 2) ? 0xC000010000000000ULL : 0;
}

/* ---- our own reading of the encoding ---- */

struct dec {
	bool ok;		/* opcode and ModRM (+SIB, disp, imm) all there */
	unsigned npfx;		/* prefix bytes, REX included */
	unsigned nlegacy, distinct, nseg, nsegd;	/* nsegd: distinct segments */
	bool lock, rep, opsize, addrsize;
	bool rex_then_legacy;	/* divergence 6 */
	unsigned nrex;		/* REX bytes among the prefixes */
	uint8_t rex;		/* the REX right before the opcode, else 0 */
	unsigned op;		/* 0x0F00 | second byte for two-byte opcodes */
	unsigned mod, reg, rm;
	uint8_t sib;
	bool has_sib;
	int64_t disp;
	uint8_t seg;		/* the last segment override, 0 for none */
	unsigned len;
	int64_t imm;
	uint8_t last;		/* the last legacy prefix byte */
	/* linux mode follows the Linux decoder where this reading cannot:
	 * VEX/EVEX (C4, C5, 62), REX2 (D5), a forced-emulation prefix (UD2
	 * first): outside every comparison, its successes checked only for
	 * what holds of any MMIO access */
	bool linux_only;
};

static bool
legacy(uint8_t b)
{
	switch (b) {
	case 0x66: case 0x67: case 0xF0: case 0xF2: case 0xF3:
	case 0x2E: case 0x36: case 0x3E: case 0x26: case 0x64: case 0x65:
		return true;
	default:
		return false;
	}
}

static bool
segment(uint8_t b)
{
	return b == 0x2E || b == 0x36 || b == 0x3E || b == 0x26 || b == 0x64 ||
	       b == 0x65;
}

/* The displacement after ModRM/SIB at b[i]; the index after it. */
static size_t
read_disp(const uint8_t *b, size_t avail, size_t i, struct dec *d)
{
	unsigned n = d->mod == 1 ? 1 : d->mod == 2 ? 4 : 0;
	uint32_t v = 0;

	if (d->mod == 0 && (d->has_sib ? (d->sib & 7) == 5 : d->rm == 5))
		n = 4;
	for (unsigned k = 0; k < n && i + k < avail; k++)
		v |= (uint32_t)b[i + k] << (8 * k);
	d->disp = n == 1 ? (int8_t)v : (int32_t)v;
	return i + n;
}

static void
decode(const uint8_t *b, size_t avail, struct dec *d)
{
	uint8_t seen[256] = { 0 };
	size_t i = 0;

	memset(d, 0, sizeof(*d));
	while (i < avail && (legacy(b[i]) || (b[i] & 0xF0) == 0x40)) {
		if ((b[i] & 0xF0) == 0x40) {
			d->rex = b[i];
			d->nrex++;
		} else {
			if (d->rex)
				d->rex_then_legacy = true;
			d->rex = 0;
			d->nlegacy++;
			if (!seen[b[i]]++)
				d->distinct++;
			if (segment(b[i])) {
				d->seg = b[i];
				d->nseg++;
				if (seen[b[i]] == 1)
					d->nsegd++;
			}
			d->last = b[i];
			d->lock |= b[i] == 0xF0;
			d->rep |= b[i] == 0xF2 || b[i] == 0xF3;
			d->opsize |= b[i] == 0x66;
			d->addrsize |= b[i] == 0x67;
		}
		i++;
	}
	d->npfx = (unsigned)i;
	if (i >= avail)
		return;
	d->linux_only = b[i] == 0xC4 || b[i] == 0xC5 || b[i] == 0x62 || b[i] == 0xD5 ||
			(i == 0 && avail > 1 && b[0] == 0x0F && b[1] == 0x0B);
	d->op = b[i++];
	if (d->op == 0x0F) {
		if (i >= avail)
			return;
		d->op = 0x0F00 | b[i++];
	}
	if (d->op == 0xA4 || d->op == 0xA5) {
		d->len = (unsigned)i;
		d->ok = true;
		return;
	}
	if (i >= avail)
		return;
	d->mod = b[i] >> 6;
	d->reg = (b[i] >> 3) & 7;
	d->rm = b[i] & 7;
	i++;
	if (d->mod != 3 && d->rm == 4) {
		if (i >= avail)
			return;
		d->has_sib = true;
		d->sib = b[i++];
	}
	i = read_disp(b, avail, i, d);
	if (d->op == 0xC6 || d->op == 0xC7) {
		unsigned isz = d->op == 0xC6 ? 1 : (d->opsize && !(d->rex & 8)) ? 2 : 4;

		if (i + isz > avail)
			return;
		d->imm = isz == 1 ? (int8_t)b[i] :
			 isz == 2 ? (int16_t)(b[i] | b[i + 1] << 8) :
			 (int32_t)((uint32_t)b[i] | (uint32_t)b[i + 1] << 8 |
				   (uint32_t)b[i + 2] << 16 | (uint32_t)b[i + 3] << 24);
		i += isz;
	}
	if (i > avail || i > 15)
		return;
	d->len = (unsigned)i;
	d->ok = true;
}

static bool
allowlisted(unsigned op)
{
	switch (op) {
	case 0x88: case 0x89: case 0x8A: case 0x8B: case 0xC6: case 0xC7:
	case 0xA4: case 0xA5:
	case 0x0FB6: case 0x0FB7: case 0x0FBE: case 0x0FBF:
		return true;
	default:
		return false;
	}
}

static bool
is_movs(const struct dec *d)
{
	return d->op == 0xA4 || d->op == 0xA5;
}

static bool
is_read(const struct dec *d)
{
	return d->op == 0x8A || d->op == 0x8B || (d->op & 0xFF00) == 0x0F00;
}

/* Access size (bytes of memory). */
static unsigned
access_size(const struct dec *d)
{
	switch (d->op) {
	case 0x88: case 0x8A: case 0xC6: case 0xA4: case 0x0FB6: case 0x0FBE:
		return 1;
	case 0x0FB7: case 0x0FBF:
		return 2;
	default:
		return (d->rex & 8) ? 8 : d->opsize ? 2 : 4;
	}
}

/* Operand size (bytes of the register). */
static unsigned
operand_size(const struct dec *d)
{
	if (d->op == 0x88 || d->op == 0x8A || d->op == 0xC6)
		return 1;
	return (d->rex & 8) ? 8 : d->opsize ? 2 : 4;
}

static bool
high_byte(const struct dec *d)
{
	return (d->op == 0x88 || d->op == 0x8A) && !d->rex && d->reg >= 4;
}

static unsigned
reg_index(const struct dec *d)
{
	if (high_byte(d))
		return d->reg - 4;
	return d->reg | ((d->rex & 4) ? 8u : 0u);
}

static uint64_t
mask_of(unsigned bytes)
{
	return bytes >= 8 ? ~0ULL : (1ULL << (8 * bytes)) - 1;
}

static uint64_t
sext(uint64_t v, unsigned bytes)
{
	unsigned s = 64 - 8 * bytes;

	return bytes >= 8 ? v : (uint64_t)((int64_t)(v << s) >> s);
}

/*
 * Outside every divergence bucket of docs/guest.md: 1 (AH..BH), 2-3
 * (MOVZX/MOVSX into r32), 6 (REX before a legacy prefix), 7 (mod = 3,
 * LOCK, C6/C7 /r != 0), 8 (two segment overrides), 9 (< 15 bytes
 * readable in kernel mode), 10 (> 4 legacy prefixes; we also keep to
 * distinct ones), 8b (three prefixes ending in a segment override), 11
 * (forced-emulation prefix), 12 (REX2) and VEX/EVEX in linux mode. Several REX bytes in a row (4C 48 89 07) diverge like 6:
 * the kernel decoder takes one REX and the next as the opcode, the SDM
 * only the last; docs/guest.md does not list it, so it is left out too. Buckets 4-5 (R15 of writes) are handled by comparing R15
 * on the access size only. MOVS and REP prefixes are left out too (the
 * user-MMIO option is no upstream code to agree with).
 */
static bool
clean(const struct dec *d, size_t avail, int user)
{
	if (!user && avail < 15)
		return false;
	if (d->rex_then_legacy || d->nrex > 1 || d->lock || d->rep || d->nseg > 1 ||
	    d->nlegacy > 4 || d->distinct != d->nlegacy)
		return false;
	/* 8b: three distinct prefixes, the last a segment override; 11, 12
	 * and VEX/EVEX: linux_only */
	if ((d->distinct == 3 && segment(d->last)) || d->linux_only)
		return false;
	if (!d->ok)
		return d->npfx < 15 && !allowlisted(d->op) && d->op != 0x0F;
	if (!allowlisted(d->op))
		return true;
	if (is_movs(d) || d->mod == 3)
		return false;
	if ((d->op == 0xC6 || d->op == 0xC7) && d->reg != 0)
		return false;
	if (high_byte(d))
		return false;
	if ((d->op & 0xFF00) == 0x0F00 && operand_size(d) == 4)
		return false;
	return true;
}

/*
 * The linear address of the memory operand (MOVS: the source), as the
 * SDM forms it, for a #VE that fits the instruction (arch mode refuses
 * one whose GLA is on another page).
 */
static uint64_t
linear_address(const struct dec *d, const struct tdxsim_vcpu_regs *r)
{
	unsigned b = (d->rex & 1) ? 8 : 0, x = (d->rex & 2) ? 8 : 0;
	uint64_t ea = (uint64_t)d->disp, seg = 0;

	if (d->seg == 0x64 || d->seg == 0x65)
		seg = d->seg == 0x64 ? r->fs_base : r->gs_base;
	if (is_movs(d))
		ea = r->gpr[TDXSIM_RSI];
	else if (!d->has_sib && d->mod == 0 && d->rm == 5)
		ea += r->rip + d->len;
	else if (!d->has_sib)
		ea += r->gpr[d->rm | b];
	else {
		if (!(d->mod == 0 && (d->sib & 7) == 5))
			ea += r->gpr[(d->sib & 7) | b];
		if ((((d->sib >> 3) & 7) | x) != 4)
			ea += r->gpr[((d->sib >> 3) & 7) | x] << (d->sib >> 6);
	}
	if (d->addrsize)
		ea &= 0xFFFFFFFFULL;
	return ea + seg;
}

/* ---- one run ---- */

struct outcome {
	struct tdxsim_vcpu_regs regs;
	struct tdxsim_mmio_result res;
	unsigned calls;
};

/*
 * arch mode's own outcomes (docs/guest.md): #GP(0) is -EFAULT with no
 * TDVMCALL (a REP MOVS may have done elements first), the inconsistent
 * #VE -EINVAL with none, the single-step #DB a success with TF set and
 * DR6.BS; linux mode has none of them.
 */
static void
check_arch_events(enum tdxsim_mmio_mode mode, bool movs,
		  const struct tdxsim_vcpu_regs *before, const struct outcome *o)
{
	const struct tdxsim_mmio_result *r = &o->res;

	if (mode == TDXSIM_MMIO_LINUX) {
		CHECK(r->exception == 0 && r->dr6 == 0 && !r->inconsistent);
		return;
	}
	if (r->exception == TDXSIM_VECTOR_GP)
		CHECK(r->status == -14 && (movs || o->calls == 0) && r->dr6 == 0);
	else if (r->exception == TDXSIM_VECTOR_DB)
		CHECK(r->status == 0 && (before->rflags & 0x100) &&
		      r->dr6 == TDXSIM_DR6_BS);
	else
		CHECK(r->exception == 0 && r->dr6 == 0 &&
		      (r->status != 0 || !(before->rflags & 0x100)));
	if (r->inconsistent)
		CHECK(r->status == -22 && o->calls == 0 && r->exception == 0);
}

static void
check_one(const struct dec *d, enum tdxsim_mmio_mode mode, int user,
	  int user_mmio, size_t avail, const struct tdxsim_vcpu_regs *before,
	  const struct outcome *o)
{
	const struct tdxsim_vcpu_regs *after = &o->regs;
	const struct tdxsim_mmio_result *r = &o->res;
	/* a linux_only encoding may be MOVS behind what this reading sees */
	bool maybe_movs = d->linux_only && user && user_mmio;
	bool movs = (d->ok && is_movs(d)) || maybe_movs;

	CHECK(o->calls == r->bus_accesses);
	CHECK(r->tdvmcall_made == (o->calls > 0));
	if (!movs)
		CHECK(o->calls <= 1);
	CHECK(after->rflags == before->rflags);
	CHECK(after->fs_base == before->fs_base && after->gs_base == before->gs_base);
	CHECK(r->reason != NULL);
	if (r->fatal)
		CHECK(r->status == -5);
	check_arch_events(mode, movs, before, o);
	if (r->status != 0) {
		CHECK(r->status == -22 || r->status == -14 || r->status == -5 ||
		      r->status == -11);
		CHECK(after->rip == before->rip);
		for (unsigned g = 0; g < 16; g++) {
			if (after->gpr[g] == before->gpr[g])
				continue;
			CHECK(movs && user_mmio && user && !r->fatal &&
			      (g == TDXSIM_RSI || g == TDXSIM_RDI || g == TDXSIM_RCX));
		}
		return;
	}
	CHECK(!r->fatal);
	CHECK(r->insn_len >= 1 && r->insn_len <= 15 && r->insn_len <= avail);
	/* a single-stepped REP MOVS with elements left stays on it */
	CHECK(after->rip == before->rip + r->insn_len ||
	      (movs && r->exception == TDXSIM_VECTOR_DB && after->rip == before->rip));
	CHECK(!user || user_mmio);
	if (d->linux_only) {
		unsigned changed = 0;

		CHECK(mode == TDXSIM_MMIO_LINUX);
		if (maybe_movs)
			return;
		CHECK(o->calls == 1);
		for (unsigned g = 0; g < 16; g++)
			changed += after->gpr[g] != before->gpr[g];
		CHECK(changed <= (r->request.r13 == 0 ? 1u : 0u));
		return;
	}
	CHECK(d->ok && allowlisted(d->op));
	if (movs) {
		CHECK(user_mmio && user);
		for (unsigned g = 0; g < 16; g++)
			if (g != TDXSIM_RSI && g != TDXSIM_RDI && g != TDXSIM_RCX)
				CHECK(after->gpr[g] == before->gpr[g]);
		return;
	}
	CHECK(o->calls == 1);
	CHECK(r->request.r13 == (is_read(d) ? 0u : 1u));
	if (mode == TDXSIM_MMIO_LINUX) {
		unsigned changed = 0;

		for (unsigned g = 0; g < 16; g++) {
			if (after->gpr[g] == before->gpr[g])
				continue;
			changed++;
			CHECK(is_read(d));
			CHECK(g == reg_index(d) ||
			      (!d->rex && (g & 7) == (d->reg & 7) && g >= 4 && g < 8));
		}
		CHECK(changed <= 1);
		return;
	}

	/* arch: exact. */
	{
		unsigned size = access_size(d), width = operand_size(d);
		unsigned dst = reg_index(d);
		uint64_t want;

		CHECK(d->mod != 3 && !d->lock && d->nsegd <= 1);
		CHECK(r->insn_len == d->len);
		CHECK(r->request.r12 == size);
		if (!is_read(d)) {
			if (d->op == 0xC6 || d->op == 0xC7)
				want = (uint64_t)d->imm & mask_of(size);
			else if (high_byte(d))
				want = (before->gpr[dst] >> 8) & 0xFF;
			else
				want = before->gpr[dst] & mask_of(size);
			CHECK(r->request.r15 == want);
			CHECK(memcmp(after->gpr, before->gpr, sizeof(after->gpr)) == 0);
			return;
		}
		{
			uint64_t val = r->reply.r11 & mask_of(size);
			uint64_t old = before->gpr[dst];

			if (high_byte(d))
				want = (old & ~0xFF00ULL) | (val << 8);
			else {
				if (d->op == 0x0FBE || d->op == 0x0FBF)
					val = sext(val, size);
				if (width == 4)
					want = val & 0xFFFFFFFFULL;
				else
					want = (old & ~mask_of(width)) | (val & mask_of(width));
			}
		}
		for (unsigned g = 0; g < 16; g++)
			CHECK(after->gpr[g] == (g == dst ? want : before->gpr[g]));
	}
}

static void
run_mode(const struct input *in, enum tdxsim_mmio_mode mode,
	 const struct tdxsim_vcpu_regs *regs, const struct tdxsim_veinfo *ve,
	 const uint8_t *insn, size_t avail, int user, int gpaw, int user_mmio,
	 const struct dec *d, struct outcome *out)
{
	struct tdxsim_mmio_config cfg = TDXSIM_CONFIG_INIT(tdxsim_mmio_config);
	struct tdxsim_mmio_handler *h = NULL;

	cfg.mode = mode;
	cfg.gpaw = (unsigned)gpaw;
	cfg.user_mmio = user_mmio;

	CHECK(tdxsim_mmio_handler_new(&cfg, &h) == 0);
	for (int pass = 0; pass < 2; pass++) {
		struct outcome o;
		struct vmm v = { .in = in, .gpa = ve->gpa,
				 .movs = (d->ok && is_movs(d)) ||
					 (d->linux_only && user && user_mmio) };

		o.regs = *regs;
		CHECK(tdxsim_mmio_handle(h, &o.regs, ve, insn, avail, user, vmm_call,
					 &v, &o.res) == 0);
		o.calls = v.calls;
		if (v.refused)
			CHECK(o.res.status != 0);
		check_one(d, mode, user, user_mmio, avail, regs, &o);
		if (pass == 0) {
			*out = o;
			continue;
		}
		/* The cache changes nothing. */
		CHECK(o.res.status == out->res.status && o.res.fatal == out->res.fatal);
		CHECK(o.calls == out->calls);
		CHECK(o.res.insn_len == out->res.insn_len);
		CHECK(memcmp(&o.regs, &out->regs, sizeof(o.regs)) == 0);
		CHECK(memcmp(&o.res.request, &out->res.request, sizeof(o.res.request)) == 0);
	}
	tdxsim_mmio_handler_free(h);
}

static void
one_input(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct tdxsim_vcpu_regs regs;
	struct tdxsim_veinfo ve, fit;
	uint8_t insn[15];
	uint8_t flags = byte_at(&in, OFF_FLAGS);
	int user = flags & 1, gpaw = (flags >> 1) & 1 ? 52 : 48, user_mmio = (flags >> 2) & 1;
	size_t avail = (flags >> 4) ? (size_t)(flags >> 4) : 15;
	struct outcome lo, ar;
	struct dec d;

	for (size_t i = 0; i < 15; i++)
		insn[i] = byte_at(&in, i);
	memset(&regs, 0, sizeof(regs));
	for (unsigned g = 0; g < 16; g++)
		regs.gpr[g] = le_at(&in, OFF_GPR + 8 * g, 8);
	regs.rip = le_at(&in, OFF_RIP, 8);
	regs.rflags = le_at(&in, OFF_RFLAGS, 8);
	regs.fs_base = le_at(&in, OFF_FS, 8);
	regs.gs_base = le_at(&in, OFF_GS, 8);
	memset(&ve, 0, sizeof(ve));
	ve.exit_reason = byte_at(&in, OFF_EXIT);
	ve.exit_qual = le_at(&in, OFF_QUAL, 8);
	ve.gla = le_at(&in, OFF_GLA, 8);
	ve.gpa = le_at(&in, OFF_GPA, 8);
	ve.instr_len = (uint32_t)le_at(&in, OFF_ILEN, 4);
	ve.instr_info = (uint32_t)le_at(&in, OFF_IINFO, 4);
	decode(insn, avail, &d);
	fit = ve;
	if (!(flags & 8)) {
		ve.exit_reason = fit.exit_reason = 48;
		ve.gpa |= 1ULL << (gpaw - 1);
		fit.gpa = ve.gpa;
		if (!user)
			ve.gla |= 0xFFFF800000000000ULL;
		/* A #VE that fits: the GLA on the operand's page (arch mode
		 * refuses any other, docs/guest.md). */
		if (d.ok)
			fit.gla = (linear_address(&d, &regs) & ~0xFFFULL) | (ve.gla & 0xFFF);
	}

	/* linux on the input's #VE (its own invariants), both on the one
	 * that fits for the comparison */
	run_mode(&in, TDXSIM_MMIO_LINUX, &regs, &ve, insn, avail, user, gpaw,
		 user_mmio, &d, &lo);
	run_mode(&in, TDXSIM_MMIO_ARCH, &regs, &fit, insn, avail, user, gpaw,
		 user_mmio, &d, &ar);
	if (memcmp(&fit, &ve, sizeof(ve)) != 0)
		run_mode(&in, TDXSIM_MMIO_LINUX, &regs, &fit, insn, avail, user, gpaw,
			 user_mmio, &d, &lo);

	/* arch's own checks (docs/guest.md) have no linux twin */
	if (clean(&d, avail, user) && !ar.res.exception && !ar.res.inconsistent &&
	    !(regs.rflags & 0x100)) {
		CHECK(lo.res.status == ar.res.status);
		CHECK(lo.res.fatal == ar.res.fatal);
		CHECK(lo.calls == ar.calls);
		CHECK(memcmp(&lo.regs, &ar.regs, sizeof(lo.regs)) == 0);
		if (lo.calls) {
			uint64_t m = mask_of((unsigned)ar.res.request.r12);

			CHECK(lo.res.request.r10 == ar.res.request.r10);
			CHECK(lo.res.request.r11 == ar.res.request.r11);
			CHECK(lo.res.request.r12 == ar.res.request.r12);
			CHECK(lo.res.request.r13 == ar.res.request.r13);
			CHECK(lo.res.request.r14 == ar.res.request.r14);
			CHECK((lo.res.request.r15 & m) == (ar.res.request.r15 & m));
		}
	}
}

/* One input, within the time bound (fuzz-time.h). */
FUZZ_TIMED_ENTRY(one_input, "fuzz-mmio")
