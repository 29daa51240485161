/* nv/hcr.c: the guest's virtual HCR_EL2 bit by bit, and the real HCR_EL2
 * hypnest composes from it; nv/eret.c's refusal of a vEL1 under the
 * guest's own stage 2. Bit positions from the Arm ARM, D24.2.62 HCR_EL2;
 * the virtual interrupts' enables from D1.4.6 (R_BCXJB, R_CDCKC,
 * I_YPRNB). */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "fake_sysregs.h"
#include "hyp/nv_hcr.h"
#include "hyp/nv_l2.h"
#include "hyp/vcpu.h"
#include "hyp/vm.h"
#include "unit.h"

static struct vcpu v;
static struct vm vm;

/* hypnest's own controls for an EL1 guest (vm/vm.c HCR_GUEST): VM, SWIO,
 * FMO, IMO, AMO, BSU = IS, TWI, TID3, TSC, TIDCP, RW, APK, API */
#define OWN                                                                    \
	(BIT(0) | BIT(1) | BIT(3) | BIT(4) | BIT(5) | (1UL << 10) | BIT(13) |  \
	 BIT(18) | BIT(19) | BIT(20) | BIT(31) | BIT(40) | BIT(41))
#define FMO BIT(3)
#define IMO BIT(4)
#define AMO BIT(5)
#define VF BIT(6)
#define VI BIT(7)
#define VSE BIT(8)
#define FB BIT(9)
#define BSU(x) ((uint64_t)(x) << 10)
#define TWI BIT(13)
#define TWE BIT(14)
#define TID3 BIT(18)
#define TVM BIT(26)
#define TGE BIT(27)
#define RW BIT(31)
#define E2H BIT(34)
#define APK BIT(40)
#define API BIT(41)
#define NV BIT(42)
#define NV1 BIT(43)
#define NV2 BIT(45)
#define TWEDEN BIT(59)
#define TWEDEL(x) ((uint64_t)(x) << 60)

enum level { VEL2, VEL1, VEL0, VEL0_HOST };

static void at(enum level l, uint64_t hcr)
{
	memset(&v, 0, sizeof(v));
	memset(fake_el1, 0, sizeof(fake_el1));
	nv_reset(&v, true);
	vm.hcr = OWN;
	v.vm = &vm;
	vcpu_vncr(&v, VNCR_HCR_EL2) = hcr;
	if (l == VEL2 || l == VEL0_HOST)
		nv_enter_vel2(&v);
	v.regs.pstate = (l == VEL2 || l == VEL1) ? 0x3c5 : 0;
	v.regs.pc = 0x40201000;
}

static uint64_t real(enum level l, uint64_t hcr)
{
	at(l, hcr);
	return nv_hcr(&v);
}

/* ---- the table ---- */

/* every bit, 0 to 63, in exactly one row, in order */
TEST(every_bit_has_exactly_one_policy)
{
	unsigned next = 0;
	uint64_t all = 0;

	for (unsigned i = 0; i < nv_hcr_fields_len; i++) {
		const struct nv_hcr_field *f = &nv_hcr_fields[i];
		uint64_t m = GENMASK(f->lsb + f->width - 1, f->lsb);

		CHECK_EQ(f->lsb, next);
		CHECK(f->width >= 1 && f->lsb + f->width <= 64);
		CHECK(f->policy < NV_HCR_NR_POLICIES);
		CHECK(f->name && f->name[0] && f->why && f->why[0]);
		CHECK_EQ(all & m, 0);
		all |= m;
		next = f->lsb + f->width;
	}
	CHECK_EQ(next, 64);
	CHECK_EQ(all, ~0UL);
}

TEST(policy_masks_partition_the_register)
{
	uint64_t all = 0;

	for (unsigned p = 0; p < NV_HCR_NR_POLICIES; p++) {
		uint64_t m = nv_hcr_policy_mask((enum nv_hcr_policy)p);

		CHECK_EQ(all & m, 0);
		all |= m;
	}
	CHECK_EQ(all, ~0UL);
}

static unsigned policy_of(unsigned bit)
{
	for (unsigned i = 0; i < nv_hcr_fields_len; i++)
		if (bit >= nv_hcr_fields[i].lsb &&
		    bit < nv_hcr_fields[i].lsb + nv_hcr_fields[i].width)
			return nv_hcr_fields[i].policy;
	return NV_HCR_NR_POLICIES;
}

/* a few rows against the Arm ARM's bit positions */
TEST(rows_name_the_architected_bits)
{
	CHECK_EQ(policy_of(0), NV_HCR_STAGE2);	  /* VM */
	CHECK_EQ(policy_of(7), NV_HCR_EMULATED);  /* VI */
	CHECK_EQ(policy_of(11), NV_HCR_PASS);	  /* BSU[1] */
	CHECK_EQ(policy_of(13), NV_HCR_TRAP);	  /* TWI */
	CHECK_EQ(policy_of(15), NV_HCR_RES0);	  /* TID0: AArch32 */
	CHECK_EQ(policy_of(27), NV_HCR_EMULATED); /* TGE */
	CHECK_EQ(policy_of(31), NV_HCR_OWN);	  /* RW */
	CHECK_EQ(policy_of(39), NV_HCR_RES0);
	CHECK_EQ(policy_of(40), NV_HCR_INVERTED); /* APK */
	CHECK_EQ(policy_of(41), NV_HCR_INVERTED); /* API */
	CHECK_EQ(policy_of(44), NV_HCR_OWN);	  /* AT */
	CHECK_EQ(policy_of(56), NV_HCR_RES0);	  /* ATA: MTE hidden */
	CHECK_EQ(policy_of(63), NV_HCR_PASS);	  /* TWEDEL[3] */
}

/* ---- the real HCR_EL2 ---- */

TEST(at_vel2_hypnest_own_and_nv_bits_only)
{
	/* AT always (its AT S1E1*, S1E0* name its vEL1 regime); TTLB unless
	 * {E2H, TGE} = {1, 1} (its EL1 TLBIs are then its own regime's; the
	 * vEL1 VMID is flushed at the next ERET to vEL1 instead) */
	const uint64_t at = BIT(44), ttlb = BIT(25);

	CHECK_EQ(real(VEL2, 0), OWN | NV | NV2 | NV1 | at | ttlb);
	CHECK_EQ(real(VEL2, E2H), OWN | NV | NV2 | at | ttlb);
	/* its own controls are for what runs below its EL2 */
	CHECK_EQ(real(VEL2, TWE | TVM | VI | IMO | TGE),
		 OWN | NV | NV2 | NV1 | at | ttlb);
	/* vEL0 in the EL2&0 regime: the vEL2 configuration, no TTLB */
	CHECK_EQ(real(VEL0_HOST, E2H | TGE | TWI | TWE), OWN | NV | NV2 | at);
	CHECK_EQ(real(VEL2, E2H | TGE), OWN | NV | NV2 | at);
}

/* once it has run an L2, its host regime's TLBIs trap too (they may be
 * for its L2, issued after TGE was cleared in memory), and no deferred
 * flush is needed */
TEST(ttlb_in_the_host_regime_once_l2_ran)
{
	const uint64_t at = BIT(44), ttlb = BIT(25);

	vm.l2_ran = true;
	CHECK_EQ(real(VEL2, E2H | TGE), OWN | NV | NV2 | at | ttlb);
	vm.l2_ran = false;
	CHECK_EQ(real(VEL2, E2H | TGE), OWN | NV | NV2 | at);
}

TEST(at_vel1_trap_bits_are_carried)
{
	CHECK_EQ(real(VEL1, API | APK), OWN);
	CHECK_EQ(real(VEL1, API | APK | TWE | TVM), OWN | TWE | TVM);
	CHECK_EQ(real(VEL0, API | APK | TWE), OWN | TWE);
	CHECK_EQ(real(VEL1, API | APK | TID3), OWN);
}

/* a feature-dependent control the CPU lacks is RES0 in the real HCR_EL2:
 * the guest's 1 never reaches it (FEAT_EVT's TID4 49, TTLBIS 54; FEAT_LOR's
 * TLOR 35) */
TEST(controls_of_features_the_cpu_lacks_are_not_carried)
{
	const uint64_t k = API | APK, tid4 = BIT(49), ttlbis = BIT(54);
	const uint64_t tlor = BIT(35);

	CHECK_EQ(real(VEL1, k | tid4 | ttlbis | tlor),
		 OWN | tid4 | ttlbis | tlor);
	fake_hcr_implemented = ~(ttlbis | tlor);
	CHECK_EQ(real(VEL1, k | tid4 | ttlbis | tlor | TWE), OWN | tid4 | TWE);
	fake_hcr_implemented = ~0UL;
}

/* a 1 in a RES0 or OWN bit changes nothing; EMULATED bits only through
 * what they emulate */
TEST(res0_own_bits_have_no_effect)
{
	uint64_t quiet =
	    nv_hcr_policy_mask(NV_HCR_RES0) | nv_hcr_policy_mask(NV_HCR_OWN);

	CHECK_EQ(real(VEL1, quiet | API | APK), OWN);
	CHECK_EQ(real(VEL0, quiet | API | APK), OWN);
	CHECK_EQ(real(VEL1, API | APK | E2H), OWN);
}

/* its stage 2's controls (VM, PTW, DC, CD, ID) reach the real HCR_EL2 at
 * its vEL1/vEL0, where its L2 runs on the shadow; never at vEL2; FWB is
 * RES0 (FEAT_S2FWB hidden) */
TEST(stage2_bits_are_carried_below_vel2)
{
	uint64_t s2 = nv_hcr_policy_mask(NV_HCR_STAGE2);

	CHECK_EQ(s2, BIT(0) | BIT(2) | BIT(12) | BIT(32) | BIT(33));
	CHECK_EQ(real(VEL1, s2 | API | APK), OWN | s2);
	CHECK_EQ(real(VEL0, s2 | API | APK), OWN | s2);
	CHECK_EQ(real(VEL2, s2) & (BIT(2) | BIT(12) | BIT(32) | BIT(33)), 0);
	/* without VM or DC its stage 2 is off: CD, ID, PTW do nothing (the
	 * real VM is hypnest's, always 1: they must not reach it) */
	CHECK_EQ(real(VEL1, BIT(2) | BIT(32) | BIT(33) | API | APK), OWN);
	CHECK_EQ(real(VEL1, BIT(46) | API | APK), OWN);
}

TEST(inverted_api_apk_replace_hypnests)
{
	CHECK_EQ(real(VEL1, 0), OWN & ~(API | APK));
	CHECK_EQ(real(VEL1, API), OWN & ~APK);
	CHECK_EQ(real(VEL0, APK), OWN & ~API);
	CHECK_EQ(real(VEL2, 0) & (API | APK), API | APK);
}

TEST(pass_bits_fb_twed_and_the_stronger_bsu)
{
	const uint64_t base = OWN & ~BSU(3);

	CHECK_EQ(real(VEL1, API | APK | FB), OWN | FB);
	CHECK_EQ(real(VEL1, API | APK | TWE | TWEDEN | TWEDEL(9)),
		 OWN | TWE | TWEDEN | TWEDEL(9));
	CHECK_EQ(real(VEL1, API | APK | BSU(0)), base | BSU(1));
	CHECK_EQ(real(VEL1, API | APK | BSU(2)), base | BSU(2));
	CHECK_EQ(real(VEL1, API | APK | BSU(3)), base | BSU(3));
	vm.hcr = OWN & ~BSU(3);
	v.vm = &vm;
	CHECK_EQ(nv_hcr(&v) & BSU(3), BSU(3));
}

/* VI/VF/VSE pend a virtual interrupt for vEL1/vEL0 only when IMO/FMO/
 * AMO enable it and TGE is 0 */
TEST(virtual_interrupts_need_their_enable)
{
	const uint64_t k = API | APK;

	CHECK_EQ(real(VEL1, k | IMO | VI), OWN | VI);
	CHECK_EQ(real(VEL1, k | VI), OWN);
	CHECK_EQ(real(VEL1, k | FMO | VI), OWN);
	CHECK_EQ(real(VEL1, k | FMO | VF), OWN | VF);
	CHECK_EQ(real(VEL1, k | IMO | VF), OWN);
	CHECK_EQ(real(VEL1, k | AMO | VSE), OWN | VSE);
	CHECK_EQ(real(VEL1, k | VSE), OWN);
	CHECK_EQ(real(VEL0, k | IMO | FMO | AMO | VI | VF | VSE),
		 OWN | VI | VF | VSE);
	/* TGE = 1 disables them (and forces IMO/FMO/AMO with E2H = 0) */
	CHECK_EQ(real(VEL0, k | TGE | IMO | FMO | AMO | VI | VF | VSE) &
		     (VI | VF | VSE),
		 0);
	/* never at vEL2 */
	CHECK_EQ(real(VEL2, k | IMO | VI) & VI, 0);
}

/* {E2H, TGE} = {0, 1}: the vEL0 runs with the real TGE */
TEST(tge_with_e2h0_at_vel0_sets_the_real_tge)
{
	CHECK_EQ(real(VEL0, API | APK | TGE), OWN | TGE);
	CHECK_EQ(real(VEL0, API | APK | TGE | TWI), OWN | TGE | TWI);
	CHECK_EQ(real(VEL1, API | APK | TGE) & TGE, 0);
	CHECK_EQ(real(VEL0, API | APK) & TGE, 0);
}

TEST(effective_values_under_tge)
{
	at(VEL0, TGE | TID3 | TWI | VI);
	CHECK_EQ(nv_guest_hcr_eff(&v), TGE | TWI | IMO | FMO | AMO);
	at(VEL0_HOST, E2H | TGE | TWI | TWE | IMO | TID3 | API);
	CHECK_EQ(nv_guest_hcr_eff(&v), E2H | TGE | API | RW);
	at(VEL1, TID3 | TWI);
	CHECK_EQ(nv_guest_hcr_eff(&v), TID3 | TWI);
}

/* I_YPRNB: taking the virtual SError clears HCR_EL2.VSE: the guest's too */
TEST(vse_taken_by_the_hardware_is_cleared_in_the_guests)
{
	at(VEL1, AMO | VSE);
	v.el2_hw.hcr = nv_hcr(&v);
	fake_hcr_el2 = v.el2_hw.hcr & ~VSE; /* taken */
	nv_hcr_exit(&v);
	CHECK_EQ(vcpu_vncr(&v, VNCR_HCR_EL2), AMO);
	CHECK_EQ(nv_hcr(&v) & VSE, 0);

	at(VEL1, AMO | VSE);
	v.el2_hw.hcr = nv_hcr(&v);
	fake_hcr_el2 = v.el2_hw.hcr; /* still pending (masked) */
	nv_hcr_exit(&v);
	CHECK_EQ(vcpu_vncr(&v, VNCR_HCR_EL2), AMO | VSE);

	/* not set by hypnest at the last entry: nothing to fold back */
	at(VEL1, VSE);
	v.el2_hw.hcr = nv_hcr(&v);
	fake_hcr_el2 = 0;
	nv_hcr_exit(&v);
	CHECK_EQ(vcpu_vncr(&v, VNCR_HCR_EL2), VSE);
}

/* ---- nv/eret.c and el2_hw.c: a vEL1 under the guest's own stage 2 (L2)
 * runs on the shadow of that stage 2 ---- */

#define VM BIT(0)
#define DC BIT(12)
#define ELR2 0x40300000UL

static void eret_to(uint64_t hcr, uint64_t spsr)
{
	at(VEL2, hcr);
	vcpu_write_sys_reg(&v, SYSREG_SPSR_EL2, spsr);
	vcpu_write_sys_reg(&v, SYSREG_ELR_EL2, ELR2);
	nv_emulate_eret(&v);
}

/* the real VTTBR_EL2 for the level (nv_el2_hw) */
static uint64_t real_vttbr(void)
{
	struct el2_hw hw = { 0 };

	nv_el2_hw(&v, &hw, false);
	return hw.vttbr;
}

TEST(eret_to_vel1_with_vm_enters_l2_on_the_shadow)
{
	eret_to(VM, 0x3c5); /* EL1h */
	CHECK(!v.nv.in_vel2 && nv_in_l2(&v));
	CHECK_EQ(v.regs.pc, ELR2);
	CHECK_EQ(v.regs.pstate & 0xf, 0x5);
	CHECK_EQ(v.regs.pstate & BIT(20), 0); /* no PSTATE.IL */
	CHECK_EQ(real_vttbr(), FAKE_L2_VTTBR);
	eret_to(DC, 0x3c4); /* EL1t, DC turns its stage 2 on too */
	CHECK(nv_in_l2(&v) && !(v.regs.pstate & BIT(20)));
	CHECK_EQ(real_vttbr(), FAKE_L2_VTTBR);
	eret_to(VM, 0x3c0); /* EL0t below vEL1 */
	CHECK(nv_in_l2(&v) && !(v.regs.pstate & BIT(20)));
	/* E2H = 0, TGE: VM still in effect, but EL1 is illegal with TGE */
	eret_to(VM | TGE, 0x3c0);
	CHECK(nv_in_l2(&v) && !(v.regs.pstate & BIT(20)));
	eret_to(VM | TGE, 0x3c5);
	CHECK(v.nv.in_vel2 && (v.regs.pstate & BIT(20)));
	CHECK(!nv_in_l2(&v)); /* vEL2 is never L2 */
}

TEST(eret_without_stage2_or_to_el2_or_el2_host_runs)
{
	eret_to(0, 0x3c5);
	CHECK(!v.nv.in_vel2 && !nv_in_l2(&v));
	CHECK_EQ(v.regs.pstate & BIT(20), 0);
	CHECK_EQ(real_vttbr(), v.vm->vttbr); /* its stage 2 off: hypnest's */
	eret_to(VM, 0x3c9);		     /* to vEL2 itself */
	CHECK(v.nv.in_vel2);
	CHECK_EQ(v.regs.pstate & BIT(20), 0);
	eret_to(VM | E2H | TGE, 0x3c0); /* EL2&0: VM's Effective value 0 */
	CHECK(v.nv.in_vel2 && !nv_in_l2(&v));
	CHECK_EQ(v.regs.pstate & BIT(20), 0);
}

/* at vEL2 with {E2H, TGE} = {1, 1} TTLB is clear; a TLBI it then issues
 * untrapped after clearing TGE in memory may miss its vEL1's VMID, so the
 * next ERET into its vEL1 (only that one) invalidates the vEL1 VMID */
TEST(vel1_vmid_flushed_after_running_with_ttlb_clear)
{
	struct el2_hw hw = { 0 };
	unsigned before;

	at(VEL2, E2H | TGE);
	CHECK_EQ(nv_hcr(&v) & BIT(25), 0); /* TTLB */
	nv_el2_hw(&v, &hw, false);	   /* an entry at vEL2, host */
	CHECK(v.nv.vel1_tlbi_unseen);
	vcpu_vncr(&v, VNCR_HCR_EL2) = E2H; /* TGE cleared, no trap */
	vcpu_write_sys_reg(&v, SYSREG_SPSR_EL2, 0x3c5);
	vcpu_write_sys_reg(&v, SYSREG_ELR_EL2, ELR2);
	before = fake_vel1_flushes;
	nv_emulate_eret(&v);
	CHECK(!v.nv.in_vel2);
	CHECK_EQ(fake_vel1_flushes, before + 1);
	CHECK(!v.nv.vel1_tlbi_unseen);
	/* entered with TGE = 0: TTLB set, nothing to flush later */
	at(VEL2, E2H);
	CHECK_EQ(nv_hcr(&v) & BIT(25), BIT(25));
	nv_el2_hw(&v, &hw, false);
	CHECK(!v.nv.vel1_tlbi_unseen);
	vcpu_write_sys_reg(&v, SYSREG_SPSR_EL2, 0x3c5);
	vcpu_write_sys_reg(&v, SYSREG_ELR_EL2, ELR2);
	before = fake_vel1_flushes;
	nv_emulate_eret(&v);
	CHECK_EQ(fake_vel1_flushes, before);
}

/* a physical SError from L2 is its vEL2's with its Effective AMO
 * (D24.2.62), else the guest's end; from L1 itself always the latter */
TEST(serror_from_l2_goes_to_vel2_with_amo)
{
	at(VEL1, VM | AMO);
	CHECK(nv_in_l2(&v) && nv_serror_to_vel2(&v));
	at(VEL0, VM | AMO);
	CHECK(nv_serror_to_vel2(&v));
	at(VEL1, VM);
	CHECK(!nv_serror_to_vel2(&v));
	at(VEL0, VM | TGE); /* E2H = 0, TGE: AMO in effect */
	CHECK(nv_in_l2(&v) && nv_serror_to_vel2(&v));
	at(VEL1, AMO); /* its stage 2 off: L1's own vEL1 */
	CHECK(!nv_serror_to_vel2(&v));
	at(VEL2, VM | AMO);
	CHECK(!nv_serror_to_vel2(&v));
	at(VEL0_HOST, VM | AMO | E2H | TGE);
	CHECK(!nv_serror_to_vel2(&v));
}
