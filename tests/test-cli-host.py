#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `tdxsim init` and `tdxsim tdmr`: exit statuses, the
kernel's exact lines on the EMR platform of canonical/tdx#135, layouts that
`tdxsim module-config` accepts, the JSON document, the SVG picture and the
strategy comparison.

Environment: TDXSIM_CLI (the binary), TDXSIM_SOURCE_ROOT (the source tree),
optional TDXSIM_CLI_WRAPPER (e.g. "valgrind --error-exitcode=99 -q") run in
front of every invocation. Prints one line per failed check and closes with
"N passed, M failed"; exits 1 when any check failed, 77 (skipped) when the
environment is missing."""
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from clitest import CLI, ROOT, check, finish, run

SVG_NS = "{http://www.w3.org/2000/svg}"
STRATEGIES = ("linux", "linux-cmr", "tdxsim")

# canonical/tdx#135: upstream Linux runs out of reserved areas in the first
# TDMR; the CMR-hole kernel and tdxsim's packer initialize the module.
EXHAUSTED = ("virt/tdx: initialization failed: TDMR [0x0, 0x80000000): "
             "reserved areas exhausted.")
INIT_FAILED = "virt/tdx: module initialization failed (-28)"
PAMT_LINE = "virt/tdx: 1050644 KB allocated for PAMT"
INITIALIZED = "virt/tdx: module initialized"
# The CMR-derived TDMRs: [0,2G) [4G,66G) [66G,130G) [130G,194G) [194G,258G)
# (fixtures/layouts/emr-cmr-layout.yaml).
EMR_TDMRS = 5


def test_usage(emr):
    for cmd in ("init", "tdmr"):
        code, out, _ = run(cmd, "--help")
        check(cmd + " --help", code == 0 and out.startswith("Usage: tdxsim " + cmd), out)
        for bad in (["--no-such-option"], ["--strategy", "nope"], ["--strategy"],
                    ["--kernel", "6.13"], ["--kernel"],
                    [emr, emr], ["/nonexistent/none.yaml"]):
            code, _, err = run(cmd, *bad)
            check("%s %s exits 2" % (cmd, " ".join(bad)), code == 2 and err, "exit %d" % code)
    for bad in (["--compare", "--strategy", "tdxsim"], ["--compare", "--svg", "x.svg"],
                ["--svg"], ["--layout-out", ""], ["--strategy", "all"]):
        code, _, err = run("tdmr", *bad)
        check("tdmr %s exits 2" % " ".join(bad), code == 2 and err, "exit %d" % code)
    code, _, err = run("tdmr", "--svg", "/nonexistent/dir/x.svg")
    check("tdmr unwritable --svg exits 2", code == 2 and err, "exit %d" % code)


def test_init_linux(emr):
    code, out, err = run("init")
    lines = out.splitlines()
    ok = EXHAUSTED in lines and INIT_FAILED in lines and \
        lines.index(EXHAUSTED) < lines.index(INIT_FAILED)
    check("init (default, linux) prints the EMR failure", ok, out + err)
    check("init (default, linux) exits 1", code == 1, "exit %d" % code)
    check("init lines are kernel lines",
          all(line.startswith("virt/tdx: ") for line in lines), out)
    code2, out2, _ = run("init", emr, "--strategy", "linux")
    check("init without PLATFORM runs the bundled EMR fixture",
          code2 == code and out2 == out, out2)


def pamt_kb_line(lines):
    """The KB of the kernel's "N KB allocated for PAMT" line, or None."""
    for line in lines:
        match = re.fullmatch(r"virt/tdx: (\d+) KB allocated for PAMT", line)
        if match:
            return int(match.group(1))
    return None


def test_init_success(emr):
    # Needs the EMR fixture's RAM above 4 GiB (its e820-derived entries).
    for strategy in ("linux-cmr", "tdxsim"):
        code, out, err = run("init", "--strategy", strategy)
        lines = out.splitlines()
        check("init --strategy %s exits 0" % strategy, code == 0, "exit %d: %s" % (code, err))
        check("init --strategy %s ends with '%s'" % (strategy, INITIALIZED),
              lines[-1:] == [INITIALIZED], out)
    # The kernel with CMR holes builds the 5 CMR-derived TDMRs: exactly the
    # figure of the canonical/tdx README, `1050644 KB allocated for PAMT`.
    code, out, _ = run("init", "--strategy", "linux-cmr")
    check("init --strategy linux-cmr allocates 1050644 KB of PAMT",
          PAMT_LINE in out.splitlines(), out)
    # tdxsim's packer may cover the same memory with fewer TDMRs, and every
    # TDMR fewer saves its 4 KiB-rounded 2M and 1G PAMTs: never more.
    code, out, _ = run("init", "--strategy", "tdxsim")
    kb = pamt_kb_line(out.splitlines())
    _, doc, _ = run("tdmr", emr, "--strategy", "tdxsim", "--json")
    want = json.loads(doc).get("pamt_kb") if doc.startswith("{") else None
    check("init --strategy tdxsim: PAMT line agrees with tdmr, at most 1050644 KB",
          kb is not None and kb == want and kb <= 1050644, "%s vs %s" % (kb, want))


def test_init_all():
    code, out, _ = run("init", "--strategy", "all")
    lines = out.splitlines()
    headers = [line for line in lines if line.startswith("== ")]
    check("init --strategy all has one header per strategy, then the summary",
          headers == ["== %s ==" % s for s in STRATEGIES] + ["== summary =="], repr(headers))
    check("init --strategy all exits 1 when linux fails", code == 1, "exit %d" % code)
    check("init --strategy all starts with the linux header",
          lines[:1] == ["== linux =="], repr(lines[:1]))


BIOS = "virt/tdx: BIOS enabled: private KeyID range [32, 64)"
S3 = "virt/tdx: Disable ACPI S3. Turn off TDX in the BIOS to use ACPI S3."
UBUNTU_INFO = ("virt/tdx: TDX module: attributes 0x0, vendor_id 0x8086, major_version 1, "
               "minor_version 5, build_date 20231008, build_num 595")


# canonical/tdx#135, the reporter's `sudo dmesg | grep -i tdx` on kernel
# 6.8.0-1004-intel (timestamps and the two command-line lines left out);
# the report quotes the first nine lines, the tenth is how the kernel ends
# a failed initialization.
EMR_135_LOG = [
    "virt/tdx: BIOS enabled: private KeyID range [32, 64)",
    "virt/tdx: Disable ACPI S3. Turn off TDX in the BIOS to use ACPI S3.",
    "virt/tdx: TDX module: attributes 0x0, vendor_id 0x8086, major_version 1, "
    "minor_version 5, build_date 20231008, build_num 595",
    "virt/tdx: CMR: [0x100000, 0x6f800000)",
    "virt/tdx: CMR: [0x100000000, 0x107a000000)",
    "virt/tdx: CMR: [0x1080000000, 0x207c000000)",
    "virt/tdx: CMR: [0x2080000000, 0x307c000000)",
    "virt/tdx: CMR: [0x3080000000, 0x407c000000)",
    "virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.",
    "virt/tdx: module initialization failed (-28)",
]


def test_init_kernel(emr):
    """--kernel picks the generation: its lines, in its order."""
    want = {
        "6.12": [BIOS, S3, EXHAUSTED, INIT_FAILED],
        # The EMR fixture's module is "1.5": its update is not known, so
        # no version line is printed (tdxsim would invent "1.5.00").
        "mainline": [BIOS, S3, EXHAUSTED, INIT_FAILED],
    }
    for kernel, lines in want.items():
        code, out, err = run("init", emr, "--kernel", kernel)
        check("init --kernel %s prints exactly its lines" % kernel,
              out.splitlines() == lines, out + err)
        check("init --kernel %s exits 1" % kernel, code == 1, "exit %d" % code)
    # The EMR fixture's kernel is 6.8.0-1004-intel: without --kernel, its
    # generation. The lines are then those of the machine's own log
    # (canonical/tdx#135, `dmesg | grep -i tdx`), in order.
    code, out, err = run("init", emr)
    check("init takes the generation from the fixture's kernel release",
          out.splitlines() == EMR_135_LOG and
          "kernel ubuntu-6.8-intel, as the fixture's kernel 6.8.0-1004-intel" in err,
          out + err)
    code, out, err = run("init", emr, "--kernel", "mainline")
    check("--kernel overrides the fixture's kernel release",
          out.splitlines() == want["mainline"] and "kernel ubuntu" not in err, out + err)
    # linux-cmr defaults to Ubuntu's 6.8-intel: TDH.SYS.INFO's line, CMRs.
    code, out, _ = run("init", emr, "--strategy", "linux-cmr")
    lines = out.splitlines()
    check("init --strategy linux-cmr prints the INFO line and 5 CMR lines",
          lines[:3] == [BIOS, S3, UBUNTU_INFO] and
          sum(line.startswith("virt/tdx: CMR: [") for line in lines) == 5, out)
    code, out, _ = run("init", emr, "--strategy", "linux-cmr", "--kernel", "6.12")
    check("init --strategy linux-cmr --kernel 6.12 has no INFO line",
          code == 0 and out.splitlines() == [BIOS, S3, PAMT_LINE, INITIALIZED], out)
    code, out, _ = run("init", emr, "--strategy", "all", "--kernel", "6.12")
    check("init --strategy all --kernel 6.12 prints no version line",
          code == 1 and "Module version" not in out and out.count(S3) == 3, out)
    code, out, _ = run("tdmr", emr, "--kernel", "ubuntu-6.8-intel", "--strategy", "linux-cmr")
    check("tdmr --kernel ubuntu-6.8-intel --strategy linux-cmr exits 0", code == 0,
          "exit %d" % code)
    code, _, _ = run("tdmr", emr, "--kernel", "6.12", "--compare")
    check("tdmr --kernel 6.12 --compare exits 1 (linux fails)", code == 1, "exit %d" % code)


# A 1.0 module under Ubuntu kernels that read TDH.SYS.RD, which 1.0 does
# not have: canonical/tdx#83 (6.8.0-1001-intel: no TDH.SYS.INFO, MAX_TDMRS
# read first) and #331 (6.8.0-1015-intel: INFO and CMR lines first). The
# lines after the KeyID and ACPI lines are the reports' own.
RD_ON_1_0 = [
    "virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc000050500000000",
    "virt/tdx: RCX 0x0000000000000000 RDX 0x9100000100000008 R08 0x0000000000000000",
    "virt/tdx: R09 0x0000000000000000 R10 0x0000000000000000 R11 0x0000000000000000",
    "virt/tdx: module initialization failed (-5)",
]
CMRS_331 = ["[0x100000, 0x77800000)", "[0x100000000, 0x6ffe000000)",
            "[0x8000000000, 0xf000000000)", "[0x10000000000, 0x10080000000)"]


def fixture_1_0(tmpdir, name, kernel, keyids, cmrs):
    """A platform whose RAM is its CMRs, with a 1.0 module: what these
    reports say of their machines (#83 says only the KeyIDs)."""
    ranges = [tuple(int(x, 16) for x in c.strip("[)").split(", ")) for c in cmrs]
    e820 = ["  [mem 0x%016x-0x%016x] usable" % (0, 0x9efff),
            "  [mem 0x%016x-0x%016x] reserved" % (0x9f000, 0xfffff)]
    e820 += ["  [mem 0x%016x-0x%016x] usable" % (a, b - 1) for a, b in ranges]
    text = "\n".join([
        "tdxsim-fixture: 1", "name: " + name, "source:", "  kernel: " + kernel,
        "module:", '  version: "1.0"', "  build-date: 20230206", "  build-num: 457",
        '  private-keyids: "%s"' % keyids, "  logical-cpus: 8", "  packages: 2",
        "e820: |"] + e820 + ["cmrs: |"] + ["  " + c for c in cmrs]) + "\n"
    path = os.path.join(tmpdir, name + ".yaml")
    with open(path, "w") as f:
        f.write(text)
    return path


def test_real_logs(tmpdir):
    path = fixture_1_0(tmpdir, "tdx-83", "6.8.0-1001-intel", "[1, 128)", CMRS_331[:2])
    code, out, _ = run("init", path)
    check("canonical/tdx#83 replayed line for line",
          code == 1 and out.splitlines() == [
              "virt/tdx: BIOS enabled: private KeyID range [1, 128)", S3] + RD_ON_1_0, out)
    path = fixture_1_0(tmpdir, "tdx-331", "6.8.0-1015-intel", "[32, 64)", CMRS_331)
    code, out, _ = run("init", path)
    check("canonical/tdx#331 replayed line for line",
          code == 1 and out.splitlines() == [BIOS, S3,
              "virt/tdx: TDX module: attributes 0x0, vendor_id 0x8086, major_version 1, "
              "minor_version 0, build_date 20230206, build_num 457"] +
          ["virt/tdx: CMR: " + c for c in CMRS_331] + RD_ON_1_0, out)


def test_nothing_invented(tmpdir):
    """What the input does not give is never printed as the machine's: no
    version line from a default version, a note naming every default."""
    base = open(os.path.join(ROOT, "fixtures/platforms/synth-low-holes-1s.yaml")).read()
    code, out, err = run("init", "--kernel", "mainline",
                         os.path.join(ROOT, "fixtures/platforms/synth-low-holes-1s.yaml"))
    check("no version in the input: no version line", "Module version" not in out, out)
    check("no version in the input: the defaults are named",
          "note: not in the input, tdxsim's defaults: module version 1.5.06, "
          "private KeyIDs [32, 64)" in err, err)
    for version, line in (('"1.5.06"', "virt/tdx: Module version: 1.5.06"),
                          ('"1.5"', None)):
        path = os.path.join(tmpdir, "v.yaml")
        with open(path, "w") as f:
            f.write(base.replace("module:\n", "module:\n  version: %s\n" % version, 1))
        code, out, err = run("init", "--kernel", "mainline", path)
        if line:
            check("version %s given: its line" % version, line in out.splitlines(), out)
        else:
            check("version %s (no update) given: no line, no .00 invented" % version,
                  "Module version" not in out and "module version" not in err, out + err)


def test_layout_out(emr, tmpdir):
    for strategy in ("linux-cmr", "tdxsim"):
        path = os.path.join(tmpdir, strategy + ".yaml")
        code, out, err = run("tdmr", emr, "--strategy", strategy, "--layout-out", path)
        check("tdmr --strategy %s exits 0" % strategy, code == 0, "exit %d: %s" % (code, err))
        check("tdmr --strategy %s reports TDX_SUCCESS" % strategy,
              re.search(r"^Module verdict: .* TDX_SUCCESS$", out, re.M), out)
        if not check("tdmr --layout-out %s writes a layout" % strategy,
                     os.path.exists(path) and "tdxsim-layout:" in open(path).read()):
            continue
        code, out, err = run("module-config", emr, path)
        check("module-config accepts the %s layout" % strategy,
              code == 0 and out.startswith("TDH.SYS.CONFIG: 0x0000000000000000 TDX_SUCCESS"),
              "exit %d: %s%s" % (code, out, err))


def test_tdmr_linux(emr):
    code, out, _ = run("tdmr", emr)
    check("tdmr (linux) exits 1 on EMR", code == 1, "exit %d" % code)
    check("tdmr (linux) prints the kernel's failure line", "  " + EXHAUSTED in out, out)
    check("tdmr (linux) says the module was not asked",
          "Module verdict: not asked" in out, out)
    check("tdmr (linux) fills all 16 reserved slots of TDMR 0",
          re.search(r"^ +reserved +16 of 16 slots$", out, re.M), out)


def text_tdmr_count(out):
    match = re.search(r"^TDMRs \((\d+)\)$", out, re.M)
    return int(match.group(1)) if match else -1


def test_json(emr):
    for strategy in STRATEGIES:
        code, out, _ = run("tdmr", emr, "--strategy", strategy, "--json")
        try:
            doc = json.loads(out)
        except ValueError as exc:
            check("tdmr --json %s parses" % strategy, False, str(exc))
            continue
        _, text, _ = run("tdmr", emr, "--strategy", strategy)
        count = len(doc.get("tdmrs", []))
        check("tdmr --json %s: TDMR count agrees with the text" % strategy,
              count == doc.get("tdmr_count") == text_tdmr_count(text),
              "%d, %s, %d" % (count, doc.get("tdmr_count"), text_tdmr_count(text)))
        check("tdmr --json %s: exit status agrees with 'accepted'" % strategy,
              (code == 0) == doc.get("accepted") and code in (0, 1), "exit %d" % code)
        check("tdmr --json %s: lines are the text's kernel lines" % strategy,
              all("  " + line in text for line in doc.get("lines", [])))
    code, out, _ = run("tdmr", emr, "--strategy", "linux-cmr", "--json")
    doc = json.loads(out) if out.startswith("{") else {}
    check("tdmr --json linux-cmr has the %d CMR-derived TDMRs" % EMR_TDMRS,
          len(doc.get("tdmrs", [])) == EMR_TDMRS and doc.get("pamt_kb") == 1050644,
          out[:200])
    reasons = {r.get("reason") for t in doc.get("tdmrs", []) for r in t.get("reserved", [])}
    check("tdmr --json reasons are hole/pamt/hole+pamt",
          reasons and reasons <= {"hole", "pamt", "hole+pamt"}, repr(reasons))


def test_svg(emr, tmpdir):
    for strategy in STRATEGIES:
        path = os.path.join(tmpdir, strategy + ".svg")
        code, out, err = run("tdmr", emr, "--strategy", strategy, "--svg", path)
        if not check("tdmr --svg %s writes a file" % strategy,
                     code in (0, 1) and os.path.exists(path), "exit %d: %s" % (code, err)):
            continue
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as exc:
            check("tdmr --svg %s is well-formed XML" % strategy, False, str(exc))
            continue
        groups = {g.get("id"): g for g in root.iter(SVG_NS + "g") if g.get("id")}
        for track in ("track-e820", "track-cmr", "track-tdmr", "track-rsvd", "track-pamt"):
            check("tdmr --svg %s has %s" % (strategy, track), track in groups)
        rects = [r for r in groups.get("track-tdmr", ET.Element("g")).iter(SVG_NS + "rect")
                 if "tdmr" in (r.get("class") or "").split()]
        titled = [r for r in rects if (r.findtext(SVG_NS + "title") or "").startswith("TDMR ")]
        want = text_tdmr_count(out)
        check("tdmr --svg %s: one titled rect per TDMR (%d)" % (strategy, want),
              len(rects) == len(titled) == want, "%d rects, %d titled" % (len(rects), len(titled)))


def test_compare(emr):
    code, out, err = run("tdmr", emr, "--compare")
    lines = out.splitlines()
    rows = [line.split()[0] for line in lines[1:] if line.strip()]
    check("tdmr --compare has one row per strategy", rows == list(STRATEGIES), out + err)
    check("tdmr --compare header", lines[:1] and lines[0].startswith("strategy"), out)
    check("tdmr --compare exits 1 when a strategy fails", code == 1, "exit %d" % code)
    linux = [line for line in lines if line.startswith("linux ")]
    check("tdmr --compare: linux is -28 ENOSPC, not asked",
          linux and "-28 ENOSPC" in linux[0] and linux[0].endswith("not asked"), repr(linux))
    for strategy in ("linux-cmr", "tdxsim"):
        row = [line for line in lines if line.split()[:1] == [strategy]]
        check("tdmr --compare: %s accepted" % strategy,
              row and row[0].endswith("TDX_SUCCESS"), repr(row))
    row = [line for line in lines if line.split()[:1] == ["linux-cmr"]]
    check("tdmr --compare: linux-cmr has 5 TDMRs and 1050644 KB",
          row and row[0].split()[2:5:2] == [str(EMR_TDMRS), "1050644"], repr(row))
    check("tdmr --compare: the column says 'construction', 'built' for a built layout",
          lines[:1] and lines[0].split()[:2] == ["strategy", "construction"]
          and row and row[0].split()[1] == "built", out)
    # A layout the kernel builds and the module refuses: 'built', and the
    # verdict in its own column.
    archer = os.path.join(os.path.dirname(emr), "archercity-spr.yaml")
    code, out, _ = run("tdmr", archer, "--compare")
    row = [line.split() for line in out.splitlines() if line.startswith("linux ")]
    check("tdmr --compare archercity: linux built, refused by the module, exit 1",
          code == 1 and row and row[0][1] == "built"
          and row[0][-1] == "TDX_PAMT_OUTSIDE_CMRS", out)
    check("tdmr --compare never says 'ok'",
          all(line.split()[1] != "ok" for line in out.splitlines()[1:] if line.strip()), out)
    code, out, _ = run("tdmr", emr, "--compare", "--json")
    try:
        doc = json.loads(out)
        names = [s["strategy"] for s in doc["strategies"]]
    except (ValueError, KeyError, TypeError) as exc:
        names = str(exc)
    check("tdmr --compare --json lists every strategy", names == list(STRATEGIES), repr(names))


ENABLE_DPAMT = "virt/tdx: Enable Dynamic PAMT"


def with_module(path, tmpdir, version, name):
    """A copy of the fixture at path whose module is version."""
    text = open(path).read()
    if re.search(r"^  version: .*$", text, re.M):
        text = re.sub(r"^  version: .*$", '  version: "%s"' % version, text, count=1,
                      flags=re.M)
    else:
        text = text.replace("module:\n", 'module:\n  version: "%s"\n' % version, 1)
    out = os.path.join(tmpdir, name)
    with open(out, "w") as f:
        f.write(text)
    return out


def test_dpamt(emr, tmpdir):
    """The Dynamic PAMT series (mainline-dpamt) on the EMR machine with a
    2.0.08 module and on a 100 000-entry platform: the line, the bitmap-sized
    totals beside the static ones; a 1.5 module falls back silently."""
    emr20 = with_module(emr, tmpdir, "2.0.08", "emr-2.0.08.yaml")
    for strategy, static, dynamic in (("linux-cmr", 1050644, 10260),
                                      ("tdxsim", 1050632, 10248)):
        code, out, err = run("init", emr20, "-s", strategy, "-k", "mainline-dpamt")
        check("init -k mainline-dpamt -s %s on EMR 2.0.08" % strategy,
              code == 0 and out.splitlines()[-3:] == [
                  ENABLE_DPAMT, "virt/tdx: %d KB allocated for PAMT" % dynamic, INITIALIZED],
              out + err)
        code, out, err = run("init", emr20, "-s", strategy, "-k", "mainline")
        check("init -k mainline -s %s on EMR 2.0.08: static %d KB" % (strategy, static),
              code == 0 and ENABLE_DPAMT not in out and
              "virt/tdx: %d KB allocated for PAMT" % static in out.splitlines(), out + err)
    code, out, err = run("init", emr20, "-s", "linux", "-k", "mainline-dpamt")
    check("init -k mainline-dpamt -s linux: still out of reserved areas",
          code == 1 and EXHAUSTED in out.splitlines() and ENABLE_DPAMT not in out, out + err)
    code, out, err = run("init", emr, "-s", "tdxsim", "-k", "mainline-dpamt")
    check("init -k mainline-dpamt on a 1.5 module: static PAMT, no line",
          code == 0 and ENABLE_DPAMT not in out and
          "virt/tdx: 1050632 KB allocated for PAMT" in out.splitlines(), out + err)
    code, out, err = run("tdmr", emr20, "--compare")
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:] if line.strip()}
    check("tdmr --compare: PAMT KB and DPAMT KB side by side",
          "DPAMT KB" in out.splitlines()[0] and rows.get("linux-cmr", [])[4:6] ==
          ["1050644", "10260"] and rows.get("tdxsim", [])[4:6] == ["1050632", "10248"],
          out + err)
    code, out, err = run("tdmr", emr, "--compare")
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:] if line.strip()}
    check("tdmr --compare on a 1.5 module: no DPAMT column value",
          rows.get("tdxsim", [])[4:6] == ["1050632", "-"], out + err)
    for path, want in ((emr20, 10260), (emr, None)):
        code, out, _ = run("tdmr", path, "--compare", "--json")
        try:
            doc = {s["strategy"]: s for s in json.loads(out)["strategies"]}
            got = (doc["linux-cmr"]["pamt_kb"], doc["linux-cmr"]["dpamt_pamt_kb"])
        except (ValueError, KeyError, TypeError) as exc:
            got = str(exc)
        check("tdmr --compare --json dpamt_pamt_kb %s" % want, got == (1050644, want),
              repr(got))
    big = os.path.join(tmpdir, "p100k.yaml")
    gen = subprocess.run([sys.executable, os.path.join(ROOT, "tools/gen-platform.py"),
                          "--entries", "100000", "--layout", "clustered", "--sockets", "8",
                          "--ram-per-node", "1024", "-o", big], capture_output=True, text=True)
    if not check("gen-platform.py writes a 100 000-entry platform", gen.returncode == 0,
                 gen.stderr):
        return
    big = with_module(big, tmpdir, "2.0.08", "p100k-2.0.08.yaml")
    for strategy, static, dynamic in (("linux-cmr", 33620228, 327940),
                                      ("tdxsim", 33620100, 327812)):
        for kernel, kb in (("mainline", static), ("mainline-dpamt", dynamic)):
            code, out, err = run("init", big, "-s", strategy, "-k", kernel)
            check("100 000 entries, %s, %s: %d KB" % (strategy, kernel, kb),
                  code == 0 and out.splitlines()[-2:] ==
                  ["virt/tdx: %d KB allocated for PAMT" % kb, INITIALIZED] and
                  (ENABLE_DPAMT in out) == (kernel == "mainline-dpamt"), out[-300:] + err)


def main():
    if not CLI or not ROOT:
        print("TDXSIM_CLI and TDXSIM_SOURCE_ROOT must be set; skipping")
        return 77
    emr = os.path.join(ROOT, "fixtures/platforms/emr-canonical-tdx-135.yaml")
    test_usage(emr)
    test_init_linux(emr)
    test_init_success(emr)
    test_init_all()
    test_init_kernel(emr)
    test_tdmr_linux(emr)
    test_json(emr)
    test_compare(emr)
    with tempfile.TemporaryDirectory() as tmpdir:
        test_layout_out(emr, tmpdir)
        test_real_logs(tmpdir)
        test_nothing_invented(tmpdir)
        test_svg(emr, tmpdir)
        test_dpamt(emr, tmpdir)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
