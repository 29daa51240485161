/*
 * The guest's EL1 context, moved between its stored copy and the CPU.
 * The registers are the EL1 context rows of include/hyp/sysregs.def:
 * those with a VNCR_EL2 slot live at that offset of the vCPU's VNCR page;
 * the ones without (TPIDRs, PAR_EL1, ...) are live at every level and have
 * their own array (include/hyp/vcpu.h). The EL1 timers are not here:
 * vcpu/virq.c owns their CPU state.
 */
#include "arch/sysreg.h"
#include "hyp/vcpu.h"

void el1_regs_load(const struct vcpu *v)
{
#define SR_CTX_VNCR(n) write_sysreg(n, vcpu_vncr(v, VNCR_##n));
#define SR_CTX_LIVE(n) write_sysreg(n, v->live[LIVE_##n]);
#include "hyp/sysregs.def"
}

void el1_regs_save(struct vcpu *v)
{
#define SR_CTX_VNCR(n) vcpu_vncr(v, VNCR_##n) = read_sysreg(n);
#define SR_CTX_LIVE(n) v->live[LIVE_##n] = read_sysreg(n);
#include "hyp/sysregs.def"
}
