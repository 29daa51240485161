/*
 * The ID registers a guest reads, field by field (docs/id-regs.md has the
 * table with the reason for each choice). HCR_EL2.TID3 traps every read of
 * the ID space (op0 = 3, op1 = 0, CRn = 0, CRm = 1..7) from EL1 and EL0;
 * sysreg/trap.c answers with id_reg_guest(). Arch-independent (the host
 * unit tests run it); reading the CPU's registers is sysreg/id_regs_cpu.c.
 *
 * A field a guest sees is either the host's (PASS: the hardware honours it
 * at every level the guest runs at, or hypnest emulates it), capped at the
 * highest level hypnest honours (CAP, SCAP), or hidden (HIDE: the field's
 * "not implemented" value, which is 0 except where D24.2 says otherwise).
 * Bits of no listed field (RES0 today, a field of a later architecture
 * tomorrow) read 0: nothing is offered that was not reviewed.
 *
 * Three readers: a guest at EL1 (no EL2: D24.2.88 wants the stage-2
 * granule fields 0 then, D24.2.90 EVT and NV 0), and a guest hypervisor
 * offered as nVHE or VHE, which also programs EL2 controls hypnest must
 * honour for it (stage 2, HCR_EL2, the VNCR page). Both of its levels read
 * the same values, as on hardware.
 *
 * AArch64 only (hypnest's guests never run AArch32): ID_AA64PFR0_EL1.EL0
 * and EL1 say AArch64 only, and the AArch32 ID registers, UNKNOWN when no
 * EL implements AArch32 (D24.2.114 and its neighbours, "Otherwise"), read
 * 0, as Linux's KVM makes them for its own guests in that case.
 */
#include "arch/sysreg_enc.h"
#include "hyp/id_regs.h"

#define HIDE { ID_HIDE, 0 }
#define NI(v) { ID_HIDE, (v) }
#define PASS { ID_PASS, 0 }
#define CAP(v) { ID_CAP, (v) }
#define SCAP(v) { ID_SCAP, (v) }
#define S2_4K { ID_S2_4K, 0 }
/* policies by reader: a guest at EL1, an nVHE and a VHE guest hypervisor */
#define BY(el1, nvhe, vhe) { el1, nvhe, vhe }
#define ALL(p) { p, p, p }
#define EL1_EL2(el1, el2) { el1, el2, el2 }
#define F(name, lsb, policy) { #name, lsb, policy }

/* D24.2.93 */
static const struct id_field pfr0[] = {
	F(EL0, 0, ALL(CAP(1))), /* AArch64 only */
	F(EL1, 4, ALL(CAP(1))),
	F(EL2, 8, EL1_EL2(HIDE, CAP(1))),
	F(EL3, 12, ALL(HIDE)), /* SMC: PSCI answered by hypnest */
	F(FP, 16, ALL(PASS)),
	F(AdvSIMD, 20, ALL(PASS)),
	F(GIC, 24, ALL(CAP(1))), /* the vGIC is GICv3 (no GICv4.1 vLPIs) */
	F(RAS, 28, ALL(HIDE)),
	F(SVE, 32, ALL(HIDE)), /* CPTR_EL2.TZ traps */
	F(SEL2, 36, ALL(HIDE)),
	F(MPAM, 40, ALL(HIDE)),
	F(AMU, 44, ALL(HIDE)),
	F(DIT, 48, ALL(PASS)),
	F(RME, 52, ALL(HIDE)),
	F(CSV2, 56, ALL(CAP(1))), /* no SCXTNUM_ELx (HCR_EL2.EnSCXT = 0) */
	F(CSV3, 60, ALL(PASS)),
};

/* D24.2.94 */
static const struct id_field pfr1[] = {
	F(BT, 0, ALL(PASS)),
	F(SSBS, 4, ALL(PASS)),
	F(MTE, 8, ALL(HIDE)),
	F(RAS_frac, 12, ALL(HIDE)),
	F(MPAM_frac, 16, ALL(HIDE)),
	F(SME, 24, ALL(HIDE)), /* CPTR_EL2.TSM traps */
	F(RNDR_trap, 28, ALL(HIDE)),
	F(CSV2_frac, 32, ALL(CAP(1))), /* 0b0010 has SCXTNUM_ELx */
	F(NMI, 36, ALL(HIDE)),
	F(MTE_frac, 40, ALL(HIDE)),
	F(GCS, 44, ALL(HIDE)),
	F(THE, 48, ALL(HIDE)),
	F(MTEX, 52, ALL(HIDE)),
	F(DF2, 56, ALL(HIDE)),
	F(PFAR, 60, ALL(HIDE)),
};

/* D24.2.95: MTE extensions, FEAT_UINJ, FPMR (HCRX_EL2.EnFPM) */
static const struct id_field pfr2[] = {
	F(MTEPERM, 0, ALL(HIDE)), F(MTESTOREONLY, 4, ALL(HIDE)),
	F(MTEFAR, 8, ALL(HIDE)),  F(UINJ, 16, ALL(HIDE)),
	F(FPMR, 32, ALL(HIDE)),
};

/* D24.2.80. Self-hosted debug is the hardware's (MDCR_EL2 traps none of
 * it); the PMU is trapped (MDCR_EL2.TPM, TPMCR) and hidden, so are trace,
 * SPE, BRBE. DebugVer at most Armv8.8: FEAT_Debugv8p9 brings more than 16
 * breakpoints (ID_AA64DFR1_EL1, hidden) and with EL2 needs FEAT_FGT2 (A2.2) */
static const struct id_field dfr0[] = {
	F(DebugVer, 0, ALL(CAP(0xa))),
	F(TraceVer, 4, ALL(HIDE)),
	F(PMUVer, 8, ALL(HIDE)),
	F(BRPs, 12, ALL(PASS)),
	F(PMSS, 16, ALL(HIDE)),
	F(WRPs, 20, ALL(PASS)),
	F(SEBEP, 24, ALL(HIDE)),
	F(CTX_CMPs, 28, ALL(PASS)),
	F(PMSVer, 32, ALL(HIDE)),
	F(DoubleLock, 36, ALL(PASS)), /* 0b0000 implemented, 0b1111 not */
	F(TraceFilt, 40, ALL(HIDE)),
	F(TraceBuffer, 44, ALL(HIDE)),
	F(MTPMU, 48, ALL(HIDE)), /* no PMU: 0b0001 not permitted */
	F(BRBE, 52, ALL(HIDE)),
	F(ExtTrcBuff, 56, ALL(HIDE)),
	F(HPMN0, 60, ALL(HIDE)),
};

/* D24.2.84: instructions only, executed by the hardware at any level
 * (TLBI from a virtual EL2 trap to hypnest, which invalidates all EL1&0) */
static const struct id_field isar0[] = {
	F(AES, 4, ALL(PASS)),	 F(SHA1, 8, ALL(PASS)),	 F(SHA2, 12, ALL(PASS)),
	F(CRC32, 16, ALL(PASS)), F(Atomic, 20, ALL(PASS)), F(RDM, 28, ALL(PASS)),
	F(SHA3, 32, ALL(PASS)),	 F(SM3, 36, ALL(PASS)),	 F(SM4, 40, ALL(PASS)),
	F(DP, 44, ALL(PASS)),	 F(FHM, 48, ALL(PASS)),	 F(TS, 52, ALL(PASS)),
	F(TLB, 56, ALL(PASS)),	 F(RNDR, 60, ALL(PASS)),
};

/* D24.2.85. Pointer authentication: HCR_EL2.API/APK leave it to the
 * hardware; FEAT_PAuth_LR (0b0110) needs ID_AA64ISAR3_EL1.PACM, hidden.
 * SPECRES: a guest hypervisor's CFP/DVP/CPP RCTX naming EL2 would run at
 * EL1. LS64: HCRX_EL2 enables, device memory. */
static const struct id_field isar1[] = {
	F(DPB, 0, ALL(PASS)),
	F(APA, 4, ALL(CAP(5))),
	F(API, 8, ALL(CAP(5))),
	F(JSCVT, 12, ALL(PASS)),
	F(FCMA, 16, ALL(PASS)),
	F(LRCPC, 20, ALL(PASS)),
	F(GPA, 24, ALL(PASS)),
	F(GPI, 28, ALL(PASS)),
	F(FRINTTS, 32, ALL(PASS)),
	F(SB, 36, ALL(PASS)),
	F(SPECRES, 40, EL1_EL2(PASS, HIDE)),
	F(BF16, 44, ALL(PASS)),
	F(DGH, 48, ALL(PASS)),
	F(I8MM, 52, ALL(PASS)),
	F(XS, 56, ALL(PASS)), /* TLBI nXS from vEL2: trapped, as TLBI */
	F(LS64, 60, ALL(HIDE)),
};

/* D24.2.86. WFxT: WFIT/WFET traps are not emulated; MOPS needs
 * HCRX_EL2.MSCEn; SYSREG_128/SYSINSTR_128 are FEAT_D128's; AT S1E2A from a
 * guest hypervisor is not emulated */
static const struct id_field isar2[] = {
	F(WFxT, 0, ALL(HIDE)),
	F(RPRES, 4, ALL(PASS)),
	F(GPA3, 8, ALL(PASS)),
	F(APA3, 12, ALL(CAP(5))),
	F(MOPS, 16, ALL(HIDE)),
	F(BC, 20, ALL(PASS)),
	F(PAC_frac, 24, ALL(PASS)),
	F(CLRBHB, 28, ALL(PASS)),
	F(SYSREG_128, 32, ALL(HIDE)),
	F(SYSINSTR_128, 36, ALL(HIDE)),
	F(PRFMSLC, 40, ALL(PASS)),
	F(PCDPHINT, 44, ALL(PASS)),
	F(RPRFM, 48, ALL(PASS)),
	F(CSSC, 52, ALL(PASS)),
	F(LUT, 56, ALL(PASS)),
	F(ATS1A, 60, EL1_EL2(PASS, HIDE)),
};

/* D24.2.87. CPA needs SCTLR2_ELx, PACM goes with FEAT_PAuth_LR, TLBIW is
 * an EL2 instruction, OCCMO's operations are not reviewed */
static const struct id_field isar3[] = {
	F(CPA, 0, ALL(HIDE)),	F(FAMINMAX, 4, ALL(PASS)), F(TLBIW, 8, ALL(HIDE)),
	F(PACM, 12, ALL(HIDE)), F(LSFE, 16, ALL(PASS)),	   F(OCCMO, 20, ALL(HIDE)),
	F(LSUI, 24, ALL(PASS)), F(FPRCVT, 28, ALL(PASS)),
};

/* D24.2.88. PARange: the IPA size of hypnest's stage 2 (hyp/vm.c).
 * Mixed endian: MMIO emulation assumes little-endian accesses. ExS:
 * hidden, so SCTLR_ELx.EIS/EOS are RES1, which is what hypnest's emulated
 * exception entries and returns are (its own SCTLR_EL2.EIS/EOS are set).
 * Stage-2 granules: none without EL2 (D24.2.88: "If EL2 is not implemented,
 * this field is 0b0000"); a guest hypervisor gets 4 KiB only, without
 * 52-bit addresses, and then no 16K/64K at stage 1 either: A2.2 wants
 * FEAT_S2TGran16K/64K wherever FEAT_TGran16K/64K and EL2 are. */
static const struct id_field mmfr0[] = {
	F(PARange, 0, ALL(CAP(5))),
	F(ASIDBits, 4, ALL(PASS)),
	F(BigEnd, 8, ALL(HIDE)),
	F(SNSMem, 12, ALL(PASS)),
	F(BigEndEL0, 16, ALL(HIDE)),
	F(TGran16, 20, EL1_EL2(PASS, HIDE)),
	F(TGran64, 24, EL1_EL2(PASS, NI(0xf))),
	F(TGran4, 28, EL1_EL2(PASS, SCAP(0))), /* no 52-bit (FEAT_LPA2) */
	F(TGran16_2, 32, EL1_EL2(HIDE, NI(1))),
	F(TGran64_2, 36, EL1_EL2(HIDE, NI(1))),
	F(TGran4_2, 40, EL1_EL2(HIDE, S2_4K)),
	F(ExS, 44, ALL(HIDE)),
	F(FGT, 56, ALL(HIDE)),
	F(ECV, 60, ALL(HIDE)),
};

/* D24.2.89. Stage-1 features stay the hardware's for a guest at EL1; a
 * guest hypervisor does not get those that reach its stage 2 (HAFDBS: the
 * field covers VTCR_EL2.HA/HD too; HPDS2: VTCR_EL2.HWU; ETS), nor LORegions
 * (HCR_EL2.TLOR) or CMOW (SCTLR_EL2/HCRX_EL2.CMOW). HAFDBS at most 0b0010:
 * 0b0011 (FEAT_HAFT) is enabled in TCR2_EL1. HCX: no HCRX_EL2 for the
 * guest hypervisor, and none can exist without EL2 (A2.2). */
static const struct id_field mmfr1[] = {
	F(HAFDBS, 0, EL1_EL2(CAP(2), HIDE)),
	F(VMIDBits, 4, ALL(PASS)),
	F(VH, 8, BY(HIDE, HIDE, PASS)),
	F(HPDS, 12, EL1_EL2(PASS, CAP(1))),
	F(LO, 16, EL1_EL2(PASS, HIDE)),
	F(PAN, 20, ALL(PASS)),
	F(SpecSEI, 24, ALL(PASS)),
	F(XNX, 28, ALL(HIDE)),
	F(TWED, 32, ALL(HIDE)),
	F(ETS, 36, EL1_EL2(PASS, HIDE)),
	F(HCX, 40, ALL(HIDE)),
	F(AFP, 44, ALL(PASS)),
	F(nTLBPA, 48, ALL(PASS)),
	F(TIDCP1, 52, ALL(PASS)),
	F(CMOW, 56, EL1_EL2(PASS, HIDE)),
	F(ECBHB, 60, ALL(PASS)),
};

/* D24.2.90. LSM is AArch32's, IESB needs FEAT_RAS (A2.2). For a guest
 * hypervisor: no FEAT_LVA (FEAT_LPA2 is hidden too), and nothing that
 * changes what its stage 2 may hold (ST, BBM, FWB). EVT: its HCR_EL2
 * TID4/TICAB/TOCU/TTLBIS/TTLBOS are not honoured, and EVT must be 0 without
 * EL2 (D24.2.90). FEAT_NV: no recursion yet. */
static const struct id_field mmfr2[] = {
	F(CnP, 0, ALL(PASS)),
	F(UAO, 4, ALL(PASS)),
	F(LSM, 8, ALL(HIDE)),
	F(IESB, 12, ALL(HIDE)),
	F(VARange, 16, EL1_EL2(PASS, HIDE)),
	F(CCIDX, 20, ALL(PASS)), /* CCSIDR_EL1 is read from the hardware */
	F(NV, 24, ALL(HIDE)),
	F(ST, 28, EL1_EL2(PASS, HIDE)),
	F(AT, 32, ALL(PASS)),
	F(IDS, 36, ALL(PASS)),
	F(FWB, 40, ALL(HIDE)),
	F(TTL, 48, ALL(PASS)),
	F(BBM, 52, EL1_EL2(PASS, HIDE)),
	F(EVT, 56, ALL(HIDE)),
	F(E0PD, 60, ALL(PASS)),
};

#define REG(crm, op2, n, f) { SYSREG_ENC(3, 0, 0, crm, op2), #n, f, ARRAY_SIZE(f) }
/* a register none of whose fields is offered: reads 0 */
#define REG0(crm, op2, n) { SYSREG_ENC(3, 0, 0, crm, op2), #n, NULL, 0 }

/* every named register of the ID space (D24.2), in encoding order */
static const struct id_reg regs[] = {
	/* AArch32 (CRm 1..3): UNKNOWN without AArch32, read 0 */
	REG0(1, 0, ID_PFR0_EL1),
	REG0(1, 1, ID_PFR1_EL1),
	REG0(1, 2, ID_DFR0_EL1),
	REG0(1, 3, ID_AFR0_EL1),
	REG0(1, 4, ID_MMFR0_EL1),
	REG0(1, 5, ID_MMFR1_EL1),
	REG0(1, 6, ID_MMFR2_EL1),
	REG0(1, 7, ID_MMFR3_EL1),
	REG0(2, 0, ID_ISAR0_EL1),
	REG0(2, 1, ID_ISAR1_EL1),
	REG0(2, 2, ID_ISAR2_EL1),
	REG0(2, 3, ID_ISAR3_EL1),
	REG0(2, 4, ID_ISAR4_EL1),
	REG0(2, 5, ID_ISAR5_EL1),
	REG0(2, 6, ID_MMFR4_EL1),
	REG0(2, 7, ID_ISAR6_EL1),
	REG0(3, 0, MVFR0_EL1),
	REG0(3, 1, MVFR1_EL1),
	REG0(3, 2, MVFR2_EL1),
	REG0(3, 4, ID_PFR2_EL1),
	REG0(3, 5, ID_DFR1_EL1),
	REG0(3, 6, ID_MMFR5_EL1),
	/* AArch64 */
	REG(4, 0, ID_AA64PFR0_EL1, pfr0),
	REG(4, 1, ID_AA64PFR1_EL1, pfr1),
	REG(4, 2, ID_AA64PFR2_EL1, pfr2),
	REG0(4, 4, ID_AA64ZFR0_EL1),  /* SVE hidden */
	REG0(4, 5, ID_AA64SMFR0_EL1), /* SME hidden */
	REG0(4, 7, ID_AA64FPFR0_EL1), /* FP8: needs FPMR */
	REG(5, 0, ID_AA64DFR0_EL1, dfr0),
	REG0(5, 1, ID_AA64DFR1_EL1), /* 0: the counts are ID_AA64DFR0_EL1's */
	REG0(5, 2, ID_AA64DFR2_EL1),
	REG0(5, 4, ID_AA64AFR0_EL1), /* IMPLEMENTATION DEFINED: nothing */
	REG0(5, 5, ID_AA64AFR1_EL1),
	REG(6, 0, ID_AA64ISAR0_EL1, isar0),
	REG(6, 1, ID_AA64ISAR1_EL1, isar1),
	REG(6, 2, ID_AA64ISAR2_EL1, isar2),
	REG(6, 3, ID_AA64ISAR3_EL1, isar3),
	REG(7, 0, ID_AA64MMFR0_EL1, mmfr0),
	REG(7, 1, ID_AA64MMFR1_EL1, mmfr1),
	REG(7, 2, ID_AA64MMFR2_EL1, mmfr2),
	/* TCR2, SCTLR2, permission indirection and overlays, D128, MEC, the
	 * RAS error-record additions: all need EL2 controls not offered */
	REG0(7, 3, ID_AA64MMFR3_EL1),
	/* 0: E2H0 = 0b0000, FEAT_E2H0 (a guest hypervisor picks its E2H;
	 * hypnest needs FEAT_E2H0 itself), everything else not implemented */
	REG0(7, 4, ID_AA64MMFR4_EL1),
};

bool id_reg_space(uint32_t enc)
{
	return SYSREG_IS_ID_GROUP3(enc);
}

const struct id_reg *id_reg_find(uint32_t enc)
{
	for (unsigned i = 0; i < ARRAY_SIZE(regs); i++)
		if (regs[i].enc == enc)
			return &regs[i];
	return NULL;
}

const struct id_reg *id_reg_table(unsigned *n)
{
	*n = ARRAY_SIZE(regs);
	return regs;
}

static unsigned field_value(const struct id_policy *p, unsigned host,
			    uint64_t host_reg)
{
	switch (p->kind) {
	case ID_PASS:
		return host;
	case ID_CAP:
		return host < p->val ? host : p->val;
	case ID_SCAP: /* 4-bit two's complement: 0x8..0xf are negative */
		return (host ^ 8) < (p->val ^ 8u) ? host : p->val;
	case ID_S2_4K: { /* TGran4_2 [43:40], 0b0000: see TGran4 [31:28] */
		unsigned s2 = (unsigned)FIELD(host_reg, 43, 40);
		bool has = s2 ? s2 >= 2 : FIELD(host_reg, 31, 28) != 0xf;

		return has ? 2 : 1;
	}
	default:
		return p->val;
	}
}

uint64_t id_reg_sanitise(uint32_t enc, uint64_t host, enum id_view view)
{
	const struct id_reg *r = id_reg_find(enc);
	uint64_t out = 0;

	for (unsigned i = 0; r && i < r->nfields; i++) {
		const struct id_field *f = &r->fields[i];
		unsigned h = (unsigned)FIELD(host, f->lsb + 3, f->lsb);

		out |= (uint64_t)field_value(&f->by[view], h, host) << f->lsb;
	}
	return out;
}
