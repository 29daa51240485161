/*
 * The real EL2 registers nv/hcr.c and nv/forward.c read after an exit
 * (hypervisor build only; harness/unit/fake_sysregs.c stands in for them
 * on the host).
 */
#include "arch/sysreg.h"
#include "hyp/nv_hcr.h"

uint64_t nv_arch_read_hcr(void)
{
	return read_sysreg(hcr_el2);
}

uint64_t nv_arch_read_far(void)
{
	return read_sysreg(far_el2);
}
