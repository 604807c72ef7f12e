/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the simulated VMM (lib/vmm) and TD machine
 * (lib/guest/td.c) against the module's #VE and TDG.VP.VMCALL handling
 * (intel/tdx-module src/td_dispatcher/), the GHCI sub-functions, and
 * Linux's #VE path and handle_mmio() (arch/x86/coco/tdx/tdx.c):
 *  - KVM tdx_emulate_mmio() validation and routing;
 *  - the TPM, HPET, scratch and user device models, one access of the
 *    true width per architectural access;
 *  - scripted misbehaviour of each kind;
 *  - the EPT-violation #VE, TDG.VP.VEINFO.GET, #DF and TD-exit sequence;
 *  - shared bit by GPAW; sub-register rules; the MTRR MSR #VE path.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <tdxsim/machine.h>
#include <tdxsim/status.h>

#include "test-common.h"

#define SHARED47	(1ull << 47)
#define SHARED51	(1ull << 51)
#define INVALID		TDXSIM_TDVMCALL_INVALID_OPERAND
#define TPM_BASE	0xfed40000ull
#define HPET_BASE	0xfed00000ull
#define SCRATCH_BASE	0xc0000000ull
#define USER_BASE	0xd0000000ull
#define KVA		0xffff888000000000ull

/* ---- helpers ---- */

/* A VMM for a TD whose GPA width is 48 or 52 bits. */
static struct tdxsim_vmm *
vmm_make(unsigned gpaw)
{
	struct tdxsim_vmm_config c = TDXSIM_CONFIG_INIT(tdxsim_vmm_config);
	struct tdxsim_vmm *vmm = NULL;

	c.gpaw = gpaw;
	assert_int_equal(tdxsim_vmm_new(&c, &vmm), 0);
	return vmm;
}

/* One MMIO TDVMCALL; returns R10. */
static uint64_t
mmio_call(struct tdxsim_vmm *vmm, uint64_t size, uint64_t dir, uint64_t gpa,
	  uint64_t val, uint64_t *r11)
{
	struct tdxsim_tdvmcall c = { 0, TDXSIM_EXIT_EPT_VIOLATION, size, dir, gpa, val };

	assert_int_equal(tdxsim_vmm_tdvmcall(vmm, &c), 0);
	if (r11)
		*r11 = c.r11;
	return c.r10;
}

/* A user device that records each access. */
struct recorder {
	unsigned calls;
	unsigned last_size;
	uint64_t last_offset;
	int last_write;
	uint64_t last_value;
};

static int
recorder_access(void *ctx, uint64_t offset, unsigned size, int write,
		uint64_t *value)
{
	struct recorder *r = ctx;

	r->calls++;
	r->last_size = size;
	r->last_offset = offset;
	r->last_write = write;
	if (write)
		r->last_value = *value;
	else
		*value = 0x1122334455667788ull;
	return 0;
}

/* ---- VMM validation ---- */

static void
test_vmm_validation(void **state)
{
	struct tdxsim_vmm *vmm = vmm_make(48);
	uint64_t gpa = SCRATCH_BASE | SHARED47;
	struct tdxsim_vmm_stats st;

	(void)state;
	assert_true(tdxsim_vmm_add_scratch(vmm, SCRATCH_BASE, 0x1000) >= 0);
	assert_int_equal(mmio_call(vmm, 3, 0, gpa, 0, NULL), INVALID);
	assert_int_equal(mmio_call(vmm, 16, 0, gpa, 0, NULL), INVALID);
	assert_int_equal(mmio_call(vmm, 0, 0, gpa, 0, NULL), INVALID);
	assert_int_equal(mmio_call(vmm, 4, 2, gpa, 0, NULL), INVALID);
	/* private GPA (shared bit clear) */
	assert_int_equal(mmio_call(vmm, 4, 0, SCRATCH_BASE, 0, NULL), INVALID);
	/* gpa shared, gpa+size-1 not: the last shared byte crossing out. */
	assert_int_equal(mmio_call(vmm, 8, 0, (SHARED47 << 1) - 4, 0, NULL), INVALID);
	assert_int_equal(mmio_call(vmm, 4, 0, gpa, 0, NULL), TDXSIM_TDVMCALL_SUCCESS);
	/* unknown sub-function and vendor-specific calls */
	struct tdxsim_tdvmcall c = { 0, 0x99, 0, 0, 0, 0 };
	tdxsim_vmm_tdvmcall(vmm, &c);
	assert_int_equal(c.r10, TDXSIM_TDVMCALL_SUBFUNC_UNSUPPORTED);
	tdxsim_vmm_stats(vmm, &st);
	assert_int_equal(st.calls, 8);
	assert_int_equal(st.rejected, 7);
	assert_int_equal(st.mmio, 1);
	tdxsim_vmm_free(vmm);
}

static void
test_vmm_gpaw1(void **state)
{
	struct tdxsim_vmm *vmm = vmm_make(52);
	uint64_t r11 = 0;

	(void)state;
	assert_true(tdxsim_vmm_add_constant(vmm, 0x1000, 0x1000, 0xab) >= 0);
	/* bit 47 is an address bit with GPAW 1: not shared */
	assert_int_equal(mmio_call(vmm, 1, 0, 0x1000 | SHARED47, 0, NULL), INVALID);
	assert_int_equal(mmio_call(vmm, 1, 0, 0x1000 | SHARED51, 0, &r11), 0);
	assert_int_equal(r11, 0xab);
	tdxsim_vmm_free(vmm);
}

static void
test_vmm_other_subfunctions(void **state)
{
	struct tdxsim_vmm *vmm = vmm_make(48);
	struct tdxsim_tdvmcall c;
	struct tdxsim_vmm_stats st;

	(void)state;
	c = (struct tdxsim_tdvmcall){ 0, TDXSIM_EXIT_CPUID, 0x40000000, 0, 0, 0 };
	tdxsim_vmm_tdvmcall(vmm, &c);
	assert_int_equal(c.r10, 0);
	assert_int_equal(c.r13, 0x4b4d564b);
	c = (struct tdxsim_tdvmcall){ 0, TDXSIM_EXIT_HLT, 0, 0, 0, 0 };
	tdxsim_vmm_tdvmcall(vmm, &c);
	assert_int_equal(c.r10, 0);
	c = (struct tdxsim_tdvmcall){ 0, TDXSIM_EXIT_IO, 2, 0, 0x80, 0 };
	tdxsim_vmm_tdvmcall(vmm, &c);
	assert_int_equal(c.r10, 0);
	assert_int_equal(c.r11, 0xffff);
	c = (struct tdxsim_tdvmcall){ 0, TDXSIM_EXIT_IO, 8, 1, 0x80, 0 };
	tdxsim_vmm_tdvmcall(vmm, &c);
	assert_int_equal(c.r10, INVALID);
	/* Ports up to 0xffff, none above (tools/mutate.py: '>=' survived). */
	c = (struct tdxsim_tdvmcall){ 0, TDXSIM_EXIT_IO, 1, 1, 0xffff, 0 };
	tdxsim_vmm_tdvmcall(vmm, &c);
	assert_int_equal(c.r10, 0);
	c = (struct tdxsim_tdvmcall){ 0, TDXSIM_EXIT_IO, 1, 1, 0x10000, 0 };
	tdxsim_vmm_tdvmcall(vmm, &c);
	assert_int_equal(c.r10, INVALID);
	tdxsim_vmm_stats(vmm, &st);
	assert_int_equal(st.hlt, 1);
	assert_int_equal(st.io, 4);
	assert_int_equal(st.cpuid, 1);
	tdxsim_vmm_free(vmm);
}

/* ---- devices ---- */

static void
test_tpm(void **state)
{
	struct tdxsim_vmm *vmm = vmm_make(48);
	uint64_t base = TPM_BASE | SHARED47, v = 0;

	(void)state;
	assert_true(tdxsim_vmm_add_tpm(vmm, TPM_BASE) >= 0);
	assert_int_equal(mmio_call(vmm, 4, 0, base + 0xf00, 0, &v), 0);
	assert_int_equal(v, 0x00011014);
	assert_int_equal(mmio_call(vmm, 2, 0, base + 0xf00, 0, &v), 0);
	assert_int_equal(v, 0x1014);
	assert_int_equal(mmio_call(vmm, 1, 0, base + 0xf04, 0, &v), 0);
	assert_int_equal(v, 1);
	/* ACCESS: valid, not active; request use; then active */
	mmio_call(vmm, 1, 0, base, 0, &v);
	assert_int_equal(v, 0x81);
	mmio_call(vmm, 4, 0, base + 0x18, 0, &v);
	assert_int_equal(v, 0xffffffff);
	mmio_call(vmm, 1, 1, base, 0x02, NULL);
	mmio_call(vmm, 1, 0, base, 0, &v);
	assert_int_equal(v, 0xa1);
	mmio_call(vmm, 4, 0, base + 0x18, 0, &v);
	assert_int_equal(v & 0x80, 0x80);
	/* locality 1 stays inactive */
	mmio_call(vmm, 1, 0, base + 0x1000, 0, &v);
	assert_int_equal(v, 0x81);
	/* A request from locality 1 does not take the TPM from locality 0,
	 * which holds it (tools/mutate.py: 'active <= 0' survived). */
	mmio_call(vmm, 1, 1, base + 0x1000, 0x02, NULL);
	mmio_call(vmm, 1, 0, base + 0x1000, 0, &v);
	assert_int_equal(v, 0x81);
	mmio_call(vmm, 1, 0, base, 0, &v);
	assert_int_equal(v, 0xa1);
	/* Once locality 0 relinquishes it (activeLocality written 1), the
	 * same request makes locality 1 active. */
	mmio_call(vmm, 1, 1, base, 0x20, NULL);
	mmio_call(vmm, 1, 0, base, 0, &v);
	assert_int_equal(v, 0x81);
	mmio_call(vmm, 1, 1, base + 0x1000, 0x02, NULL);
	mmio_call(vmm, 1, 0, base + 0x1000, 0, &v);
	assert_int_equal(v, 0xa1);
	tdxsim_vmm_free(vmm);
}

static void
test_hpet(void **state)
{
	struct tdxsim_vmm *vmm = vmm_make(48);
	uint64_t base = HPET_BASE | SHARED47, cap = 0, a = 0, b = 0;

	(void)state;
	assert_true(tdxsim_vmm_add_hpet(vmm, HPET_BASE) >= 0);
	mmio_call(vmm, 8, 0, base, 0, &cap);
	assert_int_equal(cap, 0x0429B17F8086A201ull);
	assert_int_equal((cap >> 16) & 0xffff, 0x8086);
	mmio_call(vmm, 8, 0, base + 0xf0, 0, &a);
	mmio_call(vmm, 8, 0, base + 0xf0, 0, &b);
	assert_true(b > a);
	/* stopped: no advance */
	mmio_call(vmm, 8, 1, base + 0x10, 0, NULL);
	mmio_call(vmm, 8, 0, base + 0xf0, 0, &a);
	mmio_call(vmm, 8, 0, base + 0xf0, 0, &b);
	assert_int_equal(a, b);
	/* Stopped, the main counter takes a write; a write to another
	 * register (timer 0's comparator) leaves it (tools/mutate.py: '||'
	 * survived). */
	mmio_call(vmm, 8, 1, base + 0xf0, 0x5000, NULL);
	mmio_call(vmm, 8, 1, base + 0x108, 0x9000, NULL);
	mmio_call(vmm, 8, 0, base + 0xf0, 0, &a);
	assert_int_equal(a, 0x5000);
	/* A register the model leaves out (the general interrupt status)
	 * reads 0 (tools/mutate.py: 'return 1' survived). */
	b = 0xff;
	mmio_call(vmm, 8, 0, base + 0x20, 0, &b);
	assert_int_equal(b, 0);
	tdxsim_vmm_free(vmm);
}

static void
test_scratch_round_trip(void **state)
{
	struct tdxsim_vmm *vmm = vmm_make(48);
	uint64_t base = SCRATCH_BASE | SHARED47, v = 0;
	int id;

	(void)state;
	id = tdxsim_vmm_add_scratch(vmm, SCRATCH_BASE, 0x100);
	assert_true(id >= 0);
	assert_int_equal(mmio_call(vmm, 8, 1, base + 8, 0x0123456789abcdefull, NULL), 0);
	mmio_call(vmm, 8, 0, base + 8, 0, &v);
	assert_int_equal(v, 0x0123456789abcdefull);
	mmio_call(vmm, 2, 0, base + 10, 0, &v);
	assert_int_equal(v, 0x89ab);
	mmio_call(vmm, 1, 1, base + 8, 0x5a5a, NULL);
	mmio_call(vmm, 4, 0, base + 8, 0, &v);
	assert_int_equal(v, 0x89abcd5a);
	assert_int_equal(tdxsim_vmm_device_accesses(vmm, id), 5);
	/* straddling the end: no device claims it, reads all ones */
	mmio_call(vmm, 4, 0, base + 0xfe, 0, &v);
	assert_int_equal(v, 0xffffffff);
	assert_int_equal(tdxsim_vmm_device_accesses(vmm, id), 5);
	/* overlap refused */
	assert_int_equal(tdxsim_vmm_add_scratch(vmm, SCRATCH_BASE + 0x80, 0x100), -EEXIST);
	tdxsim_vmm_free(vmm);

	/* Eight devices fill the device array's first allocation exactly; an
	 * access none of them claims reads all ones, and the lookup looks at
	 * no slot past the eighth (tools/mutate.py: 'i <= ndevices' survived
	 * the plain build; valgrind and ASan see the read past the end). */
	vmm = vmm_make(48);
	for (int i = 0; i < 8; i++)
		assert_int_equal(tdxsim_vmm_add_scratch(vmm, SCRATCH_BASE + 0x1000 * (uint64_t)i,
							0x100), i);
	mmio_call(vmm, 4, 0, base + 0x8000, 0, &v);
	assert_int_equal(v, 0xffffffff);
	tdxsim_vmm_free(vmm);
}

static void
test_user_device_exact_width(void **state)
{
	static const struct tdxsim_device_ops ops = { "rec", recorder_access, NULL };
	struct tdxsim_vmm *vmm = vmm_make(48);
	struct recorder rec = { 0 };
	uint64_t base = USER_BASE | SHARED47, v = 0;
	static const unsigned sizes[] = { 1, 2, 4, 8 };
	int id;

	(void)state;
	id = tdxsim_vmm_add_device(vmm, USER_BASE, 0x1000, &ops, &rec);
	assert_true(id >= 0);
	for (unsigned i = 0; i < 4; i++) {
		unsigned s = sizes[i];
		uint64_t mask = s == 8 ? ~0ull : (1ull << (8 * s)) - 1;

		mmio_call(vmm, s, 0, base + 0x10, 0, &v);
		assert_int_equal(rec.calls, 2 * i + 1);
		assert_int_equal(rec.last_size, s);
		assert_int_equal(rec.last_offset, 0x10);
		assert_int_equal(v, 0x1122334455667788ull & mask);
		mmio_call(vmm, s, 1, base + 0x20, 0xa5a5a5a5a5a5a5a5ull, NULL);
		assert_int_equal(rec.calls, 2 * i + 2);
		assert_int_equal(rec.last_size, s);
		assert_int_equal(rec.last_value, 0xa5a5a5a5a5a5a5a5ull & mask);
	}
	assert_int_equal(tdxsim_vmm_device_accesses(vmm, id), 8);
	assert_int_equal(tdxsim_vmm_device_accesses(vmm, id + 1), 0);
	tdxsim_vmm_free(vmm);
}

/* ---- scripted misbehaviour ---- */

static void
test_script_status(void **state)
{
	struct tdxsim_vmm *vmm = vmm_make(48);
	struct tdxsim_vmm_script s = { TDXSIM_VMM_FAULT_STATUS, TDXSIM_TDVMCALL_RETRY, 0, 2 };
	uint64_t base = SCRATCH_BASE | SHARED47;
	int id;

	(void)state;
	id = tdxsim_vmm_add_scratch(vmm, SCRATCH_BASE, 0x100);
	assert_int_equal(tdxsim_vmm_script_add(vmm, &s), 0);
	assert_int_equal(mmio_call(vmm, 4, 1, base, 7, NULL), 1);
	assert_int_equal(mmio_call(vmm, 4, 1, base, 7, NULL), 1);
	assert_int_equal(tdxsim_vmm_device_accesses(vmm, id), 0);
	assert_int_equal(mmio_call(vmm, 4, 1, base, 7, NULL), 0);
	/* always, only for sub-function 48 */
	s = (struct tdxsim_vmm_script){ TDXSIM_VMM_FAULT_STATUS, INVALID, 48, 0 };
	tdxsim_vmm_script_add(vmm, &s);
	for (int i = 0; i < 5; i++)
		assert_int_equal(mmio_call(vmm, 4, 0, base, 0, NULL), INVALID);
	struct tdxsim_tdvmcall c = { 0, TDXSIM_EXIT_HLT, 0, 0, 0, 0 };
	tdxsim_vmm_tdvmcall(vmm, &c);
	assert_int_equal(c.r10, 0);
	tdxsim_vmm_script_clear(vmm);
	assert_int_equal(mmio_call(vmm, 4, 0, base, 0, NULL), 0);
	tdxsim_vmm_free(vmm);
}

static void
test_script_garbage_tdcall_drift(void **state)
{
	struct tdxsim_vmm *vmm = vmm_make(48);
	struct tdxsim_vmm_script g = { TDXSIM_VMM_FAULT_GARBAGE, 0xdeadbeefcafef00dull, 0, 1 };
	struct tdxsim_vmm_script t = { TDXSIM_VMM_FAULT_TDCALL, TDXSIM_TDX_OPERAND_INVALID, 0, 1 };
	struct tdxsim_vmm_script d = { TDXSIM_VMM_FAULT_DRIFT, 0, 0, 0 };
	uint64_t base = 0x1000 | SHARED47, v = 0, w = 0;
	struct tdxsim_tdvmcall c = { 0, 48, 4, 0, base, 0 };

	(void)state;
	tdxsim_vmm_add_constant(vmm, 0x1000, 0x1000, 0x12345678);
	tdxsim_vmm_script_add(vmm, &g);
	mmio_call(vmm, 2, 0, base, 0, &v);
	assert_int_equal(v, 0xdeadbeefcafe5678ull);
	mmio_call(vmm, 2, 0, base, 0, &v);
	assert_int_equal(v, 0x5678);
	assert_int_equal(tdxsim_vmm_script_add(vmm, &(struct tdxsim_vmm_script){
		TDXSIM_VMM_FAULT_TDCALL, 0, 0, 1 }), -EINVAL);
	tdxsim_vmm_script_add(vmm, &t);
	assert_int_equal(tdxsim_vmm_tdvmcall(vmm, &c), TDXSIM_TDX_OPERAND_INVALID);
	assert_int_equal(tdxsim_vmm_tdvmcall(vmm, &c), 0);
	tdxsim_vmm_script_add(vmm, &d);
	mmio_call(vmm, 4, 0, base, 0, &v);
	mmio_call(vmm, 4, 0, base, 0, &w);
	assert_int_not_equal(v, w);
	assert_int_not_equal(v, 0x12345678);
	tdxsim_vmm_free(vmm);
}

/* ---- sub-registers ---- */

static void
test_subregisters(void **state)
{
	struct tdxsim_vcpu_regs r = { 0 };
	struct tdxsim_reg_ref ref;

	(void)state;
	r.gpr[TDXSIM_RAX] = 0x1122334455667788ull;
	assert_int_equal(tdxsim_reg_ref_parse("AH", &ref), 0);
	assert_true(ref.high8 && ref.gpr == TDXSIM_RAX && ref.size == 1);
	tdxsim_vcpu_reg_set(&r, ref, 0xff);
	assert_int_equal(r.gpr[TDXSIM_RAX], 0x112233445566ff88ull);
	assert_int_equal(tdxsim_vcpu_reg_get(&r, ref), 0xff);
	tdxsim_reg_ref_parse("ax", &ref);
	tdxsim_vcpu_reg_set(&r, ref, 0xabcd);
	assert_int_equal(r.gpr[TDXSIM_RAX], 0x112233445566abcdull);
	tdxsim_reg_ref_parse("eax", &ref);
	tdxsim_vcpu_reg_set(&r, ref, 0xfedcba98);
	assert_int_equal(r.gpr[TDXSIM_RAX], 0xfedcba98ull);
	r.gpr[TDXSIM_R9] = ~0ull;
	/* A numbered name parses to 0, not just to "not negative"
	 * (tools/mutate.py: 'return 1' survived). */
	assert_int_equal(tdxsim_reg_ref_parse("r9d", &ref), 0);
	tdxsim_vcpu_reg_set(&r, ref, 1);
	assert_int_equal(r.gpr[TDXSIM_R9], 1);
	/* A reference past R15 is refused, and nothing is written
	 * (tools/mutate.py: 'return 1' in the check survived). */
	{
		struct tdxsim_vcpu_regs before = r;
		struct tdxsim_reg_ref bad = { (enum tdxsim_gpr)(TDXSIM_R15 + 1), 8, 0 };

		assert_int_equal(tdxsim_vcpu_reg_set(&r, bad, 0x1234), -EINVAL);
		assert_int_equal(tdxsim_vcpu_reg_get(&r, bad), 0);
		assert_memory_equal(&r, &before, sizeof(r));
	}
	assert_int_equal(tdxsim_reg_ref_parse("r9b", &ref), 0);
	tdxsim_vcpu_reg_set(&r, ref, 0x1ff);
	assert_int_equal(r.gpr[TDXSIM_R9], 0xff);
	assert_int_equal(tdxsim_reg_ref_parse("sil", &ref), 0);
	assert_true(ref.gpr == TDXSIM_RSI && ref.size == 1 && !ref.high8);
	assert_int_equal(tdxsim_reg_ref_parse("rdi", &ref), 0);
	assert_true(ref.gpr == TDXSIM_RDI && ref.size == 8);
	assert_int_equal(tdxsim_reg_ref_parse("r16", &ref), -EINVAL);
	assert_int_equal(tdxsim_reg_ref_parse("sh", &ref), -EINVAL);
	ref = (struct tdxsim_reg_ref){ TDXSIM_RSI, 1, 1 };	/* no SIH */
	assert_int_equal(tdxsim_vcpu_reg_set(&r, ref, 1), -EINVAL);
}

/* ---- the TD ---- */

struct machine {
	struct tdxsim_vmm *vmm;
	struct tdxsim_td *td;
};

static void
machine_make(struct machine *m, unsigned gpaw, int manual)
{
	struct tdxsim_td_config c = TDXSIM_CONFIG_INIT(tdxsim_td_config);

	c.gpaw = gpaw;
	c.manual_ve = manual;
	m->vmm = vmm_make(gpaw);
	assert_int_equal(tdxsim_td_new(&c, tdxsim_vmm_tdvmcall, m->vmm, &m->td), 0);
}

static void
machine_free(struct machine *m)
{
	tdxsim_td_free(m->td);
	tdxsim_vmm_free(m->vmm);
}

static void
test_td_reset_state(void **state)
{
	struct machine m;

	(void)state;
	machine_make(&m, 48, 0);
	assert_int_equal(tdxsim_td_cr0(m.td), 0x21);
	assert_int_equal(tdxsim_td_pat(m.td), 0x0007040600070406ull);
	assert_int_equal(tdxsim_td_shared_bit(m.td), SHARED47);
	machine_free(&m);
	machine_make(&m, 52, 0);
	assert_int_equal(tdxsim_td_shared_bit(m.td), SHARED51);
	machine_free(&m);
}

static void
test_td_ram_and_pf(void **state)
{
	struct machine m;
	struct tdxsim_td_result res;
	uint64_t v = 0xcafe;

	(void)state;
	machine_make(&m, 48, 0);
	assert_int_equal(tdxsim_td_add_ram(m.td, 0x200000, 0x200000), 0);
	assert_int_equal(tdxsim_td_map(m.td, KVA, 0x200000, 0x1000, 0), 0);
	assert_int_equal(tdxsim_td_map(m.td, KVA, 0x201000, 0x1000, 0), -EEXIST);
	assert_int_equal(tdxsim_td_add_ram(m.td, 0x300000, 0x1000), -EEXIST);
	/* CR0.WP = 0: a supervisor write to a read-only page works; a RAM
	 * access returns 0, its outcome is data (tools/mutate.py: 'return 1'
	 * survived) */
	assert_int_equal(tdxsim_td_access(m.td, KVA + 0xffe, 2, 1, &v, &res), 0);
	assert_int_equal(res.outcome, TDXSIM_TD_OK);
	v = 0;
	assert_int_equal(tdxsim_td_access(m.td, KVA + 0xffe, 2, 0, &v, &res), 0);
	assert_int_equal(v, 0xcafe);
	/* crossing into an unmapped page: #PF, not present, write */
	tdxsim_td_access(m.td, KVA + 0xfff, 2, 1, &v, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_PF);
	assert_int_equal(res.pf_error, TDXSIM_PFEC_W);
	/* user access to a supervisor page */
	tdxsim_td_set_user(m.td, 1);
	tdxsim_td_access(m.td, KVA, 1, 0, &v, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_PF);
	assert_int_equal(res.pf_error, TDXSIM_PFEC_P | TDXSIM_PFEC_U);
	tdxsim_td_set_user(m.td, 0);
	/* GPAW 0: GPA bits 51:48 reserved -> #PF RSVD */
	tdxsim_td_map(m.td, KVA + 0x10000, 1ull << 49, 0x1000, TDXSIM_PTE_W);
	tdxsim_td_access(m.td, KVA + 0x10000, 4, 0, &v, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_PF);
	assert_true(res.pf_error & TDXSIM_PFEC_RSVD);
	/* non-canonical: #GP(0) before paging; a 2-byte access below bit 47
	 * is canonical and an unmapped page's #PF */
	tdxsim_td_access(m.td, 0x800000000000ull, 4, 0, &v, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_GP);
	tdxsim_td_access(m.td, 0x7ffffffffffeull, 4, 0, &v, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_GP);
	tdxsim_td_access(m.td, 0x7ffffffffffeull, 2, 0, &v, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_PF);
	/* a supervisor read of a page not present: error code 0, still #PF */
	assert_int_equal(res.pf_error, 0);
	/* private GPA without RAM: EPT violation TD exit */
	tdxsim_td_map(m.td, KVA + 0x20000, 0x900000, 0x1000, TDXSIM_PTE_W);
	tdxsim_td_access(m.td, KVA + 0x20010, 4, 0, &v, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_EXIT);
	assert_int_equal(res.exit_r8, 0x900000);
	machine_free(&m);
}

/* mov eax, [rdi] on MMIO through the colleague's handler. */
static void
test_td_mmio_read(void **state)
{
	static const uint8_t insn[] = { 0x8b, 0x07 };
	struct machine m;
	struct tdxsim_td_result res;
	struct tdxsim_td_insn in = { insn, 2, KVA + 0x5004, 0xfed00000, 1, 0, 0 };
	struct tdxsim_vcpu_regs *r;
	uint64_t rip;

	(void)state;
	machine_make(&m, 48, 0);
	assert_true(tdxsim_vmm_add_constant(m.vmm, 0xfed00000, 0x1000, 0x8899aabbccddeeffull) >= 0);
	r = tdxsim_td_regs(m.td);
	tdxsim_td_set_reg(m.td, "rdi", KVA + 0x5004);
	r->gpr[TDXSIM_RAX] = ~0ull;
	rip = r->rip;
	assert_int_equal(tdxsim_td_run_insn(m.td, &in, &res), 0);
	assert_true(res.ve);
	assert_int_equal(res.veinfo.exit_reason, 48);
	assert_int_equal(res.veinfo.exit_qual & 3, 1);
	assert_int_equal(res.veinfo.gla, KVA + 0x5004);
	assert_int_equal(res.veinfo.gpa, 0xfed00004ull | SHARED47);
	assert_true(res.mmio_ran);
	assert_int_equal(res.outcome, TDXSIM_TD_OK);
	assert_int_equal(res.mmio.request.r12, 4);
	assert_int_equal(res.mmio.request.r14, 0xfed00004ull | SHARED47);
	assert_int_equal(r->gpr[TDXSIM_RAX], 0xccddeeffull);
	/* The value read: the device's, at the access size (4 bytes). */
	assert_int_equal(res.value, 0xccddeeffull);
	assert_int_equal(r->rip, rip + 2);
	/* VEINFO was read by the handler */
	struct tdxsim_veinfo ve;
	assert_int_equal(tdxsim_td_veinfo_get(m.td, &ve), TDXSIM_TDX_NO_VALID_VE_INFO);
	/* insn->gpa is given without the shared bit: one that has it is
	 * refused, and nothing runs (tools/mutate.py: '&&' survived). */
	in.gva = KVA + 0x6004;
	in.gpa = 0xfed00000 | SHARED47;
	assert_int_equal(tdxsim_td_run_insn(m.td, &in, &res), -EINVAL);
	assert_int_equal(r->rip, rip + 2);
	machine_free(&m);
}

/* struct tdxsim_td_result.value holds what an MMIO read got, at each
 * access size; a read the VMM refuses got nothing. */
static void
test_td_mmio_read_value(void **state)
{
	static const struct {
		uint8_t bytes[4];
		size_t len;
		uint64_t want;
	} reads[] = {
		{ { 0x0f, 0xb6, 0x07 }, 3, 0xff },			/* movzx eax, byte [rdi] */
		{ { 0x66, 0x8b, 0x07 }, 3, 0xeeff },			/* mov ax, [rdi] */
		{ { 0x8b, 0x07 }, 2, 0xccddeeff },			/* mov eax, [rdi] */
		{ { 0x48, 0x8b, 0x07 }, 3, 0x8899aabbccddeeffull },	/* mov rax, [rdi] */
	};
	struct tdxsim_vmm_script refuse = { TDXSIM_VMM_FAULT_STATUS,
					    TDXSIM_TDVMCALL_INVALID_OPERAND, 0, 1 };
	struct tdxsim_td_result res;
	struct machine m;

	(void)state;
	machine_make(&m, 48, 0);
	assert_true(tdxsim_vmm_add_constant(m.vmm, 0xfed00000, 0x1000,
					    0x8899aabbccddeeffull) >= 0);
	tdxsim_td_set_reg(m.td, "rdi", KVA + 0x5000);
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		struct tdxsim_td_insn in = { reads[i].bytes, reads[i].len, KVA + 0x5000,
					     0xfed00000, 1, 0, 0 };

		assert_int_equal(tdxsim_td_run_insn(m.td, &in, &res), 0);
		assert_int_equal(res.outcome, TDXSIM_TD_OK);
		assert_int_equal(res.value, reads[i].want);
	}
	{
		struct tdxsim_td_insn in = { reads[3].bytes, reads[3].len, KVA + 0x5000,
					     0xfed00000, 1, 0, 0 };

		tdxsim_vmm_script_add(m.vmm, &refuse);
		assert_int_equal(tdxsim_td_run_insn(m.td, &in, &res), 0);
		assert_int_equal(res.outcome, TDXSIM_TD_VE_FAULT);
		assert_int_equal(res.value, 0);
	}
	machine_free(&m);
}

static void
test_td_mmio_write_refused(void **state)
{
	static const uint8_t insn[] = { 0x89, 0x07 };	/* mov [rdi], eax */
	struct machine m;
	struct tdxsim_td_result res;
	struct tdxsim_td_insn in = { insn, 2, KVA + 0x5000, 0x10000, 1, 0, 0 };
	struct tdxsim_vmm_script s = { TDXSIM_VMM_FAULT_STATUS, TDXSIM_TDVMCALL_RETRY, 0, 1 };
	struct recorder rec = { 0 };
	static const struct tdxsim_device_ops ops = { "rec", recorder_access, NULL };
	uint64_t rip;

	(void)state;
	machine_make(&m, 48, 0);
	tdxsim_vmm_add_device(m.vmm, 0x10000, 0x1000, &ops, &rec);
	tdxsim_td_set_reg(m.td, "rdi", KVA + 0x5000);
	tdxsim_td_set_reg(m.td, "eax", 0x1234);
	tdxsim_vmm_script_add(m.vmm, &s);
	rip = tdxsim_td_regs(m.td)->rip;
	tdxsim_td_run_insn(m.td, &in, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_VE_FAULT);
	assert_int_equal(rec.calls, 0);
	assert_int_equal(tdxsim_td_regs(m.td)->rip, rip);
	tdxsim_td_run_insn(m.td, &in, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_OK);
	assert_int_equal(rec.calls, 1);
	assert_int_equal(rec.last_size, 4);
	assert_int_equal(rec.last_value, 0x1234);
	assert_int_equal(res.value, 0);	/* a write reads nothing */
	/* TDCALL failure: the guest panics */
	s = (struct tdxsim_vmm_script){ TDXSIM_VMM_FAULT_TDCALL, TDXSIM_TDX_OPERAND_INVALID, 0, 1 };
	tdxsim_vmm_script_add(m.vmm, &s);
	tdxsim_td_regs(m.td)->rip = rip;
	tdxsim_td_run_insn(m.td, &in, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_FATAL);
	machine_free(&m);
}

static void
test_td_ve_sequence(void **state)
{
	static const uint8_t insn[] = { 0x8b, 0x07 };
	struct machine m;
	struct tdxsim_td_result res, res2;
	struct tdxsim_td_insn in = { insn, 2, KVA + 0x5008, 0x10000, 1, 0, 0 };
	struct tdxsim_veinfo ve;

	(void)state;
	machine_make(&m, 52, 1);
	tdxsim_vmm_add_scratch(m.vmm, 0x10000, 0x1000);
	tdxsim_td_set_reg(m.td, "rdi", KVA + 0x5008);
	assert_int_equal(tdxsim_td_veinfo_get(m.td, &ve), TDXSIM_TDX_NO_VALID_VE_INFO);
	tdxsim_td_run_insn(m.td, &in, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_VE_PENDING);
	assert_int_equal(res.veinfo.gpa, 0x10008ull | SHARED51);
	/* a second EPT violation with VALID set: TD exit, not a #VE */
	tdxsim_td_access(m.td, KVA + 0x5010, 4, 1, NULL, &res2);
	assert_int_equal(res2.outcome, TDXSIM_TD_EXIT);
	assert_int_equal(res2.exit_rax, 48);
	assert_int_equal(res2.exit_rcx, 2);
	assert_int_equal(res2.exit_r8, 0x10000ull | SHARED51);
	/* a module-injected #VE (RDMSR of an MTRR) with VALID set: #DF */
	tdxsim_td_rdmsr(m.td, 0xfe, &res2);
	assert_int_equal(res2.outcome, TDXSIM_TD_FATAL);
	assert_true(res2.df);
	/* VEINFO.GET returns VE_INFO once and clears VALID */
	assert_int_equal(tdxsim_td_veinfo_get(m.td, &ve), 0);
	assert_int_equal(ve.exit_reason, 48);
	assert_int_equal(ve.gla, KVA + 0x5008);
	assert_int_equal(ve.exit_qual & 0x83, 0x81);
	assert_int_equal(tdxsim_td_veinfo_get(m.td, &ve), TDXSIM_TDX_NO_VALID_VE_INFO);
	assert_int_equal(ve.exit_reason, 0);
	/* now the RDMSR works */
	tdxsim_td_rdmsr(m.td, 0xfe, &res2);
	assert_int_equal(res2.outcome, TDXSIM_TD_OK);
	assert_int_equal(res2.value, 0x508);
	machine_free(&m);
}

static void
test_td_msr_path(void **state)
{
	struct machine m;
	struct tdxsim_td_result res;
	uint64_t rip;

	(void)state;
	machine_make(&m, 48, 0);
	rip = tdxsim_td_regs(m.td)->rip;
	tdxsim_td_rdmsr(m.td, 0xfe, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_OK);
	assert_true(res.ve);
	assert_int_equal(res.veinfo.exit_reason, 31);
	assert_int_equal(res.veinfo.instr_len, 2);
	assert_int_equal(res.value, 0x508);
	assert_int_equal(tdxsim_td_regs(m.td)->rip, rip + 2);
	/* WRMSR DEF_TYPE with a reserved type: the VMM refuses */
	tdxsim_td_wrmsr(m.td, 0x2ff, 0x802, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_VE_FAULT);
	assert_int_equal(res.veinfo.exit_reason, 32);
	assert_int_equal(res.mmio.reply.r10, INVALID);
	tdxsim_td_wrmsr(m.td, 0x2ff, 0x806, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_OK);
	tdxsim_td_rdmsr(m.td, 0x2ff, &res);
	assert_int_equal(res.value, 0x806);
	/* IA32_PAT native: no #VE */
	tdxsim_td_rdmsr(m.td, 0x277, &res);
	assert_false(res.ve);
	assert_int_equal(res.value, 0x0007040600070406ull);
	tdxsim_td_wrmsr(m.td, 0x277, 0x0000000000000002ull, &res);
	assert_int_equal(res.outcome, TDXSIM_TD_GP);
	/* CR0: CD=1 #VE, NW without CD #GP, WP accepted */
	tdxsim_td_write_cr0(m.td, 0x21 | (1ull << 30), &res);
	assert_int_equal(res.outcome, TDXSIM_TD_VE_FAULT);
	assert_int_equal(res.veinfo.exit_reason, 28);
	tdxsim_td_write_cr0(m.td, 0x21 | (1ull << 29), &res);
	assert_int_equal(res.outcome, TDXSIM_TD_GP);
	tdxsim_td_write_cr0(m.td, 0x21 | (1ull << 16), &res);
	assert_int_equal(res.outcome, TDXSIM_TD_OK);
	assert_int_equal(tdxsim_td_cr0(m.td), 0x10021);
	/* the VMM's bank: the direct TDVMCALL view */
	struct tdxsim_tdvmcall c = { 0, TDXSIM_EXIT_RDMSR, 0xfe, 0, 0, 0 };
	tdxsim_vmm_tdvmcall(m.vmm, &c);
	assert_int_equal(c.r10, 0);
	assert_int_equal(c.r11, 0x508);
	assert_non_null(tdxsim_vmm_mtrr_bank(m.vmm));
	machine_free(&m);
}

static void
test_td_exact_width_through_td(void **state)
{
	/* mov al,[rdi]; mov ax,[rdi]; mov eax,[rdi]; mov rax,[rdi] */
	static const uint8_t i1[] = { 0x8a, 0x07 }, i2[] = { 0x66, 0x8b, 0x07 },
			     i4[] = { 0x8b, 0x07 }, i8[] = { 0x48, 0x8b, 0x07 };
	static const uint8_t *const insns[] = { i1, i2, i4, i8 };
	static const size_t lens[] = { 2, 3, 2, 3 };
	static const struct tdxsim_device_ops ops = { "rec", recorder_access, NULL };
	struct recorder rec = { 0 };
	struct machine m;
	struct tdxsim_td_result res;
	int id;

	(void)state;
	machine_make(&m, 48, 0);
	id = tdxsim_vmm_add_device(m.vmm, 0x20000, 0x1000, &ops, &rec);
	tdxsim_td_set_reg(m.td, "rdi", KVA + 0x7000);
	for (unsigned i = 0; i < 4; i++) {
		struct tdxsim_td_insn in = { insns[i], lens[i], KVA + 0x7000, 0x20000, 1, 0, 0 };

		tdxsim_td_regs(m.td)->rip = 0xffffffff81000000ull;
		assert_int_equal(tdxsim_td_run_insn(m.td, &in, &res), 0);
		assert_int_equal(res.outcome, TDXSIM_TD_OK);
		assert_int_equal(rec.calls, i + 1);
		assert_int_equal(rec.last_size, 1u << i);
	}
	assert_int_equal(tdxsim_vmm_device_accesses(m.vmm, id), 4);
	machine_free(&m);
}

/*
 * Growable configs (TDXSIM_CONFIG_INIT): a caller built against an older,
 * shorter struct still works (the members past its size take their
 * defaults); a newer, longer one works while the members this library
 * does not know are zero, and is -E2BIG otherwise; a size below the first
 * version's (a config zeroed by hand) is -EINVAL. The three configs share
 * the rule; each is checked.
 */
struct mmio_config_next {
	struct tdxsim_mmio_config c;
	uint64_t future;
};

struct td_config_next {
	struct tdxsim_td_config c;
	uint64_t future;
};

struct vmm_config_next {
	struct tdxsim_vmm_config c;
	uint64_t future;
};

static int
new_mmio(const void *config)
{
	struct tdxsim_mmio_handler *h = NULL;
	int ret = tdxsim_mmio_handler_new(config, &h);

	tdxsim_mmio_handler_free(h);
	return ret;
}

static int
new_td(const void *config)
{
	struct tdxsim_vmm *vmm = vmm_make(52);
	struct tdxsim_td *td = NULL;
	int ret = tdxsim_td_new(config, tdxsim_vmm_tdvmcall, vmm, &td);

	tdxsim_td_free(td);
	tdxsim_vmm_free(vmm);
	return ret;
}

static int
new_vmm(const void *config)
{
	struct tdxsim_vmm *vmm = NULL;
	int ret = tdxsim_vmm_new(config, &vmm);

	tdxsim_vmm_free(vmm);
	return ret;
}

static void
test_config_sizes(void **state)
{
	struct mmio_config_next m = { TDXSIM_CONFIG_INIT(tdxsim_mmio_config), 0 };
	struct td_config_next t = { TDXSIM_CONFIG_INIT(tdxsim_td_config), 0 };
	struct vmm_config_next v = { TDXSIM_CONFIG_INIT(tdxsim_vmm_config), 0 };

	(void)state;
	/* The first version's size, and the library's own. */
	m.c.size = TDXSIM_MMIO_CONFIG_SIZE_V1;
	t.c.size = TDXSIM_TD_CONFIG_SIZE_V1;
	v.c.size = TDXSIM_VMM_CONFIG_SIZE_V1;
	assert_int_equal(new_mmio(&m), 0);
	assert_int_equal(new_td(&t), 0);
	assert_int_equal(new_vmm(&v), 0);
	/* Too short to be any version: a size forgotten. */
	m.c.size = TDXSIM_MMIO_CONFIG_SIZE_V1 - 1;
	t.c.size = TDXSIM_TD_CONFIG_SIZE_V1 - 1;
	v.c.size = sizeof(size_t) - 1;
	assert_int_equal(new_mmio(&m), -EINVAL);
	assert_int_equal(new_td(&t), -EINVAL);
	assert_int_equal(new_vmm(&v), -EINVAL);
	/* A newer caller: unknown members zero are fine, set are -E2BIG. */
	m.c.size = sizeof(m);
	t.c.size = sizeof(t);
	v.c.size = sizeof(v);
	assert_int_equal(new_mmio(&m), 0);
	assert_int_equal(new_td(&t), 0);
	assert_int_equal(new_vmm(&v), 0);
	m.future = t.future = v.future = 1;
	assert_int_equal(new_mmio(&m), -E2BIG);
	assert_int_equal(new_td(&t), -E2BIG);
	assert_int_equal(new_vmm(&v), -E2BIG);
}

/* GPA width in bits: 48 and 52 place the shared bit at 47 and 51, 0 is
 * 52, and the old flag values or bit numbers are refused. */
static void
test_gpaw_widths(void **state)
{
	static const unsigned bad[] = { 1, 47, 51, 53, 64 };
	struct tdxsim_vmm_config v = TDXSIM_CONFIG_INIT(tdxsim_vmm_config);
	struct tdxsim_td_config t = TDXSIM_CONFIG_INIT(tdxsim_td_config);

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v.gpaw = t.gpaw = bad[i];
		assert_int_equal(new_vmm(&v), -EINVAL);
		assert_int_equal(new_td(&t), -EINVAL);
	}
	for (unsigned w = 0; w <= 52; w += 4) {
		v.gpaw = t.gpaw = w;
		if (w == 0 || w == 48 || w == 52) {
			assert_int_equal(new_vmm(&v), 0);
			assert_int_equal(new_td(&t), 0);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmm_validation),
		cmocka_unit_test(test_vmm_gpaw1),
		cmocka_unit_test(test_vmm_other_subfunctions),
		cmocka_unit_test(test_tpm),
		cmocka_unit_test(test_hpet),
		cmocka_unit_test(test_scratch_round_trip),
		cmocka_unit_test(test_user_device_exact_width),
		cmocka_unit_test(test_script_status),
		cmocka_unit_test(test_script_garbage_tdcall_drift),
		cmocka_unit_test(test_subregisters),
		cmocka_unit_test(test_td_reset_state),
		cmocka_unit_test(test_td_ram_and_pf),
		cmocka_unit_test(test_td_mmio_read),
		cmocka_unit_test(test_td_mmio_read_value),
		cmocka_unit_test(test_td_mmio_write_refused),
		cmocka_unit_test(test_td_ve_sequence),
		cmocka_unit_test(test_td_msr_path),
		cmocka_unit_test(test_td_exact_width_through_td),
		cmocka_unit_test(test_config_sizes),
		cmocka_unit_test(test_gpaw_widths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
