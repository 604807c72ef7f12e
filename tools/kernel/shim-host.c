/* SPDX-License-Identifier: MIT */
/*
 * Boot the compiled host tdx.c on a tdxsim platform, in the order Linux
 * and KVM use (KVM's __tdx_bringup() of v6.16+, the first caller): the
 * boot-time tdx_init(); tdx_cpu_enable() on every CPU in turn through the
 * CPU hotplug callback, which stops at the first CPU that fails; then
 * tdx_enable(). Collect what it printed, its errno and the TDMRs it built.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim-host.h"

/* The kernel's entry points (arch/x86/include/asm/tdx.h). */
void tdx_init(void);
int tdx_cpu_enable(void);
int tdx_enable(void);

#define HEAP_PA 0x10000000ULL
#define TDMR_INFO_ALIGNMENT 512u

void
kshim_fatal(const char *fmt, ...)
{
	va_list args;

	fflush(stdout);
	fputs("tdxsim-kernel: ", stderr);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fputc('\n', stderr);
	exit(3);
}

static unsigned
module_slots(const struct kshim_machine *m)
{
	return tdxsim_platform_module_profile(m->platform)->max_reserved_per_tdmr;
}

static uint64_t
load_u64(const unsigned char *b)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

void
kshim_record_config(struct kshim_machine *m, uint64_t array_pa, uint64_t count)
{
	size_t entry = TDXSIM_TDMR_INFO_SIZE(module_slots(m));

	if (count > 4096)	/* more than the module would ever look at */
		count = 4096;
	free(m->config_bytes);
	m->config_bytes = calloc(count ? count : 1, entry);
	if (!m->config_bytes)
		kshim_fatal("out of memory");
	for (uint64_t i = 0; i < count; i++) {
		unsigned char ptr[8];

		if (tdxsim_phys_read(m->module, array_pa + 8 * i, ptr, 8) < 0 ||
		    tdxsim_phys_read(m->module, load_u64(ptr),
				     m->config_bytes + i * entry, entry) < 0)
			break;	/* a pointer past the simulated memory: left zero */
	}
	m->configured = true;
	m->config_count = count;
}

/* Without TDH.SYS.CONFIG, the TDMR list as it was freed: entries at the
 * kernel's stride, up to the first one never filled in. The stride is
 * tdmr_size_single()'s: struct tdmr_info is declared 512-byte aligned, so
 * its size is 512 although the reserved areas start at byte 64. */
static void
tdmrs_from_freed(const struct kshim_machine *m, struct kshim_result *out)
{
	size_t entry = TDXSIM_TDMR_INFO_SIZE(out->slots);
	size_t stride = (TDMR_INFO_ALIGNMENT + 16 * (size_t)out->slots +
			 TDMR_INFO_ALIGNMENT - 1) & ~(size_t)(TDMR_INFO_ALIGNMENT - 1);
	size_t n = 0;

	while (m->freed_pages && (n + 1) * stride <= m->freed_pages_size &&
	       load_u64(m->freed_pages + n * stride + 8) != 0)
		n++;
	out->tdmr_bytes = calloc(n ? n : 1, entry);
	if (!out->tdmr_bytes)
		kshim_fatal("out of memory");
	for (size_t i = 0; i < n; i++)
		memcpy(out->tdmr_bytes + i * entry, m->freed_pages + i * stride, entry);
	out->tdmr_count = n;
}

static void
collect(struct kshim_machine *m, int err, struct kshim_result *out)
{
	memset(out, 0, sizeof(*out));
	out->lines = m->lines;
	out->line_count = m->line_count;
	m->lines = NULL;
	out->err = err;
	out->warnings = m->warnings;
	out->seamcalls = m->seamcalls;
	out->slots = module_slots(m);
	out->configured = m->configured;
	if (m->configured) {
		out->tdmr_bytes = m->config_bytes;
		out->tdmr_count = m->config_count;
		m->config_bytes = NULL;
	} else {
		tdmrs_from_freed(m, out);
	}
}

static int
boot(void)
{
	int ret = 0;

	tdx_init();
	for (unsigned cpu = 0; cpu < kshim_machine->nr_cpus && ret == 0; cpu++) {
		kshim_machine->cpu = cpu;
		ret = tdx_cpu_enable();
	}
	kshim_machine->cpu = 0;
	if (ret == 0)
		ret = tdx_enable();
	return ret;
}

int
kshim_host_init(const struct tdxsim_platform *platform, struct kshim_result *out)
{
	static struct kshim_machine machine;
	const struct tdxsim_module_profile *p = tdxsim_platform_module_profile(platform);
	int ret;

	if (kshim_machine)
		return -EBUSY;	/* tdx.c's static state is spent */
	machine.platform = platform;
	machine.nr_cpus = p->nr_lps;
	machine.nr_packages = p->nr_packages ? p->nr_packages : 1;
	machine.next_pa = HEAP_PA;
	if (machine.nr_cpus == 0 || machine.nr_cpus > 8192)
		return -EINVAL;
	ret = tdxsim_module_new(platform, NULL, &machine.module);
	if (ret == 0)
		ret = tdxsim_linux_mm_new(platform, TDXSIM_KERNEL_6_12, &machine.mm);
	if (ret < 0) {
		tdxsim_module_free(machine.module);
		return ret;
	}
	kshim_machine = &machine;
	collect(&machine, boot(), out);
	return 0;
}

void
kshim_result_fini(struct kshim_result *result)
{
	for (size_t i = 0; i < result->line_count; i++)
		free(result->lines[i]);
	free(result->lines);
	free(result->tdmr_bytes);
	memset(result, 0, sizeof(*result));
}
