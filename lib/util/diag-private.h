/* SPDX-License-Identifier: MIT */
#ifndef TDXSIM_UTIL_DIAG_PRIVATE_H
#define TDXSIM_UTIL_DIAG_PRIVATE_H

#include <stdarg.h>

#include <tdxsim/diag.h>

#include "common.h"

/*
 * Where a message points: the input's name and a 1-based line and column.
 * line 0 means the whole input, column 0 the whole line.
 */
struct tdxsim_pos {
	unsigned line;
	unsigned column;
};

/*
 * Record "name:line:col: message". diag may be NULL (nothing is recorded).
 * Running out of memory while recording drops the message but still counts
 * an error, so a refused input is never mistaken for a clean one.
 */
void tdxsim_diag_add(struct tdxsim_diag *diag, enum tdxsim_diag_severity severity,
		     const char *name, struct tdxsim_pos pos, const char *fmt, ...)
	TDXSIM_PRINTF(5, 6);

void tdxsim_diag_vadd(struct tdxsim_diag *diag, enum tdxsim_diag_severity severity,
		      const char *name, struct tdxsim_pos pos, const char *fmt,
		      va_list args) TDXSIM_PRINTF(5, 0);

#endif /* TDXSIM_UTIL_DIAG_PRIVATE_H */
