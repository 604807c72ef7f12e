#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Append an expect: block to a platform fixture that has none: for every
host strategy, the outcome, the errno and the whole list of kernel lines
(informational preamble included) that 'tdxsim init' prints for it now.

    tools/fill-expect.py --tdxsim build/sim/tdxsim FIXTURE [FIXTURE...]

What it writes is what the simulator does today: read the lines before
committing them, since the regression suite then holds the simulator to
them exactly (docs/fixture-format.md, "expect").
"""
import argparse
import re
import subprocess
import sys

STRATEGIES = ("linux", "linux-cmr", "tdxsim")


def expect_block(tdxsim, path):
    out = ["expect:"]
    for s in STRATEGIES:
        r = subprocess.run([tdxsim, "init", "--strategy", s, path],
                           capture_output=True, text=True)
        if r.returncode not in (0, 1):
            sys.exit("%s: tdxsim init -s %s: exit %d: %s" % (path, s, r.returncode, r.stderr))
        lines = r.stdout.splitlines()
        out.append("  %s:" % s)
        out.append("    outcome: %s" % ("ok" if r.returncode == 0 else "fail"))
        if r.returncode == 1:
            m = re.search(r"\((-\d+)\)$", lines[-1]) if lines else None
            if m:
                out.append("    errno: %s" % m.group(1))
        out.append("    lines: |")
        out.extend("      " + line for line in lines)
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tdxsim", default="build/sim/tdxsim")
    ap.add_argument("fixtures", nargs="+")
    args = ap.parse_args()
    for path in args.fixtures:
        text = open(path).read()
        if re.search(r"^expect:", text, re.M):
            sys.exit("%s: already has an expect: block" % path)
        block = expect_block(args.tdxsim, path)
        with open(path, "a") as f:
            f.write(block)


if __name__ == "__main__":
    main()
