/* SPDX-License-Identifier: MIT */
/*
 * Benchmark of loading a large platform fixture (tdxsim_platform_load_buffer:
 * parse, tree, walk, validate) against a bare libyaml event scan of the same
 * bytes in the same process: the scan is the floor any YAML loader built on
 * libyaml pays, so the ratio is what tdxsim adds to it. Prints the fastest
 * of REPS runs of each and the ratio; exits 1 only when the fixture does
 * not load, and never judges the timings.
 *
 *   bench-load FIXTURE   (meson test --benchmark load: a 100 000-entry
 *                         fixture made by tools/gen-platform.py)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <yaml.h>

#include <tdxsim/tdxsim.h>

#define REPS 5

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every event of the stream, as a loader's first pass sees it. */
static int
scan(const char *text, size_t len, size_t *events)
{
	yaml_parser_t parser;
	int done = 0;

	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	*events = 0;
	while (!done) {
		yaml_event_t ev;

		if (!yaml_parser_parse(&parser, &ev)) {
			yaml_parser_delete(&parser);
			return -1;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		(*events)++;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return 0;
}

static char *
read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)size)) &&
	    fread(text, 1, (size_t)size, f) != (size_t)size) {
		free(text);
		text = NULL;
	}
	*len = text ? (size_t)size : 0;
	fclose(f);
	return text;
}

int
main(int argc, char **argv)
{
	double best_scan = 1e30, best_load = 1e30;
	size_t len, events = 0;
	char *text;

	if (argc != 2) {
		fprintf(stderr, "usage: bench-load FIXTURE\n");
		return 2;
	}
	text = read_all(argv[1], &len);
	if (!text) {
		fprintf(stderr, "bench-load: cannot read %s\n", argv[1]);
		return 2;
	}
	for (int r = 0; r < REPS; r++) {
		struct tdxsim_platform *p = NULL;
		double t0 = now(), t;

		if (scan(text, len, &events) < 0) {
			fprintf(stderr, "bench-load: libyaml refuses %s\n", argv[1]);
			return 1;
		}
		t = now() - t0;
		best_scan = t < best_scan ? t : best_scan;
		t0 = now();
		if (tdxsim_platform_load_buffer(argv[1], text, len, &p, NULL) != 0) {
			fprintf(stderr, "bench-load: %s does not load\n", argv[1]);
			return 1;
		}
		t = now() - t0;
		best_load = t < best_load ? t : best_load;
		if (r == 0)
			printf("%zu bytes, %zu YAML events, %zu E820 entries\n", len, events,
			       tdxsim_platform_e820_count(p));
		tdxsim_platform_free(p);
	}
	printf("libyaml event scan  %8.1f ms\n", best_scan * 1e3);
	printf("tdxsim load         %8.1f ms\n", best_load * 1e3);
	printf("ratio               %8.2f\n", best_load / best_scan);
	free(text);
	return 0;
}
