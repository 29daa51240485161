/* A guest hypervisor at (virtual) EL2 with HCR_EL2.E2H = 0 (nVHE) runs a
 * payload (L2) at its EL1 under a stage 2 of its own: the checks of
 * lib/nested.h. Passes in full on bare QEMU (virtualization=on, -smp 2). */
#define VHE 0
#include "nested.h"

void gt_main(uint64_t dtb)
{
	nested_main(dtb);
}
