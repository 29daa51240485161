"""Register-mapping checks of nv/ (virtual EL2), on its host build.

Drives build/host/nvmap (harness/unit/nvmap.c: a line protocol over the real
nv/el2_map.c, nv/el2_translate.c and nv/sysreg_access.c, with the live EL1
registers faked by harness/unit/fake_sysregs.c) and compares what it answers
with expectation tables written here from the Arm ARM (DDI 0487 M.a.a),
independently of the C code:

  - REGS: every register the map must hold, its encoding (op0, op1, CRn,
    CRm, op2; C5.2, D24.2, D24.10, GICv3 spec for ICH_*), its VNCR_EL2
    offset (D8.14.6.2, Table D8-120), its class (where it lives) and EL1
    counterpart;
  - the translate hooks, field by field (D24.2.175/176 SCTLR, D24.2.194/195
    TCR, D24.2.209/210 TTBR0, D24.2.36/38 CPACR/CPTR, D24.10.2/15
    CNTHCTL/CNTKCTL), both directions, every bit including reserved and
    unmapped ones;
  - the access rules of docs/nv.md: write-then-read round trips through vEL1
    and vEL2, with E2H = 0 and 1, for every row; aliases; the registers that
    are live at every level.

    /usr/bin/python3 -m pytest -c harness/pytest.ini harness/test_nv_map.py
"""

import random
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NVMAP = ROOT / "build" / "host" / "nvmap"


# ---------------------------------------------------------------------------
# Expectations, from the Arm ARM
# ---------------------------------------------------------------------------

# classes (docs/nv.md "The map"); the flags each must carry
CLASS_FLAGS = {
    "vncr": {"IN_VNCR"},                       # EL2, memory only
    "vcpu": {"IN_VCPU"},                       # EL2, no slot, never live
    "ro": {"IN_VCPU", "READ_ONLY"},            # RVBAR_EL2
    "live": {"IN_VCPU", "LIVE_EL1"},           # straight move in vEL2
    "xlate": {"IN_VCPU", "LIVE_EL1", "TRANSLATED"},
    "special": {"IN_VCPU", "LIVE_EL1", "SPECIAL"},  # SP/SPSR/ELR_EL2
    "live_e2h1": {"IN_VCPU", "LIVE_E2H1"},     # CNTHCTL_EL2
    "tval2": {"SPECIAL", "COMPUTED"},
    "gic_ro": {"SPECIAL", "COMPUTED", "READ_ONLY"},
    "el1": {"EL1", "IN_VNCR"},
    "el1_sp": {"EL1", "IN_VNCR", "NO_VHE"},
    "el1_vcpu": {"EL1", "IN_VCPU"},            # CNTKCTL_EL1
    "tval1": {"EL1", "SPECIAL", "COMPUTED"},
    "tval1v": {"EL1", "SPECIAL", "COMPUTED", "VCOUNT"},
    "always": {"EL1", "ALWAYS_LIVE", "NO_VHE"},
}

EL2_CLASSES = {"vncr", "vcpu", "ro", "live", "xlate", "special", "live_e2h1",
               "tval2", "gic_ro"}


class Reg:
    def __init__(self, name, enc, cls, vncr=None, live=None, pair=None,
                 alias=None):
        self.name, self.enc, self.cls = name, enc, cls
        self.vncr, self.live, self.pair = vncr, live, pair
        self.alias = alias  # (name, enc) of the _EL12/_EL02 accessor


def el12(enc):
    """The _EL12/_EL02 accessor of an EL1/EL0 register: op1 = 5 (D8.13)."""
    return (enc[0], 5) + tuple(enc[2:])


REGS = {}


def reg(*args, **kw):
    r = Reg(*args, **kw)
    REGS[r.name] = r


# EL2 registers with a VNCR slot (Table D8-120)
reg("HCR_EL2", (3, 4, 1, 1, 0), "vncr", vncr=0x078)
reg("HCRX_EL2", (3, 4, 1, 2, 2), "vncr", vncr=0x0A0)
reg("HSTR_EL2", (3, 4, 1, 1, 3), "vncr", vncr=0x080)
reg("VTTBR_EL2", (3, 4, 2, 1, 0), "vncr", vncr=0x020)
reg("VTCR_EL2", (3, 4, 2, 1, 2), "vncr", vncr=0x040)
reg("VPIDR_EL2", (3, 4, 0, 0, 0), "vncr", vncr=0x088)
reg("VMPIDR_EL2", (3, 4, 0, 0, 5), "vncr", vncr=0x050)
reg("TPIDR_EL2", (3, 4, 13, 0, 2), "vncr", vncr=0x090)
reg("CNTVOFF_EL2", (3, 4, 14, 0, 3), "vncr", vncr=0x060)
reg("VNCR_EL2", (3, 4, 2, 2, 0), "vncr", vncr=0x0B0)
reg("ICH_HCR_EL2", (3, 4, 12, 11, 0), "vncr", vncr=0x4C0)
reg("ICH_VMCR_EL2", (3, 4, 12, 11, 7), "vncr", vncr=0x4C8)
for n in range(4):
    reg("ICH_AP0R%d_EL2" % n, (3, 4, 12, 8, n), "vncr", vncr=0x480 + 8 * n)
    reg("ICH_AP1R%d_EL2" % n, (3, 4, 12, 9, n), "vncr", vncr=0x4A0 + 8 * n)
for n in range(16):
    reg("ICH_LR%d_EL2" % n, (3, 4, 12, 12 + (n >> 3), n & 7), "vncr",
        vncr=0x400 + 8 * n)
# EL2 registers with no slot and no EL1 counterpart
reg("ACTLR_EL2", (3, 4, 1, 0, 1), "vcpu")
reg("MDCR_EL2", (3, 4, 1, 1, 1), "vcpu")
reg("HACR_EL2", (3, 4, 1, 1, 7), "vcpu")
reg("HPFAR_EL2", (3, 4, 6, 0, 4), "vcpu")
reg("ZCR_EL2", (3, 4, 1, 2, 0), "vcpu")
reg("RVBAR_EL2", (3, 4, 12, 0, 1), "ro")
# EL2 registers live in their EL1 counterpart while in vEL2
reg("SCTLR_EL2", (3, 4, 1, 0, 0), "xlate", live="SCTLR_EL1", pair="SCTLR_EL1")
reg("TCR_EL2", (3, 4, 2, 0, 2), "xlate", live="TCR_EL1", pair="TCR_EL1")
reg("TTBR0_EL2", (3, 4, 2, 0, 0), "xlate", live="TTBR0_EL1", pair="TTBR0_EL1")
reg("CPTR_EL2", (3, 4, 1, 1, 2), "xlate", live="CPACR_EL1", pair="CPACR_EL1")
for nm, enc in [("TTBR1", (3, 4, 2, 0, 1)), ("AFSR0", (3, 4, 5, 1, 0)),
                ("AFSR1", (3, 4, 5, 1, 1)), ("ESR", (3, 4, 5, 2, 0)),
                ("FAR", (3, 4, 6, 0, 0)), ("MAIR", (3, 4, 10, 2, 0)),
                ("AMAIR", (3, 4, 10, 3, 0)), ("VBAR", (3, 4, 12, 0, 0)),
                ("CONTEXTIDR", (3, 4, 13, 0, 1))]:
    reg(nm + "_EL2", enc, "live", live=nm + "_EL1", pair=nm + "_EL1")
reg("SPSR_EL2", (3, 4, 4, 0, 0), "special", live="SPSR_EL1", pair="SPSR_EL1")
reg("ELR_EL2", (3, 4, 4, 0, 1), "special", live="ELR_EL1", pair="ELR_EL1")
reg("SP_EL2", (3, 6, 4, 1, 0), "special", live="SP_EL1", pair="SP_EL1")
reg("CNTHCTL_EL2", (3, 4, 14, 1, 0), "live_e2h1", live="CNTKCTL_EL1",
    pair="CNTKCTL_EL1")
reg("CNTHP_CTL_EL2", (3, 4, 14, 2, 1), "live", live="CNTP_CTL_EL0",
    pair="CNTP_CTL_EL0")
reg("CNTHP_CVAL_EL2", (3, 4, 14, 2, 2), "live", live="CNTP_CVAL_EL0",
    pair="CNTP_CVAL_EL0")
reg("CNTHV_CTL_EL2", (3, 4, 14, 3, 1), "live", live="CNTV_CTL_EL0",
    pair="CNTV_CTL_EL0")
reg("CNTHV_CVAL_EL2", (3, 4, 14, 3, 2), "live", live="CNTV_CVAL_EL0",
    pair="CNTV_CVAL_EL0")
reg("CNTHP_TVAL_EL2", (3, 4, 14, 2, 0), "tval2", pair="CNTP_TVAL_EL0")
reg("CNTHV_TVAL_EL2", (3, 4, 14, 3, 0), "tval2", pair="CNTV_TVAL_EL0")
reg("ICH_VTR_EL2", (3, 4, 12, 11, 1), "gic_ro")
reg("ICH_MISR_EL2", (3, 4, 12, 11, 2), "gic_ro")
reg("ICH_EISR_EL2", (3, 4, 12, 11, 3), "gic_ro")
reg("ICH_ELRSR_EL2", (3, 4, 12, 11, 5), "gic_ro")
# EL1/EL0 registers
for nm, enc, off in [
        ("SCTLR_EL1", (3, 0, 1, 0, 0), 0x110), ("CPACR_EL1", (3, 0, 1, 0, 2), 0x100),
        ("TTBR0_EL1", (3, 0, 2, 0, 0), 0x200), ("TTBR1_EL1", (3, 0, 2, 0, 1), 0x210),
        ("TCR_EL1", (3, 0, 2, 0, 2), 0x120), ("ESR_EL1", (3, 0, 5, 2, 0), 0x138),
        ("FAR_EL1", (3, 0, 6, 0, 0), 0x220), ("AFSR0_EL1", (3, 0, 5, 1, 0), 0x128),
        ("AFSR1_EL1", (3, 0, 5, 1, 1), 0x130), ("MAIR_EL1", (3, 0, 10, 2, 0), 0x140),
        ("AMAIR_EL1", (3, 0, 10, 3, 0), 0x148), ("VBAR_EL1", (3, 0, 12, 0, 0), 0x250),
        ("CONTEXTIDR_EL1", (3, 0, 13, 0, 1), 0x108),
        ("ELR_EL1", (3, 0, 4, 0, 1), 0x230), ("SPSR_EL1", (3, 0, 4, 0, 0), 0x160),
        ("CNTP_CTL_EL0", (3, 3, 14, 2, 1), 0x180),
        ("CNTP_CVAL_EL0", (3, 3, 14, 2, 2), 0x178),
        ("CNTV_CTL_EL0", (3, 3, 14, 3, 1), 0x170),
        ("CNTV_CVAL_EL0", (3, 3, 14, 3, 2), 0x168)]:
    suffix = "_EL02" if nm.endswith("_EL0") else "_EL12"
    pair2 = {"CPACR_EL1": "CPTR_EL2", "CNTP_CTL_EL0": "CNTHP_CTL_EL2",
             "CNTP_CVAL_EL0": "CNTHP_CVAL_EL2", "CNTV_CTL_EL0": "CNTHV_CTL_EL2",
             "CNTV_CVAL_EL0": "CNTHV_CVAL_EL2"}.get(nm, nm[:-4] + "_EL2")
    reg(nm, enc, "el1", vncr=off, live=nm, pair=pair2,
        alias=(nm.rsplit("_", 1)[0] + suffix, el12(enc)))
reg("SP_EL1", (3, 4, 4, 1, 0), "el1_sp", vncr=0x240, live="SP_EL1",
    pair="SP_EL2")
reg("CNTKCTL_EL1", (3, 0, 14, 1, 0), "el1_vcpu", live="CNTKCTL_EL1",
    pair="CNTHCTL_EL2", alias=("CNTKCTL_EL12", (3, 5, 14, 1, 0)))
reg("CNTP_TVAL_EL0", (3, 3, 14, 2, 0), "tval1", pair="CNTHP_TVAL_EL2",
    alias=("CNTP_TVAL_EL02", (3, 5, 14, 2, 0)))
reg("CNTV_TVAL_EL0", (3, 3, 14, 3, 0), "tval1v", pair="CNTHV_TVAL_EL2",
    alias=("CNTV_TVAL_EL02", (3, 5, 14, 3, 0)))
# not banked between EL1 and EL2: live at every level (NV-NOTES section 3)
ALWAYS_LIVE = {"PAR_EL1": (3, 0, 7, 4, 0), "TPIDR_EL1": (3, 0, 13, 0, 4),
               "TPIDR_EL0": (3, 3, 13, 0, 2), "TPIDRRO_EL0": (3, 3, 13, 0, 3),
               "CSSELR_EL1": (3, 2, 0, 0, 0), "SP_EL0": (3, 0, 4, 1, 0)}
for nm, enc in ALWAYS_LIVE.items():
    reg(nm, enc, "always", live=nm)

# With E2H = 1, an EL2 register whose live EL1 register cannot hold every
# bit (no FEAT_NV2p1): the bits it holds. CPTR_EL2 in CPACR_EL1 (D24.2.36):
# ZEN 17:16, FPEN 21:20, SMEN 25:24, TTA 28, E0POE 29 (not TAM 30, TCPAC 31).
# CNTHCTL_EL2 in CNTKCTL_EL1 (D24.10.15): 9:0 and EVNTIS 17.
def bits(*spec):
    m = 0
    for s in spec:
        hi, lo = s if isinstance(s, tuple) else (s, s)
        m |= ((1 << (hi - lo + 1)) - 1) << lo
    return m


E2H1_LIVE_MASK = {"CPTR_EL2": bits((17, 16), (21, 20), (25, 24), 28, 29),
                  "CNTHCTL_EL2": bits((9, 0), 17)}
M64 = (1 << 64) - 1


# ---- the translate hooks, field by field (E2H = 0 layouts) ----

def move_fields(val, moves):
    out = 0
    for (h2, l2), (h1, l1) in moves:
        assert h2 - l2 == h1 - l1
        out |= ((val >> l2) & ((1 << (h2 - l2 + 1)) - 1)) << l1
    return out


def back_fields(el1, moves):
    return move_fields(el1, [(b, a) for a, b in moves])


def moved_mask(moves, side):
    return bits(*[m[side] for m in moves])


# SCTLR_EL2 (E2H=0) fields at the same position in SCTLR_EL1: M, A, C, SA,
# nAA, EOS, I, EnDB, WXN, IESB, EIS, EE, EnDA, EnIB, EnIA, BT->BT1, ITFSB,
# TCF, ATA, DSSBS, TCSO, NMI, SPINTMASK.
SCTLR_FIELDS = {"M": 0, "A": 1, "C": 2, "SA": 3, "nAA": 6, "EOS": 11, "I": 12,
                "EnDB": 13, "WXN": 19, "IESB": 21, "EIS": 22, "EE": 25,
                "EnDA": 27, "EnIB": 30, "EnIA": 31, "BT": 36, "ITFSB": 37,
                "TCF": (41, 40), "ATA": 43, "DSSBS": 44, "TCSO": 59,
                "NMI": 61, "SPINTMASK": 62}
SCTLR_MOVES = [((f, f) if isinstance(f, int) else f,) * 2
               for f in SCTLR_FIELDS.values()]
# SCTLR_EL1 bits with no EL2 source, set to 1: SA0, ITD, SED, nTWI, nTWE,
# TSCXT, SPAN, nTLSMD, LSMAOE (docs/nv.md gives why each)
SCTLR_EL1_ONES = bits(4, 7, 8, 16, 18, 20, 23, 28, 29)

# TCR_EL2 (E2H=0) -> TCR_EL1
TCR_MOVES = [((5, 0), (5, 0)),      # T0SZ
             ((9, 8), (9, 8)),      # IRGN0
             ((11, 10), (11, 10)),  # ORGN0
             ((13, 12), (13, 12)),  # SH0
             ((15, 14), (15, 14)),  # TG0
             ((18, 16), (34, 32)),  # PS -> IPS
             ((20, 20), (37, 37)),  # TBI -> TBI0
             ((21, 21), (39, 39)),  # HA
             ((22, 22), (40, 40)),  # HD
             ((24, 24), (41, 41)),  # HPD -> HPD0
             ((28, 25), (46, 43)),  # HWU59..62 -> HWU059..062
             ((29, 29), (51, 51)),  # TBID -> TBID0
             ((30, 30), (57, 57)),  # TCMA -> TCMA0
             ((32, 32), (59, 59)),  # DS
             ((33, 33), (60, 60))]  # MTX -> MTX0
TCR_EL1_CONST = bits(23) | (0b10 << 30)  # EPD1 = 1, TG1 = 4KB

# TTBR0_EL2 -> TTBR0_EL1: BADDR/CnP 47:0 kept, ASID 63:48 cleared
TTBR_MOVES = [((47, 0), (47, 0))]

# CNTHCTL_EL2 (E2H=0) -> CNTKCTL_EL1: the event stream fields
CNTHCTL_MOVES = [((2, 2), (2, 2)), ((3, 3), (3, 3)), ((7, 4), (7, 4)),
                 ((17, 17), (17, 17))]

# CPTR_EL2 (E2H=0) trap bit -> CPACR_EL1 two-bit enable (1 = trap <->
# 0b00; 0 <-> 0b11), and TTA 20 -> 28
CPTR_ENABLES = [(10, 20), (8, 16), (12, 24)]  # TFP->FPEN, TZ->ZEN, TSM->SMEN


def cptr_to(x):
    out = 0
    for trap, en in CPTR_ENABLES:
        if not (x >> trap) & 1:
            out |= 0b11 << en
    if (x >> 20) & 1:
        out |= 1 << 28
    return out


def cptr_from(el1, old):
    out = old & ~bits(10, 8, 12, 20)
    for trap, en in CPTR_ENABLES:
        # EL1 is trapped unless the enable's low bit is set (0b01, 0b11)
        if not (el1 >> en) & 1:
            out |= 1 << trap
    if (el1 >> 28) & 1:
        out |= 1 << 20
    return out


def simple_hook(moves, const=0):
    mask2 = moved_mask(moves, 0)
    return (lambda x: move_fields(x, moves) | const,
            lambda el1, old: back_fields(el1, moves) | (old & ~mask2 & M64))


HOOKS = {
    "sctlr": simple_hook(SCTLR_MOVES, SCTLR_EL1_ONES),
    "tcr": simple_hook(TCR_MOVES, TCR_EL1_CONST),
    "ttbr0": simple_hook(TTBR_MOVES),
    "cptr": (cptr_to, cptr_from),
    "cnthctl": simple_hook(CNTHCTL_MOVES),
}
REG_HOOK = {"SCTLR_EL2": "sctlr", "TCR_EL2": "tcr", "TTBR0_EL2": "ttbr0",
            "CPTR_EL2": "cptr"}


# ---------------------------------------------------------------------------
# The tool
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def build():
    r = subprocess.run(["make", "-s", "host-tests"], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    if r.returncode:
        pytest.fail("make host-tests failed:\n%s%s" % (r.stdout, r.stderr),
                    pytrace=False)
    assert NVMAP.exists()


class Script:
    """Commands for one nvmap run; expect() pairs an answering command with
    the answer the rules give. check() runs it and fails listing every
    mismatch."""

    def __init__(self):
        self.cmds, self.exp = [], []

    def do(self, *cmds):
        self.cmds.extend(cmds)

    def expect(self, cmd, answer, why):
        self.cmds.append(cmd)
        self.exp.append((cmd, answer, why))

    def value(self, cmd, val, why):
        self.expect(cmd, "0x%016x" % (val & M64), why)

    def run(self):
        r = subprocess.run([str(NVMAP)], input="\n".join(self.cmds) + "\n",
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout.splitlines()

    def check(self):
        out = self.run()
        assert len(out) == len(self.exp), (len(out), len(self.exp), out[-3:])
        bad = ["%s: %s -> %s, expected %s" % (why, cmd, got, want)
               for (cmd, want, why), got in zip(self.exp, out) if got != want]
        assert not bad, "%d mismatches:\n%s" % (len(bad), "\n".join(bad[:60]))


def nvmap_list():
    s = Script()
    s.do("list")
    out = s.run()
    assert out[-1] == "end"
    rows = {}
    for line in out[:-1]:
        name, *fields = line.split()
        rows[name] = dict(f.split("=", 1) for f in fields)
    return rows


def enc_str(enc):
    return ",".join(str(x) for x in enc)


# ---------------------------------------------------------------------------
# The map itself
# ---------------------------------------------------------------------------

def test_map_has_exactly_the_expected_registers():
    rows = nvmap_list()
    assert sorted(set(REGS) - set(rows)) == [], "missing from the map"
    assert sorted(set(rows) - set(REGS)) == [], "not expected here"


@pytest.mark.parametrize("name", sorted(REGS))
def test_map_row(name):
    e, row = REGS[name], nvmap_list()[name]
    assert row["enc"] == enc_str(e.enc), "encoding"
    if e.alias:
        assert row["alias"] == "%s,%s" % (e.alias[0], enc_str(e.alias[1]))
    else:
        assert row["alias"] == "-"
    assert row["vncr"] == ("0x%03x" % e.vncr if e.vncr is not None else "-")
    assert row["live"] == (e.live or "-"), "live EL1 register"
    assert row["pair"] == (e.pair or "-"), "counterpart"
    assert set(row["flags"].split("|")) == CLASS_FLAGS[e.cls], "flags"


# ---------------------------------------------------------------------------
# Translate hooks, field by field, both directions
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_translate_hook_fields(hook):
    to, frm = HOOKS[hook]
    rng = random.Random(hook)
    s = Script()
    vals = [0, M64] + [1 << b for b in range(64)] + \
        [M64 & ~(1 << b) for b in range(64)] + \
        [rng.getrandbits(64) for _ in range(64)]
    for x in vals:
        s.value("to %s 0x%x" % (hook, x), to(x), "EL2->EL1")
    for el1 in vals:
        for old in (0, M64, rng.getrandbits(64)):
            s.value("from %s 0x%x 0x%x" % (hook, el1, old), frm(el1, old),
                    "EL1->EL2")
    s.check()


def test_translate_model_roundtrips():
    """The expectation model itself: reverse(forward(x), x) == x."""
    rng = random.Random(1)
    for name, (to, frm) in HOOKS.items():
        for _ in range(2000):
            x = rng.getrandbits(64)
            assert frm(to(x), x) == x, name


# ---------------------------------------------------------------------------
# Access rules: write-then-read round trips for every row
# ---------------------------------------------------------------------------

V1 = 0x1111222233334444   # a vEL1 value in the live register
A = 0x0123456789ABCDEF    # a value written at vEL1
B = 0xFEDCBA9876543210    # a value written at vEL2


def live_of_el2(e, e2h):
    """Is EL2 register e live in its EL1 counterpart in vEL2 with e2h."""
    return e.cls in ("live", "xlate", "special") or \
        (e.cls == "live_e2h1" and e2h)


def to_live(e, val, e2h):
    if e.cls == "xlate" and not e2h:
        return HOOKS[REG_HOOK[e.name]][0](val)
    return val


def el2_view(e, live, stored, e2h):
    """What a read of live EL2 register e returns: the live value for the
    bits the EL1 register holds, the stored copy for the rest."""
    if e.cls == "xlate" and not e2h:
        return HOOKS[REG_HOOK[e.name]][1](live, stored)
    m = E2H1_LIVE_MASK.get(e.name, M64) if e2h else M64
    return (live & m) | (stored & ~m & M64)


def prologue(s, e2h):
    s.do("reset", "e2h %d" % e2h)


EL2_RW = sorted(n for n, e in REGS.items()
                if e.cls in EL2_CLASSES - {"ro", "gic_ro", "tval2"}
                and n != "HCR_EL2")


@pytest.mark.parametrize("e2h", [0, 1])
@pytest.mark.parametrize("name", EL2_RW)
def test_el2_register_roundtrip(name, e2h):
    e, s = REGS[name], Script()
    prologue(s, e2h)
    live = e.live
    if live:
        s.do("setlive %s 0x%x" % (live, V1))
    # vEL1: the EL2 register is its stored copy; nothing live changes
    s.do("write %s 0x%x" % (name, A))
    s.value("read %s" % name, A, "vEL1 read back")
    s.value("stored %s" % name, A, "vEL1 stored untranslated")
    if live:
        s.value("live %s" % live, V1, "vEL1 write must not touch live")
    # enter vEL2: loaded (translated) into the EL1 register if live
    s.do("level vel2")
    is_live = live_of_el2(e, e2h)
    if live:
        s.value("live %s" % live, to_live(e, A, e2h) if is_live else V1,
                "vEL2 entry load")
    s.expect("loc %s" % name,
             "%s %s live=%s xlate=%d" % (
                 "LIVE" if is_live else ("VNCR" if e.vncr else "VCPU"),
                 name, live if is_live else "-",
                 int(is_live and e.cls == "xlate" and not e2h)),
             "vEL2 location")
    s.value("read %s" % name, A, "vEL2 read of the loaded value")
    # vEL2 write: through to the live register, and stored untranslated
    s.do("write %s 0x%x" % (name, B))
    s.value("stored %s" % name, B, "vEL2 write stored untranslated")
    if live:
        s.value("live %s" % live, to_live(e, B, e2h) if is_live else V1,
                "vEL2 write-through")
    s.value("read %s" % name, B, "vEL2 read back")
    # leave: the vEL1 value returns to the live register
    s.do("level vel1")
    if live:
        s.value("live %s" % live, V1, "vEL1 value restored")
    s.value("read %s" % name, B, "vEL1 read after leave")
    s.value("stored %s" % name, B, "stored after leave")
    s.check()


LIVE_CASES = [(n, e2h) for n, e in sorted(REGS.items())
              for e2h in (0, 1) if live_of_el2(e, e2h)]


@pytest.mark.parametrize("name,e2h", LIVE_CASES)
def test_live_change_is_seen(name, e2h):
    """A change the live EL1 register sees while in vEL2 (hardware writing
    ESR/FAR/ELR/SPSR_EL1 on an exception taken at vEL2, or an untrapped
    access) is what the EL2 register reads, and is saved on leave."""
    e, s = REGS[name], Script()
    prologue(s, e2h)
    s.do("write %s 0x%x" % (name, A), "level vel2")
    hw = 0x0F0F0F0F0F0F0F0F
    s.do("setlive %s 0x%x" % (e.live, hw))
    want = el2_view(e, hw, A, e2h)
    s.value("read %s" % name, want, "EL2 view of the changed live value")
    s.do("level vel1")
    s.value("stored %s" % name, want, "saved on leave")
    s.check()


EL1_ROWS = sorted(n for n, e in REGS.items()
                  if e.cls in ("el1", "el1_sp", "el1_vcpu"))


@pytest.mark.parametrize("e2h", [0, 1])
@pytest.mark.parametrize("name", EL1_ROWS)
def test_el1_register_roundtrip(name, e2h):
    e, s = REGS[name], Script()
    pair = REGS[e.pair]
    displaced = live_of_el2(pair, e2h)
    alias = e.alias[0] if e.alias else None
    prologue(s, e2h)
    s.do("write %s 0x%x" % (e.pair, 0x77))  # the EL2 register (stored)
    # vEL1: the EL1 register is live
    s.do("write %s 0x%x" % (name, A))
    s.value("live %s" % e.live, A, "vEL1 write is live")
    s.value("read %s" % name, A, "vEL1 read")
    if alias:
        if e2h:
            s.value("read %s" % alias, A, "vEL1 alias, E2H=1")
        else:
            s.expect("access %s r" % alias, "UNDEF", "_EL12 with E2H=0")
    s.do("level vel2")
    if displaced:
        s.value("stored %s" % name, A, "vEL1 value saved on entry")
        s.value("live %s" % e.live, to_live(pair, 0x77, e2h),
                "EL2 counterpart loaded")
    # the vEL1 register, as the guest hypervisor names it at vEL2
    name_at_vel2 = name if not e2h or e.cls == "el1_sp" else alias
    s.value("read %s" % name_at_vel2, A, "vEL1 copy read at vEL2")
    if e2h and e.cls != "el1_sp":
        # FEAT_VHE: the _EL1 name reaches the EL2 register
        s.value("read %s" % name, el2_view(pair, to_live(pair, 0x77, e2h),
                                           0x77, e2h), "VHE redirection")
    if alias and not e2h:
        s.expect("access %s w 0x1" % alias, "UNDEF", "_EL12 with E2H=0")
    s.do("write %s 0x%x" % (name_at_vel2, B))
    s.value("read %s" % name_at_vel2, B, "vEL1 copy written at vEL2")
    if displaced:
        s.value("stored %s" % name, B, "stored copy written")
        s.value("live %s" % e.live, to_live(pair, 0x77, e2h),
                "live EL2 value untouched")
    else:
        s.value("live %s" % e.live, B, "not displaced: live")
    s.do("level vel1")
    s.value("live %s" % e.live, B, "vEL1 value back in the register")
    s.value("read %s" % e.pair, 0x77, "EL2 register kept")
    s.check()


@pytest.mark.parametrize("level", ["vel1", "vel2"])
@pytest.mark.parametrize("e2h", [0, 1])
@pytest.mark.parametrize("name", sorted(ALWAYS_LIVE))
def test_always_live_never_redirected(name, e2h, level):
    """PAR_EL1 & co. are the same register at EL1 and EL2: never a stored
    copy, whatever the level and E2H (the 2022 Linux map sent PAR_EL1 to
    memory under E2H = 0)."""
    s = Script()
    prologue(s, e2h)
    s.do("setlive %s 0x%x" % (name, V1), "level %s" % level)
    s.expect("loc %s" % name, "LIVE %s live=%s xlate=0" % (name, name),
             "location")
    s.expect("stored %s" % name, "none", "no stored copy")
    s.value("read %s" % name, V1, "reads the live register")
    s.do("write %s 0x%x" % (name, A))
    s.value("live %s" % name, A, "writes the live register")
    # an emulated AT at vEL2 leaves PAR_EL1 live across a level change
    s.do("level %s" % ("vel1" if level == "vel2" else "vel2"))
    s.value("live %s" % name, A, "untouched by the context switch")
    s.value("read %s" % name, A, "still reads the live register")
    s.check()


def test_read_only_and_computed():
    s = Script()
    prologue(s, 0)
    s.expect("access RVBAR_EL2 w 0x5", "UNDEF", "read-only")
    s.value("read RVBAR_EL2", 0, "unchanged")
    # TVAL = (CVAL - count)<31:0>; write: CVAL = count + SignExtend(TVAL)
    s.do("counter 1000", "write CNTHP_TVAL_EL2 0xfffffff0")
    s.value("read CNTHP_CVAL_EL2", 1000 - 16, "TVAL write, negative")
    s.do("counter 900")
    s.value("read CNTHP_TVAL_EL2", 84, "TVAL read")
    s.do("write CNTVOFF_EL2 100", "write CNTV_TVAL_EL0 10")
    s.value("live CNTV_CVAL_EL0", 900 - 100 + 10, "virtual count")
    s.check()


def test_one_time_base_for_the_virtual_timers():
    """D12.2.4, D24.10.28 (issue 10, defect 3): the EL1 virtual timer
    counts physical - CNTVOFF_EL2 wherever it is reached from (its TVAL
    computed on that base, the base the hardware compares with, since
    hypnest runs the guest's vEL1 with its CNTVOFF_EL2); the EL2 virtual
    timer of a VHE guest hypervisor (E2H = 1) never takes the offset."""
    s = Script()
    prologue(s, 1)
    s.do("counter 900", "write CNTVOFF_EL2 100", "level vel1",
         "write CNTV_TVAL_EL0 10")
    s.value("read CNTV_CVAL_EL0", 900 - 100 + 10, "EL1 timer at vEL1")
    s.do("level vel2", "write CNTV_TVAL_EL02 20")
    s.value("read CNTV_CVAL_EL02", 900 - 100 + 20, "EL1 timer from vEL2")
    s.do("write CNTHV_TVAL_EL2 30")
    s.value("read CNTHV_CVAL_EL2", 900 + 30, "EL2 virtual timer, E2H = 1")
    s.check()


# ---------------------------------------------------------------------------
# The GIC status registers (IHI 0069, ICH_* register descriptions)
# ---------------------------------------------------------------------------

LR_HW, LR_EOI = 1 << 61, 1 << 41


def lr_state(lr):
    return lr >> 62


def gic_status(vtr, hcr, vmcr, lrs):
    """ICH_MISR/EISR/ELRSR_EL2 as IHI 0069 defines them, over the list
    registers ICH_VTR_EL2.ListRegs says exist."""
    n = (vtr & 0x1f) + 1
    eisr = elrsr = valid = pending = 0
    for i, lr in enumerate(lrs[:n]):
        empty = lr_state(lr) == 0
        # EISR: State 0b00, HW 0, EOI 1 (an EOI maintenance interrupt)
        if empty and not lr & LR_HW and lr & LR_EOI:
            eisr |= 1 << i
        # ELRSR: State 0b00 and (HW 1 or EOI 0)
        if empty and (lr & LR_HW or not lr & LR_EOI):
            elrsr |= 1 << i
        valid += not empty
        pending += lr_state(lr) == 1   # the pending state, not 0b11
    bit = lambda b: (hcr >> b) & 1      # noqa: E731
    veng0, veng1 = vmcr & 1, (vmcr >> 1) & 1
    misr = ((eisr != 0) << 0                             # EOI
            | (bit(1) and valid <= 1) << 1               # U, UIE
            | (bit(2) and ((hcr >> 27) & 0x1f) != 0) << 2  # LRENP
            | (bit(3) and pending == 0) << 3             # NP, NPIE
            | (bit(4) and veng0) << 4                    # VGrp0E
            | (bit(5) and not veng0) << 5                # VGrp0D
            | (bit(6) and veng1) << 6                    # VGrp1E
            | (bit(7) and not veng1) << 7)               # VGrp1D
    return misr, eisr, elrsr


def lr_value(rng):
    """a list register: any state, HW or not, EOI or not, junk elsewhere"""
    lr = rng.getrandbits(64) & ~(0xf << 60) & ~(1 << 41)
    return (lr | rng.randrange(4) << 62 | rng.randrange(2) * LR_HW
            | rng.randrange(2) * LR_EOI)


GIC_RO = ("ICH_VTR_EL2", "ICH_MISR_EL2", "ICH_EISR_EL2", "ICH_ELRSR_EL2")


@pytest.mark.parametrize("level", ["vel1", "vel2"])
@pytest.mark.parametrize("e2h", [0, 1])
def test_gic_status_registers(level, e2h):
    """ICH_VTR/MISR/EISR/ELRSR_EL2 are read-only and read what IHI 0069
    defines (not 0, which said "no list register is empty" for an empty
    set): through hypnest's accessor and the trapped path alike."""
    rng = random.Random(0x1c4 + e2h)
    s = Script()
    prologue(s, e2h)
    s.do("level %s" % level)
    for n in GIC_RO:
        s.expect("access %s w 0x5" % n, "UNDEF", "read-only")
    # ICH_VTR_EL2: ListRegs, IDbits, PREbits, PRIbits of this CPU's; TDS,
    # A3V, SEIS not offered (0); nV4 (bit 20, inverted sense: no GICv4
    # direct injection) always 1, whether the CPU has GICv4 or not
    for vtr in (0x90000003, 0xfe80000f | 0xf << 19, 0x94000001):
        want = (vtr & 0xff80001f) | 1 << 20
        s.do("vtr 0x%x" % vtr)
        s.value("read ICH_VTR_EL2", want, "VTR")
        s.expect("access ICH_VTR_EL2 r", "DONE 0x%016x" % want,
                 "VTR trapped")
    fixed = [
        # (hcr, vmcr, LR0-3)
        (0, 0, [0, 0, 0, 0]),                 # all empty: ELRSR 0xf
        (0xfe, 0, [0, 0, 0, 0]),
        (0xfe, 3, [1 << 62, 2 << 62, 3 << 62, LR_EOI]),
        (0x0a, 0, [0, 0, 3 << 62, 0]),        # one pending+active: U, NP
        (0x0a, 0, [1 << 62, 0, 0, 0]),        # one pending: U only
        (0x04 | 3 << 27, 0, [0, 0, 0, 0]),    # LRENP
        (3 << 27, 0, [0, 0, 0, 0]),           # EOIcount without LRENPIE
        (0xf0, 1, [0, 0, 0, 0]), (0xf0, 2, [0, 0, 0, 0]),
        (0, 0, [LR_HW | LR_EOI, LR_EOI, LR_HW | 2 << 62, 0]),
    ]
    cases = [(vtr, hcr, vmcr, lrs + [0] * 12)
             for vtr in (0x90000003,) for hcr, vmcr, lrs in fixed]
    for _ in range(40):
        vtr = 0x90000000 | rng.choice((0, 1, 3, 7, 15))
        hcr = rng.getrandbits(32) & ~(1 << 0) | rng.randrange(2)
        cases.append((vtr, hcr, rng.randrange(4),
                      [lr_value(rng) for _ in range(16)]))
    for vtr, hcr, vmcr, lrs in cases:
        s.do("vtr 0x%x" % vtr, "write ICH_HCR_EL2 0x%x" % hcr,
             "write ICH_VMCR_EL2 0x%x" % vmcr)
        for i, lr in enumerate(lrs):
            s.do("write ICH_LR%d_EL2 0x%x" % (i, lr))
        want = dict(zip(GIC_RO[1:], gic_status(vtr, hcr, vmcr, lrs)))
        for n, val in want.items():
            why = "%s for HCR 0x%x VMCR %d LRs %s" % (
                n, hcr, vmcr, ",".join("%x" % x for x in lrs[:4]))
            s.value("read %s" % n, val, why)
            s.expect("access %s r" % n, "DONE 0x%016x" % val, why)
    s.check()


def test_e2h_change_in_vel2_reloads():
    """E2H found changed in memory (NV2 lets the guest write HCR_EL2 without
    a trap): nv_sync_e2h reloads the context in the other layout."""
    tcr = (1 << 31) | (1 << 23) | (5 << 16) | 16
    s = Script()
    prologue(s, 0)
    s.do("setlive CNTKCTL_EL1 0x3", "level vel2", "write TCR_EL2 0x%x" % tcr,
         "write CNTHCTL_EL2 0x803")
    s.value("live TCR_EL1", HOOKS["tcr"][0](tcr), "E2H=0 layout")
    s.value("live CNTKCTL_EL1", 0x3, "CNTKCTL not loaded with E2H=0")
    s.do("hcrmem 0x%x" % (1 << 34), "sync")
    s.value("live TCR_EL1", tcr, "E2H=1 layout")
    s.value("live CNTKCTL_EL1", 0x803, "CNTHCTL loaded with E2H=1")
    s.value("read CNTKCTL_EL12", 0x3, "vEL1 CNTKCTL kept")
    s.do("e2h 0")
    s.value("live TCR_EL1", HOOKS["tcr"][0](tcr), "back to E2H=0")
    s.value("live CNTKCTL_EL1", 0x3, "vEL1 CNTKCTL back")
    s.check()
