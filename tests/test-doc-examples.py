#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every example of README.md and docs/*.md, run as shown.

An example is a line `$ COMMAND` in an indented block (a trailing `\\`
continues the command on the next line); the lines after it, up to the
next `$ ` line or the end of the block, are what it prints.
Each file's examples run in order, with `sh -c`, in a scratch directory of
their own that links the tree's fixtures/, tools/, tests/ and docs/, so
that files one example writes (the tutorial's my-emr.yaml) are there for
the next, and nothing is written to the tree. `tdxsim` is the built binary,
on PATH and as `build/sim/tdxsim` (the README's spelling).

What is compared:
- the shown lines against standard output, trailing spaces ignored; a
  shown line may also be a line of standard error (the notes tdxsim writes
  there), taken in the order it was written;
- a line that is `...` (however indented) stands for any number of lines;
  `...` inside a line for any text (`{"regs": {...}, ...}`);
- blank lines inside the block are blank lines of the output (the block
  goes on while the next line that is not blank is indented as it is);
- an example that shows no output must still run (exit 0 or 1): a command
  whose output the prose describes rather than shows (`tdxsim show --svg
  FILE`) is run all the same.

The examples in SKIP need what CI does not give a test: the machine's own
kernel log, the kernel-in-the-loop build, a second build tree.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import CLI, ROOT, WRAPPER, check, finish  # noqa: E402

DOCS = ["README.md"] + sorted("docs/" + f for f in os.listdir(os.path.join(ROOT, "docs"))
                              if f.endswith(".md"))

# Examples that are not run, and why: each key is the start of the command
# as the doc writes it.
SKIP = {
    # The machine's own log: there is none in a test.
    "dmesg | ": "reads this machine's kernel log",
    # The kernel differential is the `kernel` suite's (tests/kernel/).
    "python3 tests/kernel/mmio-diff.py ": "the kernel suite runs it",
    "build-mine/tools/kernel/tdxsim-kernel ": "needs a patched kernel tree",
    # The regression suite of a build tree, which this test runs inside.
    "meson test ": "runs the test suite itself",
}


def skipped(command):
    """The SKIP key command starts with, or None."""
    return next((key for key in SKIP if command.startswith(key)), None)


LINKED = ["fixtures", "tools", "tests", "docs", "data"]


def examples(path):
    """[(line number, command, [shown lines])] of one document."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        lines = f.read().split("\n")
    found = []
    i = 0
    while i < len(lines):
        m = re.match(r"^( {4,})\$ (.*)$", lines[i])
        if not m:
            i += 1
            continue
        indent, command, number = m.group(1), m.group(2), i + 1
        while command.endswith("\\") and i + 1 < len(lines):
            i += 1
            command = command[:-1] + " " + lines[i].strip()
        shown = []
        i += 1
        while i < len(lines) and not re.match(r"^ *\$ ", lines[i]):
            if lines[i].strip():
                if not lines[i].startswith(indent):
                    break
                shown.append(lines[i][len(indent):].rstrip())
            elif block_goes_on(lines, i, indent):
                shown.append("")
            else:
                break
            i += 1
        found.append((number, command, shown))
    return found


def block_goes_on(lines, i, indent):
    """Whether the blank line i is inside the block: the next line that is
    not blank is indented as the block is (markdown's rule)."""
    for line in lines[i + 1:]:
        if line.strip():
            return line.startswith(indent) and not re.match(r"^ *\$ ", line)
    return False


def line_matches(shown, actual):
    """A shown line against a printed one: equal, or with each `...` in
    it standing for any text."""
    if "..." not in shown:
        return shown == actual
    pattern = ".*".join(re.escape(part) for part in shown.split("..."))
    return re.fullmatch(pattern, actual) is not None


def matches(shown, out, err):
    """Whether the shown lines are the output: out in full, err lines
    optionally, `...` as any run of lines."""
    def walk(s, o, e):
        if s == len(shown):
            return o == len(out)
        if shown[s].strip() == "...":
            return any(walk(s + 1, k, e) for k in range(o, len(out) + 1))
        for k in range(e, len(err)):
            if line_matches(shown[s], err[k]) and walk(s + 1, o, k + 1):
                return True
        return o < len(out) and line_matches(shown[s], out[o]) and walk(s + 1, o + 1, e)
    return walk(0, 0, 0)


def scratch_dir(tmp):
    """A directory that looks like a checkout with a build: the tree's
    folders linked, build/sim/tdxsim and bin/tdxsim the binary."""
    os.makedirs(os.path.join(tmp, "build/sim"))
    os.makedirs(os.path.join(tmp, "bin"))
    for name in LINKED:
        os.symlink(os.path.join(ROOT, name), os.path.join(tmp, name))
    target = CLI
    if WRAPPER:
        # A wrapper (valgrind) goes in front through a small script.
        target = os.path.join(tmp, "bin/.tdxsim-wrapped")
        with open(target, "w", encoding="utf-8") as f:
            f.write("#!/bin/sh\nexec %s %s \"$@\"\n" % (" ".join(WRAPPER), CLI))
        os.chmod(target, 0o755)
    os.symlink(target, os.path.join(tmp, "build/sim/tdxsim"))
    os.symlink(target, os.path.join(tmp, "bin/tdxsim"))


def run_example(tmp, command):
    env = dict(os.environ)
    env["PATH"] = os.path.join(tmp, "bin") + os.pathsep + env.get("PATH", "")
    proc = subprocess.run(["sh", "-c", command], cwd=tmp, env=env, capture_output=True,
                          text=True, timeout=600)
    return (proc.returncode, [l.rstrip() for l in proc.stdout.splitlines()],
            [l.rstrip() for l in proc.stderr.splitlines()])


def run_document(path, counts):
    with tempfile.TemporaryDirectory(prefix="tdxsim-doc-") as tmp:
        scratch_dir(tmp)
        for number, command, shown in examples(path):
            where = "%s:%d: %s" % (path, number, command)
            if skipped(command):
                counts["skipped"] += 1
                continue
            counts["run"] += 1
            code, out, err = run_example(tmp, command)
            if shown:
                check(where, matches(shown, out, err),
                      "\n--- shown:\n%s\n--- printed (exit %d):\n%s\n--- stderr:\n%s" %
                      ("\n".join(shown), code, "\n".join(out), "\n".join(err)))
            else:
                check(where + " (output not shown) runs", code in (0, 1),
                      "exit %d: %s" % (code, "\n".join(err)))


def main():
    counts = {"run": 0, "skipped": 0}
    for path in DOCS:
        run_document(path, counts)
    check("examples found", counts["run"] > 40, counts)
    used = {skipped(c) for p in DOCS for _, c, _ in examples(p)}
    for key in SKIP:
        check("SKIP entry still starts an example: " + key, key in used)
    print("%d examples run, %d skipped" % (counts["run"], counts["skipped"]))
    return finish()


if __name__ == "__main__":
    if shutil.which("sh") is None:
        sys.exit(77)
    sys.exit(main())
