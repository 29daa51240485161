/* PSCI CPU_ON racing CPU_ON (3 vCPUs): vCPU 0 and vCPU 1 ask at the same
 * moment, round after round, for vCPU 2 to start. In every round exactly
 * one call may succeed; the other must answer ALREADY_ON or ON_PENDING
 * (DEN 0022 5.6), and vCPU 2 must start exactly once, with the round's
 * context. vCPU 2 reports in, waits until both calls of its round have
 * returned, then turns itself off. vCPU 1 waits a little longer each round
 * (0..63 loop turns) before it calls, so the two calls cross in many
 * relative timings. Shared variables have one writer each: with the MMU
 * off, exclusives are not available. */
#include "gt.h"

#define ROUNDS 2000
#define ALREADY_ON ((uint64_t)-4)
#define ON_PENDING ((uint64_t)-5)

extern char _start[];

static volatile uint64_t go;	    /* vCPU 0: the round to race in */
static volatile uint64_t ready1;    /* vCPU 1: waiting for that round */
static volatile uint64_t called[2]; /* vCPU 0/1: its call returned */
static volatile uint64_t started;   /* vCPU 2: the round it started in */
static volatile uint64_t starts;    /* vCPU 2: how often it started */
static volatile uint64_t result[2][ROUNDS + 1];

static inline void sync_mem(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}

/* n loop turns, no memory access */
static void delay(unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		__asm__ volatile("nop");
}

static void race(unsigned me, uint64_t round)
{
	result[me][round] = gt_hvc(PSCI_CPU_ON, 2, (uintptr_t)_start, round);
	sync_mem();
	called[me] = round;
	sync_mem();
}

static void target(uint64_t round)
{
	starts = starts + 1;
	started = round;
	sync_mem();
	while (called[0] != round || called[1] != round)
		;
	gt_hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		;
}

static void second_caller(void)
{
	for (uint64_t round = 1; round <= ROUNDS; round++) {
		ready1 = round;
		sync_mem();
		while (go != round)
			;
		race(1, round);
	}
	gt_hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		;
}

void gt_secondary(uint64_t context)
{
	if ((read_mpidr() & 0xff) == 2)
		target(context);
	second_caller();
}

static bool wait_off(void)
{
	for (unsigned long i = 0; i < 100000000; i++)
		if (gt_hvc(PSCI_AFFINITY_INFO, 2, 0, 0) == 1)
			return true;
	return false;
}

void gt_main(uint64_t dtb)
{
	unsigned both = 0, none = 0, bad_other = 0, bad_start = 0, won1 = 0;
	uint64_t bad_round = 0;

	(void)dtb;
	CHECK_EQ(gt_hvc(PSCI_CPU_ON, 1, (uintptr_t)_start, 0), 0,
		 "cpu_on: the second caller");
	for (uint64_t round = 1; round <= ROUNDS; round++) {
		uint64_t r0, r1;

		while (ready1 != round)
			;
		go = round;
		sync_mem();
		delay((unsigned)(round * 37 % 4096));
		race(0, round);
		while (called[1] != round)
			;
		for (unsigned long i = 0; i < 100000000 && started != round;
		     i++)
			;
		if (!wait_off())
			break;
		r0 = result[0][round];
		r1 = result[1][round];
		if (r0 == 0 && r1 == 0)
			both++;
		else if (r0 != 0 && r1 != 0)
			none++;
		else if ((r0 ? r0 : r1) != ALREADY_ON &&
			 (r0 ? r0 : r1) != ON_PENDING)
			bad_other++;
		won1 += r1 == 0;
		if (started != round)
			bad_start++;
		if ((r0 == 0) == (r1 == 0) && !bad_round)
			bad_round = round;
	}
	gt_printf("note: %u of %u rounds won by vCPU 1\n", won1, ROUNDS);
	CHECK_EQ(both, 0, "never two successes for one target");
	CHECK_EQ(none, 0, "always one success");
	CHECK_EQ(bad_other, 0, "the loser sees ALREADY_ON or ON_PENDING");
	CHECK_EQ(bad_start, 0,
		 "the target starts once a round, with its "
		 "context");
	CHECK_EQ(starts, ROUNDS, "as many starts as rounds");
	if (bad_round)
		gt_printf("note: first bad round %lu: %ld %ld\n",
			  (unsigned long)bad_round, (long)result[0][bad_round],
			  (long)result[1][bad_round]);
	gt_done();
}
