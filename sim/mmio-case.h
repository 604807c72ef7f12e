/* SPDX-License-Identifier: MIT */
/*
 * The cases of tdxsim mmio: one access for the guest's #VE MMIO handler,
 * its defaults, the batch file that lists several (docs/cli.md), and the
 * run of one case against a device behind a minimal VMM. Shared by
 * cmd-mmio.c (so by tdxsim-kernel mmio too) and the batch file's fuzz
 * harness (tools/fuzz/fuzz-mmio-batch.c).
 */
#ifndef TDXSIM_CLI_MMIO_CASE_H
#define TDXSIM_CLI_MMIO_CASE_H

#include <stddef.h>
#include <stdint.h>

#include <tdxsim/tdxsim.h>

#include "cmd-mmio.h"

/* Architectural instruction length limit. */
#define INSN_MAX 15
/* An ioremap()ed kernel virtual address (the vmalloc area). */
#define DEFAULT_GVA 0xffffc90000000000ULL
/* The GPA width by default: 52 bits, shared bit 51 (GPAW 1); with
 * --gpaw 48 the shared bit is 47 (TDX module ABI, TD_PARAMS.CONFIG_FLAGS
 * GPAW). A GPA without the shared bit is private. */
#define DEFAULT_GPAW 52
/* The TPM's MMIO window: the classic first MMIO of a TD, shared. */
#define TPM_GPA 0xfed40000ULL
/* Kernel text: where a driver's readl()/writel() runs. */
#define DEFAULT_RIP 0xffffffff81000000ULL
/* RFLAGS bit 1 is reserved and always set. */
#define DEFAULT_RFLAGS 0x2ULL
#define EXIT_REASON_EPT_VIOLATION 48
/* TDVMCALL_STATUS_INVALID_OPERAND, as KVM returns it for a bad request. */
#define TDVMCALL_INVALID_OPERAND 0x8000000000000000ULL
#define MMIO_BATCH_MAX_SIZE (16u << 20)

/* --reg names and batch 'regs' keys: the 16 GPRs in encoding order (the
 * index is enum tdxsim_gpr), then RIP, RFLAGS and the FS and GS bases
 * (the linear base of FS: and GS: overrides in 64-bit mode). */
#define REG_RIP 16
#define REG_RFLAGS 17
#define REG_FS_BASE 18
#define REG_GS_BASE 19
#define REG_COUNT 20

extern const char *const mmio_reg_names[REG_COUNT];

/* One access to emulate. */
struct mmio_case {
	uint8_t bytes[INSN_MAX];
	size_t len;
	enum tdxsim_mmio_mode mode;
	struct tdxsim_vcpu_regs regs;
	uint64_t gva;
	uint64_t gpa;
	int gpa_set;		/* else the TPM window with the shared bit */
	unsigned gpaw;		/* 48 or 52 */
	uint64_t read_value;
	int user;
	unsigned line;		/* a batch case's line in its file; 0 for --bytes */
};

/* The cases of a batch file. */
struct mmio_batch {
	struct mmio_case *cases;
	size_t count;
	size_t capacity;
};

/* A case with every default: arch mode, kernel RIP, the TPM's window. */
void mmio_case_defaults(struct mmio_case *c);

/* Set register index (mmio_reg_names) of regs. */
void mmio_set_reg(struct tdxsim_vcpu_regs *regs, int index, uint64_t value);

/* The register called name[0..len), or -1. */
int mmio_reg_index(const char *name, size_t len);

/* Instruction bytes as hex pairs into c; NULL, or why the text is refused. */
const char *mmio_parse_bytes(const char *s, size_t len, struct mmio_case *c);

/* "arch" or "linux"; 0 or -EINVAL. */
int mmio_parse_mode(const char *s, size_t len, enum tdxsim_mmio_mode *mode);

/* A GPA width, 48 or 52, into *gpaw; -EINVAL for anything else. */
int mmio_parse_gpaw(const char *s, size_t len, unsigned *gpaw);

/*
 * Read a batch file's text into b (zeroed by the caller, emptied with
 * mmio_batch_fini() whatever the result). Every problem goes to diag as
 * "name:line:col: message".
 * Returns 0, -EINVAL (refused: b holds no case) or -ENOMEM.
 */
int mmio_batch_load(const char *name, const char *text, size_t len,
		    struct mmio_batch *b, struct tdxsim_diag *diag);

void mmio_batch_fini(struct mmio_batch *b);

/*
 * tdxsim's own handler as a cli_mmio_handle_fn: a fresh one for every
 * case, quiet (the caller says why a call failed).
 */
int mmio_library_handle(const struct tdxsim_mmio_config *config,
			struct tdxsim_vcpu_regs *regs, const struct tdxsim_veinfo *ve,
			const uint8_t *insn, size_t insn_len, int user,
			tdxsim_tdvmcall_fn vmm, void *vmm_ctx,
			struct tdxsim_mmio_result *out);

/*
 * Emulate one case with handle (tdxsim's handler or the kernel's), the
 * device behind the minimal VMM answering reads with c->read_value. regs
 * receives the registers afterwards, result the handler's result.
 * Returns handle's result: 0 or a negative errno.
 */
int mmio_case_run(const struct mmio_case *c, cli_mmio_handle_fn handle,
		  struct tdxsim_vcpu_regs *regs, struct tdxsim_mmio_result *result);

#endif /* TDXSIM_CLI_MMIO_CASE_H */
