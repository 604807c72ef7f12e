/* SPDX-License-Identifier: MIT */
/*
 * Parsers for the one-line forms shared by fixtures and kernel logs:
 * E820 entries, CMRs, NUMA node ranges, elision markers and timestamps.
 * The fixture loader and the dmesg importer both call these, so a line
 * pasted from dmesg means the same in either place.
 */
#ifndef TDXSIM_PLATFORM_LINES_H
#define TDXSIM_PLATFORM_LINES_H

#include <stdbool.h>
#include <stddef.h>

#include <tdxsim/platform.h>

#include "parse.h"
#include "range.h"

/* Why a line was refused, and at which byte of it (0-based). */
struct tdxsim_line_error {
	size_t offset;
	char message[320];
};

/* Bytes taken by a leading "[    0.000000] " / "[  +0.000000] " timestamp
 * and the blanks around it; 0 when there is none. */
size_t tdxsim_line_timestamp_length(const char *s, size_t len);

/*
 * Bytes taken by everything a log tool puts before the kernel's message,
 * and the blanks after it; 0 when there is nothing. Recognised, in any
 * order and repeated: the printk level "<6>" (dmesg -r, /dev/kmsg), the
 * "kern  :info  : " of dmesg -x, the "[    0.000000]" timestamp, dmesg
 * -T's "[Tue Mar 11 09:00:00 2025]", and the syslog / journalctl prefixes
 * "Mar 11 09:00:00[.123456] HOST kernel: " (short, short-precise, syslog
 * files) and "2025-03-11T09:00:00[.123456][+01:00] HOST kernel: "
 * (short-iso, short-iso-precise).
 */
size_t tdxsim_line_log_prefix_length(const char *s, size_t len);

/* A line of three or more dots and nothing else ("...", "......"). */
bool tdxsim_line_is_elision(const char *s, size_t len);

/*
 * Scan one range at the cursor: "[mem 0xA-0xB]" (inclusive, as dmesg prints
 * memory) or "[0xA, 0xB)" (half-open, as virt/tdx prints CMRs). line is the
 * start of the line, for the error offset. Empty half-open ranges are
 * returned as such; the caller decides whether they are allowed.
 */
bool tdxsim_scan_range(struct tdxsim_scan *sc, const char *line,
		       struct tdxsim_range *out, struct tdxsim_line_error *err);

/* "[mem 0xA-0xB] TYPE" (optionally with a size column before TYPE), as in
 * a BIOS-e820 line after its prefix. */
bool tdxsim_parse_e820_text(const char *s, size_t len,
			    struct tdxsim_e820_entry *out,
			    enum tdxsim_e820_spelling *spelling,
			    struct tdxsim_line_error *err);

/* "[0xA, 0xB)" optionally after "CMR: " or "CMR[i]: ". */
bool tdxsim_parse_cmr_text(const char *s, size_t len, struct tdxsim_range *out,
			   struct tdxsim_line_error *err);

/* "node N: [mem 0xA-0xB]" (any blanks after "node"). */
bool tdxsim_parse_node_text(const char *s, size_t len, unsigned *nid,
			    struct tdxsim_range *out,
			    struct tdxsim_line_error *err);

#endif /* TDXSIM_PLATFORM_LINES_H */
