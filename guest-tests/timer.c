/* The EL1 virtual timer (CNTV_*, PPI 27) and physical timer (CNTP_*,
 * PPI 30) through the GIC: not early, on time (generously: the emulator is
 * slow), ISTATUS, TVAL, no second interrupt once the handler masks,
 * reprograms or disables the timer, ENABLE and IMASK gate the interrupt
 * but not ISTATUS; and WFI wakes up for a timer, with PSTATE.I clear and
 * with it set, also after the timer's interrupt was left untaken. */
#include "gic.h"

#define DELAY_MS 10
#define ARRIVE_MS 1000
#define QUIET_MS 100

enum action { MASK, REPROGRAM, DISABLE };

/* A timer is named by a bool, phys, rather than a table of function
 * pointers: the image may run elsewhere than where it is linked (QEMU's
 * -kernel puts it 2 MiB up), so no absolute addresses in data. */
struct timer {
	bool phys;
};

static const char *t_name(const struct timer *t)
{
	return t->phys ? "ptimer" : "vtimer";
}

static unsigned t_intid(const struct timer *t)
{
	return t->phys ? PPI_PTIMER : PPI_VTIMER;
}

static uint64_t t_count(const struct timer *t)
{
	isb();
	return t->phys ? read_sysreg(cntpct_el0) : read_sysreg(cntvct_el0);
}

static uint64_t t_ctl(const struct timer *t)
{
	return t->phys ? read_sysreg(cntp_ctl_el0) : read_sysreg(cntv_ctl_el0);
}

static void t_set_ctl(const struct timer *t, uint64_t v)
{
	if (t->phys)
		write_sysreg(cntp_ctl_el0, v);
	else
		write_sysreg(cntv_ctl_el0, v);
	isb();
}

static uint64_t t_cval(const struct timer *t)
{
	return t->phys ? read_sysreg(cntp_cval_el0)
		       : read_sysreg(cntv_cval_el0);
}

static void t_set_cval(const struct timer *t, uint64_t v)
{
	if (t->phys)
		write_sysreg(cntp_cval_el0, v);
	else
		write_sysreg(cntv_cval_el0, v);
	isb();
}

/* TVAL is a signed 32-bit view of CVAL - counter */
static int64_t t_tval(const struct timer *t)
{
	return (int32_t)(t->phys ? read_sysreg(cntp_tval_el0)
				 : read_sysreg(cntv_tval_el0));
}

static void t_set_tval(const struct timer *t, uint32_t v)
{
	if (t->phys)
		write_sysreg(cntp_tval_el0, v);
	else
		write_sysreg(cntv_tval_el0, v);
	isb();
}

static const struct timer vtimer = { false }, ptimer = { true };

static uintptr_t sgi_base;
static const struct timer *volatile cur;
static volatile enum action action;
static volatile uint32_t fired, others, spurious;
static volatile uint64_t fired_at, fired_ctl, fired_cval;

static void irq(void)
{
	const struct timer *t = cur;
	uint32_t intid = gic_ack();

	if (intid == INTID_SPURIOUS) {
		spurious++;
		return;
	}
	if (!t || intid != t_intid(t)) {
		others++;
		gic_eoi(intid);
		return;
	}
	fired_at = t_count(t);
	fired_ctl = t_ctl(t);
	fired_cval = t_cval(t);
	switch (action) {
	case MASK:
		t_set_ctl(t, CNT_CTL_ENABLE | CNT_CTL_IMASK);
		break;
	case REPROGRAM:
		t_set_cval(t, t_count(t) + ms_to_ticks(1000));
		break;
	case DISABLE:
		t_set_ctl(t, 0);
		break;
	}
	fired++;
	gic_eoi(intid);
}

static void check(bool ok, const struct timer *t, const char *what,
		  const char *why, unsigned long a, unsigned long b)
{
	char name[96];

	hyp_snprintf(name, sizeof(name), "%s: %s", t_name(t), what);
	gt_check(ok, name, "%s (0x%lx, 0x%lx)", why, a, b);
}

static void start(const struct timer *t, enum action a)
{
	t_set_ctl(t, 0);
	action = a;
	fired = 0;
	fired_at = fired_ctl = fired_cval = 0;
	cur = t;
}

static bool wait_fired(void)
{
	return WAIT_FOR(fired, ARRIVE_MS);
}

static bool ppi_pending(const struct timer *t)
{
	return mmio_read32(sgi_base + GICR_ISPENDR0) & (1U << t_intid(t));
}

static void timer_tests(const struct timer *t)
{
	uint64_t ticks = ms_to_ticks(DELAY_MS), cval, t0, t1, ctl;
	int64_t tval;

	/* CVAL, the handler sets IMASK */
	start(t, MASK);
	cval = t_count(t) + ticks;
	t_set_cval(t, cval);
	t_set_ctl(t, CNT_CTL_ENABLE);
	ctl = t_ctl(t);
	t1 = t_count(t);
	/* (if the emulator was too slow to look before CVAL, nothing to see) */
	check(t1 >= cval || (!(ctl & CNT_CTL_ISTATUS) && !fired), t,
	      "armed: ISTATUS clear before CVAL", "CTL, counter", ctl, t1);
	check(wait_fired(), t, "interrupt within 1 s", "CVAL, counter", cval,
	      t_count(t));
	check(fired_at >= cval, t, "not early: counter >= CVAL in the handler",
	      "counter, CVAL", fired_at, cval);
	check(fired_ctl & CNT_CTL_ISTATUS, t, "ISTATUS set in the handler",
	      "CTL", fired_ctl, 0);
	delay_ms(QUIET_MS);
	check(fired == 1, t, "masked in the handler: no second interrupt",
	      "interrupts", fired, 0);
	ctl = t_ctl(t);
	check(ctl == (CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS), t,
	      "masked: ISTATUS still set", "CTL", ctl, 0);
	check(!ppi_pending(t), t, "masked: PPI no longer pending", "ISPENDR0",
	      mmio_read32(sgi_base + GICR_ISPENDR0), 0);

	/* TVAL, the handler moves CVAL a second on (TVAL, 32 bits, still holds
	 * it) */
	start(t, REPROGRAM);
	/* IRQs masked from the TVAL write to the TVAL read: on a loaded host
	 * more than DELAY_MS can pass in between, and the handler would move
	 * CVAL on under the check. The interrupt is taken once unmasked. */
	__asm__ volatile("msr daifset, #2" ::: "memory");
	t0 = t_count(t);
	t_set_tval(t, (uint32_t)ticks);
	t1 = t_count(t);
	t_set_ctl(t, CNT_CTL_ENABLE);
	cval = t_cval(t);
	check(cval >= t0 + ticks && cval <= t1 + ticks, t,
	      "TVAL write: CVAL = counter + TVAL", "CVAL, counter + TVAL", cval,
	      t0 + ticks);
	t0 = t_count(t);
	tval = t_tval(t);
	t1 = t_count(t);
	check(tval <= (int64_t)(cval - t0) && tval >= (int64_t)(cval - t1), t,
	      "TVAL reads CVAL - counter", "TVAL, CVAL - counter",
	      (unsigned long)tval, cval - t0);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	check(wait_fired(), t, "TVAL: interrupt within 1 s", "CVAL, counter",
	      cval, t_count(t));
	check(fired_at >= cval && fired_cval == cval, t, "TVAL: not early",
	      "counter, CVAL", fired_at, cval);
	delay_ms(QUIET_MS);
	check(fired == 1, t, "reprogrammed in the handler: no second interrupt",
	      "interrupts", fired, 0);
	ctl = t_ctl(t);
	tval = t_tval(t);
	check(ctl == CNT_CTL_ENABLE && tval > 0, t,
	      "reprogrammed: ISTATUS clear, TVAL positive", "CTL, TVAL", ctl,
	      (unsigned long)tval);

	/* ENABLE and IMASK gate the interrupt; the handler disables. (With
	 * ENABLE = 0, ISTATUS and TVAL are UNKNOWN: not looked at.) */
	start(t, DISABLE);
	t_set_cval(t, t_count(t));
	delay_ms(QUIET_MS);
	check(!fired && !ppi_pending(t), t,
	      "ENABLE=0 past CVAL: no interrupt, not pending", "interrupts",
	      fired, 0);
	t_set_ctl(t, CNT_CTL_ENABLE | CNT_CTL_IMASK);
	delay_ms(QUIET_MS);
	ctl = t_ctl(t);
	check(!fired && (ctl & CNT_CTL_ISTATUS) && !ppi_pending(t), t,
	      "IMASK=1 past CVAL: ISTATUS set, no interrupt, not pending",
	      "interrupts, CTL", fired, ctl);
	t_set_ctl(t, CNT_CTL_ENABLE);
	check(wait_fired(), t, "IMASK cleared: interrupt within 1 s",
	      "interrupts", fired, 0);
	delay_ms(QUIET_MS);
	ctl = t_ctl(t);
	check(fired == 1 && !(ctl & CNT_CTL_ENABLE) && !ppi_pending(t), t,
	      "disabled in the handler: no second interrupt, not pending",
	      "interrupts, CTL", fired, ctl);
}

/* WFI until the timer fires, with IRQs on; a WFI may end early, the loop
 * covers that, a WFI that never ends hangs the test */
static void wfi_test(const struct timer *t)
{
	uint64_t cval;
	unsigned wakeups = 0;

	start(t, MASK);
	cval = t_count(t) + ms_to_ticks(DELAY_MS);
	t_set_cval(t, cval);
	t_set_ctl(t, CNT_CTL_ENABLE);
	while (!fired && wakeups < 1000000) {
		wfi();
		wakeups++;
	}
	check(fired == 1 && fired_at >= cval, t,
	      "WFI returns after the interrupt", "interrupts, WFIs", fired,
	      wakeups);
}

/* WFI with PSTATE.I set: a pending interrupt still wakes the PE (it is
 * taken once unmasked) */
static void wfi_masked_test(const struct timer *t)
{
	uint64_t cval, ctl;
	unsigned wakeups = 0;
	bool pending;

	start(t, MASK);
	irqs_off();
	cval = t_count(t) + ms_to_ticks(DELAY_MS);
	t_set_cval(t, cval);
	t_set_ctl(t, CNT_CTL_ENABLE);
	do {
		wfi();
		wakeups++;
		ctl = t_ctl(t);
	} while (!(ctl & CNT_CTL_ISTATUS) && wakeups < 1000000);
	/* the GIC may take a moment to make it pending */
	pending = WAIT_FOR(ppi_pending(t), ARRIVE_MS);
	check((ctl & CNT_CTL_ISTATUS) && pending && !fired, t,
	      "WFI with IRQs masked wakes up, interrupt pending",
	      "CTL, interrupts", ctl, fired);
	irqs_on();
	check(fired == 1 && fired_at >= cval, t,
	      "taken as soon as IRQs are unmasked", "interrupts, WFIs", fired,
	      wakeups);
}

/* The interrupt asserted and never taken: IRQs masked, the timer past
 * CVAL, an exit (a PSCI_VERSION call) while it is pending, then the timer
 * stopped and another exit. Armed again, it still interrupts: a WFI with
 * IRQs masked wakes up with it pending. */
static void wfi_after_untaken_test(const struct timer *t)
{
	uint64_t cval, ctl;
	unsigned wakeups = 0;
	bool pending;

	start(t, MASK);
	irqs_off();
	t_set_cval(t, t_count(t));
	t_set_ctl(t, CNT_CTL_ENABLE);
	(void)gt_psci(PSCI_VERSION, 0, 0, 0);
	t_set_ctl(t, 0);
	(void)gt_psci(PSCI_VERSION, 0, 0, 0);
	cval = t_count(t) + ms_to_ticks(DELAY_MS);
	t_set_cval(t, cval);
	t_set_ctl(t, CNT_CTL_ENABLE);
	do {
		wfi();
		wakeups++;
		ctl = t_ctl(t);
	} while (!(ctl & CNT_CTL_ISTATUS) && wakeups < 1000000);
	pending = WAIT_FOR(ppi_pending(t), ARRIVE_MS);
	irqs_on();
	check((ctl & CNT_CTL_ISTATUS) && pending && fired == 1 &&
		  fired_at >= cval,
	      t, "after an interrupt never taken: WFI wakes up, taken",
	      "CTL, interrupts", ctl, fired);
}

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	uintptr_t rd;
	uint64_t freq = read_sysreg(cntfrq_el0);

	(void)dtb;
	gt_check(freq >= 1000000 && freq <= 10000000000UL,
		 "CNTFRQ_EL0 plausible", "%lu Hz", (unsigned long)freq);
	t_set_ctl(&vtimer, 0);
	t_set_ctl(&ptimer, 0);
	gt_set_irq_handler(irq);
	CHECK(gic_dist_init(), "GICD set up");
	rd = gic_find_redist();
	CHECK(rd && gic_redist_init(rd), "GICR set up");
	if (!rd)
		gt_done();
	sgi_base = rd + GICR_SGI;
	CHECK_EQ(gic_cpuif_init() & 1, 1, "ICC_SRE_EL1.SRE = 1");
	/* both PPIs level-sensitive (the DT's flags), enabled */
	mmio_write32(
	    sgi_base + GICR_ICFGR1,
	    mmio_read32(sgi_base + GICR_ICFGR1) &
		~(2U << 2 * (PPI_VTIMER - 16) | 2U << 2 * (PPI_PTIMER - 16)));
	mmio_write32(sgi_base + GICR_ISENABLER0,
		     1U << PPI_VTIMER | 1U << PPI_PTIMER);
	CHECK(gicr_wait_rwp(rd), "timer PPIs enabled");
	irqs_on();

	timer_tests(&vtimer);
	timer_tests(&ptimer);
	wfi_test(&vtimer);
	wfi_test(&ptimer);
	wfi_masked_test(&vtimer);
	wfi_masked_test(&ptimer);
	wfi_after_untaken_test(&vtimer);
	wfi_after_untaken_test(&ptimer);

	cur = NULL;
	t_set_ctl(&vtimer, 0);
	t_set_ctl(&ptimer, 0);
	CHECK(others == 0, "no other INTIDs");
	if (spurious)
		gt_printf("note: %u spurious IAR reads\n", spurious);
	gt_done();
}
