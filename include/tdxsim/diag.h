/* SPDX-License-Identifier: MIT */
/**
 * @file tdxsim/diag.h
 * Diagnostics: the messages an input file or log earned while being read.
 *
 * Every loader and importer in tdxsim reports problems into a diagnostics
 * list rather than printing them. Each message is one line in the compiler
 * form "path:line:col: message" (or "path:line:col: warning: message"), so an
 * editor can jump to the spot. Line and column are 1-based.
 *
 * API contract (docs/architecture.md): a NULL where an object or an output
 * is required gives -EINVAL (getters and predicates: NULL or 0;
 * status-word functions: an error status), never a crash; a buffer may be NULL when its length is 0;
 * a parameter documented "may be NULL" (or "NULL does nothing") is optional.
 * tests/test-api-null.c calls every exported function to hold this.
 */
#ifndef TDXSIM_DIAG_H
#define TDXSIM_DIAG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An ordered list of diagnostics. Opaque; one user at a time. */
struct tdxsim_diag;

/** Severity of one diagnostic. */
enum tdxsim_diag_severity {
	TDXSIM_DIAG_ERROR = 0,   /**< the input is refused */
	TDXSIM_DIAG_WARNING = 1, /**< the input is accepted, but look here */
};

/**
 * Create an empty diagnostics list.
 *
 * @return the new list, or NULL when out of memory.
 */
struct tdxsim_diag *tdxsim_diag_new(void);

/**
 * Free a diagnostics list and every message in it.
 *
 * @param diag the list; NULL is allowed and does nothing.
 */
void tdxsim_diag_free(struct tdxsim_diag *diag);

/**
 * Remove every message, keeping the list for reuse.
 *
 * @param diag the list.
 */
void tdxsim_diag_clear(struct tdxsim_diag *diag);

/**
 * Count the messages.
 *
 * @param diag the list; NULL counts as empty.
 * @return the number of messages, errors and warnings together.
 */
size_t tdxsim_diag_count(const struct tdxsim_diag *diag);

/**
 * Count the errors only.
 *
 * @param diag the list; NULL counts as empty.
 * @return the number of messages of severity TDXSIM_DIAG_ERROR.
 */
size_t tdxsim_diag_error_count(const struct tdxsim_diag *diag);

/**
 * Get one formatted message.
 *
 * @param diag the list.
 * @param index 0 .. tdxsim_diag_count() - 1.
 * @return "path:line:col: message" (warnings carry "warning: " before the
 *         message), owned by the list; NULL when index is out of range.
 */
const char *tdxsim_diag_message(const struct tdxsim_diag *diag, size_t index);

/**
 * Get the severity of one message.
 *
 * @param diag the list.
 * @param index 0 .. tdxsim_diag_count() - 1.
 * @return its severity; TDXSIM_DIAG_ERROR when index is out of range.
 */
enum tdxsim_diag_severity tdxsim_diag_severity(const struct tdxsim_diag *diag,
					       size_t index);

/**
 * Get the 1-based line of one message.
 *
 * @param diag the list.
 * @param index 0 .. tdxsim_diag_count() - 1.
 * @return the line, 0 when the message concerns the whole input or index is
 *         out of range.
 */
unsigned tdxsim_diag_line(const struct tdxsim_diag *diag, size_t index);

/**
 * Get the 1-based column of one message.
 *
 * @param diag the list.
 * @param index 0 .. tdxsim_diag_count() - 1.
 * @return the column, 0 when unknown or index is out of range.
 */
unsigned tdxsim_diag_column(const struct tdxsim_diag *diag, size_t index);

/**
 * Sort the messages by position: input by input (in the order each input's
 * first message was added), then by line (messages about the whole input
 * first) and column. Messages at the same position keep the order they
 * were added in. Loaders report in the order they check, which is not
 * always the order of the text (a CMR list before the E820 table is
 * checked after it); call this before showing the list to a person.
 *
 * @param diag the list; NULL does nothing.
 */
void tdxsim_diag_sort(struct tdxsim_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* TDXSIM_DIAG_H */
