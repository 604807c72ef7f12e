/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the diagnostics list (lib/util/diag.c): tdxsim_diag_sort()
 * orders messages input by input, then by line and column, and keeps the
 * order of messages at one position; tdxsim_suggest_*() ("did you mean")
 * finds the one known word within edit distance 2.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common.h"
#include "diag-private.h"

static void
add(struct tdxsim_diag *d, const char *name, unsigned line, unsigned col,
    const char *text)
{
	tdxsim_diag_add(d, TDXSIM_DIAG_ERROR, name, (struct tdxsim_pos){ line, col },
			"%s", text);
}

static void
expect_order(const struct tdxsim_diag *d, const char *const *want, size_t n)
{
	assert_int_equal(tdxsim_diag_count(d), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(tdxsim_diag_message(d, i), want[i]);
}

static void
test_sort_by_position(void **state)
{
	struct tdxsim_diag *d = tdxsim_diag_new();
	static const char *const added[] = {
		"f.yaml:7:14: e820", "f.yaml:4:3: cmr", "f.yaml:4:1: key",
		"f.yaml:12: line",
	};
	static const char *const sorted[] = {
		"f.yaml:4:1: key", "f.yaml:4:3: cmr", "f.yaml:7:14: e820",
		"f.yaml:12: line",
	};

	(void)state;
	assert_non_null(d);
	add(d, "f.yaml", 7, 14, "e820");
	add(d, "f.yaml", 4, 3, "cmr");
	add(d, "f.yaml", 4, 1, "key");
	add(d, "f.yaml", 12, 0, "line");
	/* The failing twin: as added, the list is not in position order. */
	expect_order(d, added, 4);
	tdxsim_diag_sort(d);
	expect_order(d, sorted, 4);
	assert_int_equal(tdxsim_diag_line(d, 0), 4);
	assert_int_equal(tdxsim_diag_column(d, 0), 1);
	assert_int_equal(tdxsim_diag_error_count(d), 4);
	/* Sorting a sorted list changes nothing. */
	tdxsim_diag_sort(d);
	expect_order(d, sorted, 4);
	tdxsim_diag_free(d);
}

static void
test_sort_stable_and_by_input(void **state)
{
	struct tdxsim_diag *d = tdxsim_diag_new();
	static const char *const sorted[] = {
		"b.yaml: whole", "b.yaml:2:1: first", "b.yaml:2:1: second",
		"b.yaml:9:1: late", "a.yaml:1:1: other input",
	};

	(void)state;
	assert_non_null(d);
	add(d, "b.yaml", 9, 1, "late");
	add(d, "b.yaml", 2, 1, "first");
	add(d, "a.yaml", 1, 1, "other input");
	add(d, "b.yaml", 2, 1, "second");
	add(d, "b.yaml", 0, 0, "whole");
	tdxsim_diag_sort(d);
	/* b.yaml's messages first (its first message came first), the whole
	 * input before its lines, equal positions in the order added. */
	expect_order(d, sorted, 5);
	tdxsim_diag_free(d);
}

static void
test_sort_edges(void **state)
{
	struct tdxsim_diag *d = tdxsim_diag_new();

	(void)state;
	tdxsim_diag_sort(NULL);
	tdxsim_diag_sort(d);
	assert_int_equal(tdxsim_diag_count(d), 0);
	add(d, NULL, 3, 1, "unnamed");
	add(d, NULL, 1, 1, "unnamed too");
	tdxsim_diag_sort(d);
	assert_string_equal(tdxsim_diag_message(d, 0), "<input>:1:1: unnamed too");
	tdxsim_diag_free(d);
}

static const char *
suggest(const char *word, const char *const *known, size_t n)
{
	struct tdxsim_suggest s;

	tdxsim_suggest_init(&s, word, strlen(word));
	for (size_t i = 0; i < n; i++)
		tdxsim_suggest_try(&s, known[i]);
	return tdxsim_suggest_best(&s);
}

static void
test_suggest(void **state)
{
	static const char *const keys[] = {
		"tdxsim-fixture", "name", "description", "cmrs", "numa", "e820",
	};
	static const char *const strategies[] = {
		"linux", "linux-cmr", "tdxsim", "all",
	};
	static const char *const twins[] = { "abcd", "abce" };
	const size_t nk = sizeof(keys) / sizeof(keys[0]);
	const size_t ns = sizeof(strategies) / sizeof(strategies[0]);

	(void)state;
	/* One edit of each kind, and two. */
	assert_string_equal(suggest("cmr", keys, nk), "cmrs");	/* delete */
	assert_string_equal(suggest("namme", keys, nk), "name");	/* insert */
	assert_string_equal(suggest("e821", keys, nk), "e820");	/* change */
	assert_string_equal(suggest("nmae", keys, nk), "name");	/* swap */
	assert_string_equal(suggest("tdxsim-fixtre", keys, nk), "tdxsim-fixture");
	assert_string_equal(suggest("tdxism", strategies, ns), "tdxsim");
	assert_string_equal(suggest("linux-cm", strategies, ns), "linux-cmr");
	assert_string_equal(suggest("nuam", keys, nk), "numa");	/* two edits */
	/* Three edits, nothing alike, a tie, a short word, no word. */
	assert_null(suggest("descrption-x", keys, nk));
	assert_null(suggest("zzz", strategies, ns));
	assert_null(suggest("abcf", twins, 2));
	assert_null(suggest("x", strategies, ns));	/* 'all' is 2 edits of 3 letters away */
	assert_null(suggest("", keys, nk));
	assert_null(suggest("abcd", twins, 1));		/* itself: nothing to suggest */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_by_position),
		cmocka_unit_test(test_sort_stable_and_by_input),
		cmocka_unit_test(test_sort_edges),
		cmocka_unit_test(test_suggest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
