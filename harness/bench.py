#!/usr/bin/env python3
"""Benchmarks: prints figures and writes them to docs/perf.md.

Each benchmark owns a section of docs/perf.md between
<!-- bench:NAME --> and <!-- /bench:NAME --> and rewrites only that.
Wall-clock figures from QEMU TCG on a shared machine are noisy: compare
figures taken in one run, and read medians, not single samples.
usage: bench.py [--runs N] [--no-write] [--only NAME]
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hvqemu  # noqa: E402
import pexpect  # noqa: E402

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


EXIT_COST_RE = re.compile(r"exit-cost: (\S+) (\d+) ns")


def exit_cost_figures(out):
    """{operation: ns} from guest-tests/exit_cost.c's lines."""
    return {k: int(v) for k, v in EXIT_COST_RE.findall(out)}


def bench_exit_cost(runs):
    """Wall time of one exit: guest-tests/exit_cost.c at EL1 under hypnest
    (HVC, a read of the emulated UART, of the emulated distributor), and
    the same reads on bare QEMU, where no exit is taken (QEMU's own
    devices answer)."""
    image = os.path.join(hvqemu.BUILD, "guest-tests", "exit_cost.bin")
    subprocess.run(["make", "-s", "-C", hvqemu.ROOT, "guest-tests"],
                   check=True)
    size = os.path.getsize(image)
    hyp = hvqemu.base_args(smp=1) + hvqemu.kernel_args(
        os.path.join(hvqemu.BUILD, "hypnest.bin"),
        "guest.kernel=0x60000000:%d guest.cpus=1" % size) + [
        "-device", "loader,file=%s,addr=0x60000000,force-raw=on" % image]
    bare = hvqemu.base_args(smp=1, virtualization=False) + ["-kernel", image]
    samples = {"hypnest": [], "bare QEMU": []}
    for _ in range(runs):
        for name, args in (("hypnest", hyp), ("bare QEMU", bare)):
            r = hvqemu.Run("bench-exit-cost", args, timeout=120)
            try:
                r.wait_exit()
                samples[name].append(exit_cost_figures(r.output()))
            finally:
                r.close()
    ops = ("hvc", "uart-fr", "gicd-typer", "tlbi-vaale1is")
    lines = ["## Exit cost", "",
             "guest-tests/exit_cost.c at EL1, 20,000 of each operation "
             "timed with the virtual counter (each one exit under hypnest, "
             "checked by harness/test_guest.py::test_exit_cost_loops). On "
             "bare QEMU the reads are answered by QEMU's own devices and the "
             "HVC by its PSCI, without any EL2 code. tlbi-vaale1is (a TLBI "
             "VAALE1IS and DSB ISH) takes no exit: the emulator's cost of "
             "broadcast TLB maintenance with and without hypnest's stage 2. "
             "Median of %d runs, "
             "nanoseconds per operation." % runs, "",
             "| | " + " | ".join(ops) + " |",
             "|---|" + "---|" * len(ops)]
    for name, runs_ in samples.items():
        med = [statistics.median(f.get(o, 0) for f in runs_) for o in ops]
        print("exit cost %s: %s" % (name, ", ".join(
            "%s %d ns" % (o, m) for o, m in zip(ops, med))))
        lines.append("| %s | %s |" % (name, " | ".join("%d" % m
                                                       for m in med)))
    return "exit-cost", lines


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


# ---------------------------------------------------------------- nested
# Linux at three levels (issue 12): L1 (the guest hypervisor, Debian 6.12
# with the L1 initramfs, 2 vCPUs, 1 GiB as `make run NESTED=1` gives it)
# and L2 (6.12, booted by `run-l2` in L1's shell) under hypnest, against
# the same L1 at QEMU's own EL2 running L2 itself (two levels).

# L2 hypercalls and MMIO reads the counted run makes (make_exits): enough
# that the per-call wall time stands out of a shell command's own
NESTED_HVC = 10000
NESTED_MMIO = 10000
NESTED_OPS_TIMEOUT = 600
# s, run-l2 to L2's prompt: longer than the test's (a figure is wanted even
# on a slow day; an nVHE L1 took ~320 s on a loaded machine)
NESTED_L2_TIMEOUT = 900
# L1 boots to its prompt alone (no L2) per configuration, interleaved,
# for the L1 boot figure: two boots differed by up to 30 % on the shared
# machine, so the median of several
NESTED_L1_BOOTS = 5
# L2 launches per configuration, each on an L1 booted for it, besides the
# two of the counted and base runs: two launches of one configuration
# differed by up to 60 %, so the median of five
NESTED_L2_LAUNCHES = 3


def newc(entries):
    """A newc cpio archive of (name, mode, data) entries, owned by root,
    mtime 0, with its trailer."""
    out = bytearray()
    for ino, (name, mode, data) in enumerate(
            list(entries) + [("TRAILER!!!", 0, b"")], 1):
        fields = [ino, mode, 0, 0, 2 if mode & 0o040000 else 1, 0,
                  len(data), 0, 0, 0, 0, len(name) + 1, 0]
        out += b"070701" + "".join("%08X" % f for f in fields).encode()
        out += name.encode() + b"\0"
        out += b"\0" * (-len(out) % 4)
        out += data
        out += b"\0" * (-len(out) % 4)
    out += b"\0" * (-len(out) % 512)
    return bytes(out)


def nested_initramfs():
    """The L1 initramfs of `make run NESTED=1` with guest-tests/linux/'s
    programs (make_exits) added to the L2 initramfs inside it, both by
    appending a cpio archive (Linux unpacks concatenated archives, a later
    file replacing an earlier one): build/bench/l1-initramfs.cpio. The
    shared assets are not changed."""
    subprocess.run(["bash", os.path.join(hvqemu.ROOT, "scripts",
                                         "guest-assets.sh"),
                    "l1-initramfs.cpio"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["make", "-s", "-C", hvqemu.ROOT, "linux-tests"],
                   check=True)
    with open(os.path.join(hvqemu.ASSETS, "l2-initramfs.cpio"), "rb") as f:
        l2 = f.read()
    with open(os.path.join(hvqemu.BUILD, "linux-tests", "overlay.cpio"),
              "rb") as f:
        l2 += f.read()
    extra = newc([("l2", 0o040755, b""),
                  ("l2/initramfs.cpio", 0o100644, l2)])
    out = os.path.join(hvqemu.BUILD, "bench", "l1-initramfs.cpio")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out + ".tmp", "wb") as o:
        with open(os.path.join(hvqemu.ASSETS, "l1-initramfs.cpio"),
                  "rb") as f:
            shutil.copyfileobj(f, o)
        o.write(extra)
    os.replace(out + ".tmp", out)
    return out


EPISODE_TOTAL_RE = re.compile(
    r"vcpu(\d+): (L2|vEL1) exits handled by [^:]+: (\d+) episodes, (\d+) "
    r"hypnest traps")
EPISODE_REASON_RE = re.compile(
    r"vcpu(\d+):   (L2|vEL1) (EC 0x[0-9a-f]{2}|IRQ|FIQ|SError)\b.*?"
    r"(\d+) episodes, (\d+) traps, [\d.]+ each$")
EPISODE_WHAT_RE = re.compile(
    r"vcpu(\d+):       at (\S+)\s+(.*?)\s+(\d+), [\d.]+ each$")


def parse_episodes(text, level="L2"):
    """The episodes of `level` in hypnest's poweroff lines (vcpu/
    stats_print.c; docs/nested.md "Accounting"), summed over the vCPUs:
    {"total": (episodes, traps), reason: {"episodes": n, "traps": t,
    "what": {"at vEL2 MSR MDCR_EL2": count, ...}}}. A reason is "EC 0x16",
    "EC 0x24", "IRQ"...; its "what" lists the traps in its episodes by
    level and kind (the first 32 kinds per vCPU only)."""
    res = {"total": (0, 0)}
    ctx = {}
    for line in text.splitlines():
        line = line.rstrip()  # a console's \r
        m = EPISODE_TOTAL_RE.search(line)
        if m:
            ctx[m.group(1)] = None
            if m.group(2) == level:
                e, t = res["total"]
                res["total"] = (e + int(m.group(3)), t + int(m.group(4)))
            continue
        m = EPISODE_REASON_RE.search(line)
        if m:
            vcpu, lvl, reason = m.group(1, 2, 3)
            if lvl != level:
                ctx[vcpu] = None
                continue
            r = res.setdefault(reason, {"episodes": 0, "traps": 0,
                                        "what": {}})
            r["episodes"] += int(m.group(4))
            r["traps"] += int(m.group(5))
            ctx[vcpu] = r
            continue
        m = EPISODE_WHAT_RE.search(line)
        if m and ctx.get(m.group(1)) is not None:
            what = ctx[m.group(1)]["what"]
            key = "at %s %s" % (m.group(2), m.group(3))
            what[key] = what.get(key, 0) + int(m.group(4))
        elif re.search(r"vcpu\d+: (?!  )", line):
            # a vCPU's line that is not part of its episode lists
            m = re.search(r"vcpu(\d+):", line)
            ctx[m.group(1)] = None
    return res


def trap_kind(what):
    """The kind of one trap of an episode ("at vEL2 MRS HPFAR_EL2"): its
    level and class (register access, ERET, MMIO by device, IRQ...)."""
    m = re.match(r"at (\S+) (.*)", what)
    lvl, name = m.group(1), m.group(2)
    if lvl == "L2":
        return "L2: the exit itself"
    if re.match(r"(MRS|MSR|SYSL?) ", name):
        return "%s: register access (EC 0x18)" % lvl
    if name.startswith("EC 0x1a"):
        return "%s: ERET (EC 0x1a)" % lvl
    m = re.match(r"EC 0x24 mmio (\S+)", name)
    if m:
        return "%s: MMIO, %s (EC 0x24)" % (lvl, m.group(1))
    if name.startswith("IRQ"):
        return "%s: interrupt" % lvl
    m = re.match(r"(EC 0x[0-9a-f]{2}) (.*)", name)
    if m:
        return "%s: %s (%s)" % (lvl, m.group(2), m.group(1))
    return "%s: %s" % (lvl, name)


def episode_cost(base, counted, reason):
    """What the episodes of `reason` that a counted run has beyond a base
    run (same flow, without the counted exits) cost: (episodes, traps,
    traps per episode, {what: per episode}, {kind: per episode})."""
    b = base.get(reason, {"episodes": 0, "traps": 0, "what": {}})
    c = counted.get(reason, {"episodes": 0, "traps": 0, "what": {}})
    n = c["episodes"] - b["episodes"]
    t = c["traps"] - b["traps"]
    if n <= 0:
        return n, t, None, {}, {}
    what = {k: (c["what"].get(k, 0) - b["what"].get(k, 0)) / n
            for k in set(c["what"]) | set(b["what"])}
    kinds = {}
    for k, v in what.items():
        kinds[trap_kind(k)] = kinds.get(trap_kind(k), 0) + v
    listed = sum(what.values())
    if abs(t / n - listed) >= 0.005:
        kinds["not broken down"] = t / n - listed
    return n, t, t / n, what, kinds


def run_l2(c):
    """Seconds from typing `run-l2` in L1's shell (c) to L2's prompt."""
    import test_nested_linux as tnl
    return tnl.run_l2(c, l2_timeout=NESTED_L2_TIMEOUT)[0]


def l1_poweroff(c):
    """L1's poweroff from its shell, QEMU's exit awaited."""
    import test_nested_linux as tnl
    c.p.send("poweroff\n")
    c.expect(pexpect.EOF, tnl.CMD_TIMEOUT, "QEMU to exit after L1's "
             "poweroff")


def nested_run(name, cmd, args, el2, counted):
    """One boot of L1 (cmd args), `run-l2`, in L2 `make_exits hvc` and
    `make_exits mmio` (NESTED_HVC and NESTED_MMIO calls if `counted`, else
    0: the same program, files and mapping without the calls), L2's
    poweroff -f, L1's poweroff. Returns (seconds from the start to L1's
    prompt, seconds from run-l2 to L2's prompt, {"hvc": s, "mmio": s} each
    make_exits's seconds from typing it to its answer, the console text);
    a step that does not come fails with the console's tail."""
    import test_nested_linux as tnl
    c = tnl.Console(name, cmd, args)
    try:
        c.expect(tnl.KVM_UP[el2], tnl.L1_TIMEOUT,
                 "L1's KVM to come up (%s)" % el2)
        c.expect(tnl.READY_RE + r" level=1", tnl.L1_TIMEOUT,
                 "L1's ready marker")
        c.expect(tnl.L1_PROMPT, tnl.CMD_TIMEOUT, "L1's prompt")
        l1 = time.monotonic() - c.start
        c.cmd("test -c /dev/kvm && echo kvm-dev-ok",
              r"\nkvm-dev-ok\r*\n" + tnl.L1_PROMPT)
        l2 = run_l2(c)
        ops = {}
        for what, n in (("hvc", NESTED_HVC), ("mmio", NESTED_MMIO)):
            n = n if counted else 0
            start = time.monotonic()
            m = c.cmd("/make_exits %s %d" % (what, n),
                      r"make_exits: (%d %s done|error[^\r\n]*)" %
                      (n, what), NESTED_OPS_TIMEOUT)
            ops[what] = time.monotonic() - start
            if b"error" in m.group(1):
                c.fail("make_exits in L2: %r" % m.group(1))
            c.expect(tnl.L2_PROMPT, tnl.CMD_TIMEOUT, "L2's prompt")
        c.cmd("poweroff -f", tnl.L1_PROMPT, tnl.L2_TIMEOUT)
        l1_poweroff(c)
        c.p.close()
        if c.p.exitstatus != 0:
            c.fail("QEMU exited with status %s" % c.p.exitstatus)
        return l1, l2, ops, c.text()
    finally:
        c.close()


def l2_launch(name, cmd, args, el2):
    """Seconds from typing `run-l2` in a freshly booted L1's shell to L2's
    prompt, then L2's and L1's poweroff."""
    import test_nested_linux as tnl
    c = tnl.Console(name, cmd, args)
    try:
        c.expect(tnl.KVM_UP[el2], tnl.L1_TIMEOUT,
                 "L1's KVM to come up (%s)" % el2)
        c.expect(tnl.L1_PROMPT, tnl.L1_TIMEOUT, "L1's prompt")
        l2 = run_l2(c)
        c.cmd("poweroff -f", tnl.L1_PROMPT, tnl.L2_TIMEOUT)
        l1_poweroff(c)
        return l2
    finally:
        c.close()


def l1_boot(name, cmd, args, el2):
    """Seconds from QEMU's start to L1's prompt, then L1's poweroff."""
    import test_nested_linux as tnl
    c = tnl.Console(name, cmd, args)
    try:
        c.expect(tnl.KVM_UP[el2], tnl.L1_TIMEOUT,
                 "L1's KVM to come up (%s)" % el2)
        c.expect(tnl.L1_PROMPT, tnl.L1_TIMEOUT, "L1's prompt")
        l1 = time.monotonic() - c.start
        l1_poweroff(c)
        return l1
    finally:
        c.close()


def bench_nested(runs):
    """Issue 12, acceptance point 7: L1 boot to its prompt and L2 launch
    to its prompt, under hypnest (VHE and nVHE L1) and at QEMU's own EL2,
    and the hypnest traps per L2 hypercall and per L2 MMIO exit that L1
    handles. Each configuration runs twice (`runs` is not used: a nested
    run takes minutes), interleaved: a base run (make_exits with 0 calls)
    and a counted run (NESTED_HVC hypercalls and NESTED_MMIO MMIO reads in
    L2); the per-exit figures are the differences between the two runs'
    counters."""
    del runs
    img = os.path.join(hvqemu.ASSETS, "Image-6.12")
    initrd = nested_initramfs()
    hyp = os.path.join(hvqemu.BUILD, "hypnest.bin")
    bare = hvqemu.machine() + ["-smp", "2", "-m", "1G", "-nodefaults",
                               "-display", "none", "-serial", "stdio",
                               "-kernel", img, "-initrd", initrd, "-append"]
    # The nVHE reference: at a real EL2 that has FEAT_VHE, Linux keeps
    # E2H = 0 and runs its KVM in the nVHE layout when told
    # kvm-arm.mode=nvhe, as an nVHE L1 does at hypnest's virtual EL2.
    configs = [
        ("QEMU's own EL2", "bare", "vhe", bare + [hvqemu.GUEST_CMDLINE]),
        ("QEMU's own EL2, nVHE L1", "bare-nvhe", "nvhe",
         bare + [hvqemu.GUEST_CMDLINE + " kvm-arm.mode=nvhe"])]
    for el2 in ("vhe", "nvhe"):
        configs.append((
            "hypnest, %s L1" % ("VHE" if el2 == "vhe" else "nVHE"), el2,
            el2, hvqemu.base_args(smp=2, mem="2G") + hvqemu.linux_args(
                hyp, img, initrd, cpus=2, guest_mem=1024,
                hyp_append="guest.el2=%s" % el2)))
    res = {tag: [] for _, tag, _, _ in configs}
    boots = {tag: [] for _, tag, _, _ in configs}
    launches = {tag: [] for _, tag, _, _ in configs}
    load = [os.getloadavg()[0]]
    for i in range(NESTED_L1_BOOTS):
        for what, tag, el2, args in configs:
            boots[tag].append(l1_boot("bench-nested-%s-boot%d" % (tag, i),
                                      hvqemu.QEMU, args, el2))
            print("nested %s: L1 prompt %.1f s (boot %d of %d)" % (
                what, boots[tag][-1], i + 1, NESTED_L1_BOOTS))
    for i in range(NESTED_L2_LAUNCHES):
        for what, tag, el2, args in configs:
            launches[tag].append(l2_launch(
                "bench-nested-%s-launch%d" % (tag, i), hvqemu.QEMU, args,
                el2))
            print("nested %s: run-l2 to L2 prompt %.1f s (launch %d of %d)"
                  % (what, launches[tag][-1], i + 1, NESTED_L2_LAUNCHES))
    for counted in (False, True):
        for what, tag, el2, args in configs:
            l1, l2, ops, text = nested_run(
                "bench-nested-%s-%s" % (tag, "counted" if counted else
                                        "base"),
                hvqemu.QEMU, args, el2, counted)
            print("nested %s%s: L1 prompt %.1f s, run-l2 to L2 prompt "
                  "%.1f s, make_exits hvc %.1f s, mmio %.1f s" % (
                      what, " (counted run)" if counted else "", l1, l2,
                      ops["hvc"], ops["mmio"]))
            res[tag].append((l1, l2, ops, parse_episodes(text)))
            launches[tag].append(l2)
    load.append(os.getloadavg()[0])
    return "nested", nested_report(configs, res, boots, launches, load)


def nested_report(configs, res, boots, launches, load):
    """The docs/perf.md section of bench_nested from its runs' results:
    res[tag] = [(L1 s, L2 s, make_exits s, parse_episodes) of the base
    run, of the counted run]; boots[tag] = the L1 boot-only runs' seconds;
    launches[tag] = every L2 launch's seconds (those runs' included);
    load: the machine's load average (1 min) before and after."""
    med = {tag: (statistics.median(boots[tag]),
                 statistics.median(launches[tag]))
           for tag in res}
    b1, b2 = med["bare"]
    same = {"bare": "bare", "bare-nvhe": "bare-nvhe", "vhe": "bare",
            "nvhe": "bare-nvhe"}
    lines = [
        "## Linux at three levels (issue 12)", "",
        "L1 is Debian's 6.12 with the L1 initramfs (QEMU 11.1 for arm64, "
        "`run-l2`), 2 vCPUs, 1 GiB, as `make run NESTED=1` boots it; L2 is "
        "6.12 too, booted by `run-l2` in L1's shell (KVM, 2 vCPUs, 256 "
        "MiB). Under hypnest L1 runs at virtual EL2 (VHE, or nVHE with "
        "`guest.el2=nvhe`: three levels); the reference runs the same "
        "kernel and initramfs at QEMU's own EL2 (`-M virt,virtualization="
        "on,gic-version=3 -cpu max`, FEAT_NV2 emulated, no hypnest: L1's "
        "KVM runs L2 directly, two levels; the second reference row "
        "boots it with `kvm-arm.mode=nvhe`, so that its KVM keeps E2H = 0 "
        "and runs in the nVHE layout, as the nVHE L1 does under hypnest: "
        "the last column compares each L1 with the reference of its own "
        "mode). L1 boot: QEMU's start to L1's "
        "prompt, the median of %d boots of L1 alone per configuration, "
        "interleaved. L2 launch: typing `run-l2` to L2's prompt, the "
        "median of %d launches per configuration, each in an L1 booted "
        "for it, interleaved (%d launches alone, then a base and a "
        "counted run, below). Wall-clock time on a machine shared with "
        "other work (load average %.1f before, %.1f after, on %d CPUs): "
        "the slowest L2 launch of a configuration took up to %.0f %% "
        "longer than its fastest, so read the ratios as rough." % (
            len(next(iter(boots.values()))),
            len(next(iter(launches.values()))),
            len(next(iter(launches.values()))) - 2, load[0], load[1],
            os.cpu_count(), 100 * max(
                max(v) / min(v) - 1 for v in launches.values())), "",
        "| | L1 boot (s) | L1 boot min-max (s) | ratio | L2 launch (s) "
        "| L2 launch min-max (s) | ratio | L1 boot, L2 launch: ratio to "
        "the same mode |", "|---|---|---|---|---|---|---|---|"]
    for what, tag, _, _ in configs:
        l1, l2 = med[tag]
        s1, s2 = med[same[tag]]
        lines.append("| %s | %.1f | %.1f-%.1f | %.2f | %.1f | %.1f-%.1f | "
                     "%.2f | %.2f, %.2f |" % (
                         what, l1, min(boots[tag]), max(boots[tag]),
                         l1 / b1, l2, min(launches[tag]),
                         max(launches[tag]), l2 / b2, l1 / s1, l2 / s2))
        print("nested %s: L1 boot %.1f s (%.2fx; %.2fx same mode), L2 "
              "launch %.1f s (%.2fx; %.2fx same mode)" % (
                  what, l1, l1 / b1, l1 / s1, l2, l2 / b2, l2 / s2))
    lines += ["", "Targets: L1 boot under hypnest ≤ 1.3x QEMU's own EL2; "
              "L2 launch at three levels ≤ 1.5x two levels.", "",
              "### hypnest traps per L2 exit that L1 handles", "",
              "In L2, both runs of a configuration run guest-tests/linux/"
              "make_exits.c twice: the counted run as `make_exits hvc %d` "
              "(%d `clock_gettime` of L2's KVM PTP clock /dev/ptp0, one HVC "
              "each, which L1's KVM answers in its kernel) and `make_exits "
              "mmio %d` (%d one-byte reads of QEMU virt's fw_cfg data "
              "register through a /dev/mem mapping: a stage-2 abort each, "
              "which L1's KVM passes to L1's QEMU), the base run with 0 "
              "calls (the same program, device and mapping). The figures "
              "are the difference of hypnest's per-level episode counters "
              "printed at poweroff (docs/nested.md \"Accounting\": an L2 "
              "episode is every hypnest trap from L2's exit to L1's ERET "
              "back into L2, both included, so the floor is 2) between the "
              "two runs, for the episodes' reason (EC 0x16 HVC, EC 0x24 "
              "data abort), summed over the vCPUs: the added traps over the "
              "added episodes. The added episodes should equal the calls; "
              "the rest is the two boots' own variation (L2's stage-2 "
              "faults on RAM are EC 0x24 episodes too)." % (
                  NESTED_HVC, NESTED_HVC, NESTED_MMIO, NESTED_MMIO), "",
              "| L1 | exit | calls | added episodes | added traps | traps "
              "per exit | target |", "|---|---|---|---|---|---|---|"]
    costs = []
    for what, tag, _, _ in configs:
        if tag.startswith("bare"):
            continue
        base, counted = res[tag][0][3], res[tag][1][3]
        for reason, label, calls, target in (
                ("EC 0x16", "HVC", NESTED_HVC, 4),
                ("EC 0x24", "MMIO (to L1's QEMU)", NESTED_MMIO, 10)):
            n, t, per, each, kinds = episode_cost(base, counted, reason)
            lines.append("| %s | %s | %d | %d | %d | %s | ≤ %d |" % (
                what.split(", ")[1], label, calls, n, t,
                "%.2f" % per if per is not None else "-", target))
            print("nested %s: L2 %s: %d calls, %d episodes added, %d "
                  "traps: %s per exit (target <= %d)" % (
                      what, label, calls, n, t,
                      "%.2f" % per if per is not None else "-", target))
            costs.append((what, label, per, each, kinds))
    lines += ["", "Wall-clock time per call, from the same runs (the "
              "counted run's `make_exits` time less the base run's, over "
              "the calls):", "",
              "| | per L2 HVC (µs) | per L2 MMIO read (µs) |",
              "|---|---|---|"]
    for what, tag, _, _ in configs:
        base, counted = res[tag][0][2], res[tag][1][2]
        lines.append("| %s | %.0f | %.0f |" % (
            what, 1e6 * (counted["hvc"] - base["hvc"]) / NESTED_HVC,
            1e6 * (counted["mmio"] - base["mmio"]) / NESTED_MMIO))
    lines += ["", "What one such exit costs, by kind of trap (per exit; "
              "\"vEL2\": L1's guest hypervisor, \"vEL1\": an nVHE L1's host "
              "kernel, \"L2\": the exit itself; \"not broken down\": traps of "
              "kinds hypnest does not print, beyond the 32 most frequent "
              "of a reason, or that found no slot in its per-kind table, "
              "include/hyp/stats.h STATS_EP_SLOTS), the most frequent "
              "first:", ""]
    for what, label, per, each, kinds in costs:
        if per is None:
            continue
        top = sorted(each.items(), key=lambda kv: -kv[1])[:6]
        lines.append("- **%s, L2 %s (%.2f):** %s; the single traps most "
                     "often: %s." % (
                         what.split(", ")[1], label, per, ", ".join(
                             "%s %.2f" % (k, v) for k, v in sorted(
                                 kinds.items(), key=lambda kv: -kv[1])
                             if abs(v) >= 0.005),
                         ", ".join("%s %.2f" % (k[3:], v) for k, v in top)))
    return lines


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
                    "exit-cost, linux-el2, nested")
    args = ap.parse_args()
    benches = {"boot-banner": bench_boot_banner,
               "exit-cost": bench_exit_cost,
               "linux-boot": bench_linux_boot,
               "linux-el2": bench_linux_el2,
               "nested": bench_nested}
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
