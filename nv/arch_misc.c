/*
 * The rest of nv/'s arch interface on the hardware (the live EL1
 * registers are nv/el1_live.c): registers nv/ reads or loads that are not
 * part of a vCPU's EL1 context. Not built for the host:
 * harness/unit/fake_sysregs.c stands in for it there.
 */
#include "arch/sysreg.h"
#include "hyp/nv.h"

uint64_t nv_arch_read_ich_vtr(void)
{
	return read_sysreg(ich_vtr_el2);
}

uint64_t nv_arch_read_mdscr(void)
{
	return read_sysreg(mdscr_el1);
}

void nv_arch_write_mdscr(uint64_t val)
{
	write_sysreg(mdscr_el1, val);
}
