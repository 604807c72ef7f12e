/* SPDX-License-Identifier: MIT */
/*
 * Decode and classify one #VE MMIO instruction (Linux 6.12
 * arch/x86/lib/insn-eval.c insn_decode_mmio(); SDM vol. 2 ch. 2).
 *
 * The classification follows Linux arch/x86/lib/insn-eval.c
 * insn_decode_mmio(): an allowlist of twelve opcodes, looked up in the raw
 * bytes. Prefixes come from our own scanner of the raw bytes, because
 * Capstone 4.0.2's prefix[] is normalised (it drops F2 of F2 A5, keeps the
 * last of several segment overrides, loses ignored prefixes). Capstone
 * decodes every accepted instruction too and must agree on its length,
 * except in LINUX mode where it cannot speak for the Linux decoder (see
 * capstone_check()); its operand access flags are never used (Capstone
 * 4.0.2 reports some AVX-512 stores as reads).
 *
 * Mode differences (docs/guest.md's divergence table):
 *  - LINUX: the kernel decoder's rules, checked against the kernel's own
 *    code by the kernel differential (tests/kernel/mmio-diff.py): one REX
 *    or REX2 right after the legacy prefixes, at most four distinct legacy
 *    prefixes, the last one held twice in its table, the forced-emulation
 *    prefixes skipped, VEX/EVEX opcodes classified as map 0 ones where the
 *    decoder's attributes let them through; no check of ModRM.mod, LOCK or
 *    the grp11 /r field; ModRM.reg 4..7 of a byte operation naming
 *    RSP..RDI (insn_get_modrm_reg_ptr());
 *  - ARCH: a REX not right before the opcode is ignored, and mod == 3,
 *    LOCK, C6/C7 /1..7, several segment overrides, REX2, the
 *    forced-emulation prefix and VEX, EVEX and XOP are rejected (as
 *    the kernel's allowlist means them to be).
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
	uint8_t last;		/* the last legacy prefix byte */
	bool rex2;		/* LINUX: a REX2 prefix (D5 payload) */
	uint8_t rex2_payload;
	size_t emulate;		/* LINUX: forced-emulation prefix bytes skipped */
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

/* The forced-emulation prefixes the Linux decoder skips at the start of
 * an instruction (insn_get_emulate_prefix()): ud2; .ascii "xen" / "kvm". */
static const uint8_t emulate_prefixes[2][5] = {
	{ 0x0F, 0x0B, 0x78, 0x65, 0x6E },
	{ 0x0F, 0x0B, 0x6B, 0x76, 0x6D },
};

/*
 * LINUX: the Linux decoder's four-slot legacy prefix table holds the last
 * prefix in slot 3 as well; with exactly three distinct prefixes that is a
 * second copy, and get_seg_reg_override_idx() counts a segment override
 * there twice (its loop stops at the first empty slot, so with one or two
 * distinct prefixes the copy is not reached).
 */
static void
linux_last_prefix(struct prefixes *p)
{
	if (p->distinct == 3 && is_segment_prefix(p->last))
		p->nseg++;
}

/*
 * Scan the prefixes. ARCH: any REX followed by a legacy prefix or another
 * REX is ignored (SDM 2.2.1). LINUX: a forced-emulation prefix first, then
 * one REX or REX2 after the legacy prefixes; the byte after it is the
 * opcode whatever it is.
 */
static void
scan_prefixes(enum tdxsim_mmio_mode mode, const uint8_t *b, size_t avail,
	      struct prefixes *p)
{
	memset(p, 0, sizeof(*p));
	for (unsigned i = 0; mode == TDXSIM_MMIO_LINUX && i < 2; i++)
		if (avail >= 5 && memcmp(b, emulate_prefixes[i], 5) == 0) {
			p->emulate = 5;
			p->n = 5;
			break;
		}
	while (p->n < avail && p->n < TDXSIM_MMIO_MAX_INSN) {
		uint8_t c = b[p->n];

		if (is_legacy_prefix(c)) {
			if (mode == TDXSIM_MMIO_LINUX && p->rex)
				break;
			note_legacy(p, c);
			p->last = c;
			p->rex = 0;
		} else if ((c & 0xF0) == 0x40) {
			if (mode == TDXSIM_MMIO_LINUX && p->rex)
				break;
			p->rex = c;
		} else if (mode == TDXSIM_MMIO_LINUX && c == 0xD5 && !p->rex &&
			   p->n + 1 < avail) {
			p->rex2 = true;
			p->rex2_payload = b[p->n + 1];
			p->n += 2;
			break;
		} else {
			break;
		}
		p->n++;
	}
	if (mode == TDXSIM_MMIO_LINUX)
		linux_last_prefix(p);
}

/* VEX (C4, C5), EVEX (62) or XOP (8F with ModRM.reg != 0) at b[0]. */
static bool
is_vex_like(const uint8_t *b, size_t avail)
{
	if (b[0] == 0xC4 || b[0] == 0xC5 || b[0] == 0x62)
		return true;
	return b[0] == 0x8F && avail > 1 && ((b[1] >> 3) & 7) != 0;
}

/* Kind and access size for the opcode at op (insn_decode_mmio()). */
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

/* The register operand (insn-eval.c insn_get_modrm_reg_ptr()). */
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

/* The ARCH-only rejections (docs/guest.md, divergences 7, 8, 11-13). */
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
	/*
	 * LINUX, REX2: the decoder keeps D5 and its payload as a two-byte
	 * prefix and takes REX.W from the payload, but insn-eval.c reads
	 * R, X and B from the low byte of the prefix field, which is D5
	 * itself (binary 1101 0101): R and B always set, X never.
	 */
	if (p->rex2)
		in->rex = 0x40 | REX_R | REX_B | (p->rex2_payload & REX_W);
	in->opnd_bytes = (in->rex & REX_W) ? 8 : p->opsize ? 2 : 4;
	in->addr32 = p->addrsize;
	in->rep = p->rep;
	in->seg = p->seg;
	in->nseg = p->nseg;
}

/*
 * LINUX, REX2 with M0 = 1: the opcode byte is from map 1 (0F xx), but
 * insn_decode_mmio() classifies insn->opcode.bytes[0] as a map 0 opcode,
 * so 0F 88..8B (Jcc rel32: no ModRM, imm32, 64-bit operand size), 0F C6
 * (SHUFPS: ModRM, imm8), 0F C7 (group 9: ModRM) and 0F A4/A5 (SHLD: ModRM,
 * A4 with imm8) pass as MOV and MOVS forms with the shapes of the map 1
 * instructions. Returns the kind, with the access size, whether a ModRM
 * follows and the immediate's width.
 */
static enum tdxsim_mmio_kind
classify_rex2_map1(uint8_t op, uint8_t last_prefix, struct tdxsim_mmio_insn *in,
		   bool *modrm, unsigned *immn)
{
	*modrm = true;
	*immn = 0;
	switch (op) {
	case 0x88: case 0x89: case 0x8A: case 0x8B:
		*modrm = false;
		*immn = 4;
		in->opnd_bytes = 8;	/* Jcc is force64 */
		in->size = (op & 1) ? 8 : 1;
		return op <= 0x89 ? TDXSIM_MMIO_WRITE : TDXSIM_MMIO_READ;
	case 0xC6:
		/* 0F C6 is SHUFPS, or SHUFPD with 66 last; with F2 or F3
		 * last there is no such instruction and the decoder gives
		 * it no ModRM and no immediate (immediate 0). */
		*modrm = last_prefix != 0xF2 && last_prefix != 0xF3;
		*immn = *modrm ? 1 : 0;
		in->size = 1;
		return TDXSIM_MMIO_WRITE_IMM;
	case 0xC7:
		in->size = in->opnd_bytes;
		return TDXSIM_MMIO_WRITE_IMM;
	case 0xA4:
		*immn = 1;
		in->size = 1;
		return TDXSIM_MMIO_MOVS;
	case 0xA5:
		in->size = in->opnd_bytes;
		return TDXSIM_MMIO_MOVS;
	default:
		return TDXSIM_MMIO_DECODE_FAILED;
	}
}

/*
 * LINUX, a VEX (C5, C4) or EVEX (62) prefix: the Linux decoder takes the
 * opcode from the map the prefix names and insn_decode_mmio() classifies
 * that byte as a map 0 opcode. Of the twelve, only these get past the
 * decoder's VEX attribute checks (x86-opcode-map, Linux 6.12):
 *   map 1, C6, pp none or 66: VSHUFPS/VSHUFPD, ModRM + imm8: MOV m8, imm8;
 *   map 2, 88-8B, pp 66, EVEX only: VEXPAND/VCOMPRESS, ModRM: MOV r/m forms;
 *   map 2, C6/C7, pp 66, ModRM.reg 1, 2, 5 or 6: the gather/scatter
 *     prefetch groups (the group's VEX check does not ask for EVEX): MOV
 *     imm with immediate 0;
 *   map 4 (EVEX), 88 and A5, pp none or 66: APX POPCNT and SHLD, ModRM:
 *     MOV m8, r8 and MOVS, with the scalable-operand rule.
 * Register numbers ignore VEX.R/X/B (insn-eval.c reads the REX field). The
 * operand size: a REX.W or VEX3 W sets 8; the EVEX one is read from its
 * fourth byte; a scalable opcode with EVEX.W (third byte) clear and pp 66
 * makes it 2. Returns the kind (DECODE_FAILED for everything else) and
 * sets *vlen (prefix bytes), *immn and *reg_ok (the group's ModRM.reg
 * condition, checked once ModRM is read).
 */
static enum tdxsim_mmio_kind
classify_vex(const uint8_t *b, size_t avail, struct tdxsim_mmio_insn *in,
	     unsigned *vlen, unsigned *immn, unsigned *reg_mask)
{
	bool evex = b[0] == 0x62;
	unsigned m, pp;
	uint8_t op;

	*vlen = b[0] == 0xC5 ? 2 : b[0] == 0xC4 ? 3 : 4;
	*immn = 0;
	*reg_mask = 0xFF;
	if (avail <= *vlen)
		return TDXSIM_MMIO_DECODE_FAILED;
	if (b[0] == 0xC5) {
		m = 1;
		pp = b[1] & 3;
	} else {
		m = b[1] & (evex ? 0x07 : 0x1F);
		pp = b[2] & 3;
		if (b[evex ? 3 : 2] & 0x80)
			in->opnd_bytes = 8;
	}
	op = b[*vlen];
	if (m == 1 && op == 0xC6 && pp <= 1) {
		*immn = 1;
		in->size = 1;
		return TDXSIM_MMIO_WRITE_IMM;
	}
	if (m == 2 && pp == 1 && evex && op >= 0x88 && op <= 0x8B) {
		in->size = (op & 1) ? in->opnd_bytes : 1;
		return op <= 0x89 ? TDXSIM_MMIO_WRITE : TDXSIM_MMIO_READ;
	}
	if (m == 2 && pp == 1 && (op == 0xC6 || op == 0xC7)) {
		*reg_mask = 1u << 1 | 1u << 2 | 1u << 5 | 1u << 6;
		in->size = op == 0xC6 ? 1 : in->opnd_bytes;
		return TDXSIM_MMIO_WRITE_IMM;
	}
	if (m == 4 && evex && pp <= 1 && (op == 0x88 || op == 0xA5)) {
		if (!(b[2] & 0x80) && pp == 1)
			in->opnd_bytes = 2;
		in->size = op == 0x88 ? 1 : in->opnd_bytes;
		return op == 0x88 ? TDXSIM_MMIO_WRITE : TDXSIM_MMIO_MOVS;
	}
	return TDXSIM_MMIO_DECODE_FAILED;
}

/* The immediate's width: C6 ib, C7 iw with 66 else id. */
static unsigned
imm_width(const struct tdxsim_mmio_insn *in, uint8_t opcode, unsigned oplen)
{
	if (oplen != 1)
		return 0;
	if (opcode == 0xC6)
		return 1;
	if (opcode == 0xC7)
		return in->opnd_bytes == 2 ? 2 : 4;
	return 0;
}

/* Opcode, ModRM, immediate and register: the raw decode. */
static int
raw_decode(enum tdxsim_mmio_mode mode, const uint8_t *b, size_t avail,
	   const struct prefixes *p, struct tdxsim_mmio_insn *in,
	   const char **why)
{
	size_t pos = p->n;
	unsigned oplen = 1, immn;
	bool has_modrm;
	uint8_t opcode;

	*why = "Instruction is not an MMIO instruction (insn_decode_mmio() failed).";
	if (pos >= avail)
		return -EINVAL;
	bool vex = mode == TDXSIM_MMIO_LINUX && !p->rex2 &&
		   (b[pos] == 0xC4 || b[pos] == 0xC5 || b[pos] == 0x62);
	unsigned reg_mask = 0xFF, vlen = 0;

	if (!vex && !p->rex2 && is_vex_like(b + pos, avail - pos)) {
		*why = "VEX/EVEX/XOP encoding is not an MMIO instruction.";
		return -EINVAL;
	}
	apply_prefixes(p, in);
	if (vex) {
		in->kind = classify_vex(b + pos, avail - pos, in, &vlen, &immn, &reg_mask);
		has_modrm = true;
		in->string_modrm = in->kind == TDXSIM_MMIO_MOVS;
		pos += vlen;
	} else if (p->rex2 && (p->rex2_payload & 0x80)) {
		in->kind = classify_rex2_map1(b[pos], p->last, in, &has_modrm, &immn);
	} else if (p->rex2 && b[pos] == 0x0F) {
		/* map 0 with REX2: no escape, opcode.bytes[1] stays 0 */
		in->kind = TDXSIM_MMIO_DECODE_FAILED;
	} else {
		in->kind = classify(b + pos, avail - pos, in->opnd_bytes, &in->size, &oplen);
		has_modrm = in->kind != TDXSIM_MMIO_MOVS;
		immn = in->kind == TDXSIM_MMIO_DECODE_FAILED ? 0
			: imm_width(in, b[pos + oplen - 1], oplen);
	}
	if (in->kind == TDXSIM_MMIO_DECODE_FAILED)
		return -EINVAL;
	opcode = b[pos + oplen - 1];
	pos += oplen;
	*why = "Truncated instruction.";
	if (has_modrm && parse_modrm(b, avail, &pos, in) < 0)
		return -EINVAL;
	if (!(reg_mask & (1u << ((in->modrm >> 3) & 7)))) {
		*why = "Instruction is not an MMIO instruction (insn_decode_mmio() failed).";
		return -EINVAL;
	}
	if (pos + immn > avail)
		return -EINVAL;
	in->imm = immn ? read_signed(b + pos, immn) : 0;
	pos += immn;
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
 * the LOCK bytes are left out first (the Linux decoder accepts LOCK on any
 * opcode, Capstone 4 refuses LOCK MOV), a forced-emulation
 * prefix is not part of the instruction, and there is nothing to check
 * where the Linux decoder is the only authority: REX2 (Capstone 4 predates
 * it) and C6/C7 with ModRM.reg != 0 (not MOV; Linux takes the group's
 * ModRM and immediate shape).
 */
static int
capstone_check(csh cs, cs_insn *insn, enum tdxsim_mmio_mode mode,
	       const uint8_t *b, const struct prefixes *pf,
	       const struct tdxsim_mmio_insn *in)
{
	uint8_t buf[TDXSIM_MMIO_MAX_INSN];
	const uint8_t *p = buf;
	size_t n = 0, dropped = pf->emulate;
	uint64_t addr = 0;
	uint8_t op = in->len > pf->n ? b[pf->n] : 0;

	if (mode == TDXSIM_MMIO_LINUX &&
	    (pf->rex2 || op == 0xC4 || op == 0xC5 || op == 0x62 ||
	     ((op == 0xC6 || op == 0xC7) && ((in->modrm >> 3) & 7) != 0)))
		return 0;
	for (size_t i = pf->emulate; i < in->len; i++) {
		if (mode == TDXSIM_MMIO_LINUX && i < pf->n && b[i] == 0xF0) {
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
	if (capstone_check(cs, insn, mode, bytes, &p, out) < 0) {
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

/* base + index * scale + disp (insn-eval.c get_addr_ref_64/32). */
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

/*
 * The register insn-eval.c takes the segment decision from: the ModRM.rm
 * register, or the SIB base; -1 for none (RIP-relative, no base).
 */
static int
address_register(const struct tdxsim_mmio_insn *in)
{
	unsigned mod = in->modrm >> 6, rm = in->modrm & 7;
	int b = (in->rex & REX_B) ? 8 : 0;

	if (mod == 3)
		return (int)rm | b;
	if (in->has_sib)
		return mod == 0 && (in->sib & 7) == 5 ? -1 : (int)(in->sib & 7) | b;
	return mod == 0 && rm == 5 ? -1 : (int)rm | b;
}

int
tdxsim_mmio_linear_address(const struct tdxsim_mmio_insn *in,
			   const struct tdxsim_vcpu_regs *regs,
			   uint64_t *addr)
{
	uint64_t ea, seg_base = 0;

	/*
	 * check_seg_overrides(): a string instruction (by its opcode byte)
	 * addressing through RDI uses ES and reads no override. Only an
	 * EVEX map 4 A5 has both a MOVS opcode byte and a ModRM (LINUX).
	 */
	if (in->string_modrm && address_register(in) == TDXSIM_RDI) {
		ea = effective_address(in, regs);
		*addr = in->addr32 ? ea & 0xFFFFFFFFULL : ea;
		return 0;
	}
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
