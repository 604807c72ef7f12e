#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The table 'kernel generation x module build -> outcome' of docs/module.md,
made by running `tdxsim init` on one platform (the machine of
canonical/tdx#331: its four CMRs as RAM, KeyIDs [32, 64), 8 CPUs in 2
packages) with each module build and each kernel generation.

  tools/module-table.py                   print the table (Markdown)
  tools/module-table.py --check DOC       exit 1 unless DOC holds exactly
                                          this table between its markers

Environment: TDXSIM_CLI (the binary); with --check, exits 77 (skipped)
when it is unset. The marker lines are '<!-- module-table begin -->' and
'<!-- module-table end -->'."""
import argparse
import os
import subprocess
import sys
import tempfile

BUILDS = ("1.0", "1.5.01", "1.5.05", "1.5.06", "2.0.05", "2.0.08")
KERNELS = ("6.12", "ubuntu-6.8-intel", "mainline", "mainline-dpamt")
CMRS = ((0x100000, 0x77800000), (0x100000000, 0x6ffe000000),
        (0x8000000000, 0xf000000000), (0x10000000000, 0x10080000000))
FIELDS = {
    "0x9100000100000008": "MAX_TDMRS",
    "0x0800000100000003": "MINOR_VERSION",
    "0x9900000100000008": "MAX_VCPUS_PER_TD",
    "0x9100000100000013": "PAMT_PAGE_BITMAP_ENTRY_BITS",
}
# Cells a real log shows, with the log.
CONFIRMED = {
    ("6.12", "1.0"): "canonical/tdx#83 (6.8.0-1001-intel, whose reads are 6.12's)",
    ("ubuntu-6.8-intel", "1.0"): "canonical/tdx#331 (6.8.0-1015-intel)",
}
BEGIN = "<!-- module-table begin -->"
END = "<!-- module-table end -->"


def platform(version):
    e820 = ["  [mem 0x%016x-0x%016x] usable" % (0, 0x9efff),
            "  [mem 0x%016x-0x%016x] reserved" % (0x9f000, 0xfffff)]
    e820 += ["  [mem 0x%016x-0x%016x] usable" % (a, b - 1) for a, b in CMRS]
    return "\n".join([
        "tdxsim-fixture: 1", "name: module-table-" + version, "module:",
        '  version: "%s"' % version, "  build-date: 20230206", "  build-num: 457",
        '  private-keyids: "[32, 64)"', "  logical-cpus: 8", "  packages: 2",
        "e820: |"] + e820 + ["cmrs: |"] +
        ["  [0x%x, 0x%x)" % c for c in CMRS]) + "\n"


def outcome(lines):
    """One cell: what the replay's lines say, in a few words."""
    last = lines[-1] if lines else ""
    if last == "virt/tdx: module initialized":
        kb = lines[-2].split()[1]
        dpamt = ", Dynamic PAMT" if "virt/tdx: Enable Dynamic PAMT" in lines else ""
        return "initialized, %s KB%s" % (kb, dpamt)
    for i, line in enumerate(lines):
        if "SEAMCALL (0x0000000000000022) failed: " in line:
            status = line.rsplit(" ", 1)[1]
            rdx = lines[i + 1].split()[4] if i + 1 < len(lines) else "?"
            return "-EIO: TDH.SYS.RD of %s gives %s" % (FIELDS.get(rdx, rdx), status)
        if "SEAMCALL (" in line:
            return "-EIO: " + line.split("virt/tdx: ", 1)[1]
    return last.split("virt/tdx: ", 1)[-1]


def table(cli):
    rows = ["| kernel \\ module | " + " | ".join(BUILDS) + " |",
            "|---" * (len(BUILDS) + 1) + "|"]
    with tempfile.TemporaryDirectory() as tmpdir:
        paths = {}
        for b in BUILDS:
            paths[b] = os.path.join(tmpdir, b + ".yaml")
            with open(paths[b], "w") as f:
                f.write(platform(b))
        for k in KERNELS:
            cells = []
            for b in BUILDS:
                proc = subprocess.run([cli, "init", "--kernel", k, paths[b]],
                                      capture_output=True, text=True, timeout=120)
                cell = outcome(proc.stdout.splitlines())
                if (k, b) in CONFIRMED:
                    cell += " (**confirmed**: %s)" % CONFIRMED[(k, b)]
                cells.append(cell)
            rows.append("| %s | %s |" % (k, " | ".join(cells)))
    return "\n".join(rows) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", metavar="DOC", help="compare with DOC's table")
    args = parser.parse_args()
    cli = os.environ.get("TDXSIM_CLI")
    if not cli:
        print("TDXSIM_CLI must be set; skipping")
        return 77 if args.check else 2
    got = table(cli)
    if not args.check:
        sys.stdout.write(got)
        return 0
    text = open(args.check).read()
    if BEGIN not in text or END not in text:
        print("%s: no '%s' ... '%s' block" % (args.check, BEGIN, END))
        return 1
    want = text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n") + "\n"
    if want != got:
        print("%s: the module table drifted; regenerate it with "
              "tools/module-table.py.\n--- in the doc\n%s--- from the replay\n%s"
              % (args.check, want, got))
        return 1
    print("module table: %d cells agree" % (len(BUILDS) * len(KERNELS)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
