/* A guest that ends by a reset, as Linux's panic=N does: hypnest reports
 * every vCPU's state and exits with EXIT_GUEST_CRASH (vm/vm.c vm_crash,
 * vcpu/report.c; harness/test_guest_crash.py checks the report against
 * what this guest prints first). vCPU 1 spins with every interrupt masked
 * at crash_spin with x21 = MARK1 (hypnest's kick still takes it out: a
 * physical interrupt goes to EL2 whatever the guest masks, HCR_EL2.IMO);
 * vCPU 0 leaves a syndrome in its ESR/FAR (ESR_EL1 at EL1, ESR_EL2 at a
 * virtual EL2), x22 = MARK0, then resets: SYSTEM_RESET at EL1,
 * SYSTEM_RESET2 (warm) at vEL2, after checking SYSTEM_RESET2's refusals.
 * Under hypnest only: on bare QEMU a reset restarts the image. */
#include "gt.h"

#define PSCI_SYSTEM_RESET 0x84000009UL
#define PSCI_SYSTEM_RESET2 0xC4000012UL
#define INVALID_PARAMETERS ((uint64_t)-2)
#define MARK0 0x5a5a00000000c0deUL
#define MARK1 0x5a5a00000001c0deUL
/* a data abort at the current EL, DFSC translation fault level 1, and
 * its address: what a NULL-ish dereference leaves (D24.2.45) */
#define ESR_MARK 0x96000045UL
#define FAR_MARK 0xdead0000UL

extern char _start[];
extern char crash_spin[];
static volatile uint64_t spinning;

void gt_secondary(uint64_t context)
{
	(void)context;
	__asm__ volatile("msr daifset, #0xf\n"
			 "mov x21, %1\n"
			 "str x21, [%0]\n"
			 "dsb sy\n"
			 ".global crash_spin\n"
			 "crash_spin: b crash_spin"
			 :
			 : "r"(&spinning), "r"(MARK1)
			 : "x21", "memory");
	for (;;)
		;
}

static void reset(uint64_t fid, uint64_t type)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = type;
	register uint64_t x22 __asm__("x22") = MARK0;

	if (current_el() == 2)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1)
				 : "r"(x22)
				 : "x2", "x3", "memory");
	else
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1)
				 : "r"(x22)
				 : "x2", "x3", "memory");
	gt_check(false, "the reset ended the guest", "it returned 0x%lx",
		 (unsigned long)x0);
}

void gt_main(uint64_t dtb)
{
	bool el2 = current_el() == 2;

	(void)dtb;
	if (gt_psci(PSCI_CPU_ON, 1, (uintptr_t)_start, 0) != 0) {
		CHECK(false, "CPU_ON of vCPU 1");
		gt_done();
	}
	for (unsigned long i = 0; i < 200000000 && spinning != MARK1; i++)
		;
	CHECK_EQ(spinning, MARK1, "vCPU 1 spins with DAIF masked");
	CHECK_EQ(gt_psci(PSCI_FEATURES, PSCI_SYSTEM_RESET2, 0, 0), 0,
		 "PSCI_FEATURES: SYSTEM_RESET2");
	CHECK_EQ(gt_psci(PSCI_SYSTEM_RESET2, 1UL << 31, 0, 0), NOT_SUPPORTED,
		 "SYSTEM_RESET2: a vendor reset is not supported");
	CHECK_EQ(gt_psci(PSCI_SYSTEM_RESET2, 1, 0, 0), INVALID_PARAMETERS,
		 "SYSTEM_RESET2: a reserved reset type is refused");
	if (el2) {
		__asm__ volatile(
		    "msr esr_el2, %0\n msr far_el2, %1\n isb" ::"r"(ESR_MARK),
		    "r"(FAR_MARK));
	} else {
		__asm__ volatile(
		    "msr esr_el1, %0\n msr far_el1, %1\n isb" ::"r"(ESR_MARK),
		    "r"(FAR_MARK));
	}
	gt_printf("crash: vcpu1 spins at 0x%lx, vcpu0 resets by %s\n",
		  (unsigned long)(uintptr_t)crash_spin,
		  el2 ? "SYSTEM_RESET2" : "SYSTEM_RESET");
	reset(el2 ? PSCI_SYSTEM_RESET2 : PSCI_SYSTEM_RESET, 0);
	gt_done();
}
