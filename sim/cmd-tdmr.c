/* SPDX-License-Identifier: MIT */
/*
 * tdxsim tdmr: build the TDMRs, reserved areas and PAMTs of a platform the
 * way a kernel does (construction only, no SEAMCALLs), then ask a fresh
 * simulated module whether it accepts the layout (TDH.SYS.CONFIG). Prints
 * the layout with why each reserved area exists, as text or JSON; draws it
 * over the memory map (--svg); writes it for module-config (--layout-out);
 * or puts every strategy side by side (--compare).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "output.h"
#include "tracks.h"

#define CMD "tdmr"

struct tdmr_args {
	const char *fixture;	/* NULL: the bundled default */
	enum tdxsim_strategy strategy;
	int strategy_given;
	enum tdxsim_kernel kernel;	/* DEFAULT: each strategy's own */
	int json;
	int compare;
	const char *svg_path;
	const char *layout_path;
};

/* One strategy's construction and the module's verdict on it. */
struct outcome {
	enum tdxsim_strategy strategy;
	struct tdxsim_host_run *run;
	const struct tdxsim_layout *layout;
	int err;		/* the kernel's errno; 0: TDMRs built */
	int asked;		/* the module was asked (only when built) */
	uint64_t status;	/* TDH.SYS.CONFIG's status when asked */
	/* The same strategy as a kernel with the Dynamic PAMT series builds
	 * it (mainline-dpamt), for the static-vs-DPAMT PAMT totals. */
	struct tdxsim_host_run *dpamt;
};

/* Errnos the modelled kernel returns, by the names kernel people use. */
struct errno_name {
	int err;
	const char *name;
};

static const struct errno_name errno_names[] = {
	{ EPERM, "EPERM" }, { EIO, "EIO" }, { ENXIO, "ENXIO" },
	{ E2BIG, "E2BIG" }, { ENOMEM, "ENOMEM" }, { EFAULT, "EFAULT" },
	{ EBUSY, "EBUSY" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
	{ ENOSPC, "ENOSPC" }, { EOPNOTSUPP, "EOPNOTSUPP" },
};

/* How each reason of a reserved area is named and drawn. */
struct rsvd_style {
	const char *word;	/* in JSON */
	const char *label;	/* inside the picture's block */
	const char *css_class;
	const char *legend;
};

static const struct rsvd_style rsvd_styles[] = {
	[TDXSIM_RSVD_HOLE] = { "hole", "hole", "rsvd-hole", "reserved: hole (not TDX memory)" },
	[TDXSIM_RSVD_PAMT] = { "pamt", "PAMT", "rsvd-pamt", "reserved: PAMT" },
	[TDXSIM_RSVD_HOLE_AND_PAMT] = { "hole+pamt", "hole+PAMT", "rsvd-both",
					"reserved: hole + PAMT" },
};

static const char *const level_names[3] = { "4K", "2M", "1G" };

/* TDMRs and PAMTs take their colours from svg_style(), one per TDMR;
 * reserved areas are coloured by reason in greys, which that palette never
 * uses, so that no reserved area looks like a particular TDMR's. */
static const char tdmr_css[] =
	TRACKS_PLATFORM_CSS
	".rsvd-hole{fill:#8a8a8a}"
	".rsvd-pamt{fill:#d0d0d0}"
	".rsvd-both{fill:#adadad}"
	".unplaced{fill:#d32f2f;stroke:#b71c1c;stroke-width:2}";

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim tdmr [OPTIONS] [PLATFORM]\n"
		"\n"
		"Build the TDMRs, reserved areas and PAMTs of PLATFORM as a kernel does\n"
		"(construction only), then ask a simulated TDX module whether it accepts\n"
		"them (TDH.SYS.INIT, LP.INIT, TDH.SYS.CONFIG). Prints the layout, why each\n"
		"reserved area exists, the PAMT total, the kernel's lines and the verdict.\n"
		"Without PLATFORM, the bundled default platform (%s).\n"
		"PLATFORM '-' is standard input; a kernel log (BIOS-e820 lines) is\n"
		"imported as 'tdxsim import-dmesg' would, with a note.\n"
		"\n"
		"Options:\n"
		"  -s, --strategy S     linux (default), linux-cmr or tdxsim\n"
		"  -k, --kernel GEN     whose memblock and construction: 6.12,\n"
		"                       ubuntu-6.8-intel, mainline or mainline-dpamt\n"
		"                       (default: the strategy's own)\n"
		"  -j, --json           print one JSON document instead of text\n"
		"      --svg FILE       draw the layout over the memory map\n"
		"  -o, --layout-out FILE  write the layout for 'tdxsim module-config'\n"
		"                       (after a failed construction: as far as it got)\n"
		"                       (--svg -, --layout-out -: to standard output,\n"
		"                       instead of the report)\n"
		"  -c, --compare        every strategy side by side, one row each\n"
		"  -h, --help           print this help and exit\n"
		"\n"
		"Exit status: 0 the TDMRs were built and the module accepts them (with\n"
		"--compare: for every strategy), 1 otherwise, 2 usage or input error.\n",
		cli_default_fixture_name);
}

/* ---- arguments ---- */

static int
parse_option(int c, struct tdmr_args *args, char **argv)
{
	switch (c) {
	case 's':
		args->strategy_given = 1;
		if (tdxsim_strategy_from_name(optarg, &args->strategy) < 0) {
			const char *best = cli_suggest_strategy(optarg, false);

			return cli_usage_error(CMD, "unknown strategy '%s' (linux, linux-cmr, tdxsim)%s%s%s",
					       optarg, best ? "; did you mean '" : "",
					       best ? best : "", best ? "'?" : "");
		}
		return -1;
	case 'k':
		return cli_parse_kernel(CMD, optarg, &args->kernel);
	case 'j':
		args->json = 1;
		return -1;
	case 'c':
		args->compare = 1;
		return -1;
	case 'g':
		args->svg_path = optarg;
		return -1;
	case 'o':
		args->layout_path = optarg;
		return -1;
	case ':':
		return cli_usage_error(CMD, "option '%s' needs a value", argv[optind - 1]);
	default:
		return cli_usage_error(CMD, "unknown option '%s'", argv[optind - 1]);
	}
}

/* --compare is about every strategy at once: one picture or one layout
 * file of a single strategy does not fit it. */
static int
check_combination(const struct tdmr_args *args)
{
	bool svg_out = cli_output_is_stdout(args->svg_path);
	bool layout_out = cli_output_is_stdout(args->layout_path);

	/* Standard output carries one thing. */
	if (svg_out && layout_out)
		return cli_usage_error(CMD, "--svg and --layout-out cannot both be '-' (standard output)");
	if ((svg_out || layout_out) && args->json)
		return cli_usage_error(CMD, "--json and %s - both write standard output",
				       svg_out ? "--svg" : "--layout-out");
	if (!args->compare)
		return -1;
	if (args->strategy_given)
		return cli_usage_error(CMD, "--compare runs every strategy; drop --strategy");
	if (args->svg_path || args->layout_path)
		return cli_usage_error(CMD, "--svg and --layout-out take one strategy, not --compare");
	return -1;
}

/* Returns -1 to go on, or the exit status to stop with. */
static int
parse_args(int argc, char **argv, struct tdmr_args *args)
{
	static const struct option options[] = {
		{ "strategy", required_argument, NULL, 's' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "svg", required_argument, NULL, 'g' },
		{ "layout-out", required_argument, NULL, 'o' },
		{ "compare", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret = -1;

	memset(args, 0, sizeof(*args));
	args->strategy = TDXSIM_STRATEGY_LINUX;
	opterr = 0;  /* our own messages, in the CLI's format */
	while (ret < 0 && (c = getopt_long(argc, argv, ":s:k:jo:ch", options, NULL)) != -1) {
		if (c == 'h') {
			print_usage(stdout);
			return CLI_EXIT_OK;
		}
		ret = parse_option(c, args, argv);
	}
	if (ret >= 0)
		return ret;
	if ((args->svg_path && !*args->svg_path) || (args->layout_path && !*args->layout_path))
		return cli_usage_error(CMD, "an empty file name");
	if (argc - optind > 1)
		return cli_usage_error(CMD, "one platform at most, got '%s' too",
				       argv[optind + 1]);
	args->fixture = optind < argc ? argv[optind] : NULL;
	return check_combination(args);
}

/* ---- running ---- */

static const char *
errno_name(int err)
{
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++) {
		if (errno_names[i].err == -err)
			return errno_names[i].name;
	}
	return "errno";
}

static int
accepted(const struct outcome *o)
{
	return o->err == 0 && o->asked && o->status == TDXSIM_TDX_SUCCESS;
}

/* Build the layout and, when the kernel got that far, ask the module: a
 * kernel whose construction failed never calls TDH.SYS.CONFIG, and a
 * partial layout leaves memory uncovered that the module would not miss,
 * so its verdict on one would mislead. */
static int
evaluate(const struct tdxsim_platform *p, enum tdxsim_strategy strategy,
	 enum tdxsim_kernel kernel, struct outcome *o)
{
	int ret;

	memset(o, 0, sizeof(*o));
	o->strategy = strategy;
	ret = tdxsim_host_run_kernel(p, strategy, kernel, TDXSIM_HOST_CONSTRUCT, &o->run);
	if (ret == 0)
		ret = tdxsim_host_run_kernel(p, strategy, TDXSIM_KERNEL_MAINLINE_DPAMT,
					     TDXSIM_HOST_CONSTRUCT, &o->dpamt);
	if (ret == 0) {
		o->layout = tdxsim_host_run_layout(o->run);
		o->err = tdxsim_host_run_errno(o->run);
		o->asked = o->err == 0;
		if (o->asked)
			ret = tdxsim_host_verdict(p, o->layout, &o->status);
	}
	if (ret < 0)
		fprintf(stderr, "tdxsim " CMD ": %s: %s\n", tdxsim_strategy_name(strategy),
			ret == -ENOMEM ? "out of memory" :
			"the platform's module profile cannot be simulated");
	return ret < 0 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}

static void
outcome_free(struct outcome *o)
{
	tdxsim_host_run_free(o->run);
	tdxsim_host_run_free(o->dpamt);
	o->run = NULL;
	o->dpamt = NULL;
}

/* The PAMT a kernel with the Dynamic PAMT series would allocate at boot,
 * or false when the module has no Dynamic PAMT (that kernel's PAMT is
 * then the static one). */
static bool
dpamt_kb(const struct outcome *o, uint64_t *kb)
{
	if (tdxsim_host_run_pamt_bitmap_bits(o->dpamt) == 0)
		return false;
	*kb = tdxsim_host_run_pamt_kb(o->dpamt);
	return true;
}

/* Most non-null reserved slots one TDMR uses. */
static size_t
max_reserved(const struct tdxsim_layout *layout)
{
	size_t max = 0;

	for (size_t i = 0; i < tdxsim_layout_tdmr_count(layout); i++) {
		const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(layout, i);
		size_t used = 0;

		for (size_t j = 0; j < t->reserved_count; j++)
			used += t->reserved[j].size != 0;
		max = used > max ? used : max;
	}
	return max;
}

static const char *
status_name(uint64_t status)
{
	const char *name = tdxsim_status_name(status);

	return name ? name : "(unknown status)";
}

/* The style of a reason; an unknown one is drawn as the library's
 * fallback, a hole. */
static const struct rsvd_style *
rsvd_style(enum tdxsim_rsvd_reason reason)
{
	size_t i = (size_t)reason;

	return &rsvd_styles[i < sizeof(rsvd_styles) / sizeof(rsvd_styles[0]) ? i : 0];
}

/* Why a reserved area exists, in words. */
static const char *
rsvd_why(const struct outcome *o, size_t tdmr, size_t slot, char *buf,
	 size_t size)
{
	int owner = tdxsim_host_rsvd_pamt_owner(o->run, tdmr, slot);

	switch (tdxsim_host_rsvd_reason(o->run, tdmr, slot)) {
	case TDXSIM_RSVD_PAMT:
		snprintf(buf, size, "PAMT of TDMR %d", owner);
		return buf;
	case TDXSIM_RSVD_HOLE_AND_PAMT:
		return "hole + PAMT";
	case TDXSIM_RSVD_HOLE:
		break;
	}
	return "hole";
}

/* What found no slot, when the construction ran out of them. */
static bool
unplaced(const struct outcome *o, struct tdxsim_unplaced *u)
{
	return tdxsim_host_run_unplaced(o->run, u) == 0;
}

/* "hole 17: found no slot (all 16 taken)", "PAMT of TDMR 2 (area 17): ..."
 * or "memory region: found no TDMR (all 64 taken)". */
static const char *
unplaced_why(const struct tdxsim_unplaced *u, unsigned max_rsvd, char *buf, size_t size)
{
	if (u->kind == TDXSIM_UNPLACED_REGION)
		snprintf(buf, size, "memory region: found no TDMR (all %u taken)", u->ordinal - 1);
	else if (u->reason == TDXSIM_RSVD_PAMT)
		snprintf(buf, size, "PAMT of TDMR %d (area %u): found no slot (all %u taken)",
			 u->pamt_owner, u->ordinal, max_rsvd);
	else
		snprintf(buf, size, "hole %u: found no slot (all %u taken)", u->ordinal, max_rsvd);
	return buf;
}

/* ---- text ---- */

/* The label column, indented by nesting; the range, size and tail columns
 * then line up across TDMRs, PAMTs and reserved areas. */
#define LABEL_W 16

static void
print_label(int indent, const char *label)
{
	printf("%*s%-*s", indent, "", LABEL_W - indent, label);
}

static void
print_range(int indent, const char *label, uint64_t start, uint64_t size,
	    const char *tail)
{
	char range[64], human[32];

	snprintf(range, sizeof(range), "[0x%" PRIx64 ", 0x%" PRIx64 ")", start,
		 start + size);
	print_label(indent, label);
	printf("%-36s %10s%s%s\n", range,
	       cli_format_size(size, human, sizeof(human)), tail ? "  " : "",
	       tail ? tail : "");
}

static void
print_pamts(const struct tdxsim_tdmr *t)
{
	for (int l = 0; l < 3; l++) {
		char label[16];

		snprintf(label, sizeof(label), "PAMT %s", level_names[l]);
		if (t->pamt[l].size != 0) {
			print_range(4, label, t->pamt[l].base, t->pamt[l].size, NULL);
			continue;
		}
		print_label(4, label);
		printf("not allocated\n");
	}
}

/* The row of what found no slot, under the TDMR it concerns (tdmr -1:
 * after the TDMRs, for a region). */
static void
print_unplaced(const struct outcome *o, int tdmr, unsigned max)
{
	struct tdxsim_unplaced u;
	char why[96];

	if (!unplaced(o, &u) || u.tdmr != tdmr)
		return;
	print_range(tdmr < 0 ? 2 : 6, tdmr < 0 ? "no TDMR" : "no slot", u.base, u.size,
		    unplaced_why(&u, max, why, sizeof(why)));
}

static void
print_reserved(const struct outcome *o, size_t index, unsigned max)
{
	const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(o->layout, index);

	print_label(4, "reserved");
	printf("%zu of %u slots\n", t->reserved_count, max);
	for (size_t j = 0; j < t->reserved_count; j++) {
		const struct tdxsim_reserved_area *r = &t->reserved[j];
		char label[32], why[40];

		snprintf(label, sizeof(label), "%zu", j);
		if (r->size != 0) {
			print_range(6, label, t->base + r->offset, r->size,
				    rsvd_why(o, index, j, why, sizeof(why)));
			continue;
		}
		print_label(6, label);
		printf("null\n");
	}
	print_unplaced(o, (int)index, max);
}

static void
print_tdmrs(const struct outcome *o, const struct tdxsim_platform *p)
{
	unsigned max = tdxsim_platform_module_profile(p)->max_reserved_per_tdmr;
	size_t count = tdxsim_layout_tdmr_count(o->layout);

	printf("\nTDMRs (%zu)\n", count);
	print_label(2, "");
	printf("%-36s %10s  %s\n", "[base, end)", "size", "why (reserved areas)");
	for (size_t i = 0; i < count; i++) {
		const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(o->layout, i);
		char label[32];

		snprintf(label, sizeof(label), "TDMR %zu", i);
		print_range(2, label, t->base, t->size, NULL);
		print_pamts(t);
		print_reserved(o, i, max);
	}
	print_unplaced(o, -1, max);
}

static void
print_outcome_line(const struct outcome *o, const struct tdxsim_platform *p)
{
	const char *name = tdxsim_platform_info(p, TDXSIM_INFO_NAME);

	printf("Platform %s, strategy %s: ", name ? name : "(unnamed)",
	       tdxsim_strategy_name(o->strategy));
	if (o->err == 0)
		printf("TDMRs built\n");
	else
		printf("construction failed: %d %s (%s)\n", o->err,
		       errno_name(o->err), strerror(-o->err));
}

static void
print_pamt_total(const struct outcome *o)
{
	printf("\nPAMT: %" PRIu64 " KB", tdxsim_host_run_pamt_kb(o->run));
	/* The layout above still shows them, so say where they went. */
	uint64_t kb;

	if (o->err)
		printf(" (a kernel frees the PAMTs when construction fails)");
	if (dpamt_kb(o, &kb))
		printf("; with Dynamic PAMT (--kernel mainline-dpamt): %" PRIu64 " KB%s", kb,
		       tdxsim_host_run_errno(o->dpamt) ? ", construction failed" : "");
	else
		printf("; no Dynamic PAMT in this module");
	printf("\n");
}

static void
print_verdict(const struct outcome *o)
{
	printf("\nModule verdict: ");
	if (!o->asked) {
		printf("not asked (construction failed; a kernel stops before "
		       "TDH.SYS.CONFIG)\n");
		return;
	}
	printf("TDH.SYS.CONFIG: 0x%016" PRIx64 " %s\n", o->status,
	       status_name(o->status));
	if (o->status != TDXSIM_TDX_SUCCESS)
		printf("  (tdxsim decode 0x%" PRIx64 " --leaf %u explains it)\n",
		       o->status, (unsigned)TDXSIM_TDH_SYS_CONFIG);
}

static void
print_text(const struct outcome *o, const struct tdxsim_platform *p)
{
	print_outcome_line(o, p);
	print_tdmrs(o, p);
	print_pamt_total(o);
	printf("\nKernel log:%s\n",
	       tdxsim_host_run_line_count(o->run) ? "" : " (no lines)");
	for (size_t i = 0; i < tdxsim_host_run_line_count(o->run); i++)
		printf("  %s\n", tdxsim_host_run_line(o->run, i));
	print_verdict(o);
}

/* ---- JSON ---- */

static void
json_pamts(struct cli_json *j, const struct tdxsim_tdmr *t)
{
	cli_json_object(j, "pamt", CLI_JSON_INLINE);
	for (int l = 0; l < 3; l++) {
		cli_json_object(j, level_names[l], CLI_JSON_INLINE);
		cli_json_range_members(j, t->pamt[l].base, t->pamt[l].size);
		cli_json_end(j);
	}
	cli_json_end(j);
}

/* "pamt_owner": a TDMR index, or null. */
static void
json_owner(struct cli_json *j, int owner)
{
	if (owner >= 0)
		cli_json_u64(j, "pamt_owner", (uint64_t)owner);
	else
		cli_json_null(j, "pamt_owner");
}

static void
json_reserved(struct cli_json *j, const struct outcome *o, size_t index)
{
	const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(o->layout, index);

	cli_json_array(j, "reserved", CLI_JSON_BLOCK);
	for (size_t k = 0; k < t->reserved_count; k++) {
		const struct tdxsim_reserved_area *r = &t->reserved[k];

		cli_json_object(j, NULL, CLI_JSON_INLINE);
		cli_json_u64(j, "slot", k);
		cli_json_hex(j, "offset", r->offset);
		cli_json_range_members(j, t->base + r->offset, r->size);
		cli_json_str(j, "reason", r->size ? rsvd_style(tdxsim_host_rsvd_reason(o->run, index,
										   k))->word : NULL);
		json_owner(j, tdxsim_host_rsvd_pamt_owner(o->run, index, k));
		cli_json_end(j);
	}
	cli_json_end(j);
}

static void
json_tdmrs(struct cli_json *j, const struct outcome *o)
{
	cli_json_array(j, "tdmrs", CLI_JSON_BLOCK);
	for (size_t i = 0; i < tdxsim_layout_tdmr_count(o->layout); i++) {
		const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(o->layout, i);

		cli_json_object(j, NULL, CLI_JSON_BLOCK);
		cli_json_u64(j, "index", i);
		cli_json_range_members(j, t->base, t->size);
		json_pamts(j, t);
		json_reserved(j, o, i);
		cli_json_end(j);
	}
	cli_json_end(j);
}

static void
json_lines(struct cli_json *j, const struct tdxsim_host_run *run)
{
	cli_json_array(j, "lines", CLI_JSON_BLOCK);
	for (size_t i = 0; i < tdxsim_host_run_line_count(run); i++)
		cli_json_str(j, NULL, tdxsim_host_run_line(run, i));
	cli_json_end(j);
}

/* "unplaced": what found no slot, or null. */
static void
json_unplaced(struct cli_json *j, const struct outcome *o)
{
	struct tdxsim_unplaced u;

	if (!unplaced(o, &u)) {
		cli_json_null(j, "unplaced");
		return;
	}
	cli_json_object(j, "unplaced", CLI_JSON_INLINE);
	cli_json_str(j, "kind", u.kind == TDXSIM_UNPLACED_REGION ? "memory region" : "reserved area");
	if (u.tdmr < 0)
		cli_json_null(j, "tdmr");
	else
		cli_json_u64(j, "tdmr", (uint64_t)u.tdmr);
	cli_json_u64(j, "ordinal", u.ordinal);
	cli_json_range_members(j, u.base, u.size);
	cli_json_str(j, "reason", u.kind == TDXSIM_UNPLACED_REGION ? NULL : rsvd_style(u.reason)->word);
	json_owner(j, u.pamt_owner);
	cli_json_end(j);
}

/* The members a compare row and a full document share. */
static void
json_summary(struct cli_json *j, const struct outcome *o)
{
	uint64_t kb;

	cli_json_str(j, "strategy", tdxsim_strategy_name(o->strategy));
	cli_json_i64(j, "errno", o->err);
	cli_json_u64(j, "tdmr_count", tdxsim_layout_tdmr_count(o->layout));
	cli_json_u64(j, "max_reserved_used", max_reserved(o->layout));
	cli_json_u64(j, "pamt_kb", tdxsim_host_run_pamt_kb(o->run));
	if (dpamt_kb(o, &kb)) {
		cli_json_u64(j, "dpamt_pamt_kb", kb);
		cli_json_i64(j, "dpamt_errno", tdxsim_host_run_errno(o->dpamt));
	} else {
		cli_json_null(j, "dpamt_pamt_kb");
		cli_json_null(j, "dpamt_errno");
	}
	cli_json_object(j, "verdict", CLI_JSON_INLINE);
	cli_json_bool(j, "asked", o->asked);
	if (o->asked) {
		cli_json_hex(j, "status", o->status);
		cli_json_str(j, "name", status_name(o->status));
	} else {
		cli_json_null(j, "status");
		cli_json_null(j, "name");
	}
	cli_json_end(j);
	cli_json_bool(j, "accepted", accepted(o));
	json_unplaced(j, o);
}

static void
json_platform(struct cli_json *j, const struct tdxsim_platform *p)
{
	cli_json_begin(j, stdout);
	cli_json_platform_head(j, p);
	cli_json_u64(j, "max_reserved_per_tdmr",
		     tdxsim_platform_module_profile(p)->max_reserved_per_tdmr);
}

static void
print_json(const struct outcome *o, const struct tdxsim_platform *p)
{
	struct cli_json j;

	json_platform(&j, p);
	json_tdmrs(&j, o);
	json_lines(&j, o->run);
	json_summary(&j, o);
	cli_json_finish(&j);
}

/* ---- the picture ---- */

/* What found no slot, in red, on the track of its kind. */
static void
add_unplaced_item(struct tracks *t, struct track_store *s, const struct outcome *o,
		  enum tdxsim_unplaced_kind kind, unsigned max_rsvd)
{
	struct tdxsim_unplaced u;
	struct track_text *tx;
	char why[96], size[32];

	if (!unplaced(o, &u) || u.kind != kind || u.base + u.size <= u.base)
		return;
	tx = tracks_add(s, u.base, u.base + u.size, "unplaced", NULL);
	if (u.tdmr < 0)
		snprintf(tx->title, sizeof(tx->title), "[0x%" PRIx64 ", 0x%" PRIx64 ") %s: %s",
			 u.base, u.base + u.size, cli_format_size(u.size, size, sizeof(size)),
			 unplaced_why(&u, max_rsvd, why, sizeof(why)));
	else
		snprintf(tx->title, sizeof(tx->title),
			 "TDMR %d: [0x%" PRIx64 ", 0x%" PRIx64 ") %s: %s", u.tdmr,
			 u.base, u.base + u.size, cli_format_size(u.size, size, sizeof(size)),
			 unplaced_why(&u, max_rsvd, why, sizeof(why)));
	snprintf(tx->text, sizeof(tx->text), "%s", u.tdmr < 0 ? "no TDMR" : "no slot");
	tracks_legend(t, "unplaced", "found no slot (construction failed here)");
}

static int
add_tdmr_track(struct tracks *t, const struct outcome *o, unsigned max_rsvd)
{
	const struct tdxsim_layout *layout = o->layout;
	size_t count = tdxsim_layout_tdmr_count(layout);
	struct track_store *s = tracks_open(t, "track-tdmr", "TDMRs", count + 1, true);

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const struct tdxsim_tdmr *d = tdxsim_layout_tdmr(layout, i);
		struct track_text *tx;
		char size[32];

		if (d->size == 0 || d->base + d->size < d->base)
			continue;  /* nothing to draw, or no range at all */
		/* One look per TDMR, shared with its PAMTs below. */
		tx = tracks_add_indexed(s, d->base, d->base + d->size, "tdmr", (unsigned)i);
		snprintf(tx->title, sizeof(tx->title),
			 "TDMR %zu: [0x%" PRIx64 ", 0x%" PRIx64 ") %s, %zu reserved slots",
			 i, d->base, d->base + d->size,
			 cli_format_size(d->size, size, sizeof(size)), d->reserved_count);
		snprintf(tx->text, sizeof(tx->text), "TDMR %zu", i);
	}
	tracks_legend_palette(t, "tdmr", "TDMR (a colour each, its PAMTs alike)");
	add_unplaced_item(t, s, o, TDXSIM_UNPLACED_REGION, max_rsvd);
	return 0;
}


static void
add_rsvd_item(struct tracks *t, struct track_store *s, const struct outcome *o,
	      size_t i, size_t j)
{
	const struct tdxsim_tdmr *d = tdxsim_layout_tdmr(o->layout, i);
	uint64_t start = d->base + d->reserved[j].offset;
	uint64_t end = start + d->reserved[j].size;
	const struct rsvd_style *style = rsvd_style(tdxsim_host_rsvd_reason(o->run, i, j));
	struct track_text *tx;
	char why[40], size[32];

	if (end <= start || start < d->base)
		return;  /* a null slot, or one that wraps: no range */
	tx = tracks_add(s, start, end, style->css_class, NULL);
	snprintf(tx->title, sizeof(tx->title),
		 "TDMR %zu reserved area %zu: [0x%" PRIx64 ", 0x%" PRIx64 ") %s: %s",
		 i, j, start, end, cli_format_size(end - start, size, sizeof(size)),
		 rsvd_why(o, i, j, why, sizeof(why)));
	snprintf(tx->text, sizeof(tx->text), "%s", style->label);
	tracks_legend(t, style->css_class, style->legend);
}

static int
add_rsvd_track(struct tracks *t, const struct outcome *o, unsigned max_rsvd)
{
	size_t count = tdxsim_layout_tdmr_count(o->layout), slots = 0;
	struct track_store *s;

	for (size_t i = 0; i < count; i++)
		slots += tdxsim_layout_tdmr(o->layout, i)->reserved_count;
	s = tracks_open(t, "track-rsvd", "Reserved areas", slots + 1, true);
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		for (size_t j = 0; j < tdxsim_layout_tdmr(o->layout, i)->reserved_count; j++)
			add_rsvd_item(t, s, o, i, j);
	}
	add_unplaced_item(t, s, o, TDXSIM_UNPLACED_AREA, max_rsvd);
	return 0;
}

static void
add_pamt_item(struct track_store *s, const struct tdxsim_tdmr *d, size_t i,
	      int level)
{
	const struct tdxsim_pamt *m = &d->pamt[level];
	struct track_text *tx;
	char size[32];

	if (m->size == 0 || m->base + m->size < m->base)
		return;  /* not allocated */
	tx = tracks_add_indexed(s, m->base, m->base + m->size, "pamt", (unsigned)i);
	snprintf(tx->title, sizeof(tx->title),
		 "PAMT %s of TDMR %zu: [0x%" PRIx64 ", 0x%" PRIx64 ") %s",
		 level_names[level], i, m->base, m->base + m->size,
		 cli_format_size(m->size, size, sizeof(size)));
	snprintf(tx->text, sizeof(tx->text), "%zu:%s", i, level_names[level]);
}

static int
add_pamt_track(struct tracks *t, const struct tdxsim_layout *layout)
{
	size_t count = tdxsim_layout_tdmr_count(layout);
	struct track_store *s = tracks_open(t, "track-pamt", "PAMTs", 3 * count, true);

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		for (int l = 0; l < 3; l++)
			add_pamt_item(s, tdxsim_layout_tdmr(layout, i), i, l);
	}
	return 0;
}

static void
format_subtitle(const struct outcome *o, char *buf, size_t size)
{
	int n = snprintf(buf, size, "strategy %s: ", tdxsim_strategy_name(o->strategy));

	if (n < 0 || (size_t)n >= size)
		return;
	if (o->err)
		snprintf(buf + n, size - (size_t)n,
			 "construction failed (%d %s), module not asked; "
			 "the layout as far as it got", o->err, errno_name(o->err));
	else
		snprintf(buf + n, size - (size_t)n,
			 "%zu TDMRs, PAMT %" PRIu64 " KB, TDH.SYS.CONFIG: %s",
			 tdxsim_layout_tdmr_count(o->layout),
			 tdxsim_host_run_pamt_kb(o->run), status_name(o->status));
}

static int
write_svg(const struct outcome *o, const struct tdxsim_platform *p,
	  const char *path)
{
	const char *name = tdxsim_platform_info(p, TDXSIM_INFO_NAME);
	unsigned max_rsvd = tdxsim_platform_module_profile(p)->max_reserved_per_tdmr;
	char subtitle[256];
	struct tracks t;
	int ret;

	tracks_init(&t);
	ret = tracks_add_platform(&t, p);
	if (ret == 0)
		ret = add_tdmr_track(&t, o, max_rsvd);
	if (ret == 0)
		ret = add_rsvd_track(&t, o, max_rsvd);
	if (ret == 0)
		ret = add_pamt_track(&t, o->layout);
	if (ret < 0) {
		fprintf(stderr, "tdxsim " CMD ": %s: %s\n", path, strerror(-ret));
		ret = CLI_EXIT_USAGE;
	} else {
		format_subtitle(o, subtitle, sizeof(subtitle));
		ret = tracks_write_file(&t, CMD, path, name ? name : "platform",
					subtitle, tdmr_css);
	}
	tracks_free(&t);
	return ret;
}

/* ---- the layout file ---- */

static int
write_layout(const struct outcome *o, const char *path)
{
	struct cli_output out;

	if (cli_output_open(&out, CMD, path) != CLI_EXIT_OK)
		return CLI_EXIT_USAGE;
	return cli_output_close(&out, tdxsim_layout_write(o->layout, out.f));
}

/* ---- one strategy ---- */

static int
run_single(const struct tdmr_args *args, const struct tdxsim_platform *p)
{
	struct outcome o;
	int ret = evaluate(p, args->strategy, args->kernel, &o);

	if (ret == CLI_EXIT_OK) {
		/* With --svg - or --layout-out -, that file alone goes to
		 * standard output. */
		bool report = !cli_output_is_stdout(args->svg_path) &&
			      !cli_output_is_stdout(args->layout_path);

		if (report && args->json)
			print_json(&o, p);
		else if (report)
			print_text(&o, p);
		if (args->svg_path)
			ret = write_svg(&o, p, args->svg_path);
		if (ret == CLI_EXIT_OK && args->layout_path)
			ret = write_layout(&o, args->layout_path);
		if (ret == CLI_EXIT_OK)
			ret = accepted(&o) ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
	}
	outcome_free(&o);
	return ret;
}

/* ---- every strategy ---- */

static void
print_compare_row(const struct outcome *o, unsigned max)
{
	char result[40], used[24], dpamt[24] = "-";
	uint64_t kb;

	/* Only whether the kernel built the TDMRs: a built layout may still
	 * be refused, which the verdict column says. */
	if (o->err)
		snprintf(result, sizeof(result), "%d %s", o->err, errno_name(o->err));
	else
		snprintf(result, sizeof(result), "built");
	snprintf(used, sizeof(used), "%zu/%u", max_reserved(o->layout), max);
	if (dpamt_kb(o, &kb))
		snprintf(dpamt, sizeof(dpamt), "%" PRIu64 "%s", kb,
			 tdxsim_host_run_errno(o->dpamt) ? "!" : "");
	printf("%-10s  %-12s  %5zu  %12s  %8" PRIu64 "  %8s  %s\n",
	       tdxsim_strategy_name(o->strategy), result,
	       tdxsim_layout_tdmr_count(o->layout), used,
	       tdxsim_host_run_pamt_kb(o->run), dpamt,
	       o->asked ? status_name(o->status) : "not asked");
}

static void
print_compare(const struct outcome *all, const struct tdxsim_platform *p)
{
	unsigned max = tdxsim_platform_module_profile(p)->max_reserved_per_tdmr;

	printf("%-10s  %-12s  %5s  %12s  %8s  %8s  %s\n", "strategy", "construction",
	       "TDMRs", "max reserved", "PAMT KB", "DPAMT KB", "module verdict");
	for (int s = 0; s < TDXSIM_STRATEGY_COUNT; s++)
		print_compare_row(&all[s], max);
}

static void
print_compare_json(const struct outcome *all, const struct tdxsim_platform *p)
{
	struct cli_json j;

	json_platform(&j, p);
	cli_json_array(&j, "strategies", CLI_JSON_BLOCK);
	for (int s = 0; s < TDXSIM_STRATEGY_COUNT; s++) {
		cli_json_object(&j, NULL, CLI_JSON_BLOCK);
		json_summary(&j, &all[s]);
		cli_json_end(&j);
	}
	cli_json_finish(&j);
}

/* The worst status wins, as with check: 0 only when every strategy's
 * layout was built and accepted. */
static int
run_compare(const struct tdmr_args *args, const struct tdxsim_platform *p)
{
	struct outcome all[TDXSIM_STRATEGY_COUNT];
	int ret = CLI_EXIT_OK;
	int s;

	for (s = 0; s < TDXSIM_STRATEGY_COUNT && ret == CLI_EXIT_OK; s++)
		ret = evaluate(p, (enum tdxsim_strategy)s, args->kernel, &all[s]);
	if (ret == CLI_EXIT_OK) {
		if (args->json)
			print_compare_json(all, p);
		else
			print_compare(all, p);
		for (int i = 0; i < TDXSIM_STRATEGY_COUNT; i++)
			ret = accepted(&all[i]) ? ret : CLI_EXIT_FAILURE;
	}
	while (s-- > 0)
		outcome_free(&all[s]);
	return ret;
}

int
cmd_tdmr(int argc, char **argv)
{
	struct tdxsim_platform *p = NULL;
	struct tdmr_args args;
	int ret = parse_args(argc, argv, &args);

	if (ret >= 0)
		return ret;
	ret = cli_load_platform(args.fixture, &p);
	if (ret != CLI_EXIT_OK)
		return ret;
	args.kernel = cli_fixture_kernel(CMD, p, args.kernel);
	ret = args.compare ? run_compare(&args, p) : run_single(&args, p);
	tdxsim_platform_free(p);
	return ret;
}
