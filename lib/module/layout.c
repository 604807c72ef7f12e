/* SPDX-License-Identifier: MIT */
/*
 * TDMR layouts (include/tdxsim/layout.h): the object, its TDMR_INFO
 * encoding, and the YAML format v1 loader and writer
 * (docs/fixture-format.md, "TDMR layouts").
 *
 * A layout holds any values on purpose: judging them is the module's job
 * (TDH.SYS.CONFIG), so the loader checks only the form of the input.
 */
#include "config.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <tdxsim/layout.h>

#include "common.h"
#include "lines.h"
#include "parse.h"
#include "strbuf.h"
#include "yaml-walk.h"

/* A layout of 64 TDMRs is a few KiB; this bounds what a pasted file costs. */
#define MAX_LAYOUT_BYTES (16u << 20)

/* One TDMR: the public view plus the storage its reserved pointer uses. */
struct tdmr_slot {
	struct tdxsim_tdmr view;
	struct tdxsim_reserved_area *areas;
	size_t area_capacity;
};

struct tdxsim_layout {
	struct tdmr_slot *tdmrs;
	size_t count;
	size_t capacity;
	unsigned global_keyid;
};

/* ---- the object ---------------------------------------------------------- */

TDXSIM_EXPORT struct tdxsim_layout *
tdxsim_layout_new(void)
{
	return calloc(1, sizeof(struct tdxsim_layout));
}

TDXSIM_EXPORT void
tdxsim_layout_free(struct tdxsim_layout *layout)
{
	if (!layout)
		return;
	for (size_t i = 0; i < layout->count; i++)
		free(layout->tdmrs[i].areas);
	free(layout->tdmrs);
	free(layout);
}

TDXSIM_EXPORT int
tdxsim_layout_add_tdmr(struct tdxsim_layout *layout, uint64_t base,
		       uint64_t size)
{
	struct tdmr_slot *t;

	if (!layout)
		return -EINVAL;
	/* The index is returned as an int. */
	if (layout->count >= INT_MAX ||
	    tdxsim_array_reserve((void **)&layout->tdmrs, &layout->capacity,
				 layout->count + 1, sizeof(*layout->tdmrs)) < 0)
		return -ENOMEM;
	t = &layout->tdmrs[layout->count];
	memset(t, 0, sizeof(*t));
	t->view.base = base;
	t->view.size = size;
	return (int)layout->count++;
}

static struct tdmr_slot *
get_tdmr(struct tdxsim_layout *layout, size_t index)
{
	if (!layout || index >= layout->count)
		return NULL;
	return &layout->tdmrs[index];
}

TDXSIM_EXPORT int
tdxsim_layout_set_pamt(struct tdxsim_layout *layout, size_t tdmr,
		       enum tdxsim_pamt_level level, uint64_t base,
		       uint64_t size)
{
	struct tdmr_slot *t = get_tdmr(layout, tdmr);

	if (!t || (unsigned)level > TDXSIM_PAMT_1G)
		return -EINVAL;
	t->view.pamt[level].base = base;
	t->view.pamt[level].size = size;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_layout_add_reserved(struct tdxsim_layout *layout, size_t tdmr,
			   uint64_t offset, uint64_t size)
{
	struct tdmr_slot *t = get_tdmr(layout, tdmr);
	size_t n;

	if (!t)
		return -EINVAL;
	n = t->view.reserved_count;
	if (n >= TDXSIM_MAX_RESERVED_SLOTS)
		return -ENOSPC;
	if (tdxsim_array_reserve((void **)&t->areas, &t->area_capacity, n + 1,
				 sizeof(*t->areas)) < 0)
		return -ENOMEM;
	t->areas[n].offset = offset;
	t->areas[n].size = size;
	/* The array may have moved: the view must follow it. */
	t->view.reserved = t->areas;
	t->view.reserved_count = n + 1;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_layout_clear_reserved(struct tdxsim_layout *layout, size_t tdmr)
{
	struct tdmr_slot *t = get_tdmr(layout, tdmr);

	if (!t)
		return -EINVAL;
	t->view.reserved_count = 0;
	return 0;
}

TDXSIM_EXPORT size_t
tdxsim_layout_tdmr_count(const struct tdxsim_layout *layout)
{
	return layout ? layout->count : 0;
}

TDXSIM_EXPORT const struct tdxsim_tdmr *
tdxsim_layout_tdmr(const struct tdxsim_layout *layout, size_t index)
{
	if (!layout || index >= layout->count)
		return NULL;
	return &layout->tdmrs[index].view;
}

TDXSIM_EXPORT unsigned
tdxsim_layout_global_keyid(const struct tdxsim_layout *layout)
{
	return layout ? layout->global_keyid : 0;
}

TDXSIM_EXPORT void
tdxsim_layout_set_global_keyid(struct tdxsim_layout *layout, unsigned keyid)
{
	if (layout)
		layout->global_keyid = keyid;
}

/* ---- TDMR_INFO encoding (tdmr_info_entry_t, tdx_api_defs.h) ------- */

static void
put_le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* TDMR_INFO field offsets by PAMT level: the entry stores 1G, 2M, then 4K. */
static const size_t pamt_offset[] = {
	[TDXSIM_PAMT_4K] = 0x30,
	[TDXSIM_PAMT_2M] = 0x20,
	[TDXSIM_PAMT_1G] = 0x10,
};

TDXSIM_EXPORT int
tdxsim_layout_encode_tdmr_info(const struct tdxsim_tdmr *tdmr,
			       unsigned slots, void *buf, size_t size)
{
	unsigned char *p = buf;

	if (!tdmr || !buf || slots > TDXSIM_MAX_RESERVED_SLOTS ||
	    tdmr->reserved_count > slots)
		return -EINVAL;
	if (size < TDXSIM_TDMR_INFO_SIZE(slots))
		return -ENOSPC;
	memset(p, 0, TDXSIM_TDMR_INFO_SIZE(slots));
	put_le64(p + 0x00, tdmr->base);
	put_le64(p + 0x08, tdmr->size);
	for (size_t l = 0; l < ARRAY_LENGTH(pamt_offset); l++) {
		put_le64(p + pamt_offset[l], tdmr->pamt[l].base);
		put_le64(p + pamt_offset[l] + 8, tdmr->pamt[l].size);
	}
	for (size_t k = 0; k < tdmr->reserved_count; k++) {
		put_le64(p + 0x40 + 16 * k, tdmr->reserved[k].offset);
		put_le64(p + 0x48 + 16 * k, tdmr->reserved[k].size);
	}
	return 0;
}

static uint64_t
get_le64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

TDXSIM_EXPORT int
tdxsim_layout_decode_tdmr_info(struct tdxsim_layout *layout, const void *buf,
			       size_t size, unsigned slots)
{
	const unsigned char *p = buf;
	unsigned used = 0;
	int index, ret = 0;

	if (!layout || !buf || slots > TDXSIM_MAX_RESERVED_SLOTS ||
	    size < TDXSIM_TDMR_INFO_SIZE(slots))
		return -EINVAL;
	/* Null slots after the last area in use carry nothing. */
	for (unsigned k = 0; k < slots; k++) {
		if (get_le64(p + 0x48 + 16 * k) != 0)
			used = k + 1;
	}
	index = tdxsim_layout_add_tdmr(layout, get_le64(p), get_le64(p + 0x08));
	if (index < 0)
		return index;
	for (size_t l = 0; l < ARRAY_LENGTH(pamt_offset) && ret == 0; l++)
		ret = tdxsim_layout_set_pamt(layout, (size_t)index, (enum tdxsim_pamt_level)l,
					     get_le64(p + pamt_offset[l]),
					     get_le64(p + pamt_offset[l] + 8));
	for (unsigned k = 0; k < used && ret == 0; k++)
		ret = tdxsim_layout_add_reserved(layout, (size_t)index,
						 get_le64(p + 0x40 + 16 * k),
						 get_le64(p + 0x48 + 16 * k));
	return ret < 0 ? ret : index;
}

/* ---- loader: strict mappings with positions ------------------------------
 *
 * The strict walk of lib/util/yaml-walk.h (known keys, duplicates and
 * missing keys refused with their position); it goes on after an error
 * so one run reports as much as it can.
 */

typedef const struct tdxsim_ynode ynode;

/* What is known so far of the TDMR being read. */
struct tdmr_draft {
	size_t index;
	uint64_t base;
	uint64_t size;
	bool has_base;
	struct tdxsim_pamt pamt[3];
	ynode *reserved;		/* read after the other keys */
};

struct loader {
	struct tdxsim_ywalk w;		/* w.user is the loader */
	struct tdxsim_layout *layout;
	struct tdmr_draft tdmr;
	uint64_t *target[2];		/* where a {base|offset, size} pair goes */
};

/* An API result: -ENOMEM stops the walk; the others are the input's fault. */
static void
check_added(struct loader *l, int ret)
{
	if (ret == -ENOMEM)
		l->w.error = -ENOMEM;
	else if (ret < 0 && l->w.error == 0)
		l->w.error = -EINVAL;
}

/* ---- loader: {base, size} and {offset, size} pairs ------------------------ */

static void
key_pair_first(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	/* key is "base" or "offset": name it as written. */
	tdxsim_ywalk_get_u64(w, value, key->text, UINT64_MAX, l->target[0]);
}

static void
key_pair_size(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	(void)key;
	tdxsim_ywalk_get_u64(w, value, "size", UINT64_MAX, l->target[1]);
}

static const struct tdxsim_ywalk_rule pamt_rules[] = {
	{ "base", key_pair_first, true },
	{ "size", key_pair_size, true },
};

static const struct tdxsim_ywalk_rule area_rules[] = {
	{ "offset", key_pair_first, true },
	{ "size", key_pair_size, true },
};

static void
read_pamt(struct loader *l, ynode *key, ynode *value,
	  enum tdxsim_pamt_level level)
{
	char context[80];

	snprintf(context, sizeof(context), "'%s' of TDMR %zu", key->text,
		 l->tdmr.index);
	l->target[0] = &l->tdmr.pamt[level].base;
	l->target[1] = &l->tdmr.pamt[level].size;
	tdxsim_ywalk_mapping(&l->w, value, context, pamt_rules,
			     ARRAY_LENGTH(pamt_rules));
}

static void
key_pamt_4k(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	read_pamt(w->user, key, value, TDXSIM_PAMT_4K);
}

static void
key_pamt_2m(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	read_pamt(w->user, key, value, TDXSIM_PAMT_2M);
}

static void
key_pamt_1g(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	read_pamt(w->user, key, value, TDXSIM_PAMT_1G);
}

/* ---- loader: reserved areas ----------------------------------------------- */

/* "[start, end)" in absolute addresses: the way virt/tdx prints ranges. */
static bool
area_from_range(struct loader *l, ynode *item, struct tdxsim_reserved_area *a)
{
	struct tdxsim_line_error err;
	struct tdxsim_range r;
	struct tdxsim_scan sc;

	tdxsim_scan_init(&sc, item->text, item->len);
	if (!tdxsim_scan_range(&sc, item->text, &r, &err)) {
		struct tdxsim_pos pos = tdxsim_ywalk_text_pos(item);

		pos.column += (unsigned)err.offset;
		tdxsim_ywalk_refuse(&l->w, pos, "%s", err.message);
		return false;
	}
	tdxsim_scan_skip_space(&sc);
	if (!tdxsim_scan_at_end(&sc)) {
		tdxsim_ywalk_refuse(&l->w, tdxsim_ywalk_text_pos(item),
				    "a reserved area written as a range must be only \"[start, end)\"");
		return false;
	}
	/* Without a base there is no offset; 'base' missing is refused already. */
	if (!l->tdmr.has_base)
		return false;
	if (r.start < l->tdmr.base) {
		tdxsim_ywalk_refuse(&l->w, tdxsim_ywalk_text_pos(item),
				    "reserved area [0x%" PRIx64 ", 0x%" PRIx64 ") starts below the TDMR base 0x%" PRIx64 " (an offset cannot be negative)",
				    r.start, r.end, l->tdmr.base);
		return false;
	}
	a->offset = r.start - l->tdmr.base;
	a->size = r.end - r.start;
	return true;
}

static bool
read_area(struct loader *l, ynode *item, size_t j,
	  struct tdxsim_reserved_area *a)
{
	char context[80];

	snprintf(context, sizeof(context), "reserved area %zu of TDMR %zu", j,
		 l->tdmr.index);
	if (item->kind == TDXSIM_YNODE_SCALAR)
		return area_from_range(l, item, a);
	if (item->kind == TDXSIM_YNODE_SEQUENCE) {
		tdxsim_ywalk_refuse(&l->w, item->pos,
				    "%s must be {offset: ..., size: ...} or \"[start, end)\", not a list",
				    context);
		return false;
	}
	l->target[0] = &a->offset;
	l->target[1] = &a->size;
	tdxsim_ywalk_mapping(&l->w, item, context, area_rules,
			     ARRAY_LENGTH(area_rules));
	return true;
}

static void
read_reserved(struct loader *l, size_t tdmr, ynode *list)
{
	char what[64];

	snprintf(what, sizeof(what), "'reserved' of TDMR %zu", l->tdmr.index);
	if (!tdxsim_ywalk_want_kind(&l->w, list, TDXSIM_YNODE_SEQUENCE, what))
		return;
	for (size_t j = 0; j < list->count && l->w.error != -ENOMEM; j++) {
		struct tdxsim_reserved_area a = { 0, 0 };
		int ret;

		if (!read_area(l, list->children[j], j, &a))
			continue;
		ret = tdxsim_layout_add_reserved(l->layout, tdmr, a.offset, a.size);
		if (ret == -ENOSPC) {
			tdxsim_ywalk_refuse(&l->w, list->children[j]->pos,
					    "TDMR %zu has more than %d reserved areas (tdxsim models at most %d)",
					    l->tdmr.index,
					    TDXSIM_MAX_RESERVED_SLOTS,
					    TDXSIM_MAX_RESERVED_SLOTS);
			return;
		}
		check_added(l, ret);
	}
}

/* ---- loader: TDMRs and the document --------------------------------------- */

static void
key_base(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	(void)key;
	l->tdmr.has_base = tdxsim_ywalk_get_u64(w, value, "base", UINT64_MAX,
						&l->tdmr.base);
}

static void
key_size(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	(void)key;
	tdxsim_ywalk_get_u64(w, value, "size", UINT64_MAX, &l->tdmr.size);
}

static void
key_reserved(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	(void)key;
	/* Range-form areas need the base, which may come later. */
	l->tdmr.reserved = value;
}

static const struct tdxsim_ywalk_rule tdmr_rules[] = {
	{ "base", key_base, true },
	{ "size", key_size, true },
	{ "pamt-4k", key_pamt_4k, true },
	{ "pamt-2m", key_pamt_2m, true },
	{ "pamt-1g", key_pamt_1g, true },
	{ "reserved", key_reserved, false },
};

static void
read_tdmr(struct loader *l, ynode *item, size_t index)
{
	char context[32];
	int ret;

	memset(&l->tdmr, 0, sizeof(l->tdmr));
	l->tdmr.index = index;
	snprintf(context, sizeof(context), "TDMR %zu", index);
	tdxsim_ywalk_mapping(&l->w, item, context, tdmr_rules,
			     ARRAY_LENGTH(tdmr_rules));
	ret = tdxsim_layout_add_tdmr(l->layout, l->tdmr.base, l->tdmr.size);
	check_added(l, ret);
	if (ret < 0)
		return;
	for (size_t level = 0; level < 3; level++)
		tdxsim_layout_set_pamt(l->layout, (size_t)ret,
				       (enum tdxsim_pamt_level)level,
				       l->tdmr.pamt[level].base,
				       l->tdmr.pamt[level].size);
	if (l->tdmr.reserved)
		read_reserved(l, (size_t)ret, l->tdmr.reserved);
}

static void
key_tdmrs(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;

	(void)key;
	if (!tdxsim_ywalk_want_kind(w, value, TDXSIM_YNODE_SEQUENCE, "'tdmrs'"))
		return;
	for (size_t i = 0; i < value->count && w->error != -ENOMEM; i++)
		read_tdmr(l, value->children[i], i);
}

static void
key_global_keyid(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	struct loader *l = w->user;
	uint64_t v;

	(void)key;
	if (tdxsim_ywalk_get_u64(w, value, "global-keyid", UINT_MAX, &v))
		l->layout->global_keyid = (unsigned)v;
}

static void
key_format(struct tdxsim_ywalk *w, ynode *key, ynode *value)
{
	(void)key;
	if (!tdxsim_ywalk_want_kind(w, value, TDXSIM_YNODE_SCALAR,
				    "'tdxsim-layout'"))
		return;
	if (value->len != 1 || value->text[0] != '1')
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "unsupported layout format '%.*s' (this tdxsim reads format 1)",
				    tdxsim_ywalk_clip(value->len), value->text);
}

static const struct tdxsim_ywalk_rule top_rules[] = {
	{ "tdxsim-layout", key_format, true },
	{ "global-keyid", key_global_keyid, false },
	{ "tdmrs", key_tdmrs, true },
};

/* ---- loader: entry points ------------------------------------------------- */

static int
load(struct loader *l, const char *text, size_t len)
{
	return tdxsim_ywalk_document(&l->w, text, len,
				     "empty layout: expected a mapping starting with 'tdxsim-layout: 1'",
				     "the layout", top_rules,
				     ARRAY_LENGTH(top_rules));
}

TDXSIM_EXPORT int
tdxsim_layout_load_buffer(const char *name, const char *text, size_t len,
			  struct tdxsim_layout **out, struct tdxsim_diag *diag)
{
	struct loader l = { .w = {
		.diag = diag,
		.name = name ? name : "<layout>",
		.user = &l,
		.overflow_says_64_bits = true,
	} };
	int ret;

	if (!out || (!text && len))
		return -EINVAL;
	ret = tdxsim_ywalk_check_size(diag, l.w.name, len, MAX_LAYOUT_BYTES,
				      "layout");
	if (ret < 0)
		return ret;
	l.layout = tdxsim_layout_new();
	if (!l.layout)
		return -ENOMEM;
	ret = load(&l, text ? text : "", len);
	tdxsim_ydoc_fini(&l.w.doc);
	if (ret < 0) {
		tdxsim_layout_free(l.layout);
		return ret;
	}
	*out = l.layout;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_layout_load_file(const char *path, struct tdxsim_layout **out,
			struct tdxsim_diag *diag)
{
	char *text;
	size_t len;
	int ret;

	if (!path || !out)
		return -EINVAL;
	ret = tdxsim_ywalk_read_file(path, MAX_LAYOUT_BYTES, &text, &len, diag);
	if (ret < 0)
		return ret;
	ret = tdxsim_layout_load_buffer(path, text, len, out, diag);
	free(text);
	return ret;
}

/* ---- writer ---------------------------------------------------------------- */

static void
put_tdmr(struct tdxsim_strbuf *out, const struct tdxsim_tdmr *t)
{
	static const struct {
		const char *key;
		enum tdxsim_pamt_level level;
	} pamts[] = {
		{ "pamt-4k", TDXSIM_PAMT_4K },
		{ "pamt-2m", TDXSIM_PAMT_2M },
		{ "pamt-1g", TDXSIM_PAMT_1G },
	};

	tdxsim_strbuf_printf(out, "  - base: 0x%" PRIx64 "\n    size: 0x%" PRIx64 "\n",
			     t->base, t->size);
	for (size_t i = 0; i < ARRAY_LENGTH(pamts); i++)
		tdxsim_strbuf_printf(out, "    %s: {base: 0x%" PRIx64 ", size: 0x%" PRIx64 "}\n",
				     pamts[i].key, t->pamt[pamts[i].level].base,
				     t->pamt[pamts[i].level].size);
	if (t->reserved_count)
		tdxsim_strbuf_puts(out, "    reserved:\n");
	for (size_t k = 0; k < t->reserved_count; k++)
		tdxsim_strbuf_printf(out, "      - {offset: 0x%" PRIx64 ", size: 0x%" PRIx64 "}\n",
				     t->reserved[k].offset, t->reserved[k].size);
}

static void
put_layout(struct tdxsim_strbuf *out, const struct tdxsim_layout *layout)
{
	tdxsim_strbuf_puts(out, "tdxsim-layout: 1\n");
	if (layout->global_keyid)
		tdxsim_strbuf_printf(out, "global-keyid: %u\n",
				     layout->global_keyid);
	tdxsim_strbuf_puts(out, layout->count ? "tdmrs:\n" : "tdmrs: []\n");
	for (size_t i = 0; i < layout->count; i++)
		put_tdmr(out, &layout->tdmrs[i].view);
}

TDXSIM_EXPORT int
tdxsim_layout_write(const struct tdxsim_layout *layout, FILE *out)
{
	struct tdxsim_strbuf text;
	int ret = 0;

	if (!layout || !out)
		return -EINVAL;
	tdxsim_strbuf_init(&text);
	put_layout(&text, layout);
	errno = 0;
	if (text.oom)
		ret = -ENOMEM;
	else if (fwrite(tdxsim_strbuf_str(&text), 1, text.len, out) != text.len ||
		 fflush(out) != 0)
		ret = errno ? -errno : -EIO;	/* ENOSPC, EFBIG: say which */
	tdxsim_strbuf_fini(&text);
	return ret;
}
