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
#include "parse.h"
#include "yaml-walk.h"

#define CMD "mmio"

/* Architectural instruction length limit. */
#define INSN_MAX 15
/* An ioremap()ed kernel virtual address (the vmalloc area). */
#define DEFAULT_GVA 0xffffc90000000000ULL
/* The shared bit of a 52-bit GPA width (GPAW 1): the handler is set up
 * with it, so a GPA without bit 51 is private. */
#define SHARED_BIT (1ULL << 51)
/* The TPM's MMIO window, shared: the classic first MMIO of a TD. */
#define DEFAULT_GPA (SHARED_BIT | 0xfed40000ULL)
/* Kernel text: where a driver's readl()/writel() runs. */
#define DEFAULT_RIP 0xffffffff81000000ULL
/* RFLAGS bit 1 is reserved and always set. */
#define DEFAULT_RFLAGS 0x2ULL
#define EXIT_REASON_EPT_VIOLATION 48
/* TDVMCALL_STATUS_INVALID_OPERAND, as KVM returns it for a bad request. */
#define TDVMCALL_INVALID_OPERAND 0x8000000000000000ULL
#define BATCH_MAX_SIZE (16u << 20)

/* --reg names and batch 'regs' keys: the 16 GPRs in encoding order (the
 * index is enum tdxsim_gpr), then RIP and RFLAGS. */
#define REG_RIP 16
#define REG_RFLAGS 17
#define REG_COUNT 18

static const char *const reg_names[REG_COUNT] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	"rip", "rflags",
};

/* The handler in use: tdxsim's (tdxsim mmio) or, in tdxsim-kernel, the
 * kernel's compiled handle_mmio(). */
static cli_mmio_handle_fn mmio_handle;

/* tdxsim mmio's handler: the library's, fresh for every case. */
static int
library_handle(const struct tdxsim_mmio_config *config, struct tdxsim_vcpu_regs *regs,
	       const struct tdxsim_veinfo *ve, const uint8_t *insn, size_t insn_len,
	       int user, tdxsim_tdvmcall_fn vmm, void *vmm_ctx,
	       struct tdxsim_mmio_result *out)
{
	struct tdxsim_mmio_handler *handler;
	int ret = tdxsim_mmio_handler_new(config, &handler);

	if (ret < 0) {
		fprintf(stderr, "tdxsim " CMD ": cannot create the MMIO handler: %s\n",
			strerror(-ret));
		return ret;
	}
	ret = tdxsim_mmio_handle(handler, regs, ve, insn, insn_len, user, vmm, vmm_ctx, out);
	tdxsim_mmio_handler_free(handler);
	if (ret < 0)
		fprintf(stderr, "tdxsim " CMD ": the MMIO handler refused the call: %s\n",
			strerror(-ret));
	return ret;
}

/* One access to emulate. */
struct mmio_case {
	uint8_t bytes[INSN_MAX];
	size_t len;
	enum tdxsim_mmio_mode mode;
	struct tdxsim_vcpu_regs regs;
	uint64_t gva;
	uint64_t gpa;
	uint64_t read_value;
	int user;
};

/* The batch file's cases while they are read. */
struct batch {
	struct tdxsim_ywalk w;
	struct mmio_case *cases;
	size_t count;
	size_t capacity;
};

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
		"Prints one JSON object per access: status, rip_delta, regs, tdvmcall.\n"
		"\n"
		"  -b, --bytes HEX       the instruction bytes at RIP, e.g. \"8b 07\"\n"
		"  -m, --mode M          arch (default: architecturally exact) or linux\n"
		"                        (bit-compatible with upstream handle_mmio())\n"
		"  -r, --reg NAME=V      set a register (rax..r15, rip, rflags); repeatable;\n"
		"                        GPRs default to 0, rip to 0x%llx,\n"
		"                        rflags to 0x2\n"
		"      --gva A           the linear address accessed (default 0x%llx)\n"
		"      --gpa A           the shared GPA the #VE reports (default 0x%llx)\n"
		"      --read-value V    what the device returns for a read (default 0)\n"
		"  -u, --user            the access comes from user mode\n"
		"      --batch FILE      run every case of a YAML list (docs/cli.md)\n"
		"  -h, --help            print this help and exit\n"
		"\n"
		"Exit status: 0 every access was emulated (whatever its status),\n"
		"1 the handler could not be created or refused the call (Capstone\n"
		"failed to open, out of memory), 2 usage or input error.\n",
		DEFAULT_RIP, DEFAULT_GVA, DEFAULT_GPA);
}

static void
case_defaults(struct mmio_case *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = TDXSIM_MMIO_ARCH;
	c->regs.rip = DEFAULT_RIP;
	c->regs.rflags = DEFAULT_RFLAGS;
	c->gva = DEFAULT_GVA;
	c->gpa = DEFAULT_GPA;
}

static void
set_reg(struct tdxsim_vcpu_regs *regs, int index, uint64_t value)
{
	if (index == REG_RIP)
		regs->rip = value;
	else if (index == REG_RFLAGS)
		regs->rflags = value;
	else
		regs->gpr[index] = value;
}

/* The register called name[0..len), or -1. */
static int
reg_index(const char *name, size_t len)
{
	for (int i = 0; i < REG_COUNT; i++) {
		if (strlen(reg_names[i]) == len && memcmp(reg_names[i], name, len) == 0)
			return i;
	}
	return -1;
}

/* ---- parsing values ---- */

/*
 * Instruction bytes as hex pairs, blanks between bytes optional ("8b 07",
 * "8b07"). Returns NULL, or why the text is refused.
 */
static const char *
parse_bytes(const char *s, size_t len, struct mmio_case *c)
{
	size_t i = 0;

	c->len = 0;
	while (i < len) {
		int hi, lo;

		if (s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		hi = tdxsim_hex_digit(s[i]);
		lo = i + 1 < len ? tdxsim_hex_digit(s[i + 1]) : -1;
		if (hi < 0 || lo < 0)
			return "is not hex bytes (two hex digits each, e.g. \"8b 07\")";
		if (c->len == INSN_MAX)
			return "is longer than 15 bytes, the architectural limit";
		c->bytes[c->len++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return c->len ? NULL : "holds no bytes";
}

static int
parse_mode(const char *s, size_t len, enum tdxsim_mmio_mode *mode)
{
	if (len == 4 && memcmp(s, "arch", 4) == 0)
		*mode = TDXSIM_MMIO_ARCH;
	else if (len == 5 && memcmp(s, "linux", 5) == 0)
		*mode = TDXSIM_MMIO_LINUX;
	else
		return -EINVAL;
	return 0;
}

/* ---- the device and the VMM in front of it ---- */

/*
 * The VMM's side of TDG.VP.VMCALL<#VE.RequestMMIO>, checked as KVM's
 * tdx_emulate_mmio() checks it, with a device that returns read_value to
 * every read and takes every write. The full 64-bit value goes back in
 * R11: the guest must use only the access size's low bytes of it.
 */
static uint64_t
device_tdvmcall(void *ctx, struct tdxsim_tdvmcall *call)
{
	const uint64_t *read_value = ctx;
	uint64_t size = call->r12;
	int size_ok = size == 1 || size == 2 || size == 4 || size == 8;

	if (call->r10 != 0 || call->r11 != EXIT_REASON_EPT_VIOLATION || !size_ok ||
	    call->r13 > 1 || !(call->r14 & SHARED_BIT)) {
		call->r10 = TDVMCALL_INVALID_OPERAND;
		return 0;
	}
	call->r10 = 0;
	if (call->r13 == 0)
		call->r11 = *read_value;
	return 0;
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
print_tdvmcall(const struct tdxsim_mmio_result *r)
{
	const struct tdxsim_tdvmcall *req = &r->request;
	int write = req->r13 == 1;

	if (!r->tdvmcall_made) {
		fputs("null", stdout);
		return;
	}
	printf("{\"size\": %" PRIu64 ", \"direction\": \"%s\", \"gpa\": \"0x%" PRIx64
	       "\", \"value\": \"0x%" PRIx64 "\"",
	       req->r12, write ? "write" : "read", req->r14,
	       low_bytes(write ? req->r15 : r->reply.r11, req->r12));
	if (write)
		printf(", \"r15\": \"0x%" PRIx64 "\"", req->r15);
	printf(", \"vmm_status\": \"0x%" PRIx64 "\"}", r->reply.r10);
}

/* One line per case; GPRs and addresses as hex strings because JSON
 * numbers lose precision above 2^53 in many readers. */
static void
print_result(const struct mmio_case *c, const struct tdxsim_vcpu_regs *after,
	     const struct tdxsim_mmio_result *r)
{
	printf("{\"status\": %d, \"rip_delta\": %" PRIu64 ", \"regs\": {",
	       r->status, after->rip - c->regs.rip);
	for (int i = 0; i < 16; i++)
		printf("%s\"%s\": \"0x%" PRIx64 "\"", i ? ", " : "", reg_names[i],
		       after->gpr[i]);
	fputs("}, \"tdvmcall\": ", stdout);
	print_tdvmcall(r);
	printf(", \"fatal\": %s, \"reason\": ", r->fatal ? "true" : "false");
	if (r->reason)
		cli_json_string(r->reason);
	else
		fputs("null", stdout);
	puts("}");
}

/*
 * Emulate one case with a handler of its own, so that no case's outcome
 * depends on the decode cache the cases before it filled. The bytes are followed by int3 up to 15, because kernel code goes on
 * after the instruction and linux mode wants 15 readable bytes.
 */
static int
run_case(const struct mmio_case *c)
{
	struct tdxsim_mmio_config config = { .mode = c->mode, .gpaw = 1 };
	struct tdxsim_veinfo ve = {
		.exit_reason = EXIT_REASON_EPT_VIOLATION,
		.gla = c->gva,
		.gpa = c->gpa,
		.instr_len = (uint32_t)c->len,
	};
	struct tdxsim_vcpu_regs regs = c->regs;
	struct tdxsim_mmio_result result;
	uint64_t read_value = c->read_value;
	uint8_t insn[INSN_MAX];

	memset(insn, 0xcc, sizeof(insn));
	memcpy(insn, c->bytes, c->len);
	memset(&result, 0, sizeof(result));
	if (mmio_handle(&config, &regs, &ve, insn, sizeof(insn), c->user,
			device_tdvmcall, &read_value, &result) < 0)
		return CLI_EXIT_FAILURE;
	print_result(c, &regs, &result);
	return CLI_EXIT_OK;
}

/* ---- the batch file ---- */

static struct mmio_case *
current_case(struct tdxsim_ywalk *w)
{
	struct batch *b = w->user;

	return &b->cases[b->count - 1];
}

static bool
get_text(struct tdxsim_ywalk *w, const struct tdxsim_ynode *value,
	 const char *key, const char **s, size_t *len)
{
	if (!tdxsim_ywalk_want_scalar(w, value, key))
		return false;
	*s = value->text;
	*len = value->len;
	tdxsim_trim(s, len);
	return true;
}

static void
on_bytes(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
	 const struct tdxsim_ynode *value)
{
	const char *s, *why;
	size_t len;

	(void)key;
	if (!get_text(w, value, "bytes", &s, &len))
		return;
	why = parse_bytes(s, len, current_case(w));
	if (why)
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value), "'bytes' value '%.*s' %s",
				    tdxsim_ywalk_clip(len), s, why);
}

static void
on_mode(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
	const struct tdxsim_ynode *value)
{
	const char *s;
	size_t len;

	(void)key;
	if (get_text(w, value, "mode", &s, &len) &&
	    parse_mode(s, len, &current_case(w)->mode) < 0)
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "unknown mode '%.*s' (arch, linux)",
				    tdxsim_ywalk_clip(len), s);
}

static void
on_reg(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
       const struct tdxsim_ynode *value)
{
	int index = reg_index(key->text, key->len);
	uint64_t v;

	/* The walk hands over only the keys of reg_rules, all known. */
	if (index >= 0 && tdxsim_ywalk_get_u64(w, value, reg_names[index], UINT64_MAX, &v))
		set_reg(&current_case(w)->regs, index, v);
}

static const struct tdxsim_ywalk_rule reg_rules[REG_COUNT] = {
	{ "rax", on_reg, false }, { "rcx", on_reg, false },
	{ "rdx", on_reg, false }, { "rbx", on_reg, false },
	{ "rsp", on_reg, false }, { "rbp", on_reg, false },
	{ "rsi", on_reg, false }, { "rdi", on_reg, false },
	{ "r8", on_reg, false }, { "r9", on_reg, false },
	{ "r10", on_reg, false }, { "r11", on_reg, false },
	{ "r12", on_reg, false }, { "r13", on_reg, false },
	{ "r14", on_reg, false }, { "r15", on_reg, false },
	{ "rip", on_reg, false }, { "rflags", on_reg, false },
};

static void
on_regs(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
	const struct tdxsim_ynode *value)
{
	(void)key;
	tdxsim_ywalk_mapping(w, value, "regs", reg_rules, REG_COUNT);
}

static void
on_address(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
	   const struct tdxsim_ynode *value)
{
	struct mmio_case *c = current_case(w);
	uint64_t *field = tdxsim_ywalk_key_is(key, "gva") ? &c->gva
		: tdxsim_ywalk_key_is(key, "gpa") ? &c->gpa : &c->read_value;

	tdxsim_ywalk_get_u64(w, value, key->text, UINT64_MAX, field);
}

static void
on_user(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
	const struct tdxsim_ynode *value)
{
	const char *s;
	size_t len;

	(void)key;
	if (!get_text(w, value, "user", &s, &len))
		return;
	if (len == 4 && memcmp(s, "true", 4) == 0)
		current_case(w)->user = 1;
	else if (len == 5 && memcmp(s, "false", 5) == 0)
		current_case(w)->user = 0;
	else
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "'user' must be true or false, not '%.*s'",
				    tdxsim_ywalk_clip(len), s);
}

static const struct tdxsim_ywalk_rule case_rules[] = {
	{ "bytes", on_bytes, true },
	{ "mode", on_mode, false },
	{ "regs", on_regs, false },
	{ "gva", on_address, false },
	{ "gpa", on_address, false },
	{ "read_value", on_address, false },
	{ "user", on_user, false },
};

static void
walk_case(struct batch *b, const struct tdxsim_ynode *item)
{
	void *cases = b->cases;

	if (tdxsim_array_reserve(&cases, &b->capacity, b->count + 1, sizeof(*b->cases)) < 0) {
		b->w.error = -ENOMEM;
		return;
	}
	b->cases = cases;
	case_defaults(&b->cases[b->count++]);
	tdxsim_ywalk_mapping(&b->w, item, "a case",
			     case_rules, sizeof(case_rules) / sizeof(case_rules[0]));
}

/* Read path into b->cases; every problem goes to diag. */
static int
load_batch(const char *path, struct batch *b, struct tdxsim_diag *diag)
{
	char *text = NULL;
	size_t len = 0;
	const struct tdxsim_ynode *root;
	int ret = tdxsim_ywalk_read_file(path, BATCH_MAX_SIZE, &text, &len, diag);

	b->w.diag = diag;
	b->w.name = path;
	b->w.user = b;
	if (ret == 0)
		ret = tdxsim_ywalk_check_size(diag, path, len, BATCH_MAX_SIZE, "the batch file");
	if (ret == 0)
		ret = tdxsim_ydoc_parse(&b->w.doc, path, text, len, diag);
	root = ret == 0 ? b->w.doc.root : NULL;
	if (ret == 0 && !root)
		tdxsim_ywalk_refuse(&b->w, (struct tdxsim_pos){ 1, 1 },
				    "an empty batch file: expected a list of cases");
	else if (root && tdxsim_ywalk_want_kind(&b->w, root, TDXSIM_YNODE_SEQUENCE,
						"the batch file"))
		for (size_t i = 0; i < root->count && b->w.error != -ENOMEM; i++)
			walk_case(b, root->children[i]);
	tdxsim_ydoc_fini(&b->w.doc);
	free(text);
	return ret < 0 ? ret : b->w.error;
}

static int
run_batch(const char *path)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct batch b;
	int ret;

	memset(&b, 0, sizeof(b));
	if (!diag) {
		fprintf(stderr, "tdxsim " CMD ": out of memory\n");
		return CLI_EXIT_FAILURE;
	}
	ret = load_batch(path, &b, diag);
	cli_print_diag(diag);
	if (ret == -ENOMEM)
		fprintf(stderr, "tdxsim " CMD ": %s: out of memory\n", path);
	/* A refused file runs nothing: half a batch would look like a
	 * complete answer to a script reading the lines. */
	ret = ret < 0 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	for (size_t i = 0; i < b.count && ret == CLI_EXIT_OK; i++)
		ret = run_case(&b.cases[i]);
	free(b.cases);
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
	int index = eq ? reg_index(text, (size_t)(eq - text)) : -1;
	uint64_t v;
	int ret;

	if (!eq)
		return cli_usage_error(CMD, "--reg wants NAME=VALUE, not '%s'", text);
	if (index < 0)
		return cli_usage_error(CMD, "unknown register '%.*s' (rax..r15, rip, rflags)",
				       (int)(eq - text), text);
	ret = parse_value("--reg", eq + 1, &v);
	if (ret < 0)
		set_reg(regs, index, v);
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
		if (parse_mode(optarg, strlen(optarg), &a->one.mode) < 0)
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
		return parse_value("--gpa", optarg, &a->one.gpa);
	case 'V':
		return parse_value("--read-value", optarg, &a->one.read_value);
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
	why = parse_bytes(a->bytes, strlen(a->bytes), &a->one);
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
		{ "user", no_argument, NULL, 'u' },
		{ "batch", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret = -1;

	memset(a, 0, sizeof(*a));
	case_defaults(&a->one);
	opterr = 0;  /* our own messages, in the CLI's format */
	while (ret < 0 && (c = getopt_long(argc, argv, ":b:m:r:uh", options, NULL)) != -1) {
		if (c == 'h') {
			print_usage(stdout);
			return CLI_EXIT_OK;
		}
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
	return args.batch ? run_batch(args.batch) : run_case(&args.one);
}

int
cmd_mmio(int argc, char **argv)
{
	return cli_mmio_main(library_handle, argc, argv);
}
