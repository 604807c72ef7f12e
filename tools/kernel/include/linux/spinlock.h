/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <linux/spinlock.h> is part of the one shim header. */
#include "kshim.h"
