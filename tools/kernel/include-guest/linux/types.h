/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim, guest side: <linux/types.h> is part of the one shim header. */
#include "kshim-guest.h"
