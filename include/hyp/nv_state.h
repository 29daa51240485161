/* Per-vCPU virtual-EL2 state (nv/; docs/nv.md). Embedded in struct vcpu as
 * `nv`. Owned by nv/: only nv/ code reads or writes these fields. */
#ifndef HYP_NV_STATE_H
#define HYP_NV_STATE_H
#include "hyp/types.h"

/*
 * Stored copies that have no VNCR_EL2 slot (Arm ARM D8.14.6.2, Table
 * D8-120 has none for them), kept in the vCPU instead (flag NV_IN_VCPU of
 * the map, nv/el2_map.c). Values are kept exactly as the guest wrote them
 * (untranslated, RES0/RES1 bits not forced), as the VNCR page does.
 */
enum nv_slot {
	NV_SLOT_SCTLR_EL2,
	NV_SLOT_ACTLR_EL2,
	NV_SLOT_MDCR_EL2,
	NV_SLOT_CPTR_EL2,
	NV_SLOT_HACR_EL2,
	NV_SLOT_ZCR_EL2,
	NV_SLOT_TTBR0_EL2,
	NV_SLOT_TTBR1_EL2,
	NV_SLOT_TCR_EL2,
	NV_SLOT_SPSR_EL2,
	NV_SLOT_ELR_EL2,
	NV_SLOT_SP_EL2,
	NV_SLOT_AFSR0_EL2,
	NV_SLOT_AFSR1_EL2,
	NV_SLOT_ESR_EL2,
	NV_SLOT_FAR_EL2,
	NV_SLOT_HPFAR_EL2,
	NV_SLOT_MAIR_EL2,
	NV_SLOT_AMAIR_EL2,
	NV_SLOT_VBAR_EL2,
	NV_SLOT_RVBAR_EL2,
	NV_SLOT_CONTEXTIDR_EL2,
	NV_SLOT_CNTHCTL_EL2,
	NV_SLOT_CNTHP_CTL_EL2,
	NV_SLOT_CNTHP_CVAL_EL2,
	NV_SLOT_CNTHV_CTL_EL2,
	NV_SLOT_CNTHV_CVAL_EL2,
	/* the vEL1 CNTKCTL_EL1 while CNTHCTL_EL2 (E2H = 1) occupies the
	 * live register; it has no VNCR slot either (I_RSCBR, D8.14.6.2) */
	NV_SLOT_CNTKCTL_EL1,
	NV_SLOT_NR,
	NV_SLOT_NONE = 0xff
};

struct nv_state {
	bool enabled; /* the guest was started at virtual EL2 */
	/*
	 * The vEL2 register context is the one loaded in the EL1 registers
	 * (nv_enter_vel2/nv_leave_vel2 flip it). True while the guest runs at
	 * vEL2, and also at vEL0 when its HCR_EL2.{E2H,TGE} = {1,1} (EL2&0
	 * regime): the caller decides, nv/ only follows this flag.
	 */
	bool in_vel2;
	/* the guest's E2H the vEL2 context was loaded with (valid while
	 * in_vel2): under NV2 the guest can change its HCR_EL2 in memory
	 * without a trap, nv_sync_e2h() reloads the context then */
	bool loaded_e2h;
	uint64_t regs[NV_SLOT_NR]; /* stored copies, indexed by enum nv_slot */
};

#endif
