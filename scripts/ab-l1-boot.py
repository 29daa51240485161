#!/usr/bin/env python3
"""A/B of hypnest binaries on the boot of the L1 guest hypervisor: boots
Debian's 6.12 with the L1 initramfs (2 vCPUs, 1 GiB, as `make run
NESTED=1`) under each binary in turn, ROUNDS times, interleaved, and prints
the wall-clock seconds from QEMU's start to each boot phase and their
medians. `make bench` measures the current build only; on this shared
machine one run of each says nothing, so compare medians of interleaved
rounds (docs/perf.md).

usage: scripts/ab-l1-boot.py [--rounds N] [--el2 vhe|nvhe] [--initrd FILE]
                             NAME=HYPNEST.BIN[@vhe|@nvhe] ...
       NAME=bare boots the same kernel at QEMU's own EL2 (make bench's
       reference), without hypnest
e.g.   cp build/hypnest.bin /tmp/a.bin; (change, make); \\
       scripts/ab-l1-boot.py a=/tmp/a.bin b=build/hypnest.bin"""
import argparse
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "harness"))

import pexpect  # noqa: E402

import hvqemu  # noqa: E402
import test_nested_linux as tnl  # noqa: E402

PHASES = [("kernel", r"Booting Linux"), ("initrd", r"Freeing initrd"),
          ("init", r"Run /init"), ("prompt", tnl.L1_PROMPT)]


def boot(name, hyp, el2, initrd):
    """{phase: seconds from QEMU's start}, L1 powered off after"""
    img = os.path.join(hvqemu.ASSETS, "Image-6.12")
    if hyp == "bare":
        # the reference of make bench: the kernel at QEMU's own EL2
        args = hvqemu.machine() + [
            "-smp", "2", "-m", "1G", "-nodefaults", "-display", "none",
            "-serial", "stdio", "-kernel", img, "-initrd", initrd,
            "-append", hvqemu.GUEST_CMDLINE]
    else:
        args = hvqemu.base_args(smp=2, mem="2G") + hvqemu.linux_args(
            hyp, img, initrd, cpus=2, guest_mem=1024,
            hyp_append="guest.el2=%s" % el2)
    c = tnl.Console("ab-%s" % name, hvqemu.QEMU, args)
    try:
        marks = {}
        for phase, pattern in PHASES:
            c.expect(pattern, tnl.L1_TIMEOUT, phase)
            marks[phase] = time.monotonic() - c.start
        c.p.send("poweroff\n")
        c.expect(pexpect.EOF, tnl.CMD_TIMEOUT, "QEMU's exit")
        return marks
    finally:
        c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--el2", default="vhe", choices=("vhe", "nvhe"))
    ap.add_argument("--initrd", default=os.path.join(hvqemu.ASSETS,
                                                     "l1-initramfs.cpio"))
    ap.add_argument("bins", nargs="+", metavar="NAME=HYPNEST.BIN")
    a = ap.parse_args()
    bins = [b.split("=", 1) for b in a.bins]
    # NAME=BIN@MODE boots that entry with guest.el2=MODE (default --el2)
    bins = [(n, h.rsplit("@", 1)[0],
             h.rsplit("@", 1)[1] if "@" in h else a.el2) for n, h in bins]
    res = {name: [] for name, _, _ in bins}
    for r in range(a.rounds):
        for name, hyp, el2 in bins:
            m = boot(name, hyp if hyp == "bare" else os.path.abspath(hyp),
                     el2, a.initrd)
            res[name].append(m)
            print("round %d %-10s %s" % (r + 1, name, "  ".join(
                "%s %.2f" % (p, m[p]) for p, _ in PHASES)), flush=True)
    for name, _, _ in bins:
        print("median %-9s %s" % (name, "  ".join(
            "%s %.2f" % (p, statistics.median(m[p] for m in res[name]))
            for p, _ in PHASES)))


if __name__ == "__main__":
    main()
