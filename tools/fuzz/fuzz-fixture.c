/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the fixture loader. Invariants beyond "no crash":
 * - a refused input says why: -EINVAL comes with at least one error
 *   diagnostic, and every diagnostic names the input;
 * - an accepted platform passes the validator again, writes, and reads
 *   back to a fixture that writes to the same bytes (the writer's
 *   promise);
 * - every host strategy builds TDMRs on it, and every strategy replays
 *   the bring-up (TDXSIM_HOST_INIT) as every kernel generation does,
 *   without a library error: -EINVAL only when the module cannot be
 *   built from the platform, a run's lines all exist, and a run that
 *   succeeds names no failed SEAMCALL;
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

static char *
write_text(const struct tdxsim_platform *p, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f || tdxsim_platform_write(p, f) != 0)
		abort();
	fclose(f);
	return text;
}

static void
check_diagnostics(const struct tdxsim_diag *diag, int ret)
{
	if (ret == -EINVAL && tdxsim_diag_error_count(diag) == 0)
		abort();
	for (size_t i = 0; i < tdxsim_diag_count(diag); i++) {
		if (strncmp(tdxsim_diag_message(diag, i), "fuzz", 4) != 0)
			abort();
	}
}

static void
check_round_trip(const struct tdxsim_platform *p)
{
	struct tdxsim_platform *again = NULL;
	size_t len1, len2;
	char *text1 = write_text(p, &len1), *text2;

	if (tdxsim_platform_validate(p, NULL) != 0 ||
	    tdxsim_platform_load_buffer("again", text1, len1, &again, NULL) != 0)
		abort();
	text2 = write_text(again, &len2);
	if (len1 != len2 || memcmp(text1, text2, len1) != 0)
		abort();
	free(text1);
	free(text2);
	tdxsim_platform_free(again);
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
	ret = tdxsim_platform_load_buffer("fuzz", (const char *)data, size, &p, diag);
	check_diagnostics(diag, ret);
	if (ret == 0) {
		check_round_trip(p);
		fuzz_run_strategies(p);
	}
	tdxsim_platform_free(p);
	tdxsim_diag_free(diag);
	fuzz_check_time(start, "fuzz-fixture");
	return 0;
}
