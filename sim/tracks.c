/* SPDX-License-Identifier: MIT */
/*
 * Tracks of an SVG picture and the platform's layers (see tracks.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "tracks.h"

/* Addresses as the kernel prints them in E820 lines: 16 hex digits. */
#define ADDR_FMT "0x%016llx"

/* Colours of E820 types in the picture; the last row catches the rest. */
struct e820_style {
	uint32_t type;
	const char *css_class;
};

static const struct e820_style e820_styles[] = {
	{ TDXSIM_E820_RAM, "e820-ram" },
	{ TDXSIM_E820_RESERVED, "e820-reserved" },
	{ TDXSIM_E820_ACPI, "e820-acpi" },
	{ TDXSIM_E820_NVS, "e820-nvs" },
	{ TDXSIM_E820_UNUSABLE, "e820-unusable" },
	{ TDXSIM_E820_PMEM, "e820-pmem" },
	{ TDXSIM_E820_PRAM, "e820-pmem" },
	{ TDXSIM_E820_SOFT_RESERVED, "e820-soft" },
	{ TDXSIM_E820_RESERVED_KERN, "e820-kern" },
	{ 0, "e820-other" },
};

void
tracks_init(struct tracks *t)
{
	memset(t, 0, sizeof(*t));
}

void
tracks_free(struct tracks *t)
{
	for (size_t i = 0; i < t->count; i++) {
		free(t->stores[i].items);
		free(t->stores[i].texts);
	}
	t->count = 0;
}

struct track_store *
tracks_open(struct tracks *t, const char *id, const char *label,
	    size_t capacity, bool keep_empty)
{
	struct track_store *s;

	if (t->count == TRACKS_MAX)
		return NULL;
	s = &t->stores[t->count];
	memset(s, 0, sizeof(*s));
	s->items = calloc(capacity ? capacity : 1, sizeof(*s->items));
	s->texts = calloc(capacity ? capacity : 1, sizeof(*s->texts));
	t->count++;  /* counted even when failed, so tracks_free() frees */
	if (!s->items || !s->texts)
		return NULL;
	s->id = id;
	s->label = label;
	s->keep_empty = keep_empty;
	s->capacity = capacity;
	return s;
}

struct track_text *
tracks_add(struct track_store *s, uint64_t start, uint64_t end,
	   const char *css_class, const char *fill)
{
	struct svg_item *it = &s->items[s->count];
	struct track_text *tx = &s->texts[s->count++];

	it->start = start;
	it->end = end;
	it->css_class = css_class;
	it->fill = fill;
	it->text = tx->text;
	it->title = tx->title;
	return tx;
}

struct track_text *
tracks_add_indexed(struct track_store *s, uint64_t start, uint64_t end,
		   const char *css_class, unsigned index)
{
	struct svg_style style = svg_style(index);
	struct track_text *tx = tracks_add(s, start, end, css_class, style.fill);

	s->items[s->count - 1].pattern = style.pattern;
	return tx;
}

static void
legend_add(struct tracks *t, const char *css_class, int palette,
	   const char *text)
{
	struct track_legend *l = &t->legend;

	for (size_t i = 0; i < l->count; i++) {
		if (strcmp(l->entries[i].css_class, css_class) == 0)
			return;
	}
	if (l->count == TRACKS_LEGEND_MAX)
		return;
	snprintf(l->names[l->count], sizeof(l->names[0]), "%s", text);
	l->entries[l->count].css_class = css_class;
	l->entries[l->count].fill = NULL;
	l->entries[l->count].palette = palette;
	l->entries[l->count].text = l->names[l->count];
	l->count++;
}

void
tracks_legend(struct tracks *t, const char *css_class, const char *text)
{
	legend_add(t, css_class, 0, text);
}

void
tracks_legend_palette(struct tracks *t, const char *key, const char *text)
{
	legend_add(t, key, 1, text);
}

/* ---- the platform's layers ---- */

static const char *
e820_class(uint32_t type)
{
	size_t last = sizeof(e820_styles) / sizeof(e820_styles[0]) - 1;

	for (size_t i = 0; i < last; i++) {
		if (e820_styles[i].type == type)
			return e820_styles[i].css_class;
	}
	return e820_styles[last].css_class;
}

/* The highest address any layer knows, so that a trailing elision can be
 * drawn up to where the other layers end. */
static uint64_t
known_end(const struct tdxsim_platform *p)
{
	uint64_t end = 0;

	for (size_t i = 0; i < tdxsim_platform_cmr_count(p); i++) {
		const struct tdxsim_cmr *c = tdxsim_platform_cmr(p, i);

		if (c->size && c->base + c->size > end)
			end = c->base + c->size;
	}
	for (size_t i = 0; i < tdxsim_platform_node_range_count(p); i++) {
		const struct tdxsim_node_range *r = tdxsim_platform_node_range(p, i);

		end = r->end > end ? r->end : end;
	}
	return end;
}

/* The range an elision before entry index stands for; empty when the
 * neighbours leave no room (nothing is then drawn). */
static void
elision_range(const struct tdxsim_platform *p, size_t index, uint64_t *start,
	      uint64_t *end)
{
	const struct tdxsim_e820_entry *prev = index ?
		tdxsim_platform_e820_entry(p, index - 1) : NULL;
	const struct tdxsim_e820_entry *next = tdxsim_platform_e820_entry(p, index);

	*start = prev ? prev->end : 0;
	*end = next ? next->start : known_end(p);
}

static void
add_elision(struct tracks *t, struct track_store *s,
	    const struct tdxsim_platform *p, size_t index)
{
	uint64_t start, end;
	struct track_text *tx;

	elision_range(p, index, &start, &end);
	if (end <= start)
		return;
	tx = tracks_add(s, start, end, SVG_CLASS_UNKNOWN, NULL);
	snprintf(tx->title, sizeof(tx->title),
		 "not in source: E820 entries left out in [0x%llx, 0x%llx)",
		 (unsigned long long)start, (unsigned long long)end);
	snprintf(tx->text, sizeof(tx->text), "not in source");
	tracks_legend(t, SVG_CLASS_UNKNOWN, "E820 not in source (left out)");
}

static void
add_e820_entry(struct tracks *t, struct track_store *s,
	       const struct tdxsim_platform *p, const struct tdxsim_e820_entry *e)
{
	const char *css_class = e820_class(e->type);
	struct track_text *tx = tracks_add(s, e->start, e->end, css_class, NULL);
	char type[32], size[32];

	tdxsim_e820_type_name(e->type, tdxsim_platform_e820_spelling(p), type,
			      sizeof(type));
	/* The kernel's own line, so a tooltip can be searched for in dmesg. */
	snprintf(tx->title, sizeof(tx->title),
		 "[mem " ADDR_FMT "-" ADDR_FMT "] %s (%s)",
		 (unsigned long long)e->start, (unsigned long long)e->end - 1,
		 type, cli_format_size(e->end - e->start, size, sizeof(size)));
	snprintf(tx->text, sizeof(tx->text), "%s", type);
	tracks_legend(t, css_class,
		      strcmp(css_class, "e820-other") ? type : "other type");
}

static int
add_e820_track(struct tracks *t, const struct tdxsim_platform *p)
{
	size_t count = tdxsim_platform_e820_count(p);
	struct track_store *s = tracks_open(t, "track-e820", "E820",
					    2 * count + 1, true);

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i <= count; i++) {
		if (tdxsim_platform_e820_elided_before(p, i))
			add_elision(t, s, p, i);
		if (i < count)
			add_e820_entry(t, s, p, tdxsim_platform_e820_entry(p, i));
	}
	return 0;
}

/* An empty band would claim there is no convertible memory; a source
 * without CMRs only says nothing about it, so the band is left out. */
static int
add_cmr_track(struct tracks *t, const struct tdxsim_platform *p)
{
	size_t count = tdxsim_platform_cmr_count(p);
	struct track_store *s = tracks_open(t, "track-cmr", "CMRs", count, false);

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const struct tdxsim_cmr *c = tdxsim_platform_cmr(p, i);
		struct track_text *tx;
		char size[32];

		if (c->size == 0)
			continue;  /* a null slot covers nothing */
		tx = tracks_add(s, c->base, c->base + c->size, "cmr", NULL);
		snprintf(tx->title, sizeof(tx->title), "CMR[%zu]: [0x%llx, 0x%llx) %s",
			 i, (unsigned long long)c->base,
			 (unsigned long long)(c->base + c->size),
			 cli_format_size(c->size, size, sizeof(size)));
		snprintf(tx->text, sizeof(tx->text), "CMR%zu", i);
	}
	if (s->count)
		tracks_legend(t, "cmr", "convertible memory (CMR)");
	return 0;
}

static int
add_node_track(struct tracks *t, const struct tdxsim_platform *p)
{
	size_t count = tdxsim_platform_node_range_count(p);
	struct track_store *s = tracks_open(t, "track-numa", "NUMA nodes",
					    count, false);

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const struct tdxsim_node_range *r = tdxsim_platform_node_range(p, i);
		struct track_text *tx;
		char size[32];

		tx = tracks_add_indexed(s, r->start, r->end, NULL, r->nid);
		snprintf(tx->title, sizeof(tx->title),
			 "node %u: [mem " ADDR_FMT "-" ADDR_FMT "] %s", r->nid,
			 (unsigned long long)r->start, (unsigned long long)r->end - 1,
			 cli_format_size(r->end - r->start, size, sizeof(size)));
		snprintf(tx->text, sizeof(tx->text), "node %u", r->nid);
	}
	if (s->count)
		tracks_legend_palette(t, "numa", "NUMA node (a colour each)");
	return 0;
}

int
tracks_add_platform(struct tracks *t, const struct tdxsim_platform *p)
{
	int ret = add_e820_track(t, p);

	if (ret == 0)
		ret = add_cmr_track(t, p);
	if (ret == 0)
		ret = add_node_track(t, p);
	return ret;
}

/* ---- drawing ---- */

int
tracks_render(struct tracks *t, FILE *out, const char *title,
	      const char *subtitle, const char *css)
{
	struct svg_track drawn[TRACKS_MAX];
	struct svg_options opts = { 0 };
	size_t count = 0;

	for (size_t i = 0; i < t->count; i++) {
		const struct track_store *s = &t->stores[i];

		if (s->count == 0 && !s->keep_empty)
			continue;
		drawn[count].id = s->id;
		drawn[count].label = s->label;
		drawn[count].items = s->items;
		drawn[count].count = s->count;
		count++;
	}
	opts.title = title;
	opts.subtitle = subtitle;
	opts.css = css;
	opts.legend = t->legend.entries;
	opts.legend_count = t->legend.count;
	return svg_render(out, drawn, count, &opts);
}

int
tracks_write_file(struct tracks *t, const char *cmd, const char *path,
		  const char *title, const char *subtitle, const char *css)
{
	struct cli_output out;

	if (cli_output_open(&out, cmd, path) != CLI_EXIT_OK)
		return CLI_EXIT_USAGE;
	return cli_output_close(&out, tracks_render(t, out.f, title, subtitle, css));
}
