/*
 * The nested vGIC (docs/nested.md "Nested vGIC"): while a guest
 * hypervisor's vEL1/vEL0 runs with its ICH_HCR_EL2.En and its IMO in
 * effect, its GIC virtual interface -- the ICH_HCR_EL2, ICH_VMCR_EL2,
 * ICH_AP<n>R<m>_EL2 and ICH_LR<n>_EL2 it stored in the VNCR page -- is
 * the real CPU interface's state. nv/ich_nested.c says what the real
 * registers get from the stored ones (sanitised: nothing the guest writes
 * reaches hypnest or the guest's own interrupts) and folds back what the
 * hardware changed; vcpu/vgic_nested.c moves it to and from the CPU.
 * Pure functions of the stored registers and ICH_VTR_EL2: host-tested
 * (harness/unit/test_nv_ich_nested.c).
 */
#ifndef HYP_NV_ICH_H
#define HYP_NV_ICH_H
#include "hyp/types.h"

struct vcpu;

#define NV_ICH_MAX_LRS 16
#define NV_ICH_MAX_APRS 4

/* one load of the real CPU interface: what was written at entry */
struct nv_ich_hw {
	uint64_t hcr, vmcr;
	uint64_t ap[2][NV_ICH_MAX_APRS]; /* [0]: ICH_AP0R<n>, [1]: AP1R<n> */
	uint64_t lr[NV_ICH_MAX_LRS];	 /* 0: the guest's LR not loaded */
	unsigned nr_lrs, nr_aprs;
	/* LRs with a State that were not loaded: UNPREDICTABLE contents
	 * (special or reserved vINTID, a duplicate) or Group 0 without FMO */
	uint32_t dropped;
};

/* per vCPU (struct vcpu.ich): the guest's interface is in the CPU since
 * the last entry (hw: what was loaded), and the real ICH_VMCR_EL2 and
 * active priorities of hypnest's own virtual interface for the guest,
 * which live in the CPU otherwise, kept meanwhile */
struct nv_ich_run {
	bool loaded;
	bool dropped_logged; /* said once per vCPU */
	struct nv_ich_hw hw;
	uint64_t own_vmcr;
	uint64_t own_ap[2][NV_ICH_MAX_APRS];
};

/* the guest's stored interface is the real one for the context about to
 * run: vEL1/vEL0 (not its EL2&0 regime), its IMO in effect, TGE clear;
 * its ICH_HCR_EL2.En is loaded as it is (with En = 0 vEL1's ICV_*
 * accesses still reach the guest's VMCR and APRs) */
bool nv_ich_nested(const struct vcpu *v);

/* the real interface's values for the guest's stored ones (hw filled) */
void nv_ich_load(const struct vcpu *v, struct nv_ich_hw *hw);

/* What the hardware left (now: same layout, read back after the run)
 * folded into the guest's stored registers, given what was loaded. The
 * pINTIDs of loaded HW = 1 entries the run deactivated go to deact[]
 * (at most NV_ICH_MAX_LRS); returns their count. */
unsigned nv_ich_fold(struct vcpu *v, const struct nv_ich_hw *loaded,
		     const struct nv_ich_hw *now, unsigned *deact);

/* WFI by vEL1 (hypnest's TWI): En loaded, a loaded LR is pending, in a group
 * ICH_VMCR_EL2 enables, above its priority mask: the virtual interrupt
 * would end the WFI (a wake-up may be spurious: PSTATE and the running
 * priority are not looked at) */
bool nv_ich_wakeup(const struct nv_ich_hw *hw);

/* ---- the pieces, for the host tests ---- */

/* the real LR for the guest's LR (0: not loaded); grp0: Group 0 offered
 * (the guest's FMO in effect) */
uint64_t nv_ich_lr_load(uint64_t lr, uint64_t vtr, bool grp0);
/* the guest's LR after the run: only State is the hardware's */
uint64_t nv_ich_lr_fold(uint64_t lr, uint64_t loaded, uint64_t now);
/* the loaded LR's virtual interrupt went through a deactivation between
 * the state it was loaded with and the one it has now */
bool nv_ich_lr_deactivated(uint64_t loaded, uint64_t now);
/* the real ICH_HCR_EL2 for the guest's, the LRs as loaded: its En, its
 * maintenance enables but those whose condition already holds (their
 * maintenance interrupt is already asserted for the guest: the real one
 * could only storm), its EOIcount; no trap bits (TC, TALL0/1, TDIR,
 * TSEI), nothing of GICv4 */
uint64_t nv_ich_hcr_load(uint64_t hcr, uint64_t vmcr, const uint64_t *lrs,
			 unsigned n);
uint64_t nv_ich_hcr_fold(uint64_t hcr, uint64_t now);
uint64_t nv_ich_vmcr_load(uint64_t vmcr);
uint64_t nv_ich_vmcr_fold(uint64_t vmcr, uint64_t now);
/* active priority registers per group for this ICH_VTR_EL2 (PREbits) */
unsigned nv_ich_nr_aprs(uint64_t vtr);

/* ICH_MISR_EL2 for these registers (nv/ich_status.c) */
uint64_t nv_ich_misr_of(uint64_t hcr, uint64_t vmcr, const uint64_t *lrs,
			unsigned n);
/* the guest's maintenance interrupt: its ICH_HCR_EL2.En and a
 * maintenance condition, from its stored registers */
bool nv_ich_maint_level(const struct vcpu *v);

#endif
