#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate platforms for the kernel differential and run it on them.

Usage: gen-corpus.py --count N --out DIR [--first-seed S] [--also DIR]...
                     [--run TDXSIM_KERNEL]

Each platform comes from tools/gen-platform.py with a shape drawn from its
seed: 1-8 sockets, 1, 2, 4 or 8 nodes per socket, uniform or clustered high
fragments, fine holes low and high, then one of these twists:
  plain             as generated
  many-nodes        8 sockets x 8 nodes: more TDMRs than the module's 64
  node-mid-gib      a node boundary moved inside a 1 GiB block
  no-cmrs           the CMR list left out (upstream logs print none)
  partial-cmrs      the last CMR ends 1 GiB early, or one is missing
  module-1.0, module-2.0   another module generation
  one-keyid         a single private KeyID
  reserved-kern     a RAM entry turned into E820 type 128, node ranges left out
Deterministic: the same seeds give the same files. --also adds the
fixtures (*.yaml) of a folder, e.g. fixtures/platforms. With --run, runs
`TDXSIM_KERNEL diff --quiet` over them (in batches) and exits with its
worst status; its last line counts passes and failures.
"""
import argparse
import importlib.util
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GIB = 1 << 30
TWISTS = ["plain", "plain", "plain", "many-nodes", "node-mid-gib", "no-cmrs",
          "partial-cmrs", "module-1.0", "module-2.0", "one-keyid", "reserved-kern"]


def load_generator():
    path = os.path.join(HERE, "..", "..", "tools", "gen-platform.py")
    spec = importlib.util.spec_from_file_location("gen_platform", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shape(rng, seed, twist):
    sockets = 8 if twist == "many-nodes" else rng.randint(1, 8)
    per_socket = 8 if twist == "many-nodes" else rng.choice((1, 1, 2, 4))
    ram = rng.choice((4, 6, 8)) if sockets * per_socket > 8 else rng.choice((4, 8, 16, 32))
    argv = ["--seed", str(seed), "--name", "gen-%d-%s" % (seed, twist),
            "--sockets", str(sockets), "--nodes", str(sockets * per_socket),
            "--ram-per-node", str(ram), "--low-holes", str(rng.choice((0, 3, 14, 15, 16, 24))),
            "--cpus-per-socket", str(rng.choice((2, 4, 16)))]
    holes = rng.choice((0, 0, 8, 40, 200))
    if holes and ram >= 8 and rng.random() < 0.5:
        argv += ["--layout", "clustered", "--head-area", "1", "--tail-area", "256"]
    return argv + ["--holes", str(holes)]


def block(text, key):
    """The lines of a top-level literal block, and where it starts."""
    m = re.search(r"^%s: \|\n((?:  .*\n)*)" % key, text, re.M)
    return m


def twist_text(text, twist, rng):
    if twist == "no-cmrs":
        return re.sub(r"^cmrs: \|\n(?:  .*\n)*", "", text, flags=re.M)
    if twist == "partial-cmrs":
        m = block(text, "cmrs")
        lines = m.group(1).splitlines()
        if len(lines) > 2 and rng.random() < 0.5:
            del lines[rng.randrange(1, len(lines))]
        else:
            a, b = re.findall(r"0x[0-9a-f]+", lines[-1])
            end = max(int(a, 16) + GIB, int(b, 16) - GIB) & ~0xfff
            lines[-1] = "  [%s, 0x%x)" % (a, end)
        return text[:m.start(1)] + "\n".join(lines) + "\n" + text[m.end(1):]
    if twist in ("module-1.0", "module-2.0"):
        return text.replace("module:\n", 'module:\n  version: "%s"\n' % twist[7:], 1)
    if twist == "one-keyid":
        return text.replace("module:\n", 'module:\n  private-keyids: "[32, 33)"\n', 1)
    if twist == "node-mid-gib":
        return node_mid_gib(text, rng)
    if twist == "reserved-kern":
        m = block(text, "e820")
        lines = m.group(1).splitlines()
        usable = [i for i, l in enumerate(lines) if l.endswith(" usable") and i > 2]
        i = rng.choice(usable)
        lines[i] = lines[i][:-len("usable")] + "type 128"
        text = text[:m.start(1)] + "\n".join(lines) + "\n" + text[m.end(1):]
        # Without node ranges memblock comes from E820, where type 128 counts.
        return re.sub(r"^numa: \|\n(?:  .*\n)*", "", text, flags=re.M)
    return text


def node_mid_gib(text, rng):
    """Move the start of one node's first range 256 MiB to 768 MiB into
    the previous node's last 1 GiB block: the boundary is no longer on a
    TDMR boundary."""
    m = block(text, "numa")
    lines = m.group(1).splitlines()
    ranges = [re.match(r"  node +(\d+): \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]", l) for l in lines]
    cands = [i for i in range(1, len(ranges))
             if ranges[i].group(1) != ranges[i - 1].group(1)
             and int(ranges[i].group(2), 16) == int(ranges[i - 1].group(3), 16) + 1
             and int(ranges[i - 1].group(3), 16) + 1 - int(ranges[i - 1].group(2), 16) > 2 * GIB]
    if not cands:
        return text
    i = rng.choice(cands)
    cut = int(ranges[i].group(2), 16) - rng.choice((256, 512, 768)) * (1 << 20)
    prev, cur = ranges[i - 1], ranges[i]
    lines[i - 1] = "  node %3d: [mem %s-0x%016x]" % (int(prev.group(1)), prev.group(2), cut - 1)
    lines[i] = "  node %3d: [mem 0x%016x-%s]" % (int(cur.group(1)), cut, cur.group(3))
    return text[:m.start(1)] + "\n".join(lines) + "\n" + text[m.end(1):]


def generate(count, first_seed, out):
    gen = load_generator()
    paths = []
    for seed in range(first_seed, first_seed + count):
        rng = random.Random(seed)
        twist = TWISTS[seed % len(TWISTS)]
        argv = shape(rng, seed, twist)
        text = gen.render(gen.parse_args(argv), argv)
        path = os.path.join(out, "gen-%05d.yaml" % seed)
        with open(path, "w", encoding="utf-8") as f:
            f.write(twist_text(text, twist, rng))
        paths.append(path)
    return paths


BENCH = re.compile(r"bench: (\d+) platforms; compiled kernel ([\d.]+) s .* model ([\d.]+) s")


def run(tool, paths, extra):
    passed = failed = worst = 0
    timed = [0, 0.0, 0.0]
    for i in range(0, len(paths), 200):
        proc = subprocess.run([tool, "diff", "--quiet"] + extra + paths[i:i + 200],
                              stdout=subprocess.PIPE, universal_newlines=True)
        lines = proc.stdout.splitlines()
        for line in lines[:-1]:
            b = BENCH.match(line)
            if b:
                for k in range(3):
                    timed[k] += float(b.group(k + 1))
                continue
            print(line)
            sys.stdout.flush()
        m = re.match(r"differential: (\d+) passed, (\d+) failed", lines[-1] if lines else "")
        if not m:
            print("gen-corpus: no closing line from %s" % tool)
            return 3
        passed += int(m.group(1))
        failed += int(m.group(2))
        worst = max(worst, proc.returncode)
    if timed[0]:
        print("bench: %d platforms; compiled kernel %.3f s (%.0f platforms/s), model %.3f s "
              "(%.0f platforms/s); kernel/model time %.2f"
              % (timed[0], timed[1], timed[0] / timed[1], timed[2], timed[0] / timed[2],
                 timed[1] / timed[2]))
    print("%d passed, %d failed" % (passed, failed))
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--also", action="append", default=[], metavar="DIR")
    ap.add_argument("--run", metavar="TDXSIM_KERNEL")
    ap.add_argument("--bench", action="store_true",
                    help="also time the compiled kernel and the model (tdxsim-kernel --bench)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    paths = []
    for folder in args.also:
        paths += sorted(os.path.join(folder, n) for n in os.listdir(folder)
                        if n.endswith(".yaml"))
    paths += generate(args.count, args.first_seed, args.out)
    if not args.run:
        return 0
    if args.bench:
        # Timing only: agreement is the test suite's job.
        worst = run(args.run, paths, ["--bench"])
        return worst if worst > 1 else 0
    return run(args.run, paths, [])


if __name__ == "__main__":
    sys.exit(main())
