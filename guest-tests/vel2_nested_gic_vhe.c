/* The nested vGIC, for a guest hypervisor with HCR_EL2.E2H = 1
 * (guest-tests/lib/nested_gic.h). */
#define VHE 1
#include "nested_gic.h"
