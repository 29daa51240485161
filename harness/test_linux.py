"""Linux as an ordinary guest at EL1 under hypnest: Debian's kernels with
the busybox initramfs (scripts/guest-assets.sh) boot to the shell, see
their vCPUs, run a command and power off through PSCI, and hypnest then
prints the trap counters and QEMU exits 0. Slow: each is a real boot."""
import re

import pytest

import hvqemu
from hvqemu import EXIT_OK, GUEST_CMDLINE, READY_RE, base_args, linux_args
from test_guest import level_counts

BOOT_TIMEOUT = 600  # seconds, boot to the ready marker (TCG, loaded CI)
# a boot to the shell takes seconds at HZ=250, even tickless: every vCPU
# takes at least this many of its timer's interrupts (about 1000 seen)
MIN_TIMER_IRQS = 100


def check_timer_irqs(out, cpus):
    """The timer interrupts reached the guest through the vGIC: hypnest
    counts, per vCPU, those the guest acknowledged (loaded pending into a
    list register, back not pending) and prints them at poweroff."""
    for i in range(cpus):
        m = re.search(r"vcpu%d: (\d+) timer interrupts taken by the guest"
                      % i, out)
        assert m and int(m.group(1)) >= MIN_TIMER_IRQS, out[-3000:]


def boot_linux(qemu, hyp_image, linux_assets, kernel="Image-6.12", cpus=2,
               el2="off"):
    r = qemu(base_args(smp=cpus) + linux_args(
        hyp_image, linux_assets[kernel], linux_assets["initramfs.cpio"],
        cpus=cpus, hyp_append="guest.el2=%s" % el2), timeout=BOOT_TIMEOUT)
    m = r.expect(READY_RE)
    return r, m


def shell(r, command, expect):
    r.send(command + "\n")
    return r.expect(expect, timeout=120)


@pytest.mark.slow
@pytest.mark.parametrize("kernel,cpus", [("Image-6.12", 1),
                                         ("Image-6.12", 2),
                                         ("Image-6.1", 2)])
def test_linux_boots_and_powers_off(qemu, hyp_image, linux_assets, kernel,
                                    cpus):
    r, m = boot_linux(qemu, hyp_image, linux_assets, kernel, cpus)
    assert int(m.group(2)) == cpus
    r.expect(r"# ")
    # the shell answers: nproc counts the vCPUs Linux brought up
    shell(r, "nproc", r"\n%d\r*\n" % cpus)
    shell(r, "echo hello-$((6*7))", r"hello-42")
    # the console is interrupt-driven: the UART has its SPI in the vGIC
    shell(r, "grep -c uart-pl011 /proc/interrupts", r"\n1\r*\n")
    r.send("poweroff -f\n")
    status = r.wait_exit(timeout=120)
    out = r.output()
    assert status == EXIT_OK, out[-3000:]
    assert "guest: SYSTEM_OFF from vcpu" in out
    for i in range(cpus):
        assert re.search(r"vcpu%d: \d+ exits" % i, out), out[-3000:]
    check_timer_irqs(out, cpus)
    # a plain EL1 guest: every exit counted at level EL1, summing to the
    # total (test_guest.level_counts)
    for cpu, levels in level_counts(out).items():
        assert levels["EL1"] > 0, (cpu, levels)
        assert levels["vEL2"] == levels["vEL1"] == levels["L2"] == 0, levels


@pytest.mark.slow
def test_linux_sees_only_its_memory(qemu, hyp_image, linux_assets):
    """The guest's memory map is its own RAM: 256 MiB, at the IPA hypnest
    gives it, no more."""
    r, _ = boot_linux(qemu, hyp_image, linux_assets, cpus=1)
    r.expect(r"# ")
    shell(r, "grep -i 'System RAM' /proc/iomem",
          r"40000000-4fffffff : System RAM")
    r.send("poweroff -f\n")
    assert r.wait_exit(timeout=120) == EXIT_OK


@pytest.mark.slow
@pytest.mark.parametrize("e2h", ["1", "0"])
def test_make_run_boots_linux_with_two_vcpus(linux_assets, e2h):
    """The README's `make run` (E2H=1: VHE) and `make run E2H=0` (nVHE):
    Linux under hypnest with 2 vCPUs at virtual EL2, its console on the terminal, ready for typing; its KVM is up
    (/dev/kvm); `poweroff` ends the run with status 0."""
    import os
    import pexpect
    log = open(os.path.join(hvqemu.LOGS, "make-run-e2h%s.log" % e2h), "wb")
    p = pexpect.spawn("make", ["-s", "run", "E2H=" + e2h], cwd=hvqemu.ROOT,
                      logfile=log, timeout=BOOT_TIMEOUT)
    try:
        p.expect(KVM_UP["vhe" if e2h == "1" else "nvhe"])
        p.expect(READY_RE)
        assert p.match.group(2) == b"2"
        p.expect(r"# ")
        p.send("nproc\n")
        p.expect(r"\n2\r*\n", timeout=120)
        p.send("test -c /dev/kvm && echo kvm-dev-ok\n")
        p.expect(r"\nkvm-dev-ok\r*\n", timeout=120)
        p.send("poweroff\n")
        p.expect(pexpect.EOF, timeout=120)
        p.close()
        assert p.exitstatus == 0
    finally:
        if p.isalive():
            p.terminate(force=True)
        log.close()
    out = open(log.name, "rb").read().decode(errors="replace")
    assert "guest: SYSTEM_OFF from vcpu" in out


# 6.12 says "Hyp nVHE mode", 6.1 "Hyp mode" (docs/linux-at-el2.md)
KVM_UP = {"nvhe": r"kvm \[1\]: Hyp (nVHE )?mode initialized successfully",
          "vhe": r"kvm \[1\]: VHE mode initialized successfully"}


@pytest.mark.slow
@pytest.mark.parametrize("kernel", ["Image-6.12", "Image-6.1"])
@pytest.mark.parametrize("el2", ["nvhe", "vhe"])
def test_linux_as_guest_hypervisor(qemu, hyp_image, linux_assets, el2,
                                   kernel):
    """Debian's 6.12 and 6.1 started at virtual EL2: KVM initialises (in
    nVHE mode when FEAT_VHE is hidden, in VHE mode when offered), /dev/kvm
    exists, the shell works on both vCPUs, and it powers off. (6.1 is the
    kernel that loops in early EL2 set-up under Linux KVM's nested support,
    which forces E2H = 1: NV-NOTES 3.)"""
    r = qemu(base_args(smp=2) + linux_args(
        hyp_image, linux_assets[kernel], linux_assets["initramfs.cpio"],
        cpus=2, hyp_append="guest.el2=%s" % el2), timeout=BOOT_TIMEOUT)
    r.expect(KVM_UP[el2])
    m = r.expect(READY_RE)
    assert int(m.group(2)) == 2
    r.expect(r"# ")
    shell(r, "test -c /dev/kvm && echo kvm-dev-ok", r"\nkvm-dev-ok\r*\n")
    shell(r, "nproc", r"\n2\r*\n")
    # CurrentEL is not readable from EL0; the kernel's own word for it:
    shell(r, "dmesg | grep -c 'CPU: All CPU(s) started at EL2'",
          r"\n1\r*\n")
    r.send("poweroff\n")
    assert r.wait_exit(timeout=120) == EXIT_OK
    out = r.output()
    assert "starts at virtual EL2 (FEAT_NV2)" in out
    assert re.search(r"vcpu0:   EC 0x1a ", out), "no ERET was emulated"
    check_timer_irqs(out, 2)
    # every exit counted at a level of the guest hypervisor, the levels
    # summing to the total (test_guest.level_counts): never as a plain EL1
    # guest, never L2 (it runs no VM); nVHE KVM's host kernel runs at vEL1
    for cpu, levels in level_counts(out).items():
        assert levels["EL1"] == 0 and levels["L2"] == 0, (cpu, levels)
        assert levels["vEL2"] > 0, (cpu, levels)
        if el2 == "nvhe":
            assert levels["vEL1"] > 0, (cpu, levels)


@pytest.mark.slow
def test_linux_keeps_e2h0_when_vhe_is_offered(qemu, hyp_image, linux_assets):
    """FEAT_VHE offered (guest.el2=vhe) but the guest picks nVHE itself
    (kvm-arm.mode=nvhe keeps E2H = 0): hypnest's virtual EL2 follows the
    E2H the guest writes, as hardware with FEAT_E2H0 does, and KVM comes up
    in nVHE mode."""
    r = qemu(base_args(smp=2) + linux_args(
        hyp_image, linux_assets["Image-6.12"], linux_assets["initramfs.cpio"],
        cpus=2, hyp_append="guest.el2=vhe",
        cmdline=GUEST_CMDLINE + " kvm-arm.mode=nvhe"), timeout=BOOT_TIMEOUT)
    r.expect(KVM_UP["nvhe"])
    r.expect(READY_RE)
    r.expect(r"# ")
    shell(r, "test -c /dev/kvm && echo kvm-dev-ok", r"\nkvm-dev-ok\r*\n")
    r.send("poweroff\n")
    assert r.wait_exit(timeout=120) == EXIT_OK
    out = r.output()
    assert "offered as a VHE (E2H=1 allowed)" in out, out
    check_timer_irqs(out, 2)
