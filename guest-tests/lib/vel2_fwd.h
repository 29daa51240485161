/* A guest hypervisor at (virtual) EL2 asks for traps in HCR_EL2 and checks
 * that they reach its EL2 vectors from a vEL1 payload exactly as on
 * hardware; with HCR_EL2.E2H = 0 (vel2_fwd.c, VHE 0) or 1 (vel2_fwd_vhe.c,
 * VHE 1: the EL1 registers are then reached from EL2 as *_EL12 / *_EL02):
 *  1. TWI: WFI at EL1 taken to EL2 (lower-EL sync, 0x400), EC 0x01, TI 0,
 *     ELR_EL2 the WFI itself; EL2 skips it and the payload goes on (the
 *     EL1 virtual timer, 200 ms ahead and masked at EL1, wakes an
 *     untrapped WFI up, so that a missing trap is a FAIL, not a hang).
 *  2. TID3: MRS ID_AA64PFR0_EL1 at EL1, EC 0x18 naming the register, read,
 *     Rt; EL2 writes a marker into the payload's Rt and skips it. TID1:
 *     the same with REVIDR_EL1.
 *  3. TVM: MSR CONTEXTIDR_EL1 / TTBR0_EL1 at EL1, EC 0x18, write, the value
 *     in Rt of the frame, not performed; with TVM = 0 the same writes do
 *     not trap and land.
 *  4. TSC: SMC #0 at EL1, EC 0x17, ELR_EL2 the SMC itself.
 *  5. TTLB: TLBI VMALLE1 at EL1, EC 0x18, Op0 1, Rt 31.
 *  6. API (a control that traps when 0): PACGA at EL1 with API = 0 is
 *     taken to EL2 with EC 0x09; with API = 1 it runs at EL1.
 *  6b. The other HCR_EL2 trap controls, one instruction each, taken to EL2
 *     with its EC 0x18 syndrome and skipped there: TID2 (MRS CLIDR_EL1),
 *     TIDCP (an IMPLEMENTATION DEFINED register, S3_0_C15_C0_0), TACR
 *     (ACTLR_EL1), TSW (DC CISW), TPCP (DC CIVAC), TPU (DC CVAU), TDZ (DC
 *     ZVA), TRVM (MRS CONTEXTIDR_EL1), APK = 0 (APIAKeyLo_EL1, with
 *     FEAT_PAuth), and, when the ID registers offer their feature, TLOR
 *     (LORID_EL1, FEAT_LOR), TID4 (CCSIDR_EL1), TICAB (IC IALLUIS), TOCU
 *     (IC IALLU) (FEAT_EVT), TTLBIS (TLBI VMALLE1IS), TTLBOS (TLBI
 *     VMALLE1OS) (FEAT_EVT 2, FEAT_TLBIOS). MDCR_EL2.TDE alone (TDA, TDOSA,
 *     TDRA clear) traps MDSCR_EL1, OSLSR_EL1 and MDRAR_EL1 as those do.
 *     Each is tagged "fwd-test:" for harness/test_forward_coverage.py.
 *  7. IMO: the EL1 virtual timer (PPI 27, set up by EL2 on the GIC it sees)
 *     fires while the payload runs and is taken at EL2's lower-EL IRQ
 *     vector (0x480), once; EL2 acknowledges it (ICC_IAR1_EL1 = 27), masks
 *     the timer and ends it. With PSTATE.I clear at EL1 and, as the
 *     architecture has it for an interrupt routed to EL2, with it set.
 * EL2 sets the GIC up first (ICC_SRE_EL2, GICD, its GICR, PPI 27 Group 1
 * enabled at GT_PRIO, PMR 0xff, Group 1 on). Passes in full on bare QEMU
 * (virtualization=on) and is meant to under hypnest with guest.el2=nvhe
 * (VHE 0) or guest.el2=vhe (VHE 1). Header-only: the Makefile links a
 * fixed library. */
#ifndef VHE
#error "define VHE (0 or 1) before including vel2_fwd.h"
#endif
#include "payload.h"

#define HCR_IMO BIT(4)
#define HCR_TWI BIT(13)
#define HCR_TID1 BIT(16)
#define HCR_TID3 BIT(18)
#define HCR_TSC BIT(19)
#define HCR_TTLB BIT(25)
#define HCR_TVM BIT(26)
#define HCR_API BIT(41)
#define HCR_TWE BIT(14)
#define HCR_TID2 BIT(17)
#define HCR_TIDCP BIT(20)
#define HCR_TACR BIT(21)
#define HCR_TSW BIT(22)
#define HCR_TPCP BIT(23)
#define HCR_TPU BIT(24)
#define HCR_TDZ BIT(28)
#define HCR_TRVM BIT(30)
#define HCR_TLOR BIT(35)
#define HCR_APK BIT(40)
#define HCR_TID4 BIT(49)
#define HCR_TICAB BIT(50)
#define HCR_TOCU BIT(52)
#define HCR_TTLBIS BIT(54)
#define HCR_TTLBOS BIT(55)
#define MDCR_TDE BIT(8)
#define HCR_BASE (HCR_RW | (VHE ? HCR_E2H : 0))

/* the EL1 registers EL2 uses, by name at EL2: *_EL1 / *_EL0 with E2H = 0,
 * *_EL12 / *_EL02 with E2H = 1 (as encodings: the default -march does not
 * know the names); RD/WR expand the name first */
#if VHE
#define VBAR_EL1 s3_5_c12_c0_0	     /* VBAR_EL12 */
#define SCTLR_EL1 s3_5_c1_c0_0	     /* SCTLR_EL12 */
#define CONTEXTIDR_EL1 s3_5_c13_c0_1 /* CONTEXTIDR_EL12 */
#define TTBR0_EL1 s3_5_c2_c0_0	     /* TTBR0_EL12 */
#define CNTV_CTL s3_5_c14_c3_1	     /* CNTV_CTL_EL02 */
#define CNTV_CVAL s3_5_c14_c3_2	     /* CNTV_CVAL_EL02 */
#else
#define VBAR_EL1 vbar_el1
#define SCTLR_EL1 sctlr_el1
#define CONTEXTIDR_EL1 contextidr_el1
#define TTBR0_EL1 ttbr0_el1
#define CNTV_CTL cntv_ctl_el0
#define CNTV_CVAL cntv_cval_el0
#endif
#define EC_WFX 0x01
#define EC_PAC 0x09
#define EC_SMC64 0x17
#define EC_SYS64 0x18

/* ISS of EC 0x18: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10],
 * Rt [9:5], CRm [4:1], Direction [0] (1: read, MRS) */
#define SYS_ISS(op0, op1, crn, crm, op2, rt, rd)                               \
	(((uint64_t)(op0) << 20) | ((uint64_t)(op2) << 17) |                   \
	 ((uint64_t)(op1) << 14) | ((uint64_t)(crn) << 10) |                   \
	 ((uint64_t)(rt) << 5) | ((uint64_t)(crm) << 1) | (uint64_t)(rd))

#define ID_MARKER 0x1d1d1d1d5a5a0001UL
#define PAC_INPUT 0x4000123456789abcUL
#define SMC_MARKER 0x5c5c0002UL
#define CTX_OLD 0x0111UL
#define CTX_NEW 0x4242UL
#define TTBR_OLD 0x0000000040001000UL
#define TTBR_NEW 0x0000000041234000UL
#define TIMER_MS 5
#define WATCHDOG_MS 200
#define SPIN_MS 1000
#define QUIET_MS 50

/* what the payload saw, at EL1 */
static volatile struct {
	uint64_t addr[2], val[2], irqs_seen, waited;
	bool after;
} pay;
static volatile uint64_t timer_cval; /* written by p_irq at EL1 too */
static uintptr_t gic_rd;	     /* this CPU's redistributor, once set up */

/* the EL1 virtual timer ms from now, its PPI not pending */
static void arm_vtimer(uint64_t ms)
{
	WR(CNTV_CTL, 0);
	isb();
	mmio_write32(gic_rd + GICR_SGI + GICR_ICPENDR0, BIT(PPI_VTIMER));
	timer_cval = now() + ms_to_ticks(ms);
	WR(CNTV_CVAL, timer_cval);
	WR(CNTV_CTL, CNT_CTL_ENABLE);
	isb();
}

/* ---- the payloads (EL1h, SP_EL1, MMU off, VBAR_EL1 = gt_vectors) ---- */

/* what a one-instruction payload notes: its address, x5 after it */
static void note(uint64_t addr, uint64_t x5)
{
	pay.addr[0] = addr;
	pay.val[0] = x5;
	pay.after = true;
}

PAYLOAD_INSN(p_wfi, "dsb sy\n 1: wfi", note)
PAYLOAD_INSN(p_id, "1: mrs x5, id_aa64pfr0_el1", note)
PAYLOAD_INSN(p_revidr, "1: mrs x5, revidr_el1", note)
PAYLOAD_INSN(p_tlbi, "1: tlbi vmalle1\n dsb nsh\n isb", note)
PAYLOAD_INSN(p_clidr, "1: mrs x5, clidr_el1", note)
PAYLOAD_INSN(p_impdef, "1: mrs x5, s3_0_c15_c0_0", note)
PAYLOAD_INSN(p_actlr, "1: mrs x5, actlr_el1", note)
PAYLOAD_INSN(p_dc_cisw, "1: dc cisw, x5", note)
PAYLOAD_INSN(p_dc_civac, "1: dc civac, x5", note)
PAYLOAD_INSN(p_dc_cvau, "1: dc cvau, x5", note)
PAYLOAD_INSN(p_dc_zva, "1: dc zva, x5", note)
PAYLOAD_INSN(p_ctx_read, "1: mrs x5, contextidr_el1", note)
PAYLOAD_INSN(p_apiakey, "1: mrs x5, s3_0_c2_c1_0", note)
PAYLOAD_INSN(p_lorid, "1: mrs x5, s3_0_c10_c4_7", note)
PAYLOAD_INSN(p_ccsidr, "1: mrs x5, ccsidr_el1", note)
PAYLOAD_INSN(p_ic_ialluis, "1: ic ialluis\n isb", note)
PAYLOAD_INSN(p_ic_iallu, "1: ic iallu\n isb", note)
PAYLOAD_INSN(p_tlbi_is, "1: tlbi vmalle1is\n dsb ish\n isb", note)
/* TLBI VMALLE1OS (FEAT_TLBIOS) by its encoding: SYS #0, C8, C1, #0 */
PAYLOAD_INSN(p_tlbi_os, "1: sys #0, c8, c1, #0, xzr\n dsb sy\n isb", note)
PAYLOAD_INSN(p_mdscr, "1: mrs x5, mdscr_el1", note)
PAYLOAD_INSN(p_oslsr, "1: mrs x5, oslsr_el1", note)
PAYLOAD_INSN(p_mdrar, "1: mrs x5, mdrar_el1", note)

/* PACGA x5, x6, x7 (FEAT_PAuth; by encoding, the default -march has no
 * PAuth): x5 keeps ID_MARKER if EL2 skips it */
static __attribute__((noinline, noreturn)) void p_pacga(uint64_t arg)
{
	register uint64_t x1 __asm__("x1");
	register uint64_t x5 __asm__("x5") = ID_MARKER;
	register uint64_t x6 __asm__("x6") = PAC_INPUT;
	register uint64_t x7 __asm__("x7") = 0x42;

	(void)arg;
	__asm__ volatile("adr x1, 1f\n 1: .inst 0x9ac730c5"
			 : "=&r"(x1), "+r"(x5)
			 : "r"(x6), "r"(x7)
			 : "memory");
	pay.addr[0] = x1;
	pay.val[0] = x5;
	pay.after = true;
	payload_exit();
}

static __attribute__((noinline, noreturn)) void p_tvm(uint64_t arg)
{
	register uint64_t x1 __asm__("x1");
	register uint64_t x2 __asm__("x2");
	register uint64_t x6 __asm__("x6") = CTX_NEW;
	register uint64_t x7 __asm__("x7") = TTBR_NEW;

	(void)arg;
	__asm__ volatile("adr x1, 1f\n adr x2, 2f\n"
			 "1: msr contextidr_el1, x6\n"
			 "2: msr ttbr0_el1, x7\n isb"
			 : "=&r"(x1), "=&r"(x2)
			 : "r"(x6), "r"(x7)
			 : "memory");
	pay.addr[0] = x1;
	pay.addr[1] = x2;
	pay.after = true;
	payload_exit();
}

static __attribute__((noinline, noreturn)) void p_smc(uint64_t arg)
{
	register uint64_t x0 __asm__("x0") = PSCI_VERSION;
	register uint64_t x1 __asm__("x1");

	(void)arg;
	__asm__ volatile("adr x1, 1f\n 1: smc #0"
			 : "+r"(x0), "=r"(x1)::"memory");
	pay.addr[0] = x1;
	pay.val[0] = x0;
	pay.after = true;
	payload_exit();
}

/* arg: unmask IRQs (PSTATE.I = 0) first; spins until EL2 has taken the
 * interrupt (or SPIN_MS), then QUIET_MS more for a second one */
static __attribute__((noinline, noreturn)) void p_irq(uint64_t arg)
{
	uint64_t end;

	if (arg) {
		/* unmask first, then arm the EL1 virtual timer: armed by EL2
		 * before the payload started, it could fall due (on a loaded
		 * host) while PSTATE.I was still 1, and IMO takes it to EL2
		 * all the same, so SPSR_EL2.I would not say what is checked */
		__asm__ volatile("msr daifclr, #2\n isb" ::: "memory");
		timer_cval = now() + ms_to_ticks(TIMER_MS);
		write_sysreg(cntv_cval_el0, timer_cval);
		write_sysreg(cntv_ctl_el0, CNT_CTL_ENABLE);
		__asm__ volatile("isb" ::: "memory");
	}
	end = now() + ms_to_ticks(SPIN_MS);
	while (seen.n == 0 && now() < end)
		;
	pay.irqs_seen = seen.n;
	end = now() + ms_to_ticks(QUIET_MS);
	while (now() < end)
		;
	pay.waited = 1;
	__asm__ volatile("msr daifset, #2\n isb" ::: "memory");
	pay.after = true;
	payload_exit();
}

/* ---- EL2 ---- */

static void irq_at_el2(volatile struct rec *r)
{
	r->intid = gic_ack();
	r->when = now();
	r->ctl_before = RD(CNTV_CTL);
	WR(CNTV_CTL, CNT_CTL_ENABLE | CNT_CTL_IMASK);
	isb();
	if (r->intid < INTID_SPURIOUS) {
		gic_eoi(r->intid);
		if (read_sysreg(icc_ctlr_el1) & 2) /* EOImode: drop only */
			write_sysreg(icc_dir_el1, r->intid);
		isb();
	}
}

static uint64_t lower(uint64_t vector, uint64_t esr, uint64_t far, uint64_t elr,
		      struct gt_frame *f)
{
	unsigned rt = (esr >> 5) & 0x1f;

	if (seen_record(vector, esr, far, elr, f))
		return gt_lower_exit(f);
	if (vector == VEC_LOWER_IRQ) {
		irq_at_el2(&seen.rec[seen.n - 1]);
		return elr;
	}
	if (vector != VEC_LOWER_SYNC)
		return give_up(f);
	switch (EC(esr)) {
	case EC_SYS64:
		if ((esr & 1) && rt <= 18)
			f->x[rt] = ID_MARKER; /* emulate the MRS */
		return elr + 4;
	case EC_SMC64:
		f->x[0] = SMC_MARKER;
		return elr + 4;
	case EC_WFX:
	case EC_PAC:
		return elr + 4;
	default:
		return give_up(f);
	}
}

/* runs fn(arg) at EL1 with HCR_EL2 = RW | hcr; true if it got to its exit
 * HVC */
static bool run(const char *name, void (*fn)(uint64_t), uint64_t arg,
		uint64_t hcr)
{
	uint64_t ret;

	seen_reset();
	pay.addr[0] = pay.addr[1] = pay.val[0] = pay.val[1] = 0;
	pay.irqs_seen = pay.waited = 0;
	pay.after = false;
	WR(VBAR_EL1, (uintptr_t)gt_vectors);
	WR(SCTLR_EL1, SCTLR_EL1_RES1);
	ret = run_payload(name, fn, arg, SPSR_EL1H, HCR_BASE | hcr);
	hcr_set(HCR_BASE);
	gt_exc.armed = false;
	return payload_ran(name, ret, pay.after);
}

/* tag: the step, names the ELR check; name: what was taken */
static void check_sync(const volatile struct rec *r, const char *tag,
		       const char *name, unsigned ec, uint64_t iss,
		       uint64_t elr)
{
	char what[160];

	gt_check(r->vector == VEC_LOWER_SYNC && EC(r->esr) == ec &&
		     (r->esr & ESR_IL) && ISS(r->esr) == iss,
		 name, "vector %lu ESR 0x%lx, expected EC 0x%x ISS 0x%lx",
		 (unsigned long)r->vector, (unsigned long)r->esr, ec,
		 (unsigned long)iss);
	hyp_snprintf(what, sizeof(what),
		     "%s: ELR_EL2 is the instruction itself, SPSR_EL2.M EL1h",
		     tag);
	gt_check(r->elr == elr && (r->spsr & 0x1f) == 5, what,
		 "ELR 0x%lx, expected 0x%lx; SPSR 0x%lx", (unsigned long)r->elr,
		 (unsigned long)elr, (unsigned long)r->spsr);
}

/* fwd-test: HCR_EL2.TWI */
static void test_twi(void)
{
	const volatile struct rec *r = &seen.rec[0];
	bool ran;

	/* a wake-up in case the WFI is not trapped: the EL1 virtual timer,
	 * an interrupt for EL1 (IMO = 0) that PSTATE.I masks there */
	if (gic_rd)
		arm_vtimer(WATCHDOG_MS);
	ran = run("TWI: WFI payload ran to its exit", p_wfi, 0, HCR_TWI);
	WR(CNTV_CTL, 0);
	isb();
	if (gic_rd)
		mmio_write32(gic_rd + GICR_SGI + GICR_ICPENDR0,
			     BIT(PPI_VTIMER));
	if (!ran)
		return;
	CHECK_EQ(seen.n, 1, "TWI: one exception to EL2 before the exit");
	gt_check(r->vector == VEC_LOWER_SYNC && EC(r->esr) == EC_WFX &&
		     (r->esr & ESR_IL) && (r->esr & 3) == 0,
		 "TWI: WFI taken to EL2 lower-EL sync, EC 0x01, TI 0",
		 "vector %lu ESR 0x%lx", (unsigned long)r->vector,
		 (unsigned long)r->esr);
	gt_printf("note: TWI: ESR_EL2 0x%lx\n", (unsigned long)r->esr);
	gt_check(r->elr == pay.addr[0] && (r->spsr & 0x1f) == 5,
		 "TWI: ELR_EL2 is the WFI itself, SPSR_EL2.M EL1h",
		 "ELR 0x%lx, WFI at 0x%lx; SPSR 0x%lx", (unsigned long)r->elr,
		 (unsigned long)pay.addr[0], (unsigned long)r->spsr);
}

/* the trap ctl (the HCR_EL2 bits hcr) takes fn's one instruction to
 * EL2 (named taken), with EC ec and ISS iss; true if fn ran */
static bool one_trap_arg(const char *ctl, const char *what,
			 void (*fn)(uint64_t), uint64_t arg, uint64_t hcr,
			 const char *taken, unsigned ec, uint64_t iss)
{
	char name[128];

	hyp_snprintf(name, sizeof(name), "%s: %s payload ran to its exit", ctl,
		     what);
	if (!run(name, fn, arg, hcr))
		return false;
	hyp_snprintf(name, sizeof(name),
		     "%s: one exception to EL2 before the exit", ctl);
	CHECK_EQ(seen.n, 1, name);
	check_sync(&seen.rec[0], ctl, taken, ec, iss, pay.addr[0]);
	return true;
}

static bool one_trap(const char *ctl, const char *what, void (*fn)(uint64_t),
		     uint64_t hcr, const char *taken, unsigned ec, uint64_t iss)
{
	return one_trap_arg(ctl, what, fn, 0, hcr, taken, ec, iss);
}

/* an EC 0x18 trap: ctl (the HCR_EL2 bits hcr) takes fn(arg)'s one
 * instruction, what, to EL2 with ISS iss */
static void sys_trap(const char *ctl, const char *what, void (*fn)(uint64_t),
		     uint64_t arg, uint64_t hcr, uint64_t iss)
{
	char taken[128];

	hyp_snprintf(taken, sizeof(taken),
		     "%s: %s taken to EL2, EC 0x18, its syndrome", ctl, what);
	one_trap_arg(ctl, what, fn, arg, hcr, taken, EC_SYS64, iss);
}

/* fwd-test: HCR_EL2.TID3 */
static void test_tid3(void)
{
	if (one_trap("TID3", "ID register", p_id, HCR_TID3,
		     "TID3: MRS ID_AA64PFR0_EL1 taken to EL2, EC 0x18, "
		     "Op0 3 Op1 0 CRn 0 CRm 4 Op2 0, Rt 5, read",
		     EC_SYS64, SYS_ISS(3, 0, 0, 4, 0, 5, 1)))
		CHECK_EQ(pay.val[0], ID_MARKER,
			 "TID3: the payload reads what EL2 put in its x5");
}

/* fwd-test: HCR_EL2.TID1 */
static void test_tid1(void)
{
	if (one_trap("TID1", "REVIDR_EL1", p_revidr, HCR_TID1,
		     "TID1: MRS REVIDR_EL1 taken to EL2, EC 0x18, "
		     "Op0 3 Op1 0 CRn 0 CRm 0 Op2 6, Rt 5, read",
		     EC_SYS64, SYS_ISS(3, 0, 0, 0, 6, 5, 1)))
		CHECK_EQ(pay.val[0], ID_MARKER,
			 "TID1: the payload reads what EL2 put in its x5");
}

/* fwd-test: HCR_EL2.TTLB */
static void test_ttlb(void)
{
	if (!one_trap("TTLB", "TLBI", p_tlbi, HCR_TTLB,
		      "TTLB: TLBI VMALLE1 taken to EL2, EC 0x18, "
		      "Op0 1 Op1 0 CRn 8 CRm 7 Op2 0, Rt 31",
		      EC_SYS64, SYS_ISS(1, 0, 8, 7, 0, 31, 0)))
		return;
	if (run("TTLB = 0: TLBI payload ran to its exit", p_tlbi, 0, 0))
		CHECK_EQ(seen.n, 0, "TTLB = 0: no exception to EL2");
}

/* HCR_EL2.API = 0 traps the PAuth instructions at EL1 (EC 0x09, ISS 0);
 * API = 1 lets them run (fwd-test: HCR_EL2.API) */
static void test_api(void)
{
	const volatile struct rec *r = &seen.rec[0];
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1);

	/* GPA [27:24] or GPI [31:28]: PACGA exists */
	if (!(isar1 & (0xffUL << 24))) {
		gt_printf("note: API: no FEAT_PAuth generic authentication\n");
		return;
	}
	if (run("API = 0: PACGA payload ran to its exit", p_pacga, 0, 0)) {
		CHECK_EQ(seen.n, 1, "API = 0: one exception to EL2");
		check_sync(r, "API = 0",
			   "API = 0: PACGA taken to EL2, EC 0x09, ISS 0",
			   EC_PAC, 0, pay.addr[0]);
		CHECK_EQ(pay.val[0], ID_MARKER,
			 "API = 0: PACGA not executed at EL1");
	}
	if (run("API = 1: PACGA payload ran to its exit", p_pacga, 0,
		HCR_API)) {
		CHECK_EQ(seen.n, 0, "API = 1: no exception to EL2");
		gt_check(pay.val[0] != ID_MARKER &&
			     (pay.val[0] & 0xffffffffUL) == 0,
			 "API = 1: PACGA ran at EL1 (Xd<31:0> = 0)", "x5 0x%lx",
			 (unsigned long)pay.val[0]);
	}
}

/* fwd-test: HCR_EL2.TVM */
static void test_tvm(void)
{
	const volatile struct rec *r = &seen.rec[0];
	uint64_t ctx, ttbr;

	WR(CONTEXTIDR_EL1, CTX_OLD);
	WR(TTBR0_EL1, TTBR_OLD);
	isb();
	if (run("TVM=1: EL1 register write payload ran to its exit", p_tvm, 0,
		HCR_TVM)) {
		CHECK_EQ(seen.n, 2, "TVM=1: two exceptions to EL2");
		check_sync(&r[0], "TVM=1 CONTEXTIDR_EL1",
			   "TVM=1: MSR CONTEXTIDR_EL1 taken to EL2, EC 0x18, "
			   "Op0 3 Op1 0 CRn 13 CRm 0 Op2 1, Rt 6, write",
			   EC_SYS64, SYS_ISS(3, 0, 13, 0, 1, 6, 0),
			   pay.addr[0]);
		CHECK_EQ(r[0].x[6], CTX_NEW,
			 "TVM=1: the value written is in the frame's x6");
		check_sync(&r[1], "TVM=1 TTBR0_EL1",
			   "TVM=1: MSR TTBR0_EL1 taken to EL2, EC 0x18, "
			   "Op0 3 Op1 0 CRn 2 CRm 0 Op2 0, Rt 7, write",
			   EC_SYS64, SYS_ISS(3, 0, 2, 0, 0, 7, 0), pay.addr[1]);
		CHECK_EQ(r[1].x[7], TTBR_NEW,
			 "TVM=1: the value written is in the frame's x7");
		ctx = RD(CONTEXTIDR_EL1);
		ttbr = RD(TTBR0_EL1) & 0x0000fffffffff000UL;
		gt_check(ctx == CTX_OLD && ttbr == TTBR_OLD,
			 "TVM=1: the trapped writes did not happen",
			 "CONTEXTIDR_EL1 0x%lx TTBR0_EL1 0x%lx",
			 (unsigned long)ctx, (unsigned long)ttbr);
	}
	if (run("TVM=0: EL1 register write payload ran to its exit", p_tvm, 0,
		0)) {
		CHECK_EQ(seen.n, 0, "TVM=0: no exception to EL2 but the exit");
		ctx = RD(CONTEXTIDR_EL1);
		ttbr = RD(TTBR0_EL1) & 0x0000fffffffff000UL;
		gt_check(ctx == CTX_NEW && ttbr == TTBR_NEW,
			 "TVM=0: the writes landed in the EL1 registers",
			 "CONTEXTIDR_EL1 0x%lx TTBR0_EL1 0x%lx",
			 (unsigned long)ctx, (unsigned long)ttbr);
	}
	WR(TTBR0_EL1, 0);
	WR(CONTEXTIDR_EL1, 0);
	isb();
}

/* a scratch block for the DC by VA payloads: a DC ZVA block is at most
 * 2 KiB (DCZID_EL0.BS <= 9) */
static uint8_t dc_block[2048] __attribute__((aligned(2048)));

/* fwd-test: HCR_EL2.TID2 HCR_EL2.TIDCP HCR_EL2.TACR HCR_EL2.TSW
 * fwd-test: HCR_EL2.TPCP HCR_EL2.TPU HCR_EL2.TDZ HCR_EL2.TRVM */
static void test_sys_traps(void)
{
	uintptr_t va = (uintptr_t)dc_block;

	sys_trap("TID2", "MRS CLIDR_EL1", p_clidr, 0, HCR_TID2,
		 SYS_ISS(3, 1, 0, 0, 1, 5, 1));
	sys_trap("TIDCP", "MRS S3_0_C15_C0_0", p_impdef, 0, HCR_TIDCP,
		 SYS_ISS(3, 0, 15, 0, 0, 5, 1));
	sys_trap("TACR", "MRS ACTLR_EL1", p_actlr, 0, HCR_TACR,
		 SYS_ISS(3, 0, 1, 0, 1, 5, 1));
	sys_trap("TSW", "DC CISW", p_dc_cisw, 0, HCR_TSW,
		 SYS_ISS(1, 0, 7, 14, 2, 5, 0));
	sys_trap("TPCP", "DC CIVAC", p_dc_civac, va, HCR_TPCP,
		 SYS_ISS(1, 3, 7, 14, 1, 5, 0));
	sys_trap("TPU", "DC CVAU", p_dc_cvau, va, HCR_TPU,
		 SYS_ISS(1, 3, 7, 11, 1, 5, 0));
	sys_trap("TDZ", "DC ZVA", p_dc_zva, va, HCR_TDZ,
		 SYS_ISS(1, 3, 7, 4, 1, 5, 0));
	sys_trap("TRVM", "MRS CONTEXTIDR_EL1", p_ctx_read, 0, HCR_TRVM,
		 SYS_ISS(3, 0, 13, 0, 1, 5, 1));
}

/* The controls of optional features, where the ID registers offer them
 * (a guest hypervisor under hypnest is offered FEAT_EVT but neither
 * FEAT_LOR nor FEAT_PAuth: docs/id-regs.md; their bits are RES0 for it).
 * fwd-test: HCR_EL2.APK HCR_EL2.TLOR HCR_EL2.TID4 HCR_EL2.TICAB
 * fwd-test: HCR_EL2.TOCU HCR_EL2.TTLBIS HCR_EL2.TTLBOS */
static void test_feature_traps(void)
{
	uint64_t isar0 = read_sysreg(id_aa64isar0_el1);
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1);
	uint64_t mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	unsigned evt = (unsigned)((read_sysreg(id_aa64mmfr2_el1) >> 56) & 0xf);

	/* APA [7:4] or API [11:8]: the address authentication keys */
	if (isar1 & 0xff0)
		sys_trap("APK = 0", "MRS APIAKeyLo_EL1", p_apiakey, 0, 0,
			 SYS_ISS(3, 0, 2, 1, 0, 5, 1));
	else
		gt_printf("note: APK: no FEAT_PAuth address authentication\n");
	if ((mmfr1 >> 16) & 0xf) /* LO */
		sys_trap("TLOR", "MRS LORID_EL1", p_lorid, 0, HCR_TLOR,
			 SYS_ISS(3, 0, 10, 4, 7, 5, 1));
	else
		gt_printf("note: TLOR: no FEAT_LOR\n");
	gt_printf("note: FEAT_EVT %u\n", evt);
	if (evt >= 1) {
		sys_trap("TID4", "MRS CCSIDR_EL1", p_ccsidr, 0, HCR_TID4,
			 SYS_ISS(3, 1, 0, 0, 0, 5, 1));
		sys_trap("TICAB", "IC IALLUIS", p_ic_ialluis, 0, HCR_TICAB,
			 SYS_ISS(1, 0, 7, 1, 0, 31, 0));
		sys_trap("TOCU", "IC IALLU", p_ic_iallu, 0, HCR_TOCU,
			 SYS_ISS(1, 0, 7, 5, 0, 31, 0));
	}
	if (evt >= 2) {
		sys_trap("TTLBIS", "TLBI VMALLE1IS", p_tlbi_is, 0, HCR_TTLBIS,
			 SYS_ISS(1, 0, 8, 3, 0, 31, 0));
		if ((isar0 >> 56) & 0xf) /* TLB: FEAT_TLBIOS */
			sys_trap("TTLBOS", "TLBI VMALLE1OS", p_tlbi_os, 0,
				 HCR_TTLBOS, SYS_ISS(1, 0, 8, 1, 0, 31, 0));
	}
}

/* MDCR_EL2.TDE with TDA, TDOSA and TDRA clear: each of their traps, as
 * if they were set (D24.3.17); fn's one MRS of the register reg, ISS iss */
static void tde_trap(const char *what, void (*fn)(uint64_t), uint64_t iss)
{
	uint64_t mdcr = read_sysreg(mdcr_el2);

	write_sysreg(mdcr_el2, (mdcr & ~0xe00UL) | MDCR_TDE);
	isb();
	sys_trap("MDCR_EL2.TDE", what, fn, 0, 0, iss);
	write_sysreg(mdcr_el2, mdcr);
	isb();
}

/* fwd-test: MDCR_EL2.TDE */
static void test_tde(void)
{
	tde_trap("MRS MDSCR_EL1 (TDA)", p_mdscr, SYS_ISS(2, 0, 0, 2, 2, 5, 1));
	tde_trap("MRS OSLSR_EL1 (TDOSA)", p_oslsr,
		 SYS_ISS(2, 0, 1, 1, 4, 5, 1));
	tde_trap("MRS MDRAR_EL1 (TDRA)", p_mdrar, SYS_ISS(2, 0, 1, 0, 0, 5, 1));
}

/* fwd-test: HCR_EL2.TSC */
static void test_tsc(void)
{
	if (one_trap("TSC", "SMC", p_smc, HCR_TSC,
		     "TSC: SMC #0 taken to EL2, EC 0x17, ISS 0", EC_SMC64, 0))
		CHECK_EQ(
		    pay.val[0], SMC_MARKER,
		    "TSC: the payload resumes after the SMC with EL2's x0");
}

static void test_imo(bool unmask)
{
	const volatile struct rec *r = &seen.rec[0];
	const char *what = unmask ? "IMO, PSTATE.I = 0" : "IMO, PSTATE.I = 1";
	char name[128];

	arm_vtimer(TIMER_MS);
	if (unmask) { /* the payload arms it once PSTATE.I = 0 (p_irq) */
		WR(CNTV_CTL, 0);
		isb();
	}
	hyp_snprintf(name, sizeof(name), "%s: timer payload ran to its exit",
		     what);
	if (!run(name, p_irq, unmask, HCR_IMO))
		goto out;
	hyp_snprintf(name, sizeof(name),
		     "%s: the interrupt reached EL2 while the payload ran",
		     what);
	CHECK_EQ(pay.irqs_seen, 1, name);
	hyp_snprintf(name, sizeof(name),
		     "%s: exactly one exception to EL2 (no second interrupt)",
		     what);
	CHECK_EQ(seen.n, 1, name);
	hyp_snprintf(name, sizeof(name),
		     "%s: taken at EL2's lower-EL IRQ vector (0x480)", what);
	CHECK_EQ(r->vector, VEC_LOWER_IRQ, name);
	hyp_snprintf(name, sizeof(name), "%s: ICC_IAR1_EL1 at EL2 is 27", what);
	CHECK_EQ(r->intid, PPI_VTIMER, name);
	hyp_snprintf(name, sizeof(name),
		     "%s: from EL1h, PSTATE.I as the payload had it", what);
	gt_check((r->spsr & 0x1f) == 5 && !!(r->spsr & SPSR_I) == !unmask, name,
		 "SPSR_EL2 0x%lx", (unsigned long)r->spsr);
	hyp_snprintf(name, sizeof(name),
		     "%s: not early, timer ENABLE and ISTATUS, not IMASK",
		     what);
	gt_check(r->when >= timer_cval &&
		     (r->ctl_before & 7) == (CNT_CTL_ENABLE | CNT_CTL_ISTATUS),
		 name, "taken at 0x%lx, CVAL 0x%lx, CNTV_CTL 0x%lx",
		 (unsigned long)r->when, (unsigned long)timer_cval,
		 (unsigned long)r->ctl_before);
	gt_printf("note: %s: taken %lu us after CVAL\n", what,
		  (unsigned long)((r->when - timer_cval) * 1000000 /
				  read_sysreg(cntfrq_el0)));
out:
	WR(CNTV_CTL, 0);
	isb();
}

/* EL2 sets up the GIC it sees (physical at the real EL2, hypnest's
 * virtual one at vEL2): PPI 27 enabled, Group 1, priority GT_PRIO */
static void gic_setup(void)
{
	uintptr_t rd;
	uint64_t sre;

	gt_set_irq_handler(NULL);
	write_sysreg(cntvoff_el2, 0);
	WR(CNTV_CTL, 0);
	write_sysreg(icc_sre_el2, 0xf);
	isb();
	sre = read_sysreg(icc_sre_el2);
	gt_check((sre & 9) == 9, "GIC: ICC_SRE_EL2.SRE and Enable",
		 "ICC_SRE_EL2 0x%lx", (unsigned long)sre);
	rd = gic_setup_ppis(BIT(PPI_VTIMER),
			    "GIC: GICD set up (ARE, Group 1 enabled)");
	if (!rd)
		return;
	CHECK_EQ(gic_cpuif_init() & 1, 1, "GIC: ICC_SRE_EL1.SRE = 1");
	gt_printf("note: ICC_CTLR_EL1 0x%lx at EL2\n",
		  (unsigned long)read_sysreg(icc_ctlr_el1));
	gic_rd = rd;
}

static void test_interrupts(void)
{
	if (!gic_rd)
		return;
	test_imo(true);
	test_imo(false);
	mmio_write32(gic_rd + GICR_SGI + GICR_ICENABLER0, BIT(PPI_VTIMER));
	write_sysreg(icc_igrpen1_el1, 0);
	isb();
}

static void fwd_main(void)
{
	el2_start(HCR_BASE, lower);
	CHECK_EQ(read_sysreg(hcr_el2) & (HCR_E2H | HCR_RW), HCR_BASE,
		 "HCR_EL2.E2H = " STR(VHE));
	gic_setup();
	test_twi();
	test_tid3();
	test_tid1();
	test_tvm();
	test_tsc();
	test_ttlb();
	test_api();
	test_sys_traps();
	test_feature_traps();
	test_tde();
	test_interrupts();
	gt_set_lower_handler(NULL);
	write_sysreg(hcr_el2, HCR_BASE);
	isb();
	gt_done();
}
