/* hypnest's per-level exit accounting read back by a guest hypervisor
 * through the vendor call HYPNEST_LEVEL_COUNT (SMC 0x86000002 from its
 * EL2; docs/nested.md "Accounting"): at (virtual) EL2 with HCR_EL2.E2H = 0
 * and VM = 0, a vEL1 payload makes N_HVC HVCs, each taken at EL2's
 * lower-EL vector and returned from by ERET.
 *  - its queries are SMC exits counted at vEL2, one each; a nested guest
 *    never runs as a plain EL1 guest, nor as L2 (VM = 0);
 *  - the levels sum to the total exits (HYPNEST_TRAP_COUNT 0xffff);
 *  - the vEL1 HVC exits are N_HVC and the payload's exit HVC;
 *  - each HVC returned from is a closed vEL1 episode of exactly 2 traps
 *    (the HVC, the ERET: the floor); the exit HVC's episode stays open
 *    while EL2 runs, and the next ERET into vEL1 closes it with every
 *    trap taken since, which the total exits account for exactly;
 *  - arguments out of range answer INVALID_PARAMETERS.
 * Under hypnest only (bare QEMU has no vendor call). */
#include "payload.h"

#define HYPNEST_LEVEL_COUNT 0x86000002UL
#define Q_EXITS 0
#define Q_EPISODES 1
#define Q_EP_TRAPS 2
#define Q_EP_MAX 3
#define Q_KIND 0x100
#define Q_ALL 0xffff
#define LVL_EL1 0
#define LVL_VEL2 1
#define LVL_VEL1 2
#define LVL_L2 3
#define EC_SMC64 0x17
#define INVALID_PARAMETERS ((uint64_t)-2)

#define N_HVC 100
#define HVC_COUNTED 0x33

static volatile unsigned hvcs_taken;

static uint64_t q(uint64_t what, uint64_t lvl, uint64_t reason)
{
	return gt_smc(HYPNEST_LEVEL_COUNT, what, lvl, reason);
}

static uint64_t total_exits(void)
{
	return gt_smc(HYPNEST_TRAP_COUNT, 0xffff, 0, 0);
}

/* n HVCs, then the exit */
static __attribute__((noinline, noreturn)) void p_hvcs(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		register uint64_t x0 __asm__("x0") = 0;

		__asm__ volatile("hvc #" STR(HVC_COUNTED) : "+r"(x0)::"memory");
	}
	payload_exit();
}

static uint64_t lower(uint64_t vector, uint64_t esr, uint64_t far, uint64_t elr,
		      struct gt_frame *f)
{
	if (vector == VEC_LOWER_SYNC && EC(esr) == EC_HVC64 &&
	    ISS(esr) == HVC_COUNTED) {
		hvcs_taken++;
		return elr; /* after the HVC */
	}
	if (seen_record(vector, esr, far, elr, f))
		return gt_lower_exit(f);
	return give_up(f);
}

/* the payload of n HVCs; *after: the total exits read as it returned
 * (before anything printed) */
static bool run(const char *name, uint64_t n, uint64_t *after)
{
	uint64_t ret;

	seen_reset();
	hvcs_taken = 0;
	ret = run_payload(name, p_hvcs, n, SPSR_EL1H, HCR_RW);
	*after = total_exits();
	return payload_ran(name, ret, true) && seen.n == 0;
}

static void test_queries_at_vel2(void)
{
	uint64_t a, b, t, l[4];

	a = q(Q_EXITS, LVL_VEL2, EC_SMC64);
	b = q(Q_EXITS, LVL_VEL2, EC_SMC64);
	CHECK_EQ(b - a, 1, "a query is one SMC exit at vEL2");
	CHECK_EQ(q(Q_EXITS, LVL_EL1, Q_ALL), 0, "no exit as a plain EL1 guest");
	CHECK_EQ(q(Q_EXITS, LVL_L2, Q_ALL), 0, "no L2 exit with VM = 0");
	a = q(Q_EXITS, LVL_VEL2, Q_KIND | 0);
	b = q(Q_EXITS, LVL_VEL2, Q_KIND | 0);
	CHECK_EQ(b - a, 1, "sync exits at vEL2 by kind");
	/* each query is counted at vEL2 before it answers: at the vEL2
	 * query the total is t + 2, and the other levels stand still */
	t = total_exits();
	l[0] = q(Q_EXITS, LVL_EL1, Q_ALL);
	l[1] = q(Q_EXITS, LVL_VEL2, Q_ALL);
	l[2] = q(Q_EXITS, LVL_VEL1, Q_ALL);
	l[3] = q(Q_EXITS, LVL_L2, Q_ALL);
	gt_check(l[0] + l[1] + l[2] + l[3] == t + 2,
		 "the levels sum to the total exits",
		 "EL1 %lu vEL2 %lu vEL1 %lu L2 %lu, total %lu + 2",
		 (unsigned long)l[0], (unsigned long)l[1], (unsigned long)l[2],
		 (unsigned long)l[3], (unsigned long)t);
}

static void test_episodes(void)
{
	uint64_t h0, e0, t0, h1, e1, t1, e2, t2, x1, x3, ep_open;

	h0 = q(Q_EXITS, LVL_VEL1, EC_HVC64);
	e0 = q(Q_EPISODES, LVL_VEL1, EC_HVC64);
	t0 = q(Q_EP_TRAPS, LVL_VEL1, EC_HVC64);
	/* x1: after the exit HVC, its episode open */
	if (!run("HVC payload ran to its exit", N_HVC, &x1))
		return;
	CHECK_EQ(hvcs_taken, N_HVC, "EL2 took every HVC");
	h1 = q(Q_EXITS, LVL_VEL1, EC_HVC64);
	e1 = q(Q_EPISODES, LVL_VEL1, EC_HVC64);
	t1 = q(Q_EP_TRAPS, LVL_VEL1, EC_HVC64);
	CHECK_EQ(h1 - h0, N_HVC + 1,
		 "vEL1 HVC exits: the payload's and its exit HVC");
	CHECK_EQ(e1 - e0, N_HVC,
		 "one closed vEL1 episode per HVC returned from");
	CHECK_EQ(t1 - t0, 2 * N_HVC,
		 "2 hypnest traps each: the HVC and the ERET back");
	gt_printf("note: %lu hypnest traps per vEL1 HVC handled at vEL2\n",
		  (unsigned long)((t1 - t0) / (e1 - e0 ? e1 - e0 : 1)));
	CHECK_EQ(q(Q_EPISODES, LVL_L2, Q_ALL), 0, "no L2 episode with VM = 0");

	/* the exit HVC's episode: closed by the ERET into the next
	 * payload; from the exit HVC (x1 - 2: the ERET to EL2 and the query
	 * came after it) to that ERET (x3 - 3: the exit HVC, the ERET to EL2
	 * and the query came after it), every trap is the episode's */
	if (!run("exit-only payload ran to its exit", 0, &x3))
		return;
	e2 = q(Q_EPISODES, LVL_VEL1, EC_HVC64);
	t2 = q(Q_EP_TRAPS, LVL_VEL1, EC_HVC64);
	ep_open = t2 - t1;
	CHECK_EQ(e2 - e1, 1, "the open episode closed by the next ERET");
	gt_check(ep_open == x3 - x1 && ep_open > 2,
		 "its traps are all hypnest took from its HVC to that ERET",
		 "%lu traps, %lu exits in between", (unsigned long)ep_open,
		 (unsigned long)(x3 - x1));
	gt_check(q(Q_EP_MAX, LVL_VEL1, 0) >= ep_open,
		 "the largest episode is at least that one", "max %lu",
		 (unsigned long)q(Q_EP_MAX, LVL_VEL1, 0));
}

static void test_bad_arguments(void)
{
	CHECK_EQ(q(Q_EXITS, 4, Q_ALL), INVALID_PARAMETERS, "level 4");
	CHECK_EQ(q(Q_EXITS, LVL_VEL2, 0x40), INVALID_PARAMETERS, "EC 0x40");
	CHECK_EQ(q(Q_EPISODES, LVL_VEL2, Q_ALL), INVALID_PARAMETERS,
		 "vEL2 has no episodes");
	CHECK_EQ(q(4, LVL_L2, Q_ALL), INVALID_PARAMETERS, "what 4");
}

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	(void)dtb;
	el2_start(HCR_RW, lower);
	WR(vbar_el1, (uintptr_t)gt_vectors);
	WR(sctlr_el1, SCTLR_EL1_RES1);
	isb();
	test_queries_at_vel2();
	test_episodes();
	test_bad_arguments();
	gt_set_lower_handler(NULL);
	gt_done();
}
