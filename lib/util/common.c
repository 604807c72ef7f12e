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
