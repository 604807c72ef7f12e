#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The sources stand on their own: docs/, README.md, the public headers and
the comments of lib/, sim/, tools/ and fixtures/ cite public sources (a
repository, commit, file and function; a TDX module source file; an SDM
section), never the project's private reference notes
("../shared/spec/...", "spec tdmr.md 1.5", a bare "mmio.md 2.2" or
"module.md 5.4", "spec 2.4", "Model spec B", a "§3.6").

Usage: check-docs-self-contained.py SOURCE_ROOT

The rule is first tried on a text that breaks it and one that keeps it, so
that a pattern that matches nothing cannot pass silently.
"""
import os
import re
import sys

# "spec" and what follows may be split by a line break and a comment's
# leading "*" or "#". The notes' names are tdmr.md, mmio.md, mtrr.md,
# module.md and peers-and-style.md; the project's own docs/module.md is
# named with its folder, and never with a section number.
GAP = r"\s+(?:[*#]\s+)?"
PRIVATE = re.compile("|".join([
    r"shared/spec",
    r"\.\./spec/",
    r"(?<![\w/.-])spec/[\w-]+\.md",
    r"\bspec" + GAP + r"[A-Za-z0-9_-]+\.md\b",
    r"(?<![\w/.-])(?:tdmr|mmio|mtrr|peers-and-style)\.md\b",
    r"(?<![\w/.-])module\.md" + GAP + r"\d",
    r"\bspec" + GAP + r"\d+(?:\.\d+)*[a-z]?\b",
    r"\bModel spec\b",
    r"§\s*\d",
]))


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
           "/* a wrapped comment (spec\n * mtrr.md 3.3) */\n"
           "/* mmio.md 1.2 step 4: ve_raise_fault(). */\n"
           "int gpaw; /**< bit 47 (0) or 51 (1) (module.md 5.4) */\n"
           "the GHCI's register ABI (spec 1.4): R10 = 0,\n"
           "/* 1.0 quirk,\n * spec 2.4c). */\n"
           "The research behind this model is `spec/mmio.md`.\n"
           "source: \"KVM; Model spec B and D/S3\"\n"
           "| `archercity-spr.txt` | §3.1 | a table |\n"
           "(peers-and-style.md section 6: users paste raw words)\n")
    good = ("Linux arch/x86/virt/vmx/tdx/tdx.c fill_out_tdmrs()\n"
            "intel/tdx-module tdx_1.5 tdh_sys_config.c; SDM vol. 3A 12.11\n"
            "the specification of TDH.SYS.CONFIG (Intel TDX module ABI)\n"
            "docs/module.md, `docs/module.md` and docs/guest.md say more\n"
            "an HPET (IA-PC HPET specification 1.0a); SDM vol. 3C 26.5\n"
            "test/spec/foo.c and a spec.md of its own (not ours)\n")
    found = [n for n, _ in offences(bad)]
    expected = [1, 2, 3, 4, 6, 8, 9, 10, 12, 13, 14, 15, 16]
    if found != expected:
        sys.exit(f"self-test: the rule found lines {found} of the bad text, "
                 f"expected {expected}")
    if offences(good):
        sys.exit(f"self-test: the rule flagged the good text: {offences(good)}")


# Where the rule applies, and to which files there: documents, C sources
# and headers, scripts, fixtures (their comments and source: lines), tests.
# This script is the one file exempt: its self-test holds the references
# it must catch.
FOLDERS = ("docs", "include", "lib", "sim", "tools", "fixtures", "data", "tests")
SUFFIXES = (".md", ".h", ".h.in", ".c", ".py", ".sh", ".yaml", ".yml",
            ".txt", ".build", ".sym")


def files(root):
    yield os.path.join(root, "README.md")
    for sub in FOLDERS:
        for dirpath, dirs, names in os.walk(os.path.join(root, sub)):
            dirs.sort()
            for name in sorted(names):
                if name.endswith(SUFFIXES) and name != os.path.basename(__file__):
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
        with open(path, encoding="utf-8", errors="replace") as f:
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
