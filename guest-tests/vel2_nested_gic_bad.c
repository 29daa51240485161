/* The nested vGIC with list registers whose contents the GIC architecture
 * makes UNPREDICTABLE (guest-tests/lib/nested_gic.h): under hypnest only,
 * which loads none of them but the valid HW = 1 entry, logs once and keeps
 * running. E2H = 0. */
#define VHE 0
#define NESTED_GIC_BAD
#include "nested_gic.h"
