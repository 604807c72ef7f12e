/* SPDX-License-Identifier: MIT */
/**
 * @file tdxsim/tdxsim.h
 * libtdxsim: a userspace, hardware-faithful simulator of Intel TDX.
 *
 * This umbrella header includes every public header. Start with
 * tdxsim/platform.h: a platform (E820, CMRs, NUMA ranges, module profile)
 * loaded from a YAML fixture or imported from a kernel log is what every
 * other layer runs on.
 *
 * API contract (docs/architecture.md): a NULL where an object or an output
 * is required gives -EINVAL (getters and predicates: NULL or 0;
 * status-word functions: an error status), never a crash; a buffer may be NULL when its length is 0;
 * a parameter documented "may be NULL" (or "NULL does nothing") is optional.
 * tests/test-api-null.c calls every exported function to hold this.
 */
#ifndef TDXSIM_TDXSIM_H
#define TDXSIM_TDXSIM_H

#include <tdxsim/diag.h>
#include <tdxsim/guest.h>
#include <tdxsim/host.h>
#include <tdxsim/layout.h>
#include <tdxsim/machine.h>
#include <tdxsim/memtype.h>
#include <tdxsim/module.h>
#include <tdxsim/platform.h>
#include <tdxsim/scenario.h>
#include <tdxsim/status.h>
#include <tdxsim/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Get the library's version.
 *
 * @return "MAJOR.MINOR.MICRO" of the libtdxsim in use (which may differ
 *         from the headers a program was built against, whose version is
 *         TDXSIM_VERSION_STRING in tdxsim/version.h).
 */
const char *tdxsim_version(void);

#ifdef __cplusplus
}
#endif

#endif /* TDXSIM_TDXSIM_H */
