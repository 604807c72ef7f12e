/* SPDX-License-Identifier: MIT */
/*
 * tdxsim dpamt SCENARIO: Dynamic PAMT over time. Brings a 2.0 module up
 * with Dynamic PAMT (one 1 GiB TDMR per GiB of memory, the PAMT_4K areas
 * as bitmaps), then runs the scenario's steps through the kernel's
 * bookkeeping (tdxsim_dpamt_host_use/release): "use" a 4 KiB page, so its
 * 2 MiB range needs PAMT pages, or "release" it. One line per step: the
 * SEAMCALL the kernel issued and its status, the range's reference count,
 * and the PAMT memory handed to the module (docs/cli.md). Raw steps issue
 * TDH.PHYMEM.PAMT.ADD/REMOVE with the scenario's registers, past the
 * bookkeeping, as a buggy kernel would, and "td-page" marks a 4 KiB page
 * in use as a TD leaf would: so every status word of the two leaves can
 * be driven from a scenario.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "common.h"
#include "module-private.h"
#include "yaml-walk.h"

#define CMD "dpamt"
#define SCENARIO_MAX_SIZE (1u << 20)
#define GIB (1ULL << 30)
#define MAX_GIB 64
/* Where the PAMTs live: a reserved area [0, 8 MiB) of TDMR 0; per TDMR
 * 48 KiB from 2 MiB on (bitmap 32 KiB, PAMT_2M 8 KiB, PAMT_1G 4 KiB). */
#define PAMT_RSVD (8ULL << 20)
#define PAMT_AREA_BASE (2ULL << 20)
#define PAMT_AREA_STRIDE 0xC000ULL
#define BITMAP_SIZE (GIB / 4096 / 8)
#define DPAMT_R8_BIT 0x10000u
#define STATIC_4K_SIZE (GIB / 4096 * 16)

enum step_kind { STEP_USE, STEP_RELEASE, STEP_ADD, STEP_REMOVE, STEP_TD_PAGE,
		 STEP_TD_PAGE_FREE };

static const char *const step_names[] = { "use", "release", "pamt-add", "pamt-remove",
					  "td-page", "td-page-free" };

struct step {
	enum step_kind kind;
	uint64_t pa;		/* the address; RCX of the raw steps */
	uint64_t rdx, r8;	/* pamt-add's other registers */
	unsigned line;
};

struct scenario {
	struct tdxsim_ywalk w;
	unsigned major, minor, update;
	uint64_t gib;
	uint64_t pool_start, pool_end;
	bool static_pamt;	/* dynamic-pamt: false */
	struct step *steps;
	size_t count, capacity;
	struct cli_json *json;	/* --json: the document, else NULL */
};

static void
print_usage(FILE *out)
{
	fprintf(out,
		"Usage: tdxsim dpamt [--json] SCENARIO\n"
		"\n"
		"Bring up a simulated TDX 2.0 module with Dynamic PAMT and run the\n"
		"scenario's steps through the kernel's PAMT bookkeeping:\n"
		"  module: \"2.0.08\"                       # a 2.0 release with Dynamic PAMT\n"
		"  memory-gib: 2                          # CMR [0, 2 GiB), 1 GiB TDMRs\n"
		"  pamt-pool: \"[0x8000000, 0x8400000)\"  # where PAMT pages come from\n"
		"  steps:\n"
		"    - use: 0x40000000                    # a 4 KiB page used by a TD\n"
		"    - release: 0x40000000\n"
		"    - pamt-add: \"0x40000001 0x8000000 0x8001000\"  # raw: RCX RDX R8\n"
		"    - pamt-remove: 0x40000001            # raw: RCX\n"
		"    - td-page: 0x40005000                # a TD leaf's use of the page\n"
		"    - td-page-free: 0x40005000\n"
		"  dynamic-pamt: false                    # static PAMT_4K (memory-gib 1)\n"
		"\n"
		"One line per step: the SEAMCALL issued and its status, the 2 MiB range's\n"
		"reference count, the PAMT memory handed to the module; raw steps go\n"
		"past the kernel's bookkeeping, as a buggy kernel would.\n"
		"\n"
		"  -j, --json    one JSON document: the bring-up, one object per step\n"
		"  -h, --help    show this help\n"
		"\n"
		"Exit status: 0 every step ran, 1 the module could not be brought up,\n"
		"2 usage or input error.\n");
}

/* ---- reading the scenario ---- */

static void
on_module(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
	  const struct tdxsim_ynode *value)
{
	struct scenario *s = w->user;
	char tail;

	(void)key;
	if (!tdxsim_ywalk_want_scalar(w, value, "module"))
		return;
	if (sscanf(value->text, "%u.%u.%u%c", &s->major, &s->minor, &s->update,
		   &tail) != 3 || s->major != 2 || s->minor != 0)
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "'module' must be a 2.0 release like \"2.0.08\" (Dynamic PAMT is a 2.0 feature)");
}

static void
on_memory(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
	  const struct tdxsim_ynode *value)
{
	struct scenario *s = w->user;

	(void)key;
	if (tdxsim_ywalk_get_u64(w, value, "memory-gib", MAX_GIB, &s->gib) &&
	    s->gib == 0)
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "'memory-gib' must be at least 1");
}

static void
on_dynamic(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
	   const struct tdxsim_ynode *value)
{
	struct scenario *s = w->user;

	(void)key;
	if (!tdxsim_ywalk_want_scalar(w, value, "dynamic-pamt"))
		return;
	if (strcmp(value->text, "true") && strcmp(value->text, "false"))
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "'dynamic-pamt' must be true or false");
	s->static_pamt = strcmp(value->text, "false") == 0;
}

static void
on_pool(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
	const struct tdxsim_ynode *value)
{
	struct scenario *s = w->user;
	unsigned long long a, b;
	char tail;

	(void)key;
	if (!tdxsim_ywalk_want_scalar(w, value, "pamt-pool"))
		return;
	if (sscanf(value->text, "[%llx, %llx)%c", &a, &b, &tail) != 2 ||
	    a % 4096 || b % 4096 || b <= a)
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "'pamt-pool' must be a 4 KiB aligned range like \"[0x8000000, 0x8400000)\"");
	s->pool_start = a;
	s->pool_end = b;
}

static void
on_step_addr(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
	     const struct tdxsim_ynode *value)
{
	struct scenario *s = w->user;
	struct step *st = &s->steps[s->count - 1];

	for (size_t k = 0; k < ARRAY_LENGTH(step_names); k++)
		if (tdxsim_ywalk_key_is(key, step_names[k]))
			st->kind = (enum step_kind)k;
	st->line = key->pos.line;
	tdxsim_ywalk_get_u64(w, value, key->text, UINT64_MAX, &st->pa);
}

/* pamt-add: "RCX RDX R8", the registers as given (no checks: the module
 * makes them). */
static void
on_step_add(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
	    const struct tdxsim_ynode *value)
{
	struct scenario *s = w->user;
	struct step *st = &s->steps[s->count - 1];
	unsigned long long rcx, rdx, r8;
	char tail;

	st->kind = STEP_ADD;
	st->line = key->pos.line;
	if (!tdxsim_ywalk_want_scalar(w, value, "pamt-add"))
		return;
	if (sscanf(value->text, "%llx %llx %llx%c", &rcx, &rdx, &r8, &tail) != 3) {
		tdxsim_ywalk_refuse(w, tdxsim_ywalk_text_pos(value),
				    "'pamt-add' is \"RCX RDX R8\": the 2 MiB range with its level, then the two pages");
		return;
	}
	st->pa = rcx;
	st->rdx = rdx;
	st->r8 = r8;
}

static const struct tdxsim_ywalk_rule step_rules[] = {
	{ "use", on_step_addr, false },
	{ "release", on_step_addr, false },
	{ "pamt-add", on_step_add, false },
	{ "pamt-remove", on_step_addr, false },
	{ "td-page", on_step_addr, false },
	{ "td-page-free", on_step_addr, false },
};

static void
on_steps(struct tdxsim_ywalk *w, const struct tdxsim_ynode *key,
	 const struct tdxsim_ynode *value)
{
	struct scenario *s = w->user;

	(void)key;
	if (!tdxsim_ywalk_want_kind(w, value, TDXSIM_YNODE_SEQUENCE, "'steps'"))
		return;
	for (size_t i = 0; i < value->count && w->error != -ENOMEM; i++) {
		const struct tdxsim_ynode *item = value->children[i];
		void *steps = s->steps;

		if (tdxsim_array_reserve(&steps, &s->capacity, s->count + 1,
					 sizeof(*s->steps)) < 0) {
			w->error = -ENOMEM;
			return;
		}
		s->steps = steps;
		s->steps[s->count++] = (struct step){ .kind = STEP_USE, .line = item->pos.line };
		if (!tdxsim_ywalk_want_mapping(w, item, "a step"))
			continue;
		if (item->count != 2)
			tdxsim_ywalk_refuse(w, item->pos,
					    "a step is one of 'use: ADDRESS', 'release: ADDRESS', "
					    "'pamt-add: \"RCX RDX R8\"', 'pamt-remove: RCX', "
					    "'td-page: ADDRESS' or 'td-page-free: ADDRESS'");
		else
			tdxsim_ywalk_mapping(w, item, "a step", step_rules,
					     ARRAY_LENGTH(step_rules));
	}
}

static const struct tdxsim_ywalk_rule scenario_rules[] = {
	{ "module", on_module, false },
	{ "memory-gib", on_memory, false },
	{ "pamt-pool", on_pool, false },
	{ "dynamic-pamt", on_dynamic, false },
	{ "steps", on_steps, true },
};

static int
load_scenario(const char *path, struct scenario *s, struct tdxsim_diag *diag)
{
	char *text = NULL;
	size_t len = 0;
	int ret = tdxsim_ywalk_read_file(path, SCENARIO_MAX_SIZE, &text, &len, diag);

	s->w.diag = diag;
	s->w.name = path;
	s->w.user = s;
	if (ret == 0)
		ret = tdxsim_ydoc_parse(&s->w.doc, path, text, len, diag);
	if (ret == 0 && !s->w.doc.root)
		tdxsim_ywalk_refuse(&s->w, (struct tdxsim_pos){ 1, 1 },
				    "an empty scenario: expected 'steps'");
	else if (ret == 0)
		tdxsim_ywalk_mapping(&s->w, s->w.doc.root, "the scenario",
				     scenario_rules, ARRAY_LENGTH(scenario_rules));
	if (ret == 0 && s->static_pamt && s->gib > 1)
		tdxsim_ywalk_refuse(&s->w, (struct tdxsim_pos){ 1, 1 },
				    "'dynamic-pamt: false' takes 'memory-gib: 1' (one static PAMT fits)");
	tdxsim_ydoc_fini(&s->w.doc);
	free(text);
	return ret < 0 ? ret : s->w.error;
}

/* ---- bringing the module up ---- */

static int
seamcall_ok(struct tdxsim_module *m, unsigned leaf, uint64_t rcx, uint64_t *rdx,
	    struct cli_json *json)
{
	struct tdxsim_regs r = { .rax = leaf, .rcx = rcx };

	if (tdxsim_seamcall(m, 0, &r) < 0 || r.rax != TDXSIM_TDX_SUCCESS) {
		if (json) {
			cli_json_object(json, "failed_call", CLI_JSON_INLINE);
			cli_json_str(json, "leaf", tdxsim_seamcall_leaf_name(leaf));
			cli_json_hex(json, "status", r.rax);
			cli_json_str(json, "name", tdxsim_status_name(r.rax));
			cli_json_end(json);
		} else {
			printf("%s: 0x%016" PRIx64 " %s\n", tdxsim_seamcall_leaf_name(leaf),
			       r.rax, tdxsim_status_name(r.rax) ? tdxsim_status_name(r.rax) : "");
		}
		return -1;
	}
	if (rdx)
		*rdx = r.rdx;
	return 0;
}

/* One 1 GiB TDMR per GiB; every PAMT inside TDMR 0's reserved area. A
 * static PAMT_4K (4 MiB, one TDMR only) fits there too. */
static struct tdxsim_layout *
dpamt_layout(uint64_t gib, bool static_pamt)
{
	struct tdxsim_layout *l = tdxsim_layout_new();
	uint64_t size_4k = static_pamt ? STATIC_4K_SIZE : BITMAP_SIZE;

	for (uint64_t i = 0; l && i < gib; i++) {
		uint64_t p = PAMT_AREA_BASE + i * PAMT_AREA_STRIDE;

		if (tdxsim_layout_add_tdmr(l, i * GIB, GIB) < 0 ||
		    tdxsim_layout_set_pamt(l, i, TDXSIM_PAMT_4K, p, size_4k) < 0 ||
		    tdxsim_layout_set_pamt(l, i, TDXSIM_PAMT_2M, p + size_4k, 0x2000) < 0 ||
		    tdxsim_layout_set_pamt(l, i, TDXSIM_PAMT_1G, p + size_4k + 0x2000,
					   0x1000) < 0 ||
		    (i == 0 && tdxsim_layout_add_reserved(l, 0, 0, PAMT_RSVD) < 0)) {
			tdxsim_layout_free(l);
			return NULL;
		}
	}
	return l;
}

static int
configure(struct tdxsim_module *m, uint64_t gib, bool static_pamt, struct cli_json *json)
{
	struct tdxsim_layout *l = dpamt_layout(gib, static_pamt);
	uint64_t status = 0;
	int ret;

	if (!l)
		return -ENOMEM;
	/* R8: the first private KeyID (32) and bit 16, Dynamic PAMT. */
	ret = tdxsim_module_config_layout(m, 0, l, 32 | (static_pamt ? 0 : DPAMT_R8_BIT),
					  &status);
	tdxsim_layout_free(l);
	if (ret < 0)
		return ret;
	if (json) {
		cli_json_object(json, "config", CLI_JSON_INLINE);
		cli_json_hex(json, "status", status);
		cli_json_str(json, "name", status ? tdxsim_status_name(status) : "TDX_SUCCESS");
		cli_json_u64(json, "tdmrs", gib);
		cli_json_u64(json, "pamt_4k_bytes", static_pamt ? STATIC_4K_SIZE : BITMAP_SIZE);
		cli_json_end(json);
		/* The bring-up stops here: CONFIG is the call that failed. */
		if (status != TDXSIM_TDX_SUCCESS) {
			cli_json_object(json, "failed_call", CLI_JSON_INLINE);
			cli_json_str(json, "leaf", tdxsim_seamcall_leaf_name(TDXSIM_TDH_SYS_CONFIG));
			cli_json_hex(json, "status", status);
			cli_json_str(json, "name", tdxsim_status_name(status));
			cli_json_end(json);
		}
		return status == TDXSIM_TDX_SUCCESS ? 0 : -1;
	}
	printf("TDH.SYS.CONFIG: 0x%016" PRIx64 " %s (%s, %" PRIu64
	       " TDMR(s), PAMT_4K %s%llu KiB each)\n", status,
	       status ? tdxsim_status_name(status) : "TDX_SUCCESS",
	       static_pamt ? "static PAMT" : "Dynamic PAMT", gib,
	       static_pamt ? "" : "bitmap ",
	       (unsigned long long)((static_pamt ? STATIC_4K_SIZE : BITMAP_SIZE) >> 10));
	return status == TDXSIM_TDX_SUCCESS ? 0 : -1;
}

static int
bring_up(const struct scenario *s, struct tdxsim_module **out)
{
	struct tdxsim_platform *p = tdxsim_platform_new();
	struct tdxsim_module_profile prof;
	uint64_t next;
	int ret = -ENOMEM;

	if (!p)
		return -ENOMEM;
	tdxsim_module_profile_init(&prof);
	prof.major = s->major;
	prof.minor = s->minor;
	prof.update = s->update;
	prof.nr_lps = 1;
	prof.nr_packages = 1;
	tdxsim_platform_set_module_profile(p, &prof);
	if (tdxsim_platform_add_cmr(p, 0, s->gib * GIB) == 0)
		ret = tdxsim_module_new(p, NULL, out);
	tdxsim_platform_free(p);
	if (ret < 0)
		return ret;
	if (seamcall_ok(*out, TDXSIM_TDH_SYS_INIT, 0, NULL, s->json) ||
	    seamcall_ok(*out, TDXSIM_TDH_SYS_LP_INIT, 0, NULL, s->json))
		return -1;
	ret = configure(*out, s->gib, s->static_pamt, s->json);
	if (ret != 0 || seamcall_ok(*out, TDXSIM_TDH_SYS_KEY_CONFIG, 0, NULL, s->json))
		return ret < 0 && ret != -1 ? ret : -1;
	for (uint64_t i = 0; i < s->gib; i++)
		do {
			if (seamcall_ok(*out, TDXSIM_TDH_SYS_TDMR_INIT, i * GIB, &next, s->json))
				return -1;
		} while (next < (i + 1) * GIB);
	if (s->json)
		cli_json_null(s->json, "failed_call");
	return 0;
}

/* ---- running the steps ---- */

static const char *
errno_name(int err)
{
	return err == -ENOMEM ? "-ENOMEM" : err == -EIO ? "-EIO" : "0";
}

/* A step as JSON: its kind, line and address, then what it did; the keys
 * a kind does not have are null, so every step has the same keys. */
static void
json_step_open(struct cli_json *j, const struct step *st)
{
	cli_json_object(j, NULL, CLI_JSON_INLINE);
	cli_json_str(j, "step", step_names[st->kind]);
	cli_json_u64(j, "line", st->line);
	cli_json_hex(j, "address", st->pa);
}

static void
json_seamcall(struct cli_json *j, bool issued, unsigned leaf, uint64_t status)
{
	cli_json_str(j, "leaf", issued ? tdxsim_seamcall_leaf_name(leaf) : NULL);
	if (issued) {
		cli_json_hex(j, "status", status);
		cli_json_str(j, "name", status ? tdxsim_status_name(status) : "TDX_SUCCESS");
	} else {
		cli_json_null(j, "status");
		cli_json_null(j, "name");
	}
}

/* The keys of a kernel step (use, release) that others leave null. */
static void
json_kernel_step(struct cli_json *j, const struct tdxsim_dpamt_step *out)
{
	if (out) {
		cli_json_i64(j, "kernel_errno", out->err);
		cli_json_u64(j, "refcount", out->refcount);
		cli_json_u64(j, "pamt_bytes", out->pamt_bytes);
	} else {
		cli_json_null(j, "kernel_errno");
		cli_json_null(j, "refcount");
		cli_json_null(j, "pamt_bytes");
	}
}

static void
json_step(struct cli_json *j, const struct step *st, const struct tdxsim_dpamt_step *out)
{
	json_step_open(j, st);
	json_seamcall(j, out->seamcall, st->kind == STEP_USE ? TDXSIM_TDH_PHYMEM_PAMT_ADD
				       : TDXSIM_TDH_PHYMEM_PAMT_REMOVE, out->status);
	json_kernel_step(j, out);
	cli_json_null(j, "pages");
	cli_json_null(j, "pairs");
	cli_json_null(j, "result");
	cli_json_end(j);
}

static void
print_step(const struct step *st, const struct tdxsim_dpamt_step *out)
{
	printf("%-7s 0x%" PRIx64 ":", st->kind == STEP_USE ? "use" : "release",
	       st->pa);
	if (out->seamcall) {
		const char *name = tdxsim_status_name(out->status);

		printf(" %s 0x%016" PRIx64 " %s,",
		       st->kind == STEP_USE ? "TDH.PHYMEM.PAMT.ADD"
					    : "TDH.PHYMEM.PAMT.REMOVE",
		       out->status, out->status ? (name ? name : "?") : "TDX_SUCCESS");
	}
	if (out->err)
		printf(" kernel %s,", errno_name(out->err));
	printf(" refcount %u, PAMT memory %" PRIu64 " KiB\n", out->refcount,
	       out->pamt_bytes >> 10);
}

static const char *
status_text(uint64_t status)
{
	const char *name = tdxsim_status_name(status);

	return status == TDXSIM_TDX_SUCCESS ? "TDX_SUCCESS" : name ? name : "?";
}

/* A raw PAMT.ADD or PAMT.REMOVE: the module's answer, and on a REMOVE
 * that succeeded the two pages it gives back. */
static int
raw_step(const struct step *st, struct tdxsim_module *m, struct cli_json *json)
{
	bool add = st->kind == STEP_ADD;
	struct tdxsim_regs r = { .rax = add ? TDXSIM_TDH_PHYMEM_PAMT_ADD
					    : TDXSIM_TDH_PHYMEM_PAMT_REMOVE,
				 .rcx = st->pa, .rdx = add ? st->rdx : 0, .r8 = add ? st->r8 : 0 };
	int ret = tdxsim_seamcall(m, 0, &r);

	if (ret < 0)
		return ret;
	if (json) {
		json_step_open(json, st);
		json_seamcall(json, true, (unsigned)(add ? TDXSIM_TDH_PHYMEM_PAMT_ADD
						 : TDXSIM_TDH_PHYMEM_PAMT_REMOVE), r.rax);
		json_kernel_step(json, NULL);
		if (!add && r.rax == TDXSIM_TDX_SUCCESS) {
			cli_json_array(json, "pages", CLI_JSON_INLINE);
			cli_json_hex(json, NULL, r.rdx);
			cli_json_hex(json, NULL, r.r8);
			cli_json_end(json);
		} else {
			cli_json_null(json, "pages");
		}
		cli_json_u64(json, "pairs", tdxsim_module_pamt_pairs(m));
		cli_json_null(json, "result");
		cli_json_end(json);
		return 0;
	}
	if (add)
		printf("pamt-add 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 ":", st->pa, st->rdx,
		       st->r8);
	else
		printf("pamt-remove 0x%" PRIx64 ":", st->pa);
	printf(" %s 0x%016" PRIx64 " %s", add ? "TDH.PHYMEM.PAMT.ADD" : "TDH.PHYMEM.PAMT.REMOVE",
	       r.rax, status_text(r.rax));
	if (!add && r.rax == TDXSIM_TDX_SUCCESS)
		printf(", pages 0x%" PRIx64 " 0x%" PRIx64, r.rdx, r.r8);
	printf(", pairs %zu\n", tdxsim_module_pamt_pairs(m));
	return 0;
}

/* td-page / td-page-free: what a TD leaf would do to the page's own 4 KiB
 * PAMT entry (tdxsim does not model the TD leaves); the module allows it
 * only where the 2 MiB range has its pair. */
static int
td_page_step(const struct step *st, struct tdxsim_module *m, struct cli_json *json)
{
	int ret = tdxsim_dpamt_mark_4k(m, st->pa, st->kind == STEP_TD_PAGE);
	const char *result = ret == -ENOENT ? "refused, the 2 MiB range has no PAMT pages"
		: st->kind == STEP_TD_PAGE ? "4 KiB PAMT entry in use" : "4 KiB PAMT entry free";

	if (ret < 0 && ret != -ENOENT)
		return ret;
	if (!json) {
		printf("%-7s 0x%" PRIx64 ": %s\n", step_names[st->kind], st->pa, result);
		return 0;
	}
	json_step_open(json, st);
	json_seamcall(json, false, 0, 0);
	json_kernel_step(json, NULL);
	cli_json_null(json, "pages");
	cli_json_null(json, "pairs");
	cli_json_str(json, "result", result);
	cli_json_end(json);
	return 0;
}

/* After the steps: what the PAMT took, static or at its peak. */
static void
json_totals(const struct scenario *s, int ret, uint64_t peak)
{
	cli_json_end(s->json);	/* steps */
	if (ret == 0 && !s->static_pamt)
		cli_json_u64(s->json, "peak_pamt_bytes", peak);
	else
		cli_json_null(s->json, "peak_pamt_bytes");
	cli_json_u64(s->json, "static_pamt_4k_bytes", s->gib * (GIB / 4096 * 16));
}

static int
run_steps(const struct scenario *s, struct tdxsim_module *m)
{
	struct tdxsim_dpamt_host *h;
	uint64_t peak = 0;
	int ret = tdxsim_dpamt_host_new(m, 0, s->pool_start, s->pool_end, &h);

	if (s->json)
		cli_json_array(s->json, "steps", CLI_JSON_BLOCK);

	for (size_t i = 0; ret == 0 && i < s->count; i++) {
		const struct step *st = &s->steps[i];
		struct tdxsim_dpamt_step out;

		if (st->kind == STEP_ADD || st->kind == STEP_REMOVE) {
			ret = raw_step(st, m, s->json);
			continue;
		}
		if (st->kind == STEP_TD_PAGE || st->kind == STEP_TD_PAGE_FREE) {
			ret = td_page_step(st, m, s->json);
			continue;
		}
		ret = st->kind == STEP_USE ? tdxsim_dpamt_host_use(h, st->pa, &out)
					   : tdxsim_dpamt_host_release(h, st->pa, &out);
		if (ret == -EINVAL) {
			fprintf(stderr, "tdxsim " CMD ": %s:%u: release of 0x%" PRIx64
				" whose 2 MiB range is not in use\n", s->w.name,
				st->line, st->pa);
			break;
		}
		if (ret != 0)
			break;
		if (s->json)
			json_step(s->json, st, &out);
		else
			print_step(st, &out);
		if (out.pamt_bytes > peak)
			peak = out.pamt_bytes;
	}
	if (s->json)
		json_totals(s, ret, peak);
	else if (ret == 0 && s->static_pamt)
		printf("static PAMT: %" PRIu64 " KiB of PAMT_4K at boot\n",
		       (uint64_t)STATIC_4K_SIZE >> 10);
	else if (ret == 0)
		printf("peak PAMT memory %" PRIu64 " KiB; a static PAMT_4K would take %" PRIu64 " KiB\n",
		       peak >> 10, (uint64_t)(s->gib * (GIB / 4096 * 16)) >> 10);
	tdxsim_dpamt_host_free(h);
	return ret;
}

/* The document's head: the scenario as read. */
static void
json_begin(struct cli_json *j, const char *path, const struct scenario *s)
{
	char version[32];

	snprintf(version, sizeof(version), "%u.%u.%02u", s->major, s->minor, s->update);
	cli_json_begin(j, stdout);
	cli_json_str(j, "scenario", path);
	cli_json_str(j, "module", version);
	cli_json_u64(j, "memory_gib", s->gib);
	cli_json_bool(j, "dynamic_pamt", !s->static_pamt);
}

int
cmd_dpamt(int argc, char **argv)
{
	struct scenario s = { .major = 2, .minor = 0, .update = 8, .gib = 1,
			      .pool_start = 0x8000000, .pool_end = 0x8400000 };
	struct tdxsim_diag *diag;
	struct tdxsim_module *m = NULL;
	struct cli_json j;
	const char *path;
	int ret;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		print_usage(stdout);
		return CLI_EXIT_OK;
	}
	if (argc == 3 && (!strcmp(argv[1], "-j") || !strcmp(argv[1], "--json")))
		s.json = &j;
	path = argv[argc - 1];
	if (argc != (s.json ? 3 : 2) || path[0] == '-')
		return cli_usage_error(CMD, "expected one SCENARIO file (after --json, if given)");
	diag = tdxsim_diag_new();
	if (!diag)
		return CLI_EXIT_USAGE;
	ret = load_scenario(path, &s, diag);
	cli_print_diag(diag);
	tdxsim_diag_free(diag);
	if (ret < 0) {
		free(s.steps);
		return CLI_EXIT_USAGE;
	}
	if (s.json)
		json_begin(&j, path, &s);
	ret = bring_up(&s, &m);
	if (ret == 0)
		ret = run_steps(&s, m) == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	else
		ret = ret == -1 ? CLI_EXIT_FAILURE : CLI_EXIT_USAGE;
	if (s.json) {
		cli_json_i64(&j, "exit_status", ret);
		cli_json_finish(&j);
	}
	tdxsim_module_free(m);
	free(s.steps);
	return ret;
}
