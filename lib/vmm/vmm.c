/* SPDX-License-Identifier: MIT */
/*
 * The untrusted VMM: TDG.VP.VMCALL answered as KVM does.
 *
 * Sources: the GHCI sub-functions and R10 status codes (Linux
 * arch/x86/include/asm/shared/tdx.h, TDX module 1.5 tdg_vp_vmcall.c); KVM tdx_emulate_mmio(), merged in
 * v6.16: size, direction and shared-GPA checks, shared bit stripped,
 * R11 = read value); memtype.h (MTRR MSRs of a TD reach the VMM's
 * TDXSIM_MTRR_TDX bank).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <tdxsim/machine.h>
#include <tdxsim/status.h>

#include "common.h"
#include "range.h"

struct vmm_device {
	struct tdxsim_range range;
	struct tdxsim_device_ops ops;
	void *ctx;
	uint64_t accesses;
};

struct tdxsim_vmm {
	uint64_t shared_bit;
	struct vmm_device *devices;
	size_t ndevices, cap_devices;
	struct tdxsim_vmm_script *scripts;
	size_t nscripts, cap_scripts;
	uint64_t drift;
	struct tdxsim_vmm_stats stats;
	struct tdxsim_mtrr_bank *bank;
};

TDXSIM_EXPORT int
tdxsim_vmm_new(const struct tdxsim_vmm_config *config, struct tdxsim_vmm **out)
{
	struct tdxsim_vmm_config c = { .size = sizeof(c) };
	struct tdxsim_mtrr_config mc;
	struct tdxsim_vmm *vmm;
	int ret;

	if (!out)
		return -EINVAL;
	ret = config ? tdxsim_config_copy(&c, sizeof(c), config, TDXSIM_VMM_CONFIG_SIZE_V1) : 0;
	if (ret == 0)
		ret = tdxsim_gpaw_resolve(&c.gpaw);
	if (ret < 0)
		return ret;
	vmm = calloc(1, sizeof(*vmm));
	if (!vmm)
		return -ENOMEM;
	/* The module's get_gpa_shared_bit(): width 48 -> bit 47, 52 -> bit 51. */
	vmm->shared_bit = 1ULL << (c.gpaw - 1);
	tdxsim_mtrr_config_init(&mc, TDXSIM_MTRR_TDX);
	mc.maxphyaddr = c.gpaw;
	ret = tdxsim_mtrr_bank_new(&mc, &vmm->bank);
	if (ret) {
		free(vmm);
		return ret;
	}
	*out = vmm;
	return 0;
}

TDXSIM_EXPORT void
tdxsim_vmm_free(struct tdxsim_vmm *vmm)
{
	if (!vmm)
		return;
	for (size_t i = 0; i < vmm->ndevices; i++)
		if (vmm->devices[i].ops.release)
			vmm->devices[i].ops.release(vmm->devices[i].ctx);
	free(vmm->devices);
	free(vmm->scripts);
	tdxsim_mtrr_bank_free(vmm->bank);
	free(vmm);
}

static int
add_device_checked(struct tdxsim_vmm *vmm, struct tdxsim_range r,
		   const struct tdxsim_device_ops *ops, void *ctx)
{
	struct vmm_device *d;

	for (size_t i = 0; i < vmm->ndevices; i++)
		if (tdxsim_range_overlaps(vmm->devices[i].range, r))
			return -EEXIST;
	if (tdxsim_array_reserve((void **)&vmm->devices, &vmm->cap_devices,
				 vmm->ndevices + 1, sizeof(*vmm->devices)))
		return -ENOMEM;
	d = &vmm->devices[vmm->ndevices];
	d->range = r;
	d->ops = *ops;
	d->ctx = ctx;
	d->accesses = 0;
	return (int)vmm->ndevices++;
}

TDXSIM_EXPORT int
tdxsim_vmm_add_device(struct tdxsim_vmm *vmm, uint64_t gpa, uint64_t size,
		      const struct tdxsim_device_ops *ops, void *ctx)
{
	struct tdxsim_range r;
	int ret = -EINVAL;

	if (vmm && ops && ops->access && size &&
	    tdxsim_range_from_base_size(gpa, size, &r))
		ret = add_device_checked(vmm, r, ops, ctx);
	if (ret < 0 && ops && ops->release)
		ops->release(ctx);
	return ret;
}

TDXSIM_EXPORT uint64_t
tdxsim_vmm_device_accesses(const struct tdxsim_vmm *vmm, int id)
{
	if (!vmm || id < 0 || (size_t)id >= vmm->ndevices)
		return 0;
	return vmm->devices[id].accesses;
}

TDXSIM_EXPORT int
tdxsim_vmm_script_add(struct tdxsim_vmm *vmm,
		      const struct tdxsim_vmm_script *script)
{
	if (!vmm || !script || script->fault < TDXSIM_VMM_FAULT_STATUS ||
	    script->fault > TDXSIM_VMM_FAULT_DRIFT ||
	    (script->fault == TDXSIM_VMM_FAULT_TDCALL && !script->value))
		return -EINVAL;
	if (tdxsim_array_reserve((void **)&vmm->scripts, &vmm->cap_scripts,
				 vmm->nscripts + 1, sizeof(*vmm->scripts)))
		return -ENOMEM;
	vmm->scripts[vmm->nscripts++] = *script;
	return 0;
}

TDXSIM_EXPORT void
tdxsim_vmm_script_clear(struct tdxsim_vmm *vmm)
{
	if (vmm)
		vmm->nscripts = 0;
}

TDXSIM_EXPORT void
tdxsim_vmm_stats(const struct tdxsim_vmm *vmm, struct tdxsim_vmm_stats *out)
{
	if (vmm && out)
		*out = vmm->stats;
}

TDXSIM_EXPORT struct tdxsim_mtrr_bank *
tdxsim_vmm_mtrr_bank(struct tdxsim_vmm *vmm)
{
	return vmm ? vmm->bank : NULL;
}

/* ---- scripts ---- */

/* Take the first script entry matching this call; 0 when none. */
static int
script_take(struct tdxsim_vmm *vmm, uint64_t subfunction,
	    struct tdxsim_vmm_script *out)
{
	for (size_t i = 0; i < vmm->nscripts; i++) {
		struct tdxsim_vmm_script *s = &vmm->scripts[i];

		if (s->subfunction && s->subfunction != subfunction)
			continue;
		*out = *s;
		if (s->count && --s->count == 0) {
			memmove(s, s + 1, (vmm->nscripts - i - 1) * sizeof(*s));
			vmm->nscripts--;
		}
		vmm->stats.scripted++;
		return 1;
	}
	return 0;
}

static uint64_t
size_mask(unsigned size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

/* Garbage and drift change only what a read returns in R11. */
static void
script_after(struct tdxsim_vmm *vmm, const struct tdxsim_vmm_script *s,
	     struct tdxsim_tdvmcall *call, unsigned size, int is_read)
{
	if (!is_read || call->r10 != TDXSIM_TDVMCALL_SUCCESS)
		return;
	if (s->fault == TDXSIM_VMM_FAULT_GARBAGE)
		call->r11 = (call->r11 & size_mask(size)) |
			    (s->value & ~size_mask(size));
	else if (s->fault == TDXSIM_VMM_FAULT_DRIFT)
		call->r11 = (call->r11 + ++vmm->drift * (s->value ? s->value : 1)) &
			    size_mask(size);
}

/* ---- MMIO (sub-function 48) ---- */

static struct vmm_device *
find_device(struct tdxsim_vmm *vmm, struct tdxsim_range r)
{
	for (size_t i = 0; i < vmm->ndevices; i++)
		if (tdxsim_range_covers(vmm->devices[i].range, r))
			return &vmm->devices[i];
	return NULL;
}

/* KVM tdx_emulate_mmio() (arch/x86/kvm/vmx/tdx.c): size, direction, then gpa
 * and gpa+size-1 both shared. */
static int
mmio_valid(const struct tdxsim_vmm *vmm, uint64_t size, uint64_t dir,
	   uint64_t gpa)
{
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return 0;
	if (dir > 1)
		return 0;
	return (gpa & vmm->shared_bit) && ((gpa + size - 1) & vmm->shared_bit);
}

/* One access of its true width to the device (never split); a bus
 * without a responder reads all ones and drops writes. */
static void
mmio_bus(struct tdxsim_vmm *vmm, struct tdxsim_tdvmcall *call)
{
	unsigned size = (unsigned)call->r12;
	int write = (int)call->r13;
	uint64_t gpa = call->r14 & ~vmm->shared_bit;
	uint64_t value = write ? call->r15 & size_mask(size) : 0;
	struct tdxsim_range r = { gpa, gpa + size };
	struct vmm_device *d = r.end > r.start ? find_device(vmm, r) : NULL;

	vmm->stats.mmio++;
	if (!d) {
		vmm->stats.unclaimed++;
		value = size_mask(size);
	} else {
		d->accesses++;
		if (d->ops.access(d->ctx, gpa - d->range.start, size, write, &value)) {
			call->r10 = TDXSIM_TDVMCALL_INVALID_OPERAND;
			return;
		}
	}
	call->r10 = TDXSIM_TDVMCALL_SUCCESS;
	if (!write)
		call->r11 = value & size_mask(size);
}

static void
handle_mmio(struct tdxsim_vmm *vmm, struct tdxsim_tdvmcall *call)
{
	if (!mmio_valid(vmm, call->r12, call->r13, call->r14)) {
		call->r10 = TDXSIM_TDVMCALL_INVALID_OPERAND;
		return;
	}
	mmio_bus(vmm, call);
}

/* ---- MSRs (31, 32) through the TDX bank ---- */

/* VE_OK is the VMM's success; VE_FAIL carries the bank's R10
 * (memtype.h: TDVMCALL_STATUS_INVALID_OPERAND). */
static void
msr_reply(const struct tdxsim_msr_result *res, struct tdxsim_tdvmcall *call,
	  int read)
{
	if (res->outcome == TDXSIM_MSR_VE_OK || res->outcome == TDXSIM_MSR_OK) {
		call->r10 = TDXSIM_TDVMCALL_SUCCESS;
		if (read)
			call->r11 = res->value;
		return;
	}
	call->r10 = res->tdvmcall_status ? res->tdvmcall_status :
		    TDXSIM_TDVMCALL_INVALID_OPERAND;
}

static void
handle_msr(struct tdxsim_vmm *vmm, struct tdxsim_tdvmcall *call, int read)
{
	struct tdxsim_msr_result res;

	vmm->stats.msr++;
	if (call->r12 > UINT32_MAX) {
		call->r10 = TDXSIM_TDVMCALL_INVALID_OPERAND;
		return;
	}
	if (read)
		tdxsim_mtrr_rdmsr(vmm->bank, (uint32_t)call->r12, &res);
	else
		tdxsim_mtrr_wrmsr(vmm->bank, (uint32_t)call->r12, call->r13, &res);
	msr_reply(&res, call, read);
}

/* ---- CPUID (10), HLT (12), I/O (30) ---- */

/* KVM answers from the vCPU's CPUID table; the simulated one knows only
 * its signature leaf 0x40000000 ("KVMKVMKVM", max leaf 0x40000001,
 * Documentation/virt/kvm/x86/cpuid.rst) and returns zeros elsewhere. */
static void
handle_cpuid(struct tdxsim_vmm *vmm, struct tdxsim_tdvmcall *call)
{
	vmm->stats.cpuid++;
	call->r10 = TDXSIM_TDVMCALL_SUCCESS;
	if (call->r12 == 0x40000000) {
		call->r12 = 0x40000001;
		call->r13 = 0x4b4d564b;	/* "KVMK" */
		call->r14 = 0x564b4d56;	/* "VMKV" */
		call->r15 = 0x0000004d;	/* "M" */
		return;
	}
	call->r12 = call->r13 = call->r14 = call->r15 = 0;
}

/* KVM tdx_emulate_io(): size 1/2/4 and direction 0/1, else
 * INVALID_OPERAND. No port devices: IN reads all ones. */
static void
handle_io(struct tdxsim_vmm *vmm, struct tdxsim_tdvmcall *call)
{
	uint64_t size = call->r12;

	vmm->stats.io++;
	if ((size != 1 && size != 2 && size != 4) || call->r13 > 1 ||
	    call->r14 > 0xffff) {
		call->r10 = TDXSIM_TDVMCALL_INVALID_OPERAND;
		return;
	}
	call->r10 = TDXSIM_TDVMCALL_SUCCESS;
	if (call->r13 == 0)
		call->r11 = size_mask((unsigned)size);
}

static void
dispatch(struct tdxsim_vmm *vmm, struct tdxsim_tdvmcall *call)
{
	switch (call->r11) {
	case TDXSIM_EXIT_EPT_VIOLATION:
		handle_mmio(vmm, call);
		break;
	case TDXSIM_EXIT_RDMSR:
	case TDXSIM_EXIT_WRMSR:
		handle_msr(vmm, call, call->r11 == TDXSIM_EXIT_RDMSR);
		break;
	case TDXSIM_EXIT_CPUID:
		handle_cpuid(vmm, call);
		break;
	case TDXSIM_EXIT_HLT:
		vmm->stats.hlt++;
		call->r10 = TDXSIM_TDVMCALL_SUCCESS;
		break;
	case TDXSIM_EXIT_IO:
		handle_io(vmm, call);
		break;
	default:
		call->r10 = TDXSIM_TDVMCALL_SUBFUNC_UNSUPPORTED;
		break;
	}
}

/* Which reads a garbage or drift script may alter, and their width. */
static int
read_width(const struct tdxsim_tdvmcall *call, unsigned *size)
{
	*size = 8;
	if (call->r11 == TDXSIM_EXIT_EPT_VIOLATION || call->r11 == TDXSIM_EXIT_IO) {
		*size = call->r12 <= 8 ? (unsigned)call->r12 : 8;
		return call->r13 == 0;
	}
	return call->r11 == TDXSIM_EXIT_RDMSR;
}

TDXSIM_EXPORT uint64_t
tdxsim_vmm_tdvmcall(void *ctx, struct tdxsim_tdvmcall *call)
{
	struct tdxsim_vmm *vmm = ctx;
	struct tdxsim_vmm_script s = { 0 };
	int scripted;
	unsigned size;
	int is_read;

	if (!vmm || !call)
		return TDXSIM_TDX_OPERAND_INVALID;
	vmm->stats.calls++;
	is_read = read_width(call, &size);
	scripted = script_take(vmm, call->r11, &s);
	if (scripted && s.fault == TDXSIM_VMM_FAULT_TDCALL)
		return s.value;
	if (scripted && s.fault == TDXSIM_VMM_FAULT_STATUS)
		call->r10 = s.value;
	else if (call->r10 != 0)
		/* GHCI: R10 != 0 is vendor-specific (a KVM hypercall);
		 * none is simulated. */
		call->r10 = TDXSIM_TDVMCALL_SUBFUNC_UNSUPPORTED;
	else
		dispatch(vmm, call);
	if (scripted)
		script_after(vmm, &s, call, size, is_read);
	if (call->r10 != TDXSIM_TDVMCALL_SUCCESS)
		vmm->stats.rejected++;
	return TDXSIM_TDX_SUCCESS;
}
