/* A guest hypervisor at (virtual) EL2 writes its GIC virtual interface's
 * list registers and controls (ICH_LR<n>_EL2, ICH_HCR_EL2, ICH_VMCR_EL2;
 * ICH_HCR_EL2.En stays 0, so no maintenance interrupt is signalled) and
 * reads the status registers the GIC computes from them (IHI 0069, the
 * ICH_* register descriptions), each value worked out here by hand:
 *
 *  ICH_EISR_EL2   bit n: LR n State 0b00, HW 0, EOI (bit 41) 1;
 *  ICH_ELRSR_EL2  bit n: LR n State 0b00 and (HW 1 or EOI 0);
 *  ICH_MISR_EL2   EOI (EISR != 0), U (UIE, at most one LR valid), LRENP
 *                 (LRENPIE, EOIcount != 0), NP (NPIE, no LR in the
 *                 pending state), VGrp0E/0D/1E/1D (their enables with
 *                 ICH_VMCR_EL2.VENG0/VENG1 set/clear).
 *
 * Uses four list registers (ICH_VTR_EL2.ListRegs >= 3, as QEMU's GIC).
 * VGrp0D is only checked with VENG0 = VENG1: QEMU 10's GIC model tests
 * VENG1 for it. Passes on bare QEMU (virtualization=on) at the real EL2,
 * and under hypnest with guest.el2=nvhe. */
#include "gic.h"

#define BIT(n) (1UL << (n))

#define PENDING (1UL << 62)
#define ACTIVE (2UL << 62)
#define PEND_ACT (3UL << 62)
#define HW BIT(61)
#define GROUP1 BIT(60)
#define EOI BIT(41)
#define PRIO(p) ((uint64_t)(p) << 48)

#define UIE BIT(1)
#define LRENPIE BIT(2)
#define NPIE BIT(3)
#define VGRP0EIE BIT(4)
#define VGRP0DIE BIT(5)
#define VGRP1EIE BIT(6)
#define VGRP1DIE BIT(7)
#define EOICOUNT(n) ((uint64_t)(n) << 27)
#define VENG0 BIT(0)
#define VENG1 BIT(1)

#define M_EOI BIT(0)
#define M_U BIT(1)
#define M_LRENP BIT(2)
#define M_NP BIT(3)
#define M_VGRP0E BIT(4)
#define M_VGRP0D BIT(5)
#define M_VGRP1E BIT(6)
#define M_VGRP1D BIT(7)

static const struct {
	char name[64]; /* no pointers in data: the image runs where loaded */
	uint64_t hcr, vmcr, lr[4];
	uint64_t misr, eisr, elrsr;
} cases[] = {
	{ "all four empty: ELRSR 0xf, nothing asserted",
	  0,
	  0,
	  { 0 },
	  0,
	  0,
	  0xf },
	{ "all empty, U/NP/VGrp0D/VGrp1D enabled",
	  UIE | NPIE | VGRP0DIE | VGRP1DIE,
	  0,
	  { 0 },
	  M_U | M_NP | M_VGRP0D | M_VGRP1D,
	  0,
	  0xf },
	{ "pending, active, pending+active, EOI-only",
	  UIE | NPIE | VGRP0EIE | VGRP1EIE,
	  VENG0 | VENG1,
	  { PENDING | GROUP1 | PRIO(0xa0) | 27,
	    ACTIVE | GROUP1 | PRIO(0x80) | 30, PEND_ACT | GROUP1 | 33,
	    EOI | 40 },
	  M_EOI | M_VGRP0E | M_VGRP1E,
	  0x8,
	  0 },
	{ "EOI bits without enables: EISR and MISR.EOI",
	  0,
	  0,
	  { 0, EOI | 5, 0, EOI | 6 },
	  M_EOI,
	  0xa,
	  0x5 },
	{ "HW = 1: bit 41 is pINTID, the LR is empty",
	  UIE | NPIE,
	  0,
	  { HW | EOI | (27UL << 32) | 27, 0, 0, 0 },
	  M_U | M_NP,
	  0,
	  0xf },
	{ "one valid LR, pending+active: U, NP",
	  UIE | NPIE,
	  0,
	  { 0, 0, PEND_ACT | GROUP1 | 44, 0 },
	  M_U | M_NP,
	  0,
	  0xb },
	{ "one pending LR: U, not NP",
	  UIE | NPIE,
	  0,
	  { 0, 0, 0, PENDING | GROUP1 | 9 },
	  M_U,
	  0,
	  0x7 },
	{ "two valid LRs: neither U nor NP",
	  UIE | NPIE,
	  0,
	  { PENDING | GROUP1 | 1, ACTIVE | GROUP1 | 2, 0, 0 },
	  0,
	  0,
	  0xc },
	{ "LRENPIE and EOIcount 3: LRENP",
	  LRENPIE | EOICOUNT(3),
	  0,
	  { 0 },
	  M_LRENP,
	  0,
	  0xf },
	{ "EOIcount 3 without LRENPIE", EOICOUNT(3), 0, { 0 }, 0, 0, 0xf },
	{ "VENG0 only: VGrp0E, VGrp1D",
	  VGRP0EIE | VGRP1EIE | VGRP1DIE,
	  VENG0,
	  { 0 },
	  M_VGRP0E | M_VGRP1D,
	  0,
	  0xf },
	{ "VENG1 only: VGrp1E",
	  VGRP0EIE | VGRP1EIE | VGRP1DIE,
	  VENG1,
	  { 0 },
	  M_VGRP1E,
	  0,
	  0xf },
};

static void write_lrs(const uint64_t lr[4])
{
	write_sysreg(ich_lr0_el2, lr[0]);
	write_sysreg(ich_lr1_el2, lr[1]);
	write_sysreg(ich_lr2_el2, lr[2]);
	write_sysreg(ich_lr3_el2, lr[3]);
}

void gt_main(uint64_t dtb)
{
	static const uint64_t empty[4] = { 0 };
	uint64_t vtr;

	(void)dtb;
	gt_check(current_el() == 2, "running at EL2", "CurrentEL %u",
		 current_el());
	if (current_el() != 2 || !(read_sysreg(icc_sre_el2) & 1))
		gt_done();
	vtr = read_sysreg(ich_vtr_el2);
	gt_check((vtr & 0x1f) >= 3, "ICH_VTR_EL2: at least 4 list registers",
		 "ICH_VTR_EL2 0x%lx", (unsigned long)vtr);
	/* nV4 (bit 20, inverted): 1, no GICv4 direct injection; QEMU's GICv3
	 * says 1 as well */
	gt_check(vtr & (1UL << 20), "ICH_VTR_EL2.nV4 = 1 (no direct injection)",
		 "ICH_VTR_EL2 0x%lx", (unsigned long)vtr);
	gt_check(((vtr >> 29) & 7) >= ((vtr >> 26) & 7),
		 "ICH_VTR_EL2: PRIbits >= PREbits", "ICH_VTR_EL2 0x%lx",
		 (unsigned long)vtr);
	if ((vtr & 0x1f) < 3)
		gt_done();
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t misr, eisr, elrsr;

		write_sysreg(ich_hcr_el2, cases[i].hcr);
		write_sysreg(ich_vmcr_el2, cases[i].vmcr);
		write_lrs(cases[i].lr);
		isb();
		misr = read_sysreg(ich_misr_el2);
		eisr = read_sysreg(ich_eisr_el2);
		elrsr = read_sysreg(ich_elrsr_el2);
		gt_check(misr == cases[i].misr && eisr == cases[i].eisr &&
			     elrsr == cases[i].elrsr,
			 cases[i].name,
			 "MISR 0x%lx EISR 0x%lx ELRSR 0x%lx, expected 0x%lx "
			 "0x%lx 0x%lx",
			 (unsigned long)misr, (unsigned long)eisr,
			 (unsigned long)elrsr, (unsigned long)cases[i].misr,
			 (unsigned long)cases[i].eisr,
			 (unsigned long)cases[i].elrsr);
	}
	write_lrs(empty);
	write_sysreg(ich_vmcr_el2, 0);
	write_sysreg(ich_hcr_el2, 0);
	isb();
	gt_done();
}

void gt_secondary(uint64_t context)
{
	(void)context;
	for (;;)
		__asm__ volatile("wfi");
}
