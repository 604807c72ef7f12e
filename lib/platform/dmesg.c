/* SPDX-License-Identifier: MIT */
/*
 * Import a platform from a kernel log: a dmesg, a bug report, a mail that
 * quotes one, or a patch changelog that indents one.
 *
 * The log is read line by line. Each line loses its decorations (mail
 * quote markers, the "[    0.000000]" timestamp, indentation) and is then
 * matched against the few kernel messages that describe the platform
 * (Linux 6.12 arch/x86/kernel/e820.c e820__print_table(),
 * arch/x86/virt/vmx/tdx/tdx.c and its pr_info() lines). Everything else is
 * ignored, so a whole dmesg can be pasted. The range forms are parsed by
 * lines.c, the same code the fixture loader uses.
 *
 * Lines the importer understands but cannot parse are errors; the import
 * still reads the rest of the log so that every bad line is reported at
 * once. Whether the result makes sense (order, overlap, alignment) is the
 * validator's job, not this file's.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "platform-private.h"
#include "yaml-walk.h"

/* One line of the log, with its decorations stripped from text. */
struct log_line {
	const char *raw;	/* start of the line as given, for columns */
	const char *text;	/* the kernel message proper */
	size_t len;		/* of text, trailing blanks trimmed */
	unsigned number;	/* 1-based */
};

struct importer {
	const char *name;
	struct tdxsim_platform *p;
	struct tdxsim_diag *diag;
	/* Module facts are collected here and stored once at the end. */
	struct tdxsim_module_profile profile;
	struct tdxsim_pos profile_pos[PROFILE_FIELD_COUNT];
	bool profile_seen[PROFILE_FIELD_COUNT];
	bool in_e820;		/* the previous line belonged to the E820 table */
	bool in_nodes;		/* inside "Early memory node ranges" */
	bool saw_e820;		/* any BIOS-e820 entry line, parsed or not */
	bool modern;		/* a 2025+ E820 type name was seen */
	bool cmrs_overflowed;
	bool have_machine;
	int error;		/* -EINVAL once a line was refused */
};

static struct tdxsim_pos
pos_at(const struct log_line *l, const char *at)
{
	return (struct tdxsim_pos){ l->number, (unsigned)(at - l->raw) + 1 };
}

/* Report a line the parsers in lines.c refused; base is what they saw. */
static void
refuse(struct importer *imp, const struct log_line *l, const char *base,
       const struct tdxsim_line_error *err)
{
	tdxsim_diag_add(imp->diag, TDXSIM_DIAG_ERROR, imp->name,
			pos_at(l, base + err->offset), "%s", err->message);
	imp->error = -EINVAL;
}

static void
note_profile(struct importer *imp, enum profile_field field,
	     const struct log_line *l, const char *at)
{
	imp->profile_seen[field] = true;
	imp->profile_pos[field] = pos_at(l, at);
}

/* A cursor over the rest of the line's text. */
static struct tdxsim_scan
scan_text(const struct log_line *l)
{
	struct tdxsim_scan sc;

	tdxsim_scan_init(&sc, l->text, l->len);
	return sc;
}

static size_t
scan_left(const struct tdxsim_scan *sc)
{
	return (size_t)(sc->end - sc->p);
}

static bool
scan_unsigned(struct tdxsim_scan *sc, unsigned *out)
{
	uint64_t value;
	bool too_big = false;

	if (!tdxsim_scan_u64(sc, &value, &too_big) || too_big ||
	    value > UINT_MAX)
		return false;
	*out = (unsigned)value;
	return true;
}

/*
 * Strip "> " quote markers (any depth), what log tools put before the
 * message (timestamps, printk levels, journalctl and syslog prefixes:
 * lines.h) and the blanks around them. Changelogs indent pasted lines, so
 * leading blanks go too.
 */
static void
strip_decorations(struct log_line *l, const char *raw, size_t len)
{
	const char *s = raw, *end = raw + len;

	for (;;) {
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s >= end || *s != '>')
			break;
		s++;
	}
	s += tdxsim_line_log_prefix_length(s, (size_t)(end - s));
	l->raw = raw;
	l->text = s;
	l->len = (size_t)(end - s);
	tdxsim_trim(&l->text, &l->len);
}

/* ---- E820 ---- */

/* The kernel prints the table from address 0 up; a first entry elsewhere
 * means the log lost the head of the table. Mark it, invent nothing. */
static void
check_head(struct importer *imp, const struct log_line *l, const char *at,
	   uint64_t start)
{
	if (tdxsim_platform_e820_count(imp->p) != 0 || start == 0)
		return;
	tdxsim_platform_add_e820_elision(imp->p);
	tdxsim_diag_add(imp->diag, TDXSIM_DIAG_WARNING, imp->name,
			pos_at(l, at),
			"the E820 table starts at 0x%llx, not 0: its head is missing from the log (recorded as elided)",
			(unsigned long long)start);
}

static int
import_e820(struct importer *imp, const struct log_line *l,
	    struct tdxsim_scan *sc)
{
	struct tdxsim_e820_entry entry;
	enum tdxsim_e820_spelling spelling;
	struct tdxsim_line_error err;
	const char *at;

	tdxsim_scan_skip_space(sc);
	at = sc->p;
	imp->in_e820 = true;
	/* 2025+ kernels list the holes too; they are not entries. */
	if (tdxsim_scan_literal(sc, "[gap"))
		return 0;
	imp->saw_e820 = true;
	if (!tdxsim_parse_e820_text(at, scan_left(sc), &entry, &spelling,
				    &err)) {
		refuse(imp, l, at, &err);
		return 0;
	}
	if (spelling == TDXSIM_E820_SPELLING_MODERN)
		imp->modern = true;
	check_head(imp, l, at, entry.start);
	return tdxsim_platform_add_e820_at(imp->p, entry.start, entry.end,
					   entry.type, pos_at(l, at));
}

/* ---- CMRs ---- */

/* "CMR: [" or "CMR[i]: [": the range's opening bracket, or NULL. Prose
 * that merely starts with "CMR" is not a CMR line. */
static const char *
cmr_range_start(struct tdxsim_scan sc)
{
	uint64_t index;

	if (!tdxsim_scan_literal(&sc, "CMR"))
		return NULL;
	if (tdxsim_scan_literal(&sc, "[") &&
	    (!tdxsim_scan_u64(&sc, &index, NULL) || !tdxsim_scan_literal(&sc, "]")))
		return NULL;
	if (!tdxsim_scan_literal(&sc, ":"))
		return NULL;
	tdxsim_scan_skip_space(&sc);
	return tdxsim_scan_literal(&sc, "[") ? sc.p - 1 : NULL;
}

static int
add_cmr(struct importer *imp, const struct log_line *l, const char *at,
	struct tdxsim_range r)
{
	int ret = tdxsim_platform_add_cmr_at(imp->p, r.start, r.end - r.start,
					     pos_at(l, at));

	if (ret != -ENOSPC)
		return ret;
	if (!imp->cmrs_overflowed)
		tdxsim_diag_add(imp->diag, TDXSIM_DIAG_ERROR, imp->name,
				pos_at(l, at),
				"more than %d CMRs: a TDX module reports at most %d",
				TDXSIM_MAX_CMRS, TDXSIM_MAX_CMRS);
	imp->cmrs_overflowed = true;
	imp->error = -EINVAL;
	return 0;
}

static int
import_cmr(struct importer *imp, const struct log_line *l,
	   const struct tdxsim_scan *sc, const char *at)
{
	struct tdxsim_line_error err;
	struct tdxsim_range r;

	if (!tdxsim_parse_cmr_text(sc->p, scan_left(sc), &r, &err)) {
		refuse(imp, l, sc->p, &err);
		return 0;
	}
	return add_cmr(imp, l, at, r);
}

/* ---- NUMA node ranges ---- */

static bool
is_node_line(struct tdxsim_scan sc)
{
	if (!tdxsim_scan_literal(&sc, "node"))
		return false;
	tdxsim_scan_skip_space(&sc);
	return sc.p < sc.end && *sc.p >= '0' && *sc.p <= '9';
}

static int
import_node(struct importer *imp, const struct log_line *l)
{
	struct tdxsim_line_error err;
	struct tdxsim_range r;
	const char *at;
	unsigned nid;

	imp->in_nodes = true;
	if (!tdxsim_parse_node_text(l->text, l->len, &nid, &r, &err)) {
		refuse(imp, l, l->text, &err);
		return 0;
	}
	at = memchr(l->text, '[', l->len);
	return tdxsim_platform_add_node_range_at(imp->p, nid, r.start, r.end,
						 pos_at(l, at));
}

/* ---- TDX module facts ---- */

static void
ignore_line(struct importer *imp, const struct log_line *l, const char *what)
{
	tdxsim_diag_add(imp->diag, TDXSIM_DIAG_WARNING, imp->name,
			pos_at(l, l->text), "cannot read this %s line; ignored",
			what);
}

/*
 * Store a module version. A line that gives only major.minor (the 1.x
 * format) must not erase the update number another line gave for the
 * same major.minor.
 */
static void
set_version(struct importer *imp, const unsigned v[4])
{
	struct tdxsim_module_profile *m = &imp->profile;

	if (v[2] == TDXSIM_VERSION_UNKNOWN &&
	    imp->profile_seen[PROFILE_VERSION] && m->major == v[0] &&
	    m->minor == v[1])
		return;
	m->major = v[0];
	m->minor = v[1];
	m->update = v[2];
	m->internal = v[3];
}

/* Value after "key " anywhere ahead in the line. */
static bool
find_number(struct tdxsim_scan sc, const char *key, unsigned *out,
	    const char **at)
{
	if (!tdxsim_scan_find(&sc, key))
		return false;
	*at = sc.p;
	return scan_unsigned(&sc, out);
}

/* "TDX module: attributes 0x0, vendor_id 0x8086, major_version 1,
 * minor_version 5, build_date 20240129, build_num 698" (6.6/6.8 kernels). */
static void
import_version_1x(struct importer *imp, const struct log_line *l,
		  struct tdxsim_scan sc)
{
	unsigned v[4] = { 0, 0, TDXSIM_VERSION_UNKNOWN, TDXSIM_VERSION_UNKNOWN };
	unsigned date, num;
	const char *at_v, *at_minor, *at_date, *at_num;

	if (!find_number(sc, "major_version ", &v[0], &at_v) ||
	    !find_number(sc, "minor_version ", &v[1], &at_minor) ||
	    !find_number(sc, "build_date ", &date, &at_date) ||
	    !find_number(sc, "build_num ", &num, &at_num)) {
		ignore_line(imp, l, "TDX module version");
		return;
	}
	set_version(imp, v);
	imp->profile.build_date = date;
	imp->profile.build_num = num;
	note_profile(imp, PROFILE_VERSION, l, at_v);
	note_profile(imp, PROFILE_BUILD_DATE, l, at_date);
	note_profile(imp, PROFILE_BUILD_NUM, l, at_num);
}

/* "1.5.06" or "2.0.08.00": fills v[0..3], unknown parts stay as given. */
static bool
scan_dotted_version(struct tdxsim_scan *sc, unsigned v[4], unsigned min_parts)
{
	unsigned parts = 0;

	do {
		if (!scan_unsigned(sc, &v[parts]))
			return false;
		parts++;
	} while (parts < 4 && tdxsim_scan_literal(sc, "."));
	return parts >= min_parts;
}

/*
 * "TDX module 2.0.08.00, build number 882, build date 0134fed5" (Ubuntu
 * 25.04, canonical/tdx#415). The date is yyyymmdd printed with %x:
 * 0x0134fed5 is 20250325.
 */
static void
import_version_2x(struct importer *imp, const struct log_line *l,
		  struct tdxsim_scan sc)
{
	unsigned v[4] = { 0, 0, TDXSIM_VERSION_UNKNOWN, TDXSIM_VERSION_UNKNOWN };
	const char *at_v = sc.p, *at_num, *at_date;
	unsigned num;
	uint64_t date;
	bool too_big = false;

	if (!scan_dotted_version(&sc, v, 3) ||
	    !find_number(sc, "build number ", &num, &at_num) ||
	    !tdxsim_scan_find(&sc, "build date ")) {
		ignore_line(imp, l, "TDX module version");
		return;
	}
	at_date = sc.p;
	if (!tdxsim_scan_hex(&sc, &date, &too_big) || too_big ||
	    date > UINT32_MAX) {
		ignore_line(imp, l, "TDX module version");
		return;
	}
	set_version(imp, v);
	imp->profile.build_num = num;
	imp->profile.build_date = (uint32_t)date;
	note_profile(imp, PROFILE_VERSION, l, at_v);
	note_profile(imp, PROFILE_BUILD_NUM, l, at_num);
	note_profile(imp, PROFILE_BUILD_DATE, l, at_date);
}

/* "Module version: 1.5.06" (newest metadata.c, "%u.%u.%02u"). */
static void
import_module_version(struct importer *imp, const struct log_line *l,
		      struct tdxsim_scan sc)
{
	unsigned v[4] = { 0, 0, TDXSIM_VERSION_UNKNOWN, TDXSIM_VERSION_UNKNOWN };
	const char *at = sc.p;

	if (!scan_dotted_version(&sc, v, 3)) {
		ignore_line(imp, l, "TDX module version");
		return;
	}
	set_version(imp, v);
	note_profile(imp, PROFILE_VERSION, l, at);
}

/* "BIOS enabled: private KeyID range [32, 64)". */
static void
import_keyids(struct importer *imp, const struct log_line *l,
	      struct tdxsim_scan sc)
{
	struct tdxsim_line_error err;
	struct tdxsim_range r;
	const char *at = sc.p;

	if (!tdxsim_scan_range(&sc, l->text, &r, &err) ||
	    r.end > UINT32_MAX) {
		ignore_line(imp, l, "private KeyID range");
		return;
	}
	imp->profile.keyid_start = (uint32_t)r.start;
	imp->profile.keyid_end = (uint32_t)r.end;
	note_profile(imp, PROFILE_KEYIDS, l, at);
}

/* Lines virt/tdx prints ("tdx: " in older out-of-tree host kernels); the
 * prefix is optional because reports often quote the message alone. */
static int
import_tdx(struct importer *imp, const struct log_line *l)
{
	struct tdxsim_scan sc = scan_text(l);
	const char *cmr;

	if (!tdxsim_scan_literal(&sc, "virt/tdx: "))
		tdxsim_scan_literal(&sc, "tdx: ");
	cmr = cmr_range_start(sc);
	if (cmr)
		return import_cmr(imp, l, &sc, cmr);
	if (tdxsim_scan_literal(&sc, "TDX module: attributes"))
		import_version_1x(imp, l, sc);
	else if (tdxsim_scan_literal(&sc, "TDX module ") && sc.p < sc.end &&
		 *sc.p >= '0' && *sc.p <= '9')
		import_version_2x(imp, l, sc);
	else if (tdxsim_scan_literal(&sc, "Module version: "))
		import_module_version(imp, l, sc);
	else if (tdxsim_scan_literal(&sc, "BIOS enabled: private KeyID range "))
		import_keyids(imp, l, sc);
	return 0;
}

/* ---- kernel, machine, CPUs ---- */

/* "Linux version 6.8.0-1004-intel (buildd@...) ...": the release. */
static int
import_kernel(struct importer *imp, struct tdxsim_scan sc)
{
	const char *start = sc.p, *space;
	char *release;
	int ret;

	space = memchr(start, ' ', scan_left(&sc));
	release = tdxsim_strndup(start, (size_t)((space ? space : sc.end) -
						 start));
	if (!release)
		return -ENOMEM;
	/* A log may carry any bytes; a fixture keeps text. */
	tdxsim_text_clean(release);
	ret = tdxsim_platform_set_info(imp->p, TDXSIM_INFO_KERNEL, release);
	free(release);
	return ret;
}

/* "DMI: <vendor> <board>, BIOS <version> <date>". Newer kernels print a
 * second "DMI: Memory slots populated" line, which is not the machine. */
static int
import_dmi(struct importer *imp, struct tdxsim_scan sc)
{
	char *machine;
	int ret;

	if (imp->have_machine || scan_left(&sc) == 0 ||
	    tdxsim_scan_literal(&sc, "Memory slots populated"))
		return 0;
	machine = tdxsim_strndup(sc.p, scan_left(&sc));
	if (!machine)
		return -ENOMEM;
	tdxsim_text_clean(machine);
	ret = tdxsim_platform_set_info(imp->p, TDXSIM_INFO_MACHINE, machine);
	free(machine);
	imp->have_machine = ret == 0;
	return ret;
}

/* "smp: Brought up 2 nodes, 224 CPUs" ("x86: Booted up" in older kernels).
 * Online CPUs stand in for the logical CPUs MCHECK counted; they differ
 * only when the kernel was told to bring up fewer. */
static void
import_cpus(struct importer *imp, const struct log_line *l,
	    struct tdxsim_scan sc)
{
	unsigned nodes, cpus;
	const char *at;

	if (!scan_unsigned(&sc, &nodes) || !tdxsim_scan_literal(&sc, " node") ||
	    !tdxsim_scan_find(&sc, ", "))
		return;
	at = sc.p;
	if (!scan_unsigned(&sc, &cpus) || !tdxsim_scan_literal(&sc, " CPU"))
		return;
	imp->profile.nr_lps = cpus;
	note_profile(imp, PROFILE_LOGICAL_CPUS, l, at);
}

/* "smpboot: Max logical packages: 2" (arch/x86/kernel/smpboot.c before
 * Linux 6.9), "CPU topo: Max. logical packages:   2" (topology.c since
 * 6.9, a "%3u" after the colon). */
static void
import_packages(struct importer *imp, const struct log_line *l,
		struct tdxsim_scan sc)
{
	const char *at;
	unsigned packages;

	tdxsim_scan_skip_space(&sc);
	at = sc.p;

	if (!scan_unsigned(&sc, &packages))
		return;
	imp->profile.nr_packages = packages;
	note_profile(imp, PROFILE_PACKAGES, l, at);
}

static int
import_other(struct importer *imp, const struct log_line *l)
{
	struct tdxsim_scan sc = scan_text(l);

	if (tdxsim_scan_literal(&sc, "Linux version "))
		return import_kernel(imp, sc);
	if (tdxsim_scan_literal(&sc, "DMI: "))
		return import_dmi(imp, sc);
	if (tdxsim_scan_literal(&sc, "smp: Brought up ") ||
	    tdxsim_scan_literal(&sc, "x86: Booted up "))
		import_cpus(imp, l, sc);
	else if (tdxsim_scan_literal(&sc, "smpboot: Max logical packages: ") ||
		 tdxsim_scan_literal(&sc, "CPU topo: Max. logical packages:"))
		import_packages(imp, l, sc);
	else
		return import_tdx(imp, l);
	return 0;
}

/* ---- the loop ---- */

static int
import_line(struct importer *imp, const struct log_line *l)
{
	bool was_e820 = imp->in_e820, was_nodes = imp->in_nodes;
	struct tdxsim_scan sc = scan_text(l);

	/* Both runs end at the first line that is not theirs. */
	imp->in_e820 = false;
	imp->in_nodes = false;
	if (tdxsim_line_is_elision(l->text, l->len)) {
		/* Dots elsewhere in a report are not about the table. */
		if (was_e820) {
			tdxsim_platform_add_e820_elision(imp->p);
			imp->in_e820 = true;
		}
		return 0;
	}
	if (tdxsim_scan_literal(&sc, "BIOS-e820:"))
		return import_e820(imp, l, &sc);
	if (was_nodes && is_node_line(sc))
		return import_node(imp, l);
	if (tdxsim_scan_literal(&sc, "Early memory node ranges")) {
		imp->in_nodes = true;
		return 0;
	}
	return import_other(imp, l);
}

/* Where the line starting at p ends: at its LF or CR, or at end. */
static const char *
line_end(const char *p, const char *end)
{
	while (p < end && *p != '\n' && *p != '\r')
		p++;
	return p;
}

/* Past the end of the line at p: its LF, CRLF or lone CR taken. */
static const char *
next_line(const char *p, const char *end)
{
	const char *stop = line_end(p, end);

	p = stop;
	if (p < end && *p == '\r')
		p++;
	if (p < end && *p == '\n' && (p == stop || p[-1] == '\r'))
		p++;
	return p;
}

static bool
contains(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i + n <= len; i++) {
		if (s[i] == word[0] && memcmp(s + i, word, n) == 0)
			return true;
	}
	return false;
}

/* Does a boot start at this line? "Linux version" is the kernel's first
 * line; journalctl separates boots with "-- Boot ID --" ("-- Reboot --" in
 * older versions). */
static bool
starts_boot(const char *raw, size_t len)
{
	struct log_line l;
	const char *t = raw;
	size_t n = len;

	tdxsim_trim(&t, &n);
	if ((n >= 8 && memcmp(t, "-- Boot ", 8) == 0) ||
	    (n >= 12 && memcmp(t, "-- Reboot --", 12) == 0))
		return true;
	/* Most lines are not "Linux version": say so before stripping them. */
	if (!contains(t, n, "Linux version "))
		return false;
	strip_decorations(&l, raw, len);
	return l.len >= 14 && memcmp(l.text, "Linux version ", 14) == 0;
}

/* Where each boot starts (byte offset, line number), the first boot at
 * the text's start. A marker before any other text of its boot starts
 * nothing new. Returns how many boots; at most max are recorded. */
static size_t
find_boots(const char *text, size_t len, size_t *starts, unsigned *lines, size_t max)
{
	const char *p = text, *end = text + len;
	size_t count = 1;
	unsigned number = 1;
	bool seen_text = false;

	if (max > 0) {
		starts[0] = 0;
		lines[0] = 1;
	}
	for (; p < end; number++) {
		const char *stop = line_end(p, end);
		const char *t = p;
		size_t n = (size_t)(stop - p);

		if (starts_boot(p, n)) {
			/* A marker right after another ("-- Boot --" then
			 * "Linux version") starts the same boot. */
			if (seen_text) {
				if (count < max) {
					starts[count] = (size_t)(p - text);
					lines[count] = number;
				}
				count++;
			}
			seen_text = false;
		} else {
			tdxsim_trim(&t, &n);
			seen_text = seen_text || n > 0;
		}
		p = next_line(p, end);
	}
	return count;
}

/* The E820 text after "BIOS-e820:" (and its blanks) in a line, or NULL. */
static const char *
e820_text(const char *text, size_t text_len, size_t *len)
{
	static const char head[] = "BIOS-e820:";
	const char *t = text, *end = text + text_len;

	if (text_len < sizeof(head) - 1 || memcmp(t, head, sizeof(head) - 1) != 0)
		return NULL;
	t += sizeof(head) - 1;
	while (t < end && (*t == ' ' || *t == '\t'))
		t++;
	*len = (size_t)(end - t);
	return t;
}

/* The lines whose range or type a mail client may push onto the next line. */
enum wrap_kind { WRAP_NONE, WRAP_E820, WRAP_CMR, WRAP_NODE };

/* "CMR" then ':' or '[' after the optional virt/tdx prefix: the start of
 * a CMR line, however little of its range is left on it. */
static const char *
cmr_head(const char *text, size_t len)
{
	struct tdxsim_scan sc;

	tdxsim_scan_init(&sc, text, len);
	if (!tdxsim_scan_literal(&sc, "virt/tdx: "))
		tdxsim_scan_literal(&sc, "tdx: ");
	if (scan_left(&sc) < 4 || memcmp(sc.p, "CMR", 3) != 0 ||
	    (sc.p[3] != ':' && sc.p[3] != '['))
		return NULL;
	return sc.p;
}

static enum wrap_kind
wrap_kind(const char *text, size_t len)
{
	struct tdxsim_scan sc;
	size_t n;

	if (e820_text(text, len, &n))
		return WRAP_E820;
	if (cmr_head(text, len))
		return WRAP_CMR;
	tdxsim_scan_init(&sc, text, len);
	return is_node_line(sc) ? WRAP_NODE : WRAP_NONE;
}

/* Does text read as a whole line of its kind? */
static bool
wrap_parses(enum wrap_kind kind, const char *text, size_t len)
{
	struct tdxsim_e820_entry entry;
	enum tdxsim_e820_spelling spelling;
	struct tdxsim_line_error err;
	struct tdxsim_range r;
	const char *t;
	unsigned nid;
	size_t n;

	switch (kind) {
	case WRAP_E820:
		t = e820_text(text, len, &n);
		return t && tdxsim_parse_e820_text(t, n, &entry, &spelling, &err);
	case WRAP_CMR:
		t = cmr_head(text, len);
		return t && tdxsim_parse_cmr_text(t, (size_t)(text + len - t), &r, &err);
	case WRAP_NODE:
		return tdxsim_parse_node_text(text, len, &nid, &r, &err);
	case WRAP_NONE:
		break;
	}
	return false;
}

/* The line at p as a continuation: quote markers and blanks stripped.
 * False when it has a log prefix of its own: then the kernel printed it,
 * not a mail client's wrapping. */
static bool
continuation(struct log_line *n, const char *p, const char *end)
{
	const char *stop = line_end(p, end);

	strip_decorations(n, p, (size_t)(stop - p));
	if (n->len == 0)
		return false;
	while (p < stop && (*p == ' ' || *p == '\t' || *p == '>'))
		p++;
	return tdxsim_line_log_prefix_length(p, (size_t)(stop - p)) == 0;
}

/*
 * A mail client may wrap an E820, CMR or node line at a blank: before the
 * E820 type or size ("... 254 MB" / "System RAM"), or inside the range
 * ("CMR: [0x100000," / "0x77800000)", "node   0: [mem" / "0x1000-0x9ffff]").
 * When the line does not parse, the next line has no log prefix, and the
 * two joined by a blank make a whole line of the same kind, they are read
 * as one. *joined receives the buffer that l then points into (to free),
 * or stays NULL.
 */
static int
rejoin_wrapped(struct log_line *l, const char *next, const char *end, char **joined)
{
	enum wrap_kind kind = wrap_kind(l->text, l->len);
	struct log_line n;
	size_t size;
	char *buf;

	if (kind == WRAP_NONE || next >= end || wrap_parses(kind, l->text, l->len) ||
	    !continuation(&n, next, end))
		return 0;
	size = l->len + 1 + n.len;
	buf = malloc(size + 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, l->text, l->len);
	buf[l->len] = ' ';
	memcpy(buf + l->len + 1, n.text, n.len);
	buf[size] = '\0';
	if (!wrap_parses(kind, buf, size)) {
		free(buf);
		return 0;
	}
	l->raw = l->text = buf;
	l->len = size;
	*joined = buf;
	return 0;
}

static int
import_lines(struct importer *imp, const char *text, size_t len, unsigned first)
{
	const char *p = text, *end = text + len;
	struct log_line l = { .number = first - 1 };
	int ret;

	while (p < end) {
		const char *stop = line_end(p, end);
		char *joined = NULL;

		l.number++;
		strip_decorations(&l, p, (size_t)(stop - p));
		ret = rejoin_wrapped(&l, next_line(p, end), end, &joined);
		if (ret == 0)
			ret = import_line(imp, &l);
		free(joined);
		if (ret < 0)
			return ret;
		/* LF, CRLF, or a lone CR (old Mac mail clients) ends a line;
		 * a re-joined continuation is passed over. */
		p = next_line(p, end);
		if (joined)
			p = next_line(p, end);
	}
	return 0;
}

/* Store the module facts, remembering where the log gave each one. */
static void
store_profile(struct importer *imp)
{
	bool any = false;

	for (size_t i = 0; i < PROFILE_FIELD_COUNT; i++)
		any |= imp->profile_seen[i];
	if (!any)
		return;
	tdxsim_platform_set_module_profile(imp->p, &imp->profile);
	for (size_t i = 0; i < PROFILE_FIELD_COUNT; i++) {
		if (imp->profile_seen[i])
			tdxsim_platform_mark_profile(imp->p,
						     (enum profile_field)i,
						     imp->profile_pos[i]);
	}
}

static int
finish(struct importer *imp)
{
	if (!imp->saw_e820) {
		tdxsim_diag_add(imp->diag, TDXSIM_DIAG_ERROR, imp->name,
				(struct tdxsim_pos){ 0, 0 },
				"no BIOS-e820 lines found: paste the 'BIOS-provided physical RAM map' part of the log");
		imp->error = -EINVAL;
	}
	if (imp->error < 0)
		return imp->error;
	tdxsim_platform_set_e820_spelling(imp->p, imp->modern ?
					  TDXSIM_E820_SPELLING_MODERN :
					  TDXSIM_E820_SPELLING_LEGACY);
	store_profile(imp);
	return 0;
}

/*
 * Pick the part of the log to import: the whole text when it holds one
 * boot, else the boot asked for (0: the last), said in a warning. Sets
 * *offset, *size and *first_line; -EINVAL for a boot the log lacks.
 */
static int
select_boot(struct importer *imp, const char *text, size_t len, unsigned boot,
	    size_t *offset, size_t *size, unsigned *first_line)
{
	size_t count = find_boots(text, len, NULL, NULL, 0), pick;
	size_t *starts;
	unsigned *lines;

	*offset = 0;
	*size = len;
	*first_line = 1;
	if (count == 1 && boot <= 1)
		return 0;
	pick = boot ? boot : count;
	if (pick > count) {
		tdxsim_diag_add(imp->diag, TDXSIM_DIAG_ERROR, imp->name, (struct tdxsim_pos){ 0, 0 },
				"the log holds %zu boot%s; there is no boot %u", count,
				count == 1 ? "" : "s", boot);
		return -EINVAL;
	}
	starts = calloc(count, sizeof(*starts));
	lines = calloc(count, sizeof(*lines));
	if (!starts || !lines) {
		free(starts);
		free(lines);
		return -ENOMEM;
	}
	find_boots(text, len, starts, lines, count);
	*offset = starts[pick - 1];
	*size = (pick < count ? starts[pick] : len) - *offset;
	*first_line = lines[pick - 1];
	free(starts);
	free(lines);
	tdxsim_diag_add(imp->diag, TDXSIM_DIAG_WARNING, imp->name,
			(struct tdxsim_pos){ *first_line, 1 },
			"the log holds %zu boots; importing boot %zu, from this line on%s", count,
			pick, boot ? "" : " (the last; choose another with --boot N)");
	return 0;
}

TDXSIM_EXPORT int
tdxsim_dmesg_import(const char *name, const char *text, size_t len,
		    struct tdxsim_platform **out, struct tdxsim_diag *diag)
{
	return tdxsim_dmesg_import_boot(name, text, len, 0, out, diag);
}

TDXSIM_EXPORT int
tdxsim_dmesg_import_boot(const char *name, const char *text, size_t len,
			 unsigned boot, struct tdxsim_platform **out,
			 struct tdxsim_diag *diag)
{
	struct importer imp = { .name = name, .diag = diag };
	size_t offset = 0, size = len;
	unsigned first = 1;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!text && len)
		return -EINVAL;
	/* The fixture's bound: a larger log could only give a fixture the
	 * loader refuses. */
	ret = tdxsim_ywalk_check_size(diag, name ? name : "<log>", len,
				      TDXSIM_FIXTURE_MAX_BYTES, "kernel log");
	if (ret < 0)
		return ret;
	imp.p = tdxsim_platform_new();
	if (!imp.p)
		return -ENOMEM;
	imp.profile = *tdxsim_platform_module_profile(imp.p);
	ret = tdxsim_platform_set_input_name(imp.p, name);
	if (ret == 0 && len)
		ret = select_boot(&imp, text, len, boot, &offset, &size, &first);
	if (ret == 0 && size)
		ret = import_lines(&imp, text + offset, size, first);
	if (ret == 0)
		ret = finish(&imp);
	if (ret < 0) {
		tdxsim_platform_free(imp.p);
		return ret;
	}
	*out = imp.p;
	return 0;
}
