/* SPDX-License-Identifier: MIT */
/*
 * The API contract (docs/architecture.md, "API contract"): every exported
 * function, called with NULL where an object is required, returns -EINVAL
 * (NULL or 0 for getters) and never crashes or aborts; zero lengths are
 * fine. The calls are generated from lib/tdxsim.sym by
 * tests/gen-api-null.py (one with every pointer NULL, then one per pointer
 * with only that one NULL), so a new function cannot be left out.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include <tdxsim/tdxsim.h>

#include "test-common.h"

/* A valid value of every object type, shared by all calls; out-parameters
 * land in the out_ slots and are freed after each call. */
struct api_objects {
	struct tdxsim_platform *platform;
	struct tdxsim_diag *diag;
	struct tdxsim_layout *layout;
	struct tdxsim_module *module;
	struct tdxsim_host_run *host_run;
	struct tdxsim_linux_mm *linux_mm;
	struct tdxsim_mtrr_bank *mtrr_bank;
	struct tdxsim_linux_guest *linux_guest;
	struct tdxsim_mmio_handler *mmio_handler;
	struct tdxsim_td *td;
	struct tdxsim_vmm *vmm;
	struct tdxsim_scenario *scenario;
	FILE *file;
	/* Zeroed plain data for struct and number pointers (0 lengths). */
	union {
		max_align_t align;
		unsigned char bytes[4096];
	} buf;
	struct tdxsim_platform *out_platform;
	struct tdxsim_diag *out_diag;
	struct tdxsim_layout *out_layout;
	struct tdxsim_module *out_module;
	struct tdxsim_host_run *out_host_run;
	struct tdxsim_linux_mm *out_linux_mm;
	struct tdxsim_mtrr_bank *out_mtrr_bank;
	struct tdxsim_linux_guest *out_linux_guest;
	struct tdxsim_mmio_handler *out_mmio_handler;
	struct tdxsim_td *out_td;
	struct tdxsim_vmm *out_vmm;
	struct tdxsim_scenario *out_scenario;
};

struct api_call {
	const char *symbol;
	const char *what;
	void (*call)(struct api_objects *o);
};

static void
api_expect_int(const char *symbol, int k, int got, int want)
{
	if (got != want)
		fail_msg("%s (call %d): returned %d, want %d", symbol, k, got, want);
}

static void
api_expect_ptr(const char *symbol, int k, const void *got)
{
	if (got)
		fail_msg("%s (call %d): returned a pointer, want NULL", symbol, k);
}

static void
api_expect_zero(const char *symbol, int k, uint64_t got)
{
	if (got)
		fail_msg("%s (call %d): returned %llu, want 0", symbol, k,
			 (unsigned long long)got);
}

static void
api_expect_error_status(const char *symbol, int k, uint64_t got)
{
	if (got == 0)
		fail_msg("%s (call %d): returned SUCCESS (0), want an error status",
			 symbol, k);
}

static void
api_release_outs(struct api_objects *o)
{
	tdxsim_platform_free(o->out_platform);
	tdxsim_diag_free(o->out_diag);
	tdxsim_layout_free(o->out_layout);
	tdxsim_module_free(o->out_module);
	tdxsim_host_run_free(o->out_host_run);
	tdxsim_linux_mm_free(o->out_linux_mm);
	tdxsim_linux_guest_free(o->out_linux_guest);
	tdxsim_mtrr_bank_free(o->out_mtrr_bank);
	tdxsim_mmio_handler_free(o->out_mmio_handler);
	tdxsim_td_free(o->out_td);
	tdxsim_vmm_free(o->out_vmm);
	tdxsim_scenario_free(o->out_scenario);
	o->out_platform = NULL;
	o->out_diag = NULL;
	o->out_layout = NULL;
	o->out_module = NULL;
	o->out_host_run = NULL;
	o->out_linux_mm = NULL;
	o->out_linux_guest = NULL;
	o->out_mtrr_bank = NULL;
	o->out_mmio_handler = NULL;
	o->out_td = NULL;
	o->out_vmm = NULL;
	o->out_scenario = NULL;
	memset(&o->buf, 0, sizeof(o->buf));
}

#include "api-null-calls.h"

static int
setup(void **state)
{
	static struct api_objects objects;
	struct api_objects *o = &objects;
	char *path = tdxsim_test_source_path("fixtures/platforms/emr-canonical-tdx-135.yaml");
	char *scenario = tdxsim_test_source_path("fixtures/scenarios/s1-hpet.yaml");
	struct tdxsim_mtrr_config mtrr;
	struct tdxsim_mmio_config mmio = TDXSIM_CONFIG_INIT(tdxsim_mmio_config);

	memset(o, 0, sizeof(*o));
	o->platform = tdxsim_test_load_file_clean(path);
	o->diag = tdxsim_diag_new();
	o->layout = tdxsim_layout_new();
	tdxsim_mtrr_config_init(&mtrr, (enum tdxsim_mtrr_profile)0);
	if (!o->diag || !o->layout ||
	    tdxsim_module_new(o->platform, NULL, &o->module) ||
	    tdxsim_host_run(o->platform, TDXSIM_STRATEGY_LINUX,
			    TDXSIM_HOST_CONSTRUCT, &o->host_run) ||
	    tdxsim_linux_mm_new(o->platform, (enum tdxsim_kernel)0, &o->linux_mm) ||
	    tdxsim_mtrr_bank_new(&mtrr, &o->mtrr_bank) ||
	    tdxsim_linux_guest_new(&(struct tdxsim_linux_guest_config){ 0 },
				   o->mtrr_bank, &o->linux_guest) ||
	    tdxsim_mmio_handler_new(&mmio, &o->mmio_handler) ||
	    tdxsim_vmm_new(NULL, &o->vmm) ||
	    tdxsim_td_new(NULL, tdxsim_vmm_tdvmcall, o->vmm, &o->td) ||
	    tdxsim_scenario_load_file(scenario, &o->scenario, NULL) ||
	    !(o->file = fopen("/dev/null", "w+")))
		return -1;
	free(path);
	free(scenario);
	*state = o;
	return 0;
}

static int
teardown(void **state)
{
	struct api_objects *o = *state;

	tdxsim_td_free(o->td);
	tdxsim_vmm_free(o->vmm);
	tdxsim_linux_guest_free(o->linux_guest);
	tdxsim_mtrr_bank_free(o->mtrr_bank);
	tdxsim_mmio_handler_free(o->mmio_handler);
	tdxsim_linux_mm_free(o->linux_mm);
	tdxsim_host_run_free(o->host_run);
	tdxsim_module_free(o->module);
	tdxsim_layout_free(o->layout);
	tdxsim_diag_free(o->diag);
	tdxsim_scenario_free(o->scenario);
	tdxsim_platform_free(o->platform);
	fclose(o->file);
	return 0;
}

/* Every generated call; the name goes out first, so that a crash names
 * its call. */
static void
test_every_symbol(void **state)
{
	struct api_objects *o = *state;
	size_t n = sizeof(api_calls) / sizeof(api_calls[0]);

	for (size_t i = 0; i < n; i++) {
		fprintf(stderr, "%s (%s)\n", api_calls[i].symbol, api_calls[i].what);
		api_calls[i].call(o);
	}
	print_message("%zu calls\n", n);
}

/* The two reported cases, by hand, with their exact results. */
static void
test_reported_cases(void **state)
{
	struct tdxsim_platform *p = NULL;
	struct tdxsim_diag *diag = tdxsim_diag_new();

	(void)state;
	assert_int_equal(tdxsim_platform_load_buffer("x", NULL, 0, &p, diag), -EINVAL);
	assert_null(p);
	assert_null(tdxsim_platform_module_profile(NULL));
	tdxsim_diag_free(diag);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reported_cases),
		cmocka_unit_test(test_every_symbol),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
