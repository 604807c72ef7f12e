/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the memtype scenario loader and runner. Invariants beyond "no
 * crash": a refused scenario says why; an accepted one runs, and its
 * expectation counts add up (met + failed == expectations).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <tdxsim/tdxsim.h>

#include "fuzz-time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
one_input(const uint8_t *data, size_t size)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_scenario *s = NULL;
	struct tdxsim_scenario_result result;
	int ret;

	if (!diag)
		abort();
	ret = tdxsim_scenario_load_buffer("fuzz", (const char *)data, size, &s, diag);
	if (ret == -EINVAL && tdxsim_diag_error_count(diag) == 0)
		abort();
	if (ret == 0) {
		if (tdxsim_scenario_run(s, NULL, &result) != 0 ||
		    result.met + result.failed != result.expectations)
			abort();
	}
	tdxsim_scenario_free(s);
	tdxsim_diag_free(diag);
}

/* One input, within the time bound (fuzz-time.h). */
FUZZ_TIMED_ENTRY(one_input, "fuzz-scenario")
