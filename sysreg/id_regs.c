/*
 * The ID registers a guest reads, field by field (docs/id-regs.md has the
 * table with the reason for each choice). HCR_EL2.TID3 traps every read of
 * the ID space (op0 = 3, op1 = 0, CRn = 0, CRm = 1..7) from EL1 and EL0;
 * vcpu/sysreg_trap.c answers with id_reg_guest(). Arch-independent (the host
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
#include "hyp/id_regs.h"
#include "arch/sysreg_enc.h"

#define HIDE ID_POL(ID_HIDE, 0)
#define NI(v) ID_POL(ID_HIDE, v)
#define PASS ID_POL(ID_PASS, 0)
#define CAP(v) ID_POL(ID_CAP, v)
#define SCAP(v) ID_POL(ID_SCAP, v)
#define S2_4K ID_POL(ID_S2_4K, 0)
/* a field: its policies for a guest at EL1, an nVHE and a VHE guest
 * hypervisor (F); the same for every reader (FA); one for a guest at EL1
 * and one for a guest hypervisor (FN) */
#define F(n, l, el1, nvhe, vhe)                                                \
	{                                                                      \
		.name = #n, .lsb = l, .by = { el1, nvhe, vhe }                 \
	}
#define FA(name, lsb, p) F(name, lsb, p, p, p)
#define FN(name, lsb, el1, el2) F(name, lsb, el1, el2, el2)

/* D24.2.93 */
static const struct id_field pfr0[] = {
	FA(EL0, 0, CAP(1)), /* AArch64 only */
	FA(EL1, 4, CAP(1)),
	FN(EL2, 8, HIDE, CAP(1)),
	FA(EL3, 12, HIDE), /* SMC: PSCI answered by hypnest */
	FA(FP, 16, PASS),
	FA(AdvSIMD, 20, PASS),
	FA(GIC, 24, CAP(1)), /* the vGIC is GICv3 (no GICv4.1 vLPIs) */
	FA(RAS, 28, HIDE),
	FA(SVE, 32, HIDE), /* CPTR_EL2.TZ traps */
	FA(SEL2, 36, HIDE),
	FA(MPAM, 40, HIDE),
	FA(AMU, 44, HIDE),
	FA(DIT, 48, PASS),
	FA(RME, 52, HIDE),
	FA(CSV2, 56, CAP(1)), /* no SCXTNUM_ELx (HCR_EL2.EnSCXT = 0) */
	FA(CSV3, 60, PASS),
};

/* D24.2.94 */
static const struct id_field pfr1[] = {
	FA(BT, 0, PASS),
	FA(SSBS, 4, PASS),
	FA(MTE, 8, HIDE),
	FA(RAS_frac, 12, HIDE),
	FA(MPAM_frac, 16, HIDE),
	FA(SME, 24, HIDE), /* CPTR_EL2.TSM traps */
	FA(RNDR_trap, 28, HIDE),
	FA(CSV2_frac, 32, CAP(1)), /* 0b0010 has SCXTNUM_ELx */
	FA(NMI, 36, HIDE),
	FA(MTE_frac, 40, HIDE),
	FA(GCS, 44, HIDE),
	FA(THE, 48, HIDE),
	FA(MTEX, 52, HIDE),
	FA(DF2, 56, HIDE),
	FA(PFAR, 60, HIDE),
};

/* D24.2.95: MTE extensions, FEAT_UINJ, FPMR (HCRX_EL2.EnFPM) */
static const struct id_field pfr2[] = {
	FA(MTEPERM, 0, HIDE), FA(MTESTOREONLY, 4, HIDE), FA(MTEFAR, 8, HIDE),
	FA(UINJ, 16, HIDE),   FA(FPMR, 32, HIDE),
};

/* D24.2.80. Self-hosted debug is the hardware's (MDCR_EL2 traps none of
 * it); the PMU is trapped (MDCR_EL2.TPM, TPMCR) and hidden, so are trace,
 * SPE, BRBE. DebugVer at most Armv8.8: FEAT_Debugv8p9 brings more than 16
 * breakpoints (ID_AA64DFR1_EL1, hidden) and with EL2 needs FEAT_FGT2 (A2.2) */
static const struct id_field dfr0[] = {
	FA(DebugVer, 0, CAP(0xa)),
	FA(TraceVer, 4, HIDE),
	FA(PMUVer, 8, HIDE),
	FA(BRPs, 12, PASS),
	FA(PMSS, 16, HIDE),
	FA(WRPs, 20, PASS),
	FA(SEBEP, 24, HIDE),
	FA(CTX_CMPs, 28, PASS),
	FA(PMSVer, 32, HIDE),
	FA(DoubleLock, 36, PASS), /* 0b0000 implemented, 0b1111 not */
	FA(TraceFilt, 40, HIDE),
	FA(TraceBuffer, 44, HIDE),
	FA(MTPMU, 48, HIDE), /* no PMU: 0b0001 not permitted */
	FA(BRBE, 52, HIDE),
	FA(ExtTrcBuff, 56, HIDE),
	FA(HPMN0, 60, HIDE),
};

/* D24.2.84: instructions only, executed by the hardware at any level
 * (the EL2 forms of TLBI trap from a virtual EL2, HCR_EL2.NV, like the rest) */
static const struct id_field isar0[] = {
	FA(AES, 4, PASS),    FA(SHA1, 8, PASS),	   FA(SHA2, 12, PASS),
	FA(CRC32, 16, PASS), FA(Atomic, 20, PASS), FA(RDM, 28, PASS),
	FA(SHA3, 32, PASS),  FA(SM3, 36, PASS),	   FA(SM4, 40, PASS),
	FA(DP, 44, PASS),    FA(FHM, 48, PASS),	   FA(TS, 52, PASS),
	FA(TLB, 56, PASS),   FA(RNDR, 60, PASS),
};

/* D24.2.85. Pointer authentication: HCR_EL2.API/APK leave it to the
 * hardware; FEAT_PAuth_LR (0b0110) needs ID_AA64ISAR3_EL1.PACM, hidden.
 * Address authentication is hidden from a guest hypervisor: its ERETAA/
 * ERETAB trap (HCR_EL2.NV, D8.14.1) and hypnest does not authenticate
 * ELR_EL2 with its keys, so they would return to a signed address and
 * never report a failed check (FEAT_FPAC). Generic authentication goes
 * with it: A2.2 makes FEAT_PACIMP/PACQARMA5/PACQARMA3 (GPI, GPA, GPA3)
 * and FEAT_CONSTPACFIELD (PAC_frac) need FEAT_PAuth.
 * SPECRES: a guest hypervisor's CFP/DVP/CPP RCTX naming EL2 would run at
 * EL1. LS64: HCRX_EL2 enables, device memory. */
static const struct id_field isar1[] = {
	FA(DPB, 0, PASS),
	FN(APA, 4, CAP(5), HIDE),
	FN(API, 8, CAP(5), HIDE),
	FA(JSCVT, 12, PASS),
	FA(FCMA, 16, PASS),
	FA(LRCPC, 20, PASS),
	FN(GPA, 24, PASS, HIDE),
	FN(GPI, 28, PASS, HIDE),
	FA(FRINTTS, 32, PASS),
	FA(SB, 36, PASS),
	FN(SPECRES, 40, PASS, HIDE),
	FA(BF16, 44, PASS),
	FA(DGH, 48, PASS),
	FA(I8MM, 52, PASS),
	FA(XS, 56, PASS), /* TLBI nXS from vEL2: trapped, as TLBI */
	FA(LS64, 60, HIDE),
};

/* D24.2.86. WFxT: WFIT/WFET traps are not emulated; MOPS needs
 * HCRX_EL2.MSCEn; SYSREG_128/SYSINSTR_128 are FEAT_D128's; AT S1E2A from a
 * guest hypervisor is not emulated */
static const struct id_field isar2[] = {
	FA(WFxT, 0, HIDE),
	FA(RPRES, 4, PASS),
	FN(GPA3, 8, PASS, HIDE),
	FN(APA3, 12, CAP(5), HIDE),
	FA(MOPS, 16, HIDE),
	FA(BC, 20, PASS),
	FN(PAC_frac, 24, PASS, HIDE),
	FA(CLRBHB, 28, PASS),
	FA(SYSREG_128, 32, HIDE),
	FA(SYSINSTR_128, 36, HIDE),
	FA(PRFMSLC, 40, PASS),
	FA(PCDPHINT, 44, PASS),
	FA(RPRFM, 48, PASS),
	FA(CSSC, 52, PASS),
	FA(LUT, 56, PASS),
	FN(ATS1A, 60, PASS, HIDE),
};

/* D24.2.87. CPA needs SCTLR2_ELx, PACM goes with FEAT_PAuth_LR, TLBIW is
 * an EL2 instruction, OCCMO's operations are not reviewed */
static const struct id_field isar3[] = {
	FA(CPA, 0, HIDE),   FA(FAMINMAX, 4, PASS), FA(TLBIW, 8, HIDE),
	FA(PACM, 12, HIDE), FA(LSFE, 16, PASS),	   FA(OCCMO, 20, HIDE),
	FA(LSUI, 24, PASS), FA(FPRCVT, 28, PASS),
};

/* D24.2.88. PARange: the IPA size of hypnest's stage 2 (vm/vm.c).
 * Mixed endian: MMIO emulation assumes little-endian accesses. ExS:
 * hidden, so SCTLR_ELx.EIS/EOS are RES1, which is what hypnest's emulated
 * exception entries and returns are (its own SCTLR_EL2.EIS/EOS are set).
 * Stage-2 granules: none without EL2 (D24.2.88: "If EL2 is not implemented,
 * this field is 0b0000"); a guest hypervisor gets 4 KiB only, without
 * 52-bit addresses, and then no 16K/64K at stage 1 either: A2.2 wants
 * FEAT_S2TGran16K/64K wherever FEAT_TGran16K/64K and EL2 are. */
static const struct id_field mmfr0[] = {
	FA(PARange, 0, CAP(5)),
	FA(ASIDBits, 4, PASS),
	FA(BigEnd, 8, HIDE),
	FA(SNSMem, 12, PASS),
	FA(BigEndEL0, 16, HIDE),
	FN(TGran16, 20, PASS, HIDE),
	FN(TGran64, 24, PASS, NI(0xf)),
	FN(TGran4, 28, PASS, SCAP(0)), /* no 52-bit (FEAT_LPA2) */
	FN(TGran16_2, 32, HIDE, NI(1)),
	FN(TGran64_2, 36, HIDE, NI(1)),
	FN(TGran4_2, 40, HIDE, S2_4K),
	FA(ExS, 44, HIDE),
	FA(FGT, 56, HIDE),
	FA(ECV, 60, HIDE),
};

/* D24.2.89. Stage-1 features stay the hardware's for a guest at EL1; a
 * guest hypervisor does not get those that reach its stage 2 (HAFDBS: the
 * field covers VTCR_EL2.HA/HD too; HPDS2: VTCR_EL2.HWU; ETS), nor LORegions
 * (HCR_EL2.TLOR) or CMOW (SCTLR_EL2/HCRX_EL2.CMOW). HAFDBS at most 0b0010:
 * 0b0011 (FEAT_HAFT) is enabled in TCR2_EL1. HCX: no HCRX_EL2 for the
 * guest hypervisor, and none can exist without EL2 (A2.2). */
static const struct id_field mmfr1[] = {
	FN(HAFDBS, 0, CAP(2), HIDE), FA(VMIDBits, 4, PASS),
	F(VH, 8, HIDE, HIDE, PASS),  FN(HPDS, 12, PASS, CAP(1)),
	FN(LO, 16, PASS, HIDE),	     FA(PAN, 20, PASS),
	FA(SpecSEI, 24, PASS),	     FA(XNX, 28, HIDE),
	FA(TWED, 32, HIDE),	     FN(ETS, 36, PASS, HIDE),
	FA(HCX, 40, HIDE),	     FA(AFP, 44, PASS),
	FA(nTLBPA, 48, PASS),	     FA(TIDCP1, 52, PASS),
	FN(CMOW, 56, PASS, HIDE),    FA(ECBHB, 60, PASS),
};

/* D24.2.90. LSM is AArch32's, IESB needs FEAT_RAS (A2.2). For a guest
 * hypervisor: no FEAT_LVA (FEAT_LPA2 is hidden too), and nothing that
 * changes what its stage 2 may hold (ST, BBM, FWB). EVT: offered to a
 * guest hypervisor, whose HCR_EL2 TID4/TICAB/TOCU/TTLBIS/TTLBOS reach the
 * real HCR_EL2 while its vEL1/L2 runs and are forwarded (nv/hcr.c,
 * nv/forward.c); with it a KVM traps only ID group 4 (cache geometry), not
 * every CTR_EL0 read of its guest as TID2 would. 0 without EL2 (D24.2.90).
 * FEAT_NV: no recursion yet. */
static const struct id_field mmfr2[] = {
	FA(CnP, 0, PASS),
	FA(UAO, 4, PASS),
	FA(LSM, 8, HIDE),
	FA(IESB, 12, HIDE),
	FN(VARange, 16, CAP(1), HIDE), /* LVA3 (0b0010) needs D128 */
	FA(CCIDX, 20, PASS), /* CCSIDR_EL1 is read from the hardware */
	FA(NV, 24, HIDE),
	FN(ST, 28, PASS, HIDE),
	FA(AT, 32, PASS),
	FA(IDS, 36, PASS),
	FA(FWB, 40, HIDE),
	FA(TTL, 48, PASS),
	FN(BBM, 52, PASS, HIDE),
	FN(EVT, 56, HIDE, PASS),
	FA(E0PD, 60, PASS),
};

#define REG(crm, op2, n, f)                                                    \
	{                                                                      \
		.enc = SYSREG_ENC(3, 0, 0, crm, op2), .name = #n, .fields = f, \
		.nfields = ARRAY_SIZE(f)                                       \
	}
/* a register none of whose fields is offered: reads 0 */
#define REG0(crm, op2, n)                                                      \
	{                                                                      \
		.enc = SYSREG_ENC(3, 0, 0, crm, op2), .name = #n               \
	}

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

static unsigned field_value(uint8_t p, unsigned host, uint64_t host_reg)
{
	unsigned val = ID_POL_VAL(p);

	switch (ID_POL_KIND(p)) {
	case ID_PASS:
		return host;
	case ID_CAP:
		return host < val ? host : val;
	case ID_SCAP: /* 4-bit two's complement: 0x8..0xf are negative */
		return (host ^ 8) < (val ^ 8) ? host : val;
	case ID_S2_4K: { /* TGran4_2 [43:40], 0b0000: see TGran4 [31:28] */
		unsigned s2 = (unsigned)FIELD(host_reg, 43, 40);
		bool has = s2 ? s2 >= 2 : FIELD(host_reg, 31, 28) != 0xf;

		return has ? 2 : 1;
	}
	default:
		return val;
	}
}

uint64_t id_reg_sanitise(uint32_t enc, uint64_t host, enum id_view view)
{
	const struct id_reg *r = id_reg_find(enc);
	uint64_t out = 0;

	for (unsigned i = 0; r && i < r->nfields; i++) {
		const struct id_field *f = &r->fields[i];
		unsigned h = (unsigned)FIELD(host, f->lsb + 3, f->lsb);

		out |= (uint64_t)field_value(f->by[view], h, host) << f->lsb;
	}
	return out;
}
