/*
 * A guest hypervisor's self-hosted debug (docs/nv.md "Self-hosted debug"):
 * the real MDSCR_EL1 for the level that runs.
 *
 * MDSCR_EL1 is one register for EL1 and EL2 (D24.3.20). Under NV2 the
 * guest's MRS/MSR MDSCR_EL1 at vEL2 (real EL1) are transformed into loads
 * and stores of its VNCR slot (0x158, for either NV1: the pseudocode's
 * EffectiveHCR_EL2_NVx() IN {'1x1'}, D8.14.6.2), without a trap; at vEL1
 * they reach the real register. So the one register has two homes: the
 * real MDSCR_EL1 while vEL1 (or vEL0 under it) runs, the VNCR slot while
 * the guest is in its vEL2 context. nv_load_debug, called before every
 * entry, moves the value when the home changes (vEL1 -> vEL2: real into
 * the slot; vEL2 -> vEL1: the slot into the real register) and, while in
 * vEL2, loads the slot into the real MDSCR_EL1 so that what the guest
 * wrote applies to the code that runs (SS, KDE, MDE, TDCC, ...). The
 * guest's writes at vEL2 land in memory, so they take effect at its next
 * exit (an ERET, which always traps under NV, is one) rather than at its
 * next ISB.
 *
 * The real debug target is EL1 (hypnest's MDCR_EL2.TDE and HCR_EL2.TGE
 * are 0), i.e. debug exceptions from the guest's vEL2 and its EL2&0 vEL0
 * are taken at real EL1, which is the guest's vEL2 vector: what the guest
 * expects when its own debug target EL_D is EL2 (its MDCR_EL2.TDE or
 * HCR_EL2.TGE set: AArch64.GenerateDebugExceptionsFrom). With its EL_D =
 * EL1 no debug exception is ever taken from its EL2 (never to a lower EL),
 * while the real EL1 is the real EL_D: the value loaded at vEL2 then has
 * KDE clear, which disables breakpoints, watchpoints and software step
 * from real EL1 (the guest still reads its own KDE from the slot). vEL0
 * in the EL2&0 regime needs TGE = 1, so its EL_D is EL2 there.
 *
 * The breakpoint and watchpoint registers (DBGB/WCR, DBGB/WVR) are not
 * transformed nor trapped (MDCR_EL2.TDA = 0): they are live for both
 * levels, as on hardware where they are shared. Their EL matching is the
 * real one: the guest's vEL2 code matches the EL1 column of Table D2-8
 * (HMC = 1 with PMC = 0b01/0b11 matches EL2 and EL1, as Linux programs a
 * kernel breakpoint at EL2; an "EL2 only" encoding, PMC = 0b00, does not
 * match there: not emulated).
 */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "hyp/nv.h"
#include "hyp/vcpu.h"

#define MDSCR_KDE BIT(13)

/* the guest's debug target EL_D is its EL2 */
static bool eld_is_el2(struct vcpu *v)
{
	/* MDCR_EL2 is never live: its stored copy (docs/nv.md) */
	return (v->nv.regs[NV_SLOT_MDCR_EL2] & MDCR_TDE) ||
	       (vcpu_vncr(v, VNCR_HCR_EL2) & NV_HCR_TGE);
}

/* the real MDSCR_EL1 that gives the guest at vEL2 the debug behaviour its
 * MDSCR_EL1 asks for */
static uint64_t vel2_mdscr(struct vcpu *v)
{
	uint64_t val = vcpu_vncr(v, VNCR_MDSCR_EL1);

	return eld_is_el2(v) ? val : val & ~MDSCR_KDE;
}

void nv_load_debug(struct vcpu *v)
{
	uint64_t val;

	if (!v->nv.enabled)
		return;
	if (!v->nv.in_vel2) {
		if (v->nv.mdscr_in_vncr) { /* back at vEL1: the register */
			nv_arch_write_mdscr(vcpu_vncr(v, VNCR_MDSCR_EL1));
			v->nv.mdscr_in_vncr = false;
		}
		return;
	}
	if (!v->nv.mdscr_in_vncr) { /* up from vEL1: the slot */
		vcpu_vncr(v, VNCR_MDSCR_EL1) = nv_arch_read_mdscr();
		v->nv.mdscr_in_vncr = true;
		v->nv.hw_mdscr = ~vel2_mdscr(v); /* force the load */
	}
	val = vel2_mdscr(v);
	if (val != v->nv.hw_mdscr) {
		nv_arch_write_mdscr(val);
		v->nv.hw_mdscr = val;
	}
}
