#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Messages a person reads first: diagnostics in the order of the text, and
"did you mean" for a misspelt key, profile, strategy or kernel generation.

Environment: TDXSIM_CLI (the binary), TDXSIM_SOURCE_ROOT (the source tree),
optional TDXSIM_CLI_WRAPPER run in front of every invocation.
"""
import os
import sys

from clitest import CLI, ROOT, check, finish, run

SCENARIO = os.path.join(ROOT, "fixtures/scenarios/s1-tpm-probe.yaml")

# The CMR list comes before the E820 table: the validator checks the table
# first, so its message was found first.
OUT_OF_ORDER = """tdxsim-fixture: 1
name: out-of-order
cmrs: |
  CMR[0]: [0x100001, 0x200000)
e820: |
  BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable
  BIOS-e820: [mem 0x0000000000080000-0x00000000000fffff] reserved
  BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable
"""


def test_sorted():
    code, _, err = run("check", "-", stdin=OUT_OF_ORDER)
    lines = err.splitlines()
    check("two problems, refused", code == 1 and len(lines) == 2, err)
    check("diagnostics sorted by position",
          lines[0].startswith("<stdin>:4:3: CMR") and
          lines[1].startswith("<stdin>:7:14: E820 entry"), err)
    # In order already: unchanged.
    in_order = OUT_OF_ORDER.replace("0x100001", "0x100000")
    code, _, err = run("check", "-", stdin=in_order)
    check("one problem left", code == 1 and err.startswith("<stdin>:7:14: E820"), err)


def test_did_you_mean():
    cases = [
        (["init", "--strategy", "linx"], "did you mean 'linux'?"),
        (["init", "--strategy", "al"], "did you mean 'all'?"),
        (["tdmr", "--strategy", "tdxism"], "did you mean 'tdxsim'?"),
        (["init", "--kernel", "mainlin"], "did you mean 'mainline'?"),
        (["tdmr", "--kernel", "ubuntu-6.8-intl"], "did you mean 'ubuntu-6.8-intel'?"),
    ]
    for args, want in cases:
        code, _, err = run(*args)
        check(" ".join(args), code == 2 and want in err.splitlines()[0], err)
    for args in (["init", "--strategy", "zzz"], ["init", "--kernel", "2.6"]):
        code, _, err = run(*args)
        check(" ".join(args) + ": nothing close, no suggestion",
              code == 2 and "did you mean" not in err, err)
    with open(SCENARIO, encoding="utf-8") as f:
        scenario = f.read()
    code, _, err = run("memtype", "-", stdin=scenario.replace("profile: tdx", "profile: tdz"))
    check("memtype: misspelt profile", code == 2 and "unknown profile 'tdz'" in err
          and "did you mean 'tdx'?" in err, err)
    code, _, err = run("memtype", "-", stdin=scenario.replace("\nname:", "\nnmae:"))
    check("memtype: misspelt key", code == 2 and "unknown key 'nmae'" in err
          and err.rstrip().endswith("did you mean 'name'?"), err)
    code, _, err = run("check", "-", stdin=OUT_OF_ORDER.replace("cmrs:", "cmr:"))
    check("check: misspelt key", code == 1 and "did you mean 'cmrs'?" in err, err)
    code, _, err = run("check", "-", stdin=OUT_OF_ORDER.replace("cmrs:", "xyzzy:"))
    check("check: unknown key, nothing close",
          code == 1 and "unknown key 'xyzzy'" in err and "did you mean" not in err, err)


def main():
    test_sorted()
    test_did_you_mean()
    sys.exit(finish())


if __name__ == "__main__":
    main()
