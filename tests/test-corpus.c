/* SPDX-License-Identifier: MIT */
/*
 * The fixture corpus: every real platform in fixtures/platforms/ loads
 * cleanly and survives a write/load round trip; every file in fixtures/bad/
 * is refused with exactly the message its first line announces
 * ("# expect: LINE:COL: MESSAGE", or "# expect: MESSAGE" for a message about
 * the whole file); and the real platforms carry the facts their sources
 * give: the tables of Kai Huang's CMR patch changelog ("Reduce TDMR's
 * reserved areas by using CMRs to find memory holes", v8.2) and the logs
 * of fixtures/logs (fixtures/logs/README.md names each source).
 *
 * The source root comes from the environment variable TDXSIM_SOURCE_ROOT.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tdxsim/platform.h>

#include "test-common.h"

#define EXPECT_PREFIX "# expect: "

/* Bounds that an empty or gutted corpus cannot meet. */
#define MIN_BAD_FIXTURES 20
#define MIN_PLATFORMS 6

static char *
join(const char *a, const char *b, const char *c)
{
	size_t len = strlen(a) + strlen(b) + strlen(c) + 1;
	char *s = malloc(len);

	assert_non_null(s);
	snprintf(s, len, "%s%s%s", a, b, c);
	return s;
}

static struct tdxsim_platform *
load_platform(const char *name)
{
	char *path = join(tdxsim_test_source_root(), "/fixtures/platforms/",
			  name);
	struct tdxsim_platform *p = tdxsim_test_load_file_clean(path);

	free(path);
	return p;
}

/* ---- (a) real platforms: clean load, provenance, round trip ------------ */

static int
is_set(const char *s)
{
	return s && s[0];
}

static void
test_platforms_load_and_round_trip(void **state)
{
	struct tdxsim_test_paths list = tdxsim_test_list_yaml("fixtures/platforms");

	(void)state;
	for (size_t i = 0; i < list.count; i++) {
		const char *path = list.paths[i];
		struct tdxsim_platform *p = tdxsim_test_load_file_clean(path);
		const char *name = tdxsim_platform_info(p, TDXSIM_INFO_NAME);

		if (!is_set(name))
			fail_msg("%s: no name", path);
		if (!is_set(tdxsim_platform_info(p, TDXSIM_INFO_SOURCE)) &&
		    !is_set(tdxsim_platform_info(p, TDXSIM_INFO_MESSAGE_ID)))
			fail_msg("%s: source gives neither url nor message-id",
				 path);
		free(tdxsim_test_round_trip(path, p, NULL));
		tdxsim_platform_free(p);
	}
	tdxsim_test_paths_free(&list);
}

/* ---- (b) bad fixtures: refused with the announced message --------------- */

/* Check one bad fixture; print why and return 1 when it is not refused as announced. */
static int
check_bad_fixture(const char *path)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p = NULL;
	char *wanted = tdxsim_test_announced_refusal(path);
	int ret, failed = 0;

	assert_non_null(diag);
	if (!wanted) {
		print_message("%s: first line is not '" EXPECT_PREFIX "MESSAGE'\n",
			      path);
		tdxsim_diag_free(diag);
		return 1;
	}
	ret = tdxsim_platform_load_file(path, &p, diag);
	if (ret != -EINVAL || p || tdxsim_diag_error_count(diag) == 0 ||
	    !tdxsim_test_diag_has(diag, wanted)) {
		print_message("%s: load returned %d; expected -EINVAL and\n    %s\n  got:\n",
			      path, ret, wanted);
		tdxsim_test_print_diag(diag);
		failed = 1;
	}
	tdxsim_platform_free(p);
	tdxsim_diag_free(diag);
	free(wanted);
	return failed;
}

static void
test_bad_fixtures_refused(void **state)
{
	struct tdxsim_test_paths list = tdxsim_test_list_yaml("fixtures/bad");
	size_t failures = 0;

	(void)state;
	/* Check them all before failing, so one report names every miss. */
	for (size_t i = 0; i < list.count; i++)
		failures += (size_t)check_bad_fixture(list.paths[i]);
	if (failures)
		print_message("%zu of %zu bad fixtures not refused as announced\n",
			      failures, list.count);
	tdxsim_test_paths_free(&list);
	assert_int_equal(failures, 0);
}

/* Refusals no committed file can trigger: a missing file, a huge input. */
static void
test_refusals_without_fixture(void **state)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p = NULL;
	char *path = join(tdxsim_test_source_root(), "/fixtures/bad/",
			  "no-such-file.yaml");
	char *wanted = join(path, ": ", "cannot read: No such file or directory");
	const char *const want_missing[] = { wanted };
	static const char *const want_big[] = {
		"big.yaml: fixture is larger than 16 MiB",
	};
	size_t big_len = (16u << 20) + 1;
	char *big = malloc(big_len);

	(void)state;
	assert_non_null(diag);
	assert_non_null(big);
	assert_int_equal(tdxsim_platform_load_file(path, &p, diag), -ENOENT);
	assert_null(p);
	tdxsim_test_assert_diag(diag, want_missing, 1);

	tdxsim_diag_clear(diag);
	memset(big, '#', big_len);
	assert_int_equal(tdxsim_platform_load_buffer("big.yaml", big, big_len,
						     &p, diag), -EINVAL);
	assert_null(p);
	tdxsim_test_assert_diag(diag, want_big, 1);

	free(big);
	free(wanted);
	free(path);
	tdxsim_diag_free(diag);
}

/* ---- (c) the corpus is not empty ------------------------------------------ */

static void
test_corpus_size(void **state)
{
	struct tdxsim_test_paths bad = tdxsim_test_list_yaml("fixtures/bad");
	struct tdxsim_test_paths platforms = tdxsim_test_list_yaml("fixtures/platforms");

	(void)state;
	if (bad.count < MIN_BAD_FIXTURES || platforms.count < MIN_PLATFORMS)
		print_message("%zu bad fixtures (need %d), %zu platforms (need %d)\n",
			      bad.count, MIN_BAD_FIXTURES, platforms.count,
			      MIN_PLATFORMS);
	assert_true(bad.count >= MIN_BAD_FIXTURES);
	assert_true(platforms.count >= MIN_PLATFORMS);
	tdxsim_test_paths_free(&bad);
	tdxsim_test_paths_free(&platforms);
}

/* ---- (d) golden facts from the sources -------------------------------------- */

struct golden {
	const char *file;
	size_t e820;			/* entries */
	int elided_head;		/* "......" before the first entry */
	int elided_tail;		/* "......" after the last source entry */
	size_t derived;			/* entries derived (e820-derived), at the end */
	size_t cmrs;
	size_t nodes;
	uint64_t ram;			/* bytes of usable entries, derived included */
	struct tdxsim_e820_entry first, last;
};

/*
 * RAM totals, worked out by hand from the tables (usable entries only,
 * inclusive dmesg ends turned into half-open sizes):
 *
 * EMR (the E820 table [1] of the CMR patch's changelog), in 4 KiB pages:
 *   0x9f + 0x5d069 + 0x1a4 + 0x1149 + 0x10 + 0x573 + 0x3d3 + 0x6a + 0x86
 *   + 0x2 + 0x3d + 0x814 + 0x3b2 + 0x333 + 0x1 + 0xa83a + 0x1
 *   = 159 + 381033 + 420 + 4425 + 16 + 1395 + 979 + 106 + 134 + 2 + 61
 *     + 2068 + 946 + 819 + 1 + 43066 + 1 = 435631 pages
 *   = 435631 * 4096 = 1784344576 bytes.
 *   Its 4 derived entries, one per high CMR [2]: 0xf7a000000 + 3 * 0xffc000000
 *   = 66437775360 + 3 * 68652367872 = 272428433408 bytes, so the table
 *   holds 1784344576 + 272428433408 = 274212777984 bytes.
 * ArcherCity (3.1): 0x9e000 + 0x1000 + (0x6d8f0000 - 0x100000) + 0x1000
 *   + (0x480000000 - 0x100000000)
 *   = 647168 + 4096 + 1837039616 + 4096 + 15032385536 = 16870080512.
 * Xeon D-1712TR (3.4): 0x9e000 + 0x1000 + (0x61401000 - 0x100000)
 *   + (0x654a2000 - 0x61411000) + (0x6f800000 - 0x6d9ff000)
 *   + (0x480000000 - 0x100000000)
 *   = 647168 + 4096 + 1630539776 + 67702784 + 31461376 + 15032385536
 *   = 16762740736.
 * Baoquan (3.5): 0x9c000 + (0x6cdcf000 - 0x100000) + 0x1000
 *   + (0x67f200000 - 0x100000000)
 *   = 638976 + 1825435648 + 4096 + 23607574528 = 25433653248.
 * TD guest rocky (3.6): 0x80c000 + (0x7d095000 - 0x80d000)
 *   + (0x7d18f000 - 0x7d096000)
 *   = 8437760 + 2089320448 + 1019904 = 2098778112.
 * TD guest q35 tail (3.7): (0x7ff7c000 - 0x7e818000)
 *   + (0x280000000 - 0x100000000) = 24526848 + 6442450944 = 6466977792.
 */
static const struct golden goldens[] = {
	{ "emr-canonical-tdx-135.yaml", 40, 0, 1, 4, 5, 0, 274212777984ULL,
	  { 0x0, 0x9f000, TDXSIM_E820_RAM },
	  { 0x3080000000, 0x407c000000, TDXSIM_E820_RAM } },
	{ "archercity-spr.yaml", 14, 0, 0, 0, 0, 0, 16870080512ULL,
	  { 0x0, 0x9e000, TDXSIM_E820_RAM },
	  { 0x100000000, 0x480000000, TDXSIM_E820_RAM } },
	{ "xeon-d-1712tr.yaml", 16, 0, 0, 0, 0, 0, 16762740736ULL,
	  { 0x0, 0x9e000, TDXSIM_E820_RAM },
	  { 0x100000000, 0x480000000, TDXSIM_E820_RAM } },
	{ "baoquan-2node.yaml", 12, 0, 0, 0, 0, 6, 25433653248ULL,
	  { 0x0, 0x9c000, TDXSIM_E820_RAM },
	  { 0x67f200000, 0x680000000, TDXSIM_E820_RESERVED } },
	{ "td-guest-rocky.yaml", 5, 0, 1, 0, 0, 13, 2098778112ULL,
	  { 0x0, 0x80c000, TDXSIM_E820_RAM },
	  { 0x7d096000, 0x7d18f000, TDXSIM_E820_RAM } },
	{ "td-guest-q35-tail.yaml", 4, 1, 0, 0, 0, 0, 6466977792ULL,
	  { 0x7e818000, 0x7ff7c000, TDXSIM_E820_RAM },
	  { 0x100000000, 0x280000000, TDXSIM_E820_RAM } },
};

static void
test_golden_facts(void **state)
{
	(void)state;
	for (size_t g = 0; g < sizeof(goldens) / sizeof(goldens[0]); g++) {
		const struct golden *want = &goldens[g];
		struct tdxsim_platform *p = load_platform(want->file);
		size_t n = tdxsim_platform_e820_count(p);
		/* The source's entries come first; its tail "......" stays
		 * where it was, before the first derived entry. */
		size_t given = n - want->derived;

		print_message("golden: %s\n", want->file);
		assert_int_equal(n, want->e820);
		assert_int_equal(tdxsim_platform_e820_elided_before(p, 0),
				 want->elided_head);
		for (size_t i = 1; i < given; i++)
			assert_int_equal(tdxsim_platform_e820_elided_before(p, i), 0);
		assert_int_equal(tdxsim_platform_e820_elided_before(p, given),
				 want->elided_tail);
		for (size_t i = given + 1; i <= n; i++)
			assert_int_equal(tdxsim_platform_e820_elided_before(p, i), 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(tdxsim_platform_e820_derived(p, i),
					 i >= given);
		assert_int_equal(tdxsim_platform_e820_truncated(p),
				 want->elided_head || want->elided_tail);
		assert_int_equal(tdxsim_platform_e820_spelling(p),
				 TDXSIM_E820_SPELLING_LEGACY);
		assert_int_equal(tdxsim_platform_cmr_count(p), want->cmrs);
		assert_int_equal(tdxsim_platform_node_range_count(p), want->nodes);
		assert_true(tdxsim_platform_ram_bytes(p) == want->ram);
		tdxsim_test_assert_e820(p, 0, want->first.start, want->first.end,
					want->first.type);
		tdxsim_test_assert_e820(p, n - 1, want->last.start, want->last.end,
					want->last.type);
		tdxsim_platform_free(p);
	}
}

/* EMR's CMRs (table [2] of the CMR patch's changelog) and its TDX module
 * (canonical/tdx#135). */
static void
test_golden_emr_cmrs_and_module(void **state)
{
	static const uint64_t cmrs[][2] = {
		{ 0x100000, 0x6f800000 },
		{ 0x100000000, 0x107a000000 },
		{ 0x1080000000, 0x207c000000 },
		{ 0x2080000000, 0x307c000000 },
		{ 0x3080000000, 0x407c000000 },
	};
	struct tdxsim_platform *p = load_platform("emr-canonical-tdx-135.yaml");
	const struct tdxsim_module_profile *m = tdxsim_platform_module_profile(p);

	(void)state;
	assert_int_equal(tdxsim_platform_cmr_count(p), 5);
	for (size_t i = 0; i < 5; i++)
		tdxsim_test_assert_cmr(p, i, cmrs[i][0], cmrs[i][1]);
	assert_int_equal(m->major, 1);
	assert_int_equal(m->minor, 5);
	assert_int_equal(m->build_date, 20231008);
	assert_int_equal(m->build_num, 595);
	assert_int_equal(m->keyid_start, 32);
	assert_int_equal(m->keyid_end, 64);
	tdxsim_platform_free(p);
}

struct golden_node {
	unsigned nid;
	uint64_t start, end;
};

static void
assert_nodes(const struct tdxsim_platform *p, const struct golden_node *want,
	     size_t count)
{
	assert_int_equal(tdxsim_platform_node_range_count(p), count);
	for (size_t i = 0; i < count; i++)
		tdxsim_test_assert_node(p, i, want[i].nid, want[i].start,
					want[i].end);
}

/* Baoquan He's node ranges (LKML, "[PATCH v3 0/1] mm: memmap defer init
 * dosn't work as expected", 23 Dec 2020): after memmap=128M!0x500000000. */
static void
test_golden_baoquan_nodes(void **state)
{
	static const struct golden_node nodes[] = {
		{ 0, 0x1000, 0x9c000 },
		{ 0, 0x100000, 0x6cdcf000 },
		{ 0, 0x6ffff000, 0x70000000 },
		{ 0, 0x100000000, 0x280000000 },
		{ 1, 0x280000000, 0x500000000 },
		{ 1, 0x508000000, 0x67f200000 },
	};
	struct tdxsim_platform *p = load_platform("baoquan-2node.yaml");

	(void)state;
	assert_nodes(p, nodes, sizeof(nodes) / sizeof(nodes[0]));
	tdxsim_platform_free(p);
}

/* The TD guest's 13 node ranges (intel/tdx-linux#5), all on node 0. */
static void
test_golden_rocky_nodes(void **state)
{
	static const struct golden_node nodes[] = {
		{ 0, 0x1000, 0xa0000 },
		{ 0, 0x100000, 0x80c000 },
		{ 0, 0x80d000, 0x7d095000 },
		{ 0, 0x7d096000, 0x7d18f000 },
		{ 0, 0x7d192000, 0x7d198000 },
		{ 0, 0x7d19a000, 0x7d1b7000 },
		{ 0, 0x7d200000, 0x7d40c000 },
		{ 0, 0x7d52f000, 0x7d54b000 },
		{ 0, 0x7d56c000, 0x7d56e000 },
		{ 0, 0x7d5af000, 0x7e7b5000 },
		{ 0, 0x7e80d000, 0x7e80e000 },
		{ 0, 0x7e819000, 0x7ff7c000 },
		{ 0, 0x100000000, 0x180000000 },
	};
	struct tdxsim_platform *p = load_platform("td-guest-rocky.yaml");

	(void)state;
	assert_nodes(p, nodes, sizeof(nodes) / sizeof(nodes[0]));
	tdxsim_platform_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_size),
		cmocka_unit_test(test_platforms_load_and_round_trip),
		cmocka_unit_test(test_bad_fixtures_refused),
		cmocka_unit_test(test_refusals_without_fixture),
		cmocka_unit_test(test_golden_facts),
		cmocka_unit_test(test_golden_emr_cmrs_and_module),
		cmocka_unit_test(test_golden_baoquan_nodes),
		cmocka_unit_test(test_golden_rocky_nodes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
