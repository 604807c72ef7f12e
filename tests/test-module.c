/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the simulated TDX module (include/tdxsim/module.h), driven
 * only the way a host drives a real one: registers through
 * tdxsim_seamcall(), memory through tdxsim_phys_*(), plus the read-only
 * observers tdxsim_module_state() and tdxsim_module_page_state().
 * Platforms are built in code. Expected values come from the module's
 * source (intel/tdx-module tdx_1.5 and its 1.0/1.5.05/1.5.06 mirrors;
 * docs/module.md): the global state machine of the dispatcher
 * (src/vmm_dispatcher/), each leaf's register ABI, TDH.SYS.CONFIG's register
 * checks (tdh_sys_config.c), TDSYSINFO_STRUCT/CMR_INFO and the metadata
 * field ids (include/tdx_api_defs.h, the global metadata fields), and CMR
 * reporting. Every status is compared as the whole 64-bit word.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <tdxsim/tdxsim.h>

#include "test-common.h"

#define KIB (1ULL << 10)
#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define MAX_PA (1ULL << 52)

/* The test platform: 4 logical CPUs in 2 packages (CPUs 0-1 in package 0,
 * 2-3 in package 1), private KeyIDs [32, 64) (6 KeyID bits: HKID bits are
 * 51:46), CMRs [4G, 8G) and [16G, 16G + 256M). */
#define NR_LPS 4
#define NR_PKGS 2
#define KEYID_START 32
#define KEYID_END 64
#define HKID_BIT (1ULL << 46)
/* KeyID 32, the first private one: not a shared HPA (1.4 shared_hpa_check:
 * HKID < private_hkid_min). KeyID 1 (HKID_BIT) is an MKTME KeyID, shared. */
#define PRIVATE_HKID (32ULL << 46)
#define CMR0_BASE (4 * GIB)
#define CMR0_SIZE (4 * GIB)
#define CMR1_BASE (16 * GIB)
#define CMR1_SIZE (256 * MIB)
#define BUILD_DATE 20240407u
#define BUILD_NUM 744u

/* The standard layout: TDMR [4G, 6G), PAMTs 4K | 2M | 1G from 6G on
 * (inside CMR 0, outside the TDMR), one reserved area at 4G + 1M. */
#define TDMR_BASE (4 * GIB)
#define TDMR_SIZE (2 * GIB)
#define PAMT4K_BASE (6 * GIB)
#define PAMT4K_SIZE (8 * MIB)
#define PAMT2M_BASE (PAMT4K_BASE + PAMT4K_SIZE)
#define PAMT2M_SIZE (16 * KIB)
#define PAMT1G_BASE (PAMT2M_BASE + PAMT2M_SIZE)
#define PAMT1G_SIZE (4 * KIB)
#define RSVD_OFFSET (1 * MIB)
#define RSVD_SIZE (2 * MIB)

/* Where the tests put their own SEAMCALL buffers; clear of the area
 * tdxsim_module_config_layout() uses (0x80000 and 0x100000 on). */
#define PA_ARRAY 0x200000ULL
#define PA_ENTRIES 0x300000ULL
#define PA_SYSINFO 0x400000ULL
#define PA_CMRINFO 0x401000ULL
#define PA_RDALL 0x402000ULL

/* Metadata field ids (the module's global metadata fields; Linux
 * arch/x86/virt/vmx/tdx/tdx_global_metadata.c reads the same ids). */
#define MD_NUM_PKGS 0x0000000200000000ULL
#define MD_VENDOR_ID 0x0800000200000000ULL
#define MD_BUILD_DATE 0x8800000200000001ULL
#define MD_BUILD_NUM 0x8800000100000002ULL
#define MD_MINOR 0x0800000100000003ULL
#define MD_MAJOR 0x0800000100000004ULL
#define MD_UPDATE 0x0800000100000005ULL
#define MD_INTERNAL 0x0800000100000006ULL
#define MD_FEATURES0 0x0A00000300000008ULL
#define MD_NUM_CMRS 0x9000000100000000ULL
#define MD_CMR_BASE 0x9000000300000080ULL
#define MD_CMR_SIZE 0x9000000300000100ULL
#define MD_MAX_TDMRS 0x9100000100000008ULL
#define MD_MAX_RSVD 0x9100000100000009ULL
#define MD_PAMT_4K 0x9100000100000010ULL
#define MD_PAMT_2M 0x9100000100000011ULL
#define MD_PAMT_1G 0x9100000100000012ULL
#define MD_TDR_SIZE 0x9800000100000000ULL
#define MD_TDCS_SIZE 0x9800000100000100ULL
#define MD_TDVPS_SIZE 0x9800000100000200ULL
#define MD_MAX_VCPUS 0x9900000100000008ULL
#define MD_NULL UINT64_MAX
#define MD_NA UINT64_MAX
/* Fields of a field id (md_field_id_t, intel/tdx-module
 * include/tdx_api_defs.h). */
#define MD_SIZE_SHIFT 32
#define MD_LAST_ELEM_SHIFT 34
#define MD_LAST_FIELD_SHIFT 38
#define MD_LAST_FIELD_MASK (0x1FFULL << MD_LAST_FIELD_SHIFT)
#define MD_LAST_ELEM_MASK (0xFULL << MD_LAST_ELEM_SHIFT)
#define MD_INC_SIZE (1ULL << 50)
#define MD_WRITE_MASK_VALID (1ULL << 51)
#define MD_CONTEXT_SHIFT 52
#define MD_CONTEXT_MASK (7ULL << MD_CONTEXT_SHIFT)

#define OPERAND_INVALID(id) (TDXSIM_TDX_OPERAND_INVALID | (uint64_t)(id))

/* The number of SYS metadata elements a 1.5.06 build exposes in the
 * simulator: NUM_PKGS, PKG_FMS x8, VENDOR_ID, BUILD_DATE, BUILD_NUM, the
 * four version parts, SYS_ATTRIBUTES, NUM_TDX_FEATURES, TDX_FEATURES0,
 * NUM_CMRS, CMR_BASE x32, CMR_SIZE x32, the five TDMR fields, the three
 * base sizes, ATTRIBUTES/XFAM_FIXED0/1, NUM_CPUID_CONFIG,
 * CONFIG_FLAGS_FIXED0/1, MAX_VCPUS_PER_TD, MIN_VIRT_MAXPA,
 * CPUID_CONFIG_LEAVES x32 and CPUID_CONFIG_VALUES x64. */
#define MD_ELEMENT_COUNT 197

/* ---- platforms and modules ---------------------------------------------- */

/* Knobs of one test module; zero means the test platform's default. */
struct setup {
	unsigned major, minor, update;	/* all 0: 1.5.06 */
	bool update_unknown;		/* version "1.5" */
	unsigned nr_lps, nr_pkgs;
	bool relaxed;			/* TDXSIM_LP_INIT_RELAXED */
	bool actual_cmrs;		/* TDXSIM_NUM_CMRS_ACTUAL */
	bool absent;
	bool null_cmr_slot;		/* a null slot between the two CMRs */
	uint32_t build_num;
	uint64_t features0;		/* nonzero: override */
};

static struct tdxsim_module *
new_module_with(const struct setup *s)
{
	struct tdxsim_platform *p = tdxsim_platform_new();
	struct tdxsim_module_profile prof;
	struct tdxsim_module_options opts;
	struct tdxsim_module *m = NULL;

	assert_non_null(p);
	tdxsim_module_profile_init(&prof);
	if (s->major || s->minor || s->update) {
		prof.major = s->major;
		prof.minor = s->minor;
		prof.update = s->update;
	}
	if (s->update_unknown)
		prof.update = TDXSIM_VERSION_UNKNOWN;
	prof.build_date = BUILD_DATE;
	prof.build_num = s->build_num ? s->build_num : BUILD_NUM;
	prof.keyid_start = KEYID_START;
	prof.keyid_end = KEYID_END;
	prof.nr_lps = s->nr_lps ? s->nr_lps : NR_LPS;
	prof.nr_packages = s->nr_pkgs ? s->nr_pkgs : NR_PKGS;
	tdxsim_platform_set_module_profile(p, &prof);
	assert_int_equal(tdxsim_platform_add_cmr(p, CMR0_BASE, CMR0_SIZE), 0);
	if (s->null_cmr_slot)
		assert_int_equal(tdxsim_platform_add_cmr(p, 0, 0), 0);
	assert_int_equal(tdxsim_platform_add_cmr(p, CMR1_BASE, CMR1_SIZE), 0);

	tdxsim_module_options_init(&opts, &prof);
	if (s->relaxed)
		opts.lp_init_policy = TDXSIM_LP_INIT_RELAXED;
	if (s->actual_cmrs)
		opts.num_cmrs_report = TDXSIM_NUM_CMRS_ACTUAL;
	if (s->absent)
		opts.absent = 1;
	if (s->features0)
		opts.features0 = s->features0;
	assert_int_equal(tdxsim_module_new(p, &opts, &m), 0);
	assert_non_null(m);
	/* The platform is copied; freeing it first must be fine. */
	tdxsim_platform_free(p);
	return m;
}

/* A 1.5.06 module with STRICT LP.INIT (the 1.5 default). */
static struct tdxsim_module *
new_module(void)
{
	struct setup s = { 0 };

	return new_module_with(&s);
}

static struct tdxsim_module *
new_module_relaxed(void)
{
	struct setup s = { .relaxed = true };

	return new_module_with(&s);
}

static struct tdxsim_module *
new_module_1_0(void)
{
	struct setup s = { .major = 1, .minor = 0, .update = 0,
			   .update_unknown = true };

	return new_module_with(&s);
}

/* ---- SEAMCALL helpers --------------------------------------------------- */

/* SEAMCALL with the given RAX and operand registers; returns RAX. */
static uint64_t
call(struct tdxsim_module *m, unsigned cpu, uint64_t rax,
     struct tdxsim_regs *r)
{
	r->rax = rax;
	assert_int_equal(tdxsim_seamcall(m, cpu, r), 0);
	return r->rax;
}

/* SEAMCALL with every other register 0; returns RAX. */
static uint64_t
call0(struct tdxsim_module *m, unsigned cpu, uint64_t rax)
{
	struct tdxsim_regs r = { 0 };

	return call(m, cpu, rax, &r);
}

static void
sys_init(struct tdxsim_module *m)
{
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_INIT), TDXSIM_TDX_SUCCESS);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_DONE);
}

static void
lp_init(struct tdxsim_module *m, unsigned cpu)
{
	assert_int_equal(call0(m, cpu, TDXSIM_TDH_SYS_LP_INIT), TDXSIM_TDX_SUCCESS);
}

static void
lp_init_all(struct tdxsim_module *m, unsigned nr_lps)
{
	for (unsigned cpu = 0; cpu < nr_lps; cpu++)
		lp_init(m, cpu);
}

/* The standard layout (TDMR [4G, 6G), PAMTs at 6G, a reserved area). */
static struct tdxsim_layout *
standard_layout(void)
{
	struct tdxsim_layout *l = tdxsim_layout_new();

	assert_non_null(l);
	assert_int_equal(tdxsim_layout_add_tdmr(l, TDMR_BASE, TDMR_SIZE), 0);
	assert_int_equal(tdxsim_layout_set_pamt(l, 0, TDXSIM_PAMT_4K,
						PAMT4K_BASE, PAMT4K_SIZE), 0);
	assert_int_equal(tdxsim_layout_set_pamt(l, 0, TDXSIM_PAMT_2M,
						PAMT2M_BASE, PAMT2M_SIZE), 0);
	assert_int_equal(tdxsim_layout_set_pamt(l, 0, TDXSIM_PAMT_1G,
						PAMT1G_BASE, PAMT1G_SIZE), 0);
	assert_int_equal(tdxsim_layout_add_reserved(l, 0, RSVD_OFFSET, RSVD_SIZE), 0);
	return l;
}

/* TDH.SYS.CONFIG of a layout on CPU 0; returns RAX. */
static uint64_t
config_with(struct tdxsim_module *m, const struct tdxsim_layout *l,
	    unsigned keyid)
{
	uint64_t status = 0xdeadbeef;

	assert_int_equal(tdxsim_module_config_layout(m, 0, l, keyid, &status), 0);
	return status;
}

static uint64_t
config_standard(struct tdxsim_module *m)
{
	struct tdxsim_layout *l = standard_layout();
	uint64_t status = config_with(m, l, 0);

	tdxsim_layout_free(l);
	return status;
}

/* KEY.CONFIG on the first CPU of every package (CPUs 0 and 2). */
static void
key_config_all(struct tdxsim_module *m)
{
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_KEY_CONFIG), TDXSIM_TDX_SUCCESS);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSCONFIG_DONE);
	assert_int_equal(call0(m, 2, TDXSIM_TDH_SYS_KEY_CONFIG), TDXSIM_TDX_SUCCESS);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_READY);
}

/* PENDING -> SYSINIT_DONE with every LP initialised. */
static void
to_sysinit_done(struct tdxsim_module *m)
{
	sys_init(m);
	lp_init_all(m, NR_LPS);
}

/* ... -> SYSCONFIG_DONE with the standard layout. */
static void
to_sysconfig_done(struct tdxsim_module *m)
{
	to_sysinit_done(m);
	assert_int_equal(config_standard(m), TDXSIM_TDX_SUCCESS);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSCONFIG_DONE);
}

static void
to_ready(struct tdxsim_module *m)
{
	to_sysconfig_done(m);
	key_config_all(m);
}

/* TDH.SYS.RD of one field on CPU 0; returns RAX, value and next id. */
static uint64_t
sys_rd(struct tdxsim_module *m, uint64_t id, uint64_t *value, uint64_t *next)
{
	struct tdxsim_regs r = { .rdx = id, .r8 = 0x5555 };
	uint64_t status = call(m, 0, TDXSIM_TDH_SYS_RD, &r);

	if (value)
		*value = r.r8;
	if (next)
		*next = r.rdx;
	return status;
}

/* The value of a field that must read successfully. */
static uint64_t
rd_value(struct tdxsim_module *m, uint64_t id)
{
	uint64_t value, next;

	assert_int_equal(sys_rd(m, id, &value, &next), TDXSIM_TDX_SUCCESS);
	return value;
}

static void
put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t
get_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = bytes; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

static void
write_u64(struct tdxsim_module *m, uint64_t pa, uint64_t v)
{
	uint8_t b[8];

	put_le64(b, v);
	assert_int_equal(tdxsim_phys_write(m, pa, b, sizeof(b)), 0);
}

/* Write one TDMR_INFO entry (16 slots) of TDMR 0 of l at pa. */
static void
write_entry(struct tdxsim_module *m, uint64_t pa, const struct tdxsim_layout *l)
{
	uint8_t entry[TDXSIM_TDMR_INFO_SIZE(16)];

	assert_int_equal(tdxsim_layout_encode_tdmr_info(tdxsim_layout_tdmr(l, 0), 16,
							entry, sizeof(entry)), 0);
	assert_int_equal(tdxsim_phys_write(m, pa, entry, sizeof(entry)), 0);
}

/* TDH.SYS.CONFIG with registers given directly; returns RAX. */
static uint64_t
config_regs(struct tdxsim_module *m, uint64_t rcx, uint64_t rdx, uint64_t r8)
{
	struct tdxsim_regs r = { .rcx = rcx, .rdx = rdx, .r8 = r8 };

	return call(m, 0, TDXSIM_TDH_SYS_CONFIG, &r);
}

/* ======================================================================== */
/* 1. State machine (the dispatcher and each leaf's state check)           */
/* ======================================================================== */

static void
test_new_module_pending(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_PENDING);
	tdxsim_module_free(m);
	tdxsim_module_free(NULL);
}

/* tdh_sys_init(): RCX, RDX, R8, R9 and R10 are zeroed on the way out, in
 * every source read (1.0.3, 1.5.01, 1.5.05, 1.5.06 and 2.0.08 all clear
 * the five at the top of the function). */
static void
test_sys_init_zeroes_outputs(void **state)
{
	struct tdxsim_module *m = new_module();
	struct tdxsim_regs r = { .rdx = 1, .r8 = 2, .r9 = 3, .r10 = 4 };

	(void)state;
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_INIT, &r), TDXSIM_TDX_SUCCESS);
	assert_int_equal(r.rcx, 0);
	assert_int_equal(r.rdx, 0);
	assert_int_equal(r.r8, 0);
	assert_int_equal(r.r9, 0);
	assert_int_equal(r.r10, 0);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_DONE);
	tdxsim_module_free(m);
}

/* 1.3: SYS.INIT outside PENDING -> TDX_SYS_INIT_NOT_PENDING, in every state. */
static void
test_sys_init_twice(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	sys_init(m);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_INIT), 0xC000050000000000ULL);
	assert_int_equal(call0(m, 3, TDXSIM_TDH_SYS_INIT), 0xC000050000000000ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_DONE);
	lp_init_all(m, NR_LPS);
	assert_int_equal(config_standard(m), TDXSIM_TDX_SUCCESS);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_INIT), 0xC000050000000000ULL);
	key_config_all(m);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_INIT), 0xC000050000000000ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_READY);
	tdxsim_module_free(m);
}

/* 1.4: a non-zero RCX -> OPERAND_INVALID|RCX; RCX is checked before the
 * state, and a failed call leaves the state PENDING. */
static void
test_sys_init_rcx_nonzero(void **state)
{
	struct tdxsim_module *m = new_module();
	struct tdxsim_regs r = { .rcx = 1 };

	(void)state;
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_INIT, &r), 0xC000010000000001ULL);
	r = (struct tdxsim_regs){ .rcx = 1ULL << 63 };
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_INIT, &r), 0xC000010000000001ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_PENDING);
	sys_init(m);
	r = (struct tdxsim_regs){ .rcx = 1 };
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_INIT, &r), 0xC000010000000001ULL);
	tdxsim_module_free(m);
}

/* A module over the given CMR slots (4 CPUs, 2 packages, KeyIDs [32, 64)). */
static struct tdxsim_module *
module_with_cmrs(const uint64_t (*cmrs)[2], size_t n)
{
	struct tdxsim_platform *p = tdxsim_platform_new();
	struct tdxsim_module_profile prof;
	struct tdxsim_module *m = NULL;

	assert_non_null(p);
	tdxsim_module_profile_init(&prof);
	prof.keyid_start = KEYID_START;
	prof.keyid_end = KEYID_END;
	prof.nr_lps = NR_LPS;
	prof.nr_packages = NR_PKGS;
	tdxsim_platform_set_module_profile(p, &prof);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(tdxsim_platform_add_cmr(p, cmrs[i][0], cmrs[i][1]), 0);
	assert_int_equal(tdxsim_module_new(p, NULL, &m), 0);
	tdxsim_platform_free(p);
	return m;
}

/* 4.2 / 7.5 check_cmrs(): 4 KiB granular, HKID bits clear, ascending,
 * no overlap (adjacency allowed), null slots skipped anywhere; else
 * TDX_CMR_LIST_INVALID and the state stays PENDING. */
static void
test_sys_init_cmr_list(void **state)
{
	static const uint64_t unaligned_base[][2] = { { GIB + 0x800, GIB } };
	static const uint64_t unaligned_size[][2] = { { GIB, GIB + 1 } };
	static const uint64_t descending[][2] = { { 4 * GIB, GIB }, { GIB, GIB } };
	static const uint64_t overlapping[][2] = { { GIB, 2 * GIB }, { 2 * GIB, GIB } };
	static const uint64_t hkid_base[][2] = { { 1ULL << 46, GIB } };
	static const uint64_t hkid_end[][2] = { { (1ULL << 46) - GIB, 2 * GIB } };
	static const uint64_t adjacent_with_nulls[][2] = {
		{ 0, 0 }, { GIB, GIB }, { 0, 0 }, { 2 * GIB, GIB }, { 0, 0 },
		{ (1ULL << 46) - GIB, GIB },
	};
	static const struct {
		const uint64_t (*cmrs)[2];
		size_t n;
		uint64_t want;
	} cases[] = {
		{ unaligned_base, 1, 0xC0000A2200000000ULL },
		{ unaligned_size, 1, 0xC0000A2200000000ULL },
		{ descending, 2, 0xC0000A2200000000ULL },
		{ overlapping, 2, 0xC0000A2200000000ULL },
		{ hkid_base, 1, 0xC0000A2200000000ULL },
		{ hkid_end, 1, 0xC0000A2200000000ULL },
		{ adjacent_with_nulls, 6, TDXSIM_TDX_SUCCESS },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tdxsim_module *m = module_with_cmrs(cases[i].cmrs, cases[i].n);
		uint64_t got = call0(m, 0, TDXSIM_TDH_SYS_INIT);

		if (got != cases[i].want)
			fail_msg("CMR case %zu: %#" PRIx64 ", want %#" PRIx64,
				 i, got, cases[i].want);
		assert_int_equal(tdxsim_module_state(m),
				 got == TDXSIM_TDX_SUCCESS ? TDXSIM_MODULE_SYSINIT_DONE
							   : TDXSIM_MODULE_SYSINIT_PENDING);
		tdxsim_module_free(m);
	}
}

static void
test_lp_init_before_sys_init(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	for (unsigned cpu = 0; cpu < NR_LPS; cpu++)
		assert_int_equal(call0(m, cpu, TDXSIM_TDH_SYS_LP_INIT),
				 0xC000050B00000000ULL);
	/* Nothing was recorded: after SYS.INIT each CPU's first LP.INIT works. */
	sys_init(m);
	lp_init_all(m, NR_LPS);
	tdxsim_module_free(m);
}

/* 1.4 TDH.SYS.LP.INIT: RCX, RDX, R8 are zeroed on the way out. */
static void
test_lp_init_twice(void **state)
{
	struct tdxsim_module *m = new_module();
	struct tdxsim_regs r = { .rcx = 7, .rdx = 8, .r8 = 9, .r9 = 10, .r10 = 11 };

	(void)state;
	sys_init(m);
	assert_int_equal(call(m, 1, TDXSIM_TDH_SYS_LP_INIT, &r), TDXSIM_TDX_SUCCESS);
	/* tdh_sys_lp_init() clears RCX, RDX and R8 only. */
	assert_int_equal(r.rcx, 0);
	assert_int_equal(r.rdx, 0);
	assert_int_equal(r.r8, 0);
	assert_int_equal(r.r9, 10);
	assert_int_equal(r.r10, 11);
	assert_int_equal(call0(m, 1, TDXSIM_TDH_SYS_LP_INIT), 0xC000050300000000ULL);
	/* Other CPUs are not affected. */
	lp_init(m, 0);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_LP_INIT), 0xC000050300000000ULL);
	/* The repeated call did not count: CONFIG still waits for CPUs 2, 3. */
	assert_int_equal(config_standard(m), 0xC000050C00000000ULL);
	lp_init(m, 2);
	lp_init(m, 3);
	assert_int_equal(config_standard(m), TDXSIM_TDX_SUCCESS);
	tdxsim_module_free(m);
}

/* STRICT (1.5 source): LP.INIT only in SYSINIT_DONE. */
static void
test_lp_init_after_config_strict(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	to_sysconfig_done(m);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_LP_INIT), 0xC000050B00000000ULL);
	key_config_all(m);
	assert_int_equal(call0(m, 3, TDXSIM_TDH_SYS_LP_INIT), 0xC000050B00000000ULL);
	tdxsim_module_free(m);
}

/* RELAXED (1.6): LP.INIT in any state from SYSINIT_DONE on, still once
 * per CPU. */
static void
test_lp_init_after_config_relaxed(void **state)
{
	struct tdxsim_module *m = new_module_relaxed();

	(void)state;
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_LP_INIT), 0xC000050B00000000ULL);
	sys_init(m);
	lp_init(m, 0);
	assert_int_equal(config_standard(m), TDXSIM_TDX_SUCCESS);
	lp_init(m, 1);		/* SYSCONFIG_DONE */
	assert_int_equal(call0(m, 1, TDXSIM_TDH_SYS_LP_INIT), 0xC000050300000000ULL);
	key_config_all(m);
	lp_init(m, 3);		/* READY */
	assert_int_equal(call0(m, 3, TDXSIM_TDH_SYS_LP_INIT), 0xC000050300000000ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_READY);
	tdxsim_module_free(m);
}

/* SYS.INFO, SYS.RD and SYS.RDALL all need this LP initialised. */
static void
assert_metadata_leaves_refused(struct tdxsim_module *m, unsigned cpu)
{
	struct tdxsim_regs r;

	r = (struct tdxsim_regs){ .rdx = MD_MAX_TDMRS };
	assert_int_equal(call(m, cpu, TDXSIM_TDH_SYS_RD, &r), 0xC000050200000000ULL);
	r = (struct tdxsim_regs){ .rdx = PA_RDALL, .r8 = MD_NULL };
	assert_int_equal(call(m, cpu, TDXSIM_TDH_SYS_RDALL, &r), 0xC000050200000000ULL);
	r = (struct tdxsim_regs){ .rcx = PA_SYSINFO, .rdx = 1024,
				  .r8 = PA_CMRINFO, .r9 = 32 };
	assert_int_equal(call(m, cpu, TDXSIM_TDH_SYS_INFO, &r), 0xC000050200000000ULL);
}

static void
test_metadata_lp_not_init_pending(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	for (unsigned cpu = 0; cpu < NR_LPS; cpu++)
		assert_metadata_leaves_refused(m, cpu);
	tdxsim_module_free(m);
}

static void
test_metadata_lp_not_init_sysinit_done(void **state)
{
	struct tdxsim_module *m = new_module();
	struct tdxsim_regs r = { .rdx = MD_MAX_TDMRS };

	(void)state;
	sys_init(m);
	assert_metadata_leaves_refused(m, 0);
	lp_init(m, 1);
	assert_metadata_leaves_refused(m, 0);
	assert_metadata_leaves_refused(m, 2);
	/* The initialised LP may read. */
	assert_int_equal(call(m, 1, TDXSIM_TDH_SYS_RD, &r), TDXSIM_TDX_SUCCESS);
	assert_int_equal(r.r8, 64);
	tdxsim_module_free(m);
}

static void
test_config_before_all_lps_strict(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	sys_init(m);
	assert_int_equal(config_standard(m), 0xC000050C00000000ULL);
	lp_init_all(m, NR_LPS - 1);
	assert_int_equal(config_standard(m), 0xC000050C00000000ULL);
	/* The LP check comes before the register checks (2.1: 3 before 4). */
	assert_int_equal(config_regs(m, 1, 0, 0), 0xC000050C00000000ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_DONE);
	lp_init(m, NR_LPS - 1);
	assert_int_equal(config_standard(m), TDXSIM_TDX_SUCCESS);
	tdxsim_module_free(m);
}

static void
test_config_before_all_lps_relaxed(void **state)
{
	struct tdxsim_module *m = new_module_relaxed();

	(void)state;
	sys_init(m);
	lp_init(m, 0);
	assert_int_equal(config_standard(m), TDXSIM_TDX_SUCCESS);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSCONFIG_DONE);
	tdxsim_module_free(m);
}

static void
test_config_in_pending(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	assert_int_equal(config_standard(m), 0xC000050C00000000ULL);
	/* The state is checked before the registers. */
	assert_int_equal(config_regs(m, 1, 0, 0), 0xC000050C00000000ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_PENDING);
	tdxsim_module_free(m);
}

static void
test_config_twice(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	to_sysconfig_done(m);
	assert_int_equal(config_standard(m), 0xC000050C00000000ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSCONFIG_DONE);
	key_config_all(m);
	assert_int_equal(config_standard(m), 0xC000050C00000000ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_READY);
	tdxsim_module_free(m);
}

static void
test_key_config_before_config(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_KEY_CONFIG), 0xC000050700000000ULL);
	to_sysinit_done(m);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_KEY_CONFIG), 0xC000050700000000ULL);
	assert_int_equal(call0(m, 2, TDXSIM_TDH_SYS_KEY_CONFIG), 0xC000050700000000ULL);
	/* The refused calls configured nothing: both packages still go. */
	assert_int_equal(config_standard(m), TDXSIM_TDX_SUCCESS);
	key_config_all(m);
	tdxsim_module_free(m);
}

/* A package's second KEY.CONFIG, from the same or its other CPU, is
 * TDX_KEY_CONFIGURED (a status, bit 63 clear). */
static void
test_key_config_twice_same_package(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	to_sysconfig_done(m);
	assert_int_equal(call0(m, 1, TDXSIM_TDH_SYS_KEY_CONFIG), TDXSIM_TDX_SUCCESS);
	assert_int_equal(call0(m, 1, TDXSIM_TDH_SYS_KEY_CONFIG), 0x0000081500000000ULL);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_KEY_CONFIG), 0x0000081500000000ULL);
	/* Not counted twice: still waiting for package 1. */
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSCONFIG_DONE);
	assert_int_equal(call0(m, 3, TDXSIM_TDH_SYS_KEY_CONFIG), TDXSIM_TDX_SUCCESS);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_READY);
	tdxsim_module_free(m);
}

/* The last package's KEY.CONFIG moves to READY, in either order; after
 * that KEY.CONFIG is not pending. */
static void
test_key_config_last_package_ready(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	to_sysconfig_done(m);
	assert_int_equal(call0(m, 2, TDXSIM_TDH_SYS_KEY_CONFIG), TDXSIM_TDX_SUCCESS);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSCONFIG_DONE);
	assert_int_equal(call0(m, 1, TDXSIM_TDH_SYS_KEY_CONFIG), TDXSIM_TDX_SUCCESS);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_READY);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_KEY_CONFIG), 0xC000050700000000ULL);
	assert_int_equal(call0(m, 3, TDXSIM_TDH_SYS_KEY_CONFIG), 0xC000050700000000ULL);
	tdxsim_module_free(m);
}

/*
 * 1.3: KEY.CONFIG once per package, the last package moves to READY, so
 * every package must have a CPU. module.h numbers CPUs package by package,
 * floor(cpu * packages / logical-cpus): 6 CPUs in 4 packages are in
 * packages 0, 0, 1, 2, 2, 3. (The first numbering, cpu / ceil(6 / 4),
 * gave 0, 0, 1, 1, 2, 2 and left package 3 empty: READY was unreachable.)
 */
static void
test_key_config_every_package_reachable(void **state)
{
	static const uint64_t want[6] = {
		TDXSIM_TDX_SUCCESS, TDXSIM_TDX_KEY_CONFIGURED, TDXSIM_TDX_SUCCESS,
		TDXSIM_TDX_SUCCESS, TDXSIM_TDX_KEY_CONFIGURED, TDXSIM_TDX_SUCCESS,
	};
	struct setup s = { .nr_lps = 6, .nr_pkgs = 4 };
	struct tdxsim_module *m = new_module_with(&s);

	/* Freed by the teardown, so that a failure leaks nothing. */
	*state = m;
	sys_init(m);
	lp_init_all(m, 6);
	assert_int_equal(config_standard(m), TDXSIM_TDX_SUCCESS);
	for (unsigned cpu = 0; cpu < 6; cpu++) {
		uint64_t st = call0(m, cpu, TDXSIM_TDH_SYS_KEY_CONFIG);

		if (st != want[cpu])
			fail_msg("KEY.CONFIG on CPU %u: %#" PRIx64 ", want %#" PRIx64
				 " (state %d)", cpu, st, want[cpu],
				 (int)tdxsim_module_state(m));
		assert_int_equal(tdxsim_module_state(m),
				 cpu == 5 ? TDXSIM_MODULE_READY
					  : TDXSIM_MODULE_SYSCONFIG_DONE);
	}
}

/* Teardown of tests that keep their module in *state. */
static int
free_module_state(void **state)
{
	tdxsim_module_free(*state);
	*state = NULL;
	return 0;
}

/* 1.2 step 3: TDMR.INIT before READY -> TDX_SYS_NOT_READY in every state. */
static void
test_tdmr_init_before_ready(void **state)
{
	struct tdxsim_module *m = new_module();
	struct tdxsim_regs r = { .rcx = TDMR_BASE };

	(void)state;
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_TDMR_INIT, &r), 0xC000050500000000ULL);
	to_sysinit_done(m);
	r = (struct tdxsim_regs){ .rcx = TDMR_BASE };
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_TDMR_INIT, &r), 0xC000050500000000ULL);
	assert_int_equal(config_standard(m), TDXSIM_TDX_SUCCESS);
	r = (struct tdxsim_regs){ .rcx = TDMR_BASE };
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_TDMR_INIT, &r), 0xC000050500000000ULL);
	/* Nothing was initialised by the refused calls. */
	key_config_all(m);
	assert_int_equal(tdxsim_module_page_state(m, TDMR_BASE),
			 TDXSIM_PAGE_UNINITIALIZED);
	tdxsim_module_free(m);
}

/* TDMR.INIT with RCX; asserts RDX is 0 on the way out. */
static uint64_t
tdmr_init_bad(struct tdxsim_module *m, uint64_t rcx)
{
	struct tdxsim_regs r = { .rcx = rcx, .rdx = 0x1234 };
	uint64_t status = call(m, 0, TDXSIM_TDH_SYS_TDMR_INIT, &r);

	assert_int_equal(r.rdx, 0);
	return status;
}

static void
test_tdmr_init_bad_rcx(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	to_ready(m);
	/* Not 1 GiB aligned. */
	assert_int_equal(tdmr_init_bad(m, TDMR_BASE + 4 * KIB), 0xC000010000000001ULL);
	assert_int_equal(tdmr_init_bad(m, TDMR_BASE + 1), 0xC000010000000001ULL);
	/* Aligned but not a configured base: inside the TDMR, after it, 0. */
	assert_int_equal(tdmr_init_bad(m, TDMR_BASE + GIB), 0xC000010000000001ULL);
	assert_int_equal(tdmr_init_bad(m, TDMR_BASE + TDMR_SIZE), 0xC000010000000001ULL);
	assert_int_equal(tdmr_init_bad(m, 0), 0xC000010000000001ULL);
	/* The configured base with HKID bits (KeyID 1 and 63). */
	assert_int_equal(tdmr_init_bad(m, TDMR_BASE | HKID_BIT), 0xC000010000000001ULL);
	assert_int_equal(tdmr_init_bad(m, TDMR_BASE | (63ULL << 46)),
			 0xC000010000000001ULL);
	/* At or above 2^52. */
	assert_int_equal(tdmr_init_bad(m, MAX_PA), 0xC000010000000001ULL);
	assert_int_equal(tdmr_init_bad(m, MAX_PA | TDMR_BASE), 0xC000010000000001ULL);
	/* None of these initialised anything. */
	assert_int_equal(tdxsim_module_page_state(m, TDMR_BASE),
			 TDXSIM_PAGE_UNINITIALIZED);
	tdxsim_module_free(m);
}

/* The host init leaves (include/tdx_api_defs.h leaf numbers) plus TD
 * leaves and unknown numbers. */
static const unsigned some_leaves[] = {
	0, 1, 2, 8, 9, 21, 22, 30, 31, 32, 33, 34, 35, 36, 37, 38, 44, 45,
	46, 52, 53, 54, 100, 0x7FFF, 0xFFFF,
};

static void
test_shutdown_every_leaf(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	to_ready(m);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_SHUTDOWN), TDXSIM_TDX_SUCCESS);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SHUTDOWN);
	for (size_t i = 0; i < sizeof(some_leaves) / sizeof(some_leaves[0]); i++) {
		unsigned leaf = some_leaves[i];
		uint64_t want = leaf == TDXSIM_TDH_SYS_LP_SHUTDOWN
				? TDXSIM_TDX_SUCCESS : 0xC000050600000000ULL;

		for (unsigned cpu = 0; cpu < NR_LPS; cpu++) {
			struct tdxsim_regs r = { .rcx = TDMR_BASE, .rdx = MD_MAX_TDMRS };
			uint64_t got = call(m, cpu, leaf, &r);

			if (got != want)
				fail_msg("leaf %u on CPU %u after SHUTDOWN: %#" PRIx64
					 ", want %#" PRIx64, leaf, cpu, got, want);
		}
	}
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SHUTDOWN);
	tdxsim_module_free(m);
}

/* SYS.SHUTDOWN is not allowed before READY (1.2 step 3). */
static void
test_shutdown_before_ready(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_SHUTDOWN), 0xC000050500000000ULL);
	to_sysconfig_done(m);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_SHUTDOWN), 0xC000050500000000ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSCONFIG_DONE);
	/* LP.SHUTDOWN is a no-op that always succeeds (1.1). */
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_LP_SHUTDOWN), TDXSIM_TDX_SUCCESS);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSCONFIG_DONE);
	tdxsim_module_free(m);
}

/* 1.2 step 1: RAX bits 63:24, or a version on an init leaf. */
static void
test_rax_reserved_and_version(void **state)
{
	static const uint64_t bad_rax[] = {
		TDXSIM_TDH_SYS_INIT | 1ULL << 24,
		TDXSIM_TDH_SYS_INIT | 1ULL << 63,
		TDXSIM_TDH_SYS_INIT | 0xFFULL << 32,
		TDXSIM_TDH_SYS_INIT | 1ULL << 16,
		TDXSIM_TDH_SYS_INIT | 0xFFULL << 16,
		TDXSIM_TDH_SYS_LP_INIT | 1ULL << 16,
		TDXSIM_TDH_SYS_RD | 1ULL << 16,
		TDXSIM_TDH_SYS_CONFIG | 2ULL << 16,
	};
	struct tdxsim_module *m = new_module();

	(void)state;
	for (size_t i = 0; i < sizeof(bad_rax) / sizeof(bad_rax[0]); i++)
		assert_int_equal(call0(m, 0, bad_rax[i]), 0xC000010000000000ULL);
	/* None of them ran: still PENDING. */
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_PENDING);
	to_ready(m);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_SHUTDOWN | 1ULL << 16),
			 0xC000010000000000ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_READY);
	/* After SHUTDOWN the RAX decode still comes first. */
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_SHUTDOWN), TDXSIM_TDX_SUCCESS);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_INIT | 1ULL << 24),
			 0xC000010000000000ULL);
	tdxsim_module_free(m);
}

static void
test_unknown_leaf(void **state)
{
	static const unsigned unknown[] = { 38, 54, 100, 0x7FFF, 0xFFFF };
	struct tdxsim_module *m = new_module();

	(void)state;
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		assert_int_equal(call0(m, 0, unknown[i]), 0xC000050500000000ULL);
	to_sysconfig_done(m);
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		assert_int_equal(call0(m, 0, unknown[i]), 0xC000050500000000ULL);
	key_config_all(m);
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		assert_int_equal(call0(m, 0, unknown[i]), 0xC000010000000000ULL);
	tdxsim_module_free(m);
}

/* 1.2: "module absent" gives VMFAILINVALID for every leaf. */
static void
test_module_absent(void **state)
{
	struct setup s = { .absent = true };
	struct tdxsim_module *m = new_module_with(&s);

	(void)state;
	for (size_t i = 0; i < sizeof(some_leaves) / sizeof(some_leaves[0]); i++)
		assert_int_equal(call0(m, 0, some_leaves[i]), 0x8000FF00FFFF0000ULL);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_INIT | 1ULL << 24),
			 0x8000FF00FFFF0000ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_PENDING);
	tdxsim_module_free(m);
}

/* 1.3/1.4: SYS.UPDATE needs SYSINIT_DONE with every LP initialised
 * (else STATE_INCORRECT); the simulator never has valid handoff data. */
static void
test_sys_update(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_UPDATE), 0xC000050800000000ULL);
	sys_init(m);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_UPDATE), 0xC000050800000000ULL);
	lp_init_all(m, NR_LPS - 1);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_UPDATE), 0xC000050800000000ULL);
	lp_init(m, NR_LPS - 1);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_UPDATE), 0xC000050900000000ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_DONE);
	assert_int_equal(config_standard(m), TDXSIM_TDX_SUCCESS);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_UPDATE), 0xC000050800000000ULL);
	key_config_all(m);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_UPDATE), 0xC000050800000000ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_READY);
	tdxsim_module_free(m);
}

/* More TDMRs than MAX_TDMRS is the module's to answer (RDX is checked
 * before the array is read), not a library error blamed on reserved
 * slots (issue #15); too many reserved areas is the library's -EINVAL. */
static void
test_config_layout_too_many(void **state)
{
	struct tdxsim_module *m = new_module();
	struct tdxsim_layout *l = tdxsim_layout_new();
	uint64_t status = 0;
	unsigned max_tdmrs;

	(void)state;
	to_sysinit_done(m);
	max_tdmrs = (unsigned)rd_value(m, MD_MAX_TDMRS);
	for (unsigned i = 0; i <= max_tdmrs + 10000; i++)
		assert_int_equal(tdxsim_layout_add_tdmr(l, (uint64_t)(i + 1) << 30, 1ULL << 30), (int)i);
	assert_int_equal(tdxsim_module_config_layout(m, 0, l, 0, &status), 0);
	assert_int_equal(status, OPERAND_INVALID(TDXSIM_OPERAND_ID_RDX));
	tdxsim_layout_free(l);
	l = standard_layout();
	/* One more than the default profile's 16 slots. */
	for (unsigned k = 0; k < 17; k++)
		assert_int_equal(tdxsim_layout_add_reserved(l, 0, 0x1000ULL * 2 * k, 0x1000), 0);
	status = 0x99;
	assert_int_equal(tdxsim_module_config_layout(m, 0, l, 0, &status), -EINVAL);
	assert_int_equal(status, 0x99);
	tdxsim_layout_free(l);
	tdxsim_module_free(m);
}

/* A profile the module cannot simulate is refused by tdxsim_module_new()
 * itself, each limit on its own, also on a platform never validated
 * (tools/mutate.py: '||' for the '&&' after the reserved-slot bounds
 * survived, since every test platform had a good profile). */
static void
test_new_refuses_profile(void **state)
{
	struct tdxsim_module_profile prof;
	struct tdxsim_platform *p;
	struct tdxsim_module *m = NULL;

	(void)state;
	/* Case 5 is the last KeyID range accepted (KeyIDs up to 0x7fff),
	 * case 4 one past it (tools/mutate.py: '< 0x8000' survived). */
	for (int bad = 0; bad < 6; bad++) {
		bool refused = bad >= 1 && bad <= 4;

		p = tdxsim_platform_new();
		assert_non_null(p);
		tdxsim_module_profile_init(&prof);
		if (bad == 1)
			prof.max_reserved_per_tdmr = 0;
		else if (bad == 2)
			prof.nr_lps = 0;
		else if (bad == 3)
			prof.keyid_end = prof.keyid_start;
		else if (bad == 4)
			prof.keyid_end = 0x8001;
		else if (bad == 5)
			prof.keyid_end = 0x8000;
		tdxsim_platform_set_module_profile(p, &prof);
		assert_int_equal(tdxsim_module_new(p, NULL, &m), refused ? -EINVAL : 0);
		assert_true(refused ? m == NULL : m != NULL);
		tdxsim_module_free(m);
		m = NULL;
		tdxsim_platform_free(p);
	}
}

static void
test_cpu_out_of_range(void **state)
{
	struct tdxsim_module *m = new_module();
	struct tdxsim_regs r = { .rax = TDXSIM_TDH_SYS_INIT, .rcx = 0x77 };
	struct tdxsim_layout *l = standard_layout();
	uint64_t status = 0x99;

	(void)state;
	assert_int_equal(tdxsim_seamcall(m, NR_LPS, &r), -EINVAL);
	assert_int_equal(tdxsim_seamcall(m, UINT32_MAX, &r), -EINVAL);
	/* Registers untouched, nothing ran. */
	assert_int_equal(r.rax, TDXSIM_TDH_SYS_INIT);
	assert_int_equal(r.rcx, 0x77);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_PENDING);
	r = (struct tdxsim_regs){ .rax = TDXSIM_TDH_SYS_INIT };
	assert_int_equal(tdxsim_seamcall(m, NR_LPS - 1, &r), 0);
	assert_int_equal(r.rax, TDXSIM_TDX_SUCCESS);
	assert_int_equal(tdxsim_module_config_layout(m, NR_LPS, l, 0, &status), -EINVAL);
	assert_int_equal(status, 0x99);
	tdxsim_layout_free(l);
	tdxsim_module_free(m);
}

/* ======================================================================== */
/* 2. The 1.0 profile (the 1.0 source drop's leaves and dispatcher)         */
/* ======================================================================== */

static void
sys_info_ok(struct tdxsim_module *m, unsigned cpu)
{
	struct tdxsim_regs r = { .rcx = PA_SYSINFO, .rdx = 1024,
				 .r8 = PA_CMRINFO, .r9 = 32 };

	assert_int_equal(call(m, cpu, TDXSIM_TDH_SYS_INFO, &r), TDXSIM_TDX_SUCCESS);
}

/* canonical/tdx #331: "SEAMCALL (0x0000000000000022) failed:
 * 0xc000050500000000" -- a 1.0 module answers TDH.SYS.RD during init
 * with TDX_SYS_NOT_READY, while TDH.SYS.INFO works. */
static void
test_v1_0_sys_rd_not_ready(void **state)
{
	struct tdxsim_module *m = new_module_1_0();
	struct tdxsim_regs r;
	uint8_t info[1024];

	(void)state;
	assert_int_equal(call0(m, 0, 0x22), 0xc000050500000000ULL);
	sys_init(m);
	lp_init_all(m, NR_LPS);
	r = (struct tdxsim_regs){ .rdx = MD_MAX_TDMRS };
	assert_int_equal(call(m, 0, 0x0000000000000022ULL, &r), 0xc000050500000000ULL);
	r = (struct tdxsim_regs){ .rdx = PA_RDALL, .r8 = MD_NULL };
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_RDALL, &r), 0xc000050500000000ULL);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_UPDATE), 0xc000050500000000ULL);
	sys_info_ok(m, 0);
	assert_int_equal(tdxsim_phys_read(m, PA_SYSINFO, info, sizeof(info)), 0);
	assert_int_equal(get_le(info + 4, 4), 0x8086);
	assert_int_equal(get_le(info + 14, 2), 0);	/* MINOR_VERSION */
	assert_int_equal(get_le(info + 16, 2), 1);	/* MAJOR_VERSION */
	assert_int_equal(info[18], 0);			/* reserved in 1.0 */
	assert_int_equal(get_le(info + 32, 2), 64);
	assert_int_equal(config_standard(m), TDXSIM_TDX_SUCCESS);
	r = (struct tdxsim_regs){ .rdx = MD_MAX_TDMRS };
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_RD, &r), 0xc000050500000000ULL);
	key_config_all(m);
	/* In READY the leaf is simply unknown to a 1.0 module. */
	r = (struct tdxsim_regs){ .rdx = MD_MAX_TDMRS };
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_RD, &r), 0xC000010000000000ULL);
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_SHUTDOWN), 0xC000010000000000ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_READY);
	sys_info_ok(m, 0);
	tdxsim_module_free(m);
}

static void
test_v1_5_sys_rd_works(void **state)
{
	struct tdxsim_module *m = new_module();
	uint8_t info[1024];

	(void)state;
	sys_init(m);
	lp_init(m, 0);
	assert_int_equal(rd_value(m, MD_MAX_TDMRS), 64);
	assert_int_equal(rd_value(m, MD_MINOR), 5);
	sys_info_ok(m, 0);
	assert_int_equal(tdxsim_phys_read(m, PA_SYSINFO, info, sizeof(info)), 0);
	assert_int_equal(info[18], 1);			/* SYS_RD */
	tdxsim_module_free(m);
}

/* ======================================================================== */
/* 3. TDH.SYS.CONFIG and TDH.SYS.TDMR.INIT (tdh_sys_config.c,             */
/*    tdh_sys_tdmr_init.c)                                                  */
/* ======================================================================== */

/* A valid PA array at PA_ARRAY with the standard entry at PA_ENTRIES. */
static void
write_standard_array(struct tdxsim_module *m)
{
	struct tdxsim_layout *l = standard_layout();

	write_entry(m, PA_ENTRIES, l);
	write_u64(m, PA_ARRAY, PA_ENTRIES);
	tdxsim_layout_free(l);
}

static void
test_config_rcx(void **state)
{
	struct tdxsim_module *m = new_module();

	(void)state;
	to_sysinit_done(m);
	write_standard_array(m);
	/* Not 512-aligned. */
	assert_int_equal(config_regs(m, PA_ARRAY + 8, 1, 32), 0xC000010000000001ULL);
	assert_int_equal(config_regs(m, PA_ARRAY + 256, 1, 32), 0xC000010000000001ULL);
	assert_int_equal(config_regs(m, PA_ARRAY + 1, 1, 32), 0xC000010000000001ULL);
	/* Not a shared HPA: a private KeyID in the HKID bits, or at/above 2^52. */
	assert_int_equal(config_regs(m, PA_ARRAY | PRIVATE_HKID, 1, 32), 0xC000010000000001ULL);
	assert_int_equal(config_regs(m, PA_ARRAY | (63ULL << 46), 1, 32),
			 0xC000010000000001ULL);
	assert_int_equal(config_regs(m, MAX_PA, 1, 32), 0xC000010000000001ULL);
	/* RCX is checked before RDX and R8. */
	assert_int_equal(config_regs(m, PA_ARRAY + 8, 0, 0), 0xC000010000000001ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_DONE);
	/* The same array, aligned, is fine. */
	assert_int_equal(config_regs(m, PA_ARRAY, 1, 32), TDXSIM_TDX_SUCCESS);
	tdxsim_module_free(m);
}

static void
test_config_rdx(void **state)
{
	struct tdxsim_module *m = new_module();
	struct tdxsim_layout *l = tdxsim_layout_new();

	(void)state;
	assert_non_null(l);
	to_sysinit_done(m);
	write_standard_array(m);
	assert_int_equal(config_regs(m, PA_ARRAY, 0, 32), 0xC000010000000002ULL);
	assert_int_equal(config_regs(m, PA_ARRAY, 65, 32), 0xC000010000000002ULL);
	assert_int_equal(config_regs(m, PA_ARRAY, UINT64_MAX, 32), 0xC000010000000002ULL);
	assert_int_equal(config_regs(m, PA_ARRAY, 1ULL << 32, 32), 0xC000010000000002ULL);
	/* RDX is checked before R8. */
	assert_int_equal(config_regs(m, PA_ARRAY, 65, 0), 0xC000010000000002ULL);
	/* Through the layout helper: an empty layout and one of 65 TDMRs. */
	assert_int_equal(config_with(m, l, 0), 0xC000010000000002ULL);
	for (unsigned i = 0; i < 65; i++)
		assert_int_equal(tdxsim_layout_add_tdmr(l, (4 + (uint64_t)i) * GIB, GIB),
				 (int)i);
	assert_int_equal(config_with(m, l, 0), 0xC000010000000002ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_DONE);
	tdxsim_layout_free(l);
	tdxsim_module_free(m);
}

static void
test_config_r8(void **state)
{
	static const uint64_t bad_r8[] = {
		0, 1, KEYID_START - 1, KEYID_END, KEYID_END + 1, 0xFFFF,
		1ULL << 16, (1ULL << 16) | KEYID_START, (1ULL << 63) | KEYID_START,
		UINT64_MAX,
	};
	struct tdxsim_module *m = new_module();

	(void)state;
	to_sysinit_done(m);
	write_standard_array(m);
	for (size_t i = 0; i < sizeof(bad_r8) / sizeof(bad_r8[0]); i++) {
		uint64_t got = config_regs(m, PA_ARRAY, 1, bad_r8[i]);

		if (got != 0xC000010000000008ULL)
			fail_msg("R8 %#" PRIx64 ": %#" PRIx64, bad_r8[i], got);
	}
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_DONE);
	/* The last private KeyID (keyid_end - 1) is accepted. */
	assert_int_equal(config_regs(m, PA_ARRAY, 1, KEYID_END - 1), TDXSIM_TDX_SUCCESS);
	tdxsim_module_free(m);
}

/* 2.2 step 1: a bad pointer in the array is reported against RCX,
 * whichever entry it is; nothing is configured and a retry works. */
static void
test_config_bad_entry_pointer(void **state)
{
	static const uint64_t bad_ptr[] = {
		PA_ENTRIES + 8, PA_ENTRIES + 256, PA_ENTRIES | PRIVATE_HKID, MAX_PA,
		UINT64_MAX,
	};
	struct tdxsim_module *m = new_module();

	(void)state;
	to_sysinit_done(m);
	write_standard_array(m);
	for (size_t i = 0; i < sizeof(bad_ptr) / sizeof(bad_ptr[0]); i++) {
		write_u64(m, PA_ARRAY, bad_ptr[i]);
		assert_int_equal(config_regs(m, PA_ARRAY, 1, 32), 0xC000010000000001ULL);
	}
	/* Entry 0 valid, entry 1's pointer not 512-aligned. */
	write_u64(m, PA_ARRAY, PA_ENTRIES);
	write_u64(m, PA_ARRAY + 8, PA_ENTRIES + 512 + 64);
	assert_int_equal(config_regs(m, PA_ARRAY, 2, 32), 0xC000010000000001ULL);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_DONE);
	/* A retry with a good array is allowed. */
	assert_int_equal(config_regs(m, PA_ARRAY, 1, 33), TDXSIM_TDX_SUCCESS);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSCONFIG_DONE);
	tdxsim_module_free(m);
}

/*
 * 2.1: the KeyID is reserved before any TDMR is looked at and is not
 * rolled back; the state stays SYSINIT_DONE and CONFIG may be retried.
 * (The reservation itself is not observable through the init leaves; what
 * is checked is that a failure after R8 leaves the module retryable and
 * nothing configured.)
 */
static void
test_config_failure_keeps_state_and_allows_retry(void **state)
{
	struct tdxsim_module *m = new_module();
	struct tdxsim_layout *bad = tdxsim_layout_new();
	struct tdxsim_layout *good = standard_layout();

	(void)state;
	assert_non_null(bad);
	to_sysinit_done(m);
	/* TDMR [8G, 9G) without PAMTs: entry 0 fails a TDMR_INFO rule (P5,
	 * PAMT too small, or C2, outside every CMR): some error. */
	assert_int_equal(tdxsim_layout_add_tdmr(bad, 8 * GIB, GIB), 0);
	assert_true((config_with(m, bad, 40) & (1ULL << 63)) != 0);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSINIT_DONE);
	/* KEY.CONFIG and TDMR.INIT still see nothing configured. */
	assert_int_equal(call0(m, 0, TDXSIM_TDH_SYS_KEY_CONFIG), 0xC000050700000000ULL);
	assert_int_equal(tdxsim_module_page_state(m, 8 * GIB), TDXSIM_PAGE_NOT_TDMR);
	/* Retry, with the same KeyID, then everything proceeds. */
	assert_int_equal(config_with(m, good, 40), TDXSIM_TDX_SUCCESS);
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_SYSCONFIG_DONE);
	key_config_all(m);
	tdxsim_layout_free(good);
	tdxsim_layout_free(bad);
	tdxsim_module_free(m);
}

/* 1.4 TDH.SYS.TDMR.INIT: 4 MiB per call, RDX rounded down to 1 GiB;
 * Linux loops do { seamcall } while (rdx < end). */
static void
test_full_init_and_tdmr_init_loop(void **state)
{
	struct tdxsim_module *m = new_module();
	const uint64_t end = TDMR_BASE + TDMR_SIZE;
	struct tdxsim_regs r;
	unsigned calls = 0;
	uint64_t next;

	(void)state;
	sys_init(m);
	for (unsigned cpu = 0; cpu < NR_LPS; cpu++)
		lp_init(m, cpu);
	assert_int_equal(config_standard(m), TDXSIM_TDX_SUCCESS);
	/* Linux: one CPU per package, one at a time. */
	key_config_all(m);
	assert_int_equal(tdxsim_module_page_state(m, TDMR_BASE),
			 TDXSIM_PAGE_UNINITIALIZED);
	do {
		uint64_t want;

		r = (struct tdxsim_regs){ .rcx = TDMR_BASE, .rdx = 0xBAD };
		assert_int_equal(call(m, calls % NR_LPS, TDXSIM_TDH_SYS_TDMR_INIT, &r),
				 TDXSIM_TDX_SUCCESS);
		calls++;
		next = r.rdx;
		want = calls < 256 ? TDMR_BASE
		       : calls < 512 ? TDMR_BASE + GIB : end;
		if (next != want)
			fail_msg("call %u: RDX %#" PRIx64 ", want %#" PRIx64,
				 calls, next, want);
		/* Exactly calls * 4 MiB are initialised so far. */
		if (calls == 1 || calls == 255 || calls == 256 || calls == 300) {
			uint64_t done = TDMR_BASE + (uint64_t)calls * 4 * MIB;

			assert_int_equal(tdxsim_module_page_state(m, done - 4 * KIB),
					 TDXSIM_PAGE_NDA);
			assert_int_equal(tdxsim_module_page_state(m, done),
					 TDXSIM_PAGE_UNINITIALIZED);
		}
		assert_true(calls <= 512);
	} while (next < end);
	assert_int_equal(calls, 512);
	/* Done: TDX_TDMR_ALREADY_INITIALIZED (a status) with RDX 0, again and again. */
	for (int i = 0; i < 2; i++) {
		r = (struct tdxsim_regs){ .rcx = TDMR_BASE, .rdx = 0xBAD };
		assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_TDMR_INIT, &r),
				 0x00000A0300000000ULL);
		assert_int_equal(r.rdx, 0);
	}
	assert_int_equal(tdxsim_module_state(m), TDXSIM_MODULE_READY);
	tdxsim_module_free(m);
}

/* 1.4 / 7.4: after TDMR.INIT pages in reserved areas are PT_RSVD, the
 * rest PT_NDA; pages outside every TDMR are not in a TDMR. */
static void
test_page_states(void **state)
{
	struct tdxsim_module *m = new_module();
	const uint64_t end = TDMR_BASE + TDMR_SIZE;
	const uint64_t rsvd = TDMR_BASE + RSVD_OFFSET;
	struct tdxsim_regs r;
	unsigned calls = 0;

	(void)state;
	/* No TDMR before CONFIG. */
	assert_int_equal(tdxsim_module_page_state(m, TDMR_BASE), TDXSIM_PAGE_NOT_TDMR);
	to_sysconfig_done(m);
	assert_int_equal(tdxsim_module_page_state(m, TDMR_BASE),
			 TDXSIM_PAGE_UNINITIALIZED);
	assert_int_equal(tdxsim_module_page_state(m, rsvd), TDXSIM_PAGE_UNINITIALIZED);
	key_config_all(m);
	assert_int_equal(tdxsim_module_page_state(m, TDMR_BASE),
			 TDXSIM_PAGE_UNINITIALIZED);
	assert_int_equal(tdxsim_module_page_state(m, end - 1),
			 TDXSIM_PAGE_UNINITIALIZED);
	do {
		r = (struct tdxsim_regs){ .rcx = TDMR_BASE };
		assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_TDMR_INIT, &r),
				 TDXSIM_TDX_SUCCESS);
		calls++;
	} while (r.rdx < end && calls <= 512);
	assert_int_equal(calls, 512);

	assert_int_equal(tdxsim_module_page_state(m, TDMR_BASE), TDXSIM_PAGE_NDA);
	assert_int_equal(tdxsim_module_page_state(m, rsvd - 1), TDXSIM_PAGE_NDA);
	assert_int_equal(tdxsim_module_page_state(m, rsvd), TDXSIM_PAGE_RSVD);
	assert_int_equal(tdxsim_module_page_state(m, rsvd + 123), TDXSIM_PAGE_RSVD);
	assert_int_equal(tdxsim_module_page_state(m, rsvd + RSVD_SIZE - 1),
			 TDXSIM_PAGE_RSVD);
	assert_int_equal(tdxsim_module_page_state(m, rsvd + RSVD_SIZE), TDXSIM_PAGE_NDA);
	assert_int_equal(tdxsim_module_page_state(m, end - 1), TDXSIM_PAGE_NDA);
	/* Outside the TDMR: its end, the PAMTs at 6G, below it, far away. */
	assert_int_equal(tdxsim_module_page_state(m, end), TDXSIM_PAGE_NOT_TDMR);
	assert_int_equal(tdxsim_module_page_state(m, PAMT4K_BASE), TDXSIM_PAGE_NOT_TDMR);
	assert_int_equal(tdxsim_module_page_state(m, TDMR_BASE - 1),
			 TDXSIM_PAGE_NOT_TDMR);
	assert_int_equal(tdxsim_module_page_state(m, 0), TDXSIM_PAGE_NOT_TDMR);
	assert_int_equal(tdxsim_module_page_state(m, CMR1_BASE), TDXSIM_PAGE_NOT_TDMR);
	assert_int_equal(tdxsim_module_page_state(m, UINT64_MAX), TDXSIM_PAGE_NOT_TDMR);
	tdxsim_module_free(m);
}

/* ======================================================================== */
/* 4. Metadata (TDH.SYS.RD/RDALL/INFO, the global metadata fields)          */
/* ======================================================================== */

/* A module in SYSINIT_DONE with CPU 0 initialised. */
static struct tdxsim_module *
md_module_with(const struct setup *s)
{
	struct tdxsim_module *m = new_module_with(s);

	sys_init(m);
	lp_init(m, 0);
	return m;
}

static struct tdxsim_module *
md_module(void)
{
	struct setup s = { 0 };

	return md_module_with(&s);
}

static void
test_rd_tdmr_fields(void **state)
{
	struct tdxsim_module *m = md_module();

	(void)state;
	assert_int_equal(rd_value(m, MD_MAX_TDMRS), 64);
	assert_int_equal(rd_value(m, MD_MAX_RSVD), 16);
	assert_int_equal(rd_value(m, MD_PAMT_4K), 16);
	assert_int_equal(rd_value(m, MD_PAMT_2M), 16);
	assert_int_equal(rd_value(m, MD_PAMT_1G), 16);
	assert_int_equal(rd_value(m, MD_VENDOR_ID), 0x8086);
	assert_int_equal(rd_value(m, MD_NUM_PKGS), NR_PKGS);
	assert_int_equal(rd_value(m, MD_TDR_SIZE), 4096);
	assert_int_equal(rd_value(m, MD_TDCS_SIZE), 24576);
	assert_int_equal(rd_value(m, MD_TDVPS_SIZE), 24576);
	assert_int_equal(rd_value(m, MD_MAX_VCPUS), 576);
	tdxsim_module_free(m);
}

static void
test_rd_num_cmrs_max(void **state)
{
	struct tdxsim_module *m = md_module();

	(void)state;
	assert_int_equal(rd_value(m, MD_NUM_CMRS), 32);
	tdxsim_module_free(m);
}

static void
test_rd_num_cmrs_actual(void **state)
{
	struct setup s = { .actual_cmrs = true };
	struct tdxsim_module *m = md_module_with(&s);

	(void)state;
	assert_int_equal(rd_value(m, MD_NUM_CMRS), 2);
	tdxsim_module_free(m);
}

/* CMR_BASE + i / CMR_SIZE + i: the given slots, then zeros (4.3). */
static void
test_rd_cmr_slots(void **state)
{
	struct setup s = { .null_cmr_slot = true };
	struct tdxsim_module *m = md_module_with(&s);
	static const uint64_t base[3] = { CMR0_BASE, 0, CMR1_BASE };
	static const uint64_t size[3] = { CMR0_SIZE, 0, CMR1_SIZE };

	(void)state;
	for (unsigned i = 0; i < 32; i++) {
		uint64_t wb = i < 3 ? base[i] : 0, ws = i < 3 ? size[i] : 0;

		assert_int_equal(rd_value(m, MD_CMR_BASE + i), wb);
		assert_int_equal(rd_value(m, MD_CMR_SIZE + i), ws);
	}
	/* Slot 32 does not exist: CMR_BASE + 32 is not a field. */
	assert_int_equal(sys_rd(m, MD_CMR_BASE + 32, NULL, NULL), 0xC0000C0000000000ULL);
	assert_int_equal(sys_rd(m, MD_CMR_SIZE + 32, NULL, NULL), 0xC0000C0000000000ULL);
	tdxsim_module_free(m);
}

static void
test_rd_version_1_5_06(void **state)
{
	struct tdxsim_module *m = md_module();

	(void)state;
	assert_int_equal(rd_value(m, MD_MAJOR), 1);
	assert_int_equal(rd_value(m, MD_MINOR), 5);
	assert_int_equal(rd_value(m, MD_UPDATE), 6);
	assert_int_equal(rd_value(m, MD_INTERNAL), 0);
	assert_int_equal(rd_value(m, MD_BUILD_DATE), BUILD_DATE);
	assert_int_equal(rd_value(m, MD_BUILD_NUM), BUILD_NUM);
	tdxsim_module_free(m);
}

static void
test_rd_version_1_5(void **state)
{
	struct setup s = { .major = 1, .minor = 5, .update = 0, .update_unknown = true };
	struct tdxsim_module *m = md_module_with(&s);

	(void)state;
	assert_int_equal(rd_value(m, MD_MAJOR), 1);
	assert_int_equal(rd_value(m, MD_MINOR), 5);
	assert_int_equal(rd_value(m, MD_UPDATE), 0);
	tdxsim_module_free(m);
}

/* R8 is masked to the field's element size: BUILD_NUM is 16 bits. */
static void
test_rd_value_masked_to_size(void **state)
{
	struct setup s = { .build_num = 0x12345 };
	struct tdxsim_module *m = md_module_with(&s);

	(void)state;
	assert_int_equal(rd_value(m, MD_BUILD_NUM), 0x2345);
	tdxsim_module_free(m);
}

static void
test_rd_features0(void **state)
{
	struct tdxsim_module *m = md_module();
	struct setup s = { .features0 = 0x1F0FBF };
	uint64_t f;

	(void)state;
	f = rd_value(m, MD_FEATURES0);
	/* 1.5.06 as intel/tdx-module-binaries mapping_file.json gives it. */
	assert_int_equal(f, 0x2E1F0FBF);
	assert_true(f & (1ULL << 18));		/* NO_RBP_MOD: Linux needs it */
	assert_true(f & (1ULL << 20));		/* TOPOLOGY_ENUM: KVM needs it */
	tdxsim_module_free(m);
	m = md_module_with(&s);
	assert_int_equal(rd_value(m, MD_FEATURES0), 0x1F0FBF);
	tdxsim_module_free(m);
}

/* Follow RDX from the null id: every field once, ending with -1. */
static void
test_rd_next_id_chain(void **state)
{
	/* What Linux reads (S4 tdx_global_metadata.c and the CMR series). */
	static const uint64_t linux_ids[] = {
		MD_MINOR, MD_MAJOR, MD_UPDATE, MD_FEATURES0, MD_MAX_TDMRS,
		MD_MAX_RSVD, MD_PAMT_4K, MD_PAMT_2M, MD_PAMT_1G, MD_TDR_SIZE,
		MD_TDCS_SIZE, MD_TDVPS_SIZE, MD_NUM_CMRS, MD_CMR_BASE,
		MD_CMR_BASE + 31, MD_CMR_SIZE, MD_CMR_SIZE + 31, MD_MAX_VCPUS,
		0x1900000300000000ULL, 0x1900000300000001ULL,
		0x1900000300000002ULL, 0x1900000300000003ULL,
		0x9900000100000004ULL, 0x9900000300000400ULL,
		0x9900000300000500ULL, 0x9900000300000501ULL,
	};
	struct tdxsim_module *m = md_module();
	uint64_t ids[MD_ELEMENT_COUNT + 1], value, next, id;
	size_t n = 0;
	bool seen[sizeof(linux_ids) / sizeof(linux_ids[0])] = { false };

	(void)state;
	assert_int_equal(sys_rd(m, MD_NULL, &value, &id),
			 TDXSIM_TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT);
	while (id != MD_NA) {
		if (n == MD_ELEMENT_COUNT + 1)
			fail_msg("the chain does not end after %zu ids", n);
		for (size_t k = 0; k < n; k++)
			if (ids[k] == id)
				fail_msg("id %#" PRIx64 " visited twice", id);
		ids[n++] = id;
		assert_int_equal(sys_rd(m, id, &value, &next), TDXSIM_TDX_SUCCESS);
		for (size_t k = 0; k < sizeof(linux_ids) / sizeof(linux_ids[0]); k++)
			if (linux_ids[k] == id)
				seen[k] = true;
		id = next;
	}
	assert_int_equal(n, MD_ELEMENT_COUNT);
	for (size_t k = 0; k < sizeof(linux_ids) / sizeof(linux_ids[0]); k++)
		if (!seen[k])
			fail_msg("id %#" PRIx64 " not in the chain", linux_ids[k]);
	tdxsim_module_free(m);
}

static void
test_rd_null_id(void **state)
{
	static const uint64_t nulls[] = {
		UINT64_MAX,
		UINT64_MAX & ~MD_CONTEXT_MASK,			/* context SYS */
		(UINT64_MAX & ~MD_CONTEXT_MASK) | (1ULL << MD_CONTEXT_SHIFT),
	};
	struct tdxsim_module *m = md_module();

	(void)state;
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++) {
		uint64_t value, next;

		assert_int_equal(sys_rd(m, nulls[i], &value, &next), 0x00000C0B00000000ULL);
		assert_int_equal(next, MD_NUM_PKGS);
	}
	tdxsim_module_free(m);
}

/* Reserved bits and the sequence-only LAST_* bits -> FIELD_ID_INCORRECT. */
static void
test_rd_reserved_bits(void **state)
{
	static const uint64_t bits[] = {
		1ULL << 24, 1ULL << 31,				/* 31:24 */
		1ULL << MD_LAST_ELEM_SHIFT, 1ULL << 37,		/* LAST_ELEMENT */
		1ULL << MD_LAST_FIELD_SHIFT, 1ULL << 46,	/* LAST_FIELD */
		1ULL << 47, 1ULL << 49,				/* 49:47 */
		1ULL << 55, 1ULL << 62,
	};
	struct tdxsim_module *m = md_module();

	(void)state;
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		uint64_t got = sys_rd(m, MD_MAX_TDMRS | bits[i], NULL, NULL);

		if (got != 0xC0000C0000000000ULL)
			fail_msg("MAX_TDMRS | %#" PRIx64 ": %#" PRIx64, bits[i], got);
	}
	tdxsim_module_free(m);
}

static void
test_rd_unknown_field(void **state)
{
	static const uint64_t unknown[] = {
		0x9100000100000013ULL,	/* after PAMT_1G_ENTRY_SIZE */
		0x9100000100000000ULL,	/* class 0x11, code 0 */
		0x3F00000100000000ULL,	/* class 0x3F */
		0x0800000100FFFFFFULL,	/* largest field code */
		0x9000000100000001ULL,	/* between NUM_CMRS and CMR_BASE */
	};
	struct tdxsim_module *m = md_module();

	(void)state;
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		uint64_t got = sys_rd(m, unknown[i], NULL, NULL);

		if (got != 0xC0000C0000000000ULL)
			fail_msg("%#" PRIx64 ": %#" PRIx64, unknown[i], got);
	}
	tdxsim_module_free(m);
}

/* FIELD_SIZE, INC_SIZE and WRITE_MASK_VALID of the input are ignored, and
 * CONTEXT_CODE is forced to SYS; the value keeps the field's own size. */
static void
test_rd_size_bits_ignored(void **state)
{
	struct tdxsim_module *m = md_module();
	const uint64_t bare = MD_MAX_TDMRS & ~(3ULL << MD_SIZE_SHIFT);

	(void)state;
	for (uint64_t size = 0; size < 4; size++)
		assert_int_equal(rd_value(m, bare | size << MD_SIZE_SHIFT), 64);
	assert_int_equal(rd_value(m, MD_MAX_TDMRS | MD_INC_SIZE), 64);
	assert_int_equal(rd_value(m, MD_MAX_TDMRS | MD_WRITE_MASK_VALID), 64);
	assert_int_equal(rd_value(m, MD_MAX_TDMRS | 2ULL << MD_CONTEXT_SHIFT), 64);
	/* A 64-bit field read with size code 0 is still 64 bits wide. */
	assert_int_equal(rd_value(m, MD_CMR_BASE & ~(3ULL << MD_SIZE_SHIFT)), CMR0_BASE);
	assert_int_equal(rd_value(m, (MD_CMR_SIZE + 2) & ~(3ULL << MD_SIZE_SHIFT)), 0);
	tdxsim_module_free(m);
}

/* TDH.SYS.RDALL: the list in the page holds what SYS.RD reports. */
static void
test_rdall(void **state)
{
	struct tdxsim_module *m = md_module();
	struct tdxsim_regs r = { .rdx = PA_RDALL, .r8 = MD_NULL };
	uint8_t page[4096];
	size_t off = 8, elements = 0;
	unsigned buff_size, sequences;
	uint64_t chain;

	(void)state;
	/* Garbage first, so that every byte of the list must be written. */
	memset(page, 0xA5, sizeof(page));
	assert_int_equal(tdxsim_phys_write(m, PA_RDALL, page, sizeof(page)), 0);
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_RDALL, &r), TDXSIM_TDX_SUCCESS);
	assert_int_equal(r.r8, MD_NA);
	assert_int_equal(tdxsim_phys_read(m, PA_RDALL, page, sizeof(page)), 0);
	buff_size = (unsigned)get_le(page, 2);
	sequences = (unsigned)get_le(page + 2, 2);
	assert_int_equal(get_le(page + 4, 4), 0);
	assert_true(buff_size > 8 && buff_size <= 4096);
	assert_true(sequences >= 1);
	/* The elements in list order are the SYS.RD chain, value for value. */
	assert_int_equal(sys_rd(m, MD_NULL, NULL, &chain),
			 TDXSIM_TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT);
	for (unsigned s = 0; s < sequences; s++) {
		uint64_t header, base_id;
		unsigned fields;

		assert_true(off + 8 <= buff_size);
		header = get_le(page + off, 8);
		off += 8;
		fields = (unsigned)((header & MD_LAST_FIELD_MASK) >> MD_LAST_FIELD_SHIFT) + 1;
		assert_int_equal(header & MD_LAST_ELEM_MASK, 0);
		base_id = header & ~(MD_LAST_FIELD_MASK | MD_LAST_ELEM_MASK);
		for (unsigned f = 0; f < fields; f++) {
			uint64_t id = base_id + f, value, want, next;

			assert_true(off + 8 <= buff_size);
			value = get_le(page + off, 8);
			off += 8;
			assert_int_equal(id, chain);
			assert_int_equal(sys_rd(m, id, &want, &next), TDXSIM_TDX_SUCCESS);
			if (value != want)
				fail_msg("RDALL %#" PRIx64 " = %#" PRIx64 ", SYS.RD %#" PRIx64,
					 id, value, want);
			chain = next;
			elements++;
		}
	}
	assert_int_equal(off, buff_size);
	assert_int_equal(elements, MD_ELEMENT_COUNT);
	assert_int_equal(chain, MD_NA);

	/* Starting in the middle: the list begins at that id. */
	r = (struct tdxsim_regs){ .rdx = PA_RDALL, .r8 = MD_MAX_TDMRS };
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_RDALL, &r), TDXSIM_TDX_SUCCESS);
	assert_int_equal(tdxsim_phys_read(m, PA_RDALL, page, sizeof(page)), 0);
	assert_int_equal(get_le(page + 8, 8) & ~(MD_LAST_FIELD_MASK | MD_LAST_ELEM_MASK),
			 MD_MAX_TDMRS);
	assert_int_equal(get_le(page + 16, 8), 64);

	/* Operand checks: a page not 4 KiB aligned or not shared -> |RDX;
	 * a bad starting id -> FIELD_ID_INCORRECT. */
	r = (struct tdxsim_regs){ .rdx = PA_RDALL + 512, .r8 = MD_NULL };
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_RDALL, &r), 0xC000010000000002ULL);
	r = (struct tdxsim_regs){ .rdx = PA_RDALL | PRIVATE_HKID, .r8 = MD_NULL };
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_RDALL, &r), 0xC000010000000002ULL);
	r = (struct tdxsim_regs){ .rdx = PA_RDALL, .r8 = MD_MAX_TDMRS | 1ULL << 24 };
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_RDALL, &r), 0xC0000C0000000000ULL);
	r = (struct tdxsim_regs){ .rdx = PA_RDALL, .r8 = 0x9100000100000013ULL };
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_RDALL, &r), 0xC0000C0000000000ULL);
	tdxsim_module_free(m);
}

static uint64_t
sys_info(struct tdxsim_module *m, uint64_t rcx, uint64_t rdx, uint64_t r8,
	 uint64_t r9)
{
	struct tdxsim_regs r = { .rcx = rcx, .rdx = rdx, .r8 = r8, .r9 = r9 };

	return call(m, 0, TDXSIM_TDH_SYS_INFO, &r);
}

static void
test_sys_info_operands(void **state)
{
	struct tdxsim_module *m = md_module();
	uint8_t zero[1024], got[1024];

	(void)state;
	/* RCX: 1024-aligned shared HPA. */
	assert_int_equal(sys_info(m, PA_SYSINFO + 512, 1024, PA_CMRINFO, 32),
			 0xC000010000000001ULL);
	assert_int_equal(sys_info(m, PA_SYSINFO + 8, 1024, PA_CMRINFO, 32),
			 0xC000010000000001ULL);
	assert_int_equal(sys_info(m, PA_SYSINFO | PRIVATE_HKID, 1024, PA_CMRINFO, 32),
			 0xC000010000000001ULL);
	assert_int_equal(sys_info(m, MAX_PA, 1024, PA_CMRINFO, 32),
			 0xC000010000000001ULL);
	/* RDX: at least 1024. */
	assert_int_equal(sys_info(m, PA_SYSINFO, 1023, PA_CMRINFO, 32),
			 0xC000010000000002ULL);
	assert_int_equal(sys_info(m, PA_SYSINFO, 0, PA_CMRINFO, 32),
			 0xC000010000000002ULL);
	/* R8: 512-aligned shared HPA. */
	assert_int_equal(sys_info(m, PA_SYSINFO, 1024, PA_CMRINFO + 256, 32),
			 0xC000010000000008ULL);
	assert_int_equal(sys_info(m, PA_SYSINFO, 1024, PA_CMRINFO | PRIVATE_HKID, 32),
			 0xC000010000000008ULL);
	/* R9: at least 32 entries. */
	assert_int_equal(sys_info(m, PA_SYSINFO, 1024, PA_CMRINFO, 31),
			 0xC000010000000009ULL);
	assert_int_equal(sys_info(m, PA_SYSINFO, 1024, PA_CMRINFO, 0),
			 0xC000010000000009ULL);
	/* In order: RCX, RDX, R8, R9. */
	assert_int_equal(sys_info(m, PA_SYSINFO + 8, 0, 1, 0), 0xC000010000000001ULL);
	assert_int_equal(sys_info(m, PA_SYSINFO, 0, 1, 0), 0xC000010000000002ULL);
	assert_int_equal(sys_info(m, PA_SYSINFO, 1024, 1, 0), 0xC000010000000008ULL);
	/* Nothing was written by the failed calls. */
	memset(zero, 0, sizeof(zero));
	assert_int_equal(tdxsim_phys_read(m, PA_SYSINFO, got, sizeof(got)), 0);
	assert_memory_equal(got, zero, sizeof(got));
	tdxsim_module_free(m);
}

static void
test_sys_info_contents(void **state)
{
	struct setup s = { .null_cmr_slot = true };
	struct tdxsim_module *m = md_module_with(&s);
	struct tdxsim_regs r = { .rcx = PA_SYSINFO, .rdx = 4096,
				 .r8 = PA_CMRINFO, .r9 = 40 };
	uint8_t info[1024], cmrs[32 * 16];

	(void)state;
	memset(info, 0xA5, sizeof(info));
	memset(cmrs, 0xA5, sizeof(cmrs));
	assert_int_equal(tdxsim_phys_write(m, PA_SYSINFO, info, sizeof(info)), 0);
	assert_int_equal(tdxsim_phys_write(m, PA_CMRINFO, cmrs, sizeof(cmrs)), 0);
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_INFO, &r), TDXSIM_TDX_SUCCESS);
	assert_int_equal(r.rdx, 1024);
	assert_int_equal(r.r9, 32);
	assert_int_equal(tdxsim_phys_read(m, PA_SYSINFO, info, sizeof(info)), 0);
	assert_int_equal(tdxsim_phys_read(m, PA_CMRINFO, cmrs, sizeof(cmrs)), 0);

	assert_int_equal(get_le(info + 0, 4), 0);		/* ATTRIBUTES */
	assert_int_equal(get_le(info + 4, 4), 0x8086);		/* VENDOR_ID */
	assert_int_equal(get_le(info + 8, 4), BUILD_DATE);
	assert_int_equal(get_le(info + 12, 2), BUILD_NUM);
	assert_int_equal(get_le(info + 14, 2), 5);		/* MINOR */
	assert_int_equal(get_le(info + 16, 2), 1);		/* MAJOR */
	assert_int_equal(info[18], 1);				/* SYS_RD */
	for (unsigned i = 19; i < 32; i++)
		assert_int_equal(info[i], 0);
	assert_int_equal(get_le(info + 32, 2), 64);		/* MAX_TDMRS */
	assert_int_equal(get_le(info + 34, 2), 16);		/* MAX_RESERVED */
	assert_int_equal(get_le(info + 36, 2), 16);		/* PAMT_ENTRY_SIZE */
	for (unsigned i = 38; i < 48; i++)
		assert_int_equal(info[i], 0);
	assert_int_equal(get_le(info + 48, 2), 24576);		/* TDCS_BASE_SIZE */
	assert_int_equal(get_le(info + 52, 2), 24576);		/* TDVPS_BASE_SIZE */
	/* The 0xA5 garbage is gone everywhere. */
	for (unsigned i = 0; i < sizeof(info); i++)
		if (info[i] == 0xA5)
			fail_msg("TDSYSINFO byte %u not written", i);

	/* All 32 CMR_INFO entries, the null ones as zeros. */
	assert_int_equal(get_le(cmrs + 0, 8), CMR0_BASE);
	assert_int_equal(get_le(cmrs + 8, 8), CMR0_SIZE);
	assert_int_equal(get_le(cmrs + 16, 8), 0);
	assert_int_equal(get_le(cmrs + 24, 8), 0);
	assert_int_equal(get_le(cmrs + 32, 8), CMR1_BASE);
	assert_int_equal(get_le(cmrs + 40, 8), CMR1_SIZE);
	for (unsigned i = 3; i < 32; i++) {
		assert_int_equal(get_le(cmrs + 16 * i, 8), 0);
		assert_int_equal(get_le(cmrs + 16 * i + 8, 8), 0);
	}
	tdxsim_module_free(m);
}

/* ======================================================================== */
/* 5. Simulated physical memory                                             */
/* ======================================================================== */

static void
test_phys_round_trip(void **state)
{
	struct tdxsim_module *m = new_module();
	uint8_t in[300], out[300];

	(void)state;
	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(tdxsim_phys_write(m, 0x12345, in, sizeof(in)), 0);
	assert_int_equal(tdxsim_phys_read(m, 0x12345, out, sizeof(out)), 0);
	assert_memory_equal(in, out, sizeof(in));
	/* A part of it. */
	assert_int_equal(tdxsim_phys_read(m, 0x12345 + 100, out, 50), 0);
	assert_memory_equal(in + 100, out, 50);
	/* High addresses, right below 2^52 (pa + len == 2^52 is allowed). */
	assert_int_equal(tdxsim_phys_write(m, MAX_PA - sizeof(in), in, sizeof(in)), 0);
	assert_int_equal(tdxsim_phys_read(m, MAX_PA - sizeof(in), out, sizeof(out)), 0);
	assert_memory_equal(in, out, sizeof(in));
	/* Zero-length accesses. */
	assert_int_equal(tdxsim_phys_write(m, 0, in, 0), 0);
	assert_int_equal(tdxsim_phys_read(m, MAX_PA, out, 0), 0);
	tdxsim_module_free(m);
}

static void
test_phys_overlapping_writes_merge(void **state)
{
	struct tdxsim_module *m = new_module();
	uint8_t a[64], b[64], c[16], d[24], want[160], out[160];

	(void)state;
	memset(a, 0xAA, sizeof(a));
	memset(b, 0xBB, sizeof(b));
	memset(c, 0xCC, sizeof(c));
	/* [1000, 1064) A, [1032, 1096) B over its tail, [1090, 1106) C over
	 * B's tail, [1120, 1136) C apart, then [1100, 1124) bridging. */
	assert_int_equal(tdxsim_phys_write(m, 1000, a, sizeof(a)), 0);
	assert_int_equal(tdxsim_phys_write(m, 1032, b, sizeof(b)), 0);
	assert_int_equal(tdxsim_phys_write(m, 1090, c, sizeof(c)), 0);
	assert_int_equal(tdxsim_phys_write(m, 1120, c, sizeof(c)), 0);
	memset(want, 0, sizeof(want));
	memset(want + 0, 0xAA, 64);
	memset(want + 32, 0xBB, 64);
	memset(want + 90, 0xCC, 16);
	memset(want + 120, 0xCC, 16);
	assert_int_equal(tdxsim_phys_read(m, 1000, out, sizeof(out)), 0);
	assert_memory_equal(want, out, sizeof(out));
	memset(d, 0xDD, sizeof(d));
	assert_int_equal(tdxsim_phys_write(m, 1100, d, sizeof(d)), 0);
	memset(want + 100, 0xDD, 24);
	assert_int_equal(tdxsim_phys_read(m, 1000, out, sizeof(out)), 0);
	assert_memory_equal(want, out, sizeof(out));
	/* A write inside one stretch and one covering everything. */
	assert_int_equal(tdxsim_phys_write(m, 1010, c, 4), 0);
	memset(want + 10, 0xCC, 4);
	assert_int_equal(tdxsim_phys_read(m, 1000, out, sizeof(out)), 0);
	assert_memory_equal(want, out, sizeof(out));
	memset(want, 0x11, sizeof(want));
	assert_int_equal(tdxsim_phys_write(m, 1000, want, sizeof(want)), 0);
	assert_int_equal(tdxsim_phys_read(m, 1000, out, sizeof(out)), 0);
	assert_memory_equal(want, out, sizeof(out));
	/* One-byte overlaps: [5000, 5010) A, then [4991, 5001) B whose last
	 * byte is A's first, then [5009, 5019) C whose first byte is A's last. */
	assert_int_equal(tdxsim_phys_write(m, 5000, a, 10), 0);
	assert_int_equal(tdxsim_phys_write(m, 4991, b, 10), 0);
	assert_int_equal(tdxsim_phys_write(m, 5009, c, 10), 0);
	memset(want, 0, sizeof(want));
	memset(want + 1, 0xBB, 10);		/* [4991, 5001) */
	memset(want + 11, 0xAA, 8);		/* [5001, 5009) */
	memset(want + 19, 0xCC, 10);		/* [5009, 5019) */
	assert_int_equal(tdxsim_phys_read(m, 4990, out, 30), 0);
	assert_memory_equal(want, out, 30);
	/* Overwrite the middle byte of the three stretches, now one. */
	assert_int_equal(tdxsim_phys_write(m, 5005, d, 1), 0);
	want[15] = 0xDD;
	assert_int_equal(tdxsim_phys_read(m, 4990, out, 30), 0);
	assert_memory_equal(want, out, 30);
	tdxsim_module_free(m);
}

static void
test_phys_unwritten_reads_zero(void **state)
{
	struct tdxsim_module *m = new_module();
	uint8_t out[4096], zero[4096];

	(void)state;
	memset(zero, 0, sizeof(zero));
	memset(out, 0x5A, sizeof(out));
	assert_int_equal(tdxsim_phys_read(m, 0, out, sizeof(out)), 0);
	assert_memory_equal(out, zero, sizeof(out));
	memset(out, 0x5A, sizeof(out));
	assert_int_equal(tdxsim_phys_read(m, 0xFFFFFFFFF000ULL, out, sizeof(out)), 0);
	assert_memory_equal(out, zero, sizeof(out));
	tdxsim_module_free(m);
}

static void
test_phys_read_spanning(void **state)
{
	struct tdxsim_module *m = new_module();
	uint8_t x[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, out[40], want[40];

	(void)state;
	/* Written [0x1004, 0x100C) and [0x1018, 0x1020); read [0x1000, 0x1028). */
	assert_int_equal(tdxsim_phys_write(m, 0x1004, x, 8), 0);
	assert_int_equal(tdxsim_phys_write(m, 0x1018, x, 8), 0);
	memset(want, 0, sizeof(want));
	memcpy(want + 4, x, 8);
	memcpy(want + 24, x, 8);
	memset(out, 0x77, sizeof(out));
	assert_int_equal(tdxsim_phys_read(m, 0x1000, out, sizeof(out)), 0);
	assert_memory_equal(want, out, sizeof(out));
	/* Starting inside a written stretch. */
	memset(out, 0x77, sizeof(out));
	assert_int_equal(tdxsim_phys_read(m, 0x1008, out, 20), 0);
	assert_memory_equal(want + 8, out, 20);
	/* Adjacent writes read as one. */
	assert_int_equal(tdxsim_phys_write(m, 0x100C, x, 8), 0);
	memcpy(want + 12, x, 8);
	assert_int_equal(tdxsim_phys_read(m, 0x1000, out, sizeof(out)), 0);
	assert_memory_equal(want, out, sizeof(out));
	tdxsim_module_free(m);
}

static void
test_phys_past_top(void **state)
{
	struct tdxsim_module *m = new_module();
	uint8_t buf[16] = { 9 };

	(void)state;
	assert_int_equal(tdxsim_phys_write(m, MAX_PA - 8, buf, 16), -EINVAL);
	assert_int_equal(tdxsim_phys_write(m, MAX_PA, buf, 1), -EINVAL);
	assert_int_equal(tdxsim_phys_write(m, UINT64_MAX - 4, buf, 16), -EINVAL);
	assert_int_equal(tdxsim_phys_read(m, MAX_PA - 8, buf, 16), -EINVAL);
	assert_int_equal(tdxsim_phys_read(m, MAX_PA, buf, 1), -EINVAL);
	assert_int_equal(tdxsim_phys_read(m, UINT64_MAX - 4, buf, 16), -EINVAL);
	/* The refused write stored nothing below the top either. */
	assert_int_equal(tdxsim_phys_read(m, MAX_PA - 8, buf, 8), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(buf[i], 0);
	tdxsim_module_free(m);
}

/* 256 MiB may be held; the 257th MiB is refused, overwriting is not. */
static void
test_phys_limit(void **state)
{
	struct tdxsim_module *m = new_module();
	uint8_t *chunk = malloc(MIB), probe[16];

	(void)state;
	assert_non_null(chunk);
	memset(chunk, 0x3C, MIB);
	/* 1 MiB stretches 2 MiB apart, so that none merge. */
	for (uint64_t i = 0; i < 256; i++)
		assert_int_equal(tdxsim_phys_write(m, 0x100000000ULL + 2 * MIB * i,
						   chunk, MIB), 0);
	assert_int_equal(tdxsim_phys_write(m, 0x100000000ULL + 2 * MIB * 256,
					   chunk, MIB), -ENOMEM);
	assert_int_equal(tdxsim_phys_write(m, 0, chunk, 1), -ENOMEM);
	/* Nothing of the refused write is there. */
	assert_int_equal(tdxsim_phys_read(m, 0x100000000ULL + 2 * MIB * 256,
					  probe, sizeof(probe)), 0);
	assert_int_equal(probe[0], 0);
	/* Rewriting bytes already held costs nothing. */
	memset(chunk, 0x4D, MIB);
	for (int k = 0; k < 3; k++)
		assert_int_equal(tdxsim_phys_write(m, 0x100000000ULL, chunk, MIB), 0);
	assert_int_equal(tdxsim_phys_read(m, 0x100000000ULL + MIB - 16,
					  probe, sizeof(probe)), 0);
	assert_int_equal(probe[15], 0x4D);
	free(chunk);
	tdxsim_module_free(m);
}

/* Field ids as kernels pass them in RDX name their fields; the bits the
 * module ignores do not matter; unknown or malformed ids are refused. */
static void
test_metadata_field_describe(void **state)
{
	char name[96];

	(void)state;
	assert_int_equal(tdxsim_metadata_field_describe(0x9100000100000008ULL, name, sizeof(name)), 0);
	assert_string_equal(name, "MAX_TDMRS (class 0x11, 16-bit)");
	assert_int_equal(tdxsim_metadata_field_describe(0x9000000300000083ULL, name, sizeof(name)), 0);
	assert_string_equal(name, "CMR_BASE[3] (class 0x10, 64-bit)");
	/* Size code and context bits are ignored, as TDH.SYS.RD ignores them. */
	assert_int_equal(tdxsim_metadata_field_describe(0x9110000000000009ULL, name, sizeof(name)), 0);
	assert_string_equal(name, "MAX_RESERVED_PER_TDMR (class 0x11, 16-bit)");
	/* A field of some builds only (2.0 with DPAMT) is still named. */
	assert_int_equal(tdxsim_metadata_field_describe(0x9100000100000013ULL, name, sizeof(name)), 0);
	assert_string_equal(name, "PAMT_PAGE_BITMAP_ENTRY_BITS (class 0x11, 8-bit)");
	assert_int_equal(tdxsim_metadata_field_describe(0x9100000100000015ULL, name, sizeof(name)), -ENOENT);
	assert_int_equal(tdxsim_metadata_field_describe(0x9100000101000008ULL, name, sizeof(name)), -ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		/* 1. state machine */
		cmocka_unit_test(test_new_module_pending),
		cmocka_unit_test(test_new_refuses_profile),
		cmocka_unit_test(test_sys_init_zeroes_outputs),
		cmocka_unit_test(test_sys_init_twice),
		cmocka_unit_test(test_sys_init_rcx_nonzero),
		cmocka_unit_test(test_sys_init_cmr_list),
		cmocka_unit_test(test_lp_init_before_sys_init),
		cmocka_unit_test(test_lp_init_twice),
		cmocka_unit_test(test_lp_init_after_config_strict),
		cmocka_unit_test(test_lp_init_after_config_relaxed),
		cmocka_unit_test(test_metadata_lp_not_init_pending),
		cmocka_unit_test(test_metadata_lp_not_init_sysinit_done),
		cmocka_unit_test(test_config_before_all_lps_strict),
		cmocka_unit_test(test_config_before_all_lps_relaxed),
		cmocka_unit_test(test_config_in_pending),
		cmocka_unit_test(test_config_twice),
		cmocka_unit_test(test_key_config_before_config),
		cmocka_unit_test(test_key_config_twice_same_package),
		cmocka_unit_test(test_key_config_last_package_ready),
		cmocka_unit_test_teardown(test_key_config_every_package_reachable,
					  free_module_state),
		cmocka_unit_test(test_tdmr_init_before_ready),
		cmocka_unit_test(test_tdmr_init_bad_rcx),
		cmocka_unit_test(test_shutdown_every_leaf),
		cmocka_unit_test(test_shutdown_before_ready),
		cmocka_unit_test(test_rax_reserved_and_version),
		cmocka_unit_test(test_unknown_leaf),
		cmocka_unit_test(test_module_absent),
		cmocka_unit_test(test_sys_update),
		cmocka_unit_test(test_config_layout_too_many),
		cmocka_unit_test(test_cpu_out_of_range),
		/* 2. 1.0 profile */
		cmocka_unit_test(test_v1_0_sys_rd_not_ready),
		cmocka_unit_test(test_v1_5_sys_rd_works),
		/* 3. CONFIG and TDMR.INIT */
		cmocka_unit_test(test_config_rcx),
		cmocka_unit_test(test_config_rdx),
		cmocka_unit_test(test_config_r8),
		cmocka_unit_test(test_config_bad_entry_pointer),
		cmocka_unit_test(test_config_failure_keeps_state_and_allows_retry),
		cmocka_unit_test(test_full_init_and_tdmr_init_loop),
		cmocka_unit_test(test_page_states),
		/* 4. metadata */
		cmocka_unit_test(test_rd_tdmr_fields),
		cmocka_unit_test(test_rd_num_cmrs_max),
		cmocka_unit_test(test_rd_num_cmrs_actual),
		cmocka_unit_test(test_rd_cmr_slots),
		cmocka_unit_test(test_rd_version_1_5_06),
		cmocka_unit_test(test_rd_version_1_5),
		cmocka_unit_test(test_rd_value_masked_to_size),
		cmocka_unit_test(test_rd_features0),
		cmocka_unit_test(test_rd_next_id_chain),
		cmocka_unit_test(test_rd_null_id),
		cmocka_unit_test(test_rd_reserved_bits),
		cmocka_unit_test(test_rd_unknown_field),
		cmocka_unit_test(test_rd_size_bits_ignored),
		cmocka_unit_test(test_rdall),
		cmocka_unit_test(test_sys_info_operands),
		cmocka_unit_test(test_sys_info_contents),
		/* 5. simulated memory */
		cmocka_unit_test(test_phys_round_trip),
		cmocka_unit_test(test_phys_overlapping_writes_merge),
		cmocka_unit_test(test_phys_unwritten_reads_zero),
		cmocka_unit_test(test_phys_read_spanning),
		cmocka_unit_test(test_phys_past_top),
		cmocka_unit_test(test_phys_limit),
		cmocka_unit_test(test_metadata_field_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
