/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "platform-private.h"

TDXSIM_EXPORT void
tdxsim_module_profile_init(struct tdxsim_module_profile *m)
{
	if (!m)
		return;
	/* Limits are compile-time constants of modules 1.0.3 to 1.5.06
	 * (intel/tdx-module tdx_api_defs.h: MAX_RESERVED_AREAS 16U, MAX_CMR 32;
	 * pamt_manager.h: PAMT_ENTRY_SIZE_IN_BYTES 16; tdx_global_data.h:
	 * MAX_TDMRS 64); intel/tdx-module tdx_1.5 tdx_api_defs.h. */
	memset(m, 0, sizeof(*m));
	m->major = 1;
	m->minor = 5;
	m->update = 6;
	m->internal = TDXSIM_VERSION_UNKNOWN;
	m->max_tdmrs = 64;
	m->max_reserved_per_tdmr = 16;
	m->pamt_entry_size[0] = 16;
	m->pamt_entry_size[1] = 16;
	m->pamt_entry_size[2] = 16;
	m->cmr_slots = TDXSIM_MAX_CMRS;
	/* "BIOS enabled: private KeyID range [32, 64)" on the SPR/EMR hosts
	 * of canonical/tdx#135 and intel/tdx-linux#5. */
	m->keyid_start = 32;
	m->keyid_end = 64;
	m->nr_lps = 8;
	m->nr_packages = 1;
}

TDXSIM_EXPORT struct tdxsim_platform *
tdxsim_platform_new(void)
{
	struct tdxsim_platform *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	tdxsim_module_profile_init(&p->profile);
	return p;
}

static void
free_expect_strings(struct tdxsim_expect *e)
{
	tdxsim_free_const(e->strategy);
	tdxsim_free_const(e->lines);
}

TDXSIM_EXPORT void
tdxsim_platform_free(struct tdxsim_platform *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < TDXSIM_INFO_COUNT; i++)
		free(p->info[i]);
	free(p->input_name);
	free(p->e820);
	free(p->nodes);
	for (size_t i = 0; i < p->expect_count; i++)
		free_expect_strings(&p->expects[i]);
	free(p->expects);
	free(p->pamts);
	free(p);
}

const char *
tdxsim_platform_input_name(const struct tdxsim_platform *p)
{
	return p ? p->input_name : NULL;
}

int
tdxsim_platform_set_input_name(struct tdxsim_platform *p, const char *name)
{
	bool ok = true;
	char *copy = tdxsim_strdup_or_null(name, &ok);

	if (!ok)
		return -ENOMEM;
	free(p->input_name);
	p->input_name = copy;
	return 0;
}

int
tdxsim_platform_add_e820_at(struct tdxsim_platform *p, uint64_t start,
			    uint64_t end, uint32_t type, struct tdxsim_pos pos)
{
	struct e820_item *item;
	int ret;

	if (end <= start)
		return -EINVAL;
	ret = tdxsim_array_reserve((void **)&p->e820, &p->e820_capacity,
				   p->e820_count + 1, sizeof(*p->e820));
	if (ret < 0)
		return ret;
	item = &p->e820[p->e820_count++];
	item->entry.start = start;
	item->entry.end = end;
	item->entry.type = type;
	item->pos = pos;
	item->derived = false;
	/* An elision recorded at the end now sits before this entry. */
	item->elided_before = p->e820_elided_after;
	p->e820_elided_after = false;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_platform_add_e820(struct tdxsim_platform *p, uint64_t start,
			 uint64_t end, uint32_t type)
{
	return tdxsim_platform_add_e820_at(p, start, end, type,
					   (struct tdxsim_pos){ 0, 0 });
}

TDXSIM_EXPORT int
tdxsim_platform_add_e820_elision(struct tdxsim_platform *p)
{
	if (!p)
		return -EINVAL;
	p->e820_elided_after = true;
	return 0;
}

int
tdxsim_platform_add_e820_derived_at(struct tdxsim_platform *p, uint64_t start,
				    uint64_t end, uint32_t type,
				    struct tdxsim_pos pos)
{
	struct e820_item *item;
	size_t i;
	int ret;

	if (end <= start)
		return -EINVAL;
	ret = tdxsim_array_reserve((void **)&p->e820, &p->e820_capacity,
				   p->e820_count + 1, sizeof(*p->e820));
	if (ret < 0)
		return ret;
	/* After every entry that starts at or below it, so that derived
	 * entries, usually added in order above the source's last entry,
	 * cost no move; an overlap is left for the validator to name. */
	i = p->e820_count;
	while (i > 0 && p->e820[i - 1].entry.start > start)
		i--;
	memmove(&p->e820[i + 1], &p->e820[i],
		(p->e820_count - i) * sizeof(*p->e820));
	p->e820_count++;
	item = &p->e820[i];
	item->entry.start = start;
	item->entry.end = end;
	item->entry.type = type;
	item->pos = pos;
	item->derived = true;
	/* An elision recorded where the entry lands stays where the source
	 * put it, before the entry: the source's "......" after its last
	 * line precedes what was deduced beyond it. */
	if (i + 1 == p->e820_count) {
		item->elided_before = p->e820_elided_after;
		p->e820_elided_after = false;
	} else {
		item->elided_before = p->e820[i + 1].elided_before;
		p->e820[i + 1].elided_before = false;
	}
	return 0;
}

TDXSIM_EXPORT int
tdxsim_platform_add_e820_derived(struct tdxsim_platform *p, uint64_t start,
				 uint64_t end, uint32_t type)
{
	return tdxsim_platform_add_e820_derived_at(p, start, end, type,
						   (struct tdxsim_pos){ 0, 0 });
}

TDXSIM_EXPORT int
tdxsim_platform_e820_derived(const struct tdxsim_platform *p, size_t index)
{
	if (!p)
		return 0;	/* a predicate: -EINVAL would read as true */
	return index < p->e820_count && p->e820[index].derived;
}

TDXSIM_EXPORT size_t
tdxsim_platform_e820_count(const struct tdxsim_platform *p)
{
	if (!p)
		return 0;
	return p->e820_count;
}

TDXSIM_EXPORT const struct tdxsim_e820_entry *
tdxsim_platform_e820_entry(const struct tdxsim_platform *p, size_t index)
{
	if (!p)
		return NULL;
	return index < p->e820_count ? &p->e820[index].entry : NULL;
}

TDXSIM_EXPORT int
tdxsim_platform_e820_elided_before(const struct tdxsim_platform *p,
				   size_t index)
{
	if (!p)
		return 0;	/* a predicate: -EINVAL would read as true */
	if (index < p->e820_count)
		return p->e820[index].elided_before;
	return index == p->e820_count && p->e820_elided_after;
}

TDXSIM_EXPORT int
tdxsim_platform_e820_truncated(const struct tdxsim_platform *p)
{
	if (!p)
		return 0;	/* a predicate: -EINVAL would read as true */
	for (size_t i = 0; i <= p->e820_count; i++) {
		if (tdxsim_platform_e820_elided_before(p, i))
			return 1;
	}
	return 0;
}

TDXSIM_EXPORT void
tdxsim_platform_set_e820_spelling(struct tdxsim_platform *p,
				  enum tdxsim_e820_spelling spelling)
{
	if (!p)
		return;
	p->spelling = spelling;
}

TDXSIM_EXPORT enum tdxsim_e820_spelling
tdxsim_platform_e820_spelling(const struct tdxsim_platform *p)
{
	if (!p)
		return 0;
	return p->spelling;
}

int
tdxsim_platform_add_cmr_at(struct tdxsim_platform *p, uint64_t base,
			   uint64_t size, struct tdxsim_pos pos)
{
	if (size > UINT64_MAX - base)
		return -EINVAL;
	if (p->cmr_count >= TDXSIM_MAX_CMRS)
		return -ENOSPC;
	p->cmrs[p->cmr_count].cmr.base = base;
	p->cmrs[p->cmr_count].cmr.size = size;
	p->cmrs[p->cmr_count].pos = pos;
	p->cmr_count++;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_platform_add_cmr(struct tdxsim_platform *p, uint64_t base, uint64_t size)
{
	if (!p)
		return -EINVAL;
	return tdxsim_platform_add_cmr_at(p, base, size,
					  (struct tdxsim_pos){ 0, 0 });
}

TDXSIM_EXPORT size_t
tdxsim_platform_cmr_count(const struct tdxsim_platform *p)
{
	if (!p)
		return 0;
	return p->cmr_count;
}

TDXSIM_EXPORT const struct tdxsim_cmr *
tdxsim_platform_cmr(const struct tdxsim_platform *p, size_t index)
{
	if (!p)
		return NULL;
	return index < p->cmr_count ? &p->cmrs[index].cmr : NULL;
}

int
tdxsim_platform_add_node_range_at(struct tdxsim_platform *p, unsigned nid,
				  uint64_t start, uint64_t end,
				  struct tdxsim_pos pos)
{
	struct node_item *item;
	int ret;

	if (end <= start)
		return -EINVAL;
	ret = tdxsim_array_reserve((void **)&p->nodes, &p->node_capacity,
				   p->node_count + 1, sizeof(*p->nodes));
	if (ret < 0)
		return ret;
	item = &p->nodes[p->node_count++];
	item->range.start = start;
	item->range.end = end;
	item->range.nid = nid;
	item->pos = pos;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_platform_add_node_range(struct tdxsim_platform *p, unsigned nid,
			       uint64_t start, uint64_t end)
{
	return tdxsim_platform_add_node_range_at(p, nid, start, end,
						 (struct tdxsim_pos){ 0, 0 });
}

TDXSIM_EXPORT size_t
tdxsim_platform_node_range_count(const struct tdxsim_platform *p)
{
	if (!p)
		return 0;
	return p->node_count;
}

TDXSIM_EXPORT const struct tdxsim_node_range *
tdxsim_platform_node_range(const struct tdxsim_platform *p, size_t index)
{
	if (!p)
		return NULL;
	return index < p->node_count ? &p->nodes[index].range : NULL;
}

/* ---- PAMT placement ('pamt-placement') ---- */

int
tdxsim_platform_add_pamt_base_at(struct tdxsim_platform *p, uint64_t base,
				 struct tdxsim_pos pos)
{
	int ret = tdxsim_array_reserve((void **)&p->pamts, &p->pamt_capacity,
				       p->pamt_count + 1, sizeof(*p->pamts));

	if (ret < 0)
		return ret;
	p->pamts[p->pamt_count].base = base;
	p->pamts[p->pamt_count].pos = pos;
	p->pamt_count++;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_platform_add_pamt_base(struct tdxsim_platform *p, uint64_t base)
{
	if (!p)
		return -EINVAL;
	return tdxsim_platform_add_pamt_base_at(p, base,
						(struct tdxsim_pos){ 0, 0 });
}

TDXSIM_EXPORT size_t
tdxsim_platform_pamt_base_count(const struct tdxsim_platform *p)
{
	if (!p)
		return 0;
	return p->pamt_count;
}

TDXSIM_EXPORT uint64_t
tdxsim_platform_pamt_base(const struct tdxsim_platform *p, size_t index)
{
	if (!p)
		return 0;
	return index < p->pamt_count ? p->pamts[index].base
				     : TDXSIM_PAMT_BASE_AUTO;
}

/* ---- end of PAMT placement ---- */

TDXSIM_EXPORT const struct tdxsim_module_profile *
tdxsim_platform_module_profile(const struct tdxsim_platform *p)
{
	if (!p)
		return NULL;
	return &p->profile;
}

TDXSIM_EXPORT void
tdxsim_platform_set_module_profile(struct tdxsim_platform *p,
				   const struct tdxsim_module_profile *profile)
{
	if (!p || !profile)
		return;
	struct tdxsim_module_profile defaults;

	p->profile = *profile;
	/* Fields that now differ from the defaults count as given, so the
	 * writer keeps them. */
	tdxsim_module_profile_init(&defaults);
	p->profile_set[PROFILE_VERSION] |=
		profile->major != defaults.major ||
		profile->minor != defaults.minor ||
		profile->update != defaults.update ||
		profile->internal != defaults.internal;
	p->profile_set[PROFILE_BUILD_DATE] |= profile->build_date != 0;
	p->profile_set[PROFILE_BUILD_NUM] |= profile->build_num != 0;
	p->profile_set[PROFILE_MAX_TDMRS] |=
		profile->max_tdmrs != defaults.max_tdmrs;
	p->profile_set[PROFILE_MAX_RESERVED] |=
		profile->max_reserved_per_tdmr != defaults.max_reserved_per_tdmr;
	for (size_t i = 0; i < 3; i++)
		p->profile_set[PROFILE_PAMT_4K + i] |=
			profile->pamt_entry_size[i] != defaults.pamt_entry_size[i];
	p->profile_set[PROFILE_CMR_SLOTS] |=
		profile->cmr_slots != defaults.cmr_slots;
	p->profile_set[PROFILE_KEYIDS] |=
		profile->keyid_start != defaults.keyid_start ||
		profile->keyid_end != defaults.keyid_end;
	p->profile_set[PROFILE_LOGICAL_CPUS] |=
		profile->nr_lps != defaults.nr_lps;
	p->profile_set[PROFILE_PACKAGES] |=
		profile->nr_packages != defaults.nr_packages;
}

/* The profile fields behind each public fact (PAMT: all three levels). */
static const struct {
	enum profile_field first;
	unsigned count;
	const char *name;
} facts[TDXSIM_FACT_COUNT] = {
	[TDXSIM_FACT_VERSION] = { PROFILE_VERSION, 1, "module version" },
	[TDXSIM_FACT_BUILD_DATE] = { PROFILE_BUILD_DATE, 1, "module build date" },
	[TDXSIM_FACT_BUILD_NUM] = { PROFILE_BUILD_NUM, 1, "module build number" },
	[TDXSIM_FACT_MAX_TDMRS] = { PROFILE_MAX_TDMRS, 1, "MAX_TDMRS" },
	[TDXSIM_FACT_MAX_RESERVED] = { PROFILE_MAX_RESERVED, 1, "MAX_RESERVED_PER_TDMR" },
	[TDXSIM_FACT_PAMT_ENTRY_SIZES] = { PROFILE_PAMT_4K, 3, "PAMT entry sizes" },
	[TDXSIM_FACT_CMR_SLOTS] = { PROFILE_CMR_SLOTS, 1, "CMR slots" },
	[TDXSIM_FACT_KEYIDS] = { PROFILE_KEYIDS, 1, "private KeyIDs" },
	[TDXSIM_FACT_LOGICAL_CPUS] = { PROFILE_LOGICAL_CPUS, 1, "logical CPUs" },
	[TDXSIM_FACT_PACKAGES] = { PROFILE_PACKAGES, 1, "CPU packages" },
};

TDXSIM_EXPORT bool
tdxsim_platform_module_fact_given(const struct tdxsim_platform *p,
				  enum tdxsim_module_fact fact)
{
	bool given = false;

	if (!p || (unsigned)fact >= TDXSIM_FACT_COUNT)
		return false;
	for (unsigned i = 0; i < facts[fact].count; i++)
		given |= p->profile_set[facts[fact].first + i];
	return given;
}

TDXSIM_EXPORT const char *
tdxsim_module_fact_name(enum tdxsim_module_fact fact)
{
	return (unsigned)fact < TDXSIM_FACT_COUNT ? facts[fact].name : NULL;
}

void
tdxsim_platform_mark_profile(struct tdxsim_platform *p,
			     enum profile_field field, struct tdxsim_pos pos)
{
	p->profile_set[field] = true;
	p->profile_pos[field] = pos;
}

TDXSIM_EXPORT const char *
tdxsim_platform_info(const struct tdxsim_platform *p, enum tdxsim_info key)
{
	if (!p)
		return NULL;
	if ((unsigned)key >= TDXSIM_INFO_COUNT)
		return NULL;
	return p->info[key];
}

bool
tdxsim_platform_name_is_valid(const char *name, size_t len)
{
	/* Names become file and test names: letters, digits, '-', '_', '.',
	 * starting with a letter or digit (no ".", "..", or "-option"). */
	if (len == 0 || name[0] == '.' || name[0] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

TDXSIM_EXPORT int
tdxsim_platform_set_info(struct tdxsim_platform *p, enum tdxsim_info key,
			 const char *value)
{
	if (!p)
		return -EINVAL;
	bool ok = true;
	char *copy;

	if ((unsigned)key >= TDXSIM_INFO_COUNT)
		return -EINVAL;
	if (key == TDXSIM_INFO_NAME && value &&
	    !tdxsim_platform_name_is_valid(value, strlen(value)))
		return -EINVAL;
	/* What cannot be written to a YAML file cannot be kept: the writer
	 * promises that its output loads back. */
	if (value && !tdxsim_text_is_clean(value, strlen(value)))
		return -EINVAL;
	copy = tdxsim_strdup_or_null(value, &ok);
	if (!ok)
		return -ENOMEM;
	free(p->info[key]);
	p->info[key] = copy;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_platform_add_expect(struct tdxsim_platform *p,
			   const struct tdxsim_expect *expect)
{
	if (!p || !expect)
		return -EINVAL;
	struct tdxsim_expect copy = *expect;
	bool ok = true;
	int ret;

	if (!expect->strategy || !expect->strategy[0])
		return -EINVAL;
	for (size_t i = 0; i < p->expect_count; i++) {
		if (strcmp(p->expects[i].strategy, expect->strategy) == 0)
			return -EEXIST;
	}
	ret = tdxsim_array_reserve((void **)&p->expects, &p->expect_capacity,
				   p->expect_count + 1, sizeof(*p->expects));
	if (ret < 0)
		return ret;
	copy.strategy = tdxsim_strdup_or_null(expect->strategy, &ok);
	copy.lines = tdxsim_strdup_or_null(expect->lines, &ok);
	if (!ok) {
		free_expect_strings(&copy);
		return -ENOMEM;
	}
	p->expects[p->expect_count++] = copy;
	return 0;
}

TDXSIM_EXPORT size_t
tdxsim_platform_expect_count(const struct tdxsim_platform *p)
{
	if (!p)
		return 0;
	return p->expect_count;
}

TDXSIM_EXPORT const struct tdxsim_expect *
tdxsim_platform_expect(const struct tdxsim_platform *p, size_t index)
{
	if (!p)
		return NULL;
	return index < p->expect_count ? &p->expects[index] : NULL;
}

TDXSIM_EXPORT uint64_t
tdxsim_platform_ram_bytes(const struct tdxsim_platform *p)
{
	if (!p)
		return 0;
	uint64_t total = 0;

	for (size_t i = 0; i < p->e820_count; i++) {
		const struct tdxsim_e820_entry *e = &p->e820[i].entry;

		if (e->type == TDXSIM_E820_RAM)
			total += e->end - e->start;
	}
	return total;
}

const char *
tdxsim_format_range(uint64_t start, uint64_t end, char *buf, size_t size)
{
	snprintf(buf, size, "[0x%" PRIx64 ", 0x%" PRIx64 ")", start, end);
	return buf;
}

const char *
tdxsim_format_module_version(const struct tdxsim_module_profile *m,
			     bool with_build, char *buf, size_t size)
{
	if (m->update == TDXSIM_VERSION_UNKNOWN)
		snprintf(buf, size, "%u.%u", m->major, m->minor);
	else if (m->internal == TDXSIM_VERSION_UNKNOWN)
		snprintf(buf, size, "%u.%u.%02u", m->major, m->minor, m->update);
	else if (with_build)
		snprintf(buf, size, "%u.%u.%02u.%02u.%" PRIu32, m->major, m->minor,
			 m->update, m->internal, m->build_num);
	else
		snprintf(buf, size, "%u.%u.%02u.%02u", m->major, m->minor,
			 m->update, m->internal);
	return buf;
}
