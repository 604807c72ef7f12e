/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim, guest side: <linux/errno.h> is part of the one shim header. */
#include "kshim-guest.h"
