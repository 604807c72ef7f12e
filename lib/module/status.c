/* SPDX-License-Identifier: MIT */
/*
 * TDX status words in plain words: names for every status code, SEAMCALL
 * leaf and operand id of TDX module 1.5, and a decoder that explains a
 * status word the way a maintainer would when answering a bug report
 * (users paste raw words from dmesg, as in canonical/tdx#135).
 *
 * Sources:
 *  - codes and operand ids: intel/tdx-module
 *    include/auto_gen_1_5/tdx_error_codes_defs.h at
 *    30d2218864368abb601d198a7a237e0db5595353 (a superset of the 1.5.0x
 *    include/auto_gen/tdx_error_codes_defs.h at 1e636985...);
 *  - leaves: include/tdx_api_defs.h, seamcall_leaf_opcode_t, at
 *    1e6369859b4397be0e06ff3171b11508c7ecd8c0;
 *  - detail encodings: api_error_with_operand_id() and
 *    api_error_with_multiple_info() callers in tdh_sys_init.c,
 *    tdh_sys_lp_init.c and tdh_sys_config.c;
 *  - software codes: Linux arch/x86/include/asm/tdx.h (TDX_SW_ERROR).
 * The meanings are our own words.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "strbuf.h"

#include <tdxsim/status.h>

/* api_error_code_t, include/tdx_api_defs.h. */
#define BIT_ERROR           (1ULL << 63)
#define BIT_NON_RECOVERABLE (1ULL << 62)
#define BIT_FATAL           (1ULL << 61)
#define BIT_HOST_HINT       (1ULL << 60)
#define RESERVED_BITS       0x0FFF000000000000ULL
/* Bits that identify a code apart from its severity flags. */
#define CLASS_AND_L1        0x0000FFFF00000000ULL
/* Linux's TDX_SW_ERROR sets class 0xFF: never produced by the module. */
#define CLASS_SW_ERROR      0xFF

#define CODE_OF(s)    ((uint32_t)((s) >> 32))
#define CLASS_OF(s)   ((unsigned)(((s) >> 40) & 0xFF))
#define DETAILS_OF(s) ((uint32_t)(s))
#define BYTE_OF(v, n) ((unsigned)(((v) >> (8 * (n))) & 0xFF))

/* What bits 31:0 hold for a code, as the module source builds it. */
enum detail_kind {
	DETAIL_NONE,       /* nothing (success) */
	DETAIL_GEN,        /* usually 0; else most often an operand id */
	DETAIL_OPERAND,    /* an operand id, 0 meaning RAX */
	DETAIL_TDMR,       /* [7:0] TDMR index */
	DETAIL_RSVD,       /* [7:0] TDMR index, [15:8] reserved-area index */
	DETAIL_PAMT,       /* [7:0] TDMR index, [15:8] PAMT level */
	DETAIL_PAMT_OVERLAP, /* [7:0] TDMR, [15:8] PAMT level, [23:16] TDMR */
	DETAIL_MSR,        /* the MSR index */
	DETAIL_CPUID_REGS, /* nothing here: leaf/subleaf are in RCX */
	DETAIL_CPUID_LEAF, /* the CPUID leaf */
	DETAIL_SMRR,       /* SMRR index: 0 SMRR, 1 SMRR2 */
	DETAIL_SMRR_CMR,   /* [7:0] SMRR index, [15:8] CMR index */
	DETAIL_PKG,        /* package id */
	DETAIL_HKIDS,      /* the module's HKID limit */
	DETAIL_PAMT_PAGE,  /* which page of a Dynamic PAMT pair: 0 or 1 */
};

struct status_code {
	uint32_t code;     /* bits 63:32 */
	enum detail_kind detail;
	const char *name;
	const char *meaning;
};

static const struct status_code status_codes[] = {
	{ 0x00000000, DETAIL_NONE, "TDX_SUCCESS",
	  "the SEAMCALL succeeded" },
	{ 0x40000001, DETAIL_GEN, "TDX_NON_RECOVERABLE_VCPU",
	  "the vCPU is broken and can no longer run; tear it down" },
	{ 0x60000002, DETAIL_GEN, "TDX_NON_RECOVERABLE_TD",
	  "the TD is broken and can no longer run; tear it down" },
	{ 0x80000003, DETAIL_GEN, "TDX_INTERRUPTED_RESUMABLE",
	  "interrupted by an external event; call again to resume" },
	{ 0x80000004, DETAIL_GEN, "TDX_INTERRUPTED_RESTARTABLE",
	  "interrupted by an external event; call again to restart" },
	{ 0x60000005, DETAIL_GEN, "TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE",
	  "the TD is broken and its memory can no longer be accessed" },
	{ 0xC0000006, DETAIL_GEN, "TDX_INVALID_RESUMPTION",
	  "a resumed call does not match the interrupted one" },
	{ 0xE0000007, DETAIL_GEN, "TDX_NON_RECOVERABLE_TD_WRONG_APIC_MODE",
	  "the TD is broken: the LP's APIC is not in x2APIC mode" },
	{ 0x80000008, DETAIL_GEN, "TDX_CROSS_TD_FAULT",
	  "a fault while accessing another TD (e.g. a service TD)" },
	{ 0x90000009, DETAIL_GEN, "TDX_CROSS_TD_TRAP",
	  "a trap while accessing another TD (e.g. a service TD)" },
	{ 0x6000000A, DETAIL_GEN, "TDX_NON_RECOVERABLE_TD_CORRUPTED_MD",
	  "the TD is broken: its metadata is corrupted" },
	{ 0xC0000100, DETAIL_OPERAND, "TDX_OPERAND_INVALID",
	  "an input operand is invalid (bad value, alignment or reserved bits)" },
	{ 0xC0000101, DETAIL_OPERAND, "TDX_OPERAND_ADDR_RANGE_ERROR",
	  "an operand address is outside the allowed range" },
	{ 0xC0000102, DETAIL_GEN, "TDX_EVENT_FILTER_INVALID",
	  "an event filter is invalid" },
	{ 0xC0000103, DETAIL_GEN, "TDX_EVENT_FILTER_ORDER_INVALID",
	  "event filters are not in the required order" },
	{ 0x80000200, DETAIL_OPERAND, "TDX_OPERAND_BUSY",
	  "a resource named by an operand is in use by another SEAMCALL" },
	{ 0x80000201, DETAIL_GEN, "TDX_PREVIOUS_TLB_EPOCH_BUSY",
	  "the previous TLB tracking epoch is still in use" },
	{ 0x80000202, DETAIL_GEN, "TDX_SYS_BUSY",
	  "the module's global lock is held by another SEAMCALL" },
	{ 0x80000203, DETAIL_GEN, "TDX_RND_NO_ENTROPY",
	  "the CPU's random number generator ran out of entropy" },
	{ 0x80000204, DETAIL_OPERAND, "TDX_OPERAND_BUSY_HOST_PRIORITY",
	  "a resource is busy and reserved for a host-priority SEAMCALL" },
	{ 0x90000205, DETAIL_GEN, "TDX_HOST_PRIORITY_BUSY_TIMEOUT",
	  "a host-priority wait for a busy resource timed out" },
	{ 0x80000206, DETAIL_GEN, "TDX_INTERRUPTED_BUSY",
	  "interrupted while waiting for a busy resource" },
	{ 0xC0000300, DETAIL_OPERAND, "TDX_PAGE_METADATA_INCORRECT",
	  "the page's PAMT entry (type, owner or size) is not what the call requires" },
	{ 0x00000301, DETAIL_GEN, "TDX_PAGE_ALREADY_FREE",
	  "the page is already free" },
	{ 0xC0000302, DETAIL_GEN, "TDX_PAGE_NOT_OWNED_BY_TD",
	  "the page does not belong to this TD" },
	{ 0xC0000303, DETAIL_GEN, "TDX_PAGE_NOT_FREE",
	  "the page is in use (its PAMT entry is not free)" },
	{ 0xC0000304, DETAIL_GEN, "TDX_HPA_RANGE_NOT_FREE",
	  "a host physical range is not free" },
	{ 0xC0000305, DETAIL_GEN, "TDX_NO_PAMT_PAGE_PAIR",
	  "no dynamic-PAMT page pair was provided" },
	{ 0xC0000306, DETAIL_PAMT_PAGE, "TDX_PAMT_PAGE_NOT_EMPTY",
	  "a dynamic-PAMT page still holds entries" },
	{ 0x80000307, DETAIL_GEN, "TDX_INTERRUPTED_PAMT",
	  "a dynamic-PAMT operation was interrupted" },
	{ 0x80000308, DETAIL_GEN, "TDX_MISSING_PAMT_PAGE_PAIR",
	  "a dynamic-PAMT page pair is missing" },
	{ 0xC0000400, DETAIL_GEN, "TDX_TD_ASSOCIATED_PAGES_EXIST",
	  "the TD still owns pages that must be reclaimed first" },
	{ 0xC0000500, DETAIL_GEN, "TDX_SYS_INIT_NOT_PENDING",
	  "TDH.SYS.INIT was already done" },
	{ 0xC0000502, DETAIL_GEN, "TDX_SYS_LP_INIT_NOT_DONE",
	  "TDH.SYS.LP.INIT has not been done on this logical processor" },
	{ 0xC0000503, DETAIL_GEN, "TDX_SYS_LP_INIT_DONE",
	  "TDH.SYS.LP.INIT was already done on this logical processor" },
	{ 0xC0000505, DETAIL_GEN, "TDX_SYS_NOT_READY",
	  "the module is not fully initialized, and this leaf needs it to be" },
	{ 0xC0000506, DETAIL_GEN, "TDX_SYS_SHUTDOWN",
	  "the module has been shut down" },
	{ 0xC0000507, DETAIL_GEN, "TDX_SYS_KEY_CONFIG_NOT_PENDING",
	  "TDH.SYS.KEY.CONFIG is not expected in the module's current state" },
	{ 0xC0000508, DETAIL_GEN, "TDX_SYS_STATE_INCORRECT",
	  "the module's global state does not allow this call" },
	{ 0xC0000509, DETAIL_GEN, "TDX_SYS_INVALID_HANDOFF",
	  "the handoff data from the previous module (TD-preserving update) is invalid" },
	{ 0xC000050A, DETAIL_GEN, "TDX_SYS_INCOMPATIBLE_SIGSTRUCT",
	  "the module's signature structure does not match what SEAMLDR reports" },
	{ 0xC000050B, DETAIL_GEN, "TDX_SYS_LP_INIT_NOT_PENDING",
	  "TDH.SYS.LP.INIT is not expected in the module's current state" },
	{ 0xC000050C, DETAIL_GEN, "TDX_SYS_CONFIG_NOT_PENDING",
	  "TDH.SYS.CONFIG is not expected now (wrong state, or not every LP did LP.INIT)" },
	{ 0xC000050D, DETAIL_GEN, "TDX_INCOMPATIBLE_SEAM_CAPABILITIES",
	  "the CPU's SEAM capabilities do not support this module" },
	{ 0xC0000511, DETAIL_GEN, "TDX_CRYPTO_SELF_TEST_FAILED",
	  "the module's cryptographic self test failed" },
	{ 0x80000512, DETAIL_GEN, "TDX_UPDATE_COMPATIBILITY_SENSITIVE",
	  "a module update now could change behaviour a TD depends on" },
	{ 0xE0000604, DETAIL_GEN, "TDX_TD_FATAL",
	  "the TD hit a fatal error" },
	{ 0xC0000605, DETAIL_GEN, "TDX_TD_NON_DEBUG",
	  "the TD is not a debug TD" },
	{ 0xC0000606, DETAIL_GEN, "TDX_TDCS_NOT_ALLOCATED",
	  "the TD's control structure pages (TDCS) are not all added" },
	{ 0xC0000607, DETAIL_GEN, "TDX_LIFECYCLE_STATE_INCORRECT",
	  "the TD's life-cycle state does not allow this call" },
	{ 0xC0000608, DETAIL_GEN, "TDX_OP_STATE_INCORRECT",
	  "the TD's operation state does not allow this call" },
	{ 0xC0000609, DETAIL_GEN, "TDX_NO_VCPUS",
	  "the TD has no vCPUs" },
	{ 0xC000060A, DETAIL_GEN, "TDX_DEBUG_MEM_NOT_WRITABLE",
	  "debug access cannot write this TD memory" },
	{ 0xC0000610, DETAIL_GEN, "TDX_TDCX_NUM_INCORRECT",
	  "the number of TD control pages added is wrong" },
	{ 0xC0000621, DETAIL_GEN, "TDX_X2APIC_ID_NOT_UNIQUE",
	  "two vCPUs of the TD have the same x2APIC ID" },
	{ 0xC0000622, DETAIL_GEN, "TDX_INCOMPATIBLE_MRTD_CONTEXT",
	  "the TD measurement context does not match" },
	{ 0xC0000700, DETAIL_GEN, "TDX_VCPU_STATE_INCORRECT",
	  "the vCPU's state does not allow this call" },
	{ 0x80000701, DETAIL_GEN, "TDX_VCPU_ASSOCIATED",
	  "the vCPU is associated with another logical processor" },
	{ 0x80000702, DETAIL_GEN, "TDX_VCPU_NOT_ASSOCIATED",
	  "the vCPU is not associated with this logical processor" },
	{ 0xC0000704, DETAIL_GEN, "TDX_NO_VALID_VE_INFO",
	  "there is no valid #VE information to read" },
	{ 0xC0000705, DETAIL_GEN, "TDX_MAX_VCPUS_EXCEEDED",
	  "the TD already has its maximum number of vCPUs" },
	{ 0xC0000706, DETAIL_GEN, "TDX_TSC_ROLLBACK",
	  "the TSC went backwards" },
	{ 0xC0000707, DETAIL_GEN, "TDX_INTERRUPTIBILITY_BLOCKED",
	  "the guest is in an interrupt-blocked state" },
	{ 0xC0000730, DETAIL_GEN, "TDX_TD_VMCS_FIELD_NOT_INITIALIZED",
	  "a TD VMCS field has not been initialized" },
	{ 0xC0000731, DETAIL_GEN, "TD_VMCS_FIELD_ERROR",
	  "a TD VMCS field holds an invalid value" },
	{ 0x80000800, DETAIL_GEN, "TDX_KEY_GENERATION_FAILED",
	  "generating a random key failed (no entropy)" },
	{ 0x80000810, DETAIL_GEN, "TDX_TD_KEYS_NOT_CONFIGURED",
	  "the TD's key is not yet configured on every package" },
	{ 0xC0000811, DETAIL_GEN, "TDX_KEY_STATE_INCORRECT",
	  "the key (HKID) state does not allow this call" },
	{ 0x00000815, DETAIL_GEN, "TDX_KEY_CONFIGURED",
	  "the key is already configured on this package" },
	{ 0x80000817, DETAIL_GEN, "TDX_WBCACHE_NOT_COMPLETE",
	  "cache write-back (TDH.PHYMEM.CACHE.WB) has not completed" },
	{ 0xC0000820, DETAIL_GEN, "TDX_HKID_NOT_FREE",
	  "the HKID is still in use" },
	{ 0x00000821, DETAIL_GEN, "TDX_NO_HKID_READY_TO_WBCACHE",
	  "there is no HKID waiting for cache write-back" },
	{ 0xC0000823, DETAIL_GEN, "TDX_WBCACHE_RESUME_ERROR",
	  "a resumed cache write-back does not match the interrupted one" },
	{ 0x80000824, DETAIL_GEN, "TDX_FLUSHVP_NOT_DONE",
	  "not every vCPU of the TD has been flushed" },
	{ 0xC0000825, DETAIL_HKIDS, "TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED",
	  "the platform activates more HKIDs than the module supports" },
	{ 0xC0000900, DETAIL_CPUID_REGS, "TDX_INCORRECT_CPUID_VALUE",
	  "a CPUID value the CPU reports is not what TDX requires" },
	{ 0xC0000901, DETAIL_GEN, "TDX_LIMIT_CPUID_MAXVAL_SET",
	  "IA32_MISC_ENABLE.LIMIT_CPUID_MAXVAL is set" },
	{ 0xC0000902, DETAIL_CPUID_REGS, "TDX_INCONSISTENT_CPUID_FIELD",
	  "a CPUID value differs between logical processors" },
	{ 0xC0000903, DETAIL_GEN, "TDX_CPUID_MAX_SUBLEAVES_UNRECOGNIZED",
	  "a CPUID leaf has more sub-leaves than the module knows" },
	{ 0xC0000904, DETAIL_GEN, "TDX_CPUID_LEAF_1F_FORMAT_UNRECOGNIZED",
	  "CPUID leaf 0x1F (topology) has a format the module does not know" },
	{ 0xC0000905, DETAIL_GEN, "TDX_INVALID_WBINVD_SCOPE",
	  "WBINVD does not have package scope (the L3 cache is not per package)" },
	{ 0xC0000906, DETAIL_PKG, "TDX_INVALID_PKG_ID",
	  "a package ID is out of range" },
	{ 0xC0000907, DETAIL_GEN, "TDX_ENABLE_MONITOR_FSM_NOT_SET",
	  "IA32_MISC_ENABLE.ENABLE_MONITOR_FSM is not set" },
	{ 0xC0000908, DETAIL_CPUID_LEAF, "TDX_CPUID_LEAF_NOT_SUPPORTED",
	  "a CPUID leaf TDX needs is not supported by the CPU" },
	{ 0xC0000910, DETAIL_SMRR, "TDX_SMRR_NOT_LOCKED",
	  "an SMRR is not locked" },
	{ 0xC0000911, DETAIL_SMRR, "TDX_INVALID_SMRR_CONFIGURATION",
	  "an SMRR's base or mask is not usable with TDX" },
	{ 0xC0000912, DETAIL_SMRR_CMR, "TDX_SMRR_OVERLAPS_CMR",
	  "an SMRR overlaps a CMR" },
	{ 0xC0000913, DETAIL_GEN, "TDX_SMRR_LOCK_NOT_SUPPORTED",
	  "IA32_MTRRCAP does not report SMRR lock support" },
	{ 0xC0000914, DETAIL_GEN, "TDX_SMRR_NOT_SUPPORTED",
	  "IA32_MTRRCAP does not report SMRR support" },
	{ 0xC0000920, DETAIL_MSR, "TDX_INCONSISTENT_MSR",
	  "an MSR differs between logical processors" },
	{ 0xC0000921, DETAIL_MSR, "TDX_INCORRECT_MSR_VALUE",
	  "an MSR holds a value TDX does not accept" },
	{ 0xC0000930, DETAIL_GEN, "TDX_SEAMREPORT_NOT_AVAILABLE",
	  "SEAMREPORT is not available on this CPU" },
	{ 0xC0000931, DETAIL_GEN, "TDX_SEAMDB_GETREF_NOT_AVAILABLE",
	  "SEAMDB_GETREF is not available on this CPU" },
	{ 0xC0000932, DETAIL_GEN, "TDX_SEAMDB_REPORT_NOT_AVAILABLE",
	  "SEAMDB_REPORT is not available on this CPU" },
	{ 0xC0000933, DETAIL_GEN, "TDX_SEAMVERIFYREPORT_NOT_AVAILABLE",
	  "SEAMVERIFYREPORT is not available on this CPU" },
	{ 0xC0000A00, DETAIL_TDMR, "TDX_INVALID_TDMR",
	  "a TDMR's base or size is invalid (alignment, overflow, above max PA or in HKID bits)" },
	{ 0xC0000A01, DETAIL_TDMR, "TDX_NON_ORDERED_TDMR",
	  "TDMRs are not in ascending address order, or overlap the previous one" },
	{ 0xC0000A02, DETAIL_TDMR, "TDX_TDMR_OUTSIDE_CMRS",
	  "part of a TDMR not covered by reserved areas lies outside the CMRs" },
	{ 0x00000A03, DETAIL_GEN, "TDX_TDMR_ALREADY_INITIALIZED",
	  "the TDMR is already fully initialized" },
	{ 0xC0000A10, DETAIL_PAMT, "TDX_INVALID_PAMT",
	  "a PAMT's base or size is invalid (alignment, overflow, too small)" },
	{ 0xC0000A11, DETAIL_PAMT, "TDX_PAMT_OUTSIDE_CMRS",
	  "a PAMT lies outside the CMRs" },
	{ 0xC0000A12, DETAIL_PAMT_OVERLAP, "TDX_PAMT_OVERLAP",
	  "a PAMT overlaps another PAMT or a non-reserved part of a TDMR" },
	{ 0xC0000A20, DETAIL_RSVD, "TDX_INVALID_RESERVED_IN_TDMR",
	  "a reserved area is invalid (alignment, overflow, outside its TDMR)" },
	{ 0xC0000A21, DETAIL_RSVD, "TDX_NON_ORDERED_RESERVED_IN_TDMR",
	  "reserved areas are not in ascending order, overlap, or follow an empty slot" },
	{ 0xC0000A22, DETAIL_GEN, "TDX_CMR_LIST_INVALID",
	  "the CMR list from the BIOS (MCHECK) is invalid" },
	{ 0xC0000B00, DETAIL_GEN, "TDX_EPT_WALK_FAILED",
	  "the Secure EPT walk did not reach the requested level" },
	{ 0xC0000B01, DETAIL_GEN, "TDX_EPT_ENTRY_FREE",
	  "the Secure EPT entry is free" },
	{ 0xC0000B02, DETAIL_GEN, "TDX_EPT_ENTRY_NOT_FREE",
	  "the Secure EPT entry is already in use" },
	{ 0xC0000B03, DETAIL_GEN, "TDX_EPT_ENTRY_NOT_PRESENT",
	  "the Secure EPT entry is not present" },
	{ 0xC0000B04, DETAIL_GEN, "TDX_EPT_ENTRY_NOT_LEAF",
	  "the Secure EPT entry is not a leaf" },
	{ 0xC0000B05, DETAIL_GEN, "TDX_EPT_ENTRY_LEAF",
	  "the Secure EPT entry is a leaf" },
	{ 0xC0000B06, DETAIL_GEN, "TDX_GPA_RANGE_NOT_BLOCKED",
	  "the GPA range has not been blocked" },
	{ 0x00000B07, DETAIL_GEN, "TDX_GPA_RANGE_ALREADY_BLOCKED",
	  "the GPA range is already blocked" },
	{ 0xC0000B08, DETAIL_GEN, "TDX_TLB_TRACKING_NOT_DONE",
	  "TLB tracking (TDH.MEM.TRACK and vCPU exits) has not completed" },
	{ 0xC0000B09, DETAIL_GEN, "TDX_EPT_INVALID_PROMOTE_CONDITIONS",
	  "the pages cannot be promoted to a large page" },
	{ 0x00000B0A, DETAIL_GEN, "TDX_PAGE_ALREADY_ACCEPTED",
	  "the page was already accepted by the guest" },
	{ 0xC0000B0B, DETAIL_GEN, "TDX_PAGE_SIZE_MISMATCH",
	  "the page size does not match the Secure EPT mapping" },
	{ 0xC0000B0C, DETAIL_GEN, "TDX_GPA_RANGE_BLOCKED",
	  "the GPA range is blocked" },
	{ 0xC0000B0D, DETAIL_GEN, "TDX_EPT_ENTRY_STATE_INCORRECT",
	  "the Secure EPT entry's state does not allow this call" },
	{ 0xC0000B0E, DETAIL_GEN, "TDX_EPT_PAGE_NOT_FREE",
	  "the Secure EPT page still has entries in use" },
	{ 0xC0000B0F, DETAIL_GEN, "TDX_L2_SEPT_WALK_FAILED",
	  "the L2 Secure EPT walk failed" },
	{ 0xC0000B10, DETAIL_GEN, "TDX_L2_SEPT_ENTRY_NOT_FREE",
	  "the L2 Secure EPT entry is in use" },
	{ 0xC0000B11, DETAIL_GEN, "TDX_PAGE_ATTR_INVALID",
	  "the page attributes are invalid" },
	{ 0xC0000B12, DETAIL_GEN, "TDX_L2_SEPT_PAGE_NOT_PROVIDED",
	  "an L2 Secure EPT page was not provided" },
	{ 0xC0000C00, DETAIL_GEN, "TDX_METADATA_FIELD_ID_INCORRECT",
	  "the metadata field ID is unknown or malformed" },
	{ 0xC0000C01, DETAIL_GEN, "TDX_METADATA_FIELD_NOT_WRITABLE",
	  "the metadata field cannot be written" },
	{ 0xC0000C02, DETAIL_GEN, "TDX_METADATA_FIELD_NOT_READABLE",
	  "the metadata field cannot be read" },
	{ 0xC0000C03, DETAIL_GEN, "TDX_METADATA_FIELD_VALUE_NOT_VALID",
	  "the value written to the metadata field is invalid" },
	{ 0xC0000C04, DETAIL_GEN, "TDX_METADATA_LIST_OVERFLOW",
	  "the metadata list did not fit; more fields remain" },
	{ 0xC0000C05, DETAIL_GEN, "TDX_INVALID_METADATA_LIST_HEADER",
	  "the metadata list header is invalid" },
	{ 0xC0000C06, DETAIL_GEN, "TDX_REQUIRED_METADATA_FIELD_MISSING",
	  "a required metadata field is missing" },
	{ 0xC0000C07, DETAIL_GEN, "TDX_METADATA_ELEMENT_SIZE_INCORRECT",
	  "the metadata element size is wrong" },
	{ 0xC0000C08, DETAIL_GEN, "TDX_METADATA_LAST_ELEMENT_INCORRECT",
	  "the metadata last-element index is wrong" },
	{ 0xC0000C09, DETAIL_GEN, "TDX_METADATA_FIELD_CURRENTLY_NOT_WRITABLE",
	  "the metadata field cannot be written in the current state" },
	{ 0xC0000C0A, DETAIL_GEN, "TDX_METADATA_WR_MASK_NOT_VALID",
	  "the metadata write mask is invalid" },
	{ 0x00000C0B, DETAIL_GEN, "TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT",
	  "returned the first field ID of the context (a null field ID was given)" },
	{ 0x00000C0C, DETAIL_GEN, "TDX_METADATA_FIELD_SKIP",
	  "the metadata field was skipped" },
	{ 0xC0000C0D, DETAIL_GEN, "TDX_VIRTUAL_MSR_VALUE_NOT_VALID",
	  "the virtual MSR value is invalid" },
	{ 0xC0000C0E, DETAIL_GEN, "TDX_METADATA_FIELD_NOT_ALLOCATED",
	  "the metadata field's storage is not allocated" },
	{ 0xC0000D00, DETAIL_GEN, "TDX_SERVTD_ALREADY_BOUND_FOR_TYPE",
	  "a service TD of this type is already bound" },
	{ 0xC0000D01, DETAIL_GEN, "TDX_SERVTD_TYPE_MISMATCH",
	  "the service TD type does not match" },
	{ 0xC0000D02, DETAIL_GEN, "TDX_SERVTD_ATTR_MISMATCH",
	  "the service TD attributes do not match" },
	{ 0xC0000D03, DETAIL_GEN, "TDX_SERVTD_INFO_HASH_MISMATCH",
	  "the service TD info hash does not match" },
	{ 0xC0000D04, DETAIL_GEN, "TDX_SERVTD_UUID_MISMATCH",
	  "the service TD UUID does not match" },
	{ 0xC0000D05, DETAIL_GEN, "TDX_SERVTD_NOT_BOUND",
	  "no service TD is bound" },
	{ 0xC0000D06, DETAIL_GEN, "TDX_SERVTD_BOUND",
	  "a service TD is already bound" },
	{ 0xC0000D07, DETAIL_GEN, "TDX_TARGET_UUID_MISMATCH",
	  "the target TD UUID does not match" },
	{ 0xC0000D08, DETAIL_GEN, "TDX_TARGET_UUID_UPDATED",
	  "the target TD UUID was updated" },
	{ 0xC0000E00, DETAIL_GEN, "TDX_INVALID_MBMD",
	  "the migration bundle metadata (MBMD) is invalid" },
	{ 0xC0000E01, DETAIL_GEN, "TDX_INCORRECT_MBMD_MAC",
	  "the MBMD MAC is wrong" },
	{ 0xC0000E02, DETAIL_GEN, "TDX_NOT_WRITE_BLOCKED",
	  "the page is not write-blocked" },
	{ 0x00000E03, DETAIL_GEN, "TDX_ALREADY_WRITE_BLOCKED",
	  "the page is already write-blocked" },
	{ 0xC0000E04, DETAIL_GEN, "TDX_NOT_EXPORTED",
	  "the page has not been exported" },
	{ 0xC0000E05, DETAIL_GEN, "TDX_MIGRATION_STREAM_STATE_INCORRECT",
	  "the migration stream's state does not allow this call" },
	{ 0xC0000E06, DETAIL_GEN, "TDX_MAX_MIGS_NUM_EXCEEDED",
	  "too many migration streams" },
	{ 0xC0000E07, DETAIL_GEN, "TDX_EXPORTED_DIRTY_PAGES_REMAIN",
	  "exported pages are dirty and must be exported again" },
	{ 0xC0000E08, DETAIL_GEN, "TDX_MIGRATION_DECRYPTION_KEY_NOT_SET",
	  "the migration decryption key is not set" },
	{ 0xC0000E09, DETAIL_GEN, "TDX_TD_NOT_MIGRATABLE",
	  "the TD is not migratable" },
	{ 0xC0000E0A, DETAIL_GEN, "TDX_PREVIOUS_EXPORT_CLEANUP_INCOMPLETE",
	  "cleanup of a previous export is not complete" },
	{ 0xC0000E0B, DETAIL_GEN, "TDX_NUM_MIGS_HIGHER_THAN_CREATED",
	  "more migration streams requested than created" },
	{ 0xC0000E0C, DETAIL_GEN, "TDX_IMPORT_MISMATCH",
	  "imported state does not match" },
	{ 0xC0000E0D, DETAIL_GEN, "TDX_MIGRATION_EPOCH_OVERFLOW",
	  "the migration epoch overflowed" },
	{ 0xC0000E0E, DETAIL_GEN, "TDX_MAX_EXPORTS_EXCEEDED",
	  "too many exports" },
	{ 0xC0000E0F, DETAIL_GEN, "TDX_INVALID_PAGE_MAC",
	  "an imported page's MAC is wrong" },
	{ 0xC0000E10, DETAIL_GEN, "TDX_MIGRATED_IN_CURRENT_EPOCH",
	  "the page was already migrated in this epoch" },
	{ 0xC0000E11, DETAIL_GEN, "TDX_DISALLOWED_IMPORT_OVER_REMOVED",
	  "importing over a removed page is not allowed" },
	{ 0xC0000E12, DETAIL_GEN, "TDX_SOME_VCPUS_NOT_MIGRATED",
	  "some vCPUs have not been migrated" },
	{ 0xC0000E13, DETAIL_GEN, "TDX_ALL_VCPUS_IMPORTED",
	  "all vCPUs are already imported" },
	{ 0xC0000E14, DETAIL_GEN, "TDX_MIN_MIGS_NOT_CREATED",
	  "fewer migration streams than required were created" },
	{ 0xC0000E15, DETAIL_GEN, "TDX_VCPU_ALREADY_EXPORTED",
	  "the vCPU was already exported" },
	{ 0xC0000E16, DETAIL_GEN, "TDX_INVALID_MIGRATION_DECRYPTION_KEY",
	  "the migration decryption key is invalid" },
	{ 0xC0000E22, DETAIL_GEN, "TDX_INCOMPATIBLE_MBMD_MAC_CONTEXT",
	  "the MBMD MAC context is incompatible" },
	{ 0xC0001000, DETAIL_GEN, "TDX_INVALID_CPUSVN",
	  "the CPU security version (CPUSVN) is invalid" },
	{ 0xC0001001, DETAIL_GEN, "TDX_INVALID_REPORTMACSTRUCT",
	  "the REPORTMACSTRUCT is invalid" },
	{ 0x00001100, DETAIL_GEN, "TDX_L2_EXIT_HOST_ROUTED_ASYNC",
	  "an L2 VM exit was routed to the host (asynchronous)" },
	{ 0x00001101, DETAIL_GEN, "TDX_L2_EXIT_HOST_ROUTED_TDVMCALL",
	  "an L2 TDVMCALL was routed to the host" },
	{ 0x00001102, DETAIL_GEN, "TDX_L2_EXIT_PENDING_INTERRUPT",
	  "an L2 exit because an interrupt is pending" },
	{ 0x80001103, DETAIL_GEN, "TDX_L2_VM_ENTRY_FAILED",
	  "entry into the L2 VM failed" },
	{ 0x00001120, DETAIL_GEN, "TDX_PENDING_INTERRUPT",
	  "an interrupt is pending" },
	{ 0x00001140, DETAIL_GEN, "TDX_TD_EXIT_BEFORE_L2_ENTRY",
	  "the TD exited before entering the L2 VM" },
	{ 0x00001141, DETAIL_GEN, "TDX_TD_EXIT_ON_L2_VM_EXIT",
	  "the TD exited on an L2 VM exit" },
	{ 0x00001142, DETAIL_GEN, "TDX_TD_EXIT_ON_L2_TO_L1",
	  "the TD exited on an L2-to-L1 transition" },
	{ 0xC0001160, DETAIL_GEN, "TDX_GLA_NOT_CANONICAL",
	  "a guest linear address is not canonical" },};

/* Linux's own codes for a SEAMCALL that never reached a module
 * (arch/x86/include/asm/tdx.h: TDX_SW_ERROR | ...). The causes follow the
 * kernel's handling of them in arch/x86/virt/vmx/tdx/tdx.c. */
struct sw_code {
	uint64_t value;
	const char *name;
	const char *meaning;
	const char *cause;
};

static const struct sw_code sw_codes[] = {
	{ TDXSIM_TDX_SEAMCALL_VMFAILINVALID, "TDX_SEAMCALL_VMFAILINVALID",
	  "the SEAMCALL instruction failed with VMfailInvalid, so no TDX module ran",
	  "no TDX module is loaded (the SEAM loader did not load one, or TDX is "
	  "not enabled in the BIOS); this value comes from Linux, not from a module" },
	{ TDXSIM_TDX_SEAMCALL_GP, "TDX_SEAMCALL_GP",
	  "the SEAMCALL instruction raised #GP",
	  "TDX is not enabled by the BIOS (SEAM range not configured); "
	  "this value comes from Linux, not from a module" },
	{ TDXSIM_TDX_SEAMCALL_UD, "TDX_SEAMCALL_UD",
	  "the SEAMCALL instruction raised #UD",
	  "the CPU was not in VMX operation (no VMXON) when SEAMCALL ran: a host "
	  "kernel bug; this value comes from Linux, not from a module" },
};

struct named_number {
	unsigned number;
	const char *name;
};

/* Classes (bits 47:40), named after how the module source groups the
 * codes in tdx_error_codes_defs.h. */
static const struct named_number class_names[] = {
	{ 0x00, "general and TD entry/exit" },
	{ 0x01, "operand" },
	{ 0x02, "busy or resource contention" },
	{ 0x03, "physical page metadata (PAMT)" },
	{ 0x04, "TD pages" },
	{ 0x05, "system (module) state" },
	{ 0x06, "TD state" },
	{ 0x07, "vCPU state" },
	{ 0x08, "key management (HKID)" },
	{ 0x09, "platform configuration (CPUID, MSR, SMRR, SEAM)" },
	{ 0x0A, "TDMR, PAMT and CMR configuration" },
	{ 0x0B, "Secure EPT" },
	{ 0x0C, "metadata" },
	{ 0x0D, "service TD" },
	{ 0x0E, "migration" },
	{ 0x10, "attestation" },
	{ 0x11, "L2 VM and TD exit" },
	{ CLASS_SW_ERROR, "Linux software error (not from the module)" },
};

static const struct named_number leaf_names[] = {
	{ 0, "TDH.VP.ENTER" },
	{ 1, "TDH.MNG.ADDCX" },
	{ 2, "TDH.MEM.PAGE.ADD" },
	{ 3, "TDH.MEM.SEPT.ADD" },
	{ 4, "TDH.VP.ADDCX" },
	{ 5, "TDH.MEM.PAGE.RELOCATE" },
	{ 6, "TDH.MEM.PAGE.AUG" },
	{ 7, "TDH.MEM.RANGE.BLOCK" },
	{ 8, "TDH.MNG.KEY.CONFIG" },
	{ 9, "TDH.MNG.CREATE" },
	{ 10, "TDH.VP.CREATE" },
	{ 11, "TDH.MNG.RD" },
	{ 12, "TDH.MEM.RD" },
	{ 13, "TDH.MNG.WR" },
	{ 14, "TDH.MEM.WR" },
	{ 15, "TDH.MEM.PAGE.DEMOTE" },
	{ 16, "TDH.MR.EXTEND" },
	{ 17, "TDH.MR.FINALIZE" },
	{ 18, "TDH.VP.FLUSH" },
	{ 19, "TDH.MNG.VPFLUSHDONE" },
	{ 20, "TDH.MNG.KEY.FREEID" },
	{ 21, "TDH.MNG.INIT" },
	{ 22, "TDH.VP.INIT" },
	{ 23, "TDH.MEM.PAGE.PROMOTE" },
	{ 24, "TDH.PHYMEM.PAGE.RDMD" },
	{ 25, "TDH.MEM.SEPT.RD" },
	{ 26, "TDH.VP.RD" },
	{ 27, "TDH.MNG.KEY.RECLAIMID" },
	{ 28, "TDH.PHYMEM.PAGE.RECLAIM" },
	{ 29, "TDH.MEM.PAGE.REMOVE" },
	{ 30, "TDH.MEM.SEPT.REMOVE" },
	{ 31, "TDH.SYS.KEY.CONFIG" },
	{ 32, "TDH.SYS.INFO" },
	{ 33, "TDH.SYS.INIT" },
	{ 34, "TDH.SYS.RD" },
	{ 35, "TDH.SYS.LP.INIT" },
	{ 36, "TDH.SYS.TDMR.INIT" },
	{ 37, "TDH.SYS.RDALL" },
	{ 38, "TDH.MEM.TRACK" },
	{ 39, "TDH.MEM.RANGE.UNBLOCK" },
	{ 40, "TDH.PHYMEM.CACHE.WB" },
	{ 41, "TDH.PHYMEM.PAGE.WBINVD" },
	{ 42, "TDH.MEM.SEPT.WR" },
	{ 43, "TDH.VP.WR" },
	{ 44, "TDH.SYS.LP.SHUTDOWN" },
	{ 45, "TDH.SYS.CONFIG" },
	{ 48, "TDH.SERVTD.BIND" },
	{ 49, "TDH.SERVTD.PREBIND" },
	{ 52, "TDH.SYS.SHUTDOWN" },
	{ 53, "TDH.SYS.UPDATE" },
	{ 58, "TDH.PHYMEM.PAMT.ADD" },
	{ 59, "TDH.PHYMEM.PAMT.REMOVE" },
	{ 64, "TDH.EXPORT.ABORT" },
	{ 65, "TDH.EXPORT.BLOCKW" },
	{ 66, "TDH.EXPORT.RESTORE" },
	{ 68, "TDH.EXPORT.MEM" },
	{ 70, "TDH.EXPORT.PAUSE" },
	{ 71, "TDH.EXPORT.TRACK" },
	{ 72, "TDH.EXPORT.STATE.IMMUTABLE" },
	{ 73, "TDH.EXPORT.STATE.TD" },
	{ 74, "TDH.EXPORT.STATE.VP" },
	{ 75, "TDH.EXPORT.UNBLOCKW" },
	{ 80, "TDH.IMPORT.ABORT" },
	{ 81, "TDH.IMPORT.END" },
	{ 82, "TDH.IMPORT.COMMIT" },
	{ 83, "TDH.IMPORT.MEM" },
	{ 84, "TDH.IMPORT.TRACK" },
	{ 85, "TDH.IMPORT.STATE.IMMUTABLE" },
	{ 86, "TDH.IMPORT.STATE.TD" },
	{ 87, "TDH.IMPORT.STATE.VP" },
	{ 96, "TDH.MIG.STREAM.CREATE" },};

static const struct named_number operand_names[] = {
	{ 0, "RAX" },
	{ 1, "RCX" },
	{ 2, "RDX" },
	{ 3, "RBX" },
	{ 5, "RBP" },
	{ 6, "RSI" },
	{ 7, "RDI" },
	{ 8, "R8" },
	{ 9, "R9" },
	{ 10, "R10" },
	{ 11, "R11" },
	{ 12, "R12" },
	{ 13, "R13" },
	{ 14, "R14" },
	{ 15, "R15" },
	{ 64, "ATTRIBUTES" },
	{ 65, "XFAM" },
	{ 66, "EXEC_CONTROLS" },
	{ 67, "EPTP_CONTROLS" },
	{ 68, "MAX_VCPUS" },
	{ 69, "CPUID_CONFIG" },
	{ 70, "TSC_FREQUENCY" },
	{ 71, "NUM_L2_VMS" },
	{ 72, "IA32_ARCH_CAPABILITIES_CONFIG" },
	{ 95, "PAGE" },
	{ 96, "TDMR_INFO_PA" },
	{ 97, "GPA_LIST_ENTRY" },
	{ 98, "MIG_BUFF_LIST_ENTRY" },
	{ 99, "NEW_PAGE_LIST_ENTRY" },
	{ 128, "TDR" },
	{ 129, "TDCX" },
	{ 130, "TDVPR" },
	{ 132, "REG_PAGE" },
	{ 144, "TDCS" },
	{ 145, "TDVPS" },
	{ 146, "SEPT_TREE" },
	{ 147, "SEPT_ENTRY" },
	{ 168, "RTMR" },
	{ 169, "TD_EPOCH" },
	{ 170, "L2_VAPIC_GPA" },
	{ 171, "MIGSC" },
	{ 172, "OP_STATE" },
	{ 173, "MIG" },
	{ 174, "SERVTD_BINDINGS" },
	{ 176, "METADATA_FIELD" },
	{ 177, "NUM_VCPUS" },
	{ 178, "CPUID_FIXED0_BITMAP" },
	{ 184, "SYS" },
	{ 185, "TDMR" },
	{ 186, "KOT" },
	{ 187, "KET" },
	{ 188, "WBCACHE" },
};

/* MSRs the 1.5 module names in TDX_INCORRECT_MSR_VALUE / TDX_INCONSISTENT_MSR
 * (tdh_sys_init.c, tdh_sys_lp_init.c; addresses from x86_defs.h, smrrs.h
 * and the Intel SDM), plus IA32_TSX_CTRL which 1.0 modules report
 * (canonical/tdx #25). hint: the firmware setting behind it, if any. */
struct msr_name {
	uint32_t index;
	const char *name;
	const char *hint;
};

static const struct msr_name msr_names[] = {
	{ 0x3A, "IA32_FEATURE_CONTROL", "VMX/SGX enable and lock, set by the BIOS" },
	{ 0x3B, "IA32_TSC_ADJUST",
	  "the BIOS or OS wrote different TSC_ADJUST values on different CPUs" },
	{ 0x48, "IA32_SPEC_CTRL", NULL },
	{ 0x87, "IA32_MKTME_KEYID_PARTITIONING",
	  "the MKTME/TDX KeyID split configured in the BIOS" },
	{ 0x98, "IA32_WBINVDP", "CPU/microcode" },
	{ 0x99, "IA32_WBNOINVDP", "CPU/microcode" },
	{ 0xBC, "IA32_MISC_PACKAGE_CTLS", "energy filtering, which the BIOS must enable" },
	{ 0xBD, "IA32_XAPIC_DISABLE_STATUS",
	  "legacy xAPIC must be disabled (x2APIC only), a BIOS setting" },
	{ 0xCF, "IA32_CORE_CAPABILITIES", "CPU/microcode" },
	{ 0xFE, "IA32_MTRRCAP", "SMRR support as the CPU and BIOS report it" },
	{ 0x10A, "IA32_ARCH_CAPABILITIES", "CPU/microcode" },
	{ 0x122, "IA32_TSX_CTRL", "the BIOS TSX setting" },
	{ 0x1A0, "IA32_MISC_ENABLE", "BIOS settings such as Limit CPUID Maxval" },
	{ 0x1F2, "IA32_SMRR_PHYSBASE", "the SMRR the BIOS programs for SMM" },
	{ 0x1F3, "IA32_SMRR_PHYSMASK", "the SMRR the BIOS programs for SMM" },
	{ 0x1F6, "IA32_SMRR2_PHYSBASE", "the SMRR2 the BIOS programs for SMM" },
	{ 0x1F7, "IA32_SMRR2_PHYSMASK", "the SMRR2 the BIOS programs for SMM" },
	{ 0x345, "IA32_PERF_CAPABILITIES", "CPU/microcode" },
	{ 0x480, "IA32_VMX_BASIC", "CPU/microcode VMX capabilities" },
	{ 0x485, "IA32_VMX_MISC", "CPU/microcode VMX capabilities" },
	{ 0x486, "IA32_VMX_CR0_FIXED0", "CPU/microcode VMX capabilities" },
	{ 0x487, "IA32_VMX_CR0_FIXED1", "CPU/microcode VMX capabilities" },
	{ 0x488, "IA32_VMX_CR4_FIXED0", "CPU/microcode VMX capabilities" },
	{ 0x489, "IA32_VMX_CR4_FIXED1", "CPU/microcode VMX capabilities" },
	{ 0x48B, "IA32_VMX_PROCBASED_CTLS2", "CPU/microcode VMX capabilities" },
	{ 0x48C, "IA32_VMX_EPT_VPID_CAP", "CPU/microcode VMX capabilities" },
	{ 0x48D, "IA32_VMX_TRUE_PINBASED_CTLS", "CPU/microcode VMX capabilities" },
	{ 0x48E, "IA32_VMX_TRUE_PROCBASED_CTLS", "CPU/microcode VMX capabilities" },
	{ 0x48F, "IA32_VMX_TRUE_EXIT_CTLS", "CPU/microcode VMX capabilities" },
	{ 0x490, "IA32_VMX_TRUE_ENTRY_CTLS", "CPU/microcode VMX capabilities" },
	{ 0x492, "IA32_VMX_PROCBASED_CTLS3", "CPU/microcode VMX capabilities" },
	{ 0x981, "IA32_TME_CAPABILITY", "CPU/microcode TME capabilities" },
	{ 0x982, "IA32_TME_ACTIVATE", "TME/MKTME enable and encryption algorithm in the BIOS" },
	{ 0x1400, "IA32_SEAMRR_PHYS_BASE", "the SEAM range the BIOS reserves" },
	{ 0x1401, "IA32_SEAMRR_PHYS_MASK", "the SEAM range the BIOS reserves" },
};

/* Causes tied to one code, where the class default would mislead. */
struct code_cause {
	uint32_t code;
	const char *cause;
};

static const struct code_cause code_causes[] = {
	{ CODE_OF(TDXSIM_TDX_KEY_CONFIGURED),
	  "not a problem: this package already has the global key; Linux treats it as success" },
	{ CODE_OF(TDXSIM_TDX_TDMR_ALREADY_INITIALIZED),
	  "not a problem: the TDMR is fully initialized, stop calling TDH.SYS.TDMR.INIT for it" },
	{ CODE_OF(TDXSIM_TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT),
	  "not a problem: RDX holds the first field ID to read" },
	{ CODE_OF(TDXSIM_TDX_CMR_LIST_INVALID),
	  "firmware: the CMR list the BIOS (MCHECK) handed over is malformed "
	  "(unaligned, overlapping or out of order); update the BIOS" },
	{ CODE_OF(TDXSIM_TDX_SYS_SHUTDOWN),
	  "the module was shut down (TDH.SYS.SHUTDOWN, e.g. for an update); load a module again" },
	{ CODE_OF(TDXSIM_TDX_SYS_INCOMPATIBLE_SIGSTRUCT),
	  "the module binary does not match what the SEAM loader expects; "
	  "install a module built for this loader and platform" },
	{ CODE_OF(TDXSIM_TDX_INCOMPATIBLE_SEAM_CAPABILITIES),
	  "the CPU/SEAM loader lacks capabilities this module needs; "
	  "update the BIOS and microcode" },
	{ CODE_OF(TDXSIM_TDX_SYS_INVALID_HANDOFF),
	  "the TD-preserving update handoff data is invalid: "
	  "the old and new module versions do not match" },
	{ CODE_OF(TDXSIM_TDX_CRYPTO_SELF_TEST_FAILED),
	  "hardware or firmware fault: the module's crypto self test failed" },
	{ CODE_OF(TDXSIM_TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED),
	  "firmware: the BIOS activates more KeyIDs than the module supports; "
	  "lower the TDX KeyID count" },
	{ CODE_OF(TDXSIM_TDX_PAGE_METADATA_INCORRECT),
	  "host bookkeeping bug: the page's PAMT state (type, owner or size) is not what the "
	  "call expects, e.g. reclaiming a page twice or in the wrong order" },
	{ CODE_OF(TDXSIM_TDX_OPERAND_INVALID),
	  "the host (kernel or VMM) passed a bad value in the named operand: a host bug, or "
	  "a host built for another module version's ABI" },
};

static const char *
find_named(const struct named_number *table, size_t n, unsigned number)
{
	for (size_t i = 0; i < n; i++) {
		if (table[i].number == number)
			return table[i].name;
	}
	return NULL;
}

static const struct sw_code *
find_sw_code(uint64_t status)
{
	/* Class 0xFF codes differ only in bits 31:0, so match whole words. */
	for (size_t i = 0; i < ARRAY_LENGTH(sw_codes); i++) {
		if (sw_codes[i].value == status)
			return &sw_codes[i];
	}
	return NULL;
}

static const struct status_code *
find_exact(uint32_t code)
{
	for (size_t i = 0; i < ARRAY_LENGTH(status_codes); i++) {
		if (status_codes[i].code == code)
			return &status_codes[i];
	}
	return NULL;
}

/*
 * A word whose flags (62:48) differ from the 1.5 table still names its code
 * when ERROR and class/L1 agree: Linux and 1.0 spell TDX_NON_RECOVERABLE_TD
 * without FATAL (api_error_code_t). Success is matched exactly only, so
 * that an odd flag-only word is not called a success.
 */
static const struct status_code *
find_code(uint64_t status)
{
	const struct status_code *c = find_exact(CODE_OF(status));
	uint64_t key = status & (BIT_ERROR | CLASS_AND_L1);

	if (c || CLASS_OF(status) == CLASS_SW_ERROR)
		return c;
	for (size_t i = 1; i < ARRAY_LENGTH(status_codes); i++) {
		uint64_t v = (uint64_t)status_codes[i].code << 32;

		if ((v & (BIT_ERROR | CLASS_AND_L1)) == key)
			return &status_codes[i];
	}
	return NULL;
}

TDXSIM_EXPORT const char *
tdxsim_status_name(uint64_t status)
{
	const struct sw_code *sw = find_sw_code(status);
	const struct status_code *c;

	if (sw)
		return sw->name;
	c = find_code(status);
	return c ? c->name : NULL;
}

TDXSIM_EXPORT const char *
tdxsim_seamcall_leaf_name(unsigned leaf)
{
	return find_named(leaf_names, ARRAY_LENGTH(leaf_names), leaf);
}

static const struct msr_name *
find_msr(uint32_t index)
{
	for (size_t i = 0; i < ARRAY_LENGTH(msr_names); i++) {
		if (msr_names[i].index == index)
			return &msr_names[i];
	}
	return NULL;
}

/* ---- the paragraph, one line per aspect ---- */

static void
put_headline(struct tdxsim_strbuf *b, uint64_t status,
	     const struct status_code *c)
{
	tdxsim_strbuf_printf(b, "0x%016" PRIx64 ": ", status);
	if (!c) {
		tdxsim_strbuf_printf(b, "unknown status code 0x%08" PRIX32
				     " (not in the TDX module 1.5 tables).",
				     CODE_OF(status));
		return;
	}
	tdxsim_strbuf_printf(b, "%s: %s.", c->name, c->meaning);
	if (c->code != CODE_OF(status))
		tdxsim_strbuf_printf(b, " (Module 1.5 spells it 0x%08" PRIX32
				     "00000000; the flag bits differ.)", c->code);
}

/* leaf is RAX as the caller passed it: leaf in 15:0, version in 23:16. */
static void
put_leaf(struct tdxsim_strbuf *b, int leaf)
{
	unsigned number = (unsigned)leaf & 0xFFFF;
	unsigned version = ((unsigned)leaf >> 16) & 0xFF;
	const char *name = tdxsim_seamcall_leaf_name(number);

	if (leaf < 0)
		return;
	tdxsim_strbuf_puts(b, "\nSEAMCALL: ");
	if (name)
		tdxsim_strbuf_printf(b, "%s (leaf %u", name, number);
	else
		tdxsim_strbuf_printf(b, "leaf %u (not a TDX module 1.5 leaf", number);
	if (version)
		tdxsim_strbuf_printf(b, ", version %u", version);
	tdxsim_strbuf_puts(b, ").");
}

static const char *
severity_summary(uint64_t status)
{
	if (status == 0)
		return "success";
	if (!(status & BIT_ERROR))
		return (status & BIT_NON_RECOVERABLE) ?
			"not an error for the call, but the TD or vCPU can no longer run" :
			"not an error: the call completed with extra information";
	if (status & BIT_NON_RECOVERABLE)
		return "non-recoverable error: the same call in the same state fails again";
	return "recoverable error: the call may succeed when retried or once the condition clears";
}

static void
put_flag(struct tdxsim_strbuf *b, uint64_t status, uint64_t bit,
	 const char *text, bool *first)
{
	if (!(status & bit))
		return;
	tdxsim_strbuf_printf(b, "%s%s", *first ? "" : ", ", text);
	*first = false;
}

static void
put_severity(struct tdxsim_strbuf *b, uint64_t status)
{
	bool first = true;

	tdxsim_strbuf_printf(b, "\nSeverity: %s", severity_summary(status));
	if (status & (BIT_ERROR | BIT_NON_RECOVERABLE | BIT_FATAL | BIT_HOST_HINT)) {
		tdxsim_strbuf_puts(b, " (bits: ");
		put_flag(b, status, BIT_ERROR, "63 ERROR", &first);
		put_flag(b, status, BIT_NON_RECOVERABLE, "62 NON_RECOVERABLE", &first);
		put_flag(b, status, BIT_FATAL, "61 FATAL", &first);
		put_flag(b, status, BIT_HOST_HINT, "60 HOST_RECOVERABILITY_HINT", &first);
		tdxsim_strbuf_puts(b, ")");
	}
	tdxsim_strbuf_puts(b, ".");
	if (status & BIT_FATAL)
		tdxsim_strbuf_puts(b, " FATAL: the TD (or the module) is unusable.");
	if (status & RESERVED_BITS)
		tdxsim_strbuf_printf(b, " Reserved bits 59:48 are set (0x%03" PRIx64
				     "): probably not a TDX status word.",
				     (uint64_t)((status & RESERVED_BITS) >> 48));
}

static void
put_class(struct tdxsim_strbuf *b, uint64_t status)
{
	const char *name = find_named(class_names, ARRAY_LENGTH(class_names),
				      CLASS_OF(status));

	tdxsim_strbuf_printf(b, "\nClass: 0x%02X %s; code 0x%08" PRIX32
			     ", details (bits 31:0) 0x%08" PRIX32 ".",
			     CLASS_OF(status), name ? name : "(unknown class)",
			     CODE_OF(status), DETAILS_OF(status));
}

/* ---- details: bits 31:0 per code family ---- */

static void
put_operand(struct tdxsim_strbuf *b, uint32_t id)
{
	const char *name = find_named(operand_names, ARRAY_LENGTH(operand_names), id);

	if (name)
		tdxsim_strbuf_printf(b, "operand %s (0x%" PRIX32 ")", name, id);
	else
		tdxsim_strbuf_printf(b, "operand id 0x%" PRIX32 " (unknown)", id);
}

/* PT_4KB=0, PT_2MB=1, PT_1GB=2 (tdh_sys_config.c). */
static const char *
pamt_level_name(unsigned level)
{
	static const char *const names[] = { "4K", "2M", "1G" };

	return level < ARRAY_LENGTH(names) ? names[level] : "unknown level";
}

/* Bytes the encoding leaves 0; a non-zero one means a different producer. */
static void
put_unused_bytes(struct tdxsim_strbuf *b, uint32_t d, unsigned used_bytes)
{
	uint32_t rest = used_bytes >= 4 ? 0 : d >> (8 * used_bytes);

	if (rest)
		tdxsim_strbuf_printf(b, " Bits 31:%u are 0x%" PRIX32
				     ", which this code does not normally set.",
				     8 * used_bytes, rest);
}

static void
put_generic_details(struct tdxsim_strbuf *b, uint32_t d)
{
	const char *name = find_named(operand_names, ARRAY_LENGTH(operand_names), d);

	/* Most codes are built with api_error_with_operand_id(), so a small
	 * value is most likely an operand; say so without claiming it. */
	tdxsim_strbuf_printf(b, "\nDetails: 0x%08" PRIX32, d);
	if (name)
		tdxsim_strbuf_printf(b, " (as an operand id: %s)", name);
	tdxsim_strbuf_puts(b, ".");
}

static void
put_pamt_overlap(struct tdxsim_strbuf *b, uint32_t d)
{
	unsigned i = BYTE_OF(d, 0), pt = BYTE_OF(d, 1), j = BYTE_OF(d, 2);

	/* Rules O1-O4 (check_and_set_tdmrs()) all put the PAMT's owner in
	 * [7:0] and the other TDMR in [23:16]; O4 swaps which one is the
	 * entry under check, so only "the higher index" can be stated. */
	tdxsim_strbuf_printf(b, "\nDetails: TDMR %u, PAMT level %u (%s), TDMR %u: the %s PAMT "
			     "of TDMR %u overlaps ", i, pt, pamt_level_name(pt), j,
			     pamt_level_name(pt), i);
	if (i == j)
		tdxsim_strbuf_printf(b, "another PAMT of TDMR %u or a part of it not "
				     "covered by reserved areas.", i);
	else
		tdxsim_strbuf_printf(b, "a PAMT of TDMR %u or a part of TDMR %u not covered "
				     "by reserved areas. The TDMR_INFO entry that failed is "
				     "%u (the higher index).", j, j, i > j ? i : j);
	put_unused_bytes(b, d, 3);
}

static void
put_msr(struct tdxsim_strbuf *b, uint32_t d)
{
	const struct msr_name *m = find_msr(d);

	tdxsim_strbuf_printf(b, "\nDetails: MSR 0x%" PRIX32 " (%s).", d,
			     m ? m->name : "not a well-known MSR");
}

static void
put_cpuid_regs(struct tdxsim_strbuf *b, uint32_t d)
{
	/* check_cpuid_configurations() / compare_cpuid_configuration()
	 * return the bare code and leave the evidence in output registers. */
	tdxsim_strbuf_puts(b, "\nDetails: the status word does not carry the CPUID leaf; the "
			   "module returns it in RCX (leaf in bits 31:0, subleaf in 63:32), "
			   "the checked bit mask in RDX/R8 and, from TDH.SYS.INIT, the "
			   "required value in R9/R10.");
	put_unused_bytes(b, d, 0);
}

static void
put_cpuid_leaf(struct tdxsim_strbuf *b, uint32_t d)
{
	if (d == 0)
		tdxsim_strbuf_puts(b, "\nDetails: 0, which the 1.5 module uses when CPUID "
				   "leaf 0x1F (topology) has no usable sub-leaves.");
	else
		tdxsim_strbuf_printf(b, "\nDetails: CPUID leaf 0x%" PRIX32 ": the CPU does not "
				     "support it, or its highest basic/extended leaf is lower.",
				     d);
}

static const char *
smrr_name(unsigned index)
{
	return index == 0 ? "SMRR" : index == 1 ? "SMRR2" : "unknown SMRR";
}

static void
put_details_tdmr(struct tdxsim_strbuf *b, const struct status_code *c, uint32_t d)
{
	unsigned i = BYTE_OF(d, 0), x = BYTE_OF(d, 1);

	switch (c->detail) {
	case DETAIL_TDMR:
		tdxsim_strbuf_printf(b, "\nDetails: TDMR index %u.", i);
		put_unused_bytes(b, d, 1);
		break;
	case DETAIL_RSVD:
		tdxsim_strbuf_printf(b, "\nDetails: reserved area %u of TDMR %u.", x, i);
		if (c->code == CODE_OF(TDXSIM_TDX_NON_ORDERED_RESERVED_IN_TDMR))
			tdxsim_strbuf_puts(b, " (When an empty slot is followed by a used "
					   "one, the index is the empty slot's.)");
		put_unused_bytes(b, d, 2);
		break;
	case DETAIL_PAMT:
		tdxsim_strbuf_printf(b, "\nDetails: TDMR %u, PAMT level %u: "
				     "the %s PAMT of TDMR %u.", i, x, pamt_level_name(x), i);
		put_unused_bytes(b, d, 2);
		break;
	default:
		put_pamt_overlap(b, d);
		break;
	}
}

static void
put_details_platform(struct tdxsim_strbuf *b, const struct status_code *c, uint32_t d)
{
	switch (c->detail) {
	case DETAIL_MSR:
		put_msr(b, d);
		break;
	case DETAIL_CPUID_REGS:
		put_cpuid_regs(b, d);
		break;
	case DETAIL_CPUID_LEAF:
		put_cpuid_leaf(b, d);
		break;
	case DETAIL_SMRR:
		tdxsim_strbuf_printf(b, "\nDetails: SMRR index %" PRIu32 " (%s).", d,
				     smrr_name(d));
		break;
	case DETAIL_SMRR_CMR:
		tdxsim_strbuf_printf(b, "\nDetails: %s (SMRR index %u) overlaps CMR %u.",
				     smrr_name(BYTE_OF(d, 0)), BYTE_OF(d, 0), BYTE_OF(d, 1));
		put_unused_bytes(b, d, 2);
		break;
	case DETAIL_PKG:
		tdxsim_strbuf_printf(b, "\nDetails: package ID %" PRIu32 ".", d);
		break;
	case DETAIL_PAMT_PAGE:
		/* tdh_phymem_pamt_remove() puts the page index here, not an
		 * operand id. */
		tdxsim_strbuf_printf(b, "\nDetails: PAMT page %" PRIu32 " of the pair (the entries of the range's %s 1 MiB) holds an entry in use.",
				     d, d == 0 ? "first" : "second");
		break;
	default:
		tdxsim_strbuf_printf(b, "\nDetails: the module supports HKIDs below %" PRIu32
				     " only.", d);
		break;
	}
}

static void
put_details(struct tdxsim_strbuf *b, const struct status_code *c, uint32_t d)
{
	enum detail_kind k = c ? c->detail : DETAIL_GEN;

	if (k == DETAIL_OPERAND) {
		tdxsim_strbuf_puts(b, "\nDetails: ");
		put_operand(b, d);
		tdxsim_strbuf_puts(b, ".");
	} else if (k >= DETAIL_TDMR && k <= DETAIL_PAMT_OVERLAP) {
		put_details_tdmr(b, c, d);
	} else if (k >= DETAIL_MSR) {
		put_details_platform(b, c, d);
	} else if (d != 0) {
		put_generic_details(b, d);
	}
}

/* ---- likely cause ---- */

static bool
is_one_of(uint64_t status, uint64_t a, uint64_t b)
{
	return CODE_OF(status) == CODE_OF(a) || CODE_OF(status) == CODE_OF(b);
}

/*
 * TDX_SYS_NOT_READY: before SYS_READY only the SYS.* init leaves pass the
 * dispatcher (tdx_vmm_dispatcher.c). TDH.SYS.RD and
 * RDALL pass on 1.5, so seeing it for them means a 1.0 module, which does
 * not know these leaves (canonical/tdx #331).
 */
static void
put_not_ready_cause(struct tdxsim_strbuf *b, int leaf)
{
	unsigned number = (unsigned)leaf & 0xFFFF;

	if (leaf >= 0 && (number == TDXSIM_TDH_SYS_RD || number == TDXSIM_TDH_SYS_RDALL))
		tdxsim_strbuf_printf(b, "module too old for this kernel. %s exists from TDX "
				     "module 1.5; a 1.0 module treats it as a leaf that is not "
				     "allowed before initialization finishes and returns "
				     "TDX_SYS_NOT_READY (canonical/tdx #331). Update the TDX "
				     "module (Linux initializes only 1.5 and later).",
				     tdxsim_seamcall_leaf_name(number));
	else if (leaf >= 0)
		tdxsim_strbuf_puts(b, "calls out of order: this leaf needs the module to be "
				   "ready (TDH.SYS.KEY.CONFIG done on every package), so "
				   "initialization failed earlier or the host skipped a step "
				   "(host kernel bug).");
	else
		tdxsim_strbuf_puts(b, "either the host called this leaf before initialization "
				   "finished (host kernel bug, or an earlier step failed), or, for "
				   "TDH.SYS.RD/RDALL (leaves 34/37), the module is a 1.0 module "
				   "too old for this kernel (canonical/tdx #331).");
}

static void
put_platform_cause(struct tdxsim_strbuf *b, const struct status_code *c,
		   uint64_t status)
{
	const struct msr_name *m = c && c->detail == DETAIL_MSR ?
				   find_msr(DETAILS_OF(status)) : NULL;

	tdxsim_strbuf_puts(b, "platform firmware (BIOS) settings or an old BIOS/microcode. "
			   "The module checks CPUID, MSRs, SMRRs and key setup at TDH.SYS.INIT "
			   "and their consistency at every TDH.SYS.LP.INIT. Update the BIOS "
			   "and check its TDX settings (TME, MKTME, TDX KeyID split, "
			   "SEAM loader).");
	if (m && m->hint)
		tdxsim_strbuf_printf(b, " %s is governed by %s.", m->name, m->hint);
	if (is_one_of(status, TDXSIM_TDX_INCONSISTENT_MSR, TDXSIM_TDX_INCONSISTENT_CPUID_FIELD))
		tdxsim_strbuf_puts(b, " The value differs between CPUs: look for per-socket "
				   "BIOS settings or mixed microcode.");
}

static const char *
find_code_cause(uint64_t status)
{
	for (size_t i = 0; i < ARRAY_LENGTH(code_causes); i++) {
		if (code_causes[i].code == CODE_OF(status))
			return code_causes[i].cause;
	}
	return NULL;
}

static bool
is_transient(uint64_t status)
{
	return CLASS_OF(status) == 0x02 ||
	       is_one_of(status, TDXSIM_TDX_KEY_GENERATION_FAILED,
			 TDXSIM_TDX_INTERRUPTED_RESUMABLE) ||
	       is_one_of(status, TDXSIM_TDX_INTERRUPTED_RESTARTABLE,
			 TDXSIM_TDX_INTERRUPTED_PAMT);
}

/* Class-wide causes, after the per-code ones. */
static void
put_class_cause(struct tdxsim_strbuf *b, const struct status_code *c,
		uint64_t status)
{
	unsigned cls = CLASS_OF(status);

	if (cls == 0x09)
		put_platform_cause(b, c, status);
	else if (cls == 0x0A)
		tdxsim_strbuf_puts(b, "a host kernel bug in the TDMR/PAMT layout it passed to "
				   "TDH.SYS.CONFIG (or a kernel that mishandles this memory map). "
				   "Replay the E820/CMR map with tdxsim to see the layout.");
	else if (cls == 0x05)
		tdxsim_strbuf_puts(b, "initialization SEAMCALLs out of order or repeated: a host "
				   "kernel bug, or a retry after an earlier step failed.");
	else if (!(status & BIT_ERROR) && (status & BIT_NON_RECOVERABLE))
		tdxsim_strbuf_puts(b, "the TD or vCPU can no longer run and must be torn down; "
				   "look at what the guest did last, or for a host bug.");
	else if (!(status & BIT_ERROR))
		tdxsim_strbuf_puts(b, "not a problem in itself; the caller acts on the "
				   "information.");
	else if (is_transient(status))
		tdxsim_strbuf_puts(b, "transient: another SEAMCALL holds the resource, or the CPU "
				   "ran out of entropy; retry the SEAMCALL.");
	else if (!(status & BIT_NON_RECOVERABLE))
		tdxsim_strbuf_puts(b, "a condition the host can clear: fix what the code names and "
				   "call again.");
	else
		tdxsim_strbuf_puts(b, "the host asked for something the module's state or inputs "
				   "do not allow: a host (kernel or VMM) bug or ABI mismatch.");
}

static void
put_cause(struct tdxsim_strbuf *b, const struct status_code *c,
	  uint64_t status, int leaf)
{
	const char *cause;

	if (status == 0)
		return;
	tdxsim_strbuf_puts(b, "\nLikely cause: ");
	if (c && CODE_OF(status) == CODE_OF(TDXSIM_TDX_SYS_NOT_READY)) {
		put_not_ready_cause(b, leaf);
		return;
	}
	cause = c ? find_code_cause(status) : NULL;
	if (cause)
		tdxsim_strbuf_printf(b, "%s.", cause);
	else
		put_class_cause(b, c, status);
}

static void
describe_sw(struct tdxsim_strbuf *b, const struct sw_code *sw, int leaf)
{
	tdxsim_strbuf_printf(b, "0x%016" PRIx64 ": %s: %s.", sw->value, sw->name,
			     sw->meaning);
	put_leaf(b, leaf);
	put_class(b, sw->value);
	tdxsim_strbuf_printf(b, "\nLikely cause: %s.", sw->cause);
}

static void
describe(struct tdxsim_strbuf *b, uint64_t status, int leaf)
{
	const struct sw_code *sw = find_sw_code(status);
	const struct status_code *c;

	if (sw) {
		describe_sw(b, sw, leaf);
		return;
	}
	c = find_code(status);
	put_headline(b, status, c);
	put_leaf(b, leaf);
	put_severity(b, status);
	put_class(b, status);
	put_details(b, c, DETAILS_OF(status));
	put_cause(b, c, status, leaf);
}

/* Into the caller's buffer, as snprintf() does, so that every string the
 * library hands out is either borrowed or the caller's own memory. */
TDXSIM_EXPORT int
tdxsim_status_describe_r(uint64_t status, int leaf, char *buf, size_t size)
{
	struct tdxsim_strbuf b;
	size_t len;

	if (!buf && size)
		return -EINVAL;
	tdxsim_strbuf_init(&b);
	describe(&b, status, leaf);
	if (b.oom) {
		tdxsim_strbuf_fini(&b);
		return -ENOMEM;
	}
	len = b.len;
	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(buf, tdxsim_strbuf_str(&b), n);
		buf[n] = '\0';
	}
	tdxsim_strbuf_fini(&b);
	return len > INT_MAX ? INT_MAX : (int)len;
}
