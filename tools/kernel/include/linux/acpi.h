/* SPDX-License-Identifier: MIT */
/* tdxsim kernel shim: <linux/acpi.h> is part of the one shim header. */
#include "kshim.h"
