/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <linux/log2.h> is part of the one shim header. */
#include "kshim.h"
