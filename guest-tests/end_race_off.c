/* lib/end_race.h: vCPU 0's SYSTEM_OFF first, vCPU 1's SYSTEM_RESET during
 * its report. */
#define DELAY0_US 0
#define DELAY1_US 1000
#include "end_race.h"
