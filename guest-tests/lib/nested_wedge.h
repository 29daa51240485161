/* Case 11 of lib/nested.h (NESTED_WEDGE images, nested_wedge_nvhe.c and
 * nested_wedge_vhe.c): a wedged L2 vCPU stops neither its own L1 vCPU nor
 * L1's others.
 *
 * vCPU 0's L2 masks every interrupt (PSTATE.DAIF) and spins forever. With
 * HCR_EL2.IMO set, a physical IRQ at EL1 is taken to EL2 whatever
 * PSTATE.I says (Arm ARM D1.4.6, Table D1-21, R RSXLWJ): L1's EL2
 * physical timer, re-armed every WEDGE_TICK_MS, takes vCPU 0 out of the
 * spin to L1's lower-EL IRQ vector (0x480), from L2's spin at EL1h with
 * DAIF masked, tick after tick. Meanwhile L1's vCPU 1 runs rounds of its
 * own L2 (WEDGE_HVCS HVCs each, answered by L1's ERET) on the same
 * VTTBR, each followed by a TLBI VMALLS12E1IS of that VMID: what a
 * hypervisor under L1 might make wait for the wedged vCPU. Once vCPU 0
 * has taken WEDGE_TICKS ticks in the spin and vCPU 1 has run WEDGE_ROUNDS
 * rounds since the first, L1 leaves the wedged L2 (an ERET to itself, not
 * to L2), vCPU 1 stops, and vCPU 0 runs an L2 again. No progress in
 * WEDGE_MAX_TICKS ticks fails. Included by nested.h, before case 6.
 * WEDGE_RESET images (nested_wedge_reset.c, under hypnest only): vCPU 1
 * then resets the machine (PSCI SYSTEM_RESET) while vCPU 0's L2 still
 * spins, for hypnest's report of a vCPU at L2 (harness/test_guest_crash.py):
 * after WEDGE_TICKS ticks L1 disarms its timer, so that vCPU 0 stays in the
 * spin, and vCPU 1 resets WEDGE_QUIET_MS after that.
 */
#ifndef GT_NESTED_WEDGE_H
#define GT_NESTED_WEDGE_H
#ifndef WEDGE_RESET
#define WEDGE_RESET 0
#endif
#define WEDGE_PSCI_SYSTEM_RESET 0x84000009UL
#define WEDGE_QUIET_MS 200

#define WEDGE_TICK_MS 2
#define WEDGE_TICKS 20
#define WEDGE_MAX_TICKS 5000 /* 10 s */
#define WEDGE_ROUNDS 20
#define WEDGE_HVCS 50
#define VEC_LOWER_IRQ 9 /* 0x480 / 0x80, in gt_lower_fn */
/* SPSR_EL2.{D, A, I, F, M[3:0]}: every mask set, EL1h */
#define SPSR_DAIF_M 0x3cfUL
#define SPSR_DAIF_EL1H 0x3c5UL

static volatile struct {
	uint64_t wedged;		   /* vCPU 0's L2 is about to spin */
	uint64_t ticks, spin_ticks, other; /* at vCPU 0's lower-EL vectors */
	uint64_t bad_intid, bad_elr, bad_spsr;
	uint64_t rounds, rounds_first; /* vCPU 1's L2 rounds; at tick 1 */
	uint64_t failed;	       /* vCPU 1's rounds that went wrong */
	uint64_t stop, stopped;
	uint64_t quiet; /* WEDGE_RESET: vCPU 0's last tick is done */
} wedge;

extern char l2_wedge_spin[];

/* L2 on vCPU 0 */
static __attribute__((noreturn)) void l2_wedge(uint64_t cpu)
{
	(void)cpu;
	wedge.wedged = 1;
	__asm__ volatile("dsb sy\n"
			 "msr daifset, #0xf\n"
			 ".global l2_wedge_spin\n"
			 "l2_wedge_spin: b l2_wedge_spin" ::
			     : "memory");
	__builtin_unreachable();
}

/* vCPU 0: L1's ticks while its L2 is wedged; vCPU 1: case 7's handler */
static uint64_t wedge_lower(uint64_t vector, uint64_t esr, uint64_t far,
			    uint64_t elr, struct gt_frame *f)
{
	uint32_t intid;

	if (cpu_index() != 0)
		return lower(vector, esr, far, elr, f);
	if (vector != VEC_LOWER_IRQ) {
		wedge.other++;
		return gt_lower_exit(f);
	}
	intid = gic_ack();
	if (intid != PPI_HPTIMER) {
		wedge.bad_intid = intid;
		if (intid < INTID_SPURIOUS)
			gic_eoi(intid);
		return elr;
	}
	hptimer(WEDGE_TICK_MS); /* a new deadline: the line drops */
	gic_eoi(intid);
	wedge.ticks++;
	if (wedge.wedged) {
		if (elr == (uintptr_t)l2_wedge_spin &&
		    (f->spsr & SPSR_DAIF_M) == SPSR_DAIF_EL1H)
			wedge.spin_ticks++;
		else {
			wedge.bad_elr = elr;
			wedge.bad_spsr = f->spsr;
		}
	}
	if (wedge.spin_ticks == 1)
		wedge.rounds_first = wedge.rounds;
	if (WEDGE_RESET && wedge.spin_ticks >= WEDGE_TICKS) {
		hptimer(0);
		wedge.quiet = 1;
		return elr;
	}
	if ((!WEDGE_RESET && wedge.spin_ticks >= WEDGE_TICKS &&
	     wedge.rounds >= wedge.rounds_first + WEDGE_ROUNDS) ||
	    wedge.ticks >= WEDGE_MAX_TICKS) {
		hptimer(0);
		return gt_lower_exit(f); /* to L1, not back to L2 */
	}
	return elr;
}

/* vCPU 1 (gt_secondary): rounds of its own L2 until vCPU 0 says stop */
static void wedge_secondary(void)
{
	hcr_set(HCR_BASE);
	l2_context();
	WAIT_FOR(wedge.wedged, 10000);
	while (!wedge.stop &&
	       !(WEDGE_RESET && wedge.quiet &&
		 wedge.rounds >= wedge.rounds_first + WEDGE_ROUNDS)) {
		l2_reset(1, OP_LOOP, 0, 0, WEDGE_HVCS);
		if (l2_go(1, 0) != PAYLOAD_DONE || l1s[1].hvcs != WEDGE_HVCS ||
		    l1s[1].n != 0)
			wedge.failed++;
		__asm__ volatile("tlbi vmalls12e1is\n dsb ish\n isb" ::
				     : "memory");
		wedge.rounds++;
	}
	if (WEDGE_RESET && !wedge.stop) {
		delay_ms(WEDGE_QUIET_MS);
		gt_printf("wedge: vcpu0's L2 spins at 0x%lx, vcpu1 resets\n",
			  (unsigned long)(uintptr_t)l2_wedge_spin);
		gt_psci(WEDGE_PSCI_SYSTEM_RESET, 0, 0, 0);
		gt_printf("FAIL: wedge: SYSTEM_RESET returned\n");
	}
	dsb_sy();
	wedge.stopped = 1;
	dsb_sy();
}

static void test_wedge(void)
{
	bool stopped;

	if (!gic_rd)
		return;
	gt_set_lower_handler(wedge_lower);
	if (gt_psci(PSCI_CPU_ON, 1, (uintptr_t)_start, 0) != 0) {
		CHECK(false, "wedge: CPU_ON of vCPU 1");
		return;
	}
	gt_where = "wedge";
	hptimer(WEDGE_TICK_MS);
	hcr_set(HCR_BASE | HCR_VM | HCR_IMO);
	gt_run_lower((uintptr_t)l2_wedge, (uintptr_t)&l2_stack[0][1024], 0,
		     SPSR_EL1H);
	hcr_set(HCR_BASE | HCR_VM);
	hptimer(0);
	gt_where = NULL;
	wedge.stop = 1;
	dsb_sy();
	stopped = WAIT_FOR(wedge.stopped, 10000);
	gt_set_lower_handler(lower);
	CHECK_EQ(wedge.wedged, 1, "wedge: L2 on vCPU 0 masked DAIF and spun");
	gt_check(wedge.spin_ticks >= WEDGE_TICKS && !wedge.bad_elr &&
		     !wedge.bad_intid && !wedge.other,
		 "wedge: L1's EL2 timer takes vCPU 0 out of its wedged L2, "
		 "each tick at L1's lower-EL IRQ vector (0x480), INTID 26, "
		 "from the spin at EL1h with DAIF masked",
		 "%lu ticks, %lu in the spin; last other ELR 0x%lx SPSR "
		 "0x%lx, INTID %lu, %lu other exceptions",
		 (unsigned long)wedge.ticks, (unsigned long)wedge.spin_ticks,
		 (unsigned long)wedge.bad_elr, (unsigned long)wedge.bad_spsr,
		 (unsigned long)wedge.bad_intid, (unsigned long)wedge.other);
	gt_check(wedge.rounds >= wedge.rounds_first + WEDGE_ROUNDS &&
		     !wedge.failed && wedge.ticks < WEDGE_MAX_TICKS,
		 "wedge: meanwhile L1's vCPU 1 runs its own L2 on the same "
		 "VTTBR, 20 rounds of 50 HVCs and a TLBI VMALLS12E1IS",
		 "%lu rounds, %lu at the first tick, %lu failed, %lu ticks",
		 (unsigned long)wedge.rounds, (unsigned long)wedge.rounds_first,
		 (unsigned long)wedge.failed, (unsigned long)wedge.ticks);
	CHECK(stopped, "wedge: L1 leaves the wedged L2, vCPU 1 stops");
	gt_printf("note: wedge: %lu ticks in the spin, vCPU 1's rounds %lu "
		  "(%lu at the first tick)\n",
		  (unsigned long)wedge.spin_ticks, (unsigned long)wedge.rounds,
		  (unsigned long)wedge.rounds_first);
	if (l2_run("wedge: after it, L2 on vCPU 0", OP_HVC, 0, HVC_ARG, 0, 0,
		   false))
		CHECK_EQ(l2c[0].x0, HVC_REPLY,
			 "wedge: after it, L2's HVC on vCPU 0 reaches L1");
}

#endif
