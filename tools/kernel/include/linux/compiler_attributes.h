/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <linux/compiler_attributes.h> is part of the one shim header. */
#include "kshim.h"
