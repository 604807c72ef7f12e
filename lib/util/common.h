/* SPDX-License-Identifier: MIT */
/*
 * Private helpers shared by every layer of libtdxsim.
 *
 * Naming: every function with external linkage in the library carries the
 * tdxsim_ prefix, public or not, so that a static libtdxsim.a cannot clash
 * with a program's own symbols. Only functions marked TDXSIM_EXPORT (and
 * listed in lib/tdxsim.sym) leave the shared library.
 */
#ifndef TDXSIM_UTIL_COMMON_H
#define TDXSIM_UTIL_COMMON_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define TDXSIM_EXPORT __attribute__((visibility("default")))

#define TDXSIM_PRINTF(fmt_idx, arg_idx) __attribute__((format(printf, fmt_idx, arg_idx)))

#define ARRAY_LENGTH(a) (sizeof(a) / sizeof((a)[0]))

#define SZ_4K  0x1000ULL
#define SZ_1M  0x100000ULL
#define SZ_2M  0x200000ULL
#define SZ_1G  0x40000000ULL

static inline bool
tdxsim_is_aligned(uint64_t value, uint64_t alignment)
{
	return (value & (alignment - 1)) == 0;
}

/*
 * Make room for at least need elements in a malloc'ed array of elem_size
 * bytes each. Grows geometrically; refuses sizes whose byte count would
 * overflow. Returns 0 or -ENOMEM, leaving *array untouched on failure.
 */
int tdxsim_array_reserve(void **array, size_t *capacity, size_t need,
			 size_t elem_size);

/*
 * Copy a caller's growable config (its first member is size_t size, see
 * TDXSIM_CONFIG_INIT in tdxsim/guest.h) into dst of dst_size bytes:
 * members past the caller's size are 0, their default, because a caller
 * built before they existed never set them and its object ends before
 * them. Returns 0; -EINVAL when the size is below min_size (the first
 * version's); -E2BIG when the caller's struct is longer than dst and a
 * byte past dst_size is nonzero (a member this library does not know,
 * Linux's copy_struct_from_user() rule).
 */
int tdxsim_config_copy(void *dst, size_t dst_size, const void *src,
		       size_t min_size);

/* A config's GPA width: 0 becomes TDXSIM_GPAW_DEFAULT (52); 48 and 52
 * stay, the two widths TD_PARAMS.CONFIG_FLAGS.GPAW selects; anything
 * else is -EINVAL. The shared bit is then 1 << (*gpaw - 1). */
static inline int
tdxsim_gpaw_resolve(unsigned *gpaw)
{
	if (*gpaw == 0)
		*gpaw = 52;
	return *gpaw == 48 || *gpaw == 52 ? 0 : -EINVAL;
}

/* free() for pointers the public API hands out as const. */
static inline void
tdxsim_free_const(const void *p)
{
	free((void *)(uintptr_t)p);
}

/* Whether [s, s + len) is well-formed UTF-8 (no overlongs, surrogates or
 * code points past U+10FFFF): what a YAML file can carry (the writer
 * escapes control characters). */
bool tdxsim_text_is_clean(const char *s, size_t len);

/* Replace, in place, every byte that breaks tdxsim_text_is_clean() by '?'. */
void tdxsim_text_clean(char *s);

/* strndup that always NUL-terminates and reports -ENOMEM as NULL. */
char *tdxsim_strndup(const char *s, size_t len);

/* strdup of a possibly NULL string; *ok is cleared on out of memory. */
char *tdxsim_strdup_or_null(const char *s, bool *ok);

/*
 * "Did you mean": the known word closest to a misspelt one. Try every
 * candidate, then ask for the best: the one at the smallest edit distance
 * (insert, delete or change a character, or swap two adjacent ones), when
 * that distance is at most TDXSIM_SUGGEST_MAX_DISTANCE, smaller than the
 * candidate's length, and no other candidate is as close.
 */
#define TDXSIM_SUGGEST_MAX_DISTANCE 2u

struct tdxsim_suggest {
	const char *word;
	size_t len;
	const char *best;
	unsigned best_distance;
	bool tie;
};

void tdxsim_suggest_init(struct tdxsim_suggest *s, const char *word, size_t len);
void tdxsim_suggest_try(struct tdxsim_suggest *s, const char *candidate);
/* The suggestion, or NULL when no candidate is close enough or two are. */
const char *tdxsim_suggest_best(const struct tdxsim_suggest *s);

#endif /* TDXSIM_UTIL_COMMON_H */
