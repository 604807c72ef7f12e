/* SPDX-License-Identifier: MIT */
/*
 * A YAML document as a small tree whose every node knows its line and
 * column, built from libyaml's event stream. Every tdxsim input format
 * (fixtures, scenarios, batch files) is read through this, so that every
 * message can say "file:line:col: what is wrong".
 *
 * Deliberately smaller than YAML: one document per file, no anchors or
 * aliases (they buy nothing here and invite exponential blow-ups), and a
 * bounded nesting depth.
 */
#ifndef TDXSIM_UTIL_YAML_TREE_H
#define TDXSIM_UTIL_YAML_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag-private.h"

enum tdxsim_ynode_kind {
	TDXSIM_YNODE_SCALAR,
	TDXSIM_YNODE_SEQUENCE,
	TDXSIM_YNODE_MAPPING,
};

enum tdxsim_yscalar_style {
	TDXSIM_YSCALAR_PLAIN,
	TDXSIM_YSCALAR_QUOTED,	/* single or double */
	TDXSIM_YSCALAR_LITERAL,	/* "|" block: lines map 1:1 to the source */
	TDXSIM_YSCALAR_FOLDED,	/* ">" block */
};

struct tdxsim_ynode {
	enum tdxsim_ynode_kind kind;
	struct tdxsim_pos pos;		/* where the node starts */
	/* Scalars: the text (NUL-terminated, may contain NUL bytes only if
	 * the input did, which libyaml refuses) and its style. */
	char *text;
	size_t len;
	enum tdxsim_yscalar_style style;
	/* Sequences: the items. Mappings: key, value, key, value, ... */
	struct tdxsim_ynode **children;
	size_t count;
	size_t capacity;
};

struct tdxsim_ydoc {
	const char *name;		/* for messages; not owned */
	const char *text;		/* the source; not owned */
	size_t len;
	size_t *line_starts;		/* byte offset of each source line */
	size_t line_count;
	struct tdxsim_ynode *root;	/* NULL for an empty document */
};

/*
 * Parse text (not necessarily NUL-terminated) into doc. Syntax errors and
 * unsupported constructs are reported as "name:line:col: message".
 * Returns 0, -EINVAL, or -ENOMEM. doc must be finished with
 * tdxsim_ydoc_fini() in every case.
 */
int tdxsim_ydoc_parse(struct tdxsim_ydoc *doc, const char *name,
		      const char *text, size_t len, struct tdxsim_diag *diag);

void tdxsim_ydoc_fini(struct tdxsim_ydoc *doc);

/* Source line (1-based) without its line break; NULL past the end. */
const char *tdxsim_ydoc_source_line(const struct tdxsim_ydoc *doc,
				    unsigned line, size_t *len);

/*
 * One line of a literal block scalar, with where it sits in the source.
 * Zero-initialise, then call tdxsim_ydoc_next_block_line() until it
 * returns false; each call is O(line length).
 */
struct tdxsim_yline {
	const char *text;
	size_t len;
	size_t index;		/* 0-based line within the block */
	struct tdxsim_pos pos;	/* of the line's first byte */
};

bool tdxsim_ydoc_next_block_line(const struct tdxsim_ydoc *doc,
				 const struct tdxsim_ynode *scalar,
				 struct tdxsim_yline *line);

/* "scalar", "list" or "mapping", for messages. */
const char *tdxsim_ynode_kind_name(enum tdxsim_ynode_kind kind);

#endif /* TDXSIM_UTIL_YAML_TREE_H */
