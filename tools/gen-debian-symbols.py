#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""debian/libtdxsim0.symbols from lib/tdxsim.sym, the one list of exports.

dpkg-gensymbols compares the package's library against this file, so a
symbol dropped or added without a new version fails the package build; the
file itself is generated here, never edited by hand, so it cannot drift
from the version script (--check, run in the build suite, says when it
has).

Usage: gen-debian-symbols.py [--check] SOURCE_ROOT
"""
import re
import sys

SONAME = "libtdxsim.so.0"
PACKAGE = "libtdxsim0"
# The release each version node first shipped in.
NODE_RELEASE = {"TDXSIM_0.1": "0.1.0"}


def nodes(path):
    """[(node, [symbols])] of the version script, in its order."""
    text = re.sub(r"/\*.*?\*/", "", open(path, encoding="utf-8").read(), flags=re.S)
    found = []
    for m in re.finditer(r"(TDXSIM_[0-9.]+)\s*\{(.*?)\}", text, flags=re.S):
        body = m.group(2).split("global:")[1].split("local:")[0]
        found.append((m.group(1), sorted(s.strip() for s in body.split(";") if s.strip())))
    return found


def render(root):
    lines = ["%s %s #MINVER#" % (SONAME, PACKAGE),
             "* Build-Depends-Package: libtdxsim-dev"]
    for node, symbols in nodes(root + "/lib/tdxsim.sym"):
        release = NODE_RELEASE[node]
        lines.append(" %s@%s %s" % (node, node, release))
        lines += [" %s@%s %s" % (s, node, release) for s in symbols]
    return "\n".join(lines) + "\n"


def main():
    args = sys.argv[1:]
    check = args[:1] == ["--check"]
    root = args[-1] if args and not args[-1].startswith("--") else "."
    want = render(root)
    path = root + "/debian/libtdxsim0.symbols"
    if check:
        have = open(path, encoding="utf-8").read()
        if have != want:
            print("FAIL: debian/libtdxsim0.symbols differs from lib/tdxsim.sym; "
                  "run tools/gen-debian-symbols.py SOURCE_ROOT")
            return 1
        print("debian/libtdxsim0.symbols lists the %d exports of lib/tdxsim.sym"
              % (want.count("\n") - 3))
        return 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(want)
    return 0


if __name__ == "__main__":
    sys.exit(main())
