"""EL2 state at boot does not depend on what hypnest found.

On hardware HCRX_EL2, the fine-grained trap registers, HSTR/HACR_EL2, the
timers' controls and the virtual CPU interface hold whatever reset or a
boot loader left (UNKNOWN); QEMU resets them to 0, so on QEMU a missing
initialisation goes unnoticed. harness/shim/poison-shim.S is an Image that
QEMU starts instead of hypnest: it fills those registers with junk and
then enters hypnest. With log=debug hypnest logs the boot state read back
from the registers ("cpu0: EL2 boot state: NAME 0xVALUE ..."): it must be
the same as after a clean reset, and guests must run exactly as they do
after a clean reset (their pass counts equal).

The shim runs on CPU 0 only (secondaries start from PSCI's clean state),
so these runs use one CPU.
"""
import os
import re
import subprocess

import pytest

import hvqemu
from hvqemu import EXIT_OK, base_args
from test_guest import guest_tests  # noqa: F401 (fixture)

STAGE = 0x60000000
STATE_RE = re.compile(r"hyp\[0\] debug: cpu0: EL2 boot state:(.*)")
ITEM_RE = re.compile(r"(\w+) 0x([0-9a-f]+)")

# QEMU's -cpu max has FEAT_HCX, FEAT_FGT and FEAT_RAS (not FGT2, not the
# AMU): these
# must be among the registers hypnest sets, or the test checks nothing
EXPECTED = ["HCRX_EL2", "HFGRTR_EL2", "HFGWTR_EL2", "HFGITR_EL2",
            "HDFGRTR_EL2", "HDFGWTR_EL2", "HSTR_EL2", "HACR_EL2",
            "CNTVOFF_EL2", "VSESR_EL2", "CNTHP_CTL_EL2", "CNTHV_CTL_EL2", "CNTP_CTL_EL0",
            "CNTV_CTL_EL0", "ICH_HCR_EL2", "ICH_VMCR_EL2", "ICH_AP0R0_EL2",
            "ICH_AP1R0_EL2", "ICH_LR0_EL2", "ICH_LR3_EL2"]
# read back as written (0); ICH_VMCR_EL2 reads back its minimum binary
# points, which only a clean boot can say
NOT_ZERO_OK = {"ICH_VMCR_EL2"}


def poison_args():
    subprocess.run(["make", "-s", "-C", hvqemu.ROOT, "build/shim/poison.bin",
                    "build/hypnest.elf"], check=True)
    return ["-kernel", os.path.join(hvqemu.BUILD, "shim", "poison.bin"),
            "-device", "loader,file=%s" % os.path.join(hvqemu.BUILD,
                                                       "hypnest.elf")]


def boot(qemu, hyp_image, poisoned, append, extra=(), suffix=""):
    kernel = poison_args() if poisoned else ["-kernel", hyp_image]
    r = qemu(base_args(smp=1) + kernel + ["-append", append] + list(extra),
             timeout=120, suffix=suffix + ("-poisoned" if poisoned else ""))
    status = r.wait_exit()
    return status, r.output()


def boot_state(out):
    """cpu0's logged EL2 boot state: {register name: value}"""
    state = {}
    for line in STATE_RE.findall(out):
        for name, value in ITEM_RE.findall(line):
            state[name] = int(value, 16)
    return state


def test_boot_state_ignores_junk(qemu, hyp_image):
    clean_status, clean = boot(qemu, hyp_image, False, "log=debug")
    status, poisoned = boot(qemu, hyp_image, True, "log=debug")
    assert clean_status == EXIT_OK, clean
    assert status == EXIT_OK, poisoned
    want, got = boot_state(clean), boot_state(poisoned)
    for name in EXPECTED:
        assert name in want, clean
    assert got == want, poisoned
    for name, value in got.items():
        assert value == 0 or name in NOT_ZERO_OK, (name, poisoned)


def run_guest(qemu, hyp_image, guest_dir, name, el2, poisoned):
    image = os.path.join(guest_dir, name + ".bin")
    append = "guest.kernel=0x%x:%d guest.cpus=1 guest.el2=%s" % (
        STAGE, os.path.getsize(image), el2)
    loader = ["-device",
              "loader,file=%s,addr=0x%x,force-raw=on" % (image, STAGE)]
    return boot(qemu, hyp_image, poisoned, append, loader)


def passes(status, out):
    assert "FAIL" not in out, out
    m = re.search(r"GUEST-TESTS-DONE pass=(\d+) fail=(\d+)", out)
    assert m, out
    assert int(m.group(2)) == 0, out
    assert status == EXIT_OK, out
    return int(m.group(1))


# guests the junk would reach: EL1 registers (fine-grained traps), the
# GIC's virtual CPU interface and the timers (timer), and a guest
# hypervisor at virtual EL2 with its EL2 timers (vel2_*)
@pytest.mark.parametrize("name,el2", [("timer", "off"),
                                      ("vel2_nvhe", "nvhe"),
                                      ("vel2_vhe", "vhe")])
def test_guest_runs_after_junk(qemu, hyp_image, guest_tests, name, el2):
    clean = passes(*run_guest(qemu, hyp_image, guest_tests, name, el2,
                              False))
    poisoned = passes(*run_guest(qemu, hyp_image, guest_tests, name, el2,
                                 True))
    assert poisoned == clean
