/* nv/ich_status.c: the guest hypervisor's ICH_VTR/MISR/EISR/ELRSR_EL2,
 * computed from its stored list registers. Every expected value is
 * written by hand from the GIC architecture specification (IHI 0069,
 * the ICH_* register descriptions); read through the trapped-access path
 * (nv_sysreg_access) and hypnest's accessor (vcpu_read_sys_reg), which
 * must agree. */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "fake_sysregs.h"
#include "hyp/vcpu.h"
#include "unit.h"

static struct vcpu v;

/* ICH_LR<n>_EL2: State [63:62], HW [61], Group [60], Priority [55:48],
 * pINTID [44:32] (HW = 1) or EOI [41] (HW = 0), vINTID [31:0] */
#define INVALID 0UL
#define PENDING (1UL << 62)
#define ACTIVE (2UL << 62)
#define PEND_ACT (3UL << 62)
#define HW BIT(61)
#define GROUP1 BIT(60)
#define EOI BIT(41)
#define PRIO(p) ((uint64_t)(p) << 48)

/* ICH_HCR_EL2 enables, ICH_VMCR_EL2 */
#define UIE BIT(1)
#define LRENPIE BIT(2)
#define NPIE BIT(3)
#define VGRP0EIE BIT(4)
#define VGRP0DIE BIT(5)
#define VGRP1EIE BIT(6)
#define VGRP1DIE BIT(7)
#define ALL_IE 0xfeUL
#define EOICOUNT(n) ((uint64_t)(n) << 27)
#define VENG0 BIT(0)
#define VENG1 BIT(1)

/* ICH_MISR_EL2 */
#define M_EOI BIT(0)
#define M_U BIT(1)
#define M_LRENP BIT(2)
#define M_NP BIT(3)
#define M_VGRP0E BIT(4)
#define M_VGRP0D BIT(5)
#define M_VGRP1E BIT(6)
#define M_VGRP1D BIT(7)

/* 4 list registers (ListRegs = 3), PREbits 5, PRIbits 5; TDS, nV4, A3V,
 * SEIS set in the hardware value: TDS, A3V, SEIS not offered (0), nV4
 * (inverted sense: no GICv4 direct injection) 1 */
#define VTR_HW                                                                 \
	((4UL << 29) | (4UL << 26) | BIT(22) | BIT(21) | BIT(20) | BIT(19) | 3)
#define VTR_OFFERED_4 ((4UL << 29) | (4UL << 26) | BIT(20) | 3)

static void setup(uint64_t vtr, unsigned level, bool e2h)
{
	memset(&v, 0, sizeof(v));
	memset(fake_el1, 0, sizeof(fake_el1));
	fake_ich_vtr = vtr;
	nv_reset(&v, true);
	vcpu_write_sys_reg(&v, SYSREG_HCR_EL2, e2h ? BIT(34) : 0);
	if (level == 2)
		nv_enter_vel2(&v);
}

static void lrs(uint64_t hcr, uint64_t vmcr, const uint64_t lr[16])
{
	vcpu_write_sys_reg(&v, SYSREG_ICH_HCR_EL2, hcr);
	vcpu_write_sys_reg(&v, SYSREG_ICH_VMCR_EL2, vmcr);
	for (unsigned n = 0; n < 16; n++)
		vcpu_write_sys_reg(&v, SYSREG_ICH_LR_EL2(n), lr[n]);
}

/* both paths, and the direct function, give want */
static void expect(uint32_t enc, uint64_t want, const char *what)
{
	uint64_t val = 0xdead;

	CHECKF(nv_sysreg_access(&v, enc, false, &val) == NV_ACCESS_DONE &&
		   val == want,
	       "%s: trapped read 0x%lx, want 0x%lx", what, val, want);
	val = vcpu_read_sys_reg(&v, enc);
	CHECKF(val == want, "%s: vcpu_read_sys_reg 0x%lx, want 0x%lx", what,
	       val, want);
	CHECKF(nv_ich_status(&v, enc) == want, "%s: nv_ich_status", what);
}

static void expect3(uint64_t misr, uint64_t eisr, uint64_t elrsr,
		    const char *what)
{
	expect(SYSREG_ICH_MISR_EL2, misr, what);
	expect(SYSREG_ICH_EISR_EL2, eisr, what);
	expect(SYSREG_ICH_ELRSR_EL2, elrsr, what);
}

static const struct ich_case {
	const char *what;
	uint64_t hcr, vmcr, lr[4];
	uint64_t misr, eisr, elrsr;
} cases[] = {
	/* all four empty: ELRSR says so (the old "0" meant all full) */
	{ "all invalid, no enables", 0, 0, { 0 }, 0, 0, 0xf },
	/* U: zero valid; NP: nothing pending; VENG0 = VENG1 = 0: the
	 * Disabled ones */
	{ "all invalid, every enable",
	  ALL_IE,
	  0,
	  { 0 },
	  M_U | M_NP | M_VGRP0D | M_VGRP1D,
	  0,
	  0xf },
	{ "pending, active, pending+active, EOI",
	  ALL_IE,
	  VENG0 | VENG1,
	  { PENDING | GROUP1 | PRIO(0xa0) | 27, ACTIVE | GROUP1 | 30,
	    PEND_ACT | 33, INVALID | EOI | 40 },
	  M_EOI | M_VGRP0E | M_VGRP1E,
	  0x8,
	  0 },
	/* the same EOI bit without its enable still shows in EISR; MISR.EOI
	 * has no enable */
	{ "EOI maintenance, no enables",
	  0,
	  0,
	  { 0, EOI | 5, 0, EOI | 6 },
	  M_EOI,
	  0xa,
	  0x5 },
	/* HW = 1: bit 41 is part of pINTID, not EOI: empty, no EOI */
	{ "HW with bit 41 (pINTID)",
	  ALL_IE & ~(VGRP0DIE | VGRP1DIE),
	  0,
	  { HW | EOI | (27UL << 32) | 27, 0, 0, 0 },
	  M_U | M_NP,
	  0,
	  0xf },
	/* an active HW interrupt: not empty */
	{ "active HW",
	  UIE,
	  0,
	  { ACTIVE | HW | (27UL << 32) | 27, 0, 0, 0 },
	  M_U,
	  0,
	  0xe },
	/* one valid LR (pending+active): U; no LR in the pending state: NP */
	{ "one pending+active",
	  UIE | NPIE,
	  0,
	  { 0, 0, PEND_ACT | 44, 0 },
	  M_U | M_NP,
	  0,
	  0xb },
	/* two valid: no U; one pending: no NP */
	{ "two valid",
	  UIE | NPIE,
	  0,
	  { PENDING | 1, ACTIVE | 2, 0, 0 },
	  0,
	  0,
	  0xc },
	/* one pending: U, not NP */
	{ "one pending", UIE | NPIE, 0, { 0, 0, 0, PENDING | 9 }, M_U, 0, 0x7 },
	/* LRENP: LRENPIE and EOIcount != 0 */
	{ "EOIcount 3", LRENPIE | EOICOUNT(3), 0, { 0 }, M_LRENP, 0, 0xf },
	{ "EOIcount 3, no LRENPIE", EOICOUNT(3), 0, { 0 }, 0, 0, 0xf },
	{ "LRENPIE, EOIcount 0", LRENPIE, 0, { 0 }, 0, 0, 0xf },
	{ "EOIcount 31", LRENPIE | EOICOUNT(31), 0, { 0 }, M_LRENP, 0, 0xf },
	/* the group enables, VENG0 and VENG1 apart */
	{ "VENG0 only",
	  VGRP0EIE | VGRP0DIE | VGRP1EIE | VGRP1DIE,
	  VENG0,
	  { 0 },
	  M_VGRP0E | M_VGRP1D,
	  0,
	  0xf },
	{ "VENG1 only",
	  VGRP0EIE | VGRP0DIE | VGRP1EIE | VGRP1DIE,
	  VENG1,
	  { 0 },
	  M_VGRP0D | M_VGRP1E,
	  0,
	  0xf },
	{ "VGrp0EIE alone, VENG0",
	  VGRP0EIE,
	  VENG0 | VENG1,
	  { 0 },
	  M_VGRP0E,
	  0,
	  0xf },
	{ "VGrp1DIE alone, VENG1", VGRP1DIE, VENG1, { 0 }, 0, 0, 0xf },
	/* En does not matter */
	{ "En set", BIT(0) | UIE, 0, { PENDING | 3, 0, 0, 0 }, M_U, 0, 0xe },
};

TEST(status_registers_from_the_list_registers)
{
	for (unsigned level = 1; level <= 2; level++)
		for (unsigned e2h = 0; e2h < 2; e2h++)
			for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
				uint64_t lr[16] = { 0 };

				setup(VTR_HW, level, e2h);
				memcpy(lr, cases[i].lr, sizeof(cases[i].lr));
				lrs(cases[i].hcr, cases[i].vmcr, lr);
				expect3(cases[i].misr, cases[i].eisr,
					cases[i].elrsr, cases[i].what);
			}
}

/* only the list registers ICH_VTR_EL2.ListRegs says exist count */
TEST(only_implemented_list_registers)
{
	uint64_t lr[16] = { 0 };

	/* 2 LRs: LR2-15 hold junk (EOI, pending) that must not count */
	setup((4UL << 29) | (4UL << 26) | 1, 2, false);
	for (unsigned n = 2; n < 16; n++)
		lr[n] = n & 1 ? PENDING | n : EOI | n;
	lrs(UIE | NPIE, 0, lr);
	expect3(M_U | M_NP, 0, 0x3, "2 LRs, junk above");
	/* 16 LRs: all of them */
	setup((4UL << 29) | (4UL << 26) | 15, 2, false);
	lrs(UIE | NPIE, 0, lr);
	expect3(M_EOI, 0x5554, 0x3, "16 LRs");
	lr[15] = 0;
	lrs(0, 0, lr);
	expect3(M_EOI, 0x5554, 0x8003, "16 LRs, LR15 empty");
}

/* ICH_VTR_EL2: the offered fields of this CPU's, through both paths;
 * read-only */
TEST(vtr)
{
	uint64_t val = 0;

	for (unsigned level = 1; level <= 2; level++) {
		setup(VTR_HW, level, false);
		expect(SYSREG_ICH_VTR_EL2, VTR_OFFERED_4, "VTR");
		CHECK_EQ(nv_ich_vtr(), VTR_OFFERED_4);
		/* IDbits 24-bit (1), PRIbits 8, PREbits 7, 8 LRs; a CPU
		 * without nV4 (GICv4 direct injection) still reads nV4 1 */
		setup((7UL << 29) | (6UL << 26) | (1UL << 23) | 7, level, true);
		expect(SYSREG_ICH_VTR_EL2,
		       (7UL << 29) | (6UL << 26) | (1UL << 23) | BIT(20) | 7,
		       "VTR 8");
	}
	for (unsigned i = 0; i < 4; i++) {
		static const uint32_t ro[] = { SYSREG_ICH_VTR_EL2,
					       SYSREG_ICH_MISR_EL2,
					       SYSREG_ICH_EISR_EL2,
					       SYSREG_ICH_ELRSR_EL2 };
		CHECK_EQ(nv_sysreg_access(&v, ro[i], true, &val),
			 NV_ACCESS_UNDEF);
	}
}
