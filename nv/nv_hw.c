/*
 * A vCPU's start at virtual EL2 (hypervisor build only; docs/nv.md
 * "Running at vEL2"). The real EL2 state behind the guest is composed
 * elsewhere: HCR_EL2 by nv/hcr.c's table, the other level-dependent EL2
 * registers by nv/el2_hw.c, all written by vcpu_load_el2 (vcpu/el2_hw.c)
 * before every entry.
 */
#include "arch/sysreg.h"
#include "arch/vncr.h"
#include "hyp/nv.h"
#include "hyp/nv_l2.h"
#include "hyp/vm.h"

/* SCTLR_EL2 RES1 bits with E2H = 0 (D24.2.151): its reset value here */
#define SCTLR_EL2_RES1_E2H0 0x30C50830UL

/* VNCR_EL2 (D24.2.220) by encoding: older assemblers lack the name */
#define write_vncr_el2(v) write_sysreg(s3_4_c2_c2_0, v)

/* A vCPU of a nested guest starts at vEL2 (PSCI CPU_ON keeps the caller's
 * EL, DEN 0022 6.4.3): the vEL1 context keeps the EL1 reset values
 * vcpu_reset loaded, the vEL2 one gets the EL2 reset values. */
void nv_vcpu_start(struct vcpu *v)
{
	nv_l2_release(v); /* a CPU_ON after CPU_OFF: its L2 is gone */
	nv_reset(v, true);
	v->nv.regs[NV_SLOT_SCTLR_EL2] = SCTLR_EL2_RES1_E2H0;
	vcpu_vncr(v, VNCR_HCR_EL2) = HCR_RW; /* E2H = 0, TGE = 0 */
	vcpu_vncr(v, VNCR_VPIDR_EL2) = read_sysreg(midr_el1);
	vcpu_vncr(v, VNCR_VMPIDR_EL2) = BIT(31) | v->mpidr;
	nv_enter_vel2(v);
	write_vncr_el2((uintptr_t)v->vncr);
}
