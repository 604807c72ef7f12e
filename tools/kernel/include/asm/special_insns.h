/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <asm/special_insns.h> is part of the one shim header. */
#include "kshim.h"
