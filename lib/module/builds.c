/* SPDX-License-Identifier: MIT */
/*
 * TDX module builds as data.
 *
 * Field presence: include/auto_gen/global_sys_fields_lookup.h of
 * intel/tdx-module tdx_1.5 @72d8cffb (1.5.01: no MAX_VCPUS_PER_TD),
 * niooss-ledger/tdx-module @f99767b4 (1.5.05: MAX_VCPUS_PER_TD added),
 * sslab-gatech/tdx-module @2c25cb33 (1.5.06: MIN_VIRT_MAXPA added) and
 * intel/tdx-module @1666adc4 include/auto_gen_2_0/ (2.0.08: the DPAMT
 * fields of the TDMR class).
 *
 * TDX_FEATURES0 per release: intel/tdx-module-binaries mapping_file.json
 * ("tdx_feature0" of every published release).
 *
 * CPUID_CONFIG: the cpuid_configurable[] table of each source's
 * include/auto_gen/ (2.0: auto_gen_2_0/) cpuid_configurations.c (leaf,
 * subleaf, config_direct);
 * MAX_NUM_CPUID_CONFIG is 7 in 1.0.3, 12 in 1.5.01, 18 in 1.5.05 and
 * 1.5.06, 28 in 2.0.08.
 */
#include "config.h"

#include "builds.h"
#include "common.h"

#define NA 0xffffffffu

/* Leaf 4 (deterministic cache parameters) as 1.5 configures it: EDX of
 * subleaves 0-2 is configurable except bit 2, of subleaf 3 bits 2:0. */
#define LEAF4_15(sub, edx) { 0x4, sub, 0xffffc3ff, 0xfffff000, 0xffffffff, edx }
#define LEAF1F(sub) { 0x1f, sub, 0x1f, 0xffff, 0xffff, 0 }
#define LEAF18(sub) { 0x18, sub, 0, 0, 0, 0x03ffc000 }

/* Indices 0-11, as in every 1.5 build (index 9: MAXPA from 1.5.06 on). */
#define CPUID_1_5_HEAD(maxpa)						\
	{ 0x1, NA, 0x0fff3fff, 0x00ff0000, 0, 0 },			\
	LEAF4_15(0, 0xfffffffb), LEAF4_15(1, 0xfffffffb),		\
	LEAF4_15(2, 0xfffffffb), LEAF4_15(3, 0x7),			\
	{ 0x7, 0, 0, 0, 0, 0 }, { 0x7, 1, 0, 0, 0, 0 },			\
	{ 0xa, NA, 0, 0, 0, 0 }, { 0x1c, NA, 0, 0, 0, 0 },		\
	{ 0x80000008, NA, maxpa, 0, 0, 0 },				\
	{ 0x7, 2, 0, 0, 0, 0 }, { 0x23, 0, 0, 0, 0, 0 }

#define CPUID_1F_ALL							\
	LEAF1F(0), LEAF1F(1), LEAF1F(2), LEAF1F(3), LEAF1F(4), LEAF1F(5)

/* 1.0.3 (niooss-ledger/tdx-module fd485aae): 7 configs, served through
 * TDH.SYS.INFO only. */
static const struct build_cpuid_config cpuid_1_0_3[] = {
	{ 0x1, NA, 0, 0x00ff0000, 0, 0 },
	{ 0x4, 0, 0xffffffff, 0xfffff000, 0xffffffff, 0xffffffff },
	{ 0x4, 1, 0xffffffff, 0xfffff000, 0xffffffff, 0xffffffff },
	{ 0x4, 2, 0xffffffff, 0xfffff000, 0xffffffff, 0xffffffff },
	{ 0x4, 3, 0xffffffff, 0xfffff000, 0xffffffff, 0xffffffff },
	{ 0x7, 0, 0, 0, 0, 0 },
	{ 0x80000008, NA, 0, 0, 0, 0 },
};

static const struct build_cpuid_config cpuid_1_5_01[] = {
	CPUID_1_5_HEAD(0),
};

static const struct build_cpuid_config cpuid_1_5_05[] = {
	CPUID_1_5_HEAD(0), CPUID_1F_ALL,
};

static const struct build_cpuid_config cpuid_1_5_06[] = {
	CPUID_1_5_HEAD(0xff), CPUID_1F_ALL,
};

/* 2.0.08: leaf 4 EDX bits 2:0 in every subleaf; leaves 0x19 and 0x18. */
static const struct build_cpuid_config cpuid_2_0_08[] = {
	{ 0x1, NA, 0x0fff3fff, 0x00ff0000, 0, 0 },
	LEAF4_15(0, 0x7), LEAF4_15(1, 0x7), LEAF4_15(2, 0x7), LEAF4_15(3, 0x7),
	{ 0x7, 0, 0, 0, 0, 0 }, { 0x7, 1, 0, 0, 0, 0 },
	{ 0xa, NA, 0, 0, 0, 0 }, { 0x1c, NA, 0, 0, 0, 0 },
	{ 0x80000008, NA, 0xff, 0, 0, 0 },
	{ 0x7, 2, 0, 0, 0, 0 }, { 0x23, 0, 0, 0, 0, 0 },
	CPUID_1F_ALL,
	{ 0x19, NA, 0, 0, 0, 0 },
	LEAF18(0), LEAF18(1), LEAF18(2), LEAF18(3), LEAF18(4), LEAF18(5),
	LEAF18(6), LEAF18(7), LEAF18(8),
};

/* mapping_file.json: the published releases and their TDX_FEATURES0. */
struct release {
	unsigned major, minor, update;
	uint64_t features0;
};

static const struct release releases[] = {
	{ 1, 5, 1, 0xF0FBFULL },
	{ 1, 5, 5, 0x61F0FBFULL },
	{ 1, 5, 6, 0x2E1F0FBFULL },
	{ 1, 5, 8, 0x22E1F0FBFULL },
	{ 1, 5, 9, 0x26F1F0FBFULL },
	{ 1, 5, 13, 0x226F1F0FBFULL },
	{ 1, 5, 16, 0x226F3F0FBFULL },
	{ 2, 0, 2, 0x22E1F0FBFULL },
	{ 2, 0, 4, 0x12AF1F0FBFULL },
	{ 2, 0, 5, 0x226F3F0FBFULL },
	{ 2, 0, 8, 0x32A71F0FBFULL },
};

/*
 * The release whose TDX_FEATURES0 a version reports: the newest published
 * one of the same MAJOR.MINOR not after it, or the oldest when it is older
 * than all. An unknown update (version "1.5") reads as 1.5.06, the newest
 * release whose source was read (docs/fidelity.md).
 */
static uint64_t
features0_of(const struct tdxsim_module_profile *p)
{
	unsigned update = p->update == TDXSIM_VERSION_UNKNOWN ? 6 : p->update;
	const struct release *best = NULL;

	for (size_t i = 0; i < ARRAY_LENGTH(releases); i++) {
		const struct release *r = &releases[i];

		if (r->major != p->major || r->minor != p->minor)
			continue;
		if (!best || r->update <= update)
			best = r;
	}
	return best ? best->features0 : 0;
}

static void
set_family(struct module_build *b, const char *family, unsigned fields,
	   const struct build_cpuid_config *cpuid, size_t n)
{
	b->family = family;
	b->fields = fields;
	b->cpuid = cpuid;
	b->cpuid_count = n;
}

void
tdxsim_module_build_of(const struct tdxsim_module_profile *p,
		       struct module_build *b)
{
	unsigned update = p->update == TDXSIM_VERSION_UNKNOWN ? 6 : p->update;

	b->features0 = features0_of(p);
	if (p->major >= 2) {
		/* The DPAMT fields exist where the release reports the
		 * feature (docs/fidelity.md: 2.0 without DPAMT). */
		set_family(b, "2.0", BUILD_HAS_MAX_VCPUS | BUILD_HAS_MIN_VIRT_MAXPA |
			   (b->features0 & TDXSIM_FEATURES0_DYNAMIC_PAMT
			    ? BUILD_HAS_DPAMT : 0),
			   cpuid_2_0_08, ARRAY_LENGTH(cpuid_2_0_08));
	} else if (p->major == 1 && p->minor < 5) {
		b->features0 = 0;
		set_family(b, "1.0", 0, cpuid_1_0_3, ARRAY_LENGTH(cpuid_1_0_3));
	} else if (update <= 1) {
		set_family(b, "1.5.01", 0, cpuid_1_5_01, ARRAY_LENGTH(cpuid_1_5_01));
	} else if (update <= 5) {
		set_family(b, "1.5.05", BUILD_HAS_MAX_VCPUS, cpuid_1_5_05,
			   ARRAY_LENGTH(cpuid_1_5_05));
	} else {
		set_family(b, "1.5.06", BUILD_HAS_MAX_VCPUS | BUILD_HAS_MIN_VIRT_MAXPA,
			   cpuid_1_5_06, ARRAY_LENGTH(cpuid_1_5_06));
	}
}
