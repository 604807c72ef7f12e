/* SPDX-License-Identifier: MIT */
/*
 * The JSON every command's --json output is made of (docs/cli.md), on
 * standard output.
 *
 * struct cli_json is a small streaming writer that keeps the commas and
 * the nesting, so a command's printer says only what goes in the
 * document:
 *
 *	struct cli_json j;
 *	cli_json_begin(&j, stdout);            top-level object, one key a line
 *	cli_json_str(&j, "fixture", path);
 *	cli_json_array(&j, "lines", CLI_JSON_BLOCK);
 *	cli_json_str(&j, NULL, line);          array members have no key
 *	cli_json_end(&j);
 *	cli_json_object(&j, "range", CLI_JSON_INLINE);
 *	cli_json_range_members(&j, base, size);
 *	cli_json_end(&j);
 *	cli_json_finish(&j);                   closes the document, newline
 *
 * A BLOCK container puts each member on its own line, indented two spaces
 * per level; an INLINE one keeps its members (and everything nested in
 * it) on one line. Addresses are hex strings (cli_json_hex), because JSON
 * numbers lose precision above 2^53 in many readers; counts and sizes are
 * numbers.
 */
#ifndef TDXSIM_CLI_JSON_H
#define TDXSIM_CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum cli_json_layout {
	CLI_JSON_BLOCK,
	CLI_JSON_INLINE,
};

/* Deep enough for every document the commands print. */
#define CLI_JSON_DEPTH 16

struct cli_json {
	FILE *out;
	unsigned depth;
	/* Per open container: has a member been written, is it inline, and
	 * the character that closes it. */
	bool has_member[CLI_JSON_DEPTH];
	bool inline_[CLI_JSON_DEPTH];
	char closer[CLI_JSON_DEPTH];
};

/* Start a document on out: its top-level object, in BLOCK layout. */
void cli_json_begin(struct cli_json *j, FILE *out);

/* Start a document that is one line (a line of JSON lines): its top-level
 * object in INLINE layout. */
void cli_json_begin_line(struct cli_json *j, FILE *out);

/* Open an object or an array as the member key of the current object, or
 * (key NULL) as the next member of the current array. A container nested
 * in an INLINE one is inline whatever layout says. Past CLI_JSON_DEPTH
 * levels, a programming error, it aborts. */
void cli_json_object(struct cli_json *j, const char *key, enum cli_json_layout layout);
void cli_json_array(struct cli_json *j, const char *key, enum cli_json_layout layout);

/* Close the innermost open object or array. */
void cli_json_end(struct cli_json *j);

/* Scalar members; key NULL inside an array. cli_json_str() escapes quotes,
 * backslashes and control characters, keeps other bytes (the library's
 * strings are UTF-8) and prints null for a NULL value; cli_json_hex()
 * prints "0x..." (a string). */
void cli_json_str(struct cli_json *j, const char *key, const char *value);
/* A string of len bytes (not NUL-terminated). */
void cli_json_str_n(struct cli_json *j, const char *key, const char *value, size_t len);
void cli_json_u64(struct cli_json *j, const char *key, uint64_t value);
void cli_json_i64(struct cli_json *j, const char *key, int64_t value);
void cli_json_hex(struct cli_json *j, const char *key, uint64_t value);
void cli_json_bool(struct cli_json *j, const char *key, bool value);
void cli_json_null(struct cli_json *j, const char *key);

/* The three members of a range, in the open object: "base" and "end" as
 * hex strings, "size" a number. */
void cli_json_range_members(struct cli_json *j, uint64_t base, uint64_t size);

/* Close every open container and end the document with a newline. */
void cli_json_finish(struct cli_json *j);

#endif /* TDXSIM_CLI_JSON_H */
