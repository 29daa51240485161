/* A guest hypervisor: the test runs at EL2 (a virtual EL2 under hypnest,
 * the real one on bare QEMU with virtualization=on) as an nVHE (VHE 0) or
 * VHE (VHE 1, the test sets HCR_EL2.E2H) hypervisor would, and checks:
 * CurrentEL; that the EL2 registers (and, through *_EL1 / *_EL12, the EL1
 * ones) keep what is written to them, compared under masks of the fields
 * the Arm ARM defines as read/write; that the EL1 and EL2 copies are
 * distinct; its own stage-1 MMU at EL2 (identity map plus an alias);
 * exceptions taken at EL2 and an ERET from EL2 to EL2; a vEL1 payload
 * entered by ERET whose HVCs reach the lower-EL vector, whose EL1
 * registers do not leak into EL2, and whose access to an EL2 register is
 * UNDEFINED at EL1. Included by vel2_nvhe.c and vel2_vhe.c, which define
 * VHE; header-only (the Makefile links a fixed library). */
#ifndef GT_VEL2_H
#define GT_VEL2_H
#include "payload.h"

#ifndef VHE
#error "define VHE (0 or 1) before including vel2.h"
#endif

/* FEAT_VHE registers (encodings: the toolchain's default -march does not
 * know them; RD/WR expand the name first) */
#define sctlr_el12 s3_5_c1_c0_0
#define cpacr_el12 s3_5_c1_c0_2
#define ttbr0_el12 s3_5_c2_c0_0
#define ttbr1_el12 s3_5_c2_c0_1
#define tcr_el12 s3_5_c2_c0_2
#define spsr_el12 s3_5_c4_c0_0
#define elr_el12 s3_5_c4_c0_1
#define afsr0_el12 s3_5_c5_c1_0
#define afsr1_el12 s3_5_c5_c1_1
#define esr_el12 s3_5_c5_c2_0
#define far_el12 s3_5_c6_c0_0
#define mair_el12 s3_5_c10_c2_0
#define amair_el12 s3_5_c10_c3_0
#define vbar_el12 s3_5_c12_c0_0
#define contextidr_el12 s3_5_c13_c0_1
#define cntkctl_el12 s3_5_c14_c1_0
#define cntp_ctl_el02 s3_5_c14_c2_1
#define cntp_cval_el02 s3_5_c14_c2_2
#define cntv_ctl_el02 s3_5_c14_c3_1
#define cntv_cval_el02 s3_5_c14_c3_2
#define ttbr1_el2 s3_4_c2_c0_1
#define contextidr_el2 s3_4_c13_c0_1
#define cnthv_ctl_el2 s3_4_c14_c3_1
#define cnthv_cval_el2 s3_4_c14_c3_2

/* EL1(r): the EL1 register r_el1 as seen from EL2; EL2W(r): a name that
 * writes r_el2 (with E2H = 1, r_el1 at EL2 is r_el2) */
#if VHE
#define FLAVOUR "vhe"
#define EL1(r) r##_el12
#define EL1SUF "_el12"
#define EL02(r) r##_el02
#define EL02SUF "_el02"
#define EL2W(r) r##_el1
#define EL2WSUF "_el1"
#else
#define FLAVOUR "nvhe"
#define EL1(r) r##_el1
#define EL1SUF "_el1"
#define EL02(r) r##_el0
#define EL02SUF "_el0"
#define EL2W(r) r##_el2
#define EL2WSUF "_el2"
#endif

/* HCR_EL2 */
#define HCR_FMO BIT(3)
#define HCR_IMO BIT(4)
#define HCR_AMO BIT(5)
#define HCR_TWI BIT(13)
#define HCR_TWE BIT(14)
#define HCR_TID1 BIT(16)
#define HCR_TID2 BIT(17)
#define HCR_TID3 BIT(18)
#define HCR_TSC BIT(19)
#define HCR_TIDCP BIT(20)
#define HCR_TACR BIT(21)
#define HCR_TSW BIT(22)
#define HCR_TTLB BIT(25)
#define HCR_TVM BIT(26)
#define HCR_TGE BIT(27)
#define HCR_TDZ BIT(28)
#define HCR_TRVM BIT(30)
#define HCR_BASE (HCR_RW | (VHE ? HCR_E2H : 0))

/* SCTLR_ELx */
#define SCTLR_M BIT(0)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_SA0 BIT(4)
#define SCTLR_I BIT(12)
#define SCTLR_NTWI BIT(16)
#define SCTLR_NTWE BIT(18)
#define SCTLR_WXN BIT(19)
#define SPSR_EL2H 0x3c9UL

#define EC_UNKNOWN 0x00
#define EC_SVC64 0x15
#define EC_BRK 0x3c

extern char gt_vectors[], gt_vectors_el2[];
extern char __image_start[], __image_end[];

/* what this CPU (as the guest sees it) implements, from the ID registers */
static struct {
	bool vh, pmu, tgran64, aa32el1;
	unsigned parange, ps; /* ps: a valid {I}PS value, at most 48 bits */
	unsigned nr_lr, pribits, prebits;
	uint64_t prmask; /* the implemented bits of an 8-bit priority */
} id;

static void rt_report(const char *name, uint64_t mask, uint64_t a, uint64_t ra,
		      uint64_t b, uint64_t rb)
{
	char what[64];

	hyp_snprintf(what, sizeof(what), "%s round trip", name);
	gt_check(((ra ^ a) & mask) == 0 && ((rb ^ b) & mask) == 0, what,
		 "mask 0x%lx: wrote 0x%lx read 0x%lx, wrote 0x%lx read 0x%lx",
		 (unsigned long)mask, (unsigned long)a, (unsigned long)ra,
		 (unsigned long)b, (unsigned long)rb);
}

/* Round trip: two values a and b (bits of mask only; the rest of the
 * register keeps what it held, so RES1 / RES0 bits are written as read),
 * each read back under mask; then the old value back. */
#define RTN(name, reg, mask, a, b)                                             \
	do {                                                                   \
		const uint64_t m_ = (mask), a_ = (a)&m_, b_ = (b)&m_;          \
		uint64_t o_, ra_, rb_;                                         \
		gt_where = name;                                               \
		o_ = RD(reg);                                                  \
		WR(reg, (o_ & ~m_) | a_);                                      \
		isb();                                                         \
		ra_ = RD(reg);                                                 \
		WR(reg, (o_ & ~m_) | b_);                                      \
		isb();                                                         \
		rb_ = RD(reg);                                                 \
		WR(reg, o_);                                                   \
		isb();                                                         \
		gt_where = NULL;                                               \
		rt_report(name, m_, a_, ra_, b_, rb_);                         \
	} while (0)
#define RT(reg, mask, a, b) RTN(#reg, reg, mask, a, b)
#define RT1(r, mask, a, b) RTN(#r EL1SUF, EL1(r), mask, a, b)
#define RT02(r, mask, a, b) RTN(#r EL02SUF, EL02(r), mask, a, b)

/* IMPLEMENTATION DEFINED registers: read and write back, no exception */
#define NOFAULTN(name, reg)                                                    \
	do {                                                                   \
		uint64_t o_;                                                   \
		bool f_;                                                       \
		gt_expect_exception();                                         \
		o_ = RD(reg);                                                  \
		f_ = gt_exc.taken;                                             \
		if (!f_) {                                                     \
			WR(reg, o_);                                           \
			isb();                                                 \
			f_ = gt_exc.taken;                                     \
		}                                                              \
		gt_exc.armed = false;                                          \
		gt_check(!f_, name " accessible", "ESR 0x%lx",                 \
			 (unsigned long)gt_exc.esr);                           \
		if (!f_)                                                       \
			gt_printf("note: %s = 0x%lx\n", name,                  \
				  (unsigned long)o_);                          \
	} while (0)
#define NOFAULT(reg) NOFAULTN(#reg, reg)

/* a register the CPU (as advertised) does not have: UNDEFINED at EL2 */
#define ABSENT(reg, why)                                                       \
	do {                                                                   \
		gt_expect_exception();                                         \
		(void)RD(reg);                                                 \
		gt_exc.armed = false;                                          \
		gt_check(gt_exc.taken &&gt_exc.el == 2 &&                      \
			     EC(gt_exc.esr) == EC_UNKNOWN,                     \
			 #reg " UNDEFINED " why, "taken %d ESR 0x%lx",         \
			 gt_exc.taken, (unsigned long)gt_exc.esr);             \
	} while (0)
#define NOFAULT1(r) NOFAULTN(#r EL1SUF, EL1(r))

/* The EL1 copy (EL1(r)) and the EL2 copy (written as EL2W(r), read as
 * r_el2) are different registers */
#define DISTINCT(r, mask, a, b)                                                \
	do {                                                                   \
		const uint64_t m_ = (mask), a_ = (a)&m_, b_ = (b)&m_;          \
		uint64_t o1_, o2_, r1_, r2_;                                   \
		gt_where = #r;                                                 \
		o1_ = RD(EL1(r));                                              \
		o2_ = RD(r##_el2);                                             \
		WR(EL1(r), (o1_ & ~m_) | a_);                                  \
		WR(EL2W(r), (o2_ & ~m_) | b_);                                 \
		isb();                                                         \
		r1_ = RD(EL1(r));                                              \
		r2_ = RD(r##_el2);                                             \
		WR(EL2W(r), o2_);                                              \
		WR(EL1(r), o1_);                                               \
		isb();                                                         \
		gt_where = NULL;                                               \
		gt_check(((r1_ ^ a_) & m_) == 0 && ((r2_ ^ b_) & m_) == 0,     \
			 #r EL1SUF " and " #r "_el2 (written as " #r EL2WSUF   \
				   ") are distinct",                           \
			 "mask 0x%lx: EL1 wrote 0x%lx read 0x%lx, EL2 wrote "  \
			 "0x%lx read 0x%lx",                                   \
			 (unsigned long)m_, (unsigned long)a_,                 \
			 (unsigned long)r1_, (unsigned long)b_,                \
			 (unsigned long)r2_);                                  \
	} while (0)

static void read_ids(void)
{
	uint64_t pfr0 = RD(id_aa64pfr0_el1), mmfr0 = RD(id_aa64mmfr0_el1);
	uint64_t mmfr1 = RD(id_aa64mmfr1_el1), dfr0 = RD(id_aa64dfr0_el1);
	unsigned pmuver = (dfr0 >> 8) & 0xf, tgran64 = (mmfr0 >> 24) & 0xf;

	id.vh = ((mmfr1 >> 8) & 0xf) != 0;
	id.pmu = pmuver != 0 && pmuver != 0xf;
	id.tgran64 = tgran64 == 0;
	id.aa32el1 = ((pfr0 >> 4) & 0xf) == 2;
	id.parange = mmfr0 & 0xf;
	id.ps = id.parange > 5 ? 5 : id.parange;
	gt_printf("note: " FLAVOUR ": ID_AA64PFR0 0x%lx MMFR0 0x%lx MMFR1 "
		  "0x%lx DFR0 0x%lx\n",
		  (unsigned long)pfr0, (unsigned long)mmfr0,
		  (unsigned long)mmfr1, (unsigned long)dfr0);
}

/* ---- a: CurrentEL, and the flavour ---- */

static bool setup_el2(void)
{
	uint64_t hcr;

	CHECK_EQ(current_el(), 2, "CurrentEL is EL2");
	if (current_el() != 2)
		return false;
	read_ids();
	gt_printf("note: at entry HCR_EL2 0x%lx SCTLR_EL2 0x%lx CPTR_EL2 "
		  "0x%lx MDCR_EL2 0x%lx\n",
		  (unsigned long)RD(hcr_el2), (unsigned long)RD(sctlr_el2),
		  (unsigned long)RD(cptr_el2), (unsigned long)RD(mdcr_el2));
	if (VHE)
		CHECK(id.vh, "FEAT_VHE advertised (ID_AA64MMFR1_EL1.VH)");
	WR(hcr_el2, HCR_BASE);
	isb();
	hcr = RD(hcr_el2);
	gt_check((hcr & (HCR_RW | HCR_E2H | HCR_TGE)) == HCR_BASE,
		 "HCR_EL2: RW = 1, TGE = 0, E2H = " STR(VHE),
		 "HCR_EL2 = 0x%lx, wrote 0x%lx", (unsigned long)hcr,
		 (unsigned long)HCR_BASE);
	return (hcr & (HCR_RW | HCR_E2H | HCR_TGE)) == HCR_BASE;
}

/* ---- b: round trips ---- */

static void roundtrip_el2(void)
{
	uint64_t tg = id.tgran64 ? 1 : 0, ps = id.ps;
	uint64_t m, a, b;

	/* SCTLR_EL2: cache enables, SP alignment check, WXN (the MMU is off:
	 * none changes what this code does) */
	RT(sctlr_el2, SCTLR_C | SCTLR_SA | SCTLR_I | SCTLR_WXN,
	   SCTLR_C | SCTLR_I, SCTLR_SA | SCTLR_WXN);
	NOFAULT(actlr_el2);
	/* HCR_EL2: Armv8.0 trap and routing controls for EL1/EL0 only (not
	 * E2H, TGE, RW, VM, the virtual interrupts) */
	a = HCR_FMO | HCR_IMO | HCR_TWI | HCR_TID3 | HCR_TSC | HCR_TACR |
	    HCR_TVM | HCR_TDZ;
	b = HCR_AMO | HCR_TWE | HCR_TID1 | HCR_TID2 | HCR_TIDCP | HCR_TSW |
	    HCR_TTLB | HCR_TRVM;
	RT(hcr_el2, a | b, a, b);
	/* MDCR_EL2: TDA, TDOSA, TDRA; TPM, TPMCR with a PMUv3 (not HPMN) */
	m = BIT(9) | BIT(10) | BIT(11) | (id.pmu ? BIT(5) | BIT(6) : 0);
	RT(mdcr_el2, m, BIT(9) | BIT(11) | BIT(6), BIT(10) | BIT(5));
	/* CPTR_EL2: nVHE TFP/TTA/TCPAC; VHE (CPACR layout) FPEN/TTA/TCPAC */
	if (VHE)
		RT(cptr_el2, (3UL << 20) | BIT(28) | BIT(31),
		   (3UL << 20) | BIT(28), (1UL << 20) | BIT(31));
	else
		RT(cptr_el2, BIT(10) | BIT(20) | BIT(31), BIT(10) | BIT(20),
		   BIT(31));
	/* HSTR_EL2: T0-T15 but T4, T14 (traps of AArch32 EL1/EL0 only:
	 * round trip when EL1 can be AArch32) */
	if (id.aa32el1)
		RT(hstr_el2, 0xbfefUL, 0x8421UL, 0x2b0eUL);
	else
		NOFAULT(hstr_el2);
	NOFAULT(hacr_el2);
	/* TTBRn_EL2: BADDR[47:12] (48-bit, 4K-aligned); ASID[7:0] with E2H */
	m = 0x0000fffffffff000UL | (VHE ? 0xffUL << 48 : 0);
	RT(ttbr0_el2, m, 0x005aa5a5a5a5a000UL, 0x00a55a5a5a5a5000UL);
	if (VHE)
		RT(ttbr1_el2, m, 0x00c3a5a5a5a5a000UL, 0x003c5a5a5a5a5000UL);
	/* TCR_EL2: valid T0SZ/cacheability/shareability/granule/PS pairs */
	if (VHE) {
		m = 0x3fUL | BIT(7) | 0xff00UL | (0x3fUL << 16) | BIT(22) |
		    BIT(23) | (0x3fUL << 24) | (3UL << 30) | (7UL << 32) |
		    BIT(37) | BIT(38);
		a = 25 | (1 << 8) | (1 << 10) | (3 << 12) | (25UL << 16) |
		    BIT(22) | BIT(23) | (1UL << 24) | (1UL << 26) |
		    (3UL << 28) | (2UL << 30) | BIT(37);
		b = 16 | BIT(7) | (2 << 8) | (3 << 10) | (2 << 12) |
		    (tg << 14) | (16UL << 16) | (2UL << 24) | (3UL << 26) |
		    (2UL << 28) | ((tg ? 3UL : 2UL) << 30) | (ps << 32) |
		    BIT(38);
	} else {
		m = 0x3fUL | 0xff00UL | (7UL << 16) | BIT(20);
		a = 25 | (1 << 8) | (1 << 10) | (3 << 12);
		b = 16 | (2 << 8) | (3 << 10) | (2 << 12) | (tg << 14) |
		    (ps << 16) | BIT(20);
	}
	RT(tcr_el2, m, a, b);
	/* VTTBR_EL2: BADDR[47:12], VMID[7:0] (HCR_EL2.VM is 0) */
	RT(vttbr_el2, 0x00fffffffffff000UL, 0x0012a5a5a5a5a000UL,
	   0x00ed5a5a5a5a5000UL);
	/* VTCR_EL2: T0SZ, SL0, IRGN0, ORGN0, SH0, TG0, PS */
	RT(vtcr_el2, 0x7ffffUL,
	   24 | (1 << 6) | (1 << 8) | (1 << 10) | (3 << 12),
	   32 | (2 << 8) | (3 << 10) | (2 << 12) | (tg << 14) | (ps << 16));
	NOFAULT(afsr0_el2);
	NOFAULT(afsr1_el2);
	RT(esr_el2, 0xffffffffUL, 0x8a5a5a5aUL, 0x75a5a5a5UL);
	RT(far_el2, ~0UL, 0xa5a5a5a5a5a5a5a5UL, 0x5a5a5a5a5a5a5a5aUL);
	/* HPFAR_EL2.FIPA[47:12] */
	RT(hpfar_el2, 0xfffffffff0UL, 0xa5a5a5a5a0UL, 0x5a5a5a5a50UL);
	/* MAIR_EL2: defined attribute encodings only */
	RT(mair_el2, ~0UL, 0xff440c0400bb44ffUL, 0x040c44ff00bbff08UL);
	NOFAULT(amair_el2);
	RT(vbar_el2, ~0x7ffUL, 0x5a5a5800UL, 0xa5a5a000UL);
	if (VHE)
		RT(contextidr_el2, 0xffffffffUL, 0xa5a5a5a5UL, 0x5a5a5a5aUL);
	RT(tpidr_el2, ~0UL, 0xa5a5a5a5a5a5a5a5UL, 0x5a5a5a5a5a5a5a5aUL);
	RT(cntvoff_el2, ~0UL, 0x123456789aUL, 0xfedcba9876543210UL);
	/* CNTHCTL_EL2: EL1PCTEN/EL1PCEN (nVHE) or EL0*EN, EL1P*EN (VHE),
	 * EVNTEN, EVNTDIR, EVNTI */
	if (VHE)
		RT(cnthctl_el2, 0xfffUL, 0x555UL, 0xaaaUL);
	else
		RT(cnthctl_el2, 0xffUL, 0x55UL, 0xaaUL);
	/* the EL2 timers: ENABLE, IMASK (IMASK always set: no interrupt) */
	RT(cnthp_cval_el2, ~0UL, 0xa5a5a5a5a5a5a5a5UL, 0x5a5a5a5a5a5a5a5aUL);
	RT(cnthp_ctl_el2, 3UL, 3UL, 2UL);
	if (id.vh) {
		RT(cnthv_cval_el2, ~0UL, 0xa5a5a5a5a5a5a5a5UL,
		   0x5a5a5a5a5a5a5a5aUL);
		RT(cnthv_ctl_el2, 3UL, 3UL, 2UL);
	} else {
		ABSENT(cnthv_cval_el2, "without FEAT_VHE");
		ABSENT(cnthv_ctl_el2, "without FEAT_VHE");
	}
	RT(vpidr_el2, 0xffffffffUL, 0x410fd4a5UL, 0x5a5a5a5aUL);
	/* VMPIDR_EL2: Aff3, U, MT, Aff2-Aff0 (bit 31 RES1) */
	RT(vmpidr_el2, 0xff41ffffffUL, 0xa5015a5a5aUL, 0x5a40a5a5a5UL);
	/* SPSR_EL2: NZCV, DAIF, M[3:0] (EL1h / EL2h) */
	RT(spsr_el2, 0xf00003cfUL, 0xa00003c5UL, 0x50000009UL);
	RT(elr_el2, ~0UL, 0xa5a5a5a5a5a5a5a4UL, 0x5a5a5a5a5a5a5a58UL);
	RT(sp_el1, ~0UL, 0xa5a5a5a5a5a5a5a0UL, 0x5a5a5a5a5a5a5a50UL);
	RT(sp_el0, ~0UL, 0xa5a5a5a5a5a5a5a0UL, 0x5a5a5a5a5a5a5a50UL);
}

/* The GICv3 virtual CPU interface controls (ICH_HCR_EL2.En stays 0) */
static void roundtrip_ich(void)
{
	uint64_t vtr, sre, m, lrm, lra, lrb;

	sre = RD(icc_sre_el2);
	CHECK(sre & 1, "ICC_SRE_EL2.SRE is 1 (system register interface)");
	if (!(sre & 1))
		return;
	gt_expect_exception();
	vtr = RD(ich_vtr_el2);
	gt_exc.armed = false;
	id.nr_lr = (vtr & 0x1f) + 1;
	id.prebits = ((vtr >> 26) & 7) + 1;
	id.pribits = ((vtr >> 29) & 7) + 1;
	id.prmask = (0xffUL << (8 - id.pribits)) & 0xff;
	gt_check(!gt_exc.taken && id.pribits >= 5 && id.prebits >= 5,
		 "ICH_VTR_EL2 readable, at least 5 priority bits",
		 "taken %d ICH_VTR_EL2 0x%lx", gt_exc.taken,
		 (unsigned long)vtr);
	gt_printf("note: ICH_VTR_EL2 0x%lx: %u LRs, %u priority bits\n",
		  (unsigned long)vtr, id.nr_lr, id.pribits);
	/* ICH_HCR_EL2: UIE, LRENPIE, NPIE, VGrp{0,1}{E,D}IE, TC, TALL0,
	 * TALL1, EOIcount (not En) */
	RT(ich_hcr_el2, 0xf8001cfeUL,
	   0x2 | 0x8 | 0x20 | 0x80 | 0x400 | 0x1000 | (0x15UL << 27),
	   0x4 | 0x10 | 0x40 | 0x800 | (0x0aUL << 27));
	/* ICH_VMCR_EL2: VENG0, VENG1, VEOIM, VBPR1 (>= 4), VBPR0 (>= 3),
	 * VPMR (its implemented bits); not VCBPR, VAckCtl, VFIQEn */
	m = 0x3 | BIT(9) | (7UL << 18) | (7UL << 21) | (id.prmask << 24);
	RT(ich_vmcr_el2, m,
	   0x1 | BIT(9) | (5UL << 18) | (3UL << 21) | (0xa0UL << 24),
	   0x2 | (7UL << 18) | (6UL << 21) | (0x58UL << 24));
	RT(ich_ap0r0_el2, 0xffffffffUL, 0x80000001UL, 0x00010100UL);
	RT(ich_ap1r0_el2, 0xffffffffUL, 0x00000101UL, 0x80010000UL);
	/* ICH_LR<n>_EL2: vINTID[15:0], Priority, Group, State (HW = 0) */
	lrm = 0xffffUL | (id.prmask << 48) | BIT(60) | (3UL << 62);
	lra = 42 | (0xa0UL << 48) | BIT(60) | (1UL << 62);
	lrb = 1019 | (0x58UL << 48) | (2UL << 62);
	RT(ich_lr0_el2, lrm, lra, lrb); /* there is at least one */
	if (id.nr_lr > 1)
		RT(ich_lr1_el2, lrm, lrb, lra);
	else
		ABSENT(ich_lr1_el2, "beyond ICH_VTR_EL2.ListRegs");
	if (id.nr_lr > 2)
		RT(ich_lr2_el2, lrm, lra, lrb);
	else
		ABSENT(ich_lr2_el2, "beyond ICH_VTR_EL2.ListRegs");
	if (id.nr_lr > 3)
		RT(ich_lr3_el2, lrm, lrb, lra);
	else
		ABSENT(ich_lr3_el2, "beyond ICH_VTR_EL2.ListRegs");
}

/* The EL1 registers from EL2: *_EL1 with E2H = 0, *_EL12 / *_EL02 with
 * E2H = 1 */
static void roundtrip_el1(void)
{
	uint64_t tcrm, tcra, tcrb, tg = id.tgran64 ? 1 : 0;

	RT1(sctlr,
	    SCTLR_C | SCTLR_SA | SCTLR_SA0 | SCTLR_I | SCTLR_NTWI | SCTLR_NTWE |
		SCTLR_WXN,
	    SCTLR_C | SCTLR_SA0 | SCTLR_I | SCTLR_NTWE,
	    SCTLR_SA | SCTLR_NTWI | SCTLR_WXN);
	/* CPACR_EL1: FPEN, TTA */
	RT1(cpacr, (3UL << 20) | BIT(28), (3UL << 20) | BIT(28), 1UL << 20);
	RT1(ttbr0, 0x00fffffffffff000UL, 0x0012a5a5a5a5a000UL,
	    0x00ed5a5a5a5a5000UL);
	RT1(ttbr1, 0x00fffffffffff000UL, 0x0034a5a5a5a5a000UL,
	    0x00cb5a5a5a5a5000UL);
	tcrm = 0x3fUL | BIT(7) | 0xff00UL | (0x3fUL << 16) | BIT(22) | BIT(23) |
	       (0x3fUL << 24) | (3UL << 30) | (7UL << 32) | BIT(37) | BIT(38);
	tcra = 25 | (1 << 8) | (1 << 10) | (3 << 12) | (25UL << 16) | BIT(22) |
	       BIT(23) | (1UL << 24) | (1UL << 26) | (3UL << 28) | (2UL << 30) |
	       BIT(37);
	tcrb = 16 | BIT(7) | (2 << 8) | (3 << 10) | (2 << 12) | (tg << 14) |
	       (16UL << 16) | (2UL << 24) | (3UL << 26) | (2UL << 28) |
	       ((tg ? 3UL : 2UL) << 30) | ((uint64_t)id.ps << 32) | BIT(38);
	RT1(tcr, tcrm, tcra, tcrb);
	RT1(spsr, 0xf00003cfUL, 0xa00003c5UL, 0x50000004UL);
	RT1(elr, ~0UL, 0xa5a5a5a5a5a5a5a4UL, 0x5a5a5a5a5a5a5a58UL);
	NOFAULT1(afsr0);
	NOFAULT1(afsr1);
	RT1(esr, 0xffffffffUL, 0x8a5a5a5aUL, 0x75a5a5a5UL);
	RT1(far, ~0UL, 0xa5a5a5a5a5a5a5a5UL, 0x5a5a5a5a5a5a5a5aUL);
	RT1(mair, ~0UL, 0xff440c0400bb44ffUL, 0x040c44ff00bbff08UL);
	NOFAULT1(amair);
	RT1(vbar, ~0x7ffUL, 0x5a5a5800UL, 0xa5a5a000UL);
	RT1(contextidr, 0xffffffffUL, 0xa5a5a5a5UL, 0x5a5a5a5aUL);
	/* CNTKCTL_EL1: EL0PCTEN, EL0VCTEN, EVNTEN, EVNTDIR, EVNTI, EL0VTEN,
	 * EL0PTEN */
	RT1(cntkctl, 0x3ffUL, 0x155UL, 0x2aaUL);
	/* the EL1 timers (IMASK set) */
	RT02(cntv_cval, ~0UL, 0xa5a5a5a5a5a5a5a5UL, 0x5a5a5a5a5a5a5a5aUL);
	RT02(cntv_ctl, 3UL, 3UL, 2UL);
	RT02(cntp_cval, ~0UL, 0xa5a5a5a5a5a5a5a5UL, 0x5a5a5a5a5a5a5a5aUL);
	RT02(cntp_ctl, 3UL, 3UL, 2UL);
	/* no EL12 alias: TPIDR_EL1 is TPIDR_EL1 at EL2 in both flavours */
	RT(tpidr_el1, ~0UL, 0x1111222233334444UL, 0x5555666677778888UL);
}

/* EL1 and EL2 copies are different registers; with E2H = 1, *_EL1 names
 * at EL2 reach the EL2 register (read back as *_EL2) */
static void distinct_el1_el2(void)
{
	DISTINCT(sctlr, SCTLR_C | SCTLR_SA | SCTLR_I | SCTLR_WXN,
		 SCTLR_C | SCTLR_I, SCTLR_SA | SCTLR_WXN);
	DISTINCT(tcr, 0x3fUL, 25, 16);
	DISTINCT(ttbr0, 0x0000fffffffff000UL, 0x0000a5a5a5a5a000UL,
		 0x00005a5a5a5a5000UL);
	DISTINCT(mair, ~0UL, 0xff440c0400bb44ffUL, 0x040c44ff00bbff08UL);
	DISTINCT(vbar, ~0x7ffUL, 0x5a5a5800UL, 0xa5a5a000UL);
	DISTINCT(esr, 0xffffffffUL, 0x8a5a5a5aUL, 0x75a5a5a5UL);
	DISTINCT(far, ~0UL, 0xa5a5a5a5a5a5a5a5UL, 0x5a5a5a5a5a5a5a5aUL);
	DISTINCT(elr, ~0UL, 0xa5a5a5a5a5a5a5a4UL, 0x5a5a5a5a5a5a5a58UL);
	DISTINCT(spsr, 0xf00003cfUL, 0xa00003c5UL, 0x50000009UL);
#if VHE
	DISTINCT(ttbr1, 0x0000fffffffff000UL, 0x0000a5a5a5a5a000UL,
		 0x00005a5a5a5a5000UL);
	DISTINCT(contextidr, 0xffffffffUL, 0xa5a5a5a5UL, 0x5a5a5a5aUL);
	/* CNTV_CTL_EL0 at EL2 with E2H = 1 is CNTHV_CTL_EL2 */
	{
		uint64_t o1 = RD(cntv_ctl_el02), o2 = RD(cnthv_ctl_el2), r1, r2;

		WR(cntv_ctl_el02, 2);
		WR(cntv_ctl_el0, 3);
		isb();
		r1 = RD(cntv_ctl_el02);
		r2 = RD(cnthv_ctl_el2);
		WR(cntv_ctl_el0, o2);
		WR(cntv_ctl_el02, o1);
		isb();
		gt_check((r1 & 3) == 2 && (r2 & 3) == 3,
			 "cntv_ctl_el02 and cnthv_ctl_el2 (written as "
			 "cntv_ctl_el0) are distinct",
			 "EL1 timer 0x%lx, EL2 virtual timer 0x%lx",
			 (unsigned long)r1, (unsigned long)r2);
	}
#endif
}

/* ---- c: the guest hypervisor's own stage-1 MMU at EL2 ---- */

#define ALIAS_VA 0x80000000UL /* maps RAM's first GiB (0x40000000) */
#define PTE_BLOCK 0x1UL
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_AP1 BIT(6) /* RES1 in the EL2 (one VA range) regime */
#define PTE_SH_INNER (3UL << 8)
#define PTE_AF BIT(10)
#define PTE_PXN BIT(53) /* EL2&0 only */
#define PTE_XN BIT(54)	/* UXN in EL2&0 */

static uint64_t l1_table[512] __attribute__((aligned(4096)));
static volatile uint64_t mmu_word[8];

static __attribute__((noipa)) uint64_t mmu_work(uint64_t n)
{
	uint64_t s = 0;

	for (uint64_t i = 1; i <= n; i++)
		s += i * i;
	return s;
}

static uint64_t dcache_line(void)
{
	return 4UL << ((RD(ctr_el0) >> 16) & 0xf);
}

/* clean and invalidate to the point of coherency */
static void dcache_range(uintptr_t start, uintptr_t end)
{
	uint64_t line = dcache_line();

	for (uintptr_t p = start & ~(line - 1); p < end; p += line)
		__asm__ volatile("dc civac, %0" ::"r"(p) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

static void mmu_test(void)
{
	uintptr_t ram = 0x40000000UL, img = (uintptr_t)__image_start;
	uintptr_t w = (uintptr_t)&mmu_word[0];
	uint64_t normal, device, sctlr, tcr, par, o_mair, o_tcr, o_ttbr;
	uint64_t attr_el2 = VHE ? PTE_XN : PTE_AP1;
	bool on, alias_rd, alias_wr, ran;

	/* 0-1 GiB: Device-nGnRnE (UART, GIC); 1-2 GiB: Normal WB, the RAM;
	 * 2-3 GiB: the RAM again (data only) */
	normal = PTE_BLOCK | PTE_ATTR(1) | PTE_SH_INNER | PTE_AF | attr_el2;
	device = PTE_BLOCK | PTE_ATTR(0) | PTE_AF | attr_el2 | PTE_XN |
		 (VHE ? PTE_PXN : 0);
	for (unsigned i = 0; i < 512; i++)
		l1_table[i] = 0;
	l1_table[0] = device;
	l1_table[1] = ram | normal;
	l1_table[ALIAS_VA >> 30] = ram | normal | PTE_XN | (VHE ? PTE_PXN : 0);
	/* written with the MMU off: not in any cache the walker may use */
	dcache_range((uintptr_t)l1_table, (uintptr_t)&l1_table[512]);
	mmu_word[0] = 0x1111;
	mmu_word[1] = 0;

	o_mair = RD(mair_el2);
	o_tcr = RD(tcr_el2);
	o_ttbr = RD(ttbr0_el2);
	/* 39-bit VAs from level 1, 4K granule, walks inner shareable WB */
	if (VHE)
		tcr = 25 | (1 << 8) | (1 << 10) | (3 << 12) | BIT(23) |
		      (2UL << 30) | ((uint64_t)id.ps << 32);
	else
		tcr = 25 | (1 << 8) | (1 << 10) | (3 << 12) |
		      ((uint64_t)id.ps << 16) | BIT(23) | BIT(31);
	WR(mair_el2, 0xff00UL); /* Attr0 Device-nGnRnE, Attr1 Normal WB */
	WR(tcr_el2, tcr);
	WR(ttbr0_el2, (uintptr_t)l1_table);
	isb();
	__asm__ volatile("dsb sy\n tlbi alle2\n dsb sy\n isb" ::: "memory");
	sctlr = RD(sctlr_el2);
	WR(sctlr_el2, sctlr | SCTLR_M | SCTLR_C | SCTLR_I);
	isb();

	/* running with the MMU on: a call, memory, output */
	on = (RD(sctlr_el2) & (SCTLR_M | SCTLR_C | SCTLR_I)) ==
	     (SCTLR_M | SCTLR_C | SCTLR_I);
	ran = mmu_work(100) == 338350;
	alias_rd = *(volatile uint64_t *)(w - ram + ALIAS_VA) == 0x1111;
	*(volatile uint64_t *)(w + 8 - ram + ALIAS_VA) = 0x2222;
	alias_wr = mmu_word[1] == 0x2222;
	__asm__ volatile("at s1e2r, %0\n isb" ::"r"(w - ram + ALIAS_VA)
			 : "memory");
	par = RD(par_el1);
	mmu_word[2] = 0x3333;
	gt_check(on, "EL2 MMU on: SCTLR_EL2.M, C, I set", "SCTLR_EL2 0x%lx",
		 (unsigned long)RD(sctlr_el2));
	CHECK(ran, "EL2 MMU on: calls and the stack work");
	CHECK(alias_rd && alias_wr, "EL2 MMU on: alias VA reaches the RAM");
	gt_check(!(par & 1) && (par & 0x0000fffffffff000UL) == (w & ~0xfffUL),
		 "EL2 MMU on: AT S1E2R of the alias gives its PA",
		 "PAR_EL1 0x%lx, PA 0x%lx", (unsigned long)par,
		 (unsigned long)w);
	gt_printf("note: printing with the EL2 MMU on (image at 0x%lx)\n",
		  (unsigned long)img);

	/* off again: everything written with the MMU on cleaned to memory */
	__asm__ volatile(
	    "mov x9, %0\n"
	    "mov x10, %1\n"
	    "mov x11, %2\n"
	    "1: dc civac, x9\n"
	    "add x9, x9, %3\n"
	    "cmp x9, x10\n"
	    "b.lo 1b\n"
	    "dsb sy\n"
	    "msr sctlr_el2, x11\n"
	    "isb\n"
	    "ic iallu\n"
	    "dsb sy\n"
	    "isb"
	    :
	    : "r"(img & ~(dcache_line() - 1)), "r"((uintptr_t)__image_end),
	      "r"(sctlr & ~(SCTLR_M | SCTLR_C | SCTLR_I)), "r"(dcache_line())
	    : "x9", "x10", "x11", "memory");
	dcache_range(img, (uintptr_t)__image_end);
	WR(mair_el2, o_mair);
	WR(tcr_el2, o_tcr);
	WR(ttbr0_el2, o_ttbr);
	isb();
	sctlr = RD(sctlr_el2);
	gt_check(!(sctlr & SCTLR_M) && mmu_word[1] == 0x2222 &&
		     mmu_word[2] == 0x3333 && mmu_work(10) == 385,
		 "EL2 MMU off again: memory written with it on is there",
		 "SCTLR_EL2 0x%lx words 0x%lx 0x%lx", (unsigned long)sctlr,
		 (unsigned long)mmu_word[1], (unsigned long)mmu_word[2]);
}

/* ---- d: exceptions at EL2, ERET EL2 -> EL2 ---- */

static void el2_exceptions(void)
{
	register uint64_t x0 __asm__("x0");
	uint64_t nzcv, spsel, el;

	gt_expect_exception();
	__asm__ volatile("mov x0, #1\n hvc #0x22\n mov x0, #2"
			 : "=r"(x0)::"memory");
	gt_check(gt_exc.taken && gt_exc.el == 2 && gt_exc.vector == 4 &&
		     EC(gt_exc.esr) == EC_HVC64 && ISS(gt_exc.esr) == 0x22 &&
		     x0 == 2,
		 "HVC at EL2: EL2 current-EL sync vector, EC 0x16, ISS 0x22, "
		 "returns after it",
		 "taken %d EL%lu vector %lu ESR 0x%lx x0 %lu", gt_exc.taken,
		 (unsigned long)gt_exc.el, (unsigned long)gt_exc.vector,
		 (unsigned long)gt_exc.esr, (unsigned long)x0);
	gt_expect_exception();
	__asm__ volatile("brk #0x33" ::: "memory");
	gt_check(gt_exc.taken && gt_exc.el == 2 && gt_exc.vector == 4 &&
		     EC(gt_exc.esr) == EC_BRK && ISS(gt_exc.esr) == 0x33,
		 "BRK at EL2: EL2 current-EL sync vector, EC 0x3c, ISS 0x33",
		 "taken %d EL%lu vector %lu ESR 0x%lx", gt_exc.taken,
		 (unsigned long)gt_exc.el, (unsigned long)gt_exc.vector,
		 (unsigned long)gt_exc.esr);
	gt_expect_exception();
	__asm__ volatile("mov x0, #1\n svc #0x44\n mov x0, #2"
			 : "=r"(x0)::"memory");
	gt_check(gt_exc.taken && gt_exc.el == 2 && gt_exc.vector == 4 &&
		     EC(gt_exc.esr) == EC_SVC64 && ISS(gt_exc.esr) == 0x44 &&
		     x0 == 2,
		 "SVC at EL2: EL2 current-EL sync vector, EC 0x15, ISS 0x44",
		 "taken %d EL%lu vector %lu ESR 0x%lx x0 %lu", gt_exc.taken,
		 (unsigned long)gt_exc.el, (unsigned long)gt_exc.vector,
		 (unsigned long)gt_exc.esr, (unsigned long)x0);

	/* ERET to EL2h at a label, N set in SPSR_EL2 */
	__asm__ volatile("adr x9, 1f\n"
			 "msr elr_el2, x9\n"
			 "msr spsr_el2, %3\n"
			 "mov %0, #0\n"
			 "msr nzcv, %0\n"
			 "eret\n"
			 "1: mrs %0, nzcv\n"
			 "mrs %1, spsel\n"
			 "mrs %2, CurrentEL"
			 : "=&r"(nzcv), "=&r"(spsel), "=&r"(el)
			 : "r"(BIT(31) | SPSR_EL2H)
			 : "x9", "memory", "cc");
	gt_check(nzcv == BIT(31) && spsel == 1 && el == (2 << 2),
		 "ERET EL2h -> EL2h: lands at ELR_EL2 with SPSR_EL2's flags",
		 "NZCV 0x%lx SPSel %lu CurrentEL 0x%lx", (unsigned long)nzcv,
		 (unsigned long)spsel, (unsigned long)el);
}

/* ---- d, e: a vEL1 payload ---- */

#define P_TPIDR 0x7e1d000000001111UL
#define P_CTX 0x12345678UL
#define P_SCTLR                                                                \
	(SCTLR_EL1_RES1 | SCTLR_I | SCTLR_SA | SCTLR_SA0 | SCTLR_NTWI |        \
	 SCTLR_NTWE)
#define P_SCTLR_MASK                                                           \
	(SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | SCTLR_I | SCTLR_NTWI |     \
	 SCTLR_NTWE | SCTLR_WXN)
#define P_TCR (25 | (1 << 8) | (1 << 10) | (3 << 12) | BIT(23) | (2UL << 30))
#define P_TCR_MASK (0x3fUL | 0xff00UL | BIT(23) | (3UL << 30))
#define P_MAIR 0x000000000044ff04UL
#define P_TTBR0 0x0000000041234000UL
#define E_TPIDR 0xe12e12e1UL /* what EL2 writes to the vEL1 registers */
#define E_CTX 0xe1c7UL
#define E_X0 0xe12e7UL
#define H_TPIDR2 0x7e12000000002222UL /* EL2's own */
#define H_CTX2 0xc2c2c2c2UL
#define H_MAIR2 0x00000000ff4404ffUL
#define HVC_CHECK 0x11

/* what the payload saw, at EL1 */
static volatile struct {
	uint64_t hvc_ret, tpidr, ctx, undef_rd, undef_wr;
	uint64_t esr_rd, esr_wr, vec_rd, vec_wr, el_rd, el_wr;
} pay;

/* what EL2 saw */
static volatile unsigned lower_entries, stage;
static volatile uint64_t unexpected_esr, unexpected_elr;
static struct {
	uint64_t sctlr, vbar, tcr, tpidr, mair, ttbr0, ctx;
} el2_snap;

static void snap_el2(void)
{
	el2_snap.sctlr = RD(sctlr_el2);
	el2_snap.vbar = RD(vbar_el2);
	el2_snap.tcr = RD(tcr_el2);
	el2_snap.tpidr = RD(tpidr_el2);
	el2_snap.mair = RD(mair_el2);
	el2_snap.ttbr0 = RD(ttbr0_el2);
	el2_snap.ctx = VHE ? RD(contextidr_el2) : 0;
}

static bool el2_intact(const char *name)
{
	bool ok =
	    RD(sctlr_el2) == el2_snap.sctlr && RD(vbar_el2) == el2_snap.vbar &&
	    RD(tcr_el2) == el2_snap.tcr && RD(tpidr_el2) == el2_snap.tpidr &&
	    RD(mair_el2) == el2_snap.mair && RD(ttbr0_el2) == el2_snap.ttbr0 &&
	    (!VHE || RD(contextidr_el2) == el2_snap.ctx);

	gt_check(ok, name,
		 "SCTLR 0x%lx/0x%lx VBAR 0x%lx/0x%lx TCR 0x%lx/0x%lx TPIDR "
		 "0x%lx/0x%lx MAIR 0x%lx/0x%lx",
		 (unsigned long)RD(sctlr_el2), (unsigned long)el2_snap.sctlr,
		 (unsigned long)RD(vbar_el2), (unsigned long)el2_snap.vbar,
		 (unsigned long)RD(tcr_el2), (unsigned long)el2_snap.tcr,
		 (unsigned long)RD(tpidr_el2), (unsigned long)el2_snap.tpidr,
		 (unsigned long)RD(mair_el2), (unsigned long)el2_snap.mair);
	return ok;
}

/* Runs at EL1 (SP_EL1, its own VBAR_EL1): never returns */
static __attribute__((noinline, noreturn)) void payload(uint64_t arg)
{
	register uint64_t x0 __asm__("x0") = arg;
	register uint64_t x1 __asm__("x1");

	WR(vbar_el1, (uintptr_t)gt_vectors);
	WR(tpidr_el1, P_TPIDR);
	WR(contextidr_el1, P_CTX);
	WR(sctlr_el1, P_SCTLR);
	WR(tcr_el1, P_TCR);
	WR(mair_el1, P_MAIR);
	WR(ttbr0_el1, P_TTBR0);
	isb();
	/* x1: where ELR_EL2 must point */
	__asm__ volatile("adr x1, 1f\n hvc #" STR(HVC_CHECK) "\n 1:"
			 : "+r"(x0), "=r"(x1)::"memory");
	pay.hvc_ret = x0;
	pay.tpidr = RD(tpidr_el1);
	pay.ctx = RD(contextidr_el1);

	/* e: EL2 registers at EL1 (HCR_EL2.NV = 0): UNDEFINED, taken to
	 * EL1 like any UNDEFINED instruction at EL1 */
	gt_expect_exception();
	pay.undef_rd = RD(sctlr_el2);
	pay.esr_rd = gt_exc.taken ? gt_exc.esr : ~0UL;
	pay.vec_rd = gt_exc.vector;
	pay.el_rd = gt_exc.el;
	gt_expect_exception();
	WR(tpidr_el2, 0xbad);
	pay.esr_wr = gt_exc.taken ? gt_exc.esr : ~0UL;
	pay.vec_wr = gt_exc.vector;
	pay.el_wr = gt_exc.el;
	gt_exc.armed = false;

	payload_exit();
}

static void check_hvc_from_vel1(uint64_t vector, uint64_t esr, uint64_t elr,
				struct gt_frame *f)
{
	uint64_t sctlr1 = RD(EL1(sctlr)), tcr1 = RD(EL1(tcr));

	gt_check(vector == 8 && EC(esr) == EC_HVC64 && (esr & ESR_IL) &&
		     ISS(esr) == HVC_CHECK,
		 "vEL1 HVC: EL2 lower-EL sync vector, EC 0x16, ISS = imm",
		 "vector %lu ESR 0x%lx", (unsigned long)vector,
		 (unsigned long)esr);
	gt_check(elr == f->x[1] && RD(elr_el2) == f->x[1],
		 "vEL1 HVC: ELR_EL2 is the instruction after the HVC",
		 "ELR_EL2 0x%lx, after the HVC 0x%lx", (unsigned long)elr,
		 (unsigned long)f->x[1]);
	gt_check((f->spsr & 0x1f) == 5 && (RD(spsr_el2) & 0x1f) == 5,
		 "vEL1 HVC: SPSR_EL2.M is EL1h", "SPSR_EL2 0x%lx",
		 (unsigned long)f->spsr);
	el2_intact("vEL1 HVC: EL2 registers untouched by vEL1");
	gt_check(RD(tpidr_el1) == P_TPIDR && RD(EL1(contextidr)) == P_CTX &&
		     ((sctlr1 ^ P_SCTLR) & P_SCTLR_MASK) == 0 &&
		     RD(EL1(vbar)) == (uintptr_t)gt_vectors &&
		     ((tcr1 ^ P_TCR) & P_TCR_MASK) == 0 &&
		     RD(EL1(mair)) == P_MAIR &&
		     (RD(EL1(ttbr0)) & 0x0000fffffffff000UL) == P_TTBR0,
		 "vEL1 HVC: EL2 sees vEL1's writes in *" EL1SUF,
		 "TPIDR 0x%lx CONTEXTIDR 0x%lx SCTLR 0x%lx VBAR 0x%lx TCR "
		 "0x%lx MAIR 0x%lx TTBR0 0x%lx",
		 (unsigned long)RD(tpidr_el1),
		 (unsigned long)RD(EL1(contextidr)), (unsigned long)sctlr1,
		 (unsigned long)RD(EL1(vbar)), (unsigned long)tcr1,
		 (unsigned long)RD(EL1(mair)), (unsigned long)RD(EL1(ttbr0)));
	/* and EL2 changes vEL1's state before going back */
	WR(tpidr_el1, E_TPIDR);
	WR(EL1(contextidr), E_CTX);
	f->x[0] = E_X0;
}

static uint64_t vel1_handler(uint64_t vector, uint64_t esr, uint64_t far,
			     uint64_t elr, struct gt_frame *f)
{
	(void)far;
	lower_entries++;
	if (EC(esr) == EC_HVC64 && ISS(esr) == HVC_CHECK && stage == 0) {
		stage = 1;
		check_hvc_from_vel1(vector, esr, elr, f);
		return elr; /* back into the payload, after its HVC */
	}
	if (EC(esr) == EC_HVC64 && ISS(esr) == HVC_EXIT && stage == 1) {
		stage = 2;
		return gt_lower_exit(f);
	}
	/* the payload gave up (gt_done at EL1): power off from here */
	if (EC(esr) == EC_HVC64 && f->x[0] == PSCI_SYSTEM_OFF)
		gt_psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	unexpected_esr = esr;
	unexpected_elr = elr;
	return gt_lower_exit(f);
}

static void vel1_test(void)
{
	uint64_t ret, esr1;

	/* EL2's own values, which vEL1 must not reach */
	WR(tpidr_el2, H_TPIDR2);
	WR(mair_el2, H_MAIR2);
	if (VHE)
		WR(contextidr_el2, H_CTX2);
	/* a clean vEL1 context */
	WR(EL1(sctlr), SCTLR_EL1_RES1);
	WR(EL1(vbar), 0);
	WR(tpidr_el1, 0);
	WR(EL1(contextidr), 0);
	WR(EL1(tcr), 0);
	WR(EL1(mair), 0);
	WR(EL1(ttbr0), 0);
	WR(hcr_el2, HCR_BASE);
	isb();
	snap_el2();
	gt_set_lower_handler(vel1_handler);
	ret = run_payload("vEL1 payload", payload, 0x5a, SPSR_EL1H, HCR_BASE);
	gt_set_lower_handler(NULL);
	gt_exc.armed = false;
	gt_check(ret == PAYLOAD_DONE && stage == 2 && lower_entries == 2,
		 "vEL1 payload ran to its exit HVC, two entries to EL2",
		 "returned 0x%lx stage %u entries %u unexpected ESR 0x%lx "
		 "ELR 0x%lx",
		 (unsigned long)ret, stage, lower_entries,
		 (unsigned long)unexpected_esr, (unsigned long)unexpected_elr);
	gt_check(pay.hvc_ret == E_X0 && pay.tpidr == E_TPIDR &&
		     pay.ctx == E_CTX,
		 "vEL1 resumed after its HVC with EL2's x0 and EL1 writes",
		 "x0 0x%lx TPIDR_EL1 0x%lx CONTEXTIDR_EL1 0x%lx",
		 (unsigned long)pay.hvc_ret, (unsigned long)pay.tpidr,
		 (unsigned long)pay.ctx);
	gt_check(EC(pay.esr_rd) == EC_UNKNOWN && pay.el_rd == 1 &&
		     pay.vec_rd == 4,
		 "vEL1 MRS SCTLR_EL2: UNDEFINED, taken to EL1 (EC 0x00)",
		 "ESR 0x%lx EL%lu vector %lu", (unsigned long)pay.esr_rd,
		 (unsigned long)pay.el_rd, (unsigned long)pay.vec_rd);
	gt_check(EC(pay.esr_wr) == EC_UNKNOWN && pay.el_wr == 1 &&
		     pay.vec_wr == 4,
		 "vEL1 MSR TPIDR_EL2: UNDEFINED, taken to EL1 (EC 0x00)",
		 "ESR 0x%lx EL%lu vector %lu", (unsigned long)pay.esr_wr,
		 (unsigned long)pay.el_wr, (unsigned long)pay.vec_wr);
	esr1 = RD(EL1(esr));
	gt_check(EC(esr1) == EC_UNKNOWN && (esr1 & ESR_IL),
		 "EL2 sees vEL1's ESR" EL1SUF " of the UNDEF", "0x%lx",
		 (unsigned long)esr1);
	el2_intact("EL2 registers intact after the vEL1 payload");
}

static void vel2_main(void)
{
	if (!setup_el2())
		gt_done();
	roundtrip_el2();
	roundtrip_ich();
	roundtrip_el1();
	distinct_el1_el2();
	mmu_test();
	el2_exceptions();
	vel1_test();
	WR(hcr_el2, HCR_BASE);
	isb();
	gt_done();
}

#endif
