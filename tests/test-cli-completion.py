#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Bash completion (data/bash-completion/tdxsim): what it offers in a few
real cases, and that it knows every command and option the --help texts
list, and which options take a value, so the two cannot drift apart.

The completion function runs in bash as bash runs it (COMP_WORDS,
COMP_CWORD, then COMPREPLY), from the source root so that file names are
completed against the repository's own fixtures.

Environment: TDXSIM_CLI (the binary), TDXSIM_SOURCE_ROOT (the source tree).
"""
import os
import shlex
import subprocess
import sys

import helptext

CLI = os.environ["TDXSIM_CLI"]
ROOT = os.environ["TDXSIM_SOURCE_ROOT"]
SCRIPT = os.path.join(ROOT, "data/bash-completion/tdxsim")

tally = helptext.Tally()
check = tally.check


def bash(snippet):
    proc = subprocess.run(["bash", "--norc", "--noprofile", "-c",
                           "source %s\n%s" % (shlex.quote(SCRIPT), snippet)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    if proc.stderr:
        print(proc.stderr, end="")
    return proc.returncode, proc.stdout


def complete(line):
    """COMPREPLY for the command line LINE, the cursor at its end (a
    trailing space starts a new, empty word)."""
    words = line.split(" ")
    snippet = ("COMP_WORDS=(%s); COMP_CWORD=%d; _tdxsim; "
               "printf '%%s\\n' \"${COMPREPLY[@]}\""
               % (" ".join(shlex.quote(w) for w in words), len(words) - 1))
    _, out = bash(snippet)
    return sorted(w for w in out.split("\n") if w)


def takes_arg(option):
    code, _ = bash("_tdxsim_takes_arg %s" % shlex.quote(option))
    return code == 0


def missing(known, listed):
    """The options LISTED that the completion does not KNOW."""
    return sorted(set(listed) - set(known))


def test_cases():
    cases = [
        ("tdxsim i", ["import-dmesg", "init"]),
        ("tdxsim help d", ["decode", "doctor", "dpamt"]),
        ("tdxsim -", ["--help", "--version", "-V", "-h"]),
        ("tdxsim init --strategy ", ["all", "linux", "linux-cmr", "tdxsim"]),
        ("tdxsim tdmr --strategy ", ["linux", "linux-cmr", "tdxsim"]),
        ("tdxsim tdmr --kernel u", ["ubuntu-6.8-intel"]),
        ("tdxsim init --kernel = m", ["mainline", "mainline-dpamt"]),
        ("tdxsim mmio -m ", ["arch", "linux"]),
        ("tdxsim check -", ["--help", "--json", "--quiet", "-h", "-j", "-q"]),
        ("tdxsim check fixtures/platforms/emr-can", ["fixtures/platforms/emr-canonical-tdx-135.yaml"]),
        ("tdxsim doctor fixtures/logs/emr-kai", ["fixtures/logs/emr-kai-huang-v8.2.txt"]),
        ("tdxsim memtype fixtures/scenarios/s1-t", ["fixtures/scenarios/s1-tpm-probe.yaml"]),
        # a scenario takes YAML only: the README next to them is not offered
        ("tdxsim memtype fixtures/logs/R", []),
        ("tdxsim mmio --batch fixtures/scenarios/", None),
        ("tdxsim decode 0x", []),
        ("tdxsim help init ", []),
    ]
    for line, want in cases:
        got = complete(line)
        if want is None:
            check("'%s' offers YAML files only" % line,
                  all(w.endswith((".yaml", ".yml")) or os.path.isdir(os.path.join(ROOT, w))
                      for w in got), got)
            continue
        check("'%s'" % line, got == want, "got %s, expected %s" % (got, want))


def test_drift():
    # The comparison itself, on a list that lacks an option and one that
    # does not.
    check("drift: a missing option is found",
          missing(["-q", "--quiet"], ["-q", "--quiet", "--json"]) == ["--json"])
    check("drift: nothing missing", not missing(["-q", "--quiet", "-h"], ["-q", "-h"]))
    helptext.self_test(tally)

    cmds = helptext.commands(helptext.run(CLI, "--help"))
    check("commands found", len(cmds) >= 10, cmds)
    known = complete("tdxsim ")
    check("every command is completed", not missing(known, cmds),
          missing(known, cmds))
    for cmd in cmds:
        listed = helptext.options(helptext.run(CLI, cmd, "--help"))
        check("%s: options found in --help" % cmd, "--help" in listed, listed)
        known = complete("tdxsim %s -" % cmd)
        check("%s: every option of --help is completed" % cmd,
              not missing(known, listed), missing(known, listed))
        check("%s: the completion offers no option --help lacks" % cmd,
              not missing(listed, known), missing(listed, known))
        for option, value in listed.items():
            check("%s %s: %s" % (cmd, option, "takes a value" if value else "takes none"),
                  takes_arg(option) == value)


def main():
    test_cases()
    test_drift()
    sys.exit(tally.report())


if __name__ == "__main__":
    main()
