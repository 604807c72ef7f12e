/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <ctype.h>
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

/* ---- what log tools put before the message ---- */

/* A cursor over one line; every matcher below advances it only on a whole
 * match (they work on a copy). */
struct cur {
	const char *s;
	size_t i, len;
};

static bool
at_end(const struct cur *c)
{
	return c->i >= c->len;
}

static bool
take_char(struct cur *c, char ch)
{
	if (at_end(c) || c->s[c->i] != ch)
		return false;
	c->i++;
	return true;
}

static size_t
take_digits(struct cur *c, size_t max)
{
	size_t n = 0;

	while (!at_end(c) && n < max && c->s[c->i] >= '0' && c->s[c->i] <= '9') {
		c->i++;
		n++;
	}
	return n;
}

static void
take_blanks(struct cur *c)
{
	while (!at_end(c) && (c->s[c->i] == ' ' || c->s[c->i] == '\t'))
		c->i++;
}

/* One of the words, exactly, followed by a character that is not a letter. */
static bool
take_word(struct cur *c, const char *const *words)
{
	for (size_t w = 0; words[w]; w++) {
		size_t n = strlen(words[w]);

		if (c->len - c->i >= n && memcmp(c->s + c->i, words[w], n) == 0 &&
		    (c->i + n == c->len || !isalpha((unsigned char)c->s[c->i + n]))) {
			c->i += n;
			return true;
		}
	}
	return false;
}

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
				      "Aug", "Sep", "Oct", "Nov", "Dec", NULL };
static const char *const weekdays[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
					"Sun", NULL };

/* "HH:MM:SS" */
static bool
take_clock(struct cur *c)
{
	return take_digits(c, 2) == 2 && take_char(c, ':') && take_digits(c, 2) == 2 &&
	       take_char(c, ':') && take_digits(c, 2) == 2;
}

/* "<6>": a printk level, as dmesg -r and /dev/kmsg show it. */
static bool
printk_level(struct cur *c)
{
	return take_char(c, '<') && take_digits(c, 3) > 0 && take_char(c, '>');
}

/* dmesg -x: "kern  :info  : ", facility and level from syslog's names. */
static bool
facility_level(struct cur *c)
{
	static const char *const facilities[] = {
		"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
		"uucp", "cron", "authpriv", "ftp", "local0", "local1", "local2",
		"local3", "local4", "local5", "local6", "local7", NULL };
	static const char *const levels[] = {
		"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", NULL };

	if (!take_word(c, facilities))
		return false;
	take_blanks(c);
	if (!take_char(c, ':'))
		return false;
	take_blanks(c);
	if (!take_word(c, levels))
		return false;
	take_blanks(c);
	return take_char(c, ':');
}

/* dmesg -T: "[Tue Mar 11 09:00:00 2025]". */
static bool
human_time(struct cur *c)
{
	if (!take_char(c, '[') || !take_word(c, weekdays) || !take_char(c, ' ') ||
	    !take_word(c, months))
		return false;
	take_blanks(c);
	if (take_digits(c, 2) == 0 || !take_char(c, ' ') || !take_clock(c) ||
	    !take_char(c, ' ') || take_digits(c, 4) != 4)
		return false;
	return take_char(c, ']');
}

/* " HOST kernel:" after a syslog or journal time: the message's tag must
 * be the kernel's, or the line is some other program's. */
static bool
host_and_kernel_tag(struct cur *c)
{
	static const char *const tag[] = { "kernel", NULL };
	size_t host = 0;

	if (!take_char(c, ' '))
		return false;
	while (!at_end(c) && c->s[c->i] != ' ' && c->s[c->i] != '\t') {
		c->i++;
		host++;
	}
	return host > 0 && take_char(c, ' ') && take_word(c, tag) && take_char(c, ':');
}

/* ".123456" after seconds */
static void
take_fraction(struct cur *c)
{
	struct cur t = *c;

	if (take_char(&t, '.') && take_digits(&t, 9) > 0)
		*c = t;
}

/* journalctl short / short-precise and syslog files. */
static bool
syslog_time(struct cur *c)
{
	if (!take_word(c, months))
		return false;
	take_blanks(c);
	if (take_digits(c, 2) == 0 || !take_char(c, ' ') || !take_clock(c))
		return false;
	take_fraction(c);
	return host_and_kernel_tag(c);
}

/* journalctl short-iso / short-iso-precise: "2025-03-11T09:00:00+0100". */
static bool
iso_time(struct cur *c)
{
	if (take_digits(c, 4) != 4 || !take_char(c, '-') || take_digits(c, 2) != 2 ||
	    !take_char(c, '-') || take_digits(c, 2) != 2 || !take_char(c, 'T') ||
	    !take_clock(c))
		return false;
	take_fraction(c);
	if (!take_char(c, 'Z') && (take_char(c, '+') || take_char(c, '-'))) {
		if (take_digits(c, 2) != 2)
			return false;
		take_char(c, ':');
		if (take_digits(c, 2) != 2)
			return false;
	}
	return host_and_kernel_tag(c);
}

/* One prefix at c, blanks after it included; false leaves c alone. */
static bool
one_prefix(struct cur *c)
{
	static bool (*const matchers[])(struct cur *) = {
		printk_level, facility_level, human_time, syslog_time, iso_time,
	};
	size_t stamp;

	for (size_t m = 0; m < sizeof(matchers) / sizeof(matchers[0]); m++) {
		struct cur t = *c;

		if (matchers[m](&t)) {
			take_blanks(&t);
			*c = t;
			return true;
		}
	}
	stamp = tdxsim_line_timestamp_length(c->s + c->i, c->len - c->i);
	c->i += stamp;
	return stamp > 0;
}

size_t
tdxsim_line_log_prefix_length(const char *s, size_t len)
{
	struct cur c = { s, 0, len };
	bool any = false;

	take_blanks(&c);
	while (one_prefix(&c))
		any = true;
	/* Blanks alone are no prefix. */
	return any ? c.i : 0;
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
