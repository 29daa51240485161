"""Bare-metal nested guests (guest-tests/nested_nvhe.c, nested_vhe.c,
lib/nested.h): a guest hypervisor at a virtual EL2 (E2H = 0 and 1) builds a
stage 2 for a payload at its EL1 (L2) and runs it on two vCPUs: L2's HVC,
stage-2 faults with their ESR/FAR/HPFAR and the retry, a remap with TLBI
(of a page, and of a 1 GiB block by one IPA in it),
L1 PAs outside L1's RAM and where hypnest lives (as pages and as
stage-2 tables), the trap controls TVM,
TID3, TWI, TSC (clear: L2's SMC UNDEFINED under hypnest), CPTR_EL2 FP
and IMO set and clear, a list register taken
and EOId by L2 as L1's ICH_ELRSR/EISR/MISR_EL2 then show, L2's virtual
timer on L1's CNTVOFF_EL2, two vCPUs on one VTTBR, 10,000 L2 hypercalls
with hypnest's traps per hypercall.

The same images run at QEMU's real EL2 (virtualization=on, 2 CPUs, 256 MiB
of RAM: the RAM hypnest gives its guest by default, so that the probes
beyond L1's RAM are the same): every check must pass there, and under
hypnest exactly the same ones, with no hypervisor bug or panic."""
import os
import re

import pytest

from hvqemu import base_args
from test_guest import check_passes, check_results, guest_tests, run_guest  # noqa

# PASS lines of lib/nested.h, the same at QEMU's EL2 and under hypnest
NESTED_PASS = 124
# under hypnest also: no growth of its shadow tables or allocator over a
# round of 10,000 L2 hypercalls (its vendor call HYPNEST_MEM_USE), and a
# storm of 10,000 TLBIs one trap each, its free pages not fewer
NESTED_PASS_HYP = NESTED_PASS + 2
IMAGES = [("nvhe", "nested_nvhe"), ("vhe", "nested_vhe")]
TRAPS_RE = r"traps per L2 hypercall: (\d+\.\d\d|n/a)"
# lines each image must print in full (a count can hide a swapped check)
LINES = [
    "PASS: HVC: at L1's lower-EL sync vector (0x400), ESR_EL2 0x5a0004e5",
    "PASS: load, level-1 fault: at L1's lower-EL sync vector (0x400), "
    "ESR_EL2 0x93c58005",
    "PASS: load, level-2 fault: at L1's lower-EL sync vector (0x400), "
    "ESR_EL2 0x93c58006",
    "PASS: load, level-3 fault: at L1's lower-EL sync vector (0x400), "
    "ESR_EL2 0x93c58007",
    "PASS: store, level-3 fault: at L1's lower-EL sync vector (0x400), "
    "ESR_EL2 0x93870047",
    "PASS: store, level-3 fault: the retried store landed in the page L1 "
    "mapped",
    "PASS: remap: after TLBI IPAS2E1IS + VMALLE1IS L2 reads page B",
    "PASS: block remap: after one TLBI IPAS2E1IS in the block, L2 reads "
    "the new pages in both parts",
    "PASS: L1 PA 0x40200000 (L1's RAM): L2 reads what L1 reads there",
    "PASS: L1 PA 0x50000000: L2 takes a synchronous External abort at its "
    "EL1 (0x200), ESR_EL1 0x96000010, FAR_EL1 its VA",
    "PASS: L1 PA 0x7ffff000: L2 takes a synchronous External abort at its "
    "EL1 (0x200), ESR_EL1 0x96000010, FAR_EL1 its VA",
    "PASS: stage-2 table at L1 PA 0x50000000: External abort on the walk "
    "at L1, DFSC 0x17, FAR_EL2 L2's VA; L2 goes on",
    "PASS: stage-2 table at L1 PA 0x7ffff000: External abort on the walk "
    "at L1, DFSC 0x17, FAR_EL2 L2's VA; L2 goes on",
    "PASS: TVM: MSR SCTLR_EL1 clear: L1 sees nothing",
    "PASS: TID3: MRS ID_AA64PFR0_EL1 clear: L2 reads ID_AA64PFR0_EL1 as L1 "
    "does",
    "PASS: TWI: WFI: at L1's lower-EL sync vector (0x400), ESR_EL2 "
    "0x7e00000",
    "PASS: TWI: WFI clear: L1 sees nothing",
    "PASS: TSC: SMC set: L2's x0 is what L1 put there, no exception at "
    "L2's EL1",
    "PASS: FP clear: FMOV ran at L2",
    "PASS: IMO set: L2 exits to L1's lower-EL IRQ vector (0x480), INTID 26, "
    "from EL1h",
    "PASS: IMO clear: the interrupt is pending at L2 (ISR_EL1.I)",
    "PASS: IMO clear: L1 takes it at EL2 (0x280) once it sets IMO and "
    "unmasks, INTID 26",
    "PASS: CNTVOFF: L2's CNTVCT_EL0 is the count minus L1's CNTVOFF_EL2",
    "PASS: CNTVOFF: not before CVAL on L2's count, ISTATUS",
    "PASS: SMP: both L2 vCPUs ran to their exit on one VTTBR",
    "PASS: SMP: each L2 vCPU reads what the other stored in the pages the "
    "other faulted in",
    "PASS: 10000 L2 HVCs, round 2: each reached L1 once",
]
FP_LINE = {"nvhe": "PASS: CPTR_EL2.TFP: FMOV: at L1's lower-EL sync vector "
                   "(0x400), ESR_EL2 0x1fe00000",
           "vhe": "PASS: CPTR_EL2.FPEN: FMOV: at L1's lower-EL sync vector "
                  "(0x400), ESR_EL2 0x1fe00000"}


# guest-tests/nested_vgic_nvhe.c, nested_vgic_vhe.c: case 8 alone, the
# nested vGIC (L1's list registers while L2 runs, ICH_ELRSR/EISR/MISR_EL2
# after)
VGIC_PASS = 17
VGIC_IMAGES = [("nvhe", "nested_vgic_nvhe"), ("vhe", "nested_vgic_vhe")]
VGIC_LINES = [
    "PASS: LR, EOI = 1: pending at L2 (ISR_EL1.I) before it acknowledges",
    "PASS: LR, EOI = 1: L2's ICC_IAR1_EL1 reads 42",
    "PASS: LR, EOI = 1: L2's EOI shows at L1: ICH_LR0_EL2 State invalid, "
    "ICH_EISR_EL2 bit 0, ICH_MISR_EL2.EOI, not in ICH_ELRSR_EL2",
    "PASS: LR, EOI = 0: L2's ICC_IAR1_EL1 reads 42",
    "PASS: LR, EOI = 0: L2's EOI shows at L1: ICH_LR0_EL2 State invalid, "
    "ICH_ELRSR_EL2 bit 0, not in ICH_EISR_EL2 nor ICH_MISR_EL2.EOI",
]


# L2's SMC (PSCI_SYSTEM_OFF under hypnest) with L1's HCR_EL2.TSC clear:
# with no EL3 it is UNDEFINED at L2's EL1 (Arm ARM J1.1.2.44) under
# hypnest, and L1 goes on; QEMU's EL2 answers an SMC at EL1 as its PSCI
# firmware (an EL3 its ID registers do not show), so there PSCI_VERSION
SMC_CLEAR = {
    "bare": "PASS: TSC: SMC clear: L2's x0 is the firmware's PSCI_VERSION",
    "hyp": "PASS: TSC: SMC clear: UNDEFINED at L2's EL1 (0x200), ESR_EL1 "
           "0x2000000, x0 kept (no EL3)",
}


def assert_lines(out, lines):
    for line in lines:
        assert line in out, line + "\n" + out


def check_lines(out, flavour, where):
    assert_lines(out, LINES + [FP_LINE[flavour], SMC_CLEAR[where]])


def el2_rows(images):
    """(flavour, name, guest.el2) rows under hypnest: each image as its own
    flavour, and the E2H = 0 one also with FEAT_VHE offered (guest.el2=vhe:
    the nVHE layout is its own choice, as at QEMU's EL2); and their ids"""
    rows = [(f, n, f) for f, n in images] + [
        (f, n, "vhe") for f, n in images if f == "nvhe"]
    return rows, ["%s-el2_%s" % (n, el2) if el2 != f else n
                  for f, n, el2 in rows]


def no_hypnest_bug(out):
    assert "hypervisor bug" not in out, out
    assert "panic" not in out.lower(), out


def run_bare_smp2(qemu, guest_dir, name):
    """No hypnest: QEMU starts the image at its real EL2 on 2 CPUs with
    256 MiB of RAM (PSCI over SMC answered by QEMU)."""
    image = os.path.join(guest_dir, name + ".bin")
    r = qemu(base_args(smp=2, mem="256M") + ["-kernel", image], timeout=120)
    status = r.wait_exit()
    return status, r.output()


@pytest.mark.parametrize("flavour,name", IMAGES, ids=[n for _, n in IMAGES])
def test_nested_on_bare_qemu(qemu, guest_tests, flavour, name):
    """The architecture's answers: QEMU's EL2 runs L2 on its stage 2."""
    status, out = run_bare_smp2(qemu, guest_tests, name)
    check_passes(status, out, NESTED_PASS)
    check_lines(out, flavour, "bare")
    # no hypnest: its vendor hypercall is not there
    assert re.findall(TRAPS_RE, out) == ["n/a", "n/a"], out


# under hypnest also the E2H = 0 guest hypervisor with FEAT_VHE offered
# (guest.el2=vhe), as at QEMU's EL2: the nVHE layout is its own choice
# (issue 12, the kvm-arm.mode=nvhe rows of test_nested_pairs.py)
HYP_ROWS, HYP_IDS = el2_rows(IMAGES)


@pytest.mark.parametrize("flavour,name,el2", HYP_ROWS, ids=HYP_IDS)
def test_nested_under_hypnest(qemu, hyp_image, guest_tests, flavour, name,
                              el2):
    """Under hypnest the guest hypervisor's stage 2 is honoured as at
    QEMU's EL2, and hypnest reports its traps per L2 hypercall, the same
    in both rounds of 10,000 (at most 0.02 apart: a stray interrupt in
    either round), at least one each (an HVC at EL1 always reaches the
    real EL2)."""
    status, out = run_guest(qemu, hyp_image, guest_tests, name, smp=2,
                            extra="guest.el2=%s" % el2)
    no_hypnest_bug(out)
    check_results(status, out, NESTED_PASS_HYP)
    check_lines(out, flavour, "hyp")
    figures = re.findall(TRAPS_RE, out)
    assert len(figures) == 2 and "n/a" not in figures, out
    first, second = (float(f) for f in figures)
    assert first >= 1.0 and second >= 1.0, out
    assert abs(first - second) <= 0.02, out
    # every exception into L1's vEL2 from L2 is counted as forwarded: the
    # 20,000 hypercalls at least (plus the aborts and traps of the cases)
    fwd = re.search(r"vcpu0: \d+ exits .*?(\d+) forwarded to vEL2", out)
    assert fwd and int(fwd.group(1)) >= 20000, out


@pytest.mark.parametrize("flavour,name", VGIC_IMAGES,
                         ids=[n for _, n in VGIC_IMAGES])
def test_nested_vgic_on_bare_qemu(qemu, guest_tests, flavour, name):
    status, out = run_bare_smp2(qemu, guest_tests, name)
    check_passes(status, out, VGIC_PASS)
    assert_lines(out, VGIC_LINES)


VGIC_HYP_ROWS, VGIC_HYP_IDS = el2_rows(VGIC_IMAGES)


@pytest.mark.parametrize("flavour,name,el2", VGIC_HYP_ROWS, ids=VGIC_HYP_IDS)
def test_nested_vgic_under_hypnest(qemu, hyp_image, guest_tests, flavour,
                                   name, el2):
    """L1's list registers are the real CPU interface's while L2 runs, and
    ICH_ELRSR/EISR/MISR_EL2 are computed from them after, as at QEMU's
    EL2."""
    status, out = run_guest(qemu, hyp_image, guest_tests, name, smp=2,
                            extra="guest.el2=%s" % el2)
    no_hypnest_bug(out)
    check_results(status, out, VGIC_PASS)
    assert_lines(out, VGIC_LINES)


# guest-tests/nested_wedge_nvhe.c, nested_wedge_vhe.c: case 11 alone, a
# wedged L2 (lib/nested_wedge.h)
WEDGE_PASS = 11
WEDGE_IMAGES = [("nvhe", "nested_wedge_nvhe"), ("vhe", "nested_wedge_vhe")]
WEDGE_LINES = [
    "PASS: wedge: L2 on vCPU 0 masked DAIF and spun",
    "PASS: wedge: L1's EL2 timer takes vCPU 0 out of its wedged L2, each "
    "tick at L1's lower-EL IRQ vector (0x480), INTID 26, from the spin at "
    "EL1h with DAIF masked",
    "PASS: wedge: meanwhile L1's vCPU 1 runs its own L2 on the same VTTBR, "
    "20 rounds of 50 HVCs and a TLBI VMALLS12E1IS",
    "PASS: wedge: L1 leaves the wedged L2, vCPU 1 stops",
    "PASS: wedge: after it, L2's HVC on vCPU 0 reaches L1",
]


@pytest.mark.parametrize("flavour,name", WEDGE_IMAGES,
                         ids=[n for _, n in WEDGE_IMAGES])
def test_nested_wedge_on_bare_qemu(qemu, guest_tests, flavour, name):
    status, out = run_bare_smp2(qemu, guest_tests, name)
    check_passes(status, out, WEDGE_PASS)
    assert_lines(out, WEDGE_LINES)


@pytest.mark.parametrize("flavour,name", WEDGE_IMAGES,
                         ids=[n for _, n in WEDGE_IMAGES])
def test_nested_wedge_under_hypnest(qemu, hyp_image, guest_tests, flavour,
                                    name):
    """A wedged L2 vCPU (interrupts masked, spinning) stops neither its L1
    vCPU (L1's EL2 timer still preempts it) nor L1's other vCPU (which
    runs its own L2 and TLBIs that VMID meanwhile), as at QEMU's EL2."""
    status, out = run_guest(qemu, hyp_image, guest_tests, name, smp=2,
                            extra="guest.el2=%s" % flavour)
    no_hypnest_bug(out)
    check_results(status, out, WEDGE_PASS)
    assert_lines(out, WEDGE_LINES)
