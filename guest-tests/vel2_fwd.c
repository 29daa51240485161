/* Trap forwarding to a guest hypervisor at (virtual) EL2 with HCR_EL2.E2H
 * = 0 (nVHE): the checks of lib/vel2_fwd.h. Passes in full on bare QEMU
 * (virtualization=on) and under hypnest with guest.el2=nvhe. */
#define VHE 0
#include "vel2_fwd.h"

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	(void)dtb;
	fwd_main();
}
