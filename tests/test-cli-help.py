#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The first minutes with tdxsim: 'tdxsim help CMD', 'tdxsim version', and
every command's --help agreeing with docs/cli.md on its exit statuses.

Environment: TDXSIM_CLI (the binary), TDXSIM_SOURCE_ROOT (the source tree),
optional TDXSIM_CLI_WRAPPER run in front of every invocation.
"""
import os
import re
import sys

from clitest import CLI, ROOT, check, finish, run


def commands():
    """The command names, as 'tdxsim --help' lists them."""
    code, out, _ = run("--help")
    assert code == 0, out
    body = out.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in body.splitlines() if line.strip()]


def statuses(text):
    """The exit statuses a sentence about exit statuses names: the digits
    0, 1 and 2 standing alone, outside parentheses and code spans."""
    text = re.sub(r"\([^()]*\)", "", text)
    text = re.sub(r"`[^`]*`", "", text)
    return {int(d) for d in re.findall(r"(?<![\w.])([0-2])(?![\w.])", text)}


def help_statuses(text):
    """Statuses of the 'Exit status:' paragraph of a --help text."""
    m = re.search(r"Exit status:(.*?)(?:\n\s*\n|\Z)", text, re.S)
    return statuses(m.group(1)) if m else set()


def doc_section(doc, cmd):
    for section in doc.split("\n## ")[1:]:
        title = section.split("\n", 1)[0]
        if re.search(r"`tdxsim %s[ `]" % re.escape(cmd), title):
            return section
    return None


def doc_statuses(section):
    """Statuses named where a paragraph of a docs/cli.md section says what
    the command exits with ('Exit 0 when ...', 'the exit status is 2')."""
    found = set()
    for para in section.split("\n\n"):
        for m in re.finditer(r"(?:^|(?<=\. ))Exit\b(.*)|exit status is (\d)",
                             para, re.S):
            found |= statuses(m.group(1) if m.group(1) is not None
                              else m.group(2))
    return found


def test_parsers():
    # Passing and failing cases of the comparison itself.
    help_ok = "Usage: x\n\nExit status: 0 done, 1 refused (any of them),\n2 usage error.\n"
    help_short = "Usage: x\n\nExit status: 0 done, 2 usage error.\n"
    section = ("`tdxsim x`\n\nText with 16 MiB and 0x10.\n\nExit 0 when done "
               "(errno is 0), 1 when refused,\n2 for usage errors.\n")
    check("parser: help statuses", help_statuses(help_ok) == {0, 1, 2},
          help_statuses(help_ok))
    check("parser: docs statuses", doc_statuses(section) == {0, 1, 2},
          doc_statuses(section))
    check("parser: a help text missing a status disagrees",
          help_statuses(help_short) != doc_statuses(section))
    check("parser: parentheses and numbers in words are not statuses",
          statuses("(1 here) 16 MiB 0x2 `1` 2.5") == set())
    check("parser: a status whose reason spans lines in parentheses",
          help_statuses("Exit status: 0 done,\n1 refused (one\nreason, another), 2 usage.\n")
          == {0, 1, 2})
    check("parser: 'the exit status is 2'",
          doc_statuses("nothing is written and the exit status is 2.") == {2})


def test_help_command(cmds):
    check("commands listed", len(cmds) >= 10, cmds)
    for cmd in cmds:
        code, out, err = run("help", cmd)
        code2, out2, _ = run(cmd, "--help")
        check("help %s is %s --help" % (cmd, cmd),
              code == 0 and code2 == 0 and out == out2
              and out.startswith("Usage: tdxsim " + cmd), err)
    code, out, _ = run("help")
    code2, out2, _ = run("--help")
    check("help alone lists the commands", code == 0 and out == out2
          and "Commands:" in out, out)
    code, out, err = run("help", "no-such-command")
    check("help of an unknown command exits 2",
          code == 2 and out == "" and "unknown command 'no-such-command'" in err,
          err)
    code, _, err = run("help", "check", "show")
    check("help takes one command", code == 2 and "one command" in err, err)


def test_version():
    outs = []
    for spelling in ("version", "--version", "-V"):
        code, out, err = run(spelling)
        check(spelling, code == 0 and re.fullmatch(
            r"tdxsim \d+\.\d+\.\d+ \(libtdxsim \d+\.\d+\.\d+\)\n", out), out + err)
        outs.append(out)
    check("version spellings agree", len(set(outs)) == 1, outs)
    code, out, err = run("version", "extra")
    check("version takes no arguments", code == 2 and out == "", err)


def test_exit_statuses(cmds):
    with open(os.path.join(ROOT, "docs/cli.md"), encoding="utf-8") as f:
        doc = f.read()
    # The top level: the table of statuses and the main --help line.
    _, out, _ = run("--help")
    table = set(int(s) for s in re.findall(r"^\| ([0-2]) \|", doc, re.M))
    check("top level: --help and the table agree",
          help_statuses(out) == table == {0, 1, 2}, (help_statuses(out), table))
    for cmd in cmds:
        _, out, _ = run(cmd, "--help")
        section = doc_section(doc, cmd)
        if section is None:
            check("%s has a section in docs/cli.md" % cmd, False)
            continue
        h, d = help_statuses(out), doc_statuses(section)
        check("%s: --help names its exit statuses" % cmd, h, out)
        check("%s: docs/cli.md names its exit statuses" % cmd, d)
        check("%s: --help and docs/cli.md agree on exit statuses" % cmd,
              h == d, "help %s, docs %s" % (sorted(h), sorted(d)))


def main():
    if not CLI or not ROOT:
        print("TDXSIM_CLI and TDXSIM_SOURCE_ROOT must be set; skipping")
        sys.exit(77)
    test_parsers()
    cmds = commands()
    test_help_command(cmds)
    test_version()
    test_exit_statuses(cmds)
    sys.exit(finish())


if __name__ == "__main__":
    main()
