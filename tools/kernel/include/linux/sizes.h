/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <linux/sizes.h> is part of the one shim header. */
#include "kshim.h"
