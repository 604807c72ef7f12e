/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <asm/archrandom.h> is part of the one shim header. */
#include "kshim.h"
