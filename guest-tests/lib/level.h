/* A guest hypervisor at (virtual) EL2 checks the EL2 state that depends on
 * the Exception level it runs, with HCR_EL2.E2H = VHE (0 or 1; the VHE
 * flavour starts with E2H = 0 and sets it). Header-only, included by
 * vel2_level_nvhe.c and vel2_level_vhe.c (the Makefile links a fixed
 * library). Every check is the architecture's: both images pass in full at
 * QEMU's real EL2 (virtualization=on).
 *
 *  1. (VHE only) E2H 0 -> 1 written to HCR_EL2, then an exit that touches
 *     no EL2 register (an SMC, an MMIO read): TCR_EL2 and CPTR_EL2 written
 *     afterwards through TCR_EL1 / CPACR_EL1 keep T1SZ/TG1 and FPEN.
 *  2. CNTVOFF_EL2, VPIDR_EL2, VMPIDR_EL2 at EL1: a vEL1 payload reads
 *     CNTVCT_EL0 = CNTPCT_EL0 - CNTVOFF_EL2 (D24.10.28), MIDR_EL1 =
 *     VPIDR_EL2, MPIDR_EL1 = VMPIDR_EL2; its CNTV_TVAL_EL0 and CNTV_CVAL_EL0
 *     agree, and EL2 reads the same TVAL; at EL2 CNTVCT_EL0 has the offset
 *     with E2H = 0 and none with E2H = 1, MIDR/MPIDR are not virtualised.
 *  3. The traps EL2 asks for in CNTHCTL_EL2 (EL1PCTEN, EL1PCEN/EL1PTEN),
 *     CPTR_EL2 (TFP/FPEN, TCPAC) and MDCR_EL2 (TDA, TDOSA, TDRA) reach its
 *     vectors from vEL1 with the architected syndrome; with them clear the
 *     same accesses do not trap.
 *  4. The EL1 virtual timer armed from EL2 (CVAL in the virtual count,
 *     CNTVOFF_EL2 != 0) interrupts on time, not early or late.
 *  5. WFI wakes up: at EL2 on the EL2 physical timer (and with VHE the EL2
 *     virtual timer, armed through the CNTV_* names), at vEL1 on its EL1
 *     virtual and physical timers (acknowledged there as 27 and 30); also
 *     after the same timer asserted its interrupt and was stopped without
 *     it being taken, and with the timer armed by EL2 through its TVAL.
 *  6. HCR_EL2.IMO, PSTATE.I clear at vEL1: the EL1 virtual timer already
 *     expired when EL2 enters vEL1, and the EL2 physical timer due 1 ms
 *     after EL2 armed it, just before entering vEL1: each interrupt is
 *     taken at EL2 (0x480), never at EL1.
 */
#ifndef GT_LEVEL_H
#define GT_LEVEL_H
#include "payload.h"

#ifndef VHE
#error "define VHE (0 or 1) before including level.h"
#endif

/* encodings the default -march may not name */
#define cntv_ctl_el02 s3_5_c14_c3_1
#define cntv_cval_el02 s3_5_c14_c3_2
#define cntv_tval_el02 s3_5_c14_c3_0
#define cpacr_el12 s3_5_c1_c0_2
#define vbar_el12 s3_5_c12_c0_0
#define cntp_ctl_el02 s3_5_c14_c2_1
#define cnthv_ctl_el2 s3_4_c14_c3_1
#define cnthv_cval_el2 s3_4_c14_c3_2

#if VHE
#define FLAVOUR "vhe"
#define EL1(r) r##_el12 /* the EL1 register, from EL2 */
#define EL02(r) r##_el02
#else
#define FLAVOUR "nvhe"
#define EL1(r) r##_el1
#define EL02(r) r##_el0
#endif

#define HCR_IMO BIT(4)
#define HCR_BASE (HCR_RW | (VHE ? HCR_E2H : 0))

/* CNTHCTL_EL2 (D24.10.2): EL1PCTEN, EL1PCEN are bits 0, 1 with E2H = 0
 * and (as EL1PCTEN, EL1PTEN) bits 10, 11 with E2H = 1 */
#define CNTHCTL_EL1PCTEN (VHE ? BIT(10) : BIT(0))
#define CNTHCTL_EL1PCEN (VHE ? BIT(11) : BIT(1))
/* CPTR_EL2 (D24.2.38): TFP bit 10 with E2H = 0, FPEN bits 21:20 with
 * E2H = 1 (0b00 traps EL2, EL1 and EL0); TCPAC bit 31 */
#define CPTR_TFP BIT(10)
#define CPTR_FPEN (3UL << 20)
#define CPTR_TCPAC BIT(31)
/* MDCR_EL2 (D24.3): TDRA, TDOSA, TDA */
#define MDCR_TDRA BIT(11)
#define MDCR_TDOSA BIT(10)
#define MDCR_TDA BIT(9)

#define EC_FP 0x07
#define EC_SYS64 0x18
#define ISS_FP_AARCH64 0x1e00000UL /* CV 1, COND 0b1110 (D24.2.46) */
/* EC 0x18: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5],
 * CRm [4:1], Direction [0] (1: read) */
#define SYS_ISS(op0, op1, crn, crm, op2, rt, rd)                               \
	(((uint64_t)(op0) << 20) | ((uint64_t)(op2) << 17) |                   \
	 ((uint64_t)(op1) << 14) | ((uint64_t)(crn) << 10) |                   \
	 ((uint64_t)(rt) << 5) | ((uint64_t)(crm) << 1) | (uint64_t)(rd))

#define VEC_EL2_LOWER_IRQ 25 /* gt_irq_vector: EL2 table, 0x480 */
#define PPI_HPTIMER 26	     /* EL2 physical timer */
#define PPI_HVTIMER 28	     /* EL2 virtual timer (FEAT_VHE) */

#define MARKER 0x7a7a5c5c00000001UL

#define TIMER_MS 5     /* a timer armed this far ahead */
#define LATE_MS 100    /* ... must have fired within this */
#define TOL_MS 10      /* two counter reads a few instructions apart */
#define SPIN_MS 200    /* a payload waiting for an interrupt */
#define OFF_MIN_MS 100 /* the smallest CNTVOFF_EL2 used */

static uintptr_t gic_rd;

/* ---- what EL2 saw of the payload's exceptions, and the payload's view */

static volatile struct {
	uint64_t addr, val, midr, mpidr, vct, pct, vct2, cval, tval, when;
	uint64_t intid, isr;
	bool after;
} pay;

/* an IRQ taken (by the handler below), wherever */
static volatile struct {
	unsigned n;
	uint64_t vector, intid, el, spsr, pct;
} irq;

static uint64_t lower(uint64_t vector, uint64_t esr, uint64_t far, uint64_t elr,
		      struct gt_frame *f)
{
	unsigned rt = (esr >> 5) & 0x1f;

	if (vector != VEC_LOWER_SYNC)
		return give_up(f);
	if (seen_record(vector, esr, far, elr, f))
		return gt_lower_exit(f);
	if (EC(esr) == EC_SYS64 && (esr & 1) && rt <= 18)
		f->x[rt] = MARKER; /* emulate the read */
	if (EC(esr) == EC_SYS64 || EC(esr) == EC_FP)
		return elr + 4;
	return give_up(f);
}

/* runs fn(arg) at EL1 (spsr) with HCR_EL2 = HCR_BASE | hcr; true if it
 * got to its exit HVC */
static bool run(const char *name, void (*fn)(uint64_t), uint64_t arg,
		uint64_t spsr, uint64_t hcr)
{
	uint64_t ret;

	seen_reset();
	pay.addr = pay.val = pay.intid = pay.isr = 0;
	pay.after = false;
	WR(EL1(vbar), (uintptr_t)gt_vectors);
	ret = run_payload(name, fn, arg, spsr, HCR_BASE | hcr);
	hcr_set(HCR_BASE);
	return payload_ran(name, ret, pay.after);
}

static bool within(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v >= lo && v <= hi;
}

/* ---- the timers by INTID, as the EL that takes the interrupt names them */

static void timer_off(unsigned intid)
{
	if (current_el() == 1) {
		if (intid == PPI_VTIMER)
			WR(cntv_ctl_el0, CNT_CTL_IMASK);
		else if (intid == PPI_PTIMER)
			WR(cntp_ctl_el0, CNT_CTL_IMASK);
	} else if (intid == PPI_HPTIMER) {
		WR(cnthp_ctl_el2, CNT_CTL_IMASK);
	} else if (intid == PPI_HVTIMER) {
		WR(cnthv_ctl_el2, CNT_CTL_IMASK);
	} else if (intid == PPI_VTIMER) {
		WR(EL02(cntv_ctl), CNT_CTL_IMASK);
	} else if (intid == PPI_PTIMER) {
		WR(EL02(cntp_ctl), CNT_CTL_IMASK);
	}
	isb();
}

/* IRQ at either EL: acknowledge, note, silence the timer, end it */
static void irq_handler(void)
{
	uint64_t intid = gic_ack();

	irq.pct = RD(cntpct_el0);
	irq.vector = gt_irq_vector;
	irq.el = current_el();
	irq.spsr = irq.el == 2 ? RD(spsr_el2) : RD(spsr_el1);
	irq.intid = intid;
	irq.n++;
	if (intid < INTID_SPURIOUS) {
		timer_off((unsigned)intid);
		gic_eoi((uint32_t)intid);
	}
}

/* At EL2 with the interrupts masked, WFI until one is pending (or ms
 * pass); then take it through irq_handler. HCR_EL2.IMO routes physical
 * IRQs to EL2 meanwhile: with IMO = 0 (and TGE = 0) they target EL1 and
 * are never taken at EL2. */
static void wfi_for_irq(uint64_t ms)
{
	uint64_t end = RD(cntpct_el0) + ms_to_ticks(ms);

	irq.n = 0;
	irq.intid = INTID_SPURIOUS;
	WR(hcr_el2, HCR_BASE | HCR_IMO);
	isb();
	while (!(RD(isr_el1) & BIT(7)) && RD(cntpct_el0) < end)
		wfi();
	gt_set_irq_handler(irq_handler);
	irqs_on();
	irqs_off();
	gt_set_irq_handler(NULL);
	WR(hcr_el2, HCR_BASE);
	isb();
}

/* ---- 1. E2H flipped in HCR_EL2 without a trap (VHE only) ---- */

#if VHE
/* TCR_EL2 with E2H = 1 (TCR_EL1 layout): T0SZ 25, T1SZ 25, TG1 4KB (0b10),
 * IPS 40 bits */
#define FLIP_TCR (25UL | (25UL << 16) | (2UL << 30) | (2UL << 32))
#define FLIP_TCR_MASK (0x3fUL | (0x3fUL << 16) | (3UL << 30) | (7UL << 32))

static uint64_t exit_smc(void)
{
	return gt_smc(PSCI_VERSION, 0, 0, 0);
}

static uint64_t exit_mmio(void)
{
	return (mmio_read32(GICD_BASE + GICD_PIDR2) >> 4) & 0xf;
}

static void flip_case(const char *how, uint64_t (*exit_fn)(void),
		      uint64_t expect_lo, uint64_t expect_hi)
{
	uint64_t got, tcr2, tcr1, cpacr, cptr;
	char name[128];

	WR(hcr_el2, HCR_RW);
	isb();
	(void)RD(tcr_el2); /* E2H = 0 in effect */
	WR(hcr_el2, HCR_RW | HCR_E2H);
	isb();
	got = exit_fn();
	WR(tcr_el1, FLIP_TCR);	  /* E2H = 1: TCR_EL2 */
	WR(cpacr_el1, CPTR_FPEN); /* E2H = 1: CPTR_EL2, FPEN 0b11 */
	isb();
	tcr2 = RD(tcr_el2);
	tcr1 = RD(tcr_el1);
	cpacr = RD(cpacr_el1);
	cptr = RD(cptr_el2);
	hyp_snprintf(name, sizeof(name), "E2H 0->1, then %s: it answered", how);
	gt_check(within(got, expect_lo, expect_hi), name, "0x%lx",
		 (unsigned long)got);
	hyp_snprintf(name, sizeof(name),
		     "E2H 0->1, then %s: TCR_EL2 keeps T0SZ/T1SZ/TG1/IPS", how);
	gt_check(((tcr2 ^ FLIP_TCR) & FLIP_TCR_MASK) == 0 &&
		     ((tcr1 ^ FLIP_TCR) & FLIP_TCR_MASK) == 0,
		 name, "wrote 0x%lx, TCR_EL2 0x%lx, TCR_EL1 0x%lx",
		 (unsigned long)FLIP_TCR, (unsigned long)tcr2,
		 (unsigned long)tcr1);
	hyp_snprintf(name, sizeof(name),
		     "E2H 0->1, then %s: CPTR_EL2 keeps FPEN 0b11", how);
	gt_check((cpacr & CPTR_FPEN) == CPTR_FPEN &&
		     (cptr & CPTR_FPEN) == CPTR_FPEN,
		 name, "CPACR_EL1 0x%lx CPTR_EL2 0x%lx", (unsigned long)cpacr,
		 (unsigned long)cptr);
	WR(tcr_el1, 0);
	isb();
}

static void test_e2h_flip(void)
{
	flip_case("an SMC (PSCI_VERSION)", exit_smc, 0x10000, 0x1ffff);
	flip_case("an MMIO read (GICD_PIDR2)", exit_mmio, 3, 4);
}
#endif

/* ---- the GIC, set up by EL2: the timers' PPIs, Group 1 ---- */

static void gic_setup(void)
{
	uintptr_t rd;

	write_sysreg(icc_sre_el2, 0xf);
	isb();
	rd = gic_setup_ppis(BIT(PPI_HPTIMER) | BIT(PPI_VTIMER) |
				BIT(PPI_HVTIMER) | BIT(PPI_PTIMER),
			    "GIC: GICD set up");
	if (!rd)
		return;
	CHECK_EQ(gic_cpuif_init() & 1, 1, "GIC: ICC_SRE_EL1.SRE = 1");
	gic_rd = rd;
}

/* CNTVOFF_EL2 for the tests: half the count so far, at least OFF_MIN_MS */
static uint64_t pick_offset(void)
{
	while (RD(cntpct_el0) < 2 * ms_to_ticks(OFF_MIN_MS))
		;
	return RD(cntpct_el0) / 2;
}

/* ---- 2. CNTVOFF_EL2, VPIDR_EL2, VMPIDR_EL2 at vEL1 ---- */

#define T_VPIDR 0x4a1ff123UL
#define T_VMPIDR (BIT(31) | 0x0203UL) /* Aff1 2, Aff0 3 */
#define T_TVAL_MS 500

static __attribute__((noinline, noreturn)) void p_counters(uint64_t arg)
{
	(void)arg;
	pay.midr = RD(midr_el1);
	pay.mpidr = RD(mpidr_el1);
	isb();
	pay.vct = RD(cntvct_el0);
	isb();
	pay.pct = RD(cntpct_el0);
	WR(cntv_ctl_el0, CNT_CTL_ENABLE | CNT_CTL_IMASK);
	WR(cntv_tval_el0, ms_to_ticks(T_TVAL_MS));
	isb();
	pay.vct2 = RD(cntvct_el0);
	pay.cval = RD(cntv_cval_el0);
	pay.tval = RD(cntv_tval_el0);
	pay.after = true;
	payload_exit();
}

static void test_counters(void)
{
	uint64_t off = pick_offset(), tol = ms_to_ticks(TOL_MS);
	uint64_t t = ms_to_ticks(T_TVAL_MS);
	uint64_t midr2 = RD(midr_el1), mpidr2 = RD(mpidr_el1);
	uint64_t old_vpidr = RD(vpidr_el2), old_vmpidr = RD(vmpidr_el2);
	uint64_t v, p, cval, tval;

	WR(cntvoff_el2, off);
	WR(vpidr_el2, T_VPIDR);
	WR(vmpidr_el2, T_VMPIDR);
	isb();
	if (run("counters payload ran to its exit", p_counters, 0, SPSR_EL1H,
		0)) {
		gt_check(pay.midr == T_VPIDR, "vEL1: MIDR_EL1 reads VPIDR_EL2",
			 "MIDR_EL1 0x%lx, VPIDR_EL2 0x%lx",
			 (unsigned long)pay.midr, (unsigned long)T_VPIDR);
		gt_check(pay.mpidr == T_VMPIDR,
			 "vEL1: MPIDR_EL1 reads VMPIDR_EL2",
			 "MPIDR_EL1 0x%lx, VMPIDR_EL2 0x%lx",
			 (unsigned long)pay.mpidr, (unsigned long)T_VMPIDR);
		gt_check(within(pay.pct - pay.vct, off, off + tol),
			 "vEL1: CNTVCT_EL0 = CNTPCT_EL0 - CNTVOFF_EL2",
			 "CNTPCT 0x%lx CNTVCT 0x%lx CNTVOFF 0x%lx",
			 (unsigned long)pay.pct, (unsigned long)pay.vct,
			 (unsigned long)off);
		gt_check(within(pay.cval - pay.vct2, t - tol, t) &&
			     within(pay.tval, t - tol, t),
			 "vEL1: CNTV_TVAL_EL0 written counts in the virtual "
			 "count (CVAL, TVAL agree)",
			 "TVAL written 0x%lx: CVAL 0x%lx at CNTVCT 0x%lx, TVAL "
			 "0x%lx",
			 (unsigned long)t, (unsigned long)pay.cval,
			 (unsigned long)pay.vct2, (unsigned long)pay.tval);
		cval = RD(EL02(cntv_cval));
		tval = (uint32_t)RD(EL02(cntv_tval));
		p = RD(cntpct_el0);
		gt_check(cval == pay.cval,
			 "EL2: the vEL1 CNTV_CVAL_EL0 is what vEL1 set",
			 "0x%lx, vEL1 set 0x%lx", (unsigned long)cval,
			 (unsigned long)pay.cval);
		gt_check(within(cval - (p - off) + tol, tval, tval + 2 * tol),
			 "EL2: the vEL1 CNTV_TVAL_EL0 counts CNTPCT_EL0 - "
			 "CNTVOFF_EL2",
			 "TVAL 0x%lx, CVAL 0x%lx, CNTPCT 0x%lx",
			 (unsigned long)tval, (unsigned long)cval,
			 (unsigned long)p);
	}
	isb();
	v = RD(cntvct_el0);
	isb();
	p = RD(cntpct_el0);
	gt_check(within(p - v, VHE ? 0 : off, (VHE ? 0 : off) + tol),
		 VHE ? "EL2, E2H = 1: CNTVCT_EL0 = CNTPCT_EL0 (no offset)"
		     : "EL2, E2H = 0: CNTVCT_EL0 = CNTPCT_EL0 - CNTVOFF_EL2",
		 "CNTPCT 0x%lx CNTVCT 0x%lx CNTVOFF 0x%lx", (unsigned long)p,
		 (unsigned long)v, (unsigned long)off);
	gt_check(RD(midr_el1) == midr2 && RD(mpidr_el1) == mpidr2,
		 "EL2: MIDR_EL1, MPIDR_EL1 not virtualised",
		 "MIDR 0x%lx (was 0x%lx) MPIDR 0x%lx (was 0x%lx)",
		 (unsigned long)RD(midr_el1), (unsigned long)midr2,
		 (unsigned long)RD(mpidr_el1), (unsigned long)mpidr2);
	WR(EL02(cntv_ctl), 0);
	WR(vpidr_el2, old_vpidr);
	WR(vmpidr_el2, old_vmpidr);
	WR(cntvoff_el2, 0);
	isb();
}

/* ---- 3. CNTHCTL_EL2, CPTR_EL2, MDCR_EL2 traps from vEL1 ---- */

enum access { A_CNTPCT, A_CNTP_CTL, A_CPACR, A_FP, A_MDSCR, A_OSLSR, A_MDRAR };

#define ACCESS(insn)                                                           \
	__asm__ volatile("adr x1, 1f\n 1: " insn                               \
			 : "=r"(x1), "+r"(x5)::"memor"                         \
					       "y")

static __attribute__((noinline, noreturn)) void p_access(uint64_t which)
{
	register uint64_t x1 __asm__("x1");
	register uint64_t x5 __asm__("x5") = 0;

	switch (which) {
	case A_CNTPCT:
		ACCESS("mrs x5, cntpct_el0");
		break;
	case A_CNTP_CTL:
		ACCESS("mrs x5, cntp_ctl_el0");
		break;
	case A_CPACR:
		ACCESS("mrs x5, cpacr_el1");
		break;
	case A_FP:
		ACCESS("fmov d0, xzr");
		break;
	case A_MDSCR:
		ACCESS("mrs x5, mdscr_el1");
		break;
	case A_OSLSR:
		ACCESS("mrs x5, oslsr_el1");
		break;
	default:
		ACCESS("mrs x5, mdrar_el1");
		break;
	}
	pay.addr = x1;
	pay.val = x5;
	pay.after = true;
	payload_exit();
}

enum ctl { CTL_CNTHCTL, CTL_CPTR, CTL_MDCR };

/* fwd-test: CNTHCTL_EL2.EL1PCTEN CNTHCTL_EL2.EL1PCEN CNTHCTL_EL2.EL1PTEN
 * fwd-test: CPTR_EL2.TCPAC CPTR_EL2.FPEN CPTR_EL2.TFP
 * fwd-test: MDCR_EL2.TDA MDCR_EL2.TDOSA MDCR_EL2.TDRA */
static const struct trap_case {
	const char *name;
	enum access access;
	enum ctl ctl;
	uint64_t mask, traps; /* the control traps when (reg & mask) == traps */
	unsigned ec;
	uint64_t iss;
} trap_cases[] = {
	{ "CNTHCTL_EL2.EL1PCTEN: MRS CNTPCT_EL0", A_CNTPCT, CTL_CNTHCTL,
	  CNTHCTL_EL1PCTEN, 0, EC_SYS64, SYS_ISS(3, 3, 14, 0, 1, 5, 1) },
#if VHE
	{ "CNTHCTL_EL2.EL1PTEN: MRS CNTP_CTL_EL0",
#else
	{ "CNTHCTL_EL2.EL1PCEN: MRS CNTP_CTL_EL0",
#endif
	  A_CNTP_CTL, CTL_CNTHCTL, CNTHCTL_EL1PCEN, 0, EC_SYS64,
	  SYS_ISS(3, 3, 14, 2, 1, 5, 1) },
	{ "CPTR_EL2.TCPAC: MRS CPACR_EL1", A_CPACR, CTL_CPTR, CPTR_TCPAC,
	  CPTR_TCPAC, EC_SYS64, SYS_ISS(3, 0, 1, 0, 2, 5, 1) },
#if VHE
	{ "CPTR_EL2.FPEN 0b00: FMOV", A_FP, CTL_CPTR, CPTR_FPEN, 0, EC_FP,
	  ISS_FP_AARCH64 },
#else
	{ "CPTR_EL2.TFP: FMOV", A_FP, CTL_CPTR, CPTR_TFP, CPTR_TFP, EC_FP,
	  ISS_FP_AARCH64 },
#endif
	{ "MDCR_EL2.TDA: MRS MDSCR_EL1", A_MDSCR, CTL_MDCR, MDCR_TDA, MDCR_TDA,
	  EC_SYS64, SYS_ISS(2, 0, 0, 2, 2, 5, 1) },
	{ "MDCR_EL2.TDOSA: MRS OSLSR_EL1", A_OSLSR, CTL_MDCR, MDCR_TDOSA,
	  MDCR_TDOSA, EC_SYS64, SYS_ISS(2, 0, 1, 1, 4, 5, 1) },
	{ "MDCR_EL2.TDRA: MRS MDRAR_EL1", A_MDRAR, CTL_MDCR, MDCR_TDRA,
	  MDCR_TDRA, EC_SYS64, SYS_ISS(2, 0, 1, 0, 0, 5, 1) },
};

static uint64_t ctl_read(enum ctl c)
{
	return c == CTL_CNTHCTL ? RD(cnthctl_el2)
	       : c == CTL_CPTR	? RD(cptr_el2)
				: RD(mdcr_el2);
}

static void ctl_write(enum ctl c, uint64_t v)
{
	if (c == CTL_CNTHCTL)
		WR(cnthctl_el2, v);
	else if (c == CTL_CPTR)
		WR(cptr_el2, v);
	else
		WR(mdcr_el2, v);
	isb();
}

static void trap_case(const struct trap_case *c)
{
	uint64_t old = ctl_read(c->ctl), no_trap = c->traps ^ c->mask;
	const volatile struct rec *r = &seen.rec[0];
	char name[160];

	ctl_write(c->ctl, (old & ~c->mask) | c->traps);
	hyp_snprintf(name, sizeof(name), "%s: payload ran", c->name);
	if (run(name, p_access, c->access, SPSR_EL1H, 0)) {
		hyp_snprintf(name, sizeof(name),
			     "%s: trapped to EL2, lower-EL sync, EC 0x%02x, "
			     "ISS 0x%lx",
			     c->name, c->ec, (unsigned long)c->iss);
		gt_check(seen.n == 1 && r->vector == VEC_LOWER_SYNC &&
			     EC(r->esr) == c->ec && (r->esr & ESR_IL) &&
			     ISS(r->esr) == c->iss,
			 name, "%u exceptions, vector %lu ESR 0x%lx", seen.n,
			 (unsigned long)r->vector, (unsigned long)r->esr);
		hyp_snprintf(name, sizeof(name),
			     "%s: ELR_EL2 the instruction, SPSR_EL2.M EL1h",
			     c->name);
		gt_check(r->elr == pay.addr && (r->spsr & 0x1f) == 5, name,
			 "ELR 0x%lx, instruction at 0x%lx, SPSR 0x%lx",
			 (unsigned long)r->elr, (unsigned long)pay.addr,
			 (unsigned long)r->spsr);
	}
	ctl_write(c->ctl, (old & ~c->mask) | no_trap);
	hyp_snprintf(name, sizeof(name), "%s: clear, payload ran", c->name);
	if (run(name, p_access, c->access, SPSR_EL1H, 0)) {
		hyp_snprintf(name, sizeof(name), "%s: clear, not trapped",
			     c->name);
		gt_check(seen.n == 0 && pay.val != MARKER, name,
			 "%u exceptions, ESR 0x%lx", seen.n,
			 (unsigned long)r->esr);
	}
	ctl_write(c->ctl, old);
}

static void test_ctl_traps(void)
{
	/* vEL1's own CPACR_EL1 lets FP/SIMD through (FPEN 0b11) */
	WR(EL1(cpacr), CPTR_FPEN);
	isb();
	for (unsigned i = 0; i < ARRAY_SIZE(trap_cases); i++)
		trap_case(&trap_cases[i]);
}

/* ---- 4. the EL1 virtual timer armed from EL2, CNTVOFF_EL2 != 0 ---- */

static void check_irq(const char *what, unsigned intid, uint64_t deadline_pct)
{
	char name[128];

	hyp_snprintf(name, sizeof(name), "%s: interrupt %u taken", what, intid);
	gt_check(irq.n == 1 && irq.intid == intid, name, "%u taken, INTID %lu",
		 irq.n, (unsigned long)irq.intid);
	hyp_snprintf(name, sizeof(name), "%s: not early, not late", what);
	gt_check(
	    within(irq.pct, deadline_pct, deadline_pct + ms_to_ticks(LATE_MS)),
	    name, "taken at CNTPCT 0x%lx, due 0x%lx", (unsigned long)irq.pct,
	    (unsigned long)deadline_pct);
}

static void test_stored_vtimer(void)
{
	uint64_t off = pick_offset(), cval;

	WR(cntvoff_el2, off);
	isb();
	cval = RD(cntpct_el0) - off + ms_to_ticks(TIMER_MS);
	WR(EL02(cntv_cval), cval);
	WR(EL02(cntv_ctl), CNT_CTL_ENABLE);
	isb();
	wfi_for_irq(LATE_MS * 2);
	check_irq("EL1 virtual timer armed at EL2, CNTVOFF_EL2 set", PPI_VTIMER,
		  cval + off);
	WR(EL02(cntv_ctl), 0);
	WR(cntvoff_el2, 0);
	isb();
}

/* ---- 5. WFI wakes up on the timers ---- */

/* the EL2 physical timer armed for due */
static void hptimer_at(uint64_t due)
{
#if VHE
	/* E2H = 1: the CNTP_* names at EL2 are CNTHP_*_EL2 */
	WR(cntp_cval_el0, due);
	WR(cntp_ctl_el0, CNT_CTL_ENABLE);
#else
	WR(cnthp_cval_el2, due);
	WR(cnthp_ctl_el2, CNT_CTL_ENABLE);
#endif
	isb();
}

static void test_wfi_el2(void)
{
	uint64_t due = RD(cntpct_el0) + ms_to_ticks(TIMER_MS);

	hptimer_at(due);
	wfi_for_irq(LATE_MS * 2);
	check_irq("EL2: WFI, the EL2 physical timer", PPI_HPTIMER, due);
	WR(cnthp_ctl_el2, 0);
#if VHE
	/* E2H = 1: the CNTV_* names at EL2 are CNTHV_*_EL2, offset 0 */
	WR(cntvoff_el2, pick_offset());
	due = RD(cntpct_el0) + ms_to_ticks(TIMER_MS);
	WR(cntv_cval_el0, due);
	WR(cntv_ctl_el0, CNT_CTL_ENABLE);
	isb();
	wfi_for_irq(LATE_MS * 2);
	check_irq("EL2: WFI, the EL2 virtual timer", PPI_HVTIMER, due);
	WR(cnthv_ctl_el2, 0);
	WR(cntvoff_el2, 0);
#endif
	isb();
}

/* An EL2 timer asserts its interrupt (the interrupts masked), an exit
 * (an SMC) shows it, it is stopped without being taken, another exit; then
 * armed again: WFI still wakes up on it. */
static void test_wfi_el2_untaken(void)
{
	uint64_t due;

/* with VHE the EL2 virtual timer, through the CNTV_* names (CNTHV_*_EL2
 * at EL2 with E2H = 1), else the EL2 physical one */
#if VHE
#define EL2_TIMER(r) cntv_##r##_el0
#define EL2_TIMER_PPI PPI_HVTIMER
#define EL2_TIMER_KIND "virtual"
#else
#define EL2_TIMER(r) cnthp_##r##_el2
#define EL2_TIMER_PPI PPI_HPTIMER
#define EL2_TIMER_KIND "physical"
#endif
	WR(EL2_TIMER(cval), 0);
	WR(EL2_TIMER(ctl), CNT_CTL_ENABLE);
	isb();
	(void)gt_smc(PSCI_VERSION, 0, 0, 0);
	WR(EL2_TIMER(ctl), 0);
	isb();
	(void)gt_smc(PSCI_VERSION, 0, 0, 0);
	due = RD(cntpct_el0) + ms_to_ticks(TIMER_MS);
	WR(EL2_TIMER(cval), due);
	WR(EL2_TIMER(ctl), CNT_CTL_ENABLE);
	isb();
	wfi_for_irq(LATE_MS * 2);
	check_irq("EL2: WFI, the EL2 " EL2_TIMER_KIND
		  " timer, after one not taken",
		  EL2_TIMER_PPI, due);
	WR(EL2_TIMER(ctl), 0);
	isb();
}

/* vEL1: arm its own timer arg (27 virtual, 30 physical), WFI with the
 * interrupts masked, take it. With bit 8 of arg, first the same timer
 * asserts, is noticed by an exit (an SMC), and is stopped untaken. */
#define UNTAKEN BIT(8)
#define ARMED BIT(9) /* EL2 armed the EL1 virtual timer already */

static __attribute__((noinline, noreturn)) void p_wfi(uint64_t arg)
{
	uint64_t which = arg & 0xff, end;

	if ((arg & UNTAKEN) && which == PPI_VTIMER) {
		WR(cntv_cval_el0, 0);
		WR(cntv_ctl_el0, CNT_CTL_ENABLE);
		isb();
		(void)gt_smc(PSCI_VERSION, 0, 0, 0);
		WR(cntv_ctl_el0, 0);
		isb();
		(void)gt_smc(PSCI_VERSION, 0, 0, 0);
	}
	if (arg & ARMED) {
		pay.cval = RD(cntv_cval_el0);
	} else if (which == PPI_VTIMER) {
		pay.cval = RD(cntvct_el0) + ms_to_ticks(TIMER_MS);
		WR(cntv_cval_el0, pay.cval);
		WR(cntv_ctl_el0, CNT_CTL_ENABLE);
	} else {
		pay.cval = RD(cntpct_el0) + ms_to_ticks(TIMER_MS);
		WR(cntp_cval_el0, pay.cval);
		WR(cntp_ctl_el0, CNT_CTL_ENABLE);
	}
	isb();
	end = RD(cntpct_el0) + ms_to_ticks(LATE_MS * 2);
	while (!(RD(isr_el1) & BIT(7)) && RD(cntpct_el0) < end)
		wfi();
	pay.isr = RD(isr_el1);
	pay.when = which == PPI_VTIMER ? RD(cntvct_el0) : RD(cntpct_el0);
	pay.intid = gic_ack();
	timer_off((unsigned)which);
	if (pay.intid < INTID_SPURIOUS)
		gic_eoi((uint32_t)pay.intid);
	pay.after = true;
	payload_exit();
}

static void wfi_vel1(const char *what, uint64_t arg)
{
	unsigned which = arg & 0xff;
	char name[128];

	hyp_snprintf(name, sizeof(name), "%s: payload ran", what);
	if (!run(name, p_wfi, arg, SPSR_EL1H, 0))
		return;
	hyp_snprintf(name, sizeof(name),
		     "%s: WFI woke up, IRQ pending, %u acknowledged at vEL1",
		     what, which);
	gt_check((pay.isr & BIT(7)) && pay.intid == which, name,
		 "ISR_EL1 0x%lx, INTID %lu", (unsigned long)pay.isr,
		 (unsigned long)pay.intid);
	hyp_snprintf(name, sizeof(name), "%s: not early, not late", what);
	gt_check(within(pay.when, pay.cval, pay.cval + ms_to_ticks(LATE_MS)),
		 name, "woke at 0x%lx, CVAL 0x%lx", (unsigned long)pay.when,
		 (unsigned long)pay.cval);
}

static void test_wfi_vel1(void)
{
	uint64_t off = pick_offset(), lo, hi;

	WR(cntvoff_el2, off);
	isb();
	wfi_vel1("vEL1: WFI, its EL1 virtual timer", PPI_VTIMER);
	wfi_vel1("vEL1: WFI, its EL1 physical timer", PPI_PTIMER);
	wfi_vel1("vEL1: WFI, its EL1 virtual timer, after one not taken",
		 PPI_VTIMER | UNTAKEN);
	/* EL2 arms it through TVAL (E2H = 0: CNTV_TVAL_EL0, which with
	 * HCR_EL2.NV2 is not redirected to memory as CTL and CVAL are) */
	WR(EL02(cntv_cval), 0);
	lo = RD(cntpct_el0) - off + ms_to_ticks(TIMER_MS);
	WR(EL02(cntv_tval), ms_to_ticks(TIMER_MS));
	hi = RD(cntpct_el0) - off + ms_to_ticks(TIMER_MS);
	WR(EL02(cntv_ctl), CNT_CTL_ENABLE);
	isb();
	wfi_vel1("vEL1: WFI, its EL1 virtual timer armed by EL2 through TVAL",
		 PPI_VTIMER | ARMED);
	gt_check(within(pay.cval, lo, hi),
		 "EL2's TVAL write set the vEL1 CNTV_CVAL_EL0 (virtual count)",
		 "CVAL 0x%lx, expected 0x%lx..0x%lx", (unsigned long)pay.cval,
		 (unsigned long)lo, (unsigned long)hi);
	WR(cntvoff_el2, 0);
	isb();
}

/* ---- 6. IMO with the EL1 virtual timer expired at the ERET ---- */

static __attribute__((noinline, noreturn)) void p_spin(uint64_t arg)
{
	uint64_t end = RD(cntpct_el0) + ms_to_ticks(SPIN_MS);

	(void)arg;
	while (irq.n == 0 && RD(cntpct_el0) < end)
		;
	irqs_off();
	pay.after = true;
	payload_exit();
}

/* no IRQ seen yet; the next one, wherever, to irq_handler */
static void irq_expect(void)
{
	irq.n = 0;
	irq.intid = INTID_SPURIOUS;
	gt_set_irq_handler(irq_handler);
}

/* the EL1 virtual timer armed from EL2 for cval (in its virtual count),
 * its interrupt expected */
static void vtimer_at(uint64_t cval)
{
	WR(EL02(cntv_cval), cval);
	WR(EL02(cntv_ctl), CNT_CTL_ENABLE);
	isb();
	irq_expect();
}

static void test_imo_expired(void)
{
	vtimer_at(0);
	if (run("IMO, timer expired before the ERET: payload ran", p_spin, 0,
		SPSR_EL1H & ~SPSR_I, HCR_IMO)) {
		gt_check(irq.n == 1 && irq.el == 2 &&
			     irq.vector == VEC_EL2_LOWER_IRQ &&
			     (irq.spsr & 0x1f) == 5 && irq.intid == PPI_VTIMER,
			 "IMO, timer expired before the ERET: taken at EL2 "
			 "0x480 from EL1h, INTID 27",
			 "%u taken, at EL%lu vector %lu SPSR 0x%lx INTID %lu",
			 irq.n, (unsigned long)irq.el,
			 (unsigned long)irq.vector, (unsigned long)irq.spsr,
			 (unsigned long)irq.intid);
	}
	gt_set_irq_handler(NULL);
	WR(EL02(cntv_ctl), 0);
	isb();
}

/* The EL2 physical timer, armed at EL2 to expire 1 ms later, just before
 * EL2 enters vEL1 with IMO (PSTATE.I clear there): wherever the deadline
 * falls, the interrupt is taken at EL2 (0x480). */
static void test_imo_el2_timer(void)
{
	uint64_t due = RD(cntpct_el0) + ms_to_ticks(1);

	irq_expect();
	hptimer_at(due);
	if (run("IMO, EL2 timer due as vEL1 starts: payload ran", p_spin, 0,
		SPSR_EL1H & ~SPSR_I, HCR_IMO)) {
		gt_check(
		    irq.n == 1 && irq.el == 2 &&
			irq.vector == VEC_EL2_LOWER_IRQ &&
			(irq.spsr & 0x1f) == 5 && irq.intid == PPI_HPTIMER,
		    "IMO, EL2 timer due as vEL1 starts: taken at EL2 0x480 "
		    "from EL1h, INTID 26",
		    "%u taken, at EL%lu vector %lu SPSR 0x%lx INTID %lu", irq.n,
		    (unsigned long)irq.el, (unsigned long)irq.vector,
		    (unsigned long)irq.spsr, (unsigned long)irq.intid);
	}
	gt_set_irq_handler(NULL);
	WR(cnthp_ctl_el2, 0);
	isb();
}

/* IMO routing with the guest's CNTVOFF_EL2 set: the routing decision
 * samples the vEL1 timer on the offset vEL1 runs with (review finding: it
 * used vEL2's, saw the timer expired, and took an IRQ to vEL2 on every
 * entry until the real deadline) */
static void test_imo_offset(void)
{
	uint64_t off = pick_offset(), cval, due;

	WR(cntvoff_el2, off);
	isb();
	cval = RD(cntpct_el0) - off + ms_to_ticks(50);
	due = cval + off;
	vtimer_at(cval);
	if (run("IMO with CNTVOFF_EL2: payload ran", p_spin, 0,
		SPSR_EL1H & ~SPSR_I, HCR_IMO)) {
		gt_check(
		    irq.n == 1 && irq.intid == PPI_VTIMER && irq.pct >= due,
		    "IMO with CNTVOFF_EL2: one IRQ, INTID 27, at the deadline",
		    "%u taken, last INTID %lu, at 0x%lx due 0x%lx", irq.n,
		    (unsigned long)irq.intid, (unsigned long)irq.pct,
		    (unsigned long)due);
	}
	gt_set_irq_handler(NULL);
	WR(EL02(cntv_ctl), 0);
	WR(cntvoff_el2, 0);
	isb();
}

static void level_main(void)
{
	need_el2();
#if VHE
	test_e2h_flip();
#endif
	hcr_set(HCR_BASE);
	gt_set_lower_handler(lower);
	/* vEL1 reads the physical count and uses its physical timer, as a
	 * hypervisor's guest does (the traps are test 3's business) */
	WR(cnthctl_el2, RD(cnthctl_el2) | CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	isb();
	gic_setup();
	test_counters();
	test_ctl_traps();
	if (gic_rd) {
		test_stored_vtimer();
		test_wfi_el2();
		test_wfi_el2_untaken();
		test_wfi_vel1();
		test_imo_expired();
		test_imo_el2_timer();
		test_imo_offset();
	}
	gt_set_lower_handler(NULL);
	gt_done();
}

#endif
