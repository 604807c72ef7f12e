#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `tdxsim mmio`: one access from the command line and
a batch file, checked on the JSON lines (status, rip_delta, registers, the
TDVMCALL), the documented divergences of linux mode, refused encodings and
usage errors (exit 2, batch problems as file:line:col).

Environment: TDXSIM_CLI (the binary), TDXSIM_SOURCE_ROOT (the source tree),
optional TDXSIM_CLI_WRAPPER (e.g. "valgrind --error-exitcode=99 -q") run in
front of every invocation. Prints one line per failed check and closes with
"N passed, M failed"; exits 1 when any check failed, 77 (skipped) when the
environment is missing."""
import json
import os
import sys
import tempfile

from clitest import CLI, ROOT, check, finish, run

GVA = 0xffffc90000000000
GPA = (1 << 51) | 0xfed40000
EINVAL = 22
GPRS = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]


def records(out):
    """Every stdout line as JSON; None when any line is not JSON."""
    try:
        return [json.loads(line) for line in out.splitlines()]
    except ValueError:
        return None


def one(name, *args):
    """Run one access; its JSON object, or None after a failed check."""
    code, out, err = run("mmio", *args)
    recs = records(out)
    if not check(name + ": exit 0 and one JSON line",
                 code == 0 and recs is not None and len(recs) == 1,
                 "exit %d out %r err %r" % (code, out, err)):
        return None
    return recs[0]


def reg(rec, name):
    return int(rec["regs"][name], 16)


def test_read():
    rec = one("mov eax,[rdi]", "--bytes", "8b 07", "--reg", "rdi=0x%x" % GVA,
              "--reg", "rax=0xffffffffffffffff",
              "--read-value", "0x1122334455667788")
    if not rec:
        return
    check("read: status 0", rec["status"] == 0, repr(rec))
    check("read: rip_delta 2", rec["rip_delta"] == 2, repr(rec))
    check("read: eax gets 4 bytes, zero-extended",
          reg(rec, "rax") == 0x55667788, rec["regs"]["rax"])
    check("read: every GPR reported", list(rec["regs"]) == GPRS, repr(rec["regs"]))
    check("read: rdi kept", reg(rec, "rdi") == GVA, repr(rec["regs"]))
    call = rec["tdvmcall"]
    check("read: the TDVMCALL", call and call["size"] == 4 and
          call["direction"] == "read" and int(call["gpa"], 16) == GPA and
          int(call["value"], 16) == 0x55667788, repr(call))


def test_high_byte_write():
    common = ["--bytes", "88 27", "--reg", "rdi=0x%x" % GVA,
              "--reg", "rax=0x1234", "--reg", "rsp=0xffffc900000010ab"]
    arch = one("mov [rdi],ah arch", *common)
    linux = one("mov [rdi],ah linux", "--mode", "linux", *common)
    if arch:
        call = arch["tdvmcall"]
        check("arch: writes AH (byte 1 of RAX)", arch["status"] == 0 and call and
              call["direction"] == "write" and call["size"] == 1 and
              int(call["value"], 16) == 0x12, repr(arch))
        check("arch: rip_delta 2", arch["rip_delta"] == 2, repr(arch))
    if linux:
        call = linux["tdvmcall"]
        check("linux: writes the low byte of RSP", linux["status"] == 0 and call and
              int(call["value"], 16) == 0xab, repr(linux))


def test_movzx_divergence():
    common = ["--bytes", "0f b6 07", "--reg", "rdi=0x%x" % GVA,
              "--reg", "rax=0xaaaaaaaabbbbbbbb", "--read-value", "0x1ff"]
    arch = one("movzx eax,byte [rdi] arch", *common)
    linux = one("movzx eax,byte [rdi] linux", "--mode=linux", *common)
    if arch:
        check("arch: MOVZX r32 clears bits 63:32", reg(arch, "rax") == 0xff,
              arch["regs"]["rax"])
    if linux:
        check("linux: MOVZX r32 keeps bits 63:32",
              reg(linux, "rax") == 0xaaaaaaaa000000ff, linux["regs"]["rax"])


def test_refused():
    rec = one("lock mov", "--bytes", "f0 89 07", "--reg", "rdi=0x%x" % GVA)
    if rec:
        check("lock mov: -EINVAL in arch", rec["status"] == -EINVAL, repr(rec))
        check("lock mov: no TDVMCALL, RIP kept",
              rec["tdvmcall"] is None and rec["rip_delta"] == 0, repr(rec))
    rec = one("mov moffs", "--bytes", "a1 00 00 00 00 00 00 00 00")
    if rec:
        check("movabs: -EINVAL", rec["status"] == -EINVAL, repr(rec))


def test_arch_checks():
    """arch mode's own checks (docs/guest.md), each with its passing twin
    and the linux mode that has none of them; the new keys of every line."""
    rec = one("non-canonical", "--bytes", "8b 07", "--reg", "rdi=0x800000000000",
              "--gva", "0x800000000000")
    if rec:
        check("non-canonical: #GP(0), -EFAULT, nothing done",
              rec["status"] == -14 and rec["tdvmcall"] is None and
              rec["rip_delta"] == 0 and rec["exception"] ==
              {"vector": 13, "name": "#GP", "error_code": 0} and
              rec["inconsistent"] is False, repr(rec))
    rec = one("non-canonical linux", "--bytes", "8b 07", "--mode", "linux",
              "--reg", "rdi=0x800000000000", "--gva", "0x800000000000")
    if rec:
        check("non-canonical linux: emulated, no exception",
              rec["status"] == 0 and rec["exception"] is None, repr(rec))
    rec = one("inconsistent", "--bytes", "8b 07", "--reg", "rdi=0x%x" % (GVA + 0x1000))
    if rec:
        check("GLA on another page: refused as inconsistent",
              rec["status"] == -EINVAL and rec["inconsistent"] is True and
              rec["tdvmcall"] is None and rec["exception"] is None, repr(rec))
    rec = one("consistent", "--bytes", "8b 07", "--reg", "rdi=0x%x" % (GVA + 0xffc))
    if rec:
        check("GLA on the same page: emulated",
              rec["status"] == 0 and rec["inconsistent"] is False, repr(rec))
    rec = one("single step", "--bytes", "8b 07", "--reg", "rdi=0x%x" % GVA,
              "--reg", "rflags=0x102")
    if rec:
        check("TF: emulated, then #DB with DR6.BS",
              rec["status"] == 0 and rec["rip_delta"] == 2 and rec["exception"] ==
              {"vector": 1, "name": "#DB", "dr6": "0x4000"}, repr(rec))
    rec = one("single step linux", "--bytes", "8b 07", "--reg", "rdi=0x%x" % GVA,
              "--reg", "rflags=0x102", "--mode", "linux")
    if rec:
        check("TF linux: no #DB", rec["status"] == 0 and rec["exception"] is None,
              repr(rec))


def test_bases_and_gpaw():
    rec = one("fs_base", "--bytes", "64 8b 47 10", "--reg", "fs_base=0x%x" % GVA,
              "--gva", "0x%x" % (GVA + 0x10), "--read-value", "0x5a")
    if rec:
        check("fs:[rdi+0x10] with fs_base: emulated", rec["status"] == 0 and
              reg(rec, "rax") == 0x5a, repr(rec))
    rec = one("gs_base split", "--bytes", "65 8b 07", "--reg", "gs_base=0x%x" % (GVA + 0xffe),
              "--gva", "0x%x" % (GVA + 0xffe))
    if rec:
        check("gs:[rdi] across a page by gs_base: -EFAULT", rec["status"] == -14, repr(rec))
    rec = one("no fs_base", "--bytes", "64 8b 47 10", "--gva", "0x%x" % (GVA + 0x10))
    if rec:
        check("fs:[rdi+0x10] without fs_base: inconsistent", rec["inconsistent"] is True,
              repr(rec))
    rec = one("gpaw 48", "--bytes", "8b 07", "--reg", "rdi=0x%x" % GVA, "--gpaw", "48")
    if rec:
        call = rec["tdvmcall"]
        check("gpaw 48: the default GPA has shared bit 47", rec["status"] == 0 and call and
              int(call["gpa"], 16) == (1 << 47) | 0xfed40000, repr(rec))
    rec = one("gpaw 48 bit 51", "--bytes", "8b 07", "--reg", "rdi=0x%x" % GVA,
              "--gpaw", "48", "--gpa", "0x%x" % GPA)
    if rec:
        check("gpaw 48: bit 51 without bit 47 is private: fatal",
              rec["status"] == -5 and rec["fatal"] is True, repr(rec))
    rec = one("gpaw 52", "--bytes", "8b 07", "--reg", "rdi=0x%x" % GVA, "--gpaw", "52",
              "--gpa", "0x%x" % ((1 << 47) | 0xfed40000))
    if rec:
        check("gpaw 52: bit 47 alone is private: fatal", rec["fatal"] is True, repr(rec))


BATCH = """\
# three accesses, run in order
- bytes: "8b 07"
  regs: {rdi: 0xffffc90000000000}
  read_value: 0x11
- bytes: 88 27
  mode: linux
  regs:
    rdi: 0xffffc90000000000
    rsp: 0x42
- bytes: "f0 89 07"
  regs: {rdi: 0xffffc90000000000}
- bytes: "48 8b 07"
  gva: 0xffffc90000000008
  gpa: 0x80000fed40008
  regs: {rdi: 0xffffc90000000008, rip: 0xffffffff81001000}
  read_value: 0x8877665544332211
- bytes: "65 8b 07"
  gpaw: 48
  regs: {gs_base: 0xffffc90000000000, fs_base: 0x1000}
  read_value: 0x22
"""


def test_batch(tmpdir):
    path = os.path.join(tmpdir, "batch.yaml")
    with open(path, "w") as f:
        f.write(BATCH)
    code, out, err = run("mmio", "--batch", path)
    recs = records(out)
    if not check("batch: exit 0, five JSON lines",
                 code == 0 and recs is not None and len(recs) == 5,
                 "exit %d out %r err %r" % (code, out, err)):
        return
    check("batch: case 1 read", recs[0]["status"] == 0 and reg(recs[0], "rax") == 0x11,
          repr(recs[0]))
    call = recs[1]["tdvmcall"]
    check("batch: case 2 linux write of SPL", recs[1]["status"] == 0 and call and
          int(call["value"], 16) == 0x42, repr(recs[1]))
    check("batch: case 3 refused", recs[2]["status"] == -EINVAL, repr(recs[2]))
    call = recs[3]["tdvmcall"]
    check("batch: case 4 8-byte read at its own gpa", recs[3]["status"] == 0 and
          recs[3]["rip_delta"] == 3 and reg(recs[3], "rax") == 0x8877665544332211 and
          call and int(call["gpa"], 16) == 0x80000fed40008, repr(recs[3]))
    call = recs[4]["tdvmcall"]
    check("batch: case 5 gs_base and gpaw 48", recs[4]["status"] == 0 and
          reg(recs[4], "rax") == 0x22 and call and
          int(call["gpa"], 16) == (1 << 47) | 0xfed40000, repr(recs[4]))


def write(tmpdir, name, text):
    path = os.path.join(tmpdir, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def refused(tmpdir, name, text, where, message):
    path = write(tmpdir, name, text)
    code, out, err = run("mmio", "--batch", path)
    check("batch %s: exit 2, nothing run" % name, code == 2 and out == "",
          "exit %d out %r" % (code, out))
    check("batch %s: %s" % (name, message), ("%s:%s: " % (path, where)) in err and
          message in err, err)


def test_batch_errors(tmpdir):
    refused(tmpdir, "unknown-key.yaml",
            "- bytes: 8b 07\n- bytes: 8b 07\n  gpaa: 0x1000\n", "3:3",
            "unknown key 'gpaa'")
    refused(tmpdir, "bad-reg.yaml",
            "- bytes: 8b 07\n  regs: {rdi: 1, xmm0: 2}\n", "2:18",
            "unknown key 'xmm0'")
    refused(tmpdir, "bad-hex.yaml", "- bytes: \"8b 0g\"\n", "1:11", "is not hex bytes")
    refused(tmpdir, "bad-mode.yaml", "- bytes: 8b 07\n  mode: amd\n", "2:9",
            "unknown mode 'amd'")
    refused(tmpdir, "no-bytes.yaml", "- mode: arch\n", "1:3", "missing key 'bytes'")
    refused(tmpdir, "not-list.yaml", "bytes: 8b 07\n", "1:1", "must be a list")
    refused(tmpdir, "empty.yaml", "", "1:1", "empty batch file")
    refused(tmpdir, "bad-gpaw.yaml", "- bytes: 8b 07\n  gpaw: 47\n", "2:9",
            "'gpaw' must be 48 or 52, not '47'")
    refused(tmpdir, "bad-base.yaml", "- bytes: 8b 07\n  regs: {fs_base: -1}\n", "2:19",
            "fs_base")


def test_usage():
    code, out, _ = run("mmio", "--help")
    check("mmio --help", code == 0 and out.startswith("Usage: tdxsim mmio"), out)
    code, out, _ = run("--help")
    check("tdxsim --help lists mmio", "  mmio " in out, out)
    for bad in ([], ["--bytes", "8g"], ["--bytes", "8b 0"], ["--bytes", ""],
                ["--bytes", "8b 07", "--reg", "xmm0=1"],
                ["--bytes", "8b 07", "--reg", "rdi"],
                ["--bytes", "8b 07", "--reg", "rdi=0xzz"],
                ["--bytes", "8b 07", "--mode", "amd"],
                ["--bytes", "8b 07", "--gpa"],
                ["--bytes", "8b 07", "--gpaw", "47"],
                ["--bytes", "8b 07", "--gpaw"],
                ["--bytes", "8b 07", "--reg", "fs_base=x"],
                ["--bytes", "8b 07", "--batch", "x.yaml"],
                ["--bytes", "8b 07", "extra"],
                ["--bytes", " ".join(["66"] * 16)],
                ["--no-such-option"],
                ["--batch", "/nonexistent/none.yaml"]):
        code, out, err = run("mmio", *bad)
        check("mmio %s exits 2" % " ".join(bad), code == 2 and err and not out,
              "exit %d out %r" % (code, out))


def main():
    if not CLI or not ROOT:
        print("TDXSIM_CLI and TDXSIM_SOURCE_ROOT must be set; skipping")
        return 77
    test_usage()
    test_read()
    test_high_byte_write()
    test_movzx_divergence()
    test_refused()
    test_arch_checks()
    test_bases_and_gpaw()
    with tempfile.TemporaryDirectory() as tmpdir:
        test_batch(tmpdir)
        test_batch_errors(tmpdir)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
