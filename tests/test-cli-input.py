#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Inputs and outputs as people give them: '-' for standard input in every
command that reads a file and for standard output in every file option; a
kernel log where a platform goes, imported with a note; a file of the wrong
kind or a directory refused with one sentence saying what it is.

Environment: TDXSIM_CLI (the binary), TDXSIM_SOURCE_ROOT (the source tree),
optional TDXSIM_CLI_WRAPPER run in front of every invocation.
"""
import os
import subprocess
import sys
import tempfile

from clitest import CLI, ROOT, WRAPPER, check, finish

EMR = os.path.join(ROOT, "fixtures/platforms/emr-canonical-tdx-135.yaml")
LOG = os.path.join(ROOT, "fixtures/logs/emr-kai-huang-v8.2.txt")
XEON = os.path.join(ROOT, "fixtures/logs/xeon-d-1712tr.txt")
LAYOUT = os.path.join(ROOT, "fixtures/layouts/emr-cmr-layout.yaml")
SCENARIO = os.path.join(ROOT, "fixtures/scenarios/s1-tpm-probe.yaml")
DPAMT = os.path.join(ROOT, "fixtures/dpamt/two-ranges.yaml")
OVERLAP = os.path.join(ROOT, "fixtures/bad/e820-overlap.yaml")


def run(*args, stdin=None):
    proc = subprocess.run(WRAPPER + [CLI] + list(args), input=stdin,
                          capture_output=True, text=True, timeout=120)
    # The notes naming a platform's defaults are the output tests' concern;
    # these tests compare the messages about the inputs themselves.
    err = "".join(l for l in proc.stderr.splitlines(True)
                  if ": note: not in the input, tdxsim's defaults: " not in l)
    return proc.returncode, proc.stdout, err


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def test_stdin():
    platform = read(EMR)
    for args in (["check"], ["show"], ["init", "--strategy", "all"],
                 ["tdmr", "--strategy", "tdxsim"]):
        code, out, err = run(*args, EMR)
        code2, out2, err2 = run(*args, "-", stdin=platform)
        check("%s - reads standard input" % args[0],
              code == code2 and out2.replace("<stdin>", EMR) == out
              and err2.replace("<stdin>", EMR) == err, (code, code2, err2))
    code, out, err = run("module-config", EMR, "-", stdin=read(LAYOUT))
    check("module-config PLATFORM - (layout on standard input)",
          code == 0 and "TDX_SUCCESS" in out, out + err)
    code, out, err = run("module-config", "-", LAYOUT, stdin=platform)
    check("module-config - LAYOUT (platform on standard input)",
          code == 0 and "TDX_SUCCESS" in out, out + err)
    code, out, err = run("module-config", "-", "-", stdin=platform)
    check("module-config - - is a usage error",
          code == 2 and "not both" in err and out == "", err)
    code, out, err = run("memtype", "-", stdin=read(SCENARIO))
    check("memtype - reads standard input",
          code == 0 and "7 met, 0 failed" in out, out + err)
    code, out, err = run("check", "-", stdin=read(OVERLAP))
    check("a refused fixture on standard input is named <stdin>",
          code == 1 and err.startswith("<stdin>:8:3: E820 entry") and
          "<stdin>: refused: 1 error" in out, out + err)


def kernel_log_as_platform(log):
    with tempfile.TemporaryDirectory() as tmp:
        fixture = os.path.join(tmp, os.path.basename(log)[:-4] + ".yaml")
        code, _, err = run("import-dmesg", log, "-o", fixture)
        check("import-dmesg", code == 0, err)
        for args in (["init", "--strategy", "all"], ["tdmr"], ["show"]):
            code, out, err = run(*args, fixture)
            code2, out2, err2 = run(*args, log)
            check("%s LOG is %s on the imported fixture (%s)" % (args[0], args[0], log),
                  code == code2 and out2.replace(log, fixture) == out,
                  (code, code2, err2))
            check("%s LOG says it imported a kernel log" % args[0],
                  "%s: a kernel log, not a fixture: imported as 'tdxsim import-dmesg' does" % log
                  in err2 and "a kernel log" not in err, err2)


def test_kernel_log_as_platform():
    # The second log has no CMR lines: both ways infer the same CMRs.
    for log in (LOG, XEON):
        kernel_log_as_platform(log)
    code, out, err = run("init", XEON)
    check("a log without CMRs given to init has its CMRs inferred, and says so",
          code == 0 and "note: the CMRs are not the machine's own" in err, err)
    code, out, err = run("init", LOG)
    check("a log with CMR lines gets no inference note",
          "not the machine's own" not in err, err)
    code, out, err = run("check", XEON)
    check("check's summary says the CMRs of a log without CMR lines are inferred",
          code == 0 and ", 2 CMRs (inferred), " in out, out + err)
    code, out, err = run("check", LOG)
    check("check's summary of a log with CMR lines says nothing of inference",
          code == 0 and ", 5 CMRs, " in out and "inferred" not in out, out + err)

    code, out, err = run("check", "-", stdin=read(LOG))
    check("check accepts a log on standard input",
          code == 0 and out.startswith("<stdin>: ok: 36 E820 entries") and
          "<stdin>: a kernel log" in err, out + err)
    # A log without E820 lines is no log the importer can use: its error.
    code, out, err = run("init", "-", stdin="[    0.0] Linux version 6.8\nBIOS-e820: nothing\n")
    check("a log without a usable E820 line is refused by the importer",
          code == 2 and "a kernel log" in err, err)
    # A fixture (its e820 block holds BIOS-e820 lines) is not a log.
    code, out, err = run("show", EMR)
    check("a fixture with pasted BIOS-e820 lines is no log",
          code == 0 and "a kernel log" not in err, err)


def test_wrong_kind():
    cases = [
        (["show", LAYOUT], LAYOUT, "a TDMR layout, not a platform fixture",
         "'tdxsim module-config PLATFORM LAYOUT' takes it."),
        (["init", SCENARIO], SCENARIO, "a memtype scenario, not a platform fixture",
         "'tdxsim memtype SCENARIO' takes it."),
        (["tdmr", DPAMT], DPAMT, "a Dynamic PAMT scenario, not a platform fixture",
         "'tdxsim dpamt SCENARIO' takes it."),
        (["check", LAYOUT], LAYOUT, "a TDMR layout, not a platform fixture",
         "'tdxsim module-config PLATFORM LAYOUT' takes it."),
        (["module-config", EMR, EMR], EMR, "a platform fixture, not a TDMR layout",
         "'tdxsim check', 'show', 'init' and 'tdmr' take it."),
        (["module-config", EMR, LOG], LOG, "a kernel log, not a TDMR layout",
         "'tdxsim import-dmesg LOG' turns it into a platform fixture."),
        (["memtype", EMR], EMR, "a platform fixture, not a memtype scenario",
         "'tdxsim check', 'show', 'init' and 'tdmr' take it."),
    ]
    for args, path, what, taker in cases:
        code, out, err = run(*args)
        check("%s: %s" % (" ".join(args[:1]), what),
              code == 2 and err == "%s is %s; %s\n" % (path, what, taker),
              repr(err))
    # The right kind passes through (the failing twin of each case above).
    code, _, err = run("module-config", EMR, LAYOUT)
    check("a layout where a layout goes", code == 0 and " is a " not in err, err)


def test_directory():
    for args in (["init", ROOT + "/fixtures"], ["check", ROOT + "/fixtures"],
                 ["memtype", ROOT + "/fixtures"],
                 ["module-config", EMR, ROOT + "/fixtures"]):
        code, out, err = run(*args)
        check("%s DIRECTORY" % args[0],
              code == 2 and err == "%s/fixtures: cannot read: Is a directory\n" % ROOT,
              repr(err))


def test_stdout_files():
    code, out, err = run("show", "--svg", "-")
    check("show --svg - writes the picture alone",
          code == 0 and out.startswith("<?xml") and "Platform" not in out and
          out.rstrip().endswith("</svg>"), err)
    code, out, err = run("show", "--svg", "/dev/null")
    check("show --svg FILE still prints the tables",
          code == 0 and out.startswith("Platform"), err)
    code, out, err = run("tdmr", "--strategy", "tdxsim", "--layout-out", "-")
    check("tdmr --layout-out - writes the layout alone",
          code == 0 and out.startswith("tdxsim-layout: 1"), out + err)
    code2, out2, err2 = run("module-config", EMR, "-", stdin=out)
    check("... which module-config reads from standard input",
          code2 == 0 and "TDX_SUCCESS" in out2, out2 + err2)
    code, out, err = run("tdmr", "--svg", "-")
    check("tdmr --svg - writes the picture alone",
          out.startswith("<?xml") and "virt/tdx" not in out, err)
    code, out, err = run("tdmr", "--svg", "-", "--layout-out", "-")
    check("--svg - and --layout-out - together are a usage error",
          code == 2 and out == "" and "cannot both be '-'" in err, err)
    code, out, err = run("tdmr", "--json", "--layout-out", "-")
    check("--json with --layout-out - is a usage error",
          code == 2 and out == "" and "both write standard output" in err, err)


def main():
    test_stdin()
    test_kernel_log_as_platform()
    test_wrong_kind()
    test_directory()
    test_stdout_files()
    sys.exit(finish())


if __name__ == "__main__":
    main()
