/* SPDX-License-Identifier: MIT */
/*
 * A TD guest machine: one vCPU, a guest page table of linear-address
 * ranges, a memory bus of private and shared GPA ranges, the #VE path.
 *
 * Sources: intel/tdx-module (tdx_1.5) tdvps_ve_info_t in
 * src/common/data_structures/tdx_tdvps.h and tdg_vp_veinfo_get() (VE_INFO,
 * TDG.VP.VEINFO.GET); td_ept_violation_exit() in
 * src/td_dispatcher/vm_exits/td_ept_violation.c and tdx_inject_ve() in
 * td_other_exits.c (the CPU's EPT-violation #VE on shared GPAs, the
 * module-injected #VE, #DF while VALID); get_gpa_shared_bit() (shared bit
 * by GPAW); td_vmcs_init.c, helpers.c write_guest_cr0() and the MSR
 * lookup table msr_config_lookup.c (CR0, IA32_PAT, MTRR MSRs #VE);
 * Linux 6.12 arch/x86/kernel/traps.c exc_virtualization_exception() and
 * arch/x86/coco/tdx/tdx.c (the #VE entry: VEINFO.GET first, then
 * handle_mmio(), read_msr()/write_msr()); SDM vol. 3 4.6-4.7 (paging
 * permissions, #PF error code), vol. 1 3.4.1.1 (sub-register writes).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <tdxsim/machine.h>
#include <tdxsim/status.h>

#include "common.h"
#include "range.h"

#define PAGE		0x1000ull
#define CHUNK		0x1000ull
#define RESET_RIP	0xffffffff81000000ull
#define RESET_CR0	0x21ull			/* PE | NE (td_vmcs_init.c) */
#define RESET_PAT	0x0007040600070406ull	/* td_vmcs_init.c */
/* Where tdxsim_td_run_insn() puts an unmapped RIP's code (private). */
#define CODE_GPA	0x100000ull

#define CR0_PE		(1ull << 0)
#define CR0_NE		(1ull << 5)
#define CR0_WP		(1ull << 16)
#define CR0_NW		(1ull << 29)
#define CR0_CD		(1ull << 30)
#define CR0_PG		(1ull << 31)
/* Bits the module keeps (td_vmcs_init.c's CR0 guest/host mask: 28:19,
 * 17, 15:6). */
#define CR0_IGNORED	(0x1ff80000ull | (1ull << 17) | 0xffc0ull)
#define RFLAGS_RF	(1ull << 16)
#define MSR_PAT		0x277u

/* EPT-violation exit qualification (SDM vol. 3, table 28-7). */
#define EPTQ_READ	(1ull << 0)
#define EPTQ_WRITE	(1ull << 1)
#define EPTQ_FETCH	(1ull << 2)
#define EPTQ_GLA_VALID	(1ull << 7)
#define EPTQ_GLA_FINAL	(1ull << 8)

struct mapping {
	struct tdxsim_range va;
	uint64_t gpa;
	unsigned perm;
};

struct chunk {
	uint64_t offset;
	uint8_t *bytes;
};

struct ram {
	struct tdxsim_range gpa;
	struct chunk *chunks;	/* sparse: only written chunks exist */
	size_t nchunks, cap;
};

struct tdxsim_td {
	struct tdxsim_td_config config;
	uint64_t shared_bit;
	tdxsim_tdvmcall_fn vmm;
	void *vmm_ctx;
	struct tdxsim_mmio_handler *handler;
	struct tdxsim_vcpu_regs regs;
	int user;
	uint64_t cr0, pat;
	struct mapping *maps;
	size_t nmaps, cap_maps;
	struct ram *ram;
	size_t nram, cap_ram;
	struct tdxsim_range *mmio;
	size_t nmmio, cap_mmio;
	struct tdxsim_veinfo ve;	/* VE_INFO in TDVPS */
	int ve_valid;
};

/* ---- sub-registers ---- */

static const char *const gpr_names[16] = {
	"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
	"8", "9", "10", "11", "12", "13", "14", "15",
};

static uint64_t
width_mask(unsigned size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

/* rax/eax/ax/al forms of the first eight (al via "a"+"l"). */
static int
parse_legacy(const char *n, struct tdxsim_reg_ref *out)
{
	static const char *const low8[8] = { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil" };
	static const char *const high8[4] = { "ah", "ch", "dh", "bh" };

	for (int i = 0; i < 8; i++) {
		const char *g = gpr_names[i];

		if (n[0] == 'r' && !strcmp(n + 1, g))
			*out = (struct tdxsim_reg_ref){ i, 8, 0 };
		else if (n[0] == 'e' && !strcmp(n + 1, g))
			*out = (struct tdxsim_reg_ref){ i, 4, 0 };
		else if (!strcmp(n, g))
			*out = (struct tdxsim_reg_ref){ i, 2, 0 };
		else if (!strcmp(n, low8[i]))
			*out = (struct tdxsim_reg_ref){ i, 1, 0 };
		else if (i < 4 && !strcmp(n, high8[i]))
			*out = (struct tdxsim_reg_ref){ i, 1, 1 };
		else
			continue;
		return 0;
	}
	return -EINVAL;
}

/* r8..r15 with an optional d, w, b or l suffix. */
static int
parse_numbered(const char *n, struct tdxsim_reg_ref *out)
{
	char *end;
	long num;

	if (n[0] != 'r' || !isdigit((unsigned char)n[1]))
		return -EINVAL;
	num = strtol(n + 1, &end, 10);
	if (num < 8 || num > 15)
		return -EINVAL;
	*out = (struct tdxsim_reg_ref){ (enum tdxsim_gpr)num, 8, 0 };
	if (!strcmp(end, "d"))
		out->size = 4;
	else if (!strcmp(end, "w"))
		out->size = 2;
	else if (!strcmp(end, "b") || !strcmp(end, "l"))
		out->size = 1;
	else if (*end)
		return -EINVAL;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_reg_ref_parse(const char *name, struct tdxsim_reg_ref *out)
{
	char n[8];
	size_t len;

	if (!name || !out || (len = strlen(name)) == 0 || len >= sizeof(n))
		return -EINVAL;
	for (size_t i = 0; i <= len; i++)
		n[i] = (char)tolower((unsigned char)name[i]);
	if (!parse_numbered(n, out))
		return 0;
	return parse_legacy(n, out);
}

static int
ref_valid(struct tdxsim_reg_ref ref)
{
	if ((unsigned)ref.gpr > TDXSIM_R15)
		return 0;
	if (ref.high8)
		return ref.size == 1 && ref.gpr <= TDXSIM_RBX;
	return ref.size == 1 || ref.size == 2 || ref.size == 4 || ref.size == 8;
}

TDXSIM_EXPORT uint64_t
tdxsim_vcpu_reg_get(const struct tdxsim_vcpu_regs *regs,
		    struct tdxsim_reg_ref ref)
{
	if (!regs || !ref_valid(ref))
		return 0;
	if (ref.high8)
		return (regs->gpr[ref.gpr] >> 8) & 0xff;
	return regs->gpr[ref.gpr] & width_mask(ref.size);
}

TDXSIM_EXPORT int
tdxsim_vcpu_reg_set(struct tdxsim_vcpu_regs *regs, struct tdxsim_reg_ref ref,
		    uint64_t value)
{
	uint64_t *r;

	if (!regs || !ref_valid(ref))
		return -EINVAL;
	r = &regs->gpr[ref.gpr];
	if (ref.high8)
		*r = (*r & ~0xff00ull) | ((value & 0xff) << 8);
	else if (ref.size == 4)
		*r = value & 0xffffffffull;	/* SDM 3.4.1.1: zero-extends */
	else
		*r = (*r & ~width_mask(ref.size)) | (value & width_mask(ref.size));
	return 0;
}

/* ---- lifetime ---- */

TDXSIM_EXPORT int
tdxsim_td_new(const struct tdxsim_td_config *config, tdxsim_tdvmcall_fn vmm,
	      void *vmm_ctx, struct tdxsim_td **out)
{
	struct tdxsim_mmio_config mc = TDXSIM_CONFIG_INIT(tdxsim_mmio_config);
	struct tdxsim_td_config c = { .size = sizeof(c) };
	struct tdxsim_td *td;
	int ret;

	if (!vmm || !out)
		return -EINVAL;
	ret = config ? tdxsim_config_copy(&c, sizeof(c), config, TDXSIM_TD_CONFIG_SIZE_V1) : 0;
	if (ret == 0)
		ret = tdxsim_gpaw_resolve(&c.gpaw);
	if (ret < 0)
		return ret;
	td = calloc(1, sizeof(*td));
	if (!td)
		return -ENOMEM;
	td->config = c;
	mc.mode = td->config.mode;
	mc.gpaw = td->config.gpaw;
	mc.user_mmio = td->config.user_mmio;
	ret = tdxsim_mmio_handler_new(&mc, &td->handler);
	if (ret) {
		free(td);
		return ret;
	}
	td->shared_bit = 1ull << (td->config.gpaw - 1);
	td->vmm = vmm;
	td->vmm_ctx = vmm_ctx;
	td->regs.rip = RESET_RIP;
	td->regs.rflags = 0x2;
	td->cr0 = RESET_CR0;
	td->pat = RESET_PAT;
	*out = td;
	return 0;
}

TDXSIM_EXPORT void
tdxsim_td_free(struct tdxsim_td *td)
{
	if (!td)
		return;
	for (size_t i = 0; i < td->nram; i++) {
		for (size_t c = 0; c < td->ram[i].nchunks; c++)
			free(td->ram[i].chunks[c].bytes);
		free(td->ram[i].chunks);
	}
	free(td->ram);
	free(td->maps);
	free(td->mmio);
	tdxsim_mmio_handler_free(td->handler);
	free(td);
}

TDXSIM_EXPORT struct tdxsim_vcpu_regs *
tdxsim_td_regs(struct tdxsim_td *td)
{
	return td ? &td->regs : NULL;
}

TDXSIM_EXPORT int
tdxsim_td_set_reg(struct tdxsim_td *td, const char *name, uint64_t value)
{
	struct tdxsim_reg_ref ref;

	if (!td || tdxsim_reg_ref_parse(name, &ref))
		return -EINVAL;
	return tdxsim_vcpu_reg_set(&td->regs, ref, value);
}

TDXSIM_EXPORT void
tdxsim_td_set_user(struct tdxsim_td *td, int user)
{
	if (td)
		td->user = !!user;
}

TDXSIM_EXPORT uint64_t
tdxsim_td_shared_bit(const struct tdxsim_td *td)
{
	return td ? td->shared_bit : 0;
}

TDXSIM_EXPORT uint64_t
tdxsim_td_cr0(const struct tdxsim_td *td)
{
	return td ? td->cr0 : 0;
}

TDXSIM_EXPORT uint64_t
tdxsim_td_pat(const struct tdxsim_td *td)
{
	return td ? td->pat : 0;
}

/* ---- page table and memory bus ---- */

TDXSIM_EXPORT int
tdxsim_td_map(struct tdxsim_td *td, uint64_t gva, uint64_t gpa, uint64_t size,
	      unsigned perm)
{
	struct tdxsim_range va;
	struct mapping *m;

	if (!td || !size || !tdxsim_range_from_base_size(gva, size, &va) ||
	    !tdxsim_is_aligned(gva | gpa | size, PAGE) || gpa + size < gpa)
		return -EINVAL;
	for (size_t i = 0; i < td->nmaps; i++)
		if (tdxsim_range_overlaps(td->maps[i].va, va))
			return -EEXIST;
	if (tdxsim_array_reserve((void **)&td->maps, &td->cap_maps,
				 td->nmaps + 1, sizeof(*td->maps)))
		return -ENOMEM;
	m = &td->maps[td->nmaps++];
	*m = (struct mapping){ va, gpa, perm };
	return 0;
}

/* GPA bits at or above 52 are reserved; with width 48 so are 51:48
 * (the module's check_gpa_validity()). */
static int
gpa_reserved(const struct tdxsim_td *td, uint64_t gpa)
{
	return (gpa >> td->config.gpaw) != 0;
}

static struct ram *
find_ram(struct tdxsim_td *td, uint64_t gpa)
{
	for (size_t i = 0; i < td->nram; i++)
		if (tdxsim_range_contains(td->ram[i].gpa, gpa))
			return &td->ram[i];
	return NULL;
}

static int
bus_overlaps(const struct tdxsim_td *td, struct tdxsim_range r)
{
	for (size_t i = 0; i < td->nram; i++)
		if (tdxsim_range_overlaps(td->ram[i].gpa, r))
			return 1;
	for (size_t i = 0; i < td->nmmio; i++)
		if (tdxsim_range_overlaps(td->mmio[i], r))
			return 1;
	return 0;
}

static int
bus_range(const struct tdxsim_td *td, uint64_t gpa, uint64_t size,
	  struct tdxsim_range *r)
{
	if (!td || !size || !tdxsim_range_from_base_size(gpa, size, r) ||
	    gpa_reserved(td, r->end - 1))
		return -EINVAL;
	return bus_overlaps(td, *r) ? -EEXIST : 0;
}

TDXSIM_EXPORT int
tdxsim_td_add_ram(struct tdxsim_td *td, uint64_t gpa, uint64_t size)
{
	struct tdxsim_range r;
	int ret = bus_range(td, gpa, size, &r);

	if (ret)
		return ret;
	if (tdxsim_array_reserve((void **)&td->ram, &td->cap_ram, td->nram + 1,
				 sizeof(*td->ram)))
		return -ENOMEM;
	td->ram[td->nram++] = (struct ram){ .gpa = r };
	return 0;
}

TDXSIM_EXPORT int
tdxsim_td_add_mmio(struct tdxsim_td *td, uint64_t gpa, uint64_t size)
{
	struct tdxsim_range r;
	int ret = bus_range(td, gpa, size, &r);

	if (ret)
		return ret;
	if (!(gpa & td->shared_bit) || !((r.end - 1) & td->shared_bit))
		return -EINVAL;
	if (tdxsim_array_reserve((void **)&td->mmio, &td->cap_mmio,
				 td->nmmio + 1, sizeof(*td->mmio)))
		return -ENOMEM;
	td->mmio[td->nmmio++] = r;
	return 0;
}

/* The chunk holding offset; created (zeroed) only when create is set. */
static uint8_t *
ram_byte(struct ram *ram, uint64_t gpa, int create)
{
	uint64_t off = gpa - ram->gpa.start;
	uint64_t base = off & ~(CHUNK - 1);
	struct chunk *c;

	for (size_t i = 0; i < ram->nchunks; i++)
		if (ram->chunks[i].offset == base)
			return &ram->chunks[i].bytes[off - base];
	if (!create || tdxsim_array_reserve((void **)&ram->chunks, &ram->cap,
					    ram->nchunks + 1, sizeof(*c)))
		return NULL;
	c = &ram->chunks[ram->nchunks];
	c->bytes = calloc(1, CHUNK);
	if (!c->bytes)
		return NULL;
	c->offset = base;
	ram->nchunks++;
	return &c->bytes[off - base];
}

static int
ram_read8(struct ram *ram, uint64_t gpa, uint8_t *out)
{
	uint8_t *b = ram_byte(ram, gpa, 0);

	*out = b ? *b : 0;
	return 0;
}

static int
ram_write8(struct ram *ram, uint64_t gpa, uint8_t v)
{
	uint8_t *b = ram_byte(ram, gpa, 1);

	if (!b)
		return -ENOMEM;
	*b = v;
	return 0;
}

/* ---- translation ---- */

enum kind { K_READ, K_WRITE, K_FETCH };

static const struct mapping *
find_map(const struct tdxsim_td *td, uint64_t gva)
{
	for (size_t i = 0; i < td->nmaps; i++)
		if (tdxsim_range_contains(td->maps[i].va, gva))
			return &td->maps[i];
	return NULL;
}

/* SDM vol. 3 4.6: user needs U; a write needs W unless supervisor with
 * CR0.WP = 0 (the TD's reset CR0 0x21 has WP clear); a fetch needs X. */
static int
perm_ok(const struct tdxsim_td *td, unsigned perm, enum kind k)
{
	if (td->user && !(perm & TDXSIM_PTE_U))
		return 0;
	if (k == K_WRITE && !(perm & TDXSIM_PTE_W) &&
	    (td->user || (td->cr0 & CR0_WP)))
		return 0;
	return k != K_FETCH || (perm & TDXSIM_PTE_X);
}

static uint32_t
pfec_base(const struct tdxsim_td *td, enum kind k)
{
	return (k == K_WRITE ? TDXSIM_PFEC_W : 0) | (td->user ? TDXSIM_PFEC_U : 0) |
	       (k == K_FETCH ? TDXSIM_PFEC_I : 0);
}

/*
 * GVA to GPA; false with the #PF error code in *pfec. (The error code of a
 * supervisor read of a page not present is 0, so it cannot double as the
 * success value.)
 */
static bool
translate(const struct tdxsim_td *td, uint64_t gva, enum kind k, uint64_t *gpa,
	  uint32_t *pfec)
{
	const struct mapping *m = find_map(td, gva);

	*pfec = pfec_base(td, k);
	if (!m)
		return false;
	*pfec |= TDXSIM_PFEC_P;
	if (!perm_ok(td, m->perm, k))
		return false;
	*gpa = m->gpa + (gva - m->va.start);
	/* td_ept_violation_exit(): reserved GPA bits with GLA valid -> #PF RSVD. */
	*pfec |= TDXSIM_PFEC_RSVD;
	return !gpa_reserved(td, *gpa);
}

/* Up to 15 bytes at RIP: stops at the first byte not fetchable from RAM. */
static size_t
fetch_insn(struct tdxsim_td *td, uint8_t insn[15])
{
	size_t n;

	for (n = 0; n < 15; n++) {
		uint64_t gpa;
		struct ram *ram;

		uint32_t pfec;

		if (!translate(td, td->regs.rip + n, K_FETCH, &gpa, &pfec))
			break;
		ram = find_ram(td, gpa);
		if (!ram)
			break;
		ram_read8(ram, gpa, &insn[n]);
	}
	return n;
}

/* ---- #VE ---- */

static void
result_init(struct tdxsim_td_result *out)
{
	memset(out, 0, sizeof(*out));
}

/* The value an emulated MMIO read got: in the GHCI's
 * TDG.VP.VMCALL<#VE.RequestMMIO>, R13 0 asks for a read of R12 bytes and
 * the reply's R11 carries them (Linux arch/x86/coco/tdx/tdx.c, mmio_read(),
 * keeps the low R12 bytes). 0 for a write, and for MOVS, whose last call
 * is its write. */
static uint64_t
mmio_value_read(const struct tdxsim_mmio_result *r)
{
	uint64_t size = r->request.r12;

	if (!r->tdvmcall_made || r->request.r13 != 0)
		return 0;
	return size >= 8 ? r->reply.r11 : r->reply.r11 & ((1ull << (8 * size)) - 1);
}

TDXSIM_EXPORT uint64_t
tdxsim_td_veinfo_get(struct tdxsim_td *td, struct tdxsim_veinfo *out)
{
	if (out)
		memset(out, 0, sizeof(*out));
	if (!td || !td->ve_valid)
		return TDXSIM_TDX_NO_VALID_VE_INFO;
	if (out)
		*out = td->ve;
	td->ve_valid = 0;	/* tdg_vp_veinfo_get(): VALID = 0 */
	return TDXSIM_TDX_SUCCESS;
}

TDXSIM_EXPORT int
tdxsim_td_handle_ve(struct tdxsim_td *td, const struct tdxsim_veinfo *ve,
		    struct tdxsim_td_result *out)
{
	uint8_t insn[15];
	size_t n;

	if (!td || !ve || !out)
		return -EINVAL;
	out->veinfo = *ve;
	n = fetch_insn(td, insn);
	out->mmio_ran = 1;
	tdxsim_mmio_handle(td->handler, &td->regs, ve, insn, n, td->user,
			   td->vmm, td->vmm_ctx, &out->mmio);
	if (out->mmio.fatal) {
		out->outcome = TDXSIM_TD_FATAL;
		out->reason = out->mmio.reason;
	} else if (out->mmio.exception == TDXSIM_VECTOR_GP) {
		out->outcome = TDXSIM_TD_GP;	/* arch: the CPU's, not a #VE */
		out->reason = out->mmio.reason;
	} else if (out->mmio.status < 0) {
		/* exc_virtualization_exception() on failure: ve_raise_fault(). */
		out->outcome = TDXSIM_TD_VE_FAULT;
		out->reason = out->mmio.reason;
	} else {
		out->outcome = TDXSIM_TD_OK;
		out->value = mmio_value_read(&out->mmio);
	}
	return 0;
}

/* The CPU's EPT-violation #VE (SDM vol. 3C, "Virtualization
 * Exceptions"); with VALID set the CPU
 * VM-exits instead and the module makes it a TD exit to the VMM. */
static void
ept_violation(struct tdxsim_td *td, uint64_t gva, uint64_t gpa, int write,
	      struct tdxsim_td_result *out)
{
	uint64_t qual = (write ? EPTQ_WRITE : EPTQ_READ) | EPTQ_GLA_VALID |
			EPTQ_GLA_FINAL;
	struct tdxsim_veinfo ve;

	if (td->ve_valid || !(gpa & td->shared_bit)) {
		out->outcome = TDXSIM_TD_EXIT;
		out->reason = td->ve_valid ?
			"EPT violation with VE_INFO valid: TD exit to the VMM" :
			"EPT violation on private GPA without RAM: TD exit to the VMM";
		out->exit_rax = TDXSIM_EXIT_EPT_VIOLATION;
		out->exit_rcx = qual & ~(0x3full << 7);
		out->exit_r8 = gpa & ~0xfffull;
		return;
	}
	/* Length and info stay stale: the CPU does not write them (5.1). */
	td->ve.exit_reason = TDXSIM_EXIT_EPT_VIOLATION;
	td->ve.exit_qual = qual;
	td->ve.gla = gva;
	td->ve.gpa = gpa;
	td->ve_valid = 1;
	out->ve = 1;
	if (td->config.manual_ve) {
		out->outcome = TDXSIM_TD_VE_PENDING;
		out->veinfo = td->ve;
		return;
	}
	/* exc_virtualization_exception(): tdx_get_ve_info() comes first. */
	tdxsim_td_veinfo_get(td, &ve);
	tdxsim_td_handle_ve(td, &ve, out);
}

/* The module's tdx_inject_ve() (td_other_exits.c): #DF when VALID is
 * still set. */
static int
inject_ve(struct tdxsim_td *td, uint32_t reason, uint64_t qual,
	  uint32_t instr_len, struct tdxsim_td_result *out)
{
	if (td->ve_valid) {
		out->outcome = TDXSIM_TD_FATAL;
		out->df = 1;
		out->reason = "#VE while VE_INFO valid: #DF";
		return 0;
	}
	td->ve = (struct tdxsim_veinfo){ reason, qual, 0, 0, instr_len, 0 };
	td->ve_valid = 1;
	td->regs.rflags |= RFLAGS_RF;
	out->ve = 1;
	tdxsim_td_veinfo_get(td, &out->veinfo);
	return 1;
}

/* ---- data access ---- */

/* Every byte at a canonical address, 48-bit (SDM vol. 1, 3.3.7.1): else the
 * CPU raises #GP(0) before paging (vol. 3A, 6.15). LA57 is not modelled. */
static bool
canonical_access(uint64_t gva, unsigned size)
{
	uint64_t first = gva >> 47, last = (gva + size - 1) >> 47;

	return (first == 0 || first == 0x1FFFF) && (last == 0 || last == 0x1FFFF);
}

static int
translate_all(struct tdxsim_td *td, uint64_t gva, unsigned size, int write,
	      uint64_t gpa[8], struct tdxsim_td_result *out)
{
	for (unsigned i = 0; i < size; i++) {
		uint32_t pfec;

		if (!translate(td, gva + i, write ? K_WRITE : K_READ, &gpa[i], &pfec)) {
			out->outcome = TDXSIM_TD_PF;
			out->pf_error = pfec;
			out->gpa = 0;
			out->reason = "#PF";
			return -1;
		}
	}
	out->gpa = gpa[0];
	return 0;
}

static int
ram_access(struct tdxsim_td *td, const uint64_t gpa[8], unsigned size,
	   int write, uint64_t *value)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++) {
		struct ram *ram = find_ram(td, gpa[i]);
		uint8_t b;

		if (write && ram_write8(ram, gpa[i], (uint8_t)(*value >> (8 * i))))
			return -ENOMEM;
		if (!write) {
			ram_read8(ram, gpa[i], &b);
			v |= (uint64_t)b << (8 * i);
		}
	}
	if (!write)
		*value = v;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_td_access(struct tdxsim_td *td, uint64_t gva, unsigned size, int write,
		 uint64_t *value, struct tdxsim_td_result *out)
{
	uint64_t gpa[8], scratch = 0;

	if (!td || !out || size < 1 || size > 8)
		return -EINVAL;
	result_init(out);
	if (!value)
		value = &scratch;
	if (!canonical_access(gva, size)) {
		out->outcome = TDXSIM_TD_GP;
		out->reason = "#GP(0): non-canonical address";
		return 0;
	}
	if (translate_all(td, gva, size, write, gpa, out))
		return 0;
	for (unsigned i = 0; i < size; i++) {
		if (!find_ram(td, gpa[i])) {
			ept_violation(td, gva + i, gpa[i], write, out);
			return 0;
		}
	}
	if (ram_access(td, gpa, size, write, value))
		return -ENOMEM;
	out->value = write ? 0 : *value;
	out->outcome = TDXSIM_TD_OK;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_td_poke(struct tdxsim_td *td, uint64_t gva, const void *bytes,
	       size_t len)
{
	const uint8_t *p = bytes;

	if (!td || (!bytes && len))
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		const struct mapping *m = find_map(td, gva + i);
		uint64_t gpa;
		struct ram *ram;

		if (!m)
			return -EFAULT;
		gpa = m->gpa + (gva + i - m->va.start);
		ram = find_ram(td, gpa);
		if (!ram)
			return -EFAULT;
		if (ram_write8(ram, gpa, p[i]))
			return -ENOMEM;
	}
	return 0;
}

/* ---- instructions ---- */

/* The access of the MMIO instructions Linux accepts (insn-eval.c
 * insn_decode_mmio()): the CPU's view, for the EPT-violation
 * qualification. 0 or -EINVAL. */
static int
insn_shape(const uint8_t *b, size_t len, unsigned *size, int *write)
{
	int osz16 = 0, rexw = 0;
	size_t i = 0;
	unsigned op;

	for (; i < len; i++) {
		uint8_t c = b[i];

		if (c == 0x66)
			osz16 = 1;
		else if ((c & 0xf0) == 0x40) {
			rexw = (c & 8) != 0;
			continue;	/* REX counts only right before the opcode */
		} else if (!strchr("\x67\xf0\xf2\xf3\x2e\x36\x3e\x26\x64\x65", c) || !c)
			break;
		rexw = 0;
	}
	if (i >= len)
		return -EINVAL;
	op = b[i];
	if (op == 0x0f && i + 1 < len)
		op = 0x0f00 | b[i + 1];
	switch (op) {
	case 0x88: case 0xc6: *size = 1; *write = 1; return 0;
	case 0x8a: case 0xa4: case 0x0fb6: case 0x0fbe: *size = 1; *write = 0; return 0;
	case 0x0fb7: case 0x0fbf: *size = 2; *write = 0; return 0;
	case 0x89: case 0xc7: *write = 1; break;
	case 0x8b: case 0xa5: *write = 0; break;
	default: return -EINVAL;
	}
	*size = rexw ? 8 : osz16 ? 2 : 4;
	return 0;
}

/* Map [va, va+size) to gpa unless an identical mapping exists. */
static int
ensure_map(struct tdxsim_td *td, uint64_t va, uint64_t gpa, uint64_t size,
	   unsigned perm)
{
	const struct mapping *m = find_map(td, va);

	if (!m)
		return tdxsim_td_map(td, va, gpa, size, perm);
	if (m->va.end - va < size || m->gpa + (va - m->va.start) != gpa)
		return -EEXIST;
	return 0;
}

static int
map_code(struct tdxsim_td *td)
{
	uint64_t va = td->regs.rip & ~(PAGE - 1);
	int ret;

	if (find_map(td, td->regs.rip) && find_map(td, td->regs.rip + 14))
		return 0;
	if (!find_ram(td, CODE_GPA)) {
		ret = tdxsim_td_add_ram(td, CODE_GPA, 2 * PAGE);
		if (ret)
			return ret;
	}
	return ensure_map(td, va, CODE_GPA, 2 * PAGE,
			  TDXSIM_PTE_X | (td->user ? TDXSIM_PTE_U : 0));
}

static int
map_data(struct tdxsim_td *td, uint64_t gva, uint64_t gpa)
{
	uint64_t va = gva & ~(PAGE - 1);
	uint64_t pa = (gpa & ~(PAGE - 1)) | td->shared_bit;
	int ret;

	if (gpa & td->shared_bit || gpa_reserved(td, pa))
		return -EINVAL;
	ret = tdxsim_td_add_mmio(td, pa, PAGE);
	if (ret && ret != -EEXIST)
		return ret;
	return ensure_map(td, va, pa, PAGE,
			  TDXSIM_PTE_W | (td->user ? TDXSIM_PTE_U : 0));
}

TDXSIM_EXPORT int
tdxsim_td_run_insn(struct tdxsim_td *td, const struct tdxsim_td_insn *insn,
		   struct tdxsim_td_result *out)
{
	unsigned size = insn ? insn->size : 0;
	int write = insn ? insn->write : 0;
	int ret;

	if (!td || !insn || !out || !insn->bytes || insn->len < 1 ||
	    insn->len > 15)
		return -EINVAL;
	if (!size && insn_shape(insn->bytes, insn->len, &size, &write))
		return -EINVAL;
	if (insn->map) {
		ret = map_code(td);
		if (!ret)
			ret = map_data(td, insn->gva, insn->gpa);
		if (ret)
			return ret;
	}
	ret = tdxsim_td_poke(td, td->regs.rip, insn->bytes, insn->len);
	if (ret)
		return ret;
	return tdxsim_td_access(td, insn->gva, size, write, NULL, out);
}

/* ---- MSRs and CR0 ---- */

/* Linux read_msr()/write_msr(): TDVMCALL 31/32; a nonzero R10 is a
 * #GP-like fault, a failed TDCALL a panic (__tdx_hypercall_failed()). */
static void
msr_tdvmcall(struct tdxsim_td *td, uint32_t msr, int write, uint64_t value,
	     struct tdxsim_td_result *out)
{
	struct tdxsim_tdvmcall call = { 0, write ? TDXSIM_EXIT_WRMSR : TDXSIM_EXIT_RDMSR,
					msr, value, 0, 0 };

	if (td->vmm(td->vmm_ctx, &call)) {
		out->outcome = TDXSIM_TD_FATAL;
		out->reason = "TDVMCALL failed. TDX module bug?";
		return;
	}
	if (call.r10) {
		out->outcome = TDXSIM_TD_VE_FAULT;
		out->reason = "the VMM refused the MSR access";
		out->mmio.reply = call;
		return;
	}
	out->outcome = TDXSIM_TD_OK;
	out->value = write ? 0 : call.r11;
	td->regs.rip += out->veinfo.instr_len;	/* trusted for MSR exits (5.1) */
}

/* SDM vol. 3 13.12.2: PAT entries 2 and 3 and values above 7 reserved. */
static int
pat_valid(uint64_t pat)
{
	for (int i = 0; i < 8; i++) {
		uint8_t e = (uint8_t)(pat >> (8 * i));

		if (e > 7 || e == 2 || e == 3)
			return 0;
	}
	return 1;
}

static int
msr_common(struct tdxsim_td *td, uint32_t msr, int write, uint64_t value,
	   struct tdxsim_td_result *out)
{
	if (!td || !out)
		return -EINVAL;
	result_init(out);
	if (msr == MSR_PAT) {	/* native (msr_config_lookup.c) */
		if (write && !pat_valid(value)) {
			out->outcome = TDXSIM_TD_GP;
			return 0;
		}
		if (write)
			td->pat = value;
		out->value = write ? 0 : td->pat;
		td->regs.rip += 2;
		return 0;
	}
	/* Not in msr_config_lookup.c: every MTRR MSR exits to #VE;
	 * RDMSR/WRMSR are 2 bytes. */
	if (inject_ve(td, write ? TDXSIM_EXIT_WRMSR : TDXSIM_EXIT_RDMSR, 0, 2, out))
		msr_tdvmcall(td, msr, write, value, out);
	return 0;
}

TDXSIM_EXPORT int
tdxsim_td_rdmsr(struct tdxsim_td *td, uint32_t msr, struct tdxsim_td_result *out)
{
	return msr_common(td, msr, 0, 0, out);
}

TDXSIM_EXPORT int
tdxsim_td_wrmsr(struct tdxsim_td *td, uint32_t msr, uint64_t value,
		struct tdxsim_td_result *out)
{
	return msr_common(td, msr, 1, value, out);
}

/* SDM vol. 3 2.5 and MOV CR0: reserved 63:32, NW without CD, PG without
 * PE are #GP(0). */
static int
cr0_arch_invalid(uint64_t v)
{
	return (v >> 32) || ((v & CR0_NW) && !(v & CR0_CD)) ||
	       ((v & CR0_PG) && !(v & CR0_PE));
}

TDXSIM_EXPORT int
tdxsim_td_write_cr0(struct tdxsim_td *td, uint64_t value,
		    struct tdxsim_td_result *out)
{
	if (!td || !out)
		return -EINVAL;
	result_init(out);
	if (cr0_arch_invalid(value)) {
		out->outcome = TDXSIM_TD_GP;
		return 0;
	}
	/* write_guest_cr0(): CR_ACCESS_NON_ARCH -> #VE 28; Linux has no case for
	 * it: "Unexpected #VE" -> -EIO -> fault (virt_exception_kernel()). */
	if (!(value & CR0_PE) || !(value & CR0_NE) || (value & (CR0_NW | CR0_CD))) {
		if (inject_ve(td, TDXSIM_EXIT_CR_ACCESS, 0, 3, out)) {
			out->outcome = TDXSIM_TD_VE_FAULT;
			out->reason = "Unexpected #VE: 28";
		}
		return 0;
	}
	td->cr0 = (value & ~CR0_IGNORED) | (td->cr0 & CR0_IGNORED);
	td->regs.rip += 3;	/* MOV CR0, reg: 0F 22 /r */
	return 0;
}
