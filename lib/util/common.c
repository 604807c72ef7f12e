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
