/* SPDX-License-Identifier: MIT */
/*
 * SVG picture of a physical address space (see svg.h for the scale).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

/* Geometry in pixels; text widths are estimated from the font size since
 * an SVG writer cannot measure glyphs. */
enum {
	MARGIN = 16,
	LABEL_W = 128,          /* column of track names */
	RIGHT_W = 48,           /* room for the last axis label */
	TOP = 70,               /* first track */
	TRACK_H = 28,
	TRACK_GAP = 12,
	TICK_H = 6,
	DEFAULT_AXIS_W = 1400,
	MIN_PIECE_W = 3,        /* a 4 KiB piece stays visible */
	/* The widest axis drawn. Every piece gets 2 * MIN_PIECE_W on
	 * average, so up to MAX_AXIS_W / 6 = 1000 pieces are drawn one by
	 * one; beyond that (a 100 000-entry map would be 600 000 px wide, more
	 * than browsers and rsvg-convert render as one picture, and no one
	 * can scroll it) only the 1000 roundest boundaries are kept and runs
	 * of items too narrow to see are drawn as one block each. 6000 px is
	 * four screens of a 1600 px display: long, but still one picture. */
	MAX_AXIS_W = 6000,
	/* Between parallel 45-degree axis labels: two labels d apart are
	 * d * sin(45) apart across their lines, which must hold the 10 px
	 * glyph box (1 em) and 2 px of air: d >= 12 / 0.7071. */
	LABEL_SPACING = 17,
	SWATCH = 14,
	LEGEND_ROW = 22,
};

/* Rough advance of one character at 10 and 11 px, for fitting text. */
static const double CHAR_W_10 = 6.0;
static const double CHAR_W_11 = 6.2;
/* sin(45 degrees): how far a rotated axis label reaches down. */
static const double SIN45 = 0.7072;

static const char base_css[] =
	"text{font-family:DejaVu Sans,Verdana,sans-serif;fill:#222}"
	".svg-title{font-size:16px;font-weight:bold}"
	".svg-subtitle,.svg-note{font-size:11px;fill:#555}"
	".svg-tlabel{font-size:12px;font-weight:bold}"
	".svg-band{fill:#fbfbfb;stroke:#bbb;stroke-width:1}"
	".svg-item{fill:#90a4ae;stroke:#fff;stroke-width:0.6}"
	".svg-itext{font-size:10px;text-anchor:middle;dominant-baseline:central;"
	"pointer-events:none;paint-order:stroke;stroke:#fff;stroke-opacity:0.7;"
	"stroke-width:2px}"
	".svg-overlay{stroke:none;pointer-events:none}"
	".svg-grid{stroke:#000;stroke-opacity:0.12;stroke-width:0.6}"
	".svg-axis{stroke:#444;stroke-width:1}"
	".svg-alabel{font-size:10px;font-family:DejaVu Sans Mono,monospace;"
	"text-anchor:end}"
	".svg-ltext{font-size:11px;dominant-baseline:central}"
	"." SVG_CLASS_UNKNOWN "{fill:url(#svg-hatch);stroke:#777;stroke-width:0.6}"
	"." SVG_CLASS_AGGREGATE "{fill:#37474f;stroke:none}";

/* Light, chromatic and pairwise apart (ColorBrewer's Set3 without its
 * grey, a light brown and a cyan): text in #222 stays readable on each,
 * and none is a grey, the colours of reason-coded items. */
static const char *const palette[SVG_PALETTE_COLOURS] = {
	"#8dd3c7", "#fdb462", "#bebada", "#fb8072", "#80b1d3", "#b3de69",
	"#fccde5", "#ffed6f", "#bc80bd", "#ccebc5", "#c49c94", "#17becf",
};

struct svg_style
svg_style(unsigned index)
{
	struct svg_style s = {
		palette[index % SVG_PALETTE_COLOURS],
		(index / SVG_PALETTE_COLOURS) % SVG_PATTERNS,
	};

	return s;
}

/* The overlays of svg_style(), drawn in translucent black over an item's
 * own colour: stripes one way and the other, horizontal lines, dots, a
 * cross-hatch. */
static const char pattern_defs[] =
	"<pattern id=\"svg-pat-1\" patternUnits=\"userSpaceOnUse\" width=\"6\" "
	"height=\"6\" patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" "
	"x2=\"0\" y2=\"6\" stroke=\"#000\" stroke-opacity=\"0.35\" "
	"stroke-width=\"2\"/></pattern>\n"
	"<pattern id=\"svg-pat-2\" patternUnits=\"userSpaceOnUse\" width=\"6\" "
	"height=\"6\" patternTransform=\"rotate(-45)\"><line x1=\"0\" y1=\"0\" "
	"x2=\"0\" y2=\"6\" stroke=\"#000\" stroke-opacity=\"0.35\" "
	"stroke-width=\"2\"/></pattern>\n"
	"<pattern id=\"svg-pat-3\" patternUnits=\"userSpaceOnUse\" width=\"6\" "
	"height=\"5\"><line x1=\"0\" y1=\"2.5\" x2=\"6\" y2=\"2.5\" "
	"stroke=\"#000\" stroke-opacity=\"0.35\" stroke-width=\"1.6\"/></pattern>\n"
	"<pattern id=\"svg-pat-4\" patternUnits=\"userSpaceOnUse\" width=\"5\" "
	"height=\"5\"><circle cx=\"2.5\" cy=\"2.5\" r=\"1.3\" fill=\"#000\" "
	"fill-opacity=\"0.4\"/></pattern>\n"
	"<pattern id=\"svg-pat-5\" patternUnits=\"userSpaceOnUse\" width=\"6\" "
	"height=\"6\" patternTransform=\"rotate(45)\"><path d=\"M0 0V6M0 3H6\" "
	"stroke=\"#000\" stroke-opacity=\"0.3\" stroke-width=\"1.4\"/></pattern>\n";

/* The address axis: sorted distinct boundaries, their x positions, and
 * which of them carry a label. */
struct scale {
	uint64_t *bounds;
	double *x;
	unsigned char *labelled;
	size_t count;
	/* Distinct boundaries of the items, before thin_bounds() kept
	 * count of them; equal to count when every piece is drawn. */
	size_t all_count;
};

/* Everything placed vertically, computed once. */
struct layout {
	double x0;              /* left end of the axis */
	double axis_w;
	double width;
	double axis_y;          /* the axis line, below the last track */
	double note_y;
	double legend_y;
	double height;
};

/* Length in bytes of the valid UTF-8 sequence at s, or 0 if invalid, so
 * that text from a fixture cannot make the document ill-formed. */
static size_t
utf8_length(const unsigned char *s)
{
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	}
	return len;
}

/* Write text escaped for XML content and attribute values; characters XML
 * 1.0 forbids (most controls) and broken UTF-8 become '?'. */
static void
put_escaped(FILE *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;

	while (*s) {
		size_t len = utf8_length(s);

		if (*s == '&')
			fputs("&amp;", out);
		else if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '"')
			fputs("&quot;", out);
		else if (*s == '\'')
			fputs("&apos;", out);
		else if (len == 0 || (*s < 0x20 && *s != '\t' && *s != '\n'))
			fputc('?', out);
		else
			fwrite(s, 1, len, out);
		s += len ? len : 1;
	}
}

static int
compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* log2 with a linear fraction between powers of two: monotonic, and exact
 * enough for choosing widths without pulling in libm. */
static double
approx_log2(uint64_t v)
{
	unsigned k = 0;

	while (k < 63 && (v >> (k + 1)) != 0)
		k++;
	return k + (double)(v - ((uint64_t)1 << k)) / (double)((uint64_t)1 << k);
}

/* Relative width of an elementary interval: 1 for 4 KiB and below, one
 * more for every doubling. */
static double
piece_weight(uint64_t size)
{
	double w = approx_log2(size) - 11.0;

	return w < 1.0 ? 1.0 : w;
}

static size_t
count_items(const struct svg_track *tracks, size_t count)
{
	size_t n = 0;

	for (size_t t = 0; t < count; t++)
		n += tracks[t].count;
	return n;
}

/* Gather every start and end, sorted and without repeats. */
static int
collect_bounds(const struct svg_track *tracks, size_t count, struct scale *sc)
{
	size_t n = 0, max = 2 * count_items(tracks, count);

	sc->bounds = malloc((max ? max : 1) * sizeof(*sc->bounds));
	if (!sc->bounds)
		return -ENOMEM;
	for (size_t t = 0; t < count; t++) {
		for (size_t i = 0; i < tracks[t].count; i++) {
			const struct svg_item *it = &tracks[t].items[i];

			if (it->end <= it->start)
				return -EINVAL;
			sc->bounds[n++] = it->start;
			sc->bounds[n++] = it->end;
		}
	}
	qsort(sc->bounds, n, sizeof(*sc->bounds), compare_u64);
	sc->count = 0;
	for (size_t i = 0; i < n; i++) {
		if (sc->count == 0 || sc->bounds[sc->count - 1] != sc->bounds[i])
			sc->bounds[sc->count++] = sc->bounds[i];
	}
	return 0;
}

/* Share the axis among the pieces: each gets the minimum width plus a
 * share of the rest proportional to its weight. */
static void
place_bounds(struct scale *sc, double x0, double axis_w)
{
	double total = 0.0, spare;

	for (size_t i = 1; i < sc->count; i++)
		total += piece_weight(sc->bounds[i] - sc->bounds[i - 1]);
	spare = axis_w - MIN_PIECE_W * (double)(sc->count ? sc->count - 1 : 0);
	if (spare < 0.0)
		spare = 0.0;
	sc->x[0] = x0;
	for (size_t i = 1; i < sc->count; i++) {
		double w = piece_weight(sc->bounds[i] - sc->bounds[i - 1]);

		sc->x[i] = sc->x[i - 1] + MIN_PIECE_W + spare * w / total;
	}
}

/* How round an address is: its trailing zero bits (64 for 0). */
static unsigned
alignment(uint64_t v)
{
	unsigned n = 0;

	if (v == 0)
		return 64;
	while (!(v & 1)) {
		v >>= 1;
		n++;
	}
	return n;
}

/* Label the boundary at i unless a label within LABEL_SPACING is there.
 * Bucket b holds the one label (if any) in [b, b+1) * LABEL_SPACING from
 * the axis start, since two labels in one bucket would be too close. */
static void
try_label(struct scale *sc, size_t i, double *slot, size_t buckets)
{
	size_t b = (size_t)((sc->x[i] - sc->x[0]) / LABEL_SPACING);

	for (size_t k = b ? b - 1 : 0; k <= b + 1 && k < buckets; k++) {
		if (slot[k] >= 0.0 && sc->x[i] - slot[k] < LABEL_SPACING &&
		    slot[k] - sc->x[i] < LABEL_SPACING)
			return;
	}
	slot[b] = sc->x[i];
	sc->labelled[i] = 1;
}

/* Choose the labelled boundaries, roundest first (every 1 GiB boundary
 * before any 4 KiB one), each where it keeps clear of those placed. */
static int
choose_labels(struct scale *sc)
{
	size_t buckets = sc->count ? (size_t)((sc->x[sc->count - 1] - sc->x[0]) /
					      LABEL_SPACING) + 2 : 1;
	double *slot = malloc(buckets * sizeof(*slot));
	unsigned char *rank = malloc(sc->count ? sc->count : 1);
	int ret = -ENOMEM;

	sc->labelled = calloc(sc->count ? sc->count : 1, 1);
	if (slot && rank && sc->labelled) {
		for (size_t k = 0; k < buckets; k++)
			slot[k] = -1.0;
		for (size_t i = 0; i < sc->count; i++)
			rank[i] = (unsigned char)alignment(sc->bounds[i]);
		for (unsigned a = 65; a-- > 0;) {
			for (size_t i = 0; i < sc->count; i++) {
				if (rank[i] == a)
					try_label(sc, i, slot, buckets);
			}
		}
		ret = 0;
	}
	free(slot);
	free(rank);
	return ret;
}

/* Keep the first and last boundary and the roundest others, max in all,
 * in address order; the rest fall inside the pieces that remain. */
static int
thin_bounds(struct scale *sc, size_t max)
{
	unsigned char *keep = calloc(sc->count, 1);
	size_t kept = 2, n = 0;

	if (!keep)
		return -ENOMEM;
	keep[0] = keep[sc->count - 1] = 1;
	for (unsigned a = 65; a-- > 0 && kept < max;) {
		for (size_t i = 1; i + 1 < sc->count && kept < max; i++) {
			if (!keep[i] && alignment(sc->bounds[i]) == a) {
				keep[i] = 1;
				kept++;
			}
		}
	}
	for (size_t i = 0; i < sc->count; i++) {
		if (keep[i])
			sc->bounds[n++] = sc->bounds[i];
	}
	sc->count = n;
	free(keep);
	return 0;
}

static void
scale_free(struct scale *sc)
{
	free(sc->bounds);
	free(sc->x);
	free(sc->labelled);
}

static int
scale_build(const struct svg_track *tracks, size_t count, double x0,
	    double *axis_w, struct scale *sc)
{
	int ret;

	memset(sc, 0, sizeof(*sc));
	ret = collect_bounds(tracks, count, sc);
	if (ret < 0)
		return ret;
	sc->all_count = sc->count;
	if (sc->count > MAX_AXIS_W / (2 * MIN_PIECE_W) + 1) {
		ret = thin_bounds(sc, MAX_AXIS_W / (2 * MIN_PIECE_W) + 1);
		if (ret < 0)
			return ret;
	}
	sc->x = malloc((sc->count ? sc->count : 1) * sizeof(*sc->x));
	if (!sc->x)
		return -ENOMEM;
	/* Many pieces widen the picture rather than squash them. */
	if (sc->count > 1 && *axis_w < 2.0 * MIN_PIECE_W * (double)(sc->count - 1))
		*axis_w = 2.0 * MIN_PIECE_W * (double)(sc->count - 1);
	if (sc->count)
		place_bounds(sc, x0, *axis_w);
	return choose_labels(sc);
}

/* x of an address: a boundary's own x, or (for an edge thin_bounds()
 * dropped) linear within the piece that holds it. */
static double
scale_x(const struct scale *sc, uint64_t addr)
{
	size_t lo = 0, hi = sc->count;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (sc->bounds[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (sc->bounds[lo] == addr || lo + 1 >= sc->count)
		return sc->x[lo];
	return sc->x[lo] + (sc->x[lo + 1] - sc->x[lo]) *
		((double)(addr - sc->bounds[lo]) /
		 (double)(sc->bounds[lo + 1] - sc->bounds[lo]));
}

static size_t
hex_length(uint64_t v)
{
	char buf[24];

	return (size_t)snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
}

static double
track_y(size_t index)
{
	return TOP + (double)index * (TRACK_H + TRACK_GAP);
}

/* Rows the legend needs when wrapped to the picture's width. */
static unsigned
legend_rows(const struct svg_options *o, double width)
{
	double x = MARGIN;
	unsigned rows = o->legend_count ? 1 : 0;

	for (size_t i = 0; i < o->legend_count; i++) {
		double w = SWATCH + 6 + CHAR_W_11 * (double)strlen(o->legend[i].text) + 18;

		if (x + w > width - MARGIN && x > MARGIN) {
			rows++;
			x = MARGIN;
		}
		x += w;
	}
	return rows;
}

static void
compute_layout(const struct scale *sc, size_t count,
	       const struct svg_options *o, double axis_w, struct layout *l)
{
	size_t longest = 0;

	for (size_t i = 0; i < sc->count; i++) {
		size_t n = hex_length(sc->bounds[i]);

		longest = n > longest ? n : longest;
	}
	l->x0 = MARGIN + LABEL_W;
	l->axis_w = axis_w;
	l->width = l->x0 + axis_w + RIGHT_W;
	l->axis_y = track_y(count) - TRACK_GAP + TICK_H;
	l->note_y = l->axis_y + TICK_H + CHAR_W_10 * (double)longest * SIN45 + 24;
	l->legend_y = l->note_y + 20;
	l->height = l->legend_y + LEGEND_ROW * legend_rows(o, l->width) + MARGIN;
}

static void
emit_head(FILE *out, const struct svg_options *o, const struct layout *l)
{
	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
		l->width, l->height, l->width, l->height);
	fputs("<defs>\n<pattern id=\"svg-hatch\" patternUnits=\"userSpaceOnUse\" "
	      "width=\"6\" height=\"6\" patternTransform=\"rotate(45)\">"
	      "<rect width=\"6\" height=\"6\" fill=\"#eeeeee\"/>"
	      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#999\" "
	      "stroke-width=\"3\"/></pattern>\n", out);
	fputs(pattern_defs, out);
	fputs("<style>", out);
	put_escaped(out, base_css);
	if (o->css)
		put_escaped(out, o->css);
	fputs("</style>\n</defs>\n", out);
	fprintf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
}

static void
emit_titles(FILE *out, const struct svg_options *o)
{
	if (o->title) {
		fprintf(out, "<text class=\"svg-title\" x=\"%d\" y=\"%d\">", MARGIN, 28);
		put_escaped(out, o->title);
		fputs("</text>\n", out);
	}
	if (o->subtitle) {
		fprintf(out, "<text class=\"svg-subtitle\" x=\"%d\" y=\"%d\">", MARGIN, 48);
		put_escaped(out, o->subtitle);
		fputs("</text>\n", out);
	}
}

/* The label inside an item, only when it fits. */
static void
emit_item_text(FILE *out, const struct svg_item *it, double x, double w,
	       double y)
{
	if (!it->text || CHAR_W_10 * (double)strlen(it->text) + 6 > w)
		return;
	fprintf(out, "<text class=\"svg-itext\" x=\"%.2f\" y=\"%.2f\">",
		x + w / 2, y + TRACK_H / 2.0);
	put_escaped(out, it->text);
	fputs("</text>\n", out);
}

/* "<rect" of an item or swatch with its class and colour, left open for a
 * title. */
static void
emit_rect_open(FILE *out, const char *css_class, const char *fill, double x,
	       double y, double w, double h)
{
	fputs("<rect class=\"svg-item", out);
	if (css_class) {
		fputc(' ', out);
		put_escaped(out, css_class);
	}
	fprintf(out, "\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"",
		x, y, w, h);
	if (fill) {
		/* A style attribute, since a fill attribute would lose to the
		 * class rules. */
		fputs(" style=\"fill:", out);
		put_escaped(out, fill);
		fputc('"', out);
	}
}

/* The pattern of svg_style() over a rectangle already drawn; its own
 * rectangle, so that the colour underneath stays the item's. */
static void
emit_overlay(FILE *out, unsigned pattern, double x, double y, double w,
	     double h)
{
	if (pattern == 0 || pattern >= SVG_PATTERNS)
		return;
	fprintf(out, "<rect class=\"svg-overlay\" x=\"%.2f\" y=\"%.2f\" "
		"width=\"%.2f\" height=\"%.2f\" style=\"fill:url(#svg-pat-%u)\"/>\n",
		x, y, w, h, pattern);
}

static void
emit_item(FILE *out, const struct scale *sc, const struct svg_item *it,
	  double y)
{
	double x = scale_x(sc, it->start), w = scale_x(sc, it->end) - x;

	emit_rect_open(out, it->css_class, it->fill, x, y, w, TRACK_H);
	if (it->title) {
		fputs("><title>", out);
		put_escaped(out, it->title);
		fputs("</title></rect>\n", out);
	} else {
		fputs("/>\n", out);
	}
	emit_overlay(out, it->pattern, x, y, w, TRACK_H);
	emit_item_text(out, it, x, w, y);
}

/* One block for a run of items too narrow to see, its tooltip their
 * count and extent. */
static void
emit_aggregate(FILE *out, const struct scale *sc, uint64_t start, uint64_t end,
	       size_t items, double y)
{
	double x = scale_x(sc, start), w = scale_x(sc, end) - x;

	emit_rect_open(out, SVG_CLASS_AGGREGATE, NULL, x, y, w, TRACK_H);
	fprintf(out, " data-items=\"%zu\"><title>%zu items in [0x%llx, 0x%llx)"
		"</title></rect>\n", items, items, (unsigned long long)start,
		(unsigned long long)end);
}

/* The items of a track on a thinned scale: each one at least MIN_PIECE_W
 * wide as itself, runs of consecutive narrower ones as one block each,
 * closed when it is MIN_PIECE_W wide. A run of one is drawn as the item
 * it is. */
static void
emit_items_merged(FILE *out, const struct scale *sc, const struct svg_track *t,
		  double y)
{
	size_t first = 0, run = 0;

	for (size_t i = 0; i <= t->count; i++) {
		const struct svg_item *it = i < t->count ? &t->items[i] : NULL;
		bool narrow = it && scale_x(sc, it->end) - scale_x(sc, it->start) < MIN_PIECE_W;
		bool full = run && scale_x(sc, t->items[i - 1].end) -
			scale_x(sc, t->items[first].start) >= MIN_PIECE_W;
		/* A run covers [first start, last end): only items in
		 * address order may join it (a PAMT track is in TDMR order). */
		bool behind = run && it && it->start < t->items[i - 1].end;

		if (run && (!narrow || full || behind)) {
			if (run == 1)
				emit_item(out, sc, &t->items[first], y);
			else
				emit_aggregate(out, sc, t->items[first].start,
					       t->items[i - 1].end, run, y);
			run = 0;
		}
		if (narrow) {
			if (run++ == 0)
				first = i;
		} else if (it) {
			emit_item(out, sc, it, y);
		}
	}
}

static void
emit_track(FILE *out, const struct scale *sc, const struct layout *l,
	   const struct svg_track *t, double y)
{
	fputs("<g class=\"svg-track\"", out);
	if (t->id) {
		fputs(" id=\"", out);
		put_escaped(out, t->id);
		fputc('"', out);
	}
	fputs(">\n", out);
	fprintf(out, "<text class=\"svg-tlabel\" x=\"%d\" y=\"%.2f\" "
		"dominant-baseline=\"central\">", MARGIN, y + TRACK_H / 2.0);
	put_escaped(out, t->label ? t->label : "");
	fputs("</text>\n", out);
	fprintf(out, "<rect class=\"svg-band\" x=\"%.2f\" y=\"%.2f\" "
		"width=\"%.2f\" height=\"%d\"/>\n", l->x0, y, l->axis_w, TRACK_H);
	if (sc->all_count == sc->count) {
		for (size_t i = 0; i < t->count; i++)
			emit_item(out, sc, &t->items[i], y);
	} else {
		emit_items_merged(out, sc, t, y);
	}
	fputs("</g>\n", out);
}

/* Faint lines through all tracks at every boundary, so that edges of
 * different layers can be compared by eye. */
static void
emit_grid(FILE *out, const struct scale *sc, const struct layout *l)
{
	fputs("<g class=\"svg-gridlines\">\n", out);
	for (size_t i = 0; i < sc->count; i++)
		fprintf(out, "<line class=\"svg-grid\" x1=\"%.2f\" y1=\"%d\" "
			"x2=\"%.2f\" y2=\"%.2f\"/>\n", sc->x[i], TOP - 4,
			sc->x[i], l->axis_y);
	fputs("</g>\n", out);
}

static void
emit_axis_label(FILE *out, double x, double y, uint64_t addr)
{
	fprintf(out, "<text class=\"svg-alabel\" x=\"%.2f\" y=\"%.2f\" "
		"transform=\"rotate(-45 %.2f %.2f)\">0x%llx</text>\n",
		x, y, x, y, (unsigned long long)addr);
}

/* A tick at every boundary, longer where choose_labels() put a label. */
static void
emit_axis(FILE *out, const struct scale *sc, const struct layout *l)
{
	double y = l->axis_y;

	fputs("<g class=\"svg-axisgroup\">\n", out);
	fprintf(out, "<line class=\"svg-axis\" x1=\"%.2f\" y1=\"%.2f\" "
		"x2=\"%.2f\" y2=\"%.2f\"/>\n", l->x0, y, l->x0 + l->axis_w, y);
	for (size_t i = 0; i < sc->count; i++) {
		double x = sc->x[i];
		int labelled = sc->labelled[i];

		fprintf(out, "<line class=\"svg-axis\" x1=\"%.2f\" y1=\"%.2f\" "
			"x2=\"%.2f\" y2=\"%.2f\" data-addr=\"0x%llx\"/>\n", x, y, x,
			y + (labelled ? TICK_H : TICK_H / 2),
			(unsigned long long)sc->bounds[i]);
		if (labelled)
			emit_axis_label(out, x + 3, y + TICK_H + 4, sc->bounds[i]);
	}
	fputs("</g>\n", out);
}

static void
emit_note(FILE *out, const struct scale *sc, const struct layout *l)
{
	fprintf(out, "<text class=\"svg-note\" x=\"%.2f\" y=\"%.2f\">"
		"Address axis not to scale: each piece between two boundaries "
		"is as wide as log2 of its size (minimum %d px). "
		"Hover a range for its exact bounds.", l->x0, l->note_y, MIN_PIECE_W);
	if (sc->all_count != sc->count)
		fprintf(out, " %zu of %zu boundaries kept (the roundest); dark "
			"blocks are runs of items too narrow to draw, hover for "
			"their count.", sc->count, sc->all_count);
	fputs("</text>\n", out);
}

/* Strips of the palette's first colours, for items coloured one each. */
static void
emit_palette_swatch(FILE *out, double x, double y)
{
	enum { STRIPS = 4 };

	for (unsigned i = 0; i < STRIPS; i++)
		fprintf(out, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
			"height=\"%d\" style=\"fill:%s\"/>\n",
			x + i * (double)SWATCH / STRIPS, y, (double)SWATCH / STRIPS,
			SWATCH, svg_style(i).fill);
}

static void
emit_swatch(FILE *out, const struct svg_legend *e, double x, double y)
{
	if (e->palette) {
		emit_palette_swatch(out, x, y);
	} else {
		emit_rect_open(out, e->css_class, e->fill, x, y, SWATCH, SWATCH);
		fputs("/>\n", out);
	}
	fprintf(out, "<text class=\"svg-ltext\" x=\"%.2f\" y=\"%.2f\">",
		x + SWATCH + 6, y + SWATCH / 2.0);
	put_escaped(out, e->text);
	fputs("</text>\n", out);
}

static void
emit_legend(FILE *out, const struct svg_options *o, const struct layout *l)
{
	double x = MARGIN, y = l->legend_y;

	fputs("<g class=\"svg-legend\">\n", out);
	for (size_t i = 0; i < o->legend_count; i++) {
		const struct svg_legend *e = &o->legend[i];
		double w = SWATCH + 6 + CHAR_W_11 * (double)strlen(e->text) + 18;

		if (x + w > l->width - MARGIN && x > MARGIN) {
			x = MARGIN;
			y += LEGEND_ROW;
		}
		emit_swatch(out, e, x, y);
		x += w;
	}
	fputs("</g>\n", out);
}

static void
emit_document(FILE *out, const struct svg_track *tracks, size_t count,
	      const struct svg_options *o, const struct scale *sc,
	      const struct layout *l)
{
	emit_head(out, o, l);
	emit_titles(out, o);
	for (size_t t = 0; t < count; t++)
		emit_track(out, sc, l, &tracks[t], track_y(t));
	emit_grid(out, sc, l);
	emit_axis(out, sc, l);
	emit_note(out, sc, l);
	emit_legend(out, o, l);
	fputs("</svg>\n", out);
}

/* The caller's legend and one more entry, for the blocks that stand for
 * runs of items (a thinned scale only). */
static int
legend_with_runs(const struct svg_options *o, struct svg_options *copy,
		 struct svg_legend **legend)
{
	static const struct svg_legend runs = {
		SVG_CLASS_AGGREGATE, NULL, 0, "items too narrow to draw, one block per run",
	};

	*legend = malloc((o->legend_count + 1) * sizeof(**legend));
	if (!*legend)
		return -ENOMEM;
	if (o->legend_count)
		memcpy(*legend, o->legend, o->legend_count * sizeof(**legend));
	(*legend)[o->legend_count] = runs;
	*copy = *o;
	copy->legend = *legend;
	copy->legend_count = o->legend_count + 1;
	return 0;
}

int
svg_render(FILE *out, const struct svg_track *tracks, size_t count,
	   const struct svg_options *options)
{
	static const struct svg_options none;
	const struct svg_options *o = options ? options : &none;
	double axis_w = o->axis_width ? o->axis_width : DEFAULT_AXIS_W;
	struct scale sc;
	struct layout l;
	struct svg_legend *legend = NULL;
	struct svg_options with_runs;
	int ret;

	ret = scale_build(tracks, count, MARGIN + LABEL_W, &axis_w, &sc);
	if (ret == 0 && sc.all_count != sc.count) {
		ret = legend_with_runs(o, &with_runs, &legend);
		o = &with_runs;
	}
	if (ret == 0) {
		compute_layout(&sc, count, o, axis_w, &l);
		/* stdio drops a buffer it failed to write: the errno of that
		 * write is the only record of why (ENOSPC, EFBIG). */
		errno = 0;
		emit_document(out, tracks, count, o, &sc, &l);
		if (fflush(out) != 0 || ferror(out))
			ret = errno ? -errno : -EIO;
	}
	free(legend);
	scale_free(&sc);
	return ret;
}
