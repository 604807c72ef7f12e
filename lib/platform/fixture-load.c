/* SPDX-License-Identifier: MIT */
/*
 * Fixture format v1 loader (docs/fixture-format.md).
 *
 * The YAML is first read into a position-carrying tree; then a strict walk
 * over known keys fills the platform through the same adders the API
 * offers, so the validator sees a loaded platform exactly as a built one.
 * Every refusal names its line and column; the walk goes on after an error
 * so that one run reports as many problems as it can.
 */
#include "config.h"

#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "lines.h"
#include "parse.h"
#include "platform-private.h"
#include "strbuf.h"
#include "yaml-walk.h"

/* Real fixtures are a few KiB; this bounds what a pasted file may cost. */

struct derived_line {
	struct tdxsim_e820_entry entry;
	struct tdxsim_pos pos;
};

struct loader {
	struct tdxsim_ywalk w;		/* w.user is the loader */
	struct tdxsim_platform *p;
	bool saw_modern_e820_name;
	struct tdxsim_expect expect;	/* the expect block being read */
	/* 'e820-derived' lines, merged into the table once the walk is
	 * over: the key may come before 'e820', whose entries are appended
	 * in source order. */
	struct derived_line *derived;
	size_t derived_count;
	size_t derived_capacity;
};

typedef const struct tdxsim_ynode ynode;

static void
out_of_memory(struct loader *l)
{
	l->w.error = -ENOMEM;
}

/* Record the result of an adder: -ENOMEM stops, others are refusals. */
static bool
added(struct loader *l, int ret, struct tdxsim_pos pos, const char *what)
{
	if (ret == -ENOMEM)
		out_of_memory(l);
	else if (ret < 0)
		tdxsim_ywalk_refuse(&l->w, pos, "%s", what);
	return ret == 0;
}

static struct tdxsim_pos
pos_plus(struct tdxsim_pos pos, size_t columns)
{
	pos.column += (unsigned)columns;
	return pos;
}

/* ---- line tables: e820, cmrs, numa ------------------------------------- */

typedef void (*line_fn)(struct loader *l, const char *s, size_t len,
			struct tdxsim_pos pos);

/* Hand one table line to fn with blanks, comments and timestamps removed. */
static void
feed_line(struct loader *l, const char *s, size_t len, struct tdxsim_pos pos,
	  line_fn fn)
{
	const char *t = s;
	size_t skip, tlen = len;

	tdxsim_trim(&t, &tlen);
	if (tlen == 0 || t[0] == '#')
		return;
	pos = pos_plus(pos, (size_t)(t - s));
	skip = tdxsim_line_timestamp_length(t, tlen);
	fn(l, t + skip, tlen - skip, pos_plus(pos, skip));
}

static void
load_table(struct loader *l, ynode *node, const char *key, line_fn fn)
{
	if (node->kind == TDXSIM_YNODE_SCALAR &&
	    node->style == TDXSIM_YSCALAR_LITERAL) {
		struct tdxsim_yline line = { 0 };

		while (l->w.error != -ENOMEM &&
		       tdxsim_ydoc_next_block_line(&l->w.doc, node, &line))
			feed_line(l, line.text, line.len, line.pos, fn);
		return;
	}
	if (node->kind == TDXSIM_YNODE_SEQUENCE) {
		for (size_t i = 0; i < node->count && l->w.error != -ENOMEM; i++) {
			ynode *item = node->children[i];

			if (tdxsim_ywalk_want_scalar(&l->w, item, key))
				feed_line(l, item->text, item->len,
					  tdxsim_ywalk_text_pos(item), fn);
		}
		return;
	}
	tdxsim_ywalk_refuse(&l->w, node->pos,
			    "'%s' must be a literal block ('%s: |' followed by one line per entry) or a list of lines",
			    key, key);
}

/* Drop a known prefix ("BIOS-e820:", "virt/tdx:") pasted with a line. */
static bool
strip_prefix(const char **s, size_t *len, struct tdxsim_pos *pos,
	     const char *prefix)
{
	size_t n = strlen(prefix);

	if (*len < n || memcmp(*s, prefix, n) != 0)
		return false;
	*s += n;
	*len -= n;
	*pos = pos_plus(*pos, n);
	while (*len && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
		pos->column++;
	}
	return true;
}

static bool
is_header(const char *s, size_t len, const char *header)
{
	return len >= strlen(header) && memcmp(s, header, strlen(header)) == 0;
}

static void
refuse_line(struct loader *l, struct tdxsim_pos pos,
	    const struct tdxsim_line_error *err)
{
	tdxsim_ywalk_refuse(&l->w, pos_plus(pos, err->offset), "%s",
			    err->message);
}

static void
e820_line(struct loader *l, const char *s, size_t len, struct tdxsim_pos pos)
{
	struct tdxsim_line_error err;
	struct tdxsim_e820_entry e;
	enum tdxsim_e820_spelling spelling;

	if (tdxsim_line_is_elision(s, len)) {
		tdxsim_platform_add_e820_elision(l->p);
		return;
	}
	if (is_header(s, len, "BIOS-provided physical RAM map"))
		return;
	strip_prefix(&s, &len, &pos, "BIOS-e820:");
	if (!tdxsim_parse_e820_text(s, len, &e, &spelling, &err)) {
		refuse_line(l, pos, &err);
		return;
	}
	if (spelling == TDXSIM_E820_SPELLING_MODERN)
		l->saw_modern_e820_name = true;
	added(l, tdxsim_platform_add_e820_at(l->p, e.start, e.end, e.type, pos),
	      pos, "E820 entry is empty");
}

static void
e820_derived_line(struct loader *l, const char *s, size_t len,
		  struct tdxsim_pos pos)
{
	struct tdxsim_line_error err;
	struct tdxsim_e820_entry e;
	enum tdxsim_e820_spelling spelling;

	/* Derived entries are all deduced: nothing there is left out. */
	if (tdxsim_line_is_elision(s, len)) {
		tdxsim_ywalk_refuse(&l->w, pos,
				    "'e820-derived' lists deduced entries; an elision ('...') belongs in 'e820'");
		return;
	}
	strip_prefix(&s, &len, &pos, "BIOS-e820:");
	if (!tdxsim_parse_e820_text(s, len, &e, &spelling, &err)) {
		refuse_line(l, pos, &err);
		return;
	}
	if (e.end <= e.start) {
		tdxsim_ywalk_refuse(&l->w, pos, "E820 entry is empty");
		return;
	}
	if (spelling == TDXSIM_E820_SPELLING_MODERN)
		l->saw_modern_e820_name = true;
	if (tdxsim_array_reserve((void **)&l->derived, &l->derived_capacity,
				 l->derived_count + 1, sizeof(*l->derived)) < 0) {
		out_of_memory(l);
		return;
	}
	l->derived[l->derived_count].entry = e;
	l->derived[l->derived_count].pos = pos;
	l->derived_count++;
}

static void
cmr_line(struct loader *l, const char *s, size_t len, struct tdxsim_pos pos)
{
	struct tdxsim_line_error err;
	struct tdxsim_range r;

	if (!strip_prefix(&s, &len, &pos, "virt/tdx:"))
		strip_prefix(&s, &len, &pos, "tdx:");
	if (!tdxsim_parse_cmr_text(s, len, &r, &err)) {
		refuse_line(l, pos, &err);
		return;
	}
	added(l, tdxsim_platform_add_cmr_at(l->p, r.start, r.end - r.start, pos),
	      pos, "more than 32 CMR slots (a TDX module reports at most 32)");
}

static void
numa_line(struct loader *l, const char *s, size_t len, struct tdxsim_pos pos)
{
	struct tdxsim_line_error err;
	struct tdxsim_range r;
	unsigned nid;

	if (is_header(s, len, "Early memory node ranges"))
		return;
	if (!tdxsim_parse_node_text(s, len, &nid, &r, &err)) {
		refuse_line(l, pos, &err);
		return;
	}
	added(l, tdxsim_platform_add_node_range_at(l->p, nid, r.start, r.end,
						   pos),
	      pos, "node range is empty");
}

static void
key_e820(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	(void)key;
	load_table(l, value, "e820", e820_line);
	tdxsim_platform_set_e820_spelling(l->p, l->saw_modern_e820_name
					  ? TDXSIM_E820_SPELLING_MODERN
					  : TDXSIM_E820_SPELLING_LEGACY);
}

static void
key_e820_derived(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	(void)key;
	load_table(w->user, value, "e820-derived", e820_derived_line);
}

static void
key_cmrs(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	(void)key;
	load_table(w->user, value, "cmrs", cmr_line);
}

static void
key_numa(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	(void)key;
	load_table(w->user, value, "numa", numa_line);
}

/* ---- pamt-placement: one base per TDMR, or "auto" ------------------------ */

static void
pamt_placement_item(struct loader *l, ynode *item, size_t index)
{
	struct tdxsim_pos pos = tdxsim_ywalk_text_pos(item);
	uint64_t base;

	if (item->kind == TDXSIM_YNODE_SCALAR && item->len == 4 &&
	    memcmp(item->text, "auto", 4) == 0)
		base = TDXSIM_PAMT_BASE_AUTO;
	else if (!tdxsim_ywalk_get_u64(&l->w, item, "pamt-placement",
				       UINT64_MAX, &base))
		return;
	else if (base == TDXSIM_PAMT_BASE_AUTO) {
		/* The one number that means "auto" in the API; as a base it
		 * is past MAX_PA, which the validator would have said. */
		tdxsim_ywalk_refuse(&l->w, pos,
				    "pamt-placement[%zu] 0x%" PRIx64 " is not below MAX_PA (2^%d)",
				    index, base, TDXSIM_MAX_PA_BITS);
		return;
	}
	/* The adder refuses nothing; it can only run out of memory. */
	if (tdxsim_platform_add_pamt_base_at(l->p, base, pos) < 0)
		out_of_memory(l);
}

static void
key_pamt_placement(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	(void)key;
	if (!tdxsim_ywalk_want_kind(w, value, TDXSIM_YNODE_SEQUENCE,
				    "'pamt-placement'"))
		return;
	for (size_t i = 0; i < value->count && w->error != -ENOMEM; i++)
		pamt_placement_item(l, value->children[i], i);
}

/* ---- strings and provenance ------------------------------------------- */

static void
set_info(struct loader *l, enum tdxsim_info info, ynode *key, ynode *value)
{
	char what[64];

	snprintf(what, sizeof(what), "%.*s", tdxsim_ywalk_clip(key->len),
		 key->text);
	if (!tdxsim_ywalk_want_scalar(&l->w, value, what))
		return;
	if (tdxsim_platform_set_info(l->p, info, value->text) < 0)
		out_of_memory(l);
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

static void
key_name(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	if (!tdxsim_ywalk_want_scalar(w, value, "name"))
		return;
	for (size_t i = 0; i < value->len; i++) {
		if (!is_name_char(value->text[i])) {
			tdxsim_ywalk_refuse(w,
					    pos_plus(tdxsim_ywalk_text_pos(value), i),
					    "'name' may contain only letters, digits, '-', '_' and '.'");
			return;
		}
	}
	if (value->len == 0) {
		tdxsim_ywalk_refuse(w, value->pos, "'name' is empty");
		return;
	}
	/* Names become file and test names: no ".", "..", or option look-alikes. */
	if (value->text[0] == '.' || value->text[0] == '-') {
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "'name' must start with a letter or digit");
		return;
	}
	set_info(w->user, TDXSIM_INFO_NAME, key, value);
}

static void
key_description(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	set_info(w->user, TDXSIM_INFO_DESCRIPTION, key, value);
}

static void
key_format(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	(void)key;
	if (!tdxsim_ywalk_want_scalar(w, value, "tdxsim-fixture"))
		return;
	if (value->len != 1 || value->text[0] != '1')
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "unsupported fixture format '%.*s' (this tdxsim reads format 1)",
				    (int)(value->len > 20 ? 20 : value->len),
				    value->text);
}

#define INFO_KEY(fn, info)						\
	static void fn(struct tdxsim_ywalk *w, ynode *key, ynode *value) \
	{								\
		set_info(w->user, info, key, value);			\
	}
INFO_KEY(key_url, TDXSIM_INFO_SOURCE)
INFO_KEY(key_message_id, TDXSIM_INFO_MESSAGE_ID)
INFO_KEY(key_machine, TDXSIM_INFO_MACHINE)
INFO_KEY(key_kernel, TDXSIM_INFO_KERNEL)
INFO_KEY(key_notes, TDXSIM_INFO_NOTES)
INFO_KEY(key_e820_derived_note, TDXSIM_INFO_E820_DERIVED_NOTE)
INFO_KEY(key_cmrs_inferred, TDXSIM_INFO_CMRS_INFERRED)

static const struct tdxsim_ywalk_rule source_rules[] = {
	{ "url", key_url, false },
	{ "message-id", key_message_id, false },
	{ "machine", key_machine, false },
	{ "kernel", key_kernel, false },
	{ "notes", key_notes, false },
};

static void
key_source(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	(void)key;
	tdxsim_ywalk_mapping(w, value, "'source'", source_rules,
			     ARRAY_LENGTH(source_rules));
}

/* ---- module profile ------------------------------------------------------ */

/* "1.5", "1.5.06", "2.0.08.00" or, naming a build, "1.5.06.00.744": 2 to
 * 5 numbers; the version parts stay below 0xffff (which stands for
 * "unknown", TDXSIM_VERSION_UNKNOWN), the build number (BUILD_NUM, a
 * 16-bit field) below 0x10000. */
static bool
parse_version(const char *s, size_t len, unsigned parts[5], size_t *count)
{
	struct tdxsim_scan sc;

	tdxsim_scan_init(&sc, s, len);
	*count = 0;
	do {
		uint64_t v, limit = *count == 4 ? 0x10000 : TDXSIM_VERSION_UNKNOWN;
		bool too_big = false;

		if (*count == 5 || !tdxsim_scan_u64(&sc, &v, &too_big) ||
		    too_big || v >= limit)
			return false;
		parts[(*count)++] = (unsigned)v;
	} while (tdxsim_scan_literal(&sc, "."));
	return tdxsim_scan_at_end(&sc) && *count >= 2;
}

/* A build number given twice (in the version and as build-num) must
 * agree; false after refusing. */
static bool
build_agrees(struct loader *l, ynode *value, uint32_t build)
{
	const struct tdxsim_platform *p = l->p;

	if (!p->version_names_build || !p->profile_set[PROFILE_BUILD_NUM] ||
	    p->profile.build_num == build)
		return true;
	tdxsim_ywalk_refuse(&l->w, tdxsim_ywalk_text_pos(value),
			    "build-num %" PRIu32 " and the build in the version (%" PRIu32 ") differ",
			    p->profile.build_num, build);
	return false;
}

static void
key_version(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	struct tdxsim_module_profile m = l->p->profile;
	unsigned parts[5];
	size_t count;

	(void)key;
	if (!tdxsim_ywalk_want_scalar(w, value, "version"))
		return;
	if (!parse_version(value->text, value->len, parts, &count)) {
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "malformed module version '%.*s' (expected MAJOR.MINOR[.UPDATE[.INTERNAL[.BUILD]]], e.g. \"1.5.06\" or \"1.5.06.00.744\")",
				    tdxsim_ywalk_clip(value->len), value->text);
		return;
	}
	m.major = parts[0];
	m.minor = parts[1];
	m.update = count > 2 ? parts[2] : TDXSIM_VERSION_UNKNOWN;
	m.internal = count > 3 ? parts[3] : TDXSIM_VERSION_UNKNOWN;
	if (count > 4) {
		l->p->version_names_build = true;
		if (!build_agrees(l, value, parts[4]))
			return;
		m.build_num = parts[4];
	}
	l->p->profile = m;
	tdxsim_platform_mark_profile(l->p, PROFILE_VERSION,
				     tdxsim_ywalk_text_pos(value));
}

/* Keys whose value is one unsigned number stored in one profile field. */
struct number_key {
	const char *key;
	enum profile_field field;
	size_t offset;		/* of an unsigned or uint32_t member */
	bool is_u32;
};

static const struct number_key number_keys[] = {
	{ "build-date", PROFILE_BUILD_DATE,
	  offsetof(struct tdxsim_module_profile, build_date), true },
	{ "build-num", PROFILE_BUILD_NUM,
	  offsetof(struct tdxsim_module_profile, build_num), true },
	{ "max-tdmrs", PROFILE_MAX_TDMRS,
	  offsetof(struct tdxsim_module_profile, max_tdmrs), false },
	{ "max-reserved-per-tdmr", PROFILE_MAX_RESERVED,
	  offsetof(struct tdxsim_module_profile, max_reserved_per_tdmr), false },
	{ "cmr-slots", PROFILE_CMR_SLOTS,
	  offsetof(struct tdxsim_module_profile, cmr_slots), false },
	{ "logical-cpus", PROFILE_LOGICAL_CPUS,
	  offsetof(struct tdxsim_module_profile, nr_lps), false },
	{ "packages", PROFILE_PACKAGES,
	  offsetof(struct tdxsim_module_profile, nr_packages), false },
};

static void
key_number(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	const struct number_key *nk = NULL;
	char *base = (char *)&l->p->profile;
	uint64_t v;

	for (size_t i = 0; i < ARRAY_LENGTH(number_keys); i++) {
		if (tdxsim_ywalk_key_is(key, number_keys[i].key))
			nk = &number_keys[i];
	}
	if (!nk || !tdxsim_ywalk_get_u64(w, value, nk->key, UINT32_MAX, &v))
		return;
	if (nk->field == PROFILE_BUILD_NUM &&
	    l->p->profile_set[PROFILE_VERSION] && l->p->version_names_build &&
	    l->p->profile.build_num != v) {
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "build-num %" PRIu64 " and the build in the version (%" PRIu32 ") differ",
				    v, l->p->profile.build_num);
		return;
	}
	if (nk->is_u32)
		*(uint32_t *)(void *)(base + nk->offset) = (uint32_t)v;
	else
		*(unsigned *)(void *)(base + nk->offset) = (unsigned)v;
	tdxsim_platform_mark_profile(l->p, nk->field,
				     tdxsim_ywalk_text_pos(value));
}

static void
pamt_size(struct loader *l, ynode *value, size_t level, const char *what)
{
	uint64_t v;

	if (!tdxsim_ywalk_get_u64(&l->w, value, what, UINT32_MAX, &v))
		return;
	l->p->profile.pamt_entry_size[level] = (unsigned)v;
	tdxsim_platform_mark_profile(l->p, PROFILE_PAMT_4K + level,
				     tdxsim_ywalk_text_pos(value));
}

static void
key_pamt_4k(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	(void)key;
	pamt_size(w->user, value, 0, "4k");
}

static void
key_pamt_2m(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	(void)key;
	pamt_size(w->user, value, 1, "2m");
}

static void
key_pamt_1g(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	(void)key;
	pamt_size(w->user, value, 2, "1g");
}

static const struct tdxsim_ywalk_rule pamt_rules[] = {
	{ "4k", key_pamt_4k, false },
	{ "2m", key_pamt_2m, false },
	{ "1g", key_pamt_1g, false },
};

static void
key_pamt(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	(void)key;
	tdxsim_ywalk_mapping(w, value, "'pamt-entry-size'", pamt_rules,
			     ARRAY_LENGTH(pamt_rules));
}

static void
key_keyids(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	struct tdxsim_line_error err;
	struct tdxsim_range r;
	struct tdxsim_scan sc;

	(void)key;
	if (!tdxsim_ywalk_want_scalar(w, value, "private-keyids"))
		return;
	tdxsim_scan_init(&sc, value->text, value->len);
	if (!tdxsim_scan_range(&sc, value->text, &r, &err)) {
		refuse_line(l, tdxsim_ywalk_text_pos(value), &err);
		return;
	}
	if (!tdxsim_scan_at_end(&sc) || r.end > UINT32_MAX) {
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "'private-keyids' must be a range like \"[32, 64)\"");
		return;
	}
	l->p->profile.keyid_start = (uint32_t)r.start;
	l->p->profile.keyid_end = (uint32_t)r.end;
	tdxsim_platform_mark_profile(l->p, PROFILE_KEYIDS,
				     tdxsim_ywalk_text_pos(value));
}

static const struct tdxsim_ywalk_rule module_rules[] = {
	{ "version", key_version, false },
	{ "build-date", key_number, false },
	{ "build-num", key_number, false },
	{ "max-tdmrs", key_number, false },
	{ "max-reserved-per-tdmr", key_number, false },
	{ "pamt-entry-size", key_pamt, false },
	{ "cmr-slots", key_number, false },
	{ "private-keyids", key_keyids, false },
	{ "logical-cpus", key_number, false },
	{ "packages", key_number, false },
};

static void
key_module(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	(void)key;
	tdxsim_ywalk_mapping(w, value, "'module'", module_rules,
			     ARRAY_LENGTH(module_rules));
}

/* ---- expected outcomes ------------------------------------------------------ */

/* The expect block being read; the walk's callbacks fill it. */
static struct tdxsim_expect *current_expect(struct loader *l);

static void
key_outcome(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	struct tdxsim_expect *e = current_expect(l);

	(void)key;
	if (!tdxsim_ywalk_want_scalar(w, value, "outcome"))
		return;
	if (strcmp(value->text, "ok") == 0)
		e->outcome = TDXSIM_EXPECT_OK;
	else if (strcmp(value->text, "fail") == 0)
		e->outcome = TDXSIM_EXPECT_FAIL;
	else
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "'outcome' must be 'ok' or 'fail'");
}

static void
key_errno(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	struct tdxsim_expect *e = current_expect(l);
	uint64_t v;

	(void)key;
	if (!tdxsim_ywalk_want_scalar(w, value, "errno"))
		return;
	if (value->len < 2 || value->text[0] != '-' ||
	    tdxsim_parse_u64(value->text + 1, value->len - 1, &v) < 0 ||
	    v == 0 || v > 4095) {
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "'errno' must be a negative errno such as -28");
		return;
	}
	e->has_errno = 1;
	e->err = -(int)v;
}

static void
expect_count(struct loader *l, ynode *value, const char *what, long long *out)
{
	uint64_t v;

	if (tdxsim_ywalk_get_u64(&l->w, value, what, LLONG_MAX, &v))
		*out = (long long)v;
}

static void
key_tdmrs(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	(void)key;
	expect_count(l, value, "tdmrs", &current_expect(l)->tdmrs);
}

static void
key_max_reserved(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	(void)key;
	expect_count(l, value, "max-reserved", &current_expect(l)->max_reserved);
}

static void
key_pamt_kb(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	(void)key;
	expect_count(l, value, "pamt-kb", &current_expect(l)->pamt_kb);
}

/* Expected kernel lines: a literal block, or a list of one line each. */
static void
key_lines(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	struct tdxsim_expect *e = current_expect(l);
	struct tdxsim_strbuf text;

	(void)key;
	tdxsim_strbuf_init(&text);
	if (value->kind == TDXSIM_YNODE_SCALAR) {
		tdxsim_strbuf_append(&text, value->text, value->len);
	} else if (value->kind == TDXSIM_YNODE_SEQUENCE) {
		for (size_t i = 0; i < value->count; i++) {
			if (!tdxsim_ywalk_want_scalar(w, value->children[i],
						      "lines"))
				continue;
			tdxsim_strbuf_append(&text, value->children[i]->text,
					     value->children[i]->len);
			tdxsim_strbuf_puts(&text, "\n");
		}
	} else {
		tdxsim_ywalk_refuse(w, value->pos,
				    "'lines' must be a literal block or a list of lines");
	}
	tdxsim_free_const(e->lines);
	e->lines = tdxsim_strbuf_steal(&text);
	if (!e->lines)
		out_of_memory(l);
}

static const struct tdxsim_ywalk_rule expect_rules[] = {
	{ "outcome", key_outcome, true },
	{ "errno", key_errno, false },
	{ "tdmrs", key_tdmrs, false },
	{ "max-reserved", key_max_reserved, false },
	{ "pamt-kb", key_pamt_kb, false },
	{ "lines", key_lines, false },
};

static bool
valid_strategy_name(ynode *key)
{
	if (key->len == 0 || key->text[0] == '-')
		return false;
	for (size_t i = 0; i < key->len; i++) {
		char c = key->text[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return false;
	}
	return true;
}

static void
one_expect(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	struct tdxsim_expect *e = current_expect(l);
	char context[80];
	int ret;

	if (!valid_strategy_name(key)) {
		tdxsim_ywalk_refuse(w, key->pos,
				    "strategy name '%.*s' must be lower-case letters, digits and '-'",
				    tdxsim_ywalk_clip(key->len), key->text);
		return;
	}
	memset(e, 0, sizeof(*e));
	e->tdmrs = e->max_reserved = e->pamt_kb = TDXSIM_EXPECT_NONE;
	e->strategy = key->text;
	e->line = key->pos.line;
	snprintf(context, sizeof(context), "expect '%s'", key->text);
	tdxsim_ywalk_mapping(w, value, context, expect_rules,
			     ARRAY_LENGTH(expect_rules));
	ret = tdxsim_platform_add_expect(l->p, e);
	if (ret == -ENOMEM)
		out_of_memory(l);
	tdxsim_free_const(e->lines);
	e->lines = NULL;
}

static void
key_expect(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	(void)key;
	if (!tdxsim_ywalk_want_mapping(w, value, "'expect'"))
		return;
	for (size_t i = 0; i + 1 < value->count && w->error != -ENOMEM; i += 2) {
		ynode *strategy = value->children[i];

		if (strategy->kind != TDXSIM_YNODE_SCALAR) {
			tdxsim_ywalk_refuse(w, strategy->pos,
					    "strategy names must be words");
			continue;
		}
		if (tdxsim_ywalk_first_occurrence(w, value, i, "'expect'"))
			one_expect(w, strategy, value->children[i + 1]);
	}
}

static struct tdxsim_expect *
current_expect(struct loader *l)
{
	return &l->expect;
}

static const struct tdxsim_ywalk_rule top_rules[] = {
	{ "tdxsim-fixture", key_format, true },
	{ "name", key_name, true },
	{ "description", key_description, false },
	{ "source", key_source, false },
	{ "module", key_module, false },
	{ "e820", key_e820, true },
	{ "e820-derived-note", key_e820_derived_note, false },
	{ "e820-derived", key_e820_derived, false },
	{ "cmrs-inferred", key_cmrs_inferred, false },
	{ "cmrs", key_cmrs, false },
	{ "numa", key_numa, false },
	{ "pamt-placement", key_pamt_placement, false },
	{ "expect", key_expect, false },
};

/* ---- entry points -------------------------------------------------------- */

static int
load(struct loader *l, const char *text, size_t len)
{
	int ret = tdxsim_ywalk_document(&l->w, text, len,
					"empty fixture: expected a mapping starting with 'tdxsim-fixture: 1'",
					"the fixture", top_rules,
					ARRAY_LENGTH(top_rules));

	if (ret)
		return ret;
	for (size_t i = 0; i < l->derived_count; i++) {
		const struct derived_line *d = &l->derived[i];

		ret = tdxsim_platform_add_e820_derived_at(l->p, d->entry.start,
							  d->entry.end,
							  d->entry.type, d->pos);
		if (ret < 0)
			return ret;
	}
	if (l->saw_modern_e820_name)
		tdxsim_platform_set_e820_spelling(l->p,
						  TDXSIM_E820_SPELLING_MODERN);
	return tdxsim_platform_validate(l->p, l->w.diag);
}

TDXSIM_EXPORT int
tdxsim_platform_load_buffer(const char *name, const char *text, size_t len,
			    struct tdxsim_platform **out,
			    struct tdxsim_diag *diag)
{
	struct loader l = { .w = {
		.diag = diag,
		.name = name ? name : "<fixture>",
		.user = &l,
		.mapping_noun = "mapping of keys",
	} };
	int ret;

	if (!out || (!text && len))
		return -EINVAL;
	if (!text)
		text = "";	/* libyaml asserts on a NULL input, even empty */
	ret = tdxsim_ywalk_check_size(diag, l.w.name, len, TDXSIM_FIXTURE_MAX_BYTES,
				      "fixture");
	if (ret < 0)
		return ret;
	l.p = tdxsim_platform_new();
	if (!l.p || tdxsim_platform_set_input_name(l.p, l.w.name) < 0) {
		tdxsim_platform_free(l.p);
		return -ENOMEM;
	}
	ret = load(&l, text, len);
	tdxsim_ydoc_fini(&l.w.doc);
	free(l.derived);
	if (ret < 0) {
		tdxsim_platform_free(l.p);
		return ret;
	}
	*out = l.p;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_platform_load_file(const char *path, struct tdxsim_platform **out,
			  struct tdxsim_diag *diag)
{
	if (!path || !out)
		return -EINVAL;
	char *text;
	size_t len;
	int ret;

	ret = tdxsim_ywalk_read_file(path, TDXSIM_FIXTURE_MAX_BYTES, &text, &len,
				     diag);
	if (ret < 0)
		return ret;
	ret = tdxsim_platform_load_buffer(path, text, len, out, diag);
	free(text);
	return ret;
}
