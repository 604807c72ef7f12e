/* SPDX-License-Identifier: MIT */
/*
 * The host run object: the layout a strategy builds, why each reserved
 * area exists, the kernel's log lines, the outcome. Plus the public entry
 * points that pick construction or the whole init replay.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "host-private.h"
#include "strbuf.h"

static const char *const strategy_names[TDXSIM_STRATEGY_COUNT] = {
	[TDXSIM_STRATEGY_LINUX] = "linux",
	[TDXSIM_STRATEGY_LINUX_CMR] = "linux-cmr",
	[TDXSIM_STRATEGY_TDXSIM] = "tdxsim",
};

TDXSIM_EXPORT const char *
tdxsim_strategy_name(enum tdxsim_strategy strategy)
{
	if ((unsigned)strategy >= TDXSIM_STRATEGY_COUNT)
		return NULL;
	return strategy_names[strategy];
}

static const char *const kernel_names[TDXSIM_KERNEL_COUNT] = {
	[TDXSIM_KERNEL_DEFAULT] = "default",
	[TDXSIM_KERNEL_6_12] = "6.12",
	[TDXSIM_KERNEL_UBUNTU_6_8_INTEL] = "ubuntu-6.8-intel",
	[TDXSIM_KERNEL_MAINLINE] = "mainline",
	[TDXSIM_KERNEL_MAINLINE_DPAMT] = "mainline-dpamt",
};

TDXSIM_EXPORT const char *
tdxsim_kernel_name(enum tdxsim_kernel kernel)
{
	if ((unsigned)kernel >= TDXSIM_KERNEL_COUNT)
		return NULL;
	return kernel_names[kernel];
}

TDXSIM_EXPORT int
tdxsim_kernel_from_name(const char *name, enum tdxsim_kernel *out)
{
	for (unsigned i = 0; name && i < TDXSIM_KERNEL_COUNT; i++) {
		if (strcmp(name, kernel_names[i]) == 0) {
			*out = (enum tdxsim_kernel)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* "6.12", "6.12.118", "6.12.118-amd64": the 6.12 stable series. */
static bool
is_6_12(const char *release)
{
	return strncmp(release, "6.12", 4) == 0 &&
	       (release[4] == '\0' || release[4] == '.' || release[4] == '-' ||
		release[4] == '+');
}

/* "6.8.0-1004-intel": Ubuntu's 6.8-intel kernels; returns the ABI number
 * between the dashes, or 0 for another release. */
static unsigned long
ubuntu_6_8_intel_abi(const char *release)
{
	const char *p = release + 6;
	unsigned long abi = 0;
	size_t digits = 0;

	if (strncmp(release, "6.8.0-", 6) != 0)
		return 0;
	for (; p[digits] >= '0' && p[digits] <= '9' && digits < 9; digits++)
		abi = abi * 10 + (unsigned long)(p[digits] - '0');
	return strcmp(p + digits, "-intel") == 0 ? abi : 0;
}

/*
 * Ubuntu's 6.8-intel kernels changed their TDX code within the series: on
 * 6.8.0-1001-intel (canonical/tdx#83) the first SEAMCALL after the CPUs is
 * the TDH.SYS.RD of MAX_TDMRS and no TDH.SYS.INFO line is printed, as 6.12
 * does; from 6.8.0-1004-intel on (#135, #331) TDH.SYS.INFO comes first.
 * Releases in between are not documented by any log: no generation.
 */
TDXSIM_EXPORT enum tdxsim_kernel
tdxsim_kernel_from_release(const char *release)
{
	unsigned long abi;

	if (!release)
		return TDXSIM_KERNEL_DEFAULT;
	if (is_6_12(release))
		return TDXSIM_KERNEL_6_12;
	abi = ubuntu_6_8_intel_abi(release);
	if (abi >= 1004)
		return TDXSIM_KERNEL_UBUNTU_6_8_INTEL;
	if (abi >= 1 && abi <= 1001)
		return TDXSIM_KERNEL_6_12;
	return TDXSIM_KERNEL_DEFAULT;
}

TDXSIM_EXPORT enum tdxsim_kernel
tdxsim_kernel_resolve(enum tdxsim_strategy strategy, enum tdxsim_kernel kernel)
{
	if (kernel != TDXSIM_KERNEL_DEFAULT)
		return kernel;
	/* The CMR patch only ever shipped in Ubuntu's 6.8-intel kernels. */
	return strategy == TDXSIM_STRATEGY_LINUX_CMR ? TDXSIM_KERNEL_UBUNTU_6_8_INTEL
						     : TDXSIM_KERNEL_MAINLINE;
}

TDXSIM_EXPORT int
tdxsim_strategy_from_name(const char *name, enum tdxsim_strategy *out)
{
	if (!name || !out)
		return -EINVAL;
	for (unsigned i = 0; i < TDXSIM_STRATEGY_COUNT; i++) {
		if (strcmp(name, strategy_names[i]) == 0) {
			*out = (enum tdxsim_strategy)i;
			return 0;
		}
	}
	return -EINVAL;
}

void
tdxsim_host_log(struct tdxsim_host_run *run, const char *fmt, ...)
{
	struct tdxsim_strbuf line;
	va_list args;

	tdxsim_strbuf_init(&line);
	tdxsim_strbuf_puts(&line, "virt/tdx: ");	/* pr_fmt of tdx.c */
	va_start(args, fmt);
	tdxsim_strbuf_vprintf(&line, fmt, args);
	va_end(args);
	if (line.oom || tdxsim_array_reserve((void **)&run->lines,
					     &run->line_capacity,
					     run->line_count + 1,
					     sizeof(*run->lines)) < 0) {
		run->oom = true;
		tdxsim_strbuf_fini(&line);
		return;
	}
	run->lines[run->line_count++] = tdxsim_strbuf_steal(&line);
}

int
tdxsim_host_add_tdmr(struct tdxsim_host_run *run, uint64_t base, uint64_t size)
{
	size_t need = tdxsim_layout_tdmr_count(run->layout) + 1;
	int index, ret;

	ret = tdxsim_array_reserve((void **)&run->meta, &(size_t){ run->meta_count },
				   need, sizeof(*run->meta));
	if (ret < 0)
		return ret;
	index = tdxsim_layout_add_tdmr(run->layout, base, size);
	if (index < 0)
		return index;
	memset(&run->meta[index], 0, sizeof(run->meta[index]));
	run->meta_count = (size_t)index + 1;
	return index;
}

static int
push_meta(struct tdxsim_rsvd_meta *m, enum tdxsim_rsvd_reason reason, int owner)
{
	size_t cap = m->capacity;
	int ret;

	ret = tdxsim_array_reserve((void **)&m->reasons, &cap, m->count + 1,
				   sizeof(*m->reasons));
	if (ret == 0)
		ret = tdxsim_array_reserve((void **)&m->owners, &m->capacity,
					   m->count + 1, sizeof(*m->owners));
	if (ret < 0)
		return ret;
	m->reasons[m->count] = reason;
	m->owners[m->count] = owner;
	m->count++;
	return 0;
}

int
tdxsim_host_add_rsvd(struct tdxsim_host_run *run, size_t tdmr, uint64_t addr,
		     uint64_t size, enum tdxsim_rsvd_reason reason, int owner)
{
	const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(run->layout, tdmr);
	int ret;

	if (!t || tdmr >= run->meta_count)
		return -EINVAL;
	ret = push_meta(&run->meta[tdmr], reason, owner);
	if (ret < 0)
		return ret;
	ret = tdxsim_layout_add_reserved(run->layout, tdmr, addr - t->base, size);
	if (ret < 0)
		run->meta[tdmr].count--;
	return ret;
}

struct sortable_area {
	struct tdxsim_reserved_area area;
	enum tdxsim_rsvd_reason reason;
	int owner;
};

static int
by_offset(const void *a, const void *b)
{
	const struct sortable_area *x = a, *y = b;

	return x->area.offset < y->area.offset ? -1 :
	       x->area.offset > y->area.offset ? 1 : 0;
}

int
tdxsim_host_sort_rsvd(struct tdxsim_host_run *run, size_t tdmr)
{
	const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(run->layout, tdmr);
	struct tdxsim_rsvd_meta *m;
	struct sortable_area *areas;
	size_t n;

	if (!t || tdmr >= run->meta_count)
		return -EINVAL;
	m = &run->meta[tdmr];
	n = t->reserved_count;
	areas = calloc(n ? n : 1, sizeof(*areas));
	if (!areas)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		areas[i] = (struct sortable_area){ t->reserved[i], m->reasons[i],
						   m->owners[i] };
	qsort(areas, n, sizeof(*areas), by_offset);
	/* The slots are rebuilt in place: capacity is already there. */
	tdxsim_layout_clear_reserved(run->layout, tdmr);
	for (size_t i = 0; i < n; i++) {
		tdxsim_layout_add_reserved(run->layout, tdmr, areas[i].area.offset,
					   areas[i].area.size);
		m->reasons[i] = areas[i].reason;
		m->owners[i] = areas[i].owner;
	}
	free(areas);
	return 0;
}

/* ---- the public object ------------------------------------------------------- */

static struct tdxsim_host_run *
run_new(void)
{
	struct tdxsim_host_run *run = calloc(1, sizeof(*run));

	if (!run)
		return NULL;
	run->layout = tdxsim_layout_new();
	if (!run->layout) {
		free(run);
		return NULL;
	}
	return run;
}

TDXSIM_EXPORT void
tdxsim_host_run_free(struct tdxsim_host_run *run)
{
	if (!run)
		return;
	for (size_t i = 0; i < run->meta_count; i++) {
		free(run->meta[i].reasons);
		free(run->meta[i].owners);
	}
	free(run->meta);
	for (size_t i = 0; i < run->line_count; i++)
		free(run->lines[i]);
	free(run->lines);
	tdxsim_layout_free(run->layout);
	free(run);
}

int
tdxsim_host_construct(const struct tdxsim_host_input *in,
		      enum tdxsim_strategy strategy, struct tdxsim_host_run *run)
{
	run->pamt_bitmap_bits = in->pamt_bitmap_bits;
	switch (strategy) {
	case TDXSIM_STRATEGY_LINUX:
		return tdxsim_construct_linux(in, run, false);
	case TDXSIM_STRATEGY_LINUX_CMR:
		return tdxsim_construct_linux(in, run, true);
	case TDXSIM_STRATEGY_TDXSIM:
		return tdxsim_construct_tdxsim(in, run);
	default:
		return -EINVAL;
	}
}

static int
construct_only(const struct tdxsim_platform *p, enum tdxsim_strategy strategy,
	       enum tdxsim_kernel kernel, struct tdxsim_host_run *run)
{
	struct tdxsim_host_input in;
	int ret = tdxsim_host_input_init(&in, p, strategy, kernel);

	if (ret == 0)
		ret = tdxsim_host_construct(&in, strategy, run);
	tdxsim_host_input_fini(&in);
	return ret;
}

TDXSIM_EXPORT int
tdxsim_host_run(const struct tdxsim_platform *platform,
		enum tdxsim_strategy strategy, enum tdxsim_host_mode mode,
		struct tdxsim_host_run **out)
{
	if (!platform || !out)
		return -EINVAL;
	return tdxsim_host_run_kernel(platform, strategy, TDXSIM_KERNEL_DEFAULT,
				      mode, out);
}

/* One run; options reach the module of an init replay (NULL: defaults). */
static int
run_with(const struct tdxsim_platform *platform, enum tdxsim_strategy strategy,
	 enum tdxsim_kernel kernel, enum tdxsim_host_mode mode,
	 const struct tdxsim_module_options *options,
	 struct tdxsim_host_run **out)
{
	if (!platform || !out)
		return -EINVAL;
	struct tdxsim_host_run *run;
	int ret;

	if (!platform || !out || !tdxsim_strategy_name(strategy) ||
	    !tdxsim_kernel_name(kernel))
		return -EINVAL;
	kernel = tdxsim_kernel_resolve(strategy, kernel);
	run = run_new();
	if (!run)
		return -ENOMEM;
	if (mode == TDXSIM_HOST_INIT)
		ret = tdxsim_host_init_replay(platform, strategy, kernel, options, run);
	else
		ret = construct_only(platform, strategy, kernel, run);
	if (ret == 0 && run->oom)
		ret = -ENOMEM;
	if (ret < 0) {
		tdxsim_host_run_free(run);
		return ret;
	}
	*out = run;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_host_run_kernel(const struct tdxsim_platform *platform,
		       enum tdxsim_strategy strategy, enum tdxsim_kernel kernel,
		       enum tdxsim_host_mode mode, struct tdxsim_host_run **out)
{
	return run_with(platform, strategy, kernel, mode, NULL, out);
}

TDXSIM_EXPORT int
tdxsim_host_run_module(const struct tdxsim_platform *platform,
		       enum tdxsim_strategy strategy, enum tdxsim_kernel kernel,
		       const struct tdxsim_module_options *options,
		       struct tdxsim_host_run **out)
{
	return run_with(platform, strategy, kernel, TDXSIM_HOST_INIT, options, out);
}

TDXSIM_EXPORT int
tdxsim_host_run_errno(const struct tdxsim_host_run *run)
{
	if (!run)
		return -EINVAL;
	return run->err;
}

TDXSIM_EXPORT size_t
tdxsim_host_run_line_count(const struct tdxsim_host_run *run)
{
	if (!run)
		return 0;
	return run->line_count;
}

TDXSIM_EXPORT const char *
tdxsim_host_run_line(const struct tdxsim_host_run *run, size_t index)
{
	if (!run)
		return NULL;
	return index < run->line_count ? run->lines[index] : NULL;
}

TDXSIM_EXPORT const struct tdxsim_layout *
tdxsim_host_run_layout(const struct tdxsim_host_run *run)
{
	if (!run)
		return NULL;
	return run->layout;
}

TDXSIM_EXPORT enum tdxsim_rsvd_reason
tdxsim_host_rsvd_reason(const struct tdxsim_host_run *run, size_t tdmr,
			size_t slot)
{
	if (!run)
		return 0;
	if (tdmr >= run->meta_count || slot >= run->meta[tdmr].count)
		return TDXSIM_RSVD_HOLE;
	return run->meta[tdmr].reasons[slot];
}

TDXSIM_EXPORT int
tdxsim_host_rsvd_pamt_owner(const struct tdxsim_host_run *run, size_t tdmr,
			    size_t slot)
{
	if (!run)
		return -EINVAL;
	if (tdmr >= run->meta_count || slot >= run->meta[tdmr].count ||
	    run->meta[tdmr].reasons[slot] == TDXSIM_RSVD_HOLE)
		return -1;
	return run->meta[tdmr].owners[slot];
}

TDXSIM_EXPORT uint64_t
tdxsim_host_run_pamt_kb(const struct tdxsim_host_run *run)
{
	if (!run)
		return 0;
	return run->pamt_bytes / 1024;
}

TDXSIM_EXPORT unsigned
tdxsim_host_run_pamt_bitmap_bits(const struct tdxsim_host_run *run)
{
	return run ? run->pamt_bitmap_bits : 0;
}

TDXSIM_EXPORT int
tdxsim_host_run_unplaced(const struct tdxsim_host_run *run, struct tdxsim_unplaced *out)
{
	if (!run || !out)
		return -EINVAL;
	if (!run->has_unplaced)
		return -ENOENT;
	*out = run->unplaced;
	return 0;
}

TDXSIM_EXPORT uint64_t
tdxsim_host_run_status(const struct tdxsim_host_run *run)
{
	if (!run)
		return 0;
	return run->status;
}

/* ---- a user's own layout ----------------------------------------------------- */

static uint64_t
call(struct tdxsim_module *m, unsigned cpu, unsigned leaf, int *ret)
{
	struct tdxsim_regs regs = { .rax = leaf };

	*ret = tdxsim_seamcall(m, cpu, &regs);
	return regs.rax;
}

TDXSIM_EXPORT int
tdxsim_host_verdict(const struct tdxsim_platform *platform,
		    const struct tdxsim_layout *layout, uint64_t *status)
{
	if (!platform || !layout || !status)
		return -EINVAL;
	unsigned cpus = tdxsim_platform_module_profile(platform)->nr_lps;
	struct tdxsim_module *m;
	int ret;

	ret = tdxsim_module_new(platform, NULL, &m);
	if (ret < 0)
		return ret;
	*status = call(m, 0, TDXSIM_TDH_SYS_INIT, &ret);
	for (unsigned cpu = 0; cpu < cpus && ret == 0 && *status == 0; cpu++)
		*status = call(m, cpu, TDXSIM_TDH_SYS_LP_INIT, &ret);
	if (ret == 0 && *status == 0)
		ret = tdxsim_module_config_layout(m, 0, layout, 0, status);
	tdxsim_module_free(m);
	return ret;
}
