/* SPDX-License-Identifier: MIT */
/*
 * tdxsim kernel shim, guest side: the part of the kernel API that the
 * guest's #VE MMIO path uses (insn.c, inat.c, insn_decode_mmio() and what
 * it calls from insn-eval.c, handle_mmio() from coco/tdx/tdx.c), written
 * from the API's documented meaning. Backed by shim-guest.c, which runs the
 * kernel's handle_mmio() on a tdxsim #VE and sends its TDVMCALL to the
 * caller's VMM (tdxsim/guest.h). The host side (kshim.h) is separate.
 *
 * Configuration as an x86_64 TDX guest: CONFIG_X86_64, CONFIG_INTEL_TDX_GUEST,
 * no vm86, no FRED, 4-level paging.
 */
#ifndef KSHIM_GUEST_H
#define KSHIM_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define CONFIG_X86_64 1
#define CONFIG_INTEL_TDX_GUEST 1
#define __KERNEL__ 1

/* ---- types and compiler ---- */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef uint16_t __le16;
typedef uint32_t __le32;
typedef uint64_t __le64;
typedef u64 phys_addr_t;
typedef _Bool bool_t;

#define __user
#define __init
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define noinstr
#define __noreturn __attribute__((noreturn))
#define __packed __attribute__((packed))
#define __maybe_unused __attribute__((unused))
#define __fallthrough __attribute__((fallthrough))
#define fallthrough __attribute__((fallthrough))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define IS_ENABLED(option) (option + 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BUILD_BUG_ON(c) _Static_assert(!(c), #c)
#define BUILD_BUG() __builtin_trap()
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL(sym)
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define GENMASK(h, l) (((~0UL) << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l) (((~0ULL) << (l)) & (~0ULL >> (63 - (h))))
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))

/* ---- errno ---- */
#define EPERM 1
#define EIO 5
#define EFAULT 14
#define EDOM 33
#define EINVAL 22
#define ENODATA 61

/* ---- byte order and unaligned access: x86 is little-endian ---- */
#define le16_to_cpu(x) ((u16)(x))
#define le32_to_cpu(x) ((u32)(x))
#define le64_to_cpu(x) ((u64)(x))
#define cpu_to_le16(x) ((u16)(x))
#define cpu_to_le32(x) ((u32)(x))
#define __le16_to_cpu(x) ((u16)(x))
#define __le32_to_cpu(x) ((u32)(x))
#define __cpu_to_le16(x) ((u16)(x))
#define __cpu_to_le32(x) ((u32)(x))
#define get_unaligned(p) ({ __typeof__(*(p)) v_; memcpy(&v_, (p), sizeof(v_)); v_; })

/* ---- printing and warnings: counted, not printed ---- */
void kshim_guest_warn(const char *file, int line);
#define pr_fmt(fmt) fmt
#define pr_warn(...) ((void)0)
#define pr_err(...) ((void)0)
#define pr_err_ratelimited(...) ((void)0)
#define pr_warn_ratelimited(...) ((void)0)
#define WARN_ON_ONCE(c) ({ bool c_ = !!(c); if (c_) kshim_guest_warn(__FILE__, __LINE__); c_; })
#define WARN_ON(c) WARN_ON_ONCE(c)
#define WARN_ONCE(c, ...) WARN_ON_ONCE(c)
#define BUG() __builtin_trap()

/* ---- registers ---- */
/* The kernel's field names (insn-eval.c takes offsetof() of them); the
 * layout is the shim's own. */
struct pt_regs {
	unsigned long ax, cx, dx, bx, sp, bp, si, di;
	unsigned long r8, r9, r10, r11, r12, r13, r14, r15;
	unsigned long orig_ax, ip, flags;
	unsigned long cs, ss;
};

#define X86_EFLAGS_VM (1UL << 17)
#define __KERNEL_CS 0x10
#define __KERNEL_DS 0x18
#define __USER_CS 0x33
#define __USER_DS 0x2b

static inline int user_mode(struct pt_regs *regs) { return (regs->cs & 3) != 0; }
static inline int v8086_mode(struct pt_regs *regs) { return (regs->flags & X86_EFLAGS_VM) != 0; }
static inline bool user_64bit_mode(struct pt_regs *regs) { return regs->cs == __USER_CS; }
static inline bool any_64bit_mode(struct pt_regs *regs) { (void)regs; return true; }

/* Segment selectors: a 64-bit kernel's data segments are null. */
#define savesegment(seg, value) ((value) = 0)

#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
u64 kshim_guest_rdmsr(u32 msr);
#define rdmsrl(msr, val) ((val) = kshim_guest_rdmsr(msr))

/* Descriptor tables: never consulted in 64-bit mode. */
struct desc_struct {
	u16 limit0, base0;
	u16 base1 : 8, type : 4, s : 1, dpl : 2, p : 1;
	u16 limit1 : 4, avl : 1, l : 1, d : 1, g : 1, base2 : 8;
};
static inline unsigned long get_desc_base(const struct desc_struct *d)
{
	return d->base0 | ((unsigned long)d->base1 << 16) | ((unsigned long)d->base2 << 24);
}
static inline unsigned long get_desc_limit(const struct desc_struct *d)
{
	return d->limit0 | ((unsigned long)d->limit1 << 16);
}
static inline bool get_desc(struct desc_struct *out, unsigned short sel)
{
	(void)out; (void)sel;
	return false;
}

/* ---- memory ---- */
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
/* fault_in_kernel_space() with 4-level paging: TASK_SIZE_MAX and up,
 * except the vsyscall page. */
#define TASK_SIZE_MAX ((1UL << 47) - PAGE_SIZE)
#define VSYSCALL_ADDR 0xffffffffff600000UL
static inline bool fault_in_kernel_space(unsigned long address)
{
	if ((address & ~(PAGE_SIZE - 1)) == VSYSCALL_ADDR)
		return false;
	return address >= TASK_SIZE_MAX;
}
long copy_from_kernel_nofault(void *dst, const void *src, size_t size);

/* ---- TDX guest ---- */
#define EXIT_REASON_EPT_VIOLATION 48

/* What TDG.VP.VEINFO.GET returned (the kernel's field names). */
struct ve_info {
	u64 exit_reason;
	u64 exit_qual;
	u64 gla;
	u64 gpa;
	u32 instr_len;
	u32 instr_info;
};

static inline unsigned long regs_get_register(struct pt_regs *regs, unsigned int offset)
{
	if (offset > sizeof(struct pt_regs) - sizeof(unsigned long))
		return 0;
	return *(unsigned long *)((char *)regs + offset);
}

/* The tree's own TDVMCALL argument block and wrappers. */
#include <asm/shared/tdx.h>

#endif /* KSHIM_GUEST_H */
