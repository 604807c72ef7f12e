/* SPDX-License-Identifier: MIT */
/*
 * TDX module builds as data: which global metadata fields a build family
 * has, its TDX_FEATURES0 and its CPUID_CONFIG table. The sources of every
 * number are in builds.c and docs/module.md ("Builds").
 */
#ifndef TDXSIM_MODULE_BUILDS_H
#define TDXSIM_MODULE_BUILDS_H

#include <stddef.h>
#include <stdint.h>

#include <tdxsim/platform.h>

/* Metadata fields that only some builds have (bit set: present). */
enum build_field {
	BUILD_HAS_MAX_VCPUS = 1u << 0,		/* MAX_VCPUS_PER_TD, 1.5.05 on */
	BUILD_HAS_MIN_VIRT_MAXPA = 1u << 1,	/* MIN_VIRT_MAXPA, 1.5.06 on */
	BUILD_HAS_DPAMT = 1u << 2,		/* PAMT_PAGE_BITMAP_ENTRY_BITS and
						 * MIN_DYNAMIC_PAMT_NUM_HKID_BITS */
};

/* One CPUID_CONFIG entry: the leaf/subleaf and the bits the host may
 * configure directly (cpuid_configurable[].config_direct). */
struct build_cpuid_config {
	uint32_t leaf, subleaf;		/* subleaf 0xffffffff: none */
	uint32_t eax, ebx, ecx, edx;
};

/* A build family. */
struct module_build {
	const char *family;		/* "1.0", "1.5.01", "1.5.05", "1.5.06", "2.0" */
	unsigned fields;		/* enum build_field bits */
	uint64_t features0;		/* TDX_FEATURES0 of this release */
	const struct build_cpuid_config *cpuid;
	size_t cpuid_count;		/* NUM_CPUID_CONFIG */
};

/* The build of a profile's version: its family, and TDX_FEATURES0 of the
 * release (which decides whether the DPAMT fields exist). */
void tdxsim_module_build_of(const struct tdxsim_module_profile *p,
			    struct module_build *out);

/* TDX_FEATURES0 bits the simulation acts on (tdx_features_enum0_t; Linux
 * arch/x86/include/asm/tdx.h). */
#define TDXSIM_FEATURES0_NO_RBP_MOD	(1ULL << 18)
#define TDXSIM_FEATURES0_TOPOLOGY_ENUM	(1ULL << 20)
#define TDXSIM_FEATURES0_DYNAMIC_PAMT	(1ULL << 36)

#endif /* TDXSIM_MODULE_BUILDS_H */
