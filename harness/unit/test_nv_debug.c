/* nv/debug.c: MDSCR_EL1 for the level that runs (docs/nv.md "Self-hosted
 * debug"). Expectations from D24.3.20 (MDSCR_EL1, one register for EL1
 * and EL2), D8.14.6.2 (its VNCR slot 0x158 for either NV1) and
 * AArch64.GenerateDebugExceptionsFrom (EL_D = EL2 when MDCR_EL2.TDE or
 * HCR_EL2.TGE; from EL_D only with KDE; never to a lower EL). */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "fake_sysregs.h"
#include "hyp/vcpu.h"
#include "unit.h"

static struct vcpu v;

#define SS BIT(0)
#define TDCC BIT(12)
#define KDE BIT(13)
#define MDE BIT(15)
#define TDE BIT(8)
#define E2H BIT(34)
#define TGE BIT(27)

static void setup(uint64_t hcr, uint64_t mdcr, uint64_t live)
{
	memset(&v, 0, sizeof(v));
	memset(fake_el1, 0, sizeof(fake_el1));
	nv_reset(&v, true);
	vcpu_vncr(&v, VNCR_HCR_EL2) = hcr;
	vcpu_write_sys_reg(&v, SYSREG_MDCR_EL2, mdcr);
	fake_mdscr = live;
	fake_mdscr_writes = 0;
}

/* the guest at vEL2 writes its MDSCR_EL1: NV2 puts it in the slot */
static void guest_writes_at_vel2(uint64_t val)
{
	vcpu_vncr(&v, VNCR_MDSCR_EL1) = val;
}

/* at vEL2 the slot is applied; KDE only with EL_D = EL2 */
TEST(vel2_applies_the_slot)
{
	static const struct {
		uint64_t hcr, mdcr, want;
	} cases[] = {
		{ 0, TDE, SS | KDE | MDE | TDCC },	 /* EL_D = EL2 */
		{ E2H, TDE, SS | KDE | MDE | TDCC },	 /* both E2H */
		{ E2H | TGE, 0, SS | KDE | MDE | TDCC }, /* TGE: EL_D = EL2 */
		{ 0, 0, SS | MDE | TDCC }, /* EL_D = EL1: no KDE */
		{ E2H, 0, SS | MDE | TDCC },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		setup(cases[i].hcr, cases[i].mdcr, 0);
		nv_enter_vel2(&v);
		nv_load_debug(&v);
		guest_writes_at_vel2(SS | KDE | MDE | TDCC);
		nv_load_debug(&v);
		CHECKF(fake_mdscr == cases[i].want, "case %u: 0x%lx", i,
		       fake_mdscr);
		/* the guest reads what it wrote */
		CHECKF(vcpu_vncr(&v, VNCR_MDSCR_EL1) == (SS | KDE | MDE | TDCC),
		       "case %u", i);
		/* nothing changed: no write */
		fake_mdscr_writes = 0;
		nv_load_debug(&v);
		CHECKF(fake_mdscr_writes == 0, "case %u", i);
		/* its MDCR_EL2.TDE changes (a trapped write): reapplied,
		 * unless TGE keeps EL_D at EL2 */
		vcpu_write_sys_reg(&v, SYSREG_MDCR_EL2, cases[i].mdcr ^ TDE);
		nv_load_debug(&v);
		CHECKF(
		    fake_mdscr_writes == (cases[i].hcr & TGE ? 0 : 1) &&
			(fake_mdscr & KDE) ==
			    ((cases[i].hcr & TGE) || !cases[i].mdcr ? KDE : 0),
		    "case %u: 0x%lx", i, fake_mdscr);
	}
}

/* one register, two homes: vEL1's value is what the guest reads in its
 * slot after an exception into vEL2; what it wrote there is the register
 * its vEL1 runs with (KDE as written) */
TEST(level_changes_move_the_value)
{
	for (unsigned e2h = 0; e2h < 2; e2h++) {
		setup(e2h ? E2H : 0, 0, 0);
		/* at vEL1 nothing is loaded: the live register is its own */
		fake_mdscr = KDE | MDE;
		nv_load_debug(&v);
		CHECK_EQ(fake_mdscr_writes, 0);
		/* an exception into vEL2 */
		nv_enter_vel2(&v);
		nv_load_debug(&v);
		CHECK_EQ(vcpu_vncr(&v, VNCR_MDSCR_EL1), KDE | MDE);
		CHECK_EQ(fake_mdscr, MDE); /* EL_D = EL1 at vEL2 */
		/* the guest hypervisor sets its guest's MDSCR and ERETs */
		guest_writes_at_vel2(SS | KDE);
		nv_leave_vel2(&v);
		nv_load_debug(&v);
		CHECK_EQ(fake_mdscr, SS | KDE);
		/* vEL1 changes it directly */
		fake_mdscr = MDE;
		nv_load_debug(&v);
		CHECK_EQ(fake_mdscr, MDE);
		nv_enter_vel2(&v);
		nv_load_debug(&v);
		CHECK_EQ(vcpu_vncr(&v, VNCR_MDSCR_EL1), MDE);
	}
}

/* a vCPU that starts at vEL2 takes the register's value into its slot */
TEST(start_at_vel2)
{
	setup(0, TDE, SS);
	nv_enter_vel2(&v);
	nv_load_debug(&v);
	CHECK_EQ(vcpu_vncr(&v, VNCR_MDSCR_EL1), SS);
	CHECK_EQ(fake_mdscr, SS);
	CHECK_EQ(fake_mdscr_writes, 1);
}

/* a plain guest: its MDSCR_EL1 is its own, never touched */
TEST(plain_guest_untouched)
{
	setup(0, 0, SS | KDE);
	nv_reset(&v, false);
	nv_load_debug(&v);
	CHECK_EQ(fake_mdscr, SS | KDE);
	CHECK_EQ(fake_mdscr_writes, 0);
}
