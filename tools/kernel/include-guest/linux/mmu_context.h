/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim, guest side: <linux/mmu_context.h> is part of the one shim header. */
#include "kshim-guest.h"
