#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compile one file of a kernel tree against tdxsim's shim; on failure, say
what the shim lacks in one line per symbol instead of a compiler wall.

Usage: cc-kernel.py TREE LOG -- COMPILER ARGS...

The compiler's whole output goes to LOG. On success nothing is printed. On
failure each missing header, function, identifier, type or structure is
named once, with where the tree uses it, and the exit status is 1.
"""
import os
import re
import subprocess
import sys

PATTERNS = [
    (re.compile(r"fatal error: ([\w./-]+\.h): No such file"), "header <%s>"),
    (re.compile(r"implicit declaration of function '(\w+)'"), "function %s()"),
    (re.compile(r"'(\w+)' undeclared"), "identifier %s"),
    (re.compile(r"unknown type name '(\w+)'"), "type %s"),
    (re.compile(r"invalid use of undefined type '(struct \w+)'"), "%s"),
    (re.compile(r"storage size of '\w+' isn't known"), None),
    (re.compile(r"'(struct \w+)' has no member named '(\w+)'"), "%s member %s"),
]
LOCATION = re.compile(r"^([^:\s]+):(\d+):(?:\d+:)? (?:fatal )?error:")


def missing_symbols(output):
    seen = {}
    for line in output.splitlines():
        where = LOCATION.match(line)
        if not where:
            continue
        for pattern, form in PATTERNS:
            m = pattern.search(line)
            if m and form:
                what = form % m.groups()
                seen.setdefault(what, "%s:%s" % (where.group(1).rsplit("/", 1)[-1],
                                                 where.group(2)))
                break
    return seen


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.exit("usage: cc-kernel.py TREE LOG -- COMPILER ARGS...")
    tree, log, cmd = sys.argv[1], sys.argv[2], sys.argv[4:]
    # Plain ASCII quotes in the messages, whatever the user's locale.
    env = dict(os.environ, LC_ALL="C")
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, env=env)
    with open(log, "w") as f:
        f.write(" ".join(cmd) + "\n" + proc.stdout)
    if proc.returncode == 0:
        return 0
    missing = missing_symbols(proc.stdout)
    source = next((a for a in cmd if a.endswith(".c")), "the kernel's code")
    if not missing:
        sys.stderr.write("tdxsim-kernel: %s from %s does not compile against the shim "
                         "(tools/kernel); the compiler said, in %s:\n%s"
                         % (source.rsplit("/", 1)[-1], tree, log, proc.stdout))
        return 1
    for what, where in missing.items():
        sys.stderr.write("tdxsim-kernel: the tree %s needs %s (%s), which the shim "
                         "(tools/kernel) does not provide\n" % (tree, what, where))
    sys.stderr.write("tdxsim-kernel: the compiler's whole output is in %s\n" % log)
    return 1


if __name__ == "__main__":
    sys.exit(main())
