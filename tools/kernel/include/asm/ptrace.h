/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <asm/ptrace.h> is part of the one shim header. */
#include "kshim.h"
