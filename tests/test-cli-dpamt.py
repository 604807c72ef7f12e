#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `tdxsim dpamt`: the scenario in fixtures/dpamt/ gives
exactly the recorded lines (PAMT.ADD on a range's first use, PAMT.REMOVE on
its last release, the kernel's -ENOMEM when the pool is empty, PAMT memory
over time); refused scenarios and usage errors exit 2 with the reason.

Environment: TDXSIM_CLI (the binary), TDXSIM_SOURCE_ROOT (the source tree),
optional TDXSIM_CLI_WRAPPER run in front of every invocation. Exits 1 when
any check failed, 77 (skipped) when the environment is missing."""
import os
import sys
import tempfile

from clitest import CLI, ROOT, check, finish, run


def test_usage():
    code, out, _ = run("dpamt", "--help")
    check("--help", code == 0 and out.startswith("Usage: tdxsim dpamt"), out)
    code, _, err = run("dpamt", "--no-such-option")
    check("bad option exits 2", code == 2, err)
    code, _, err = run("dpamt")
    check("no scenario exits 2", code == 2, err)


def test_recorded():
    scenario = os.path.join(ROOT, "fixtures/dpamt/two-ranges.yaml")
    with open(os.path.join(ROOT, "fixtures/dpamt/two-ranges.out")) as f:
        want = f.read()
    code, out, err = run("dpamt", scenario)
    check("two-ranges exit 0", code == 0, err)
    check("two-ranges lines", out == want, "\n--- got\n" + out + "--- want\n" + want)


def refused(tmpdir, name, text, expect_in_err):
    path = os.path.join(tmpdir, name + ".yaml")
    with open(path, "w") as f:
        f.write(text)
    code, _, err = run("dpamt", path)
    check(name + " exits 2", code == 2, err)
    check(name + " says why", expect_in_err in err, err)


def test_refused(tmpdir):
    refused(tmpdir, "module-1-5", 'module: "1.5.06"\nsteps:\n  - use: 0x0\n',
            "module-1-5.yaml:1:10: 'module' must be a 2.0 release")
    refused(tmpdir, "no-steps", "memory-gib: 2\n", "'steps'")
    refused(tmpdir, "two-keys", "steps:\n  - {use: 0x0, release: 0x0}\n",
            "a step is one of")
    refused(tmpdir, "release-unused", "steps:\n  - release: 0x40000000\n",
            "release-unused.yaml:2: release of 0x40000000 whose 2 MiB range is not in use")


def main():
    if not CLI or not ROOT:
        print("TDXSIM_CLI and TDXSIM_SOURCE_ROOT must be set; skipping")
        return 77
    test_usage()
    test_recorded()
    with tempfile.TemporaryDirectory() as tmpdir:
        test_refused(tmpdir)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
