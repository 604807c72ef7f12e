/* SPDX-License-Identifier: MIT */
/*
 * The strict YAML walk shared by the fixture and layout loaders
 * (yaml-walk.h).
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "strbuf.h"
#include "yaml-walk.h"

typedef const struct tdxsim_ynode ynode;

void
tdxsim_ywalk_refuse(struct tdxsim_ywalk *w, struct tdxsim_pos pos,
		    const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	tdxsim_diag_vadd(w->diag, TDXSIM_DIAG_ERROR, w->name, pos, fmt, args);
	va_end(args);
	if (w->error == 0)
		w->error = -EINVAL;
}

int
tdxsim_ywalk_clip(size_t len)
{
	return (int)(len > 40 ? 40 : len);
}

struct tdxsim_pos
tdxsim_ywalk_text_pos(ynode *node)
{
	struct tdxsim_pos pos = node->pos;

	pos.column += node->style == TDXSIM_YSCALAR_QUOTED;
	return pos;
}

bool
tdxsim_ywalk_key_is(ynode *key, const char *name)
{
	return key->kind == TDXSIM_YNODE_SCALAR && strlen(name) == key->len &&
	       memcmp(key->text, name, key->len) == 0;
}

bool
tdxsim_ywalk_want_scalar(struct tdxsim_ywalk *w, ynode *node, const char *key)
{
	if (node->kind == TDXSIM_YNODE_SCALAR)
		return true;
	tdxsim_ywalk_refuse(w, node->pos,
			    "'%s' must be a single value, not a %s", key,
			    tdxsim_ynode_kind_name(node->kind));
	return false;
}

bool
tdxsim_ywalk_want_mapping(struct tdxsim_ywalk *w, ynode *node,
			  const char *what)
{
	const char *noun = w->mapping_noun ? w->mapping_noun
		: tdxsim_ynode_kind_name(TDXSIM_YNODE_MAPPING);

	if (node->kind == TDXSIM_YNODE_MAPPING)
		return true;
	tdxsim_ywalk_refuse(w, node->pos, "%s must be a %s, not a %s", what,
			    noun, tdxsim_ynode_kind_name(node->kind));
	return false;
}

bool
tdxsim_ywalk_want_kind(struct tdxsim_ywalk *w, ynode *node,
		       enum tdxsim_ynode_kind kind, const char *what)
{
	if (node->kind == kind)
		return true;
	tdxsim_ywalk_refuse(w, node->pos, "%s must be a %s, not a %s", what,
			    tdxsim_ynode_kind_name(kind),
			    tdxsim_ynode_kind_name(node->kind));
	return false;
}

bool
tdxsim_ywalk_get_u64(struct tdxsim_ywalk *w, ynode *node, const char *key,
		     uint64_t max, uint64_t *out)
{
	const char *s;
	size_t len;
	int ret;

	if (!tdxsim_ywalk_want_scalar(w, node, key))
		return false;
	s = node->text;
	len = node->len;
	tdxsim_trim(&s, &len);
	ret = tdxsim_parse_u64(s, len, out);
	if (ret == -EINVAL)
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(node),
				    "malformed number '%.*s' for '%s' (write decimal or 0x hex)",
				    tdxsim_ywalk_clip(len), s, key);
	else if (ret == -ERANGE && w->overflow_says_64_bits)
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(node),
				    "'%s' value %.*s does not fit 64 bits",
				    key, tdxsim_ywalk_clip(len), s);
	else if (ret == -ERANGE || *out > max)
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(node),
				    "'%s' value %.*s is larger than %" PRIu64,
				    key, tdxsim_ywalk_clip(len), s, max);
	else
		return true;
	return false;
}

/* Refuse key as unknown in context, listing the keys rules know. */
static void
refuse_unknown_key(struct tdxsim_ywalk *w, ynode *key, const char *context,
		   const struct tdxsim_ywalk_rule *rules, size_t n)
{
	struct tdxsim_strbuf known;
	struct tdxsim_suggest suggest;
	const char *best;

	tdxsim_strbuf_init(&known);
	tdxsim_suggest_init(&suggest, key->text, key->len);
	for (size_t i = 0; i < n; i++) {
		tdxsim_strbuf_printf(&known, "%s%s", i ? ", " : "",
				     rules[i].key);
		tdxsim_suggest_try(&suggest, rules[i].key);
	}
	best = tdxsim_suggest_best(&suggest);
	tdxsim_ywalk_refuse(w, key->pos, "unknown key '%.*s' in %s (known: %s)%s%s%s",
			    tdxsim_ywalk_clip(key->len), key->text, context,
			    tdxsim_strbuf_str(&known), best ? "; did you mean '" : "",
			    best ? best : "", best ? "'?" : "");
	tdxsim_strbuf_fini(&known);
}

bool
tdxsim_ywalk_first_occurrence(struct tdxsim_ywalk *w, ynode *map,
			      size_t index, const char *context)
{
	ynode *key = map->children[index];

	for (size_t j = 0; j < index; j += 2) {
		ynode *other = map->children[j];

		if (other->kind == TDXSIM_YNODE_SCALAR &&
		    other->len == key->len &&
		    memcmp(other->text, key->text, key->len) == 0) {
			tdxsim_ywalk_refuse(w, key->pos,
					    "duplicate key '%.*s' in %s (first on line %u)",
					    tdxsim_ywalk_clip(key->len),
					    key->text, context,
					    other->pos.line);
			return false;
		}
	}
	return true;
}

/* The rule for the key at map->children[index], or NULL after refusing
 * it. */
static const struct tdxsim_ywalk_rule *
find_rule(struct tdxsim_ywalk *w, ynode *map, size_t index,
	  const char *context, const struct tdxsim_ywalk_rule *rules,
	  size_t n)
{
	ynode *key = map->children[index];

	if (key->kind != TDXSIM_YNODE_SCALAR) {
		tdxsim_ywalk_refuse(w, key->pos,
				    "keys in %s must be words, not a %s",
				    context, tdxsim_ynode_kind_name(key->kind));
		return NULL;
	}
	if (!tdxsim_ywalk_first_occurrence(w, map, index, context))
		return NULL;
	for (size_t r = 0; r < n; r++) {
		if (tdxsim_ywalk_key_is(key, rules[r].key))
			return &rules[r];
	}
	refuse_unknown_key(w, key, context, rules, n);
	return NULL;
}

/* Refuse each required key of rules that map lacks. */
static void
refuse_missing(struct tdxsim_ywalk *w, ynode *map, const char *context,
	       const struct tdxsim_ywalk_rule *rules, size_t n)
{
	for (size_t r = 0; r < n; r++) {
		bool present = false;

		if (!rules[r].required)
			continue;
		for (size_t i = 0; i + 1 < map->count; i += 2)
			present |= tdxsim_ywalk_key_is(map->children[i],
						       rules[r].key);
		if (!present)
			tdxsim_ywalk_refuse(w, map->pos,
					    "missing key '%s' in %s",
					    rules[r].key, context);
	}
}

void
tdxsim_ywalk_mapping(struct tdxsim_ywalk *w, ynode *map, const char *context,
		     const struct tdxsim_ywalk_rule *rules, size_t n)
{
	if (!tdxsim_ywalk_want_mapping(w, map, context))
		return;
	for (size_t i = 0; i + 1 < map->count && w->error != -ENOMEM; i += 2) {
		const struct tdxsim_ywalk_rule *rule =
			find_rule(w, map, i, context, rules, n);

		if (rule)
			rule->handle(w, map->children[i], map->children[i + 1]);
	}
	refuse_missing(w, map, context, rules, n);
}

int
tdxsim_ywalk_document(struct tdxsim_ywalk *w, const char *text, size_t len,
		      const char *empty_message, const char *context,
		      const struct tdxsim_ywalk_rule *rules, size_t n)
{
	int ret = tdxsim_ydoc_parse(&w->doc, w->name, text, len, w->diag);

	if (ret < 0)
		return ret;
	if (!w->doc.root)
		tdxsim_ywalk_refuse(w, (struct tdxsim_pos){ 1, 1 }, "%s",
				    empty_message);
	else
		tdxsim_ywalk_mapping(w, w->doc.root, context, rules, n);
	return w->error;
}

int
tdxsim_ywalk_check_size(struct tdxsim_diag *diag, const char *name,
			size_t len, size_t max, const char *what)
{
	if (len <= max)
		return 0;
	tdxsim_diag_add(diag, TDXSIM_DIAG_ERROR, name,
			(struct tdxsim_pos){ 0, 0 },
			"%s is larger than %zu MiB", what, max >> 20);
	return -EINVAL;
}

/* The whole file, or as much as shows it is larger than max. */
static int
slurp(const char *path, size_t max, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct tdxsim_strbuf buf;
	char chunk[65536];
	size_t n;
	int ret = 0;

	if (!f)
		return -errno;
	tdxsim_strbuf_init(&buf);
	errno = 0;
	while (buf.len <= max && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		tdxsim_strbuf_append(&buf, chunk, n);
	if (ferror(f))	/* a directory reads as EISDIR: say so */
		ret = errno ? -errno : -EIO;
	fclose(f);
	*len = buf.len;
	*text = tdxsim_strbuf_steal(&buf);
	if (ret == 0 && !*text)
		ret = -ENOMEM;
	if (ret < 0) {
		free(*text);
		*text = NULL;
	}
	return ret;
}

int
tdxsim_ywalk_read_file(const char *path, size_t max, char **text,
		       size_t *len, struct tdxsim_diag *diag)
{
	int ret = slurp(path, max, text, len);

	if (ret < 0)
		tdxsim_diag_add(diag, TDXSIM_DIAG_ERROR, path,
				(struct tdxsim_pos){ 0, 0 }, "cannot read: %s",
				strerror(-ret));
	return ret;
}
