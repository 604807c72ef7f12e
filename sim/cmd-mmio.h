/* SPDX-License-Identifier: MIT */
/*
 * tdxsim mmio's front end (options, batch file, JSON lines) around any
 * #VE MMIO handler with the shape of tdxsim_mmio_handle(): tdxsim's own
 * (tdxsim mmio) or the kernel's compiled handle_mmio() (tdxsim-kernel mmio,
 * docs/kernel-in-the-loop.md), so that both print the same lines.
 */
#ifndef TDXSIM_CLI_CMD_MMIO_H
#define TDXSIM_CLI_CMD_MMIO_H

#include <stddef.h>
#include <stdint.h>

#include <tdxsim/guest.h>

/*
 * Handle one #VE as set up by config, as tdxsim_mmio_handle() does with a
 * handler made from config. Returns 0 (the outcome is in out) or a
 * negative errno after saying why on stderr.
 */
typedef int (*cli_mmio_handle_fn)(const struct tdxsim_mmio_config *config,
				  struct tdxsim_vcpu_regs *regs,
				  const struct tdxsim_veinfo *ve,
				  const uint8_t *insn, size_t insn_len, int user,
				  tdxsim_tdvmcall_fn vmm, void *vmm_ctx,
				  struct tdxsim_mmio_result *out);

/* tdxsim mmio's argument handling and output with handle doing the work. */
int cli_mmio_main(cli_mmio_handle_fn handle, int argc, char **argv);

#endif /* TDXSIM_CLI_CMD_MMIO_H */
