"""Bare-metal guests (guest-tests/) at EL1 under hypnest: each prints
PASS/FAIL lines and powers off through PSCI; hypnest then prints the trap
counters and QEMU exits 0."""
import os
import re
import subprocess

import pytest

import hvqemu
from hvqemu import EXIT_OK, base_args, kernel_args

STAGE = 0x60000000  # where QEMU's loader puts the guest image


@pytest.fixture(scope="session")
def guest_tests():
    """build/guest-tests/*.bin"""
    subprocess.run(["make", "-s", "-C", hvqemu.ROOT, "guest-tests"],
                   check=True)
    return os.path.join(hvqemu.BUILD, "guest-tests")


def run_guest(qemu, hyp_image, guest_dir, name, smp=2, extra=""):
    image = os.path.join(guest_dir, name + ".bin")
    size = os.path.getsize(image)
    append = "guest.kernel=0x%x:%d guest.cpus=%d %s" % (STAGE, size, smp,
                                                         extra)
    args = base_args(smp=smp) + kernel_args(hyp_image, append) + [
        "-device", "loader,file=%s,addr=0x%x,force-raw=on" % (image, STAGE)]
    r = qemu(args, timeout=120)
    status = r.wait_exit()
    return status, r.output()


def run_bare(qemu, guest_dir, name, el2=True, suffix="", smp=1):
    """No hypnest: QEMU starts the image at its real EL2 (virtualization=on,
    PSCI over SMC, SYSTEM_OFF answered by QEMU) or, el2=False, at EL1 (PSCI
    over HVC). suffix: a log of its own for a second run in one test.
    (exit status, console)"""
    image = os.path.join(guest_dir, name + ".bin")
    r = qemu(base_args(smp=smp, virtualization=el2) + ["-kernel", image],
             timeout=60, suffix=suffix)
    status = r.wait_exit()
    return status, r.output()


def check_passes(status, out, expect_pass):
    """Every check passed, exactly expect_pass of them, and a clean exit."""
    assert "FAIL" not in out, out
    m = re.search(r"GUEST-TESTS-DONE pass=(\d+) fail=(\d+)", out)
    assert m, out
    assert int(m.group(2)) == 0, out
    assert int(m.group(1)) == expect_pass, out
    assert status == EXIT_OK, out


LEVELS = ("EL1", "vEL2", "vEL1", "L2")
BY_LEVEL_RE = re.compile(
    r"vcpu(\d+): exits by level: EL1 (\d+), vEL2 (\d+), vEL1 (\d+), "
    r"L2 (\d+) \(of (\d+)\)")
KINDS = r"\(sync (\d+), irq (\d+), fiq (\d+), serror (\d+)\)"


def level_counts(out):
    """The per-level exit counters hypnest printed at poweroff (vcpu/
    stats_print.c), checked: for every vCPU the levels (a plain EL1 guest,
    L1 at vEL2, L1 at vEL1, L2) sum exactly to its exits; for the vCPU
    that powered off, whose counters stood still while they were printed
    (the others may still be running), also each level's exit kinds and
    exception classes to the totals'. {vcpu: {level: exits}}."""
    levels = {}
    for m in BY_LEVEL_RE.finditer(out):
        n = [int(x) for x in m.groups()[1:]]
        assert sum(n[:4]) == n[4], m.group(0)
        levels[int(m.group(1))] = dict(zip(LEVELS, n[:4]))
    assert levels, "no per-level counters printed"
    m = re.search(r"guest: \S+ from vcpu(\d+)", out)
    if not m:
        return levels
    cpu = int(m.group(1))
    total = re.search(r"vcpu%d: (\d+) exits %s" % (cpu, KINDS), out)
    assert total, out[-3000:]
    assert int(total.group(1)) == sum(levels[cpu].values())
    kinds = [0] * 4
    for lvl, count in levels[cpu].items():
        m = re.search(r"vcpu%d:   level %s: (\d+) exits %s"
                      % (cpu, lvl, KINDS), out)
        assert bool(m) == (count > 0), (lvl, out[-3000:])
        if m:
            assert int(m.group(1)) == count
            assert sum(int(x) for x in m.groups()[1:]) == count
            kinds = [a + int(b) for a, b in zip(kinds, m.groups()[1:])]
    assert kinds == [int(x) for x in total.groups()[1:]]
    ecs = dict((ec, int(n)) for ec, n in re.findall(
        r"vcpu%d:   EC 0x([0-9a-f]{2}) .*\s(\d+)\r?$" % cpu, out, re.M))
    by_level = {}
    for ec, n in re.findall(r"vcpu%d:     (?:%s) EC 0x([0-9a-f]{2}) .*"
                            r"\s(\d+)\r?$" % (cpu, "|".join(LEVELS)), out,
                            re.M):
        by_level[ec] = by_level.get(ec, 0) + int(n)
    assert by_level == ecs, (by_level, ecs)
    assert sum(ecs.values()) == int(total.group(2))
    return levels


def check_results(status, out, expect_pass):
    check_passes(status, out, expect_pass)
    assert "guest: SYSTEM_OFF from vcpu0" in out
    assert re.search(r"vcpu0: \d+ exits", out)
    level_counts(out)


def test_psci(qemu, hyp_image, guest_tests):
    status, out = run_guest(qemu, hyp_image, guest_tests, "psci")
    check_results(status, out, 12)


def test_hvc_counters(qemu, hyp_image, guest_tests):
    status, out = run_guest(qemu, hyp_image, guest_tests, "hvc")
    check_results(status, out, 5)
    # the counters printed at shutdown agree with what the guest saw
    m = re.search(r"vcpu0:   EC 0x16 HVC from AArch64 +(\d+)", out)
    assert m and int(m.group(1)) >= 10005, out


# guest.s2: guest RAM's stage-2 leaves, 4 KiB pages or 2 MiB blocks
S2_LEAVES = ["pages", "blocks"]


@pytest.mark.parametrize("s2", S2_LEAVES)
@pytest.mark.parametrize("mem", [64, 200])
def test_ram_is_zeroed(qemu, test_image, guest_tests, mem, s2):
    """guest-tests/ram_zero.c: the guest's RAM reads zero although the test
    build filled all free RAM with 0xa5 first (test=dirty-ram), with 2
    physical CPUs, each block zeroed at its first use (vm/guest_ram.c);
    200 MiB is 100 blocks, 64 MiB 32. With either stage-2 leaf size."""
    status, out = run_guest(qemu, test_image, guest_tests, "ram_zero",
                            smp=2, extra="guest.mem=%d test=dirty-ram "
                            "guest.s2=%s" % (mem, s2))
    assert "guest: stage 2 maps its RAM in %s (guest.s2)" % (
        "4 KiB pages" if s2 == "pages" else "2 MiB blocks") in out, out
    assert re.search(r"test hook: \d+ MiB of free RAM filled with 0xa5",
                     out), out
    check_results(status, out, 2)
    # it read every block: each was zeroed at its first use
    assert "guest RAM: %d of %d blocks of 2 MiB used" % (mem // 2, mem // 2) \
        in out, out


@pytest.mark.parametrize("s2", S2_LEAVES)
def test_ram_first_use(qemu, test_image, guest_tests, s2):
    """guest-tests/ram_first_use.c: guest RAM is zeroed at its first use on
    each path by which hypnest reaches a block before the guest does (its
    L2's shadow stage 2, the walks of its stage-2 tables for L2 and for AT,
    its own first read), after the test build filled all free RAM with
    0xa5 (test=dirty-ram); with either stage-2 leaf size."""
    status, out = run_guest(qemu, test_image, guest_tests, "ram_first_use",
                            smp=1, extra="guest.mem=256 guest.el2=nvhe "
                            "test=dirty-ram guest.s2=" + s2)
    assert re.search(r"test hook: \d+ MiB of free RAM filled with 0xa5",
                     out), out
    check_results(status, out, 5)


def test_ram_first_use_on_bare_qemu(qemu, guest_tests):
    """The same checks at QEMU's own EL2: what the architecture gives."""
    status, out = run_bare(qemu, guest_tests, "ram_first_use")
    check_passes(status, out, 5)


@pytest.mark.parametrize("s2", S2_LEAVES)
def test_ram_first_use_race(qemu, test_image, guest_tests, s2):
    """guest-tests/ram_race.c: two vCPUs store into each of 48 untouched
    blocks at once (one zeroes the block, the other waits for it): both
    stores survive and the rest reads zero, after test=dirty-ram; with
    either stage-2 leaf size."""
    status, out = run_guest(qemu, test_image, guest_tests, "ram_race",
                            smp=2, extra="guest.mem=256 test=dirty-ram "
                            "guest.s2=" + s2)
    assert re.search(r"test hook: \d+ MiB of free RAM filled with 0xa5",
                     out), out
    check_results(status, out, 3)


def test_ram_first_use_race_on_bare_qemu(qemu, guest_tests):
    status, out = run_bare(qemu, guest_tests, "ram_race", el2=False, smp=2)
    check_passes(status, out, 3)


def test_ram_used_is_counted(qemu, hyp_image, guest_tests):
    """The summary at poweroff says how many of the guest's 2 MiB blocks it
    used, each zeroed at its first use (vm/guest_ram.c): some, never more
    than it has (test_ram_is_zeroed: every one, when the guest reads all
    of its RAM)."""
    status, out = run_guest(qemu, hyp_image, guest_tests, "hvc", smp=2,
                            extra="guest.mem=64")
    check_results(status, out, 5)
    m = re.search(r"guest RAM: (\d+) of (\d+) blocks of 2 MiB used", out)
    assert m, out
    assert 1 <= int(m.group(1)) < int(m.group(2)) == 32, out
    # QEMU's max CPU is a software model (MIDR_EL1.Implementer 0): 4 KiB
    # stage-2 pages by default there (vm/vm.c choose_s2)
    assert ("guest: stage 2 maps its RAM in 4 KiB pages (a software model "
            "of a CPU: cheaper TLB maintenance)") in out, out


def test_exit_cost_loops(qemu, hyp_image, guest_tests):
    """guest-tests/exit_cost.c, the exits harness/bench.py times: each of
    its loops takes exactly one exit per HVC or emulated MMIO read, and it
    prints a figure for each."""
    status, out = run_guest(qemu, hyp_image, guest_tests, "exit_cost",
                            smp=1)
    check_results(status, out, 3)
    for what in ("loop", "hvc", "uart-fr", "gicd-typer"):
        assert re.search(r"exit-cost: %s \d+ ns" % what, out), what


def test_traps_and_isolation(qemu, hyp_image, guest_tests):
    status, out = run_guest(qemu, hyp_image, guest_tests, "traps", smp=1)
    check_results(status, out, 12)
    assert "EC 0x18 Trapped MSR/MRS/system instruction" in out
    assert "EC 0x24 Data Abort from a lower Exception level" in out


def test_sgi(qemu, hyp_image, guest_tests):
    """vGIC: Linux-style GICv3 set-up, SGIs between two vCPUs."""
    status, out = run_guest(qemu, hyp_image, guest_tests, "sgi")
    check_results(status, out, 43)


# guest-tests/timer.c's checks (also booted raw by test_guest_load.py)
TIMER_PASS = 48


def test_timer(qemu, hyp_image, guest_tests):
    """EL1 virtual and physical timers through the vGIC, WFI wake-up."""
    status, out = run_guest(qemu, hyp_image, guest_tests, "timer", smp=1)
    check_results(status, out, TIMER_PASS)


def test_mmio(qemu, hyp_image, guest_tests):
    """Emulated GICD/GICR registers and the PL011, by MMIO."""
    status, out = run_guest(qemu, hyp_image, guest_tests, "mmio")
    check_results(status, out, 30)


@pytest.mark.parametrize("what,append,message", [
    ("junk kernel", "guest.kernel=0x60000000:4096",
     "guest: kernel: guest kernel:"),
    ("bad syntax", "guest.kernel=0x60000000",
     "guest.kernel=0x60000000: expected <addr>:<size>"),
    ("too many vcpus", "guest.kernel=0x60000000:4096 guest.cpus=3",
     "more vCPUs than physical CPUs online"),
])
def test_bad_guest_refused(qemu, hyp_image, tmp_path, what, append,
                           message):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x7fELF" + bytes(4092))
    args = base_args(smp=2) + kernel_args(hyp_image, append) + [
        "-device", "loader,file=%s,addr=0x%x,force-raw=on" % (junk, STAGE)]
    r = qemu(args)
    status = r.wait_exit()
    out = r.output()
    assert status == hvqemu.EXIT_CONFIG, out
    assert message in out, out
