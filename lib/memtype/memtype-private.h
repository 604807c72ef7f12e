/* SPDX-License-Identifier: MIT */
/* Shared insides of the memtype layer. */
#ifndef TDXSIM_MEMTYPE_PRIVATE_H
#define TDXSIM_MEMTYPE_PRIVATE_H

#include <stdbool.h>

#include <tdxsim/memtype.h>

#define TDXSIM_MTRR_MAX_VAR 255

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
