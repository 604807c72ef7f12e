/* SPDX-License-Identifier: MIT */
/*
 * Strict number and text scanning for fixtures and logs. Nothing here reads
 * past len, needs NUL termination, or accepts trailing garbage.
 */
#ifndef TDXSIM_UTIL_PARSE_H
#define TDXSIM_UTIL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Parse an unsigned 64-bit number: "0x" hex or decimal, nothing else.
 * Returns 0, -EINVAL when malformed, -ERANGE when it does not fit.
 */
int tdxsim_parse_u64(const char *s, size_t len, uint64_t *out);

/* The value of one hex digit, or -1 for any other character. */
int tdxsim_hex_digit(char c);

/* Same, for a bare hex number with no "0x" (as in "build date 0134fed5"). */
int tdxsim_parse_hex_u64(const char *s, size_t len, uint64_t *out);

/*
 * A cursor over one line of text, for hand-written scanners. Every
 * function returns false and leaves the cursor where it was when the text
 * does not match.
 */
struct tdxsim_scan {
	const char *p;
	const char *end;
};

void tdxsim_scan_init(struct tdxsim_scan *sc, const char *s, size_t len);
bool tdxsim_scan_at_end(const struct tdxsim_scan *sc);
void tdxsim_scan_skip_space(struct tdxsim_scan *sc);
/* Consume lit exactly. */
bool tdxsim_scan_literal(struct tdxsim_scan *sc, const char *lit);
/* Consume one number (0x hex or decimal) into *out. -ERANGE is reported via *range_error. */
bool tdxsim_scan_u64(struct tdxsim_scan *sc, uint64_t *out, bool *range_error);
/* Consume a run of hex digits, with or without 0x. */
bool tdxsim_scan_hex(struct tdxsim_scan *sc, uint64_t *out, bool *range_error);
/* Find lit anywhere ahead and move past it. */
bool tdxsim_scan_find(struct tdxsim_scan *sc, const char *lit);
/* Offset of the cursor from the start of s, for column numbers. */
size_t tdxsim_scan_offset(const struct tdxsim_scan *sc, const char *s);

/* Strip leading and trailing blanks (space, tab, CR) from [*s, *s + *len). */
void tdxsim_trim(const char **s, size_t *len);

#endif /* TDXSIM_UTIL_PARSE_H */
