/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "lines.h"

static bool TDXSIM_PRINTF(4, 5)
fail(struct tdxsim_line_error *err, const char *line, const char *at,
     const char *fmt, ...)
{
	va_list args;

	err->offset = (size_t)(at - line);
	va_start(args, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, args);
	va_end(args);
	return false;
}

size_t
tdxsim_line_timestamp_length(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= len || s[i] != '[')
		return 0;
	i++;
	while (i < len && s[i] == ' ')
		i++;
	if (i < len && s[i] == '+')
		i++;
	/* seconds.micro: digits, a dot, digits, then ']' */
	if (i >= len || s[i] < '0' || s[i] > '9')
		return 0;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i >= len || s[i] != '.')
		return 0;
	i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i >= len || s[i] != ']')
		return 0;
	i++;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

bool
tdxsim_line_is_elision(const char *s, size_t len)
{
	size_t dots = 0;

	tdxsim_trim(&s, &len);
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '.')
			return false;
		dots++;
	}
	return dots >= 3;
}

static bool
scan_number(struct tdxsim_scan *sc, const char *line, uint64_t *value,
	    const char *what, struct tdxsim_line_error *err)
{
	const char *at = sc->p;
	bool too_big = false;

	if (!tdxsim_scan_u64(sc, value, &too_big))
		return fail(err, line, at, "malformed %s", what);
	if (too_big)
		return fail(err, line, at, "%s does not fit in 64 bits", what);
	return true;
}

static bool
scan_inclusive(struct tdxsim_scan *sc, const char *line, const char *open,
	       struct tdxsim_range *out, struct tdxsim_line_error *err)
{
	uint64_t first, last;

	if (!scan_number(sc, line, &first, "start address", err))
		return false;
	if (!tdxsim_scan_literal(sc, "-"))
		return fail(err, line, sc->p, "expected '-' after the start address");
	if (!scan_number(sc, line, &last, "end address", err))
		return false;
	if (!tdxsim_scan_literal(sc, "]"))
		return fail(err, line, sc->p, "expected ']' after the end address");
	if (last < first)
		return fail(err, line, open,
			    "range ends before it starts (0x%" PRIx64
			    " < 0x%" PRIx64 ")", last, first);
	if (!tdxsim_range_from_inclusive(first, last, out))
		return fail(err, line, open, "range reaches past 2^64");
	return true;
}

static bool
scan_half_open(struct tdxsim_scan *sc, const char *line, const char *open,
	       struct tdxsim_range *out, struct tdxsim_line_error *err)
{
	uint64_t start, end;

	if (!scan_number(sc, line, &start, "start address", err))
		return false;
	if (!tdxsim_scan_literal(sc, ","))
		return fail(err, line, sc->p, "expected ',' after the start address");
	tdxsim_scan_skip_space(sc);
	if (!scan_number(sc, line, &end, "end address", err))
		return false;
	if (!tdxsim_scan_literal(sc, ")"))
		return fail(err, line, sc->p,
			    "expected ')' after the end address: ranges are half-open, [start, end)");
	if (!tdxsim_range_make(start, end, out))
		return fail(err, line, open,
			    "range ends before it starts (0x%" PRIx64
			    " < 0x%" PRIx64 ")", end, start);
	return true;
}

bool
tdxsim_scan_range(struct tdxsim_scan *sc, const char *line,
		  struct tdxsim_range *out, struct tdxsim_line_error *err)
{
	struct tdxsim_scan saved = *sc;
	const char *open = sc->p;
	bool ok;

	if (!tdxsim_scan_literal(sc, "["))
		return fail(err, line, sc->p,
			    "expected a range: '[mem 0xSTART-0xEND]' or '[0xSTART, 0xEND)'");
	if (tdxsim_scan_literal(sc, "mem ")) {
		tdxsim_scan_skip_space(sc);
		ok = scan_inclusive(sc, line, open, out, err);
	} else {
		tdxsim_scan_skip_space(sc);
		ok = scan_half_open(sc, line, open, out, err);
	}
	if (!ok)
		*sc = saved;
	return ok;
}

/* The optional size column of newer kernels ("  639 KB  ") before the type. */
static void
skip_size_column(struct tdxsim_scan *sc)
{
	static const char *const units[] = { "KB ", "MB ", "GB ", "TB ",
					     "bytes " };
	struct tdxsim_scan probe = *sc;
	uint64_t ignored;

	if (!tdxsim_scan_u64(&probe, &ignored, NULL))
		return;
	if (tdxsim_scan_literal(&probe, ".") &&
	    !tdxsim_scan_u64(&probe, &ignored, NULL))
		return;
	tdxsim_scan_skip_space(&probe);
	for (size_t i = 0; i < ARRAY_LENGTH(units); i++) {
		if (tdxsim_scan_literal(&probe, units[i])) {
			tdxsim_scan_skip_space(&probe);
			*sc = probe;
			return;
		}
	}
}

bool
tdxsim_parse_e820_text(const char *s, size_t len,
		       struct tdxsim_e820_entry *out,
		       enum tdxsim_e820_spelling *spelling,
		       struct tdxsim_line_error *err)
{
	struct tdxsim_scan sc;
	struct tdxsim_range r;
	const char *name;
	size_t name_len;

	tdxsim_scan_init(&sc, s, len);
	tdxsim_scan_skip_space(&sc);
	if (!tdxsim_scan_range(&sc, s, &r, err))
		return false;
	if (tdxsim_range_is_empty(r))
		return fail(err, s, s, "E820 entry is empty");
	tdxsim_scan_skip_space(&sc);
	if (tdxsim_e820_type_parse(sc.p, (size_t)(sc.end - sc.p), &out->type,
				   spelling) < 0)
		skip_size_column(&sc);
	name = sc.p;
	name_len = (size_t)(sc.end - sc.p);
	tdxsim_trim(&name, &name_len);
	if (name_len == 0)
		return fail(err, s, sc.p, "missing E820 type after the range");
	if (tdxsim_e820_type_parse(name, name_len, &out->type, spelling) < 0)
		return fail(err, s, name,
			    "unknown E820 type '%.*s' (known: usable, System RAM, reserved, device reserved, ACPI data, ACPI NVS, unusable, persistent (type N), persistent RAM (type N), soft reserved, reserved kernel, type N)",
			    (int)(name_len > 40 ? 40 : name_len), name);
	out->start = r.start;
	out->end = r.end;
	return true;
}

static bool
expect_end(struct tdxsim_scan *sc, const char *line,
	   struct tdxsim_line_error *err)
{
	tdxsim_scan_skip_space(sc);
	if (!tdxsim_scan_at_end(sc))
		return fail(err, line, sc->p, "unexpected text after the range");
	return true;
}

bool
tdxsim_parse_cmr_text(const char *s, size_t len, struct tdxsim_range *out,
		      struct tdxsim_line_error *err)
{
	struct tdxsim_scan sc;
	uint64_t index;
	bool too_big = false;

	tdxsim_scan_init(&sc, s, len);
	tdxsim_scan_skip_space(&sc);
	if (tdxsim_scan_literal(&sc, "CMR")) {
		if (tdxsim_scan_literal(&sc, "[")) {
			const char *at = sc.p;

			if (!tdxsim_scan_u64(&sc, &index, &too_big) || too_big ||
			    index >= TDXSIM_MAX_CMRS)
				return fail(err, s, at,
					    "malformed CMR index (slots are 0 to %d)",
					    TDXSIM_MAX_CMRS - 1);
			if (!tdxsim_scan_literal(&sc, "]"))
				return fail(err, s, sc.p, "expected ']' after the CMR index");
		}
		if (!tdxsim_scan_literal(&sc, ":"))
			return fail(err, s, sc.p, "expected ':' after 'CMR'");
		tdxsim_scan_skip_space(&sc);
	}
	if (!tdxsim_scan_range(&sc, s, out, err))
		return false;
	return expect_end(&sc, s, err);
}

bool
tdxsim_parse_node_text(const char *s, size_t len, unsigned *nid,
		       struct tdxsim_range *out, struct tdxsim_line_error *err)
{
	struct tdxsim_scan sc;
	const char *at;
	uint64_t value;
	bool too_big = false;

	tdxsim_scan_init(&sc, s, len);
	tdxsim_scan_skip_space(&sc);
	if (!tdxsim_scan_literal(&sc, "node"))
		return fail(err, s, sc.p, "expected 'node N: [mem 0xSTART-0xEND]'");
	tdxsim_scan_skip_space(&sc);
	at = sc.p;
	if (!tdxsim_scan_u64(&sc, &value, &too_big) || too_big ||
	    value > 0xffff)
		return fail(err, s, at, "malformed node number");
	if (!tdxsim_scan_literal(&sc, ":"))
		return fail(err, s, sc.p, "expected ':' after the node number");
	tdxsim_scan_skip_space(&sc);
	if (!tdxsim_scan_range(&sc, s, out, err))
		return false;
	if (tdxsim_range_is_empty(*out))
		return fail(err, s, at, "node range is empty");
	*nid = (unsigned)value;
	return expect_end(&sc, s, err);
}
