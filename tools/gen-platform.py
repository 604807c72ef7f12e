#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate a synthetic TDX host platform as a tdxsim fixture (format 1).

The memory map has the shape of the real hosts in fixtures/platforms/
(the E820 and CMR tables of Kai Huang's "x86/virt/tdx: Reduce TDMR's
reserved areas by using CMRs to find memory holes" v8.2 changelog and of
intel/tdx-linux#5):

  * [0, 0x9f000) usable and [0x9f000, 1 MiB) reserved, as every BIOS has;
  * low RAM [1 MiB, TOLM) cut by BIOS-like fragments (reserved, ACPI data,
    ACPI NVS) spread over its last --bios-area MiB: the "fine holes below
    2 GiB" of the Emerald Rapids report (canonical/tdx#135);
  * [TOLM, 0x90000000) reserved (the start of the PCI hole);
  * RAM from 4 GiB up, node after node; each socket's RAM ends 32, 64 or
    96 MiB below a 1 GiB boundary, the rest up to it reserved, and the next
    socket starts on that boundary;
  * optional fine reserved fragments inside the high RAM ("holes
    elsewhere"), placed by --layout: "uniform" (the default) spreads them
    evenly over each node, so that no 1 GiB block gets many; "clustered"
    packs them, as firmware does, into the first --head-area GiB and the
    last --tail-area MiB of each node, leaving the RAM between them whole;
  * CMRs as MCHECK reports them: [1 MiB, TOLM), then one per socket from
    its first byte to 32-96 MiB below its last 1 GiB boundary;
  * NUMA node ranges: every usable entry, with the node that holds it.

Deterministic: the same options and --seed give the same bytes. The output
is in the fixture writer's own form, so `tdxsim` writes it back unchanged.
Standard library only.
"""
import argparse
import random
import shlex
import sys

KIB = 1 << 10
MIB = 1 << 20
GIB = 1 << 30
PAGE = 4 * KIB

# Types and their legacy kernel names (arch/x86/kernel/e820.c).
USABLE, RESERVED, ACPI, NVS = "usable", "reserved", "ACPI data", "ACPI NVS"
BIOS_TYPES = (RESERVED, RESERVED, ACPI, NVS)

# Entries every platform has besides holes: two below 1 MiB, low RAM, the
# PCI-hole start, then per node one RAM entry and per socket one reserved
# tail.
def fixed_entries(sockets, nodes):
    return 4 + nodes + sockets


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="Write a synthetic TDX host platform fixture "
                    "(docs/performance.md, 'Synthetic platforms').")
    ap.add_argument("--seed", type=int, default=1,
                    help="random seed (default 1); same seed, same bytes")
    ap.add_argument("--name", default=None,
                    help="fixture name (default synth-<sockets>s-<seed>)")
    ap.add_argument("--description", default=None, help="one line for humans")
    ap.add_argument("--sockets", type=int, default=2,
                    help="CPU packages, 1..8 (default 2); one high CMR each")
    ap.add_argument("--nodes", type=int, default=None,
                    help="NUMA nodes, a multiple of --sockets (default: one per socket)")
    ap.add_argument("--ram-per-node", type=int, default=64, metavar="GIB",
                    help="RAM per node in GiB, at least 2 (default 64)")
    ap.add_argument("--low-holes", type=int, default=0, metavar="N",
                    help="BIOS fragments in [1 MiB, TOLM) (default 0)")
    ap.add_argument("--holes", type=int, default=0, metavar="N",
                    help="reserved fragments in the RAM above 4 GiB, spread over the nodes (default 0)")
    ap.add_argument("--entries", type=int, default=None, metavar="N",
                    help="aim at N E820 entries in total: sets --holes to what is missing")
    ap.add_argument("--layout", choices=("uniform", "clustered"), default="uniform",
                    help="where the high fragments go: 'uniform' spreads them evenly "
                         "over each node (default); 'clustered' packs them into the "
                         "first --head-area GiB and the last --tail-area MiB of each "
                         "node, as firmware does")
    ap.add_argument("--head-area", type=int, default=4, metavar="GIB",
                    help="clustered: the first GIB GiB of each node get 3/4 of its "
                         "fragments (default 4)")
    ap.add_argument("--tail-area", type=int, default=384, metavar="MIB",
                    help="clustered: the last MIB MiB of each node's RAM get the "
                         "rest (default 384)")
    ap.add_argument("--bios-area", type=int, default=320, metavar="MIB",
                    help="the low fragments lie in the last MIB MiB below TOLM, as "
                         "firmware puts its tables there (default 320; EMR: 295)")
    ap.add_argument("--tolm", type=lambda s: int(s, 0), default=None,
                    help="top of low memory (default: random, 1.5-1.875 GiB, 8 MiB aligned)")
    ap.add_argument("--cpus-per-socket", type=int, default=16,
                    help="logical CPUs per socket (default 16)")
    ap.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    args = ap.parse_args(argv)

    if args.nodes is None:
        args.nodes = args.sockets
    if not 1 <= args.sockets <= 8:
        ap.error("--sockets must be 1..8 (MCHECK counts at most 8 packages)")
    if args.nodes < args.sockets or args.nodes % args.sockets:
        ap.error("--nodes must be a multiple of --sockets")
    if args.ram_per_node < 2:
        ap.error("--ram-per-node must be at least 2 GiB")
    if args.low_holes < 0 or args.holes < 0:
        ap.error("hole counts cannot be negative")
    if args.head_area < 1 or args.tail_area < 1:
        ap.error("--head-area and --tail-area must be positive")
    if args.layout == "clustered" and \
            args.head_area * GIB + (args.tail_area + 128) * MIB > (args.ram_per_node - 2) * GIB:
        # Node 0 has 2 GiB less, a socket's last node up to 96 MiB less.
        ap.error("--head-area plus --tail-area must leave RAM between them: "
                 "at most --ram-per-node - 2 GiB - 128 MiB")
    if args.entries is not None:
        missing = args.entries - fixed_entries(args.sockets, args.nodes) \
            - 2 * args.low_holes
        if missing < 0:
            ap.error("--entries %d is fewer than the platform needs (%d)"
                     % (args.entries, args.entries - missing))
        # Each fragment inside RAM splits one entry into three.
        args.holes = missing // 2
    if args.name is None:
        args.name = "synth-%ds-%d" % (args.sockets, args.seed)
    return args


def spread(rng, start, end, count, max_size, types):
    """count fragments in [start, end), one per equal slot, at a random
    page-aligned offset, each leaving RAM on both sides of it."""
    frags = []
    if count == 0:
        return frags
    slot = (end - start) // count // PAGE * PAGE
    if slot < 4 * PAGE:
        sys.exit("gen-platform: %d fragments do not fit in [0x%x, 0x%x)"
                 % (count, start, end))
    for i in range(count):
        base = start + i * slot
        size = min(max_size, slot // 2)
        size = rng.randint(1, size // PAGE) * PAGE
        offset = rng.randint(1, (slot - size) // PAGE - 1) * PAGE
        frags.append((base + offset, base + offset + size, rng.choice(types)))
    return frags


def clustered(rng, start, end, count, head, tail, max_size, types):
    """count fragments in [start, end) as firmware leaves them: 3/4 spread
    over the first head bytes, the rest over the last tail bytes, none in
    between, so that the RAM between is one entry."""
    in_head = count - count // 4
    return (spread(rng, start, start + head, in_head, max_size, types)
            + spread(rng, end - tail, end, count - in_head, max_size, types))


def ram_with_holes(start, end, holes):
    """E820 entries of [start, end) RAM cut by the given fragments."""
    out, cur = [], start
    for hs, he, htype in holes:
        if hs > cur:
            out.append((cur, hs, USABLE))
        out.append((hs, he, htype))
        cur = he
    if cur < end:
        out.append((cur, end, USABLE))
    return out


def build(args):
    rng = random.Random(args.seed)
    tolm = args.tolm
    if tolm is None:
        tolm = rng.randrange(0x60000000, 0x78000000, 8 * MIB)
    if not MIB < tolm <= 0x90000000 or tolm % PAGE:
        sys.exit("gen-platform: TOLM 0x%x must be page aligned in (1 MiB, 0x90000000]" % tolm)

    e820 = [(0, 0x9f000, USABLE), (0x9f000, MIB, RESERVED)]
    # BIOS fragments up to 8 MiB, like EMR's ACPI NVS and reserved blocks.
    # Firmware keeps its tables just below TOLM, so the low RAM is one big
    # entry from 1 MiB, then the fragments (EMR: 0x5d169000..0x6f800000).
    # A first entry ending above 1 GiB makes the kernel's first TDMR
    # [0, 2 GiB), and every fragment a hole of it.
    bios = max(MIB, tolm - args.bios_area * MIB)
    e820 += ram_with_holes(MIB, tolm,
                           spread(rng, bios, tolm, args.low_holes, 8 * MIB, BIOS_TYPES))
    if tolm < 0x90000000:
        e820.append((tolm, 0x90000000, RESERVED))
    cmrs = [(MIB, tolm)]
    numa = []

    per_socket = args.nodes // args.sockets
    high_holes = [args.holes // args.nodes + (n < args.holes % args.nodes)
                  for n in range(args.nodes)]
    base = 4 * GIB
    for s in range(args.sockets):
        socket_start = base
        for k in range(per_socket):
            node = s * per_socket + k
            # Node 0 gives 2 GiB to the low memory (as EMR's 62 GiB first CMR).
            size = (args.ram_per_node - (2 if node == 0 else 0)) * GIB
            end = base + size
            if k == per_socket - 1:
                # The socket's last 32-96 MiB below the boundary are not RAM.
                end -= rng.choice((32, 64, 96)) * MIB
            if args.layout == "clustered":
                holes = clustered(rng, base, end, high_holes[node],
                                  args.head_area * GIB, args.tail_area * MIB,
                                  1 * MIB, (RESERVED,))
            else:
                holes = spread(rng, base, end, high_holes[node], 1 * MIB, (RESERVED,))
            e820 += ram_with_holes(base, end, holes)
            numa += [(node, a, b) for a, b, t in ram_with_holes(base, end, holes)
                     if t == USABLE]
            if k == per_socket - 1:
                e820.append((end, base + size, RESERVED))
                cmrs.append((socket_start, end))
            base += size
    # Node 0 also holds the low memory, as the kernel prints it: page 0 is
    # reserved, and memblock keeps the usable entries.
    low = [(0, 0x1000 if a == 0 else a, b) for a, b, t in e820
           if t == USABLE and b <= 4 * GIB]
    return e820, cmrs, low + numa


def command_line(argv):
    words = ["tools/gen-platform.py"]
    for w in argv:
        if w in ("-o", "--output") or w.startswith("--output="):
            break
        words.append(w)
    return " ".join(shlex.quote(w) for w in words)


def scalar(text):
    """text as the fixture writer puts a one-line string: plain when YAML
    reads it back unchanged, else double-quoted."""
    plain = (text and text[0] not in "-?:,[]{}#&*!|>'\"%@` "
             and text[-1] not in " :" and ": " not in text and " #" not in text
             and text.lower() not in ("true", "false", "null", "yes", "no",
                                      "on", "off", "~")
             and all(0x20 <= ord(c) != 0x7f for c in text))
    if plain:
        return text
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


def render(args, argv):
    e820, cmrs, numa = build(args)
    ram = sum(b - a for a, b, t in e820 if t == USABLE)
    description = args.description or (
        "synthetic %d-socket, %d-node host, %d GiB per node, %d E820 entries"
        % (args.sockets, args.nodes, args.ram_per_node, len(e820)))
    out = ["tdxsim-fixture: 1",
           "name: %s" % args.name,
           "description: %s" % scalar(description),
           "source:",
           "  url: tools/gen-platform.py",
           "  notes: |",
           "    synthetic, tools/gen-platform.py --seed %d: %d E820 entries, %d RAM bytes,"
           % (args.seed, len(e820), ram),
           "    %d low fragments, %d high fragments%s; not a real machine." %
           (args.low_holes, args.holes,
            "" if args.layout == "uniform" else
            " (clustered: the first %d GiB and last %d MiB of each node)"
            % (args.head_area, args.tail_area)),
           "    command: %s" % command_line(argv),
           "module:",
           "  logical-cpus: %d" % (args.sockets * args.cpus_per_socket),
           "  packages: %d" % args.sockets,
           "e820: |"]
    out += ["  [mem 0x%016x-0x%016x] %s" % (a, b - 1, t) for a, b, t in e820]
    out.append("cmrs: |")
    out += ["  [0x%x, 0x%x)" % (a, b) for a, b in cmrs]
    out.append("numa: |")
    out += ["  node %3d: [mem 0x%016x-0x%016x]" % (n, a, b - 1) for n, a, b in numa]
    return "\n".join(out) + "\n"


def main(argv):
    args = parse_args(argv)
    text = render(args, argv)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
