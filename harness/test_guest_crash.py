"""A guest that ends by a reset (guest-tests/crash.c): hypnest does not
restart guests, it reports the end as a crash (vm/vm.c vm_crash,
vcpu/report.c) -- every vCPU's level, PC and registers, its EL1 (and
vEL2) exception registers with the exception class named, the per-level
counters -- and exits with EXIT_GUEST_CRASH. vCPU 1 is stopped there
while it spins with every interrupt masked."""
import re

import pytest

from hvqemu import EXIT_GUEST_CRASH
from test_guest import guest_tests, run_guest  # noqa: F401

# (id, hypnest's guest.el2=, the level and EL vCPU 1 is reported at, the
# reset vCPU 0 uses, where its syndrome is)
CASES = [
    ("el1", "guest.el2=off", "EL1", "EL1", "SYSTEM_RESET", "EL1"),
    ("vel2_vhe", "guest.el2=vhe", "vEL2", "EL2", "SYSTEM_RESET2", "vEL2"),
    ("vel2_nvhe", "guest.el2=nvhe", "vEL2", "EL2", "SYSTEM_RESET2", "vEL2"),
]

SPIN_RE = r"crash: vcpu1 spins at (0x[0-9a-f]+), vcpu0 resets by (\S+)"


def vcpu_block(out, n):
    """vCPU n's report: from its 'vcpuN: at' line to the next vCPU's"""
    m = re.search(r"^vcpu%d: at .*?(?=^vcpu\d: at |^hyp\[)" % n, out,
                  re.M | re.S)
    assert m, "no report for vcpu%d\n%s" % (n, out)
    return m.group(0)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_reset_is_reported_as_a_crash(qemu, hyp_image, guest_tests, case):
    _, extra, level, el, reset, syn = case
    status, out = run_guest(qemu, hyp_image, guest_tests, "crash", smp=2,
                            extra=extra)
    assert "FAIL" not in out, out
    assert "hypervisor bug" not in out, out
    m = re.search(SPIN_RE, out)
    assert m and m.group(2) == reset, out
    spin = int(m.group(1), 16)
    assert status == EXIT_GUEST_CRASH, out
    assert re.search(r"guest: %s .*from vcpu0: the guest is stopped" % reset,
                     out), out
    assert "guest stopped: exit status %d" % EXIT_GUEST_CRASH in out, out
    # vCPU 0 at its HVC/SMC exit, the reset's marker in x22, its syndrome
    v0 = vcpu_block(out, 0)
    assert re.search(r"vcpu0: at %s \(%sh\)" % (level, el), v0), v0
    assert re.search(r"stopped at its sync exit: ESR_EL2 0x\w+ \(EC 0x1[67] "
                     r"(HVC|SMC)", v0), v0
    assert re.search(r"x22 0x5a5a00000000c0de", v0), v0
    assert re.search(r"%s: ESR 0x96000045 \(EC 0x25 [^)]*\) ELR 0x\w+ FAR "
                     r"0x00000000dead0000" % syn, v0), v0
    # vCPU 1 kicked out of its masked spin: exactly there, its x21
    v1 = vcpu_block(out, 1)
    assert re.search(r"vcpu1: at %s \(%sh\), PC 0x%016x PSTATE "
                     r"0x\w*[3-9a-f]c\w\b" % (level, el, spin), v1), v1
    assert "stopped at its irq exit" in v1, v1
    assert re.search(r"x21 0x5a5a00000001c0de", v1), v1
    # then each vCPU's counters, by level
    for n in (0, 1):
        assert re.search(r"vcpu%d: exits by level: EL1 \d+, vEL2 \d+, "
                         r"vEL1 \d+, L2 \d+ \(of \d+\)" % n, out), out


def test_reset_with_vcpu1_at_vel0_host(qemu, hyp_image, guest_tests):
    """guest-tests/crash_vel0_host.c: vCPU 1 spins at vEL0 in its EL2&0
    host regime ({E2H, TGE} = {1, 1}; the vEL2 context stays loaded) when
    vCPU 0 resets: its EL1 line shows its EL1's registers (ESR_EL12 and
    FAR_EL12 as it left them), not its vEL2's (vcpu/report.c)."""
    status, out = run_guest(qemu, hyp_image, guest_tests, "crash_vel0_host",
                            smp=2, extra="guest.el2=vhe")
    assert "FAIL" not in out and "hypervisor bug" not in out, out
    m = re.search(SPIN_RE, out)
    assert m and m.group(2) == "SYSTEM_RESET2", out
    spin = int(m.group(1), 16)
    assert status == EXIT_GUEST_CRASH, out
    v1 = vcpu_block(out, 1)
    assert re.search(r"vcpu1: at vEL2 \(EL0t\), PC 0x%016x PSTATE "
                     r"0x\w*3c0\b" % spin, v1), v1
    assert "stopped at its irq exit" in v1, v1
    assert re.search(r"EL1: ESR 0x96000046 \(EC 0x25 [^)]*\) ELR 0x\w+ "
                     r"FAR 0x00000000beef0000", v1), v1
    assert re.search(r"vEL2: ESR 0x82000007 \(EC 0x20 [^)]*\) ELR "
                     r"0x%016x FAR 0x00000000feed0000" % spin, v1), v1
    assert re.search(r"vEL2: HCR_EL2 0x\w*[8-9a-f]\w{6}\b", v1), v1


def test_reset_with_a_wedged_l2(qemu, hyp_image, guest_tests):
    """guest-tests/nested_wedge_reset.c: L1's vCPU 1 resets while vCPU 0's
    L2 spins with DAIF masked (lib/nested_wedge.h): vCPU 0 is kicked out
    of L2 and reported at L2, at the spin; vCPU 1 at vEL2, at its SMC."""
    status, out = run_guest(qemu, hyp_image, guest_tests,
                            "nested_wedge_reset", smp=2,
                            extra="guest.el2=vhe")
    assert "FAIL" not in out and "hypervisor bug" not in out, out
    m = re.search(r"wedge: vcpu0's L2 spins at (0x[0-9a-f]+), vcpu1 resets",
                  out)
    assert m, out
    spin = int(m.group(1), 16)
    assert status == EXIT_GUEST_CRASH, out
    assert re.search(r"guest: SYSTEM_RESET .*from vcpu1: the guest is "
                     r"stopped", out), out
    v0 = vcpu_block(out, 0)
    assert re.search(r"vcpu0: at L2 \(EL1h\), PC 0x%016x PSTATE "
                     r"0x\w*3c5\b" % spin, v0), v0
    assert "stopped at its irq exit" in v0, v0
    v1 = vcpu_block(out, 1)
    assert re.search(r"vcpu1: at vEL2 \(EL2h\)", v1), v1
    assert re.search(r"stopped at its sync exit: ESR_EL2 0x\w+ \(EC 0x17 "
                     r"SMC", v1), v1
    assert re.search(r"vcpu0: exits by level: EL1 0, vEL2 \d+, vEL1 \d+, "
                     r"L2 [1-9]\d* \(of \d+\)", out), out



# guest-tests/end_race_off.c, end_race_reset.c (lib/end_race.h): SYSTEM_OFF
# on vCPU 0 and SYSTEM_RESET on vCPU 1, the second meant to come while the
# first one's report prints (end_race_off: OFF first; end_race_reset: the
# reset first); the host's scheduling may swap them, so either end is
# accepted, each complete and alone
END_RACE = ["end_race_off", "end_race_reset"]


@pytest.mark.parametrize("name", END_RACE)
def test_off_and_reset_race(qemu, hyp_image, guest_tests, name):
    """The guest's end is claimed once (vm/vm.c vm_claim_end): the call
    that comes second parks, and the run ends with one complete report,
    the first one's, and its status."""
    status, out = run_guest(qemu, hyp_image, guest_tests, name, smp=2,
                            extra="guest.el2=off")
    assert "FAIL" not in out and "hypervisor bug" not in out, out
    assert "end race: vcpu0 SYSTEM_OFF" in out, out
    assert status in (0, EXIT_GUEST_CRASH), out
    stopped = re.findall(r"guest stopped: exit status (\d+)", out)
    assert stopped == [str(status)], out
    crash = re.findall(r"guest: \S+ .*from vcpu(\d): the guest is stopped",
                       out)
    off = re.findall(r"guest: SYSTEM_OFF from vcpu(\d)", out)
    if status == 0:
        assert crash == [] and off == ["0"], out
        assert not re.search(r"^vcpu\d: at ", out, re.M), out
    else:
        assert crash == ["1"] and off == [], out
        # vCPU 0 parked (at its SYSTEM_OFF, or kicked out of its wait)
        # and printed its state in its turn
        assert re.search(r"stopped at its (sync|irq) exit",
                         vcpu_block(out, 0)), out
        assert "stopped at its sync exit" in vcpu_block(out, 1), out
    # the counters once per vCPU, after the report
    for n in (0, 1):
        assert len(re.findall(r"vcpu%d: exits by level:" % n, out)) == 1, out


def test_a_vcpu_that_does_not_stop_is_not_dumped(qemu, test_image,
                                                 guest_tests):
    """The test build's test=no-park: vCPU 1, kicked out of its masked
    spin, goes back to it instead of parking, as a vCPU stuck where it
    never looks at vm->stopping would. The report waits its 1 s for it,
    then says it did not stop and prints none of its registers: read from
    another CPU while it runs they would be no state it was ever in
    (vm/vm.c report_one). vCPU 0's report and the counters are as ever."""
    status, out = run_guest(qemu, test_image, guest_tests, "crash", smp=2,
                            extra="guest.el2=off test=no-park")
    assert "test hook: no-park" in out, out
    assert "FAIL" not in out and "hypervisor bug" not in out, out
    m = re.search(SPIN_RE, out)
    assert m and m.group(2) == "SYSTEM_RESET", out
    assert status == EXIT_GUEST_CRASH, out
    v0 = vcpu_block(out, 0)
    assert re.search(r"stopped at its sync exit: ESR_EL2 0x\w+ \(EC 0x16 "
                     r"HVC", v0), v0
    assert re.search(r"x22 0x5a5a00000000c0de", v0), v0
    assert ("vcpu1: did not stop within 1000 ms: still running, its "
            "registers are not shown") in out, out
    # nothing of vCPU 1's state: no report block, no PC, not the x21
    # marker it spins with
    assert not re.search(r"^vcpu1: at ", out, re.M), out
    assert not re.search(r"vcpu1 PC 0x", out), out
    assert "0x5a5a00000001c0de" not in out, out
    assert "guest stopped: exit status %d" % EXIT_GUEST_CRASH in out, out
    for n in (0, 1):
        assert re.search(r"vcpu%d: exits by level: EL1 \d+" % n, out), out
