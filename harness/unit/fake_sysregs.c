/* include/hyp/nv.h's arch interface for the host builds of nv/ (unit tests
 * and build/host/nvmap): the live EL1 registers are a plain array that the
 * tests set and inspect, one entry per EL1 row of include/hyp/sysregs.def
 * that has a live register (the same rows nv/el1_live.c reaches). */
#include <stdio.h>
#include <stdlib.h>

#include "fake_sysregs.h"

uint64_t fake_el1[NV_EL1_NR];
uint64_t fake_cntpct;
/* a GIC with 4 list registers, 5 bits of preemption, 5 of priority, 16-bit
 * INTIDs, and TDS/nV4/A3V/SEIS set (bits nv/ must not pass on) */
uint64_t fake_ich_vtr = (4UL << 29) | (4UL << 26) | (0UL << 23) | BIT(22) |
			BIT(21) | BIT(20) | BIT(19) | 3;
unsigned fake_el1_writes;
uint64_t fake_mdscr;
unsigned fake_mdscr_writes;

const char *const fake_el1_names[NV_EL1_NR] = {
#define SR_EL1_LIVE(n, lv) [NV_EL1_##lv] = #n,
#include "hyp/sysregs.def"
};

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

uint64_t nv_arch_read_ich_vtr(void)
{
	return fake_ich_vtr;
}

uint64_t nv_arch_read_mdscr(void)
{
	return fake_mdscr;
}

void nv_arch_write_mdscr(uint64_t val)
{
	fake_mdscr = val;
	fake_mdscr_writes++;
}

/* include/hyp/nv_hcr.h: the real HCR_EL2 and FAR_EL2 after an exit, the
 * HCR_EL2 bits the CPU implements */
uint64_t fake_hcr_el2, fake_far_el2, fake_hcr_implemented = ~0UL;

uint64_t nv_arch_hcr_implemented(void)
{
	return fake_hcr_implemented;
}

/* nv/l2.c: the shadow's real VTTBR_EL2 (hypervisor build only) */
unsigned fake_l2_vttbr_calls;
uint64_t nv_l2_vttbr(struct vcpu *v)
{
	(void)v;
	fake_l2_vttbr_calls++;
	return FAKE_L2_VTTBR;
}

unsigned fake_vel1_flushes;

void nv_tlbi_vel1_all(struct vcpu *v)
{
	(void)v;
	fake_vel1_flushes++;
}

uint64_t nv_arch_read_hcr(void)
{
	return fake_hcr_el2;
}

uint64_t nv_arch_read_far(void)
{
	return fake_far_el2;
}
