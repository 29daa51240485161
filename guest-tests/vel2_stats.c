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
 *  - then the same with its stage 2 on (VM = 1: an identity map of its
 *    RAM, 1-2 GiB, in 2 MiB blocks), the payload is L2: its N_HVC HVCs
 *    and N_MMIO loads from an IPA the stage 2 does not map (the stage-2
 *    abort goes to EL2, which emulates the load) are L2 exits, each an L2
 *    episode of exactly 2 traps, by reason (EC 0x16, EC 0x24);
 *  - arguments out of range answer INVALID_PARAMETERS.
 * Under hypnest only (bare QEMU has no vendor call). */
#include "payload.h"
#include "stage2.h"

#define HYPNEST_LEVEL_COUNT 0x86000002UL
#define Q_EXITS 0
#define Q_EPISODES 1
#define Q_EP_TRAPS 2
#define Q_EP_MAX 3
#define Q_SYSREG 4  /* EC 0x18 at a level by encoding and direction */
#define Q_EP_WHAT 5 /* an episode's traps by kind */
#define Q_KIND 0x100
#define Q_ALL 0xffff
#define LVL_EL1 0
#define LVL_VEL2 1
#define LVL_VEL1 2
#define LVL_L2 3
#define EC_SMC64 0x17
#define INVALID_PARAMETERS ((uint64_t)-2)

#define N_HVC 100
#define N_MMIO 50
#define HVC_COUNTED 0x33
#define EC_DABT_LOW 0x24
#define HCR_VM BIT(0)
#define EC_ERET 0x1a
/* the ISS of MRS MDCR_EL2 with Rt 0 (D24.2.46: Op0 [21:20], Op2 [19:17],
 * Op1 [16:14], CRn [13:10], CRm [4:1], Direction [0] 1 = read) */
#define ISS_MRS_MDCR_EL2                                                       \
	((3UL << 20) | (1UL << 17) | (4UL << 14) | (1UL << 10) | (1UL << 1) |  \
	 1UL)
#define N_SYSREG 7
/* Q_EP_WHAT's key (include/hyp/stats.h STATS_EPK, bit 31 implied by the
 * level): the reason, the level the trap was taken at, an exit's EC */
#define EP_EXIT(reason, lvl, ec)                                               \
	(((uint64_t)(reason) << 24) | ((uint64_t)(lvl) << 22) | BIT(5) |       \
	 ((uint64_t)(ec) << 10))

/* L1's stage 2: lib/stage2.h's identity */
#define VMID 1UL
/* an IPA the stage 2 does not map (level-1 entry 2): "MMIO" for L2 */
#define IPA_MMIO 0x80000000UL
#define MMIO_VALUE 0x3333444455556666UL

static volatile unsigned hvcs_taken, mmio_taken;

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

/* n HVCs, m loads from IPA_MMIO (each must read MMIO_VALUE), the exit */
static __attribute__((noinline, noreturn)) void p_l2(uint64_t nm)
{
	uint64_t n = nm & 0xffff, m = nm >> 16;
	bool ok = true;

	for (uint64_t i = 0; i < n; i++) {
		register uint64_t x0 __asm__("x0") = 0;

		__asm__ volatile("hvc #" STR(HVC_COUNTED) : "+r"(x0)::"memory");
	}
	for (uint64_t i = 0; i < m; i++)
		ok &= mmio_read64(IPA_MMIO) == MMIO_VALUE;
	if (!ok)
		mmio_taken = 0xbad;
	payload_exit();
}

static uint64_t lower(uint64_t vector, uint64_t esr, uint64_t far, uint64_t elr,
		      struct gt_frame *f)
{
	unsigned rt = (esr >> 16) & 0x1f; /* data abort ISV: SRT */

	if (vector == VEC_LOWER_SYNC && EC(esr) == EC_HVC64 &&
	    ISS(esr) == HVC_COUNTED) {
		hvcs_taken++;
		return elr; /* after the HVC */
	}
	/* L2's load from IPA_MMIO: a stage-2 translation fault with a valid
	 * syndrome (ISV); emulated as a device register */
	if (vector == VEC_LOWER_SYNC && EC(esr) == EC_DABT_LOW &&
	    (esr & BIT(24)) && rt <= 18 && far == IPA_MMIO) {
		mmio_taken++;
		f->x[rt] = MMIO_VALUE;
		return elr + 4;
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
	CHECK_EQ(q(Q_EXITS, LVL_L2, Q_ALL), 0, "no L2 exit with VM = 0");

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

static void stage2_setup(void)
{
	s2_identity();
	dsb_sy();
	write_sysreg(vtcr_el2, VTCR);
	write_sysreg(vttbr_el2, (VMID << 48) | (uintptr_t)s2_l1);
	isb();
	__asm__ volatile("tlbi vmalls12e1\n dsb sy\n isb" ::: "memory");
}

/* L2: the payload under the stage 2; each of its HVCs and MMIO loads an
 * L2 exit that L1 handles, one L2 episode of 2 traps each */
/* EC 0x18 by encoding: N_SYSREG reads of MDCR_EL2 at vEL2 (an EL2
 * register, trapped by HCR_EL2.NV, not in the VNCR_EL2 table: D8.14.1,
 * D8.14.6.2) are N_SYSREG more for that encoding and direction, none for
 * the write */
static void test_sysreg_encodings(void)
{
	uint64_t r0 = q(Q_SYSREG, LVL_VEL2, ISS_MRS_MDCR_EL2);
	uint64_t w0 = q(Q_SYSREG, LVL_VEL2, ISS_MRS_MDCR_EL2 & ~1UL);
	uint64_t r1, w1, x = 0;

	for (unsigned i = 0; i < N_SYSREG; i++)
		x += read_sysreg(mdcr_el2);
	(void)x;
	r1 = q(Q_SYSREG, LVL_VEL2, ISS_MRS_MDCR_EL2);
	w1 = q(Q_SYSREG, LVL_VEL2, ISS_MRS_MDCR_EL2 & ~1UL);
	CHECK_EQ(r1 - r0, N_SYSREG, "MRS MDCR_EL2 at vEL2, by encoding");
	CHECK_EQ(w1 - w0, 0, "no MSR MDCR_EL2 counted");
	CHECK_EQ(q(Q_SYSREG, LVL_VEL2, ISS_MRS_MDCR_EL2 | (5UL << 5)),
		 INVALID_PARAMETERS, "a key with Rt bits");
}

static void test_l2_episodes(void)
{
	uint64_t h0, e0, t0, d0, f0, g0, h1, e1, t1, d1, f1, g1, ret;
	uint64_t a0, a1, b0, b1;

	stage2_setup();
	h0 = q(Q_EXITS, LVL_L2, EC_HVC64);
	e0 = q(Q_EPISODES, LVL_L2, EC_HVC64);
	t0 = q(Q_EP_TRAPS, LVL_L2, EC_HVC64);
	d0 = q(Q_EPISODES, LVL_L2, EC_DABT_LOW);
	f0 = q(Q_EP_TRAPS, LVL_L2, EC_DABT_LOW);
	g0 = q(Q_EPISODES, LVL_VEL1, Q_ALL);
	a0 = q(Q_EP_WHAT, LVL_L2, EP_EXIT(EC_DABT_LOW, LVL_L2, EC_DABT_LOW));
	b0 = q(Q_EP_WHAT, LVL_L2, EP_EXIT(EC_DABT_LOW, LVL_VEL2, EC_ERET));
	seen_reset();
	hvcs_taken = mmio_taken = 0;
	ret = run_payload("L2 payload", p_l2, N_HVC | (N_MMIO << 16), SPSR_EL1H,
			  HCR_RW | HCR_VM);
	hcr_set(HCR_RW);
	__asm__ volatile("tlbi vmalls12e1\n dsb sy\n isb" ::: "memory");
	h1 = q(Q_EXITS, LVL_L2, EC_HVC64);
	e1 = q(Q_EPISODES, LVL_L2, EC_HVC64);
	t1 = q(Q_EP_TRAPS, LVL_L2, EC_HVC64);
	d1 = q(Q_EPISODES, LVL_L2, EC_DABT_LOW);
	f1 = q(Q_EP_TRAPS, LVL_L2, EC_DABT_LOW);
	g1 = q(Q_EPISODES, LVL_VEL1, Q_ALL);
	a1 = q(Q_EP_WHAT, LVL_L2, EP_EXIT(EC_DABT_LOW, LVL_L2, EC_DABT_LOW));
	b1 = q(Q_EP_WHAT, LVL_L2, EP_EXIT(EC_DABT_LOW, LVL_VEL2, EC_ERET));
	if (!payload_ran("L2 payload ran to its exit", ret, true))
		return;
	CHECK_EQ(hvcs_taken, N_HVC, "L1 took every L2 HVC");
	CHECK_EQ(mmio_taken, N_MMIO, "L1 emulated every L2 MMIO load");
	CHECK_EQ(h1 - h0, N_HVC + 1,
		 "L2 HVC exits: the payload's and its exit");
	CHECK_EQ(e1 - e0, N_HVC, "one closed L2 episode per L2 HVC");
	CHECK_EQ(t1 - t0, 2 * N_HVC, "2 hypnest traps per L2 HVC");
	CHECK_EQ(d1 - d0, N_MMIO, "one closed L2 episode per L2 MMIO load");
	CHECK_EQ(f1 - f0, 2 * N_MMIO, "2 hypnest traps per L2 MMIO exit");
	CHECK_EQ(g1 - g0, 1,
		 "the vEL1 episode left open, closed as L2 ran, no other");
	CHECK_EQ(a1 - a0, N_MMIO, "each MMIO episode: L2's abort ...");
	CHECK_EQ(b1 - b0, N_MMIO, "... and L1's ERET, nothing else");
	gt_printf("note: %lu hypnest traps per L2 hypercall, %lu per L2 MMIO "
		  "exit\n",
		  (unsigned long)((t1 - t0) / N_HVC),
		  (unsigned long)((f1 - f0) / N_MMIO));
}

static void test_bad_arguments(void)
{
	CHECK_EQ(q(Q_EXITS, 4, Q_ALL), INVALID_PARAMETERS, "level 4");
	CHECK_EQ(q(Q_EXITS, LVL_VEL2, 0x40), INVALID_PARAMETERS, "EC 0x40");
	CHECK_EQ(q(Q_EPISODES, LVL_VEL2, Q_ALL), INVALID_PARAMETERS,
		 "vEL2 has no episodes");
	CHECK_EQ(q(6, LVL_L2, Q_ALL), INVALID_PARAMETERS, "what 6");
	CHECK_EQ(q(Q_EP_WHAT, LVL_VEL2, EP_EXIT(EC_DABT_LOW, LVL_L2, 0)),
		 INVALID_PARAMETERS, "vEL2 has no episodes");
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
	test_sysreg_encodings();
	test_l2_episodes();
	test_bad_arguments();
	gt_set_lower_handler(NULL);
	gt_done();
}
