/* A guest hypervisor's AT and TLBI at (virtual) EL2 with HCR_EL2.E2H = 0:
 * lib/vel2_at.h. Passes in full on bare QEMU (virtualization=on) and under
 * hypnest with guest.el2=nvhe. */
#define VHE 0
#include "vel2_at.h"

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	(void)dtb;
	vel2_at_main();
}
