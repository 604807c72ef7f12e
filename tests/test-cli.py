#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of the tdxsim command line: exit statuses, help texts,
check over the fixture corpus, and import-dmesg reproducing the EMR fixture.

Environment: TDXSIM_CLI (the binary), TDXSIM_SOURCE_ROOT (the source tree),
optional TDXSIM_CLI_WRAPPER (e.g. "valgrind --error-exitcode=99 -q") run
in front of every invocation.
"""
import glob
import json
import os
import sys
import tempfile

from clitest import CLI, ROOT, check, finish, run

EMR = os.path.join(ROOT, "fixtures/platforms/emr-canonical-tdx-135.yaml")
EMR_LOG = os.path.join(ROOT, "fixtures/logs/emr-kai-huang-v8.2.txt")


def test_top_level():
    code, out, _ = run("--version")
    check("--version", code == 0 and out.startswith("tdxsim "), out)
    code, out, _ = run("--help")
    check("--help", code == 0 and "import-dmesg" in out and "check" in out, out)
    code, _, err = run("no-such-command")
    check("unknown command exits 2", code == 2 and "unknown command" in err, err)
    code, _, _ = run()
    check("no command exits 2", code == 2)


def test_subcommand_help():
    for cmd in ("check", "show", "import-dmesg", "decode", "module-config"):
        code, out, _ = run(cmd, "--help")
        check(cmd + " --help", code == 0 and out.startswith("Usage: tdxsim " + cmd), out)
        code, _, err = run(cmd, "--no-such-option")
        check(cmd + " bad option exits 2", code == 2, err)


def test_check_corpus():
    platforms = sorted(glob.glob(os.path.join(ROOT, "fixtures/platforms/*.yaml")))
    check("corpus has platforms", len(platforms) >= 1)
    code, out, err = run("check", *platforms)
    check("check accepts every platform", code == 0, err)
    check("one summary line per platform",
          out.count(": ok: ") == len(platforms), out)
    code, out, _ = run("check", EMR)
    check("EMR summary",
          out.strip() == EMR + ": ok: 40 E820 entries (source truncated), "
          "255.38 GiB RAM in the entries given, 5 CMRs, 0 node ranges", out)

    bad = sorted(glob.glob(os.path.join(ROOT, "fixtures/bad/*.yaml")))
    for path in bad:
        first = open(path, encoding="utf-8", errors="replace").readline()
        expect = first[len("# expect: "):].rstrip("\n")
        code, out, err = run("check", path)
        want = path + (":" if expect[:1].isdigit() else ": ") + expect
        check("check refuses " + os.path.basename(path),
              code == 1 and want in err.splitlines() and ": refused: " in out,
              "exit %d, wanted %r in %r" % (code, want, err))

    code, _, err = run("check", "/nonexistent/fixture.yaml")
    check("unreadable fixture exits 2",
          code == 2 and "cannot read: No such file or directory" in err, err)
    code, _, _ = run("check", EMR, "/nonexistent/fixture.yaml")
    check("worst status wins", code == 2)
    code, _, _ = run("check")
    check("check without fixture exits 2", code == 2)


def memory_map_blocks(text):
    """The e820/cmrs/numa blocks of a fixture, as written by tdxsim."""
    keep, lines = False, []
    for line in text.splitlines():
        if not line.startswith(" "):
            keep = line.split(":")[0] in ("e820", "cmrs", "numa")
        if keep:
            lines.append(line)
    return lines


def test_import_dmesg():
    if not os.path.exists(EMR_LOG):
        check("EMR log present", False, EMR_LOG)
        return
    code, out, err = run("import-dmesg", EMR_LOG)
    check("import EMR log", code == 0, err)
    fixture = open(EMR).read()
    check("imported EMR memory map equals the checked-in fixture",
          memory_map_blocks(out) == memory_map_blocks(fixture),
          "\n".join(memory_map_blocks(out)))
    code, out2, _ = run("import-dmesg", "-", stdin=open(EMR_LOG).read())
    check("import from stdin", code == 0 and memory_map_blocks(out2) == memory_map_blocks(out))

    with tempfile.TemporaryDirectory() as tmp:
        fixture_path = os.path.join(tmp, "emr.yaml")
        code, _, err = run("import-dmesg", EMR_LOG, "-o", fixture_path,
                           "--name", "emr-reimported")
        check("import -o", code == 0 and os.path.exists(fixture_path), err)
        code, out, err = run("check", fixture_path)
        check("imported fixture passes check", code == 0 and ": ok: 36 E820 entries" in out, err)

    code, _, err = run("import-dmesg", "-", stdin="[    0.000000] Linux version 6.8.0\nnothing else\n")
    check("log without E820 lines exits 2", code == 2 and "no BIOS-e820 lines" in err, err)
    test_import_infers_cmrs()


def test_import_infers_cmrs():
    """A log without CMR lines (every upstream kernel's) gets CMRs inferred
    from its E820 RAM, marked so in the fixture and in every output."""
    log = os.path.join(ROOT, "fixtures/logs/archercity-spr.txt")
    code, out, err = run("import-dmesg", log)
    check("import without CMR lines infers them",
          code == 0 and "no CMR lines in the log: 2 CMRs inferred" in err and
          "cmrs-inferred: " in out and
          "cmrs: |\n  [0x100000, 0x77800000)\n  [0x100000000, 0x480000000)\n" in out, out + err)
    code, out, err = run("import-dmesg", log, "--no-infer-cmrs")
    check("--no-infer-cmrs keeps none", code == 0 and "cmrs" not in out and "CMR" not in err,
          out + err)
    check("import names what the log leaves to defaults",
          "note: not in the input, tdxsim's defaults: module version 1.5.06, private KeyIDs "
          "[32, 64), logical CPUs 8, CPU packages 1" in err, err)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "arch.yaml")
        run("import-dmesg", log, "-o", path)
        code, out, err = run("init", path)
        check("init on inferred CMRs initialises and says the CMRs are inferred",
              code == 0 and out.rstrip().endswith("virt/tdx: module initialized") and
              "note: the CMRs are not the machine's own" in err, out + err)


def test_regress():
    """Expectations checked anywhere: the corpus passes; a wrong errno, a
    wrong line list and a fixture with nothing to check do not."""
    corpus = sorted(glob.glob(os.path.join(ROOT, "fixtures/platforms/*.yaml")))
    code, out, err = run("regress", *corpus)
    check("regress over the corpus", code == 0 and
          out.count(": ok: 3 expectations met\n") == len(corpus), out + err)
    emr = open(EMR).read()
    with tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "emr.yaml")
        with open(bad, "w") as f:
            f.write(emr.replace("    errno: -28\n", "    errno: -5\n", 1))
        line = emr[:emr.index("  linux:\n    outcome: fail")].count("\n") + 1
        code, out, err = run("regress", bad)
        check("regress: a missed errno", code == 1 and
              "%s:%d:1: linux: errno expected -5, got -28" % (bad, line) in err and
              out == "%s: missed: 1 of 3 expectations\n" % bad, out + err)
        with open(bad, "w") as f:
            f.write(emr.replace("      virt/tdx: module initialization failed (-28)\n", "", 1))
        code, out, err = run("regress", "--quiet", bad)
        check("regress: a line list that stops early", code == 1 and out == "" and
              "linux: kernel lines differ: extra line 10: virt/tdx: module initialization "
              "failed (-28)" in err, out + err)
        with open(bad, "w") as f:
            f.write(emr[:emr.index("expect:")])
        code, _, err = run("regress", bad)
        check("regress: nothing to check is not a pass", code == 1 and
              "no expectations" in err, err)


def test_doctor():
    """canonical/tdx#135 as Kai Huang quoted it: FAIL, reserved areas
    exhausted, the 17th hole named, the CMR-patch kernel and tdxsim's
    layout as remedies; a log that initialises passes; garbage is refused."""
    log = os.path.join(ROOT, "fixtures/logs/emr-kai-huang-v8.2.txt")
    code, out, err = run("doctor", log)
    lines = out.splitlines()
    check("doctor on EMR: exit 1", code == 1, out + err)
    check("doctor on EMR: the replay reproduces the logged failure",
          "PASS replay reproduces the log: kernel mainline: initialization failed: TDMR "
          "[0x0, 0x80000000): reserved areas exhausted." in lines, out)
    check("doctor on EMR: names the 17th hole",
          any(l.startswith("FAIL reserved areas: TDMR 0 [0x0, 0x80000000) has more holes "
                           "than its 16 reserved areas: hole 17, [0x6f800000, 0x80000000)")
              for l in lines), out)
    check("doctor on EMR: the CMR-hole kernel and tdxsim's layout as remedies",
          sum(l.startswith("INFO remedy: ") for l in lines) == 2 and "CMR-hole patch" in out
          and "tdxsim's packer" in out, out)
    code, out, _ = run("doctor", "--json", log)
    doc = json.loads(out)
    check("doctor --json", code == 1 and doc["passed"] is False and
          any(c["verdict"] == "FAIL" and c["check"] == "reserved areas" for c in doc["checks"]),
          out)
    code, out, _ = run("doctor", os.path.join(ROOT, "fixtures/logs/archercity-spr.txt"))
    check("doctor on a log that initialises: exit 0, CMRs marked inferred",
          code == 0 and "PASS TDX module: initialized: 65672 KB for PAMT" in out and
          out.startswith("WARN memory map: 14 E820 entries, 2 CMRs inferred"), out)
    check("doctor on EMR (1.5 module): no Dynamic PAMT",
          any(l.startswith("INFO Dynamic PAMT: a kernel with the Dynamic PAMT series would "
                           "use static PAMT here") for l in lines) and
          doc["pamt"][1] == {"strategy": "linux-cmr", "static": {"errno": 0, "kb": 8212},
                             "dynamic": None}, out)
    # The same log from a 2.0.08 module: static and Dynamic PAMT side by side.
    dpamt_log = open(log).read() + "[    1.000000] virt/tdx: Module version: 2.0.08\n"
    code, out, _ = run("doctor", "-", stdin=dpamt_log)
    check("doctor with a 2.0.08 module: static and Dynamic PAMT per strategy",
          "INFO Dynamic PAMT: linux: fails (-28) static, fails (-28) dynamic; linux-cmr: "
          "8212 KB static, 84 KB dynamic; tdxsim: 8212 KB static, 84 KB dynamic "
          "(tdxsim init --kernel mainline-dpamt)" in out.splitlines(), out)
    code, out, _ = run("doctor", "--json", "-", stdin=dpamt_log)
    doc = json.loads(out)
    check("doctor --json with a 2.0.08 module: pamt", doc["pamt"] == [
        {"strategy": "linux", "static": {"errno": -28, "kb": None},
         "dynamic": {"errno": -28, "kb": None}},
        {"strategy": "linux-cmr", "static": {"errno": 0, "kb": 8212},
         "dynamic": {"errno": 0, "kb": 84}},
        {"strategy": "tdxsim", "static": {"errno": 0, "kb": 8212},
         "dynamic": {"errno": 0, "kb": 84}}], out)
    e820 = ("BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
            "BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n"
            "[    1.108351] smp: Brought up 2 nodes, 224 CPUs\n")
    code, out, _ = run("doctor", "-", stdin=e820 + "[    0.093153] CPU topo: Max. logical packages:   2\n")
    check("doctor: CPUs and packages read from the log pass",
          "PASS CPUs and packages: 224 logical CPUs in 2 packages, from the log" in out.splitlines(),
          out)
    code, out, _ = run("doctor", "-", stdin=e820)
    check("doctor: a log without packages warns that the replay assumes them",
          any(l.startswith("WARN CPUs and packages: the log gives no package count")
              and "assumes 1" in l and "224 logical CPUs from the log" in l
              for l in out.splitlines()) and code == 0, out)
    code, _, err = run("doctor", "-", stdin="hello\n")
    check("doctor on a log without a memory map: exit 2",
          code == 2 and "not a log tdxsim can replay" in err, err)


def test_defaults_marked():
    """Every output that prints a value the input did not give marks it as
    tdxsim's default: show's text, and the JSON of tdmr, tdmr --compare and
    doctor; a fixture that gives everything gets no mark."""
    log = os.path.join(ROOT, "fixtures/logs/xeon-d-1712tr.txt")
    tmp = tempfile.TemporaryDirectory()
    full = os.path.join(tmp.name, "full.yaml")
    with open(os.path.join(ROOT, "fixtures/platforms/synth-cpus-uneven.yaml")) as f, \
            open(full, "w") as g:
        g.write(f.read().replace("module:\n", "module:\n  version: \"1.5.06\"\n"
                                 "  private-keyids: \"[32, 64)\"\n", 1))
    code, out, err = run("show", log)
    check("show marks each default", code == 0 and
          "  logical CPUs             8  (tdxsim's default)\n" in out and
          "  version                  1.5.06  (tdxsim's default)\n" in out and
          "CMRs (2 slots, not the machine's own: 2 inferred from E820 RAM" in out, out)
    want = {"module version": "1.5.06", "private KeyIDs": "[32, 64)",
            "logical CPUs": 8, "CPU packages": 1}
    for args in (["tdmr", "--json"], ["tdmr", "--compare", "--json"], ["doctor", "--json"]):
        code, out, err = run(*args, log)
        doc = json.loads(out)
        check("%s marks the defaults and the inferred CMRs" % " ".join(args),
              doc["defaults"] == want and doc["cmrs_inferred"].startswith("2 inferred"),
              out[:400])
        if args[0] == "tdmr":
            code, out, err = run(*args, full)
            doc = json.loads(out)
            check("%s on a fixture that gives every fact marks nothing" % " ".join(args),
                  doc["defaults"] == {} and doc["cmrs_inferred"] is None, out[:400])
    code, out, err = run("show", full)
    check("show on a fixture that gives every fact marks nothing",
          code == 0 and "(tdxsim's default)" not in out and "slots given" in out, out)
    tmp.cleanup()


def test_tdmr_unplaced():
    """tdmr names what found no slot: the 17th hole of TDMR 0 on EMR
    upstream, in text, JSON and SVG (a red block); nothing when the layout
    was built."""
    row = ("      no slot   [0x6f800000, 0x80000000)                264 MiB  "
           "hole 17: found no slot (all 16 taken)")
    with tempfile.TemporaryDirectory() as tmp:
        svg = os.path.join(tmp, "t.svg")
        for strategy, failing in (("linux", True), ("linux-cmr", False)):
            code, out, err = run("tdmr", "--strategy", strategy, EMR)
            check("tdmr %s text names the unplaced hole: %s" % (strategy, failing),
                  (row in out.splitlines()) == failing and ("no slot" in out) == failing, out)
            code, out, err = run("tdmr", "--json", "--strategy", strategy, EMR)
            u = json.loads(out)["unplaced"]
            want = {"kind": "reserved area", "tdmr": 0, "ordinal": 17, "base": "0x6f800000",
                    "end": "0x80000000", "size": 0x10800000, "reason": "hole",
                    "pamt_owner": None} if failing else None
            check("tdmr %s --json unplaced" % strategy, u == want, out[-400:])
            code, out, err = run("tdmr", "--svg", svg, "--strategy", strategy, EMR)
            text = open(svg).read()
            check("tdmr %s --svg marks the unplaced hole in red: %s" % (strategy, failing),
                  ('class="svg-item unplaced"' in text) == failing and
                  ("TDMR 0: [0x6f800000, 0x80000000) 264 MiB: hole 17: found no slot"
                   in text) == failing, err)


def test_init_all_summary():
    """init --strategy all ends with one summary: each strategy's outcome
    and its expect: block met or missed (the miss on stderr, exit 1)."""
    code, out, err = run("init", "--strategy", "all", EMR)
    check("init all: summary of outcomes and expectations met",
          out.endswith("== summary ==\n"
                       "linux      failed (-28)   expectation met\n"
                       "linux-cmr  initialized    expectation met\n"
                       "tdxsim     initialized    expectation met\n") and code == 1, out[-300:])
    with tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "emr.yaml")
        with open(EMR) as f, open(bad, "w") as g:
            g.write(f.read().replace("    errno: -28\n", "    errno: -22\n", 1))
        code, out, err = run("init", "--strategy", "all", bad)
        check("init all: a missed expectation is named and summarized",
              "linux      failed (-28)   expectation missed (1)\n" in out and
              ": linux: errno expected -22, got -28" in err and code == 1, out[-300:] + err)
    code, out, err = run("init", "--strategy", "all",
                         os.path.join(ROOT, "fixtures/logs/xeon-d-1712tr.txt"))
    check("init all without expect: blocks says so",
          code == 0 and out.endswith("tdxsim     initialized    no expectation\n"), out[-300:])


def test_decode():
    code, out, _ = run("decode", "0xc000050500000000", "--leaf", "34")
    check("decode canonical/tdx #331", code == 0 and "TDX_SYS_NOT_READY" in out
          and "TDH.SYS.RD (leaf 34)" in out and "module too old" in out, out)
    code, out, _ = run("decode", "0xc000092100000122", "0xc000010000000045")
    check("decode two words", code == 0 and "IA32_TSX_CTRL" in out
          and "CPUID_CONFIG" in out, out)
    code, out, _ = run("decode", "0xc000050500000000", "--leaf", "34",
                       "--field", "0x9100000100000008")
    check("decode names the field of canonical/tdx #331",
          code == 0 and "Field 0x9100000100000008: MAX_TDMRS" in out, out)
    code, _, err = run("decode", "0xzz")
    check("decode refuses garbage", code == 2 and err, err)
    # The kernel's own line, quoted or as words: the leaf comes from it.
    line = "SEAMCALL (0x000000000000002d) failed: 0xc0000a1100000200"
    for args in ([line], line.split()):
        code, out, _ = run("decode", *args)
        check("decode the kernel's line (%d words)" % len(args),
              code == 0 and out.startswith("0xc0000a1100000200: TDX_PAMT_OUTSIDE_CMRS")
              and "TDH.SYS.CONFIG (leaf 45)" in out, out)
    # A pasted log on standard input: every failure, and the field of a
    # failed TDH.SYS.RD from its register line (canonical/tdx#83).
    log = ("[   14.036730] virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc000050500000000\n"
           "[   14.036735] virt/tdx: RCX 0x0000000000000000 RDX 0x9100000100000008 R08 0x0\n"
           "[   14.036738] virt/tdx: module initialization failed (-5)\n"
           "Mar 11 09:00:00 h kernel: virt/tdx: " + line + "\n")
    code, out, _ = run("decode", "-", stdin=log)
    check("decode - explains every failure in a log",
          code == 0 and out.count("SEAMCALL: ") == 2 and
          "Field 0x9100000100000008: MAX_TDMRS" in out and "TDX_PAMT_OUTSIDE_CMRS" in out, out)
    code, _, err = run("decode", "-", stdin="virt/tdx: module initialized\n")
    check("decode - without a failure line: exit 2",
          code == 2 and "no 'SEAMCALL (...) failed: ...' line in standard input" in err, err)
    for name in ("TDH.SYS.RD", "tdh_sys_rd"):
        code, out, _ = run("decode", "0xc000050500000000", "--leaf", name)
        check("decode --leaf " + name, code == 0 and "TDH.SYS.RD (leaf 34)" in out, out)
    code, _, err = run("decode", "0xc000050500000000", "--leaf", "TDH.SYS.FROB")
    check("decode --leaf with an unknown name: exit 2", code == 2 and "TDH.SYS.FROB" in err, err)


def test_module_config():
    layouts = sorted(glob.glob(os.path.join(ROOT, "fixtures/layouts/*.yaml")))
    check("layouts present", len(layouts) >= 2)
    for path in layouts:
        first = open(path).readline()
        code, out, err = run("module-config", EMR, path)
        name = os.path.basename(path)
        if first.startswith("# expect: "):
            # "# expect: NAME 0xSTATUS (why)"
            want = first.split()[3].lower()
            check("module-config " + name,
                  code == 1 and out.startswith("TDH.SYS.CONFIG: " + want + " "),
                  "exit %d: %s%s" % (code, out, err))
        else:
            check("module-config " + name,
                  code == 0 and out.startswith("TDH.SYS.CONFIG: 0x0000000000000000 TDX_SUCCESS"),
                  "exit %d: %s%s" % (code, out, err))
    # TDMR 0 of the accepted layout alone: still accepted, with a note on
    # the convertible memory it leaves out; the whole layout leaves none.
    full = os.path.join(ROOT, "fixtures/layouts/emr-cmr-layout.yaml")
    with open(full) as f:
        head = "".join(f.readlines()[:17])
    code, out, err = run("module-config", EMR, "-", stdin=head)
    check("module-config notes uncovered convertible memory, verdict unchanged",
          code == 0 and out.splitlines() == [
              "TDH.SYS.CONFIG: 0x0000000000000000 TDX_SUCCESS: the SEAMCALL succeeded.",
              "note: 253.72 GiB of 255.46 GiB of convertible memory (the CMRs) not covered "
              "by any TDMR: TDX would not use it"], out + err)
    code, out, err = run("module-config", EMR, full)
    check("module-config: no note when the TDMRs cover the CMRs",
          code == 0 and "note:" not in out, out)
    code, _, _ = run("module-config", EMR)
    check("module-config needs two files", code == 2)
    code, _, err = run("module-config", EMR, "/nonexistent.yaml")
    check("module-config unreadable layout", code == 2 and "cannot read" in err, err)


def main():
    for test in (test_top_level, test_subcommand_help, test_check_corpus, test_import_dmesg,
                 test_decode, test_module_config, test_regress, test_doctor,
                 test_defaults_marked, test_tdmr_unplaced,
                 test_init_all_summary):
        test()
    sys.exit(finish())


if __name__ == "__main__":
    main()
