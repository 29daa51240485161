/* PSCI over HVC: versions, features, CPU_ON of the second vCPU (which
 * reports in and turns itself off), AFFINITY_INFO, bad parameters. */
#include "gt.h"

extern char _start[];
static volatile uint64_t secondary_saw;

void gt_secondary(uint64_t context)
{
	(void)context;
	secondary_saw = 0x5ec0 + (read_mpidr() & 0xff);
	gt_hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		;
}

void gt_main(uint64_t dtb)
{
	(void)dtb;
	CHECK_EQ(gt_hvc(PSCI_VERSION, 0, 0, 0), 0x10001, "psci version 1.1");
	CHECK_EQ(gt_hvc(SMCCC_VERSION, 0, 0, 0), 0x10001, "smccc version 1.1");
	CHECK_EQ(gt_hvc(PSCI_FEATURES, PSCI_CPU_ON, 0, 0), 0,
		 "features: CPU_ON");
	CHECK_EQ(gt_hvc(PSCI_FEATURES, 0x8400ffff, 0, 0), NOT_SUPPORTED,
		 "features: unknown");
	CHECK_EQ(gt_hvc(PSCI_AFFINITY_INFO, 1, 0, 0), 1, "cpu1 starts off");
	CHECK_EQ(gt_hvc(PSCI_CPU_ON, 7, (uintptr_t)_start, 0), (uint64_t)-2,
		 "cpu_on: no such mpidr");
	CHECK_EQ(gt_hvc(PSCI_CPU_ON, 0, (uintptr_t)_start, 0), (uint64_t)-4,
		 "cpu_on: self is already on");
	CHECK_EQ(gt_hvc(PSCI_CPU_ON, 1, 0x1000, 0), (uint64_t)-9,
		 "cpu_on: entry outside RAM");
	CHECK_EQ(gt_hvc(PSCI_CPU_ON, 1, (uintptr_t)_start, 42), 0,
		 "cpu_on: cpu1");
	for (unsigned long i = 0; i < 200000000 && !secondary_saw; i++)
		;
	CHECK_EQ(secondary_saw, 0x5ec1, "cpu1 ran with mpidr aff0 1");
	for (unsigned long i = 0; i < 200000000; i++)
		if (gt_hvc(PSCI_AFFINITY_INFO, 1, 0, 0) == 1)
			break;
	CHECK_EQ(gt_hvc(PSCI_AFFINITY_INFO, 1, 0, 0), 1, "cpu1 off again");
	CHECK_EQ(gt_hvc(PSCI_AFFINITY_INFO, 0, 0, 0), 0, "cpu0 on");
	gt_done();
}
