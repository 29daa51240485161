/* A guest hypervisor at (virtual) EL2 with HCR_EL2.E2H = 0 (nVHE) whose L2 on
 * vCPU 0 wedges (DAIF masked, spinning): its EL2 timer still takes vCPU 0 out,
 * its vCPU 1 runs its own L2 meanwhile, and it then leaves the wedged L2: case
 * 11 of lib/nested.h (lib/nested_wedge.h). Passes in full on bare QEMU. */
#define VHE 0
#define NESTED_WEDGE 1
#include "nested.h"

void gt_main(uint64_t dtb)
{
	nested_main(dtb);
}
