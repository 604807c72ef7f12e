/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <linux/percpu-defs.h> is part of the one shim header. */
#include "kshim.h"
