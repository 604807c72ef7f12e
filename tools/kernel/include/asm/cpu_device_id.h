/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <asm/cpu_device_id.h> is part of the one shim header. */
#include "kshim.h"
