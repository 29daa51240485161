/*
 * The real EL2 registers behind a guest at virtual EL2, for the level it is
 * at (docs/nv.md "Running at vEL2: the real EL2 state"). vcpu_load_el2
 * (vcpu/el2_hw.c) asks before every entry and writes what changed; this
 * file says what the values are, from the guest's own EL2 registers:
 *
 *   register      vEL2 (and vEL0 in its EL2&0 regime)   vEL1, vEL0 under it
 *   CNTVOFF_EL2   E2H = 1: 0; E2H = 0: the guest's       the guest's
 *   VPIDR/VMPIDR  hypnest's (the "physical" IDs)          the guest's
 *   CNTHCTL_EL2   hypnest's + the guest's event stream    + its EL1 traps
 *                 + EL1TVT when E2H = 0 (FEAT_ECV)
 *   CPTR_EL2      hypnest's                               + its TFP/FPEN, TCPAC
 *   MDCR_EL2      hypnest's                               + its TDA, TDOSA,
 *                                                         TDRA (TDE)
 *   VTTBR_EL2     the vEL2 context's VMID                 the VM's VMID; with
 *                                                         its VM/DC (L2): the
 *                                                         shadow (nv/l2.c)
 *
 * CNTVOFF_EL2 (D24.10.28 CNTVCT_EL0, D12.2.4.1): the EL1 virtual timer and
 * the virtual count read at EL1/EL0 always subtract CNTVOFF_EL2; at EL2 the
 * count does only with E2H = 0, and the EL2 timers never. The live timer
 * registers hold the EL1 timers at vEL1 and the EL2 ones at vEL2
 * (docs/nv.md), so the real offset is the guest's except at vEL2 with
 * E2H = 1 and in its EL2&0 regime (ELIsInHost: the count without offset).
 * With E2H = 0 at vEL2 the EL2 virtual timer, which the hardware runs on
 * the EL1 one, is then offset too: it exists only when FEAT_VHE is offered
 * and is reached only through its trapped CNTHV_*_EL2 names; documented.
 *
 * With E2H = 0 at vEL2 (HCR_EL2.NV2, NV1 = 1) the guest's CNTV_CTL/CVAL_EL0
 * go to the VNCR page, but CNTV_TVAL_EL0 reaches the hardware timer, which
 * holds the EL2 virtual timer there: with FEAT_ECV, CNTHCTL_EL2.EL1TVT
 * traps all three (it takes priority over the NV2 redirection, D24.10.25)
 * and nv/ answers them from the stored vEL1 timer (docs/nv.md rule 6).
 *
 * The guest's trap controls for its vEL1 (TGE is 0 there: an ERET to EL1
 * with TGE = 1 is illegal) are one table; each row says which accesses it
 * traps, when (by the E2H layout of the register), and what it sets in
 * hypnest's register, which hypnest runs in the E2H = 0 layout. The same
 * trap they cause goes to the guest's vEL2 by nv/forward.c's rules.
 */
#include "hyp/el2_hw.h"
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "hyp/lib.h"
#include "hyp/nv.h"
#include "hyp/nv_hcr.h"
#include "hyp/nv_l2.h"
#include "hyp/vcpu.h"
#include "hyp/vm.h"

/* VMPIDR_EL2 (D24.2.219): Aff3, U, MT, Aff2-0 kept, bit 31 RES1 */
#define VMPIDR_KEEP (GENMASK(39, 32) | BIT(30) | BIT(24) | GENMASK(23, 0))
#define VMPIDR_RES1 BIT(31)

enum el2_ctl { CTL_CNTHCTL, CTL_CPTR, CTL_MDCR, CTL_NR };

/* at vEL1 an EL2 register is its stored copy (docs/nv.md, rule 2): read
 * straight from its slot, no lookup on the entry path */
static const enum nv_slot ctl_slot[CTL_NR] = {
	[CTL_CNTHCTL] = NV_SLOT_CNTHCTL_EL2,
	[CTL_CPTR] = NV_SLOT_CPTR_EL2,
	[CTL_MDCR] = NV_SLOT_MDCR_EL2,
};

/* a control bit traps when it is 1 (ON) or when it is 0 (OFF) */
enum when { OFF, ON };

/* one trap control: the guest's control register, its bit and when it
 * traps for the guest's E2H = 0 and E2H = 1 layouts, and the bit it needs
 * in hypnest's register (E2H = 0 layout). Which accesses it traps, and
 * their forwarding to vEL2, are nv/forward.c's rules. */
static const struct el2_trap {
	const char *name;
	enum el2_ctl ctl;
	uint64_t bit0;
	enum when when0;
	uint64_t bit1;
	enum when when1;
	uint64_t hw_bit;
	enum when hw_when;
} el2_traps[] = {
	/* CNTHCTL_EL2 (D24.10.2): E2H = 0 EL1PCTEN 0, EL1PCEN 1; E2H = 1
	 * EL1PCTEN 10, EL1PTEN 11; each traps when 0 */
	{ "CNTPCT_EL0 (EL1PCTEN)", CTL_CNTHCTL, BIT(0), OFF, BIT(10), OFF,
	  CNTHCTL_EL1PCTEN, OFF },
	{ "CNTP_*_EL0 (EL1PCEN, EL1PTEN)", CTL_CNTHCTL, BIT(1), OFF, BIT(11),
	  OFF, CNTHCTL_EL1PCEN, OFF },
	/* CPTR_EL2 (D24.2.38): E2H = 0 TFP 10; E2H = 1 FPEN 21:20, which
	 * with TGE = 0 traps EL1 and EL0 for 0b00 and 0b10: bit 20 clear */
	{ "FP/SIMD (TFP, FPEN)", CTL_CPTR, BIT(10), ON, BIT(20), OFF, CPTR_TFP,
	  ON },
	{ "CPACR_EL1 (TCPAC)", CTL_CPTR, BIT(31), ON, BIT(31), ON, CPTR_TCPAC,
	  ON },
	/* MDCR_EL2 (D24.3.17), one layout; TDE makes TDA, TDOSA and TDRA
	 * act as 1 */
	{ "debug registers (TDA)", CTL_MDCR, MDCR_TDA, ON, MDCR_TDA, ON,
	  MDCR_TDA, ON },
	{ "debug registers (TDE)", CTL_MDCR, MDCR_TDE, ON, MDCR_TDE, ON,
	  MDCR_TDA, ON },
	{ "OS lock registers (TDOSA)", CTL_MDCR, MDCR_TDOSA, ON, MDCR_TDOSA, ON,
	  MDCR_TDOSA, ON },
	{ "OS lock registers (TDE)", CTL_MDCR, MDCR_TDE, ON, MDCR_TDE, ON,
	  MDCR_TDOSA, ON },
	{ "MDRAR_EL1 (TDRA)", CTL_MDCR, MDCR_TDRA, ON, MDCR_TDRA, ON, MDCR_TDRA,
	  ON },
	{ "MDRAR_EL1 (TDE)", CTL_MDCR, MDCR_TDE, ON, MDCR_TDE, ON, MDCR_TDRA,
	  ON },
};

/* does the guest's control register value reg ask for trap t */
static bool traps(const struct el2_trap *t, uint64_t reg, bool e2h)
{
	uint64_t bit = e2h ? t->bit1 : t->bit0;

	return ((reg & bit) != 0) == ((e2h ? t->when1 : t->when0) == ON);
}

/* at vEL1: the traps the guest asks for, on top of hypnest's own */
static void vel1_traps(const struct vcpu *v, struct el2_hw *hw, bool e2h)
{
	uint64_t *reg[CTL_NR] = {
		[CTL_CNTHCTL] = &hw->cnthctl,
		[CTL_CPTR] = &hw->cptr,
		[CTL_MDCR] = &hw->mdcr,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(el2_traps); i++) {
		const struct el2_trap *t = &el2_traps[i];

		if (!traps(t, v->nv.regs[ctl_slot[t->ctl]], e2h))
			continue;
		if (t->hw_when == ON)
			*reg[t->ctl] |= t->hw_bit;
		else
			*reg[t->ctl] &= ~t->hw_bit;
	}
}

void nv_el2_hw(struct vcpu *v, struct el2_hw *hw, bool ecv)
{
	bool e2h;

	nv_sync_e2h(v); /* its live registers in the layout of its E2H */
	e2h = nv_guest_e2h(v);
	/* the guest's EL2 event stream, from the physical count as hypnest's
	 * own would be (EVNTIS is FEAT_ECV's, hidden from guests) */
	if (v->nv.in_vel2) {
		/* live in CNTKCTL_EL1 with E2H = 1: the accessor merges it */
		hw->cnthctl |=
		    vcpu_read_sys_reg(v, SYSREG_CNTHCTL_EL2) & CNTHCTL_EVNT;
		/* TTLB clear: see nv/hcr.c */
		if (nv_vel2_host(v) && !v->vm->l2_ran)
			v->nv.vel1_tlbi_unseen = true;
		hw->vttbr = v->vm->vttbr_vel2;
		hw->cntvoff = e2h ? 0 : vcpu_vncr(v, VNCR_CNTVOFF_EL2);
		if (!e2h && ecv)
			hw->cnthctl |= CNTHCTL_EL1TVT;
		return;
	}
	hw->cnthctl |= v->nv.regs[NV_SLOT_CNTHCTL_EL2] & CNTHCTL_EVNT;
	/* L2 (its stage 2 on) runs on the shadow of its stage 2 */
	hw->vttbr = nv_in_l2(v) ? nv_l2_vttbr(v) : v->vm->vttbr;
	hw->cntvoff = vcpu_vncr(v, VNCR_CNTVOFF_EL2);
	hw->vpidr = (uint32_t)vcpu_vncr(v, VNCR_VPIDR_EL2);
	hw->vmpidr =
	    (vcpu_vncr(v, VNCR_VMPIDR_EL2) & VMPIDR_KEEP) | VMPIDR_RES1;
	vel1_traps(v, hw, e2h);
}
