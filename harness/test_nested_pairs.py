"""Every kernel, both modes (issue 12): Debian's 6.1 (bookworm), 6.12
(trixie) and 7.x (trixie-backports, build/assets/Image-7) as the guest
hypervisor L1 under hypnest, each with a VHE and an nVHE virtual EL2, boot
L2 (6.12, the l1-initramfs) through `run-l2` to its shell.

FEAT_VHE is offered in every row (`make run NESTED=1`, guest.el2=vhe): an
nVHE row is the guest's own choice, `kvm-arm.mode=nvhe` on L1's command line
(6.1 and 6.12 both map it to `id_aa64mmfr1.vh=0`, docs/linux-at-el2.md
1.4), and L1 keeps E2H = 0. Each row checks KVM's own line for the mode it
came up in, then one L2 boot (nproc 2, L2's uname -r, poweroff -f back to
L1) and L1's poweroff. Lean on purpose: the second run-l2 and the VHE 6.12
pair are test_nested_linux.py::test_make_run_nested[1] (the same
configuration); test_make_run_nested[0] is the nVHE L1 whose FEAT_VHE is
hidden. Console logs: build/logs/nested-pair-<kernel>-<mode>.log."""
import os
import re
import subprocess
import time

import pexpect
import pytest

import hvqemu
import test_nested_linux as nl
from hvqemu import EXIT_OK

ASSETS = hvqemu.ASSETS
L1_CMDLINE = "console=ttyAMA0 earlycon rdinit=/init"
# KVM's line once its EL2 side is up (arch/arm64/kvm/arm.c; 6.1 says "Hyp
# mode" for nVHE, 6.12 and 7.x "Hyp nVHE mode")
KVM_VHE = r"kvm \[1\]: VHE mode initialized successfully"
KVM_NVHE = {"6.1": r"kvm \[1\]: Hyp mode initialized successfully",
            "6.12": r"kvm \[1\]: Hyp nVHE mode initialized successfully",
            "7": r"kvm \[1\]: Hyp nVHE mode initialized successfully"}
KVM_NOT_UP = r"kvm \[1\]: [^\r\n]*(error|fail|disabled|not available)" \
    r"[^\r\n]*|Kernel panic[^\r\n]*"
# (L1 kernel, mode); 6.12 VHE is test_make_run_nested[1]
PAIRS = [("6.1", "vhe"), ("6.1", "nvhe"), ("6.12", "nvhe"),
         ("7", "vhe"), ("7", "nvhe")]


@pytest.fixture(scope="session")
def pair_assets():
    """The three L1 kernels and the L1 initramfs (L2 = 6.12), cached in
    build/assets by scripts/guest-assets.sh."""
    r = subprocess.run(["bash", os.path.join(hvqemu.ROOT, "scripts",
                                             "guest-assets.sh"),
                        "Image-6.1", "Image-6.12", "Image-7",
                        "l1-initramfs.cpio"],
                       capture_output=True, text=True, timeout=1800)
    if r.returncode:
        pytest.fail("scripts/guest-assets.sh failed:\n%s%s"
                    % (r.stdout, r.stderr))
    return ASSETS


# hypnest offers FEAT_VHE (guest.el2=vhe) in every row ...
VHE_OFFERED = r"offered as a VHE \(E2H=1 allowed\) guest hypervisor"
# ... and an nVHE L1 turns it down itself: kvm-arm.mode=nvhe's
# id_aa64mmfr1.vh=0 override of the VH field it read as 1
VH_OVERRIDE = r"CPU features: SYS_ID_AA64MMFR1_EL1\[11:8\]: forced to 0"


def kvm_mode_line(c, kernel, mode):
    """FEAT_VHE offered; for nVHE, L1's own override of it; then KVM's mode
    line: fail if it came up in the other mode."""
    c.expect(VHE_OFFERED, nl.L1_TIMEOUT, "hypnest to offer FEAT_VHE")
    if mode == "nvhe":
        c.expect(VH_OVERRIDE, nl.L1_TIMEOUT,
                 "L1 to override ID_AA64MMFR1_EL1.VH (kvm-arm.mode=nvhe)")
    want = KVM_VHE if mode == "vhe" else KVM_NVHE[kernel]
    other = KVM_NVHE[kernel] if mode == "vhe" else KVM_VHE
    i = c.expect([want, other, KVM_NOT_UP], nl.L1_TIMEOUT,
                 "L1's KVM to come up (%s)" % mode)
    if i:
        c.fail("L1's KVM is not in %s mode: %r" % (
            mode, c.p.match.group(0).decode(errors="replace")))


@pytest.mark.slow
@pytest.mark.parametrize("kernel,mode", PAIRS,
                         ids=["%s-%s" % p for p in PAIRS])
def test_l1_kernel_mode_pair(pair_assets, kernel, mode):
    """L1 = Image-<kernel> at hypnest's virtual EL2 with FEAT_VHE offered,
    in VHE mode or (kvm-arm.mode=nvhe) nVHE mode by its own choice; its
    KVM boots L2 (6.12) to its shell; back in L1, poweroff exits 0."""
    image = os.path.join(pair_assets, "Image-" + kernel)
    cmdline = L1_CMDLINE + (" kvm-arm.mode=nvhe" if mode == "nvhe" else "")
    start = time.monotonic()
    c = nl.Console("nested-pair-%s-%s" % (kernel, mode), "make",
                   ["-s", "run", "NESTED=1", "E2H=1", "L1_KERNEL=" + image,
                    "GUEST_CMDLINE=" + cmdline])
    try:
        kvm_mode_line(c, kernel, mode)
        nl.reach_l1(c)
        l1_up = time.monotonic() - start
        c.cmd("uname -r", r"\n%s\r*\n%s" % (
            re.escape(nl.kernel_version(image)), nl.L1_PROMPT))
        launch = nl.boot_l2(
            c, nl.kernel_version(os.path.join(pair_assets, "Image-6.12")),
            l2_timeout=nl.L2_TIMEOUT_HYP)
        c.p.send("poweroff\n")
        c.expect(pexpect.EOF, nl.CMD_TIMEOUT, "QEMU to exit after poweroff")
        c.p.close()
        assert c.p.exitstatus == EXIT_OK, c.text()[-2000:]
        print("L1 %s %s: prompt %.0f s, run-l2 to L2's prompt %.0f s, "
              "row %.0f s" % (kernel, mode, l1_up, launch,
                              time.monotonic() - start))
    finally:
        c.close()
