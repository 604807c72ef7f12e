/* SPDX-License-Identifier: MIT */
/*
 * Kernel generations bringing TDX up (docs/host.md "Kernel generations"):
 * the exact lines, errno and SEAMCALL outcome of Linux 6.12, Ubuntu's
 * 6.8-intel and mainline, each rule with a case that takes it and one that
 * does not. Failures are driven through the module's options (no module,
 * an injected status) or the platform (one KeyID, a 1.0 module).
 */
#include "config.h"

#include <errno.h>
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

#define LINES(...) (const char *const[]){ __VA_ARGS__, NULL }

/*
 * 2 packages, 4 CPUs; RAM [1M, 2G) and [4G, 8G), which are also the CMRs.
 * TDMRs [0, 2G) and [4G, 8G): PAMT 8212 + 16420 = 24632 KB.
 */
static const char platform_text[] =
	"tdxsim-fixture: 1\n"
	"name: gens-small\n"
	"module:\n"
	"  version: \"%s\"\n"
	"  build-date: 20240725\n"
	"  build-num: 784\n"
	"  private-keyids: \"%s\"\n"
	"  logical-cpus: 4\n"
	"  packages: 2\n"
	"e820: |\n"
	"  [mem 0x0000000000000000-0x000000000009ffff] usable\n"
	"  [mem 0x0000000000100000-0x000000007fffffff] usable\n"
	"  [mem 0x0000000080000000-0x00000000ffffffff] reserved\n"
	"  [mem 0x0000000100000000-0x00000001ffffffff] usable\n"
	"cmrs: |\n"
	"  [0x100000, 0x80000000)\n"
	"  [0x100000000, 0x200000000)\n";

#define BIOS "virt/tdx: BIOS enabled: private KeyID range [32, 64)"
#define S3 "virt/tdx: Disable ACPI S3. Turn off TDX in the BIOS to use ACPI S3."
#define PAMT "virt/tdx: 24632 KB allocated for PAMT"
#define DONE "virt/tdx: module initialized"
#define EIO_FAILED "virt/tdx: module initialization failed (-5)"
#define UBUNTU_INFO "virt/tdx: TDX module: attributes 0x0, vendor_id 0x8086, major_version 1, minor_version 5, build_date 20240725, build_num 784"
#define CMR0 "virt/tdx: CMR: [0x100000, 0x80000000)"
#define CMR1 "virt/tdx: CMR: [0x100000000, 0x200000000)"
#define ZERO_R9_R11 "virt/tdx: R09 0x0000000000000000 R10 0x0000000000000000 R11 0x0000000000000000"

static struct tdxsim_platform *
platform(const char *version, const char *keyids)
{
	char text[sizeof(platform_text) + 64];
	int n = snprintf(text, sizeof(text), platform_text, version, keyids);

	assert_true(n > 0 && (size_t)n < sizeof(text));
	return tdxsim_test_load_buffer_clean("gens-small.yaml", text, (size_t)n);
}

/* The run's lines are exactly want (NULL-terminated). */
static void
assert_lines(const struct tdxsim_host_run *run, const char *const *want)
{
	size_t n = 0;
	bool same;

	while (want[n])
		n++;
	same = tdxsim_host_run_line_count(run) == n;
	for (size_t i = 0; same && i < n; i++)
		same = strcmp(tdxsim_host_run_line(run, i), want[i]) == 0;
	if (!same) {
		for (size_t i = 0; i < tdxsim_host_run_line_count(run); i++)
			print_message("got:  %s\n", tdxsim_host_run_line(run, i));
		for (size_t i = 0; i < n; i++)
			print_message("want: %s\n", want[i]);
	}
	assert_true(same);
}

/* One init run of the linux strategy; options NULL: the defaults. */
static struct tdxsim_host_run *
run(const struct tdxsim_platform *p, enum tdxsim_kernel kernel,
    const struct tdxsim_module_options *options)
{
	struct tdxsim_host_run *r = NULL;

	assert_int_equal(tdxsim_host_run_module(p, TDXSIM_STRATEGY_LINUX, kernel,
						options, &r), 0);
	assert_non_null(r);
	return r;
}

/* Lines and errno of one run; the run is freed. */
static void
expect(const struct tdxsim_platform *p, enum tdxsim_kernel kernel,
       const struct tdxsim_module_options *options, const char *const *lines,
       int err)
{
	struct tdxsim_host_run *r = run(p, kernel, options);

	assert_lines(r, lines);
	assert_int_equal(tdxsim_host_run_errno(r), err);
	tdxsim_host_run_free(r);
}

/* Default options of the platform's module with one leaf failing. */
static struct tdxsim_module_options
inject(const struct tdxsim_platform *p, unsigned leaf, unsigned nth,
       unsigned times, uint64_t status)
{
	struct tdxsim_module_options o;

	tdxsim_module_options_init(&o, tdxsim_platform_module_profile(p));
	o.inject_leaf = leaf;
	o.inject_nth = nth;
	o.inject_times = times;
	o.inject_status = status;
	return o;
}

/* Success: 6.12 prints no version; mainline prints it right after the
 * version reads; Ubuntu prints TDH.SYS.INFO's line and the CMRs. */
static void
test_success_per_generation(void **state)
{
	struct tdxsim_platform *p = platform("1.5.06", "[32, 64)");
	struct tdxsim_host_run *r;

	(void)state;
	expect(p, TDXSIM_KERNEL_6_12, NULL, LINES(BIOS, S3, PAMT, DONE), 0);
	expect(p, TDXSIM_KERNEL_MAINLINE, NULL,
	       LINES(BIOS, S3, "virt/tdx: Module version: 1.5.06", PAMT, DONE), 0);
	expect(p, TDXSIM_KERNEL_UBUNTU_6_8_INTEL, NULL,
	       LINES(BIOS, S3, UBUNTU_INFO, CMR0, CMR1, PAMT, DONE), 0);
	/* The public entry point without options is the same run. */
	assert_int_equal(tdxsim_host_run_kernel(p, TDXSIM_STRATEGY_LINUX,
						TDXSIM_KERNEL_6_12,
						TDXSIM_HOST_INIT, &r), 0);
	assert_lines(r, LINES(BIOS, S3, PAMT, DONE));
	assert_int_equal(tdxsim_layout_tdmr_count(tdxsim_host_run_layout(r)), 2);
	tdxsim_host_run_free(r);
	tdxsim_platform_free(p);
}

/*
 * Mainline reads every metadata field of get_tdx_sys_info() through
 * TDH.SYS.RD, the CPUID_CONFIG leaves and values last (one leaf and two
 * values per NUM_CPUID_CONFIG, tdx_global_metadata.c): failing any of
 * those reads, the very last included, fails the bring-up, and failing a
 * read past the last changes nothing. The reads print no line, so only
 * this count sees them (tools/mutate.py: a mutant skipping the CPUID
 * loops survived).
 */
static void
test_mainline_reads_cpuid_config(void **state)
{
	struct tdxsim_platform *p = platform("1.5.06", "[32, 64)");
	struct tdxsim_module_options o;
	struct tdxsim_host_run *r;
	unsigned reads = 0;
	int err;

	(void)state;
	/* The first read whose failure goes unnoticed is one past the last. */
	for (unsigned nth = 1; nth < 400 && !reads; nth++) {
		o = inject(p, TDXSIM_TDH_SYS_RD, nth, 1, TDXSIM_TDX_SYS_BUSY);
		r = run(p, TDXSIM_KERNEL_MAINLINE, &o);
		err = tdxsim_host_run_errno(r);
		if (err == 0)
			reads = nth - 1;
		tdxsim_host_run_free(r);
	}
	/* 18 reads before the loops (3 version, TDX_FEATURES0, 5 TDMR, 9 TD
	 * fields), then 3 per CPUID_CONFIG: 1.5.06 has 18 (builds.c). */
	assert_int_equal(reads, 18 + 3 * 18);
	tdxsim_platform_free(p);
}

/*
 * TDH.SYS.INFO's line needs the version, the build date and the build
 * number from the input: with the build date missing it is left out,
 * not printed with a default (tools/mutate.py: '||' survived).
 */
static void
test_ubuntu_info_needs_build_date(void **state)
{
	char text[sizeof(platform_text) + 64], *date;
	int n = snprintf(text, sizeof(text), platform_text, "1.5.06", "[32, 64)");
	const char *drop = "  build-date: 20240725\n";
	struct tdxsim_platform *p;

	(void)state;
	assert_true(n > 0 && (size_t)n < sizeof(text));
	date = strstr(text, drop);
	assert_non_null(date);
	memmove(date, date + strlen(drop), strlen(date + strlen(drop)) + 1);
	p = tdxsim_test_load_buffer_clean("gens-no-date.yaml", text, strlen(text));
	expect(p, TDXSIM_KERNEL_UBUNTU_6_8_INTEL, NULL,
	       LINES(BIOS, S3, CMR0, CMR1, PAMT, DONE), 0);
	tdxsim_platform_free(p);
}

/* tdx_init() with one TDX KeyID: TDX stays off, no SEAMCALL, -ENODEV. */
static void
test_too_few_keyids(void **state)
{
	struct tdxsim_platform *p = platform("1.5.06", "[32, 33)");

	(void)state;
	for (int k = TDXSIM_KERNEL_6_12; k < TDXSIM_KERNEL_COUNT; k++) {
		struct tdxsim_host_run *r = run(p, (enum tdxsim_kernel)k, NULL);

		assert_lines(r, LINES("virt/tdx: BIOS enabled: private KeyID range [32, 33)",
				      "virt/tdx: initialization failed: too few private KeyIDs available."));
		assert_int_equal(tdxsim_host_run_errno(r), -ENODEV);
		assert_true(tdxsim_host_run_status(r) == 0);
		assert_int_equal(tdxsim_layout_tdmr_count(tdxsim_host_run_layout(r)), 0);
		tdxsim_host_run_free(r);
	}
	tdxsim_platform_free(p);
}

/* TDH.SYS.INIT finds no module: "module not loaded", -ENODEV, and nothing
 * after it (tdx_enable() is never called). #GP and #UD map silently. */
static void
test_sys_init_outcomes(void **state)
{
	struct tdxsim_platform *p = platform("1.5.06", "[32, 64)");
	struct tdxsim_module_options o;

	(void)state;
	tdxsim_module_options_init(&o, tdxsim_platform_module_profile(p));
	o.absent = 1;
	expect(p, TDXSIM_KERNEL_6_12, &o,
	       LINES(BIOS, S3, "virt/tdx: module not loaded"), -ENODEV);
	expect(p, TDXSIM_KERNEL_MAINLINE, &o,
	       LINES(BIOS, S3, "virt/tdx: module not loaded"), -ENODEV);
	o = inject(p, TDXSIM_TDH_SYS_INIT, 1, 1, TDXSIM_TDX_SEAMCALL_GP);
	expect(p, TDXSIM_KERNEL_6_12, &o, LINES(BIOS, S3), -EOPNOTSUPP);
	o = inject(p, TDXSIM_TDH_SYS_INIT, 1, 1, TDXSIM_TDX_SEAMCALL_UD);
	expect(p, TDXSIM_KERNEL_6_12, &o, LINES(BIOS, S3), -EACCES);
	/* Any other status: the SEAMCALL line without registers, -EIO. */
	o = inject(p, TDXSIM_TDH_SYS_INIT, 1, 1, TDXSIM_TDX_SYS_BUSY);
	expect(p, TDXSIM_KERNEL_6_12, &o,
	       LINES(BIOS, S3, "virt/tdx: SEAMCALL (0x0000000000000021) failed: 0x8000020200000000"),
	       -EIO);
	tdxsim_platform_free(p);
}

/* sc_retry(): TDX_RND_NO_ENTROPY is retried, 10 tries in all. */
static void
test_entropy_retry(void **state)
{
	struct tdxsim_platform *p = platform("1.5.06", "[32, 64)");
	struct tdxsim_module_options o;

	(void)state;
	o = inject(p, TDXSIM_TDH_SYS_INIT, 1, 9, TDXSIM_TDX_RND_NO_ENTROPY);
	expect(p, TDXSIM_KERNEL_6_12, &o, LINES(BIOS, S3, PAMT, DONE), 0);
	o = inject(p, TDXSIM_TDH_SYS_INIT, 1, 10, TDXSIM_TDX_RND_NO_ENTROPY);
	expect(p, TDXSIM_KERNEL_6_12, &o,
	       LINES(BIOS, S3, "virt/tdx: SEAMCALL (0x0000000000000021) failed: 0x8000020300000000"),
	       -EIO);
	tdxsim_platform_free(p);
}

/* LP.INIT failing on the third CPU stops the bring-up there: no
 * "module initialization failed", the errno is LP.INIT's. */
static void
test_lp_init_failure(void **state)
{
	struct tdxsim_platform *p = platform("1.5.06", "[32, 64)");
	struct tdxsim_module_options o =
		inject(p, TDXSIM_TDH_SYS_LP_INIT, 3, 1, TDXSIM_TDX_SYS_BUSY);

	(void)state;
	expect(p, TDXSIM_KERNEL_6_12, &o,
	       LINES(BIOS, S3, "virt/tdx: SEAMCALL (0x0000000000000023) failed: 0x8000020200000000"),
	       -EIO);
	tdxsim_platform_free(p);
}

/*
 * A 1.0 module has no TDH.SYS.RD: before SYS_READY it answers
 * TDX_SYS_NOT_READY with RDX untouched (canonical/tdx #331). 6.12 and
 * Ubuntu fail on MAX_TDMRS, mainline on MINOR_VERSION and then prints
 * "Module version: 0.0.00".
 */
static void
test_metadata_read_failure(void **state)
{
	struct tdxsim_platform *p = platform("1.0", "[32, 64)");

	(void)state;
	expect(p, TDXSIM_KERNEL_6_12, NULL,
	       LINES(BIOS, S3,
		     "virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc000050500000000",
		     "virt/tdx: RCX 0x0000000000000000 RDX 0x9100000100000008 R08 0x0000000000000000",
		     ZERO_R9_R11, EIO_FAILED),
	       -EIO);
	expect(p, TDXSIM_KERNEL_MAINLINE, NULL,
	       LINES(BIOS, S3,
		     "virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc000050500000000",
		     "virt/tdx: RCX 0x0000000000000000 RDX 0x0800000100000003 R08 0x0000000000000000",
		     ZERO_R9_R11, "virt/tdx: Module version: 0.0.00", EIO_FAILED),
	       -EIO);
	expect(p, TDXSIM_KERNEL_UBUNTU_6_8_INTEL, NULL,
	       LINES(BIOS, S3,
		     "virt/tdx: TDX module: attributes 0x0, vendor_id 0x8086, major_version 1, minor_version 0, build_date 20240725, build_num 784",
		     CMR0, CMR1,
		     "virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc000050500000000",
		     "virt/tdx: RCX 0x0000000000000000 RDX 0x9100000100000008 R08 0x0000000000000000",
		     ZERO_R9_R11, EIO_FAILED),
	       -EIO);
	tdxsim_platform_free(p);
}

/* A failing version read after a good one: mainline prints what it got. */
static void
test_mainline_partial_version(void **state)
{
	struct tdxsim_platform *p = platform("1.5.06", "[32, 64)");
	struct tdxsim_module_options o =
		inject(p, TDXSIM_TDH_SYS_RD, 2, 1, TDXSIM_TDX_SYS_BUSY);

	(void)state;
	expect(p, TDXSIM_KERNEL_MAINLINE, &o,
	       LINES(BIOS, S3,
		     "virt/tdx: SEAMCALL (0x0000000000000022) failed: 0x8000020200000000",
		     "virt/tdx: RCX 0x0000000000000000 RDX 0x0800000100000004 R08 0x0000000000000000",
		     ZERO_R9_R11, "virt/tdx: Module version: 0.5.00", EIO_FAILED),
	       -EIO);
	tdxsim_platform_free(p);
}

/* TDH.SYS.TDMR.INIT uses seamcall_prerr_ret(): the registers follow. */
static void
test_tdmr_init_failure(void **state)
{
	struct tdxsim_platform *p = platform("1.5.06", "[32, 64)");
	struct tdxsim_module_options o =
		inject(p, TDXSIM_TDH_SYS_TDMR_INIT, 1, 1, TDXSIM_TDX_SYS_BUSY);
	struct tdxsim_host_run *r;

	(void)state;
	r = run(p, TDXSIM_KERNEL_6_12, &o);
	assert_lines(r, LINES(BIOS, S3,
			      "virt/tdx: SEAMCALL (0x0000000000000024) failed: 0x8000020200000000",
			      "virt/tdx: RCX 0x0000000000000000 RDX 0x0000000000000000 R08 0x0000000000000000",
			      ZERO_R9_R11, EIO_FAILED));
	assert_int_equal(tdxsim_host_run_errno(r), -EIO);
	assert_true(tdxsim_host_run_status(r) == TDXSIM_TDX_SYS_BUSY);
	tdxsim_host_run_free(r);
	tdxsim_platform_free(p);
}

/* TDH.SYS.CONFIG and KEY.CONFIG use seamcall_prerr(): no registers. */
static void
test_config_failures(void **state)
{
	struct tdxsim_platform *p = platform("1.5.06", "[32, 64)");
	struct tdxsim_module_options o =
		inject(p, TDXSIM_TDH_SYS_CONFIG, 1, 1, TDXSIM_TDX_SYS_BUSY);

	(void)state;
	expect(p, TDXSIM_KERNEL_6_12, &o,
	       LINES(BIOS, S3, "virt/tdx: SEAMCALL (0x000000000000002d) failed: 0x8000020200000000",
		     EIO_FAILED),
	       -EIO);
	/* The second package's KEY.CONFIG. */
	o = inject(p, TDXSIM_TDH_SYS_KEY_CONFIG, 2, 1, TDXSIM_TDX_SYS_BUSY);
	expect(p, TDXSIM_KERNEL_6_12, &o,
	       LINES(BIOS, S3, "virt/tdx: SEAMCALL (0x000000000000001f) failed: 0x8000020200000000",
		     EIO_FAILED),
	       -EIO);
	tdxsim_platform_free(p);
}

/* check_features() is mainline's: a module without NO_RBP_MOD is refused
 * there and accepted by 6.12, which never reads TDX_FEATURES0. */
static void
test_features_mainline_only(void **state)
{
	struct tdxsim_platform *p = platform("1.5.06", "[32, 64)");
	struct tdxsim_module_options o;

	(void)state;
	tdxsim_module_options_init(&o, tdxsim_platform_module_profile(p));
	o.features0 = 0;
	expect(p, TDXSIM_KERNEL_MAINLINE, &o,
	       LINES(BIOS, S3, "virt/tdx: Module version: 1.5.06",
		     "virt/tdx: frame pointer (RBP) clobber bug present, upgrade TDX module",
		     "virt/tdx: module initialization failed (-22)"),
	       -EINVAL);
	expect(p, TDXSIM_KERNEL_6_12, &o, LINES(BIOS, S3, PAMT, DONE), 0);
	tdxsim_platform_free(p);
}

/*
 * alloc_contig_pages() finds no 1027 free pages in a row for the PAMT of
 * TDMR [0, 1G) (RAM is two 2 MiB pieces above 1 MiB): -ENOMEM, silently,
 * before any reserved area; TDH.SYS.CONFIG is never reached.
 */
static void
test_pamt_enomem(void **state)
{
	static const char text[] =
		"tdxsim-fixture: 1\n"
		"name: no-room\n"
		"e820: |\n"
		"  [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"  [mem 0x0000000000100000-0x00000000002fffff] usable\n"
		"  [mem 0x0000000000300000-0x00000000003fffff] reserved\n"
		"  [mem 0x0000000000400000-0x00000000005fffff] usable\n"
		"cmrs: |\n"
		"  [0x100000, 0x300000)\n"
		"  [0x400000, 0x600000)\n";
	struct tdxsim_platform *p =
		tdxsim_test_load_buffer_clean("no-room.yaml", text, sizeof(text) - 1);
	struct tdxsim_host_run *r = run(p, TDXSIM_KERNEL_6_12, NULL);

	(void)state;
	assert_lines(r, LINES(BIOS, S3, "virt/tdx: module initialization failed (-12)"));
	assert_int_equal(tdxsim_host_run_errno(r), -ENOMEM);
	assert_true(tdxsim_host_run_status(r) == 0);
	assert_int_equal(tdxsim_layout_tdmr_count(tdxsim_host_run_layout(r)), 1);
	tdxsim_host_run_free(r);
	tdxsim_platform_free(p);
}

/* The generation a strategy defaults to, as tdxsim_host_run() uses it. */
static void
test_defaults(void **state)
{
	(void)state;
	assert_int_equal(tdxsim_kernel_resolve(TDXSIM_STRATEGY_LINUX, TDXSIM_KERNEL_DEFAULT),
			 TDXSIM_KERNEL_MAINLINE);
	assert_int_equal(tdxsim_kernel_resolve(TDXSIM_STRATEGY_LINUX_CMR, TDXSIM_KERNEL_DEFAULT),
			 TDXSIM_KERNEL_UBUNTU_6_8_INTEL);
	assert_int_equal(tdxsim_kernel_resolve(TDXSIM_STRATEGY_LINUX_CMR, TDXSIM_KERNEL_6_12),
			 TDXSIM_KERNEL_6_12);
}

/* A fixture's kernel release picks the generation its log documents. */
static void
test_release_to_generation(void **state)
{
	static const struct {
		const char *release;
		enum tdxsim_kernel want;
	} cases[] = {
		{ "6.12", TDXSIM_KERNEL_6_12 },
		{ "6.12.118", TDXSIM_KERNEL_6_12 },
		{ "6.12.38+deb13-amd64", TDXSIM_KERNEL_6_12 },
		{ "6.121", TDXSIM_KERNEL_DEFAULT },
		{ "6.1.0-18-amd64", TDXSIM_KERNEL_DEFAULT },
		/* canonical/tdx#83: no TDH.SYS.INFO line, MAX_TDMRS read first. */
		{ "6.8.0-1001-intel", TDXSIM_KERNEL_6_12 },
		/* Undocumented by any log. */
		{ "6.8.0-1002-intel", TDXSIM_KERNEL_DEFAULT },
		/* #135 and #331: TDH.SYS.INFO first. */
		{ "6.8.0-1004-intel", TDXSIM_KERNEL_UBUNTU_6_8_INTEL },
		{ "6.8.0-1015-intel", TDXSIM_KERNEL_UBUNTU_6_8_INTEL },
		{ "6.8.0-1015-generic", TDXSIM_KERNEL_DEFAULT },
		{ "6.8.0--intel", TDXSIM_KERNEL_DEFAULT },
		{ "6.14.0-1009-intel", TDXSIM_KERNEL_DEFAULT },
		{ NULL, TDXSIM_KERNEL_DEFAULT },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (tdxsim_kernel_from_release(cases[i].release) != cases[i].want)
			fail_msg("%s: got %d, want %d", cases[i].release ? cases[i].release : "NULL",
				 tdxsim_kernel_from_release(cases[i].release), cases[i].want);
	}
}

/* ---- Dynamic PAMT: the mainline-dpamt generation (series v6) ------------------ */

#define DPAMT_FEATURE (1ULL << 36)
#define ENABLE_DPAMT "virt/tdx: Enable Dynamic PAMT"
#define V2_0_08 "virt/tdx: Module version: 2.0.08"

/* PAMT_4K of TDMR t, as the layout holds it. */
static uint64_t
pamt_4k(const struct tdxsim_host_run *r, size_t t)
{
	return tdxsim_layout_tdmr(tdxsim_host_run_layout(r), t)->pamt[TDXSIM_PAMT_4K].size;
}

/*
 * 2.0.08 has Dynamic PAMT: the 4K level is 1 bit per page, 64 KiB for the
 * 2 GiB TDMR and 128 KiB for the 4 GiB one; with the 2M and 1G levels
 * (16 + 4 and 32 + 4 KiB) 248 KB in all, against 24632 KB static. The
 * line comes before TDH.SYS.CONFIG, which the module accepts with R8
 * bit 16. Plain mainline on the same module stays static.
 */
static void
test_dpamt_enabled(void **state)
{
	struct tdxsim_platform *p = platform("2.0.08", "[32, 64)");
	struct tdxsim_host_run *r = run(p, TDXSIM_KERNEL_MAINLINE_DPAMT, NULL);

	(void)state;
	assert_lines(r, LINES(BIOS, S3, V2_0_08, ENABLE_DPAMT,
			      "virt/tdx: 248 KB allocated for PAMT", DONE));
	assert_int_equal(pamt_4k(r, 0), 64 * 1024);
	assert_int_equal(pamt_4k(r, 1), 128 * 1024);
	assert_int_equal(tdxsim_host_run_pamt_kb(r), 248);
	tdxsim_host_run_free(r);
	expect(p, TDXSIM_KERNEL_MAINLINE, NULL, LINES(BIOS, S3, V2_0_08, PAMT, DONE), 0);
	/* Construction alone sizes the bitmap as the module's metadata would. */
	assert_int_equal(tdxsim_host_run_kernel(p, TDXSIM_STRATEGY_TDXSIM,
						TDXSIM_KERNEL_MAINLINE_DPAMT,
						TDXSIM_HOST_CONSTRUCT, &r), 0);
	assert_int_equal(tdxsim_host_run_pamt_kb(r), 248);
	tdxsim_host_run_free(r);
	tdxsim_platform_free(p);
}

/* Without the feature bit (1.5.06; 2.0.05, whose TDX_FEATURES0 lacks
 * bit 36) the series' kernel falls back to static PAMT silently: no read
 * of PAMT_PAGE_BITMAP_ENTRY_BITS, no line, R8 as mainline's. */
static void
test_dpamt_fallback(void **state)
{
	struct tdxsim_platform *p = platform("1.5.06", "[32, 64)");

	(void)state;
	expect(p, TDXSIM_KERNEL_MAINLINE_DPAMT, NULL,
	       LINES(BIOS, S3, "virt/tdx: Module version: 1.5.06", PAMT, DONE), 0);
	tdxsim_platform_free(p);
	p = platform("2.0.05", "[32, 64)");
	expect(p, TDXSIM_KERNEL_MAINLINE_DPAMT, NULL,
	       LINES(BIOS, S3, "virt/tdx: Module version: 2.0.05", PAMT, DONE), 0);
	tdxsim_platform_free(p);
}

/*
 * tdx_supports_dynamic_pamt() (v6) also needs x86_phys_bits <= 48: 52
 * address bits less the KeyID bits. KeyIDs up to 16 take 4 bits (48:
 * enabled), up to 8 take 3 (49: static, and the module, asked, would
 * refuse: its HKID bits would start above bit 48).
 */
static void
test_dpamt_phys_bits(void **state)
{
	struct tdxsim_platform *p = platform("2.0.08", "[2, 16)");

	(void)state;
	expect(p, TDXSIM_KERNEL_MAINLINE_DPAMT, NULL,
	       LINES("virt/tdx: BIOS enabled: private KeyID range [2, 16)", S3, V2_0_08,
		     ENABLE_DPAMT, "virt/tdx: 248 KB allocated for PAMT", DONE), 0);
	tdxsim_platform_free(p);
	p = platform("2.0.08", "[2, 8)");
	expect(p, TDXSIM_KERNEL_MAINLINE_DPAMT, NULL,
	       LINES("virt/tdx: BIOS enabled: private KeyID range [2, 8)", S3, V2_0_08,
		     PAMT, DONE), 0);
	tdxsim_platform_free(p);
}

/* A module reporting the feature without PAMT_PAGE_BITMAP_ENTRY_BITS (a
 * 1.5 build told to set bit 36): the series' read fails, -EIO, before
 * check_features() and any construction. */
static void
test_dpamt_field_missing(void **state)
{
	struct tdxsim_platform *p = platform("1.5.06", "[32, 64)");
	struct tdxsim_module_options o;

	(void)state;
	tdxsim_module_options_init(&o, tdxsim_platform_module_profile(p));
	o.features0 |= DPAMT_FEATURE;
	expect(p, TDXSIM_KERNEL_MAINLINE_DPAMT, &o,
	       LINES(BIOS, S3, "virt/tdx: Module version: 1.5.06",
		     "virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc0000c0000000000",
		     "virt/tdx: RCX 0x0000000000000000 RDX 0x9100000100000013 R08 0x0000000000000000",
		     ZERO_R9_R11, EIO_FAILED),
	       -EIO);
	/* Mainline never reads it: the same module initializes. */
	expect(p, TDXSIM_KERNEL_MAINLINE, &o,
	       LINES(BIOS, S3, "virt/tdx: Module version: 1.5.06", PAMT, DONE), 0);
	tdxsim_platform_free(p);
}

/* tdxsim_pamt_bitmap_size(): PAGE_ALIGN(DIV_ROUND_UP(pages * bits, 8)). */
static void
test_bitmap_size(void **state)
{
	uint64_t sz = 0;

	(void)state;
	assert_int_equal(tdxsim_pamt_bitmap_size(2ULL << 30, 1, &sz), 0);
	assert_int_equal(sz, 64 * 1024);
	/* 1 GiB at 3 bits: 98304 bytes, already page aligned. */
	assert_int_equal(tdxsim_pamt_bitmap_size(1ULL << 30, 3, &sz), 0);
	assert_int_equal(sz, 98304);
	/* 1 TiB at 1 bit: 32 MiB (static PAMT_4K: 4 GiB). */
	assert_int_equal(tdxsim_pamt_bitmap_size(1ULL << 40, 1, &sz), 0);
	assert_int_equal(sz, 32ULL << 20);
	assert_int_equal(tdxsim_pamt_bitmap_size(1ULL << 29, 1, &sz), -EINVAL);
	assert_int_equal(tdxsim_pamt_bitmap_size(1ULL << 30, 0, &sz), -EINVAL);
	assert_int_equal(tdxsim_pamt_bitmap_size(1ULL << 30, 65, &sz), -EINVAL);
	assert_int_equal(tdxsim_pamt_bitmap_size(1ULL << 30, 1, NULL), -EINVAL);
}

/* KB allocated for PAMT of one init run. */
static uint64_t
init_kb(const struct tdxsim_platform *p, enum tdxsim_strategy s, enum tdxsim_kernel k)
{
	struct tdxsim_host_run *r = NULL;
	uint64_t kb;

	assert_int_equal(tdxsim_host_run_kernel(p, s, k, TDXSIM_HOST_INIT, &r), 0);
	assert_int_equal(tdxsim_host_run_errno(r), 0);
	kb = tdxsim_host_run_pamt_kb(r);
	tdxsim_host_run_free(r);
	return kb;
}

/*
 * The Emerald Rapids machine of canonical/tdx#135 with a 2.0.08 module:
 * static and Dynamic PAMT totals of the strategies that initialize it
 * (linux runs out of reserved areas either way: holes, not PAMTs, fill
 * the slots).
 */
static void
test_dpamt_emr(void **state)
{
	char *path = tdxsim_test_source_path("fixtures/platforms/emr-canonical-tdx-135.yaml");
	struct tdxsim_platform *p = tdxsim_test_load_file_clean(path);
	struct tdxsim_module_profile m = *tdxsim_platform_module_profile(p);
	struct tdxsim_host_run *r = NULL;

	(void)state;
	m.major = 2;
	m.minor = 0;
	m.update = 8;
	tdxsim_platform_set_module_profile(p, &m);
	assert_int_equal(init_kb(p, TDXSIM_STRATEGY_LINUX_CMR, TDXSIM_KERNEL_MAINLINE), 1050644);
	assert_int_equal(init_kb(p, TDXSIM_STRATEGY_LINUX_CMR, TDXSIM_KERNEL_MAINLINE_DPAMT), 10260);
	assert_int_equal(init_kb(p, TDXSIM_STRATEGY_TDXSIM, TDXSIM_KERNEL_MAINLINE), 1050632);
	assert_int_equal(init_kb(p, TDXSIM_STRATEGY_TDXSIM, TDXSIM_KERNEL_MAINLINE_DPAMT), 10248);
	assert_int_equal(tdxsim_host_run_kernel(p, TDXSIM_STRATEGY_LINUX,
						TDXSIM_KERNEL_MAINLINE_DPAMT,
						TDXSIM_HOST_INIT, &r), 0);
	assert_int_equal(tdxsim_host_run_errno(r), -ENOSPC);
	tdxsim_host_run_free(r);
	tdxsim_platform_free(p);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release_to_generation),
		cmocka_unit_test(test_success_per_generation),
		cmocka_unit_test(test_mainline_reads_cpuid_config),
		cmocka_unit_test(test_ubuntu_info_needs_build_date),
		cmocka_unit_test(test_too_few_keyids),
		cmocka_unit_test(test_sys_init_outcomes),
		cmocka_unit_test(test_entropy_retry),
		cmocka_unit_test(test_lp_init_failure),
		cmocka_unit_test(test_metadata_read_failure),
		cmocka_unit_test(test_mainline_partial_version),
		cmocka_unit_test(test_tdmr_init_failure),
		cmocka_unit_test(test_config_failures),
		cmocka_unit_test(test_features_mainline_only),
		cmocka_unit_test(test_pamt_enomem),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_dpamt_enabled),
		cmocka_unit_test(test_dpamt_fallback),
		cmocka_unit_test(test_dpamt_phys_bits),
		cmocka_unit_test(test_dpamt_field_missing),
		cmocka_unit_test(test_bitmap_size),
		cmocka_unit_test(test_dpamt_emr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
