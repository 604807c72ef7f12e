/* SPDX-License-Identifier: MIT */
/*
 * tdxsim doctor LOG: read a host's kernel log as it was pasted, replay the
 * machine it describes with the kernel generation it ran and with every
 * strategy, and say in a checklist what happened, why, and what would
 * help: the log's own TDX lines against the replay's, each SEAMCALL status
 * word in plain words, the hole that found no reserved area, and the
 * remedies tdxsim can show working (the CMR-hole kernel, tdxsim's layout).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "input.h"
#include "json.h"
#include "lines.h"

#define CMD "doctor"

enum verdict { PASS, WARN, FAIL, INFO };
static const char *const verdict_names[] = { "PASS", "WARN", "FAIL", "INFO" };

struct check {
	enum verdict verdict;
	char title[64];
	char text[768];
};

struct doctor {
	int json;
	const char *path;
	char **tdx_lines;	/* the log's virt/tdx lines, prefixes stripped */
	size_t tdx_count;
	struct tdxsim_platform *platform;
	enum tdxsim_kernel kernel;
	struct tdxsim_host_run *runs[TDXSIM_STRATEGY_COUNT];
	/* Each strategy under a kernel with the Dynamic PAMT series. */
	struct tdxsim_host_run *dpamt[TDXSIM_STRATEGY_COUNT];
	struct check checks[16];
	size_t check_count;
	int worst;		/* exit status so far */
};

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim doctor [--json] LOG\n"
		"\n"
		"Read a TDX host's kernel log (dmesg, dmesg -T/-x/-r, journalctl -k, a syslog\n"
		"file or a mail quote; '-' for standard input), replay the machine it\n"
		"describes with the kernel generation it ran (its 'Linux version') and with\n"
		"every strategy, and print a checklist, one PASS/WARN/FAIL/INFO line each:\n"
		"the memory map read, whether the BIOS enabled TDX, the outcome the log\n"
		"shows and whether the replay reproduces it, why it failed (the hole that\n"
		"found no reserved area, each SEAMCALL status word in plain words) and the\n"
		"remedies tdxsim shows working.\n"
		"\n"
		"  -j, --json   one JSON document instead of text\n"
		"  -h, --help   show this help\n"
		"\n"
		"Exit status: 0 every check passed, 1 a check failed (TDX did not come up,\n"
		"or the replay does not reproduce the log), 2 a log tdxsim cannot use.\n");
}

static void
add(struct doctor *d, enum verdict v, const char *title, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
add(struct doctor *d, enum verdict v, const char *title, const char *fmt, ...)
{
	struct check *c;
	va_list args;

	if (d->check_count == sizeof(d->checks) / sizeof(d->checks[0]))
		return;
	c = &d->checks[d->check_count++];
	c->verdict = v;
	snprintf(c->title, sizeof(c->title), "%s", title);
	va_start(args, fmt);
	vsnprintf(c->text, sizeof(c->text), fmt, args);
	va_end(args);
	if (v == FAIL)
		d->worst = CLI_EXIT_FAILURE;
}

/* ---- the log's own TDX lines ---- */

static bool
starts_with(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && memcmp(s, word, n) == 0;
}

/* The message of one raw line: quote markers and log prefixes gone. */
static const char *
message_of(const char *raw, size_t len, size_t *out_len)
{
	const char *s = raw, *end = raw + len;

	for (;;) {
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s >= end || *s != '>')
			break;
		s++;
	}
	s += tdxsim_line_log_prefix_length(s, (size_t)(end - s));
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*out_len = (size_t)(end - s);
	return s;
}

static void
forget_lines(struct doctor *d)
{
	for (size_t i = 0; i < d->tdx_count; i++)
		free(d->tdx_lines[i]);
	d->tdx_count = 0;
}

/* Keep the virt/tdx lines of the last boot, as import-dmesg imports it. */
static int
collect_tdx_lines(struct doctor *d, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t capacity = 0;

	while (p < end) {
		const char *stop = p;
		size_t n;
		const char *m;

		while (stop < end && *stop != '\n' && *stop != '\r')
			stop++;
		m = message_of(p, (size_t)(stop - p), &n);
		if (starts_with(m, n, "Linux version ") || starts_with(m, n, "-- Boot ") ||
		    starts_with(m, n, "-- Reboot --"))
			forget_lines(d);
		else if (starts_with(m, n, "virt/tdx: ")) {
			if (d->tdx_count == capacity) {
				char **grown;

				capacity = capacity ? 2 * capacity : 16;
				grown = realloc(d->tdx_lines, capacity * sizeof(*grown));
				if (!grown)
					return -ENOMEM;
				d->tdx_lines = grown;
			}
			d->tdx_lines[d->tdx_count] = strndup(m, n);
			if (!d->tdx_lines[d->tdx_count])
				return -ENOMEM;
			d->tdx_count++;
		}
		p = stop < end ? stop + 1 : end;
	}
	return 0;
}

static const char *
logged(const struct doctor *d, const char *prefix)
{
	for (size_t i = 0; i < d->tdx_count; i++) {
		if (strncmp(d->tdx_lines[i], prefix, strlen(prefix)) == 0)
			return d->tdx_lines[i];
	}
	return NULL;
}

/* ---- the machine, replayed ---- */

static int
load_machine(struct doctor *d, const char *text, size_t len)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	int ret;

	if (!diag)
		return -ENOMEM;
	ret = tdxsim_dmesg_import(d->path, text, len, &d->platform, diag);
	if (ret == 0 && tdxsim_platform_cmr_count(d->platform) == 0)
		ret = cli_infer_cmrs(d->platform, d->path) < 0 ? -ENOMEM : 0;
	if (ret == 0)
		ret = tdxsim_platform_validate(d->platform, diag);
	if (ret < 0 || tdxsim_diag_error_count(diag) > 0)
		cli_print_diag(diag);
	tdxsim_diag_free(diag);
	return ret;
}

static int
replay_all(struct doctor *d)
{
	const char *release = tdxsim_platform_info(d->platform, TDXSIM_INFO_KERNEL);

	d->kernel = tdxsim_kernel_from_release(release);
	for (int s = 0; s < TDXSIM_STRATEGY_COUNT; s++) {
		/* linux-cmr is the Ubuntu kernels' patch whatever the log ran. */
		enum tdxsim_kernel k = s == TDXSIM_STRATEGY_LINUX ? d->kernel : TDXSIM_KERNEL_DEFAULT;
		int ret = tdxsim_host_run_kernel(d->platform, (enum tdxsim_strategy)s, k,
						 TDXSIM_HOST_INIT, &d->runs[s]);

		if (ret == 0)
			ret = tdxsim_host_run_kernel(d->platform, (enum tdxsim_strategy)s,
						     TDXSIM_KERNEL_MAINLINE_DPAMT,
						     TDXSIM_HOST_INIT, &d->dpamt[s]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* The first line of a run that says why it failed. */
static const char *
failure_line(const struct tdxsim_host_run *run)
{
	static const char *const marks[] = { "initialization failed", "SEAMCALL (",
					     "frame pointer", "module not loaded" };

	for (size_t i = 0; i < tdxsim_host_run_line_count(run); i++) {
		for (size_t m = 0; m < sizeof(marks) / sizeof(marks[0]); m++) {
			if (strstr(tdxsim_host_run_line(run, i), marks[m]))
				return tdxsim_host_run_line(run, i);
		}
	}
	return NULL;
}

/* ---- the checks ---- */

static void
check_map(struct doctor *d)
{
	const char *inferred = tdxsim_platform_info(d->platform, TDXSIM_INFO_CMRS_INFERRED);

	add(d, inferred ? WARN : PASS, "memory map",
	    "%zu E820 entries%s, %zu CMRs%s, %zu node ranges%s",
	    tdxsim_platform_e820_count(d->platform),
	    tdxsim_platform_e820_truncated(d->platform) ? " (the log cut the table)" : "",
	    tdxsim_platform_cmr_count(d->platform),
	    inferred ? " inferred from E820 (the log prints none; a replay's verdict on "
		       "them is the inferred CMRs', docs/fidelity.md)" : " from the log",
	    tdxsim_platform_node_range_count(d->platform),
	    d->kernel != TDXSIM_KERNEL_DEFAULT ? "" : "");
}

/*
 * The replay brings up every logical CPU (TDH.SYS.LP.INIT) and configures
 * the key once per package (TDH.SYS.KEY.CONFIG), so both counts shape it.
 * Logs give the CPUs in "smp: Brought up N nodes, M CPUs" and the packages
 * in "smpboot: Max logical packages: N" (before 6.9) or "CPU topo: Max.
 * logical packages: N" (6.9 on); a log cut before them leaves defaults.
 */
static void
check_cpus(struct doctor *d)
{
	const struct tdxsim_module_profile *m = tdxsim_platform_module_profile(d->platform);
	bool cpus = tdxsim_platform_module_fact_given(d->platform, TDXSIM_FACT_LOGICAL_CPUS);
	bool packages = tdxsim_platform_module_fact_given(d->platform, TDXSIM_FACT_PACKAGES);

	if (cpus && packages)
		add(d, PASS, "CPUs and packages", "%u logical CPUs in %u package%s, from the log",
		    m->nr_lps, m->nr_packages, m->nr_packages == 1 ? "" : "s");
	else if (!packages)
		add(d, WARN, "CPUs and packages",
		    "the log gives no package count ('smpboot: Max logical packages: N' or "
		    "'CPU topo: Max. logical packages: N'): the replay assumes %u, so "
		    "TDH.SYS.KEY.CONFIG runs once per assumed package%s%u logical CPUs%s",
		    m->nr_packages, cpus ? ", on " : "; and no 'smp: Brought up' line: ",
		    m->nr_lps, cpus ? " from the log" : " assumed");
	else
		add(d, WARN, "CPUs and packages",
		    "the log has no 'smp: Brought up N nodes, M CPUs' line: the replay assumes "
		    "%u logical CPUs (TDH.SYS.LP.INIT on each) in the log's %u packages",
		    m->nr_lps, m->nr_packages);
}

static void
check_bios(struct doctor *d)
{
	const char *line = logged(d, "virt/tdx: BIOS enabled: ");

	if (line)
		add(d, PASS, "TDX in the BIOS", "%s", line + 10);
	else
		add(d, WARN, "TDX in the BIOS",
		    "the log has no 'BIOS enabled: private KeyID range' line: TDX is off in the "
		    "BIOS (enable TME, TME-MT and TDX, and give TDX KeyIDs), or the log is cut");
}

static void
check_outcome(struct doctor *d)
{
	const struct tdxsim_host_run *run = d->runs[TDXSIM_STRATEGY_LINUX];
	const char *ok = logged(d, "virt/tdx: module initialized");
	const char *failed = logged(d, "virt/tdx: module initialization failed");
	const char *why = failure_line(run);
	int err = tdxsim_host_run_errno(run);

	if (!ok && !failed)
		add(d, INFO, "logged outcome", "the log shows no 'module initialized' or "
		    "'module initialization failed' line (TDX not brought up yet, or cut)");
	else if ((ok && err == 0) || (failed && err != 0 && strstr(failed, "failed (") &&
				      atoi(strstr(failed, "failed (") + 8) == err))
		add(d, PASS, "replay reproduces the log", "kernel %s: %s",
		    tdxsim_kernel_name(tdxsim_kernel_resolve(TDXSIM_STRATEGY_LINUX, d->kernel)),
		    err ? why ? why + 10 : "failed" : "module initialized");
	else
		add(d, FAIL, "replay reproduces the log",
		    "the log says '%s', the replay %s (errno %d)%s", (ok ? ok : failed) + 10,
		    err ? "fails" : "initializes", err,
		    tdxsim_platform_info(d->platform, TDXSIM_INFO_CMRS_INFERRED)
		    ? ": the inferred CMRs may differ from the machine's" : "");
	if (err == 0)
		add(d, PASS, "TDX module", "initialized: %" PRIu64 " KB for PAMT",
		    tdxsim_host_run_pamt_kb(run));
	else
		add(d, FAIL, "TDX module", "not initialized: %s (errno %d)",
		    why ? why + 10 : "see the replay", err);
}

/* "1050644 KB" for a run that initialized the module, "fails (-28)". */
static void
pamt_outcome(const struct tdxsim_host_run *run, char *buf, size_t size)
{
	int err = tdxsim_host_run_errno(run);

	if (err)
		snprintf(buf, size, "fails (%d)", err);
	else
		snprintf(buf, size, "%" PRIu64 " KB", tdxsim_host_run_pamt_kb(run));
}

/* Whether any strategy's series kernel got Dynamic PAMT from the module
 * (a run that fails before construction learns nothing). */
static bool
module_has_dpamt(const struct doctor *d)
{
	for (int s = 0; s < TDXSIM_STRATEGY_COUNT; s++) {
		if (tdxsim_host_run_pamt_bitmap_bits(d->dpamt[s]))
			return true;
	}
	return false;
}

/* Static and Dynamic PAMT side by side, per strategy: what boot costs
 * with the Dynamic PAMT series (mainline-dpamt), when the module has it. */
static void
check_pamt(struct doctor *d)
{
	char text[sizeof(d->checks[0].text)] = "";
	size_t used = 0;

	if (!module_has_dpamt(d)) {
		add(d, INFO, "Dynamic PAMT", "a kernel with the Dynamic PAMT series would "
		    "use static PAMT here: the module does not report Dynamic PAMT (TDX_FEATURES0 "
		    "bit 36), or more than 48 address bits are left beside the KeyIDs");
		return;
	}
	for (int s = 0; s < TDXSIM_STRATEGY_COUNT && used < sizeof(text); s++) {
		char st[32], dy[32];

		pamt_outcome(d->runs[s], st, sizeof(st));
		pamt_outcome(d->dpamt[s], dy, sizeof(dy));
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s: %s static, %s dynamic",
					 s ? "; " : "", tdxsim_strategy_name((enum tdxsim_strategy)s),
					 st, dy);
	}
	add(d, INFO, "Dynamic PAMT", "%s (tdxsim init --kernel mainline-dpamt)", text);
}

/* What found no slot, as the run recorded it (tdxsim_host_run_unplaced()). */
static void
check_reserved_areas(struct doctor *d)
{
	const struct tdxsim_host_run *run = d->runs[TDXSIM_STRATEGY_LINUX];
	unsigned slots = tdxsim_platform_module_profile(d->platform)->max_reserved_per_tdmr;
	const char *why = failure_line(run);
	const struct tdxsim_tdmr *t;
	struct tdxsim_unplaced u;

	if (!why || !strstr(why, "reserved areas exhausted") ||
	    tdxsim_host_run_unplaced(run, &u) < 0 || u.tdmr < 0)
		return;
	t = tdxsim_layout_tdmr(tdxsim_host_run_layout(run), (size_t)u.tdmr);
	if (!t)
		return;
	add(d, FAIL, "reserved areas",
	    "TDMR %d [0x%" PRIx64 ", 0x%" PRIx64 ") has more %s than its %u reserved "
	    "areas: %s %u, [0x%" PRIx64 ", 0x%" PRIx64 "), found no slot (%s)", u.tdmr, t->base,
	    t->base + t->size, u.reason == TDXSIM_RSVD_PAMT ? "holes and PAMTs" : "holes",
	    slots, u.reason == TDXSIM_RSVD_PAMT ? "area" : "hole", u.ordinal, u.base,
	    u.base + u.size, u.reason == TDXSIM_RSVD_PAMT ? "a PAMT needs one too"
	    : "upstream Linux reserves one area per hole between memory regions");
}

static void
check_status_words(struct doctor *d)
{
	for (size_t i = 0; i < d->tdx_count; i++) {
		const char *s = strstr(d->tdx_lines[i], "SEAMCALL (0x");
		unsigned long long leaf, status;
		const char *name, *leaf_name;

		if (!s || sscanf(s, "SEAMCALL (0x%llx) failed: 0x%llx", &leaf, &status) != 2)
			continue;
		name = tdxsim_status_name(status);
		leaf_name = tdxsim_seamcall_leaf_name((unsigned)(leaf & 0xFFFF));
		add(d, INFO, "status word", "%s returned 0x%016llx %s (tdxsim decode '%s')",
		    leaf_name ? leaf_name : "a SEAMCALL", status, name ? name : "(unknown)", s);
	}
}

static void
check_remedies(struct doctor *d)
{
	const struct tdxsim_host_run *linux_run = d->runs[TDXSIM_STRATEGY_LINUX];
	const struct tdxsim_host_run *cmr = d->runs[TDXSIM_STRATEGY_LINUX_CMR];
	const struct tdxsim_host_run *packer = d->runs[TDXSIM_STRATEGY_TDXSIM];
	const char *why = failure_line(linux_run);

	if (tdxsim_host_run_errno(linux_run) == 0)
		return;
	if (why && strstr(why, "too few private KeyIDs"))
		add(d, INFO, "remedy", "give TDX at least 2 private KeyIDs in the BIOS");
	if (tdxsim_host_run_errno(cmr) == 0)
		add(d, INFO, "remedy",
		    "a kernel with the CMR-hole patch (Ubuntu 24.04's 6.8-intel kernels) initializes "
		    "this machine: %zu TDMRs, %" PRIu64 " KB for PAMT (tdxsim init --strategy linux-cmr)",
		    tdxsim_layout_tdmr_count(tdxsim_host_run_layout(cmr)), tdxsim_host_run_pamt_kb(cmr));
	if (tdxsim_host_run_errno(packer) == 0)
		add(d, INFO, "remedy",
		    "tdxsim's packer finds a layout the module accepts: %zu TDMRs, %" PRIu64
		    " KB for PAMT (tdxsim tdmr --strategy tdxsim --layout-out FILE)",
		    tdxsim_layout_tdmr_count(tdxsim_host_run_layout(packer)),
		    tdxsim_host_run_pamt_kb(packer));
	else
		add(d, INFO, "remedy", "no strategy tdxsim knows initializes this machine: the "
		    "firmware's memory map or the module must change");
}

/* ---- output ---- */

static void
print_text(const struct doctor *d)
{
	for (size_t i = 0; i < d->check_count; i++)
		printf("%-4s %s: %s\n", verdict_names[d->checks[i].verdict], d->checks[i].title,
		       d->checks[i].text);
}

/* One run's PAMT as JSON: its errno and KB (null when it failed). */
static void
json_pamt_run(struct cli_json *j, const char *key, const struct tdxsim_host_run *run)
{
	cli_json_object(j, key, CLI_JSON_INLINE);
	cli_json_i64(j, "errno", tdxsim_host_run_errno(run));
	if (tdxsim_host_run_errno(run))
		cli_json_null(j, "kb");
	else
		cli_json_u64(j, "kb", tdxsim_host_run_pamt_kb(run));
	cli_json_end(j);
}

/* "pamt": static and Dynamic PAMT per strategy; "dynamic" is null when
 * the module has no Dynamic PAMT. */
static void
json_pamt(struct cli_json *j, const struct doctor *d)
{
	cli_json_array(j, "pamt", CLI_JSON_BLOCK);
	for (int s = 0; s < TDXSIM_STRATEGY_COUNT; s++) {
		cli_json_object(j, NULL, CLI_JSON_INLINE);
		cli_json_str(j, "strategy", tdxsim_strategy_name((enum tdxsim_strategy)s));
		json_pamt_run(j, "static", d->runs[s]);
		if (module_has_dpamt(d))
			json_pamt_run(j, "dynamic", d->dpamt[s]);
		else
			cli_json_null(j, "dynamic");
		cli_json_end(j);
	}
	cli_json_end(j);
}

static void
print_json(const struct doctor *d)
{
	struct cli_json j;

	cli_json_begin(&j, stdout);
	cli_json_str(&j, "log", d->path);
	cli_json_str(&j, "kernel",
		     tdxsim_kernel_name(tdxsim_kernel_resolve(TDXSIM_STRATEGY_LINUX, d->kernel)));
	cli_json_defaults(&j, d->platform);
	cli_json_array(&j, "checks", CLI_JSON_BLOCK);
	for (size_t i = 0; i < d->check_count; i++) {
		cli_json_object(&j, NULL, CLI_JSON_INLINE);
		cli_json_str(&j, "verdict", verdict_names[d->checks[i].verdict]);
		cli_json_str(&j, "check", d->checks[i].title);
		cli_json_str(&j, "text", d->checks[i].text);
		cli_json_end(&j);
	}
	cli_json_end(&j);
	json_pamt(&j, d);
	cli_json_bool(&j, "passed", d->worst == CLI_EXIT_OK);
	cli_json_finish(&j);
}

static void
doctor_fini(struct doctor *d)
{
	forget_lines(d);
	free(d->tdx_lines);
	for (int s = 0; s < TDXSIM_STRATEGY_COUNT; s++) {
		tdxsim_host_run_free(d->runs[s]);
		tdxsim_host_run_free(d->dpamt[s]);
	}
	tdxsim_platform_free(d->platform);
}

static int
examine(struct doctor *d, const char *text, size_t len)
{
	int ret = collect_tdx_lines(d, text, len);

	if (ret == 0)
		ret = load_machine(d, text, len);
	if (ret == 0)
		ret = replay_all(d);
	if (ret < 0)
		return ret;
	check_map(d);
	check_cpus(d);
	check_bios(d);
	check_outcome(d);
	check_pamt(d);
	check_reserved_areas(d);
	check_status_words(d);
	check_remedies(d);
	return 0;
}

int
cmd_doctor(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct doctor d = { .worst = CLI_EXIT_OK };
	char *text;
	size_t len;
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "jh", options, NULL)) != -1) {
		if (c == 'j') {
			d.json = 1;
		} else if (c == 'h') {
			print_usage(stdout);
			return CLI_EXIT_OK;
		} else {
			return cli_usage_error(CMD, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(CMD, "give one log (or '-' for standard input)");
	d.path = argv[optind];
	ret = cli_read_input(d.path, TDXSIM_FIXTURE_MAX_BYTES, &text, &len);
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", d.path, strerror(-ret));
		return CLI_EXIT_USAGE;
	}
	ret = examine(&d, text, len);
	free(text);
	if (ret < 0) {
		if (ret == -ENOMEM)
			fprintf(stderr, "tdxsim " CMD ": out of memory\n");
		fprintf(stderr, "%s: not a log tdxsim can replay\n", d.path);
		doctor_fini(&d);
		return CLI_EXIT_USAGE;
	}
	if (d.json)
		print_json(&d);
	else
		print_text(&d);
	ret = d.worst;
	doctor_fini(&d);
	return ret;
}
