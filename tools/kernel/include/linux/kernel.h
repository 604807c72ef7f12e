/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <linux/kernel.h> is part of the one shim header. */
#include "kshim.h"
