/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <linux/pfn.h> is part of the one shim header. */
#include "kshim.h"
