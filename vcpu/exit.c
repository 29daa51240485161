/*
 * Synchronous exits from the guest, dispatched through one table indexed
 * by exception class (ESR_EL2.EC, Arm ARM D24.2.43). A class with no
 * handler gets an UNDEF injected and is logged once per vCPU: never a
 * hypervisor panic.
 */
#include "arch/sysreg.h"
#include "hyp/log.h"
#include "hyp/sysreg_trap.h"
#include "hyp/vcpu.h"
#include "hyp/vm.h"

#define ESR_DABT_ISV BIT(24)

void vcpu_skip_instr(struct vcpu *v)
{
	v->regs.pc += 4; /* AArch64: every trapped instruction is 32 bits */
}

static void handle_hvc(struct vcpu *v, uint64_t esr)
{
	(void)esr;
	smccc_handle(v); /* ELR_EL2 already points after the HVC */
}

static void handle_smc(struct vcpu *v, uint64_t esr)
{
	(void)esr;
	/* HCR_EL2.TSC: the guest's DT says PSCI is over HVC; an SMC has no
	 * firmware behind it (ELR_EL2 points at the SMC itself) */
	inject_undef(v);
}

static void handle_sysreg(struct vcpu *v, uint64_t esr)
{
	if (sysreg_trap(v, esr))
		vcpu_skip_instr(v);
	else
		inject_undef(v);
}

/* The faulting IPA: HPFAR_EL2.FIPA holds IPA[51:12] (D24.2.67) */
static paddr_t fault_ipa(uint64_t far)
{
	uint64_t hpfar = read_sysreg(hpfar_el2);

	return ((hpfar & GENMASK(43, 4)) << 8) | (far & 0xfff);
}

static void handle_dabt(struct vcpu *v, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2);
	paddr_t ipa = fault_ipa(far);

	if (!(esr & ESR_DABT_ISV) || !vm_mmio(v, ipa, esr)) {
		log_debug("vcpu%u: data abort at IPA 0x%lx (VA 0x%lx): not "
			  "the guest's; external abort injected",
			  v->id, (unsigned long)ipa, (unsigned long)far);
		inject_abort(v, false, far);
		return;
	}
	vcpu_skip_instr(v);
}

static void handle_iabt(struct vcpu *v, uint64_t esr)
{
	(void)esr;
	inject_abort(v, true, read_sysreg(far_el2));
}

static void handle_wfx(struct vcpu *v, uint64_t esr)
{
	(void)esr;
	vcpu_skip_instr(v); /* only traps if configured to; a hint */
}

static const exit_handler_fn exit_handlers[EC_MAX + 1] = {
	[EC_WFX] = handle_wfx,	     [EC_HVC64] = handle_hvc,
	[EC_SMC64] = handle_smc,     [EC_SYS64] = handle_sysreg,
	[EC_DABT_LOW] = handle_dabt, [EC_IABT_LOW] = handle_iabt,
};

static void handle_unknown(struct vcpu *v, uint64_t esr, unsigned ec)
{
	if (!(v->ec_logged & BIT(ec))) {
		v->ec_logged |= BIT(ec);
		log_warn("vcpu%u: unhandled exit EC 0x%02x (%s), ESR 0x%lx at "
			 "PC 0x%lx: UNDEF injected (logged once)",
			 v->id, ec, esr_ec_name(ec), (unsigned long)esr,
			 (unsigned long)v->regs.pc);
	}
	inject_undef(v);
}

void vcpu_handle_sync(struct vcpu *v)
{
	uint64_t esr = read_sysreg(esr_el2);
	unsigned ec = (unsigned)ESR_EC(esr);

	v->stats.by_ec[ec]++;
	if (exit_handlers[ec])
		exit_handlers[ec](v, esr);
	else
		handle_unknown(v, esr, ec);
}
