/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <linux/suspend.h> is part of the one shim header. */
#include "kshim.h"
