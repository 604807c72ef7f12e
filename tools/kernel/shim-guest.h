/* SPDX-License-Identifier: MIT */
/*
 * The guest side of the kernel shim: the kernel's #VE MMIO path
 * (handle_mmio() of coco/tdx/tdx.c with the kernel's instruction decoder)
 * behind the shape of tdxsim_mmio_handle(), so that tdxsim-kernel mmio
 * prints what tdxsim mmio prints (sim/cmd-mmio.h).
 */
#ifndef TDXSIM_KERNEL_SHIM_GUEST_H
#define TDXSIM_KERNEL_SHIM_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include <tdxsim/guest.h>

/*
 * One EPT-violation #VE through the kernel: tdx_handle_virt_exception()'s
 * dispatch as the shim models it, then the compiled handle_mmio().
 * config->mode is not consulted (the kernel has one behaviour);
 * config->gpaw (a width in bits, 0 for 52) places the shared bit. Returns
 * 0 (the outcome is in out).
 */
int kshim_guest_mmio_handle(const struct tdxsim_mmio_config *config,
			    struct tdxsim_vcpu_regs *regs,
			    const struct tdxsim_veinfo *ve,
			    const uint8_t *insn, size_t insn_len, int user,
			    tdxsim_tdvmcall_fn vmm, void *vmm_ctx,
			    struct tdxsim_mmio_result *out);

#endif /* TDXSIM_KERNEL_SHIM_GUEST_H */
