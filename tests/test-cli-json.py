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

# A line of a log that puts a 2.0.08 module (Dynamic PAMT) on the machine
# (the 2.x form of canonical/tdx#415).
MODULE_2_0_08 = "[    5.000000] virt/tdx: TDX module 2.0.08.00, build number 882, build date 0134fed5\n"


def inputs(tmpdir):
    """Files the cases need beyond the tree's: {name: path}."""
    with open(LOG, encoding="utf-8") as f:
        log = f.read()
    dpamt_log = os.path.join(tmpdir, "emr-2.0.08.txt")
    with open(dpamt_log, "w", encoding="utf-8") as f:
        f.write(log + MODULE_2_0_08)
    return {"dpamt_log": dpamt_log}


# command: (JSON lines?, [argument lists]); arguments are relative to the
# source tree, "{name}" is a file of inputs(). Cover the keys that only
# some outcomes have.
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
}

# Commands whose --json is still being written; each leaves this list with
# its CASES entry and its table in docs/cli.md.
PENDING = {"check", "show", "decode", "import-dmesg", "module-config", "init",
           "memtype", "mmio", "dpamt", "regress"}

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


def check_command(cmd, section, files):
    rows = schema(section) if section else {}
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


def main():
    os.chdir(ROOT)
    with open("docs/cli.md", encoding="utf-8") as f:
        doc = f.read()
    tmp = tempfile.TemporaryDirectory()
    files = inputs(tmp.name)
    for cmd in commands():
        code, out, _ = run(cmd, "--help")
        if cmd in PENDING:
            continue
        check("%s --help offers --json" % cmd, "--json" in out, out)
        if check("%s has --json cases here" % cmd, cmd in CASES):
            check_command(cmd, doc_section(doc, cmd), files)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
