/* SPDX-License-Identifier: MIT */
/*
 * The platform object's insides, shared by the model, the validator, the
 * fixture loader and writer, and the dmesg importer.
 *
 * Every stored item remembers where it came from (struct tdxsim_pos) so
 * that the one validator can name fixture lines in its messages, whether
 * the platform came from YAML, a kernel log, or code (position 0:0).
 */
#ifndef TDXSIM_PLATFORM_PRIVATE_H
#define TDXSIM_PLATFORM_PRIVATE_H

#include <stdbool.h>

#include <tdxsim/platform.h>

#include "diag-private.h"

/* Module profile fields, for remembering where each was set. */
enum profile_field {
	PROFILE_VERSION,
	PROFILE_BUILD_DATE,
	PROFILE_BUILD_NUM,
	PROFILE_MAX_TDMRS,
	PROFILE_MAX_RESERVED,
	PROFILE_PAMT_4K,	/* PROFILE_PAMT_4K + level for 2M, 1G */
	PROFILE_PAMT_2M,
	PROFILE_PAMT_1G,
	PROFILE_CMR_SLOTS,
	PROFILE_KEYIDS,
	PROFILE_LOGICAL_CPUS,
	PROFILE_PACKAGES,
	PROFILE_FIELD_COUNT
};

struct e820_item {
	struct tdxsim_e820_entry entry;
	struct tdxsim_pos pos;
	bool elided_before;
	bool derived;		/* deduced (e.g. from CMRs), not in the source */
};

struct cmr_item {
	struct tdxsim_cmr cmr;
	struct tdxsim_pos pos;
};

struct node_item {
	struct tdxsim_node_range range;
	struct tdxsim_pos pos;
};

/* One 'pamt-placement' entry: a base or TDXSIM_PAMT_BASE_AUTO. */
struct pamt_item {
	uint64_t base;
	struct tdxsim_pos pos;
};

struct tdxsim_platform {
	char *info[TDXSIM_INFO_COUNT];
	char *input_name;	/* file or log the platform was read from */

	struct e820_item *e820;
	size_t e820_count;
	size_t e820_capacity;
	bool e820_elided_after;	/* elision after the last entry */
	enum tdxsim_e820_spelling spelling;

	struct cmr_item cmrs[TDXSIM_MAX_CMRS];
	size_t cmr_count;

	struct node_item *nodes;
	size_t node_count;
	size_t node_capacity;

	struct tdxsim_module_profile profile;
	struct tdxsim_pos profile_pos[PROFILE_FIELD_COUNT];
	bool profile_set[PROFILE_FIELD_COUNT];	/* given by the input */
	bool version_names_build;	/* "1.5.06.00.744": BUILD_NUM in the version */

	struct tdxsim_expect *expects;
	size_t expect_count;
	size_t expect_capacity;

	struct pamt_item *pamts;	/* by TDMR index, as the kernel builds them */
	size_t pamt_count;
	size_t pamt_capacity;
};

int tdxsim_platform_add_e820_at(struct tdxsim_platform *p, uint64_t start,
				uint64_t end, uint32_t type,
				struct tdxsim_pos pos);
/* Insert a derived entry in address order; an elision at the point where
 * it lands stays before it. 0, -EINVAL when end <= start, -ENOMEM. */
int tdxsim_platform_add_e820_derived_at(struct tdxsim_platform *p,
					uint64_t start, uint64_t end,
					uint32_t type, struct tdxsim_pos pos);
int tdxsim_platform_add_cmr_at(struct tdxsim_platform *p, uint64_t base,
			       uint64_t size, struct tdxsim_pos pos);
int tdxsim_platform_add_node_range_at(struct tdxsim_platform *p, unsigned nid,
				      uint64_t start, uint64_t end,
				      struct tdxsim_pos pos);
int tdxsim_platform_add_pamt_base_at(struct tdxsim_platform *p, uint64_t base,
				     struct tdxsim_pos pos);
/* Remember the input's name for messages (copied). 0 or -ENOMEM. */
int tdxsim_platform_set_input_name(struct tdxsim_platform *p, const char *name);

/* The file or log the platform was read from; NULL for one built in code. */
const char *tdxsim_platform_input_name(const struct tdxsim_platform *p);
/* Note that the input set a profile field, and where. */
void tdxsim_platform_mark_profile(struct tdxsim_platform *p,
				  enum profile_field field,
				  struct tdxsim_pos pos);

/* A fixture name: [A-Za-z0-9._-]+ starting with a letter or digit. */
bool tdxsim_platform_name_is_valid(const char *name, size_t len);

/* Format [start, end) as "[0x..., 0x...)" into buf (at least 48 bytes). */
const char *tdxsim_format_range(uint64_t start, uint64_t end, char *buf,
				size_t size);

/* "1.5", "1.5.06" or "1.5.06.00" as the profile knows it, or with the
 * build number appended ("1.5.06.00.744") when with_build is set and the
 * internal version is known. */
const char *tdxsim_format_module_version(const struct tdxsim_module_profile *m,
					 bool with_build, char *buf, size_t size);

#endif /* TDXSIM_PLATFORM_PRIVATE_H */
