/*
 * The guest's EL1 context, moved between its stored copy and the CPU.
 * One table: registers with a VNCR_EL2 slot live at that offset of the
 * vCPU's VNCR page; the ones without (TPIDRs, PAR_EL1, ...) are live at
 * every level and have their own array (include/hyp/vcpu.h).
 */
#include "arch/sysreg.h"
#include "hyp/vcpu.h"

/* X(register, where in struct vcpu) */
#define EL1_REGS(X)                                                            \
	X(sctlr_el1, vncr[VNCR_SCTLR_EL1 / 8])                                 \
	X(cpacr_el1, vncr[VNCR_CPACR_EL1 / 8])                                 \
	X(ttbr0_el1, vncr[VNCR_TTBR0_EL1 / 8])                                 \
	X(ttbr1_el1, vncr[VNCR_TTBR1_EL1 / 8])                                 \
	X(tcr_el1, vncr[VNCR_TCR_EL1 / 8])                                     \
	X(esr_el1, vncr[VNCR_ESR_EL1 / 8])                                     \
	X(far_el1, vncr[VNCR_FAR_EL1 / 8])                                     \
	X(afsr0_el1, vncr[VNCR_AFSR0_EL1 / 8])                                 \
	X(afsr1_el1, vncr[VNCR_AFSR1_EL1 / 8])                                 \
	X(mair_el1, vncr[VNCR_MAIR_EL1 / 8])                                   \
	X(amair_el1, vncr[VNCR_AMAIR_EL1 / 8])                                 \
	X(vbar_el1, vncr[VNCR_VBAR_EL1 / 8])                                   \
	X(contextidr_el1, vncr[VNCR_CONTEXTIDR_EL1 / 8])                       \
	X(elr_el1, vncr[VNCR_ELR_EL1 / 8])                                     \
	X(spsr_el1, vncr[VNCR_SPSR_EL1 / 8])                                   \
	X(sp_el1, vncr[VNCR_SP_EL1 / 8])                                       \
	X(mdscr_el1, vncr[VNCR_MDSCR_EL1 / 8])                                 \
	X(tpidr_el1, live[LIVE_TPIDR_EL1])                                     \
	X(tpidr_el0, live[LIVE_TPIDR_EL0])                                     \
	X(tpidrro_el0, live[LIVE_TPIDRRO_EL0])                                 \
	X(par_el1, live[LIVE_PAR_EL1])                                         \
	X(cntkctl_el1, live[LIVE_CNTKCTL_EL1])                                 \
	X(csselr_el1, live[LIVE_CSSELR_EL1])                                   \
	X(sp_el0, live[LIVE_SP_EL0])

void el1_regs_load(const struct vcpu *v)
{
#define LOAD(reg, field) write_sysreg(reg, v->field);
	EL1_REGS(LOAD)
#undef LOAD
}

void el1_regs_save(struct vcpu *v)
{
#define SAVE(reg, field) v->field = read_sysreg(reg);
	EL1_REGS(SAVE)
#undef SAVE
}
