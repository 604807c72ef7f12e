#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tdxsim doctor over tests/real-logs: public bug reports' lines reshaped
into the forms people paste (journalctl, dmesg -T/-x/-r, syslog, mail
quoting with wrapped lines, CRLF). Each file's header cites its report and
states the verdicts doctor must give, one '# doctor: VERDICT CHECK' line per
checklist line in order, and '# doctor-exit: N'. A file whose header
expects exit 2 must be refused as 'not a log tdxsim can replay'.

Environment: TDXSIM_CLI (the binary), TDXSIM_SOURCE_ROOT (the source tree),
optional TDXSIM_CLI_WRAPPER run in front of every invocation.
"""
import os
import shlex
import subprocess
import sys

CLI = os.environ.get("TDXSIM_CLI")
ROOT = os.environ.get("TDXSIM_SOURCE_ROOT")
WRAPPER = shlex.split(os.environ.get("TDXSIM_CLI_WRAPPER", ""))


def expectations(path):
    """(exit status, [(verdict, check)]) from the header."""
    status, checks = None, []
    with open(path, newline="") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.startswith("#"):
                break
            if line.startswith("# doctor-exit: "):
                status = int(line.split(": ", 1)[1])
            elif line.startswith("# doctor: "):
                verdict, check = line[len("# doctor: "):].split(" ", 1)
                checks.append((verdict, check))
    return status, checks


def verdicts(out):
    """(verdict, check) of each checklist line: 'VERDICT check: text'."""
    result = []
    for line in out.splitlines():
        verdict, rest = line.split(" ", 1)
        result.append((verdict, rest.split(": ", 1)[0]))
    return result


def main():
    if not CLI or not ROOT:
        print("TDXSIM_CLI and TDXSIM_SOURCE_ROOT must be set; skipping")
        return 77
    corpus = os.path.join(ROOT, "tests", "real-logs")
    passed = failed = 0
    names = sorted(n for n in os.listdir(corpus) if n.endswith(".log"))
    for name in names:
        path = os.path.join(corpus, name)
        status, checks = expectations(path)
        proc = subprocess.run(WRAPPER + [CLI, "doctor", path], capture_output=True,
                              text=True, timeout=120)
        if status is None:
            ok, why = False, "no '# doctor-exit:' line in the header"
        elif status == 2:
            ok = (proc.returncode == 2 and proc.stdout == "" and
                  "not a log tdxsim can replay" in proc.stderr)
            why = proc.stderr
        else:
            got = verdicts(proc.stdout)
            ok = proc.returncode == status and got == checks
            why = "exit %d, got %r, want %r" % (proc.returncode, got, checks)
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL: %s: %s" % (name, why))
    # The failing case: the first EMR log without its CMR lines must not
    # meet its own header (the CMRs are then inferred: WARN memory map).
    emr = os.path.join(corpus, "emr-135-journalctl-precise.log")
    status, checks = expectations(emr)
    with open(emr) as f:
        cut = "".join(l for l in f if "CMR: [" not in l)
    proc = subprocess.run(WRAPPER + [CLI, "doctor", "-"], input=cut, capture_output=True,
                          text=True, timeout=120)
    if verdicts(proc.stdout) != checks and verdicts(proc.stdout)[0] == ("WARN", "memory map"):
        passed += 1
    else:
        failed += 1
        print("FAIL: the EMR log without CMR lines still meets its header: %s" % proc.stdout)
    # The corpus must cover the forms it claims; fewer files is a lost test.
    if len(names) < 7:
        failed += 1
        print("FAIL: only %d logs in %s" % (len(names), corpus))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
