/* SPDX-License-Identifier: MIT */
/*
 * tdxsim import-dmesg: turn a pasted kernel log into a fixture.
 *
 * The log gives the memory map and module facts; the options give what a
 * log cannot (a name, where it came from) and override what it said. The
 * result is validated before anything is written, so a fixture produced
 * here always loads.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "cli.h"
#include "input.h"
#include "json.h"
#include "output.h"

#define CMD "import-dmesg"

struct import_options {
	const char *input;	/* file, or "-" for standard input */
	const char *output;	/* NULL: standard output */
	const char *info[TDXSIM_INFO_COUNT];	/* overrides; NULL: keep */
	unsigned boot;		/* 1.. a boot of the log; 0: the last */
	int no_infer_cmrs;	/* keep a log without CMR lines without CMRs */
	int json;		/* the platform as JSON on standard output */
};

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim " CMD " [FILE|-] [-o OUT] [--json] [--name N] [--description D]\n"
		"                           [--source URL] [--message-id ID]\n"
		"                           [--machine M] [--kernel K]\n"
		"\n"
		"Read a kernel log (FILE, or standard input when FILE is '-' or missing)\n"
		"and write a platform fixture. Understood lines: BIOS-e820 (either type\n"
		"spelling, '...' recorded as left out), virt/tdx CMR lists, 'Early memory\n"
		"node ranges', TDX module version and KeyID lines, 'Linux version', 'DMI:',\n"
		"CPU counts. The log may come from dmesg (-r, -x, -T too), journalctl -k\n"
		"(short, -precise, -iso), a syslog file or a mail ('> ' quotes), with LF,\n"
		"CRLF or CR line ends. Of a log of several boots, the last is imported.\n"
		"\n"
		"Options:\n"
		"  -o, --output OUT       write the fixture to OUT instead of standard output\n"
		"      --name N           fixture name (default: FILE without directory and\n"
		"                         extension, or 'imported' for standard input)\n"
		"      --description D    one line for humans\n"
		"      --source URL       where the log was published\n"
		"      --message-id ID    mailing-list Message-ID of the report\n"
		"      --machine M        machine or board (default: the log's DMI line)\n"
		"      --kernel K         kernel release (default: the log's 'Linux version')\n"
		"      --boot N           import the log's Nth boot (1 the first; default the last)\n"
		"      --no-infer-cmrs    a log without CMR lines gives a fixture without CMRs\n"
		"                         (default: infer them from the E820 RAM, and say so)\n"
		"  -j, --json             print the imported platform as one JSON document\n"
		"                         (as 'tdxsim show --json', with the importer's\n"
		"                         warnings); the fixture is written only with -o\n"
		"  -h, --help             show this help\n"
		"\n"
		"Exit status: 0 written, 2 usage error or a log that does not make a valid\n"
		"fixture (nothing is written then). Warnings go to standard error.\n");
}

enum {
	OPT_NAME = 256,
	OPT_DESCRIPTION,
	OPT_SOURCE,
	OPT_MESSAGE_ID,
	OPT_MACHINE,
	OPT_KERNEL,
	OPT_BOOT,
	OPT_NO_INFER_CMRS,
};

static const struct option long_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "description", required_argument, NULL, OPT_DESCRIPTION },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "message-id", required_argument, NULL, OPT_MESSAGE_ID },
	{ "machine", required_argument, NULL, OPT_MACHINE },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "boot", required_argument, NULL, OPT_BOOT },
	{ "no-infer-cmrs", no_argument, NULL, OPT_NO_INFER_CMRS },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Which platform fact each long option sets. */
static int
option_info_key(int opt)
{
	switch (opt) {
	case OPT_NAME:
		return TDXSIM_INFO_NAME;
	case OPT_DESCRIPTION:
		return TDXSIM_INFO_DESCRIPTION;
	case OPT_SOURCE:
		return TDXSIM_INFO_SOURCE;
	case OPT_MESSAGE_ID:
		return TDXSIM_INFO_MESSAGE_ID;
	case OPT_MACHINE:
		return TDXSIM_INFO_MACHINE;
	case OPT_KERNEL:
		return TDXSIM_INFO_KERNEL;
	default:
		return -1;
	}
}

/* CLI_EXIT_OK to go on, -1 after --help, or CLI_EXIT_USAGE. */
static int
parse_options(int argc, char **argv, struct import_options *o)
{
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:jh", long_options, NULL)) != -1) {
		int key = option_info_key(opt);

		if (key >= 0) {
			o->info[key] = optarg;
		} else if (opt == 'o') {
			o->output = optarg;
		} else if (opt == 'j') {
			o->json = 1;
		} else if (opt == OPT_NO_INFER_CMRS) {
			o->no_infer_cmrs = 1;
		} else if (opt == OPT_BOOT) {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);

			if (*end || !*optarg || n == 0 || n > 1000000)
				return cli_usage_error(CMD, "--boot takes a boot number from 1 on, not '%s'",
						       optarg);
			o->boot = (unsigned)n;
		} else if (opt == 'h') {
			print_usage(stdout);
			return -1;
		} else if (opt == ':') {
			return cli_usage_error(CMD, "option '%s' needs a value",
					       argv[optind - 1]);
		} else {
			return cli_usage_error(CMD, "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error(CMD, "one log at a time ('%s' is extra)",
				       argv[optind + 1]);
	o->input = optind < argc ? argv[optind] : "-";
	if (o->json && cli_output_is_stdout(o->output) && o->output)
		return cli_usage_error(CMD, "--json and -o - both write standard output");
	return CLI_EXIT_OK;
}

/* "logs/emr.txt" -> "emr"; standard input -> "imported". */
/* A file name made fit to be a fixture name (letters, digits, '-', '_',
 * '.', starting with a letter or digit): anything else becomes '-'. */
static char *
fixture_name_from(const char *base, size_t len)
{
	char *name = strndup(base, len);

	if (!name)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' ||
			  (i > 0 && (c == '-' || c == '.'));

		if (!ok)
			name[i] = i == 0 ? 'x' : '-';
	}
	return name;
}

static char *
default_name(const char *input)
{
	const char *base, *dot;

	if (strcmp(input, "-") == 0)
		return strdup("imported");
	base = strrchr(input, '/');
	base = base ? base + 1 : input;
	dot = strrchr(base, '.');
	if (!dot || dot == base)
		dot = base + strlen(base);
	if (dot == base)
		return strdup("imported");
	return fixture_name_from(base, (size_t)(dot - base));
}

/* The option that sets an info key, for messages. */
static const char *
info_option(int key)
{
	for (size_t i = 0; long_options[i].name; i++) {
		if (option_info_key(long_options[i].val) == key)
			return long_options[i].name;
	}
	return "?";
}

/* Why set_info refused an option's value; the platform layer refuses only
 * names of the wrong form and text that is not UTF-8. */
static void
report_option(int key, const char *value)
{
	if (key == TDXSIM_INFO_NAME)
		fprintf(stderr,
			"tdxsim " CMD ": --name '%s': a name may contain only letters, digits, '-', '_' and '.', and starts with a letter or digit\n",
			value);
	else
		fprintf(stderr, "tdxsim " CMD ": --%s: the value is not well-formed UTF-8\n",
			info_option(key));
}

/* The options override what the log said. Returns 0, -ENOMEM, or
 * -EINVAL after printing why. */
static int
apply_options(struct tdxsim_platform *p, const struct import_options *o)
{
	char *name = NULL;
	int ret = 0;

	if (!o->info[TDXSIM_INFO_NAME]) {
		name = default_name(o->input);
		if (!name)
			return -ENOMEM;
		ret = tdxsim_platform_set_info(p, TDXSIM_INFO_NAME, name);
		free(name);
	}
	for (int key = 0; key < TDXSIM_INFO_COUNT && ret == 0; key++) {
		if (o->info[key])
			ret = tdxsim_platform_set_info(p, (enum tdxsim_info)key,
						       o->info[key]);
		if (ret == -EINVAL)
			report_option(key, o->info[key]);
	}
	return ret;
}

/* The fixture as text. NULL when out of memory. */
static char *
render(const struct tdxsim_platform *p, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	int ret;

	if (!f)
		return NULL;
	ret = tdxsim_platform_write(p, f);
	if (fclose(f) != 0 || ret < 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* What is written must load: within the loaders' size bound (short hex
 * in a log grows to 16 digits in a fixture, so a log under the bound can
 * still give a fixture over it) and accepted by the loader itself. */
static int
loads_back(const char *text, size_t len, const char *label)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *p = NULL;
	char size[32];
	int ret;

	if (!diag)
		return -ENOMEM;
	if (len > TDXSIM_FIXTURE_MAX_BYTES) {
		fprintf(stderr,
			"tdxsim " CMD ": %s: the fixture would be %s, over the %u MiB a fixture may be; nothing written\n",
			label, cli_format_size(len, size, sizeof(size)),
			TDXSIM_FIXTURE_MAX_BYTES >> 20);
		ret = -EFBIG;
	} else {
		ret = tdxsim_platform_load_buffer(label, text, len, &p, diag);
		if (ret < 0) {
			cli_print_diag(diag);
			fprintf(stderr, "tdxsim " CMD ": %s: the written fixture would not load (a bug: please report it); nothing written\n",
				label);
		}
	}
	tdxsim_platform_free(p);
	tdxsim_diag_free(diag);
	return ret;
}

/* Render, check, then write through sim/output.h: a fixture already at
 * path survives any failure. */
static int
write_fixture(const struct tdxsim_platform *p, const char *path,
	      const char *label)
{
	struct cli_output out;
	size_t len = 0;
	char *text = render(p, &len);
	int ret;

	if (!text) {
		fprintf(stderr, "tdxsim " CMD ": out of memory\n");
		return CLI_EXIT_USAGE;
	}
	if (loads_back(text, len, label) < 0) {
		free(text);
		return CLI_EXIT_USAGE;
	}
	ret = cli_output_open(&out, CMD, path);
	if (ret == CLI_EXIT_OK) {
		errno = 0;
		ret = fwrite(text, 1, len, out.f) == len ? 0
			: (errno ? -errno : -EIO);
		ret = cli_output_close(&out, ret);
	}
	free(text);
	return ret;
}

/* Upstream kernels print no CMRs: without them every strategy would fail
 * at the module for a reason the machine does not have. Infer them, and
 * say so; the fixture records it (cmrs-inferred). */
static int
infer_cmrs(struct tdxsim_platform *p, const char *label, const struct import_options *o)
{
	int n;

	if (o->no_infer_cmrs || tdxsim_platform_cmr_count(p) > 0)
		return 0;
	n = cli_infer_cmrs(p, label);
	if (n <= 0)
		return n;
	fprintf(stderr, "%s: warning: no CMR lines in the log: %d CMR%s inferred from the E820 RAM "
		"(cmrs-inferred; --no-infer-cmrs for none)\n", label, n, n == 1 ? "" : "s");
	return 0;
}

/* --json: the platform and what the importer said about the log. */
static void
print_json(const struct tdxsim_platform *p, struct tdxsim_diag *diag)
{
	struct cli_json j;

	cli_json_begin(&j, stdout);
	cli_json_platform(&j, p);
	cli_json_diag(&j, "diagnostics", diag);
	cli_json_finish(&j);
}

/* Import, validate, write; diagnostics go to stderr as they are. */
static int
convert(const char *label, const char *text, size_t len,
	const struct import_options *o, struct tdxsim_diag *diag)
{
	struct tdxsim_platform *p = NULL;
	bool told = false;	/* the failure has been explained */
	int ret;

	ret = tdxsim_dmesg_import_boot(label, text, len, o->boot, &p, diag);
	if (ret == 0) {
		ret = apply_options(p, o);
		told = ret == -EINVAL;
	}
	if (ret == 0)
		ret = infer_cmrs(p, label, o);
	if (ret == 0)
		cli_note_defaults(label, p);
	if (ret == 0)
		ret = tdxsim_platform_validate(p, diag);
	cli_print_diag(diag);
	if (ret == 0 && o->json) {
		ret = o->output ? write_fixture(p, o->output, label) : CLI_EXIT_OK;
		if (ret == CLI_EXIT_OK)
			print_json(p, diag);
	} else if (ret == 0) {
		ret = write_fixture(p, o->output, label);
	} else {
		if (!told && tdxsim_diag_error_count(diag) == 0)
			fprintf(stderr, "%s: %s\n", label, strerror(-ret));
		ret = CLI_EXIT_USAGE;
	}
	tdxsim_platform_free(p);
	return ret;
}

int
cmd_import_dmesg(int argc, char **argv)
{
	struct import_options o = { .input = NULL };
	struct tdxsim_diag *diag;
	const char *label;
	char *text;
	size_t len;
	int ret;

	ret = parse_options(argc, argv, &o);
	if (ret != CLI_EXIT_OK)
		return ret < 0 ? CLI_EXIT_OK : ret;
	label = strcmp(o.input, "-") == 0 ? "<stdin>" : o.input;
	ret = cli_read_input(o.input, TDXSIM_FIXTURE_MAX_BYTES, &text, &len);
	if (ret == -EFBIG) {
		fprintf(stderr, "tdxsim " CMD ": %s: larger than %u MiB, the most a kernel log (and a fixture) may be; nothing read past it\n",
			label, TDXSIM_FIXTURE_MAX_BYTES >> 20);
		return CLI_EXIT_USAGE;
	}
	if (ret < 0) {
		fprintf(stderr, "tdxsim " CMD ": %s: %s\n", label, strerror(-ret));
		return CLI_EXIT_USAGE;
	}
	diag = tdxsim_diag_new();
	if (!diag) {
		free(text);
		fprintf(stderr, "tdxsim " CMD ": out of memory\n");
		return CLI_EXIT_USAGE;
	}
	ret = convert(label, text, len, &o, diag);
	tdxsim_diag_free(diag);
	free(text);
	return ret;
}
