/* SPDX-License-Identifier: MIT */
/* Shared insides of the memtype layer. */
#ifndef TDXSIM_MEMTYPE_PRIVATE_H
#define TDXSIM_MEMTYPE_PRIVATE_H

#include <stdbool.h>

#include <tdxsim/memtype.h>

/*
 * The most variable ranges a bank models. IA32_MTRRCAP.VCNT is 8 bits, but
 * the pairs sit at consecutive MSRs from 0x200 (IA32_MTRR_PHYSBASEn at
 * 0x200 + 2n, PHYSMASKn at 0x201 + 2n: SDM vol. 3A 12.11.2.3, vol. 4 table
 * 2-2), and the fixed-range IA32_MTRR_FIX64K_00000 is MSR 0x250: a 41st
 * pair would share its MSR numbers, so no CPU can report more than 40
 * (real ones report 8 to 10). Linux's MTRR_MAX_VAR_RANGES (256) bounds an
 * array, not the architecture.
 */
#define TDXSIM_MTRR_MAX_VAR 40

/* The register file of one vCPU's MTRRs and PAT (SDM 12.11, 12.12). */
struct tdxsim_mtrr_bank {
	struct tdxsim_mtrr_config config;
	uint64_t cap;
	uint64_t deftype;
	uint64_t base[TDXSIM_MTRR_MAX_VAR];
	uint64_t mask[TDXSIM_MTRR_MAX_VAR];
	uint64_t fixed[11];	/* 0x250, 0x258, 0x259, 0x268..0x26F */
	uint64_t pat;
	bool cr0_cd;
	bool cr0_nw;
};

#endif /* TDXSIM_MEMTYPE_PRIVATE_H */
