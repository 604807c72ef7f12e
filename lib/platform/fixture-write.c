/* SPDX-License-Identifier: MIT */
/*
 * Fixture format v1 writer. The output loads back into an equal platform,
 * and writing that platform again gives the same bytes. Tables are written
 * the way dmesg prints them, so a fixture reads like the log it came from.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "file-out.h"
#include "platform-private.h"
#include "strbuf.h"

/*
 * Length of a UTF-8 sequence at s that YAML treats as a line break or a
 * control character (C1 controls including NEL, LINE and PARAGRAPH
 * SEPARATOR), 0 otherwise; *escape receives its double-quoted form.
 */
static size_t
special_unicode(const char *s, char escape[8])
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) {
		if (u[1] == 0x85)
			snprintf(escape, 8, "\\N");
		else
			snprintf(escape, 8, "\\x%02x", u[1]);
		return 2;
	}
	if (u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9)) {
		snprintf(escape, 8, u[2] == 0xa8 ? "\\L" : "\\P");
		return 3;
	}
	return 0;
}

static bool
has_special_unicode(const char *s)
{
	char escape[8];

	for (; *s; s++) {
		if (special_unicode(s, escape))
			return true;
	}
	return false;
}

/* A string YAML reads back as the same plain scalar, with no quoting. */
static bool
is_plain_safe(const char *s)
{
	static const char *const reserved[] = { "true", "false", "null", "yes",
						"no", "on", "off", "~", "" };
	size_t len = strlen(s);

	for (size_t i = 0; i < ARRAY_LENGTH(reserved); i++) {
		if (strcasecmp(s, reserved[i]) == 0)
			return false;
	}
	if (strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) || s[len - 1] == ' ' ||
	    s[len - 1] == ':')
		return false;
	if (strstr(s, ": ") || strstr(s, " #") || has_special_unicode(s))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

static void
put_double_quoted(struct tdxsim_strbuf *out, const char *s)
{
	tdxsim_strbuf_puts(out, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char escape[8];
		size_t n = special_unicode(s, escape);

		if (n) {
			tdxsim_strbuf_puts(out, escape);
			s += n - 1;
		} else if (c == '"' || c == '\\')
			tdxsim_strbuf_printf(out, "\\%c", c);
		else if (c == '\n')
			tdxsim_strbuf_puts(out, "\\n");
		else if (c == '\t')
			tdxsim_strbuf_puts(out, "\\t");
		else if (c < 0x20 || c == 0x7f)
			tdxsim_strbuf_printf(out, "\\x%02x", c);
		else
			tdxsim_strbuf_append(out, (const char *)&c, 1);
	}
	tdxsim_strbuf_puts(out, "\"");
}

/*
 * A multi-line string as a literal block when that reads back exactly:
 * "|" keeps one final newline, "|-" none; anything else is quoted.
 */
static bool
put_literal_block(struct tdxsim_strbuf *out, const char *s, int indent)
{
	size_t len = strlen(s);
	const char *chomp;

	if (len == 0 || s[0] == ' ' || s[0] == '\n')
		return false;
	if (len >= 2 && s[len - 1] == '\n' && s[len - 2] == '\n')
		return false;
	if (has_special_unicode(s))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f)
			return false;
		/* Trailing blanks before a line break survive a literal
		 * block, but a blank-only line would change indentation. */
		if (c == '\n' && i > 0 && s[i - 1] == ' ')
			return false;
	}
	chomp = s[len - 1] == '\n' ? "|" : "|-";
	tdxsim_strbuf_printf(out, "%s\n", chomp);
	for (const char *line = s; *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		tdxsim_strbuf_printf(out, "%*s%.*s\n", indent, "", (int)n, line);
		line += n + (nl ? 1 : 0);
	}
	return true;
}

static void
put_key_string(struct tdxsim_strbuf *out, int indent, const char *key,
	       const char *value)
{
	if (!value)
		return;
	tdxsim_strbuf_printf(out, "%*s%s: ", indent, "", key);
	if (strchr(value, '\n') && put_literal_block(out, value, indent + 2))
		return;
	if (is_plain_safe(value))
		tdxsim_strbuf_puts(out, value);
	else
		put_double_quoted(out, value);
	tdxsim_strbuf_puts(out, "\n");
}

static void
put_source(struct tdxsim_strbuf *out, const struct tdxsim_platform *p)
{
	static const struct {
		enum tdxsim_info info;
		const char *key;
	} keys[] = {
		{ TDXSIM_INFO_SOURCE, "url" },
		{ TDXSIM_INFO_MESSAGE_ID, "message-id" },
		{ TDXSIM_INFO_MACHINE, "machine" },
		{ TDXSIM_INFO_KERNEL, "kernel" },
		{ TDXSIM_INFO_NOTES, "notes" },
	};
	bool any = false;

	for (size_t i = 0; i < ARRAY_LENGTH(keys); i++)
		any |= p->info[keys[i].info] != NULL;
	if (!any)
		return;
	tdxsim_strbuf_puts(out, "source:\n");
	for (size_t i = 0; i < ARRAY_LENGTH(keys); i++)
		put_key_string(out, 2, keys[i].key, p->info[keys[i].info]);
}

static void
put_module(struct tdxsim_strbuf *out, const struct tdxsim_platform *p)
{
	const struct tdxsim_module_profile *m = &p->profile;
	const bool *set = p->profile_set;
	char version[48];
	bool any = false;

	for (size_t i = 0; i < PROFILE_FIELD_COUNT; i++)
		any |= set[i];
	if (!any)
		return;
	tdxsim_strbuf_puts(out, "module:\n");
	if (set[PROFILE_VERSION])
		tdxsim_strbuf_printf(out, "  version: \"%s\"\n",
				     tdxsim_format_module_version(m, p->version_names_build,
								  version, sizeof(version)));
	if (set[PROFILE_BUILD_DATE])
		tdxsim_strbuf_printf(out, "  build-date: %" PRIu32 "\n", m->build_date);
	if (set[PROFILE_BUILD_NUM])
		tdxsim_strbuf_printf(out, "  build-num: %" PRIu32 "\n", m->build_num);
	if (set[PROFILE_MAX_TDMRS])
		tdxsim_strbuf_printf(out, "  max-tdmrs: %u\n", m->max_tdmrs);
	if (set[PROFILE_MAX_RESERVED])
		tdxsim_strbuf_printf(out, "  max-reserved-per-tdmr: %u\n",
				     m->max_reserved_per_tdmr);
	if (set[PROFILE_PAMT_4K] || set[PROFILE_PAMT_2M] || set[PROFILE_PAMT_1G])
		tdxsim_strbuf_printf(out,
				     "  pamt-entry-size: {4k: %u, 2m: %u, 1g: %u}\n",
				     m->pamt_entry_size[0], m->pamt_entry_size[1],
				     m->pamt_entry_size[2]);
	if (set[PROFILE_CMR_SLOTS])
		tdxsim_strbuf_printf(out, "  cmr-slots: %u\n", m->cmr_slots);
	if (set[PROFILE_KEYIDS])
		tdxsim_strbuf_printf(out, "  private-keyids: \"[%" PRIu32 ", %" PRIu32 ")\"\n",
				     m->keyid_start, m->keyid_end);
	if (set[PROFILE_LOGICAL_CPUS])
		tdxsim_strbuf_printf(out, "  logical-cpus: %u\n", m->nr_lps);
	if (set[PROFILE_PACKAGES])
		tdxsim_strbuf_printf(out, "  packages: %u\n", m->nr_packages);
}

static void
put_e820_line(struct tdxsim_strbuf *out, const struct tdxsim_platform *p,
	      const struct tdxsim_e820_entry *e)
{
	char type[48];

	/* dmesg's own format: inclusive end, 16 hex digits. */
	tdxsim_strbuf_printf(out, "  [mem 0x%016" PRIx64 "-0x%016" PRIx64 "] %s\n",
			     e->start, e->end - 1,
			     tdxsim_e820_type_name(e->type, p->spelling, type,
						   sizeof(type)));
}

/*
 * The source's entries and its elisions. An elision that sits before a
 * derived entry was recorded before the next source entry (or at the end)
 * and moved only when the derived entry was inserted, so it is written
 * there; loading puts it back on the derived entry.
 */
static void
put_e820(struct tdxsim_strbuf *out, const struct tdxsim_platform *p)
{
	bool elided = false;

	tdxsim_strbuf_puts(out, "e820: |\n");
	for (size_t i = 0; i <= p->e820_count; i++) {
		elided |= tdxsim_platform_e820_elided_before(p, i) != 0;
		if (i < p->e820_count && p->e820[i].derived)
			continue;
		if (elided)
			tdxsim_strbuf_puts(out, "  ......\n");
		elided = false;
		if (i < p->e820_count)
			put_e820_line(out, p, &p->e820[i].entry);
	}
}

static void
put_e820_derived(struct tdxsim_strbuf *out, const struct tdxsim_platform *p)
{
	bool any = false;

	for (size_t i = 0; i < p->e820_count && !any; i++)
		any = p->e820[i].derived;
	if (!any)
		return;
	tdxsim_strbuf_puts(out, "e820-derived: |\n");
	for (size_t i = 0; i < p->e820_count; i++) {
		if (p->e820[i].derived)
			put_e820_line(out, p, &p->e820[i].entry);
	}
}

static void
put_cmrs(struct tdxsim_strbuf *out, const struct tdxsim_platform *p)
{
	if (p->cmr_count == 0)
		return;
	tdxsim_strbuf_puts(out, "cmrs: |\n");
	for (size_t i = 0; i < p->cmr_count; i++) {
		const struct tdxsim_cmr *c = &p->cmrs[i].cmr;

		/* virt/tdx's own format: "[base, base + size)". */
		tdxsim_strbuf_printf(out, "  [0x%" PRIx64 ", 0x%" PRIx64 ")\n",
				     c->base, c->base + c->size);
	}
}

static void
put_numa(struct tdxsim_strbuf *out, const struct tdxsim_platform *p)
{
	if (p->node_count == 0)
		return;
	tdxsim_strbuf_puts(out, "numa: |\n");
	for (size_t i = 0; i < p->node_count; i++) {
		const struct tdxsim_node_range *n = &p->nodes[i].range;

		tdxsim_strbuf_printf(out, "  node %3u: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]\n",
				     n->nid, n->start, n->end - 1);
	}
}

/* One base per TDMR in index order; "auto" keeps the later ones in place. */
static void
put_pamt_placement(struct tdxsim_strbuf *out, const struct tdxsim_platform *p)
{
	if (p->pamt_count == 0)
		return;
	tdxsim_strbuf_puts(out, "pamt-placement:\n");
	for (size_t i = 0; i < p->pamt_count; i++) {
		if (p->pamts[i].base == TDXSIM_PAMT_BASE_AUTO)
			tdxsim_strbuf_puts(out, "  - auto\n");
		else
			tdxsim_strbuf_printf(out, "  - 0x%" PRIx64 "\n",
					     p->pamts[i].base);
	}
}

static void
put_expect_number(struct tdxsim_strbuf *out, const char *key, long long v)
{
	if (v != TDXSIM_EXPECT_NONE)
		tdxsim_strbuf_printf(out, "    %s: %lld\n", key, v);
}

static void
put_expects(struct tdxsim_strbuf *out, const struct tdxsim_platform *p)
{
	if (p->expect_count == 0)
		return;
	tdxsim_strbuf_puts(out, "expect:\n");
	for (size_t i = 0; i < p->expect_count; i++) {
		const struct tdxsim_expect *e = &p->expects[i];

		tdxsim_strbuf_printf(out, "  %s:\n", e->strategy);
		if (e->outcome != TDXSIM_EXPECT_UNSET)
			tdxsim_strbuf_printf(out, "    outcome: %s\n",
					     e->outcome == TDXSIM_EXPECT_OK ? "ok" : "fail");
		if (e->has_errno)
			tdxsim_strbuf_printf(out, "    errno: %d\n", e->err);
		put_expect_number(out, "tdmrs", e->tdmrs);
		put_expect_number(out, "max-reserved", e->max_reserved);
		put_expect_number(out, "pamt-kb", e->pamt_kb);
		put_key_string(out, 4, "lines", e->lines);
	}
}

static void
put_platform(struct tdxsim_strbuf *out, const struct tdxsim_platform *p)
{
	tdxsim_strbuf_puts(out, "tdxsim-fixture: 1\n");
	put_key_string(out, 0, "name", p->info[TDXSIM_INFO_NAME] ?
		       p->info[TDXSIM_INFO_NAME] : "unnamed");
	put_key_string(out, 0, "description", p->info[TDXSIM_INFO_DESCRIPTION]);
	put_source(out, p);
	put_module(out, p);
	put_e820(out, p);
	put_key_string(out, 0, "e820-derived-note",
		       p->info[TDXSIM_INFO_E820_DERIVED_NOTE]);
	put_e820_derived(out, p);
	put_key_string(out, 0, "cmrs-inferred", p->info[TDXSIM_INFO_CMRS_INFERRED]);
	put_cmrs(out, p);
	put_numa(out, p);
	put_pamt_placement(out, p);
	put_expects(out, p);
}

TDXSIM_EXPORT int
tdxsim_platform_write(const struct tdxsim_platform *p, FILE *stream)
{
	if (!p || !stream)
		return -EINVAL;
	struct tdxsim_strbuf out;
	int ret = 0;

	tdxsim_strbuf_init(&out);
	put_platform(&out, p);
	errno = 0;
	if (out.oom)
		ret = -ENOMEM;
	else if (fwrite(tdxsim_strbuf_str(&out), 1, out.len, stream) != out.len ||
		 fflush(stream) != 0)
		ret = errno ? -errno : -EIO;	/* ENOSPC, EFBIG: say which */
	tdxsim_strbuf_fini(&out);
	return ret;
}

TDXSIM_EXPORT int
tdxsim_platform_save_file(const struct tdxsim_platform *p, const char *path)
{
	if (!p || !path)
		return -EINVAL;
	struct tdxsim_file_out out;
	int ret = tdxsim_file_out_open(&out, path);

	/* A temporary file renamed into place: a failed save leaves an
	 * existing fixture as it was (file-out.h). */
	if (ret == 0)
		ret = tdxsim_file_out_close(&out, tdxsim_platform_write(p, out.f));
	return ret;
}
