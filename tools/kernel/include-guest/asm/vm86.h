/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim, guest side: <asm/vm86.h> is part of the one shim header. */
#include "kshim-guest.h"
