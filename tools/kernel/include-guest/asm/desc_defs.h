/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim, guest side: <asm/desc_defs.h> is part of the one shim header. */
#include "kshim-guest.h"
