/* SPDX-License-Identifier: MIT */
/**
 * @file tdxsim/machine.h
 * A TD guest machine and the untrusted VMM behind it.
 *
 * - The VMM (struct tdxsim_vmm) answers TDG.VP.VMCALL as KVM does (GHCI
 *   sub-functions; KVM arch/x86/kvm/vmx/tdx.c tdx_emulate_mmio()): MMIO routed to
 *   device models on a bus, RDMSR/WRMSR served by an MTRR bank of profile
 *   TDXSIM_MTRR_TDX, CPUID, HLT and port I/O. A script makes it misbehave.
 * - The TD (struct tdxsim_td) is one vCPU (registers, CR0, IA32_PAT), a
 *   guest page table of VA ranges, and a memory bus of private and shared
 *   GPA ranges. An access to a shared GPA without RAM raises the
 *   EPT-violation #VE (SDM vol. 3C, "Virtualization Exceptions"); the
 *   guest's #VE handler reads VE_INFO with TDG.VP.VEINFO.GET
 *   (intel/tdx-module tdg_vp_veinfo_get()) and runs
 *   tdxsim_mmio_handle() (tdxsim/guest.h) against the VMM.
 *
 * API contract (docs/architecture.md): a NULL where an object or an output
 * is required gives -EINVAL (getters and predicates: NULL or 0;
 * status-word functions: an error status), never a crash; a buffer may be NULL when its length is 0;
 * a parameter documented "may be NULL" (or "NULL does nothing") is optional.
 * tests/test-api-null.c calls every exported function to hold this.
 */
#ifndef TDXSIM_MACHINE_H
#define TDXSIM_MACHINE_H

#include <stddef.h>
#include <stdint.h>

#include <tdxsim/guest.h>
#include <tdxsim/memtype.h>

#ifdef __cplusplus
extern "C" {
#endif

/** TDG.VP.VMCALL status in R10 (Linux arch/x86/include/asm/shared/tdx.h). */
#define TDXSIM_TDVMCALL_SUCCESS			0x0000000000000000ULL
#define TDXSIM_TDVMCALL_RETRY			0x0000000000000001ULL
#define TDXSIM_TDVMCALL_INVALID_OPERAND		0x8000000000000000ULL
#define TDXSIM_TDVMCALL_GPA_INUSE		0x8000000000000001ULL
#define TDXSIM_TDVMCALL_ALIGN_ERROR		0x8000000000000002ULL
#define TDXSIM_TDVMCALL_SUBFUNC_UNSUPPORTED	0x8000000000000003ULL

/** GHCI sub-functions in R11 equal to VMX exit reasons (the GHCI;
 * Linux hcall_func()). */
#define TDXSIM_EXIT_CPUID		10
#define TDXSIM_EXIT_HLT			12
#define TDXSIM_EXIT_CR_ACCESS		28
#define TDXSIM_EXIT_IO			30
#define TDXSIM_EXIT_RDMSR		31
#define TDXSIM_EXIT_WRMSR		32
#define TDXSIM_EXIT_EPT_VIOLATION	48

/** TDG.VP.VEINFO.GET with VALID == 0 (the module's tdg_vp_veinfo_get()). */
#define TDXSIM_TDX_NO_VALID_VE_INFO	0xC000070400000000ULL

/* ---- vCPU sub-registers ---- */

/** One architectural register name: RAX, EAX, AX, AL, AH, R8D, ... */
struct tdxsim_reg_ref {
	enum tdxsim_gpr gpr;
	unsigned size;	/**< 1, 2, 4 or 8 bytes */
	int high8;	/**< AH, CH, DH, BH: byte 1 of RAX..RBX (size 1) */
};

/**
 * Parse a register name (case-insensitive): rax..r15, eax..r15d,
 * ax..r15w, al..r15b (also spl, bpl, sil, dil, r8l), ah, ch, dh, bh.
 *
 * @param name the name.
 * @param out receives the register.
 * @return 0, or -EINVAL for an unknown name.
 */
int tdxsim_reg_ref_parse(const char *name, struct tdxsim_reg_ref *out);

/**
 * Read a sub-register.
 *
 * @param regs the registers.
 * @param ref the register (AH..BH need gpr RAX..RBX).
 * @return its value, zero-extended; 0 for an invalid ref.
 */
uint64_t tdxsim_vcpu_reg_get(const struct tdxsim_vcpu_regs *regs,
			     struct tdxsim_reg_ref ref);

/**
 * Write a sub-register with the x86-64 rules (SDM vol. 1, 3.4.1.1): an
 * 8- or 16-bit write keeps the other bits, a 32-bit write zero-extends
 * into bits 63:32, a 64-bit write replaces.
 *
 * @param regs the registers.
 * @param ref the register.
 * @param value the value (bits above ref.size are ignored).
 * @return 0, or -EINVAL for an invalid ref.
 */
int tdxsim_vcpu_reg_set(struct tdxsim_vcpu_regs *regs,
			struct tdxsim_reg_ref ref, uint64_t value);

/* ---- the untrusted VMM ---- */

/**
 * A device model: one call per architectural access, of its true width,
 * never split.
 *
 * @param ctx the device's context.
 * @param offset the offset of the access in the device's range.
 * @param size 1, 2, 4 or 8.
 * @param write nonzero for a write.
 * @param value in: the value to write; out: the value read.
 * @return 0, or nonzero to make the TDVMCALL fail with INVALID_OPERAND.
 */
typedef int (*tdxsim_device_access_fn)(void *ctx, uint64_t offset,
				       unsigned size, int write,
				       uint64_t *value);

/** What a device is; the VMM keeps the pointers, not a copy of name. */
struct tdxsim_device_ops {
	const char *name;		/**< static string, for humans */
	tdxsim_device_access_fn access;
	void (*release)(void *ctx);	/**< frees ctx with the VMM; may be NULL */
};

/** How the VMM is set up; start from TDXSIM_CONFIG_INIT(tdxsim_vmm_config)
 *  (tdxsim/guest.h says how the size member lets it grow). */
struct tdxsim_vmm_config {
	/** sizeof(struct tdxsim_vmm_config) as the caller was built with;
	 *  at least TDXSIM_VMM_CONFIG_SIZE_V1. */
	size_t size;
	/** GPA width in bits: 48 (shared bit 47) or 52 (shared bit 51), as
	 *  the module's get_gpa_shared_bit(); 0 for TDXSIM_GPAW_DEFAULT. */
	unsigned gpaw;
};

/** The size of the first version of struct tdxsim_vmm_config (up to gpaw). */
#define TDXSIM_VMM_CONFIG_SIZE_V1 \
	(offsetof(struct tdxsim_vmm_config, gpaw) + sizeof(unsigned))

/** What a scripted misbehaviour does to the next matching calls. */
enum tdxsim_vmm_fault {
	TDXSIM_VMM_FAULT_STATUS = 1,	/**< R10 = value (e.g. RETRY); no access */
	TDXSIM_VMM_FAULT_GARBAGE = 2,	/**< reads: R11 bits above size = value */
	TDXSIM_VMM_FAULT_TDCALL = 3,	/**< the TDCALL fails: returns value (nonzero) */
	TDXSIM_VMM_FAULT_DRIFT = 4,	/**< reads: R11 += n-th drift (replies change between reads) */
};

/** One scripted misbehaviour. */
struct tdxsim_vmm_script {
	enum tdxsim_vmm_fault fault;
	uint64_t value;		/**< status, garbage pattern or TDCALL status */
	uint64_t subfunction;	/**< R11 it applies to; 0 = every call */
	unsigned count;		/**< how many calls; 0 = always */
};

/** Counters of the VMM. */
struct tdxsim_vmm_stats {
	uint64_t calls;		/**< TDG.VP.VMCALLs seen */
	uint64_t rejected;	/**< answered with a nonzero R10 */
	uint64_t mmio;		/**< MMIO accesses that reached the bus */
	uint64_t unclaimed;	/**< MMIO accesses no device claimed */
	uint64_t hlt;
	uint64_t io;
	uint64_t msr;
	uint64_t cpuid;
	uint64_t scripted;	/**< calls a script changed */
};

/** The untrusted VMM. Opaque. */
struct tdxsim_vmm;

/**
 * Create a VMM with an empty bus and an MTRR bank of profile
 * TDXSIM_MTRR_TDX (KVM >= 6.16 emulation, memtype.h).
 *
 * @param config the config; NULL for the defaults (GPA width 52).
 * @param out receives the VMM.
 * @return 0, -EINVAL (size below TDXSIM_VMM_CONFIG_SIZE_V1, gpaw not 0,
 *         48 or 52, out NULL), -E2BIG (nonzero members this library does
 *         not know), -ENOMEM.
 */
int tdxsim_vmm_new(const struct tdxsim_vmm_config *config,
		   struct tdxsim_vmm **out);

/**
 * Free a VMM and release every device's context.
 *
 * @param vmm the VMM; NULL does nothing.
 */
void tdxsim_vmm_free(struct tdxsim_vmm *vmm);

/**
 * Handle one TDG.VP.VMCALL as KVM does (a tdxsim_tdvmcall_fn). R10 = 0
 * selects the GHCI sub-function in R11: MMIO (48) with KVM's checks (size
 * 1/2/4/8, direction 0/1, gpa and gpa+size-1 shared, else R10 =
 * INVALID_OPERAND; the shared bit is stripped and the access routed to
 * the device at that GPA; a read returns its value in R11), RDMSR/WRMSR
 * (31/32) through the MTRR bank, CPUID (10), HLT (12), I/O (30). Any
 * other call gets SUBFUNC_UNSUPPORTED.
 *
 * @param ctx the struct tdxsim_vmm.
 * @param call the registers, answered in place.
 * @return the TDCALL status: 0, what a TDCALL-failure script says, or
 *         TDXSIM_TDX_OPERAND_INVALID when ctx or call is NULL.
 */
uint64_t tdxsim_vmm_tdvmcall(void *ctx, struct tdxsim_tdvmcall *call);

/**
 * Put a device on the MMIO bus. GPAs here have no shared bit.
 *
 * @param vmm the VMM.
 * @param gpa the first byte.
 * @param size the length in bytes.
 * @param ops the device's functions (copied).
 * @param ctx its context; ops->release frees it with the VMM, and also
 *        here when the call fails.
 * @return the device id (>= 0), -EINVAL (empty, wraps, no access fn),
 *         -EEXIST (overlaps a device), -ENOMEM.
 */
int tdxsim_vmm_add_device(struct tdxsim_vmm *vmm, uint64_t gpa, uint64_t size,
			  const struct tdxsim_device_ops *ops, void *ctx);

/**
 * Add a TPM TIS register block (TCG PC Client PTP, FIFO interface): five
 * localities of 0x1000 bytes (size 0x5000) with ACCESS, STS, INTF_CAPABILITY,
 * INTERFACE_ID, DID_VID 0x00011014 (vendor 0x1014 IBM, device 1, as QEMU's
 * tpm_tis reports) and RID 1.
 *
 * @param vmm the VMM.
 * @param gpa the base, 0xfed40000 on PCs.
 * @return the device id, or a negative errno as tdxsim_vmm_add_device().
 */
int tdxsim_vmm_add_tpm(struct tdxsim_vmm *vmm, uint64_t gpa);

/**
 * Add an HPET (IA-PC HPET specification 1.0a) of size 0x400: capabilities at 0x0
 * read 0x0429B17F8086A201 (14.318 MHz, vendor 8086, 3 timers, 64-bit,
 * legacy capable, as on ICH parts); configuration at 0x10 starts enabled;
 * the main counter at 0xF0 advances by 0x100 on each read while enabled.
 *
 * @param vmm the VMM.
 * @param gpa the base, 0xfed00000 on PCs.
 * @return the device id, or a negative errno.
 */
int tdxsim_vmm_add_hpet(struct tdxsim_vmm *vmm, uint64_t gpa);

/**
 * Add a scratch device: memory that reads back what was written (zero at
 * first).
 *
 * @param vmm the VMM.
 * @param gpa the base.
 * @param size the length, at most 16 MiB.
 * @return the device id, or a negative errno.
 */
int tdxsim_vmm_add_scratch(struct tdxsim_vmm *vmm, uint64_t gpa,
			   uint64_t size);

/**
 * Add a device whose every read returns value (its low size bytes) and
 * which ignores writes: what `tdxsim mmio --read-value V` needs.
 *
 * @param vmm the VMM.
 * @param gpa the base.
 * @param size the length.
 * @param value the value reads return.
 * @return the device id, or a negative errno.
 */
int tdxsim_vmm_add_constant(struct tdxsim_vmm *vmm, uint64_t gpa,
			    uint64_t size, uint64_t value);

/**
 * How many accesses a device received.
 *
 * @param vmm the VMM.
 * @param id the device id.
 * @return the count; 0 for an unknown id.
 */
uint64_t tdxsim_vmm_device_accesses(const struct tdxsim_vmm *vmm, int id);

/**
 * Append a scripted misbehaviour. The first script entry that matches a
 * call applies to it (once per call); an entry with a count is dropped
 * when used up.
 *
 * @param vmm the VMM.
 * @param script the entry (copied).
 * @return 0, -EINVAL (unknown fault, TDCALL fault with value 0), -ENOMEM.
 */
int tdxsim_vmm_script_add(struct tdxsim_vmm *vmm,
			  const struct tdxsim_vmm_script *script);

/**
 * Drop every scripted misbehaviour.
 *
 * @param vmm the VMM.
 */
void tdxsim_vmm_script_clear(struct tdxsim_vmm *vmm);

/**
 * The VMM's counters.
 *
 * @param vmm the VMM.
 * @param out receives them.
 */
void tdxsim_vmm_stats(const struct tdxsim_vmm *vmm,
		      struct tdxsim_vmm_stats *out);

/**
 * The MTRR bank that answers the TD's RDMSR/WRMSR TDVMCALLs.
 *
 * @param vmm the VMM.
 * @return the bank, owned by the VMM.
 */
struct tdxsim_mtrr_bank *tdxsim_vmm_mtrr_bank(struct tdxsim_vmm *vmm);

/* ---- the TD ---- */

/** Guest page-table permissions (a present mapping is readable). */
#define TDXSIM_PTE_W	0x1u	/**< writable */
#define TDXSIM_PTE_X	0x2u	/**< executable (NX clear) */
#define TDXSIM_PTE_U	0x4u	/**< user */

/** #PF error code bits (SDM vol. 3, 4.7). */
#define TDXSIM_PFEC_P		0x1u
#define TDXSIM_PFEC_W		0x2u
#define TDXSIM_PFEC_U		0x4u
#define TDXSIM_PFEC_RSVD	0x8u
#define TDXSIM_PFEC_I		0x10u

/** How a TD is set up; start from TDXSIM_CONFIG_INIT(tdxsim_td_config)
 *  (tdxsim/guest.h says how the size member lets it grow). */
struct tdxsim_td_config {
	/** sizeof(struct tdxsim_td_config) as the caller was built with;
	 *  at least TDXSIM_TD_CONFIG_SIZE_V1. */
	size_t size;
	/** GPA width in bits: 48 (shared bit 47) or 52 (shared bit 51);
	 *  0 for TDXSIM_GPAW_DEFAULT. */
	unsigned gpaw;
	enum tdxsim_mmio_mode mode;	/**< the #VE handler's mode */
	int user_mmio;			/**< the handler's user-MMIO option */
	/** Stop after delivering a #VE: the caller runs
	 *  tdxsim_td_veinfo_get() and tdxsim_td_handle_ve() itself. */
	int manual_ve;
};

/** The size of the first version of struct tdxsim_td_config (up to manual_ve). */
#define TDXSIM_TD_CONFIG_SIZE_V1 \
	(offsetof(struct tdxsim_td_config, manual_ve) + sizeof(int))

/** How a TD access, instruction, MSR access or CR0 write ended. */
enum tdxsim_td_outcome {
	TDXSIM_TD_OK = 0,		/**< done (RIP advanced for instructions) */
	TDXSIM_TD_PF = 1,		/**< #PF; pf_error and the GVA say why */
	TDXSIM_TD_GP = 2,		/**< #GP(0) */
	TDXSIM_TD_VE_PENDING = 3,	/**< manual_ve: #VE delivered, not handled */
	TDXSIM_TD_VE_FAULT = 4,		/**< the #VE handler failed: fixup or oops (kernel), SIGSEGV (user) */
	TDXSIM_TD_FATAL = 5,		/**< the guest panics, or #DF; reason says which */
	TDXSIM_TD_EXIT = 6,		/**< a TD exit to the VMM (exit_* fields) */
};

/** What one TD operation did. */
struct tdxsim_td_result {
	enum tdxsim_td_outcome outcome;
	const char *reason;		/**< static string, for humans */
	/** value read: RAM bytes; an emulated MMIO read's reply (R11 of
	 *  #VE.RequestMMIO, at the access size); RDMSR. 0 for a write, a
	 *  MOVS, or a read that did not complete. */
	uint64_t value;
	uint64_t gpa;			/**< translated GPA, shared bit included */
	int ve;				/**< a #VE was delivered */
	int df;				/**< a #DF was delivered (fatal) */
	uint32_t pf_error;		/**< #PF error code */
	struct tdxsim_veinfo veinfo;	/**< what TDG.VP.VEINFO.GET returned */
	int mmio_ran;			/**< tdxsim_mmio_handle() ran */
	struct tdxsim_mmio_result mmio;	/**< its outcome */
	uint64_t exit_rax, exit_rcx, exit_r8;	/**< TD exit registers (module
						     tdx_ept_violation_exit_to_vmm()) */
};

/** One instruction with one memory access, for tdxsim_td_run_insn(). */
struct tdxsim_td_insn {
	const uint8_t *bytes;	/**< placed at RIP */
	size_t len;		/**< 1..15 */
	uint64_t gva;		/**< linear address of its memory operand */
	/** With map: the GPA (no shared bit) gva's page maps to as shared
	 *  MMIO, and RIP's page is mapped to private RAM if unmapped. */
	uint64_t gpa;
	int map;
	/** Access size and direction; size 0 derives both from the opcode
	 *  (MOV 88/89/8A/8B/C6/C7, MOVS A4/A5, MOVZX/MOVSX 0F B6/B7/BE/BF). */
	unsigned size;
	int write;
};

/** A TD with one vCPU. Opaque. */
struct tdxsim_td;

/**
 * Create a TD: registers zero except RIP 0xffffffff81000000 and RFLAGS
 * 0x2, supervisor mode, CR0 0x21, IA32_PAT 0x0007040600070406
 * (intel/tdx-module td_vmcs_init.c), an empty page table and memory bus,
 * and a #VE handler.
 *
 * @param config the config; NULL for the defaults (GPA width 52, ARCH mode).
 * @param vmm the VMM's TDVMCALL handler (e.g. tdxsim_vmm_tdvmcall).
 * @param vmm_ctx passed to vmm.
 * @param out receives the TD.
 * @return 0, -EINVAL (size below TDXSIM_TD_CONFIG_SIZE_V1, gpaw not 0, 48
 *         or 52, ...), -E2BIG (nonzero members this library does not
 *         know), -ENOMEM, or the handler's error.
 */
int tdxsim_td_new(const struct tdxsim_td_config *config,
		  tdxsim_tdvmcall_fn vmm, void *vmm_ctx,
		  struct tdxsim_td **out);

/**
 * Free a TD.
 *
 * @param td the TD; NULL does nothing.
 */
void tdxsim_td_free(struct tdxsim_td *td);

/**
 * The vCPU's registers, to read or change in place.
 *
 * @param td the TD.
 * @return the registers.
 */
struct tdxsim_vcpu_regs *tdxsim_td_regs(struct tdxsim_td *td);

/**
 * Set a register by name ("rdi", "eax", "ah", ...), as `--reg rdi=V`.
 *
 * @param td the TD.
 * @param name the register name (tdxsim_reg_ref_parse()).
 * @param value the value.
 * @return 0, or -EINVAL for an unknown name.
 */
int tdxsim_td_set_reg(struct tdxsim_td *td, const char *name, uint64_t value);

/**
 * Switch the vCPU between supervisor (0) and user (nonzero) mode.
 *
 * @param td the TD.
 * @param user nonzero for CPL 3.
 */
void tdxsim_td_set_user(struct tdxsim_td *td, int user);

/**
 * The GPA shared bit of the TD (bit 47 or 51, the module's
 * get_gpa_shared_bit()).
 *
 * @param td the TD.
 * @return the mask of the shared bit.
 */
uint64_t tdxsim_td_shared_bit(const struct tdxsim_td *td);

/**
 * Map a range of linear addresses to guest-physical ones.
 *
 * @param td the TD.
 * @param gva the first linear address.
 * @param gpa the GPA it maps to (shared bit included for shared memory).
 * @param size the length in bytes.
 * @param perm TDXSIM_PTE_* flags.
 * @return 0, -EINVAL (empty, wraps, not 4 KiB aligned), -EEXIST (overlaps
 *         a mapping), -ENOMEM.
 */
int tdxsim_td_map(struct tdxsim_td *td, uint64_t gva, uint64_t gpa,
		  uint64_t size, unsigned perm);

/**
 * Add RAM to the memory bus; it reads zero until written.
 *
 * @param td the TD.
 * @param gpa the first byte, shared bit included for shared RAM.
 * @param size the length.
 * @return 0, -EINVAL (empty, wraps, bits above the GPA width), -EEXIST,
 *         -ENOMEM.
 */
int tdxsim_td_add_ram(struct tdxsim_td *td, uint64_t gpa, uint64_t size);

/**
 * Declare shared GPAs the VMM leaves non-present (MMIO): accesses to them
 * raise the EPT-violation #VE. Shared GPAs without RAM behave so anyway,
 * as under KVM; this records the intent and refuses overlap with RAM.
 *
 * @param td the TD.
 * @param gpa the first byte, shared bit included.
 * @param size the length.
 * @return 0, -EINVAL (private, empty, wraps), -EEXIST, -ENOMEM.
 */
int tdxsim_td_add_mmio(struct tdxsim_td *td, uint64_t gpa, uint64_t size);

/**
 * Write bytes to guest memory through the page table, ignoring
 * permissions (a loader, not the guest). RAM only.
 *
 * @param td the TD.
 * @param gva where.
 * @param bytes what.
 * @param len how many.
 * @return 0, or -EFAULT when a byte is unmapped or not RAM (-EINVAL for a
 *         NULL td).
 */
int tdxsim_td_poke(struct tdxsim_td *td, uint64_t gva, const void *bytes,
		   size_t len);

/**
 * One data access of the instruction at RIP, as the CPU makes it: #GP(0)
 * when a byte of it has a non-canonical address (48-bit), then
 * translate (#PF on a missing mapping or permission, or reserved GPA bits
 * with GPA width 48, td_ept_violation_exit()); RAM: read or write the bytes; a
 * shared GPA without RAM: the EPT-violation #VE (reason 48, qualification
 * with the read/write bit, GLA and GPA valid), VE_INFO filled unless
 * VALID is already set (then a TD exit to the VMM: the SDM's rule), then
 * the guest's handler: TDG.VP.VEINFO.GET and tdxsim_mmio_handle() on the
 * instruction bytes fetched at RIP. A private GPA without RAM is an
 * EPT-violation TD exit.
 *
 * @param td the TD.
 * @param gva the linear address.
 * @param size 1, 2, 4 or 8.
 * @param write nonzero for a write.
 * @param value in: the value to write; out: the value read (RAM), or
 *        unchanged (MMIO: the handler writes the register, and out->value
 *        has what the VMM returned). May be NULL.
 * @param out what happened.
 * @return 0 (the outcome is in out), or -EINVAL for misuse.
 */
int tdxsim_td_access(struct tdxsim_td *td, uint64_t gva, unsigned size,
		     int write, uint64_t *value, struct tdxsim_td_result *out);

/**
 * Place an instruction at RIP and execute its memory access with
 * tdxsim_td_access() (writes take the value from the registers only
 * through the #VE handler; RAM writes store 0, reads do not load a
 * register). With insn->map, mappings are made first, so that
 * `tdxsim mmio --bytes "8b 07" --reg rdi=G --gva G --gpa P --read-value V`
 * is: tdxsim_vmm_add_constant(vmm, P, size, V); tdxsim_td_set_reg(td,
 * "rdi", G); tdxsim_td_run_insn(td, &insn with map = 1, &res).
 *
 * @param td the TD.
 * @param insn the instruction.
 * @param out what happened.
 * @return 0 (the outcome is in out), -EINVAL (bad length, size not
 *         derivable, gpa private or beyond the width), -EEXIST (a
 *         mapping conflicts), -ENOMEM, -EFAULT (RIP not in RAM).
 */
int tdxsim_td_run_insn(struct tdxsim_td *td, const struct tdxsim_td_insn *insn,
		       struct tdxsim_td_result *out);

/**
 * TDG.VP.VEINFO.GET (TDCALL leaf 3, tdg_vp_veinfo_get()): when VALID, return
 * VE_INFO and clear VALID.
 *
 * @param td the TD.
 * @param out receives VE_INFO (zeroed when not valid); NULL discards it.
 * @return TDXSIM_TDX_SUCCESS (0) or TDXSIM_TDX_NO_VALID_VE_INFO (also for
 *         a NULL td).
 */
uint64_t tdxsim_td_veinfo_get(struct tdxsim_td *td, struct tdxsim_veinfo *out);

/**
 * Run the guest's EPT-violation #VE handler on VE_INFO already read:
 * tdxsim_mmio_handle() with the bytes at RIP (manual_ve mode). An arch
 * handler's #GP(0) (a non-canonical operand) is outcome TDXSIM_TD_GP; its
 * single-step #DB is in out->mmio.exception.
 *
 * @param td the TD.
 * @param ve what tdxsim_td_veinfo_get() returned.
 * @param out what happened.
 * @return 0, or -EINVAL for misuse.
 */
int tdxsim_td_handle_ve(struct tdxsim_td *td, const struct tdxsim_veinfo *ve,
			struct tdxsim_td_result *out);

/**
 * RDMSR. IA32_PAT is native (msr_config_lookup.c); every other MSR (the MTRRs
 * first of all) is a module-injected #VE (reason 31), a #DF when VALID is
 * still set, and the guest's handler forwards it as TDVMCALL RDMSR.
 *
 * @param td the TD.
 * @param msr the MSR.
 * @param out what happened; value is what RDMSR returned.
 * @return 0 (-EINVAL for a NULL pointer).
 */
int tdxsim_td_rdmsr(struct tdxsim_td *td, uint32_t msr,
		    struct tdxsim_td_result *out);

/**
 * WRMSR, as tdxsim_td_rdmsr() (reason 32); IA32_PAT with a reserved
 * encoding or bits is #GP(0).
 *
 * @param td the TD.
 * @param msr the MSR.
 * @param value the value.
 * @param out what happened.
 * @return 0 (-EINVAL for a NULL pointer).
 */
int tdxsim_td_wrmsr(struct tdxsim_td *td, uint32_t msr, uint64_t value,
		    struct tdxsim_td_result *out);

/**
 * MOV to CR0 (the module's write_guest_cr0()): an architecturally
 * invalid value is #GP(0); PE=0, NE=0, NW=1 or CD=1 a #VE with reason 28
 * (the guest's handler does not handle it: VE_FAULT); otherwise CR0 takes
 * the value.
 *
 * @param td the TD.
 * @param value the new CR0.
 * @param out what happened.
 * @return 0 (-EINVAL for a NULL pointer).
 */
int tdxsim_td_write_cr0(struct tdxsim_td *td, uint64_t value,
			struct tdxsim_td_result *out);

/**
 * CR0 of the vCPU.
 *
 * @param td the TD.
 * @return CR0.
 */
uint64_t tdxsim_td_cr0(const struct tdxsim_td *td);

/**
 * IA32_PAT of the vCPU.
 *
 * @param td the TD.
 * @return IA32_PAT.
 */
uint64_t tdxsim_td_pat(const struct tdxsim_td *td);

#ifdef __cplusplus
}
#endif

#endif /* TDXSIM_MACHINE_H */
