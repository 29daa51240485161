/*
 * The one place that writes the real EL2 registers a vCPU runs with
 * (include/hyp/el2_hw.h): before every entry, from the vCPU's base values
 * (vm/vm.c) and, for a guest at virtual EL2, what its level and its own
 * EL2 registers ask for (nv_el2_hw, nv_hcr). A register is written only
 * when its value differs from what this vCPU last wrote there: vCPU i runs
 * on CPU i only, and nothing else writes these registers while a guest
 * runs.
 */
#include "hyp/el2_hw.h"
#include "arch/sysreg.h"
#include "hyp/features.h"
#include "hyp/nv.h"
#include "hyp/vcpu.h"

void vcpu_el2_invalidate(struct vcpu *v)
{
	v->el2_loaded = false;
}

void vcpu_load_el2(struct vcpu *v)
{
	struct el2_hw want = v->el2_base;
	struct el2_hw *hw = &v->el2_hw;

	if (v->nv.enabled) {
		nv_el2_hw(v, &want, cpu_features()->ecv);
		want.hcr = nv_hcr(v);
		nv_load_debug(v); /* MDSCR_EL1 for the level (nv/debug.c) */
	}
#define EL2_HW_WRITE(f, reg)                                                   \
	if (!v->el2_loaded || want.f != hw->f)                                 \
		write_sysreg(reg, want.f);
	EL2_HW_REGS(EL2_HW_WRITE)
#undef EL2_HW_WRITE
	*hw = want;
	v->el2_loaded = true;
	isb();
}
