#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The library's symbol hygiene, checked on the built artefacts:

1. the shared library exports exactly the symbols listed in lib/tdxsim.sym;
2. every exported symbol starts with tdxsim_ and is declared in a public
   header under include/tdxsim/, and every function declared there is
   exported (nothing promised that is not delivered);
3. the static archive defines no global symbol without the tdxsim_ prefix,
   so linking libtdxsim.a cannot clash with a program's own names.
"""
import re
import subprocess
import sys


def nm(nm_bin, args, path):
    out = subprocess.run([nm_bin] + args + [path], check=True,
                         capture_output=True, text=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "TDBRVWGi":
            syms.add(parts[2].split("@")[0])
    return syms


def version_script(path):
    text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
    body = text.split("global:")[1].split("local:")[0]
    return {s.strip() for s in body.split(";") if s.strip()}


def header_functions(include_dir):
    import glob
    names = set()
    for header in glob.glob(include_dir + "/*.h"):
        text = re.sub(r"/\*.*?\*/", "", open(header).read(), flags=re.S)
        names |= set(re.findall(r"\b(tdxsim_[a-z0-9_]+)\s*\(", text))
    return names


def main():
    nm_bin, shared, static, symfile, include_dir = sys.argv[1:6]
    failures = []

    exported = nm(nm_bin, ["-D", "--defined-only"], shared)
    listed = version_script(symfile)
    declared = header_functions(include_dir)

    if exported != listed:
        failures.append("exported but not in tdxsim.sym: %s" % sorted(exported - listed))
        failures.append("in tdxsim.sym but not exported: %s" % sorted(listed - exported))
    bad_prefix = sorted(s for s in exported if not s.startswith("tdxsim_"))
    if bad_prefix:
        failures.append("exported without the tdxsim_ prefix: %s" % bad_prefix)
    if exported - declared:
        failures.append("exported but declared in no public header: %s" % sorted(exported - declared))
    if declared - exported:
        failures.append("declared in a public header but not exported: %s" % sorted(declared - exported))

    static_globals = nm(nm_bin, ["-g", "--defined-only"], static)
    leaks = sorted(s for s in static_globals if not s.startswith("tdxsim_"))
    if leaks:
        failures.append("libtdxsim.a defines globals without the tdxsim_ prefix: %s" % leaks)

    checks = 6
    for f in failures:
        print("FAIL: " + f)
    print("%d exported symbols, %d static globals checked" % (len(exported), len(static_globals)))
    print("%d passed, %d failed" % (checks - len(failures), len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
