/* SPDX-License-Identifier: MIT */
/*
 * The simulated TDX module: SEAMCALL dispatcher, global state machine and
 * the initialisation leaves. Sources: intel/tdx-module tdx_1.5
 * (tdx_vmm_dispatcher.c, tdh_sys_init.c, tdh_sys_lp_init.c,
 * tdh_sys_config.c, tdh_sys_key_config.c, tdh_sys_tdmr_init.c).
 * Metadata leaves are in metadata.c, the
 * TDMR_INFO checks in sys-config.c.
 */
#include "config.h"

#include <string.h>

#include "common.h"
#include "module-private.h"

#include <tdxsim/layout.h>

#define MAX_PA (1ULL << TDXSIM_MAX_PA_BITS)
#define OPERAND_INVALID(id) (TDXSIM_TDX_OPERAND_INVALID | (id))
/* 1024 PAMT_4K entries per call: 4 MiB of TDMR (TDMR_4K_PAMT_INIT_COUNT). */
#define TDMR_INIT_CHUNK (1024 * SZ_4K)
/* TDMR_INFO entries and their pointer array are 512-byte aligned. */
#define TDMR_INFO_ALIGNMENT 512
/* Simulated memory a module may hold; a hostile caller cannot exhaust us. */
#define PHYS_LIMIT (256ULL << 20)
/* What TDH.SYS.CONFIG works with, whatever the metadata says: MAX_TDMRS
 * bounds RDX and every TDMR_INFO entry has MAX_RESERVED_AREAS slots, both
 * compile-time constants of every source read (tdx_global_data.h,
 * tdx_api_defs.h; tdh_sys_config.c checks RDX and copies the slots). */
#define MODULE_MAX_TDMRS 64
#define MODULE_RSVD_SLOTS 16

static enum module_generation
generation_of(const struct tdxsim_module_profile *p)
{
	if (p->major >= 2)
		return MODULE_GEN_2_0;
	if (p->major == 1 && p->minor < 5)
		return MODULE_GEN_1_0;
	return MODULE_GEN_1_5;
}

TDXSIM_EXPORT void
tdxsim_module_options_init(struct tdxsim_module_options *o,
			   const struct tdxsim_module_profile *profile)
{
	struct module_build build;

	if (!o || !profile)
		return;

	tdxsim_module_build_of(profile, &build);
	memset(o, 0, sizeof(*o));
	/* Every source read, 2.0.08 included, allows LP.INIT only in
	 * SYSINIT_DONE and makes CONFIG wait for every LP (tdh_sys_lp_init(),
	 * tdh_sys_config()); RELAXED stays an option for later modules. */
	o->lp_init_policy = TDXSIM_LP_INIT_STRICT;
	o->num_cmrs_report = TDXSIM_NUM_CMRS_MAX;
	/* The release's own value (builds.c); 1.0 has no TDX_FEATURES0. */
	o->features0 = build.features0;
}

static bool
profile_supported(const struct tdxsim_module_profile *p)
{
	return p->max_reserved_per_tdmr >= 1 &&
	       p->max_reserved_per_tdmr <= TDXSIM_MAX_RESERVED_SLOTS &&
	       p->max_tdmrs >= 1 && p->nr_lps >= 1 && p->nr_packages >= 1 &&
	       p->nr_packages <= p->nr_lps && p->keyid_start >= 1 &&
	       p->keyid_end > p->keyid_start && p->keyid_end <= 0x8000;
}

/* check_key_management_config(): KeyID bits sit right below MAX_PA. */
static void
setup_hkids(struct tdxsim_module *m)
{
	unsigned bits = 0;

	while ((1u << bits) < m->profile.keyid_end)
		bits++;
	m->hkid_start_bit = TDXSIM_MAX_PA_BITS - bits;
	m->hkid_mask = bits ? (((1ULL << bits) - 1) << m->hkid_start_bit) : 0;
	m->private_hkid_min = m->profile.keyid_start;
	m->private_hkid_max = m->profile.keyid_end - 1;
}

static int
copy_platform(struct tdxsim_module *m, const struct tdxsim_platform *platform)
{
	m->cmrs_given = tdxsim_platform_cmr_count(platform);
	for (size_t i = 0; i < m->cmrs_given; i++)
		m->cmrs[i] = *tdxsim_platform_cmr(platform, i);
	m->num_of_lps = m->profile.nr_lps;
	m->num_of_pkgs = m->profile.nr_packages;
	m->lp_is_init = calloc(m->num_of_lps, sizeof(*m->lp_is_init));
	m->pkg_configured = calloc(m->num_of_pkgs, sizeof(*m->pkg_configured));
	return m->lp_is_init && m->pkg_configured ? 0 : -ENOMEM;
}

TDXSIM_EXPORT int
tdxsim_module_new(const struct tdxsim_platform *platform,
		  const struct tdxsim_module_options *options,
		  struct tdxsim_module **out)
{
	if (!platform || !out)
		return -EINVAL;
	const struct tdxsim_module_profile *profile =
		tdxsim_platform_module_profile(platform);
	struct tdxsim_module *m;

	if (!profile_supported(profile))
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->profile = *profile;
	m->generation = generation_of(profile);
	tdxsim_module_build_of(profile, &m->build);
	if (options)
		m->options = *options;
	else
		tdxsim_module_options_init(&m->options, profile);
	/* Dynamic PAMT follows what TDX_FEATURES0 reports, so an options
	 * override switches it for any 2.0 build (docs/fidelity.md). */
	m->build.fields &= ~(unsigned)BUILD_HAS_DPAMT;
	if (m->generation == MODULE_GEN_2_0 &&
	    (m->options.features0 & TDXSIM_FEATURES0_DYNAMIC_PAMT))
		m->build.fields |= BUILD_HAS_DPAMT;
	tdxsim_phys_init(&m->phys, MAX_PA, PHYS_LIMIT);
	setup_hkids(m);
	if (copy_platform(m, platform) < 0) {
		tdxsim_module_free(m);
		return -ENOMEM;
	}
	*out = m;
	return 0;
}

TDXSIM_EXPORT void
tdxsim_module_free(struct tdxsim_module *m)
{
	if (!m)
		return;
	tdxsim_phys_fini(&m->phys);
	tdxsim_dpamt_fini(m);
	free(m->lp_is_init);
	free(m->pkg_configured);
	free(m->tdmrs);
	free(m->last_initialized);
	free(m);
}

TDXSIM_EXPORT int
tdxsim_phys_write(struct tdxsim_module *m, uint64_t pa, const void *buf,
		  size_t len)
{
	if (!m || (!buf && len))
		return -EINVAL;
	return tdxsim_phys_store(&m->phys, pa, buf, len);
}

TDXSIM_EXPORT int
tdxsim_phys_read(const struct tdxsim_module *m, uint64_t pa, void *buf,
		 size_t len)
{
	if (!m || (!buf && len))
		return -EINVAL;
	return tdxsim_phys_load(&m->phys, pa, buf, len);
}

TDXSIM_EXPORT enum tdxsim_module_state
tdxsim_module_state(const struct tdxsim_module *m)
{
	if (!m)
		return 0;
	return m->state;
}

bool
tdxsim_module_shared_hpa_ok(const struct tdxsim_module *m, uint64_t pa,
			    uint64_t alignment)
{
	return tdxsim_is_aligned(pa, alignment) && pa < MAX_PA &&
	       tdxsim_module_hkid_of(m, pa) < m->private_hkid_min;
}

/* ---- TDH.SYS.INIT ---------------------------------------------------------- */

/* check_cmrs() (tdh_sys_init.c): every non-null slot
 * 4 KiB granular, below 2^52 with HKID bits clear, ascending, no overlap. */
static bool
cmrs_valid(const struct tdxsim_module *m)
{
	const struct tdxsim_cmr *prev = NULL;

	for (size_t i = 0; i < m->cmrs_given; i++) {
		const struct tdxsim_cmr *c = &m->cmrs[i];
		uint64_t last;

		if (c->size == 0)
			continue;
		if (c->size > UINT64_MAX - c->base)
			return false;
		last = c->base + c->size - 1;
		if (last >= MAX_PA || tdxsim_module_hkid_of(m, c->base) ||
		    tdxsim_module_hkid_of(m, last))
			return false;
		if (!tdxsim_is_aligned(c->base, SZ_4K) ||
		    !tdxsim_is_aligned(c->size, SZ_4K))
			return false;
		if (prev && (prev->base > c->base ||
			     prev->base + prev->size - 1 >= c->base))
			return false;
		prev = c;
	}
	return true;
}

static uint64_t
sys_init(struct tdxsim_module *m, struct tdxsim_regs *regs)
{
	uint64_t rcx = regs->rcx;

	/* tdh_sys_init() clears RCX, RDX, R8, R9 and R10 first, in every
	 * source read (1.0.3, 1.5.01, 1.5.05, 1.5.06, 2.0.08); it is
	 * TDH.SYS.LP.INIT that clears RCX, RDX and R8 only. */
	regs->rcx = regs->rdx = regs->r8 = regs->r9 = regs->r10 = 0;
	if (rcx != 0)
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_RCX);
	if (m->state != TDXSIM_MODULE_SYSINIT_PENDING)
		return TDXSIM_TDX_SYS_INIT_NOT_PENDING;
	if (!cmrs_valid(m))
		return TDXSIM_TDX_CMR_LIST_INVALID;
	m->num_of_init_lps = 0;
	m->state = TDXSIM_MODULE_SYSINIT_DONE;
	return TDXSIM_TDX_SUCCESS;
}

/* ---- TDH.SYS.LP.INIT ------------------------------------------------------- */

static bool
lp_init_allowed(const struct tdxsim_module *m)
{
	if (m->options.lp_init_policy == TDXSIM_LP_INIT_RELAXED)
		return m->state >= TDXSIM_MODULE_SYSINIT_DONE &&
		       m->state <= TDXSIM_MODULE_READY;
	return m->state == TDXSIM_MODULE_SYSINIT_DONE;
}

static uint64_t
sys_lp_init(struct tdxsim_module *m, unsigned cpu, struct tdxsim_regs *regs)
{
	regs->rcx = regs->rdx = regs->r8 = 0;
	if (!lp_init_allowed(m))
		return TDXSIM_TDX_SYS_LP_INIT_NOT_PENDING;
	if (m->lp_is_init[cpu])
		return TDXSIM_TDX_SYS_LP_INIT_DONE;
	m->lp_is_init[cpu] = true;
	m->num_of_init_lps++;
	return TDXSIM_TDX_SUCCESS;
}

/* ---- TDH.SYS.CONFIG ---------------------------------------------------------- */

/* R8 of TDH.SYS.CONFIG: bits 15:0 the KeyID; bit 16 asks for Dynamic
 * PAMT in builds that have it (sys_config_options_t, tdx_api_defs.h of
 * 2.0.08); every other bit is reserved. */
#define CONFIG_R8_DYNAMIC_PAMT (1ULL << 16)
/* With Dynamic PAMT the HKID bits must start at bit 48 or below
 * (MAX_DYNAMIC_PAMT_HKID_START_BIT, pamt_manager.h of 2.0.08). */
#define MAX_DYNAMIC_PAMT_HKID_START_BIT 48

static uint64_t
config_r8_reserved(const struct tdxsim_module *m)
{
	return m->build.fields & BUILD_HAS_DPAMT ? ~0x1FFFFULL : ~0xFFFFULL;
}

static uint64_t
config_registers(const struct tdxsim_module *m, const struct tdxsim_regs *regs)
{
	/* Order: tdh_sys_config() lines 734-804 (tdh_sys_config.c, 1.5.05). */
	if (m->state != TDXSIM_MODULE_SYSINIT_DONE)
		return TDXSIM_TDX_SYS_CONFIG_NOT_PENDING;
	if (m->options.lp_init_policy == TDXSIM_LP_INIT_STRICT &&
	    m->num_of_init_lps < m->num_of_lps)
		return TDXSIM_TDX_SYS_CONFIG_NOT_PENDING;
	if (!tdxsim_module_shared_hpa_ok(m, regs->rcx, TDMR_INFO_ALIGNMENT))
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_RCX);
	if (regs->rdx > MODULE_MAX_TDMRS || regs->rdx < 1)
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_RDX);
	if ((regs->r8 & config_r8_reserved(m)) != 0 ||
	    (regs->r8 & 0xFFFF) < m->private_hkid_min ||
	    (regs->r8 & 0xFFFF) > m->private_hkid_max)
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_R8);
	return TDXSIM_TDX_SUCCESS;
}

static uint64_t
read_u64(const struct tdxsim_module *m, uint64_t pa)
{
	uint8_t b[8];
	uint64_t v = 0;

	tdxsim_phys_load(&m->phys, pa, b, sizeof(b));
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* Copy and check entry i (tdh_sys_config() lines 819-843, 1.5.05); entries[0..i-1] passed. */
static uint64_t
config_entry(const struct tdxsim_module *m, uint64_t array_pa,
	     struct tdxsim_tdmr_info *entries, size_t i,
	     const struct tdxsim_config_env *env)
{
	uint8_t bytes[TDXSIM_TDMR_INFO_SIZE(TDXSIM_MAX_RESERVED_SLOTS)];
	uint64_t entry_pa = read_u64(m, array_pa + 8 * i);
	unsigned slots = MODULE_RSVD_SLOTS;

	/* A bad pointer is reported against RCX, whichever entry it is. */
	if (!tdxsim_module_shared_hpa_ok(m, entry_pa, TDMR_INFO_ALIGNMENT))
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_RCX);
	tdxsim_phys_load(&m->phys, entry_pa, bytes, TDXSIM_TDMR_INFO_SIZE(slots));
	tdxsim_tdmr_info_decode(bytes, slots, &entries[i]);
	return tdxsim_sys_config_check_entry(env, entries, i);
}

static uint64_t
commit_config(struct tdxsim_module *m, struct tdxsim_tdmr_info *entries,
	      size_t n)
{
	uint64_t *last = calloc(n, sizeof(*last));

	if (!last) {
		m->out_of_memory = true;
		return TDXSIM_TDX_SYS_BUSY;
	}
	free(m->tdmrs);
	free(m->last_initialized);
	m->tdmrs = entries;
	m->last_initialized = last;
	m->num_of_tdmrs = n;
	for (size_t i = 0; i < n; i++)
		last[i] = entries[i].base;
	memset(m->pkg_configured, 0, m->num_of_pkgs * sizeof(bool));
	m->num_of_init_pkgs = 0;
	m->state = TDXSIM_MODULE_SYSCONFIG_DONE;
	return TDXSIM_TDX_SUCCESS;
}

static uint64_t
sys_config(struct tdxsim_module *m, const struct tdxsim_regs *regs)
{
	bool dpamt = regs->r8 & CONFIG_R8_DYNAMIC_PAMT;
	struct tdxsim_config_env env = {
		.dynamic_pamt = dpamt,
		.cmrs = m->cmrs,
		.cmr_count = TDXSIM_MAX_CMRS,
		.hkid_mask = m->hkid_mask,
		.rsvd_slots = MODULE_RSVD_SLOTS,
		.quirk_1_0_tail_check = m->generation == MODULE_GEN_1_0,
	};
	struct tdxsim_tdmr_info *entries;
	uint64_t status = config_registers(m, regs);

	if (status != TDXSIM_TDX_SUCCESS)
		return status;
	/* The KeyID is reserved before any TDMR is looked at, and stays
	 * reserved when a later check fails (tdh_sys_config.c). */
	m->global_hkid = (unsigned)(regs->r8 & 0xFFFF);
	/* Set before the entries are checked, as tdh_sys_config() does. */
	m->dynamic_pamt = dpamt;
	if (dpamt && m->hkid_start_bit > MAX_DYNAMIC_PAMT_HKID_START_BIT)
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_R8);
	entries = calloc(regs->rdx, sizeof(*entries));
	if (!entries) {
		m->out_of_memory = true;
		return TDXSIM_TDX_SYS_BUSY;
	}
	for (size_t i = 0; i < regs->rdx; i++) {
		status = config_entry(m, regs->rcx, entries, i, &env);
		if (status != TDXSIM_TDX_SUCCESS) {
			free(entries);
			return status;
		}
	}
	status = commit_config(m, entries, regs->rdx);
	if (status != TDXSIM_TDX_SUCCESS)
		free(entries);
	return status;
}

/* ---- TDH.SYS.KEY.CONFIG ------------------------------------------------------ */

/* CPUs are spread over packages in order, every package getting at least
 * one (packages <= CPUs), as an even split does when the count divides. */
static unsigned
package_of(const struct tdxsim_module *m, unsigned cpu)
{
	return (unsigned)((uint64_t)cpu * m->num_of_pkgs / m->num_of_lps);
}

static uint64_t
sys_key_config(struct tdxsim_module *m, unsigned cpu)
{
	unsigned pkg = package_of(m, cpu);

	if (m->state != TDXSIM_MODULE_SYSCONFIG_DONE)
		return TDXSIM_TDX_SYS_KEY_CONFIG_NOT_PENDING;
	if (m->pkg_configured[pkg])
		return TDXSIM_TDX_KEY_CONFIGURED;
	m->pkg_configured[pkg] = true;
	if (++m->num_of_init_pkgs == m->num_of_pkgs)
		m->state = TDXSIM_MODULE_READY;
	return TDXSIM_TDX_SUCCESS;
}

/* ---- TDH.SYS.TDMR.INIT --------------------------------------------------------- */

static uint64_t
sys_tdmr_init(struct tdxsim_module *m, struct tdxsim_regs *regs)
{
	uint64_t base = regs->rcx, end;
	size_t i;

	regs->rdx = 0;
	if (!tdxsim_is_aligned(base, SZ_1G) || base >= MAX_PA ||
	    tdxsim_module_hkid_of(m, base))
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_RCX);
	for (i = 0; i < m->num_of_tdmrs && m->tdmrs[i].base != base; i++)
		;
	if (i == m->num_of_tdmrs)
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_RCX);
	end = base + m->tdmrs[i].size;
	if (m->last_initialized[i] >= end)
		return TDXSIM_TDX_TDMR_ALREADY_INITIALIZED;
	m->last_initialized[i] += TDMR_INIT_CHUNK;
	if (m->last_initialized[i] > end)
		m->last_initialized[i] = end;
	/* The next address to initialise, rounded down to 1 GiB. */
	regs->rdx = m->last_initialized[i] & ~(SZ_1G - 1);
	return TDXSIM_TDX_SUCCESS;
}

/* ---- TDH.SYS.UPDATE ---------------------------------------------------------- */

static uint64_t
sys_update(const struct tdxsim_module *m)
{
	/* No handoff data from a previous module is ever simulated. */
	if (m->state != TDXSIM_MODULE_SYSINIT_DONE ||
	    m->num_of_init_lps < m->num_of_lps)
		return TDXSIM_TDX_SYS_STATE_INCORRECT;
	return TDXSIM_TDX_SYS_INVALID_HANDOFF;
}

/* ---- dispatcher -------------------------------------------------------------- */

/* Leaves a module answers before SYS_READY (tdx_vmm_dispatcher.c). */
static bool
allowed_before_ready(const struct tdxsim_module *m, unsigned leaf)
{
	switch (leaf) {
	case TDXSIM_TDH_SYS_INFO:
	case TDXSIM_TDH_SYS_INIT:
	case TDXSIM_TDH_SYS_LP_INIT:
	case TDXSIM_TDH_SYS_CONFIG:
	case TDXSIM_TDH_SYS_KEY_CONFIG:
	case TDXSIM_TDH_SYS_LP_SHUTDOWN:
		return true;
	case TDXSIM_TDH_SYS_RD:
	case TDXSIM_TDH_SYS_RDALL:
	case TDXSIM_TDH_SYS_UPDATE:
		return m->generation != MODULE_GEN_1_0;
	default:
		return false;
	}
}

static bool
lp_ready_for_metadata(const struct tdxsim_module *m, unsigned cpu)
{
	return m->lp_is_init[cpu];
}

static uint64_t
metadata_leaf(struct tdxsim_module *m, unsigned cpu, unsigned leaf,
	      struct tdxsim_regs *regs)
{
	uint64_t status, value = 0, next = regs->rdx;

	if (!lp_ready_for_metadata(m, cpu))
		return TDXSIM_TDX_SYS_LP_INIT_NOT_DONE;
	if (leaf == TDXSIM_TDH_SYS_INFO)
		return tdxsim_metadata_sys_info(m, regs);
	if (leaf == TDXSIM_TDH_SYS_RDALL) {
		next = regs->r8;
		if (!tdxsim_module_shared_hpa_ok(m, regs->rdx, SZ_4K))
			return OPERAND_INVALID(TDXSIM_OPERAND_ID_RDX);
		status = tdxsim_metadata_read_all(m, regs->rdx, &next);
		regs->r8 = next;
		return status;
	}
	status = tdxsim_metadata_read(m, regs->rdx, &value, &next);
	regs->r8 = value;
	regs->rdx = next;
	return status;
}

static uint64_t
run_leaf(struct tdxsim_module *m, unsigned cpu, unsigned leaf,
	 struct tdxsim_regs *regs)
{
	bool v1_0 = m->generation == MODULE_GEN_1_0;

	switch (leaf) {
	case TDXSIM_TDH_SYS_INIT:
		return sys_init(m, regs);
	case TDXSIM_TDH_SYS_LP_INIT:
		return sys_lp_init(m, cpu, regs);
	case TDXSIM_TDH_SYS_INFO:
		return metadata_leaf(m, cpu, leaf, regs);
	case TDXSIM_TDH_SYS_RD:
	case TDXSIM_TDH_SYS_RDALL:
		return v1_0 ? OPERAND_INVALID(TDXSIM_OPERAND_ID_RAX)
			    : metadata_leaf(m, cpu, leaf, regs);
	case TDXSIM_TDH_SYS_CONFIG:
		return sys_config(m, regs);
	case TDXSIM_TDH_SYS_KEY_CONFIG:
		return sys_key_config(m, cpu);
	case TDXSIM_TDH_SYS_TDMR_INIT:
		return sys_tdmr_init(m, regs);
	case TDXSIM_TDH_SYS_LP_SHUTDOWN:
		return TDXSIM_TDX_SUCCESS;	/* a no-op in 1.5 */
	case TDXSIM_TDH_SYS_SHUTDOWN:
		if (v1_0)
			return OPERAND_INVALID(TDXSIM_OPERAND_ID_RAX);
		m->state = TDXSIM_MODULE_SHUTDOWN;
		return TDXSIM_TDX_SUCCESS;
	case TDXSIM_TDH_SYS_UPDATE:
		return v1_0 ? OPERAND_INVALID(TDXSIM_OPERAND_ID_RAX)
			    : sys_update(m);
	case TDXSIM_TDH_PHYMEM_PAMT_ADD:
		return tdxsim_dpamt_add(m, regs);
	case TDXSIM_TDH_PHYMEM_PAMT_REMOVE:
		return tdxsim_dpamt_remove(m, regs);
	default:
		/* TD-management leaves are not modelled. */
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_RAX);
	}
}

/* Whether this call is one the options inject a failure into. */
static bool
injected(struct tdxsim_module *m, unsigned leaf)
{
	const struct tdxsim_module_options *o = &m->options;
	unsigned n;

	if (o->inject_times == 0 || leaf != o->inject_leaf)
		return false;
	n = ++m->inject_seen;
	return n >= o->inject_nth && n - o->inject_nth < o->inject_times;
}

static uint64_t
dispatch(struct tdxsim_module *m, unsigned cpu, struct tdxsim_regs *regs)
{
	unsigned leaf = regs->rax & 0xffff, version = (regs->rax >> 16) & 0xff;

	if (m->options.absent)
		return TDXSIM_TDX_SEAMCALL_VMFAILINVALID;
	if (injected(m, leaf))
		return m->options.inject_status;
	/* Reserved RAX bits, or a version on a leaf that has none: no
	 * initialisation leaf takes a version (tdx_vmm_dispatcher.c). */
	if ((regs->rax >> 24) != 0 || version != 0)
		return OPERAND_INVALID(TDXSIM_OPERAND_ID_RAX);
	if (m->state == TDXSIM_MODULE_SHUTDOWN &&
	    leaf != TDXSIM_TDH_SYS_LP_SHUTDOWN)
		return TDXSIM_TDX_SYS_SHUTDOWN;
	/* Before SYS_READY the state check comes first, even for unknown
	 * leaves: how a 1.0 module answers TDH.SYS.RD (canonical/tdx #331). */
	if (m->state != TDXSIM_MODULE_READY && !allowed_before_ready(m, leaf))
		return TDXSIM_TDX_SYS_NOT_READY;
	return run_leaf(m, cpu, leaf, regs);
}

TDXSIM_EXPORT int
tdxsim_seamcall(struct tdxsim_module *m, unsigned cpu, struct tdxsim_regs *regs)
{
	if (!m || !regs)
		return -EINVAL;
	if (cpu >= m->num_of_lps)
		return -EINVAL;
	m->out_of_memory = false;
	regs->rax = dispatch(m, cpu, regs);
	return m->out_of_memory ? -ENOMEM : 0;
}

/* ---- convenience, on top of the SEAMCALL ABI ------------------------------- */

/* Where tdxsim_module_config_layout() puts TDH.SYS.CONFIG's inputs: any
 * shared memory will do for the module; these stay clear of HKID bits. */
#define LAYOUT_PA_ARRAY 0x80000ULL
#define LAYOUT_ENTRIES 0x100000ULL
#define LAYOUT_MAX_TDMRS 4096	/* entries that fit in simulated memory */

static int
write_layout(struct tdxsim_module *m, const struct tdxsim_layout *layout)
{
	unsigned slots = m->profile.max_reserved_per_tdmr;
	uint64_t stride = (TDXSIM_TDMR_INFO_SIZE(slots) + 511) & ~511ULL;
	uint8_t entry[TDXSIM_TDMR_INFO_SIZE(TDXSIM_MAX_RESERVED_SLOTS)];
	size_t n = tdxsim_layout_tdmr_count(layout);

	for (size_t i = 0; i < n; i++) {
		uint64_t pa = LAYOUT_ENTRIES + i * stride;
		uint8_t ptr[8];
		int ret;

		ret = tdxsim_layout_encode_tdmr_info(tdxsim_layout_tdmr(layout, i),
						     slots, entry, sizeof(entry));
		if (ret < 0)
			return ret;
		for (int b = 0; b < 8; b++)
			ptr[b] = (uint8_t)(pa >> (8 * b));
		ret = tdxsim_phys_store(&m->phys, pa, entry,
					TDXSIM_TDMR_INFO_SIZE(slots));
		if (ret == 0)
			ret = tdxsim_phys_store(&m->phys, LAYOUT_PA_ARRAY + 8 * i,
						ptr, sizeof(ptr));
		if (ret < 0)
			return ret;
	}
	return 0;
}

TDXSIM_EXPORT int
tdxsim_module_config_layout(struct tdxsim_module *m, unsigned cpu,
			    const struct tdxsim_layout *layout, unsigned keyid,
			    uint64_t *status)
{
	if (!m || !layout || !status)
		return -EINVAL;
	struct tdxsim_regs regs = { .rax = TDXSIM_TDH_SYS_CONFIG };
	size_t n = tdxsim_layout_tdmr_count(layout);
	int ret;

	if (cpu >= m->num_of_lps)
		return -EINVAL;
	/* The module checks RDX against MAX_TDMRS before it reads the array,
	 * so a layout with more TDMRs is answered (OPERAND_INVALID(RDX)), not
	 * refused here; only what it would read has to be written. */
	if (n <= m->profile.max_tdmrs) {
		if (n > LAYOUT_MAX_TDMRS)
			return -E2BIG;
		ret = write_layout(m, layout);
		if (ret < 0)
			return ret;
	}
	regs.rcx = LAYOUT_PA_ARRAY;
	regs.rdx = n;
	regs.r8 = keyid ? keyid : m->private_hkid_min;
	ret = tdxsim_seamcall(m, cpu, &regs);
	if (ret == 0)
		*status = regs.rax;
	return ret;
}

/* ---- PAMT page states ------------------------------------------------------ */

static bool
in_reserved_area(const struct tdxsim_tdmr_info *t, unsigned slots, uint64_t pa)
{
	for (unsigned j = 0; j < slots && t->rsvd_size[j]; j++) {
		uint64_t start = t->base + t->rsvd_offset[j];

		if (pa >= start && pa - start < t->rsvd_size[j])
			return true;
	}
	return false;
}

bool
tdxsim_module_pa_reserved(const struct tdxsim_module *m, uint64_t pa)
{
	for (size_t i = 0; i < m->num_of_tdmrs; i++) {
		const struct tdxsim_tdmr_info *t = &m->tdmrs[i];

		if (pa >= t->base && pa - t->base < t->size)
			return in_reserved_area(t, MODULE_RSVD_SLOTS, pa);
	}
	return false;
}

TDXSIM_EXPORT enum tdxsim_page_state
tdxsim_module_page_state(const struct tdxsim_module *m, uint64_t pa)
{
	if (!m)
		return 0;
	pa &= ~(SZ_4K - 1);
	for (size_t i = 0; i < m->num_of_tdmrs; i++) {
		const struct tdxsim_tdmr_info *t = &m->tdmrs[i];

		if (pa < t->base || pa - t->base >= t->size)
			continue;
		if (m->state < TDXSIM_MODULE_READY || pa >= m->last_initialized[i])
			return TDXSIM_PAGE_UNINITIALIZED;
		/* pamt_4kb_init(): pages in reserved areas are PT_RSVD. */
		return in_reserved_area(t, MODULE_RSVD_SLOTS, pa)
			       ? TDXSIM_PAGE_RSVD : TDXSIM_PAGE_NDA;
	}
	return TDXSIM_PAGE_NOT_TDMR;
}
