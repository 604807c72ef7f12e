/* SPDX-License-Identifier: MIT */
/*
 * Decode and classify one #VE MMIO instruction (spec mmio.md 2 and 7).
 *
 * The classification follows Linux arch/x86/lib/insn-eval.c
 * insn_decode_mmio(): an allowlist of twelve opcodes, looked up in the raw
 * bytes. Prefixes come from our own scanner of the raw bytes, because
 * Capstone 4.0.2's prefix[] is normalised (spec 4.4 Q1, Q5, Q11). Capstone
 * decodes every accepted instruction too and must agree on its length; its
 * operand access flags are never used (spec 4.4 Q4).
 *
 * Mode differences (spec 2.3, 7):
 *  - LINUX: the kernel decoder's prefix rules (one REX, right after the
 *    legacy prefixes; at most four distinct legacy prefixes), no check of
 *    ModRM.mod, LOCK or the grp11 /r field, and ModRM.reg 4..7 of a byte
 *    operation naming RSP..RDI (insn_get_modrm_reg_ptr(), spec 2.4);
 *  - ARCH: a REX not right before the opcode is ignored, and mod == 3,
 *    LOCK, C6/C7 /1..7 and several segment overrides are rejected.
 * VEX, EVEX and XOP are rejected in both (spec 7 recommends it; the Linux
 * decoder would misread C5 F8 C6 07 00 as a 1-byte WRITE_IMM).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "common.h"
#include "mmio-private.h"

#define REX_W 0x08
#define REX_R 0x04
#define REX_X 0x02
#define REX_B 0x01

/* What the raw prefix scanner found. */
struct prefixes {
	size_t n;		/* prefix bytes, REX included */
	uint8_t rex;
	bool opsize, addrsize, lock, rep;
	uint8_t seg;
	unsigned nseg;
	unsigned distinct;	/* distinct legacy prefix values */
	uint8_t seen[11];
};

static bool
is_legacy_prefix(uint8_t b)
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
is_segment_prefix(uint8_t b)
{
	return b == 0x2E || b == 0x36 || b == 0x3E || b == 0x26 ||
	       b == 0x64 || b == 0x65;
}

/* Record legacy prefix b; duplicates count once (insn_get_prefixes()). */
static void
note_legacy(struct prefixes *p, uint8_t b)
{
	for (unsigned i = 0; i < p->distinct; i++)
		if (p->seen[i] == b)
			return;
	p->seen[p->distinct++] = b;
	if (b == 0x66)
		p->opsize = true;
	else if (b == 0x67)
		p->addrsize = true;
	else if (b == 0xF0)
		p->lock = true;
	else if (b == 0xF2 || b == 0xF3)
		p->rep = true;
	else if (is_segment_prefix(b)) {
		p->seg = b;
		p->nseg++;
	}
}

/*
 * Scan the prefixes. ARCH: any REX followed by a legacy prefix or another
 * REX is ignored (SDM 2.2.1). LINUX: one REX after the legacy prefixes;
 * the byte after it is the opcode whatever it is.
 */
static void
scan_prefixes(enum tdxsim_mmio_mode mode, const uint8_t *b, size_t avail,
	      struct prefixes *p)
{
	memset(p, 0, sizeof(*p));
	while (p->n < avail && p->n < TDXSIM_MMIO_MAX_INSN) {
		uint8_t c = b[p->n];

		if (is_legacy_prefix(c)) {
			if (mode == TDXSIM_MMIO_LINUX && p->rex)
				return;
			note_legacy(p, c);
			p->rex = 0;
		} else if ((c & 0xF0) == 0x40) {
			if (mode == TDXSIM_MMIO_LINUX && p->rex)
				return;
			p->rex = c;
		} else {
			return;
		}
		p->n++;
	}
}

/* VEX (C4, C5), EVEX (62) or XOP (8F with ModRM.reg != 0) at b[0]. */
static bool
is_vex_like(const uint8_t *b, size_t avail)
{
	if (b[0] == 0xC4 || b[0] == 0xC5 || b[0] == 0x62)
		return true;
	return b[0] == 0x8F && avail > 1 && ((b[1] >> 3) & 7) != 0;
}

/* Kind and access size for the opcode at op (spec 2.2 table). */
static enum tdxsim_mmio_kind
classify(const uint8_t *op, size_t avail, unsigned opnd, unsigned *size,
	 unsigned *oplen)
{
	*oplen = 1;
	switch (op[0]) {
	case 0x88: *size = 1; return TDXSIM_MMIO_WRITE;
	case 0x89: *size = opnd; return TDXSIM_MMIO_WRITE;
	case 0xC6: *size = 1; return TDXSIM_MMIO_WRITE_IMM;
	case 0xC7: *size = opnd; return TDXSIM_MMIO_WRITE_IMM;
	case 0x8A: *size = 1; return TDXSIM_MMIO_READ;
	case 0x8B: *size = opnd; return TDXSIM_MMIO_READ;
	case 0xA4: *size = 1; return TDXSIM_MMIO_MOVS;
	case 0xA5: *size = opnd; return TDXSIM_MMIO_MOVS;
	case 0x0F: break;
	default: return TDXSIM_MMIO_DECODE_FAILED;
	}
	if (avail < 2)
		return TDXSIM_MMIO_DECODE_FAILED;
	*oplen = 2;
	switch (op[1]) {
	case 0xB6: *size = 1; return TDXSIM_MMIO_READ_ZERO_EXTEND;
	case 0xB7: *size = 2; return TDXSIM_MMIO_READ_ZERO_EXTEND;
	case 0xBE: *size = 1; return TDXSIM_MMIO_READ_SIGN_EXTEND;
	case 0xBF: *size = 2; return TDXSIM_MMIO_READ_SIGN_EXTEND;
	default: return TDXSIM_MMIO_DECODE_FAILED;
	}
}

/* Little-endian signed field of n bytes (1, 2 or 4). */
static int64_t
read_signed(const uint8_t *b, unsigned n)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)b[i] << (8 * i);
	if (n == 1)
		return (int8_t)v;
	if (n == 2)
		return (int16_t)v;
	return (int32_t)v;
}

/* ModRM, SIB and displacement at b[*pos]; -EINVAL when truncated. */
static int
parse_modrm(const uint8_t *b, size_t avail, size_t *pos,
	    struct tdxsim_mmio_insn *in)
{
	unsigned mod, dispn = 0;

	if (*pos >= avail)
		return -EINVAL;
	in->modrm = b[(*pos)++];
	mod = in->modrm >> 6;
	if (mod != 3 && (in->modrm & 7) == 4) {
		if (*pos >= avail)
			return -EINVAL;
		in->has_sib = true;
		in->sib = b[(*pos)++];
	}
	if (mod == 1)
		dispn = 1;
	else if (mod == 2)
		dispn = 4;
	else if (mod == 0 && (in->modrm & 7) == 5)
		dispn = 4;
	else if (mod == 0 && in->has_sib && (in->sib & 7) == 5)
		dispn = 4;
	if (*pos + dispn > avail)
		return -EINVAL;
	in->disp = dispn ? read_signed(b + *pos, dispn) : 0;
	*pos += dispn;
	return 0;
}

/* The immediate of C6 (ib) and C7 (iw with 66, else id). */
static int
parse_imm(const uint8_t *b, size_t avail, size_t *pos,
	  struct tdxsim_mmio_insn *in, uint8_t opcode)
{
	unsigned n = 0;

	if (opcode == 0xC6)
		n = 1;
	else if (opcode == 0xC7)
		n = in->opnd_bytes == 2 ? 2 : 4;
	if (*pos + n > avail)
		return -EINVAL;
	in->imm = n ? read_signed(b + *pos, n) : 0;
	*pos += n;
	return 0;
}

/* The register operand (insn_get_modrm_reg_ptr(); spec 2.4). */
static void
set_register(enum tdxsim_mmio_mode mode, struct tdxsim_mmio_insn *in,
	     uint8_t opcode)
{
	int reg = (in->modrm >> 3) & 7;
	bool byte_op = opcode == 0x88 || opcode == 0x8A;

	in->reg = -1;
	if (in->kind == TDXSIM_MMIO_WRITE_IMM || in->kind == TDXSIM_MMIO_MOVS)
		return;
	if (in->rex & REX_R)
		reg += 8;
	if (mode == TDXSIM_MMIO_ARCH && byte_op && !in->rex && reg >= 4) {
		in->reg = reg - 4;	/* AH, CH, DH, BH */
		in->reg_high = true;
		return;
	}
	in->reg = reg;		/* LINUX: low byte of RSP..RDI (the bug) */
}

/* The ARCH-only rejections of spec 7. */
static const char *
arch_reject(const struct prefixes *p, const struct tdxsim_mmio_insn *in,
	    uint8_t opcode)
{
	bool has_modrm = in->kind != TDXSIM_MMIO_MOVS;

	if (p->lock)
		return "LOCK prefix on an MMIO instruction.";
	if (p->nseg > 1)
		return "More than one segment override.";
	if (has_modrm && (in->modrm >> 6) == 3)
		return "Register operand where memory is required (mod == 3).";
	if ((opcode == 0xC6 || opcode == 0xC7) && ((in->modrm >> 3) & 7) != 0)
		return "C6/C7 with ModRM.reg != 0 is not MOV.";
	return NULL;
}

/* Fields from the prefix scan. */
static void
apply_prefixes(const struct prefixes *p, struct tdxsim_mmio_insn *in)
{
	in->rex = p->rex;
	in->opnd_bytes = (p->rex & REX_W) ? 8 : p->opsize ? 2 : 4;
	in->addr32 = p->addrsize;
	in->rep = p->rep;
	in->seg = p->seg;
	in->nseg = p->nseg;
}

/* Opcode, ModRM, immediate and register: the raw decode. */
static int
raw_decode(enum tdxsim_mmio_mode mode, const uint8_t *b, size_t avail,
	   const struct prefixes *p, struct tdxsim_mmio_insn *in,
	   const char **why)
{
	size_t pos = p->n;
	unsigned oplen;
	uint8_t opcode;

	*why = "Instruction is not an MMIO instruction (insn_decode_mmio() failed).";
	if (pos >= avail)
		return -EINVAL;
	if (is_vex_like(b + pos, avail - pos)) {
		*why = "VEX/EVEX/XOP encoding is not an MMIO instruction.";
		return -EINVAL;
	}
	apply_prefixes(p, in);
	in->kind = classify(b + pos, avail - pos, in->opnd_bytes, &in->size, &oplen);
	if (in->kind == TDXSIM_MMIO_DECODE_FAILED)
		return -EINVAL;
	opcode = b[pos + oplen - 1];
	pos += oplen;
	*why = "Truncated instruction.";
	if (in->kind != TDXSIM_MMIO_MOVS && parse_modrm(b, avail, &pos, in) < 0)
		return -EINVAL;
	if (parse_imm(b, avail, &pos, in, oplen == 1 ? opcode : 0) < 0)
		return -EINVAL;
	if (pos > TDXSIM_MMIO_MAX_INSN) {
		*why = "Instruction longer than 15 bytes.";
		return -EINVAL;
	}
	in->len = (unsigned)pos;
	set_register(mode, in, oplen == 1 ? opcode : 0);
	if (mode == TDXSIM_MMIO_ARCH &&
	    (*why = arch_reject(p, in, oplen == 1 ? opcode : 0)) != NULL)
		return -EINVAL;
	return 0;
}

/*
 * Capstone must decode the same bytes to the same length. In LINUX mode
 * the LOCK bytes are left out first: the Linux decoder accepts LOCK on any
 * opcode, Capstone 4 refuses LOCK MOV (spec 2.3, 4.2).
 */
static int
capstone_check(csh cs, cs_insn *insn, enum tdxsim_mmio_mode mode,
	       const uint8_t *b, size_t nprefix, const struct tdxsim_mmio_insn *in)
{
	uint8_t buf[TDXSIM_MMIO_MAX_INSN];
	const uint8_t *p = buf;
	size_t n = 0, dropped = 0;
	uint64_t addr = 0;

	for (size_t i = 0; i < in->len; i++) {
		if (mode == TDXSIM_MMIO_LINUX && i < nprefix && b[i] == 0xF0) {
			dropped++;
			continue;
		}
		buf[n++] = b[i];
	}
	if (!cs_disasm_iter(cs, &p, &n, &addr, insn))
		return -EINVAL;
	return insn->size + dropped == in->len ? 0 : -EINVAL;
}

int
tdxsim_mmio_decode(csh cs, cs_insn *insn, enum tdxsim_mmio_mode mode,
		   const uint8_t *bytes, size_t avail,
		   struct tdxsim_mmio_insn *out, const char **why)
{
	struct prefixes p;

	memset(out, 0, sizeof(*out));
	if (avail > TDXSIM_MMIO_MAX_INSN)
		avail = TDXSIM_MMIO_MAX_INSN;
	scan_prefixes(mode, bytes, avail, &p);
	if (mode == TDXSIM_MMIO_LINUX && p.distinct > 4) {
		*why = "More than four distinct legacy prefixes (insn_get_prefixes()).";
		return -EINVAL;
	}
	if (raw_decode(mode, bytes, avail, &p, out, why) < 0)
		return -EINVAL;
	if (capstone_check(cs, insn, mode, bytes, p.n, out) < 0) {
		*why = "Capstone does not decode the instruction as classified.";
		return -EINVAL;
	}
	return 0;
}

/* GPR n's value, or 0 for -1 (no register). */
static uint64_t
gpr_or_zero(const struct tdxsim_vcpu_regs *regs, int n)
{
	return n < 0 ? 0 : regs->gpr[n];
}

/* base + index * scale + disp (insn-eval.c get_addr_ref_64/32, spec 2.7). */
static uint64_t
effective_address(const struct tdxsim_mmio_insn *in,
		  const struct tdxsim_vcpu_regs *regs)
{
	unsigned mod = in->modrm >> 6, rm = in->modrm & 7;
	int base, index = -1;
	unsigned scale = 0;

	if (mod == 3)
		return regs->gpr[rm | ((in->rex & REX_B) ? 8 : 0)];
	if (!in->has_sib && mod == 0 && rm == 5)	/* RIP-relative */
		return regs->rip + in->len + (uint64_t)in->disp;
	if (!in->has_sib)
		return regs->gpr[rm | ((in->rex & REX_B) ? 8 : 0)] + (uint64_t)in->disp;
	base = (in->sib & 7) | ((in->rex & REX_B) ? 8 : 0);
	if (mod == 0 && (in->sib & 7) == 5)
		base = -1;
	index = ((in->sib >> 3) & 7) | ((in->rex & REX_X) ? 8 : 0);
	if (index == 4)
		index = -1;
	scale = in->sib >> 6;
	return gpr_or_zero(regs, base) + (gpr_or_zero(regs, index) << scale) +
	       (uint64_t)in->disp;
}

int
tdxsim_mmio_linear_address(const struct tdxsim_mmio_insn *in,
			   const struct tdxsim_vcpu_regs *regs,
			   uint64_t *addr)
{
	uint64_t ea, seg_base = 0;

	/* get_seg_reg_override_idx(): several overrides are an error. */
	if (in->nseg > 1)
		return -EINVAL;
	/* resolve_seg_reg(): in 64-bit mode only FS and GS have a base. */
	if (in->seg == 0x64)
		seg_base = regs->fs_base;
	else if (in->seg == 0x65)
		seg_base = regs->gs_base;
	ea = effective_address(in, regs);
	if (in->addr32)
		ea &= 0xFFFFFFFFULL;
	*addr = ea + seg_base;
	return 0;
}
