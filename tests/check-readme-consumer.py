#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""README.md's "Install and use from C", built as shown:

1. its C program, compiled with the pkg-config line of the README against
   the build tree's uninstalled tdxsim.pc, whose Cflags must name public
   headers only (no config.h, no lib/ folder with private headers);
2. the same program in a project whose meson.build is the README's, with
   this source tree as subprojects/tdxsim: it builds, runs, and the
   subproject defines no test, benchmark or fuzz replay.

Usage: check-readme-consumer.py MESON SOURCE_ROOT BUILD_DIR FIXTURE SANITIZE
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

EXPECT = "emr-canonical-tdx-135: 40 E820 entries, 5 CMRs, PAMT_4K of 2 GiB: 8192 KiB"


def section(readme):
    m = re.search(r"^## Install and use from C\n(.*?)(?=^## )", readme, re.S | re.M)
    if not m:
        sys.exit("README.md has no '## Install and use from C' section")
    return m.group(1)


def block(text, lang):
    blocks = re.findall(r"^```%s\n(.*?)^```" % lang, text, re.S | re.M)
    if len(blocks) != 1:
        sys.exit("expected one ```%s block in the section, found %d" % (lang, len(blocks)))
    return blocks[0]


def private_cflags(cflags, srcdir, builddir):
    """The -I flags of cflags into this tree that reach anything but the
    public headers (dependencies' own folders are theirs)."""
    bad = []
    tree = [os.path.realpath(srcdir) + os.sep, os.path.realpath(builddir) + os.sep]
    for flag in shlex.split(cflags):
        if not flag.startswith("-I"):
            continue
        path = os.path.realpath(flag[2:])
        if not any((path + os.sep).startswith(t) for t in tree):
            continue
        public = path in (os.path.realpath(os.path.join(srcdir, "include")),
                          os.path.realpath(os.path.join(builddir, "include")))
        headers = [n for _, _, names in os.walk(path) for n in names
                   if n.endswith(".h")] if os.path.isdir(path) else []
        if not public and headers:
            bad.append(flag)
    return bad


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    meson, srcdir, builddir, fixture, sanitize = sys.argv[1:]
    if sanitize != "none":
        print("skipped: sanitizer build (the programs are built without sanitizers)")
        sys.exit(77)
    with open(os.path.join(srcdir, "README.md"), encoding="utf-8") as f:
        text = section(f.read())
    program, meson_build = block(text, "c"), block(text, "meson")
    failed = 0

    # The rule on -I flags, on a passing and a failing case.
    if private_cflags("-I%s/include" % srcdir, srcdir, builddir):
        sys.exit("self-test: the public include folder was called private")
    if private_cflags("-I/usr/include", srcdir, builddir):
        sys.exit("self-test: a folder outside the tree was called private")
    if not private_cflags("-I%s/lib/util -I%s" % (srcdir, srcdir), srcdir, builddir):
        sys.exit("self-test: lib/util was not called private")

    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "harness.c"), "w") as f:
            f.write(program)
        # 1. pkg-config, the build tree's uninstalled tdxsim.pc.
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(builddir, "meson-uninstalled"))
        cflags = run(["pkg-config", "--cflags", "tdxsim"], env=env)
        libs = run(["pkg-config", "--libs", "tdxsim"], env=env)
        if cflags.returncode or libs.returncode:
            sys.exit("pkg-config: " + cflags.stderr + libs.stderr)
        bad = private_cflags(cflags.stdout, srcdir, builddir)
        if bad:
            print("FAIL: the uninstalled tdxsim.pc exposes private headers: %s" % bad)
            failed += 1
        cc = shlex.split(os.environ.get("CC", "cc"))
        exe = os.path.join(tmp, "harness")
        r = run(cc + ["-std=c11", "-Wall", "-Wextra", "-Werror",
                      os.path.join(tmp, "harness.c")] + shlex.split(cflags.stdout) +
                ["-o", exe] + shlex.split(libs.stdout))
        if r.returncode:
            sys.exit("README program does not build with pkg-config:\n" + r.stderr)
        libdir = re.findall(r"-L(\S+)", libs.stdout)
        r = run([exe, fixture], env=dict(os.environ, LD_LIBRARY_PATH=":".join(libdir)))
        if r.returncode or r.stdout.strip() != EXPECT:
            print("FAIL: pkg-config build printed %r %r" % (r.stdout, r.stderr))
            failed += 1
        r = run([exe, os.path.join(srcdir, "fixtures/bad/e820-overlap.yaml")],
                env=dict(os.environ, LD_LIBRARY_PATH=":".join(libdir)))
        if r.returncode != 1 or "overlaps entry" not in r.stderr:
            print("FAIL: a refused fixture: %r %r" % (r.stdout, r.stderr))
            failed += 1

        # 2. The subproject, with the README's meson.build.
        proj = os.path.join(tmp, "proj")
        os.makedirs(os.path.join(proj, "subprojects"))
        os.symlink(os.path.abspath(srcdir), os.path.join(proj, "subprojects", "tdxsim"))
        with open(os.path.join(proj, "meson.build"), "w") as f:
            f.write(meson_build)
        os.rename(os.path.join(tmp, "harness.c"), os.path.join(proj, "harness.c"))
        b = os.path.join(proj, "build")
        # PKG_CONFIG_PATH cleared: the fallback, not an installed tdxsim.
        env = dict(os.environ, PKG_CONFIG_PATH="", PKG_CONFIG_LIBDIR="/nonexistent")
        env["PKG_CONFIG_LIBDIR"] = ":".join(
            p for p in run(["pkg-config", "--variable", "pc_path", "pkg-config"]).stdout.strip().split(":"))
        r = run([meson, "setup", b, proj], env=env)
        if r.returncode:
            sys.exit("meson setup of the subproject project failed:\n" + r.stdout[-3000:] + r.stderr)
        if "Dependency tdxsim found: YES" in r.stdout and "(overridden)" not in r.stdout:
            print("FAIL: dependency('tdxsim') was not the subproject:\n" + r.stdout[-2000:])
            failed += 1
        r = run(["ninja", "-C", b, "harness"], env=env)
        if r.returncode:
            sys.exit("the subproject project does not build:\n" + r.stdout[-3000:])
        r = run([os.path.join(b, "harness"), fixture])
        if r.returncode or r.stdout.strip() != EXPECT:
            print("FAIL: subproject build printed %r %r" % (r.stdout, r.stderr))
            failed += 1
        r = run([meson, "test", "-C", b, "--list"], env=env)
        # Listed tests read "project:suite / name".
        listed = [l for l in r.stdout.splitlines() if " / " in l]
        r2 = run([meson, "test", "-C", b, "--benchmark", "--list"], env=env)
        listed += [l for l in r2.stdout.splitlines() if " / " in l]
        if listed:
            print("FAIL: the subproject defines tests or benchmarks: %s" % listed[:5])
            failed += 1

    print("%d failed" % failed)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
