/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the cmocka unit tests (see test-common.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test-common.h"

/* ---- platform tables ---- */

void
tdxsim_test_assert_e820(const struct tdxsim_platform *p, size_t i,
			uint64_t start, uint64_t end, uint32_t type)
{
	const struct tdxsim_e820_entry *e = tdxsim_platform_e820_entry(p, i);

	assert_non_null(e);
	assert_int_equal(e->start, start);
	assert_int_equal(e->end, end);
	assert_int_equal(e->type, type);
}

void
tdxsim_test_assert_cmr(const struct tdxsim_platform *p, size_t i,
		       uint64_t start, uint64_t end)
{
	const struct tdxsim_cmr *c = tdxsim_platform_cmr(p, i);

	assert_non_null(c);
	assert_int_equal(c->base, start);
	assert_int_equal(c->size, end - start);
}

void
tdxsim_test_assert_node(const struct tdxsim_platform *p, size_t i,
			unsigned nid, uint64_t start, uint64_t end)
{
	const struct tdxsim_node_range *n = tdxsim_platform_node_range(p, i);

	assert_non_null(n);
	assert_int_equal(n->nid, nid);
	assert_int_equal(n->start, start);
	assert_int_equal(n->end, end);
}

void
tdxsim_test_assert_same_string(const char *what, const char *a, const char *b)
{
	if (!a || !b) {
		if (a != b)
			print_message("%s: one side is NULL (%s / %s)\n", what,
				      a ? a : "(null)", b ? b : "(null)");
		assert_true(a == b);
		return;
	}
	if (strcmp(a, b) != 0)
		print_message("%s differs:\n  [%s]\n  [%s]\n", what, a, b);
	assert_string_equal(a, b);
}

void
tdxsim_test_assert_same_profile(const struct tdxsim_module_profile *a,
				const struct tdxsim_module_profile *b)
{
	assert_int_equal(a->major, b->major);
	assert_int_equal(a->minor, b->minor);
	assert_int_equal(a->update, b->update);
	assert_int_equal(a->internal, b->internal);
	assert_int_equal(a->build_date, b->build_date);
	assert_int_equal(a->build_num, b->build_num);
	assert_int_equal(a->max_tdmrs, b->max_tdmrs);
	assert_int_equal(a->max_reserved_per_tdmr, b->max_reserved_per_tdmr);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(a->pamt_entry_size[i], b->pamt_entry_size[i]);
	assert_int_equal(a->cmr_slots, b->cmr_slots);
	assert_int_equal(a->keyid_start, b->keyid_start);
	assert_int_equal(a->keyid_end, b->keyid_end);
	assert_int_equal(a->nr_lps, b->nr_lps);
	assert_int_equal(a->nr_packages, b->nr_packages);
}

void
tdxsim_test_assert_same_platform(const struct tdxsim_platform *a,
				 const struct tdxsim_platform *b)
{
	size_t n;

	for (int k = 0; k < TDXSIM_INFO_COUNT; k++)
		tdxsim_test_assert_same_string("info",
			tdxsim_platform_info(a, (enum tdxsim_info)k),
			tdxsim_platform_info(b, (enum tdxsim_info)k));

	n = tdxsim_platform_e820_count(a);
	assert_int_equal(n, tdxsim_platform_e820_count(b));
	for (size_t i = 0; i < n; i++) {
		const struct tdxsim_e820_entry *e = tdxsim_platform_e820_entry(b, i);

		assert_non_null(e);
		tdxsim_test_assert_e820(a, i, e->start, e->end, e->type);
	}
	/* Elisions: before every entry and after the last. */
	for (size_t i = 0; i <= n; i++)
		assert_int_equal(tdxsim_platform_e820_elided_before(a, i),
				 tdxsim_platform_e820_elided_before(b, i));
	assert_int_equal(tdxsim_platform_e820_truncated(a),
			 tdxsim_platform_e820_truncated(b));
	assert_int_equal(tdxsim_platform_e820_spelling(a),
			 tdxsim_platform_e820_spelling(b));

	n = tdxsim_platform_cmr_count(a);
	assert_int_equal(n, tdxsim_platform_cmr_count(b));
	for (size_t i = 0; i < n; i++) {
		const struct tdxsim_cmr *c = tdxsim_platform_cmr(b, i);

		assert_non_null(c);
		tdxsim_test_assert_cmr(a, i, c->base, c->base + c->size);
	}

	n = tdxsim_platform_node_range_count(a);
	assert_int_equal(n, tdxsim_platform_node_range_count(b));
	for (size_t i = 0; i < n; i++) {
		const struct tdxsim_node_range *r = tdxsim_platform_node_range(b, i);

		assert_non_null(r);
		tdxsim_test_assert_node(a, i, r->nid, r->start, r->end);
	}

	tdxsim_test_assert_same_profile(tdxsim_platform_module_profile(a),
					tdxsim_platform_module_profile(b));

	n = tdxsim_platform_expect_count(a);
	assert_int_equal(n, tdxsim_platform_expect_count(b));
	for (size_t i = 0; i < n; i++) {
		const struct tdxsim_expect *x = tdxsim_platform_expect(a, i);
		const struct tdxsim_expect *y = tdxsim_platform_expect(b, i);

		assert_non_null(x);
		assert_non_null(y);
		tdxsim_test_assert_same_string("expect strategy", x->strategy,
					       y->strategy);
		assert_int_equal(x->outcome, y->outcome);
		assert_int_equal(x->has_errno, y->has_errno);
		if (x->has_errno)
			assert_int_equal(x->err, y->err);
		assert_int_equal(x->tdmrs, y->tdmrs);
		assert_int_equal(x->max_reserved, y->max_reserved);
		assert_int_equal(x->pamt_kb, y->pamt_kb);
		tdxsim_test_assert_same_string("expect lines", x->lines,
					       y->lines);
	}

	n = tdxsim_platform_pamt_base_count(a);
	assert_int_equal(n, tdxsim_platform_pamt_base_count(b));
	for (size_t i = 0; i < n; i++)
		assert_true(tdxsim_platform_pamt_base(a, i) ==
			    tdxsim_platform_pamt_base(b, i));
}

/* ---- diagnostics ---- */

void
tdxsim_test_print_diag(const struct tdxsim_diag *d)
{
	for (size_t i = 0; i < tdxsim_diag_count(d); i++)
		print_message("  diag[%zu]: %s\n", i, tdxsim_diag_message(d, i));
}

bool
tdxsim_test_diag_matches(const struct tdxsim_diag *d,
			 const char *const *want, size_t n)
{
	if (tdxsim_diag_count(d) != n || tdxsim_diag_error_count(d) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(tdxsim_diag_message(d, i), want[i]) != 0)
			return false;
	}
	return true;
}

void
tdxsim_test_print_mismatch(const struct tdxsim_diag *d,
			   const char *const *want, size_t n)
{
	print_message("got:\n");
	tdxsim_test_print_diag(d);
	print_message("want:\n");
	for (size_t i = 0; i < n; i++)
		print_message("  %s\n", want[i]);
}

void
tdxsim_test_assert_diag(const struct tdxsim_diag *d,
			const char *const *want, size_t n)
{
	bool same = tdxsim_test_diag_matches(d, want, n);

	if (!same)
		tdxsim_test_print_mismatch(d, want, n);
	assert_true(same);
}

/* ---- files and fixtures ---- */

const char *
tdxsim_test_source_root(void)
{
	const char *root = getenv("TDXSIM_SOURCE_ROOT");

	if (!root || !root[0])
		fail_msg("TDXSIM_SOURCE_ROOT is not set (run through meson test)");
	return root;
}

char *
tdxsim_test_source_path(const char *relative)
{
	const char *root = tdxsim_test_source_root();
	size_t len = strlen(root) + 1 + strlen(relative) + 1;
	char *path = malloc(len);

	assert_non_null(path);
	snprintf(path, len, "%s/%s", root, relative);
	return path;
}

char *
tdxsim_test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;

	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	buf[size] = '\0';
	fclose(f);
	*len = (size_t)size;
	return buf;
}

/* The verdict of a load that must be clean: ret 0, a platform, no message. */
static void
assert_loaded_clean(const char *name, const char *text, size_t len, int ret,
		    const struct tdxsim_platform *p, struct tdxsim_diag *d)
{
	if (ret != 0 || tdxsim_diag_count(d) != 0) {
		print_message("%s: load returned %d with %zu message(s):\n",
			      name, ret, tdxsim_diag_count(d));
		tdxsim_test_print_diag(d);
		if (text)
			print_message("for:\n%.*s\n",
				      (int)(len > 2000 ? 2000 : len), text);
	}
	assert_int_equal(ret, 0);
	assert_int_equal(tdxsim_diag_error_count(d), 0);
	assert_int_equal(tdxsim_diag_count(d), 0);
	assert_non_null(p);
	tdxsim_diag_free(d);
}

struct tdxsim_platform *
tdxsim_test_load_buffer_clean(const char *name, const char *text, size_t len)
{
	struct tdxsim_diag *d = tdxsim_diag_new();
	struct tdxsim_platform *p = NULL;
	int ret;

	assert_non_null(d);
	ret = tdxsim_platform_load_buffer(name, text, len, &p, d);
	assert_loaded_clean(name, text, len, ret, p, d);
	return p;
}

struct tdxsim_platform *
tdxsim_test_load_file_clean(const char *path)
{
	struct tdxsim_diag *d = tdxsim_diag_new();
	struct tdxsim_platform *p = NULL;
	int ret;

	assert_non_null(d);
	ret = tdxsim_platform_load_file(path, &p, d);
	assert_loaded_clean(path, NULL, 0, ret, p, d);
	return p;
}

char *
tdxsim_test_write_string(const struct tdxsim_platform *p, size_t *len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	assert_int_equal(tdxsim_platform_write(p, f), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(buf);
	*len = size;
	return buf;
}

char *
tdxsim_test_round_trip(const char *name, const struct tdxsim_platform *p,
		       size_t *len_out)
{
	struct tdxsim_platform *q;
	char *first, *second;
	size_t len1, len2;

	first = tdxsim_test_write_string(p, &len1);
	q = tdxsim_test_load_buffer_clean(name, first, len1);
	tdxsim_test_assert_same_platform(p, q);
	/* Writing the reloaded platform gives the same bytes. */
	second = tdxsim_test_write_string(q, &len2);
	if (len1 != len2 || memcmp(first, second, len1) != 0)
		print_message("second write differs:\n%s\n----\n%s\n", first,
			      second);
	assert_int_equal(len1, len2);
	assert_memory_equal(first, second, len1);
	free(second);
	tdxsim_platform_free(q);
	if (len_out)
		*len_out = len1;
	return first;
}

bool
tdxsim_test_diag_has(const struct tdxsim_diag *d, const char *message)
{
	for (size_t i = 0; i < tdxsim_diag_count(d); i++) {
		if (strcmp(tdxsim_diag_message(d, i), message) == 0)
			return true;
	}
	return false;
}

/* ---- corpus directories ---- */

static int
compare_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_yaml(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 5 && strcmp(name + len - 5, ".yaml") == 0;
}

struct tdxsim_test_paths
tdxsim_test_list_yaml(const char *subdir)
{
	struct tdxsim_test_paths list = { NULL, 0 };
	char *dir_path = tdxsim_test_source_path(subdir);
	DIR *dir = opendir(dir_path);
	struct dirent *entry;

	if (!dir)
		fail_msg("cannot open %s: %s", dir_path, strerror(errno));
	while ((entry = readdir(dir)) != NULL) {
		size_t size = strlen(dir_path) + strlen(entry->d_name) + 2;

		if (!is_yaml(entry->d_name))
			continue;
		list.paths = realloc(list.paths, (list.count + 1) * sizeof(*list.paths));
		assert_non_null(list.paths);
		list.paths[list.count] = malloc(size);
		assert_non_null(list.paths[list.count]);
		snprintf(list.paths[list.count++], size, "%s/%s", dir_path,
			 entry->d_name);
	}
	closedir(dir);
	free(dir_path);
	if (list.count)
		qsort(list.paths, list.count, sizeof(*list.paths), compare_paths);
	return list;
}

void
tdxsim_test_paths_free(struct tdxsim_test_paths *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->paths[i]);
	free(list->paths);
	list->paths = NULL;
	list->count = 0;
}

#define EXPECT_PREFIX "# expect: "

/* "LINE:COL: ..." names a position; anything else is a whole-file message. */
static bool
has_position(const char *expect)
{
	const char *s = expect;

	for (int fields = 0; fields < 2; fields++) {
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
		if (*s++ != ':')
			return false;
	}
	return *s == ' ';
}

char *
tdxsim_test_announced_refusal(const char *path)
{
	FILE *f = fopen(path, "rb");
	char line[1024], *message;
	const char *expect;
	size_t len, size;

	if (!f)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	len = strcspn(line, "\r\n");
	line[len] = '\0';
	if (strncmp(line, EXPECT_PREFIX, strlen(EXPECT_PREFIX)) != 0 ||
	    len == strlen(EXPECT_PREFIX))
		return NULL;
	expect = line + strlen(EXPECT_PREFIX);
	size = strlen(path) + strlen(expect) + 3;
	message = malloc(size);
	assert_non_null(message);
	/* Loaders print "path:line:col: message" or "path: message". */
	snprintf(message, size, "%s%s%s", path, has_position(expect) ? ":" : ": ",
		 expect);
	return message;
}
