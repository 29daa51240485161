#!/usr/bin/env python3
"""Where a QEMU run spends its time, by guest PC: samples every CPU's PC and
Exception level through QEMU's human monitor (`info registers -a`, ~30 times
a second) until the console prints --until, then prints the most frequent
(CPU, EL, PC), EL2 PCs named from build/hypnest.elf (addr2line). A CPU halted
in WFI shows the instruction after it. For a Linux guest boot it with
`nokaslr` and name its PCs with --kallsyms FILE, the text symbols of
/proc/kallsyms from any `nokaslr` boot of the same kernel (kernel addresses,
at any EL, are named from it; hypnest's from its ELF); --by-function adds a
table of samples by function name.

usage: scripts/pc-sample.py [--until REGEX] [--top N] -- QEMU-COMMAND...
QEMU-COMMAND is the qemu-system-aarch64 line itself (the one `make run`
prints, or harness/hvqemu.py builds); -monitor is appended to it."""
import argparse
import collections
import os
import re
import socket
import subprocess
import sys
import threading
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ELF = os.path.join(ROOT, "build", "hypnest.elf")
REGS = re.compile(rb"CPU#(\d+)[\s\S]*?PC=([0-9a-f]+)[\s\S]*?PSTATE=[0-9a-f]+ "
                  rb"[-NZCV]+ (EL\d)")


def sample(sock, hist, stop):
    while not stop.is_set():
        sock.sendall(b"info registers -a\n")
        data, t = b"", time.time()
        while time.time() - t < 0.3:
            try:
                data += sock.recv(65536)
            except socket.timeout:
                break
        for m in REGS.finditer(data):
            hist[(int(m.group(1)), m.group(3).decode(),
                  int(m.group(2), 16))] += 1
        time.sleep(0.02)


def load_kallsyms(path):
    """sorted [(address, name)] of a /proc/kallsyms text"""
    syms = []
    for line in open(path):
        f = line.split()
        if len(f) >= 3 and f[1] in "tT":
            syms.append((int(f[0], 16), f[2]))
    return sorted(syms)


def kernel_name(syms, pc):
    import bisect
    i = bisect.bisect_right(syms, (pc, "\xff")) - 1
    return "%s+0x%x" % (syms[i][1], pc - syms[i][0]) if i >= 0 else "?"


def name_of(pc, syms=None):
    if syms and pc >= 1 << 63:
        return kernel_name(syms, pc)
    out = subprocess.run(["aarch64-linux-gnu-addr2line", "-f", "-e", ELF,
                          hex(pc)], capture_output=True, text=True).stdout
    return out.split("\n")[0] if out else "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--until", default=r"# ")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--kallsyms")
    ap.add_argument("--by-function", action="store_true")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = [c for c in a.cmd if c != "--"]
    path = "/tmp/pc-sample-%d.sock" % os.getpid()
    cmd += ["-monitor", "unix:%s,server,nowait" % path]
    p = pexpect.spawn(cmd[0], cmd[1:], timeout=900)
    sock = socket.socket(socket.AF_UNIX)
    for _ in range(100):
        try:
            sock.connect(path)
            break
        except OSError:
            time.sleep(0.05)
    sock.settimeout(0.5)
    hist, stop = collections.Counter(), threading.Event()
    th = threading.Thread(target=sample, args=(sock, hist, stop))
    th.start()
    start = time.monotonic()
    p.expect(a.until)
    stop.set()
    th.join()
    p.terminate(force=True)
    total = sum(hist.values())
    print("%.1f s to %r, %d samples" % (time.monotonic() - start, a.until,
                                         total))
    by_el = collections.Counter()
    for (cpu, el, _), n in hist.items():
        by_el[(cpu, el)] += n
    print("by CPU and EL:", dict(sorted(by_el.items())))
    syms = load_kallsyms(a.kallsyms) if a.kallsyms else None
    named = lambda el, pc: (name_of(pc, syms) if el == "EL2" or
                            (syms and pc >= 1 << 63) else "")
    for (cpu, el, pc), n in hist.most_common(a.top):
        print("%5d  cpu%d %s 0x%x %s" % (n, cpu, el, pc, named(el, pc)))
    if a.by_function:
        fns = collections.Counter()
        for (cpu, el, pc), n in hist.items():
            fns[(cpu, el, named(el, pc).split("+")[0])] += n
        print("by function:")
        for (cpu, el, fn), n in fns.most_common(a.top):
            print("%5d  cpu%d %s %s" % (n, cpu, el, fn))


if __name__ == "__main__":
    sys.exit(main())
