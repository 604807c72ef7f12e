/* SPDX-License-Identifier: MIT */
/*
 * The kernel's handle_mmio(), taken out of the tree's coco/tdx/tdx.c into
 * the build directory by extract-functions.py (prepare.py), compiled here
 * with the shim, and given one entry point that is not static. This file
 * is tdxsim's; the included one is the tree's and never leaves the build
 * directory.
 */
#include "tdx-mmio.c"

int kshim_handle_mmio(struct pt_regs *regs, struct ve_info *ve);

int
kshim_handle_mmio(struct pt_regs *regs, struct ve_info *ve)
{
	return handle_mmio(regs, ve);
}
