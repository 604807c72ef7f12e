/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "cli.h"
#include "input.h"
#include "json.h"

/* At most max + 1 bytes are read: enough to know the input is too big
 * without reading an endless one (/dev/zero) to its end. */
static int
read_stream(FILE *f, size_t max, char **text, size_t *len)
{
	size_t capacity = 65536, used = 0;
	char *buf = malloc(capacity);

	if (!buf)
		return -ENOMEM;
	errno = 0;
	for (;;) {
		size_t n, room, want;

		if (used > max) {
			free(buf);
			return -EFBIG;
		}
		if (used + 1 >= capacity) {
			char *grown;

			grown = realloc(buf, capacity * 2);
			if (!grown) {
				free(buf);
				return -ENOMEM;
			}
			buf = grown;
			capacity *= 2;
		}
		room = capacity - used - 1;
		want = max + 1 - used;
		n = fread(buf + used, 1, room < want ? room : want, f);
		used += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		int err = errno ? -errno : -EIO;	/* EISDIR for a directory */

		free(buf);
		return err;
	}
	buf[used] = '\0';
	*text = buf;
	*len = used;
	return 0;
}

int
cli_read_input(const char *path, size_t max, char **text, size_t *len)
{
	FILE *f;
	int ret;

	if (strcmp(path, "-") == 0)
		return read_stream(stdin, max, text, len);
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	ret = read_stream(f, max, text, len);
	fclose(f);
	return ret;
}

void
cli_print_diag(struct tdxsim_diag *diag)
{
	tdxsim_diag_sort(diag);
	for (size_t i = 0; i < tdxsim_diag_count(diag); i++)
		fprintf(stderr, "%s\n", tdxsim_diag_message(diag, i));
}

/* The facts a log tells, in the order the notes name them. */
static const enum tdxsim_module_fact told_facts[CLI_DEFAULTS_MAX] = {
	TDXSIM_FACT_VERSION, TDXSIM_FACT_KEYIDS, TDXSIM_FACT_LOGICAL_CPUS,
	TDXSIM_FACT_PACKAGES,
};

static void
default_value(const struct tdxsim_module_profile *m, enum tdxsim_module_fact fact,
	      struct cli_default *d)
{
	d->number = fact == TDXSIM_FACT_LOGICAL_CPUS || fact == TDXSIM_FACT_PACKAGES;
	if (fact == TDXSIM_FACT_VERSION)
		snprintf(d->value, sizeof(d->value), "%u.%u.%02u", m->major, m->minor,
			 m->update == TDXSIM_VERSION_UNKNOWN ? 0 : m->update);
	else if (fact == TDXSIM_FACT_KEYIDS)
		snprintf(d->value, sizeof(d->value), "[%u, %u)",
			 (unsigned)m->keyid_start, (unsigned)m->keyid_end);
	else
		snprintf(d->value, sizeof(d->value), "%u",
			 fact == TDXSIM_FACT_PACKAGES ? m->nr_packages : m->nr_lps);
}

size_t
cli_defaults(const struct tdxsim_platform *p, struct cli_default out[CLI_DEFAULTS_MAX])
{
	const struct tdxsim_module_profile *m = tdxsim_platform_module_profile(p);
	size_t n = 0;

	for (size_t i = 0; m && i < CLI_DEFAULTS_MAX; i++) {
		if (tdxsim_platform_module_fact_given(p, told_facts[i]))
			continue;
		out[n].fact = tdxsim_module_fact_name(told_facts[i]);
		default_value(m, told_facts[i], &out[n]);
		n++;
	}
	return n;
}

/* Say which facts a log tells were not in the input, and the defaults
 * tdxsim uses instead, so no default passes for the machine's own. */
void
cli_note_defaults(const char *name, const struct tdxsim_platform *p)
{
	struct cli_default d[CLI_DEFAULTS_MAX];
	size_t n = cli_defaults(p, d);

	if (n == 0)
		return;
	fprintf(stderr, "%s: note: not in the input, tdxsim's defaults: ", name);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s%s %s", i ? ", " : "", d[i].fact, d[i].value);
	fputc('\n', stderr);
}

void
cli_json_defaults(struct cli_json *j, const struct tdxsim_platform *p)
{
	struct cli_default d[CLI_DEFAULTS_MAX];
	size_t n = cli_defaults(p, d);

	cli_json_object(j, "defaults", CLI_JSON_INLINE);
	for (size_t i = 0; i < n; i++) {
		if (d[i].number)
			cli_json_u64(j, d[i].fact, strtoull(d[i].value, NULL, 10));
		else
			cli_json_str(j, d[i].fact, d[i].value);
	}
	cli_json_end(j);
	cli_json_str(j, "cmrs_inferred", tdxsim_platform_info(p, TDXSIM_INFO_CMRS_INFERRED));
}

void
cli_json_platform_head(struct cli_json *j, const struct tdxsim_platform *p)
{
	cli_json_str(j, "platform", tdxsim_platform_info(p, TDXSIM_INFO_NAME));
	cli_json_defaults(j, p);
}

int
cli_load_platform(const char *path, struct tdxsim_platform **out)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	const char *name = path ? cli_input_name(path) : cli_default_fixture_name;
	char *text = NULL;
	size_t len = 0;
	int ret;

	if (!diag) {
		fprintf(stderr, "tdxsim: out of memory\n");
		return CLI_EXIT_USAGE;
	}
	if (path) {
		/* cli_input_read() says why it failed. */
		if (cli_input_read(path, &text, &len) < 0) {
			tdxsim_diag_free(diag);
			return CLI_EXIT_USAGE;
		}
		ret = cli_platform_from_text(name, text, len, out, diag);
		free(text);
	} else {
		ret = tdxsim_platform_load_buffer(cli_default_fixture_name,
						  cli_default_fixture,
						  cli_default_fixture_size,
						  out, diag);
	}
	cli_print_diag(diag);
	if (ret < 0 && tdxsim_diag_error_count(diag) == 0)
		fprintf(stderr, "%s: %s\n", name, strerror(-ret));
	if (ret == 0)
		cli_note_defaults(name, *out);
	/* Every outcome that involves the module rests on the CMRs. */
	if (ret == 0 && tdxsim_platform_info(*out, TDXSIM_INFO_CMRS_INFERRED))
		fprintf(stderr, "%s: note: the CMRs are not the machine's own: %s\n", name,
			tdxsim_platform_info(*out, TDXSIM_INFO_CMRS_INFERRED));
	tdxsim_diag_free(diag);
	return ret == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list args;

	fprintf(stderr, "tdxsim %s: ", cmd);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, "\nRun 'tdxsim %s --help' for usage.\n", cmd);
	return CLI_EXIT_USAGE;
}

const char *
cli_format_size(unsigned long long bytes, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned unit = 0;
	double value = (double)bytes;

	while (value >= 1024.0 && unit + 1 < sizeof(units) / sizeof(units[0])) {
		value /= 1024.0;
		unit++;
	}
	if (unit == 0 || value == (double)(unsigned long long)value)
		snprintf(buf, size, "%.0f %s", value, units[unit]);
	else
		snprintf(buf, size, "%.2f %s", value, units[unit]);
	return buf;
}

int
cli_for_each_file(const char *cmd, const char *what, int argc, char **argv,
		  void (*usage)(FILE *out), const char *json_key,
		  int (*one)(const char *path, const struct cli_each *each))
{
	static const struct option options[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_each each = { 0, 0, NULL };
	struct cli_json json;
	int status = CLI_EXIT_OK, c, want_json = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+qjh", options, NULL)) != -1) {
		switch (c) {
		case 'q':
			each.quiet = 1;
			break;
		case 'j':
			want_json = 1;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		default:
			return cli_usage_error(cmd, "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(cmd, "no %s given", what);
	if (want_json) {
		each.json = &json;
		cli_json_begin(&json, stdout);
		cli_json_array(&json, json_key, CLI_JSON_BLOCK);
	}
	/* The worst status wins: 2 (unreadable) over 1 (refused) over 0. */
	for (int i = optind; i < argc; i++) {
		if (each.json) {
			cli_json_object(&json, NULL, CLI_JSON_BLOCK);
			cli_json_str(&json, "file", cli_input_name(argv[i]));
		}
		each.first = i == optind;
		int ret = one(argv[i], &each);

		if (each.json) {
			cli_json_i64(&json, "exit_status", ret);
			cli_json_end(&json);
		}
		if (ret > status)
			status = ret;
	}
	if (each.json) {
		cli_json_end(&json);
		cli_json_i64(&json, "exit_status", status);
		cli_json_finish(&json);
	}
	return status;
}

static const char *
severity_name(enum tdxsim_diag_severity s)
{
	return s == TDXSIM_DIAG_WARNING ? "warning" : "error";
}

void
cli_json_diag(struct cli_json *j, const char *key, struct tdxsim_diag *diag)
{
	tdxsim_diag_sort(diag);
	cli_json_array(j, key, CLI_JSON_BLOCK);
	for (size_t i = 0; i < tdxsim_diag_count(diag); i++) {
		cli_json_object(j, NULL, CLI_JSON_INLINE);
		cli_json_u64(j, "line", tdxsim_diag_line(diag, i));
		cli_json_u64(j, "column", tdxsim_diag_column(diag, i));
		cli_json_str(j, "severity", severity_name(tdxsim_diag_severity(diag, i)));
		cli_json_str(j, "message", tdxsim_diag_message(diag, i));
		cli_json_end(j);
	}
	cli_json_end(j);
}

int
cli_parse_kernel(const char *cmd, const char *name, enum tdxsim_kernel *out)
{
	struct tdxsim_suggest suggest;
	const char *best;

	if (tdxsim_kernel_from_name(name, out) == 0)
		return -1;
	tdxsim_suggest_init(&suggest, name, strlen(name));
	for (int k = TDXSIM_KERNEL_DEFAULT + 1; k < TDXSIM_KERNEL_COUNT; k++)
		tdxsim_suggest_try(&suggest, tdxsim_kernel_name((enum tdxsim_kernel)k));
	best = tdxsim_suggest_best(&suggest);
	return cli_usage_error(cmd, "unknown kernel '%s' (6.12, ubuntu-6.8-intel, mainline, mainline-dpamt)%s%s%s",
			       name, best ? "; did you mean '" : "",
			       best ? best : "", best ? "'?" : "");
}

const char *
cli_suggest_strategy(const char *name, bool with_all)
{
	struct tdxsim_suggest suggest;

	tdxsim_suggest_init(&suggest, name, strlen(name));
	for (int s = 0; s < TDXSIM_STRATEGY_COUNT; s++)
		tdxsim_suggest_try(&suggest, tdxsim_strategy_name((enum tdxsim_strategy)s));
	if (with_all)
		tdxsim_suggest_try(&suggest, "all");
	return tdxsim_suggest_best(&suggest);
}

enum tdxsim_kernel
cli_fixture_kernel(const char *cmd, const struct tdxsim_platform *p,
		   enum tdxsim_kernel asked)
{
	const char *release = tdxsim_platform_info(p, TDXSIM_INFO_KERNEL);
	enum tdxsim_kernel kernel = tdxsim_kernel_from_release(release);

	if (asked != TDXSIM_KERNEL_DEFAULT || kernel == TDXSIM_KERNEL_DEFAULT)
		return asked;
	fprintf(stderr, "tdxsim %s: kernel %s, as the fixture's kernel %s (--kernel to choose)\n",
		cmd, tdxsim_kernel_name(kernel), release);
	return kernel;
}
