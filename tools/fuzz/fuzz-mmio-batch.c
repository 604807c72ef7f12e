/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the batch file of 'tdxsim mmio --batch' (docs/cli.md) with the
 * CLI's own reader (sim/mmio-case.c), and run every case it accepts as
 * the CLI does. Invariants beyond "no crash":
 * - a refused file says why (an error diagnostic, every diagnostic naming
 *   the input) and holds no case, so that nothing of it runs;
 * - an accepted file holds at least one case, each with 1 to 15
 *   instruction bytes and a known mode;
 * - the handler takes every accepted case (no -EINVAL: the loader let
 *   nothing through that is misuse); RIP moves by the decoded length on
 *   success and not at all otherwise; RFLAGS never changes; a failure
 *   leaves every register as it was;
 * - the whole input takes less than the time bound (fuzz-time.h).
 * The handler's own instruction-level invariants are fuzz-mmio's.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <tdxsim/tdxsim.h>

#include "fuzz-time.h"
#include "mmio-case.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_case(const struct mmio_case *c)
{
	struct tdxsim_vcpu_regs after;
	struct tdxsim_mmio_result r;

	if (c->len == 0 || c->len > INSN_MAX ||
	    (c->mode != TDXSIM_MMIO_ARCH && c->mode != TDXSIM_MMIO_LINUX))
		abort();
	if (mmio_case_run(c, mmio_library_handle, &after, &r) != 0)
		abort();
	if (after.rflags != c->regs.rflags)
		abort();
	if (r.status == 0) {
		if (r.insn_len == 0 || after.rip != c->regs.rip + r.insn_len)
			abort();
	} else if (memcmp(&after, &c->regs, sizeof(after)) != 0) {
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct mmio_batch b;
	uint64_t start = fuzz_now_ms();
	int ret;

	if (!diag)
		abort();
	memset(&b, 0, sizeof(b));
	ret = mmio_batch_load("fuzz", (const char *)data, size, &b, diag);
	if (ret == -EINVAL && tdxsim_diag_error_count(diag) == 0)
		abort();
	for (size_t i = 0; i < tdxsim_diag_count(diag); i++) {
		if (strncmp(tdxsim_diag_message(diag, i), "fuzz", 4) != 0)
			abort();
	}
	if ((ret != 0) != (b.count == 0))
		abort();
	for (size_t i = 0; i < b.count; i++)
		check_case(&b.cases[i]);
	mmio_batch_fini(&b);
	tdxsim_diag_free(diag);
	fuzz_check_time(start, "fuzz-mmio-batch");
	return 0;
}
