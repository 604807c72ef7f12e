/* SPDX-License-Identifier: MIT */
/*
 * Private pieces of the #VE MMIO handler (Linux 6.12 arch/x86/lib/insn-eval.c):
 * the decoded form of one MMIO instruction, the raw decoder that classifies
 * it (Linux arch/x86/lib/insn-eval.c insn_decode_mmio() semantics, checked
 * against Capstone 4) and the effective-address computation
 * (insn_get_addr_ref()).
 */
#ifndef TDXSIM_GUEST_MMIO_PRIVATE_H
#define TDXSIM_GUEST_MMIO_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capstone/capstone.h>

#include <tdxsim/guest.h>

#define TDXSIM_MMIO_MAX_INSN 15

/* Values of enum insn_mmio_type (arch/x86/include/asm/insn-eval.h). */
enum tdxsim_mmio_kind {
	TDXSIM_MMIO_DECODE_FAILED = 0,
	TDXSIM_MMIO_WRITE,
	TDXSIM_MMIO_WRITE_IMM,
	TDXSIM_MMIO_READ,
	TDXSIM_MMIO_READ_ZERO_EXTEND,
	TDXSIM_MMIO_READ_SIGN_EXTEND,
	TDXSIM_MMIO_MOVS,
};

/* One classified MMIO instruction. */
struct tdxsim_mmio_insn {
	enum tdxsim_mmio_kind kind;
	unsigned len;		/* decoded length */
	unsigned size;		/* memory access bytes (insn_decode_mmio()) */
	unsigned opnd_bytes;	/* 2 (66), 4, 8 (REX.W wins) */
	int reg;		/* GPR of the register operand, -1 for none */
	bool reg_high;		/* byte 1 of reg (AH..BH, ARCH only) */
	int64_t imm;		/* immediate, sign-extended from its width */
	uint8_t rex;		/* the REX in effect, 0 for none */
	uint8_t modrm, sib;
	bool has_sib;
	int64_t disp;
	bool addr32;		/* 67 */
	bool rep;		/* F2 or F3 (raw bytes; Capstone drops F2 on A5) */
	uint8_t seg;		/* the segment override byte, 0 for none */
	unsigned nseg;		/* distinct segment overrides */
	bool string_modrm;	/* LINUX: a MOVS-classified opcode with a ModRM (EVEX map 4 A5) */
};

/*
 * Decode and classify the instruction in bytes[0..avail) for mode,
 * checking the encoding with Capstone (cs with detail on, insn from
 * cs_malloc). Returns 0 or -EINVAL with *why set.
 */
int tdxsim_mmio_decode(csh cs, cs_insn *insn, enum tdxsim_mmio_mode mode,
		       const uint8_t *bytes, size_t avail,
		       struct tdxsim_mmio_insn *out, const char **why);

/*
 * The linear address of in's memory operand (insn_get_addr_ref()).
 * Returns 0, or -EINVAL when the address cannot be formed (more than one
 * segment override).
 */
int tdxsim_mmio_linear_address(const struct tdxsim_mmio_insn *in,
			       const struct tdxsim_vcpu_regs *regs,
			       uint64_t *addr);

#endif /* TDXSIM_GUEST_MMIO_PRIVATE_H */
