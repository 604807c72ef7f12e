/* SPDX-License-Identifier: MIT */
/*
 * A Linux TDX host bringing TDX up, replayed against the simulated module
 * SEAMCALL by SEAMCALL, as one kernel generation does it (docs/host.md
 * "Kernel generations"). The driver order is KVM's (v6.16+ __tdx_bringup()):
 * tdx_init() at boot; tdx_cpu_enable() on CPU 0, 1, ... stopping at the
 * first CPU that fails (cpuhp_setup_state() rolls back and returns that
 * error, and tdx_enable() is never called); then tdx_enable() once, which
 * runs init_tdx_module(): metadata reads, TDMR construction,
 * TDH.SYS.CONFIG, TDH.SYS.KEY.CONFIG on one CPU per package, the
 * TDH.SYS.TDMR.INIT loops. Every line the kernel prints is logged with its
 * exact wording; nothing the kernel does not print is.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "common.h"
#include "host-private.h"

#define NO_RBP_MOD (1ULL << 18)

/* The Dynamic PAMT series, v6 ("TDX: Enable Dynamic PAMT", LKML
 * 2026-05-25): TDX_FEATURES0_DYNAMIC_PAMT, TDX_SYS_CONFIG_DYNAMIC_PAMT,
 * and tdx_supports_dynamic_pamt()'s bound on x86_phys_bits (the address
 * bits left once the KeyID bits are taken off MAXPHYADDR). */
#define DYNAMIC_PAMT (1ULL << 36)
#define CONFIG_DYNAMIC_PAMT (1u << 16)
#define DPAMT_MAX_PHYS_BITS 48

/* RDRAND_RETRY_LOOPS (arch/x86/include/asm/archrandom.h), the number of
 * tries sc_retry() (asm/tdx.h) gives a SEAMCALL that reports
 * TDX_RND_NO_ENTROPY. */
#define SC_RETRY_LOOPS 10

/* Where TDH.SYS.INFO's outputs go in simulated memory: any shared memory
 * will do for the module; clear of tdxsim_module_config_layout()'s. */
#define SYSINFO_PA 0x1000ULL
#define CMR_ARRAY_PA 0x2000ULL
#define SYSINFO_SIZE 1024

/* Global metadata field ids the kernels read (tdx_global_metadata.c). */
#define MD_MINOR_VERSION	0x0800000100000003ULL
#define MD_MAJOR_VERSION	0x0800000100000004ULL
#define MD_UPDATE_VERSION	0x0800000100000005ULL
#define MD_TDX_FEATURES0	0x0A00000300000008ULL
#define MD_MAX_TDMRS		0x9100000100000008ULL
#define MD_MAX_RSVD		0x9100000100000009ULL
#define MD_PAMT_4K		0x9100000100000010ULL
#define MD_PAMT_2M		0x9100000100000011ULL
#define MD_PAMT_1G		0x9100000100000012ULL
#define MD_PAMT_BITMAP_BITS	0x9100000100000013ULL
#define MD_NUM_CMRS		0x9000000100000000ULL
#define MD_CMR_BASE		0x9000000300000080ULL
#define MD_CMR_SIZE		0x9000000300000100ULL

/* TD control and configurability fields mainline reads after the TDMR
 * ones (get_tdx_sys_info_td_ctrl(), get_tdx_sys_info_td_conf()); the last
 * but one is NUM_CPUID_CONFIG, which sizes the CPUID loops after it. */
static const uint64_t td_fields[] = {
	0x9800000100000000ULL, 0x9800000100000100ULL, 0x9800000100000200ULL,
	0x1900000300000000ULL, 0x1900000300000001ULL, 0x1900000300000002ULL,
	0x1900000300000003ULL, 0x9900000100000004ULL, 0x9900000100000008ULL,
};
#define TD_NUM_CPUID_CONFIG 7
#define MD_CPUID_LEAVES 0x9900000300000400ULL
#define MD_CPUID_VALUES 0x9900000300000500ULL

struct replay {
	const struct tdxsim_platform *platform;
	enum tdxsim_strategy strategy;
	enum tdxsim_kernel kernel;
	struct tdxsim_host_run *run;
	struct tdxsim_module *module;
	struct tdxsim_host_input in;
	uint64_t features0;
	unsigned version[3];	/* minor, major, update as read (0 unread) */
};

/* ---- the input a strategy builds from -------------------------------------- */

/* boot_cpu_data.x86_phys_bits on a TDX host: MAXPHYADDR (taken as
 * TDXSIM_MAX_PA_BITS, where the module puts the KeyID bits) less the KeyID
 * bits, which the module counts as enough for the highest KeyID. */
static unsigned
x86_phys_bits(const struct tdxsim_module_profile *m)
{
	unsigned bits = 0;

	while ((1u << bits) < m->keyid_end)
		bits++;
	return TDXSIM_MAX_PA_BITS - bits;
}

/* tdx_supports_dynamic_pamt() of the series (v6): the module's feature
 * bit, and an address width the module's PAMT tree covers. */
static bool
supports_dpamt(enum tdxsim_kernel kernel, uint64_t features0,
	       const struct tdxsim_module_profile *m)
{
	return kernel == TDXSIM_KERNEL_MAINLINE_DPAMT && (features0 & DYNAMIC_PAMT) &&
	       x86_phys_bits(m) <= DPAMT_MAX_PHYS_BITS;
}

/* Construction only reads no metadata: what the module of the platform's
 * build would answer (PAMT_PAGE_BITMAP_ENTRY_BITS is 1 in every build
 * that has it, 2.0.08 metadata_sys.c). */
static unsigned
profile_bitmap_bits(const struct tdxsim_platform *p, enum tdxsim_kernel kernel)
{
	const struct tdxsim_module_profile *m = tdxsim_platform_module_profile(p);
	struct tdxsim_module_options o;

	tdxsim_module_options_init(&o, m);
	return supports_dpamt(kernel, o.features0, m) ? 1 : 0;
}

bool
tdxsim_kernel_reserved_kern_is_ram(enum tdxsim_kernel kernel)
{
	/* E820_TYPE_RESERVED_KERN counts as RAM in kernels before the Feb
	 * 2025 memblock cleanup: 6.12 and the CMR patch's 6.8 kernels. */
	return kernel == TDXSIM_KERNEL_6_12 || kernel == TDXSIM_KERNEL_UBUNTU_6_8_INTEL;
}

int
tdxsim_host_input_init(struct tdxsim_host_input *in,
		       const struct tdxsim_platform *p,
		       enum tdxsim_strategy strategy,
		       enum tdxsim_kernel kernel)
{
	const struct tdxsim_module_profile *m = tdxsim_platform_module_profile(p);
	int ret;

	memset(in, 0, sizeof(*in));
	in->platform = p;
	in->max_tdmrs = m->max_tdmrs;
	in->max_reserved = m->max_reserved_per_tdmr;
	for (int i = 0; i < 3; i++)
		in->pamt_entry_size[i] = m->pamt_entry_size[i];
	in->pamt_bitmap_bits = profile_bitmap_bits(p, kernel);
	/* trim_null_tail_cmrs(): the list ends at the first null slot. */
	for (size_t i = 0; i < tdxsim_platform_cmr_count(p); i++) {
		const struct tdxsim_cmr *c = tdxsim_platform_cmr(p, i);

		if (c->size == 0)
			break;
		in->cmr_storage[in->cmr_count++] = *c;
	}
	in->cmrs = in->cmr_storage;
	(void)strategy;
	ret = tdxsim_memblock_from_platform(p, tdxsim_kernel_reserved_kern_is_ram(kernel),
					    &in->memblock);
	if (ret == 0)
		ret = tdxsim_tdx_memlist(&in->memblock, &in->memlist);
	return ret;
}

void
tdxsim_host_input_fini(struct tdxsim_host_input *in)
{
	tdxsim_tmb_list_fini(&in->memblock);
	tdxsim_tmb_list_fini(&in->memlist);
}


/* ---- SEAMCALLs as the kernel issues them ---------------------------------- */

#define ok(r) ((r)->run->err == 0)

static void
dump_regs(struct replay *r, const struct tdxsim_regs *regs)
{
	tdxsim_host_log(r->run, "RCX 0x%016" PRIx64 " RDX 0x%016" PRIx64 " R08 0x%016" PRIx64,
			regs->rcx, regs->rdx, regs->r8);
	tdxsim_host_log(r->run, "R09 0x%016" PRIx64 " R10 0x%016" PRIx64 " R11 0x%016" PRIx64,
			regs->r9, regs->r10, regs->r11);
}

/*
 * sc_retry_prerr() on a final status: VMFAILINVALID, #GP and #UD become
 * -ENODEV, -EOPNOTSUPP and -EACCES silently; any other failure prints
 * "SEAMCALL (fn) failed: status" (plus the output registers for the _ret
 * variants) and is -EIO. Sets run->err and run->status on failure.
 */
static void
prerr(struct replay *r, uint64_t fn, uint64_t status,
      const struct tdxsim_regs *out)
{
	if (status == TDXSIM_TDX_SUCCESS)
		return;
	r->run->status = status;
	if (status == TDXSIM_TDX_SEAMCALL_VMFAILINVALID) {
		r->run->err = -ENODEV;
	} else if (status == TDXSIM_TDX_SEAMCALL_GP) {
		r->run->err = -EOPNOTSUPP;
	} else if (status == TDXSIM_TDX_SEAMCALL_UD) {
		r->run->err = -EACCES;
	} else {
		tdxsim_host_log(r->run, "SEAMCALL (0x%016" PRIx64 ") failed: 0x%016" PRIx64,
				fn, status);
		if (out)
			dump_regs(r, out);
		r->run->err = -EIO;
	}
}

/*
 * seamcall_prerr() (ret false) or seamcall_prerr_ret() (ret true):
 * sc_retry() reissues the call while the module reports
 * TDX_RND_NO_ENTROPY, at most SC_RETRY_LOOPS times. __seamcall() leaves
 * the caller's arguments alone, __seamcall_ret() writes the outputs back
 * into them, so only the _ret variant retries (and dumps) with what the
 * module returned. Returns 0, or a negative errno of the simulator.
 */
static int
sc(struct replay *r, unsigned cpu, struct tdxsim_regs *regs, bool ret)
{
	const struct tdxsim_regs in = *regs;
	uint64_t fn = regs->rax;
	int tries = SC_RETRY_LOOPS;
	struct tdxsim_regs out;
	int err;

	do {
		out = ret ? *regs : in;
		out.rax = fn;
		err = tdxsim_seamcall(r->module, cpu, &out);
		if (err < 0)
			return err;
		if (ret)
			*regs = out;
	} while (out.rax == TDXSIM_TDX_RND_NO_ENTROPY && --tries);
	prerr(r, fn, out.rax, ret ? &out : NULL);
	return 0;
}

static int
simple_call(struct replay *r, unsigned cpu, uint64_t leaf)
{
	struct tdxsim_regs regs = { .rax = leaf };

	return sc(r, cpu, &regs, false);
}

/* read_sys_metadata_field(): TDH.SYS.RD with seamcall_prerr_ret(); the
 * value is stored only when the read succeeded. */
static int
read_field(struct replay *r, uint64_t id, uint64_t *value)
{
	struct tdxsim_regs regs = { .rax = TDXSIM_TDH_SYS_RD, .rdx = id };
	int ret = sc(r, 0, &regs, true);

	if (ret == 0 && ok(r))
		*value = regs.r8;
	return ret;
}

/* Reads fields in order, stopping at the first failure ("ret = ret ?:"). */
static int
read_fields(struct replay *r, const uint64_t *ids, size_t n, uint64_t *values)
{
	int ret = 0;

	for (size_t i = 0; i < n && ret == 0 && ok(r); i++)
		ret = read_field(r, ids[i], &values[i]);
	return ret;
}

/* ---- boot and per-CPU enabling -------------------------------------------- */

/*
 * tdx_init() (boot): the KeyID partition line; fewer than 2 TDX KeyIDs
 * leave TDX off, so every later tdx_cpu_enable() is -ENODEV without a
 * SEAMCALL. hibernation_available() is taken as false (the kernels'
 * documented setups boot with "nohibernate"; docs/fidelity.md). Debian's
 * and Ubuntu's configs have CONFIG_ACPI and CONFIG_SUSPEND: the S3 line.
 */
static void
tdx_init(struct replay *r)
{
	const struct tdxsim_module_profile *m = tdxsim_platform_module_profile(r->platform);

	tdxsim_host_log(r->run, "BIOS enabled: private KeyID range [%u, %u)",
			m->keyid_start, m->keyid_end);
	if (m->keyid_end - m->keyid_start < 2) {
		tdxsim_host_log(r->run, "initialization failed: too few private KeyIDs available.");
		r->run->err = -ENODEV;
		return;
	}
	tdxsim_host_log(r->run, "Disable ACPI S3. Turn off TDX in the BIOS to use ACPI S3.");
}

/*
 * tdx_cpu_enable() on every CPU in order, stopping at the first failure.
 * try_init_module_global() issues TDH.SYS.INIT once, on the first CPU; it
 * is the call that finds out whether a module is loaded.
 */
static int
cpu_enable_all(struct replay *r)
{
	unsigned cpus = tdxsim_platform_module_profile(r->platform)->nr_lps;
	int ret = simple_call(r, 0, TDXSIM_TDH_SYS_INIT);

	if (ret == 0 && r->run->err == -ENODEV)
		tdxsim_host_log(r->run, "module not loaded");
	for (unsigned cpu = 0; cpu < cpus && ret == 0 && ok(r); cpu++)
		ret = simple_call(r, cpu, TDXSIM_TDH_SYS_LP_INIT);
	return ret;
}

/* ---- metadata, per generation --------------------------------------------- */

/* MAX_TDMRS, MAX_RESERVED_PER_TDMR and the PAMT entry sizes, kept as the
 * u16 members every generation stores them in. */
static int
read_tdmr_info(struct replay *r)
{
	static const uint64_t ids[5] = { MD_MAX_TDMRS, MD_MAX_RSVD, MD_PAMT_4K,
					 MD_PAMT_2M, MD_PAMT_1G };
	uint64_t v[5] = { 0 };
	int ret = read_fields(r, ids, 5, v);

	if (ret < 0 || !ok(r))
		return ret;
	r->in.max_tdmrs = (uint16_t)v[0];
	r->in.max_reserved = (uint16_t)v[1];
	for (int i = 0; i < 3; i++)
		r->in.pamt_entry_size[i] = (uint16_t)v[2 + i];
	return 0;
}

/* Kai Huang's CMR patch (v8.2) reads: NUM_CMRS, every base, then every
 * size; the list is trimmed at the first null slot. */
static int
read_cmrs(struct replay *r)
{
	uint64_t n = 0, v = 0;
	int ret = read_field(r, MD_NUM_CMRS, &n);

	if (n > TDXSIM_MAX_CMRS)
		n = TDXSIM_MAX_CMRS;
	for (uint64_t i = 0; i < n && ret == 0 && ok(r); i++) {
		ret = read_field(r, MD_CMR_BASE + i, &v);
		r->in.cmr_storage[i].base = v;
	}
	for (uint64_t i = 0; i < n && ret == 0 && ok(r); i++) {
		ret = read_field(r, MD_CMR_SIZE + i, &v);
		r->in.cmr_storage[i].size = v;
	}
	r->in.cmr_count = 0;
	while (r->in.cmr_count < n && r->in.cmr_storage[r->in.cmr_count].size)
		r->in.cmr_count++;
	return ret;
}

static uint64_t
get_le(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	for (int i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* The CMRs TDH.SYS.INFO wrote: one "CMR: [base, end)" line per non-null
 * entry, which also become the kernel's CMR list. */
static int
log_info_cmrs(struct replay *r, uint64_t entries)
{
	uint8_t cmrs[TDXSIM_MAX_CMRS * 16];
	int ret;

	if (entries > TDXSIM_MAX_CMRS)
		entries = TDXSIM_MAX_CMRS;
	ret = tdxsim_phys_read(r->module, CMR_ARRAY_PA, cmrs, sizeof(cmrs));
	if (ret < 0)
		return ret;
	r->in.cmr_count = 0;
	for (uint64_t i = 0; i < entries; i++) {
		struct tdxsim_cmr c = { get_le(cmrs + 16 * i, 8),
					get_le(cmrs + 16 * i + 8, 8) };

		if (c.size == 0)
			continue;
		tdxsim_host_log(r->run, "CMR: [0x%" PRIx64 ", 0x%" PRIx64 ")",
				c.base, c.base + c.size);
		r->in.cmr_storage[r->in.cmr_count++] = c;
	}
	return 0;
}

/*
 * Ubuntu 6.8-intel: TDH.SYS.INFO first, its basic line and the CMRs, as
 * canonical/tdx #206 and #385 show them. TD_SYS_INFO: ATTRIBUTES at 0,
 * VENDOR_ID at 4, BUILD_DATE at 8, BUILD_NUM at 12, MINOR at 14, MAJOR at
 * 16. How a failure is printed is not in any log seen; taken as the _ret
 * variant (with registers), like every other read of module data.
 */
/* The whole version (MAJOR.MINOR.UPDATE) came from the input. */
static bool
version_known(const struct replay *r)
{
	return tdxsim_platform_module_fact_given(r->platform, TDXSIM_FACT_VERSION) &&
	       tdxsim_platform_module_profile(r->platform)->update != TDXSIM_VERSION_UNKNOWN;
}

/* TDH.SYS.INFO's line shows major, minor, build date and number. */
static bool
info_known(const struct replay *r)
{
	return tdxsim_platform_module_fact_given(r->platform, TDXSIM_FACT_VERSION) &&
	       tdxsim_platform_module_fact_given(r->platform, TDXSIM_FACT_BUILD_DATE) &&
	       tdxsim_platform_module_fact_given(r->platform, TDXSIM_FACT_BUILD_NUM);
}

static int
sys_info(struct replay *r)
{
	struct tdxsim_regs regs = { .rax = TDXSIM_TDH_SYS_INFO, .rcx = SYSINFO_PA,
				    .rdx = SYSINFO_SIZE, .r8 = CMR_ARRAY_PA,
				    .r9 = TDXSIM_MAX_CMRS };
	uint8_t info[SYSINFO_SIZE];
	int ret = sc(r, 0, &regs, true);

	if (ret < 0 || !ok(r))
		return ret;
	ret = tdxsim_phys_read(r->module, SYSINFO_PA, info, sizeof(info));
	if (ret < 0)
		return ret;
	/* Left out, as the version line is, when it would print defaults. */
	if (info_known(r))
		tdxsim_host_log(r->run, "TDX module: attributes 0x%" PRIx64 ", vendor_id 0x%" PRIx64
			", major_version %" PRIu64 ", minor_version %" PRIu64
			", build_date %" PRIu64 ", build_num %" PRIu64,
			get_le(info, 4), get_le(info + 4, 4), get_le(info + 16, 2),
			get_le(info + 14, 2), get_le(info + 8, 4), get_le(info + 12, 2));
	return log_info_cmrs(r, regs.r9);
}

/*
 * Mainline get_tdx_sys_info() (tdx_global_metadata.c @01f492e1): the
 * version, then "Module version" whatever the reads gave (0.0.00 when
 * they failed), then features, TDMR info, TD control and configuration
 * with its CPUID loops sized by NUM_CPUID_CONFIG.
 */
static int
read_mainline(struct replay *r)
{
	static const uint64_t version_ids[3] = { MD_MINOR_VERSION, MD_MAJOR_VERSION,
						 MD_UPDATE_VERSION };
	uint64_t v[3] = { 0 }, td[ARRAY_LENGTH(td_fields)] = { 0 }, x = 0;
	int ret = read_fields(r, version_ids, 3, v);

	if (ret < 0)
		return ret;
	for (int i = 0; i < 3; i++)
		r->version[i] = (uint16_t)v[i];
	/* The kernel prints what the module reads back; when the input did
	 * not give the version, that would be tdxsim's default printed as if
	 * read from the machine: the line is left out (a failed read's
	 * 0.0.00 comes from the failure, not from a default). */
	if (!ok(r) || version_known(r))
		tdxsim_host_log(r->run, "Module version: %u.%u.%02u", r->version[1],
				r->version[0], r->version[2]);
	if (ok(r))
		ret = read_field(r, MD_TDX_FEATURES0, &r->features0);
	if (ret == 0 && ok(r))
		ret = read_tdmr_info(r);
	if (ret == 0 && ok(r) && r->strategy == TDXSIM_STRATEGY_LINUX_CMR)
		ret = read_cmrs(r);
	if (ret == 0 && ok(r))
		ret = read_fields(r, td_fields, ARRAY_LENGTH(td_fields), td);
	for (uint64_t i = 0; i < td[TD_NUM_CPUID_CONFIG] && ret == 0 && ok(r); i++)
		ret = read_field(r, MD_CPUID_LEAVES + i, &x);
	for (uint64_t i = 0; i < 2 * td[TD_NUM_CPUID_CONFIG] && ret == 0 && ok(r); i++)
		ret = read_field(r, MD_CPUID_VALUES + i, &x);
	return ret;
}

/* check_features() (mainline): Linux refuses modules that clobber RBP. */
static void
check_features(struct replay *r)
{
	if (r->features0 & NO_RBP_MOD)
		return;
	tdxsim_host_log(r->run, "frame pointer (RBP) clobber bug present, upgrade TDX module");
	r->run->err = -EINVAL;
}

/* The series' get_tdx_sys_info() ends with PAMT_PAGE_BITMAP_ENTRY_BITS,
 * read only when tdx_supports_dynamic_pamt() (a module without the
 * feature is not a failure: static PAMT); kept in a u8. */
static int
read_dpamt(struct replay *r)
{
	const struct tdxsim_module_profile *m = tdxsim_platform_module_profile(r->platform);
	uint64_t bits = 0;
	int ret;

	r->in.pamt_bitmap_bits = 0;
	if (!supports_dpamt(r->kernel, r->features0, m))
		return 0;
	ret = read_field(r, MD_PAMT_BITMAP_BITS, &bits);
	if (ret == 0 && ok(r))
		r->in.pamt_bitmap_bits = (uint8_t)bits;
	return ret;
}

/* What init_tdx_module() reads before it builds TDMRs, per generation. */
static int
read_metadata(struct replay *r)
{
	int ret;

	switch (r->kernel) {
	case TDXSIM_KERNEL_6_12:
		/* get_tdx_tdmr_sysinfo(): the five TDMR fields only. */
		ret = read_tdmr_info(r);
		if (ret == 0 && ok(r) && r->strategy == TDXSIM_STRATEGY_LINUX_CMR)
			ret = read_cmrs(r);
		return ret;
	case TDXSIM_KERNEL_UBUNTU_6_8_INTEL:
		/* canonical/tdx #331: MAX_TDMRS is the first TDH.SYS.RD. */
		ret = sys_info(r);
		if (ret == 0 && ok(r))
			ret = read_tdmr_info(r);
		return ret;
	default:
		ret = read_mainline(r);
		if (ret == 0 && ok(r))
			ret = read_dpamt(r);
		if (ret == 0 && ok(r))
			check_features(r);
		return ret;
	}
}

/* ---- configuration and TDMR initialisation ---------------------------------- */

/* config_tdx_module(): RCX = PA array, RDX = TDMR count, R8 = the first
 * private KeyID (tdx_global_keyid); seamcall_prerr(), no registers. With
 * the Dynamic PAMT series, its line and R8 bit 16 when the module has it. */
static int
config(struct replay *r)
{
	const struct tdxsim_module_profile *m = tdxsim_platform_module_profile(r->platform);
	unsigned keyid = m->keyid_start;
	int tries = SC_RETRY_LOOPS;
	uint64_t status;
	int ret;

	if (supports_dpamt(r->kernel, r->features0, m)) {
		tdxsim_host_log(r->run, "Enable Dynamic PAMT");
		keyid |= CONFIG_DYNAMIC_PAMT;
	}

	do {
		ret = tdxsim_module_config_layout(r->module, 0, r->run->layout,
						  keyid, &status);
		if (ret < 0)
			return ret;
	} while (status == TDXSIM_TDX_RND_NO_ENTROPY && --tries);
	prerr(r, TDXSIM_TDH_SYS_CONFIG, status, NULL);
	return 0;
}

/* config_global_keyid(): for_each_online_cpu(), the first CPU of each
 * package not yet seen, one after the other. The module numbers CPUs
 * package by package (floor(cpu * packages / cpus)), so the first CPU of
 * package p is ceil(p * cpus / packages). */
static int
key_config(struct replay *r)
{
	const struct tdxsim_module_profile *m = tdxsim_platform_module_profile(r->platform);
	int ret = 0;

	for (unsigned pkg = 0; pkg < m->nr_packages && ret == 0 && ok(r); pkg++) {
		unsigned cpu = (unsigned)(((uint64_t)pkg * m->nr_lps +
					   m->nr_packages - 1) / m->nr_packages);

		ret = simple_call(r, cpu, TDXSIM_TDH_SYS_KEY_CONFIG);
	}
	return ret;
}

/* init_tdmrs(): "do { seamcall_prerr_ret; next = rdx; } while (next <
 * end)" per TDMR. */
static int
init_tdmrs(struct replay *r)
{
	int ret = 0;

	for (size_t i = 0; i < tdxsim_layout_tdmr_count(r->run->layout) &&
			   ret == 0 && ok(r); i++) {
		const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(r->run->layout, i);
		uint64_t next = 0;

		do {
			struct tdxsim_regs regs = { .rax = TDXSIM_TDH_SYS_TDMR_INIT,
						    .rcx = t->base };

			ret = sc(r, 0, &regs, true);
			next = regs.rdx;
		} while (ret == 0 && ok(r) && next < t->base + t->size);
	}
	return ret;
}

/* init_tdx_module() and __tdx_enable()'s verdict line. */
static int
tdx_enable(struct replay *r)
{
	int ret = read_metadata(r);

	if (ret == 0 && ok(r))
		ret = tdxsim_host_construct(&r->in, r->strategy, r->run);
	if (ret == 0 && ok(r))
		ret = config(r);
	if (ret == 0 && ok(r))
		ret = key_config(r);
	if (ret == 0 && ok(r))
		ret = init_tdmrs(r);
	if (ret < 0)
		return ret;
	if (ok(r)) {
		tdxsim_host_log(r->run, "%" PRIu64 " KB allocated for PAMT",
				r->run->pamt_bytes / 1024);
		tdxsim_host_log(r->run, "module initialized");
	} else {
		tdxsim_host_log(r->run, "module initialization failed (%d)", r->run->err);
	}
	return 0;
}

static int
replay(struct replay *r)
{
	int ret = 0;

	tdx_init(r);
	if (ok(r))
		ret = cpu_enable_all(r);
	/* A failed tdx_cpu_enable() means tdx_enable() is never called. */
	if (ret == 0 && ok(r))
		ret = tdx_enable(r);
	return ret;
}

int
tdxsim_host_init_replay(const struct tdxsim_platform *platform,
			enum tdxsim_strategy strategy, enum tdxsim_kernel kernel,
			const struct tdxsim_module_options *options,
			struct tdxsim_host_run *run)
{
	struct replay r = { .platform = platform, .strategy = strategy,
			    .kernel = kernel, .run = run };
	int ret;

	ret = tdxsim_module_new(platform, options, &r.module);
	if (ret < 0)
		return ret;
	ret = tdxsim_host_input_init(&r.in, platform, strategy, kernel);
	if (ret == 0)
		ret = replay(&r);
	tdxsim_host_input_fini(&r.in);
	tdxsim_module_free(r.module);
	return ret;
}
