/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>

#include "common.h"
#include "parse.h"

int
tdxsim_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Consume digits of one base from [*p, end); count how many. */
static int
take_digits(const char **p, const char *end, unsigned base, uint64_t *out,
	    size_t *ndigits)
{
	uint64_t value = 0;
	bool overflow = false;
	size_t n = 0;

	while (*p < end) {
		int d = tdxsim_hex_digit(**p);

		if (d < 0 || (unsigned)d >= base)
			break;
		if (value > (UINT64_MAX - (unsigned)d) / base)
			overflow = true;
		value = value * base + (unsigned)d;
		(*p)++;
		n++;
	}
	*ndigits = n;
	*out = value;
	return overflow ? -ERANGE : 0;
}

static bool
has_hex_prefix(const char *p, const char *end)
{
	return end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
}

int
tdxsim_parse_u64(const char *s, size_t len, uint64_t *out)
{
	const char *p = s, *end = s + len;
	unsigned base = 10;
	size_t ndigits;
	int ret;

	if (has_hex_prefix(p, end)) {
		base = 16;
		p += 2;
	}
	ret = take_digits(&p, end, base, out, &ndigits);
	if (ndigits == 0 || p != end)
		return -EINVAL;
	return ret;
}

int
tdxsim_parse_hex_u64(const char *s, size_t len, uint64_t *out)
{
	const char *p = s, *end = s + len;
	size_t ndigits;
	int ret;

	ret = take_digits(&p, end, 16, out, &ndigits);
	if (ndigits == 0 || p != end)
		return -EINVAL;
	return ret;
}

void
tdxsim_scan_init(struct tdxsim_scan *sc, const char *s, size_t len)
{
	sc->p = s;
	sc->end = s + len;
}

bool
tdxsim_scan_at_end(const struct tdxsim_scan *sc)
{
	return sc->p >= sc->end;
}

void
tdxsim_scan_skip_space(struct tdxsim_scan *sc)
{
	while (sc->p < sc->end &&
	       (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\r'))
		sc->p++;
}

bool
tdxsim_scan_literal(struct tdxsim_scan *sc, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(sc->end - sc->p) < n || memcmp(sc->p, lit, n) != 0)
		return false;
	sc->p += n;
	return true;
}

static bool
scan_number(struct tdxsim_scan *sc, unsigned base, uint64_t *out,
	    bool *range_error)
{
	const char *p = sc->p;
	size_t ndigits;
	int ret;

	if (has_hex_prefix(p, sc->end)) {
		base = 16;
		p += 2;
	}
	ret = take_digits(&p, sc->end, base, out, &ndigits);
	if (ndigits == 0)
		return false;
	/* A number glued to letters ("12ab" in base 10) is not a number. */
	if (p < sc->end && (tdxsim_hex_digit(*p) >= 0 || *p == 'x' || *p == 'X' ||
			    *p == '_'))
		return false;
	if (ret == -ERANGE && range_error)
		*range_error = true;
	sc->p = p;
	return true;
}

bool
tdxsim_scan_u64(struct tdxsim_scan *sc, uint64_t *out, bool *range_error)
{
	return scan_number(sc, 10, out, range_error);
}

bool
tdxsim_scan_hex(struct tdxsim_scan *sc, uint64_t *out, bool *range_error)
{
	return scan_number(sc, 16, out, range_error);
}

bool
tdxsim_scan_find(struct tdxsim_scan *sc, const char *lit)
{
	size_t n = strlen(lit);

	for (const char *p = sc->p; (size_t)(sc->end - p) >= n; p++) {
		if (memcmp(p, lit, n) == 0) {
			sc->p = p + n;
			return true;
		}
	}
	return false;
}

size_t
tdxsim_scan_offset(const struct tdxsim_scan *sc, const char *s)
{
	return (size_t)(sc->p - s);
}

void
tdxsim_trim(const char **s, size_t *len)
{
	const char *p = *s, *end = *s + *len;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r'))
		end--;
	*s = p;
	*len = (size_t)(end - p);
}
