/* Self-hosted debug of a guest hypervisor at (virtual) EL2, on its own
 * code and its EL2&0 EL0 (Arm ARM D2: D2.11 software step, D2.8
 * breakpoints, D2.9 watchpoints; AArch64.GenerateDebugExceptionsFrom,
 * DebugExceptionReturnSS). Snippets are entered by ERET (an emulated ERET
 * under hypnest) and the first exception is caught
 * (guest-tests/lib/capture.h); x9 counts the instructions they executed.
 *
 *  1. MDCR_EL2.TDE = 1 (the debug target EL_D is EL2), MDSCR_EL1.{KDE,SS},
 *     ERET to EL2h with SPSR.{D,SS} = {0,1}: one instruction, then a
 *     Software Step exception from the current EL (EC 0x33, ISV 1, EX 0),
 *     ELR the next instruction.
 *  2. The same with SPSR.SS = 0 (active-pending): the step exception
 *     before the first instruction.
 *  3. Stepping an instruction the hypervisor below emulates (MRS TCR_EL2
 *     traps under NV): still one instruction, then the step.
 *  4. A hardware breakpoint on the second instruction (DBGBCR0_EL1: HMC 1,
 *     SSC 0b01, PMC 0b01, Non-secure EL2 and EL1), MDSCR_EL1.{MDE,KDE}:
 *     EC 0x31, ELR the breakpointed instruction.
 *  5. A watchpoint on a store (DBGWCR0_EL1: HMC 1, SSC 0b01, PAC 0b01, LSC
 *     store): EC 0x35, WnR, FAR the address, the store not done.
 *  6. MDCR_EL2.TDE = 0, HCR_EL2.TGE = 0 (EL_D = EL1): with KDE, MDE, SS and
 *     the breakpoint set, nothing is taken at EL2 (never to a lower EL);
 *     the snippet runs to its BRK (EC 0x3C).
 *  7. With FEAT_VHE: HCR_EL2.{E2H,TGE} = {1,1}, ERET to EL0 with SS: one
 *     EL0 instruction, then the step taken to EL2 from a lower EL (EC
 *     0x32, vector 0x400).
 * Passes on bare QEMU (virtualization=on) at the real EL2 and under
 * hypnest with guest.el2=nvhe (1-6) and guest.el2=vhe (1-7). */
#include "capture.h"
#include "gic.h" /* read_sysreg, isb */

#define BIT(n) (1UL << (n))

#define SPSR_EL2H 0x9UL
#define SPSR_EL0T 0x0UL
#define SPSR_AIF 0x1c0UL /* A, I, F masked; D clear: debug enabled */
#define SPSR_SS BIT(21)

#define MDSCR_SS BIT(0)
#define MDSCR_KDE BIT(13)
#define MDSCR_MDE BIT(15)
#define MDCR_TDE BIT(8)
#define HCR_TGE BIT(27)
#define HCR_RW BIT(31)
#define HCR_E2H BIT(34)

/* DBGBCR<n>_EL1 / DBGWCR<n>_EL1 (D24.3.2, D24.3.12) */
#define BCR_E BIT(0)
#define BCR_PMC_EL1 (1UL << 1)
#define BCR_BAS_A64 (0xfUL << 5)
#define BCR_HMC BIT(13)
#define BCR_SSC_NS (1UL << 14)
#define BP_EL2_EL1 (BCR_E | BCR_PMC_EL1 | BCR_BAS_A64 | BCR_HMC | BCR_SSC_NS)
#define WCR_LSC_STORE (2UL << 3)
#define WCR_BAS_8 (0xffUL << 5)
#define WP_EL2_EL1_STORE                                                       \
	(BCR_E | BCR_PMC_EL1 | WCR_LSC_STORE | WCR_BAS_8 | BCR_HMC | BCR_SSC_NS)

#define EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_ISV BIT(24)
#define ESR_EX BIT(6)  /* software step: a load-exclusive was stepped */
#define ESR_WNR BIT(6) /* watchpoint: a write */
#define FSC_DEBUG 0x22
#define VEC_CUR_SYNC 4
#define VEC_LOWER_SYNC 8

extern char snip_step[], snip_emul[], snip_store[];
__asm__(".pushsection .text\n"
	".balign 4\n"
	"snip_step:\n"
	"	add x9, x9, #1\n"
	"	add x9, x9, #1\n"
	"	add x9, x9, #1\n"
	"	brk #0x77\n"
	"snip_emul:\n"
	"	mrs x10, tcr_el2\n"
	"	add x9, x9, #1\n"
	"	add x9, x9, #1\n"
	"	brk #0x77\n"
	"snip_store:\n"
	"	str x9, [x0]\n"
	"	add x9, x9, #1\n"
	"	brk #0x77\n"
	".popsection\n");

static uint64_t snip_stack[512] __attribute__((aligned(16)));
static volatile uint64_t wvar __attribute__((aligned(8)));
static uint64_t mdcr0;

static uint64_t run(uintptr_t entry, uint64_t spsr, uint64_t arg)
{
	uint64_t v = cap_run(entry, spsr, (uintptr_t)&snip_stack[512], arg);

	write_sysreg(mdscr_el1, 0);
	write_sysreg(dbgbcr0_el1, 0);
	write_sysreg(dbgwcr0_el1, 0);
	write_sysreg(mdcr_el2, mdcr0);
	write_sysreg(hcr_el2, HCR_RW);
	isb();
	return v;
}

static void report(const char *name, uint64_t vec, bool ok)
{
	gt_check(ok, name, "vector %lu ESR 0x%lx ELR 0x%lx FAR 0x%lx x9 %lu",
		 (unsigned long)vec, (unsigned long)cap_el2.esr,
		 (unsigned long)cap_el2.elr, (unsigned long)cap_el2.far,
		 (unsigned long)cap_el2.x9);
}

/* MDCR_EL2.TDE: the guest's debug target is its EL2 */
static void eld_el2(uint64_t mdscr)
{
	write_sysreg(mdcr_el2, mdcr0 | MDCR_TDE);
	write_sysreg(mdscr_el1, mdscr);
	isb();
}

static void step_tests(void)
{
	uint64_t v, esr;
	uintptr_t s = (uintptr_t)snip_step, e = (uintptr_t)snip_emul;

	eld_el2(MDSCR_KDE | MDSCR_SS);
	v = run(s, SPSR_EL2H | SPSR_AIF | SPSR_SS, 0);
	esr = cap_el2.esr;
	report("EL2 step: one instruction, then EC 0x33 at EL2", v,
	       v == VEC_CUR_SYNC && EC(esr) == 0x33 && (esr & ESR_ISV) &&
		   !(esr & ESR_EX) && (esr & 0x3f) == FSC_DEBUG &&
		   cap_el2.elr == s + 4 && cap_el2.x9 == 1);

	eld_el2(MDSCR_KDE | MDSCR_SS);
	v = run(s, SPSR_EL2H | SPSR_AIF, 0);
	esr = cap_el2.esr;
	report(
	    "EL2 step, SPSR.SS = 0: the step before the first instruction", v,
	    v == VEC_CUR_SYNC && EC(esr) == 0x33 && (esr & 0x3f) == FSC_DEBUG &&
		cap_el2.elr == s && cap_el2.x9 == 0);

	eld_el2(MDSCR_KDE | MDSCR_SS);
	v = run(e, SPSR_EL2H | SPSR_AIF | SPSR_SS, 0);
	esr = cap_el2.esr;
	report("EL2 step over MRS TCR_EL2: one instruction, then the step", v,
	       v == VEC_CUR_SYNC && EC(esr) == 0x33 && cap_el2.elr == e + 4 &&
		   cap_el2.x9 == 0);
}

static void breakpoint_tests(void)
{
	uint64_t v, esr;
	uintptr_t s = (uintptr_t)snip_step;

	write_sysreg(dbgbvr0_el1, s + 4);
	write_sysreg(dbgbcr0_el1, BP_EL2_EL1);
	eld_el2(MDSCR_MDE | MDSCR_KDE);
	v = run(s, SPSR_EL2H | SPSR_AIF, 0);
	esr = cap_el2.esr;
	report("EL2 breakpoint: EC 0x31 at the breakpointed instruction", v,
	       v == VEC_CUR_SYNC && EC(esr) == 0x31 &&
		   (esr & 0x3f) == FSC_DEBUG && cap_el2.elr == s + 4 &&
		   cap_el2.x9 == 1);

	wvar = 0x1234;
	write_sysreg(dbgwvr0_el1, (uintptr_t)&wvar);
	write_sysreg(dbgwcr0_el1, WP_EL2_EL1_STORE);
	eld_el2(MDSCR_MDE | MDSCR_KDE);
	v = run((uintptr_t)snip_store, SPSR_EL2H | SPSR_AIF, (uintptr_t)&wvar);
	esr = cap_el2.esr;
	report("EL2 watchpoint: EC 0x35 on the store, FAR, not stored", v,
	       v == VEC_CUR_SYNC && EC(esr) == 0x35 && (esr & ESR_WNR) &&
		   (esr & 0x3f) == FSC_DEBUG &&
		   cap_el2.elr == (uintptr_t)snip_store &&
		   cap_el2.far - (uintptr_t)&wvar < 8 && wvar == 0x1234);

	/* EL_D = EL1: debug exceptions are never taken from EL2 */
	write_sysreg(dbgbvr0_el1, s + 4);
	write_sysreg(dbgbcr0_el1, BP_EL2_EL1);
	write_sysreg(mdcr_el2, mdcr0 & ~MDCR_TDE);
	write_sysreg(mdscr_el1, MDSCR_MDE | MDSCR_KDE | MDSCR_SS);
	isb();
	v = run(s, SPSR_EL2H | SPSR_AIF | SPSR_SS, 0);
	esr = cap_el2.esr;
	report("EL_D = EL1: no step, no breakpoint at EL2, the BRK is reached",
	       v,
	       v == VEC_CUR_SYNC && EC(esr) == 0x3c && (esr & 0xffff) == 0x77 &&
		   cap_el2.elr == s + 12 && cap_el2.x9 == 3);
}

/* the guest hypervisor's own EL0 (E2H = TGE = 1: EL_D is EL2) */
static void el0_step_test(void)
{
	uint64_t v, esr;
	uintptr_t s = (uintptr_t)snip_step;

	write_sysreg(hcr_el2, HCR_RW | HCR_E2H | HCR_TGE);
	isb();
	write_sysreg(mdscr_el1, MDSCR_SS);
	isb();
	v = run(s, SPSR_EL0T | SPSR_AIF | SPSR_SS, 0);
	esr = cap_el2.esr;
	report("EL2&0 EL0 step: one instruction, then EC 0x32 at EL2 (0x400)",
	       v,
	       v == VEC_LOWER_SYNC && EC(esr) == 0x32 &&
		   (esr & 0x3f) == FSC_DEBUG && cap_el2.elr == s + 4 &&
		   cap_el2.x9 == 1);
}

void gt_main(uint64_t dtb)
{
	uint64_t dfr0, mmfr1;

	(void)dtb;
	gt_check(current_el() == 2, "running at EL2", "CurrentEL %u",
		 current_el());
	if (current_el() != 2)
		gt_done();
	dfr0 = read_sysreg(id_aa64dfr0_el1);
	mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	gt_check((dfr0 & 0xf) >= 6, "ID_AA64DFR0_EL1: Armv8 debug",
		 "ID_AA64DFR0_EL1 0x%lx", (unsigned long)dfr0);
	cap_feat = cap_features();
	write_sysreg(hcr_el2, HCR_RW);
	write_sysreg(oslar_el1, 0); /* OS lock off: debug exceptions on */
	isb();
	mdcr0 = read_sysreg(mdcr_el2) & ~MDCR_TDE;
	write_sysreg(mdcr_el2, mdcr0);
	isb();
	step_tests();
	breakpoint_tests();
	if ((mmfr1 >> 8) & 0xf)
		el0_step_test();
	else
		gt_printf("note: no FEAT_VHE: EL2&0 EL0 step not tried\n");
	gt_done();
}

void gt_secondary(uint64_t context)
{
	(void)context;
	for (;;)
		__asm__ volatile("wfi");
}
