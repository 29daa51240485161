/* The guest hypervisor of nested_wedge_vhe.c (VHE) whose vCPU 1 resets
 * the machine (PSCI SYSTEM_RESET) while vCPU 0's L2 spins with DAIF
 * masked: hypnest's report of a crashed guest then shows vCPU 0 at L2,
 * at its spin (harness/test_guest_crash.py). Under hypnest only: on bare
 * QEMU the reset restarts the image. */
#define VHE 1
#define NESTED_WEDGE 1
#define WEDGE_RESET 1
#include "nested.h"

void gt_main(uint64_t dtb)
{
	nested_main(dtb);
}
