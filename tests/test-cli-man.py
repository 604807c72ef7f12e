#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The manual pages the build generates (tools/gen-man.py): tdxsim(1)
names every command, every command has its page tdxsim-CMD(1), each page
lists every option its --help lists, and each renders without a warning
(when groff is installed).

Usage: test-cli-man.py MAN_DIR (where the build wrote the pages)
Environment: TDXSIM_CLI (the binary).
"""
import os
import shutil
import subprocess
import sys

import helptext

CLI = os.environ["TDXSIM_CLI"]
MAN_DIR = sys.argv[1]

tally = helptext.Tally()
check = tally.check


def roff(word):
    """An option or command as the page spells it (tools/gen-man.py
    escapes every '-')."""
    return word.replace("-", "\\-")


def absent(page, words):
    """The words a page does not spell out as bold tags or names."""
    return sorted(w for w in words if "\\fB" + roff(w) not in page and
                  ", " + roff(w) not in page and " " + roff(w) + "\\fR" not in page)


def render_warnings(path):
    """groff's warnings about a page (empty when groff is not installed)."""
    if shutil.which("groff") is None:
        return ""
    proc = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", path],
                          capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, LC_ALL="C.UTF-8"))
    return proc.stderr + ("" if proc.returncode == 0 else "exit %d" % proc.returncode)


def read(name):
    path = os.path.join(MAN_DIR, name + ".1")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return f.read()


def test_comparison():
    page = ".TP\n\\fB\\-o, \\-\\-output OUT\\fR\nwrite\n.TP\n\\fB\\-\\-boot N\\fR\n"
    check("comparison: every option on the page",
          not absent(page, ["-o", "--output", "--boot"]))
    check("comparison: an option missing from the page is found",
          absent(page, ["--output", "--json"]) == ["--json"])


def main():
    helptext.self_test(tally)
    test_comparison()
    cmds = helptext.commands(helptext.run(CLI, "--help"))
    check("commands found", len(cmds) >= 10, cmds)
    top = read("tdxsim")
    check("tdxsim.1 exists", top is not None)
    if top is not None:
        check("tdxsim.1 names every command", not absent(top, cmds), absent(top, cmds))
        check("tdxsim.1 names the pages", all("tdxsim\\-%s\\fR(1)" % roff(c) in top
                                              for c in cmds))
        check("tdxsim.1 renders", not render_warnings(os.path.join(MAN_DIR, "tdxsim.1")),
              render_warnings(os.path.join(MAN_DIR, "tdxsim.1")))
    for cmd in cmds:
        page = read("tdxsim-" + cmd)
        check("tdxsim-%s.1 exists" % cmd, page is not None)
        if page is None:
            continue
        listed = helptext.options(helptext.run(CLI, cmd, "--help"))
        check("tdxsim-%s.1: options found in --help" % cmd, "--help" in listed)
        check("tdxsim-%s.1 lists every option of --help" % cmd,
              not absent(page, listed), absent(page, listed))
        check("tdxsim-%s.1 has NAME, SYNOPSIS and EXIT STATUS" % cmd,
              all(".SH " + s in page for s in ("NAME", "SYNOPSIS", "EXIT STATUS")))
        path = os.path.join(MAN_DIR, "tdxsim-%s.1" % cmd)
        check("tdxsim-%s.1 renders" % cmd, not render_warnings(path), render_warnings(path))
    sys.exit(tally.report())


if __name__ == "__main__":
    main()
