/*
 * ICH_LR<n>_EL2 encode/decode (include/hyp/vgic.h). Pure functions of their
 * arguments: the model (vgic.c) and, later, the nested layer build their LR
 * values with them. Layout from Arm IHI 0069, ICH_LR<n>_EL2:
 *   [63:62] State  [61] HW  [60] Group  [59] NMI (not used: 0)
 *   [55:48] Priority  [44:32] pINTID (HW = 1)  or  [41] EOI (HW = 0)
 *   [31:0] vINTID
 */
#include "hyp/vgic.h"

uint64_t vgic_lr_encode(const struct vgic_lr *lr)
{
	uint64_t v = lr->vintid & VGIC_LR_VINTID_MASK;

	if (lr->hw) {
		v |= VGIC_LR_HW;
		v |= ((uint64_t)lr->pintid & VGIC_LR_PINTID_MASK)
		     << VGIC_LR_PINTID_SHIFT;
	} else if (lr->eoi) {
		v |= VGIC_LR_EOI;
	}
	v |= (uint64_t)lr->priority << VGIC_LR_PRIORITY_SHIFT;
	if (lr->group1)
		v |= VGIC_LR_GROUP;
	v |= (uint64_t)(lr->state & 3) << VGIC_LR_STATE_SHIFT;
	return v;
}

void vgic_lr_decode(uint64_t v, struct vgic_lr *lr)
{
	lr->vintid = v & VGIC_LR_VINTID_MASK;
	lr->hw = v & VGIC_LR_HW;
	lr->pintid =
	    lr->hw ? (v >> VGIC_LR_PINTID_SHIFT) & VGIC_LR_PINTID_MASK : 0;
	lr->eoi = !lr->hw && (v & VGIC_LR_EOI);
	lr->priority = (v >> VGIC_LR_PRIORITY_SHIFT) & 0xff;
	lr->group1 = v & VGIC_LR_GROUP;
	lr->state = (v >> VGIC_LR_STATE_SHIFT) & 3;
}
