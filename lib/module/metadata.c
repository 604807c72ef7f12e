/* SPDX-License-Identifier: MIT */
/*
 * Global (SYS-context) metadata: TDH.SYS.RD, TDH.SYS.RDALL and the 1.0-era
 * TDH.SYS.INFO. Field ids, sizes and values: intel/tdx-module tdx_1.5
 * include/auto_gen/global_sys_fields_lookup.c and metadata_sys.c; TDH.SYS.INFO's
 * TDSYSINFO_STRUCT and CMR_INFO from niooss-ledger/tdx-module 1.0.3.
 *
 * Field id layout (md_field_id_t): 23:0 field code, 31:24 reserved,
 * 33:32 element size code, 37:34 LAST_ELEMENT_IN_FIELD, 46:38
 * LAST_FIELD_IN_SEQUENCE, 49:47 reserved, 50 INC_SIZE, 51 WRITE_MASK_VALID,
 * 54:52 context, 55 reserved, 61:56 class, 62 reserved, 63 NON_ARCH.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "builds.h"
#include "common.h"
#include "module-private.h"

#define FIELD_CODE(id)		((id) & 0xFFFFFFULL)
#define CLASS_CODE(id)		(((id) >> 56) & 0x3FULL)
#define CONTEXT_BITS		(7ULL << 52)
/* Bits a SYS.RD field id must have clear: the reserved fields and the
 * sequence-only LAST_ELEMENT_IN_FIELD / LAST_FIELD_IN_SEQUENCE. */
#define RD_MUST_BE_ZERO		(0xFF000000ULL | (0x1FFFULL << 34) | \
				 (7ULL << 47) | (1ULL << 55) | (1ULL << 62))
#define LAST_FIELD_SHIFT	38
#define MD_FIELD_ID_NA		UINT64_MAX

enum md_value {
	MD_NUM_PKGS, MD_PKG_FMS, MD_VENDOR_ID, MD_BUILD_DATE, MD_BUILD_NUM,
	MD_MINOR, MD_MAJOR, MD_UPDATE, MD_INTERNAL, MD_SYS_ATTRIBUTES,
	MD_NUM_TDX_FEATURES, MD_FEATURES0, MD_NUM_CMRS, MD_CMR_BASE,
	MD_CMR_SIZE, MD_MAX_TDMRS, MD_MAX_RSVD, MD_PAMT_4K, MD_PAMT_2M,
	MD_PAMT_1G, MD_TDR_SIZE, MD_TDCS_SIZE, MD_TDVPS_SIZE, MD_ZERO,
	MD_NUM_CPUID_CONFIG, MD_CONFIG_FLAGS_FIXED0, MD_MAX_VCPUS,
	MD_MIN_VIRT_MAXPA, MD_CPUID_LEAVES, MD_CPUID_VALUES, MD_BITMAP_BITS,
	MD_DPAMT_HKID_BITS,
};

/* Elements of CPUID_CONFIG_LEAVES (one per config) and _VALUES (two per
 * config): the lookup table's size; configs past NUM_CPUID_CONFIG read as
 * an all-ones leaf and no configurable bits (metadata_sys.c). */
#define CPUID_CONFIG_FIELDS 32

/* One table entry: `count` consecutive single-element fields. */
struct md_field {
	uint64_t id;		/* of the first field, size code included */
	unsigned count;
	enum md_value value;
	const char *name;	/* as the ABI spec and Linux name it */
	unsigned needs;		/* enum build_field bits; 0: every 1.5+ build */
};

/* In lookup-table order: by class, then field code (global_sys_fields_lookup.h). */
static const struct md_field sys_fields[] = {
	{ 0x0000000200000000ULL, 1, MD_NUM_PKGS, "NUM_PKGS", 0 },
	{ 0x0000000200000001ULL, 8, MD_PKG_FMS, "PKG_FMS", 0 },
	{ 0x0800000200000000ULL, 1, MD_VENDOR_ID, "VENDOR_ID", 0 },
	{ 0x8800000200000001ULL, 1, MD_BUILD_DATE, "BUILD_DATE", 0 },
	{ 0x8800000100000002ULL, 1, MD_BUILD_NUM, "BUILD_NUM", 0 },
	{ 0x0800000100000003ULL, 1, MD_MINOR, "MINOR_VERSION", 0 },
	{ 0x0800000100000004ULL, 1, MD_MAJOR, "MAJOR_VERSION", 0 },
	{ 0x0800000100000005ULL, 1, MD_UPDATE, "UPDATE_VERSION", 0 },
	{ 0x0800000100000006ULL, 1, MD_INTERNAL, "INTERNAL_VERSION", 0 },
	{ 0x0A00000200000000ULL, 1, MD_SYS_ATTRIBUTES, "SYS_ATTRIBUTES", 0 },
	{ 0x0A00000000000001ULL, 1, MD_NUM_TDX_FEATURES, "NUM_TDX_FEATURES", 0 },
	{ 0x0A00000300000008ULL, 1, MD_FEATURES0, "TDX_FEATURES0", 0 },
	{ 0x9000000100000000ULL, 1, MD_NUM_CMRS, "NUM_CMRS", 0 },
	{ 0x9000000300000080ULL, TDXSIM_MAX_CMRS, MD_CMR_BASE, "CMR_BASE", 0 },
	{ 0x9000000300000100ULL, TDXSIM_MAX_CMRS, MD_CMR_SIZE, "CMR_SIZE", 0 },
	{ 0x9100000100000008ULL, 1, MD_MAX_TDMRS, "MAX_TDMRS", 0 },
	{ 0x9100000100000009ULL, 1, MD_MAX_RSVD, "MAX_RESERVED_PER_TDMR", 0 },
	{ 0x9100000100000010ULL, 1, MD_PAMT_4K, "PAMT_4K_ENTRY_SIZE", 0 },
	{ 0x9100000100000011ULL, 1, MD_PAMT_2M, "PAMT_2M_ENTRY_SIZE", 0 },
	{ 0x9100000100000012ULL, 1, MD_PAMT_1G, "PAMT_1G_ENTRY_SIZE", 0 },
	{ 0x9100000000000013ULL, 1, MD_BITMAP_BITS,
	  "PAMT_PAGE_BITMAP_ENTRY_BITS", BUILD_HAS_DPAMT },
	{ 0x9100000000000014ULL, 1, MD_DPAMT_HKID_BITS,
	  "MIN_DYNAMIC_PAMT_NUM_HKID_BITS", BUILD_HAS_DPAMT },
	{ 0x9800000100000000ULL, 1, MD_TDR_SIZE, "TDR_BASE_SIZE", 0 },
	{ 0x9800000100000100ULL, 1, MD_TDCS_SIZE, "TDCS_BASE_SIZE", 0 },
	{ 0x9800000100000200ULL, 1, MD_TDVPS_SIZE, "TDVPS_BASE_SIZE", 0 },
	/* TD configurability: values not taken from a real module (zero),
	 * present so that a kernel's reads of them succeed. */
	{ 0x1900000300000000ULL, 1, MD_ZERO, "ATTRIBUTES_FIXED0", 0 },
	{ 0x1900000300000001ULL, 1, MD_ZERO, "ATTRIBUTES_FIXED1", 0 },
	{ 0x1900000300000002ULL, 1, MD_ZERO, "XFAM_FIXED0", 0 },
	{ 0x1900000300000003ULL, 1, MD_ZERO, "XFAM_FIXED1", 0 },
	{ 0x9900000100000004ULL, 1, MD_NUM_CPUID_CONFIG, "NUM_CPUID_CONFIG", 0 },
	{ 0x9900000300000006ULL, 1, MD_CONFIG_FLAGS_FIXED0, "CONFIG_FLAGS_FIXED0", 0 },
	{ 0x9900000300000007ULL, 1, MD_ZERO, "CONFIG_FLAGS_FIXED1", 0 },
	{ 0x9900000100000008ULL, 1, MD_MAX_VCPUS, "MAX_VCPUS_PER_TD",
	  BUILD_HAS_MAX_VCPUS },
	{ 0x9900000000000009ULL, 1, MD_MIN_VIRT_MAXPA, "MIN_VIRT_MAXPA",
	  BUILD_HAS_MIN_VIRT_MAXPA },
	{ 0x9900000300000400ULL, CPUID_CONFIG_FIELDS, MD_CPUID_LEAVES,
	  "CPUID_CONFIG_LEAVES", 0 },
	{ 0x9900000300000500ULL, 2 * CPUID_CONFIG_FIELDS, MD_CPUID_VALUES,
	  "CPUID_CONFIG_VALUES", 0 },
};

static uint64_t
version_part(unsigned v)
{
	/* A part the fixture did not know is reported as 0. */
	return v == TDXSIM_VERSION_UNKNOWN ? 0 : v;
}

static uint64_t
cmr_field(const struct tdxsim_module *m, unsigned k, bool size)
{
	if (k >= m->cmrs_given)
		return 0;
	return size ? m->cmrs[k].size : m->cmrs[k].base;
}

/* leaf | subleaf << 32 (cpuid_config_leaf_subleaf_t); all ones past the
 * build's configs. */
static uint64_t
cpuid_leaf(const struct module_build *b, unsigned k)
{
	if (k >= b->cpuid_count)
		return UINT64_MAX;
	return b->cpuid[k].leaf | (uint64_t)b->cpuid[k].subleaf << 32;
}

/* Element 2i: EBX:EAX, 2i+1: EDX:ECX of config i. The module ORs in the
 * native CPU's values of the allow_direct bits; no CPU is simulated, so
 * only the config_direct bits are reported (docs/fidelity.md). */
static uint64_t
cpuid_values(const struct module_build *b, unsigned k)
{
	const struct build_cpuid_config *c;

	if (k / 2 >= b->cpuid_count)
		return 0;
	c = &b->cpuid[k / 2];
	return k % 2 ? c->ecx | (uint64_t)c->edx << 32
		     : c->eax | (uint64_t)c->ebx << 32;
}

static uint64_t
field_value(const struct tdxsim_module *m, enum md_value v, unsigned k)
{
	const struct tdxsim_module_profile *p = &m->profile;

	switch (v) {
	case MD_NUM_PKGS: return m->num_of_pkgs;
	case MD_VENDOR_ID: return 0x8086;
	case MD_BUILD_DATE: return p->build_date;
	case MD_BUILD_NUM: return p->build_num;
	case MD_MINOR: return p->minor;
	case MD_MAJOR: return p->major;
	case MD_UPDATE: return version_part(p->update);
	case MD_INTERNAL: return version_part(p->internal);
	case MD_NUM_TDX_FEATURES: return 1;
	case MD_FEATURES0: return m->options.features0;
	case MD_NUM_CMRS:
		/* 1.5 reports MAX_CMR, not the real count (metadata_sys.c). */
		return m->options.num_cmrs_report == TDXSIM_NUM_CMRS_MAX
		       ? p->cmr_slots : m->cmrs_given;
	case MD_CMR_BASE: return cmr_field(m, k, false);
	case MD_CMR_SIZE: return cmr_field(m, k, true);
	case MD_MAX_TDMRS: return p->max_tdmrs;
	case MD_MAX_RSVD: return p->max_reserved_per_tdmr;
	case MD_PAMT_4K: return p->pamt_entry_size[0];
	case MD_PAMT_2M: return p->pamt_entry_size[1];
	case MD_PAMT_1G: return p->pamt_entry_size[2];
	case MD_TDR_SIZE: return 4096;			/* sizeof(tdr_t) */
	case MD_TDCS_SIZE: return 6 * 4096;		/* MIN_NUM_TDCS_PAGES */
	case MD_TDVPS_SIZE: return 6 * 4096;		/* MIN_TDVPS_PAGES */
	case MD_NUM_CPUID_CONFIG: return m->build.cpuid_count;
	case MD_CPUID_LEAVES: return cpuid_leaf(&m->build, k);
	case MD_CPUID_VALUES: return cpuid_values(&m->build, k);
	case MD_CONFIG_FLAGS_FIXED0: return 0x7;
	case MD_MAX_VCPUS: return 576;			/* MAX_VCPUS_PER_TD */
	case MD_MIN_VIRT_MAXPA: return 45;		/* MIN_VIRT_MAXPA, x86_defs.h */
	case MD_BITMAP_BITS: return 1;			/* one bit per 4 KiB page */
	case MD_DPAMT_HKID_BITS:
		/* max_pa - MAX_DYNAMIC_PAMT_HKID_START_BIT (pamt_manager.h) */
		return TDXSIM_MAX_PA_BITS - 48;
	case MD_PKG_FMS:
	case MD_SYS_ATTRIBUTES:
	case MD_ZERO:
	default:
		return 0;
	}
}

/* Mask a value to its field's element size (size code in bits 33:32). */
static uint64_t
masked(uint64_t id, uint64_t value)
{
	unsigned bits = 8u << ((id >> 32) & 3);

	return bits == 64 ? value : value & ((1ULL << bits) - 1);
}

/* The table entry and element index of an id; NULL when unknown. */
static const struct md_field *
lookup(uint64_t id, unsigned *element)
{
	for (size_t i = 0; i < ARRAY_LENGTH(sys_fields); i++) {
		const struct md_field *f = &sys_fields[i];
		uint64_t first = FIELD_CODE(f->id);

		if (CLASS_CODE(f->id) == CLASS_CODE(id) &&
		    FIELD_CODE(id) >= first && FIELD_CODE(id) < first + f->count) {
			*element = (unsigned)(FIELD_CODE(id) - first);
			return f;
		}
	}
	return NULL;
}

static uint64_t
element_id(const struct md_field *f, unsigned k)
{
	return f->id + k;
}

#define FIELDS_END (sys_fields + ARRAY_LENGTH(sys_fields))

/* Whether the module's build has field f (builds.c). */
static bool
present(const struct tdxsim_module *m, const struct md_field *f)
{
	return (f->needs & m->build.fields) == f->needs;
}

/* The first field at or after f that the build has, or FIELDS_END. */
static const struct md_field *
first_present(const struct tdxsim_module *m, const struct md_field *f)
{
	while (f < FIELDS_END && !present(m, f))
		f++;
	return f;
}

/* The id after element k of f in table order, or MD_FIELD_ID_NA. */
static uint64_t
next_id(const struct tdxsim_module *m, const struct md_field *f, unsigned k)
{
	if (k + 1 < f->count)
		return element_id(f, k + 1);
	f = first_present(m, f + 1);
	return f < FIELDS_END ? element_id(f, 0) : MD_FIELD_ID_NA;
}

static bool
is_null_id(uint64_t id)
{
	return (id | CONTEXT_BITS) == UINT64_MAX;
}

uint64_t
tdxsim_metadata_read(const struct tdxsim_module *m, uint64_t id,
		     uint64_t *value, uint64_t *next)
{
	const struct md_field *f;
	unsigned k;

	*value = 0;
	if (is_null_id(id)) {
		*next = element_id(first_present(m, sys_fields), 0);
		return TDXSIM_TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT;
	}
	/* The context is forced to SYS; size, INC_SIZE and WRITE_MASK_VALID
	 * of the input are ignored (md_check_as_single_element_id). */
	if (id & RD_MUST_BE_ZERO)
		return TDXSIM_TDX_METADATA_FIELD_ID_INCORRECT;
	/* A field this build does not have is as unknown as any other
	 * (1.5.01 has no MAX_VCPUS_PER_TD). */
	f = lookup(id, &k);
	if (!f || !present(m, f))
		return TDXSIM_TDX_METADATA_FIELD_ID_INCORRECT;
	*value = masked(f->id, field_value(m, f->value, k));
	*next = next_id(m, f, k);
	return TDXSIM_TDX_SUCCESS;
}

static void
put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * md_dump_list(): an 8-byte list header {u16 list_buff_size, u16
 * num_sequences, u32 reserved}, then sequences: a field id whose
 * LAST_FIELD_IN_SEQUENCE says how many consecutive fields follow, then one
 * u64 per field. Here one sequence per table entry.
 */
uint64_t
tdxsim_metadata_read_all(struct tdxsim_module *m, uint64_t pa, uint64_t *next)
{
	uint8_t page[4096] = { 0 };
	size_t used = 8, sequences = 0;
	const struct md_field *f;
	unsigned k = 0;

	if (is_null_id(*next))
		f = sys_fields;
	else if ((*next & RD_MUST_BE_ZERO) || !(f = lookup(*next, &k)) ||
		 !present(m, f))
		return TDXSIM_TDX_METADATA_FIELD_ID_INCORRECT;
	for (; (f = first_present(m, f)) < FIELDS_END; f++, k = 0) {
		unsigned n = f->count - k;

		if (used + 8 + 8 * (size_t)n > sizeof(page))
			break;
		put_u64(page + used, element_id(f, k) |
			((uint64_t)(n - 1) << LAST_FIELD_SHIFT));
		used += 8;
		for (unsigned e = k; e < f->count; e++, used += 8)
			put_u64(page + used, masked(f->id, field_value(m, f->value, e)));
		sequences++;
	}
	page[0] = (uint8_t)used;
	page[1] = (uint8_t)(used >> 8);
	page[2] = (uint8_t)sequences;
	page[3] = (uint8_t)(sequences >> 8);
	if (tdxsim_phys_store(&m->phys, pa, page, sizeof(page)) < 0)
		return TDXSIM_TDX_OPERAND_INVALID | TDXSIM_OPERAND_ID_RDX;
	if (f < FIELDS_END) {
		*next = element_id(f, k);
		return TDXSIM_TDX_METADATA_LIST_OVERFLOW;
	}
	*next = MD_FIELD_ID_NA;
	return TDXSIM_TDX_SUCCESS;
}

TDXSIM_EXPORT int
tdxsim_metadata_field_describe(uint64_t field_id, char *buf, size_t size)
{
	const struct md_field *f;
	unsigned k;

	if ((field_id & RD_MUST_BE_ZERO) || !(f = lookup(field_id, &k)))
		return -ENOENT;
	if (f->count > 1)
		snprintf(buf, size, "%s[%u] (class 0x%02x, %u-bit)", f->name, k,
			 (unsigned)CLASS_CODE(f->id), 8u << ((f->id >> 32) & 3));
	else
		snprintf(buf, size, "%s (class 0x%02x, %u-bit)", f->name,
			 (unsigned)CLASS_CODE(f->id), 8u << ((f->id >> 32) & 3));
	return 0;
}

/* ---- TDH.SYS.INFO (1.0 ABI) ------------------------------------------------ */

static void
put_u16(uint8_t *p, uint64_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put_u32(uint8_t *p, uint64_t v)
{
	put_u16(p, v);
	put_u16(p + 2, v >> 16);
}

/* NUM_CPUID_CONFIG at 128, then CPUID_CONFIG[i] of 24 bytes: leaf, subleaf,
 * EAX, EBX, ECX, EDX (tdh_sys_info.c writes the build's whole table; the
 * values as in cpuid_values(), without the native CPU's bits). */
static void
fill_cpuid_configs(const struct module_build *b, uint8_t info[1024])
{
	put_u32(info + 128, b->cpuid_count);
	for (size_t i = 0; i < b->cpuid_count; i++) {
		uint8_t *c = info + 132 + 24 * i;

		put_u32(c, b->cpuid[i].leaf);
		put_u32(c + 4, b->cpuid[i].subleaf);
		put_u32(c + 8, b->cpuid[i].eax);
		put_u32(c + 12, b->cpuid[i].ebx);
		put_u32(c + 16, b->cpuid[i].ecx);
		put_u32(c + 20, b->cpuid[i].edx);
	}
}

/* td_sys_info_t (layout: tdx_api_defs.h): the memory-info part is what
 * hosts use; TD-configuration fields other than CPUID_CONFIG are left 0. */
static void
fill_sys_info(const struct tdxsim_module *m, uint8_t info[1024])
{
	const struct tdxsim_module_profile *p = &m->profile;

	memset(info, 0, 1024);
	put_u32(info + 4, 0x8086);
	put_u32(info + 8, p->build_date);
	put_u16(info + 12, p->build_num);
	put_u16(info + 14, p->minor);
	put_u16(info + 16, p->major);
	info[18] = m->generation == MODULE_GEN_1_0 ? 0 : 1;	/* SYS_RD */
	put_u16(info + 32, p->max_tdmrs);
	put_u16(info + 34, p->max_reserved_per_tdmr);
	put_u16(info + 36, p->pamt_entry_size[0]);
	put_u16(info + 48, 6 * 4096);
	put_u16(info + 52, 6 * 4096);
	fill_cpuid_configs(&m->build, info);
}

uint64_t
tdxsim_metadata_sys_info(struct tdxsim_module *m, struct tdxsim_regs *regs)
{
	uint8_t info[1024], cmrs[TDXSIM_MAX_CMRS * 16] = { 0 };

	if (!tdxsim_module_shared_hpa_ok(m, regs->rcx, 1024))
		return TDXSIM_TDX_OPERAND_INVALID | TDXSIM_OPERAND_ID_RCX;
	if (regs->rdx < 1024)
		return TDXSIM_TDX_OPERAND_INVALID | TDXSIM_OPERAND_ID_RDX;
	if (!tdxsim_module_shared_hpa_ok(m, regs->r8, 512))
		return TDXSIM_TDX_OPERAND_INVALID | TDXSIM_OPERAND_ID_R8;
	if (regs->r9 < TDXSIM_MAX_CMRS)
		return TDXSIM_TDX_OPERAND_INVALID | TDXSIM_OPERAND_ID_R9;
	fill_sys_info(m, info);
	/* All 32 CMR_INFO entries, null ones included (tdh_sys_info.c). */
	for (size_t i = 0; i < m->cmrs_given; i++) {
		put_u64(cmrs + 16 * i, m->cmrs[i].base);
		put_u64(cmrs + 16 * i + 8, m->cmrs[i].size);
	}
	if (tdxsim_phys_store(&m->phys, regs->rcx, info, sizeof(info)) < 0 ||
	    tdxsim_phys_store(&m->phys, regs->r8, cmrs, sizeof(cmrs)) < 0)
		return TDXSIM_TDX_OPERAND_INVALID | TDXSIM_OPERAND_ID_RCX;
	regs->rdx = 1024;
	regs->r9 = TDXSIM_MAX_CMRS;
	return TDXSIM_TDX_SUCCESS;
}
