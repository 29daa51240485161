/*
 * The nested vGIC on the CPU (docs/nested.md "Nested vGIC"). While a
 * guest hypervisor's vEL1/vEL0 runs with its IMO in effect (nv_ich_nested;
 * its ICH_HCR_EL2.En loaded as it is), the real virtual CPU interface is
 * its: its list registers, ICH_HCR_EL2, ICH_VMCR_EL2 and active
 * priorities as nv/ich_nested.c sanitises them. hypnest's own interrupts
 * for the guest stay in its vGIC model and reach the guest's vEL2 (IMO:
 * vcpu_run takes them there before the entry; one that turns up later is
 * a kick, below). The real ICH_VMCR_EL2 and active priorities hold the
 * guest's own (vEL2's) virtual interface otherwise: kept aside meanwhile.
 *
 *   flush  save hypnest's VMCR/APRs for the guest, load the guest's
 *          interface (active priorities of group 0 before group 1,
 *          IHI 0069), En last;
 *   sync   read the interface back, empty it (no maintenance interrupt
 *          stays asserted while hypnest runs), put hypnest's VMCR/APRs
 *          back, fold what the hardware changed into the guest's VNCR
 *          page, deactivate in hypnest's vGIC the "physical" interrupts
 *          of the HW = 1 entries vEL1 deactivated, and set the guest's
 *          maintenance interrupt line.
 */
#include "arch/sysreg.h"
#include "hyp/cpu.h"
#include "hyp/gic.h"
#include "hyp/log.h"
#include "hyp/nv_ich.h"
#include "hyp/vcpu.h"
#include "hyp/vm.h"

/* IHI 0069, ICH_HCR_EL2.En: the guest's maintenance interrupt (its PPI,
 * as the DT it got names it: hypnest's own number) is a level, asserted
 * while its En and a maintenance condition hold. Called at every exit
 * (virq_sync) and before every entry (virq_sample): under NV2 the guest's
 * writes of its ICH_* registers land in the VNCR page without a trap, so
 * what it wrote before an exit (a GICR_ISPENDR0 read, say) counts there. */
void vgic_nested_maint(struct vcpu *v)
{
	struct vm *vm = v->vm;

	if (!vm->nested || !v->nv.enabled || !vm->maint_intid)
		return;
	vgic_set_line(&vm->vgic, v->id, vm->maint_intid, nv_ich_maint_level(v));
}

static void write_hw(const struct nv_ich_hw *hw)
{
	for (unsigned g = 0; g < 2; g++)
		for (unsigned n = 0; n < hw->nr_aprs; n++)
			gic_write_apr(g, n, hw->ap[g][n]);
	write_sysreg(ich_vmcr_el2, hw->vmcr);
	for (unsigned i = 0; i < hw->nr_lrs; i++)
		gic_write_lr(i, hw->lr[i]);
	write_sysreg(ich_hcr_el2, hw->hcr);
}

static void read_hw(struct nv_ich_hw *hw, unsigned nr_lrs, unsigned nr_aprs)
{
	hw->nr_lrs = nr_lrs;
	hw->nr_aprs = nr_aprs;
	for (unsigned i = 0; i < nr_lrs; i++)
		hw->lr[i] = gic_read_lr(i);
	hw->hcr = read_sysreg(ich_hcr_el2);
	hw->vmcr = read_sysreg(ich_vmcr_el2);
	for (unsigned g = 0; g < 2; g++)
		for (unsigned n = 0; n < nr_aprs; n++)
			hw->ap[g][n] = gic_read_apr(g, n);
}

bool vgic_nested_flush(struct vcpu *v)
{
	struct nv_ich_run *r = &v->ich;

	if (!v->vm->nested || !nv_ich_nested(v))
		return false;
	nv_ich_load(v, &r->hw);
	if (r->hw.dropped && !r->dropped_logged) {
		r->dropped_logged = true;
		log_warn("vcpu%u: guest hypervisor's list registers 0x%x not "
			 "loaded for its vEL1: special or reserved vINTID, "
			 "a duplicate, or Group 0 without FMO (logged once)",
			 v->id, r->hw.dropped);
	}
	r->own_vmcr = read_sysreg(ich_vmcr_el2);
	for (unsigned g = 0; g < 2; g++)
		for (unsigned n = 0; n < r->hw.nr_aprs; n++)
			r->own_ap[g][n] = gic_read_apr(g, n);
	write_hw(&r->hw);
	r->loaded = true;
	return true;
}

bool vgic_nested_sync(struct vcpu *v)
{
	struct nv_ich_run *r = &v->ich;
	struct nv_ich_hw now;
	unsigned deact[NV_ICH_MAX_LRS], nd;

	if (!r->loaded)
		return false;
	r->loaded = false;
	read_hw(&now, r->hw.nr_lrs, r->hw.nr_aprs);
	write_sysreg(ich_hcr_el2, 0);
	for (unsigned i = 0; i < r->hw.nr_lrs; i++)
		gic_write_lr(i, 0);
	for (unsigned g = 0; g < 2; g++)
		for (unsigned n = 0; n < r->hw.nr_aprs; n++)
			gic_write_apr(g, n, r->own_ap[g][n]);
	write_sysreg(ich_vmcr_el2, r->own_vmcr);
	nd = nv_ich_fold(v, &r->hw, &now, deact);
	for (unsigned i = 0; i < nd; i++)
		vgic_deactivate(&v->vm->vgic, v->id, deact[i]);
	vgic_nested_maint(v);
	if (nd)
		virq_kick_pending(v->vm, v);
	return true;
}

/* WFI at vEL1 trapped by hypnest: the guest's list registers, as they
 * would be loaded, may hold what ends it */
bool vgic_nested_wakeup(const struct vcpu *v)
{
	struct nv_ich_hw hw;

	if (!v->vm->nested || !nv_ich_nested(v))
		return false;
	nv_ich_load(v, &hw);
	return nv_ich_wakeup(&hw);
}
