/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the status decoder (lib/module/status.c): every status
 * word users pasted in bug reports (each test case names its issue) is
 * explained correctly; the TDMR/PAMT detail bytes of TDH.SYS.CONFIG's
 * failures (intel/tdx-module tdh_sys_config.c) decode to the right indexes; and every constant in include/tdxsim/status.h
 * (read from the source tree, so new ones are covered) has a name that
 * round-trips.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <tdxsim/status.h>

#include "test-common.h"

#define MAX_WANT 6
#define NO_LEAF (-1)

/* One status word, the leaf it came from and what its paragraph must say. */
struct case_ {
	uint64_t status;
	int leaf;
	const char *name;              /* NULL: the code is unknown */
	const char *want[MAX_WANT];    /* substrings, NULL-terminated */
	const char *absent;            /* a substring that must not appear */
};

/* The paragraph of status, which always fits TDXSIM_STATUS_DESCRIBE_MAX. */
static const char *
describe(uint64_t status, int leaf, char text[TDXSIM_STATUS_DESCRIBE_MAX])
{
	int len = tdxsim_status_describe_r(status, leaf, text,
					   TDXSIM_STATUS_DESCRIBE_MAX);

	assert_true(len > 0);
	assert_true(len < TDXSIM_STATUS_DESCRIBE_MAX);
	assert_int_equal(strlen(text), len);
	return text;
}

static void
check_case(const struct case_ *c)
{
	char buf[TDXSIM_STATUS_DESCRIBE_MAX];
	const char *text = describe(c->status, c->leaf, buf);
	bool ok = true;

	for (size_t i = 0; ok && i < MAX_WANT && c->want[i]; i++) {
		if (!strstr(text, c->want[i])) {
			print_message("missing \"%s\"\n", c->want[i]);
			ok = false;
		}
	}
	if (ok && c->absent && strstr(text, c->absent)) {
		print_message("unexpected \"%s\"\n", c->absent);
		ok = false;
	}
	if (!ok)
		print_message("for 0x%016" PRIx64 " leaf %d:\n%s\n", c->status,
			      c->leaf, text);
	assert_true(ok);
	tdxsim_test_assert_same_string("name", tdxsim_status_name(c->status), c->name);
}

static void
check_cases(const struct case_ *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_case(&cases[i]);
}

#define CHECK_CASES(...) do { \
	const struct case_ cases_[] = { __VA_ARGS__ }; \
	check_cases(cases_, sizeof(cases_) / sizeof(cases_[0])); \
} while (0)

/* Words users pasted in public reports, with the issue each came from. */
static void
test_user_reports(void **state)
{
	(void)state;
	CHECK_CASES(
		/* canonical/tdx #331, #83: a 1.0 module and a 1.5-era kernel. */
		{ 0xc000050500000000ULL, 34, "TDX_SYS_NOT_READY",
		  { "0xc000050500000000: TDX_SYS_NOT_READY: ", "TDH.SYS.RD (leaf 34)",
		    "non-recoverable error", "Class: 0x05 system (module) state",
		    "Likely cause: module too old for this kernel", "canonical/tdx #331" }, NULL },
		/* canonical/tdx #161: old BIOS. */
		{ 0xc000090000000000ULL, 33, "TDX_INCORRECT_CPUID_VALUE",
		  { "TDH.SYS.INIT (leaf 33)", "Class: 0x09 platform configuration",
		    "RCX (leaf in bits 31:0, subleaf in 63:32)",
		    "Likely cause: platform firmware (BIOS)",
		    NULL }, NULL },
		/* canonical/tdx #25. */
		{ 0xc000092100000122ULL, 33, "TDX_INCORRECT_MSR_VALUE",
		  { "MSR 0x122 (IA32_TSX_CTRL)", "BIOS TSX setting", "TDH.SYS.INIT (leaf 33)",
		    NULL }, NULL },
		/* intel/confidential-computing.tdx.tdx-module #24 (TDH.MNG.INIT). */
		{ 0xc000010000000045ULL, 21, "TDX_OPERAND_INVALID",
		  { "operand CPUID_CONFIG (0x45)", "TDH.MNG.INIT (leaf 21)", NULL }, NULL },
		{ 0xc000010000000045ULL, NO_LEAF, "TDX_OPERAND_INVALID",
		  { "operand CPUID_CONFIG (0x45)", NULL }, "SEAMCALL:" },
		/* canonical/tdx #153. */
		{ 0xc000030000000001ULL, 28, "TDX_PAGE_METADATA_INCORRECT",
		  { "TDH.PHYMEM.PAGE.RECLAIM (leaf 28)", "Details: operand RCX (0x1).",
		    "reclaiming a page twice", NULL }, NULL },
		/* canonical/tdx #100. */
		{ 0xC0000B0800000000ULL, NO_LEAF, "TDX_TLB_TRACKING_NOT_DONE",
		  { "Class: 0x0B Secure EPT", NULL }, NULL },
	);
}

/* Detail bytes of TDH.SYS.CONFIG failures (tdh_sys_config.c's
 * check_and_set_tdmrs() and its callees). */
static void
test_tdmr_config(void **state)
{
	(void)state;
	CHECK_CASES(
		{ 0xC0000A2100000203ULL, 45, "TDX_NON_ORDERED_RESERVED_IN_TDMR",
		  { "Details: reserved area 2 of TDMR 3.", "TDH.SYS.CONFIG (leaf 45)",
		    "Likely cause: a host kernel bug in the TDMR/PAMT layout", NULL }, NULL },
		{ 0xC0000A2000000105ULL, 45, "TDX_INVALID_RESERVED_IN_TDMR",
		  { "Details: reserved area 1 of TDMR 5.", NULL }, "empty slot" },
		/* O1/O3: TDMR 0's 2M PAMT against TDMR 2 (or O4 swapped). */
		{ 0xC0000A1200020100ULL, 45, "TDX_PAMT_OVERLAP",
		  { "Details: TDMR 0, PAMT level 1 (2M), TDMR 2: the 2M PAMT of TDMR 0 overlaps "
		    "a PAMT of TDMR 2 or a part of TDMR 2 not covered by reserved areas.",
		    "entry that failed is 2", NULL }, NULL },
		{ 0xC0000A1200000201ULL, 45, "TDX_PAMT_OVERLAP",
		  { "TDMR 1, PAMT level 2 (1G), TDMR 0", "entry that failed is 1", NULL }, NULL },
		/* O2: two PAMTs of the same TDMR. */
		{ 0xC0000A1200030003ULL, 45, "TDX_PAMT_OVERLAP",
		  { "TDMR 3, PAMT level 0 (4K), TDMR 3", "another PAMT of TDMR 3", NULL }, NULL },
		{ 0xC0000A1000000102ULL, 45, "TDX_INVALID_PAMT",
		  { "Details: TDMR 2, PAMT level 1: the 2M PAMT of TDMR 2.", NULL }, NULL },
		{ 0xC0000A1100000004ULL, 45, "TDX_PAMT_OUTSIDE_CMRS",
		  { "the 4K PAMT of TDMR 4", NULL }, NULL },
		{ 0xC0000A0000000007ULL, 45, "TDX_INVALID_TDMR",
		  { "Details: TDMR index 7.", NULL }, NULL },
		{ 0xC0000A0100000001ULL, 45, "TDX_NON_ORDERED_TDMR",
		  { "Details: TDMR index 1.", NULL }, NULL },
		{ 0xC0000A0200000003ULL, 45, "TDX_TDMR_OUTSIDE_CMRS",
		  { "Details: TDMR index 3.", "host kernel bug", NULL }, NULL },
		{ 0xC0000A0000000107ULL, 45, "TDX_INVALID_TDMR",
		  { "TDMR index 7.", "Bits 31:8 are 0x1", NULL }, NULL },
	);
}

/* Firmware-class words: CMRs, SMRRs, MSRs, CPUID. */
static void
test_platform_config(void **state)
{
	(void)state;
	CHECK_CASES(
		{ TDXSIM_TDX_CMR_LIST_INVALID, 33, "TDX_CMR_LIST_INVALID",
		  { "Likely cause: firmware", "BIOS", NULL }, "kernel bug" },
		{ 0xC000091200000201ULL, 33, "TDX_SMRR_OVERLAPS_CMR",
		  { "Details: SMRR2 (SMRR index 1) overlaps CMR 2.", "BIOS", NULL }, NULL },
		{ 0xC000091000000000ULL, 33, "TDX_SMRR_NOT_LOCKED",
		  { "Details: SMRR index 0 (SMRR).", NULL }, NULL },
		{ 0xC0000920000000FEULL, 35, "TDX_INCONSISTENT_MSR",
		  { "MSR 0xFE (IA32_MTRRCAP)", "TDH.SYS.LP.INIT (leaf 35)", "differs between CPUs",
		    NULL }, NULL },
		{ 0xC000092100000087ULL, 33, "TDX_INCORRECT_MSR_VALUE",
		  { "MSR 0x87 (IA32_MKTME_KEYID_PARTITIONING)", "KeyID split", NULL }, NULL },
		{ 0xC000092100000982ULL, 33, "TDX_INCORRECT_MSR_VALUE",
		  { "MSR 0x982 (IA32_TME_ACTIVATE)", NULL }, NULL },
		{ 0xC0000920000001F2ULL, 35, "TDX_INCONSISTENT_MSR",
		  { "MSR 0x1F2 (IA32_SMRR_PHYSBASE)", NULL }, NULL },
		{ 0xC0000920000001F3ULL, 35, "TDX_INCONSISTENT_MSR",
		  { "MSR 0x1F3 (IA32_SMRR_PHYSMASK)", NULL }, NULL },
		{ 0xC000092100001234ULL, 33, "TDX_INCORRECT_MSR_VALUE",
		  { "MSR 0x1234 (not a well-known MSR)", NULL }, NULL },
		{ 0xC000090800000015ULL, 33, "TDX_CPUID_LEAF_NOT_SUPPORTED",
		  { "Details: CPUID leaf 0x15", NULL }, NULL },
		{ 0xC000090200000000ULL, 35, "TDX_INCONSISTENT_CPUID_FIELD",
		  { "returns it in RCX", "differs between CPUs", NULL }, NULL },
		{ 0xC000082500000000ULL | 2048, 33, "TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED",
		  { "HKIDs below 2048", "KeyID", NULL }, NULL },
	);
}

/* Statuses that are not errors, and the module state machine. */
static void
test_success_and_state(void **state)
{
	(void)state;
	CHECK_CASES(
		{ 0, NO_LEAF, "TDX_SUCCESS",
		  { "0x0000000000000000: TDX_SUCCESS: the SEAMCALL succeeded.",
		    "Severity: success.", NULL }, "Likely cause" },
		{ TDXSIM_TDX_KEY_CONFIGURED, 31, "TDX_KEY_CONFIGURED",
		  { "TDH.SYS.KEY.CONFIG (leaf 31)", "Severity: not an error",
		    "Linux treats it as success", NULL }, "63 ERROR" },
		{ TDXSIM_TDX_TDMR_ALREADY_INITIALIZED, 36, "TDX_TDMR_ALREADY_INITIALIZED",
		  { "not an error", "stop calling TDH.SYS.TDMR.INIT", NULL }, "63 ERROR" },
		{ TDXSIM_TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT, 34,
		  "TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT", { "not an error", NULL }, NULL },
		{ TDXSIM_TDX_SYS_NOT_READY, 36, "TDX_SYS_NOT_READY",
		  { "TDH.SYS.TDMR.INIT (leaf 36)", "calls out of order", NULL }, "too old" },
		{ TDXSIM_TDX_SYS_NOT_READY, 37, "TDX_SYS_NOT_READY",
		  { "TDH.SYS.RDALL exists from TDX module 1.5", NULL }, NULL },
		{ TDXSIM_TDX_SYS_NOT_READY, NO_LEAF, "TDX_SYS_NOT_READY",
		  { "before initialization finished", "too old for this kernel", NULL }, NULL },
		{ TDXSIM_TDX_SYS_INIT_NOT_PENDING, 33, "TDX_SYS_INIT_NOT_PENDING",
		  { "out of order or repeated", NULL }, NULL },
		{ TDXSIM_TDX_SYS_CONFIG_NOT_PENDING, 45, "TDX_SYS_CONFIG_NOT_PENDING",
		  { "not every LP did LP.INIT", NULL }, NULL },
		{ 0x00000A0300000000ULL, 0x10024, "TDX_TDMR_ALREADY_INITIALIZED",
		  { "TDH.SYS.TDMR.INIT (leaf 36, version 1)", NULL }, NULL },
		{ 0, 200, "TDX_SUCCESS",
		  { "SEAMCALL: leaf 200 (not a TDX module 1.5 leaf).", NULL }, NULL },
	);
}

/* Recoverable codes say "retry"; operands of busy codes are named. */
static void
test_recoverable(void **state)
{
	(void)state;
	CHECK_CASES(
		{ 0x80000200000000BBULL, 31, "TDX_OPERAND_BUSY",
		  { "Details: operand KET (0xBB).", "Severity: recoverable error", "retry", NULL },
		  "62 NON_RECOVERABLE" },
		{ 0x8000020000000001ULL, 36, "TDX_OPERAND_BUSY",
		  { "operand RCX (0x1)", "retry", NULL }, NULL },
		{ TDXSIM_TDX_SYS_BUSY, 45, "TDX_SYS_BUSY", { "retry", NULL }, NULL },
		{ TDXSIM_TDX_RND_NO_ENTROPY, 33, "TDX_RND_NO_ENTROPY",
		  { "ran out of entropy", "retry", NULL }, NULL },
		{ TDXSIM_TDX_KEY_GENERATION_FAILED, 31, "TDX_KEY_GENERATION_FAILED",
		  { "retry", NULL }, NULL },
		{ 0xC000010000000000ULL, NO_LEAF, "TDX_OPERAND_INVALID",
		  { "Details: operand RAX (0x0).", NULL }, NULL },
		{ 0xC0000100000000FFULL, NO_LEAF, "TDX_OPERAND_INVALID",
		  { "operand id 0xFF (unknown)", NULL }, NULL },
	);
}

/* Linux's software codes: the SEAMCALL never reached a module. */
static void
test_software_errors(void **state)
{
	(void)state;
	CHECK_CASES(
		{ TDXSIM_TDX_SEAMCALL_VMFAILINVALID, 33, "TDX_SEAMCALL_VMFAILINVALID",
		  { "0x8000ff00ffff0000: TDX_SEAMCALL_VMFAILINVALID", "no TDX module is loaded",
		    "Class: 0xFF Linux software error", "TDH.SYS.INIT (leaf 33)", NULL }, NULL },
		{ TDXSIM_TDX_SEAMCALL_GP, NO_LEAF, "TDX_SEAMCALL_GP",
		  { "raised #GP", "TDX is not enabled by the BIOS", NULL }, NULL },
		{ TDXSIM_TDX_SEAMCALL_UD, NO_LEAF, "TDX_SEAMCALL_UD",
		  { "raised #UD", "not in VMX operation", NULL }, NULL },
		/* Another class-0xFF word is not invented a name. */
		{ 0x8000FF0000000005ULL, NO_LEAF, NULL,
		  { "unknown status code 0x8000FF00", "Class: 0xFF Linux software error", NULL },
		  NULL },
	);
}

/* Words outside the tables still get their bits decoded. */
static void
test_unknown_and_variants(void **state)
{
	(void)state;
	CHECK_CASES(
		{ 0xC0007F0000000042ULL, NO_LEAF, NULL,
		  { "unknown status code 0xC0007F00 (not in the TDX module 1.5 tables)",
		    "Severity: non-recoverable error", "(bits: 63 ERROR, 62 NON_RECOVERABLE)",
		    "Class: 0x7F (unknown class)", "details (bits 31:0) 0x00000042", NULL }, NULL },
		{ 0x0000050000000000ULL, NO_LEAF, NULL,
		  { "unknown status code", "not an error", NULL }, NULL },
		{ 0x8000000000000000ULL, NO_LEAF, NULL, { "recoverable error", NULL }, NULL },
		/* Linux tdx_errno.h spells TDX_NON_RECOVERABLE_TD without FATAL. */
		{ 0x4000000200000000ULL, NO_LEAF, "TDX_NON_RECOVERABLE_TD",
		  { "Module 1.5 spells it 0x6000000200000000; the flag bits differ.",
		    "can no longer run", NULL }, "FATAL" },
		{ 0x6000000200000000ULL, NO_LEAF, "TDX_NON_RECOVERABLE_TD",
		  { "61 FATAL", "FATAL: the TD (or the module) is unusable.", NULL }, "spells it" },
		{ 0xC123050500000000ULL, NO_LEAF, "TDX_SYS_NOT_READY",
		  { "Reserved bits 59:48 are set (0x123)", "flag bits differ", NULL }, NULL },
		{ 0xC000070400000001ULL, NO_LEAF, "TDX_NO_VALID_VE_INFO",
		  { "Details: 0x00000001 (as an operand id: RCX).", NULL }, NULL },
		{ 0x8000020000000000ULL | 0x12345678, NO_LEAF, "TDX_OPERAND_BUSY",
		  { "operand id 0x12345678 (unknown)", NULL }, NULL },
	);
}

static void
test_init_leaf_names(void **state)
{
	static const struct {
		unsigned leaf;
		const char *name;
	} leaves[] = {
		{ 28, "TDH.PHYMEM.PAGE.RECLAIM" }, { 31, "TDH.SYS.KEY.CONFIG" },
		{ 32, "TDH.SYS.INFO" }, { 33, "TDH.SYS.INIT" }, { 34, "TDH.SYS.RD" },
		{ 35, "TDH.SYS.LP.INIT" }, { 36, "TDH.SYS.TDMR.INIT" }, { 37, "TDH.SYS.RDALL" },
		{ 44, "TDH.SYS.LP.SHUTDOWN" }, { 45, "TDH.SYS.CONFIG" },
		{ 52, "TDH.SYS.SHUTDOWN" }, { 53, "TDH.SYS.UPDATE" },
		{ 0, "TDH.VP.ENTER" }, { 21, "TDH.MNG.INIT" }, { 96, "TDH.MIG.STREAM.CREATE" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		tdxsim_test_assert_same_string("leaf", tdxsim_seamcall_leaf_name(leaves[i].leaf),
					       leaves[i].name);
	/* Gaps in the 1.5 numbering and out-of-range leaves have no name. */
	assert_null(tdxsim_seamcall_leaf_name(46));
	assert_null(tdxsim_seamcall_leaf_name(50));
	assert_null(tdxsim_seamcall_leaf_name(97));
	assert_null(tdxsim_seamcall_leaf_name(0x10022));
	assert_null(tdxsim_status_name(0x8000000000000000ULL));
}

/* ---- every constant of status.h, read from the source tree ---- */

struct header_counts {
	size_t codes;
	size_t operands;
	size_t leaves;
};

/* "#define TDXSIM_TDX_FOO 0x...ULL" names itself (the one exception is
 * spelled without TDX_ in the module). */
static bool
check_code_line(const char *line)
{
	char suffix[80], want[96], text[TDXSIM_STATUS_DESCRIBE_MAX];
	uint64_t value;

	if (sscanf(line, "#define TDXSIM_TDX_%79s 0x%" SCNx64, suffix, &value) != 2)
		return false;
	snprintf(want, sizeof(want), "%s%s",
		 strcmp(suffix, "TD_VMCS_FIELD_ERROR") == 0 ? "" : "TDX_", suffix);
	tdxsim_test_assert_same_string(line, tdxsim_status_name(value), want);
	describe(value, NO_LEAF, text);
	if (!strstr(text, want))
		print_message("%s\n", text);
	assert_non_null(strstr(text, want));
	/* The longest paragraphs: any leaf, the widest details, reserved
	 * bits set. */
	for (int leaf = 0; leaf < 128; leaf++) {
		describe(value, leaf, text);
		describe(value | 0x0fff0000ffffffffULL, leaf, text);
	}
	describe(value | 0xffffffffu, NO_LEAF, text);
	describe(value | 0x00ff00ffu, TDXSIM_TDH_SYS_CONFIG, text);
	return true;
}

static bool
check_operand_line(const char *line)
{
	char name[80], want[128], text[TDXSIM_STATUS_DESCRIBE_MAX];
	unsigned id;

	if (sscanf(line, "#define TDXSIM_OPERAND_ID_%79s %u", name, &id) != 2)
		return false;
	snprintf(want, sizeof(want), "operand %s (0x%X)", name, id);
	describe(TDXSIM_TDX_OPERAND_INVALID | id, NO_LEAF, text);
	if (!strstr(text, want))
		print_message("want \"%s\" in:\n%s\n", want, text);
	assert_non_null(strstr(text, want));
	return true;
}

static bool
check_leaf_line(const char *line)
{
	char name[80];
	unsigned leaf;

	if (sscanf(line, " TDXSIM_TDH_%79[A-Z0-9_] = %u", name, &leaf) != 2)
		return false;
	for (char *p = name; *p; p++) {
		if (*p == '_')
			*p = '.';
	}
	assert_non_null(tdxsim_seamcall_leaf_name(leaf));
	assert_string_equal(tdxsim_seamcall_leaf_name(leaf) + strlen("TDH."), name);
	return true;
}

static void
check_header_line(const char *line, struct header_counts *n)
{
	if (check_code_line(line))
		n->codes++;
	else if (check_operand_line(line))
		n->operands++;
	else if (check_leaf_line(line))
		n->leaves++;
}

static void
test_header_round_trip(void **state)
{
	char *path = tdxsim_test_source_path("include/tdxsim/status.h");
	struct header_counts n = { 0, 0, 0 };
	size_t len;
	char *text = tdxsim_test_read_file(path, &len);

	(void)state;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		check_header_line(line, &n);
	/* 183 module 1.5 codes + 3 Linux codes, 52 operand ids, 71 leaves
	 * (69 of 1.5 and the Dynamic PAMT pair of 2.0). */
	assert_int_equal(n.codes, 186);
	assert_int_equal(n.operands, 52);
	assert_int_equal(n.leaves, 71);
	free(text);
	free(path);
}

/* The caller's buffer, as snprintf(): the whole length whatever fits, the
 * text cut and terminated, the length alone for (NULL, 0). */
static void
test_describe_buffer(void **state)
{
	const uint64_t status = TDXSIM_TDX_SYS_NOT_READY;
	char full[TDXSIM_STATUS_DESCRIBE_MAX], small[16], one[1] = { 'x' };
	int len = tdxsim_status_describe_r(status, 34, NULL, 0);

	(void)state;
	assert_true(len > (int)sizeof(small));
	assert_int_equal(tdxsim_status_describe_r(status, 34, full, sizeof(full)), len);
	assert_int_equal(strlen(full), len);
	assert_non_null(strstr(full, "TDX_SYS_NOT_READY"));
	assert_int_equal(tdxsim_status_describe_r(status, 34, small, sizeof(small)), len);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_memory_equal(small, full, sizeof(small) - 1);
	assert_int_equal(tdxsim_status_describe_r(status, 34, one, sizeof(one)), len);
	assert_int_equal(one[0], '\0');
	/* A buffer of exactly len + 1 bytes holds it all; len bytes do not. */
	{
		char *exact = malloc((size_t)len + 1);

		assert_non_null(exact);
		assert_int_equal(tdxsim_status_describe_r(status, 34, exact, (size_t)len), len);
		assert_int_equal(strlen(exact), len - 1);
		assert_int_equal(tdxsim_status_describe_r(status, 34, exact, (size_t)len + 1), len);
		assert_string_equal(exact, full);
		free(exact);
	}
	assert_int_equal(tdxsim_status_describe_r(status, 34, NULL, 8), -EINVAL);
}

/* The same constants, at compile time: the header keeps these names. */
static void
test_named_constants(void **state)
{
	(void)state;
	assert_string_equal(tdxsim_status_name(TDXSIM_TDX_SYS_NOT_READY), "TDX_SYS_NOT_READY");
	assert_string_equal(tdxsim_status_name(TDXSIM_TDX_INCORRECT_MSR_VALUE | 0x122),
			    "TDX_INCORRECT_MSR_VALUE");
	assert_string_equal(tdxsim_status_name(TDXSIM_TDX_TD_VMCS_FIELD_ERROR),
			    "TD_VMCS_FIELD_ERROR");
	assert_int_equal(TDXSIM_OPERAND_ID_CPUID_CONFIG, 69);
	assert_int_equal(TDXSIM_OPERAND_ID_WBCACHE, 188);
	assert_int_equal(TDXSIM_TDH_PHYMEM_PAGE_RECLAIM, 28);
	assert_int_equal(TDXSIM_TDH_SYS_UPDATE, 53);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_reports),
		cmocka_unit_test(test_tdmr_config),
		cmocka_unit_test(test_platform_config),
		cmocka_unit_test(test_success_and_state),
		cmocka_unit_test(test_recoverable),
		cmocka_unit_test(test_software_errors),
		cmocka_unit_test(test_unknown_and_variants),
		cmocka_unit_test(test_init_leaf_names),
		cmocka_unit_test(test_header_round_trip),
		cmocka_unit_test(test_named_constants),
		cmocka_unit_test(test_describe_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
