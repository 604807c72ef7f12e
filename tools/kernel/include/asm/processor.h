/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <asm/processor.h> is part of the one shim header. */
#include "kshim.h"
