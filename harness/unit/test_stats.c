/* vcpu/stats.c and nv/level.c: the per-level exit accounting and its
 * episodes (include/hyp/stats.h, docs/nested.md "Accounting"), on the fake
 * EL1 registers. The exits are counted as vcpu/vcpu.c and vcpu/exit.c
 * count them (stats_exit, then stats_sync for a sync exit), the moves
 * into vEL2 and back go through nv/exception.c and nv/eret.c. */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "fake_sysregs.h"
#include "hyp/nv.h"
#include "hyp/stats.h"
#include "hyp/vcpu.h"
#include "unit.h"

static struct vcpu v;

/* HCR_EL2 bits (D24.2.62), ESR values (D24.2.46), SPSR M (C5.2.21) */
#define VM BIT(0)
#define DC BIT(12)
#define TGE BIT(27)
#define E2H BIT(34)
#define ESR_HVC 0x5a000000UL  /* EC 0x16, IL */
#define ESR_DABT 0x92000046UL /* EC 0x24, IL, WnR, level 2 translation */
#define ESR_SYS 0x62000000UL  /* EC 0x18, IL */
#define SPSR_EL1H 0x3c5UL
#define SPSR_EL2H 0x3c9UL
#define EXIT_SYNC_KIND 0
#define EXIT_IRQ_KIND 1

static void setup(uint64_t hcr)
{
	memset(&v, 0, sizeof(v));
	memset(fake_el1, 0, sizeof(fake_el1));
	nv_reset(&v, true);
	vcpu_vncr(&v, VNCR_HCR_EL2) = hcr;
	v.regs.pstate = 0x5; /* EL1h: vEL1 */
}

/* one synchronous exit with class ec at the current level, as the run
 * loop and the dispatcher count it */
static void sync_exit(unsigned ec)
{
	stats_exit(&v, EXIT_SYNC_KIND);
	stats_sync(&v.stats, ec);
}

/* the guest hypervisor's ERET from vEL2 to vEL1 (its SPSR_EL2 EL1h): a
 * trap, then the emulation */
static void eret_to_vel1(void)
{
	sync_exit(EC_ERET);
	vcpu_write_sys_reg(&v, SYSREG_SPSR_EL2, SPSR_EL1H);
	vcpu_write_sys_reg(&v, SYSREG_ELR_EL2, 0x40001000);
	nv_emulate_eret(&v);
}

static int64_t q(uint64_t what, uint64_t lvl, uint64_t reason)
{
	return stats_query(&v.stats, what, lvl, reason);
}

TEST(levels)
{
	memset(&v, 0, sizeof(v));
	CHECK_EQ(nv_level(&v), NV_LEVEL_EL1);
	setup(0);
	CHECK_EQ(nv_level(&v), NV_LEVEL_VEL1);
	vcpu_vncr(&v, VNCR_HCR_EL2) = VM;
	CHECK_EQ(nv_level(&v), NV_LEVEL_L2);
	vcpu_vncr(&v, VNCR_HCR_EL2) = DC;
	CHECK_EQ(nv_level(&v), NV_LEVEL_L2);
	v.regs.pstate = 0; /* vEL0 under L1's VM */
	CHECK_EQ(nv_level(&v), NV_LEVEL_L2);
	nv_enter_vel2(&v);
	CHECK_EQ(nv_level(&v), NV_LEVEL_VEL2);
	/* vEL0 of the EL2&0 host regime keeps the vEL2 context: vEL2 */
	setup(E2H | TGE);
	nv_enter_vel2(&v);
	v.regs.pstate = 0;
	CHECK_EQ(nv_level(&v), NV_LEVEL_VEL2);
	/* {E2H, TGE} = {1, 1}: VM is 0 (Effective value), its EL0 is L1's */
	setup(E2H | TGE | VM);
	v.regs.pstate = 0;
	CHECK_EQ(nv_level(&v), NV_LEVEL_VEL1);
}

/* Every exit is counted once in the totals and once for its level: the
 * level rows sum to the total, each level's kinds to its exits, its ECs
 * to its sync exits; MMIO and sysreg rows follow the exit's level. */
TEST(levels_sum_to_the_total)
{
	static const struct {
		enum nv_level at;
		unsigned kind, ec;
	} seq[] = {
		{ NV_LEVEL_VEL2, EXIT_SYNC_KIND, EC_SYS64 },
		{ NV_LEVEL_VEL2, EXIT_IRQ_KIND, 0 },
		{ NV_LEVEL_VEL1, EXIT_SYNC_KIND, EC_HVC64 },
		{ NV_LEVEL_L2, EXIT_SYNC_KIND, EC_DABT_LOW },
		{ NV_LEVEL_L2, 3, 0 },
		{ NV_LEVEL_L2, EXIT_SYNC_KIND, EC_DABT_LOW },
		{ NV_LEVEL_VEL1, 2, 0 },
	};
	uint64_t sum = 0, kinds, ecs;

	setup(0);
	for (unsigned i = 0; i < ARRAY_SIZE(seq); i++) {
		v.nv.in_vel2 = seq[i].at == NV_LEVEL_VEL2;
		vcpu_vncr(&v, VNCR_HCR_EL2) = seq[i].at == NV_LEVEL_L2 ? VM : 0;
		CHECK_EQ(nv_level(&v), seq[i].at);
		stats_exit(&v, seq[i].kind);
		if (seq[i].kind == EXIT_SYNC_KIND)
			stats_sync(&v.stats, seq[i].ec);
		if (seq[i].ec == EC_DABT_LOW)
			stats_mmio(&v.stats, 1);
		if (seq[i].ec == EC_SYS64)
			stats_sysreg(&v.stats, 7);
	}
	CHECK_EQ(v.stats.exits, ARRAY_SIZE(seq));
	for (unsigned l = 0; l < NV_LEVEL_NR; l++) {
		const struct stats_level *p = &v.stats.lvl[l];

		sum += p->exits;
		kinds = ecs = 0;
		for (unsigned k = 0; k < 4; k++)
			kinds += p->by_kind[k];
		for (unsigned ec = 0; ec <= EC_MAX; ec++)
			ecs += p->by_ec[ec];
		CHECKF(kinds == p->exits, "level %u", l);
		CHECKF(ecs == p->by_kind[EXIT_SYNC_KIND], "level %u", l);
		CHECK_EQ(q(STATS_Q_EXITS, l, STATS_Q_ALL), p->exits);
	}
	CHECK_EQ(sum, v.stats.exits);
	CHECK_EQ(v.stats.lvl[NV_LEVEL_EL1].exits, 0);
	CHECK_EQ(v.stats.lvl[NV_LEVEL_VEL2].exits, 2);
	CHECK_EQ(v.stats.lvl[NV_LEVEL_VEL1].exits, 2);
	CHECK_EQ(v.stats.lvl[NV_LEVEL_L2].exits, 3);
	CHECK_EQ(q(STATS_Q_EXITS, NV_LEVEL_L2, EC_DABT_LOW), 2);
	CHECK_EQ(q(STATS_Q_EXITS, NV_LEVEL_L2, STATS_Q_KIND | 3), 1);
	CHECK_EQ(q(STATS_Q_EXITS, NV_LEVEL_VEL1, STATS_Q_KIND | 2), 1);
	CHECK_EQ(q(STATS_Q_EXITS, NV_LEVEL_VEL1, EC_HVC64), 1);
	CHECK_EQ(v.stats.lvl[NV_LEVEL_L2].mmio[1], 2);
	CHECK_EQ(v.stats.mmio[1], 2);
	CHECK_EQ(v.stats.lvl[NV_LEVEL_VEL2].sysreg[7], 1);
	CHECK_EQ(v.stats.sysreg[7], 1);
	/* no episode: nothing was delivered into vEL2 */
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_VEL1, STATS_Q_ALL), 0);
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_L2, STATS_Q_ALL), 0);
}

/* An HVC at vEL1 (stage 2 off) forwarded to vEL2, two trapped register
 * accesses there, the ERET back: one vEL1 episode of 4 traps, reason EC
 * 0x16; the exits are those of vEL1 (1) and vEL2 (3). */
TEST(vel1_hvc_episode)
{
	setup(0);
	sync_exit(EC_HVC64);
	CHECK(nv_hvc_from_vel1(&v, ESR_HVC));
	CHECK_EQ(nv_level(&v), NV_LEVEL_VEL2);
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_VEL1);
	sync_exit(EC_SYS64);
	sync_exit(EC_SYS64);
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_VEL1, EC_HVC64), 0);
	eret_to_vel1();
	CHECK_EQ(nv_level(&v), NV_LEVEL_VEL1);
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_EL1); /* closed */
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_VEL1, EC_HVC64), 1);
	CHECK_EQ(q(STATS_Q_EP_TRAPS, NV_LEVEL_VEL1, EC_HVC64), 4);
	CHECK_EQ(q(STATS_Q_EP_MAX, NV_LEVEL_VEL1, 0), 4);
	CHECK_EQ(q(STATS_Q_EXITS, NV_LEVEL_VEL1, EC_HVC64), 1);
	CHECK_EQ(q(STATS_Q_EXITS, NV_LEVEL_VEL2, STATS_Q_ALL), 3);
	/* a second one, the floor: the HVC and the ERET */
	sync_exit(EC_HVC64);
	CHECK(nv_hvc_from_vel1(&v, ESR_HVC));
	eret_to_vel1();
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_VEL1, EC_HVC64), 2);
	CHECK_EQ(q(STATS_Q_EP_TRAPS, NV_LEVEL_VEL1, EC_HVC64), 6);
	CHECK_EQ(q(STATS_Q_EP_MAX, NV_LEVEL_VEL1, 0), 4);
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_VEL1, STATS_Q_ALL), 2);
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_L2, STATS_Q_ALL), 0);
}

/* An ERET that stays at vEL2 (ERET to EL2h) closes nothing; an exception
 * taken at vEL2 itself opens nothing */
TEST(vel2_to_vel2_is_no_episode)
{
	setup(0);
	nv_enter_vel2(&v);
	sync_exit(EC_UNKNOWN);
	nv_inject_sync(&v, ESR_UNDEFINED, 0, false, 0);
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_EL1);
	sync_exit(EC_HVC64);
	CHECK(nv_hvc_from_vel1(&v, ESR_HVC)); /* HVC at vEL2: its vector */
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_EL1);
	/* a vEL1 episode, then an ERET to vEL2 that does not end it */
	nv_leave_vel2(&v);
	v.regs.pstate = 0x5;
	sync_exit(EC_HVC64);
	CHECK(nv_hvc_from_vel1(&v, ESR_HVC));
	sync_exit(EC_ERET);
	vcpu_write_sys_reg(&v, SYSREG_SPSR_EL2, SPSR_EL2H);
	nv_emulate_eret(&v);
	CHECK_EQ(nv_level(&v), NV_LEVEL_VEL2);
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_VEL1);
	eret_to_vel1();
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_VEL1, STATS_Q_ALL), 1);
	CHECK_EQ(q(STATS_Q_EP_TRAPS, NV_LEVEL_VEL1, EC_HVC64), 3);
}

/* Linux's HVC from EL1 that leaves it at EL2 for good (VHE: it never
 * returns to EL1): abandoned, not counted, once its host's EL0 runs
 * ({E2H, TGE} = {1, 1}); a later vEL1 episode counts as usual */
TEST(vel1_call_that_stays_at_vel2_is_no_episode)
{
	setup(0);
	sync_exit(EC_HVC64);
	CHECK(nv_hvc_from_vel1(&v, ESR_HVC));
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_VEL1);
	for (unsigned i = 0; i < 50; i++)
		sync_exit(EC_SYS64);
	vcpu_vncr(&v, VNCR_HCR_EL2) = E2H | TGE;
	sync_exit(EC_ERET);
	vcpu_write_sys_reg(&v, SYSREG_SPSR_EL2, 0); /* EL0t */
	nv_emulate_eret(&v);
	CHECK_EQ(nv_level(&v), NV_LEVEL_VEL2);
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_EL1); /* abandoned */
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_VEL1, STATS_Q_ALL), 0);
	CHECK_EQ(q(STATS_Q_EP_TRAPS, NV_LEVEL_VEL1, STATS_Q_ALL), 0);
}

/* L2 (VM = 1) takes a data abort L1 must handle: an L2 episode with
 * reason 0x24. An nVHE L1 goes on to its host kernel at vEL1 (ERET, VM
 * cleared: not the end), which calls its vEL2 again (HVC: no new episode,
 * part of this one) to run L2; the ERET into L2 closes it with every trap
 * since the abort. */
TEST(l2_episode_through_an_nvhe_host)
{
	setup(VM);
	CHECK_EQ(nv_level(&v), NV_LEVEL_L2);
	sync_exit(EC_DABT_LOW);
	nv_inject_sync(&v, ESR_DABT, 0x1234, true, 0x12);
	CHECK_EQ(nv_level(&v), NV_LEVEL_VEL2);
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_L2);
	CHECK_EQ(v.stats.ep_reason, EC_DABT_LOW);
	sync_exit(EC_SYS64); /* L1 at vEL2: a trapped access (1) */
	vcpu_vncr(&v, VNCR_HCR_EL2) = 0;
	eret_to_vel1(); /* to its host kernel (2) */
	CHECK_EQ(nv_level(&v), NV_LEVEL_VEL1);
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_L2);
	sync_exit(EC_SYS64); /* the host kernel (3) */
	sync_exit(EC_HVC64); /* "run the vCPU" (4) */
	CHECK(nv_hvc_from_vel1(&v, ESR_HVC));
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_L2);
	stats_exit(&v, EXIT_IRQ_KIND); /* an interrupt at vEL2 (5) */
	vcpu_vncr(&v, VNCR_HCR_EL2) = VM;
	eret_to_vel1(); /* into L2 (6) */
	CHECK_EQ(nv_level(&v), NV_LEVEL_L2);
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_EL1);
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_L2, EC_DABT_LOW), 1);
	CHECK_EQ(q(STATS_Q_EP_TRAPS, NV_LEVEL_L2, EC_DABT_LOW), 7);
	CHECK_EQ(q(STATS_Q_EP_MAX, NV_LEVEL_L2, 0), 7);
	/* the host's HVC was in the L2 episode, not a vEL1 one */
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_VEL1, STATS_Q_ALL), 0);
	CHECK_EQ(q(STATS_Q_EXITS, NV_LEVEL_L2, STATS_Q_ALL), 1);
	CHECK_EQ(q(STATS_Q_EXITS, NV_LEVEL_VEL1, STATS_Q_ALL), 2);
	CHECK_EQ(q(STATS_Q_EXITS, NV_LEVEL_VEL2, STATS_Q_ALL), 4);
}

/* An interrupt for L1 while L2 runs: the IRQ exit, the injection into
 * vEL2 as the vCPU is entered again, reason IRQ; a vEL1 episode ends
 * when L2 runs (an nVHE host's "run the vCPU" hypercall) */
TEST(irq_episode_and_vel1_closed_by_l2)
{
	setup(VM);
	stats_exit(&v, EXIT_IRQ_KIND);
	nv_inject_irq(&v);
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_L2);
	CHECK_EQ(v.stats.ep_reason, STATS_REASON_IRQ);
	eret_to_vel1();
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_L2, STATS_Q_KIND | 1), 1);
	CHECK_EQ(q(STATS_Q_EP_TRAPS, NV_LEVEL_L2, STATS_Q_KIND | 1), 2);
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_L2, STATS_Q_ALL), 1);

	setup(0);
	sync_exit(EC_HVC64);
	CHECK(nv_hvc_from_vel1(&v, ESR_HVC));
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_VEL1);
	vcpu_vncr(&v, VNCR_HCR_EL2) = VM;
	eret_to_vel1();
	CHECK_EQ(nv_level(&v), NV_LEVEL_L2);
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_VEL1, EC_HVC64), 1);
	CHECK_EQ(q(STATS_Q_EP_TRAPS, NV_LEVEL_VEL1, EC_HVC64), 2);
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_EL1);
}

/* L1's ERET into L2, then an interrupt for L1 injected as the vCPU is
 * entered (before L2 ran): the ERET was the last trap of the HVC episode,
 * the interrupt's episode starts with the next trap */
TEST(irq_right_after_the_eret_into_l2)
{
	setup(VM);
	sync_exit(EC_HVC64);
	CHECK(nv_hvc_from_vel1(&v, ESR_HVC));
	eret_to_vel1();
	CHECK_EQ(q(STATS_Q_EP_TRAPS, NV_LEVEL_L2, EC_HVC64), 2);
	nv_inject_irq(&v);
	CHECK_EQ(v.stats.ep_level, NV_LEVEL_L2);
	sync_exit(EC_SYS64);
	eret_to_vel1();
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_L2, STATS_Q_KIND | 1), 1);
	CHECK_EQ(q(STATS_Q_EP_TRAPS, NV_LEVEL_L2, STATS_Q_KIND | 1), 2);
	CHECK_EQ(q(STATS_Q_EP_TRAPS, NV_LEVEL_L2, STATS_Q_ALL), 4);
	CHECK_EQ(v.stats.exits, 4);
}

TEST(query_arguments)
{
	setup(0);
	CHECK_EQ(q(STATS_Q_EXITS, NV_LEVEL_NR, STATS_Q_ALL), -2);
	CHECK_EQ(q(STATS_Q_EXITS, NV_LEVEL_VEL2, EC_MAX + 1), -2);
	CHECK_EQ(q(STATS_Q_EXITS, NV_LEVEL_VEL2, STATS_Q_KIND | 4), -2);
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_VEL2, STATS_Q_ALL), -2);
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_EL1, STATS_Q_ALL), -2);
	CHECK_EQ(q(STATS_Q_EPISODES, NV_LEVEL_L2, STATS_Q_KIND), -2);
	CHECK_EQ(q(STATS_Q_EP_TRAPS, NV_LEVEL_L2, STATS_Q_KIND | 4), -2);
	CHECK_EQ(q(4, NV_LEVEL_L2, 0), -2);
	CHECK_EQ(q(STATS_Q_EP_MAX, NV_LEVEL_L2, 0), 0);
}
