/* GICv3 set up from EL1 the way Linux does it, the second vCPU brought up
 * through PSCI, and SGIs between the two (ICC_SGI1R_EL1 by affinity, by
 * target list, to self and IRM = 1 broadcast) taken in the IRQ vector:
 * right INTID, exactly once, to the right vCPU only; a disabled SGI stays
 * pending in GICR_ISPENDR0 until it is enabled; PMR masks by priority.
 * cpu1 idles in WFI with IRQs masked, as Linux does, so SGIs must also
 * wake a vCPU from WFI. Needs 2 vCPUs, MPIDRs 0 and 1. */
#include "gic.h"

#define QUIET_MS 50    /* how long a second delivery is waited for */
#define ARRIVE_MS 1000 /* the emulator is slow */
#define MBOX_OFF (~0UL)
#define DOORBELL 15 /* cpu0 -> cpu1: look at the mailbox */

extern char _start[];

struct irq_seen {
	volatile uint32_t sgi[16];   /* acknowledged SGIs, by INTID */
	volatile uint32_t other;     /* acknowledged INTIDs >= 16 */
	volatile uint32_t spurious;  /* IAR read 1023 */
	volatile uint32_t last;	     /* last INTID acknowledged */
	volatile uint32_t active;    /* ISACTIVER0 while in the handler */
	volatile uint32_t after_eoi; /* ISACTIVER0 after the EOI */
};
static struct irq_seen seen[2];
static uintptr_t rdist[2];

/* cpu1's start-up report and cpu0's requests to it */
static volatile uint64_t cpu1_sre, cpu1_ready;
static volatile uintptr_t cpu1_rd;
static volatile bool cpu1_awake;
static volatile uint64_t mbox_sgi1r;
static volatile uint32_t mbox_seq, mbox_ack;
static unsigned doorbells;

static void irq(void)
{
	unsigned cpu = cpu_index() & 1;
	struct irq_seen *s = &seen[cpu];
	uintptr_t active =
	    rdist[cpu] ? rdist[cpu] + GICR_SGI + GICR_ISACTIVER0 : 0;
	uint32_t intid = gic_ack();

	if (intid == INTID_SPURIOUS) {
		s->spurious++;
		return;
	}
	s->last = intid;
	if (intid < 16)
		s->sgi[intid]++;
	else
		s->other++;
	if (intid < 16 && active)
		s->active = mmio_read32(active);
	gic_eoi(intid);
	if (intid < 16 && active)
		s->after_eoi = mmio_read32(active);
}

void gt_secondary(uint64_t context)
{
	(void)context;
	cpu1_rd = gic_find_redist();
	rdist[1] = cpu1_rd;
	if (cpu1_rd)
		cpu1_awake = gic_redist_init(cpu1_rd);
	cpu1_sre = gic_cpuif_init();
	gt_set_irq_handler(irq);
	irqs_on();
	dsb_sy();
	cpu1_ready = 1;
	for (;;) {
		uint32_t seq;

		/* Linux's idle: IRQs masked from the check to the WFI, so
		 * that a doorbell coming in between still ends the WFI */
		irqs_off();
		if (mbox_seq == mbox_ack)
			wfi();
		irqs_on();
		seq = mbox_seq;
		if (seq == mbox_ack)
			continue;
		dsb_sy();
		if (mbox_sgi1r == MBOX_OFF) {
			irqs_off();
			mbox_ack = seq;
			dsb_sy();
			gt_hvc(PSCI_CPU_OFF, 0, 0, 0);
			for (;;)
				;
		}
		gic_send_sgi1r(mbox_sgi1r);
		dsb_sy();
		mbox_ack = seq;
	}
}

/* has cpu1 write v to its ICC_SGI1R_EL1: a request in memory, then a
 * doorbell SGI to wake it from WFI */
static bool cpu1_sends(uint64_t v)
{
	uint32_t seq = mbox_seq + 1;

	mbox_sgi1r = v;
	dsb_sy();
	mbox_seq = seq;
	gic_send_sgi1r(sgi1r_to(1, DOORBELL));
	doorbells++;
	return WAIT_FOR(mbox_ack == seq, ARRIVE_MS);
}

static void expect_sgi(unsigned intid, unsigned to0, unsigned to1,
		       const char *arrive, const char *once)
{
	bool ok = WAIT_FOR(
	    seen[0].sgi[intid] >= to0 && seen[1].sgi[intid] >= to1, ARRIVE_MS);

	gt_check(ok, arrive, "cpu0 got %u, cpu1 got %u of SGI %u",
		 seen[0].sgi[intid], seen[1].sgi[intid], intid);
	delay_ms(QUIET_MS);
	gt_check(seen[0].sgi[intid] == to0 && seen[1].sgi[intid] == to1, once,
		 "cpu0 got %u (want %u), cpu1 got %u (want %u) of SGI %u",
		 seen[0].sgi[intid], to0, seen[1].sgi[intid], to1, intid);
}

static void sgi_tests(void)
{
	uintptr_t sgi0 = rdist[0] + GICR_SGI;
	uint64_t self = read_mpidr();
	uint32_t v;

	/* cpu0 -> cpu1 by affinity */
	gic_send_sgi1r(sgi1r_to(1, 1));
	expect_sgi(1, 0, 1, "sgi 0->1: arrives at cpu1",
		   "sgi 0->1: exactly once, only at cpu1");
	CHECK_EQ(seen[1].last, 1, "sgi 0->1: IAR gives INTID 1");

	/* cpu1 -> cpu0 by affinity */
	CHECK(cpu1_sends(sgi1r_to(0, 2)), "cpu1 sends SGI 2 to cpu0");
	expect_sgi(2, 1, 0, "sgi 1->0: arrives at cpu0",
		   "sgi 1->0: exactly once, only at cpu0");
	CHECK_EQ(seen[0].last, 2, "sgi 1->0: IAR gives INTID 2");
	gt_check(seen[0].active & (1U << 2) && !(seen[0].after_eoi & (1U << 2)),
		 "sgi 1->0: active in the handler, inactive after EOI",
		 "ISACTIVER0 0x%x in the handler, 0x%x after EOI",
		 seen[0].active, seen[0].after_eoi);

	/* cpu0 -> itself */
	gic_send_sgi1r(sgi1r_to(self, 3));
	expect_sgi(3, 1, 0, "sgi to self: arrives",
		   "sgi to self: exactly once, only at cpu0");

	/* one write, both CPUs in the target list */
	gic_send_sgi1r(sgi1r_to(0, 4) | 1UL << 1);
	expect_sgi(4, 1, 1, "sgi target list {0,1}: arrives at both",
		   "sgi target list {0,1}: exactly once at each");

	/* IRM = 1: every PE but the sender */
	gic_send_sgi1r(SGI1R_IRM | SGI1R_INTID(5));
	expect_sgi(5, 0, 1, "sgi IRM=1 from cpu0: arrives at cpu1",
		   "sgi IRM=1 from cpu0: once at cpu1, not at the sender");
	CHECK(cpu1_sends(SGI1R_IRM | SGI1R_INTID(6)),
	      "cpu1 sends SGI 6 with IRM=1");
	expect_sgi(6, 1, 0, "sgi IRM=1 from cpu1: arrives at cpu0",
		   "sgi IRM=1 from cpu1: once at cpu0, not at the sender");

	/* disabled: pending, not delivered; enabled: delivered once */
	mmio_write32(sgi0 + GICR_ICENABLER0, 1U << 7);
	gicr_wait_rwp(rdist[0]);
	v = mmio_read32(sgi0 + GICR_ISENABLER0);
	gt_check(!(v & (1U << 7)) && (v & 0xff7f) == 0xff7f,
		 "ICENABLER0 disables SGI 7 only", "ISENABLER0 0x%x", v);
	CHECK(cpu1_sends(sgi1r_to(0, 7)), "cpu1 sends SGI 7 to cpu0");
	delay_ms(QUIET_MS);
	CHECK_EQ(seen[0].sgi[7], 0, "disabled SGI 7: not delivered");
	v = mmio_read32(sgi0 + GICR_ISPENDR0);
	gt_check(v & (1U << 7), "disabled SGI 7: pending in GICR_ISPENDR0",
		 "ISPENDR0 0x%x", v);
	mmio_write32(sgi0 + GICR_ISENABLER0, 1U << 7);
	expect_sgi(7, 1, 0, "SGI 7 enabled: arrives",
		   "SGI 7 enabled: exactly once");
	v = mmio_read32(sgi0 + GICR_ISPENDR0) |
	    mmio_read32(sgi0 + GICR_ISACTIVER0);
	gt_check(!(v & (1U << 7)),
		 "SGI 7 after EOI: neither pending nor active",
		 "ISPENDR0 | ISACTIVER0 0x%x", v);

	/* the priority mask: GT_PRIO (0xa0) is not above 0x80 */
	write_sysreg(icc_pmr_el1, 0x80);
	isb();
	gic_send_sgi1r(sgi1r_to(self, 8));
	delay_ms(QUIET_MS);
	CHECK_EQ(seen[0].sgi[8], 0, "PMR 0x80 masks a priority 0xa0 SGI");
	write_sysreg(icc_pmr_el1, 0xff);
	isb();
	expect_sgi(8, 1, 0, "PMR 0xff: the masked SGI arrives",
		   "PMR 0xff: the masked SGI arrives once");
}

void gt_main(uint64_t dtb)
{
	uint64_t v, ctlr, pmr, sre;
	unsigned bits;

	(void)dtb;
	gt_set_irq_handler(irq);
	CHECK(gic_dist_init(), "GICD_CTLR.RWP clears");
	v = mmio_read32(GICD_BASE + GICD_CTLR);
	gt_check((v & (GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1)) ==
		     (GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1),
		 "GICD_CTLR: ARE and EnableGrp1 set", "GICD_CTLR 0x%lx",
		 (unsigned long)v);

	rdist[0] = gic_find_redist();
	gt_check(rdist[0] == GICR_BASE, "cpu0: its redistributor by affinity",
		 "found 0x%lx", (unsigned long)rdist[0]);
	if (!rdist[0])
		gt_done();
	CHECK(gic_redist_init(rdist[0]),
	      "cpu0: GICR_WAKER.ChildrenAsleep clears");

	sre = gic_cpuif_init();
	CHECK_EQ(sre & 1, 1, "cpu0: ICC_SRE_EL1.SRE = 1");
	ctlr = read_sysreg(icc_ctlr_el1);
	pmr = read_sysreg(icc_pmr_el1);
	bits = ((ctlr >> 8) & 7) + 1;
	gt_check(pmr == ((0xffUL << (8 - bits)) & 0xff),
		 "cpu0: ICC_PMR_EL1 keeps PRIbits upper bits",
		 "PMR 0x%lx, ICC_CTLR_EL1 0x%lx", (unsigned long)pmr,
		 (unsigned long)ctlr);
	CHECK_EQ(ctlr & 2, 0, "cpu0: ICC_CTLR_EL1.EOImode = 0");
	CHECK_EQ(read_sysreg(icc_igrpen1_el1) & 1, 1,
		 "cpu0: ICC_IGRPEN1_EL1.Enable = 1");
	irqs_on();

	CHECK_EQ(gt_hvc(PSCI_CPU_ON, 1, (uintptr_t)_start, 0), 0,
		 "cpu_on: cpu1");
	CHECK(WAIT_FOR(cpu1_ready, 5000), "cpu1: up with IRQs on");
	gt_check(cpu1_rd == GICR_BASE + GICR_STRIDE,
		 "cpu1: its redistributor by affinity", "found 0x%lx",
		 (unsigned long)cpu1_rd);
	CHECK(cpu1_awake, "cpu1: GICR_WAKER.ChildrenAsleep clears");
	CHECK_EQ(cpu1_sre & 1, 1, "cpu1: ICC_SRE_EL1.SRE = 1");
	if (cpu1_ready && cpu1_rd)
		sgi_tests();

	delay_ms(QUIET_MS);
	gt_check(seen[1].sgi[DOORBELL] == doorbells && !seen[0].sgi[DOORBELL],
		 "doorbell SGIs: each woke cpu1 once",
		 "sent %u, cpu1 got %u, cpu0 got %u", doorbells,
		 seen[1].sgi[DOORBELL], seen[0].sgi[DOORBELL]);
	CHECK(seen[0].other == 0 && seen[1].other == 0, "no other INTIDs");
	if (seen[0].spurious || seen[1].spurious)
		gt_printf("note: spurious IAR reads: cpu0 %u, cpu1 %u\n",
			  seen[0].spurious, seen[1].spurious);
	irqs_off();
	cpu1_sends(MBOX_OFF);
	CHECK(WAIT_FOR(gt_hvc(PSCI_AFFINITY_INFO, 1, 0, 0) == 1, 2000),
	      "cpu1 off");
	gt_done();
}
