/*
 * A guest hypervisor's GIC virtual interface as the real one, while its
 * vEL1/vEL0 runs (include/hyp/nv_ich.h; docs/nested.md "Nested vGIC").
 * What the real ICH_* registers get from the copies the guest stored in
 * its VNCR page, and what of the hardware's afterwards goes back. Layouts
 * and rules from the GIC architecture (IHI 0069, the ICH_HCR_EL2,
 * ICH_VMCR_EL2, ICH_AP0R<n>/AP1R<n>_EL2, ICH_LR<n>_EL2 and ICH_VTR_EL2
 * descriptions; "Virtual interrupt handling and prioritization", "EOI
 * maintenance interrupts", "Maintenance interrupts").
 *
 * Sanitising: the real registers get only fields the architecture
 * defines and hypnest offers; an LR whose contents the architecture
 * makes UNPREDICTABLE is not loaded at all (the guest's copy stays as it
 * wrote it): so neither the guest's vEL1 nor its hypervisor can make the
 * real CPU interface do anything outside the virtual one they own.
 *
 * HW = 1 entries: the guest links them to what it sees as physical
 * interrupts (its timers' PPIs), which are virtual interrupts of hypnest's
 * vGIC for it. They are loaded with HW = 0 and EOI = 1, so the
 * deactivation by vEL1 raises a real EOI maintenance interrupt (an exit)
 * instead of deactivating a real physical interrupt hypnest owns; the
 * fold reports the pINTID, which the caller deactivates in hypnest's vGIC
 * for the guest, as the hardware would have deactivated the physical one
 * (IHI 0069, ICH_LR<n>_EL2.HW). The guest's copy keeps HW and pINTID: the
 * EOI bit never shows (with HW = 1 bit 41 is part of pINTID).
 */
#include "arch/vncr.h"
#include "hyp/nv.h"
#include "hyp/nv_hcr.h"
#include "hyp/nv_ich.h"
#include "hyp/vcpu.h"
#include "hyp/vgic.h"

/* ICH_LR<n>_EL2 (hyp/vgic.h has the codec's fields) */
#define LR_STATE_MASK (3UL << VGIC_LR_STATE_SHIFT)
#define LR_STATE(lr) ((unsigned)((lr) >> VGIC_LR_STATE_SHIFT))
#define LR_PRIO_MASK (0xffUL << VGIC_LR_PRIORITY_SHIFT)
#define LR_PINTID(lr)                                                          \
	((unsigned)(((lr) >> VGIC_LR_PINTID_SHIFT) & VGIC_LR_PINTID_MASK))
/* what is loaded: State, HW, Group, Priority, vINTID; EOI for HW = 0.
 * NMI [59] (FEAT_GICv3_NMI, not offered), [58:56], pINTID and the rest
 * of [47:32] are not */
#define LR_KEEP                                                                \
	(LR_STATE_MASK | VGIC_LR_GROUP | LR_PRIO_MASK | VGIC_LR_VINTID_MASK)

/* ICH_VTR_EL2 */
#define VTR_LISTREGS(vtr) ((unsigned)((vtr)&0x1f) + 1)
#define VTR_IDBITS(vtr) ((unsigned)FIELD(vtr, 25, 23))	    /* 0: 16, 1: 24 */
#define VTR_PREBITS(vtr) ((unsigned)FIELD(vtr, 28, 26) + 1) /* bits */
#define VTR_PRIBITS(vtr) ((unsigned)FIELD(vtr, 31, 29) + 1) /* bits */

/* ICH_HCR_EL2: En, the maintenance enables UIE..VGrp1DIE [7:1] (the
 * ICH_MISR_EL2 bits [7:1] they enable are in the same places),
 * EOIcount [31:27]. Not loaded: vSGIEOICount [8] and DVIM [15] (GICv4.1,
 * not offered: nV4 reads 1), TC [10], TALL0 [11], TALL1 [12], TSEI [13],
 * TDIR [14] (traps of vEL1's ICV_* accesses hypnest does not forward). */
#define HCR_EN BIT(0)
#define HCR_ENABLES GENMASK(7, 1)
#define HCR_EOICOUNT GENMASK(31, 27)

/* ICH_VMCR_EL2: VENG0 [0], VENG1 [1], VFIQEn [3], VCBPR [4], VEOIM [9],
 * VBPR1 [20:18], VBPR0 [23:21], VPMR [31:24]; VAckCtl [2] is RES0 with
 * the System register interface */
#define VMCR_VENG0 BIT(0)
#define VMCR_VENG1 BIT(1)
#define VMCR_KEEP (BIT(0) | BIT(1) | BIT(3) | BIT(4) | BIT(9) | GENMASK(31, 18))

/* ICH_AP<n>R<m>_EL2: one bit per group priority in [31:0]; [63:32] RES0
 * (AP1R's NMI [63] is FEAT_GICv3_NMI's) */
#define APR_KEEP GENMASK(31, 0)

/* IHI 0069, INTID ranges: SGIs, PPIs, SPIs below 1020; 1020-1023 special;
 * 1024-8191 reserved (the extended PPI/SPI ranges are not offered);
 * LPIs from 8192 up to what ICH_VTR_EL2.IDbits allows */
static bool vintid_ok(uint32_t intid, uint64_t vtr)
{
	unsigned bits = VTR_IDBITS(vtr) == 1 ? 24 : 16;

	return intid < 1020 || (intid >= 8192 && intid < (1U << bits));
}

unsigned nv_ich_nr_aprs(uint64_t vtr)
{
	unsigned pre = VTR_PREBITS(vtr);

	return pre <= 5 ? 1 : 1U << (MIN(pre, 7U) - 5);
}

uint64_t nv_ich_lr_load(uint64_t lr, uint64_t vtr, bool grp0)
{
	unsigned pribits = VTR_PRIBITS(vtr);
	uint64_t prio_mask = (0xffUL << (8 - MIN(pribits, 8U))) & 0xff;
	uint64_t out;

	if (LR_STATE(lr) == VGIC_LR_INVALID)
		return 0; /* nothing for vEL1; an EOI bit here is the guest's */
	if (!vintid_ok((uint32_t)lr, vtr))
		return 0;
	if (!(lr & VGIC_LR_GROUP) && !grp0)
		return 0;
	out = lr & LR_KEEP & ~LR_PRIO_MASK;
	/* priority bits below PRIbits are RES0 */
	out |= lr & (prio_mask << VGIC_LR_PRIORITY_SHIFT);
	/* HW = 1: resolved through an EOI maintenance interrupt (above) */
	if ((lr & VGIC_LR_HW) || (lr & VGIC_LR_EOI))
		out |= VGIC_LR_EOI;
	return out;
}

uint64_t nv_ich_lr_fold(uint64_t lr, uint64_t loaded, uint64_t now)
{
	if (!loaded)
		return lr;
	return (lr & ~LR_STATE_MASK) | (now & LR_STATE_MASK);
}

/* Between the state loaded and the state now, vEL1 deactivated the
 * interrupt if it was active and is no longer, or was pending and active
 * and lost the pending state (deactivated, then acknowledged again), or
 * was only pending and is now invalid (acknowledged, then deactivated).
 * A deactivation of a pending-and-active interrupt that ends pending is
 * seen too (active lost). */
bool nv_ich_lr_deactivated(uint64_t loaded, uint64_t now)
{
	unsigned was = LR_STATE(loaded), is = LR_STATE(now);

	if (was & VGIC_LR_ACTIVE)
		return !(is & VGIC_LR_ACTIVE) ||
		       ((was & VGIC_LR_PENDING) && !(is & VGIC_LR_PENDING));
	if (was & VGIC_LR_PENDING)
		return is == VGIC_LR_INVALID;
	return false;
}

uint64_t nv_ich_hcr_load(uint64_t hcr, uint64_t vmcr, const uint64_t *lrs,
			 unsigned n)
{
	uint64_t hw = (hcr & (HCR_EN | HCR_EOICOUNT)) | (hcr & HCR_ENABLES);

	/* conditions true already, on what the hardware will hold */
	return hw & ~(nv_ich_misr_of(hw, vmcr, lrs, n) & HCR_ENABLES);
}

uint64_t nv_ich_hcr_fold(uint64_t hcr, uint64_t now)
{
	return (hcr & ~HCR_EOICOUNT) | (now & HCR_EOICOUNT);
}

uint64_t nv_ich_vmcr_load(uint64_t vmcr)
{
	return vmcr & VMCR_KEEP;
}

uint64_t nv_ich_vmcr_fold(uint64_t vmcr, uint64_t now)
{
	return (vmcr & ~VMCR_KEEP) | (now & VMCR_KEEP);
}

/* Not on ICH_HCR_EL2.En: with IMO, vEL1's ICC_* accesses are ICV_*
 * accesses of the virtual CPU interface whatever En is (IHI 0069,
 * ICH_HCR_EL2.En only stops it signalling virtual interrupts), and they
 * reach the guest's ICH_VMCR_EL2 and active priorities. Linux KVM sets En
 * only while it has list registers in use: its VM's GIC set-up (ICC_CTLR
 * EOImode, PMR, IGRPEN1) runs with En = 0, and must not land in the real
 * VMCR that holds hypnest's interface for the guest itself (its EOImode
 * lost: it deactivated its forwarded timer on EOI and stormed). */
bool nv_ich_nested(const struct vcpu *v)
{
	return nv_irq_to_vel2(v) && !(vcpu_vncr(v, VNCR_HCR_EL2) & NV_HCR_TGE);
}

bool nv_ich_wakeup(const struct nv_ich_hw *hw)
{
	unsigned pmr = (unsigned)FIELD(hw->vmcr, 31, 24);

	if (!(hw->hcr & HCR_EN))
		return false; /* the interface signals nothing */
	for (unsigned i = 0; i < hw->nr_lrs; i++) {
		uint64_t lr = hw->lr[i];
		uint64_t eng = lr & VGIC_LR_GROUP ? VMCR_VENG1 : VMCR_VENG0;

		if ((LR_STATE(lr) & VGIC_LR_PENDING) && (hw->vmcr & eng) &&
		    FIELD(lr, 55, 48) < pmr)
			return true;
	}
	return false;
}

static uint64_t *lr_slot(struct vcpu *v, unsigned i)
{
	return &vcpu_vncr(v, VNCR_ICH_LR_EL2(i));
}

/* IHI 0069, ICH_LR<n>_EL2: two valid LRs with the same vINTID are
 * UNPREDICTABLE; the first one is loaded */
static bool duplicate(const struct nv_ich_hw *hw, unsigned i)
{
	for (unsigned j = 0; j < i; j++)
		if (hw->lr[j] && (uint32_t)hw->lr[j] == (uint32_t)hw->lr[i])
			return true;
	return false;
}

void nv_ich_load(const struct vcpu *v, struct nv_ich_hw *hw)
{
	uint64_t vtr = nv_ich_vtr();
	bool grp0 = nv_fiq_to_vel2(v);
	uint64_t vmcr = vcpu_vncr(v, VNCR_ICH_VMCR_EL2);

	hw->nr_lrs = MIN(VTR_LISTREGS(vtr), (unsigned)NV_ICH_MAX_LRS);
	hw->nr_aprs = nv_ich_nr_aprs(vtr);
	hw->dropped = 0;
	for (unsigned i = 0; i < hw->nr_lrs; i++) {
		uint64_t lr = vcpu_vncr(v, VNCR_ICH_LR_EL2(i));

		hw->lr[i] = nv_ich_lr_load(lr, vtr, grp0);
		if (hw->lr[i] && duplicate(hw, i))
			hw->lr[i] = 0;
		if (!hw->lr[i] && LR_STATE(lr) != VGIC_LR_INVALID)
			hw->dropped |= 1U << i;
	}
	hw->vmcr = nv_ich_vmcr_load(vmcr);
	hw->hcr = nv_ich_hcr_load(vcpu_vncr(v, VNCR_ICH_HCR_EL2), hw->vmcr,
				  hw->lr, hw->nr_lrs);
	for (unsigned n = 0; n < hw->nr_aprs; n++) {
		hw->ap[0][n] = vcpu_vncr(v, VNCR_ICH_AP0R_EL2(n)) & APR_KEEP;
		hw->ap[1][n] = vcpu_vncr(v, VNCR_ICH_AP1R_EL2(n)) & APR_KEEP;
	}
}

unsigned nv_ich_fold(struct vcpu *v, const struct nv_ich_hw *loaded,
		     const struct nv_ich_hw *now, unsigned *deact)
{
	unsigned nd = 0;

	for (unsigned i = 0; i < loaded->nr_lrs; i++) {
		uint64_t *lr = lr_slot(v, i);

		if (!loaded->lr[i])
			continue;
		if ((*lr & VGIC_LR_HW) &&
		    nv_ich_lr_deactivated(loaded->lr[i], now->lr[i]))
			deact[nd++] = LR_PINTID(*lr);
		*lr = nv_ich_lr_fold(*lr, loaded->lr[i], now->lr[i]);
	}
	vcpu_vncr(v, VNCR_ICH_HCR_EL2) =
	    nv_ich_hcr_fold(vcpu_vncr(v, VNCR_ICH_HCR_EL2), now->hcr);
	vcpu_vncr(v, VNCR_ICH_VMCR_EL2) =
	    nv_ich_vmcr_fold(vcpu_vncr(v, VNCR_ICH_VMCR_EL2), now->vmcr);
	for (unsigned n = 0; n < loaded->nr_aprs; n++) {
		vcpu_vncr(v, VNCR_ICH_AP0R_EL2(n)) = now->ap[0][n] & APR_KEEP;
		vcpu_vncr(v, VNCR_ICH_AP1R_EL2(n)) = now->ap[1][n] & APR_KEEP;
	}
	return nd;
}
