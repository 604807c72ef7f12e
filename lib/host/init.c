/* SPDX-License-Identifier: MIT */
/*
 * init_tdx_module() replayed against the simulated module, SEAMCALL by
 * SEAMCALL (spec tdmr.md 1.2, 1.9, 1.10; module.md 1.5): TDH.SYS.INIT,
 * TDH.SYS.LP.INIT on every CPU, the global metadata read with TDH.SYS.RD in
 * the kernel's order, check_features(), TDMR construction, TDH.SYS.CONFIG,
 * TDH.SYS.KEY.CONFIG on one CPU per package, the TDH.SYS.TDMR.INIT loops.
 * Every line the kernel prints is logged with its exact wording.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "common.h"
#include "host-private.h"

#define NO_RBP_MOD (1ULL << 18)

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
#define MD_NUM_CMRS		0x9000000100000000ULL
#define MD_CMR_BASE		0x9000000300000080ULL
#define MD_CMR_SIZE		0x9000000300000100ULL

/* TD control and configurability fields v6.18 reads after the TDMR ones. */
static const uint64_t td_fields[] = {
	0x9800000100000000ULL, 0x9800000100000100ULL, 0x9800000100000200ULL,
	0x1900000300000000ULL, 0x1900000300000001ULL, 0x1900000300000002ULL,
	0x1900000300000003ULL, 0x9900000100000004ULL, 0x9900000100000008ULL,
};

struct replay {
	const struct tdxsim_platform *platform;
	enum tdxsim_strategy strategy;
	enum tdxsim_kernel kernel;
	struct tdxsim_host_run *run;
	struct tdxsim_module *module;
	struct tdxsim_host_input in;
	uint64_t features0;
	unsigned version[3];
};

/* ---- the input a strategy builds from -------------------------------------- */

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

/* seamcall_prerr(): "SEAMCALL (0x%016llx) failed: 0x%016llx", -EIO. With
 * regs (seamcall_prerr_ret) the output registers follow. */
static int
seamcall_checked(struct replay *r, unsigned cpu, struct tdxsim_regs *regs,
		 bool print_regs)
{
	uint64_t leaf = regs->rax;
	int ret = tdxsim_seamcall(r->module, cpu, regs);

	if (ret < 0)
		return ret;
	if (regs->rax == TDXSIM_TDX_SUCCESS)
		return 0;
	r->run->status = regs->rax;
	if (regs->rax == TDXSIM_TDX_SEAMCALL_VMFAILINVALID) {
		/* sc_retry_prerr(): VMFAILINVALID is -ENODEV. */
		tdxsim_host_log(r->run, "module not loaded");
		r->run->err = -ENODEV;
		return 0;
	}
	tdxsim_host_log(r->run, "SEAMCALL (0x%016" PRIx64 ") failed: 0x%016" PRIx64,
			leaf, regs->rax);
	if (print_regs) {
		tdxsim_host_log(r->run, "RCX 0x%016" PRIx64 " RDX 0x%016" PRIx64 " R08 0x%016" PRIx64,
				regs->rcx, regs->rdx, regs->r8);
		tdxsim_host_log(r->run, "R09 0x%016" PRIx64 " R10 0x%016" PRIx64 " R11 0x%016" PRIx64,
				regs->r9, regs->r10, regs->r11);
	}
	r->run->err = -EIO;
	return 0;
}

static int
simple_call(struct replay *r, unsigned cpu, uint64_t leaf, uint64_t rcx)
{
	struct tdxsim_regs regs = { .rax = leaf, .rcx = rcx };

	return seamcall_checked(r, cpu, &regs, false);
}

/* read_sys_metadata_field(): TDH.SYS.RD, errors printed with registers. */
static int
read_field(struct replay *r, uint64_t id, uint64_t *value)
{
	struct tdxsim_regs regs = { .rax = TDXSIM_TDH_SYS_RD, .rdx = id };
	int ret = seamcall_checked(r, 0, &regs, true);

	*value = regs.r8;
	return ret;
}

#define ok(r) ((r)->run->err == 0)

static int
init_cpus(struct replay *r)
{
	unsigned cpus = tdxsim_platform_module_profile(r->platform)->nr_lps;
	int ret = simple_call(r, 0, TDXSIM_TDH_SYS_INIT, 0);

	for (unsigned cpu = 0; cpu < cpus && ret == 0 && ok(r); cpu++)
		ret = simple_call(r, cpu, TDXSIM_TDH_SYS_LP_INIT, 0);
	return ret;
}

static int
read_tdmr_info(struct replay *r)
{
	uint64_t v[5];
	static const uint64_t ids[5] = { MD_MAX_TDMRS, MD_MAX_RSVD, MD_PAMT_4K,
					 MD_PAMT_2M, MD_PAMT_1G };
	int ret = 0;

	for (size_t i = 0; i < 5 && ret == 0 && ok(r); i++)
		ret = read_field(r, ids[i], &v[i]);
	if (ret < 0 || !ok(r))
		return ret;
	r->in.max_tdmrs = (unsigned)v[0];
	r->in.max_reserved = (unsigned)v[1];
	for (int i = 0; i < 3; i++)
		r->in.pamt_entry_size[i] = (unsigned)v[2 + i];
	return 0;
}

/* The CMR patch's reads: NUM_CMRS, every base, then every size; then the
 * list is trimmed at the first null slot. */
static int
read_cmrs(struct replay *r)
{
	uint64_t n = 0, v;
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

/* get_tdx_sys_info(): v6.18 reads version, features, TDMR info, TD control
 * and configurability; the CMR patch's kernels read features, TDMR info
 * and the CMRs. */
static int
read_metadata(struct replay *r)
{
	uint64_t v;
	int ret = 0;

	if (r->strategy != TDXSIM_STRATEGY_LINUX_CMR) {
		static const uint64_t version_ids[3] = { MD_MINOR_VERSION,
							 MD_MAJOR_VERSION,
							 MD_UPDATE_VERSION };

		for (size_t i = 0; i < 3 && ret == 0 && ok(r); i++) {
			ret = read_field(r, version_ids[i], &v);
			r->version[i] = (unsigned)v;
		}
	}
	if (ret == 0 && ok(r))
		ret = read_field(r, MD_TDX_FEATURES0, &r->features0);
	if (ret == 0 && ok(r))
		ret = read_tdmr_info(r);
	if (r->strategy == TDXSIM_STRATEGY_LINUX_CMR) {
		if (ret == 0 && ok(r))
			ret = read_cmrs(r);
		return ret;
	}
	for (size_t i = 0; i < ARRAY_LENGTH(td_fields) && ret == 0 && ok(r); i++)
		ret = read_field(r, td_fields[i], &v);
	if (ret == 0 && ok(r))
		tdxsim_host_log(r->run, "Module version: %u.%u.%02u", r->version[1],
				r->version[0], r->version[2]);
	return ret;
}

/* check_features(): Linux refuses modules that clobber RBP. */
static void
check_features(struct replay *r)
{
	if (r->features0 & NO_RBP_MOD)
		return;
	tdxsim_host_log(r->run, "frame pointer (RBP) clobber bug present, upgrade TDX module");
	r->run->err = -EINVAL;
}

/* config_tdx_module(): RCX = PA array, RDX = TDMR count, R8 = the first
 * private KeyID; a failure is printed without registers. */
static int
config(struct replay *r)
{
	unsigned keyid = tdxsim_platform_module_profile(r->platform)->keyid_start;
	uint64_t status;
	int ret;

	ret = tdxsim_module_config_layout(r->module, 0, r->run->layout, keyid,
					  &status);
	if (ret < 0 || status == TDXSIM_TDX_SUCCESS)
		return ret;
	r->run->status = status;
	tdxsim_host_log(r->run, "SEAMCALL (0x%016" PRIx64 ") failed: 0x%016" PRIx64,
			(uint64_t)TDXSIM_TDH_SYS_CONFIG, status);
	r->run->err = -EIO;
	return 0;
}

/* config_global_keyid(): one CPU of each package, one after the other. */
static int
key_config(struct replay *r)
{
	const struct tdxsim_module_profile *m = tdxsim_platform_module_profile(r->platform);
	int ret = 0;

	for (unsigned pkg = 0; pkg < m->nr_packages && ret == 0 && ok(r); pkg++) {
		/* The first CPU of the package, as the module numbers them. */
		unsigned cpu = (unsigned)(((uint64_t)pkg * m->nr_lps +
					   m->nr_packages - 1) / m->nr_packages);

		ret = simple_call(r, cpu, TDXSIM_TDH_SYS_KEY_CONFIG, 0);
	}
	return ret;
}

/* init_tdmrs(): "do { seamcall; next = rdx; } while (next < end)". */
static int
init_tdmrs(struct replay *r)
{
	int ret = 0;

	for (size_t i = 0; i < tdxsim_layout_tdmr_count(r->run->layout) &&
			   ret == 0 && ok(r); i++) {
		const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(r->run->layout, i);
		uint64_t next;

		do {
			struct tdxsim_regs regs = { .rax = TDXSIM_TDH_SYS_TDMR_INIT,
						    .rcx = t->base };

			ret = seamcall_checked(r, 0, &regs, false);
			next = regs.rdx;
		} while (ret == 0 && ok(r) && next < t->base + t->size);
	}
	return ret;
}

static int
replay(struct replay *r)
{
	const struct tdxsim_module_profile *m = tdxsim_platform_module_profile(r->platform);
	int ret;

	/* tdx_init() at boot, before the module is touched. */
	tdxsim_host_log(r->run, "BIOS enabled: private KeyID range [%u, %u)",
			m->keyid_start, m->keyid_end);
	ret = init_cpus(r);
	if (ret == 0 && ok(r))
		ret = read_metadata(r);
	if (ret == 0 && ok(r))
		check_features(r);
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

int
tdxsim_host_init_replay(const struct tdxsim_platform *platform,
			enum tdxsim_strategy strategy, enum tdxsim_kernel kernel,
			struct tdxsim_host_run *run)
{
	struct replay r = { .platform = platform, .strategy = strategy,
			    .kernel = kernel, .run = run };
	int ret;

	ret = tdxsim_module_new(platform, NULL, &r.module);
	if (ret < 0)
		return ret;
	ret = tdxsim_host_input_init(&r.in, platform, strategy, kernel);
	if (ret == 0)
		ret = replay(&r);
	tdxsim_host_input_fini(&r.in);
	tdxsim_module_free(r.module);
	return ret;
}
