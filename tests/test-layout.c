/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of TDMR layouts (include/tdxsim/layout.h): the object, the
 * TDMR_INFO encoding against hand-made bytes, the YAML loader's refusals
 * by their exact "name:line:col: message" text, the write/load round trip,
 * and the EMR layout in fixtures/layouts/.
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

#define GIB (1ULL << 30)

/* The example of docs/fixture-format.md, "TDMR layouts". */
static const char example[] =
	"tdxsim-layout: 1\n"
	"global-keyid: 32          # optional, R8 of TDH.SYS.CONFIG\n"
	"tdmrs:\n"
	"  - base: 0x0\n"
	"    size: 0x80000000\n"
	"    pamt-4k: {base: 0x100000000, size: 0x800000}\n"
	"    pamt-2m: {base: 0x100800000, size: 0x4000}\n"
	"    pamt-1g: {base: 0x100804000, size: 0x1000}\n"
	"    reserved:\n"
	"      - {offset: 0x0, size: 0x100000}\n"
	"      - {offset: 0x6f800000, size: 0x10800000}\n";

/* The head of a one-TDMR layout, for refusal tests that add lines. */
#define ONE_TDMR \
	"tdxsim-layout: 1\n" \
	"tdmrs:\n" \
	"  - base: 0x0\n" \
	"    size: 0x40000000\n" \
	"    pamt-4k: {base: 0x0, size: 0x0}\n" \
	"    pamt-2m: {base: 0x0, size: 0x0}\n" \
	"    pamt-1g: {base: 0x0, size: 0x0}\n"

#define PAMTS \
	"    pamt-4k: {base: 0x0, size: 0x0}\n" \
	"    pamt-2m: {base: 0x0, size: 0x0}\n" \
	"    pamt-1g: {base: 0x0, size: 0x0}\n"

/* ---- helpers ------------------------------------------------------------ */

static struct tdxsim_layout *
load_ok(const char *text)
{
	struct tdxsim_diag *d = tdxsim_diag_new();
	struct tdxsim_layout *l = NULL;
	int ret;

	assert_non_null(d);
	ret = tdxsim_layout_load_buffer("l.yaml", text, strlen(text), &l, d);
	if (ret != 0 || tdxsim_diag_count(d) != 0) {
		print_message("load returned %d for:\n%s\n", ret, text);
		tdxsim_test_print_diag(d);
	}
	assert_int_equal(ret, 0);
	assert_int_equal(tdxsim_diag_count(d), 0);
	tdxsim_diag_free(d);
	return l;
}

static struct tdxsim_layout *
load_file_ok(const char *relative)
{
	char *path = tdxsim_test_source_path(relative);
	struct tdxsim_diag *d = tdxsim_diag_new();
	struct tdxsim_layout *l = NULL;
	int ret;

	assert_non_null(d);
	ret = tdxsim_layout_load_file(path, &l, d);
	if (ret != 0 || tdxsim_diag_count(d) != 0)
		tdxsim_test_print_diag(d);
	assert_int_equal(ret, 0);
	assert_int_equal(tdxsim_diag_count(d), 0);
	tdxsim_diag_free(d);
	free(path);
	return l;
}

/* Load text that must be refused with exactly these messages. */
static void
refused_n(const char *text, const char *const *want, size_t n)
{
	struct tdxsim_diag *d = tdxsim_diag_new();
	struct tdxsim_layout *l = (struct tdxsim_layout *)&l;	/* sentinel */
	bool same;
	int ret;

	assert_non_null(d);
	ret = tdxsim_layout_load_buffer("l.yaml", text, strlen(text), &l, d);
	same = ret == -EINVAL && tdxsim_test_diag_matches(d, want, n);
	if (!same) {
		print_message("load returned %d for:\n%s\n", ret, text);
		tdxsim_test_print_mismatch(d, want, n);
	}
	assert_true(same);
	/* A refused load leaves *out alone, and needs no diagnostics list. */
	assert_ptr_equal(l, (struct tdxsim_layout *)&l);
	assert_int_equal(tdxsim_layout_load_buffer("l.yaml", text, strlen(text),
						   &l, NULL), -EINVAL);
	tdxsim_diag_free(d);
}

#define REFUSED(text, ...) do { \
	const char *const want_[] = { __VA_ARGS__ }; \
	refused_n((text), want_, sizeof(want_) / sizeof(want_[0])); \
} while (0)

static char *
write_string(const struct tdxsim_layout *l)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	assert_int_equal(tdxsim_layout_write(l, f), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(buf);
	return buf;
}

static void
assert_same_tdmr(const struct tdxsim_tdmr *a, const struct tdxsim_tdmr *b)
{
	assert_int_equal(a->base, b->base);
	assert_int_equal(a->size, b->size);
	for (size_t level = 0; level < 3; level++) {
		assert_int_equal(a->pamt[level].base, b->pamt[level].base);
		assert_int_equal(a->pamt[level].size, b->pamt[level].size);
	}
	assert_int_equal(a->reserved_count, b->reserved_count);
	for (size_t k = 0; k < a->reserved_count; k++) {
		assert_int_equal(a->reserved[k].offset, b->reserved[k].offset);
		assert_int_equal(a->reserved[k].size, b->reserved[k].size);
	}
}

static void
assert_same_layout(const struct tdxsim_layout *a, const struct tdxsim_layout *b)
{
	assert_int_equal(tdxsim_layout_global_keyid(a),
			 tdxsim_layout_global_keyid(b));
	assert_int_equal(tdxsim_layout_tdmr_count(a), tdxsim_layout_tdmr_count(b));
	for (size_t i = 0; i < tdxsim_layout_tdmr_count(a); i++)
		assert_same_tdmr(tdxsim_layout_tdmr(a, i), tdxsim_layout_tdmr(b, i));
}

/* write(l) loads back equal to l, and writing that gives the same bytes. */
static void
assert_round_trip(const struct tdxsim_layout *l)
{
	char *first = write_string(l), *second;
	struct tdxsim_layout *back = load_ok(first);

	assert_same_layout(l, back);
	second = write_string(back);
	assert_string_equal(first, second);
	free(second);
	free(first);
	tdxsim_layout_free(back);
}

/* ---- the object ------------------------------------------------------------ */

static void
test_empty(void **state)
{
	struct tdxsim_layout *l = tdxsim_layout_new();

	(void)state;
	assert_non_null(l);
	assert_int_equal(tdxsim_layout_tdmr_count(l), 0);
	assert_null(tdxsim_layout_tdmr(l, 0));
	assert_int_equal(tdxsim_layout_global_keyid(l), 0);
	tdxsim_layout_free(l);
	tdxsim_layout_free(NULL);
}

static void
test_add_set_get(void **state)
{
	struct tdxsim_layout *l = tdxsim_layout_new();
	const struct tdxsim_tdmr *t;

	(void)state;
	assert_int_equal(tdxsim_layout_add_tdmr(l, 0, 2 * GIB), 0);
	assert_int_equal(tdxsim_layout_add_tdmr(l, 4 * GIB, 62 * GIB), 1);
	assert_int_equal(tdxsim_layout_set_pamt(l, 1, TDXSIM_PAMT_4K, 0x1000, 0x2000), 0);
	assert_int_equal(tdxsim_layout_set_pamt(l, 1, TDXSIM_PAMT_2M, 0x3000, 0x4000), 0);
	assert_int_equal(tdxsim_layout_set_pamt(l, 1, TDXSIM_PAMT_1G, 0x5000, 0x6000), 0);
	assert_int_equal(tdxsim_layout_add_reserved(l, 1, 0x0, 0x100000), 0);
	assert_int_equal(tdxsim_layout_add_reserved(l, 1, 0x0, 0x0), 0);
	tdxsim_layout_set_global_keyid(l, 32);

	assert_int_equal(tdxsim_layout_tdmr_count(l), 2);
	assert_int_equal(tdxsim_layout_global_keyid(l), 32);
	t = tdxsim_layout_tdmr(l, 0);
	assert_int_equal(t->base, 0);
	assert_int_equal(t->size, 2 * GIB);
	assert_int_equal(t->reserved_count, 0);
	assert_int_equal(t->pamt[TDXSIM_PAMT_4K].size, 0);
	t = tdxsim_layout_tdmr(l, 1);
	assert_int_equal(t->base, 4 * GIB);
	assert_int_equal(t->size, 62 * GIB);
	assert_int_equal(t->pamt[TDXSIM_PAMT_4K].base, 0x1000);
	assert_int_equal(t->pamt[TDXSIM_PAMT_4K].size, 0x2000);
	assert_int_equal(t->pamt[TDXSIM_PAMT_2M].base, 0x3000);
	assert_int_equal(t->pamt[TDXSIM_PAMT_2M].size, 0x4000);
	assert_int_equal(t->pamt[TDXSIM_PAMT_1G].base, 0x5000);
	assert_int_equal(t->pamt[TDXSIM_PAMT_1G].size, 0x6000);
	assert_int_equal(t->reserved_count, 2);
	assert_int_equal(t->reserved[0].size, 0x100000);
	/* A null slot is kept as given. */
	assert_int_equal(t->reserved[1].size, 0);
	assert_null(tdxsim_layout_tdmr(l, 2));
	tdxsim_layout_free(l);
}

static void
test_bad_index(void **state)
{
	struct tdxsim_layout *l = tdxsim_layout_new();

	(void)state;
	assert_int_equal(tdxsim_layout_set_pamt(l, 0, TDXSIM_PAMT_4K, 0, 0), -EINVAL);
	assert_int_equal(tdxsim_layout_add_reserved(l, 0, 0, 0x1000), -EINVAL);
	assert_int_equal(tdxsim_layout_add_tdmr(l, 0, GIB), 0);
	assert_int_equal(tdxsim_layout_set_pamt(l, 1, TDXSIM_PAMT_4K, 0, 0), -EINVAL);
	assert_int_equal(tdxsim_layout_set_pamt(l, 0, (enum tdxsim_pamt_level)3, 0, 0),
			 -EINVAL);
	assert_int_equal(tdxsim_layout_add_reserved(l, 1, 0, 0x1000), -EINVAL);
	assert_int_equal(tdxsim_layout_add_reserved(l, SIZE_MAX, 0, 0x1000), -EINVAL);
	assert_int_equal(tdxsim_layout_tdmr(l, 0)->reserved_count, 0);
	tdxsim_layout_free(l);
}

static void
test_slot_limit(void **state)
{
	struct tdxsim_layout *l = tdxsim_layout_new();

	(void)state;
	assert_int_equal(tdxsim_layout_add_tdmr(l, 0, GIB), 0);
	for (uint64_t k = 0; k < TDXSIM_MAX_RESERVED_SLOTS; k++)
		assert_int_equal(tdxsim_layout_add_reserved(l, 0, k * 0x1000, 0x1000), 0);
	assert_int_equal(tdxsim_layout_add_reserved(l, 0, 0, 0x1000), -ENOSPC);
	assert_int_equal(tdxsim_layout_tdmr(l, 0)->reserved_count,
			 TDXSIM_MAX_RESERVED_SLOTS);
	tdxsim_layout_free(l);
}

/* Views stay right while storage grows: re-fetched after every change. */
static void
test_storage_grows(void **state)
{
	struct tdxsim_layout *l = tdxsim_layout_new();

	(void)state;
	for (uint64_t i = 0; i < 100; i++) {
		assert_int_equal(tdxsim_layout_add_tdmr(l, i * GIB, GIB), (int)i);
		for (uint64_t k = 0; k <= i % 20; k++)
			assert_int_equal(tdxsim_layout_add_reserved(l, i, k << 12, i), 0);
	}
	for (uint64_t i = 0; i < 100; i++) {
		const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(l, i);

		assert_int_equal(t->base, i * GIB);
		assert_int_equal(t->reserved_count, i % 20 + 1);
		for (uint64_t k = 0; k <= i % 20; k++) {
			assert_int_equal(t->reserved[k].offset, k << 12);
			assert_int_equal(t->reserved[k].size, i);
		}
	}
	tdxsim_layout_free(l);
}

/* ---- TDMR_INFO encoding ------------------------------------------------------ */

/* TDMR 1 of the EMR layout with its first and last reserved areas; slot 1's
 * size is a full-width pattern so every byte's place shows. */
static struct tdxsim_layout *
golden_layout(void)
{
	struct tdxsim_layout *l = tdxsim_layout_new();

	assert_int_equal(tdxsim_layout_add_tdmr(l, 0x100000000, 0xf80000000), 0);
	tdxsim_layout_set_pamt(l, 0, TDXSIM_PAMT_4K, 0x100805000, 0xf800000);
	tdxsim_layout_set_pamt(l, 0, TDXSIM_PAMT_2M, 0x110005000, 0x7c000);
	tdxsim_layout_set_pamt(l, 0, TDXSIM_PAMT_1G, 0x110081000, 0x1000);
	tdxsim_layout_add_reserved(l, 0, 0x0, 0x805000);
	tdxsim_layout_add_reserved(l, 0, 0xf7a000000, 0x0807060504030201);
	return l;
}

/* The same entry, byte by byte, as the module reads it (TDMR_INFO_ENTRY:
 * Linux arch/x86/virt/vmx/tdx/tdx.h struct tdmr_info, intel/tdx-module
 * tdmr_info_entry_t). */
static const unsigned char golden[320] = {
	/* 0x00 TDMR_BASE 0x100000000 */
	[0x04] = 0x01,
	/* 0x08 TDMR_SIZE 0xf80000000 */
	[0x0b] = 0x80, [0x0c] = 0x0f,
	/* 0x10 PAMT_1G_BASE 0x110081000, 0x18 PAMT_1G_SIZE 0x1000 */
	[0x11] = 0x10, [0x12] = 0x08, [0x13] = 0x10, [0x14] = 0x01,
	[0x19] = 0x10,
	/* 0x20 PAMT_2M_BASE 0x110005000, 0x28 PAMT_2M_SIZE 0x7c000 */
	[0x21] = 0x50, [0x23] = 0x10, [0x24] = 0x01,
	[0x29] = 0xc0, [0x2a] = 0x07,
	/* 0x30 PAMT_4K_BASE 0x100805000, 0x38 PAMT_4K_SIZE 0xf800000 */
	[0x31] = 0x50, [0x32] = 0x80, [0x34] = 0x01,
	[0x3a] = 0x80, [0x3b] = 0x0f,
	/* 0x40 RSVD[0].OFFSET 0, 0x48 RSVD[0].SIZE 0x805000 */
	[0x49] = 0x50, [0x4a] = 0x80,
	/* 0x50 RSVD[1].OFFSET 0xf7a000000, 0x58 RSVD[1].SIZE 0x0807060504030201 */
	[0x53] = 0x7a, [0x54] = 0x0f,
	[0x58] = 0x01, [0x59] = 0x02, [0x5a] = 0x03, [0x5b] = 0x04,
	[0x5c] = 0x05, [0x5d] = 0x06, [0x5e] = 0x07, [0x5f] = 0x08,
	/* 0x60 .. 0x13f: RSVD[2..15], null */
};

static void
test_encode_golden(void **state)
{
	struct tdxsim_layout *l = golden_layout();
	unsigned char buf[512];

	(void)state;
	assert_int_equal(TDXSIM_TDMR_INFO_SIZE(16), 320);
	/* Slots not given must be written as zero, whatever was there. */
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(tdxsim_layout_encode_tdmr_info(tdxsim_layout_tdmr(l, 0),
							16, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, golden, sizeof(golden));
	/* Nothing past the entry is touched. */
	for (size_t i = 320; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xaa);
	tdxsim_layout_free(l);
}

static void
test_encode_exact_size(void **state)
{
	struct tdxsim_layout *l = golden_layout();
	unsigned char buf[TDXSIM_TDMR_INFO_SIZE(2)];

	(void)state;
	assert_int_equal(sizeof(buf), 96);
	assert_int_equal(tdxsim_layout_encode_tdmr_info(tdxsim_layout_tdmr(l, 0),
							2, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, golden, sizeof(buf));
	tdxsim_layout_free(l);
}

static void
test_encode_refusals(void **state)
{
	struct tdxsim_layout *l = golden_layout();
	const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(l, 0);
	unsigned char buf[TDXSIM_TDMR_INFO_SIZE(TDXSIM_MAX_RESERVED_SLOTS) + 16];

	(void)state;
	/* Fewer slots than the TDMR has areas. */
	assert_int_equal(tdxsim_layout_encode_tdmr_info(t, 1, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(tdxsim_layout_encode_tdmr_info(t, 0, buf, sizeof(buf)), -EINVAL);
	/* More slots than tdxsim models. */
	assert_int_equal(tdxsim_layout_encode_tdmr_info(t, TDXSIM_MAX_RESERVED_SLOTS + 1,
							buf, sizeof(buf)), -EINVAL);
	assert_int_equal(tdxsim_layout_encode_tdmr_info(t, TDXSIM_MAX_RESERVED_SLOTS,
							buf, sizeof(buf)), 0);
	/* A buffer one byte short. */
	assert_int_equal(tdxsim_layout_encode_tdmr_info(t, 16, buf, 319), -ENOSPC);
	assert_int_equal(tdxsim_layout_encode_tdmr_info(t, 2, buf, 95), -ENOSPC);
	assert_int_equal(tdxsim_layout_encode_tdmr_info(NULL, 16, buf, sizeof(buf)),
			 -EINVAL);
	tdxsim_layout_free(l);
}

/* ---- loader: accepted ---------------------------------------------------------- */

static void
test_load_example(void **state)
{
	struct tdxsim_layout *l = load_ok(example);
	const struct tdxsim_tdmr *t;

	(void)state;
	assert_int_equal(tdxsim_layout_global_keyid(l), 32);
	assert_int_equal(tdxsim_layout_tdmr_count(l), 1);
	t = tdxsim_layout_tdmr(l, 0);
	assert_int_equal(t->base, 0);
	assert_int_equal(t->size, 0x80000000);
	assert_int_equal(t->pamt[TDXSIM_PAMT_4K].base, 0x100000000);
	assert_int_equal(t->pamt[TDXSIM_PAMT_4K].size, 0x800000);
	assert_int_equal(t->pamt[TDXSIM_PAMT_2M].base, 0x100800000);
	assert_int_equal(t->pamt[TDXSIM_PAMT_2M].size, 0x4000);
	assert_int_equal(t->pamt[TDXSIM_PAMT_1G].base, 0x100804000);
	assert_int_equal(t->pamt[TDXSIM_PAMT_1G].size, 0x1000);
	assert_int_equal(t->reserved_count, 2);
	assert_int_equal(t->reserved[0].offset, 0);
	assert_int_equal(t->reserved[0].size, 0x100000);
	assert_int_equal(t->reserved[1].offset, 0x6f800000);
	assert_int_equal(t->reserved[1].size, 0x10800000);
	tdxsim_layout_free(l);
}

/* Keys in any order, block style, decimal and quoted numbers, the range
 * form of a reserved area (absolute, before 'base' is read), no keyid. */
static void
test_load_other_forms(void **state)
{
	struct tdxsim_layout *l = load_ok(
		"tdmrs:\n"
		"- reserved:\n"
		"  - \"[0x46f800000, 0x480000000)\"\n"
		"  - offset: 4096\n"
		"    size: '0x2000'\n"
		"  - \"[0x480000000, 0x480000000)\"\n"
		"  pamt-1g: {size: 1, base: 2}\n"
		"  pamt-2m:\n"
		"    base: 3\n"
		"    size: 4\n"
		"  pamt-4k: {base: 5, size: 6}\n"
		"  size: 0x40000000\n"
		"  base: 0x440000000\n"
		"- {base: 0, size: 0, pamt-4k: {base: 0, size: 0}, pamt-2m: {base: 0, size: 0}, pamt-1g: {base: 0, size: 0x0}}\n"
		"tdxsim-layout: 1\n");
	const struct tdxsim_tdmr *t;

	(void)state;
	assert_int_equal(tdxsim_layout_global_keyid(l), 0);
	assert_int_equal(tdxsim_layout_tdmr_count(l), 2);
	t = tdxsim_layout_tdmr(l, 0);
	assert_int_equal(t->base, 0x440000000);
	assert_int_equal(t->pamt[TDXSIM_PAMT_1G].base, 2);
	assert_int_equal(t->pamt[TDXSIM_PAMT_1G].size, 1);
	assert_int_equal(t->pamt[TDXSIM_PAMT_2M].base, 3);
	assert_int_equal(t->pamt[TDXSIM_PAMT_4K].size, 6);
	assert_int_equal(t->reserved_count, 3);
	assert_int_equal(t->reserved[0].offset, 0x2f800000);
	assert_int_equal(t->reserved[0].size, 0x10800000);
	assert_int_equal(t->reserved[1].offset, 0x1000);
	assert_int_equal(t->reserved[1].size, 0x2000);
	/* An empty range is a null slot. */
	assert_int_equal(t->reserved[2].offset, 0x40000000);
	assert_int_equal(t->reserved[2].size, 0);
	assert_int_equal(tdxsim_layout_tdmr(l, 1)->reserved_count, 0);
	tdxsim_layout_free(l);
}

static void
test_load_no_tdmrs(void **state)
{
	struct tdxsim_layout *l = load_ok("tdxsim-layout: 1\ntdmrs: []\n");

	(void)state;
	assert_int_equal(tdxsim_layout_tdmr_count(l), 0);
	tdxsim_layout_free(l);
}

/* The range form also takes dmesg's inclusive "[mem A-B]". */
static void
test_load_inclusive_range(void **state)
{
	struct tdxsim_layout *l = load_ok(ONE_TDMR
		"    reserved: [\"[mem 0x1000-0x2fff]\", '[0x3000, 0x4000)']\n");
	const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(l, 0);

	(void)state;
	assert_int_equal(t->reserved_count, 2);
	assert_int_equal(t->reserved[0].offset, 0x1000);
	assert_int_equal(t->reserved[0].size, 0x2000);
	assert_int_equal(t->reserved[1].offset, 0x3000);
	assert_int_equal(t->reserved[1].size, 0x1000);
	tdxsim_layout_free(l);
}

/* Values are not judged: an impossible layout loads as it is. */
static void
test_load_does_not_judge(void **state)
{
	struct tdxsim_layout *l = load_ok(
		"tdxsim-layout: 1\n"
		"global-keyid: 4294967295\n"
		"tdmrs:\n"
		"  - base: 0xffffffffffffffff\n"
		"    size: 0x123\n"
		"    pamt-4k: {base: 0x1, size: 0x0}\n"
		"    pamt-2m: {base: 0x1, size: 0x0}\n"
		"    pamt-1g: {base: 0x1, size: 18446744073709551615}\n"
		"    reserved:\n"
		"      - {offset: 0x0, size: 0x0}\n"
		"      - {offset: 0x5000, size: 0x1}\n"
		"      - {offset: 0x1000, size: 0xffffffffffffffff}\n"
		"  - {base: 0, size: 0, pamt-4k: {base: 0, size: 0}, pamt-2m: {base: 0, size: 0}, pamt-1g: {base: 0, size: 0}}\n");

	(void)state;
	assert_int_equal(tdxsim_layout_global_keyid(l), 4294967295u);
	assert_int_equal(tdxsim_layout_tdmr(l, 0)->base, UINT64_MAX);
	assert_int_equal(tdxsim_layout_tdmr(l, 0)->pamt[TDXSIM_PAMT_1G].size, UINT64_MAX);
	assert_int_equal(tdxsim_layout_tdmr(l, 0)->reserved_count, 3);
	assert_int_equal(tdxsim_layout_tdmr(l, 0)->reserved[2].size, UINT64_MAX);
	tdxsim_layout_free(l);
}

/* ---- loader: refused ------------------------------------------------------------ */

static void
test_refuse_unknown_key(void **state)
{
	(void)state;
	REFUSED("tdxsim-layout: 1\ntdmr: []\n",
		"l.yaml:2:1: unknown key 'tdmr' in the layout (known: tdxsim-layout, global-keyid, tdmrs); did you mean 'tdmrs'?",
		"l.yaml:1:1: missing key 'tdmrs' in the layout");
	REFUSED(ONE_TDMR "    end: 0x40000000\n",
		"l.yaml:8:5: unknown key 'end' in TDMR 0 (known: base, size, pamt-4k, pamt-2m, pamt-1g, reserved)");
	REFUSED(ONE_TDMR "    reserved:\n      - {offset: 0, size: 0, nid: 1}\n",
		"l.yaml:9:30: unknown key 'nid' in reserved area 0 of TDMR 0 (known: offset, size)");
	REFUSED("tdxsim-layout: 1\ntdmrs:\n  - base: 0\n    size: 0\n"
		"    pamt-4k: {base: 0, size: 0, align: 0}\n"
		"    pamt-2m: {base: 0, size: 0}\n    pamt-1g: {base: 0, size: 0}\n",
		"l.yaml:5:33: unknown key 'align' in 'pamt-4k' of TDMR 0 (known: base, size)");
}

static void
test_refuse_missing(void **state)
{
	(void)state;
	REFUSED("tdxsim-layout: 1\ntdmrs:\n  - base: 0x0\n" PAMTS,
		"l.yaml:3:5: missing key 'size' in TDMR 0");
	REFUSED("tdxsim-layout: 1\ntdmrs:\n  - base: 0x0\n    size: 0x0\n"
		"    pamt-4k: {base: 0x0, size: 0x0}\n"
		"    pamt-1g: {base: 0x0}\n",
		"l.yaml:6:14: missing key 'size' in 'pamt-1g' of TDMR 0",
		"l.yaml:3:5: missing key 'pamt-2m' in TDMR 0");
	REFUSED(ONE_TDMR "    reserved:\n      - {offset: 0x0}\n      - size: 0x1000\n",
		"l.yaml:9:9: missing key 'size' in reserved area 0 of TDMR 0",
		"l.yaml:10:9: missing key 'offset' in reserved area 1 of TDMR 0");
	REFUSED("tdmrs: []\n",
		"l.yaml:1:1: missing key 'tdxsim-layout' in the layout");
	REFUSED("# nothing\n",
		"l.yaml:1:1: empty layout: expected a mapping starting with 'tdxsim-layout: 1'");
}

static void
test_refuse_numbers(void **state)
{
	(void)state;
	REFUSED("tdxsim-layout: 1\ntdmrs:\n  - base: 0x0\n    size: 2G\n" PAMTS,
		"l.yaml:4:11: malformed number '2G' for 'size' (write decimal or 0x hex)");
	REFUSED("tdxsim-layout: 1\ntdmrs:\n  - base: -1\n    size: 0\n" PAMTS,
		"l.yaml:3:11: malformed number '-1' for 'base' (write decimal or 0x hex)");
	REFUSED(ONE_TDMR "    reserved:\n      - {offset: \"0x10000000000000000\", size: 0x0}\n",
		"l.yaml:9:19: 'offset' value 0x10000000000000000 does not fit 64 bits");
	REFUSED(ONE_TDMR "    reserved:\n      - {offset: 0x0, size: }\n",
		"l.yaml:9:29: malformed number '' for 'size' (write decimal or 0x hex)");
	REFUSED("tdxsim-layout: 1\nglobal-keyid: 4294967296\ntdmrs: []\n",
		"l.yaml:2:15: 'global-keyid' value 4294967296 is larger than 4294967295");
	REFUSED("tdxsim-layout: 2\ntdmrs: []\n",
		"l.yaml:1:16: unsupported layout format '2' (this tdxsim reads format 1)");
}

static void
test_refuse_too_many_slots(void **state)
{
	char text[8192];
	size_t len;
	char want[160];
	const char *const wants[] = { want };

	(void)state;
	len = (size_t)snprintf(text, sizeof(text), "%s    reserved:\n", ONE_TDMR);
	for (int k = 0; k <= TDXSIM_MAX_RESERVED_SLOTS; k++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"      - {offset: 0x%x, size: 0x1000}\n",
					k * 0x1000);
	assert_true(len < sizeof(text));
	/* Slot 65 is on line 9 + 64. */
	snprintf(want, sizeof(want),
		 "l.yaml:%d:9: TDMR 0 has more than 64 reserved areas (tdxsim models at most 64)",
		 9 + TDXSIM_MAX_RESERVED_SLOTS);
	refused_n(text, wants, 1);
}

static void
test_refuse_wrong_kinds(void **state)
{
	(void)state;
	REFUSED("tdxsim-layout: 1\ntdmrs: {base: 0}\n",
		"l.yaml:2:8: 'tdmrs' must be a list, not a mapping");
	REFUSED("- tdxsim-layout: 1\n",
		"l.yaml:1:1: the layout must be a mapping, not a list");
	REFUSED("tdxsim-layout: 1\ntdmrs:\n  - 0x0\n",
		"l.yaml:3:5: TDMR 0 must be a mapping, not a scalar");
	REFUSED("tdxsim-layout: 1\ntdmrs:\n  - base: [0]\n    size: 0\n" PAMTS,
		"l.yaml:3:11: 'base' must be a single value, not a list");
	REFUSED("tdxsim-layout: 1\ntdmrs:\n  - base: 0\n    size: 0\n"
		"    pamt-4k: [0x0, 0x0]\n"
		"    pamt-2m: {base: 0, size: 0}\n    pamt-1g: {base: 0, size: 0}\n",
		"l.yaml:5:14: 'pamt-4k' of TDMR 0 must be a mapping, not a list");
	REFUSED(ONE_TDMR "    reserved: {offset: 0, size: 0}\n",
		"l.yaml:8:15: 'reserved' of TDMR 0 must be a list, not a mapping");
	REFUSED(ONE_TDMR "    reserved:\n      - [0x0, 0x1000]\n",
		"l.yaml:9:9: reserved area 0 of TDMR 0 must be {offset: ..., size: ...} or \"[start, end)\", not a list");
	REFUSED(ONE_TDMR "    reserved:\n",
		"l.yaml:8:14: 'reserved' of TDMR 0 must be a list, not a scalar");
	REFUSED("tdxsim-layout: 1\n? [a]\n: 1\ntdmrs: []\n",
		"l.yaml:2:3: keys in the layout must be words, not a list");
}

static void
test_refuse_duplicate_key(void **state)
{
	(void)state;
	REFUSED(ONE_TDMR "    size: 0x80000000\n",
		"l.yaml:8:5: duplicate key 'size' in TDMR 0 (first on line 4)");
	REFUSED("tdxsim-layout: 1\ntdxsim-layout: 1\ntdmrs: []\n",
		"l.yaml:2:1: duplicate key 'tdxsim-layout' in the layout (first on line 1)");
}

static void
test_refuse_ranges(void **state)
{
	(void)state;
	/* An offset cannot be negative. */
	REFUSED("tdxsim-layout: 1\ntdmrs:\n  - base: 0x40000000\n    size: 0x40000000\n" PAMTS
		"    reserved: [\"[0x3ffff000, 0x40001000)\"]\n",
		"l.yaml:8:17: reserved area [0x3ffff000, 0x40001000) starts below the TDMR base 0x40000000 (an offset cannot be negative)");
	REFUSED(ONE_TDMR "    reserved: [\"[0x1000, 0x2000) x\"]\n",
		"l.yaml:8:17: a reserved area written as a range must be only \"[start, end)\"");
	/* The range scanner's own words, at the offending byte. */
	REFUSED(ONE_TDMR "    reserved: [\"[0x2000, 0x1000)\"]\n",
		"l.yaml:8:17: range ends before it starts (0x1000 < 0x2000)");
}

static void
test_refuse_reports_all(void **state)
{
	(void)state;
	REFUSED("tdxsim-layout: 1\ntdmrs:\n"
		"  - base: x\n    size: 0\n" PAMTS
		"  - base: 0\n    size: y\n" PAMTS,
		"l.yaml:3:11: malformed number 'x' for 'base' (write decimal or 0x hex)",
		"l.yaml:9:11: malformed number 'y' for 'size' (write decimal or 0x hex)");
}

static void
test_load_file_errors(void **state)
{
	struct tdxsim_diag *d = tdxsim_diag_new();
	struct tdxsim_layout *l = NULL;

	(void)state;
	assert_int_equal(tdxsim_layout_load_file("/nonexistent/l.yaml", &l, d),
			 -ENOENT);
	assert_null(l);
	assert_int_equal(tdxsim_diag_error_count(d), 1);
	assert_string_equal(tdxsim_diag_message(d, 0),
			    "/nonexistent/l.yaml: cannot read: No such file or directory");
	tdxsim_diag_free(d);
}

/* ---- writer ------------------------------------------------------------------ */

static void
test_write_shape(void **state)
{
	struct tdxsim_layout *l = load_ok(example);
	char *text = write_string(l);

	(void)state;
	/* The example without its comment is exactly what the writer emits. */
	assert_string_equal(text,
		"tdxsim-layout: 1\n"
		"global-keyid: 32\n"
		"tdmrs:\n"
		"  - base: 0x0\n"
		"    size: 0x80000000\n"
		"    pamt-4k: {base: 0x100000000, size: 0x800000}\n"
		"    pamt-2m: {base: 0x100800000, size: 0x4000}\n"
		"    pamt-1g: {base: 0x100804000, size: 0x1000}\n"
		"    reserved:\n"
		"      - {offset: 0x0, size: 0x100000}\n"
		"      - {offset: 0x6f800000, size: 0x10800000}\n");
	free(text);
	tdxsim_layout_free(l);
}

static void
test_round_trip(void **state)
{
	struct tdxsim_layout *l = tdxsim_layout_new();
	char *text;

	(void)state;
	/* No TDMRs at all. */
	text = write_string(l);
	assert_string_equal(text, "tdxsim-layout: 1\ntdmrs: []\n");
	free(text);
	assert_round_trip(l);

	tdxsim_layout_set_global_keyid(l, 4294967295u);
	tdxsim_layout_add_tdmr(l, UINT64_MAX, 0);
	tdxsim_layout_set_pamt(l, 0, TDXSIM_PAMT_2M, UINT64_MAX, 1);
	tdxsim_layout_add_tdmr(l, 0, GIB);
	tdxsim_layout_add_reserved(l, 1, 0x1000, 0);
	tdxsim_layout_add_reserved(l, 1, UINT64_MAX, UINT64_MAX);
	for (uint64_t k = 0; k < TDXSIM_MAX_RESERVED_SLOTS - 2; k++)
		tdxsim_layout_add_reserved(l, 1, k, k);
	assert_round_trip(l);
	tdxsim_layout_free(l);
}

static void
test_write_error(void **state)
{
	struct tdxsim_layout *l = load_ok(example);
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (!f) {
		tdxsim_layout_free(l);
		skip();
	}
	assert_int_equal(tdxsim_layout_write(l, f), -ENOSPC);
	fclose(f);
	tdxsim_layout_free(l);
}

/* ---- fixtures/layouts ---------------------------------------------------------- */

static void
test_emr_layout(void **state)
{
	static const uint64_t bases[] = { 0, 4 * GIB, 66 * GIB, 130 * GIB, 194 * GIB };
	static const uint64_t ends[] = { 2 * GIB, 66 * GIB, 130 * GIB, 194 * GIB, 258 * GIB };
	struct tdxsim_layout *l = load_file_ok("fixtures/layouts/emr-cmr-layout.yaml");
	uint64_t pamt = 0;

	(void)state;
	assert_int_equal(tdxsim_layout_tdmr_count(l), 5);
	assert_int_equal(tdxsim_layout_global_keyid(l), 32);
	for (size_t i = 0; i < 5; i++) {
		const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(l, i);

		assert_int_equal(t->base, bases[i]);
		assert_int_equal(t->base + t->size, ends[i]);
		for (size_t level = 0; level < 3; level++)
			pamt += t->pamt[level].size;
		/* Sorted, not overlapping, inside the TDMR; at most 16. */
		assert_true(t->reserved_count <= 16);
		for (size_t k = 0; k < t->reserved_count; k++) {
			const struct tdxsim_reserved_area *a = &t->reserved[k];

			assert_true(a->size > 0);
			assert_true(a->offset + a->size <= t->size);
			if (k > 0)
				assert_true(a->offset >= a[-1].offset + a[-1].size);
		}
	}
	/* The canonical/tdx README: "1050644 KB allocated for PAMT". */
	assert_int_equal(pamt % 1024, 0);
	assert_int_equal(pamt / 1024, 1050644);
	tdxsim_layout_free(l);
}

/* The fixture is written in the writer's own shape, below its comments. */
static void
test_emr_layout_is_canonical(void **state)
{
	struct tdxsim_layout *l = load_file_ok("fixtures/layouts/emr-cmr-layout.yaml");
	char *path = tdxsim_test_source_path("fixtures/layouts/emr-cmr-layout.yaml");
	size_t len;
	char *file = tdxsim_test_read_file(path, &len);
	const char *body = file;
	char *text = write_string(l);

	(void)state;
	while (body[0] == '#')
		body = strchr(body, '\n') + 1;
	assert_string_equal(text, body);
	assert_round_trip(l);
	free(text);
	free(file);
	free(path);
	tdxsim_layout_free(l);
}

/* The demos load (their faults are for the module) and say what it returns. */
static void
test_demo_layouts(void **state)
{
	static const char *const demos[] = {
		"fixtures/layouts/emr-pamt-too-small.yaml",
		"fixtures/layouts/emr-tdmr-unaligned.yaml",
		"fixtures/layouts/emr-reserved-unsorted.yaml",
		"fixtures/layouts/emr-tdmr-outside-cmrs.yaml",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(demos) / sizeof(demos[0]); i++) {
		struct tdxsim_layout *l = load_file_ok(demos[i]);
		char *path = tdxsim_test_source_path(demos[i]);
		size_t len;
		char *file = tdxsim_test_read_file(path, &len);

		assert_int_equal(strncmp(file, "# expect: TDX_", 14), 0);
		assert_int_equal(tdxsim_layout_tdmr_count(l), 5);
		free(file);
		free(path);
		tdxsim_layout_free(l);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_add_set_get),
		cmocka_unit_test(test_bad_index),
		cmocka_unit_test(test_slot_limit),
		cmocka_unit_test(test_storage_grows),
		cmocka_unit_test(test_encode_golden),
		cmocka_unit_test(test_encode_exact_size),
		cmocka_unit_test(test_encode_refusals),
		cmocka_unit_test(test_load_example),
		cmocka_unit_test(test_load_other_forms),
		cmocka_unit_test(test_load_no_tdmrs),
		cmocka_unit_test(test_load_inclusive_range),
		cmocka_unit_test(test_load_does_not_judge),
		cmocka_unit_test(test_refuse_unknown_key),
		cmocka_unit_test(test_refuse_missing),
		cmocka_unit_test(test_refuse_numbers),
		cmocka_unit_test(test_refuse_too_many_slots),
		cmocka_unit_test(test_refuse_wrong_kinds),
		cmocka_unit_test(test_refuse_duplicate_key),
		cmocka_unit_test(test_refuse_ranges),
		cmocka_unit_test(test_refuse_reports_all),
		cmocka_unit_test(test_load_file_errors),
		cmocka_unit_test(test_write_shape),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_emr_layout),
		cmocka_unit_test(test_emr_layout_is_canonical),
		cmocka_unit_test(test_demo_layouts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
