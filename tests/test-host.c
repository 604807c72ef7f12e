/* SPDX-License-Identifier: MIT */
/*
 * Host runs with a PAMT placement given by the platform ('pamt-placement',
 * docs/host.md "PAMT placement"): the Linux strategies put TDMR i's PAMT
 * chunk where entry i says, the reserved areas and the module's verdict
 * follow from it, and a chunk no kernel could have allocated is refused.
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

#include "host-private.h"
#include "test-common.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define EMR "fixtures/platforms/emr-canonical-tdx-135.yaml"
/* TDMR 0 of EMR is [0, 2G): 0x800000 + 0x4000 + 0x1000 of PAMT. */
#define EMR_TDMR0_PAMT 0x805000ULL

/* The EMR fixture with text appended (a top-level key), loaded cleanly. */
static struct tdxsim_platform *
emr_with(const char *extra)
{
	char *path = tdxsim_test_source_path(EMR);
	size_t len, extra_len = strlen(extra);
	char *text = tdxsim_test_read_file(path, &len);
	struct tdxsim_platform *p;

	text = realloc(text, len + extra_len + 1);
	assert_non_null(text);
	memcpy(text + len, extra, extra_len + 1);
	p = tdxsim_test_load_buffer_clean("emr-placed.yaml", text,
					  len + extra_len);
	free(text);
	free(path);
	return p;
}

static struct tdxsim_host_run *
run_init(const struct tdxsim_platform *p, enum tdxsim_strategy strategy)
{
	struct tdxsim_host_run *run = NULL;

	assert_int_equal(tdxsim_host_run(p, strategy, TDXSIM_HOST_INIT, &run), 0);
	assert_non_null(run);
	return run;
}

/* Slots of TDMR t that hold a PAMT (reason TDXSIM_RSVD_PAMT). */
static size_t
pamt_slots(const struct tdxsim_host_run *run, size_t t)
{
	const struct tdxsim_tdmr *d = tdxsim_layout_tdmr(tdxsim_host_run_layout(run), t);
	size_t n = 0;

	for (size_t k = 0; k < d->reserved_count; k++)
		n += tdxsim_host_rsvd_reason(run, t, k) == TDXSIM_RSVD_PAMT;
	return n;
}

/* The run's lines are exactly want. */
static void
assert_lines(const struct tdxsim_host_run *run, const char *const *want,
	     size_t n)
{
	bool same = tdxsim_host_run_line_count(run) == n;

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

/* Every PAMT chunk (4K|2M|1G, contiguous) of the layout is disjoint from
 * every other. */
static void
assert_pamts_disjoint(const struct tdxsim_layout *l)
{
	size_t n = tdxsim_layout_tdmr_count(l);

	for (size_t i = 0; i < n; i++) {
		const struct tdxsim_tdmr *a = tdxsim_layout_tdmr(l, i);
		uint64_t a_end = a->pamt[TDXSIM_PAMT_1G].base + a->pamt[TDXSIM_PAMT_1G].size;

		assert_true(a->pamt[TDXSIM_PAMT_2M].base ==
			    a->pamt[TDXSIM_PAMT_4K].base + a->pamt[TDXSIM_PAMT_4K].size);
		for (size_t j = i + 1; j < n; j++) {
			const struct tdxsim_tdmr *b = tdxsim_layout_tdmr(l, j);
			uint64_t b_end = b->pamt[TDXSIM_PAMT_1G].base + b->pamt[TDXSIM_PAMT_1G].size;

			assert_true(a_end <= b->pamt[TDXSIM_PAMT_4K].base ||
				    b_end <= a->pamt[TDXSIM_PAMT_4K].base);
		}
	}
}

/*
 * canonical/tdx#135 under linux-cmr: the kernel puts every PAMT above
 * 4 GiB, so TDMR 0 [0, 2G) needs only its 2 CMR holes. With TDMR 0's
 * PAMT placed at 256 MiB, inside TDMR 0, it needs a third area, owned by
 * TDMR 0, between the holes; TDMR 1 loses that PAMT's area; the module
 * still accepts the layout.
 */
static void
test_placement_inside_tdmr0(void **state)
{
	/* linux-cmr follows Ubuntu's 6.8-intel kernels: the S3 line, then
	 * TDH.SYS.INFO's basic line and one line per CMR. */
	static const char *const ok_lines[] = {
		"virt/tdx: BIOS enabled: private KeyID range [32, 64)",
		"virt/tdx: Disable ACPI S3. Turn off TDX in the BIOS to use ACPI S3.",
		"virt/tdx: TDX module: attributes 0x0, vendor_id 0x8086, major_version 1, minor_version 5, build_date 20231008, build_num 595",
		"virt/tdx: CMR: [0x100000, 0x6f800000)",
		"virt/tdx: CMR: [0x100000000, 0x107a000000)",
		"virt/tdx: CMR: [0x1080000000, 0x207c000000)",
		"virt/tdx: CMR: [0x2080000000, 0x307c000000)",
		"virt/tdx: CMR: [0x3080000000, 0x407c000000)",
		"virt/tdx: 1050644 KB allocated for PAMT",
		"virt/tdx: module initialized",
	};
	struct tdxsim_platform *plain = emr_with("");
	struct tdxsim_platform *placed = emr_with("pamt-placement: [0x10000000]\n");
	struct tdxsim_host_run *before = run_init(plain, TDXSIM_STRATEGY_LINUX_CMR);
	struct tdxsim_host_run *after = run_init(placed, TDXSIM_STRATEGY_LINUX_CMR);
	const struct tdxsim_layout *l = tdxsim_host_run_layout(after);
	const struct tdxsim_tdmr *t0 = tdxsim_layout_tdmr(l, 0);
	const struct tdxsim_tdmr *b0 =
		tdxsim_layout_tdmr(tdxsim_host_run_layout(before), 0);
	uint64_t status = 1;

	(void)state;
	/* Before: the kernel's allocator, nothing of TDMR 0 inside it. */
	assert_int_equal(tdxsim_host_run_errno(before), 0);
	assert_int_equal(b0->reserved_count, 2);
	assert_int_equal(pamt_slots(before, 0), 0);
	assert_true(b0->pamt[TDXSIM_PAMT_4K].base >= 0x100000000ULL);
	assert_int_equal(pamt_slots(before, 1), 5);

	/* After: one more area in TDMR 0, the PAMT of TDMR 0, in slot 1. */
	assert_int_equal(tdxsim_host_run_errno(after), 0);
	assert_true(tdxsim_host_run_status(after) == 0);
	assert_lines(after, ok_lines, ARRAY_SIZE(ok_lines));
	assert_int_equal(tdxsim_layout_tdmr_count(l), 5);
	assert_true(t0->pamt[TDXSIM_PAMT_4K].base == 0x10000000);
	assert_int_equal(t0->reserved_count, b0->reserved_count + 1);
	assert_int_equal(tdxsim_host_rsvd_reason(after, 0, 0), TDXSIM_RSVD_HOLE);
	assert_int_equal(tdxsim_host_rsvd_reason(after, 0, 1), TDXSIM_RSVD_PAMT);
	assert_int_equal(tdxsim_host_rsvd_pamt_owner(after, 0, 1), 0);
	assert_int_equal(tdxsim_host_rsvd_reason(after, 0, 2), TDXSIM_RSVD_HOLE);
	assert_true(t0->reserved[1].offset == 0x10000000);
	assert_true(t0->reserved[1].size == EMR_TDMR0_PAMT);
	assert_int_equal(pamt_slots(after, 1), 4);
	assert_pamts_disjoint(l);
	assert_true(tdxsim_host_run_pamt_kb(after) == tdxsim_host_run_pamt_kb(before));

	/* The module's own word on the layout, asked again. */
	assert_int_equal(tdxsim_host_verdict(placed, l, &status), 0);
	assert_true(status == 0);

	tdxsim_host_run_free(before);
	tdxsim_host_run_free(after);
	tdxsim_platform_free(plain);
	tdxsim_platform_free(placed);
}

/* A given chunk is taken: the kernel-like allocations after it step
 * around it; "auto" leaves a TDMR to the allocator. */
/* Upstream on EMR: TDMR 0's 17th hole, [0x6f800000, 0x80000000), is what
 * found no slot; with the CMR patch nothing is left over; with two TDMRs
 * allowed, the region that needed a third is named. */
static void
test_unplaced(void **state)
{
	struct tdxsim_platform *p = emr_with("");
	struct tdxsim_host_run *up = run_init(p, TDXSIM_STRATEGY_LINUX);
	struct tdxsim_host_run *cmr = run_init(p, TDXSIM_STRATEGY_LINUX_CMR);
	struct tdxsim_module_profile m = *tdxsim_platform_module_profile(p);
	struct tdxsim_host_run *few;
	struct tdxsim_unplaced u;

	(void)state;
	assert_int_equal(tdxsim_host_run_unplaced(up, &u), 0);
	assert_int_equal(u.kind, TDXSIM_UNPLACED_AREA);
	assert_int_equal(u.tdmr, 0);
	assert_int_equal(u.ordinal, 17);
	assert_true(u.base == 0x6f800000 && u.size == 0x80000000 - 0x6f800000);
	assert_int_equal(u.reason, TDXSIM_RSVD_HOLE);
	assert_int_equal(u.pamt_owner, -1);
	assert_int_equal(tdxsim_host_run_unplaced(cmr, &u), -ENOENT);
	assert_int_equal(tdxsim_host_run_unplaced(NULL, &u), -EINVAL);
	m.max_tdmrs = 2;
	tdxsim_platform_set_module_profile(p, &m);
	few = run_init(p, TDXSIM_STRATEGY_LINUX_CMR);
	assert_int_equal(tdxsim_host_run_errno(few), -ENOSPC);
	assert_int_equal(tdxsim_host_run_unplaced(few, &u), 0);
	assert_int_equal(u.kind, TDXSIM_UNPLACED_REGION);
	assert_int_equal(u.tdmr, -1);
	assert_int_equal(u.ordinal, 3);
	assert_true(u.base >= 0x1080000000ULL);
	tdxsim_host_run_free(up);
	tdxsim_host_run_free(cmr);
	tdxsim_host_run_free(few);
	tdxsim_platform_free(p);
}

/* One expectation against one run: EMR's linux block is met by the
 * upstream run; with another errno it is missed once, and said so. */
static void
test_check_one_expectation(void **state)
{
	struct tdxsim_platform *p = emr_with("");
	struct tdxsim_host_run *run;
	struct tdxsim_diag *diag = tdxsim_diag_new();
	const struct tdxsim_expect *e = NULL;
	struct tdxsim_expect wrong;
	size_t missed = 9;

	(void)state;
	assert_int_equal(tdxsim_host_run_kernel(p, TDXSIM_STRATEGY_LINUX, TDXSIM_KERNEL_UBUNTU_6_8_INTEL,
						TDXSIM_HOST_INIT, &run), 0);
	for (size_t i = 0; i < tdxsim_platform_expect_count(p); i++) {
		if (strcmp(tdxsim_platform_expect(p, i)->strategy, "linux") == 0)
			e = tdxsim_platform_expect(p, i);
	}
	assert_non_null(e);
	assert_int_equal(tdxsim_host_check_expectation(p, e, run, diag, &missed), 0);
	assert_int_equal(missed, 0);
	wrong = *e;
	wrong.err = -22;
	assert_int_equal(tdxsim_host_check_expectation(p, &wrong, run, diag, &missed), 0);
	assert_int_equal(missed, 1);
	assert_int_equal(tdxsim_diag_count(diag), 1);
	assert_non_null(strstr(tdxsim_diag_message(diag, 0), "linux: errno expected -22, got -28"));
	tdxsim_diag_free(diag);
	tdxsim_host_run_free(run);
	tdxsim_platform_free(p);
}

static void
test_placement_taken_by_later(void **state)
{
	struct tdxsim_platform *p = emr_with("pamt-placement: [0x100001000, auto]\n");
	struct tdxsim_host_run *run = run_init(p, TDXSIM_STRATEGY_LINUX_CMR);
	const struct tdxsim_layout *l = tdxsim_host_run_layout(run);
	uint64_t status = 1;

	(void)state;
	assert_int_equal(tdxsim_host_run_errno(run), 0);
	assert_true(tdxsim_layout_tdmr(l, 0)->pamt[TDXSIM_PAMT_4K].base == 0x100001000ULL);
	assert_pamts_disjoint(l);
	assert_int_equal(tdxsim_host_verdict(p, l, &status), 0);
	assert_true(status == 0);
	tdxsim_host_run_free(run);
	tdxsim_platform_free(p);
}

/* Placing a chunk where the kernel's allocator puts it changes nothing. */
static void
test_placement_where_kernel_puts_it(void **state)
{
	struct tdxsim_platform *plain = emr_with("");
	struct tdxsim_platform *placed = emr_with("pamt-placement: [0x100000000]\n");
	struct tdxsim_host_run *a = run_init(plain, TDXSIM_STRATEGY_LINUX_CMR);
	struct tdxsim_host_run *b = run_init(placed, TDXSIM_STRATEGY_LINUX_CMR);
	const struct tdxsim_layout *la = tdxsim_host_run_layout(a);
	const struct tdxsim_layout *lb = tdxsim_host_run_layout(b);

	(void)state;
	assert_int_equal(tdxsim_layout_tdmr_count(la), tdxsim_layout_tdmr_count(lb));
	for (size_t i = 0; i < tdxsim_layout_tdmr_count(la); i++) {
		const struct tdxsim_tdmr *x = tdxsim_layout_tdmr(la, i);
		const struct tdxsim_tdmr *y = tdxsim_layout_tdmr(lb, i);

		assert_memory_equal(x->pamt, y->pamt, sizeof(x->pamt));
		assert_int_equal(x->reserved_count, y->reserved_count);
		assert_memory_equal(x->reserved, y->reserved,
				    x->reserved_count * sizeof(*x->reserved));
	}
	tdxsim_host_run_free(a);
	tdxsim_host_run_free(b);
	tdxsim_platform_free(plain);
	tdxsim_platform_free(placed);
}

/* One refused placement: the run fails with -EINVAL, its last two lines
 * why and the kernel's failure line (what comes before depends on the
 * kernel the strategy models), and no SEAMCALL failed. */
static void
refused_placement(const char *extra, enum tdxsim_strategy strategy,
		  const char *why)
{
	struct tdxsim_platform *p = emr_with(extra);
	struct tdxsim_host_run *run = run_init(p, strategy);
	size_t n = tdxsim_host_run_line_count(run);
	bool same;

	assert_int_equal(tdxsim_host_run_errno(run), -EINVAL);
	assert_true(tdxsim_host_run_status(run) == 0);
	assert_true(n >= 2);
	same = strcmp(tdxsim_host_run_line(run, n - 2), why) == 0 &&
	       strcmp(tdxsim_host_run_line(run, n - 1),
		      "virt/tdx: module initialization failed (-22)") == 0;
	if (!same)
		assert_lines(run, &why, 1);	/* prints what came */
	assert_true(same);
	tdxsim_host_run_free(run);
	tdxsim_platform_free(p);
}

/* A chunk the kernel could not have been given is refused, not handed
 * to the module: outside memblock memory (above the low RAM, in the
 * reserved [0x6f800000, 0x90000000), or straddling its edge), over an
 * earlier PAMT, or across a zone boundary. */
static void
test_placement_refused(void **state)
{
	(void)state;
	refused_placement("pamt-placement: [0x90000000]\n",
			  TDXSIM_STRATEGY_LINUX_CMR,
			  "virt/tdx: tdxsim: pamt-placement[0] 0x90000000 is not free RAM: [0x90000000, 0x90805000) is not inside one memblock region");
	refused_placement("pamt-placement: [0x6f000000]\n",
			  TDXSIM_STRATEGY_LINUX_CMR,
			  "virt/tdx: tdxsim: pamt-placement[0] 0x6f000000 is not free RAM: [0x6f000000, 0x6f805000) is not inside one memblock region");
	refused_placement("pamt-placement: [0x10000000, 0x10000000]\n",
			  TDXSIM_STRATEGY_LINUX_CMR,
			  "virt/tdx: tdxsim: pamt-placement[1] 0x10000000 is not free RAM: [0x10000000, 0x1f87d000) overlaps the PAMT of TDMR 0");
	refused_placement("pamt-placement: [0xfff000]\n",
			  TDXSIM_STRATEGY_LINUX_CMR,
			  "virt/tdx: tdxsim: pamt-placement[0] 0xfff000 is not one allocation: [0xfff000, 0x1804000) crosses the zone boundary at 0x1000000");
	/* Upstream linux refuses it the same way, before any reserved area. */
	refused_placement("pamt-placement: [0x90000000]\n",
			  TDXSIM_STRATEGY_LINUX,
			  "virt/tdx: tdxsim: pamt-placement[0] 0x90000000 is not free RAM: [0x90000000, 0x90805000) is not inside one memblock region");
}

/* The tdxsim packer places PAMTs itself: a placement changes nothing. */
static void
test_packer_ignores_placement(void **state)
{
	struct tdxsim_platform *plain = emr_with("");
	struct tdxsim_platform *placed = emr_with("pamt-placement: [0x90000000]\n");
	struct tdxsim_host_run *a = run_init(plain, TDXSIM_STRATEGY_TDXSIM);
	struct tdxsim_host_run *b = run_init(placed, TDXSIM_STRATEGY_TDXSIM);

	(void)state;
	assert_int_equal(tdxsim_host_run_errno(b), 0);
	assert_true(tdxsim_host_run_pamt_kb(a) == tdxsim_host_run_pamt_kb(b));
	assert_true(tdxsim_layout_tdmr(tdxsim_host_run_layout(a), 0)->pamt[0].base ==
		    tdxsim_layout_tdmr(tdxsim_host_run_layout(b), 0)->pamt[0].base);
	tdxsim_host_run_free(a);
	tdxsim_host_run_free(b);
	tdxsim_platform_free(plain);
	tdxsim_platform_free(placed);
}

/* Node nid's fallback order among nr nodes, memory[n] as given. */
static void
assert_order(size_t nr, const bool *memory, unsigned nid,
	     const unsigned *want, size_t want_count)
{
	unsigned order[16];
	size_t count = 99;

	assert_true(nr <= 16);
	assert_int_equal(tdxsim_zonelist_order(nr, memory, nid, order, &count), 0);
	if (count != want_count || memcmp(order, want, count * sizeof(*order)) != 0) {
		print_message("node %u of %zu:", nid, nr);
		for (size_t i = 0; i < count; i++)
			print_message(" %u", order[i]);
		print_message("\n");
	}
	assert_int_equal(count, want_count);
	assert_memory_equal(order, want, count * sizeof(*order));
}

/*
 * build_all_zonelists() with default distances (10/20), every node with
 * CPUs and memory. By hand: node k first; the nodes above it cost 20 + 1
 * (CPU penalty), those below one more ("prefer the next node"), so the
 * nodes above come first, lowest number first. Among those below, node
 * 0 still has node_load 0 when node k > 0 is built while nodes 1 .. k-1
 * were each the first remote pick of the node before them (load 1); so
 * 0, then 1 .. k-1. Every order is the rotation k, k+1, .., N-1, 0, ..,
 * k-1, for 1 to 8 nodes.
 */
static void
test_zonelist_flat(void **state)
{
	static const bool memory[8] = { true, true, true, true, true, true, true, true };
	static const unsigned four[4][4] = {
		{ 0, 1, 2, 3 }, { 1, 2, 3, 0 }, { 2, 3, 0, 1 }, { 3, 0, 1, 2 },
	};
	static const unsigned eight_5[8] = { 5, 6, 7, 0, 1, 2, 3, 4 };

	(void)state;
	for (unsigned k = 0; k < 4; k++)
		assert_order(4, memory, k, four[k], 4);
	assert_order(8, memory, 5, eight_5, 8);
	for (size_t nr = 1; nr <= 8; nr++) {
		for (unsigned k = 0; k < nr; k++) {
			unsigned want[8];

			for (size_t i = 0; i < nr; i++)
				want[i] = (unsigned)((k + i) % nr);
			assert_order(nr, memory, k, want, nr);
		}
	}
}

/*
 * A node without memory (node 1 of 5) never appears, and node_load
 * decides. By hand: node 0 builds 0, 2, 3, 4 (load[2] = 1); node 1 (no
 * memory, still built) picks among 2, 3, 4 (cost 21 each) the least
 * loaded, 3 (load[3] = 1), then 4, 2, 0. Node 2 then has 3 and 4 at cost
 * 21 with loads 1 and 0: 4 first, then 3, then 0 (cost 22).
 */
static void
test_zonelist_memoryless_and_load(void **state)
{
	static const bool memory[5] = { true, false, true, true, true };
	static const unsigned node1[4] = { 3, 4, 2, 0 };
	static const unsigned node2[4] = { 2, 4, 3, 0 };
	static const unsigned node4[4] = { 4, 0, 2, 3 };

	(void)state;
	assert_order(5, memory, 1, node1, 4);
	assert_order(5, memory, 2, node2, 4);
	assert_order(5, memory, 4, node4, 4);
}

/*
 * Three nodes; node 1's memory is eight 2 MiB pieces, too small for the
 * 1027 pages (4108 KiB) of a 1 GiB TDMR's PAMT. Its zonelist is 1, 2, 0:
 * the PAMT of TDMR [8G, 9G) lands on node 2, not node 0.
 */
static const char three_nodes[] =
	"tdxsim-fixture: 1\n"
	"name: three-nodes\n"
	"module:\n"
	"  logical-cpus: 6\n"
	"  packages: 3\n"
	"e820: |\n"
	"  [mem 0x0000000000000000-0x000000000009ffff] usable\n"
	"  [mem 0x0000000000100000-0x000000007fffffff] usable\n"
	"  [mem 0x0000000080000000-0x00000000ffffffff] reserved\n"
	"  [mem 0x0000000100000000-0x00000001ffffffff] usable\n"
	"  [mem 0x0000000200000000-0x00000002001fffff] usable\n"
	"  [mem 0x0000000200400000-0x00000002005fffff] usable\n"
	"  [mem 0x0000000200800000-0x00000002009fffff] usable\n"
	"  [mem 0x0000000200c00000-0x0000000200dfffff] usable\n"
	"  [mem 0x0000000201000000-0x00000002011fffff] usable\n"
	"  [mem 0x0000000201400000-0x00000002015fffff] usable\n"
	"  [mem 0x0000000201800000-0x00000002019fffff] usable\n"
	"  [mem 0x0000000201c00000-0x0000000201dfffff] usable\n"
	"  [mem 0x0000000240000000-0x000000027fffffff] usable\n"
	"cmrs: |\n"
	"  [0x100000, 0x80000000)\n"
	"  [0x100000000, 0x280000000)\n"
	"numa: |\n"
	"  node   0: [mem 0x0000000000001000-0x000000000009ffff]\n"
	"  node   0: [mem 0x0000000000100000-0x000000007fffffff]\n"
	"  node   0: [mem 0x0000000100000000-0x00000001ffffffff]\n"
	"  node   1: [mem 0x0000000200000000-0x00000002001fffff]\n"
	"  node   1: [mem 0x0000000200400000-0x00000002005fffff]\n"
	"  node   1: [mem 0x0000000200800000-0x00000002009fffff]\n"
	"  node   1: [mem 0x0000000200c00000-0x0000000200dfffff]\n"
	"  node   1: [mem 0x0000000201000000-0x00000002011fffff]\n"
	"  node   1: [mem 0x0000000201400000-0x00000002015fffff]\n"
	"  node   1: [mem 0x0000000201800000-0x00000002019fffff]\n"
	"  node   1: [mem 0x0000000201c00000-0x0000000201dfffff]\n"
	"  node   2: [mem 0x0000000240000000-0x000000027fffffff]\n";

static void
test_pamt_falls_back_by_zonelist(void **state)
{
	struct tdxsim_platform *p =
		tdxsim_test_load_buffer_clean("three-nodes.yaml", three_nodes,
					      sizeof(three_nodes) - 1);
	struct tdxsim_host_run *run = NULL;
	struct tdxsim_linux_mm *mm = NULL;
	const struct tdxsim_tdmr *t;
	uint64_t pfn = 0;

	(void)state;
	assert_int_equal(tdxsim_host_run_kernel(p, TDXSIM_STRATEGY_LINUX, TDXSIM_KERNEL_6_12,
						TDXSIM_HOST_INIT, &run), 0);
	assert_int_equal(tdxsim_host_run_errno(run), 0);
	assert_int_equal(tdxsim_layout_tdmr_count(tdxsim_host_run_layout(run)), 4);
	t = tdxsim_layout_tdmr(tdxsim_host_run_layout(run), 2);
	assert_true(t->base == 0x200000000ULL && t->size == 0x40000000ULL);
	assert_true(t->pamt[TDXSIM_PAMT_4K].base >= 0x240000000ULL);
	assert_true(t->pamt[TDXSIM_PAMT_1G].base + t->pamt[TDXSIM_PAMT_1G].size <=
		    0x280000000ULL);
	tdxsim_host_run_free(run);

	/* The same through the harness object: 1027 pages for node 1. */
	assert_int_equal(tdxsim_linux_mm_new(p, TDXSIM_KERNEL_6_12, &mm), 0);
	assert_int_equal(tdxsim_linux_mm_alloc_contig(mm, 1027, 1, &pfn), 0);
	assert_true(pfn >= 0x240000 && pfn + 1027 <= 0x280000);
	/* 512 pages fit node 1's own 2 MiB pieces. */
	assert_int_equal(tdxsim_linux_mm_alloc_contig(mm, 512, 1, &pfn), 0);
	assert_true(pfn >= 0x200000 && pfn + 512 <= 0x202000);
	/* free_contig() takes any range below 2^64, none reaching it: the
	 * last PFN with no pages, not one page more, not the next PFN
	 * (tools/mutate.py: '>=' for '>' on the PFN survived). */
	assert_int_equal(tdxsim_linux_mm_free_contig(mm, UINT64_MAX >> 12, 0), 0);
	assert_int_equal(tdxsim_linux_mm_free_contig(mm, UINT64_MAX >> 12, 1), -EINVAL);
	assert_int_equal(tdxsim_linux_mm_free_contig(mm, (UINT64_MAX >> 12) + 1, 0), -EINVAL);
	tdxsim_linux_mm_free(mm);
	tdxsim_platform_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placement_inside_tdmr0),
		cmocka_unit_test(test_placement_taken_by_later),
		cmocka_unit_test(test_placement_where_kernel_puts_it),
		cmocka_unit_test(test_placement_refused),
		cmocka_unit_test(test_packer_ignores_placement),
		cmocka_unit_test(test_zonelist_flat),
		cmocka_unit_test(test_zonelist_memoryless_and_load),
		cmocka_unit_test(test_pamt_falls_back_by_zonelist),
		cmocka_unit_test(test_unplaced),
		cmocka_unit_test(test_check_one_expectation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
