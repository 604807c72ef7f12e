/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <linux/types.h> is part of the one shim header. */
#include "kshim.h"
