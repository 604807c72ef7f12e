/* SPDX-License-Identifier: MIT */
/*
 * A strict walk over a position-carrying YAML tree (yaml-tree.h), shared by
 * the loaders of platform fixtures (lib/platform/fixture-load.c) and TDMR
 * layouts (lib/module/layout.c).
 *
 * Every refusal is recorded as "name:line:col: message" and the walk goes
 * on after it, so that one run reports as many problems as it can; only
 * running out of memory (error == -ENOMEM) stops it.
 */
#ifndef TDXSIM_UTIL_YAML_WALK_H
#define TDXSIM_UTIL_YAML_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag-private.h"
#include "yaml-tree.h"

/*
 * One walk over one input. Loaders embed it in their own state and point
 * user at that state, which the rules' handlers take back from it.
 */
struct tdxsim_ywalk {
	struct tdxsim_ydoc doc;
	struct tdxsim_diag *diag;
	const char *name;		/* the input, for messages */
	void *user;			/* for the handlers */
	/* What a mapping is called in "X must be a ..., not a ...":
	 * "mapping" when NULL. */
	const char *mapping_noun;
	/* A number past 64 bits is refused as "does not fit 64 bits"
	 * rather than "is larger than MAX". */
	bool overflow_says_64_bits;
	int error;			/* 0, -EINVAL, or -ENOMEM (stops) */
};

/* What a handler does with one known key of a mapping and its value. */
typedef void (*tdxsim_ywalk_fn)(struct tdxsim_ywalk *w,
				const struct tdxsim_ynode *key,
				const struct tdxsim_ynode *value);

/* A known key of a mapping, in the order listed when refusing others. */
struct tdxsim_ywalk_rule {
	const char *key;
	tdxsim_ywalk_fn handle;
	bool required;
};

/* Record "name:line:col: message" as an error; the walk's error becomes
 * -EINVAL unless an error is already set. */
void tdxsim_ywalk_refuse(struct tdxsim_ywalk *w, struct tdxsim_pos pos,
			 const char *fmt, ...) TDXSIM_PRINTF(3, 4);

/* len clipped to 40, as the precision of a "%.*s" quoting the input. */
int tdxsim_ywalk_clip(size_t len);

/* Where a scalar's text starts (inside its quotes). */
struct tdxsim_pos tdxsim_ywalk_text_pos(const struct tdxsim_ynode *node);

/* Whether key is the scalar name, exactly. */
bool tdxsim_ywalk_key_is(const struct tdxsim_ynode *key, const char *name);

/* True when node is a scalar; else refuses "'key' must be a single value". */
bool tdxsim_ywalk_want_scalar(struct tdxsim_ywalk *w,
			      const struct tdxsim_ynode *node, const char *key);

/* True when node is a mapping; else refuses "what must be a <mapping_noun>,
 * not a <kind>". */
bool tdxsim_ywalk_want_mapping(struct tdxsim_ywalk *w,
			       const struct tdxsim_ynode *node,
			       const char *what);

/* True when node is of kind; else refuses "what must be a <kind>, not a
 * <kind>". */
bool tdxsim_ywalk_want_kind(struct tdxsim_ywalk *w,
			    const struct tdxsim_ynode *node,
			    enum tdxsim_ynode_kind kind, const char *what);

/*
 * Read node, the value of key, as one unsigned number (decimal or 0x hex,
 * blanks around it allowed) no larger than max into *out. Returns false
 * after refusing anything else.
 */
bool tdxsim_ywalk_get_u64(struct tdxsim_ywalk *w,
			  const struct tdxsim_ynode *node, const char *key,
			  uint64_t max, uint64_t *out);

/* Whether the key at map->children[index] is the first of its name in map;
 * a repeat is refused ("first on line N") and gives false. */
bool tdxsim_ywalk_first_occurrence(struct tdxsim_ywalk *w,
				   const struct tdxsim_ynode *map, size_t index,
				   const char *context);

/*
 * Walk map, named context in messages, handing each key of rules to its
 * handler; refuses a map that is not a mapping, keys that are not words,
 * repeated or unknown keys (listing the known ones) and missing required
 * keys.
 */
void tdxsim_ywalk_mapping(struct tdxsim_ywalk *w,
			  const struct tdxsim_ynode *map, const char *context,
			  const struct tdxsim_ywalk_rule *rules, size_t n);

/*
 * Parse text into w->doc and walk its top mapping, named context, with
 * rules; an empty document is refused with empty_message at 1:1. Returns
 * 0, -EINVAL or -ENOMEM. w->doc must be finished with tdxsim_ydoc_fini()
 * in every case.
 */
int tdxsim_ywalk_document(struct tdxsim_ywalk *w, const char *text,
			  size_t len, const char *empty_message,
			  const char *context,
			  const struct tdxsim_ywalk_rule *rules, size_t n);

/* 0 when an input of len bytes is at most max; else refuses "what is larger
 * than N MiB" against name and returns -EINVAL. */
int tdxsim_ywalk_check_size(struct tdxsim_diag *diag, const char *name,
			    size_t len, size_t max, const char *what);

/*
 * Read the file at path into a malloc'ed *text of *len bytes, stopping
 * once it holds more than max bytes (so that the size check can refuse
 * it). Failure is reported as "path: cannot read: reason" and returns a
 * negative errno with *text NULL.
 */
int tdxsim_ywalk_read_file(const char *path, size_t max, char **text,
			   size_t *len, struct tdxsim_diag *diag);

#endif /* TDXSIM_UTIL_YAML_WALK_H */
