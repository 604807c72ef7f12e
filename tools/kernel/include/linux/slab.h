/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <linux/slab.h> is part of the one shim header. */
#include "kshim.h"
