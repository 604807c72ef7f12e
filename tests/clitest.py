# SPDX-License-Identifier: MIT
"""What a tests/test-cli-*.py script needs: the binary and the source tree
from the environment, run() and check(), and the closing tally.

Environment: TDXSIM_CLI (the binary), TDXSIM_SOURCE_ROOT (the source tree),
optional TDXSIM_CLI_WRAPPER run in front of every invocation (valgrind).
"""
import os
import shlex
import subprocess

CLI = os.environ.get("TDXSIM_CLI")
ROOT = os.environ.get("TDXSIM_SOURCE_ROOT")
WRAPPER = shlex.split(os.environ.get("TDXSIM_CLI_WRAPPER", ""))

results = {"passed": 0, "failed": 0}


def run(*args, stdin=None, timeout=300):
    """Exit status, standard output and standard error of tdxsim ARGS,
    with stdin (a string) as its standard input when given."""
    proc = subprocess.run(WRAPPER + [CLI] + list(args), input=stdin,
                          capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


def check(name, condition, detail=""):
    """Count one check; print it with (the start of) detail when it
    failed."""
    if condition:
        results["passed"] += 1
    else:
        results["failed"] += 1
        print("FAIL: %s %s" % (name, str(detail)[:2000]))
    return condition


def finish():
    """Print the tally; the exit status of the script."""
    print("%d passed, %d failed" % (results["passed"], results["failed"]))
    return 1 if results["failed"] else 0
