/* A guest hypervisor at (virtual) EL2 with HCR_EL2.E2H = 0 (nVHE) puts a
 * virtual interrupt in a list register for its payload (L2) under its own
 * stage 2, and reads ICH_LR/ELRSR/EISR/MISR_EL2 after L2's acknowledge
 * and EOI: case 8 of lib/nested.h. Passes in full on bare QEMU. */
#define VHE 0
#define NESTED_VGIC 1
#include "nested.h"

void gt_main(uint64_t dtb)
{
	nested_main(dtb);
}
