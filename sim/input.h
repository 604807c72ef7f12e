/* SPDX-License-Identifier: MIT */
/*
 * Every file the CLI reads goes through here: "-" is standard input, and
 * the content, not the name, says what a file is. A kernel log given
 * where a platform fixture is expected is imported on the fly (with a
 * note on standard error); a fixture of another kind (a TDMR layout where
 * a platform goes, a scenario) is refused with one sentence naming what
 * it is and the command that takes it.
 */
#ifndef TDXSIM_CLI_INPUT_H
#define TDXSIM_CLI_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <tdxsim/tdxsim.h>

/* cli_platform_from_text(): a file of another kind, already said. */
#define CLI_INPUT_WRONG_KIND 1

enum cli_kind {
	CLI_KIND_UNKNOWN = 0,	/* none of the below: the loader says why */
	CLI_KIND_PLATFORM,	/* tdxsim-fixture: 1 */
	CLI_KIND_LAYOUT,	/* tdxsim-layout: 1 */
	CLI_KIND_SCENARIO,	/* tdxsim-scenario: 1 (tdxsim memtype) */
	CLI_KIND_DPAMT,		/* memory-gib:, pamt-pool:, steps: (tdxsim dpamt) */
	CLI_KIND_DMESG,		/* a kernel log with BIOS-e820: lines */
};

/* What text is, by its content. */
enum cli_kind cli_input_kind(const char *text, size_t len);

/* The name messages use: "<stdin>" for "-", else path. */
const char *cli_input_name(const char *path);

/*
 * Read path ("-": standard input), at most TDXSIM_FIXTURE_MAX_BYTES.
 * Returns 0, or prints "NAME: cannot read: reason" to standard error and
 * returns a negative errno. *text is NUL-terminated and must be freed.
 */
int cli_input_read(const char *path, char **text, size_t *len);

/*
 * When text of kind found is given where wanted goes and found is a kind
 * the CLI knows, print "NAME is a ..., not a ...; 'tdxsim ...' takes it."
 * to standard error and return true.
 */
bool cli_input_wrong_kind(const char *name, enum cli_kind found,
			  enum cli_kind wanted);

/* Infer the CMRs of a log that gave none, as import-dmesg does: the
 * count, 0 with a warning on stderr when more than TDXSIM_MAX_CMRS would be
 * needed, or a negative errno. */
int cli_infer_cmrs(struct tdxsim_platform *p, const char *label);

/*
 * A platform from text: a fixture is loaded and validated; a kernel log
 * is imported as 'tdxsim import-dmesg' would (CMRs inferred when it has
 * none), with a note on standard error, and validated. Returns 0, CLI_INPUT_WRONG_KIND for a file of
 * another kind (already said), -EINVAL (reasons in diag) or another
 * negative errno.
 */
int cli_platform_from_text(const char *name, const char *text, size_t len,
			   struct tdxsim_platform **out, struct tdxsim_diag *diag);

#endif /* TDXSIM_CLI_INPUT_H */
