"""Linux as a guest hypervisor under hypnest, driven by a VMM-like program
(guest-tests/linux/, appended to the guest's initramfs): what its KVM does
with the CPU hypnest presents. Slow: each is a real boot."""
import os
import re
import subprocess

import pytest

import hvqemu
from hvqemu import EXIT_OK, READY_RE, base_args, linux_args
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
