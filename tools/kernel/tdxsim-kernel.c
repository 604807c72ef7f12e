/* SPDX-License-Identifier: MIT */
/*
 * tdxsim-kernel: the Linux host TDX code of a kernel tree, compiled in
 * userspace against tdxsim's shim, run on tdxsim platforms.
 *
 *   tdxsim-kernel init [--json] FIXTURE...   what the kernel printed, its
 *                                            errno and the TDMRs it built
 *   tdxsim-kernel diff [--kernel GEN] [--quiet] FIXTURE...
 *                                            the kernel against tdxsim's
 *                                            linux model, line for line and
 *                                            byte for byte
 *   tdxsim-kernel mmio [tdxsim mmio's options]
 *                                            the guest's #VE MMIO handler,
 *                                            handle_mmio() of the tree, with
 *                                            tdxsim mmio's options, batch
 *                                            file and JSON lines
 *
 * tdx.c keeps static state, so every fixture runs in a child process of
 * its own. This program links libtdxsim and the kernel's code; libtdxsim
 * itself never does (docs/kernel-in-the-loop.md).
 */
/* MAP_ANONYMOUS (shared counters with the children) is not in POSIX.1-2008. */
#define _DEFAULT_SOURCE
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <tdxsim/tdxsim.h>

#include "json.h"
#include "kernel-version.h"
#include "shim-host.h"
#ifdef TDXSIM_KERNEL_GUEST
#include "cmd-mmio.h"
#include "shim-guest.h"
#endif

enum exit_status {
	EXIT_AGREE = 0,		/* init: module initialized; diff: all agree */
	EXIT_DIFFER = 1,	/* init: initialization failed; diff: a difference */
	EXIT_USAGE = 2,		/* bad arguments or a fixture that does not load */
	EXIT_CRASH = 3,		/* the kernel's code died, hung, or the shim gave up */
};

/* --bench: time spent by each side, summed over fixtures. The children
 * add to it through memory shared with the parent. */
struct bench {
	uint64_t kernel_ns;
	uint64_t model_ns;
	unsigned long runs;
};

struct options {
	int diff;
	int json;
	int quiet;
	struct bench *bench;	/* NULL without --bench */
	unsigned timeout;	/* seconds per fixture */
	enum tdxsim_kernel kernel;
};

static const char *const level_names[3] = { "4K", "2M", "1G" };

/* The generation of the tree compiled in: what the model is compared
 * with. E820 type 128 left memblock in 6.15. */
static enum tdxsim_kernel
tree_generation(void)
{
	unsigned major = 0, minor = 0;

	if (sscanf(TDXSIM_KERNEL_TREE_VERSION, "%u.%u", &major, &minor) == 2 &&
	    (major < 6 || (major == 6 && minor < 15)))
		return TDXSIM_KERNEL_6_12;
	return TDXSIM_KERNEL_MAINLINE;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim-kernel init [--json] FIXTURE...\n"
		"       tdxsim-kernel diff [--kernel GEN] [--quiet] FIXTURE...\n"
#ifdef TDXSIM_KERNEL_GUEST
		"       tdxsim-kernel mmio --bytes HEX [OPTIONS] | --batch FILE\n"
		"              the guest's #VE MMIO handler of the tree (handle_mmio()) with\n"
		"              tdxsim mmio's options, batch file and output (mmio --help)\n"
#endif
		"\n"
		"Run the host TDX code of Linux %s (compiled from %s)\n"
		"against tdxsim's simulated TDX module, one child process per fixture:\n"
		"tdx_init(), tdx_cpu_enable() on every CPU, tdx_enable().\n"
		"\n"
		"  init   print what the kernel printed, its errno and the TDMRs it handed\n"
		"         to TDH.SYS.CONFIG (or, when it gave up before, its TDMR list)\n"
		"  diff   compare that with tdxsim's linux model of generation GEN\n"
		"         (default: the tree's, %s): every line, the errno, every TDMR_INFO byte\n"
		"\n"
		"Options:\n"
		"  -j, --json          init: one JSON document per fixture\n"
		"  -k, --kernel GEN    diff: the model's kernel generation\n"
		"  -q, --quiet         diff: print differences only\n"
		"  -b, --bench         diff: also time both sides and print platforms per second\n"
		"  -t, --timeout SEC   per fixture (default 60)\n"
		"  -V, --version       print the version and the kernel compiled in\n"
		"  -h, --help          print this help\n"
		"\n"
		"Exit status: 0 module initialized (init) or all agree (diff); 1 initialization\n"
		"failed or a difference; 2 usage or a fixture that does not load; 3 the kernel's\n"
		"code crashed, hung or needed more than the shim models.\n",
		TDXSIM_KERNEL_TREE_VERSION, TDXSIM_KERNEL_TREE_PATH,
		tdxsim_kernel_name(tree_generation()));
}

/* ---- printing one kernel run ---- */

static struct tdxsim_layout *
result_layout(const struct kshim_result *r)
{
	struct tdxsim_layout *layout = tdxsim_layout_new();
	size_t entry = TDXSIM_TDMR_INFO_SIZE(r->slots);

	if (!layout)
		kshim_fatal("out of memory");
	for (size_t i = 0; i < r->tdmr_count; i++) {
		if (tdxsim_layout_decode_tdmr_info(layout, r->tdmr_bytes + i * entry,
						   entry, r->slots) < 0)
			kshim_fatal("cannot decode TDMR_INFO %zu", i);
	}
	return layout;
}

static uint64_t
pamt_bytes(const struct tdxsim_layout *layout)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < tdxsim_layout_tdmr_count(layout); i++) {
		for (int l = 0; l < 3; l++)
			sum += tdxsim_layout_tdmr(layout, i)->pamt[l].size;
	}
	return sum;
}

static void
print_text(const struct kshim_result *r, const struct tdxsim_layout *layout)
{
	for (size_t i = 0; i < r->line_count; i++)
		puts(r->lines[i]);
	printf("== errno %d%s%s\n", r->err, r->err ? " " : "",
	       r->err ? strerror(-r->err) : "");
	for (size_t i = 0; i < tdxsim_layout_tdmr_count(layout); i++) {
		const struct tdxsim_tdmr *t = tdxsim_layout_tdmr(layout, i);

		printf("== TDMR %zu [0x%" PRIx64 ", 0x%" PRIx64 ")", i, t->base, t->base + t->size);
		for (int l = 0; l < 3; l++)
			printf(" PAMT %s [0x%" PRIx64 ", 0x%" PRIx64 ")", level_names[l],
			       t->pamt[l].base, t->pamt[l].base + t->pamt[l].size);
		putchar('\n');
		for (size_t k = 0; k < t->reserved_count; k++)
			printf("==   reserved %zu [0x%" PRIx64 ", 0x%" PRIx64 ")\n", k,
			       t->base + t->reserved[k].offset,
			       t->base + t->reserved[k].offset + t->reserved[k].size);
	}
}

static void
json_tdmr(struct cli_json *j, const struct tdxsim_tdmr *t, size_t index)
{
	cli_json_object(j, NULL, CLI_JSON_BLOCK);
	cli_json_u64(j, "index", index);
	cli_json_range_members(j, t->base, t->size);
	cli_json_object(j, "pamt", CLI_JSON_INLINE);
	for (int l = 0; l < 3; l++) {
		cli_json_object(j, level_names[l], CLI_JSON_INLINE);
		cli_json_range_members(j, t->pamt[l].base, t->pamt[l].size);
		cli_json_end(j);
	}
	cli_json_end(j);
	cli_json_array(j, "reserved", CLI_JSON_BLOCK);
	for (size_t k = 0; k < t->reserved_count; k++) {
		cli_json_object(j, NULL, CLI_JSON_INLINE);
		cli_json_u64(j, "slot", k);
		cli_json_hex(j, "offset", t->reserved[k].offset);
		cli_json_range_members(j, t->base + t->reserved[k].offset, t->reserved[k].size);
		cli_json_end(j);
	}
	cli_json_end(j);
	cli_json_end(j);
}

static void
print_json(const struct tdxsim_platform *p, const struct kshim_result *r,
	   const struct tdxsim_layout *layout)
{
	size_t count = tdxsim_layout_tdmr_count(layout), most = 0;
	struct cli_json j;

	cli_json_begin(&j, stdout);
	cli_json_str(&j, "platform", tdxsim_platform_info(p, TDXSIM_INFO_NAME));
	cli_json_str(&j, "kernel", TDXSIM_KERNEL_TREE_VERSION);
	cli_json_u64(&j, "max_reserved_per_tdmr", r->slots);
	cli_json_array(&j, "tdmrs", CLI_JSON_BLOCK);
	for (size_t i = 0; i < count; i++) {
		json_tdmr(&j, tdxsim_layout_tdmr(layout, i), i);
		if (tdxsim_layout_tdmr(layout, i)->reserved_count > most)
			most = tdxsim_layout_tdmr(layout, i)->reserved_count;
	}
	cli_json_end(&j);
	cli_json_array(&j, "lines", CLI_JSON_BLOCK);
	for (size_t i = 0; i < r->line_count; i++)
		cli_json_str(&j, NULL, r->lines[i]);
	cli_json_end(&j);
	cli_json_i64(&j, "errno", r->err);
	cli_json_u64(&j, "tdmr_count", count);
	cli_json_u64(&j, "max_reserved_used", most);
	cli_json_u64(&j, "pamt_kb", pamt_bytes(layout) / 1024);
	cli_json_bool(&j, "configured", r->configured);
	cli_json_u64(&j, "warnings", r->warnings);
	cli_json_u64(&j, "seamcalls", r->seamcalls);
	cli_json_finish(&j);
}

/* ---- comparing with the model ---- */

static const char *
field_name(size_t offset, char *buf, size_t size)
{
	static const char *const head[8] = {
		"base", "size", "pamt_1g_base", "pamt_1g_size",
		"pamt_2m_base", "pamt_2m_size", "pamt_4k_base", "pamt_4k_size",
	};

	if (offset < 64)
		return head[offset / 8];
	snprintf(buf, size, "reserved[%zu].%s", (offset - 64) / 16,
		 (offset - 64) % 16 < 8 ? "offset" : "size");
	return buf;
}

static uint64_t
field_value(const unsigned char *entry, size_t offset)
{
	uint64_t v = 0;

	offset &= ~(size_t)7;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | entry[offset + i];
	return v;
}

/* The first differing byte of TDMR i, named as a field. 0: equal. */
static int
diff_tdmr(const char *name, size_t i, const unsigned char *kernel,
	  const unsigned char *model, size_t entry)
{
	char buf[48];

	for (size_t b = 0; b < entry; b++) {
		if (kernel[b] == model[b])
			continue;
		printf("DIFF %s: TDMR %zu %s: kernel 0x%" PRIx64 ", model 0x%" PRIx64 "\n", name, i,
		       field_name(b, buf, sizeof(buf)), field_value(kernel, b), field_value(model, b));
		return 1;
	}
	return 0;
}

static int
diff_layouts(const char *name, const struct kshim_result *r,
	     const struct tdxsim_host_run *run)
{
	const struct tdxsim_layout *layout = tdxsim_host_run_layout(run);
	size_t entry = TDXSIM_TDMR_INFO_SIZE(r->slots);
	unsigned char *model = malloc(entry);
	int differ = 0;

	if (!model)
		kshim_fatal("out of memory");
	if (tdxsim_layout_tdmr_count(layout) != r->tdmr_count) {
		printf("DIFF %s: kernel built %zu TDMRs, model %zu\n", name, r->tdmr_count,
		       tdxsim_layout_tdmr_count(layout));
		differ = 1;
	}
	for (size_t i = 0; i < r->tdmr_count && !differ; i++) {
		if (tdxsim_layout_encode_tdmr_info(tdxsim_layout_tdmr(layout, i), r->slots,
						   model, entry) < 0) {
			printf("DIFF %s: model TDMR %zu does not fit %u reserved slots\n",
			       name, i, r->slots);
			differ = 1;
			break;
		}
		differ = diff_tdmr(name, i, r->tdmr_bytes + i * entry, model, entry);
	}
	free(model);
	return differ;
}

static int
diff_lines(const char *name, const struct kshim_result *r,
	   const struct tdxsim_host_run *run)
{
	size_t n = tdxsim_host_run_line_count(run);

	for (size_t i = 0; i < r->line_count || i < n; i++) {
		const char *k = i < r->line_count ? r->lines[i] : "(none)";
		const char *m = i < n ? tdxsim_host_run_line(run, i) : "(none)";

		if (strcmp(k, m) != 0) {
			printf("DIFF %s: line %zu:\n  kernel: %s\n  model:  %s\n", name, i + 1, k, m);
			return 1;
		}
	}
	return 0;
}

static int
compare(const char *name, const struct tdxsim_platform *p,
	const struct kshim_result *r, const struct options *o)
{
	struct tdxsim_host_run *run;
	uint64_t start = now_ns();
	int differ, ret;

	ret = tdxsim_host_run_kernel(p, TDXSIM_STRATEGY_LINUX, o->kernel,
				     TDXSIM_HOST_INIT, &run);
	if (o->bench)
		o->bench->model_ns += now_ns() - start;
	if (ret < 0) {
		fprintf(stderr, "tdxsim-kernel: %s: the model cannot run it: %s\n", name,
			strerror(-ret));
		return EXIT_USAGE;
	}
	differ = diff_lines(name, r, run);
	if (!differ && tdxsim_host_run_errno(run) != r->err) {
		printf("DIFF %s: errno: kernel %d, model %d\n", name, r->err,
		       tdxsim_host_run_errno(run));
		differ = 1;
	}
	if (!differ)
		differ = diff_layouts(name, r, run);
	if (!differ && !o->quiet)
		printf("ok %s\n", name);
	tdxsim_host_run_free(run);
	return differ ? EXIT_DIFFER : EXIT_AGREE;
}

/* ---- one fixture, in a child ---- */

/* A fresh child pays for first touches (lazy symbol binding, heap pages)
 * in whatever runs first: one untimed model run takes them for both. */
static void
warm_up(const struct tdxsim_platform *p, const struct options *o)
{
	struct tdxsim_host_run *run;

	if (tdxsim_host_run_kernel(p, TDXSIM_STRATEGY_LINUX, o->kernel,
				   TDXSIM_HOST_INIT, &run) == 0)
		tdxsim_host_run_free(run);
}

static int
run_fixture(const char *path, const struct options *o)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p = NULL;
	struct kshim_result r;
	struct tdxsim_layout *layout;
	uint64_t start;
	int ret, status;

	if (!diag)
		kshim_fatal("out of memory");
	ret = tdxsim_platform_load_file(path, &p, diag);
	for (size_t i = 0; i < tdxsim_diag_count(diag); i++)
		fprintf(stderr, "%s\n", tdxsim_diag_message(diag, i));
	tdxsim_diag_free(diag);
	if (ret < 0) {
		fprintf(stderr, "tdxsim-kernel: %s: %s\n", path, strerror(-ret));
		return EXIT_USAGE;
	}
	if (o->bench)
		warm_up(p, o);
	start = now_ns();
	ret = kshim_host_init(p, &r);
	if (o->bench) {
		o->bench->kernel_ns += now_ns() - start;
		o->bench->runs++;
	}
	if (ret < 0) {
		fprintf(stderr, "tdxsim-kernel: %s: the simulated module cannot be built: %s\n",
			path, strerror(-ret));
		tdxsim_platform_free(p);
		return EXIT_USAGE;
	}
	if (o->diff) {
		status = compare(path, p, &r, o);
	} else {
		layout = result_layout(&r);
		if (o->json)
			print_json(p, &r, layout);
		else
			print_text(&r, layout);
		tdxsim_layout_free(layout);
		status = r.err == 0 ? EXIT_AGREE : EXIT_DIFFER;
	}
	kshim_result_fini(&r);
	tdxsim_platform_free(p);
	return status;
}

static int
in_child(const char *path, const struct options *o)
{
	pid_t pid;
	int wstatus;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("tdxsim-kernel: fork");
		return EXIT_CRASH;
	}
	if (pid == 0) {
		int status;

		alarm(o->timeout);
		status = run_fixture(path, o);
		fflush(stdout);
		_exit(status);
	}
	while (waitpid(pid, &wstatus, 0) < 0) {
		if (errno != EINTR)
			return EXIT_CRASH;
	}
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	printf("CRASH %s: the kernel's code died of signal %d (%s)%s\n", path,
	       WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)),
	       WTERMSIG(wstatus) == SIGALRM ? ": over the time limit" : "");
	return EXIT_CRASH;
}

/* ---- arguments ---- */

static int
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "bench", no_argument, NULL, 'b' },
		{ "timeout", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct options){ .timeout = 60, .kernel = tree_generation() };
	while ((c = getopt_long(argc, argv, "+bjk:qt:Vh", options, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'j': o->json = 1; break;
		case 'q': o->quiet = 1; break;
		case 'b':
			o->bench = mmap(NULL, sizeof(*o->bench), PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);
			if (o->bench == MAP_FAILED) {
				perror("tdxsim-kernel: mmap");
				return EXIT_CRASH;
			}
			memset(o->bench, 0, sizeof(*o->bench));
			break;
		case 'k':
			if (tdxsim_kernel_from_name(optarg, &o->kernel) < 0) {
				fprintf(stderr, "tdxsim-kernel: unknown kernel generation '%s' "
					"(6.12, ubuntu-6.8-intel, mainline)\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 't':
			o->timeout = (unsigned)strtoul(optarg, &end, 10);
			if (*end || o->timeout == 0) {
				fprintf(stderr, "tdxsim-kernel: --timeout takes seconds, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'V':
			printf("tdxsim-kernel %s, Linux %s from %s\n", TDXSIM_VERSION,
			       TDXSIM_KERNEL_TREE_VERSION, TDXSIM_KERNEL_TREE_PATH);
			return EXIT_AGREE;
		case 'h':
			print_usage(stdout);
			return EXIT_AGREE;
		default:
			print_usage(stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}

/* Platforms per second through each side; the ratio is what to compare
 * across machines. Loading the fixture and the child process are in
 * neither. */
static void
print_bench(const struct bench *b)
{
	double kernel = b->kernel_ns / 1e9, model = b->model_ns / 1e9;

	printf("bench: %lu platforms; compiled kernel %.3f s (%.0f platforms/s), "
	       "model %.3f s (%.0f platforms/s); kernel/model time %.2f\n",
	       b->runs, kernel, b->runs / kernel, model, model > 0 ? b->runs / model : 0.0,
	       model > 0 ? kernel / model : 0.0);
}

int
main(int argc, char **argv)
{
	struct options o;
	unsigned long passed = 0, failed = 0;
	int ret, worst = EXIT_AGREE;
	const char *cmd;

#ifdef TDXSIM_KERNEL_GUEST
	/* The guest side keeps no static state that matters: one process
	 * runs a whole batch. */
	if (argc > 1 && strcmp(argv[1], "mmio") == 0)
		return cli_mmio_main(kshim_guest_mmio_handle, argc - 1, argv + 1);
#endif
	if (argc > 1 && argv[1][0] != '-') {
		cmd = argv[1];
		argv++;
		argc--;
	} else {
		cmd = NULL;
	}
	ret = parse_args(argc, argv, &o);
	if (ret >= 0)
		return ret;
	if (!cmd || (strcmp(cmd, "init") != 0 && strcmp(cmd, "diff") != 0) || optind >= argc) {
		fprintf(stderr, "tdxsim-kernel: %s\n", !cmd || optind < argc
			? "say init or diff, then one or more fixtures (--help)"
			: "no fixture given (--help)");
		return EXIT_USAGE;
	}
	o.diff = strcmp(cmd, "diff") == 0;
	for (int i = optind; i < argc; i++) {
		ret = in_child(argv[i], &o);
		if (ret == EXIT_AGREE)
			passed++;
		else
			failed++;
		worst = ret > worst ? ret : worst;
	}
	if (o.bench && o.bench->runs)
		print_bench(o.bench);
	if (o.diff)
		printf("differential: %lu passed, %lu failed\n", passed, failed);
	return worst;
}
