#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write tests/real-logs/ from the verbatim logs in fixtures/logs: the same
kernel messages reshaped into the forms people paste (journalctl, dmesg
-T/-x/-r, syslog, mail quoting with wrapped lines, CRLF). Nothing is added
but the format (placeholder timestamps and host names) and the failure
lines the cited issues show. Run from the source root."""
import os, re
R = "fixtures/logs/"
out = "tests/real-logs/"

def msgs(path, keep):
    """The kernel messages of a verbatim log: decorations gone."""
    res = []
    for raw in open(R + path).read().splitlines():
        m = re.sub(r"^\s*(>\s*)*", "", raw)
        m = re.sub(r"^\[[ +0-9.]*\]\s*", "", m).strip()
        if keep(m):
            res.append(m)
    return res

emr = msgs("emr-kai-huang-v8.2.txt",
           lambda m: m.startswith("BIOS-e820:") or m.startswith("virt/tdx: CMR") or m.strip(".") == "")
emr = [m for m in emr if m]
# the cut after 0x8fffffff in the changelog: keep its "..." line
emr_fail = ["virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.",
            "virt/tdx: module initialization failed (-28)"]
arch = msgs("archercity-spr.txt", lambda m: m.startswith("BIOS-e820:"))
bao = msgs("baoquan-2node.txt", lambda m: m != "")
spr5 = msgs("spr-host-tdx-linux-5.txt", lambda m: m != "")

def write(name, header, lines, eol="\n"):
    with open(out + name, "w", newline="") as f:
        for h in header:
            f.write("# " + h + eol if h else "#" + eol)
        for l in lines:
            f.write(l + eol)

EMR_SRC = ["Source: canonical/tdx#135 (https://github.com/canonical/tdx/issues/135), the",
           "Emerald Rapids host as Kai Huang quoted its memory map and CMRs in",
           "'[PATCH v8 8.2/9] x86/virt/tdx: Reduce TDMR's reserved areas by using",
           "CMRs to find memory holes' (LKML, 9 Dec 2024,",
           "<20241209065016.242359-1-kai.huang@intel.com>), and the two failure lines",
           "the issue shows. The table is cut after 0x8fffffff as the changelog cut it."]
PH = "Timestamps and the host name are placeholders of the format, not the machine's."

# 1. journalctl -k, short-precise
j = ["Dec 09 06:50:16.%06d emr kernel: %s" % (i, m) for i, m in enumerate(emr + emr_fail)]
write("emr-135-journalctl-precise.log", EMR_SRC + [
    "Shape: journalctl -k -o short-precise. " + PH, "",
    "doctor-exit: 1",
    "doctor: PASS memory map", "doctor: WARN CPUs and packages", "doctor: WARN TDX in the BIOS",
    "doctor: PASS replay reproduces the log", "doctor: FAIL TDX module", "doctor: INFO Dynamic PAMT",
    "doctor: FAIL reserved areas", "doctor: INFO remedy", "doctor: INFO remedy"], j)

# 2. dmesg -T with CRLF line ends
t = ["[Mon Dec  9 06:50:%02d 2024] %s" % (i % 60, m) for i, m in enumerate(emr + emr_fail)]
write("emr-135-dmesg-T-crlf.log", EMR_SRC + [
    "Shape: dmesg -T, saved with CRLF line ends. " + PH, "",
    "doctor-exit: 1",
    "doctor: PASS memory map", "doctor: WARN CPUs and packages", "doctor: WARN TDX in the BIOS",
    "doctor: PASS replay reproduces the log", "doctor: FAIL TDX module", "doctor: INFO Dynamic PAMT",
    "doctor: FAIL reserved areas", "doctor: INFO remedy", "doctor: INFO remedy"], t, "\r\n")

# 3. quoted in a mail, a CMR line and an E820 line wrapped by the mail client
mail = []
for m in emr + emr_fail:
    line = "[    0.000000] " + m
    if m.startswith("virt/tdx: CMR: [0x1080000000,"):
        a, b = line.split(", ", 1)
        mail += ["> " + a + ",", "> " + b]
    elif m.endswith("] ACPI NVS"):
        mail += ["> " + line[:-len(" ACPI NVS")], "> ACPI NVS"]
    else:
        mail.append("> " + line)
write("emr-135-mail-wrapped.log", EMR_SRC + [
    "Shape: quoted in a reply ('> '), a CMR line wrapped inside its range and",
    "an E820 line wrapped before its type, as mail clients wrap long lines.", "",
    "doctor-exit: 1",
    "doctor: PASS memory map", "doctor: WARN CPUs and packages", "doctor: WARN TDX in the BIOS",
    "doctor: PASS replay reproduces the log", "doctor: FAIL TDX module", "doctor: INFO Dynamic PAMT",
    "doctor: FAIL reserved areas", "doctor: INFO remedy", "doctor: INFO remedy"], ["Lines from the box:"] + mail)

# 4. ArcherCity in dmesg -x form
x = ["kern  :info  : [    0.000000] " + m for m in arch]
write("archercity-spr-dmesg-x.log", [
    "Source: the Intel Eagle Stream 'ArcherCity' CRB (Sapphire Rapids) memory map",
    "posted to the openbmc list: Willy Tu quoting Chris Chen, 'Re:",
    "[phosphor-ipmi-flash]: Question about in-band update of BMC firmware', 13",
    "Jul 2022, <CAHwn2X=5L2uSgYBnbpC-trK1Tw-+chnwXd19WBiSd_9-vbwe=Q@mail.gmail.com>.",
    "Shape: dmesg -x (facility and level before the timestamp). No TDX lines:",
    "the CMRs are inferred and the checks say so.", "",
    "doctor-exit: 0",
    "doctor: WARN memory map", "doctor: WARN CPUs and packages", "doctor: WARN TDX in the BIOS",
    "doctor: INFO logged outcome", "doctor: PASS TDX module", "doctor: INFO Dynamic PAMT"], x)

# 5. Baoquan He's 2-node box with printk levels, a node line wrapped
lv = []
for m in bao:
    if m.startswith("node   1: [mem 0x0000000280000000"):
        a, b = m.split(" [mem ", 1)
        lv += ["<6>" + a, "[mem " + b]
    else:
        lv.append(("<6>" if m != "..." else "") + m)
write("baoquan-2node-levels.log", [
    "Source: LKML, Baoquan He, '[PATCH v3 0/1] mm: memmap defer init dosn't work",
    "as expected', 23 Dec 2020, <20201223080811.16211-1-bhe@redhat.com>: a 2-node",
    "box's memory map and node ranges.",
    "Shape: dmesg -r (printk levels '<6>', no timestamps); one node line",
    "wrapped before its range. No TDX lines: the CMRs are inferred.", "",
    "doctor-exit: 0",
    "doctor: WARN memory map", "doctor: WARN CPUs and packages", "doctor: WARN TDX in the BIOS",
    "doctor: INFO logged outcome", "doctor: PASS TDX module", "doctor: INFO Dynamic PAMT"], lv)

# 6. intel/tdx-linux#5 host lines in a syslog file: no memory map
s = ["Nov 12 10:00:00 spr kernel: " + m for m in spr5]
write("spr-tdx-linux-5-syslog.log", [
    "Source: https://github.com/intel/tdx-linux/issues/5, the SPR host's TDX",
    "lines as the report quotes them (KeyIDs, module 1.5 build 698, 4 CMRs).",
    "Shape: a syslog file (/var/log/kern.log). " + PH,
    "The report gives no memory map, so there is nothing to replay.", "",
    "doctor-exit: 2"], s)

# 7. canonical/tdx#415 GNR: module 2.0 line and the failure, no memory map
g = ["2025-05-20T10:00:00.000000+00:00 gnr kernel: " + m for m in [
    "virt/tdx: TDX module 2.0.08.00, build number 882, build date 0134fed5",
    "virt/tdx: initialization failed: TDMR [0x40000000, 0x80000000): reserved areas exhausted.",
    "virt/tdx: module initialization failed (-28)"]]
write("gnr-415-journalctl-iso.log", [
    "Source: https://github.com/canonical/tdx/issues/415 (Granite Rapids, HPE",
    "ProLiant DL380a Gen12, Ubuntu 25.04 kernel 6.14.0-1009-intel): the module",
    "line and the two failure lines the issue shows.",
    "Shape: journalctl -k -o short-iso-precise. " + PH,
    "The issue posts no memory map, so there is nothing to replay.", "",
    "doctor-exit: 2"], g)
