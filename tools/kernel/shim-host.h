/* SPDX-License-Identifier: MIT */
/*
 * The machine a compiled host tdx.c runs on (shim.c), and the driver that
 * boots it the way Linux and KVM do (shim-host.c). Our own header: tdx.c
 * never sees it.
 */
#ifndef TDXSIM_SHIM_HOST_H
#define TDXSIM_SHIM_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tdxsim/tdxsim.h>

/* A buffer the kernel allocated, with its simulated physical address. */
struct kshim_buffer {
	void *virt;
	size_t size;
	uint64_t pa;
	bool pages;		/* alloc_pages_exact() rather than kmalloc() */
	bool seen_by_module;	/* __pa() was taken: copied around SEAMCALLs */
};

struct notifier_block;

struct kshim_machine {
	const struct tdxsim_platform *platform;
	struct tdxsim_module *module;
	struct tdxsim_linux_mm *mm;
	unsigned nr_cpus;
	unsigned nr_packages;
	unsigned cpu;			/* the CPU the code runs on now */
	unsigned features;		/* X86_FEATURE_* / X86_BUG_* bits set */
	struct notifier_block *memory_notifier;

	struct kshim_buffer *buffers;
	size_t buffer_count;
	size_t buffer_capacity;
	uint64_t next_pa;
	unsigned char *freed_pages;	/* the last alloc_pages_exact() buffer freed */
	size_t freed_pages_size;

	char **lines;			/* printk output, one line each */
	size_t line_count;
	size_t line_capacity;
	unsigned warnings;
	unsigned long seamcalls;

	/* TDH.SYS.CONFIG's input as the module read it. */
	bool configured;
	size_t config_count;
	unsigned char *config_bytes;	/* config_count TDMR_INFO entries */
};

/* What one run of the kernel's code did. */
struct kshim_result {
	char **lines;
	size_t line_count;
	int err;		/* tdx_cpu_enable()'s or tdx_enable()'s return */
	unsigned warnings;	/* WARN_ON()s hit */
	unsigned long seamcalls;
	bool configured;	/* TDH.SYS.CONFIG was issued */
	unsigned slots;		/* reserved-area slots per TDMR_INFO */
	size_t tdmr_count;
	/* tdmr_count TDMR_INFO entries of TDXSIM_TDMR_INFO_SIZE(slots) bytes:
	 * what TDH.SYS.CONFIG read, or, when the kernel gave up before it,
	 * its TDMR list as it freed it. */
	unsigned char *tdmr_bytes;
};

/* The machine tdx.c runs on; set for one run per process. */
extern struct kshim_machine *kshim_machine;

/* Print "tdxsim-kernel: message" and end the process with status 3. */
__attribute__((noreturn, format(printf, 1, 2)))
void kshim_fatal(const char *fmt, ...);

/* Record TDH.SYS.CONFIG's TDMR_INFO array (shim-host.c). */
void kshim_record_config(struct kshim_machine *m, uint64_t array_pa, uint64_t count);

/*
 * Boot the compiled tdx.c on a platform as Linux and KVM do: tdx_init();
 * tdx_cpu_enable() on CPU 0, 1, ... until one fails (KVM's CPU hotplug
 * callback); then tdx_enable(). Once per process: tdx.c keeps static state.
 * Returns 0 with *out filled, or a negative errno for a platform the
 * simulated module cannot be built from.
 */
int kshim_host_init(const struct tdxsim_platform *platform, struct kshim_result *out);

void kshim_result_fini(struct kshim_result *result);

#endif /* TDXSIM_SHIM_HOST_H */
