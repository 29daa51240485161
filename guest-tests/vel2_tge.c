/* A guest hypervisor at (virtual) EL2 runs EL0 code with HCR_EL2.TGE = 1,
 * first with E2H = 0, then in its EL2&0 regime (E2H = 1):
 *  E2H = 0, TGE = 1 (D24.2.62 TGE: no EL1; "all exceptions that would be
 *  routed to EL1 are routed to EL2"; SCTLR_EL1.M treated as 0):
 *   1. EL0 runs, with SCTLR_EL1.M = 0 (QEMU 10 does not treat an M of 1
 *      as 0 for EL0 here, as TGE requires: not checked);
 *   2. SVC #5 taken to EL2 (0x400), EC 0x15, ISS 5, ELR after the SVC,
 *      SPSR_EL2.M EL0t;
 *   3. an UNDEFINED instruction (MRS SCTLR_EL1 at EL0) taken to EL2,
 *      EC 0x00, ELR the instruction;
 *   4. an unaligned load with SCTLR_EL1.A = 1 (an Alignment fault whatever
 *      the memory type): Data Abort to EL2, EC 0x24, DFSC alignment, FAR
 *      the address;
 *   5. WFI with SCTLR_EL1.nTWI = 0: the trap to EL1 goes to EL2, EC 0x01;
 *      with HCR_EL2.TWI = 1 also; with neither the WFI waits, and the EL1
 *      virtual timer's interrupt wakes it and is taken to EL2 (0x480)
 *      although EL0 runs with PSTATE.I = 1 (Table D1-21: not masked).
 *  E2H = 1, TGE = 1 (the EL2&0 regime):
 *   6. WFI with SCTLR_EL2.nTWI = 0 taken to EL2, EC 0x01;
 *   7. WFI with HCR_EL2.TWI = 1 and SCTLR_EL2.nTWI = 1 is not trapped
 *      (TWI's Effective value is 0 there; AArch64.CheckForWFxTrap tests it
 *      only when !IsInHost()): the timer's interrupt wakes it, and, masked
 *      by PSTATE.I at EL0 (Table D1-21), is not taken.
 * WFE is not checked: QEMU never traps it, which the architecture allows.
 * Passes in full on bare QEMU (virtualization=on) and is meant to under
 * hypnest with guest.el2=vhe. */
#define PAYLOAD_EXIT_SVC /* from EL0, TGE = 1: an SVC reaches EL2 */
#include "payload.h"

#define HCR_TWI BIT(13)
#define HCR_TGE BIT(27)

#define SCTLR_RES1 0x30d00800UL /* SCTLR_EL1 layout, also SCTLR_EL2 E2H=1 */
#define SCTLR_A BIT(1)
#define SCTLR_NTWI BIT(16)
#define SCTLR_NTWE BIT(18)

#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_SVC64 0x15
#define EC_DABT_LOW 0x24
#define FSC_ALIGN 0x21

/* the EL1 virtual timer from EL2: *_EL0 with E2H = 0, *_EL02 with 1 */
#define CNTV_CTL_EL02 s3_5_c14_c3_1
#define CNTV_CVAL_EL02 s3_5_c14_c3_2
#define WATCHDOG_MS 50

static volatile struct {
	uint64_t addr, val;
	bool after;
} pay;
/* the EL0 payload's SP_EL0 (SP_EL1 is payload.h's payload_stack) */
static uint64_t el0_stack[1024] __attribute__((aligned(16)));
static volatile uint64_t scratch[4] __attribute__((aligned(16)));
static uintptr_t gic_rd;
static bool e2h;

/* ---- EL0 payloads ---- */

static __attribute__((noinline, noreturn)) void p_mem(uint64_t arg)
{
	scratch[1] = arg;
	pay.val = scratch[1];
	pay.after = true;
	payload_exit();
}

/* what a one-instruction payload notes: the address (of the SVC's return
 * address for SVC) */
static void note(uint64_t addr, uint64_t x5)
{
	(void)x5;
	pay.addr = addr;
	pay.after = true;
}

PAYLOAD_INSN(p_svc, "svc #5\n 1:", note)
PAYLOAD_INSN(p_undef, "1: mrs x2, sctlr_el1", note)
/* arg: the address loaded from */
PAYLOAD_INSN(p_unaligned, "mov x2, x5\n 1: ldr x3, [x2]", note)
PAYLOAD_INSN(p_wfi, "dsb sy\n 1: wfi", note)

/* ---- EL2 ---- */

static void timer_arm(uint64_t ms)
{
	if (e2h) {
		WR(CNTV_CTL_EL02, 0);
		WR(CNTV_CVAL_EL02, now() + ms_to_ticks(ms));
		WR(CNTV_CTL_EL02, CNT_CTL_ENABLE);
	} else {
		write_sysreg(cntv_ctl_el0, 0);
		write_sysreg(cntv_cval_el0, now() + ms_to_ticks(ms));
		write_sysreg(cntv_ctl_el0, CNT_CTL_ENABLE);
	}
	isb();
}

static void timer_off(void)
{
	if (e2h)
		WR(CNTV_CTL_EL02, 0);
	else
		write_sysreg(cntv_ctl_el0, 0);
	isb();
	mmio_write32(gic_rd + GICR_SGI + GICR_ICPENDR0, BIT(PPI_VTIMER));
}

static uint64_t lower(uint64_t vector, uint64_t esr, uint64_t far, uint64_t elr,
		      struct gt_frame *f)
{
	volatile struct rec *r;

	if (seen_record(vector, esr, far, elr, f))
		return gt_lower_exit(f);
	r = &seen.rec[seen.n - 1];
	if (vector == VEC_LOWER_IRQ) {
		r->intid = gic_ack();
		timer_off();
		if (r->intid < INTID_SPURIOUS) {
			gic_eoi(r->intid);
			if (read_sysreg(icc_ctlr_el1) & 2)
				write_sysreg(icc_dir_el1, r->intid);
		}
		return elr;
	}
	if (vector != VEC_LOWER_SYNC)
		return give_up(f);
	switch (EC(esr)) {
	case EC_SVC64:
		return elr;
	case EC_UNKNOWN:
	case EC_WFX:
	case EC_DABT_LOW:
		return elr + 4;
	default:
		return give_up(f);
	}
}

/* fn(arg) at EL0 with HCR_EL2 = RW | TGE (| E2H) | hcr and the EL0
 * regime's SCTLR = sctlr */
static bool run(const char *name, void (*fn)(uint64_t), uint64_t arg,
		uint64_t hcr, uint64_t sctlr)
{
	uint64_t ret;

	seen_reset();
	pay.addr = pay.val = 0;
	pay.after = false;
	if (e2h) {
		write_sysreg(sctlr_el2, sctlr);
	} else {
		write_sysreg(sctlr_el1, sctlr);
		write_sysreg(ttbr0_el1, 0);
		write_sysreg(tcr_el1, 0);
	}
	write_sysreg(sp_el0, (uintptr_t)&el0_stack[1024]);
	/* SP_EL1 too: an exception that wrongly went to EL1 is reported */
	ret = run_payload(name, fn, arg, SPSR_EL0T,
			  HCR_RW | HCR_TGE | (e2h ? HCR_E2H : 0) | hcr);
	hcr_set(HCR_RW | (e2h ? HCR_E2H : 0));
	return payload_ran(name, ret, pay.after);
}

/* iss_mask: the ISS bits checked (EC 0x01 also has CV/COND, bits 24:20,
 * which the architecture lets an implementation set for AArch64) */
static void check_sync(const char *name, unsigned ec, uint64_t iss,
		       uint64_t iss_mask, uint64_t elr)
{
	const volatile struct rec *r = &seen.rec[0];

	gt_check(seen.n == 1 && r->vector == VEC_LOWER_SYNC &&
		     EC(r->esr) == ec && (r->esr & ESR_IL) &&
		     (ISS(r->esr) & iss_mask) == iss && r->elr == elr &&
		     (r->spsr & 0x1f) == 0,
		 name,
		 "%u exceptions, vector %lu ESR 0x%lx ELR 0x%lx (expected EC "
		 "0x%x ISS 0x%lx ELR 0x%lx) SPSR 0x%lx",
		 seen.n, (unsigned long)r->vector, (unsigned long)r->esr,
		 (unsigned long)r->elr, ec, (unsigned long)iss,
		 (unsigned long)elr, (unsigned long)r->spsr);
}

static void wfi_cases(const char *what, uint64_t sctlr_twe)
{
	char name[128];
	const volatile struct rec *r = &seen.rec[0];

	/* each WFI has a wake-up: the EL1 virtual timer, WATCHDOG_MS ahead */
	timer_arm(WATCHDOG_MS);
	hyp_snprintf(name, sizeof(name), "%s: WFI, nTWI = 0: ran", what);
	if (run(name, p_wfi, 0, 0, SCTLR_RES1 | sctlr_twe)) {
		hyp_snprintf(name, sizeof(name),
			     "%s: WFI with nTWI = 0 taken to EL2, EC 0x01, "
			     "TI 0, ELR the WFI",
			     what);
		check_sync(name, EC_WFX, 0, 3, pay.addr);
	}
	timer_off();
	timer_arm(WATCHDOG_MS);
	hyp_snprintf(name, sizeof(name), "%s: WFI, nTWI = 1, TWI = 1: ran",
		     what);
	if (run(name, p_wfi, 0, HCR_TWI, SCTLR_RES1 | SCTLR_NTWI | sctlr_twe)) {
		if (!e2h) {
			hyp_snprintf(name, sizeof(name),
				     "%s: WFI with TWI = 1 taken to EL2, EC "
				     "0x01",
				     what);
			check_sync(name, EC_WFX, 0, 3, pay.addr);
		} else {
			hyp_snprintf(name, sizeof(name),
				     "%s: WFI with TWI = 1 not trapped "
				     "(Effective value 0), woken by the timer, "
				     "its IRQ masked at EL0",
				     what);
			gt_check(seen.n == 0, name,
				 "%u exceptions, first vector %lu ESR 0x%lx",
				 seen.n, (unsigned long)r->vector,
				 (unsigned long)r->esr);
		}
	}
	timer_off();
	if (e2h)
		return;
	timer_arm(WATCHDOG_MS);
	hyp_snprintf(name, sizeof(name), "%s: WFI, nTWI = 1, TWI = 0: ran",
		     what);
	if (run(name, p_wfi, 0, 0, SCTLR_RES1 | SCTLR_NTWI | sctlr_twe)) {
		hyp_snprintf(name, sizeof(name),
			     "%s: untrapped WFI woken by the timer, its IRQ "
			     "taken to EL2 (0x480) despite PSTATE.I",
			     what);
		gt_check(seen.n == 1 && r->vector == VEC_LOWER_IRQ &&
			     r->intid == PPI_VTIMER && (r->spsr & BIT(7)),
			 name, "%u exceptions, vector %lu INTID %u SPSR 0x%lx",
			 seen.n, (unsigned long)r->vector, r->intid,
			 (unsigned long)r->spsr);
	}
	timer_off();
}

static void tge_e2h0(void)
{
	const volatile struct rec *r = &seen.rec[0];
	uintptr_t odd = (uintptr_t)&scratch[2] + 1;

	e2h = false;
	if (run("TGE: EL0 memory payload ran", p_mem, 0x1234, 0,
		SCTLR_RES1 | SCTLR_NTWI | SCTLR_NTWE))
		gt_check(seen.n == 0 && pay.val == 0x1234,
			 "TGE: EL0 reads and writes memory, no exception",
			 "%u exceptions, value 0x%lx", seen.n,
			 (unsigned long)pay.val);
	if (run("TGE: SVC payload ran", p_svc, 0, 0,
		SCTLR_RES1 | SCTLR_NTWI | SCTLR_NTWE))
		check_sync("TGE: SVC #5 taken to EL2, EC 0x15, ISS 5, ELR "
			   "after it",
			   EC_SVC64, 5, ~0UL, pay.addr);
	if (run("TGE: UNDEF payload ran", p_undef, 0, 0,
		SCTLR_RES1 | SCTLR_NTWI | SCTLR_NTWE))
		check_sync("TGE: UNDEFINED at EL0 taken to EL2, EC 0x00",
			   EC_UNKNOWN, 0, ~0UL, pay.addr);
	if (run("TGE: unaligned load payload ran", p_unaligned, odd, 0,
		SCTLR_RES1 | SCTLR_A | SCTLR_NTWI | SCTLR_NTWE)) {
		gt_check(seen.n == 1 && r->vector == VEC_LOWER_SYNC &&
			     EC(r->esr) == EC_DABT_LOW &&
			     (r->esr & 0x3f) == FSC_ALIGN && r->far == odd &&
			     r->elr == pay.addr,
			 "TGE: unaligned load taken to EL2, EC 0x24, "
			 "alignment fault, FAR the address",
			 "%u exceptions, vector %lu ESR 0x%lx FAR 0x%lx ELR "
			 "0x%lx (at 0x%lx, address 0x%lx)",
			 seen.n, (unsigned long)r->vector,
			 (unsigned long)r->esr, (unsigned long)r->far,
			 (unsigned long)r->elr, (unsigned long)pay.addr,
			 (unsigned long)odd);
	}
	wfi_cases("TGE", SCTLR_NTWE);
}

static void tge_e2h1(void)
{
	uint64_t hcr;

	write_sysreg(hcr_el2, HCR_RW | HCR_E2H);
	isb();
	hcr = read_sysreg(hcr_el2);
	CHECK_EQ(hcr & (HCR_E2H | HCR_TGE), HCR_E2H, "HCR_EL2.E2H = 1");
	if (!(hcr & HCR_E2H))
		return;
	e2h = true;
	wfi_cases("E2H, TGE", SCTLR_NTWE);
	write_sysreg(sctlr_el2, SCTLR_RES1);
	write_sysreg(hcr_el2, HCR_RW);
	isb();
	e2h = false;
}

static void gic_setup(void)
{
	uintptr_t rd;

	write_sysreg(cntvoff_el2, 0);
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(icc_sre_el2, 0xf);
	isb();
	rd = gic_setup_ppis(BIT(PPI_VTIMER), "GIC: GICD set up");
	if (!rd)
		gt_done();
	gic_cpuif_init();
	gic_rd = rd;
}

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	(void)dtb;
	el2_start(HCR_RW, lower);
	gic_setup();
	tge_e2h0();
	tge_e2h1();
	gt_set_lower_handler(NULL);
	gt_done();
}
