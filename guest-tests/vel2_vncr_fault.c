/* Test build of hypnest only (make TEST_HOOKS=1): a guest hypervisor at
 * virtual EL2 has hypnest point VNCR_EL2 at memory hypnest does not map
 * (a test-only vendor call); its next register access that NV2 redirects
 * to the VNCR page then faults at EL2, which hypnest must report as its
 * own bug and stop on (exit status 3), not answer with an UNDEF
 * (harness/test_vncr_fault.py). Not for bare QEMU. */
#include "gt.h"

#define HYPNEST_TEST_VNCR_UNMAP 0x86000F01UL

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	uint64_t hcr;

	(void)dtb;
	CHECK_EQ(current_el(), 2, "at (virtual) EL2");
	CHECK_EQ(gt_smc(HYPNEST_TEST_VNCR_UNMAP, 0, 0, 0), 0,
		 "test hook present");
	gt_printf("VNCR-FAULT-NEXT\n");
	__asm__ volatile("mrs %0, hcr_el2" : "=r"(hcr));
	gt_check(false, "stopped at the faulting access", "HCR_EL2 read 0x%lx",
		 (unsigned long)hcr);
	gt_done();
}
