/* SPDX-License-Identifier: MIT */
/*
 * The Linux guest's MTRR view, PAT memtype tree and ioremap (Linux
 * arch/x86/kernel/cpu/mtrr/generic.c, arch/x86/mm/pat/memtype.c,
 * arch/x86/mm/ioremap.c; docs/memtype.md's scenarios): the TPM probe regression of 8e690b817e38 (S1 and
 * its HPET and v17 variants), the fix 0dccbc75e18d (S2, S2b), the generic
 * cache_map, memtype conflicts, frees and the untracked ISA range. Every
 * line is asserted verbatim.
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

#define TPM_DEV "tpm_tis MSFT0101:00"
#define ARRAY_LENGTH(a) (sizeof(a) / sizeof((a)[0]))

#define S1_BOOT_MAP "MTRR map: 0 entries (0 fixed + 0 variable; max 0), built from 0 variable MTRRs"
#define S1_ERROR "ioremap error for 0xfed40000-0xfed45000, requested 0x2, got 0x0"
#define S1_PROBE "tpm_tis MSFT0101:00: probe with driver tpm_tis failed with error -12"

/* ---- helpers ---- */

static void
print_lines(const struct tdxsim_linux_guest *g)
{
	for (size_t i = 0; i < tdxsim_linux_guest_line_count(g); i++)
		fprintf(stderr, "got:  %s\n", tdxsim_linux_guest_line(g, i));
}

/* The guest's lines are exactly want. */
static void
assert_lines(const struct tdxsim_linux_guest *g, const char *const *want,
	     size_t n)
{
	bool same = tdxsim_linux_guest_line_count(g) == n;

	for (size_t i = 0; same && i < n; i++)
		same = strcmp(tdxsim_linux_guest_line(g, i), want[i]) == 0;
	if (!same) {
		print_lines(g);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "want: %s\n", want[i]);
	}
	assert_true(same);
}

/* The memtype tree is exactly want, in order. */
static void
assert_tree(const struct tdxsim_linux_guest *g,
	    const struct tdxsim_memtype_entry *want, size_t n)
{
	assert_int_equal(tdxsim_linux_memtype_count(g), n);
	for (size_t i = 0; i < n; i++) {
		const struct tdxsim_memtype_entry *e = tdxsim_linux_memtype_entry(g, i);

		assert_non_null(e);
		assert_int_equal(e->start, want[i].start);
		assert_int_equal(e->end, want[i].end);
		assert_int_equal(e->type, want[i].type);
	}
	assert_null(tdxsim_linux_memtype_entry(g, n));
}

/* The cache_map is exactly want, in order. */
static void
assert_cmap(const struct tdxsim_linux_guest *g,
	    const struct tdxsim_cache_map_entry *want, size_t n)
{
	assert_int_equal(tdxsim_linux_cache_map_count(g), n);
	for (size_t i = 0; i < n; i++) {
		const struct tdxsim_cache_map_entry *e = tdxsim_linux_cache_map_entry(g, i);

		assert_non_null(e);
		assert_int_equal(e->start, want[i].start);
		assert_int_equal(e->end, want[i].end);
		assert_int_equal(e->type, want[i].type);
		assert_int_equal(e->fixed, want[i].fixed);
	}
	assert_null(tdxsim_linux_cache_map_entry(g, n));
}

static void
assert_lookup(const struct tdxsim_linux_guest *g, uint64_t start,
	      uint64_t end, enum tdxsim_mt type, int uniform)
{
	int u = -1;

	assert_int_equal(tdxsim_linux_mtrr_lookup(g, start, end, &u), type);
	assert_int_equal(u, uniform);
}

static struct tdxsim_linux_guest *
boot(const struct tdxsim_linux_guest_config *c, struct tdxsim_mtrr_bank *bank)
{
	struct tdxsim_linux_guest *g = NULL;

	assert_int_equal(tdxsim_linux_guest_new(c, bank, &g), 0);
	assert_non_null(g);
	return g;
}

/* A SNP/TDX guest of 6.12+ on KVM: guest_force_mtrr_state(), PAT on, no
 * bank read (NULL), optionally with the PCI hole fix. */
static struct tdxsim_linux_guest *
boot_forced(int fix, uint64_t tolud, unsigned phys_bits)
{
	struct tdxsim_linux_guest_config c = {
		.force_mtrr = 1, .pci_hole_fix = fix, .tolud = tolud,
		.phys_bits = phys_bits, .pat_enabled = 1,
	};

	return boot(&c, NULL);
}

static struct tdxsim_mtrr_bank *
bank_new(enum tdxsim_mtrr_profile profile)
{
	struct tdxsim_mtrr_config c;
	struct tdxsim_mtrr_bank *bank = NULL;

	tdxsim_mtrr_config_init(&c, profile);
	assert_int_equal(tdxsim_mtrr_bank_new(&c, &bank), 0);
	return bank;
}

/* WRMSR that must succeed (natively or through #VE and the VMM). */
static void
wr(struct tdxsim_mtrr_bank *bank, uint32_t msr, uint64_t value)
{
	struct tdxsim_msr_result r;

	assert_int_equal(tdxsim_mtrr_wrmsr(bank, msr, value, &r), 0);
	assert_true(r.outcome == TDXSIM_MSR_OK || r.outcome == TDXSIM_MSR_VE_OK);
}

static void
map(struct tdxsim_linux_guest *g, enum tdxsim_ioremap_kind kind,
    uint64_t phys, uint64_t size, enum tdxsim_pcm want)
{
	enum tdxsim_pcm got = (enum tdxsim_pcm)-1;

	assert_int_equal(tdxsim_linux_ioremap(g, kind, phys, size, &got), 1);
	assert_int_equal(got, want);
}

static void
assert_var(const struct tdxsim_linux_guest *g, unsigned i, uint64_t base,
	   uint64_t mask)
{
	uint64_t b = 0, m = 0;

	assert_int_equal(tdxsim_linux_mtrr_var(g, i, &b, &m), 0);
	assert_int_equal(b, base);
	assert_int_equal(m, mask);
}

/* S1 steps 1 and 2 on a booted guest whose lines so far are boot[nboot]. */
static void
run_s1(struct tdxsim_linux_guest *g, const char *const *boot_lines,
       size_t nboot)
{
	const struct tdxsim_memtype_entry wb = { 0xfed40000, 0xfed41000, TDXSIM_PCM_WB };
	const char *want[8];

	assert_lookup(g, 0xfed40000, 0xfed41000, TDXSIM_MT_WB, 1);
	/* 1: ACPI _STA reads ACC0 -> ioremap_cache(0xfed40000, 0x1000) */
	map(g, TDXSIM_IOREMAP_CACHE, 0xfed40000, 0x1000, TDXSIM_PCM_WB);
	assert_tree(g, &wb, 1);
	/* 2: tpm_tis_init() -> devm_ioremap_resource([mem 0xfed40000-0xfed44fff]) */
	assert_int_equal(tdxsim_linux_devm_ioremap_resource(g, TPM_DEV, 0xfed40000,
							    0xfed44fff), 0);
	memcpy(want, boot_lines, nboot * sizeof(*want));
	want[nboot] = S1_ERROR;
	want[nboot + 1] = S1_PROBE;
	/* Exactly these: devres's dev_err_probe(-ENOMEM) prints nothing. */
	assert_lines(g, want, nboot + 2);
	assert_tree(g, &wb, 1);
}

/* ---- S1: the TPM probe regression ---- */

static void
test_s1_tpm(void **state)
{
	static const char *const boot_lines[] = { S1_BOOT_MAP, "MTRRs set to read-only" };
	struct tdxsim_linux_guest *g = boot_forced(0, 0, 48);
	uint64_t b, m;

	(void)state;
	assert_lines(g, boot_lines, 2);
	assert_int_equal(tdxsim_linux_cache_map_count(g), 0);
	assert_int_equal(tdxsim_linux_mtrr_var(g, 0, &b, &m), -ENOENT);
	assert_lookup(g, 0, 0x1000, TDXSIM_MT_WB, 1);
	run_s1(g, boot_lines, 2);
	tdxsim_linux_guest_free(g);
}

/* Under force_mtrr the bank is never read: a TD whose virtual MTRRs say
 * "enabled, default UC" still gets the forced WB view. */
static void
test_s1_forced_ignores_bank(void **state)
{
	static const char *const boot_lines[] = { S1_BOOT_MAP, "MTRRs set to read-only" };
	struct tdxsim_linux_guest_config c = { .force_mtrr = 1, .pat_enabled = 1 };
	struct tdxsim_mtrr_bank *bank = bank_new(TDXSIM_MTRR_TDX);
	struct tdxsim_linux_guest *g;

	(void)state;
	wr(bank, 0x2ff, 0x800);
	g = boot(&c, bank);
	assert_lines(g, boot_lines, 2);
	run_s1(g, boot_lines, 2);
	tdxsim_linux_guest_free(g);
	tdxsim_mtrr_bank_free(bank);
}

/* S1-HPET: hpet_time_init()'s UC- ioremap before ACPI's WB map: ACPI
 * silently gets UC- (WB -> UC- is allowed). */
static void
test_s1_hpet_first(void **state)
{
	static const char *const boot_lines[] = { S1_BOOT_MAP, "MTRRs set to read-only" };
	static const struct tdxsim_memtype_entry tree[] = {
		{ 0xfed00000, 0xfed01000, TDXSIM_PCM_UC_MINUS },
		{ 0xfed00000, 0xfed01000, TDXSIM_PCM_UC_MINUS },
	};
	struct tdxsim_linux_guest *g = boot_forced(0, 0, 48);

	(void)state;
	map(g, TDXSIM_IOREMAP, 0xfed00000, 0x400, TDXSIM_PCM_UC_MINUS);
	map(g, TDXSIM_IOREMAP_CACHE, 0xfed00000, 0x1000, TDXSIM_PCM_UC_MINUS);
	assert_lines(g, boot_lines, 2);
	assert_tree(g, tree, 2);
	tdxsim_linux_guest_free(g);
}

/* S1-HPET reversed: ACPI's WB first, then HPET's UC- is refused. */
static void
test_s1_hpet_after_acpi(void **state)
{
	static const char *const want[] = {
		S1_BOOT_MAP, "MTRRs set to read-only",
		"ioremap error for 0xfed00000-0xfed01000, requested 0x2, got 0x0",
	};
	static const struct tdxsim_memtype_entry wb = { 0xfed00000, 0xfed01000, TDXSIM_PCM_WB };
	struct tdxsim_linux_guest *g = boot_forced(0, 0, 48);
	enum tdxsim_pcm got = TDXSIM_PCM_WP;

	(void)state;
	map(g, TDXSIM_IOREMAP_CACHE, 0xfed00000, 0x1000, TDXSIM_PCM_WB);
	assert_int_equal(tdxsim_linux_ioremap(g, TDXSIM_IOREMAP, 0xfed00000,
					      0x400, &got), 0);
	assert_int_equal(got, TDXSIM_PCM_WP);	/* untouched on failure */
	assert_lines(g, want, 3);
	assert_tree(g, &wb, 1);
	tdxsim_linux_guest_free(g);
}

/* S1-V17: the historical v17 KVM TDX design (MTRRcap 0, DEF_TYPE 0x806)
 * and a guest that does not force MTRRs: the generic path reads
 * "enabled, default WB, no ranges" and the TPM fails the same way. */
static void
test_s1_v17(void **state)
{
	static const char *const boot_lines[] = { S1_BOOT_MAP };
	struct tdxsim_linux_guest_config c = { .pat_enabled = 1 };
	struct tdxsim_mtrr_bank *bank = bank_new(TDXSIM_MTRR_TDX_2023);
	struct tdxsim_linux_guest *g = boot(&c, bank);

	(void)state;
	assert_lines(g, boot_lines, 1);
	run_s1(g, boot_lines, 1);
	tdxsim_linux_guest_free(g);
	tdxsim_mtrr_bank_free(bank);
}

/* A TD before 8e690b817e38 on KVM >= 6.16: the reset DEF_TYPE 0 (OVMF no
 * longer programs MTRRs in TDs) disables the MTRRs: everything UC, so
 * ACPI's WB map becomes UC- and the TPM probes. */
static void
test_tdx_unforced(void **state)
{
	static const char *const want[] = { "MTRRs disabled by BIOS" };
	static const struct tdxsim_memtype_entry tree[] = {
		{ 0xfed40000, 0xfed41000, TDXSIM_PCM_UC_MINUS },
		{ 0xfed40000, 0xfed45000, TDXSIM_PCM_UC_MINUS },
	};
	struct tdxsim_linux_guest_config c = { .pat_enabled = 1 };
	struct tdxsim_mtrr_bank *bank = bank_new(TDXSIM_MTRR_TDX);
	struct tdxsim_linux_guest *g = boot(&c, bank);

	(void)state;
	assert_lines(g, want, 1);
	assert_lookup(g, 0xfed40000, 0xfed41000, TDXSIM_MT_UC, 1);
	map(g, TDXSIM_IOREMAP_CACHE, 0xfed40000, 0x1000, TDXSIM_PCM_UC_MINUS);
	assert_int_equal(tdxsim_linux_devm_ioremap_resource(g, TPM_DEV, 0xfed40000,
							    0xfed44fff), 1);
	assert_lines(g, want, 1);
	assert_tree(g, tree, 2);
	tdxsim_linux_guest_free(g);
	tdxsim_mtrr_bank_free(bank);
}

/* A BARE CPU without CPUID.MTRR: mtrr_state never set, uniformity unknown. */
static void
test_no_mtrr_feature(void **state)
{
	static const char *const want[] = { "MTRRs disabled (not available)" };
	struct tdxsim_linux_guest_config c = { .pat_enabled = 1 };
	struct tdxsim_mtrr_config mc;
	struct tdxsim_mtrr_bank *bank = NULL;
	struct tdxsim_linux_guest *g;

	(void)state;
	tdxsim_mtrr_config_init(&mc, TDXSIM_MTRR_BARE);
	mc.cpuid_mtrr = 0;
	assert_int_equal(tdxsim_mtrr_bank_new(&mc, &bank), 0);
	g = boot(&c, bank);
	assert_lines(g, want, 1);
	assert_lookup(g, 0xfed40000, 0xfed41000, TDXSIM_MT_UC, 0);
	tdxsim_linux_guest_free(g);
	tdxsim_mtrr_bank_free(bank);
}

/* ---- S2: the fix 0dccbc75e18d ---- */

static void
test_s2_fix(void **state)
{
	static const char *const want[] = {
		"MTRR map: 1 entries (0 fixed + 1 variable; max 2), built from 1 variable MTRRs",
		"MTRRs set to read-only",
	};
	static const struct tdxsim_cache_map_entry cmap = {
		0x80000000, 0x100000000, TDXSIM_MT_UC, 0,
	};
	static const struct tdxsim_memtype_entry tree[] = {
		{ 0xfed40000, 0xfed41000, TDXSIM_PCM_UC_MINUS },
		{ 0xfed40000, 0xfed45000, TDXSIM_PCM_UC_MINUS },
	};
	struct tdxsim_linux_guest *g = boot_forced(1, 0x80000000, 48);

	(void)state;
	assert_lines(g, want, 2);
	assert_var(g, 0, 0x0000000080000000, 0x0000ffff80000800);
	assert_cmap(g, &cmap, 1);
	assert_lookup(g, 0xfed40000, 0xfed41000, TDXSIM_MT_UC, 1);
	assert_lookup(g, 0x100000000, 0x100200000, TDXSIM_MT_WB, 1);
	assert_lookup(g, 0x7ffff000, 0x80001000, TDXSIM_MT_UC, 0);
	/* 1: pat_x_mtrr_type(WB) -> UC-; WB -> UC- is allowed */
	map(g, TDXSIM_IOREMAP_CACHE, 0xfed40000, 0x1000, TDXSIM_PCM_UC_MINUS);
	/* 2: the first overlap is UC-, as requested: the probe continues */
	assert_int_equal(tdxsim_linux_devm_ioremap_resource(g, TPM_DEV, 0xfed40000,
							    0xfed44fff), 1);
	assert_lines(g, want, 2);
	assert_tree(g, tree, 2);
	tdxsim_linux_guest_free(g);
}

/* S2 with x86_phys_bits 46 and 52: only mask_hi changes. */
/* TOLUD = 4 GiB (RAM up to 4 GiB; e820__end_of_low_ram_pfn() stops
 * there): the fix's formula truncates the base to 0 and the mask's low
 * word to the valid bit, which Linux reads as [0, 4 GiB) UC: all of low
 * memory. One page less (TOLUD 4 GiB - 4 KiB) leaves RAM below it WB. */
static void
test_s2_tolud_4g(void **state)
{
	static const struct tdxsim_cache_map_entry cmap = {
		0, 0x100000000, TDXSIM_MT_UC, 0,
	};
	static const struct tdxsim_cache_map_entry last_page = {
		0xfffff000, 0x100000000, TDXSIM_MT_UC, 0,
	};
	struct tdxsim_linux_guest *g = boot_forced(1, 0x100000000, 48);

	(void)state;
	assert_var(g, 0, 0, 0x0000ffff00000800);
	assert_cmap(g, &cmap, 1);
	assert_lookup(g, 0, 0x1000, TDXSIM_MT_UC, 1);
	assert_lookup(g, 0x7ffff000, 0x80001000, TDXSIM_MT_UC, 1);
	assert_lookup(g, 0x100000000, 0x100200000, TDXSIM_MT_WB, 1);
	/* UC then the default WB: no merge changes the type, so uniform. */
	assert_lookup(g, 0xfffff000, 0x100001000, TDXSIM_MT_UC, 1);
	/* A WB request for RAM-less low memory is answered UC-. */
	map(g, TDXSIM_IOREMAP_CACHE, 0x1000, 0x1000, TDXSIM_PCM_UC_MINUS);
	tdxsim_linux_guest_free(g);

	g = boot_forced(1, 0xfffff000, 48);
	assert_var(g, 0, 0x00000000fffff000, 0x0000fffffffff800);
	assert_cmap(g, &last_page, 1);
	assert_lookup(g, 0, 0x1000, TDXSIM_MT_WB, 1);
	tdxsim_linux_guest_free(g);
}

static void
test_s2_phys_bits(void **state)
{
	static const struct tdxsim_cache_map_entry cmap = {
		0x80000000, 0x100000000, TDXSIM_MT_UC, 0,
	};
	static const struct {
		unsigned bits;
		uint64_t mask;
	} cases[] = {
		{ 46, 0x00003fff80000800 },
		{ 48, 0x0000ffff80000800 },
		{ 52, 0x000fffff80000800 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LENGTH(cases); i++) {
		struct tdxsim_linux_guest *g = boot_forced(1, 0x80000000, cases[i].bits);

		assert_var(g, 0, 0x0000000080000000, cases[i].mask);
		assert_cmap(g, &cmap, 1);
		assert_lookup(g, 0xfed40000, 0xfed41000, TDXSIM_MT_UC, 1);
		tdxsim_linux_guest_free(g);
	}
}

/* S2b: TOLUD 0x7ff7c000 (Binbin Wu's QEMU). Linux's contiguous-size
 * interpretation covers [0x7ff7c000, 4G) as UC; the architectural
 * AND-match of the same registers misses 0xfed40000 (default WB). */
static void
test_s2b(void **state)
{
	static const struct tdxsim_cache_map_entry cmap = {
		0x7ff7c000, 0x100000000, TDXSIM_MT_UC, 0,
	};
	struct tdxsim_linux_guest *g = boot_forced(1, 0x7ff7c000, 48);
	struct tdxsim_mtrr_bank *bank = bank_new(TDXSIM_MTRR_TDX);
	enum tdxsim_mt linux_type, hw_type;
	int undefined = -1;

	(void)state;
	assert_var(g, 0, 0x000000007ff7c000, 0x0000ffff7ff7c800);
	assert_cmap(g, &cmap, 1);
	assert_int_equal(0x100000000 - 0x7ff7c000, 0x80084000);
	assert_lookup(g, 0xfed40000, 0xfed41000, TDXSIM_MT_UC, 1);
	map(g, TDXSIM_IOREMAP_CACHE, 0xfed40000, 0x1000, TDXSIM_PCM_UC_MINUS);
	assert_int_equal(tdxsim_linux_devm_ioremap_resource(g, TPM_DEV, 0xfed40000,
							    0xfed44fff), 1);
	assert_int_equal(tdxsim_linux_guest_line_count(g), 2);

	/* the same registers in a TD's bank, enabled with default WB */
	wr(bank, 0x200, 0x000000007ff7c000);
	wr(bank, 0x201, 0x0000ffff7ff7c800);
	wr(bank, 0x2ff, 0x806);
	linux_type = tdxsim_linux_mtrr_lookup(g, 0xfed40000, 0xfed41000, NULL);
	hw_type = tdxsim_mtrr_hw_type(bank, 0xfed40000, &undefined);
	assert_int_equal(linux_type, TDXSIM_MT_UC);
	assert_int_equal(hw_type, TDXSIM_MT_WB);
	assert_int_not_equal(linux_type, hw_type);
	assert_int_equal(undefined, 0);
	assert_int_equal(tdxsim_mtrr_hw_type(bank, 0x7ff7c000, NULL), TDXSIM_MT_UC);
	tdxsim_mtrr_bank_free(bank);
	tdxsim_linux_guest_free(g);
}

/* The same S2b registers read through the generic path of a BARE CPU:
 * the Linux cache_map is the same contiguous interval. */
static void
test_s2b_generic(void **state)
{
	static const char *const want[] = {
		"MTRR map: 1 entries (0 fixed + 1 variable; max 20), built from 10 variable MTRRs",
	};
	static const struct tdxsim_cache_map_entry cmap = {
		0x7ff7c000, 0x100000000, TDXSIM_MT_UC, 0,
	};
	struct tdxsim_linux_guest_config c = { .pat_enabled = 1 };
	struct tdxsim_mtrr_bank *bank = bank_new(TDXSIM_MTRR_BARE);
	struct tdxsim_linux_guest *g;

	(void)state;
	wr(bank, 0x200, 0x000000007ff7c000);
	wr(bank, 0x201, 0x0000ffff7ff7c800);
	wr(bank, 0x2ff, 0x806);
	g = boot(&c, bank);
	assert_lines(g, want, 1);
	assert_cmap(g, &cmap, 1);
	assert_var(g, 0, 0x000000007ff7c000, 0x0000ffff7ff7c800);
	assert_var(g, 9, 0, 0);
	assert_lookup(g, 0xfed40000, 0xfed41000, TDXSIM_MT_UC, 1);
	assert_int_equal(tdxsim_mtrr_hw_type(bank, 0xfed40000, NULL), TDXSIM_MT_WB);
	tdxsim_linux_guest_free(g);
	tdxsim_mtrr_bank_free(bank);
}

/* ---- the generic cache_map ---- */

/* Fixed ranges (WB below 640K, UC, WP above 768K) and overlapping variable
 * ranges read through a BARE bank: fixed entries win, UC splits WB, WT
 * inside WB gives WT, adjacent UC ranges merge, a 4K WC range at 12G stays
 * alone, an invalid pair adds nothing. Then lookups over it. */
static void
test_generic_lookup(void **state)
{
	static const char *const want[] = {
		"MTRR map: 8 entries (3 fixed + 5 variable; max 23), built from 10 variable MTRRs",
	};
	static const struct tdxsim_cache_map_entry cmap[] = {
		{ 0x0, 0xa0000, TDXSIM_MT_WB, 1 },
		{ 0xa0000, 0xc0000, TDXSIM_MT_UC, 1 },
		{ 0xc0000, 0x100000, TDXSIM_MT_WP, 1 },
		{ 0x100000, 0x7f000000, TDXSIM_MT_WB, 0 },
		{ 0x7f000000, 0x90000000, TDXSIM_MT_UC, 0 },
		{ 0x100000000, 0x140000000, TDXSIM_MT_WT, 0 },
		{ 0x140000000, 0x200000000, TDXSIM_MT_WB, 0 },
		{ 0x300000000, 0x300001000, TDXSIM_MT_WC, 0 },
	};
	static const uint64_t pairs[][2] = {
		{ 0x0000000000000006, 0x0000ffff80000800 },	/* [0, 2G) WB */
		{ 0x000000007f000000, 0x0000ffffff000800 },	/* [2G - 16M, 2G) UC */
		{ 0x0000000100000006, 0x0000ffff00000800 },	/* [4G, 8G) WB */
		{ 0x0000000100000004, 0x0000ffffc0000800 },	/* [4G, 5G) WT */
		{ 0x0000000080000000, 0x0000fffff0000800 },	/* [2G, 2G + 256M) UC */
		{ 0x0000000300000001, 0x0000fffffffff800 },	/* [12G, 12G + 4K) WC */
		{ 0x0000000400000006, 0x0000ffff00000000 },	/* not valid (V clear) */
	};
	struct tdxsim_linux_guest_config c = { .pat_enabled = 1 };
	struct tdxsim_mtrr_bank *bank = bank_new(TDXSIM_MTRR_BARE);
	struct tdxsim_linux_guest *g;

	(void)state;
	wr(bank, 0x250, 0x0606060606060606);
	wr(bank, 0x258, 0x0606060606060606);
	for (uint32_t msr = 0x268; msr <= 0x26f; msr++)
		wr(bank, msr, 0x0505050505050505);
	for (uint32_t i = 0; i < ARRAY_LENGTH(pairs); i++) {
		wr(bank, 0x200 + 2 * i, pairs[i][0]);
		wr(bank, 0x201 + 2 * i, pairs[i][1]);
	}
	wr(bank, 0x2ff, 0xc00);			/* E, FE, default UC */
	g = boot(&c, bank);
	assert_lines(g, want, 1);
	assert_cmap(g, cmap, ARRAY_LENGTH(cmap));
	assert_lookup(g, 0x0, 0x1000, TDXSIM_MT_WB, 1);
	assert_lookup(g, 0x9f000, 0xa1000, TDXSIM_MT_UC, 0);
	assert_lookup(g, 0x7f000000, 0x80000000, TDXSIM_MT_UC, 1);
	assert_lookup(g, 0x7e000000, 0x7f001000, TDXSIM_MT_UC, 0);
	assert_lookup(g, 0x90000000, 0x90001000, TDXSIM_MT_UC, 1);	/* default */
	assert_lookup(g, 0x8ffff000, 0x90001000, TDXSIM_MT_UC, 1);	/* UC + default UC */
	/* WT then WB: get_effective_type keeps WT, so uniform stays 1 */
	assert_lookup(g, 0x13ffff000, 0x140001000, TDXSIM_MT_WT, 1);
	/* WB then WT changes the type: not uniform */
	assert_lookup(g, 0x0ff000, 0x101000, TDXSIM_MT_UC, 0);
	assert_lookup(g, 0x1fffff000, 0x200001000, TDXSIM_MT_UC, 0);
	assert_lookup(g, 0x300000000, 0x300001000, TDXSIM_MT_WC, 1);
	/* PAT: a WB request over UC MTRRs is UC-; over WB it stays WB */
	map(g, TDXSIM_IOREMAP_CACHE, 0x7f000000, 0x1000, TDXSIM_PCM_UC_MINUS);
	map(g, TDXSIM_IOREMAP_CACHE, 0x140000000, 0x1000, TDXSIM_PCM_WB);
	tdxsim_linux_guest_free(g);
	tdxsim_mtrr_bank_free(bank);
}

/* ---- memtype conflicts, frees, the untracked ISA range ---- */

/* memtype_reserve() with a NULL new_type: any other type conflicts. */
static void
test_conflict_null_newtype(void **state)
{
	static const char *const want[] = {
		S1_BOOT_MAP, "MTRRs set to read-only",
		"x86/PAT: swapper/0:1 conflicting memory types fed40000-fed41000 uncached-minus<->write-back",
		"x86/PAT: memtype_reserve failed [mem 0xfed40000-0xfed40fff], track uncached-minus, req uncached-minus",
	};
	static const struct tdxsim_memtype_entry wb = { 0xfed40000, 0xfed41000, TDXSIM_PCM_WB };
	struct tdxsim_linux_guest *g = boot_forced(0, 0, 48);
	enum tdxsim_pcm got = TDXSIM_PCM_WP;

	(void)state;
	assert_int_equal(tdxsim_linux_memtype_reserve(g, 0xfed40000, 0xfed41000,
						      TDXSIM_PCM_WB, &got), 0);
	assert_int_equal(got, TDXSIM_PCM_WB);
	/* the same type with NULL is fine */
	assert_int_equal(tdxsim_linux_memtype_reserve(g, 0xfed40000, 0xfed41000,
						      TDXSIM_PCM_WB, NULL), 0);
	assert_int_equal(tdxsim_linux_memtype_free(g, 0xfed40000, 0xfed41000), 0);
	assert_int_equal(tdxsim_linux_memtype_reserve(g, 0xfed40000, 0xfed41000,
						      TDXSIM_PCM_UC_MINUS, NULL),
			 -EBUSY);
	assert_lines(g, want, 4);
	assert_tree(g, &wb, 1);
	tdxsim_linux_guest_free(g);
}

/* Two overlapping entries of different types: the second one conflicts,
 * and ioremap_uc() reports memtype_reserve()'s -EBUSY. */
static void
test_conflict_two_types(void **state)
{
	static const char *const want[] = {
		S1_BOOT_MAP, "MTRRs set to read-only",
		"x86/PAT: swapper/0:1 conflicting memory types fed00000-fed02000 uncached-minus<->write-back",
		"x86/PAT: memtype_reserve failed [mem 0xfed00000-0xfed01fff], track uncached, req uncached",
		"x86/PAT: swapper/0:1 conflicting memory types fed00000-fed02000 uncached-minus<->write-back",
		"x86/PAT: memtype_reserve failed [mem 0xfed00000-0xfed01fff], track uncached, req uncached",
		"ioremap memtype_reserve failed -16",
	};
	static const struct tdxsim_memtype_entry tree[] = {
		{ 0xfed00000, 0xfed01000, TDXSIM_PCM_UC_MINUS },
		{ 0xfed01000, 0xfed02000, TDXSIM_PCM_WB },
	};
	struct tdxsim_linux_guest *g = boot_forced(0, 0, 48);
	enum tdxsim_pcm got = TDXSIM_PCM_WP;

	(void)state;
	map(g, TDXSIM_IOREMAP, 0xfed00000, 0x1000, TDXSIM_PCM_UC_MINUS);
	map(g, TDXSIM_IOREMAP_CACHE, 0xfed01000, 0x1000, TDXSIM_PCM_WB);
	assert_int_equal(tdxsim_linux_memtype_reserve(g, 0xfed00000, 0xfed02000,
						      TDXSIM_PCM_UC, &got), -EBUSY);
	assert_int_equal(got, TDXSIM_PCM_UC);
	assert_int_equal(tdxsim_linux_ioremap(g, TDXSIM_IOREMAP_UC, 0xfed00000,
					      0x2000, NULL), 0);
	assert_lines(g, want, 7);
	assert_tree(g, tree, 2);
	/* a strong UC request accepts whatever the first overlap has */
	map(g, TDXSIM_IOREMAP_UC, 0xfed01000, 0x1000, TDXSIM_PCM_WB);
	/* WT accepts UC- but not WB; WC accepts UC- */
	map(g, TDXSIM_IOREMAP_WT, 0xfed00000, 0x1000, TDXSIM_PCM_UC_MINUS);
	map(g, TDXSIM_IOREMAP_WC, 0xfed00000, 0x1000, TDXSIM_PCM_UC_MINUS);
	assert_int_equal(tdxsim_linux_ioremap(g, TDXSIM_IOREMAP_WT, 0xfed01000,
					      0x1000, NULL), 0);
	assert_string_equal(tdxsim_linux_guest_line(g, 7),
			    "ioremap error for 0xfed01000-0xfed02000, requested 0x4, got 0x0");
	assert_int_equal(tdxsim_linux_memtype_count(g), 5);
	tdxsim_linux_guest_free(g);
}

/* An empty or inverted range: memtype_reserve()'s WARN message. */
static void
test_reserve_empty(void **state)
{
	struct tdxsim_linux_guest *g = boot_forced(0, 0, 48);

	(void)state;
	assert_int_equal(tdxsim_linux_memtype_reserve(g, 0xfed40000, 0xfed40000,
						      TDXSIM_PCM_WB, NULL), -EINVAL);
	assert_string_equal(tdxsim_linux_guest_line(g, 2),
			    "memtype_reserve failed: [mem 0xfed40000-0xfed3ffff], req write-back");
	assert_int_equal(tdxsim_linux_memtype_count(g), 0);
	tdxsim_linux_guest_free(g);
}

/* memtype_free() of a range nobody reserved; the end-match shrink. */
static void
test_memtype_free(void **state)
{
	static const char *const want[] = {
		S1_BOOT_MAP, "MTRRs set to read-only",
		"x86/PAT: swapper/0:1 freeing invalid memtype [mem 0xfed40000-0xfed41fff]",
		"x86/PAT: swapper/0:1 freeing invalid memtype [mem 0xfed41000-0xfed41fff]",
	};
	static const struct tdxsim_memtype_entry shrunk[] = {
		{ 0xfed40000, 0xfed41000, TDXSIM_PCM_UC_MINUS },
		{ 0xfed40000, 0xfed44000, TDXSIM_PCM_UC_MINUS },
	};
	static const struct tdxsim_memtype_entry before[] = {
		{ 0xfed40000, 0xfed45000, TDXSIM_PCM_UC_MINUS },
		{ 0xfed40000, 0xfed41000, TDXSIM_PCM_UC_MINUS },
	};
	struct tdxsim_linux_guest *g = boot_forced(0, 0, 48);

	(void)state;
	assert_int_equal(tdxsim_linux_memtype_free(g, 0xfed40000, 0xfed42000), -EINVAL);
	map(g, TDXSIM_IOREMAP, 0xfed40000, 0x5000, TDXSIM_PCM_UC_MINUS);
	map(g, TDXSIM_IOREMAP, 0xfed40000, 0x1000, TDXSIM_PCM_UC_MINUS);
	assert_tree(g, before, 2);
	/* end match: the 20K entry shrinks to 16K and is reinserted last */
	assert_int_equal(tdxsim_linux_memtype_free(g, 0xfed44000, 0xfed45000), 0);
	assert_tree(g, shrunk, 2);
	/* neither exact nor end match */
	assert_int_equal(tdxsim_linux_memtype_free(g, 0xfed41000, 0xfed42000), -EINVAL);
	assert_lines(g, want, 4);
	assert_int_equal(tdxsim_linux_memtype_free(g, 0xfed40000, 0xfed41000), 0);
	assert_int_equal(tdxsim_linux_memtype_free(g, 0xfed40000, 0xfed44000), 0);
	assert_int_equal(tdxsim_linux_memtype_count(g), 0);
	tdxsim_linux_guest_free(g);
}

/* is_ISA_range(): [0xA0000, 0x100000) is untracked and always WB. */
static void
test_untracked_isa(void **state)
{
	struct tdxsim_linux_guest *g = boot_forced(1, 0x80000000, 48);
	enum tdxsim_pcm got = TDXSIM_PCM_WP;

	(void)state;
	map(g, TDXSIM_IOREMAP, 0xa0000, 0x20000, TDXSIM_PCM_WB);
	map(g, TDXSIM_IOREMAP_WC, 0xa0000, 0x60000, TDXSIM_PCM_WB);
	assert_int_equal(tdxsim_linux_memtype_reserve(g, 0xc0000, 0x100000,
						      TDXSIM_PCM_UC, &got), 0);
	assert_int_equal(got, TDXSIM_PCM_WB);
	assert_int_equal(tdxsim_linux_memtype_count(g), 0);
	assert_int_equal(tdxsim_linux_memtype_free(g, 0xa0000, 0xc0000), 0);
	assert_int_equal(tdxsim_linux_guest_line_count(g), 2);
	/* one page below the ISA range makes it tracked */
	map(g, TDXSIM_IOREMAP, 0x9f000, 0x2000, TDXSIM_PCM_UC_MINUS);
	assert_int_equal(tdxsim_linux_memtype_count(g), 1);
	tdxsim_linux_guest_free(g);
}

/* Without PAT nothing is tracked and every request is granted. */
static void
test_pat_disabled(void **state)
{
	struct tdxsim_linux_guest_config c = { .force_mtrr = 1, .phys_bits = 48 };
	struct tdxsim_linux_guest *g = boot(&c, NULL);
	enum tdxsim_pcm got = TDXSIM_PCM_WP;

	(void)state;
	assert_int_equal(tdxsim_linux_memtype_reserve(g, 0xfed40000, 0xfed41000,
						      TDXSIM_PCM_UC_MINUS, &got), 0);
	assert_int_equal(got, TDXSIM_PCM_UC_MINUS);
	map(g, TDXSIM_IOREMAP_CACHE, 0xfed40000, 0x1000, TDXSIM_PCM_WB);
	assert_int_equal(tdxsim_linux_devm_ioremap_resource(g, TPM_DEV, 0xfed40000,
							    0xfed44fff), 1);
	assert_int_equal(tdxsim_linux_memtype_count(g), 0);
	assert_int_equal(tdxsim_linux_memtype_free(g, 1, 2), 0);
	assert_int_equal(tdxsim_linux_guest_line_count(g), 2);
	tdxsim_linux_guest_free(g);
}

/* ioremap's own refusals: zero size or a wrap silently, an address
 * beyond x86_phys_bits with phys_addr_valid()'s line. */
static void
test_ioremap_refusals(void **state)
{
	struct tdxsim_linux_guest *g = boot_forced(0, 0, 48);

	(void)state;
	assert_int_equal(tdxsim_linux_ioremap(g, TDXSIM_IOREMAP, 0xfed40000, 0, NULL), 0);
	assert_int_equal(tdxsim_linux_ioremap(g, TDXSIM_IOREMAP, UINT64_MAX - 0xfff,
					      0x2000, NULL), 0);
	assert_int_equal(tdxsim_linux_guest_line_count(g), 2);
	assert_int_equal(tdxsim_linux_ioremap(g, TDXSIM_IOREMAP, 1ULL << 48, 0x1000,
					      NULL), 0);
	assert_string_equal(tdxsim_linux_guest_line(g, 2),
			    "ioremap: invalid physical address 1000000000000");
	/* an unaligned request is widened to whole pages */
	map(g, TDXSIM_IOREMAP, 0xfed40010, 0x1000, TDXSIM_PCM_UC_MINUS);
	assert_int_equal(tdxsim_linux_memtype_entry(g, 0)->end, 0xfed42000);
	/* one byte is a page, not a zero size (tools/mutate.py: 'last <=
	 * phys' survived) */
	map(g, TDXSIM_IOREMAP, 0xfed50004, 1, TDXSIM_PCM_UC_MINUS);
	assert_int_equal(tdxsim_linux_memtype_entry(g, 1)->start, 0xfed50000);
	assert_int_equal(tdxsim_linux_memtype_entry(g, 1)->end, 0xfed51000);
	assert_null(tdxsim_linux_guest_line(g, 3));
	tdxsim_linux_guest_free(g);
}

/* Misuse: bad configs, devices, flavours. */
static void
test_misuse(void **state)
{
	struct tdxsim_linux_guest_config c = { .force_mtrr = 1, .phys_bits = 48 };
	struct tdxsim_linux_guest *g = (struct tdxsim_linux_guest *)&c;

	(void)state;
	c.phys_bits = 35;
	assert_int_equal(tdxsim_linux_guest_new(&c, NULL, &g), -EINVAL);
	assert_null(g);
	c.phys_bits = 53;
	assert_int_equal(tdxsim_linux_guest_new(&c, NULL, &g), -EINVAL);
	c.phys_bits = 0;	/* no bank to take it from */
	assert_int_equal(tdxsim_linux_guest_new(&c, NULL, &g), -EINVAL);
	c.phys_bits = 48;
	c.force_mtrr = 0;	/* must read a bank */
	assert_int_equal(tdxsim_linux_guest_new(&c, NULL, &g), -EINVAL);
	c.pci_hole_fix = 1;	/* the fix goes through guest_force_mtrr_state() */
	c.tolud = 0x80000000;
	assert_int_equal(tdxsim_linux_guest_new(&c, NULL, &g), -EINVAL);
	c.force_mtrr = 1;
	c.tolud = 0x80000800;
	assert_int_equal(tdxsim_linux_guest_new(&c, NULL, &g), -EINVAL);
	c.tolud = 0x100001000;
	assert_int_equal(tdxsim_linux_guest_new(&c, NULL, &g), -EINVAL);
	c.tolud = 0;
	assert_int_equal(tdxsim_linux_guest_new(&c, NULL, &g), -EINVAL);
	assert_int_equal(tdxsim_linux_guest_new(NULL, NULL, &g), -EINVAL);
	assert_int_equal(tdxsim_linux_guest_new(&c, NULL, NULL), -EINVAL);

	g = boot_forced(0, 0, 48);
	assert_int_equal(tdxsim_linux_devm_ioremap_resource(g, "MSFT0101:00",
							    0xfed40000, 0xfed44fff), -EINVAL);
	assert_int_equal(tdxsim_linux_devm_ioremap_resource(g, " MSFT0101:00",
							    0xfed40000, 0xfed44fff), -EINVAL);
	assert_int_equal(tdxsim_linux_devm_ioremap_resource(g, "tpm_tis ",
							    0xfed40000, 0xfed44fff), -EINVAL);
	assert_int_equal(tdxsim_linux_devm_ioremap_resource(g, NULL,
							    0xfed40000, 0xfed44fff), -EINVAL);
	assert_int_equal(tdxsim_linux_devm_ioremap_resource(g, TPM_DEV,
							    0xfed44fff, 0xfed40000), -EINVAL);
	assert_int_equal(tdxsim_linux_ioremap(g, (enum tdxsim_ioremap_kind)5,
					      0xfed40000, 0x1000, NULL), -EINVAL);
	assert_null(tdxsim_linux_guest_line(g, 2));
	tdxsim_linux_guest_free(g);
	tdxsim_linux_guest_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s1_tpm),
		cmocka_unit_test(test_s1_forced_ignores_bank),
		cmocka_unit_test(test_s1_hpet_first),
		cmocka_unit_test(test_s1_hpet_after_acpi),
		cmocka_unit_test(test_s1_v17),
		cmocka_unit_test(test_tdx_unforced),
		cmocka_unit_test(test_no_mtrr_feature),
		cmocka_unit_test(test_s2_fix),
		cmocka_unit_test(test_s2_phys_bits),
		cmocka_unit_test(test_s2_tolud_4g),
		cmocka_unit_test(test_s2b),
		cmocka_unit_test(test_s2b_generic),
		cmocka_unit_test(test_generic_lookup),
		cmocka_unit_test(test_conflict_null_newtype),
		cmocka_unit_test(test_conflict_two_types),
		cmocka_unit_test(test_reserve_empty),
		cmocka_unit_test(test_memtype_free),
		cmocka_unit_test(test_untracked_isa),
		cmocka_unit_test(test_pat_disabled),
		cmocka_unit_test(test_ioremap_refusals),
		cmocka_unit_test(test_misuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
