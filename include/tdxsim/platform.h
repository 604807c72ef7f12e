/* SPDX-License-Identifier: MIT */
/**
 * @file tdxsim/platform.h
 * The platform model: a machine's memory map as the TDX software sees it.
 *
 * A platform holds the firmware E820 table, the Convertible Memory Regions
 * (CMRs) that MCHECK verified, optional NUMA node memory ranges (the
 * kernel's "Early memory node ranges"), the TDX module profile, where the
 * data came from, and optional expected outcomes for the regression suite.
 *
 * Platforms are built programmatically (tdxsim_platform_new() and the
 * tdxsim_platform_add_*() calls), loaded from a YAML fixture
 * (tdxsim_platform_load_file()), or imported from a kernel log
 * (tdxsim_dmesg_import()). All addresses are byte addresses; every range is
 * half-open, [start, end).
 *
 * Functions return 0 or a negative errno: -EINVAL for bad input (details in
 * the diagnostics list when one is given), -ENOMEM when out of memory,
 * -ERANGE for a value that does not fit, -ENOENT/-EIO and friends for files.
 *
 * API contract (docs/architecture.md): a NULL where an object or an output
 * is required gives -EINVAL (getters and predicates: NULL or 0;
 * status-word functions: an error status), never a crash; a buffer may be NULL when its length is 0;
 * a parameter documented "may be NULL" (or "NULL does nothing") is optional.
 * tests/test-api-null.c calls every exported function to hold this.
 */
#ifndef TDXSIM_PLATFORM_H
#define TDXSIM_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <tdxsim/diag.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Physical address width the TDX module checks every address against. */
#define TDXSIM_MAX_PA_BITS 52
/** Highest number of CMR slots a TDX module reports (MAX_CMR). */
#define TDXSIM_MAX_CMRS 32
/**
 * The largest fixture the loaders accept and the largest kernel log the
 * importer reads, in bytes (16 MiB): one bound, so that what is imported
 * can be written as a fixture that loads (docs/reliability.md, "Limits").
 */
#define TDXSIM_FIXTURE_MAX_BYTES (16u << 20)

/** E820 types known to Linux (arch/x86/include/asm/e820/types.h). */
enum tdxsim_e820_type {
	TDXSIM_E820_RAM = 1,                     /**< usable / System RAM */
	TDXSIM_E820_RESERVED = 2,                /**< reserved / device reserved */
	TDXSIM_E820_ACPI = 3,                    /**< ACPI data */
	TDXSIM_E820_NVS = 4,                     /**< ACPI NVS */
	TDXSIM_E820_UNUSABLE = 5,                /**< unusable */
	TDXSIM_E820_PMEM = 7,                    /**< persistent (type 7) */
	TDXSIM_E820_PRAM = 12,                   /**< persistent (type 12) */
	TDXSIM_E820_RESERVED_KERN = 128,         /**< reserved kernel (setup_data) */
};

/** soft reserved (E820_TYPE_SOFT_RESERVED); a macro because ISO C enums stop at INT_MAX. */
#define TDXSIM_E820_SOFT_RESERVED 0xefffffffu

/** Which generation of kernel wording an E820 type name uses. */
enum tdxsim_e820_spelling {
	/** Before the 2025 e820 rework: "usable", "reserved", "persistent (type 12)". */
	TDXSIM_E820_SPELLING_LEGACY = 0,
	/** Since 2025: "System RAM", "device reserved", "persistent RAM (type 12)". */
	TDXSIM_E820_SPELLING_MODERN = 1,
};

/** One E820 entry: [start, end) of one type (a value of tdxsim_e820_type or any other number). */
struct tdxsim_e820_entry {
	uint64_t start;
	uint64_t end;
	uint32_t type;
};

/** One CMR slot as the module reports it; size 0 is a null slot. */
struct tdxsim_cmr {
	uint64_t base;
	uint64_t size;
};

/** One memory range of one NUMA node, as in "node 0: [mem a-b]". */
struct tdxsim_node_range {
	uint64_t start;
	uint64_t end;
	unsigned nid;
};

/** Value of tdxsim_module_profile.update when the source did not say. */
#define TDXSIM_VERSION_UNKNOWN 0xffffu

/**
 * The TDX module's build and limits, as its metadata reports them.
 * Defaults (tdxsim_module_profile_init()) are those of module 1.5
 * (intel/tdx-module branch tdx_1.5: tdx_api_defs.h, pamt_manager.h).
 */
struct tdxsim_module_profile {
	unsigned major;                 /**< MAJOR_VERSION */
	unsigned minor;                 /**< MINOR_VERSION */
	unsigned update;                /**< UPDATE_VERSION or TDXSIM_VERSION_UNKNOWN */
	unsigned internal;              /**< INTERNAL_VERSION or TDXSIM_VERSION_UNKNOWN */
	uint32_t build_date;            /**< BUILD_DATE as yyyymmdd, 0 if unknown */
	uint32_t build_num;             /**< BUILD_NUM, 0 if unknown */
	unsigned max_tdmrs;             /**< MAX_TDMRS */
	unsigned max_reserved_per_tdmr; /**< MAX_RESERVED_PER_TDMR */
	unsigned pamt_entry_size[3];    /**< PAMT_{4K,2M,1G}_ENTRY_SIZE in bytes */
	unsigned cmr_slots;             /**< CMR slots reported (NUM_CMRS) */
	uint32_t keyid_start;           /**< first private (TDX) KeyID */
	uint32_t keyid_end;             /**< one past the last private KeyID */
	unsigned nr_lps;                /**< logical CPUs MCHECK counted */
	unsigned nr_packages;           /**< CPU packages */
};

/** Facts of a module profile that an input gives or leaves to defaults. */
enum tdxsim_module_fact {
	TDXSIM_FACT_VERSION = 0,	/**< MAJOR.MINOR (UPDATE may still be unknown) */
	TDXSIM_FACT_BUILD_DATE,
	TDXSIM_FACT_BUILD_NUM,
	TDXSIM_FACT_MAX_TDMRS,
	TDXSIM_FACT_MAX_RESERVED,
	TDXSIM_FACT_PAMT_ENTRY_SIZES,
	TDXSIM_FACT_CMR_SLOTS,
	TDXSIM_FACT_KEYIDS,
	TDXSIM_FACT_LOGICAL_CPUS,
	TDXSIM_FACT_PACKAGES,
	TDXSIM_FACT_COUNT
};

/** Free-text facts about a platform and where its data came from. */
enum tdxsim_info {
	TDXSIM_INFO_NAME = 0,       /**< short identifier, e.g. "emr-canonical-tdx-135" */
	TDXSIM_INFO_DESCRIPTION,    /**< one line for humans */
	TDXSIM_INFO_SOURCE,         /**< URL of the report */
	TDXSIM_INFO_MESSAGE_ID,     /**< mailing-list Message-ID */
	TDXSIM_INFO_MACHINE,        /**< machine or board, e.g. from the DMI line */
	TDXSIM_INFO_KERNEL,         /**< kernel release */
	TDXSIM_INFO_NOTES,          /**< anything else worth knowing */
	TDXSIM_INFO_E820_DERIVED_NOTE, /**< how the derived E820 entries were deduced */
	TDXSIM_INFO_CMRS_INFERRED,  /**< set only when the CMRs are not the machine's
				     own: how they were inferred (tdxsim_platform_infer_cmrs()) */
	TDXSIM_INFO_COUNT
};

/** Outcome a fixture expects from one host strategy. */
enum tdxsim_expect_outcome {
	TDXSIM_EXPECT_UNSET = 0,
	TDXSIM_EXPECT_OK,
	TDXSIM_EXPECT_FAIL,
};

/** Value of the numeric fields of tdxsim_expect when the fixture does not set them. */
#define TDXSIM_EXPECT_NONE (-1LL)

/**
 * Expected results of running one host strategy on the platform.
 * Strings are owned by the platform once added.
 */
struct tdxsim_expect {
	const char *strategy;              /**< e.g. "linux", "linux-cmr", "tdxsim" */
	enum tdxsim_expect_outcome outcome;
	int has_errno;                     /**< nonzero when err is set */
	int err;                           /**< negative errno of a failure, e.g. -28 */
	long long tdmrs;                   /**< TDMRs used, or TDXSIM_EXPECT_NONE */
	long long max_reserved;            /**< most reserved areas in one TDMR, or NONE */
	long long pamt_kb;                 /**< "N KB allocated for PAMT", or NONE */
	const char *lines;                 /**< kernel lines expected in order, '\n'-separated, or NULL */
	unsigned line;                     /**< fixture line of the block, 0 if not from a file */
};

/** A platform. Opaque; one user at a time. */
struct tdxsim_platform;

/**
 * Fill a module profile with the defaults of TDX module 1.5:
 * version 1.5.06, 64 TDMRs, 16 reserved areas per TDMR, 16-byte PAMT
 * entries, 32 CMR slots, private KeyIDs [32, 64), 8 logical CPUs in 1
 * package.
 *
 * @param profile the profile to fill.
 */
void tdxsim_module_profile_init(struct tdxsim_module_profile *profile);

/**
 * Create an empty platform with the default module profile.
 *
 * @return the platform, or NULL when out of memory.
 */
struct tdxsim_platform *tdxsim_platform_new(void);

/**
 * Free a platform.
 *
 * @param platform the platform; NULL is allowed and does nothing.
 */
void tdxsim_platform_free(struct tdxsim_platform *platform);

/**
 * Append an E820 entry. Order and overlap are checked by
 * tdxsim_platform_validate(), not here, so that a table can be built as a
 * log prints it.
 *
 * @param platform the platform.
 * @param start first byte.
 * @param end one past the last byte; must be greater than start.
 * @param type the E820 type number.
 * @return 0, -EINVAL when end <= start, -ENOMEM.
 */
int tdxsim_platform_add_e820(struct tdxsim_platform *platform, uint64_t start,
			     uint64_t end, uint32_t type);

/**
 * Record that the source of the E820 table left entries out ("...") at
 * this point: after the entries added so far and before the next one.
 *
 * @param platform the platform.
 * @return 0 (-EINVAL for a NULL platform).
 */
int tdxsim_platform_add_e820_elision(struct tdxsim_platform *platform);

/**
 * Add a derived E820 entry: one the source did not give but that was
 * deduced from other evidence, e.g. RAM above 4 GiB read off the CMRs of
 * a table its author cut short. Derived entries belong to the one E820
 * table (counted, indexed, validated and used like the others) and are
 * inserted in address order, after every entry that starts at or below
 * them, so add them after the source's entries. An elision recorded where
 * the entry lands stays before it, where the source put it. The fixture
 * writer keeps them apart ("e820-derived").
 *
 * @param platform the platform.
 * @param start first byte.
 * @param end one past the last byte; must be greater than start.
 * @param type the E820 type number.
 * @return 0, -EINVAL when end <= start, -ENOMEM.
 */
int tdxsim_platform_add_e820_derived(struct tdxsim_platform *platform,
				     uint64_t start, uint64_t end,
				     uint32_t type);

/**
 * Ask whether an E820 entry was derived rather than given by the source
 * (tdxsim_platform_add_e820_derived()).
 *
 * @param platform the platform.
 * @param index 0 .. tdxsim_platform_e820_count() - 1.
 * @return 1 when the entry is derived, 0 when it came from the source, the platform is NULL or
 *         index is out of range.
 */
int tdxsim_platform_e820_derived(const struct tdxsim_platform *platform,
				 size_t index);

/**
 * Count the E820 entries.
 *
 * @param platform the platform.
 * @return the number of entries, derived ones included.
 */
size_t tdxsim_platform_e820_count(const struct tdxsim_platform *platform);

/**
 * Get one E820 entry.
 *
 * @param platform the platform.
 * @param index 0 .. tdxsim_platform_e820_count() - 1.
 * @return the entry, owned by the platform; NULL when out of range.
 */
const struct tdxsim_e820_entry *
tdxsim_platform_e820_entry(const struct tdxsim_platform *platform, size_t index);

/**
 * Ask whether the source left E820 entries out just before entry index.
 *
 * @param platform the platform.
 * @param index 0 .. tdxsim_platform_e820_count(); the count itself asks
 *              about the end of the table.
 * @return 1 when entries were left out there, 0 otherwise (also for a
 *         NULL platform).
 */
int tdxsim_platform_e820_elided_before(const struct tdxsim_platform *platform,
				       size_t index);

/**
 * Ask whether the E820 table is known to be incomplete.
 *
 * @param platform the platform.
 * @return 1 when any elision was recorded, 0 otherwise (also for a NULL
 *         platform).
 */
int tdxsim_platform_e820_truncated(const struct tdxsim_platform *platform);

/**
 * Set which kernel wording the writer uses for E820 type names.
 * Loading and importing set it from the names they read.
 *
 * @param platform the platform.
 * @param spelling the wording.
 */
void tdxsim_platform_set_e820_spelling(struct tdxsim_platform *platform,
				       enum tdxsim_e820_spelling spelling);

/**
 * Get the kernel wording of E820 type names.
 *
 * @param platform the platform.
 * @return the wording.
 */
enum tdxsim_e820_spelling
tdxsim_platform_e820_spelling(const struct tdxsim_platform *platform);

/**
 * Append a CMR slot. A slot of size 0 is a null slot, kept as reported.
 *
 * @param platform the platform.
 * @param base first byte.
 * @param size bytes; base + size must not pass 2^64.
 * @return 0, -EINVAL on overflow, -ENOSPC past TDXSIM_MAX_CMRS slots, -ENOMEM.
 */
int tdxsim_platform_add_cmr(struct tdxsim_platform *platform, uint64_t base,
			    uint64_t size);

/**
 * Count the CMR slots given (null slots included; the module pads the
 * rest of its cmr_slots with null slots).
 *
 * @param platform the platform.
 * @return the number of slots.
 */
size_t tdxsim_platform_cmr_count(const struct tdxsim_platform *platform);

/**
 * Get one CMR slot.
 *
 * @param platform the platform.
 * @param index 0 .. tdxsim_platform_cmr_count() - 1.
 * @return the slot, owned by the platform; NULL when out of range.
 */
const struct tdxsim_cmr *
tdxsim_platform_cmr(const struct tdxsim_platform *platform, size_t index);

/**
 * Did the input give this fact of the module profile (a fixture key, a log
 * line, or tdxsim_platform_set_module_profile() with a value other than
 * the default), or is it tdxsim's default? Outputs use it to mark what was
 * not read from the machine.
 *
 * @param platform the platform.
 * @param fact the fact.
 * @return true when given; false when defaulted, for NULL or an unknown fact.
 */
bool tdxsim_platform_module_fact_given(const struct tdxsim_platform *platform,
				       enum tdxsim_module_fact fact);

/**
 * Name a module fact for messages.
 *
 * @param fact the fact.
 * @return "module version", "private KeyIDs", ..., or NULL when unknown.
 */
const char *tdxsim_module_fact_name(enum tdxsim_module_fact fact);

/**
 * Infer the CMRs of a platform whose log gave none (upstream kernels print
 * no CMRs), the way MCHECK reports them on real machines: one low CMR from
 * 1 MiB to the end of the last E820 RAM entry below 4 GiB, covering the
 * firmware's fragments in between; above 4 GiB one CMR per run of RAM,
 * runs merged across E820 entries of other types (reserved fragments) but
 * split at a range E820 does not describe and, when node ranges are
 * known, at a change of node. Ends are trimmed to whole pages. Records how
 * in TDXSIM_INFO_CMRS_INFERRED. The real CMRs can differ: MCHECK trims
 * each socket's top, which E820 does not show (docs/fidelity.md).
 *
 * @param platform a platform without CMRs.
 * @return the number of CMRs inferred (0 when there is no RAM above
 *         1 MiB), -EEXIST when the platform has CMRs, -E2BIG when more
 *         than TDXSIM_MAX_CMRS would be needed, -EINVAL for NULL, -ENOMEM.
 */
int tdxsim_platform_infer_cmrs(struct tdxsim_platform *platform);

/**
 * Append a NUMA node memory range.
 *
 * @param platform the platform.
 * @param nid the node.
 * @param start first byte.
 * @param end one past the last byte; must be greater than start.
 * @return 0, -EINVAL when end <= start, -ENOMEM.
 */
int tdxsim_platform_add_node_range(struct tdxsim_platform *platform,
				   unsigned nid, uint64_t start, uint64_t end);

/**
 * Count the NUMA node memory ranges.
 *
 * @param platform the platform.
 * @return the number of ranges; 0 when the platform has none.
 */
size_t tdxsim_platform_node_range_count(const struct tdxsim_platform *platform);

/**
 * Get one NUMA node memory range.
 *
 * @param platform the platform.
 * @param index 0 .. tdxsim_platform_node_range_count() - 1.
 * @return the range, owned by the platform; NULL when out of range.
 */
const struct tdxsim_node_range *
tdxsim_platform_node_range(const struct tdxsim_platform *platform, size_t index);

/** Value of a PAMT placement entry that leaves the TDMR to the kernel's allocator. */
#define TDXSIM_PAMT_BASE_AUTO UINT64_MAX

/**
 * Append a PAMT placement: where TDMR i's PAMT goes when i is the number of
 * entries added before this one. Each TDMR's three PAMTs form one
 * contiguous 4K|2M|1G chunk, as Linux allocates them; base is the chunk's
 * first byte. TDMRs count in the order the kernel builds them. The Linux
 * strategies ("linux", "linux-cmr") use the entry of a TDMR when there is
 * one (TDXSIM_PAMT_BASE_AUTO, or no entry, leaves it to the kernel-like
 * allocator); the tdxsim packer places PAMTs itself and ignores them.
 * Alignment (4 KiB) and MAX_PA are checked by tdxsim_platform_validate();
 * whether the chunk fits in free RAM is checked by the host run, which
 * knows the chunk's size (docs/host.md, "PAMT placement").
 *
 * @param platform the platform.
 * @param base the chunk's first byte, or TDXSIM_PAMT_BASE_AUTO.
 * @return 0, -ENOMEM (-EINVAL for a NULL platform).
 */
int tdxsim_platform_add_pamt_base(struct tdxsim_platform *platform,
				  uint64_t base);

/**
 * Count the PAMT placement entries.
 *
 * @param platform the platform.
 * @return the number of entries; 0 when every PAMT is left to the kernel's
 *         allocator.
 */
size_t tdxsim_platform_pamt_base_count(const struct tdxsim_platform *platform);

/**
 * Get one PAMT placement entry: the base of TDMR index's PAMT chunk.
 *
 * @param platform the platform.
 * @param index the TDMR, 0 .. tdxsim_platform_pamt_base_count() - 1.
 * @return the base, or TDXSIM_PAMT_BASE_AUTO when the entry is "auto" or
 *         index is out of range (the kernel's allocator decides).
 */
uint64_t tdxsim_platform_pamt_base(const struct tdxsim_platform *platform,
				   size_t index);

/**
 * Get the module profile.
 *
 * @param platform the platform.
 * @return the profile, owned by the platform.
 */
const struct tdxsim_module_profile *
tdxsim_platform_module_profile(const struct tdxsim_platform *platform);

/**
 * Replace the module profile (copied).
 *
 * @param platform the platform.
 * @param profile the new profile.
 */
void tdxsim_platform_set_module_profile(struct tdxsim_platform *platform,
					const struct tdxsim_module_profile *profile);

/**
 * Get a free-text fact.
 *
 * @param platform the platform.
 * @param key which fact.
 * @return the text, owned by the platform, or NULL when not set.
 */
const char *tdxsim_platform_info(const struct tdxsim_platform *platform,
				 enum tdxsim_info key);

/**
 * Set a free-text fact (copied).
 *
 * @param platform the platform.
 * @param key which fact.
 * @param value the text; NULL unsets it. A name (TDXSIM_INFO_NAME) may
 *              hold only letters, digits, '-', '_' and '.', and starts with
 *              a letter or digit, so that it can name files and tests.
 *              Every value must be well-formed UTF-8, so that a written
 *              fixture loads back.
 * @return 0, -EINVAL for an unknown key, an invalid name or a value that
 *         is not well-formed UTF-8, -ENOMEM.
 */
int tdxsim_platform_set_info(struct tdxsim_platform *platform,
			     enum tdxsim_info key, const char *value);

/**
 * Append an expected outcome (deep-copied).
 *
 * @param platform the platform.
 * @param expect the outcome; its strategy must be set.
 * @return 0, -EINVAL without a strategy, -EEXIST when the strategy already
 *         has one, -ENOMEM.
 */
int tdxsim_platform_add_expect(struct tdxsim_platform *platform,
			       const struct tdxsim_expect *expect);

/**
 * Count the expected outcomes.
 *
 * @param platform the platform.
 * @return the number of outcomes.
 */
size_t tdxsim_platform_expect_count(const struct tdxsim_platform *platform);

/**
 * Get one expected outcome.
 *
 * @param platform the platform.
 * @param index 0 .. tdxsim_platform_expect_count() - 1.
 * @return the outcome, owned by the platform; NULL when out of range.
 */
const struct tdxsim_expect *
tdxsim_platform_expect(const struct tdxsim_platform *platform, size_t index);

/**
 * Sum the bytes of E820 RAM (type 1) in the table, derived entries
 * included.
 *
 * @param platform the platform.
 * @return the bytes.
 */
uint64_t tdxsim_platform_ram_bytes(const struct tdxsim_platform *platform);

/**
 * Check the platform against the rules of the fixture format: E820 entries
 * sorted and not overlapping, everything below 2^52, CMRs 4 KiB aligned,
 * sorted and not overlapping, node ranges inside the E820 map, a sane module
 * profile, PAMT placements 4 KiB aligned, below 2^52 and no more than
 * max-tdmrs of them. Messages name the fixture position of each offending
 * item when the platform was loaded from a file.
 *
 * @param platform the platform.
 * @param diag where to report; NULL to only get the verdict.
 * @return 0 when valid, -EINVAL when not.
 */
int tdxsim_platform_validate(const struct tdxsim_platform *platform,
			     struct tdxsim_diag *diag);

/**
 * Load a fixture (format v1, docs/fixture-format.md) from a file and
 * validate it.
 *
 * @param path the file.
 * @param out receives the platform on success.
 * @param diag where to report "path:line:col: message"; may be NULL.
 * @return 0, -EINVAL for a refused fixture, -ENOMEM, or the negative errno
 *         of opening or reading the file.
 */
int tdxsim_platform_load_file(const char *path, struct tdxsim_platform **out,
			      struct tdxsim_diag *diag);

/**
 * Load a fixture from memory and validate it.
 *
 * @param name the name messages use for the input, e.g. a path or "<stdin>"
 *             (NULL: "<fixture>").
 * @param text the YAML text; need not be NUL-terminated; NULL when len is 0.
 * @param len its length in bytes.
 * @param out receives the platform on success.
 * @param diag where to report; may be NULL.
 * @return 0, -EINVAL for a refused fixture, -ENOMEM.
 */
int tdxsim_platform_load_buffer(const char *name, const char *text, size_t len,
				struct tdxsim_platform **out,
				struct tdxsim_diag *diag);

/**
 * Write a platform as a fixture (format v1). Loading the output gives an
 * equal platform.
 *
 * @param platform the platform.
 * @param out the stream.
 * @return 0, -ENOMEM, or the errno of the failed write (-ENOSPC, -EFBIG; -EIO when stdio gives none).
 */
int tdxsim_platform_write(const struct tdxsim_platform *platform, FILE *out);

/**
 * Write a platform as a fixture file, so that a failure never costs what
 * was there: a regular file (new, or existing, also through a symbolic
 * link, which stays) is written to a temporary file in the same directory
 * and renamed over it only when complete and synced, so an existing file
 * keeps its content when anything fails; a device or FIFO (/dev/null) is
 * written directly and never removed; a directory is refused.
 *
 * @param platform the platform.
 * @param path the file.
 * @return 0, -ENOMEM, or the negative errno of the step that failed
 *         (-EISDIR, -ENOENT for a missing directory, -EACCES, -ENOSPC,
 *         -EFBIG).
 */
int tdxsim_platform_save_file(const struct tdxsim_platform *platform,
			      const char *path);

/**
 * Build a platform from a kernel log: "BIOS-e820:" lines (with or without
 * timestamps, either type spelling), "virt/tdx: CMR: [a, b)" and
 * "CMR[i]: [a, b)", "Early memory node ranges" and "node N: [mem a-b]",
 * TDX module version lines of the 1.x and 2.x formats, the private KeyID
 * range, and the kernel release, DMI line and CPU counts when present.
 * Other lines are ignored. A "..." line inside the E820 table is recorded
 * as an elision, never filled in. Lines may carry what log tools put
 * before the message: "[    0.000000]" timestamps, printk levels
 * ("<6>"), dmesg -x and -T prefixes, journalctl and syslog prefixes
 * ("Mar 11 09:00:00 host kernel: ", ISO times), "> " quote markers; lines
 * end with LF, CRLF or a lone CR. A log of several boots gives the last
 * one (tdxsim_dmesg_import_boot()).
 *
 * @param name the name messages use for the input.
 * @param text the log; need not be NUL-terminated.
 * @param len its length in bytes.
 * @param out receives the platform (not yet validated) on success.
 * @param diag where to report; may be NULL.
 * @return 0, -EINVAL when the log has no E820 line, a line is malformed or
 *         the log is larger than TDXSIM_FIXTURE_MAX_BYTES, -ENOMEM.
 */
int tdxsim_dmesg_import(const char *name, const char *text, size_t len,
			struct tdxsim_platform **out, struct tdxsim_diag *diag);

/**
 * Import one boot of a log that holds several (a `journalctl -k` over
 * reboots, two pastes in one file). A boot starts at a "Linux version"
 * line or at journalctl's "-- Boot ..." / "-- Reboot --" separator. When
 * the log holds more than one, a warning says how many and which one is
 * imported.
 *
 * @param name the name messages use for the input.
 * @param text the log; need not be NUL-terminated.
 * @param len its length in bytes.
 * @param boot 1 for the first boot, 2 for the second, ...; 0 for the last.
 * @param out receives the platform (not yet validated) on success.
 * @param diag where to report; may be NULL.
 * @return as tdxsim_dmesg_import(), and -EINVAL for a boot the log lacks.
 */
int tdxsim_dmesg_import_boot(const char *name, const char *text, size_t len,
			     unsigned boot, struct tdxsim_platform **out,
			     struct tdxsim_diag *diag);

/**
 * Name an E820 type as the kernel prints it.
 *
 * @param type the type number.
 * @param spelling which kernel generation's wording.
 * @param buf receives the NUL-terminated name.
 * @param size size of buf; 32 bytes hold any name.
 * @return buf.
 */
const char *tdxsim_e820_type_name(uint32_t type,
				  enum tdxsim_e820_spelling spelling,
				  char *buf, size_t size);

/**
 * Parse an E820 type name in either kernel wording ("usable", "System RAM",
 * "reserved", "device reserved", "ACPI data", "ACPI NVS", "unusable",
 * "persistent (type 12)", "persistent RAM (type 12)", "soft reserved",
 * "reserved kernel", "type N").
 *
 * @param name the name; need not be NUL-terminated.
 * @param len its length.
 * @param type receives the type number.
 * @param spelling receives the wording the name belongs to (LEGACY for
 *                 names common to both); may be NULL.
 * @return 0, or -EINVAL for an unknown name.
 */
int tdxsim_e820_type_parse(const char *name, size_t len, uint32_t *type,
			   enum tdxsim_e820_spelling *spelling);

#ifdef __cplusplus
}
#endif

#endif /* TDXSIM_PLATFORM_H */
