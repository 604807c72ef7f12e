/* SPDX-License-Identifier: MIT */
/*
 * Memtype scenarios (include/tdxsim/scenario.h): the YAML format v1 loader
 * (docs/memtype.md, "Scenario format") and the runner that drives the
 * memtype layer (include/tdxsim/memtype.h) through the steps and checks
 * what each one states.
 *
 * The loader checks only the form of the file; whether an MSR value is
 * valid, a mapping conflicts and so on is the simulation's answer, so a
 * scenario may state any outcome and the runner says whether it holds.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <tdxsim/memtype.h>
#include <tdxsim/scenario.h>

#include "common.h"
#include "lines.h"
#include "parse.h"
#include "strbuf.h"
#include "yaml-walk.h"

/* A scenario is a page of YAML; this bounds what a pasted file costs. */
#define MAX_SCENARIO_BYTES (1u << 20)

/* MAXPHYADDR the memtype layer accepts (tdxsim_mtrr_bank_new()). */
#define MIN_PHYS_BITS 36
#define MAX_PHYS_BITS 52
#define FOUR_GIB 0x100000000ull

typedef const struct tdxsim_ynode ynode;

/* ---- the model ---------------------------------------------------------- */

enum step_kind {
	STEP_IOREMAP,
	STEP_IOREMAP_UC,
	STEP_IOREMAP_WC,
	STEP_IOREMAP_WT,
	STEP_IOREMAP_CACHE,
	STEP_DEVM,
	STEP_RESERVE,
	STEP_FREE,
	STEP_LOOKUP,
	STEP_HW_LOOKUP,
	STEP_RDMSR,
	STEP_WRMSR,
	STEP_CR0,
	STEP_EPT,
	STEP_KIND_COUNT,
};

/* What a step can state about its outcome. */
enum expect_kind {
	EXP_OUTCOME,		/* expect: mapped, fail, ok, gp, ve-ok, ... */
	EXP_MAPPED,		/* expect-mapped: the mapping's page cache mode */
	EXP_GRANTED,		/* expect-granted: memtype_reserve()'s mode */
	EXP_ERRNO,		/* expect-errno: 0 or -N */
	EXP_TYPE,		/* expect-type: a memory type */
	EXP_UNIFORM,		/* expect-uniform */
	EXP_UNDEFINED,		/* expect-undefined */
	EXP_VALUE,		/* expect-value: RDMSR's value */
	EXP_EPT_TYPE,		/* expect-ept-type: the EPT leaf's MT */
	EXP_IPAT,		/* expect-ipat */
	EXP_KIND_COUNT,
};

/* The words of 'expect:'; each step kind takes some of them. */
enum outcome {
	OUT_MAPPED,
	OUT_FAIL,
	OUT_OK,
	OUT_GP,
	OUT_VE_OK,
	OUT_VE_FAIL,
	OUT_VE,
	OUT_COUNT,
};

static const char *const outcome_words[OUT_COUNT] = {
	"mapped", "fail", "ok", "gp", "ve-ok", "ve-fail", "ve",
};

struct expect {
	bool set;
	struct tdxsim_pos pos;		/* of the value, for the report */
	uint64_t value;			/* errno values are stored negated */
};

enum ept_memory {
	MEM_RAM,
	MEM_MMIO,
	MEM_PRIVATE,
};

struct step {
	enum step_kind kind;
	struct tdxsim_pos pos;		/* of the action key */
	uint64_t start;			/* address, MSR or GPA */
	uint64_t end;			/* ranges: one past the last byte */
	uint64_t value;			/* wrmsr */
	char *who;			/* by: or device: */
	enum tdxsim_pcm pcm;		/* memtype-reserve's type */
	int cd, nw;			/* cr0 */
	enum ept_memory memory;
	int tdp, noncoherent_dma, ignore_guest_pat, hw_cd;
	enum tdxsim_mt guest_pat;
	struct expect expect[EXP_KIND_COUNT];
};

/* Lines of an expect-lines or expect-tree block, with their positions. */
struct text_block {
	bool set;
	struct tdxsim_pos pos;
	char **lines;
	struct tdxsim_pos *line_pos;
	size_t count;
	size_t capacity;
	size_t pos_capacity;
};

struct tdxsim_scenario {
	char *file;
	char *name;
	char *source;
	enum tdxsim_mtrr_profile profile;
	unsigned maxphyaddr;
	bool has_guest;
	struct tdxsim_linux_guest_config guest;
	struct step *steps;
	size_t step_count;
	size_t step_capacity;
	struct text_block lines;
	struct text_block tree;
};

/* One kind of step: its key, its rules and what its 'expect:' takes. */
/* A step's key is its first rule's key (clang will not take rules[0].key
 * as a constant initializer, so it is looked up where used). */
struct step_type {
	const struct tdxsim_ywalk_rule *rules;
	size_t rule_count;
	unsigned outcomes;		/* bit per enum outcome */
	bool needs_guest;
};

/* ---- names ---------------------------------------------------------------- */

static const struct {
	const char *name;
	enum tdxsim_mt mt;
	enum tdxsim_pcm pcm;
} type_names[] = {
	{ "UC", TDXSIM_MT_UC, TDXSIM_PCM_UC },
	{ "WC", TDXSIM_MT_WC, TDXSIM_PCM_WC },
	{ "WT", TDXSIM_MT_WT, TDXSIM_PCM_WT },
	{ "WP", TDXSIM_MT_WP, TDXSIM_PCM_WP },
	{ "WB", TDXSIM_MT_WB, TDXSIM_PCM_WB },
	{ "UC-", TDXSIM_MT_UC_MINUS, TDXSIM_PCM_UC_MINUS },
};

/* Short name of a page cache mode, as scenarios write it. */
static const char *
pcm_short(enum tdxsim_pcm pcm)
{
	for (size_t i = 0; i < ARRAY_LENGTH(type_names); i++) {
		if (type_names[i].pcm == pcm)
			return type_names[i].name;
	}
	return "?";
}

static const char *
mt_short(enum tdxsim_mt mt)
{
	const char *name = tdxsim_mt_name(mt);

	return name ? name : "?";
}

/* ---- loader: state and small readers -------------------------------------- */

struct loader {
	struct tdxsim_ywalk w;		/* w.user is the loader */
	struct tdxsim_scenario *s;
	struct step *step;		/* the step being read */
	const struct step_type *type;	/* and its kind */
	size_t step_index;		/* 1-based, as messages count */
	bool has_profile;
	bool has_maxphyaddr;
	bool has_phys_bits;
	ynode *guest;			/* read after maxphyaddr is known */
};

static void
note_oom(struct tdxsim_ywalk *w)
{
	w->error = -ENOMEM;
}

/* The value of key as non-empty text, or NULL after refusing it. */
static ynode *
want_text(struct tdxsim_ywalk *w, ynode *value, const char *key)
{
	if (!tdxsim_ywalk_want_scalar(w, value, key))
		return NULL;
	if (value->len == 0) {
		tdxsim_ywalk_refuse(w, value->pos, "'%s' needs a value", key);
		return NULL;
	}
	return value;
}

static bool
get_bool(struct tdxsim_ywalk *w, ynode *value, const char *key, int *out)
{
	if (!want_text(w, value, key))
		return false;
	if (strcmp(value->text, "true") == 0 || strcmp(value->text, "false") == 0) {
		*out = value->text[0] == 't';
		return true;
	}
	tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
			    "'%s' must be true or false, not '%.*s'", key,
			    tdxsim_ywalk_clip(value->len), value->text);
	return false;
}

/* Index into type_names of a memory type name, or -1 after refusing it. */
static int
get_type(struct tdxsim_ywalk *w, ynode *value, const char *key)
{
	if (!want_text(w, value, key))
		return -1;
	for (size_t i = 0; i < ARRAY_LENGTH(type_names); i++) {
		if (strcmp(value->text, type_names[i].name) == 0)
			return (int)i;
	}
	tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
			    "unknown memory type '%.*s' for '%s' (known: UC, WC, WT, WP, WB, UC-)",
			    tdxsim_ywalk_clip(value->len), value->text, key);
	return -1;
}

static char *
copy_text(struct tdxsim_ywalk *w, ynode *value)
{
	char *s = tdxsim_strndup(value->text, value->len);

	if (!s)
		note_oom(w);
	return s;
}

/* ---- loader: ranges --------------------------------------------------------- */

/* "0xSTART+0xSIZE": the way ioremap() is called. */
static bool
scan_plus_range(struct tdxsim_scan *sc, uint64_t *start, uint64_t *end)
{
	uint64_t base, size;
	bool range_error = false;

	if (!tdxsim_scan_u64(sc, &base, &range_error) ||
	    !tdxsim_scan_literal(sc, "+") ||
	    !tdxsim_scan_u64(sc, &size, &range_error) || range_error)
		return false;
	*start = base;
	*end = base + size;
	return size <= UINT64_MAX - base;
}

/* [start, end) of a range written "0xA+0xN", "[mem 0xA-0xB]" or "[0xA, 0xB)". */
static bool
get_range(struct tdxsim_ywalk *w, ynode *value, const char *key,
	  uint64_t *start, uint64_t *end)
{
	struct tdxsim_line_error err;
	struct tdxsim_range r;
	struct tdxsim_scan sc;
	bool ok;

	if (!want_text(w, value, key))
		return false;
	tdxsim_scan_init(&sc, value->text, value->len);
	tdxsim_scan_skip_space(&sc);
	if (sc.p < sc.end && *sc.p == '[') {
		/* The bracket forms are dmesg's: the line parser says best
		 * what is wrong with one. */
		if (!tdxsim_scan_range(&sc, value->text, &r, &err)) {
			struct tdxsim_pos pos = tdxsim_ywalk_text_pos(value);

			pos.column += (unsigned)err.offset;
			tdxsim_ywalk_refuse(w, pos, "%s", err.message);
			return false;
		}
		ok = true;
		*start = r.start;
		*end = r.end;
	} else {
		ok = scan_plus_range(&sc, start, end);
	}
	tdxsim_scan_skip_space(&sc);
	if (!ok || !tdxsim_scan_at_end(&sc)) {
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "malformed range '%.*s' for '%s' (write 0xSTART+0xSIZE, [mem 0xFIRST-0xLAST] or [0xSTART, 0xEND))",
				    tdxsim_ywalk_clip(value->len), value->text, key);
		return false;
	}
	if (*start >= *end) {
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "range '%.*s' for '%s' is empty",
				    tdxsim_ywalk_clip(value->len), value->text, key);
		return false;
	}
	return true;
}

/* ---- loader: step subjects and modifiers ------------------------------------ */

static void
key_subject_range(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	get_range(w, value, key->text, &l->step->start, &l->step->end);
}

static void
key_subject_u64(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	uint64_t max = l->step->kind == STEP_RDMSR || l->step->kind == STEP_WRMSR
		? UINT32_MAX : UINT64_MAX;

	if (want_text(w, value, key->text))
		tdxsim_ywalk_get_u64(w, value, key->text, max, &l->step->start);
}

static void
key_subject_cr0(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	static const char *const words[] = { "none", "cd", "nw", "cd+nw" };
	struct loader *l = w->user;

	if (!want_text(w, value, key->text))
		return;
	for (size_t i = 0; i < ARRAY_LENGTH(words); i++) {
		if (strcmp(value->text, words[i]) == 0) {
			l->step->cd = (int)(i & 1);
			l->step->nw = (int)(i >> 1);
			return;
		}
	}
	tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
			    "'cr0' must be none, cd, nw or cd+nw, not '%.*s'",
			    tdxsim_ywalk_clip(value->len), value->text);
}

static void
key_who(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	if (!want_text(w, value, key->text))
		return;
	/* devm_ioremap_resource() needs "DRIVER DEVICE": the driver names the
	 * probe line, the whole string prefixes dev_err() (found by fuzzing:
	 * tools/fuzz/corpus/scenario/regress-device-without-driver.yaml). */
	if (strcmp(key->text, "device") == 0) {
		const char *space = strchr(value->text, ' ');

		if (!space || space == value->text || space[1] == '\0') {
			tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
					    "'device' must be \"DRIVER DEVICE\", e.g. \"tpm_tis MSFT0101:00\"");
			return;
		}
	}
	l->step->who = copy_text(w, value);
}

static void
key_note(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	/* A comment the report does not need; only its form is checked. */
	tdxsim_ywalk_want_scalar(w, value, key->text);
}

static void
key_value(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	if (want_text(w, value, key->text))
		tdxsim_ywalk_get_u64(w, value, "value", UINT64_MAX,
				     &l->step->value);
}

static void
key_reserve_type(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	int t = get_type(w, value, key->text);

	if (t >= 0)
		l->step->pcm = type_names[t].pcm;
}

static void
key_memory(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	static const char *const words[] = { "ram", "mmio", "private" };
	struct loader *l = w->user;

	if (!want_text(w, value, key->text))
		return;
	for (size_t i = 0; i < ARRAY_LENGTH(words); i++) {
		if (strcmp(value->text, words[i]) == 0) {
			l->step->memory = (enum ept_memory)i;
			return;
		}
	}
	tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
			    "'memory' must be ram, mmio or private, not '%.*s'",
			    tdxsim_ywalk_clip(value->len), value->text);
}

/* The boolean modifiers of an EPT step, by key. */
static int *
ept_flag(struct step *step, const char *key)
{
	if (strcmp(key, "tdp") == 0)
		return &step->tdp;
	if (strcmp(key, "noncoherent-dma") == 0)
		return &step->noncoherent_dma;
	if (strcmp(key, "ignore-guest-pat") == 0)
		return &step->ignore_guest_pat;
	return &step->hw_cd;
}

static void
key_ept_flag(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	get_bool(w, value, key->text, ept_flag(l->step, key->text));
}

static void
key_guest_pat(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	int t = get_type(w, value, key->text);

	if (t >= 0)
		l->step->guest_pat = type_names[t].mt;
}

/* ---- loader: expectations ------------------------------------------------------ */

static struct expect *
start_expect(struct loader *l, enum expect_kind kind, ynode *value)
{
	struct expect *e = &l->step->expect[kind];

	e->pos = tdxsim_ywalk_text_pos(value);
	return e;
}

static void
key_expect(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	struct expect *e = start_expect(l, EXP_OUTCOME, value);
	struct tdxsim_strbuf known;

	if (!want_text(w, value, key->text))
		return;
	for (unsigned o = 0; o < OUT_COUNT; o++) {
		if ((l->type->outcomes & (1u << o)) &&
		    strcmp(value->text, outcome_words[o]) == 0) {
			e->set = true;
			e->value = o;
			return;
		}
	}
	tdxsim_strbuf_init(&known);
	for (unsigned o = 0; o < OUT_COUNT; o++) {
		if (l->type->outcomes & (1u << o))
			tdxsim_strbuf_printf(&known, "%s%s", known.len ? ", " : "",
					     outcome_words[o]);
	}
	tdxsim_ywalk_refuse(w, e->pos,
			    "unknown outcome '%.*s' for '%s' (known: %s)",
			    tdxsim_ywalk_clip(value->len), value->text,
			    l->type->rules[0].key, tdxsim_strbuf_str(&known));
	tdxsim_strbuf_fini(&known);
}

static void
key_expect_pcm(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	enum expect_kind kind = strcmp(key->text, "expect-mapped") == 0
		? EXP_MAPPED : EXP_GRANTED;
	struct expect *e = start_expect(l, kind, value);
	int t = get_type(w, value, key->text);

	if (t < 0)
		return;
	e->set = true;
	e->value = type_names[t].pcm;
}

static void
key_expect_mt(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	enum expect_kind kind = strcmp(key->text, "expect-type") == 0
		? EXP_TYPE : EXP_EPT_TYPE;
	struct expect *e = start_expect(l, kind, value);
	int t = get_type(w, value, key->text);

	if (t < 0)
		return;
	e->set = true;
	e->value = type_names[t].mt;
}

static void
key_expect_bool(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	enum expect_kind kind = strcmp(key->text, "expect-uniform") == 0 ? EXP_UNIFORM
		: strcmp(key->text, "expect-ipat") == 0 ? EXP_IPAT : EXP_UNDEFINED;
	struct expect *e = start_expect(l, kind, value);
	int b;

	if (!get_bool(w, value, key->text, &b))
		return;
	e->set = true;
	e->value = (uint64_t)b;
}

static void
key_expect_value(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	struct expect *e = start_expect(l, EXP_VALUE, value);

	if (want_text(w, value, key->text))
		e->set = tdxsim_ywalk_get_u64(w, value, key->text, UINT64_MAX,
					      &e->value);
}

/* "0" or "-N" (the kernel's negative errno). */
static void
key_expect_errno(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	struct expect *e = start_expect(l, EXP_ERRNO, value);
	uint64_t n;
	bool negative;

	if (!want_text(w, value, key->text))
		return;
	negative = value->text[0] == '-';
	if (tdxsim_parse_u64(value->text + negative, value->len - negative, &n) < 0 ||
	    n > 4095 || (!negative && n != 0)) {
		tdxsim_ywalk_refuse(w, e->pos,
				    "'expect-errno' must be 0 or a negative errno such as -16, not '%.*s'",
				    tdxsim_ywalk_clip(value->len), value->text);
		return;
	}
	e->set = true;
	e->value = n;
}

/* ---- loader: the step kinds --------------------------------------------------- */

#define OUTS(x) (1u << (x))
#define MAP_OUTS (OUTS(OUT_MAPPED) | OUTS(OUT_FAIL))
#define RESERVE_OUTS (OUTS(OUT_OK) | OUTS(OUT_FAIL))
#define MSR_OUTS (OUTS(OUT_OK) | OUTS(OUT_GP) | OUTS(OUT_VE_OK) | \
		  OUTS(OUT_VE_FAIL) | OUTS(OUT_VE))

#define IOREMAP_RULES(name) \
	{ name, key_subject_range, true }, \
	{ "by", key_who, false }, \
	{ "note", key_note, false }, \
	{ "expect", key_expect, false }, \
	{ "expect-mapped", key_expect_pcm, false }

static const struct tdxsim_ywalk_rule rules_ioremap[] = { IOREMAP_RULES("ioremap") };
static const struct tdxsim_ywalk_rule rules_ioremap_uc[] = { IOREMAP_RULES("ioremap-uc") };
static const struct tdxsim_ywalk_rule rules_ioremap_wc[] = { IOREMAP_RULES("ioremap-wc") };
static const struct tdxsim_ywalk_rule rules_ioremap_wt[] = { IOREMAP_RULES("ioremap-wt") };
static const struct tdxsim_ywalk_rule rules_ioremap_cache[] = { IOREMAP_RULES("ioremap-cache") };

static const struct tdxsim_ywalk_rule rules_devm[] = {
	{ "devm-ioremap-resource", key_subject_range, true },
	{ "device", key_who, true },
	{ "note", key_note, false },
	{ "expect", key_expect, false },
};

static const struct tdxsim_ywalk_rule rules_reserve[] = {
	{ "memtype-reserve", key_subject_range, true },
	{ "type", key_reserve_type, true },
	{ "note", key_note, false },
	{ "expect", key_expect, false },
	{ "expect-errno", key_expect_errno, false },
	{ "expect-granted", key_expect_pcm, false },
};

static const struct tdxsim_ywalk_rule rules_free[] = {
	{ "memtype-free", key_subject_range, true },
	{ "note", key_note, false },
	{ "expect", key_expect, false },
	{ "expect-errno", key_expect_errno, false },
};

static const struct tdxsim_ywalk_rule rules_lookup[] = {
	{ "lookup", key_subject_range, true },
	{ "note", key_note, false },
	{ "expect-type", key_expect_mt, false },
	{ "expect-uniform", key_expect_bool, false },
};

static const struct tdxsim_ywalk_rule rules_hw_lookup[] = {
	{ "hw-lookup", key_subject_u64, true },
	{ "note", key_note, false },
	{ "expect-type", key_expect_mt, false },
	{ "expect-undefined", key_expect_bool, false },
};

static const struct tdxsim_ywalk_rule rules_rdmsr[] = {
	{ "rdmsr", key_subject_u64, true },
	{ "note", key_note, false },
	{ "expect", key_expect, false },
	{ "expect-value", key_expect_value, false },
};

static const struct tdxsim_ywalk_rule rules_wrmsr[] = {
	{ "wrmsr", key_subject_u64, true },
	{ "value", key_value, true },
	{ "note", key_note, false },
	{ "expect", key_expect, false },
};

static const struct tdxsim_ywalk_rule rules_cr0[] = {
	{ "cr0", key_subject_cr0, true },
	{ "note", key_note, false },
	{ "expect", key_expect, false },
};

static const struct tdxsim_ywalk_rule rules_ept[] = {
	{ "ept", key_subject_u64, true },
	{ "memory", key_memory, true },
	{ "tdp", key_ept_flag, false },
	{ "noncoherent-dma", key_ept_flag, false },
	{ "ignore-guest-pat", key_ept_flag, false },
	{ "cr0-cd", key_ept_flag, false },
	{ "guest-pat", key_guest_pat, false },
	{ "note", key_note, false },
	{ "expect-ept-type", key_expect_mt, false },
	{ "expect-ipat", key_expect_bool, false },
	{ "expect-type", key_expect_mt, false },
};

#define STEP_TYPE(rules, outs, guest) \
	{ rules, ARRAY_LENGTH(rules), outs, guest }

static const struct step_type step_types[STEP_KIND_COUNT] = {
	[STEP_IOREMAP] = STEP_TYPE(rules_ioremap, MAP_OUTS, true),
	[STEP_IOREMAP_UC] = STEP_TYPE(rules_ioremap_uc, MAP_OUTS, true),
	[STEP_IOREMAP_WC] = STEP_TYPE(rules_ioremap_wc, MAP_OUTS, true),
	[STEP_IOREMAP_WT] = STEP_TYPE(rules_ioremap_wt, MAP_OUTS, true),
	[STEP_IOREMAP_CACHE] = STEP_TYPE(rules_ioremap_cache, MAP_OUTS, true),
	[STEP_DEVM] = STEP_TYPE(rules_devm, MAP_OUTS, true),
	[STEP_RESERVE] = STEP_TYPE(rules_reserve, RESERVE_OUTS, true),
	[STEP_FREE] = STEP_TYPE(rules_free, RESERVE_OUTS, true),
	[STEP_LOOKUP] = STEP_TYPE(rules_lookup, 0, true),
	[STEP_HW_LOOKUP] = STEP_TYPE(rules_hw_lookup, 0, false),
	[STEP_RDMSR] = STEP_TYPE(rules_rdmsr, MSR_OUTS, false),
	[STEP_WRMSR] = STEP_TYPE(rules_wrmsr, MSR_OUTS, false),
	[STEP_CR0] = STEP_TYPE(rules_cr0, MSR_OUTS, false),
	[STEP_EPT] = STEP_TYPE(rules_ept, 0, false),
};

/* ---- loader: steps ----------------------------------------------------------- */

/* The kind named by a step's first key, or -1 after refusing it. */
static int
find_step_kind(struct loader *l, ynode *item)
{
	struct tdxsim_strbuf known;
	ynode *key;

	if (!tdxsim_ywalk_want_mapping(&l->w, item, "a step"))
		return -1;
	if (item->count == 0) {
		tdxsim_ywalk_refuse(&l->w, item->pos, "step %zu is empty",
				    l->step_index);
		return -1;
	}
	key = item->children[0];
	for (int k = 0; k < STEP_KIND_COUNT; k++) {
		if (tdxsim_ywalk_key_is(key, step_types[k].rules[0].key))
			return k;
	}
	tdxsim_strbuf_init(&known);
	for (int k = 0; k < STEP_KIND_COUNT; k++)
		tdxsim_strbuf_printf(&known, "%s%s", k ? ", " : "",
				     step_types[k].rules[0].key);
	tdxsim_ywalk_refuse(&l->w, key->pos,
			    "unknown step '%.*s' (a step starts with its action; known: %s)",
			    key->kind == TDXSIM_YNODE_SCALAR ? tdxsim_ywalk_clip(key->len) : 0,
			    key->kind == TDXSIM_YNODE_SCALAR ? key->text : "",
			    tdxsim_strbuf_str(&known));
	tdxsim_strbuf_fini(&known);
	return -1;
}

/* The expectation keys of a kind, for "states no expectation". */
static void
refuse_no_expectation(struct loader *l, ynode *item)
{
	struct tdxsim_strbuf known;

	tdxsim_strbuf_init(&known);
	for (size_t r = 0; r < l->type->rule_count; r++) {
		if (strncmp(l->type->rules[r].key, "expect", 6) == 0)
			tdxsim_strbuf_printf(&known, "%s%s", known.len ? ", " : "",
					     l->type->rules[r].key);
	}
	tdxsim_ywalk_refuse(&l->w, item->pos,
			    "step %zu (%s) states no expectation (add one of: %s)",
			    l->step_index, l->type->rules[0].key, tdxsim_strbuf_str(&known));
	tdxsim_strbuf_fini(&known);
}

static void
check_step(struct loader *l, ynode *item)
{
	bool any = false;

	for (int e = 0; e < EXP_KIND_COUNT; e++)
		any |= l->step->expect[e].set;
	/* A refused expectation already said what is wrong with it. */
	for (size_t i = 0; !any && i < item->count; i += 2)
		any |= item->children[i]->kind == TDXSIM_YNODE_SCALAR &&
		       strncmp(item->children[i]->text, "expect", 6) == 0;
	if (!any)
		refuse_no_expectation(l, item);
	if (l->type->needs_guest && !l->s->has_guest)
		tdxsim_ywalk_refuse(&l->w, l->step->pos,
				    "step %zu (%s) needs a Linux guest: add the 'guest' mapping",
				    l->step_index, l->type->rules[0].key);
}

static struct step *
new_step(struct loader *l)
{
	struct tdxsim_scenario *s = l->s;
	struct step *step;

	if (tdxsim_array_reserve((void **)&s->steps, &s->step_capacity,
				 s->step_count + 1, sizeof(*s->steps)) < 0) {
		note_oom(&l->w);
		return NULL;
	}
	step = &s->steps[s->step_count++];
	memset(step, 0, sizeof(*step));
	step->tdp = 1;
	step->ignore_guest_pat = 1;
	step->guest_pat = TDXSIM_MT_WB;
	return step;
}

static void
read_step(struct loader *l, ynode *item)
{
	char context[64];
	int kind = find_step_kind(l, item);

	if (kind < 0)
		return;
	l->step = new_step(l);
	if (!l->step)
		return;
	l->type = &step_types[kind];
	l->step->kind = (enum step_kind)kind;
	l->step->pos = item->children[0]->pos;
	snprintf(context, sizeof(context), "step %zu (%s)", l->step_index,
		 l->type->rules[0].key);
	tdxsim_ywalk_mapping(&l->w, item, context, l->type->rules,
			     l->type->rule_count);
	check_step(l, item);
}

static void
key_steps(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	(void)key;
	if (!tdxsim_ywalk_want_kind(w, value, TDXSIM_YNODE_SEQUENCE, "'steps'"))
		return;
	if (value->count == 0)
		tdxsim_ywalk_refuse(w, value->pos, "'steps' is empty");
	for (size_t i = 0; i < value->count && w->error != -ENOMEM; i++) {
		l->step_index = i + 1;
		read_step(l, value->children[i]);
	}
}

/* ---- loader: the guest ---------------------------------------------------------- */

static void
key_guest_bool(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	struct tdxsim_linux_guest_config *g = &l->s->guest;
	int *flag = strcmp(key->text, "force-mtrr") == 0 ? &g->force_mtrr
		: strcmp(key->text, "pci-hole-fix") == 0 ? &g->pci_hole_fix
		: &g->pat_enabled;

	get_bool(w, value, key->text, flag);
}

static void
key_tolud(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	(void)key;
	/* TOLUD is PFN_PHYS(e820__end_of_low_ram_pfn()) in kvm_init_platform()
	 * (0dccbc75e18d): at most 4 GiB (the function caps the PFN there, and a
	 * guest without a hole reaches it), on a page boundary (the guest
	 * refuses anything else; found by fuzzing:
	 * tools/fuzz/corpus/scenario/regress-tolud-unaligned.yaml). */
	if (!want_text(w, value, "tolud") ||
	    !tdxsim_ywalk_get_u64(w, value, "tolud", FOUR_GIB,
				  &l->s->guest.tolud))
		return;
	if (l->s->guest.tolud == 0 || (l->s->guest.tolud & 0xfff))
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "'tolud' must be a non-zero multiple of 4 KiB");
}

static bool
get_phys_bits(struct tdxsim_ywalk *w, ynode *value, const char *key,
	      unsigned *out)
{
	uint64_t v;

	if (!want_text(w, value, key) ||
	    !tdxsim_ywalk_get_u64(w, value, key, MAX_PHYS_BITS, &v))
		return false;
	if (v < MIN_PHYS_BITS) {
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "'%s' must be from %d to %d, not %" PRIu64,
				    key, MIN_PHYS_BITS, MAX_PHYS_BITS, v);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

static void
key_guest_phys_bits(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	l->has_phys_bits = get_phys_bits(w, value, key->text,
					 &l->s->guest.phys_bits);
}

static const struct tdxsim_ywalk_rule guest_rules[] = {
	{ "force-mtrr", key_guest_bool, true },
	{ "pci-hole-fix", key_guest_bool, false },
	{ "tolud", key_tolud, false },
	{ "phys-bits", key_guest_phys_bits, false },
	{ "pat", key_guest_bool, false },
};

static void
read_guest(struct loader *l, ynode *value)
{
	struct tdxsim_linux_guest_config *g = &l->s->guest;

	g->pat_enabled = 1;
	g->tolud = 0x80000000u;
	tdxsim_ywalk_mapping(&l->w, value, "'guest'", guest_rules,
			     ARRAY_LENGTH(guest_rules));
	/* x86_phys_bits is the CPU's MAXPHYADDR unless stated otherwise. */
	if (!l->has_phys_bits)
		g->phys_bits = l->s->maxphyaddr;
}

static void
key_guest(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	(void)key;
	l->s->has_guest = true;
	l->guest = value;
}

/* ---- loader: expected text blocks ------------------------------------------------- */

static bool
add_block_line(struct text_block *b, const char *text, size_t len,
	       struct tdxsim_pos pos)
{
	char *copy;

	if (tdxsim_array_reserve((void **)&b->lines, &b->capacity,
				 b->count + 1, sizeof(*b->lines)) < 0 ||
	    tdxsim_array_reserve((void **)&b->line_pos, &b->pos_capacity,
				 b->count + 1, sizeof(*b->line_pos)) < 0)
		return false;
	copy = tdxsim_strndup(text, len);
	if (!copy)
		return false;
	b->lines[b->count] = copy;
	b->line_pos[b->count++] = pos;
	return true;
}

static void
read_block(struct tdxsim_ywalk *w, ynode *key, ynode *value,
	   struct text_block *b)
{
	struct tdxsim_yline line = { 0 };

	b->set = true;
	b->pos = tdxsim_ywalk_text_pos(value);
	if (!tdxsim_ywalk_want_scalar(w, value, key->text))
		return;
	/* An empty value states that nothing is printed. */
	if (value->len == 0)
		return;
	if (value->style != TDXSIM_YSCALAR_LITERAL) {
		tdxsim_ywalk_refuse(w, value->pos,
				    "'%s' must be a literal block ('|'), one line per line, or empty",
				    key->text);
		return;
	}
	while (tdxsim_ydoc_next_block_line(&w->doc, value, &line)) {
		if (!add_block_line(b, line.text, line.len, line.pos)) {
			note_oom(w);
			return;
		}
	}
}

static void
key_expect_lines(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	if (!l->s->has_guest)
		tdxsim_ywalk_refuse(w, key->pos,
				    "'expect-lines' needs a Linux guest: add the 'guest' mapping");
	read_block(w, key, value, &l->s->lines);
}

static void
key_expect_tree(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	if (!l->s->has_guest)
		tdxsim_ywalk_refuse(w, key->pos,
				    "'expect-tree' needs a Linux guest: add the 'guest' mapping");
	read_block(w, key, value, &l->s->tree);
}

/* ---- loader: the document --------------------------------------------------------- */

static void
key_format(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	(void)key;
	if (!tdxsim_ywalk_want_kind(w, value, TDXSIM_YNODE_SCALAR,
				    "'tdxsim-scenario'"))
		return;
	if (value->len != 1 || value->text[0] != '1')
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "unsupported scenario format '%.*s' (this tdxsim reads format 1)",
				    tdxsim_ywalk_clip(value->len), value->text);
}

static void
key_name(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	if (want_text(w, value, key->text))
		l->s->name = copy_text(w, value);
}

static void
key_source(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	if (want_text(w, value, key->text))
		l->s->source = copy_text(w, value);
}

static void
key_description(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	tdxsim_ywalk_want_scalar(w, value, key->text);
}

static void
refuse_profile(struct tdxsim_ywalk *w, ynode *value)
{
	struct tdxsim_strbuf known;
	struct tdxsim_suggest suggest;
	const char *best;

	tdxsim_strbuf_init(&known);
	tdxsim_suggest_init(&suggest, value->text, value->len);
	for (int p = 0; p < TDXSIM_MTRR_PROFILE_COUNT; p++) {
		const char *name = tdxsim_mtrr_profile_name((enum tdxsim_mtrr_profile)p);

		tdxsim_strbuf_printf(&known, "%s%s", p ? ", " : "",
				     name ? name : "?");
		tdxsim_suggest_try(&suggest, name);
	}
	best = tdxsim_suggest_best(&suggest);
	tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
			    "unknown profile '%.*s' (known: %s)%s%s%s",
			    tdxsim_ywalk_clip(value->len), value->text,
			    tdxsim_strbuf_str(&known), best ? "; did you mean '" : "",
			    best ? best : "", best ? "'?" : "");
	tdxsim_strbuf_fini(&known);
}

static void
key_profile(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	if (!want_text(w, value, key->text))
		return;
	if (tdxsim_mtrr_profile_from_name(value->text, &l->s->profile) == 0)
		l->has_profile = true;
	else
		refuse_profile(w, value);
}

static void
key_maxphyaddr(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	get_phys_bits(w, value, key->text, &l->s->maxphyaddr);
}

static const struct tdxsim_ywalk_rule top_rules[] = {
	{ "tdxsim-scenario", key_format, true },
	{ "name", key_name, true },
	{ "description", key_description, false },
	{ "source", key_source, false },
	{ "profile", key_profile, true },
	{ "maxphyaddr", key_maxphyaddr, false },
	{ "guest", key_guest, false },
	{ "steps", key_steps, true },
	{ "expect-lines", key_expect_lines, false },
	{ "expect-tree", key_expect_tree, false },
};

/* The guest mapping needs maxphyaddr and the steps need to know whether
 * there is a guest: both are found before the walk proper. */
static void
prescan(struct loader *l)
{
	ynode *root = l->w.doc.root;

	if (!root || root->kind != TDXSIM_YNODE_MAPPING)
		return;
	for (size_t i = 0; i + 1 < root->count; i += 2) {
		ynode *key = root->children[i], *value = root->children[i + 1];

		if (tdxsim_ywalk_key_is(key, "guest"))
			l->s->has_guest = true;
		if (tdxsim_ywalk_key_is(key, "maxphyaddr") &&
		    value->kind == TDXSIM_YNODE_SCALAR) {
			uint64_t v;

			if (tdxsim_parse_u64(value->text, value->len, &v) == 0 &&
			    v >= MIN_PHYS_BITS && v <= MAX_PHYS_BITS)
				l->s->maxphyaddr = (unsigned)v;
		}
	}
}

static int
load(struct loader *l, const char *text, size_t len)
{
	int ret = tdxsim_ydoc_parse(&l->w.doc, l->w.name, text, len, l->w.diag);

	if (ret < 0)
		return ret;
	if (!l->w.doc.root) {
		tdxsim_ywalk_refuse(&l->w, (struct tdxsim_pos){ 1, 1 },
				    "empty scenario: expected a mapping starting with 'tdxsim-scenario: 1'");
		return l->w.error;
	}
	prescan(l);
	tdxsim_ywalk_mapping(&l->w, l->w.doc.root, "the scenario", top_rules,
			     ARRAY_LENGTH(top_rules));
	if (l->guest && l->w.error != -ENOMEM)
		read_guest(l, l->guest);
	return l->w.error;
}

/* ---- the object ---------------------------------------------------------------- */

static void
block_fini(struct text_block *b)
{
	for (size_t i = 0; i < b->count; i++)
		free(b->lines[i]);
	free(b->lines);
	free(b->line_pos);
}

TDXSIM_EXPORT void
tdxsim_scenario_free(struct tdxsim_scenario *scenario)
{
	if (!scenario)
		return;
	for (size_t i = 0; i < scenario->step_count; i++)
		free(scenario->steps[i].who);
	free(scenario->steps);
	block_fini(&scenario->lines);
	block_fini(&scenario->tree);
	free(scenario->file);
	free(scenario->name);
	free(scenario->source);
	free(scenario);
}

TDXSIM_EXPORT const char *
tdxsim_scenario_name(const struct tdxsim_scenario *scenario)
{
	return scenario ? scenario->name : NULL;
}

TDXSIM_EXPORT const char *
tdxsim_scenario_source(const struct tdxsim_scenario *scenario)
{
	return scenario ? scenario->source : NULL;
}

TDXSIM_EXPORT size_t
tdxsim_scenario_step_count(const struct tdxsim_scenario *scenario)
{
	return scenario ? scenario->step_count : 0;
}

TDXSIM_EXPORT int
tdxsim_scenario_load_buffer(const char *name, const char *text, size_t len,
			    struct tdxsim_scenario **out,
			    struct tdxsim_diag *diag)
{
	struct loader l = { .w = {
		.diag = diag,
		.name = name ? name : "<scenario>",
		.user = &l,
		.overflow_says_64_bits = true,
	} };
	int ret;

	if (!out || (!text && len))
		return -EINVAL;
	ret = tdxsim_ywalk_check_size(diag, l.w.name, len, MAX_SCENARIO_BYTES,
				      "scenario");
	if (ret < 0)
		return ret;
	l.s = calloc(1, sizeof(*l.s));
	if (!l.s)
		return -ENOMEM;
	l.s->maxphyaddr = 48;
	l.s->file = tdxsim_strndup(l.w.name, strlen(l.w.name));
	ret = l.s->file ? load(&l, text ? text : "", len) : -ENOMEM;
	tdxsim_ydoc_fini(&l.w.doc);
	if (ret < 0) {
		tdxsim_scenario_free(l.s);
		return ret;
	}
	*out = l.s;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_scenario_load_file(const char *path, struct tdxsim_scenario **out,
			  struct tdxsim_diag *diag)
{
	char *text;
	size_t len;
	int ret;

	if (!path || !out)
		return -EINVAL;
	ret = tdxsim_ywalk_read_file(path, MAX_SCENARIO_BYTES, &text, &len,
				     diag);
	if (ret < 0)
		return ret;
	ret = tdxsim_scenario_load_buffer(path, text, len, out, diag);
	free(text);
	return ret;
}

/* ---- runner: state and checks ------------------------------------------------------ */

struct runner {
	const struct tdxsim_scenario *s;
	struct tdxsim_mtrr_bank *bank;
	struct tdxsim_linux_guest *guest;
	struct tdxsim_strbuf out;
	struct tdxsim_scenario_result result;
};

/* Count one expectation; report it when it is not met. */
static void
verdict(struct runner *r, const struct expect *e, const char *key, bool met,
	const char *want, const char *got)
{
	r->result.expectations++;
	if (met) {
		r->result.met++;
		return;
	}
	r->result.failed++;
	tdxsim_strbuf_printf(&r->out, "  %s:%u:%u: %s: expected %s, got %s\n",
			     r->s->file, e->pos.line, e->pos.column, key, want,
			     got);
}

static void
check_word(struct runner *r, const struct step *step, enum outcome got)
{
	const struct expect *e = &step->expect[EXP_OUTCOME];

	if (e->set)
		verdict(r, e, "expect", e->value == got,
			outcome_words[e->value], outcome_words[got]);
}

static void
check_pcm(struct runner *r, const struct expect *e, const char *key,
	  bool have, enum tdxsim_pcm got)
{
	if (e->set)
		verdict(r, e, key, have && e->value == got,
			pcm_short((enum tdxsim_pcm)e->value),
			have ? pcm_short(got) : "no mapping");
}

static void
check_mt(struct runner *r, const struct expect *e, const char *key,
	 enum tdxsim_mt got)
{
	if (e->set)
		verdict(r, e, key, e->value == got,
			mt_short((enum tdxsim_mt)e->value), mt_short(got));
}

static void
check_bool(struct runner *r, const struct expect *e, const char *key, int got)
{
	if (e->set)
		verdict(r, e, key, e->value == (uint64_t)(got != 0),
			e->value ? "true" : "false", got ? "true" : "false");
}

static void
check_u64(struct runner *r, const struct expect *e, const char *key,
	  bool have, uint64_t got)
{
	char want_text[24], got_text[24];

	if (!e->set)
		return;
	snprintf(want_text, sizeof(want_text), "0x%" PRIx64, e->value);
	snprintf(got_text, sizeof(got_text), "0x%" PRIx64, got);
	verdict(r, e, key, have && e->value == got, want_text,
		have ? got_text : "no value");
}

/* ---- runner: steps on the guest ------------------------------------------------------ */

static int
need_guest(struct runner *r)
{
	if (r->guest)
		return 0;
	return tdxsim_linux_guest_new(&r->s->guest, r->bank, &r->guest);
}

static const char *const ioremap_names[] = {
	[TDXSIM_IOREMAP] = "ioremap",
	[TDXSIM_IOREMAP_UC] = "ioremap_uc",
	[TDXSIM_IOREMAP_WC] = "ioremap_wc",
	[TDXSIM_IOREMAP_WT] = "ioremap_wt",
	[TDXSIM_IOREMAP_CACHE] = "ioremap_cache",
};

static int
run_ioremap(struct runner *r, const struct step *step)
{
	enum tdxsim_ioremap_kind kind =
		(enum tdxsim_ioremap_kind)(step->kind - STEP_IOREMAP);
	enum tdxsim_pcm mapped = TDXSIM_PCM_WB;
	int ret = tdxsim_linux_ioremap(r->guest, kind, step->start,
				       step->end - step->start, &mapped);

	if (ret < 0)
		return ret;
	tdxsim_strbuf_printf(&r->out, "%s(0x%" PRIx64 ", 0x%" PRIx64 ")%s%s: ",
			     ioremap_names[kind], step->start,
			     step->end - step->start, step->who ? " by " : "",
			     step->who ? step->who : "");
	if (ret)
		tdxsim_strbuf_printf(&r->out, "mapped %s\n", pcm_short(mapped));
	else
		tdxsim_strbuf_puts(&r->out, "NULL\n");
	check_word(r, step, ret ? OUT_MAPPED : OUT_FAIL);
	check_pcm(r, &step->expect[EXP_MAPPED], "expect-mapped", ret, mapped);
	return 0;
}

static int
run_devm(struct runner *r, const struct step *step)
{
	int ret = tdxsim_linux_devm_ioremap_resource(r->guest, step->who,
						     step->start,
						     step->end - 1);

	if (ret < 0)
		return ret;
	tdxsim_strbuf_printf(&r->out,
			     "devm_ioremap_resource([mem 0x%08" PRIx64 "-0x%08" PRIx64 "]) for %s: %s\n",
			     step->start, step->end - 1, step->who,
			     ret ? "mapped" : "failed");
	check_word(r, step, ret ? OUT_MAPPED : OUT_FAIL);
	return 0;
}

static void
check_errno(struct runner *r, const struct step *step, int ret)
{
	const struct expect *e = &step->expect[EXP_ERRNO];
	char want[16], got[16];

	check_word(r, step, ret ? OUT_FAIL : OUT_OK);
	if (!e->set)
		return;
	snprintf(want, sizeof(want), "%d", -(int)e->value);
	snprintf(got, sizeof(got), "%d", ret);
	verdict(r, e, "expect-errno", -(int)e->value == ret, want, got);
}

static int
run_reserve(struct runner *r, const struct step *step)
{
	enum tdxsim_pcm granted = step->pcm;
	int ret = tdxsim_linux_memtype_reserve(r->guest, step->start, step->end,
					       step->pcm, &granted);

	tdxsim_strbuf_printf(&r->out,
			     "memtype_reserve(0x%" PRIx64 ", 0x%" PRIx64 ", %s): %d",
			     step->start, step->end, pcm_short(step->pcm), ret);
	if (ret == 0)
		tdxsim_strbuf_printf(&r->out, ", granted %s", pcm_short(granted));
	tdxsim_strbuf_puts(&r->out, "\n");
	check_errno(r, step, ret);
	check_pcm(r, &step->expect[EXP_GRANTED], "expect-granted", ret == 0,
		  granted);
	return 0;
}

static int
run_free(struct runner *r, const struct step *step)
{
	int ret = tdxsim_linux_memtype_free(r->guest, step->start, step->end);

	tdxsim_strbuf_printf(&r->out, "memtype_free(0x%" PRIx64 ", 0x%" PRIx64 "): %d\n",
			     step->start, step->end, ret);
	check_errno(r, step, ret);
	return 0;
}

static int
run_lookup(struct runner *r, const struct step *step)
{
	int uniform = 0;
	enum tdxsim_mt mt = tdxsim_linux_mtrr_lookup(r->guest, step->start,
						     step->end, &uniform);

	tdxsim_strbuf_printf(&r->out,
			     "mtrr_type_lookup(0x%" PRIx64 ", 0x%" PRIx64 "): %s, %s\n",
			     step->start, step->end, mt_short(mt),
			     uniform ? "uniform" : "not uniform");
	check_mt(r, &step->expect[EXP_TYPE], "expect-type", mt);
	check_bool(r, &step->expect[EXP_UNIFORM], "expect-uniform", uniform);
	return 0;
}

/* ---- runner: steps on the vCPU and the hypervisor ------------------------------------ */

static int
run_hw_lookup(struct runner *r, const struct step *step)
{
	int undefined = 0;
	enum tdxsim_mt mt = tdxsim_mtrr_hw_type(r->bank, step->start, &undefined);

	tdxsim_strbuf_printf(&r->out, "MTRR type of 0x%" PRIx64 " (SDM rules): %s%s\n",
			     step->start, mt_short(mt),
			     undefined ? " (undefined overlap)" : "");
	check_mt(r, &step->expect[EXP_TYPE], "expect-type", mt);
	check_bool(r, &step->expect[EXP_UNDEFINED], "expect-undefined",
		   undefined);
	return 0;
}

static enum outcome
msr_outcome(enum tdxsim_msr_outcome o)
{
	switch (o) {
	case TDXSIM_MSR_OK:
		return OUT_OK;
	case TDXSIM_MSR_GP:
		return OUT_GP;
	case TDXSIM_MSR_VE_OK:
		return OUT_VE_OK;
	case TDXSIM_MSR_VE_FAIL:
		return OUT_VE_FAIL;
	case TDXSIM_MSR_VE:
	default:
		return OUT_VE;
	}
}

static int
run_msr(struct runner *r, const struct step *step)
{
	struct tdxsim_msr_result res = { TDXSIM_MSR_OK, 0, 0 };
	enum outcome o;
	int ret;

	if (step->kind == STEP_RDMSR)
		ret = tdxsim_mtrr_rdmsr(r->bank, (uint32_t)step->start, &res);
	else if (step->kind == STEP_WRMSR)
		ret = tdxsim_mtrr_wrmsr(r->bank, (uint32_t)step->start,
					step->value, &res);
	else
		ret = tdxsim_mtrr_cr0_write(r->bank, step->cd, step->nw, &res);
	if (ret < 0)
		return ret;
	o = msr_outcome(res.outcome);
	if (step->kind == STEP_RDMSR)
		tdxsim_strbuf_printf(&r->out, "rdmsr 0x%" PRIx64 ": %s", step->start,
				     outcome_words[o]);
	else if (step->kind == STEP_WRMSR)
		tdxsim_strbuf_printf(&r->out, "wrmsr 0x%" PRIx64 " = 0x%" PRIx64 ": %s",
				     step->start, step->value, outcome_words[o]);
	else
		tdxsim_strbuf_printf(&r->out, "mov cr0 (cd=%d nw=%d): %s",
				     step->cd, step->nw, outcome_words[o]);
	if (step->kind == STEP_RDMSR && (o == OUT_OK || o == OUT_VE_OK))
		tdxsim_strbuf_printf(&r->out, " 0x%" PRIx64, res.value);
	tdxsim_strbuf_puts(&r->out, "\n");
	check_word(r, step, o);
	check_u64(r, &step->expect[EXP_VALUE], "expect-value",
		  o == OUT_OK || o == OUT_VE_OK, res.value);
	return 0;
}

static const char *const memory_names[] = { "ram", "mmio", "private" };

static int
run_ept(struct runner *r, const struct step *step)
{
	struct tdxsim_ept_context ctx = {
		.profile = r->s->profile,
		.tdp = step->tdp,
		.noncoherent_dma = step->noncoherent_dma,
		.ignore_guest_pat = step->ignore_guest_pat,
		.is_mmio = step->memory == MEM_MMIO,
		.is_private = step->memory == MEM_PRIVATE,
		.guest_mtrrs = r->bank,
	};
	enum tdxsim_mt mt = TDXSIM_MT_UC, eff = TDXSIM_MT_UC;
	int ipat = 0, ret;

	tdxsim_ept_memtype(&ctx, step->start, &mt, &ipat);
	ret = tdxsim_ept_effective(mt, ipat, step->guest_pat, step->hw_cd, &eff);
	tdxsim_strbuf_printf(&r->out,
			     "EPT for 0x%" PRIx64 " (%s, guest PAT %s): MT %s, IPAT %d, effective %s\n",
			     step->start, memory_names[step->memory],
			     mt_short(step->guest_pat), mt_short(mt), ipat,
			     ret < 0 ? "EPT misconfiguration" : mt_short(eff));
	check_mt(r, &step->expect[EXP_EPT_TYPE], "expect-ept-type", mt);
	check_bool(r, &step->expect[EXP_IPAT], "expect-ipat", ipat);
	if (ret < 0 && step->expect[EXP_TYPE].set)
		verdict(r, &step->expect[EXP_TYPE], "expect-type", false,
			mt_short((enum tdxsim_mt)step->expect[EXP_TYPE].value),
			"EPT misconfiguration");
	else
		check_mt(r, &step->expect[EXP_TYPE], "expect-type", eff);
	return 0;
}

static int
run_step(struct runner *r, size_t index, const struct step *step)
{
	int ret = step_types[step->kind].needs_guest ? need_guest(r) : 0;

	if (ret < 0)
		return ret;
	tdxsim_strbuf_printf(&r->out, "step %zu (line %u): ", index + 1,
			     step->pos.line);
	switch (step->kind) {
	case STEP_DEVM:
		return run_devm(r, step);
	case STEP_RESERVE:
		return run_reserve(r, step);
	case STEP_FREE:
		return run_free(r, step);
	case STEP_LOOKUP:
		return run_lookup(r, step);
	case STEP_HW_LOOKUP:
		return run_hw_lookup(r, step);
	case STEP_RDMSR:
	case STEP_WRMSR:
	case STEP_CR0:
		return run_msr(r, step);
	case STEP_EPT:
		return run_ept(r, step);
	default:
		return run_ioremap(r, step);
	}
}

/* ---- runner: the kernel's lines and the memtype tree ------------------------------------ */

/* One memtype entry as /sys/kernel/debug/x86/pat_memtype_list shows it
 * (memtype_seq_show(): the end is exclusive there). */
static void
format_entry(char *buf, size_t size, const struct tdxsim_memtype_entry *e)
{
	snprintf(buf, size, "PAT: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "] %s",
		 e->start, e->end, tdxsim_pcm_name(e->type));
}

/* Compare printed lines with an expected block: one expectation. */
static void
check_block(struct runner *r, const struct text_block *b, const char *key,
	    const char *const *got, size_t n)
{
	size_t i = 0;
	struct expect e = { .set = true, .pos = b->pos };
	char want_text[320], got_text[320];

	while (i < n && i < b->count && strcmp(got[i], b->lines[i]) == 0)
		i++;
	if (i == n && i == b->count) {
		verdict(r, &e, key, true, "", "");
		return;
	}
	if (i < b->count)
		e.pos = b->line_pos[i];
	/* The first difference is enough to find the rest with a diff. */
	if (i < b->count)
		snprintf(want_text, sizeof(want_text), "\"%.300s\"", b->lines[i]);
	else
		snprintf(want_text, sizeof(want_text), "no line %zu", i + 1);
	if (i < n)
		snprintf(got_text, sizeof(got_text), "\"%.300s\"", got[i]);
	else
		snprintf(got_text, sizeof(got_text), "no line %zu", i + 1);
	verdict(r, &e, key, false, want_text, got_text);
}

static void
report_lines(struct runner *r, const char **lines, size_t n)
{
	tdxsim_strbuf_puts(&r->out, "kernel lines:\n");
	for (size_t i = 0; i < n; i++)
		tdxsim_strbuf_printf(&r->out, "%s\n", lines[i]);
	if (r->s->lines.set)
		check_block(r, &r->s->lines, "expect-lines", lines, n);
}

static int
report_kernel(struct runner *r)
{
	size_t n = r->guest ? tdxsim_linux_guest_line_count(r->guest) : 0;
	const char **lines = calloc(n ? n : 1, sizeof(*lines));

	if (!lines)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		lines[i] = tdxsim_linux_guest_line(r->guest, i);
		if (!lines[i])
			lines[i] = "";
	}
	report_lines(r, lines, n);
	free(lines);
	return 0;
}

static int
report_tree(struct runner *r)
{
	size_t n = tdxsim_linux_memtype_count(r->guest);
	char **entries = calloc(n ? n : 1, sizeof(*entries));
	int ret = entries ? 0 : -ENOMEM;

	for (size_t i = 0; i < n && ret == 0; i++) {
		const struct tdxsim_memtype_entry *e =
			tdxsim_linux_memtype_entry(r->guest, i);

		entries[i] = malloc(96);
		if (!entries[i] || !e)
			ret = entries[i] ? -EINVAL : -ENOMEM;
		else
			format_entry(entries[i], 96, e);
	}
	if (ret == 0) {
		tdxsim_strbuf_puts(&r->out, "memtype tree:\n");
		for (size_t i = 0; i < n; i++)
			tdxsim_strbuf_printf(&r->out, "%s\n", entries[i]);
		if (r->s->tree.set)
			check_block(r, &r->s->tree, "expect-tree",
				    (const char *const *)entries, n);
	}
	for (size_t i = 0; entries && i < n; i++)
		free(entries[i]);
	free(entries);
	return ret;
}

/* ---- runner: entry point ---------------------------------------------------------------- */

static int
run_all(struct runner *r)
{
	const struct tdxsim_scenario *s = r->s;
	struct tdxsim_mtrr_config config;
	int ret;

	tdxsim_mtrr_config_init(&config, s->profile);
	config.maxphyaddr = s->maxphyaddr;
	ret = tdxsim_mtrr_bank_new(&config, &r->bank);
	tdxsim_strbuf_printf(&r->out, "scenario %s (%s, profile %s)\n", s->name,
			     s->file, tdxsim_mtrr_profile_name(s->profile));
	for (size_t i = 0; i < s->step_count && ret == 0; i++)
		ret = run_step(r, i, &s->steps[i]);
	/* A scenario with a guest shows its boot lines even without guest steps. */
	if (ret == 0 && s->has_guest)
		ret = need_guest(r);
	/* Only a guest kernel prints lines and tracks memory types. */
	if (ret == 0 && r->guest)
		ret = report_kernel(r);
	if (ret == 0 && r->guest)
		ret = report_tree(r);
	tdxsim_strbuf_printf(&r->out, "%s: %zu expectations, %zu met, %zu failed\n",
			     s->name, r->result.expectations, r->result.met,
			     r->result.failed);
	return ret;
}

TDXSIM_EXPORT int
tdxsim_scenario_run(const struct tdxsim_scenario *scenario, FILE *report,
		    struct tdxsim_scenario_result *result)
{
	struct runner r = { .s = scenario };
	int ret;

	if (!scenario)
		return -EINVAL;
	tdxsim_strbuf_init(&r.out);
	ret = run_all(&r);
	if (ret == 0 && r.out.oom)
		ret = -ENOMEM;
	errno = 0;
	if (ret == 0 && report &&
	    (fwrite(tdxsim_strbuf_str(&r.out), 1, r.out.len, report) != r.out.len ||
	     fflush(report) != 0))
		ret = errno ? -errno : -EIO;	/* ENOSPC, EFBIG: say which */
	if (result)
		*result = r.result;
	tdxsim_linux_guest_free(r.guest);
	tdxsim_mtrr_bank_free(r.bank);
	tdxsim_strbuf_fini(&r.out);
	return ret;
}
