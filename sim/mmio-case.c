/* SPDX-License-Identifier: MIT */
/*
 * The cases of tdxsim mmio (mmio-case.h): defaults, value parsers, the
 * batch file's strict YAML walk, and the run of one case.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <tdxsim/guest.h>

#include "mmio-case.h"
#include "parse.h"
#include "yaml-walk.h"

const char *const mmio_reg_names[REG_COUNT] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	"rip", "rflags", "fs_base", "gs_base",
};

/* The batch file's walk. */
struct batch {
	struct tdxsim_ywalk w;
	struct mmio_batch *out;
};

void
mmio_case_defaults(struct mmio_case *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = TDXSIM_MMIO_ARCH;
	c->regs.rip = DEFAULT_RIP;
	c->regs.rflags = DEFAULT_RFLAGS;
	c->gva = DEFAULT_GVA;
	c->gpaw = DEFAULT_GPAW;
}

static uint64_t
shared_bit(const struct mmio_case *c)
{
	return 1ULL << (c->gpaw == 48 ? 47 : 51);
}

void
mmio_set_reg(struct tdxsim_vcpu_regs *regs, int index, uint64_t value)
{
	if (index == REG_RIP)
		regs->rip = value;
	else if (index == REG_RFLAGS)
		regs->rflags = value;
	else if (index == REG_FS_BASE)
		regs->fs_base = value;
	else if (index == REG_GS_BASE)
		regs->gs_base = value;
	else
		regs->gpr[index] = value;
}

int
mmio_reg_index(const char *name, size_t len)
{
	for (int i = 0; i < REG_COUNT; i++) {
		if (strlen(mmio_reg_names[i]) == len && memcmp(mmio_reg_names[i], name, len) == 0)
			return i;
	}
	return -1;
}

/* ---- parsing values ---- */

/*
 * Instruction bytes as hex pairs, blanks between bytes optional ("8b 07",
 * "8b07"). Returns NULL, or why the text is refused.
 */
const char *
mmio_parse_bytes(const char *s, size_t len, struct mmio_case *c)
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

int
mmio_parse_gpaw(const char *s, size_t len, unsigned *gpaw)
{
	if (len == 2 && (memcmp(s, "48", 2) == 0 || memcmp(s, "52", 2) == 0)) {
		*gpaw = s[0] == '4' ? 48 : 52;
		return 0;
	}
	return -EINVAL;
}

int
mmio_parse_mode(const char *s, size_t len, enum tdxsim_mmio_mode *mode)
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

/* The device behind the VMM: what reads return, and the TD's shared bit. */
struct device {
	uint64_t read_value;
	uint64_t shared_bit;
};

/*
 * The VMM's side of TDG.VP.VMCALL<#VE.RequestMMIO>, checked as KVM's
 * tdx_emulate_mmio() checks it, with a device that returns read_value to
 * every read and takes every write. The full 64-bit value goes back in
 * R11: the guest must use only the access size's low bytes of it.
 */
static uint64_t
device_tdvmcall(void *ctx, struct tdxsim_tdvmcall *call)
{
	const struct device *dev = ctx;
	uint64_t size = call->r12;
	int size_ok = size == 1 || size == 2 || size == 4 || size == 8;

	if (call->r10 != 0 || call->r11 != EXIT_REASON_EPT_VIOLATION || !size_ok ||
	    call->r13 > 1 || !(call->r14 & dev->shared_bit)) {
		call->r10 = TDVMCALL_INVALID_OPERAND;
		return 0;
	}
	call->r10 = 0;
	if (call->r13 == 0)
		call->r11 = dev->read_value;
	return 0;
}

int
mmio_library_handle(const struct tdxsim_mmio_config *config, struct tdxsim_vcpu_regs *regs,
		    const struct tdxsim_veinfo *ve, const uint8_t *insn, size_t insn_len,
		    int user, tdxsim_tdvmcall_fn vmm, void *vmm_ctx,
		    struct tdxsim_mmio_result *out)
{
	struct tdxsim_mmio_handler *handler;
	int ret = tdxsim_mmio_handler_new(config, &handler);

	if (ret < 0)
		return ret;
	ret = tdxsim_mmio_handle(handler, regs, ve, insn, insn_len, user, vmm, vmm_ctx, out);
	tdxsim_mmio_handler_free(handler);
	return ret;
}

/*
 * Emulate one case. Each case gets a handler of its own (handle makes
 * one), so that no case's outcome depends on the decode cache the cases
 * before it filled. The bytes are followed by int3 up to 15, because
 * kernel code goes on after the instruction and linux mode wants 15
 * readable bytes.
 */
int
mmio_case_run(const struct mmio_case *c, cli_mmio_handle_fn handle,
	      struct tdxsim_vcpu_regs *regs, struct tdxsim_mmio_result *result)
{
	struct tdxsim_mmio_config config = TDXSIM_CONFIG_INIT(tdxsim_mmio_config);
	struct tdxsim_veinfo ve = {
		.exit_reason = EXIT_REASON_EPT_VIOLATION,
		.gla = c->gva,
		.gpa = c->gpa_set ? c->gpa : shared_bit(c) | TPM_GPA,
		.instr_len = (uint32_t)c->len,
	};
	struct device dev = { c->read_value, shared_bit(c) };
	uint8_t insn[INSN_MAX];

	config.mode = c->mode;
	config.gpaw = c->gpaw;
	memset(insn, 0xcc, sizeof(insn));
	memcpy(insn, c->bytes, c->len);
	*regs = c->regs;
	memset(result, 0, sizeof(*result));
	return handle(&config, regs, &ve, insn, sizeof(insn), c->user,
		      device_tdvmcall, &dev, result);
}

/* ---- the batch file ---- */

static struct mmio_case *
current_case(struct tdxsim_ywalk *w)
{
	struct batch *b = w->user;

	return &b->out->cases[b->out->count - 1];
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
	why = mmio_parse_bytes(s, len, current_case(w));
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
	    mmio_parse_mode(s, len, &current_case(w)->mode) < 0)
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "unknown mode '%.*s' (arch, linux)",
				    tdxsim_ywalk_clip(len), s);
}

static void
on_reg(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
       const struct tdxsim_ynode *value)
{
	int index = mmio_reg_index(key->text, key->len);
	uint64_t v;

	/* The walk hands over only the keys of reg_rules, all known. */
	if (index >= 0 && tdxsim_ywalk_get_u64(w, value, mmio_reg_names[index], UINT64_MAX, &v))
		mmio_set_reg(&current_case(w)->regs, index, v);
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
	{ "fs_base", on_reg, false }, { "gs_base", on_reg, false },
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

	if (tdxsim_ywalk_get_u64(w, value, key->text, UINT64_MAX, field) && field == &c->gpa)
		c->gpa_set = 1;
}

static void
on_gpaw(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
	const struct tdxsim_ynode *value)
{
	const char *s;
	size_t len;

	(void)key;
	if (get_text(w, value, "gpaw", &s, &len) &&
	    mmio_parse_gpaw(s, len, &current_case(w)->gpaw) < 0)
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "'gpaw' must be 48 or 52, not '%.*s'",
				    tdxsim_ywalk_clip(len), s);
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
	{ "gpaw", on_gpaw, false },
};

static void
walk_case(struct batch *b, const struct tdxsim_ynode *item)
{
	struct mmio_batch *out = b->out;
	void *cases = out->cases;

	if (tdxsim_array_reserve(&cases, &out->capacity, out->count + 1, sizeof(*out->cases)) < 0) {
		b->w.error = -ENOMEM;
		return;
	}
	out->cases = cases;
	mmio_case_defaults(&out->cases[out->count]);
	out->cases[out->count++].line = item->pos.line;
	tdxsim_ywalk_mapping(&b->w, item, "a case",
			     case_rules, sizeof(case_rules) / sizeof(case_rules[0]));
}

int
mmio_batch_load(const char *name, const char *text, size_t len,
		struct mmio_batch *out, struct tdxsim_diag *diag)
{
	struct batch b;
	const struct tdxsim_ynode *root;
	int ret;

	memset(&b, 0, sizeof(b));
	b.out = out;
	b.w.diag = diag;
	b.w.name = name;
	b.w.user = &b;
	ret = tdxsim_ywalk_check_size(diag, name, len, MMIO_BATCH_MAX_SIZE, "the batch file");
	if (ret == 0)
		ret = tdxsim_ydoc_parse(&b.w.doc, name, text, len, diag);
	root = ret == 0 ? b.w.doc.root : NULL;
	if (ret == 0 && !root)
		tdxsim_ywalk_refuse(&b.w, (struct tdxsim_pos){ 1, 1 },
				    "an empty batch file: expected a list of cases");
	else if (root && tdxsim_ywalk_want_kind(&b.w, root, TDXSIM_YNODE_SEQUENCE,
						"the batch file"))
		for (size_t i = 0; i < root->count && b.w.error != -ENOMEM; i++)
			walk_case(&b, root->children[i]);
	tdxsim_ydoc_fini(&b.w.doc);
	ret = ret < 0 ? ret : b.w.error;
	/* A refused file runs nothing: half a batch would look like a
	 * complete answer to a script reading the lines. */
	if (ret < 0)
		mmio_batch_fini(out);
	return ret;
}

void
mmio_batch_fini(struct mmio_batch *b)
{
	free(b->cases);
	memset(b, 0, sizeof(*b));
}
