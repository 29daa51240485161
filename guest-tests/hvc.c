/* Unknown hypercalls, and 10,000 HVCs counted exactly by the per-vCPU
 * trap counters (no leak, no drift). */
#include "gt.h"

#define EC_HVC64 0x16

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	uint64_t before, after, total_before, total_after;

	(void)dtb;
	CHECK_EQ(gt_hvc(0x8600ff00, 0, 0, 0), NOT_SUPPORTED,
		 "unknown vendor hvc");
	CHECK_EQ(gt_hvc(0xc2001234, 0, 0, 0), NOT_SUPPORTED, "unknown SiP hvc");
	CHECK_EQ(gt_hvc(0xffffffff00000000UL | PSCI_VERSION, 0, 0, 0),
		 NOT_SUPPORTED, "upper bits of the function id set");
	total_before = gt_hvc(HYPNEST_TRAP_COUNT, 0xffff, 0, 0);
	before = gt_hvc(HYPNEST_TRAP_COUNT, EC_HVC64, 0, 0);
	for (int i = 0; i < 10000; i++)
		gt_hvc(PSCI_VERSION, 0, 0, 0);
	after = gt_hvc(HYPNEST_TRAP_COUNT, EC_HVC64, 0, 0);
	total_after = gt_hvc(HYPNEST_TRAP_COUNT, 0xffff, 0, 0);
	/* each query is an HVC too, counted before it answers */
	CHECK_EQ(after - before, 10001, "10000 HVCs counted exactly");
	CHECK_EQ(total_after - total_before, 10003, "total exits counted");
	gt_done();
}
