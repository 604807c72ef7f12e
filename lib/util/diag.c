/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>

#include "diag-private.h"
#include "strbuf.h"

struct diag_message {
	char *text;
	enum tdxsim_diag_severity severity;
	struct tdxsim_pos pos;
};

struct tdxsim_diag {
	struct diag_message *messages;
	size_t count;
	size_t capacity;
	size_t errors;
};

TDXSIM_EXPORT struct tdxsim_diag *
tdxsim_diag_new(void)
{
	return calloc(1, sizeof(struct tdxsim_diag));
}

TDXSIM_EXPORT void
tdxsim_diag_clear(struct tdxsim_diag *diag)
{
	if (!diag)
		return;
	for (size_t i = 0; i < diag->count; i++)
		free(diag->messages[i].text);
	diag->count = 0;
	diag->errors = 0;
}

TDXSIM_EXPORT void
tdxsim_diag_free(struct tdxsim_diag *diag)
{
	if (!diag)
		return;
	tdxsim_diag_clear(diag);
	free(diag->messages);
	free(diag);
}

TDXSIM_EXPORT size_t
tdxsim_diag_count(const struct tdxsim_diag *diag)
{
	return diag ? diag->count : 0;
}

TDXSIM_EXPORT size_t
tdxsim_diag_error_count(const struct tdxsim_diag *diag)
{
	return diag ? diag->errors : 0;
}

static const struct diag_message *
message_at(const struct tdxsim_diag *diag, size_t index)
{
	if (!diag || index >= diag->count)
		return NULL;
	return &diag->messages[index];
}

TDXSIM_EXPORT const char *
tdxsim_diag_message(const struct tdxsim_diag *diag, size_t index)
{
	const struct diag_message *m = message_at(diag, index);

	return m ? m->text : NULL;
}

TDXSIM_EXPORT enum tdxsim_diag_severity
tdxsim_diag_severity(const struct tdxsim_diag *diag, size_t index)
{
	const struct diag_message *m = message_at(diag, index);

	return m ? m->severity : TDXSIM_DIAG_ERROR;
}

TDXSIM_EXPORT unsigned
tdxsim_diag_line(const struct tdxsim_diag *diag, size_t index)
{
	const struct diag_message *m = message_at(diag, index);

	return m ? m->pos.line : 0;
}

TDXSIM_EXPORT unsigned
tdxsim_diag_column(const struct tdxsim_diag *diag, size_t index)
{
	const struct diag_message *m = message_at(diag, index);

	return m ? m->pos.column : 0;
}

void
tdxsim_diag_vadd(struct tdxsim_diag *diag, enum tdxsim_diag_severity severity,
		 const char *name, struct tdxsim_pos pos, const char *fmt,
		 va_list args)
{
	struct tdxsim_strbuf text;
	struct diag_message *m;

	if (!diag)
		return;
	if (severity == TDXSIM_DIAG_ERROR)
		diag->errors++;

	tdxsim_strbuf_init(&text);
	tdxsim_strbuf_puts(&text, name ? name : "<input>");
	if (pos.line) {
		tdxsim_strbuf_printf(&text, ":%u", pos.line);
		if (pos.column)
			tdxsim_strbuf_printf(&text, ":%u", pos.column);
	}
	tdxsim_strbuf_puts(&text, ": ");
	if (severity == TDXSIM_DIAG_WARNING)
		tdxsim_strbuf_puts(&text, "warning: ");
	tdxsim_strbuf_vprintf(&text, fmt, args);

	if (text.oom || tdxsim_array_reserve((void **)&diag->messages,
					     &diag->capacity, diag->count + 1,
					     sizeof(*diag->messages)) < 0) {
		tdxsim_strbuf_fini(&text);
		return;
	}
	m = &diag->messages[diag->count++];
	m->text = tdxsim_strbuf_steal(&text);
	m->severity = severity;
	m->pos = pos;
}

void
tdxsim_diag_add(struct tdxsim_diag *diag, enum tdxsim_diag_severity severity,
		const char *name, struct tdxsim_pos pos, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	tdxsim_diag_vadd(diag, severity, name, pos, fmt, args);
	va_end(args);
}
