#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Mutation testing of libtdxsim: single-line mutants over lib/, each built
and run against the test suites; the kill rate per layer.

    tools/mutate.py [--build DIR] [--per-layer N] [--seed S] [--layers a,b]
                    [--suites unit,regression,fuzz-smoke] [--list]

A mutant changes one operator on one line (a comparison, a boolean
connective, an increment, a constant 0/1, a return value). The candidates
are every such site in lib/LAYER/*.c outside comments and preprocessor
lines; --per-layer N picks N of them per layer at random with --seed (the
same seed gives the same mutants). Each mutant is applied to the source,
the build directory is rebuilt, and the suites run with --no-rebuild: a
mutant is killed when the build fails or any test fails, survives when all
pass. The source is restored after each, whatever happens (and on Ctrl-C).
The build directory must be configured already (meson setup DIR
-Dlinux_tree=disabled -Dbench=false); do not use it for anything else
while this runs.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (name, pattern, replacement): applied to the first match on the line.
OPERATORS = [
    ("<= to <", re.compile(r"(?<![<>=!])<=(?!=)"), "<"),
    ("< to <=", re.compile(r"(?<![<>=!-])<(?![<=])(?!\w+\.h>)"), "<="),
    (">= to >", re.compile(r"(?<![<>=!])>=(?!=)"), ">"),
    ("> to >=", re.compile(r"(?<![<>=!-])>(?![>=])"), ">="),
    ("== to !=", re.compile(r"=="), "!="),
    ("!= to ==", re.compile(r"!="), "=="),
    ("&& to ||", re.compile(r"&&"), "||"),
    ("|| to &&", re.compile(r"\|\|"), "&&"),
    ("+ 1 to - 1", re.compile(r"\+ 1\b"), "- 1"),
    ("- 1 to + 1", re.compile(r"- 1\b"), "+ 1"),
    ("return 0 to return 1", re.compile(r"\breturn 0;"), "return 1;"),
    ("true to false", re.compile(r"\btrue\b"), "false"),
]


def candidates(layer):
    """Every (path, line number, operator) site of a layer."""
    out = []
    folder = os.path.join(ROOT, "lib", layer)
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".c"):
            continue
        path = os.path.join(folder, name)
        in_comment = False
        for i, line in enumerate(open(path).read().split("\n")):
            s = line.strip()
            if in_comment:
                in_comment = "*/" not in s
                continue
            if s.startswith("/*"):
                in_comment = "*/" not in s
                continue
            if s.startswith("#") or s.startswith("*") or s.startswith("//") or not s:
                continue
            code = re.sub(r'"([^"\\]|\\.)*"', '""', line.split("/*")[0])
            for op in OPERATORS:
                if op[1].search(code):
                    out.append((path, i, op))
    return out


def apply(path, lineno, op):
    text = open(path).read()
    lines = text.split("\n")
    line = lines[lineno]
    code_end = line.find("/*") if "/*" in line else len(line)
    m = None
    for m in op[1].finditer(line[:code_end]):
        # Skip matches inside string literals.
        before = line[:m.start()]
        if before.count('"') % 2 == 0:
            break
        m = None
    if not m:
        return None, None
    lines[lineno] = line[:m.start()] + op[2] + line[m.end():]
    open(path, "w").write("\n".join(lines))
    return text, lines[lineno].strip()


def run(cmd, timeout):
    try:
        return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        return "timeout"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build-mutate")
    ap.add_argument("--per-layer", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--layers", default="util,platform,module,host,memtype,guest,vmm,scenario")
    ap.add_argument("--suites", default="unit,regression,fuzz-smoke")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per test run")
    ap.add_argument("--list", action="store_true", help="print the mutants only")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    plan = []
    for layer in args.layers.split(","):
        sites = candidates(layer)
        rng.shuffle(sites)
        plan += [(layer, s) for s in sites[:args.per_layer]]
    suites = []
    for s in args.suites.split(","):
        suites += ["--suite", s]
    results = {}
    for layer, (path, lineno, op) in plan:
        rel = os.path.relpath(path, ROOT)
        if args.list:
            print("%s:%d: %s" % (rel, lineno + 1, op[0]))
            continue
        original, mutated = apply(path, lineno, op)
        if original is None:
            continue
        t0 = time.time()
        try:
            if run(["ninja", "-C", args.build], args.timeout) != 0:
                verdict = "killed (build)"
            else:
                rc = run(["meson", "test", "-C", args.build, "--no-rebuild", "-q"] + suites,
                         args.timeout)
                verdict = "survived" if rc == 0 else "killed" + (" (timeout)" if rc == "timeout" else "")
        finally:
            open(path, "w").write(original)
        results.setdefault(layer, []).append(verdict.startswith("killed"))
        print("%-9s %-14s %s:%d: %s  [%s] %.0f s" % (layer, verdict, rel, lineno + 1, op[0],
                                                   mutated, time.time() - t0), flush=True)
    if args.list:
        return
    run(["ninja", "-C", args.build], args.timeout)
    print("\nlayer      mutants  killed  rate")
    total = killed = 0
    for layer, rs in results.items():
        print("%-10s %7d %7d  %3.0f%%" % (layer, len(rs), sum(rs), 100.0 * sum(rs) / len(rs)))
        total += len(rs)
        killed += sum(rs)
    if total:
        print("%-10s %7d %7d  %3.0f%%" % ("all", total, killed, 100.0 * killed / total))


if __name__ == "__main__":
    sys.exit(main())
