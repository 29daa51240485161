"""What the Arm ARM (DDI 0487 M.a.a) says about the ID registers, as data,
and a checker of the rules that tie their values together. Used by
harness/test_id_regs.py on what a guest reads (and on bare QEMU's own
values, which keeps the checker honest); docs/id-regs.md lists the rules.

Data, transcribed from the Arm ARM (facts: layouts and the architecture's
own sentences):
- REGS: the named registers of the ID space (op0 = 3, op1 = 0, CRn = 0,
  CRm = 1..7), by (CRm, op2), D24.2.
- FIELDS: their fields, (msb, lsb), from the register descriptions.
- IDENTIFIED_BY: "FEAT_X implements the functionality identified by the
  value V" of a field (D24.2): FEAT_X is there when the field is V or more
  (features whose fields do not count up that way are in features()).
- DEPENDENCIES: A2.2/A2.3's sentences "If FEAT_A is implemented, then ..."
  and "When FEAT_A and FEAT_B are implemented, ...", verbatim, for the
  features the ID registers identify.
Not checked: rules that depend on the architecture version ("From Armv8.5,
the value 0b0000 is not permitted"): a hypervisor that hides a feature
presents an older PE on purpose.
"""
import re

REGS = {
    "ID_PFR0_EL1": (1, 0), "ID_PFR1_EL1": (1, 1), "ID_DFR0_EL1": (1, 2),
    "ID_AFR0_EL1": (1, 3), "ID_MMFR0_EL1": (1, 4), "ID_MMFR1_EL1": (1, 5),
    "ID_MMFR2_EL1": (1, 6), "ID_MMFR3_EL1": (1, 7), "ID_ISAR0_EL1": (2, 0),
    "ID_ISAR1_EL1": (2, 1), "ID_ISAR2_EL1": (2, 2), "ID_ISAR3_EL1": (2, 3),
    "ID_ISAR4_EL1": (2, 4), "ID_ISAR5_EL1": (2, 5), "ID_MMFR4_EL1": (2, 6),
    "ID_ISAR6_EL1": (2, 7), "MVFR0_EL1": (3, 0), "MVFR1_EL1": (3, 1),
    "MVFR2_EL1": (3, 2), "ID_PFR2_EL1": (3, 4), "ID_DFR1_EL1": (3, 5),
    "ID_MMFR5_EL1": (3, 6),
    "ID_AA64PFR0_EL1": (4, 0), "ID_AA64PFR1_EL1": (4, 1),
    "ID_AA64PFR2_EL1": (4, 2), "ID_AA64ZFR0_EL1": (4, 4),
    "ID_AA64SMFR0_EL1": (4, 5), "ID_AA64FPFR0_EL1": (4, 7),
    "ID_AA64DFR0_EL1": (5, 0), "ID_AA64DFR1_EL1": (5, 1),
    "ID_AA64DFR2_EL1": (5, 2), "ID_AA64AFR0_EL1": (5, 4),
    "ID_AA64AFR1_EL1": (5, 5), "ID_AA64ISAR0_EL1": (6, 0),
    "ID_AA64ISAR1_EL1": (6, 1), "ID_AA64ISAR2_EL1": (6, 2),
    "ID_AA64ISAR3_EL1": (6, 3), "ID_AA64MMFR0_EL1": (7, 0),
    "ID_AA64MMFR1_EL1": (7, 1), "ID_AA64MMFR2_EL1": (7, 2),
    "ID_AA64MMFR3_EL1": (7, 3), "ID_AA64MMFR4_EL1": (7, 4),
}
AARCH32_REGS = [r for r, (crm, _) in REGS.items() if crm <= 3]

# D24.2 register descriptions
FIELDS = {
    "ID_AA64AFR0_EL1": {},
    "ID_AA64DFR0_EL1": {"DebugVer": (3, 0), "TraceVer": (7, 4), "PMUVer": (11, 8), "BRPs": (15, 12), "PMSS": (19, 16), "WRPs": (23, 20), "SEBEP": (27, 24), "CTX_CMPs": (31, 28), "PMSVer": (35, 32), "DoubleLock": (39, 36), "TraceFilt": (43, 40), "TraceBuffer": (47, 44), "MTPMU": (51, 48), "BRBE": (55, 52), "ExtTrcBuff": (59, 56), "HPMN0": (63, 60)},
    "ID_AA64DFR1_EL1": {"SYSPMUID": (7, 0), "BRPs": (15, 8), "WRPs": (23, 16), "CTX_CMPs": (31, 24), "SPMU": (35, 32), "PMICNTR": (39, 36), "ABLE": (43, 40), "ITE": (47, 44), "EBEP": (51, 48), "DPFZS": (55, 52), "ABL_CMPs": (63, 56)},
    "ID_AA64DFR2_EL1": {"STEP": (3, 0), "BWE": (7, 4), "SPE_EXC": (19, 16), "SPE_nVM": (23, 20), "TRBE_EXC": (27, 24)},
    "ID_AA64ISAR0_EL1": {"AES": (7, 4), "SHA1": (11, 8), "SHA2": (15, 12), "CRC32": (19, 16), "Atomic": (23, 20), "RDM": (31, 28), "SHA3": (35, 32), "SM3": (39, 36), "SM4": (43, 40), "DP": (47, 44), "FHM": (51, 48), "TS": (55, 52), "TLB": (59, 56), "RNDR": (63, 60)},
    "ID_AA64ISAR1_EL1": {"DPB": (3, 0), "APA": (7, 4), "API": (11, 8), "JSCVT": (15, 12), "FCMA": (19, 16), "LRCPC": (23, 20), "GPA": (27, 24), "GPI": (31, 28), "FRINTTS": (35, 32), "SB": (39, 36), "SPECRES": (43, 40), "BF16": (47, 44), "DGH": (51, 48), "I8MM": (55, 52), "XS": (59, 56), "LS64": (63, 60)},
    "ID_AA64ISAR2_EL1": {"WFxT": (3, 0), "RPRES": (7, 4), "GPA3": (11, 8), "APA3": (15, 12), "MOPS": (19, 16), "BC": (23, 20), "PAC_frac": (27, 24), "CLRBHB": (31, 28), "SYSREG_128": (35, 32), "SYSINSTR_128": (39, 36), "PRFMSLC": (43, 40), "PCDPHINT": (47, 44), "RPRFM": (51, 48), "CSSC": (55, 52), "LUT": (59, 56), "ATS1A": (63, 60)},
    "ID_AA64ISAR3_EL1": {"CPA": (3, 0), "FAMINMAX": (7, 4), "TLBIW": (11, 8), "PACM": (15, 12), "LSFE": (19, 16), "OCCMO": (23, 20), "LSUI": (27, 24), "FPRCVT": (31, 28)},
    "ID_AA64MMFR0_EL1": {"PARange": (3, 0), "ASIDBits": (7, 4), "BigEnd": (11, 8), "SNSMem": (15, 12), "BigEndEL0": (19, 16), "TGran16": (23, 20), "TGran64": (27, 24), "TGran4": (31, 28), "TGran16_2": (35, 32), "TGran64_2": (39, 36), "TGran4_2": (43, 40), "ExS": (47, 44), "FGT": (59, 56), "ECV": (63, 60)},
    "ID_AA64MMFR1_EL1": {"HAFDBS": (3, 0), "VMIDBits": (7, 4), "VH": (11, 8), "HPDS": (15, 12), "LO": (19, 16), "PAN": (23, 20), "SpecSEI": (27, 24), "XNX": (31, 28), "TWED": (35, 32), "ETS": (39, 36), "HCX": (43, 40), "AFP": (47, 44), "nTLBPA": (51, 48), "TIDCP1": (55, 52), "CMOW": (59, 56), "ECBHB": (63, 60)},
    "ID_AA64MMFR2_EL1": {"CnP": (3, 0), "UAO": (7, 4), "LSM": (11, 8), "IESB": (15, 12), "VARange": (19, 16), "CCIDX": (23, 20), "NV": (27, 24), "ST": (31, 28), "AT": (35, 32), "IDS": (39, 36), "FWB": (43, 40), "TTL": (51, 48), "BBM": (55, 52), "EVT": (59, 56), "E0PD": (63, 60)},
    "ID_AA64MMFR3_EL1": {"TCRX": (3, 0), "SCTLRX": (7, 4), "S1PIE": (11, 8), "S2PIE": (15, 12), "S1POE": (19, 16), "S2POE": (23, 20), "AIE": (27, 24), "MEC": (31, 28), "D128": (35, 32), "D128_2": (39, 36), "SNERR": (43, 40), "ANERR": (47, 44), "SDERR": (55, 52), "ADERR": (59, 56)},
    "ID_AA64MMFR4_EL1": {"PoPS": (3, 0), "EIESB": (7, 4), "ASID2": (11, 8), "HACDBS": (15, 12), "FGWTE3": (19, 16), "NV_frac": (23, 20), "E2H0": (27, 24), "RMEGDI": (31, 28), "E3DSE": (39, 36), "SRMASK": (47, 44)},
    "ID_AA64PFR0_EL1": {"EL0": (3, 0), "EL1": (7, 4), "EL2": (11, 8), "EL3": (15, 12), "FP": (19, 16), "AdvSIMD": (23, 20), "GIC": (27, 24), "RAS": (31, 28), "SVE": (35, 32), "SEL2": (39, 36), "MPAM": (43, 40), "AMU": (47, 44), "DIT": (51, 48), "RME": (55, 52), "CSV2": (59, 56), "CSV3": (63, 60)},
    "ID_AA64PFR1_EL1": {"BT": (3, 0), "SSBS": (7, 4), "MTE": (11, 8), "RAS_frac": (15, 12), "MPAM_frac": (19, 16), "SME": (27, 24), "RNDR_trap": (31, 28), "CSV2_frac": (35, 32), "NMI": (39, 36), "MTE_frac": (43, 40), "GCS": (47, 44), "THE": (51, 48), "MTEX": (55, 52), "DF2": (59, 56), "PFAR": (63, 60)},
    "ID_AA64PFR2_EL1": {"MTEPERM": (3, 0), "MTESTOREONLY": (7, 4), "MTEFAR": (11, 8), "UINJ": (19, 16), "FPMR": (35, 32)},
    "ID_AA64SMFR0_EL1": {"I8I32": (39, 36), "I16I32": (47, 44), "I16I64": (55, 52), "SMEver": (59, 56)},
    "ID_AA64ZFR0_EL1": {"SVEver": (3, 0), "AES": (7, 4), "EltPerm": (15, 12), "BitPerm": (19, 16), "BF16": (23, 20), "SHA3": (35, 32), "SM4": (43, 40), "I8MM": (47, 44), "F16MM": (51, 48), "F32MM": (55, 52), "F64MM": (59, 56)},
    "ID_DFR0_EL1": {"CopDbg": (3, 0), "CopSDbg": (7, 4), "MMapDbg": (11, 8), "CopTrc": (15, 12), "MMapTrc": (19, 16), "MProfDbg": (23, 20), "PerfMon": (27, 24), "TraceFilt": (31, 28)},
    "ID_DFR1_EL1": {"MTPMU": (3, 0), "HPMN0": (7, 4)},
    "ID_ISAR0_EL1": {"Swap": (3, 0), "BitCount": (7, 4), "BitField": (11, 8), "CmpBranch": (15, 12), "Coproc": (19, 16), "Debug": (23, 20), "Divide": (27, 24)},
    "ID_ISAR1_EL1": {"Endian": (3, 0), "Except": (7, 4), "Except_AR": (11, 8), "Extend": (15, 12), "IfThen": (19, 16), "Immediate": (23, 20), "Interwork": (27, 24), "Jazelle": (31, 28)},
    "ID_ISAR2_EL1": {"LoadStore": (3, 0), "MemHint": (7, 4), "MultiAccessInt": (11, 8), "Mult": (15, 12), "MultS": (19, 16), "MultU": (23, 20), "PSR_AR": (27, 24), "Reversal": (31, 28)},
    "ID_ISAR3_EL1": {"Saturate": (3, 0), "SIMD": (7, 4), "SVC": (11, 8), "SynchPrim": (15, 12), "TabBranch": (19, 16), "T32Copy": (23, 20), "TrueNOP": (27, 24), "T32EE": (31, 28)},
    "ID_ISAR4_EL1": {"Unpriv": (3, 0), "WithShifts": (7, 4), "Writeback": (11, 8), "SMC": (15, 12), "Barrier": (19, 16), "SynchPrim_frac": (23, 20), "PSR_M": (27, 24), "SWP_frac": (31, 28)},
    "ID_ISAR5_EL1": {"SEVL": (3, 0), "AES": (7, 4), "SHA1": (11, 8), "SHA2": (15, 12), "CRC32": (19, 16), "RDM": (27, 24), "VCMA": (31, 28)},
    "ID_ISAR6_EL1": {"JSCVT": (3, 0), "DP": (7, 4), "FHM": (11, 8), "SB": (15, 12), "SPECRES": (19, 16), "BF16": (23, 20), "I8MM": (27, 24), "CLRBHB": (31, 28)},
    "ID_MMFR0_EL1": {"VMSA": (3, 0), "PMSA": (7, 4), "OuterShr": (11, 8), "ShareLvl": (15, 12), "TCM": (19, 16), "AuxReg": (23, 20), "FCSE": (27, 24), "InnerShr": (31, 28)},
    "ID_MMFR1_EL1": {"L1HvdVA": (3, 0), "L1UniVA": (7, 4), "L1HvdSW": (11, 8), "L1UniSW": (15, 12), "L1Hvd": (19, 16), "L1Uni": (23, 20), "L1TstCln": (27, 24), "BPred": (31, 28)},
    "ID_MMFR2_EL1": {"L1HvdFG": (3, 0), "L1HvdBG": (7, 4), "L1HvdRng": (11, 8), "HvdTLB": (15, 12), "UniTLB": (19, 16), "MemBarr": (23, 20), "WFIStall": (27, 24), "HWAccFlg": (31, 28)},
    "ID_MMFR3_EL1": {"CMaintVA": (3, 0), "CMaintSW": (7, 4), "BPMaint": (11, 8), "MaintBcst": (15, 12), "PAN": (19, 16), "CohWalk": (23, 20), "CMemSz": (27, 24), "Supersec": (31, 28)},
    "ID_MMFR4_EL1": {"SpecSEI": (3, 0), "AC2": (7, 4), "XNX": (11, 8), "CnP": (15, 12), "HPDS": (19, 16), "LSM": (23, 20), "CCIDX": (27, 24), "EVT": (31, 28)},
    "ID_MMFR5_EL1": {"ETS": (3, 0), "nTLBPA": (7, 4)},
    "ID_PFR0_EL1": {"State0": (3, 0), "State1": (7, 4), "State2": (11, 8), "State3": (15, 12), "CSV2": (19, 16), "AMU": (23, 20), "DIT": (27, 24), "RAS": (31, 28)},
    "ID_PFR1_EL1": {"ProgMod": (3, 0), "Security": (7, 4), "MProgMod": (11, 8), "Virtualization": (15, 12), "GenTimer": (19, 16), "Sec_frac": (23, 20), "Virt_frac": (27, 24), "GIC": (31, 28)},
    "ID_PFR2_EL1": {"CSV3": (3, 0), "SSBS": (7, 4), "RAS_frac": (11, 8)},
    "MVFR0_EL1": {"SIMDReg": (3, 0), "FPSP": (7, 4), "FPDP": (11, 8), "FPTrap": (15, 12), "FPDivide": (19, 16), "FPSqrt": (23, 20), "FPShVec": (27, 24), "FPRound": (31, 28)},
    "MVFR1_EL1": {"FPFtZ": (3, 0), "FPDNaN": (7, 4), "SIMDLS": (11, 8), "SIMDInt": (15, 12), "SIMDSP": (19, 16), "SIMDHP": (23, 20), "FPHP": (27, 24), "SIMDFMAC": (31, 28)},
    "MVFR2_EL1": {"SIMDMisc": (3, 0), "FPMisc": (7, 4)},
}
# D24.2: FEAT_X -> [(register, field, value)]
IDENTIFIED_BY = {
    "FEAT_AA32BF16": [("ID_ISAR6_EL1", "BF16", 1)],
    "FEAT_AA32HPD": [("ID_MMFR4_EL1", "HPDS", 1)],
    "FEAT_AA32I8MM": [("ID_ISAR6_EL1", "I8MM", 1)],
    "FEAT_ABLE": [("ID_AA64DFR1_EL1", "ABLE", 1)],
    "FEAT_AES": [("ID_AA64ISAR0_EL1", "AES", 1)],
    "FEAT_AFP": [("ID_AA64MMFR1_EL1", "AFP", 1)],
    "FEAT_AIE": [("ID_AA64MMFR3_EL1", "AIE", 1)],
    "FEAT_AMUv1": [("ID_PFR0_EL1", "AMU", 1), ("ID_AA64PFR0_EL1", "AMU", 1)],
    "FEAT_AMUv1p1": [("ID_PFR0_EL1", "AMU", 2), ("ID_AA64PFR0_EL1", "AMU", 2)],
    "FEAT_BBML1": [("ID_AA64MMFR2_EL1", "BBM", 1)],
    "FEAT_BBML2": [("ID_AA64MMFR2_EL1", "BBM", 2)],
    "FEAT_BF16": [("ID_AA64ISAR1_EL1", "BF16", 1), ("ID_AA64ZFR0_EL1", "BF16", 1)],
    "FEAT_BRBE": [("ID_AA64DFR0_EL1", "BRBE", 1)],
    "FEAT_BRBEv1p1": [("ID_AA64DFR0_EL1", "BRBE", 2)],
    "FEAT_BTI": [("ID_AA64PFR1_EL1", "BT", 1)],
    "FEAT_BWE": [("ID_AA64DFR2_EL1", "BWE", 1)],
    "FEAT_BWE2": [("ID_AA64DFR2_EL1", "BWE", 2)],
    "FEAT_CCIDX": [("ID_MMFR4_EL1", "CCIDX", 1), ("ID_AA64MMFR2_EL1", "CCIDX", 1)],
    "FEAT_CLRBHB": [("ID_ISAR6_EL1", "CLRBHB", 1), ("ID_AA64ISAR2_EL1", "CLRBHB", 1)],
    "FEAT_CMPBR": [("ID_AA64ISAR2_EL1", "CSSC", 2)],
    "FEAT_CONSTPACFIELD": [("ID_AA64ISAR2_EL1", "PAC_frac", 1)],
    "FEAT_CPA": [("ID_AA64ISAR3_EL1", "CPA", 1)],
    "FEAT_CPA2": [("ID_AA64ISAR3_EL1", "CPA", 2)],
    "FEAT_CRC32": [("ID_ISAR5_EL1", "CRC32", 1), ("ID_AA64ISAR0_EL1", "CRC32", 1)],
    "FEAT_CSSC": [("ID_AA64ISAR2_EL1", "CSSC", 1)],
    "FEAT_CSV2": [("ID_PFR0_EL1", "CSV2", 1), ("ID_AA64PFR0_EL1", "CSV2", 1)],
    "FEAT_CSV2_1p1": [("ID_PFR0_EL1", "CSV2", 2), ("ID_AA64PFR1_EL1", "CSV2_frac", 1)],
    "FEAT_CSV2_1p2": [("ID_AA64PFR1_EL1", "CSV2_frac", 2)],
    "FEAT_CSV2_2": [("ID_AA64PFR0_EL1", "CSV2", 2)],
    "FEAT_CSV3": [("ID_PFR2_EL1", "CSV3", 1), ("ID_AA64PFR0_EL1", "CSV3", 1)],
    "FEAT_DGH": [("ID_AA64ISAR1_EL1", "DGH", 1)],
    "FEAT_DIT": [("ID_PFR0_EL1", "DIT", 1), ("ID_AA64PFR0_EL1", "DIT", 1)],
    "FEAT_DPB": [("ID_AA64ISAR1_EL1", "DPB", 1)],
    "FEAT_DPB2": [("ID_AA64ISAR1_EL1", "DPB", 2)],
    "FEAT_Debugv8p1": [("ID_AA64DFR0_EL1", "DebugVer", 7), ("ID_DFR0_EL1", "CopDbg", 7)],
    "FEAT_Debugv8p2": [("ID_AA64DFR0_EL1", "DebugVer", 8), ("ID_DFR0_EL1", "CopDbg", 8)],
    "FEAT_Debugv8p4": [("ID_AA64DFR0_EL1", "DebugVer", 9), ("ID_DFR0_EL1", "CopDbg", 9)],
    "FEAT_Debugv8p8": [("ID_AA64DFR0_EL1", "DebugVer", 10), ("ID_DFR0_EL1", "CopDbg", 10)],
    "FEAT_Debugv8p9": [("ID_AA64DFR0_EL1", "DebugVer", 11), ("ID_DFR0_EL1", "CopDbg", 11)],
    "FEAT_DotProd": [("ID_ISAR6_EL1", "DP", 1), ("ID_AA64ISAR0_EL1", "DP", 1)],
    "FEAT_DoubleFault2": [("ID_AA64PFR1_EL1", "DF2", 1)],
    "FEAT_E0PD": [("ID_AA64MMFR2_EL1", "E0PD", 1)],
    "FEAT_EBEP": [("ID_AA64DFR1_EL1", "EBEP", 1)],
    "FEAT_EBF16": [("ID_AA64ISAR1_EL1", "BF16", 2), ("ID_AA64ZFR0_EL1", "BF16", 2)],
    "FEAT_ECBHB": [("ID_AA64MMFR1_EL1", "ECBHB", 1)],
    "FEAT_ECV": [("ID_PFR1_EL1", "GenTimer", 2), ("ID_AA64MMFR0_EL1", "ECV", 1)],
    "FEAT_ECV_POFF": [("ID_AA64MMFR0_EL1", "ECV", 2)],
    "FEAT_EPAC": [("ID_AA64ISAR1_EL1", "API", 2), ("ID_AA64ISAR1_EL1", "APA", 2), ("ID_AA64ISAR2_EL1", "APA3", 2)],
    "FEAT_ETS2": [("ID_MMFR5_EL1", "ETS", 2), ("ID_AA64MMFR1_EL1", "ETS", 2)],
    "FEAT_ETS3": [("ID_MMFR5_EL1", "ETS", 3), ("ID_AA64MMFR1_EL1", "ETS", 3)],
    "FEAT_ExS": [("ID_AA64MMFR0_EL1", "ExS", 1)],
    "FEAT_F32MM": [("ID_AA64ZFR0_EL1", "F32MM", 1)],
    "FEAT_F64MM": [("ID_AA64ZFR0_EL1", "F64MM", 1)],
    "FEAT_FAMINMAX": [("ID_AA64ISAR3_EL1", "FAMINMAX", 1)],
    "FEAT_FCMA": [("ID_ISAR5_EL1", "VCMA", 1), ("ID_AA64ISAR1_EL1", "FCMA", 1)],
    "FEAT_FGT": [("ID_AA64MMFR0_EL1", "FGT", 1)],
    "FEAT_FGT2": [("ID_AA64MMFR0_EL1", "FGT", 2)],
    "FEAT_FGWTE3": [("ID_AA64MMFR4_EL1", "FGWTE3", 1)],
    "FEAT_FHM": [("ID_ISAR6_EL1", "FHM", 1), ("ID_AA64ISAR0_EL1", "FHM", 1)],
    "FEAT_FPAC": [("ID_AA64ISAR1_EL1", "API", 4), ("ID_AA64ISAR1_EL1", "APA", 4), ("ID_AA64ISAR2_EL1", "APA3", 4)],
    "FEAT_FPACCOMBINE": [("ID_AA64ISAR1_EL1", "API", 5), ("ID_AA64ISAR1_EL1", "APA", 5), ("ID_AA64ISAR2_EL1", "APA3", 5)],
    "FEAT_FPMR": [("ID_AA64PFR2_EL1", "FPMR", 1)],
    "FEAT_FPRCVT": [("ID_AA64ISAR3_EL1", "FPRCVT", 1)],
    "FEAT_FRINTTS": [("ID_AA64ISAR1_EL1", "FRINTTS", 1)],
    "FEAT_FlagM": [("ID_AA64ISAR0_EL1", "TS", 1)],
    "FEAT_FlagM2": [("ID_AA64ISAR0_EL1", "TS", 2)],
    "FEAT_GCS": [("ID_AA64PFR1_EL1", "GCS", 1)],
    "FEAT_HACDBS": [("ID_AA64MMFR4_EL1", "HACDBS", 1)],
    "FEAT_HAFT": [("ID_AA64MMFR1_EL1", "HAFDBS", 3)],
    "FEAT_HBC": [("ID_AA64ISAR2_EL1", "BC", 1)],
    "FEAT_HCX": [("ID_AA64MMFR1_EL1", "HCX", 1)],
    "FEAT_HDBSS": [("ID_AA64MMFR1_EL1", "HAFDBS", 4)],
    "FEAT_HPDS": [("ID_AA64MMFR1_EL1", "HPDS", 1)],
    "FEAT_HPDS2": [("ID_AA64MMFR1_EL1", "HPDS", 2)],
    "FEAT_HPMN0": [("ID_DFR1_EL1", "HPMN0", 1), ("ID_AA64DFR0_EL1", "HPMN0", 1)],
    "FEAT_I8MM": [("ID_AA64ISAR1_EL1", "I8MM", 1), ("ID_AA64ZFR0_EL1", "I8MM", 1)],
    "FEAT_IDST": [("ID_AA64MMFR2_EL1", "IDS", 1)],
    "FEAT_IDTE3": [("ID_AA64MMFR2_EL1", "IDS", 2)],
    "FEAT_IESB": [("ID_AA64MMFR2_EL1", "IESB", 1)],
    "FEAT_ITE": [("ID_AA64DFR1_EL1", "ITE", 1)],
    "FEAT_JSCVT": [("ID_ISAR6_EL1", "JSCVT", 1), ("ID_AA64ISAR1_EL1", "JSCVT", 1)],
    "FEAT_LOR": [("ID_AA64MMFR1_EL1", "LO", 1)],
    "FEAT_LRCPC": [("ID_AA64ISAR1_EL1", "LRCPC", 1)],
    "FEAT_LRCPC2": [("ID_AA64ISAR1_EL1", "LRCPC", 2)],
    "FEAT_LRCPC3": [("ID_AA64ISAR1_EL1", "LRCPC", 3)],
    "FEAT_LS64": [("ID_AA64ISAR1_EL1", "LS64", 1)],
    "FEAT_LS64WB": [("ID_AA64ISAR1_EL1", "LS64", 4)],
    "FEAT_LS64_ACCDATA": [("ID_AA64ISAR1_EL1", "LS64", 3)],
    "FEAT_LS64_V": [("ID_AA64ISAR1_EL1", "LS64", 2)],
    "FEAT_LSE": [("ID_AA64ISAR0_EL1", "Atomic", 2)],
    "FEAT_LSE128": [("ID_AA64ISAR0_EL1", "Atomic", 3)],
    "FEAT_LSE2": [("ID_AA64MMFR2_EL1", "AT", 1)],
    "FEAT_LSFE": [("ID_AA64ISAR3_EL1", "LSFE", 1)],
    "FEAT_LSMAOC": [("ID_MMFR4_EL1", "LSM", 1), ("ID_AA64MMFR2_EL1", "LSM", 1)],
    "FEAT_LSUI": [("ID_AA64ISAR3_EL1", "LSUI", 1)],
    "FEAT_LUT": [("ID_AA64ISAR2_EL1", "LUT", 1)],
    "FEAT_LVA": [("ID_AA64MMFR2_EL1", "VARange", 1)],
    "FEAT_LVA3": [("ID_AA64MMFR2_EL1", "VARange", 2)],
    "FEAT_MEC": [("ID_AA64MMFR3_EL1", "MEC", 1)],
    "FEAT_MOPS": [("ID_AA64ISAR2_EL1", "MOPS", 1)],
    "FEAT_MTE": [("ID_AA64PFR1_EL1", "MTE", 1)],
    "FEAT_MTE2": [("ID_AA64PFR1_EL1", "MTE", 2)],
    "FEAT_MTE3": [("ID_AA64PFR1_EL1", "MTE", 3)],
    "FEAT_MTE_PERM": [("ID_AA64PFR2_EL1", "MTEPERM", 1)],
    "FEAT_MTE_STORE_ONLY": [("ID_AA64PFR2_EL1", "MTESTOREONLY", 1)],
    "FEAT_MTE_TAGGED_FAR": [("ID_AA64PFR2_EL1", "MTEFAR", 1)],
    "FEAT_MTPMU": [("ID_DFR1_EL1", "MTPMU", 1), ("ID_AA64DFR0_EL1", "MTPMU", 1)],
    "FEAT_MixedEnd": [("ID_AA64MMFR0_EL1", "BigEnd", 1)],
    "FEAT_MixedEndEL0": [("ID_AA64MMFR0_EL1", "BigEndEL0", 1)],
    "FEAT_NMI": [("ID_AA64PFR1_EL1", "NMI", 1)],
    "FEAT_NV": [("ID_AA64MMFR2_EL1", "NV", 1)],
    "FEAT_NV2": [("ID_AA64MMFR2_EL1", "NV", 2)],
    "FEAT_OCCMO": [("ID_AA64ISAR3_EL1", "OCCMO", 1)],
    "FEAT_PACQARMA3": [("ID_AA64ISAR2_EL1", "GPA3", 1)],
    "FEAT_PACQARMA5": [("ID_AA64ISAR1_EL1", "GPA", 1)],
    "FEAT_PAN": [("ID_MMFR3_EL1", "PAN", 1), ("ID_AA64MMFR1_EL1", "PAN", 1)],
    "FEAT_PAuth": [("ID_AA64ISAR1_EL1", "API", 1), ("ID_AA64ISAR1_EL1", "APA", 1), ("ID_AA64ISAR2_EL1", "APA3", 1)],
    "FEAT_PAuth2": [("ID_AA64ISAR1_EL1", "API", 3), ("ID_AA64ISAR1_EL1", "APA", 3), ("ID_AA64ISAR2_EL1", "APA3", 3)],
    "FEAT_PAuth_LR": [("ID_AA64ISAR1_EL1", "API", 6), ("ID_AA64ISAR1_EL1", "APA", 6), ("ID_AA64ISAR2_EL1", "APA3", 6)],
    "FEAT_PCDPHINT": [("ID_AA64ISAR2_EL1", "PCDPHINT", 1)],
    "FEAT_PFAR": [("ID_AA64PFR1_EL1", "PFAR", 1)],
    "FEAT_PMULL": [("ID_AA64ISAR0_EL1", "AES", 2)],
    "FEAT_PMUv3": [("ID_AA64DFR0_EL1", "PMUVer", 1), ("ID_DFR0_EL1", "PerfMon", 3)],
    "FEAT_PMUv3_ICNTR": [("ID_AA64DFR1_EL1", "PMICNTR", 1)],
    "FEAT_PMUv3_SS": [("ID_AA64DFR0_EL1", "PMSS", 1)],
    "FEAT_PMUv3p1": [("ID_AA64DFR0_EL1", "PMUVer", 4), ("ID_DFR0_EL1", "PerfMon", 4)],
    "FEAT_PMUv3p4": [("ID_AA64DFR0_EL1", "PMUVer", 5), ("ID_DFR0_EL1", "PerfMon", 5)],
    "FEAT_PMUv3p5": [("ID_AA64DFR0_EL1", "PMUVer", 6), ("ID_DFR0_EL1", "PerfMon", 6)],
    "FEAT_PMUv3p7": [("ID_AA64DFR0_EL1", "PMUVer", 7), ("ID_DFR0_EL1", "PerfMon", 7)],
    "FEAT_PMUv3p8": [("ID_AA64DFR0_EL1", "PMUVer", 8), ("ID_DFR0_EL1", "PerfMon", 8)],
    "FEAT_PMUv3p9": [("ID_AA64DFR0_EL1", "PMUVer", 9), ("ID_DFR0_EL1", "PerfMon", 9)],
    "FEAT_PRFMSLC": [("ID_AA64ISAR2_EL1", "PRFMSLC", 1)],
    "FEAT_RAS": [("ID_PFR0_EL1", "RAS", 1), ("ID_AA64PFR0_EL1", "RAS", 1)],
    "FEAT_RASv1p1": [("ID_PFR0_EL1", "RAS", 2), ("ID_PFR2_EL1", "RAS_frac", 1), ("ID_AA64PFR1_EL1", "RAS_frac", 1)],
    "FEAT_RASv2": [("ID_PFR0_EL1", "RAS", 3), ("ID_AA64PFR0_EL1", "RAS", 3)],
    "FEAT_RDM": [("ID_ISAR5_EL1", "RDM", 1), ("ID_AA64ISAR0_EL1", "RDM", 1)],
    "FEAT_RME": [("ID_AA64PFR0_EL1", "RME", 1)],
    "FEAT_RME_GPC2": [("ID_AA64PFR0_EL1", "RME", 2)],
    "FEAT_RME_GPC3": [("ID_AA64PFR0_EL1", "RME", 3)],
    "FEAT_RNG": [("ID_AA64ISAR0_EL1", "RNDR", 1)],
    "FEAT_RNG_TRAP": [("ID_AA64PFR1_EL1", "RNDR_trap", 1)],
    "FEAT_RPRES": [("ID_AA64ISAR2_EL1", "RPRES", 1)],
    "FEAT_RPRFM": [("ID_AA64ISAR2_EL1", "RPRFM", 1)],
    "FEAT_S1PIE": [("ID_AA64MMFR3_EL1", "S1PIE", 1)],
    "FEAT_S1POE": [("ID_AA64MMFR3_EL1", "S1POE", 1)],
    "FEAT_S2FWB": [("ID_AA64MMFR2_EL1", "FWB", 1)],
    "FEAT_S2PIE": [("ID_AA64MMFR3_EL1", "S2PIE", 1)],
    "FEAT_S2POE": [("ID_AA64MMFR3_EL1", "S2POE", 1)],
    "FEAT_SB": [("ID_ISAR6_EL1", "SB", 1), ("ID_AA64ISAR1_EL1", "SB", 1)],
    "FEAT_SEBEP": [("ID_AA64DFR0_EL1", "SEBEP", 1)],
    "FEAT_SEL2": [("ID_AA64PFR0_EL1", "SEL2", 1)],
    "FEAT_SHA1": [("ID_AA64ISAR0_EL1", "SHA1", 1)],
    "FEAT_SHA256": [("ID_AA64ISAR0_EL1", "SHA2", 1)],
    "FEAT_SHA3": [("ID_AA64ISAR0_EL1", "SHA3", 1)],
    "FEAT_SHA512": [("ID_AA64ISAR0_EL1", "SHA2", 2)],
    "FEAT_SM3": [("ID_AA64ISAR0_EL1", "SM3", 1)],
    "FEAT_SM4": [("ID_AA64ISAR0_EL1", "SM4", 1)],
    "FEAT_SME": [("ID_AA64PFR1_EL1", "SME", 1), ("ID_AA64ZFR0_EL1", "SVEver", 1)],
    "FEAT_SME2": [("ID_AA64PFR1_EL1", "SME", 2), ("ID_AA64SMFR0_EL1", "SMEver", 1)],
    "FEAT_SME2p1": [("ID_AA64SMFR0_EL1", "SMEver", 2), ("ID_AA64ZFR0_EL1", "SVEver", 2)],
    "FEAT_SME2p2": [("ID_AA64SMFR0_EL1", "SMEver", 3), ("ID_AA64ZFR0_EL1", "SVEver", 3)],
    "FEAT_SME_I16I64": [("ID_AA64SMFR0_EL1", "I16I64", 15)],
    "FEAT_SPE": [("ID_AA64DFR0_EL1", "PMSVer", 1)],
    "FEAT_SPECRES": [("ID_ISAR6_EL1", "SPECRES", 1), ("ID_AA64ISAR1_EL1", "SPECRES", 1)],
    "FEAT_SPECRES2": [("ID_ISAR6_EL1", "SPECRES", 2), ("ID_AA64ISAR1_EL1", "SPECRES", 2)],
    "FEAT_SPE_DPFZS": [("ID_AA64DFR1_EL1", "DPFZS", 1)],
    "FEAT_SPE_EXC": [("ID_AA64DFR2_EL1", "SPE_EXC", 1)],
    "FEAT_SPE_nVM": [("ID_AA64DFR2_EL1", "SPE_nVM", 1)],
    "FEAT_SPEv1p1": [("ID_AA64DFR0_EL1", "PMSVer", 2)],
    "FEAT_SPEv1p2": [("ID_AA64DFR0_EL1", "PMSVer", 3)],
    "FEAT_SPEv1p3": [("ID_AA64DFR0_EL1", "PMSVer", 4)],
    "FEAT_SPEv1p4": [("ID_AA64DFR0_EL1", "PMSVer", 5)],
    "FEAT_SPEv1p5": [("ID_AA64DFR0_EL1", "PMSVer", 6)],
    "FEAT_SPMU": [("ID_AA64DFR1_EL1", "SPMU", 1)],
    "FEAT_SPMU2": [("ID_AA64DFR1_EL1", "SPMU", 2)],
    "FEAT_SRMASK": [("ID_AA64MMFR4_EL1", "SRMASK", 1)],
    "FEAT_SSBS": [("ID_AA64PFR1_EL1", "SSBS", 1)],
    "FEAT_SSBS2": [("ID_AA64PFR1_EL1", "SSBS", 2)],
    "FEAT_STEP2": [("ID_AA64DFR2_EL1", "STEP", 1)],
    "FEAT_SVE": [("ID_AA64PFR0_EL1", "SVE", 1)],
    "FEAT_SVE2": [("ID_AA64ZFR0_EL1", "SVEver", 1)],
    "FEAT_SVE2p1": [("ID_AA64ZFR0_EL1", "SVEver", 2)],
    "FEAT_SVE2p2": [("ID_AA64ZFR0_EL1", "SVEver", 3)],
    "FEAT_SVE_AES": [("ID_AA64ZFR0_EL1", "AES", 1)],
    "FEAT_SVE_AES2": [("ID_AA64ZFR0_EL1", "AES", 3)],
    "FEAT_SVE_BitPerm": [("ID_AA64ZFR0_EL1", "BitPerm", 1)],
    "FEAT_SVE_F16F32MM": [("ID_AA64ZFR0_EL1", "F16MM", 1)],
    "FEAT_SVE_PMULL128": [("ID_AA64ZFR0_EL1", "AES", 2)],
    "FEAT_SVE_SHA3": [("ID_AA64ZFR0_EL1", "SHA3", 1)],
    "FEAT_SVE_SM4": [("ID_AA64ZFR0_EL1", "SM4", 1)],
    "FEAT_SYSINSTR128": [("ID_AA64ISAR2_EL1", "SYSINSTR_128", 1)],
    "FEAT_SYSREG128": [("ID_AA64ISAR2_EL1", "SYSREG_128", 1)],
    "FEAT_SpecSEI": [("ID_MMFR4_EL1", "SpecSEI", 1), ("ID_AA64MMFR1_EL1", "SpecSEI", 1)],
    "FEAT_THE": [("ID_AA64PFR1_EL1", "THE", 1)],
    "FEAT_TIDCP1": [("ID_AA64MMFR1_EL1", "TIDCP1", 1)],
    "FEAT_TLBIRANGE": [("ID_AA64ISAR0_EL1", "TLB", 2)],
    "FEAT_TLBIW": [("ID_AA64ISAR3_EL1", "TLBIW", 1)],
    "FEAT_TRBE": [("ID_AA64DFR0_EL1", "TraceBuffer", 1)],
    "FEAT_TRBE_EXC": [("ID_AA64DFR2_EL1", "TRBE_EXC", 1)],
    "FEAT_TRBE_EXT": [("ID_AA64DFR0_EL1", "ExtTrcBuff", 1)],
    "FEAT_TRBEv1p1": [("ID_AA64DFR0_EL1", "TraceBuffer", 2)],
    "FEAT_TRF": [("ID_AA64DFR0_EL1", "TraceFilt", 1), ("ID_DFR0_EL1", "TraceFilt", 1)],
    "FEAT_TTCNP": [("ID_MMFR4_EL1", "CnP", 1), ("ID_AA64MMFR2_EL1", "CnP", 1)],
    "FEAT_TTL": [("ID_AA64MMFR2_EL1", "TTL", 1)],
    "FEAT_TTST": [("ID_AA64MMFR2_EL1", "ST", 1)],
    "FEAT_TWED": [("ID_AA64MMFR1_EL1", "TWED", 1)],
    "FEAT_UAO": [("ID_AA64MMFR2_EL1", "UAO", 1)],
    "FEAT_UINJ": [("ID_AA64PFR2_EL1", "UINJ", 1)],
    "FEAT_VHE": [("ID_AA64MMFR1_EL1", "VH", 1)],
    "FEAT_VMID16": [("ID_AA64MMFR1_EL1", "VMIDBits", 2)],
    "FEAT_WFxT": [("ID_AA64ISAR2_EL1", "WFxT", 2)],
    "FEAT_XNX": [("ID_MMFR4_EL1", "XNX", 1), ("ID_AA64MMFR1_EL1", "XNX", 1)],
    "FEAT_XS": [("ID_AA64ISAR1_EL1", "XS", 1)],
    "FEAT_nTLBPA": [("ID_MMFR5_EL1", "nTLBPA", 1), ("ID_AA64MMFR1_EL1", "nTLBPA", 1)],
}

# A2.2, A2.3 (one sentence a line). Left out: "If FEAT_E2H0 is implemented,
# then FEAT_VHE is implemented.", which D24.2.92 contradicts ("If FEAT_E2H0
# is implemented and FEAT_VHE is not implemented, then HCR_EL2.E2H is
# RES0"): an Armv8.0 PE has E2H0 = 0b0000 and no VHE. field_rules() has
# D24.2.92's own rule instead.
DEPENDENCIES = """
If FEAT_AA32 is implemented, then FEAT_AA32EL0 is implemented.
If FEAT_AA32BF16 is implemented, then FEAT_AA32 is implemented.
If FEAT_AA32BF16 is implemented, then FEAT_BF16 is implemented.
If FEAT_AA32EL0 is implemented, then FEAT_AA32 is implemented.
If FEAT_AA32EL0 is implemented, then FEAT_EL0 is implemented.
If FEAT_AA32EL1 is implemented, then FEAT_AA32EL0 is implemented.
If FEAT_AA32EL1 is implemented, then FEAT_EL1 is implemented.
If FEAT_AA32EL2 is implemented, then FEAT_AA32EL1 is implemented.
If FEAT_AA32EL2 is implemented, then FEAT_EL2 is implemented.
If FEAT_AA32EL3 is implemented, then FEAT_AA32EL1 is implemented.
If FEAT_AA32EL3 is implemented, then FEAT_EL3 is implemented.
If FEAT_AA32HPD is implemented, then FEAT_AA32 is implemented.
If FEAT_AA32I8MM is implemented, then FEAT_AA32 is implemented.
If FEAT_AA32I8MM is implemented, then FEAT_I8MM is implemented.
If FEAT_AA64 is implemented, then FEAT_AA64EL0, FEAT_AA64EL1, FEAT_AA64EL2, or FEAT_AA64EL3 is implemented.
If FEAT_AA64EL0 is implemented, then FEAT_AA64EL1 is implemented.
If FEAT_AA64EL0 is implemented, then FEAT_EL0 is implemented.
If FEAT_AA64EL1 is implemented, then FEAT_AA64EL0 is implemented.
If FEAT_AA64EL1 is implemented, then FEAT_EL1 is implemented.
If FEAT_AA64EL2 is implemented, then FEAT_AA64EL1 is implemented.
If FEAT_AA64EL2 is implemented, then FEAT_EL2 is implemented.
If FEAT_AA64EL3 is implemented, then FEAT_AA64EL1 is implemented.
If FEAT_AA64EL3 is implemented, then FEAT_EL3 is implemented.
If FEAT_ABLE is implemented, then FEAT_BWE is implemented.
If FEAT_ABLE is implemented, then FEAT_Debugv8p9 is implemented.
If FEAT_ADERR is implemented, then FEAT_RASv2 is implemented.
If FEAT_ADERR is implemented, then FEAT_SCTLR2 is implemented.
If FEAT_AFP is implemented, then FEAT_FP is implemented.
If FEAT_AIE is implemented, then FEAT_HPDS is implemented.
If FEAT_AIE is implemented, then FEAT_TCR2 is implemented.
If FEAT_AMUv1p1 is implemented, then FEAT_AMUv1 is implemented.
If FEAT_ANERR is implemented, then FEAT_RASv2 is implemented.
If FEAT_ANERR is implemented, then FEAT_SCTLR2 is implemented.
If FEAT_AdvSIMD is implemented, then FEAT_FP is implemented.
If FEAT_BBML2 is implemented, then FEAT_BBML1 is implemented.
If FEAT_BRBEv1p1 is implemented, then FEAT_BRBE is implemented.
If FEAT_BWE2 is implemented, then FEAT_BWE is implemented.
If FEAT_CONSTPACFIELD is implemented, then FEAT_PAuth2 is implemented.
If FEAT_CPA2 is implemented, then FEAT_CPA is implemented.
If FEAT_CPA2 is implemented, then FEAT_SCTLR2 is implemented.
If FEAT_CSV2_1p1 is implemented, then FEAT_CSV2 is implemented.
If FEAT_CSV2_1p2 is implemented, then FEAT_CSV2_1p1 is implemented.
If FEAT_CSV2_2 is implemented, then FEAT_CSV2 is implemented.
If FEAT_CSV2_2 is implemented, then FEAT_CSV2_1p1 is not implemented.
If FEAT_D128 is implemented, then FEAT_AIE is implemented.
If FEAT_D128 is implemented, then FEAT_LSE128 is implemented.
If FEAT_D128 is implemented, then FEAT_S1PIE is implemented.
If FEAT_D128 is implemented, then FEAT_SYSINSTR128 is implemented.
If FEAT_D128 is implemented, then FEAT_SYSREG128 is implemented.
If FEAT_D128 is implemented, then FEAT_TCR2 is implemented.
If FEAT_DPB2 is implemented, then FEAT_DPB is implemented.
If FEAT_Debugv8p2 is implemented, then FEAT_Debugv8p1 is implemented.
If FEAT_Debugv8p4 is implemented, then FEAT_Debugv8p2 is implemented.
If FEAT_Debugv8p8 is implemented, then FEAT_Debugv8p4 is implemented.
If FEAT_Debugv8p9 is implemented, then FEAT_Debugv8p8 is implemented.
If FEAT_DoubleFault2 is implemented, then FEAT_SCTLR2 is implemented.
If FEAT_E0PD is implemented, then FEAT_CSV3 is implemented.
If FEAT_EBF16 is implemented, then FEAT_AdvSIMD, FEAT_FP, FEAT_SVE, or FEAT_SME is implemented.
If FEAT_EBF16 is implemented, then FEAT_BF16 is implemented.
If FEAT_ECV_POFF is implemented, then FEAT_ECV is implemented.
If FEAT_EL0 is implemented, then FEAT_AA32EL0 or FEAT_AA64EL0 is implemented.
If FEAT_EL1 is implemented, then FEAT_AA32EL1 or FEAT_AA64EL1 is implemented.
If FEAT_EL2 is implemented, then FEAT_AA32EL2 or FEAT_AA64EL2 is implemented.
If FEAT_EL3 is implemented, then FEAT_AA32EL3 or FEAT_AA64EL3 is implemented.
If FEAT_EPAC is implemented, then FEAT_PAuth is implemented.
If FEAT_EPAC is implemented, then FEAT_PAuth2 is not implemented.
If FEAT_ETE is implemented, then FEAT_TRBE is implemented.
If FEAT_ETE is implemented, then FEAT_TRF is implemented.
If FEAT_ETS3 is implemented, then FEAT_ETS2 is implemented.
If FEAT_F32MM is implemented, then FEAT_SVE is implemented.
If FEAT_F64MM is implemented, then FEAT_SVE is implemented.
If FEAT_FAMINMAX is implemented, then FEAT_AdvSIMD, FEAT_SVE2, or FEAT_SME2 is implemented.
If FEAT_FCMA is implemented, then FEAT_FP is implemented.
If FEAT_FGT2 is implemented, then FEAT_FGT is implemented.
If FEAT_FGWTE3 is implemented, then FEAT_EL3 is implemented.
If FEAT_FP is implemented, then FEAT_AdvSIMD is implemented.
If FEAT_FPAC is implemented, then FEAT_PAuth2 is implemented.
If FEAT_FPACCOMBINE is implemented, then FEAT_FPAC is implemented.
If FEAT_FPMR is implemented, then FEAT_AdvSIMD is implemented.
If FEAT_FPRCVT is implemented, then FEAT_FP is implemented.
If FEAT_FRINTTS is implemented, then FEAT_FP and FEAT_AdvSIMD are implemented.
If FEAT_FlagM2 is implemented, then FEAT_FlagM is implemented.
If FEAT_GCS is implemented, then FEAT_S1PIE is implemented.
If FEAT_HACDBS is implemented, then FEAT_HDBSS is implemented.
If FEAT_HAFT is implemented, then FEAT_TCR2 is implemented.
If FEAT_HDBSS is implemented, then FEAT_AA64EL2 is implemented.
If FEAT_HPDS2 is implemented, then FEAT_HPDS is implemented.
If FEAT_HPMN0 is implemented, then FEAT_EL2 is implemented.
If FEAT_HPMN0 is implemented, then FEAT_PMUv3 and FEAT_FGT are implemented.
If FEAT_IESB is implemented, then FEAT_RAS is implemented.
If FEAT_ITE is implemented, then FEAT_ETE is implemented.
If FEAT_ITE is implemented, then FEAT_TRBE is implemented.
If FEAT_ITE is implemented, then FEAT_TRF is implemented.
If FEAT_JSCVT is implemented, then FEAT_FP is implemented.
If FEAT_LPA2 is implemented, then FEAT_LVA is implemented.
If FEAT_LRCPC2 is implemented, then FEAT_LRCPC is implemented.
If FEAT_LRCPC3 is implemented, then FEAT_LRCPC2 is implemented.
If FEAT_LS64WB is implemented, then FEAT_LS64_ACCDATA is implemented.
If FEAT_LS64_ACCDATA is implemented, then FEAT_LS64_V is implemented.
If FEAT_LS64_V is implemented, then FEAT_LS64 is implemented.
If FEAT_LSE128 is implemented, then FEAT_LSE is implemented.
If FEAT_LSFE is implemented, then FEAT_FP is implemented.
If FEAT_LSMAOC is implemented, then FEAT_AA32 is implemented.
If FEAT_LUT is implemented, then FEAT_AdvSIMD, FEAT_SVE2, or FEAT_SME2 is implemented.
If FEAT_LVA3 is implemented, then FEAT_D128 is implemented.
If FEAT_LVA3 is implemented, then FEAT_LVA is implemented.
If FEAT_MEC is implemented, then FEAT_RME is implemented.
If FEAT_MEC is implemented, then FEAT_SCTLR2 is implemented.
If FEAT_MEC is implemented, then FEAT_TCR2 is implemented.
If FEAT_MTE2 is implemented, then FEAT_MTE is implemented.
If FEAT_MTE3 is implemented, then FEAT_MTE2 is implemented.
If FEAT_MTE_PERM is implemented, then FEAT_MTE2 is implemented.
If FEAT_MTPMU is implemented, then FEAT_EL2 or FEAT_EL3 is implemented.
If FEAT_MTPMU is implemented, then FEAT_PMUv3 is implemented.
If FEAT_MixedEnd is implemented, then FEAT_MixedEndEL0 is implemented.
If FEAT_NV is implemented, then FEAT_EL2 is implemented.
If FEAT_NV2 is implemented, then FEAT_NV is implemented.
If FEAT_PACIMP is implemented, then FEAT_PACQARMA3 is not implemented.
If FEAT_PACIMP is implemented, then FEAT_PACQARMA5 is not implemented.
If FEAT_PACIMP is implemented, then FEAT_PAuth is implemented.
If FEAT_PACQARMA3 is implemented, then FEAT_PACIMP is not implemented.
If FEAT_PACQARMA3 is implemented, then FEAT_PACQARMA5 is not implemented.
If FEAT_PACQARMA3 is implemented, then FEAT_PAuth is implemented.
If FEAT_PACQARMA5 is implemented, then FEAT_PACIMP is not implemented.
If FEAT_PACQARMA5 is implemented, then FEAT_PACQARMA3 is not implemented.
If FEAT_PACQARMA5 is implemented, then FEAT_PAuth is implemented.
If FEAT_PAuth is implemented, then FEAT_PACQARMA5, FEAT_PACIMP, or FEAT_PACQARMA3 is implemented.
If FEAT_PAuth2 is implemented, then FEAT_EPAC is not implemented.
If FEAT_PAuth2 is implemented, then FEAT_PAuth is implemented.
If FEAT_PAuth_LR is implemented, then FEAT_FPACCOMBINE is implemented.
If FEAT_PAuth_LR is implemented, then FEAT_SCTLR2 is implemented.
If FEAT_PMULL is implemented, then FEAT_AES is implemented.
If FEAT_PMUv3_ICNTR is implemented, then FEAT_PMUv3p9 is implemented.
If FEAT_PMUv3_SS is implemented, then FEAT_AA32EL1 is not implemented.
If FEAT_PMUv3_SS is implemented, then FEAT_PMUv3p9 is implemented.
If FEAT_PMUv3p1 is implemented, then FEAT_PMUv3 is implemented.
If FEAT_PMUv3p4 is implemented, then FEAT_PMUv3p1 is implemented.
If FEAT_PMUv3p5 is implemented, then FEAT_PMUv3p4 is implemented.
If FEAT_PMUv3p7 is implemented, then FEAT_PMUv3p5 is implemented.
If FEAT_PMUv3p8 is implemented, then FEAT_PMUv3p7 is implemented.
If FEAT_PMUv3p9 and FEAT_SPEv1p4 are implemented, then FEAT_SPE_DPFZS is implemented.
If FEAT_PMUv3p9 is implemented, then FEAT_PMUv3p8 is implemented.
If FEAT_RASv1p1 is implemented, then FEAT_RAS is implemented.
If FEAT_RASv2 is implemented, then FEAT_RASv1p1 is implemented.
If FEAT_RME is implemented, then FEAT_ECV_POFF is implemented.
If FEAT_RME_GPC2 is implemented, then FEAT_RME is implemented.
If FEAT_RME_GPC3 is implemented, then FEAT_RME is implemented.
If FEAT_RME_GPC3 is implemented, then FEAT_RME_GPC2 is implemented.
If FEAT_RPRES is implemented, then FEAT_AFP is implemented.
If FEAT_S1PIE is implemented, then FEAT_TCR2 is implemented.
If FEAT_S1POE is implemented, then FEAT_HPDS is implemented.
If FEAT_S1POE is implemented, then FEAT_TCR2 is implemented.
If FEAT_S2PIE is implemented, then FEAT_EL2 is implemented.
If FEAT_S2POE is implemented, then FEAT_EL2 is implemented.
If FEAT_S2POE is implemented, then FEAT_S2PIE is implemented.
If FEAT_S2TGran16K is implemented, then FEAT_AA64EL2 and FEAT_TGran16K are implemented.
If FEAT_S2TGran4K is implemented, then FEAT_AA64EL2 and FEAT_TGran4K are implemented.
If FEAT_S2TGran64K is implemented, then FEAT_AA64EL2 and FEAT_TGran64K are implemented.
If FEAT_SEBEP is implemented, then FEAT_EBEP is implemented.
If FEAT_SEL2 is implemented, then FEAT_Debugv8p4 is implemented.
If FEAT_SEL2 is implemented, then FEAT_EL2 is implemented.
If FEAT_SEL2 is implemented, then FEAT_TTST is implemented.
If FEAT_SHA256 is implemented, then FEAT_SHA1 is implemented.
If FEAT_SHA3 is implemented, then FEAT_SHA256 and FEAT_SHA1 are implemented.
If FEAT_SHA512 is implemented, then FEAT_SHA256 and FEAT_SHA1 are implemented.
If FEAT_SME and FEAT_SVE2p1 are implemented, then FEAT_SME2p1 is implemented.
If FEAT_SME and FEAT_SVE2p2 are implemented, then FEAT_SME2p2 is implemented.
If FEAT_SME is implemented, then FEAT_FCMA, FEAT_FP16, FEAT_BF16, and FEAT_FHM are implemented.
If FEAT_SME2 is implemented, then FEAT_SME is implemented.
If FEAT_SME2p1 is implemented, then FEAT_SME2 is implemented.
If FEAT_SME2p2 is implemented, then FEAT_SME2p1 is implemented.
If FEAT_SME_I16I64 is implemented, then FEAT_SME is implemented.
If FEAT_SPE_DPFZS is implemented, then FEAT_PMUv3p7 and FEAT_SPEv1p2 are implemented.
If FEAT_SPE_EXC is implemented, then FEAT_SPEv1p5 is implemented.
If FEAT_SPE_nVM is implemented, then FEAT_SPE is implemented.
If FEAT_SPEv1p1 is implemented, then FEAT_SPE is implemented.
If FEAT_SPEv1p2 is implemented, then FEAT_SPEv1p1 is implemented.
If FEAT_SPEv1p3 is implemented, then FEAT_SPEv1p2 is implemented.
If FEAT_SPEv1p4 is implemented, then FEAT_SPEv1p3 is implemented.
If FEAT_SPEv1p5 is implemented, then FEAT_SPE_EXC is implemented.
If FEAT_SPEv1p5 is implemented, then FEAT_SPE_nVM is implemented.
If FEAT_SPEv1p5 is implemented, then FEAT_SPEv1p4 is implemented.
If FEAT_SPMU is implemented, then FEAT_PMUv3p9 is implemented.
If FEAT_SPMU2 is implemented, then FEAT_SPMU is implemented.
If FEAT_SRMASK is implemented, then FEAT_E2H0 is not implemented.
If FEAT_SSBS2 is implemented, then FEAT_SSBS is implemented.
If FEAT_SVE is implemented, then FEAT_FCMA and FEAT_FP16 are implemented.
If FEAT_SVE2 and FEAT_SME2p1 are implemented, then FEAT_SVE2p1 is implemented.
If FEAT_SVE2 and FEAT_SME2p2 are implemented, then FEAT_SVE2p2 is implemented.
If FEAT_SVE2 is implemented, then FEAT_SVE is implemented.
If FEAT_SVE2p1 is implemented, then FEAT_SVE2 is implemented.
If FEAT_SVE2p2 is implemented, then FEAT_SVE2p1 is implemented.
If FEAT_SVE_AES is implemented, then FEAT_SVE_PMULL128 is implemented.
If FEAT_SVE_AES2 is implemented, then FEAT_SVE_PMULL128 is implemented.
If FEAT_SVE_BitPerm is implemented, then FEAT_SVE2 is implemented.
If FEAT_SVE_F16F32MM is implemented, then FEAT_SVE2p1 is implemented.
If FEAT_SVE_PMULL128 is implemented, then FEAT_SVE_AES is implemented.
If FEAT_SVE_SHA3 is implemented, then FEAT_SVE2 or FEAT_SME2p1 is implemented.
If FEAT_SVE_SM4 is implemented, then FEAT_SM4 is implemented.
If FEAT_SVE_SM4 is implemented, then FEAT_SVE2 is implemented.
If FEAT_SYSINSTR128 is implemented, then FEAT_D128 is implemented.
If FEAT_SYSINSTR128 is implemented, then FEAT_SCTLR2 is implemented.
If FEAT_SYSREG128 is implemented, then FEAT_D128 is implemented.
If FEAT_SYSREG128 is implemented, then FEAT_SCTLR2 is implemented.
If FEAT_THE is implemented, then FEAT_TCR2 is implemented.
If FEAT_TLBIW is implemented, then FEAT_AA64EL2 is implemented.
If FEAT_TRBE is implemented, then FEAT_ETE is implemented.
If FEAT_TRBE is implemented, then FEAT_TRF is implemented.
If FEAT_TRBE_EXC is implemented, then FEAT_TRBEv1p1 is implemented.
If FEAT_TRBE_EXT is implemented, then FEAT_TRBE is implemented.
If FEAT_TRBEv1p1 is implemented, then FEAT_TRBE is implemented.
If FEAT_TRBEv1p1 is implemented, then FEAT_TRBE_EXC is implemented.
If FEAT_VHE is implemented, then FEAT_LSE, FEAT_Debugv8p1, and FEAT_AA64EL2 are implemented.
When FEAT_AA32EL1 and FEAT_HPDS2 are implemented, FEAT_AA32HPD is implemented.
When FEAT_AA32EL3 and FEAT_EL2 are implemented, FEAT_AA32EL2 is implemented.
When FEAT_AA64 and FEAT_ADERR are implemented, FEAT_AA64EL1 is implemented.
When FEAT_AA64 and FEAT_ANERR are implemented, FEAT_AA64EL1 is implemented.
When FEAT_AA64 and FEAT_DoubleFault2 are implemented, FEAT_AA64EL1 is implemented.
When FEAT_AA64 and FEAT_ECV_POFF are implemented, FEAT_AA64EL2 is implemented.
When FEAT_AA64 and FEAT_HCX are implemented, FEAT_AA64EL2 is implemented.
When FEAT_AA64 and FEAT_PFAR are implemented, FEAT_AA64EL1 is implemented.
When FEAT_AA64EL1 and FEAT_EL2 are implemented, FEAT_AA64EL2 is implemented.
When FEAT_AA64EL1 and FEAT_EL3 are implemented, FEAT_AA64EL3 is implemented.
When FEAT_AA64EL2 and FEAT_EL3 are implemented, FEAT_AA64EL3 is implemented.
When FEAT_AA64EL2 and FEAT_TGran16K are implemented, FEAT_S2TGran16K is implemented.
When FEAT_AA64EL2 and FEAT_TGran4K are implemented, FEAT_S2TGran4K is implemented.
When FEAT_AA64EL2 and FEAT_TGran64K are implemented, FEAT_S2TGran64K is implemented.
When FEAT_AA64EL3 and FEAT_EL2 are implemented, FEAT_AA64EL2 is implemented.
When FEAT_ADERR and FEAT_AA64EL2 are implemented, FEAT_HCX is implemented.
When FEAT_ANERR and FEAT_AA64EL2 are implemented, FEAT_HCX is implemented.
When FEAT_D128 and FEAT_EL2 are implemented, FEAT_S2PIE is implemented.
When FEAT_Debugv8p9 and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented.
When FEAT_DoubleFault2 and FEAT_AA64EL2 are implemented, FEAT_HCX is implemented.
When FEAT_EBEP and FEAT_AA32EL0 are implemented, FEAT_Debugv8p9 is implemented.
When FEAT_EBEP and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented.
When FEAT_ETE and FEAT_PMUv3 are implemented, FEAT_PMUv3p1 is implemented.
When FEAT_FPMR and FEAT_EL2 are implemented, FEAT_FGT is implemented.
When FEAT_FPMR and FEAT_EL2 are implemented, FEAT_HCX is implemented.
When FEAT_ITE and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented.
When FEAT_PAuth_LR and FEAT_AA64EL2 are implemented, FEAT_HCX is implemented.
When FEAT_PFAR and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented.
When FEAT_PMUv3 and FEAT_RME are implemented, FEAT_PMUv3p7 is implemented.
When FEAT_PMUv3_ICNTR and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented.
When FEAT_PMUv3_SS and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented.
When FEAT_PMUv3p9 and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented.
When FEAT_RASv2 and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented.
When FEAT_SCTLR2 and FEAT_AA64EL2 are implemented, FEAT_HCX is implemented.
When FEAT_SEBEP and FEAT_AA32EL0 are implemented, FEAT_Debugv8p9 is implemented.
When FEAT_SEBEP and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented.
When FEAT_SME and FEAT_EL2 are implemented, FEAT_FGT and FEAT_HCX are implemented.
When FEAT_SME and FEAT_PMUv3 are implemented, FEAT_PMUv3p1 is implemented.
When FEAT_SPE and FEAT_PMUv3 are implemented, FEAT_PMUv3p1 is implemented.
When FEAT_SPE and FEAT_RME are implemented, FEAT_SPEv1p2 is implemented.
When FEAT_SPE_nVM and FEAT_EL2 are implemented, FEAT_FGT2 is implemented.
When FEAT_SPMU and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented.
When FEAT_STEP2 and FEAT_EL2 are implemented, FEAT_FGT2 is implemented.
When FEAT_SVE and FEAT_PMUv3 are implemented, FEAT_PMUv3p1 is implemented.
When FEAT_TCR2 and FEAT_AA64EL2 are implemented, FEAT_HCX is implemented.
When FEAT_THE and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented.
When FEAT_THE and FEAT_AA64EL2 are implemented, FEAT_S2PIE is implemented.
When FEAT_TRBE and FEAT_PMUv3 are implemented, FEAT_PMUv3p1 is implemented.
""".strip().splitlines()


def field(values, reg, name):
    """values: {register name: 64-bit value}; a missing register reads 0"""
    msb, lsb = FIELDS[reg][name]
    return (values.get(reg, 0) >> lsb) & ((1 << (msb - lsb + 1)) - 1)


def features(v):
    """{FEAT_X: implemented?} for every feature the ID registers identify"""
    def f(reg, name):
        return field(v, reg, name)

    def pfr0(name):
        return f("ID_AA64PFR0_EL1", name)

    def mmfr0(name):
        return f("ID_AA64MMFR0_EL1", name)

    fe = {"FEAT_AA64": True}
    for el in range(4):  # 0b0001 AArch64 only, 0b0010 AArch64 and AArch32
        x = pfr0("EL%d" % el)
        fe["FEAT_EL%d" % el] = fe["FEAT_AA64EL%d" % el] = x != 0
        fe["FEAT_AA32EL%d" % el] = x == 2
    fe["FEAT_AA32"] = any(fe["FEAT_AA32EL%d" % el] for el in range(4))
    # signed fields: 0b1111 is "not implemented"
    fe["FEAT_FP"] = pfr0("FP") != 0xf
    fe["FEAT_AdvSIMD"] = pfr0("AdvSIMD") != 0xf
    fe["FEAT_FP16"] = pfr0("FP") == 1
    fe["FEAT_TGran4K"] = mmfr0("TGran4") != 0xf
    fe["FEAT_TGran64K"] = mmfr0("TGran64") != 0xf
    fe["FEAT_TGran16K"] = mmfr0("TGran16") != 0
    # TGranX_2: 0b0000 "identified in TGranX", 0b0001 not, 0b0010 and up yes
    for g in ("4", "16", "64"):
        s2 = mmfr0("TGran%s_2" % g)
        fe["FEAT_S2TGran%sK" % g] = s2 >= 2 or (
            s2 == 0 and fe["FEAT_EL2"] and fe["FEAT_TGran%sK" % g])
    fe["FEAT_LPA2"] = mmfr0("TGran4") == 1 or mmfr0("TGran16") == 2
    fe["FEAT_LPA"] = mmfr0("PARange") == 6
    fe["FEAT_FGT"] = mmfr0("FGT") >= 1
    fe["FEAT_FGT2"] = mmfr0("FGT") >= 2
    fe["FEAT_MixedEnd"] = mmfr0("BigEnd") >= 1
    # BigEndEL0 is RES0 when BigEnd says mixed endian at every EL
    fe["FEAT_MixedEndEL0"] = mmfr0("BigEnd") >= 1 or mmfr0("BigEndEL0") >= 1
    # PMUVer/PerfMon 0b1111: an IMPLEMENTATION DEFINED PMU, not PMUv3
    pmu = f("ID_AA64DFR0_EL1", "PMUVer")
    for name, min_ in (("", 1), ("p1", 4), ("p4", 5), ("p5", 6), ("p7", 7),
                       ("p8", 8), ("p9", 9)):
        fe["FEAT_PMUv3" + name] = min_ <= pmu < 0xf
    fe["FEAT_DoubleLock"] = f("ID_AA64DFR0_EL1", "DoubleLock") == 0
    fe["FEAT_ETE"] = f("ID_AA64DFR0_EL1", "TraceVer") >= 1
    fe["FEAT_TRF"] = f("ID_AA64DFR0_EL1", "TraceFilt") >= 1
    # pointer authentication: one of three algorithms, a level each
    api = f("ID_AA64ISAR1_EL1", "API")
    apa = f("ID_AA64ISAR1_EL1", "APA")
    apa3 = f("ID_AA64ISAR2_EL1", "APA3")
    level = max(api, apa, apa3)
    fe["FEAT_PAuth"] = level >= 1
    fe["FEAT_EPAC"] = level == 2
    fe["FEAT_PAuth2"] = level >= 3
    fe["FEAT_FPAC"] = level >= 4
    fe["FEAT_FPACCOMBINE"] = level >= 5
    fe["FEAT_PAuth_LR"] = level >= 6
    fe["FEAT_PACIMP"] = api != 0 or f("ID_AA64ISAR1_EL1", "GPI") != 0
    fe["FEAT_PACQARMA5"] = apa != 0 or f("ID_AA64ISAR1_EL1", "GPA") != 0
    fe["FEAT_PACQARMA3"] = apa3 != 0 or f("ID_AA64ISAR2_EL1", "GPA3") != 0
    # CSV2: 0b0001 with CSV2_frac 0b0001/0b0010 is 1p1/1p2; 0b0010 is CSV2_2
    csv2, frac = pfr0("CSV2"), f("ID_AA64PFR1_EL1", "CSV2_frac")
    fe["FEAT_CSV2"] = csv2 >= 1
    fe["FEAT_CSV2_1p1"] = csv2 == 1 and frac >= 1
    fe["FEAT_CSV2_1p2"] = csv2 == 1 and frac >= 2
    fe["FEAT_CSV2_2"] = csv2 >= 2
    fe["FEAT_CSV2_3"] = csv2 >= 3
    fe["FEAT_SVE"] = pfr0("SVE") >= 1
    fe["FEAT_SME"] = f("ID_AA64PFR1_EL1", "SME") >= 1
    fe["FEAT_SME2"] = f("ID_AA64PFR1_EL1", "SME") >= 2
    fe["FEAT_RAS"] = pfr0("RAS") >= 1
    fe["FEAT_MPAM"] = pfr0("MPAM") >= 1 or \
        f("ID_AA64PFR1_EL1", "MPAM_frac") >= 1
    fe["FEAT_E2H0"] = f("ID_AA64MMFR4_EL1", "E2H0") == 0
    fe["FEAT_HAFT"] = f("ID_AA64MMFR1_EL1", "HAFDBS") >= 3
    fe["FEAT_HDBSS"] = f("ID_AA64MMFR1_EL1", "HAFDBS") >= 4
    mmfr3 = {n: f("ID_AA64MMFR3_EL1", x) for n, x in (
        ("FEAT_TCR2", "TCRX"), ("FEAT_SCTLR2", "SCTLRX"),
        ("FEAT_D128", "D128"), ("FEAT_ADERR", "ADERR"),
        ("FEAT_ANERR", "ANERR"))}
    fe.update({n: x >= 1 for n, x in mmfr3.items()})
    for name, ids in IDENTIFIED_BY.items():
        if name not in fe:
            fe[name] = any(field(v, r, n) >= val for r, n, val in ids)
    return fe


_IF = re.compile(r"If (FEAT_\w+(?: and FEAT_\w+)?) (?:is|are) implemented, "
                 r"then (.*) (?:is|are) (not )?implemented\.$")
_WHEN = re.compile(r"When (FEAT_\w+ and FEAT_\w+) are implemented, (.*) "
                   r"(?:is|are) (not )?implemented\.$")


def dependency_violations(fe):
    bad = []
    for rule in DEPENDENCIES:
        m = _IF.match(rule) or _WHEN.match(rule)
        assert m, rule
        given = re.findall(r"FEAT_\w+", m.group(1))
        then = re.findall(r"FEAT_\w+", m.group(2))
        if not all(fe[g] for g in given):
            continue
        if m.group(3):
            ok = not any(fe[t] for t in then)
        elif " or " in m.group(2):
            ok = any(fe[t] for t in then)
        else:
            ok = all(fe[t] for t in then)
        if not ok:
            bad.append("A2: " + rule)
    return bad


# features whose AArch32 field counts on another scale than the AArch64
# one (ID_PFR0_EL1.CSV2 0b0010 is "1p1 or better", AArch32 has no CSV2_2)
_NOT_CROSS = {"FEAT_CSV2", "FEAT_CSV2_1p1", "FEAT_PMUv3"}


def cross_view_violations(v, fe, skip=()):
    """With AArch32 implemented, a feature both views identify is either
    implemented or not: the AArch32 fields say what the AArch64 ones say
    (A2.2 names both as "the fields that identify the presence")."""
    if not fe["FEAT_AA32"]:
        return []
    bad = []
    for name, ids in sorted(IDENTIFIED_BY.items()):
        if name in _NOT_CROSS or name in skip:
            continue
        a32 = [x for x in ids if x[0] in AARCH32_REGS]
        a64 = [x for x in ids if x[0] not in AARCH32_REGS]
        if not a32 or not a64:
            continue
        p32 = any(field(v, r, n) >= val for r, n, val in a32)
        p64 = any(field(v, r, n) >= val for r, n, val in a64)
        if p32 != p64:
            bad.append("A2: %s: AArch32 fields say %s, AArch64 fields %s"
                       % (name, p32, p64))
    return bad


def field_rules(v, fe):
    """The constraints D24.2's field descriptions state: (rule, holds)"""
    def f(reg, name):
        return field(v, reg, name)

    isar0 = {n: f("ID_AA64ISAR0_EL1", n) for n in
             ("SHA1", "SHA2", "SHA3", "SM3", "SM4")}
    el2 = fe["FEAT_EL2"]
    dfr0 = {n: f("ID_AA64DFR0_EL1", n) for n in FIELDS["ID_AA64DFR0_EL1"]}
    nz = [n for n in ("API", "APA") if f("ID_AA64ISAR1_EL1", n)] + \
        (["APA3"] if f("ID_AA64ISAR2_EL1", "APA3") else [])
    gnz = [n for n in ("GPI", "GPA") if f("ID_AA64ISAR1_EL1", n)] + \
        (["GPA3"] if f("ID_AA64ISAR2_EL1", "GPA3") else [])
    rules = [
        ("D24.2.93: ID_AA64PFR0_EL1.AdvSIMD has the value of FP",
         f("ID_AA64PFR0_EL1", "AdvSIMD") == f("ID_AA64PFR0_EL1", "FP")),
        ("D24.2.84: ISAR0.SM4 has the value of SM3",
         isar0["SM4"] == isar0["SM3"]),
        ("D24.2.84: ISAR0.SHA1 = 0 -> SHA2 = 0 and SHA3 = 0",
         isar0["SHA1"] != 0 or (isar0["SHA2"] == 0 and isar0["SHA3"] == 0)),
        ("D24.2.84: ISAR0.SHA2 = 0 -> SHA1 = 0",
         isar0["SHA2"] != 0 or isar0["SHA1"] == 0),
        ("D24.2.84: ISAR0.SHA3 = 1 <-> SHA2 = 2",
         (isar0["SHA3"] == 1) == (isar0["SHA2"] == 2)),
        ("D24.2.85/86: at most one of ISAR1.API, APA, ISAR2.APA3 nonzero",
         len(nz) <= 1),
        ("D24.2.85/86: at most one of ISAR1.GPI, GPA, ISAR2.GPA3 nonzero",
         len(gnz) <= 1),
        ("D24.2.94: PFR1.CSV2_frac 0b0001/0b0010 only with PFR0.CSV2 = 1",
         f("ID_AA64PFR1_EL1", "CSV2_frac") not in (1, 2) or
         f("ID_AA64PFR0_EL1", "CSV2") == 1),
        ("D24.2.80: DFR0.BRPs 0b0000 is reserved", dfr0["BRPs"] != 0),
        ("D24.2.80: DFR0.CTX_CMPs is at most BRPs",
         dfr0["CTX_CMPs"] <= dfr0["BRPs"]),
        ("D24.2.80: DFR0.DebugVer is 0b0110 (Armv8 debug) or more",
         dfr0["DebugVer"] >= 6),
        ("D24.2.80: DFR0.MTPMU = 0b0001 only with FEAT_PMUv3",
         dfr0["MTPMU"] != 1 or fe["FEAT_PMUv3"]),
        ("D24.2.90: MMFR2.E0PD -> PFR0.CSV3", not fe["FEAT_E0PD"] or
         fe["FEAT_CSV3"]),
        ("D24.2.92: MMFR4.E2H0 says not implemented -> FEAT_VHE",
         fe["FEAT_E2H0"] or fe["FEAT_VHE"]),
        ("D24.2.92: MMFR4.E2H0 = 0b1110 only with FEAT_NV",
         f("ID_AA64MMFR4_EL1", "E2H0") != 0xe or fe["FEAT_NV"]),
        ("D24.2.87: ISAR3.PACM nonzero with FEAT_PAuth_LR",
         not fe["FEAT_PAuth_LR"] or f("ID_AA64ISAR3_EL1", "PACM") != 0),
    ]
    if not el2:
        rules += [
            ("D24.2.88: MMFR0.%s is 0b0000 without EL2" % n,
             f("ID_AA64MMFR0_EL1", n) == 0)
            for n in ("TGran4_2", "TGran16_2", "TGran64_2")]
        rules += [
            ("D24.2.90: MMFR2.%s is 0b0000 without EL2" % n,
             f("ID_AA64MMFR2_EL1", n) == 0) for n in ("EVT", "NV")]
        rules += [("D24.2.93: PFR0.SEL2 is 0b0000 without EL2",
                   f("ID_AA64PFR0_EL1", "SEL2") == 0)]
    if fe["FEAT_AA32"]:
        # what an Armv8 PE with AArch32 must say about it
        rules += [
            ("D24.2.114: ID_PFR0_EL1.State0 (A32) is 0b0001 in Armv8-A",
             f("ID_PFR0_EL1", "State0") == 1),
            ("D24.2.114: ID_PFR0_EL1.State1 (T32) is 0b0011 in Armv8-A",
             f("ID_PFR0_EL1", "State1") == 3),
            ("D24.2.99: ID_DFR0_EL1.CopDbg is 0b0110 or more in Armv8",
             f("ID_DFR0_EL1", "CopDbg") >= 6),
            ("D24.2.99: ID_DFR0_EL1.PerfMon says PMUv3 as PMUVer does",
             (3 <= f("ID_DFR0_EL1", "PerfMon") < 0xf) == fe["FEAT_PMUv3"]),
        ]
    return rules


def violations(values, skip=()):
    """Every rule the ID register values (by register name) break. skip:
    features left out of the AArch32/AArch64 comparison."""
    fe = features(values)
    bad = dependency_violations(fe)
    bad += cross_view_violations(values, fe, skip)
    bad += [r for r, ok in field_rules(values, fe) if not ok]
    return bad


def parse_dump(text):
    """The "idreg <CRm> <op2> 0x<value>" lines of guest-tests/idregs.c:
    (values by register name, {(CRm, op2): value} of the whole space)"""
    space = {}
    for m in re.finditer(r"^idreg (\d) (\d) (0x[0-9a-f]+)\r?$", text, re.M):
        space[(int(m.group(1)), int(m.group(2)))] = int(m.group(3), 16)
    names = {enc: name for name, enc in REGS.items()}
    return {names[e]: val for e, val in space.items() if e in names}, space
