/* SPDX-License-Identifier: MIT */
/**
 * @file tdxsim/guest.h
 * A TDX guest's #VE MMIO path: the handler that decodes the faulting
 * instruction (Capstone) and turns it into a TDVMCALL, and the machine
 * around it (vCPU, guest page table, memory bus, an untrusted VMM).
 *
 * Two modes (Linux arch/x86/coco/tdx/tdx.c handle_mmio() and
 * arch/x86/lib/insn-eval.c insn_decode_mmio() against the SDM):
 * - TDXSIM_MMIO_LINUX: bit-compatible with upstream handle_mmio(), its
 *   quirks included (AH..BH as the low byte of RSP..RDI, MOVZX/MOVSX into
 *   32-bit registers keep bits 63:32, R15 poison on writes, ...);
 * - TDXSIM_MMIO_ARCH: architecturally exact and hardened.
 *
 * API contract (docs/architecture.md): a NULL where an object or an output
 * is required gives -EINVAL (getters and predicates: NULL or 0;
 * status-word functions: an error status), never a crash; a buffer may be NULL when its length is 0;
 * a parameter documented "may be NULL" (or "NULL does nothing") is optional.
 * tests/test-api-null.c calls every exported function to hold this.
 */
#ifndef TDXSIM_GUEST_H
#define TDXSIM_GUEST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** General-purpose registers in x86 encoding order. */
enum tdxsim_gpr {
	TDXSIM_RAX = 0, TDXSIM_RCX, TDXSIM_RDX, TDXSIM_RBX,
	TDXSIM_RSP, TDXSIM_RBP, TDXSIM_RSI, TDXSIM_RDI,
	TDXSIM_R8, TDXSIM_R9, TDXSIM_R10, TDXSIM_R11,
	TDXSIM_R12, TDXSIM_R13, TDXSIM_R14, TDXSIM_R15,
};

/** A vCPU's architectural state that the MMIO path reads or writes. */
struct tdxsim_vcpu_regs {
	uint64_t gpr[16];	/**< by enum tdxsim_gpr */
	uint64_t rip;
	uint64_t rflags;
	uint64_t fs_base;
	uint64_t gs_base;
};

/** VE_INFO as TDG.VP.VEINFO.GET returns it (TDX module 1.5 tdg_vp_veinfo_get()). */
struct tdxsim_veinfo {
	uint32_t exit_reason;	/**< 48: EPT violation */
	uint64_t exit_qual;
	uint64_t gla;		/**< guest linear address */
	uint64_t gpa;		/**< guest physical address, shared bit included */
	uint32_t instr_len;
	uint32_t instr_info;
};

/** TDG.VP.VMCALL registers as the guest passes them and gets them back. */
struct tdxsim_tdvmcall {
	uint64_t r10, r11, r12, r13, r14, r15;
};

/**
 * The VMM side of TDG.VP.VMCALL: handle one call (in/out registers).
 * Returns the TDCALL status (RAX): 0 when the TDCALL itself worked.
 */
typedef uint64_t (*tdxsim_tdvmcall_fn)(void *ctx, struct tdxsim_tdvmcall *call);

/** Handler behaviour. */
enum tdxsim_mmio_mode {
	TDXSIM_MMIO_ARCH = 0,
	TDXSIM_MMIO_LINUX = 1,
};

/**
 * Initializer of a growable config (struct tdxsim_mmio_config,
 * tdxsim_td_config, tdxsim_vmm_config): its size member set to the
 * struct's size as the caller's headers define it, every other member 0,
 * which is its default. For example:
 *
 *     struct tdxsim_td_config c = TDXSIM_CONFIG_INIT(tdxsim_td_config);
 *     c.gpaw = 48;
 *
 * A config starts with `size_t size`, so that a later version of the
 * library can add members at the end without breaking the ABI: the
 * library reads only the caller's size bytes and gives the members past
 * them their default (0), which a caller built before they existed
 * never set. A size below the first version's (TDXSIM_*_CONFIG_SIZE_V1)
 * is -EINVAL (size forgotten: a config zeroed by hand); a size above the
 * library's is accepted when the bytes the library does not know are
 * zero, else -E2BIG (the caller asks for something this library cannot
 * do): the rule of Linux's copy_struct_from_user() (openat2(2), clone3(2)).
 * Zero a config wholly (this macro, or memset) before setting members,
 * so that padding is zero too.
 *
 * @param tag the struct's tag, without `struct`.
 */
#define TDXSIM_CONFIG_INIT(tag) { .size = sizeof(struct tag) }

/**
 * The GPA width a config's gpaw takes by default (when 0): 52 bits, the
 * shared bit 51. 48 bits puts the shared bit at 47. These are the two
 * widths TD_PARAMS.CONFIG_FLAGS.GPAW selects (intel/tdx-module
 * get_gpa_shared_bit()). A width, not the flag, because that is what the
 * guest sees: TDG.VP.INFO returns the GPA width in RCX bits 5:0 and
 * Linux 6.12 tdx_setup() (arch/x86/coco/tdx/tdx.c) makes the
 * shared bit the width minus one.
 */
#define TDXSIM_GPAW_DEFAULT 52

/** How the handler is set up; start from TDXSIM_CONFIG_INIT(tdxsim_mmio_config). */
struct tdxsim_mmio_config {
	/** sizeof(struct tdxsim_mmio_config) as the caller was built with
	 *  (TDXSIM_CONFIG_INIT sets it); at least TDXSIM_MMIO_CONFIG_SIZE_V1. */
	size_t size;
	enum tdxsim_mmio_mode mode;	/**< default (0) TDXSIM_MMIO_ARCH */
	/** GPA width in bits: 48 (shared bit 47) or 52 (shared bit 51);
	 *  0 for TDXSIM_GPAW_DEFAULT. */
	unsigned gpaw;
	/** The proposed user-MMIO series (Gladkov, corrected loop), MOVS too. */
	int user_mmio;
};

/** The size of the first version of struct tdxsim_mmio_config (up to user_mmio). */
#define TDXSIM_MMIO_CONFIG_SIZE_V1 \
	(offsetof(struct tdxsim_mmio_config, user_mmio) + sizeof(int))

/** Exception vectors the ARCH handler reports (SDM vol. 3A, table 6-1). */
#define TDXSIM_VECTOR_DB 1	/**< #DB, debug exception */
#define TDXSIM_VECTOR_GP 13	/**< #GP, general protection */
/** DR6.BS (bit 14): the #DB was a single-step trap (SDM vol. 3B, 18.2.3). */
#define TDXSIM_DR6_BS (1ULL << 14)

/** What one #VE MMIO emulation did. */
struct tdxsim_mmio_result {
	/** 0 on success, else the negative errno handle_mmio() returns
	 *  (-EINVAL, -EFAULT, -EIO, -EAGAIN). */
	int status;
	/** Nonzero when the guest would panic (private GPA, TDCALL failure); fatal holds why. */
	int fatal;
	const char *reason;	/**< why it failed or is fatal, for humans; static string */
	unsigned insn_len;	/**< decoded length (0 when not decoded) */
	int tdvmcall_made;	/**< a TDVMCALL was issued */
	struct tdxsim_tdvmcall request;	/**< what the guest passed */
	struct tdxsim_tdvmcall reply;	/**< what came back */
	unsigned bus_accesses;	/**< TDVMCALLs made (MOVS may make several) */
	int from_cache;		/**< the decode came from the cache */
	/**
	 * ARCH only (LINUX leaves it 0, as the kernel raises nothing): the
	 * exception the CPU delivers for this instruction, by vector.
	 * TDXSIM_VECTOR_GP: #GP(0) instead of the access, because a byte of it
	 * has a non-canonical linear address (48-bit: bits 63:47 not all
	 * equal; SDM vol. 1, 3.3.7.1): status -EFAULT, no TDVMCALL, registers
	 * unchanged (for REP MOVS: the elements before it stay done).
	 * TDXSIM_VECTOR_DB: the single-step trap after the emulated
	 * instruction (RFLAGS.TF was 1; SDM vol. 3B, 18.3.1.4): status 0, the
	 * registers are those after the instruction (a REP MOVS with TF does
	 * one element per trap, RIP moving on only after the last), dr6 says
	 * why. 0: none.
	 */
	unsigned exception;
	/** With TDXSIM_VECTOR_DB: the DR6 bits the trap sets (TDXSIM_DR6_BS). */
	uint64_t dr6;
	/**
	 * ARCH only: the #VE does not fit the instruction: the page of the
	 * effective address is not the page of VE_INFO's GLA. Refused with
	 * -EINVAL before any TDVMCALL (a CPU reports the address it faulted
	 * on; the bytes at RIP or the registers changed, or the caller's
	 * #VE is made up).
	 */
	int inconsistent;
};

/** A #VE MMIO handler (one Capstone handle, a decode cache). Opaque. */
struct tdxsim_mmio_handler;

/**
 * Create a handler.
 *
 * @param config the mode and options (TDXSIM_CONFIG_INIT).
 * @param out receives the handler.
 * @return 0, -EINVAL for a bad config (size below
 *         TDXSIM_MMIO_CONFIG_SIZE_V1, unknown mode, gpaw not 0, 48 or 52),
 *         -E2BIG (nonzero members this library does not know), -ENOMEM,
 *         -EIO when Capstone cannot be opened.
 */
int tdxsim_mmio_handler_new(const struct tdxsim_mmio_config *config,
			    struct tdxsim_mmio_handler **out);

/**
 * Free a handler.
 *
 * @param handler the handler; NULL does nothing.
 */
void tdxsim_mmio_handler_free(struct tdxsim_mmio_handler *handler);

/**
 * Handle one EPT-violation #VE as the guest's #VE handler does: check the
 * #VE, decode the instruction at regs->rip (its bytes given), classify it,
 * compute size, register operand and effective address, issue the
 * TDVMCALL through vmm, write the result back, and advance RIP by the
 * decoded length only on success. Registers are changed only on success.
 *
 * @param handler the handler.
 * @param regs the vCPU registers, updated in place.
 * @param ve the #VE information.
 * @param insn the instruction bytes at RIP.
 * @param insn_len how many bytes are readable there (up to 15).
 * @param user nonzero for a fault in user mode.
 * @param vmm the VMM's TDVMCALL handler.
 * @param vmm_ctx passed to vmm.
 * @param out what happened.
 * @return 0 (the outcome is in out), -EINVAL for misuse.
 */
int tdxsim_mmio_handle(struct tdxsim_mmio_handler *handler,
		       struct tdxsim_vcpu_regs *regs,
		       const struct tdxsim_veinfo *ve, const uint8_t *insn,
		       size_t insn_len, int user, tdxsim_tdvmcall_fn vmm,
		       void *vmm_ctx, struct tdxsim_mmio_result *out);

#ifdef __cplusplus
}
#endif

#endif /* TDXSIM_GUEST_H */
