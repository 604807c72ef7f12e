/* SPDX-License-Identifier: MIT */
/*
 * Module builds as data (docs/module.md, "Builds"): which metadata fields
 * each build family answers, TDX_FEATURES0 per release, CPUID_CONFIG, and
 * TDH.SYS.CONFIG's compile-time bounds. Every status word is exact.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tdxsim/tdxsim.h>

#include "test-common.h"

#define GIB (1ULL << 30)
#define NR_LPS 2

#define MD_MAX_VCPUS 0x9900000100000008ULL
#define MD_MIN_VIRT_MAXPA 0x9900000000000009ULL
#define MD_CONFIG_FLAGS_FIXED1 0x9900000300000007ULL
#define MD_NUM_CPUID_CONFIG 0x9900000100000004ULL
#define MD_CPUID_LEAVES 0x9900000300000400ULL
#define MD_CPUID_VALUES 0x9900000300000500ULL
#define MD_FEATURES0 0x0A00000300000008ULL
/* As the DPAMT kernel series reads it (16-bit size code; the module
 * declares 8-bit and ignores the size code of a read). */
#define MD_BITMAP_BITS 0x9100000100000013ULL
#define MD_DPAMT_HKID_BITS 0x9100000000000014ULL

#define FIELD_ID_INCORRECT 0xC0000C0000000000ULL

/* A module of the given version (update TDXSIM_VERSION_UNKNOWN allowed)
 * with TDMR limits as a fixture may claim them; CMR [0, 4G). */
static struct tdxsim_module *
module_limits(unsigned major, unsigned minor, unsigned update,
	      unsigned max_tdmrs, unsigned max_rsvd)
{
	struct tdxsim_platform *p = tdxsim_platform_new();
	struct tdxsim_module_profile prof;
	struct tdxsim_module *m = NULL;

	assert_non_null(p);
	tdxsim_module_profile_init(&prof);
	prof.major = major;
	prof.minor = minor;
	prof.update = update;
	prof.keyid_start = 32;
	prof.keyid_end = 64;
	prof.nr_lps = NR_LPS;
	prof.nr_packages = 1;
	prof.max_tdmrs = max_tdmrs;
	prof.max_reserved_per_tdmr = max_rsvd;
	tdxsim_platform_set_module_profile(p, &prof);
	assert_int_equal(tdxsim_platform_add_cmr(p, 0, 4 * GIB), 0);
	assert_int_equal(tdxsim_module_new(p, NULL, &m), 0);
	tdxsim_platform_free(p);
	return m;
}

static uint64_t
call(struct tdxsim_module *m, unsigned cpu, uint64_t leaf,
     struct tdxsim_regs *r)
{
	r->rax = leaf;
	assert_int_equal(tdxsim_seamcall(m, cpu, r), 0);
	return r->rax;
}

/* SYS.INIT and LP.INIT on every CPU: ready for SYS.RD and SYS.CONFIG. */
static void
to_sysinit_done(struct tdxsim_module *m)
{
	struct tdxsim_regs r = { 0 };

	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_INIT, &r), 0);
	for (unsigned cpu = 0; cpu < NR_LPS; cpu++) {
		r = (struct tdxsim_regs){ 0 };
		assert_int_equal(call(m, cpu, TDXSIM_TDH_SYS_LP_INIT, &r), 0);
	}
}

static struct tdxsim_module *
ready_module(unsigned major, unsigned minor, unsigned update)
{
	struct tdxsim_module *m = module_limits(major, minor, update, 64, 16);

	to_sysinit_done(m);
	return m;
}

/* TDH.SYS.RD: the status; value and next id through the pointers. */
static uint64_t
rd(struct tdxsim_module *m, uint64_t id, uint64_t *value, uint64_t *next)
{
	struct tdxsim_regs r = { .rdx = id, .r8 = 0x5a5a };
	uint64_t status = call(m, 0, TDXSIM_TDH_SYS_RD, &r);

	*value = r.r8;
	if (next)
		*next = r.rdx;
	return status;
}

static uint64_t
rd_ok(struct tdxsim_module *m, uint64_t id)
{
	uint64_t v;

	assert_int_equal(rd(m, id, &v, NULL), 0);
	return v;
}

/* ---- field presence --------------------------------------------------- */

/* 1.5.01 has no MAX_VCPUS_PER_TD: the TD-configuration reads of v6.16+
 * kernels fail there (the canonical/tdx case). 1.5.05 has it. */
static void
test_max_vcpus_per_build(void **state)
{
	struct tdxsim_module *m = ready_module(1, 5, 1);
	uint64_t v;

	(void)state;
	assert_int_equal(rd(m, MD_MAX_VCPUS, &v, NULL), 0xC0000C0000000000ULL);
	assert_int_equal(v, 0);
	tdxsim_module_free(m);
	m = ready_module(1, 5, 5);
	assert_int_equal(rd_ok(m, MD_MAX_VCPUS), 576);
	tdxsim_module_free(m);
	m = ready_module(2, 0, 8);
	assert_int_equal(rd_ok(m, MD_MAX_VCPUS), 576);
	tdxsim_module_free(m);
}

/* MIN_VIRT_MAXPA appears in 1.5.06. */
static void
test_min_virt_maxpa_per_build(void **state)
{
	struct tdxsim_module *m = ready_module(1, 5, 5);
	uint64_t v;

	(void)state;
	assert_int_equal(rd(m, MD_MIN_VIRT_MAXPA, &v, NULL), FIELD_ID_INCORRECT);
	tdxsim_module_free(m);
	m = ready_module(1, 5, 6);
	assert_int_equal(rd_ok(m, MD_MIN_VIRT_MAXPA), 45);
	tdxsim_module_free(m);
}

/* The DPAMT fields exist in 2.0 releases that report DYNAMIC_PAMT
 * (2.0.08), not in 2.0.05 nor in 1.5. */
static void
test_dpamt_fields_per_build(void **state)
{
	struct tdxsim_module *m = ready_module(2, 0, 8);
	uint64_t v;

	(void)state;
	assert_int_equal(rd_ok(m, MD_BITMAP_BITS), 1);
	assert_int_equal(rd_ok(m, MD_DPAMT_HKID_BITS), 4);
	tdxsim_module_free(m);
	m = ready_module(2, 0, 5);
	assert_int_equal(rd(m, MD_BITMAP_BITS, &v, NULL), FIELD_ID_INCORRECT);
	tdxsim_module_free(m);
	m = ready_module(1, 5, 6);
	assert_int_equal(rd(m, MD_BITMAP_BITS, &v, NULL), FIELD_ID_INCORRECT);
	assert_int_equal(rd(m, MD_DPAMT_HKID_BITS, &v, NULL), FIELD_ID_INCORRECT);
	tdxsim_module_free(m);
}

/* The next-id chain skips what the build lacks. */
static void
test_next_id_skips_absent(void **state)
{
	struct tdxsim_module *m = ready_module(1, 5, 1);
	uint64_t v, next;

	(void)state;
	assert_int_equal(rd(m, MD_CONFIG_FLAGS_FIXED1, &v, &next), 0);
	assert_int_equal(next, MD_CPUID_LEAVES);
	tdxsim_module_free(m);
	m = ready_module(1, 5, 6);
	assert_int_equal(rd(m, MD_CONFIG_FLAGS_FIXED1, &v, &next), 0);
	assert_int_equal(next, MD_MAX_VCPUS);
	assert_int_equal(rd(m, MD_MAX_VCPUS, &v, &next), 0);
	assert_int_equal(next, MD_MIN_VIRT_MAXPA);
	tdxsim_module_free(m);
}

/* ---- TDX_FEATURES0 and CPUID_CONFIG ----------------------------------- */

static uint64_t
features0_of(unsigned major, unsigned minor, unsigned update)
{
	struct tdxsim_module *m = ready_module(major, minor, update);
	uint64_t f = rd_ok(m, MD_FEATURES0);

	tdxsim_module_free(m);
	return f;
}

/* intel/tdx-module-binaries mapping_file.json, release by release; an
 * unlisted update reports the newest release before it. */
static void
test_features0_per_release(void **state)
{
	(void)state;
	assert_int_equal(features0_of(1, 5, 1), 0xF0FBFULL);
	assert_false(features0_of(1, 5, 1) & (1ULL << 20));	/* no TOPOLOGY_ENUM */
	assert_int_equal(features0_of(1, 5, 5), 0x61F0FBFULL);
	assert_int_equal(features0_of(1, 5, 6), 0x2E1F0FBFULL);
	assert_int_equal(features0_of(1, 5, 7), 0x2E1F0FBFULL);
	assert_int_equal(features0_of(1, 5, TDXSIM_VERSION_UNKNOWN), 0x2E1F0FBFULL);
	assert_int_equal(features0_of(1, 5, 16), 0x226F3F0FBFULL);
	assert_int_equal(features0_of(2, 0, 5), 0x226F3F0FBFULL);
	assert_int_equal(features0_of(2, 0, 8), 0x32A71F0FBFULL);
	assert_true(features0_of(2, 0, 8) & (1ULL << 36));	/* DYNAMIC_PAMT */
	assert_false(features0_of(2, 0, 5) & (1ULL << 36));
}

static void
assert_cpuid_count(unsigned major, unsigned minor, unsigned update,
		   uint64_t want)
{
	struct tdxsim_module *m = ready_module(major, minor, update);

	assert_int_equal(rd_ok(m, MD_NUM_CPUID_CONFIG), want);
	/* The last config is a real leaf; the next reads all ones. */
	assert_int_not_equal(rd_ok(m, MD_CPUID_LEAVES + want - 1), UINT64_MAX);
	assert_int_equal(rd_ok(m, MD_CPUID_LEAVES + want), UINT64_MAX);
	assert_int_equal(rd_ok(m, MD_CPUID_VALUES + 2 * want), 0);
	tdxsim_module_free(m);
}

/* MAX_NUM_CPUID_CONFIG: 12 (1.5.01), 18 (1.5.05, 1.5.06), 28 (2.0.08). */
static void
test_cpuid_config_per_build(void **state)
{
	struct tdxsim_module *m;

	(void)state;
	assert_cpuid_count(1, 5, 1, 12);
	assert_cpuid_count(1, 5, 5, 18);
	assert_cpuid_count(1, 5, 6, 18);
	assert_cpuid_count(2, 0, 8, 28);
	m = ready_module(1, 5, 5);
	/* Config 0: leaf 1, no subleaf; EBX:EAX and EDX:ECX of config_direct. */
	assert_int_equal(rd_ok(m, MD_CPUID_LEAVES), 0xFFFFFFFF00000001ULL);
	assert_int_equal(rd_ok(m, MD_CPUID_VALUES), 0x00FF00000FFF3FFFULL);
	assert_int_equal(rd_ok(m, MD_CPUID_VALUES + 1), 0);
	/* Config 4: leaf 4 subleaf 3; config 12: leaf 0x1F subleaf 0. */
	assert_int_equal(rd_ok(m, MD_CPUID_LEAVES + 4), 0x0000000300000004ULL);
	assert_int_equal(rd_ok(m, MD_CPUID_VALUES + 9), 0x00000007FFFFFFFFULL);
	assert_int_equal(rd_ok(m, MD_CPUID_LEAVES + 12), 0x000000000000001FULL);
	/* Config 9, leaf 0x80000008: MAXPA is configurable from 1.5.06 on. */
	assert_int_equal(rd_ok(m, MD_CPUID_VALUES + 18), 0);
	tdxsim_module_free(m);
	m = ready_module(1, 5, 6);
	assert_int_equal(rd_ok(m, MD_CPUID_VALUES + 18), 0xFF);
	tdxsim_module_free(m);
}

/* TDH.SYS.INFO (1.0 ABI, still served): NUM_CPUID_CONFIG at 128 and the
 * configs from 132, 24 bytes each. */
static void
test_sys_info_cpuid_configs(void **state)
{
	struct tdxsim_module *m = ready_module(1, 5, 5);
	struct tdxsim_regs r = { .rcx = 0x10000, .rdx = 1024, .r8 = 0x20000, .r9 = 32 };
	uint8_t info[1024];
	uint32_t v;

	(void)state;
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_INFO, &r), 0);
	assert_int_equal(tdxsim_phys_read(m, 0x10000, info, sizeof(info)), 0);
	memcpy(&v, info + 128, 4);
	assert_int_equal(v, 18);
	memcpy(&v, info + 132 + 24 * 4 + 4, 4);		/* config 4: subleaf 3 */
	assert_int_equal(v, 3);
	memcpy(&v, info + 132 + 24 * 4 + 20, 4);	/* its EDX */
	assert_int_equal(v, 7);
	memcpy(&v, info + 132 + 24 * 17, 4);		/* config 17: leaf 0x1F */
	assert_int_equal(v, 0x1F);
	memcpy(&v, info + 132 + 24 * 18, 4);		/* nothing after */
	assert_int_equal(v, 0);
	tdxsim_module_free(m);
	/* 1.0.3: 7 configs, the last leaf 0x80000008. */
	m = ready_module(1, 0, 3);
	r = (struct tdxsim_regs){ .rcx = 0x10000, .rdx = 1024, .r8 = 0x20000, .r9 = 32 };
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_INFO, &r), 0);
	assert_int_equal(tdxsim_phys_read(m, 0x10000, info, sizeof(info)), 0);
	memcpy(&v, info + 128, 4);
	assert_int_equal(v, 7);
	memcpy(&v, info + 132 + 24 * 6, 4);
	assert_int_equal(v, 0x80000008);
	tdxsim_module_free(m);
}

/* ---- TDH.SYS.CONFIG bounds: compile-time, not the metadata ------------- */

#define PA_ARRAY 0x80000ULL
#define PA_ENTRY 0x100000ULL

static void
put_u64(struct tdxsim_module *m, uint64_t pa, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	assert_int_equal(tdxsim_phys_write(m, pa, b, sizeof(b)), 0);
}

/* n pointers to the same entry: TDMR [0, 1G), PAMTs inside reserved
 * slot 0 = [0, 8M), and whatever rsvd slot `bad` holds. */
static void
write_entries(struct tdxsim_module *m, unsigned n, unsigned bad)
{
	for (unsigned i = 0; i < n; i++)
		put_u64(m, PA_ARRAY + 8 * i, PA_ENTRY);
	put_u64(m, PA_ENTRY + 0x00, 0);
	put_u64(m, PA_ENTRY + 0x08, GIB);
	put_u64(m, PA_ENTRY + 0x10, 0x700000);		/* 1G */
	put_u64(m, PA_ENTRY + 0x18, 0x1000);
	put_u64(m, PA_ENTRY + 0x20, 0x600000);		/* 2M */
	put_u64(m, PA_ENTRY + 0x28, 0x2000);
	put_u64(m, PA_ENTRY + 0x30, 0x100000 + 0x100000);	/* 4K */
	put_u64(m, PA_ENTRY + 0x38, 0x400000);
	put_u64(m, PA_ENTRY + 0x40, 0);
	put_u64(m, PA_ENTRY + 0x48, 0x800000);
	if (bad) {
		put_u64(m, PA_ENTRY + 0x40 + 16 * bad, 0x10000000);
		put_u64(m, PA_ENTRY + 0x48 + 16 * bad, 0x1000);
	}
}

static uint64_t
config(struct tdxsim_module *m, uint64_t n)
{
	struct tdxsim_regs r = { .rcx = PA_ARRAY, .rdx = n, .r8 = 32 };

	return call(m, 0, TDXSIM_TDH_SYS_CONFIG, &r);
}

/* RDX is bounded by MAX_TDMRS = 64 whatever the profile's metadata says:
 * 3 TDMRs on a "max-tdmrs: 2" profile reach the entry checks (the second
 * entry repeats the first: TDX_NON_ORDERED_TDMR for entry 1). */
static void
test_config_rdx_bound_is_64(void **state)
{
	struct tdxsim_module *m = module_limits(1, 5, 6, 2, 16);

	(void)state;
	to_sysinit_done(m);
	write_entries(m, 65, 0);
	assert_int_equal(config(m, 3), 0xC0000A0100000001ULL);
	assert_int_equal(config(m, 65), 0xC000010000000002ULL);
	assert_int_equal(config(m, 1), 0);
	tdxsim_module_free(m);
}

/* Every entry has 16 reserved slots, whatever MAX_RESERVED_PER_TDMR the
 * profile claims: a non-null slot 6 after null slots 1-5 breaks rule R1
 * on a "max-reserved-per-tdmr: 4" profile too (detail: TDMR 0 and the null
 * slot right before it, 5). */
static void
test_config_reads_16_slots(void **state)
{
	struct tdxsim_module *m = module_limits(1, 5, 6, 64, 4);

	(void)state;
	to_sysinit_done(m);
	write_entries(m, 1, 6);
	assert_int_equal(config(m, 1), 0xC0000A2100000500ULL);
	write_entries(m, 1, 0);
	put_u64(m, PA_ENTRY + 0x40 + 16 * 6, 0);
	put_u64(m, PA_ENTRY + 0x48 + 16 * 6, 0);
	assert_int_equal(config(m, 1), 0);
	tdxsim_module_free(m);
}

/* 2.0.08 keeps the 1.5 LP.INIT rules (tdh_sys_lp_init(), tdh_sys_config()):
 * CONFIG waits for every LP, LP.INIT after CONFIG is not pending. */
static void
test_lp_init_strict_in_2_0(void **state)
{
	struct tdxsim_module *m = module_limits(2, 0, 8, 64, 16);
	struct tdxsim_regs r = { 0 };

	(void)state;
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_INIT, &r), 0);
	r = (struct tdxsim_regs){ 0 };
	assert_int_equal(call(m, 0, TDXSIM_TDH_SYS_LP_INIT, &r), 0);
	write_entries(m, 1, 0);
	assert_int_equal(config(m, 1), 0xC000050C00000000ULL);
	r = (struct tdxsim_regs){ 0 };
	assert_int_equal(call(m, 1, TDXSIM_TDH_SYS_LP_INIT, &r), 0);
	assert_int_equal(config(m, 1), 0);
	r = (struct tdxsim_regs){ 0 };
	assert_int_equal(call(m, 1, TDXSIM_TDH_SYS_LP_INIT, &r), 0xC000050B00000000ULL);
	tdxsim_module_free(m);
}

/* ---- end to end: the kernel's metadata reads against a build ---------- */

/* The EMR fixture with its version replaced. */
static struct tdxsim_platform *
emr_as(const char *version)
{
	char *path = tdxsim_test_source_path("fixtures/platforms/emr-canonical-tdx-135.yaml");
	struct tdxsim_platform *p = tdxsim_test_load_file_clean(path);
	struct tdxsim_module_profile prof = *tdxsim_platform_module_profile(p);

	free(path);
	prof.major = 1;
	prof.minor = 5;
	prof.update = (unsigned)strtoul(version, NULL, 10);
	tdxsim_platform_set_module_profile(p, &prof);
	return p;
}

static bool
has_line(const struct tdxsim_host_run *run, const char *line)
{
	for (size_t i = 0; i < tdxsim_host_run_line_count(run); i++)
		if (strcmp(tdxsim_host_run_line(run, i), line) == 0)
			return true;
	return false;
}

/* The v6.18 kernel ("linux") reads MAX_VCPUS_PER_TD among the TD fields:
 * on 1.5.01 the read fails and init stops with -EIO, printing the
 * SEAMCALL; on 1.5.05 the reads pass and init goes on to fail where the
 * fixture's report did, reserved areas exhausted (-ENOSPC). */
static void
test_linux_init_on_1_5_01(void **state)
{
	struct tdxsim_platform *p = emr_as("1");
	struct tdxsim_host_run *run = NULL;

	(void)state;
	assert_int_equal(tdxsim_host_run(p, TDXSIM_STRATEGY_LINUX, TDXSIM_HOST_INIT,
					 &run), 0);
	assert_int_equal(tdxsim_host_run_errno(run), -5);
	assert_true(has_line(run, "virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc0000c0000000000"));
	assert_true(has_line(run, "virt/tdx: RCX 0x0000000000000000 RDX 0x9900000100000008 R08 0x0000000000000000"));
	tdxsim_host_run_free(run);
	tdxsim_platform_free(p);
	p = emr_as("5");
	assert_int_equal(tdxsim_host_run(p, TDXSIM_STRATEGY_LINUX, TDXSIM_HOST_INIT,
					 &run), 0);
	assert_false(has_line(run, "virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc0000c0000000000"));
	assert_int_equal(tdxsim_host_run_errno(run), -28);
	tdxsim_host_run_free(run);
	tdxsim_platform_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_max_vcpus_per_build),
		cmocka_unit_test(test_min_virt_maxpa_per_build),
		cmocka_unit_test(test_dpamt_fields_per_build),
		cmocka_unit_test(test_next_id_skips_absent),
		cmocka_unit_test(test_features0_per_release),
		cmocka_unit_test(test_cpuid_config_per_build),
		cmocka_unit_test(test_sys_info_cpuid_configs),
		cmocka_unit_test(test_config_rdx_bound_is_64),
		cmocka_unit_test(test_config_reads_16_slots),
		cmocka_unit_test(test_lp_init_strict_in_2_0),
		cmocka_unit_test(test_linux_init_on_1_5_01),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
