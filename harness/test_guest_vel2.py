"""Bare-metal guest hypervisors (guest-tests/vel2_nvhe.c, vel2_vhe.c): the
guest starts at a virtual EL2 (guest.el2=nvhe / guest.el2=vhe on hypnest's
command line) and checks CurrentEL, the EL2 (and EL1 / EL12) registers'
round trips, its own EL2 stage-1 MMU, exceptions at EL2, and a vEL1 payload
whose HVCs reach its EL2 vectors; PSCI goes over SMC from EL2.

The same images run on bare QEMU with virtualization=on, where they start
at the real EL2 and must pass in full: that keeps the expectations honest
(they are the architecture's, not hypnest's)."""
import os

import pytest

from hvqemu import base_args
from test_guest import (check_passes, check_results, guest_tests,  # noqa
                        run_bare, run_guest)


def test_no_nv2_falls_back_to_el1(qemu, hyp_image, guest_tests):
    """A CPU without FEAT_NV2 (QEMU's neoverse-n1: Armv8.2, EL2 but no
    FEAT_NV): guest.el2=vhe starts the guest at EL1, and the log says why;
    an EL1 guest then runs as before."""
    image = os.path.join(guest_tests, "psci.bin")
    args = base_args(smp=2)
    args[args.index("max")] = "neoverse-n1"
    args += ["-kernel", hyp_image, "-append",
             "guest.kernel=0x60000000:%d guest.cpus=2 guest.el2=vhe"
             % os.path.getsize(image),
             "-device", "loader,file=%s,addr=0x60000000,force-raw=on" % image]
    r = qemu(args, timeout=120)
    status = r.wait_exit()
    out = r.output()
    assert ("guest.el2=vhe: this CPU has no FEAT_NV2 (none): the guest "
            "starts at EL1, without virtual EL2") in out, out
    check_results(status, out, 12)


def test_bad_el2_option_is_refused(qemu, hyp_image, guest_tests):
    image = os.path.join(guest_tests, "psci.bin")
    status, out = run_guest(qemu, hyp_image, guest_tests, "psci", smp=1,
                            extra="guest.el2=maybe")
    assert status == 1, out
    assert "guest.el2=maybe: expected off, nvhe or vhe" in out
    assert os.path.exists(image)


# guest-tests/vel2_s2.c: a guest hypervisor that turns its stage 2 on
# (HCR_EL2.VM) for its vEL1: QEMU's EL2 and hypnest honour it (the test
# fails if the ERET is refused or its stage 2 ignored)
S2_PASS = 4


# its vEL1 under its own stage 2 (L2) runs on a shadow of that stage 2
# (nv/l2.c): the marker lands where its stage 2 says, as on bare QEMU
def test_guest_stage2_honoured(qemu, hyp_image, guest_tests):
    status, out = run_guest(qemu, hyp_image, guest_tests, "vel2_s2", smp=1,
                            extra="guest.el2=nvhe")
    check_results(status, out, S2_PASS)
    assert "note: stage 2 honoured" in out, out
    assert "stage 2 refused" not in out, out


def test_guest_stage2_on_bare_qemu(qemu, guest_tests):
    status, out = run_bare(qemu, guest_tests, "vel2_s2")
    check_passes(status, out, S2_PASS)
    assert "note: stage 2 honoured" in out, out


# Each image of a bare-metal guest hypervisor: the flavour it runs as under
# hypnest (guest.el2=), its PASS lines there and at QEMU's real EL2 (None:
# not run there again), a line it must print under hypnest.
#
# guest-tests/vel2_nvhe.c, vel2_vhe.c (lib/vel2.h): the VHE one has
# TTBR1_EL2, CONTEXTIDR_EL2, the FEAT_VHE check and more *_EL12 vs *_EL2
# pairs
#
# guest-tests/vel2_fwd.c (E2H = 0) and vel2_fwd_vhe.c (E2H = 1, set by the
# test), both lib/vel2_fwd.h: traps a guest hypervisor asks for in HCR_EL2
# (TWI, TID3, TID1, TVM, TSC, TTLB, API = 0, TID2, TIDCP, TACR, TSW, TPCP,
# TPU, TDZ, TRVM, APK = 0, TLOR, TID4, TICAB, TOCU, TTLBIS, TTLBOS, IMO) and
# MDCR_EL2.TDE reach its EL2 vectors from a vEL1 payload (each tagged for
# harness/test_forward_coverage.py). Under hypnest a guest hypervisor is
# offered no pointer authentication (docs/id-regs.md: its ERETAA/ERETAB
# are emulated without authentication) or FEAT_LOR, so the checks of API
# (8), APK (4) and TLOR (4) are skipped there ("note: API: no FEAT_PAuth
# ..."); QEMU's EL2 runs them. FEAT_EVT is offered (2): its 20 checks run
# under hypnest too.
FWD_PASS = 137
FWD_PASS_HYP = FWD_PASS - 16
NO_PAUTH = "note: API: no FEAT_PAuth generic authentication"
#
# guest-tests/vel2_ich.c: ICH_MISR/EISR/ELRSR_EL2 computed from the list
# registers a guest hypervisor wrote (IHI 0069)
ICH_PASS = 16
#
# The guest's HCR_EL2 beyond trap forwarding (nv/hcr.c): VI/VF/VSE pend
# virtual interrupts for its vEL1 (guest-tests/vel2_virq.c); TGE at its
# vEL0 with E2H = 0 and in its EL2&0 regime (guest-tests/vel2_tge.c)
#
# guest-tests/vel2_nested_gic.c, vel2_nested_gic_vhe.c (lib/nested_gic.h,
# E2H = 0 and 1): the nested vGIC -- a guest hypervisor's
# list registers, ICH_HCR/VMCR_EL2 in the CPU while its vEL1 runs (IMO,
# ICH_HCR_EL2.En): a virtual interrupt taken and EOId there, the EOI and
# underflow maintenance interrupts at EL2 as PPI 25, a HW = 1 entry for its
# EL1 virtual timer (armed with CNTVOFF_EL2) deactivating its PPI 27, its
# own EL2 timer while the payload runs, the first part again with VM = 1
# (an identity stage 2: under hypnest an L2 on a shadow stage 2), and its
# maintenance interrupt asserted while disabled at its GIC: no storm, the
# payload runs on, PPI 25 pending as a level; the payload's ICC_SGI1R/
# ASGI1R_EL1 writes trap to EL2 with IMO (none becomes an SGI of EL2's)
NESTED_GIC_PASS = 49
# vel2_nested_gic_bad.c: list registers with special, reserved, duplicate
# vINTIDs (UNPREDICTABLE on hardware: under hypnest only), then the guest
# hypervisor's EL2 timer still works; hypnest says so once
NESTED_BAD_PASS = 17
NESTED_BAD_LOG = ("vcpu0: guest hypervisor's list registers 0xb not loaded "
                  "for its vEL1")
#
# guest-tests/lib/level.h (vel2_level_nvhe.c, vel2_level_vhe.c): the EL2
# state that follows the level -- CNTVOFF_EL2, VPIDR/VMPIDR_EL2 and the
# CNTHCTL/CPTR/MDCR_EL2 traps at vEL1 --, E2H flipped in HCR_EL2 without a
# trap (VHE), timers waking WFI at vEL2 and vEL1, IMO routing to vEL2
LEVEL = [("nvhe", "vel2_level_nvhe", 73), ("vhe", "vel2_level_vhe", 81)]
#
# guest-tests/vel2_stats.c: the per-level exit accounting read back through
# the vendor call HYPNEST_LEVEL_COUNT (0x86000002): its vEL1's HVCs counted
# at vEL1, one 2-trap episode each; with its stage 2 on, L2's HVCs and MMIO
# loads, one 2-trap L2 episode each, by kind L2's exit and L1's ERET only;
# its MRS MDCR_EL2 at vEL2 counted by encoding; hypnest only (no vendor
# call on QEMU)
STATS_PASS = 36
IMAGES = [
    ("nvhe", "vel2_nvhe", 94, 94, None),
    ("vhe", "vel2_vhe", 100, 100, None),
    ("nvhe", "vel2_fwd", FWD_PASS_HYP, FWD_PASS, NO_PAUTH),
    ("vhe", "vel2_fwd_vhe", FWD_PASS_HYP, FWD_PASS, NO_PAUTH),
    ("nvhe", "vel2_ich", ICH_PASS, ICH_PASS, None),
    ("vhe", "vel2_ich", ICH_PASS, None, None),
    ("nvhe", "vel2_virq", 23, 23, None),
    ("vhe", "vel2_tge", 22, 22, None),
    ("nvhe", "vel2_nested_gic", NESTED_GIC_PASS, NESTED_GIC_PASS, None),
    ("vhe", "vel2_nested_gic_vhe", NESTED_GIC_PASS, NESTED_GIC_PASS, None),
    ("nvhe", "vel2_nested_gic_bad", NESTED_BAD_PASS, None, NESTED_BAD_LOG),
    ("nvhe", "vel2_stats", STATS_PASS, None,
     "note: 2 hypnest traps per L2 hypercall, 2 per L2 MMIO exit"),
] + [(flavour, name, n, n, None) for flavour, name, n in LEVEL]
IDS = ["%s-%s" % (row[1], row[0]) for row in IMAGES]


@pytest.mark.parametrize("flavour,name,hyp,bare,note", IMAGES, ids=IDS)
def test_under_hypnest(qemu, hyp_image, guest_tests, flavour, name, hyp,
                       bare, note):
    status, out = run_guest(qemu, hyp_image, guest_tests, name, smp=1,
                            extra="guest.el2=%s" % flavour)
    check_results(status, out, hyp)
    if note:
        assert note in out, out


@pytest.mark.parametrize(
    "flavour,name,hyp,bare,note",
    [row for row in IMAGES if row[3] is not None],
    ids=[i for i, row in zip(IDS, IMAGES) if row[3] is not None])
def test_on_bare_qemu(qemu, guest_tests, flavour, name, hyp, bare, note):
    """The same images at QEMU's real EL2: the architecture's answers."""
    check_passes(*run_bare(qemu, guest_tests, name), bare)


@pytest.mark.parametrize("flavour,name,expect", LEVEL)
def test_level_state_with_a_late_timer(qemu, test_image, guest_tests,
                                       flavour, name, expect):
    """The test build waits 5 ms between deciding where a vEL1 interrupt
    goes (its guest's HCR_EL2.IMO) and filling the list registers
    (test=route-delay): the EL2 timer that falls due in between is still
    taken at vEL2, never at vEL1."""
    status, out = run_guest(qemu, test_image, guest_tests, name, smp=1,
                            extra="guest.el2=%s test=route-delay" % flavour)
    assert "test hook: route-delay" in out
    check_results(status, out, expect)
