/* SPDX-License-Identifier: MIT */
/**
 * @file tdxsim/memtype.h
 * Memory types: virtual MTRR MSRs per hypervisor profile, PAT, EPT memory
 * types, and the Linux guest's MTRR view, memtype reservation and ioremap.
 *
 * Three parties each have rules: the architecture (SDM vol. 3A
 * chapter 12: MTRR precedence, PAT, MTRR x PAT), the hypervisor (KVM's MTRR
 * MSR emulation and EPT memory types, which changed in 6.11 and for TDX in
 * 6.16) and the guest kernel (Linux's cache_map, PAT memtype tree, ioremap).
 * The lookups are pure functions; the MSR bank and the Linux guest are
 * objects with state.
 *
 * API contract (docs/architecture.md): a NULL where an object or an output
 * is required gives -EINVAL (getters and predicates: NULL or 0;
 * status-word functions: an error status), never a crash; a buffer may be NULL when its length is 0;
 * a parameter documented "may be NULL" (or "NULL does nothing") is optional.
 * tests/test-api-null.c calls every exported function to hold this.
 */
#ifndef TDXSIM_MEMTYPE_H
#define TDXSIM_MEMTYPE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Architectural memory types (MTRR and PAT encodings; UC- is PAT only). */
enum tdxsim_mt {
	TDXSIM_MT_UC = 0,
	TDXSIM_MT_WC = 1,
	TDXSIM_MT_WT = 4,
	TDXSIM_MT_WP = 5,
	TDXSIM_MT_WB = 6,
	TDXSIM_MT_UC_MINUS = 7,
};

/** Linux's enum page_cache_mode: another numbering, the one ioremap prints. */
enum tdxsim_pcm {
	TDXSIM_PCM_WB = 0,
	TDXSIM_PCM_WC = 1,
	TDXSIM_PCM_UC_MINUS = 2,
	TDXSIM_PCM_UC = 3,
	TDXSIM_PCM_WT = 4,
	TDXSIM_PCM_WP = 5,
};

/** Who emulates the MTRR MSRs, and how (SDM 12.11, KVM kvm_mtrr_valid(),
 * KVM TDX 26eab9ae4be0). */
enum tdxsim_mtrr_profile {
	TDXSIM_MTRR_BARE = 0,		/**< bare metal, SDM rules */
	TDXSIM_MTRR_KVM_LEGACY = 1,	/**< KVM up to 6.10: guest MTRRs can reach EPT */
	TDXSIM_MTRR_KVM = 2,		/**< KVM 6.11 and later: stored only */
	TDXSIM_MTRR_TDX = 3,		/**< TD guest: #VE, then the VMM's KVM (>= 6.16) bank */
	TDXSIM_MTRR_TDX_2023 = 4,	/**< historical v13..v19 KVM TDX patches: MTRRcap 0, only 0x806; shared RAM WB with IPAT */
};

/** Number of profiles. */
#define TDXSIM_MTRR_PROFILE_COUNT 5

/** What an MSR access or CR0 write did. */
enum tdxsim_msr_outcome {
	TDXSIM_MSR_OK = 0,	/**< done; value holds what RDMSR returned */
	TDXSIM_MSR_GP = 1,	/**< #GP(0) */
	TDXSIM_MSR_VE_OK = 2,	/**< TD: #VE, TDVMCALL succeeded (value for RDMSR) */
	TDXSIM_MSR_VE_FAIL = 3,	/**< TD: #VE, the VMM refused (TDVMCALL_STATUS_INVALID_OPERAND): the guest's #VE handler turns it into #GP */
	TDXSIM_MSR_VE = 4,	/**< TD: #VE with no MSR behind it (MOV CR0 with CD=1) */
};

/** Result of one RDMSR, WRMSR or MOV to CR0. */
struct tdxsim_msr_result {
	enum tdxsim_msr_outcome outcome;
	uint64_t value;			/**< RDMSR's value when it succeeded */
	uint64_t tdvmcall_status;	/**< R10 of the TDVMCALL when there was one */
};

/** How an MTRR bank is set up; tdxsim_mtrr_config_init() gives defaults. */
struct tdxsim_mtrr_config {
	enum tdxsim_mtrr_profile profile;
	unsigned maxphyaddr;	/**< guest MAXPHYADDR, e.g. 46, 48 or 52 */
	unsigned vcnt;		/**< variable ranges; fixed at 8 for KVM and TDX */
	int fixed_supported;	/**< MTRRcap.FIX (BARE only) */
	int wc_supported;	/**< MTRRcap.WC (BARE only) */
	int cpuid_mtrr;		/**< CPUID.1:EDX.MTRR (BARE: 0 makes every access #GP) */
};

/** A vCPU's MTRR and PAT MSRs under one profile. Opaque. */
struct tdxsim_mtrr_bank;

/**
 * Fill a config with a profile's defaults: MAXPHYADDR 48; BARE 10 variable
 * ranges with FIX, WC and CPUID.MTRR; KVM and TDX 8 ranges.
 *
 * @param config the config.
 * @param profile the profile.
 */
void tdxsim_mtrr_config_init(struct tdxsim_mtrr_config *config,
			     enum tdxsim_mtrr_profile profile);

/**
 * Create a bank with the reset values (DEF_TYPE 0, or 0x806 for TDX_2023;
 * IA32_PAT 0x0007040600070406).
 *
 * @param config the config.
 * @param out receives the bank.
 * @return 0, -EINVAL for a config out of range (MAXPHYADDR not 36..52,
 *         more than 40 variable ranges: a 41st pair would take the MSR
 *         numbers of IA32_MTRR_FIX64K_00000 at 0x250), -ENOMEM.
 */
int tdxsim_mtrr_bank_new(const struct tdxsim_mtrr_config *config,
			 struct tdxsim_mtrr_bank **out);

/**
 * Free a bank.
 *
 * @param bank the bank; NULL does nothing.
 */
void tdxsim_mtrr_bank_free(struct tdxsim_mtrr_bank *bank);

/**
 * RDMSR as the profile answers it.
 *
 * @param bank the bank.
 * @param msr the MSR index (0xFE, 0x200.., 0x250.., 0x277, 0x2FF).
 * @param out the outcome and value.
 * @return 0 (-EINVAL for a NULL bank or out).
 */
int tdxsim_mtrr_rdmsr(struct tdxsim_mtrr_bank *bank, uint32_t msr,
		      struct tdxsim_msr_result *out);

/**
 * WRMSR as the profile answers it (SDM 12.11; KVM arch/x86/kvm/mtrr.c
 * kvm_mtrr_valid(); KVM TDX 26eab9ae4be0 "KVM: TDX: Enable guest access to
 * MTRR MSRs"; TDX module 1.5 td_msr_access.c).
 *
 * @param bank the bank.
 * @param msr the MSR index.
 * @param value the value.
 * @param out the outcome.
 * @return 0 (-EINVAL for a NULL bank or out).
 */
int tdxsim_mtrr_wrmsr(struct tdxsim_mtrr_bank *bank, uint32_t msr,
		      uint64_t value, struct tdxsim_msr_result *out);

/**
 * MOV to CR0 with the given CD and NW bits (TD: CD=1 gives #VE).
 *
 * @param bank the bank.
 * @param cd CR0.CD.
 * @param nw CR0.NW.
 * @param out the outcome.
 * @return 0 (-EINVAL for a NULL bank or out).
 */
int tdxsim_mtrr_cr0_write(struct tdxsim_mtrr_bank *bank, int cd, int nw,
			  struct tdxsim_msr_result *out);

/**
 * The memory type the processor's MTRRs give an address (SDM 12.11.4.1):
 * MTRRs off → UC; fixed ranges below 1 MiB; variable ranges matched with
 * (pa & mask) == (base & mask), UC wins, WT and WB give WT, other overlaps
 * are undefined (reported, UC returned); no match → the default type.
 *
 * @param bank the bank.
 * @param pa the physical address.
 * @param undefined set to 1 when overlapping ranges make the type undefined;
 *        may be NULL.
 * @return the type.
 */
enum tdxsim_mt tdxsim_mtrr_hw_type(const struct tdxsim_mtrr_bank *bank,
				   uint64_t pa, int *undefined);

/**
 * The effective type of an MTRR type and a PAT type (SDM Table 12-7).
 *
 * @param mtrr the MTRR type.
 * @param pat the PAT type (UC- allowed).
 * @return the effective type.
 */
enum tdxsim_mt tdxsim_mt_combine(enum tdxsim_mt mtrr, enum tdxsim_mt pat);

/**
 * The PAT entry a page-table entry selects: (pat_msr >> 8 * (4*pat + 2*pcd + pwt)) & 7.
 *
 * @param pat_msr IA32_PAT.
 * @param pat the PTE's PAT bit.
 * @param pcd the PTE's PCD bit.
 * @param pwt the PTE's PWT bit.
 * @return the type in that entry.
 */
enum tdxsim_mt tdxsim_pat_entry(uint64_t pat_msr, int pat, int pcd, int pwt);

/** What the hypervisor knows when it picks an EPT memory type. */
struct tdxsim_ept_context {
	enum tdxsim_mtrr_profile profile;
	int tdp;			/**< EPT in use */
	int noncoherent_dma;		/**< an assigned device without snoop control */
	int ignore_guest_pat;		/**< KVM_X86_QUIRK_IGNORE_GUEST_PAT (forced off for TDs) */
	int is_mmio;			/**< the pfn is host MMIO, not RAM */
	int is_private;			/**< TD private memory */
	const struct tdxsim_mtrr_bank *guest_mtrrs;	/**< KVM_LEGACY only: the guest's bank */
};

/**
 * The EPT memory type and IPAT bit KVM (or the TDX module) puts in the
 * leaf entry for a guest frame (KVM vmx_get_mt_mask() per era, c9f65a3f2d92 and
 * c9c1e20b4c7d; TDX module 1.5 sept_manager.c: private pages WB with IPAT;
 * for TDXSIM_MTRR_TDX_2023 the historical tdx_get_mt_mask(): shared RAM WB
 * with IPAT unless non-coherent DMA).
 *
 * @param ctx the context.
 * @param gpa the guest physical address.
 * @param mt receives the EPT memory type.
 * @param ipat receives the ignore-PAT bit.
 */
void tdxsim_ept_memtype(const struct tdxsim_ept_context *ctx, uint64_t gpa,
			enum tdxsim_mt *mt, int *ipat);

/**
 * The type a guest access gets through EPT: UC when the hardware CR0.CD is
 * set, the EPT type when IPAT, else the EPT type combined with the guest's
 * PAT type.
 *
 * @param ept_mt the EPT memory type.
 * @param ipat the ignore-PAT bit.
 * @param guest_pat the guest's PAT type for the access.
 * @param hw_cr0_cd the hardware CR0.CD.
 * @param out receives the type.
 * @return 0, or -EINVAL when ept_mt is not a valid EPT type (2, 3, 7: an EPT
 *         misconfiguration).
 */
int tdxsim_ept_effective(enum tdxsim_mt ept_mt, int ipat,
			 enum tdxsim_mt guest_pat, int hw_cr0_cd,
			 enum tdxsim_mt *out);

/** How a simulated Linux guest behaves (Linux arch/x86/kernel/cpu/mtrr/
 * generic.c; 8e690b817e38 and its fix 0dccbc75e18d). */
struct tdxsim_linux_guest_config {
	/** guest_force_mtrr_state() of 8e690b817e38 (SEV-SNP/TDX guests, 6.12+). */
	int force_mtrr;
	/** With force_mtrr: the fix 0dccbc75e18d (legacy PCI hole forced UC). */
	int pci_hole_fix;
	uint64_t tolud;		/**< top of low usable DRAM, for the fix: 4 KiB..4 GiB, page aligned */
	unsigned phys_bits;	/**< x86_phys_bits (36..52), for the fix's mask and phys_hi_rsvd; 0: the bank's MAXPHYADDR */
	int pat_enabled;	/**< PAT in use (memtype tracking) */
};

/** A Linux guest's MTRR view, PAT memtype tree and log. Opaque. */
struct tdxsim_linux_guest;

/** One entry of the guest's memtype tree. */
struct tdxsim_memtype_entry {
	uint64_t start;
	uint64_t end;
	enum tdxsim_pcm type;
};

/** ioremap flavours. */
enum tdxsim_ioremap_kind {
	TDXSIM_IOREMAP = 0,		/**< ioremap(): UC- */
	TDXSIM_IOREMAP_UC = 1,
	TDXSIM_IOREMAP_WC = 2,
	TDXSIM_IOREMAP_WT = 3,
	TDXSIM_IOREMAP_CACHE = 4,	/**< ioremap_cache(): WB */
};

/**
 * Boot a Linux guest on a vCPU's MTRR bank: read the MTRRs through it
 * (as mtrr_bp_init() does; under force_mtrr the registers are not read),
 * build the cache_map, log the boot lines ("MTRR map: ...").
 *
 * The guest sees CPUID.MTRR as the TDX module reports it (always 1) for the
 * TDX profiles and as config.cpuid_mtrr otherwise; a faulting RDMSR reads 0
 * (ex_handler_msr()).
 *
 * @param config the guest's behaviour.
 * @param bank the vCPU's MTRRs (read through RDMSR as the profile answers);
 *        may be NULL with force_mtrr and a non-zero phys_bits.
 * @param out receives the guest.
 * @return 0, -EINVAL (phys_bits out of range, no bank without force_mtrr,
 *         pci_hole_fix without force_mtrr, tolud 0, above 4 GiB or not page
 *         aligned), -ENOMEM.
 */
int tdxsim_linux_guest_new(const struct tdxsim_linux_guest_config *config,
			   struct tdxsim_mtrr_bank *bank,
			   struct tdxsim_linux_guest **out);

/**
 * Free a guest.
 *
 * @param guest the guest; NULL does nothing.
 */
void tdxsim_linux_guest_free(struct tdxsim_linux_guest *guest);

/**
 * mtrr_type_lookup(): the guest kernel's MTRR type for [start, end).
 *
 * @param guest the guest.
 * @param start first byte.
 * @param end one past the last.
 * @param uniform set to 1 when the whole range has one type (0 when the
 *        MTRR state was never set, or for an empty range); may be NULL.
 * @return the type: UC when the MTRRs are disabled, never set, or for an
 *         empty range (which the kernel never passes).
 */
enum tdxsim_mt tdxsim_linux_mtrr_lookup(const struct tdxsim_linux_guest *guest,
					uint64_t start, uint64_t end,
					int *uniform);

/**
 * memtype_reserve(): track [start, end) with the requested mode.
 *
 * @param guest the guest.
 * @param start first byte.
 * @param end one past the last.
 * @param req the requested mode.
 * @param granted receives the mode the caller must use; NULL is the kernel's
 *        NULL new_type: then an overlap of another type is a conflict.
 * @return 0, or the kernel's negative errno (-EBUSY on a conflict, -EINVAL,
 *         -ENOMEM). Ranges are MMIO (pat_pagerange_is_ram() is 0: RAM page
 *         tracking is not modelled); the task in the lines is swapper/0:1.
 */
int tdxsim_linux_memtype_reserve(struct tdxsim_linux_guest *guest,
				 uint64_t start, uint64_t end,
				 enum tdxsim_pcm req, enum tdxsim_pcm *granted);

/**
 * memtype_free(): untrack [start, end).
 *
 * @param guest the guest.
 * @param start first byte.
 * @param end one past the last.
 * @return 0, or -EINVAL when nothing matched (with the kernel's line).
 */
int tdxsim_linux_memtype_free(struct tdxsim_linux_guest *guest, uint64_t start,
			      uint64_t end);

/**
 * ioremap*(): map [phys, phys + size) for a caller.
 *
 * @param guest the guest.
 * @param kind which flavour.
 * @param phys first byte.
 * @param size bytes.
 * @param mapped receives the mode of the mapping when it succeeds; may be NULL.
 * @return 1 when a mapping was made, 0 when ioremap returned NULL (the
 *         kernel's lines logged), negative errno for misuse.
 */
int tdxsim_linux_ioremap(struct tdxsim_linux_guest *guest,
			 enum tdxsim_ioremap_kind kind, uint64_t phys,
			 uint64_t size, enum tdxsim_pcm *mapped);

/**
 * devm_ioremap_resource() for a device, then the driver core's probe line
 * when it fails ("DEV: probe with driver DRV failed with error -12"). As in
 * Linux 6.12, devres itself prints nothing: it reports the failure through
 * dev_err_probe(), which is silent for -ENOMEM.
 *
 * The device string is what dev_err() prefixes: dev_driver_string(), a
 * space, dev_name() ("tpm_tis MSFT0101:00"). The driver name (before the
 * first space) is also the one the driver core's line names; both parts must
 * be non-empty. The resource is IORESOURCE_MEM and its region request is
 * taken to succeed (the model does not track iomem_resource).
 *
 * @param guest the guest.
 * @param device e.g. "tpm_tis MSFT0101:00" (driver name, space, device name).
 * @param start first byte of the resource.
 * @param end last byte of the resource (inclusive, as %pR prints it).
 * @return 1 mapped, 0 failed (lines logged), negative errno for misuse.
 */
int tdxsim_linux_devm_ioremap_resource(struct tdxsim_linux_guest *guest,
				       const char *device, uint64_t start,
				       uint64_t end);

/**
 * Count the guest kernel's log lines.
 *
 * @param guest the guest.
 * @return the number of lines.
 */
size_t tdxsim_linux_guest_line_count(const struct tdxsim_linux_guest *guest);

/**
 * Get one log line, as dmesg shows it without timestamp.
 *
 * @param guest the guest.
 * @param index 0 .. count - 1.
 * @return the line, owned by the guest; NULL when out of range.
 */
const char *tdxsim_linux_guest_line(const struct tdxsim_linux_guest *guest,
				    size_t index);

/**
 * Count the entries of the memtype tree.
 *
 * @param guest the guest.
 * @return the number of entries.
 */
size_t tdxsim_linux_memtype_count(const struct tdxsim_linux_guest *guest);

/**
 * Get one memtype tree entry, in the tree's order (by start, then age).
 *
 * @param guest the guest.
 * @param index 0 .. count - 1.
 * @return the entry, owned by the guest; NULL when out of range.
 */
const struct tdxsim_memtype_entry *
tdxsim_linux_memtype_entry(const struct tdxsim_linux_guest *guest, size_t index);

/** One entry of the guest's cache_map (mtrr_build_map(), Linux
 * arch/x86/kernel/cpu/mtrr/generic.c since 061b984aab58). */
struct tdxsim_cache_map_entry {
	uint64_t start;
	uint64_t end;		/**< exclusive */
	enum tdxsim_mt type;
	int fixed;		/**< from the fixed-range MTRRs (they take precedence) */
};

/**
 * Count the entries of the guest's cache_map.
 *
 * @param guest the guest.
 * @return the number of entries (0 when the MTRRs are disabled).
 */
size_t tdxsim_linux_cache_map_count(const struct tdxsim_linux_guest *guest);

/**
 * Get one cache_map entry, in address order.
 *
 * @param guest the guest.
 * @param index 0 .. count - 1.
 * @return the entry, owned by the guest; NULL when out of range.
 */
const struct tdxsim_cache_map_entry *
tdxsim_linux_cache_map_entry(const struct tdxsim_linux_guest *guest,
			     size_t index);

/**
 * One variable range of the guest's mtrr_state, as PHYSBASE and PHYSMASK
 * MSR values (read from the bank, or forced by guest_force_mtrr_state()).
 *
 * @param guest the guest.
 * @param index 0 .. num_var_ranges - 1.
 * @param physbase receives base_hi << 32 | base_lo.
 * @param physmask receives mask_hi << 32 | mask_lo.
 * @return 0, or -ENOENT when index is not below num_var_ranges (-EINVAL
 *         for a NULL pointer).
 */
int tdxsim_linux_mtrr_var(const struct tdxsim_linux_guest *guest,
			  unsigned index, uint64_t *physbase,
			  uint64_t *physmask);

/**
 * Name a memory type ("UC", "WC", "WT", "WP", "WB", "UC-").
 *
 * @param mt the type.
 * @return the name, or NULL for an invalid encoding.
 */
const char *tdxsim_mt_name(enum tdxsim_mt mt);

/**
 * Name a Linux page cache mode as cattr_name() does ("write-back",
 * "uncached-minus", ...).
 *
 * @param pcm the mode.
 * @return the name ("broken" for an invalid one).
 */
const char *tdxsim_pcm_name(enum tdxsim_pcm pcm);

/**
 * Name a profile ("bare", "kvm-legacy", "kvm", "tdx", "tdx-2023").
 *
 * @param profile the profile.
 * @return the name, or NULL.
 */
const char *tdxsim_mtrr_profile_name(enum tdxsim_mtrr_profile profile);

/**
 * Look a profile up by name.
 *
 * @param name the name.
 * @param out receives the profile.
 * @return 0, or -EINVAL.
 */
int tdxsim_mtrr_profile_from_name(const char *name,
				  enum tdxsim_mtrr_profile *out);

#ifdef __cplusplus
}
#endif

#endif /* TDXSIM_MEMTYPE_H */
