/*
 * Injecting a synchronous exception caused by the guest's own instruction
 * (an UNDEFINED access, an abort on memory that is not the guest's): to
 * the level the architecture routes it to (nv_sync_target_el: the guest's
 * EL1, or a guest hypervisor's virtual EL2), through the one exception
 * entry (vcpu_take_exception, nv/exception.c: AArch64.TakeException,
 * D1.4.2). The preferred return address is the instruction itself, where
 * the exit left v->regs.pc.
 */
#include "hyp/nv.h"
#include "hyp/vcpu.h"

#define FSC_SYNC_EXT_ABORT 0x10
#define ESR_DABT_WNR BIT(6)
#define ESR_DABT_CM BIT(8)

static void inject_sync(struct vcpu *v, unsigned target_el, uint64_t esr,
			bool set_far, uint64_t far)
{
	/* HPFAR_EL2 is UNKNOWN but for stage-2 aborts: 0 */
	struct exc_syndrome s = { true, set_far, esr, far, 0 };

	vcpu_take_exception(v, target_el, NV_VEC_SYNC, &s);
	v->stats.unhandled++;
}

void inject_undef(struct vcpu *v)
{
	inject_sync(v, nv_sync_target_el(v), ESR_UNDEFINED, false, 0);
}

/* A synchronous external abort on the access at virtual address far:
 * EC "current EL" when taken at the level it happened at (D24.2.46).
 * exit_esr is the stage-2 abort hypnest took: a data abort keeps its
 * WnR and CM (D24.2.45: both are valid with ISV = 0), so a store is
 * reported as a write and a cache maintenance instruction as one. */
void inject_abort(struct vcpu *v, bool instr, uint64_t far, uint64_t exit_esr)
{
	unsigned target = nv_sync_target_el(v);
	bool same_el = nv_vcpu_el(v) == target;
	unsigned ec = instr ? (same_el ? EC_IABT_CUR : EC_IABT_LOW)
			    : (same_el ? EC_DABT_CUR : EC_DABT_LOW);
	uint64_t esr = ((uint64_t)ec << 26) | ESR_IL_32BIT | FSC_SYNC_EXT_ABORT;

	if (!instr)
		esr |= exit_esr & (ESR_DABT_WNR | ESR_DABT_CM);

	inject_sync(v, target, esr, true, far);
}
