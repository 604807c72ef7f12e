/* SPDX-License-Identifier: MIT */
/*
 * A platform as JSON, the document of 'show --json' and the platform of
 * 'import-dmesg --json' (docs/cli.md): what 'show' prints, key by key.
 */
#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "json.h"

static void
json_origin(struct cli_json *j, const struct tdxsim_platform *p)
{
	static const struct {
		const char *key;
		enum tdxsim_info info;
	} fields[] = {
		{ "description", TDXSIM_INFO_DESCRIPTION },
		{ "source", TDXSIM_INFO_SOURCE },
		{ "message_id", TDXSIM_INFO_MESSAGE_ID },
		{ "machine", TDXSIM_INFO_MACHINE },
		{ "kernel", TDXSIM_INFO_KERNEL },
		{ "notes", TDXSIM_INFO_NOTES },
	};

	cli_json_object(j, "origin", CLI_JSON_BLOCK);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		cli_json_str(j, fields[i].key, tdxsim_platform_info(p, fields[i].info));
	cli_json_end(j);
}

/* A number the source may not have given (0 or TDXSIM_VERSION_UNKNOWN). */
static void
json_known(struct cli_json *j, const char *key, uint64_t value, uint64_t unknown)
{
	if (value == unknown)
		cli_json_null(j, key);
	else
		cli_json_u64(j, key, value);
}

static void
json_module(struct cli_json *j, const struct tdxsim_platform *p)
{
	const struct tdxsim_module_profile *m = tdxsim_platform_module_profile(p);
	char version[40];

	snprintf(version, sizeof(version), "%u.%u.%02u", m->major, m->minor,
		 m->update == TDXSIM_VERSION_UNKNOWN ? 0 : m->update);
	cli_json_object(j, "module", CLI_JSON_BLOCK);
	cli_json_str(j, "version", version);
	json_known(j, "build_date", m->build_date, 0);
	json_known(j, "build_num", m->build_num, 0);
	cli_json_u64(j, "max_tdmrs", m->max_tdmrs);
	cli_json_u64(j, "max_reserved_per_tdmr", m->max_reserved_per_tdmr);
	cli_json_array(j, "pamt_entry_size", CLI_JSON_INLINE);
	for (int l = 0; l < 3; l++)
		cli_json_u64(j, NULL, m->pamt_entry_size[l]);
	cli_json_end(j);
	cli_json_u64(j, "cmr_slots", m->cmr_slots);
	cli_json_u64(j, "keyid_start", m->keyid_start);
	cli_json_u64(j, "keyid_end", m->keyid_end);
	cli_json_u64(j, "logical_cpus", m->nr_lps);
	cli_json_u64(j, "packages", m->nr_packages);
	cli_json_end(j);
}

static void
json_e820(struct cli_json *j, const struct tdxsim_platform *p)
{
	enum tdxsim_e820_spelling spelling = tdxsim_platform_e820_spelling(p);
	size_t count = tdxsim_platform_e820_count(p);
	char type[32];

	cli_json_object(j, "e820", CLI_JSON_BLOCK);
	cli_json_str(j, "spelling", spelling == TDXSIM_E820_SPELLING_MODERN ? "modern" : "legacy");
	cli_json_bool(j, "truncated", tdxsim_platform_e820_truncated(p));
	cli_json_array(j, "entries", CLI_JSON_BLOCK);
	for (size_t i = 0; i < count; i++) {
		const struct tdxsim_e820_entry *e = tdxsim_platform_e820_entry(p, i);

		cli_json_object(j, NULL, CLI_JSON_INLINE);
		cli_json_u64(j, "index", i);
		cli_json_range_members(j, e->start, e->end - e->start);
		cli_json_u64(j, "type", e->type);
		cli_json_str(j, "type_name", tdxsim_e820_type_name(e->type, spelling, type,
								   sizeof(type)));
		cli_json_bool(j, "elided_before", tdxsim_platform_e820_elided_before(p, i));
		cli_json_end(j);
	}
	cli_json_end(j);
	cli_json_bool(j, "elided_after", tdxsim_platform_e820_elided_before(p, count));
	cli_json_end(j);
}

static void
json_cmrs_and_nodes(struct cli_json *j, const struct tdxsim_platform *p)
{
	cli_json_array(j, "cmrs", CLI_JSON_BLOCK);
	for (size_t i = 0; i < tdxsim_platform_cmr_count(p); i++) {
		const struct tdxsim_cmr *c = tdxsim_platform_cmr(p, i);

		cli_json_object(j, NULL, CLI_JSON_INLINE);
		cli_json_u64(j, "slot", i);
		cli_json_range_members(j, c->base, c->size);
		cli_json_end(j);
	}
	cli_json_end(j);
	cli_json_array(j, "node_ranges", CLI_JSON_BLOCK);
	for (size_t i = 0; i < tdxsim_platform_node_range_count(p); i++) {
		const struct tdxsim_node_range *n = tdxsim_platform_node_range(p, i);

		cli_json_object(j, NULL, CLI_JSON_INLINE);
		cli_json_u64(j, "nid", n->nid);
		cli_json_range_members(j, n->start, n->end - n->start);
		cli_json_end(j);
	}
	cli_json_end(j);
}

void
cli_json_platform(struct cli_json *j, const struct tdxsim_platform *p)
{
	cli_json_platform_head(j, p);
	json_origin(j, p);
	json_module(j, p);
	json_e820(j, p);
	cli_json_u64(j, "ram_bytes", tdxsim_platform_ram_bytes(p));
	json_cmrs_and_nodes(j, p);
	cli_json_u64(j, "expectations", tdxsim_platform_expect_count(p));
}
