/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>
#include <yaml.h>

#include "yaml-tree.h"

/* Deep enough for any tdxsim format, shallow enough that a hostile file of
 * nested brackets cannot exhaust anything. */
#define MAX_DEPTH 32

struct builder {
	struct tdxsim_ydoc *doc;
	struct tdxsim_diag *diag;
	struct tdxsim_ynode *stack[MAX_DEPTH];
	size_t depth;
	int error;
};

static struct tdxsim_pos
pos_of(yaml_mark_t mark)
{
	return (struct tdxsim_pos){ (unsigned)mark.line + 1,
				    (unsigned)mark.column + 1 };
}

static void
node_free(struct tdxsim_ynode *node)
{
	if (!node)
		return;
	for (size_t i = 0; i < node->count; i++)
		node_free(node->children[i]);
	free(node->children);
	free(node->text);
	free(node);
}

static int TDXSIM_PRINTF(3, 4)
fail(struct builder *b, yaml_mark_t mark, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	tdxsim_diag_vadd(b->diag, TDXSIM_DIAG_ERROR, b->doc->name, pos_of(mark),
			 fmt, args);
	va_end(args);
	b->error = -EINVAL;
	return -EINVAL;
}

static int
attach(struct builder *b, struct tdxsim_ynode *node)
{
	struct tdxsim_ynode *parent;
	int ret;

	if (b->depth == 0) {
		b->doc->root = node;
		return 0;
	}
	parent = b->stack[b->depth - 1];
	ret = tdxsim_array_reserve((void **)&parent->children,
				   &parent->capacity, parent->count + 1,
				   sizeof(*parent->children));
	if (ret < 0) {
		node_free(node);
		return ret;
	}
	parent->children[parent->count++] = node;
	return 0;
}

static enum tdxsim_yscalar_style
style_of(yaml_scalar_style_t style)
{
	switch (style) {
	case YAML_LITERAL_SCALAR_STYLE:
		return TDXSIM_YSCALAR_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE:
		return TDXSIM_YSCALAR_FOLDED;
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		return TDXSIM_YSCALAR_QUOTED;
	case YAML_ANY_SCALAR_STYLE:
	case YAML_PLAIN_SCALAR_STYLE:
	default:
		return TDXSIM_YSCALAR_PLAIN;
	}
}

static int
add_scalar(struct builder *b, const yaml_event_t *ev)
{
	struct tdxsim_ynode *node;

	if (ev->data.scalar.anchor)
		return fail(b, ev->start_mark,
			    "YAML anchors (&name) are not supported in tdxsim files");
	node = calloc(1, sizeof(*node));
	if (!node)
		return -ENOMEM;
	node->kind = TDXSIM_YNODE_SCALAR;
	node->pos = pos_of(ev->start_mark);
	node->style = style_of(ev->data.scalar.style);
	node->len = ev->data.scalar.length;
	node->text = tdxsim_strndup((const char *)ev->data.scalar.value,
				    node->len);
	if (!node->text) {
		free(node);
		return -ENOMEM;
	}
	return attach(b, node);
}

static int
open_collection(struct builder *b, const yaml_event_t *ev,
		enum tdxsim_ynode_kind kind, const yaml_char_t *anchor)
{
	struct tdxsim_ynode *node;
	int ret;

	if (anchor)
		return fail(b, ev->start_mark,
			    "YAML anchors (&name) are not supported in tdxsim files");
	if (b->depth >= MAX_DEPTH)
		return fail(b, ev->start_mark,
			    "nesting deeper than %d levels", MAX_DEPTH);
	node = calloc(1, sizeof(*node));
	if (!node)
		return -ENOMEM;
	node->kind = kind;
	node->pos = pos_of(ev->start_mark);
	ret = attach(b, node);
	if (ret < 0)
		return ret;
	b->stack[b->depth++] = node;
	return 0;
}

static int
handle_event(struct builder *b, const yaml_event_t *ev, bool *done)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return add_scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return open_collection(b, ev, TDXSIM_YNODE_SEQUENCE,
				       ev->data.sequence_start.anchor);
	case YAML_MAPPING_START_EVENT:
		return open_collection(b, ev, TDXSIM_YNODE_MAPPING,
				       ev->data.mapping_start.anchor);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		b->depth--;
		return 0;
	case YAML_ALIAS_EVENT:
		return fail(b, ev->start_mark,
			    "YAML aliases (*name) are not supported in tdxsim files");
	case YAML_DOCUMENT_START_EVENT:
		if (b->doc->root)
			return fail(b, ev->start_mark,
				    "more than one YAML document in one file");
		return 0;
	case YAML_STREAM_END_EVENT:
		*done = true;
		return 0;
	case YAML_NO_EVENT:
	case YAML_STREAM_START_EVENT:
	case YAML_DOCUMENT_END_EVENT:
	default:
		return 0;
	}
}

/* Reader errors (bad encoding) carry a byte offset, not a mark. */
static yaml_mark_t
reader_error_mark(const struct tdxsim_ydoc *doc, size_t offset)
{
	yaml_mark_t mark = { 0 };
	size_t lo = 0, hi = doc->line_count;

	/* The last line starting at or before offset. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (doc->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	mark.line = lo;
	mark.column = offset - doc->line_starts[lo];
	return mark;
}

static int
syntax_error(struct builder *b, const yaml_parser_t *parser)
{
	const char *problem = parser->problem ? parser->problem : "malformed YAML";

	if (parser->error == YAML_MEMORY_ERROR)
		return -ENOMEM;
	if (parser->error == YAML_READER_ERROR)
		return fail(b, reader_error_mark(b->doc, parser->problem_offset),
			    "invalid input: %s", problem);
	if (parser->context)
		return fail(b, parser->problem_mark, "YAML syntax error: %s %s",
			    problem, parser->context);
	return fail(b, parser->problem_mark, "YAML syntax error: %s", problem);
}

static int
index_lines(struct tdxsim_ydoc *doc)
{
	size_t n = 1;
	int ret;

	for (size_t i = 0; i < doc->len; i++)
		n += doc->text[i] == '\n';
	ret = tdxsim_array_reserve((void **)&doc->line_starts,
				   &(size_t){ 0 }, n, sizeof(size_t));
	if (ret < 0)
		return ret;
	doc->line_starts[0] = 0;
	doc->line_count = 1;
	for (size_t i = 0; i < doc->len; i++) {
		if (doc->text[i] == '\n')
			doc->line_starts[doc->line_count++] = i + 1;
	}
	return 0;
}

int
tdxsim_ydoc_parse(struct tdxsim_ydoc *doc, const char *name, const char *text,
		  size_t len, struct tdxsim_diag *diag)
{
	struct builder b = { .doc = doc, .diag = diag };
	yaml_parser_t parser;
	bool done = false;
	int ret;

	memset(doc, 0, sizeof(*doc));
	doc->name = name;
	doc->text = text;
	doc->len = len;
	ret = index_lines(doc);
	if (ret < 0)
		return ret;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done && ret == 0) {
		yaml_event_t ev;

		if (!yaml_parser_parse(&parser, &ev)) {
			ret = syntax_error(&b, &parser);
			break;
		}
		ret = handle_event(&b, &ev, &done);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return ret;
}

void
tdxsim_ydoc_fini(struct tdxsim_ydoc *doc)
{
	node_free(doc->root);
	free(doc->line_starts);
	memset(doc, 0, sizeof(*doc));
}

const char *
tdxsim_ydoc_source_line(const struct tdxsim_ydoc *doc, unsigned line,
			size_t *len)
{
	size_t start, end;

	if (line == 0 || line > doc->line_count)
		return NULL;
	start = doc->line_starts[line - 1];
	end = line < doc->line_count ? doc->line_starts[line] - 1 : doc->len;
	if (end > start && doc->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return doc->text + start;
}

bool
tdxsim_ydoc_next_block_line(const struct tdxsim_ydoc *doc,
			    const struct tdxsim_ynode *scalar,
			    struct tdxsim_yline *line)
{
	const char *end = scalar->text + scalar->len, *p, *nl;
	const char *src;
	size_t src_len;

	if (!line->text) {
		p = scalar->text;
		line->index = 0;
	} else {
		p = line->text + line->len + 1;
		line->index++;
	}
	if (p >= end)
		return false;
	nl = memchr(p, '\n', (size_t)(end - p));
	line->text = p;
	line->len = nl ? (size_t)(nl - p) : (size_t)(end - p);

	/* A literal block's content line k sits on the source line after its
	 * "|" header plus k; libyaml only strips the block's indentation, so
	 * the source line is longer by exactly that indentation. */
	line->pos.line = scalar->pos.line + 1 + (unsigned)line->index;
	line->pos.column = 1;
	src = tdxsim_ydoc_source_line(doc, line->pos.line, &src_len);
	if (src && src_len >= line->len)
		line->pos.column = (unsigned)(src_len - line->len) + 1;
	return true;
}

const char *
tdxsim_ynode_kind_name(enum tdxsim_ynode_kind kind)
{
	switch (kind) {
	case TDXSIM_YNODE_SCALAR:
		return "scalar";
	case TDXSIM_YNODE_SEQUENCE:
		return "list";
	case TDXSIM_YNODE_MAPPING:
	default:
		return "mapping";
	}
}
