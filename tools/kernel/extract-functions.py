#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the functions a test needs from one C file of a kernel tree, and
only those, into the build directory.

Usage: extract-functions.py SOURCE OUTPUT HEADER ROOT... [--skip NAME...]

SOURCE is a file of the tree (e.g. arch/x86/coco/tdx/tdx.c, whose
handle_mmio() is static and sits among code the shim does not model).
The file is cut into its top-level items (function definitions, data
definitions, declarations); OUTPUT gets, in the file's order:
  - #include "HEADER" (the shim) instead of the file's own #includes;
  - every top-level preprocessor line except #include (so #define, pr_fmt
    and the #if structure stay as the tree has them);
  - the items named by a ROOT and every item of the file they name,
    transitively, except the --skip ones (the shim provides those).
This script is tdxsim's (MIT); what it writes is the tree's code and stays
in the build directory.
"""
import re
import sys

IDENT = re.compile(r"[A-Za-z_]\w*")


def strip_noise(text):
    """text with comments, strings and character constants blanked (same length)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j += 1
            out.append(c + " " * (j - i - 2) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_items(text):
    """[(kind, start, end)]: 'pp' preprocessor lines, 'item' top-level items."""
    clean = strip_noise(text)
    items = []
    i, n, depth, start = 0, len(clean), 0, None
    while i < n:
        c = clean[i]
        if depth == 0 and start is None:
            if c.isspace():
                i += 1
                continue
            if c == "#":
                j = i
                while True:
                    j = clean.find("\n", j)
                    if j < 0:
                        j = n
                        break
                    if clean[j - 1] != "\\":
                        break
                    j += 1
                items.append(("pp", i, j))
                i = j
                continue
            start = i
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
            if depth == 0 and c == "}":
                k = i + 1
                while k < n and clean[k] in " \t\n":
                    k += 1
                if k >= n or clean[k] not in ";,=":
                    items.append(("item", start, i + 1))
                    start = None
        elif c == ";" and depth == 0:
            items.append(("item", start, i + 1))
            start = None
        i += 1
    return clean, items


def item_name(clean, start, end):
    """The name an item defines: the identifier before its first '(' or '[' or '='."""
    head = clean[start:end]
    m = re.search(r"(\w+)\s*(?:\(|\[|=)", head)
    return m.group(1) if m else None


def main():
    args = sys.argv[1:]
    skip = set()
    if "--skip" in args:
        k = args.index("--skip")
        skip = set(args[k + 1:])
        args = args[:k]
    if len(args) < 4:
        sys.exit("usage: extract-functions.py SOURCE OUTPUT HEADER ROOT... [--skip NAME...]")
    source, output, header, roots = args[0], args[1], args[2], args[3:]
    text = open(source, encoding="utf-8", errors="replace").read()
    clean, items = split_items(text)
    defs = {}
    for idx, (kind, s, e) in enumerate(items):
        if kind == "item":
            name = item_name(clean, s, e)
            # A definition has a body; prototypes only name the function.
            if name and ("{" in clean[s:e] or "=" in clean[s:e]):
                defs.setdefault(name, []).append(idx)
    missing = [r for r in roots if r not in defs]
    if missing:
        print("extract-functions: %s defines no %s" % (source, ", ".join(missing)))
        sys.exit(1)
    wanted, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in wanted or name in skip:
            continue
        wanted.add(name)
        for idx in defs.get(name, []):
            _, s, e = items[idx]
            for ident in set(IDENT.findall(clean[s:e])):
                if ident in defs and ident not in wanted:
                    todo.append(ident)
    with open(output, "w") as f:
        f.write("/* Extracted by tools/kernel/extract-functions.py from %s: %s. */\n"
                % (source, ", ".join(sorted(wanted))))
        f.write("#include \"%s\"\n" % header)
        for idx, (kind, s, e) in enumerate(items):
            line = text[s:e]
            if kind == "pp":
                if not re.match(r"#\s*include\b", line):
                    f.write(line + "\n")
            elif item_name(clean, s, e) in wanted and idx in defs.get(item_name(clean, s, e), []):
                f.write("#line %d \"%s\"\n" % (text.count("\n", 0, s) + 1, source))
                f.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
