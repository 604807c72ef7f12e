# SPDX-License-Identifier: MIT
"""What the tests of the man pages and the bash completion read from
tdxsim's --help texts: the commands and each command's options, and a
pass/fail tally."""
import re
import subprocess

# An option line of a --help text: indented, its spellings, then an
# upper-case argument or not, then the description.
OPTION_LINE = re.compile(r"^ {1,8}(--?[A-Za-z0-9?].*)$")
SPELLING = re.compile(r"(?<![\w-])(--?[A-Za-z0-9][\w-]*)")
TAG = re.compile(r"^((?:-{1,2}[A-Za-z0-9?][\w-]*,? ?)+)([A-Z][A-Z0-9_=.]*(?= |$))?")


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: %s %s" % (name, detail))

    def report(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0


def run(cli, *args):
    proc = subprocess.run([cli] + list(args), capture_output=True, text=True,
                          timeout=60)
    return proc.stdout


def commands(top_help):
    """The command names 'tdxsim --help' lists."""
    body = top_help.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in body.splitlines() if line.strip()]


def options(text):
    """{spelling: takes a value} of the option lines of a --help text."""
    found = {}
    for line in text.splitlines():
        m = OPTION_LINE.match(line)
        if not m:
            continue
        tag = TAG.match(m.group(1))
        for spelling in SPELLING.findall(tag.group(1)):
            found[spelling] = tag.group(2) is not None
    return found


def self_test(tally):
    """The parser on a text with every form of option line."""
    tally.check("help parser: options and their values",
                options("  -o, --output OUT  write\n      --boot N  the Nth\n"
                        "  -v, --verbose also print\n  -h, --help  show\n"
                        "Text -x --not-an-option\n") ==
                {"-o": True, "--output": True, "--boot": True, "-v": False,
                 "--verbose": False, "-h": False, "--help": False})
    tally.check("help parser: commands",
                commands("Commands:\n  check   a\n  init    b\n\nRun") ==
                ["check", "init"])
