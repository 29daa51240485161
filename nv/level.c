/*
 * The level a vCPU runs at, as the exit accounting counts it (enum
 * nv_level, include/hyp/nv_state.h; vcpu/stats.c). vEL0 in the EL2&0 host
 * regime ({E2H, TGE} = {1, 1}) keeps the vEL2 context loaded (in_vel2) and
 * belongs to vEL2; any other vEL1/vEL0 is the guest hypervisor's own
 * (stage 2 off) or its VM's, L2 (stage 2 on: the Effective HCR_EL2.VM or
 * DC, D24.2.62, as nv_guest_stage2 reads them: the one test of "L2" that
 * the entry path uses too).
 */
#include "hyp/nv.h"
#include "hyp/nv_hcr.h"
#include "hyp/vcpu.h"

enum nv_level nv_level(const struct vcpu *v)
{
	if (!v->nv.enabled)
		return NV_LEVEL_EL1;
	if (v->nv.in_vel2)
		return NV_LEVEL_VEL2;
	return nv_guest_stage2(v) ? NV_LEVEL_L2 : NV_LEVEL_VEL1;
}
