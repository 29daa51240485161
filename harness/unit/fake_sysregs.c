/* include/hyp/nv.h's arch interface for the host builds of nv/ (unit tests
 * and build/host/nvmap): the live EL1 registers are a plain array that the
 * tests set and inspect. */
#include <stdio.h>
#include <stdlib.h>

#include "fake_sysregs.h"

uint64_t fake_el1[NV_EL1_NR];
uint64_t fake_cntpct;
unsigned fake_el1_writes;

static void check(enum nv_el1_reg r, const char *what)
{
	if ((unsigned)r >= NV_EL1_NR) {
		fprintf(stderr, "fake_sysregs: %s of EL1 register %u\n", what,
			(unsigned)r);
		abort();
	}
}

uint64_t nv_arch_read_el1(enum nv_el1_reg r)
{
	check(r, "read");
	return fake_el1[r];
}

void nv_arch_write_el1(enum nv_el1_reg r, uint64_t val)
{
	check(r, "write");
	fake_el1[r] = val;
	fake_el1_writes++;
}

uint64_t nv_arch_read_cntpct(void)
{
	return fake_cntpct;
}

/* include/hyp/nv_hcr.h: the real HCR_EL2 and FAR_EL2 after an exit, the
 * HCR_EL2 bits the CPU implements */
uint64_t fake_hcr_el2, fake_far_el2, fake_hcr_implemented = ~0UL;

uint64_t nv_arch_hcr_implemented(void)
{
	return fake_hcr_implemented;
}

uint64_t nv_arch_read_hcr(void)
{
	return fake_hcr_el2;
}

uint64_t nv_arch_read_far(void)
{
	return fake_far_el2;
}
