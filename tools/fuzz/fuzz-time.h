/* SPDX-License-Identifier: MIT */
/*
 * The per-input time bound of the fuzz harnesses: an input that takes
 * longer than the bound is a finding (a hang, or a cost out of proportion
 * to the input), so the harness aborts with the time it took.
 *
 * The bound is 10 s. Under ASan+UBSan the slowest input seen (a 4 KB
 * fixture, every strategy replayed as every kernel generation) takes
 * 0.4 s alone, but 2.2 s in a campaign sharing two cores with other jobs,
 * which tripped a first bound of 2 s (docs/reliability.md): the bound
 * must hold on a loaded machine, and still tells a hang or a cost out of
 * proportion from a slow run. TDXSIM_FUZZ_LIMIT_MS overrides it: the
 * valgrind test setup raises it, a campaign may lower it. libFuzzer's own
 * -timeout (docs/reliability.md) stays as the backstop for an input that
 * never returns at all.
 */
#ifndef TDXSIM_FUZZ_TIME_H
#define TDXSIM_FUZZ_TIME_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define FUZZ_LIMIT_MS_DEFAULT 10000

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

/*
 * Define LLVMFuzzerTestOneInput as one call of fn(data, size) within the
 * bound, for harnesses whose whole work is one function.
 */
#define FUZZ_TIMED_ENTRY(fn, harness)						\
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)		\
	{									\
		uint64_t start = fuzz_now_ms();					\
										\
		fn(data, size);							\
		fuzz_check_time(start, harness);				\
		return 0;							\
	}

#endif /* TDXSIM_FUZZ_TIME_H */
