/* SPDX-License-Identifier: MIT */
/*
 * Fuzz TDH.SYS.CONFIG through the SEAMCALL ABI of a simulated module, and
 * its per-entry checks directly (lib/module/sys-config.h).
 *
 * Input (little-endian; missing bytes read as 0):
 *   0      ncmr: CMR slots given = byte % 33
 *   1      ntdmr: TDMRs = 1 + byte % 64
 *   2..3   the global KeyID (R8)
 *   4      bits 2:0 logical CPUs - 1, bits 5:3 packages - 1 (capped to CPUs),
 *          bits 7:6 module version (0: 1.5, 1: 1.0, 2: 2.0, 3: 1.5)
 *   5      reserved slots per TDMR_INFO (0: 16, else min(byte, 64)): the
 *          layout the input's entries are cut by and the profile's
 *          MAX_RESERVED_PER_TDMR; TDH.SYS.CONFIG itself always reads 16
 *          slots (MAX_RESERVED_AREAS, a compile-time constant of the
 *          module, lib/module/module.c), and so do the checks below
 *   6..7   unused (0)
 *   8..    ncmr x {base, size} (16 bytes each), then ntdmr TDMR_INFO entries
 *          of TDXSIM_TDMR_INFO_SIZE(slots) bytes each
 *
 * Invariants (abort() on violation):
 *  - SYS.INIT succeeds iff our own reading of the CMR rules says so; when it
 *    fails, CONFIG is SYS_CONFIG_NOT_PENDING;
 *  - LP.INIT succeeds once on every CPU;
 *  - the CONFIG status is SUCCESS, OPERAND_INVALID(R8) or one of the TDMR /
 *    PAMT / reserved-area codes with detail byte 0 (a TDMR index) < ntdmr,
 *    and equals what tdxsim_sys_config_check_entry() gives entry by entry;
 *  - failure: the state stays SYSINIT_DONE and a retry gives the same status;
 *  - success: SYSCONFIG_DONE; a second CONFIG is SYS_CONFIG_NOT_PENDING;
 *    pages of TDMRs are UNINITIALIZED, others NOT_TDMR; TDMR.INIT before
 *    KEY.CONFIG is SYS_NOT_READY; KEY.CONFIG on every CPU succeeds exactly
 *    once per package and gives READY; TDMR.INIT on each TDMR terminates
 *    within size / 4 MiB + 1 calls (budget permitting) with RDX never going
 *    backwards; then the pages say NDA or RSVD exactly as the reserved areas
 *    say, and a further TDMR.INIT is TDMR_ALREADY_INITIALIZED.
 *
 * No global state: a module is created and freed per input.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tdxsim/module.h>
#include <tdxsim/platform.h>
#include <tdxsim/status.h>

#include "fuzz-time.h"

#include "sys-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HDR 8
#define PA_ARRAY 0x80000ULL
#define ENTRIES 0x100000ULL
#define CHUNK (4ULL << 20)
/* TDMR.INIT calls a single input may spend on full initialisation. */
#define INIT_BUDGET 4096ULL
#define MAX_PA (1ULL << 52)

/* The slots TDH.SYS.CONFIG copies of every entry, whatever the metadata. */
#define CONFIG_RSVD_SLOTS 16
#define CHECK(c) do { if (!(c)) abort(); } while (0)

struct input {
	const uint8_t *d;
	size_t n;
};

static uint8_t
byte_at(const struct input *in, size_t off)
{
	return off < in->n ? in->d[off] : 0;
}

static uint64_t
u64_at(const struct input *in, size_t off)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | byte_at(in, off + (size_t)i);
	return v;
}

static uint64_t
seam(struct tdxsim_module *m, unsigned cpu, struct tdxsim_regs *r)
{
	CHECK(tdxsim_seamcall(m, cpu, r) == 0);
	return r->rax;
}

/* check_cmrs() of intel/tdx-module tdh_sys_init.c, in our own words. */
static bool
cmrs_ok(const struct tdxsim_cmr *c, size_t n, uint64_t hkid_mask)
{
	const struct tdxsim_cmr *prev = NULL;

	for (size_t i = 0; i < n; i++) {
		uint64_t last;

		if (c[i].size == 0)
			continue;
		last = c[i].base + c[i].size - 1;
		if (last >= MAX_PA || (c[i].base & hkid_mask) || (last & hkid_mask))
			return false;
		if ((c[i].base | c[i].size) & 0xFFF)
			return false;
		if (prev && (prev->base > c[i].base ||
			     prev->base + prev->size - 1 >= c[i].base))
			return false;
		prev = &c[i];
	}
	return true;
}

static bool
tdmr_code(uint64_t s)
{
	switch (s & TDXSIM_STATUS_MASK) {
	case TDXSIM_TDX_INVALID_TDMR:
	case TDXSIM_TDX_NON_ORDERED_TDMR:
	case TDXSIM_TDX_TDMR_OUTSIDE_CMRS:
	case TDXSIM_TDX_INVALID_PAMT:
	case TDXSIM_TDX_PAMT_OUTSIDE_CMRS:
	case TDXSIM_TDX_PAMT_OVERLAP:
	case TDXSIM_TDX_INVALID_RESERVED_IN_TDMR:
	case TDXSIM_TDX_NON_ORDERED_RESERVED_IN_TDMR:
		return true;
	default:
		return false;
	}
}

static bool
in_rsvd(const struct tdxsim_tdmr_info *t, unsigned slots, uint64_t pa)
{
	for (unsigned j = 0; j < slots && t->rsvd_size[j]; j++) {
		uint64_t s = t->base + t->rsvd_offset[j];

		if (pa >= s && pa - s < t->rsvd_size[j])
			return true;
	}
	return false;
}

static bool
in_any_tdmr(const struct tdxsim_tdmr_info *e, size_t n, uint64_t pa)
{
	for (size_t i = 0; i < n; i++)
		if (pa >= e[i].base && pa - e[i].base < e[i].size)
			return true;
	return false;
}

/* Pages worth looking at in TDMR t: its ends and its reserved areas' ends. */
static size_t
sample_pages(const struct tdxsim_tdmr_info *t, unsigned slots, uint64_t *pa)
{
	size_t k = 0;

	pa[k++] = t->base;
	pa[k++] = t->base + t->size - 0x1000;
	for (unsigned j = 0; j < slots && t->rsvd_size[j] && k + 4 <= 36; j++) {
		uint64_t s = t->base + t->rsvd_offset[j];
		uint64_t e = s + t->rsvd_size[j];

		pa[k++] = s;
		pa[k++] = s - 0x1000;
		pa[k++] = e - 0x1000;
		pa[k++] = e;
	}
	return k;
}

static void
check_pages(const struct tdxsim_module *m, const struct tdxsim_tdmr_info *e,
	    size_t n, unsigned slots, bool ready, const uint64_t *done)
{
	uint64_t pa[40];

	for (size_t i = 0; i < n; i++) {
		size_t k = sample_pages(&e[i], slots, pa);

		pa[k++] = e[i].base - 0x1000;
		pa[k++] = e[i].base + e[i].size;
		for (size_t p = 0; p < k; p++) {
			enum tdxsim_page_state st = tdxsim_module_page_state(m, pa[p]);
			uint64_t page = pa[p] & ~0xFFFULL;

			if (!in_any_tdmr(e, n, page)) {
				CHECK(st == TDXSIM_PAGE_NOT_TDMR);
				continue;
			}
			if (!(page >= e[i].base && page - e[i].base < e[i].size))
				continue;	/* another TDMR's page: judged there */
			if (!ready || page >= done[i]) {
				CHECK(st == TDXSIM_PAGE_UNINITIALIZED);
				continue;
			}
			CHECK(st == (in_rsvd(&e[i], slots, page) ? TDXSIM_PAGE_RSVD
								  : TDXSIM_PAGE_NDA));
		}
	}
}

static uint64_t
do_config(struct tdxsim_module *m, size_t ntdmr, unsigned keyid)
{
	struct tdxsim_regs r = { .rax = TDXSIM_TDH_SYS_CONFIG, .rcx = PA_ARRAY,
				 .rdx = ntdmr, .r8 = keyid };

	return seam(m, 0, &r);
}

static void
run(const struct input *in)
{
	size_t ncmr = byte_at(in, 0) % 33, ntdmr = 1 + byte_at(in, 1) % 64;
	unsigned keyid = (unsigned)byte_at(in, 2) | (unsigned)byte_at(in, 3) << 8;
	uint8_t b4 = byte_at(in, 4), b5 = byte_at(in, 5);
	unsigned slots = b5 ? (b5 > 64 ? 64 : b5) : 16;
	unsigned stride = (TDXSIM_TDMR_INFO_SIZE(slots) + 511) & ~511u;
	size_t off = HDR + 16 * ncmr;
	struct tdxsim_module_profile prof;
	struct tdxsim_platform *plat;
	struct tdxsim_module *m = NULL;
	struct tdxsim_cmr cmrs[TDXSIM_MAX_CMRS];
	size_t given = 0;
	struct tdxsim_tdmr_info *ent;
	struct tdxsim_config_env env;
	struct tdxsim_regs r;
	uint64_t hkid_mask, expect = TDXSIM_TDX_SUCCESS, s;
	unsigned bits = 0, nlps, npkgs;
	uint8_t buf[TDXSIM_TDMR_INFO_SIZE(TDXSIM_MAX_RESERVED_SLOTS)];

	tdxsim_module_profile_init(&prof);
	nlps = 1 + (b4 & 7);
	npkgs = 1 + ((b4 >> 3) & 7);
	if (npkgs > nlps)
		npkgs = nlps;
	prof.nr_lps = nlps;
	prof.nr_packages = npkgs;
	prof.max_reserved_per_tdmr = slots;
	if ((b4 >> 6) == 1) {
		prof.major = 1;
		prof.minor = 0;
	} else if ((b4 >> 6) == 2) {
		prof.major = 2;
		prof.minor = 0;
	}
	plat = tdxsim_platform_new();
	CHECK(plat);
	tdxsim_platform_set_module_profile(plat, &prof);
	memset(cmrs, 0, sizeof(cmrs));
	for (size_t i = 0; i < ncmr; i++) {
		uint64_t base = u64_at(in, HDR + 16 * i);
		uint64_t sz = u64_at(in, HDR + 16 * i + 8);

		if (tdxsim_platform_add_cmr(plat, base, sz) == 0) {
			cmrs[given].base = base;
			cmrs[given].size = sz;
			given++;
		}
	}
	CHECK(tdxsim_module_new(plat, NULL, &m) == 0);
	tdxsim_platform_free(plat);

	while ((1u << bits) < prof.keyid_end)
		bits++;
	hkid_mask = ((1ULL << bits) - 1) << (52 - bits);

	/* SYS.INIT */
	memset(&r, 0, sizeof(r));
	r.rax = TDXSIM_TDH_SYS_INIT;
	s = seam(m, 0, &r);
	if (!cmrs_ok(cmrs, given, hkid_mask)) {
		CHECK(s == TDXSIM_TDX_CMR_LIST_INVALID);
		CHECK(tdxsim_module_state(m) == TDXSIM_MODULE_SYSINIT_PENDING);
		CHECK(do_config(m, ntdmr, keyid) == TDXSIM_TDX_SYS_CONFIG_NOT_PENDING);
		tdxsim_module_free(m);
		return;
	}
	CHECK(s == TDXSIM_TDX_SUCCESS);
	CHECK(tdxsim_module_state(m) == TDXSIM_MODULE_SYSINIT_DONE);
	memset(&r, 0, sizeof(r));
	r.rax = TDXSIM_TDH_SYS_INIT;
	CHECK(seam(m, 0, &r) == TDXSIM_TDX_SYS_INIT_NOT_PENDING);

	/* LP.INIT on every CPU, twice. */
	for (unsigned c = 0; c < nlps; c++) {
		memset(&r, 0, sizeof(r));
		r.rax = TDXSIM_TDH_SYS_LP_INIT;
		CHECK(seam(m, c, &r) == TDXSIM_TDX_SUCCESS);
		memset(&r, 0, sizeof(r));
		r.rax = TDXSIM_TDH_SYS_LP_INIT;
		CHECK(seam(m, c, &r) == TDXSIM_TDX_SYS_LP_INIT_DONE);
	}
	CHECK(tdxsim_module_state(m) == TDXSIM_MODULE_SYSINIT_DONE);

	/* The PA array and the entries, as the input gives them. */
	ent = calloc(ntdmr, sizeof(*ent));
	CHECK(ent);
	for (size_t i = 0; i < ntdmr; i++) {
		uint64_t pa = ENTRIES + i * stride;
		uint8_t ptr[8];

		memset(buf, 0, sizeof(buf));
		for (unsigned k = 0; k < TDXSIM_TDMR_INFO_SIZE(slots); k++)
			buf[k] = byte_at(in, off + i * TDXSIM_TDMR_INFO_SIZE(slots) + k);
		for (int b = 0; b < 8; b++)
			ptr[b] = (uint8_t)(pa >> (8 * b));
		CHECK(tdxsim_phys_write(m, pa, buf, TDXSIM_TDMR_INFO_SIZE(slots)) == 0);
		CHECK(tdxsim_phys_write(m, PA_ARRAY + 8 * i, ptr, 8) == 0);
		tdxsim_tdmr_info_decode(buf, CONFIG_RSVD_SLOTS, &ent[i]);
	}

	/* What the pure checks say. */
	env = (struct tdxsim_config_env){
		.cmrs = cmrs, .cmr_count = TDXSIM_MAX_CMRS, .hkid_mask = hkid_mask,
		.rsvd_slots = CONFIG_RSVD_SLOTS, .quirk_1_0_tail_check = (b4 >> 6) == 1,
	};
	if (keyid < prof.keyid_start || keyid >= prof.keyid_end)
		expect = TDXSIM_TDX_OPERAND_INVALID | TDXSIM_OPERAND_ID_R8;
	for (size_t i = 0; i < ntdmr && expect == TDXSIM_TDX_SUCCESS; i++) {
		expect = tdxsim_sys_config_check_entry(&env, ent, i);
		/* A pure function: the same answer twice. */
		CHECK(expect == tdxsim_sys_config_check_entry(&env, ent, i));
		if (expect != TDXSIM_TDX_SUCCESS) {
			CHECK(tdmr_code(expect));
			CHECK((expect & 0xFF) <= i);
			CHECK((expect >> 24 & 0xFF) == 0);
		}
	}

	s = do_config(m, ntdmr, keyid);
	CHECK(s == expect);
	if (s != TDXSIM_TDX_SUCCESS) {
		CHECK(s == (TDXSIM_TDX_OPERAND_INVALID | TDXSIM_OPERAND_ID_R8) ||
		      (tdmr_code(s) && (s & 0xFF) < ntdmr));
		CHECK(tdxsim_module_state(m) == TDXSIM_MODULE_SYSINIT_DONE);
		CHECK(do_config(m, ntdmr, keyid) == s);
		CHECK(tdxsim_module_state(m) == TDXSIM_MODULE_SYSINIT_DONE);
		for (size_t i = 0; i < ntdmr; i++)
			CHECK(tdxsim_module_page_state(m, ent[i].base) ==
			      TDXSIM_PAGE_NOT_TDMR);
		goto out;
	}
	CHECK(tdxsim_module_state(m) == TDXSIM_MODULE_SYSCONFIG_DONE);
	CHECK(do_config(m, ntdmr, keyid) == TDXSIM_TDX_SYS_CONFIG_NOT_PENDING);
	check_pages(m, ent, ntdmr, CONFIG_RSVD_SLOTS, false, NULL);

	/* TDMR.INIT before KEY.CONFIG: not ready. */
	memset(&r, 0, sizeof(r));
	r.rax = TDXSIM_TDH_SYS_TDMR_INIT;
	r.rcx = ent[0].base;
	CHECK(seam(m, 0, &r) == TDXSIM_TDX_SYS_NOT_READY);

	/* KEY.CONFIG: once per package, on any of its CPUs. */
	{
		bool *done_pkg = calloc(npkgs, sizeof(*done_pkg));
		unsigned left = npkgs;

		CHECK(done_pkg);
		for (unsigned c = 0; c < nlps; c++) {
			unsigned pkg = (unsigned)((uint64_t)c * npkgs / nlps);

			memset(&r, 0, sizeof(r));
			r.rax = TDXSIM_TDH_SYS_KEY_CONFIG;
			s = seam(m, c, &r);
			if (done_pkg[pkg]) {
				CHECK(s == TDXSIM_TDX_KEY_CONFIGURED ||
				      (left == 0 && s == TDXSIM_TDX_SYS_KEY_CONFIG_NOT_PENDING));
			} else {
				CHECK(s == TDXSIM_TDX_SUCCESS);
				done_pkg[pkg] = true;
				left--;
			}
			CHECK(tdxsim_module_state(m) == (left ? TDXSIM_MODULE_SYSCONFIG_DONE
							      : TDXSIM_MODULE_READY));
		}
		free(done_pkg);
		CHECK(left == 0);
	}

	/* TDMR.INIT loops. */
	{
		uint64_t *done = calloc(ntdmr, sizeof(*done));
		uint64_t budget = 0;

		CHECK(done);
		for (size_t i = 0; i < ntdmr; i++) {
			done[i] = ent[i].base;
			budget += ent[i].size / CHUNK + 1;
		}
		for (size_t i = 0; i < ntdmr; i++) {
			uint64_t end = ent[i].base + ent[i].size;
			uint64_t bound = ent[i].size / CHUNK + 1, calls = 0;
			uint64_t limit = budget <= INIT_BUDGET ? bound + 1 : 3;
			uint64_t last_rdx = 0;

			for (;;) {
				memset(&r, 0, sizeof(r));
				r.rax = TDXSIM_TDH_SYS_TDMR_INIT;
				r.rcx = ent[i].base;
				s = seam(m, 0, &r);
				if (s == TDXSIM_TDX_TDMR_ALREADY_INITIALIZED) {
					CHECK(done[i] == end);
					break;
				}
				CHECK(s == TDXSIM_TDX_SUCCESS);
				calls++;
				CHECK(calls <= bound);
				done[i] = done[i] + CHUNK > end ? end : done[i] + CHUNK;
				CHECK(r.rdx == (done[i] & ~((1ULL << 30) - 1)));
				CHECK(r.rdx >= last_rdx);
				last_rdx = r.rdx;
				if (calls >= limit)
					break;
			}
		}
		check_pages(m, ent, ntdmr, CONFIG_RSVD_SLOTS, true, done);
		free(done);
	}
	/* A base that is no TDMR's is refused. */
	memset(&r, 0, sizeof(r));
	r.rax = TDXSIM_TDH_SYS_TDMR_INIT;
	r.rcx = ent[0].base + 0x1000;
	CHECK(seam(m, 0, &r) == (TDXSIM_TDX_OPERAND_INVALID | TDXSIM_OPERAND_ID_RCX));
out:
	free(ent);
	tdxsim_module_free(m);
}

static void
one_input(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	run(&in);
}

/* One input, within the time bound (fuzz-time.h). */
FUZZ_TIMED_ENTRY(one_input, "fuzz-sys-config")
