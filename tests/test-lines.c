/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the strict number scanners (lib/util/parse.h), the
 * one-line parsers shared by fixtures and dmesg (lib/platform/lines.h) and
 * the public E820 type names (include/tdxsim/platform.h).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <tdxsim/platform.h>

#include "lines.h"
#include "parse.h"
#include "range.h"

#define MAX64 UINT64_MAX

/* ---- tdxsim_parse_u64 / tdxsim_parse_hex_u64 ---------------------------- */

static int
parse(const char *s, uint64_t *out)
{
	return tdxsim_parse_u64(s, strlen(s), out);
}

static void
expect_u64(const char *s, uint64_t want)
{
	uint64_t got = 0xbad;
	int ret = parse(s, &got);

	if (ret != 0 || got != want)
		print_message("'%s': ret %d value 0x%" PRIx64 "\n", s, ret, got);
	assert_int_equal(ret, 0);
	assert_true(got == want);
}

static void
expect_u64_error(const char *s, int err)
{
	uint64_t got;
	int ret = parse(s, &got);

	if (ret != err)
		print_message("'%s': ret %d, want %d\n", s, ret, err);
	assert_int_equal(ret, err);
}

static void
test_parse_u64_good(void **state)
{
	(void)state;
	expect_u64("0", 0);
	expect_u64("7", 7);
	expect_u64("4096", 4096);
	/* Leading zeros are decimal, never octal. */
	expect_u64("010", 10);
	expect_u64("0x0", 0);
	expect_u64("0x10", 16);
	expect_u64("0XfF", 255);
	expect_u64("0xDeadBeef", 0xdeadbeef);
	expect_u64("18446744073709551615", MAX64);
	expect_u64("0xffffffffffffffff", MAX64);
	expect_u64("0xFFFFFFFFFFFFFFFF", MAX64);
	/* Leading zeros do not count towards overflow. */
	expect_u64("0x00000000000000000000000000000001", 1);
	expect_u64("000000000000000000000000000000000042", 42);
}

static void
test_parse_u64_errors(void **state)
{
	(void)state;
	/* One past the top, and far past it. */
	expect_u64_error("18446744073709551616", -ERANGE);
	expect_u64_error("18446744073709551620", -ERANGE);
	expect_u64_error("99999999999999999999999", -ERANGE);
	expect_u64_error("0x10000000000000000", -ERANGE);
	expect_u64_error("0x1ffffffffffffffff", -ERANGE);

	expect_u64_error("", -EINVAL);
	expect_u64_error("0x", -EINVAL);
	expect_u64_error("0X", -EINVAL);
	expect_u64_error("x10", -EINVAL);
	expect_u64_error("ff", -EINVAL);
	expect_u64_error("12a", -EINVAL);
	expect_u64_error("0x1g", -EINVAL);
	expect_u64_error("0x0x1", -EINVAL);
	expect_u64_error("-1", -EINVAL);
	expect_u64_error("+1", -EINVAL);
	expect_u64_error(" 1", -EINVAL);
	expect_u64_error("1 ", -EINVAL);
	expect_u64_error("1\n", -EINVAL);
	expect_u64_error("1_000", -EINVAL);
	expect_u64_error("1.5", -EINVAL);
	/* Malformed wins over too big: the text is not a number at all. */
	expect_u64_error("99999999999999999999999x", -EINVAL);
}

static void
test_parse_u64_length(void **state)
{
	/* Not NUL-terminated: only len bytes may be read. */
	const char digits[3] = { '1', '2', '3' };
	const char hex[4] = { '0', 'x', '1', 'f' };
	uint64_t v = 0;

	(void)state;
	assert_int_equal(tdxsim_parse_u64(digits, sizeof(digits), &v), 0);
	assert_true(v == 123);
	assert_int_equal(tdxsim_parse_u64(digits, 2, &v), 0);
	assert_true(v == 12);
	assert_int_equal(tdxsim_parse_u64(hex, sizeof(hex), &v), 0);
	assert_true(v == 0x1f);
	/* "0" alone, and "0x" alone. */
	assert_int_equal(tdxsim_parse_u64(hex, 1, &v), 0);
	assert_true(v == 0);
	assert_int_equal(tdxsim_parse_u64(hex, 2, &v), -EINVAL);
	assert_int_equal(tdxsim_parse_u64("12junk", 2, &v), 0);
	assert_true(v == 12);
	assert_int_equal(tdxsim_parse_u64(digits, 0, &v), -EINVAL);
}

static void
test_parse_hex_u64(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(tdxsim_parse_hex_u64("0134fed5", 8, &v), 0);
	assert_true(v == 0x0134fed5);
	assert_int_equal(tdxsim_parse_hex_u64("FFFFFFFFFFFFFFFF", 16, &v), 0);
	assert_true(v == MAX64);
	assert_int_equal(tdxsim_parse_hex_u64("10", 2, &v), 0);
	assert_true(v == 0x10);
	assert_int_equal(tdxsim_parse_hex_u64("10000000000000000", 17, &v),
			 -ERANGE);
	assert_int_equal(tdxsim_parse_hex_u64("", 0, &v), -EINVAL);
	/* A bare hex number: no prefix allowed. */
	assert_int_equal(tdxsim_parse_hex_u64("0x12", 4, &v), -EINVAL);
	assert_int_equal(tdxsim_parse_hex_u64("12g", 3, &v), -EINVAL);
	assert_int_equal(tdxsim_parse_hex_u64(" 12", 3, &v), -EINVAL);
}

/* ---- the scan cursor ------------------------------------------------------ */

static void
test_scan_literal_space(void **state)
{
	const char *s = " \t\r mem 0x1";
	struct tdxsim_scan sc;

	(void)state;
	tdxsim_scan_init(&sc, s, strlen(s));
	assert_false(tdxsim_scan_at_end(&sc));
	assert_false(tdxsim_scan_literal(&sc, "mem"));
	assert_int_equal(tdxsim_scan_offset(&sc, s), 0);
	tdxsim_scan_skip_space(&sc);
	assert_int_equal(tdxsim_scan_offset(&sc, s), 4);
	/* Mismatch and overlong literals leave the cursor alone. */
	assert_false(tdxsim_scan_literal(&sc, "meme"));
	assert_false(tdxsim_scan_literal(&sc, "mem 0x1 and more"));
	assert_int_equal(tdxsim_scan_offset(&sc, s), 4);
	assert_true(tdxsim_scan_literal(&sc, "mem "));
	assert_int_equal(tdxsim_scan_offset(&sc, s), 8);
	assert_true(tdxsim_scan_literal(&sc, "0x1"));
	assert_true(tdxsim_scan_at_end(&sc));
	assert_true(tdxsim_scan_literal(&sc, ""));
	tdxsim_scan_skip_space(&sc);
	assert_true(tdxsim_scan_at_end(&sc));

	/* A newline is not a blank. */
	s = "\nx";
	tdxsim_scan_init(&sc, s, 2);
	tdxsim_scan_skip_space(&sc);
	assert_int_equal(tdxsim_scan_offset(&sc, s), 0);
	assert_true(tdxsim_scan_literal(&sc, "\n"));

	/* The cursor honours len, not NUL. */
	tdxsim_scan_init(&sc, "abc", 2);
	assert_false(tdxsim_scan_literal(&sc, "abc"));
	assert_true(tdxsim_scan_literal(&sc, "ab"));
	assert_true(tdxsim_scan_at_end(&sc));
}

static void
test_scan_numbers(void **state)
{
	const char *s = "0x10-4096]";
	struct tdxsim_scan sc;
	uint64_t v = 0;
	bool too_big = false;

	(void)state;
	tdxsim_scan_init(&sc, s, strlen(s));
	assert_true(tdxsim_scan_u64(&sc, &v, &too_big));
	assert_true(v == 16);
	assert_int_equal(tdxsim_scan_offset(&sc, s), 4);
	assert_true(tdxsim_scan_literal(&sc, "-"));
	assert_true(tdxsim_scan_u64(&sc, &v, &too_big));
	assert_true(v == 4096);
	assert_false(too_big);
	assert_true(tdxsim_scan_literal(&sc, "]"));
	assert_true(tdxsim_scan_at_end(&sc));
	/* Nothing left to scan. */
	assert_false(tdxsim_scan_u64(&sc, &v, &too_big));

	/* Glued to letters: not a number, cursor unchanged. */
	static const char *const glued[] = { "12ab", "12x", "0x12x", "12_3",
					     "0x", "0xg", "x12", "-1", "" };
	for (size_t i = 0; i < sizeof(glued) / sizeof(glued[0]); i++) {
		tdxsim_scan_init(&sc, glued[i], strlen(glued[i]));
		if (tdxsim_scan_u64(&sc, &v, &too_big))
			print_message("'%s' scanned as a number\n", glued[i]);
		tdxsim_scan_init(&sc, glued[i], strlen(glued[i]));
		assert_false(tdxsim_scan_u64(&sc, &v, &too_big));
		assert_true(sc.p == glued[i]);
	}

	/* Too big: consumed, flagged; a NULL flag is allowed. */
	s = "0x10000000000000000 ";
	tdxsim_scan_init(&sc, s, strlen(s));
	assert_true(tdxsim_scan_u64(&sc, &v, &too_big));
	assert_true(too_big);
	assert_int_equal(tdxsim_scan_offset(&sc, s), 19);
	tdxsim_scan_init(&sc, s, strlen(s));
	assert_true(tdxsim_scan_u64(&sc, &v, NULL));

	/* Hex with and without prefix. */
	tdxsim_scan_init(&sc, "ff)", 3);
	assert_true(tdxsim_scan_hex(&sc, &v, NULL));
	assert_true(v == 0xff);
	tdxsim_scan_init(&sc, "0xFf,", 5);
	assert_true(tdxsim_scan_hex(&sc, &v, NULL));
	assert_true(v == 0xff);
	assert_true(tdxsim_scan_literal(&sc, ","));
	/* Decimal scanning refuses bare hex digits. */
	tdxsim_scan_init(&sc, "ff", 2);
	assert_false(tdxsim_scan_u64(&sc, &v, NULL));
}

static void
test_scan_find_trim(void **state)
{
	const char *s = "virt/tdx: CMR: [0x0, 0x1000)";
	struct tdxsim_scan sc;
	const char *t;
	size_t len;

	(void)state;
	tdxsim_scan_init(&sc, s, strlen(s));
	assert_false(tdxsim_scan_find(&sc, "CMR["));
	assert_int_equal(tdxsim_scan_offset(&sc, s), 0);
	assert_true(tdxsim_scan_find(&sc, "CMR: "));
	assert_int_equal(tdxsim_scan_offset(&sc, s), 15);
	assert_true(tdxsim_scan_find(&sc, ")"));
	assert_true(tdxsim_scan_at_end(&sc));
	/* A match must lie entirely within len. */
	tdxsim_scan_init(&sc, "abcdef", 5);
	assert_false(tdxsim_scan_find(&sc, "ef"));
	assert_true(tdxsim_scan_find(&sc, "de"));

	t = " \t x y \r\t";
	len = strlen(t);
	tdxsim_trim(&t, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(t, "x y", 3);
	t = " \t\r ";
	len = strlen(t);
	tdxsim_trim(&t, &len);
	assert_int_equal(len, 0);
	t = "";
	len = 0;
	tdxsim_trim(&t, &len);
	assert_int_equal(len, 0);
}

/* ---- timestamps and elision ----------------------------------------------- */

static size_t
stamp(const char *s)
{
	return tdxsim_line_timestamp_length(s, strlen(s));
}

static void
test_timestamp(void **state)
{
	(void)state;
	assert_int_equal(stamp("[    0.000000] BIOS-e820: x"), 15);
	assert_int_equal(stamp("[  +0.000000] BIOS-e820: x"), 14);
	assert_int_equal(stamp("[  +0.000001]    x"), 17);
	assert_int_equal(stamp("[12345.678901]x"), 14);
	assert_int_equal(stamp("  [ 1.5]\tx"), 9);
	assert_int_equal(stamp("[    0.000000]"), 14);
	assert_int_equal(stamp("[    0.000000] "), 15);

	assert_int_equal(stamp(""), 0);
	assert_int_equal(stamp("BIOS-e820: [mem 0x0-0xfff] usable"), 0);
	/* A range in brackets must not pass for a timestamp. */
	assert_int_equal(stamp("[mem 0x0-0xfff] usable"), 0);
	assert_int_equal(stamp("[0x0, 0x1000)"), 0);
	assert_int_equal(stamp("[    0.000000 x"), 0);
	assert_int_equal(stamp("[ +] x"), 0);
	assert_int_equal(stamp("[ 12] x"), 0);
	assert_int_equal(stamp("[ .5] x"), 0);
	assert_int_equal(stamp("[ -0.5] x"), 0);
	/* Cut before the ']': no timestamp within len. */
	assert_int_equal(tdxsim_line_timestamp_length("[    0.000000] x", 13), 0);
}

static size_t
prefix(const char *s)
{
	return tdxsim_line_log_prefix_length(s, strlen(s));
}

/* Every form a pasted log comes in: the prefix ends where the kernel's
 * message starts. */
static void
test_log_prefix(void **state)
{
	static const struct {
		const char *line;
		const char *message;	/* what is left; NULL: no prefix */
	} cases[] = {
		{ "[    0.000000] BIOS-e820: x", "BIOS-e820: x" },
		{ "<6>[    0.000000] BIOS-e820: x", "BIOS-e820: x" },
		{ "<6>BIOS-e820: x", "BIOS-e820: x" },
		{ "kern  :info  : [    0.000000] BIOS-e820: x", "BIOS-e820: x" },
		{ "kern  :warn  : virt/tdx: x", "virt/tdx: x" },
		{ "[Tue Mar 11 09:00:00 2025] BIOS-e820: x", "BIOS-e820: x" },
		{ "[Tue Mar  4 09:00:00 2025] x", "x" },
		{ "Mar 11 09:00:00 host kernel: BIOS-e820: x", "BIOS-e820: x" },
		{ "Mar  1 09:00:00 h-1.example kernel: x", "x" },
		{ "Mar 11 09:00:00.123456 host kernel: x", "x" },
		{ "Mar 11 09:00:00 host kernel: [    0.000000] x", "x" },
		{ "2025-03-11T09:00:00+0100 host kernel: x", "x" },
		{ "2025-03-11T09:00:00.123456+01:00 host kernel: x", "x" },
		{ "2025-03-11T09:00:00Z host kernel: x", "x" },
		{ "2025-03-11T09:00:00 host kernel: x", "x" },
		{ "BIOS-e820: [mem 0x0-0xfff] usable", NULL },
		{ "virt/tdx: CMR: [0x100000, 0x2000)", NULL },
		{ "tdx: CMR: [0x100000, 0x2000)", NULL },
		{ "kern: virt/tdx: x", NULL },
		{ "Mar 11 09:00:00 host sshd[12]: x", NULL },
		{ "Mar 11 09:00:00 host kernelx: x", NULL },
		{ "Mar 11 9:00:00 host kernel: x", NULL },
		{ "Foo 11 09:00:00 host kernel: x", NULL },
		{ "[Tue Mar 11 09:00:00] x", NULL },
		{ "2025-03-11 09:00:00 host kernel: x", NULL },
		{ "<x>BIOS", NULL },
		{ "   ", NULL },
		{ "", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = prefix(cases[i].line);
		const char *want = cases[i].message;

		if (want ? strcmp(cases[i].line + n, want) != 0 : n != 0)
			fail_msg("'%s': prefix %zu, leaves '%s'", cases[i].line, n,
				 cases[i].line + n);
	}
}

static void
test_elision(void **state)
{
	static const char *const yes[] = { "...", "......", "  ...  ", "...\r",
					   "\t....\t" };
	static const char *const no[] = { "", "..", " .. ", ". . .", "...a",
					  "a...", "   ", "[...]" };

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(tdxsim_line_is_elision(yes[i], strlen(yes[i])));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(tdxsim_line_is_elision(no[i], strlen(no[i])));
	/* Only len bytes count. */
	assert_false(tdxsim_line_is_elision("....", 2));
	assert_true(tdxsim_line_is_elision("...x", 3));
}

/* ---- tdxsim_scan_range -------------------------------------------------- */

/* A scan or parse of line s must have succeeded. */
static void
assert_line_ok(const char *s, bool ok, const struct tdxsim_line_error *err)
{
	if (!ok)
		print_message("'%s': %zu: %s\n", s, err->offset, err->message);
	assert_true(ok);
}

/* A scan or parse of line s must have failed at offset, with a message
 * containing words. */
static void
assert_line_error(const char *s, bool ok, const struct tdxsim_line_error *err,
		  size_t offset, const char *words)
{
	if (ok || err->offset != offset || !strstr(err->message, words))
		print_message("'%s': ok %d offset %zu '%s'; want offset %zu '%s'\n",
			      s, ok, err->offset, err->message, offset, words);
	assert_false(ok);
	assert_int_equal(err->offset, offset);
	assert_non_null(strstr(err->message, words));
}

/* Scan a range at byte `at` of line; check it and where the cursor stops. */
static void
expect_range(const char *line, size_t at, uint64_t start, uint64_t end,
	     size_t stop)
{
	struct tdxsim_line_error err = { 0 };
	struct tdxsim_range r = { 1, 0 };
	struct tdxsim_scan sc;
	bool ok;

	tdxsim_scan_init(&sc, line + at, strlen(line) - at);
	ok = tdxsim_scan_range(&sc, line, &r, &err);
	assert_line_ok(line, ok, &err);
	if (r.start != start || r.end != end)
		print_message("'%s': [0x%" PRIx64 ", 0x%" PRIx64 ")\n", line,
			      r.start, r.end);
	assert_true(r.start == start && r.end == end);
	assert_int_equal(tdxsim_scan_offset(&sc, line), stop);
}

/* Scan must fail at offset with a message containing words. */
static void
expect_range_error(const char *line, size_t at, size_t offset,
		   const char *words)
{
	struct tdxsim_line_error err = { 0 };
	struct tdxsim_range r = { 1, 0 };
	struct tdxsim_scan sc;
	bool ok;

	tdxsim_scan_init(&sc, line + at, strlen(line) - at);
	ok = tdxsim_scan_range(&sc, line, &r, &err);
	assert_line_error(line, ok, &err, offset, words);
	/* The cursor goes back to where it was. */
	assert_true(sc.p == line + at);
	assert_true(r.start == 1 && r.end == 0);
}

static void
test_scan_range_good(void **state)
{
	(void)state;
	expect_range("[mem 0x0000000000000000-0x000000000009ffff]", 0, 0,
		     0xa0000, 43);
	expect_range("[mem 0x100000-0x7fffffff] usable", 0, 0x100000,
		     0x80000000, 25);
	expect_range("[mem  0x0-0x0]", 0, 0, 1, 14);
	expect_range("[mem 0-4095]", 0, 0, 4096, 12);
	expect_range("[mem 0x0-0xfffffffffffffffe]", 0, 0, MAX64, 28);
	expect_range("virt/tdx: CMR: [0x0, 0x80000000)", 15, 0, 0x80000000, 32);
	expect_range("[0x1000,0x2000)x", 0, 0x1000, 0x2000, 15);
	expect_range("[ 0x1000,   0x2000)", 0, 0x1000, 0x2000, 19);
	/* Empty half-open ranges are returned; the caller judges them. */
	expect_range("[0x1000, 0x1000)", 0, 0x1000, 0x1000, 16);
	expect_range("[0xffffffffffffffff, 0xffffffffffffffff)", 0, MAX64,
		     MAX64, 40);
	expect_range("[0x0, 0xffffffffffffffff)", 0, 0, MAX64, 25);
}

static void
test_scan_range_errors(void **state)
{
	(void)state;
	expect_range_error("mem 0x0-0x1]", 0, 0, "expected a range");
	expect_range_error("CMR: 0x0, 0x1)", 5, 5, "expected a range");
	expect_range_error("", 0, 0, "expected a range");
	expect_range_error("[mem 0x0 0x1]", 0, 8, "expected '-'");
	expect_range_error("[mem zz-0x1]", 0, 5, "malformed start address");
	expect_range_error("[mem 0x0-]", 0, 9, "malformed end address");
	expect_range_error("[mem 0x0-0x1)", 0, 12, "expected ']'");
	expect_range_error("[mem 0x0-0x1", 0, 12, "expected ']'");
	expect_range_error("[mem 0x2-0x1]", 0, 0,
			   "range ends before it starts (0x1 < 0x2)");
	expect_range_error("[mem 0x0-0xffffffffffffffff]", 0, 0,
			   "reaches past 2^64");
	expect_range_error("[mem 0x10000000000000000-0x1]", 0, 5,
			   "start address does not fit in 64 bits");
	expect_range_error("[mem 0x0-0x10000000000000000]", 0, 9,
			   "end address does not fit in 64 bits");
	expect_range_error("[0x0 0x1)", 0, 4, "expected ','");
	expect_range_error("[0x1000-0x2000]", 0, 7, "expected ','");
	expect_range_error("[0x0, 0x1]", 0, 9, "expected ')'");
	expect_range_error("[0x0, 0x1]", 0, 9, "half-open");
	expect_range_error("[0x2, 0x1)", 0, 0,
			   "range ends before it starts (0x1 < 0x2)");
	expect_range_error("[0x0, 0x1ffffffffffffffff)", 0, 6,
			   "end address does not fit in 64 bits");
	expect_range_error("[, 0x1)", 0, 1, "malformed start address");
	/* Offsets are from the start of the line, not of the cursor. */
	expect_range_error("virt/tdx: CMR: [0x2000, 0x1000)", 15, 15,
			   "ends before it starts");
	expect_range_error("virt/tdx: CMR: [0x2000, 0x1000]", 15, 30,
			   "expected ')'");
}

/* ---- tdxsim_parse_e820_text ---------------------------------------------- */

static void
expect_e820(const char *s, uint64_t start, uint64_t end, uint32_t type,
	    enum tdxsim_e820_spelling spelling)
{
	struct tdxsim_line_error err = { 0 };
	struct tdxsim_e820_entry e = { 0 };
	enum tdxsim_e820_spelling got = (enum tdxsim_e820_spelling)42;
	bool ok = tdxsim_parse_e820_text(s, strlen(s), &e, &got, &err);

	assert_line_ok(s, ok, &err);
	if (e.start != start || e.end != end || e.type != type)
		print_message("'%s': [0x%" PRIx64 ", 0x%" PRIx64 ") type %" PRIu32
			      "\n", s, e.start, e.end, e.type);
	assert_true(e.start == start && e.end == end);
	assert_int_equal(e.type, type);
	assert_int_equal(got, spelling);
}

static void
expect_e820_error(const char *s, size_t offset, const char *words)
{
	struct tdxsim_line_error err = { 0 };
	struct tdxsim_e820_entry e = { 0 };
	enum tdxsim_e820_spelling got;
	bool ok = tdxsim_parse_e820_text(s, strlen(s), &e, &got, &err);

	assert_line_error(s, ok, &err, offset, words);
}

static void
test_e820_text(void **state)
{
	(void)state;
	expect_e820("[mem 0x0000000000000000-0x000000000009fbff] usable",
		    0, 0x9fc00, TDXSIM_E820_RAM, TDXSIM_E820_SPELLING_LEGACY);
	expect_e820("[mem 0x0000000000000000-0x000000000009fbff] System RAM",
		    0, 0x9fc00, TDXSIM_E820_RAM, TDXSIM_E820_SPELLING_MODERN);
	expect_e820("[mem 0x000000000009fc00-0x000000000009ffff] reserved",
		    0x9fc00, 0xa0000, TDXSIM_E820_RESERVED,
		    TDXSIM_E820_SPELLING_LEGACY);
	expect_e820("[mem 0x000000000009fc00-0x000000000009ffff] device reserved",
		    0x9fc00, 0xa0000, TDXSIM_E820_RESERVED,
		    TDXSIM_E820_SPELLING_MODERN);
	expect_e820("  [mem 0x7ffd0000-0x7fffffff] ACPI data  \r",
		    0x7ffd0000, 0x80000000, TDXSIM_E820_ACPI,
		    TDXSIM_E820_SPELLING_LEGACY);
	expect_e820("[mem 0x100000000-0x17fffffff] persistent (type 12)",
		    0x100000000, 0x180000000, TDXSIM_E820_PRAM,
		    TDXSIM_E820_SPELLING_LEGACY);
	expect_e820("[mem 0x100000000-0x17fffffff] persistent RAM (type 12)",
		    0x100000000, 0x180000000, TDXSIM_E820_PRAM,
		    TDXSIM_E820_SPELLING_MODERN);
	expect_e820("[mem 0x0-0xfff] soft reserved", 0, 0x1000,
		    TDXSIM_E820_SOFT_RESERVED, TDXSIM_E820_SPELLING_LEGACY);
	expect_e820("[mem 0x0-0xfff] type 20", 0, 0x1000, 20,
		    TDXSIM_E820_SPELLING_LEGACY);
	/* The size column of newer kernels, in front of either spelling. */
	expect_e820("[mem 0x0000000000000000-0x000000000009fbff]  639 KB  System RAM",
		    0, 0x9fc00, TDXSIM_E820_RAM, TDXSIM_E820_SPELLING_MODERN);
	expect_e820("[mem 0x0000000000000000-0x000000000009fbff]  639 KB  usable",
		    0, 0x9fc00, TDXSIM_E820_RAM, TDXSIM_E820_SPELLING_LEGACY);
	expect_e820("[mem 0x0000000100000000-0x000000087fffffff]   30 GB  System RAM",
		    0x100000000, 0x880000000, TDXSIM_E820_RAM,
		    TDXSIM_E820_SPELLING_MODERN);
	expect_e820("[mem 0x00000000fed1c000-0x00000000fed1ffff]   16 KB  device reserved",
		    0xfed1c000, 0xfed20000, TDXSIM_E820_RESERVED,
		    TDXSIM_E820_SPELLING_MODERN);
	expect_e820("[mem 0x0-0xfff]  4 KB  type 20", 0, 0x1000, 20,
		    TDXSIM_E820_SPELLING_LEGACY);
	expect_e820("[mem 0x0-0x3ff] 1024 bytes persistent RAM (type 7)", 0,
		    0x400, TDXSIM_E820_PMEM, TDXSIM_E820_SPELLING_MODERN);
}

static void
test_e820_text_errors(void **state)
{
	(void)state;
	expect_e820_error("[mem 0x0-0xfff]", 15, "missing E820 type");
	expect_e820_error("[mem 0x0-0xfff]   \r", 19, "missing E820 type");
	expect_e820_error("[mem 0x0-0xfff] bogus", 16, "unknown E820 type 'bogus'");
	expect_e820_error("[mem 0x0-0xfff] Usable", 16, "unknown E820 type");
	expect_e820_error("[mem 0x0-0xfff] 12 usable", 16, "unknown E820 type");
	expect_e820_error("[mem 0x0-0xfff]  4 KB", 17, "unknown E820 type");
	expect_e820_error("[0x1000, 0x1000) usable", 0, "E820 entry is empty");
	expect_e820_error("[mem 0x1000-0xfff] usable", 0, "ends before it starts");
	expect_e820_error("  [mem 0x0-0xfff usable", 16, "expected ']'");
	expect_e820_error("usable", 0, "expected a range");
}

/*
 * The list of known names must survive whole for any name the message
 * quotes (up to 40 bytes), so a user always sees the last choice.
 */
static void
test_e820_unknown_type_message_whole(void **state)
{
	const char *s = "[mem 0x0-0xfff] usable but not quite, forty bytes long..";
	struct tdxsim_line_error err = { 0 };
	const char *tail = ", type N)";
	struct tdxsim_e820_entry e;
	enum tdxsim_e820_spelling spelling;
	size_t len;

	(void)state;
	assert_false(tdxsim_parse_e820_text(s, strlen(s), &e, &spelling, &err));
	assert_non_null(strstr(err.message, "unknown E820 type"));
	len = strlen(err.message);
	if (len < strlen(tail) ||
	    strcmp(err.message + len - strlen(tail), tail) != 0)
		print_message("message cut short: '%s'\n", err.message);
	assert_true(len >= strlen(tail));
	assert_string_equal(err.message + len - strlen(tail), tail);
}

/* ---- tdxsim_parse_cmr_text and tdxsim_parse_node_text --------------------- */

static void
expect_cmr(const char *s, uint64_t start, uint64_t end)
{
	struct tdxsim_line_error err = { 0 };
	struct tdxsim_range r = { 1, 0 };
	bool ok = tdxsim_parse_cmr_text(s, strlen(s), &r, &err);

	assert_line_ok(s, ok, &err);
	assert_true(r.start == start && r.end == end);
}

static void
expect_cmr_error(const char *s, size_t offset, const char *words)
{
	struct tdxsim_line_error err = { 0 };
	struct tdxsim_range r;
	bool ok = tdxsim_parse_cmr_text(s, strlen(s), &r, &err);

	assert_line_error(s, ok, &err, offset, words);
}

static void
test_cmr_text(void **state)
{
	(void)state;
	expect_cmr("[0x0000000000000000, 0x0000000080000000)", 0, 0x80000000);
	expect_cmr("CMR: [0x100000000, 0x880000000)", 0x100000000, 0x880000000);
	expect_cmr("CMR[3]: [0x100000000, 0x880000000)", 0x100000000,
		   0x880000000);
	expect_cmr("CMR[0]:[0x0, 0x1000)", 0, 0x1000);
	expect_cmr("  CMR[31]:   [0x0, 0x1000)  \r", 0, 0x1000);
	/* A null slot prints as an empty range. */
	expect_cmr("CMR[7]: [0x0, 0x0)", 0, 0);

	expect_cmr_error("CMR[x]: [0x0, 0x1000)", 4, "malformed CMR index");
	expect_cmr_error("CMR[3: [0x0, 0x1000)", 5, "expected ']' after the CMR index");
	expect_cmr_error("CMR- [0x0, 0x1000)", 3, "expected ':' after 'CMR'");
	expect_cmr_error("CMR: [0x0, 0x1000) junk", 19,
			 "unexpected text after the range");
	expect_cmr_error("CMR: [0x0, 0x1000))", 18,
			 "unexpected text after the range");
	expect_cmr_error("CMR: [0x2000, 0x1000)", 5, "ends before it starts");
	expect_cmr_error("CMR: [0x0, 0x1000]", 17, "expected ')'");
	expect_cmr_error("CMR: ", 5, "expected a range");
}

/* The kernel prints "persistent (type N)" only for PMEM (7) and PRAM (12):
 * any other number in that form would not read back as the same name. */
static void
test_persistent_only_pmem_pram(void **state)
{
	static const char *const refused[] = { "persistent (type 1)",
					       "persistent RAM (type 2)",
					       "persistent (type 13)" };
	uint32_t type;

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_int_equal(tdxsim_e820_type_parse(refused[i], strlen(refused[i]),
							&type, NULL), -EINVAL);
	assert_int_equal(tdxsim_e820_type_parse("persistent (type 7)", 19, &type, NULL), 0);
	assert_int_equal(type, 7);
}

/* Like a node number, an index that does not fit in 64 bits is malformed. */
static void
test_cmr_index_too_big(void **state)
{
	const char *s = "CMR[99999999999999999999]: [0x0, 0x1000)";
	struct tdxsim_line_error err = { 0 };
	struct tdxsim_range r;

	(void)state;
	assert_false(tdxsim_parse_cmr_text(s, strlen(s), &r, &err));
	assert_non_null(strstr(err.message, "CMR index"));
}

static void
expect_node(const char *s, unsigned nid, uint64_t start, uint64_t end)
{
	struct tdxsim_line_error err = { 0 };
	struct tdxsim_range r = { 1, 0 };
	unsigned got = 12345;
	bool ok = tdxsim_parse_node_text(s, strlen(s), &got, &r, &err);

	assert_line_ok(s, ok, &err);
	assert_int_equal(got, nid);
	assert_true(r.start == start && r.end == end);
}

static void
expect_node_error(const char *s, size_t offset, const char *words)
{
	struct tdxsim_line_error err = { 0 };
	struct tdxsim_range r;
	unsigned nid;
	bool ok = tdxsim_parse_node_text(s, strlen(s), &nid, &r, &err);

	assert_line_error(s, ok, &err, offset, words);
}

static void
test_node_text(void **state)
{
	(void)state;
	expect_node("node 0: [mem 0x0000000000001000-0x000000000009efff]", 0,
		    0x1000, 0x9f000);
	expect_node("node   1: [mem 0x0000000880000000-0x000000107fffffff]", 1,
		    0x880000000, 0x1080000000);
	expect_node("  node 65535: [mem 0x0-0xfff]  ", 65535, 0, 0x1000);

	expect_node_error("nod 1: [mem 0x0-0xfff]", 0, "expected 'node N:");
	expect_node_error("node x: [mem 0x0-0xfff]", 5, "malformed node number");
	expect_node_error("node 65536: [mem 0x0-0xfff]", 5,
			  "malformed node number");
	expect_node_error("node 99999999999999999999999: [mem 0x0-0xfff]", 5,
			  "malformed node number");
	expect_node_error("node 1 [mem 0x0-0xfff]", 6, "expected ':'");
	expect_node_error("node 1: [mem 0x0-0xfff] x", 24,
			  "unexpected text after the range");
	expect_node_error("node 1: [mem 0x1000-0xfff]", 8,
			  "ends before it starts");
	expect_node_error("node 1: [mem 0x0-0xfff", 22, "expected ']'");
	expect_node_error("node 1: [0x1000, 0x1000)", 5, "node range is empty");
}

/* ---- E820 type names ------------------------------------------------------- */

struct type_case {
	uint32_t type;
	const char *legacy;
	const char *modern;
};

static const struct type_case type_cases[] = {
	{ TDXSIM_E820_RAM, "usable", "System RAM" },
	{ TDXSIM_E820_RESERVED, "reserved", "device reserved" },
	{ TDXSIM_E820_ACPI, "ACPI data", "ACPI data" },
	{ TDXSIM_E820_NVS, "ACPI NVS", "ACPI NVS" },
	{ TDXSIM_E820_UNUSABLE, "unusable", "unusable" },
	{ TDXSIM_E820_PMEM, "persistent (type 7)", "persistent RAM (type 7)" },
	{ TDXSIM_E820_PRAM, "persistent (type 12)", "persistent RAM (type 12)" },
	{ TDXSIM_E820_SOFT_RESERVED, "soft reserved", "soft reserved" },
	{ TDXSIM_E820_RESERVED_KERN, "reserved kernel", "reserved kernel" },
	{ 0, "type 0", "type 0" },
	{ 6, "type 6", "type 6" },
	{ 20, "type 20", "type 20" },
	{ UINT32_MAX, "type 4294967295", "type 4294967295" },
};

static void
expect_name(uint32_t type, enum tdxsim_e820_spelling spelling,
	    const char *want)
{
	char buf[32];
	const char *got;

	memset(buf, 'x', sizeof(buf));
	got = tdxsim_e820_type_name(type, spelling, buf, sizeof(buf));
	assert_ptr_equal(got, buf);
	assert_string_equal(got, want);
}

/* name -> type -> name, and the spelling the name was found in. */
static void
expect_round_trip(const char *name, uint32_t type,
		  enum tdxsim_e820_spelling spelling)
{
	enum tdxsim_e820_spelling found = (enum tdxsim_e820_spelling)42;
	uint32_t got = 0xdead;
	char buf[32];

	if (tdxsim_e820_type_parse(name, strlen(name), &got, &found) != 0)
		print_message("'%s' refused\n", name);
	assert_int_equal(tdxsim_e820_type_parse(name, strlen(name), &got, &found),
			 0);
	assert_int_equal(got, type);
	assert_int_equal(found, spelling);
	assert_string_equal(tdxsim_e820_type_name(got, spelling, buf,
						  sizeof(buf)), name);
	/* spelling may be NULL. */
	got = 0xdead;
	assert_int_equal(tdxsim_e820_type_parse(name, strlen(name), &got, NULL),
			 0);
	assert_int_equal(got, type);
}

static void
test_e820_type_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(type_cases) / sizeof(type_cases[0]); i++) {
		const struct type_case *c = &type_cases[i];
		/* Names shared by both generations report LEGACY. */
		enum tdxsim_e820_spelling modern =
			strcmp(c->legacy, c->modern) == 0 ?
			TDXSIM_E820_SPELLING_LEGACY : TDXSIM_E820_SPELLING_MODERN;

		expect_name(c->type, TDXSIM_E820_SPELLING_LEGACY, c->legacy);
		expect_name(c->type, TDXSIM_E820_SPELLING_MODERN, c->modern);
		expect_round_trip(c->legacy, c->type, TDXSIM_E820_SPELLING_LEGACY);
		expect_round_trip(c->modern, c->type, modern);
		/* 32 bytes hold any name. */
		assert_true(strlen(c->modern) < 32 && strlen(c->legacy) < 32);
	}
}

static void
test_e820_type_name_truncates(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_string_equal(tdxsim_e820_type_name(TDXSIM_E820_PRAM,
		TDXSIM_E820_SPELLING_MODERN, buf, 4), "per");
	assert_true(buf[4] == 'x');
	assert_string_equal(tdxsim_e820_type_name(TDXSIM_E820_RAM,
		TDXSIM_E820_SPELLING_LEGACY, buf, sizeof(buf)), "usable");
}

static void
test_e820_type_parse_refuses(void **state)
{
	static const char *const bad[] = {
		"", "Usable", "USABLE", "usable ", " usable", "usable\r",
		"system ram", "System  RAM", "System", "RAM", "device",
		"reserved  kernel", "reserved kern", "ACPI", "ACPI nvs",
		"persistent", "persistent RAM", "persistent (type )",
		"persistent (type 12", "persistent (type 12) ",
		"persistent (type12)", "persistent RAM(type 12)",
		"persistent (type -1)", "persistent (type 4294967296)",
		"type", "type ", "type -1", "type 12x", "type 0x", "typo 12",
		"type  12", "type 4294967296", "type 99999999999999999999",
		"soft-reserved",
	};
	const char usable[6] = { 'u', 's', 'a', 'b', 'l', 'e' };
	uint32_t type = 77;
	enum tdxsim_e820_spelling spelling = TDXSIM_E820_SPELLING_MODERN;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = tdxsim_e820_type_parse(bad[i], strlen(bad[i]), &type,
						 &spelling);

		if (ret != -EINVAL)
			print_message("'%s' accepted as %" PRIu32 "\n", bad[i],
				      type);
		assert_int_equal(ret, -EINVAL);
	}
	/* Refusals leave the outputs alone. */
	assert_int_equal(type, 77);
	assert_int_equal(spelling, TDXSIM_E820_SPELLING_MODERN);

	/* Only len bytes count: a prefix of a name is not the name. */
	assert_int_equal(tdxsim_e820_type_parse(usable, 3, &type, NULL), -EINVAL);
	assert_int_equal(tdxsim_e820_type_parse(usable, sizeof(usable), &type,
						NULL), 0);
	assert_int_equal(type, TDXSIM_E820_RAM);
	assert_int_equal(tdxsim_e820_type_parse("usablex", 6, &type, NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u64_good),
		cmocka_unit_test(test_parse_u64_errors),
		cmocka_unit_test(test_parse_u64_length),
		cmocka_unit_test(test_parse_hex_u64),
		cmocka_unit_test(test_scan_literal_space),
		cmocka_unit_test(test_scan_numbers),
		cmocka_unit_test(test_scan_find_trim),
		cmocka_unit_test(test_timestamp),
		cmocka_unit_test(test_log_prefix),
		cmocka_unit_test(test_elision),
		cmocka_unit_test(test_scan_range_good),
		cmocka_unit_test(test_scan_range_errors),
		cmocka_unit_test(test_e820_text),
		cmocka_unit_test(test_e820_text_errors),
		cmocka_unit_test(test_e820_unknown_type_message_whole),
		cmocka_unit_test(test_cmr_text),
		cmocka_unit_test(test_cmr_index_too_big),
		cmocka_unit_test(test_persistent_only_pmem_pram),
		cmocka_unit_test(test_node_text),
		cmocka_unit_test(test_e820_type_names),
		cmocka_unit_test(test_e820_type_name_truncates),
		cmocka_unit_test(test_e820_type_parse_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
