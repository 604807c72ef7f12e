/* SPDX-License-Identifier: MIT */
/**
 * @file tdxsim/scenario.h
 * Memtype scenarios: a YAML file (docs/memtype.md, "Scenario format") that
 * sets up a vCPU's MTRR bank under a hypervisor profile and a Linux guest,
 * runs a list of steps against them (ioremap by named drivers, MSR reads
 * and writes, MTRR lookups, EPT memory types) and states what each step
 * must give, which kernel lines must be printed and what the guest's PAT
 * memtype tree must hold at the end.
 *
 * Loading checks the form of the file and reports problems as
 * "file:line:col: message" diagnostics. Running one is a simulation: an
 * expectation that is not met is an outcome, counted in the result and
 * written to the report, never an error.
 *
 * API contract (docs/architecture.md): a NULL where an object or an output
 * is required gives -EINVAL (getters and predicates: NULL or 0;
 * status-word functions: an error status), never a crash; a buffer may be NULL when its length is 0;
 * a parameter documented "may be NULL" (or "NULL does nothing") is optional.
 * tests/test-api-null.c calls every exported function to hold this.
 */
#ifndef TDXSIM_SCENARIO_H
#define TDXSIM_SCENARIO_H

#include <stddef.h>
#include <stdio.h>

#include <tdxsim/diag.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A loaded memtype scenario. Opaque; immutable once loaded. */
struct tdxsim_scenario;

/** What one run of a scenario found. */
struct tdxsim_scenario_result {
	size_t expectations;	/**< expectations checked */
	size_t met;		/**< of those, met */
	size_t failed;		/**< of those, not met */
};

/**
 * Load a scenario from a file.
 *
 * @param path the file.
 * @param out receives the scenario; untouched on failure.
 * @param diag receives "path:line:col: message" for every problem; may be
 *        NULL.
 * @return 0, -EINVAL when the file is refused (see diag), -ENOMEM, or the
 *         negative errno of reading the file.
 */
int tdxsim_scenario_load_file(const char *path, struct tdxsim_scenario **out,
			      struct tdxsim_diag *diag);

/**
 * Load a scenario from memory.
 *
 * @param name what messages call the input (NULL: "<scenario>").
 * @param text the YAML text, not necessarily NUL-terminated; NULL when len
 *             is 0.
 * @param len its length in bytes.
 * @param out receives the scenario; untouched on failure.
 * @param diag receives the problems; may be NULL.
 * @return 0, -EINVAL when the text is refused, -ENOMEM.
 */
int tdxsim_scenario_load_buffer(const char *name, const char *text,
				size_t len, struct tdxsim_scenario **out,
				struct tdxsim_diag *diag);

/**
 * Free a scenario.
 *
 * @param scenario the scenario; NULL does nothing.
 */
void tdxsim_scenario_free(struct tdxsim_scenario *scenario);

/**
 * Get a scenario's name (its 'name' key).
 *
 * @param scenario the scenario.
 * @return the name, owned by the scenario; NULL for a NULL scenario.
 */
const char *tdxsim_scenario_name(const struct tdxsim_scenario *scenario);

/**
 * Get where a scenario comes from (its 'source' key: a thread or commit).
 *
 * @param scenario the scenario.
 * @return the text, owned by the scenario; NULL when none was given.
 */
const char *tdxsim_scenario_source(const struct tdxsim_scenario *scenario);

/**
 * Count a scenario's steps.
 *
 * @param scenario the scenario.
 * @return the number of steps (0 for NULL).
 */
size_t tdxsim_scenario_step_count(const struct tdxsim_scenario *scenario);

/**
 * Run a scenario on a fresh MTRR bank and Linux guest and check every
 * expectation. The report holds one line per step with its outcome, a
 * "file:line:col: expected ..., got ..." line under each expectation not
 * met, the guest kernel's lines exactly as printed, the final memtype tree
 * in the kernel's debugfs form ("PAT: [mem 0x...-0x...] write-back") and a
 * closing count.
 *
 * @param scenario the scenario.
 * @param report where the report goes; NULL writes none.
 * @param result receives the counts; may be NULL.
 * @return 0 whether or not the expectations were met; -EINVAL for a NULL
 *         scenario or a setup the memtype layer refuses, -ENOMEM, or the
 *         errno of a failed report write (-ENOSPC, -EFBIG, -EIO).
 */
int tdxsim_scenario_run(const struct tdxsim_scenario *scenario, FILE *report,
			struct tdxsim_scenario_result *result);

#ifdef __cplusplus
}
#endif

#endif /* TDXSIM_SCENARIO_H */
