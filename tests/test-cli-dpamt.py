#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `tdxsim dpamt`: the scenarios in fixtures/dpamt/ give
exactly the recorded lines (PAMT.ADD on a range's first use, PAMT.REMOVE on
its last release, the kernel's -ENOMEM when the pool is empty, PAMT memory
over time; raw PAMT.ADD/REMOVE steps that together show every status word
of both leaves); refused scenarios and usage errors exit 2 with the reason.

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


# Every status word the module model gives TDH.PHYMEM.PAMT.ADD and
# PAMT.REMOVE (lib/module/dpamt.c; docs/module.md, "Dynamic PAMT"), each of
# which a recorded scenario must show.
STATUSES = {
    "TDH.PHYMEM.PAMT.ADD": [
        "0x0000000000000000", "0xc000010000000000", "0xc000010000000001",
        "0xc000010000000002", "0xc000010000000008", "0xc000010100000001",
        "0xc000010100000002", "0xc000010100000008", "0xc000030400000001",
        "0xc000030300000002", "0xc000030300000008"],
    "TDH.PHYMEM.PAMT.REMOVE": [
        "0x0000000000000000", "0xc000010000000000", "0xc000010000000001",
        "0xc000010100000001", "0xc000030500000001", "0xc000030600000000",
        "0xc000030600000001"],
}


def test_recorded():
    """Each scenario of fixtures/dpamt gives exactly its .out; together
    they show every status word of both leaves."""
    seen = ""
    # no-dpamt-module: a module without Dynamic PAMT cannot be brought up
    # with it, exit 1.
    for name, status in (("two-ranges", 0), ("statuses", 0), ("static-pamt", 0),
                         ("no-dpamt-module", 1)):
        scenario = os.path.join(ROOT, "fixtures/dpamt/%s.yaml" % name)
        with open(os.path.join(ROOT, "fixtures/dpamt/%s.out" % name)) as f:
            want = f.read()
        code, out, err = run("dpamt", scenario)
        check("%s exit %d" % (name, status), code == status, err)
        check(name + " lines", out == want, "\n--- got\n" + out + "--- want\n" + want)
        seen += out
    for leaf, statuses in STATUSES.items():
        for status in statuses:
            check("a scenario shows %s %s" % (leaf, status), "%s %s " % (leaf, status) in seen)


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
    refused(tmpdir, "bad-add", 'steps:\n  - pamt-add: "0x40000001 0x8000000"\n',
            "bad-add.yaml:2:16: 'pamt-add' is \"RCX RDX R8\"")
    refused(tmpdir, "static-2g", "memory-gib: 2\ndynamic-pamt: false\nsteps:\n  - use: 0x0\n",
            "'dynamic-pamt: false' takes 'memory-gib: 1'")
    refused(tmpdir, "dynamic-word", "dynamic-pamt: no\nsteps:\n  - use: 0x0\n",
            "'dynamic-pamt' must be true or false")


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
