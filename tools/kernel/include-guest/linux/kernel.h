/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim, guest side: <linux/kernel.h> is part of the one shim header. */
#include "kshim-guest.h"
