#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every command's --json output against the schema docs/cli.md gives it.

A command's section in docs/cli.md has a table whose header is
`| key | type | meaning |`: one row per key path of the document
(`tdmrs[].base`: key base of the objects in array tdmrs; `lines[]`: the
members of an array of scalars; `defaults.*`: any key of an object whose
keys are data). Types: string, hex (a "0x..." string), integer, boolean,
object, array, each optionally "or null".

For each command the cases below are run; their standard output must be
one JSON document (JSON lines for the commands marked so), every path in
it must be documented with the type it has, and every documented path must
appear in some case, so the table cannot describe keys that no longer
exist.
"""
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import ROOT, run, check, finish  # noqa: E402

P = "fixtures/platforms/"
EMR = P + "emr-canonical-tdx-135.yaml"
ARCHER = P + "archercity-spr.yaml"
LOG = "fixtures/logs/emr-kai-huang-v8.2.txt"
XEON = "fixtures/logs/xeon-d-1712tr.txt"
S1 = "fixtures/scenarios/s1-tpm-probe.yaml"

# A line of a log that puts a 2.0.08 module (Dynamic PAMT) on the machine
# (the 2.x form of canonical/tdx#415).
MODULE_2_0_08 = "[    5.000000] virt/tdx: TDX module 2.0.08.00, build number 882, build date 0134fed5\n"


def derived(tmpdir, name, source, old, new):
    """A copy of a tree file with one text replaced: a failing variant."""
    with open(source, encoding="utf-8") as f:
        text = f.read()
    if old not in text:
        raise SystemExit("%s no longer holds %r" % (source, old))
    path = os.path.join(tmpdir, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new, 1))
    return path


def inputs(tmpdir):
    """Files the cases need beyond the tree's: {name: path}."""
    with open(LOG, encoding="utf-8") as f:
        log = f.read()
    dpamt_log = os.path.join(tmpdir, "emr-2.0.08.txt")
    with open(dpamt_log, "w", encoding="utf-8") as f:
        f.write(log + MODULE_2_0_08)
    return {
        "dpamt_log": dpamt_log,
        # A CMR with KeyID bits set: TDH.SYS.INIT refuses the list.
        "bad_cmr": derived(tmpdir, "bad-cmr.yaml", EMR, "  [0x3080000000, 0x407c000000)\n",
                           "  [0x3080000000, 0x407c000000)\n  [0x400000000000, 0x400000100000)\n"),
        # An expectation the replay does not meet.
        "missed": derived(tmpdir, "missed.yaml", EMR, "errno: -28", "errno: -5"),
        "missed_scenario": derived(tmpdir, "s1-missed.yaml", S1, "expect-type: WB",
                                   "expect-type: UC"),
    }


# command: (JSON lines?, [argument lists]); arguments are relative to the
# source tree, "{name}" is a file of inputs(). Cover the keys that only
# some outcomes have, failures included.
CASES = {
    "tdmr": (False, [
        ["tdmr", "--json"],
        ["tdmr", "--json", "--strategy", "linux-cmr", ARCHER],
        ["tdmr", "--json", "--strategy", "tdxsim", EMR],
        ["tdmr", "--json", "--compare"],
    ]),
    "doctor": (False, [
        ["doctor", "--json", LOG],
        ["doctor", "--json", "{dpamt_log}"],
    ]),
    "check": (False, [
        ["check", "--json", EMR, "fixtures/bad/e820-overlap.yaml", XEON],
    ]),
    "show": (False, [
        ["show", "--json", EMR],
        ["show", "--json", XEON],
        ["show", "--json", P + "baoquan-2node.yaml"],
    ]),
    "decode": (False, [
        ["decode", "--json", "0xc000050500000000", "--leaf", "34", "--field",
         "0x9100000100000008"],
        ["decode", "--json", "0xc0000a1100000200"],
        ["decode", "--json", "SEAMCALL (0x000000000000002d) failed: 0xc0000a1100000200"],
    ]),
    "import-dmesg": (False, [
        ["import-dmesg", "--json", LOG],
        ["import-dmesg", "--json", XEON],
        ["import-dmesg", "--json", "fixtures/logs/td-guest-q35-tail.txt"],
        ["import-dmesg", "--json", "fixtures/logs/baoquan-2node.txt"],
    ]),
    "module-config": (False, [
        ["module-config", "--json", EMR, "fixtures/layouts/emr-pamt-too-small.yaml"],
        ["module-config", "--json", EMR, "fixtures/layouts/emr-cmr-layout.yaml"],
        ["module-config", "--json", "{bad_cmr}", "fixtures/layouts/emr-cmr-layout.yaml"],
    ]),
    "init": (False, [
        ["init", "--json"],
        ["init", "--json", "--strategy", "all", "{missed}"],
        ["init", "--json", "--strategy", "tdxsim", XEON],
    ]),
    "memtype": (False, [
        ["memtype", "--json", S1, "fixtures/scenarios/s2-pci-hole-fix.yaml"],
        ["memtype", "--json", "{missed_scenario}"],
    ]),
    "dpamt": (False, [
        ["dpamt", "--json", "fixtures/dpamt/statuses.yaml"],
        ["dpamt", "--json", "fixtures/dpamt/two-ranges.yaml"],
        ["dpamt", "--json", "fixtures/dpamt/static-pamt.yaml"],
        ["dpamt", "--json", "fixtures/dpamt/no-dpamt-module.yaml"],
    ]),
    "regress": (False, [
        ["regress", "--json", EMR, "{missed}"],
    ]),
    "mmio": (True, [
        ["mmio", "--json", "--batch", "docs/examples/mmio-batch.yaml"],
        ["mmio", "--bytes", "8b 07", "--reg", "rdi=0x800000000000", "--gva", "0x800000000000"],
        ["mmio", "--bytes", "8b 07", "--reg", "rdi=0xffffc90000000000", "--reg", "rflags=0x102"],
    ]),
}

TYPES = {"string", "hex", "integer", "boolean", "object", "array"}


def commands():
    _, out, _ = run("--help")
    block = out.split("Commands:", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in block.splitlines() if line.strip()]


def doc_section(doc, cmd):
    """The text of docs/cli.md's section for cmd (its ## heading names
    `tdxsim CMD`), up to the next ## heading."""
    parts = re.split(r"^## ", doc, flags=re.M)
    for part in parts[1:]:
        title = part.split("\n", 1)[0]
        if re.search(r"`tdxsim %s[ `]" % re.escape(cmd), title):
            return part
    return None


# Rows X[] whose meaning says their objects carry top-level keys.
TOP_LEVEL_KEYS = {}


def schema(section):
    """{path: (types, nullable)} from the section's key/type table."""
    rows = {}
    in_table = False
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| key | type |"):
            in_table = True
            continue
        if not in_table:
            continue
        if not line.startswith("|"):
            break
        if set(line) <= set("|- "):
            continue
        path = cells[0].strip("`")
        TOP_LEVEL_KEYS[path] = cells[2].startswith("top-level keys")
        words = cells[1].split(" or ")
        nullable = "null" in words
        kinds = {w for w in words if w != "null"}
        rows[path] = (kinds, nullable)
    return rows


def kind_of(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, str):
        return "hex" if re.fullmatch(r"0x[0-9a-f]+", value) else "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return type(value).__name__


def paths(value, prefix=""):
    """(path, value) for every key and every scalar array member."""
    if isinstance(value, dict):
        for key, member in value.items():
            path = prefix + "." + key if prefix else key
            yield path, member
            yield from paths(member, path)
    elif isinstance(value, list):
        for member in value:
            if not isinstance(member, (dict, list)):
                yield prefix + "[]", member
            yield from paths(member, prefix + "[]")


def documented(rows, path):
    """The row that describes path: itself, or a wildcard row; for a path
    under an array X whose row X[] says its objects carry top-level keys
    (type "object", meaning starting "top-level keys"), the top-level
    row."""
    if path in rows:
        return path
    for row in rows:
        pattern = re.escape(row).replace(r"\*", r"[^.\[]+")
        if re.fullmatch(pattern, path):
            return row
    head, dot, rest = path.partition("[].")
    if dot and rows.get(head + "[]", ({""}, False))[0] == {"object"} and \
            TOP_LEVEL_KEYS.get(head + "[]"):
        return documented(rows, rest)
    return None


def documents(lines_mode, out):
    if lines_mode:
        return [json.loads(line) for line in out.splitlines() if line.strip()]
    return [json.loads(out)]


def check_command(cmd, doc, files):
    section = doc_section(doc, cmd)
    rows = schema(section) if section else {}
    # A row of type "keys" brings in another command's table (import-dmesg
    # prints the keys of show).
    for name, (kinds, _) in list(rows.items()):
        if kinds == {"keys"}:
            del rows[name]
            rows.update(schema(doc_section(doc, name)))
    if not check("%s: docs/cli.md has a key/type table" % cmd, rows):
        return
    for path, (kinds, _) in rows.items():
        check("%s: %s has known types" % (cmd, path), kinds <= TYPES and kinds, kinds)
    seen = set()
    lines_mode, cases = CASES[cmd]
    for args in cases:
        args = [a.format(**files) for a in args]
        code, out, err = run(*args)
        check("%s runs (exit 0 or 1)" % " ".join(args), code in (0, 1), err)
        try:
            docs = documents(lines_mode, out)
        except ValueError as e:
            check("%s: standard output is JSON" % " ".join(args), False, "%s: %s" % (e, out[:300]))
            continue
        for doc in docs:
            for path, value in paths(doc):
                row = documented(rows, path)
                if not check("%s: %s documented" % (cmd, path), row is not None, args):
                    continue
                seen.add(row)
                head = path.partition("[].")[0]
                if head + "[]" in rows:
                    seen.add(head + "[]")
                kinds, nullable = rows[row]
                kind = kind_of(value)
                ok = nullable if kind is None else (kind in kinds or
                                                    (kind == "hex" and "string" in kinds))
                check("%s: %s is %s" % (cmd, path, " or ".join(sorted(kinds)) +
                                        (" or null" if nullable else "")), ok,
                      "%r in %s" % (value, " ".join(args)))
    for row in rows:
        check("%s: documented %s appears in some case" % (cmd, row), row in seen)


def json_of(*args):
    _, out, _ = run(*args)
    try:
        return json.loads(out)
    except ValueError:
        return None


def check_values(files):
    """Values the documents must hold, against the text and the inputs."""
    code, text, _ = run("init")
    doc = json_of("init", "--json") or {}
    runs = doc.get("runs", [{}])
    check("init --json: the lines are the text's", runs[0].get("lines") == text.splitlines(),
          runs[0].get("lines"))
    check("init --json: one run, errno -28", len(runs) == 1 and runs[0].get("errno") == -28, runs)
    doc = json_of("check", "--json", EMR) or {}
    fixture = (doc.get("fixtures") or [{}])[0]
    check("check --json: EMR's 40 entries and 5 CMRs, as the summary line says",
          fixture.get("e820_entries") == 40 and fixture.get("cmrs") == 5, fixture)
    doc = json_of("show", "--json", EMR) or {}
    first = ((doc.get("e820") or {}).get("entries") or [{}])[0]
    check("show --json: the first E820 entry", first == {
        "index": 0, "base": "0x0", "end": "0x9f000", "size": 0x9f000, "type": 1,
        "type_name": "usable", "elided_before": False}, first)
    doc = json_of("regress", "--json", files["missed"]) or {}
    fixture = (doc.get("fixtures") or [{}])[0]
    messages = [d.get("message", "") for d in fixture.get("diagnostics", [])]
    check("regress --json: the missed errno is a diagnostic",
          fixture.get("missed") == 1 and any("errno expected -5, got -28" in m for m in messages),
          fixture)
    check_memtype_dpamt_values()
    _, out, _ = run("mmio", "--batch", "docs/examples/mmio-batch.yaml")
    where = [(d.get("case"), d.get("line")) for d in documents(True, out)]
    check("mmio --batch: case and line of each result", where == [(0, 1), (1, 4), (2, 13)], where)
    doc = json_of("decode", "--json", "0xc000050500000000", "--field", "0x9100000100000008") or {}
    word = (doc.get("words") or [{}])[0]
    check("decode --json: the field's name", (word.get("field_name") or "").startswith("MAX_TDMRS"),
          word)


def check_memtype_dpamt_values():
    """memtype's and dpamt's documents against their text, line for line."""
    _, text, _ = run("memtype", S1)
    lines = text.splitlines()
    scenario = ((json_of("memtype", "--json", S1) or {}).get("scenarios") or [{}])[0]
    steps = ["step %s (line %s): %s" % (s.get("step"), s.get("line"), s.get("text"))
             for s in scenario.get("steps", [])]
    check("memtype --json: the steps are the text's",
          steps == [line for line in lines if line.startswith("step ")], steps)
    kernel = lines[lines.index("kernel lines:") + 1:lines.index("memtype tree:")] \
        if "kernel lines:" in lines and "memtype tree:" in lines else None
    check("memtype --json: the kernel lines are the text's",
          scenario.get("kernel_lines") == kernel, scenario.get("kernel_lines"))
    _, text, _ = run("dpamt", "fixtures/dpamt/two-ranges.yaml")
    doc = json_of("dpamt", "--json", "fixtures/dpamt/two-ranges.yaml") or {}
    steps = doc.get("steps") or []
    said = [(s.get("kernel_errno"), s.get("pamt_bytes") // 1024 if s.get("pamt_bytes") else None)
            for s in steps]
    check("dpamt --json: errno and PAMT memory per step (the text's -ENOMEM, 8/16 KiB)",
          said == [(0, 8), (0, 8), (0, 16), (0, 16), (0, 8), (0, 16), (-12, 16), (0, 8)], said)
    words = ["%s 0x%016x %s" % (s["leaf"], int(s["status"], 16), s["name"])
             for s in steps if s.get("leaf")]
    check("dpamt --json: each SEAMCALL, status word and name as the text prints them",
          len(words) == 5 and all(w in text for w in words), words)
    check("dpamt --json: the peak", doc.get("peak_pamt_bytes") == 16 * 1024
          and "peak PAMT memory 16 KiB" in text, doc.get("peak_pamt_bytes"))


def main():
    os.chdir(ROOT)
    with open("docs/cli.md", encoding="utf-8") as f:
        doc = f.read()
    tmp = tempfile.TemporaryDirectory()
    files = inputs(tmp.name)
    for cmd in commands():
        code, out, _ = run(cmd, "--help")
        check("%s --help offers --json" % cmd, "--json" in out, out)
        if check("%s has --json cases here" % cmd, cmd in CASES):
            check_command(cmd, doc, files)
    check_values(files)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
