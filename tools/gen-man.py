#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write tdxsim's manual pages from the command's own --help texts, so the
pages cannot say something the program does not: tdxsim(1) from
'tdxsim --help', and one page per command, git-style (tdxsim-init(1) from
'tdxsim help init'), so that 'man tdxsim-init' works.

Usage: gen-man.py TDXSIM OUTDIR COMMAND...

COMMAND... are the commands meson expects a page for; a command that
'tdxsim --help' lists and that is not among them (or the reverse) is an
error, so the build breaks before a page goes missing.

The --help texts follow one layout, which is all this reads: 'Usage:'
lines, paragraphs, option lines indented by two spaces and starting with
'-' (their description continues on deeper-indented lines), other indented
lines (examples, formats: kept as they are), and an 'Exit status:'
paragraph.
"""
import os
import re
import subprocess
import sys

OPTION = re.compile(r"^ {1,8}(-[A-Za-z0-9?]|--[A-Za-z0-9])")
VERSION = re.compile(r"^tdxsim (\S+)")


def run(tdxsim, *args):
    proc = subprocess.run([tdxsim] + list(args), capture_output=True,
                          text=True, check=False, timeout=60)
    if proc.returncode != 0:
        sys.exit(f"gen-man.py: '{' '.join(['tdxsim'] + list(args))}' "
                 f"exited {proc.returncode}: {proc.stderr}")
    return proc.stdout


def roff(text):
    """Text as roff reads it literally: backslashes, hyphens (a plain '-'
    may become a typographic hyphen, which breaks copying an option), and
    a leading '.' or quote, which would be a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


def commands_of(top_help):
    """(name, summary) of each command the top-level help lists."""
    body = top_help.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    return [tuple(line.split(None, 1)) for line in body.splitlines()
            if line.strip()]


def split_usage(text):
    """The 'Usage:' lines (without the word) and the rest of the text."""
    lines = text.rstrip("\n").split("\n")
    usage = [lines[0][len("Usage: "):]]
    i = 1
    while i < len(lines) and lines[i].startswith("       "):
        usage.append(lines[i].strip())
        i += 1
    return usage, lines[i:]


# An option's spellings and its argument (one upper-case word), before its
# description: '-o, --output OUT  write ...', '-v, --verbose also print'.
TAG = re.compile(r"^((?:-{1,2}[A-Za-z0-9?][\w-]*,? ?)+(?:[A-Z][A-Z0-9_=.]*(?= |$))?)")


def option_entry(line):
    """An option line: its tag (the spellings and argument) and the first
    words of its description (none when the tag fills the column)."""
    text = line.strip()
    tag = TAG.match(text).group(1).strip()
    return tag, text[len(tag):].strip()


def body_roff(lines):
    """The text after the usage, in roff: paragraphs, .TP entries for
    options and commands, indented blocks unfilled and kept as they are,
    'Options:', 'Commands:' and 'Exit status:' as sections."""
    out = []
    mode = None     # None, "para", "entry", "pre" or "commands"

    def end_pre():
        if mode == "pre":
            out.extend([".fi", ".RE"])

    for line in lines:
        if not line.strip():
            end_pre()
            mode = None if mode != "commands" else mode
            continue
        if line.strip() in ("Options:", "Commands:"):
            end_pre()
            out.append(".SH " + line.strip()[:-1].upper())
            mode = "commands" if line.strip() == "Commands:" else None
            continue
        if line.startswith("Exit status:"):
            end_pre()
            out.extend([".SH EXIT STATUS", ".PP"])
            if line[len("Exit status:"):].strip():
                out.append(roff(line[len("Exit status:"):].strip()))
            mode = "para"
            continue
        if mode == "commands" and line.startswith("  "):
            name, summary = line.split(None, 1)
            out.extend([".TP", "\\fB%s\\fR" % roff(name), roff(summary)])
            continue
        if OPTION.match(line):
            end_pre()
            if ".SH OPTIONS" not in out:
                out.append(".SH OPTIONS")
            tag, desc = option_entry(line)
            out.extend([".TP", "\\fB%s\\fR" % roff(tag)] + ([roff(desc)] if desc else []))
            mode = "entry"
            continue
        if mode == "entry" and line.startswith("   "):
            out.append(roff(line.strip()))
            continue
        if line.startswith(" "):
            if mode != "pre":
                out.extend([".PP", ".RS 2", ".nf"])
                mode = "pre"
            out.append(roff(line[2:]))
            continue
        end_pre()
        if mode != "para":
            out.append(".PP")
            mode = "para"
        out.append(roff(line))
    end_pre()
    return out


def page(name, summary, version, usage, body, see_also):
    head = [
        '.TH %s 1 "" "tdxsim %s" "tdxsim manual"' % (name.upper(), version),
        ".SH NAME",
        "%s \\- %s" % (roff(name), roff(summary)),
        ".SH SYNOPSIS",
        ".nf",
    ]
    head += ["\\fB" + roff(u.split(" ", 1)[0]) + "\\fR" +
             (" " + roff(u.split(" ", 1)[1]) if " " in u else "") for u in usage]
    head += [".fi", ".SH DESCRIPTION"]
    tail = [".SH SEE ALSO", ",\n".join("\\fB%s\\fR(1)" % roff(s) for s in see_also)]
    return "\n".join(head + body + tail) + "\n"


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: gen-man.py TDXSIM OUTDIR COMMAND...")
    tdxsim, outdir, expected = sys.argv[1], sys.argv[2], sys.argv[3:]
    version = VERSION.match(run(tdxsim, "--version")).group(1)
    top = run(tdxsim, "--help")
    cmds = commands_of(top)
    names = [name for name, _ in cmds]
    if sorted(names) != sorted(expected):
        sys.exit("gen-man.py: 'tdxsim --help' lists %s, meson expects pages "
                 "for %s: update sim/meson.build" % (names, expected))
    usage, rest = split_usage(top)
    body = body_roff(rest)
    pages = {"tdxsim": page("tdxsim", "a userspace, hardware-faithful simulator "
                            "of Intel TDX", version, usage, body,
                            ["tdxsim-" + n for n in names])}
    for name, summary in cmds:
        usage, rest = split_usage(run(tdxsim, "help", name))
        pages["tdxsim-" + name] = page("tdxsim-" + name, summary, version,
                                       usage, body_roff(rest), ["tdxsim"])
    for name, text in pages.items():
        with open(os.path.join(outdir, name + ".1"), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
