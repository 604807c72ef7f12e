/* SPDX-License-Identifier: MIT */
/*
 * tdxsim mmio: run the guest's #VE MMIO handler (tdxsim/guest.h) on one
 * instruction given on the command line, or on every case of a YAML batch
 * file, and print what it did as one JSON object per line: the status, how
 * far RIP moved, the registers afterwards and the TDVMCALL it issued.
 *
 * The handler is driven directly, with a device behind a minimal VMM that
 * answers every read with the case's read value: one access needs no page
 * table, memory bus or vCPU loop, and the handler sees exactly the #VE the
 * case describes.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include <tdxsim/guest.h>

#include "cli.h"
#include "cmd-mmio.h"
#include "json.h"
#include "mmio-case.h"
#include "parse.h"
#include "yaml-walk.h"

#define CMD "mmio"

/* The handler in use: tdxsim's (tdxsim mmio) or, in tdxsim-kernel, the
 * kernel's compiled handle_mmio(). */
static cli_mmio_handle_fn mmio_handle;

/* tdxsim mmio's handler: the library's, fresh for every case; a failure
 * (only -ENOMEM in practice: the config is always valid) says why. */
static int
library_handle(const struct tdxsim_mmio_config *config, struct tdxsim_vcpu_regs *regs,
	       const struct tdxsim_veinfo *ve, const uint8_t *insn, size_t insn_len,
	       int user, tdxsim_tdvmcall_fn vmm, void *vmm_ctx,
	       struct tdxsim_mmio_result *out)
{
	int ret = mmio_library_handle(config, regs, ve, insn, insn_len, user, vmm,
				      vmm_ctx, out);

	if (ret < 0)
		fprintf(stderr, "tdxsim " CMD ": the MMIO handler refused the call: %s\n",
			strerror(-ret));
	return ret;
}

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim mmio --bytes HEX [OPTIONS]\n"
		"       tdxsim mmio --batch FILE.yaml\n"
		"\n"
		"Emulate a TDX guest's EPT-violation #VE on an MMIO access as the guest's\n"
		"#VE handler does: decode the instruction, issue the MMIO TDVMCALL to a\n"
		"device that answers reads with the read value, write the result back.\n"
		"Prints one JSON object per access (JSON lines): status, rip_delta, regs,\n"
		"tdvmcall; a batch case's line starts with its index (case) and its line\n"
		"in the file (line).\n"
		"\n"
		"  -b, --bytes HEX       the instruction bytes at RIP, e.g. \"8b 07\"\n"
		"  -m, --mode M          arch (default: architecturally exact) or linux\n"
		"                        (bit-compatible with upstream handle_mmio())\n"
		"  -r, --reg NAME=V      set a register (rax..r15, rip, rflags, fs_base,\n"
		"                        gs_base); repeatable; GPRs and bases default\n"
		"                        to 0, rip to 0x%llx, rflags to 0x2\n"
		"      --gva A           the linear address accessed (default 0x%llx)\n"
		"      --gpa A           the shared GPA the #VE reports (default the\n"
		"                        shared bit | 0x%llx)\n"
		"      --gpaw W          GPA width 52 (default: shared bit 51) or 48 (bit 47)\n"
		"      --read-value V    what the device returns for a read (default 0)\n"
		"  -u, --user            the access comes from user mode\n"
		"      --batch FILE      run every case of a YAML list (docs/cli.md)\n"
		"  -j, --json            accepted: the output is JSON already\n"
		"  -h, --help            print this help and exit\n"
		"\n"
		"Exit status: 0 every access was emulated (whatever its status),\n"
		"1 the handler could not be created or refused the call (Capstone\n"
		"failed to open, out of memory), 2 usage or input error.\n",
		DEFAULT_RIP, DEFAULT_GVA, TPM_GPA);
}

/* ---- running and printing ---- */

static uint64_t
low_bytes(uint64_t value, uint64_t size)
{
	return size >= 8 ? value : value & ((1ULL << (size * 8)) - 1);
}

/*
 * What went over the TDVMCALL. value is what the device used: the
 * request's R15 for a write, the reply's R11 for a read, each cut to the
 * access size. A write also shows all of R15, so that linux mode's
 * uninitialised upper bytes are visible.
 */
static void
json_tdvmcall(struct cli_json *j, const struct tdxsim_mmio_result *r)
{
	const struct tdxsim_tdvmcall *req = &r->request;
	int write = req->r13 == 1;

	if (!r->tdvmcall_made) {
		cli_json_null(j, "tdvmcall");
		return;
	}
	cli_json_object(j, "tdvmcall", CLI_JSON_INLINE);
	cli_json_u64(j, "size", req->r12);
	cli_json_str(j, "direction", write ? "write" : "read");
	cli_json_hex(j, "gpa", req->r14);
	cli_json_hex(j, "value", low_bytes(write ? req->r15 : r->reply.r11, req->r12));
	if (write)
		cli_json_hex(j, "r15", req->r15);
	cli_json_hex(j, "vmm_status", r->reply.r10);
	cli_json_end(j);
}

/*
 * The exception arch mode reports (tdxsim/guest.h): null, #GP(0) instead
 * of the access, or the single-step #DB after it with its DR6 bits.
 */
static void
json_exception(struct cli_json *j, const struct tdxsim_mmio_result *r)
{
	if (!r->exception) {
		cli_json_null(j, "exception");
		return;
	}
	cli_json_object(j, "exception", CLI_JSON_INLINE);
	cli_json_u64(j, "vector", r->exception);
	if (r->exception == TDXSIM_VECTOR_GP) {
		cli_json_str(j, "name", "#GP");
		cli_json_u64(j, "error_code", 0);
	} else if (r->exception == TDXSIM_VECTOR_DB) {
		cli_json_str(j, "name", "#DB");
		cli_json_hex(j, "dr6", r->dr6);
	}
	cli_json_end(j);
}

/* One line per case (JSON lines); GPRs and addresses as hex strings
 * because JSON numbers lose precision above 2^53 in many readers. A batch
 * case says which it is: its index and its line in the file. */
static void
print_result(const struct mmio_case *c, size_t index, const struct tdxsim_vcpu_regs *after,
	     const struct tdxsim_mmio_result *r)
{
	struct cli_json j;

	cli_json_begin_line(&j, stdout);
	if (c->line) {
		cli_json_u64(&j, "case", index);
		cli_json_u64(&j, "line", c->line);
	}
	cli_json_i64(&j, "status", r->status);
	cli_json_u64(&j, "rip_delta", after->rip - c->regs.rip);
	cli_json_object(&j, "regs", CLI_JSON_INLINE);
	for (int i = 0; i < 16; i++)
		cli_json_hex(&j, mmio_reg_names[i], after->gpr[i]);
	cli_json_end(&j);
	json_tdvmcall(&j, r);
	cli_json_bool(&j, "fatal", r->fatal);
	cli_json_str(&j, "reason", r->reason);
	json_exception(&j, r);
	cli_json_bool(&j, "inconsistent", r->inconsistent);
	cli_json_finish(&j);
}

/* Emulate one case and print its line (the handler says why it failed). */
static int
run_case(const struct mmio_case *c, size_t index)
{
	struct tdxsim_vcpu_regs regs;
	struct tdxsim_mmio_result result;

	if (mmio_case_run(c, mmio_handle, &regs, &result) < 0)
		return CLI_EXIT_FAILURE;
	print_result(c, index, &regs, &result);
	return CLI_EXIT_OK;
}

static int
run_batch(const char *path)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct mmio_batch b;
	char *text = NULL;
	size_t len = 0;
	int ret;

	memset(&b, 0, sizeof(b));
	if (!diag) {
		fprintf(stderr, "tdxsim " CMD ": out of memory\n");
		return CLI_EXIT_FAILURE;
	}
	ret = tdxsim_ywalk_read_file(path, MMIO_BATCH_MAX_SIZE, &text, &len, diag);
	if (ret == 0)
		ret = mmio_batch_load(path, text, len, &b, diag);
	free(text);
	cli_print_diag(diag);
	if (ret == -ENOMEM)
		fprintf(stderr, "tdxsim " CMD ": %s: out of memory\n", path);
	/* A refused file holds no case: nothing runs. */
	ret = ret < 0 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	for (size_t i = 0; i < b.count && ret == CLI_EXIT_OK; i++)
		ret = run_case(&b.cases[i], i);
	mmio_batch_fini(&b);
	tdxsim_diag_free(diag);
	return ret;
}

/* ---- arguments ---- */

struct mmio_args {
	struct mmio_case one;
	const char *bytes;
	const char *batch;
	int single_option;	/* an option that only makes sense without --batch */
};

/* An unsigned value: decimal or 0x hex, as in the batch file. */
static int
parse_value(const char *option, const char *text, uint64_t *out)
{
	if (tdxsim_parse_u64(text, strlen(text), out) < 0)
		return cli_usage_error(CMD, "%s wants a number (decimal or 0x hex), not '%s'",
				       option, text);
	return -1;
}

static int
parse_reg(const char *text, struct tdxsim_vcpu_regs *regs)
{
	const char *eq = strchr(text, '=');
	int index = eq ? mmio_reg_index(text, (size_t)(eq - text)) : -1;
	uint64_t v;
	int ret;

	if (!eq)
		return cli_usage_error(CMD, "--reg wants NAME=VALUE, not '%s'", text);
	if (index < 0)
		return cli_usage_error(CMD, "unknown register '%.*s' (rax..r15, rip, rflags, "
				       "fs_base, gs_base)",
				       (int)(eq - text), text);
	ret = parse_value("--reg", eq + 1, &v);
	if (ret < 0)
		mmio_set_reg(regs, index, v);
	return ret;
}

/* Returns -1 to go on, or the exit status to stop with. */
static int
parse_option(int c, struct mmio_args *a, char **argv)
{
	a->single_option |= c != 'B';
	switch (c) {
	case 'b':
		a->bytes = optarg;
		return -1;
	case 'B':
		a->batch = optarg;
		return -1;
	case 'm':
		if (mmio_parse_mode(optarg, strlen(optarg), &a->one.mode) < 0)
			return cli_usage_error(CMD, "unknown mode '%s' (arch, linux)", optarg);
		return -1;
	case 'r':
		return parse_reg(optarg, &a->one.regs);
	case 'u':
		a->one.user = 1;
		return -1;
	case 'A':
		return parse_value("--gva", optarg, &a->one.gva);
	case 'P':
		a->one.gpa_set = 1;
		return parse_value("--gpa", optarg, &a->one.gpa);
	case 'V':
		return parse_value("--read-value", optarg, &a->one.read_value);
	case 'G':
		if (mmio_parse_gpaw(optarg, strlen(optarg), &a->one.gpaw) < 0)
			return cli_usage_error(CMD, "--gpaw wants 48 or 52, not '%s'", optarg);
		return -1;
	case ':':
		return cli_usage_error(CMD, "option '%s' needs a value", argv[optind - 1]);
	default:
		return cli_usage_error(CMD, "unknown option '%s'", argv[optind - 1]);
	}
}

static int
check_args(struct mmio_args *a, int argc, int optind_now, char **argv)
{
	const char *why;

	if (optind_now < argc)
		return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind_now]);
	if (a->batch)
		return a->single_option
			? cli_usage_error(CMD, "--batch takes every setting from its file; drop the other options")
			: -1;
	if (!a->bytes)
		return cli_usage_error(CMD, "expected --bytes HEX or --batch FILE");
	why = mmio_parse_bytes(a->bytes, strlen(a->bytes), &a->one);
	if (why)
		return cli_usage_error(CMD, "--bytes '%s' %s", a->bytes, why);
	return -1;
}

static int
parse_args(int argc, char **argv, struct mmio_args *a)
{
	static const struct option options[] = {
		{ "bytes", required_argument, NULL, 'b' },
		{ "mode", required_argument, NULL, 'm' },
		{ "reg", required_argument, NULL, 'r' },
		{ "gva", required_argument, NULL, 'A' },
		{ "gpa", required_argument, NULL, 'P' },
		{ "read-value", required_argument, NULL, 'V' },
		{ "gpaw", required_argument, NULL, 'G' },
		{ "user", no_argument, NULL, 'u' },
		{ "batch", required_argument, NULL, 'B' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret = -1;

	memset(a, 0, sizeof(*a));
	mmio_case_defaults(&a->one);
	opterr = 0;  /* our own messages, in the CLI's format */
	while (ret < 0 && (c = getopt_long(argc, argv, ":b:m:r:ujh", options, NULL)) != -1) {
		if (c == 'h') {
			print_usage(stdout);
			return CLI_EXIT_OK;
		}
		/* JSON is what mmio prints anyway: accepted, as every command
		 * takes it, with or without --batch. */
		if (c == 'j')
			continue;
		ret = parse_option(c, a, argv);
	}
	return ret >= 0 ? ret : check_args(a, argc, optind, argv);
}

int
cli_mmio_main(cli_mmio_handle_fn handle, int argc, char **argv)
{
	struct mmio_args args;
	int ret;

	mmio_handle = handle;
	ret = parse_args(argc, argv, &args);
	if (ret >= 0)
		return ret;
	return args.batch ? run_batch(args.batch) : run_case(&args.one, 0);
}

int
cmd_mmio(int argc, char **argv)
{
	return cli_mmio_main(library_handle, argc, argv);
}
