/* SPDX-License-Identifier: MIT */
/*
 * tdxsim kernel shim, guest side: what the extracted handle_mmio() and
 * insn-eval.c functions include instead of their files' own #includes
 * (tools/kernel/extract-functions.py): the shim, then the tree's own
 * instruction decoder headers.
 */
#ifndef KSHIM_GUEST_MMIO_H
#define KSHIM_GUEST_MMIO_H

#include "kshim-guest.h"

#include <asm/insn.h>
#include <asm/insn-eval.h>

#endif /* KSHIM_GUEST_MMIO_H */
