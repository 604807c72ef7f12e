/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the cmocka unit tests: assertions on a platform's
 * tables, diagnostics checks, file reading and the write/load round trip.
 * Every helper fails the running test (cmocka) instead of returning an
 * error. Include after <cmocka.h>.
 */
#ifndef TDXSIM_TEST_COMMON_H
#define TDXSIM_TEST_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tdxsim/tdxsim.h>

/* ---- platform tables ---- */

/* E820 entry i of p exists and is [start, end) of the given type. */
void
tdxsim_test_assert_e820(const struct tdxsim_platform *p, size_t i,
			uint64_t start, uint64_t end, uint32_t type);

/* CMR i of p exists and covers [start, end) (base start, size end - start). */
void
tdxsim_test_assert_cmr(const struct tdxsim_platform *p, size_t i,
		       uint64_t start, uint64_t end);

/* Node range i of p exists and is [start, end) of node nid. */
void
tdxsim_test_assert_node(const struct tdxsim_platform *p, size_t i,
			unsigned nid, uint64_t start, uint64_t end);

/* Two strings are equal, or both NULL; what names them in a failure. */
void
tdxsim_test_assert_same_string(const char *what, const char *a,
			       const char *b);

/* Two module profiles are equal in every field. */
void
tdxsim_test_assert_same_profile(const struct tdxsim_module_profile *a,
				const struct tdxsim_module_profile *b);

/* Two platforms are equal in every field the API exposes, except an expect's fixture line. */
void
tdxsim_test_assert_same_platform(const struct tdxsim_platform *a,
				 const struct tdxsim_platform *b);

/* ---- diagnostics ---- */

/* Print every message of d, one a line, to explain a failure. */
void
tdxsim_test_print_diag(const struct tdxsim_diag *d);

/* Whether d holds exactly the n messages want, in order, each an error. */
bool
tdxsim_test_diag_matches(const struct tdxsim_diag *d,
			 const char *const *want, size_t n);

/* Print the messages of d ("got") and the n wanted ones ("want"). */
void
tdxsim_test_print_mismatch(const struct tdxsim_diag *d,
			   const char *const *want, size_t n);

/* Assert d holds exactly the n error messages want, in order; print both lists when not. */
void
tdxsim_test_assert_diag(const struct tdxsim_diag *d,
			const char *const *want, size_t n);

/* Whether d holds message (among others). */
bool
tdxsim_test_diag_has(const struct tdxsim_diag *d, const char *message);

/* ---- files and fixtures ---- */

/* The source root from TDXSIM_SOURCE_ROOT; fails when it is unset or empty. */
const char *
tdxsim_test_source_root(void);

/* The malloc'ed path of relative under the source root; the caller frees it. */
char *
tdxsim_test_source_path(const char *relative);

/* The whole non-empty file at path, malloc'ed and NUL-terminated; its size in *len. */
char *
tdxsim_test_read_file(const char *path, size_t *len);

/* Load text of len bytes, called name, that must give a platform with no message at all. */
struct tdxsim_platform *
tdxsim_test_load_buffer_clean(const char *name, const char *text, size_t len);

/* Load the fixture at path, which must give a platform with no message at all. */
struct tdxsim_platform *
tdxsim_test_load_file_clean(const char *path);

/* Write p into a malloc'ed NUL-terminated string; its length in *len. */
char *
tdxsim_test_write_string(const struct tdxsim_platform *p, size_t *len);

/* Write p, load it back as name (cleanly, equal to p), write again (same bytes); returns the text to free. */
char *
tdxsim_test_round_trip(const char *name, const struct tdxsim_platform *p,
		       size_t *len_out);

/* ---- corpus directories ---- */

/* Paths of the *.yaml files of one directory, sorted by name. */
struct tdxsim_test_paths {
	char **paths;
	size_t count;
};

/* The *.yaml files of subdir (under the source root); fails when it cannot be read. */
struct tdxsim_test_paths
tdxsim_test_list_yaml(const char *subdir);

/* Free a listing. */
void
tdxsim_test_paths_free(struct tdxsim_test_paths *list);

/*
 * The message a malformed input announces on its first line ("# expect:
 * LINE:COL: MESSAGE" or "# expect: MESSAGE"), as a loader reports it for
 * path: "path:LINE:COL: MESSAGE" or "path: MESSAGE". Malloc'ed; NULL when
 * the first line announces nothing.
 */
char *
tdxsim_test_announced_refusal(const char *path);

#endif /* TDXSIM_TEST_COMMON_H */
