/* SPDX-License-Identifier: MIT */
/*
 * Every host strategy on a platform a harness accepted: construction, and
 * the bring-up replay (TDXSIM_HOST_INIT) as every kernel generation does
 * it. Invariants: no library error (-EINVAL only when the module cannot be
 * built from the platform), every line of a run exists and none past its
 * count, the errno is 0 or negative, and a successful replay names no
 * failed SEAMCALL.
 */
#ifndef TDXSIM_FUZZ_HOST_H
#define TDXSIM_FUZZ_HOST_H

#include <errno.h>
#include <stdlib.h>

#include <tdxsim/tdxsim.h>

static inline void
fuzz_check_run(const struct tdxsim_host_run *run, enum tdxsim_host_mode mode)
{
	size_t n = tdxsim_host_run_line_count(run);

	for (size_t i = 0; i < n; i++) {
		if (!tdxsim_host_run_line(run, i))
			abort();
	}
	if (tdxsim_host_run_line(run, n))
		abort();
	if (tdxsim_host_run_errno(run) > 0)
		abort();
	if (mode == TDXSIM_HOST_INIT && tdxsim_host_run_errno(run) == 0 &&
	    tdxsim_host_run_status(run) != 0)
		abort();
}

static inline void
fuzz_run_one(const struct tdxsim_platform *p, enum tdxsim_strategy s,
	     enum tdxsim_kernel k, enum tdxsim_host_mode mode, int module_ok)
{
	struct tdxsim_host_run *run = NULL;
	int ret = tdxsim_host_run_kernel(p, s, k, mode, &run);

	/* Only a profile the module cannot simulate may be refused, and
	 * only by the replay, which needs the module. */
	if (ret != 0 && (ret != -EINVAL || module_ok))
		abort();
	if ((ret == 0) != (run != NULL))
		abort();
	if (run)
		fuzz_check_run(run, mode);
	tdxsim_host_run_free(run);
}

static inline void
fuzz_run_strategies(const struct tdxsim_platform *p)
{
	struct tdxsim_module *m = NULL;
	int module_ok;

	if (tdxsim_module_new(p, NULL, &m) == -ENOMEM)
		abort();
	module_ok = m != NULL;
	tdxsim_module_free(m);
	for (unsigned s = 0; s < TDXSIM_STRATEGY_COUNT; s++) {
		fuzz_run_one(p, (enum tdxsim_strategy)s, TDXSIM_KERNEL_DEFAULT,
			     TDXSIM_HOST_CONSTRUCT, module_ok);
		for (unsigned k = 0; k < TDXSIM_KERNEL_COUNT; k++)
			fuzz_run_one(p, (enum tdxsim_strategy)s, (enum tdxsim_kernel)k,
				     TDXSIM_HOST_INIT, module_ok);
	}
}

#endif /* TDXSIM_FUZZ_HOST_H */
