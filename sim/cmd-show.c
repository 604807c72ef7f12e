/* SPDX-License-Identifier: MIT */
/*
 * tdxsim show: print a platform's memory map as tables, and with --svg
 * also draw it (sim/svg.h).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "svg.h"

#define CMD "show"

/* Addresses as the kernel prints them in E820 lines: 16 hex digits. */
#define ADDR_FMT "0x%016llx"

struct show_args {
	const char *fixture;    /* NULL: the bundled default */
	const char *svg_path;   /* NULL: no picture */
};

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

static const char show_css[] =
	".e820-ram{fill:#81c784}"
	".e820-reserved{fill:#bdbdbd}"
	".e820-acpi{fill:#64b5f6}"
	".e820-nvs{fill:#ba68c8}"
	".e820-unusable{fill:#e57373}"
	".e820-pmem{fill:#ffb74d}"
	".e820-soft{fill:#fff176}"
	".e820-kern{fill:#a1887f}"
	".e820-other{fill:#90a4ae}"
	".cmr{fill:#4db6ac}";

/* Most legend entries a picture can need: every style, CMR, unknown. */
#define LEGEND_MAX (sizeof(e820_styles) / sizeof(e820_styles[0]) + 2)

/* The strings behind one svg_item. */
struct item_text {
	char title[192];
	char text[40];
};

/* The items of one track and the storage of their strings; sized once so
 * that the pointers handed to svg.c stay valid. */
struct item_store {
	struct svg_item *items;
	struct item_text *texts;
	size_t count;
};

/* Legend entries and the storage of their texts. */
struct legend_store {
	struct svg_legend entries[LEGEND_MAX];
	char names[LEGEND_MAX][40];
	size_t count;
};

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim show [OPTIONS] [FIXTURE]\n"
		"\n"
		"Print a platform's memory map: its origin, TDX module profile,\n"
		"E820 table, CMRs, NUMA node ranges and expected outcomes.\n"
		"Without FIXTURE, the bundled default platform (%s).\n"
		"\n"
		"Options:\n"
		"  --svg FILE   also draw the address space as an SVG picture\n"
		"  -h, --help   print this help and exit\n",
		cli_default_fixture_name);
}

/* Returns -1 to go on, or the exit status to stop with. */
static int
parse_args(int argc, char **argv, struct show_args *args)
{
	static const struct option options[] = {
		{ "svg", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(args, 0, sizeof(*args));
	opterr = 0;  /* our own messages, in the CLI's format */
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		if (c == 'h') {
			print_usage(stdout);
			return CLI_EXIT_OK;
		}
		if (c == 's' && optarg[0] != '\0')
			args->svg_path = optarg;
		else if (c == ':' || c == 's')  /* --svg is the only one */
			return cli_usage_error(CMD, "option '--svg' needs a file name");
		else if (optopt)
			return cli_usage_error(CMD, "unknown option '-%c'", optopt);
		else
			return cli_usage_error(CMD, "unknown option '%s'",
					       argv[optind - 1]);
	}
	if (argc - optind > 1)
		return cli_usage_error(CMD, "one fixture at most, got '%s' too",
				       argv[optind + 1]);
	args->fixture = optind < argc ? argv[optind] : NULL;
	return -1;
}

/* One "key value" line; multi-line values continue under the value. */
static void
print_field(const char *key, const char *value)
{
	const char *line = value;

	if (!value)
		return;
	printf("  %-12s ", key);
	for (;;) {
		const char *nl = strchr(line, '\n');
		int len = nl ? (int)(nl - line) : (int)strlen(line);

		printf("%.*s\n", len, line);
		if (!nl || !nl[1])
			break;
		line = nl + 1;
		printf("  %-12s ", "");
	}
}

static void
print_header(const struct tdxsim_platform *p)
{
	const char *name = tdxsim_platform_info(p, TDXSIM_INFO_NAME);
	const char *desc = tdxsim_platform_info(p, TDXSIM_INFO_DESCRIPTION);

	printf("Platform %s\n", name ? name : "(unnamed)");
	if (desc)
		printf("  %s\n", desc);
	print_field("source", tdxsim_platform_info(p, TDXSIM_INFO_SOURCE));
	print_field("message-id", tdxsim_platform_info(p, TDXSIM_INFO_MESSAGE_ID));
	print_field("machine", tdxsim_platform_info(p, TDXSIM_INFO_MACHINE));
	print_field("kernel", tdxsim_platform_info(p, TDXSIM_INFO_KERNEL));
	print_field("notes", tdxsim_platform_info(p, TDXSIM_INFO_NOTES));
}

/* "1.5" when the source gave no update number, else "1.5.06" as Intel
 * names releases. */
static const char *
format_version(const struct tdxsim_module_profile *m, char *buf, size_t size)
{
	if (m->update == TDXSIM_VERSION_UNKNOWN)
		snprintf(buf, size, "%u.%u", m->major, m->minor);
	else
		snprintf(buf, size, "%u.%u.%02u", m->major, m->minor, m->update);
	return buf;
}

static void
print_profile(const struct tdxsim_platform *p)
{
	const struct tdxsim_module_profile *m = tdxsim_platform_module_profile(p);
	char version[32];

	printf("\nTDX module\n");
	printf("  %-24s %s\n", "version", format_version(m, version, sizeof(version)));
	if (m->build_date)
		printf("  %-24s %08u\n", "build date", (unsigned)m->build_date);
	else
		printf("  %-24s %s\n", "build date", "unknown");
	if (m->build_num)
		printf("  %-24s %u\n", "build number", (unsigned)m->build_num);
	else
		printf("  %-24s %s\n", "build number", "unknown");
	printf("  %-24s %u\n", "MAX_TDMRS", m->max_tdmrs);
	printf("  %-24s %u\n", "MAX_RESERVED_PER_TDMR", m->max_reserved_per_tdmr);
	printf("  %-24s 4K %u B, 2M %u B, 1G %u B\n", "PAMT entry sizes",
	       m->pamt_entry_size[0], m->pamt_entry_size[1], m->pamt_entry_size[2]);
	printf("  %-24s %u\n", "CMR slots", m->cmr_slots);
	printf("  %-24s [%u, %u)\n", "private KeyIDs",
	       (unsigned)m->keyid_start, (unsigned)m->keyid_end);
	printf("  %-24s %u\n", "logical CPUs", m->nr_lps);
	printf("  %-24s %u\n", "packages", m->nr_packages);
}

static void
print_range_row(const char *index, uint64_t start, uint64_t end,
		const char *tail)
{
	char size[32];

	printf("  %5s  " ADDR_FMT "  " ADDR_FMT "  %11s%s%s\n", index,
	       (unsigned long long)start, (unsigned long long)end,
	       cli_format_size(end - start, size, sizeof(size)),
	       tail ? "  " : "", tail ? tail : "");
}

static void
print_elision(void)
{
	printf("  %5s  %-18s  (entries left out by the source)\n", "", "...");
}

static void
print_ram_total(const struct tdxsim_platform *p)
{
	unsigned long long ram = tdxsim_platform_ram_bytes(p);
	char size[32];

	printf("  RAM total: %s (%llu bytes)%s\n",
	       cli_format_size(ram, size, sizeof(size)), ram,
	       tdxsim_platform_e820_truncated(p) ? " in the entries given" : "");
}

static void
print_e820(const struct tdxsim_platform *p)
{
	enum tdxsim_e820_spelling spelling = tdxsim_platform_e820_spelling(p);
	size_t count = tdxsim_platform_e820_count(p);

	printf("\nE820 (%zu entries, %s spelling%s)\n", count,
	       spelling == TDXSIM_E820_SPELLING_MODERN ? "modern" : "legacy",
	       tdxsim_platform_e820_truncated(p) ? ", truncated by the source" : "");
	printf("  %5s  %-18s  %-18s  %11s  %s\n", "#", "start", "end (excl.)",
	       "size", "type");
	for (size_t i = 0; i <= count; i++) {
		const struct tdxsim_e820_entry *e;
		char index[24], type[32];

		if (tdxsim_platform_e820_elided_before(p, i))
			print_elision();
		e = tdxsim_platform_e820_entry(p, i);
		if (!e)
			break;
		snprintf(index, sizeof(index), "%zu", i);
		print_range_row(index, e->start, e->end,
				tdxsim_e820_type_name(e->type, spelling, type,
						      sizeof(type)));
	}
	print_ram_total(p);
}

static void
print_cmrs(const struct tdxsim_platform *p)
{
	size_t count = tdxsim_platform_cmr_count(p);
	unsigned long long total = 0;
	char index[24], size[32];

	if (count == 0) {
		printf("\nCMRs: none given\n");
		return;
	}
	printf("\nCMRs (%zu slots given)\n", count);
	printf("  %5s  %-18s  %-18s  %11s\n", "#", "base", "end (excl.)", "size");
	for (size_t i = 0; i < count; i++) {
		const struct tdxsim_cmr *c = tdxsim_platform_cmr(p, i);

		snprintf(index, sizeof(index), "%zu", i);
		if (c->size == 0) {
			printf("  %5s  null\n", index);
			continue;
		}
		print_range_row(index, c->base, c->base + c->size, NULL);
		total += c->size;
	}
	printf("  CMR total: %s (%llu bytes)\n",
	       cli_format_size(total, size, sizeof(size)), total);
}

static void
print_nodes(const struct tdxsim_platform *p)
{
	size_t count = tdxsim_platform_node_range_count(p);

	if (count == 0)
		return;
	printf("\nNUMA node ranges (%zu)\n", count);
	printf("  %5s  %-18s  %-18s  %11s\n", "node", "start", "end (excl.)", "size");
	for (size_t i = 0; i < count; i++) {
		const struct tdxsim_node_range *r = tdxsim_platform_node_range(p, i);
		char nid[24];

		snprintf(nid, sizeof(nid), "%u", r->nid);
		print_range_row(nid, r->start, r->end, NULL);
	}
}

static const char *
outcome_name(enum tdxsim_expect_outcome outcome)
{
	switch (outcome) {
	case TDXSIM_EXPECT_OK:
		return "ok";
	case TDXSIM_EXPECT_FAIL:
		return "fail";
	case TDXSIM_EXPECT_UNSET:
		break;
	}
	return "unset";
}

static void
print_number(const char *key, long long value)
{
	if (value != TDXSIM_EXPECT_NONE)
		printf(", %s %lld", key, value);
}

static void
print_expect_lines(const char *lines)
{
	const char *line = lines;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		int len = nl ? (int)(nl - line) : (int)strlen(line);

		printf("      | %.*s\n", len, line);
		line = nl ? nl + 1 : NULL;
	}
}

static void
print_expect(const struct tdxsim_expect *e)
{
	printf("  %-12s %s", e->strategy, outcome_name(e->outcome));
	if (e->has_errno)
		printf(", errno %d (%s)", e->err, strerror(-e->err));
	print_number("TDMRs", e->tdmrs);
	print_number("max reserved", e->max_reserved);
	print_number("PAMT KB", e->pamt_kb);
	printf("\n");
	print_expect_lines(e->lines);
}

static void
print_expects(const struct tdxsim_platform *p)
{
	size_t count = tdxsim_platform_expect_count(p);

	if (count == 0)
		return;
	printf("\nExpected outcomes\n");
	for (size_t i = 0; i < count; i++)
		print_expect(tdxsim_platform_expect(p, i));
}

static void
print_platform(const struct tdxsim_platform *p)
{
	print_header(p);
	print_profile(p);
	print_e820(p);
	print_cmrs(p);
	print_nodes(p);
	print_expects(p);
}

/* ---- the picture ---- */

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

static int
store_init(struct item_store *s, size_t capacity)
{
	s->count = 0;
	s->items = calloc(capacity ? capacity : 1, sizeof(*s->items));
	s->texts = calloc(capacity ? capacity : 1, sizeof(*s->texts));
	return s->items && s->texts ? 0 : -ENOMEM;
}

static void
store_free(struct item_store *s)
{
	free(s->items);
	free(s->texts);
}

/* Append an item whose strings the caller then writes into the result. */
static struct item_text *
store_add(struct item_store *s, uint64_t start, uint64_t end,
	  const char *css_class, const char *fill)
{
	struct svg_item *it = &s->items[s->count];
	struct item_text *t = &s->texts[s->count++];

	it->start = start;
	it->end = end;
	it->css_class = css_class;
	it->fill = fill;
	it->text = t->text;
	it->title = t->title;
	return t;
}

/* Add a legend entry for a class unless one is there already. */
static void
legend_add(struct legend_store *l, const char *css_class, const char *text)
{
	for (size_t i = 0; i < l->count; i++) {
		if (strcmp(l->entries[i].css_class, css_class) == 0)
			return;
	}
	if (l->count == LEGEND_MAX)
		return;
	snprintf(l->names[l->count], sizeof(l->names[0]), "%s", text);
	l->entries[l->count].css_class = css_class;
	l->entries[l->count].fill = NULL;
	l->entries[l->count].text = l->names[l->count];
	l->count++;
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
add_elision(struct item_store *s, struct legend_store *l,
	    const struct tdxsim_platform *p, size_t index)
{
	uint64_t start, end;
	struct item_text *t;

	elision_range(p, index, &start, &end);
	if (end <= start)
		return;
	t = store_add(s, start, end, SVG_CLASS_UNKNOWN, NULL);
	snprintf(t->title, sizeof(t->title),
		 "not in source: E820 entries left out in [0x%llx, 0x%llx)",
		 (unsigned long long)start, (unsigned long long)end);
	snprintf(t->text, sizeof(t->text), "not in source");
	legend_add(l, SVG_CLASS_UNKNOWN, "E820 not in source (left out)");
}

static void
add_e820_entry(struct item_store *s, struct legend_store *l,
	       const struct tdxsim_platform *p, const struct tdxsim_e820_entry *e)
{
	const char *css_class = e820_class(e->type);
	struct item_text *t = store_add(s, e->start, e->end, css_class, NULL);
	char type[32], size[32];

	tdxsim_e820_type_name(e->type, tdxsim_platform_e820_spelling(p), type,
			      sizeof(type));
	/* The kernel's own line, so a tooltip can be searched for in dmesg. */
	snprintf(t->title, sizeof(t->title),
		 "[mem " ADDR_FMT "-" ADDR_FMT "] %s (%s)",
		 (unsigned long long)e->start, (unsigned long long)e->end - 1,
		 type, cli_format_size(e->end - e->start, size, sizeof(size)));
	snprintf(t->text, sizeof(t->text), "%s", type);
	legend_add(l, css_class, strcmp(css_class, "e820-other") ? type : "other type");
}

static int
build_e820_track(const struct tdxsim_platform *p, struct item_store *s,
		 struct legend_store *l)
{
	size_t count = tdxsim_platform_e820_count(p);
	int ret = store_init(s, 2 * count + 1);

	if (ret < 0)
		return ret;
	for (size_t i = 0; i <= count; i++) {
		if (tdxsim_platform_e820_elided_before(p, i))
			add_elision(s, l, p, i);
		if (i < count)
			add_e820_entry(s, l, p, tdxsim_platform_e820_entry(p, i));
	}
	return 0;
}

static int
build_cmr_track(const struct tdxsim_platform *p, struct item_store *s,
		struct legend_store *l)
{
	size_t count = tdxsim_platform_cmr_count(p);
	int ret = store_init(s, count);

	if (ret < 0)
		return ret;
	for (size_t i = 0; i < count; i++) {
		const struct tdxsim_cmr *c = tdxsim_platform_cmr(p, i);
		struct item_text *t;
		char size[32];

		if (c->size == 0)
			continue;  /* a null slot covers nothing */
		t = store_add(s, c->base, c->base + c->size, "cmr", NULL);
		snprintf(t->title, sizeof(t->title), "CMR[%zu]: [0x%llx, 0x%llx) %s",
			 i, (unsigned long long)c->base,
			 (unsigned long long)(c->base + c->size),
			 cli_format_size(c->size, size, sizeof(size)));
		snprintf(t->text, sizeof(t->text), "CMR%zu", i);
	}
	if (s->count)
		legend_add(l, "cmr", "convertible memory (CMR)");
	return 0;
}

static int
build_node_track(const struct tdxsim_platform *p, struct item_store *s)
{
	size_t count = tdxsim_platform_node_range_count(p);
	int ret = store_init(s, count);

	if (ret < 0)
		return ret;
	for (size_t i = 0; i < count; i++) {
		const struct tdxsim_node_range *r = tdxsim_platform_node_range(p, i);
		struct item_text *t;
		char size[32];

		t = store_add(s, r->start, r->end, NULL, svg_palette(r->nid));
		snprintf(t->title, sizeof(t->title),
			 "node %u: [mem " ADDR_FMT "-" ADDR_FMT "] %s", r->nid,
			 (unsigned long long)r->start, (unsigned long long)r->end - 1,
			 cli_format_size(r->end - r->start, size, sizeof(size)));
		snprintf(t->text, sizeof(t->text), "node %u", r->nid);
	}
	return 0;
}

/* The tracks of a platform: E820, and CMRs and NUMA nodes when known. */
struct picture {
	struct item_store stores[3];
	struct svg_track tracks[3];
	size_t count;
	struct legend_store legend;
};

static void
picture_free(struct picture *pic)
{
	for (size_t i = 0; i < sizeof(pic->stores) / sizeof(pic->stores[0]); i++)
		store_free(&pic->stores[i]);
}

static void
picture_track(struct picture *pic, size_t index, const char *id,
	      const char *label)
{
	pic->tracks[pic->count].id = id;
	pic->tracks[pic->count].label = label;
	pic->tracks[pic->count].items = pic->stores[index].items;
	pic->tracks[pic->count].count = pic->stores[index].count;
	pic->count++;
}

static int
picture_build(const struct tdxsim_platform *p, struct picture *pic)
{
	int ret;

	memset(pic, 0, sizeof(*pic));
	ret = build_e820_track(p, &pic->stores[0], &pic->legend);
	if (ret == 0)
		ret = build_cmr_track(p, &pic->stores[1], &pic->legend);
	if (ret == 0)
		ret = build_node_track(p, &pic->stores[2]);
	if (ret < 0)
		return ret;
	picture_track(pic, 0, "track-e820", "E820");
	/* An empty band would claim there is no convertible memory; a
	 * source without CMRs only says nothing about it. */
	if (pic->stores[1].count)
		picture_track(pic, 1, "track-cmr", "CMRs");
	if (pic->stores[2].count)
		picture_track(pic, 2, "track-numa", "NUMA nodes");
	return 0;
}

static int
render_picture(const struct tdxsim_platform *p, FILE *out)
{
	const char *name = tdxsim_platform_info(p, TDXSIM_INFO_NAME);
	struct svg_options opts = { 0 };
	struct picture pic;
	int ret = picture_build(p, &pic);

	if (ret == 0) {
		opts.title = name ? name : "platform";
		opts.subtitle = tdxsim_platform_info(p, TDXSIM_INFO_DESCRIPTION);
		opts.css = show_css;
		opts.legend = pic.legend.entries;
		opts.legend_count = pic.legend.count;
		ret = svg_render(out, pic.tracks, pic.count, &opts);
	}
	picture_free(&pic);
	return ret;
}

static int
write_svg(const struct tdxsim_platform *p, const char *path)
{
	FILE *out = fopen(path, "w");
	int ret;

	if (!out) {
		fprintf(stderr, "tdxsim %s: %s: %s\n", CMD, path, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	ret = render_picture(p, out);
	if (fclose(out) != 0 && ret == 0)
		ret = -errno;
	if (ret < 0) {
		fprintf(stderr, "tdxsim %s: %s: %s\n", CMD, path, strerror(-ret));
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

int
cmd_show(int argc, char **argv)
{
	struct tdxsim_platform *p = NULL;
	struct show_args args;
	int ret = parse_args(argc, argv, &args);

	if (ret >= 0)
		return ret;
	ret = cli_load_platform(args.fixture, &p);
	if (ret != CLI_EXIT_OK)
		return ret;
	print_platform(p);
	if (args.svg_path)
		ret = write_svg(p, args.svg_path);
	tdxsim_platform_free(p);
	return ret;
}
