/* A guest hypervisor at (virtual) EL2 with HCR_EL2.E2H = 1: the EL2 state
 * that depends on the level it runs (lib/level.h). Passes in full on bare
 * QEMU (virtualization=on) and under hypnest with guest.el2=vhe. */
#define VHE 1
#include "level.h"

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	(void)dtb;
	level_main();
}
