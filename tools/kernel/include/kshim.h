/* SPDX-License-Identifier: MIT */
/*
 * tdxsim's kernel shim: the part of the kernel API that the Linux host TDX
 * code (arch/x86/virt/vmx/tdx/tdx.c) uses, written from the API's
 * documented meaning and backed by tdxsim (tools/kernel/shim.c): memblock,
 * the page allocator and SEAMCALL go to libtdxsim's platform, linux_mm and
 * module; CPUs and packages come from the fixture; printk is captured.
 *
 * Every linux/ and asm/ header tdx.c includes is a one-line file that
 * includes this one. The tree's own asm/tdx.h, asm/shared/tdx.h and
 * asm/trapnr.h are used as they are (copied into the build directory by
 * prepare.py), so the SEAMCALL ABI is the tree's. Nothing here is kernel
 * code; names and meanings are the kernel's public interfaces.
 *
 * Kernel configuration modelled: Debian's x86_64 6.12 config as far as
 * tdx.c looks at it (CONFIG_INTEL_TDX_HOST, CONFIG_ACPI, CONFIG_SUSPEND,
 * CONFIG_NUMA; MAX_NUMNODES 1024).
 */
#ifndef TDXSIM_KSHIM_H
#define TDXSIM_KSHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- configuration ---- */
#define CONFIG_X86_64 1
#define CONFIG_INTEL_TDX_HOST 1
#define CONFIG_ACPI 1
#define CONFIG_SUSPEND 1
#define CONFIG_NUMA 1
#define CONFIG_NODES_SHIFT 10
#define IS_ENABLED(option) (option + 0)

/* ---- types and compiler attributes ---- */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef u64 phys_addr_t;
typedef unsigned int gfp_t;

#define __init
#define __initdata
#define __ro_after_init
#define __read_mostly
#undef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#define __packed __attribute__((__packed__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __maybe_unused __attribute__((__unused__))
#define __must_check __attribute__((__warn_unused_result__))
#define noinstr
#define __noreturn __attribute__((__noreturn__))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define DECLARE_FLEX_ARRAY(type, name) type name[]

/* ---- bits, sizes, alignment ---- */
#define _AC(x, y) (x##y)
#define _UL(x) (_AC(x, UL))
#define _ULL(x) (_AC(x, ULL))
#define _BITUL(x) (_UL(1) << (x))
#define _BITULL(x) (_ULL(1) << (x))
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))
#define BITS_PER_LONG 64
#define GENMASK(h, l) ((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))

/* linux/sizes.h */
#define SZ_1K 0x00000400
#define SZ_2K 0x00000800
#define SZ_4K 0x00001000
#define SZ_8K 0x00002000
#define SZ_16K 0x00004000
#define SZ_32K 0x00008000
#define SZ_64K 0x00010000
#define SZ_128K 0x00020000
#define SZ_256K 0x00040000
#define SZ_512K 0x00080000
#define SZ_1M 0x00100000
#define SZ_2M 0x00200000
#define SZ_4M 0x00400000
#define SZ_8M 0x00800000
#define SZ_16M 0x01000000
#define SZ_32M 0x02000000
#define SZ_64M 0x04000000
#define SZ_128M 0x08000000
#define SZ_256M 0x10000000
#define SZ_512M 0x20000000
#define SZ_1G 0x40000000
#define SZ_2G 0x80000000
#define SZ_4G _AC(0x100000000, ULL)
#define SZ_8G _AC(0x200000000, ULL)
#define SZ_16G _AC(0x400000000, ULL)
#define SZ_32G _AC(0x800000000, ULL)
#define SZ_64G _AC(0x1000000000, ULL)

#define PAGE_SHIFT 12
#define PAGE_SIZE (_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PMD_SHIFT 21
#define PUD_SHIFT 30

/* The kernel's ALIGN is a mask: exact only for powers of two. */
#define ALIGN(x, a) (((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ALIGN((x) - ((a) - 1), (a))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define PAGE_ALIGN(addr) ALIGN(addr, PAGE_SIZE)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)
#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* min()/max() of the kernel compare like types; typeof keeps that. */
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define max_t(t, a, b) max((t)(a), (t)(b))
#define min_t(t, a, b) min((t)(a), (t)(b))

unsigned long roundup_pow_of_two(unsigned long n);

/* ---- errno: the kernel's numbers (x86 uses the generic ones) ---- */
#define EPERM 1
#define ENOENT 2
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define ENOSYS 38
#define EOPNOTSUPP 95
#define ETIMEDOUT 110
#define ENOTSUPP 524

/* ---- printk and WARN ---- */
#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_CONT KERN_SOH "c"

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) ({ if (0) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__); })
#define pr_err_once pr_err
#define pr_warn_once pr_warn
#define pr_info_once pr_info

/* A WARN is recorded as a line "WARNING: at FILE:LINE", which no model
 * prints: any WARN the kernel hits shows up as a difference. */
void kshim_warn(const char *file, int line);
#define WARN_ON(cond) ({ bool _c = !!(cond); if (unlikely(_c)) kshim_warn(__FILE__, __LINE__); unlikely(_c); })
#define WARN_ON_ONCE(cond) WARN_ON(cond)
#define WARN(cond, fmt, ...) WARN_ON(cond)
#define WARN_ONCE(cond, fmt, ...) WARN_ON(cond)
#define BUG_ON(cond) ({ if (unlikely(cond)) kshim_bug(__FILE__, __LINE__); })
__attribute__((__noreturn__)) void kshim_bug(const char *file, int line);

/* ---- lists ---- */
struct list_head {
	struct list_head *next, *prev;
};
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}

static inline void list_add_tail(struct list_head *entry, struct list_head *head)
{
	entry->prev = head->prev;
	entry->next = head;
	head->prev->next = entry;
	head->prev = entry;
}

static inline void list_add(struct list_head *entry, struct list_head *head)
{
	entry->next = head->next;
	entry->prev = head;
	head->next->prev = entry;
	head->next = entry;
}

static inline void list_del(struct list_head *entry)
{
	entry->prev->next = entry->next;
	entry->next->prev = entry->prev;
	entry->next = entry->prev = NULL;
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_for_each_entry(pos, head, member) \
	for (pos = list_first_entry(head, __typeof__(*pos), member); \
	     &pos->member != (head); pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member) \
	for (pos = list_first_entry(head, __typeof__(*pos), member), \
	     n = list_next_entry(pos, member); \
	     &pos->member != (head); pos = n, n = list_next_entry(n, member))

/* ---- locking: one thread, so only the bookkeeping the code asserts ---- */
struct mutex {
	int locked;
};
#define DEFINE_MUTEX(name) struct mutex name = { 0 }
static inline void mutex_lock(struct mutex *m) { m->locked = 1; }
static inline void mutex_unlock(struct mutex *m) { m->locked = 0; }

typedef struct {
	int locked;
} raw_spinlock_t;
typedef raw_spinlock_t spinlock_t;
#define DEFINE_RAW_SPINLOCK(name) raw_spinlock_t name = { 0 }
#define DEFINE_SPINLOCK(name) spinlock_t name = { 0 }
static inline void raw_spin_lock(raw_spinlock_t *l) { l->locked = 1; }
static inline void raw_spin_unlock(raw_spinlock_t *l) { l->locked = 0; }
#define spin_lock raw_spin_lock
#define spin_unlock raw_spin_unlock
#define lockdep_assert_irqs_disabled() do { } while (0)
#define lockdep_assert_cpus_held() do { } while (0)
#define lockdep_assert_held(l) do { } while (0)
#define local_irq_save(flags) ((void)(flags))
#define local_irq_restore(flags) ((void)(flags))
#define cond_resched() do { } while (0)
#define might_sleep() do { } while (0)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define mb() smp_mb()
#define rmb() smp_rmb()
#define wmb() smp_wmb()

static inline void get_online_mems(void) { }
static inline void put_online_mems(void) { }
static inline void cpus_read_lock(void) { }
static inline void cpus_read_unlock(void) { }

/* ---- CPUs, per-CPU data, packages ---- */
#define KSHIM_MAX_CPUS 8192
unsigned int kshim_this_cpu(void);
unsigned int kshim_nr_cpus(void);
#define DEFINE_PER_CPU(type, name) __typeof__(type) name[KSHIM_MAX_CPUS]
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name[KSHIM_MAX_CPUS]
#define __this_cpu_read(var) ((var)[kshim_this_cpu()])
#define __this_cpu_write(var, val) ((var)[kshim_this_cpu()] = (val))
#define this_cpu_read(var) __this_cpu_read(var)
#define this_cpu_write(var, val) __this_cpu_write(var, val)
#define per_cpu(var, cpu) ((var)[(cpu)])
#define smp_processor_id() kshim_this_cpu()
#define raw_smp_processor_id() kshim_this_cpu()

int topology_physical_package_id(unsigned int cpu);
#define topology_physical_package_id(cpu) topology_physical_package_id(cpu)
#define for_each_online_cpu(cpu) \
	for ((cpu) = 0; (unsigned int)(cpu) < kshim_nr_cpus(); (cpu)++)
#define for_each_possible_cpu(cpu) for_each_online_cpu(cpu)
#define num_online_cpus() kshim_nr_cpus()

/* cpumask_var_t as a bit array big enough for every CPU or package id. */
struct cpumask {
	unsigned long bits[KSHIM_MAX_CPUS / 64];
};
typedef struct cpumask cpumask_var_t[1];
bool zalloc_cpumask_var(cpumask_var_t *mask, gfp_t flags);
void free_cpumask_var(struct cpumask *mask);
bool cpumask_test_and_set_cpu(int cpu, struct cpumask *mask);
int smp_call_on_cpu(unsigned int cpu, int (*func)(void *), void *par, bool phys);
void wbinvd_on_all_cpus(void);

/* ---- NUMA ---- */
#define MAX_NUMNODES (1 << CONFIG_NODES_SHIFT)
#define NUMA_NO_NODE (-1)
typedef struct {
	unsigned long bits[MAX_NUMNODES / 64];
} nodemask_t;
extern nodemask_t node_online_map;

/* ---- memblock ---- */
/* Walks memblock.memory, as the kernel's iterator does: region by region,
 * start and end as page frame numbers, and the region's node. */
void kshim_memblock_range(int *idx, unsigned long *start_pfn,
			  unsigned long *end_pfn, int *nid);
#define for_each_mem_pfn_range(i, nid_filter, p_start, p_end, p_nid) \
	for ((i) = -1, kshim_memblock_range(&(i), p_start, p_end, p_nid); \
	     (i) >= 0; kshim_memblock_range(&(i), p_start, p_end, p_nid))

/* ---- memory: slab, pages, contiguous ranges, physical addresses ---- */
#define GFP_KERNEL 0x1u
#define GFP_ATOMIC 0x2u
#define __GFP_ZERO 0x100u
#define __GFP_NOWARN 0x200u

void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void kfree(const void *ptr);
void *alloc_pages_exact(size_t size, gfp_t flags);
void free_pages_exact(void *virt, size_t size);

struct page;
struct page *alloc_contig_pages(unsigned long nr_pages, gfp_t gfp, int nid,
				nodemask_t *nodemask);
void free_contig_range(unsigned long pfn, unsigned long nr_pages);
unsigned long page_to_pfn(const struct page *page);
struct page *pfn_to_page(unsigned long pfn);
void *page_address(const struct page *page);
extern struct page *kshim_zero_page;
#define ZERO_PAGE(vaddr) ((void)(vaddr), kshim_zero_page)

/* Kernel buffers have physical addresses in the simulated machine; what
 * the module reads at them is what the kernel wrote. */
unsigned long kshim_pa(const void *virt);
void *kshim_va(unsigned long pa);
#define __pa(x) kshim_pa((const void *)(x))
#define __va(x) kshim_va((unsigned long)(x))
#define virt_to_phys(x) __pa(x)

/* Only the order matters to callers: not the kernel's heapsort, but any
 * sort gives the one order of disjoint areas it is used for. */
void sort(void *base, size_t num, size_t size,
	  int (*cmp)(const void *, const void *),
	  void (*swap)(void *, void *, int));

/* ---- x86: instructions, MSRs, CPU features ---- */
void movdir64b(void *dst, const void *src);
#define MSR_IA32_MKTME_KEYID_PARTITIONING 0x00000087
int rdmsr_safe(unsigned int msr, u32 *low, u32 *high);
int rdmsrl_safe(unsigned int msr, u64 *value);
#define rdmsrq_safe rdmsrl_safe

#define X86_FEATURE_TDX_HOST_PLATFORM 1
#define X86_BUG_TDX_PW_MCE 2
bool boot_cpu_has(int feature);
void setup_force_cpu_cap(int feature);
void setup_force_cpu_bug(int bug);
#define cpu_feature_enabled(f) boot_cpu_has(f)
#define boot_cpu_has_bug(b) boot_cpu_has(b)

struct cpuinfo_x86 {
	unsigned int x86_vfm;
};
extern struct cpuinfo_x86 boot_cpu_data;
#define VFM_MAKE(vendor, family, model) (((vendor) << 16) | ((family) << 8) | (model))
#define X86_VENDOR_INTEL 0
#define INTEL_SAPPHIRERAPIDS_X VFM_MAKE(X86_VENDOR_INTEL, 6, 0x8F)
#define INTEL_EMERALDRAPIDS_X VFM_MAKE(X86_VENDOR_INTEL, 6, 0xCF)
#define INTEL_GRANITERAPIDS_X VFM_MAKE(X86_VENDOR_INTEL, 6, 0xAD)

#define RDRAND_RETRY_LOOPS 10

/* The SEAMCALL instruction (the tree's asm/tdx.h declares these). */
struct pt_regs;

/* ---- power management, memory hotplug, machine checks ---- */
bool hibernation_available(void);
extern int (*acpi_suspend_lowlevel)(void);

struct notifier_block {
	int (*notifier_call)(struct notifier_block *nb, unsigned long action,
			     void *data);
	struct notifier_block *next;
	int priority;
};
#define NOTIFY_DONE 0x0000
#define NOTIFY_OK 0x0001
#define NOTIFY_STOP_MASK 0x8000
#define NOTIFY_BAD (NOTIFY_STOP_MASK | 0x0002)
#define MEM_ONLINE (1 << 0)
#define MEM_GOING_OFFLINE (1 << 1)
#define MEM_OFFLINE (1 << 2)
#define MEM_GOING_ONLINE (1 << 3)
#define MEM_CANCEL_ONLINE (1 << 4)
#define MEM_CANCEL_OFFLINE (1 << 5)
struct memory_notify {
	unsigned long start_pfn;
	unsigned long nr_pages;
	int status_change_nid_normal;
	int status_change_nid;
};
int register_memory_notifier(struct notifier_block *nb);

struct mce {
	u64 status;
	u64 misc;
	u64 addr;
	u64 mcgstatus;
	u8 cpuvendor;
};
bool mce_is_memory_error(struct mce *m);
bool mce_usable_address(struct mce *m);

#endif /* TDXSIM_KSHIM_H */
