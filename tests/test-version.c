/* SPDX-License-Identifier: MIT */
/*
 * The generated tdxsim/version.h: its numbers are the library's version,
 * and TDXSIM_CHECK_VERSION() holds for this version and older ones, not
 * for newer ones, in #if as in C.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <tdxsim/tdxsim.h>

#if !TDXSIM_CHECK_VERSION(TDXSIM_VERSION_MAJOR, TDXSIM_VERSION_MINOR, TDXSIM_VERSION_MICRO)
#error "TDXSIM_CHECK_VERSION() refuses the headers' own version"
#endif
#if TDXSIM_CHECK_VERSION(TDXSIM_VERSION_MAJOR + 1, 0, 0)
#error "TDXSIM_CHECK_VERSION() accepts a newer major version"
#endif

static void
test_numbers_are_the_version(void **state)
{
	char buf[64];

	(void)state;
	snprintf(buf, sizeof(buf), "%d.%d.%d", TDXSIM_VERSION_MAJOR,
		 TDXSIM_VERSION_MINOR, TDXSIM_VERSION_MICRO);
	assert_string_equal(buf, TDXSIM_VERSION_STRING);
	assert_string_equal(TDXSIM_VERSION_STRING, tdxsim_version());
	assert_string_equal(TDXSIM_VERSION_STRING, TDXSIM_VERSION);	/* config.h */
}

static void
test_check_version(void **state)
{
	const int major = TDXSIM_VERSION_MAJOR, minor = TDXSIM_VERSION_MINOR;
	const int micro = TDXSIM_VERSION_MICRO;

	(void)state;
	/* This version and older ones. */
	assert_true(TDXSIM_CHECK_VERSION(major, minor, micro));
	assert_true(TDXSIM_CHECK_VERSION(0, 0, 0));
	if (micro > 0)
		assert_true(TDXSIM_CHECK_VERSION(major, minor, micro - 1));
	if (minor > 0)
		assert_true(TDXSIM_CHECK_VERSION(major, minor - 1, micro + 99));
	if (major > 0)
		assert_true(TDXSIM_CHECK_VERSION(major - 1, minor + 99, micro + 99));
	/* Newer ones: every component. */
	assert_false(TDXSIM_CHECK_VERSION(major, minor, micro + 1));
	assert_false(TDXSIM_CHECK_VERSION(major, minor + 1, 0));
	assert_false(TDXSIM_CHECK_VERSION(major + 1, 0, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_are_the_version),
		cmocka_unit_test(test_check_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
