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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placement_inside_tdmr0),
		cmocka_unit_test(test_placement_taken_by_later),
		cmocka_unit_test(test_placement_where_kernel_puts_it),
		cmocka_unit_test(test_placement_refused),
		cmocka_unit_test(test_packer_ignores_placement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
