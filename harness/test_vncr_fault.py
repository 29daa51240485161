"""A fault on the VNCR page is hypnest's own bug (issue 10, defect 10b).

Under FEAT_NV2 a guest hypervisor's register accesses at virtual EL2 become
loads and stores to the VNCR page, hypnest's memory; a fault there is taken
to EL2 as EC 0x25 with ESR_EL2.VNCR set (Arm ARM D8.14.6.3). hypnest must
stop with a clear message and a register dump (exit status 3), not inject
an UNDEF into the guest. The test build (TEST_HOOKS=1) has a vendor call
that points VNCR_EL2 at unmapped memory; guest-tests/vel2_vncr_fault.c
calls it and then reads its HCR_EL2."""
import pytest

from hvqemu import EXIT_PANIC
from test_guest import guest_tests, run_guest  # noqa: F401 (fixture)


@pytest.mark.parametrize("flavour", ["nvhe", "vhe"])
def test_vncr_fault_is_a_hypervisor_panic(qemu, test_image, guest_tests,
                                          flavour):
    status, out = run_guest(qemu, test_image, guest_tests, "vel2_vncr_fault",
                            smp=1, extra="guest.el2=%s" % flavour)
    assert "PASS: test hook present" in out, out
    assert status == EXIT_PANIC, out
    assert ("*** hypervisor bug: vcpu0's register access that NV2 "
            "redirected to the VNCR page faulted at EL2") in out, out
    # HCR_EL2 is at offset 0x078 of the VNCR page (D8.14.6.2); VNCR_EL2
    # points at 0x1000, which hypnest never maps at EL2
    assert "a read at VNCR page offset 0x078: translation fault" in out, out
    assert "VNCR_EL2 0x0000000000001000  FAR_EL2 0x0000000000001078" in out
    assert "vcpu0 PC 0x" in out
    assert "cpu0 stopped: hypervisor panic" in out
    assert "UNDEF injected" not in out
    assert "stopped at the faulting access" not in out
