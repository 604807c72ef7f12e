#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `tdxsim memtype`: exit statuses, the kernel's exact
TPM lines of the S1 regression, their absence with the fix (S2), every
committed scenario passing, a wrong expectation failing and refused
scenarios reported with their position.

Environment: TDXSIM_CLI (the binary), TDXSIM_SOURCE_ROOT (the source tree),
optional TDXSIM_CLI_WRAPPER (e.g. "valgrind --error-exitcode=99 -q") run in
front of every invocation. Prints one line per failed check and closes with
"N passed, M failed"; exits 1 when any check failed, 77 (skipped) when the
environment is missing."""
import glob
import os
import sys
import tempfile

from clitest import CLI, ROOT, check, finish, run

# Sean Christopherson's report (lore Z5P_Rj4Uc82lJBDx@google.com), without
# the timestamps: exactly these two lines, as Linux 6.12 prints them (devres
# reports through dev_err_probe(), silent for -ENOMEM).
TPM_LINES = [
    "ioremap error for 0xfed40000-0xfed45000, requested 0x2, got 0x0",
    "tpm_tis MSFT0101:00: probe with driver tpm_tis failed with error -12",
]


def scenario(name):
    return os.path.join(ROOT, "fixtures/scenarios", name)


def test_usage():
    code, out, _ = run("memtype", "--help")
    check("memtype --help", code == 0 and out.startswith("Usage: tdxsim memtype"), out)
    code, out, _ = run("--help")
    check("tdxsim --help lists memtype", "  memtype " in out, out)
    for bad in ([], ["--no-such-option"], ["/nonexistent/none.yaml"]):
        code, _, err = run("memtype", *bad)
        check("memtype %s exits 2" % " ".join(bad), code == 2 and err, "exit %d" % code)


def test_s1():
    code, out, err = run("memtype", scenario("s1-tpm-probe.yaml"))
    lines = out.splitlines()
    check("S1 exits 0 (every expectation met)", code == 0, "exit %d %s" % (code, err))
    found = [line in lines for line in TPM_LINES]
    check("S1 prints the TPM lines exactly", all(found), out)
    if all(found):
        where = [lines.index(line) for line in TPM_LINES]
        check("S1 prints them adjacent, in the kernel's order",
              where == list(range(where[0], where[0] + len(TPM_LINES))), repr(where))
    check("S1 prints no devres line", "ioremap failed for resource" not in out, out)
    check("S1 prints the final tree",
          "PAT: [mem 0x00000000fed40000-0x00000000fed41000] write-back" in lines, out)
    check("S1 closes with its count",
          lines and lines[-1] == "S1-tpm-probe: 7 expectations, 7 met, 0 failed", out)


def test_s2():
    code, out, _ = run("memtype", scenario("s2-pci-hole-fix.yaml"))
    check("S2 exits 0", code == 0, "exit %d" % code)
    check("S2 has no ioremap error", "ioremap error" not in out and "probe with driver" not in out, out)
    check("S2 maps the TPM UC-",
          "PAT: [mem 0x00000000fed40000-0x00000000fed45000] uncached-minus" in out.splitlines(), out)


def test_all_scenarios():
    files = sorted(glob.glob(os.path.join(ROOT, "fixtures/scenarios/*.yaml")))
    code, out, err = run("memtype", *files)
    counts = [line for line in out.splitlines() if line.endswith(" failed")
              and " expectations, " in line]
    check("all scenarios exit 0", code == 0, "exit %d %s" % (code, err))
    check("one count line per scenario", len(counts) == len(files) >= 11, repr(counts))
    check("no scenario misses", all(line.endswith(" 0 failed") for line in counts), repr(counts))
    code, out, _ = run("memtype", "--quiet", *files)
    check("--quiet prints only the count lines",
          code == 0 and len(out.splitlines()) == len(files), out)


def test_failures(tmpdir):
    with open(scenario("s1-tpm-probe.yaml")) as f:
        text = f.read()
    wrong = os.path.join(tmpdir, "wrong.yaml")
    with open(wrong, "w") as f:
        f.write(text.replace("expect: fail", "expect: mapped"))
    line = text.splitlines().index("    expect: fail") + 1
    code, out, _ = run("memtype", wrong)
    check("a wrong expectation exits 1", code == 1, "exit %d" % code)
    check("the miss names its position",
          "  %s:%d:13: expect: expected mapped, got fail" % (wrong, line) in out.splitlines(), out)
    check("the count says one failed",
          out.splitlines()[-1] == "S1-tpm-probe: 7 expectations, 6 met, 1 failed", out)
    code, out, _ = run("memtype", "--quiet", wrong)
    check("--quiet keeps the miss", code == 1 and "expected mapped, got fail" in out, out)
    bad = os.path.join(ROOT, "fixtures/bad-scenarios/unknown-step.yaml")
    code, _, err = run("memtype", bad)
    check("a refused scenario exits 2", code == 2, "exit %d" % code)
    check("the refusal is file:line:col",
          err.startswith(bad + ":8:5: unknown step 'ioremap_cache'"), err)
    code, _, _ = run("memtype", scenario("s2-pci-hole-fix.yaml"), wrong, bad)
    check("good, failing and refused together exit 2", code == 2, "exit %d" % code)
    code, _, _ = run("memtype", scenario("s2-pci-hole-fix.yaml"), wrong)
    check("good and failing together exit 1", code == 1, "exit %d" % code)


def main():
    if not CLI or not ROOT:
        print("TDXSIM_CLI and TDXSIM_SOURCE_ROOT must be set; skipping")
        return 77
    test_usage()
    test_s1()
    test_s2()
    test_all_scenarios()
    with tempfile.TemporaryDirectory() as tmpdir:
        test_failures(tmpdir)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
