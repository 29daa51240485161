/* The nested vGIC, for a guest hypervisor with HCR_EL2.E2H = 0
 * (guest-tests/lib/nested_gic.h). */
#define VHE 0
#include "nested_gic.h"
