#!/usr/bin/env python3
"""Benchmarks: prints figures and writes them to docs/perf.md.

Each benchmark owns a section of docs/perf.md between
<!-- bench:NAME --> and <!-- /bench:NAME --> and rewrites only that.
Wall-clock figures from QEMU TCG on a shared machine are noisy: compare
figures taken in one run, and read medians, not single samples.
usage: bench.py [--runs N] [--no-write]
"""
import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hvqemu  # noqa: E402

PERF_MD = os.path.join(hvqemu.ROOT, "docs", "perf.md")


def time_boot(image, smp, mem):
    """Seconds from QEMU's start to hypnest's first line, to the banner's
    last line, and to QEMU's exit."""
    r = hvqemu.Run("bench-boot", hvqemu.base_args(smp=smp, mem=mem) +
                   hvqemu.kernel_args(image), timeout=60)
    try:
        r.expect(r"hypnest \S+ starting")
        first = time.monotonic() - r.start
        r.expect(r"features: ")
        banner = time.monotonic() - r.start
        status = r.wait_exit()
        done = time.monotonic() - r.start
    finally:
        r.close()
    if status != 0:
        raise SystemExit("boot failed (status %s): see %s" % (status,
                                                             r.log_path))
    return first, banner, done


def bench_boot_banner(runs):
    image = os.path.join(hvqemu.BUILD, "hypnest.bin")
    rows = []
    for smp, mem in [(1, "512M"), (2, "1G")]:
        samples = [time_boot(image, smp, mem) for _ in range(runs)]
        med = [statistics.median(s[i] for s in samples) for i in range(3)]
        rows.append((smp, mem, med, min(s[1] for s in samples),
                     max(s[1] for s in samples)))
        print("boot-to-banner smp=%d mem=%s: first line %.3f s, banner "
              "%.3f s (min %.3f, max %.3f), exit %.3f s" %
              (smp, mem, med[0], med[1], rows[-1][3], rows[-1][4], med[2]))
    lines = ["## Boot to banner", "",
             "hypnest alone (no guest): QEMU start to hypnest's first log "
             "line, to the end of its banner, and to QEMU's exit. Median of "
             "%d runs." % runs, "",
             "| CPUs | RAM | first line (s) | banner (s) | banner min-max (s) "
             "| exit (s) |", "|---|---|---|---|---|---|"]
    for smp, mem, med, lo, hi in rows:
        lines.append("| %d | %s | %.3f | %.3f | %.3f-%.3f | %.3f |" %
                     (smp, mem, med[0], med[1], lo, hi, med[2]))
    return "boot-banner", lines


def time_linux(args, name):
    """Seconds from QEMU's start to the guest's ready marker, to its first
    shell prompt, and to QEMU's exit after `poweroff -f`; and the console."""
    r = hvqemu.Run(name, args, timeout=600)
    try:
        r.expect(hvqemu.READY_RE)
        ready = time.monotonic() - r.start
        r.expect(r"# ")
        prompt = time.monotonic() - r.start
        r.send("poweroff -f\n")
        status = r.wait_exit(timeout=120)
        done = time.monotonic() - r.start
        out = r.output()
    finally:
        r.close()
    if status != 0:
        raise SystemExit("%s failed (status %s): see %s" % (name, status,
                                                           r.log_path))
    return (ready, prompt, done), out


def bench_linux_boot(runs, kernel="Image-6.12", cpus=2, mem_mb=256):
    """The same kernel and initramfs on bare QEMU (the guest at EL1, no
    hypervisor) and under hypnest, runs interleaved so that machine noise
    hits both alike."""
    subprocess.run(["bash", os.path.join(hvqemu.ROOT, "scripts",
                                         "guest-assets.sh")], check=True,
                   stdout=subprocess.DEVNULL)
    img = os.path.join(hvqemu.ASSETS, kernel)
    initrd = os.path.join(hvqemu.ASSETS, "initramfs.cpio")
    hyp = os.path.join(hvqemu.BUILD, "hypnest.bin")
    bare_args = hvqemu.base_args(smp=cpus, mem="%dM" % mem_mb,
                                 virtualization=False) + [
        "-kernel", img, "-initrd", initrd, "-append", hvqemu.GUEST_CMDLINE]
    hyp_args = hvqemu.base_args(smp=cpus) + hvqemu.linux_args(
        hyp, img, initrd, cpus=cpus, guest_mem=mem_mb)
    bare, under, exits = [], [], []
    for _ in range(runs):
        bare.append(time_linux(bare_args, "bench-linux-bare")[0])
        t, out = time_linux(hyp_args, "bench-linux-hypnest")
        under.append(t)
        exits.append(sum(int(n) for n in re.findall(
            r"vcpu\d+: (\d+) exits", out)))
    med_b = [statistics.median(x[i] for x in bare) for i in range(3)]
    med_h = [statistics.median(x[i] for x in under) for i in range(3)]
    ratio = med_h[1] / med_b[1]
    print("linux %s %d vCPUs: bare QEMU prompt %.2f s, under hypnest "
          "%.2f s: ratio %.2f; %d exits (median)" % (
              kernel, cpus, med_b[1], med_h[1], ratio,
              statistics.median(exits)))
    lines = ["## Linux boot: bare QEMU vs under hypnest", "",
             "Debian %s with the busybox initramfs, %d vCPUs, %d MiB: QEMU "
             "start to the init script's ready marker, to the first shell "
             "prompt, and to QEMU's exit after `poweroff -f`. Bare QEMU runs "
             "the kernel at EL1 with QEMU's own GIC; under hypnest it runs "
             "at EL1 on the emulated GIC and UART. Median of %d runs each, "
             "interleaved." % (kernel, cpus, mem_mb, runs), "",
             "| | ready (s) | prompt (s) | poweroff (s) |", "|---|---|---|---|",
             "| bare QEMU | %.2f | %.2f | %.2f |" % tuple(med_b),
             "| hypnest | %.2f | %.2f | %.2f |" % tuple(med_h), "",
             "**Ratio hypnest / bare QEMU, to the prompt: %.2f.** "
             "Exits taken by hypnest in one boot-to-poweroff (all vCPUs, "
             "median): %d." % (ratio, statistics.median(exits))]
    return "linux-boot", lines


def bench_linux_el2(runs, kernel="Image-6.12", cpus=2, mem_mb=256):
    """The same kernel as a guest hypervisor: on bare QEMU at its real EL2
    (KVM comes up there, VHE) and under hypnest at virtual EL2, VHE and
    nVHE; to the shell prompt. Interleaved."""
    img = os.path.join(hvqemu.ASSETS, kernel)
    initrd = os.path.join(hvqemu.ASSETS, "initramfs.cpio")
    hyp = os.path.join(hvqemu.BUILD, "hypnest.bin")
    cases = [
        ("bare QEMU, real EL2", hvqemu.base_args(
            smp=cpus, mem="%dM" % mem_mb, virtualization=True) + [
            "-kernel", img, "-initrd", initrd,
            "-append", hvqemu.GUEST_CMDLINE]),
    ]
    for el2 in ("vhe", "nvhe"):
        cases.append(("hypnest, virtual EL2 (%s)" % el2,
                      hvqemu.base_args(smp=cpus) + hvqemu.linux_args(
                          hyp, img, initrd, cpus=cpus, guest_mem=mem_mb,
                          hyp_append="guest.el2=%s" % el2)))
    times = {name: [] for name, _ in cases}
    for _ in range(runs):
        for name, args in cases:
            times[name].append(time_linux(args, "bench-linux-el2")[0][1])
    base = statistics.median(times[cases[0][0]])
    lines = ["## Linux as a guest hypervisor: boot to the prompt", "",
             "Debian %s, %d vCPUs, %d MiB, the busybox initramfs: QEMU start "
             "to the first shell prompt with KVM initialised in the guest. "
             "Median of %d runs each, interleaved." % (kernel, cpus, mem_mb,
                                                       runs), "",
             "| | prompt (s) | ratio to bare EL2 |", "|---|---|---|"]
    for name, _ in cases:
        med = statistics.median(times[name])
        lines.append("| %s | %.2f | %.2f |" % (name, med, med / base))
        print("linux at EL2: %s: prompt %.2f s (ratio %.2f)" % (
            name, med, med / base))
    return "linux-el2", lines


def write_section(name, lines):
    head = ["# Performance figures", "",
            "Written by `make bench` (harness/bench.py); do not edit the "
            "sections by hand.", ""]
    text = open(PERF_MD).read() if os.path.exists(PERF_MD) else "\n".join(
        head) + "\n"
    qemu_ver = subprocess.run([hvqemu.QEMU, "--version"], capture_output=True,
                              text=True).stdout.splitlines()[0]
    stamp = "Measured %s on %s (%d CPUs), %s." % (
        datetime.date.today().isoformat(), platform.machine(),
        os.cpu_count(), qemu_ver)
    body = "<!-- bench:%s -->\n%s\n\n%s\n<!-- /bench:%s -->" % (
        name, "\n".join(lines), stamp, name)
    pat = re.compile(r"<!-- bench:%s -->.*?<!-- /bench:%s -->" %
                     (re.escape(name), re.escape(name)), re.S)
    text = pat.sub(lambda m: body, text) if pat.search(text) else \
        text.rstrip("\n") + "\n\n" + body + "\n"
    with open(PERF_MD, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--only", help="one benchmark: boot-banner, linux-boot, "
                    "linux-el2")
    args = ap.parse_args()
    benches = {"boot-banner": bench_boot_banner,
               "linux-boot": bench_linux_boot,
               "linux-el2": bench_linux_el2}
    for key, bench in benches.items():
        if args.only and key != args.only:
            continue
        name, lines = bench(args.runs)
        if not args.no_write:
            write_section(name, lines)
    if not args.no_write:
        print("wrote %s" % os.path.relpath(PERF_MD, hvqemu.ROOT))


if __name__ == "__main__":
    main()
