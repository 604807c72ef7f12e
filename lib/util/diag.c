/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diag-private.h"
#include "strbuf.h"

struct diag_message {
	char *text;
	char *name;		/* the input's name; NULL after OOM */
	unsigned group;		/* for sorting: order of the name's first message */
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
	for (size_t i = 0; i < diag->count; i++) {
		free(diag->messages[i].text);
		free(diag->messages[i].name);
	}
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
	m->name = strdup(name ? name : "<input>");
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

/* Sorting key: the input (in the order inputs first appear), then the
 * line (0, the whole input, first), then the column. */
static int
message_cmp(const struct diag_message *a, const struct diag_message *b)
{
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->pos.line != b->pos.line)
		return a->pos.line < b->pos.line ? -1 : 1;
	if (a->pos.column != b->pos.column)
		return a->pos.column < b->pos.column ? -1 : 1;
	return 0;
}

static bool
same_name(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

TDXSIM_EXPORT void
tdxsim_diag_sort(struct tdxsim_diag *diag)
{
	struct diag_message *tmp, *src, *dst;

	if (!diag || diag->count < 2)
		return;
	for (size_t i = 0; i < diag->count; i++) {
		struct diag_message *m = &diag->messages[i];

		m->group = (unsigned)i;
		for (size_t j = 0; j < i; j++) {
			if (same_name(diag->messages[j].name, m->name)) {
				m->group = diag->messages[j].group;
				break;
			}
		}
	}
	tmp = malloc(diag->count * sizeof(*tmp));
	if (!tmp)
		return;	/* left in the order found: still every message */
	/* Bottom-up merge sort: stable, so messages at one position keep
	 * the order they were found in. */
	src = diag->messages;
	dst = tmp;
	for (size_t width = 1; width < diag->count; width *= 2) {
		for (size_t lo = 0; lo < diag->count; lo += 2 * width) {
			size_t mid = lo + width < diag->count ? lo + width : diag->count;
			size_t hi = mid + width < diag->count ? mid + width : diag->count;
			size_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				dst[k++] = message_cmp(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		struct diag_message *swap = src;

		src = dst;
		dst = swap;
	}
	if (src != diag->messages)
		memcpy(diag->messages, src, diag->count * sizeof(*tmp));
	free(tmp);
}
