/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of sim/json.c, the writer every command's --json output is
 * made of: commas, nesting, the two layouts, escaping, and the document
 * parsed back by a strict reader (python's json module in the cli tests;
 * here the exact bytes).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "json.h"

struct capture {
	char *text;
	size_t len;
	FILE *f;
};

static struct cli_json
start(struct capture *c)
{
	struct cli_json j;

	c->f = open_memstream(&c->text, &c->len);
	assert_non_null(c->f);
	cli_json_begin(&j, c->f);
	return j;
}

static void
expect(struct capture *c, const char *want)
{
	assert_int_equal(fclose(c->f), 0);
	assert_string_equal(c->text, want);
	free(c->text);
}

static void
test_empty_document(void **state)
{
	(void)state;
	struct capture c;
	struct cli_json j = start(&c);

	cli_json_finish(&j);
	expect(&c, "{}\n");
}

static void
test_block_members_one_per_line(void **state)
{
	(void)state;
	struct capture c;
	struct cli_json j = start(&c);

	cli_json_str(&j, "name", "emr");
	cli_json_u64(&j, "count", 3);
	cli_json_i64(&j, "errno", -28);
	cli_json_bool(&j, "ok", false);
	cli_json_null(&j, "status");
	cli_json_str(&j, "missing", NULL);
	cli_json_finish(&j);
	expect(&c, "{\n  \"name\": \"emr\",\n  \"count\": 3,\n  \"errno\": -28,\n"
		   "  \"ok\": false,\n  \"status\": null,\n  \"missing\": null\n}\n");
}

static void
test_inline_objects_in_block_array(void **state)
{
	(void)state;
	struct capture c;
	struct cli_json j = start(&c);

	cli_json_array(&j, "ranges", CLI_JSON_BLOCK);
	for (uint64_t i = 0; i < 2; i++) {
		cli_json_object(&j, NULL, CLI_JSON_INLINE);
		cli_json_range_members(&j, i << 32, 0x1000);
		cli_json_end(&j);
	}
	cli_json_end(&j);
	cli_json_array(&j, "none", CLI_JSON_BLOCK);
	cli_json_end(&j);
	cli_json_finish(&j);
	expect(&c, "{\n  \"ranges\": [\n"
		   "    {\"base\": \"0x0\", \"end\": \"0x1000\", \"size\": 4096},\n"
		   "    {\"base\": \"0x100000000\", \"end\": \"0x100001000\", \"size\": 4096}\n"
		   "  ],\n  \"none\": []\n}\n");
}

/* A BLOCK container opened inside an INLINE one stays on the line. */
static void
test_inline_wins_when_nested(void **state)
{
	(void)state;
	struct capture c;
	struct cli_json j = start(&c);

	cli_json_object(&j, "outer", CLI_JSON_INLINE);
	cli_json_array(&j, "inner", CLI_JSON_BLOCK);
	cli_json_hex(&j, NULL, UINT64_MAX);
	cli_json_u64(&j, NULL, UINT64_MAX);
	cli_json_finish(&j);
	expect(&c, "{\n  \"outer\": {\"inner\": [\"0xffffffffffffffff\", 18446744073709551615]}\n}\n");
}

static void
test_strings_escaped(void **state)
{
	(void)state;
	struct capture c;
	struct cli_json j = start(&c);

	cli_json_str(&j, "k\"ey", "a\\b\n\t\x01\x7f\xc3\xa9");
	cli_json_finish(&j);
	expect(&c, "{\n  \"k\\\"ey\": \"a\\\\b\\n\\t\\u0001\\u007f\xc3\xa9\"\n}\n");
}

/* A line of JSON lines: everything inline, one newline at the end. */
static void
test_one_line_document(void **state)
{
	(void)state;
	struct capture c;
	struct cli_json j;

	c.f = open_memstream(&c.text, &c.len);
	assert_non_null(c.f);
	cli_json_begin_line(&j, c.f);
	cli_json_u64(&j, "case", 0);
	cli_json_object(&j, "regs", CLI_JSON_BLOCK);
	cli_json_hex(&j, "rax", 0x11);
	cli_json_end(&j);
	cli_json_str_n(&j, "reason", "MMIO emulated.\0x", 14);
	cli_json_finish(&j);
	expect(&c, "{\"case\": 0, \"regs\": {\"rax\": \"0x11\"}, \"reason\": \"MMIO emulated.\"}\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_document),
		cmocka_unit_test(test_block_members_one_per_line),
		cmocka_unit_test(test_inline_objects_in_block_array),
		cmocka_unit_test(test_inline_wins_when_nested),
		cmocka_unit_test(test_strings_escaped),
		cmocka_unit_test(test_one_line_document),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
