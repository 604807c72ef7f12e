#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The pictures of `tdxsim show --svg` and `tdxsim tdmr --svg` as a reader
sees them: well-formed XML; axis labels that never overlap, the roundest
addresses labelled first; a look (colour and overlay) of its own for each
of 72 NUMA nodes or TDMRs in a row; reserved areas in greys that no TDMR
or PAMT uses; a legend entry for every kind of item drawn.

The geometry is the one sim/svg.c writes: axis labels are 10 px DejaVu Sans
Mono (an advance of 0.602 em), anchored at their end and turned by -45
degrees about that end.

Environment: TDXSIM_CLI (the binary), TDXSIM_SOURCE_ROOT (the source tree),
optional TDXSIM_CLI_WRAPPER run in front of every invocation.
"""
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

from clitest import CLI, ROOT, check, finish, run

NS = "{http://www.w3.org/2000/svg}"
STRATEGIES = ("linux", "linux-cmr", "tdxsim")

FONT_PX = 10.0
ADVANCE = 0.602 * FONT_PX
ASCENT, DESCENT = 0.8 * FONT_PX, 0.2 * FONT_PX   # a 1 em glyph box
LABEL_SPACING = 17.0                             # sim/svg.c
PALETTE_RUN = 72                                 # SVG_PALETTE_COLOURS x SVG_PATTERNS
MIN_DELTA_E = 15.0                               # between palette colours
MIN_CHROMA, MAX_GREY_CHROMA = 15.0, 3.0

def picture(tmpdir, *args):
    """Run a command with --svg and parse what it wrote (None if it could
    not be parsed: that fails the well-formedness check)."""
    path = os.path.join(tmpdir, "picture.svg")
    if os.path.exists(path):
        os.unlink(path)
    code, _, err = run(*args, "--svg", path)
    name = " ".join(os.path.basename(a) for a in args)
    if not check("%s: exit 0 or 1" % name, code in (0, 1), "exit %d: %s" % (code, err)):
        return None
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        check("%s: well-formed XML" % name, False, str(exc))
        return None
    check("%s: well-formed XML" % name, root.tag == NS + "svg", root.tag)
    return root


# ---- axis labels -------------------------------------------------------

def label_boxes(root):
    """Each axis label as (along, across) intervals in the frame turned by
    -45 degrees, in which every label is an axis-aligned box."""
    boxes = []
    c = math.cos(math.radians(45))
    for t in root.iter(NS + "text"):
        if t.get("class") != "svg-alabel":
            continue
        x, y = float(t.get("x")), float(t.get("y"))
        m = re.fullmatch(r"rotate\(-45 ([\d.]+) ([\d.]+)\)", t.get("transform") or "")
        if not m or abs(float(m.group(1)) - x) > 0.01 or abs(float(m.group(2)) - y) > 0.01:
            return None     # a geometry this test does not model
        along = x * c - y * c      # unit vector (cos -45, sin -45)
        across = x * c + y * c     # unit vector (sin 45, cos 45)
        length = ADVANCE * len(t.text or "")
        boxes.append(((along - length, along), (across - ASCENT, across + DESCENT), t.text))
    return boxes


def overlaps(boxes):
    """Pairs of boxes that share area: a sweep over the across axis."""
    found = []
    ordered = sorted(boxes, key=lambda b: b[1][0])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b[1][0] >= a[1][1]:
                break
            if a[0][0] < b[0][1] and b[0][0] < a[0][1]:
                found.append((a[2], b[2]))
    return found


def axis_labels(root):
    """x of the tick each label belongs to (sim/svg.c writes it 3 px to the
    right of its tick) -> the address it names."""
    return {float(t.get("x")) - 3: int(t.text, 16) for t in root.iter(NS + "text")
            if t.get("class") == "svg-alabel"}


def ticks(root, labels):
    """(x, labelled) of every boundary tick of the axis (its horizontal
    line left out)."""
    group = [g for g in root.iter(NS + "g") if g.get("class") == "svg-axisgroup"]
    xs = []
    for line in group[0].iter(NS + "line") if group else []:
        if line.get("y1") != line.get("y2"):
            xs.append(float(line.get("x1")))
    return [(x, any(abs(lx - x) < 0.02 for lx in labels)) for x in xs]


def alignment(v):
    return 64 if v == 0 else (v & -v).bit_length() - 1


def check_labels(name, root):
    boxes = label_boxes(root)
    if not check("%s: axis labels have the modelled geometry" % name, boxes is not None):
        return
    check("%s: some axis labels" % name, len(boxes) > 1, len(boxes))
    bad = overlaps(boxes)
    check("%s: no two axis labels overlap" % name, not bad, bad[:3])
    check_label_room(name, root)
    # Roundest first: an unlabelled boundary has a label within the
    # spacing that is at least as round.
    labels = axis_labels(root)
    tick_list = ticks(root, labels)
    titled = boundary_addresses(root)
    kept = tick_addresses(root)
    if len(kept) < len(titled):
        # A thinned axis (sim/svg.c, MAX_AXIS_W): its ticks are the
        # roundest of the items' boundaries, first and last included. (The
        # tooltips show only the boundaries of what is drawn on its own
        # and of the run blocks, so they are compared, not required.)
        dropped = sorted(set(titled) - set(kept))
        check("%s: a thinned axis keeps the ends" % name,
              kept[0] == titled[0] and kept[-1] == titled[-1])
        check("%s: a thinned axis keeps the roundest" % name,
              min(alignment(a) for a in kept[1:-1]) >= max(alignment(a) for a in dropped))
        titled = kept
    check("%s: each label names its boundary" % name,
          all(titled[i] == labels[lx] for i, (x, on) in enumerate(tick_list)
              if on and i < len(titled) for lx in labels if abs(lx - x) < 0.02))
    lost = []
    for i, (x, labelled) in enumerate(tick_list):
        if labelled or i >= len(titled):
            continue
        # (positions are written to 0.01 px)
        near = [a for lx, a in labels.items() if abs(lx - x) < LABEL_SPACING + 0.02]
        if not near or max(alignment(a) for a in near) < alignment(titled[i]):
            lost.append(hex(titled[i]))
    check("%s: a boundary goes unlabelled only for a rounder neighbour" % name,
          len(tick_list) == len(titled) and not lost, (len(tick_list), len(titled), lost[:3]))


def check_label_room(name, root):
    """Labels stay right of the picture's left edge and above the note."""
    c = math.cos(math.radians(45))
    note = [float(t.get("y")) for t in root.iter(NS + "text") if t.get("class") == "svg-note"]
    worst_left, worst_low = 1e9, 0.0
    for t in root.iter(NS + "text"):
        if t.get("class") != "svg-alabel":
            continue
        x, y, n = float(t.get("x")), float(t.get("y")), ADVANCE * len(t.text)
        worst_left = min(worst_left, x - c * (n + ASCENT))
        worst_low = max(worst_low, y + c * (n + DESCENT))
    check("%s: labels inside the picture (left %.1f)" % (name, worst_left), worst_left >= 0)
    check("%s: labels above the note" % name,
          note and worst_low < note[0] - FONT_PX, (worst_low, note))


def tick_addresses(root):
    """The address each boundary tick says it stands for (data-addr)."""
    group = [g for g in root.iter(NS + "g") if g.get("class") == "svg-axisgroup"]
    return [int(line.get("data-addr"), 16) for line in group[0].iter(NS + "line")
            if line.get("data-addr")] if group else []


def boundary_addresses(root):
    """Every start and end of every drawn item, from the tooltips'
    [0xA, 0xB) and [mem 0xA-0xB] ranges, sorted and distinct."""
    found = set()
    for title in root.iter(NS + "title"):
        text = title.text or ""
        m = re.search(r"\[(0x[0-9a-f]+), (0x[0-9a-f]+)\)", text)
        if m:
            found |= {int(m.group(1), 16), int(m.group(2), 16)}
            continue
        m = re.search(r"\[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]", text)
        if m:
            found |= {int(m.group(1), 16), int(m.group(2), 16) + 1}
    return sorted(found)


def test_label_checker():
    # Passing and failing cases of the overlap model itself.
    def label(x, text="0x100000000"):
        return ET.fromstring('<text xmlns="http://www.w3.org/2000/svg" class="svg-alabel" '
                             'x="%g" y="200" transform="rotate(-45 %g 200)">%s</text>'
                             % (x, x, text))

    def doc(xs):
        root = ET.Element(NS + "svg")
        root.extend(label(x) for x in xs)
        return root
    check("checker: labels 17 px apart do not overlap", not overlaps(label_boxes(doc([100, 117]))))
    check("checker: labels 12 px apart overlap", overlaps(label_boxes(doc([100, 112]))))
    check("checker: 'the last label' overlaps too", overlaps(label_boxes(doc([100, 140, 150]))))


# ---- colours -----------------------------------------------------------

def lab(colour):
    """CIE L*a*b* (D65) of #rrggbb."""
    def linear(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(a, b):
    return math.dist(lab(a), lab(b))


def chroma(colour):
    _, a, b = lab(colour)
    return math.hypot(a, b)


def looks(group, title_re):
    """index -> (fill, overlay) of the items of a track whose tooltip
    matches title_re (group 1 the index); an overlay is the svg-overlay
    rect drawn right after its item."""
    found = {}
    children = list(group)
    for i, el in enumerate(children):
        title = el.findtext(NS + "title") or ""
        m = re.match(title_re, title)
        if el.tag != NS + "rect" or not m:
            continue
        fill = re.search(r"fill:(#[0-9a-f]{6})", el.get("style") or "")
        overlay = None
        nxt = children[i + 1] if i + 1 < len(children) else None
        if nxt is not None and nxt.get("class") == "svg-overlay":
            overlay = re.search(r"url\(#([\w-]+)\)", nxt.get("style") or "").group(1)
        found.setdefault(int(m.group(1)), set()).add((fill.group(1) if fill else None, overlay))
    return found


def groups(root):
    return {g.get("id"): g for g in root.iter(NS + "g") if g.get("id")}


def legend_texts(root):
    return [t.text for t in root.iter(NS + "text") if t.get("class") == "svg-ltext"]


def check_palette(name, per_index, count):
    """Items 0..count-1 of a kind: one look each, pairwise different."""
    single = all(len(v) == 1 for v in per_index.values())
    check("%s: every range of one item has one look" % name, single, per_index)
    got = [next(iter(per_index[i])) for i in range(count) if i in per_index]
    check("%s: %d items drawn" % (name, count), len(got) == count, len(got))
    run = got[:PALETTE_RUN]
    check("%s: looks of the first %d pairwise different" % (name, len(run)),
          len(set(run)) == len(run), "%d looks for %d items" % (len(set(run)), len(run)))
    colours = sorted({fill for fill, _ in got if fill})
    close = [(a, b) for i, a in enumerate(colours) for b in colours[i + 1:]
             if delta_e(a, b) < MIN_DELTA_E]
    check("%s: palette colours at least dE %g apart" % (name, MIN_DELTA_E), not close, close)
    grey = [c for c in colours if chroma(c) < MIN_CHROMA]
    check("%s: palette colours are not greys" % name, not grey, grey)
    return got


def test_nodes(tmpdir):
    """80 NUMA nodes: the first 72 look pairwise different, then the
    looks start over (docs/cli.md)."""
    path = os.path.join(tmpdir, "n80.yaml")
    subprocess.run([sys.executable, os.path.join(ROOT, "tools/gen-platform.py"),
                    "--sockets", "8", "--nodes", "80", "--ram-per-node", "2",
                    "-o", path], check=True)
    root = picture(tmpdir, "show", path)
    if root is None:
        return
    check_labels("show 80 nodes", root)
    nodes = looks(groups(root).get("track-numa", ET.Element("g")), r"node (\d+):")
    got = check_palette("show 80 nodes", nodes, 80)
    if len(got) == 80:
        check("show 80 nodes: node 72 starts the looks over", got[72] == got[0],
              (got[72], got[0]))
    check("show 80 nodes: legend has a NUMA entry",
          any(t.startswith("NUMA node") for t in legend_texts(root)), legend_texts(root))


def css_fills(root):
    style = "".join(s.text or "" for s in root.iter(NS + "style"))
    return dict(re.findall(r"\.([\w-]+)\{fill:(#[0-9a-f]{6})", style))


def test_tdmr(tmpdir, fixture, strategy, tdmrs):
    name = "tdmr -s %s %s" % (strategy, os.path.basename(fixture))
    root = picture(tmpdir, "tdmr", "-s", strategy, fixture)
    if root is None:
        return
    check_labels(name, root)
    g = groups(root)
    per_tdmr = looks(g.get("track-tdmr", ET.Element("g")), r"TDMR (\d+):")
    got = check_palette(name, per_tdmr, tdmrs)
    per_pamt = looks(g.get("track-pamt", ET.Element("g")), r"PAMT \w+ of TDMR (\d+):")
    check("%s: each PAMT looks like its TDMR" % name,
          all(per_pamt[i] <= per_tdmr.get(i, set()) for i in per_pamt), per_pamt)
    fills = css_fills(root)
    reserved = {k: v for k, v in fills.items() if k.startswith("rsvd-")}
    check("%s: three reserved-area colours" % name, len(reserved) == 3, reserved)
    check("%s: reserved areas are greys" % name,
          all(chroma(c) < MAX_GREY_CHROMA for c in reserved.values()), reserved)
    check("%s: no TDMR or PAMT in a reserved area's colour" % name,
          not {fill for fill, _ in got} & set(reserved.values()))
    texts = legend_texts(root)
    check("%s: legend has the TDMR entry" % name,
          any(t.startswith("TDMR") for t in texts), texts)


def test_show_fixtures(tmpdir):
    platforms = os.path.join(ROOT, "fixtures/platforms")
    for name in sorted(os.listdir(platforms)):
        if not name.endswith(".yaml"):
            continue
        root = picture(tmpdir, "show", os.path.join(platforms, name))
        if root is None:
            continue
        check_labels("show " + name, root)
        has_nodes = "track-numa" in groups(root)
        check("show %s: a NUMA legend entry exactly when nodes are drawn" % name,
              has_nodes == any(t.startswith("NUMA node") for t in legend_texts(root)))


def test_many_boundaries(tmpdir):
    """2000 E820 entries: hundreds of boundaries, and still no overlap."""
    path = os.path.join(tmpdir, "e2000.yaml")
    subprocess.run([sys.executable, os.path.join(ROOT, "tools/gen-platform.py"),
                    "--sockets", "4", "--entries", "2000", "-o", path], check=True)
    for args in (("show", path), ("tdmr", "-s", "tdxsim", path)):
        root = picture(tmpdir, *args)
        if root is not None:
            check_labels(" ".join(args[:-1]) + " 2000 entries", root)


MAX_WIDTH = 6000 + 128 + 16 + 48          # sim/svg.c: MAX_AXIS_W and margins


def track_counts(root):
    """Per track id: (items drawn one by one, items inside run blocks)."""
    counts = {}
    for g in root.iter(NS + "g"):
        if g.get("class") != "svg-track":
            continue
        single = merged = 0
        for rect in g.iter(NS + "rect"):
            css = rect.get("class", "").split()
            if "svg-aggregate" in css:
                merged += int(rect.get("data-items"))
            elif "svg-item" in css:
                single += 1
        counts[g.get("id")] = (single, merged)
    return counts


def test_huge_map(tmpdir):
    """100 000 E820 entries: a bounded width, and every entry accounted for
    either as itself or in the count of a run block."""
    path = os.path.join(tmpdir, "e100k.yaml")
    subprocess.run([sys.executable, os.path.join(ROOT, "tools/gen-platform.py"), "--seed", "7",
                    "--sockets", "8", "--ram-per-node", "1024", "--low-holes", "20",
                    "--entries", "100000", "-o", path], check=True)
    start = time.monotonic()
    root = picture(tmpdir, "show", path)
    print("show --svg of 100 000 entries: %.2f s" % (time.monotonic() - start))
    if root is None:
        return
    width = float(root.get("width"))
    check("100k: width %.0f within %d px" % (width, MAX_WIDTH), width <= MAX_WIDTH, width)
    counts = track_counts(root)
    for track, total in (("track-e820", 100000), ("track-numa", 50000), ("track-cmr", 9)):
        single, merged = counts.get(track, (0, 0))
        check("100k: %s draws or counts all %d items" % (track, total),
              single + merged == total, counts.get(track))
    check("100k: runs were merged", counts.get("track-e820", (0, 0))[1] > 0, counts)
    check("100k: the legend names the run blocks",
          any("too narrow" in t for t in legend_texts(root)), legend_texts(root))
    check_labels("show 100k", root)
    small = picture(tmpdir, "show", os.path.join(ROOT, "fixtures/platforms/synth-8s-snc2.yaml"))
    if small is not None:
        check("8 sockets: nothing merged below the bound",
              all(m == 0 for _, m in track_counts(small).values()), track_counts(small))


def main():
    if not CLI or not ROOT:
        print("TDXSIM_CLI and TDXSIM_SOURCE_ROOT must be set; skipping")
        return 77
    test_label_checker()
    eight = os.path.join(ROOT, "fixtures/platforms/synth-8s-snc2.yaml")
    emr = os.path.join(ROOT, "fixtures/platforms/emr-canonical-tdx-135.yaml")
    with tempfile.TemporaryDirectory() as tmpdir:
        test_show_fixtures(tmpdir)
        test_nodes(tmpdir)
        test_tdmr(tmpdir, eight, "linux", 64)
        for strategy in STRATEGIES:
            test_tdmr(tmpdir, emr, strategy, 2 if strategy == "tdxsim" else 5)
        test_many_boundaries(tmpdir)
        test_huge_map(tmpdir)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
