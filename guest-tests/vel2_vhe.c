/* A guest hypervisor at (virtual) EL2 with HCR_EL2.E2H = 1 (VHE, set by
 * the test): the checks of lib/vel2.h. Passes in full on bare QEMU
 * (virtualization=on) and under hypnest with guest.el2=vhe. */
#define VHE 1
#include "vel2.h"

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	(void)dtb;
	vel2_main();
}
