#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Output is never lost silently and never costs the user a file
(sim/output.h): standard output on a full device fails every command with
exit 2; an output file is replaced only when complete, a failed write
leaves an existing file, a symbolic link and its target as they were;
devices are written directly and never removed; directories are refused
with "Is a directory"; every message names the real cause.

Environment: TDXSIM_CLI, TDXSIM_SOURCE_ROOT, optional TDXSIM_CLI_WRAPPER.
"""
import os
import resource
import stat
import subprocess
import sys
import tempfile

from clitest import CLI, ROOT, WRAPPER, check, finish

EMR = os.path.join(ROOT, "fixtures/platforms/emr-canonical-tdx-135.yaml")
LOG = os.path.join(ROOT, "fixtures/logs/baoquan-2node.txt")
SCENARIO = os.path.join(ROOT, "fixtures/scenarios/s1-hpet.yaml")
LAYOUT = os.path.join(ROOT, "fixtures/layouts/emr-cmr-layout.yaml")
FILE_LIMIT = 1024   # RLIMIT_FSIZE for the "File too large" cases
OLD = "the user's file, which must survive\n"


def limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))


def run(*args, stdout=subprocess.PIPE, small=False):
    proc = subprocess.run(WRAPPER + [CLI] + list(args), stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120,
                          preexec_fn=limit_file_size if small else None)
    return proc.returncode, proc.stdout, proc.stderr


def read(path):
    with open(path) as f:
        return f.read()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


# Every command, with arguments that succeed (status 0 or 1) on a good stdout.
COMMANDS = [
    ("show", [EMR]),
    ("check", [EMR]),
    ("decode", ["0xc000010000000000"]),
    ("import-dmesg", [LOG]),
    ("init", [EMR]),
    ("tdmr", [EMR]),
    ("mmio", ["--bytes", "8b 07"]),
    ("module-config", [EMR, LAYOUT]),
    ("memtype", [SCENARIO]),
    ("--help", []),
]


def test_stdout_full():
    for cmd, args in COMMANDS:
        with open(os.devnull, "w") as null:
            good, _, err = run(cmd, *args, stdout=null)
        check(cmd + " to /dev/null works", good in (0, 1), err)
        with open("/dev/full", "w") as full:
            code, _, err = run(cmd, *args, stdout=full)
        check(cmd + " to /dev/full exits 2", code == 2, "status %d" % code)
        check(cmd + " to /dev/full says why",
              "standard output: No space left on device" in err and
              "Input/output" not in err, err)


def no_leftovers(name, d, expected):
    left = sorted(os.listdir(d))
    check(name + ": no temporary file left", left == sorted(expected), left)


# Each file-writing option: the arguments before the path.
WRITERS = [
    ("import-dmesg -o", ["import-dmesg", LOG, "-o"]),
    ("tdmr --layout-out", ["tdmr", EMR, "--layout-out"]),
    ("tdmr --svg", ["tdmr", EMR, "--svg"]),
    ("show --svg", ["show", EMR, "--svg"]),
]


def test_existing_file_kept(d):
    for name, args in WRITERS:
        path = os.path.join(d, "out")
        write(path, OLD)
        os.chmod(path, 0o640)
        code, _, err = run(*args, path, small=True)
        check(name + " over the size limit exits 2", code == 2, err)
        check(name + " names the cause", path + ": File too large" in err, err)
        check(name + " keeps the old file", read(path) == OLD)
        no_leftovers(name, d, ["out"])
        code, _, err = run(*args, path)
        check(name + " replaces it when complete",
              code in (0, 1) and len(read(path)) > FILE_LIMIT, err)
        check(name + " keeps the file's mode",
              stat.S_IMODE(os.stat(path).st_mode) == 0o640)
        no_leftovers(name + " (success)", d, ["out"])
        os.unlink(path)


def test_symlink(d):
    target, link = os.path.join(d, "target"), os.path.join(d, "link")
    write(target, OLD)
    os.symlink("target", link)
    code, _, err = run("import-dmesg", LOG, "-o", link, small=True)
    check("symlink: failure exits 2", code == 2 and "File too large" in err, err)
    check("symlink: the link stays", os.path.islink(link))
    check("symlink: its target is untouched", read(target) == OLD)
    code, _, err = run("import-dmesg", LOG, "-o", link)
    check("symlink: success writes through the link",
          code == 0 and os.path.islink(link) and
          read(target).startswith("tdxsim-fixture: 1"), err)
    no_leftovers("symlink", d, ["link", "target"])
    os.unlink(link)
    os.unlink(target)


def test_devices():
    code, _, err = run("import-dmesg", LOG, "-o", "/dev/full")
    check("-o /dev/full exits 2", code == 2, err)
    check("-o /dev/full says why", "/dev/full: No space left on device" in err, err)
    check("/dev/full is still a device", stat.S_ISCHR(os.stat("/dev/full").st_mode))
    code, _, err = run("tdmr", EMR, "--kernel", "mainline", "--layout-out", "/dev/null")
    check("--layout-out /dev/null works", code in (0, 1) and "/dev/null" not in err, err)
    check("/dev/null is still a device", stat.S_ISCHR(os.stat("/dev/null").st_mode))


def test_directories(d):
    for name, args in WRITERS:
        code, _, err = run(*args, d)
        check(name + " a directory", code == 2 and d + ": Is a directory" in err, err)
    for cmd in ("import-dmesg", "check", "show"):
        code, _, err = run(cmd, d)
        check(cmd + " reading a directory",
              code == 2 and "Is a directory" in err and "Input/output" not in err, err)


def short_hex_log(path, limit):
    """A log just under limit bytes whose fixture is larger: short hex
    numbers in the log are written with 16 digits."""
    lines, size, a = [], 0, 0
    while True:
        line = "BIOS-e820: [mem 0x%x-0x%x] usable\n" % (a, a + 0xfff)
        if size + len(line) > limit:
            break
        lines.append(line)
        size += len(line)
        a += 0x2000
    write(path, "".join(lines))


def test_limits(d):
    limit = 16 << 20
    code, _, err = run("import-dmesg", "/dev/zero")
    check("/dev/zero refused", code == 2 and
          "/dev/zero: larger than 16 MiB, the most a kernel log (and a fixture) may be" in err, err)
    big = os.path.join(d, "big.log")
    with open(big, "w") as f:
        f.write("BIOS-e820: [mem 0x0-0xfff] usable\n")
        f.write("x" * limit)
    code, _, err = run("import-dmesg", big)
    check("a log one line over 16 MiB refused", code == 2 and "larger than 16 MiB" in err, err)
    short_hex_log(big, limit)
    out = os.path.join(d, "out.yaml")
    write(out, OLD)
    code, _, err = run("import-dmesg", big, "-o", out)
    check("a fixture over 16 MiB is not written",
          code == 2 and "over the 16 MiB a fixture may be; nothing written" in err and
          read(out) == OLD, err)
    short_hex_log(big, 1 << 20)
    code, _, err = run("import-dmesg", big, "-o", out)
    check("a fixture under 16 MiB is written and loads",
          code == 0 and run("check", out)[0] == 0, err)
    os.unlink(big)
    os.unlink(out)


def test_messages(d):
    """Each refusal names its real cause."""
    log = os.path.join(d, "one.log")
    write(log, "BIOS-e820: [mem 0x0-0xfff] usable\n")
    proc = subprocess.run(WRAPPER + [CLI, "import-dmesg", log, "--machine", b"\xff\xfe"],
                          capture_output=True, timeout=120)
    err = proc.stderr.decode(errors="replace")
    check("--machine with bad UTF-8 says so",
          proc.returncode == 2 and "--machine: the value is not well-formed UTF-8" in err and
          "Invalid argument" not in err, err)
    code, _, err = run("import-dmesg", log, "--machine", "Example Board")
    check("--machine with UTF-8 works", code == 0, err)
    layout = os.path.join(d, "many.yaml")
    with open(layout, "w") as f:
        f.write("tdxsim-layout: 1\nglobal-keyid: 32\ntdmrs:\n")
        for i in range(10000):
            f.write("  - base: 0x%x\n    size: 0x40000000\n"
                    "    pamt-4k: {base: 0x0, size: 0x1000}\n"
                    "    pamt-2m: {base: 0x0, size: 0x1000}\n"
                    "    pamt-1g: {base: 0x0, size: 0x1000}\n" % ((i + 1) << 30))
    code, out, err = run("module-config", EMR, layout)
    check("10 000 TDMRs are the module's to refuse (RDX), not reserved slots",
          code == 1 and "TDX_OPERAND_INVALID" in out and "operand RDX" in out and
          "reserved" not in err, out + err)
    os.unlink(log)
    os.unlink(layout)


def main():
    test_stdout_full()
    test_devices()
    with tempfile.TemporaryDirectory() as d:
        test_existing_file_kept(d)
        test_symlink(d)
        test_directories(d)
        test_limits(d)
        test_messages(d)
    sys.exit(finish())


if __name__ == "__main__":
    main()
