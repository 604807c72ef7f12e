/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <uapi/asm/mce.h> is part of the one shim header. */
#include "kshim.h"
