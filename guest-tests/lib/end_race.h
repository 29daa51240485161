/* SYSTEM_OFF on one vCPU racing SYSTEM_RESET (a crash) on the other
 * (vm/vm.c: the guest's end is claimed once). vCPU 1 waits for vCPU 0's
 * go, then for DELAY1_US; vCPU 0 for DELAY0_US; each then makes its call
 * (HVC: the guest runs at EL1). Whichever call comes second must park:
 * the run ends with one complete report, SYSTEM_OFF's (status 0, no crash
 * lines) or the crash's (status 4, every vCPU's state, no "exit status
 * 0"). harness/test_guest_crash.py. Under hypnest only: on bare QEMU a
 * reset restarts the image. */
#ifndef GT_END_RACE_H
#define GT_END_RACE_H
#include "gt.h"

#define PSCI_SYSTEM_RESET 0x84000009UL

extern char _start[];
static volatile uint64_t ready, go;

static inline uint64_t count_now(void)
{
	uint64_t t;

	__asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(t));
	return t;
}

static void wait_us(uint64_t us)
{
	uint64_t freq, end;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	end = count_now() + freq * us / 1000000;
	while (count_now() < end)
		;
}

static void psci_end(uint64_t fid)
{
	register uint64_t x0 __asm__("x0") = fid;

	__asm__ volatile("hvc #0" : "+r"(x0)::"x1", "x2", "x3", "memory");
	gt_check(false, "the guest's end", "PSCI 0x%lx returned 0x%lx",
		 (unsigned long)fid, (unsigned long)x0);
}

void gt_secondary(uint64_t context)
{
	(void)context;
	ready = 1;
	__asm__ volatile("dsb sy" ::: "memory");
	while (!go)
		;
	wait_us(DELAY1_US);
	psci_end(PSCI_SYSTEM_RESET);
	for (;;)
		;
}

void gt_main(uint64_t dtb)
{
	(void)dtb;
	if (gt_psci(PSCI_CPU_ON, 1, (uintptr_t)_start, 0) != 0) {
		CHECK(false, "CPU_ON of vCPU 1");
		gt_done();
	}
	for (unsigned long i = 0; i < 200000000 && !ready; i++)
		;
	CHECK(ready, "vCPU 1 is up");
	gt_printf("end race: vcpu0 SYSTEM_OFF after %u us, vcpu1 "
		  "SYSTEM_RESET after %u us\n",
		  DELAY0_US, DELAY1_US);
	go = 1;
	__asm__ volatile("dsb sy" ::: "memory");
	wait_us(DELAY0_US);
	psci_end(PSCI_SYSTEM_OFF);
	for (;;)
		;
}

#endif
