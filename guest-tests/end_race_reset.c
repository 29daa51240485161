/* lib/end_race.h: vCPU 1's SYSTEM_RESET first, vCPU 0's SYSTEM_OFF during
 * the crash report. */
#define DELAY0_US 1000
#define DELAY1_US 0
#include "end_race.h"
