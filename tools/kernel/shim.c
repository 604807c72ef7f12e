/* SPDX-License-Identifier: MIT */
/*
 * The kernel API of kshim.h, backed by tdxsim. tdx.c calls these without
 * any context argument, as kernel code does, so the machine it runs on is
 * one process-wide pointer (kshim_machine), set by shim-host.c for the one
 * run a process makes. This is test-program code: libtdxsim has no globals.
 *
 * Memory: every kmalloc()/alloc_pages_exact() buffer gets a physical
 * address in the simulated machine (a bump allocator from KSHIM_HEAP_PA,
 * aligned as the kernel aligns the buffer). __pa() marks a buffer as seen
 * by the module; around every SEAMCALL whose leaf takes memory operands
 * those buffers are copied into the module's simulated memory and back,
 * so TDH.SYS.CONFIG reads exactly the TDMR_INFO the kernel wrote.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tdxsim/tdxsim.h>

#include "shim-host.h"

#include <asm/tdx.h>

/* Where kernel buffers live in the simulated machine: below any HKID bit,
 * and nothing else the module writes is there. */
#define KSHIM_HEAP_PA 0x10000000ULL
/* alloc_pages_exact() serves at most MAX_PAGE_ORDER (4 MiB) pages. */
#define KSHIM_MAX_EXACT (4UL << 20)

struct kshim_machine *kshim_machine;

/* ---- the run's record ---- */

static void
push_line(struct kshim_machine *m, char *line)
{
	if (m->line_count == m->line_capacity) {
		size_t cap = m->line_capacity ? 2 * m->line_capacity : 16;
		char **lines = realloc(m->lines, cap * sizeof(*lines));

		if (!lines)
			kshim_fatal("out of memory");
		m->lines = lines;
		m->line_capacity = cap;
	}
	m->lines[m->line_count++] = line;
}

/* KERN_CONT continues the last line; other levels start a new one. */
static void
record_text(struct kshim_machine *m, const char *text, bool cont)
{
	const char *nl;

	do {
		size_t len;
		char *line;

		nl = strchr(text, '\n');
		len = nl ? (size_t)(nl - text) : strlen(text);
		if (cont && m->line_count > 0) {
			char *prev = m->lines[m->line_count - 1];
			size_t plen = strlen(prev);

			line = realloc(prev, plen + len + 1);
			if (!line)
				kshim_fatal("out of memory");
			memcpy(line + plen, text, len);
			line[plen + len] = '\0';
			m->lines[m->line_count - 1] = line;
		} else if (len > 0 || nl) {
			line = strndup(text, len);
			if (!line)
				kshim_fatal("out of memory");
			push_line(m, line);
		}
		cont = false;
		text = nl ? nl + 1 : text + len;
	} while (nl && *text);
}

int
printk(const char *fmt, ...)
{
	char buf[1024];
	const char *text = buf;
	bool cont = false;
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	/* A level is "\001" and one character; "c" continues the line. */
	while (text[0] == '\001' && text[1]) {
		cont = cont || text[1] == 'c';
		text += 2;
	}
	record_text(kshim_machine, text, cont);
	return n;
}

void
kshim_warn(const char *file, int line)
{
	char buf[512];
	const char *base = strrchr(file, '/');

	snprintf(buf, sizeof(buf), "WARNING: at %s:%d", base ? base + 1 : file, line);
	kshim_machine->warnings++;
	record_text(kshim_machine, buf, false);
}

void
kshim_bug(const char *file, int line)
{
	kshim_fatal("kernel BUG at %s:%d", file, line);
}

/* ---- buffers with physical addresses ---- */

static struct kshim_buffer *
find_buffer(const void *virt, size_t *index)
{
	struct kshim_machine *m = kshim_machine;

	for (size_t i = m->buffer_count; i-- > 0;) {
		struct kshim_buffer *b = &m->buffers[i];
		const char *start = b->virt;

		if ((const char *)virt >= start && (const char *)virt < start + b->size) {
			if (index)
				*index = i;
			return b;
		}
	}
	return NULL;
}

static size_t
natural_alignment(size_t size)
{
	size_t align = 8;

	while (align < size && align < 4096)
		align <<= 1;
	return align;
}

static void *
new_buffer(size_t size, size_t align, bool zero, bool pages)
{
	struct kshim_machine *m = kshim_machine;
	size_t rounded = (size + align - 1) & ~(align - 1);
	void *virt;

	if (size == 0)
		return NULL;
	virt = aligned_alloc(align, rounded);
	if (!virt)
		return NULL;
	if (zero)
		memset(virt, 0, rounded);
	if (m->buffer_count == m->buffer_capacity) {
		size_t cap = m->buffer_capacity ? 2 * m->buffer_capacity : 64;
		struct kshim_buffer *b = realloc(m->buffers, cap * sizeof(*b));

		if (!b)
			kshim_fatal("out of memory");
		m->buffers = b;
		m->buffer_capacity = cap;
	}
	m->next_pa = (m->next_pa + align - 1) & ~(uint64_t)(align - 1);
	m->buffers[m->buffer_count++] = (struct kshim_buffer){
		.virt = virt, .size = rounded, .pa = m->next_pa, .pages = pages };
	m->next_pa += rounded;
	return virt;
}

static void
drop_buffer(size_t index)
{
	struct kshim_machine *m = kshim_machine;

	free(m->buffers[index].virt);
	m->buffers[index] = m->buffers[--m->buffer_count];
}

void *
kmalloc(size_t size, gfp_t flags)
{
	return new_buffer(size, natural_alignment(size), flags & __GFP_ZERO, false);
}

void *
kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

void *
kcalloc(size_t n, size_t size, gfp_t flags)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kzalloc(n * size, flags);
}

void
kfree(const void *ptr)
{
	size_t index;

	if (!ptr)
		return;
	if (!find_buffer(ptr, &index) || kshim_machine->buffers[index].virt != ptr)
		kshim_fatal("kfree() of %p, which kmalloc() did not return", ptr);
	drop_buffer(index);
}

void *
alloc_pages_exact(size_t size, gfp_t flags)
{
	if (PAGE_ALIGN(size) > KSHIM_MAX_EXACT)
		return NULL;
	return new_buffer(PAGE_ALIGN(size), PAGE_SIZE, flags & __GFP_ZERO, true);
}

/* The bytes of the last page buffer freed are kept: on a failed init the
 * TDMR list is freed before anyone could look at it. */
void
free_pages_exact(void *virt, size_t size)
{
	struct kshim_machine *m = kshim_machine;
	size_t index;

	if (!find_buffer(virt, &index) || m->buffers[index].virt != virt)
		kshim_fatal("free_pages_exact() of %p, which alloc_pages_exact() did not return",
			    virt);
	(void)size;
	free(m->freed_pages);
	m->freed_pages = malloc(m->buffers[index].size);
	if (!m->freed_pages)
		kshim_fatal("out of memory");
	memcpy(m->freed_pages, virt, m->buffers[index].size);
	m->freed_pages_size = m->buffers[index].size;
	drop_buffer(index);
}

unsigned long
kshim_pa(const void *virt)
{
	struct kshim_buffer *b = find_buffer(virt, NULL);

	if (!b)
		kshim_fatal("__pa() of %p, which the shim did not allocate", virt);
	b->seen_by_module = true;
	return (unsigned long)(b->pa + (uint64_t)((const char *)virt - (const char *)b->virt));
}

void *
kshim_va(unsigned long pa)
{
	/* Only PAMT pages are looked up by address (to clear them with
	 * MOVDIR64B, which the shim does not model): never dereferenced. */
	return (void *)(uintptr_t)pa;
}

void
movdir64b(void *dst, const void *src)
{
	(void)dst;
	(void)src;
}

/* ---- pages from the page allocator model ---- */

/* A struct page pointer encodes its PFN; nobody dereferences it. */
#define PAGE_PTR_BASE 0x1000UL
#define PAGE_PTR_STRIDE 64UL

static unsigned char zero_page_bytes[4096] __attribute__((aligned(4096)));
struct page *kshim_zero_page = (struct page *)(uintptr_t)zero_page_bytes;
nodemask_t node_online_map;

unsigned long
page_to_pfn(const struct page *page)
{
	return ((uintptr_t)page - PAGE_PTR_BASE) / PAGE_PTR_STRIDE;
}

struct page *
pfn_to_page(unsigned long pfn)
{
	return (struct page *)(uintptr_t)(PAGE_PTR_BASE + pfn * PAGE_PTR_STRIDE);
}

void *
page_address(const struct page *page)
{
	if (page == kshim_zero_page)
		return zero_page_bytes;
	kshim_fatal("page_address() of a page the shim cannot map");
}

struct page *
alloc_contig_pages(unsigned long nr_pages, gfp_t gfp, int nid, nodemask_t *nodemask)
{
	uint64_t pfn;
	int ret;

	(void)gfp;
	(void)nodemask;
	if (nid < 0)
		nid = 0;
	ret = tdxsim_linux_mm_alloc_contig(kshim_machine->mm, nr_pages, (unsigned)nid, &pfn);
	if (ret == -ENOMEM || ret == -EINVAL)
		return NULL;
	if (ret < 0)
		kshim_fatal("alloc_contig_pages: %s", strerror(-ret));
	return pfn_to_page((unsigned long)pfn);
}

void
free_contig_range(unsigned long pfn, unsigned long nr_pages)
{
	if (tdxsim_linux_mm_free_contig(kshim_machine->mm, pfn, nr_pages) < 0)
		kshim_fatal("free_contig_range: out of memory");
}

void
kshim_memblock_range(int *idx, unsigned long *start_pfn, unsigned long *end_pfn,
		     int *nid)
{
	const struct tdxsim_linux_mm *mm = kshim_machine->mm;
	size_t next = (size_t)(*idx + 1);
	uint64_t start, end;
	unsigned node;

	if (next >= tdxsim_linux_mm_region_count(mm) ||
	    tdxsim_linux_mm_region(mm, next, &start, &end, &node) < 0) {
		*idx = -1;
		return;
	}
	*idx = (int)next;
	if (start_pfn)
		*start_pfn = (unsigned long)(start >> PAGE_SHIFT);
	if (end_pfn)
		*end_pfn = (unsigned long)(end >> PAGE_SHIFT);
	if (nid)
		*nid = (int)node;
}

/* ---- small library functions ---- */

unsigned long
roundup_pow_of_two(unsigned long n)
{
	unsigned long p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

void
sort(void *base, size_t num, size_t size, int (*cmp)(const void *, const void *),
     void (*swap)(void *, void *, int))
{
	(void)swap;
	qsort(base, num, size, cmp);
}

/* ---- CPUs ---- */

unsigned int
kshim_this_cpu(void)
{
	return kshim_machine->cpu;
}

unsigned int
kshim_nr_cpus(void)
{
	return kshim_machine->nr_cpus;
}

/* The module numbers CPUs package by package (include/tdxsim/module.h). */
int
topology_physical_package_id(unsigned int cpu)
{
	const struct kshim_machine *m = kshim_machine;

	return (int)((uint64_t)cpu * m->nr_packages / m->nr_cpus);
}

bool
zalloc_cpumask_var(cpumask_var_t *mask, gfp_t flags)
{
	(void)flags;
	memset(*mask, 0, sizeof(**mask));
	return true;
}

void
free_cpumask_var(struct cpumask *mask)
{
	(void)mask;
}

bool
cpumask_test_and_set_cpu(int cpu, struct cpumask *mask)
{
	unsigned long bit;
	bool was;

	if (cpu < 0 || cpu >= KSHIM_MAX_CPUS)
		kshim_fatal("CPU %d out of the shim's range", cpu);
	bit = 1UL << (cpu % 64);
	was = mask->bits[cpu / 64] & bit;
	mask->bits[cpu / 64] |= bit;
	return was;
}

int
smp_call_on_cpu(unsigned int cpu, int (*func)(void *), void *par, bool phys)
{
	struct kshim_machine *m = kshim_machine;
	unsigned int saved = m->cpu;
	int ret;

	(void)phys;
	if (cpu >= m->nr_cpus)
		return -ENXIO;
	m->cpu = cpu;
	ret = func(par);
	m->cpu = saved;
	return ret;
}

void
wbinvd_on_all_cpus(void)
{
}

/* ---- CPU features, MSRs ---- */

struct cpuinfo_x86 boot_cpu_data;

bool
boot_cpu_has(int feature)
{
	return kshim_machine->features & (1u << feature);
}

void
setup_force_cpu_cap(int feature)
{
	kshim_machine->features |= 1u << feature;
}

void
setup_force_cpu_bug(int bug)
{
	kshim_machine->features |= 1u << bug;
}

/* IA32_MKTME_KEYID_PARTITIONING: MKTME KeyIDs in the low half, TDX KeyIDs
 * in the high half; TDX KeyIDs start after the last MKTME one. */
int
rdmsr_safe(unsigned int msr, u32 *low, u32 *high)
{
	const struct tdxsim_module_profile *p =
		tdxsim_platform_module_profile(kshim_machine->platform);

	if (msr != MSR_IA32_MKTME_KEYID_PARTITIONING)
		return -EIO;
	*low = p->keyid_start ? p->keyid_start - 1 : 0;
	*high = p->keyid_end > p->keyid_start ? p->keyid_end - p->keyid_start : 0;
	return 0;
}

int
rdmsrl_safe(unsigned int msr, u64 *value)
{
	u32 low, high;
	int ret = rdmsr_safe(msr, &low, &high);

	if (ret == 0)
		*value = (u64)high << 32 | low;
	return ret;
}

/* ---- power management, hotplug, machine checks ---- */

/* A TDX host boots with hibernation off (docs/kernel-in-the-loop.md). */
bool
hibernation_available(void)
{
	return false;
}

static int
acpi_suspend_placeholder(void)
{
	return 0;
}

int (*acpi_suspend_lowlevel)(void) = acpi_suspend_placeholder;

int
register_memory_notifier(struct notifier_block *nb)
{
	kshim_machine->memory_notifier = nb;
	return 0;
}

bool
mce_is_memory_error(struct mce *m)
{
	(void)m;
	return false;
}

bool
mce_usable_address(struct mce *m)
{
	(void)m;
	return false;
}

/* ---- SEAMCALL ---- */

/* Leaves whose operands are registers only: no memory to copy. */
static bool
registers_only(uint64_t leaf)
{
	switch (leaf) {
	case TDXSIM_TDH_SYS_INIT:
	case TDXSIM_TDH_SYS_LP_INIT:
	case TDXSIM_TDH_SYS_RD:
	case TDXSIM_TDH_SYS_KEY_CONFIG:
	case TDXSIM_TDH_SYS_TDMR_INIT:
		return true;
	default:
		return false;
	}
}

static void
sync_buffers(bool to_module)
{
	struct kshim_machine *m = kshim_machine;

	for (size_t i = 0; i < m->buffer_count; i++) {
		struct kshim_buffer *b = &m->buffers[i];
		int ret;

		if (!b->seen_by_module)
			continue;
		ret = to_module ? tdxsim_phys_write(m->module, b->pa, b->virt, b->size)
				: tdxsim_phys_read(m->module, b->pa, b->virt, b->size);
		if (ret < 0)
			kshim_fatal("simulated memory: %s", strerror(-ret));
	}
}

static void
args_to_regs(uint64_t fn, const struct tdx_module_args *a, struct tdxsim_regs *r)
{
	*r = (struct tdxsim_regs){
		.rax = fn, .rcx = a->rcx, .rdx = a->rdx, .r8 = a->r8, .r9 = a->r9,
		.r10 = a->r10, .r11 = a->r11, .r12 = a->r12, .r13 = a->r13,
		.r14 = a->r14, .r15 = a->r15, .rbx = a->rbx, .rdi = a->rdi,
		.rsi = a->rsi,
	};
}

static void
regs_to_args(const struct tdxsim_regs *r, struct tdx_module_args *a)
{
	a->rcx = r->rcx;
	a->rdx = r->rdx;
	a->r8 = r->r8;
	a->r9 = r->r9;
	a->r10 = r->r10;
	a->r11 = r->r11;
	a->r12 = r->r12;
	a->r13 = r->r13;
	a->r14 = r->r14;
	a->r15 = r->r15;
	a->rbx = r->rbx;
	a->rdi = r->rdi;
	a->rsi = r->rsi;
}

static u64
bridge_seamcall(u64 fn, struct tdx_module_args *args, bool write_back)
{
	struct kshim_machine *m = kshim_machine;
	uint64_t leaf = fn & 0xFFFF;
	bool memory = !registers_only(leaf);
	struct tdxsim_regs regs;
	int ret;

	args_to_regs(fn, args, &regs);
	if (memory)
		sync_buffers(true);
	ret = tdxsim_seamcall(m->module, m->cpu, &regs);
	if (ret < 0)
		kshim_fatal("tdxsim_seamcall(0x%llx) on CPU %u: %s",
			    (unsigned long long)fn, m->cpu, strerror(-ret));
	if (memory)
		sync_buffers(false);
	if (leaf == TDXSIM_TDH_SYS_CONFIG)
		kshim_record_config(m, args->rcx, args->rdx);
	if (write_back)
		regs_to_args(&regs, args);
	m->seamcalls++;
	return regs.rax;
}

/* The instruction wrappers of tdxcall.S: __seamcall() returns RAX only;
 * the _ret variants also write the output registers back. */
u64
__seamcall(u64 fn, struct tdx_module_args *args)
{
	return bridge_seamcall(fn, args, false);
}

u64
__seamcall_ret(u64 fn, struct tdx_module_args *args)
{
	return bridge_seamcall(fn, args, true);
}

u64
__seamcall_saved_ret(u64 fn, struct tdx_module_args *args)
{
	return bridge_seamcall(fn, args, true);
}
