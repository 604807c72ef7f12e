/* SPDX-License-Identifier: MIT */
/*
 * The dmesg importer: every line form it understands, the errors it gives
 * (exact "name:line:col: message" text), and the real logs of
 * fixtures/logs against the counts their sources give (fixtures/logs/README.md).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lines.h"
#include "platform-private.h"
#include "test-common.h"

#define GiB(x) ((uint64_t)(x) << 30)

/* ---- helpers ---- */

static int
import(const char *text, struct tdxsim_platform **p, struct tdxsim_diag *diag)
{
	*p = NULL;
	return tdxsim_dmesg_import("t.log", text, strlen(text), p, diag);
}

/* Import text that must give a platform and no message at all. */
static struct tdxsim_platform *
import_clean(const char *text)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p;

	assert_non_null(diag);
	assert_int_equal(import(text, &p, diag), 0);
	if (tdxsim_diag_count(diag))
		fail_msg("unexpected: %s", tdxsim_diag_message(diag, 0));
	assert_non_null(p);
	tdxsim_diag_free(diag);
	return p;
}

/* Import text that must be refused with exactly one message. */
static void
expect_refused(const char *text, const char *message)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p;

	assert_non_null(diag);
	assert_int_equal(import(text, &p, diag), -EINVAL);
	assert_null(p);
	tdxsim_test_assert_diag(diag, &message, 1);
	tdxsim_diag_free(diag);
}

/* Which E820 positions (0..count) carry an elision, as a bit mask. */
static unsigned long long
elision_mask(const struct tdxsim_platform *p)
{
	unsigned long long mask = 0;

	for (size_t i = 0; i <= tdxsim_platform_e820_count(p); i++) {
		if (tdxsim_platform_e820_elided_before(p, i))
			mask |= 1ULL << i;
	}
	return mask;
}

static char *
read_log(const char *file, size_t *len)
{
	char rel[256], *path, *text;

	snprintf(rel, sizeof(rel), "fixtures/logs/%s", file);
	path = tdxsim_test_source_path(rel);
	text = tdxsim_test_read_file(path, len);
	free(path);
	return text;
}

/* Import a log of fixtures/logs; diag receives whatever it says. */
static int
import_log(const char *file, struct tdxsim_platform **p,
	   struct tdxsim_diag *diag)
{
	size_t len;
	char *text = read_log(file, &len);
	int ret;

	*p = NULL;
	ret = tdxsim_dmesg_import(file, text, len, p, diag);
	free(text);
	return ret;
}

/* ---- E820 lines ---- */

static void
test_e820_plain(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] usable\n"
		"BIOS-e820: [mem 0x000000000009f000-0x00000000000fffff] reserved\n"
		"BIOS-e820: [mem 0x0000000000100000-0x000000005d168fff] usable\n"
		"BIOS-e820: [mem 0x000000005d169000-0x000000005d22afff] ACPI data\n"
		"BIOS-e820: [mem 0x000000005eb58000-0x0000000061357fff] ACPI NVS\n"
		"BIOS-e820: [mem 0x0000000061358000-0x000000006172afff] unusable\n"
		"BIOS-e820: [mem 0x0000000100000000-0x000000017fffffff] persistent (type 12)\n"
		"BIOS-e820: [mem 0x0000000180000000-0x00000001ffffffff] soft reserved\n");
	assert_int_equal(tdxsim_platform_e820_count(p), 8);
	tdxsim_test_assert_e820(p, 0, 0x0, 0x9f000, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 1, 0x9f000, 0x100000, TDXSIM_E820_RESERVED);
	tdxsim_test_assert_e820(p, 2, 0x100000, 0x5d169000, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 3, 0x5d169000, 0x5d22b000, TDXSIM_E820_ACPI);
	tdxsim_test_assert_e820(p, 4, 0x5eb58000, 0x61358000, TDXSIM_E820_NVS);
	tdxsim_test_assert_e820(p, 5, 0x61358000,
				0x6172b000, TDXSIM_E820_UNUSABLE);
	tdxsim_test_assert_e820(p, 6, GiB(4), GiB(6), TDXSIM_E820_PRAM);
	tdxsim_test_assert_e820(p, 7, GiB(6),
				GiB(8), TDXSIM_E820_SOFT_RESERVED);
	assert_int_equal(tdxsim_platform_e820_spelling(p),
			 TDXSIM_E820_SPELLING_LEGACY);
	assert_int_equal(tdxsim_platform_e820_truncated(p), 0);
	assert_int_equal(tdxsim_platform_cmr_count(p), 0);
	assert_int_equal(tdxsim_platform_node_range_count(p), 0);
	/* Positions point at the range: line 3, the '[' in column 12. */
	assert_int_equal(p->e820[2].pos.line, 3);
	assert_int_equal(p->e820[2].pos.column, 12);
	assert_string_equal(p->input_name, "t.log");
	tdxsim_platform_free(p);
}

static void
test_e820_timestamps(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"[    0.000000] BIOS-provided physical RAM map:\n"
		"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009bfff] usable\n"
		"[  +0.000000] BIOS-e820: [mem 0x000000000009c000-0x000000000009ffff] reserved\n"
		"[12345.678901] BIOS-e820: [mem 0x0000000000100000-0x000000006cdcefff] usable\n");
	assert_int_equal(tdxsim_platform_e820_count(p), 3);
	tdxsim_test_assert_e820(p, 0, 0x0, 0x9c000, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 1, 0x9c000, 0xa0000, TDXSIM_E820_RESERVED);
	tdxsim_test_assert_e820(p, 2, 0x100000, 0x6cdcf000, TDXSIM_E820_RAM);
	assert_int_equal(p->e820[0].pos.line, 2);
	assert_int_equal(p->e820[0].pos.column, 27);
	assert_int_equal(p->e820[1].pos.line, 3);
	assert_int_equal(p->e820[1].pos.column, 26);
	tdxsim_platform_free(p);
}

static void
test_e820_modern_spelling(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] System RAM\n"
		"BIOS-e820: [mem 0x00000000000a0000-0x00000000000fffff] device reserved\n"
		"BIOS-e820: [mem 0x0000000100000000-0x000000017fffffff] persistent RAM (type 12)\n");
	assert_int_equal(tdxsim_platform_e820_count(p), 3);
	tdxsim_test_assert_e820(p, 0, 0x0, 0xa0000, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 1, 0xa0000, 0x100000, TDXSIM_E820_RESERVED);
	tdxsim_test_assert_e820(p, 2, GiB(4), GiB(6), TDXSIM_E820_PRAM);
	assert_int_equal(tdxsim_platform_e820_spelling(p),
			 TDXSIM_E820_SPELLING_MODERN);
	tdxsim_platform_free(p);
}

/* One modern name anywhere makes the platform modern; names common to
 * both wordings ("ACPI data") decide nothing. */
static void
test_e820_mixed_spelling(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] ACPI data\n"
		"BIOS-e820: [mem 0x00000000000a0000-0x00000000000fffff] device reserved\n");
	assert_int_equal(tdxsim_platform_e820_spelling(p),
			 TDXSIM_E820_SPELLING_MODERN);
	tdxsim_platform_free(p);
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] ACPI data\n");
	assert_int_equal(tdxsim_platform_e820_spelling(p),
			 TDXSIM_E820_SPELLING_LEGACY);
	tdxsim_platform_free(p);
}

static void
test_e820_gap_and_size_column(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff]    639 KB  System RAM\n"
		"[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff]      1 KB  device reserved\n"
		"[    0.000000] BIOS-e820: [gap 0x00000000000a0000-0x00000000000effff]    320 KB\n"
		"[    0.000000] BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff]     64 KB  device reserved\n"
		"[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007ffdffff]    1.9 GB  System RAM\n");
	assert_int_equal(tdxsim_platform_e820_count(p), 4);
	tdxsim_test_assert_e820(p, 0, 0x0, 0x9fc00, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 1, 0x9fc00, 0xa0000, TDXSIM_E820_RESERVED);
	tdxsim_test_assert_e820(p, 2, 0xf0000, 0x100000, TDXSIM_E820_RESERVED);
	tdxsim_test_assert_e820(p, 3, 0x100000, 0x7ffe0000, TDXSIM_E820_RAM);
	assert_int_equal(tdxsim_platform_e820_truncated(p), 0);
	tdxsim_platform_free(p);
}

/* Other e820 prefixes describe edits, not the firmware table. */
static void
test_e820_other_prefixes_ignored(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n"
		"e820: remove [mem 0x000a0000-0x000fffff] usable\n"
		"reserve setup_data: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"user: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"extended physical RAM map:\n"
		"e820: reserve RAM buffer [mem 0x0009e000-0x0009ffff]\n");
	assert_int_equal(tdxsim_platform_e820_count(p), 1);
	tdxsim_test_assert_e820(p, 0, 0x0, 0xa0000, TDXSIM_E820_RAM);
	tdxsim_platform_free(p);
}

/* The input need not be NUL-terminated, and CRLF is fine. */
static void
test_length_bounded_and_crlf(void **state)
{
	static const char text[] =
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\r\n"
		"BIOS-e820: [mem 0x00000000000a0000-0x00000000000fffff] reserved\r\n";
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p = NULL;
	size_t first_line = strchr(text, '\n') - text + 1;

	(void)state;
	assert_int_equal(tdxsim_dmesg_import("t.log", text, first_line, &p,
					     diag), 0);
	assert_int_equal(tdxsim_diag_count(diag), 0);
	assert_int_equal(tdxsim_platform_e820_count(p), 1);
	tdxsim_test_assert_e820(p, 0, 0x0, 0xa0000, TDXSIM_E820_RAM);
	tdxsim_platform_free(p);
	/* Cut inside the second line's type: "reser" is not a type. */
	assert_int_equal(tdxsim_dmesg_import("t.log", text, sizeof(text) - 6,
					     &p, diag), -EINVAL);
	assert_null(p);
	assert_int_equal(tdxsim_diag_error_count(diag), 1);
	assert_non_null(strstr(tdxsim_diag_message(diag, 0),
			       "t.log:2:56: unknown E820 type 'reser'"));
	tdxsim_diag_free(diag);
}

/* ---- elisions ---- */

static void
test_elision_middle_and_end(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"...\n"
		"BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n"
		"BIOS-e820: [mem 0x0000000080000000-0x000000008fffffff] reserved\n"
		"  ......  \n");
	assert_int_equal(tdxsim_platform_e820_count(p), 3);
	tdxsim_test_assert_e820(p, 1, 0x100000, 0x80000000, TDXSIM_E820_RAM);
	assert_int_equal(elision_mask(p), (1u << 1) | (1u << 3));
	assert_int_equal(tdxsim_platform_e820_truncated(p), 1);
	tdxsim_platform_free(p);
}

/* Dots that do not follow the table, or follow it after another line,
 * are about something else and must not mark the table. */
static void
test_elision_only_inside_table(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"[    0.000000] tdx: Guest detected\n"
		"...\n"
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"[    0.000000] NX (Execute Disable) protection: active\n"
		"...\n"
		"..\n"
		"BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n"
		"\n"
		"...\n");
	assert_int_equal(tdxsim_platform_e820_count(p), 2);
	assert_int_equal(elision_mask(p), 0);
	assert_int_equal(tdxsim_platform_e820_truncated(p), 0);
	tdxsim_platform_free(p);
}

/* Timestamped and quoted dots count, and several in a row are one. */
static void
test_elision_decorated(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"> [    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"> [    0.000000] ...\n"
		"> ....\n"
		"> [    0.000000] BIOS-e820: [gap 0x00000000000a0000-0x00000000000fffff]\n"
		"> [    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n");
	assert_int_equal(tdxsim_platform_e820_count(p), 2);
	assert_int_equal(elision_mask(p), 1u << 1);
	tdxsim_platform_free(p);
}

static void
test_missing_head(void **state)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p;

	(void)state;
	assert_int_equal(import(
		"Booting...\n"
		"[    0.000000] BIOS-e820: [mem 0x000000007e818000-0x000000007ff7bfff] usable\n"
		"[    0.000000] BIOS-e820: [mem 0x000000007ff7c000-0x000000007fffffff] reserved\n",
		&p, diag), 0);
	assert_non_null(p);
	assert_int_equal(tdxsim_platform_e820_count(p), 2);
	tdxsim_test_assert_e820(p, 0, 0x7e818000, 0x7ff7c000, TDXSIM_E820_RAM);
	assert_int_equal(elision_mask(p), 1u << 0);
	assert_int_equal(tdxsim_diag_count(diag), 1);
	assert_int_equal(tdxsim_diag_error_count(diag), 0);
	assert_int_equal(tdxsim_diag_severity(diag, 0), TDXSIM_DIAG_WARNING);
	assert_string_equal(tdxsim_diag_message(diag, 0),
		"t.log:2:27: warning: the E820 table starts at 0x7e818000, not 0: its head is missing from the log (recorded as elided)");
	tdxsim_platform_free(p);
	tdxsim_diag_free(diag);
}

/* ---- CMRs ---- */

static void
test_cmr_forms(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"[    0.653050] virt/tdx: CMR: [0x100000, 0x77800000)\n"
		"virt/tdx: CMR[1]: [0x100000000, 0x1ffe000000)\n"
		"[    1.000000] tdx: CMR: [0x4000000000, 0x6000000000)\n"
		"tdx: CMR[3]: [0x8000000000, 0x8080000000)\n"
		"virt/tdx: CMR[4]: [0x0, 0x0)\n"
		"CMR[5]: [0x9000000000, 0x9080000000)\n"
		"CMRs tend to be coarser-grained [2] than the e820.\n"
		"  virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.\n");
	assert_int_equal(tdxsim_platform_cmr_count(p), 6);
	tdxsim_test_assert_cmr(p, 0, 0x100000, 0x77800000);
	tdxsim_test_assert_cmr(p, 1, GiB(4), 0x1ffe000000);
	tdxsim_test_assert_cmr(p, 2, 0x4000000000, 0x6000000000);
	tdxsim_test_assert_cmr(p, 3, 0x8000000000, 0x8080000000);
	/* A null slot is kept as reported. */
	tdxsim_test_assert_cmr(p, 4, 0, 0);
	tdxsim_test_assert_cmr(p, 5, 0x9000000000, 0x9080000000);
	assert_int_equal(p->cmrs[0].pos.line, 2);
	assert_int_equal(p->cmrs[0].pos.column, 31);
	assert_int_equal(p->cmrs[1].pos.line, 3);
	assert_int_equal(p->cmrs[1].pos.column, 19);
	tdxsim_platform_free(p);
}

static void
test_cmr_too_many(void **state)
{
	char text[4096];
	size_t used;

	(void)state;
	used = (size_t)snprintf(text, sizeof(text), "%s",
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n");
	for (unsigned i = 0; i < 34; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "virt/tdx: CMR: [0x%x00000000, 0x%x40000000)\n",
					 i + 1, i + 1);
	assert_true(used < sizeof(text) - 1);
	/* Reported once, at the 33rd CMR (line 34), not again at the 34th. */
	expect_refused(text,
		"t.log:34:16: more than 32 CMRs: a TDX module reports at most 32");
}

static void
test_cmr_malformed(void **state)
{
	(void)state;
	expect_refused(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"[    0.653050] virt/tdx: CMR: [0x100000 0x77800000)\n",
		"t.log:2:40: expected ',' after the start address");
	expect_refused(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"virt/tdx: CMR: [0x200000, 0x100000)\n",
		"t.log:2:16: range ends before it starts (0x100000 < 0x200000)");
	expect_refused(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"virt/tdx: CMR: [0x100000, 0x200000]\n",
		"t.log:2:35: expected ')' after the end address: ranges are half-open, [start, end)");
}

/* ---- NUMA node ranges ---- */

static void
test_node_ranges(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"[    0.065029] Early memory node ranges\n"
		"[    0.065030]   node   0: [mem 0x0000000000001000-0x000000000009bfff]\n"
		"[    0.065038]   node   1: [mem 0x0000000280000000-0x00000004ffffffff]\n"
		"node 12: [mem 0x0000000508000000-0x000000067f1fffff]\n"
		"[    0.065041] Initmem setup node 0 [mem 0x0000000000001000-0x000000027fffffff]\n"
		"[    0.065042]   node   0: [mem 0x0000000700000000-0x00000007ffffffff]\n");
	/* The last line is past the block (the Initmem line ended it). */
	assert_int_equal(tdxsim_platform_node_range_count(p), 3);
	tdxsim_test_assert_node(p, 0, 0, 0x1000, 0x9c000);
	tdxsim_test_assert_node(p, 1, 1, 0x280000000, 0x500000000);
	tdxsim_test_assert_node(p, 2, 12, 0x508000000, 0x67f200000);
	assert_int_equal(p->nodes[0].pos.line, 3);
	assert_int_equal(p->nodes[0].pos.column, 28);
	tdxsim_platform_free(p);
}

/* Node ranges are page frames in the kernel's log (mm/mm_init.c
 * free_area_init()): one that is not is refused at its '[' when the
 * import is validated, as import-dmesg does before writing. */
static void
test_node_unaligned_refused(void **state)
{
	static const char head[] =
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"BIOS-e820: [mem 0x0000000000100000-0x000000027fffffff] usable\n"
		"Early memory node ranges\n"
		"  node   0: [mem 0x0000000000100000-0x000000017fffffff]\n";
	static const char *const message =
		"t.log:5:13: node 1 range [0x180000001, 0x280000000) is not 4 KiB aligned (the kernel prints node ranges from page frame numbers)";
	char text[512];
	struct tdxsim_platform *p;
	struct tdxsim_diag *diag = tdxsim_diag_new();

	(void)state;
	assert_non_null(diag);
	snprintf(text, sizeof(text), "%s%s", head,
		 "  node   1: [mem 0x0000000180000000-0x000000027fffffff]\n");
	p = import_clean(text);
	assert_int_equal(tdxsim_platform_validate(p, diag), 0);
	tdxsim_platform_free(p);
	snprintf(text, sizeof(text), "%s%s", head,
		 "  node   1: [mem 0x0000000180000001-0x000000027fffffff]\n");
	p = import_clean(text);
	assert_int_equal(tdxsim_platform_validate(p, diag), -EINVAL);
	tdxsim_test_assert_diag(diag, &message, 1);
	tdxsim_platform_free(p);
	tdxsim_diag_free(diag);
}

static void
test_node_malformed(void **state)
{
	(void)state;
	expect_refused(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"Early memory node ranges\n"
		"  node   0: [mem 0x0000000000001000-0x000000000009bfff]\n"
		"  node   0: [mem 0x00000000000zz000-0x000000000009bfff]\n",
		"t.log:4:31: expected '-' after the start address");
}

/* ---- module facts ---- */

static void
test_version_1x(void **state)
{
	const struct tdxsim_module_profile *m;
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"[    0.653048] virt/tdx: TDX module: attributes 0x0, vendor_id 0x8086, major_version 1, minor_version 5, build_date 20240129, build_num 698\n");
	m = tdxsim_platform_module_profile(p);
	assert_int_equal(m->major, 1);
	assert_int_equal(m->minor, 5);
	assert_int_equal(m->update, TDXSIM_VERSION_UNKNOWN);
	assert_int_equal(m->internal, TDXSIM_VERSION_UNKNOWN);
	assert_int_equal(m->build_date, 20240129);
	assert_int_equal(m->build_num, 698);
	assert_true(p->profile_set[PROFILE_VERSION]);
	assert_true(p->profile_set[PROFILE_BUILD_DATE]);
	assert_true(p->profile_set[PROFILE_BUILD_NUM]);
	assert_false(p->profile_set[PROFILE_KEYIDS]);
	assert_int_equal(p->profile_pos[PROFILE_BUILD_NUM].line, 2);
	assert_int_equal(p->profile_pos[PROFILE_BUILD_NUM].column, 137);
	tdxsim_platform_free(p);
}

static void
test_version_2x(void **state)
{
	const struct tdxsim_module_profile *m;
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"[    2.340125] virt/tdx: TDX module 2.0.08.00, build number 882, build date 0134fed5\n");
	m = tdxsim_platform_module_profile(p);
	assert_int_equal(m->major, 2);
	assert_int_equal(m->minor, 0);
	assert_int_equal(m->update, 8);
	assert_int_equal(m->internal, 0);
	assert_int_equal(m->build_num, 882);
	/* Printed with %x: 0x0134fed5 is the yyyymmdd number 20250325. */
	assert_int_equal(0x0134fed5, 20250325);
	assert_int_equal(m->build_date, 20250325);
	assert_true(p->profile_set[PROFILE_BUILD_DATE]);
	assert_int_equal(p->profile_pos[PROFILE_BUILD_DATE].column, 77);
	tdxsim_platform_free(p);
}

static void
test_module_version_line(void **state)
{
	const struct tdxsim_module_profile *m;
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"virt/tdx: Module version: 1.5.07\n");
	m = tdxsim_platform_module_profile(p);
	assert_int_equal(m->major, 1);
	assert_int_equal(m->minor, 5);
	assert_int_equal(m->update, 7);
	assert_int_equal(m->internal, TDXSIM_VERSION_UNKNOWN);
	assert_int_equal(m->build_date, 0);
	assert_true(p->profile_set[PROFILE_VERSION]);
	tdxsim_platform_free(p);
}

/* A 1.x line after "Module version: 1.5.06" keeps the update number. */
static void
test_version_lines_combine(void **state)
{
	const struct tdxsim_module_profile *m;
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"virt/tdx: Module version: 1.5.06\n"
		"virt/tdx: TDX module: attributes 0x0, vendor_id 0x8086, major_version 1, minor_version 5, build_date 20240725, build_num 784\n");
	m = tdxsim_platform_module_profile(p);
	assert_int_equal(m->major, 1);
	assert_int_equal(m->minor, 5);
	assert_int_equal(m->update, 6);
	assert_int_equal(m->build_date, 20240725);
	assert_int_equal(m->build_num, 784);
	tdxsim_platform_free(p);
}

static void
test_keyids(void **state)
{
	const struct tdxsim_module_profile *m;
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"[    0.127112] virt/tdx: BIOS enabled: private KeyID range [64, 128)\n");
	m = tdxsim_platform_module_profile(p);
	assert_int_equal(m->keyid_start, 64);
	assert_int_equal(m->keyid_end, 128);
	assert_true(p->profile_set[PROFILE_KEYIDS]);
	assert_int_equal(p->profile_pos[PROFILE_KEYIDS].line, 2);
	assert_int_equal(p->profile_pos[PROFILE_KEYIDS].column, 60);
	tdxsim_platform_free(p);

	/* The default range, when the log states it, still counts as given. */
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"tdx: BIOS enabled: private KeyID range [32, 64)\n");
	m = tdxsim_platform_module_profile(p);
	assert_int_equal(m->keyid_start, 32);
	assert_int_equal(m->keyid_end, 64);
	assert_true(p->profile_set[PROFILE_KEYIDS]);
	tdxsim_platform_free(p);
}

/* Informational lines that cannot be read are warnings, not errors. */
static void
test_unreadable_module_line_warns(void **state)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p;

	(void)state;
	assert_int_equal(import(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"[    0.653048] virt/tdx: TDX module: attributes 0x0, vendor_id 0x8086\n",
		&p, diag), 0);
	assert_int_equal(tdxsim_diag_error_count(diag), 0);
	assert_int_equal(tdxsim_diag_count(diag), 1);
	assert_string_equal(tdxsim_diag_message(diag, 0),
		"t.log:2:16: warning: cannot read this TDX module version line; ignored");
	assert_int_equal(tdxsim_platform_module_profile(p)->build_num, 0);
	assert_false(p->profile_set[PROFILE_VERSION]);
	tdxsim_platform_free(p);
	tdxsim_diag_free(diag);
}

/* ---- kernel, machine, CPUs ---- */

static void
test_info_lines(void **state)
{
	const struct tdxsim_module_profile *m;
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"[    0.000000] Linux version 6.8.0-1004-intel (buildd@lcy02-amd64-035) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu3) 13.2.0) #4-Ubuntu SMP PREEMPT_DYNAMIC\n"
		"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"[    0.000000] DMI: Intel Corporation ArcherCity/ArcherCity, BIOS EGSDCRB1.SYS.0105.D74.2308261933 08/26/2023\n"
		"[    0.000000] DMI: Memory slots populated: 16/16\n"
		"[    0.412345] smp: Brought up 2 nodes, 224 CPUs\n"
		"[    0.401234] smpboot: Max logical packages: 2\n");
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_KERNEL),
			    "6.8.0-1004-intel");
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_MACHINE),
			    "Intel Corporation ArcherCity/ArcherCity, BIOS EGSDCRB1.SYS.0105.D74.2308261933 08/26/2023");
	m = tdxsim_platform_module_profile(p);
	assert_int_equal(m->nr_lps, 224);
	assert_int_equal(m->nr_packages, 2);
	assert_true(p->profile_set[PROFILE_LOGICAL_CPUS]);
	assert_true(p->profile_set[PROFILE_PACKAGES]);
	assert_int_equal(p->profile_pos[PROFILE_LOGICAL_CPUS].column, 41);
	/* Nothing the log does not say. */
	assert_null(tdxsim_platform_info(p, TDXSIM_INFO_NAME));
	assert_null(tdxsim_platform_info(p, TDXSIM_INFO_SOURCE));
	assert_false(p->profile_set[PROFILE_VERSION]);
	tdxsim_platform_free(p);
}

static void
test_info_single_node(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"smp: Brought up 1 node, 1 CPU\n");
	assert_int_equal(tdxsim_platform_module_profile(p)->nr_lps, 1);
	assert_false(p->profile_set[PROFILE_PACKAGES]);
	assert_null(tdxsim_platform_info(p, TDXSIM_INFO_KERNEL));
	assert_null(tdxsim_platform_info(p, TDXSIM_INFO_MACHINE));
	tdxsim_platform_free(p);
}

/* Linux 6.9 and later print the packages from the CPU topology code;
 * a "Max. logical dies" line is not the packages. */
static void
test_info_topology_packages(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"[    0.093153] CPU topo: Max. logical packages:   2\n"
		"[    0.093154] CPU topo: Max. logical dies:       4\n"
		"[    1.108351] smp: Brought up 2 nodes, 224 CPUs\n");
	assert_int_equal(tdxsim_platform_module_profile(p)->nr_packages, 2);
	assert_int_equal(tdxsim_platform_module_profile(p)->nr_lps, 224);
	assert_true(p->profile_set[PROFILE_PACKAGES]);
	assert_int_equal(p->profile_pos[PROFILE_PACKAGES].column, 51);
	tdxsim_platform_free(p);
	p = import_clean(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"CPU topo: Max. logical dies:       4\n");
	assert_false(p->profile_set[PROFILE_PACKAGES]);
	tdxsim_platform_free(p);
}

/* ---- mail quote markers ---- */

static void
test_quote_markers(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean(
		"> [    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		">> BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n"
		"> > [    0.653050] virt/tdx: CMR: [0x100000, 0x77800000)\n");
	assert_int_equal(tdxsim_platform_e820_count(p), 2);
	tdxsim_test_assert_e820(p, 1, 0x100000, 0x80000000, TDXSIM_E820_RAM);
	assert_int_equal(p->e820[0].pos.column, 29);
	assert_int_equal(p->e820[1].pos.column, 15);
	assert_int_equal(tdxsim_platform_cmr_count(p), 1);
	tdxsim_test_assert_cmr(p, 0, 0x100000, 0x77800000);
	assert_int_equal(p->cmrs[0].pos.column, 35);
	tdxsim_platform_free(p);

	expect_refused(
		"> [    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"> [    0.000000] BIOS-e820: [mem 0xg0000-0x000000000009ffff] usable\n",
		"t.log:2:34: malformed start address");
}

/* ---- errors ---- */

/* ---- every form a log is pasted in ---- */

/* The fixture a platform writes, as text. */
static char *
written(const struct tdxsim_platform *p)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	assert_int_equal(tdxsim_platform_write(p, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* The ArcherCity log's messages, each behind what one tool prints. */
static char *
log_as(const char *const *messages, size_t n, const char *prefix, const char *eol)
{
	size_t cap = 256 * (n + 1), used = 0;
	char *out = malloc(cap);

	assert_non_null(out);
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(out + used, cap - used, "%s%s%s", prefix,
					 messages[i], eol);
	return out;
}

static void
test_every_log_form(void **state)
{
	/* plain dmesg, dmesg with timestamps, dmesg -r, dmesg -x, dmesg -T,
	 * journalctl -k (short, short-precise, short-iso, short-iso-precise),
	 * a syslog file with kernel timestamps, and that quoted in a mail. */
	static const char *const forms[] = {
		"",
		"[    0.000000] ",
		"<6>[    0.000000] ",
		"kern  :info  : [    0.000000] ",
		"[Tue Mar 11 09:00:00 2025] ",
		"Mar 11 09:00:00 archercity kernel: ",
		"Mar 11 09:00:00.000123 archercity kernel: ",
		"2025-03-11T09:00:00+0100 archercity kernel: ",
		"2025-03-11T09:00:00.000123+01:00 archercity kernel: ",
		"Mar 11 09:00:00 archercity kernel: [    0.000000] ",
		"> > Mar 11 09:00:00 archercity kernel: ",
	};
	static const char *const eols[] = { "\n", "\r\n", "\r" };
	const char *messages[64];
	size_t len, n = 0;
	char *log = read_log("archercity-spr.txt", &len), *want = NULL;

	(void)state;
	/* The messages: the file's lines without their timestamps. */
	for (char *save = NULL, *line = strtok_r(log, "\n", &save); line && n < 64;
	     line = strtok_r(NULL, "\n", &save))
		messages[n++] = line + tdxsim_line_timestamp_length(line, strlen(line));
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		for (size_t e = 0; e < 3; e++) {
			char *text = log_as(messages, n, forms[f], eols[e]);
			struct tdxsim_platform *p = import_clean(text);
			char *got = written(p);

			if (!want)
				want = strdup(got);
			else if (strcmp(got, want) != 0)
				fail_msg("form '%s' with end %zu imports to\n%s\nnot\n%s",
					 forms[f], e, got, want);
			free(got);
			free(text);
			tdxsim_platform_free(p);
		}
	}
	free(want);
	free(log);
}

/* A mail client wrapped a line before its type: read as one line; a next
 * line that is not only a type is not taken. */
static void
test_wrapped_e820_line(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean("BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
			 "> BIOS-e820: [mem 0x0000000000100000-0x000000000fffffff] 254 MB\n"
			 "> System RAM\n"
			 "BIOS-e820: [mem 0x0000000010000000-0x000000001fffffff]\n"
			 "reserved\n");
	assert_int_equal(tdxsim_platform_e820_count(p), 3);
	tdxsim_test_assert_e820(p, 1, 0x100000, 0x10000000, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 2, 0x10000000, 0x20000000, TDXSIM_E820_RESERVED);
	tdxsim_platform_free(p);
	expect_refused("BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff]\n"
		       "usable and more\n",
		       "t.log:1:55: missing E820 type after the range");
}

/* The same for a CMR and a node line wrapped inside the range, and an
 * E820 line wrapped before its size column. */
static void
test_wrapped_cmr_node_lines(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	p = import_clean("BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff]\n"
			 "640 KB usable\n"
			 "BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n"
			 "> [    0.653050] virt/tdx: CMR: [0x100000,\n"
			 "> 0x77800000)\n"
			 "Mar 11 09:00:00 host kernel: virt/tdx: CMR[1]:\n"
			 "[0x77800000, 0x78000000)\n"
			 "Early memory node ranges\n"
			 "  node   0: [mem\n"
			 "0x0000000000001000-0x000000000009ffff]\n"
			 "  node   0:\n"
			 "  [mem 0x0000000000100000-0x000000007fffffff]\n");
	assert_int_equal(tdxsim_platform_e820_count(p), 2);
	tdxsim_test_assert_e820(p, 0, 0, 0xa0000, TDXSIM_E820_RAM);
	assert_int_equal(tdxsim_platform_cmr_count(p), 2);
	tdxsim_test_assert_cmr(p, 0, 0x100000, 0x77800000);
	tdxsim_test_assert_cmr(p, 1, 0x77800000, 0x78000000);
	assert_int_equal(tdxsim_platform_node_range_count(p), 2);
	tdxsim_test_assert_node(p, 0, 0, 0x1000, 0xa0000);
	tdxsim_test_assert_node(p, 1, 0, 0x100000, 0x80000000);
	tdxsim_platform_free(p);
	/* A tail with text after it, or a line the kernel printed itself (it
	 * has a timestamp), is not a continuation. */
	expect_refused("BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		       "virt/tdx: CMR: [0x100000,\n"
		       "0x77800000) and more\n",
		       "t.log:2:26: malformed end address");
	expect_refused("BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		       "Early memory node ranges\n"
		       "node 0: [mem\n"
		       "[    0.1] 0x0000000000001000-0x000000000009ffff]\n",
		       "t.log:3:10: malformed start address");
}

/* ---- several boots in one log ---- */

static const char two_boots[] =
	"Linux version 6.12.1 (a)\n"
	"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
	"-- Boot 5b1d --\n"
	"Mar 11 09:00:00 h kernel: Linux version 6.8.0-1004-intel (b)\n"
	"Mar 11 09:00:00 h kernel: BIOS-e820: [mem 0x0000000000000000-0x000000000008ffff] usable\n";

static void
test_boots(void **state)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p;

	(void)state;
	/* The last boot by default, said once; the separator and the
	 * "Linux version" after it start one boot, not two. */
	assert_int_equal(tdxsim_dmesg_import_boot("t.log", two_boots, strlen(two_boots), 0, &p,
						  diag), 0);
	assert_int_equal(tdxsim_diag_count(diag), 1);
	assert_string_equal(tdxsim_diag_message(diag, 0),
			    "t.log:3:1: warning: the log holds 2 boots; importing boot 2, from this "
			    "line on (the last; choose another with --boot N)");
	assert_int_equal(tdxsim_platform_e820_count(p), 1);
	tdxsim_test_assert_e820(p, 0, 0x0, 0x90000, TDXSIM_E820_RAM);
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_KERNEL), "6.8.0-1004-intel");
	tdxsim_platform_free(p);
	tdxsim_diag_clear(diag);
	/* The first boot when asked. */
	assert_int_equal(tdxsim_dmesg_import_boot("t.log", two_boots, strlen(two_boots), 1, &p,
						  diag), 0);
	tdxsim_test_assert_e820(p, 0, 0x0, 0xa0000, TDXSIM_E820_RAM);
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_KERNEL), "6.12.1");
	tdxsim_platform_free(p);
	tdxsim_diag_clear(diag);
	/* A boot the log lacks. */
	assert_int_equal(tdxsim_dmesg_import_boot("t.log", two_boots, strlen(two_boots), 3, &p,
						  diag), -EINVAL);
	assert_null(p);
	assert_string_equal(tdxsim_diag_message(diag, 0),
			    "t.log: the log holds 2 boots; there is no boot 3");
	tdxsim_diag_free(diag);
	/* One boot, opened by its "Linux version" line: nothing to say. */
	p = import_clean("Linux version 6.12.1 (a)\n"
			 "BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n");
	assert_int_equal(tdxsim_platform_e820_count(p), 1);
	tdxsim_platform_free(p);
}

static void
test_error_no_e820(void **state)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p = NULL;

	(void)state;
	expect_refused(
		"[    0.000000] Linux version 6.8.0-1004-intel (buildd@lcy02)\n"
		"virt/tdx: CMR: [0x100000, 0x77800000)\n",
		"t.log: no BIOS-e820 lines found: paste the 'BIOS-provided physical RAM map' part of the log");
	expect_refused("",
		"t.log: no BIOS-e820 lines found: paste the 'BIOS-provided physical RAM map' part of the log");
	/* Only gap lines: still no entry. */
	expect_refused("BIOS-e820: [gap 0x00000000000a0000-0x00000000000fffff]\n",
		"t.log: no BIOS-e820 lines found: paste the 'BIOS-provided physical RAM map' part of the log");
	/* NULL text with length 0 is an empty log. */
	assert_int_equal(tdxsim_dmesg_import("t.log", NULL, 0, &p, diag),
			 -EINVAL);
	assert_null(p);
	assert_int_equal(tdxsim_diag_error_count(diag), 1);
	tdxsim_diag_free(diag);
}

static void
test_error_e820_lines(void **state)
{
	(void)state;
	expect_refused(
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"BIOS-e820: [mem 0xg000-0xffff] usable\n",
		"t.log:2:17: malformed start address");
	expect_refused(
		"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x00000000000ffzzz] usable\n",
		"t.log:1:66: expected ']' after the end address");
	expect_refused(
		"BIOS-e820: [mem 0x2000-0x1000] usable\n",
		"t.log:1:12: range ends before it starts (0x1000 < 0x2000)");
	expect_refused(
		"BIOS-e820: [mem 0x0-0xfff] bogus\n",
		"t.log:1:28: unknown E820 type 'bogus' (known: usable, System RAM, reserved, device reserved, ACPI data, ACPI NVS, unusable, persistent (type N), persistent RAM (type N), soft reserved, reserved kernel, type N)");
	expect_refused(
		"BIOS-e820: [mem 0x0-0xfff]\n",
		"t.log:1:27: missing E820 type after the range");
	expect_refused(
		"BIOS-e820: [mem 0x0-0x1ffffffffffffffff] usable\n",
		"t.log:1:21: end address does not fit in 64 bits");
}

/* A log is read up to the fixture bound and no further: one byte more is
 * refused before any line is looked at. */
static void
test_size_limit(void **state)
{
	static const char line[] = "BIOS-e820: [mem 0x0-0xfff] usable\n";
	size_t len = TDXSIM_FIXTURE_MAX_BYTES;
	char *text = malloc(len + 1);
	struct tdxsim_platform *p;
	struct tdxsim_diag *diag = tdxsim_diag_new();
	const char *message = "t.log: kernel log is larger than 16 MiB";

	(void)state;
	assert_non_null(text);
	memset(text, '\n', len + 1);
	memcpy(text, line, sizeof(line) - 1);
	assert_int_equal(tdxsim_dmesg_import("t.log", text, len, &p, diag), 0);
	tdxsim_platform_free(p);
	assert_int_equal(tdxsim_dmesg_import("t.log", text, len + 1, &p, diag), -EINVAL);
	assert_null(p);
	tdxsim_test_assert_diag(diag, &message, 1);
	tdxsim_diag_free(diag);
	free(text);
}

/* Every bad line is reported, not only the first. */
static void
test_error_all_reported(void **state)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p;

	(void)state;
	assert_int_equal(import(
		"BIOS-e820: [mem 0x2000-0x1000] usable\n"
		"BIOS-e820: [mem 0x0-0xfff] bogus\n"
		"virt/tdx: CMR: [0x100000 0x77800000)\n",
		&p, diag), -EINVAL);
	assert_null(p);
	assert_int_equal(tdxsim_diag_error_count(diag), 3);
	assert_int_equal(tdxsim_diag_line(diag, 0), 1);
	assert_int_equal(tdxsim_diag_line(diag, 1), 2);
	assert_int_equal(tdxsim_diag_line(diag, 2), 3);
	assert_int_equal(tdxsim_diag_column(diag, 2), 25);
	tdxsim_diag_free(diag);
}

static void
test_error_bad_arguments(void **state)
{
	struct tdxsim_platform *p = NULL;

	(void)state;
	assert_int_equal(tdxsim_dmesg_import("t.log", NULL, 5, &p, NULL),
			 -EINVAL);
	assert_int_equal(tdxsim_dmesg_import("t.log", "x", 1, NULL, NULL),
			 -EINVAL);
	/* No diagnostics list: the verdict alone. */
	assert_int_equal(tdxsim_dmesg_import("t.log", "x", 1, &p, NULL),
			 -EINVAL);
	assert_null(p);
}

/* ---- the real logs ---- */

static const uint64_t emr_cmrs[5][2] = {
	{ 0x100000, 0x6f800000 },
	{ 0x100000000, 0x107a000000 },
	{ 0x1080000000, 0x207c000000 },
	{ 0x2080000000, 0x307c000000 },
	{ 0x3080000000, 0x407c000000 },
};

static void
test_golden_emr(void **state)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p;

	(void)state;
	assert_int_equal(import_log("emr-kai-huang-v8.2.txt", &p, diag), 0);
	assert_int_equal(tdxsim_diag_count(diag), 0);
	assert_int_equal(tdxsim_platform_e820_count(p), 36);
	tdxsim_test_assert_e820(p, 0, 0x0, 0x9f000, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 3, 0x5d169000, 0x5d22b000, TDXSIM_E820_ACPI);
	tdxsim_test_assert_e820(p, 11, 0x5eb58000, 0x61358000, TDXSIM_E820_NVS);
	tdxsim_test_assert_e820(p, 34, 0x6f7ff000, 0x6f800000, TDXSIM_E820_RAM);
	tdxsim_test_assert_e820(p, 35, 0x6f800000,
				0x90000000, TDXSIM_E820_RESERVED);
	/* Entries follow each other without a gap up to the cut. */
	for (size_t i = 1; i < 36; i++)
		assert_int_equal(tdxsim_platform_e820_entry(p, i)->start,
				 tdxsim_platform_e820_entry(p, i - 1)->end);
	/* "......" after the last entry, nowhere else. */
	assert_int_equal(elision_mask(p), 1ULL << 36);
	assert_int_equal(tdxsim_platform_cmr_count(p), 5);
	for (size_t i = 0; i < 5; i++)
		tdxsim_test_assert_cmr(p, i, emr_cmrs[i][0], emr_cmrs[i][1]);
	assert_int_equal(tdxsim_platform_node_range_count(p), 0);
	assert_int_equal(tdxsim_platform_e820_spelling(p),
			 TDXSIM_E820_SPELLING_LEGACY);
	/* The changelog indents by two blanks: first entry on line 32. */
	assert_int_equal(p->e820[0].pos.line, 32);
	assert_int_equal(p->e820[0].pos.column, 14);
	assert_int_equal(p->cmrs[4].pos.line, 76);
	assert_int_equal(p->cmrs[4].pos.column, 18);
	assert_string_equal(p->input_name, "emr-kai-huang-v8.2.txt");
	tdxsim_platform_free(p);
	tdxsim_diag_free(diag);
}

static int
load_fixture(const char *relative, struct tdxsim_platform **out)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	char *path = tdxsim_test_source_path(relative);
	int ret;

	ret = tdxsim_platform_load_file(path, out, diag);
	if (ret < 0 && ret != -ENOSYS)
		fail_msg("%s: %s", path, tdxsim_diag_count(diag) ?
			 tdxsim_diag_message(diag, 0) : strerror(-ret));
	free(path);
	tdxsim_diag_free(diag);
	return ret;
}

/* The same memory map, item by item: E820, elisions (all, or all but the
 * one after the table), CMRs, node ranges. Entries b derived (a fixture's
 * e820-derived) are not in any log and are skipped; an elision before one
 * is the source's, before its next entry or at its end. */
static void
assert_same_map_but(const struct tdxsim_platform *a,
		    const struct tdxsim_platform *b, bool skip_tail_elision)
{
	size_t n = tdxsim_platform_e820_count(a);
	size_t nb = tdxsim_platform_e820_count(b), j = 0;
	int elided = 0;

	for (size_t i = 0; i <= nb; i++) {
		const struct tdxsim_e820_entry *e = tdxsim_platform_e820_entry(b, i);

		elided |= tdxsim_platform_e820_elided_before(b, i);
		if (i < nb && tdxsim_platform_e820_derived(b, i))
			continue;
		if (i < nb || !skip_tail_elision)
			assert_int_equal(tdxsim_platform_e820_elided_before(a, j),
					 elided);
		elided = 0;
		if (i < nb)
			tdxsim_test_assert_e820(a, j++, e->start, e->end, e->type);
	}
	assert_int_equal(j, n);
	assert_int_equal(tdxsim_platform_cmr_count(a),
			 tdxsim_platform_cmr_count(b));
	for (size_t i = 0; i < tdxsim_platform_cmr_count(b); i++) {
		const struct tdxsim_cmr *c = tdxsim_platform_cmr(b, i);

		tdxsim_test_assert_cmr(a, i, c->base, c->base + c->size);
	}
	assert_int_equal(tdxsim_platform_node_range_count(a),
			 tdxsim_platform_node_range_count(b));
	for (size_t i = 0; i < tdxsim_platform_node_range_count(b); i++) {
		const struct tdxsim_node_range *r = tdxsim_platform_node_range(b, i);

		tdxsim_test_assert_node(a, i, r->nid, r->start, r->end);
	}
	assert_int_equal(tdxsim_platform_e820_spelling(a),
			 tdxsim_platform_e820_spelling(b));
}

static void
assert_same_map(const struct tdxsim_platform *a,
		const struct tdxsim_platform *b)
{
	assert_same_map_but(a, b, false);
}

static void
test_golden_emr_matches_fixture(void **state)
{
	struct tdxsim_platform *imported, *fixture = NULL;

	(void)state;
	if (load_fixture("fixtures/platforms/emr-canonical-tdx-135.yaml",
			 &fixture) == -ENOSYS)
		skip();
	assert_int_equal(import_log("emr-kai-huang-v8.2.txt", &imported,
				    NULL), 0);
	/* 36 entries from the log, 4 derived from its CMRs. */
	assert_int_equal(tdxsim_platform_e820_count(fixture), 40);
	assert_same_map(imported, fixture);
	tdxsim_platform_free(imported);
	tdxsim_platform_free(fixture);
}

struct log_expect {
	const char *file;
	size_t e820;
	unsigned long long elisions;	/* elision_mask() */
	size_t cmrs;
	size_t nodes;
	size_t warnings;
	uint64_t first_start, last_end;	/* of the E820 entries given */
};

/* Counts from the logs' sources (fixtures/logs/README.md). A "..." right
 * after the table is recorded even where the source says its author cut
 * other lines
 * (Xeon D, Baoquan): the log alone cannot tell, and an elision only says
 * "maybe more". */
static const struct log_expect log_expects[] = {
	{ "emr-kai-huang-v8.2.txt", 36, 1ULL << 36, 5, 0, 0, 0x0, 0x90000000 },
	{ "archercity-spr.txt", 14, 0, 0, 0, 0, 0x0, 0x480000000 },
	{ "xeon-d-1712tr.txt", 16, 1ULL << 16, 0, 0, 0, 0x0, 0x480000000 },
	{ "baoquan-2node.txt", 12, 1ULL << 12, 0, 6, 0, 0x0, 0x680000000 },
	{ "td-guest-rocky.txt", 5, 1ULL << 5, 0, 13, 0, 0x0, 0x7d18f000 },
	{ "td-guest-q35-tail.txt", 4, 1ULL << 0, 0, 0, 1, 0x7e818000, 0x280000000 },
};

/*
 * The hand-made fixtures of fixtures/platforms hold the same tables as the
 * logs. Their authors read the spec's prose and took the Xeon D and
 * Baoquan tables as complete, where the importer can only see a "..."
 * right after the table: that one difference is pinned here.
 */
static const struct {
	const char *log;
	const char *fixture;
	bool tail_elision_differs;
} log_fixtures[] = {
	{ "emr-kai-huang-v8.2.txt", "emr-canonical-tdx-135.yaml", false },
	{ "archercity-spr.txt", "archercity-spr.yaml", false },
	{ "xeon-d-1712tr.txt", "xeon-d-1712tr.yaml", true },
	{ "baoquan-2node.txt", "baoquan-2node.yaml", true },
	{ "td-guest-rocky.txt", "td-guest-rocky.yaml", false },
	{ "td-guest-q35-tail.txt", "td-guest-q35-tail.yaml", false },
};

static void
test_logs_match_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(log_fixtures) / sizeof(log_fixtures[0]); i++) {
		struct tdxsim_platform *imported, *fixture = NULL;
		char rel[256];
		size_t n;

		snprintf(rel, sizeof(rel), "fixtures/platforms/%s",
			 log_fixtures[i].fixture);
		if (load_fixture(rel, &fixture) == -ENOSYS)
			skip();
		assert_int_equal(import_log(log_fixtures[i].log, &imported,
					    NULL), 0);
		assert_same_map_but(imported, fixture,
				    log_fixtures[i].tail_elision_differs);
		n = tdxsim_platform_e820_count(imported);
		if (log_fixtures[i].tail_elision_differs) {
			assert_true(tdxsim_platform_e820_elided_before(imported, n));
			assert_false(tdxsim_platform_e820_elided_before(fixture, n));
		}
		tdxsim_platform_free(imported);
		tdxsim_platform_free(fixture);
	}
}

static void
check_log(const struct log_expect *x)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p;
	size_t n;

	if (import_log(x->file, &p, diag) < 0)
		fail_msg("%s: %s", x->file, tdxsim_diag_message(diag, 0));
	n = tdxsim_platform_e820_count(p);
	if (n != x->e820)
		fail_msg("%s: %zu E820 entries, expected %zu", x->file, n, x->e820);
	assert_int_equal(elision_mask(p), x->elisions);
	assert_int_equal(tdxsim_platform_cmr_count(p), x->cmrs);
	assert_int_equal(tdxsim_platform_node_range_count(p), x->nodes);
	assert_int_equal(tdxsim_diag_count(diag), x->warnings);
	assert_int_equal(tdxsim_diag_error_count(diag), 0);
	assert_int_equal(tdxsim_platform_e820_entry(p, 0)->start, x->first_start);
	assert_int_equal(tdxsim_platform_e820_entry(p, n - 1)->end, x->last_end);
	assert_int_equal(tdxsim_platform_e820_spelling(p),
			 TDXSIM_E820_SPELLING_LEGACY);
	tdxsim_platform_free(p);
	tdxsim_diag_free(diag);
}

static void
test_all_logs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(log_expects) / sizeof(log_expects[0]); i++)
		check_log(&log_expects[i]);
}

static void
test_log_details(void **state)
{
	struct tdxsim_platform *p;

	(void)state;
	assert_int_equal(import_log("archercity-spr.txt", &p, NULL), 0);
	tdxsim_test_assert_e820(p, 10, 0x77800000,
				0x90000000, TDXSIM_E820_RESERVED);
	tdxsim_test_assert_e820(p, 11, 0xfe010000,
				0xfe011000, TDXSIM_E820_RESERVED);
	tdxsim_test_assert_e820(p, 13, GiB(4), 0x480000000, TDXSIM_E820_RAM);
	tdxsim_platform_free(p);

	assert_int_equal(import_log("baoquan-2node.txt", &p, NULL), 0);
	tdxsim_test_assert_node(p, 0, 0, 0x1000, 0x9c000);
	tdxsim_test_assert_node(p, 3, 0, GiB(4), GiB(10));
	tdxsim_test_assert_node(p, 4, 1, GiB(10), GiB(20));
	tdxsim_test_assert_node(p, 5, 1, 0x508000000, 0x67f200000);
	tdxsim_platform_free(p);

	assert_int_equal(import_log("td-guest-rocky.txt", &p, NULL), 0);
	tdxsim_test_assert_e820(p, 1, 0x80c000, 0x80d000, TDXSIM_E820_NVS);
	tdxsim_test_assert_node(p, 0, 0, 0x1000, 0xa0000);
	tdxsim_test_assert_node(p, 12, 0, GiB(4), GiB(6));
	tdxsim_platform_free(p);
}

/* The SPR host excerpt has no E820 table: alone it is refused; behind an
 * E820 line, its CMRs and module facts come through. */
static void
test_spr_host(void **state)
{
	static const char e820_line[] =
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n";
	struct tdxsim_diag *diag = tdxsim_diag_new();
	const struct tdxsim_module_profile *m;
	struct tdxsim_platform *p;
	size_t len;
	char *log = read_log("spr-host-tdx-linux-5.txt", &len);
	char *text = malloc(sizeof(e820_line) + len);

	(void)state;
	assert_int_equal(import_log("spr-host-tdx-linux-5.txt", &p, diag),
			 -EINVAL);
	assert_int_equal(tdxsim_diag_count(diag), 1);
	assert_string_equal(tdxsim_diag_message(diag, 0),
		"spr-host-tdx-linux-5.txt: no BIOS-e820 lines found: paste the 'BIOS-provided physical RAM map' part of the log");

	assert_non_null(text);
	memcpy(text, e820_line, sizeof(e820_line) - 1);
	memcpy(text + sizeof(e820_line) - 1, log, len);
	tdxsim_diag_clear(diag);
	assert_int_equal(tdxsim_dmesg_import("spr", text,
					     sizeof(e820_line) - 1 + len, &p,
					     diag), 0);
	assert_int_equal(tdxsim_diag_count(diag), 0);
	assert_int_equal(tdxsim_platform_cmr_count(p), 4);
	tdxsim_test_assert_cmr(p, 0, 0x100000, 0x77800000);
	tdxsim_test_assert_cmr(p, 1, GiB(4), 0x1ffe000000);
	tdxsim_test_assert_cmr(p, 2, 0x4000000000, 0x6000000000);
	tdxsim_test_assert_cmr(p, 3, 0x8000000000, 0x8080000000);
	m = tdxsim_platform_module_profile(p);
	assert_int_equal(m->major, 1);
	assert_int_equal(m->minor, 5);
	assert_int_equal(m->update, TDXSIM_VERSION_UNKNOWN);
	assert_int_equal(m->build_date, 20240129);
	assert_int_equal(m->build_num, 698);
	assert_int_equal(m->keyid_start, 32);
	assert_int_equal(m->keyid_end, 64);
	assert_true(p->profile_set[PROFILE_KEYIDS]);
	assert_int_equal(p->profile_pos[PROFILE_KEYIDS].line, 2);
	assert_int_equal(p->profile_pos[PROFILE_KEYIDS].column, 62);
	tdxsim_platform_free(p);
	tdxsim_diag_free(diag);
	free(text);
	free(log);
}

/* Once the validator, writer and loader exist: every imported log is a
 * valid platform, and writing then loading it gives the same map. */
static void
roundtrip_log(const char *file)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p, *back = NULL;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;
	int ret;

	assert_int_equal(import_log(file, &p, NULL), 0);
	assert_int_equal(tdxsim_platform_set_info(p, TDXSIM_INFO_NAME, "log"), 0);
	ret = tdxsim_platform_validate(p, diag);
	if (ret == -ENOSYS)
		goto out;
	if (ret < 0)
		fail_msg("%s does not validate: %s", file,
			 tdxsim_diag_message(diag, 0));
	f = open_memstream(&buf, &size);
	assert_non_null(f);
	ret = tdxsim_platform_write(p, f);
	assert_int_equal(fclose(f), 0);
	if (ret == -ENOSYS)
		goto out;
	assert_int_equal(ret, 0);
	ret = tdxsim_platform_load_buffer(file, buf, size, &back, diag);
	if (ret != -ENOSYS) {
		if (ret < 0)
			fail_msg("%s: written fixture does not load: %s\n%s",
				 file, tdxsim_diag_message(diag, 0), buf);
		assert_same_map(back, p);
		tdxsim_platform_free(back);
	}
out:
	free(buf);
	tdxsim_platform_free(p);
	tdxsim_diag_free(diag);
	if (ret == -ENOSYS)
		skip();
}

static void
test_logs_validate_and_roundtrip(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(log_expects) / sizeof(log_expects[0]); i++)
		roundtrip_log(log_expects[i].file);
}

/* A log can carry any bytes; what the importer keeps as text is made
 * UTF-8 (bytes that are not become '?'), so the fixture it writes loads. */
static void
test_invalid_utf8_in_dmi(void **state)
{
	static const char log[] =
		"DMI: Vendor \xff\xfe Board, BIOS 1.0\n"
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n";
	struct tdxsim_platform *p = NULL;

	(void)state;
	assert_int_equal(tdxsim_dmesg_import("log", log, sizeof(log) - 1, &p, NULL), 0);
	assert_string_equal(tdxsim_platform_info(p, TDXSIM_INFO_MACHINE),
			    "Vendor ?? Board, BIOS 1.0");
	tdxsim_platform_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_e820_plain),
		cmocka_unit_test(test_e820_timestamps),
		cmocka_unit_test(test_e820_modern_spelling),
		cmocka_unit_test(test_e820_mixed_spelling),
		cmocka_unit_test(test_e820_gap_and_size_column),
		cmocka_unit_test(test_e820_other_prefixes_ignored),
		cmocka_unit_test(test_length_bounded_and_crlf),
		cmocka_unit_test(test_elision_middle_and_end),
		cmocka_unit_test(test_elision_only_inside_table),
		cmocka_unit_test(test_elision_decorated),
		cmocka_unit_test(test_missing_head),
		cmocka_unit_test(test_cmr_forms),
		cmocka_unit_test(test_cmr_too_many),
		cmocka_unit_test(test_cmr_malformed),
		cmocka_unit_test(test_node_ranges),
		cmocka_unit_test(test_node_unaligned_refused),
		cmocka_unit_test(test_node_malformed),
		cmocka_unit_test(test_version_1x),
		cmocka_unit_test(test_version_2x),
		cmocka_unit_test(test_module_version_line),
		cmocka_unit_test(test_version_lines_combine),
		cmocka_unit_test(test_keyids),
		cmocka_unit_test(test_unreadable_module_line_warns),
		cmocka_unit_test(test_info_lines),
		cmocka_unit_test(test_info_single_node),
		cmocka_unit_test(test_info_topology_packages),
		cmocka_unit_test(test_quote_markers),
		cmocka_unit_test(test_every_log_form),
		cmocka_unit_test(test_boots),
		cmocka_unit_test(test_wrapped_e820_line),
		cmocka_unit_test(test_wrapped_cmr_node_lines),
		cmocka_unit_test(test_error_no_e820),
		cmocka_unit_test(test_error_e820_lines),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_error_all_reported),
		cmocka_unit_test(test_error_bad_arguments),
		cmocka_unit_test(test_golden_emr),
		cmocka_unit_test(test_golden_emr_matches_fixture),
		cmocka_unit_test(test_all_logs),
		cmocka_unit_test(test_log_details),
		cmocka_unit_test(test_logs_match_fixtures),
		cmocka_unit_test(test_spr_host),
		cmocka_unit_test(test_logs_validate_and_roundtrip),
		cmocka_unit_test(test_invalid_utf8_in_dmi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
