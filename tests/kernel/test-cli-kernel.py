#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of tdxsim-kernel and its build plumbing: the kernel's
exact lines on the EMR machine of canonical/tdx#135 (for a 6.12 tree), the
JSON document, exit statuses, a difference reported as one, and the one-line
messages for a tree that is not one or needs what the shim lacks.

Environment: TDXSIM_KERNEL (the program), TDXSIM_KERNEL_CC (the compiler
command), TDXSIM_SOURCE_ROOT. Closes with "N passed, M failed"."""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

TOOL = os.environ.get("TDXSIM_KERNEL")
ROOT = os.environ.get("TDXSIM_SOURCE_ROOT")
CC = shlex.split(os.environ.get("TDXSIM_KERNEL_CC", "cc"))
EMR = os.path.join(ROOT or ".", "fixtures/platforms/emr-canonical-tdx-135.yaml")
KDIR = os.path.join(ROOT or ".", "tools/kernel")
results = {"passed": 0, "failed": 0}

# What Linux 6.12's tdx.c prints on the EMR machine, in order.
EMR_6_12 = [
    "virt/tdx: BIOS enabled: private KeyID range [32, 64)",
    "virt/tdx: Disable ACPI S3. Turn off TDX in the BIOS to use ACPI S3.",
    "virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.",
    "virt/tdx: module initialization failed (-28)",
]


def run(*args, tool=None):
    proc = subprocess.run([tool or TOOL] + list(args), capture_output=True, text=True,
                          timeout=600)
    return proc.returncode, proc.stdout, proc.stderr


def check(name, condition, detail=""):
    if condition:
        results["passed"] += 1
    else:
        results["failed"] += 1
        print("FAIL: %s %s" % (name, detail))
    return condition


def version():
    code, out, _ = run("--version")
    m = re.search(r"Linux (\d+\.\d+)", out)
    check("--version names the kernel", code == 0 and m, out)
    return m.group(1) if m else ""


def test_emr(kernel):
    code, out, _ = run("init", EMR)
    lines = [l for l in out.splitlines() if not l.startswith("== ")]
    check("init exits 1 when initialization fails", code == 1, str(code))
    check("init prints the errno", "== errno -28 " in out, out)
    if kernel == "6.12":
        check("6.12 on EMR: the kernel's lines", lines == EMR_6_12, "\n".join(lines))
    code, out, _ = run("init", "--json", EMR)
    doc = json.loads(out)
    check("json: 5 TDMRs built", doc["tdmr_count"] == 5, str(doc["tdmr_count"]))
    check("json: TDMR 0 full of holes", len(doc["tdmrs"][0]["reserved"]) == 16)
    check("json: never configured", doc["configured"] is False)
    check("json: the lines", doc["lines"] == lines, str(doc["lines"]))
    check("json: PAMT 4K of TDMR 1 where the model puts it",
          doc["tdmrs"][1]["pamt"]["4K"]["base"] == "0x10f87d000",
          doc["tdmrs"][1]["pamt"]["4K"]["base"])


def test_statuses():
    code, out, err = run("init", "/nonexistent.yaml")
    check("a missing fixture: exit 2", code == 2, str(code))
    check("a missing fixture: named", "/nonexistent.yaml" in err, err)
    code, _, err = run("frob", EMR)
    check("an unknown command: exit 2", code == 2 and "init or diff" in err, err)
    code, _, err = run("diff", "--kernel", "6.0", EMR)
    check("an unknown generation: exit 2", code == 2 and "'6.0'" in err, err)
    # The Ubuntu 6.8-intel model prints what 6.12 does not (TDH.SYS.INFO's
    # line, the CMRs): a difference, exit 1.
    code, out, _ = run("diff", "--kernel", "ubuntu-6.8-intel", EMR)
    check("a difference: exit 1", code == 1, str(code))
    check("a difference: DIFF and the closing line",
          "DIFF " in out and out.rstrip().endswith("differential: 0 passed, 1 failed"), out)


def fake_tree(tmp, body, headers):
    """A tree with the given tdx.c and the real build's asm headers."""
    tree = os.path.join(tmp, "tree")
    tdx = os.path.join(tree, "arch/x86/virt/vmx/tdx")
    os.makedirs(tdx)
    with open(os.path.join(tree, "Makefile"), "w") as f:
        f.write("VERSION = 6\nPATCHLEVEL = 99\nSUBLEVEL = 0\nEXTRAVERSION = -test\n")
    with open(os.path.join(tdx, "tdx.c"), "w") as f:
        f.write(body)
    for rel in ("asm/tdx.h", "asm/shared/tdx.h", "asm/trapnr.h"):
        dst = os.path.join(tree, "arch/x86/include", rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(os.path.join(headers, rel)) as src, open(dst, "w") as out:
            out.write(src.read())
    return tree


def compile_tree(tmp, tree):
    prep = os.path.join(tmp, "prep")
    proc = subprocess.run([sys.executable, os.path.join(KDIR, "prepare.py"), tree, prep],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return proc.returncode, proc.stdout
    cmd = CC + ["-std=gnu11", "-Werror=implicit-function-declaration",
                "-I" + os.path.join(KDIR, "include"), "-I" + os.path.join(prep, "include"),
                "-c", os.path.join(tree, "arch/x86/virt/vmx/tdx/tdx.c"),
                "-o", os.path.join(tmp, "tdx.o")]
    proc = subprocess.run([sys.executable, os.path.join(KDIR, "cc-kernel.py"), tree,
                           os.path.join(tmp, "log"), "--"] + cmd,
                          capture_output=True, text=True)
    return proc.returncode, proc.stderr


def test_plumbing():
    headers = os.path.join(os.path.dirname(TOOL), "linux", "include")
    with tempfile.TemporaryDirectory() as tmp:
        code, out = compile_tree(tmp, os.path.join(tmp, "nowhere"))
        check("prepare: no tree", code == 1 and "no such directory" in out, out)
        os.makedirs(os.path.join(tmp, "empty"))
        with open(os.path.join(tmp, "empty", "Makefile"), "w") as f:
            f.write("VERSION = 6\n")
        code, out = compile_tree(tmp, os.path.join(tmp, "empty"))
        check("prepare: no tdx.c", code == 1 and "no arch/x86/virt/vmx/tdx/tdx.c" in out, out)
    with tempfile.TemporaryDirectory() as tmp:
        tree = fake_tree(tmp, "#include <linux/types.h>\nint f(void) { return frob_pages(1); }\n",
                         headers)
        code, err = compile_tree(tmp, tree)
        check("a missing function is named once",
              code == 1 and err.count("needs function frob_pages() (tdx.c:2)") == 1, err)
        check("the message names the tree", tree in err, err)
    with tempfile.TemporaryDirectory() as tmp:
        tree = fake_tree(tmp, "#include <linux/frob.h>\n", headers)
        code, err = compile_tree(tmp, tree)
        check("a missing header is named", code == 1 and "needs header <linux/frob.h>" in err, err)
    with tempfile.TemporaryDirectory() as tmp:
        tree = fake_tree(tmp, "#include <linux/types.h>\n#include <asm/tdx.h>\n"
                         "int f(void) { return ENODEV + (int)TDX_SUCCESS; }\n", headers)
        code, err = compile_tree(tmp, tree)
        check("a tree the shim covers compiles", code == 0, err)


def main():
    if not TOOL or not ROOT:
        print("TDXSIM_KERNEL and TDXSIM_SOURCE_ROOT must be set")
        return 77
    kernel = version()
    test_emr(kernel)
    test_statuses()
    test_plumbing()
    print("%d passed, %d failed" % (results["passed"], results["failed"]))
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
