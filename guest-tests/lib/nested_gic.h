/* A guest hypervisor at (virtual) EL2, HCR_EL2.E2H = VHE (0 or 1: the VHE
 * flavour sets it, vel2_nested_gic_vhe.c), drives its GIC
 * virtual interface for a payload at its vEL1 (HCR_EL2.IMO = 1,
 * ICH_HCR_EL2.En = 1, no stage 2): the nested vGIC (IHI 0069, "Virtual
 * interrupt handling and prioritization", the ICH_* descriptions).
 *  1. An interrupt EL2 puts in a list register (vINTID 100, pending,
 *     EOI = 1) is taken by the payload at EL1 (ICC_IAR1_EL1 reads 100),
 *     which EOIs it (EOImode 0: deactivated); the EOI maintenance
 *     interrupt reaches EL2 as PPI 25, where ICH_MISR_EL2 says EOI,
 *     ICH_EISR_EL2 names LR0, ICH_ELRSR_EL2 does not, LR0's State is 0
 *     with EOI kept; ICH_VMCR_EL2 shows the payload's own ICV_PMR_EL1 and
 *     ICV_IGRPEN1_EL1 writes.
 *  2. ICH_HCR_EL2.UIE with no list register valid: the underflow
 *     maintenance interrupt reaches EL2 as PPI 25 before the payload's
 *     first instruction, ICH_MISR_EL2 = U.
 *  3. The payload's EL1 virtual timer, armed in its virtual count with
 *     CNTVOFF_EL2 != 0, interrupts EL2 (PPI 27, IMO) on time; EL2 drops
 *     its priority only (EOImode 1: still active) and hands it to the
 *     payload in a HW = 1 list register (pINTID 27); the payload takes
 *     and deactivates it, which deactivates EL2's PPI 27 (GICR_ISACTIVER0
 *     bit 27 clear), LR0 ends State 0, HW 1, in ICH_ELRSR_EL2, and no
 *     maintenance interrupt is asserted (HW = 1 has no EOI maintenance).
 *  4. EL2's own physical timer (PPI 26), due while the payload runs with
 *     a pending list register it does not take (IRQs masked at EL1),
 *     interrupts EL2 on time, once; LR0 is still pending afterwards.
 *  6. 1 again with HCR_EL2.VM = 1 and an identity stage 2: the payload is
 *     an L2 proper (under hypnest on a shadow stage 2).
 *  7. UIE with no LR valid while EL2 has PPI 25 disabled: the payload runs
 *     to its end (no storm of maintenance interrupts), PPI 25 reads
 *     pending in GICR_ISPENDR0 until EL2 clears UIE, then not.
 *  8. With IMO the payload's ICC_SGI1R_EL1 and ICC_ASGI1R_EL1 writes trap
 *     to EL2 (EC 0x18), and no SGI reaches EL2's own GIC.
 * With NESTED_GIC_BAD (vel2_nested_gic_bad.c, under hypnest only: the
 * contents are UNPREDICTABLE on hardware) list registers with bad
 * contents instead of 1-3, then 4.
 * Every check is the architecture's: passes in full at QEMU's real EL2
 * (virtualization=on) and under hypnest with guest.el2=nvhe (E2H = 0) and
 * guest.el2=vhe (E2H = 1). Header-only: vel2_nested_gic.c and
 * vel2_nested_gic_vhe.c include it. */
#ifndef GT_NESTED_GIC_H
#define GT_NESTED_GIC_H
#include "payload.h"
#include "stage2.h"

#ifndef VHE
#error "define VHE (0 or 1) before including nested_gic.h"
#endif

#define HCR_IMO BIT(4)
#define HCR_BASE (HCR_RW | (VHE ? HCR_E2H : 0))
#if VHE
#define vbar_el12 s3_5_c12_c0_0
#define sctlr_el12 s3_5_c1_c0_0
#define EL1(r) r##_el12 /* the EL1 register, from EL2 */
#else
#define EL1(r) r##_el1
#endif

#define PPI_MAINT 25
#define EC_SYS64_ 0x18
/* ESR_EL2.ISS of a trapped MSR (D24.2.45, EC 0x18) without Rt [9:5]:
 * Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], CRm [4:1], write */
#define ISS_MSR(op0, op1, crn, crm, op2)                                       \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) |       \
	 ((crm) << 1))
#define ESR_NO_RT ((0x3fUL << 26) | (0x1ffffffUL & ~(0x1fUL << 5)))
#define ISS_SGI1R ISS_MSR(3UL, 0UL, 12UL, 11UL, 5UL)
#define ISS_ASGI1R ISS_MSR(3UL, 0UL, 12UL, 11UL, 6UL)
#define SGI_N 3
#define PPI_VTIMER_ 27
#define PPI_HPTIMER 26

/* ICH_LR<n>_EL2 */
#define LR_PENDING (1UL << 62)
#define LR_STATE(lr) ((lr) >> 62)
#define LR_HW BIT(61)
#define LR_GROUP1 BIT(60)
#define LR_EOI BIT(41)
#define LR_PRIO(p) ((uint64_t)(p) << 48)
#define LR_PINTID(n) ((uint64_t)(n) << 32)
/* ICH_HCR_EL2, ICH_MISR_EL2 */
#define ICH_EN BIT(0)
#define ICH_UIE BIT(1)
#define MISR_EOI BIT(0)
#define MISR_U BIT(1)
/* ICH_VMCR_EL2 */
#define VMCR_VENG1 BIT(1)
#define VMCR_VPMR(v) (((v) >> 24) & 0xff)
/* ICC_CTLR_EL1.EOImode */
#define CTLR_EOIMODE BIT(1)

#define V_INTID 100
#define SPIN_MS 200
#define TIMER_MS 5
#define LATE_MS 100
#define OFF_MIN_MS 100

static uintptr_t gic_rd;

/* what the payload (EL1) saw */
static volatile struct {
	unsigned n, intid;
	unsigned intids[4]; /* the first four taken */
	uint64_t cval, pmr;
	bool after;
} pay;

/* what EL2 saw: its IRQs, and its GIC view at the maintenance interrupt */
static volatile struct {
	unsigned n, maint, timer, htimer, other, other_intid;
	uint64_t vector, misr, eisr, elrsr, lr0, timer_pct, htimer_pct;
	bool active27;
} el2;

static void clear_state(void)
{
	pay.n = pay.intid = 0;
	for (unsigned i = 0; i < 4; i++)
		pay.intids[i] = 0;
	pay.cval = pay.pmr = 0;
	pay.after = false;
	el2.n = el2.maint = el2.timer = el2.htimer = 0;
	el2.other = el2.other_intid = 0;
	el2.htimer_pct = 0;
	el2.vector = el2.misr = el2.eisr = el2.elrsr = el2.lr0 = 0;
	el2.timer_pct = 0;
	el2.active27 = false;
	seen_reset();
}

static bool ppi_active(unsigned intid)
{
	return mmio_read32(gic_rd + GICR_SGI + GICR_ISACTIVER0) & BIT(intid);
}

/* the payload's IRQ (its own vectors): acknowledge, silence the timer,
 * EOI (EOImode 0: deactivates) */
static void pay_irq(void)
{
	uint32_t intid = gic_ack();

	if (pay.n < 4)
		pay.intids[pay.n] = intid;
	pay.n++;
	pay.intid = intid;
	if (intid == PPI_VTIMER_)
		WR(cntv_ctl_el0, CNT_CTL_ENABLE | CNT_CTL_IMASK);
	if (intid < INTID_SPURIOUS)
		gic_eoi(intid);
}

/* EL2's IRQ (from the payload: the lower-EL vector). EOImode 1: EOI
 * drops the priority, DIR deactivates. */
static void el2_irq(void)
{
	uint32_t intid = gic_ack();

	el2.n++;
	el2.vector = gt_irq_vector;
	if (intid == PPI_MAINT) {
		el2.maint++;
		el2.misr = RD(ich_misr_el2);
		el2.eisr = RD(ich_eisr_el2);
		el2.elrsr = RD(ich_elrsr_el2);
		el2.lr0 = RD(ich_lr0_el2);
		/* the conditions gone: the interrupt deasserts */
		WR(ich_lr0_el2, 0);
		WR(ich_hcr_el2, ICH_EN);
		isb();
		gic_eoi(intid);
		WR(icc_dir_el1, intid);
		isb();
		return;
	}
	if (intid == PPI_VTIMER_) {
		el2.timer++;
		el2.timer_pct = RD(cntpct_el0);
		gic_eoi(intid); /* priority drop; the payload deactivates */
		el2.active27 = ppi_active(PPI_VTIMER_);
		WR(ich_lr0_el2, LR_PENDING | LR_HW | LR_GROUP1 |
				    LR_PRIO(GT_PRIO) | LR_PINTID(PPI_VTIMER_) |
				    PPI_VTIMER_);
		isb();
		return;
	}
	if (intid == PPI_HPTIMER) {
		el2.htimer++;
		el2.htimer_pct = RD(cntpct_el0);
		WR(cnthp_ctl_el2, CNT_CTL_ENABLE | CNT_CTL_IMASK);
		isb();
		gic_eoi(intid);
		WR(icc_dir_el1, intid);
		isb();
		return;
	}
	el2.other++;
	el2.other_intid = intid;
	if (intid < INTID_SPURIOUS) {
		gic_eoi(intid);
		WR(icc_dir_el1, intid);
		isb();
	}
}

static void irq(void)
{
	if (current_el() == 1)
		pay_irq();
	else
		el2_irq();
}

static uint64_t lower(uint64_t vector, uint64_t esr, uint64_t far, uint64_t elr,
		      struct gt_frame *f)
{
	if (seen_record(vector, esr, far, elr, f))
		return gt_lower_exit(f);
	/* 8: a trapped register write, stepped over */
	if (vector == VEC_LOWER_SYNC && EC(esr) == EC_SYS64_ && !(esr & 1))
		return elr + 4;
	return give_up(f);
}

/* the payload's own GIC set-up (ICV_* with IMO), then IRQs on */
static void pay_gic_on(void)
{
	gic_cpuif_init();
	pay.pmr = RD(icc_pmr_el1); /* 0xff with its unimplemented bits 0 */
	irqs_on();
}

/* 1: take one virtual interrupt, then wait for EL2's maintenance */
static __attribute__((noinline, noreturn, unused)) void p_take(uint64_t arg)
{
	(void)arg;
	pay_gic_on();
	WAIT_FOR(pay.n != 0, SPIN_MS);
	WAIT_FOR(el2.maint != 0, SPIN_MS);
	irqs_off();
	pay.after = true;
	payload_exit();
}

/* 2: wait for EL2's maintenance, IRQs masked (nothing is the payload's) */
static __attribute__((noinline, noreturn, unused)) void p_wait(uint64_t arg)
{
	(void)arg;
	WAIT_FOR(el2.maint != 0, SPIN_MS);
	pay.after = true;
	payload_exit();
}

/* 7: 20 ms of work */
static __attribute__((noinline, noreturn, unused)) void p_spin(uint64_t arg)
{
	(void)arg;
	delay_ms(20);
	pay.after = true;
	payload_exit();
}

/* 4: IRQs masked, wait for EL2's own timer */
static __attribute__((noinline, noreturn)) void p_wait_htimer(uint64_t arg)
{
	(void)arg;
	WAIT_FOR(el2.htimer != 0, LATE_MS + SPIN_MS);
	pay.after = true;
	payload_exit();
}

/* 3: arm the EL1 virtual timer TIMER_MS ahead in the virtual count, take
 * the interrupt EL2 hands back */
static __attribute__((noinline, noreturn, unused)) void p_timer(uint64_t arg)
{
	(void)arg;
	pay_gic_on();
	isb();
	pay.cval = RD(cntvct_el0) + ms_to_ticks(TIMER_MS);
	WR(cntv_cval_el0, pay.cval);
	WR(cntv_ctl_el0, CNT_CTL_ENABLE);
	isb();
	WAIT_FOR(pay.n != 0, LATE_MS + SPIN_MS);
	delay_ms(2);
	irqs_off();
	WR(cntv_ctl_el0, 0);
	pay.after = true;
	payload_exit();
}

static bool run(const char *name, void (*fn)(uint64_t), uint64_t hcr)
{
	uint64_t ret;

	WR(EL1(vbar), (uintptr_t)gt_vectors);
	WR(EL1(sctlr), SCTLR_EL1_RES1);
	ret = run_payload(name, fn, 0, SPSR_EL1H, HCR_BASE | hcr);
	hcr_set(HCR_BASE);
	return payload_ran(name, ret, pay.after);
}

#ifndef NESTED_GIC_BAD
/* "n: what" */
static const char *nm(const char *tag, const char *what)
{
	static char buf[160];

	hyp_snprintf(buf, sizeof(buf), "%s: %s", tag, what);
	return buf;
}

/* 1 (and 6, with HCR_EL2.VM and an identity stage 2: an L2 proper) */
static void test_eoi_maintenance(const char *tag, uint64_t hcr)
{
	uint64_t vmcr;

	clear_state();
	WR(ich_vmcr_el2, 0);
	WR(ich_lr0_el2,
	   LR_PENDING | LR_GROUP1 | LR_EOI | LR_PRIO(GT_PRIO) | V_INTID);
	WR(ich_hcr_el2, ICH_EN);
	isb();
	if (!run(nm(tag, "payload ran to its exit"), p_take, HCR_IMO | hcr))
		goto out;
	vmcr = RD(ich_vmcr_el2);
	gt_check(pay.n == 1 && pay.intid == V_INTID,
		 nm(tag, "the payload took vINTID 100 from LR0 (ICC_IAR1_EL1)"),
		 "taken %u, INTID %u", pay.n, pay.intid);
	gt_check(el2.maint == 1 && el2.vector == 16 + 9 && el2.n == 1,
		 nm(tag, "the EOI maintenance interrupt reached EL2 as PPI 25 "
			 "(lower-EL IRQ vector), once"),
		 "maint %u, vector %lu, IRQs %u, other INTID %u", el2.maint,
		 (unsigned long)el2.vector, el2.n, el2.other_intid);
	CHECK_EQ(el2.misr, MISR_EOI, nm(tag, "ICH_MISR_EL2 = EOI"));
	CHECK_EQ(el2.eisr & 0xf, 1, nm(tag, "ICH_EISR_EL2 names LR0"));
	CHECK_EQ(el2.elrsr & 1, 0, nm(tag, "ICH_ELRSR_EL2 does not name LR0"));
	CHECK_EQ(el2.lr0, LR_GROUP1 | LR_EOI | LR_PRIO(GT_PRIO) | V_INTID,
		 nm(tag, "LR0 State 0 after the EOI, the rest as written"));
	gt_check((vmcr & VMCR_VENG1) && VMCR_VPMR(vmcr) == pay.pmr &&
		     pay.pmr >= 0xf0,
		 nm(tag, "ICH_VMCR_EL2 has the payload's ICV_IGRPEN1/ICV_PMR"),
		 "0x%lx, ICC_PMR_EL1 0x%lx", (unsigned long)vmcr,
		 (unsigned long)pay.pmr);
	CHECK_EQ(RD(ich_misr_el2), 0, nm(tag, "no maintenance condition left"));
out:
	WR(ich_hcr_el2, 0);
	WR(ich_lr0_el2, 0);
	isb();
}

static bool ppi_pending(unsigned intid)
{
	return mmio_read32(gic_rd + GICR_SGI + GICR_ISPENDR0) & BIT(intid);
}

/* 7: the maintenance interrupt asserted (UIE, no LR valid) but disabled
 * at EL2's GIC: the payload runs on, the interrupt pending and not taken,
 * and it deasserts when EL2 clears UIE (a level) */
static void test_maint_disabled(void)
{
	uint64_t misr;
	bool on, off;

	clear_state();
	mmio_write32(gic_rd + GICR_SGI + GICR_ICENABLER0, BIT(PPI_MAINT));
	gicr_wait_rwp(gic_rd);
	WR(ich_lr0_el2, 0);
	WR(ich_hcr_el2, ICH_EN | ICH_UIE);
	isb();
	if (!run("7: maintenance disabled: payload ran to its exit", p_spin,
		 HCR_IMO))
		goto out;
	misr = RD(ich_misr_el2);
	on = ppi_pending(PPI_MAINT);
	WR(ich_hcr_el2, ICH_EN);
	isb();
	off = ppi_pending(PPI_MAINT);
	CHECK_EQ(el2.n, 0, "7: no interrupt taken at EL2");
	CHECK_EQ(misr, MISR_U, "7: ICH_MISR_EL2 = U");
	CHECK(on, "7: PPI 25 pending (GICR_ISPENDR0) while UIE holds");
	CHECK(!off, "7: PPI 25 no longer pending once UIE is clear");
out:
	WR(ich_hcr_el2, 0);
	isb();
	mmio_write32(gic_rd + GICR_SGI + GICR_ISENABLER0, BIT(PPI_MAINT));
	gicr_wait_rwp(gic_rd);
}

/* 8: SGIs, Group 1 for this CPU and in the alias register */
static __attribute__((noinline, noreturn, unused)) void p_sgi(uint64_t arg)
{
	uint64_t v = sgi1r_to(RD(mpidr_el1), SGI_N);

	(void)arg;
	pay_gic_on();
	WR(s3_0_c12_c11_5, v); /* ICC_SGI1R_EL1 */
	isb();
	WR(s3_0_c12_c11_6, v); /* ICC_ASGI1R_EL1 */
	isb();
	delay_ms(5);
	irqs_off();
	pay.after = true;
	payload_exit();
}

/* 8: with IMO, the payload's ICC_SGI1R_EL1 and ICC_ASGI1R_EL1 writes trap
 * to EL2 (IHI 0069: they are EL2's to emulate); no SGI reaches EL2's own
 * GIC (none pending, no IRQ) */
static void test_sgi_traps(void)
{
	clear_state();
	WR(ich_hcr_el2, ICH_EN);
	isb();
	if (!run("8: SGI payload ran to its exit", p_sgi, HCR_IMO))
		goto out;
	gt_check(seen.n == 2 && seen.rec[0].vector == VEC_LOWER_SYNC &&
		     (seen.rec[0].esr & ESR_NO_RT) ==
			 (ISS_SGI1R | ((uint64_t)EC_SYS64_ << 26)) &&
		     (seen.rec[1].esr & ESR_NO_RT) ==
			 (ISS_ASGI1R | ((uint64_t)EC_SYS64_ << 26)),
		 "8: ICC_SGI1R_EL1, ICC_ASGI1R_EL1 writes trapped to EL2 "
		 "(EC 0x18, IMO)",
		 "%u exceptions, ESR 0x%lx 0x%lx", seen.n,
		 (unsigned long)seen.rec[0].esr,
		 (unsigned long)seen.rec[1].esr);
	gt_check(el2.n == 0 && !ppi_pending(SGI_N) && !ppi_active(SGI_N),
		 "8: no SGI at EL2's GIC", "IRQs %u (INTID %u), pending %d",
		 el2.n, el2.other_intid, ppi_pending(SGI_N));
out:
	WR(ich_hcr_el2, 0);
	isb();
}

/* L2's stage 2: lib/stage2.h's identity */
#define HCR_VM BIT(0)
#define S2_VMID 7UL

static void stage2_setup(void)
{
	s2_identity();
	dsb_sy();
	WR(vtcr_el2, VTCR);
	WR(vttbr_el2, (S2_VMID << 48) | (uintptr_t)s2_l1);
	isb();
	__asm__ volatile("tlbi vmalls12e1\n dsb sy\n isb" ::: "memory");
}

static void test_underflow(void)
{
	clear_state();
	WR(ich_lr0_el2, 0);
	WR(ich_hcr_el2, ICH_EN | ICH_UIE);
	isb();
	if (!run("2: payload ran to its exit", p_wait, HCR_IMO))
		goto out;
	gt_check(el2.maint == 1 && el2.vector == 16 + 9 && el2.n == 1,
		 "2: UIE, no LR valid: the maintenance interrupt reached EL2 "
		 "as PPI 25, once",
		 "maint %u, vector %lu, IRQs %u, other INTID %u", el2.maint,
		 (unsigned long)el2.vector, el2.n, el2.other_intid);
	CHECK_EQ(el2.misr, MISR_U, "2: ICH_MISR_EL2 = U");
	CHECK_EQ(el2.elrsr & 0xf, 0xf, "2: ICH_ELRSR_EL2: LR0-3 empty");
out:
	WR(ich_hcr_el2, 0);
	isb();
}

/* CNTVOFF_EL2: half the count so far, at least OFF_MIN_MS */
static uint64_t pick_offset(void)
{
	while (RD(cntpct_el0) < 2 * ms_to_ticks(OFF_MIN_MS))
		;
	return RD(cntpct_el0) / 2;
}

static void test_hw_timer(void)
{
	uint64_t off = pick_offset(), due, lr0, elrsr;

	clear_state();
	WR(cntvoff_el2, off);
	WR(ich_lr0_el2, 0);
	WR(ich_hcr_el2, ICH_EN);
	isb();
	if (!run("3: payload ran to its exit", p_timer, HCR_IMO))
		goto out;
	lr0 = RD(ich_lr0_el2);
	elrsr = RD(ich_elrsr_el2);
	due = pay.cval + off;
	gt_check(el2.timer == 1 && el2.vector == 16 + 9 && !el2.other,
		 "3: the payload's EL1 virtual timer interrupted EL2 (PPI 27, "
		 "IMO), once",
		 "timer %u, vector %lu, other %u (INTID %u)", el2.timer,
		 (unsigned long)el2.vector, el2.other, el2.other_intid);
	gt_check(el2.timer_pct >= due &&
		     el2.timer_pct <= due + ms_to_ticks(LATE_MS),
		 "3: on time: CNTV_CVAL_EL0 + CNTVOFF_EL2 in the physical "
		 "count",
		 "at 0x%lx, due 0x%lx", (unsigned long)el2.timer_pct,
		 (unsigned long)due);
	CHECK(el2.active27, "3: PPI 27 active at EL2 after its EOI "
			    "(EOImode 1)");
	gt_check(pay.n == 1 && pay.intid == PPI_VTIMER_,
		 "3: the payload took vINTID 27 from the HW = 1 LR",
		 "taken %u, INTID %u", pay.n, pay.intid);
	CHECK(!ppi_active(PPI_VTIMER_),
	      "3: the payload's deactivation deactivated EL2's PPI 27");
	CHECK_EQ(lr0,
		 LR_HW | LR_GROUP1 | LR_PRIO(GT_PRIO) | LR_PINTID(PPI_VTIMER_) |
		     PPI_VTIMER_,
		 "3: LR0 State 0, HW and pINTID kept");
	CHECK_EQ(elrsr & 1, 1, "3: ICH_ELRSR_EL2 names LR0 (HW = 1)");
	CHECK_EQ(el2.maint, 0, "3: no maintenance interrupt (HW = 1)");
out:
	WR(ich_hcr_el2, 0);
	WR(ich_lr0_el2, 0);
	WR(cntvoff_el2, 0);
	isb();
}

#endif

static void test_own_timer(void)
{
	uint64_t due, lr0,
	    lr = LR_PENDING | LR_GROUP1 | LR_EOI | LR_PRIO(GT_PRIO) | V_INTID;

	clear_state();
	WR(ich_lr0_el2, lr);
	WR(ich_hcr_el2, ICH_EN);
	due = RD(cntpct_el0) + ms_to_ticks(TIMER_MS);
	WR(cnthp_cval_el2, due);
	WR(cnthp_ctl_el2, CNT_CTL_ENABLE);
	isb();
	if (!run("4: payload ran to its exit", p_wait_htimer, HCR_IMO))
		goto out;
	lr0 = RD(ich_lr0_el2);
	gt_check(el2.htimer == 1 && el2.vector == 16 + 9 && el2.n == 1,
		 "4: EL2's physical timer interrupted EL2 (PPI 26) while the "
		 "payload ran, once",
		 "timer %u, vector %lu, IRQs %u, other INTID %u", el2.htimer,
		 (unsigned long)el2.vector, el2.n, el2.other_intid);
	gt_check(el2.htimer_pct >= due &&
		     el2.htimer_pct <= due + ms_to_ticks(LATE_MS),
		 "4: on time", "at 0x%lx, due 0x%lx",
		 (unsigned long)el2.htimer_pct, (unsigned long)due);
	CHECK_EQ(lr0, lr, "4: LR0 still pending, as written");
out:
	WR(cnthp_ctl_el2, 0);
	WR(ich_hcr_el2, 0);
	WR(ich_lr0_el2, 0);
	isb();
}

#ifdef NESTED_GIC_BAD
/* 5 (under hypnest only: hardware makes these contents UNPREDICTABLE):
 * list registers with a special vINTID, a reserved one, a HW = 1 entry
 * naming the EL2 physical timer's PPI 26 (hypnest's own alarm PPI too),
 * and a second LR with that entry's vINTID. hypnest loads only the HW
 * entry (as a plain one), logs once, and keeps the others as written;
 * the duplicate is loaded once the first LR with its vINTID is empty. */
#define BAD_LR0 (LR_PENDING | LR_GROUP1 | LR_PRIO(GT_PRIO) | 1021)
#define BAD_LR1 (LR_PENDING | LR_GROUP1 | LR_PRIO(GT_PRIO) | 5000)
#define BAD_LR2                                                                \
	(LR_PENDING | LR_HW | LR_GROUP1 | LR_PRIO(GT_PRIO) |                   \
	 LR_PINTID(PPI_HPTIMER) | 40)
#define BAD_LR3 (LR_PENDING | LR_GROUP1 | LR_PRIO(GT_PRIO) | 40)

/* take what comes for 20 ms */
static __attribute__((noinline, noreturn)) void p_take_all(uint64_t arg)
{
	(void)arg;
	pay_gic_on();
	WAIT_FOR(pay.n != 0, SPIN_MS);
	delay_ms(20);
	irqs_off();
	pay.after = true;
	payload_exit();
}

static void test_bad_lrs(void)
{
	clear_state();
	WR(ich_lr0_el2, BAD_LR0);
	WR(ich_lr1_el2, BAD_LR1);
	WR(ich_lr2_el2, BAD_LR2);
	WR(ich_lr3_el2, BAD_LR3);
	WR(ich_hcr_el2, ICH_EN);
	isb();
	if (!run("5: payload ran to its exit", p_take_all, HCR_IMO))
		goto out;
	/* LR2's first, then, that one no longer valid, LR3's: no
	 * duplicate any more */
	gt_check(pay.n == 2 && pay.intids[0] == 40 && pay.intids[1] == 40,
		 "5: the payload took vINTID 40 from LR2, then from LR3, "
		 "nothing else",
		 "taken %u: %u %u %u", pay.n, pay.intids[0], pay.intids[1],
		 pay.intids[2]);
	CHECK_EQ(RD(ich_lr0_el2), BAD_LR0, "5: LR0 (INTID 1021) as written");
	CHECK_EQ(RD(ich_lr1_el2), BAD_LR1, "5: LR1 (INTID 5000) as written");
	CHECK_EQ(RD(ich_lr2_el2), BAD_LR2 & ~LR_PENDING,
		 "5: LR2 (HW, pINTID 26) State 0, the rest as written");
	CHECK_EQ(RD(ich_lr3_el2), BAD_LR3 & ~LR_PENDING,
		 "5: LR3 (a duplicate while LR2 was valid) State 0");
	CHECK_EQ(el2.n, 0, "5: no interrupt at EL2");
out:
	WR(ich_hcr_el2, 0);
	WR(ich_lr0_el2, 0);
	WR(ich_lr1_el2, 0);
	WR(ich_lr2_el2, 0);
	WR(ich_lr3_el2, 0);
	isb();
}
#endif

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	uintptr_t rd;

	(void)dtb;
	el2_start(HCR_BASE, lower);
	CHECK_EQ(RD(hcr_el2) & HCR_E2H, VHE ? HCR_E2H : 0,
		 "HCR_EL2.E2H is the flavour's");
	write_sysreg(icc_sre_el2, 0xf);
	isb();
	rd =
	    gic_setup_ppis(BIT(PPI_MAINT) | BIT(PPI_VTIMER_) | BIT(PPI_HPTIMER),
			   "GIC: GICD set up");
	if (!rd)
		gt_done();
	gic_rd = rd;
	CHECK_EQ(gic_cpuif_init() & 1, 1, "GIC: ICC_SRE_EL1.SRE = 1");
	CHECK((RD(ich_vtr_el2) & 0x1f) >= 3, "ICH_VTR_EL2: 4 list registers");
	/* EL2 keeps PPI 27 active for the HW = 1 entry: EOImode 1 */
	WR(icc_ctlr_el1, RD(icc_ctlr_el1) | CTLR_EOIMODE);
	isb();
	gt_set_irq_handler(irq);
#ifdef NESTED_GIC_BAD
	test_bad_lrs();
	test_own_timer(); /* and the EL2 timer still works */
#else
	test_eoi_maintenance("1", 0);
	test_underflow();
	test_hw_timer();
	test_own_timer();
	stage2_setup();
	test_eoi_maintenance("6", HCR_VM);
	test_maint_disabled();
	test_sgi_traps();
#endif
	gt_set_irq_handler(NULL);
	gt_set_lower_handler(NULL);
	gt_done();
}

#endif
