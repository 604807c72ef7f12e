/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the TDMR layout loader (tdxsim module-config's LAYOUT file) and the
 * module's verdict on what it accepts, on the platform the fixtures in
 * fixtures/layouts are made for (embedded at build time). Invariants
 * beyond "no crash":
 * - a refused layout says why: an error diagnostic, every diagnostic
 *   naming the input, and no layout returned;
 * - an accepted layout writes, reads back, and writes the same bytes
 *   again (the writer's promise);
 * - the module gives it a verdict without a library error: 0, or -EINVAL
 *   (more reserved areas than MAX_RESERVED_PER_TDMR) or -E2BIG (more
 *   TDMRs than tdxsim lays out) as tdxsim_host_verdict() documents; the
 *   status is a word the decoder names, and a second verdict on the same
 *   layout gives the same answer;
 * - the whole input takes less than the time bound (fuzz-time.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tdxsim/tdxsim.h>

#include "fuzz-time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fixtures/platforms/emr-canonical-tdx-135.yaml (tools/embed-file.py). */
extern const char fuzz_layout_platform[];
extern const size_t fuzz_layout_platform_size;

static char *
write_text(const struct tdxsim_layout *layout, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f || tdxsim_layout_write(layout, f) != 0)
		abort();
	fclose(f);
	return text;
}

static void
check_round_trip(const struct tdxsim_layout *layout)
{
	struct tdxsim_layout *again = NULL;
	size_t len1, len2;
	char *text1 = write_text(layout, &len1), *text2;

	if (tdxsim_layout_load_buffer("again", text1, len1, &again, NULL) != 0)
		abort();
	text2 = write_text(again, &len2);
	if (len1 != len2 || memcmp(text1, text2, len1) != 0)
		abort();
	free(text1);
	free(text2);
	tdxsim_layout_free(again);
}

static void
check_verdict(const struct tdxsim_platform *p, const struct tdxsim_layout *layout)
{
	uint64_t status = 0, again = 0;
	int ret = tdxsim_host_verdict(p, layout, &status);

	if (ret != 0 && ret != -EINVAL && ret != -E2BIG)
		abort();
	if (ret != 0)
		return;
	if (status != TDXSIM_TDX_SUCCESS && !tdxsim_status_name(status))
		abort();
	if (tdxsim_host_verdict(p, layout, &again) != 0 || again != status)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p = NULL;
	struct tdxsim_layout *layout = NULL;
	uint64_t start = fuzz_now_ms();
	int ret;

	if (!diag || tdxsim_platform_load_buffer("platform", fuzz_layout_platform,
						 fuzz_layout_platform_size, &p, NULL) != 0)
		abort();
	ret = tdxsim_layout_load_buffer("fuzz", (const char *)data, size, &layout, diag);
	if (ret == -EINVAL && tdxsim_diag_error_count(diag) == 0)
		abort();
	for (size_t i = 0; i < tdxsim_diag_count(diag); i++) {
		if (strncmp(tdxsim_diag_message(diag, i), "fuzz", 4) != 0)
			abort();
	}
	if (ret != 0 && layout)
		abort();
	if (ret == 0) {
		check_round_trip(layout);
		check_verdict(p, layout);
	}
	tdxsim_layout_free(layout);
	tdxsim_platform_free(p);
	tdxsim_diag_free(diag);
	fuzz_check_time(start, "fuzz-layout");
	return 0;
}
