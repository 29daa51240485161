/* Per-vCPU virtual-EL2 state (nv/; docs/nv.md). Embedded in struct vcpu as
 * `nv`. Owned by nv/: only nv/ code reads or writes these fields. */
#ifndef HYP_NV_STATE_H
#define HYP_NV_STATE_H
#include "hyp/types.h"

struct shadow_s2;

/*
 * Stored copies that have no VNCR_EL2 slot (Arm ARM D8.14.6.2, Table
 * D8-120 has none for them), kept in the vCPU instead (flag NV_IN_VCPU of
 * the map): NV_SLOT_<row name> for the EL2_VCPU, EL2_XLATE, EL2_LIVE,
 * EL2_LIVE_E2H1 and EL1_VCPU rows of include/hyp/sysregs.def (the latter:
 * the vEL1 CNTKCTL_EL1 while CNTHCTL_EL2 occupies the live register with
 * E2H = 1; it has no VNCR slot either, I_RSCBR). Values are kept exactly as
 * the guest wrote them (untranslated, RES0/RES1 bits not forced), as the
 * VNCR page does.
 */
enum nv_slot {
#define SR_NV_SLOT(n) NV_SLOT_##n,
#include "hyp/sysregs.def"
	NV_SLOT_NR,
	NV_SLOT_NONE = 0xff
};

/* The level a vCPU runs at, as the exit accounting counts it (nv_level(),
 * nv/level.c; include/hyp/stats.h). The order is the printed one. */
enum nv_level {
	NV_LEVEL_EL1,  /* a plain guest at EL1/EL0 (no virtual EL2) */
	NV_LEVEL_VEL2, /* a guest hypervisor (L1) at vEL2, or at vEL0 in its
			  EL2&0 host regime ({E2H, TGE} = {1, 1}) */
	NV_LEVEL_VEL1, /* L1 at vEL1/vEL0 with its stage 2 off (HCR_EL2.VM
			  and DC 0: an nVHE host kernel and its EL0) */
	NV_LEVEL_L2,   /* L1's VM: vEL1/vEL0 with its stage 2 on */
	NV_LEVEL_NR
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
	/* MDSCR_EL1 lives in its VNCR slot (the vEL2 context), not in the
	 * real register; hw_mdscr: what nv_load_debug loaded there */
	bool mdscr_in_vncr;
	uint64_t hw_mdscr;
	/* the shadow stage 2 this vCPU last ran its L2 on, held (nv/l2.c) */
	struct shadow_s2 *s2;
	/* it ran at vEL2 with {E2H, TGE} = {1, 1}, where TTLB is left clear
	 * (nv/hcr.c): an EL1 TLBI it issued after clearing TGE in memory,
	 * meant for its vEL1, may have hit the vEL2 VMID; the next ERET into
	 * its vEL1 invalidates the vEL1 VMID first (nv/eret.c) */
	bool vel1_tlbi_unseen;
};

#endif
