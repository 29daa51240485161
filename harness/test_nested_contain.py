"""Containment (issue 12): what a crash at one level does to the others.

- L2's kernel panics (`echo c > /proc/sysrq-trigger` in L2's shell): run-l2
  gives L2 panic=-1 and its QEMU -no-reboot, so the panic resets L2, which
  ends its QEMU; run-l2 says so and L1's shell is back, answers, and boots
  a new L2. At two levels (QEMU's own EL2, the reference) and at three
  (under hypnest, `make run NESTED=1`).
- L1 panics (Linux at virtual EL2 under hypnest, `make run`, whose guest
  command line has panic=-1): its reset ends the guest, hypnest prints
  every vCPU's state and counters and QEMU exits with EXIT_GUEST_CRASH.

Slow: real boots, one at a time. Console logs: build/logs/."""
import re

import pexpect
import pytest

import hvqemu
from hvqemu import EXIT_GUEST_CRASH, EXIT_OK, READY_RE
from test_nested_linux import (CMD_TIMEOUT, L1_PROMPT, L1_TIMEOUT,
                               L2_TIMEOUT, L2_TIMEOUT_HYP, Console, boot_l2,
                               kernel_version, nested_assets,  # noqa
                               reach_l1, run_l2)

PANIC_RE = r"Kernel panic - not syncing: sysrq triggered crash"
L2_PANICKED = (r"run-l2: L2's kernel panicked \(see above\) and its QEMU "
               r"ended; L1 is unaffected")


def l2_panics(c, version, l2_timeout):
    """From L1's prompt: run-l2, L2's prompt, L2 panics; its QEMU ends and
    L1's shell is back and answers, run-l2 exiting 1."""
    kernel = run_l2(c, l2_timeout=l2_timeout)[1]
    assert kernel == version
    c.p.send("echo c > /proc/sysrq-trigger\n")
    c.expect(PANIC_RE, CMD_TIMEOUT, "L2's panic")
    c.expect(L2_PANICKED, CMD_TIMEOUT, "run-l2's word on L2's panic")
    c.expect(L1_PROMPT, CMD_TIMEOUT, "L1's prompt after L2's panic")
    c.cmd("echo status-$?", r"\nstatus-1\r*\n" + L1_PROMPT)
    c.cmd("echo l1-says-$((6*7))", r"\nl1-says-42\r*\n" + L1_PROMPT)


def l1_poweroff(c, status):
    c.p.send("poweroff -f\n" if status is None else "poweroff\n")
    c.expect(pexpect.EOF, CMD_TIMEOUT, "QEMU to exit after poweroff")
    c.p.close()
    assert c.p.exitstatus == (status or 0), c.text()[-2000:]


@pytest.mark.slow
def test_l2_panic_two_levels(nested_assets):
    """The reference: L1 at QEMU's own EL2; L2 panics, L1 boots another."""
    args = hvqemu.machine() + [
        "-smp", "2", "-m", "2G", "-nodefaults", "-display", "none",
        "-serial", "mon:stdio", "-kernel", nested_assets["Image-6.12"],
        "-initrd", nested_assets["l1-initramfs.cpio"],
        "-append", "console=ttyAMA0 rdinit=/init"]
    version = kernel_version(nested_assets["Image-6.12"])
    c = Console("contain-l2-panic-bare-qemu", hvqemu.QEMU, args)
    try:
        reach_l1(c, "vhe")
        l2_panics(c, version, L2_TIMEOUT)
        boot_l2(c, version, l2_timeout=L2_TIMEOUT)
        l1_poweroff(c, None)
    finally:
        c.close()


@pytest.mark.slow
def test_l2_panic_under_hypnest(nested_assets):
    """`make run NESTED=1`: L2 panics at three levels; L1 (at hypnest's
    virtual EL2) runs on, boots a new L2, and powers off cleanly."""
    version = kernel_version(nested_assets["Image-6.12"])
    c = Console("contain-l2-panic-hypnest", "make",
                ["-s", "run", "NESTED=1"])
    try:
        reach_l1(c, "vhe")
        l2_panics(c, version, L2_TIMEOUT_HYP)
        boot_l2(c, version, l2_timeout=L2_TIMEOUT_HYP)
        l1_poweroff(c, EXIT_OK)
        out = c.text()
        assert "guest: SYSTEM_OFF from vcpu" in out
        assert "hypervisor bug" not in out and "the guest is stopped" \
            not in out, out[-3000:]
    finally:
        c.close()


def report_block(out, n):
    m = re.search(r"^vcpu%d: at .*?(?=^vcpu\d: at |^hyp\[)" % n, out,
                  re.M | re.S)
    assert m, "no state reported for vcpu%d\n%s" % (n, out[-4000:])
    return m.group(0)


@pytest.mark.slow
def test_l1_panic_reported():
    """`make run` (Linux at a VHE virtual EL2, its KVM up): L1 panics;
    panic=-1 resets it; hypnest reports every vCPU at vEL2 with its
    registers, the panicking one's vEL2 ESR_EL2 with its class, the
    counters, and QEMU exits with EXIT_GUEST_CRASH."""
    c = Console("contain-l1-panic", "make", ["-s", "run"])
    try:
        c.expect(READY_RE, L1_TIMEOUT, "the guest's ready marker")
        c.expect(r"# ", CMD_TIMEOUT, "the guest's prompt")
        c.p.send("echo c > /proc/sysrq-trigger\n")
        c.expect(PANIC_RE, CMD_TIMEOUT, "the guest's panic")
        c.expect(pexpect.EOF, CMD_TIMEOUT, "QEMU to exit after the panic")
        c.p.close()
        out = c.text()
        # make's status is its own; QEMU's is hypnest's
        assert c.p.exitstatus != 0, out[-3000:]
        assert re.search(r"\] Error %d" % EXIT_GUEST_CRASH, out), out[-3000:]
        assert "guest stopped: exit status %d" % EXIT_GUEST_CRASH in out
        m = re.search(r"guest: SYSTEM_RESET .*from vcpu(\d+): the guest is "
                      r"stopped", out)
        assert m, out[-4000:]
        # the CPU Linux panicked on ("CPU: N ..." in its oops) reset
        cpu = re.search(r"CPU: (\d+) (UID|PID)", out)
        assert cpu and cpu.group(1) == m.group(1), out[-6000:]
        for n in (0, 1):
            b = report_block(out, n)
            assert re.search(r"vcpu%d: at vEL2 \(EL2h\), PC 0x[0-9a-f]{16}"
                             % n, b), b
            assert re.search(r"x30 0x[0-9a-f]{16}", b), b
            assert re.search(r"vcpu%d: exits by level: EL1 0, vEL2 \d+, "
                             r"vEL1 \d+, L2 \d+ \(of \d+\)" % n, out), out
        b = report_block(out, int(m.group(1)))
        assert re.search(r"stopped at its sync exit: ESR_EL2 0x\w+ \(EC "
                         r"0x1[67] ", b), b
        # its last exception into its kernel (at virtual EL2): the shell's
        # write system call that panicked it (Linux 6.x sysrq c panics
        # directly), or an abort on the way
        assert re.search(r"vEL2: ESR 0x\w+ \(EC (0x15 SVC|0x2[45] Data "
                         r"Abort)", b), b
    finally:
        c.close()
