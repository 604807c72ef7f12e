/* SPDX-License-Identifier: MIT */
/*
 * tdxsim show: print a platform's memory map as tables, and with --svg
 * also draw it (sim/tracks.h, sim/svg.h).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "output.h"
#include "tracks.h"

#define CMD "show"

/* Addresses as the kernel prints them in E820 lines: 16 hex digits. */
#define ADDR_FMT "0x%016llx"

struct show_args {
	const char *fixture;    /* NULL: the bundled default */
	const char *svg_path;   /* NULL: no picture */
	int json;               /* the platform as one JSON document */
};

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim show [OPTIONS] [FIXTURE]\n"
		"\n"
		"Print a platform's memory map: its origin, TDX module profile,\n"
		"E820 table, CMRs, NUMA node ranges and expected outcomes.\n"
		"Without FIXTURE, the bundled default platform (%s).\n"
		"FIXTURE '-' is standard input; a kernel log (BIOS-e820 lines) is\n"
		"imported as 'tdxsim import-dmesg' would, with a note.\n"
		"\n"
		"Options:\n"
		"  -j, --json   the platform as one JSON document instead of the tables\n"
		"  --svg FILE   also draw the address space as an SVG picture\n"
		"               (-: standard output, instead of the tables)\n"
		"  -h, --help   print this help and exit\n"
		"\n"
		"Exit status: 0 shown, 2 usage error, a fixture that cannot be read or\n"
		"is refused, or an SVG file that could not be written.\n",
		cli_default_fixture_name);
}

/* Returns -1 to go on, or the exit status to stop with. */
static int
parse_args(int argc, char **argv, struct show_args *args)
{
	static const struct option options[] = {
		{ "svg", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(args, 0, sizeof(*args));
	opterr = 0;  /* our own messages, in the CLI's format */
	while ((c = getopt_long(argc, argv, ":jh", options, NULL)) != -1) {
		if (c == 'h') {
			print_usage(stdout);
			return CLI_EXIT_OK;
		}
		if (c == 'j') {
			args->json = 1;
			continue;
		}
		if (c == 's' && optarg[0] != '\0')
			args->svg_path = optarg;
		else if (c == ':' || c == 's')  /* --svg is the only one with a value */
			return cli_usage_error(CMD, "option '--svg' needs a file name");
		else if (optopt)
			return cli_usage_error(CMD, "unknown option '-%c'", optopt);
		else
			return cli_usage_error(CMD, "unknown option '%s'",
					       argv[optind - 1]);
	}
	if (argc - optind > 1)
		return cli_usage_error(CMD, "one fixture at most, got '%s' too",
				       argv[optind + 1]);
	args->fixture = optind < argc ? argv[optind] : NULL;
	if (args->json && cli_output_is_stdout(args->svg_path))
		return cli_usage_error(CMD, "--json and --svg - both write standard output");
	return -1;
}

/* One "key value" line; multi-line values continue under the value. */
static void
print_field(const char *key, const char *value)
{
	const char *line = value;

	if (!value)
		return;
	printf("  %-12s ", key);
	for (;;) {
		const char *nl = strchr(line, '\n');
		int len = nl ? (int)(nl - line) : (int)strlen(line);

		printf("%.*s\n", len, line);
		if (!nl || !nl[1])
			break;
		line = nl + 1;
		printf("  %-12s ", "");
	}
}

static void
print_header(const struct tdxsim_platform *p)
{
	const char *name = tdxsim_platform_info(p, TDXSIM_INFO_NAME);
	const char *desc = tdxsim_platform_info(p, TDXSIM_INFO_DESCRIPTION);

	printf("Platform %s\n", name ? name : "(unnamed)");
	if (desc)
		printf("  %s\n", desc);
	print_field("source", tdxsim_platform_info(p, TDXSIM_INFO_SOURCE));
	print_field("message-id", tdxsim_platform_info(p, TDXSIM_INFO_MESSAGE_ID));
	print_field("machine", tdxsim_platform_info(p, TDXSIM_INFO_MACHINE));
	print_field("kernel", tdxsim_platform_info(p, TDXSIM_INFO_KERNEL));
	print_field("notes", tdxsim_platform_info(p, TDXSIM_INFO_NOTES));
}

/* "1.5" when the source gave no update number, else "1.5.06" as Intel
 * names releases. */
static const char *
format_version(const struct tdxsim_module_profile *m, char *buf, size_t size)
{
	if (m->update == TDXSIM_VERSION_UNKNOWN)
		snprintf(buf, size, "%u.%u", m->major, m->minor);
	else
		snprintf(buf, size, "%u.%u.%02u", m->major, m->minor, m->update);
	return buf;
}

/* What follows a value the input did not give: the same facts as the
 * stderr note and the JSON "defaults" of other commands. */
static const char *
mark(const struct tdxsim_platform *p, enum tdxsim_module_fact fact)
{
	return tdxsim_platform_module_fact_given(p, fact) ? "" : "  (tdxsim's default)";
}

static void
print_profile(const struct tdxsim_platform *p)
{
	const struct tdxsim_module_profile *m = tdxsim_platform_module_profile(p);
	char version[32];

	printf("\nTDX module\n");
	printf("  %-24s %s%s\n", "version", format_version(m, version, sizeof(version)),
	       mark(p, TDXSIM_FACT_VERSION));
	if (m->build_date)
		printf("  %-24s %08u\n", "build date", (unsigned)m->build_date);
	else
		printf("  %-24s %s\n", "build date", "unknown");
	if (m->build_num)
		printf("  %-24s %u\n", "build number", (unsigned)m->build_num);
	else
		printf("  %-24s %s\n", "build number", "unknown");
	printf("  %-24s %u\n", "MAX_TDMRS", m->max_tdmrs);
	printf("  %-24s %u\n", "MAX_RESERVED_PER_TDMR", m->max_reserved_per_tdmr);
	printf("  %-24s 4K %u B, 2M %u B, 1G %u B\n", "PAMT entry sizes",
	       m->pamt_entry_size[0], m->pamt_entry_size[1], m->pamt_entry_size[2]);
	printf("  %-24s %u\n", "CMR slots", m->cmr_slots);
	printf("  %-24s [%u, %u)%s\n", "private KeyIDs",
	       (unsigned)m->keyid_start, (unsigned)m->keyid_end, mark(p, TDXSIM_FACT_KEYIDS));
	printf("  %-24s %u%s\n", "logical CPUs", m->nr_lps, mark(p, TDXSIM_FACT_LOGICAL_CPUS));
	printf("  %-24s %u%s\n", "packages", m->nr_packages, mark(p, TDXSIM_FACT_PACKAGES));
}

static void
print_range_row(const char *index, uint64_t start, uint64_t end,
		const char *tail)
{
	char size[32];

	printf("  %5s  " ADDR_FMT "  " ADDR_FMT "  %11s%s%s\n", index,
	       (unsigned long long)start, (unsigned long long)end,
	       cli_format_size(end - start, size, sizeof(size)),
	       tail ? "  " : "", tail ? tail : "");
}

static void
print_elision(void)
{
	printf("  %5s  %-18s  (entries left out by the source)\n", "", "...");
}

static void
print_ram_total(const struct tdxsim_platform *p)
{
	unsigned long long ram = tdxsim_platform_ram_bytes(p);
	char size[32];

	printf("  RAM total: %s (%llu bytes)%s\n",
	       cli_format_size(ram, size, sizeof(size)), ram,
	       tdxsim_platform_e820_truncated(p) ? " in the entries given" : "");
}

static void
print_e820(const struct tdxsim_platform *p)
{
	enum tdxsim_e820_spelling spelling = tdxsim_platform_e820_spelling(p);
	size_t count = tdxsim_platform_e820_count(p);

	printf("\nE820 (%zu entries, %s spelling%s)\n", count,
	       spelling == TDXSIM_E820_SPELLING_MODERN ? "modern" : "legacy",
	       tdxsim_platform_e820_truncated(p) ? ", truncated by the source" : "");
	printf("  %5s  %-18s  %-18s  %11s  %s\n", "#", "start", "end (excl.)",
	       "size", "type");
	for (size_t i = 0; i <= count; i++) {
		const struct tdxsim_e820_entry *e;
		char index[24], type[32];

		if (tdxsim_platform_e820_elided_before(p, i))
			print_elision();
		e = tdxsim_platform_e820_entry(p, i);
		if (!e)
			break;
		snprintf(index, sizeof(index), "%zu", i);
		print_range_row(index, e->start, e->end,
				tdxsim_e820_type_name(e->type, spelling, type,
						      sizeof(type)));
	}
	print_ram_total(p);
}

static void
print_cmrs(const struct tdxsim_platform *p)
{
	size_t count = tdxsim_platform_cmr_count(p);
	unsigned long long total = 0;
	char index[24], size[32];

	if (count == 0) {
		printf("\nCMRs: none given\n");
		return;
	}
	if (tdxsim_platform_info(p, TDXSIM_INFO_CMRS_INFERRED))
		printf("\nCMRs (%zu slots, not the machine's own: %s)\n", count,
		       tdxsim_platform_info(p, TDXSIM_INFO_CMRS_INFERRED));
	else
		printf("\nCMRs (%zu slots given)\n", count);
	printf("  %5s  %-18s  %-18s  %11s\n", "#", "base", "end (excl.)", "size");
	for (size_t i = 0; i < count; i++) {
		const struct tdxsim_cmr *c = tdxsim_platform_cmr(p, i);

		snprintf(index, sizeof(index), "%zu", i);
		if (c->size == 0) {
			printf("  %5s  null\n", index);
			continue;
		}
		print_range_row(index, c->base, c->base + c->size, NULL);
		total += c->size;
	}
	printf("  CMR total: %s (%llu bytes)\n",
	       cli_format_size(total, size, sizeof(size)), total);
}

static void
print_nodes(const struct tdxsim_platform *p)
{
	size_t count = tdxsim_platform_node_range_count(p);

	if (count == 0)
		return;
	printf("\nNUMA node ranges (%zu)\n", count);
	printf("  %5s  %-18s  %-18s  %11s\n", "node", "start", "end (excl.)", "size");
	for (size_t i = 0; i < count; i++) {
		const struct tdxsim_node_range *r = tdxsim_platform_node_range(p, i);
		char nid[24];

		snprintf(nid, sizeof(nid), "%u", r->nid);
		print_range_row(nid, r->start, r->end, NULL);
	}
}

static const char *
outcome_name(enum tdxsim_expect_outcome outcome)
{
	switch (outcome) {
	case TDXSIM_EXPECT_OK:
		return "ok";
	case TDXSIM_EXPECT_FAIL:
		return "fail";
	case TDXSIM_EXPECT_UNSET:
		break;
	}
	return "unset";
}

static void
print_number(const char *key, long long value)
{
	if (value != TDXSIM_EXPECT_NONE)
		printf(", %s %lld", key, value);
}

static void
print_expect_lines(const char *lines)
{
	const char *line = lines;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		int len = nl ? (int)(nl - line) : (int)strlen(line);

		printf("      | %.*s\n", len, line);
		line = nl ? nl + 1 : NULL;
	}
}

static void
print_expect(const struct tdxsim_expect *e)
{
	printf("  %-12s %s", e->strategy, outcome_name(e->outcome));
	if (e->has_errno)
		printf(", errno %d (%s)", e->err, strerror(-e->err));
	print_number("TDMRs", e->tdmrs);
	print_number("max reserved", e->max_reserved);
	print_number("PAMT KB", e->pamt_kb);
	printf("\n");
	print_expect_lines(e->lines);
}

static void
print_expects(const struct tdxsim_platform *p)
{
	size_t count = tdxsim_platform_expect_count(p);

	if (count == 0)
		return;
	printf("\nExpected outcomes\n");
	for (size_t i = 0; i < count; i++)
		print_expect(tdxsim_platform_expect(p, i));
}

static void
print_platform(const struct tdxsim_platform *p)
{
	print_header(p);
	print_profile(p);
	print_e820(p);
	print_cmrs(p);
	print_nodes(p);
	print_expects(p);
}

/* The picture: the platform's layers, as tracks.c builds them. */
static int
write_svg(const struct tdxsim_platform *p, const char *path)
{
	const char *name = tdxsim_platform_info(p, TDXSIM_INFO_NAME);
	struct tracks t;
	int ret;

	tracks_init(&t);
	if (tracks_add_platform(&t, p) < 0) {
		fprintf(stderr, "tdxsim %s: %s: %s\n", CMD, path, strerror(ENOMEM));
		ret = CLI_EXIT_USAGE;
	} else {
		ret = tracks_write_file(&t, CMD, path, name ? name : "platform",
					tdxsim_platform_info(p, TDXSIM_INFO_DESCRIPTION),
					TRACKS_PLATFORM_CSS);
	}
	tracks_free(&t);
	return ret;
}

int
cmd_show(int argc, char **argv)
{
	struct tdxsim_platform *p = NULL;
	struct show_args args;
	int ret = parse_args(argc, argv, &args);

	if (ret >= 0)
		return ret;
	ret = cli_load_platform(args.fixture, &p);
	if (ret != CLI_EXIT_OK)
		return ret;
	/* --svg -: the picture alone on standard output. */
	if (args.json) {
		struct cli_json j;

		cli_json_begin(&j, stdout);
		cli_json_platform(&j, p);
		cli_json_finish(&j);
	} else if (!cli_output_is_stdout(args.svg_path)) {
		print_platform(p);
	}
	if (args.svg_path)
		ret = write_svg(p, args.svg_path);
	tdxsim_platform_free(p);
	return ret;
}
