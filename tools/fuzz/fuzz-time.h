/* SPDX-License-Identifier: MIT */
/*
 * The per-input time bound of the fuzz harnesses: an input that takes
 * longer than the bound is a finding (a hang, or a cost out of proportion
 * to the input), so the harness aborts with the time it took.
 *
 * The bound is 2000 ms, generous for the largest input a campaign makes
 * (-max_len 16384) under ASan+UBSan, where the slowest seed takes tens of
 * milliseconds. TDXSIM_FUZZ_LIMIT_MS overrides it: the valgrind test
 * setup raises it, a campaign may lower it. libFuzzer's own -timeout
 * (docs/reliability.md) stays as the backstop for an input that never
 * returns at all.
 */
#ifndef TDXSIM_FUZZ_TIME_H
#define TDXSIM_FUZZ_TIME_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define FUZZ_LIMIT_MS_DEFAULT 2000

static inline uint64_t
fuzz_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static inline uint64_t
fuzz_limit_ms(void)
{
	const char *s = getenv("TDXSIM_FUZZ_LIMIT_MS");
	char *end;
	unsigned long long v;

	if (!s || !*s)
		return FUZZ_LIMIT_MS_DEFAULT;
	v = strtoull(s, &end, 10);
	return *end == '\0' && v > 0 ? (uint64_t)v : FUZZ_LIMIT_MS_DEFAULT;
}

/* Abort when more than the bound has passed since start. */
static inline void
fuzz_check_time(uint64_t start, const char *harness)
{
	uint64_t took = fuzz_now_ms() - start;
	uint64_t limit = fuzz_limit_ms();

	if (took > limit) {
		fprintf(stderr, "%s: one input took %llu ms, over the %llu ms bound\n",
			harness, (unsigned long long)took, (unsigned long long)limit);
		abort();
	}
}

#endif /* TDXSIM_FUZZ_TIME_H */
