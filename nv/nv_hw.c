/*
 * The real EL2 state behind a guest at virtual EL2 (hypervisor build only;
 * docs/nv.md "Running at vEL2"): HCR_EL2 for where the guest is now, which
 * vcpu_load_el2 (vcpu/el2_hw.c) writes before every entry with the rest of
 * the level-dependent EL2 registers (nv/el2_hw.c), and a vCPU's start:
 *
 *   vEL2 (nv.in_vel2)  HCR_GUEST | NV | NV2, plus NV1 when the guest's own
 *                      HCR_EL2.E2H is 0 (D8.14: with NV1 its EL1 registers
 *                      are reached through the VNCR page and the EL1&0
 *                      stage-1 takes the EL2 descriptor format);
 *   vEL1 / vEL0        HCR_GUEST and the guest's trap controls.
 *
 * The guest's E2H is read from its virtual HCR_EL2 in the VNCR page each
 * time: under NV2 it writes that register without a trap.
 */
#include "arch/sysreg.h"
#include "arch/vncr.h"
#include "hyp/nv.h"
#include "hyp/vm.h"

#define HCR_NV BIT(42)
#define HCR_NV1 BIT(43)
#define HCR_NV2 BIT(45)

/* SCTLR_EL2 RES1 bits with E2H = 0 (D24.2.151): its reset value here */
#define SCTLR_EL2_RES1_E2H0 0x30C50830UL

/* VNCR_EL2 (D24.2.220) by encoding: older assemblers lack the name */
#define write_vncr_el2(v) write_sysreg(s3_4_c2_c2_0, v)

uint64_t nv_hcr(const struct vcpu *v)
{
	uint64_t hcr = v->vm->hcr;

	if (!v->nv.in_vel2)
		return hcr | nv_forward_hcr_bits(v);
	hcr |= HCR_NV | HCR_NV2;
	if (!nv_guest_e2h(v))
		hcr |= HCR_NV1;
	return hcr;
}

/* A vCPU of a nested guest starts at vEL2 (PSCI CPU_ON keeps the caller's
 * EL, DEN 0022 6.4.3): the vEL1 context keeps the EL1 reset values
 * vcpu_reset loaded, the vEL2 one gets the EL2 reset values. */
void nv_vcpu_start(struct vcpu *v)
{
	nv_reset(v, true);
	v->nv.regs[NV_SLOT_SCTLR_EL2] = SCTLR_EL2_RES1_E2H0;
	vcpu_vncr(v, VNCR_HCR_EL2) = HCR_RW; /* E2H = 0, TGE = 0 */
	vcpu_vncr(v, VNCR_VPIDR_EL2) = read_sysreg(midr_el1);
	vcpu_vncr(v, VNCR_VMPIDR_EL2) = BIT(31) | v->mpidr;
	nv_enter_vel2(v);
	write_vncr_el2((uintptr_t)v->vncr);
}
