/* nv/sysreg_access.c and nv/el2_translate.c: the accessors, the vEL1 <->
 * vEL2 context switch and the translate hooks, on the fake EL1 registers
 * (harness/unit/fake_sysregs.c). harness/test_nv_map.py checks every row
 * against its own tables; these are the targeted cases. */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "fake_sysregs.h"
#include "hyp/vcpu.h"
#include "unit.h"

static struct vcpu v;

static void setup(bool e2h)
{
	memset(&v, 0, sizeof(v));
	memset(fake_el1, 0, sizeof(fake_el1));
	nv_reset(&v, true);
	vcpu_vncr(&v, VNCR_HCR_EL2) = e2h ? NV_HCR_E2H : 0;
}

static uint64_t rd(uint32_t enc)
{
	return vcpu_read_sys_reg(&v, enc);
}

static void wr(uint32_t enc, uint64_t val)
{
	vcpu_write_sys_reg(&v, enc, val);
}

static uint64_t xs = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	xs ^= xs << 13;
	xs ^= xs >> 7;
	xs ^= xs << 17;
	return xs;
}

TEST(translate_roundtrip_every_bit)
{
	static uint64_t (*const to[])(uint64_t) = {
		nv_sctlr_el2_to_el1,	   nv_tcr_el2_to_el1,
		nv_ttbr0_el2_to_el1,	   nv_cptr_el2_to_cpacr,
		nv_cnthctl_el2_to_cntkctl,
	};
	static uint64_t (*const from[])(uint64_t, uint64_t) = {
		nv_sctlr_el1_to_el2,	   nv_tcr_el1_to_el2,
		nv_ttbr0_el1_to_el2,	   nv_cpacr_to_cptr_el2,
		nv_cntkctl_to_cnthctl_el2,
	};

	for (unsigned h = 0; h < ARRAY_SIZE(to); h++) {
		for (unsigned b = 0; b < 64; b++) {
			uint64_t x = BIT(b);

			CHECKF(from[h](to[h](x), x) == x, "hook %u bit %u", h,
			       b);
			if (to[h](x) != to[h](0)) /* mapped: from live alone */
				CHECKF(from[h](to[h](x), 0) == x,
				       "hook %u bit %u", h, b);
			else /* unmapped: from the stored copy alone */
				CHECKF(from[h](to[h](0), x) == x,
				       "hook %u bit %u", h, b);
		}
		for (unsigned i = 0; i < 10000; i++) {
			uint64_t x = rnd(), y = rnd();

			CHECKF(from[h](to[h](x), x) == x, "hook %u", h);
			/* to_el1 only depends on what from_el1 restores */
			CHECKF(to[h](from[h](to[h](x), y)) == to[h](x),
			       "hook %u", h);
		}
	}
}

TEST(translate_examples)
{
	/* a typical nVHE EL2 SCTLR: RES1 | M | C | I | WXN */
	uint64_t sctlr = 0x30C50830UL | BIT(0) | BIT(2) | BIT(12) | BIT(19);

	CHECK_EQ(nv_sctlr_el2_to_el1(sctlr),
		 BIT(0) | BIT(2) | BIT(11) | BIT(12) | BIT(19) | BIT(22) |
		     BIT(4) | BIT(7) | BIT(8) | BIT(16) | BIT(18) | BIT(20) |
		     BIT(23) | BIT(28) | BIT(29));
	/* TCR_EL2: T0SZ 16, WBWA inner/outer, inner shareable, 4K, PS 48 bit */
	CHECK_EQ(nv_tcr_el2_to_el1(BIT(31) | BIT(23) | (5UL << 16) |
				   (3UL << 12) | (1UL << 10) | (1UL << 8) | 16),
		 (5UL << 32) | (3UL << 12) | (1UL << 10) | (1UL << 8) | 16 |
		     BIT(23) | (2UL << 30));
	CHECK_EQ(nv_ttbr0_el2_to_el1(0xABCD000012345001UL),
		 0x0000000012345001UL);
	/* CPTR_EL2 default of hypnest itself: TZ set, TFP clear */
	CHECK_EQ(nv_cptr_el2_to_cpacr(0x33FFUL),
		 (3UL << 20) | (0UL << 16) | (0UL << 24));
	CHECK_EQ(nv_cptr_el2_to_cpacr(BIT(10) | BIT(20) | BIT(31)),
		 (3UL << 16) | (3UL << 24) | BIT(28));
	CHECK_EQ(nv_cnthctl_el2_to_cntkctl(0xFFFFFUL), 0x200FCUL);
}

/* E2H = 0: written untranslated to the store, translated into the live
 * register, read back as written; the vEL1 value comes back on leave */
TEST(e2h0_sctlr_write_through)
{
	uint64_t el2 = 0x30C50830UL | BIT(0) | BIT(2) | BIT(12);
	uint64_t el1 = 0x30D00980UL | BIT(0);

	setup(false);
	fake_el1[NV_EL1_SCTLR] = el1; /* the guest's vEL1 SCTLR_EL1 */
	nv_enter_vel2(&v);
	CHECK(v.nv.in_vel2);
	CHECK_EQ(vcpu_vncr(&v, VNCR_SCTLR_EL1), el1);
	wr(SYSREG_SCTLR_EL2, el2);
	CHECK_EQ(v.nv.regs[NV_SLOT_SCTLR_EL2], el2);
	CHECK_EQ(fake_el1[NV_EL1_SCTLR], nv_sctlr_el2_to_el1(el2));
	CHECK_EQ(rd(SYSREG_SCTLR_EL2), el2);
	CHECK_EQ(rd(SYSREG_SCTLR_EL1), el1); /* the stored vEL1 copy */
	wr(SYSREG_SCTLR_EL1, el1 | BIT(2));
	CHECK_EQ(fake_el1[NV_EL1_SCTLR], nv_sctlr_el2_to_el1(el2));
	nv_leave_vel2(&v);
	CHECK(!v.nv.in_vel2);
	CHECK_EQ(fake_el1[NV_EL1_SCTLR], el1 | BIT(2));
	CHECK_EQ(rd(SYSREG_SCTLR_EL2), el2);
	CHECK_EQ(v.nv.regs[NV_SLOT_SCTLR_EL2], el2);
}

/* hardware writes ESR/FAR/ELR/SPSR_EL1 on an exception the guest takes
 * at vEL2 (really EL1): those are its ESR/FAR/ELR/SPSR_EL2 */
TEST(hardware_changes_live_registers)
{
	setup(false);
	wr(SYSREG_ESR_EL2, 0x11);
	nv_enter_vel2(&v);
	CHECK_EQ(fake_el1[NV_EL1_ESR], 0x11);
	fake_el1[NV_EL1_ESR] = 0x96000045;
	fake_el1[NV_EL1_FAR] = 0x1234;
	fake_el1[NV_EL1_ELR] = 0x4000;
	fake_el1[NV_EL1_SPSR] = 0x3c9;
	fake_el1[NV_EL1_SP_EL1] = 0x8000;
	CHECK_EQ(rd(SYSREG_ESR_EL2), 0x96000045);
	CHECK_EQ(rd(SYSREG_SPSR_EL2), 0x3c9);
	nv_leave_vel2(&v);
	CHECK_EQ(rd(SYSREG_ESR_EL2), 0x96000045);
	CHECK_EQ(rd(SYSREG_FAR_EL2), 0x1234);
	CHECK_EQ(rd(SYSREG_ELR_EL2), 0x4000);
	CHECK_EQ(rd(SYSREG_SPSR_EL2), 0x3c9);
	CHECK_EQ(rd(SYSREG_SP_EL2), 0x8000);
}

/* the regression of the 2022 Linux design: an emulated AT at vEL2 with
 * E2H = 0 must leave its result in the live PAR_EL1 */
TEST(par_el1_stays_live_in_vel2_e2h0)
{
	uint64_t page[VNCR_PAGE_SIZE / 8];

	setup(false);
	nv_enter_vel2(&v);
	memcpy(page, v.vncr, sizeof(page));
	wr(SYSREG_PAR_EL1, 0x40001000);
	CHECK_EQ(fake_el1[NV_EL1_PAR], 0x40001000);
	CHECK(!memcmp(page, v.vncr, sizeof(page)));
	fake_el1[NV_EL1_PAR] = 0x80000801;
	CHECK_EQ(rd(SYSREG_PAR_EL1), 0x80000801);
	nv_leave_vel2(&v);
	CHECK_EQ(fake_el1[NV_EL1_PAR], 0x80000801);
	CHECK_EQ(rd(SYSREG_PAR_EL1), 0x80000801);
}

TEST(e2h1_aliases)
{
	setup(true);
	fake_el1[NV_EL1_TCR] = 0x1111;
	nv_enter_vel2(&v);
	CHECK_EQ(rd(SYSREG_TCR_EL12), 0x1111);
	wr(SYSREG_TCR_EL1, 0x2222); /* VHE: this is TCR_EL2 */
	CHECK_EQ(fake_el1[NV_EL1_TCR], 0x2222);
	CHECK_EQ(rd(SYSREG_TCR_EL2), 0x2222);
	wr(SYSREG_TCR_EL12, 0x3333);
	CHECK_EQ(vcpu_vncr(&v, VNCR_TCR_EL1), 0x3333);
	nv_leave_vel2(&v);
	CHECK_EQ(fake_el1[NV_EL1_TCR], 0x3333);
	CHECK_EQ(rd(SYSREG_TCR_EL2), 0x2222);
}

/* E2H = 1: CPTR_EL2.TCPAC/TAM have no home in CPACR_EL1 (without
 * FEAT_NV2p1): kept from the store, the rest follows the live value */
TEST(e2h1_cptr_merge)
{
	setup(true);
	nv_enter_vel2(&v);
	wr(SYSREG_CPTR_EL2, BIT(31) | (3UL << 20));
	fake_el1[NV_EL1_CPACR] = 1UL << 20; /* guest wrote CPACR_EL1 */
	CHECK_EQ(rd(SYSREG_CPTR_EL2), BIT(31) | (1UL << 20));
	CHECK_EQ(rd(SYSREG_CPACR_EL1), BIT(31) | (1UL << 20));
	nv_leave_vel2(&v);
	CHECK_EQ(v.nv.regs[NV_SLOT_CPTR_EL2], BIT(31) | (1UL << 20));
}

/* E2H written while in vEL2 (trapped or found in memory after an exit):
 * the live context is reloaded in the other layout */
TEST(e2h_change_reloads_context)
{
	uint64_t tcr = BIT(31) | BIT(23) | (2UL << 16) | 24;

	setup(false);
	fake_el1[NV_EL1_CNTKCTL] = 0x3; /* vEL1's CNTKCTL_EL1 */
	nv_enter_vel2(&v);
	wr(SYSREG_TCR_EL2, tcr);
	wr(SYSREG_CNTHCTL_EL2, 0x803);
	CHECK_EQ(fake_el1[NV_EL1_TCR], nv_tcr_el2_to_el1(tcr));
	CHECK_EQ(fake_el1[NV_EL1_CNTKCTL], 0x3);
	wr(SYSREG_HCR_EL2, NV_HCR_E2H);
	CHECK(v.nv.loaded_e2h);
	CHECK_EQ(fake_el1[NV_EL1_TCR], tcr); /* now in the E2H=1 layout */
	CHECK_EQ(fake_el1[NV_EL1_CNTKCTL], 0x803);
	CHECK_EQ(v.nv.regs[NV_SLOT_CNTKCTL_EL1], 0x3);
	/* the same through memory, as NV2 hardware would leave it */
	vcpu_vncr(&v, VNCR_HCR_EL2) = 0;
	nv_sync_e2h(&v);
	CHECK(!v.nv.loaded_e2h);
	CHECK_EQ(fake_el1[NV_EL1_TCR], nv_tcr_el2_to_el1(tcr));
	CHECK_EQ(fake_el1[NV_EL1_CNTKCTL], 0x3);
	CHECK_EQ(rd(SYSREG_CNTHCTL_EL2), 0x803);
}

TEST(tval_computed_from_cval)
{
	setup(false);
	fake_cntpct = 1000;
	wr(SYSREG_CNTHP_TVAL_EL2, 500); /* vEL1: stored CNTHP_CVAL_EL2 */
	CHECK_EQ(v.nv.regs[NV_SLOT_CNTHP_CVAL_EL2], 1500);
	fake_cntpct = 1200;
	CHECK_EQ(rd(SYSREG_CNTHP_TVAL_EL2), 300);
	fake_cntpct = 1600;
	CHECK_EQ(rd(SYSREG_CNTHP_TVAL_EL2), 0xFFFFFF9C); /* -100<31:0> */
	wr(SYSREG_CNTHP_TVAL_EL2, 0xFFFFFFFF);		 /* -1 */
	CHECK_EQ(v.nv.regs[NV_SLOT_CNTHP_CVAL_EL2], 1599);
	/* the vEL1 virtual timer counts physical - CNTVOFF_EL2 */
	wr(SYSREG_CNTVOFF_EL2, 100);
	wr(SYSREG_CNTV_TVAL_EL0, 10);
	CHECK_EQ(fake_el1[NV_EL1_CNTV_CVAL], 1510);
	/* in vEL2 the EL2 timer is live on the EL1 physical timer */
	nv_enter_vel2(&v);
	CHECK_EQ(fake_el1[NV_EL1_CNTP_CVAL], 1599);
	wr(SYSREG_CNTHP_TVAL_EL2, 1);
	CHECK_EQ(fake_el1[NV_EL1_CNTP_CVAL], 1601);
}

TEST(read_only_and_undef)
{
	uint64_t val = 5;

	setup(false);
	v.nv.regs[NV_SLOT_RVBAR_EL2] = 0x1000;
	CHECK_EQ(nv_sysreg_access(&v, SYSREG_RVBAR_EL2, true, &val),
		 NV_ACCESS_UNDEF);
	wr(SYSREG_RVBAR_EL2, 7);
	CHECK_EQ(rd(SYSREG_RVBAR_EL2), 0x1000);
	CHECK_EQ(nv_sysreg_access(&v, SYSREG_ICH_VTR_EL2, true, &val),
		 NV_ACCESS_UNDEF);
	CHECK_EQ(nv_sysreg_access(&v, SYSREG_ICH_VTR_EL2, false, &val),
		 NV_ACCESS_DONE);
	nv_enter_vel2(&v);
	CHECK_EQ(nv_sysreg_access(&v, SYSREG_SCTLR_EL12, false, &val),
		 NV_ACCESS_UNDEF);
	CHECK_EQ(nv_sysreg_access(&v, SYSREG_MIDR_EL1, false, &val),
		 NV_ACCESS_NOT_NV);
	val = 0x55;
	CHECK_EQ(nv_sysreg_access(&v, SYSREG_VTTBR_EL2 | 1u, true, &val),
		 NV_ACCESS_DONE);
	CHECK_EQ(vcpu_vncr(&v, VNCR_VTTBR_EL2), 0x55);
}

TEST(enter_leave_idempotent)
{
	setup(false);
	fake_el1[NV_EL1_VBAR] = 0x1000;
	nv_enter_vel2(&v);
	wr(SYSREG_VBAR_EL2, 0x2000);
	nv_enter_vel2(&v);
	CHECK_EQ(vcpu_vncr(&v, VNCR_VBAR_EL1), 0x1000);
	nv_leave_vel2(&v);
	nv_leave_vel2(&v);
	CHECK_EQ(fake_el1[NV_EL1_VBAR], 0x1000);
	CHECK_EQ(rd(SYSREG_VBAR_EL2), 0x2000);
}
