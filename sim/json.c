/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static void
json_string_n_to(FILE *out, const char *s, size_t len)
{
	const unsigned char *end = (const unsigned char *)s + len;

	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)s; c < end && *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", out);
		else if (*c == '\t')
			fputs("\\t", out);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

static void
json_string_to(FILE *out, const char *s)
{
	s = s ? s : "";
	json_string_n_to(out, s, strlen(s));
}

static bool
json_inline(const struct cli_json *j)
{
	return j->depth > 0 && j->inline_[j->depth - 1];
}

static void
json_newline(struct cli_json *j, unsigned depth)
{
	fputc('\n', j->out);
	for (unsigned i = 0; i < depth; i++)
		fputs("  ", j->out);
}

/* The separator and the key before a member of the innermost container. */
static void
json_member(struct cli_json *j, const char *key)
{
	if (j->depth == 0)
		return;
	bool first = !j->has_member[j->depth - 1];

	if (!first)
		fputc(',', j->out);
	if (json_inline(j)) {
		if (!first)
			fputc(' ', j->out);
	} else {
		json_newline(j, j->depth);
	}
	j->has_member[j->depth - 1] = true;
	if (key) {
		json_string_to(j->out, key);
		fputs(": ", j->out);
	}
}

static void
json_open(struct cli_json *j, const char *key, enum cli_json_layout layout, char bracket)
{
	/* A deeper document is a bug in the command that prints it. */
	if (j->depth >= CLI_JSON_DEPTH)
		abort();
	bool inline_ = layout == CLI_JSON_INLINE || json_inline(j);

	json_member(j, key);
	fputc(bracket, j->out);
	j->has_member[j->depth] = false;
	j->inline_[j->depth] = inline_;
	j->closer[j->depth] = bracket == '{' ? '}' : ']';
	j->depth++;
}

void
cli_json_begin(struct cli_json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	json_open(j, NULL, CLI_JSON_BLOCK, '{');
}

void
cli_json_begin_line(struct cli_json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	json_open(j, NULL, CLI_JSON_INLINE, '{');
}

void
cli_json_object(struct cli_json *j, const char *key, enum cli_json_layout layout)
{
	json_open(j, key, layout, '{');
}

void
cli_json_array(struct cli_json *j, const char *key, enum cli_json_layout layout)
{
	json_open(j, key, layout, '[');
}

void
cli_json_end(struct cli_json *j)
{
	if (j->depth == 0)
		abort();
	j->depth--;
	if (j->has_member[j->depth] && !j->inline_[j->depth])
		json_newline(j, j->depth);
	fputc(j->closer[j->depth], j->out);
}

void
cli_json_str(struct cli_json *j, const char *key, const char *value)
{
	json_member(j, key);
	if (value)
		json_string_to(j->out, value);
	else
		fputs("null", j->out);
}

void
cli_json_str_n(struct cli_json *j, const char *key, const char *value, size_t len)
{
	json_member(j, key);
	json_string_n_to(j->out, value, len);
}

void
cli_json_u64(struct cli_json *j, const char *key, uint64_t value)
{
	json_member(j, key);
	fprintf(j->out, "%" PRIu64, value);
}

void
cli_json_i64(struct cli_json *j, const char *key, int64_t value)
{
	json_member(j, key);
	fprintf(j->out, "%" PRId64, value);
}

void
cli_json_hex(struct cli_json *j, const char *key, uint64_t value)
{
	json_member(j, key);
	fprintf(j->out, "\"0x%" PRIx64 "\"", value);
}

void
cli_json_bool(struct cli_json *j, const char *key, bool value)
{
	json_member(j, key);
	fputs(value ? "true" : "false", j->out);
}

void
cli_json_null(struct cli_json *j, const char *key)
{
	json_member(j, key);
	fputs("null", j->out);
}

void
cli_json_range_members(struct cli_json *j, uint64_t base, uint64_t size)
{
	cli_json_hex(j, "base", base);
	cli_json_hex(j, "end", base + size);
	cli_json_u64(j, "size", size);
}

void
cli_json_finish(struct cli_json *j)
{
	while (j->depth > 0)
		cli_json_end(j);
	fputc('\n', j->out);
}
