/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <tdxsim/tdxsim.h>

#include "util/common.h"

TDXSIM_EXPORT const char *
tdxsim_version(void)
{
	return TDXSIM_VERSION;
}
