/* nv/ich_nested.c: a guest hypervisor's GIC virtual interface as the real
 * one while its vEL1 runs -- what the real registers get (sanitised), what
 * comes back. Expected values written by hand from IHI 0069 (the
 * ICH_LR<n>_EL2, ICH_HCR_EL2, ICH_VMCR_EL2, ICH_VTR_EL2 descriptions). */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "fake_sysregs.h"
#include "hyp/nv_ich.h"
#include "hyp/vcpu.h"
#include "unit.h"

static struct vcpu v;

/* ICH_LR<n>_EL2 */
#define INVALID 0UL
#define PENDING (1UL << 62)
#define ACTIVE (2UL << 62)
#define PEND_ACT (3UL << 62)
#define STATE_MASK (3UL << 62)
#define HW BIT(61)
#define GROUP1 BIT(60)
#define NMI BIT(59)
#define EOI BIT(41)
#define PRIO(p) ((uint64_t)(p) << 48)
#define PINTID(n) ((uint64_t)(n) << 32)

/* ICH_HCR_EL2 */
#define EN BIT(0)
#define UIE BIT(1)
#define LRENPIE BIT(2)
#define NPIE BIT(3)
#define VGRP0EIE BIT(4)
#define VGRP0DIE BIT(5)
#define VGRP1EIE BIT(6)
#define VGRP1DIE BIT(7)
#define VSGIEOICOUNT BIT(8)
#define TC BIT(10)
#define TALL0 BIT(11)
#define TALL1 BIT(12)
#define TSEI BIT(13)
#define TDIR BIT(14)
#define DVIM BIT(15)
#define EOICOUNT(n) ((uint64_t)(n) << 27)
/* ICH_VMCR_EL2 */
#define VENG0 BIT(0)
#define VENG1 BIT(1)
#define VACKCTL BIT(2)
#define VFIQEN BIT(3)
#define VCBPR BIT(4)
#define VEOIM BIT(9)
#define VPMR(p) ((uint64_t)(p) << 24)

#define HCR_IMO BIT(4)
#define HCR_FMO BIT(3)
#define HCR_TGE BIT(27)

/* 4 LRs, PRIbits 5, PREbits 5, IDbits 16 */
#define VTR ((4UL << 29) | (4UL << 26) | 3)
/* the same with IDbits 24 */
#define VTR24 (VTR | (1UL << 23))

TEST(lr_load_plain)
{
	uint64_t lr = PENDING | GROUP1 | PRIO(0xa0) | 100;

	CHECK_EQ(nv_ich_lr_load(lr, VTR, false), lr);
	CHECK_EQ(nv_ich_lr_load(lr | EOI, VTR, false), lr | EOI);
	CHECK_EQ(nv_ich_lr_load(ACTIVE | GROUP1 | 5, VTR, false),
		 ACTIVE | GROUP1 | 5);
	CHECK_EQ(nv_ich_lr_load(PEND_ACT | GROUP1 | 1019, VTR, false),
		 PEND_ACT | GROUP1 | 1019);
}

/* State 0: nothing for vEL1, and no real EOI maintenance for an EOI bit
 * the guest already saw */
TEST(lr_load_invalid_not_loaded)
{
	CHECK_EQ(nv_ich_lr_load(0, VTR, true), 0);
	CHECK_EQ(nv_ich_lr_load(EOI | GROUP1 | 40, VTR, true), 0);
	CHECK_EQ(nv_ich_lr_load(HW | PINTID(27) | 27, VTR, true), 0);
}

/* NMI (not offered), RES0 [58:56], [47:42], [40:32] with HW = 0, and
 * priority bits below PRIbits go; the rest stays */
TEST(lr_load_res0)
{
	uint64_t junk = NMI | (7UL << 56) | (0x3fUL << 42) | (0x1ffUL << 32);

	CHECK_EQ(nv_ich_lr_load(PENDING | GROUP1 | junk | PRIO(0xa7) | 33, VTR,
				false),
		 PENDING | GROUP1 | PRIO(0xa0) | 33);
	/* PRIbits 8: all kept */
	CHECK_EQ(nv_ich_lr_load(PENDING | GROUP1 | PRIO(0xa7) | 33,
				VTR | (7UL << 29), false),
		 PENDING | GROUP1 | PRIO(0xa7) | 33);
}

/* HW = 1: loaded as HW = 0 with EOI, no pINTID; the deactivation comes
 * back as an EOI maintenance exit */
TEST(lr_load_hw)
{
	CHECK_EQ(
	    nv_ich_lr_load(PENDING | HW | GROUP1 | PRIO(0xa0) | PINTID(27) | 27,
			   VTR, false),
	    PENDING | EOI | GROUP1 | PRIO(0xa0) | 27);
	/* bit 41 is pINTID's with HW = 1 (pINTID 0x200 + 30) */
	CHECK_EQ(nv_ich_lr_load(ACTIVE | HW | GROUP1 | PINTID(0x21e) | 30, VTR,
				false),
		 ACTIVE | EOI | GROUP1 | 30);
}

/* INTIDs: 1020-1023 special, 1024-8191 reserved, LPIs up to IDbits */
TEST(lr_load_intid_range)
{
	static const struct {
		uint64_t vtr;
		uint32_t intid;
		bool ok;
	} rows[] = {
		{ VTR, 0, true },
		{ VTR, 1019, true },
		{ VTR, 1020, false },
		{ VTR, 1023, false },
		{ VTR, 1024, false },
		{ VTR, 8191, false },
		{ VTR, 8192, true },
		{ VTR, 65535, true },
		{ VTR, 65536, false },
		{ VTR, 0xffffffff, false },
		{ VTR24, 65536, true },
		{ VTR24, 0xffffff, true },
		{ VTR24, 0x1000000, false },
		{ VTR24, 1022, false },
	};

	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t lr = PENDING | GROUP1 | rows[i].intid;

		CHECKF(nv_ich_lr_load(lr, rows[i].vtr, false) ==
			   (rows[i].ok ? lr : 0),
		       "row %u: INTID %u", i, rows[i].intid);
	}
}

/* Group 0 only with the guest's FMO in effect */
TEST(lr_load_group0)
{
	CHECK_EQ(nv_ich_lr_load(PENDING | 50, VTR, false), 0);
	CHECK_EQ(nv_ich_lr_load(PENDING | 50, VTR, true), PENDING | 50);
}

/* only State comes back; HW, pINTID, the guest's EOI and everything the
 * load dropped stay as the guest wrote them */
TEST(lr_fold)
{
	uint64_t hw1 = PENDING | HW | GROUP1 | PINTID(27) | 27;
	uint64_t junk = PENDING | NMI | GROUP1 | PRIO(0xa7) | 33;

	CHECK_EQ(nv_ich_lr_fold(hw1, nv_ich_lr_load(hw1, VTR, false),
				EOI | GROUP1 | 27),
		 HW | GROUP1 | PINTID(27) | 27);
	CHECK_EQ(nv_ich_lr_fold(junk, nv_ich_lr_load(junk, VTR, false),
				ACTIVE | GROUP1 | PRIO(0xa0) | 33),
		 (junk & ~STATE_MASK) | ACTIVE);
	/* not loaded: untouched, whatever the real LR says */
	CHECK_EQ(nv_ich_lr_fold(PENDING | GROUP1 | 1021, 0, 0),
		 PENDING | GROUP1 | 1021);
}

/* every (loaded, now) State pair: was the interrupt deactivated */
TEST(lr_deactivated)
{
	/* [was][now]: I, P, A, PA */
	static const bool want[4][4] = {
		{ false, false, false, false }, /* invalid: nothing loaded */
		{ true, false, false, false },	/* P: acked + deactivated */
		{ true, true, false, false },	/* A: active lost */
		{ true, true, true, false },	/* PA: A lost, or P consumed */
	};

	for (unsigned w = 0; w < 4; w++)
		for (unsigned n = 0; n < 4; n++)
			CHECKF(nv_ich_lr_deactivated((uint64_t)w << 62,
						     (uint64_t)n << 62) ==
				   want[w][n],
			       "was %u now %u", w, n);
}

/* En always; the trap and GICv4 bits never; EOIcount kept */
TEST(hcr_load_sanitised)
{
	uint64_t lrs[4] = { PENDING | GROUP1 | 1, PENDING | GROUP1 | 2 };
	uint64_t traps = TC | TALL0 | TALL1 | TSEI | TDIR | VSGIEOICOUNT | DVIM;

	CHECK_EQ(
	    nv_ich_hcr_load(EN | traps | UIE | NPIE | EOICOUNT(0), 0, lrs, 4),
	    EN | UIE | NPIE);
	/* a set EOIcount: its LRENP condition already holds, LRENPIE off */
	CHECK_EQ(nv_ich_hcr_load(EN | LRENPIE | EOICOUNT(3), 0, lrs, 4),
		 EN | EOICOUNT(3));
	CHECK_EQ(nv_ich_hcr_load(EN | LRENPIE, 0, lrs, 4), EN | LRENPIE);
}

/* an enable whose condition already holds on the LRs as loaded is off in
 * the real register: the guest's maintenance interrupt is already
 * asserted, the real one would only fire again and again */
TEST(hcr_load_masks_what_holds)
{
	uint64_t one[4] = { PENDING | GROUP1 | 1 };
	uint64_t two_active[4] = { ACTIVE | GROUP1 | 1, ACTIVE | GROUP1 | 2 };
	uint64_t all = UIE | NPIE | VGRP0EIE | VGRP0DIE | VGRP1EIE | VGRP1DIE;

	/* one valid: U holds; one pending: NP does not; VENG0 = 0, VENG1 =
	 * 1: VGrp0D and VGrp1E hold */
	CHECK_EQ(nv_ich_hcr_load(EN | all, VENG1, one, 4),
		 EN | NPIE | VGRP0EIE | VGRP1DIE);
	/* two valid, none pending: U does not hold, NP does; VENG0 = VENG1
	 * = 1: VGrp0E and VGrp1E hold */
	CHECK_EQ(nv_ich_hcr_load(EN | all, VENG0 | VENG1, two_active, 4),
		 EN | UIE | VGRP0DIE | VGRP1DIE);
}

/* En is the guest's: 0 loads 0 (the virtual interface signals nothing,
 * raises no maintenance interrupt, and vEL1 still reaches its VMCR) */
TEST(hcr_load_keeps_en_clear)
{
	uint64_t lrs[4] = { PENDING | GROUP1 | 1, PENDING | GROUP1 | 2 };

	CHECK_EQ(nv_ich_hcr_load(UIE | NPIE, 0, lrs, 4), UIE | NPIE);
	CHECK_EQ(nv_ich_hcr_load(0, 0, lrs, 4), 0);
}

TEST(hcr_fold)
{
	CHECK_EQ(nv_ich_hcr_fold(EN | UIE | TC | EOICOUNT(1), EN | EOICOUNT(4)),
		 EN | UIE | TC | EOICOUNT(4));
}

TEST(vmcr)
{
	uint64_t all = VENG0 | VENG1 | VFIQEN | VCBPR | VEOIM | VPMR(0xf8) |
		       (3UL << 18) | (2UL << 21);

	CHECK_EQ(nv_ich_vmcr_load(all | VACKCTL | BIT(5) | BIT(12)), all);
	CHECK_EQ(nv_ich_vmcr_fold(VACKCTL | VENG0, VENG1 | VPMR(0xf0)),
		 VACKCTL | VENG1 | VPMR(0xf0));
}

TEST(nr_aprs)
{
	CHECK_EQ(nv_ich_nr_aprs(4UL << 26), 1); /* 5 bits */
	CHECK_EQ(nv_ich_nr_aprs(5UL << 26), 2); /* 6 bits */
	CHECK_EQ(nv_ich_nr_aprs(6UL << 26), 4); /* 7 bits */
	CHECK_EQ(nv_ich_nr_aprs(0), 1);
}

/* a guest hypervisor at vEL1 with IMO (ListRegs 3: 4 LRs) */
static void setup(uint64_t hcr, uint64_t ich_hcr)
{
	memset(&v, 0, sizeof(v));
	memset(fake_el1, 0, sizeof(fake_el1));
	fake_ich_vtr = VTR;
	nv_reset(&v, true);
	vcpu_vncr(&v, VNCR_HCR_EL2) = hcr;
	vcpu_vncr(&v, VNCR_ICH_HCR_EL2) = ich_hcr;
}

TEST(nested_when)
{
	setup(HCR_IMO, EN);
	CHECK(nv_ich_nested(&v));
	/* En clear: still the guest's interface. vEL1's ICC_* accesses are
	 * ICV_* ones with IMO whatever En is, and reach the guest's VMCR
	 * (Linux KVM's VM writes ICC_CTLR_EL1.EOImode = 0 with En = 0: in
	 * hypnest's VMCR for the guest it took the guest's EOImode away) */
	setup(HCR_IMO, 0);
	CHECK(nv_ich_nested(&v));
	setup(0, EN);
	CHECK(!nv_ich_nested(&v)); /* no IMO: vEL1's ICC_* are L1's own */
	setup(HCR_IMO | HCR_TGE, EN);
	CHECK(!nv_ich_nested(&v));
	setup(HCR_IMO, EN);
	nv_enter_vel2(&v);
	CHECK(!nv_ich_nested(&v)); /* at vEL2 */
}

/* the whole load: every LR, one duplicate vINTID (the first one wins), the
 * APRs (one per group with 5 preemption bits), the VMCR */
TEST(load_and_fold)
{
	struct nv_ich_hw hw, now;
	unsigned deact[NV_ICH_MAX_LRS], nd;

	setup(HCR_IMO, EN | NPIE | TALL1);
	vcpu_vncr(&v, VNCR_ICH_VMCR_EL2) = VENG1 | VPMR(0xf0) | VACKCTL;
	vcpu_vncr(&v, VNCR_ICH_AP1R_EL2(0)) = BIT(20) | (1UL << 40);
	vcpu_vncr(&v, VNCR_ICH_LR_EL2(0)) = PENDING | GROUP1 | PRIO(0xa0) | 100;
	vcpu_vncr(&v, VNCR_ICH_LR_EL2(1)) =
	    PENDING | HW | GROUP1 | PRIO(0x80) | PINTID(27) | 27;
	vcpu_vncr(&v, VNCR_ICH_LR_EL2(2)) = ACTIVE | GROUP1 | 100;
	vcpu_vncr(&v, VNCR_ICH_LR_EL2(3)) = ACTIVE | GROUP1 | 1021;
	nv_ich_load(&v, &hw);
	CHECK_EQ(hw.nr_lrs, 4);
	CHECK_EQ(hw.nr_aprs, 1);
	CHECK_EQ(hw.lr[0], PENDING | GROUP1 | PRIO(0xa0) | 100);
	CHECK_EQ(hw.lr[1], PENDING | EOI | GROUP1 | PRIO(0x80) | 27);
	CHECK_EQ(hw.lr[2], 0); /* the same vINTID as LR0 */
	CHECK_EQ(hw.lr[3], 0); /* special INTID */
	CHECK_EQ(hw.dropped, 0xc);
	CHECK_EQ(hw.hcr, EN | NPIE);
	CHECK_EQ(hw.vmcr, VENG1 | VPMR(0xf0));
	CHECK_EQ(hw.ap[1][0], BIT(20));
	CHECK(nv_ich_wakeup(&hw));

	/* the run: LR0 acknowledged, LR1 (HW) acknowledged and deactivated,
	 * the EOIcount went up, an active priority, the PMR written */
	now = hw;
	now.lr[0] = ACTIVE | GROUP1 | PRIO(0xa0) | 100;
	now.lr[1] = EOI | GROUP1 | PRIO(0x80) | 27;
	now.hcr = EN | NPIE | EOICOUNT(1);
	now.vmcr = VENG1 | VPMR(0xf8);
	now.ap[1][0] = BIT(20) | BIT(16);
	nd = nv_ich_fold(&v, &hw, &now, deact);
	CHECK_EQ(nd, 1);
	CHECK_EQ(deact[0], 27);
	CHECK_EQ(vcpu_vncr(&v, VNCR_ICH_LR_EL2(0)),
		 ACTIVE | GROUP1 | PRIO(0xa0) | 100);
	CHECK_EQ(vcpu_vncr(&v, VNCR_ICH_LR_EL2(1)),
		 HW | GROUP1 | PRIO(0x80) | PINTID(27) | 27);
	CHECK_EQ(vcpu_vncr(&v, VNCR_ICH_LR_EL2(2)), ACTIVE | GROUP1 | 100);
	CHECK_EQ(vcpu_vncr(&v, VNCR_ICH_LR_EL2(3)), ACTIVE | GROUP1 | 1021);
	CHECK_EQ(vcpu_vncr(&v, VNCR_ICH_HCR_EL2),
		 EN | NPIE | TALL1 | EOICOUNT(1));
	CHECK_EQ(vcpu_vncr(&v, VNCR_ICH_VMCR_EL2),
		 VENG1 | VPMR(0xf8) | VACKCTL);
	CHECK_EQ(vcpu_vncr(&v, VNCR_ICH_AP1R_EL2(0)), BIT(20) | BIT(16));
	/* the guest's view: LR1 empty, HW: in ELRSR, no EOI maintenance;
	 * NP (no LR pending now): the maintenance interrupt is asserted */
	CHECK(nv_ich_maint_level(&v));
	CHECK_EQ(nv_ich_status(&v, SYSREG_ICH_ELRSR_EL2), 0x2);
	CHECK_EQ(nv_ich_status(&v, SYSREG_ICH_EISR_EL2), 0);
}

TEST(maint_level_needs_en)
{
	setup(HCR_IMO, UIE); /* U holds (no LR valid), En clear */
	CHECK(!nv_ich_maint_level(&v));
	vcpu_vncr(&v, VNCR_ICH_HCR_EL2) = EN | UIE;
	CHECK(nv_ich_maint_level(&v));
	vcpu_vncr(&v, VNCR_ICH_HCR_EL2) = EN;
	CHECK(!nv_ich_maint_level(&v));
	vcpu_vncr(&v, VNCR_ICH_LR_EL2(2)) = EOI | 9; /* EOI: no enable */
	CHECK(nv_ich_maint_level(&v));
}

/* a pending LR wakes WFI only in an enabled group, above the mask */
TEST(wakeup)
{
	struct nv_ich_hw hw = { .nr_lrs = 4, .hcr = EN };

	hw.lr[0] = PENDING | GROUP1 | PRIO(0xa0) | 5;
	CHECK(!nv_ich_wakeup(&hw)); /* VENG1 = 0 */
	hw.vmcr = VENG1 | VPMR(0xa0);
	CHECK(!nv_ich_wakeup(&hw)); /* not above the mask */
	hw.vmcr = VENG1 | VPMR(0xf8);
	CHECK(nv_ich_wakeup(&hw));
	hw.hcr = 0; /* En clear: the interface signals nothing */
	CHECK(!nv_ich_wakeup(&hw));
	hw.hcr = EN;
	hw.lr[0] = ACTIVE | GROUP1 | PRIO(0xa0) | 5;
	CHECK(!nv_ich_wakeup(&hw));
	hw.lr[1] = PENDING | PRIO(0x10) | 6; /* Group 0, VENG0 = 0 */
	CHECK(!nv_ich_wakeup(&hw));
}
