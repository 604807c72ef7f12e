/* SPDX-License-Identifier: MIT */
/*
 * Drawing a physical address space as an SVG picture: one horizontal track
 * per layer (E820, CMRs, NUMA nodes, and later TDMRs, reserved areas,
 * PAMTs), all sharing one address axis.
 *
 * The axis is piecewise: the boundaries of every item of every track cut it
 * into elementary intervals, and each interval gets a width that grows with
 * log2 of its size, never below a minimum. A linear axis would make a 4 KiB
 * hole next to TiBs of RAM invisible; this one keeps every piece visible
 * and still shows bigger pieces bigger. The axis is at most 6000 px wide:
 * a map with more boundaries than that holds keeps the roundest, and runs
 * of items too narrow to see become one block each with their count.
 * Boundaries are labelled with hex addresses where a label keeps clear of every other, the most aligned
 * addresses first (a 1 GiB boundary before a 4 KiB one), so that with
 * hundreds of boundaries the round ones stay readable.
 *
 * Callers own every string and array they pass; nothing is kept after
 * svg_render() returns.
 */
#ifndef TDXSIM_SVG_H
#define TDXSIM_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Class of items whose content the source did not give (drawn hatched). */
#define SVG_CLASS_UNKNOWN "svg-unknown"
/* Class of the blocks that stand for runs of items too narrow to draw,
 * when a map has more boundaries than the widest axis holds (svg.c,
 * MAX_AXIS_W); each carries its item count in a data-items attribute. */
#define SVG_CLASS_AGGREGATE "svg-aggregate"

/* Overlays of the palette (svg_style()): 0 is none, then hatchings and
 * dots drawn over an item's colour. */
#define SVG_PATTERNS 6
/* Colours of the palette; with the overlays, this many times SVG_PATTERNS
 * items in a row get pairwise different looks (72: more than the 64 TDMRs
 * any TDX module allows). */
#define SVG_PALETTE_COLOURS 12

/* One coloured range [start, end) on a track. */
struct svg_item {
	uint64_t start;
	uint64_t end;
	const char *css_class; /* styled by svg_options.css; NULL: default fill */
	const char *fill;      /* explicit colour overriding the class, or NULL */
	unsigned pattern;      /* overlay 0..SVG_PATTERNS-1 (0: none) */
	const char *text;      /* short label drawn inside when it fits, or NULL */
	const char *title;     /* tooltip (<title>), or NULL */
};

/* One horizontal band of items, drawn in the order given. */
struct svg_track {
	const char *id;        /* XML id of the track's <g>, or NULL */
	const char *label;     /* name shown left of the band */
	const struct svg_item *items;
	size_t count;
};

/* One swatch of the legend: a class or a colour, and its meaning; or, for
 * items coloured one each by svg_style(), the palette's first colours. */
struct svg_legend {
	const char *css_class;
	const char *fill;
	int palette;           /* nonzero: a swatch of palette colours */
	const char *text;
};

struct svg_options {
	const char *title;     /* heading, or NULL */
	const char *subtitle;  /* smaller second line, or NULL */
	const char *css;       /* extra stylesheet rules for the items' classes */
	const struct svg_legend *legend;
	size_t legend_count;
	unsigned axis_width;   /* pixels for the address axis; 0: default */
};

/*
 * Write a standalone SVG document with the tracks top to bottom.
 * Returns 0, -EINVAL for an item with end <= start, -ENOMEM, or -EIO when
 * writing failed.
 */
int svg_render(FILE *out, const struct svg_track *tracks, size_t count,
	       const struct svg_options *options);

/* The look of the index-th item of a kind that gets one each (NUMA
 * nodes, TDMRs): the palette's colours in turn, plain for the first
 * round, then under each overlay in turn. The colours are light and
 * chromatic, so that text stays readable on them and no grey of a
 * reason-coloured item (reserved areas) is ever among them. */
struct svg_style {
	const char *fill;
	unsigned pattern;
};

struct svg_style svg_style(unsigned index);

#endif /* TDXSIM_SVG_H */
