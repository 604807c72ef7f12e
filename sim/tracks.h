/* SPDX-License-Identifier: MIT */
/*
 * Building the tracks of an SVG picture (sim/svg.h) for the commands that
 * draw one: the items of each track together with the storage of their
 * strings, and a legend. The platform's own layers (E820, CMRs, NUMA
 * nodes) are built here so that `show` and `tdmr` draw them alike.
 */
#ifndef TDXSIM_CLI_TRACKS_H
#define TDXSIM_CLI_TRACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <tdxsim/tdxsim.h>

#include "svg.h"

/* Most tracks and legend entries one picture can have. */
#define TRACKS_MAX 8
#define TRACKS_LEGEND_MAX 24

/* Styles of the classes tracks_add_platform() uses. */
#define TRACKS_PLATFORM_CSS \
	".e820-ram{fill:#81c784}" \
	".e820-reserved{fill:#bdbdbd}" \
	".e820-acpi{fill:#64b5f6}" \
	".e820-nvs{fill:#ba68c8}" \
	".e820-unusable{fill:#e57373}" \
	".e820-pmem{fill:#ffb74d}" \
	".e820-soft{fill:#fff176}" \
	".e820-kern{fill:#a1887f}" \
	".e820-other{fill:#90a4ae}" \
	".cmr{fill:#4db6ac}"

/* The strings behind one svg_item. */
struct track_text {
	char title[192];
	char text[40];
};

/* The items of one track and the storage of their strings; sized when the
 * track is opened so that the pointers handed to svg.c stay valid. */
struct track_store {
	const char *id;
	const char *label;
	bool keep_empty;	/* draw the band even without items */
	struct svg_item *items;
	struct track_text *texts;
	size_t count;
	size_t capacity;
};

/* Legend entries and the storage of their texts. */
struct track_legend {
	struct svg_legend entries[TRACKS_LEGEND_MAX];
	char names[TRACKS_LEGEND_MAX][48];
	size_t count;
};

/* A picture under construction. */
struct tracks {
	struct track_store stores[TRACKS_MAX];
	size_t count;
	struct track_legend legend;
};

void tracks_init(struct tracks *t);
void tracks_free(struct tracks *t);

/* Open the next track with room for capacity items. Returns it, or NULL
 * when out of memory or out of tracks. id and label must outlive t. */
struct track_store *tracks_open(struct tracks *t, const char *id,
				const char *label, size_t capacity,
				bool keep_empty);

/* Append an item [start, end) to s (which must have room); the caller
 * then writes its strings into the result. */
struct track_text *tracks_add(struct track_store *s, uint64_t start,
			      uint64_t end, const char *css_class,
			      const char *fill);

/* Append an item like tracks_add(), in the look svg_style() gives the
 * index-th item of its kind (a NUMA node's nid, a TDMR's index). */
struct track_text *tracks_add_indexed(struct track_store *s, uint64_t start,
				      uint64_t end, const char *css_class,
				      unsigned index);

/* Add a legend entry for a class unless one is there already. */
void tracks_legend(struct tracks *t, const char *css_class, const char *text);

/* Add a legend entry, under key, for items coloured one each by
 * tracks_add_indexed(): its swatch shows the palette. */
void tracks_legend_palette(struct tracks *t, const char *key, const char *text);

/* The platform's tracks: E820 always, CMRs and NUMA nodes when the
 * platform gives them. 0 or -ENOMEM. */
int tracks_add_platform(struct tracks *t, const struct tdxsim_platform *p);

/* Draw the picture. Returns what svg_render() returns. */
int tracks_render(struct tracks *t, FILE *out, const char *title,
		  const char *subtitle, const char *css);

/* Write the picture to path; on error print "tdxsim CMD: path: reason" and
 * return CLI_EXIT_USAGE, else CLI_EXIT_OK. */
int tracks_write_file(struct tracks *t, const char *cmd, const char *path,
		      const char *title, const char *subtitle, const char *css);

#endif /* TDXSIM_CLI_TRACKS_H */
