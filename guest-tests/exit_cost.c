/* What one exit costs: wall time per HVC, per read of the emulated UART's
 * flag register, per read of the emulated distributor, against an empty
 * loop, measured with the virtual counter (harness/bench.py "exit cost"
 * prints them). The test (harness/test_guest.py) checks that each loop
 * took exactly one exit per operation, so the figure is an exit's. */
#include "gic.h"

#define N 20000
#define EC_HVC64 0x16
#define EC_DABT_LOW 0x24

static uint64_t traps(unsigned ec)
{
	return gt_hvc(HYPNEST_TRAP_COUNT, ec, 0, 0);
}

/* the loop's exits of class ec: N, plus the one query of the two that
 * itself counts when ec is HVC's */
static void check_exits(const char *what, unsigned ec, uint64_t before,
			uint64_t after)
{
	CHECK_EQ(after - before - (ec == EC_HVC64 ? 1 : 0), N, what);
}

void gt_secondary(uint64_t context)
{
	(void)context;
}

static void report(const char *what, uint64_t ticks, uint64_t freq)
{
	/* nanoseconds per operation, from N operations */
	gt_printf("exit-cost: %s %lu ns\n", what,
		  (unsigned long)(ticks * 1000000000UL / freq / N));
}

/* N reads of an emulated device register: one exit each */
static void mmio_reads(const char *what, uintptr_t reg, uint64_t freq)
{
	uint64_t before = traps(EC_DABT_LOW), t = now(), after;
	volatile unsigned sink = 0;

	for (int i = 0; i < N; i++)
		sink += mmio_read32(reg);
	t = now() - t;
	after = traps(EC_DABT_LOW);
	report(what, t, freq);
	check_exits(what, EC_DABT_LOW, before, after);
}

void gt_main(uint64_t dtb)
{
	uint64_t freq = read_sysreg(cntfrq_el0), t, before, after;
	volatile unsigned sink = 0;

	(void)dtb;
	t = now();
	for (int i = 0; i < N; i++)
		sink += (unsigned)i;
	report("loop", now() - t, freq);
	before = traps(EC_HVC64);
	t = now();
	for (int i = 0; i < N; i++)
		gt_hvc(PSCI_VERSION, 0, 0, 0);
	t = now() - t;
	after = traps(EC_HVC64);
	report("hvc", t, freq);
	check_exits("hvc", EC_HVC64, before, after);
	mmio_reads("uart-fr", UART_BASE + 0x18, freq);
	mmio_reads("gicd-typer", GICD_BASE + GICD_TYPER, freq);
	/* no exit: broadcast TLB maintenance by VA, as Linux's
	 * flush_tlb_kernel_range issues it, for the emulator's cost of it
	 * with and without a stage 2 */
	t = now();
	for (int i = 0; i < N; i++)
		__asm__ volatile("tlbi vaale1is, %0\n dsb ish" ::"r"(
				     (0xffff800000000000UL + i * 4096UL) >> 12)
				 : "memory");
	report("tlbi-vaale1is", now() - t, freq);
	gt_done();
}
