"""Linux as a guest hypervisor under hypnest, driven by a VMM-like program
(guest-tests/linux/, appended to the guest's initramfs): what its KVM does
with the CPU hypnest presents. Slow: each is a real boot."""
import os
import re
import subprocess

import pexpect
import pytest

import hvqemu
from hvqemu import (EXIT_OK, GUEST_CMDLINE, READY_RE, base_args,
                    linux_args)
from test_linux import BOOT_TIMEOUT, KVM_UP, shell


@pytest.fixture(scope="session")
def test_initramfs(linux_assets):
    """The guest assets' initramfs with guest-tests/linux/'s programs
    appended (Linux unpacks concatenated cpio archives one after the
    other): each program at /<name>."""
    subprocess.run(["make", "-s", "-C", hvqemu.ROOT, "linux-tests"],
                   check=True)
    path = os.path.join(hvqemu.BUILD, "linux-tests", "initramfs.cpio")
    with open(path, "wb") as out:
        for part in (linux_assets["initramfs.cpio"],
                     os.path.join(hvqemu.BUILD, "linux-tests",
                                  "overlay.cpio")):
            with open(part, "rb") as f:
                out.write(f.read())
    return path


@pytest.mark.slow
@pytest.mark.parametrize("el2", ["nvhe", "vhe"])
def test_kvm_restores_the_id_registers(qemu, hyp_image, linux_assets,
                                       test_initramfs, el2):
    """Issue 10, defect 16: a VMM saving and restoring a vCPU writes back
    each ID register it read; Linux 6.12's KVM checks every value against
    its own view of the CPU, which it took from hypnest's ID registers. It
    refused ID_DFR0_EL1 (CopDbg 0b0000, not permitted with AArch32) while
    hypnest advertised AArch32 with its AArch32 ID registers reading 0.
    /kvm_idregs creates a VM and a vCPU and restores the whole ID space."""
    r = qemu(base_args(smp=2) + linux_args(
        hyp_image, linux_assets["Image-6.12"], test_initramfs, cpus=2,
        hyp_append="guest.el2=%s" % el2), timeout=BOOT_TIMEOUT)
    r.expect(KVM_UP[el2])
    r.expect(READY_RE)
    r.expect(r"# ")
    m = shell(r, "/kvm_idregs",
              r"kvm-idregs: (error: [^\r\n]*|(\d+) ID registers restored, "
              r"(\d+) refused)")
    assert m.group(2) is not None, r.output()[-3000:]
    # KVM lists the whole space (CRm 1..7, op2 0..7), allocated or not
    assert (int(m.group(2)), int(m.group(3))) == (56, 0), r.output()[-3000:]
    r.send("poweroff -f\n")
    assert r.wait_exit(timeout=120) == EXIT_OK
    assert not re.search(r"kvm-idregs: refused", r.output())


# /kvm_run's verdict (its alarm ends it with a FAIL line after 120 s)
KVM_RUN_RE = r"KVM_RUN: (PASS|FAIL[^\r\n]*)\r*\n"
KVM_RUN_TIMEOUT = 300  # seconds: the program's alarm fires well before


def kvm_run_verdict(r):
    """Boot to the shell, run /kvm_run, return its verdict line; a run
    that never ends (a KVM_RUN that does not come back and no alarm
    either) fails the test after KVM_RUN_TIMEOUT instead of hanging."""
    r.expect(READY_RE)
    r.expect(r"# ")
    r.send("/kvm_run\n")
    try:
        m = r.expect(KVM_RUN_RE, timeout=KVM_RUN_TIMEOUT)
    except pexpect.TIMEOUT:
        pytest.fail("/kvm_run gave no verdict in %d s:\n%s"
                    % (KVM_RUN_TIMEOUT, r.output()[-4000:]))
    return m.group(0).decode().strip()


@pytest.mark.slow
@pytest.mark.parametrize("el2", ["nvhe", "vhe"])
def test_kvm_runs_a_vm(qemu, hyp_image, linux_assets, test_initramfs, el2):
    """Issue 11 (Tests, Linux): Debian's 6.12 at virtual EL2 (E2H = 0 and
    E2H = 1) runs a VM of its own through /dev/kvm: /kvm_run's two vCPUs
    take MMIO write and read exits with the right address, length and
    data, get the value the program supplies into their registers, reach
    the slot's RAM through stage 2, have PSCI_VERSION answered by KVM, run
    at once on the guest's two CPUs (2000 MMIO exits each) and end with a
    SYSTEM_OFF system event (guest-tests/linux/kvm_run.c)."""
    r = qemu(base_args(smp=2) + linux_args(
        hyp_image, linux_assets["Image-6.12"], test_initramfs, cpus=2,
        hyp_append="guest.el2=%s" % el2), timeout=BOOT_TIMEOUT)
    r.expect(KVM_UP[el2])
    verdict = kvm_run_verdict(r)
    assert verdict == "KVM_RUN: PASS", r.output()[-4000:]
    r.send("poweroff -f\n")
    assert r.wait_exit(timeout=120) == EXIT_OK, r.output()[-4000:]


@pytest.mark.slow
@pytest.mark.parametrize("el2", ["nvhe", "vhe"])
def test_kvm_runs_a_vm_on_bare_qemu(qemu, linux_assets, test_initramfs, el2):
    """The reference for test_kvm_runs_a_vm: the same kernel and program
    at QEMU's own EL2 (no hypnest), its KVM in nVHE (kvm-arm.mode=nvhe)
    and in VHE mode running the VM on the emulated EL2 hardware."""
    cmdline = GUEST_CMDLINE + (" kvm-arm.mode=nvhe" if el2 == "nvhe" else "")
    r = qemu(base_args(smp=2) + [
        "-kernel", linux_assets["Image-6.12"], "-initrd", test_initramfs,
        "-append", cmdline], timeout=BOOT_TIMEOUT)
    r.expect(KVM_UP[el2])
    verdict = kvm_run_verdict(r)
    assert verdict == "KVM_RUN: PASS", r.output()[-4000:]
    r.send("poweroff -f\n")
    assert r.wait_exit(timeout=120) == EXIT_OK, r.output()[-4000:]
