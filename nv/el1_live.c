/*
 * The arch interface of nv/ on the hardware: the live EL1 registers, one
 * case per EL1 row of include/hyp/sysregs.def that has a live register.
 * hypnest runs at EL2 with HCR_EL2.E2H = 0, so every _EL1/_EL0 name below
 * reaches the real EL1/EL0 register (no FEAT_VHE redirection). Not built
 * for the host: harness/unit/fake_sysregs.c stands in for it there.
 */
#include "arch/sysreg.h"
#include "hyp/nv.h"

uint64_t nv_arch_read_el1(enum nv_el1_reg r)
{
	switch (r) {
#define SR_EL1_LIVE(n, lv)                                                     \
	case NV_EL1_##lv:                                                      \
		return read_sysreg(n);
#include "hyp/sysregs.def"
	default:
		return 0;
	}
}

void nv_arch_write_el1(enum nv_el1_reg r, uint64_t val)
{
	switch (r) {
#define SR_EL1_LIVE(n, lv)                                                     \
	case NV_EL1_##lv:                                                      \
		write_sysreg(n, val);                                          \
		break;
#include "hyp/sysregs.def"
	default:
		break;
	}
}

uint64_t nv_arch_read_cntpct(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}
