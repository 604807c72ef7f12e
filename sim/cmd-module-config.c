/* SPDX-License-Identifier: MIT */
/*
 * tdxsim module-config PLATFORM LAYOUT: would the TDX module accept this
 * TDMR layout? Runs the kernel's init sequence on a simulated module up to
 * TDH.SYS.CONFIG (SYS.INIT, LP.INIT on every CPU, CONFIG) and prints the
 * status word with its meaning. Exit 0 on TDX_SUCCESS, 1 otherwise.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "input.h"

#define CMD "module-config"

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim module-config [--keyid N] [--verbose] [--json] PLATFORM LAYOUT\n"
		"\n"
		"Run TDH.SYS.INIT, TDH.SYS.LP.INIT on every logical CPU and TDH.SYS.CONFIG\n"
		"with the TDMRs of LAYOUT (docs/fixture-format.md, \"TDMR layouts\") on a\n"
		"simulated TDX module built from PLATFORM, and print one line:\n"
		"  TDH.SYS.CONFIG: 0x<16 hex digits> <name and decoded details>\n"
		"PLATFORM or LAYOUT '-' is standard input ('tdxsim tdmr -o -' writes a\n"
		"layout there). A kernel log given as PLATFORM is imported as\n"
		"'tdxsim import-dmesg' would, with a note.\n"
		"\n"
		"  --keyid N     global private KeyID for R8 (default: the layout's\n"
		"                global-keyid, else the platform's first private KeyID)\n"
		"  -v, --verbose also print each SEAMCALL before CONFIG and the full explanation\n"
		"  -j, --json    one JSON document: the verdict, its explanation, the call\n"
		"                that failed before CONFIG, the memory no TDMR covers\n"
		"  -h, --help    show this help\n"
		"\n"
		"Exit status: 0 TDX_SUCCESS, 1 any other status, 2 usage or input error.\n");
}

/* A SEAMCALL that must succeed before CONFIG can be asked anything; with
 * json, the one that failed is the document's "failed_call". */
static int
must_succeed(struct tdxsim_module *m, unsigned cpu, unsigned leaf, int verbose,
	     struct cli_json *json)
{
	struct tdxsim_regs regs = { .rax = leaf };

	if (tdxsim_seamcall(m, cpu, &regs) < 0) {
		fprintf(stderr, "tdxsim " CMD ": out of memory\n");
		return CLI_EXIT_USAGE;
	}
	if (verbose)
		printf("%s on CPU %u: 0x%016" PRIx64 "\n",
		       tdxsim_seamcall_leaf_name(leaf), cpu, regs.rax);
	if (regs.rax != TDXSIM_TDX_SUCCESS && json) {
		cli_json_object(json, "failed_call", CLI_JSON_INLINE);
		cli_json_str(json, "leaf", tdxsim_seamcall_leaf_name(leaf));
		cli_json_u64(json, "cpu", cpu);
		cli_json_hex(json, "status", regs.rax);
		cli_json_str(json, "name", tdxsim_status_name(regs.rax));
		cli_json_end(json);
		return CLI_EXIT_FAILURE;
	}
	if (regs.rax != TDXSIM_TDX_SUCCESS) {
		const char *name = tdxsim_status_name(regs.rax);

		printf("%s: 0x%016" PRIx64 " %s\n", tdxsim_seamcall_leaf_name(leaf),
		       regs.rax, name ? name : "(unknown status)");
		return CLI_EXIT_FAILURE;
	}
	return CLI_EXIT_OK;
}

static int
init_module(struct tdxsim_module *m, const struct tdxsim_platform *p,
	    int verbose, struct cli_json *json)
{
	unsigned cpus = tdxsim_platform_module_profile(p)->nr_lps;
	int ret = must_succeed(m, 0, TDXSIM_TDH_SYS_INIT, verbose, json);

	for (unsigned cpu = 0; cpu < cpus && ret == CLI_EXIT_OK; cpu++)
		ret = must_succeed(m, cpu, TDXSIM_TDH_SYS_LP_INIT, verbose && cpu < 2, json);
	return ret;
}

/*
 * One line: the status word, its name and meaning (the first line of the
 * explanation, without its own copy of the word) and the decoded details.
 * --verbose adds the whole explanation.
 */
static void
print_config_status(uint64_t status, int verbose)
{
	char text[TDXSIM_STATUS_DESCRIBE_MAX];
	char *first, *details;

	printf("TDH.SYS.CONFIG: 0x%016" PRIx64, status);
	if (tdxsim_status_describe_r(status, TDXSIM_TDH_SYS_CONFIG, text,
				     sizeof(text)) < 0) {
		printf("\n");
		return;
	}
	first = text;
	if (strncmp(first, "0x", 2) == 0 && strstr(first, ": "))
		first = strstr(first, ": ") + 2;
	details = strstr(text, "\nDetails: ");
	printf(" %.*s", (int)strcspn(first, "\n"), first);
	if (details)
		printf(" %.*s", (int)strcspn(details + 1, "\n"), details + 1);
	printf("\n");
	if (verbose)
		printf("%s\n", text);
}

/* Why the layout could not be handed to the module at all. */
static void
config_error(const char *path, const struct tdxsim_layout *layout, int err)
{
	if (err == -E2BIG)
		fprintf(stderr, "tdxsim " CMD ": %s: %zu TDMRs are more than the 4096 tdxsim can lay out in simulated memory\n",
			path, tdxsim_layout_tdmr_count(layout));
	else if (err == -EINVAL)
		fprintf(stderr, "tdxsim " CMD ": %s: a TDMR has more reserved slots than the module's MAX_RESERVED_PER_TDMR\n",
			path);
	else
		fprintf(stderr, "tdxsim " CMD ": %s: %s\n", path, strerror(-err));
}

static int
compare_range(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Bytes of [base, end) that no range of the sorted, merged list covers. */
static uint64_t
uncovered(uint64_t base, uint64_t end, const uint64_t (*r)[2], size_t n)
{
	uint64_t left = end - base;

	for (size_t i = 0; i < n; i++) {
		uint64_t s = r[i][0] > base ? r[i][0] : base;
		uint64_t e = r[i][1] < end ? r[i][1] : end;

		if (s < e)
			left -= e - s;
	}
	return left;
}

/*
 * The module checks a layout's TDMRs but not that they cover the memory
 * the kernel will use (TDMR.INIT only initializes what they cover), so a
 * layout can be accepted and still leave convertible memory out of TDX.
 * Say how much, as a note: the verdict stays the module's.
 */
static int
note_uncovered(const struct tdxsim_platform *p, const struct tdxsim_layout *l,
	       struct cli_json *json)
{
	size_t count = tdxsim_layout_tdmr_count(l), n = 0;
	uint64_t (*r)[2] = calloc(count ? count : 1, sizeof(*r));
	uint64_t total = 0, left = 0;
	char a[32], b[32];

	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(l, i);

		r[i][0] = t->base;
		r[i][1] = t->base + t->size < t->base ? UINT64_MAX : t->base + t->size;
	}
	/* Merged, so that overlapping TDMRs count once. */
	qsort(r, count, sizeof(*r), compare_range);
	for (size_t i = 0; i < count; i++) {
		if (n && r[i][0] <= r[n - 1][1])
			r[n - 1][1] = r[i][1] > r[n - 1][1] ? r[i][1] : r[n - 1][1];
		else
			memcpy(r[n++], r[i], sizeof(*r));
	}
	for (size_t i = 0; i < tdxsim_platform_cmr_count(p); i++) {
		const struct tdxsim_cmr *c = tdxsim_platform_cmr(p, i);

		total += c->size;
		left += uncovered(c->base, c->base + c->size, (const uint64_t (*)[2])r, n);
	}
	free(r);
	if (json) {
		cli_json_u64(json, "cmr_bytes", total);
		cli_json_u64(json, "uncovered_bytes", left);
	} else if (left) {
		printf("note: %s of %s of convertible memory (the CMRs) not covered by any TDMR: "
		       "TDX would not use it\n", cli_format_size(left, a, sizeof(a)),
		       cli_format_size(total, b, sizeof(b)));
	}
	return 0;
}

/* LAYOUT ("-": standard input), refused with one sentence when it is a
 * file of another kind. */
static int
load_layout(const char *path, struct tdxsim_layout **out,
	    struct tdxsim_diag *diag)
{
	const char *name = cli_input_name(path);
	char *text = NULL;
	size_t len = 0;
	int ret;

	if (cli_input_read(path, &text, &len) < 0)
		return CLI_EXIT_USAGE;
	if (cli_input_wrong_kind(name, cli_input_kind(text, len),
				 CLI_KIND_LAYOUT))
		ret = CLI_INPUT_WRONG_KIND;
	else
		ret = tdxsim_layout_load_buffer(name, text, len, out, diag);
	free(text);
	if (ret < 0 && tdxsim_diag_error_count(diag) == 0)
		fprintf(stderr, "%s: %s\n", name, strerror(-ret));
	return ret == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

/* The verdict as JSON members. */
static void
json_config_status(struct cli_json *j, uint64_t status)
{
	char text[TDXSIM_STATUS_DESCRIBE_MAX];

	cli_json_hex(j, "status", status);
	cli_json_str(j, "name", tdxsim_status_name(status));
	cli_json_str(j, "explanation",
		     tdxsim_status_describe_r(status, TDXSIM_TDH_SYS_CONFIG, text,
					      sizeof(text)) < 0 ? NULL : text);
	cli_json_bool(j, "accepted", status == TDXSIM_TDX_SUCCESS);
}

/* A call before CONFIG failed: the module was not asked. */
static void
json_config_failed(struct cli_json *j)
{
	const char *keys[] = { "status", "name", "explanation", "accepted", "cmr_bytes",
			       "uncovered_bytes" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		cli_json_null(j, keys[i]);
}

/* The start of the JSON document: what was asked. */
static void
json_begin(struct cli_json *j, const struct tdxsim_platform *p, const char *layout_path,
	   const struct tdxsim_layout *layout, unsigned keyid)
{
	cli_json_begin(j, stdout);
	cli_json_platform_head(j, p);
	cli_json_str(j, "layout", cli_input_name(layout_path));
	cli_json_u64(j, "tdmrs", tdxsim_layout_tdmr_count(layout));
	cli_json_u64(j, "keyid", keyid);
}

/* CONFIG itself, once the module is up; the exit status it earns. */
static int
config(struct tdxsim_module *m, const struct tdxsim_platform *p, const char *layout_path,
       const struct tdxsim_layout *layout, unsigned keyid, int verbose, struct cli_json *json)
{
	uint64_t status = 0;
	int err = tdxsim_module_config_layout(m, 0, layout, keyid, &status);
	int ret;

	if (err < 0) {
		config_error(layout_path, layout, err);
		return CLI_EXIT_USAGE;
	}
	if (json) {
		cli_json_null(json, "failed_call");
		json_config_status(json, status);
	} else {
		print_config_status(status, verbose);
	}
	ret = status == TDXSIM_TDX_SUCCESS ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
	if (note_uncovered(p, layout, json) < 0) {
		fprintf(stderr, "tdxsim: out of memory\n");
		ret = CLI_EXIT_USAGE;
	}
	return ret;
}

static int
run(const char *platform_path, const char *layout_path, unsigned keyid,
    int verbose, int want_json)
{
	struct cli_json j, *json = want_json ? &j : NULL;
	struct tdxsim_platform *p = NULL;
	struct tdxsim_layout *layout = NULL;
	struct tdxsim_module *m = NULL;
	struct tdxsim_diag *diag = tdxsim_diag_new();
	bool begun = false;
	int ret = cli_load_platform(platform_path, &p);

	if (ret == CLI_EXIT_OK)
		ret = load_layout(layout_path, &layout, diag);
	cli_print_diag(diag);
	if (ret == CLI_EXIT_OK && tdxsim_module_new(p, NULL, &m) < 0) {
		fprintf(stderr, "tdxsim " CMD ": %s: the module profile cannot be simulated\n",
			platform_path);
		ret = CLI_EXIT_USAGE;
	}
	if (ret == CLI_EXIT_OK && !keyid)
		keyid = tdxsim_layout_global_keyid(layout);
	if (ret == CLI_EXIT_OK && json) {
		json_begin(json, p, layout_path, layout, keyid);
		begun = true;
	}
	if (ret == CLI_EXIT_OK)
		ret = init_module(m, p, verbose && !json, json);
	if (ret == CLI_EXIT_OK)
		ret = config(m, p, layout_path, layout, keyid, verbose, json);
	else if (ret == CLI_EXIT_FAILURE && json)
		json_config_failed(json);
	if (begun) {
		cli_json_i64(json, "exit_status", ret);
		cli_json_finish(json);
	}
	tdxsim_module_free(m);
	tdxsim_layout_free(layout);
	tdxsim_platform_free(p);
	tdxsim_diag_free(diag);
	return ret;
}

int
cmd_module_config(int argc, char **argv)
{
	static const struct option options[] = {
		{ "keyid", required_argument, NULL, 'k' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long keyid = 0;
	int verbose = 0, json = 0, c;
	char *end;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+k:vjh", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'k':
			keyid = strtoul(optarg, &end, 0);
			if (*optarg == '\0' || *end != '\0' || keyid == 0 || keyid > 0xffff)
				return cli_usage_error(CMD, "--keyid wants a KeyID from 1 to 65535, not '%s'", optarg);
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			print_usage(stdout);
			return CLI_EXIT_OK;
		default:
			return cli_usage_error(CMD, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(CMD, "expected PLATFORM and LAYOUT");
	if (strcmp(argv[optind], "-") == 0 && strcmp(argv[optind + 1], "-") == 0)
		return cli_usage_error(CMD, "standard input ('-') can be PLATFORM or LAYOUT, not both");
	return run(argv[optind], argv[optind + 1], (unsigned)keyid, verbose, json);
}
