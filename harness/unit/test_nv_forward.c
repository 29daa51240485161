/* nv/forward.c: which exits at vEL1/vEL0 go to the guest's vEL2, by its
 * virtual HCR_EL2, CPTR_EL2, MDCR_EL2, CNTHCTL_EL2 (and, at a vEL0 with
 * TGE, its SCTLR_EL1). Every rule is exercised both ways: the control that
 * asks for the trap, and the one that does not. ESR values, encodings and
 * bit positions are written out from the Arm ARM (D24.2.46 ESR_EL2,
 * D24.2.62 HCR_EL2, D24.2.38 CPTR_EL2, D24.3.17 MDCR_EL2, D24.10.2
 * CNTHCTL_EL2, D24.2.175 SCTLR_EL1). */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "fake_sysregs.h"
#include "hyp/vcpu.h"
#include "unit.h"

static struct vcpu v;

#define VBAR2 0x40080000UL
#define PC 0x40201000UL
/* HCR_EL2 */
#define IMO BIT(4)
#define FMO BIT(3)
#define TWI BIT(13)
#define TWE BIT(14)
#define TID1 BIT(16)
#define TID2 BIT(17)
#define TID3 BIT(18)
#define TIDCP BIT(20)
#define TACR BIT(21)
#define TSW BIT(22)
#define TPCP BIT(23)
#define TPU BIT(24)
#define TTLB BIT(25)
#define TVM BIT(26)
#define TGE BIT(27)
#define TDZ BIT(28)
#define TRVM BIT(30)
#define E2H BIT(34)
#define TLOR BIT(35)
#define APK BIT(40)
#define API BIT(41)
#define TID4 BIT(49)
#define TICAB BIT(50)
#define TOCU BIT(52)
#define TTLBIS BIT(54)
#define TTLBOS BIT(55)

/* EC 0x01, IL, ISS.TI: 0 WFI, 1 WFE, 2 WFIT, 3 WFET */
#define ESR_WFX(ti) ((0x01UL << 26) | (1UL << 25) | (ti))
#define ESR_WFI ESR_WFX(0)
#define ESR_WFE ESR_WFX(1)
/* EC 0x18, IL, ISS: Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10] Rt[9:5]
 * CRm[4:1] Direction[0] (1 = read) */
#define ESR_SYS(op0, op1, crn, crm, op2, rt, rd)                               \
	((0x18UL << 26) | (1UL << 25) | ((uint64_t)(op0) << 20) |              \
	 ((uint64_t)(op2) << 17) | ((uint64_t)(op1) << 14) |                   \
	 ((uint64_t)(crn) << 10) | ((uint64_t)(rt) << 5) |                     \
	 ((uint64_t)(crm) << 1) | (rd))
#define RD(op0, op1, crn, crm, op2) ESR_SYS(op0, op1, crn, crm, op2, 3, 1)
#define WR(op0, op1, crn, crm, op2) ESR_SYS(op0, op1, crn, crm, op2, 3, 0)
#define SYS(op1, crn, crm, op2) ESR_SYS(1, op1, crn, crm, op2, 31, 0)
#define ESR_RD_PFR0 RD(3, 0, 0, 4, 0) /* ID_AA64PFR0_EL1 */
#define ESR_WR_SCTLR WR(3, 0, 1, 0, 0)
#define ESR_RD_SCTLR RD(3, 0, 1, 0, 0)
#define ESR_WR_CTXID WR(3, 0, 13, 0, 1) /* CONTEXTIDR_EL1 */
#define ESR_WR_TPIDR WR(3, 0, 13, 0, 4) /* TPIDR_EL1: not a VM register */
#define ESR_TLBI_VMALLE1 SYS(0, 8, 7, 0)
/* other classes */
#define ESR_PAC (0x09UL << 26 | 1UL << 25)     /* EC 0x09 */
#define ESR_FP (0x07UL << 26 | 1UL << 25)      /* EC 0x07 */
#define ESR_SVC (0x15UL << 26 | 1UL << 25 | 7) /* SVC #7 */
#define ESR_UNDEF (1UL << 25)		       /* EC 0x00 */
/* EC 0x24, IL, ISV = 0: WnR, FSC alignment / level 3 translation */
#define ESR_DABT_ALIGN (0x24UL << 26 | 1UL << 25 | 1UL << 6 | 0x21)
#define ESR_DABT_XLATE (0x24UL << 26 | 1UL << 25 | 1UL << 6 | 0x07)

enum level { VEL1, VEL0 };

static void at(enum level l, uint64_t hcr)
{
	memset(&v, 0, sizeof(v));
	memset(fake_el1, 0, sizeof(fake_el1));
	nv_reset(&v, true);
	vcpu_vncr(&v, VNCR_HCR_EL2) = hcr;
	vcpu_write_sys_reg(&v, SYSREG_VBAR_EL2, VBAR2);
	v.regs.pstate = l == VEL1 ? 0x3c5 : 0x0; /* EL1h / EL0t */
	v.regs.pc = PC;
}

static void at_vel1(uint64_t hcr)
{
	at(VEL1, hcr);
}

/* the guest's EL2 control register enc (its stored copy at vEL1) */
static void el2(uint32_t enc, uint64_t val)
{
	vcpu_write_sys_reg(&v, enc, val);
}

/* forwarded: now at vEL2's "lower EL, AArch64, synchronous" vector, with
 * ESR_EL2 the exit's syndrome and ELR_EL2 the trapped instruction */
static void check_forwarded(uint64_t esr)
{
	CHECK(v.nv.in_vel2);
	CHECK_EQ(v.regs.pc, VBAR2 + 0x400);
	CHECK_EQ(vcpu_read_sys_reg(&v, SYSREG_ESR_EL2), esr);
	CHECK_EQ(vcpu_read_sys_reg(&v, SYSREG_ELR_EL2), PC);
}

static void check_kept(void)
{
	CHECK(!v.nv.in_vel2);
	CHECK_EQ(v.regs.pc, PC);
}

/* at level l with the guest's HCR_EL2 = hcr, esr goes to vEL2 (checked
 * in full) */
static void yes(enum level l, uint64_t hcr, uint64_t esr)
{
	at(l, hcr);
	CHECK(nv_forward(&v, esr));
	check_forwarded(esr);
}

static void no(enum level l, uint64_t hcr, uint64_t esr)
{
	at(l, hcr);
	CHECK(!nv_forward(&v, esr));
	check_kept();
}

TEST(wfi_goes_to_vel2_only_with_twi)
{
	yes(VEL1, TWI, ESR_WFI);
	yes(VEL1, TWI, ESR_WFX(2)); /* WFIT */
	yes(VEL0, TWI, ESR_WFI);    /* EL0 too */
	no(VEL1, TWE, ESR_WFI);
	no(VEL1, 0, ESR_WFI);
	no(VEL0, 0, ESR_WFI);
}

TEST(wfe_goes_to_vel2_only_with_twe)
{
	yes(VEL1, TWE, ESR_WFE);
	yes(VEL1, TWE, ESR_WFX(3)); /* WFET */
	yes(VEL0, TWE, ESR_WFE);
	no(VEL1, TWI, ESR_WFE);
	no(VEL1, TWI, ESR_WFX(3));
}

TEST(id_group1_reads_with_tid1)
{
	yes(VEL1, TID1, RD(3, 0, 0, 0, 6)); /* REVIDR_EL1 */
	yes(VEL1, TID1, RD(3, 1, 0, 0, 7)); /* AIDR_EL1 */
	no(VEL1, TID1, RD(3, 0, 0, 0, 0));  /* MIDR_EL1: none of TID1's */
	no(VEL1, TID3 | TID2, RD(3, 0, 0, 0, 6));
}

TEST(id_group2_with_tid2_and_group4_with_tid4)
{
	yes(VEL1, TID2, RD(3, 3, 0, 0, 1)); /* CTR_EL0 */
	yes(VEL0, TID2, RD(3, 3, 0, 0, 1)); /* CTR_EL0 from EL0 too */
	yes(VEL1, TID2, RD(3, 1, 0, 0, 0)); /* CCSIDR_EL1 */
	yes(VEL1, TID2, RD(3, 1, 0, 0, 2)); /* CCSIDR2_EL1 */
	yes(VEL1, TID2, RD(3, 1, 0, 0, 1)); /* CLIDR_EL1 */
	yes(VEL1, TID2, RD(3, 2, 0, 0, 0)); /* CSSELR_EL1 read */
	yes(VEL1, TID2, WR(3, 2, 0, 0, 0)); /* ... and write */
	no(VEL1, TID2, RD(3, 3, 0, 0, 7));  /* DCZID_EL0: not group 2 */
	yes(VEL1, TID4, RD(3, 1, 0, 0, 0));
	yes(VEL1, TID4, WR(3, 2, 0, 0, 0));
	no(VEL1, TID4, RD(3, 3, 0, 0, 1)); /* CTR_EL0 is group 2 only */
	no(VEL1, TID3, RD(3, 1, 0, 0, 0));
}

/* a control of a feature the guest hypervisor is not offered is RES0 for
 * it: its 1 forwards nothing (FEAT_EVT's TID4, TTLBIS; FEAT_LOR's TLOR) */
TEST(controls_of_features_not_offered_forward_nothing)
{
	fake_hcr_implemented = ~(TID4 | TTLBIS | TLOR);
	no(VEL1, TID4, RD(3, 1, 0, 0, 0));
	no(VEL1, TTLBIS, SYS(0, 8, 3, 0));
	no(VEL1, TLOR, RD(3, 0, 10, 4, 3));
	yes(VEL1, TID2, RD(3, 1, 0, 0, 0)); /* others unaffected */
	fake_hcr_implemented = ~0UL;
}

TEST(id_group3_reads_with_tid3)
{
	yes(VEL1, TID3, ESR_RD_PFR0);
	yes(VEL1, TID3, RD(3, 0, 0, 1, 0)); /* ID_PFR0_EL1: CRm 1 */
	yes(VEL1, TID3, RD(3, 0, 0, 2, 5)); /* CRm 2 */
	yes(VEL1, TID3, RD(3, 0, 0, 3, 7)); /* CRm 3 */
	yes(VEL1, TID3, RD(3, 0, 0, 7, 3)); /* CRm 7: ID_AA64MMFR3_EL1 */
	no(VEL1, TID3, RD(3, 0, 0, 0, 0));  /* CRm 0: MIDR_EL1 */
	no(VEL1, TID3, RD(3, 0, 0, 8, 0));  /* CRm 8 */
	no(VEL1, TID3, RD(3, 1, 0, 4, 0));  /* op1 1 */
	no(VEL1, TID3, WR(3, 0, 0, 4, 0));  /* reads only */
	no(VEL1, 0, ESR_RD_PFR0);
	no(VEL0, TID3, ESR_RD_PFR0); /* EL1 reads only */
}

TEST(vm_register_writes_with_tvm_reads_with_trvm)
{
	yes(VEL1, TVM, ESR_WR_SCTLR);
	yes(VEL1, TVM, ESR_WR_CTXID);
	yes(VEL1, TVM, WR(3, 0, 10, 3, 0)); /* AMAIR_EL1 */
	no(VEL1, TVM, ESR_RD_SCTLR);	    /* TVM: writes only */
	no(VEL1, TVM, ESR_WR_TPIDR);	    /* not a VM register */
	yes(VEL1, TRVM, ESR_RD_SCTLR);
	yes(VEL1, TRVM, RD(3, 0, 6, 0, 0)); /* FAR_EL1 */
	no(VEL1, TRVM, ESR_WR_SCTLR);
}

TEST(impdef_with_tidcp)
{
	yes(VEL1, TIDCP, RD(3, 0, 15, 0, 0));
	yes(VEL1, TIDCP, WR(3, 7, 11, 5, 3));
	yes(VEL1, TIDCP, SYS(2, 15, 3, 1)); /* IMPDEF SYS instruction */
	yes(VEL1, TIDCP, SYS(0, 11, 0, 0));
	yes(VEL0, TIDCP, RD(3, 3, 15, 2, 0));
	no(VEL1, TIDCP, RD(3, 0, 10, 0, 0)); /* CRn 10, 14: architected */
	no(VEL1, TIDCP, RD(3, 0, 14, 0, 0));
	no(VEL1, TIDCP, RD(2, 0, 15, 0, 0)); /* op0 2: debug space */
	no(VEL1, 0, RD(3, 0, 15, 0, 0));
}

TEST(actlr_with_tacr)
{
	yes(VEL1, TACR, RD(3, 0, 1, 0, 1));
	yes(VEL1, TACR, WR(3, 0, 1, 0, 1));
	no(VEL1, TIDCP, RD(3, 0, 1, 0, 1));
}

TEST(cache_maintenance_tsw_tpcp_tpu_tocu_ticab_tdz)
{
	yes(VEL1, TSW, SYS(0, 7, 6, 2));  /* DC ISW */
	yes(VEL1, TSW, SYS(0, 7, 14, 2)); /* DC CISW */
	no(VEL1, TSW, SYS(3, 7, 14, 1));  /* DC CIVAC */
	yes(VEL1, TPCP, SYS(3, 7, 14, 1));
	yes(VEL0, TPCP, SYS(3, 7, 10, 1)); /* DC CVAC at EL0 */
	yes(VEL1, TPCP, SYS(0, 7, 6, 1));  /* DC IVAC */
	yes(VEL1, TPCP, SYS(3, 7, 12, 1)); /* DC CVAP */
	no(VEL1, TPCP, SYS(3, 7, 11, 1));  /* DC CVAU: PoU */
	yes(VEL1, TPU, SYS(3, 7, 5, 1));   /* IC IVAU */
	yes(VEL1, TPU, SYS(0, 7, 1, 0));   /* IC IALLUIS */
	yes(VEL0, TPU, SYS(3, 7, 11, 1));  /* DC CVAU */
	yes(VEL1, TOCU, SYS(0, 7, 5, 0));  /* IC IALLU */
	no(VEL1, TOCU, SYS(0, 7, 1, 0));   /* IC IALLUIS: TICAB's */
	yes(VEL1, TICAB, SYS(0, 7, 1, 0));
	no(VEL1, TICAB, SYS(0, 7, 5, 0));
	yes(VEL1, TDZ, SYS(3, 7, 4, 1)); /* DC ZVA */
	yes(VEL0, TDZ, SYS(3, 7, 4, 1));
	no(VEL1, TPCP | TPU | TSW, SYS(3, 7, 4, 1));
}

TEST(tlb_maintenance_ttlb_ttlbis_ttlbos)
{
	yes(VEL1, TTLB, ESR_TLBI_VMALLE1);
	yes(VEL1, TTLB, SYS(0, 8, 3, 1)); /* TLBI VAE1IS */
	yes(VEL1, TTLB, SYS(0, 9, 7, 0)); /* TLBI VMALLE1NXS */
	no(VEL1, TVM | TRVM | TID3 | TWI | TWE | TACR | TIDCP,
	   ESR_TLBI_VMALLE1);
	yes(VEL1, TTLBIS, SYS(0, 8, 3, 0)); /* VMALLE1IS */
	yes(VEL1, TTLBIS, SYS(0, 8, 2, 1)); /* RVAE1IS */
	yes(VEL1, TTLBIS, SYS(0, 9, 3, 0)); /* VMALLE1ISNXS */
	no(VEL1, TTLBIS, ESR_TLBI_VMALLE1);
	no(VEL1, TTLBIS, SYS(0, 8, 1, 0)); /* VMALLE1OS */
	yes(VEL1, TTLBOS, SYS(0, 8, 1, 0));
	yes(VEL1, TTLBOS, SYS(0, 8, 5, 1)); /* RVAE1OS */
	no(VEL1, TTLBOS, SYS(0, 8, 3, 0));
}

TEST(lor_registers_with_tlor)
{
	yes(VEL1, TLOR, RD(3, 0, 10, 4, 3)); /* LORC_EL1 */
	yes(VEL1, TLOR, WR(3, 0, 10, 4, 0)); /* LORSA_EL1 */
	yes(VEL1, TLOR, RD(3, 0, 10, 4, 7)); /* LORID_EL1 */
	no(VEL1, 0, RD(3, 0, 10, 4, 3));
}

/* API and APK trap when 0 */
TEST(pointer_auth_traps_when_api_apk_clear)
{
	yes(VEL1, 0, ESR_PAC);
	yes(VEL0, APK, ESR_PAC);
	no(VEL1, API, ESR_PAC);
	no(VEL1, API | APK, ESR_PAC);
	yes(VEL1, API, WR(3, 0, 2, 1, 0)); /* APIAKeyLo_EL1 */
	yes(VEL1, API, RD(3, 0, 2, 3, 1)); /* APGAKeyHi_EL1 */
	yes(VEL1, 0, WR(3, 0, 2, 2, 2));   /* APDBKeyLo_EL1 */
	no(VEL1, APK, WR(3, 0, 2, 1, 0));
	no(VEL1, API, WR(3, 0, 2, 0, 0)); /* TTBR0_EL1 */
}

/* CPTR_EL2: TFP with E2H = 0; FPEN (bits 21:20) with E2H = 1, where
 * 0b00 and 0b10 trap EL1 and EL0, 0b01 only EL0 under TGE, 0b11 none */
TEST(cptr_fp_follows_the_e2h_layout)
{
	at_vel1(0);
	el2(SYSREG_CPTR_EL2, BIT(10));
	CHECK(nv_forward(&v, ESR_FP));
	check_forwarded(ESR_FP);
	at_vel1(0);
	el2(SYSREG_CPTR_EL2, 3UL << 20); /* E2H = 0: bits 21:20 are RES0 */
	CHECK(!nv_forward(&v, ESR_FP));
	at_vel1(0);
	el2(SYSREG_CPTR_EL2, 0);
	CHECK(!nv_forward(&v, ESR_FP));

	at_vel1(E2H);
	el2(SYSREG_CPTR_EL2, 0); /* FPEN 0b00 */
	CHECK(nv_forward(&v, ESR_FP));
	check_forwarded(ESR_FP);
	at_vel1(E2H);
	el2(SYSREG_CPTR_EL2, 2UL << 20); /* 0b10 */
	CHECK(nv_forward(&v, ESR_FP));
	at_vel1(E2H);
	el2(SYSREG_CPTR_EL2, 1UL << 20); /* 0b01: EL0 with TGE only */
	CHECK(!nv_forward(&v, ESR_FP));
	at(VEL0, E2H);
	el2(SYSREG_CPTR_EL2, 1UL << 20);
	CHECK(!nv_forward(&v, ESR_FP));
	at_vel1(E2H);
	el2(SYSREG_CPTR_EL2, (3UL << 20) | BIT(10)); /* TFP: E2H = 0 only */
	CHECK(!nv_forward(&v, ESR_FP));
}

TEST(cptr_tcpac_traps_cpacr)
{
	uint64_t e2h[] = { 0, E2H };

	for (unsigned i = 0; i < 2; i++) {
		at_vel1(e2h[i]);
		el2(SYSREG_CPTR_EL2, BIT(31) | (3UL << 20));
		CHECK(nv_forward(&v, WR(3, 0, 1, 0, 2)));
		check_forwarded(WR(3, 0, 1, 0, 2));
		at_vel1(e2h[i]);
		el2(SYSREG_CPTR_EL2, 3UL << 20);
		CHECK(!nv_forward(&v, RD(3, 0, 1, 0, 2)));
	}
}

/* MDCR_EL2: TDA, TDOSA, TDRA, each also by TDE */
TEST(mdcr_debug_traps)
{
	static const struct {
		uint64_t mdcr, esr;
		bool fwd;
	} c[] = {
		{ BIT(9), RD(2, 0, 0, 2, 2), true },   /* TDA: MDSCR_EL1 */
		{ BIT(8), WR(2, 0, 0, 2, 2), true },   /* TDE alone */
		{ BIT(9), WR(2, 0, 0, 5, 4), true },   /* DBGBVR5_EL1 */
		{ BIT(9), WR(2, 0, 0, 15, 7), true },  /* DBGWCR15_EL1 */
		{ BIT(9), RD(2, 3, 0, 1, 0), true },   /* MDCCSR_EL0 */
		{ BIT(9), RD(2, 0, 7, 14, 6), true },  /* DBGAUTHSTATUS */
		{ BIT(9), WR(2, 0, 1, 0, 4), false },  /* OSLAR: TDOSA's */
		{ BIT(10), WR(2, 0, 1, 0, 4), true },  /* TDOSA: OSLAR */
		{ BIT(10), RD(2, 0, 1, 4, 4), true },  /* DBGPRCR_EL1 */
		{ BIT(8), RD(2, 0, 1, 1, 4), true },   /* OSLSR by TDE */
		{ BIT(10), RD(2, 0, 0, 2, 2), false }, /* MDSCR: TDA's */
		{ BIT(11), RD(2, 0, 1, 0, 0), true },  /* TDRA: MDRAR */
		{ BIT(9) | BIT(10), RD(2, 0, 1, 0, 0), false },
		{ 0, RD(2, 0, 0, 2, 2), false },
		{ BIT(6) | BIT(5), RD(2, 0, 0, 2, 2), false }, /* TPM, TPMCR */
	};

	for (unsigned i = 0; i < ARRAY_SIZE(c); i++) {
		at_vel1(0);
		el2(SYSREG_MDCR_EL2, c[i].mdcr);
		if (nv_forward(&v, c[i].esr) != c[i].fwd)
			unit_fail(__FILE__, __LINE__, "case %u: MDCR 0x%lx", i,
				  (unsigned long)c[i].mdcr);
		if (c[i].fwd)
			check_forwarded(c[i].esr);
		else
			check_kept();
	}
}

/* CNTHCTL_EL2: EL1PCTEN/EL1PCEN at bits 0/1 with E2H = 0, EL1PCTEN/
 * EL1PTEN at bits 10/11 with E2H = 1; a trap when the enable is 0 */
TEST(cnthctl_traps_when_clear_by_e2h_layout)
{
	const uint64_t cntpct = RD(3, 3, 14, 0, 1);
	const uint64_t cntp_ctl = WR(3, 3, 14, 2, 1);

	at_vel1(0);
	el2(SYSREG_CNTHCTL_EL2, 0);
	CHECK(nv_forward(&v, cntpct));
	check_forwarded(cntpct);
	at_vel1(0);
	el2(SYSREG_CNTHCTL_EL2, 1);
	CHECK(!nv_forward(&v, cntpct));
	at_vel1(0);
	el2(SYSREG_CNTHCTL_EL2, 1);
	CHECK(nv_forward(&v, cntp_ctl)); /* EL1PCEN still 0 */
	at(VEL0, 0);
	el2(SYSREG_CNTHCTL_EL2, 2);
	CHECK(!nv_forward(&v, cntp_ctl));
	at_vel1(0);
	el2(SYSREG_CNTHCTL_EL2, 3UL << 10); /* E2H = 1 bits: not these */
	CHECK(nv_forward(&v, cntpct));

	at_vel1(E2H);
	el2(SYSREG_CNTHCTL_EL2, 3); /* the E2H = 0 bits: no enable here */
	CHECK(nv_forward(&v, cntpct));
	check_forwarded(cntpct);
	at_vel1(E2H);
	el2(SYSREG_CNTHCTL_EL2, BIT(10));
	CHECK(!nv_forward(&v, cntpct));
	at_vel1(E2H);
	el2(SYSREG_CNTHCTL_EL2, BIT(10));
	CHECK(nv_forward(&v, cntp_ctl));
	at_vel1(E2H);
	el2(SYSREG_CNTHCTL_EL2, BIT(11));
	CHECK(!nv_forward(&v, cntp_ctl));
	at_vel1(E2H);
	el2(SYSREG_CNTHCTL_EL2, BIT(11));
	CHECK(!nv_forward(&v, WR(3, 3, 14, 3, 1))); /* CNTV_CTL_EL0 */
}

TEST(nothing_is_forwarded_at_vel2)
{
	at_vel1(~0UL & ~E2H & ~TGE);
	nv_enter_vel2(&v);
	CHECK(!nv_forward(&v, ESR_WFI));
	CHECK(!nv_forward(&v, ESR_RD_PFR0));
	CHECK(!nv_irq_to_vel2(&v));
	CHECK(!nv_fiq_to_vel2(&v));
}

/* vEL0 in the guest's EL2&0 regime ({E2H, TGE} = {1, 1}, the vEL2
 * context loaded): HCR_EL2.TWI/TWE have Effective value 0 there
 * (D24.2.62; AArch64.CheckForWFxTrap tests them only when !IsInHost()),
 * so a WFI that reaches hypnest (its own TWI) is hypnest's: it idles */
TEST(el2_host_vel0_wfx_is_not_forwarded_by_twi)
{
	at(VEL0, E2H | TGE | TWI | TWE);
	nv_enter_vel2(&v);
	v.regs.pstate = 0;
	CHECK(!nv_forward(&v, ESR_WFI));
	CHECK(!nv_forward(&v, ESR_WFE));
	CHECK(v.nv.in_vel2);
	CHECK_EQ(v.regs.pc, PC);
}

/* vEL0 with {E2H, TGE} = {0, 1}: no EL1, its exceptions go to vEL2 */
TEST(tge_vel0_exceptions_go_to_vel2)
{
	yes(VEL0, TGE, ESR_SVC); /* ELR: the real one, after the SVC */
	CHECK_EQ(vcpu_read_sys_reg(&v, SYSREG_SPSR_EL2) & 0xf, 0); /* EL0t */
	yes(VEL0, TGE, ESR_UNDEF);
	yes(VEL0, TGE, (0x3cUL << 26) | (1UL << 25) | 5); /* BRK #5 */
	yes(VEL0, TGE, (0x07UL << 26) | (1UL << 25));	  /* CPACR_EL1 FP */
	yes(VEL0, TGE, RD(3, 3, 0, 0, 1)); /* trapped to EL1 (UCT = 0) */
	/* not at vEL0 below a vEL1 (TGE = 0), nor at vEL1, nor with E2H */
	no(VEL0, 0, ESR_SVC);
	no(VEL1, 0, ESR_UNDEF);
	no(VEL1, TGE, ESR_SVC);
	no(VEL0, TGE | E2H, ESR_SVC); /* (never there: EL2&0 is in_vel2) */
}

TEST(tge_vel0_alignment_fault_with_far_stage2_fault_kept)
{
	fake_far_el2 = 0x4000abc1;
	yes(VEL0, TGE, ESR_DABT_ALIGN);
	CHECK_EQ(vcpu_read_sys_reg(&v, SYSREG_FAR_EL2), 0x4000abc1);
	no(VEL0, TGE, ESR_DABT_XLATE); /* a stage 2 fault: hypnest's */
}

/* a WFI/WFE at vEL0 with TGE: the guest's SCTLR_EL1.nTWI/nTWE = 0 traps
 * it to EL1, which TGE routes to EL2; its TWI/TWE to EL2; otherwise the
 * trap was hypnest's own (it idles) */
TEST(tge_vel0_wfx_by_sctlr_el1_or_twi)
{
	at(VEL0, TGE);
	fake_el1[NV_EL1_SCTLR] = BIT(18); /* nTWI = 0, nTWE = 1 */
	CHECK(nv_forward(&v, ESR_WFI));
	check_forwarded(ESR_WFI);
	at(VEL0, TGE);
	fake_el1[NV_EL1_SCTLR] = BIT(18);
	CHECK(!nv_forward(&v, ESR_WFE));
	check_kept();
	at(VEL0, TGE);
	fake_el1[NV_EL1_SCTLR] = BIT(16);
	CHECK(nv_forward(&v, ESR_WFE));
	at(VEL0, TGE);
	fake_el1[NV_EL1_SCTLR] = BIT(16) | BIT(18);
	CHECK(!nv_forward(&v, ESR_WFI));
	at(VEL0, TGE | TWI);
	fake_el1[NV_EL1_SCTLR] = BIT(16) | BIT(18);
	CHECK(nv_forward(&v, ESR_WFI));
	/* the SCTLR_EL1 rows are TGE's only: at vEL1 the trap is to EL1 */
	at(VEL1, 0);
	fake_el1[NV_EL1_SCTLR] = 0;
	CHECK(!nv_forward(&v, ESR_WFI));
}

/* an EL0 IMPDEF access that hypnest's TIDCP trapped (IMPLEMENTATION
 * DEFINED): UNDEFINED for a guest whose TIDCP is 0 */
TEST(tge_vel0_impdef_is_undef_without_tidcp)
{
	at(VEL0, TGE);
	CHECK(nv_forward(&v, RD(3, 3, 15, 0, 0)));
	check_forwarded(ESR_UNDEF);
	yes(VEL0, TGE | TIDCP, RD(3, 3, 15, 0, 0));
}

TEST(interrupts_route_to_vel2_with_imo_fmo)
{
	at_vel1(IMO);
	CHECK(nv_irq_to_vel2(&v));
	CHECK(!nv_fiq_to_vel2(&v));
	at_vel1(FMO);
	CHECK(!nv_irq_to_vel2(&v));
	CHECK(nv_fiq_to_vel2(&v));
	at_vel1(0);
	CHECK(!nv_irq_to_vel2(&v));
	at(VEL0, TGE);
	CHECK(nv_irq_to_vel2(&v));
	CHECK(nv_fiq_to_vel2(&v));
}

/* IHI 0069: ICC_SGI1R_EL1 / ICC_ASGI1R_EL1 writes at EL1 trap to EL2 with
 * IMO, ICC_SGI0R_EL1 with FMO; never at vEL0 (they are EL1's) */
TEST(sgi_writes_with_imo_fmo)
{
	uint64_t sgi1r = WR(3, 0, 12, 11, 5), asgi1r = WR(3, 0, 12, 11, 6);
	uint64_t sgi0r = WR(3, 0, 12, 11, 7);

	yes(VEL1, IMO, sgi1r);
	yes(VEL1, IMO, asgi1r);
	no(VEL1, IMO, sgi0r);
	yes(VEL1, FMO, sgi0r);
	no(VEL1, FMO, sgi1r);
	no(VEL1, 0, sgi1r);
	no(VEL1, 0, sgi0r);
	no(VEL0, IMO | FMO, sgi1r);
}

TEST(not_nested_nothing_happens)
{
	at_vel1(TWI);
	v.nv.enabled = false;
	CHECK(!nv_forward(&v, ESR_WFI));
	CHECK(!nv_irq_to_vel2(&v));
}
