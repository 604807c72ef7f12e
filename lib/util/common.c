/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>

#include "common.h"

int
tdxsim_array_reserve(void **array, size_t *capacity, size_t need,
		     size_t elem_size)
{
	size_t new_capacity;
	void *grown;

	if (need <= *capacity)
		return 0;

	new_capacity = *capacity ? *capacity : 8;
	while (new_capacity < need) {
		if (new_capacity > SIZE_MAX / 2)
			return -ENOMEM;
		new_capacity *= 2;
	}
	if (elem_size && new_capacity > SIZE_MAX / elem_size)
		return -ENOMEM;

	grown = realloc(*array, new_capacity * elem_size);
	if (!grown)
		return -ENOMEM;

	*array = grown;
	*capacity = new_capacity;
	return 0;
}

char *
tdxsim_strndup(const char *s, size_t len)
{
	char *copy;

	if (len == SIZE_MAX)
		return NULL;
	copy = malloc(len + 1);
	if (!copy)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

char *
tdxsim_strdup_or_null(const char *s, bool *ok)
{
	char *copy;

	if (!s)
		return NULL;
	copy = tdxsim_strndup(s, strlen(s));
	if (!copy)
		*ok = false;
	return copy;
}

/* Length of the well-formed UTF-8 sequence at s (1..4), 0 when there is
 * none (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF). */
static size_t
utf8_sequence(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];
	size_t n;
	unsigned lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (left < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++) {
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	}
	return n;
}

bool
tdxsim_text_is_clean(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_sequence(p + i, len - i);

		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

void
tdxsim_text_clean(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		size_t n = utf8_sequence(p + i, len - i);

		if (n == 0) {
			p[i] = '?';
			n = 1;
		}
		i += n;
	}
}

/* Words longer than this get no suggestion (keys and names are short). */
#define SUGGEST_MAX_LEN 64

/* Optimal string alignment distance, capped: anything above cap is cap + 1. */
static unsigned
edit_distance(const char *a, size_t alen, const char *b, size_t blen,
	      unsigned cap)
{
	unsigned rows[3][SUGGEST_MAX_LEN + 1];
	unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	if (alen > SUGGEST_MAX_LEN || blen > SUGGEST_MAX_LEN)
		return cap + 1;
	if ((alen > blen ? alen - blen : blen - alen) > cap)
		return cap + 1;
	for (size_t j = 0; j <= blen; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= alen; i++) {
		unsigned *t;

		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= blen; j++) {
			unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
			unsigned d = prev[j] + 1;

			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (prev[j - 1] + cost < d)
				d = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[blen] > cap ? cap + 1 : prev[blen];
}

void
tdxsim_suggest_init(struct tdxsim_suggest *s, const char *word, size_t len)
{
	s->word = word;
	s->len = word ? len : 0;
	s->best = NULL;
	s->best_distance = TDXSIM_SUGGEST_MAX_DISTANCE + 1;
	s->tie = false;
}

void
tdxsim_suggest_try(struct tdxsim_suggest *s, const char *candidate)
{
	size_t clen;
	unsigned d;

	if (!s->word || !candidate)
		return;
	clen = strlen(candidate);
	d = edit_distance(s->word, s->len, candidate, clen,
			  TDXSIM_SUGGEST_MAX_DISTANCE);
	if (d == 0 || d > TDXSIM_SUGGEST_MAX_DISTANCE || d >= clen)
		return;
	if (d < s->best_distance) {
		s->best = candidate;
		s->best_distance = d;
		s->tie = false;
	} else if (d == s->best_distance && strcmp(candidate, s->best) != 0) {
		s->tie = true;
	}
}

const char *
tdxsim_suggest_best(const struct tdxsim_suggest *s)
{
	return s->tie ? NULL : s->best;
}

int
tdxsim_config_copy(void *dst, size_t dst_size, const void *src,
		   size_t min_size)
{
	const unsigned char *bytes = src;
	size_t size;

	memcpy(&size, src, sizeof(size));
	if (size < min_size || size < sizeof(size))
		return -EINVAL;
	for (size_t i = dst_size; i < size; i++)
		if (bytes[i])
			return -E2BIG;
	memset(dst, 0, dst_size);
	memcpy(dst, src, size < dst_size ? size : dst_size);
	return 0;
}
