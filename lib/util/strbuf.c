/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "strbuf.h"

void
tdxsim_strbuf_init(struct tdxsim_strbuf *buf)
{
	memset(buf, 0, sizeof(*buf));
}

void
tdxsim_strbuf_fini(struct tdxsim_strbuf *buf)
{
	free(buf->data);
	tdxsim_strbuf_init(buf);
}

void
tdxsim_strbuf_reset(struct tdxsim_strbuf *buf)
{
	buf->len = 0;
	buf->oom = false;
	if (buf->data)
		buf->data[0] = '\0';
}

static bool
make_room(struct tdxsim_strbuf *buf, size_t extra)
{
	if (buf->oom)
		return false;
	if (extra >= SIZE_MAX - buf->len ||
	    tdxsim_array_reserve((void **)&buf->data, &buf->capacity,
				 buf->len + extra + 1, 1) < 0) {
		buf->oom = true;
		return false;
	}
	return true;
}

void
tdxsim_strbuf_append(struct tdxsim_strbuf *buf, const char *s, size_t len)
{
	if (!make_room(buf, len))
		return;
	memcpy(buf->data + buf->len, s, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
}

void
tdxsim_strbuf_puts(struct tdxsim_strbuf *buf, const char *s)
{
	tdxsim_strbuf_append(buf, s, strlen(s));
}

void
tdxsim_strbuf_vprintf(struct tdxsim_strbuf *buf, const char *fmt, va_list args)
{
	va_list copy;
	int needed;

	va_copy(copy, args);
	needed = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (needed < 0) {
		buf->oom = true;
		return;
	}
	if (!make_room(buf, (size_t)needed))
		return;
	vsnprintf(buf->data + buf->len, (size_t)needed + 1, fmt, args);
	buf->len += (size_t)needed;
}

void
tdxsim_strbuf_printf(struct tdxsim_strbuf *buf, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	tdxsim_strbuf_vprintf(buf, fmt, args);
	va_end(args);
}

const char *
tdxsim_strbuf_str(const struct tdxsim_strbuf *buf)
{
	return buf->data ? buf->data : "";
}

char *
tdxsim_strbuf_steal(struct tdxsim_strbuf *buf)
{
	char *s = NULL;

	if (!buf->oom)
		s = buf->data ? buf->data : tdxsim_strndup("", 0);
	else
		free(buf->data);
	tdxsim_strbuf_init(buf);
	return s;
}
