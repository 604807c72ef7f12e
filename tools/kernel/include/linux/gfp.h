/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <linux/gfp.h> is part of the one shim header. */
#include "kshim.h"
