"""The ID registers a guest reads (sysreg/id_regs.c, docs/id-regs.md).

guest-tests/idregs.c prints the whole ID space at the level it runs at: at
EL1 (guest.el2=off) and at a virtual EL2 (nvhe, vhe) under hypnest, and at
bare QEMU's real EL2, whose values are the host's. Checked:
- the Arm ARM's rules between the values (harness/arm_id.py: A2.2's feature
  dependencies, the field constraints of D24.2, AArch32 fields agreeing
  with AArch64 ones), on what the guest reads and on QEMU's own values;
- hypnest's policy, against the host's values: AArch32 hidden, what is not
  honoured hidden (issue 10, defects 5 and 6), caps, and no field claiming
  more than the host has."""
import os

import pytest

import arm_id
import hvqemu
from test_guest import (check_passes, check_results, guest_tests,  # noqa
                        run_bare, run_guest)

LEVELS = ["off", "nvhe", "vhe"]
# QEMU 10's -cpu max shows FEAT_ECV in ID_AA64MMFR0_EL1.ECV but not in
# ID_PFR1_EL1.GenTimer (0b0010 would be ECV in AArch32): a model quirk
QEMU_QUIRKS = ("FEAT_ECV",)
# 4-bit fields where 0b1111 (-1) is "not implemented": compared signed
SIGNED = {("ID_AA64PFR0_EL1", "FP"), ("ID_AA64PFR0_EL1", "AdvSIMD"),
          ("ID_AA64MMFR0_EL1", "TGran4"), ("ID_AA64MMFR0_EL1", "TGran64"),
          ("ID_AA64DFR0_EL1", "DoubleLock"), ("ID_AA64DFR0_EL1", "MTPMU"),
          ("ID_AA64MMFR4_EL1", "E2H0")}
# not an order at all: 0b0000 "see TGranX", 0b0001 no, 0b0010 yes
STAGE2_GRANULES = ("TGran4_2", "TGran16_2", "TGran64_2")


@pytest.fixture(scope="module")
def reads(hyp_image, guest_tests):  # noqa: F811
    """reads(level): (values by register name, the whole space by (CRm,
    op2)) as the image reads them at `level` ("host": bare QEMU's real EL2;
    "off", "nvhe", "vhe": under hypnest), each run once for the module; a
    run's console log stays in build/logs/ only if it failed"""
    done, runs = {}, []

    def get(level):
        if level in done:
            return done[level]

        def qemu(args, timeout=60, suffix=""):
            runs.append(hvqemu.Run("test_id_regs_" + level + suffix, args,
                                   timeout))
            return runs[-1]

        if level == "host":
            status, out = run_bare(qemu, guest_tests, "idregs")
            check_passes(status, out, 2)
        else:
            status, out = run_guest(qemu, hyp_image, guest_tests, "idregs",
                                    smp=1, extra="guest.el2=%s" % level)
            check_results(status, out, 1 if level == "off" else 2)
        values, space = arm_id.parse_dump(out)
        assert len(space) == 56, out
        runs[-1].close()
        os.unlink(runs[-1].log_path)
        done[level] = values, space
        return done[level]

    yield get
    for r in runs:
        r.close()


def test_bare_qemu_obeys_the_rules(reads):
    """The checker against QEMU's model of the hardware: it must pass
    there (but for QEMU's own quirk), or the rules are transcribed wrong"""
    values, _ = reads("host")
    assert arm_id.violations(values, skip=QEMU_QUIRKS) == []


@pytest.mark.parametrize("level", LEVELS)
def test_guest_obeys_the_rules(reads, level):
    values, _ = reads(level)
    assert arm_id.violations(values) == []


def fld(values, reg, name):
    return arm_id.field(values, reg, name)


def signed4(x):
    return x - 16 if x >= 8 else x


@pytest.mark.parametrize("level", LEVELS)
def test_guest_never_claims_more_than_the_host(reads, level):
    g, _ = reads(level)
    h, _ = reads("host")
    more = []
    for reg, fields in arm_id.FIELDS.items():
        if reg in arm_id.AARCH32_REGS:
            continue
        for name, (msb, lsb) in fields.items():
            if name in STAGE2_GRANULES:
                continue
            gv, hv = fld(g, reg, name), fld(h, reg, name)
            if (reg, name) in SIGNED:
                gv, hv = signed4(gv), signed4(hv)
            if gv > hv:
                more.append("%s.%s: %d, host %d" % (reg, name, gv, hv))
    assert more == []


@pytest.mark.parametrize("level", LEVELS)
def test_aarch32_hidden(reads, level):
    """Defect 6: AArch64 only at every EL, and the AArch32 ID registers
    (UNKNOWN then) read 0; the host has AArch32 at EL0 and EL1"""
    g, space = reads(level)
    for el in ("EL0", "EL1"):
        assert fld(g, "ID_AA64PFR0_EL1", el) == 1
    assert fld(g, "ID_AA64PFR0_EL1", "EL2") == (0 if level == "off" else 1)
    assert fld(g, "ID_AA64PFR0_EL1", "EL3") == 0
    assert {e: v for e, v in space.items() if e[0] <= 3 and v} == {}


# Defect 5: what hypnest does not honour reads "not implemented", for every
# guest (register, field): HCRX_EL2, FWB, ExS, TWED, FGT, ECV, NV, and the
# PMU
HIDDEN = [("ID_AA64MMFR1_EL1", "HCX"),
          ("ID_AA64MMFR2_EL1", "FWB"), ("ID_AA64MMFR0_EL1", "ExS"),
          ("ID_AA64MMFR1_EL1", "TWED"), ("ID_AA64MMFR0_EL1", "FGT"),
          ("ID_AA64MMFR0_EL1", "ECV"), ("ID_AA64MMFR2_EL1", "NV"),
          ("ID_AA64DFR0_EL1", "PMUVer"), ("ID_AA64MMFR1_EL1", "XNX")]
# hidden from a guest hypervisor only: the stage-1 features that also
# reach its stage 2, which hypnest does not walk yet (the same field says
# both), and LVA (with FEAT_LPA2, hidden by TGran4/TGran16)
HIDDEN_NESTED = [("ID_AA64MMFR1_EL1", "HAFDBS"), ("ID_AA64MMFR2_EL1", "VARange"),
                 ("ID_AA64MMFR1_EL1", "ETS"), ("ID_AA64MMFR2_EL1", "BBM"),
                 ("ID_AA64MMFR2_EL1", "ST"), ("ID_AA64MMFR1_EL1", "LO"),
                 ("ID_AA64MMFR1_EL1", "CMOW")]
# offered to a guest hypervisor only (D24.2.90: 0 without EL2): EVT, whose
# HCR_EL2 TID4/TICAB/TOCU/TTLBIS/TTLBOS it is given (guest-tests/lib/
# vel2_fwd.h checks each is forwarded)
ONLY_NESTED = [("ID_AA64MMFR2_EL1", "EVT")]


@pytest.mark.parametrize("level", LEVELS)
def test_unhonoured_features_hidden(reads, level):
    g, _ = reads(level)
    h, _ = reads("host")
    for reg, name in HIDDEN:
        assert fld(g, reg, name) == 0, (reg, name)
    for reg, name in HIDDEN_NESTED:
        want = fld(h, reg, name) if level == "off" else 0
        caps = {"HAFDBS": 2,   # 0b0011 (HAFT) is enabled in TCR2_EL1
                "VARange": 1}  # 0b0010 (LVA3) needs FEAT_D128
        if name in caps and level == "off":
            want = min(want, caps[name])
        assert fld(g, reg, name) == want, (reg, name)
    for reg, name in ONLY_NESTED:
        want = 0 if level == "off" else fld(h, reg, name)
        assert fld(g, reg, name) == want, (reg, name)
    # the host does have what these hide (else the test says nothing)
    assert all(fld(h, r, n) for r, n in [
        ("ID_AA64MMFR2_EL1", "EVT"), ("ID_AA64MMFR1_EL1", "HCX"),
        ("ID_AA64MMFR2_EL1", "FWB"), ("ID_AA64MMFR1_EL1", "HAFDBS"),
        ("ID_AA64MMFR2_EL1", "VARange")])


@pytest.mark.parametrize("level", LEVELS)
def test_granules(reads, level):
    """Stage-2 granules: none without EL2 (D24.2.88); a guest hypervisor's
    stage 2 has 4K only, no 52-bit addresses, and then no 16K/64K at stage
    1 either (A2.2: FEAT_TGranXK with EL2 implies FEAT_S2TGranXK)."""
    g, _ = reads(level)
    h, _ = reads("host")
    m = "ID_AA64MMFR0_EL1"
    s2 = [fld(g, m, n) for n in STAGE2_GRANULES]
    s1 = [fld(g, m, n) for n in ("TGran4", "TGran16", "TGran64")]
    if level == "off":
        assert s2 == [0, 0, 0]
        assert s1 == [fld(h, m, n) for n in ("TGran4", "TGran16", "TGran64")]
    else:
        assert s2 == [0b0010, 0b0001, 0b0001]
        assert s1 == [0b0000, 0b0000, 0b1111]
    # the host has 4K with 52-bit addresses, 16K and 64K at both stages
    assert fld(h, m, "TGran4") == 1 and fld(h, m, "TGran16") != 0 and \
        fld(h, m, "TGran64") == 0


@pytest.mark.parametrize("level", LEVELS)
def test_capped(reads, level):
    """Values hypnest honours only up to a level: PARange (its stage 2 is
    48 bits), CSV2 (no SCXTNUM_ELx), the GIC (GICv3 system registers),
    DebugVer (Armv8.8), pointer authentication (no PAuth_LR; address
    authentication not at all for a guest hypervisor, whose ERETAA/ERETAB
    hypnest emulates without authenticating); FEAT_VHE for the vhe guest
    hypervisor only"""
    g, _ = reads(level)
    h, _ = reads("host")
    pauth = 5 if level == "off" else 0
    for reg, name, cap in [("ID_AA64MMFR0_EL1", "PARange", 5),
                           ("ID_AA64PFR0_EL1", "CSV2", 1),
                           ("ID_AA64PFR1_EL1", "CSV2_frac", 1),
                           ("ID_AA64PFR0_EL1", "GIC", 1),
                           ("ID_AA64DFR0_EL1", "DebugVer", 0xa),
                           ("ID_AA64ISAR1_EL1", "API", pauth),
                           ("ID_AA64ISAR1_EL1", "APA", pauth),
                           ("ID_AA64ISAR2_EL1", "APA3", pauth)]:
        assert fld(g, reg, name) == min(fld(h, reg, name), cap), (reg, name)
    assert fld(h, "ID_AA64MMFR0_EL1", "PARange") > 5
    assert fld(h, "ID_AA64PFR0_EL1", "CSV2") > 1
    assert fld(g, "ID_AA64MMFR1_EL1", "VH") == (1 if level == "vhe" else 0)


def test_docs_table_is_the_code_table():
    """docs/id-regs.md's field tables say what sysreg/id_regs.c does:
    build/host/idtable prints the code's table in the docs' notation"""
    import re
    import subprocess
    subprocess.run(["make", "-s", "-C", hvqemu.ROOT,
                    os.path.join("build", "host", "idtable")], check=True)
    code = subprocess.run([os.path.join(hvqemu.BUILD, "host", "idtable")],
                          check=True, capture_output=True, text=True).stdout
    code_rows = {tuple(line.split("|")) for line in code.splitlines()
                 if line.split("|")[1] != "-"}
    docs, reg = set(), None
    with open(os.path.join(hvqemu.ROOT, "docs", "id-regs.md")) as f:
        for line in f:
            m = re.match(r"### (ID_AA64\w+_EL1) ", line)
            if m:
                reg = m.group(1)
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if reg and len(cells) == 6 and re.match(r"\d+:\d+$", cells[1]):
                docs.add((reg,) + tuple(c.replace("≤ ", "<=")
                                        for c in cells[:5]))
    assert docs == code_rows
