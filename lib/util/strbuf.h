/* SPDX-License-Identifier: MIT */
/*
 * A growable NUL-terminated string. Appends never fail loudly: the first
 * allocation failure sets oom and later appends do nothing, so a writer can
 * format a whole document and check once at the end.
 */
#ifndef TDXSIM_UTIL_STRBUF_H
#define TDXSIM_UTIL_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "common.h"

struct tdxsim_strbuf {
	char *data;      /* NUL-terminated once anything was appended */
	size_t len;
	size_t capacity;
	bool oom;
};

void tdxsim_strbuf_init(struct tdxsim_strbuf *buf);
void tdxsim_strbuf_fini(struct tdxsim_strbuf *buf);
void tdxsim_strbuf_reset(struct tdxsim_strbuf *buf);
void tdxsim_strbuf_append(struct tdxsim_strbuf *buf, const char *s, size_t len);
void tdxsim_strbuf_puts(struct tdxsim_strbuf *buf, const char *s);
void tdxsim_strbuf_printf(struct tdxsim_strbuf *buf, const char *fmt, ...)
	TDXSIM_PRINTF(2, 3);
void tdxsim_strbuf_vprintf(struct tdxsim_strbuf *buf, const char *fmt,
			   va_list args) TDXSIM_PRINTF(2, 0);
/* The text so far ("" when empty); valid until the next append. */
const char *tdxsim_strbuf_str(const struct tdxsim_strbuf *buf);
/* Hand the malloc'ed text to the caller (NULL after oom) and reset. */
char *tdxsim_strbuf_steal(struct tdxsim_strbuf *buf);

#endif /* TDXSIM_UTIL_STRBUF_H */
