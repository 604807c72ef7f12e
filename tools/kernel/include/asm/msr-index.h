/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <asm/msr-index.h> is part of the one shim header. */
#include "kshim.h"
