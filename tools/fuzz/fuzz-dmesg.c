/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the dmesg importer. Invariants beyond "no crash":
 * - a refused log says why (an error diagnostic naming the input);
 * - an imported platform is either refused by the validator with a reason,
 *   or writes a fixture that the fixture loader accepts, and every host
 *   strategy runs on it (fuzz-host.h);
 * - the whole input takes less than the time bound (fuzz-time.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tdxsim/tdxsim.h>

#include "fuzz-host.h"
#include "fuzz-time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_fixture_loads(struct tdxsim_platform *p)
{
	struct tdxsim_platform *again = NULL;
	struct tdxsim_diag *diag = tdxsim_diag_new();
	char *text = NULL;
	size_t len;
	FILE *f;

	/* The importer leaves naming to its caller; a fixture needs one. */
	if (!diag || tdxsim_platform_set_info(p, TDXSIM_INFO_NAME, "fuzzed") != 0)
		abort();
	if (tdxsim_platform_validate(p, diag) != 0) {
		if (tdxsim_diag_error_count(diag) == 0)
			abort();
		tdxsim_diag_free(diag);
		return;
	}
	f = open_memstream(&text, &len);
	if (!f || tdxsim_platform_write(p, f) != 0)
		abort();
	fclose(f);
	if (tdxsim_platform_load_buffer("written", text, len, &again, NULL) != 0)
		abort();
	free(text);
	tdxsim_platform_free(again);
	fuzz_run_strategies(p);
	tdxsim_diag_free(diag);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p = NULL;
	uint64_t start = fuzz_now_ms();
	int ret;

	if (!diag)
		abort();
	ret = tdxsim_dmesg_import("fuzz", (const char *)data, size, &p, diag);
	if (ret == -EINVAL && tdxsim_diag_error_count(diag) == 0)
		abort();
	if (ret == 0)
		check_fixture_loads(p);
	else if (p)
		abort();	/* a refusal returns no platform */
	tdxsim_platform_free(p);
	tdxsim_diag_free(diag);
	fuzz_check_time(start, "fuzz-dmesg");
	return 0;
}
