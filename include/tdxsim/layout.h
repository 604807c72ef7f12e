/* SPDX-License-Identifier: MIT */
/**
 * @file tdxsim/layout.h
 * TDMR layouts: the TDMRs, their reserved areas and PAMTs that a host hands
 * the TDX module in TDH.SYS.CONFIG.
 *
 * A layout is what `tdxsim module-config` reads and what the host layer
 * writes (YAML, docs/fixture-format.md "TDMR layouts"). It deliberately
 * holds any values, valid or not, so that every rule of the module can be
 * exercised: checking them is the module's job. Addresses are bytes;
 * reserved-area offsets are relative to the TDMR base.
 *
 * API contract (docs/architecture.md): a NULL where an object or an output
 * is required gives -EINVAL (getters and predicates: NULL or 0;
 * status-word functions: an error status), never a crash; a buffer may be NULL when its length is 0;
 * a parameter documented "may be NULL" (or "NULL does nothing") is optional.
 * tests/test-api-null.c calls every exported function to hold this.
 */
#ifndef TDXSIM_LAYOUT_H
#define TDXSIM_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <tdxsim/diag.h>

#ifdef __cplusplus
extern "C" {
#endif

/** PAMT levels, numbered as the module numbers page sizes (PT_4KB = 0). */
enum tdxsim_pamt_level {
	TDXSIM_PAMT_4K = 0,
	TDXSIM_PAMT_2M = 1,
	TDXSIM_PAMT_1G = 2,
};

/** Most reserved-area slots tdxsim models per TDMR (modules have 16). */
#define TDXSIM_MAX_RESERVED_SLOTS 64

/** Size in bytes of one TDMR_INFO entry with the given number of reserved slots: 64 + 16 * slots (320 for 16). */
#define TDXSIM_TDMR_INFO_SIZE(slots) (64u + 16u * (unsigned)(slots))

struct tdxsim_pamt {
	uint64_t base;
	uint64_t size;
};

struct tdxsim_reserved_area {
	uint64_t offset;	/**< from the TDMR base */
	uint64_t size;		/**< 0 marks a null slot */
};

/** One TDMR as a layout describes it. */
struct tdxsim_tdmr {
	uint64_t base;
	uint64_t size;
	struct tdxsim_pamt pamt[3];		/**< by enum tdxsim_pamt_level */
	const struct tdxsim_reserved_area *reserved;
	size_t reserved_count;			/**< slots given, null slots included */
};

/** A TDMR layout. Opaque; one user at a time. */
struct tdxsim_layout;

/**
 * Create an empty layout.
 *
 * @return the layout, or NULL when out of memory.
 */
struct tdxsim_layout *tdxsim_layout_new(void);

/**
 * Free a layout.
 *
 * @param layout the layout; NULL does nothing.
 */
void tdxsim_layout_free(struct tdxsim_layout *layout);

/**
 * Append a TDMR with no PAMTs and no reserved areas.
 *
 * @param layout the layout.
 * @param base TDMR_BASE.
 * @param size TDMR_SIZE.
 * @return the new TDMR's index (>= 0), or -ENOMEM.
 */
int tdxsim_layout_add_tdmr(struct tdxsim_layout *layout, uint64_t base,
			   uint64_t size);

/**
 * Set one PAMT of a TDMR.
 *
 * @param layout the layout.
 * @param tdmr the TDMR's index.
 * @param level which PAMT.
 * @param base PAMT base.
 * @param size PAMT size in bytes.
 * @return 0, or -EINVAL for a bad index or level.
 */
int tdxsim_layout_set_pamt(struct tdxsim_layout *layout, size_t tdmr,
			   enum tdxsim_pamt_level level, uint64_t base,
			   uint64_t size);

/**
 * Append a reserved-area slot to a TDMR (size 0 appends a null slot).
 *
 * @param layout the layout.
 * @param tdmr the TDMR's index.
 * @param offset offset from the TDMR base.
 * @param size bytes.
 * @return 0, -EINVAL for a bad index, -ENOSPC past TDXSIM_MAX_RESERVED_SLOTS, -ENOMEM.
 */
int tdxsim_layout_add_reserved(struct tdxsim_layout *layout, size_t tdmr,
			       uint64_t offset, uint64_t size);

/**
 * Remove every reserved-area slot of a TDMR (to rebuild them, e.g. sorted).
 *
 * @param layout the layout.
 * @param tdmr the TDMR's index.
 * @return 0, or -EINVAL for a bad index.
 */
int tdxsim_layout_clear_reserved(struct tdxsim_layout *layout, size_t tdmr);

/**
 * Count the TDMRs.
 *
 * @param layout the layout.
 * @return the number of TDMRs.
 */
size_t tdxsim_layout_tdmr_count(const struct tdxsim_layout *layout);

/**
 * Get one TDMR.
 *
 * @param layout the layout.
 * @param index 0 .. tdxsim_layout_tdmr_count() - 1.
 * @return the TDMR, owned by the layout (valid until it changes); NULL when out of range.
 */
const struct tdxsim_tdmr *tdxsim_layout_tdmr(const struct tdxsim_layout *layout,
					     size_t index);

/**
 * Get the global private KeyID the layout asks for (R8 of TDH.SYS.CONFIG).
 *
 * @param layout the layout.
 * @return the KeyID, or 0 when the layout leaves it to the caller.
 */
unsigned tdxsim_layout_global_keyid(const struct tdxsim_layout *layout);

/**
 * Set the global private KeyID (0: leave it to the caller).
 *
 * @param layout the layout.
 * @param keyid the KeyID.
 */
void tdxsim_layout_set_global_keyid(struct tdxsim_layout *layout, unsigned keyid);

/**
 * Encode one TDMR as the TDMR_INFO entry the module reads: base, size, the
 * PAMT 1G/2M/4K base and size pairs, then `slots` reserved-area slots
 * (slots not given are zero, i.e. null). Little-endian, as in memory.
 *
 * @param tdmr the TDMR.
 * @param slots reserved-area slots per entry (MAX_RESERVED_PER_TDMR).
 * @param buf receives TDXSIM_TDMR_INFO_SIZE(slots) bytes.
 * @param size size of buf.
 * @return 0, -EINVAL when the TDMR has more reserved slots than `slots`
 *         or slots > TDXSIM_MAX_RESERVED_SLOTS, -ENOSPC when buf is too small.
 */
int tdxsim_layout_encode_tdmr_info(const struct tdxsim_tdmr *tdmr,
				   unsigned slots, void *buf, size_t size);

/**
 * Decode one TDMR_INFO entry (the bytes tdxsim_layout_encode_tdmr_info()
 * writes and TDH.SYS.CONFIG reads) and append it to a layout. Reserved
 * slots after the last non-null one are dropped; null slots before it are
 * kept, as the module sees them.
 *
 * @param layout the layout to append to.
 * @param buf the entry.
 * @param size size of buf; at least TDXSIM_TDMR_INFO_SIZE(slots).
 * @param slots reserved-area slots in the entry (MAX_RESERVED_PER_TDMR).
 * @return the new TDMR's index, -EINVAL (NULL, slots above
 *         TDXSIM_MAX_RESERVED_SLOTS, buf too small), -ENOMEM.
 */
int tdxsim_layout_decode_tdmr_info(struct tdxsim_layout *layout, const void *buf,
				   size_t size, unsigned slots);

/**
 * Load a layout (YAML) from a file. Values are not judged (that is the
 * module's job), only their form: every number must fit 64 bits.
 *
 * @param path the file.
 * @param out receives the layout.
 * @param diag where to report "path:line:col: message"; may be NULL.
 * @return 0, -EINVAL, -ENOMEM or the errno of reading the file.
 */
int tdxsim_layout_load_file(const char *path, struct tdxsim_layout **out,
			    struct tdxsim_diag *diag);

/**
 * Load a layout from memory.
 *
 * @param name the name messages use (NULL: "<layout>").
 * @param text the YAML; need not be NUL-terminated; NULL when len is 0.
 * @param len its length.
 * @param out receives the layout.
 * @param diag where to report; may be NULL.
 * @return 0, -EINVAL or -ENOMEM.
 */
int tdxsim_layout_load_buffer(const char *name, const char *text, size_t len,
			      struct tdxsim_layout **out,
			      struct tdxsim_diag *diag);

/**
 * Write a layout as YAML; loading the output gives an equal layout.
 *
 * @param layout the layout.
 * @param out the stream.
 * @return 0, -ENOMEM, or the errno of the failed write (-ENOSPC, -EFBIG; -EIO when stdio gives none).
 */
int tdxsim_layout_write(const struct tdxsim_layout *layout, FILE *out);

#ifdef __cplusplus
}
#endif

#endif /* TDXSIM_LAYOUT_H */
