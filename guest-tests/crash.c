/* A guest that ends by a reset, as Linux's panic=N does: hypnest reports
 * every vCPU's state and exits with EXIT_GUEST_CRASH (vm/vm.c vm_crash,
 * vcpu/report.c; harness/test_guest_crash.py checks the report against
 * what this guest prints first). vCPU 1 spins with every interrupt masked
 * at crash_spin with x21 = MARK1 (hypnest's kick still takes it out: a
 * physical interrupt goes to EL2 whatever the guest masks, HCR_EL2.IMO);
 * vCPU 0 leaves a syndrome in its ESR/FAR (ESR_EL1 at EL1, ESR_EL2 at a
 * virtual EL2), x22 = MARK0, then resets: SYSTEM_RESET at EL1,
 * SYSTEM_RESET2 (warm) at vEL2, after checking SYSTEM_RESET2's refusals.
 * Under hypnest only: on bare QEMU a reset restarts the image.
 * VEL0_HOST (crash_vel0_host.c, guest.el2=vhe): vCPU 1 spins at vEL0 in
 * its EL2&0 host regime instead ({E2H, TGE} = {1, 1}), after leaving
 * markers in its EL1's ESR/FAR (by ESR_EL12/FAR_EL12) that differ from
 * its vEL2's: the report's EL1 line must show the EL1 ones. */
#include "gt.h"
#include "regs.h"

#ifndef VEL0_HOST
#define VEL0_HOST 0
#endif

#define PSCI_SYSTEM_RESET 0x84000009UL
#define PSCI_SYSTEM_RESET2 0xC4000012UL
#define INVALID_PARAMETERS ((uint64_t)-2)
#define MARK0 0x5a5a00000000c0deUL
#define MARK1 0x5a5a00000001c0deUL
/* a data abort at the current EL, DFSC translation fault level 1, and
 * its address: what a NULL-ish dereference leaves (D24.2.45) */
#define ESR_MARK 0x96000045UL
#define FAR_MARK 0xdead0000UL
/* VEL0_HOST: vCPU 1's EL1 syndrome (a level-2 translation fault) and
 * address, and its vEL2 ones (an instruction abort from a lower EL) */
#define ESR1_MARK 0x96000046UL
#define FAR1_MARK 0xbeef0000UL
#define ESR2_MARK 0x82000007UL
#define FAR2_MARK 0xfeed0000UL
#define SPSR_EL0T_MASKED 0x3c0UL /* EL0t, DAIF set */
#define HCR_TGE_BIT BIT(27)

extern char _start[];
extern char crash_spin[];
static volatile uint64_t spinning;

/* VEL0_HOST: E2H first, for ESR_EL12 (s3_5_c5_c2_0) and FAR_EL12
 * (s3_5_c6_c0_0) */
static void secondary_vel0_host(void)
{
	hcr_set(read_sysreg(hcr_el2) | HCR_E2H | HCR_TGE_BIT);
	__asm__ volatile(
	    "msr s3_5_c5_c2_0, %0\n msr s3_5_c6_c0_0, %1\n"
	    "msr esr_el2, %2\n msr far_el2, %3\n isb" ::"r"(ESR1_MARK),
	    "r"(FAR1_MARK), "r"(ESR2_MARK), "r"(FAR2_MARK));
	__asm__ volatile("mov x21, %1\n"
			 "str x21, [%0]\n"
			 "dsb sy\n"
			 "msr elr_el2, %2\n"
			 "msr spsr_el2, %3\n"
			 "isb\n"
			 "eret"
			 :
			 : "r"(&spinning), "r"(MARK1), "r"(crash_spin),
			   "r"(SPSR_EL0T_MASKED)
			 : "x21", "memory");
}

void gt_secondary(uint64_t context)
{
	(void)context;
	if (VEL0_HOST)
		secondary_vel0_host();
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
