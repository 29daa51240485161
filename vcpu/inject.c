/*
 * Injecting a synchronous exception into the guest's EL1, as the Arm ARM's
 * AArch64.TakeException does (D1.3.1 and the pseudocode
 * AArch64.TakeException): ELR_EL1/SPSR_EL1/ESR_EL1(/FAR_EL1) written, PSTATE
 * to EL1h with D, A, I, F masked, PC to VBAR_EL1 + the vector offset for
 * where the exception came from. EL1 registers are live in the CPU while
 * the guest runs (include/hyp/vcpu.h), so they are written directly.
 */
#include "arch/sysreg.h"
#include "hyp/nv.h"
#include "hyp/vcpu.h"

#define PSR_MODE_MASK 0xfUL
#define PSR_MODE_EL0T 0x0UL
#define PSR_MODE_EL1T 0x4UL
#define PSR_NRW BIT(4) /* AArch32 */
#define PSR_DAIF (0xfUL << 6)
#define PSR_PAN BIT(22)
#define PSR_MODE_EL1H 0x5UL
#define SCTLR_SPAN BIT(23)
#define ESR_IL_32BIT BIT(25) /* the trapped instruction was 32 bits */
#define FSC_SYNC_EXT_ABORT 0x10

static uint64_t vector_offset(uint64_t pstate)
{
	if (pstate & PSR_NRW)
		return 0x600; /* lower EL, AArch32 */
	switch (pstate & PSR_MODE_MASK) {
	case PSR_MODE_EL0T:
		return 0x400; /* lower EL, AArch64 */
	case PSR_MODE_EL1T:
		return 0x000; /* current EL, SP_EL0 */
	default:
		return 0x200; /* current EL, SP_EL1 */
	}
}

static void take_exception(struct vcpu *v, uint64_t esr)
{
	uint64_t old = v->regs.pstate;
	uint64_t pstate = PSR_DAIF | PSR_MODE_EL1H;

	/* PAN is set on taking an exception to EL1 when SCTLR_EL1.SPAN is 0
	 * (FEAT_PAN); otherwise it keeps its value */
	if (!(read_sysreg(sctlr_el1) & SCTLR_SPAN))
		pstate |= PSR_PAN;
	else
		pstate |= old & PSR_PAN;
	write_sysreg(elr_el1, v->regs.pc);
	write_sysreg(spsr_el1, old);
	write_sysreg(esr_el1, esr);
	v->regs.pc = read_sysreg(vbar_el1) + vector_offset(old);
	v->regs.pstate = pstate;
	v->stats.unhandled++;
}

/* A guest at virtual EL2 takes it there: through its VBAR_EL2, with its
 * ESR_EL2/FAR_EL2/ELR_EL2/SPSR_EL2 (nv/exception.c) */
static bool take_at_vel2(struct vcpu *v, uint64_t esr, bool set_far,
			 uint64_t far)
{
	if (!v->nv.in_vel2)
		return false;
	nv_inject_sync(v, esr, far, set_far, 0);
	v->stats.unhandled++;
	return true;
}

void inject_undef(struct vcpu *v)
{
	uint64_t esr = ((uint64_t)EC_UNKNOWN << 26) | ESR_IL_32BIT;

	if (!take_at_vel2(v, esr, false, 0))
		take_exception(v, esr);
}

/* A synchronous external abort on the access at virtual address far. */
void inject_abort(struct vcpu *v, bool instr, uint64_t far)
{
	bool same_el = (v->regs.pstate & PSR_MODE_MASK) != PSR_MODE_EL0T;
	unsigned ec = instr ? (same_el ? EC_IABT_CUR : EC_IABT_LOW)
			    : (same_el ? EC_DABT_CUR : EC_DABT_LOW);
	uint64_t esr = ((uint64_t)ec << 26) | ESR_IL_32BIT | FSC_SYNC_EXT_ABORT;

	if (take_at_vel2(v, esr, true, far))
		return;
	write_sysreg(far_el1, far);
	take_exception(v, esr);
}
