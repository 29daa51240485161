/*
 * sysreg_enc.h - AArch64 system register encodings, packed in the layout of
 * the ISS of an ESR_ELx syndrome with EC == 0x18 (trapped MSR, MRS or System
 * instruction), so that a trap handler can do
 *
 *     switch (esr_iss & SYSREG_ISS_MASK) { case SYSREG_SCTLR_EL1: ... }
 *
 * Source of the ISS layout: Arm ARM DDI 0487 M.a.a, D24.2.46 ESR_EL2,
 * "ISS encoding for an exception from MSR, MRS, or System instruction
 * execution in AArch64 state" (the same layout is used by ESR_EL1/ESR_EL3):
 *
 *     bits [24:22]  RES0
 *     bits [21:20]  Op0
 *     bits [19:17]  Op2
 *     bits [16:14]  Op1
 *     bits [13:10]  CRn
 *     bits  [9:5]   Rt         (general-purpose register of the transfer)
 *     bits  [4:1]   CRm
 *     bit   [0]     Direction  (0 = write/MSR, 1 = read/MRS)
 *
 * Op0 is the full 2-bit value (2 = debug/trace space, 3 = everything else),
 * not the 1-bit o0 of the MRS/MSR instruction encoding (C6.2 MRS/MSR:
 * bit[19] = o0, op0 = 0b1:o0; op1 [18:16], CRn [15:12], CRm [11:8],
 * op2 [7:5], Rt [4:0]).
 *
 * Register encodings: Arm ARM DDI 0487 M.a.a chapters D24.2-D24.12 (and C5.2
 * for the special-purpose registers); each line cites the register's own
 * section.  GIC CPU interface (ICC_*, ICH_*) encodings are not in the Arm ARM;
 * they come from the GICv3/v4 architecture specification (Arm IHI 0069) and
 * were cross-checked against binutils, LLVM and Linux.  All 835 encodings in
 * this file (parameterised macros expanded) were checked: 717 against what GNU
 * as (binutils 2.40) emits for "mrs x0, <name>" / "msr <name>, x0", the 118
 * names that assembler does not know against LLVM's AArch64SystemOperands.td.
 *
 * Not included on purpose: *_EL3 registers, the external-trace TRC* registers,
 * the system PMU (SPM*) registers other than SPMACCESSR_ELx, ICH_VSEIR_EL2
 * (dropped from the GICv3 architecture).
 *
 * ISO C, no includes.  All values are unsigned int constant expressions, so
 * they are usable as case labels.
 */
#ifndef HYPNEST_ARCH_SYSREG_ENC_H
#define HYPNEST_ARCH_SYSREG_ENC_H

/* ---- ISS field positions (EC 0x18) ---- */
#define SYSREG_ISS_OP0_SHIFT 20
#define SYSREG_ISS_OP2_SHIFT 17
#define SYSREG_ISS_OP1_SHIFT 14
#define SYSREG_ISS_CRN_SHIFT 10
#define SYSREG_ISS_RT_SHIFT 5
#define SYSREG_ISS_CRM_SHIFT 1
#define SYSREG_ISS_DIR_SHIFT 0

#define SYSREG_ENC(op0, op1, crn, crm, op2)                                    \
	((((unsigned int)(op0)&0x3u) << SYSREG_ISS_OP0_SHIFT) |                \
	 (((unsigned int)(op2)&0x7u) << SYSREG_ISS_OP2_SHIFT) |                \
	 (((unsigned int)(op1)&0x7u) << SYSREG_ISS_OP1_SHIFT) |                \
	 (((unsigned int)(crn)&0xfu) << SYSREG_ISS_CRN_SHIFT) |                \
	 (((unsigned int)(crm)&0xfu) << SYSREG_ISS_CRM_SHIFT))

/* Op0|Op2|Op1|CRn|CRm: everything that names the register (no Rt, no
 * Direction). */
#define SYSREG_ISS_MASK 0x003ffc1eu
#define SYSREG_ISS_RT_MASK 0x000003e0u
#define SYSREG_ISS_DIR_MASK 0x00000001u

/* Helpers on a raw ISS (ESR_ELx bits [24:0]) */
#define SYSREG_ISS_REG(iss) ((unsigned int)(iss)&SYSREG_ISS_MASK)
#define SYSREG_ISS_RT(iss)                                                     \
	(((unsigned int)(iss) >> SYSREG_ISS_RT_SHIFT) & 0x1fu)
#define SYSREG_ISS_IS_READ(iss)                                                \
	(((unsigned int)(iss)&SYSREG_ISS_DIR_MASK) != 0u) /* MRS */
#define SYSREG_ISS_IS_WRITE(iss)                                               \
	(((unsigned int)(iss)&SYSREG_ISS_DIR_MASK) == 0u) /* MSR */
#define SYSREG_ISS_DIR_READ 1u
#define SYSREG_ISS_DIR_WRITE 0u

/* Field extractors, valid both on an ISS and on a SYSREG_ENC() value */
#define SYSREG_OP0(e) (((unsigned int)(e) >> SYSREG_ISS_OP0_SHIFT) & 0x3u)
#define SYSREG_OP1(e) (((unsigned int)(e) >> SYSREG_ISS_OP1_SHIFT) & 0x7u)
#define SYSREG_CRN(e) (((unsigned int)(e) >> SYSREG_ISS_CRN_SHIFT) & 0xfu)
#define SYSREG_CRM(e) (((unsigned int)(e) >> SYSREG_ISS_CRM_SHIFT) & 0xfu)
#define SYSREG_OP2(e) (((unsigned int)(e) >> SYSREG_ISS_OP2_SHIFT) & 0x7u)

/*
 * Encoding-space classification.
 * op0 == 1: System instructions (SYS/SYSL: AT, DC, IC, TLBI, ...), also
 *           reported with EC 0x18 when trapped.
 * op1 encodes the lowest EL that may access an op0==3 register in the usual
 * layout: 0 = EL1, 1 = EL1 (ID/cache), 3 = EL0, 4 = EL2, 5 = EL12/EL02
 * aliases, 6 = EL3, 7 = EL1 (secure timer).
 * ID group 3 (HCR_EL2.TID3, D24.2.62): op0=3, op1=0, CRn=0, CRm=1..7, any op2
 * (CRm=1 holds the named AArch32 ID registers; CRm 2..7 also includes the
 * reserved, RAZ encodings, which TID3 traps when FEAT_FGT is implemented).
 */
#define SYSREG_IS_SYS_INSN(e) (SYSREG_OP0(e) == 1u)
#define SYSREG_IS_ID_GROUP3(e)                                                 \
	(SYSREG_OP0(e) == 3u && SYSREG_OP1(e) == 0u && SYSREG_CRN(e) == 0u &&  \
	 SYSREG_CRM(e) >= 1u && SYSREG_CRM(e) <= 7u)
/* IMPLEMENTATION DEFINED space (HCR_EL2.TIDCP): op0=3, CRn=11 or 15 */
#define SYSREG_IS_IMPDEF(e)                                                    \
	(SYSREG_OP0(e) == 3u && (SYSREG_CRN(e) == 11u || SYSREG_CRN(e) == 15u))

/* ---- Identification registers (ID group 0-3, cache ID) ---- */
#define SYSREG_MIDR_EL1 SYSREG_ENC(3, 0, 0, 0, 0)	  /* D24.2.137 */
#define SYSREG_MPIDR_EL1 SYSREG_ENC(3, 0, 0, 0, 5)	  /* D24.2.138 */
#define SYSREG_REVIDR_EL1 SYSREG_ENC(3, 0, 0, 0, 6)	  /* D24.2.156 */
#define SYSREG_ID_PFR0_EL1 SYSREG_ENC(3, 0, 0, 1, 0)	  /* D24.2.114 */
#define SYSREG_ID_PFR1_EL1 SYSREG_ENC(3, 0, 0, 1, 1)	  /* D24.2.115 */
#define SYSREG_ID_DFR0_EL1 SYSREG_ENC(3, 0, 0, 1, 2)	  /* D24.2.99 */
#define SYSREG_ID_AFR0_EL1 SYSREG_ENC(3, 0, 0, 1, 3)	  /* D24.2.98 */
#define SYSREG_ID_MMFR0_EL1 SYSREG_ENC(3, 0, 0, 1, 4)	  /* D24.2.108 */
#define SYSREG_ID_MMFR1_EL1 SYSREG_ENC(3, 0, 0, 1, 5)	  /* D24.2.109 */
#define SYSREG_ID_MMFR2_EL1 SYSREG_ENC(3, 0, 0, 1, 6)	  /* D24.2.110 */
#define SYSREG_ID_MMFR3_EL1 SYSREG_ENC(3, 0, 0, 1, 7)	  /* D24.2.111 */
#define SYSREG_ID_ISAR0_EL1 SYSREG_ENC(3, 0, 0, 2, 0)	  /* D24.2.101 */
#define SYSREG_ID_ISAR1_EL1 SYSREG_ENC(3, 0, 0, 2, 1)	  /* D24.2.102 */
#define SYSREG_ID_ISAR2_EL1 SYSREG_ENC(3, 0, 0, 2, 2)	  /* D24.2.103 */
#define SYSREG_ID_ISAR3_EL1 SYSREG_ENC(3, 0, 0, 2, 3)	  /* D24.2.104 */
#define SYSREG_ID_ISAR4_EL1 SYSREG_ENC(3, 0, 0, 2, 4)	  /* D24.2.105 */
#define SYSREG_ID_ISAR5_EL1 SYSREG_ENC(3, 0, 0, 2, 5)	  /* D24.2.106 */
#define SYSREG_ID_MMFR4_EL1 SYSREG_ENC(3, 0, 0, 2, 6)	  /* D24.2.112 */
#define SYSREG_ID_ISAR6_EL1 SYSREG_ENC(3, 0, 0, 2, 7)	  /* D24.2.107 */
#define SYSREG_MVFR0_EL1 SYSREG_ENC(3, 0, 0, 3, 0)	  /* D24.2.139 */
#define SYSREG_MVFR1_EL1 SYSREG_ENC(3, 0, 0, 3, 1)	  /* D24.2.140 */
#define SYSREG_MVFR2_EL1 SYSREG_ENC(3, 0, 0, 3, 2)	  /* D24.2.141 */
#define SYSREG_ID_PFR2_EL1 SYSREG_ENC(3, 0, 0, 3, 4)	  /* D24.2.116 */
#define SYSREG_ID_DFR1_EL1 SYSREG_ENC(3, 0, 0, 3, 5)	  /* D24.2.100 */
#define SYSREG_ID_MMFR5_EL1 SYSREG_ENC(3, 0, 0, 3, 6)	  /* D24.2.113 */
#define SYSREG_ID_AA64PFR0_EL1 SYSREG_ENC(3, 0, 0, 4, 0)  /* D24.2.93 */
#define SYSREG_ID_AA64PFR1_EL1 SYSREG_ENC(3, 0, 0, 4, 1)  /* D24.2.94 */
#define SYSREG_ID_AA64PFR2_EL1 SYSREG_ENC(3, 0, 0, 4, 2)  /* D24.2.95 */
#define SYSREG_ID_AA64ZFR0_EL1 SYSREG_ENC(3, 0, 0, 4, 4)  /* D24.2.97 */
#define SYSREG_ID_AA64SMFR0_EL1 SYSREG_ENC(3, 0, 0, 4, 5) /* D24.2.96 */
#define SYSREG_ID_AA64FPFR0_EL1 SYSREG_ENC(3, 0, 0, 4, 7) /* D24.2.83 */
#define SYSREG_ID_AA64DFR0_EL1 SYSREG_ENC(3, 0, 0, 5, 0)  /* D24.2.80 */
#define SYSREG_ID_AA64DFR1_EL1 SYSREG_ENC(3, 0, 0, 5, 1)  /* D24.2.81 */
#define SYSREG_ID_AA64DFR2_EL1 SYSREG_ENC(3, 0, 0, 5, 2)  /* D24.2.82 */
#define SYSREG_ID_AA64AFR0_EL1 SYSREG_ENC(3, 0, 0, 5, 4)  /* D24.2.78 */
#define SYSREG_ID_AA64AFR1_EL1 SYSREG_ENC(3, 0, 0, 5, 5)  /* D24.2.79 */
#define SYSREG_ID_AA64ISAR0_EL1 SYSREG_ENC(3, 0, 0, 6, 0) /* D24.2.84 */
#define SYSREG_ID_AA64ISAR1_EL1 SYSREG_ENC(3, 0, 0, 6, 1) /* D24.2.85 */
#define SYSREG_ID_AA64ISAR2_EL1 SYSREG_ENC(3, 0, 0, 6, 2) /* D24.2.86 */
#define SYSREG_ID_AA64ISAR3_EL1 SYSREG_ENC(3, 0, 0, 6, 3) /* D24.2.87 */
#define SYSREG_ID_AA64MMFR0_EL1 SYSREG_ENC(3, 0, 0, 7, 0) /* D24.2.88 */
#define SYSREG_ID_AA64MMFR1_EL1 SYSREG_ENC(3, 0, 0, 7, 1) /* D24.2.89 */
#define SYSREG_ID_AA64MMFR2_EL1 SYSREG_ENC(3, 0, 0, 7, 2) /* D24.2.90 */
#define SYSREG_ID_AA64MMFR3_EL1 SYSREG_ENC(3, 0, 0, 7, 3) /* D24.2.91 */
#define SYSREG_ID_AA64MMFR4_EL1 SYSREG_ENC(3, 0, 0, 7, 4) /* D24.2.92 */
#define SYSREG_CCSIDR_EL1 SYSREG_ENC(3, 1, 0, 0, 0)	  /* D24.2.32 */
#define SYSREG_CLIDR_EL1 SYSREG_ENC(3, 1, 0, 0, 1)	  /* D24.2.33 */
#define SYSREG_CCSIDR2_EL1 SYSREG_ENC(3, 1, 0, 0, 2)	  /* D24.2.31 */
#define SYSREG_GMID_EL1 SYSREG_ENC(3, 1, 0, 0, 4)	  /* D24.2.54 */
#define SYSREG_SMIDR_EL1 SYSREG_ENC(3, 1, 0, 0, 6)	  /* D24.2.187 */
#define SYSREG_AIDR_EL1 SYSREG_ENC(3, 1, 0, 0, 7)	  /* D24.2.13 */
#define SYSREG_CSSELR_EL1 SYSREG_ENC(3, 2, 0, 0, 0)	  /* D24.2.41 */
#define SYSREG_CTR_EL0 SYSREG_ENC(3, 3, 0, 0, 1)	  /* D24.2.42 */
#define SYSREG_DCZID_EL0 SYSREG_ENC(3, 3, 0, 0, 7)	  /* D24.2.44 */

/* ---- General system control registers, EL0/EL1 accessors (D24.2) ---- */
#define SYSREG_SCTLR_EL1 SYSREG_ENC(3, 0, 1, 0, 0)	 /* D24.2.175 */
#define SYSREG_ACTLR_EL1 SYSREG_ENC(3, 0, 1, 0, 1)	 /* D24.2.2 */
#define SYSREG_CPACR_EL1 SYSREG_ENC(3, 0, 1, 0, 2)	 /* D24.2.36 */
#define SYSREG_SCTLR2_EL1 SYSREG_ENC(3, 0, 1, 0, 3)	 /* D24.2.170 */
#define SYSREG_RGSR_EL1 SYSREG_ENC(3, 0, 1, 0, 5)	 /* D24.2.157 */
#define SYSREG_GCR_EL1 SYSREG_ENC(3, 0, 1, 0, 6)	 /* D24.2.53 */
#define SYSREG_ZCR_EL1 SYSREG_ENC(3, 0, 1, 2, 0)	 /* D24.2.226 */
#define SYSREG_SMPRI_EL1 SYSREG_ENC(3, 0, 1, 2, 4)	 /* D24.2.188 */
#define SYSREG_SMCR_EL1 SYSREG_ENC(3, 0, 1, 2, 6)	 /* D24.2.184 */
#define SYSREG_SCTLRMASK_EL1 SYSREG_ENC(3, 0, 1, 4, 0)	 /* D24.2.178 */
#define SYSREG_ACTLRMASK_EL1 SYSREG_ENC(3, 0, 1, 4, 1)	 /* D24.2.5 */
#define SYSREG_CPACRMASK_EL1 SYSREG_ENC(3, 0, 1, 4, 2)	 /* D24.2.37 */
#define SYSREG_SCTLR2MASK_EL1 SYSREG_ENC(3, 0, 1, 4, 3)	 /* D24.2.173 */
#define SYSREG_CPACRALIAS_EL1 SYSREG_ENC(3, 0, 1, 4, 4)	 /* D24.2.36 */
#define SYSREG_ACTLRALIAS_EL1 SYSREG_ENC(3, 0, 1, 4, 5)	 /* D24.2.2 */
#define SYSREG_SCTLRALIAS_EL1 SYSREG_ENC(3, 0, 1, 4, 6)	 /* D24.2.175 */
#define SYSREG_SCTLR2ALIAS_EL1 SYSREG_ENC(3, 0, 1, 4, 7) /* D24.2.170 */
#define SYSREG_TTBR0_EL1 SYSREG_ENC(3, 0, 2, 0, 0)	 /* D24.2.209 */
#define SYSREG_TTBR1_EL1 SYSREG_ENC(3, 0, 2, 0, 1)	 /* D24.2.212 */
#define SYSREG_TCR_EL1 SYSREG_ENC(3, 0, 2, 0, 2)	 /* D24.2.194 */
#define SYSREG_TCR2_EL1 SYSREG_ENC(3, 0, 2, 0, 3)	 /* D24.2.190 */
#define SYSREG_APIAKEYLO_EL1 SYSREG_ENC(3, 0, 2, 1, 0)	 /* D24.2.28 */
#define SYSREG_APIAKEYHI_EL1 SYSREG_ENC(3, 0, 2, 1, 1)	 /* D24.2.27 */
#define SYSREG_APIBKEYLO_EL1 SYSREG_ENC(3, 0, 2, 1, 2)	 /* D24.2.30 */
#define SYSREG_APIBKEYHI_EL1 SYSREG_ENC(3, 0, 2, 1, 3)	 /* D24.2.29 */
#define SYSREG_APDAKEYLO_EL1 SYSREG_ENC(3, 0, 2, 2, 0)	 /* D24.2.22 */
#define SYSREG_APDAKEYHI_EL1 SYSREG_ENC(3, 0, 2, 2, 1)	 /* D24.2.21 */
#define SYSREG_APDBKEYLO_EL1 SYSREG_ENC(3, 0, 2, 2, 2)	 /* D24.2.24 */
#define SYSREG_APDBKEYHI_EL1 SYSREG_ENC(3, 0, 2, 2, 3)	 /* D24.2.23 */
#define SYSREG_APGAKEYLO_EL1 SYSREG_ENC(3, 0, 2, 3, 0)	 /* D24.2.26 */
#define SYSREG_APGAKEYHI_EL1 SYSREG_ENC(3, 0, 2, 3, 1)	 /* D24.2.25 */
#define SYSREG_TCRMASK_EL1 SYSREG_ENC(3, 0, 2, 7, 2)	 /* D24.2.197 */
#define SYSREG_TCR2MASK_EL1 SYSREG_ENC(3, 0, 2, 7, 3)	 /* D24.2.192 */
#define SYSREG_TCRALIAS_EL1 SYSREG_ENC(3, 0, 2, 7, 6)	 /* D24.2.194 */
#define SYSREG_TCR2ALIAS_EL1 SYSREG_ENC(3, 0, 2, 7, 7)	 /* D24.2.190 */
#define SYSREG_AFSR0_EL1 SYSREG_ENC(3, 0, 5, 1, 0)	 /* D24.2.7 */
#define SYSREG_AFSR1_EL1 SYSREG_ENC(3, 0, 5, 1, 1)	 /* D24.2.10 */
#define SYSREG_ESR_EL1 SYSREG_ENC(3, 0, 5, 2, 0)	 /* D24.2.45 */
#define SYSREG_TFSR_EL1 SYSREG_ENC(3, 0, 5, 6, 0)	 /* D24.2.199 */
#define SYSREG_TFSRE0_EL1 SYSREG_ENC(3, 0, 5, 6, 1)	 /* D24.2.202 */
#define SYSREG_FAR_EL1 SYSREG_ENC(3, 0, 6, 0, 0)	 /* D24.2.48 */
#define SYSREG_PFAR_EL1 SYSREG_ENC(3, 0, 6, 0, 5)	 /* D24.2.143 */
#define SYSREG_PAR_EL1 SYSREG_ENC(3, 0, 7, 4, 0)	 /* D24.2.142 */
#define SYSREG_MAIR_EL1 SYSREG_ENC(3, 0, 10, 2, 0)	 /* D24.2.127 */
#define SYSREG_MAIR2_EL1 SYSREG_ENC(3, 0, 10, 2, 1)	 /* D24.2.124 */
#define SYSREG_PIRE0_EL1 SYSREG_ENC(3, 0, 10, 2, 2)	 /* D24.2.148 */
#define SYSREG_PIR_EL1 SYSREG_ENC(3, 0, 10, 2, 3)	 /* D24.2.145 */
#define SYSREG_POR_EL1 SYSREG_ENC(3, 0, 10, 2, 4)	 /* D24.2.151 */
#define SYSREG_S2POR_EL1 SYSREG_ENC(3, 0, 10, 2, 5)	 /* D24.2.167 */
#define SYSREG_AMAIR_EL1 SYSREG_ENC(3, 0, 10, 3, 0)	 /* D24.2.17 */
#define SYSREG_AMAIR2_EL1 SYSREG_ENC(3, 0, 10, 3, 1)	 /* D24.2.14 */
#define SYSREG_LORSA_EL1 SYSREG_ENC(3, 0, 10, 4, 0)	 /* D24.2.123 */
#define SYSREG_LOREA_EL1 SYSREG_ENC(3, 0, 10, 4, 1)	 /* D24.2.120 */
#define SYSREG_LORN_EL1 SYSREG_ENC(3, 0, 10, 4, 2)	 /* D24.2.122 */
#define SYSREG_LORC_EL1 SYSREG_ENC(3, 0, 10, 4, 3)	 /* D24.2.119 */
#define SYSREG_LORID_EL1 SYSREG_ENC(3, 0, 10, 4, 7)	 /* D24.2.121 */
#define SYSREG_VBAR_EL1 SYSREG_ENC(3, 0, 12, 0, 0)	 /* D24.2.214 */
#define SYSREG_RVBAR_EL1 SYSREG_ENC(3, 0, 12, 0, 1)	 /* D24.2.163 */
#define SYSREG_RMR_EL1 SYSREG_ENC(3, 0, 12, 0, 2)	 /* D24.2.158 */
#define SYSREG_ISR_EL1 SYSREG_ENC(3, 0, 12, 1, 0)	 /* D24.2.118 */
#define SYSREG_CONTEXTIDR_EL1 SYSREG_ENC(3, 0, 13, 0, 1) /* D24.2.34 */
#define SYSREG_RCWSMASK_EL1 SYSREG_ENC(3, 0, 13, 0, 3)	 /* D24.2.155 */
#define SYSREG_TPIDR_EL1 SYSREG_ENC(3, 0, 13, 0, 4)	 /* D24.2.205 */
#define SYSREG_ACCDATA_EL1 SYSREG_ENC(3, 0, 13, 0, 5)	 /* D24.2.1 */
#define SYSREG_RCWMASK_EL1 SYSREG_ENC(3, 0, 13, 0, 6)	 /* D24.2.154 */
#define SYSREG_SCXTNUM_EL1 SYSREG_ENC(3, 0, 13, 0, 7)	 /* D24.2.181 */
#define SYSREG_RNDR SYSREG_ENC(3, 3, 2, 4, 0)		 /* D24.2.161 */
#define SYSREG_RNDRRS SYSREG_ENC(3, 3, 2, 4, 1)		 /* D24.2.162 */
#define SYSREG_POR_EL0 SYSREG_ENC(3, 3, 10, 2, 4)	 /* D24.2.150 */
#define SYSREG_TPIDR_EL0 SYSREG_ENC(3, 3, 13, 0, 2)	 /* D24.2.204 */
#define SYSREG_TPIDRRO_EL0 SYSREG_ENC(3, 3, 13, 0, 3)	 /* D24.2.208 */
#define SYSREG_TPIDR2_EL0 SYSREG_ENC(3, 3, 13, 0, 5)	 /* D24.2.203 */
#define SYSREG_SCXTNUM_EL0 SYSREG_ENC(3, 3, 13, 0, 7)	 /* D24.2.180 */

/* ---- Special-purpose registers reachable with MRS/MSR (C5.2) ---- */
#define SYSREG_SPSR_EL1 SYSREG_ENC(3, 0, 4, 0, 0)  /* C5.2.20 */
#define SYSREG_ELR_EL1 SYSREG_ENC(3, 0, 4, 0, 1)   /* C5.2.5 */
#define SYSREG_SP_EL0 SYSREG_ENC(3, 0, 4, 1, 0)	   /* C5.2.14 */
#define SYSREG_SPSEL SYSREG_ENC(3, 0, 4, 2, 0)	   /* C5.2.18 */
#define SYSREG_CURRENTEL SYSREG_ENC(3, 0, 4, 2, 2) /* C5.2.2 */
#define SYSREG_PAN SYSREG_ENC(3, 0, 4, 2, 3)	   /* C5.2.12 */
#define SYSREG_UAO SYSREG_ENC(3, 0, 4, 2, 4)	   /* C5.2.29 */
#define SYSREG_ALLINT SYSREG_ENC(3, 0, 4, 3, 0)	   /* C5.2.1 */
#define SYSREG_PM SYSREG_ENC(3, 0, 4, 3, 1)	   /* C5.2.13 */
#define SYSREG_NZCV SYSREG_ENC(3, 3, 4, 2, 0)	   /* C5.2.11 */
#define SYSREG_DAIF SYSREG_ENC(3, 3, 4, 2, 1)	   /* C5.2.3 */
#define SYSREG_SVCR SYSREG_ENC(3, 3, 4, 2, 2)	   /* C5.2.27 */
#define SYSREG_DIT SYSREG_ENC(3, 3, 4, 2, 5)	   /* C5.2.4 */
#define SYSREG_SSBS SYSREG_ENC(3, 3, 4, 2, 6)	   /* C5.2.26 */
#define SYSREG_TCO SYSREG_ENC(3, 3, 4, 2, 7)	   /* C5.2.28 */
#define SYSREG_FPCR SYSREG_ENC(3, 3, 4, 4, 0)	   /* C5.2.8 */
#define SYSREG_FPSR SYSREG_ENC(3, 3, 4, 4, 1)	   /* C5.2.10 */
#define SYSREG_FPMR SYSREG_ENC(3, 3, 4, 4, 2)	   /* C5.2.9 */
#define SYSREG_SP_EL1 SYSREG_ENC(3, 4, 4, 1, 0)	   /* C5.2.15 */
#define SYSREG_SPSR_IRQ SYSREG_ENC(3, 4, 4, 3, 0)  /* C5.2.24 */
#define SYSREG_SPSR_ABT SYSREG_ENC(3, 4, 4, 3, 1)  /* C5.2.19 */
#define SYSREG_SPSR_UND SYSREG_ENC(3, 4, 4, 3, 2)  /* C5.2.25 */
#define SYSREG_SPSR_FIQ SYSREG_ENC(3, 4, 4, 3, 3)  /* C5.2.23 */

/* ---- Self-hosted debug registers (D24.3) ---- */
#define SYSREG_OSDTRRX_EL1 SYSREG_ENC(2, 0, 0, 0, 2)	    /* D24.3.24 */
#define SYSREG_MDCCINT_EL1 SYSREG_ENC(2, 0, 0, 2, 0)	    /* D24.3.15 */
#define SYSREG_MDSCR_EL1 SYSREG_ENC(2, 0, 0, 2, 2)	    /* D24.3.20 */
#define SYSREG_OSDTRTX_EL1 SYSREG_ENC(2, 0, 0, 3, 2)	    /* D24.3.25 */
#define SYSREG_MDSELR_EL1 SYSREG_ENC(2, 0, 0, 4, 2)	    /* D24.3.21 */
#define SYSREG_MDSTEPOP_EL1 SYSREG_ENC(2, 0, 0, 5, 2)	    /* D24.3.22 */
#define SYSREG_OSECCR_EL1 SYSREG_ENC(2, 0, 0, 6, 2)	    /* D24.3.26 */
#define SYSREG_MDRAR_EL1 SYSREG_ENC(2, 0, 1, 0, 0)	    /* D24.3.19 */
#define SYSREG_OSLAR_EL1 SYSREG_ENC(2, 0, 1, 0, 4)	    /* D24.3.27 */
#define SYSREG_OSLSR_EL1 SYSREG_ENC(2, 0, 1, 1, 4)	    /* D24.3.28 */
#define SYSREG_OSDLR_EL1 SYSREG_ENC(2, 0, 1, 3, 4)	    /* D24.3.23 */
#define SYSREG_DBGPRCR_EL1 SYSREG_ENC(2, 0, 1, 4, 4)	    /* D24.3.9 */
#define SYSREG_DBGCLAIMSET_EL1 SYSREG_ENC(2, 0, 7, 8, 6)    /* D24.3.5 */
#define SYSREG_DBGCLAIMCLR_EL1 SYSREG_ENC(2, 0, 7, 9, 6)    /* D24.3.4 */
#define SYSREG_DBGAUTHSTATUS_EL1 SYSREG_ENC(2, 0, 7, 14, 6) /* D24.3.1 */
#define SYSREG_MDCCSR_EL0 SYSREG_ENC(2, 3, 0, 1, 0)	    /* D24.3.16 */
#define SYSREG_DBGDTR_EL0 SYSREG_ENC(2, 3, 0, 4, 0)	    /* D24.3.6 */
#define SYSREG_DBGDTRRX_EL0 SYSREG_ENC(2, 3, 0, 5, 0)	    /* D24.3.7 */
#define SYSREG_DBGDTRTX_EL0 SYSREG_ENC(2, 3, 0, 5, 0)	    /* D24.3.8 */
#define SYSREG_DSPSR_EL0 SYSREG_ENC(3, 3, 4, 5, 0)	    /* D24.3.14 */
#define SYSREG_DLR_EL0 SYSREG_ENC(3, 3, 4, 5, 1)	    /* D24.3.13 */

/* ---- Performance Monitors registers (D24.5) ---- */
#define SYSREG_SPMACCESSR_EL1 SYSREG_ENC(2, 0, 9, 13, 3) /* D24.5.30 */
#define SYSREG_PMCCNTSVR_EL1 SYSREG_ENC(2, 0, 14, 11, 7) /* D24.5.3 */
#define SYSREG_PMICNTSVR_EL1 SYSREG_ENC(2, 0, 14, 12, 0) /* D24.5.16 */
#define SYSREG_PMSSCR_EL1 SYSREG_ENC(3, 0, 9, 13, 3)	 /* D24.5.23 */
#define SYSREG_PMINTENSET_EL1 SYSREG_ENC(3, 0, 9, 14, 1) /* D24.5.18 */
#define SYSREG_PMINTENCLR_EL1 SYSREG_ENC(3, 0, 9, 14, 2) /* D24.5.17 */
#define SYSREG_PMUACR_EL1 SYSREG_ENC(3, 0, 9, 14, 4)	 /* D24.5.25 */
#define SYSREG_PMECR_EL1 SYSREG_ENC(3, 0, 9, 14, 5)	 /* D24.5.9 */
#define SYSREG_PMMIR_EL1 SYSREG_ENC(3, 0, 9, 14, 6)	 /* D24.5.19 */
#define SYSREG_PMIAR_EL1 SYSREG_ENC(3, 0, 9, 14, 7)	 /* D24.5.13 */
#define SYSREG_PMICNTR_EL0 SYSREG_ENC(3, 3, 9, 4, 0)	 /* D24.5.15 */
#define SYSREG_PMICFILTR_EL0 SYSREG_ENC(3, 3, 9, 6, 0)	 /* D24.5.14 */
#define SYSREG_PMCR_EL0 SYSREG_ENC(3, 3, 9, 12, 0)	 /* D24.5.8 */
#define SYSREG_PMCNTENSET_EL0 SYSREG_ENC(3, 3, 9, 12, 1) /* D24.5.7 */
#define SYSREG_PMCNTENCLR_EL0 SYSREG_ENC(3, 3, 9, 12, 2) /* D24.5.6 */
#define SYSREG_PMOVSCLR_EL0 SYSREG_ENC(3, 3, 9, 12, 3)	 /* D24.5.20 */
#define SYSREG_PMSWINC_EL0 SYSREG_ENC(3, 3, 9, 12, 4)	 /* D24.5.24 */
#define SYSREG_PMSELR_EL0 SYSREG_ENC(3, 3, 9, 12, 5)	 /* D24.5.22 */
#define SYSREG_PMCEID0_EL0 SYSREG_ENC(3, 3, 9, 12, 6)	 /* D24.5.4 */
#define SYSREG_PMCEID1_EL0 SYSREG_ENC(3, 3, 9, 12, 7)	 /* D24.5.5 */
#define SYSREG_PMCCNTR_EL0 SYSREG_ENC(3, 3, 9, 13, 0)	 /* D24.5.2 */
#define SYSREG_PMXEVTYPER_EL0 SYSREG_ENC(3, 3, 9, 13, 1) /* D24.5.28 */
#define SYSREG_PMXEVCNTR_EL0 SYSREG_ENC(3, 3, 9, 13, 2)	 /* D24.5.27 */
#define SYSREG_PMZR_EL0 SYSREG_ENC(3, 3, 9, 13, 4)	 /* D24.5.29 */
#define SYSREG_PMUSERENR_EL0 SYSREG_ENC(3, 3, 9, 14, 0)	 /* D24.5.26 */
#define SYSREG_PMOVSSET_EL0 SYSREG_ENC(3, 3, 9, 14, 3)	 /* D24.5.21 */
#define SYSREG_PMCCFILTR_EL0 SYSREG_ENC(3, 3, 14, 15, 7) /* D24.5.1 */

/* ---- Activity Monitors registers (D24.6) ---- */
#define SYSREG_AMCR_EL0 SYSREG_ENC(3, 3, 13, 2, 0)	  /* D24.6.8 */
#define SYSREG_AMCFGR_EL0 SYSREG_ENC(3, 3, 13, 2, 1)	  /* D24.6.1 */
#define SYSREG_AMCGCR_EL0 SYSREG_ENC(3, 3, 13, 2, 2)	  /* D24.6.3 */
#define SYSREG_AMUSERENR_EL0 SYSREG_ENC(3, 3, 13, 2, 3)	  /* D24.6.15 */
#define SYSREG_AMCNTENCLR0_EL0 SYSREG_ENC(3, 3, 13, 2, 4) /* D24.6.4 */
#define SYSREG_AMCNTENSET0_EL0 SYSREG_ENC(3, 3, 13, 2, 5) /* D24.6.6 */
#define SYSREG_AMCG1IDR_EL0 SYSREG_ENC(3, 3, 13, 2, 6)	  /* D24.6.2 */
#define SYSREG_AMCNTENCLR1_EL0 SYSREG_ENC(3, 3, 13, 3, 0) /* D24.6.5 */
#define SYSREG_AMCNTENSET1_EL0 SYSREG_ENC(3, 3, 13, 3, 1) /* D24.6.7 */

/* ---- Statistical Profiling Extension registers (D24.7) ---- */
#define SYSREG_PMSCR_EL1 SYSREG_ENC(3, 0, 9, 9, 0)	/* D24.7.8 */
#define SYSREG_PMSNEVFR_EL1 SYSREG_ENC(3, 0, 9, 9, 1)	/* D24.7.17 */
#define SYSREG_PMSICR_EL1 SYSREG_ENC(3, 0, 9, 9, 2)	/* D24.7.13 */
#define SYSREG_PMSIRR_EL1 SYSREG_ENC(3, 0, 9, 9, 3)	/* D24.7.15 */
#define SYSREG_PMSFCR_EL1 SYSREG_ENC(3, 0, 9, 9, 4)	/* D24.7.12 */
#define SYSREG_PMSEVFR_EL1 SYSREG_ENC(3, 0, 9, 9, 5)	/* D24.7.11 */
#define SYSREG_PMSLATFR_EL1 SYSREG_ENC(3, 0, 9, 9, 6)	/* D24.7.16 */
#define SYSREG_PMSIDR_EL1 SYSREG_ENC(3, 0, 9, 9, 7)	/* D24.7.14 */
#define SYSREG_PMBLIMITR_EL1 SYSREG_ENC(3, 0, 9, 10, 0) /* D24.7.2 */
#define SYSREG_PMBPTR_EL1 SYSREG_ENC(3, 0, 9, 10, 1)	/* D24.7.4 */
#define SYSREG_PMBSR_EL1 SYSREG_ENC(3, 0, 9, 10, 3)	/* D24.7.5 */
#define SYSREG_PMSDSFR_EL1 SYSREG_ENC(3, 0, 9, 10, 4)	/* D24.7.10 */
#define SYSREG_PMBMAR_EL1 SYSREG_ENC(3, 0, 9, 10, 5)	/* D24.7.3 */
#define SYSREG_PMBIDR_EL1 SYSREG_ENC(3, 0, 9, 10, 7)	/* D24.7.1 */

/* ---- Branch Record Buffer Extension registers (D24.8) ---- */
#define SYSREG_BRBCR_EL1 SYSREG_ENC(2, 1, 9, 0, 0)     /* D24.8.1 */
#define SYSREG_BRBFCR_EL1 SYSREG_ENC(2, 1, 9, 0, 1)    /* D24.8.3 */
#define SYSREG_BRBTS_EL1 SYSREG_ENC(2, 1, 9, 0, 2)     /* D24.8.11 */
#define SYSREG_BRBINFINJ_EL1 SYSREG_ENC(2, 1, 9, 1, 0) /* D24.8.5 */
#define SYSREG_BRBSRCINJ_EL1 SYSREG_ENC(2, 1, 9, 1, 1) /* D24.8.7 */
#define SYSREG_BRBTGTINJ_EL1 SYSREG_ENC(2, 1, 9, 1, 2) /* D24.8.9 */
#define SYSREG_BRBIDR0_EL1 SYSREG_ENC(2, 1, 9, 2, 0)   /* D24.8.4 */

/* ---- RAS registers (D24.9) ---- */
#define SYSREG_ERRIDR_EL1 SYSREG_ENC(3, 0, 5, 3, 0)    /* D24.9.2 */
#define SYSREG_ERRSELR_EL1 SYSREG_ENC(3, 0, 5, 3, 1)   /* D24.9.3 */
#define SYSREG_ERXGSR_EL1 SYSREG_ENC(3, 0, 5, 3, 2)    /* D24.9.7 */
#define SYSREG_ERXFR_EL1 SYSREG_ENC(3, 0, 5, 4, 0)     /* D24.9.6 */
#define SYSREG_ERXCTLR_EL1 SYSREG_ENC(3, 0, 5, 4, 1)   /* D24.9.5 */
#define SYSREG_ERXSTATUS_EL1 SYSREG_ENC(3, 0, 5, 4, 2) /* D24.9.15 */
#define SYSREG_ERXADDR_EL1 SYSREG_ENC(3, 0, 5, 4, 3)   /* D24.9.4 */
#define SYSREG_ERXPFGF_EL1 SYSREG_ENC(3, 0, 5, 4, 4)   /* D24.9.14 */
#define SYSREG_ERXPFGCTL_EL1 SYSREG_ENC(3, 0, 5, 4, 5) /* D24.9.13 */
#define SYSREG_ERXPFGCDN_EL1 SYSREG_ENC(3, 0, 5, 4, 6) /* D24.9.12 */
#define SYSREG_ERXMISC0_EL1 SYSREG_ENC(3, 0, 5, 5, 0)  /* D24.9.8 */
#define SYSREG_ERXMISC1_EL1 SYSREG_ENC(3, 0, 5, 5, 1)  /* D24.9.9 */
#define SYSREG_ERXMISC2_EL1 SYSREG_ENC(3, 0, 5, 5, 2)  /* D24.9.10 */
#define SYSREG_ERXMISC3_EL1 SYSREG_ENC(3, 0, 5, 5, 3)  /* D24.9.11 */
#define SYSREG_DISR_EL1 SYSREG_ENC(3, 0, 12, 1, 1)     /* D24.9.1 */

/* ---- Trace buffer (TRB*), trace filter (TRFCR) and ITE (TRCITECR) registers
 * (D24.4) ---- */
#define SYSREG_TRFCR_EL1 SYSREG_ENC(3, 0, 1, 2, 1)	/* D24.4.74 */
#define SYSREG_TRCITECR_EL1 SYSREG_ENC(3, 0, 1, 2, 3)	/* D24.4.48 */
#define SYSREG_TRBLIMITR_EL1 SYSREG_ENC(3, 0, 9, 11, 0) /* D24.4.3 */
#define SYSREG_TRBPTR_EL1 SYSREG_ENC(3, 0, 9, 11, 1)	/* D24.4.6 */
#define SYSREG_TRBBASER_EL1 SYSREG_ENC(3, 0, 9, 11, 2)	/* D24.4.1 */
#define SYSREG_TRBSR_EL1 SYSREG_ENC(3, 0, 9, 11, 3)	/* D24.4.7 */
#define SYSREG_TRBMAR_EL1 SYSREG_ENC(3, 0, 9, 11, 4)	/* D24.4.4 */
#define SYSREG_TRBMPAM_EL1 SYSREG_ENC(3, 0, 9, 11, 5)	/* D24.4.5 */
#define SYSREG_TRBTRG_EL1 SYSREG_ENC(3, 0, 9, 11, 6)	/* D24.4.10 */
#define SYSREG_TRBIDR_EL1 SYSREG_ENC(3, 0, 9, 11, 7)	/* D24.4.2 */

/* ---- Guarded Control Stack registers (D24.11) ---- */
#define SYSREG_GCSCR_EL1 SYSREG_ENC(3, 0, 2, 5, 0)   /* D24.11.1 */
#define SYSREG_GCSPR_EL1 SYSREG_ENC(3, 0, 2, 5, 1)   /* D24.11.6 */
#define SYSREG_GCSCRE0_EL1 SYSREG_ENC(3, 0, 2, 5, 2) /* D24.11.4 */
#define SYSREG_GCSPR_EL0 SYSREG_ENC(3, 3, 2, 5, 1)   /* D24.11.5 */

/* ---- MPAM registers (D24.12) ---- */
#define SYSREG_MPAMIDR_EL1 SYSREG_ENC(3, 0, 10, 4, 4)	/* D24.12.13 */
#define SYSREG_MPAMBWIDR_EL1 SYSREG_ENC(3, 0, 10, 4, 5) /* D24.12.10 */
#define SYSREG_MPAM1_EL1 SYSREG_ENC(3, 0, 10, 5, 0)	/* D24.12.2 */
#define SYSREG_MPAM0_EL1 SYSREG_ENC(3, 0, 10, 5, 1)	/* D24.12.1 */
#define SYSREG_MPAMSM_EL1 SYSREG_ENC(3, 0, 10, 5, 3)	/* D24.12.14 */
#define SYSREG_MPAMBW1_EL1 SYSREG_ENC(3, 0, 10, 5, 4)	/* D24.12.6 */
#define SYSREG_MPAMBW0_EL1 SYSREG_ENC(3, 0, 10, 5, 5)	/* D24.12.5 */
#define SYSREG_MPAMBWSM_EL1 SYSREG_ENC(3, 0, 10, 5, 7)	/* D24.12.11 */

/* ---- Generic Timer registers, EL0/EL1 accessors (D24.10) ---- */
#define SYSREG_CNTKCTL_EL1 SYSREG_ENC(3, 0, 14, 1, 0)	 /* D24.10.15 */
#define SYSREG_CNTFRQ_EL0 SYSREG_ENC(3, 3, 14, 0, 0)	 /* D24.10.1 */
#define SYSREG_CNTPCT_EL0 SYSREG_ENC(3, 3, 14, 0, 1)	 /* D24.10.19 */
#define SYSREG_CNTVCT_EL0 SYSREG_ENC(3, 3, 14, 0, 2)	 /* D24.10.28 */
#define SYSREG_CNTPCTSS_EL0 SYSREG_ENC(3, 3, 14, 0, 5)	 /* D24.10.20 */
#define SYSREG_CNTVCTSS_EL0 SYSREG_ENC(3, 3, 14, 0, 6)	 /* D24.10.29 */
#define SYSREG_CNTP_TVAL_EL0 SYSREG_ENC(3, 3, 14, 2, 0)	 /* D24.10.18 */
#define SYSREG_CNTP_CTL_EL0 SYSREG_ENC(3, 3, 14, 2, 1)	 /* D24.10.16 */
#define SYSREG_CNTP_CVAL_EL0 SYSREG_ENC(3, 3, 14, 2, 2)	 /* D24.10.17 */
#define SYSREG_CNTV_TVAL_EL0 SYSREG_ENC(3, 3, 14, 3, 0)	 /* D24.10.27 */
#define SYSREG_CNTV_CTL_EL0 SYSREG_ENC(3, 3, 14, 3, 1)	 /* D24.10.25 */
#define SYSREG_CNTV_CVAL_EL0 SYSREG_ENC(3, 3, 14, 3, 2)	 /* D24.10.26 */
#define SYSREG_CNTPS_TVAL_EL1 SYSREG_ENC(3, 7, 14, 2, 0) /* D24.10.24 */
#define SYSREG_CNTPS_CTL_EL1 SYSREG_ENC(3, 7, 14, 2, 1)	 /* D24.10.22 */
#define SYSREG_CNTPS_CVAL_EL1 SYSREG_ENC(3, 7, 14, 2, 2) /* D24.10.23 */

/* ---- EL2 registers, all chapters. With HCR_EL2.NV=1 and NV2=0, every EL1
 * access to one of these traps with EC 0x18, except SP_EL2 and the FEAT_MEC
 * registers (D8.14.1); with NV2=1 see vncr.h for the ones turned into memory
 * accesses ---- */
#define SYSREG_DBGVCR32_EL2 SYSREG_ENC(2, 4, 0, 7, 0)	  /* D24.3.10 */
#define SYSREG_BRBCR_EL2 SYSREG_ENC(2, 4, 9, 0, 0)	  /* D24.8.2 */
#define SYSREG_SPMACCESSR_EL2 SYSREG_ENC(2, 4, 9, 13, 3)  /* D24.5.31 */
#define SYSREG_VPIDR_EL2 SYSREG_ENC(3, 4, 0, 0, 0)	  /* D24.2.221 */
#define SYSREG_VMPIDR_EL2 SYSREG_ENC(3, 4, 0, 0, 5)	  /* D24.2.219 */
#define SYSREG_SCTLR_EL2 SYSREG_ENC(3, 4, 1, 0, 0)	  /* D24.2.176 */
#define SYSREG_ACTLR_EL2 SYSREG_ENC(3, 4, 1, 0, 1)	  /* D24.2.3 */
#define SYSREG_SCTLR2_EL2 SYSREG_ENC(3, 4, 1, 0, 3)	  /* D24.2.171 */
#define SYSREG_HCR_EL2 SYSREG_ENC(3, 4, 1, 1, 0)	  /* D24.2.62 */
#define SYSREG_MDCR_EL2 SYSREG_ENC(3, 4, 1, 1, 1)	  /* D24.3.17 */
#define SYSREG_CPTR_EL2 SYSREG_ENC(3, 4, 1, 1, 2)	  /* D24.2.38 */
#define SYSREG_HSTR_EL2 SYSREG_ENC(3, 4, 1, 1, 3)	  /* D24.2.77 */
#define SYSREG_HFGRTR_EL2 SYSREG_ENC(3, 4, 1, 1, 4)	  /* D24.2.73 */
#define SYSREG_HFGWTR_EL2 SYSREG_ENC(3, 4, 1, 1, 5)	  /* D24.2.75 */
#define SYSREG_HFGITR_EL2 SYSREG_ENC(3, 4, 1, 1, 6)	  /* D24.2.71 */
#define SYSREG_HACR_EL2 SYSREG_ENC(3, 4, 1, 1, 7)	  /* D24.2.60 */
#define SYSREG_ZCR_EL2 SYSREG_ENC(3, 4, 1, 2, 0)	  /* D24.2.227 */
#define SYSREG_TRFCR_EL2 SYSREG_ENC(3, 4, 1, 2, 1)	  /* D24.4.75 */
#define SYSREG_HCRX_EL2 SYSREG_ENC(3, 4, 1, 2, 2)	  /* D24.2.63 */
#define SYSREG_TRCITECR_EL2 SYSREG_ENC(3, 4, 1, 2, 3)	  /* D24.4.49 */
#define SYSREG_SMPRIMAP_EL2 SYSREG_ENC(3, 4, 1, 2, 5)	  /* D24.2.189 */
#define SYSREG_SMCR_EL2 SYSREG_ENC(3, 4, 1, 2, 6)	  /* D24.2.185 */
#define SYSREG_SDER32_EL2 SYSREG_ENC(3, 4, 1, 3, 1)	  /* D24.3.29 */
#define SYSREG_SCTLRMASK_EL2 SYSREG_ENC(3, 4, 1, 4, 0)	  /* D24.2.179 */
#define SYSREG_ACTLRMASK_EL2 SYSREG_ENC(3, 4, 1, 4, 1)	  /* D24.2.6 */
#define SYSREG_CPTRMASK_EL2 SYSREG_ENC(3, 4, 1, 4, 2)	  /* D24.2.40 */
#define SYSREG_SCTLR2MASK_EL2 SYSREG_ENC(3, 4, 1, 4, 3)	  /* D24.2.174 */
#define SYSREG_TTBR0_EL2 SYSREG_ENC(3, 4, 2, 0, 0)	  /* D24.2.210 */
#define SYSREG_TTBR1_EL2 SYSREG_ENC(3, 4, 2, 0, 1)	  /* D24.2.213 */
#define SYSREG_TCR_EL2 SYSREG_ENC(3, 4, 2, 0, 2)	  /* D24.2.195 */
#define SYSREG_TCR2_EL2 SYSREG_ENC(3, 4, 2, 0, 3)	  /* D24.2.191 */
#define SYSREG_VTTBR_EL2 SYSREG_ENC(3, 4, 2, 1, 0)	  /* D24.2.225 */
#define SYSREG_VTCR_EL2 SYSREG_ENC(3, 4, 2, 1, 2)	  /* D24.2.224 */
#define SYSREG_VNCR_EL2 SYSREG_ENC(3, 4, 2, 2, 0)	  /* D24.2.220 */
#define SYSREG_HDBSSBR_EL2 SYSREG_ENC(3, 4, 2, 3, 2)	  /* D24.2.64 */
#define SYSREG_HDBSSPROD_EL2 SYSREG_ENC(3, 4, 2, 3, 3)	  /* D24.2.65 */
#define SYSREG_HACDBSBR_EL2 SYSREG_ENC(3, 4, 2, 3, 4)	  /* D24.2.58 */
#define SYSREG_HACDBSCONS_EL2 SYSREG_ENC(3, 4, 2, 3, 5)	  /* D24.2.59 */
#define SYSREG_GCSCR_EL2 SYSREG_ENC(3, 4, 2, 5, 0)	  /* D24.11.2 */
#define SYSREG_GCSPR_EL2 SYSREG_ENC(3, 4, 2, 5, 1)	  /* D24.11.7 */
#define SYSREG_VSTTBR_EL2 SYSREG_ENC(3, 4, 2, 6, 0)	  /* D24.2.223 */
#define SYSREG_VSTCR_EL2 SYSREG_ENC(3, 4, 2, 6, 2)	  /* D24.2.222 */
#define SYSREG_TCRMASK_EL2 SYSREG_ENC(3, 4, 2, 7, 2)	  /* D24.2.198 */
#define SYSREG_TCR2MASK_EL2 SYSREG_ENC(3, 4, 2, 7, 3)	  /* D24.2.193 */
#define SYSREG_DACR32_EL2 SYSREG_ENC(3, 4, 3, 0, 0)	  /* D24.2.43 */
#define SYSREG_HDFGRTR2_EL2 SYSREG_ENC(3, 4, 3, 1, 0)	  /* D24.2.66 */
#define SYSREG_HDFGWTR2_EL2 SYSREG_ENC(3, 4, 3, 1, 1)	  /* D24.2.68 */
#define SYSREG_HFGRTR2_EL2 SYSREG_ENC(3, 4, 3, 1, 2)	  /* D24.2.72 */
#define SYSREG_HFGWTR2_EL2 SYSREG_ENC(3, 4, 3, 1, 3)	  /* D24.2.74 */
#define SYSREG_HDFGRTR_EL2 SYSREG_ENC(3, 4, 3, 1, 4)	  /* D24.2.67 */
#define SYSREG_HDFGWTR_EL2 SYSREG_ENC(3, 4, 3, 1, 5)	  /* D24.2.69 */
#define SYSREG_HAFGRTR_EL2 SYSREG_ENC(3, 4, 3, 1, 6)	  /* D24.2.61 */
#define SYSREG_HFGITR2_EL2 SYSREG_ENC(3, 4, 3, 1, 7)	  /* D24.2.70 */
#define SYSREG_SPSR_EL2 SYSREG_ENC(3, 4, 4, 0, 0)	  /* C5.2.21 */
#define SYSREG_ELR_EL2 SYSREG_ENC(3, 4, 4, 0, 1)	  /* C5.2.6 */
#define SYSREG_IFSR32_EL2 SYSREG_ENC(3, 4, 5, 0, 1)	  /* D24.2.117 */
#define SYSREG_AFSR0_EL2 SYSREG_ENC(3, 4, 5, 1, 0)	  /* D24.2.8 */
#define SYSREG_AFSR1_EL2 SYSREG_ENC(3, 4, 5, 1, 1)	  /* D24.2.11 */
#define SYSREG_ESR_EL2 SYSREG_ENC(3, 4, 5, 2, 0)	  /* D24.2.46 */
#define SYSREG_VSESR_EL2 SYSREG_ENC(3, 4, 5, 2, 3)	  /* D24.9.18 */
#define SYSREG_FPEXC32_EL2 SYSREG_ENC(3, 4, 5, 3, 0)	  /* D24.2.52 */
#define SYSREG_TFSR_EL2 SYSREG_ENC(3, 4, 5, 6, 0)	  /* D24.2.200 */
#define SYSREG_FAR_EL2 SYSREG_ENC(3, 4, 6, 0, 0)	  /* D24.2.49 */
#define SYSREG_HPFAR_EL2 SYSREG_ENC(3, 4, 6, 0, 4)	  /* D24.2.76 */
#define SYSREG_PFAR_EL2 SYSREG_ENC(3, 4, 6, 0, 5)	  /* D24.2.144 */
#define SYSREG_PMSCR_EL2 SYSREG_ENC(3, 4, 9, 9, 0)	  /* D24.7.9 */
#define SYSREG_PMBSR_EL2 SYSREG_ENC(3, 4, 9, 10, 3)	  /* D24.7.6 */
#define SYSREG_TRBSR_EL2 SYSREG_ENC(3, 4, 9, 11, 3)	  /* D24.4.8 */
#define SYSREG_MAIR2_EL2 SYSREG_ENC(3, 4, 10, 1, 1)	  /* D24.2.125 */
#define SYSREG_MAIR_EL2 SYSREG_ENC(3, 4, 10, 2, 0)	  /* D24.2.128 */
#define SYSREG_PIRE0_EL2 SYSREG_ENC(3, 4, 10, 2, 2)	  /* D24.2.149 */
#define SYSREG_PIR_EL2 SYSREG_ENC(3, 4, 10, 2, 3)	  /* D24.2.146 */
#define SYSREG_POR_EL2 SYSREG_ENC(3, 4, 10, 2, 4)	  /* D24.2.152 */
#define SYSREG_S2PIR_EL2 SYSREG_ENC(3, 4, 10, 2, 5)	  /* D24.2.166 */
#define SYSREG_AMAIR_EL2 SYSREG_ENC(3, 4, 10, 3, 0)	  /* D24.2.18 */
#define SYSREG_AMAIR2_EL2 SYSREG_ENC(3, 4, 10, 3, 1)	  /* D24.2.15 */
#define SYSREG_MPAMHCR_EL2 SYSREG_ENC(3, 4, 10, 4, 0)	  /* D24.12.12 */
#define SYSREG_MPAMVPMV_EL2 SYSREG_ENC(3, 4, 10, 4, 1)	  /* D24.12.23 */
#define SYSREG_MPAM2_EL2 SYSREG_ENC(3, 4, 10, 5, 0)	  /* D24.12.3 */
#define SYSREG_MPAMBW2_EL2 SYSREG_ENC(3, 4, 10, 5, 4)	  /* D24.12.7 */
#define SYSREG_MPAMBWCAP_EL2 SYSREG_ENC(3, 4, 10, 5, 6)	  /* D24.12.9 */
#define SYSREG_MPAMVPM0_EL2 SYSREG_ENC(3, 4, 10, 6, 0)	  /* D24.12.15 */
#define SYSREG_MPAMVPM1_EL2 SYSREG_ENC(3, 4, 10, 6, 1)	  /* D24.12.16 */
#define SYSREG_MPAMVPM2_EL2 SYSREG_ENC(3, 4, 10, 6, 2)	  /* D24.12.17 */
#define SYSREG_MPAMVPM3_EL2 SYSREG_ENC(3, 4, 10, 6, 3)	  /* D24.12.18 */
#define SYSREG_MPAMVPM4_EL2 SYSREG_ENC(3, 4, 10, 6, 4)	  /* D24.12.19 */
#define SYSREG_MPAMVPM5_EL2 SYSREG_ENC(3, 4, 10, 6, 5)	  /* D24.12.20 */
#define SYSREG_MPAMVPM6_EL2 SYSREG_ENC(3, 4, 10, 6, 6)	  /* D24.12.21 */
#define SYSREG_MPAMVPM7_EL2 SYSREG_ENC(3, 4, 10, 6, 7)	  /* D24.12.22 */
#define SYSREG_MECID_P0_EL2 SYSREG_ENC(3, 4, 10, 8, 0)	  /* D24.2.132 */
#define SYSREG_MECID_A0_EL2 SYSREG_ENC(3, 4, 10, 8, 1)	  /* D24.2.130 */
#define SYSREG_MECID_P1_EL2 SYSREG_ENC(3, 4, 10, 8, 2)	  /* D24.2.133 */
#define SYSREG_MECID_A1_EL2 SYSREG_ENC(3, 4, 10, 8, 3)	  /* D24.2.131 */
#define SYSREG_MECIDR_EL2 SYSREG_ENC(3, 4, 10, 8, 7)	  /* D24.2.135 */
#define SYSREG_VMECID_P_EL2 SYSREG_ENC(3, 4, 10, 9, 0)	  /* D24.2.218 */
#define SYSREG_VMECID_A_EL2 SYSREG_ENC(3, 4, 10, 9, 1)	  /* D24.2.217 */
#define SYSREG_VBAR_EL2 SYSREG_ENC(3, 4, 12, 0, 0)	  /* D24.2.215 */
#define SYSREG_RVBAR_EL2 SYSREG_ENC(3, 4, 12, 0, 1)	  /* D24.2.164 */
#define SYSREG_RMR_EL2 SYSREG_ENC(3, 4, 12, 0, 2)	  /* D24.2.159 */
#define SYSREG_VDISR_EL2 SYSREG_ENC(3, 4, 12, 1, 1)	  /* D24.9.16 */
#define SYSREG_CONTEXTIDR_EL2 SYSREG_ENC(3, 4, 13, 0, 1)  /* D24.2.35 */
#define SYSREG_TPIDR_EL2 SYSREG_ENC(3, 4, 13, 0, 2)	  /* D24.2.206 */
#define SYSREG_SCXTNUM_EL2 SYSREG_ENC(3, 4, 13, 0, 7)	  /* D24.2.182 */
#define SYSREG_CNTVOFF_EL2 SYSREG_ENC(3, 4, 14, 0, 3)	  /* D24.10.30 */
#define SYSREG_CNTPOFF_EL2 SYSREG_ENC(3, 4, 14, 0, 6)	  /* D24.10.21 */
#define SYSREG_CNTHCTL_EL2 SYSREG_ENC(3, 4, 14, 1, 0)	  /* D24.10.2 */
#define SYSREG_CNTHP_TVAL_EL2 SYSREG_ENC(3, 4, 14, 2, 0)  /* D24.10.5 */
#define SYSREG_CNTHP_CTL_EL2 SYSREG_ENC(3, 4, 14, 2, 1)	  /* D24.10.3 */
#define SYSREG_CNTHP_CVAL_EL2 SYSREG_ENC(3, 4, 14, 2, 2)  /* D24.10.4 */
#define SYSREG_CNTHV_TVAL_EL2 SYSREG_ENC(3, 4, 14, 3, 0)  /* D24.10.11 */
#define SYSREG_CNTHV_CTL_EL2 SYSREG_ENC(3, 4, 14, 3, 1)	  /* D24.10.9 */
#define SYSREG_CNTHV_CVAL_EL2 SYSREG_ENC(3, 4, 14, 3, 2)  /* D24.10.10 */
#define SYSREG_CNTHVS_TVAL_EL2 SYSREG_ENC(3, 4, 14, 4, 0) /* D24.10.14 */
#define SYSREG_CNTHVS_CTL_EL2 SYSREG_ENC(3, 4, 14, 4, 1)  /* D24.10.12 */
#define SYSREG_CNTHVS_CVAL_EL2 SYSREG_ENC(3, 4, 14, 4, 2) /* D24.10.13 */
#define SYSREG_CNTHPS_TVAL_EL2 SYSREG_ENC(3, 4, 14, 5, 0) /* D24.10.8 */
#define SYSREG_CNTHPS_CTL_EL2 SYSREG_ENC(3, 4, 14, 5, 1)  /* D24.10.6 */
#define SYSREG_CNTHPS_CVAL_EL2 SYSREG_ENC(3, 4, 14, 5, 2) /* D24.10.7 */
#define SYSREG_SP_EL2 SYSREG_ENC(3, 6, 4, 1, 0)		  /* C5.2.16 */

/* ---- EL12 and EL02 accessors (FEAT_VHE: the EL2&0 host view of the EL1/EL0
 * registers) ---- */
#define SYSREG_BRBCR_EL12 SYSREG_ENC(2, 5, 9, 0, 0)	  /* D24.8.1 */
#define SYSREG_SPMACCESSR_EL12 SYSREG_ENC(2, 5, 9, 13, 3) /* D24.5.30 */
#define SYSREG_SCTLR_EL12 SYSREG_ENC(3, 5, 1, 0, 0)	  /* D24.2.175 */
#define SYSREG_ACTLR_EL12 SYSREG_ENC(3, 5, 1, 0, 1)	  /* D24.2.2 */
#define SYSREG_CPACR_EL12 SYSREG_ENC(3, 5, 1, 0, 2)	  /* D24.2.36 */
#define SYSREG_SCTLR2_EL12 SYSREG_ENC(3, 5, 1, 0, 3)	  /* D24.2.170 */
#define SYSREG_ZCR_EL12 SYSREG_ENC(3, 5, 1, 2, 0)	  /* D24.2.226 */
#define SYSREG_TRFCR_EL12 SYSREG_ENC(3, 5, 1, 2, 1)	  /* D24.4.74 */
#define SYSREG_TRCITECR_EL12 SYSREG_ENC(3, 5, 1, 2, 3)	  /* D24.4.48 */
#define SYSREG_SMCR_EL12 SYSREG_ENC(3, 5, 1, 2, 6)	  /* D24.2.184 */
#define SYSREG_SCTLRMASK_EL12 SYSREG_ENC(3, 5, 1, 4, 0)	  /* D24.2.178 */
#define SYSREG_ACTLRMASK_EL12 SYSREG_ENC(3, 5, 1, 4, 1)	  /* D24.2.5 */
#define SYSREG_CPACRMASK_EL12 SYSREG_ENC(3, 5, 1, 4, 2)	  /* D24.2.37 */
#define SYSREG_SCTLR2MASK_EL12 SYSREG_ENC(3, 5, 1, 4, 3)  /* D24.2.173 */
#define SYSREG_TTBR0_EL12 SYSREG_ENC(3, 5, 2, 0, 0)	  /* D24.2.209 */
#define SYSREG_TTBR1_EL12 SYSREG_ENC(3, 5, 2, 0, 1)	  /* D24.2.212 */
#define SYSREG_TCR_EL12 SYSREG_ENC(3, 5, 2, 0, 2)	  /* D24.2.194 */
#define SYSREG_TCR2_EL12 SYSREG_ENC(3, 5, 2, 0, 3)	  /* D24.2.190 */
#define SYSREG_GCSCR_EL12 SYSREG_ENC(3, 5, 2, 5, 0)	  /* D24.11.1 */
#define SYSREG_GCSPR_EL12 SYSREG_ENC(3, 5, 2, 5, 1)	  /* D24.11.6 */
#define SYSREG_TCRMASK_EL12 SYSREG_ENC(3, 5, 2, 7, 2)	  /* D24.2.197 */
#define SYSREG_TCR2MASK_EL12 SYSREG_ENC(3, 5, 2, 7, 3)	  /* D24.2.192 */
#define SYSREG_SPSR_EL12 SYSREG_ENC(3, 5, 4, 0, 0)	  /* C5.2.20 */
#define SYSREG_ELR_EL12 SYSREG_ENC(3, 5, 4, 0, 1)	  /* C5.2.5 */
#define SYSREG_AFSR0_EL12 SYSREG_ENC(3, 5, 5, 1, 0)	  /* D24.2.7 */
#define SYSREG_AFSR1_EL12 SYSREG_ENC(3, 5, 5, 1, 1)	  /* D24.2.10 */
#define SYSREG_ESR_EL12 SYSREG_ENC(3, 5, 5, 2, 0)	  /* D24.2.45 */
#define SYSREG_TFSR_EL12 SYSREG_ENC(3, 5, 5, 6, 0)	  /* D24.2.199 */
#define SYSREG_FAR_EL12 SYSREG_ENC(3, 5, 6, 0, 0)	  /* D24.2.48 */
#define SYSREG_PFAR_EL12 SYSREG_ENC(3, 5, 6, 0, 5)	  /* D24.2.143 */
#define SYSREG_PMSCR_EL12 SYSREG_ENC(3, 5, 9, 9, 0)	  /* D24.7.8 */
#define SYSREG_PMBSR_EL12 SYSREG_ENC(3, 5, 9, 10, 3)	  /* D24.7.5 */
#define SYSREG_TRBSR_EL12 SYSREG_ENC(3, 5, 9, 11, 3)	  /* D24.4.7 */
#define SYSREG_MAIR_EL12 SYSREG_ENC(3, 5, 10, 2, 0)	  /* D24.2.127 */
#define SYSREG_MAIR2_EL12 SYSREG_ENC(3, 5, 10, 2, 1)	  /* D24.2.124 */
#define SYSREG_PIRE0_EL12 SYSREG_ENC(3, 5, 10, 2, 2)	  /* D24.2.148 */
#define SYSREG_PIR_EL12 SYSREG_ENC(3, 5, 10, 2, 3)	  /* D24.2.145 */
#define SYSREG_POR_EL12 SYSREG_ENC(3, 5, 10, 2, 4)	  /* D24.2.151 */
#define SYSREG_AMAIR_EL12 SYSREG_ENC(3, 5, 10, 3, 0)	  /* D24.2.17 */
#define SYSREG_AMAIR2_EL12 SYSREG_ENC(3, 5, 10, 3, 1)	  /* D24.2.14 */
#define SYSREG_MPAM1_EL12 SYSREG_ENC(3, 5, 10, 5, 0)	  /* D24.12.2 */
#define SYSREG_MPAMBW1_EL12 SYSREG_ENC(3, 5, 10, 5, 4)	  /* D24.12.6 */
#define SYSREG_VBAR_EL12 SYSREG_ENC(3, 5, 12, 0, 0)	  /* D24.2.214 */
#define SYSREG_CONTEXTIDR_EL12 SYSREG_ENC(3, 5, 13, 0, 1) /* D24.2.34 */
#define SYSREG_SCXTNUM_EL12 SYSREG_ENC(3, 5, 13, 0, 7)	  /* D24.2.181 */
#define SYSREG_CNTKCTL_EL12 SYSREG_ENC(3, 5, 14, 1, 0)	  /* D24.10.15 */
#define SYSREG_CNTP_TVAL_EL02 SYSREG_ENC(3, 5, 14, 2, 0)  /* D24.10.18 */
#define SYSREG_CNTP_CTL_EL02 SYSREG_ENC(3, 5, 14, 2, 1)	  /* D24.10.16 */
#define SYSREG_CNTP_CVAL_EL02 SYSREG_ENC(3, 5, 14, 2, 2)  /* D24.10.17 */
#define SYSREG_CNTV_TVAL_EL02 SYSREG_ENC(3, 5, 14, 3, 0)  /* D24.10.27 */
#define SYSREG_CNTV_CTL_EL02 SYSREG_ENC(3, 5, 14, 3, 1)	  /* D24.10.25 */
#define SYSREG_CNTV_CVAL_EL02 SYSREG_ENC(3, 5, 14, 3, 2)  /* D24.10.26 */

/* ---- Parameterised registers (n is the register index) ---- */
/* Breakpoint/watchpoint value and control, n = 0..15 (D24.3.2, .3, .11, .12) */
#define SYSREG_DBGBVR_EL1(n) SYSREG_ENC(2, 0, 0, (n)&0xf, 4)
#define SYSREG_DBGBCR_EL1(n) SYSREG_ENC(2, 0, 0, (n)&0xf, 5)
#define SYSREG_DBGWVR_EL1(n) SYSREG_ENC(2, 0, 0, (n)&0xf, 6)
#define SYSREG_DBGWCR_EL1(n) SYSREG_ENC(2, 0, 0, (n)&0xf, 7)
/* Event counters and types, n = 0..30 (D24.5.10, D24.5.11) */
#define SYSREG_PMEVCNTR_EL0(n) SYSREG_ENC(3, 3, 14, 8 + (((n) >> 3) & 3), (n)&7)
#define SYSREG_PMEVTYPER_EL0(n)                                                \
	SYSREG_ENC(3, 3, 14, 12 + (((n) >> 3) & 3), (n)&7)
/* Activity monitors (D24.6): group 0 n = 0..3, group 1 n = 0..15 */
#define SYSREG_AMEVCNTR0_EL0(n)                                                \
	SYSREG_ENC(3, 3, 13, 4 + (((n) >> 3) & 1), (n)&7)
#define SYSREG_AMEVTYPER0_EL0(n)                                               \
	SYSREG_ENC(3, 3, 13, 6 + (((n) >> 3) & 1), (n)&7)
#define SYSREG_AMEVCNTR1_EL0(n)                                                \
	SYSREG_ENC(3, 3, 13, 12 + (((n) >> 3) & 1), (n)&7)
#define SYSREG_AMEVTYPER1_EL0(n)                                               \
	SYSREG_ENC(3, 3, 13, 14 + (((n) >> 3) & 1), (n)&7)
/* Activity monitor virtual offsets (FEAT_AMUv1p1): group 0 only n = 0, 2, 3
 * exist */
#define SYSREG_AMEVCNTVOFF0_EL2(n)                                             \
	SYSREG_ENC(3, 4, 13, 8 + (((n) >> 3) & 1), (n)&7)
#define SYSREG_AMEVCNTVOFF1_EL2(n)                                             \
	SYSREG_ENC(3, 4, 13, 10 + (((n) >> 3) & 1), (n)&7)
/* Branch records, n = 0..31 (D24.8): op2 = n[4]:0b00/01/10 */
#define SYSREG_BRBINF_EL1(n)                                                   \
	SYSREG_ENC(2, 1, 8, (n)&0xf, ((((n) >> 4) & 1) << 2) | 0)
#define SYSREG_BRBSRC_EL1(n)                                                   \
	SYSREG_ENC(2, 1, 8, (n)&0xf, ((((n) >> 4) & 1) << 2) | 1)
#define SYSREG_BRBTGT_EL1(n)                                                   \
	SYSREG_ENC(2, 1, 8, (n)&0xf, ((((n) >> 4) & 1) << 2) | 2)

/*
 * ---- GICv3/v4 CPU interface (Arm IHI 0069; not in the Arm ARM) ----
 * With ICH_HCR_EL2.En / HCR_EL2.{IMO,FMO} set, EL1 accesses to the ICC_*_EL1
 * encodings reach the virtual interface (the ICV_* view); the encodings are
 * the same.
 */
#define SYSREG_ICC_PMR_EL1 SYSREG_ENC(3, 0, 4, 6, 0)
#define SYSREG_ICC_IAR0_EL1 SYSREG_ENC(3, 0, 12, 8, 0)
#define SYSREG_ICC_EOIR0_EL1 SYSREG_ENC(3, 0, 12, 8, 1)
#define SYSREG_ICC_HPPIR0_EL1 SYSREG_ENC(3, 0, 12, 8, 2)
#define SYSREG_ICC_BPR0_EL1 SYSREG_ENC(3, 0, 12, 8, 3)
#define SYSREG_ICC_AP0R_EL1(n)                                                 \
	SYSREG_ENC(3, 0, 12, 8, 4 + ((n)&3)) /* n = 0..3 */
#define SYSREG_ICC_AP0R0_EL1 SYSREG_ICC_AP0R_EL1(0)
#define SYSREG_ICC_AP0R1_EL1 SYSREG_ICC_AP0R_EL1(1)
#define SYSREG_ICC_AP0R2_EL1 SYSREG_ICC_AP0R_EL1(2)
#define SYSREG_ICC_AP0R3_EL1 SYSREG_ICC_AP0R_EL1(3)
#define SYSREG_ICC_AP1R_EL1(n) SYSREG_ENC(3, 0, 12, 9, (n)&3) /* n = 0..3 */
#define SYSREG_ICC_AP1R0_EL1 SYSREG_ICC_AP1R_EL1(0)
#define SYSREG_ICC_AP1R1_EL1 SYSREG_ICC_AP1R_EL1(1)
#define SYSREG_ICC_AP1R2_EL1 SYSREG_ICC_AP1R_EL1(2)
#define SYSREG_ICC_AP1R3_EL1 SYSREG_ICC_AP1R_EL1(3)
#define SYSREG_ICC_NMIAR1_EL1 SYSREG_ENC(3, 0, 12, 9, 5) /* FEAT_GICv3_NMI */
#define SYSREG_ICC_DIR_EL1 SYSREG_ENC(3, 0, 12, 11, 1)
#define SYSREG_ICC_RPR_EL1 SYSREG_ENC(3, 0, 12, 11, 3)
#define SYSREG_ICC_SGI1R_EL1 SYSREG_ENC(3, 0, 12, 11, 5)
#define SYSREG_ICC_ASGI1R_EL1 SYSREG_ENC(3, 0, 12, 11, 6)
#define SYSREG_ICC_SGI0R_EL1 SYSREG_ENC(3, 0, 12, 11, 7)
#define SYSREG_ICC_IAR1_EL1 SYSREG_ENC(3, 0, 12, 12, 0)
#define SYSREG_ICC_EOIR1_EL1 SYSREG_ENC(3, 0, 12, 12, 1)
#define SYSREG_ICC_HPPIR1_EL1 SYSREG_ENC(3, 0, 12, 12, 2)
#define SYSREG_ICC_BPR1_EL1 SYSREG_ENC(3, 0, 12, 12, 3)
#define SYSREG_ICC_CTLR_EL1 SYSREG_ENC(3, 0, 12, 12, 4)
#define SYSREG_ICC_SRE_EL1 SYSREG_ENC(3, 0, 12, 12, 5)
#define SYSREG_ICC_IGRPEN0_EL1 SYSREG_ENC(3, 0, 12, 12, 6)
#define SYSREG_ICC_IGRPEN1_EL1 SYSREG_ENC(3, 0, 12, 12, 7)
#define SYSREG_ICC_SRE_EL2 SYSREG_ENC(3, 4, 12, 9, 5)

#define SYSREG_ICH_AP0R_EL2(n) SYSREG_ENC(3, 4, 12, 8, (n)&3) /* n = 0..3 */
#define SYSREG_ICH_AP0R0_EL2 SYSREG_ICH_AP0R_EL2(0)
#define SYSREG_ICH_AP0R1_EL2 SYSREG_ICH_AP0R_EL2(1)
#define SYSREG_ICH_AP0R2_EL2 SYSREG_ICH_AP0R_EL2(2)
#define SYSREG_ICH_AP0R3_EL2 SYSREG_ICH_AP0R_EL2(3)
#define SYSREG_ICH_AP1R_EL2(n) SYSREG_ENC(3, 4, 12, 9, (n)&3) /* n = 0..3 */
#define SYSREG_ICH_AP1R0_EL2 SYSREG_ICH_AP1R_EL2(0)
#define SYSREG_ICH_AP1R1_EL2 SYSREG_ICH_AP1R_EL2(1)
#define SYSREG_ICH_AP1R2_EL2 SYSREG_ICH_AP1R_EL2(2)
#define SYSREG_ICH_AP1R3_EL2 SYSREG_ICH_AP1R_EL2(3)
#define SYSREG_ICH_HCR_EL2 SYSREG_ENC(3, 4, 12, 11, 0)
#define SYSREG_ICH_VTR_EL2 SYSREG_ENC(3, 4, 12, 11, 1)
#define SYSREG_ICH_MISR_EL2 SYSREG_ENC(3, 4, 12, 11, 2)
#define SYSREG_ICH_EISR_EL2 SYSREG_ENC(3, 4, 12, 11, 3)
#define SYSREG_ICH_ELRSR_EL2 SYSREG_ENC(3, 4, 12, 11, 5)
#define SYSREG_ICH_VMCR_EL2 SYSREG_ENC(3, 4, 12, 11, 7)
/* List registers, n = 0..15: CRm = 12 + n[3], op2 = n[2:0] */
#define SYSREG_ICH_LR_EL2(n) SYSREG_ENC(3, 4, 12, 12 + (((n) >> 3) & 1), (n)&7)
#define SYSREG_ICH_LR0_EL2 SYSREG_ICH_LR_EL2(0)
#define SYSREG_ICH_LR1_EL2 SYSREG_ICH_LR_EL2(1)
#define SYSREG_ICH_LR2_EL2 SYSREG_ICH_LR_EL2(2)
#define SYSREG_ICH_LR3_EL2 SYSREG_ICH_LR_EL2(3)
#define SYSREG_ICH_LR4_EL2 SYSREG_ICH_LR_EL2(4)
#define SYSREG_ICH_LR5_EL2 SYSREG_ICH_LR_EL2(5)
#define SYSREG_ICH_LR6_EL2 SYSREG_ICH_LR_EL2(6)
#define SYSREG_ICH_LR7_EL2 SYSREG_ICH_LR_EL2(7)
#define SYSREG_ICH_LR8_EL2 SYSREG_ICH_LR_EL2(8)
#define SYSREG_ICH_LR9_EL2 SYSREG_ICH_LR_EL2(9)
#define SYSREG_ICH_LR10_EL2 SYSREG_ICH_LR_EL2(10)
#define SYSREG_ICH_LR11_EL2 SYSREG_ICH_LR_EL2(11)
#define SYSREG_ICH_LR12_EL2 SYSREG_ICH_LR_EL2(12)
#define SYSREG_ICH_LR13_EL2 SYSREG_ICH_LR_EL2(13)
#define SYSREG_ICH_LR14_EL2 SYSREG_ICH_LR_EL2(14)
#define SYSREG_ICH_LR15_EL2 SYSREG_ICH_LR_EL2(15)
/* Is this encoding one of ICH_LR0..15_EL2? */
#define SYSREG_IS_ICH_LR(e)                                                    \
	(((unsigned int)(e) & ~(SYSREG_ENC(0, 0, 0, 1, 7))) ==                 \
	 SYSREG_ICH_LR_EL2(0))
/* Index of an ICH_LR<n>_EL2 encoding */
#define SYSREG_ICH_LR_INDEX(e) (((SYSREG_CRM(e) & 1u) << 3) | SYSREG_OP2(e))

#endif /* HYPNEST_ARCH_SYSREG_ENC_H */
