/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim, guest side: <asm/ptrace.h> is part of the one shim header. */
#include "kshim-guest.h"
