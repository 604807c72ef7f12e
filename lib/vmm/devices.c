/* SPDX-License-Identifier: MIT */
/*
 * Device models on the simulated VMM's MMIO bus, built on the public
 * tdxsim_vmm_add_device(): a TPM TIS register block, an HPET, a scratch
 * memory and a constant responder. Each receives one access of its true
 * width per architectural access (tdxsim/machine.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <tdxsim/machine.h>

#include "common.h"

/* ---- TPM TIS (TCG PC Client Platform TPM Profile spec, 6.5 "FIFO
 * interface" register space; QEMU hw/tpm/tpm_tis_common.c values) ---- */

#define TPM_LOCALITIES		5
#define TPM_SIZE		0x5000ull
#define TPM_ACCESS		0x000
#define TPM_INT_ENABLE		0x008
#define TPM_INTF_CAPABILITY	0x014
#define TPM_STS			0x018
#define TPM_INTERFACE_ID	0x030
#define TPM_DID_VID		0xf00
#define TPM_RID			0xf04

/* TPM_ACCESS bits: tpmRegValidSts (7), activeLocality (5), requestUse (1),
 * tpmEstablishment (0: 1 = no dynamic OS launched). */
#define ACCESS_VALID		0x80u
#define ACCESS_ACTIVE		0x20u
#define ACCESS_REQUEST_USE	0x02u
#define ACCESS_ESTABLISHMENT	0x01u
/* TPM_STS: stsValid (7), commandReady (6), tpmFamily 01 = TPM 2.0 (27:26),
 * burstCount (23:8). */
#define STS_VALID		0x80u
#define STS_COMMAND_READY	0x40u
#define STS_FAMILY_TPM2		0x04000000u
#define STS_BURST		(0x40u << 8)
/* Vendor 0x1014 (IBM), device 0x0001: QEMU TPM_TIS_TPM_VID/DID. */
#define TPM_DID_VID_VALUE	0x00011014u
#define TPM_RID_VALUE		0x01u
/* INTERFACE_ID: InterfaceType 0 = FIFO for TPM 2.0, InterfaceVersion 0. */
#define TPM_INTERFACE_ID_VALUE	0x00000000u
/* INTF_CAPABILITY: data transfer size 64 bytes (10:9 = 3), TPM 2.0
 * interface version (30:28 = 3), burst count static. */
#define TPM_INTF_CAP_VALUE	0x30000600u

struct tpm {
	int active;		/* active locality, -1 for none */
	int command_ready;
	uint32_t int_enable[TPM_LOCALITIES];
};

static uint32_t
tpm_access_read(const struct tpm *t, int locty)
{
	uint32_t v = ACCESS_VALID | ACCESS_ESTABLISHMENT;

	if (t->active == locty)
		v |= ACCESS_ACTIVE;
	return v;
}

/* The 32-bit register that holds offset reg of a locality. */
static uint32_t
tpm_reg_read(const struct tpm *t, int locty, uint64_t reg)
{
	switch (reg) {
	case TPM_ACCESS:
		return tpm_access_read(t, locty);
	case TPM_INT_ENABLE:
		return t->int_enable[locty];
	case TPM_INTF_CAPABILITY:
		return TPM_INTF_CAP_VALUE;
	case TPM_STS:
		/* A locality that is not active reads all ones (QEMU). */
		if (t->active != locty)
			return 0xffffffffu;
		return STS_FAMILY_TPM2 | STS_VALID | STS_BURST |
		       (t->command_ready ? STS_COMMAND_READY : 0);
	case TPM_INTERFACE_ID:
		return TPM_INTERFACE_ID_VALUE;
	case TPM_DID_VID:
		return TPM_DID_VID_VALUE;
	case TPM_RID:
		return TPM_RID_VALUE;
	default:
		return 0xffffffffu;
	}
}

static void
tpm_access_write(struct tpm *t, int locty, uint32_t v)
{
	if ((v & ACCESS_REQUEST_USE) && t->active < 0)
		t->active = locty;
	if ((v & ACCESS_ACTIVE) && t->active == locty) {
		t->active = -1;	/* relinquish */
		t->command_ready = 0;
	}
}

static void
tpm_reg_write(struct tpm *t, int locty, uint64_t reg, uint32_t v)
{
	if (reg == TPM_ACCESS)
		tpm_access_write(t, locty, v);
	else if (reg == TPM_INT_ENABLE && t->active == locty)
		t->int_enable[locty] = v;
	else if (reg == TPM_STS && t->active == locty && (v & STS_COMMAND_READY))
		t->command_ready = 1;
}

/* Registers are 32-bit; narrower accesses see or set their bytes. An
 * 8-byte access reads two registers (low first). */
static int
tpm_access(void *ctx, uint64_t offset, unsigned size, int write,
	   uint64_t *value)
{
	struct tpm *t = ctx;
	int locty = (int)(offset >> 12);
	uint64_t reg = offset & 0xffc;
	unsigned shift = (unsigned)(offset & 3) * 8;

	if (write) {
		tpm_reg_write(t, locty, reg, (uint32_t)(*value << shift));
		return 0;
	}
	*value = tpm_reg_read(t, locty, reg) >> shift;
	if (size == 8)
		*value |= (uint64_t)tpm_reg_read(t, locty, reg + 4) << 32;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_vmm_add_tpm(struct tdxsim_vmm *vmm, uint64_t gpa)
{
	static const struct tdxsim_device_ops ops = { "tpm-tis", tpm_access, free };
	struct tpm *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->active = -1;
	return tdxsim_vmm_add_device(vmm, gpa, TPM_SIZE, &ops, t);
}

/* ---- HPET (IA-PC HPET Specification 1.0a, 2.3) ---- */

#define HPET_SIZE		0x400ull
#define HPET_GCAP_ID		0x000
#define HPET_CONFIG		0x010
#define HPET_COUNTER		0x0f0
/* 69841279 fs period (14.31818 MHz), vendor 0x8086, LEG_RT_CAP (15),
 * COUNT_SIZE_CAP (13), NUM_TIM_CAP 2 (three timers), REV_ID 1. */
#define HPET_GCAP_VALUE		0x0429B17F8086A201ull
#define HPET_ENABLE_CNF		0x1ull
#define HPET_STEP		0x100ull

struct hpet {
	uint64_t config;
	uint64_t counter;
};

static uint64_t
hpet_reg_read(struct hpet *h, uint64_t reg)
{
	uint64_t v;

	switch (reg) {
	case HPET_GCAP_ID:
		return HPET_GCAP_VALUE;
	case HPET_CONFIG:
		return h->config;
	case HPET_COUNTER:
		v = h->counter;
		if (h->config & HPET_ENABLE_CNF)
			h->counter += HPET_STEP;
		return v;
	default:
		return 0;
	}
}

static int
hpet_access(void *ctx, uint64_t offset, unsigned size, int write,
	    uint64_t *value)
{
	struct hpet *h = ctx;
	uint64_t reg = offset & ~7ull;
	unsigned shift = (unsigned)(offset & 7) * 8;

	(void)size;
	if (write) {
		if (reg == HPET_CONFIG)
			h->config = (*value << shift) & 0x3;
		else if (reg == HPET_COUNTER && !(h->config & HPET_ENABLE_CNF))
			h->counter = *value << shift;
		return 0;
	}
	*value = hpet_reg_read(h, reg) >> shift;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_vmm_add_hpet(struct tdxsim_vmm *vmm, uint64_t gpa)
{
	static const struct tdxsim_device_ops ops = { "hpet", hpet_access, free };
	struct hpet *h = calloc(1, sizeof(*h));

	if (!h)
		return -ENOMEM;
	/* Enabled, as firmware and the OS leave it running. */
	h->config = HPET_ENABLE_CNF;
	return tdxsim_vmm_add_device(vmm, gpa, HPET_SIZE, &ops, h);
}

/* ---- scratch memory ---- */

#define SCRATCH_MAX	(16ull << 20)

static int
scratch_access(void *ctx, uint64_t offset, unsigned size, int write,
	       uint64_t *value)
{
	uint8_t *mem = ctx;

	/* Little-endian, byte by byte: no host byte-order assumption. */
	if (write) {
		for (unsigned i = 0; i < size; i++)
			mem[offset + i] = (uint8_t)(*value >> (8 * i));
		return 0;
	}
	*value = 0;
	for (unsigned i = 0; i < size; i++)
		*value |= (uint64_t)mem[offset + i] << (8 * i);
	return 0;
}

TDXSIM_EXPORT int
tdxsim_vmm_add_scratch(struct tdxsim_vmm *vmm, uint64_t gpa, uint64_t size)
{
	static const struct tdxsim_device_ops ops = { "scratch", scratch_access, free };
	uint8_t *mem;

	if (!size || size > SCRATCH_MAX)
		return -EINVAL;
	mem = calloc(1, (size_t)size);
	if (!mem)
		return -ENOMEM;
	return tdxsim_vmm_add_device(vmm, gpa, size, &ops, mem);
}

/* ---- constant responder ---- */

static int
constant_access(void *ctx, uint64_t offset, unsigned size, int write,
		uint64_t *value)
{
	(void)offset;
	(void)size;
	if (!write)
		*value = *(const uint64_t *)ctx;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_vmm_add_constant(struct tdxsim_vmm *vmm, uint64_t gpa, uint64_t size,
			uint64_t value)
{
	static const struct tdxsim_device_ops ops = { "constant", constant_access, free };
	uint64_t *v = malloc(sizeof(*v));

	if (!v)
		return -ENOMEM;
	*v = value;
	return tdxsim_vmm_add_device(vmm, gpa, size, &ops, v);
}
