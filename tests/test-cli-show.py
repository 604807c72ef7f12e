#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `tdxsim show`: exit codes, the printed tables and the
--svg picture, checked against the fixtures themselves.

Environment: TDXSIM_CLI (the tdxsim binary), TDXSIM_SOURCE_ROOT (the source
tree). Prints one line per check and closes with "N passed, M failed"; exits
1 when any check failed, 77 (skipped) when the environment is missing."""
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"
EMR = "emr-canonical-tdx-135.yaml"

# Kernel E820 names of the legacy spelling, the one the EMR fixture uses.
RAM_NAMES = ("usable", "System RAM")


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print("ok   %s" % name)
        else:
            self.failed += 1
            print("FAIL %s%s" % (name, (": " + detail) if detail else ""))
        return ok


def run(cli, *args):
    proc = subprocess.run([cli, "show", *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True,
                          timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


def block(text, key):
    """The lines of a top-level literal block ("key: |") of the fixture."""
    match = re.search(r"^%s:\s*\|\n((?:[ \t]+[^\n]*\n?)*)" % key, text, re.M)
    return match.group(1).splitlines() if match else []


def parse_e820(lines):
    """Entries (start, end exclusive, name) and the indexes before which
    the source left entries out."""
    e820, elided = [], []
    for line in lines:
        if re.fullmatch(r"\s*\.\.\.+\s*", line):
            elided.append(len(e820))
            continue
        match = re.search(r"\[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\]\s*(.+)",
                          line)
        if match:
            e820.append((int(match.group(1), 16), int(match.group(2), 16) + 1,
                         match.group(3).strip()))
    return e820, elided


def merge_derived(source, elided, derived):
    """The one E820 table: derived entries (e820-derived) sorted in among
    the source's, each after every entry starting at or below it; a source
    elision stays where it was, before derived entries landing there."""
    table = [(entry, False) for entry in source]
    for entry in derived:
        i = len(table)
        while i > 0 and table[i - 1][0][0] > entry[0]:
            i -= 1
        table.insert(i, (entry, True))
    where = [i for i, (_, is_derived) in enumerate(table) if not is_derived]
    # Source index k sits right after source entry k - 1 in the table.
    moved = [where[k - 1] + 1 if k > 0 else 0 for k in elided]
    return [entry for entry, _ in table], moved


def parse_fixture(path):
    """What a fixture says, read straight from its text so that the test
    does not trust the loader: name, E820 entries and elisions, CMR slots
    (base, end exclusive), NUMA ranges (start, end exclusive)."""
    text = open(path, encoding="utf-8").read()
    e820, elided = merge_derived(*parse_e820(block(text, "e820")),
                                 parse_e820(block(text, "e820-derived"))[0])
    cmrs = [(int(a, 16), int(b, 16)) for a, b in re.findall(
        r"\[(0x[0-9a-fA-F]+),\s*(0x[0-9a-fA-F]+)\)", "\n".join(block(text, "cmrs")))]
    numa = [(int(a, 16), int(b, 16) + 1) for a, b in re.findall(
        r"\[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\]", "\n".join(block(text, "numa")))]
    name = re.search(r"^name:\s*(\S+)", text, re.M)
    return {"name": name.group(1) if name else None, "e820": e820,
            "elided": elided, "cmrs": cmrs, "numa": numa}


def drawn_elisions(fx):
    """Elisions that cover some address range: between two entries with a
    gap, before the first entry, or after the last one up to where the CMRs
    and NUMA ranges end."""
    e820, count = fx["e820"], 0
    top = max([e for _, e in fx["cmrs"]] + [e for _, e in fx["numa"]] + [0])
    for i in fx["elided"]:
        start = e820[i - 1][1] if i > 0 else 0
        end = e820[i][0] if i < len(e820) else top
        count += end > start
    return count


def hex16(value):
    return "0x%016x" % value


def find_row(lines, start, end, tail=None):
    """Index of the table row with these bounds (and trailing text)."""
    for i, line in enumerate(lines):
        words = line.split()
        if hex16(start) in words and hex16(end) in words:
            if tail is None or line.rstrip().endswith("  " + tail):
                return i
    return -1


def check_exit_codes(r, cli, fixture):
    code, out, _ = run(cli, "--help")
    r.check("--help exits 0 with usage on stdout",
            code == 0 and "Usage: tdxsim show" in out, "exit %d" % code)
    code, _, err = run(cli, "--no-such-option")
    r.check("unknown option exits 2", code == 2 and "--help" in err,
            "exit %d" % code)
    code, _, _ = run(cli, "--svg")
    r.check("--svg without a value exits 2", code == 2, "exit %d" % code)
    code, _, err = run(cli, "/nonexistent/none.yaml")
    r.check("missing fixture exits 2", code == 2 and err != "",
            "exit %d" % code)
    code, _, _ = run(cli, fixture, fixture)
    r.check("two fixtures exit 2", code == 2, "exit %d" % code)
    code, _, _ = run(cli, fixture, "--svg", "/nonexistent/dir/x.svg")
    r.check("unwritable --svg path exits 2", code == 2, "exit %d" % code)


def check_e820_rows(r, lines, fx):
    e820, elided = fx["e820"], fx["elided"]
    rows = [find_row(lines, s, e, name) for s, e, name in e820]
    missing = [hex16(e820[i][0]) for i, row in enumerate(rows) if row < 0]
    r.check("table lists all %d E820 entries with their type names" % len(e820),
            e820 and not missing, "missing " + ", ".join(missing[:5]))
    r.check("E820 rows keep the fixture's order",
            rows == sorted(rows) and len(set(rows)) == len(rows))
    markers = [i for i, line in enumerate(lines)
               if line.split()[:1] == ["..."] and "left out" in line]
    # A marker sits right before the row of the entry it precedes, or
    # right after the last row for a table cut off at its end.
    expected = [rows[i] - 1 if i < len(rows) else rows[-1] + 1
                for i in elided] if rows else []
    r.check("elision markers where the source left entries out (%d)"
            % len(elided), markers == expected,
            "marker lines %s, expected %s" % (markers, expected))


def check_ram_total(r, lines, fx):
    truncated = bool(fx["elided"])
    ram = sum(e - s for s, e, name in fx["e820"] if name in RAM_NAMES)
    total = [line for line in lines if line.strip().startswith("RAM total")]
    ok = len(total) == 1 and ("(%d bytes)" % ram) in total[0]
    if ok:
        ok = ("in the entries given" in total[0]) == truncated
    r.check("RAM total is %d bytes%s" % (ram, " in the entries given"
                                          if truncated else ""),
            ok, repr(total))


def check_cmr_rows(r, lines, cmrs):
    missing = [hex16(b) for b, e in cmrs if e > b and find_row(lines, b, e) < 0]
    r.check("table lists all %d CMRs" % len(cmrs), not missing,
            "missing " + ", ".join(missing))
    header = [line for line in lines if line.startswith("CMRs")]
    expected = "CMRs (%d slots given)" % len(cmrs) if cmrs else "CMRs: none given"
    r.check("CMR section counts %d slots" % len(cmrs), header == [expected],
            repr(header))


def check_numa_rows(r, lines, numa):
    missing = [hex16(s) for s, e in numa if find_row(lines, s, e) < 0]
    r.check("table lists all %d NUMA node ranges" % len(numa), not missing,
            "missing " + ", ".join(missing[:5]))


def check_table(r, cli, path):
    fx = parse_fixture(path)
    code, out, err = run(cli, path)
    if not r.check("show %s exits 0" % os.path.basename(path), code == 0,
                   "exit %d: %s" % (code, err.strip())):
        return
    lines = out.splitlines()
    r.check("header names the platform",
            lines[:1] == ["Platform %s" % fx["name"]], repr(lines[:1]))
    check_e820_rows(r, lines, fx)
    check_ram_total(r, lines, fx)
    check_cmr_rows(r, lines, fx["cmrs"])
    check_numa_rows(r, lines, fx["numa"])


def titles(group):
    return [rect.findtext(SVG_NS + "title")
            for rect in group.iter(SVG_NS + "rect")
            if rect.find(SVG_NS + "title") is not None]


def e820_title(start, end, name):
    return "[mem %s-%s] %s (" % (hex16(start), hex16(end - 1), name)


def check_svg_e820(r, group, fx):
    got = [t for t in titles(group) if t.startswith("[mem ")]
    expected = [e820_title(*entry) for entry in fx["e820"]]
    r.check("one E820 rect per entry with its kernel line as title",
            len(got) == len(expected) and
            all(t.startswith(x) for t, x in zip(got, expected)),
            "%d rects for %d entries" % (len(got), len(expected)))
    hatched = [rect for rect in group.iter(SVG_NS + "rect")
               if "svg-unknown" in (rect.get("class") or "").split()]
    r.check("left-out E820 entries drawn as 'not in source' (%d)"
            % drawn_elisions(fx), len(hatched) == drawn_elisions(fx),
            "%d hatched rects" % len(hatched))


def check_svg_tracks(r, root, fx):
    groups = {g.get("id"): g for g in root.iter(SVG_NS + "g") if g.get("id")}
    if r.check("SVG has an E820 track", "track-e820" in groups):
        check_svg_e820(r, groups["track-e820"], fx)
    got = titles(groups["track-cmr"]) if "track-cmr" in groups else []
    # Null slots (size 0) cover nothing and get no rect.
    expected = ["CMR[%d]: [0x%x, 0x%x) " % (i, b, e)
                for i, (b, e) in enumerate(fx["cmrs"]) if e > b]
    r.check("one CMR rect per CMR with its range as title",
            len(got) == len(expected) and
            all(t.startswith(x) for t, x in zip(got, expected)), repr(got))
    got = titles(groups["track-numa"]) if "track-numa" in groups else []
    r.check("one NUMA rect per node range (%d)" % len(fx["numa"]),
            len(got) == len(fx["numa"]), "%d rects" % len(got))


def check_svg(r, cli, path, tmpdir):
    fx = parse_fixture(path)
    svg = os.path.join(tmpdir, os.path.basename(path) + ".svg")
    code, _, err = run(cli, path, "--svg", svg)
    if not r.check("show --svg %s exits 0" % os.path.basename(path),
                   code == 0, "exit %d: %s" % (code, err.strip())):
        return
    try:
        root = ET.parse(svg).getroot()
    except (ET.ParseError, OSError) as exc:
        r.check("--svg writes well-formed XML", False, str(exc))
        return
    r.check("--svg writes an SVG document", root.tag == SVG_NS + "svg",
            root.tag)
    check_svg_tracks(r, root, fx)


def check_default(r, cli, fixture):
    code, out, _ = run(cli)
    _, expected, _ = run(cli, fixture)
    r.check("no FIXTURE shows the bundled EMR platform",
            code == 0 and out == expected, "exit %d" % code)


def main():
    cli = os.environ.get("TDXSIM_CLI")
    root = os.environ.get("TDXSIM_SOURCE_ROOT")
    if not cli or not root:
        print("TDXSIM_CLI and TDXSIM_SOURCE_ROOT must be set; skipping")
        return 77
    platforms = os.path.join(root, "fixtures", "platforms")
    emr = os.path.join(platforms, EMR)
    r = Results()
    check_exit_codes(r, cli, emr)
    check_default(r, cli, emr)
    with tempfile.TemporaryDirectory() as tmpdir:
        for name in sorted(os.listdir(platforms)):
            if name.endswith(".yaml"):
                path = os.path.join(platforms, name)
                check_table(r, cli, path)
                check_svg(r, cli, path, tmpdir)
    print("%d passed, %d failed" % (r.passed, r.failed))
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
