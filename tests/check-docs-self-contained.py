#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The documentation stands on its own: docs/, README.md and the public
headers cite public sources (a repository, commit, file and function; a
TDX module source file; an SDM section), never the project's private
reference notes ("../shared/spec/...", "spec tdmr.md 1.5").

Usage: check-docs-self-contained.py SOURCE_ROOT

The rule is first tried on a text that breaks it and one that keeps it, so
that a pattern that matches nothing cannot pass silently.
"""
import os
import re
import sys

# "spec" and the note's name may be split by a line break and a comment's
# leading "*".
PRIVATE = re.compile(r"shared/spec|\.\./spec/|\bspec\s+(?:\*\s+)?[A-Za-z0-9_-]+\.md\b")


def offences(text):
    """(line number, text) of every reference to the private notes; a
    reference broken over two lines (a wrapped comment) counts too."""
    return [(text.count("\n", 0, m.start()) + 1, " ".join(m.group().split()))
            for m in PRIVATE.finditer(text)]


def self_test():
    bad = ("The research is `../shared/spec/mtrr.md`.\n"
           "fill_out_tdmrs (spec tdmr.md 1.5)\n"
           "see ../spec/module.md section 7.1\n"
           "(spec\nmodule.md 2.3) is one reference split over two lines\n"
           "/* a wrapped comment (spec\n * mtrr.md 3.3) */\n")
    good = ("Linux arch/x86/virt/vmx/tdx/tdx.c fill_out_tdmrs()\n"
            "intel/tdx-module tdx_1.5 tdh_sys_config.c; SDM vol. 3A 12.11\n"
            "the specification of TDH.SYS.CONFIG (Intel TDX module ABI)\n")
    found = [n for n, _ in offences(bad)]
    if found != [1, 2, 3, 4, 6]:
        sys.exit(f"self-test: the rule found lines {found} of the bad text, "
                 "expected 1, 2, 3, 4, 6")
    if offences(good):
        sys.exit(f"self-test: the rule flagged the good text: {offences(good)}")


def files(root):
    yield os.path.join(root, "README.md")
    for sub in ("docs", "include"):
        for dirpath, _, names in os.walk(os.path.join(root, sub)):
            for name in sorted(names):
                if name.endswith((".md", ".h", ".h.in")):
                    yield os.path.join(dirpath, name)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check-docs-self-contained.py SOURCE_ROOT")
    root = sys.argv[1]
    self_test()
    bad = 0
    checked = 0
    for path in files(root):
        checked += 1
        with open(path, encoding="utf-8") as f:
            for n, line in offences(f.read()):
                print(f"{os.path.relpath(path, root)}:{n}: cites the private "
                      f"reference notes; cite the public source instead: {line}")
                bad += 1
    if checked < 10:
        sys.exit(f"only {checked} files found under {root}: wrong root?")
    print(f"{checked} files checked, {bad} references to private notes")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
