#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed corpora of fuzz-sys-config, fuzz-mtrr, fuzz-mmio,
fuzz-mmio-batch and fuzz-layout.

Deterministic: the same files every run. Run from anywhere:
    python3 tools/fuzz/make-seeds.py
The input formats are described at the top of each harness.
"""
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
G = 1 << 30
M = 1 << 20
K4 = 4096


def out(sub, name, data):
    d = os.path.join(HERE, 'corpus', sub)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def q(*v):
    return b''.join(struct.pack('<Q', x & (2**64 - 1)) for x in v)


# ---- sys-config ------------------------------------------------------------

def rup(x, a):
    return (x + a - 1) // a * a


def pamt_sizes(size):
    """4K, 2M, 1G PAMT sizes for a TDMR (16-byte entries, 4 KiB granular)."""
    return [rup(size // K4 * 16, K4), rup(size // (2 * M) * 16, K4),
            rup(max(size // G, 1) * 16, K4)]


def tdmr_info(base, size, pamt, rsvd, slots=16):
    """pamt: [(base, size)] by level 4K, 2M, 1G; layout puts 1G first."""
    b = q(base, size)
    for lvl in (2, 1, 0):
        b += q(*pamt[lvl])
    rs = list(rsvd) + [(0, 0)] * (slots - len(rsvd))
    for off, sz in rs[:slots]:
        b += q(off, sz)
    return b


def place_pamts(base, size, at):
    """PAMTs back to back from `at`; returns [(base, size)] and the end."""
    out_ = []
    for s in pamt_sizes(size):
        out_.append((at, s))
        at += s
    return out_, at


def sysconfig(cmrs, entries, keyid=32, lps=0, pkgs=0, ver=0, slots=0):
    hdr = bytes([len(cmrs), (len(entries) - 1) % 64]) + struct.pack('<H', keyid)
    hdr += bytes([(lps & 7) | (pkgs & 7) << 3 | (ver & 3) << 6, slots, 0, 0])
    body = b''.join(q(b, s) for b, s in cmrs)
    return hdr + body + b''.join(entries)


def sysconfig_seeds():
    seeds = {}
    # One TDMR, PAMTs after it in the same CMR.
    p, _ = place_pamts(0, G, G)
    e0 = tdmr_info(0, G, p, [])
    seeds['one-tdmr'] = sysconfig([(0, 2 * G)], [e0])
    seeds['one-tdmr-2pkg'] = sysconfig([(0, 2 * G)], [e0], lps=7, pkgs=1)
    seeds['one-tdmr-8pkg'] = sysconfig([(0, 2 * G)], [e0], lps=7, pkgs=7)
    seeds['one-tdmr-v1.0'] = sysconfig([(0, 2 * G)], [e0], ver=1)
    seeds['one-tdmr-v2.0'] = sysconfig([(0, 2 * G)], [e0], ver=2, lps=3, pkgs=1)
    seeds['keyid-63'] = sysconfig([(0, 2 * G)], [e0], keyid=63)
    seeds['keyid-bad-31'] = sysconfig([(0, 2 * G)], [e0], keyid=31)
    seeds['keyid-bad-64'] = sysconfig([(0, 2 * G)], [e0], keyid=64)
    # A hole in the CMRs covered by a reserved area holding the PAMTs of
    # two TDMRs (Linux puts PAMTs in reserved areas too).
    hole = (G + G // 2, G // 4)
    cmrs = [(0, hole[0]), (hole[0] + hole[1], 2 * G)]
    pa, end = place_pamts(0, 2 * G, 3 * G - 16 * M)
    pb, _ = place_pamts(2 * G, G, end)
    e_a = tdmr_info(0, 2 * G, pa, [hole])
    e_b = tdmr_info(2 * G, G, pb, [(G - 16 * M, 16 * M)])
    seeds['two-tdmrs-hole'] = sysconfig(cmrs, [e_a, e_b])
    seeds['two-tdmrs-hole-v1.0'] = sysconfig(cmrs, [e_a, e_b], ver=1)
    # Contiguous CMRs merged, null CMR slots in between.
    cm = [(0, G), (0, 0), (G, G), (2 * G, 2 * G)]
    p, _ = place_pamts(0, 2 * G, 3 * G)
    seeds['merged-cmrs'] = sysconfig(cm, [tdmr_info(0, 2 * G, p, [])])
    # Four 1 GiB TDMRs, PAMTs in a fifth GiB outside all TDMRs.
    ents, at = [], 4 * G
    for i in range(4):
        p, at = place_pamts(i * G, G, at)
        ents.append(tdmr_info(i * G, G, p, [(K4 * i, K4)] if i else []))
    seeds['four-tdmrs'] = sysconfig([(0, 5 * G)], ents)
    # Rule breakers, one each.
    p, _ = place_pamts(0, G, G)
    seeds['bad-base'] = sysconfig([(0, 2 * G)], [tdmr_info(M, G, p, [])])
    seeds['bad-size'] = sysconfig([(0, 2 * G)], [tdmr_info(0, G + M, p, [])])
    seeds['outside-cmrs'] = sysconfig([(0, G // 2), (G, G)], [tdmr_info(0, G, p, [])])
    small = [(b, s // 2) for b, s in p]
    seeds['pamt-small'] = sysconfig([(0, 2 * G)], [tdmr_info(0, G, small, [])])
    inside = [(G // 2, s) for _, s in p]
    seeds['pamt-in-tdmr'] = sysconfig([(0, 2 * G)], [tdmr_info(0, G, inside, [])])
    seeds['rsvd-unordered'] = sysconfig([(0, 2 * G)], [tdmr_info(
        0, G, p, [(2 * M, K4), (M, K4)])])
    seeds['rsvd-overlap'] = sysconfig([(0, 2 * G)], [tdmr_info(
        0, G, p, [(M, 2 * K4), (M + K4, K4)])])
    pa, end = place_pamts(0, G, 2 * G)
    seeds['non-ordered'] = sysconfig([(0, 3 * G)], [
        tdmr_info(G, G, place_pamts(G, G, end)[0], []), tdmr_info(0, G, pa, [])])
    seeds['cmr-unaligned'] = sysconfig([(0x800, 2 * G)], [e0])
    seeds['cmr-overlap'] = sysconfig([(0, 2 * G), (G, 2 * G)], [e0])
    seeds['cmr-hkid'] = sysconfig([(1 << 46, G)], [e0])
    seeds['slots-1'] = sysconfig([(0, 2 * G)], [tdmr_info(0, G, place_pamts(0, G, G)[0], [], slots=1)], slots=1)
    for name, data in seeds.items():
        out('sys-config', name, data)


# ---- mtrr ----------------------------------------------------------------

# Must match interesting[] of fuzz-mtrr.c.
INTERESTING = [0xFE, 0x2FF, 0x277, 0x250, 0x258, 0x259, 0x268, 0x269, 0x26A,
               0x26B, 0x26C, 0x26D, 0x26E, 0x26F, 0x200, 0x201, 0x202, 0x203,
               0x20E, 0x20F, 0x210, 0x211, 0x212, 0x213, 0x2FE, 0x1FF, 0x300,
               0x0, 0x806]
PROFILES = {'bare': 0, 'kvm-legacy': 1, 'kvm': 2, 'tdx': 3, 'tdx-2023': 4}


def mtrr_op(op, msr, value=0):
    return bytes([op, INTERESTING.index(msr)]) + q(value)


def s3_seed(path):
    """The MSR steps of a fixtures/scenarios/s3-*.yaml scenario."""
    text = open(path).read()
    prof = PROFILES[re.search(r'^profile:\s*(\S+)', text, re.M).group(1)]
    maxphy = int(re.search(r'^maxphyaddr:\s*(\d+)', text, re.M).group(1))
    ops = b''
    for step in re.split(r'\n  - ', text)[1:]:
        m = re.match(r'(wrmsr|rdmsr):\s*(0x[0-9a-fA-F]+|\d+)', step)
        if m:
            msr = int(m.group(2), 0)
            if msr not in INTERESTING:
                continue
            v = re.search(r'\n\s+value:\s*(0x[0-9a-fA-F]+|\d+)', step)
            ops += mtrr_op(1 if m.group(1) == 'wrmsr' else 0, msr,
                           int(v.group(1), 0) if v else 0)
            continue
        m = re.match(r'cr0:\s*(\S+)', step)
        if m:
            bits = {'cd': 1, 'nw': 2, 'cd-nw': 3, 'none': 0}.get(m.group(1), 1)
            ops += bytes([2, 0]) + q(bits)
            continue
        m = re.match(r'ept:\s*(0x[0-9a-fA-F]+|\d+)', step)
        if m:
            ops += bytes([3, 0]) + q(int(m.group(1), 0))
    return bytes([prof, (maxphy - 36) % 17, 10, 0]) + ops


def mtrr_seeds():
    d = os.path.join(ROOT, 'fixtures', 'scenarios')
    for f in sorted(os.listdir(d)):
        if f.startswith('s3-') and f.endswith('.yaml'):
            out('mtrr', f[:-5], s3_seed(os.path.join(d, f)))
    # A firmware-like setup: WB default, 2 GiB..4 GiB UC, fixed ranges.
    setup = (mtrr_op(1, 0x2FF, 0xC06) + mtrr_op(1, 0x200, 0x80000000) +
             mtrr_op(1, 0x201, 0xFFFF80000800) + mtrr_op(1, 0x250, 0x0606060606060606) +
             mtrr_op(1, 0x258, 0x0606060606060606) + mtrr_op(1, 0x259, 0) +
             mtrr_op(1, 0x268, 0x0505050505050505) + mtrr_op(1, 0x277, 0x0007040600070406) +
             mtrr_op(1, 0x277, 0x0007010600070106) + mtrr_op(0, 0x201) +
             mtrr_op(3, 0xFE, 0x90000000) + mtrr_op(3, 0xFE, 0xC8000) +
             mtrr_op(3, 0xFE, 0x100000) + mtrr_op(2, 0xFE, 1) + mtrr_op(2, 0xFE, 0) +
             mtrr_op(2, 0xFE, 2) + mtrr_op(1, 0x2FF, 0x806) + mtrr_op(0, 0xFE))
    for name, p in PROFILES.items():
        out('mtrr', 'firmware-' + name, bytes([p, 12, 10, 0]) + setup)
    # Overlapping ranges (UC wins, WT+WB gives WT, the rest undefined).
    ov = (mtrr_op(1, 0x2FF, 0x806) + mtrr_op(1, 0x200, 0x0 | 6) +
          mtrr_op(1, 0x201, 0xFFFF80000800) + mtrr_op(1, 0x202, 0x4) +
          mtrr_op(1, 0x203, 0xFFFFC0000800) + mtrr_op(3, 0xFE, 0x1000) +
          mtrr_op(1, 0x202, 0x1) + mtrr_op(3, 0xFE, 0x1000) +
          mtrr_op(1, 0x20E, 0x0) + mtrr_op(1, 0x20F, 0xFFFFF0000800) +
          mtrr_op(3, 0xFE, 0x1000) + mtrr_op(3, 0xFE, 0xF0000000 | (1 << 60)))
    out('mtrr', 'overlap-bare', bytes([0, 12, 8, 0]) + ov)
    out('mtrr', 'overlap-kvm-legacy', bytes([1, 12, 8, 0]) + ov)
    out('mtrr', 'bare-no-cpuid', bytes([0, 16, 4, 7]) + setup)
    out('mtrr', 'bare-maxphy-36', bytes([0, 0, 2, 0]) + setup)
    # Plausible-value (op bit 2) writes with random-looking values.
    rnd = b''.join(mtrr_op(5, m, 0x9E3779B97F4A7C15 * (i + 1)) for i, m in
                   enumerate(INTERESTING[:24]))
    for name, p in PROFILES.items():
        out('mtrr', 'plausible-' + name, bytes([p, 16, 8, 0]) + rnd)


# ---- mmio ------------------------------------------------------------------

KERNEL_MMIO = 0xFFFFC90000000000
GPA = 0xFEBF0000


def mmio(insn, gpr=None, rip=0xFFFFFFFF81000000, rflags=0x246, user=0,
         gpaw=0, user_mmio=0, avail=0, raw=0, ve=None, script=b'',
         fs=0, gs=0):
    insn = bytes(insn)[:15].ljust(15, b'\x90')
    regs = [0x1111111111111100 + i * 0x0101010101010101 for i in range(16)]
    regs[7] = KERNEL_MMIO + 0x10  # RDI
    regs[6] = KERNEL_MMIO + 0x20  # RSI
    regs[3] = KERNEL_MMIO + 0x30  # RBX
    for k, v in (gpr or {}).items():
        regs[k] = v
    qual, gla, gpa = ve if ve else (0, KERNEL_MMIO + 0x10, GPA)
    b = insn + q(*regs) + q(rip, rflags, fs, gs)
    b += bytes([48]) + q(qual, gla, gpa) + struct.pack('<II', 0, 0)
    b += bytes([user | gpaw << 1 | user_mmio << 2 | raw << 3 | avail << 4])
    return b + script


def reply(flags=0, r11=0):
    return bytes([flags]) + q(r11)


def mmio_seeds():
    cases = {
        'mov-store-eax': [0x89, 0x07],
        'mov-store-rax': [0x48, 0x89, 0x07],
        'mov-store-ax': [0x66, 0x89, 0x07],
        'mov-store-al': [0x88, 0x07],
        'mov-store-ah': [0x88, 0x27],
        'mov-store-spl-rex': [0x40, 0x88, 0x27],
        'mov-store-r9d': [0x44, 0x89, 0x0F],
        'mov-load-eax': [0x8B, 0x07],
        'mov-load-rax': [0x48, 0x8B, 0x07],
        'mov-load-ax': [0x66, 0x8B, 0x07],
        'mov-load-al': [0x8A, 0x07],
        'mov-load-ah': [0x8A, 0x27],
        'mov-load-r12': [0x4C, 0x8B, 0x67, 0x08],
        'mov-load-disp32': [0x8B, 0x87, 0x00, 0x01, 0x00, 0x00],
        'mov-load-sib': [0x8B, 0x04, 0x1F],
        'mov-load-rip-rel': [0x8B, 0x05, 0x10, 0x00, 0x00, 0x00],
        'movzx-b-eax': [0x0F, 0xB6, 0x07],
        'movzx-w-eax': [0x0F, 0xB7, 0x07],
        'movzx-b-rax': [0x48, 0x0F, 0xB6, 0x07],
        'movzx-b-ax': [0x66, 0x0F, 0xB6, 0x07],
        'movsx-b-eax': [0x0F, 0xBE, 0x07],
        'movsx-w-rax': [0x48, 0x0F, 0xBF, 0x07],
        'movsx-w-r8': [0x4C, 0x0F, 0xBF, 0x07],
        'imm-store-byte': [0xC6, 0x07, 0x80],
        'imm-store-word': [0x66, 0xC7, 0x07, 0x34, 0x92],
        'imm-store-dword': [0xC7, 0x07, 0x78, 0x56, 0x34, 0x92],
        'imm-store-qword': [0x48, 0xC7, 0x07, 0x78, 0x56, 0x34, 0x92],
        'imm-store-disp8': [0xC7, 0x47, 0x08, 0x01, 0x00, 0x00, 0x00],
        'rex-then-66': [0x48, 0x66, 0x89, 0x07],
        'lock-store': [0xF0, 0x89, 0x07],
        'mod3': [0x89, 0xC0],
        'c7-xbegin': [0xC7, 0xF8, 0x00, 0x00, 0x00, 0x00],
        'two-segs': [0x64, 0x65, 0x8B, 0x07],
        'gs-load': [0x65, 0x8B, 0x07],
        'five-prefixes': [0x2E, 0x36, 0x3E, 0x26, 0x66, 0x8B, 0x07],
        'vex-vshufps': [0xC5, 0xF8, 0xC6, 0x07, 0x00],
        'evex-vpcompressd': [0x62, 0xF2, 0x7D, 0x49, 0x8B, 0x07],
        'moffs-a1': [0xA1, 0, 0, 0, 0, 0, 0xC9, 0xFF, 0xFF],
        'xchg': [0x87, 0x07],
        'movs': [0xA5],
        'addr32-load': [0x67, 0x8B, 0x07],
    }
    for name, insn in cases.items():
        out('mmio', name, mmio(insn, script=reply(0, 0xFEDCBA9876543210)))
    st = mmio([0x89, 0x07])
    out('mmio', 'refused-r10', mmio([0x8B, 0x07], script=reply(1)))
    out('mmio', 'retry-r10', mmio([0x8B, 0x07], script=reply(5)))
    out('mmio', 'tdcall-fails', mmio([0x89, 0x07], script=reply(2)))
    out('mmio', 'private-gpa', mmio([0x8B, 0x07], raw=1, ve=(0, KERNEL_MMIO + 0x10, GPA)))
    out('mmio', 'user-mode', mmio([0x8B, 0x07], user=1))
    out('mmio', 'user-address', mmio([0x8B, 0x07], raw=1,
                                     ve=(0, 0x7F0000001000, GPA | 1 << 47)))
    out('mmio', 'short-read-8', mmio([0x8B, 0x07], avail=8))
    out('mmio', 'page-split', mmio([0x48, 0x8B, 0x07], gpr={7: KERNEL_MMIO + 0xFFC},
                                   ve=(0, KERNEL_MMIO + 0xFFC, GPA)))
    out('mmio', 'gpaw51', mmio([0x8B, 0x07], gpaw=1))
    # User-MMIO option: a user-mode store and REP MOVSB.
    uve = (2, 0x7F0000001000, GPA | 1 << 47)
    out('mmio', 'user-mmio-store', mmio([0x89, 0x07], gpr={7: 0x7F0000001000},
                                        user=1, user_mmio=1, raw=1, ve=uve))
    out('mmio', 'user-mmio-rep-movsb', mmio([0xF3, 0xA4], gpr={
        1: 4, 6: 0x7F0000001000, 7: 0x7F0000001800}, user=1, user_mmio=1,
        raw=1, ve=(3, 0x7F0000001000, GPA | 1 << 47),
        script=reply(0, 0x11) + reply() + reply(0, 0x22) + reply() + reply(1)))
    del st


# ---- mmio-batch: 'tdxsim mmio --batch' files (docs/cli.md) --------------

def mmio_batch_seeds():
    t = lambda name, text: out('mmio-batch', name + '.yaml', text.encode())
    t('read-write', """- bytes: "8b 07"
  regs: {rdi: 0xffffc90000000000}
  read_value: 0x11
- bytes: "c6 07 42"
  mode: linux
  regs: {rdi: 0xffffc90000000000}
- bytes: "48 8b 07"
  gva: 0xffffc90000000008
  gpa: 0x80000fed40008
  regs: {rdi: 0xffffc90000000008, rip: 0xffffffff81001000, rflags: 0x246}
  read_value: 0x8877665544332211
""")
    t('private-gpa', '- bytes: 8b07\n  gpa: 0xfed40000\n')
    t('user-mode', '- bytes: 8b 07\n  user: true\n  mode: arch\n')
    t('movs', '- bytes: f3 a4\n  regs: {rcx: 4, rsi: 0xffffc90000000000, '
      'rdi: 0xffff888000001000}\n')
    t('fifteen-bytes', '- bytes: 66 66 66 66 66 66 66 66 66 66 66 66 8b 07 90\n')
    t('refused-key', '- bytes: 8b 07\n  gpaa: 0x1000\n')
    t('refused-not-list', 'bytes: 8b 07\n')


# ---- layout: TDMR layouts that the module refuses in other ways -----------

def layout_seeds():
    t = lambda name, text: out('layout', name + '.yaml', text.encode())
    t('empty-tdmrs', 'tdxsim-layout: 1\nglobal-keyid: 32\ntdmrs: []\n')
    t('one-tdmr-no-pamt', """tdxsim-layout: 1
global-keyid: 32
tdmrs:
  - base: 0x0
    size: 0x40000000
""")
    t('too-many-reserved', """tdxsim-layout: 1
global-keyid: 32
tdmrs:
  - base: 0x0
    size: 0x40000000
    reserved:
""" + ''.join('      - {offset: 0x%x, size: 0x1000}\n' % (i * 0x2000)
              for i in range(20)))


def main():
    sysconfig_seeds()
    mtrr_seeds()
    mmio_seeds()
    mmio_batch_seeds()
    layout_seeds()


if __name__ == '__main__':
    main()
