/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <asm/cpufeature.h> is part of the one shim header. */
#include "kshim.h"
